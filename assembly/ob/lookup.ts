// Name parsing and reparse: ObpLookupObjectName's rules (windows-facts §1–2).
//
// A lookup walks a name component by component from its start directory:
// the root handle's directory for a relative name, else the caller's scope
// root (`\` for the host, `\Silos\<id>` for a process in a silo: every
// lookup from a silo starts at its root). Symbolic links are followed in the
// middle of a name, and at the end unless the caller opens the link itself
// (OBJ_OPENLINK, or asks for type SymbolicLink) or creates. A followed link
// replaces the walked prefix with its target and restarts at the scope
// root, so absolute targets resolved in a silo stay in the silo; a global
// link restarts at the host root and is refused to silo callers.
//
// `\??` (first component of an absolute name) is the caller's device map
// directory; an open that misses there falls back to the scope's
// `\GLOBAL??`; a create does not. A directory with a shadow directory (how
// the host shares e.g. `\Device` with a silo, as NtCreateDirectoryObjectEx
// does) falls back to the shadow on lookups, never on create.

import {
  STATUS_SUCCESS, STATUS_INVALID_HANDLE, STATUS_OBJECT_PATH_SYNTAX_BAD, STATUS_OBJECT_TYPE_MISMATCH,
  STATUS_OBJECT_NAME_INVALID, STATUS_OBJECT_PATH_NOT_FOUND, STATUS_OBJECT_NAME_NOT_FOUND,
  STATUS_NAME_TOO_LONG, STATUS_ACCESS_DENIED,
} from '../rt/ntstatus';
import { alloc } from '../rt/arena';
import { MAX_REPARSE, MAX_EXPANSION_BYTES, MAX_SHADOW_DEPTH } from './limits';
import { TYPE_DIRECTORY, TYPE_SYMBOLIC_LINK, OBJ_CASE_INSENSITIVE, OBJ_OPENLINK } from './types';
import { R_AUX0, C_AUX1, F_GLOBAL_LINK, D_SHADOW, ROOT_ID } from './layout';
import { rec, coldOf, recType, recFlags, dirInfo, findEntry, entryHash } from './objects';
import { handleObject, procSilo, procScopeRoot, procDeviceMap } from './handles';
import { nextSeparator } from './upcase';

const BACKSLASH: u16 = 0x5c;
const QUESTION: u16 = 0x3f;

/** The object found (0 if none: then the insertion point below is set). */
export let L_OBJ: u32 = 0;
/** Create: the directory to insert into, and the final component. */
export let L_PARENT: u32 = 0;
export let L_COMP_PTR: usize = 0;
export let L_COMP_LEN: i32 = 0;
export let L_COMP_HASH: u32 = 0;

let RP_A: usize = 0;
let RP_B: usize = 0;
/** "GLOBAL??" as UTF-16, for finding a scope's global DosDevices directory. */
const GLOBAL_DOSDEVICES: usize = memory.data<u16>([0x47, 0x4c, 0x4f, 0x42, 0x41, 0x4c, 0x3f, 0x3f]);

export function lookupInit(): bool {
  RP_A = alloc(<usize>MAX_EXPANSION_BYTES + 16);
  RP_B = alloc(<usize>MAX_EXPANSION_BYTES + 16);
  return RP_A != 0 && RP_B != 0;
}

/**
 * Empty components (`\a\\b`, a leading `\\`) and a trailing `\` are
 * NAME_INVALID; the lone name `\` is the root.
 */
function validateSyntax(ptr: usize, len: i32): i32 {
  let i = nextSeparator(ptr, 0, len);
  while (i < len) {
    if (i + 1 == len) {
      if (len > 1) return STATUS_OBJECT_NAME_INVALID;
    } else if (load<u16>(ptr + (<usize>(i + 1) << 1)) == BACKSLASH) {
      return STATUS_OBJECT_NAME_INVALID;
    }
    i = nextSeparator(ptr, i + 1, len);
  }
  return STATUS_SUCCESS;
}

/** The scope's `\GLOBAL??` directory, or 0. */
export function scopeGlobalDosDevices(scope: u32): u32 {
  const d = findEntry(scope, GLOBAL_DOSDEVICES, 8, true, entryHash(scope, GLOBAL_DOSDEVICES, 8));
  return d != 0 && recType(d) == TYPE_DIRECTORY ? d : 0;
}

@inline function shadowOf(dir: u32): u32 {
  return load<u32>(dirInfo(dir) + D_SHADOW);
}

/**
 * Resolves `ptr[0..len)` for process p. On STATUS_SUCCESS, either L_OBJ is
 * the object named, or (only when `creating`) L_OBJ is 0 and L_PARENT /
 * L_COMP_* say where to insert. Type checks of the final object are the
 * caller's (open and create differ).
 */
