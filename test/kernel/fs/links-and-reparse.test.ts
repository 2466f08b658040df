// Symbolic links, junctions and hard links ("Hard Links and Junctions", "Symbolic Links",
// learn.microsoft.com; CreateSymbolicLink; windows-facts §2 and §4), followed by the silo's view
// as the I/O manager follows STATUS_REPARSE: absolute targets restart at the silo's drives, relative
// ones from the link's directory, 63 reparses at most.
import { describe, expect, test } from 'vitest';
import { SiloFileSystem } from '../../../src/kernel/fs/view.js';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  IO_REPARSE_TAG_MOUNT_POINT,
  IO_REPARSE_TAG_SYMLINK,
  type Volume,
} from '../../../src/kernel/fs/types.js';
import { dec, enc, names, newVolume, readAll, win32Of } from './support.js';

function silo(): { fs: SiloFileSystem; c: Volume; d: Volume } {
  const c = newVolume().vol;
  const d = newVolume().vol;
  return { fs: new SiloFileSystem({ drives: { C: c, D: d } }), c, d };
}

const CWD = 'C:\\';

function put(fs: SiloFileSystem, path: string, text: string): void {
  const h = fs.open(path, CWD, { disposition: 'overwriteIf', write: true });
  h.write(0, enc(text));
  h.close();
}

function get(fs: SiloFileSystem, path: string, cwd = CWD): string {
  const h = fs.open(path, cwd, { disposition: 'open', read: true });
  try {
    return dec(readAll(h));
  } finally {
    h.close();
  }
}

describe('symbolic links', () => {
  test('a file symlink (absolute) reads its target; the link itself shows its data with FILE_OPEN_REPARSE_POINT', () => {
    const { fs } = silo();
    put(fs, 'C:\\target.txt', 'target');
    fs.createSymbolicLink('C:\\link.txt', 'C:\\target.txt', CWD, false);
    expect(get(fs, 'C:\\link.txt')).toBe('target');
    const link = fs.stat('C:\\link.txt', CWD, { openReparsePoint: true });
    expect(link.attributes).toBe(FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_REPARSE_POINT);
    expect(link.reparse).toEqual({ tag: IO_REPARSE_TAG_SYMLINK, substituteName: '\\??\\C:\\target.txt', printName: 'C:\\target.txt', relative: false });
    expect(fs.stat('C:\\link.txt', CWD).size).toBe(6);
    const h = fs.open('link.txt', CWD, { disposition: 'open', read: true });
    expect(h.path).toBe('C:\\target.txt');
    h.close();
  });

  test('a directory symlink is followed in the middle of a path; deleting the link leaves the target', () => {
    const { fs } = silo();
    fs.createDirectory('C:\\real', CWD);
    put(fs, 'C:\\real\\f.txt', 'inside');
    fs.createSymbolicLink('C:\\alias', 'C:\\real', CWD, true);
    expect(get(fs, 'C:\\alias\\f.txt')).toBe('inside');
    expect(names(fs.list('C:\\alias', CWD))).toEqual(['f.txt']);
    expect(fs.stat('C:\\alias', CWD, { openReparsePoint: true }).attributes).toBe(FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT);
    // DeleteFile refuses a directory link; RemoveDirectory removes the link, not the target's contents.
    expect(win32Of(() => fs.deleteFile('C:\\alias', CWD))).toBe('ERROR_ACCESS_DENIED');
    fs.removeDirectory('C:\\alias', CWD);
    expect(get(fs, 'C:\\real\\f.txt')).toBe('inside');
  });

  test('relative symlinks resolve from the link\'s directory; `..` stops at the volume root; `\\x` is the volume root', () => {
    const { fs } = silo();
    fs.createDirectory('C:\\a', CWD);
    fs.createDirectory('C:\\a\\b', CWD);
    put(fs, 'C:\\a\\t.txt', 'in a');
    put(fs, 'C:\\top.txt', 'at root');
    fs.createSymbolicLink('C:\\a\\b\\up.txt', '..\\t.txt', CWD, false);
    fs.createSymbolicLink('C:\\a\\b\\far.txt', '..\\..\\..\\..\\top.txt', CWD, false);
    fs.createSymbolicLink('C:\\a\\b\\rooted.txt', '\\top.txt', CWD, false);
    fs.createSymbolicLink('C:\\a\\b\\fwd.txt', '../t.txt', CWD, false);
    expect(get(fs, 'C:\\a\\b\\up.txt')).toBe('in a');
    expect(get(fs, 'C:\\a\\b\\far.txt')).toBe('at root');
    expect(get(fs, 'C:\\a\\b\\rooted.txt')).toBe('at root');
    expect(get(fs, 'C:\\a\\b\\fwd.txt')).toBe('in a');
    expect(fs.stat('C:\\a\\b\\up.txt', CWD, { openReparsePoint: true }).reparse).toMatchObject({ substituteName: '..\\t.txt', relative: true });
  });

  test('a relative link keeps working after its directory is moved; an absolute one does not', () => {
    const { fs } = silo();
    fs.createDirectory('C:\\p', CWD);
    put(fs, 'C:\\p\\t.txt', 't');
    fs.createSymbolicLink('C:\\p\\rel.txt', 't.txt', CWD, false);
    fs.createSymbolicLink('C:\\p\\abs.txt', 'C:\\p\\t.txt', CWD, false);
    fs.rename('C:\\p', 'C:\\q', CWD, false);
    expect(get(fs, 'C:\\q\\rel.txt')).toBe('t');
    expect(win32Of(() => get(fs, 'C:\\q\\abs.txt'))).toBe('ERROR_PATH_NOT_FOUND');
  });

  test('a dangling link opens as ERROR_FILE_NOT_FOUND; creating through it creates the target', () => {
    const { fs } = silo();
    fs.createSymbolicLink('C:\\dangling', 'C:\\missing.txt', CWD, false);
    expect(win32Of(() => get(fs, 'C:\\dangling'))).toBe('ERROR_FILE_NOT_FOUND');
    put(fs, 'C:\\dangling', 'made');
    expect(get(fs, 'C:\\missing.txt')).toBe('made');
  });

  test('a link to another drive of the silo crosses to it', () => {
    const { fs } = silo();
    put(fs, 'D:\\other.txt', 'on D');
    fs.createSymbolicLink('C:\\tod', 'D:\\', CWD, true);
    expect(get(fs, 'C:\\tod\\other.txt')).toBe('on D');
    const h = fs.open('C:\\tod\\other.txt', CWD, { disposition: 'open', read: true });
    expect(h.path).toBe('D:\\other.txt');
    h.close();
  });

  test('two links pointing at each other, or a chain of 64, are ERROR_CANT_RESOLVE_FILENAME; 63 resolve', () => {
    const { fs } = silo();
    fs.createSymbolicLink('C:\\a', 'C:\\b', CWD, false);
    fs.createSymbolicLink('C:\\b', 'C:\\a', CWD, false);
    expect(win32Of(() => get(fs, 'C:\\a'))).toBe('ERROR_CANT_RESOLVE_FILENAME');
    put(fs, 'C:\\end.txt', 'end');
    fs.createSymbolicLink('C:\\l0', 'C:\\end.txt', CWD, false);
    for (let i = 1; i <= 63; i++) fs.createSymbolicLink(`C:\\l${i}`, `l${i - 1}`, CWD, false);
    expect(get(fs, 'C:\\l62')).toBe('end');
    expect(win32Of(() => get(fs, 'C:\\l63'))).toBe('ERROR_CANT_RESOLVE_FILENAME');
  });

  test('a reparse point with a tag nobody handles is ERROR_CANT_ACCESS_FILE', () => {
    const { fs, c } = silo();
    c.createReparsePoint('\\odd', { tag: 0x8000001b, substituteName: '\\x', printName: '', relative: false }, false);
    expect(win32Of(() => fs.stat('C:\\odd', CWD))).toBe('ERROR_CANT_ACCESS_FILE');
    expect(fs.stat('C:\\odd', CWD, { openReparsePoint: true }).reparse?.tag).toBe(0x8000001b);
  });

  test('creating a link over an existing name is ERROR_ALREADY_EXISTS', () => {
    const { fs } = silo();
    put(fs, 'C:\\f', 'x');
    expect(win32Of(() => fs.createSymbolicLink('C:\\f', 'C:\\g', CWD, false))).toBe('ERROR_ALREADY_EXISTS');
  });
});

