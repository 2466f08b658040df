// The console's screen model (src/kernel/process/screen-buffer.ts) against
// a real terminal emulator: whatever programs wrote — text, CR LF, wraps at
// the margin, wide characters, scrolling, cursor movements and erases —
// COLOR's repaint leaves the window showing the same characters with the
// cursor where it was, and every cell of the console's rows in the new
// colours (xterm as the oracle).
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

function window(screen: Screen): string[] {
  const b = screen.term.buffer.active;
  return Array.from({ length: screen.term.rows }, (_, y) => (b.getLine(b.baseY + y)?.translateToString(true) ?? '').trimEnd());
}

const pieceArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'hello', 'C:\\>', 'x'.repeat(13), '漢字', 'é', ' ') },
  { weight: 3, arbitrary: fc.constant('\r\n') },
  { weight: 1, arbitrary: fc.constantFrom('\r', '\b', '\t', '\x1b[2D', '\x1b[C', '\x1b[A', '\x1b[B', '\x1b[K', '\x1b[J', '\x1b[3G', '\x1b[1K') },
);

describe('COLOR repaints what the window shows', () => {
  test('random output in a small window: the same characters and cursor after the repaint, the console rows in the new background', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pieceArb, { minLength: 1, maxLength: 60 }), fc.integer({ min: 8, max: 20 }), fc.integer({ min: 3, max: 8 }), async (pieces, columns, rows) => {
        const con = new Console({ columns, rows });
        const screen = new Screen(columns, rows);
        // The console starts at the terminal's top row (as after `cls`).
        await con.outputPipe.write(encodeText(pieces.join('')));
        await pump(con, screen);
        const before = window(screen);
        const cursor = { ...screen.cursor, y: screen.term.buffer.active.cursorY };
        con.fillAttributes(0x1f);
        await pump(con, screen);
        expect(window(screen)).toEqual(before);
        expect({ ...screen.cursor, y: screen.term.buffer.active.cursorY }).toEqual(cursor);
        const b = screen.term.buffer.active;
        for (let y = 0; y < rows; y++) {
          for (let x = 0; x < columns; x++) {
            const cell = b.getLine(b.baseY + y)!.getCell(x)!;
            expect(cell.isBgDefault() ? 'default' : cell.getBgColor()).toBe(4);
          }
        }
      }),
      { numRuns: numRuns(150), seed: SEED },
    );
  });
});