export function lookup(p: u32, rootHandle: u32, ptr: usize, len: i32, attrs: u32, type: u8, creating: bool): i32 {
  L_OBJ = 0;
  L_PARENT = 0;
  const inSilo = procSilo(p) != 0;
  let scope = procScopeRoot(p);
  let buf = ptr;
  let cur: u32;
  let pos: i32;
  let atScopeTop: bool;
  if (rootHandle != 0) {
    const root = handleObject(p, rootHandle);
    if (root == 0) return STATUS_INVALID_HANDLE;
    if (len > 0 && load<u16>(buf) == BACKSLASH) return STATUS_OBJECT_PATH_SYNTAX_BAD;
    if (len == 0) {
      L_OBJ = root;
      return STATUS_SUCCESS;
    }
    if (recType(root) != TYPE_DIRECTORY) return STATUS_OBJECT_TYPE_MISMATCH;
    cur = root;
    pos = 0;
    atScopeTop = false;
  } else {
    if (len == 0 || load<u16>(buf) != BACKSLASH) return STATUS_OBJECT_PATH_SYNTAX_BAD;
    cur = scope;
    pos = 1;
    atScopeTop = true;
  }
  const syntax = validateSyntax(buf, len);
  if (syntax != STATUS_SUCCESS) return syntax;
  if (pos == len) {
    L_OBJ = cur;
    return STATUS_SUCCESS;
  }
  let reparses = 0;
  let useA = true;
  let dosFallback: u32 = 0;
  for (;;) {
    const end = nextSeparator(buf, pos, len);
    const cptr = buf + (<usize>pos << 1);
    const clen = end - pos;
    const isLast = end == len;
    const inserting = creating && isLast;

    // `\??`: the caller's DosDevices (device map), else the scope's \GLOBAL??.
    if (atScopeTop && clen == 2 && load<u16>(cptr) == QUESTION && load<u16>(cptr + 2) == QUESTION) {
      const globalDir = scopeGlobalDosDevices(scope);
      const dm = procDeviceMap(p);
      const target = dm != 0 ? dm : globalDir;
      if (target != 0) {
        atScopeTop = false;
        dosFallback = dm != 0 && globalDir != 0 && dm != globalDir ? globalDir : 0;
        if (isLast) {
          L_OBJ = target;
          return STATUS_SUCCESS;
        }
        cur = target;
        pos = end + 1;
        continue;
      }
    }
    atScopeTop = false;

    // Directory and SymbolicLink names are always matched case-insensitively
    // (windows-facts §1); so is every intermediate component, which can only
    // be one of those two types.
    const ci = !isLast || (attrs & OBJ_CASE_INSENSITIVE) != 0 || type == TYPE_DIRECTORY || type == TYPE_SYMBOLIC_LINK;
    const h = entryHash(cur, cptr, clen);
    let obj = findEntry(cur, cptr, clen, ci, h);
    if (obj == 0 && !inserting) {
      let sh = shadowOf(cur);
      let depth = 0;
      while (obj == 0 && sh != 0 && depth < MAX_SHADOW_DEPTH) {
        obj = findEntry(sh, cptr, clen, ci, entryHash(sh, cptr, clen));
        sh = shadowOf(sh);
        depth++;
      }
      if (obj == 0 && dosFallback != 0) {
        obj = findEntry(dosFallback, cptr, clen, ci, entryHash(dosFallback, cptr, clen));
      }
    }
    dosFallback = 0;
    if (obj == 0) {
      if (!isLast) return STATUS_OBJECT_PATH_NOT_FOUND;
      if (!creating) return STATUS_OBJECT_NAME_NOT_FOUND;
      L_PARENT = cur;
      L_COMP_PTR = cptr;
      L_COMP_LEN = clen;
      L_COMP_HASH = h;
      return STATUS_SUCCESS;
    }
    const ot = recType(obj);
    if (ot == TYPE_SYMBOLIC_LINK && !(isLast && (creating || (attrs & OBJ_OPENLINK) != 0 || type == TYPE_SYMBOLIC_LINK))) {
      if (++reparses > MAX_REPARSE) return STATUS_OBJECT_NAME_NOT_FOUND;
      if ((recFlags(obj) & F_GLOBAL_LINK) != 0) {
        // A global link escapes to the host root (STATUS_REPARSE_GLOBAL);
        // from inside a silo that is the container escape class of
        // windows-facts §2, refused.
        if (inSilo) return STATUS_ACCESS_DENIED;
        scope = ROOT_ID;
      }
      const r = rec(obj);
      const tptr = <usize>load<u32>(r + R_AUX0);
      const tlen = <i32>load<u32>(coldOf(r) + C_AUX1);
      const rem = len - end; // the rest of the name, with its leading `\`
      const newLen = tlen + rem;
      if (newLen << 1 > MAX_EXPANSION_BYTES) return STATUS_NAME_TOO_LONG;
      const dst = useA ? RP_A : RP_B;
      useA = !useA;
      if (tlen > 0) memory.copy(dst, tptr, <usize>tlen << 1);
      if (rem > 0) memory.copy(dst + (<usize>tlen << 1), buf + (<usize>end << 1), <usize>rem << 1);
      buf = dst;
      len = newLen;
      // An empty expansion is the root itself (`\GLOBAL??\GLOBALROOT` → "").
      if (len == 0) {
        L_OBJ = scope;
        return STATUS_SUCCESS;
      }
      if (load<u16>(buf) != BACKSLASH) return STATUS_OBJECT_PATH_SYNTAX_BAD;
      const vs = validateSyntax(buf, len);
      if (vs != STATUS_SUCCESS) return vs;
      cur = scope;
      pos = 1;
      atScopeTop = true;
      if (len == 1) {
        L_OBJ = scope;
        return STATUS_SUCCESS;
      }
      continue;
    }
    if (!isLast) {
      if (ot != TYPE_DIRECTORY) return STATUS_OBJECT_TYPE_MISMATCH;
      cur = obj;
      pos = end + 1;
      continue;
    }
    L_OBJ = obj;
    return STATUS_SUCCESS;
  }
  return STATUS_OBJECT_NAME_NOT_FOUND; // not reached
}
