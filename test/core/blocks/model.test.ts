// Model-based (issue 4 "Tests"): random sequences of create, write, read,
// clone, snapshot, discard, delete, diff, export and import run on the WASM
// store, the reference, and a naive model written here — a Map from block
// index to bytes per disk, copied on clone — and must give identical
// statuses, bytes, diffs, deltas and statistics. After every step both
// stores' audits are sound, each audit's mappers equal the number of disks
// that map each physical block (counted here through physicalBlock), and
// those counts match the model's; equal blocksFree on all three shows freed
// blocks are reused before new ones are taken.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  STATUS_DISK_FULL,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
} from '../../../src/core/ntstatus.js';
import { parseDelta, type ByteRange, type StoreStats } from '../../../src/core/blocks/index.js';
import { propertyChunks, yieldToEventLoop } from '../../support/budget.js';
import { IMPLS, expectBytes, pattern, type Store } from './support.js';

// ---- the naive model ------------------------------------------------------------------

/** A physical block: its identity is the object; `mappers` = disks whose map holds it. */
interface NBlock {
  bytes: Uint8Array;
  mappers: number;
}

interface NDisk {
  size: number;
  readOnly: boolean;
  blocks: Map<number, NBlock>;
}

const isInt = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

class Naive {
  readonly disks: (NDisk | undefined)[] = [undefined];
  private readonly freeIds: number[] = [];
  inUse = 0;
  free = 0;

  constructor(
    readonly B: number,
    private readonly quotaBlocks: number,
  ) {}

  storeStats(): StoreStats {
    return { blockSize: this.B, blocksInUse: this.inUse, blocksFree: this.free, quotaBytes: this.quotaBlocks * this.B, disks: this.disks.filter(Boolean).length };
  }

  private newBlock(bytes: Uint8Array): NBlock {
    if (this.free > 0) this.free--;
    this.inUse++;
    return { bytes, mappers: 1 };
  }

  private drop(b: NBlock): void {
    if (--b.mappers === 0) {
      this.inUse--;
      this.free++;
    }
  }

  private add(d: NDisk): number {
    const id = this.freeIds.pop() ?? this.disks.length;
    this.disks[id] = d;
    return id;
  }

  private count(d: NDisk): number {
    return Math.ceil(d.size / this.B);
  }

  createDisk(size: number): { status: number; disk: number } {
    if (!isInt(size) || size > 2 ** 40 || size % 512 !== 0) return { status: STATUS_INVALID_PARAMETER, disk: 0 };
    return { status: STATUS_SUCCESS, disk: this.add({ size, readOnly: false, blocks: new Map() }) };
  }

  clone(id: number): { status: number; disk: number } {
    const d = this.disks[id];
    if (!d) return { status: STATUS_INVALID_HANDLE, disk: 0 };
    for (const b of d.blocks.values()) b.mappers++;
    return { status: STATUS_SUCCESS, disk: this.add({ size: d.size, readOnly: false, blocks: new Map(d.blocks) }) };
  }

  snapshot(id: number): number {
    const d = this.disks[id];
    if (!d) return STATUS_INVALID_HANDLE;
    d.readOnly = true;
    return STATUS_SUCCESS;
  }

  deleteDisk(id: number): number {
    const d = this.disks[id];
    if (!d) return STATUS_INVALID_HANDLE;
    for (const b of d.blocks.values()) this.drop(b);
    this.disks[id] = undefined;
    this.freeIds.push(id);
    return STATUS_SUCCESS;
  }

