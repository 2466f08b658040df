// The silo's Win32 view: drives, DOS devices (NUL, CON; Server 2022 rules), trailing separators,
// bound host directories shown as <SYMLINKD> to \\?\ContainerMappedDirectories\<GUID>.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { HostVolume } from '../../../src/kernel/fs/host-volume.js';
import { SiloFileSystem } from '../../../src/kernel/fs/view.js';
import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, type FileHandle } from '../../../src/kernel/fs/types.js';
import { dec, enc, names, newVolume, readAll, win32Of } from './support.js';

const CWD = 'C:\\Users\\ContainerUser';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'winsilo-view-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function silo(openDevice?: (name: string) => FileHandle | undefined): SiloFileSystem {
  const { vol } = newVolume();
  vol.createDirectory('\\Users');
  vol.createDirectory('\\Users\\ContainerUser');
  return new SiloFileSystem({ drives: { C: vol }, openDevice });
}

describe('drives and paths', () => {
  test('relative paths resolve against the process cwd; fullPath is GetFullPathName', () => {
    const v = silo();
    const h = v.open('notes.txt', CWD, { disposition: 'create', write: true });
    expect(h.path).toBe('C:\\Users\\ContainerUser\\notes.txt');
    h.write(0, enc('hi'));
    h.close();
    expect(v.stat('..\\ContainerUser\\NOTES.TXT', CWD).name).toBe('notes.txt');
    expect(v.fullPath('..\\x', CWD)).toBe('C:\\Users\\x');
    expect(names(v.list('.', CWD))).toEqual(['notes.txt']);
    expect(names(v.list('\\', CWD))).toEqual(['Users']);
  });

  test('a drive with no volume is ERROR_PATH_NOT_FOUND; a UNC path ERROR_BAD_NETPATH', () => {
    const v = silo();
    expect(win32Of(() => v.stat('Q:\\x', CWD))).toBe('ERROR_PATH_NOT_FOUND');
    expect(win32Of(() => v.open('\\\\server\\share\\x', CWD, { disposition: 'open', read: true }))).toBe('ERROR_BAD_NETPATH');
    expect(v.volume('C')).toBeDefined();
    expect(v.volume('c:')).toBe(v.volume('C'));
    expect(v.volume('Q')).toBeUndefined();
  });

  test('trailing dots and spaces are stripped: "a.txt." is a.txt; \\\\?\\ keeps them', () => {
    const v = silo();
    v.open('C:\\a.txt. . ', CWD, { disposition: 'create', write: true }).close();
    expect(names(v.list('C:\\', CWD))).toEqual(['a.txt', 'Users']);
    v.open('\\\\?\\C:\\b.', CWD, { disposition: 'create', write: true }).close();
    expect(names(v.list('C:\\', CWD))).toContain('b.');
  });

  test('a trailing separator after a file name is ERROR_INVALID_NAME', () => {
    const v = silo();
    v.open('C:\\f.txt', CWD, { disposition: 'create', write: true }).close();
    expect(win32Of(() => v.open('C:\\f.txt\\', CWD, { disposition: 'open', read: true }))).toBe('ERROR_INVALID_NAME');
    expect(win32Of(() => v.open('C:\\new.txt\\', CWD, { disposition: 'create', write: true }))).toBe('ERROR_INVALID_NAME');
    expect(win32Of(() => v.stat('C:\\f.txt\\', CWD))).toBe('ERROR_INVALID_NAME');
    v.createDirectory('C:\\dir\\', CWD);
    expect(v.stat('C:\\dir\\', CWD).attributes).toBe(FILE_ATTRIBUTE_DIRECTORY);
  });

  test('moving across drives is ERROR_NOT_SAME_DEVICE', () => {
    const v = silo();
    v.mountDrive('D', newVolume().vol);
    v.open('C:\\f', CWD, { disposition: 'create', write: true }).close();
    expect(win32Of(() => v.rename('C:\\f', 'D:\\f', CWD, false))).toBe('ERROR_NOT_SAME_DEVICE');
    v.rename('C:\\f', 'C:\\Users\\g', CWD, false);
    expect(v.stat('C:\\Users\\g', CWD).name).toBe('g');
    expect(win32Of(() => v.rename('C:\\Users\\g', 'C:\\nodir\\g', CWD, false))).toBe('ERROR_PATH_NOT_FOUND');
    v.unmountDrive('D');
    expect(win32Of(() => v.list('D:\\', CWD))).toBe('ERROR_PATH_NOT_FOUND');
  });
});

