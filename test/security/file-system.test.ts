// Escapes through the file system (windows-facts §2, §4): from cmd.exe in a
// container, and through CreateFile and friends from a program in it, try
// to read the host's disk, another container's C:, or the host directory
// beside a `-v` bind. The container's drives and its own mapped GUIDs are
// the only roots there are: `\\?\GLOBALROOT`, `\\?\Volume{…}`, UNC and
// device paths lead nowhere; absolute reparse targets restart at the
// container's own C:; `..` never leaves a volume (lexically in Win32
// paths, refused as a name under `\\?\`); host symlinks in a bind are
// followed only while they stay inside it.
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  ERROR_CANT_RESOLVE_FILENAME,
  ERROR_FILENAME_EXCED_RANGE,
  ERROR_INVALID_NAME,
  ERROR_PATH_NOT_FOUND,
  Win32Error,
  win32Message,
} from '../../src/core/win32.js';
import fc from 'fast-check';
import { FS_LIMITS } from '../../src/kernel/fs/limits.js';
import { SEED, trials } from '../support/budget.js';
import { recordReliability } from '../support/reliability.js';
import { denied, lab, leaks, record, SECRET, type Lab } from './support.js';

const SUITE = 'file system';

const PATH_NOT_FOUND = 'The system cannot find the path specified.\r\n';
const FILE_NOT_FOUND = 'The system cannot find the file specified.\r\n';
const SYNTAX = 'The filename, directory name, or volume label syntax is incorrect.\r\n';
const NET_PATH = 'The network path was not found.\r\n';
const ACCESS_DENIED = 'Access is denied.\r\n';
const CANT_RESOLVE = 'The name of the file cannot be resolved by the system.\r\n';

let l: Lab;
/** The host's own volume device as the kernel names it, and the neighbour's. */
let hostVolume: string;
let neighbourVolume: string;

beforeAll(async () => {
  l = await lab();
  hostVolume = l.host.kernel.host.volume;
  neighbourVolume = l.neighbour.computeSystem!.silo!.volume;
  // What a host admin (or another tenant) left in the bound directory: links out of it.
  symlinkSync('../outside/secret.txt', join(l.bound, 'hostlink.txt'));
  symlinkSync('..', join(l.bound, 'updir'));
  symlinkSync('/', join(l.bound, 'root'));
  symlinkSync('../outside/created-through-link.txt', join(l.bound, 'dangling.txt'));
});

/** Runs `line` in cmd in the attacker and asserts the denial on stderr (exact text, or a pattern). */
async function cmd(line: string, stderr: string | RegExp, exitCode = 1): Promise<void> {
  denied(SUITE, await l.cmd(line), { stderr, exitCode });
}

/** Nothing was created beside the bound directory, and the secrets are where they were. */
function hostUntouched(): void {
  expect(readdirSync(l.root).sort()).toEqual(['bound', 'outside', 'secret.txt']);
  expect(readdirSync(l.outside).sort()).toEqual(['secret.txt']);
}

/** A Win32 call from a program in the container: its error code, 0 on success, the bytes read (if any) checked for a secret. */
async function api(fn: (ctx: Parameters<Parameters<Lab['probe']>[0]>[0]) => string | void): Promise<number> {
  const r = await l.probe((ctx) => {
    try {
      const text = fn(ctx);
      return { code: 0, text: text ?? '' };
    } catch (e) {
      if (e instanceof Win32Error) return { code: e.code, text: '' };
      throw e;
    }
  });
  record(SUITE, r.code === 0 && leaks(r.text));
  expect(leaks(r.text)).toBe(false);
  return r.code;
}

