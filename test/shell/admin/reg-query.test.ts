// reg query: the output shape Wine's reg tests pin against Windows (blank
// line first, key line only for a key with values, four-space value lines,
// subkeys listed without a trailing blank line, /s blocks), value formats,
// searches and errors.
import { describe, expect, it } from 'vitest';
import { NANOSERVER, run } from '../support.js';
import { session } from './session.js';

const CV = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
const MISSING = 'ERROR: The system was unable to find the specified registry key or value.\r\n';

/** Runs commands one after another in one container; the result is the last one's, its stdout after the others'. */
async function regs(...commands: string[][]) {
  const s = await session();
  try {
    let stdout = '';
    let last = { stdout: '', stderr: '', exitCode: 0 };
    for (const c of commands) {
      last = await s.exec(c);
      stdout += last.stdout;
    }
    return { ...last, stdout };
  } finally {
    await s.close();
  }
}

describe('reg query /v', () => {
  it('prints a blank line, the key as typed under its long root name, the value line and a blank line', async () => {
    const r = await run(['reg', 'query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', '/v', 'CurrentBuild']);
    expect(r).toEqual({ stdout: `\r\n${CV}\r\n    CurrentBuild    REG_SZ    20348\r\n\r\n`, stderr: '', exitCode: 0 });
  });

  it('keeps the path as typed (case included) and drops a trailing backslash', async () => {
    const r = await run(['reg', 'query', 'hklm\\software\\microsoft\\windows nt\\currentversion\\', '/v', 'currentbuild']);
    expect(r.stdout).toBe('\r\nHKEY_LOCAL_MACHINE\\software\\microsoft\\windows nt\\currentversion\r\n    CurrentBuild    REG_SZ    20348\r\n\r\n');
  });

  it('shows REG_DWORD and REG_QWORD as 0x and lower-case hex without padding', async () => {
    const r = await run(['reg', 'query', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', '/v', 'CurrentMajorVersionNumber']);
    expect(r.stdout).toBe(`\r\n${CV}\r\n    CurrentMajorVersionNumber    REG_DWORD    0xa\r\n\r\n`);
  });

  it('a missing value is an error on stderr with exit code 1', async () => {
    const r = await run(['reg', 'query', CV, '/v', 'NoSuchValue']);
    expect(r).toEqual({ stdout: '', stderr: MISSING, exitCode: 1 });
  });

  it('/ve on a key without a default value prints (value not set)', async () => {
    const r = await run(['reg', 'query', CV, '/ve']);
    expect(r).toEqual({ stdout: `\r\n${CV}\r\n    (Default)    REG_SZ    (value not set)\r\n\r\n`, stderr: '', exitCode: 0 });
  });
});

describe('reg query of a key', () => {
  it('lists values, a blank line, then the subkeys with no blank line after them', async () => {
    const r = await regs(
      ['reg', 'add', 'HKCU\\Software\\T', '/v', 'Test1', '/d', 'Hello, World', '/f'],
      ['reg', 'add', 'HKCU\\Software\\T', '/v', 'Test2', '/t', 'REG_DWORD', '/d', '0x123', '/f'],
      ['reg', 'add', 'HKCU\\Software\\T\\subkey', '/v', 'x', '/d', 'y', '/f'],
      ['reg', 'delete', 'HKCU\\Software\\T', '/ve', '/f'],
      ['reg', 'query', 'HKCU\\Software\\T'],
    );
    expect(r.stdout.split('The operation completed successfully.\r\n').pop()).toBe(
      '\r\nHKEY_CURRENT_USER\\Software\\T\r\n    Test1    REG_SZ    Hello, World\r\n    Test2    REG_DWORD    0x123\r\n\r\nHKEY_CURRENT_USER\\Software\\T\\subkey\r\n',
    );
  });

  it('a key with no values prints no line of its own, only its subkeys', async () => {
    const r = await run(['reg', 'query', 'HKCU']);
    expect(r.stdout).toBe('\r\nHKEY_CURRENT_USER\\Console\r\nHKEY_CURRENT_USER\\Control Panel\r\nHKEY_CURRENT_USER\\Environment\r\nHKEY_CURRENT_USER\\Software\r\n');
  });

  it('/s prints every key below with its values and a blank line, without a summary', async () => {
    const r = await regs(
      ['reg', 'add', 'HKCU\\Software\\T\\a', '/v', 'v', '/d', '1', '/f'],
      ['reg', 'add', 'HKCU\\Software\\T\\b', '/f'],
      ['reg', 'delete', 'HKCU\\Software\\T\\a', '/ve', '/f'],
      ['reg', 'delete', 'HKCU\\Software\\T\\b', '/ve', '/f'],
      ['reg', 'delete', 'HKCU\\Software\\T', '/ve', '/f'],
      ['reg', 'query', 'HKCU\\Software\\T', '/s'],
    );
    expect(r.stdout.split('The operation completed successfully.\r\n').pop()).toBe(
      '\r\nHKEY_CURRENT_USER\\Software\\T\\a\r\n    v    REG_SZ    1\r\n\r\nHKEY_CURRENT_USER\\Software\\T\\b\r\n\r\n',
    );
  });

  it('/v with /s lists each key holding the value and ends with the count of matches', async () => {
    const r = await regs(
      ['reg', 'add', 'HKCU\\Software\\T', '/v', 'Wine', '/d', 'First instance', '/f'],
      ['reg', 'add', 'HKCU\\Software\\T\\subkey', '/v', 'Wine', '/d', 'Second instance', '/f'],
      ['reg', 'query', 'HKCU\\Software\\T', '/v', 'Wine', '/s'],
    );
    expect(r.stdout.split('The operation completed successfully.\r\n').pop()).toBe(
      '\r\nHKEY_CURRENT_USER\\Software\\T\r\n    Wine    REG_SZ    First instance\r\n\r\nHKEY_CURRENT_USER\\Software\\T\\subkey\r\n    Wine    REG_SZ    Second instance\r\n\r\nEnd of search: 2 match(es) found.\r\n',
    );
  });

  it('a missing key is an error on stderr with exit code 1', async () => {
    expect(await run(['reg', 'query', 'HKLM\\SOFTWARE\\NoSuchKey'])).toEqual({ stdout: '', stderr: MISSING, exitCode: 1 });
  });

  it('every root spelling names the same key', async () => {
    for (const root of ['HKCU', 'hkcu', 'HKEY_CURRENT_USER', 'hkey_current_user']) {
      const r = await run(['reg', 'query', `${root}\\Environment`, '/v', 'TEMP']);
      expect(r.stdout.split('\r\n')[1]).toBe('HKEY_CURRENT_USER\\Environment');
      expect(r.exitCode).toBe(0);
    }
    // HKCC is left out: the images' SYSTEM hive has no Hardware Profiles key for it to reach (reported).
    for (const [short, long] of [['HKLM', 'HKEY_LOCAL_MACHINE'], ['HKU', 'HKEY_USERS'], ['HKCR', 'HKEY_CLASSES_ROOT']]) {
      const r = await run(['reg', 'query', short!]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout.split('\r\n')[1]!.startsWith(`${long}\\`)).toBe(true);
    }
  });
});

describe('value formats', () => {
  it('REG_MULTI_SZ shows \\0 between strings, REG_BINARY and REG_NONE upper-case hex, REG_EXPAND_SZ as stored', async () => {
    const r = await regs(
      ['reg', 'add', 'HKCU\\Software\\F', '/v', 'Multi', '/t', 'REG_MULTI_SZ', '/d', 'a\\0b\\0c', '/f'],
      ['reg', 'add', 'HKCU\\Software\\F', '/v', 'Bin', '/t', 'REG_BINARY', '/d', 'deadBEEF', '/f'],
      ['reg', 'add', 'HKCU\\Software\\F', '/v', 'None', '/t', 'REG_NONE', '/f'],
      ['reg', 'add', 'HKCU\\Software\\F', '/v', 'Exp', '/t', 'REG_EXPAND_SZ', '/d', '%SystemRoot%\\x', '/f'],
      ['reg', 'add', 'HKCU\\Software\\F', '/v', 'Q', '/t', 'REG_QWORD', '/d', '4294967296', '/f'],
      ['reg', 'add', 'HKCU\\Software\\F', '/v', 'Empty', '/f'],
      ['reg', 'query', 'HKCU\\Software\\F'],
    );
    expect(r.stdout.split('The operation completed successfully.\r\n').pop()).toBe(
      '\r\nHKEY_CURRENT_USER\\Software\\F\r\n' +
        '    Multi    REG_MULTI_SZ    a\\0b\\0c\r\n' +
        '    Bin    REG_BINARY    DEADBEEF\r\n' +
        '    None    REG_NONE    \r\n' +
        '    Exp    REG_EXPAND_SZ    %SystemRoot%\\x\r\n' +
        '    Q    REG_QWORD    0x100000000\r\n' +
        '    Empty    REG_SZ    \r\n\r\n',
    );
  });

  it('/se changes the REG_MULTI_SZ separator shown and /z adds the type number', async () => {
    const r = await regs(
      ['reg', 'add', 'HKCU\\Software\\F', '/v', 'Multi', '/t', 'REG_MULTI_SZ', '/s', '#', '/d', 'a#b', '/f'],
      ['reg', 'query', 'HKCU\\Software\\F', '/v', 'Multi', '/se', ',', '/z'],
    );
    expect(r.stdout).toContain('\r\n    Multi    REG_MULTI_SZ (7)    a,b\r\n');
  });
});

describe('reg query /f', () => {
  const setup = [
    ['reg', 'add', 'HKCU\\Software\\S', '/v', 'Colour', '/d', 'Teal', '/f'],
    ['reg', 'add', 'HKCU\\Software\\S\\Teal', '/v', 'n', '/t', 'REG_DWORD', '/d', '7', '/f'],
  ];
  const after = (out: string) => out.split('The operation completed successfully.\r\n').pop();

  it('matches key names, value names and data as a case-insensitive substring, and counts them', async () => {
    const r = await regs(...setup, ['reg', 'query', 'HKCU\\Software\\S', '/f', 'tea', '/s']);
    expect(after(r.stdout)).toBe(
      '\r\nHKEY_CURRENT_USER\\Software\\S\r\n    Colour    REG_SZ    Teal\r\n\r\nHKEY_CURRENT_USER\\Software\\S\\Teal\r\n\r\nEnd of search: 2 match(es) found.\r\n',
    );
    expect(r.exitCode).toBe(0);
  });

  it('/k searches key names only, /d data only', async () => {
    const k = await regs(...setup, ['reg', 'query', 'HKCU\\Software\\S', '/f', 'Teal', '/s', '/k']);
    expect(after(k.stdout)).toBe('\r\nHKEY_CURRENT_USER\\Software\\S\\Teal\r\n\r\nEnd of search: 1 match(es) found.\r\n');
    const d = await regs(...setup, ['reg', 'query', 'HKCU\\Software\\S', '/f', 'Teal', '/s', '/d']);
    expect(after(d.stdout)).toBe('\r\nHKEY_CURRENT_USER\\Software\\S\r\n    Colour    REG_SZ    Teal\r\n\r\nEnd of search: 1 match(es) found.\r\n');
  });

  it('/c makes it case-sensitive and /e exact; finding nothing exits with 1', async () => {
    const c = await regs(...setup, ['reg', 'query', 'HKCU\\Software\\S', '/f', 'teal', '/s', '/c']);
    expect(after(c.stdout)).toBe('\r\nEnd of search: 0 match(es) found.\r\n');
    expect(c.exitCode).toBe(1);
    const e = await regs(...setup, ['reg', 'query', 'HKCU\\Software\\S', '/f', 'Tea', '/s', '/e']);
    expect(after(e.stdout)).toBe('\r\nEnd of search: 0 match(es) found.\r\n');
  });

  it('/v without a name limits the search to value names', async () => {
    const r = await regs(...setup, ['reg', 'add', 'HKCU\\Software\\S', '/v', 'x', '/d', 'colour', '/f'], ['reg', 'query', 'HKCU\\Software\\S', '/f', 'colour', '/v']);
    expect(after(r.stdout)).toBe('\r\nHKEY_CURRENT_USER\\Software\\S\r\n    Colour    REG_SZ    Teal\r\n\r\nEnd of search: 1 match(es) found.\r\n');
  });

  it('/t keeps the values of the given types', async () => {
    const r = await regs(...setup, ['reg', 'query', 'HKCU\\Software\\S', '/s', '/t', 'REG_DWORD']);
    expect(after(r.stdout)).toBe('\r\nHKEY_CURRENT_USER\\Software\\S\\Teal\r\n    n    REG_DWORD    0x7\r\n\r\nEnd of search: 1 match(es) found.\r\n');
  });
});

describe('images and paths', () => {
  it('Nano Server has reg.exe too, and the SysWOW64 copy on Server Core answers the same', async () => {
    const nano = await run(['reg', 'query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', '/v', 'CurrentBuild'], { image: NANOSERVER });
    expect(nano).toEqual({ stdout: `\r\n${CV}\r\n    CurrentBuild    REG_SZ    20348\r\n\r\n`, stderr: '', exitCode: 0 });
    const wow = await run(['C:\\Windows\\SysWOW64\\reg.exe', 'query', CV, '/v', 'CurrentBuild']);
    expect(wow.stdout).toBe(nano.stdout);
  });
});

describe('reg usage errors', () => {
  it('no operation, an unknown operation, an unknown switch, a repeated switch, a bad root', async () => {
    expect(await run(['reg'])).toEqual({ stdout: '', stderr: 'ERROR: Invalid syntax.\r\nType "REG /?" for usage.\r\n', exitCode: 1 });
    expect(await run(['reg', 'frob'])).toEqual({ stdout: '', stderr: "ERROR: Invalid argument/option - 'frob'.\r\nType \"REG /?\" for usage.\r\n", exitCode: 1 });
    expect(await run(['reg', 'query', 'HKCU', '/zz'])).toEqual({ stdout: '', stderr: "ERROR: Invalid argument/option - '/zz'.\r\nType \"REG QUERY /?\" for usage.\r\n", exitCode: 1 });
    expect(await run(['reg', 'query', 'HKCU', '/s', '/s'])).toEqual({ stdout: '', stderr: 'ERROR: Invalid syntax.\r\nType "REG QUERY /?" for usage.\r\n', exitCode: 1 });
    expect(await run(['reg', 'query', 'HKCU', '/v'])).toMatchObject({ stderr: 'ERROR: Invalid syntax.\r\nType "REG QUERY /?" for usage.\r\n', exitCode: 1 });
    expect(await run(['reg', 'query', 'HKXX\\Software'])).toEqual({ stdout: '', stderr: 'ERROR: Invalid key name.\r\nType "REG QUERY /?" for usage.\r\n', exitCode: 1 });
    expect(await run(['reg', 'query'])).toMatchObject({ stderr: 'ERROR: Invalid syntax.\r\nType "REG QUERY /?" for usage.\r\n', exitCode: 1 });
  });

  it('reg /? prints the operation list, reg OP /? the operation\'s syntax; both exit with 0', async () => {
    const r = await run(['reg', '/?']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.startsWith('\r\nREG Operation [Parameter List]\r\n')).toBe(true);
    const q = await run(['reg', 'query', '/?']);
    expect(q.exitCode).toBe(0);
    expect(q.stdout.startsWith('\r\nREG QUERY KeyName [/v [ValueName] | /ve] [/s]\r\n')).toBe(true);
    expect((await run(['reg', 'ADD', '-?'])).stdout.startsWith('\r\nREG ADD KeyName [{/v ValueName | /ve}]')).toBe(true);
  });
});
