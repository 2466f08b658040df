// A host directory bound into a container (-v HOSTDIR:C:\path[:ro]): nothing reaches a host path
// outside it — not `..`, not host symlinks that lead out — and a read-only bind refuses every change
// with ERROR_ACCESS_DENIED. Real files and symlinks in a temp directory.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HostVolume } from '../../../src/kernel/fs/host-volume.js';
import { SiloFileSystem } from '../../../src/kernel/fs/view.js';
import { FILE_ATTRIBUTE_ARCHIVE, FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_READONLY } from '../../../src/kernel/fs/types.js';
import { dec, enc, names, newVolume, readAll, readFile, win32Of, writeFile } from './support.js';

let tmp: string;
let bind: string;
let outside: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'winsilo-bind-'));
  bind = path.join(tmp, 'bind');
  outside = path.join(tmp, 'outside');
  fs.mkdirSync(bind);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'host secret');
  fs.mkdirSync(path.join(bind, 'Sub'));
  fs.writeFileSync(path.join(bind, 'Sub', 'Inner.txt'), 'inner');
  fs.writeFileSync(path.join(bind, 'readme.txt'), 'readme');
  // Host symlinks: two leading out, one staying in, one dangling.
  fs.symlinkSync(outside, path.join(bind, 'escape-dir'));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(bind, 'escape-file'));
  fs.symlinkSync('../outside/secret.txt', path.join(bind, 'escape-relative'));
  fs.symlinkSync('Sub/Inner.txt', path.join(bind, 'inside-link'));
  fs.symlinkSync(path.join(tmp, 'nowhere'), path.join(bind, 'dangling'));
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('containment', () => {
  test('host symlinks leading outside the bind are ERROR_ACCESS_DENIED, directly or on the way', () => {
    const v = new HostVolume(bind);
    expect(win32Of(() => readFile(v, '\\escape-file'))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => readFile(v, '\\escape-relative'))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => readFile(v, '\\escape-dir\\secret.txt'))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => v.list('\\escape-dir'))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => v.stat('\\escape-dir'))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => writeFile(v, '\\escape-dir\\planted.txt', 'x'))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => v.createDirectory('\\escape-dir\\newdir'))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => v.deleteFile('\\escape-file'))).toBe('ERROR_ACCESS_DENIED');
    expect(fs.readdirSync(outside)).toEqual(['secret.txt']);
    expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('host secret');
  });

  test('listings leave out links that lead outside or nowhere; a link that stays inside is followed', () => {
    const v = new HostVolume(bind);
    expect(names(v.list('\\'))).toEqual(['inside-link', 'readme.txt', 'Sub']);
    expect(dec(readFile(v, '\\inside-link'))).toBe('inner');
  });

  test('`..` and other path tricks are refused as names: nothing climbs above the bind', () => {
    const v = new HostVolume(bind);
    for (const p of ['\\..\\outside\\secret.txt', '\\Sub\\..\\..\\outside\\secret.txt', '\\.', '\\a/../../outside', '\\..']) {
      expect(win32Of(() => v.stat(p))).toBe('ERROR_INVALID_NAME');
    }
    expect(win32Of(() => v.stat('relative'))).toBe('ERROR_INVALID_NAME');
  });

  test('through the silo view, C:\\data\\..\\.. is C:\\ and \\\\?\\ with `..` is an invalid name', () => {
    const c = newVolume().vol;
    const view = new SiloFileSystem({ drives: { C: c } });
    view.addMappedDirectory('C:\\data', 'D1', new HostVolume(bind));
    expect(names(view.list('C:\\data\\..\\..\\..', 'C:\\'))).toEqual(['data']);
    expect(win32Of(() => view.stat('\\\\?\\C:\\data\\..\\..\\outside\\secret.txt', 'C:\\'))).toBe('ERROR_INVALID_NAME');
    expect(win32Of(() => view.stat('C:\\data\\escape-dir\\secret.txt', 'C:\\'))).toBe('ERROR_ACCESS_DENIED');
  });

  test('a bound path that does not exist on the host is refused at bind time', () => {
    expect(win32Of(() => new HostVolume(path.join(tmp, 'no-such-dir')))).toBe('ERROR_PATH_NOT_FOUND');
    expect(win32Of(() => new HostVolume(path.join(bind, 'readme.txt')))).toBe('ERROR_PATH_NOT_FOUND');
  });
});

