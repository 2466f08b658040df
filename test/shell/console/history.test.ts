// Command history with conhost's rules (src/shell/console/history.ts):
// what Up, Down, PgUp, PgDn and Right-at-the-end show, and what is kept.
import { afterEach, describe, expect, test } from 'vitest';
import { addToHistory, recall } from '../../../src/shell/console/history.js';
import { createHistory } from '../../../src/shell/console/read-line.js';
import { Session } from './support.js';

const UP = '\x1b[A';
const DOWN = '\x1b[B';
const RIGHT = '\x1b[C';
const PGUP = '\x1b[5~';
const PGDN = '\x1b[6~';

let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

/** A session whose history already holds `entries`. */
function withHistory(entries: string[], max = 50): Session {
  const history = createHistory(max);
  for (const e of entries) addToHistory(history, e);
  session = new Session({ history });
  return session;
}

describe('what is kept', () => {
  test('entered lines are added; an empty line and a repeat of the previous entry are not', async () => {
    session = new Session();
    const s = session;
    s.type('dir\r\rdir\rver\rdir\r');
    await s.line(4);
    expect(s.history.entries).toEqual(['dir', 'ver', 'dir']);
  });

  test('a full history drops its oldest entry (max entries, conhost default 50)', () => {
    const h = createHistory();
    expect(h.max).toBe(50);
    for (let i = 0; i < 52; i++) addToHistory(h, `cmd${i}`);
    expect(h.entries.length).toBe(50);
    expect(h.entries[0]).toBe('cmd2');
    expect(h.entries[49]).toBe('cmd51');
  });

  test('a read without a history adds nothing anywhere and Up does nothing', () => {
    const h = createHistory(0);
    addToHistory(h, 'x');
    expect(h.entries).toEqual([]);
    expect(recall(h, 'previous')).toBeUndefined();
  });
});

describe('Up and Down', () => {
  test('Up from a new line recalls the last entry, then older ones; Up at the oldest stays', async () => {
    const s = withHistory(['one', 'two', 'three']);
    await s.typeAndSettle(UP);
    expect(s.screen.lines).toEqual(['C:\\>three']);
    await s.typeAndSettle(UP + UP + UP + UP);
    expect(s.screen.lines).toEqual(['C:\\>one']);
    s.type('\r');
    expect(await s.line(0)).toBe('one');
  });

  test('Down shows newer entries; from a fresh line it does nothing (nothing is newer)', async () => {
    const s = withHistory(['one', 'two', 'three']);
    s.type(DOWN + '\r');
    expect(await s.line(0)).toBe('');
    s.type(UP + UP + UP + DOWN + '\r');
    expect(await s.line(1)).toBe('two');
  });

  test('a recalled line replaces what was typed, shorter or longer, on the screen too', async () => {
    const s = withHistory(['a', 'a much longer command line']);
    await s.typeAndSettle('typed text' + UP);
    expect(s.screen.lines).toEqual(['C:\\>a much longer command line']);
    await s.typeAndSettle(UP);
    expect(s.screen.lines).toEqual(['C:\\>a']);
  });

  test('after running a recalled command, Up shows it again and Down the one after it', async () => {
    const s = withHistory(['one', 'two', 'three']);
    s.type(UP + UP + '\r');
    expect(await s.line(0)).toBe('two');
    expect(s.history.entries).toEqual(['one', 'two', 'three', 'two']);
    s.type(UP + '\r');
    expect(await s.line(1)).toBe('two');
    s.type(DOWN + '\r');
    expect(await s.line(2)).toBe('three');
  });

  test('a changed recalled command goes to the end and Up starts from it', async () => {
    const s = withHistory(['one', 'two', 'three']);
    s.type(UP + UP + 'x\r');
    expect(await s.line(0)).toBe('twox');
    s.type(UP + '\r');
    expect(await s.line(1)).toBe('twox');
  });

  test('PgUp shows the oldest entry and PgDn the newest', async () => {
    const s = withHistory(['one', 'two', 'three']);
    s.type(UP + UP + UP + PGDN + '\r');
    expect(await s.line(0)).toBe('three');
    s.type(PGUP + '\r');
    expect(await s.line(1)).toBe('one');
  });

  test('Right at the end of the line copies one character of the last command (F1)', async () => {
    const s = withHistory(['echo hello']);
    s.type(RIGHT + RIGHT + RIGHT + RIGHT + RIGHT + 'HELLO\r');
    expect(await s.line(0)).toBe('echo HELLO');
  });
});
