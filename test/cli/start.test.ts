// `winsilo start` without a terminal and `winsilo winobj`, run as a user runs them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });

describe('winsilo CLI', () => {
  test('start without a terminal on stdin refuses with docker\'s text (the interactive session is in test/e2e)', () => {
    const r = run('start');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('cannot attach stdin to a TTY-enabled container because stdin is not a terminal\n');
    expect(run('start', '--help').stdout).toMatch(/^Usage: {2}winsilo start\n\nOpen an interactive cmd\.exe in a new Server Core container/);
    expect(run('start', 'x').status).toBe(1);
  });

  test('winobj --impl ref prints exactly what the WASM core prints', () => {
    const a = run('winobj', '--silo', '380');
    const b = run('winobj', '--silo', '380', '--impl', 'ref');
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.split('\n')[0]).toBe('\\');
    expect(a.stdout).not.toContain('Silos');
  });

  test('winobj of a path that does not exist shows the real status', () => {
    const r = run('winobj', '\\NoSuchDirectory');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('winsilo: NtOpenDirectoryObject \\NoSuchDirectory: STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034): Object Name not found.\n');
  });

  test('bad arguments get a clear message and a non-zero exit', () => {
    expect(run('winobj', '--silo', 'abc').stderr).toBe("winsilo: --silo takes a silo id (a positive integer), not 'abc'\n");
    const frob = run('frobnicate');
    expect(frob.status).toBe(1);
    expect(frob.stderr).toBe("winsilo: unknown command: winsilo frobnicate\n\nRun 'winsilo --help' for more information\n");
    const unknown = run('winobj', '--bogus');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^winsilo: Unknown option '--bogus'/);
    expect(run('--help').stdout).toMatch(/^Usage: {2}winsilo \[OPTIONS\] COMMAND\n/);
  });
});
