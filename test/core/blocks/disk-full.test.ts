// Exhaustion (types.ts STATUS_DISK_FULL; issue 4): running out of the quota
// or of the wasm32 memory (here a low page ceiling) answers
// STATUS_DISK_FULL to the writer and leaves every disk exactly as it was —
// a write spanning several blocks applies nothing — nothing traps, the
// audit stays sound, and freeing space lets writes succeed again.
import { describe, expect, test } from 'vitest';
import { STATUS_DISK_FULL, STATUS_SUCCESS } from '../../../src/core/ntstatus.js';
import { WasmBlockStore, type BlockStore } from '../../../src/core/blocks/index.js';
import { IMPLS, disk, expectBytes, expectSound, pattern, readBack, st } from './support.js';

const B = 4096;

/** Every live disk's contents, to compare before and after a refused change. */
function snapshotAll(s: BlockStore, disks: number[]): Uint8Array[] {
  return disks.map((d) => readBack(s, d, 0, s.stats(d).virtualSize));
}

function expectUnchanged(s: BlockStore, disks: number[], before: Uint8Array[]): void {
  disks.forEach((d, i) => expectBytes(readBack(s, d, 0, s.stats(d).virtualSize), before[i]!, `disk ${d}`));
}

describe.each(IMPLS)('the quota (%s)', (_, make) => {
  test('a write past the quota is STATUS_DISK_FULL and changes nothing, even the blocks that would have fit', () => {
    const s = make({ quotaBytes: 16 * B });
    const a = disk(s, 64 * B);
    expect(s.write(a, 0, pattern(14 * B, 1))).toBe(STATUS_SUCCESS);
    const c = s.clone(a).disk;
    const disks = [a, c];
    const before = snapshotAll(s, disks);
    const stats = s.storeStats();
    expect(s.write(a, 20 * B, pattern(3 * B, 2))).toBe(STATUS_DISK_FULL); // 3 new blocks, 2 free
    expect(s.write(c, B - 1, pattern(2 * B + 2, 3))).toBe(STATUS_DISK_FULL); // 3 copies of shared blocks
    expect(s.importDelta(0, s.exportDelta(a, 0).delta)).toEqual({ status: STATUS_DISK_FULL, disk: 0 });
    expectUnchanged(s, disks, before);
    expect(s.storeStats()).toEqual(stats);
    expectSound(s);
    // What fits still goes in: two new blocks, then writes to blocks already private.
    expect(s.write(a, 20 * B, pattern(2 * B, 4))).toBe(STATUS_SUCCESS);
    expect(s.write(a, 20 * B + 5, pattern(B, 5))).toBe(STATUS_SUCCESS);
    expect(s.write(a, 30 * B, pattern(1, 6))).toBe(STATUS_DISK_FULL);
    expect(s.storeStats().blocksInUse).toBe(16);
  });

  test('a discard that must copy a shared partial block is refused at the quota; whole-block discards are not', () => {
    const s = make({ quotaBytes: 8 * B });
    const a = disk(s, 8 * B);
    s.write(a, 0, pattern(8 * B, 7));
    const c = s.clone(a).disk;
    const before = snapshotAll(s, [a, c]);
    expect(s.discard(c, 100, 2 * B)).toBe(STATUS_DISK_FULL);
    expectUnchanged(s, [a, c], before);
    expect(s.discard(c, 0, 2 * B)).toBe(STATUS_SUCCESS);
    expect(s.discard(a, 0, 4 * B)).toBe(STATUS_SUCCESS); // frees blocks 0, 1 (now only a mapped them … no: c dropped them first)
    expect(s.storeStats()).toMatchObject({ blocksInUse: 6, blocksFree: 2 });
    expectSound(s);
  });

  test('after freeing, writes succeed again and reuse the freed blocks', () => {
    const s = make({ quotaBytes: 4 * B });
    const a = disk(s, 16 * B);
    const b = disk(s, 16 * B);
    s.write(a, 0, pattern(4 * B, 8));
    expect(s.write(b, 0, pattern(1, 9))).toBe(STATUS_DISK_FULL);
    s.deleteDisk(a);
    expect(s.write(b, 0, pattern(4 * B, 10))).toBe(STATUS_SUCCESS);
    expect(s.storeStats()).toMatchObject({ blocksInUse: 4, blocksFree: 0 });
    expectBytes(readBack(s, b, 0, 4 * B), pattern(4 * B, 10));
    expectSound(s);
  });
});

