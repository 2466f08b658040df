// Cooked-read line editing as conhost does it, seen on a terminal screen:
// the keys a terminal sends, the line the program gets, what the screen shows.
import { afterEach, describe, expect, test } from 'vitest';
import { Session } from './support.js';

const UP = '\x1b[A';
const DOWN = '\x1b[B';
const RIGHT = '\x1b[C';
const LEFT = '\x1b[D';
const HOME = '\x1b[H';
const END = '\x1b[F';
const DEL = '\x1b[3~';
const INS = '\x1b[2~';
const BS = '\x7f';

let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

function open(options: ConstructorParameters<typeof Session>[0] = {}): Session {
  session = new Session(options);
  return session;
}

describe('typing and Enter', () => {
  test('typed characters are echoed after the prompt; Enter gives the line without CR LF and echoes CR LF', async () => {
    const s = open();
    await s.typeAndSettle('dir /b');
    expect(s.screen.lines).toEqual(['C:\\>dir /b']);
    expect(s.screen.cursor).toEqual({ x: 10, y: 0 });
    s.type('\r');
    expect(await s.line(0)).toBe('dir /b');
    await s.until(() => s.screen.lines.length === 3);
    expect(s.screen.lines).toEqual(['C:\\>dir /b', '[dir /b]', 'C:\\>']);
  });

  test('Enter in the middle of the line returns the whole line', async () => {
    const s = open();
    s.type(`echo hello${HOME}\r`);
    expect(await s.line(0)).toBe('echo hello');
  });

  test('the LF of a CR LF pair belongs to the same Enter; LF alone is an Enter', async () => {
    const s = open();
    s.type('a\r\nb\nc\r');
    expect(await s.line(2)).toBe('c');
    expect(s.lines).toEqual(['a', 'b', 'c']);
  });

  test('UTF-8 text, split anywhere across writes, arrives as characters', async () => {
    const s = open();
    const bytes = new TextEncoder().encode('héllo wörld €\r');
    for (const b of bytes) void s.console.input.write(new Uint8Array([b]));
    expect(await s.line(0)).toBe('héllo wörld €');
  });
});

describe('moving and deleting', () => {
  test('Left, Home and End move the cursor; typed text is inserted at it', async () => {
    const s = open();
    await s.typeAndSettle(`eco${LEFT}h${RIGHT}x${BS}`);
    expect(s.screen.lines).toEqual(['C:\\>echo']);
    expect(s.screen.cursor.x).toBe(8);
    await s.typeAndSettle(`${HOME}@${END} hi`);
    expect(s.screen.lines).toEqual(['C:\\>@echo hi']);
    s.type('\r');
    expect(await s.line(0)).toBe('@echo hi');
  });

  test('Backspace deletes before the cursor, Delete under it; both redraw the rest of the line', async () => {
    const s = open();
    await s.typeAndSettle(`abcdef${LEFT}${LEFT}${LEFT}${BS}`);
    expect(s.screen.lines).toEqual(['C:\\>abdef']);
    expect(s.screen.cursor.x).toBe(6);
    await s.typeAndSettle(`${DEL}${DEL}`);
    expect(s.screen.lines).toEqual(['C:\\>abf']);
    await s.typeAndSettle(`${END}${DEL}${HOME}${BS}`);
    expect(s.screen.lines).toEqual(['C:\\>abf']);
    s.type('\r');
    expect(await s.line(0)).toBe('abf');
  });

  test('Insert toggles overwrite mode for this read only: typed characters replace the ones under the cursor', async () => {
    const s = open();
    s.type(`hello world${HOME}${INS}HELLO${END}!\r`);
    expect(await s.line(0)).toBe('HELLO world!');
    // The next read starts in insert mode again.
    s.type(`bc${HOME}a\r`);
    expect(await s.line(1)).toBe('abc');
  });

  test('Ctrl+Left and Ctrl+Right move by words; Ctrl+Home and Ctrl+End delete to the start and to the end', async () => {
    const s = open();
    s.type(`copy a.txt b.txt\x1b[1;5D\x1b[1;5DX\r`);
    expect(await s.line(0)).toBe('copy Xa.txt b.txt');
    s.type(`one two three${HOME}\x1b[1;5C\x1b[1;5F\r`);
    expect(await s.line(1)).toBe('one ');
    s.type(`one two three\x1b[1;5D\x1b[1;5H\r`);
    expect(await s.line(2)).toBe('three');
  });

  test('Esc clears the line (a lone ESC, decided after its timeout)', async () => {
    const s = open();
    await s.typeAndSettle('del *.*');
    s.type('\x1b');
    await s.until(() => s.screen.lines[0] === 'C:\\>', 'the line to clear');
    s.type('ver\r');
    expect(await s.line(0)).toBe('ver');
  });

  test('an escape sequence split across writes is still one key', async () => {
    const s = open();
    s.type('ab');
    s.type('\x1b');
    s.type('[');
    s.type('D');
    s.type('X\r');
    expect(await s.line(0)).toBe('aXb');
  });

  test('SS3 cursor keys (application mode) and the rxvt/VT220 Home and End work too', async () => {
    const s = open();
    s.type('bc\x1bOD\x1bODa\x1b[4~d\x1b[1~>\r');
    expect(await s.line(0)).toBe('>abcd');
  });
});

