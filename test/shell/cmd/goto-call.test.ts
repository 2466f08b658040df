// GOTO, CALL, EXIT, SHIFT and batch files (Microsoft Learn "goto", "call", "exit", "shift").
import { describe, expect, it } from 'vitest';
import { run, runBatch } from '../support.js';

const batch = async (body: string, files?: Record<string, string>) => runBatch(`@echo off\r\n${body}`, { files });

describe('goto and call', () => {
  it('goto jumps to a label, with or without its colon, in any case', async () => {
    expect((await batch('goto skip\r\necho no\r\n:skip\r\necho a\r\ngoto :END\r\necho no\r\n:end\r\necho b\r\n')).stdout).toBe('a\r\nb\r\n');
  });

  it('goto searches forward, then from the top', async () => {
    expect((await batch('set n=0\r\n:loop\r\nset /a n+=1\r\nif %n% LSS 3 goto loop\r\necho %n%\r\n')).stdout).toBe('3\r\n');
  });

  it('goto :eof ends the batch file', async () => {
    expect((await batch('echo a\r\ngoto :eof\r\necho b\r\n')).stdout).toBe('a\r\n');
  });

  it('a missing label: "The system cannot find the batch label specified - x" and the batch ends', async () => {
    const r = await batch('goto nowhere\r\necho after\r\n');
    expect(r.stderr).toBe('The system cannot find the batch label specified - nowhere\r\n');
    expect(r.stdout).toBe('');
    expect(r.exitCode).toBe(1);
  });

  it('call :label runs a subroutine with its own arguments and returns', async () => {
    expect((await batch('call :sub x "y z"\r\necho back\r\ngoto :eof\r\n:sub\r\necho %0 %1 %2 %~2\r\n')).stdout).toBe(':sub x "y z" y z\r\nback\r\n');
  });

  it('exit /b N returns N as ERRORLEVEL', async () => {
    expect((await batch('call :f\r\necho %errorlevel%\r\ngoto :eof\r\n:f\r\nexit /b 42\r\n')).stdout).toBe('42\r\n');
  });

  it('exit /b ends the batch file with that exit code under cmd /c', async () => {
    expect((await batch('exit /b 3\r\n')).exitCode).toBe(3);
  });

  it('exit ends cmd.exe itself', async () => {
    const r = await batch('call :f\r\necho never\r\ngoto :eof\r\n:f\r\nexit 9\r\n');
    expect(r.stdout).toBe('');
    expect(r.exitCode).toBe(9);
  });

  it('call of a batch file returns to the caller; without call control does not come back', async () => {
    const files = { 'y.cmd': '@echo in y %1\r\n' };
    expect((await batch('call C:\\t\\y.cmd 1\r\necho after call\r\nC:\\t\\y.cmd 2\r\necho never\r\n', files)).stdout).toBe('in y 1\r\nafter call\r\nin y 2\r\n');
  });

  it('a batch file found through PATHEXT: call y runs y.cmd', async () => {
    expect((await batch('cd /d C:\\t\r\ncall y\r\n', { 'y.cmd': '@echo found\r\n' })).stdout).toBe('found\r\n');
  });

  it('call expands %% a second time', async () => {
    expect((await batch('set a=1\r\nset b=a\r\ncall echo %%%b%%%\r\n')).stdout).toBe('1\r\n');
  });

  it('call :label outside a batch file is refused', async () => {
    expect((await run(['cmd', '/c', 'call :x'])).stderr).toBe('Invalid attempt to call batch label outside of batch script.\r\n');
  });

  it('shift moves the arguments down; %* is unchanged', async () => {
    expect((await batch('call :s a b c\r\ngoto :eof\r\n:s\r\nshift\r\necho %0 %1 %2 [%*]\r\n')).stdout).toBe('a b c [a b c]\r\n');
  });

  it('shift /2 keeps %0 and %1', async () => {
    expect((await batch('call :s a b c\r\ngoto :eof\r\n:s\r\nshift /2\r\necho %1 %2\r\n')).stdout).toBe('a c\r\n');
  });

  it('recursion through call works to a depth', async () => {
    expect((await batch('call :r 5\r\ngoto :eof\r\n:r\r\nif %1==0 (echo bottom& goto :eof)\r\nset /a n=%1-1\r\ncall :r %n%\r\n')).stdout).toBe('bottom\r\n');
  });

  it('endless CALL recursion stops with the batch recursion message', async () => {
    const r = await batch(':r\r\ncall :r\r\n');
    expect(r.stderr).toMatch(/^\*{6}  B A T C H   R E C U R S I O N  exceeds STACK limits \*{6}\r\nRecursion Count=\d+, Stack Usage=90 percent\r\n/);
  });
});
