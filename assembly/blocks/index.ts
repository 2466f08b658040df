// The block store ABI (src/core/blocks/types.ts is the contract; wasm.ts
// the binding). Every export returns an NTSTATUS as i32 unless its comment
// says otherwise; results come back through the META out slots and the IO
// area, whose addresses blkBuffers() gives once.
//
//   META  128 bytes: [0] IO address [4] IO entries [8] META address
//         +16 … +63  out slots u32 × 12 (setOut)      +64  out f64 (a virtual size)
//   IO    IO_ENTRIES × u32: block addresses of a read/write, diff ranges,
//         delta entries (import: in and out); the audit's mappers have an array of their own
//
// Sizes and offsets cross as f64 (JS numbers: integers up to 2^53, no
// BigInt on the hot path); ids and counts as u32.
//
// Reads and writes move no data through the ABI: blkWrite makes the blocks
// of a range private (copy-on-write, zero-fill or read-modify-write as
// needed) and returns their addresses, blkRead returns the addresses of the
// mapped blocks (0 where a block reads zeros); the binding then copies the
// caller's bytes straight into or out of linear memory, once. For a span in
// one block — the common case — the address is the return value itself (an
// f64: negative = a failure status), so the call needs no out slot.

import { alloc, free, arenaLiveBytes, arenaSetPageCeiling } from '../rt/arena';
import * as S from '../rt/ntstatus';
import { IO_ENTRIES, MIN_BLOCK_SHIFT, MAX_BLOCK_SHIFT, SECTOR_BYTES, MAX_VIRTUAL_SIZE } from './limits';
import { D_ROOT, D_DEPTH, D_FLAGS, D_SIZE, D_COUNT, DISK_READ_ONLY, NODE_BYTES, FANOUT_SHIFT, FANOUT_MASK, LEAF_OWN, LEAF_ID } from './layout';
import { BLOCKS, NODES, poolsInit, reserve, take, unref, addRef, refs, inUse, freeCount, nodeAddr, blockAddr } from './pool';
import { diskRec, isDisk, liveDisks, reserveDisk, newDisk, freeDisk, depthFor } from './disks';
import {
  blockSize, blockShift, setBlockShift, setRange, needNodes, needBlocks, walk, WALK_READ, WALK_SCAN_WRITE,
  WALK_WRITE, WALK_SCAN_DISCARD, WALK_DISCARD, releaseNode, statsWalk, resetStats, statMapped, statShared, lookup, rootSlot,
  diskDepth, diskBlocks,
} from './map';
import { compareWalk, MODE_DIFF, MODE_EXPORT, written, resumeAt } from './compare';
import { audit, AUDIT_NO_MEMORY, problem, problemA, problemB, problemC, mappers, mappersLength } from './audit';

let ready = false;
let META: usize = 0;
let IO: usize = 0;
/** One address slot for single-block changes made while IO holds the caller's input (import). */
let ONE: usize = 0;
let quotaBlocks: u32 = 0;

@inline function setOut(i: i32, v: u32): void {
  store<u32>(META + 16 + (<usize>i << 2), v);
}

/**
 * Sets the store up: blocks of 2^blockShift bytes (9 … 16), at most
 * `quota` blocks in use, memory capped at `maxPages` × 64 KiB (0: the
 * wasm32 ceiling). Once per instance; later calls change nothing.
 */
export function blkInit(shift: i32, quota: f64, maxPages: i32): i32 {
  if (ready) return S.STATUS_SUCCESS;
  if (shift < MIN_BLOCK_SHIFT || shift > MAX_BLOCK_SHIFT || !(quota >= 0)) return S.STATUS_INVALID_PARAMETER;
  if (maxPages > 0) arenaSetPageCeiling(maxPages);
  META = alloc(128);
  IO = alloc(<usize>IO_ENTRIES << 2);
  ONE = alloc(16);
  if (META == 0 || IO == 0 || ONE == 0) return S.STATUS_INSUFFICIENT_RESOURCES;
  setBlockShift(<u32>shift);
  poolsInit(<u32>shift);
  quotaBlocks = quota >= 4294967295 ? 0xffffffff : <u32>quota;
  ready = true;
  return S.STATUS_SUCCESS;
}

