// reg add and reg delete: what they store, the Yes/No questions (answered
// on stdin, which a pipe does not echo), /f, and their errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_LIMITS } from '../../../src/shell/programs/admin/limits.js';
import { session, type Session } from './session.js';

const OK = 'The operation completed successfully.\r\n';
const MISSING = 'ERROR: The system was unable to find the specified registry key or value.\r\n';
const CANCELED = 'The operation was canceled by the user.\r\n';

let s: Session;
beforeAll(async () => {
  s = await session();
});
afterAll(async () => {
  await s.close();
});

const value = async (key: string, name: string) => (await s.exec(['reg', 'query', key, '/v', name])).stdout.split('\r\n')[2];

describe('reg add', () => {
  it('creates the key and its parents; with no /v it sets the default value to an empty REG_SZ', async () => {
    expect(await s.exec(['reg', 'add', 'HKCU\\Software\\A1\\B\\C'])).toEqual({ stdout: OK, stderr: '', exitCode: 0 });
    expect((await s.exec(['reg', 'query', 'HKCU\\Software\\A1\\B'])).stdout).toBe('\r\nHKEY_CURRENT_USER\\Software\\A1\\B\\C\r\n');
    expect((await s.exec(['reg', 'query', 'HKCU\\Software\\A1\\B\\C'])).stdout).toBe('\r\nHKEY_CURRENT_USER\\Software\\A1\\B\\C\r\n    (Default)    REG_SZ    \r\n\r\n');
  });

  it('/ve /d sets the default value; REG_DWORD takes decimal and 0x hex', async () => {
    await s.exec(['reg', 'add', 'HKCU\\Software\\A2', '/ve', '/d', 'hello', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\A2', '/v', 'Dec', '/t', 'REG_DWORD', '/d', '31', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\A2', '/v', 'Hex', '/t', 'reg_dword', '/d', '0xFFFFFFFF', '/f']);
    expect((await s.exec(['reg', 'query', 'HKCU\\Software\\A2'])).stdout).toBe(
      '\r\nHKEY_CURRENT_USER\\Software\\A2\r\n    (Default)    REG_SZ    hello\r\n    Dec    REG_DWORD    0x1f\r\n    Hex    REG_DWORD    0xffffffff\r\n\r\n',
    );
  });

  it('data that does not fit the type, an unknown type, /v with /ve: syntax errors with exit code 1', async () => {
    const syntax = { stdout: '', stderr: 'ERROR: Invalid syntax.\r\nType "REG ADD /?" for usage.\r\n', exitCode: 1 };
    expect(await s.exec(['reg', 'add', 'HKCU\\Software\\A3', '/v', 'n', '/t', 'REG_DWORD', '/d', 'abc', '/f'])).toEqual(syntax);
    expect(await s.exec(['reg', 'add', 'HKCU\\Software\\A3', '/v', 'n', '/t', 'REG_DWORD', '/d', '4294967296', '/f'])).toEqual(syntax);
    expect(await s.exec(['reg', 'add', 'HKCU\\Software\\A3', '/v', 'n', '/t', 'REG_BINARY', '/d', 'xyz', '/f'])).toEqual(syntax);
    expect(await s.exec(['reg', 'add', 'HKCU\\Software\\A3', '/v', 'n', '/t', 'REG_NOPE', '/d', 'x', '/f'])).toEqual(syntax);
    expect(await s.exec(['reg', 'add', 'HKCU\\Software\\A3', '/v', 'n', '/ve', '/f'])).toEqual(syntax);
    expect((await s.exec(['reg', 'query', 'HKCU\\Software\\A3'])).exitCode).toBe(1);
  });

  it('asks before overwriting a value: No keeps it, Yes replaces it, /f does not ask', async () => {
    await s.exec(['reg', 'add', 'HKCU\\Software\\A4', '/v', 'a', '/d', 'one', '/f']);
    expect(await s.exec(['reg', 'add', 'HKCU\\Software\\A4', '/v', 'a', '/d', 'two'], 'n\r\n')).toEqual({
      stdout: `Value a exists, overwrite(Yes/No)? ${CANCELED}`,
      stderr: '',
      exitCode: 0,
    });
    expect(await value('HKCU\\Software\\A4', 'a')).toBe('    a    REG_SZ    one');
    expect((await s.exec(['reg', 'add', 'HKCU\\Software\\A4', '/v', 'a', '/d', 'two'], 'maybe\r\nyes\r\n')).stdout).toBe(
      `Value a exists, overwrite(Yes/No)? Value a exists, overwrite(Yes/No)? ${OK}`,
    );
    expect(await value('HKCU\\Software\\A4', 'a')).toBe('    a    REG_SZ    two');
    expect((await s.exec(['reg', 'add', 'HKCU\\Software\\A4', '/v', 'a', '/d', 'three', '/f'])).stdout).toBe(OK);
    expect(await value('HKCU\\Software\\A4', 'a')).toBe('    a    REG_SZ    three');
  });

  it('with no answer at all (end of input) the overwrite is canceled', async () => {
    await s.exec(['reg', 'add', 'HKCU\\Software\\A5', '/v', 'a', '/d', 'one', '/f']);
    expect((await s.exec(['reg', 'add', 'HKCU\\Software\\A5', '/v', 'a', '/d', 'two'], '')).stdout).toBe(`Value a exists, overwrite(Yes/No)? ${CANCELED}`);
  });

  it('a question answered with neither Y nor N ADMIN_LIMITS.maxPromptAnswers times counts as No', async () => {
    await s.exec(['reg', 'add', 'HKCU\\Software\\A7', '/v', 'a', '/d', 'one', '/f']);
    const r = await s.exec(['reg', 'add', 'HKCU\\Software\\A7', '/v', 'a', '/d', 'two'], 'what?\r\n'.repeat(ADMIN_LIMITS.maxPromptAnswers + 5));
    expect(r.stdout).toBe('Value a exists, overwrite(Yes/No)? '.repeat(ADMIN_LIMITS.maxPromptAnswers) + CANCELED);
    expect(await value('HKCU\\Software\\A7', 'a')).toBe('    a    REG_SZ    one');
  });

  it('REG_MULTI_SZ splits at \\0 or at the /s character', async () => {
    await s.exec(['reg', 'add', 'HKCU\\Software\\A6', '/v', 'm', '/t', 'REG_MULTI_SZ', '/d', 'x;y;z', '/s', ';', '/f']);
    expect(await value('HKCU\\Software\\A6', 'm')).toBe('    m    REG_MULTI_SZ    x\\0y\\0z');
  });

  it('a root key cannot be given values', async () => {
    expect(await s.exec(['reg', 'add', 'HKCU', '/v', 'x', '/d', 'y', '/f'])).toEqual({ stdout: '', stderr: 'ERROR: Invalid key name.\r\nType "REG ADD /?" for usage.\r\n', exitCode: 1 });
  });
});