describe('wrapping at the console width', () => {
  test('a line longer than the row wraps; moving and deleting across the wrap keep the screen right', async () => {
    const s = open({ columns: 12 });
    await s.typeAndSettle('0123456789abcdefg');
    expect(s.screen.lines).toEqual(['C:\\>01234567', '89abcdefg']);
    expect(s.screen.cursor).toEqual({ x: 9, y: 1 });
    await s.typeAndSettle(HOME);
    expect(s.screen.cursor).toEqual({ x: 4, y: 0 });
    await s.typeAndSettle(`${DEL}${DEL}${DEL}`);
    expect(s.screen.lines).toEqual(['C:\\>3456789a', 'bcdefg']);
    expect(s.screen.cursor).toEqual({ x: 4, y: 0 });
    s.type('\r');
    expect(await s.line(0)).toBe('3456789abcdefg');
  });

  test('a line ending exactly at the margin puts the cursor at the start of the next row', async () => {
    const s = open({ columns: 12 });
    await s.typeAndSettle('01234567');
    expect(s.screen.lines).toEqual(['C:\\>01234567']);
    expect(s.screen.cursor).toEqual({ x: 0, y: 1 });
    await s.typeAndSettle(`${BS}`);
    expect(s.screen.lines).toEqual(['C:\\>0123456']);
    expect(s.screen.cursor).toEqual({ x: 11, y: 0 });
    await s.typeAndSettle('78');
    expect(s.screen.lines).toEqual(['C:\\>01234567', '8']);
    await s.typeAndSettle(`${HOME}${LEFT}${RIGHT}${END}`);
    expect(s.screen.cursor).toEqual({ x: 1, y: 1 });
  });

  test('wide characters take two cells and never straddle the margin', async () => {
    const s = open({ columns: 10 });
    await s.typeAndSettle('ab漢字です');
    expect(s.screen.lines).toEqual(['C:\\>ab漢字', 'です']);
    s.type(`${LEFT}${LEFT}${BS}x\r`);
    expect(await s.line(0)).toBe('ab漢xです');
  });

  test('a resize changes where the next edits wrap', async () => {
    const s = open({ columns: 40 });
    await s.typeAndSettle('0123456789');
    s.console.resize(12, 10);
    s.screen.term.resize(12, 10);
    await s.typeAndSettle('abcdef');
    expect(s.screen.lines.slice(-2)).toEqual(['C:\\>01234567', '89abcdef']);
  });
});

describe('limits', () => {
  test('a line stops growing at 8191 characters (cmd\'s command-line limit)', async () => {
    const s = open({ columns: 200, rows: 60 });
    s.type('x'.repeat(8200) + '\r');
    const line = await s.line(0);
    expect(line).toBe('x'.repeat(8191));
  });
});
