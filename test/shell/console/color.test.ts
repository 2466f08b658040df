// COLOR at a console (COLOR /?, Microsoft Learn "color"): the whole window
// takes the colours and repaints (FillConsoleOutputAttribute +
// SetConsoleTextAttribute; ConPTY sends the 16-colour SGR for a legacy
// attribute), text written afterwards keeps them, COLOR alone restores
// cmd's start-up colours, equal colours change nothing and set ERRORLEVEL 1.
import { describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 20_000 });
import { attributeSgr } from '../../../src/kernel/process/screen-buffer.js';
import { runBatch } from '../support.js';
import { cellColours, tty, viewport } from './tty.js';

// xterm palette indices: 0–7 normal, 8–15 bright; Windows blue (1) is ANSI blue (4).
const BLUE = 4;
const BRIGHT_WHITE = 15;

describe('legacy attribute → SGR, as ConPTY renders it', () => {
  it('Windows colour indices swap red and blue; intensity picks the bright range; grey on black is the default', () => {
    expect(attributeSgr(0x1f, 0x07)).toBe('\x1b[97m\x1b[44m');
    expect(attributeSgr(0x84, 0x07)).toBe('\x1b[31m\x1b[100m');
    expect(attributeSgr(0x0a, 0x07)).toBe('\x1b[92m\x1b[49m');
    expect(attributeSgr(0x07, 0x07)).toBe('\x1b[39m\x1b[49m');
    expect(attributeSgr(0xe6, 0x07)).toBe('\x1b[33m\x1b[103m');
  });
});

describe('COLOR at a console', () => {
  it('color 1f repaints the window bright white on blue and later text keeps it; color alone restores the start colours', async () => {
    const t = await tty({ rows: 30, columns: 60 });
    try {
      await t.until(() => viewport(t.screen).includes('C:\\>'), 'the prompt');
      await t.type('echo before\r');
      await t.until(() => viewport(t.screen).includes('before'), 'the output');
      // Before: default colours.
      expect(cellColours(t.screen, 0, 0)).toEqual({ fg: 'default', bg: 'default', char: 'M' });
      await t.type('color 1f\r');
      await t.until(() => viewport(t.screen).filter((l) => l === 'C:\\>').length === 1 && viewport(t.screen).includes('C:\\>color 1f'), 'the prompt after color');
      const rows = viewport(t.screen);
      // The banner written before COLOR is repainted in the new colours, and so is the blank rest of the window.
      expect(rows[0]).toBe('Microsoft Windows [Version 10.0.20348.5499]');
      expect(cellColours(t.screen, 0, 0)).toEqual({ fg: BRIGHT_WHITE, bg: BLUE, char: 'M' });
      expect(cellColours(t.screen, 59, 0).bg).toBe(BLUE);
      expect(cellColours(t.screen, 10, 11).bg).toBe(BLUE);
      const before = rows.indexOf('C:\\>echo before');
      expect(cellColours(t.screen, 0, before + 1)).toEqual({ fg: BRIGHT_WHITE, bg: BLUE, char: 'b' });
      // Text written afterwards (the prompt, the echo of typing, a command's output) keeps the colours.
      await t.type('echo after\r');
      await t.until(() => viewport(t.screen).includes('after'), 'the output');
      const y = viewport(t.screen).indexOf('after');
      expect(cellColours(t.screen, 0, y)).toEqual({ fg: BRIGHT_WHITE, bg: BLUE, char: 'a' });
      expect(cellColours(t.screen, 3, y - 1)).toEqual({ fg: BRIGHT_WHITE, bg: BLUE, char: '>' });
      // COLOR alone: the start colours (grey on black = the terminal's defaults).
      await t.type('color\r');
      await t.type('echo %errorlevel%\r');
      await t.until(() => viewport(t.screen).includes('0'), 'errorlevel');
      expect(cellColours(t.screen, 0, 0)).toEqual({ fg: 'default', bg: 'default', char: 'M' });
      expect(cellColours(t.screen, 0, y)).toEqual({ fg: 'default', bg: 'default', char: 'a' });
      await t.type('exit\r');
      expect(await t.wait()).toBe(0);
    } finally {
      await t.remove();
    }
  });

  it('equal foreground and background (color 00, color 11) change nothing and set ERRORLEVEL 1; a valid one 0', async () => {
    const t = await tty({ rows: 30, columns: 60 });
    try {
      await t.until(() => viewport(t.screen).includes('C:\\>'), 'the prompt');
      await t.type('color 11\r');
      await t.type('echo [%errorlevel%]\r');
      await t.until(() => viewport(t.screen).includes('[1]'), 'errorlevel 1');
      expect(cellColours(t.screen, 0, 0).bg).toBe('default');
      await t.type('color 4\r');
      await t.type('echo [%errorlevel%]\r');
      await t.until(() => viewport(t.screen).includes('[0]'), 'errorlevel 0');
      // One digit: the foreground (red, ANSI 1) on the default background.
      expect(cellColours(t.screen, 0, 0)).toEqual({ fg: 1, bg: 'default', char: 'M' });
      await t.type('color 00\r');
      await t.type('echo [%errorlevel%]\r');
      await t.until(() => viewport(t.screen).filter((l) => l === '[1]').length === 2, 'errorlevel 1 again');
      expect(cellColours(t.screen, 0, 0)).toEqual({ fg: 1, bg: 'default', char: 'M' });
    } finally {
      await t.remove();
    }
  });

  it('cmd /t:1f starts an interactive cmd in those colours, and COLOR alone returns to them', async () => {
    const t = await tty({ rows: 30, columns: 50, cmd: ['cmd', '/t:1f'] });
    try {
      await t.until(() => viewport(t.screen).includes('C:\\>'), 'the prompt');
      expect(cellColours(t.screen, 0, 0)).toEqual({ fg: BRIGHT_WHITE, bg: BLUE, char: 'M' });
      await t.type('color 2\r');
      await t.type('color\r');
      await t.type('echo done\r');
      await t.until(() => viewport(t.screen).includes('done'), 'done');
      expect(cellColours(t.screen, 0, 0)).toEqual({ fg: BRIGHT_WHITE, bg: BLUE, char: 'M' });
    } finally {
      await t.remove();
    }
  });
});

describe('COLOR without a console', () => {
  it('only sets ERRORLEVEL: 0 for a valid colour, 1 for equal colours; nothing is written', async () => {
    const r = await runBatch('@echo off\r\ncolor 1f\r\necho %errorlevel%\r\ncolor 22\r\necho %errorlevel%\r\ncolor\r\necho %errorlevel%\r\n');
    expect(r.stdout).toBe('0\r\n1\r\n0\r\n');
  });

  it('an argument that is not hex digits prints COLOR /? and sets ERRORLEVEL 1', async () => {
    const r = await runBatch('@echo off\r\ncolor xyz\r\necho [%errorlevel%]\r\n');
    expect(r.stdout.startsWith('Sets the default console foreground and background colors.\r\n\r\nCOLOR [attr]\r\n')).toBe(true);
    expect(r.stdout.endsWith('Example: "COLOR fc" produces light red on bright white\r\n[1]\r\n')).toBe(true);
  });
});
