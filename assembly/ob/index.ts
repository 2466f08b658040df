// The object namespace ABI. Every export returns an NTSTATUS as i32 (or a
// count/id where it says so); strings cross through fixed buffers in linear
// memory that the TypeScript side views once (see `obBuffers`), never as
// per-call string arguments. Results come back through the OUT area.
//
// Buffers (addresses from obBuffers(), written into the OUT area):
//   NAME    UTF-16, 32 Ki units  — the name of a create/open
//   TARGET  UTF-16, 32 Ki units  — a link target
//   OUT     1 MiB                 — query results (names, directory entries)
//   META    64 bytes              — scalar results (handle, counts, …)
//   BATCH   lengths u32 × 4096 | statuses i32 × 4096 | handles u32 × 4096
//   BNAMES  UTF-16, 512 Ki units  — a batch's names, concatenated

import { alloc } from '../rt/arena';
import { arenaLiveBytes, arenaSetPageCeiling } from '../rt/arena';
import * as S from '../rt/ntstatus';
import {
  MAX_NAME_BYTES, MAX_BATCH, BATCH_NAME_UNITS, MAX_QUERY_BUFFER, MAX_QUERY_NAME_UNITS,
  DIRECTORY_BUCKETS, MAX_SHADOW_DEPTH,
} from './limits';
import {
  TYPE_DIRECTORY, TYPE_SYMBOLIC_LINK, TYPE_MAX, OBJ_VALID_ATTRIBUTES, OBJ_PERMANENT, OBJ_OPENIF,
  OBJ_CASE_INSENSITIVE, OBJ_OPENLINK,
  PRIV_CREATE_PERMANENT, PRIV_TCB,
} from './types';
import {
  R_AUX0, C_AUX1, C_AUX2, C_BNEXT, C_HANDLES, C_POINTERS, F_NAMED, F_PERMANENT, F_GLOBAL_LINK, F_SILO_ROOT,
  D_SHADOW, D_SILO, D_STAMP, D_CUR_STAMP, D_CUR_INDEX, D_CUR_BUCKET, D_CUR_OBJ, ROOT_ID,
} from './layout';
import {
  objectsInit, createRoot, newObject, setName, setLinkTarget, insertEntry, removeEntry, maybeFree,
  rec, cold, coldOf, recType, recFlags, setFlags, recParent, recNameLen, recNamePtr, dirInfo, isLive, objectCount,
  addPointer, findEntry, entryHash,
} from './objects';
import {
  processesInit, processCreate, processDelete, isProcess, procSilo, procPrivileges, procScopeRoot,
  handleObject, handleInsert, handleClose, handleCount, setDeviceMap, procDeviceMap,
} from './handles';
import { lookupInit, lookup, L_OBJ, L_PARENT, L_COMP_PTR, L_COMP_LEN, L_COMP_HASH } from './lookup';
import { upcaseTableInit } from './upcase';
import {
  pathCacheInit, pathCacheable, pathCacheHash, pathCacheGet, pathCachePut, namespaceChanged, setPathCacheEnabled,
} from './pathcache';

export { upcaseTableInit, arenaSetPageCeiling };

const NAME_UNITS: i32 = 32768;
const OUT_BYTES: i32 = MAX_QUERY_BUFFER + 65536;

let NAME: usize = 0;
let TARGET: usize = 0;
let OUT: usize = 0;
let META: usize = 0;
let BLENS: usize = 0;
let BSTATUS: usize = 0;
let BHANDLES: usize = 0;
let BNAMES: usize = 0;
let ready = false;

// Silo table: (silo id, root directory id) pairs, linear (silos are few).
let SILOS: usize = 0;
let siloCount: i32 = 0;
const MAX_SILOS: i32 = 4096;

