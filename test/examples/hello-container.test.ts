// The README's embedding example runs as written (issue 6 "Embedded CLI and
// embedding API": a runnable example under examples/ that a test runs).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const script = fileURLToPath(new URL('../../dist/examples/hello-container.js', import.meta.url));

test('examples/hello-container: a registered program runs in a Server Core container and its exit code comes back', () => {
  const out = execFileSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
  expect(out).toMatch(/^Hello from [0-9A-F]{12}: PID \d+, session 14, build 20348, args \["one","two words"\]\r\nexit code 7\n$/);
});
