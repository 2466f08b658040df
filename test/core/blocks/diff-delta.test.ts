// Diff and deltas (types.ts; windows-facts §4 `docker diff`, layers):
// diff is content-based at block granularity — the ranges where two disks
// read differently, whole blocks, adjacent ones merged, the last clipped to
// the larger size; a delta carries a disk relative to a base (delta.ts) and
// importing it on that base gives the disk back; a malformed delta is
// STATUS_INVALID_PARAMETER with nothing created.
import { describe, expect, test } from 'vitest';
import { STATUS_INVALID_HANDLE, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../../../src/core/ntstatus.js';
import { DELTA_HEADER_BYTES, DELTA_MAGIC, parseDelta, type BlockStore } from '../../../src/core/blocks/index.js';
import { IMPLS, disk, expectBytes, expectSound, pattern, readBack, type Store } from './support.js';

const B = 4096;

/** A disk's whole contents. */
const contents = (s: BlockStore, d: number): Uint8Array => readBack(s, d, 0, s.stats(d).virtualSize);

/** A parent with data, and a clone with a write, a discard and a partial write on top. */
function layered(s: Store): { parent: number; child: number } {
  const parent = disk(s, 32 * B + 512);
  s.write(parent, 0, pattern(12 * B, 1));
  s.write(parent, 32 * B, pattern(512, 2));
  const child = s.clone(parent).disk;
  s.write(child, 3 * B, pattern(2 * B, 3));
  s.discard(child, 8 * B, B);
  s.write(child, 20 * B + 7, pattern(9, 4));
  return { parent, child };
}

describe.each(IMPLS)('diff (%s)', (_, make) => {
  test('a disk and its unchanged clone do not differ', () => {
    const s = make();
    const { parent } = layered(s);
    const c = s.clone(parent).disk;
    expect(s.diff(parent, c)).toEqual({ status: STATUS_SUCCESS, ranges: [] });
    expect(s.diff(parent, parent)).toEqual({ status: STATUS_SUCCESS, ranges: [] });
  });

  test('the ranges are whole blocks, adjacent ones merged, ascending', () => {
    const s = make();
    const { parent, child } = layered(s);
    expect(s.diff(parent, child)).toEqual({
      status: STATUS_SUCCESS,
      ranges: [
        { offset: 3 * B, length: 2 * B },
        { offset: 8 * B, length: B },
        { offset: 20 * B, length: B },
      ],
    });
    expect(s.diff(child, parent)).toEqual(s.diff(parent, child));
  });

  test('equal contents are equal however they came about: same bytes rewritten, zeros written, zeros discarded', () => {
    const s = make();
    const a = disk(s, 16 * B);
    s.write(a, 0, pattern(4 * B, 5));
    const b = s.clone(a).disk;
    s.write(b, B, pattern(4 * B, 5).subarray(B, 2 * B)); // the same bytes, now a private copy
    s.write(b, 10 * B, new Uint8Array(B)); // zeros where a has nothing
    const c = disk(s, 16 * B);
    s.write(c, 0, pattern(4 * B, 5));
    expect(s.diff(a, b).ranges).toEqual([]);
    expect(s.diff(a, c).ranges).toEqual([]);
    s.discard(b, 12 * B, B);
    expect(s.diff(a, b).ranges).toEqual([]);
  });

  test('disks of different sizes: beyond the smaller it reads zeros; the last range is clipped to the larger size', () => {
    const s = make();
    const small = disk(s, 2 * B);
    const big = disk(s, 5 * B + 512);
    s.write(big, 5 * B, pattern(512, 6));
    expect(s.diff(small, big).ranges).toEqual([{ offset: 5 * B, length: 512 }]);
    s.write(big, 3 * B, pattern(B, 7));
    expect(s.diff(big, small).ranges).toEqual([{ offset: 3 * B, length: B }, { offset: 5 * B, length: 512 }]);
    s.write(big, 4 * B, pattern(B, 8));
    expect(s.diff(big, small).ranges).toEqual([{ offset: 3 * B, length: 2 * B + 512 }]);
  });

  test('more ranges than one WASM call returns (8192 pairs) come back whole', () => {
    const s = make({ blockSize: 512 });
    const a = disk(s, 40000 * 512);
    const b = s.clone(a).disk;
    for (let i = 0; i < 20000; i++) s.write(b, 2 * i * 512, pattern(1, i));
    const r = s.diff(a, b);
    expect(r.ranges.length).toBe(20000);
    expect(r.ranges[19999]).toEqual({ offset: 39998 * 512, length: 512 });
  });
});

describe.each(IMPLS)('deltas (%s)', (_, make) => {
  test('export on an empty base and import give the disk back', () => {
    const s = make();
    const { child } = layered(s);
    const e = s.exportDelta(child, 0);
    expect(e.status).toBe(STATUS_SUCCESS);
    const r = s.importDelta(0, e.delta);
    expect(r.status).toBe(STATUS_SUCCESS);
    expectBytes(contents(s, r.disk), contents(s, child));
    expect(s.diff(child, r.disk).ranges).toEqual([]);
    expect(s.stats(r.disk)).toMatchObject({ virtualSize: 32 * B + 512, sharedBytes: 0, readOnly: false });
    expectSound(s);
  });

  test('a delta holds exactly the changed blocks (a discarded one as "zeros"); imported on the parent it shares the rest', () => {
    const s = make();
    const { parent, child } = layered(s);
    const e = s.exportDelta(child, parent);
    const p = parseDelta(e.delta, B)!;
    expect(Array.from(p.indexes)).toEqual([3, 4, 8, 20]);
    expect(Array.from(p.kinds)).toEqual([1, 1, 0, 1]);
    expect(e.delta.length).toBe(DELTA_HEADER_BYTES + 4 * 8 + 3 * B);
    const view = new DataView(e.delta.buffer, e.delta.byteOffset);
    expect([view.getUint32(0, true), view.getUint32(4, true), view.getUint32(8, true), view.getUint32(12, true), view.getUint32(16, true), view.getUint32(20, true)])
      .toEqual([DELTA_MAGIC, 1, B, 32 * B + 512, 0, 4]);
    expect(new TextDecoder().decode(e.delta.subarray(0, 4))).toBe('WSDL');
    const before = s.storeStats().blocksInUse;
    const r = s.importDelta(parent, e.delta);
    expect(s.storeStats().blocksInUse).toBe(before + 3);
    expect(s.diff(child, r.disk).ranges).toEqual([]);
    expect(s.stats(r.disk)).toMatchObject({ allocatedBytes: s.stats(child).allocatedBytes });
    expectSound(s);
  });

  test('both implementations write byte-identical deltas', () => {
    const [[, makeA], [, makeB]] = IMPLS;
    const a = makeA!();
    const b = makeB!();
    const la = layered(a);
    const lb = layered(b);
    expectBytes(a.exportDelta(la.child, la.parent).delta, b.exportDelta(lb.child, lb.parent).delta);
    expectBytes(a.exportDelta(la.child, 0).delta, b.exportDelta(lb.child, 0).delta);
    void make;
  });

  test.each([
    ['smaller, ending inside a block', 5 * B + 512],
    ['smaller, on a block boundary', 5 * B],
    ['larger, needing a deeper map', 2 ** 32 + 512],
  ])('a disk %s than its base comes back from a delta on that base', (_name, size) => {
    const s = make();
    const base = disk(s, 20 * B + 1024);
    s.write(base, 0, pattern(20 * B + 1024, 9));
    const target = disk(s, size);
    s.write(target, 0, pattern(3 * B, 9)); // equal to base's first three blocks
    s.write(target, size - 300, pattern(300, 10));
    const e = s.exportDelta(target, base);
    expect(e.status).toBe(STATUS_SUCCESS);
    const r = s.importDelta(base, e.delta);
    expect(r.status).toBe(STATUS_SUCCESS);
    expect(s.stats(r.disk).virtualSize).toBe(size);
    expect(s.diff(target, r.disk).ranges).toEqual([]);
    expectBytes(readBack(s, r.disk, size - 4096, 4096), readBack(s, target, size - 4096, 4096));
    expectSound(s);
  });

  test('a smaller import whose last block the delta does not replace gets that block zero-filled past its end', () => {
    const s = make();
    const base = disk(s, 8 * B);
    s.write(base, 0, pattern(8 * B, 11));
    const target = disk(s, 4 * B + 512);
    s.write(target, 0, pattern(4 * B + 512, 11)); // equal to base over its size
    const e = s.exportDelta(target, base);
    // Block 4 differs from base's (base has data past 4·B + 512), so the delta carries it.
    expect(Array.from(parseDelta(e.delta, B)!.indexes)).toEqual([4]);
    const r = s.importDelta(base, e.delta);
    expect(s.diff(target, r.disk).ranges).toEqual([]);
    expectSound(s);
  });

  test('malformed deltas are STATUS_INVALID_PARAMETER and create nothing', () => {
    const s = make();
    const { child } = layered(s);
    const good = s.exportDelta(child, 0).delta;
    const at = (bytes: Uint8Array, offset: number, value: number): Uint8Array => {
      const copy = bytes.slice();
      new DataView(copy.buffer).setUint32(offset, value, true);
      return copy;
    };
    const first = DELTA_HEADER_BYTES;
    const second = first + 8 + B;
    const bad: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['header only, cut short', good.subarray(0, 23)],
      ['cut in an entry header', good.subarray(0, first + 5)],
      ['cut in data', good.subarray(0, good.length - 1)],
      ['a byte too many', new Uint8Array([...good, 0])],
      ['magic', at(good, 0, 0x4c445358)],
      ['version', at(good, 4, 2)],
      ['block size', at(good, 8, 8192)],
      ['virtual size not whole sectors', at(good, 12, 32 * B + 513)],
      ['virtual size beyond 2^40', at(at(good, 16, 256), 12, 512)],
      ['count larger than the entries', at(good, 20, 1000)],
      ['count smaller than the entries', at(good, 20, 1)],
      ['index beyond the block count', at(good, first, 33)],
      ['indexes not ascending', at(good, second, 0)],
      ['unknown kind', at(good, first + 4, 2)],
      ['non-zero bytes past the virtual size in the last block', (() => {
        const d = s.exportDelta(child, 0).delta.slice();
        d[d.length - 1] = 1; // the last entry is block 32, of which only 512 bytes are inside the disk
        return d;
      })()],
    ];
    const stats = s.storeStats();
    for (const [what, delta] of bad) {
      expect(s.importDelta(0, delta), what).toEqual({ status: STATUS_INVALID_PARAMETER, disk: 0 });
      expect(s.importDelta(child, delta), what).toEqual({ status: STATUS_INVALID_PARAMETER, disk: 0 });
    }
    expect(s.storeStats()).toEqual(stats);
    expect(s.importDelta(0, good).disk).toBe(3);
    expectSound(s);
  });

  test('a bad base is STATUS_INVALID_HANDLE, checked before the delta', () => {
    const s = make();
    const { child } = layered(s);
    expect(s.importDelta(99, new Uint8Array(3))).toEqual({ status: STATUS_INVALID_HANDLE, disk: 0 });
    expect(s.exportDelta(child, 99).status).toBe(STATUS_INVALID_HANDLE);
    expect(s.exportDelta(child, 99).delta.length).toBe(0);
  });
});
