/**
 * The block store backed by assembly/blocks (build/blocks.wasm).
 *
 * Data crosses once: a write asks the module to make the blocks of its span
 * private and hand back their addresses, then copies the caller's bytes
 * straight into linear memory; a read gets the addresses of the mapped
 * blocks and copies out of linear memory (zero-filling unmapped ones).
 * Batches (BlockBatch) hand the module many block indexes in the IO area
 * and get their addresses back in one call, then copy each block once.
 * Any call that may allocate can grow the memory, which detaches the old
 * ArrayBuffer, so the views are re-taken after it (`views`).
 */
import { instantiateCore } from '../wasm.js';
import { STATUS_INVALID_HANDLE, STATUS_INVALID_PARAMETER, STATUS_SUCCESS } from '../ntstatus.js';
import { NtStatusError } from '../errors.js';
import { auditResult } from './audit.js';
import { DeltaKind, DeltaWriter, parseDelta } from './delta.js';
import { BLOCK_LIMITS, resolveOptions } from './limits.js';
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

/** The raw exports (assembly/blocks/index.ts documents each). */
export interface BlocksExports extends WebAssembly.Exports {
  memory: WebAssembly.Memory;
  blkInit(shift: number, quotaBlocks: number, maxPages: number): number;
  blkBuffers(): number;
  /** The new disk's id (> 0), or a failure status (< 0). */
  blkCreate(size: number): number;
  /** The new disk's id (> 0), or a failure status (< 0). */
  blkClone(disk: number): number;
  blkSnapshot(disk: number): number;
  blkDelete(disk: number): number;
  /** f64: < 0 a status, > 0 the address of a one-block span, 0 success otherwise. */
  blkWrite(disk: number, offset: number, length: number): number;
  /** f64: < 0 a status, 1 a one-block span reading zeros, > 1 its address, 0 success otherwise. */
  blkRead(disk: number, offset: number, length: number): number;
  /** f64: < 0 a status, > 1 the address of the (now private) span. */
  blkMapWrite(disk: number, offset: number, length: number): number;
  blkAddrs(disk: number, first: number, count: number): number;
  /** IO[0 … count) block indexes → their addresses (0: reads zeros). */
  blkReadBlocks(disk: number, count: number): number;
  /** IO[0 … count) block indexes made private → their addresses, for the caller to fill; out[0] = blocks prepared. */
  blkWriteBlocks(disk: number, count: number): number;
  blkDiscard(disk: number, offset: number, length: number): number;
  blkStats(disk: number): number;
  blkStoreStats(): number;
  blkDiff(a: number, b: number, from: number): number;
  blkExport(disk: number, base: number, from: number): number;
  blkImportBegin(base: number, size: number, dataEntries: number, nodeBound: number, tailEntry: number): number;
  blkImportApply(disk: number, count: number): number;
  blkAudit(): number;
  blkPhysical(disk: number, index: number): number;
  blkSize(disk: number): number;
  blkLiveBytes(): number;
  blkScratch(bytes: number): number;
  blkCopyFloor(dst: number, src: number, n: number, times: number, stride: number): void;
}

export interface WasmBlockStoreOptions extends BlockStoreOptions {
  /**
   * Cap the module's memory at this many 64 KiB pages (default: the wasm32
   * ceiling, 65536). Reaching it answers STATUS_DISK_FULL, as the quota does.
   */
  maxPages?: number;
}

const NO_STATS: Omit<DiskStats, 'status'> = { virtualSize: 0, allocatedBytes: 0, sharedBytes: 0, exclusiveBytes: 0, readOnly: false };
const DONE = 0xffffffff;
const PAIRS = BLOCK_LIMITS.ioEntries >>> 1;

/** Bits of a block index each map level takes, and the most levels (assembly/blocks/layout.ts). */
const FANOUT_SHIFT = 10;
const MAX_DEPTH = 4;

/** An upper bound on the map nodes a delta's entries touch: distinct index prefixes at each level. */
function nodeBound(indexes: Uint32Array): number {
  let bound = 0;
  for (let level = 0; level < MAX_DEPTH; level++) {
    const span = 2 ** (FANOUT_SHIFT * (level + 1));
    let previous = -1;
    for (let k = 0; k < indexes.length; k++) {
      const prefix = Math.floor(indexes[k]! / span);
      if (prefix !== previous) bound++;
      previous = prefix;
    }
  }
  return bound;
}

