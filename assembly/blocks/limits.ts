// Limits of the block store, in one place (house style §6). Mirrored in
// src/core/blocks/limits.ts; test/core/blocks/limits-mirror.test.ts keeps the two
// equal.

/** Smallest block: one sector (512 B = 2^9). */
export const MIN_BLOCK_SHIFT: i32 = 9;
/** Largest block: 64 KiB (2^16). */
export const MAX_BLOCK_SHIFT: i32 = 16;
/** Virtual disks are a whole number of sectors … */
export const SECTOR_BYTES: f64 = 512;
/** … up to 2^40 bytes (1 TiB), so a block index always fits in 31 bits. */
export const MAX_VIRTUAL_SIZE: f64 = 1099511627776;
/** Entries of the IO area: block addresses of one read/write call, diff ranges, delta entries. */
export const IO_ENTRIES: i32 = 16384;
/** Live disks one store may hold at once. */
export const MAX_DISKS: u32 = 1 << 24;
