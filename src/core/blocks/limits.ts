/**
 * Limits of the block store, in one place (house style §6). Mirror of
 * assembly/blocks/limits.ts (AssemblyScript cannot import from src/);
 * test/core/blocks/limits-mirror.test.ts keeps the two equal.
 */
import { NtStatusError } from '../errors.js';
import { STATUS_INVALID_PARAMETER } from '../ntstatus.js';
import type { BlockStoreOptions } from './types.js';

export const BLOCK_LIMITS = {
  /** Smallest block size: one sector. */
  minBlockSize: 512,
  /** Largest block size: 64 KiB. */
  maxBlockSize: 65536,
  /** The default block size (design.md "The WASM core"). */
  defaultBlockSize: 4096,
  /** Virtual sizes are whole sectors … */
  sectorBytes: 512,
  /** … up to 2^40 bytes (1 TiB). */
  maxVirtualSize: 2 ** 40,
  /** Block addresses, diff ranges or delta entries one WASM call passes through the IO area. */
  ioEntries: 16384,
  /** Live disks one store may hold. */
  maxDisks: 1 << 24,
  /**
   * The default quota: 4 GiB of block data, the wasm32 address space. The
   * WASM store's maps live in the same memory, so it reaches its memory
   * ceiling (also STATUS_DISK_FULL) a little before this.
   */
  defaultQuotaBytes: 2 ** 32,
} as const;

/** log2 of a valid block size, or -1 if it is not a power of two in range. */
export function blockShiftOf(blockSize: number): number {
  if (!Number.isInteger(blockSize) || blockSize < BLOCK_LIMITS.minBlockSize || blockSize > BLOCK_LIMITS.maxBlockSize) return -1;
  const shift = Math.log2(blockSize);
  return Number.isInteger(shift) ? shift : -1;
}

/** A virtual size types.ts accepts: an integer number of sectors, 0 … 2^40. */
export function isVirtualSize(size: number): boolean {
  return Number.isSafeInteger(size) && size >= 0 && size <= BLOCK_LIMITS.maxVirtualSize && size % BLOCK_LIMITS.sectorBytes === 0;
}

/** An offset or length types.ts accepts: an integer 0 … 2^53 − 1. */
export function isByteCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** Options with defaults applied and checked (both implementations take them the same way). */
export interface ResolvedOptions {
  blockSize: number;
  blockShift: number;
  /** A multiple of the block size. */
  quotaBytes: number;
  quotaBlocks: number;
}

/**
 * Applies the defaults of BlockStoreOptions. A block size that is not a
 * power of two from 512 to 65536, or a quota that is not an integer ≥ 0, is
 * a programming error at construction: it throws NtStatusError
 * (STATUS_INVALID_PARAMETER) rather than returning a status.
 */
export function resolveOptions(options: BlockStoreOptions): ResolvedOptions {
  const blockSize = options.blockSize ?? BLOCK_LIMITS.defaultBlockSize;
  const blockShift = blockShiftOf(blockSize);
  if (blockShift < 0) throw new NtStatusError('blocks.create', STATUS_INVALID_PARAMETER, `block size ${blockSize}`);
  const quota = options.quotaBytes ?? BLOCK_LIMITS.defaultQuotaBytes;
  if (!isByteCount(quota)) throw new NtStatusError('blocks.create', STATUS_INVALID_PARAMETER, `quota ${quota}`);
  const quotaBlocks = Math.floor(quota / blockSize);
  return { blockSize, blockShift, quotaBytes: quotaBlocks * blockSize, quotaBlocks };
}
