// Values of every type in types.ts ("Registry Value Types"), their checks,
// their order, and last-write times from the injected clock.
import { describe, expect, test } from 'vitest';
import { ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND, ERROR_INVALID_PARAMETER } from '../../../src/core/win32.js';
import {
  REG_BINARY,
  REG_DWORD,
  REG_DWORD_BIG_ENDIAN,
  REG_EXPAND_SZ,
  REG_LINK,
  REG_MULTI_SZ,
  REG_NONE,
  REG_QWORD,
  REG_SZ,
  type RegistryValue,
} from '../../../src/kernel/registry/index.js';
import { bin, code, dword, machine, sz } from './support.js';

const K = 'HKLM\\SOFTWARE\\Values';

const EVERY_TYPE: RegistryValue[] = [
  { name: 'sz', type: REG_SZ, data: 'text with ünïcödé and \u{1F600}' },
  { name: 'expand', type: REG_EXPAND_SZ, data: '%SystemRoot%\\System32' },
  { name: 'link', type: REG_LINK, data: '\\Registry\\Machine\\SOFTWARE\\Target' },
  { name: 'multi', type: REG_MULTI_SZ, data: ['one', 'two', ''] },
  { name: 'dword', type: REG_DWORD, data: 0xffffffff },
  { name: 'dwordbe', type: REG_DWORD_BIG_ENDIAN, data: 0x12345678 },
  { name: 'qword', type: REG_QWORD, data: (1n << 64n) - 1n },
  { name: 'binary', type: REG_BINARY, data: new Uint8Array([0, 1, 2, 255]) },
  { name: 'none', type: REG_NONE, data: new Uint8Array([]) },
  { name: '', type: REG_SZ, data: '(default)' },
];

describe('values of every type', () => {
  test('each type is stored and read back whole, in creation order', () => {
    const { reg } = machine();
    reg.createKey(K);
    for (const v of EVERY_TYPE) reg.setValue(K, v);
    expect(reg.enumValues(K)).toEqual(EVERY_TYPE);
    for (const v of EVERY_TYPE) expect(reg.getValue(K, v.name)).toEqual(v);
    expect(reg.keyInfo(K).values).toBe(EVERY_TYPE.length);
  });

  test('data of the wrong shape for its type is ERROR_INVALID_PARAMETER, and nothing is stored', () => {
    const { reg } = machine();
    reg.createKey(K);
    const bad: unknown[] = [
      { name: 'a', type: REG_DWORD, data: -1 },
      { name: 'a', type: REG_DWORD, data: 0x100000000 },
      { name: 'a', type: REG_DWORD, data: 1.5 },
      { name: 'a', type: REG_DWORD, data: '1' },
      { name: 'a', type: REG_QWORD, data: -1n },
      { name: 'a', type: REG_QWORD, data: 1n << 64n },
      { name: 'a', type: REG_QWORD, data: 1 },
      { name: 'a', type: REG_SZ, data: 1 },
      { name: 'a', type: REG_MULTI_SZ, data: ['x', 1] },
      { name: 'a', type: REG_MULTI_SZ, data: 'x' },
      { name: 'a', type: REG_BINARY, data: [1, 2] },
      { name: 'a', type: 8, data: new Uint8Array() },
      { name: 1, type: REG_SZ, data: 'x' },
      null,
    ];
    for (const v of bad) expect(code(() => reg.setValue(K, v as RegistryValue)), JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))).toBe(ERROR_INVALID_PARAMETER);
    expect(reg.enumValues(K)).toEqual([]);
  });

  test('values come out as copies: changing what was read or what was written changes nothing stored', () => {
    const { reg } = machine();
    reg.createKey(K);
    const written = bin('b', 1, 2, 3);
    reg.setValue(K, written);
    (written.data as Uint8Array)[0] = 9;
    const read = reg.getValue(K, 'b');
    (read.data as Uint8Array)[1] = 9;
    const multi = { name: 'm', type: REG_MULTI_SZ, data: ['x'] } as RegistryValue;
    reg.setValue(K, multi);
    (multi.data as string[]).push('y');
    (reg.enumValues(K)[1]!.data as string[]).push('z');
    expect(reg.enumValues(K)).toEqual([bin('b', 1, 2, 3), { name: 'm', type: REG_MULTI_SZ, data: ['x'] }]);
  });
});

