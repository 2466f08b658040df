// The block map: walks of a disk's radix tree over a range of block indexes.
//
// A change (write, discard) runs in three steps so that exhaustion has no
// effect (types.ts, STATUS_DISK_FULL): a scan walk counts the nodes and
// blocks the change must create or copy — a unit reachable through a
// shared node is shared too, since copying that node gives its children a
// second reference — then the caller checks the quota and reserves, then
// the apply walk makes the change, taking exactly what was counted.
//
// Per-call state lives in module globals (the walks recurse at most
// MAX_DEPTH deep): the block range [rangeFirst, rangeLast], where in the
// first block the range starts (headOffset) and where in the last it ends
// (tailEnd, 1 … block size), and the IO area that receives block addresses
// (entry k ↔ block rangeFirst + k, the first ioLimit of them).

import {
  FANOUT_SHIFT, FANOUT_MASK, NODE_BYTES, D_ROOT, D_DEPTH, D_COUNT, LEAF_OWN, LEAF_ID,
} from './layout';
import { BLOCKS, NODES, nodeAddr, blockAddr, refs, refAddr, addRef, take, unref } from './pool';
import { diskRec } from './disks';

/** Bytes per block and its log2, fixed at blkInit. */
export let blockSize: u32 = 4096;
export let blockShift: u32 = 12;

export function setBlockShift(shift: u32): void {
  blockShift = shift;
  blockSize = <u32>1 << shift;
}

let rangeFirst: u32 = 0;
let rangeLast: u32 = 0;
let headOffset: u32 = 0;
let tailEnd: u32 = 0;
/** Blocks discarded whole: [wholeFirst, wholeLast] (empty when wholeFirst > wholeLast). */
let wholeFirst: i64 = 0;
let wholeLast: i64 = 0;
let io: usize = 0;
let ioLimit: u32 = 0;

/** What the last scan counted. */
export let needNodes: u32 = 0;
export let needBlocks: u32 = 0;

/**
 * Sets the range of the next scan/apply: blocks first … last, starting at
 * byte `head` of the first and ending before byte `tail` (1 … block size)
 * of the last. Addresses go to `ioArea`, at most `limit` of them.
 */
export function setRange(first: u32, last: u32, head: u32, tail: u32, ioArea: usize, limit: u32): void {
  rangeFirst = first;
  rangeLast = last;
  headOffset = head;
  tailEnd = tail;
  wholeFirst = <i64>first + (head != 0 ? 1 : 0);
  wholeLast = <i64>last - (tail != blockSize ? 1 : 0);
  io = ioArea;
  ioLimit = limit;
  needNodes = 0;
  needBlocks = 0;
}

@inline function isPartial(i: u32): bool {
  return (i == rangeFirst && headOffset != 0) || (i == rangeLast && tailEnd != blockSize);
}

@inline function putAddr(i: u32, addr: usize): void {
  const k = i - rangeFirst;
  if (k < ioLimit) store<u32>(io + (<usize>k << 2), <u32>addr);
}

/** Nodes a write must create below (and including) a missing node at `level` covering lo … hi. */
function missingNodes(level: i32, lo: u32, hi: u32): u32 {
  let n: u32 = 0;
  for (let j = 0; j <= level; j++) {
    const s = <u64>(FANOUT_SHIFT * <u32>(j + 1));
    n += <u32>(((<u64>hi) >> s) - ((<u64>lo) >> s) + 1);
  }
  return n;
}

// ---- lookup ------------------------------------------------------------------------

/** The physical block disk `d` maps at index `i` (0: none). */
export function lookup(d: u32, i: u32): u32 {
  const rec = diskRec(d);
  let n = load<u32>(rec + D_ROOT);
  for (let level = <i32>load<u8>(rec + D_DEPTH) - 1; level >= 0 && n != 0; level--) {
    n = load<u32>(nodeAddr(n) + (<usize>((i >> (FANOUT_SHIFT * <u32>level)) & FANOUT_MASK) << 2));
  }
  return n & LEAF_ID;
}