export class WasmBlockStore implements BlockStore, BlockMapping, BlockBatch {
  readonly impl = 'wasm' as const;
  readonly blockSize: number;
  /** The raw exports, for tests and benchmarks that probe the ABI. */
  readonly exports: BlocksExports;
  private readonly quotaBytes: number;
  private mem!: ArrayBuffer;
  private u8!: Uint8Array;
  private u32!: Uint32Array;
  private f64!: Float64Array;
  /** IO area (byte address, and as a u32 index). */
  private readonly io: number;
  private readonly io32: number;
  /** META out slot 0 as a u32 index; the f64 out slot as an f64 index. */
  private readonly out32: number;
  private readonly outF64: number;
  /** BlockMapping: the last map's array (linear memory, or `zeros`) and offset. */
  mapped: Uint8Array = new Uint8Array(0);
  mappedOffset = 0;
  /** What an unmapped block maps to for reading. */
  private readonly zeros: Uint8Array;

  constructor(options: WasmBlockStoreOptions = {}) {
    const o = resolveOptions(options);
    this.blockSize = o.blockSize;
    this.quotaBytes = o.quotaBytes;
    this.exports = instantiateCore<BlocksExports>('blocks');
    const maxPages = options.maxPages ?? 0;
    if (!Number.isInteger(maxPages) || maxPages < 0) throw new NtStatusError('blocks.create', STATUS_INVALID_PARAMETER, `maxPages ${maxPages}`);
    const st = this.exports.blkInit(o.blockShift, o.quotaBlocks, maxPages);
    if (st !== STATUS_SUCCESS) throw new NtStatusError('blocks.create', st, 'block store');
    const meta = this.exports.blkBuffers();
    this.views();
    this.io = this.u32[meta >>> 2]!;
    this.io32 = this.io >>> 2;
    this.out32 = (meta + 16) >>> 2;
    this.outF64 = (meta + 64) >>> 3;
    this.zeros = new Uint8Array(this.blockSize);
  }

  /**
   * (Re)creates the typed views after the module's memory grew. Growing
   * detaches the old buffer, so a view of length 0 means "call me"; the
   * hot paths check that rather than `memory.buffer`, whose getter costs
   * about as much as a whole small write.
   */
  private views(): void {
    const b = this.exports.memory.buffer;
    if (b === this.mem) return;
    this.mem = b;
    this.u8 = new Uint8Array(b);
    this.u32 = new Uint32Array(b);
    this.f64 = new Float64Array(b);
  }

  // ---- disks ------------------------------------------------------------------------

  createDisk(virtualSize: number): DiskResult {
    const r = this.exports.blkCreate(virtualSize);
    return r > 0 ? { status: STATUS_SUCCESS, disk: r } : { status: r, disk: 0 };
  }

  clone(disk: number): DiskResult {
    if (disk >>> 0 !== disk) return { status: STATUS_INVALID_HANDLE, disk: 0 };
    const r = this.exports.blkClone(disk);
    return r > 0 ? { status: STATUS_SUCCESS, disk: r } : { status: r, disk: 0 };
  }

  snapshot(disk: number): number {
    return disk >>> 0 !== disk ? STATUS_INVALID_HANDLE : this.exports.blkSnapshot(disk);
  }

  deleteDisk(disk: number): number {
    return disk >>> 0 !== disk ? STATUS_INVALID_HANDLE : this.exports.blkDelete(disk);
  }

  private out(i: number): number {
    this.views();
    return this.u32[this.out32 + i]!;
  }

  // ---- data -------------------------------------------------------------------------

  write(disk: number, offset: number, data: Uint8Array): number {
    if (disk >>> 0 !== disk) return STATUS_INVALID_HANDLE;
    const r = this.exports.blkWrite(disk, offset, data.length);
    if (r > 0) {
      // One block: r is where the bytes go. A grown memory detached the old views (length 0).
      if (this.u8.length === 0) this.views();
      this.u8.set(data, r);
      return STATUS_SUCCESS;
    }
    if (r < 0 || data.length === 0) return r;
    this.views();
    this.copyIn(disk, this.u32[this.out32 + 1]!, this.u32[this.out32]!, offset % this.blockSize, data);
    return STATUS_SUCCESS;
  }

