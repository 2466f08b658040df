import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numRuns, SEED } from '../../support/budget.js';
import { wildcardMatcher } from '../../../src/shell/cmd/files/wildcard.js';

const m = (p: string, n: string) => wildcardMatcher(p)(n);

describe('Windows wildcard rules (FsRtlIsNameInExpression as FindFirstFile uses it)', () => {
  it('* and *.* match every name, with or without an extension', () => {
    for (const n of ['a', 'a.txt', 'a.b.c', '.x']) {
      expect(m('*', n)).toBe(true);
      expect(m('*.*', n)).toBe(true);
    }
  });
  it('*.ext matches by the last extension', () => {
    expect(m('*.txt', 'a.txt')).toBe(true);
    expect(m('*.txt', 'a.b.txt')).toBe(true);
    expect(m('*.txt', 'a.txt.bak')).toBe(false);
    expect(m('*.txt', 'atxt')).toBe(false);
  });
  it('matching ignores case', () => {
    expect(m('*.TXT', 'a.txt')).toBe(true);
    expect(m('ABC', 'abc')).toBe(true);
  });
  it('a trailing ? run may match fewer characters (DOS_QM)', () => {
    expect(m('a??', 'a')).toBe(true);
    expect(m('a??', 'ab')).toBe(true);
    expect(m('a??', 'abc')).toBe(true);
    expect(m('a??', 'abcd')).toBe(false);
    expect(m('a?.txt', 'a.txt')).toBe(true);
    expect(m('a?c', 'ac')).toBe(false);
  });
  it('? does not match a period', () => {
    expect(m('a?b', 'a.b')).toBe(false);
  });
  it('name.* also matches the name without an extension (DOS_DOT)', () => {
    expect(m('abc.*', 'abc')).toBe(true);
    expect(m('abc.*', 'abc.def')).toBe(true);
    expect(m('abc.*', 'abcd')).toBe(false);
  });
  it('*. matches names without an extension', () => {
    expect(m('*.', 'readme')).toBe(true);
    expect(m('*.', 'a.txt')).toBe(false);
  });
  it('regex characters in names are literal', () => {
    expect(m('a+b(1).txt', 'a+b(1).txt')).toBe(true);
    expect(m('[x]*', '[x]y')).toBe(true);
  });
});

const nameChar = fc.constantFrom(...'abcXYZ019_-. ~$'.split(''));
const fileName = fc.array(nameChar, { minLength: 1, maxLength: 12 }).map((a) => a.join('')).filter((n) => !n.endsWith('.') && !n.endsWith(' '));

describe('wildcard properties', () => {
  it('a name without wildcards matches itself in any case, and * and *.* match every name', () => {
    fc.assert(
      fc.property(fileName, (n) => {
        expect(m(n, n)).toBe(true);
        expect(m(n.toUpperCase(), n.toLowerCase())).toBe(true);
        expect(m('*', n)).toBe(true);
        expect(m('*.*', n)).toBe(true);
      }),
      { seed: SEED, numRuns: numRuns(300) },
    );
  });
  it('*.ext matches exactly the names whose last extension is ext', () => {
    fc.assert(
      fc.property(fileName, fc.constantFrom('txt', 'a', 'b1'), (n, ext) => {
        const dot = n.lastIndexOf('.');
        const has = dot >= 0 && n.slice(dot + 1).toLowerCase() === ext.toLowerCase();
        expect(m(`*.${ext}`, n)).toBe(has);
      }),
      { seed: SEED, numRuns: numRuns(300) },
    );
  });
  it('one ? per character matches any name of that length without periods', () => {
    fc.assert(
      fc.property(fileName, (n) => {
        expect(m('?'.repeat(n.length), n)).toBe(!n.includes('.'));
      }),
      { seed: SEED, numRuns: numRuns(300) },
    );
  });
});
