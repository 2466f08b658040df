// The path cache: full names that opened successfully, with the object they
// named, so a repeated open costs one hash and one compare of the whole
// name instead of a directory lookup per component (the role of Linux's
// dcache; NT walks every time, and so does the reference implementation —
// users see the same statuses and objects either way).
//
// Soundness: an entry is used only while the namespace is exactly as it was
// when the entry was made. Every change that can alter a lookup's result
// (an entry inserted into or removed from any directory, a link made global
// or not) bumps `nsGeneration`, which invalidates every entry at once. What
// else a lookup depends on is in the key: the caller's scope root (its silo)
// and device map (`\??`), the root directory object of a relative open, and
// whether a link at the end is followed. Only opens whose every component is
// compared case-insensitively are cached (OBJ_CASE_INSENSITIVE, or a
// Directory/SymbolicLink open), so names equal after folding share an entry.

import { allocZeroed } from '../rt/arena';
import { foldHash, equalFold } from './upcase';

/** Sets (a power of two) of two slots each: the newest entry of a set is in its first slot. */
const SETS: u32 = 16384;
const SLOTS: u32 = SETS * 2;
/** Longest name cached, in code units (longer names are looked up every time). */
export const PATH_CACHE_MAX_UNITS: i32 = 112;
const SLOT_BYTES: usize = 256;
// Slot layout: hash, generation, scope, device map, root object, follow flag, object, length, name.
const S_HASH: usize = 0;
const S_GEN: usize = 4;
const S_SCOPE: usize = 8;
const S_DEVMAP: usize = 12;
const S_ROOT: usize = 16;
const S_FLAGS: usize = 20;
const S_OBJ: usize = 24;
const S_LEN: usize = 28;
const S_NAME: usize = 32;

let CACHE: usize = 0;
let enabled = true;
/** Namespace generation; 0 is never current, so zeroed slots are never valid. */
let nsGeneration: u32 = 1;

/** Whether opens of a name this long are cached at all. */
@inline export function pathCacheable(len: i32): bool {
  return enabled && len <= PATH_CACHE_MAX_UNITS;
}

export function pathCacheInit(): bool {
  CACHE = allocZeroed(<usize>SLOTS * SLOT_BYTES);
  return CACHE != 0;
}

/** The namespace changed: forget every cached path. */
@inline export function namespaceChanged(): void {
  nsGeneration++;
  if (nsGeneration == 0) {
    // Wrapped: clear, so an entry of the previous round can't come back valid.
    memory.fill(CACHE, 0, <usize>SLOTS * SLOT_BYTES);
    nsGeneration = 1;
  }
}

/** Turns the cache off or on (benchmarks measure uncached lookups with it off). */
export function setPathCacheEnabled(on: bool): void {
  enabled = on;
  namespaceChanged();
}

/** The key hash of an open (computed once, used by get and then put). */
export function pathCacheHash(scope: u32, devmap: u32, root: u32, follow: u32, ptr: usize, len: i32): u32 {
  const seed = scope ^ (devmap * 0x9e3779b1) ^ (root * 0x85ebca77) ^ (follow << 31);
  return foldHash(seed, ptr, len);
}

@inline function setOf(h: u32): usize {
  return CACHE + <usize>(h & (SETS - 1)) * (SLOT_BYTES << 1);
}

@inline function matches(s: usize, h: u32, scope: u32, devmap: u32, root: u32, follow: u32, ptr: usize, len: i32): bool {
  return load<u32>(s + S_HASH) == h && load<u32>(s + S_GEN) == nsGeneration &&
    load<u32>(s + S_SCOPE) == scope && load<u32>(s + S_DEVMAP) == devmap && load<u32>(s + S_ROOT) == root &&
    load<u32>(s + S_FLAGS) == follow && load<i32>(s + S_LEN) == len && equalFold(s + S_NAME, ptr, len);
}

/** The object a cached open of this name would find, or 0. Only for names pathCacheable accepts. */
export function pathCacheGet(h: u32, scope: u32, devmap: u32, root: u32, follow: u32, ptr: usize, len: i32): u32 {
  const set = setOf(h);
  if (matches(set, h, scope, devmap, root, follow, ptr, len)) return load<u32>(set + S_OBJ);
  const second = set + SLOT_BYTES;
  if (matches(second, h, scope, devmap, root, follow, ptr, len)) return load<u32>(second + S_OBJ);
  return 0;
}

/** Remembers that this open found `obj`. Only for names pathCacheable accepts. */
export function pathCachePut(h: u32, scope: u32, devmap: u32, root: u32, follow: u32, ptr: usize, len: i32, obj: u32): void {
  const s = setOf(h);
  // The first slot's entry, if still current, moves to the second (evicting that one).
  if (load<u32>(s + S_GEN) == nsGeneration) {
    memory.copy(s + SLOT_BYTES, s, S_NAME + (<usize>load<i32>(s + S_LEN) << 1));
  }
  store<u32>(s + S_HASH, h);
  store<u32>(s + S_GEN, nsGeneration);
  store<u32>(s + S_SCOPE, scope);
  store<u32>(s + S_DEVMAP, devmap);
  store<u32>(s + S_ROOT, root);
  store<u32>(s + S_FLAGS, follow);
  store<u32>(s + S_OBJ, obj);
  store<i32>(s + S_LEN, len);
  memory.copy(s + S_NAME, ptr, <usize>len << 1);
}