describe('Windows semantics over a host directory', () => {
  test('names are found in any case and listed in NTFS order', () => {
    const v = new HostVolume(bind);
    expect(v.stat('\\SUB\\inner.TXT').name).toBe('Inner.txt');
    expect(v.stat('\\sub').attributes).toBe(FILE_ATTRIBUTE_DIRECTORY);
    expect(v.stat('\\readme.txt').attributes).toBe(FILE_ATTRIBUTE_ARCHIVE);
  });

  test('create, write, read, rename and delete reach the host', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'rw-'));
    const v = new HostVolume(dir);
    v.createDirectory('\\d');
    writeFile(v, '\\d\\f.txt', 'one');
    expect(fs.readFileSync(path.join(dir, 'd', 'f.txt'), 'utf8')).toBe('one');
    expect(win32Of(() => v.open('\\d\\F.TXT', { disposition: 'create', write: true }))).toBe('ERROR_FILE_EXISTS');
    v.rename('\\d\\f.txt', '\\d\\g.txt', false);
    expect(fs.readdirSync(path.join(dir, 'd'))).toEqual(['g.txt']);
    expect(win32Of(() => v.removeDirectory('\\d'))).toBe('ERROR_DIR_NOT_EMPTY');
    expect(win32Of(() => v.deleteFile('\\d'))).toBe('ERROR_ACCESS_DENIED');
    v.deleteFile('\\d\\g.txt');
    v.removeDirectory('\\d');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('READONLY maps to the write bits: a read-only file cannot be written or deleted', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'ro-attr-'));
    const v = new HostVolume(dir);
    writeFile(v, '\\f', 'x');
    v.setAttributes('\\f', FILE_ATTRIBUTE_READONLY);
    expect(v.stat('\\f').attributes & FILE_ATTRIBUTE_READONLY).toBeTruthy();
    expect(win32Of(() => v.deleteFile('\\f'))).toBe('ERROR_ACCESS_DENIED');
    v.setAttributes('\\f', 0);
    v.deleteFile('\\f');
  });

  test('share modes hold on a bind too', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'share-'));
    const v = new HostVolume(dir);
    writeFile(v, '\\f', 'x');
    const h = v.open('\\f', { disposition: 'open', write: true, shareWrite: false });
    expect(win32Of(() => v.open('\\f', { disposition: 'open', write: true }))).toBe('ERROR_SHARING_VIOLATION');
    h.write(1, enc('y'));
    h.close();
    const r = v.open('\\f', { disposition: 'open', read: true });
    expect(dec(readAll(r))).toBe('xy');
    r.close();
  });

  test('reparse points cannot be created on a bind (ERROR_NOT_SUPPORTED)', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'rp-'));
    const v = new HostVolume(dir);
    expect(win32Of(() => v.createReparsePoint('\\l', { tag: 0xa000000c, substituteName: '\\??\\C:\\', printName: 'C:\\', relative: false }, true))).toBe('ERROR_NOT_SUPPORTED');
  });
});

describe('read-only binds', () => {
  test('every change is ERROR_ACCESS_DENIED ("Access is denied."); reads work; the host is untouched', () => {
    const v = new HostVolume(bind, { readOnly: true });
    expect(v.readOnly).toBe(true);
    expect(dec(readFile(v, '\\readme.txt'))).toBe('readme');
    const denied = [
      () => writeFile(v, '\\new.txt', 'x'),
      () => v.open('\\readme.txt', { disposition: 'open', write: true }),
      () => v.open('\\readme.txt', { disposition: 'overwriteIf' }),
      () => v.createDirectory('\\nd'),
      () => v.deleteFile('\\readme.txt'),
      () => v.removeDirectory('\\Sub'),
      () => v.rename('\\readme.txt', '\\r2.txt', false),
      () => v.setAttributes('\\readme.txt', FILE_ATTRIBUTE_READONLY),
      () => v.setTimes('\\readme.txt', { lastWriteTime: 0 }),
      () => v.createHardLink('\\hl', '\\readme.txt'),
    ];
    for (const f of denied) expect(win32Of(f)).toBe('ERROR_ACCESS_DENIED');
    expect(fs.readdirSync(bind).sort()).toEqual(['Sub', 'dangling', 'escape-dir', 'escape-file', 'escape-relative', 'inside-link', 'readme.txt']);
    expect(fs.readFileSync(path.join(bind, 'readme.txt'), 'utf8')).toBe('readme');
  });
});
