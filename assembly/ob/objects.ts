// Object records: allocation, directory entries (insert/remove), the name
// index, and lifetime (ObpDeleteNameCheck / object deletion).

import { alloc, allocZeroed, free } from '../rt/arena';
import {
  REC_SIZE, REC_SHIFT, COLD_SIZE, COLD_SHIFT, INLINE_UNITS, R_INLINE, R_TYPE, R_FLAGS, R_NAMELEN, C_NAMEPTR, R_PARENT, C_HANDLES, C_POINTERS,
  C_BNEXT, C_BPREV, C_FNEXT, R_FHASH, R_AUX0, C_AUX1, R_NTBUCKET,
  F_LIVE, F_NAMED, F_PERMANENT, DIRINFO_SIZE, D_COUNT, D_SHADOW, D_STAMP,
} from './layout';
import { TYPE_DIRECTORY, TYPE_SYMBOLIC_LINK } from './types';
import { foldHash, ntBucket, equalFold, equalExact } from './upcase';
import { namespaceChanged } from './pathcache';

let RECS: usize = 0;
let COLDS: usize = 0;
let recCap: u32 = 0;
let hotCap: u32 = 0; // capacity of the hot table (≥ recCap after a half-done growth)
let recTop: u32 = 1; // next never-used id (0 is "none")
let recFree: u32 = 0; // head of the free-record list
let liveObjects: u32 = 0;

let IDX: usize = 0;
let idxCap: u32 = 0; // slots, power of two
let idxCount: u32 = 0;

export function objectCount(): u32 {
  return liveObjects;
}

@inline export function rec(id: u32): usize {
  return RECS + (<usize>id << REC_SHIFT);
}
@inline export function cold(id: u32): usize {
  return COLDS + (<usize>id << COLD_SHIFT);
}
/** The cold record of the object whose hot record is at `r`. */
@inline export function coldOf(r: usize): usize {
  return COLDS + ((r - RECS) >> (REC_SHIFT - COLD_SHIFT));
}
/** Where an object's name is: inline in the hot record, or on the heap. */
@inline function namePtrAt(r: usize, len: i32): usize {
  return len <= INLINE_UNITS ? r + R_INLINE : <usize>load<u32>(coldOf(r) + C_NAMEPTR);
}
@inline export function recType(id: u32): u8 { return load<u8>(rec(id) + R_TYPE); }
@inline export function recFlags(id: u32): u8 { return load<u8>(rec(id) + R_FLAGS); }
@inline export function setFlags(id: u32, f: u8): void { store<u8>(rec(id) + R_FLAGS, f); }
@inline export function recParent(id: u32): u32 { return load<u32>(rec(id) + R_PARENT); }
@inline export function recNameLen(id: u32): i32 { return <i32>load<u16>(rec(id) + R_NAMELEN); }
@inline export function recNamePtr(id: u32): usize { return namePtrAt(rec(id), recNameLen(id)); }
@inline export function dirInfo(id: u32): usize { return <usize>load<u32>(rec(id) + R_AUX0); }

/** True if `id` names a live object (any value may come from a caller). */
export function isLive(id: u32): bool {
  return id != 0 && id < recTop && (recFlags(id) & F_LIVE) != 0;
}

/** Sets up the tables; returns false if memory could not be had. */
export function objectsInit(): bool {
  recCap = 1024;
  hotCap = 1024;
  RECS = allocZeroed(<usize>recCap << REC_SHIFT);
  COLDS = allocZeroed(<usize>recCap << COLD_SHIFT);
  idxCap = 1024;
  IDX = allocZeroed(<usize>idxCap << 3);
  return RECS != 0 && COLDS != 0 && IDX != 0;
}

function growRecords(): bool {
  // Hot table first, its old copy freed at once: the cold table's new copy
  // (half the hot size) and the name index's next copy are then taken from
  // it by the arena's splitting, instead of growing memory for each.
  const newCap = recCap << 1;
  if (hotCap < newCap) {
    const p = alloc(<usize>newCap << REC_SHIFT);
    if (p == 0) return false;
    memory.copy(p, RECS, <usize>recCap << REC_SHIFT);
    memory.fill(p + (<usize>recCap << REC_SHIFT), 0, <usize>recCap << REC_SHIFT);
    free(RECS, <usize>hotCap << REC_SHIFT);
    RECS = p;
    hotCap = newCap;
  }
  // If this fails the hot table stays bigger and the next call grows only
  // the cold one.
  const c = alloc(<usize>newCap << COLD_SHIFT);
  if (c == 0) return false;
  memory.copy(c, COLDS, <usize>recCap << COLD_SHIFT);
  memory.fill(c + (<usize>recCap << COLD_SHIFT), 0, <usize>recCap << COLD_SHIFT);
  free(COLDS, <usize>recCap << COLD_SHIFT);
  COLDS = c;
  recCap = newCap;
  return true;
}

