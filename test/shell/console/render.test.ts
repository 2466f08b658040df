// The echo renderer (render.ts) against a real terminal emulator: after any
// sequence of edits, the screen shows exactly the prompt and the line, laid
// out in the console's width, with the cursor where the editor has it.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cellWidth } from '../../../src/kernel/process/console.js';
import type { Key } from '../../../src/shell/console/keys.js';
import { LineEditor } from '../../../src/shell/console/line-editor.js';
import { LineRenderer } from '../../../src/shell/console/render.js';
import { numRuns, SEED } from '../../support/budget.js';
import { Screen } from './support.js';

function write(screen: Screen, text: string): Promise<void> {
  return new Promise((resolve) => screen.term.write(text, resolve));
}

/** Where the editor's line and cursor must appear: rows of `width` cells after `prompt`. */
function expected(prompt: string, chars: string[], cursor: number, width: number): { rows: string[]; x: number; y: number } {
  const rows: string[] = [prompt];
  let col = prompt.length;
  let at = { x: col, y: 0 };
  chars.forEach((ch, i) => {
    const w = cellWidth(ch.codePointAt(0)!);
    if (col + w > width) {
      rows.push('');
      col = 0;
    }
    if (i === cursor) at = { x: col, y: rows.length - 1 };
    rows[rows.length - 1] += ch;
    col += w;
  });
  if (cursor === chars.length) at = col >= width ? { x: 0, y: rows.length } : { x: col, y: rows.length - 1 };
  // The screen helper trims trailing blanks (a typed space looks like an empty cell).
  const trimmed = rows.map((r) => r.trimEnd());
  while (trimmed.length > 1 && trimmed[trimmed.length - 1] === '') trimmed.pop();
  return { rows: trimmed, ...at };
}

const keyArb: fc.Arbitrary<Key> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'xyz', ' ', '漢', 'é', '0123456789').map((text): Key => ({ type: 'text', text })) },
  { weight: 4, arbitrary: fc.constantFrom('left', 'right', 'home', 'end', 'delete', 'insert').map((type): Key => ({ type: type as 'left', ctrl: false, shift: false, alt: false })) },
  { weight: 1, arbitrary: fc.constantFrom('left', 'right', 'home', 'end').map((type): Key => ({ type: type as 'left', ctrl: true, shift: false, alt: false })) },
  { weight: 2, arbitrary: fc.constant<Key>({ type: 'backspace' }) },
  { weight: 1, arbitrary: fc.constant<Key>({ type: 'escape' }) },
);

describe('the screen always shows the line', () => {
  // Found by the deep run (seed 170580836): a wide character that moves down a row leaves cells at
  // the end of the row above, which must be blanked, not left showing the old line.
  test('a cell a wide character leaves at the end of a row is blanked when the line shrinks before it', async () => {
    const width = 7;
    const screen = new Screen(width, 30);
    const prompt = 'C:\\>';
    await write(screen, prompt);
    const editor = new LineEditor(200, undefined, undefined);
    const renderer = new LineRenderer(prompt.length, () => width);
    const batches: Key[][] = [
      [{ type: 'text', text: 'aaa' }],
      [{ type: 'text', text: '漢' }],
      [{ type: 'left', ctrl: false, shift: false, alt: false }, { type: 'backspace' }],
    ];
    for (const batch of batches) {
      for (const k of batch) editor.apply(k);
      await write(screen, renderer.render(editor.chars, editor.cursor));
    }
    expect(screen.lines.slice(0, 2)).toEqual(['C:\\>aa', '漢']);
    expect(screen.lines.slice(2).every((l) => l === '')).toBe(true);
    expect(screen.cursor).toEqual({ x: 0, y: 1 });
  });

  test('random edits in a narrow console: rows, wraps and cursor match the editor (xterm as the oracle)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(keyArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 25 }), fc.integer({ min: 7, max: 16 }), async (batches, width) => {
        const screen = new Screen(width, 30);
        const prompt = 'C:\\>';
        await write(screen, prompt);
        const editor = new LineEditor(200, undefined, undefined);
        const renderer = new LineRenderer(prompt.length, () => width);
        for (const batch of batches) {
          for (const k of batch) editor.apply(k);
          await write(screen, renderer.render(editor.chars, editor.cursor));
          const want = expected(prompt, editor.chars, editor.cursor, width);
          expect(screen.lines.slice(0, want.rows.length)).toEqual(want.rows);
          expect(screen.lines.slice(want.rows.length).every((l) => l === '')).toBe(true);
          expect(screen.cursor).toEqual({ x: want.x, y: want.y });
        }
      }),
      { seed: SEED, numRuns: numRuns(60) },
    );
  });
});