// ---- the range walk -------------------------------------------------------------------
//
// One walk serves every pass; the mode says what it does at a node and at
// each leaf entry in the range:
//   WALK_READ          the address of each block (0 where unmapped) to the IO area
//   WALK_SCAN_WRITE    count what a write needs (needNodes, needBlocks); blocks
//                      already private get their address in the IO area, so
//                      when nothing is needed the write goes ahead without an apply
//   WALK_WRITE         make every block of the range private (first write copies
//                      one block; a partial block keeps its old contents)
//   WALK_SCAN_DISCARD  count what a discard needs: private copies of shared nodes
//                      on paths to partial blocks or partly covered subtrees, and a
//                      block for each mapped, shared partial block (zero-filling
//                      part of it is a write); subtrees discarded whole are only
//                      released, nothing to copy
//   WALK_DISCARD       unmap whole blocks (releasing whole subtrees at once),
//                      zero-fill the partial ones

export const WALK_READ: i32 = 0;
export const WALK_SCAN_WRITE: i32 = 1;
export const WALK_WRITE: i32 = 2;
export const WALK_SCAN_DISCARD: i32 = 3;
export const WALK_DISCARD: i32 = 4;

let mode: i32 = 0;

/** Walks blocks lo … hi of the tree whose root is in `slot` (at `level`); `shared`: the root is reached through a shared node. */
export function walk(m: i32, slot: usize, level: i32, shared: bool, lo: u32, hi: u32): void {
  mode = m;
  visit(slot, level, shared, lo, hi);
}

function visit(slot: usize, level: i32, shared: bool, lo: u32, hi: u32): void {
  let n = load<u32>(slot);
  switch (mode) {
    case WALK_READ: {
      if (n == 0) {
        for (let i = lo; i <= hi && i - rangeFirst < ioLimit; i++) putAddr(i, 0);
        return;
      }
      break;
    }
    case WALK_SCAN_WRITE: {
      if (n == 0) {
        needNodes += missingNodes(level, lo, hi);
        needBlocks += hi - lo + 1;
        return;
      }
      shared = shared || refs(NODES, n) > 1;
      if (shared) needNodes++;
      break;
    }
    case WALK_WRITE: {
      n = privateNode(slot, level);
      break;
    }
    case WALK_SCAN_DISCARD: {
      if (n == 0 || wholeSubtree(level, lo, hi)) return;
      shared = shared || refs(NODES, n) > 1;
      if (shared) needNodes++;
      break;
    }
    default: {
      if (n == 0) return;
      if (wholeSubtree(level, lo, hi)) {
        store<u32>(slot, 0);
        releaseNode(n, level);
        return;
      }
      n = privateNode(slot, level);
    }
  }
  const a = nodeAddr(n);
  if (level == 0) {
    for (let i = lo; i <= hi; i++) leaf(a + (<usize>(i & FANOUT_MASK) << 2), i, shared);
    return;
  }
  const shift = FANOUT_SHIFT * <u32>level;
  const lowMask: u32 = (<u32>1 << shift) - 1;
  let i = lo;
  for (;;) {
    const end = min(hi, i | lowMask);
    visit(a + (<usize>((i >> shift) & FANOUT_MASK) << 2), level - 1, shared, i, end);
    if (end >= hi) break;
    i = end + 1;
  }
}

/** One leaf entry `e` (block index `i`) in the current mode. */
function leaf(e: usize, i: u32, shared: bool): void {
  const raw = load<u32>(e);
  let p = raw & LEAF_ID;
  switch (mode) {
    case WALK_READ: {
      putAddr(i, p == 0 ? 0 : blockAddr(p));
      return;
    }
    case WALK_SCAN_WRITE: {
      if (p == 0 || shared || ((raw & LEAF_OWN) == 0 && refs(BLOCKS, p) > 1)) needBlocks++;
      else putAddr(i, blockAddr(p));
      return;
    }
    case WALK_WRITE: {
      if (p == 0 || ((raw & LEAF_OWN) == 0 && refs(BLOCKS, p) > 1)) {
        const q = take(BLOCKS);
        const qa = blockAddr(q);
        // A block the write covers whole needs no old contents; a partial one
        // is read-modify-write (types.ts): the old block, or zeros.
        if (isPartial(i)) {
          if (p != 0) memory.copy(qa, blockAddr(p), blockSize);
          else memory.fill(qa, 0, blockSize);
        }
        if (p != 0) unref(BLOCKS, p);
        p = q;
      }
      // The block is this entry's alone now (a new one, or a count of 1).
      store<u32>(e, p | LEAF_OWN);
      putAddr(i, blockAddr(p));
      return;
    }
    case WALK_SCAN_DISCARD: {
      if (p != 0 && isPartial(i) && (shared || ((raw & LEAF_OWN) == 0 && refs(BLOCKS, p) > 1))) needBlocks++;
      return;
    }
    default: {
      if (p == 0) return;
      if (!isPartial(i)) {
        store<u32>(e, 0);
        unref(BLOCKS, p);
        return;
      }
      if ((raw & LEAF_OWN) == 0 && refs(BLOCKS, p) > 1) {
        const q = take(BLOCKS);
        memory.copy(blockAddr(q), blockAddr(p), blockSize);
        unref(BLOCKS, p);
        p = q;
      }
      store<u32>(e, p | LEAF_OWN);
      const from: u32 = i == rangeFirst ? headOffset : 0;
      const to: u32 = i == rangeLast ? tailEnd : blockSize;
      memory.fill(blockAddr(p) + from, 0, to - from);
    }
  }
}