/** One-time set-up; returns STATUS_SUCCESS or STATUS_INSUFFICIENT_RESOURCES. */
export function obInit(): i32 {
  if (ready) return S.STATUS_SUCCESS;
  NAME = alloc(<usize>NAME_UNITS << 1);
  TARGET = alloc(<usize>NAME_UNITS << 1);
  OUT = alloc(<usize>OUT_BYTES);
  META = alloc(64);
  BLENS = alloc(<usize>MAX_BATCH << 2);
  BSTATUS = alloc(<usize>MAX_BATCH << 2);
  BHANDLES = alloc(<usize>MAX_BATCH << 2);
  BNAMES = alloc(<usize>BATCH_NAME_UNITS << 1);
  SILOS = alloc(<usize>MAX_SILOS << 3);
  if (NAME == 0 || TARGET == 0 || OUT == 0 || META == 0 || BLENS == 0 || BSTATUS == 0 ||
      BHANDLES == 0 || BNAMES == 0 || SILOS == 0) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!objectsInit() || !processesInit() || !lookupInit() || !pathCacheInit() || !createRoot()) return S.STATUS_INSUFFICIENT_RESOURCES;
  ready = true;
  return S.STATUS_SUCCESS;
}

/** Writes the buffer addresses into META[0..32) and returns META. */
export function obBuffers(): usize {
  store<u32>(META, <u32>NAME);
  store<u32>(META + 4, <u32>TARGET);
  store<u32>(META + 8, <u32>OUT);
  store<u32>(META + 12, <u32>BLENS);
  store<u32>(META + 16, <u32>BSTATUS);
  store<u32>(META + 20, <u32>BHANDLES);
  store<u32>(META + 24, <u32>BNAMES);
  store<u32>(META + 28, <u32>META);
  return META;
}

@inline function setOut(i: i32, v: u32): void {
  store<u32>(META + 32 + (<usize>i << 2), v);
}

function siloRoot(siloId: u32): u32 {
  for (let i = 0; i < siloCount; i++) {
    if (load<u32>(SILOS + (<usize>i << 3)) == siloId) return load<u32>(SILOS + (<usize>i << 3) + 4);
  }
  return 0;
}

// ---- processes --------------------------------------------------------------

/** A process context: > 0 its id; ≤ 0 a failure status. */
export function obProcessCreate(siloId: u32, sessionId: u32, privileges: u32): i32 {
  let scope = ROOT_ID;
  if (siloId != 0) {
    scope = siloRoot(siloId);
    if (scope == 0) return S.STATUS_INVALID_PARAMETER;
  }
  const p = processCreate(siloId, sessionId, privileges, scope);
  return p == 0 ? S.STATUS_INSUFFICIENT_RESOURCES : <i32>p;
}

export function obProcessDelete(p: u32): i32 {
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  processDelete(p);
  return S.STATUS_SUCCESS;
}

/** Sets the directory `\??` means for p; handle 0 resets to the scope's \GLOBAL??. */
export function obSetDeviceMap(p: u32, dirHandle: u32): i32 {
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  if (dirHandle == 0) {
    setDeviceMap(p, 0);
    return S.STATUS_SUCCESS;
  }
  const d = handleObject(p, dirHandle);
  if (d == 0) return S.STATUS_INVALID_HANDLE;
  if (recType(d) != TYPE_DIRECTORY) return S.STATUS_OBJECT_TYPE_MISMATCH;
  setDeviceMap(p, d);
  return S.STATUS_SUCCESS;
}

export function obProcessHandleCount(p: u32): i32 {
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  return <i32>handleCount(p);
}

// ---- create / open / close ----------------------------------------------------

function checkName(nameBytes: i32): i32 {
  if (nameBytes < 0 || (nameBytes & 1) != 0 || nameBytes >= MAX_NAME_BYTES) return S.STATUS_OBJECT_NAME_INVALID;
  return S.STATUS_SUCCESS;
}

/**
 * NtCreate<Type>Object: the name is NAME[0..nameBytes/2); for a link the
 * target is TARGET[0..targetBytes/2); `shadowHandle` gives a new directory a
 * shadow directory (0 = none); `global` marks a new link global. META.out[0]
 * = the new handle. Returns STATUS_SUCCESS, or STATUS_OBJECT_NAME_EXISTS when
 * OBJ_OPENIF opened an existing object.
 */
export function obCreate(p: u32, rootHandle: u32, nameBytes: i32, attrs: u32, type: u8,
                         targetBytes: i32, shadowHandle: u32, global: bool): i32 {
  return createAt(p, rootHandle, NAME, nameBytes, attrs, type, targetBytes, shadowHandle, global);
}

