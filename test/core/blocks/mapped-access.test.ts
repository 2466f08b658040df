// Mapped access (types.ts BlockMapping): a span within one block mapped for
// reading or for writing in place. Writing through a write map is a write()
// of those bytes: the block is made private first (copy-on-write of that one
// block) and keeps what the caller leaves unwritten — the old contents, or
// zeros, never a freed block's leftovers; parents and siblings never see it.
import { describe, expect, test } from 'vitest';
import { IMPLS, disk, expectBytes, expectSound, pattern, readBack, st } from './support.js';

const B = 4096;

describe.each(IMPLS)('mapped access (%s)', (_, make) => {
  test('bytes written through a write map read back through read() and through a read map', () => {
    const s = make();
    const d = disk(s, 1 << 20);
    const data = pattern(100, 1);
    expect(st(s.mapForWrite(d, 3 * B + 7, 100))).toBe('STATUS_SUCCESS');
    s.mapped.set(data, s.mappedOffset);
    expectBytes(readBack(s, d, 3 * B + 7, 100), data);
    expect(st(s.mapForRead(d, 3 * B + 7, 100))).toBe('STATUS_SUCCESS');
    expectBytes(s.mapped.subarray(s.mappedOffset, s.mappedOffset + 100), data);
    expectSound(s);
  });

  test('an unwritten block maps for reading as zeros and allocates nothing', () => {
    const s = make();
    const d = disk(s, 1 << 20);
    expect(st(s.mapForRead(d, 5 * B + 1, B - 1))).toBe('STATUS_SUCCESS');
    expectBytes(s.mapped.subarray(s.mappedOffset, s.mappedOffset + B - 1), new Uint8Array(B - 1));
    expect(s.storeStats().blocksInUse).toBe(0);
  });

  test('a write map of a block shared with the parent copies it: the unwritten rest keeps the old bytes, the parent keeps all of them', () => {
    const s = make();
    const parent = disk(s, 1 << 20);
    const old = pattern(2 * B, 2);
    expect(st(s.write(parent, 0, old))).toBe('STATUS_SUCCESS');
    const child = s.clone(parent).disk;
    // A first write to block 0 makes the child's map path private; block 1 stays shared.
    expect(st(s.write(child, 0, pattern(10, 3)))).toBe('STATUS_SUCCESS');
    expect(st(s.mapForWrite(child, B + 100, 8))).toBe('STATUS_SUCCESS');
    s.mapped.fill(0xab, s.mappedOffset, s.mappedOffset + 8);
    const expected = old.slice(B, 2 * B);
    expected.fill(0xab, 100, 108);
    expectBytes(readBack(s, child, B, B), expected, 'child');
    expectBytes(readBack(s, parent, 0, 2 * B), old, 'parent');
    expectSound(s);
  });

  test('a write map of a whole shared block still keeps its contents (the caller may write only part)', () => {
    const s = make();
    const parent = disk(s, 1 << 20);
    const old = pattern(B, 4);
    expect(st(s.write(parent, 0, old))).toBe('STATUS_SUCCESS');
    const child = s.clone(parent).disk;
    expect(st(s.mapForWrite(child, 0, B))).toBe('STATUS_SUCCESS');
    expectBytes(s.mapped.subarray(s.mappedOffset, s.mappedOffset + B), old);
    expectSound(s);
  });

  test("a write map of an unmapped block reads zeros there, never a freed block's leftovers", () => {
    const s = make();
    const d = disk(s, 1 << 20);
    expect(st(s.write(d, 0, pattern(2 * B, 5)))).toBe('STATUS_SUCCESS');
    expect(st(s.discard(d, B, B))).toBe('STATUS_SUCCESS'); // block 1 freed, its bytes left in the pool
    expect(st(s.mapForWrite(d, 7 * B, B))).toBe('STATUS_SUCCESS'); // takes the freed block
    expectBytes(s.mapped.subarray(s.mappedOffset, s.mappedOffset + B), new Uint8Array(B));
    expectSound(s);
  });

  test('a span that is empty or crosses a block boundary is STATUS_INVALID_PARAMETER', () => {
    const s = make();
    const d = disk(s, 1 << 20);
    expect(st(s.mapForRead(d, B - 1, 2))).toBe('STATUS_INVALID_PARAMETER');
    expect(st(s.mapForWrite(d, B - 1, 2))).toBe('STATUS_INVALID_PARAMETER');
    expect(st(s.mapForRead(d, 0, 0))).toBe('STATUS_INVALID_PARAMETER');
    expect(st(s.mapForWrite(d, 0, 0))).toBe('STATUS_INVALID_PARAMETER');
    expect(st(s.mapForRead(d, (1 << 20) - 1, 2))).toBe('STATUS_INVALID_PARAMETER');
    expect(s.storeStats().blocksInUse).toBe(0);
  });

  test('a snapshot maps for reading but not for writing (STATUS_MEDIA_WRITE_PROTECTED); a bad id is STATUS_INVALID_HANDLE', () => {
    const s = make();
    const d = disk(s, 1 << 20);
    expect(st(s.write(d, 0, pattern(10, 6)))).toBe('STATUS_SUCCESS');
    expect(st(s.snapshot(d))).toBe('STATUS_SUCCESS');
    expect(st(s.mapForRead(d, 0, 10))).toBe('STATUS_SUCCESS');
    expect(st(s.mapForWrite(d, 0, 10))).toBe('STATUS_MEDIA_WRITE_PROTECTED');
    expect(st(s.mapForRead(99, 0, 10))).toBe('STATUS_INVALID_HANDLE');
    expect(st(s.mapForWrite(0, 0, 10))).toBe('STATUS_INVALID_HANDLE');
  });

  test('a write map with no room is STATUS_DISK_FULL and changes nothing', () => {
    const s = make({ quotaBytes: 2 * B });
    const d = disk(s, 1 << 20);
    expect(st(s.write(d, 0, pattern(2 * B, 7)))).toBe('STATUS_SUCCESS');
    const before = s.storeStats();
    expect(st(s.mapForWrite(d, 5 * B, 1))).toBe('STATUS_DISK_FULL');
    expect(s.storeStats()).toEqual(before);
    expectBytes(readBack(s, d, 5 * B, B), new Uint8Array(B));
    expectSound(s);
  });
});
