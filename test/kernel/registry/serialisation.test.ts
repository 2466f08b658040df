// A hive's serialised form (README.md "Serialised form"): deterministic
// bytes (layer digests depend on them), exact round trips, and corrupt
// input refused as ERROR_BADDB "The configuration registry database is corrupt."
import { crc32 } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { ERROR_BADDB, ERROR_INVALID_PARAMETER, Win32Error } from '../../../src/core/win32.js';
import {
  flattenHive,
  Hive,
  hiveFromSpec,
  hiveToSpec,
  LayeredHive,
  parseHive,
  REG_BINARY,
  REG_DWORD,
  REG_EXPAND_SZ,
  REG_LINK,
  REG_MULTI_SZ,
  REG_NONE,
  REG_QWORD,
  REG_SZ,
  REGISTRY_LIMITS,
  serialiseHive,
  type HiveKeySpec,
} from '../../../src/kernel/registry/index.js';
import { numRuns, SEED } from '../../support/budget.js';
import { code, dword, sz } from './support.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const SAMPLE: HiveKeySpec = {
  values: [{ name: '', type: REG_SZ, data: 'root default' }],
  keys: {
    Zeta: { values: [{ name: 'q', type: REG_QWORD, data: 1n << 40n }] },
    alpha: {
      values: [
        { name: 'm', type: REG_MULTI_SZ, data: ['a', '', 'c'] },
        { name: 'e', type: REG_EXPAND_SZ, data: '%TEMP%' },
        { name: 'l', type: REG_LINK, data: '\\Registry\\Machine\\X' },
        { name: 'b', type: REG_BINARY, data: new Uint8Array([1, 2, 3]) },
        { name: 'n', type: REG_NONE, data: new Uint8Array() },
        dword('d', 7),
      ],
      keys: { Inner: { lastWriteTime: 123.5 } },
    },
    'surrogate \ud800': {},
  },
};

describe('deterministic bytes', () => {
  test('the format is pinned: a one-key hive serialises to these exact bytes on every machine', () => {
    const bytes = serialiseHive(hiveFromSpec({ keys: { A: { values: [dword('v', 1)] } } }));
    expect(hex(bytes)).toBe(
      '57535248' + '0100' + '0000' + '02000000' + '39000000' + '561acf4b' + // header: magic, version, reserved, keys, body length, CRC-32
        '00' + '0000000000000000' + '0000' + '00000000' + '01000000' + // root: state, time, name (empty), no values, 1 subkey
        '00' + '0000000000000000' + '0100' + '4100' + '01000000' + // key A
        '00' + '04000000' + '0100' + '7600' + '04000000' + '01000000' + // value v = REG_DWORD 1
        '00000000', // A has no subkeys
    );
  });

  test('the same content gives the same bytes whatever the order keys were created in', () => {
    const a = hiveFromSpec({ keys: { b: {}, a: {}, C: {} } });
    const b = new Hive();
    const view = new LayeredHive([], b, { clock: () => 0 });
    for (const n of ['C', 'a', 'b']) view.createKey('t', n, [n]);
    expect(hex(serialiseHive(b))).toBe(hex(serialiseHive(a)));
  });

  test('value order is part of the content: creation order is kept', () => {
    const x = hiveFromSpec({ values: [dword('a', 1), dword('b', 1)] });
    const y = hiveFromSpec({ values: [dword('b', 1), dword('a', 1)] });
    expect(hex(serialiseHive(x))).not.toBe(hex(serialiseHive(y)));
  });

  test('-0 as a time serialises as 0', () => {
    const a = hiveFromSpec({ keys: { k: { lastWriteTime: -0 } } });
    expect(hex(serialiseHive(a))).toBe(hex(serialiseHive(hiveFromSpec({ keys: { k: {} } }))));
  });
});