describe('the wasm32 memory ceiling (a low page ceiling stands in for 4 GiB)', () => {
  test('block and map-node exhaustion is STATUS_DISK_FULL with no effect; nothing traps; deleting makes room', () => {
    const s = new WasmBlockStore({ maxPages: 160 }); // 10 MiB of linear memory
    const big = disk(s, 2 ** 40);
    const other = disk(s, 8 << 20);
    s.write(other, 0, pattern(8 * B, 11));
    // Sparse writes, 1024 blocks apart: each needs a new leaf node as well as a block.
    let sparse = 0;
    let status = STATUS_SUCCESS;
    for (; sparse < 100_000 && status === STATUS_SUCCESS; sparse++) status = s.write(big, sparse * 1024 * B, pattern(B, sparse));
    sparse--;
    expect(st(status)).toBe('STATUS_DISK_FULL');
    expect(sparse).toBeGreaterThan(100);
    for (const i of [0, sparse >> 1, sparse - 1]) expectBytes(readBack(s, big, i * 1024 * B, B), pattern(B, i), `block ${i}`);
    expectBytes(readBack(s, big, sparse * 1024 * B, B), new Uint8Array(B), 'the refused block');
    // Dense writes into one leaf until the blocks run out too.
    let dense = 8;
    for (status = STATUS_SUCCESS; dense < 1024 && status === STATUS_SUCCESS; dense++) status = s.write(other, dense * B, pattern(B, dense));
    dense--;
    expect(st(status)).toBe('STATUS_DISK_FULL');
    const c = s.clone(other).disk;
    const disks = [other, c];
    const before = snapshotAll(s, disks);
    const stats = s.storeStats();
    // Nothing fits now: a multi-block write fails whole, a clone's first write (a copy) fails.
    expect(s.write(other, (dense + 1) * B - 7, pattern(3 * B, 12))).toBe(STATUS_DISK_FULL);
    expect(s.write(c, 0, pattern(10, 13))).toBe(STATUS_DISK_FULL);
    expect(s.discard(c, 100, B)).toBe(STATUS_DISK_FULL);
    expectUnchanged(s, disks, before);
    expect(s.storeStats()).toEqual(stats);
    expectSound(s);
    // Deleting the big disk frees its blocks and nodes: writes succeed again.
    expect(s.deleteDisk(big)).toBe(STATUS_SUCCESS);
    expect(s.write(c, 0, pattern(3 * B, 12))).toBe(STATUS_SUCCESS);
    const again = disk(s, 2 ** 40);
    for (let i = 0; i < 100; i++) expect(s.write(again, i * 1024 * B, pattern(B, i))).toBe(STATUS_SUCCESS);
    expectBytes(readBack(s, other, 0, B), pattern(B, 11).subarray(0, B), 'the clone\'s parent');
    expectSound(s);
  });

  test('an import that does not fit in memory creates nothing', () => {
    const s = new WasmBlockStore({ maxPages: 128 });
    const a = disk(s, 1 << 30);
    const src = new WasmBlockStore();
    const big = disk(src, 1 << 30);
    src.write(big, 0, pattern(16 << 20, 14)); // 16 MiB: more than the 8 MiB store can hold
    const delta = src.exportDelta(big, 0).delta;
    const stats = s.storeStats();
    expect(s.importDelta(a, delta)).toEqual({ status: STATUS_DISK_FULL, disk: 0 });
    expect(s.storeStats()).toEqual(stats);
    expect(disk(s, 512)).toBe(2);
    expectSound(s);
  });
});
