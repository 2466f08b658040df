// Escapes through the registry (windows-facts §2, §4; CVE-2021-24096 is the
// registry member of the escape class): a container's registry is its own
// union of the image's hives with its delta on top, mounted under
// \REGISTRY\MACHINE and \REGISTRY\USER of the container alone. Link keys
// are the kernel's (CurrentControlSet, Hardware Profiles\Current): a
// container cannot make one, a REG_LINK value is only a value, and no path
// names the host's hives or another container's.
import { beforeAll, describe, expect, test } from 'vitest';
import { ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND, ERROR_INVALID_PARAMETER, Win32Error } from '../../src/core/win32.js';
import { REG_LINK } from '../../src/kernel/registry/types.js';
import { denied, lab, record, type Lab } from './support.js';

const SUITE = 'registry';
const CANNOT_FIND = 'ERROR: The system was unable to find the specified registry key or value.\r\n';

let l: Lab;

beforeAll(async () => {
  l = await lab();
});

async function reg(line: string, stderr: string | RegExp, exitCode = 1): Promise<void> {
  denied(SUITE, await l.cmd(line), { stderr, exitCode });
}

/** A registry call from a program in the container: its Win32 error code, 0 on success. */
async function api(fn: (r: NonNullable<Parameters<Parameters<Lab['probe']>[0]>[0]['registry']>) => unknown): Promise<number> {
  return l.probe((ctx) => {
    try {
      fn(ctx.registry!);
      return 0;
    } catch (e) {
      if (e instanceof Win32Error) return e.code;
      throw e;
    }
  });
}

describe('naming the host\'s registry or another container\'s', () => {
  test('\\Registry\\Machine\\… (the NT path of HKLM) is not a key name reg accepts', () =>
    reg('reg query \\Registry\\Machine\\SOFTWARE', 'ERROR: Invalid key name.\r\nType "REG QUERY /?" for usage.\r\n'));

  // Real reg.exe would try the remote registry service and answer "ERROR: The
  // network path was not found."; winsilo's reg refuses the \\machine form
  // as a key name (see the report). Either way nothing is reached.
  test('\\\\host\\HKLM (the remote-registry form) reaches no other machine', () =>
    reg('reg query \\\\host\\HKLM\\SOFTWARE', /^ERROR: (Invalid key name\.|The network path was not found\.)\r\n/));

  test('`..` is a key name: HKLM\\..\\..\\SOFTWARE does not exist', () => reg('reg query HKLM\\..\\..\\SOFTWARE', CANNOT_FIND));

  test('HKU holds only the container\'s own users: the host\'s SYSTEM profile (S-1-5-18) is not there', () =>
    reg('reg query HKU\\S-1-5-18', CANNOT_FIND));

  test('PowerShell Registry::\\Registry\\Machine is not a path', async () => {
    const r = await l.powershell("Get-Item 'Registry::\\Registry\\Machine\\SOFTWARE'");
    denied(SUITE, r, { stderr: /^Get-Item : Cannot find path 'Registry:\\Machine\\SOFTWARE' because it does not exist\./, exitCode: 1 });
  });

  test('PowerShell Registry::HKEY_LOCAL_MACHINE\\.. stays at HKLM (the provider\'s root)', async () => {
    const r = await l.powershell("(Get-ChildItem 'Registry::HKEY_LOCAL_MACHINE\\..' | ForEach-Object { $_.PSChildName }) -join ','");
    denied(SUITE, r, { stdout: 'SAM,SECURITY,SOFTWARE,SYSTEM\r\n', exitCode: 0 });
  });
});

