// Byte-granular reads and writes (types.ts, windows-facts §4): unwritten
// ranges read as zeros, writes land exactly where asked across block
// boundaries (partial blocks read-modify-write), every block size from 512 B
// to 64 KiB, disks up to 2^40 bytes, and transfers past the end refused as
// the disk class driver refuses them.
import { describe, expect, test } from 'vitest';
import { NtStatusError } from '../../../src/core/errors.js';
import { STATUS_INVALID_HANDLE, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../../src/core/ntstatus.js';
import { BLOCK_LIMITS } from '../../../src/core/blocks/index.js';
import { IMPLS, disk, expectBytes, expectSound, pattern, readBack, st } from './support.js';

const BLOCK_SIZES = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];

describe.each(IMPLS)('reads and writes (%s)', (_, make) => {
  test('an unwritten disk reads as zeros anywhere, and allocates nothing', () => {
    const s = make();
    const d = disk(s, 1 << 30);
    expectBytes(readBack(s, d, 0, 10000), new Uint8Array(10000));
    expect(readBack(s, d, (1 << 30) - 777, 777)).toEqual(new Uint8Array(777));
    expect(s.storeStats().blocksInUse).toBe(0);
  });

  test.each(BLOCK_SIZES)('block size %i: a write spanning three blocks at an odd offset reads back; the bytes around it stay zero', (B) => {
    const s = make({ blockSize: B });
    expect(s.blockSize).toBe(B);
    const d = disk(s, 64 * B);
    const data = pattern(2 * B + 3, B);
    const at = 5 * B - 1; // last byte of block 4 … first 2 bytes of block 7
    expect(st(s.write(d, at, data))).toBe('STATUS_SUCCESS');
    const back = readBack(s, d, at - 100, data.length + 200);
    expectBytes(back.subarray(0, 100), new Uint8Array(100), 'before');
    expectBytes(back.subarray(100, 100 + data.length), data, 'written');
    expectBytes(back.subarray(100 + data.length), new Uint8Array(100), 'after');
    expect(s.storeStats()).toMatchObject({ blockSize: B, blocksInUse: 4, blocksFree: 0 });
    expectSound(s);
  });

  test('a partial write keeps the rest of its block (read-modify-write)', () => {
    const s = make();
    const d = disk(s, 1 << 20);
    const whole = pattern(4096, 1);
    s.write(d, 4096, whole);
    const patch = pattern(10, 2);
    expect(s.write(d, 4096 + 1000, patch)).toBe(STATUS_SUCCESS);
    const expected = whole.slice();
    expected.set(patch, 1000);
    expectBytes(readBack(s, d, 4096, 4096), expected);
    expect(s.storeStats().blocksInUse).toBe(1);
  });

  test('a write of more blocks than one call can address (16384+) lands whole', () => {
    const s = make({ blockSize: 512 });
    const d = disk(s, 16 << 20);
    const data = pattern(BLOCK_LIMITS.ioEntries * 512 + 3 * 512 + 17, 3);
    expect(s.write(d, 300, data)).toBe(STATUS_SUCCESS);
    expectBytes(readBack(s, d, 300, data.length), data);
    expect(readBack(s, d, 0, 300)).toEqual(new Uint8Array(300));
    expectSound(s);
  });

  test('a 2^40-byte disk takes writes at its first and last bytes', () => {
    const s = make();
    const size = BLOCK_LIMITS.maxVirtualSize;
    const d = disk(s, size);
    expect(s.write(d, 0, pattern(1, 4))).toBe(STATUS_SUCCESS);
    expect(s.write(d, size - 1, pattern(1, 5))).toBe(STATUS_SUCCESS);
    expect(readBack(s, d, size - 1, 1)).toEqual(pattern(1, 5));
    expect(readBack(s, d, 0, 1)).toEqual(pattern(1, 4));
    expect(readBack(s, d, size / 2, 4096)).toEqual(new Uint8Array(4096));
    expect(s.storeStats().blocksInUse).toBe(2);
    expect(s.write(d, size, pattern(1, 6))).toBe(STATUS_INVALID_PARAMETER);
    expectSound(s);
  });

  test('a disk whose last block is partial: writes reach its end and no further', () => {
    const s = make();
    const d = disk(s, 4096 + 512);
    expect(s.write(d, 4096, pattern(512, 7))).toBe(STATUS_SUCCESS);
    expect(readBack(s, d, 4096, 512)).toEqual(pattern(512, 7));
    expect(s.write(d, 4097, pattern(512, 7))).toBe(STATUS_INVALID_PARAMETER);
    expect(s.read(d, 4096, new Uint8Array(513))).toBe(STATUS_INVALID_PARAMETER);
    expectSound(s);
  });

  test('transfers past the end, and offsets that are not integers 0 … 2^53 − 1, are STATUS_INVALID_PARAMETER', () => {
    const s = make();
    const d = disk(s, 8192);
    const one = new Uint8Array(1);
    expect(s.read(d, 8192, new Uint8Array(0))).toBe(STATUS_SUCCESS);
    expect(s.write(d, 8192, new Uint8Array(0))).toBe(STATUS_SUCCESS);
    expect(s.read(d, 8191, one)).toBe(STATUS_SUCCESS);
    for (const offset of [8192, 8193, -1, 0.5, NaN, Infinity, 2 ** 53, Number.MAX_SAFE_INTEGER]) {
      expect(st(s.read(d, offset, one)), `read at ${offset}`).toBe('STATUS_INVALID_PARAMETER');
      expect(st(s.write(d, offset, one)), `write at ${offset}`).toBe('STATUS_INVALID_PARAMETER');
    }
    expect(s.read(d, 0, new Uint8Array(8193))).toBe(STATUS_INVALID_PARAMETER);
    expect(s.storeStats().blocksInUse).toBe(0);
  });

  test('virtual sizes: whole sectors from 0 to 2^40; anything else is STATUS_INVALID_PARAMETER', () => {
    const s = make();
    for (const size of [0, 512, 4096 + 512, BLOCK_LIMITS.maxVirtualSize]) expect(st(s.createDisk(size).status), `${size}`).toBe('STATUS_SUCCESS');
    for (const size of [-512, 100, 513, 1.5, NaN, Infinity, BLOCK_LIMITS.maxVirtualSize + 512]) {
      expect(s.createDisk(size), `${size}`).toEqual({ status: STATUS_INVALID_PARAMETER, disk: 0 });
    }
    const z = disk(s, 0);
    expect(s.read(z, 0, new Uint8Array(0))).toBe(STATUS_SUCCESS);
    expect(s.write(z, 0, new Uint8Array(1))).toBe(STATUS_INVALID_PARAMETER);
  });

  test('disk ids that are 0, deleted, never handed out or not integers are STATUS_INVALID_HANDLE', () => {
    const s = make();
    const d = disk(s, 4096);
    const gone = disk(s, 4096);
    s.deleteDisk(gone);
    for (const bad of [0, gone, 99, -1, 1.5, 2 ** 32 + d, NaN]) {
      expect(s.read(bad, 0, new Uint8Array(1)), `${bad}`).toBe(STATUS_INVALID_HANDLE);
      expect(s.write(bad, 0, new Uint8Array(1))).toBe(STATUS_INVALID_HANDLE);
      expect(s.discard(bad, 0, 1)).toBe(STATUS_INVALID_HANDLE);
      expect(s.snapshot(bad)).toBe(STATUS_INVALID_HANDLE);
      expect(s.deleteDisk(bad)).toBe(STATUS_INVALID_HANDLE);
      expect(s.clone(bad)).toEqual({ status: STATUS_INVALID_HANDLE, disk: 0 });
      expect(s.stats(bad).status).toBe(STATUS_INVALID_HANDLE);
      expect(s.diff(bad, d).status).toBe(STATUS_INVALID_HANDLE);
      expect(s.diff(d, bad).status).toBe(STATUS_INVALID_HANDLE);
      expect(s.exportDelta(bad, 0).status).toBe(STATUS_INVALID_HANDLE);
    }
  });

  test('disk ids are 1, 2, … and a deleted id is handed out again, most recently freed first', () => {
    const s = make();
    expect([disk(s, 512), disk(s, 512), disk(s, 512)]).toEqual([1, 2, 3]);
    s.deleteDisk(1);
    s.deleteDisk(3);
    expect(s.clone(2).disk).toBe(3);
    expect(disk(s, 512)).toBe(1);
    expect(disk(s, 512)).toBe(4);
  });

  test('block sizes that are not powers of two from 512 to 65536, and bad quotas, are refused at construction', () => {
    for (const blockSize of [256, 1000, 131072, 0, -4096, 4096.5]) expect(() => make({ blockSize }), `${blockSize}`).toThrow(NtStatusError);
    for (const quotaBytes of [-1, 1.5, NaN]) expect(() => make({ quotaBytes }), `${quotaBytes}`).toThrow(NtStatusError);
    expect(make({ quotaBytes: 10000 }).storeStats().quotaBytes).toBe(8192);
    expect(make().storeStats()).toMatchObject({ blockSize: 4096, quotaBytes: BLOCK_LIMITS.defaultQuotaBytes });
  });
});
