// Go library texts winsilo's tables and messages reproduce: fmt %g,
// go-units HumanDuration / HumanSizeWithPrecision, strconv.ParseInt/Quote.
import { describe, expect, test } from 'vitest';
import { bytesSize, formatGoG, goQuote, goQuoteRune, humanDuration, humanSize, humanSizeWithPrecision, parseGoInt64 } from '../../src/cli/goformat.js';

describe('HumanSizeWithPrecision(size, 3): docker images SIZE, decimal units', () => {
  test.each([
    [0, '0B'],
    [1, '1B'],
    [999, '999B'],
    [1000, '1kB'],
    [1500, '1.5kB'],
    [5_694_000_000, '5.69GB'],
    [123_456_789, '123MB'],
    [1_950_000_000, '1.95GB'],
    [100_000_000, '100MB'],
    [12_345, '12.3kB'],
    // %g switches to an exponent when rounding reaches the precision: Go prints 1e+03.
    [999_950, '1e+03kB'],
    [999_999_999, '1e+03MB'],
    // An exact tie rounds half to even, as strconv does (JavaScript's toPrecision would give 2.13kB).
    [2125, '2.12kB'],
    [2135, '2.13kB'],
  ])('%d → %s', (size, text) => {
    expect(humanSizeWithPrecision(size, 3)).toBe(text);
  });

  test('HumanSize keeps four digits, BytesSize binary units', () => {
    expect(humanSize(2_746_000)).toBe('2.746MB');
    expect(bytesSize(512 * 1024 * 1024)).toBe('512MiB');
    expect(bytesSize(1536)).toBe('1.5KiB');
  });

  test('%g picks the exponent form for small exponents too', () => {
    expect(formatGoG(0.00001234, 3)).toBe('1.23e-05');
    expect(formatGoG(0.0001234, 3)).toBe('0.000123');
    expect(formatGoG(100, 3)).toBe('100');
    expect(formatGoG(1234, 3)).toBe('1.23e+03');
  });
});

describe('HumanDuration (CREATED … ago)', () => {
  const s = 1000;
  const h = 3600 * s;
  test.each([
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [s, '1 second'],
    [59 * s, '59 seconds'],
    [60 * s, 'About a minute'],
    [119 * s, 'About a minute'],
    [120 * s, '2 minutes'],
    [59 * 60 * s, '59 minutes'],
    [60 * 60 * s, 'About an hour'],
    // Hours round to the nearest: 89 minutes is still about an hour, 90 is 2 hours.
    [89 * 60 * s, 'About an hour'],
    [90 * 60 * s, '2 hours'],
    [47 * h, '47 hours'],
    [48 * h, '2 days'],
    [13 * 24 * h, '13 days'],
    [14 * 24 * h, '2 weeks'],
    [21 * 24 * h, '3 weeks'],
    [60 * 24 * h, '2 months'],
    [364 * 24 * h, '12 months'],
    [729 * 24 * h, '24 months'],
    [730 * 24 * h, '2 years'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('strconv', () => {
  test('ParseInt(s, 0, 64) accepts what Go accepts', () => {
    expect(parseGoInt64('0')).toBe(0n);
    expect(parseGoInt64('-0x1F')).toBe(-31n);
    expect(parseGoInt64('0o17')).toBe(15n);
    expect(parseGoInt64('0b101')).toBe(5n);
    expect(parseGoInt64('0_7')).toBe(7n);
    expect(parseGoInt64('9223372036854775807')).toBe(9223372036854775807n);
    expect(parseGoInt64('-9223372036854775808')).toBe(-9223372036854775808n);
  });

  test.each(['', '+', '0x', '1_', '_1', '08', '1.5', ' 1', '0x_'])('ParseInt refuses %j with invalid syntax', (s) => {
    expect(() => parseGoInt64(s)).toThrow(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  });

  test('ParseInt beyond int64 is out of range', () => {
    expect(() => parseGoInt64('9223372036854775808')).toThrow('strconv.ParseInt: parsing "9223372036854775808": value out of range');
  });

  test('Quote and QuoteRune escape as Go does', () => {
    expect(goQuote('a"b\\c\n\x07\x7f')).toBe('"a\\"b\\\\c\\n\\a\\x7f"');
    expect(goQuote('é€')).toBe('"é€"');
    expect(goQuoteRune(0x27)).toBe("'\\''");
    expect(goQuoteRune(0x85)).toBe("'\\u0085'");
  });
});
