// The audit: recomputes every reference count from the live disks' trees
// and checks the pools, free lists and invariants I1/I2 (layout.ts). For
// tests; it allocates two scratch arrays and walks each disk in full.
//
// It also counts, for every physical block, the live disks that map it
// ("mappers", types.ts AuditResult), kept until the next audit so the
// binding can read them.
//
// The first problem found is reported as a code and up to three numbers;
// src/core/blocks/wasm.ts turns them into words (AUDIT_PROBLEMS there).

import { alloc, free } from '../rt/arena';
import { D_ROOT, D_SIZE, FANOUT_SHIFT, NODE_BYTES, MAX_DEPTH, LEAF_OWN, LEAF_ID } from './layout';
import { BLOCKS, NODES, nodeAddr, blockAddr, refs, inUse, freeCount, topId, freeAt } from './pool';
import { diskRec, diskTop, isDisk, liveDisks, freeDiskSlots, depthFor } from './disks';
import { blockSize, diskDepth, diskBlocks } from './map';

export const AUDIT_NODE_REFS: i32 = 1;
export const AUDIT_BLOCK_REFS: i32 = 2;
export const AUDIT_FREE_NODE: i32 = 3;
export const AUDIT_FREE_BLOCK: i32 = 4;
export const AUDIT_NODE_COUNT: i32 = 5;
export const AUDIT_BLOCK_COUNT: i32 = 6;
export const AUDIT_BEYOND_END: i32 = 7;
export const AUDIT_TAIL: i32 = 8;
export const AUDIT_QUOTA: i32 = 9;
export const AUDIT_DEPTH: i32 = 10;
export const AUDIT_DISKS: i32 = 11;
export const AUDIT_NO_MEMORY: i32 = 12;
export const AUDIT_BAD_ID: i32 = 13;
/** A leaf entry has OWN set (layout.ts) but its block has more than one mapper. */
export const AUDIT_OWN: i32 = 14;

export let problem: i32 = 0;
export let problemA: u32 = 0;
export let problemB: u32 = 0;
export let problemC: u32 = 0;

/** Live disks mapping each block id (u32 per id below mappersLength), or 0 before the first audit. */
export let mappers: usize = 0;
export let mappersLength: u32 = 0;
let expNodes: usize = 0;

function report(code: i32, a: u32, b: u32, c: u32): void {
  if (problem != 0) return;
  problem = code;
  problemA = a;
  problemB = b;
  problemC = c;
}

export function audit(quotaBlocks: u32): void {
  problem = 0;
  if (mappers != 0) free(mappers, <usize>mappersLength << 2);
  const nTop = topId(NODES);
  const bTop = topId(BLOCKS);
  mappersLength = bTop;
  mappers = alloc(<usize>bTop << 2);
  const expBlocks = alloc(<usize>bTop << 2);
  expNodes = alloc(<usize>nTop << 2);
  if (mappers == 0 || expBlocks == 0 || expNodes == 0) {
    free(expBlocks, <usize>bTop << 2);
    free(expNodes, <usize>nTop << 2);
    free(mappers, <usize>bTop << 2);
    mappers = 0;
    mappersLength = 0;
    report(AUDIT_NO_MEMORY, 0, 0, 0);
    return;
  }
  memory.fill(mappers, 0, <usize>bTop << 2);
  memory.fill(expBlocks, 0, <usize>bTop << 2);
  memory.fill(expNodes, 0, <usize>nTop << 2);

  // Expected counts: one per root naming a node, one per entry of each distinct live node.
  const dTop = diskTop();
  for (let d: u32 = 1; d < dTop; d++) {
    if (!isDisk(d)) continue;
    const depth = diskDepth(d);
    const count = diskBlocks(d);
    if (depth < depthFor(count) || depth > MAX_DEPTH) report(AUDIT_DEPTH, d, <u32>depth, count);
    const root = load<u32>(diskRec(d) + D_ROOT);
    if (root == 0) continue;
    if (root >= nTop) {
      report(AUDIT_BAD_ID, d, root, 0);
      continue;
    }
    const e = expNodes + (<usize>root << 2);
    store<u32>(e, load<u32>(e) + 1);
    if (load<u32>(e) == 1) countDistinct(root, depth - 1, expBlocks, nTop, bTop);
    diskWalk(d, root, depth - 1, 0, nTop, bTop);
  }
  if (problem != 0) {
    finish(expBlocks, bTop, nTop);
    return;
  }

  // OWN promises a count of 1: countDistinct marked each OWN block's expected count with the bit.
  for (let id: u32 = 1; id < bTop; id++) {
    const e = expBlocks + (<usize>id << 2);
    const x = load<u32>(e);
    if ((x & LEAF_OWN) == 0) continue;
    if ((x & LEAF_ID) != 1) {
      report(AUDIT_OWN, id, x & LEAF_ID, 0);
      finish(expBlocks, bTop, nTop);
      return;
    }
    store<u32>(e, 1);
  }

  checkPool(NODES, expNodes, nTop, AUDIT_NODE_REFS, AUDIT_FREE_NODE, AUDIT_NODE_COUNT);
  checkPool(BLOCKS, expBlocks, bTop, AUDIT_BLOCK_REFS, AUDIT_FREE_BLOCK, AUDIT_BLOCK_COUNT);
  if (inUse(BLOCKS) > quotaBlocks) report(AUDIT_QUOTA, inUse(BLOCKS), quotaBlocks, 0);
  const freeSlots = freeDiskSlots();
  if (liveDisks() + freeSlots != dTop - 1) report(AUDIT_DISKS, liveDisks(), freeSlots, dTop - 1);
  finish(expBlocks, bTop, nTop);
}