/** Writes the buffer addresses into META[0..12) and returns META (0 before blkInit). */
export function blkBuffers(): usize {
  if (!ready) return 0;
  store<u32>(META, <u32>IO);
  store<u32>(META + 4, <u32>IO_ENTRIES);
  store<u32>(META + 8, <u32>META);
  return META;
}

// ---- argument checks ---------------------------------------------------------------

/** A JS number holding an integer 0 … 2^53 − 1 (NaN fails every comparison). */
@inline function isCount(x: f64): bool {
  return x >= 0 && x <= 9007199254740991 && x == Math.floor(x);
}

@inline function validSize(size: f64): bool {
  return isCount(size) && size <= MAX_VIRTUAL_SIZE && size % SECTOR_BYTES == 0;
}

@inline function diskSize(d: u32): f64 {
  return load<f64>(diskRec(d) + D_SIZE);
}

@inline function isReadOnly(d: u32): bool {
  return (load<u8>(diskRec(d) + D_FLAGS) & DISK_READ_ONLY) != 0;
}

/** offset and length integers with offset + length ≤ the disk's size: the class driver's transfer check. */
@inline function inBounds(d: u32, offset: f64, length: f64): bool {
  const size = diskSize(d);
  return isCount(offset) && isCount(length) && offset <= size && length <= size - offset;
}

@inline function blocksFor(size: f64): u32 {
  return <u32>Math.ceil(size / <f64>blockSize);
}

@inline function quotaAllows(blocks: u32): bool {
  return <u64>inUse(BLOCKS) + <u64>blocks <= <u64>quotaBlocks;
}

// Range of a (validated, non-empty) byte span, for setRange.
let spanFirst: u32 = 0;
let spanLast: u32 = 0;
let spanHead: u32 = 0;
let spanTail: u32 = 0;

function span(offset: f64, length: f64): void {
  // Offsets are below 2^41 here (bounds checked), so the u64 arithmetic is exact.
  const start = <u64>offset;
  const endByte = start + <u64>length;
  spanFirst = <u32>(start >> blockShift);
  spanLast = <u32>((endByte - 1) >> blockShift);
  spanHead = <u32>start & (blockSize - 1);
  spanTail = <u32>(endByte - ((<u64>spanLast) << blockShift));
}

/** What `transfer` answers when the span is empty: nothing to do, STATUS_SUCCESS. */
const EMPTY: i32 = 1;

/**
 * The checks a read, write or discard makes, in order — the handle, then
 * (for changes) write protection, then the bounds — and the span of a
 * non-empty transfer. Returns 0 to go ahead, EMPTY, or a failure NTSTATUS.
 */
function transfer(d: u32, offset: f64, length: f64, change: bool): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isDisk(d)) return S.STATUS_INVALID_HANDLE;
  // A read-only disk refuses every change, in bounds or not, as a
  // write-protected medium does.
  if (change && isReadOnly(d)) return S.STATUS_MEDIA_WRITE_PROTECTED;
  if (!inBounds(d, offset, length)) return S.STATUS_INVALID_PARAMETER;
  if (length == 0) return EMPTY;
  span(offset, length);
  return 0;
}

// ---- disks -------------------------------------------------------------------------

/** A new empty disk of `size` bytes: returns its id (> 0), or a failure NTSTATUS (< 0). */
export function blkCreate(size: f64): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!validSize(size)) return S.STATUS_INVALID_PARAMETER;
  if (!reserveDisk()) return S.STATUS_DISK_FULL;
  const d = newDisk();
  const count = blocksFor(size);
  const rec = diskRec(d);
  store<u8>(rec + D_DEPTH, <u8>depthFor(count));
  store<f64>(rec + D_SIZE, size);
  store<u32>(rec + D_COUNT, count);
  return <i32>d;
}

