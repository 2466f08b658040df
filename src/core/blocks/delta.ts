/**
 * The delta encoding: a disk's contents relative to a base disk (types.ts
 * BlockStore), the form in which layers and checkpoints carry disks. Both
 * implementations write and read exactly these bytes.
 *
 * Layout (all little-endian):
 *
 *   0      4        8          12               20       24
 *   +------+--------+----------+----------------+--------+---------------
 *   | WSDL | version| blockSize| virtualSize u64| count  | entries …
 *   +------+--------+----------+----------------+--------+---------------
 *   entry:  index u32 | kind u32 (0 zeros, 1 data) | data: blockSize bytes (kind 1 only)
 *
 * Entries are in ascending block index order, each index below the disk's
 * block count. A data entry for a last block that lies partly beyond the
 * virtual size has zeros there (the store keeps those bytes zero).
 */
import { BLOCK_LIMITS, isVirtualSize } from './limits.js';

/** "WSDL" read as a little-endian u32. */
export const DELTA_MAGIC = 0x4c445357;
export const DELTA_VERSION = 1;
export const DELTA_HEADER_BYTES = 24;
export const DELTA_ENTRY_BYTES = 8;

export const DeltaKind = { Zeros: 0, Data: 1 } as const;
export type DeltaKind = (typeof DeltaKind)[keyof typeof DeltaKind];

/** A delta that passed every check of parseDelta. */
export interface ParsedDelta {
  blockSize: number;
  virtualSize: number;
  /** Entry block indexes, strictly ascending. */
  indexes: Uint32Array;
  /** Entry kinds (DeltaKind). */
  kinds: Uint8Array;
  /** For a data entry, where its blockSize bytes start in `bytes`; -1 for zeros. */
  dataOffsets: Float64Array;
  dataEntries: number;
  bytes: Uint8Array;
}

/**
 * Checks a delta completely — magic, version, block size equal to the
 * store's, virtual size (whole sectors, ≤ 2^40), indexes ascending and below
 * the block count, kinds, data tails beyond the virtual size zero, exact
 * length — and returns its entries, or null if anything is wrong (the
 * caller answers STATUS_INVALID_PARAMETER and creates nothing).
 */
export function parseDelta(bytes: Uint8Array, blockSize: number): ParsedDelta | null {
  if (!(bytes instanceof Uint8Array) || bytes.length < DELTA_HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== DELTA_MAGIC || view.getUint32(4, true) !== DELTA_VERSION) return null;
  if (view.getUint32(8, true) !== blockSize) return null;
  const sizeHigh = view.getUint32(16, true);
  if (sizeHigh > BLOCK_LIMITS.maxVirtualSize / 2 ** 32) return null;
  const virtualSize = sizeHigh * 2 ** 32 + view.getUint32(12, true);
  if (!isVirtualSize(virtualSize)) return null;
  const count = view.getUint32(20, true);
  // Each entry takes at least its 8-byte header: a count the bytes cannot hold is refused before allocating.
  if (count > (bytes.length - DELTA_HEADER_BYTES) / DELTA_ENTRY_BYTES) return null;
  const blockCount = Math.ceil(virtualSize / blockSize);
  const lastIndex = blockCount - 1;
  const tailFrom = virtualSize - lastIndex * blockSize;
  const indexes = new Uint32Array(count);
  const kinds = new Uint8Array(count);
  const dataOffsets = new Float64Array(count);
  let dataEntries = 0;
  let pos = DELTA_HEADER_BYTES;
  let previous = -1;
  for (let k = 0; k < count; k++) {
    if (pos + DELTA_ENTRY_BYTES > bytes.length) return null;
    const index = view.getUint32(pos, true);
    const kind = view.getUint32(pos + 4, true);
    pos += DELTA_ENTRY_BYTES;
    if (index <= previous || index >= blockCount) return null;
    previous = index;
    indexes[k] = index;
    if (kind === DeltaKind.Zeros) {
      dataOffsets[k] = -1;
      continue;
    }
    if (kind !== DeltaKind.Data || pos + blockSize > bytes.length) return null;
    if (index === lastIndex && tailFrom < blockSize) {
      for (let i = pos + tailFrom; i < pos + blockSize; i++) if (bytes[i] !== 0) return null;
    }
    kinds[k] = DeltaKind.Data;
    dataOffsets[k] = pos;
    dataEntries++;
    pos += blockSize;
  }
  if (pos !== bytes.length) return null;
  return { blockSize, virtualSize, indexes, kinds, dataOffsets, dataEntries, bytes };
}

/**
 * Writes a delta whose entry counts are known up front (both stores first
 * find the differing blocks, then encode): one allocation, and each data
 * entry's bytes copied once, by the caller, at the offset `data` returns.
 */
export class DeltaWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private pos = DELTA_HEADER_BYTES;

  constructor(
    private readonly blockSize: number,
    virtualSize: number,
    entries: number,
    dataEntries: number,
  ) {
    this.bytes = new Uint8Array(DELTA_HEADER_BYTES + entries * DELTA_ENTRY_BYTES + dataEntries * blockSize);
    this.view = new DataView(this.bytes.buffer);
    this.view.setUint32(0, DELTA_MAGIC, true);
    this.view.setUint32(4, DELTA_VERSION, true);
    this.view.setUint32(8, blockSize, true);
    this.view.setUint32(12, virtualSize % 2 ** 32, true);
    this.view.setUint32(16, Math.floor(virtualSize / 2 ** 32), true);
    this.view.setUint32(20, entries, true);
  }

  /** Block `index` reads zeros. */
  zeros(index: number): void {
    this.view.setUint32(this.pos, index, true);
    this.view.setUint32(this.pos + 4, DeltaKind.Zeros, true);
    this.pos += DELTA_ENTRY_BYTES;
  }

  /** Block `index` holds data: returns where in `bytes` its blockSize bytes go. */
  data(index: number): number {
    this.view.setUint32(this.pos, index, true);
    this.view.setUint32(this.pos + 4, DeltaKind.Data, true);
    const at = this.pos + DELTA_ENTRY_BYTES;
    this.pos = at + this.blockSize;
    return at;
  }
}