  write(id: number, offset: number, data: Uint8Array): number {
    const d = this.disks[id];
    if (!d) return STATUS_INVALID_HANDLE;
    if (d.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
    if (!isInt(offset) || offset + data.length > d.size) return STATUS_INVALID_PARAMETER;
    if (data.length === 0) return STATUS_SUCCESS;
    const B = this.B;
    const first = Math.floor(offset / B);
    const last = Math.floor((offset + data.length - 1) / B);
    let need = 0;
    for (let i = first; i <= last; i++) {
      const b = d.blocks.get(i);
      if (!b || b.mappers > 1) need++;
    }
    if (this.inUse + need > this.quotaBlocks) return STATUS_DISK_FULL;
    for (let i = first; i <= last; i++) {
      let b = d.blocks.get(i);
      if (!b || b.mappers > 1) {
        const fresh = this.newBlock(b ? b.bytes.slice() : new Uint8Array(B));
        if (b) this.drop(b);
        d.blocks.set(i, fresh);
        b = fresh;
      }
      const from = Math.max(offset, i * B);
      const to = Math.min(offset + data.length, (i + 1) * B);
      b.bytes.set(data.subarray(from - offset, to - offset), from - i * B);
    }
    return STATUS_SUCCESS;
  }

  /** Block i of d as it reads (zeros when unmapped or beyond the disk). */
  blockBytes(d: NDisk | undefined, i: number): Uint8Array {
    return d?.blocks.get(i)?.bytes ?? new Uint8Array(this.B);
  }

  read(id: number, offset: number, length: number): { status: number; bytes?: Uint8Array } {
    const d = this.disks[id];
    if (!d) return { status: STATUS_INVALID_HANDLE };
    if (!isInt(offset) || offset + length > d.size) return { status: STATUS_INVALID_PARAMETER };
    const out = new Uint8Array(length);
    for (let k = 0; k < length; k++) {
      const at = offset + k;
      out[k] = this.blockBytes(d, Math.floor(at / this.B))[at % this.B]!;
    }
    return { status: STATUS_SUCCESS, bytes: out };
  }

  discard(id: number, offset: number, length: number): number {
    const d = this.disks[id];
    if (!d) return STATUS_INVALID_HANDLE;
    if (d.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
    if (!isInt(offset) || !isInt(length) || offset + length > d.size) return STATUS_INVALID_PARAMETER;
    if (length === 0) return STATUS_SUCCESS;
    const B = this.B;
    const end = offset + length;
    const first = Math.floor(offset / B);
    const last = Math.floor((end - 1) / B);
    // A block covered up to the disk's end is whole (types.ts: the rest reads zeros anyway).
    const partial = (i: number): boolean => (i === first && offset % B !== 0) || (i === last && end !== d.size && end % B !== 0);
    let need = 0;
    for (let i = first; i <= last; i++) {
      const b = d.blocks.get(i);
      if (b && partial(i) && b.mappers > 1) need++;
    }
    if (this.inUse + need > this.quotaBlocks) return STATUS_DISK_FULL;
    for (let i = first; i <= last; i++) {
      let b = d.blocks.get(i);
      if (!b) continue;
      if (!partial(i)) {
        this.drop(b);
        d.blocks.delete(i);
        continue;
      }
      if (b.mappers > 1) {
        const fresh = this.newBlock(b.bytes.slice());
        this.drop(b);
        d.blocks.set(i, fresh);
        b = fresh;
      }
      b.bytes.fill(0, Math.max(offset, i * B) - i * B, Math.min(end, (i + 1) * B) - i * B);
    }
    return STATUS_SUCCESS;
  }

  stats(id: number): unknown {
    const d = this.disks[id];
    if (!d) return { status: STATUS_INVALID_HANDLE, virtualSize: 0, allocatedBytes: 0, sharedBytes: 0, exclusiveBytes: 0, readOnly: false };
    let shared = 0;
    for (const b of d.blocks.values()) if (b.mappers > 1) shared++;
    const n = d.blocks.size;
    return { status: STATUS_SUCCESS, virtualSize: d.size, allocatedBytes: n * this.B, sharedBytes: shared * this.B, exclusiveBytes: (n - shared) * this.B, readOnly: d.readOnly };
  }

  diff(a: number, b: number): { status: number; ranges: ByteRange[] } {
    const da = this.disks[a];
    const db = this.disks[b];
    if (!da || !db) return { status: STATUS_INVALID_HANDLE, ranges: [] };
    const maxSize = Math.max(da.size, db.size);
    const ranges: ByteRange[] = [];
    for (let i = 0; i < Math.max(this.count(da), this.count(db)); i++) {
      if (Buffer.compare(this.blockBytes(da, i), this.blockBytes(db, i)) === 0) continue;
      const last = ranges[ranges.length - 1];
      if (last && last.offset + last.length === i * this.B) last.length += this.B;
      else ranges.push({ offset: i * this.B, length: this.B });
    }
    const tail = ranges[ranges.length - 1];
    if (tail) tail.length = Math.min(tail.offset + tail.length, maxSize) - tail.offset;
    return { status: STATUS_SUCCESS, ranges };
  }

  /** The delta written by hand from the format in delta.ts, to pin the encoding byte for byte. */
  exportDelta(id: number, base: number): { status: number; delta: Uint8Array } {
    const d = this.disks[id];
    const b = base === 0 ? undefined : this.disks[base];
    if (!d || (base !== 0 && !b)) return { status: STATUS_INVALID_HANDLE, delta: new Uint8Array(0) };
    const parts: number[] = [];
    const chunks: Uint8Array[] = [];
    let entries = 0;
    for (let i = 0; i < this.count(d); i++) {
      const mine = this.blockBytes(d, i);
      if (Buffer.compare(mine, this.blockBytes(b, i)) === 0) continue;
      entries++;
      const zeros = mine.every((x) => x === 0);
      chunks.push(u32(i), u32(zeros ? 0 : 1));
      if (!zeros) chunks.push(mine);
    }
    void parts;
    const header = new Uint8Array([...Buffer.from('WSDL'), ...u32(1), ...u32(this.B), ...u32(d.size % 2 ** 32), ...u32(Math.floor(d.size / 2 ** 32)), ...u32(entries)]);
    return { status: STATUS_SUCCESS, delta: Buffer.concat([header, ...chunks]) };
  }

  importDelta(base: number, delta: Uint8Array): { status: number; disk: number } {
    const b = base === 0 ? undefined : this.disks[base];
    if (base !== 0 && !b) return { status: STATUS_INVALID_HANDLE, disk: 0 };
    const p = parseDelta(delta, this.B);
    if (!p) return { status: STATUS_INVALID_PARAMETER, disk: 0 };
    const B = this.B;
    const count = Math.ceil(p.virtualSize / B);
    const n = p.indexes.length;
    const tailEntry = n > 0 && p.indexes[n - 1] === count - 1;
    const shrink = b !== undefined && p.virtualSize < b.size;
    const head = p.virtualSize % B;
    // The partial last block of a shrinking import is zero-filled past the end (a copy) unless an entry replaces it.
    const tailCopy = shrink && head !== 0 && !tailEntry && b.blocks.has(count - 1) ? 1 : 0;
    if (this.inUse + p.dataEntries + tailCopy > this.quotaBlocks) return { status: STATUS_DISK_FULL, disk: 0 };
    const blocks = new Map(b?.blocks ?? []);
    for (const blk of blocks.values()) blk.mappers++;
    const d: NDisk = { size: p.virtualSize, readOnly: false, blocks };
    if (shrink) {
      for (const [i, blk] of [...blocks]) {
        if (i >= count || (i === count - 1 && head !== 0 && tailEntry)) {
          this.drop(blk);
          blocks.delete(i);
        }
      }
      const last = blocks.get(count - 1);
      if (last && head !== 0) {
        const fresh = this.newBlock(last.bytes.slice());
        this.drop(last);
        fresh.bytes.fill(0, head);
        blocks.set(count - 1, fresh);
      }
    }
    for (let k = 0; k < n; k++) {
      const i = p.indexes[k]!;
      const old = blocks.get(i);
      if (old) {
        this.drop(old);
        blocks.delete(i);
      }
      // A copy as a plain Uint8Array: a Buffer's slice() is a view, so a later copy-on-write of this block (bytes.slice()) would write through to it.
      if (p.kinds[k] === 1) blocks.set(i, this.newBlock(new Uint8Array(delta.subarray(p.dataOffsets[k]!, p.dataOffsets[k]! + B))));
    }
    return { status: STATUS_SUCCESS, disk: this.add(d) };
  }

  /** How many disks map each block, as a sorted list (block identities differ between implementations). */
  mapperCounts(): number[] {
    const seen = new Map<NBlock, number>();
    for (const d of this.disks) if (d) for (const b of d.blocks.values()) seen.set(b, (seen.get(b) ?? 0) + 1);
    for (const [b, n] of seen) expect(b.mappers, 'model bookkeeping').toBe(n);
    return [...seen.values()].sort((x, y) => x - y);
  }
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
}

// ---- operations -----------------------------------------------------------------------

/** Mostly ids that are likely live (each run starts with two creates), sometimes ones that are not. */
const diskId = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 9) });
const op = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('create' as const), size: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('clone' as const), d: diskId }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('snapshot' as const), d: diskId }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delete' as const), d: diskId }) },
  { weight: 8, arbitrary: fc.record({ k: fc.constant('write' as const), d: diskId, at: fc.nat(), aligned: fc.boolean(), len: fc.integer({ min: 0, max: 4 }), seed: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('read' as const), d: diskId, at: fc.nat(), len: fc.nat({ max: 9000 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('mapWrite' as const), d: diskId, at: fc.nat(), aligned: fc.boolean(), len: fc.integer({ min: 0, max: 4 }), seed: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('mapRead' as const), d: diskId, at: fc.nat(), len: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('batchWrite' as const), d: diskId, at: fc.array(fc.nat(), { maxLength: 6 }), seed: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('batchRead' as const), d: diskId, at: fc.array(fc.nat(), { maxLength: 6 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('discard' as const), d: diskId, at: fc.nat(), aligned: fc.boolean(), len: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('diff' as const), a: diskId, b: diskId }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('stats' as const), d: diskId }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('export' as const), d: diskId, base: diskId }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('import' as const), d: diskId, from: diskId, base: diskId, corrupt: fc.integer({ min: 0, max: 6 }) }) },
);
type Op = typeof op extends fc.Arbitrary<infer O> ? O : never;

