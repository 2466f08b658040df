// The daemon's small rules, each pinned on its own: moby's BoolValue,
// filters in both shapes, signal names, API version order, Go's time
// format, stdcopy frames, `docker cp` paths and tar round trips.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { volumePath } from '../../src/daemon/archive.js';
import { goTime, nanoTime } from '../../src/daemon/inspect.js';
import { boolValue, parseFilters } from '../../src/daemon/params.js';
import { parseSignal } from '../../src/daemon/signals.js';
import { demultiplex, frame } from '../../src/daemon/stdcopy.js';
import { packTar, unpackTar, type TarEntry } from '../../src/images/tar-stream.js';
import { compareApiVersions } from '../../src/daemon/version.js';
import { numRuns, SEED } from '../support/budget.js';

describe('rules', () => {
  test('BoolValue: "", 0, no, false, none are false (any case, trimmed); anything else true — docker-py sends True/False', () => {
    const b = (v: string | null) => boolValue(new URLSearchParams(v === null ? '' : `x=${encodeURIComponent(v)}`), 'x');
    for (const v of [null, '', '0', 'no', 'FALSE', ' False ', 'none']) expect(b(v)).toBe(false);
    for (const v of ['1', 'true', 'True', 'yes', 'on', 'x']) expect(b(v)).toBe(true);
  });

  test('filters come as {"k":{"v":true}} (the CLI) or {"k":["v"]} (docker-py), and mean the same', () => {
    expect([...parseFilters('{"label":{"a=b":true}}')]).toEqual([...parseFilters('{"label":["a=b"]}')]);
    expect(() => parseFilters('[1]')).toThrow(/invalid filter/);
  });

  test('signals: names with or without SIG, any case, numbers; 0 and unknown names refused', () => {
    expect(parseSignal('')).toEqual({ name: 'KILL', number: 9 });
    expect(parseSignal('sigterm')).toEqual({ name: 'TERM', number: 15 });
    expect(parseSignal('WINCH')).toEqual({ name: 'WINCH', number: 28 });
    expect(parseSignal('2')).toEqual({ name: 'INT', number: 2 });
    expect(() => parseSignal('0')).toThrow('Invalid signal: 0');
    expect(() => parseSignal('NOPE')).toThrow('Invalid signal: NOPE');
  });

  test('API versions compare part by part as numbers (1.9 < 1.24 < 1.50)', () => {
    expect(compareApiVersions('1.9', '1.24')).toBe(-1);
    expect(compareApiVersions('1.50', '1.50')).toBe(0);
    expect(compareApiVersions('1.51', '1.50')).toBe(1);
  });

  test('times: Go drops trailing zeros of the fraction; logs always carry nine digits', () => {
    expect(goTime(0)).toBe('0001-01-01T00:00:00Z');
    expect(goTime(Date.UTC(2026, 10, 22, 22, 7, 55, 10))).toBe('2026-11-22T22:07:55.01Z');
    expect(goTime(Date.UTC(2026, 10, 22, 22, 7, 55))).toBe('2026-11-22T22:07:55Z');
    expect(nanoTime(Date.UTC(2026, 10, 22, 22, 6, 39, 272))).toBe('2026-11-22T22:06:39.272000000Z');
  });

  test('stdcopy: an 8-byte header (stream, three zeros, big-endian length) per chunk', () => {
    const f = frame(2, Buffer.from('oops'));
    expect([...f.subarray(0, 8)]).toEqual([2, 0, 0, 0, 0, 0, 0, 4]);
    expect(demultiplex(Buffer.concat([frame(1, Buffer.from('a')), f]))).toEqual([
      { stream: 1, payload: Buffer.from('a') },
      { stream: 2, payload: Buffer.from('oops') },
    ]);
  });

  test('docker cp paths: either separator, with or without C:, relative from the root; another drive refused', () => {
    expect(volumePath('C:\\inetpub\\wwwroot')).toBe('\\inetpub\\wwwroot');
    expect(volumePath('C:/inetpub/')).toBe('\\inetpub');
    expect(volumePath('/Windows/../hello.txt')).toBe('\\hello.txt');
    expect(volumePath('c:')).toBe('\\');
    expect(() => volumePath('D:\\x')).toThrow(/not on the container's C: drive/);
  });

  test('tar: what is written reads back (names past 100 bytes through PAX)', async () => {
    const name = fc.array(fc.stringMatching(/^[a-zA-Z0-9_.-]{1,40}$/).filter((s) => s !== '.' && s !== '..'), { minLength: 1, maxLength: 5 }).map((p) => p.join('/'));
    const entry: fc.Arbitrary<TarEntry> = fc.record({
      name,
      type: fc.constant('file' as const),
      mode: fc.constant(0o755),
      mtime: fc.integer({ min: 0, max: 2 ** 33 }).map((s) => s * 1000),
      data: fc.uint8Array({ maxLength: 1500 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 6 }), async (entries) => {
        const back: TarEntry[] = [];
        for await (const e of unpackTar([await packTar(entries)])) back.push(e);
        expect(back.map((e) => [e.name, e.mtime, Buffer.from(e.data).toString('hex')])).toEqual(entries.map((e) => [e.name, e.mtime, Buffer.from(e.data).toString('hex')]));
      }),
      { seed: SEED, numRuns: numRuns(100) },
    );
  });
});
