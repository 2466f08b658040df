// Prints issue 11's reliability table from the records the suites appended
// to build/reliability/*.jsonl (test/support/reliability.ts), and exits
// non-zero if any row has failures. Run by `npm run test:reliability` after
// vitest, whatever vitest's result, so a red run still shows its figures.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), 'build', 'reliability');
const order = ['escape', 'crash', 'fuzz', 'load'];
const heading = {
  escape: ['escape attempts', 'escapes'],
  crash: ['crash trials', 'losses'],
  fuzz: ['fuzz cases', 'crashes/hangs'],
  load: ['load operations', 'failed'],
};

const records = [];
if (existsSync(dir)) {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line.trim()) records.push(JSON.parse(line));
    }
  }
}

const rows = [['family', 'suite', 'made', 'failures', 'detail']];
let failures = 0;
for (const family of order) {
  const mine = records.filter((r) => r.family === family);
  const bySuite = new Map();
  for (const r of mine) {
    const s = bySuite.get(r.suite) ?? { trials: 0, failures: 0, detail: [] };
    s.trials += r.trials;
    s.failures += r.failures;
    if (r.detail) s.detail.push(r.detail);
    bySuite.set(r.suite, s);
  }
  let trials = 0;
  let bad = 0;
  for (const [suite, s] of [...bySuite].sort((a, b) => a[0].localeCompare(b[0]))) {
    rows.push([family, suite, String(s.trials), String(s.failures), s.detail.join('; ')]);
    trials += s.trials;
    bad += s.failures;
  }
  rows.push([family, `TOTAL ${heading[family][0]} / ${heading[family][1]}`, String(trials), String(bad), mine.length ? '' : 'no records']);
  failures += bad;
}

const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
console.log('\nwinsilo reliability report');
console.log(line(rows[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1)) console.log(line(r));
process.exitCode = failures === 0 ? 0 : 1;