/** Sizes in blocks (some ending in a partial block) that a create picks from. */
const SIZES = (B: number): number[] => [0, 512, 3 * B, 7 * B + 512, 20 * B, 40 * B + 1024];

/** The disk's size as the model knows it (offsets are drawn relative to it, sometimes past the end). */
function sizeOf(m: Naive, d: number): number {
  return m.disks[d]?.size ?? 4096;
}

/** A span for a map: within one block mostly; sometimes empty, crossing a boundary, or past the end. */
function mapSpan(m: Naive, d: number, at: number, aligned: boolean, len: number): { offset: number; length: number } {
  const B = m.B;
  const size = sizeOf(m, d);
  const offset = aligned ? (at % (size / B + 2)) * B : at % (size + 64);
  const toEnd = B - (offset % B);
  return { offset, length: [1, Math.min(17, toEnd), toEnd, B + 1, 0][len]! };
}

/**
 * The model's status for a map that write()/read() would accept but a map
 * refuses (an empty span, or one crossing a block boundary): the handle,
 * write-protection and bounds checks come first, as in write().
 */
function mapStatus(m: Naive, d: number, offset: number, length: number, write: boolean): number | undefined {
  if (length > 0 && (offset % m.B) + length <= m.B) return undefined;
  const disk = m.disks[d];
  if (!disk) return STATUS_INVALID_HANDLE;
  if (disk.readOnly && write) return STATUS_MEDIA_WRITE_PROTECTED;
  return STATUS_INVALID_PARAMETER;
}

