// NTFS attributes and timestamps as users see them (attrib, dir, Get-Item): "File Attribute
// Constants" (learn.microsoft.com); CreateFile's CREATE_ALWAYS rules; NTFS updates a directory's
// last-write time when its entries change.
import { describe, expect, test } from 'vitest';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_SYSTEM,
} from '../../../src/kernel/fs/types.js';
import { T0, dec, enc, newVolume, readFile, win32Of, writeFile } from './support.js';

describe('attributes', () => {
  test('a new file is ARCHIVE; a new directory is DIRECTORY only; the root is HIDDEN | SYSTEM | DIRECTORY', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f.txt', 'x');
    vol.createDirectory('\\d');
    expect(vol.stat('\\f.txt').attributes).toBe(FILE_ATTRIBUTE_ARCHIVE);
    expect(vol.stat('\\d').attributes).toBe(FILE_ATTRIBUTE_DIRECTORY);
    expect(vol.stat('\\').attributes).toBe(0x16);
  });

  test('a file with no attribute at all reports FILE_ATTRIBUTE_NORMAL', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f', 'x');
    vol.setAttributes('\\f', FILE_ATTRIBUTE_NORMAL);
    expect(vol.stat('\\f').attributes).toBe(FILE_ATTRIBUTE_NORMAL);
  });

  test('attrib +R +H +S is kept; DIRECTORY and unknown bits cannot be set', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f', 'x');
    vol.setAttributes('\\f', FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_DIRECTORY | 0x40000);
    expect(vol.stat('\\f').attributes).toBe(FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM);
  });

  test('writing a file sets ARCHIVE again after it was cleared', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f', 'x');
    vol.setAttributes('\\f', FILE_ATTRIBUTE_NORMAL);
    const h = vol.open('\\f', { disposition: 'open', write: true });
    h.write(1, enc('y'));
    h.close();
    expect(vol.stat('\\f').attributes).toBe(FILE_ATTRIBUTE_ARCHIVE);
  });

  test('a read-only file cannot be opened for writing, overwritten or deleted (ERROR_ACCESS_DENIED) until the attribute is cleared', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\ro.txt', 'keep');
    vol.setAttributes('\\ro.txt', FILE_ATTRIBUTE_READONLY);
    expect(win32Of(() => vol.open('\\ro.txt', { disposition: 'open', write: true }))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => vol.open('\\ro.txt', { disposition: 'overwriteIf', write: true }))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => vol.open('\\ro.txt', { disposition: 'open', delete: true }))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => vol.deleteFile('\\ro.txt'))).toBe('ERROR_ACCESS_DENIED');
    // Reading works, and so does renaming (NTFS allows renaming a read-only file).
    expect(dec(readFile(vol, '\\ro.txt'))).toBe('keep');
    vol.rename('\\ro.txt', '\\ro2.txt', false);
    vol.setAttributes('\\ro2.txt', FILE_ATTRIBUTE_ARCHIVE);
    writeFile(vol, '\\ro2.txt', 'changed');
    expect(dec(readFile(vol, '\\ro2.txt'))).toBe('changed');
    vol.deleteFile('\\ro2.txt');
  });

  test('a read-only directory cannot be removed', () => {
    const { vol } = newVolume();
    vol.createDirectory('\\d');
    vol.setAttributes('\\d', FILE_ATTRIBUTE_READONLY);
    expect(win32Of(() => vol.removeDirectory('\\d'))).toBe('ERROR_ACCESS_DENIED');
    vol.setAttributes('\\d', 0);
    vol.removeDirectory('\\d');
  });

  test('CREATE_ALWAYS over a hidden or system file must name those attributes (ERROR_ACCESS_DENIED otherwise)', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\h', 'x');
    vol.setAttributes('\\h', FILE_ATTRIBUTE_HIDDEN);
    expect(win32Of(() => vol.open('\\h', { disposition: 'overwriteIf', write: true }))).toBe('ERROR_ACCESS_DENIED');
    vol.open('\\h', { disposition: 'overwriteIf', write: true, attributes: FILE_ATTRIBUTE_HIDDEN }).close();
    expect(vol.stat('\\h').attributes).toBe(FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE);
  });

  test('attributes given at create are kept, with ARCHIVE added', () => {
    const { vol } = newVolume();
    vol.open('\\f', { disposition: 'create', write: true, attributes: FILE_ATTRIBUTE_HIDDEN }).close();
    expect(vol.stat('\\f').attributes).toBe(FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE);
  });
});

