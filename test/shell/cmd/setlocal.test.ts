// SETLOCAL / ENDLOCAL (Microsoft Learn "setlocal", "endlocal").
import { describe, expect, it } from 'vitest';
import { runBatch } from '../support.js';

const batch = async (body: string) => runBatch(`@echo off\r\n${body}`);

describe('setlocal', () => {
  it('endlocal restores the variables', async () => {
    expect((await batch('set a=1\r\nsetlocal\r\nset a=2\r\nset b=3\r\nendlocal\r\necho [%a%][%b%]\r\n')).stdout).toBe('[1][]\r\n');
  });

  it('endlocal restores the current directory', async () => {
    expect((await batch('setlocal\r\ncd C:\\Windows\r\nendlocal\r\ncd\r\n')).stdout).toBe('C:\\\r\n');
  });

  it('the end of the batch level ends its setlocals', async () => {
    expect((await batch('call :f\r\necho [%v%]\r\ngoto :eof\r\n:f\r\nsetlocal\r\nset v=inner\r\n')).stdout).toBe('[]\r\n');
  });

  it('a value survives endlocal through the same line\'s expansion', async () => {
    expect((await batch('setlocal\r\nset v=kept\r\nendlocal & set v=%v%\r\necho %v%\r\n')).stdout).toBe('kept\r\n');
  });

  it('setlocal nests', async () => {
    expect((await batch('set a=0\r\nsetlocal\r\nset a=1\r\nsetlocal\r\nset a=2\r\nendlocal\r\necho %a%\r\nendlocal\r\necho %a%\r\n')).stdout).toBe('1\r\n0\r\n');
  });

  it('a bad argument sets ERRORLEVEL 1; a good one 0', async () => {
    expect((await batch('setlocal foo\r\necho %errorlevel%\r\nsetlocal enableextensions\r\necho %errorlevel%\r\n')).stdout).toBe('1\r\n0\r\n');
  });

  it('disableextensions turns off goto :eof and %~ dynamic variables', async () => {
    expect((await batch('setlocal disableextensions\r\necho [%CMDEXTVERSION%]\r\n')).stdout).toBe('[]\r\n');
  });
});