/**
 * A new unnamed object of `type` with one handle's worth of nothing yet
 * (handleCount 0). For a Directory also its DirInfo. Returns 0 when memory is
 * exhausted.
 */
export function newObject(type: u8): u32 {
  let id = recFree;
  if (id != 0) {
    recFree = load<u32>(rec(id) + R_PARENT);
  } else {
    if (recTop >= recCap && !growRecords()) return 0;
    id = recTop++;
  }
  const r = rec(id);
  memory.fill(r, 0, REC_SIZE);
  memory.fill(cold(id), 0, COLD_SIZE);
  store<u8>(r + R_TYPE, type);
  store<u8>(r + R_FLAGS, F_LIVE);
  if (type == TYPE_DIRECTORY) {
    const d = allocZeroed(DIRINFO_SIZE);
    if (d == 0) {
      releaseRecord(id);
      return 0;
    }
    store<u32>(r + R_AUX0, <u32>d);
  }
  liveObjects++;
  return id;
}

function releaseRecord(id: u32): void {
  const r = rec(id);
  store<u8>(r + R_FLAGS, 0);
  store<u32>(r + R_PARENT, recFree);
  recFree = id;
}

/** A heap copy of `len` code units at `ptr` (0 for none); false on exhaustion. */
function copyUnits(ptr: usize, len: i32, out: usize): bool {
  let p: usize = 0;
  if (len > 0) {
    p = alloc(<usize>len << 1);
    if (p == 0) return false;
    memory.copy(p, ptr, <usize>len << 1);
  }
  store<u32>(out, <u32>p);
  return true;
}

/** Stores a copy of the name (code units at `ptr`). False on exhaustion. */
export function setName(id: u32, ptr: usize, len: i32): bool {
  const r = rec(id);
  if (len <= INLINE_UNITS) {
    memory.copy(r + R_INLINE, ptr, <usize>len << 1);
  } else if (!copyUnits(ptr, len, coldOf(r) + C_NAMEPTR)) {
    return false;
  }
  store<u16>(r + R_NAMELEN, <u16>len);
  return true;
}

/** Stores a copy of a link target. False on exhaustion. */
export function setLinkTarget(id: u32, ptr: usize, len: i32): bool {
  const r = rec(id);
  if (!copyUnits(ptr, len, r + R_AUX0)) return false;
  store<u32>(coldOf(r) + C_AUX1, <u32>len);
  return true;
}

// ---- the name index -------------------------------------------------------

function growIndex(): bool {
  const newCap = idxCap << 1;
  const p = allocZeroed(<usize>newCap << 3);
  if (p == 0) return false;
  const mask = newCap - 1;
  for (let i: u32 = 0; i < idxCap; i++) {
    const s = IDX + (<usize>i << 3);
    const id = load<u32>(s + 4);
    if (id == 0) continue;
    const h = load<u32>(s);
    let j = h & mask;
    while (load<u32>(p + (<usize>j << 3) + 4) != 0) j = (j + 1) & mask;
    store<u32>(p + (<usize>j << 3), h);
    store<u32>(p + (<usize>j << 3) + 4, id);
  }
  free(IDX, <usize>idxCap << 3);
  IDX = p;
  idxCap = newCap;
  return true;
}

/** Slot index holding the entry for (parent, folded name), or -1. */
function findSlot(parent: u32, h: u32, ptr: usize, len: i32): i32 {
  const mask = idxCap - 1;
  let j = h & mask;
  for (;;) {
    const s = IDX + (<usize>j << 3);
    const id = load<u32>(s + 4);
    if (id == 0) return -1;
    if (load<u32>(s) == h) {
      const r = rec(id);
      if (load<u32>(r + R_PARENT) == parent && <i32>load<u16>(r + R_NAMELEN) == len &&
          equalFold(namePtrAt(r, len), ptr, len)) return <i32>j;
    }
    j = (j + 1) & mask;
  }
  return -1; // not reached: the table is never full (load ≤ 1/2)
}

/**
 * The directory entry of `dir` named `ptr[0..len)`: case-insensitively the
 * newest entry whose name folds equal (NT walks a bucket chain newest
 * first); case-sensitively the one spelled exactly so. 0 if none.
 */