describe('the host disk and other containers by device path', () => {
  test('\\\\?\\GLOBALROOT\\Device\\<host volume>\\… is not a path in a container', () =>
    cmd(`type \\\\?\\GLOBALROOT\\Device\\${hostVolume}\\secret.txt`, new RegExp(`^${PATH_NOT_FOUND}`)));

  test("\\\\?\\GLOBALROOT\\Device\\<neighbour's volume>\\… is not a path either", () =>
    cmd(`type \\\\?\\GLOBALROOT\\Device\\${neighbourVolume}\\neighbour-secret.txt`, new RegExp(`^${PATH_NOT_FOUND}`)));

  test('\\\\.\\GLOBALROOT\\Device\\… (the normalised device form) leads nowhere', () =>
    cmd(`type \\\\.\\GLOBALROOT\\Device\\${neighbourVolume}\\neighbour-secret.txt`, PATH_NOT_FOUND));

  test('mklink /d C:\\x \\\\?\\GLOBALROOT\\Device\\<host volume>: created, but following it leads nowhere', () =>
    cmd(`mklink /d C:\\gr \\\\?\\GLOBALROOT\\Device\\${hostVolume} >nul & type C:\\gr\\secret.txt`, PATH_NOT_FOUND));

  test("a junction to the neighbour's volume through \\\\?\\GLOBALROOT cannot even be made (only drive targets)", () =>
    cmd(`mklink /j C:\\gj \\\\?\\GLOBALROOT\\Device\\${neighbourVolume}`, /^Local volumes are required to complete the operation\.\r\n$|^The data present in the reparse point buffer is invalid\.\r\n$/));

  test('\\\\?\\Volume{GUID}\\ of another volume is not a path in a container', () =>
    cmd('type \\\\?\\Volume{5a1f5b3c-0000-0000-0000-100000000000}\\secret.txt', /^The system cannot find the path specified\./));

  test('\\\\.\\PhysicalDrive0 (the host disk, raw) is not there', () => cmd('type \\\\.\\PhysicalDrive0', PATH_NOT_FOUND));

  test('\\\\.\\C: (the volume, raw) is Access is denied', () => cmd('type \\\\.\\C:', ACCESS_DENIED));

  test('\\\\.\\<host volume> (a raw volume by device name) is not there', () =>
    cmd(`copy C:\\Windows\\win.ini \\\\.\\${hostVolume}`, PATH_NOT_FOUND));

  test('UNC to the host by name (\\\\host\\c$) is The network path was not found', () => cmd('type \\\\host\\c$\\secret.txt', NET_PATH));

  test('UNC to the NAT gateway (the host side of the container network) is The network path was not found', () =>
    cmd('type \\\\172.26.96.1\\c$\\secret.txt', NET_PATH));

  test('a symbolic link to a UNC path (\\\\localhost\\C$) leads nowhere either', () =>
    cmd('mklink /d C:\\unc \\\\localhost\\C$ >nul & type C:\\unc\\neighbour-secret.txt', NET_PATH));

  test('\\\\?\\UNC\\… (the long UNC form) is The network path was not found', () => cmd('type \\\\?\\UNC\\host\\c$\\secret.txt', new RegExp(`^${NET_PATH}`)));
});