function createAt(p: u32, rootHandle: u32, namePtr: usize, nameBytes: i32, attrs: u32, type: u8,
                  targetBytes: i32, shadowHandle: u32, global: bool): i32 {
  setOut(0, 0);
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  if ((attrs & ~OBJ_VALID_ATTRIBUTES) != 0) return S.STATUS_INVALID_PARAMETER;
  if (type == 0 || type > TYPE_MAX) return S.STATUS_INVALID_PARAMETER;
  const nc = checkName(nameBytes);
  if (nc != S.STATUS_SUCCESS) return nc;
  if (type == TYPE_SYMBOLIC_LINK) {
    if (targetBytes < 0 || (targetBytes & 1) != 0 || targetBytes >= MAX_NAME_BYTES) return S.STATUS_INVALID_PARAMETER;
    // Creating a global link needs SeTcbPrivilege, and is refused outright
    // inside a silo (windows-facts §2: the global-link escape class).
    if (global && (procSilo(p) != 0 || (procPrivileges(p) & PRIV_TCB) == 0)) return S.STATUS_PRIVILEGE_NOT_HELD;
  } else if (targetBytes != 0 || global) {
    return S.STATUS_INVALID_PARAMETER;
  }
  let shadow: u32 = 0;
  if (shadowHandle != 0) {
    if (type != TYPE_DIRECTORY) return S.STATUS_INVALID_PARAMETER;
    shadow = handleObject(p, shadowHandle);
    if (shadow == 0) return S.STATUS_INVALID_HANDLE;
    if (recType(shadow) != TYPE_DIRECTORY) return S.STATUS_OBJECT_TYPE_MISMATCH;
  }
  // OBJ_PERMANENT needs SeCreatePermanentPrivilege (windows-facts §1).
  if ((attrs & OBJ_PERMANENT) != 0 && (procPrivileges(p) & PRIV_CREATE_PERMANENT) == 0) return S.STATUS_PRIVILEGE_NOT_HELD;

  const nameLen = nameBytes >> 1;
  let parent: u32 = 0;
  let cptr: usize = 0;
  let clen: i32 = 0;
  let h: u32 = 0;
  if (nameLen > 0) {
    const st = lookup(p, rootHandle, namePtr, nameLen, attrs, type, true);
    if (st != S.STATUS_SUCCESS) return st;
    if (L_OBJ != 0) {
      // The name exists: OPENIF opens it if the type fits.
      if ((attrs & OBJ_OPENIF) == 0) return S.STATUS_OBJECT_NAME_COLLISION;
      if (recType(L_OBJ) != type) return S.STATUS_OBJECT_TYPE_MISMATCH;
      const hv = handleInsert(p, L_OBJ);
      if (hv == 0) return S.STATUS_INSUFFICIENT_RESOURCES;
      setOut(0, hv);
      return S.STATUS_OBJECT_NAME_EXISTS;
    }
    parent = L_PARENT;
    cptr = L_COMP_PTR;
    clen = L_COMP_LEN;
    h = L_COMP_HASH;
  } else if (rootHandle != 0 && handleObject(p, rootHandle) == 0) {
    return S.STATUS_INVALID_HANDLE;
  }
  const obj = newObject(type);
  if (obj == 0) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (type == TYPE_SYMBOLIC_LINK) {
    if (!setLinkTarget(obj, TARGET, targetBytes >> 1)) {
      maybeFree(obj);
      return S.STATUS_INSUFFICIENT_RESOURCES;
    }
    store<u32>(cold(obj) + C_AUX2, procSilo(p));
    if (global) setFlags(obj, recFlags(obj) | F_GLOBAL_LINK);
  }
  if (shadow != 0) {
    store<u32>(dirInfo(obj) + D_SHADOW, shadow);
    addPointer(shadow);
  }
  if (parent != 0) {
    if (!setName(obj, cptr, clen) || !insertEntry(parent, obj, h)) {
      maybeFree(obj);
      return S.STATUS_INSUFFICIENT_RESOURCES;
    }
    if ((attrs & OBJ_PERMANENT) != 0) setFlags(obj, recFlags(obj) | F_PERMANENT);
  }
  const hv = handleInsert(p, obj);
  if (hv == 0) {
    setFlags(obj, recFlags(obj) & ~F_PERMANENT);
    removeEntry(obj);
    maybeFree(obj);
    return S.STATUS_INSUFFICIENT_RESOURCES;
  }
  setOut(0, hv);
  return S.STATUS_SUCCESS;
}

