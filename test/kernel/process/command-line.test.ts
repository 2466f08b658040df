// CommandLineToArgvW's rules (Microsoft Learn "Parsing C command-line
// arguments" table; Wine's shell32 tests for the quote-run behaviour) and a
// quoting helper that round-trips through it.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { argvToCommandLine, commandLineToArgv, quoteArgument } from '../../../src/kernel/process/command-line.js';
import { numRuns, SEED } from '../../support/budget.js';

const split = (s: string) => commandLineToArgv(s, 'C:\\Windows\\system32\\prog.exe');
// The documented table's rows, with a program name in front (the table is about argv[1…]).
const args = (s: string) => split(`p ${s}`).slice(1);

describe('CommandLineToArgvW', () => {
  test.each([
    ['"abc" d e', ['abc', 'd', 'e']],
    ['a\\\\b d"e f"g h', ['a\\\\b', 'de fg', 'h']],
    ['a\\\\\\"b c d', ['a\\"b', 'c', 'd']],
    ['a\\\\\\\\"b c" d e', ['a\\\\b c', 'd', 'e']],
  ])('the documented examples: %s', (line, expected) => {
    expect(args(line)).toEqual(expected);
  });

  test('2n backslashes before a quote give n backslashes and the quote delimits', () => {
    expect(args('"a\\\\" b')).toEqual(['a\\', 'b']);
  });

  test('2n+1 backslashes before a quote give n backslashes and a literal quote', () => {
    expect(args('\\"a')).toEqual(['"a']);
    expect(args('\\\\\\"a')).toEqual(['\\"a']);
  });

  test('backslashes not followed by a quote are literal', () => {
    expect(args('C:\\dir\\ x\\\\y')).toEqual(['C:\\dir\\', 'x\\\\y']);
  });

  test('"" inside quotes is a literal quote and the quoted part goes on', () => {
    expect(args('"a""b"')).toEqual(['a"b']);
    expect(args('"""a"""')).toEqual(['"a"']);
  });

  test('a closing quote followed by a quote then a space ends the argument (not the VC++ 2008 rule)', () => {
    expect(args('"a"" b"')).toEqual(['a"', 'b']);
    expect(args('a"b"" c d')).toEqual(['ab"', 'c', 'd']);
  });

  test('an empty quoted argument is an empty argument', () => {
    expect(args('"" x')).toEqual(['', 'x']);
    expect(args('""')).toEqual(['']);
  });

  test('spaces and tabs separate arguments; runs of them count once', () => {
    expect(args('a \t  b\t')).toEqual(['a', 'b']);
  });

  test('the program name ends at the next quote when it starts with one, backslashes and all', () => {
    expect(split('"C:\\Program Files\\x.exe" -a')).toEqual(['C:\\Program Files\\x.exe', '-a']);
    expect(split('"C:\\a\\"b')).toEqual(['C:\\a\\', 'b']);
    expect(split('"unterminated name')).toEqual(['unterminated name']);
  });

  test('an unquoted program name ends at white space and keeps its quotes', () => {
    expect(split('a"b c"d e')).toEqual(['a"b', 'cd e']);
  });

  test('an empty command line gives the program path', () => {
    expect(split('')).toEqual(['C:\\Windows\\system32\\prog.exe']);
  });

  test('leading blanks before the first argument are skipped, none after the program name', () => {
    expect(split('prog   x')).toEqual(['prog', 'x']);
    expect(split('prog ')).toEqual(['prog']);
  });
});

describe('quoting', () => {
  test('an argument without blanks or quotes stays bare', () => {
    expect(quoteArgument('abc')).toBe('abc');
    expect(quoteArgument('C:\\dir\\')).toBe('C:\\dir\\');
  });

  test('blanks, quotes and empty arguments are quoted with backslashes doubled before a quote', () => {
    expect(quoteArgument('')).toBe('""');
    expect(quoteArgument('a b')).toBe('"a b"');
    expect(quoteArgument('a"b')).toBe('"a\\"b"');
    expect(quoteArgument('C:\\dir name\\')).toBe('"C:\\dir name\\\\"');
  });

  test('argvToCommandLine round-trips through CommandLineToArgvW', () => {
    const argChar = fc.constantFrom('a', 'b', ' ', '\t', '"', '\\', 'é', '=');
    const arg = fc.array(argChar, { maxLength: 8 }).map((a) => a.join(''));
    const prog = fc.array(fc.constantFrom('p', 'q', ' ', '\\', '.'), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
    fc.assert(
      fc.property(prog, fc.array(arg, { maxLength: 5 }), (p, rest) => {
        fc.pre(p.trim().length > 0 && p === p.trim());
        const argv = [p, ...rest];
        expect(commandLineToArgv(argvToCommandLine(argv))).toEqual(argv);
      }),
      { seed: SEED, numRuns: numRuns(500) },
    );
  });
});
