// The small internal commands: VER, VOL, TITLE, PROMPT, PATH, VERIFY, PAUSE, COLOR, CLS, REM.
import { describe, expect, it } from 'vitest';
import { run, runBatch } from '../support.js';

const batch = async (body: string, stdin?: string) => runBatch(`@echo off\r\n${body}`, { stdin });

describe('misc commands', () => {
  it('ver prints a blank line and the version from the registry', async () => {
    expect((await run(['cmd', '/c', 'ver'])).stdout).toBe('\r\nMicrosoft Windows [Version 10.0.20348.5499]\r\n');
  });

  it('vol prints the label line and the serial number', async () => {
    expect((await run(['cmd', '/c', 'vol'])).stdout).toMatch(/^ Volume in drive C (has no label\.|is .+)\r\n Volume Serial Number is [0-9A-F]{4}-[0-9A-F]{4}\r\n$/);
  });

  it('path prints PATH=…; path ; clears it', async () => {
    expect((await batch('path C:\\a;C:\\b\r\npath\r\npath ;\r\npath\r\n')).stdout).toBe('PATH=C:\\a;C:\\b\r\nNo Path\r\n');
  });

  it('verify reports and sets its flag', async () => {
    expect((await batch('verify\r\nverify on\r\nverify\r\n')).stdout).toBe('VERIFY is off.\r\nVERIFY is on.\r\n');
  });

  it('pause prompts and waits for a key', async () => {
    expect((await run(['cmd', '/c', 'pause'], { stdin: 'x' })).stdout).toBe('Press any key to continue . . . \r\n');
  });

  it('rem ignores the rest of the line, & included', async () => {
    expect((await batch('rem echo a & echo b\r\necho c\r\n')).stdout).toBe('c\r\n');
  });

  it('color with equal foreground and background sets ERRORLEVEL 1', async () => {
    expect((await batch('color 11\r\necho %errorlevel%\r\ncolor 0a\r\necho %errorlevel%\r\n')).stdout).toBe('1\r\n0\r\n');
  });

  it('cls to a file writes a form feed', async () => {
    expect((await run(['cmd', '/c', 'cls'])).stdout).toBe('\f');
  });

  it('title does not print anything', async () => {
    expect((await run(['cmd', '/c', 'title hello'])).stdout).toBe('');
  });

  it('date /t and time /t print the date and time', async () => {
    expect((await run(['cmd', '/c', 'date /t & time /t'])).stdout).toMatch(/^Mon 11\/23\/2026\r\n\d\d:\d\d [AP]M\r\n$/);
  });
});