/**
 * A writable disk sharing `d`'s root: O(1) whatever its size. Returns its
 * id (> 0), or a failure NTSTATUS (< 0).
 */
export function blkClone(d: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isDisk(d)) return S.STATUS_INVALID_HANDLE;
  if (!reserveDisk()) return S.STATUS_DISK_FULL;
  const c = newDisk();
  const src = diskRec(d);
  const dst = diskRec(c);
  const root = load<u32>(src + D_ROOT);
  store<u32>(dst + D_ROOT, root);
  store<u8>(dst + D_DEPTH, load<u8>(src + D_DEPTH));
  store<f64>(dst + D_SIZE, load<f64>(src + D_SIZE));
  store<u32>(dst + D_COUNT, load<u32>(src + D_COUNT));
  if (root != 0) addRef(NODES, root);
  return <i32>c;
}

export function blkSnapshot(d: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isDisk(d)) return S.STATUS_INVALID_HANDLE;
  const rec = diskRec(d);
  store<u8>(rec + D_FLAGS, load<u8>(rec + D_FLAGS) | DISK_READ_ONLY);
  return S.STATUS_SUCCESS;
}

export function blkDelete(d: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isDisk(d)) return S.STATUS_INVALID_HANDLE;
  const root = load<u32>(diskRec(d) + D_ROOT);
  if (root != 0) releaseNode(root, diskDepth(d) - 1);
  freeDisk(d);
  return S.STATUS_SUCCESS;
}

// ---- data ----------------------------------------------------------------------------

/**
 * Makes blocks [first, last] of `d` private and puts their addresses in
 * `area` (the first `limit`): counts, checks the quota, reserves, applies —
 * so STATUS_DISK_FULL leaves everything as it was.
 */
function writeBlocks(d: u32, first: u32, last: u32, head: u32, tail: u32, area: usize, limit: u32): i32 {
  setRange(first, last, head, tail, area, limit);
  const level = diskDepth(d) - 1;
  walk(WALK_SCAN_WRITE, rootSlot(d), level, false, first, last);
  if ((needNodes | needBlocks) == 0) return S.STATUS_SUCCESS;
  if (!quotaAllows(needBlocks) || !reserve(BLOCKS, needBlocks) || !reserve(NODES, needNodes)) return S.STATUS_DISK_FULL;
  walk(WALK_WRITE, rootSlot(d), level, false, first, last);
  return S.STATUS_SUCCESS;
}

/** The discard counterpart of writeBlocks: whole blocks unmapped, partial ones zero-filled. */
function discardBlocks(d: u32, first: u32, last: u32, head: u32, tail: u32): i32 {
  setRange(first, last, head, tail, ONE, 0);
  const level = diskDepth(d) - 1;
  walk(WALK_SCAN_DISCARD, rootSlot(d), level, false, first, last);
  if (!quotaAllows(needBlocks) || !reserve(BLOCKS, needBlocks) || !reserve(NODES, needNodes)) return S.STATUS_DISK_FULL;
  walk(WALK_DISCARD, rootSlot(d), level, false, first, last);
  return S.STATUS_SUCCESS;
}

/**
 * Prepares a write of `length` bytes at `offset`: every block of the span
 * is made private to `d`. Blocks the span covers whole are NOT initialised
 * — the caller must fill every byte of them; partial blocks hold their old
 * contents (or zeros).
 *
 * Returns an f64 (a JS number, so one call answers the common case):
 *   < 0   a failure NTSTATUS;
 *   > 0   the span lies in one block: the address its first byte goes to;
 *   0     success otherwise (an empty span, or several blocks: their
 *         addresses are in IO, the first IO_ENTRIES of them — blkAddrs gives
 *         the rest; out[0] = blocks in the span, out[1] = the first one's index).
 */
