// The NTFS volume on a blocks disk: format and mount, names and case, the error each misuse gets
// (types.ts lists them), listing order, large directories, all-or-nothing on a full disk,
// determinism, read-only mounts.
import { describe, expect, test } from 'vitest';
import { RefBlockStore, WasmBlockStore, type BlockStore } from '../../../src/core/blocks/index.js';
import { ERROR_UNRECOGNIZED_VOLUME, Win32Error } from '../../../src/core/win32.js';
import { formatVolume, mountVolume } from '../../../src/kernel/fs/ntfs/volume.js';
import { FILE_ATTRIBUTE_DIRECTORY } from '../../../src/kernel/fs/types.js';
import { TestClock, dec, enc, names, newVolume, readFile, sharedStore, win32Of, writeFile } from './support.js';

describe('format and mount', () => {
  test('a formatted volume is empty and keeps its label and serial number across a mount', () => {
    const { store, disk, vol } = newVolume({ label: 'Data', serialNumber: 0x38cd4889 });
    expect(vol.list('\\')).toEqual([]);
    expect(vol.label).toBe('Data');
    expect(vol.serialNumber).toBe(0x38cd4889);
    writeFile(vol, '\\hello.txt', 'hi');
    const again = mountVolume(store, disk);
    expect(again.label).toBe('Data');
    expect(again.serialNumber).toBe(0x38cd4889);
    expect(dec(readFile(again, '\\hello.txt'))).toBe('hi');
    expect(again.space()).toEqual(vol.space());
  });

  test('setLabel changes the label on the disk; over 32 characters is ERROR_INVALID_NAME', () => {
    const { store, disk, vol } = newVolume();
    expect(vol.label).toBe('');
    vol.setLabel('Scratch');
    expect(mountVolume(store, disk).label).toBe('Scratch');
    expect(win32Of(() => vol.setLabel('x'.repeat(33)))).toBe('ERROR_INVALID_NAME');
  });

  test('mounting a disk with no volume is ERROR_UNRECOGNIZED_VOLUME', () => {
    const store = sharedStore();
    const d = store.createDisk(1024 * 1024).disk;
    expect(win32Of(() => mountVolume(store, d))).toBe('ERROR_UNRECOGNIZED_VOLUME');
    expect(ERROR_UNRECOGNIZED_VOLUME).toBe(1005);
  });

  test('a block size below 4 KiB cannot be formatted; a disk too small neither', () => {
    const small = new WasmBlockStore({ blockSize: 1024 });
    const d = small.createDisk(1024 * 1024).disk;
    expect(win32Of(() => formatVolume(small, d))).toBe('ERROR_INVALID_PARAMETER');
    const store = sharedStore();
    expect(win32Of(() => formatVolume(store, store.createDisk(8 * 4096).disk))).toBe('ERROR_INVALID_PARAMETER');
  });

  test('a snapshot disk cannot be formatted (ERROR_WRITE_PROTECT); mounted read-only or not, it refuses changes', () => {
    const { store, disk, vol } = newVolume();
    writeFile(vol, '\\f', 'x');
    store.snapshot(disk);
    expect(win32Of(() => formatVolume(store, disk))).toBe('ERROR_WRITE_PROTECT');
    const ro = mountVolume(store, disk, { readOnly: true });
    expect(ro.readOnly).toBe(true);
    expect(win32Of(() => ro.createDirectory('\\d'))).toBe('ERROR_WRITE_PROTECT');
    // Without the flag the store refuses the first write (STATUS_MEDIA_WRITE_PROTECTED) and the operation rolls back.
    const rw = mountVolume(store, disk);
    expect(win32Of(() => rw.createDirectory('\\d'))).toBe('ERROR_WRITE_PROTECT');
    expect(win32Of(() => writeFile(rw, '\\f', 'y'))).toBe('ERROR_WRITE_PROTECT');
    expect(names(rw.list('\\'))).toEqual(['f']);
    expect(dec(readFile(rw, '\\f'))).toBe('x');
    expect(rw.audit()).toBe('');
  });

  test('mounting a disk id that does not exist is ERROR_INVALID_HANDLE', () => {
    expect(win32Of(() => mountVolume(sharedStore(), 987654))).toBe('ERROR_INVALID_HANDLE');
  });

  test('the serial number defaults to one derived from the clock, the same for the same clock', () => {
    const store = sharedStore();
    const a = formatVolume(store, store.createDisk(1 << 22).disk, { clock: () => 1_600_000_000_000 });
    const b = formatVolume(store, store.createDisk(1 << 22).disk, { clock: () => 1_600_000_000_000 });
    const c = formatVolume(store, store.createDisk(1 << 22).disk, { clock: () => 1_600_000_000_001 });
    expect(a.serialNumber).toBe(b.serialNumber);
    expect(a.serialNumber).not.toBe(c.serialNumber);
  });
});

