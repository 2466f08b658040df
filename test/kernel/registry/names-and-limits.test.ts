// Key and value names: case rules, path syntax, and the "Registry element
// size limits" (learn.microsoft.com), with Windows' measured 256 for key names.
import { describe, expect, test } from 'vitest';
import { ERROR_BAD_PATHNAME, ERROR_FILE_NOT_FOUND, ERROR_INVALID_PARAMETER, Win32Error } from '../../../src/core/win32.js';
import { hiveFromSpec, REGISTRY_LIMITS } from '../../../src/kernel/registry/index.js';
import { code, machine, sz } from './support.js';

describe('key names', () => {
  test('a key name part of 256 characters is accepted (Windows takes one more than the documented 255)', () => {
    const { reg } = machine();
    const name = 'k'.repeat(256);
    expect(reg.createKey(`HKLM\\SOFTWARE\\${name}`)).toEqual({ created: true });
    expect(reg.enumKeys('HKLM\\SOFTWARE')).toContain(name);
    expect(REGISTRY_LIMITS.maxKeyNameLength).toBe(256);
  });

  test('a key name part of 257 characters is ERROR_INVALID_PARAMETER, for create and open alike', () => {
    const { reg } = machine();
    const path = `HKLM\\SOFTWARE\\${'k'.repeat(257)}`;
    expect(code(() => reg.createKey(path))).toBe(ERROR_INVALID_PARAMETER);
    expect(code(() => reg.keyInfo(path))).toBe(ERROR_INVALID_PARAMETER);
    expect(code(() => reg.exists(path))).toBe(ERROR_INVALID_PARAMETER);
  });

  test('a backslash separates names: it can never be inside a key name part', () => {
    const { reg } = machine();
    reg.createKey('HKLM\\SOFTWARE\\a\\b');
    expect(reg.enumKeys('HKLM\\SOFTWARE\\a')).toEqual(['b']);
    expect(code(() => hiveFromSpec({ keys: { 'a\\b': {} } }))).toBe(ERROR_INVALID_PARAMETER);
    expect(code(() => hiveFromSpec({ keys: { '': {} } }))).toBe(ERROR_INVALID_PARAMETER);
  });

  test('key names are case-insensitive and case-preserving', () => {
    const { reg } = machine();
    expect(reg.createKey('HKLM\\SOFTWARE\\Contoso')).toEqual({ created: true });
    expect(reg.createKey('HKLM\\SOFTWARE\\CONTOSO')).toEqual({ created: false });
    expect(reg.exists('hklm\\software\\contoso')).toBe(true);
    expect(reg.keyInfo('HKLM\\SOFTWARE\\cOnToSo').name).toBe('Contoso');
    expect(reg.enumKeys('HKLM\\SOFTWARE').filter((n) => n.toUpperCase() === 'CONTOSO')).toEqual(['Contoso']);
  });

  test('case folding is one code unit to one, as RtlUpcaseUnicodeChar: é ≡ É, but ß is not SS', () => {
    const { reg } = machine();
    reg.createKey('HKLM\\SOFTWARE\\café');
    expect(reg.createKey('HKLM\\SOFTWARE\\CAFÉ')).toEqual({ created: false });
    reg.createKey('HKLM\\SOFTWARE\\straße');
    expect(reg.createKey('HKLM\\SOFTWARE\\STRASSE')).toEqual({ created: true });
  });

  test('a tree may be 512 levels deep below the hive root; the 513th level is ERROR_INVALID_PARAMETER', () => {
    const { reg } = machine();
    const deep = (n: number) => 'HKLM\\SOFTWARE\\' + Array.from({ length: n }, () => 'd').join('\\');
    expect(reg.createKey(deep(REGISTRY_LIMITS.maxTreeDepth))).toEqual({ created: true });
    expect(code(() => reg.createKey(deep(REGISTRY_LIMITS.maxTreeDepth + 1)))).toBe(ERROR_INVALID_PARAMETER);
  });
});

