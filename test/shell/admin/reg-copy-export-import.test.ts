// reg copy, reg export (the .reg file regedit 5.00 writes: UTF-16LE with a
// BOM, CRLF, hex data wrapped at 77 columns) and reg import.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { session, type Session } from './session.js';

const OK = 'The operation completed successfully.\r\n';

let s: Session;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'winsilo-reg-'));
  s = await session(undefined, [{ hostPath: dir, containerPath: 'C:\\t', readOnly: false }]);
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

describe('reg copy', () => {
  it('copies values; /s copies subkeys too; values only in the destination stay', async () => {
    await s.exec(['reg', 'add', 'HKCU\\Software\\C1\\Sub', '/v', 's', '/d', 'deep', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\C1', '/v', 'a', '/d', '1', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\C2', '/v', 'mine', '/d', 'kept', '/f']);
    expect(await s.exec(['reg', 'copy', 'HKCU\\Software\\C1', 'HKCU\\Software\\C2'])).toEqual({ stdout: OK, stderr: '', exitCode: 0 });
    expect((await s.exec(['reg', 'query', 'HKCU\\Software\\C2'])).stdout).toBe('\r\nHKEY_CURRENT_USER\\Software\\C2\r\n    mine    REG_SZ    kept\r\n    a    REG_SZ    1\r\n\r\n');
    expect((await s.exec(['reg', 'copy', 'HKCU\\Software\\C1', 'HKCU\\Software\\C3', '/s', '/f'])).stdout).toBe(OK);
    expect((await s.exec(['reg', 'query', 'HKCU\\Software\\C3\\Sub', '/v', 's'])).stdout).toContain('    s    REG_SZ    deep\r\n');
  });

  it('asks before overwriting a value in the destination', async () => {
    await s.exec(['reg', 'add', 'HKCU\\Software\\C4', '/v', 'a', '/d', 'old', '/f']);
    const r = await s.exec(['reg', 'copy', 'HKCU\\Software\\C1', 'HKCU\\Software\\C4'], 'n\r\n');
    expect(r.stdout).toBe(`Value a exists, overwrite(Yes/No)? ${OK}`);
    expect((await s.exec(['reg', 'query', 'HKCU\\Software\\C4', '/v', 'a'])).stdout).toContain('    a    REG_SZ    old\r\n');
  });

  it('refuses a missing source and a copy onto itself', async () => {
    expect((await s.exec(['reg', 'copy', 'HKCU\\Software\\Nope', 'HKCU\\Software\\C5'])).exitCode).toBe(1);
    expect(await s.exec(['reg', 'copy', 'HKCU\\Software\\C1', 'hkcu\\software\\c1', '/f'])).toEqual({
      stdout: '',
      stderr: 'ERROR: The source and destination keys cannot be the same.\r\n',
      exitCode: 1,
    });
  });
});