export function blkWrite(d: u32, offset: f64, length: f64): f64 {
  const go = transfer(d, offset, length, true);
  if (go != 0) return go == EMPTY ? S.STATUS_SUCCESS : go;
  if (spanFirst == spanLast) {
    // The common cases, a write within one block whose map path is already
    // private: one walk down the map, and at most one block to take.
    const p = privateBlockForWrite(d, spanFirst, spanHead != 0 || spanTail != blockSize);
    if (p != 0) return <f64>(blockAddr(p) + <usize>spanHead);
  }
  const st = writeBlocks(d, spanFirst, spanLast, spanHead, spanTail, IO, IO_ENTRIES);
  if (st != S.STATUS_SUCCESS) return st;
  if (spanFirst == spanLast) return <f64>(<usize>load<u32>(IO) + <usize>spanHead);
  setOut(0, spanLast - spanFirst + 1);
  setOut(1, spanFirst);
  return S.STATUS_SUCCESS;
}

/**
 * Maps a span lying within one block for writing in place — what a page
 * fault on a mapped view does: the block is made private to `d` with its
 * contents kept (the old block copied if shared, zeros if it was
 * unmapped) and the address of the span's first byte is returned (> 1).
 * The caller then writes its bytes there. STATUS_INVALID_PARAMETER for an
 * empty span or one crossing a block boundary; otherwise blkWrite's
 * statuses, checked in the same order.
 */
export function blkMapWrite(d: u32, offset: f64, length: f64): f64 {
  const go = transfer(d, offset, length, true);
  if (go != 0) return go == EMPTY ? S.STATUS_INVALID_PARAMETER : go;
  if (spanFirst != spanLast) return S.STATUS_INVALID_PARAMETER;
  const p = privateBlockForWrite(d, spanFirst, true);
  if (p != 0) return <f64>(blockAddr(p) + <usize>spanHead);
  // A head of 1 marks the block partial, so the general path keeps its contents too.
  const st = writeBlocks(d, spanFirst, spanLast, 1, blockSize, IO, IO_ENTRIES);
  if (st != S.STATUS_SUCCESS) return st;
  return <f64>(<usize>load<u32>(IO) + <usize>spanHead);
}

/**
 * Block `i` of `d` made private, when every node on its path is `d`'s
 * alone: the block itself if it is too, else a new block in its place —
 * the copy-on-write of that one block (old contents copied only when
 * `keep`, i.e. the write covers part of it; zeros where it was unmapped),
 * exactly what WALK_WRITE does for it. 0 when a node on the path is shared or missing,
 * or no block can be had: the general path (writeBlocks) then counts,
 * reserves and copies nodes, or answers STATUS_DISK_FULL.
 */
function privateBlockForWrite(d: u32, i: u32, keep: bool): u32 {
  let slot = rootSlot(d);
  let n = load<u32>(slot);
  for (let level = diskDepth(d) - 1; level >= 0; level--) {
    if (n == 0 || refs(NODES, n) != 1) return 0;
    slot = nodeAddr(n) + (<usize>((i >> (FANOUT_SHIFT * <u32>level)) & FANOUT_MASK) << 2);
    n = load<u32>(slot);
  }
  // OWN (layout.ts): the block is this entry's alone, known without reading its count.
  if ((n & LEAF_OWN) != 0) return n & LEAF_ID;
  if (n != 0 && refs(BLOCKS, n) == 1) {
    store<u32>(slot, n | LEAF_OWN);
    return n;
  }
  if (!quotaAllows(1) || !reserve(BLOCKS, 1)) return 0;
  const q = take(BLOCKS);
  if (keep) {
    if (n != 0) memory.copy(blockAddr(q), blockAddr(n), blockSize);
    else memory.fill(blockAddr(q), 0, blockSize);
  }
  if (n != 0) unref(BLOCKS, n);
  store<u32>(slot, q | LEAF_OWN);
  return q;
}

/**
 * Where to read `length` bytes at `offset` from. Returns an f64:
 *   < 0   a failure NTSTATUS;
 *   1     the span lies in one block, which reads zeros;
 *   > 1   the span lies in one block: the address of its first byte;
 *   0     success otherwise (an empty span, or several blocks: their
 *         addresses — 0 where a block reads zeros — are in IO, the first
 *         IO_ENTRIES of them; out[0] = blocks in the span, out[1] = the first one's index).
 */