  /** Copies a write's bytes into its (already private) blocks; spans beyond the IO area fetch more addresses. */
  private copyIn(disk: number, first: number, n: number, head: number, data: Uint8Array): void {
    const B = this.blockSize;
    let pos = 0;
    for (let k = 0; k < n; k++) {
      const slot = k % BLOCK_LIMITS.ioEntries;
      if (slot === 0 && k > 0) this.exports.blkAddrs(disk, first + k, Math.min(BLOCK_LIMITS.ioEntries, n - k));
      const start = k === 0 ? head : 0;
      const take = Math.min(B - start, data.length - pos);
      this.u8.set(data.subarray(pos, pos + take), this.u32[this.io32 + slot]! + start);
      pos += take;
    }
  }

  read(disk: number, offset: number, into: Uint8Array): number {
    if (disk >>> 0 !== disk) return STATUS_INVALID_HANDLE;
    const length = into.length;
    const x = this.exports;
    const r = x.blkRead(disk, offset, length);
    if (r > 1) {
      if (this.u8.length === 0) this.views();
      into.set(this.u8.subarray(r, r + length));
      return STATUS_SUCCESS;
    }
    if (r === 1) {
      into.fill(0);
      return STATUS_SUCCESS;
    }
    if (r < 0 || length === 0) return r;
    this.views();
    const u32 = this.u32;
    const n = u32[this.out32]!;
    const first = u32[this.out32 + 1]!;
    const B = this.blockSize;
    const head = offset % B;
    let pos = 0;
    for (let k = 0; k < n; k++) {
      const slot = k % BLOCK_LIMITS.ioEntries;
      if (slot === 0 && k > 0) x.blkAddrs(disk, first + k, Math.min(BLOCK_LIMITS.ioEntries, n - k));
      const start = k === 0 ? head : 0;
      const take = Math.min(B - start, length - pos);
      const addr = u32[this.io32 + slot]!;
      if (addr === 0) into.fill(0, pos, pos + take);
      else into.set(this.u8.subarray(addr + start, addr + start + take), pos);
      pos += take;
    }
    return STATUS_SUCCESS;
  }

  // ---- batches (BlockBatch) ----------------------------------------------------------

  /**
   * The checks types.ts orders for a batch, before any block moves: the
   * handle and protection (the module's, asked with an empty batch), then
   * the buffer and every index — a batch larger than the IO area takes
   * several calls, and none may start if a later one would refuse.
   */
  private batchCheck(disk: number, blocks: Uint32Array, buffer: Uint8Array, write: boolean): number {
    if (disk >>> 0 !== disk) return STATUS_INVALID_HANDLE;
    const x = this.exports;
    const st = write ? x.blkWriteBlocks(disk, 0) : x.blkReadBlocks(disk, 0);
    if (st !== STATUS_SUCCESS) return st;
    const B = this.blockSize;
    if (buffer.length < blocks.length * B) return STATUS_INVALID_PARAMETER;
    const whole = Math.floor(x.blkSize(disk) / B);
    for (let k = 0; k < blocks.length; k++) if (blocks[k]! >= whole) return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
  }

  readBlocks(disk: number, blocks: Uint32Array, into: Uint8Array): number {
    const st = this.batchCheck(disk, blocks, into, false);
    if (st !== STATUS_SUCCESS) return st;
    const x = this.exports;
    const B = this.blockSize;
    const io32 = this.io32;
    for (let at = 0; at < blocks.length; at += BLOCK_LIMITS.ioEntries) {
      const n = Math.min(BLOCK_LIMITS.ioEntries, blocks.length - at);
      if (this.u8.length === 0) this.views();
      this.u32.set(blocks.subarray(at, at + n), io32);
      const r = x.blkReadBlocks(disk, n);
      if (r !== STATUS_SUCCESS) return r;
      const u8 = this.u8;
      const u32 = this.u32;
      for (let k = 0; k < n; k++) {
        const a = u32[io32 + k]!;
        const to = (at + k) * B;
        if (a === 0) into.fill(0, to, to + B);
        else into.set(u8.subarray(a, a + B), to);
      }
    }
    return STATUS_SUCCESS;
  }

