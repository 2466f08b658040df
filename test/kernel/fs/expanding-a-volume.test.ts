// Rule: a volume expanded (what HCS does to a sandbox given a larger
// StorageSandboxSize — hcsshim ExpandScratchSize, "to at least size
// bytes") reports the new size, keeps every file, allocates from the new
// space, and refuses what does not fit with ERROR_DISK_FULL (112, "There is
// not enough space on the disk."). A size at or below the current one
// changes nothing; a read-only volume refuses (ERROR_WRITE_PROTECT).
import { describe, expect, test } from 'vitest';
import { DELTA_HEADER_BYTES, DELTA_MAGIC, DELTA_VERSION, type BlockStore } from '../../../src/core/blocks/index.js';
import { ERROR_DISK_FULL, Win32Error } from '../../../src/core/win32.js';
import { mountVolume, type NtfsVolume } from '../../../src/kernel/fs/ntfs/volume.js';
import { TestClock, newVolume, readFile, dec, win32Of, writeFile } from './support.js';

const MiB = 2 ** 20;

/** A clone of `disk` with a larger virtual size (what createSandbox makes): a delta that changes only the size. */
function largerClone(store: BlockStore, disk: number, size: number): number {
  const delta = new Uint8Array(DELTA_HEADER_BYTES);
  const v = new DataView(delta.buffer);
  v.setUint32(0, DELTA_MAGIC, true);
  v.setUint32(4, DELTA_VERSION, true);
  v.setUint32(8, store.blockSize, true);
  v.setUint32(12, size, true);
  const r = store.importDelta(disk, delta);
  expect(r.status).toBe(0);
  return r.disk;
}

/** A 16 MiB volume holding one file, cloned onto a `size`-byte disk and mounted. */
function grown(size: number): { store: BlockStore; disk: number; vol: NtfsVolume } {
  const f = newVolume({ size: 16 * MiB });
  writeFile(f.vol, '\\keep.txt', 'kept');
  f.store.snapshot(f.disk);
  const disk = largerClone(f.store, f.disk, size);
  return { store: f.store, disk, vol: mountVolume(f.store, disk, { clock: new TestClock().now }) };
}

function fill(vol: NtfsVolume, path: string, bytes: number): void {
  const h = vol.open(path, { disposition: 'create', write: true });
  try {
    h.setSize(bytes);
  } finally {
    h.close();
  }
}

describe('expanding a volume', () => {
  test('the volume reports the new size and the new space as free; files are kept; the volume audits sound, remounted too', () => {
    const { store, disk, vol } = grown(64 * MiB);
    const before = vol.space();
    expect(before.totalBytes).toBe(16 * MiB);
    vol.expand(64 * MiB);
    const after = vol.space();
    expect(after.totalBytes).toBe(64 * MiB);
    expect(after.freeBytes - before.freeBytes).toBe(48 * MiB);
    expect(dec(readFile(vol, '\\keep.txt'))).toBe('kept');
    expect(vol.audit()).toBe('');
    const again = mountVolume(store, disk);
    expect(again.space()).toEqual(after);
    expect(again.audit()).toBe('');
  });

  test('past what the bitmap covers, the bitmap continues in the new space: its clusters are in use, everything else allocates', () => {
    // 4 KiB clusters: one bitmap cluster covers 128 MiB.
    const { vol } = grown(320 * MiB);
    vol.expand(320 * MiB);
    const space = vol.space();
    expect(space.totalBytes).toBe(320 * MiB);
    // All that is free can be had, in the new space too; one cluster more cannot.
    fill(vol, '\\big.bin', space.freeBytes);
    expect(vol.space().freeBytes).toBe(0);
    expect(vol.audit()).toBe('');
    expect(win32Of(() => writeFile(vol, '\\one.more', new Uint8Array(4096)))).toBe('ERROR_DISK_FULL');
    vol.deleteFile('\\big.bin');
    expect(vol.space()).toEqual(space);
    expect(vol.audit()).toBe('');
  });

  test('a write past the free space fails with ERROR_DISK_FULL and changes nothing', () => {
    const { vol } = grown(64 * MiB);
    vol.expand(64 * MiB);
    const space = vol.space();
    const h = vol.open('\\x.bin', { disposition: 'create', write: true });
    let err: unknown;
    try {
      h.setSize(space.freeBytes + 4096);
    } catch (e) {
      err = e;
    }
    h.close();
    expect(err).toBeInstanceOf(Win32Error);
    expect((err as Win32Error).code).toBe(ERROR_DISK_FULL);
    expect((err as Error).message).toContain('There is not enough space on the disk.');
    expect(vol.stat('\\x.bin').size).toBe(0);
    expect(vol.space().freeBytes).toBe(space.freeBytes);
  });

  test('a size at or below the current one changes nothing (a volume grows, it does not shrink)', () => {
    const { vol } = grown(64 * MiB);
    const before = vol.space();
    vol.expand(8 * MiB);
    vol.expand(16 * MiB);
    expect(vol.space()).toEqual(before);
  });

  test('a read-only volume refuses: ERROR_WRITE_PROTECT', () => {
    const f = newVolume({ size: 16 * MiB });
    f.store.snapshot(f.disk);
    const ro = mountVolume(f.store, f.disk, { readOnly: true });
    expect(win32Of(() => ro.expand(64 * MiB))).toBe('ERROR_WRITE_PROTECT');
  });
});