export function blkRead(d: u32, offset: f64, length: f64): f64 {
  const go = transfer(d, offset, length, false);
  if (go != 0) return go == EMPTY ? S.STATUS_SUCCESS : go;
  if (spanFirst == spanLast) {
    const p = lookup(d, spanFirst);
    return p == 0 ? 1 : <f64>(blockAddr(p) + <usize>spanHead);
  }
  setRange(spanFirst, spanLast, spanHead, spanTail, IO, IO_ENTRIES);
  const last = spanLast - spanFirst >= <u32>IO_ENTRIES ? spanFirst + <u32>IO_ENTRIES - 1 : spanLast;
  walk(WALK_READ, rootSlot(d), diskDepth(d) - 1, false, spanFirst, last);
  setOut(0, spanLast - spanFirst + 1);
  setOut(1, spanFirst);
  return S.STATUS_SUCCESS;
}

// ---- batches (types.ts BlockBatch) ------------------------------------------------------
//
// Whole blocks of one disk by index: IO holds the `count` indexes; the call
// replaces each with its block's address, resolving every block of the
// batch before the binding copies any (the lookups are independent, so
// their cache misses overlap), with one crossing per batch. The binding
// then copies each block straight between the caller's buffer and linear
// memory: one copy, as read() and write() make. (Staging the bytes in
// linear memory for memory.copy measured no faster: a second copy.)

/** A batch's checks: the handle, then (writes) protection, then count and indexes. */
function batchCheck(d: u32, count: u32, change: bool): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  setOut(0, 0);
  if (!isDisk(d)) return S.STATUS_INVALID_HANDLE;
  if (change && isReadOnly(d)) return S.STATUS_MEDIA_WRITE_PROTECTED;
  if (count > <u32>IO_ENTRIES) return S.STATUS_INVALID_PARAMETER;
  // Only blocks wholly within the virtual size: a block past it is a transfer past the end.
  const whole = <u32>Math.floor(diskSize(d) / <f64>blockSize);
  for (let k: u32 = 0; k < count; k++) {
    if (load<u32>(IO + (<usize>k << 2)) >= whole) return S.STATUS_INVALID_PARAMETER;
  }
  return S.STATUS_SUCCESS;
}

/**
 * Where to read blocks IO[0 … count) of `d` from: each index is replaced by
 * its block's address, 0 where it reads zeros. STATUS_INVALID_PARAMETER when
 * count exceeds IO_ENTRIES or a block is not wholly within the disk.
 */
export function blkReadBlocks(d: u32, count: u32): i32 {
  const st = batchCheck(d, count, false);
  if (st != S.STATUS_SUCCESS) return st;
  for (let k: u32 = 0; k < count; k++) {
    const at = IO + (<usize>k << 2);
    const p = lookup(d, load<u32>(at));
    store<u32>(at, p == 0 ? 0 : <u32>blockAddr(p));
  }
  setOut(0, count);
  return S.STATUS_SUCCESS;
}

/**
 * Prepares whole-block writes of blocks IO[0 … count) of `d`, in order:
 * each block is made private (copy-on-write needs no old contents for a
 * whole block) and its index replaced by its address — NOT initialised: the
 * caller fills each, in order (a repeated index has one address; the last
 * fill wins). A failure (STATUS_DISK_FULL) at block k leaves blocks
 * 0 … k − 1 prepared (the caller fills them) and the rest untouched;
 * out[0] = blocks prepared.
 */
export function blkWriteBlocks(d: u32, count: u32): i32 {
  let st = batchCheck(d, count, true);
  if (st != S.STATUS_SUCCESS) return st;
  let done: u32 = 0;
  for (; done < count; done++) {
    const at = IO + (<usize>done << 2);
    const i = load<u32>(at);
    const p = privateBlockForWrite(d, i, false);
    if (p != 0) {
      store<u32>(at, <u32>blockAddr(p));
      continue;
    }
    st = writeBlocks(d, i, i, 0, blockSize, ONE, 1);
    if (st != S.STATUS_SUCCESS) break;
    store<u32>(at, load<u32>(ONE));
  }
  setOut(0, done);
  return st;
}

