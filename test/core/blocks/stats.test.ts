// Per-disk and store statistics (types.ts DiskStats, StoreStats: what
// `docker system df` and container sizes are made of): allocated = mapped
// blocks, shared = those another live disk maps too, exclusive = the rest,
// which is exactly what deleting the disk alone frees.
import { describe, expect, test } from 'vitest';
import { STATUS_SUCCESS } from '../../../src/core/ntstatus.js';
import { IMPLS, disk, pattern } from './support.js';

const B = 4096;

describe.each(IMPLS)('statistics (%s)', (_, make) => {
  test('an empty disk: its size, nothing allocated, writable', () => {
    const s = make();
    const d = disk(s, 10 * B + 512);
    expect(s.stats(d)).toEqual({ status: STATUS_SUCCESS, virtualSize: 10 * B + 512, allocatedBytes: 0, sharedBytes: 0, exclusiveBytes: 0, readOnly: false });
  });

  test('written blocks are allocated and exclusive; zeros written are allocated too (stats count mapped blocks, not contents)', () => {
    const s = make();
    const d = disk(s, 100 * B);
    s.write(d, B / 2, pattern(3 * B, 1)); // touches blocks 0-3
    s.write(d, 50 * B, new Uint8Array(B));
    expect(s.stats(d)).toMatchObject({ allocatedBytes: 5 * B, sharedBytes: 0, exclusiveBytes: 5 * B });
  });

  test('a clone shares everything until it writes; what it overwrites becomes exclusive on both sides', () => {
    const s = make();
    const parent = disk(s, 100 * B);
    s.write(parent, 0, pattern(10 * B, 2));
    const c = s.clone(parent).disk;
    expect(s.stats(c)).toMatchObject({ allocatedBytes: 10 * B, sharedBytes: 10 * B, exclusiveBytes: 0 });
    expect(s.stats(parent)).toMatchObject({ allocatedBytes: 10 * B, sharedBytes: 10 * B, exclusiveBytes: 0 });
    s.write(c, 2 * B, pattern(2 * B, 3)); // overwrites blocks 2, 3
    s.write(c, 60 * B, pattern(B, 4)); // a new block
    expect(s.stats(c)).toMatchObject({ allocatedBytes: 11 * B, sharedBytes: 8 * B, exclusiveBytes: 3 * B });
    expect(s.stats(parent)).toMatchObject({ allocatedBytes: 10 * B, sharedBytes: 8 * B, exclusiveBytes: 2 * B });
  });

  test('exclusiveBytes is exactly what deleting the disk alone frees', () => {
    const s = make();
    const a = disk(s, 64 * B);
    s.write(a, 0, pattern(20 * B, 5));
    const b = s.clone(a).disk;
    s.write(b, 5 * B, pattern(7 * B, 6));
    const c = s.clone(b).disk;
    s.discard(c, 0, 3 * B);
    s.write(c, 30 * B, pattern(B, 7));
    for (const victim of [b, a, c]) {
      const exclusive = s.stats(victim).exclusiveBytes;
      const before = s.storeStats().blocksInUse;
      s.deleteDisk(victim);
      expect((before - s.storeStats().blocksInUse) * B, `disk ${victim}`).toBe(exclusive);
    }
  });

  test('sharing through a deleted middle disk: a block two live disks reach is shared, one only one reaches is not', () => {
    const s = make();
    const a = disk(s, 16 * B);
    s.write(a, 0, pattern(4 * B, 8));
    const mid = s.clone(a).disk;
    s.write(mid, 8 * B, pattern(B, 9));
    const tip = s.clone(mid).disk;
    s.deleteDisk(mid);
    expect(s.stats(tip)).toMatchObject({ allocatedBytes: 5 * B, sharedBytes: 4 * B, exclusiveBytes: B });
    s.deleteDisk(a);
    expect(s.stats(tip)).toMatchObject({ allocatedBytes: 5 * B, sharedBytes: 0, exclusiveBytes: 5 * B });
  });

  test('store statistics: block size, blocks in use and free, quota, live disks', () => {
    const s = make({ blockSize: 512, quotaBytes: 1 << 20 });
    const a = disk(s, 1 << 20);
    disk(s, 512);
    s.write(a, 0, pattern(10 * 512, 10));
    s.discard(a, 0, 3 * 512);
    expect(s.storeStats()).toEqual({ blockSize: 512, blocksInUse: 7, blocksFree: 3, quotaBytes: 1 << 20, disks: 2 });
    s.snapshot(a);
    expect(s.stats(a).readOnly).toBe(true);
  });
});