describe('reg delete', () => {
  it('asks before deleting a key, after a blank line; Yes deletes it and its subkeys, with a blank line before the success message', async () => {
    await s.exec(['reg', 'add', 'HKCU\\Software\\D1\\Sub', '/v', 'x', '/d', '1', '/f']);
    expect(await s.exec(['reg', 'delete', 'HKCU\\Software\\D1'], 'No\r\n')).toEqual({
      stdout: `\r\nPermanently delete the registry key HKEY_CURRENT_USER\\Software\\D1 (Yes/No)? ${CANCELED}`,
      stderr: '',
      exitCode: 0,
    });
    expect((await s.exec(['reg', 'query', 'HKCU\\Software\\D1\\Sub'])).exitCode).toBe(0);
    expect(await s.exec(['reg', 'delete', 'HKCU\\Software\\D1'], 'Yes\r\n')).toEqual({
      stdout: `\r\nPermanently delete the registry key HKEY_CURRENT_USER\\Software\\D1 (Yes/No)? \r\n${OK}`,
      stderr: '',
      exitCode: 0,
    });
    expect(await s.exec(['reg', 'query', 'HKCU\\Software\\D1'])).toEqual({ stdout: '', stderr: MISSING, exitCode: 1 });
  });

  it('/v deletes one value, /ve the default value, /va all values, keeping subkeys', async () => {
    await s.exec(['reg', 'add', 'HKCU\\Software\\D2', '/ve', '/d', 'd', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\D2', '/v', 'a', '/d', '1', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\D2', '/v', 'b', '/d', '2', '/f']);
    await s.exec(['reg', 'add', 'HKCU\\Software\\D2\\Sub', '/f']);
    expect(await s.exec(['reg', 'delete', 'HKCU\\Software\\D2', '/v', 'a'], 'y\r\n')).toEqual({
      stdout: `Delete the registry value a (Yes/No)? ${OK}`,
      stderr: '',
      exitCode: 0,
    });
    expect((await s.exec(['reg', 'delete', 'HKCU\\Software\\D2', '/ve', '/f'])).stdout).toBe(OK);
    expect((await s.exec(['reg', 'query', 'HKCU\\Software\\D2'])).stdout).toBe('\r\nHKEY_CURRENT_USER\\Software\\D2\r\n    b    REG_SZ    2\r\n\r\nHKEY_CURRENT_USER\\Software\\D2\\Sub\r\n');
    expect((await s.exec(['reg', 'delete', 'HKCU\\Software\\D2', '/va'], 'yes\r\n')).stdout).toBe(`Delete all values under the registry key HKEY_CURRENT_USER\\Software\\D2 (Yes/No)? ${OK}`);
    expect((await s.exec(['reg', 'query', 'HKCU\\Software\\D2'])).stdout).toBe('\r\nHKEY_CURRENT_USER\\Software\\D2\\Sub\r\n');
  });

  it('a missing key or value fails at once, without a question', async () => {
    expect(await s.exec(['reg', 'delete', 'HKCU\\Software\\Nope'], 'y\r\n')).toEqual({ stdout: '', stderr: MISSING, exitCode: 1 });
    await s.exec(['reg', 'add', 'HKCU\\Software\\D3', '/f']);
    expect(await s.exec(['reg', 'delete', 'HKCU\\Software\\D3', '/v', 'nope', '/f'])).toEqual({ stdout: '', stderr: MISSING, exitCode: 1 });
  });

  it('deleting a key the image holds hides it in this container only', async () => {
    const key = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
    expect((await s.exec(['reg', 'delete', key, '/v', 'CurrentBuild', '/f'])).stdout).toBe(OK);
    expect((await s.exec(['reg', 'query', key, '/v', 'CurrentBuild'])).exitCode).toBe(1);
    const other = await session();
    try {
      expect((await other.exec(['reg', 'query', key, '/v', 'CurrentBuild'])).exitCode).toBe(0);
    } finally {
      await other.close();
    }
  });
});
