// Keys from terminal bytes (keys.ts): the sequences terminals send, and the
// rule that a chunk boundary anywhere changes nothing.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { KeyDecoder, type Key } from '../../../src/shell/console/keys.js';
import { numRuns, SEED } from '../../support/budget.js';

function decode(...chunks: (string | Uint8Array)[]): Key[] {
  const d = new KeyDecoder();
  const keys: Key[] = [];
  for (const c of chunks) d.feed(typeof c === 'string' ? new TextEncoder().encode(c) : c, (k) => (keys.push(k), true));
  d.flushEscape((k) => (keys.push(k), true));
  return keys;
}

const key = (type: string, mods: Partial<{ ctrl: boolean; shift: boolean; alt: boolean }> = {}) => ({ type, ctrl: false, shift: false, alt: false, ...mods });

describe('sequences', () => {
  test('cursor keys, CSI and SS3, with xterm modifier parameters', () => {
    expect(decode('\x1b[A\x1b[B\x1b[C\x1b[D\x1bOA\x1bOD')).toEqual([key('up'), key('down'), key('right'), key('left'), key('up'), key('left')]);
    expect(decode('\x1b[1;5D\x1b[1;2C\x1b[1;3A\x1b[1;8B')).toEqual([
      key('left', { ctrl: true }),
      key('right', { shift: true }),
      key('up', { alt: true }),
      key('down', { ctrl: true, shift: true, alt: true }),
    ]);
  });

  test('Home and End in all their spellings; Insert, Delete, PgUp, PgDn', () => {
    expect(decode('\x1b[H\x1b[F\x1bOH\x1bOF\x1b[1~\x1b[4~\x1b[7~\x1b[8~')).toEqual(['home', 'end', 'home', 'end', 'home', 'end', 'home', 'end'].map((t) => key(t)));
    expect(decode('\x1b[2~\x1b[3~\x1b[5~\x1b[6~\x1b[3;5~')).toEqual([key('insert'), key('delete'), key('pageUp'), key('pageDown'), key('delete', { ctrl: true })]);
  });

  test('Enter, Backspace (DEL and BS), Tab, Shift+Tab, Esc', () => {
    expect(decode('\r\x7f\x08\t\x1b[Z\x1b')).toEqual([{ type: 'enter' }, { type: 'backspace' }, { type: 'backspace' }, { type: 'tab', shift: false }, { type: 'tab', shift: true }, { type: 'escape' }]);
  });

  test('text runs are one key; Alt+letter inserts the letter; other controls, function keys and paste markers are ignored', () => {
    expect(decode('dir /s')).toEqual([{ type: 'text', text: 'dir /s' }]);
    expect(decode('\x1bx')).toEqual([{ type: 'text', text: 'x' }]);
    expect(decode('a\x01\x1b[15~\x1b[200~b\x1b[201~\x1b[I\x1b[<0;1;1M')).toEqual([{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }]);
  });

  test('ESC ESC is two Esc keys; ESC before Enter is Esc then Enter', () => {
    expect(decode('\x1b\x1b')).toEqual([{ type: 'escape' }, { type: 'escape' }]);
    expect(decode('\x1b\r')).toEqual([{ type: 'escape' }, { type: 'enter' }]);
  });

  test('a lone ESC at the end of a chunk waits: the next chunk decides', () => {
    const d = new KeyDecoder();
    const keys: Key[] = [];
    d.feed(new TextEncoder().encode('a\x1b'), (k) => (keys.push(k), true));
    expect(d.escapePending).toBe(true);
    d.feed(new TextEncoder().encode('[D'), (k) => (keys.push(k), true));
    expect(keys).toEqual([{ type: 'text', text: 'a' }, key('left')]);
  });

  test('feed stops after the key the sink refuses and says how many bytes it used (CR LF together)', () => {
    const d = new KeyDecoder();
    const bytes = new TextEncoder().encode('ab\r\ncd');
    expect(d.feed(bytes, (k) => k.type !== 'enter')).toBe(4);
    expect(d.feed(new TextEncoder().encode('ab\r'), (k) => k.type !== 'enter')).toBe(3);
    // The LF of the pair arriving in the next chunk is still part of that Enter.
    const keys: Key[] = [];
    d.feed(new TextEncoder().encode('\nx'), (k) => (keys.push(k), true));
    expect(keys).toEqual([{ type: 'text', text: 'x' }]);
  });
});

describe('chunking', () => {
  const pieces = ['a', 'é', '€', '漢', '😀', '\r', '\x7f', '\t', '\x1b[A', '\x1b[1;5C', '\x1bOH', '\x1b[3~', '\x1b[Z', '\x1b[2~'];

  test('splitting the input anywhere yields the same keys (text runs may split, never a character or a sequence)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 8 }), (parts, cuts) => {
        const bytes = new TextEncoder().encode(parts.join(''));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
        const chunks: Uint8Array[] = [];
        let last = 0;
        for (const p of points) {
          chunks.push(bytes.subarray(last, p));
          last = p;
        }
        chunks.push(bytes.subarray(last));
        const whole = joinText(decode(bytes));
        expect(joinText(decode(...chunks))).toEqual(whole);
      }),
      { seed: SEED, numRuns: numRuns(300) },
    );
  });
});

/** Adjacent text keys merged (a chunk boundary may split a run of text). */
function joinText(keys: Key[]): Key[] {
  const out: Key[] = [];
  for (const k of keys) {
    const prev = out[out.length - 1];
    if (k.type === 'text' && prev?.type === 'text') out[out.length - 1] = { type: 'text', text: prev.text + k.text };
    else out.push(k);
  }
  return out;
}
