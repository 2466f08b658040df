// Batches (types.ts BlockBatch): whole blocks of one disk by index, many per
// call. A batched write is that many whole-block writes in order; a batch
// larger than one WASM call's IO area (BLOCK_LIMITS.ioEntries indexes) is
// split into several calls, so every check runs over the whole batch before
// any block moves. The model test (model.test.ts) covers small batches among
// every other operation; these pin the batch-specific rules.
import { describe, expect, test } from 'vitest';
import { BLOCK_LIMITS } from '../../../src/core/blocks/index.js';
import { IMPLS, disk, expectBytes, expectSound, pattern, readBack, st } from './support.js';

/** Small blocks keep the many-call batches small (the rules do not depend on the size; 1 KiB still allows a partial last block). */
const B = 1024;
/** More blocks than one WASM call takes, so the binding makes several calls. */
const MANY = BLOCK_LIMITS.ioEntries * 2 + 5;

/** A seeded permutation of 0 … n − 1 (the order a batch visits blocks in). */
function shuffled(n: number, seed: number): Uint32Array {
  const out = Uint32Array.from({ length: n }, (_, i) => i);
  let x = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.each(IMPLS)('batched block transfers (%s)', (_, make) => {
  test('a batch larger than the staging area writes and reads back block for block, in any order', () => {
    const s = make({ blockSize: B });
    const d = disk(s, MANY * B);
    const order = shuffled(MANY, 7);
    const data = pattern(MANY * B, 1);
    expect(st(s.writeBlocks(d, order, data))).toBe('STATUS_SUCCESS');
    for (let k = 0; k < MANY; k += 17) expectBytes(readBack(s, d, order[k]! * B, B), data.subarray(k * B, (k + 1) * B), `block ${order[k]}`);
    const back = new Uint8Array(MANY * B);
    expect(st(s.readBlocks(d, order, back))).toBe('STATUS_SUCCESS');
    expectBytes(back, data);
    expectSound(s);
  });

  test('a batched write to a clone copies on write: the parent keeps its blocks; unwritten blocks read as zeros', () => {
    const s = make({ blockSize: B });
    const parent = disk(s, MANY * B);
    const old = pattern(MANY * B, 2);
    expect(st(s.write(parent, 0, old))).toBe('STATUS_SUCCESS');
    const child = s.clone(parent).disk;
    const blocks = Uint32Array.from({ length: MANY >> 1 }, (_, k) => 2 * k);
    const data = pattern(blocks.length * B, 3);
    expect(st(s.writeBlocks(child, blocks, data))).toBe('STATUS_SUCCESS');
    expectBytes(readBack(s, parent, 0, MANY * B), old, 'parent');
    const back = new Uint8Array(blocks.length * B);
    expect(st(s.readBlocks(child, blocks, back))).toBe('STATUS_SUCCESS');
    expectBytes(back, data, 'child');
    expectBytes(readBack(s, child, B, B), old.subarray(B, 2 * B), 'an odd block stays shared');
    const empty = disk(s, 4 * B);
    const zeros = new Uint8Array(2 * B).fill(0xee);
    expect(st(s.readBlocks(empty, Uint32Array.of(3, 0), zeros))).toBe('STATUS_SUCCESS');
    expectBytes(zeros, new Uint8Array(2 * B));
    expect(s.storeStats().blocksInUse).toBe(MANY + blocks.length);
    expectSound(s);
  });

  test('a repeated index: the last block of the batch wins', () => {
    const s = make({ blockSize: B });
    const d = disk(s, 4 * B);
    const data = pattern(3 * B, 4);
    expect(st(s.writeBlocks(d, Uint32Array.of(2, 1, 2), data))).toBe('STATUS_SUCCESS');
    expectBytes(readBack(s, d, 2 * B, B), data.subarray(2 * B), 'block 2');
    expectBytes(readBack(s, d, B, B), data.subarray(B, 2 * B), 'block 1');
    expectSound(s);
  });

  test('checks come first, in order, with nothing written: handle, write protection, then any block past the end or a short buffer', () => {
    const s = make({ blockSize: B });
    // 3.5 blocks: block 3 is partial, so not wholly within the disk.
    const d = disk(s, 3 * B + 512);
    const blocks = Uint32Array.from({ length: MANY }, (_, k) => k % 3);
    const ok = pattern(MANY * B, 5);
    expect(st(s.writeBlocks(99, blocks, ok))).toBe('STATUS_INVALID_HANDLE');
    expect(st(s.readBlocks(0, blocks, ok))).toBe('STATUS_INVALID_HANDLE');
    const late = blocks.slice();
    late[MANY - 1] = 3; // past the end, in the last call's share of a split batch
    expect(st(s.writeBlocks(d, late, ok))).toBe('STATUS_INVALID_PARAMETER');
    expect(st(s.readBlocks(d, late, new Uint8Array(MANY * B)))).toBe('STATUS_INVALID_PARAMETER');
    expect(st(s.writeBlocks(d, blocks, ok.subarray(B)))).toBe('STATUS_INVALID_PARAMETER');
    expect(s.storeStats().blocksInUse).toBe(0);
    const snap = s.clone(d).disk;
    expect(st(s.snapshot(snap))).toBe('STATUS_SUCCESS');
    expect(st(s.writeBlocks(snap, late, ok))).toBe('STATUS_MEDIA_WRITE_PROTECTED');
    expect(st(s.writeBlocks(d, new Uint32Array(0), ok))).toBe('STATUS_SUCCESS');
    expectSound(s);
  });

  test('STATUS_DISK_FULL partway: the blocks before the failing one are written, the rest untouched', () => {
    const s = make({ blockSize: B, quotaBytes: 5 * B });
    const d = disk(s, 8 * B);
    const data = pattern(8 * B, 6);
    expect(st(s.writeBlocks(d, Uint32Array.of(7, 6, 5, 4, 3, 2, 1, 0), data))).toBe('STATUS_DISK_FULL');
    expect(s.storeStats().blocksInUse).toBe(5);
    expectBytes(readBack(s, d, 3 * B, 5 * B), Uint8Array.from([...data.subarray(4 * B, 5 * B), ...data.subarray(3 * B, 4 * B), ...data.subarray(2 * B, 3 * B), ...data.subarray(B, 2 * B), ...data.subarray(0, B)]));
    expectBytes(readBack(s, d, 0, 3 * B), new Uint8Array(3 * B), 'untouched');
    expectSound(s);
  });
});
