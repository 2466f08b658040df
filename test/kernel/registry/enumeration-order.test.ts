// RegEnumKeyEx gives subkeys in upcased-name order (regf subkey lists are
// sorted by the name upcased per code unit — CmpCompareCompressedName);
// RegEnumValue gives values in creation order.
import { describe, expect, test } from 'vitest';
import { Hive, hiveFromSpec, LayeredHive, sortKeyNames } from '../../../src/kernel/registry/index.js';
import { container, dword, machine } from './support.js';

const K = 'HKLM\\SOFTWARE\\Order';

describe('subkeys (RegEnumKeyEx)', () => {
  test('sorted by upcased name compared code unit by code unit, not by lower case nor by locale', () => {
    const { reg } = machine();
    // Upcased, 'B' (0x42) < 'L' (0x4C) < '_' (0x5F): aB, alpha, a_b. Lower-cased
    // it would be a_b, aB, alpha ('_' 0x5F < 'b' 0x62). '[' (0x5B) sorts after
    // every upcased letter, before any lower-case one.
    for (const n of ['Zeta', '[x]', 'alpha', 'a_b', 'Beta', 'aB', '0001']) reg.createKey(`${K}\\${n}`);
    expect(reg.enumKeys(K)).toEqual(['0001', 'aB', 'alpha', 'a_b', 'Beta', 'Zeta', '[x]']);
  });

  test('a name that is a prefix of another comes first', () => {
    const { reg } = machine();
    for (const n of ['Abc', 'Ab', 'A']) reg.createKey(`${K}\\${n}`);
    expect(reg.enumKeys(K)).toEqual(['A', 'Ab', 'Abc']);
  });

  test('non-ASCII names sort by their upcased code units', () => {
    // É is U+00C9, ß (no one-unit upper case) stays U+00DF.
    expect(sortKeyNames(['é', 'z', 'É1', 'ß', 'Z0'])).toEqual(['z', 'Z0', 'é', 'É1', 'ß']);
  });

  test('keys from the layers and from the delta interleave in one sorted list, each name once', () => {
    const base = hiveFromSpec({ keys: { b: {}, d: {}, F: {} } });
    const middle = new Hive();
    new LayeredHive([base], middle).createKey('t', 't', ['E']);
    const delta = new Hive();
    const view = new LayeredHive([base, middle], delta);
    view.createKey('t', 't', ['a']);
    view.createKey('t', 't', ['c']);
    view.createKey('t', 't', ['D']); // exists below as 'd': not created, name kept
    expect(view.subkeyNames(view.root())).toEqual(['a', 'b', 'c', 'd', 'E', 'F']);
  });
});

describe('values (RegEnumValue)', () => {
  test('creation order, not name order', () => {
    const { reg } = machine();
    reg.createKey(K);
    for (const n of ['zz', 'AA', 'mm', '']) reg.setValue(K, dword(n, 1));
    expect(reg.enumValues(K).map((v) => v.name)).toEqual(['zz', 'AA', 'mm', '']);
  });

  test('over layers: a layer\'s values first in its order, overrides in place, new ones appended', () => {
    const base = hiveFromSpec({ keys: { K: { values: [dword('a', 1), dword('b', 1), dword('c', 1)] } } });
    const { reg } = container({ SYSTEM: [hiveFromSpec({})], SOFTWARE: [base], SAM: [new Hive()], SECURITY: [new Hive()], DEFAULT: [new Hive()], USER: [new Hive()] });
    reg.setValue('HKLM\\SOFTWARE\\K', dword('new', 2));
    reg.setValue('HKLM\\SOFTWARE\\K', dword('B', 2));
    reg.deleteValue('HKLM\\SOFTWARE\\K', 'a');
    reg.setValue('HKLM\\SOFTWARE\\K', dword('A', 3));
    expect(reg.enumValues('HKLM\\SOFTWARE\\K')).toEqual([dword('b', 2), dword('c', 1), dword('new', 2), dword('A', 3)]);
  });
});