describe('links out of the container\'s hive view', () => {
  test('reg add /t REG_LINK is refused: a container cannot make a link key', () =>
    reg('reg add HKLM\\SOFTWARE\\esc /v SymbolicLinkValue /t REG_LINK /d \\Registry\\Machine\\SOFTWARE /f', 'ERROR: Invalid syntax.\r\nType "REG ADD /?" for usage.\r\n'));

  test('a REG_LINK SymbolicLinkValue set through the API is a value, not a link: the key does not redirect', async () => {
    const set = await api((r) => {
      r.createKey('HKLM\\SOFTWARE\\apiLink');
      r.setValue('HKLM\\SOFTWARE\\apiLink', { name: 'SymbolicLinkValue', type: REG_LINK, data: '\\Registry\\Machine\\SYSTEM' });
    });
    expect(set).toBe(0);
    const code = await api((r) => r.enumKeys('HKLM\\SOFTWARE\\apiLink\\ControlSet001'));
    record(SUITE, code === 0);
    expect(code).toBe(ERROR_FILE_NOT_FOUND);
  });

  test('creating a key directly under HKLM (a new mount in the master hive): ERROR_INVALID_PARAMETER', async () => {
    await reg('reg add HKLM\\Host /f', 'ERROR: The parameter is incorrect.\r\n');
    expect(await api((r) => r.createKey('HKLM\\Host'))).toBe(ERROR_INVALID_PARAMETER);
  });

  test('deleting a hive root (HKLM\\SOFTWARE): Access is denied', () => reg('reg delete HKLM\\SOFTWARE /f', 'ERROR: Access is denied.\r\n'));

  test('values on HKLM itself (the master hive): ERROR_ACCESS_DENIED', async () => {
    const code = await api((r) => r.setValue('HKLM', { name: 'x', type: 1, data: 'y' }));
    record(SUITE, code === 0);
    expect(code).toBe(ERROR_ACCESS_DENIED);
  });
});

describe('hive files and other containers', () => {
  test('reg load (a hive file mounted into the registry) is not served: ERROR: The request is not supported.', () =>
    reg('reg load HKLM\\esc C:\\Windows\\System32\\config\\SOFTWARE', 'ERROR: The request is not supported.\r\n'));

  test('reg unload of a container hive is not served either', () => reg('reg unload HKLM\\SOFTWARE', 'ERROR: The request is not supported.\r\n'));

  test('reg export to \\\\?\\GLOBALROOT\\Device\\<host volume> is The system cannot find the path specified', () =>
    reg(`reg export HKLM\\SOFTWARE\\Microsoft \\\\?\\GLOBALROOT\\Device\\${l.host.kernel.host.volume}\\x.reg`, 'ERROR: The system cannot find the path specified.\r\n'));

  test('reg import from a UNC share opens nothing', () =>
    reg('reg import \\\\host\\share\\x.reg', 'ERROR: Error opening the file. There may be a disk or file system error.\r\n'));

  test('a key planted in one container is not in its neighbour, nor in a new container of the image', async () => {
    const add = await l.cmd('reg add HKLM\\SOFTWARE\\Planted /v Secret /d x /f');
    expect(add.exitCode).toBe(0);
    const seen = await l.neighbour.exec({ cmd: ['cmd', '/c', 'reg query HKLM\\SOFTWARE\\Planted'] });
    const [out, code] = await Promise.all([drain(seen.stderr), seen.wait()]);
    record(SUITE, code === 0);
    expect(out).toBe(CANNOT_FIND);
  });

  test("deleting CurrentControlSet in one container leaves the neighbour's services", async () => {
    const del = await l.cmd('reg delete HKLM\\SYSTEM\\CurrentControlSet\\Services\\CExecSvc /f');
    expect(del.exitCode).toBe(0);
    const seen = await l.neighbour.exec({ cmd: ['cmd', '/c', 'reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\CExecSvc /v Start'] });
    const [out, code] = await Promise.all([drain(seen.stdout), seen.wait()]);
    record(SUITE, code !== 0);
    expect(code).toBe(0);
    expect(out).toContain('Start    REG_DWORD');
  });
});

async function drain(r: { read(): Promise<Uint8Array | null> } | null): Promise<string> {
  if (!r) return '';
  const parts: Uint8Array[] = [];
  for (let c = await r.read(); c !== null; c = await r.read()) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}