describe('times', () => {
  test('a new file has all four times from the clock', () => {
    const { vol, clock } = newVolume();
    clock.t = T0 + 60_000;
    writeFile(vol, '\\f', 'x');
    const i = vol.stat('\\f');
    expect(i.creationTime).toBe(T0 + 60_000);
    expect(i.lastAccessTime).toBeGreaterThanOrEqual(T0 + 60_000);
    expect(i.lastWriteTime).toBeGreaterThanOrEqual(T0 + 60_000);
  });

  test('writing updates the last-write time; overwriting keeps the creation time', () => {
    const { vol, clock } = newVolume();
    clock.t = T0 + 1000;
    writeFile(vol, '\\f', 'one', 'create');
    const created = vol.stat('\\f').creationTime;
    clock.t = T0 + 5000;
    const h = vol.open('\\f', { disposition: 'open', write: true });
    h.write(0, enc('two'));
    h.close();
    expect(vol.stat('\\f').lastWriteTime).toBe(T0 + 5000);
    clock.t = T0 + 9000;
    vol.open('\\f', { disposition: 'overwriteIf', write: true }).close();
    const after = vol.stat('\\f');
    expect(after.creationTime).toBe(created);
    expect(after.lastWriteTime).toBe(T0 + 9000);
    expect(after.size).toBe(0);
  });

  test('reading does not change the last-write time', () => {
    const { vol, clock } = newVolume();
    writeFile(vol, '\\f', 'abc');
    const before = vol.stat('\\f').lastWriteTime;
    clock.t += 100_000;
    readFile(vol, '\\f');
    expect(vol.stat('\\f').lastWriteTime).toBe(before);
  });

  test("a directory's last-write time changes when an entry is created, deleted or renamed in it", () => {
    const { vol, clock } = newVolume();
    vol.createDirectory('\\d');
    clock.t = T0 + 10_000;
    writeFile(vol, '\\d\\f', 'x');
    expect(vol.stat('\\d').lastWriteTime).toBe(T0 + 10_000);
    clock.t = T0 + 20_000;
    vol.rename('\\d\\f', '\\d\\g', false);
    expect(vol.stat('\\d').lastWriteTime).toBe(T0 + 20_000);
    clock.t = T0 + 30_000;
    vol.deleteFile('\\d\\g');
    expect(vol.stat('\\d').lastWriteTime).toBe(T0 + 30_000);
  });

  test('setTimes sets creation, access and write times; the change time follows the clock', () => {
    const { vol, clock } = newVolume();
    writeFile(vol, '\\f', 'x');
    clock.t = T0 + 77_000;
    vol.setTimes('\\f', { creationTime: 1_500_000_000_000, lastWriteTime: 1_500_000_000_123, lastAccessTime: 1_500_000_000_456 });
    const i = vol.stat('\\f');
    expect([i.creationTime, i.lastWriteTime, i.lastAccessTime]).toEqual([1_500_000_000_000, 1_500_000_000_123, 1_500_000_000_456]);
    expect(i.changeTime).toBe(T0 + 77_000);
  });

  test('times keep 100 ns precision (FILETIME) and go back to 1601', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f', 'x');
    vol.setTimes('\\f', { lastWriteTime: 1_600_000_000_000.1234, creationTime: -11_644_473_600_000 });
    const i = vol.stat('\\f');
    expect(i.lastWriteTime).toBe(1_600_000_000_000.1234);
    expect(i.creationTime).toBe(-11_644_473_600_000);
  });

  test('setTimes with a non-finite time is ERROR_INVALID_PARAMETER', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f', 'x');
    expect(win32Of(() => vol.setTimes('\\f', { lastWriteTime: Number.NaN }))).toBe('ERROR_INVALID_PARAMETER');
  });
});

describe('sizes', () => {
  test('a small file is resident: allocation is its size rounded to 8; a larger one takes whole 4 KiB clusters', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\small', 'x'.repeat(13));
    expect(vol.stat('\\small')).toMatchObject({ size: 13, allocationSize: 16 });
    writeFile(vol, '\\big', new Uint8Array(5000).fill(1));
    expect(vol.stat('\\big')).toMatchObject({ size: 5000, allocationSize: 8192 });
    expect(vol.stat('\\')).toMatchObject({ size: 0, allocationSize: 0 });
  });

  test('free space falls by the clusters a file takes and comes back when it is deleted', () => {
    const { vol } = newVolume();
    const before = vol.space().freeBytes;
    writeFile(vol, '\\big', new Uint8Array(40_000).fill(7));
    expect(before - vol.space().freeBytes).toBe(40_960);
    vol.deleteFile('\\big');
    expect(vol.space().freeBytes).toBe(before);
    expect(vol.space().totalBytes).toBe(64 * 1024 * 1024);
  });

  test('SetEndOfFile grows with zeros and shrinks; growing again after a shrink shows zeros, not the old bytes', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f', new Uint8Array(9000).fill(0xab));
    const h = vol.open('\\f', { disposition: 'open', read: true, write: true });
    h.setSize(100);
    h.setSize(6000);
    const b = new Uint8Array(6000);
    expect(h.read(0, b)).toBe(6000);
    expect(b.subarray(0, 100).every((x) => x === 0xab)).toBe(true);
    expect(b.subarray(100).every((x) => x === 0)).toBe(true);
    h.setSize(0);
    expect(h.info()).toMatchObject({ size: 0, allocationSize: 0 });
    h.close();
    expect(vol.audit()).toBe('');
  });

  test('a write past the end leaves a hole of zeros; a resident file moves out when it grows', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f', 'head');
    const h = vol.open('\\f', { disposition: 'open', read: true, write: true });
    h.write(10_000, enc('tail'));
    expect(h.info().size).toBe(10_004);
    const b = new Uint8Array(10_004);
    h.read(0, b);
    expect(dec(b.subarray(0, 4))).toBe('head');
    expect(b.subarray(4, 10_000).every((x) => x === 0)).toBe(true);
    expect(dec(b.subarray(10_000))).toBe('tail');
    h.close();
    expect(vol.audit()).toBe('');
  });

  test('a read at or past the end returns 0 bytes; a zero-byte write does not extend the file', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f', 'abc');
    const h = vol.open('\\f', { disposition: 'open', read: true, write: true });
    expect(h.read(3, new Uint8Array(10))).toBe(0);
    expect(h.read(100, new Uint8Array(10))).toBe(0);
    expect(h.write(50, new Uint8Array(0))).toBe(0);
    expect(h.info().size).toBe(3);
    h.close();
  });
});
