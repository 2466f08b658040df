// Diff and delta export: a walk of two disks' trees side by side.
//
// Content-based at block granularity (types.ts DiffResult): a subtree both
// disks reach through the same node, and a block both map to the same
// physical block, are equal without reading them — invariants I1 and I2
// (layout.ts) make that hold even between disks of different sizes. Other
// block pairs are compared byte for byte, an unmapped block reading as
// zeros. Disks of different depths are aligned by treating the shallower
// one's root as child 0 of VIRTUAL nodes up to the deeper one's level.
//
// Results go to the IO area; when it fills, the walk stops and reports the
// block index to resume at (a later call skips everything below it).
//   diff:   (first block u32, block count u32) per range, adjacent blocks merged
//   export: (block index u32, block address u32 — 0 for a block reading zeros) per entry

import { FANOUT_SHIFT, FANOUT, LEAF_ID } from './layout';
import { nodeAddr, blockAddr } from './pool';
import { blockSize } from './map';

const VIRTUAL: u32 = 0xffffffff;

export const MODE_DIFF: i32 = 0;
export const MODE_EXPORT: i32 = 1;

let mode: i32 = 0;
let from: u64 = 0;
let end: u64 = 0;
let depthA: i32 = 0;
let rootA: u32 = 0;
let depthB: i32 = 0;
let rootB: u32 = 0;
let io: usize = 0;
let ioPairs: u32 = 0;
/** Pairs written so far. */
export let written: u32 = 0;
/** Where to resume, or 0xffffffff when the walk finished. */
export let resumeAt: u32 = 0;
let stopped = false;
let runFirst: u32 = 0;
let runCount: u32 = 0;

/**
 * Walks blocks [fromBlock, endBlock) of disk A (depth, root) against disk B
 * (depth, root; root 0 and depth 1 for "an empty disk").
 */
export function compareWalk(m: i32, fromBlock: u32, endBlock: u32, dA: i32, rA: u32, dB: i32, rB: u32, ioArea: usize, pairs: u32): void {
  mode = m;
  from = fromBlock;
  end = endBlock;
  depthA = dA;
  rootA = rA;
  depthB = dB;
  rootB = rB;
  io = ioArea;
  ioPairs = pairs;
  written = 0;
  resumeAt = 0xffffffff;
  stopped = false;
  runCount = 0;
  const top = dA > dB ? dA : dB;
  walk(dA == top ? rA : VIRTUAL, dB == top ? rB : VIRTUAL, top - 1, 0);
  if (runCount != 0) putPair(runFirst, runCount);
}

@inline function putPair(a: u32, b: u32): void {
  const at = io + (<usize>written << 3);
  store<u32>(at, a);
  store<u32>(at, b, 4);
  written++;
}

/** Child `ci` (at level − 1) of node `n` at `level` of a disk with the given depth and root. */
@inline function child(n: u32, level: i32, ci: u32, depth: i32, root: u32): u32 {
  if (n == VIRTUAL) return ci != 0 ? 0 : (level - 1 >= depth ? VIRTUAL : root);
  if (n == 0) return 0;
  return load<u32>(nodeAddr(n) + (<usize>ci << 2));
}

function walk(na: u32, nb: u32, level: i32, base: u64): void {
  if (na == nb && na != VIRTUAL) return;
  if (level == 0) {
    for (let k: u32 = 0; k < FANOUT; k++) {
      const i = base + k;
      if (i < from) continue;
      if (i >= end) return;
      const pa = na == 0 ? 0 : load<u32>(nodeAddr(na) + (<usize>k << 2)) & LEAF_ID;
      const pb = nb == 0 ? 0 : load<u32>(nodeAddr(nb) + (<usize>k << 2)) & LEAF_ID;
      if (!blocksEqual(pa, pb)) {
        emit(<u32>i, pa);
        if (stopped) return;
      }
    }
    return;
  }
  const childShift = <u64>(FANOUT_SHIFT * <u32>level);
  const childSpan = (<u64>1) << childShift;
  for (let ci: u32 = 0; ci < FANOUT; ci++) {
    const cb = base + ((<u64>ci) << childShift);
    if (cb >= end) return;
    if (cb + childSpan <= from) continue;
    walk(child(na, level, ci, depthA, rootA), child(nb, level, ci, depthB, rootB), level - 1, cb);
    if (stopped) return;
  }
}

function emit(i: u32, pa: u32): void {
  if (mode == MODE_EXPORT) {
    if (written == ioPairs) {
      stopped = true;
      resumeAt = i;
      return;
    }
    putPair(i, pa == 0 || isZero(pa) ? 0 : <u32>blockAddr(pa));
    return;
  }
  if (runCount != 0 && runFirst + runCount == i) {
    runCount++;
    return;
  }
  if (runCount != 0) putPair(runFirst, runCount);
  if (written == ioPairs) {
    // No room for the run this block would open: the next call starts here.
    stopped = true;
    resumeAt = i;
    runCount = 0;
    return;
  }
  runFirst = i;
  runCount = 1;
}

export function isZero(p: u32): bool {
  const a = blockAddr(p);
  for (let k: usize = 0; k < <usize>blockSize; k += 8) {
    if (load<u64>(a + k) != 0) return false;
  }
  return true;
}

export function blocksEqual(pa: u32, pb: u32): bool {
  if (pa == pb) return true;
  if (pa == 0) return isZero(pb);
  if (pb == 0) return isZero(pa);
  const a = blockAddr(pa);
  const b = blockAddr(pb);
  for (let k: usize = 0; k < <usize>blockSize; k += 8) {
    if (load<u64>(a + k) != load<u64>(b + k)) return false;
  }
  return true;
}
