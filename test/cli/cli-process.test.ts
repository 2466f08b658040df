// winsilo as a user runs it: a child process, its stdout, stderr and exit
// status. (The shell's programs — cmd.exe — come later; run's exit codes of
// real commands are pinned in-process in run.test.ts.)
//
// Every run gets a temporary data root (WINSILO_DATA_ROOT): tests never
// touch ~/.winsilo.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { Host } from '../../src/host/host.js';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const DATA_ROOT = mkdtempSync(join(tmpdir(), 'winsilo-cli-'));
const roots = [DATA_ROOT];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});
const IMAGE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
const winsilo = (args: string[], input?: string) =>
  spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', input: input ?? '', env: { ...process.env, WINSILO_DATA_ROOT: DATA_ROOT } });
const RUN_USAGE = 'Usage:  winsilo run [OPTIONS] IMAGE [COMMAND] [ARG...]';

describe('winsilo run from a shell', () => {
  test('-d prints the full id of the started container and exits 0; the pull goes to stderr', () => {
    // svchost.exe is a resident system program: it runs until ended.
    const r = winsilo(['run', '-d', IMAGE, 'svchost.exe']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(r.stderr.split('\n')[0]).toBe(`Unable to find image '${IMAGE}' locally`);
    expect(r.stderr).toContain(`Status: Downloaded newer image for ${IMAGE}\n`);
  });

  test('a command the image does not have: 127 and the engine\'s error', () => {
    const r = winsilo(['run', '--rm', '-q', IMAGE, 'nosuch.exe']);
    expect(r.status).toBe(127);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^winsilo: Error response from daemon: container [0-9a-f]{64} encountered an error during hcs::System::CreateProcess: failure in a Windows system call: The system cannot find the file specified\. \(0x2\)\n\nRun 'winsilo run --help' for more information\n$/);
  });

  test("winsilo's own errors exit 125 with docker's text", () => {
    const r = winsilo(['run', '--isolation', 'vm', IMAGE]);
    expect(r.status).toBe(125);
    expect(r.stderr).toBe("winsilo: Error response from daemon: invalid isolation (vm): Windows supports 'default', 'process', or 'hyperv'\n\nRun 'winsilo run --help' for more information\n");
    const f = winsilo(['run', '-x', IMAGE]);
    expect(f.status).toBe(125);
    expect(f.stderr).toBe(`unknown shorthand flag: 'x' in -x\n\n${RUN_USAGE}\n\nRun 'winsilo run --help' for more information\n`);
  });

  test('no image: exit 1 and the argument-count message', () => {
    const r = winsilo(['run']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`winsilo: 'winsilo run' requires at least 1 argument\n\n${RUN_USAGE}\n\nSee 'winsilo run --help' for more information\n`);
  });

  test('-it with piped stdin is refused (exit 1)', () => {
    const r = winsilo(['run', '-it', IMAGE], 'dir\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('cannot attach stdin to a TTY-enabled container because stdin is not a terminal\n');
  });
});

describe('help, version, images', () => {
  test('--version: "winsilo version <package version>, build <7 hex or dev>"', () => {
    const r = winsilo(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^winsilo version 0\.1\.0, build ([0-9a-f]{7}|dev)\n$/);
    expect(winsilo(['-v']).stdout).toBe(r.stdout);
  });

  test('run --help goes to stdout and lists the options', () => {
    const r = winsilo(['run', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([RUN_USAGE, '', 'Create and run a new container from an image', '']);
    expect(r.stdout).toContain('\n  -e, --env list ');
  });

  test('winsilo alone prints the help on stderr and succeeds, as docker does', () => {
    const r = winsilo([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: {2}winsilo \[OPTIONS\] COMMAND\n/);
  });

  test('images on an empty data root: the header', () => {
    const empty = mkdtempSync(join(tmpdir(), 'winsilo-empty-'));
    roots.push(empty);
    const r = spawnSync(process.execPath, [MAIN, 'images'], { encoding: 'utf8', env: { ...process.env, WINSILO_DATA_ROOT: empty } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n');
  });
});

describe('the data root', () => {
  test('what one run pulled is there for the next command: images lists it, a second run pulls nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'winsilo-cli-root-'));
    roots.push(root);
    const env = { ...process.env, WINSILO_DATA_ROOT: root };
    const first = spawnSync(process.execPath, [MAIN, 'run', '--rm', IMAGE, 'nosuch.exe'], { encoding: 'utf8', env });
    expect(first.stderr).toContain(`Status: Downloaded newer image for ${IMAGE}\n`);
    const images = spawnSync(process.execPath, [MAIN, 'images'], { encoding: 'utf8', env });
    expect(images.status).toBe(0);
    expect(images.stdout.split('\n')[1]).toMatch(/^mcr\.microsoft\.com\/windows\/servercore +ltsc2022 +[0-9a-f]{12} /);
    const second = spawnSync(process.execPath, [MAIN, 'run', '--rm', IMAGE, 'nosuch.exe'], { encoding: 'utf8', env });
    expect(second.status).toBe(127);
    expect(second.stderr).not.toContain('Unable to find image');
  });

  test("a data root another winsilo holds: exit 1 with dockerd's pid-file message", async () => {
    const root = mkdtempSync(join(tmpdir(), 'winsilo-cli-held-'));
    roots.push(root);
    const holder = await Host.open({ dataRoot: root });
    try {
      const r = spawnSync(process.execPath, [MAIN, 'images'], { encoding: 'utf8', env: { ...process.env, WINSILO_DATA_ROOT: root } });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `winsilo: cannot open the data root ${root}: failed to start daemon, ensure winsilo is not running or delete ${join(root, 'winsilo.pid')}: process with PID ${process.pid} is still running\n`,
      );
    } finally {
      await holder.close();
    }
  });
});
