// `npm start` / `winsilo start` and `winsilo winobj`, run as a user runs them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const MAIN = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });

describe('winsilo CLI', () => {
  test('start prints the booted host namespace and the container seen from inside', () => {
    const r = run('start');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('winsilo: a Windows Server 2022 (build 20348) host with one process-isolated container');
    expect(lines).toContain('├── DosDevices  SymbolicLink → \\??');
    expect(lines).toContain('│   ├── GLOBALROOT  SymbolicLink → ""');
    expect(lines).toContain('│   ├── C:  SymbolicLink → \\Device\\HarddiskVolume3');
    expect(lines).toContain('│   └── 380  Directory');
    expect(lines).toContain('The same container seen from inside (every lookup starts at \\Silos\\380):');
    expect(lines).toContain('│   ├── C:  SymbolicLink → \\Device\\HarddiskVolume5');
    expect(r.stdout).toMatch(/\n\d+ objects\. The interactive cmd\.exe comes with the shell\.\n$/);
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