describe('containment: links inside a silo land in the silo', () => {
  test('a link to C:\\ is the container\'s own C:', () => {
    const { fs } = silo();
    put(fs, 'C:\\mine.txt', 'container');
    fs.createSymbolicLink('C:\\root', 'C:\\', CWD, true);
    expect(get(fs, 'C:\\root\\mine.txt')).toBe('container');
  });

  test('`\\\\?\\C:\\..` and `..` after the root never leave the volume: `..` is an invalid name there', () => {
    const { fs, c } = silo();
    c.createReparsePoint('\\up', { tag: IO_REPARSE_TAG_SYMLINK, substituteName: '\\??\\C:\\..', printName: '', relative: false }, true);
    expect(win32Of(() => fs.list('C:\\up', CWD))).toBe('ERROR_INVALID_NAME');
    expect(win32Of(() => fs.list('\\\\?\\C:\\..', CWD))).toBe('ERROR_INVALID_NAME');
    expect(names(fs.list('\\\\.\\C:\\..\\..', CWD))).toEqual(['up']);
  });

  test('NT device paths, GLOBALROOT, UNC and unknown drives lead nowhere', () => {
    const { fs, c } = silo();
    c.createReparsePoint('\\dev', { tag: IO_REPARSE_TAG_SYMLINK, substituteName: '\\Device\\HarddiskVolume1\\Windows', printName: '', relative: false }, true);
    c.createReparsePoint('\\glob', { tag: IO_REPARSE_TAG_SYMLINK, substituteName: '\\??\\GLOBALROOT\\Device\\HarddiskVolume1', printName: '', relative: false }, true);
    fs.createSymbolicLink('C:\\net', '\\\\server\\share', CWD, true);
    fs.createSymbolicLink('C:\\q', 'Q:\\', CWD, true);
    expect(win32Of(() => fs.list('C:\\dev', CWD))).toBe('ERROR_PATH_NOT_FOUND');
    expect(win32Of(() => fs.list('C:\\glob', CWD))).toBe('ERROR_PATH_NOT_FOUND');
    expect(win32Of(() => fs.list('C:\\net', CWD))).toBe('ERROR_BAD_NETPATH');
    expect(win32Of(() => fs.list('C:\\q', CWD))).toBe('ERROR_PATH_NOT_FOUND');
    expect(win32Of(() => fs.list('\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1', CWD))).toBe('ERROR_PATH_NOT_FOUND');
  });
});

