// Process contexts and their handle tables.
//
// A process context is who a lookup is made for: its silo (which namespace
// root lookups start at), its session, its privileges, its device map (the
// directory `\??` means) and its handle table. The kernel layer maps PIDs to
// these ids.
//
// Process record (32 bytes, id = index, 0 = none):
//   0 flags u32 (1 = live) | 4 silo id u32 | 8 session id u32 | 12 privileges u32
//   16 table ptr u32 | 20 capacity u32 (entries) | 24 top u32 (next unused index)
//   28 free head u32 (index of the most recently freed entry, 0 = none)
//
// Handle table entry (u32): an object id when in use; a free entry holds
// 0x80000000 | next free index. Handle value = index × 4, index ≥ 1: NT hands
// out multiples of 4 and reuses the most recently freed value first. The low
// two bits of a handle value are ignored, as NT ignores them (they are free
// for applications to tag).
//
// Per-process extra (device map, scope root) lives in a parallel 8-byte record:
//   0 device map dir id u32 | 4 scope root dir id u32

import { alloc, allocZeroed, free } from '../rt/arena';
import { MAX_HANDLES_PER_PROCESS } from './limits';
import { isLive, addHandle, dropHandle, dropPointer, addPointer } from './objects';

const P_SIZE: usize = 32;
const FREE_BIT: u32 = 0x80000000;

let PROCS: usize = 0;
let PEXTRA: usize = 0;
let procCap: u32 = 0;
let procTop: u32 = 1;
let procFree: u32 = 0;

@inline function prec(p: u32): usize { return PROCS + <usize>p * P_SIZE; }
@inline function pextra(p: u32): usize { return PEXTRA + (<usize>p << 3); }

export function processesInit(): bool {
  procCap = 64;
  PROCS = allocZeroed(<usize>procCap * P_SIZE);
  PEXTRA = allocZeroed(<usize>procCap << 3);
  return PROCS != 0 && PEXTRA != 0;
}

export function isProcess(p: u32): bool {
  return p != 0 && p < procTop && load<u32>(prec(p)) == 1;
}
@inline export function procSilo(p: u32): u32 { return load<u32>(prec(p) + 4); }
@inline export function procSession(p: u32): u32 { return load<u32>(prec(p) + 8); }
@inline export function procPrivileges(p: u32): u32 { return load<u32>(prec(p) + 12); }
@inline export function procDeviceMap(p: u32): u32 { return load<u32>(pextra(p)); }
@inline export function procScopeRoot(p: u32): u32 { return load<u32>(pextra(p) + 4); }

function growProcs(): bool {
  const n = procCap << 1;
  const a = allocZeroed(<usize>n * P_SIZE);
  const b = allocZeroed(<usize>n << 3);
  if (a == 0 || b == 0) {
    if (a != 0) free(a, <usize>n * P_SIZE);
    if (b != 0) free(b, <usize>n << 3);
    return false;
  }
  memory.copy(a, PROCS, <usize>procCap * P_SIZE);
  memory.copy(b, PEXTRA, <usize>procCap << 3);
  free(PROCS, <usize>procCap * P_SIZE);
  free(PEXTRA, <usize>procCap << 3);
  PROCS = a;
  PEXTRA = b;
  procCap = n;
  return true;
}

/** A new process context, or 0 when memory is exhausted. */
export function processCreate(silo: u32, session: u32, privileges: u32, scopeRoot: u32): u32 {
  let p = procFree;
  if (p != 0) {
    procFree = load<u32>(prec(p) + 4);
  } else {
    if (procTop >= procCap && !growProcs()) return 0;
    p = procTop++;
  }
  const r = prec(p);
  const table = allocZeroed(16 << 2);
  if (table == 0) {
    store<u32>(r, 0);
    store<u32>(r + 4, procFree);
    procFree = p;
    return 0;
  }
  store<u32>(r, 1);
  store<u32>(r + 4, silo);
  store<u32>(r + 8, session);
  store<u32>(r + 12, privileges);
  store<u32>(r + 16, <u32>table);
  store<u32>(r + 20, 16);
  store<u32>(r + 24, 1);
  store<u32>(r + 28, 0);
  store<u32>(pextra(p), 0);
  store<u32>(pextra(p) + 4, scopeRoot);
  addPointer(scopeRoot);
  return p;
}