/** Addresses of blocks first … first + count − 1 (≤ IO_ENTRIES) in IO, 0 where unmapped; no copy-on-write. */
export function blkAddrs(d: u32, first: u32, count: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isDisk(d)) return S.STATUS_INVALID_HANDLE;
  if (count == 0 || count > <u32>IO_ENTRIES || <u64>first + <u64>count > <u64>diskBlocks(d)) return S.STATUS_INVALID_PARAMETER;
  setRange(first, first + count - 1, 0, blockSize, IO, IO_ENTRIES);
  walk(WALK_READ, rootSlot(d), diskDepth(d) - 1, false, first, first + count - 1);
  return S.STATUS_SUCCESS;
}

/**
 * Discards a byte span: whole blocks unmapped, the partial blocks at its
 * ends zero-filled. A block counts as whole when the span covers all of it
 * that lies within the disk (the rest reads zeros anyway, I2).
 */
export function blkDiscard(d: u32, offset: f64, length: f64): i32 {
  const go = transfer(d, offset, length, true);
  if (go != 0) return go == EMPTY ? S.STATUS_SUCCESS : go;
  if (offset + length == diskSize(d)) spanTail = blockSize;
  return discardBlocks(d, spanFirst, spanLast, spanHead, spanTail);
}

// ---- statistics ------------------------------------------------------------------------

/** out[0] = mapped blocks, out[1] = of those shared with another live disk, out[2] = 1 if read-only; f64 out = size. */
export function blkStats(d: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isDisk(d)) return S.STATUS_INVALID_HANDLE;
  resetStats();
  statsWalk(load<u32>(rootSlot(d)), diskDepth(d) - 1, false);
  setOut(0, statMapped);
  setOut(1, statShared);
  setOut(2, isReadOnly(d) ? 1 : 0);
  store<f64>(META + 64, diskSize(d));
  return S.STATUS_SUCCESS;
}

/** out[0] = blocks in use, out[1] = blocks free for reuse, out[2] = live disks, out[3] = nodes in use. */
export function blkStoreStats(): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  setOut(0, inUse(BLOCKS));
  setOut(1, freeCount(BLOCKS));
  setOut(2, liveDisks());
  setOut(3, inUse(NODES));
  return S.STATUS_SUCCESS;
}

// ---- diff and deltas --------------------------------------------------------------------

/**
 * Where `a` and `b` differ, from block `from` on: (first block, count)
 * pairs in IO; out[0] = pairs, out[1] = block to resume at (0xffffffff: done).
 */
export function blkDiff(a: u32, b: u32, from: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  setOut(0, 0);
  if (!isDisk(a) || !isDisk(b)) return S.STATUS_INVALID_HANDLE;
  const ca = diskBlocks(a);
  const cb = diskBlocks(b);
  compareWalk(MODE_DIFF, from, ca > cb ? ca : cb, diskDepth(a), load<u32>(rootSlot(a)), diskDepth(b), load<u32>(rootSlot(b)), IO, <u32>IO_ENTRIES >> 1);
  setOut(0, written);
  setOut(1, resumeAt);
  return S.STATUS_SUCCESS;
}

/**
 * The blocks of `d` whose contents differ from `base`'s (0: an empty
 * disk), from block `from` on: (index, address or 0 for "reads zeros")
 * pairs in IO; out[0] = pairs, out[1] = block to resume at (0xffffffff: done).
 */