describe('names', () => {
  test('lookup is case-insensitive and the name keeps the case it was created with', () => {
    const { vol } = newVolume();
    vol.createDirectory('\\Windows');
    writeFile(vol, '\\Windows\\Win.INI', 'x');
    expect(vol.stat('\\WINDOWS\\win.ini').name).toBe('Win.INI');
    expect(names(vol.list('\\windows'))).toEqual(['Win.INI']);
    expect(win32Of(() => vol.createDirectory('\\wInDoWs'))).toBe('ERROR_ALREADY_EXISTS');
    expect(win32Of(() => vol.open('\\windows\\WIN.ini', { disposition: 'create', write: true }))).toBe('ERROR_FILE_EXISTS');
  });

  test('a rename that changes only the case works and shows the new case', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\readme.txt', 'x');
    vol.rename('\\readme.txt', '\\README.TXT', false);
    expect(names(vol.list('\\'))).toEqual(['README.TXT']);
    vol.createDirectory('\\dir');
    vol.rename('\\DIR', '\\Dir', false);
    expect(names(vol.list('\\'))).toEqual(['Dir', 'README.TXT']);
  });

  test('names with reserved characters or of 256 characters are refused', () => {
    const { vol } = newVolume();
    expect(win32Of(() => vol.createDirectory('\\a*b'))).toBe('ERROR_INVALID_NAME');
    expect(win32Of(() => vol.open('\\a?b', { disposition: 'create' }))).toBe('ERROR_INVALID_NAME');
    expect(win32Of(() => vol.open('\\a:b', { disposition: 'create' }))).toBe('ERROR_INVALID_NAME');
    expect(win32Of(() => vol.createDirectory('\\' + 'x'.repeat(256)))).toBe('ERROR_FILENAME_EXCED_RANGE');
    vol.createDirectory('\\' + 'x'.repeat(255));
    expect(win32Of(() => vol.stat('\\a\\..\\b'))).toBe('ERROR_INVALID_NAME');
    expect(win32Of(() => vol.stat('\\a\\\\b'))).toBe('ERROR_INVALID_NAME');
    expect(win32Of(() => vol.stat('relative'))).toBe('ERROR_INVALID_NAME');
  });

  test('names with trailing dots and spaces exist on the volume (reached through \\\\?\\)', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\x.', 'dot');
    writeFile(vol, '\\x ', 'space');
    writeFile(vol, '\\x', 'plain');
    expect(names(vol.list('\\'))).toEqual(['x', 'x ', 'x.']);
    expect(dec(readFile(vol, '\\x.'))).toBe('dot');
  });

  test('entries are listed in upcased-name order (NTFS collation), not creation order', () => {
    const { vol } = newVolume();
    for (const n of ['zeta', 'Alpha', '_under', 'beta', 'ALPHA2', '10', '9', 'é', 'Z']) writeFile(vol, '\\' + n, n);
    expect(names(vol.list('\\'))).toEqual(['10', '9', 'Alpha', 'ALPHA2', 'beta', 'Z', 'zeta', '_under', 'é']);
  });

  test('a 3000-entry directory (System32-sized) lists in order and finds each name in any case', () => {
    const { vol } = newVolume();
    vol.createDirectory('\\System32');
    const all: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const n = `File${(i * 7919) % 3000}.dll`;
      all.push(n);
      vol.open(`\\System32\\${n}`, { disposition: 'create' }).close();
    }
    const listed = names(vol.list('\\System32'));
    expect(listed.length).toBe(3000);
    expect(listed).toEqual([...all].sort((a, b) => (a.toUpperCase() < b.toUpperCase() ? -1 : 1)));
    for (let i = 0; i < 3000; i += 97) expect(vol.stat(`\\SYSTEM32\\FILE${i}.DLL`).name).toBe(`File${i}.dll`);
    expect(vol.audit()).toBe('');
    for (let i = 0; i < 3000; i += 2) vol.deleteFile(`\\System32\\File${i}.dll`);
    expect(vol.list('\\System32').length).toBe(1500);
    expect(vol.audit()).toBe('');
  });

  test('names of 255 characters fill index nodes quickly; the tree still splits and merges soundly', () => {
    const { vol } = newVolume();
    vol.createDirectory('\\long');
    for (let i = 0; i < 80; i++) vol.createDirectory(`\\long\\${String(i).padStart(3, '0')}${'y'.repeat(252)}`);
    expect(vol.list('\\long').length).toBe(80);
    expect(vol.audit()).toBe('');
    for (let i = 0; i < 80; i++) vol.removeDirectory(`\\long\\${String(i).padStart(3, '0')}${'y'.repeat(252)}`);
    expect(vol.list('\\long')).toEqual([]);
    vol.removeDirectory('\\long');
    expect(vol.audit()).toBe('');
  });
});

