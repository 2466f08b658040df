// NTFS and Win32 name rules: learn.microsoft.com "Naming Files, Paths, and Namespaces";
// [MS-FSCC] 2.1.5 (upcase collation); RtlIsDosDeviceName_U as Server 2022 applies it.
import { describe, expect, test } from 'vitest';
import { ERROR_FILENAME_EXCED_RANGE, ERROR_INVALID_NAME } from '../../../src/core/win32.js';
import { compareNames, componentProblem, consoleName, dosDeviceName, foldName, namesEqual } from '../../../src/kernel/fs/names.js';

describe('components a volume accepts', () => {
  test.each(['a', 'a b', 'a.b.c', '...', ' x', 'x ', 'x.', 'ünïcödé', '日本語', 'a'.repeat(255), '$MFT', 'CON', 'nul.txt'])('%j is valid', (n) => {
    expect(componentProblem(n)).toBeUndefined();
  });

  test.each(['', '.', '..', 'a<b', 'a>b', 'a:b', 'a"b', 'a/b', 'a\\b', 'a|b', 'a?b', 'a*b', 'a\u0000b', 'a\u0001b', 'tab\tname', 'a\u001fb'])(
    '%j is ERROR_INVALID_NAME',
    (n) => {
      expect(componentProblem(n)).toBe(ERROR_INVALID_NAME);
    },
  );

  test('a component of 256 characters is ERROR_FILENAME_EXCED_RANGE; 255 is fine', () => {
    expect(componentProblem('x'.repeat(256))).toBe(ERROR_FILENAME_EXCED_RANGE);
    expect(componentProblem('x'.repeat(255))).toBeUndefined();
  });

  test('0x7F and 0x20 are allowed (only 0x00–0x1F are control characters the docs forbid)', () => {
    expect(componentProblem('a\u007fb')).toBeUndefined();
    expect(componentProblem(' ')).toBeUndefined();
  });
});

describe('case-insensitive comparison through the upcase table', () => {
  test('names differing only in case are equal', () => {
    expect(namesEqual('System32', 'SYSTEM32')).toBe(true);
    expect(namesEqual('straße', 'STRAßE')).toBe(true);
    expect(namesEqual('é', 'É')).toBe(true);
  });

  test('ß does not fold to SS (one code unit maps to one, as $UpCase does)', () => {
    expect(foldName('ß')).toBe('ß');
    expect(namesEqual('ß', 'SS')).toBe(false);
  });

  test('collation compares upcased code units: "_" (0x5F) sorts after letters, "a" sorts with "A"', () => {
    const sorted = ['b', '_x', 'A', 'a1', 'Z', '~', '0'].sort(compareNames);
    expect(sorted).toEqual(['0', 'A', 'a1', 'b', 'Z', '_x', '~']);
  });
});

describe('DOS device names (Server 2022, pre-Windows 11 rules)', () => {
  test.each([
    ['NUL', 'NUL'],
    ['nul', 'nul'],
    ['CON', 'CON'],
    ['PRN', 'PRN'],
    ['AUX', 'AUX'],
    ['COM1', 'COM1'],
    ['com9', 'com9'],
    ['LPT1', 'LPT1'],
    ['LPT9', 'LPT9'],
    ['COM\u00b9', 'COM\u00b9'],
    ['LPT\u00b3', 'LPT\u00b3'],
    ['nul.txt', 'nul'],
    ['NUL.tar.gz', 'NUL'],
    ['con  ', 'con'],
    ['con  .txt', 'con'],
    ['C:\\dir\\COM1.log', 'COM1'],
    ['C:nul', 'nul'],
    ['dir/aux', 'aux'],
    ['\\x\\prn.', 'prn'],
    ['nul:', 'nul'],
  ])('%j names the device %j', (path, device) => {
    expect(dosDeviceName(path)).toBe(device);
  });

  test.each(['COM0', 'LPT0', 'COM10', 'CONX', 'NULL', 'xnul', 'CO', 'C:\\nul\\', 'C:\\nul\\x', 'nul\\x', '', 'C:'])('%j is not a device', (path) => {
    expect(dosDeviceName(path)).toBeUndefined();
  });

  test('CONIN$ and CONOUT$ are console names only as the whole path', () => {
    expect(consoleName('CONIN$')).toBe('CONIN$');
    expect(consoleName('conout$')).toBe('CONOUT$');
    expect(consoleName('C:\\CONIN$')).toBeUndefined();
  });
});