/** NtOpen<Type>Object: type 0 opens any type. META.out[0] = the handle. */
export function obOpen(p: u32, rootHandle: u32, nameBytes: i32, attrs: u32, type: u8): i32 {
  setOut(0, 0);
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  const st = openAt(p, rootHandle, NAME, nameBytes, attrs, type);
  if (st >= 0) setOut(0, OPENED);
  return st;
}

let OPENED: u32 = 0;

function openAt(p: u32, rootHandle: u32, ptr: usize, nameBytes: i32, attrs: u32, type: u8): i32 {
  if ((attrs & ~OBJ_VALID_ATTRIBUTES) != 0) return S.STATUS_INVALID_PARAMETER;
  if (type > TYPE_MAX) return S.STATUS_INVALID_PARAMETER;
  const nc = checkName(nameBytes);
  if (nc != S.STATUS_SUCCESS) return nc;
  const units = nameBytes >> 1;
  // The path cache serves opens whose every component is matched
  // case-insensitively (see pathcache.ts for why that is sound).
  const cacheable = units > 0 && pathCacheable(units) &&
    ((attrs & OBJ_CASE_INSENSITIVE) != 0 || type == TYPE_DIRECTORY || type == TYPE_SYMBOLIC_LINK);
  let obj: u32 = 0;
  let root: u32 = 0;
  let h: u32 = 0;
  const follow: u32 = (attrs & OBJ_OPENLINK) != 0 || type == TYPE_SYMBOLIC_LINK ? 0 : 1;
  let scope: u32 = 0;
  let devmap: u32 = 0;
  if (cacheable) {
    scope = procScopeRoot(p);
    devmap = procDeviceMap(p);
    root = rootHandle != 0 ? handleObject(p, rootHandle) : 0;
    h = pathCacheHash(scope, devmap, root, follow, ptr, units);
    if (rootHandle == 0 || root != 0) obj = pathCacheGet(h, scope, devmap, root, follow, ptr, units);
  }
  if (obj == 0) {
    const st = lookup(p, rootHandle, ptr, units, attrs, type, false);
    if (st != S.STATUS_SUCCESS) return st;
    obj = L_OBJ;
    if (cacheable) pathCachePut(h, scope, devmap, root, follow, ptr, units, obj);
  }
  if (type != 0 && recType(obj) != type) return S.STATUS_OBJECT_TYPE_MISMATCH;
  const hv = handleInsert(p, obj);
  if (hv == 0) return S.STATUS_INSUFFICIENT_RESOURCES;
  OPENED = hv;
  return S.STATUS_SUCCESS;
}

/** NtClose. */
export function obClose(p: u32, handle: u32): i32 {
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  return handleClose(p, handle) ? S.STATUS_SUCCESS : S.STATUS_INVALID_HANDLE;
}

/**
 * Opens `count` names from BNAMES (lengths in code units in BLENS), all
 * relative to `rootHandle` (0: absolute). Statuses go to BSTATUS, handles to
 * BHANDLES (0 on failure). Returns how many opened, or a negative status for
 * a bad call.
 */
export function obOpenBatch(p: u32, rootHandle: u32, count: i32, attrs: u32, type: u8): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  if (count < 0 || count > MAX_BATCH) return S.STATUS_INVALID_PARAMETER;
  let off: usize = 0;
  let ok = 0;
  for (let i = 0; i < count; i++) {
    const units = load<u32>(BLENS + (<usize>i << 2));
    if (off + <usize>units > <usize>BATCH_NAME_UNITS) {
      // Past the end of the batch buffer: refuse the rest, touch nothing.
      for (let j = i; j < count; j++) {
        store<i32>(BSTATUS + (<usize>j << 2), S.STATUS_INVALID_PARAMETER);
        store<u32>(BHANDLES + (<usize>j << 2), 0);
      }
      break;
    }
    const bytes = units > 0x7fffffff ? -1 : <i32>(units << 1);
    const st = openAt(p, rootHandle, BNAMES + (off << 1), bytes, attrs, type);
    store<i32>(BSTATUS + (<usize>i << 2), st);
    store<u32>(BHANDLES + (<usize>i << 2), st >= 0 ? OPENED : 0);
    if (st >= 0) ok++;
    off += <usize>units;
  }
  return ok;
}