  writeBlocks(disk: number, blocks: Uint32Array, data: Uint8Array): number {
    const st = this.batchCheck(disk, blocks, data, true);
    if (st !== STATUS_SUCCESS) return st;
    const x = this.exports;
    const B = this.blockSize;
    const io32 = this.io32;
    for (let at = 0; at < blocks.length; at += BLOCK_LIMITS.ioEntries) {
      const n = Math.min(BLOCK_LIMITS.ioEntries, blocks.length - at);
      if (this.u8.length === 0) this.views();
      this.u32.set(blocks.subarray(at, at + n), io32);
      const r = x.blkWriteBlocks(disk, n);
      // The blocks prepared (all, or those before a failure) are filled either way: they are the disk's now.
      if (this.u8.length === 0) this.views();
      const u8 = this.u8;
      const u32 = this.u32;
      const done = u32[this.out32]!;
      for (let k = 0; k < done; k++) u8.set(data.subarray((at + k) * B, (at + k + 1) * B), u32[io32 + k]!);
      if (r !== STATUS_SUCCESS) return r;
    }
    return STATUS_SUCCESS;
  }

  // ---- mapped access (BlockMapping) ------------------------------------------------

  mapForRead(disk: number, offset: number, length: number): number {
    if (disk >>> 0 !== disk) return STATUS_INVALID_HANDLE;
    const r = this.exports.blkRead(disk, offset, length);
    if (r > 1) {
      if (this.u8.length === 0) this.views();
      this.mapped = this.u8;
      this.mappedOffset = r;
      return STATUS_SUCCESS;
    }
    if (r === 1) {
      this.mapped = this.zeros;
      this.mappedOffset = offset & (this.blockSize - 1);
      return STATUS_SUCCESS;
    }
    // 0: an empty span, or one over several blocks.
    return r < 0 ? r : STATUS_INVALID_PARAMETER;
  }

  mapForWrite(disk: number, offset: number, length: number): number {
    if (disk >>> 0 !== disk) return STATUS_INVALID_HANDLE;
    const r = this.exports.blkMapWrite(disk, offset, length);
    if (r < 0) return r;
    if (this.u8.length === 0) this.views();
    this.mapped = this.u8;
    this.mappedOffset = r;
    return STATUS_SUCCESS;
  }

  discard(disk: number, offset: number, length: number): number {
    return disk >>> 0 !== disk ? STATUS_INVALID_HANDLE : this.exports.blkDiscard(disk, offset, length);
  }

  // ---- statistics -------------------------------------------------------------------

  stats(disk: number): DiskStats {
    const status = disk >>> 0 !== disk ? STATUS_INVALID_HANDLE : this.exports.blkStats(disk);
    if (status !== STATUS_SUCCESS) return { status, ...NO_STATS };
    const B = this.blockSize;
    const mapped = this.out(0);
    const shared = this.out(1);
    return {
      status,
      virtualSize: this.f64[this.outF64]!,
      allocatedBytes: mapped * B,
      sharedBytes: shared * B,
      exclusiveBytes: (mapped - shared) * B,
      readOnly: this.out(2) === 1,
    };
  }

  storeStats(): StoreStats {
    this.exports.blkStoreStats();
    return { blockSize: this.blockSize, blocksInUse: this.out(0), blocksFree: this.out(1), quotaBytes: this.quotaBytes, disks: this.out(2) };
  }

  // ---- diff and deltas --------------------------------------------------------------

  /** Runs blkDiff/blkExport to the end, calling `each(first, second)` per IO pair. */
  private pairs(call: (from: number) => number, each: (first: number, second: number) => void): number {
    let from = 0;
    for (;;) {
      const status = call(from);
      if (status !== STATUS_SUCCESS) return status;
      const n = this.out(0);
      const resume = this.out(1);
      const u32 = this.u32;
      for (let k = 0; k < n; k++) each(u32[this.io32 + 2 * k]!, u32[this.io32 + 2 * k + 1]!);
      if (resume === DONE) return STATUS_SUCCESS;
      from = resume;
    }
  }

  diff(a: number, b: number): DiffResult {
    if (a >>> 0 !== a || b >>> 0 !== b) return { status: STATUS_INVALID_HANDLE, ranges: [] };
    const x = this.exports;
    const ranges: ByteRange[] = [];
    const B = this.blockSize;
    const maxSize = Math.max(x.blkSize(a), x.blkSize(b));
    const status = this.pairs(
      (from) => x.blkDiff(a, b, from),
      (first, count) => {
        const offset = first * B;
        ranges.push({ offset, length: Math.min((first + count) * B, maxSize) - offset });
      },
    );
    return status === STATUS_SUCCESS ? { status, ranges } : { status, ranges: [] };
  }

