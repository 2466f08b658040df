// The console follows the cursor column of what programs write (as conhost
// knows its buffer's cursor), with a VT terminal's rules: the line editor
// starts its line there.
import { describe, expect, test } from 'vitest';
import { Console } from '../../../src/kernel/process/console.js';

function after(text: string, columns = 20): number {
  const con = new Console({ columns });
  const w = con.outputPipe.writeEnd(true);
  void w.write(text);
  return con.cursorColumn;
}

describe('the cursor column', () => {
  test('printable characters advance it; CR and LF (ONLCR, ConPTY) return it to 0', () => {
    expect(after('C:\\>')).toBe(4);
    expect(after('abc\r')).toBe(0);
    expect(after('abc\ndef')).toBe(3);
  });

  test('at the right margin the wrap is pending (column = width) until the next character', () => {
    expect(after('x'.repeat(20))).toBe(20);
    expect(after('x'.repeat(21))).toBe(1);
  });

  test('BS, HT and the CSI cursor movements', () => {
    expect(after('abc\b')).toBe(2);
    expect(after('a\t')).toBe(8);
    expect(after('abcdef\x1b[3D')).toBe(3);
    expect(after('a\x1b[5C')).toBe(6);
    expect(after('abc\x1b[10G')).toBe(9);
    expect(after('abc\x1b[2;7H')).toBe(6);
  });

  test('OSC strings (a title) and SGR take no room; UTF-8 wide characters take two cells, combining marks none', () => {
    expect(after('\x1b]0;a title\x07\x1b[1;32mok\x1b[0m')).toBe(2);
    expect(after('\x1b]0;t\x1b\\x')).toBe(1);
    expect(after('漢字')).toBe(4);
    expect(after('e\u0301')).toBe(1);
  });

  test('a resize to fewer columns clamps it', () => {
    const con = new Console({ columns: 40 });
    void con.outputPipe.writeEnd(true).write('x'.repeat(30));
    con.resize(20, 10);
    expect(con.cursorColumn).toBe(20);
  });
});
