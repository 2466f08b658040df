// The two unit pools (layout.ts): physical blocks and map nodes. Ids are
// dense so reference counts live in one flat array and the audit can key
// by id; chunks never move, so a unit's address stays valid for as long as
// the unit is in use.
//
// Exhaustion rule (types.ts: STATUS_DISK_FULL with no effect): an operation
// first counts what it needs, then `reserve`s it — adding chunks and
// growing the reference-count array until that many units can be taken
// without allocating — and only then changes anything. `take` after a
// successful reserve cannot fail.

import { alloc, free } from '../rt/arena';
import {
  CHUNK_SHIFT, MAX_CHUNKS, P_CHUNKS, P_UNIT_SHIFT, P_PER_CHUNK_SHIFT, P_TOP, P_CAP, P_FREE,
  P_FREE_COUNT, P_IN_USE, P_REFS, P_REFS_CAP, POOL_BYTES, NODE_SHIFT,
} from './layout';

/** The block pool's record; its chunk table follows in BLOCK_CHUNKS. */
export const BLOCKS: usize = memory.data(POOL_BYTES);
export const NODES: usize = memory.data(POOL_BYTES);
const BLOCK_CHUNKS: usize = memory.data(<i32>MAX_CHUNKS * 4);
const NODE_CHUNKS: usize = memory.data(<i32>MAX_CHUNKS * 4);

export function poolsInit(blockShift: u32): void {
  initPool(BLOCKS, BLOCK_CHUNKS, blockShift);
  initPool(NODES, NODE_CHUNKS, NODE_SHIFT);
}

function initPool(pool: usize, chunks: usize, unitShift: u32): void {
  store<u32>(pool + P_CHUNKS, <u32>chunks);
  store<u32>(pool + P_UNIT_SHIFT, unitShift);
  store<u32>(pool + P_PER_CHUNK_SHIFT, CHUNK_SHIFT - unitShift);
  // Id 0 means "nothing": the first chunk's slot 0 is never handed out.
  store<u32>(pool + P_TOP, 1);
  store<u32>(pool + P_CAP, 0);
  store<u32>(pool + P_FREE, 0);
  store<u32>(pool + P_FREE_COUNT, 0);
  store<u32>(pool + P_IN_USE, 0);
  store<u32>(pool + P_REFS, 0);
  store<u32>(pool + P_REFS_CAP, 0);
}

// ---- addresses and reference counts (the hot path) ------------------------------

@inline export function unitAddr(pool: usize, id: u32): usize {
  const pcs = load<u32>(pool + P_PER_CHUNK_SHIFT);
  const chunk = <usize>load<u32>(<usize>load<u32>(pool + P_CHUNKS) + (<usize>(id >> pcs) << 2));
  return chunk + (<usize>(id & ((1 << pcs) - 1)) << load<u32>(pool + P_UNIT_SHIFT));
}

/** Node addresses: the node pool's shape is fixed, so the shifts are constants. */
@inline export function nodeAddr(id: u32): usize {
  const chunk = <usize>load<u32>(NODE_CHUNKS + (<usize>(id >> (CHUNK_SHIFT - NODE_SHIFT)) << 2));
  return chunk + (<usize>(id & ((1 << (CHUNK_SHIFT - NODE_SHIFT)) - 1)) << NODE_SHIFT);
}

@inline export function blockAddr(id: u32): usize {
  return unitAddr(BLOCKS, id);
}

@inline export function refAddr(pool: usize, id: u32): usize {
  return <usize>load<u32>(pool + P_REFS) + (<usize>id << 2);
}

@inline export function refs(pool: usize, id: u32): u32 {
  return load<u32>(refAddr(pool, id));
}

@inline export function addRef(pool: usize, id: u32): void {
  const a = refAddr(pool, id);
  store<u32>(a, load<u32>(a) + 1);
}

@inline export function inUse(pool: usize): u32 {
  return load<u32>(pool + P_IN_USE);
}

@inline export function freeCount(pool: usize): u32 {
  return load<u32>(pool + P_FREE_COUNT);
}

@inline export function topId(pool: usize): u32 {
  return load<u32>(pool + P_TOP);
}

/** The k-th id on the free stack (0 = the oldest), for the audit. */
@inline export function freeAt(pool: usize, k: u32): u32 {
  return load<u32>(<usize>load<u32>(pool + P_FREE) + (<usize>k << 2));
}