describe('value order (RegEnumValue)', () => {
  test('an overwritten value keeps its place; a deleted and re-set value moves to the end', () => {
    const { reg } = machine();
    reg.createKey(K);
    for (const n of ['a', 'b', 'c']) reg.setValue(K, dword(n, 1));
    reg.setValue(K, dword('a', 2));
    expect(reg.enumValues(K).map((v) => v.name)).toEqual(['a', 'b', 'c']);
    reg.deleteValue(K, 'a');
    reg.setValue(K, dword('A', 3));
    expect(reg.enumValues(K)).toEqual([dword('b', 1), dword('c', 1), dword('A', 3)]);
  });

  test('a value may change type in place', () => {
    const { reg } = machine();
    reg.createKey(K);
    reg.setValue(K, dword('x', 1));
    reg.setValue(K, sz('y', 'y'));
    reg.setValue(K, sz('x', 'now a string'));
    expect(reg.enumValues(K)).toEqual([sz('x', 'now a string'), sz('y', 'y')]);
  });
});

describe('missing keys and values', () => {
  test('ERROR_FILE_NOT_FOUND for a missing value, and for any value operation on a missing key', () => {
    const { reg } = machine();
    expect(code(() => reg.getValue('HKLM\\SOFTWARE', 'nope'))).toBe(ERROR_FILE_NOT_FOUND);
    expect(code(() => reg.deleteValue('HKLM\\SOFTWARE', 'nope'))).toBe(ERROR_FILE_NOT_FOUND);
    expect(code(() => reg.setValue('HKLM\\SOFTWARE\\Missing', sz('a', 'b')))).toBe(ERROR_FILE_NOT_FOUND);
    expect(code(() => reg.enumValues('HKLM\\SOFTWARE\\Missing'))).toBe(ERROR_FILE_NOT_FOUND);
    expect(code(() => reg.getValue('HKLM\\SOFTWARE\\Missing', 'a'))).toBe(ERROR_FILE_NOT_FOUND);
  });

  test('HKLM and HKU themselves hold no values; setting one there is ERROR_ACCESS_DENIED', () => {
    const { reg } = machine();
    expect(reg.enumValues('HKLM')).toEqual([]);
    expect(code(() => reg.getValue('HKU', ''))).toBe(ERROR_FILE_NOT_FOUND);
    expect(code(() => reg.setValue('HKLM', sz('a', 'b')))).toBe(ERROR_ACCESS_DENIED);
    expect(code(() => reg.deleteValue('HKLM', 'a'))).toBe(ERROR_FILE_NOT_FOUND);
  });
});

describe('last write time (injected clock)', () => {
  test('a created key gets the clock time, and so does its parent; reads change nothing', () => {
    let now = 1000;
    const { reg } = machine({ clock: () => now });
    now = 2000;
    reg.createKey('HKLM\\SOFTWARE\\T');
    expect(reg.keyInfo('HKLM\\SOFTWARE\\T').lastWriteTime).toBe(2000);
    expect(reg.keyInfo('HKLM\\SOFTWARE').lastWriteTime).toBe(2000);
    now = 3000;
    reg.keyInfo('HKLM\\SOFTWARE\\T');
    reg.enumKeys('HKLM\\SOFTWARE');
    expect(reg.keyInfo('HKLM\\SOFTWARE\\T').lastWriteTime).toBe(2000);
  });

  test('setting or deleting a value stamps its key only; deleting a subkey stamps the parent', () => {
    let now = 1000;
    const { reg } = machine({ clock: () => now });
    now = 2000;
    reg.createKey('HKLM\\SOFTWARE\\T\\U');
    now = 3000;
    reg.setValue('HKLM\\SOFTWARE\\T\\U', dword('v', 1));
    expect(reg.keyInfo('HKLM\\SOFTWARE\\T\\U').lastWriteTime).toBe(3000);
    expect(reg.keyInfo('HKLM\\SOFTWARE\\T').lastWriteTime).toBe(2000);
    now = 4000;
    reg.deleteValue('HKLM\\SOFTWARE\\T\\U', 'v');
    expect(reg.keyInfo('HKLM\\SOFTWARE\\T\\U').lastWriteTime).toBe(4000);
    now = 5000;
    reg.deleteKey('HKLM\\SOFTWARE\\T\\U');
    expect(reg.keyInfo('HKLM\\SOFTWARE\\T').lastWriteTime).toBe(5000);
  });

  test('a key from a layer keeps the layer time until written (pass-through nodes copy it)', () => {
    let now = 9000;
    const { reg } = machine({ clock: () => now });
    const before = reg.keyInfo('HKLM\\SOFTWARE\\Microsoft').lastWriteTime;
    expect(before).toBe(0); // hiveFromSpec's default time
    reg.setValue('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', sz('EditionID', 'ServerDatacenter'));
    expect(reg.keyInfo('HKLM\\SOFTWARE\\Microsoft').lastWriteTime).toBe(before);
    expect(reg.keyInfo('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion').lastWriteTime).toBe(now);
  });
});
