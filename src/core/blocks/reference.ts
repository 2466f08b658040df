/**
 * The block store in TypeScript: the oracle for the property tests and the
 * baseline for the benchmarks. The same design as assembly/blocks (read
 * layout.ts there): a radix tree of 1024-entry nodes per disk with
 * reference-counted nodes and blocks, copy-on-write on the first write
 * through a shared node or block, dense unit ids with LIFO reuse. Written
 * for speed — block data in 1 MiB Uint8Array chunks, nodes in 1 MiB
 * Uint32Array chunks, reference counts in flat Uint32Arrays, no per-block
 * objects — with exactly the WASM store's statuses and results (physical
 * numbering may differ; audit keys by this store's own).
 */
import {
  STATUS_DISK_FULL,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
} from '../ntstatus.js';
import { AuditProblem, auditResult } from './audit.js';
import { DeltaKind, DeltaWriter, parseDelta } from './delta.js';
import { BLOCK_LIMITS, isByteCount, isVirtualSize, resolveOptions } from './limits.js';
import type {
  AuditResult,
  BlockBatch,
  BlockMapping,
  BlockStore,
  BlockStoreOptions,
  ByteRange,
  DeltaResult,
  DiffResult,
  DiskResult,
  DiskStats,
  StoreStats,
} from './types.js';

const FANOUT_SHIFT = 10;
const FANOUT = 1 << FANOUT_SHIFT;
const FANOUT_MASK = FANOUT - 1;
const CHUNK_SHIFT = 20;
/** Nodes per 1 MiB chunk: 256 of 4 KiB. */
const NODE_CHUNK_SHIFT = CHUNK_SHIFT - 12;
const NODE_CHUNK_MASK = (1 << NODE_CHUNK_SHIFT) - 1;
const MAX_DEPTH = 4;
/** The shallower disk's stand-in above its root when two trees are compared (compare.ts in assembly/blocks). */
const VIRTUAL = -1;

/** What a walk of the map does (assembly/blocks/map.ts WALK_*; reads here look blocks up one by one). */
const enum Walk {
  ScanWrite,
  Write,
  ScanDiscard,
  Discard,
}

interface Disk {
  root: number;
  depth: number;
  size: number;
  count: number;
  readOnly: boolean;
}

const NO_STATS: Omit<DiskStats, 'status'> = { virtualSize: 0, allocatedBytes: 0, sharedBytes: 0, exclusiveBytes: 0, readOnly: false };

function depthFor(count: number): number {
  let depth = 1;
  while (depth < MAX_DEPTH && count > 2 ** (FANOUT_SHIFT * depth)) depth++;
  return depth;
}