describe('.. and bind mounts (-v)', () => {
  test('C:\\bound\\..\\outside is C:\\outside (Win32 evaluates .. lexically), not the host sibling', () =>
    cmd('type C:\\bound\\..\\outside\\secret.txt', PATH_NOT_FOUND));

  test('\\\\?\\C:\\bound\\..\\outside hands .. to the volume, which refuses it as a name', () =>
    cmd('type \\\\?\\C:\\bound\\..\\outside\\secret.txt', new RegExp(`^${SYNTAX}`)));

  test('\\\\?\\ContainerMappedDirectories\\<own GUID>\\..\\outside: the bound volume refuses ..', () =>
    cmd(`type \\\\?\\ContainerMappedDirectories\\${l.guids.mine}\\..\\outside\\secret.txt`, new RegExp(`^${SYNTAX}`)));

  test("a link to \\\\?\\ContainerMappedDirectories\\<own GUID>\\.. made on C: is refused when followed", () =>
    cmd(`mklink /d C:\\mapup \\\\?\\ContainerMappedDirectories\\${l.guids.mine}\\.. >nul & type C:\\mapup\\outside\\secret.txt`, SYNTAX));

  test("the neighbour's mapped-directory GUID names nothing in this container", () =>
    cmd(`type \\\\?\\ContainerMappedDirectories\\${l.guids.theirs}\\secret.txt`, new RegExp(`^${PATH_NOT_FOUND}`)));

  test('cd C:\\bound\\..\\..\\.. stops at C:\\', async () => {
    const r = await l.cmd('cd C:\\bound\\..\\..\\.. & cd');
    denied(SUITE, r, { stdout: 'C:\\\r\n', exitCode: 0 });
  });

  test('a relative link made on C: (..\\..\\..\\..) stops at the volume root', () =>
    cmd('mklink /d C:\\rel ..\\..\\..\\.. >nul & type C:\\rel\\outside\\secret.txt', PATH_NOT_FOUND));

  test('mklink inside the bind (a host reparse point) is The request is not supported', () =>
    cmd('mklink C:\\bound\\esc ..\\outside\\secret.txt', 'The request is not supported.\r\n'));

  test('mklink /j inside the bind is The request is not supported', () => cmd('mklink /j C:\\bound\\j C:\\', 'The request is not supported.\r\n'));

  test('a host symlink in the bind to a file outside it: Access is denied', () => cmd('type C:\\bound\\hostlink.txt', ACCESS_DENIED));

  test('a host symlink in the bind to its parent directory: Access is denied', () => cmd('type C:\\bound\\updir\\outside\\secret.txt', ACCESS_DENIED));

  test('a host symlink in the bind to / : Access is denied', () => cmd('dir C:\\bound\\root\\etc', ACCESS_DENIED));

  test('writing through a dangling host symlink in the bind creates nothing outside it', async () => {
    const r = await l.cmd('echo pwned> C:\\bound\\dangling.txt');
    denied(SUITE, r, { exitCode: 1 });
    const escaped = existsSync(join(l.outside, 'created-through-link.txt'));
    record(SUITE, escaped);
    expect(escaped).toBe(false);
    hostUntouched();
  });

  test('the bind lists no host symlink that leads outside it', async () => {
    const r = await l.cmd('dir /b C:\\bound');
    denied(SUITE, r, { exitCode: 0 });
    expect(r.stdout.split('\r\n').filter(Boolean).sort()).toEqual(['inside.txt']);
  });

  test('a hard link from the bind to a file on C: is ERROR_NOT_SAME_DEVICE', () =>
    cmd('mklink /h C:\\bound\\h C:\\Windows\\win.ini', 'The system cannot move the file to a different disk drive.\r\n'));

  test('echo into C:\\bound\\new\\..\\..\\..\\y.txt lands on the container\'s C:, not on the host', async () => {
    const r = await l.cmd('echo x> C:\\bound\\new\\..\\..\\..\\y.txt & type C:\\y.txt');
    denied(SUITE, r, { stdout: 'x \r\n', exitCode: 0 });
    hostUntouched();
  });

  test('names a Linux host would take but Windows refuses (a*b, x:evil, trailing dot) create nothing on the host', async () => {
    for (const line of ['echo x> "C:\\bound\\a*b"', 'echo x> C:\\bound\\x.txt:evil', 'echo x> "C:\\bound\\evil. "', 'md C:\\bound\\evil::$INDEX_ALLOCATION']) {
      await cmd(line, SYNTAX);
    }
    expect(readdirSync(l.bound).sort()).toEqual(['dangling.txt', 'hostlink.txt', 'inside.txt', 'root', 'updir']);
  });

  test('xcopy of C:\\bound\\..\\.. is a copy of C:\\ into itself: Cannot perform a cyclic copy', async () => {
    const r = await l.cmd('xcopy C:\\bound\\..\\.. C:\\copy /s /q');
    denied(SUITE, r, { stderr: 'Cannot perform a cyclic copy\r\n', exitCode: 4 });
  });
});