export function findEntry(dir: u32, ptr: usize, len: i32, caseInsensitive: bool, h: u32): u32 {
  const slot = findSlot(dir, h, ptr, len);
  if (slot < 0) return 0;
  let id = load<u32>(IDX + (<usize>slot << 3) + 4);
  if (caseInsensitive) return id;
  while (id != 0) {
    if (equalExact(recNamePtr(id), ptr, len)) return id;
    id = load<u32>(cold(id) + C_FNEXT);
  }
  return 0;
}

/** Index hash for a name under `dir` (computed once per component). */
export function entryHash(dir: u32, ptr: usize, len: i32): u32 {
  return foldHash(dir, ptr, len);
}

/**
 * Enters named object `id` (its name already set) into directory `dir`:
 * NT bucket chain head, name index, parent reference. False on exhaustion
 * (the object is left unnamed).
 */
export function insertEntry(dir: u32, id: u32, h: u32): bool {
  if ((idxCount + 1) << 1 > idxCap && !growIndex()) return false;
  const r = rec(id);
  const len = <i32>load<u16>(r + R_NAMELEN);
  const ptr = namePtrAt(r, len);
  store<u32>(r + R_PARENT, dir);
  store<u32>(r + R_FHASH, h);
  // Name index: newest entry of this folded name in the slot.
  const slot = findSlot(dir, h, ptr, len);
  if (slot >= 0) {
    const s = IDX + (<usize>slot << 3);
    store<u32>(coldOf(r) + C_FNEXT, load<u32>(s + 4));
    store<u32>(s + 4, id);
  } else {
    store<u32>(coldOf(r) + C_FNEXT, 0);
    const mask = idxCap - 1;
    let j = h & mask;
    while (load<u32>(IDX + (<usize>j << 3) + 4) != 0) j = (j + 1) & mask;
    store<u32>(IDX + (<usize>j << 3), h);
    store<u32>(IDX + (<usize>j << 3) + 4, id);
    idxCount++;
  }
  // NT bucket chain: new entries go to the head.
  const b = ntBucket(ptr, len);
  store<u8>(r + R_NTBUCKET, <u8>b);
  const d = dirInfo(dir);
  const head = load<u32>(d + (<usize>b << 2));
  store<u32>(coldOf(r) + C_BNEXT, head);
  store<u32>(coldOf(r) + C_BPREV, 0);
  if (head != 0) store<u32>(cold(head) + C_BPREV, id);
  store<u32>(d + (<usize>b << 2), id);
  store<u32>(d + D_COUNT, load<u32>(d + D_COUNT) + 1);
  store<u32>(d + D_STAMP, load<u32>(d + D_STAMP) + 1);
  store<u32>(cold(dir) + C_POINTERS, load<u32>(cold(dir) + C_POINTERS) + 1);
  setFlags(id, recFlags(id) | F_NAMED);
  namespaceChanged();
  return true;
}

/** Deletes slot j of the index with backward-shift (no tombstones). */
function deleteSlot(j: u32): void {
  const mask = idxCap - 1;
  let hole = j;
  let k = (j + 1) & mask;
  for (;;) {
    const s = IDX + (<usize>k << 3);
    const id = load<u32>(s + 4);
    if (id == 0) break;
    const home = load<u32>(s) & mask;
    // Move k into the hole if its home is not within (hole, k].
    const dist = (k - home) & mask;
    const holeDist = (k - hole) & mask;
    if (dist >= holeDist) {
      const hs = IDX + (<usize>hole << 3);
      store<u32>(hs, load<u32>(s));
      store<u32>(hs + 4, id);
      hole = k;
    }
    k = (k + 1) & mask;
  }
  store<u32>(IDX + (<usize>hole << 3) + 4, 0);
  store<u32>(IDX + (<usize>hole << 3), 0);
  idxCount--;
}

/**
 * Takes `id` out of its directory (ObpDeleteNameCheck): unlinks the bucket
 * chain and the name index, drops the reference on the parent. The record
 * stays alive while handles or references remain.
 */