/** Closes `count` handles from BHANDLES; statuses to BSTATUS. Returns how many closed. */
export function obCloseBatch(p: u32, count: i32): i32 {
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  if (count < 0 || count > MAX_BATCH) return S.STATUS_INVALID_PARAMETER;
  let ok = 0;
  for (let i = 0; i < count; i++) {
    const closed = handleClose(p, load<u32>(BHANDLES + (<usize>i << 2)));
    store<i32>(BSTATUS + (<usize>i << 2), closed ? S.STATUS_SUCCESS : S.STATUS_INVALID_HANDLE);
    if (closed) ok++;
  }
  return ok;
}

// ---- queries --------------------------------------------------------------------

/**
 * NtQueryObject(ObjectNameInformation): OUT = the name in code units,
 * META.out[0] = its length. Inside a silo, names under the silo root are
 * given from that root (`\BaseNamedObjects\x`, not `\Silos\380\…`). An
 * unnamed object has the empty name.
 */
export function obQueryName(p: u32, handle: u32): i32 {
  setOut(0, 0);
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  const obj = handleObject(p, handle);
  if (obj == 0) return S.STATUS_INVALID_HANDLE;
  const scope = procScopeRoot(p);
  if (obj == scope || obj == ROOT_ID) {
    store<u16>(OUT, 0x5c);
    setOut(0, 1);
    return S.STATUS_SUCCESS;
  }
  if ((recFlags(obj) & F_NAMED) == 0 && recNameLen(obj) == 0) return S.STATUS_SUCCESS;
  // Total length first, walking up to the scope root or the host root; a
  // detached ancestor (left the namespace) ends the walk after itself.
  let total: i32 = 0;
  let cur = obj;
  for (;;) {
    total += 1 + recNameLen(cur);
    if ((recFlags(cur) & F_NAMED) == 0) break;
    const par = recParent(cur);
    if (par == 0 || par == scope || par == ROOT_ID) break;
    cur = par;
  }
  if (total > MAX_QUERY_NAME_UNITS) return S.STATUS_NAME_TOO_LONG;
  let at = total;
  cur = obj;
  for (;;) {
    const n = recNameLen(cur);
    at -= n;
    memory.copy(OUT + (<usize>at << 1), recNamePtr(cur), <usize>n << 1);
    at -= 1;
    store<u16>(OUT + (<usize>at << 1), 0x5c);
    if ((recFlags(cur) & F_NAMED) == 0) break;
    const par = recParent(cur);
    if (par == 0 || par == scope || par == ROOT_ID) break;
    cur = par;
  }
  setOut(0, <u32>total);
  return S.STATUS_SUCCESS;
}

/** NtQuerySymbolicLinkObject: OUT = target, META.out[0] = its length in code units. */
export function obQueryLink(p: u32, handle: u32): i32 {
  setOut(0, 0);
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  const obj = handleObject(p, handle);
  if (obj == 0) return S.STATUS_INVALID_HANDLE;
  if (recType(obj) != TYPE_SYMBOLIC_LINK) return S.STATUS_OBJECT_TYPE_MISMATCH;
  const len = load<u32>(cold(obj) + C_AUX1);
  memory.copy(OUT, <usize>load<u32>(rec(obj) + R_AUX0), <usize>len << 1);
  setOut(0, len);
  return S.STATUS_SUCCESS;
}

/**
 * NtQueryObject(ObjectBasicInformation): META.out = [type, handleCount,
 * pointerCount (handles + references, as NT counts), attributes
 * (OBJ_PERMANENT when permanent), flags (1 named, 2 global link, 4 silo root)].
 */
export function obQueryObject(p: u32, handle: u32): i32 {
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  const obj = handleObject(p, handle);
  if (obj == 0) return S.STATUS_INVALID_HANDLE;
  const r = rec(obj);
  const f = recFlags(obj);
  setOut(0, recType(obj));
  setOut(1, load<u32>(coldOf(r) + C_HANDLES));
  setOut(2, load<u32>(coldOf(r) + C_HANDLES) + load<u32>(coldOf(r) + C_POINTERS));
  setOut(3, (f & F_PERMANENT) != 0 ? OBJ_PERMANENT : 0);
  setOut(4, ((f & F_NAMED) != 0 ? 1 : 0) | ((f & F_GLOBAL_LINK) != 0 ? 2 : 0) | ((f & F_SILO_ROOT) != 0 ? 4 : 0));
  return S.STATUS_SUCCESS;
}