describe('errors Windows gives', () => {
  test('a missing last component is ERROR_FILE_NOT_FOUND; a missing directory on the way ERROR_PATH_NOT_FOUND', () => {
    const { vol } = newVolume();
    vol.createDirectory('\\d');
    expect(win32Of(() => vol.stat('\\d\\nope'))).toBe('ERROR_FILE_NOT_FOUND');
    expect(win32Of(() => vol.stat('\\nope\\x'))).toBe('ERROR_PATH_NOT_FOUND');
    expect(win32Of(() => vol.open('\\d\\nope', { disposition: 'open', read: true }))).toBe('ERROR_FILE_NOT_FOUND');
    expect(win32Of(() => vol.open('\\nope\\x', { disposition: 'create', write: true }))).toBe('ERROR_PATH_NOT_FOUND');
    expect(win32Of(() => vol.createDirectory('\\nope\\x'))).toBe('ERROR_PATH_NOT_FOUND');
    expect(win32Of(() => vol.deleteFile('\\d\\nope'))).toBe('ERROR_FILE_NOT_FOUND');
    expect(win32Of(() => vol.removeDirectory('\\nope'))).toBe('ERROR_FILE_NOT_FOUND');
  });

  test('a file used as a directory on the way is ERROR_PATH_NOT_FOUND', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f.txt', 'x');
    expect(win32Of(() => vol.stat('\\f.txt\\x'))).toBe('ERROR_PATH_NOT_FOUND');
    expect(win32Of(() => vol.createDirectory('\\f.txt\\x'))).toBe('ERROR_PATH_NOT_FOUND');
  });

  test('a file where a directory is required is ERROR_DIRECTORY (rd, dir, opening as a directory)', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f.txt', 'x');
    expect(win32Of(() => vol.removeDirectory('\\f.txt'))).toBe('ERROR_DIRECTORY');
    expect(win32Of(() => vol.list('\\f.txt'))).toBe('ERROR_DIRECTORY');
    expect(win32Of(() => vol.open('\\f.txt', { disposition: 'open', directory: true }))).toBe('ERROR_DIRECTORY');
  });

  test('deleting a directory with DeleteFile, or opening one for data, is ERROR_ACCESS_DENIED', () => {
    const { vol } = newVolume();
    vol.createDirectory('\\d');
    expect(win32Of(() => vol.deleteFile('\\d'))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => vol.open('\\d', { disposition: 'open', read: true, nonDirectory: true }))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => vol.open('\\d', { disposition: 'open', write: true }))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => vol.open('\\d', { disposition: 'overwriteIf', write: true }))).toBe('ERROR_ACCESS_DENIED');
    // A directory handle opens, but reads no data.
    const h = vol.open('\\d', { disposition: 'open', read: true });
    expect(h.info().attributes & FILE_ATTRIBUTE_DIRECTORY).toBeTruthy();
    expect(win32Of(() => h.read(0, new Uint8Array(1)))).toBe('ERROR_INVALID_FUNCTION');
    h.close();
  });

  test('removing a non-empty directory is ERROR_DIR_NOT_EMPTY; the root cannot be removed', () => {
    const { vol } = newVolume();
    vol.createDirectory('\\d');
    writeFile(vol, '\\d\\f', 'x');
    expect(win32Of(() => vol.removeDirectory('\\d'))).toBe('ERROR_DIR_NOT_EMPTY');
    vol.deleteFile('\\d\\f');
    vol.removeDirectory('\\d');
    expect(win32Of(() => vol.removeDirectory('\\'))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => vol.deleteFile('\\'))).toBe('ERROR_ACCESS_DENIED');
  });

  test('creating what exists: CreateDirectory ERROR_ALREADY_EXISTS, CREATE_NEW ERROR_FILE_EXISTS', () => {
    const { vol } = newVolume();
    vol.createDirectory('\\d');
    writeFile(vol, '\\f', 'x');
    expect(win32Of(() => vol.createDirectory('\\d'))).toBe('ERROR_ALREADY_EXISTS');
    expect(win32Of(() => vol.createDirectory('\\f'))).toBe('ERROR_ALREADY_EXISTS');
    expect(win32Of(() => vol.open('\\f', { disposition: 'create' }))).toBe('ERROR_FILE_EXISTS');
    expect(win32Of(() => vol.createDirectory('\\'))).toBe('ERROR_ALREADY_EXISTS');
  });

  test('dispositions: open and overwrite need the file; openIf and overwriteIf create it', () => {
    const { vol } = newVolume();
    expect(win32Of(() => vol.open('\\a', { disposition: 'overwrite', write: true }))).toBe('ERROR_FILE_NOT_FOUND');
    vol.open('\\a', { disposition: 'openIf', write: true }).close();
    vol.open('\\b', { disposition: 'overwriteIf', write: true }).close();
    vol.open('\\c', { disposition: 'supersede', write: true }).close();
    writeFile(vol, '\\a', 'data');
    vol.open('\\a', { disposition: 'openIf', read: true }).close();
    expect(dec(readFile(vol, '\\a'))).toBe('data');
    vol.open('\\a', { disposition: 'overwrite', write: true }).close();
    expect(vol.stat('\\a').size).toBe(0);
    expect(names(vol.list('\\'))).toEqual(['a', 'b', 'c']);
  });

  test('handles refuse what they were not opened for, and everything once closed', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\f', 'x');
    const r = vol.open('\\f', { disposition: 'open', read: true });
    expect(win32Of(() => r.write(0, enc('y')))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => r.setSize(0))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => r.read(-1, new Uint8Array(1)))).toBe('ERROR_INVALID_PARAMETER');
    r.close();
    expect(win32Of(() => r.read(0, new Uint8Array(1)))).toBe('ERROR_INVALID_HANDLE');
    expect(win32Of(() => r.close())).toBe('ERROR_INVALID_HANDLE');
    const w = vol.open('\\f', { disposition: 'open', write: true });
    expect(win32Of(() => w.read(0, new Uint8Array(1)))).toBe('ERROR_ACCESS_DENIED');
    w.close();
  });
});

