// Phase 1: percent expansion (ss64 "How CMD parses"; Microsoft Learn "call" — batch parameters; "set" — substrings and substitution).
import { describe, expect, it } from 'vitest';
import { run, runBatch } from '../support.js';

const batch = async (body: string, files?: Record<string, string>) => (await runBatch(`@echo off\r\n${body}`, { files })).stdout;

describe('percent expansion', () => {
  it('%var% is replaced by its value; an undefined one vanishes in a batch file', async () => {
    expect(await batch('set x=abc\r\necho [%x%][%nope%]\r\n')).toBe('[abc][]\r\n');
  });

  it('an undefined %var% is left as typed on the command line', async () => {
    expect((await run(['cmd', '/c', 'echo [%nope%]'])).stdout).toBe('[%nope%]\r\n');
  });

  it('%% is one % in a batch file; a lone % vanishes', async () => {
    expect(await batch('echo 100%% a%b\r\n')).toBe('100% ab\r\n');
  });

  it('%var:~start,length% takes a substring; negative values count from the end', async () => {
    expect(await batch('set x=Hello World\r\necho %x:~0,5%^|%x:~6%^|%x:~-5%^|%x:~0,-6%^|%x:~-5,2%^|%x:~20%^|\r\n')).toBe('Hello|World|World|Hello|Wo||\r\n');
  });

  it('%var:old=new% replaces case-insensitively; *old= replaces through the first match', async () => {
    expect(await batch('set x=Hello World\r\necho %x:o=0%^|%x:L=_%^|%x:*o=%^|%x: =%\r\n')).toBe('Hell0 W0rld|He__o Wor_d| World|HelloWorld\r\n');
  });

  it('variable names are case-insensitive', async () => {
    expect(await batch('set MyVar=1\r\necho %myvar%%MYVAR%\r\n')).toBe('11\r\n');
  });

  it('%0 is the batch file as invoked, %1… its arguments, %* all of them', async () => {
    const r = await runBatch('@echo off\r\necho %0\r\ncall C:\\t\\y.cmd a "b c" d\r\n', { files: { 'y.cmd': '@echo [%1][%2][%3][%4][%*]\r\n' } });
    expect(r.stdout).toBe('C:\\t\\x.cmd\r\n[a]["b c"][d][][a "b c" d]\r\n');
  });

  it('%~1 removes quotes; %~f0 %~d0 %~p0 %~n0 %~x0 %~dp0 name the batch file', async () => {
    const r = await runBatch('@echo off\r\necho %~f0^|%~d0^|%~p0^|%~n0^|%~x0^|%~dp0^|%~nx0\r\ncall :s "quoted arg"\r\ngoto :eof\r\n:s\r\necho %~1\r\n');
    expect(r.stdout).toBe('C:\\t\\x.cmd|C:|\\t\\|x|.cmd|C:\\t\\|x.cmd\r\nquoted arg\r\n');
  });

  it('%~z1 is the file size, %~a1 its attributes', async () => {
    const r = await runBatch('@echo off\r\ncall :s C:\\t\\data.txt\r\ngoto :eof\r\n:s\r\necho %~z1 %~a1\r\n', { files: { 'data.txt': '12345' } });
    expect(r.stdout).toBe('5 --a------\r\n');
  });

  it('%~ with no argument digit is the path-operator error and the line does not run', async () => {
    const r = await runBatch('@echo off\r\necho %~q\r\necho next\r\n');
    expect(r.stdout).toBe('next\r\n');
    expect(r.stderr).toBe('The following usage of the path operator in batch-parameter substitution is invalid: %~q\r\n');
  });

  it('dynamic variables: %CD%, %ERRORLEVEL%, %CMDEXTVERSION%, %DATE%', async () => {
    expect(await batch('cd C:\\Windows\r\necho %CD% %ERRORLEVEL% %CMDEXTVERSION% %DATE%\r\n')).toBe('C:\\Windows 0 2 Mon 11/23/2026\r\n');
  });

  it('a variable set by the user hides the dynamic one', async () => {
    expect(await batch('set CD=mine\r\necho %CD%\r\n')).toBe('mine\r\n');
  });

  it('expansion happens once per line, before the line runs', async () => {
    expect(await batch('set x=1\r\nset x=2 & echo %x%\r\necho %x%\r\n')).toBe('1\r\n2 \r\n');
  });

  it('a parenthesised block is expanded once, when it is read', async () => {
    expect(await batch('set x=old\r\n(\r\nset x=new\r\necho %x%\r\n)\r\necho %x%\r\n')).toBe('old\r\nnew\r\n');
  });
});
