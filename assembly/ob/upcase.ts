// Case folding and name hashing.
//
// Windows compares object names case-insensitively through its upcase
// table (RtlUpcaseUnicodeChar): one UTF-16 code unit to one code unit. The
// TypeScript side builds that table once (src/core/ob/upcase.ts) and copies
// it here at start-up, so both implementations fold identically.
//
// Hot paths fold four code units at a time (SWAR over a u64): for ASCII the
// table maps exactly a–z to A–Z, which `upper4` computes without loads; a
// chunk holding any unit ≥ 0x80 goes through the table unit by unit.

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

// Four UTF-16 lanes in a u64:
//   bits 63..48 unit 3 | 47..32 unit 2 | 31..16 unit 1 | 15..0 unit 0
const NON_ASCII: u64 = 0xff80ff80ff80ff80;
const LANE_BIT7: u64 = 0x0080008000800080;
const LANE_ONES: u64 = 0x0001000100010001;
const LANE_HIGH: u64 = 0x8000800080008000;
const BACKSLASH4: u64 = 0x005c005c005c005c;

/** Upper-cases four ASCII units: lanes in 0x61..0x7A lose 0x20. */
@inline function upper4(x: u64): u64 {
  const geA = x + 0x001f001f001f001f; // bit 7 set iff unit ≥ 0x61 ('a')
  const gtZ = x + 0x0005000500050005; // bit 7 set iff unit ≥ 0x7B ('z' + 1)
  return x - ((geA & ~gtZ & LANE_BIT7) >> 2);
}

/** Four units at `p`, folded through the table. */
function upperSlow4(p: usize): u64 {
  return <u64>up(<u32>load<u16>(p)) |
    (<u64>up(<u32>load<u16>(p + 2)) << 16) |
    (<u64>up(<u32>load<u16>(p + 4)) << 32) |
    (<u64>up(<u32>load<u16>(p + 6)) << 48);
}

/** The first `n` (1–3) units at `p`, folded through the table. */
function upperSlow4Masked(p: usize, n: i32): u64 {
  let x: u64 = 0;
  for (let k = 0; k < n; k++) x |= <u64>up(<u32>load<u16>(p + (<usize>k << 1))) << (<u64>k << 4);
  return x;
}

@inline function fold4(p: usize): u64 {
  const x = load<u64>(p);
  return (x & NON_ASCII) == 0 ? upper4(x) : upperSlow4(p);
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

/** Index hash of (parent, upcased name): a multiply-xorshift over folded u64 chunks. */
export function foldHash(parent: u32, ptr: usize, len: i32): u32 {
  let h: u64 = (<u64>parent * 0x9e3779b97f4a7c15) ^ <u64>len;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    h = (h ^ fold4(ptr + (<usize>i << 1))) * 0xff51afd7ed558ccd;
    h ^= h >> 32;
  }
  if (i < len) {
    // The last 1–3 units: one masked load (the arena keeps slack past every
    // chunk and at the end of memory, so reading 8 bytes is always in bounds).
    const mask: u64 = ((<u64>1) << (<u64>(len - i) << 4)) - 1;
    const x = load<u64>(ptr + (<usize>i << 1)) & mask;
    h = (h ^ ((x & NON_ASCII) == 0 ? upper4(x) : upperSlow4Masked(ptr + (<usize>i << 1), len - i))) * 0xff51afd7ed558ccd;
  }
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53;
  h ^= h >> 29;
  return <u32>h;
}

/** Equal after folding. */
export function equalFold(a: usize, b: usize, len: i32): bool {
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    const x = load<u64>(a + (<usize>i << 1));
    const y = load<u64>(b + (<usize>i << 1));
    if (x == y) continue;
    if (((x | y) & NON_ASCII) == 0) {
      if (upper4(x) != upper4(y)) return false;
    } else if (upperSlow4(a + (<usize>i << 1)) != upperSlow4(b + (<usize>i << 1))) {
      return false;
    }
  }
  if (i < len) {
    const mask: u64 = ((<u64>1) << (<u64>(len - i) << 4)) - 1;
    const x = load<u64>(a + (<usize>i << 1)) & mask;
    const y = load<u64>(b + (<usize>i << 1)) & mask;
    if (x == y) return true;
    if (((x | y) & NON_ASCII) == 0) return upper4(x) == upper4(y);
    return upperSlow4Masked(a + (<usize>i << 1), len - i) == upperSlow4Masked(b + (<usize>i << 1), len - i);
  }
  return true;
}

/** Equal code unit for code unit. */
export function equalExact(a: usize, b: usize, len: i32): bool {
  return memory.compare(a, b, <usize>len << 1) == 0;
}

/** Index of the first `\` in ptr[from..len), or len: four units per step. */
export function nextSeparator(ptr: usize, from: i32, len: i32): i32 {
  let i = from;
  for (; i + 4 <= len; i += 4) {
    const z = load<u64>(ptr + (<usize>i << 1)) ^ BACKSLASH4;
    const zero = (z - LANE_ONES) & ~z & LANE_HIGH;
    // The lowest flagged lane is exact (borrows only run upwards).
    if (zero != 0) return i + <i32>(ctz(zero) >> 4);
  }
  for (; i < len; i++) if (load<u16>(ptr + (<usize>i << 1)) == 0x5c) return i;
  return len;
}