function finish(expBlocks: usize, bTop: u32, nTop: u32): void {
  free(expBlocks, <usize>bTop << 2);
  free(expNodes, <usize>nTop << 2);
  expNodes = 0;
}

function countDistinct(n: u32, level: i32, expBlocks: usize, nTop: u32, bTop: u32): void {
  const a = nodeAddr(n);
  for (let k: usize = 0; k < NODE_BYTES; k += 4) {
    const raw = load<u32>(a + k);
    const c = level == 0 ? raw & LEAF_ID : raw;
    if (c == 0) continue;
    if (c >= (level > 0 ? nTop : bTop)) {
      report(AUDIT_BAD_ID, n, c, <u32>level);
      continue;
    }
    if (level == 0) {
      // Counts stay far below 2^31; the top bit marks "an OWN entry maps it" (checked in audit()).
      const e = expBlocks + (<usize>c << 2);
      store<u32>(e, (load<u32>(e) + 1) | (raw & LEAF_OWN));
    } else {
      const e = expNodes + (<usize>c << 2);
      store<u32>(e, load<u32>(e) + 1);
      if (load<u32>(e) == 1) countDistinct(c, level - 1, expBlocks, nTop, bTop);
    }
  }
}

/** Counts disk d as a mapper of each block it reaches; checks I1 and I2. */
function diskWalk(d: u32, n: u32, level: i32, base: u64, nTop: u32, bTop: u32): void {
  const a = nodeAddr(n);
  const count = <u64>diskBlocks(d);
  for (let k: u32 = 0; k < (1 << FANOUT_SHIFT); k++) {
    const raw = load<u32>(a + (<usize>k << 2));
    const c = level == 0 ? raw & LEAF_ID : raw;
    if (c == 0 || c >= (level > 0 ? nTop : bTop)) continue;
    const i = base + ((<u64>k) << (<u64>(FANOUT_SHIFT * <u32>level)));
    if (level > 0) {
      diskWalk(d, c, level - 1, i, nTop, bTop);
      continue;
    }
    const m = mappers + (<usize>c << 2);
    store<u32>(m, load<u32>(m) + 1);
    if (i >= count) report(AUDIT_BEYOND_END, d, <u32>i, <u32>count);
    else if (i == count - 1) {
      const size = load<f64>(diskRec(d) + D_SIZE);
      const visible = <u32>(size - <f64>i * <f64>blockSize);
      const b = blockAddr(c);
      for (let x = visible; x < blockSize; x++) {
        if (load<u8>(b + x) != 0) {
          report(AUDIT_TAIL, d, <u32>i, x);
          break;
        }
      }
    }
  }
}

/** Reference counts equal the expected ones; the free list holds exactly the ids with none. */
function checkPool(pool: usize, expected: usize, top: u32, refsCode: i32, freeCode: i32, countCode: i32): void {
  let used: u32 = 0;
  for (let id: u32 = 1; id < top; id++) {
    const r = refs(pool, id);
    const e = load<u32>(expected + (<usize>id << 2));
    if (r != e) {
      report(refsCode, id, e, r);
      return;
    }
    if (r != 0) used++;
  }
  // The free stack, most recently freed first, marking each id (expected count 0 → 0xffffffff) to catch repeats.
  const listed = freeCount(pool);
  if (listed > top) {
    report(countCode, used, listed, top - 1);
    return;
  }
  for (let k = listed; k > 0; k--) {
    const id = freeAt(pool, k - 1);
    if (id == 0 || id >= top || refs(pool, id) != 0 || load<u32>(expected + (<usize>id << 2)) != 0) {
      report(freeCode, id, listed - k, 0);
      return;
    }
    store<u32>(expected + (<usize>id << 2), 0xffffffff);
  }
  if (used != inUse(pool) || listed != freeCount(pool) || used + listed != top - 1) {
    report(countCode, used, listed, top - 1);
  }
}
