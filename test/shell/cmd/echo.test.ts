// ECHO and phase 3, the echo of commands (Microsoft Learn "echo"; ss64 ECHO).
import { describe, expect, it } from 'vitest';
import { run, runBatch } from '../support.js';

describe('echo', () => {
  it('echo alone reports the state', async () => {
    expect((await run(['cmd', '/c', 'echo'])).stdout).toBe('ECHO is on.\r\n');
    expect((await runBatch('@echo off\r\necho\r\n')).stdout).toBe('ECHO is off.\r\n');
  });

  it('echo. echo( echo: print an empty line or the text after them', async () => {
    expect((await runBatch('@echo off\r\necho.\r\necho(\r\necho:x\r\necho.on\r\n')).stdout).toBe('\r\n\r\nx\r\non\r\n');
  });

  it('one separator is dropped, further spaces and trailing spaces are kept', async () => {
    expect((await runBatch('@echo off\r\necho   two  \r\n')).stdout).toBe('  two  \r\n');
  });

  it('a batch file echoes each command after a blank line and the prompt', async () => {
    expect((await runBatch('echo hi\r\n')).stdout).toBe('\r\nC:\\>echo hi \r\nhi\r\n');
  });

  it('@ hides one command; echo off hides the rest', async () => {
    expect((await runBatch('@echo a\r\necho off\r\necho b\r\n')).stdout).toBe('a\r\n\r\nC:\\>echo off \r\nb\r\n');
  });

  it('redirections are echoed after the command as N>target', async () => {
    expect((await runBatch('echo hi > nul\r\n')).stdout).toBe('\r\nC:\\>echo hi 1>nul \r\n');
  });

  it('IF and blocks are echoed in cmd\'s reconstructed form', async () => {
    expect((await runBatch('if 1==1 (echo a) else (echo b)\r\n')).stdout).toBe('\r\nC:\\>if 1 == 1 (echo a )  else (echo b ) \r\na\r\n');
  });

  it('labels and :: comments are not echoed', async () => {
    expect((await runBatch(':top\r\n:: comment\r\nrem remark\r\n')).stdout).toBe('\r\nC:\\>rem remark \r\n');
  });

  it('a FOR body is echoed once per iteration with the variable replaced', async () => {
    expect((await runBatch('for %%i in (1 2) do echo %%i\r\n')).stdout).toBe(
      '\r\nC:\\>for %i in (1 2) do echo %i \r\n\r\nC:\\>echo 1 \r\n1\r\n\r\nC:\\>echo 2 \r\n2\r\n',
    );
  });

  it('cmd /q starts with echo off', async () => {
    expect((await run(['cmd', '/q', '/c', 'echo'])).stdout).toBe('ECHO is off.\r\n');
  });
});