describe('rename', () => {
  test('onto an existing name is ERROR_ALREADY_EXISTS unless replacing; replacing swaps the contents in', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\a', 'A');
    writeFile(vol, '\\b', 'B');
    expect(win32Of(() => vol.rename('\\a', '\\b', false))).toBe('ERROR_ALREADY_EXISTS');
    vol.rename('\\a', '\\B', true);
    expect(names(vol.list('\\'))).toEqual(['B']);
    expect(dec(readFile(vol, '\\b'))).toBe('A');
    expect(vol.audit()).toBe('');
  });

  test('moves between directories keep the file id; a directory moves with its contents', () => {
    const { vol } = newVolume();
    vol.createDirectory('\\src');
    vol.createDirectory('\\src\\sub');
    writeFile(vol, '\\src\\sub\\f', 'deep');
    vol.createDirectory('\\dst');
    const id = vol.stat('\\src\\sub\\f').fileId;
    vol.rename('\\src\\sub', '\\dst\\moved', false);
    expect(vol.stat('\\dst\\moved\\f').fileId).toBe(id);
    expect(dec(readFile(vol, '\\dst\\moved\\f'))).toBe('deep');
    expect(vol.list('\\src')).toEqual([]);
    expect(vol.audit()).toBe('');
  });

  test('a directory cannot replace or be replaced (ERROR_ACCESS_DENIED), nor move into itself', () => {
    const { vol } = newVolume();
    vol.createDirectory('\\d');
    vol.createDirectory('\\d\\sub');
    vol.createDirectory('\\e');
    writeFile(vol, '\\f', 'x');
    expect(win32Of(() => vol.rename('\\d', '\\e', true))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => vol.rename('\\f', '\\e', true))).toBe('ERROR_ACCESS_DENIED');
    expect(win32Of(() => vol.rename('\\d', '\\e', false))).toBe('ERROR_ALREADY_EXISTS');
    // Directly into itself: a sharing violation on Server 2022 (before Windows 11 22H2); deeper: access denied.
    expect(win32Of(() => vol.rename('\\d', '\\d\\x', false))).toBe('ERROR_SHARING_VIOLATION');
    expect(win32Of(() => vol.rename('\\d', '\\d\\sub\\x', false))).toBe('ERROR_ACCESS_DENIED');
  });

  test('renaming to the same name is a no-op; a missing source is ERROR_FILE_NOT_FOUND', () => {
    const { vol } = newVolume();
    writeFile(vol, '\\a', 'x');
    vol.rename('\\a', '\\a', false);
    expect(names(vol.list('\\'))).toEqual(['a']);
    expect(win32Of(() => vol.rename('\\nope', '\\b', false))).toBe('ERROR_FILE_NOT_FOUND');
    expect(win32Of(() => vol.rename('\\a', '\\nodir\\b', false))).toBe('ERROR_PATH_NOT_FOUND');
  });
});