export function blkExport(d: u32, base: u32, from: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  setOut(0, 0);
  if (!isDisk(d) || (base != 0 && !isDisk(base))) return S.STATUS_INVALID_HANDLE;
  const depthB = base != 0 ? diskDepth(base) : 1;
  const rootB = base != 0 ? load<u32>(rootSlot(base)) : 0;
  compareWalk(MODE_EXPORT, from, diskBlocks(d), diskDepth(d), load<u32>(rootSlot(d)), depthB, rootB, IO, <u32>IO_ENTRIES >> 1);
  setOut(0, written);
  setOut(1, resumeAt);
  return S.STATUS_SUCCESS;
}

/**
 * Starts an import (the delta already validated by the binding): a new
 * writable disk, a clone of `base` (0: empty) of `size` bytes. `dataEntries`
 * = the delta's data entries, `nodeBound` = an upper bound on the map nodes
 * its entries touch, `tailEntry` = 1 if the delta has an entry for the last
 * block. Everything the import will need is reserved here, so STATUS_DISK_FULL
 * comes now, with nothing created; out[0] = the new disk.
 */
export function blkImportBegin(base: u32, size: f64, dataEntries: u32, nodeBound: u32, tailEntry: i32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  setOut(0, 0);
  if (base != 0 && !isDisk(base)) return S.STATUS_INVALID_HANDLE;
  if (!validSize(size)) return S.STATUS_INVALID_PARAMETER;
  const count = blocksFor(size);
  const baseDepth = base != 0 ? diskDepth(base) : 1;
  const baseSize = base != 0 ? diskSize(base) : 0;
  let depth = depthFor(count);
  if (depth < baseDepth) depth = baseDepth;
  // Shrinking below the base: what lies beyond the new size is discarded
  // (I1, I2); the partial last block is zero-filled past the end unless the
  // delta replaces it anyway.
  let shrinkFirst: u32 = 0;
  let shrinkHead: u32 = 0;
  const shrink = size < baseSize;
  let nodes = nodeBound + <u32>(depth - baseDepth);
  let blocks = dataEntries;
  if (shrink) {
    span(size, baseSize - size);
    shrinkFirst = spanFirst;
    shrinkHead = tailEntry != 0 ? 0 : spanHead;
    setRange(shrinkFirst, spanLast, shrinkHead, blockSize, ONE, 0);
    // The new disk shares base's root, so everything on the paths is shared.
    walk(WALK_SCAN_DISCARD, rootSlot(base), baseDepth - 1, true, shrinkFirst, spanLast);
    nodes += needNodes;
    blocks += needBlocks;
  }
  if (!quotaAllows(blocks) || !reserve(BLOCKS, blocks) || !reserve(NODES, nodes) || !reserveDisk()) return S.STATUS_DISK_FULL;

  const d = newDisk();
  const rec = diskRec(d);
  let root: u32 = 0;
  if (base != 0) {
    root = load<u32>(rootSlot(base));
    if (root != 0) addRef(NODES, root);
  }
  store<u32>(rec + D_ROOT, root);
  store<u8>(rec + D_DEPTH, <u8>baseDepth);
  store<f64>(rec + D_SIZE, baseSize);
  store<u32>(rec + D_COUNT, blocksFor(baseSize));
  if (shrink) {
    setRange(shrinkFirst, spanLast, shrinkHead, blockSize, ONE, 0);
    walk(WALK_DISCARD, rootSlot(d), baseDepth - 1, false, shrinkFirst, spanLast);
  }
  // Growing past what the base's tree covers: new roots above it, the old root as child 0.
  root = load<u32>(rec + D_ROOT);
  for (let level = baseDepth; level < depth; level++) {
    if (root == 0) break;
    const m = take(NODES);
    memory.fill(nodeAddr(m), 0, NODE_BYTES);
    store<u32>(nodeAddr(m), root);
    root = m;
  }
  store<u32>(rec + D_ROOT, root);
  store<u8>(rec + D_DEPTH, <u8>depth);
  store<f64>(rec + D_SIZE, size);
  store<u32>(rec + D_COUNT, count);
  setOut(0, d);
  return S.STATUS_SUCCESS;
}

