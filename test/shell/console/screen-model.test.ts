// The console's screen model (src/kernel/process/screen-buffer.ts) against
// a real terminal emulator, on output written in big chunks: rows kept as
// strings, and a chunk that scrolls the whole window away followed only
// from where its visible part starts — the window and the cursor must be
// what xterm shows, and the same as when every byte is followed.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Console } from '../../../src/kernel/process/console.js';
import { encodeText } from '../../../src/kernel/process/pipe.js';
import { numRuns, SEED } from '../../support/budget.js';
import { Screen } from './support.js';

function flushed(screen: Screen): Promise<void> {
  return new Promise((resolve) => screen.term.write('', resolve));
}

async function pump(con: Console, screen: Screen): Promise<void> {
  while (con.outputPipe.available > 0) {
    const b = await con.output.read();
    if (b === null) break;
    screen.write(b);
  }
  await flushed(screen);
}

function modelWindow(con: Console, rows: number): string[] {
  return Array.from({ length: rows }, (_, y) => con.screenRow(y));
}

function termWindow(screen: Screen): string[] {
  const b = screen.term.buffer.active;
  return Array.from({ length: screen.term.rows }, (_, y) => (b.getLine(b.baseY + y)?.translateToString(true) ?? '').trimEnd());
}

// No ESC in the bulk pieces (the shortcut's case); the optional prefix moves the cursor up first.
const bulkArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'hello', 'C:\\>', 'x'.repeat(13), '漢字', 'é', ' ', 'Directory of C:\\Windows') },
  // (A bare LF is CR LF to the model, as ONLCR and ConPTY make it; this xterm has no convertEol, so only CR LF here.)
  { weight: 4, arbitrary: fc.constant('\r\n') },
  { weight: 1, arbitrary: fc.constantFrom('\r', '\b', '\t') },
);
const prefixArb = fc.constantFrom('', 'one\r\ntwo\r\nthree\r\n\x1b[2A', '\x1b[H', 'abc\x1b[3D');

describe('the screen model follows big writes as a terminal shows them', () => {
  test('a chunk that scrolls the window away: window and cursor as xterm has them, as byte-by-byte following has them', async () => {
    await fc.assert(
      fc.asyncProperty(prefixArb, fc.array(bulkArb, { minLength: 1, maxLength: 120 }), fc.integer({ min: 8, max: 20 }), fc.integer({ min: 2, max: 8 }), async (prefix, pieces, columns, rows) => {
        const bulk = encodeText(pieces.join(''));
        const whole = new Console({ columns, rows });
        const screen = new Screen(columns, rows);
        if (prefix) await whole.outputPipe.write(encodeText(prefix));
        await whole.outputPipe.write(bulk);
        await pump(whole, screen);
        const bytes = new Console({ columns, rows });
        if (prefix) await bytes.outputPipe.write(encodeText(prefix));
        for (let i = 0; i < bulk.length; i++) await bytes.outputPipe.write(bulk.subarray(i, i + 1));
        expect(modelWindow(whole, rows)).toEqual(modelWindow(bytes, rows));
        expect(whole.cursorColumn).toBe(bytes.cursorColumn);
        expect(modelWindow(whole, rows)).toEqual(termWindow(screen));
        // (xterm.js reports a pending wrap as column `columns`, as the model does.)
        expect(whole.cursorColumn).toBe(screen.term.buffer.active.cursorX);
      }),
      { numRuns: numRuns(150), seed: SEED },
    );
  });

  test('rows below a cursor moved up stay until they scroll off (the shortcut needs 2 × rows line feeds)', async () => {
    // one/two/three, cursor back up on `two`, then 4 lines in a 4-row window: `three`'s tail is still on screen.
    const con = new Console({ columns: 10, rows: 4 });
    await con.outputPipe.write(encodeText('one\r\ntwo\r\nthree\r\n\x1b[2A'));
    await con.outputPipe.write(encodeText('a\r\nb\r\nc\r\nd\r\ne'));
    expect(modelWindow(con, 4)).toEqual(['bhree', 'c', 'd', 'e']);
  });

  test('a 1 MB listing in 64 KiB writes leaves its last rows in the window', async () => {
    const con = new Console({ columns: 120, rows: 30 });
    let text = '';
    for (let i = 0; text.length < 1 << 20; i++) text += `line ${i}\r\n`;
    const data = encodeText(text);
    const lines = text.split('\r\n');
    for (let o = 0; o < data.length; o += 65536) {
      await con.outputPipe.write(data.subarray(o, o + 65536));
      while (con.outputPipe.available > 0) await con.output.read();
    }
    // The window: the last 29 lines, then the empty row the cursor is on.
    expect(modelWindow(con, 30)).toEqual([...lines.slice(-30, -1), '']);
    expect(con.cursorColumn).toBe(0);
  });
});