describe('paths', () => {
  test('root keys in long and short forms, any case, as reg.exe takes them', () => {
    const { reg } = machine();
    for (const root of ['HKLM', 'hklm', 'HKEY_LOCAL_MACHINE', 'hkey_local_machine', 'HkLm']) {
      expect(reg.getValue(`${root}\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion`, 'CurrentBuild').data).toBe('20348');
    }
    for (const root of ['HKU', 'HKEY_USERS', 'HKCU', 'HKEY_CURRENT_USER', 'HKCR', 'HKEY_CLASSES_ROOT', 'HKCC', 'HKEY_CURRENT_CONFIG']) {
      expect(reg.exists(root), root).toBe(true);
    }
  });

  test('an unknown root, a missing root, or HKEY_PERFORMANCE_DATA is ERROR_INVALID_PARAMETER', () => {
    const { reg } = machine();
    for (const p of ['', 'HKXX\\SOFTWARE', 'SOFTWARE\\Microsoft', '\\HKLM', 'HKEY_PERFORMANCE_DATA', 'HKLM:\\SOFTWARE']) {
      expect(code(() => reg.keyInfo(p)), p).toBe(ERROR_INVALID_PARAMETER);
    }
  });

  test('a subkey path starting with a backslash is ERROR_BAD_PATHNAME (RegCreateKeyEx "\\Subkey")', () => {
    const { reg } = machine();
    expect(code(() => reg.createKey('HKLM\\\\SOFTWARE\\x'))).toBe(ERROR_BAD_PATHNAME);
    expect(code(() => reg.keyInfo('HKLM\\\\SOFTWARE'))).toBe(ERROR_BAD_PATHNAME);
  });

  test('trailing and repeated backslashes are ignored (RegCreateKeyEx "Subkey\\\\")', () => {
    const { reg } = machine();
    expect(reg.createKey('HKLM\\SOFTWARE\\t1\\\\t2\\\\')).toEqual({ created: true });
    expect(reg.exists('HKLM\\SOFTWARE\\t1\\t2')).toBe(true);
    expect(reg.keyInfo('HKLM\\').name).toBe('MACHINE');
  });

  test('errors carry the operation and the path as the user typed it', () => {
    const { reg } = machine();
    try {
      reg.keyInfo('HKLM\\SOFTWARE\\NoSuchKey');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Win32Error);
      expect((e as Win32Error).message).toBe('RegQueryInfoKey HKLM\\SOFTWARE\\NoSuchKey: The system cannot find the file specified. (2)');
    }
  });
});

describe('value names', () => {
  test('a value name of 16,383 characters is accepted; 16,384 is ERROR_INVALID_PARAMETER', () => {
    const { reg } = machine();
    const ok = 'v'.repeat(REGISTRY_LIMITS.maxValueNameLength);
    reg.setValue('HKLM\\SOFTWARE', sz(ok, 'x'));
    expect(reg.getValue('HKLM\\SOFTWARE', ok).data).toBe('x');
    const long = ok + 'v';
    expect(code(() => reg.setValue('HKLM\\SOFTWARE', sz(long, 'x')))).toBe(ERROR_INVALID_PARAMETER);
  });

  test('a too-long value name is simply not found when read or deleted (NtDeleteValueKey: not found)', () => {
    const { reg } = machine();
    const long = 'v'.repeat(REGISTRY_LIMITS.maxValueNameLength + 1);
    expect(code(() => reg.getValue('HKLM\\SOFTWARE', long))).toBe(ERROR_FILE_NOT_FOUND);
    expect(code(() => reg.deleteValue('HKLM\\SOFTWARE', long))).toBe(ERROR_FILE_NOT_FOUND);
  });

  test('value names are case-insensitive and keep the case they were created with', () => {
    const { reg } = machine();
    reg.setValue('HKLM\\SOFTWARE', sz('Path', 'a'));
    reg.setValue('HKLM\\SOFTWARE', sz('PATH', 'b'));
    expect(reg.enumValues('HKLM\\SOFTWARE')).toEqual([sz('Path', 'b')]);
    expect(reg.getValue('HKLM\\SOFTWARE', 'path')).toEqual(sz('Path', 'b'));
  });

  test('backslashes are allowed in value names; the empty name is the default value', () => {
    const { reg } = machine();
    reg.setValue('HKLM\\SOFTWARE', sz('C:\\dir\\file', 'x'));
    reg.setValue('HKLM\\SOFTWARE', sz('', 'default'));
    expect(reg.getValue('HKLM\\SOFTWARE', 'c:\\DIR\\file').data).toBe('x');
    expect(reg.getValue('HKLM\\SOFTWARE', '').data).toBe('default');
  });
});