/**
 * Applies `count` delta entries to disk `d` (from blkImportBegin): IO holds
 * (block index, kind) pairs, ascending; kind 0 unmaps the block ("zeros"),
 * kind 1 makes it a new private block whose address replaces the kind —
 * the caller then fills all of it.
 */
export function blkImportApply(d: u32, count: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isDisk(d)) return S.STATUS_INVALID_HANDLE;
  if (isReadOnly(d)) return S.STATUS_MEDIA_WRITE_PROTECTED;
  if (count > (<u32>IO_ENTRIES >> 1)) return S.STATUS_INVALID_PARAMETER;
  const blocks = diskBlocks(d);
  for (let k: u32 = 0; k < count; k++) {
    const at = IO + (<usize>k << 3);
    const index = load<u32>(at);
    const kind = load<u32>(at, 4);
    if (index >= blocks || kind > 1) return S.STATUS_INVALID_PARAMETER;
    const st = kind == 0
      ? discardBlocks(d, index, index, 0, blockSize)
      : writeBlocks(d, index, index, 0, blockSize, ONE, 1);
    if (st != S.STATUS_SUCCESS) return st;
    if (kind == 1) store<u32>(at, load<u32>(ONE), 4);
  }
  return S.STATUS_SUCCESS;
}

// ---- audit and introspection ----------------------------------------------------------

/**
 * Checks every invariant (audit.ts). out[0] = problem code (0: sound),
 * out[1..3] its numbers, out[4] = address of the mappers array (u32 per
 * block id), out[5] = its length.
 */
export function blkAudit(): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  audit(quotaBlocks);
  setOut(0, <u32>problem);
  setOut(1, problemA);
  setOut(2, problemB);
  setOut(3, problemC);
  setOut(4, <u32>mappers);
  setOut(5, mappersLength);
  if (problem == 0) return S.STATUS_SUCCESS;
  return problem == AUDIT_NO_MEMORY ? S.STATUS_INSUFFICIENT_RESOURCES : S.STATUS_FILE_CORRUPT_ERROR;
}

/** The physical block `d` maps at block index `i` (0: none, or bad arguments). For tests. */
export function blkPhysical(d: u32, i: u32): u32 {
  if (!ready || !isDisk(d) || i >= diskBlocks(d)) return 0;
  return lookup(d, i);
}

/** The virtual size of `d` in bytes, or -1 if `d` is not a live disk. */
export function blkSize(d: u32): f64 {
  if (!ready || !isDisk(d)) return -1;
  return diskSize(d);
}

/** Bytes of linear memory held by the store's structures and blocks. */
export function blkLiveBytes(): f64 {
  return <f64>arenaLiveBytes();
}

let scratch: usize = 0;
let scratchBytes: u32 = 0;

/**
 * A scratch region of `bytes` for the benchmark's copy floor (replacing
 * the previous one); returns its address, or 0 if memory cannot grow.
 */
export function blkScratch(bytes: u32): usize {
  if (scratch != 0) free(scratch, <usize>scratchBytes);
  scratch = bytes == 0 ? 0 : alloc(<usize>bytes);
  scratchBytes = scratch == 0 ? 0 : bytes;
  return scratch;
}

/**
 * The benchmark's floor for copying blocks: memory.copy of `n` bytes from
 * scratch offset `src`, `times` times (at most 65536 per call), to offsets
 * dst, dst + stride, … wrapping within the first (scratch ÷ n − 1) slots of
 * n bytes. Copies only inside the scratch region; anything else copies nothing.
 */
export function blkCopyFloor(dst: u32, src: u32, n: u32, times: u32, stride: u32): void {
  if (scratch == 0 || n == 0 || times > 65536 || <u64>src + <u64>n > <u64>scratchBytes || scratchBytes / n < 2) return;
  const room = (scratchBytes / n - 1) * n;
  let o = dst % room;
  const step = stride % room;
  for (let k: u32 = 0; k < times; k++) {
    memory.copy(scratch + <usize>o, scratch + <usize>src, n);
    o = o >= room - step ? o - (room - step) : o + step;
  }
}