describe('disk full', () => {
  test('a write that does not fit fails with ERROR_DISK_FULL and changes nothing', () => {
    const { vol } = newVolume({ size: 1024 * 1024 });
    writeFile(vol, '\\keep', 'kept');
    const free = vol.space().freeBytes;
    const h = vol.open('\\big', { disposition: 'create', write: true });
    expect(win32Of(() => h.write(0, new Uint8Array(free + 4096)))).toBe('ERROR_DISK_FULL');
    expect(h.info().size).toBe(0);
    expect(vol.space().freeBytes).toBe(free);
    h.write(0, new Uint8Array(free - 8192).fill(1));
    h.close();
    expect(vol.audit()).toBe('');
  });

  test('running out of clusters while creating many files leaves no half-created entry', () => {
    const { vol } = newVolume({ size: 256 * 1024 });
    vol.createDirectory('\\d');
    let made = 0;
    for (;;) {
      const name = `\\d\\file-with-a-long-name-${String(made).padStart(5, '0')}.bin`;
      try {
        writeFile(vol, name, new Uint8Array(3000), 'create');
        made++;
      } catch (e) {
        expect(e).toBeInstanceOf(Win32Error);
        expect((e as Win32Error).code).toBe(112);
        break;
      }
    }
    expect(made).toBeGreaterThan(5);
    expect(vol.audit()).toBe('');
    const listed = vol.list('\\d');
    // The failed create either completed as an empty file (its write failed) or left nothing.
    expect(listed.length === made || listed.length === made + 1).toBe(true);
    expect(listed.filter((f) => f.size === 3000).length).toBe(made);
  });

  test('the block store filling up (STATUS_DISK_FULL on copy-on-write) rolls back as well', () => {
    const store = new WasmBlockStore({ quotaBytes: 96 * 4096 });
    const disk = store.createDisk(64 * 1024 * 1024).disk;
    const clock = new TestClock();
    const vol = formatVolume(store, disk, { clock: clock.now, serialNumber: 1 });
    let failures = 0;
    for (let i = 0; i < 200 && failures === 0; i++) {
      try {
        writeFile(vol, `\\f${i}`, new Uint8Array(4096 * 2).fill(i & 255), 'create');
      } catch (e) {
        expect((e as Win32Error).code).toBe(112);
        failures++;
      }
    }
    expect(failures).toBe(1);
    expect(vol.audit()).toBe('');
    const again = mountVolume(store, disk);
    expect(again.audit()).toBe('');
    for (const f of again.list('\\')) {
      if (f.size > 0) expect(readFile(again, '\\' + f.name).every((b) => b === (Number(f.name.slice(1)) & 255))).toBe(true);
    }
  });
});

