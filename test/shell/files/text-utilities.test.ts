import { describe, expect, it } from 'vitest';
import { run } from '../support.js';
import { commands } from './harness.js';

const SETUP = ['md C:\\x', 'write C:\\x\\a.txt apple\r\nBanana\r\ncherry pie\r\n', 'write C:\\x\\b.txt no fruit\r\nbanana split', 'cd C:\\x'];

describe('find', () => {
  it('a file: blank line, `---------- NAME` upper-cased, the lines; exit 0', async () => {
    const r = await commands([...SETUP, 'run find "an" a.txt', 'el']);
    expect(r.stdout).toBe('\r\n---------- A.TXT\r\nBanana\r\nEL=0\r\n');
  });
  it('/i /n /c /v', async () => {
    expect((await commands([...SETUP, 'run find /i /n "AN" a.txt b.txt'])).stdout).toBe('\r\n---------- A.TXT\r\n[2]Banana\r\n\r\n---------- B.TXT\r\n[2]banana split\r\n');
    expect((await commands([...SETUP, 'run find /c "e" a.txt'])).stdout).toBe('\r\n---------- A.TXT: 2\r\n');
    expect((await commands([...SETUP, 'run find /v "an" a.txt'])).stdout).toBe('\r\n---------- A.TXT\r\napple\r\ncherry pie\r\n');
  });
  it('standard input: just the lines; no match exits 1', async () => {
    expect((await commands(['run find "b"', 'el'], { stdin: 'abc\r\nxyz\r\n' })).stdout).toBe('abc\r\nEL=0\r\n');
    expect((await commands(['run find /c "q"', 'el'], { stdin: 'abc\r\n' })).stdout).toBe('0\r\nEL=1\r\n');
  });
  it('an unquoted string: `FIND: Parameter format not correct`, exit 2', async () => {
    expect(await run(['find', 'abc'])).toEqual({ stdout: '', stderr: 'FIND: Parameter format not correct\r\n', exitCode: 2 });
  });
  it('a missing file: `File not found - NAME`', async () => {
    const r = await commands([...SETUP, 'run find "x" nope.txt', 'el']);
    expect(r.stderr).toBe('File not found - NOPE.TXT\r\n');
    expect(r.stdout).toBe('EL=1\r\n');
  });
});

describe('findstr', () => {
  it('one file: matching lines only; several: `file:` prefixes; /n line numbers', async () => {
    expect((await commands([...SETUP, 'run findstr pie a.txt'])).stdout).toBe('cherry pie\r\n');
    expect((await commands([...SETUP, 'run findstr /i /n banana a.txt b.txt'])).stdout).toBe('a.txt:2:Banana\r\nb.txt:2:banana split');
    expect((await commands([...SETUP, 'run findstr /m /i banana *.txt'])).stdout).toBe('a.txt\r\nb.txt\r\n');
  });
  it('space-separated strings match any; /c: is one literal string', async () => {
    expect((await run(['findstr', 'xx yy'], { stdin: 'a xx\r\nb yy\r\nc zz\r\n' })).stdout).toBe('a xx\r\nb yy\r\n');
    expect((await run(['findstr', '/c:xx yy'], { stdin: 'a xx\r\nxx yy\r\n' })).stdout).toBe('xx yy\r\n');
  });
  it('regular expressions: ^ $ . * [class] and \\< \\>', async () => {
    const input = 'cat\r\ncart\r\nscatter\r\ndog\r\n';
    expect((await run(['findstr', '^c.*t$'], { stdin: input })).stdout).toBe('cat\r\ncart\r\n');
    expect((await run(['findstr', '/r', '[dx]og'], { stdin: input })).stdout).toBe('dog\r\n');
    expect((await run(['findstr', '\\<cat'], { stdin: input })).stdout).toBe('cat\r\n');
  });
  it('/l literal, /v inverts, /b /e anchor, /x whole lines', async () => {
    const input = 'a.c\r\nabc\r\n';
    expect((await run(['findstr', '/l', 'a.c'], { stdin: input })).stdout).toBe('a.c\r\n');
    expect((await run(['findstr', '/v', 'b'], { stdin: input })).stdout).toBe('a.c\r\n');
    expect((await run(['findstr', '/b', 'ab'], { stdin: input })).stdout).toBe('abc\r\n');
    expect((await run(['findstr', '/x', '/l', 'ab'], { stdin: input })).exitCode).toBe(1);
  });
  it('/s searches subdirectories, names relative to the current directory', async () => {
    const r = await commands([...SETUP, 'md sub', 'write sub\\c.txt banana!', 'run findstr /s /i banana *.txt']);
    expect(r.stdout).toBe('a.txt:Banana\r\nb.txt:banana splitsub\\c.txt:banana!');
  });
  it('no match exits 1; a missing file prints `FINDSTR: Cannot open NAME`; no string is a bad command line', async () => {
    expect((await run(['findstr', 'q'], { stdin: 'abc\r\n' })).exitCode).toBe(1);
    const r = await commands([...SETUP, 'run findstr x nope.txt', 'el']);
    expect(r.stderr).toBe('FINDSTR: Cannot open nope.txt\r\n');
    expect(await run(['findstr'])).toEqual({ stdout: '', stderr: 'FINDSTR: Bad command line\r\n', exitCode: 2 });
  });
});