/** Units that can be taken without allocating: the free list plus never-used ids with storage. */
@inline function available(pool: usize): u32 {
  const cap = load<u32>(pool + P_CAP);
  const top = load<u32>(pool + P_TOP);
  // Before the first chunk, cap (0) is below top (1: id 0 is never handed out).
  return load<u32>(pool + P_FREE_COUNT) + (cap > top ? cap - top : 0);
}

// ---- reservation -----------------------------------------------------------------

/** Makes `count` units takeable without allocating; false when memory cannot grow (nothing is lost). */
export function reserve(pool: usize, count: u32): bool {
  // More than the whole address space could hold: refuse before growing memory for nothing.
  if (<u64>count > (<u64>MAX_CHUNKS << <u64>load<u32>(pool + P_PER_CHUNK_SHIFT))) return false;
  while (available(pool) < count) {
    if (!addChunk(pool)) return false;
  }
  return true;
}

function addChunk(pool: usize): bool {
  const pcs = load<u32>(pool + P_PER_CHUNK_SHIFT);
  const cap = load<u32>(pool + P_CAP);
  const c = cap >> pcs;
  if (c >= MAX_CHUNKS) return false;
  const newCap = cap + (<u32>1 << pcs);
  // Grow the reference counts and the free stack first (doubling), so a
  // failed chunk leaves them merely roomier.
  let refsCap = load<u32>(pool + P_REFS_CAP);
  if (refsCap < newCap) {
    let want = refsCap == 0 ? newCap : refsCap << 1;
    if (want < newCap) want = newCap;
    const refs = alloc(<usize>want << 2);
    const stack = alloc(<usize>want << 2);
    if (refs == 0 || stack == 0) {
      free(refs, <usize>want << 2);
      free(stack, <usize>want << 2);
      return false;
    }
    moveArray(pool + P_REFS, refs, refsCap, want);
    moveArray(pool + P_FREE, stack, refsCap, want);
    store<u32>(pool + P_REFS_CAP, want);
  }
  const chunk = alloc((<usize>1) << CHUNK_SHIFT);
  if (chunk == 0) return false;
  store<u32>(<usize>load<u32>(pool + P_CHUNKS) + (<usize>c << 2), <u32>chunk);
  store<u32>(pool + P_CAP, newCap);
  return true;
}

/** Moves the u32 array whose address is at `field` (`from` entries) to `fresh` (`to` entries, the rest zeroed). */
function moveArray(field: usize, fresh: usize, from: u32, to: u32): void {
  const old = <usize>load<u32>(field);
  if (old != 0) {
    memory.copy(fresh, old, <usize>from << 2);
    free(old, <usize>from << 2);
  }
  memory.fill(fresh + (<usize>from << 2), 0, <usize>(to - from) << 2);
  store<u32>(field, <u32>fresh);
}

// ---- taking and releasing ---------------------------------------------------------

/**
 * A unit with reference count 1, its contents undefined (the caller fills
 * all of it). Most recently freed first. 0 only if nothing was reserved and
 * memory cannot grow — callers that reserved never see it.
 */
export function take(pool: usize): u32 {
  const freeN = load<u32>(pool + P_FREE_COUNT);
  let id: u32;
  if (freeN != 0) {
    id = freeAt(pool, freeN - 1);
    store<u32>(pool + P_FREE_COUNT, freeN - 1);
  } else {
    id = load<u32>(pool + P_TOP);
    if (id >= load<u32>(pool + P_CAP) && !addChunk(pool)) return 0;
    store<u32>(pool + P_TOP, id + 1);
  }
  store<u32>(refAddr(pool, id), 1);
  store<u32>(pool + P_IN_USE, load<u32>(pool + P_IN_USE) + 1);
  return id;
}

/** Drops one reference; true when that was the last (the unit is then free and must not be used). */
export function unref(pool: usize, id: u32): bool {
  const a = refAddr(pool, id);
  const r = load<u32>(a) - 1;
  store<u32>(a, r);
  if (r != 0) return false;
  const freeN = load<u32>(pool + P_FREE_COUNT);
  store<u32>(<usize>load<u32>(pool + P_FREE) + (<usize>freeN << 2), id);
  store<u32>(pool + P_FREE_COUNT, freeN + 1);
  store<u32>(pool + P_IN_USE, load<u32>(pool + P_IN_USE) - 1);
  return true;
}
