/**
 * The copy-on-write block store: one interface, two implementations (WASM in
 * wasm.ts, the TypeScript reference in reference.ts). It is the storage under
 * every image layer (a read-only disk) and every container's sandbox (a clone
 * of its image's top layer). Semantics: windows-facts.md §4 and design.md
 * "The WASM core"; every method returns an NTSTATUS (a signed 32-bit number,
 * see ../ntstatus.ts) instead of throwing, so the two implementations can be
 * compared call for call.
 *
 * Design (dm-thin's, not qcow2's): a disk is a block map — a radix tree from
 * virtual block index to physical block — whose nodes and blocks carry
 * reference counts. clone() shares the source's root (O(1) whatever the
 * size); the first write to a shared block copies that one block and the
 * path of tree nodes above it, so reading or writing costs the same whatever
 * the depth of the clone chain.
 *
 * Sizes. Block size: a power of two from 512 B to 64 KiB, fixed per store
 * (4 KiB default). Virtual size: a multiple of 512 (a sector) from 0 to 2^40
 * bytes. Offsets and lengths are JS numbers holding integers 0 … 2^53 − 1.
 * Unwritten and discarded ranges read as zeros.
 *
 * Disk ids are small integers handed out by the store (1, 2, …; a deleted
 * id is reused, most recently freed first). The durable layer above
 * (src/kernel/storage) keeps its own stable ids.
 *
 * Statuses most methods may return, not repeated below:
 *  - STATUS_INVALID_HANDLE           the disk id is 0, deleted, or never existed
 *  - STATUS_INVALID_PARAMETER        a size, offset or length is out of range:
 *                                    not an integer, negative, or (read, write,
 *                                    discard) offset + length beyond the virtual
 *                                    size — the check disk class drivers make on
 *                                    a transfer past the end of the disk
 *  - STATUS_MEDIA_WRITE_PROTECTED    write or discard on a snapshot (read-only) disk
 *  - STATUS_DISK_FULL                no room for a block or a map node: the
 *                                    quota, or the wasm32 memory ceiling. The
 *                                    operation had no effect (all disks are as
 *                                    before it) — for a write spanning several
 *                                    blocks, nothing of it is applied.
 */

export interface BlockStoreOptions {
  /** Bytes per block: a power of two, 512 … 65536. Default 4096. */
  blockSize?: number;
  /**
   * The most bytes of block data the store may hold (a multiple of the block
   * size, rounded down). Default: as much as the implementation can address
   * (the wasm32 4 GiB ceiling less the maps, for the WASM store).
   */
  quotaBytes?: number;
}

export interface DiskResult {
  status: number;
  /** The new disk's id, or 0 on failure. */
  disk: number;
}

/** What `docker system df` and container sizes are made of. */
export interface DiskStats {
  status: number;
  virtualSize: number;
  /** Bytes of blocks this disk maps (block size × mapped blocks). */
  allocatedBytes: number;
  /** Of those, bytes in blocks that another live disk maps too. */
  sharedBytes: number;
  /** allocatedBytes − sharedBytes: what deleting this disk alone would free. */
  exclusiveBytes: number;
  readOnly: boolean;
}

export interface StoreStats {
  blockSize: number;
  /** Physical blocks holding data (each counted once, however many disks map it). */
  blocksInUse: number;
  /** Physical blocks freed and waiting to be reused (their memory is kept). */
  blocksFree: number;
  quotaBytes: number;
  /** Live disks. */
  disks: number;
}

export interface ByteRange {
  offset: number;
  length: number;
}

export interface DiffResult {
  status: number;
  /**
   * Where the two disks' contents differ, in whole blocks (the last one
   * clipped to the larger virtual size), ascending, adjacent blocks merged.
   * Beyond a disk's virtual size it reads as zeros.
   */
  ranges: ByteRange[];
}

export interface DeltaResult {
  status: number;
  /** The encoded delta (see delta.ts), empty on failure. */
  delta: Uint8Array;
}

export interface AuditResult {
  /** STATUS_SUCCESS when every invariant holds. */
  status: number;
  /** What is wrong, for a test's failure message ('' when sound). */
  problem: string;
  /**
   * For every physical block in use, how many live disks map it (through
   * however many shared map nodes). Freed blocks are absent. Keyed by the
   * implementation's physical block number.
   */
  mappers: Map<number, number>;
}

/**
 * The store. A delta is a disk's contents relative to a base disk: every
 * block whose contents differ from the base's (data, or "zeros" where the
 * disk reads zeros and the base does not), plus the disk's virtual size.
 */
export interface BlockStore {
  /** Which implementation this is. */
  readonly impl: 'wasm' | 'ref';
  readonly blockSize: number;