describe('junctions', () => {
  test('mklink /J makes a relative target absolute against the current directory; the junction lists its target', () => {
    const { fs } = silo();
    fs.createDirectory('C:\\Users', CWD);
    fs.createDirectory('C:\\Users\\Public', CWD);
    put(fs, 'C:\\Users\\Public\\p.txt', 'p');
    fs.createJunction('C:\\Documents and Settings', 'Users', CWD);
    const j = fs.stat('C:\\Documents and Settings', CWD, { openReparsePoint: true });
    expect(j.reparse).toEqual({ tag: IO_REPARSE_TAG_MOUNT_POINT, substituteName: '\\??\\C:\\Users', printName: 'C:\\Users', relative: false });
    expect(j.attributes).toBe(FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT);
    expect(names(fs.list('C:\\Documents and Settings', CWD))).toEqual(['Public']);
    expect(get(fs, 'C:\\Documents and Settings\\Public\\p.txt')).toBe('p');
  });

  test('a junction must be a directory with an absolute target (FSCTL_SET_REPARSE_POINT refuses otherwise)', () => {
    const { c, fs } = silo();
    const mp = { tag: IO_REPARSE_TAG_MOUNT_POINT, substituteName: 'relative', printName: 'relative', relative: true };
    expect(win32Of(() => c.createReparsePoint('\\j', mp, true))).toBe('ERROR_INVALID_REPARSE_DATA');
    expect(win32Of(() => c.createReparsePoint('\\j', { ...mp, substituteName: '\\??\\C:\\x', relative: false }, false))).toBe('ERROR_DIRECTORY');
    expect(win32Of(() => fs.createJunction('C:\\j', '\\\\server\\share', CWD))).toBe('ERROR_INVALID_REPARSE_DATA');
  });
});

describe('hard links', () => {
  test('two names, one file: same id, link count 2, writes through one seen through the other; deleting one leaves the other', () => {
    const { fs } = silo();
    put(fs, 'C:\\one.txt', 'shared');
    fs.createDirectory('C:\\sub', CWD);
    fs.createHardLink('C:\\sub\\two.txt', 'C:\\one.txt', CWD);
    const a = fs.stat('C:\\one.txt', CWD);
    const b = fs.stat('C:\\sub\\two.txt', CWD);
    expect(a.fileId).toBe(b.fileId);
    expect([a.linkCount, b.linkCount]).toEqual([2, 2]);
    expect(b.name).toBe('two.txt');
    put(fs, 'C:\\sub\\two.txt', 'changed');
    expect(get(fs, 'C:\\one.txt')).toBe('changed');
    fs.deleteFile('C:\\one.txt', CWD);
    expect(get(fs, 'C:\\sub\\two.txt')).toBe('changed');
    expect(fs.stat('C:\\sub\\two.txt', CWD).linkCount).toBe(1);
  });

  test('a hard link to a directory is ERROR_ACCESS_DENIED; over a name ERROR_ALREADY_EXISTS; to another drive ERROR_NOT_SAME_DEVICE', () => {
    const { fs } = silo();
    fs.createDirectory('C:\\d', CWD);
    put(fs, 'C:\\f', 'x');
    put(fs, 'C:\\g', 'y');
    expect(win32Of(() => fs.createHardLink('C:\\dl', 'C:\\d', CWD))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => fs.createHardLink('C:\\g', 'C:\\f', CWD))).toBe('ERROR_ALREADY_EXISTS');
    expect(win32Of(() => fs.createHardLink('D:\\f', 'C:\\f', CWD))).toBe('ERROR_NOT_SAME_DEVICE');
    expect(win32Of(() => fs.createHardLink('C:\\h', 'C:\\nope', CWD))).toBe('ERROR_FILE_NOT_FOUND');
  });

  test('a file may have 1024 names; the 1025th is ERROR_TOO_MANY_LINKS', () => {
    const { c } = silo();
    const h = c.open('\\f', { disposition: 'create', write: true });
    h.close();
    c.createDirectory('\\links');
    for (let i = 1; i < 1024; i++) c.createHardLink(`\\links\\l${i}`, '\\f');
    expect(c.stat('\\f').linkCount).toBe(1024);
    expect(win32Of(() => c.createHardLink('\\links\\one-too-many', '\\f'))).toBe('ERROR_TOO_MANY_LINKS');
    expect((c as unknown as { audit(): string }).audit()).toBe('');
  });
});
