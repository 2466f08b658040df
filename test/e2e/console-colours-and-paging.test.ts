// The console's colours and pagers through the real CLI on a pty
// (`winsilo run -it --rm IMAGE cmd`), the screen read through
// @xterm/headless: COLOR repaints the window and later text keeps the
// colours; more.com pages a file at `-- More (NN%) --`; PowerShell's
// [Console]::ReadKey() takes one key.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { MAIN, SERVERCORE, tempDataRoot, TerminalSession } from './support.js';

const root = tempDataRoot();
const sessions: TerminalSession[] = [];

beforeAll(() => {
  const r = spawnSync(process.execPath, [MAIN, 'run', '--rm', '-q', SERVERCORE, 'cmd', '/c', 'ver'], { encoding: 'utf8', env: { ...process.env, WINSILO_DATA_ROOT: root.path } });
  expect(r.status).toBe(0);
});
afterEach(() => {
  for (const s of sessions.splice(0)) s.kill();
});
afterAll(() => root.remove());

function session(program: string, options: { columns?: number; rows?: number } = {}): TerminalSession {
  const s = new TerminalSession(['run', '-it', '--rm', SERVERCORE, program], { ...options, dataRoot: root.path });
  sessions.push(s);
  return s;
}

/** The colours of a cell of the screen (row counted in the whole buffer). */
function colours(s: TerminalSession, x: number, y: number): { fg: number | 'default'; bg: number | 'default'; char: string } {
  const cell = s.term.buffer.active.getLine(y)?.getCell(x);
  if (!cell) throw new Error(`no cell at ${x},${y}`);
  return { fg: cell.isFgDefault() ? 'default' : cell.getFgColor(), bg: cell.isBgDefault() ? 'default' : cell.getBgColor(), char: cell.getChars() };
}

describe('COLOR on a real terminal', () => {
  test('color 1f: every cell already shown turns bright white (15) on blue (4), text written after keeps it; `color` restores the default', async () => {
    const s = session('cmd', { columns: 60, rows: 20 });
    await s.prompt('C:\\>', 20_000);
    s.type('echo one\r');
    await s.until((t) => t.lines.includes('one') && t.cursor.line === 'C:\\>', 'the output');
    expect(colours(s, 0, 0)).toEqual({ fg: 'default', bg: 'default', char: 'M' });
    s.type('color 1f\r');
    await s.until((t) => t.cursor.line === 'C:\\>' && colours(t, 0, 0).bg === 4, 'the repaint');
    expect(colours(s, 0, 0)).toEqual({ fg: 15, bg: 4, char: 'M' });
    const one = s.lines.indexOf('one');
    expect(colours(s, 0, one)).toEqual({ fg: 15, bg: 4, char: 'o' });
    // The blank rest of the window is painted too.
    expect(colours(s, 30, 19).bg).toBe(4);
    s.type('echo two\r');
    await s.until((t) => t.lines.includes('two') && t.cursor.line === 'C:\\>', 'more output');
    expect(colours(s, 0, s.lines.indexOf('two'))).toEqual({ fg: 15, bg: 4, char: 't' });
    s.type('color\r');
    await s.until((t) => t.cursor.line === 'C:\\>' && colours(t, 0, 0).bg === 'default', 'the default colours');
    expect(colours(s, 0, s.lines.indexOf('two'))).toEqual({ fg: 'default', bg: 'default', char: 't' });
    s.type('exit\r');
    expect(await s.exited).toBe(0);
    // --rm: the container is gone once the session ends.
    expect(readdirSync(join(root.path, 'containers'))).toEqual([]);
  });
});

describe('more on a real terminal', () => {
  test('a file of 60 lines in a 10-row window: nine lines and `-- More (13%) --`; Space pages, q ends', async () => {
    const s = session('cmd', { columns: 40, rows: 10 });
    await s.prompt('C:\\>', 20_000);
    s.type('for /l %i in (1,1,60) do @echo line %i>>C:\\n.txt\r');
    s.type('cls\r');
    await s.until((t) => t.cursor.line === 'C:\\>' && t.cursor.y === t.term.buffer.active.baseY, 'a clear screen');
    s.type('more C:\\n.txt\r');
    await s.until((t) => t.cursor.line === '-- More (13%) --', 'the prompt');
    s.type(' ');
    await s.until((t) => t.cursor.line === '-- More (28%) --', 'the next page');
    expect(s.lines.slice(-2)).toEqual(['line 18', '-- More (28%) --']);
    s.type('q');
    await s.prompt('C:\\>');
    s.type('exit\r');
    expect(await s.exited).toBe(0);
  });
});

describe('PowerShell keys on a real terminal', () => {
  test('[Console]::ReadKey($true) returns the key typed, without Enter and without echo', async () => {
    const s = session('powershell', { columns: 80, rows: 20 });
    await s.prompt('PS C:\\> ', 20_000);
    s.type('$k = [Console]::ReadKey($true); "got " + $k.Key\r');
    await s.until((t) => t.lines.includes('PS C:\\> $k = [Console]::ReadKey($true); "got " + $k.Key'), 'the command');
    s.type('z');
    await s.until((t) => t.lines.includes('got Z'), 'the key');
    s.type('exit\r');
    expect(await s.exited).toBe(0);
  });
});