describe('sort', () => {
  it('sorts ignoring case, CRLF line ends; /r reverses', async () => {
    expect((await run(['sort'], { stdin: 'pear\nApple\nbanana' })).stdout).toBe('Apple\r\nbanana\r\npear\r\n');
    expect((await run(['sort', '/r'], { stdin: 'pear\r\nApple\r\nbanana\r\n' })).stdout).toBe('pear\r\nbanana\r\nApple\r\n');
  });
  it('a file, /+n column, /o output file', async () => {
    const r = await commands(['md C:\\x', 'write C:\\x\\s.txt 1b\r\n2a\r\n', 'cd C:\\x', 'run sort /+2 s.txt', 'run sort s.txt /o out.txt', 'type out.txt']);
    expect(r.stdout).toBe('2a\r\n1b\r\n1b\r\n2a\r\n');
  });
});

describe('more', () => {
  it('not a console: passes text through with CRLF ends and tabs expanded to 8 columns', async () => {
    expect((await run(['more.com'], { stdin: 'a\tb\nlast' })).stdout).toBe('a       b\r\nlast\r\n');
  });
  it('files, and a missing file', async () => {
    const r = await commands([...SETUP, 'run more.com b.txt', 'run more.com nope.txt', 'el']);
    expect(r.stdout).toBe('no fruit\r\nbanana split\r\nEL=1\r\n');
    expect(r.stderr).toBe('Cannot access file C:\\x\\nope.txt\r\n');
  });
});

describe('where', () => {
  it('searches PATH with PATHEXT and prints the stored name', async () => {
    expect(await run(['where', 'cmd'])).toEqual({ stdout: 'C:\\Windows\\System32\\cmd.exe\r\n', stderr: '', exitCode: 0 });
    expect((await run(['where', 'xcopy.exe'])).stdout).toBe('C:\\Windows\\System32\\xcopy.exe\r\n');
  });
  it('nothing found: INFO line on stderr, exit 1; /q says nothing', async () => {
    expect(await run(['where', 'nosuchthing'])).toEqual({ stdout: '', stderr: 'INFO: Could not find files for the given pattern(s).\r\n', exitCode: 1 });
    expect(await run(['where', '/q', 'nosuchthing'])).toEqual({ stdout: '', stderr: '', exitCode: 1 });
  });
  it('the current directory first, wildcards, /r recursion', async () => {
    const r = await commands([...SETUP, 'run where a.*', 'run where /r C:\\x *.txt']);
    expect(r.stdout).toBe('C:\\x\\a.txt\r\nC:\\x\\a.txt\r\nC:\\x\\b.txt\r\n');
  });
});

describe('timeout', () => {
  it('redirected input: the documented error, exit 1', async () => {
    expect(await run(['timeout', '/t', '5'])).toEqual({ stdout: '', stderr: 'ERROR: Input redirection is not supported, exiting the process immediately.\r\n', exitCode: 1 });
  });
  it('an out-of-range value', async () => {
    expect((await run(['timeout', '/t', '100000'])).stderr).toBe('ERROR: Invalid value for timeout (/T) specified. Valid range is -1 to 99999.\r\n');
  });
});

describe('choice', () => {
  it('prompt `[Y,N]?`, the key echoed, errorlevel = its position', async () => {
    expect(await run(['choice'], { stdin: 'n' })).toEqual({ stdout: '[Y,N]?N\r\n', stderr: '', exitCode: 2 });
    expect(await run(['choice', '/c', 'abc', '/m', 'Pick one'], { stdin: 'zc' })).toEqual({ stdout: 'Pick one [A,B,C]?\x07C\r\n', stderr: '', exitCode: 3 });
    expect(await run(['choice', '/n', '/c', 'xy', '/m', 'Go?'], { stdin: 'X' })).toEqual({ stdout: 'Go?X\r\n', stderr: '', exitCode: 1 });
  });
  it('end of input: 255', async () => {
    expect((await run(['choice'], { stdin: '' })).exitCode).toBe(255);
  });
});

describe('Unicode (UTF-16LE) files, as PowerShell 5.1 writes them', () => {
  it('type and find read them as text', async () => {
    const r = await commands(['md C:\\x', 'cd C:\\x', 'write16 u.txt héllo\r\n', 'type u.txt', 'run find "llo" u.txt', 'run findstr llo u.txt', 'el']);
    expect(r.stdout).toBe('héllo\r\n\r\n---------- U.TXT\r\nhéllo\r\nEL=1\r\n');
  });
});
