// The upcase table names are folded with (RtlUpcaseUnicodeChar's rule, src/core/ob/upcase.ts):
// each UTF-16 code unit to its simple upper case when that is one unit, else to itself;
// surrogates to themselves. Built by spans for speed: it must equal the unit-by-unit rule.
import { describe, expect, test } from 'vitest';
import { fold, upcaseTable } from '../../../src/core/ob/upcase.js';

describe('the upcase table', () => {
  test('maps every code unit as the unit-by-unit rule does', () => {
    const t = upcaseTable();
    const wrong: string[] = [];
    for (let c = 0; c < 65536; c++) {
      const u = c >= 0xd800 && c <= 0xdfff ? '' : String.fromCharCode(c).toUpperCase();
      const expected = u.length === 1 ? u.charCodeAt(0) : c;
      if (t[c] !== expected) wrong.push(`U+${c.toString(16).padStart(4, '0')}`);
    }
    expect(wrong).toEqual([]);
  });

  test('expanding letters stay themselves; their neighbours still fold', () => {
    const t = upcaseTable();
    expect([t[0xdf], t[0xe0], t[0xfb00], t[0x1f80], t[0x3b1], t[0xd800], t[0x61]]).toEqual([0xdf, 0xc0, 0xfb00, 0x1f80, 0x391, 0xd800, 0x41]);
    expect(fold('straße')).toBe('STRAßE');
  });
});