describe("the image and the neighbour's disk", () => {
  test("a write to an image file stays in the writer's sandbox: the neighbour reads the image's bytes", async () => {
    const before = await l.neighbour.exec({ cmd: ['cmd', '/c', 'type C:\\Windows\\win.ini'] });
    const original = await drain(before.stdout);
    const w = await l.cmd('echo %COMPUTERNAME% was here> C:\\Windows\\win.ini & del /f /q C:\\Windows\\System32\\drivers\\etc\\hosts');
    expect(w.stderr + w.exitCode).toBe('0');
    const after = await l.neighbour.exec({ cmd: ['cmd', '/c', 'type C:\\Windows\\win.ini & dir /b C:\\Windows\\System32\\drivers\\etc'] });
    const seen = await drain(after.stdout);
    const escaped = seen.includes('was here') || !/^hosts\r$/m.test(seen);
    record(SUITE, escaped);
    expect(seen.startsWith(original)).toBe(true);
  });

  test('a read-only bind (-v HOST:C:\\theirs:ro) refuses every change: Access is denied, the host file unchanged', async () => {
    const attempts: [string, string][] = [
      ['echo pwned> C:\\theirs\\secret.txt', 'Access is denied.\r\n'],
      // del names the file it could not delete, then the reason.
      ['del /f C:\\theirs\\secret.txt', 'C:\\theirs\\secret.txt\r\nAccess is denied.\r\n'],
      ['ren C:\\theirs\\secret.txt x.txt', 'Access is denied.\r\n'],
      ['md C:\\theirs\\planted', 'Access is denied.\r\n'],
    ];
    for (const [line, stderr] of attempts) {
      const io = await l.neighbour.exec({ cmd: ['cmd', '/c', line] });
      const [out, err, code] = await Promise.all([drain(io.stdout), drain(io.stderr), io.wait()]);
      denied(SUITE, { stdout: out, stderr: err, exitCode: code }, { stderr });
    }
    expect(readFileSync(join(l.outside, 'secret.txt'), 'utf8')).toBe(SECRET);
    hostUntouched();
  });

  test("the neighbour's files are not on the attacker's C: under any name", async () => {
    const r = await l.cmd('dir /s /b C:\\neighbour-secret.txt');
    denied(SUITE, r, { stderr: 'File Not Found\r\n', exitCode: 1 });
  });
});

