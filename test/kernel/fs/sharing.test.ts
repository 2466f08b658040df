// Share modes (IoCheckShareAccess; "Creating and Opening Files" sharing table) and what delete and
// rename do to open files: since Windows 10 1903 DeleteFile removes the name at once and the file
// lives until its last handle closes (POSIX semantics; dotnet/corefx#38186).
import { describe, expect, test } from 'vitest';
import { shareConflict, type ShareClaim } from '../../../src/kernel/fs/share-access.js';
import { dec, enc, names, newVolume, readAll, win32Of, writeFile } from './support.js';

const claim = (c: Partial<ShareClaim>): ShareClaim => ({ read: false, write: false, delete: false, shareRead: false, shareWrite: false, shareDelete: false, ...c });

describe('the sharing table', () => {
  test.each([
    // existing open, new open, conflict?
    [{ read: true, shareRead: true }, { read: true, shareRead: true }, false],
    [{ read: true }, { read: true, shareRead: true }, true],
    [{ read: true, shareRead: true }, { read: true }, true],
    [{ write: true, shareRead: true }, { read: true, shareWrite: true }, false],
    [{ write: true, shareRead: true }, { read: true }, true],
    [{ write: true, shareWrite: true }, { write: true, shareWrite: true }, false],
    [{ read: true, shareRead: true, shareWrite: true }, { delete: true, shareRead: true, shareWrite: true, shareDelete: true }, true],
    [{ read: true, shareRead: true, shareDelete: true }, { delete: true, shareRead: true, shareWrite: true, shareDelete: true }, false],
    // Opens without read, write or delete access take no part.
    [{}, { read: true, write: true, delete: true }, false],
    [{ read: true }, {}, false],
  ])('%j then %j → conflict %s', (a, b, expected) => {
    expect(shareConflict([claim(a)], claim(b))).toBe(expected);
  });
});

describe('share modes on a volume', () => {
  test('a handle that does not share write makes a second writer fail with ERROR_SHARING_VIOLATION until it closes', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\log.txt', 'x');
    const a = vol.open('\\log.txt', { disposition: 'open', write: true, shareRead: true, shareWrite: false });
    expect(win32Of(() => vol.open('\\log.txt', { disposition: 'open', write: true }))).toBe('ERROR_SHARING_VIOLATION');
    vol.open('\\log.txt', { disposition: 'open', read: true, shareWrite: true }).close();
    a.close();
    vol.open('\\log.txt', { disposition: 'open', write: true }).close();
  });

  test('a reader that does not share read keeps every other reader out; attribute-only opens still work', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f', 'x');
    const a = vol.open('\\f', { disposition: 'open', read: true, shareRead: false, shareWrite: false, shareDelete: false });
    expect(win32Of(() => vol.open('\\f', { disposition: 'open', read: true }))).toBe('ERROR_SHARING_VIOLATION');
    const attrs = vol.open('\\f', { disposition: 'open' });
    expect(attrs.info().size).toBe(1);
    attrs.close();
    expect(vol.stat('\\f').size).toBe(1);
    a.close();
  });

  test('overwriting counts as writing for sharing', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f', 'x');
    const a = vol.open('\\f', { disposition: 'open', read: true, shareRead: true, shareWrite: false });
    expect(win32Of(() => vol.open('\\f', { disposition: 'overwriteIf', shareRead: true, shareWrite: true }))).toBe('ERROR_SHARING_VIOLATION');
    a.close();
  });

  test('delete, remove and rename need every open handle to share delete', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f', 'x');
    vol.createDirectory('\\d');
    const h = vol.open('\\f', { disposition: 'open', read: true, shareRead: true, shareWrite: true, shareDelete: false });
    const dh = vol.open('\\d', { disposition: 'open', read: true, directory: true, shareDelete: false });
    expect(win32Of(() => vol.deleteFile('\\f'))).toBe('ERROR_SHARING_VIOLATION');
    expect(win32Of(() => vol.rename('\\f', '\\g', false))).toBe('ERROR_SHARING_VIOLATION');
    expect(win32Of(() => vol.removeDirectory('\\d'))).toBe('ERROR_SHARING_VIOLATION');
    h.close();
    dh.close();
    vol.rename('\\f', '\\g', false);
    vol.deleteFile('\\g');
    vol.removeDirectory('\\d');
  });

  test('deleting a file open with FILE_SHARE_DELETE removes its name at once; the handle reads on; the clusters come back at close', () => {
    const { vol } = newVolume();
    const free = vol.space().freeBytes;
    writeFile(vol, '\\big', new Uint8Array(20_000).fill(9));
    const h = vol.open('\\big', { disposition: 'open', read: true, write: true });
    vol.deleteFile('\\big');
    expect(names(vol.list('\\'))).toEqual([]);
    // The name is free again: a new file can take it.
    writeFile(vol, '\\big', 'new', 'create');
    expect(readAll(h).every((b) => b === 9)).toBe(true);
    h.write(0, enc('still writable'));
    expect(h.info().linkCount).toBe(0);
    expect(free - vol.space().freeBytes).toBe(20_480);
    h.close();
    expect(vol.space().freeBytes).toBe(free);
    expect(vol.audit()).toBe('');
  });

  test('renaming an open file (sharing delete) keeps the handle working under the new name', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\a', 'abc');
    const h = vol.open('\\a', { disposition: 'open', read: true });
    vol.rename('\\a', '\\b', false);
    expect(dec(readAll(h))).toBe('abc');
    expect(h.info().name).toBe('b');
    h.close();
  });

  test('replacing a target that is open is ERROR_ACCESS_DENIED', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\a', 'a');
    writeFile(vol, '\\b', 'b');
    const h = vol.open('\\b', { disposition: 'open', read: true });
    expect(win32Of(() => vol.rename('\\a', '\\b', true))).toBe('ERROR_ACCESS_DENIED');
    h.close();
    vol.rename('\\a', '\\b', true);
  });
});

describe('directories with open files below', () => {
  test('a directory cannot be moved while a file below it is open (ERROR_ACCESS_DENIED)', () => {
    const { vol } = newVolume();
    vol.createDirectory('\\d');
    vol.createDirectory('\\d\\sub');
    writeFile(vol, '\\d\\sub\\f', 'x');
    const h = vol.open('\\d\\sub\\f', { disposition: 'open', read: true });
    expect(win32Of(() => vol.rename('\\d', '\\e', false))).toBe('ERROR_ACCESS_DENIED');
    h.close();
    vol.rename('\\d', '\\e', false);
    expect(names(vol.list('\\e\\sub'))).toEqual(['f']);
  });
});