/** Size NtQueryDirectoryObject charges for one entry on x64. */
@inline function entryCost(nameLen: i32, typeNameLen: i32): i32 {
  // OBJECT_DIRECTORY_INFORMATION (two UNICODE_STRINGs, 32 bytes) plus both
  // strings with their terminating NULs.
  return 32 + ((nameLen + 1) << 1) + ((typeNameLen + 1) << 1);
}

// Lengths of the type names users see ("Directory", "SymbolicLink", …),
// indexed by type; must match src/core/ob/types.ts (a test checks).
const TYPE_NAME_LENGTHS: usize = memory.data<u8>([0, 9, 12, 5, 6, 9, 7, 3, 6, 7, 4, 3]);

/**
 * NtQueryDirectoryObject. Entries in bucket order (windows-facts §1),
 * resumable through `context` (the number of entries already returned).
 * OUT = entries [type u16][nameLen u16][name…]; META.out = [count, new
 * context, return length]. STATUS_SUCCESS (all remaining fitted, or the one
 * entry asked for), STATUS_MORE_ENTRIES (some fitted), STATUS_NO_MORE_ENTRIES
 * (none left), STATUS_BUFFER_TOO_SMALL (not even one fitted; return length
 * says how much it needs).
 */
export function obQueryDirectory(p: u32, handle: u32, bufferLength: i32, single: bool, restart: bool, context: u32): i32 {
  setOut(0, 0);
  setOut(1, context);
  setOut(2, 0);
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  const dir = handleObject(p, handle);
  if (dir == 0) return S.STATUS_INVALID_HANDLE;
  if (recType(dir) != TYPE_DIRECTORY) return S.STATUS_OBJECT_TYPE_MISMATCH;
  if (bufferLength < 0) return S.STATUS_INVALID_PARAMETER;
  if (bufferLength > MAX_QUERY_BUFFER) bufferLength = MAX_QUERY_BUFFER;
  const d = dirInfo(dir);
  const start: u32 = restart ? 0 : context;
  // Find entry number `start`: resume from the cursor when nothing changed.
  let bucket: u32 = 0;
  let obj: u32 = 0;
  let index: u32 = 0;
  if (start > 0 && load<u32>(d + D_CUR_STAMP) == load<u32>(d + D_STAMP) && load<u32>(d + D_CUR_INDEX) == start && load<u32>(d + D_CUR_OBJ) != 0) {
    bucket = load<u32>(d + D_CUR_BUCKET);
    obj = load<u32>(d + D_CUR_OBJ);
    index = start;
  } else {
    obj = load<u32>(d);
    while (obj == 0 && ++bucket < DIRECTORY_BUCKETS) obj = load<u32>(d + (<usize>bucket << 2));
    while (obj != 0 && index < start) {
      index++;
      obj = load<u32>(cold(obj) + C_BNEXT);
      while (obj == 0 && ++bucket < DIRECTORY_BUCKETS) obj = load<u32>(d + (<usize>bucket << 2));
    }
  }
  if (obj == 0) return S.STATUS_NO_MORE_ENTRIES;
  let used: i32 = 32; // the terminating zeroed entry
  let count: u32 = 0;
  let out: usize = OUT;
  let status = S.STATUS_SUCCESS;
  while (obj != 0) {
    const nlen = recNameLen(obj);
    const t = recType(obj);
    const cost = entryCost(nlen, <i32>load<u8>(TYPE_NAME_LENGTHS + <usize>t));
    if (used + cost > bufferLength) {
      if (count == 0) {
        setOut(2, <u32>(used + cost));
        return S.STATUS_BUFFER_TOO_SMALL;
      }
      status = S.STATUS_MORE_ENTRIES;
      break;
    }
    used += cost;
    store<u16>(out, <u16>t);
    store<u16>(out + 2, <u16>nlen);
    memory.copy(out + 4, recNamePtr(obj), <usize>nlen << 1);
    out += 4 + (<usize>nlen << 1);
    count++;
    index++;
    obj = load<u32>(cold(obj) + C_BNEXT);
    while (obj == 0 && ++bucket < DIRECTORY_BUCKETS) obj = load<u32>(d + (<usize>bucket << 2));
    if (single) break;
  }
  store<u32>(d + D_CUR_STAMP, load<u32>(d + D_STAMP));
  store<u32>(d + D_CUR_INDEX, index);
  store<u32>(d + D_CUR_BUCKET, bucket);
  store<u32>(d + D_CUR_OBJ, obj);
  setOut(0, count);
  setOut(1, index);
  setOut(2, <u32>used);
  return status;
}

