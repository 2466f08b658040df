// Pipes (Microsoft Learn "Using command redirection operators"; ss64 "Redirection"): each side that
// is not a plain program runs in its own `cmd.exe /S /D /c" …"`.
import { describe, expect, it } from 'vitest';
import { runBatch } from '../support.js';

const batch = async (body: string) => runBatch(`@echo off\r\n${body}`);

describe('pipes', () => {
  it('the left side\'s output is the right side\'s input; & binds looser than |', async () => {
    expect((await batch('echo piped| set /p v=& echo after\r\n')).stdout).toBe('after\r\n');
    expect((await batch('echo piped| (set /p v=& set v)\r\n')).stdout).toBe('v=piped\r\n');
  });

  it('the space before | belongs to the left command', async () => {
    expect((await batch('echo a | (set /p v=& set v)\r\n')).stdout).toBe('v=a \r\n');
  });

  it('variables set on a side do not come back', async () => {
    expect((await batch('set v=1\r\n(set v=2) | (set /p x=)\r\necho %v%\r\n')).stdout).toBe('1\r\n');
  });

  it('delayed expansion is off on the sides (they are new cmd.exe processes)', async () => {
    expect((await batch('setlocal enabledelayedexpansion\r\nset x=1\r\necho !x!| (set /p v=& set v)\r\n')).stdout).toBe('v=!x!\r\n');
  });

  it('FOR variables are replaced before a side starts', async () => {
    expect((await batch('for %%a in (1 2) do echo v%%a| (set /p v=& set v)\r\n')).stdout).toBe('v=v1\r\nv=v2\r\n');
  });

  it('pipes chain', async () => {
    expect((await batch('echo x| (set /p a=& echo got) | (set /p b=& set b)\r\n')).stdout).toBe('b=got\r\n');
  });
});