  /** A new empty disk of `virtualSize` bytes (reads as zeros; no block allocated). */
  createDisk(virtualSize: number): DiskResult;
  /** A new writable disk sharing every block of `disk` (which may be a snapshot). O(1). */
  clone(disk: number): DiskResult;
  /** Freezes `disk` read-only (an image layer). Idempotent. */
  snapshot(disk: number): number;
  /** Deletes the disk; blocks and map nodes no other disk maps are freed for reuse. Its clones are unaffected. */
  deleteDisk(disk: number): number;

  /** Writes `data` at byte `offset` (partial blocks are read-modify-write). */
  write(disk: number, offset: number, data: Uint8Array): number;
  /** Reads `into.length` bytes at byte `offset` into `into`. */
  read(disk: number, offset: number, into: Uint8Array): number;
  /**
   * Discards (trims) a byte range: whole blocks inside it are unmapped (and
   * freed when no other disk maps them); the partial blocks at its ends are
   * zero-filled, so the whole range reads as zeros afterwards.
   */
  discard(disk: number, offset: number, length: number): number;

  stats(disk: number): DiskStats;
  storeStats(): StoreStats;

  /** Where disks `a` and `b` differ (content, block granularity). */
  diff(a: number, b: number): DiffResult;
  /** `disk` relative to `base` (0: relative to an empty disk, i.e. its non-zero blocks). */
  exportDelta(disk: number, base: number): DeltaResult;
  /**
   * A new writable disk: a clone of `base` (0: an empty disk) with `delta`
   * applied, of the delta's virtual size. STATUS_INVALID_PARAMETER if the
   * delta is malformed or was made with another block size; nothing is
   * created then.
   */
  importDelta(base: number, delta: Uint8Array): DiskResult;

  /** Checks the internal invariants (reference counts equal references; free lists sound). */
  audit(): AuditResult;
}

/**
 * Direct access to a store's block bytes, without the copy read() and
 * write() make — what a mapped view of a section gives a driver. For
 * in-core callers (the NTFS volume): a 4 KiB read or write through
 * read()/write() is one memory copy plus the store's bookkeeping, and the
 * copy dominates; a caller that can consume or produce bytes in place
 * (hash them, send them to a socket, encode text straight into a block)
 * skips it.
 *
 * A span must lie within one block. On success the bytes are
 * `mapped[mappedOffset]` … `mapped[mappedOffset + length − 1]`; they stay
 * valid until the next call on the store (a call may grow WASM memory,
 * which detaches the old buffer, or copy the block on write). The caller
 * is trusted: `mapped` may expose more than the span (the WASM store's
 * whole linear memory) — touch only the span. A read-mapped span must not
 * be written (an unmapped block maps to a shared block of zeros).
 *
 * Statuses: as read() and write() (checked in the same order), and
 * STATUS_INVALID_PARAMETER for an empty span or one crossing a block
 * boundary.
 */
export interface BlockMapping {
  /** Maps a span for reading. */
  mapForRead(disk: number, offset: number, length: number): number;
  /**
   * Maps a span for writing in place: the block is made private to `disk`
   * first (copy-on-write of that one block), keeping its contents — what
   * the caller leaves unwritten reads as before.
   */
  mapForWrite(disk: number, offset: number, length: number): number;
  /** The array the last successful map points into (owned by the store; read-only for read maps). */
  readonly mapped: Uint8Array;
  /** Where in `mapped` the last successful map's span starts. */
  readonly mappedOffset: number;
}

/**
 * Whole blocks of one disk in batches — the scatter/gather a driver's queue
 * submits, and the batch-friendly ABI of design.md "The WASM core": one call
 * moves many blocks, so the store's checks (and, for the WASM store, the
 * crossing into the module) are paid once per batch, not once per block.
 *
 * `blocks[k]` is a block index; its bytes are `buffer[k × blockSize …
 * (k + 1) × blockSize)`. Checked first, in this order, with nothing done on
 * a failure: the handle (STATUS_INVALID_HANDLE); for writes, a snapshot
 * (STATUS_MEDIA_WRITE_PROTECTED); then STATUS_INVALID_PARAMETER if a block
 * does not lie wholly within the virtual size or the buffer is shorter
 * than blocks.length × blockSize.
 *
 * A batched write is that many whole-block writes in order (a repeated
 * index: the last wins). STATUS_DISK_FULL for block k leaves blocks
 * 0 … k − 1 written and the rest untouched — as a gathered transfer that
 * fails partway; write() is the call with no effect on failure.
 */
export interface BlockBatch {
  readBlocks(disk: number, blocks: Uint32Array, into: Uint8Array): number;
  writeBlocks(disk: number, blocks: Uint32Array, data: Uint8Array): number;
}