describe('determinism', () => {
  test('the same operations with the same clock give the same disk bytes', () => {
    const run = (): Uint8Array => {
      const store = new WasmBlockStore();
      const disk = store.createDisk(8 * 1024 * 1024).disk;
      const clock = new TestClock();
      const vol = formatVolume(store, disk, { label: 'L', serialNumber: 42, clock: clock.now });
      vol.createDirectory('\\a');
      for (let i = 0; i < 50; i++) writeFile(vol, `\\a\\f${i}`, new Uint8Array(i * 300).fill(i));
      vol.rename('\\a\\f3', '\\a\\moved', false);
      for (let i = 0; i < 50; i += 3) if (i !== 3) vol.deleteFile(`\\a\\f${i}`);
      const out = new Uint8Array(8 * 1024 * 1024);
      store.read(disk, 0, out);
      return out;
    };
    const a = run();
    const b = run();
    expect(Buffer.compare(a, b)).toBe(0);
  });

  test('a remount in the middle does not change the bytes the rest of the operations write', () => {
    const run = (remount: boolean): Uint8Array => {
      const store = new WasmBlockStore();
      const disk = store.createDisk(4 * 1024 * 1024).disk;
      const clock = new TestClock();
      let vol = formatVolume(store, disk, { serialNumber: 7, clock: clock.now });
      for (let i = 0; i < 20; i++) writeFile(vol, `\\f${i}`, new Uint8Array(5000).fill(i));
      if (remount) vol = mountVolume(store, disk, { clock: clock.now });
      for (let i = 0; i < 20; i += 2) vol.deleteFile(`\\f${i}`);
      for (let i = 20; i < 30; i++) writeFile(vol, `\\f${i}`, new Uint8Array(5000).fill(i));
      const out = new Uint8Array(4 * 1024 * 1024);
      store.read(disk, 0, out);
      return out;
    };
    expect(Buffer.compare(run(false), run(true))).toBe(0);
  });
});

describe('any block store', () => {
  test('the reference store gives the same disk bytes as the WASM store for the same operations', () => {
    const run = (store: BlockStore): Uint8Array => {
      const disk = store.createDisk(4 * 1024 * 1024).disk;
      const clock = new TestClock();
      const vol = formatVolume(store, disk, { label: 'X', serialNumber: 9, clock: clock.now });
      vol.createDirectory('\\d');
      for (let i = 0; i < 40; i++) writeFile(vol, `\\d\\${'n'.repeat(i % 30)}${i}`, new Uint8Array(i * 211).fill(i));
      for (let i = 0; i < 40; i += 4) vol.deleteFile(`\\d\\${'n'.repeat(i % 30)}${i}`);
      expect(vol.audit()).toBe('');
      const out = new Uint8Array(4 * 1024 * 1024);
      store.read(disk, 0, out);
      return out;
    };
    expect(Buffer.compare(run(new WasmBlockStore()), run(new RefBlockStore()))).toBe(0);
  });
});

describe('format on a store with no room', () => {
  test('formatting when the store cannot take the metadata blocks is ERROR_DISK_FULL', () => {
    const store = new WasmBlockStore({ quotaBytes: 4 * 4096 });
    const disk = store.createDisk(16 * 1024 * 1024).disk;
    expect(win32Of(() => formatVolume(store, disk))).toBe('ERROR_DISK_FULL');
  });
});
