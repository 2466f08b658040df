// Which internal commands change ERRORLEVEL on success (Windows 10 experiments, SO
// "Which cmd.exe internal commands clear the ERRORLEVEL to 0 upon success?"; ss64 "ERRORLEVEL").
import { describe, expect, it } from 'vitest';
import { runBatch } from '../support.js';

/** ERRORLEVEL after `command`, starting from 5, in a .bat or .cmd file. */
async function after(command: string, name = 'x.bat'): Promise<string> {
  const r = await runBatch(`@echo off\r\ncmd /c exit 5\r\n${command} >nul\r\necho %errorlevel%\r\n`, { name });
  return r.stdout.trim();
}

describe('errorlevel rules', () => {
  it('ECHO, REM, TITLE, SHIFT, BREAK, CLS, GOTO, IF leave ERRORLEVEL as it was', async () => {
    for (const c of ['echo x', 'rem x', 'title t', 'shift', 'break', 'cls', 'if 1==1 rem']) expect(await after(c), c).toBe('5');
  });

  it('CD, VER, VERIFY, VOL, SETLOCAL, PUSHD clear it on success', async () => {
    for (const c of ['cd C:\\', 'ver', 'verify', 'vol', 'setlocal', 'pushd C:\\']) expect(await after(c), c).toBe('0');
  });

  it('SET, PATH, PROMPT clear it in a .cmd file only', async () => {
    for (const c of ['set v=1', 'path C:\\Windows', 'prompt $G']) {
      expect(await after(c, 'x.bat'), c).toBe('5');
      expect(await after(c, 'x.cmd'), c).toBe('0');
    }
  });

  it('CALL of a command that sets nothing clears it; CALL of a subroutine keeps it; a missing label sets 1', async () => {
    const r = await runBatch('@echo off\r\ncall :two\r\necho %errorlevel%\r\ncall :keep\r\necho %errorlevel%\r\ncall echo ok\r\necho %errorlevel%\r\ncall :missing 2>nul\r\necho %errorlevel%\r\ngoto :eof\r\n:two\r\nexit /b 2\r\n:keep\r\nexit /b\r\n');
    expect(r.stdout).toBe('2\r\n2\r\nok\r\n0\r\n1\r\n');
  });

  it('an unknown command sets 9009; a failed CD sets 1', async () => {
    expect(await after('nosuchcommand 2>nul')).toBe('9009');
    expect(await after('cd C:\\nope 2>nul')).toBe('1');
  });
});