/** A batch's block indexes: mostly blocks wholly within the disk, sometimes the partial last one or one past it. */
function batchIndexes(m: Naive, d: number, at: number[]): Uint32Array {
  const whole = Math.floor(sizeOf(m, d) / m.B);
  return Uint32Array.from(at, (x) => x % (whole + 2));
}

/**
 * What the model answers for a batch (types.ts BlockBatch): the checks in
 * order with nothing done, then one whole-block write() or read() per
 * index, a write stopping at the first failure.
 */
function naiveBatch(m: Naive, d: number, blocks: Uint32Array, data: Uint8Array | undefined): { status: number; bytes?: Uint8Array } {
  const disk = m.disks[d];
  if (!disk) return { status: STATUS_INVALID_HANDLE };
  if (data && disk.readOnly) return { status: STATUS_MEDIA_WRITE_PROTECTED };
  const B = m.B;
  if (blocks.some((i) => (i + 1) * B > disk.size)) return { status: STATUS_INVALID_PARAMETER };
  const bytes = new Uint8Array(blocks.length * B);
  for (let k = 0; k < blocks.length; k++) {
    if (data) {
      const status = m.write(d, blocks[k]! * B, data.subarray(k * B, (k + 1) * B));
      if (status !== STATUS_SUCCESS) return { status };
    } else {
      bytes.set(m.read(d, blocks[k]! * B, B).bytes!, k * B);
    }
  }
  return data ? { status: STATUS_SUCCESS } : { status: STATUS_SUCCESS, bytes };
}