  exportDelta(disk: number, base: number): DeltaResult {
    if (disk >>> 0 !== disk || base >>> 0 !== base) return { status: STATUS_INVALID_HANDLE, delta: new Uint8Array(0) };
    const x = this.exports;
    const indexes: number[] = [];
    const addrs: number[] = [];
    let dataEntries = 0;
    // blkExport allocates nothing, so the addresses stay valid until the copy below.
    const status = this.pairs(
      (from) => x.blkExport(disk, base, from),
      (index, addr) => {
        indexes.push(index);
        addrs.push(addr);
        if (addr !== 0) dataEntries++;
      },
    );
    if (status !== STATUS_SUCCESS) return { status, delta: new Uint8Array(0) };
    const B = this.blockSize;
    const w = new DeltaWriter(B, x.blkSize(disk), indexes.length, dataEntries);
    const u8 = this.u8;
    for (let k = 0; k < indexes.length; k++) {
      const addr = addrs[k]!;
      if (addr === 0) w.zeros(indexes[k]!);
      else w.bytes.set(u8.subarray(addr, addr + B), w.data(indexes[k]!));
    }
    return { status, delta: w.bytes };
  }

  importDelta(base: number, delta: Uint8Array): DiskResult {
    const x = this.exports;
    if (base >>> 0 !== base || (base !== 0 && x.blkSize(base) < 0)) return { status: STATUS_INVALID_HANDLE, disk: 0 };
    const parsed = parseDelta(delta, this.blockSize);
    if (!parsed) return { status: STATUS_INVALID_PARAMETER, disk: 0 };
    const { indexes, kinds, dataOffsets } = parsed;
    const n = indexes.length;
    const B = this.blockSize;
    const tailEntry = n > 0 && indexes[n - 1] === Math.ceil(parsed.virtualSize / B) - 1 ? 1 : 0;
    let status = x.blkImportBegin(base, parsed.virtualSize, parsed.dataEntries, nodeBound(indexes), tailEntry);
    if (status !== STATUS_SUCCESS) return { status, disk: 0 };
    const disk = this.out(0);
    for (let at = 0; at < n; at += PAIRS) {
      const m = Math.min(PAIRS, n - at);
      this.views();
      for (let k = 0; k < m; k++) {
        this.u32[this.io32 + 2 * k] = indexes[at + k]!;
        this.u32[this.io32 + 2 * k + 1] = kinds[at + k]!;
      }
      status = x.blkImportApply(disk, m);
      if (status !== STATUS_SUCCESS) {
        // Only reachable if blkImportBegin's reservation was wrong: undo, so nothing is created.
        x.blkDelete(disk);
        return { status, disk: 0 };
      }
      this.views();
      for (let k = 0; k < m; k++) {
        if (kinds[at + k] !== DeltaKind.Data) continue;
        const from = dataOffsets[at + k]!;
        this.u8.set(delta.subarray(from, from + B), this.u32[this.io32 + 2 * k + 1]!);
      }
    }
    return { status: STATUS_SUCCESS, disk };
  }

  // ---- audit and introspection ------------------------------------------------------

  audit(): AuditResult {
    this.exports.blkAudit();
    const code = this.out(0);
    const mappersAt = this.out(4) >>> 2;
    const length = this.out(5);
    const mappers = new Map<number, number>();
    for (let p = 1; p < length; p++) {
      const m = this.u32[mappersAt + p]!;
      if (m > 0) mappers.set(p, m);
    }
    return auditResult(code, this.out(1), this.out(2), this.out(3), mappers);
  }

  /** The physical block `disk` maps at block `index` (0: none or bad arguments). */
  physicalBlock(disk: number, index: number): number {
    if (disk >>> 0 !== disk || index >>> 0 !== index) return 0;
    return this.exports.blkPhysical(disk, index);
  }

  /** Bytes of linear memory the store's structures and blocks hold. */
  liveBytes(): number {
    return this.exports.blkLiveBytes();
  }
}
