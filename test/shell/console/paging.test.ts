// Paging at a console: more.com (Microsoft Learn "more": SPACEBAR next
// page, ENTER next line, q quit; `-- More --`, with the share shown for a
// file) and `dir /p` ("Press any key to continue . . ."). Output that is
// not a console is never paged.
import { describe, expect, it, vi } from 'vitest';
import { runBatch } from '../support.js';
import { tty, viewport } from './tty.js';

vi.setConfig({ testTimeout: 20_000 });

/** 60 lines `line 1` … `line 60` in C:\n.txt (531 characters with their CR LFs). */
const MAKE_FILE = 'for /l %i in (1,1,60) do @echo line %i>>C:\\n.txt\r';

const last = (rows: string[]) => rows.filter((r) => r !== '').at(-1) ?? '';

describe('more at a console', () => {
  it('a file: a screenful (rows − 1), `-- More (13%) --`, Space a page, Enter a line, q back to cmd', async () => {
    const t = await tty({ rows: 10, columns: 40 });
    try {
      await t.until(() => viewport(t.screen).includes('C:\\>'), 'the prompt');
      await t.type(MAKE_FILE);
      await t.type('cls\r');
      await t.until(() => viewport(t.screen)[0] === 'C:\\>', 'a clear screen');
      await t.type('more C:\\n.txt\r');
      await t.until(() => last(viewport(t.screen)) === '-- More (13%) --', 'the first prompt');
      // The command line scrolled off: nine lines and the prompt fill the window.
      expect(viewport(t.screen)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8', 'line 9', '-- More (13%) --']);
      await t.type(' ');
      await t.until(() => viewport(t.screen).includes('line 18'), 'the next page');
      // 18 lines: 72 + 81 characters of 531.
      expect(viewport(t.screen).slice(-2)).toEqual(['line 18', '-- More (28%) --']);
      await t.type('\r');
      await t.until(() => viewport(t.screen).includes('line 19'), 'one more line');
      expect(viewport(t.screen).slice(-2)).toEqual(['line 19', '-- More (30%) --']);
      await t.type('q');
      await t.until(() => last(viewport(t.screen)) === 'C:\\>', 'cmd prompting again');
      expect(viewport(t.screen).slice(-3)).toEqual(['line 19', '', 'C:\\>']);
      await t.type('exit\r');
      expect(await t.wait()).toBe(0);
    } finally {
      await t.remove();
    }
  });

  it('piped input pages on the keyboard with `-- More --`; the data is not taken as keys', async () => {
    const t = await tty({ rows: 10, columns: 40 });
    try {
      await t.until(() => viewport(t.screen).includes('C:\\>'), 'the prompt');
      await t.type(MAKE_FILE);
      await t.type('type C:\\n.txt | more\r');
      await t.until(() => last(viewport(t.screen)) === '-- More --', 'the prompt');
      expect(viewport(t.screen).slice(-2)).toEqual(['line 9', '-- More --']);
      await t.type(' ');
      await t.until(() => viewport(t.screen).includes('line 18'), 'the next page');
      await t.type(' ');
      await t.type(' ');
      await t.type(' ');
      await t.type(' ');
      await t.type(' ');
      await t.until(() => viewport(t.screen).includes('line 54'), 'later pages');
      await t.type(' ');
      await t.until(() => last(viewport(t.screen)) === 'C:\\>', 'the end and cmd prompting');
      expect(viewport(t.screen).slice(-4)).toEqual(['line 59', 'line 60', '', 'C:\\>']);
    } finally {
      await t.remove();
    }
  });
});

describe('dir /p at a console', () => {
  it('pauses after each screenful with "Press any key to continue . . ." and goes on after a key', async () => {
    const t = await tty({ rows: 12, columns: 60 });
    try {
      await t.until(() => viewport(t.screen).includes('C:\\>'), 'the prompt');
      await t.type('md C:\\d & for /l %i in (10,1,39) do @echo x>C:\\d\\f%i.txt\r');
      await t.type('cls\r');
      await t.until(() => viewport(t.screen)[0] === 'C:\\>', 'a clear screen');
      await t.type('dir /p /b C:\\d\r');
      await t.until(() => last(viewport(t.screen)) === 'Press any key to continue . . .', 'the pause');
      // Eleven names (the window's rows less one) and the prompt: the command line scrolled off.
      expect(viewport(t.screen)).toEqual([...Array.from({ length: 11 }, (_, i) => `f${10 + i}.txt`), 'Press any key to continue . . .']);
      await t.type('x');
      await t.until(() => viewport(t.screen).includes('f31.txt'), 'the next screenful');
      expect(viewport(t.screen).slice(-3)).toEqual(['f30.txt', 'f31.txt', 'Press any key to continue . . .']);
      await t.type('x');
      await t.until(() => last(viewport(t.screen)) === 'C:\\>', 'the end of the listing');
      expect(viewport(t.screen).slice(-3)).toEqual(['f39.txt', '', 'C:\\>']);
      // The keys were taken by the pauses, not left for cmd.
      await t.type('echo ok\r');
      await t.until(() => last(viewport(t.screen)) === 'C:\\>' && viewport(t.screen).includes('ok'), 'ok');
      expect(viewport(t.screen)).toContain('C:\\>echo ok');
    } finally {
      await t.remove();
    }
  });
});

describe('without a console nothing pages', () => {
  it('more and dir /p write everything at once to a pipe', async () => {
    const r = await runBatch('@echo off\r\nfor /l %%i in (1,1,40) do echo line %%i>>C:\\n.txt\r\nmore C:\\n.txt | find /c "line"\r\ndir /p /b C:\\Windows | find /c /v ""\r\n');
    const [moreCount, dirCount] = r.stdout.trim().split('\r\n');
    expect(moreCount).toBe('40');
    expect(Number(dirCount)).toBeGreaterThan(0);
  });
});
