// A container's C: is a blocks clone of its image's top layer disk: the volume lives entirely on
// the disk, so the clone is a copy-on-write copy of the volume. Writes in one container reach
// neither the image nor other containers (windows-facts §4: `rd /s /q C:\` in one container).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { WasmBlockStore, type BlockStore } from '../../../src/core/blocks/index.js';
import { formatVolume, mountVolume, type NtfsVolume } from '../../../src/kernel/fs/ntfs/volume.js';
import type { Volume } from '../../../src/kernel/fs/types.js';
import { propertyChunks, yieldToEventLoop } from '../../support/budget.js';
import { applyToVolume, opsArb, snapshotVolume } from './model.js';
import { TestClock, dec, readFile, win32Of, writeFile } from './support.js';

/** An image layer: a volume with a small tree, its disk snapshotted (read-only). */
function image(store: BlockStore): { disk: number; vol: NtfsVolume } {
  const disk = store.createDisk(32 * 1024 * 1024).disk;
  const clock = new TestClock();
  const vol = formatVolume(store, disk, { serialNumber: 0x7055b6a6, clock: clock.now });
  vol.createDirectory('\\Windows');
  vol.createDirectory('\\Windows\\System32');
  for (let i = 0; i < 200; i++) writeFile(vol, `\\Windows\\System32\\lib${i}.dll`, new Uint8Array(100 + i * 37).fill(i & 255));
  writeFile(vol, '\\License.txt', 'license text');
  vol.createDirectory('\\a');
  vol.createDirectory('\\Bb');
  writeFile(vol, '\\c.txt', 'seed');
  expect(store.snapshot(disk)).toBe(0);
  return { disk, vol: mountVolume(store, disk, { readOnly: true }) };
}

function container(store: BlockStore, layer: number): NtfsVolume {
  const r = store.clone(layer);
  expect(r.status).toBe(0);
  return mountVolume(store, r.disk, { clock: new TestClock().now });
}

/** Deletes everything it can, depth first: `rd /s /q C:\`. */
function removeAll(vol: Volume, dir = '\\'): void {
  for (const e of vol.list(dir)) {
    const p = (dir === '\\' ? '' : dir) + '\\' + e.name;
    if (e.attributes & 0x10) {
      removeAll(vol, p);
      vol.removeDirectory(p);
    } else vol.deleteFile(p);
  }
}

describe('containers over one image', () => {
  test('the image layer mounts read-only and refuses changes with ERROR_WRITE_PROTECT', () => {
    const store = new WasmBlockStore();
    const { vol } = image(store);
    expect(vol.readOnly).toBe(true);
    expect(win32Of(() => writeFile(vol, '\\x', 'y'))).toBe('ERROR_WRITE_PROTECT');
    expect(win32Of(() => vol.deleteFile('\\License.txt'))).toBe('ERROR_WRITE_PROTECT');
    expect(win32Of(() => vol.open('\\License.txt', { disposition: 'open', write: true }))).toBe('ERROR_WRITE_PROTECT');
    expect(dec(readFile(vol, '\\License.txt'))).toBe('license text');
    // Errors that need no write come first, as on a write-protected NTFS volume.
    expect(win32Of(() => vol.deleteFile('\\nope'))).toBe('ERROR_FILE_NOT_FOUND');
  });

  test('`rd /s /q C:\\` in one container leaves the image and the other container whole', () => {
    const store = new WasmBlockStore();
    const img = image(store);
    const before = snapshotVolume(img.vol);
    const one = container(store, img.disk);
    const two = container(store, img.disk);
    removeAll(one);
    expect(one.list('\\')).toEqual([]);
    expect(one.audit()).toBe('');
    expect(snapshotVolume(img.vol)).toEqual(before);
    expect(snapshotVolume(two)).toEqual(before);
    writeFile(two, '\\Windows\\System32\\lib7.dll', 'patched in two');
    expect(snapshotVolume(img.vol)).toEqual(before);
    expect(one.list('\\')).toEqual([]);
    expect(dec(readFile(two, '\\Windows\\System32\\lib7.dll'))).toBe('patched in two');
  });

  test('a container\'s changes survive a remount of its own disk, and its free space is its own', () => {
    const store = new WasmBlockStore();
    const img = image(store);
    const c = container(store, img.disk);
    writeFile(c, '\\new.bin', new Uint8Array(50_000).fill(3));
    const again = mountVolume(store, c.disk);
    expect(again.stat('\\new.bin').size).toBe(50_000);
    expect(img.vol.space().freeBytes - again.space().freeBytes).toBe(Math.ceil(50_000 / 4096) * 4096);
  });

  test('mounting a clone reads only the boot record and $MFT\'s record', () => {
    const store = new WasmBlockStore();
    const img = image(store);
    let reads = 0;
    const counting: BlockStore = Object.create(store, {
      read: { value: (disk: number, offset: number, into: Uint8Array) => (reads++, store.read(disk, offset, into)) },
    });
    const r = store.clone(img.disk);
    mountVolume(counting, r.disk);
    expect(reads).toBe(2);
  });
});

describe('clone isolation, property', () => {
  for (const chunk of propertyChunks(25)) {
    test(`writes on a clone never change what the parent or a sibling clone reads${chunk.label}`, async () => {
      await yieldToEventLoop();
      const store = new WasmBlockStore();
      const img = image(store);
      const original = snapshotVolume(img.vol);
      fc.assert(
        fc.property(opsArb(30), opsArb(30), (opsA, opsB) => {
          const a = container(store, img.disk);
          const b = container(store, img.disk);
          try {
            for (const op of opsA) applyToVolume(a, op);
            const afterA = snapshotVolume(a);
            expect(snapshotVolume(img.vol)).toEqual(original);
            expect(snapshotVolume(b)).toEqual(original);
            for (const op of opsB) applyToVolume(b, op);
            expect(snapshotVolume(a)).toEqual(afterA);
            expect(snapshotVolume(img.vol)).toEqual(original);
            expect(a.audit()).toBe('');
            expect(b.audit()).toBe('');
          } finally {
            store.deleteDisk(a.disk);
            store.deleteDisk(b.disk);
          }
        }),
        { seed: chunk.seed, numRuns: chunk.numRuns },
      );
    });
  }
});