describe('round trips', () => {
  test('parse(serialise(h)) shows the same keys, values, types and times; serialise(parse(b)) is b', () => {
    const bytes = serialiseHive(hiveFromSpec(SAMPLE, { time: 1_700_000_000_000 }));
    const parsed = parseHive(bytes);
    expect(hiveToSpec(parsed, { times: true })).toEqual(hiveToSpec(hiveFromSpec(SAMPLE, { time: 1_700_000_000_000 }), { times: true }));
    expect(hex(serialiseHive(parsed))).toBe(hex(bytes));
  });

  test('a delta with tombstones round-trips and stacks as a layer showing the same view', () => {
    const base = hiveFromSpec({ keys: { A: { values: [dword('x', 1), dword('y', 1)], keys: { B: {} } }, C: {} } });
    const delta = new Hive();
    const view = new LayeredHive([base], delta, { clock: () => 5 });
    view.deleteTree('t', 'C', ['C']);
    view.deleteValue('t', 'A', ['A'], 'x');
    view.setValue('t', 'A', ['A'], dword('X', 2));
    view.deleteKey('t', 'B', ['A', 'B']);
    view.createKey('t', 'B', ['A', 'B']);
    const parsed = parseHive(serialiseHive(delta));
    expect(hex(serialiseHive(parsed))).toBe(hex(serialiseHive(delta)));
    expect(hiveToSpec(new LayeredHive([base, parsed]), { times: true })).toEqual(hiveToSpec(view, { times: true }));
  });

  test('flattenHive squashes layers and delta into one base hive showing the same', () => {
    const base = hiveFromSpec(SAMPLE);
    const delta = new Hive();
    const view = new LayeredHive([base], delta, { clock: () => 9 });
    view.deleteTree('t', 'Zeta', ['Zeta']);
    view.setValue('t', '', [], sz('', 'changed'));
    const flat = flattenHive(view);
    expect(hiveToSpec(flat, { times: true })).toEqual(hiveToSpec(view, { times: true }));
  });
});

describe('hiveFromSpec / hiveToSpec', () => {
  test('a spec round-trips (keys in RegEnumKeyEx order, empty parts omitted)', () => {
    const spec: HiveKeySpec = { keys: { b: { values: [dword('v', 1)] }, A: {}, c: { keys: JSON.parse('{"__proto__": {}}') } } };
    expect(Object.keys(hiveToSpec(hiveFromSpec(spec)).keys!.c!.keys!)).toEqual(['__proto__']);
    expect(Object.keys(hiveToSpec(hiveFromSpec(spec)).keys!)).toEqual(['A', 'b', 'c']);
    expect(hiveToSpec(hiveFromSpec(spec))).toEqual(spec);
  });

  test('bad specs are ERROR_INVALID_PARAMETER naming the key', () => {
    const bad: unknown[] = [
      { keys: { a: {}, A: {} } },
      { values: [dword('x', 1), dword('X', 2)] },
      { values: [{ name: 'x', type: REG_DWORD, data: -1 }] },
      { keys: { ['k'.repeat(257)]: {} } },
      { keys: { a: { lastWriteTime: Number.NaN } } },
      { keys: { a: null } },
      { values: 'x' },
    ];
    for (const spec of bad) expect(code(() => hiveFromSpec(spec as HiveKeySpec)), JSON.stringify(spec)).toBe(ERROR_INVALID_PARAMETER);
    try {
      hiveFromSpec({ keys: { Outer: { keys: { Inner: { values: [dword('d', 1), dword('D', 1)] } } } } });
    } catch (e) {
      expect((e as Win32Error).message).toContain('Outer\\Inner: two values named "D"');
    }
  });
});

// ---- Corrupt input ----------------------------------------------------------------

/** A hive file around `body` with a correct header and checksum, so only the body's fault shows. */
function frame(body: number[], keys: number): Uint8Array {
  const b = Uint8Array.from(body);
  const out = new Uint8Array(20 + b.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x48525357, true);
  v.setUint16(4, 1, true);
  v.setUint32(8, keys, true);
  v.setUint32(12, b.length, true);
  v.setUint32(16, crc32(b) >>> 0, true);
  out.set(b, 20);
  return out;
}
const u16 = (x: number) => [x & 255, x >> 8];
const u32 = (x: number) => [x & 255, (x >> 8) & 255, (x >> 16) & 255, (x >>> 24) & 255];
const units = (s: string) => [...s].flatMap((c) => u16(c.charCodeAt(0)));
const TIME0 = [0, 0, 0, 0, 0, 0, 0, 0];
/** A key record: state, time, name, values (raw records), subkeys (raw records). */
const key = (name: string, values: number[][] = [], subkeys: number[][] = [], state = 0) => [state, ...TIME0, ...u16(name.length), ...units(name), ...u32(values.length), ...values.flat(), ...u32(subkeys.length), ...subkeys.flat()];
const value = (name: string, type: number, data: number[], kind = 0) => [kind, ...u32(type), ...u16(name.length), ...units(name), ...u32(data.length), ...data];

