// Clones and snapshots (windows-facts §4; design.md "The WASM core"): a
// clone shares every block; a write to it is never visible in its parent or
// siblings; the first write to a shared block copies that block only; a
// snapshot is read-only (STATUS_MEDIA_WRITE_PROTECTED) and its clones are
// writable; deleting a parent leaves its clones whole.
import { describe, expect, test } from 'vitest';
import { STATUS_INVALID_HANDLE, STATUS_MEDIA_WRITE_PROTECTED, STATUS_SUCCESS } from '../../../src/core/ntstatus.js';
import { IMPLS, disk, expectBytes, expectSound, pattern, readBack } from './support.js';

const B = 4096;

describe.each(IMPLS)('clones and snapshots (%s)', (_, make) => {
  test('a write to a clone is never visible in its parent or its siblings', () => {
    const s = make();
    const parent = disk(s, 64 * B);
    const base = pattern(8 * B, 1);
    s.write(parent, 0, base);
    const a = s.clone(parent).disk;
    const b = s.clone(parent).disk;
    s.write(a, 3 * B + 5, pattern(100, 2));
    s.write(b, 3 * B + 50, pattern(B, 3));
    s.write(parent, 7 * B, pattern(B, 4));
    const expectA = base.slice();
    expectA.set(pattern(100, 2), 3 * B + 5);
    const expectB = base.slice();
    expectB.set(pattern(B, 3), 3 * B + 50);
    const expectParent = base.slice();
    expectParent.set(pattern(B, 4), 7 * B);
    expectBytes(readBack(s, a, 0, 8 * B), expectA, 'clone a');
    expectBytes(readBack(s, b, 0, 8 * B), expectB, 'clone b');
    expectBytes(readBack(s, parent, 0, 8 * B), expectParent, 'parent');
    expectSound(s);
  });

  test('the first write to a shared block copies that one block; later writes to it copy nothing', () => {
    const s = make();
    const parent = disk(s, 4096 * B);
    for (let i = 0; i < 4096; i++) s.write(parent, i * B, pattern(B, i));
    const c = s.clone(parent).disk;
    expect(s.storeStats().blocksInUse).toBe(4096);
    s.write(c, 1234 * B + 7, pattern(10, 9)); // partial: read-modify-write of the shared block
    expect(s.storeStats().blocksInUse).toBe(4097);
    s.write(c, 1234 * B, pattern(B, 10));
    expect(s.storeStats().blocksInUse).toBe(4097);
    s.write(c, 3000 * B, pattern(B, 11)); // whole block: no old contents needed
    expect(s.storeStats().blocksInUse).toBe(4098);
    expectBytes(readBack(s, parent, 1234 * B, B), pattern(B, 1234), 'parent keeps its block');
    const expected = pattern(B, 1234);
    expected.set(pattern(10, 9), 7);
    expectBytes(readBack(s, c, 1233 * B, B), pattern(B, 1233), 'neighbour still shared');
    expect(s.physicalBlock(c, 1233)).toBe(s.physicalBlock(parent, 1233));
    expect(s.physicalBlock(c, 1234)).not.toBe(s.physicalBlock(parent, 1234));
    expectSound(s);
  });

  test('a clone of a clone of … 128 deep reads its ancestors\' data and keeps its own writes to itself', () => {
    const s = make();
    let tip = disk(s, 256 * B);
    const chain = [tip];
    for (let level = 0; level < 128; level++) {
      s.write(tip, level * B, pattern(B, level));
      tip = s.clone(tip).disk;
      chain.push(tip);
    }
    for (let level = 0; level < 128; level += 17) expectBytes(readBack(s, tip, level * B, B), pattern(B, level), `level ${level}`);
    s.write(tip, 5 * B, pattern(B, 999));
    expectBytes(readBack(s, chain[127]!, 5 * B, B), pattern(B, 5), 'the disk below the tip');
    expectBytes(readBack(s, chain[6]!, 5 * B, B), pattern(B, 5), 'an ancestor');
    expectBytes(readBack(s, chain[3]!, 5 * B, B), new Uint8Array(B), 'written after this clone was made');
    expect(s.storeStats().blocksInUse).toBe(129);
    expectSound(s);
  });

  test('a snapshot refuses writes and discards with STATUS_MEDIA_WRITE_PROTECTED, in bounds or not, and still reads', () => {
    const s = make();
    const d = disk(s, 16 * B);
    s.write(d, 0, pattern(B, 1));
    expect(s.snapshot(d)).toBe(STATUS_SUCCESS);
    expect(s.snapshot(d)).toBe(STATUS_SUCCESS);
    expect(s.write(d, 0, pattern(1, 2))).toBe(STATUS_MEDIA_WRITE_PROTECTED);
    expect(s.write(d, 16 * B, pattern(1, 2))).toBe(STATUS_MEDIA_WRITE_PROTECTED);
    expect(s.discard(d, 0, B)).toBe(STATUS_MEDIA_WRITE_PROTECTED);
    expect(s.discard(d, -1, B)).toBe(STATUS_MEDIA_WRITE_PROTECTED);
    expectBytes(readBack(s, d, 0, B), pattern(B, 1));
    expect(s.stats(d).readOnly).toBe(true);
  });

  test('a clone of a snapshot is writable and its writes leave the snapshot (the image layer) as it was', () => {
    const s = make();
    const layer = disk(s, 16 * B);
    s.write(layer, 0, pattern(4 * B, 1));
    s.snapshot(layer);
    const sandbox = s.clone(layer).disk;
    expect(s.stats(sandbox).readOnly).toBe(false);
    expect(s.write(sandbox, B, pattern(B, 2))).toBe(STATUS_SUCCESS);
    expect(s.discard(sandbox, 0, B)).toBe(STATUS_SUCCESS);
    expectBytes(readBack(s, layer, 0, 4 * B), pattern(4 * B, 1), 'layer');
    expectBytes(readBack(s, sandbox, 0, B), new Uint8Array(B), 'discarded in the sandbox');
    expectSound(s);
  });

  test('deleting a parent leaves its clones whole, with the same size', () => {
    const s = make();
    const parent = disk(s, 10 * B + 512);
    s.write(parent, 0, pattern(10 * B + 512, 1));
    const c = s.clone(parent).disk;
    expect(s.deleteDisk(parent)).toBe(STATUS_SUCCESS);
    expect(s.read(parent, 0, new Uint8Array(1))).toBe(STATUS_INVALID_HANDLE);
    expectBytes(readBack(s, c, 0, 10 * B + 512), pattern(10 * B + 512, 1));
    expect(s.stats(c)).toMatchObject({ virtualSize: 10 * B + 512, allocatedBytes: 11 * B, sharedBytes: 0 });
    expect(s.storeStats().blocksInUse).toBe(11);
    expectSound(s);
  });
});