/** Applies an op to any of the three; returns everything observable. */
function apply(s: Store | Naive, m: Naive, o: Op): unknown {
  const B = m.B;
  switch (o.k) {
    case 'create':
      return s.createDisk(SIZES(B)[o.size] ?? 513);
    case 'clone':
      return s.clone(o.d);
    case 'snapshot':
      return s.snapshot(o.d);
    case 'delete':
      return s.deleteDisk(o.d);
    case 'write': {
      const size = sizeOf(m, o.d);
      const length = [0, 1, B, 2 * B + 3, 5 * B][o.len]!;
      const offset = o.aligned ? (o.at % (size / B + 2)) * B : o.at % (size + 64);
      return s.write(o.d, offset, pattern(length, o.seed));
    }
    case 'read': {
      const size = sizeOf(m, o.d);
      const offset = o.at % (size + 16);
      if (s instanceof Naive) return s.read(o.d, offset, o.len);
      const into = new Uint8Array(o.len);
      const status = s.read(o.d, offset, into);
      return status === STATUS_SUCCESS ? { status, bytes: into } : { status };
    }
    case 'mapWrite': {
      // Mapped in place and filled by the caller: the same as write() of those bytes, for a span within one block.
      const { offset, length } = mapSpan(m, o.d, o.at, o.aligned, o.len);
      const data = pattern(length, o.seed);
      if (s instanceof Naive) return mapStatus(s, o.d, offset, length, true) ?? s.write(o.d, offset, data);
      const status = s.mapForWrite(o.d, offset, length);
      if (status === STATUS_SUCCESS) s.mapped.set(data, s.mappedOffset);
      return status;
    }
    case 'mapRead': {
      const { offset, length } = mapSpan(m, o.d, o.at, false, o.len);
      if (s instanceof Naive) {
        const st = mapStatus(s, o.d, offset, length, false);
        return st !== undefined ? { status: st } : s.read(o.d, offset, length);
      }
      const status = s.mapForRead(o.d, offset, length);
      return status === STATUS_SUCCESS ? { status, bytes: s.mapped.slice(s.mappedOffset, s.mappedOffset + length) } : { status };
    }
    case 'batchWrite': {
      const blocks = batchIndexes(m, o.d, o.at);
      const data = pattern(blocks.length * B, o.seed);
      if (s instanceof Naive) return naiveBatch(s, o.d, blocks, data);
      return { status: s.writeBlocks(o.d, blocks, data) };
    }
    case 'batchRead': {
      const blocks = batchIndexes(m, o.d, o.at);
      if (s instanceof Naive) return naiveBatch(s, o.d, blocks, undefined);
      const into = new Uint8Array(blocks.length * B).fill(0xee);
      const status = s.readBlocks(o.d, blocks, into);
      return status === STATUS_SUCCESS ? { status, bytes: into } : { status };
    }
    case 'discard': {
      const size = sizeOf(m, o.d);
      const offset = o.aligned ? (o.at % (size / B + 1)) * B : o.at % (size + 8);
      const length = o.aligned ? (o.len % 8) * B : o.len % (size + 8);
      return s.discard(o.d, offset, length);
    }
    case 'diff':
      return s.diff(o.a, o.b);
    case 'stats':
      return s.stats(o.d);
    case 'export': {
      const r = s.exportDelta(o.d, o.base);
      return { status: r.status, delta: Buffer.from(r.delta).toString('hex') };
    }
    case 'import': {
      // A delta exported from this very store (all three export the same bytes), perhaps damaged.
      let delta = s.exportDelta(o.from, o.d === o.from ? 0 : o.d).delta;
      if (o.corrupt === 1) delta = delta.subarray(0, Math.max(0, delta.length - 1));
      if (o.corrupt === 2 && delta.length > 0) (delta = new Uint8Array(delta))[0] ^= 1;
      return s.importDelta(o.base === o.from ? 0 : o.base, delta);
    }
  }
}

