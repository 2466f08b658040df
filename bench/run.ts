/**
 * `npm run bench [-- [--json] [filter…]]`: runs every bench/*.bench.js (or
 * those whose module name matches a filter), then prints one table, or with
 * --json one JSON object per row:
 *   {"bench":"ob.open.batch1000","impl":"wasm","ns_per_op":…,"ratio":…}
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Bench, type BenchRow } from './harness.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const filters = args.filter((a) => !a.startsWith('--'));
const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.startsWith(x)))
  .sort();

const bench = new Bench();
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: (b: Bench) => Promise<void> | void };
  if (!json) process.stderr.write(`bench: ${f} …\n`);
  await mod.default(bench);
}

function fillRatios(rows: BenchRow[]): void {
  for (const row of rows) {
    if (row.ratio !== undefined) continue;
    const baseImpl = row.baseline ?? 'ref';
    const base = rows.find((r) => r.bench === row.bench && r.impl === baseImpl);
    if (!base) continue;
    if (row.ns_per_op !== undefined && base.ns_per_op !== undefined) row.ratio = base.ns_per_op / row.ns_per_op;
    else if (row.bytes !== undefined && base.bytes !== undefined) row.ratio = base.bytes / row.bytes;
  }
}
fillRatios(bench.rows);

function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(ns < 10 ? 2 : 1)} ns`;
}
function fmtBytes(b: number): string {
  if (b >= 1 << 20) return `${(b / (1 << 20)).toFixed(1)} MiB`;
  if (b >= 1 << 10) return `${(b / (1 << 10)).toFixed(1)} KiB`;
  return `${b} B`;
}

if (json) {
  for (const r of bench.rows) {
    const out: Record<string, unknown> = { bench: r.bench, impl: r.impl };
    if (r.ns_per_op !== undefined) out.ns_per_op = Number(r.ns_per_op.toFixed(2));
    if (r.bytes !== undefined) out.bytes = r.bytes;
    if (r.ratio !== undefined) out.ratio = Number(r.ratio.toFixed(3));
    if (r.baseline !== undefined) out.baseline = r.baseline;
    if (r.note !== undefined) out.note = r.note;
    process.stdout.write(JSON.stringify(out) + '\n');
  }
} else {
  const table = bench.rows.map((r) => [
    r.bench,
    r.impl,
    r.ns_per_op !== undefined ? fmtNs(r.ns_per_op) : r.bytes !== undefined ? fmtBytes(r.bytes) : '',
    r.ratio !== undefined ? `${r.ratio.toFixed(2)}× vs ${r.baseline ?? 'ref'}` : '(baseline)',
    r.note ?? '',
  ]);
  const head = ['benchmark', 'impl', 'per op / size', 'ratio', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
}