describe('DOS devices', () => {
  test('NUL opens whatever the directory: reads end at once, writes are swallowed, no file appears', () => {
    const v = silo();
    for (const p of ['NUL', 'nul.txt', 'C:\\Users\\nul', 'C:\\nowhere\\NUL.log', '\\\\.\\NUL']) {
      const h = v.open(p, CWD, { disposition: 'overwriteIf', read: true, write: true });
      expect(h.write(0, enc('discarded'))).toBe(9);
      expect(h.read(0, new Uint8Array(10))).toBe(0);
      h.close();
    }
    expect(names(v.list('C:\\Users', CWD))).toEqual(['ContainerUser']);
    expect(names(v.list('.', CWD))).toEqual([]);
  });

  test('CON and the other devices go to the process model; without one they are ERROR_FILE_NOT_FOUND — never a file', () => {
    const opened: string[] = [];
    const consoleHandle: FileHandle = { path: 'CON', info: () => { throw new Error('n/a'); }, read: () => 0, write: (_p, d) => d.length, setSize: () => {}, close: () => {} };
    const v = silo((name) => {
      opened.push(name);
      return name.toUpperCase().startsWith('CON') ? consoleHandle : undefined;
    });
    expect(v.open('CON', CWD, { disposition: 'create', write: true })).toBe(consoleHandle);
    expect(v.open('con.txt', CWD, { disposition: 'create', write: true })).toBe(consoleHandle);
    expect(v.open('CONOUT$', CWD, { disposition: 'open', write: true })).toBe(consoleHandle);
    expect(win32Of(() => v.open('COM1', CWD, { disposition: 'open', write: true }))).toBe('ERROR_FILE_NOT_FOUND');
    expect(opened).toEqual(['CON', 'con', 'CONOUT$', 'COM1']);
    expect(names(v.list('.', CWD))).toEqual([]);
    expect(win32Of(() => silo().open('CON', CWD, { disposition: 'create', write: true }))).toBe('ERROR_FILE_NOT_FOUND');
  });

  test('\\\\?\\C:\\nul is a real file name (no device rules under \\\\?\\)', () => {
    const v = silo();
    const h = v.open('\\\\?\\C:\\nul', CWD, { disposition: 'create', write: true });
    h.write(0, enc('real'));
    h.close();
    expect(names(v.list('C:\\', CWD))).toContain('nul');
  });

  test('changing a device name is ERROR_ACCESS_DENIED; listing one ERROR_DIRECTORY; stat answers', () => {
    const v = silo();
    expect(win32Of(() => v.createDirectory('nul', CWD))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => v.deleteFile('C:\\x\\con.txt', CWD))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => v.list('NUL', CWD))).toBe('ERROR_DIRECTORY');
    expect(v.stat('nul', CWD).size).toBe(0);
  });
});

describe('bound host directories', () => {
  test('addMappedDirectory shows a <SYMLINKD> to \\\\?\\ContainerMappedDirectories\\<GUID> and writes reach the host directory', () => {
    const host = fs.mkdtempSync(path.join(tmp, 'bind-'));
    fs.writeFileSync(path.join(host, 'from-host.txt'), 'hello from the host');
    const v = silo();
    const guid = '3F2504E0-4F89-11D3-9A0C-0305E82C3301';
    v.addMappedDirectory('C:\\data', guid, new HostVolume(host));
    const entry = v.stat('C:\\data', CWD, { openReparsePoint: true });
    expect(entry.attributes).toBe(FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT);
    expect(entry.reparse?.printName).toBe(`\\\\?\\ContainerMappedDirectories\\${guid}`);
    expect(names(v.list('C:\\data', CWD))).toEqual(['from-host.txt']);
    const r = v.open('C:\\data\\FROM-HOST.TXT', CWD, { disposition: 'open', read: true });
    expect(dec(readAll(r))).toBe('hello from the host');
    expect(r.path).toBe(`\\\\?\\ContainerMappedDirectories\\${guid}\\FROM-HOST.TXT`);
    r.close();
    const w = v.open('C:\\data\\new.txt', CWD, { disposition: 'create', write: true });
    w.write(0, enc('from the container'));
    w.close();
    expect(fs.readFileSync(path.join(host, 'new.txt'), 'utf8')).toBe('from the container');
    expect(names(v.list('\\\\?\\ContainerMappedDirectories\\' + guid.toLowerCase(), CWD))).toEqual(['from-host.txt', 'new.txt']);
  });

  test('a nested bind path gets its parents; an empty directory in the way is replaced, a non-empty one refused', () => {
    const host = fs.mkdtempSync(path.join(tmp, 'bind-'));
    const v = silo();
    v.addMappedDirectory('C:\\app\\config', 'A1', new HostVolume(host));
    expect(v.stat('C:\\app', CWD).attributes).toBe(FILE_ATTRIBUTE_DIRECTORY);
    v.createDirectory('C:\\empty', CWD);
    v.addMappedDirectory('C:\\empty', 'A2', new HostVolume(host));
    v.createDirectory('C:\\full', CWD);
    v.open('C:\\full\\x', CWD, { disposition: 'create' }).close();
    expect(win32Of(() => v.addMappedDirectory('C:\\full', 'A3', new HostVolume(host)))).toBe('ERROR_DIR_NOT_EMPTY');
  });

  test('`..` at the bind root goes back up the container\'s C:, not the host', () => {
    const host = fs.mkdtempSync(path.join(tmp, 'bind-'));
    const v = silo();
    v.addMappedDirectory('C:\\data', 'B1', new HostVolume(host));
    // Win32 evaluates `..` lexically before the walk: C:\data\.. is C:\.
    expect(names(v.list('C:\\data\\..', CWD))).toEqual(['data', 'Users']);
    // Verbatim, `..` is a name the bind refuses; normalised, it climbs out of the GUID to nothing.
    expect(win32Of(() => v.list('\\\\?\\ContainerMappedDirectories\\B1\\..', CWD))).toBe('ERROR_INVALID_NAME');
    expect(win32Of(() => v.list('\\\\.\\ContainerMappedDirectories\\B1\\..', CWD))).toBe('ERROR_PATH_NOT_FOUND');
  });
});