// ---- lifetime ------------------------------------------------------------------

/** NtMakeTemporaryObject: the object leaves the namespace when its last handle closes. */
export function obMakeTemporary(p: u32, handle: u32): i32 {
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  const obj = handleObject(p, handle);
  if (obj == 0) return S.STATUS_INVALID_HANDLE;
  if ((recFlags(obj) & F_SILO_ROOT) != 0 || obj == ROOT_ID) return S.STATUS_ACCESS_DENIED;
  setFlags(obj, recFlags(obj) & ~F_PERMANENT);
  return S.STATUS_SUCCESS;
}

/** NtMakePermanentObject: needs SeCreatePermanentPrivilege. */
export function obMakePermanent(p: u32, handle: u32): i32 {
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  const obj = handleObject(p, handle);
  if (obj == 0) return S.STATUS_INVALID_HANDLE;
  if ((procPrivileges(p) & PRIV_CREATE_PERMANENT) == 0) return S.STATUS_PRIVILEGE_NOT_HELD;
  if ((recFlags(obj) & F_NAMED) != 0) setFlags(obj, recFlags(obj) | F_PERMANENT);
  return S.STATUS_SUCCESS;
}

/**
 * NtSetInformationSymbolicLink(SymbolicLinkGlobalInformation): marks a link
 * global (resolved from the host root). Needs SeTcbPrivilege; refused inside
 * a silo (windows-facts §2).
 */
export function obSetLinkGlobal(p: u32, handle: u32, global: bool): i32 {
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  const obj = handleObject(p, handle);
  if (obj == 0) return S.STATUS_INVALID_HANDLE;
  if (recType(obj) != TYPE_SYMBOLIC_LINK) return S.STATUS_OBJECT_TYPE_MISMATCH;
  if (procSilo(p) != 0 || (procPrivileges(p) & PRIV_TCB) == 0) return S.STATUS_PRIVILEGE_NOT_HELD;
  setFlags(obj, global ? recFlags(obj) | F_GLOBAL_LINK : recFlags(obj) & ~F_GLOBAL_LINK);
  namespaceChanged();
  return S.STATUS_SUCCESS;
}

// ---- silos ---------------------------------------------------------------------

const SILOS_NAME: usize = memory.data<u16>([0x53, 0x69, 0x6c, 0x6f, 0x73]); // "Silos"

/**
 * Creates the namespace root of server silo `siloId`: the permanent
 * directory `\Silos\<siloId>` (and `\Silos` if missing). META.out[0] = a
 * handle to it for p. Inside a silo this fails with STATUS_PRIVILEGE_NOT_HELD
 * (no nested server silos, windows-facts §2).
 */
export function obSiloCreate(p: u32, siloId: u32): i32 {
  setOut(0, 0);
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  if (procSilo(p) != 0) return S.STATUS_PRIVILEGE_NOT_HELD;
  if (siloId == 0) return S.STATUS_INVALID_PARAMETER;
  if (siloRoot(siloId) != 0) return S.STATUS_OBJECT_NAME_COLLISION;
  if (siloCount >= MAX_SILOS) return S.STATUS_INSUFFICIENT_RESOURCES;
  let silos = findEntry(ROOT_ID, SILOS_NAME, 5, true, entryHash(ROOT_ID, SILOS_NAME, 5));
  if (silos == 0) {
    silos = newObject(TYPE_DIRECTORY);
    if (silos == 0) return S.STATUS_INSUFFICIENT_RESOURCES;
    if (!setName(silos, SILOS_NAME, 5) || !insertEntry(ROOT_ID, silos, entryHash(ROOT_ID, SILOS_NAME, 5))) {
      maybeFree(silos);
      return S.STATUS_INSUFFICIENT_RESOURCES;
    }
    setFlags(silos, recFlags(silos) | F_PERMANENT);
  } else if (recType(silos) != TYPE_DIRECTORY) {
    return S.STATUS_OBJECT_TYPE_MISMATCH;
  }
  // The decimal silo id as the directory name.
  const digits = OUT;
  let n = siloId;
  let len = 0;
  let tmp = n;
  do { len++; tmp /= 10; } while (tmp != 0);
  for (let i = len - 1; i >= 0; i--) {
    store<u16>(digits + (<usize>i << 1), <u16>(0x30 + n % 10));
    n /= 10;
  }
  const h = entryHash(silos, digits, len);
  if (findEntry(silos, digits, len, true, h) != 0) return S.STATUS_OBJECT_NAME_COLLISION;
  const root = newObject(TYPE_DIRECTORY);
  if (root == 0) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!setName(root, digits, len) || !insertEntry(silos, root, h)) {
    maybeFree(root);
    return S.STATUS_INSUFFICIENT_RESOURCES;
  }
  setFlags(root, recFlags(root) | F_PERMANENT | F_SILO_ROOT);
  store<u32>(dirInfo(root) + D_SILO, siloId);
  const hv = handleInsert(p, root);
  if (hv == 0) return S.STATUS_INSUFFICIENT_RESOURCES;
  store<u32>(SILOS + (<usize>siloCount << 3), siloId);
  store<u32>(SILOS + (<usize>siloCount << 3) + 4, root);
  siloCount++;
  setOut(0, hv);
  return S.STATUS_SUCCESS;
}