function badDb(bytes: Uint8Array): string {
  try {
    parseHive(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(Win32Error);
    expect((e as Win32Error).code).toBe(ERROR_BADDB);
    return (e as Win32Error).message;
  }
  throw new Error('parsed corrupt bytes');
}

describe('corrupt input is ERROR_BADDB with a clear message', () => {
  const good = serialiseHive(hiveFromSpec(SAMPLE));

  test('the message is FormatMessage\'s, with where and what', () => {
    expect(badDb(good.slice(0, 10))).toBe('parseHive byte 0: truncated header: The configuration registry database is corrupt. (1009)');
  });

  test('wrong magic, unknown version, non-zero reserved field', () => {
    for (const [at, what] of [
      [0, 'bad magic'],
      [4, 'unknown format version'],
      [6, 'reserved field'],
    ] as const) {
      const b = good.slice();
      b[at] ^= 0x01;
      expect(badDb(b)).toContain(what);
    }
  });

  test('a flipped body byte fails the checksum; truncation and trailing bytes fail the length', () => {
    const flipped = good.slice();
    flipped[40] ^= 0x80;
    expect(badDb(flipped)).toContain('checksum mismatch');
    expect(badDb(good.slice(0, good.length - 1))).toContain('header says');
    expect(badDb(Uint8Array.from([...good, 0]))).toContain('header says');
  });

  test('a wrong key count in the header', () => {
    expect(badDb(frame(key('', [], [key('a')]), 1))).toContain('2 keys, header says 1');
  });

  test('structural faults under a valid checksum', () => {
    const cases: [number[], number, string][] = [
      [key('', [], [key('b'), key('a')]), 3, 'not in upcased-name order'],
      [key('', [], [key('a'), key('A')]), 3, 'not in upcased-name order'],
      [key('', [value('x', REG_DWORD, u32(1)), value('X', REG_DWORD, u32(2))]), 1, 'two values of the same name'],
      [key('', [], [key('gone', [value('x', REG_DWORD, u32(1))], [], 1)]), 2, 'a tombstone key with values or subkeys'],
      [key('', [], [], 1), 1, 'the root key is not a plain key'],
      [key('', [], [key('a', [], [], 7)]), 2, 'unknown key state 7'],
      [key('', [value('x', 8, [1, 2])]), 1, 'unknown value type 8'],
      [key('', [value('x', REG_DWORD, u32(1), 5)]), 1, 'unknown value kind 5'],
      [key('', [value('x', REG_DWORD, [1, 2, 3])]), 1, 'a DWORD that is not 4 bytes'],
      [key('', [value('x', REG_QWORD, u32(1))]), 1, 'a QWORD that is not 8 bytes'],
      [key('', [value('x', REG_SZ, [65])]), 1, 'string data of odd length'],
      [key('', [value('x', REG_MULTI_SZ, [...u32(1), ...u32(5), 65, 0])]), 1, 'multi-string data overruns its length'],
      [key('', [value('x', REG_MULTI_SZ, [...u32(0), 0, 0])]), 1, 'value data longer than its contents'],
      [key('', [value('x', REG_DWORD, u32(0), 1)]), 1, 'a value tombstone with a type or data'],
      [key('', [], [key('a\\b')]), 2, 'invalid key name'],
      [key('', [], [key('')]), 2, 'invalid key name'],
      [key('', [], [key('k'.repeat(REGISTRY_LIMITS.maxKeyNameLength + 1))]), 2, 'invalid key name'],
      [[...key('', [value('x', REG_BINARY, [1, 2, 3])]).slice(0, -6)], 1, 'truncated'],
    ];
    for (const [body, keys, what] of cases) expect(badDb(frame(body, keys)), what).toContain(what);
  });

  test('a time that is not a finite number', () => {
    const body = key('');
    body.splice(1, 8, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f); // NaN
    expect(badDb(frame(body, 1))).toContain('not a finite number');
  });

  test('keys nested deeper than the tree limit (no stack overflow on hostile input)', () => {
    let body = key('d');
    for (let i = 0; i < REGISTRY_LIMITS.maxTreeDepth + 5; i++) body = key('d', [], [body]);
    body = key('', [], [body]);
    expect(badDb(frame(body, REGISTRY_LIMITS.maxTreeDepth + 7))).toContain('deeper than 512');
  });

  test('not bytes at all', () => {
    expect(code(() => parseHive('hive' as unknown as Uint8Array))).toBe(ERROR_BADDB);
  });

  test('any single-byte change or truncation is refused as ERROR_BADDB, never another exception (property)', () => {
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), fc.boolean(), (at, xor, truncate) => {
        const b = truncate ? good.slice(0, at) : good.slice();
        if (!truncate) b[at] ^= xor;
        badDb(b);
      }),
      { seed: SEED, numRuns: numRuns(300) },
    );
  });
});