/** Sets the directory `\??` means for this process (0: the scope's \GLOBAL??). */
export function setDeviceMap(p: u32, dir: u32): void {
  const old = procDeviceMap(p);
  if (dir != 0) addPointer(dir);
  store<u32>(pextra(p), dir);
  if (old != 0) dropPointer(old);
}

/** Closes every handle, then frees the context. */
export function processDelete(p: u32): void {
  const r = prec(p);
  const table = <usize>load<u32>(r + 16);
  const top = load<u32>(r + 24);
  for (let i: u32 = 1; i < top; i++) {
    const e = load<u32>(table + (<usize>i << 2));
    if (e != 0 && (e & FREE_BIT) == 0) {
      store<u32>(table + (<usize>i << 2), 0);
      dropHandle(e);
    }
  }
  free(table, <usize>load<u32>(r + 20) << 2);
  setDeviceMap(p, 0);
  const scope = procScopeRoot(p);
  store<u32>(pextra(p) + 4, 0);
  store<u32>(r, 0);
  store<u32>(r + 4, procFree);
  procFree = p;
  dropPointer(scope);
}

/** The object a handle refers to in process p, or 0 (STATUS_INVALID_HANDLE). */
export function handleObject(p: u32, handle: u32): u32 {
  const r = prec(p);
  const i = handle >> 2;
  if (i == 0 || i >= load<u32>(r + 24)) return 0;
  const e = load<u32>(<usize>load<u32>(r + 16) + (<usize>i << 2));
  if (e == 0 || (e & FREE_BIT) != 0) return 0;
  return isLive(e) ? e : 0;
}

/** A new handle to `obj` in process p, or 0 when the table cannot grow. */
export function handleInsert(p: u32, obj: u32): u32 {
  const r = prec(p);
  let table = <usize>load<u32>(r + 16);
  let i = load<u32>(r + 28);
  if (i != 0) {
    const e = load<u32>(table + (<usize>i << 2));
    const next = e & ~FREE_BIT;
    store<u32>(r + 28, next);
  } else {
    i = load<u32>(r + 24);
    if (i >= MAX_HANDLES_PER_PROCESS) return 0;
    const cap = load<u32>(r + 20);
    if (i >= cap) {
      const ncap = cap << 1;
      const nt = alloc(<usize>ncap << 2);
      if (nt == 0) return 0;
      memory.copy(nt, table, <usize>cap << 2);
      memory.fill(nt + (<usize>cap << 2), 0, <usize>cap << 2);
      free(table, <usize>cap << 2);
      table = nt;
      store<u32>(r + 16, <u32>nt);
      store<u32>(r + 20, ncap);
    }
    store<u32>(r + 24, i + 1);
  }
  store<u32>(table + (<usize>i << 2), obj);
  addHandle(obj);
  return i << 2;
}

/** Closes a handle; false if it was not a valid handle of p. */
export function handleClose(p: u32, handle: u32): bool {
  const obj = handleObject(p, handle);
  if (obj == 0) return false;
  const r = prec(p);
  const i = handle >> 2;
  const table = <usize>load<u32>(r + 16);
  store<u32>(table + (<usize>i << 2), FREE_BIT | load<u32>(r + 28));
  store<u32>(r + 28, i);
  dropHandle(obj);
  return true;
}

/** Handles currently open in p (for statistics and tests). */
export function handleCount(p: u32): u32 {
  const r = prec(p);
  const table = <usize>load<u32>(r + 16);
  const top = load<u32>(r + 24);
  let n: u32 = 0;
  for (let i: u32 = 1; i < top; i++) {
    const e = load<u32>(table + (<usize>i << 2));
    if (e != 0 && (e & FREE_BIT) == 0) n++;
  }
  return n;
}