/**
 * Tears down silo `siloId`'s namespace: every object under `\Silos\<id>`
 * leaves the namespace (objects still open stay alive, unnamed) and the
 * silo id is free again. Host only: STATUS_ACCESS_DENIED inside a silo.
 */
export function obSiloTerminate(p: u32, siloId: u32): i32 {
  if (!isProcess(p)) return S.STATUS_INVALID_CID;
  if (procSilo(p) != 0) return S.STATUS_ACCESS_DENIED;
  const root = siloRoot(siloId);
  if (root == 0) return S.STATUS_INVALID_PARAMETER;
  // Collect the subtree (pre-order) into a list, then remove children first.
  let cap: usize = 1024;
  let list = alloc(cap << 2);
  if (list == 0) return S.STATUS_INSUFFICIENT_RESOURCES;
  let n: usize = 0;
  let scan: usize = 0;
  store<u32>(list, root);
  n = 1;
  while (scan < n) {
    const dir = load<u32>(list + (scan << 2));
    scan++;
    if (recType(dir) != TYPE_DIRECTORY) continue;
    const d = dirInfo(dir);
    for (let b: u32 = 0; b < DIRECTORY_BUCKETS; b++) {
      let c = load<u32>(d + (<usize>b << 2));
      while (c != 0) {
        if (n == cap) {
          const bigger = alloc(cap << 3);
          if (bigger == 0) {
            free_(list, cap << 2);
            return S.STATUS_INSUFFICIENT_RESOURCES;
          }
          memory.copy(bigger, list, cap << 2);
          free_(list, cap << 2);
          list = bigger;
          cap <<= 1;
        }
        store<u32>(list + (n << 2), c);
        n++;
        c = load<u32>(cold(c) + C_BNEXT);
      }
    }
  }
  for (let i = <isize>n - 1; i >= 0; i--) {
    const obj = load<u32>(list + (<usize>i << 2));
    if (!isLive(obj)) continue;
    setFlags(obj, recFlags(obj) & ~(F_PERMANENT | F_SILO_ROOT));
    removeEntry(obj);
    maybeFree(obj);
  }
  free_(list, cap << 2);
  for (let i = 0; i < siloCount; i++) {
    if (load<u32>(SILOS + (<usize>i << 3)) == siloId) {
      siloCount--;
      store<u64>(SILOS + (<usize>i << 3), load<u64>(SILOS + (<usize>siloCount << 3)));
      break;
    }
  }
  return S.STATUS_SUCCESS;
}

import { free as free_ } from '../rt/arena';

// ---- statistics -----------------------------------------------------------------

/** Live objects in the namespace store. */
/** Turns the path cache off (0) or on (1); for benchmarks of uncached lookups. */
export function obSetPathCache(on: bool): void {
  setPathCacheEnabled(on);
}

export function obObjectCount(): u32 {
  return objectCount();
}

/** Bytes of linear memory allocated to live structures. */
export function obLiveBytes(): f64 {
  return <f64>arenaLiveBytes();
}

/** Unused: keeps MAX_SHADOW_DEPTH referenced for the limits mirror test. */
export function obLimits(): usize {
  store<u32>(META + 32, <u32>MAX_SHADOW_DEPTH);
  return META + 32;
}