export function removeEntry(id: u32): void {
  const r = rec(id);
  if ((load<u8>(r + R_FLAGS) & F_NAMED) == 0) return;
  const dir = load<u32>(r + R_PARENT);
  const len = <i32>load<u16>(r + R_NAMELEN);
  const ptr = namePtrAt(r, len);
  const h = load<u32>(r + R_FHASH);
  const slot = findSlot(dir, h, ptr, len);
  if (slot >= 0) {
    const s = IDX + (<usize>slot << 3);
    const head = load<u32>(s + 4);
    if (head == id) {
      const next = load<u32>(coldOf(r) + C_FNEXT);
      if (next != 0) store<u32>(s + 4, next);
      else deleteSlot(<u32>slot);
    } else {
      let p = head;
      while (p != 0) {
        const pn = load<u32>(cold(p) + C_FNEXT);
        if (pn == id) {
          store<u32>(cold(p) + C_FNEXT, load<u32>(coldOf(r) + C_FNEXT));
          break;
        }
        p = pn;
      }
    }
  }
  const d = dirInfo(dir);
  const prev = load<u32>(coldOf(r) + C_BPREV);
  const next = load<u32>(coldOf(r) + C_BNEXT);
  if (prev != 0) store<u32>(cold(prev) + C_BNEXT, next);
  else store<u32>(d + (<usize>load<u8>(r + R_NTBUCKET) << 2), next);
  if (next != 0) store<u32>(cold(next) + C_BPREV, prev);
  store<u32>(d + D_COUNT, load<u32>(d + D_COUNT) - 1);
  store<u32>(d + D_STAMP, load<u32>(d + D_STAMP) + 1);
  store<u8>(r + R_FLAGS, load<u8>(r + R_FLAGS) & ~F_NAMED);
  namespaceChanged();
  store<u32>(coldOf(r) + C_FNEXT, 0);
  store<u32>(coldOf(r) + C_BNEXT, 0);
  store<u32>(coldOf(r) + C_BPREV, 0);
  // The object keeps `parent` so that a name query can still say where it
  // was; the reference on the parent is what goes.
  dropPointer(dir);
}

@inline export function addHandle(id: u32): void {
  store<u32>(cold(id) + C_HANDLES, load<u32>(cold(id) + C_HANDLES) + 1);
}

@inline export function addPointer(id: u32): void {
  store<u32>(cold(id) + C_POINTERS, load<u32>(cold(id) + C_POINTERS) + 1);
}

/**
 * Drops one handle. A temporary named object whose last handle closes
 * leaves the namespace (windows-facts §1); it is freed once nothing refers
 * to it.
 */
export function dropHandle(id: u32): void {
  const r = rec(id);
  const n = load<u32>(coldOf(r) + C_HANDLES) - 1;
  store<u32>(coldOf(r) + C_HANDLES, n);
  if (n == 0) {
    if ((load<u8>(r + R_FLAGS) & (F_NAMED | F_PERMANENT)) == F_NAMED) removeEntry(id);
    maybeFree(id);
  }
}

export function dropPointer(id: u32): void {
  const r = rec(id);
  store<u32>(coldOf(r) + C_POINTERS, load<u32>(coldOf(r) + C_POINTERS) - 1);
  maybeFree(id);
}

/** Frees `id` when no handle, no reference and no name keep it. */
export function maybeFree(id: u32): void {
  // Iterative: freeing a directory may drop the last reference on its
  // shadow, and so on down a chain.
  let cur = id;
  while (cur != 0) {
    const r = rec(cur);
    const flags = load<u8>(r + R_FLAGS);
    if ((flags & F_LIVE) == 0) return;
    if (load<u32>(coldOf(r) + C_HANDLES) != 0 || load<u32>(coldOf(r) + C_POINTERS) != 0) return;
    if ((flags & F_NAMED) != 0) {
      // A permanent named object with nothing open stays; a temporary one
      // whose last reference went leaves the namespace now.
      if ((flags & F_PERMANENT) != 0) return;
      removeEntry(cur); // re-enters maybeFree(cur) through the parent only
    }
    const type = load<u8>(r + R_TYPE);
    let next: u32 = 0;
    if (type == TYPE_DIRECTORY) {
      const d = dirInfo(cur);
      const shadow = load<u32>(d + D_SHADOW);
      free(d, DIRINFO_SIZE);
      if (shadow != 0) {
        store<u32>(cold(shadow) + C_POINTERS, load<u32>(cold(shadow) + C_POINTERS) - 1);
        next = shadow;
      }
    } else if (type == TYPE_SYMBOLIC_LINK) {
      const len = load<u32>(coldOf(r) + C_AUX1);
      if (len != 0) free(<usize>load<u32>(r + R_AUX0), <usize>len << 1);
    }
    const nlen = <i32>load<u16>(r + R_NAMELEN);
    if (nlen > INLINE_UNITS) free(<usize>load<u32>(coldOf(r) + C_NAMEPTR), <usize>nlen << 1);
    releaseRecord(cur);
    liveObjects--;
    cur = next;
  }
}

/** The host root `\`: object 1, a permanent Directory. */
export function createRoot(): bool {
  const id = newObject(TYPE_DIRECTORY);
  if (id != 1) return false;
  setFlags(id, recFlags(id) | F_PERMANENT | F_NAMED);
  return true;
}