async function drain(r: { read(): Promise<Uint8Array | null> } | null): Promise<string> {
  if (!r) return '';
  const parts: Uint8Array[] = [];
  for (let c = await r.read(); c !== null; c = await r.read()) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

describe('reparse points on C:', () => {
  test('a symbolic link loop: The name of the file cannot be resolved by the system (1921)', () =>
    cmd('mklink /d C:\\loop1 C:\\loop2 >nul & mklink /d C:\\loop2 C:\\loop1 >nul & type C:\\loop1\\x', CANT_RESOLVE));

  test(`a chain of ${FS_LIMITS.maxReparse} links resolves; ${FS_LIMITS.maxReparse + 1} is ERROR_CANT_RESOLVE_FILENAME`, async () => {
    const n = FS_LIMITS.maxReparse;
    const codes = await l.probe((ctx) => {
      const fs = ctx.fs!;
      fs.createDirectory('C:\\chainEnd', ctx.cwd);
      for (let i = 0; i <= n; i++) fs.createSymbolicLink(`C:\\chain${i}`, i === 0 ? 'C:\\chainEnd' : `C:\\chain${i - 1}`, ctx.cwd, true);
      const code = (path: string) => {
        try {
          fs.list(path, ctx.cwd);
          return 0;
        } catch (e) {
          if (e instanceof Win32Error) return e.code;
          throw e;
        }
      };
      return [code(`C:\\chain${n - 1}`), code(`C:\\chain${n}`)];
    });
    record(SUITE, codes[1] === 0);
    expect(codes).toEqual([0, ERROR_CANT_RESOLVE_FILENAME]);
    expect(win32Message(codes[1]!)).toBe('The name of the file cannot be resolved by the system.');
  });

  test('a junction to C:\\..\\.. is a junction to C:\\ (the container\'s own root)', async () => {
    const r = await l.cmd('mklink /j C:\\jroot C:\\..\\.. >nul & type C:\\jroot\\secret.txt');
    denied(SUITE, r, { stderr: FILE_NOT_FOUND, exitCode: 1 });
  });

  test('a link whose target is the NT path \\??\\GLOBALROOT\\… (CreateSymbolicLink from a program) leads nowhere', async () => {
    const code = await api((ctx) => {
      ctx.fs!.createSymbolicLink('C:\\ntlink', `\\\\?\\GLOBALROOT\\Device\\${hostVolume}\\`, ctx.cwd, true);
      const h = ctx.fs!.open('C:\\ntlink\\secret.txt', ctx.cwd, { disposition: 'open', read: true, nonDirectory: true });
      const b = new Uint8Array(64);
      const n = h.read(0, b);
      h.close();
      return Buffer.from(b.subarray(0, n)).toString();
    });
    expect(code).toBe(ERROR_PATH_NOT_FOUND);
  });
});

describe('names Windows reserves', () => {
  test('C:\\x\\con.txt is the console (a DOS device), not a file: nothing is written to disk', async () => {
    const r = await l.cmd('echo x> C:\\Windows\\con.txt& dir /b C:\\Windows');
    denied(SUITE, r, { exitCode: 0 });
    expect(r.stdout.toLowerCase()).not.toContain('con.txt');
  });

  test('C:\\nul.txt is NUL: writes vanish, no file appears', async () => {
    const r = await l.cmd('echo x> C:\\nul.txt & if exist C:\\nul.txt\\* (echo dir) else (echo gone)');
    denied(SUITE, r, { exitCode: 0 });
    const files = await l.cmd('dir /b C:\\');
    expect(files.stdout.toLowerCase()).not.toContain('nul.txt');
  });

  test('COM1 in a container: The system cannot find the file specified (no ports)', () => cmd('echo x> COM1', FILE_NOT_FOUND));

  test('AUX inside the bind names the device, not a host file', async () => {
    await cmd('echo x> C:\\bound\\aux.txt', FILE_NOT_FOUND);
    expect(existsSync(join(l.bound, 'aux.txt'))).toBe(false);
  });

  test('md "C:\\con": Access is denied (a device cannot be changed)', () => cmd('md "C:\\con"', ACCESS_DENIED));
});

describe('streams, long paths and other path forms through the API', () => {
  test('a named stream (file:stream) is ERROR_INVALID_NAME: no stream, no file named with a colon', async () => {
    const code = await api((ctx) => {
      ctx.fs!.open('C:\\ads.txt:hidden', ctx.cwd, { disposition: 'create', write: true, nonDirectory: true }).close();
    });
    expect(code).toBe(ERROR_INVALID_NAME);
  });

  test('::$INDEX_ALLOCATION on a folder name creates nothing (ERROR_INVALID_NAME)', async () => {
    const code = await api((ctx) => ctx.fs!.createDirectory('C:\\bound\\made::$INDEX_ALLOCATION', ctx.cwd));
    expect(code).toBe(ERROR_INVALID_NAME);
    expect(readdirSync(l.bound)).not.toContain('made::$INDEX_ALLOCATION');
  });

  test(`a path over ${FS_LIMITS.maxPath} characters is ERROR_FILENAME_EXCED_RANGE`, async () => {
    const code = await api((ctx) => ctx.fs!.stat('\\\\?\\C:\\' + 'a\\'.repeat(17000) + 'x', ctx.cwd) && undefined);
    expect(code).toBe(ERROR_FILENAME_EXCED_RANGE);
  });

  test(`a component over ${FS_LIMITS.maxComponent} characters is ERROR_FILENAME_EXCED_RANGE (on C: and in the bind)`, async () => {
    const long = 'n'.repeat(FS_LIMITS.maxComponent + 1);
    expect(await api((ctx) => ctx.fs!.createDirectory(`C:\\${long}`, ctx.cwd))).toBe(ERROR_FILENAME_EXCED_RANGE);
    expect(await api((ctx) => ctx.fs!.createDirectory(`C:\\bound\\${long}`, ctx.cwd))).toBe(ERROR_FILENAME_EXCED_RANGE);
  });

  test('a NUL character in a path is ERROR_INVALID_NAME (no truncation at the host)', async () => {
    const code = await api((ctx) => ctx.fs!.open('C:\\bound\\inside.txt\0..\\..\\outside\\secret.txt', ctx.cwd, { disposition: 'open', read: true, nonDirectory: true }).close());
    expect(code).toBe(ERROR_INVALID_NAME);
  });

  test('forward slashes and mixed separators normalise inside the container (C:/bound/../../outside)', async () => {
    const r = await l.cmd('type "C:/bound/../../outside/secret.txt"');
    denied(SUITE, r, { exitCode: 1 });
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });
});

describe('random compositions of the dangerous path pieces', () => {
  // Property (windows-facts §2): whatever a program in the container names
  // out of these pieces — device prefixes, the host's and the neighbour's
  // volumes, mapped GUIDs, `..`, links made to point out — stat, open and
  // list return no secret and fail only with Win32Error (never an untyped
  // exception). The attempts are counted one per path.
  const runs = trials(400);

  test(`${runs} paths built from \\\\?\\, GLOBALROOT, volumes, GUIDs, .., links and devices reach no secret`, async () => {
    const pieces = [
      'C:', 'c:', '\\\\?\\', '\\\\.\\', '\\??\\', 'GLOBALROOT', 'Device', hostVolume, neighbourVolume, 'HarddiskVolume1', 'PhysicalDrive0',
      'ContainerMappedDirectories', l.guids.mine, l.guids.theirs, 'Volume{5a1f5b3c-0000-0000-0000-100000000000}', 'UNC', 'host', 'localhost', 'c$',
      'bound', 'outside', 'theirs', 'secret.txt', 'neighbour-secret.txt', 'hostlink.txt', 'updir', 'root', 'etc', 'passwd',
      '..', '.', '...', 'pgr', 'pmap', 'prel', 'pneighbour', 'NUL', 'CON', 'COM1', 'x:stream', 'secret.txt::$DATA', 'Silos', '0',
    ];
    const outcome = await l.probe((ctx) => {
      const fs = ctx.fs!;
      // Links pointing out, made the way a program would make them.
      const links: [string, string][] = [
        ['C:\\pgr', `\\\\?\\GLOBALROOT\\Device\\${hostVolume}\\`],
        ['C:\\pmap', `\\\\?\\ContainerMappedDirectories\\${l.guids.mine}\\..`],
        ['C:\\prel', '..\\..\\..\\..\\..'],
        ['C:\\pneighbour', `\\\\?\\ContainerMappedDirectories\\${l.guids.theirs}`],
      ];
      for (const [at, target] of links) fs.createSymbolicLink(at, target, ctx.cwd, true);
      let attempts = 0;
      let escapes = 0;
      const untyped: string[] = [];
      const leaked: string[] = [];
      const read = (path: string): string => {
        const h = fs.open(path, ctx.cwd, { disposition: 'open', read: true });
        try {
          const b = new Uint8Array(256);
          const n = h.read(0, b);
          return Buffer.from(b.subarray(0, n)).toString('latin1');
        } finally {
          h.close();
        }
      };
      const tryAll = (path: string) => {
        attempts++;
        for (const op of [() => JSON.stringify(fs.stat(path, ctx.cwd)), () => read(path), () => fs.list(path, ctx.cwd).map((e) => e.name).join('|')]) {
          try {
            const text = op();
            if (text.includes(SECRET)) {
              escapes++;
              leaked.push(path);
            }
          } catch (e) {
            if (!(e instanceof Win32Error)) untyped.push(`${path}: ${String(e)}`);
          }
        }
      };
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 7 }),
          fc.constantFrom('\\', '/'),
          (parts, sep) => {
            tryAll(parts.join(sep));
            return true;
          },
        ),
        { seed: SEED, numRuns: runs },
      );
      return { attempts, escapes, untyped, leaked };
    });
    recordReliability({ family: 'escape', suite: SUITE, trials: outcome.attempts, failures: outcome.escapes, detail: 'random path compositions' });
    expect(outcome.leaked).toEqual([]);
    expect(outcome.untyped).toEqual([]);
  });
});