/** A Uint32Array twice as long (at least `need`), with the old contents. */
function grown(a: Uint32Array, need: number): Uint32Array {
  const b = new Uint32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export class RefBlockStore implements BlockStore, BlockMapping, BlockBatch {
  readonly impl = 'ref' as const;
  readonly blockSize: number;
  private readonly shift: number;
  private readonly quotaBytes: number;
  private readonly quotaBlocks: number;
  /** log2 of blocks per chunk. */
  private readonly chunkShift: number;
  private readonly chunkMask: number;

  // Blocks: data in chunks, counts by id, freed ids on a stack (most recent reused first).
  private readonly blockChunks: Uint8Array[] = [];
  private bRefs: Uint32Array = new Uint32Array(1024);
  private bTop = 1;
  private readonly bFree: number[] = [];
  private bInUse = 0;

  // Map nodes: FANOUT entries each, in chunks.
  private readonly nodeChunks: Uint32Array[] = [];
  private nRefs: Uint32Array = new Uint32Array(1024);
  private nTop = 1;
  private readonly nFree: number[] = [];
  private nInUse = 0;

  private readonly disks: (Disk | undefined)[] = [undefined];
  private readonly freeDisks: number[] = [];
  private live = 0;

  // The range of the change in progress (map.ts in assembly/blocks).
  private first = 0;
  private last = 0;
  private head = 0;
  private tail = 0;
  private wholeFirst = 0;
  private wholeLast = 0;
  private mode: Walk = Walk.ScanWrite;
  private needNodes = 0;
  private needBlocks = 0;
  /** Block ids of the range, made private by a write (index − first). */
  private ids: Uint32Array = new Uint32Array(64);
  /** A batch's block ids (BlockBatch), found before any is copied. */
  private batch: Uint32Array = new Uint32Array(64);
  /** BlockMapping: the last map's chunk (or `zeros`) and offset. */
  mapped: Uint8Array = new Uint8Array(0);
  mappedOffset = 0;
  /** What an unmapped block maps to for reading. */
  private readonly zeros: Uint8Array;

  constructor(options: BlockStoreOptions = {}) {
    const o = resolveOptions(options);
    this.blockSize = o.blockSize;
    this.zeros = new Uint8Array(o.blockSize);
    this.shift = o.blockShift;
    this.quotaBytes = o.quotaBytes;
    this.quotaBlocks = o.quotaBlocks;
    this.chunkShift = CHUNK_SHIFT - o.blockShift;
    this.chunkMask = (1 << this.chunkShift) - 1;
  }

  // ---- units ------------------------------------------------------------------------

  private takeBlock(): number {
    let id = this.bFree.pop();
    if (id === undefined) {
      id = this.bTop++;
      if (id >>> this.chunkShift >= this.blockChunks.length) this.blockChunks.push(new Uint8Array(1 << CHUNK_SHIFT));
      if (id >= this.bRefs.length) this.bRefs = grown(this.bRefs, id + 1);
    }
    this.bRefs[id] = 1;
    this.bInUse++;
    return id;
  }

  private unrefBlock(id: number): void {
    if (--this.bRefs[id]! === 0) {
      this.bFree.push(id);
      this.bInUse--;
    }
  }

  private takeNode(): number {
    let id = this.nFree.pop();
    if (id === undefined) {
      id = this.nTop++;
      if (id >>> NODE_CHUNK_SHIFT >= this.nodeChunks.length) this.nodeChunks.push(new Uint32Array(1 << (CHUNK_SHIFT - 2)));
      if (id >= this.nRefs.length) this.nRefs = grown(this.nRefs, id + 1);
    }
    this.nRefs[id] = 1;
    this.nInUse++;
    return id;
  }

  private blockData(id: number): Uint8Array {
    return this.blockChunks[id >>> this.chunkShift]!;
  }

  private blockOffset(id: number): number {
    return (id & this.chunkMask) << this.shift;
  }

  private node(id: number): Uint32Array {
    return this.nodeChunks[id >>> NODE_CHUNK_SHIFT]!;
  }

  private static nodeBase(id: number): number {
    return (id & NODE_CHUNK_MASK) << FANOUT_SHIFT;
  }

  private disk(id: number): Disk | undefined {
    return this.disks[id];
  }

  private newDisk(rec: Disk): number {
    let id = this.freeDisks.pop();
    if (id === undefined) id = this.disks.length;
    if (id >= BLOCK_LIMITS.maxDisks) return 0;
    this.disks[id] = rec;
    this.live++;
    return id;
  }

  private lookup(d: Disk, i: number): number {
    let n = d.root;
    for (let level = d.depth - 1; level >= 0 && n !== 0; level--) {
      n = this.node(n)[RefBlockStore.nodeBase(n) + ((i >>> (FANOUT_SHIFT * level)) & FANOUT_MASK)]!;
    }
    return n;
  }

  /** Block `i` of `d` if every node on its path and the block itself are `d`'s alone; else 0. */
  private privateBlock(d: Disk, i: number): number {
    let n = d.root;
    for (let level = d.depth - 1; level >= 0; level--) {
      if (n === 0 || this.nRefs[n] !== 1) return 0;
      n = this.node(n)[RefBlockStore.nodeBase(n) + ((i >>> (FANOUT_SHIFT * level)) & FANOUT_MASK)]!;
    }
    return n !== 0 && this.bRefs[n] === 1 ? n : 0;
  }

  // ---- disks ------------------------------------------------------------------------

  createDisk(virtualSize: number): DiskResult {
    if (!isVirtualSize(virtualSize)) return { status: STATUS_INVALID_PARAMETER, disk: 0 };
    const count = Math.ceil(virtualSize / this.blockSize);
    const disk = this.newDisk({ root: 0, depth: depthFor(count), size: virtualSize, count, readOnly: false });
    return disk === 0 ? { status: STATUS_DISK_FULL, disk: 0 } : { status: STATUS_SUCCESS, disk };
  }

  clone(disk: number): DiskResult {
    const d = this.disk(disk);
    if (!d) return { status: STATUS_INVALID_HANDLE, disk: 0 };
    const c = this.newDisk({ root: d.root, depth: d.depth, size: d.size, count: d.count, readOnly: false });
    if (c === 0) return { status: STATUS_DISK_FULL, disk: 0 };
    if (d.root !== 0) this.nRefs[d.root]!++;
    return { status: STATUS_SUCCESS, disk: c };
  }

  snapshot(disk: number): number {
    const d = this.disk(disk);
    if (!d) return STATUS_INVALID_HANDLE;
    d.readOnly = true;
    return STATUS_SUCCESS;
  }

  deleteDisk(disk: number): number {
    const d = this.disk(disk);
    if (!d) return STATUS_INVALID_HANDLE;
    if (d.root !== 0) this.releaseNode(d.root, d.depth - 1);
    this.disks[disk] = undefined;
    this.freeDisks.push(disk);
    this.live--;
    return STATUS_SUCCESS;
  }

  // ---- data -------------------------------------------------------------------------

  write(disk: number, offset: number, data: Uint8Array): number {
    const d = this.disk(disk);
    if (!d) return STATUS_INVALID_HANDLE;
    // A read-only disk refuses every write, in bounds or not (assembly/blocks/index.ts).
    if (d.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
    const length = data.length;
    if (!isByteCount(offset) || offset > d.size || length > d.size - offset) return STATUS_INVALID_PARAMETER;
    if (length === 0) return STATUS_SUCCESS;
    const B = this.blockSize;
    const first = Math.floor(offset / B);
    const last = Math.floor((offset + length - 1) / B);
    const head = offset - first * B;
    if (first === last) {
      // The common case, a write within one block that is already private: one walk, nothing to count.
      const p = this.privateBlock(d, first);
      if (p !== 0) {
        this.blockData(p).set(data, this.blockOffset(p) + head);
        return STATUS_SUCCESS;
      }
    }
    const st = this.writeRange(d, first, last, head, offset + length - last * B);
    if (st !== STATUS_SUCCESS) return st;
    if (first === last) {
      const p = this.ids[0]!;
      this.blockData(p).set(data, this.blockOffset(p) + head);
      return STATUS_SUCCESS;
    }
    let pos = 0;
    for (let k = 0; k <= last - first; k++) {
      const p = this.ids[k]!;
      const start = k === 0 ? head : 0;
      const take = Math.min(B - start, length - pos);
      this.blockData(p).set(data.subarray(pos, pos + take), this.blockOffset(p) + start);
      pos += take;
    }
    return STATUS_SUCCESS;
  }

  read(disk: number, offset: number, into: Uint8Array): number {
    const d = this.disk(disk);
    if (!d) return STATUS_INVALID_HANDLE;
    const length = into.length;
    if (!isByteCount(offset) || offset > d.size || length > d.size - offset) return STATUS_INVALID_PARAMETER;
    if (length === 0) return STATUS_SUCCESS;
    const B = this.blockSize;
    const first = Math.floor(offset / B);
    const last = Math.floor((offset + length - 1) / B);
    let pos = 0;
    for (let i = first; i <= last; i++) {
      const start = i === first ? offset - first * B : 0;
      const take = Math.min(B - start, length - pos);
      const p = this.lookup(d, i);
      if (p === 0) {
        into.fill(0, pos, pos + take);
      } else {
        const at = this.blockOffset(p) + start;
        into.set(this.blockData(p).subarray(at, at + take), pos);
      }
      pos += take;
    }
    return STATUS_SUCCESS;
  }

  // ---- batches (BlockBatch) ----------------------------------------------------------

  /** types.ts's checks for a batch, in order; nothing moves before they pass. */
  private batchCheck(d: Disk | undefined, blocks: Uint32Array, buffer: Uint8Array, write: boolean): number {
    if (!d) return STATUS_INVALID_HANDLE;
    if (write && d.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
    const B = this.blockSize;
    if (buffer.length < blocks.length * B) return STATUS_INVALID_PARAMETER;
    const whole = Math.floor(d.size / B);
    for (let k = 0; k < blocks.length; k++) if (blocks[k]! >= whole) return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
  }

  readBlocks(disk: number, blocks: Uint32Array, into: Uint8Array): number {
    const d = this.disk(disk);
    const st = this.batchCheck(d, blocks, into, false);
    if (st !== STATUS_SUCCESS) return st;
    // Every block found first (independent lookups, their misses overlap), then the copies.
    const n = blocks.length;
    const ids = this.batchIds(n);
    for (let k = 0; k < n; k++) ids[k] = this.lookup(d!, blocks[k]!);
    const B = this.blockSize;
    for (let k = 0; k < n; k++) {
      const p = ids[k]!;
      if (p === 0) {
        into.fill(0, k * B, k * B + B);
      } else {
        const o = this.blockOffset(p);
        into.set(this.blockData(p).subarray(o, o + B), k * B);
      }
    }
    return STATUS_SUCCESS;
  }

  writeBlocks(disk: number, blocks: Uint32Array, data: Uint8Array): number {
    const d = this.disk(disk);
    const st = this.batchCheck(d, blocks, data, true);
    if (st !== STATUS_SUCCESS) return st;
    const B = this.blockSize;
    // Every block made private first (as readBlocks, the lookups' misses overlap), then the copies.
    const n = blocks.length;
    const ids = this.batchIds(n);
    let done = 0;
    let status = STATUS_SUCCESS;
    for (; done < n; done++) {
      const i = blocks[done]!;
      let p = this.privateBlock(d!, i);
      if (p === 0) {
        // Copy-on-write of a whole block: no old contents needed (head 0, tail B).
        status = this.writeRange(d!, i, i, 0, B);
        if (status !== STATUS_SUCCESS) break;
        p = this.ids[0]!;
      }
      ids[done] = p;
    }
    for (let k = 0; k < done; k++) {
      const p = ids[k]!;
      this.blockData(p).set(data.subarray(k * B, k * B + B), this.blockOffset(p));
    }
    return status;
  }

  /** Scratch for a batch's block ids (apart from `ids`, which writeRange fills). */
  private batchIds(n: number): Uint32Array {
    if (n > this.batch.length) this.batch = new Uint32Array(Math.max(n, this.batch.length * 2));
    return this.batch;
  }

  // ---- mapped access (BlockMapping) ------------------------------------------------

  mapForRead(disk: number, offset: number, length: number): number {
    const d = this.disk(disk);
    if (!d) return STATUS_INVALID_HANDLE;
    if (!isByteCount(offset) || !isByteCount(length) || offset > d.size || length > d.size - offset) return STATUS_INVALID_PARAMETER;
    const B = this.blockSize;
    const i = Math.floor(offset / B);
    const head = offset - i * B;
    if (length === 0 || head + length > B) return STATUS_INVALID_PARAMETER;
    const p = this.lookup(d, i);
    if (p === 0) {
      this.mapped = this.zeros;
      this.mappedOffset = head;
    } else {
      this.mapped = this.blockData(p);
      this.mappedOffset = this.blockOffset(p) + head;
    }
    return STATUS_SUCCESS;
  }

  mapForWrite(disk: number, offset: number, length: number): number {
    const d = this.disk(disk);
    if (!d) return STATUS_INVALID_HANDLE;
    if (d.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
    if (!isByteCount(offset) || !isByteCount(length) || offset > d.size || length > d.size - offset) return STATUS_INVALID_PARAMETER;
    const B = this.blockSize;
    const i = Math.floor(offset / B);
    const head = offset - i * B;
    if (length === 0 || head + length > B) return STATUS_INVALID_PARAMETER;
    let p = this.privateBlock(d, i);
    if (p === 0) {
      // A head of 1 marks the block partial, so the walk keeps its contents (old block or zeros).
      const st = this.writeRange(d, i, i, 1, B);
      if (st !== STATUS_SUCCESS) return st;
      p = this.ids[0]!;
    }
    this.mapped = this.blockData(p);
    this.mappedOffset = this.blockOffset(p) + head;
    return STATUS_SUCCESS;
  }

  discard(disk: number, offset: number, length: number): number {
    const d = this.disk(disk);
    if (!d) return STATUS_INVALID_HANDLE;
    if (d.readOnly) return STATUS_MEDIA_WRITE_PROTECTED;
    if (!isByteCount(offset) || !isByteCount(length) || offset > d.size || length > d.size - offset) return STATUS_INVALID_PARAMETER;
    if (length === 0) return STATUS_SUCCESS;
    const B = this.blockSize;
    const end = offset + length;
    const first = Math.floor(offset / B);
    const last = Math.floor((end - 1) / B);
    // A block the range covers up to the disk's end counts as whole: the rest of it reads zeros (I2).
    const tail = end === d.size ? B : end - last * B;
    return this.discardBlocks(d, first, last, offset - first * B, tail);
  }

  // ---- the map walks (assembly/blocks/map.ts) ------------------------------------------

  private setRange(first: number, last: number, head: number, tail: number): void {
    this.first = first;
    this.last = last;
    this.head = head;
    this.tail = tail;
    this.wholeFirst = first + (head !== 0 ? 1 : 0);
    this.wholeLast = last - (tail !== this.blockSize ? 1 : 0);
    this.needNodes = 0;
    this.needBlocks = 0;
  }

  private isPartial(i: number): boolean {
    return (i === this.first && this.head !== 0) || (i === this.last && this.tail !== this.blockSize);
  }

  /** Count, check, apply: STATUS_DISK_FULL leaves everything as it was. */
  private writeRange(d: Disk, first: number, last: number, head: number, tail: number): number {
    this.setRange(first, last, head, tail);
    if (last - first >= this.ids.length) this.ids = new Uint32Array(Math.max(last - first + 1, this.ids.length * 2));
    this.walk(Walk.ScanWrite, d.root, d.depth - 1, false, first, last);
    if ((this.needNodes | this.needBlocks) === 0) return STATUS_SUCCESS;
    if (this.bInUse + this.needBlocks > this.quotaBlocks) return STATUS_DISK_FULL;
    d.root = this.walk(Walk.Write, d.root, d.depth - 1, false, first, last);
    return STATUS_SUCCESS;
  }

  private discardBlocks(d: Disk, first: number, last: number, head: number, tail: number): number {
    this.setRange(first, last, head, tail);
    this.walk(Walk.ScanDiscard, d.root, d.depth - 1, false, first, last);
    if (this.bInUse + this.needBlocks > this.quotaBlocks) return STATUS_DISK_FULL;
    d.root = this.walk(Walk.Discard, d.root, d.depth - 1, false, first, last);
    return STATUS_SUCCESS;
  }

  private walk(mode: Walk, root: number, level: number, shared: boolean, lo: number, hi: number): number {
    this.mode = mode;
    return this.visit(root, level, shared, lo, hi);
  }

  private static missingNodes(level: number, lo: number, hi: number): number {
    let n = 0;
    for (let j = 0; j <= level; j++) {
      const span = 2 ** (FANOUT_SHIFT * (j + 1));
      n += Math.floor(hi / span) - Math.floor(lo / span) + 1;
    }
    return n;
  }

  /**
   * One walk over blocks lo … hi of the subtree `n` (at `level`) serves every
   * pass, as in assembly/blocks/map.ts (which documents the modes); returns
   * the node the parent's slot must hold afterwards (a private copy, a new
   * node, 0 when released, or `n`).
   */
  private visit(n: number, level: number, shared: boolean, lo: number, hi: number): number {
    switch (this.mode) {
      case Walk.ScanWrite:
        if (n === 0) {
          this.needNodes += RefBlockStore.missingNodes(level, lo, hi);
          this.needBlocks += hi - lo + 1;
          return 0;
        }
        shared ||= this.nRefs[n]! > 1;
        if (shared) this.needNodes++;
        break;
      case Walk.Write:
        n = this.privateNode(n, level);
        break;
      case Walk.ScanDiscard:
        if (n === 0 || this.wholeSubtree(level, lo, hi)) return n;
        shared ||= this.nRefs[n]! > 1;
        if (shared) this.needNodes++;
        break;
      case Walk.Discard:
        if (n === 0) return 0;
        if (this.wholeSubtree(level, lo, hi)) {
          this.releaseNode(n, level);
          return 0;
        }
        n = this.privateNode(n, level);
        break;
    }
    const a = this.node(n);
    const base = RefBlockStore.nodeBase(n);
    if (level === 0) {
      for (let i = lo; i <= hi; i++) this.leaf(a, base + (i & FANOUT_MASK), i, shared);
      return n;
    }
    const shift = FANOUT_SHIFT * level;
    const lowMask = 2 ** shift - 1;
    for (let i = lo; ; ) {
      const end = Math.min(hi, i + (lowMask - (i & lowMask)));
      const e = base + ((i >>> shift) & FANOUT_MASK);
      a[e] = this.visit(a[e]!, level - 1, shared, i, end);
      if (end >= hi) break;
      i = end + 1;
    }
    return n;
  }

  /** Leaf entry `e` of node array `a` (block index `i`) in the current mode. */
  private leaf(a: Uint32Array, e: number, i: number, shared: boolean): void {
    let p = a[e]!;
    switch (this.mode) {
      case Walk.ScanWrite:
        if (p === 0 || shared || this.bRefs[p]! > 1) this.needBlocks++;
        else this.ids[i - this.first] = p;
        return;
      case Walk.Write:
        if (p === 0 || this.bRefs[p]! > 1) {
          const q = this.takeBlock();
          // A block the write covers whole needs no old contents; a partial one is read-modify-write.
          if (this.isPartial(i)) {
            if (p !== 0) this.copyBlock(p, q);
            else this.blockData(q).fill(0, this.blockOffset(q), this.blockOffset(q) + this.blockSize);
          }
          if (p !== 0) this.unrefBlock(p);
          a[e] = p = q;
        }
        this.ids[i - this.first] = p;
        return;
      case Walk.ScanDiscard:
        if (p !== 0 && this.isPartial(i) && (shared || this.bRefs[p]! > 1)) this.needBlocks++;
        return;
      case Walk.Discard: {
        if (p === 0) return;
        if (!this.isPartial(i)) {
          a[e] = 0;
          this.unrefBlock(p);
          return;
        }
        if (this.bRefs[p]! > 1) {
          const q = this.takeBlock();
          this.copyBlock(p, q);
          this.unrefBlock(p);
          a[e] = p = q;
        }
        const o = this.blockOffset(p);
        this.blockData(p).fill(0, o + (i === this.first ? this.head : 0), o + (i === this.last ? this.tail : this.blockSize));
      }
    }
  }

  private copyBlock(from: number, to: number): void {
    const o = this.blockOffset(from);
    this.blockData(to).set(this.blockData(from).subarray(o, o + this.blockSize), this.blockOffset(to));
  }

  /** Node `n` made private (created if 0, copied if shared); the caller stores the result in its slot. */
  private privateNode(n: number, level: number): number {
    if (n !== 0 && this.nRefs[n] === 1) return n;
    const m = this.takeNode();
    const ma = this.node(m);
    const mb = RefBlockStore.nodeBase(m);
    if (n === 0) {
      ma.fill(0, mb, mb + FANOUT);
      return m;
    }
    const nb = RefBlockStore.nodeBase(n);
    ma.set(this.node(n).subarray(nb, nb + FANOUT), mb);
    const refs = level === 0 ? this.bRefs : this.nRefs;
    for (let k = mb; k < mb + FANOUT; k++) {
      const c = ma[k]!;
      if (c !== 0) refs[c]!++;
    }
    this.nRefs[n]!--; // shared, so never the last reference
    return m;
  }

  private wholeSubtree(level: number, lo: number, hi: number): boolean {
    const span = 2 ** (FANOUT_SHIFT * (level + 1));
    const base = lo - (lo % span);
    return lo === base && hi === base + span - 1 && lo >= this.wholeFirst && hi <= this.wholeLast;
  }

  private releaseNode(n: number, level: number): void {
    if (--this.nRefs[n]! !== 0) return;
    const a = this.node(n);
    const base = RefBlockStore.nodeBase(n);
    for (let k = base; k < base + FANOUT; k++) {
      const c = a[k]!;
      if (c === 0) continue;
      if (level === 0) this.unrefBlock(c);
      else this.releaseNode(c, level - 1);
    }
    this.nFree.push(n);
    this.nInUse--;
  }

  // ---- statistics -------------------------------------------------------------------

  private statMapped = 0;
  private statShared = 0;

  private statsWalk(n: number, level: number, shared: boolean): void {
    if (n === 0) return;
    const sh = shared || this.nRefs[n]! > 1;
    const a = this.node(n);
    const base = RefBlockStore.nodeBase(n);
    for (let k = base; k < base + FANOUT; k++) {
      const c = a[k]!;
      if (c === 0) continue;
      if (level > 0) {
        this.statsWalk(c, level - 1, sh);
      } else {
        this.statMapped++;
        if (sh || this.bRefs[c]! > 1) this.statShared++;
      }
    }
  }

  stats(disk: number): DiskStats {
    const d = this.disk(disk);
    if (!d) return { status: STATUS_INVALID_HANDLE, ...NO_STATS };
    this.statMapped = 0;
    this.statShared = 0;
    this.statsWalk(d.root, d.depth - 1, false);
    const B = this.blockSize;
    return {
      status: STATUS_SUCCESS,
      virtualSize: d.size,
      allocatedBytes: this.statMapped * B,
      sharedBytes: this.statShared * B,
      exclusiveBytes: (this.statMapped - this.statShared) * B,
      readOnly: d.readOnly,
    };
  }

  storeStats(): StoreStats {
    return { blockSize: this.blockSize, blocksInUse: this.bInUse, blocksFree: this.bFree.length, quotaBytes: this.quotaBytes, disks: this.live };
  }

  // ---- diff and deltas (assembly/blocks/compare.ts) -----------------------------------

  private cmpFrom = 0;
  private cmpEnd = 0;
  private cmpA: Disk | undefined;
  private cmpB: Disk | undefined;
  private cmpOut: (i: number, pa: number) => void = () => {};

  private isZero(p: number): boolean {
    const d = this.blockData(p);
    const o = this.blockOffset(p);
    // Word at a time: blocks are 512-byte aligned in their chunk.
    const w = new Int32Array(d.buffer, d.byteOffset + o, this.blockSize >>> 2);
    for (let k = 0; k < w.length; k++) if (w[k] !== 0) return false;
    return true;
  }

  private blocksEqual(pa: number, pb: number): boolean {
    if (pa === pb) return true;
    if (pa === 0) return this.isZero(pb);
    if (pb === 0) return this.isZero(pa);
    const da = this.blockData(pa);
    const db = this.blockData(pb);
    const wa = new Int32Array(da.buffer, da.byteOffset + this.blockOffset(pa), this.blockSize >>> 2);
    const wb = new Int32Array(db.buffer, db.byteOffset + this.blockOffset(pb), this.blockSize >>> 2);
    for (let k = 0; k < wa.length; k++) if (wa[k] !== wb[k]) return false;
    return true;
  }

  private child(n: number, level: number, ci: number, d: Disk | undefined): number {
    if (n === VIRTUAL) return ci !== 0 ? 0 : level - 1 >= d!.depth ? VIRTUAL : d!.root;
    if (n === 0) return 0;
    return this.node(n)[RefBlockStore.nodeBase(n) + ci]!;
  }

  private compareWalk(na: number, nb: number, level: number, base: number): void {
    if (na === nb && na !== VIRTUAL) return;
    if (level === 0) {
      const aa = na === 0 ? undefined : this.node(na);
      const ab = nb === 0 ? undefined : this.node(nb);
      const ba = RefBlockStore.nodeBase(na);
      const bb = RefBlockStore.nodeBase(nb);
      for (let k = 0; k < FANOUT; k++) {
        const i = base + k;
        if (i < this.cmpFrom) continue;
        if (i >= this.cmpEnd) return;
        const pa = aa ? aa[ba + k]! : 0;
        const pb = ab ? ab[bb + k]! : 0;
        if (!this.blocksEqual(pa, pb)) this.cmpOut(i, pa);
      }
      return;
    }
    const childSpan = 2 ** (FANOUT_SHIFT * level);
    for (let ci = 0; ci < FANOUT; ci++) {
      const cb = base + ci * childSpan;
      if (cb >= this.cmpEnd) return;
      if (cb + childSpan <= this.cmpFrom) continue;
      this.compareWalk(this.child(na, level, ci, this.cmpA), this.child(nb, level, ci, this.cmpB), level - 1, cb);
    }
  }

  /** Calls `out` for each block in [0, end) whose contents differ between a and b (b undefined: an empty disk). */
  private compare(a: Disk, b: Disk | undefined, end: number, out: (i: number, pa: number) => void): void {
    const empty: Disk = { root: 0, depth: 1, size: 0, count: 0, readOnly: false };
    const db = b ?? empty;
    this.cmpA = a;
    this.cmpB = db;
    this.cmpFrom = 0;
    this.cmpEnd = end;
    this.cmpOut = out;
    const top = Math.max(a.depth, db.depth);
    this.compareWalk(a.depth === top ? a.root : VIRTUAL, db.depth === top ? db.root : VIRTUAL, top - 1, 0);
    this.cmpA = this.cmpB = undefined;
  }

  diff(a: number, b: number): DiffResult {
    const da = this.disk(a);
    const db = this.disk(b);
    if (!da || !db) return { status: STATUS_INVALID_HANDLE, ranges: [] };
    const B = this.blockSize;
    const maxSize = Math.max(da.size, db.size);
    const ranges: ByteRange[] = [];
    let runFirst = -1;
    let runEnd = -1;
    const flush = (): void => {
      if (runFirst < 0) return;
      const offset = runFirst * B;
      ranges.push({ offset, length: Math.min(runEnd * B, maxSize) - offset });
    };
    this.compare(da, db, Math.max(da.count, db.count), (i) => {
      if (i === runEnd) {
        runEnd++;
        return;
      }
      flush();
      runFirst = i;
      runEnd = i + 1;
    });
    flush();
    return { status: STATUS_SUCCESS, ranges };
  }

  exportDelta(disk: number, base: number): DeltaResult {
    const d = this.disk(disk);
    const b = base === 0 ? undefined : this.disk(base);
    if (!d || (base !== 0 && !b)) return { status: STATUS_INVALID_HANDLE, delta: new Uint8Array(0) };
    const indexes: number[] = [];
    const blocks: number[] = [];
    let dataEntries = 0;
    this.compare(d, b, d.count, (i, pa) => {
      const data = pa !== 0 && !this.isZero(pa);
      indexes.push(i);
      blocks.push(data ? pa : 0);
      if (data) dataEntries++;
    });
    const w = new DeltaWriter(this.blockSize, d.size, indexes.length, dataEntries);
    for (let k = 0; k < indexes.length; k++) {
      const p = blocks[k]!;
      if (p === 0) {
        w.zeros(indexes[k]!);
        continue;
      }
      const at = w.data(indexes[k]!);
      const o = this.blockOffset(p);
      w.bytes.set(this.blockData(p).subarray(o, o + this.blockSize), at);
    }
    return { status: STATUS_SUCCESS, delta: w.bytes };
  }

  importDelta(base: number, delta: Uint8Array): DiskResult {
    const b = base === 0 ? undefined : this.disk(base);
    if (base !== 0 && !b) return { status: STATUS_INVALID_HANDLE, disk: 0 };
    const parsed = parseDelta(delta, this.blockSize);
    if (!parsed) return { status: STATUS_INVALID_PARAMETER, disk: 0 };
    const B = this.blockSize;
    const size = parsed.virtualSize;
    const count = Math.ceil(size / B);
    const n = parsed.indexes.length;
    const baseDepth = b ? b.depth : 1;
    const baseSize = b ? b.size : 0;
    // Shrinking below the base: as blkImportBegin, the part beyond the new
    // size is discarded, the partial last block zero-filled unless an entry replaces it.
    const shrink = size < baseSize;
    const shrinkFirst = Math.floor(size / B);
    const tailEntry = n > 0 && parsed.indexes[n - 1] === count - 1;
    const shrinkHead = tailEntry ? 0 : size - shrinkFirst * B;
    const shrinkLast = b ? b.count - 1 : 0;
    let blocks = parsed.dataEntries;
    if (shrink) {
      this.setRange(shrinkFirst, shrinkLast, shrinkHead, B);
      this.walk(Walk.ScanDiscard, b!.root, baseDepth - 1, true, shrinkFirst, shrinkLast);
      blocks += this.needBlocks;
    }
    if (this.bInUse + blocks > this.quotaBlocks) return { status: STATUS_DISK_FULL, disk: 0 };
    const rec: Disk = { root: b ? b.root : 0, depth: baseDepth, size: baseSize, count: b ? b.count : 0, readOnly: false };
    const id = this.newDisk(rec);
    if (id === 0) return { status: STATUS_DISK_FULL, disk: 0 };
    if (rec.root !== 0) this.nRefs[rec.root]!++;
    if (shrink) {
      this.setRange(shrinkFirst, shrinkLast, shrinkHead, B);
      rec.root = this.walk(Walk.Discard, rec.root, baseDepth - 1, false, shrinkFirst, shrinkLast);
    }
    // Growing past what the base's tree covers: new roots above it, the old root as child 0.
    const depth = Math.max(baseDepth, depthFor(count));
    for (let level = baseDepth; level < depth && rec.root !== 0; level++) {
      const m = this.takeNode();
      const mb = RefBlockStore.nodeBase(m);
      const ma = this.node(m);
      ma.fill(0, mb, mb + FANOUT);
      ma[mb] = rec.root;
      rec.root = m;
    }
    rec.depth = depth;
    rec.size = size;
    rec.count = count;
    for (let k = 0; k < n; k++) {
      const index = parsed.indexes[k]!;
      if (parsed.kinds[k] === DeltaKind.Zeros) {
        this.discardBlocks(rec, index, index, 0, B);
        continue;
      }
      this.writeRange(rec, index, index, 0, B);
      const p = this.ids[0]!;
      const at = parsed.dataOffsets[k]!;
      this.blockData(p).set(delta.subarray(at, at + B), this.blockOffset(p));
    }
    return { status: STATUS_SUCCESS, disk: id };
  }

  // ---- audit (assembly/blocks/audit.ts) ------------------------------------------------

  audit(): AuditResult {
    const expN = new Uint32Array(this.nTop);
    const expB = new Uint32Array(this.bTop);
    const mappers = new Uint32Array(this.bTop);
    let problem: [number, number, number, number] | undefined;
    const report = (code: number, a: number, b: number, c: number): void => {
      problem ??= [code, a, b, c];
    };
    const distinct = (n: number, level: number): void => {
      const a = this.node(n);
      const base = RefBlockStore.nodeBase(n);
      for (let k = 0; k < FANOUT; k++) {
        const c = a[base + k]!;
        if (c === 0) continue;
        if (c >= (level > 0 ? this.nTop : this.bTop)) {
          report(AuditProblem.BadId, n, c, level);
          continue;
        }
        if (level === 0) expB[c]!++;
        else if (++expN[c]! === 1) distinct(c, level - 1);
      }
    };
    const walk = (id: number, d: Disk, n: number, level: number, start: number): void => {
      const a = this.node(n);
      const base = RefBlockStore.nodeBase(n);
      for (let k = 0; k < FANOUT; k++) {
        const c = a[base + k]!;
        if (c === 0 || c >= (level > 0 ? this.nTop : this.bTop)) continue;
        const i = start + k * 2 ** (FANOUT_SHIFT * level);
        if (level > 0) {
          walk(id, d, c, level - 1, i);
          continue;
        }
        mappers[c]!++;
        if (i >= d.count) report(AuditProblem.BeyondEnd, id, i, d.count);
        else if (i === d.count - 1) {
          const visible = d.size - i * this.blockSize;
          const data = this.blockData(c);
          const o = this.blockOffset(c);
          for (let x = visible; x < this.blockSize; x++) {
            if (data[o + x] !== 0) {
              report(AuditProblem.Tail, id, i, x);
              break;
            }
          }
        }
      }
    };
    for (let id = 1; id < this.disks.length; id++) {
      const d = this.disks[id];
      if (!d) continue;
      if (d.depth < depthFor(d.count) || d.depth > MAX_DEPTH) report(AuditProblem.Depth, id, d.depth, d.count);
      if (d.root === 0) continue;
      if (d.root >= this.nTop) {
        report(AuditProblem.BadId, id, d.root, 0);
        continue;
      }
      if (++expN[d.root]! === 1) distinct(d.root, d.depth - 1);
      walk(id, d, d.root, d.depth - 1, 0);
    }
    if (!problem) this.checkPool(this.nRefs, expN, this.nTop, this.nFree, this.nInUse, AuditProblem.NodeRefs, AuditProblem.FreeNode, AuditProblem.NodeCount, report);
    if (!problem) this.checkPool(this.bRefs, expB, this.bTop, this.bFree, this.bInUse, AuditProblem.BlockRefs, AuditProblem.FreeBlock, AuditProblem.BlockCount, report);
    if (!problem && this.bInUse > this.quotaBlocks) report(AuditProblem.Quota, this.bInUse, this.quotaBlocks, 0);
    if (!problem && this.live + this.freeDisks.length !== this.disks.length - 1) report(AuditProblem.Disks, this.live, this.freeDisks.length, this.disks.length - 1);
    const out = new Map<number, number>();
    for (let p = 1; p < this.bTop; p++) if (mappers[p]! > 0) out.set(p, mappers[p]!);
    const [code, a, b, c] = problem ?? [AuditProblem.None, 0, 0, 0];
    return auditResult(code, a, b, c, out);
  }

  private checkPool(
    refs: Uint32Array,
    expected: Uint32Array,
    top: number,
    free: number[],
    inUse: number,
    refsCode: number,
    freeCode: number,
    countCode: number,
    report: (code: number, a: number, b: number, c: number) => void,
  ): void {
    let used = 0;
    for (let id = 1; id < top; id++) {
      if (refs[id] !== expected[id]) return report(refsCode, id, expected[id]!, refs[id]!);
      if (refs[id] !== 0) used++;
    }
    // Most recently freed first, as the WASM store walks its list.
    for (let k = free.length - 1; k >= 0; k--) {
      const id = free[k]!;
      if (id >= top || refs[id] !== 0 || expected[id] !== 0) return report(freeCode, id, free.length - 1 - k, 0);
      expected[id] = 0xffffffff;
    }
    if (used !== inUse || used + free.length !== top - 1) report(countCode, used, free.length, top - 1);
  }

  // ---- introspection for tests ---------------------------------------------------------

  /** The physical block `disk` maps at block `index` (0: none or bad arguments). */
  physicalBlock(disk: number, index: number): number {
    const d = this.disk(disk);
    if (!d || !Number.isInteger(index) || index < 0 || index >= d.count) return 0;
    return this.lookup(d, index);
  }
}