/** Each store's own count of the disks mapping each physical block (through physicalBlock). */
function mappersByLookup(s: Store, m: Naive): Map<number, number> {
  const count = new Map<number, number>();
  m.disks.forEach((d, id) => {
    if (!d) return;
    for (let i = 0; i < Math.ceil(d.size / m.B); i++) {
      const p = s.physicalBlock(id, i);
      if (p !== 0) count.set(p, (count.get(p) ?? 0) + 1);
    }
  });
  return count;
}

function check(stores: Store[], m: Naive, step: string): void {
  const expected = m.mapperCounts();
  for (const s of stores) {
    const a = s.audit();
    expect(a.problem, `${s.impl} audit after ${step}`).toBe('');
    expect(a.mappers, `${s.impl} mappers after ${step}`).toEqual(mappersByLookup(s, m));
    expect([...a.mappers.values()].sort((x, y) => x - y), `${s.impl} mapper counts after ${step}`).toEqual(expected);
    expect(s.storeStats(), `${s.impl} store stats after ${step}`).toEqual(m.storeStats());
  }
}

/** Results with the bytes compared by Buffer.compare (fast) rather than element by element. */
function same(actual: unknown, expected: unknown, what: string): void {
  const a = actual as { bytes?: Uint8Array };
  const e = expected as { bytes?: Uint8Array };
  if (a?.bytes && e?.bytes) {
    expectBytes(a.bytes, e.bytes, what);
    expect({ ...a, bytes: undefined }, what).toEqual({ ...e, bytes: undefined });
  } else {
    expect(actual, what).toEqual(expected);
  }
}

describe('block store model: WASM, reference and a naive map agree', () => {
  for (const chunk of propertyChunks(300)) test(`random operation sequences give identical statuses, bytes, diffs, deltas and statistics${chunk.label}`, async () => {
    await yieldToEventLoop();
    const [[, makeWasm], [, makeRef]] = IMPLS as [[string, () => Store], [string, () => Store]];
    fc.assert(
      fc.property(fc.constantFrom(512, 4096), fc.constantFrom(6, 16, 1 << 20), fc.array(op, { minLength: 1, maxLength: 40, size: 'max' }), (B, quotaBlocks, ops) => {
        const options = { blockSize: B, quotaBytes: quotaBlocks * B };
        const stores = [(makeWasm as (o: object) => Store)(options), (makeRef as (o: object) => Store)(options)];
        const m = new Naive(B, quotaBlocks);
        const all: Op[] = [{ k: 'create', size: 4 }, { k: 'create', size: 3 }, ...ops];
        for (let i = 0; i < all.length; i++) {
          const o = all[i]!;
          const step = `op ${i}: ${JSON.stringify(o)}`;
          const results = stores.map((s) => apply(s, m, o));
          const expected = apply(m, m, o);
          same(results[0], expected, `wasm ${step}`);
          same(results[1], expected, `ref ${step}`);
          check(stores, m, step);
        }
        m.disks.forEach((d, id) => {
          if (!d) return;
          for (const s of stores) expect(s.stats(id), `${s.impl} stats of disk ${id}`).toEqual(m.stats(id));
        });
      }),
      { seed: chunk.seed, numRuns: chunk.numRuns },
    );
  });
});