describe('reg export', () => {
  it('writes UTF-16LE with a BOM: header, [key], values in creation order, subkeys after their parent', async () => {
    await s.exec(['reg', 'add', 'HKCU\\Software\\E1', '/v', 'DWORD', '/t', 'REG_DWORD', '/d', '256', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\E1', '/v', 'String', '/d', 'Your "text" C:\\here', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\E1\\Sub', '/ve', '/d', 'Default value name', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\E1\\Sub', '/v', 'Binary', '/t', 'REG_BINARY', '/d', '11223344', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\E1\\Sub', '/v', 'Multiple strings', '/t', 'REG_MULTI_SZ', '/d', 'Line1\\0Line2\\0Line3', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\E1\\Sub', '/v', 'String expansion', '/t', 'REG_EXPAND_SZ', '/d', '%HOME%\\%PATH%', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\E1\\Sub', '/v', 'Q', '/t', 'REG_QWORD', '/d', '0x1122334455667788', '/f']);
    expect(await s.exec(['reg', 'export', 'HKCU\\Software\\E1', 'C:\\t\\e1.reg'])).toEqual({ stdout: OK, stderr: '', exitCode: 0 });
    const expected =
      'Windows Registry Editor Version 5.00\r\n\r\n' +
      '[HKEY_CURRENT_USER\\Software\\E1]\r\n' +
      '"DWORD"=dword:00000100\r\n' +
      '"String"="Your \\"text\\" C:\\\\here"\r\n\r\n' +
      '[HKEY_CURRENT_USER\\Software\\E1\\Sub]\r\n' +
      '@="Default value name"\r\n' +
      '"Binary"=hex:11,22,33,44\r\n' +
      '"Multiple strings"=hex(7):4c,00,69,00,6e,00,65,00,31,00,00,00,4c,00,69,00,6e,\\\r\n' +
      '  00,65,00,32,00,00,00,4c,00,69,00,6e,00,65,00,33,00,00,00,00,00\r\n' +
      '"String expansion"=hex(2):25,00,48,00,4f,00,4d,00,45,00,25,00,5c,00,25,00,50,\\\r\n' +
      '  00,41,00,54,00,48,00,25,00,00,00\r\n' +
      '"Q"=hex(b):88,77,66,55,44,33,22,11\r\n\r\n';
    expect(readFileSync(join(dir, 'e1.reg')).equals(utf16(expected))).toBe(true);
  });

  it('asks before replacing a file, unless /y', async () => {
    writeFileSync(join(dir, 'e2.reg'), 'old');
    const r = await s.exec(['reg', 'export', 'HKCU\\Software\\E1', 'C:\\t\\e2.reg'], 'n\r\n');
    expect(r.stdout).toBe('File C:\\t\\e2.reg already exists. Overwrite (Yes/No)? The operation was canceled by the user.\r\n');
    expect(readFileSync(join(dir, 'e2.reg'), 'utf8')).toBe('old');
    expect((await s.exec(['reg', 'export', 'HKCU\\Software\\E1', 'C:\\t\\e2.reg', '/y'])).stdout).toBe(OK);
    expect(readFileSync(join(dir, 'e2.reg')).subarray(0, 2).equals(Buffer.from([0xff, 0xfe]))).toBe(true);
  });

  it('a missing key is an error', async () => {
    expect((await s.exec(['reg', 'export', 'HKCU\\Software\\Nope', 'C:\\t\\x.reg'])).exitCode).toBe(1);
  });
});

describe('reg import', () => {
  it('round-trips an export: every type comes back', async () => {
    await s.exec(['reg', 'export', 'HKCU\\Software\\E1', 'C:\\t\\rt.reg', '/y']);
    const before = (await s.exec(['reg', 'query', 'HKCU\\Software\\E1', '/s'])).stdout;
    await s.exec(['reg', 'delete', 'HKCU\\Software\\E1', '/f']);
    expect(await s.exec(['reg', 'import', 'C:\\t\\rt.reg'])).toEqual({ stdout: OK, stderr: '', exitCode: 0 });
    expect((await s.exec(['reg', 'query', 'HKCU\\Software\\E1', '/s'])).stdout).toBe(before);
  });

  it('reads UTF-8 and REGEDIT4 files, deletes with [-KEY] and "name"=-', async () => {
    writeFileSync(
      join(dir, 'i1.reg'),
      'REGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\I1]\n"a"="x"\n"b"=dword:0000000a\n"c"=hex(2):25,41,25,00\n; a comment\n\n[HKEY_CURRENT_USER\\Software\\I1\\Gone]\n\n[-HKEY_CURRENT_USER\\Software\\I1\\Gone]\n\n[HKEY_CURRENT_USER\\Software\\I1]\n"a"=-\n',
    );
    expect((await s.exec(['reg', 'import', 'C:\\t\\i1.reg'])).stdout).toBe(OK);
    expect((await s.exec(['reg', 'query', 'HKCU\\Software\\I1'])).stdout).toBe('\r\nHKEY_CURRENT_USER\\Software\\I1\r\n    b    REG_DWORD    0xa\r\n    c    REG_EXPAND_SZ    %A%\r\n\r\n');
  });

  it('a missing file and a file that is not a registry script are errors', async () => {
    expect(await s.exec(['reg', 'import', 'C:\\t\\nope.reg'])).toEqual({
      stdout: '',
      stderr: 'ERROR: Error opening the file. There may be a disk or file system error.\r\n',
      exitCode: 1,
    });
    writeFileSync(join(dir, 'bad.reg'), 'hello\r\n');
    expect(await s.exec(['reg', 'import', 'C:\\t\\bad.reg'])).toEqual({ stdout: '', stderr: 'ERROR: Error accessing the registry.\r\n', exitCode: 1 });
  });
});
