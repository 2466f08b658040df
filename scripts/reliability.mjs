// `npm run test:reliability`: the whole suite at issue 11's full counts
// (WINSILO_RELIABILITY=1: test/security, test/crash, test/fuzz, test/load and
// every other test's fault trials ×10), then the report table — printed
// whatever vitest's result; the exit code is vitest's, or the report's when
// vitest passed but a row has failures.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('build/reliability', { recursive: true, force: true });
const vitest = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, WINSILO_RELIABILITY: '1' },
});
const report = spawnSync(process.execPath, ['scripts/reliability-report.mjs'], { stdio: 'inherit' });
process.exitCode = vitest.status !== 0 ? (vitest.status ?? 1) : (report.status ?? 1);
