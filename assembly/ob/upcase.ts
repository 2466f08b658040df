// Case folding and name hashing.
//
// Windows compares object names case-insensitively through its upcase
// table (RtlUpcaseUnicodeChar): one UTF-16 code unit to one code unit. The
// TypeScript side builds that table once (src/core/ob/upcase.ts) and copies
// it here at start-up, so both implementations fold identically.

import { alloc } from '../rt/arena';

let UPCASE: usize = 0;

/** Allocates the 64 Ki-entry u16 table; returns its address for JS to fill. */
export function upcaseTableInit(): usize {
  if (UPCASE == 0) UPCASE = alloc(65536 * 2);
  return UPCASE;
}

@inline export function up(c: u32): u32 {
  return <u32>load<u16>(UPCASE + (<usize>c << 1));
}

/**
 * The NT directory hash (ObpLookupDirectoryEntry): for each upcased code
 * unit, h += (h << 1) + (h >> 1) + c; bucket = h % 37. It decides only the
 * enumeration order users see (windows-facts §1: bucket order, not creation
 * order); lookups go through the name index.
 */
export function ntBucket(ptr: usize, len: i32): u32 {
  let h: u32 = 0;
  for (let i = 0; i < len; i++) {
    const c = up(<u32>load<u16>(ptr + (<usize>i << 1)));
    h += (h << 1) + (h >> 1) + c;
  }
  return h % 37;
}

/** Index hash of (parent, upcased name): FNV-1a over code units, then mixed. */
export function foldHash(parent: u32, ptr: usize, len: i32): u32 {
  let h: u32 = 0x811c9dc5 ^ (parent * 0x9e3779b1);
  for (let i = 0; i < len; i++) {
    h = (h ^ up(<u32>load<u16>(ptr + (<usize>i << 1)))) * 0x01000193;
  }
  h ^= h >> 15;
  h *= 0x2c1b3c6d;
  h ^= h >> 12;
  return h;
}

/** Equal after folding. */
export function equalFold(a: usize, b: usize, len: i32): bool {
  for (let i = 0; i < len; i++) {
    const ca = <u32>load<u16>(a + (<usize>i << 1));
    const cb = <u32>load<u16>(b + (<usize>i << 1));
    if (ca != cb && up(ca) != up(cb)) return false;
  }
  return true;
}

/** Equal code unit for code unit. */
export function equalExact(a: usize, b: usize, len: i32): bool {
  return memory.compare(a, b, <usize>len << 1) == 0;
}
