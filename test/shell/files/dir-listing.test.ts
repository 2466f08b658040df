import { describe, expect, it } from 'vitest';
import { commands } from './harness.js';
import { HEADER, normaliseListing } from './normalise.js';

const T = '11/23/2026  12:00 PM';
const SETUP = ['md C:\\x\\sub', 'write C:\\x\\a.txt hello', 'write C:\\x\\big.bin ' + 'z'.repeat(1234), 'write C:\\x\\sub\\b.log bye!', 'cd C:\\x'];

describe('dir: the listing format', () => {
  it('header, Directory of, . and .., <DIR>, sizes with separators right-aligned, totals', async () => {
    const r = await commands([...SETUP, 'dir']);
    expect(r.stderr).toBe('');
    expect(normaliseListing(r.stdout)).toBe(
      HEADER +
        '\r\n Directory of C:\\x\r\n\r\n' +
        `${T}    <DIR>          .\r\n` +
        `${T}    <DIR>          ..\r\n` +
        `${T}                 5 a.txt\r\n` +
        `${T}             1,234 big.bin\r\n` +
        `${T}    <DIR>          sub\r\n` +
        '               2 File(s)          1,239 bytes\r\n' +
        '               3 Dir(s)  FREE bytes free\r\n',
    );
  });

  it('/-c prints sizes without thousands separators', async () => {
    const r = await commands([...SETUP, 'dir /-c big.bin']);
    expect(normaliseListing(r.stdout)).toContain(`${T}              1234 big.bin\r\n               1 File(s)           1234 bytes\r\n`);
  });

  it('a root has no . and .. entries', async () => {
    const r = await commands(['dir C:\\']);
    expect(r.stdout).toContain(' Directory of C:\\\r\n\r\n');
    expect(r.stdout).not.toContain('<DIR>          .\r\n');
    expect(r.stdout).toMatch(/<DIR> {10}Windows\r\n/);
  });

  it('/s lists each directory with its file total, then Total Files Listed', async () => {
    const r = await commands([...SETUP, 'dir /s']);
    expect(normaliseListing(r.stdout)).toBe(
      HEADER +
        '\r\n Directory of C:\\x\r\n\r\n' +
        `${T}    <DIR>          .\r\n` +
        `${T}    <DIR>          ..\r\n` +
        `${T}                 5 a.txt\r\n` +
        `${T}             1,234 big.bin\r\n` +
        `${T}    <DIR>          sub\r\n` +
        '               2 File(s)          1,239 bytes\r\n' +
        '\r\n Directory of C:\\x\\sub\r\n\r\n' +
        `${T}    <DIR>          .\r\n` +
        `${T}    <DIR>          ..\r\n` +
        `${T}                 4 b.log\r\n` +
        '               1 File(s)              4 bytes\r\n' +
        '\r\n     Total Files Listed:\r\n' +
        '               3 File(s)          1,243 bytes\r\n' +
        '               5 Dir(s)  FREE bytes free\r\n',
    );
  });

  it('/b prints bare names; /b /s full paths', async () => {
    expect((await commands([...SETUP, 'dir /b'])).stdout).toBe('a.txt\r\nbig.bin\r\nsub\r\n');
    expect((await commands([...SETUP, 'dir /b /s'])).stdout).toBe('C:\\x\\a.txt\r\nC:\\x\\big.bin\r\nC:\\x\\sub\r\nC:\\x\\sub\\b.log\r\n');
    expect((await commands([...SETUP, 'dir/b/s *.log'])).stdout).toBe('C:\\x\\sub\\b.log\r\n');
  });

  it('/a filters by attribute: /a-d files only, /ad directories, hidden files only with /a', async () => {
    const r = await commands([...SETUP, 'run attrib +h a.txt', 'dir /b', 'dir /b /a', 'dir /b /a-d', 'dir /b /a:d', 'dir /b /ah']);
    expect(r.stdout).toBe('big.bin\r\nsub\r\n' + 'a.txt\r\nbig.bin\r\nsub\r\n' + 'a.txt\r\nbig.bin\r\n' + 'sub\r\n' + 'a.txt\r\n');
  });

  it('/o sorts: n by name, -s by size descending, g directories first, e by extension', async () => {
    const r = await commands([...SETUP, 'dir /b /o-s /a-d', 'dir /b /ogn', 'dir /b /o-n', 'dir /b /oe']);
    expect(r.stdout).toBe('big.bin\r\na.txt\r\n' + 'sub\r\na.txt\r\nbig.bin\r\n' + 'sub\r\nbig.bin\r\na.txt\r\n' + 'sub\r\nbig.bin\r\na.txt\r\n');
  });

  it('/w lists names across in columns, directories in brackets', async () => {
    const r = await commands([...SETUP, 'dir /w']);
    expect(normaliseListing(r.stdout)).toContain('\r\n Directory of C:\\x\r\n\r\n[.]     [..]    a.txt   big.bin [sub]   \r\n               2 File(s)          1,239 bytes\r\n');
  });

  it('no match: the header, then File Not Found on stderr, ERRORLEVEL 1', async () => {
    const r = await commands([...SETUP, 'dir *.zip', 'el']);
    expect(normaliseListing(r.stdout)).toBe(HEADER + '\r\n Directory of C:\\x\r\n\r\nEL=1\r\n');
    expect(r.stderr).toBe('File Not Found\r\n');
  });

  it('an unknown switch is refused in quotes', async () => {
    const r = await commands(['dir /z', 'el']);
    expect(r.stderr).toBe('Invalid switch - "z".\r\n');
    expect(r.stdout).toBe('EL=1\r\n');
  });

  it('links show <SYMLINKD>, <JUNCTION> and <SYMLINK> with their targets; link sizes count as 0', async () => {
    const r = await commands([...SETUP, 'mklink /d L C:\\x\\sub', 'mklink /j J C:\\x\\sub', 'mklink F a.txt', 'dir /a-d /a:l', 'dir /b /al']);
    const out = normaliseListing(r.stdout);
    expect(out).toContain(`${T}    <SYMLINK>      F [a.txt]\r\n`);
    expect(out).toContain(`${T}    <JUNCTION>     J [C:\\x\\sub]\r\n`);
    expect(out).toContain(`${T}    <SYMLINKD>     L [C:\\x\\sub]\r\n`);
    expect(out).toContain('               1 File(s)              0 bytes\r\n');
    expect(out.endsWith('F\r\nJ\r\nL\r\n')).toBe(true);
  });

  it('DIRCMD supplies default switches', async () => {
    expect((await commands([...SETUP, 'set DIRCMD=/b /a-d', 'dir'])).stdout).toBe('a.txt\r\nbig.bin\r\n');
  });
});

describe('dir: names that are not there', () => {
  it('each operand reports on its own: File Not Found for a missing name, path not found for a missing folder', async () => {
    const r = await commands([...SETUP, 'dir /b nope1 a.txt C:\\nodir\\*.txt', 'el']);
    expect(r.stdout).toBe('a.txt\r\nEL=1\r\n');
    expect(r.stderr).toBe('File Not Found\r\nThe system cannot find the path specified.\r\n');
  });
});