/**
 * The node in `slot`, made private: created (zeroed) when missing, copied
 * when shared — the copy's children gain a reference, the original loses
 * the slot's. Needs a reserved node when it creates or copies.
 */
function privateNode(slot: usize, level: i32): u32 {
  const n = load<u32>(slot);
  if (n != 0 && refs(NODES, n) == 1) return n;
  const m = take(NODES);
  const ma = nodeAddr(m);
  if (n == 0) {
    memory.fill(ma, 0, NODE_BYTES);
  } else {
    const na = nodeAddr(n);
    memory.copy(ma, na, NODE_BYTES);
    if (level == 0) {
      // Every block of the leaf gains a mapper: none is any entry's alone
      // now, in the original or the copy (layout.ts, OWN).
      for (let k: usize = 0; k < NODE_BYTES; k += 4) {
        const c = load<u32>(ma + k);
        if (c == 0) continue;
        addRef(BLOCKS, c & LEAF_ID);
        if ((c & LEAF_OWN) != 0) {
          store<u32>(ma + k, c & LEAF_ID);
          store<u32>(na + k, c & LEAF_ID);
        }
      }
    } else {
      for (let k: usize = 0; k < NODE_BYTES; k += 4) {
        const c = load<u32>(ma + k);
        if (c != 0) addRef(NODES, c);
      }
    }
    unref(NODES, n); // shared, so never the last reference
  }
  store<u32>(slot, m);
  return m;
}

/** True when the node at `level` covering lo … hi lies wholly in the blocks discarded whole. */
@inline function wholeSubtree(level: i32, lo: u32, hi: u32): bool {
  const span = (<u64>1) << (<u64>(FANOUT_SHIFT * <u32>(level + 1)));
  const base = (<u64>lo) & ~(span - 1);
  return <u64>lo == base && <u64>hi == base + span - 1 && <i64>lo >= wholeFirst && <i64>hi <= wholeLast;
}

/** Drops one reference to node `n`; at the last, its children lose theirs and it is freed. */
export function releaseNode(n: u32, level: i32): void {
  const r = refs(NODES, n);
  if (r > 1) {
    store<u32>(refAddr(NODES, n), r - 1);
    return;
  }
  const a = nodeAddr(n);
  for (let k: usize = 0; k < NODE_BYTES; k += 4) {
    const c = load<u32>(a + k);
    if (c == 0) continue;
    if (level == 0) unref(BLOCKS, c & LEAF_ID);
    else releaseNode(c, level - 1);
  }
  unref(NODES, n);
}

// ---- statistics --------------------------------------------------------------------

export let statMapped: u32 = 0;
export let statShared: u32 = 0;

/** Counts mapped blocks, and those another live disk maps too (through a shared node or block). */
export function statsWalk(n: u32, level: i32, shared: bool): void {
  if (n == 0) return;
  const sh = shared || refs(NODES, n) > 1;
  const a = nodeAddr(n);
  for (let k: usize = 0; k < NODE_BYTES; k += 4) {
    const c = load<u32>(a + k);
    if (c == 0) continue;
    if (level > 0) {
      statsWalk(c, level - 1, sh);
    } else {
      statMapped++;
      if (sh || refs(BLOCKS, c & LEAF_ID) > 1) statShared++;
    }
  }
}

export function resetStats(): void {
  statMapped = 0;
  statShared = 0;
}

/** Slot of a disk's root, for apply walks. */
@inline export function rootSlot(d: u32): usize {
  return diskRec(d) + D_ROOT;
}

@inline export function diskDepth(d: u32): i32 {
  return <i32>load<u8>(diskRec(d) + D_DEPTH);
}

@inline export function diskBlocks(d: u32): u32 {
  return load<u32>(diskRec(d) + D_COUNT);
}
