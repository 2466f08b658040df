// Discard (trim) and delete (types.ts): whole blocks in a discarded range
// are unmapped and freed when no other disk maps them, the partial blocks
// at its ends zero-filled; deleting a disk frees what only it mapped;
// freed blocks wait on a free list (blocksFree) and are reused before the
// store takes new memory.
import { describe, expect, test } from 'vitest';
import { STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../../src/core/ntstatus.js';
import { BLOCK_LIMITS } from '../../../src/core/blocks/index.js';
import { IMPLS, disk, expectBytes, expectSound, pattern, readBack } from './support.js';

const B = 4096;

describe.each(IMPLS)('discard and delete (%s)', (_, make) => {
  test('whole blocks in the range are unmapped and freed; partial ends are zero-filled and keep the rest', () => {
    const s = make();
    const d = disk(s, 16 * B);
    const data = pattern(8 * B, 1);
    s.write(d, 0, data);
    expect(s.discard(d, B + 100, 4 * B)).toBe(STATUS_SUCCESS); // zero 100.. of block 1, blocks 2-4 whole, 0..100 of block 5
    const expected = data.slice();
    expected.fill(0, B + 100, 5 * B + 100);
    expectBytes(readBack(s, d, 0, 8 * B), expected);
    expect(s.storeStats()).toMatchObject({ blocksInUse: 5, blocksFree: 3 });
    expect(s.stats(d).allocatedBytes).toBe(5 * B);
    expectSound(s);
  });

  test('a discard inside one block zero-fills just that part', () => {
    const s = make();
    const d = disk(s, 4 * B);
    s.write(d, 0, pattern(B, 2));
    expect(s.discard(d, 10, 20)).toBe(STATUS_SUCCESS);
    const expected = pattern(B, 2);
    expected.fill(0, 10, 30);
    expectBytes(readBack(s, d, 0, B), expected);
    expect(s.storeStats().blocksInUse).toBe(1);
  });

  test('a range reaching the end of a disk whose last block is partial unmaps that block', () => {
    const s = make();
    const d = disk(s, 2 * B + 512);
    s.write(d, 0, pattern(2 * B + 512, 3));
    expect(s.discard(d, 2 * B, 512)).toBe(STATUS_SUCCESS);
    expect(s.storeStats()).toMatchObject({ blocksInUse: 2, blocksFree: 1 });
    expectBytes(readBack(s, d, 2 * B, 512), new Uint8Array(512));
  });

  test('discarding in a clone frees nothing its parent still maps, and the parent keeps its data; a partial end copies its block', () => {
    const s = make();
    const parent = disk(s, 8 * B);
    s.write(parent, 0, pattern(8 * B, 4));
    const c = s.clone(parent).disk;
    expect(s.discard(c, 0, 3 * B + 1)).toBe(STATUS_SUCCESS);
    expect(s.storeStats()).toMatchObject({ blocksInUse: 9, blocksFree: 0 });
    expectBytes(readBack(s, parent, 0, 8 * B), pattern(8 * B, 4), 'parent');
    const expected = pattern(8 * B, 4);
    expected.fill(0, 0, 3 * B + 1);
    expectBytes(readBack(s, c, 0, 8 * B), expected, 'clone');
    expect(s.stats(c)).toMatchObject({ allocatedBytes: 5 * B, sharedBytes: 4 * B, exclusiveBytes: B });
    expectSound(s);
  });

  test('discarding unmapped space allocates nothing, even across a whole 2^40-byte disk', () => {
    const s = make();
    const d = disk(s, BLOCK_LIMITS.maxVirtualSize);
    s.write(d, 2 ** 39, pattern(B, 5));
    expect(s.discard(d, 1, BLOCK_LIMITS.maxVirtualSize - 2)).toBe(STATUS_SUCCESS);
    expect(s.storeStats()).toMatchObject({ blocksInUse: 0, blocksFree: 1 });
    expect(s.discard(d, 0, BLOCK_LIMITS.maxVirtualSize)).toBe(STATUS_SUCCESS);
    expect(s.storeStats().blocksInUse).toBe(0);
    expectSound(s);
  });

  test('ranges past the end or lengths that are not integers are STATUS_INVALID_PARAMETER; an empty range is fine', () => {
    const s = make();
    const d = disk(s, 4 * B);
    s.write(d, 0, pattern(B, 6));
    for (const [offset, length] of [[0, 4 * B + 1], [4 * B, 1], [-1, 1], [0, -1], [0, 0.5], [0, NaN], [NaN, 0]] as const) {
      expect(s.discard(d, offset, length), `${offset}+${length}`).toBe(STATUS_INVALID_PARAMETER);
    }
    expect(s.discard(d, 4 * B, 0)).toBe(STATUS_SUCCESS);
    expectBytes(readBack(s, d, 0, B), pattern(B, 6));
  });

  test('deleting a disk frees the blocks only it mapped; the next writes reuse them before taking new ones', () => {
    const s = make();
    const keep = disk(s, 64 * B);
    s.write(keep, 0, pattern(8 * B, 7));
    const c = s.clone(keep).disk;
    s.write(c, 16 * B, pattern(10 * B, 8)); // 10 blocks only c maps
    expect(s.storeStats()).toMatchObject({ blocksInUse: 18, blocksFree: 0 });
    expect(s.deleteDisk(c)).toBe(STATUS_SUCCESS);
    expect(s.storeStats()).toMatchObject({ blocksInUse: 8, blocksFree: 10, disks: 1 });
    expectBytes(readBack(s, keep, 0, 8 * B), pattern(8 * B, 7));
    const other = disk(s, 64 * B);
    s.write(other, 0, pattern(6 * B, 9));
    expect(s.storeStats()).toMatchObject({ blocksInUse: 14, blocksFree: 4 });
    s.write(other, 6 * B, pattern(6 * B, 10));
    expect(s.storeStats()).toMatchObject({ blocksInUse: 20, blocksFree: 0 });
    expectBytes(readBack(s, other, 0, 12 * B), new Uint8Array([...pattern(6 * B, 9), ...pattern(6 * B, 10)]));
    expectSound(s);
  });

  test('deleting a disk all of whose blocks another disk maps frees nothing', () => {
    const s = make();
    const d = disk(s, 8 * B);
    s.write(d, 0, pattern(8 * B, 11));
    const c = s.clone(d).disk;
    s.deleteDisk(d);
    expect(s.storeStats()).toMatchObject({ blocksInUse: 8, blocksFree: 0 });
    s.deleteDisk(c);
    expect(s.storeStats()).toMatchObject({ blocksInUse: 0, blocksFree: 8, disks: 0 });
    expectSound(s);
  });
});
