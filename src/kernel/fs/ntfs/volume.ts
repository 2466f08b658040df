/**
 * An NTFS volume on a blocks disk: formatVolume writes an empty one,
 * mountVolume opens one (one boot record and one file record read,
 * whatever the volume holds). See ../README.md for the layout and
 * ../types.ts for the contract and its error codes.
 *
 * Every operation is all-or-nothing: it runs as a transaction over the
 * disk (disk-io.ts) and either commits every write or leaves the disk as
 * it was — ERROR_DISK_FULL never leaves half a file or a name without its
 * record. Operations check everything they can before changing anything,
 * so the undo log is only needed for running out of space.
 *
 * Deterministic: the same operations with the same clock give the same
 * disk bytes (allocation is next-fit from a hint kept on the disk, record
 * numbers come from an on-disk free list, no randomness).
 */
import type { BlockStore } from '../../../core/blocks/index.js';
import { STATUS_INVALID_HANDLE, STATUS_SUCCESS } from '../../../core/ntstatus.js';
import {
  ERROR_ACCESS_DENIED,
  ERROR_ALREADY_EXISTS,
  ERROR_DIRECTORY,
  ERROR_DIR_NOT_EMPTY,
  ERROR_FILE_CORRUPT,
  ERROR_FILE_EXISTS,
  ERROR_FILE_NOT_FOUND,
  ERROR_INVALID_FUNCTION,
  ERROR_INVALID_HANDLE,
  ERROR_INVALID_NAME,
  ERROR_INVALID_PARAMETER,
  ERROR_INVALID_REPARSE_DATA,
  ERROR_PATH_NOT_FOUND,
  ERROR_SHARING_VIOLATION,
  ERROR_TOO_MANY_LINKS,
  ERROR_UNRECOGNIZED_VOLUME,
  ERROR_WRITE_PROTECT,
  Win32Error,
} from '../../../core/win32.js';
import { FS_LIMITS } from '../limits.js';
import { componentProblem, foldName, namesEqual } from '../names.js';
import { DELETE_CLAIM, IMAGE_LOADER_CLAIM, ImageSectionTable, ShareTable, claimOf, type ShareClaim } from '../share-access.js';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NORMAL,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  FILE_ATTRIBUTE_SYSTEM,
  IO_REPARSE_TAG_MOUNT_POINT,
  ReparseRequired,
  type FileHandle,
  type FileInfo,
  type ImageSection,
  type OpenOptions,
  type ReparseData,
  type Volume,
} from '../types.js';
import { ClusterBitmap, bitmapBlockCluster, bitmapBlocks } from './bitmap.js';
import { DataStreams, allocatedClusters, dataSize } from './data.js';
import { DirectoryIndex } from './dir-index.js';
import { DiskFailure, DiskIo, statusToWin32 } from './disk-io.js';
import {
  CorruptError,
  FIRST_USER_RECORD,
  MAX_BITMAP_EXTENTS,
  MFT_RECORD,
  MIN_CLUSTER_SIZE,
  RECORD_SIZE,
  REC_DIRECTORY,
  REC_IN_USE,
  ROOT_RECORD,
  decodeBoot,
  encodeBoot,
  filetimeToMs,
  msToFiletime,
  newRecord,
  type BootRecord,
  type FileRecord,
} from './layout.js';
import { RecordStore } from './mft.js';

/** Attributes SetFileAttributes may set (the rest are the file system's: DIRECTORY, REPARSE_POINT, …). */
export const SETTABLE_ATTRIBUTES = FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM | FILE_ATTRIBUTE_ARCHIVE | 0x100 /* TEMPORARY */ | 0x1000 /* OFFLINE */ | 0x2000; /* NOT_CONTENT_INDEXED */

/** Milliseconds since 1970 (Date.now's unit). Injected so image synthesis gives the same bytes everywhere. */
export type Clock = () => number;

export interface FormatOptions {
  /** Volume label, up to 32 characters; '' (the default) for none. */
  label?: string;
  /** The serial number `dir` and `vol` show as XXXX-XXXX. Default: derived from the clock's first reading. */
  serialNumber?: number;
  /** Default Date.now. */
  clock?: Clock;
}

export interface MountOptions {
  /** Refuse every change with ERROR_WRITE_PROTECT (an image layer: pass it for a snapshot disk). */
  readOnly?: boolean;
  /** Default Date.now. */
  clock?: Clock;
  /** Decoded file records to keep (default FS_LIMITS.recordCacheEntries). */
  recordCacheEntries?: number;
}

/** The root directory (and the reserved records) report HIDDEN | SYSTEM; `C:\` shows 0x16 on Windows. */
const METADATA_ATTRIBUTES = FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM;
/** Initial $MFT: room for 32 records (the 16 reserved and 16 files). */
const INITIAL_MFT_RECORDS = 32;

/**
 * Writes an empty NTFS volume on `disk` (all of it: the disk is trimmed
 * first) and returns it mounted read-write. The cluster is the store's
 * block size, at least 4096 bytes. Throws Win32Error:
 *  - ERROR_INVALID_PARAMETER  block size below 4096, a disk too small for the metadata, a label over 32 characters
 *  - ERROR_WRITE_PROTECT      a snapshot (read-only) disk
 *  - ERROR_INVALID_HANDLE     no such disk
 */
export function formatVolume(store: BlockStore, disk: number, options: FormatOptions = {}): NtfsVolume {
  const op = 'FormatVolume';
  const C = store.blockSize;
  const label = options.label ?? '';
  const clock = options.clock ?? Date.now;
  if (C < MIN_CLUSTER_SIZE) throw new Win32Error(op, ERROR_INVALID_PARAMETER, `block size ${C}`);
  if (label.length > FS_LIMITS.maxLabel) throw new Win32Error(op, ERROR_INVALID_PARAMETER, label);
  const stats = store.stats(disk);
  if (stats.status !== STATUS_SUCCESS) throw new Win32Error(op, statusToWin32(stats.status), `disk ${disk}`);
  if (stats.readOnly) throw new Win32Error(op, ERROR_WRITE_PROTECT, `disk ${disk}`);
  const totalClusters = Math.min(Math.floor(stats.virtualSize / C), 0xffffffff);
  const bitmapClusters = Math.ceil(totalClusters / (8 * C));
  const mftClusters = Math.ceil((INITIAL_MFT_RECORDS * RECORD_SIZE) / C);
  const used = 1 + bitmapClusters + mftClusters;
  if (totalClusters < used + 8) throw new Win32Error(op, ERROR_INVALID_PARAMETER, `disk ${disk}: ${stats.virtualSize} bytes is too small`);
  const now = clock();
  const serialNumber = options.serialNumber ?? serialFromTime(now);

  const st = store.discard(disk, 0, totalClusters * C);
  if (st !== STATUS_SUCCESS) throw new Win32Error(op, statusToWin32(st), `disk ${disk}`);
  const boot: BootRecord = {
    clusterSize: C,
    recordSize: RECORD_SIZE,
    serialNumber: serialNumber >>> 0,
    totalClusters,
    freeClusters: totalClusters - used,
    bitmapCluster: 1,
    bitmapClusters,
    mftCluster: 1 + bitmapClusters,
    recordCapacity: (mftClusters * C) / RECORD_SIZE,
    recordHighWater: FIRST_USER_RECORD,
    freeRecordHead: 0,
    allocationHint: used,
    label,
    bitmapExtents: [],
  };
  const vol = new NtfsVolume(store, disk, boot, { readOnly: false, clock }, true);
  vol.formatMetadata(used, mftClusters, msToFiletime(now));
  return vol;
}

/**
 * Mounts the volume on `disk`: reads the boot record and $MFT's record,
 * nothing else (not even the store's stats(), which walks the disk's map).
 * Mount an image layer (a snapshot disk) with `readOnly: true`; a snapshot
 * mounted without it still refuses every change — the store answers
 * STATUS_MEDIA_WRITE_PROTECTED, the operation rolls back and reports
 * ERROR_WRITE_PROTECT — but `readOnly` reads false. Throws Win32Error:
 *  - ERROR_UNRECOGNIZED_VOLUME  the disk holds no volume of this layout (or another cluster size)
 *  - ERROR_INVALID_HANDLE       no such disk
 */
export function mountVolume(store: BlockStore, disk: number, options: MountOptions = {}): NtfsVolume {
  const op = 'MountVolume';
  const head = new Uint8Array(store.blockSize);
  const rs = store.read(disk, 0, head);
  if (rs === STATUS_INVALID_HANDLE) throw new Win32Error(op, ERROR_INVALID_HANDLE, `disk ${disk}`);
  const boot = rs === STATUS_SUCCESS ? decodeBoot(head) : undefined;
  if (!boot || boot.clusterSize !== store.blockSize || boot.recordSize !== RECORD_SIZE) throw new Win32Error(op, ERROR_UNRECOGNIZED_VOLUME, `disk ${disk}`);
  return new NtfsVolume(store, disk, boot, { readOnly: options.readOnly ?? false, clock: options.clock ?? Date.now, recordCacheEntries: options.recordCacheEntries }, false);
}

/** Windows derives a new volume's serial from the time of formatting; so do we, from the injected clock. */
function serialFromTime(ms: number): number {
  let x = Math.floor(ms) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** Where a walk ended: the directory holding the last component, and the component's record if it exists. */
interface Walk {
  /** Undefined for the root. */
  parent?: FileRecord;
  /** The last component: as stored if it exists, as given otherwise. */
  name: string;
  rec?: FileRecord;
}

const isDir = (r: FileRecord): boolean => (r.flags & REC_DIRECTORY) !== 0;

export class NtfsVolume implements Volume {
  readonly readOnly: boolean;
  private boot: BootRecord;
  private bootDirty = false;
  private readonly clock: Clock;
  private readonly io: DiskIo;
  private readonly bitmap: ClusterBitmap;
  private readonly records: RecordStore;
  private readonly index: DirectoryIndex;
  private readonly data: DataStreams;
  /** Open handles per file record (every handle, attribute-only ones too). */
  private readonly shares = new ShareTable<number>();
  /** Records whose last name was deleted while open: freed when their last handle closes (POSIX delete). */
  private readonly orphans = new Set<number>();
  /** Records mapped as images by running processes (share-access.ts ImageSectionTable). */
  private readonly images = new ImageSectionTable<number>();

  /** @internal use formatVolume / mountVolume. */
  constructor(
    readonly store: BlockStore,
    readonly disk: number,
    boot: BootRecord,
    options: { readOnly: boolean; clock: Clock; recordCacheEntries?: number },
    formatting: boolean,
  ) {
    this.boot = boot;
    this.readOnly = options.readOnly;
    this.clock = options.clock;
    this.io = new DiskIo(store, disk, boot.clusterSize);
    const bootNow = (): BootRecord => this.boot;
    const changed = (): void => {
      this.bootDirty = true;
    };
    this.bitmap = new ClusterBitmap(this.io, bootNow, changed);
    this.records = new RecordStore(this.io, this.bitmap, bootNow, changed, options.recordCacheEntries);
    this.index = new DirectoryIndex(this.io, this.bitmap, () => this.boot.recordSize);
    this.data = new DataStreams(this.io, this.bitmap, () => this.boot.recordSize);
    if (!formatting) {
      try {
        this.records.load();
      } catch (e) {
        throw this.translate('MountVolume', `disk ${disk}`, e);
      }
    }
  }

  /**
   * Writes and trims this mount has sent to its disk so far (DiskIo): equal
   * counts at two moments mean it changed nothing in between — what a cache
   * of answers about its files (the compute service's shared image lookups)
   * checks, the volume being its disk's only writer while mounted.
   */
  get changeCount(): number {
    return this.io.changeCount;
  }

  /** @internal the rest of formatVolume: bitmap, $MFT, reserved records, root directory, boot record. */
  formatMetadata(used: number, mftClusters: number, now: bigint): void {
    this.run('FormatVolume', `disk ${this.disk}`, () => this.writeMetadata(used, mftClusters, now));
  }

  private writeMetadata(used: number, mftClusters: number, now: bigint): void {
    this.bitmap.mark({ lcn: 0, count: used }, true);
    const mft = newRecord(MFT_RECORD, 1, false);
    mft.attributes = METADATA_ATTRIBUTES;
    mft.creationTime = mft.lastAccessTime = mft.lastWriteTime = mft.changeTime = now;
    mft.data = { resident: false, size: mftClusters * this.boot.clusterSize, extents: [{ lcn: this.boot.mftCluster, count: mftClusters }] };
    this.records.formatMft(mft);
    for (let no = 1; no < FIRST_USER_RECORD; no++) {
      const r = newRecord(no, 1, no === ROOT_RECORD);
      r.creationTime = r.lastAccessTime = r.lastWriteTime = r.changeTime = now;
      r.attributes = METADATA_ATTRIBUTES;
      if (no === ROOT_RECORD) {
        r.names.push({ parent: ROOT_RECORD, name: '.' });
        r.index = { resident: true, entries: [] };
      }
      this.records.markDirty(r);
    }
    this.records.flush();
    this.io.write(0, encodeBoot(this.boot));
  }

  get label(): string {
    return this.boot.label;
  }

  get serialNumber(): number {
    return this.boot.serialNumber;
  }

  /** Bytes per cluster (the store's block size). */
  get clusterSize(): number {
    return this.boot.clusterSize;
  }

  space(): { totalBytes: number; freeBytes: number } {
    return { totalBytes: this.boot.totalClusters * this.boot.clusterSize, freeBytes: this.boot.freeClusters * this.boot.clusterSize };
  }

  /**
   * Grows the volume to `totalBytes` (whole clusters), as the platform's
   * ExpandSandboxSize grows a sandbox's volume — to "at least size bytes"
   * (hcsshim wclayer.ExpandScratchSize), so a size at or below the current
   * one changes nothing. The disk must already hold that many bytes
   * (createSandbox makes it so). The new space is free; when the bitmap's
   * runs do not cover it, the bitmap continues in a run at the start of
   * the new space (BootRecord.bitmapExtents). All or nothing. Throws
   * Win32Error: ERROR_WRITE_PROTECT on a read-only volume,
   * ERROR_INVALID_PARAMETER for a size that is not a whole non-negative
   * number of bytes, beyond 2^32 clusters, or an expansion past
   * MAX_BITMAP_EXTENTS bitmap runs; the disk's own refusal (a disk smaller
   * than the size) as its code.
   */
  expand(totalBytes: number): void {
    const op = 'FSCTL_EXTEND_VOLUME';
    this.run(op, '\\', () => {
      if (!Number.isSafeInteger(totalBytes) || totalBytes < 0) this.fail(op, ERROR_INVALID_PARAMETER, String(totalBytes));
      this.checkWritable(op, '\\');
      const total = Math.floor(totalBytes / this.boot.clusterSize);
      const old = this.boot.totalClusters;
      if (total <= old) return;
      if (total > 0xffffffff) this.fail(op, ERROR_INVALID_PARAMETER, String(totalBytes));
      // extra ≤ total − old: the new bitmap run always fits in the new space.
      const extra = Math.ceil(total / (this.boot.clusterSize * 8)) - bitmapBlocks(this.boot);
      if (extra > 0 && this.boot.bitmapExtents.length >= MAX_BITMAP_EXTENTS) this.fail(op, ERROR_INVALID_PARAMETER, String(totalBytes));
      this.mutate(() => {
        this.boot.totalClusters = total;
        this.boot.freeClusters += total - old;
        this.bootDirty = true;
        if (extra > 0) {
          const run = { lcn: old, count: extra };
          this.io.zeroClusters(run);
          this.boot.bitmapExtents = [...this.boot.bitmapExtents, run];
          this.bitmap.mark(run, true);
          this.boot.freeClusters -= extra;
        }
      });
    });
  }

  // ---- plumbing -----------------------------------------------------------------------

  private now(): bigint {
    return msToFiletime(this.clock());
  }

  private translate(op: string, object: string, e: unknown): unknown {
    if (e instanceof Win32Error || e instanceof ReparseRequired) return e;
    if (e instanceof DiskFailure) return new Win32Error(op, e.code, object);
    if (e instanceof CorruptError) return new Win32Error(op, ERROR_FILE_CORRUPT, object);
    return e;
  }

  /**
   * Runs one operation. Records decoded during it stay cached until it
   * ends (one object per record, so changes made through one reference are
   * seen through every other); the cache is trimmed afterwards.
   */
  private run<T>(op: string, object: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw this.translate(op, object, e);
    } finally {
      this.records.trim();
    }
  }

  /**
   * Runs the changing part of an operation as a transaction: commits
   * records and the boot record at the end, or puts every written byte
   * back and forgets every decoded record if anything throws.
   */
  private mutate<T>(fn: () => T): T {
    this.io.begin();
    try {
      const result = fn();
      this.records.flush();
      if (this.bootDirty) this.io.write(0, encodeBoot(this.boot));
      this.bootDirty = false;
      this.io.commit();
      return result;
    } catch (e) {
      this.io.rollback();
      this.bitmap.reset();
      this.bootDirty = false;
      const head = new Uint8Array(this.boot.clusterSize);
      this.io.read(0, head);
      this.boot = decodeBoot(head) ?? this.boot;
      this.records.reset();
      throw e;
    }
  }

  private checkWritable(op: string, path: string): void {
    if (this.readOnly) throw new Win32Error(op, ERROR_WRITE_PROTECT, path);
  }

  private fail(op: string, code: number, path: string): never {
    throw new Win32Error(op, code, path);
  }

  /**
   * Walks `path` from the root. Throws ERROR_INVALID_NAME /
   * ERROR_FILENAME_EXCED_RANGE for a bad component, ERROR_PATH_NOT_FOUND
   * when a directory on the way is missing or is a file, ReparseRequired at
   * a reparse point before the last component (and at the last one when
   * `followLast`). A missing last component is not an error here.
   */
  private walk(op: string, path: string, followLast: boolean): Walk {
    if (path === '\\') return { name: '', rec: this.records.get(ROOT_RECORD) };
    if (!path.startsWith('\\')) this.fail(op, ERROR_INVALID_NAME, path);
    const comps = path.slice(1).split('\\');
    for (const c of comps) {
      const problem = componentProblem(c);
      if (problem !== undefined) this.fail(op, problem, path);
    }
    let cur = this.records.get(ROOT_RECORD);
    for (let i = 0; i < comps.length; i++) {
      const last = i === comps.length - 1;
      if (!isDir(cur)) this.fail(op, ERROR_PATH_NOT_FOUND, path);
      const entry = this.index.lookup(cur, comps[i]!);
      if (!entry) {
        if (last) return { parent: cur, name: comps[i]! };
        this.fail(op, ERROR_PATH_NOT_FOUND, path);
      }
      const rec = this.records.get(entry.ref);
      if (rec.reparse && (!last || followLast)) {
        const at = '\\' + comps.slice(0, i + 1).join('\\');
        throw new ReparseRequired({ ...rec.reparse }, at, last ? '' : '\\' + comps.slice(i + 1).join('\\'));
      }
      if (last) return { parent: cur, name: entry.name, rec };
      cur = rec;
    }
    /* c8 ignore next */
    throw new Error('unreachable');
  }

  private infoOf(r: FileRecord, name: string): FileInfo {
    const dir = isDir(r);
    let attributes = r.attributes | (dir ? FILE_ATTRIBUTE_DIRECTORY : 0) | (r.reparse ? FILE_ATTRIBUTE_REPARSE_POINT : 0);
    if (attributes === 0) attributes = FILE_ATTRIBUTE_NORMAL;
    const size = dir ? 0 : dataSize(r.data);
    const allocationSize = dir || !r.data ? 0 : r.data.resident ? Math.ceil(size / 8) * 8 : allocatedClusters(r.data) * this.boot.clusterSize;
    return {
      name,
      attributes,
      size,
      allocationSize,
      creationTime: filetimeToMs(r.creationTime),
      lastAccessTime: filetimeToMs(r.lastAccessTime),
      lastWriteTime: filetimeToMs(r.lastWriteTime),
      changeTime: filetimeToMs(r.changeTime),
      fileId: r.no,
      linkCount: r.names.length,
      ...(r.reparse ? { reparse: { ...r.reparse } } : {}),
    };
  }

  /** A directory's entries changed: NTFS updates its last-write and change times. */
  private touchDir(dir: FileRecord, now: bigint): void {
    dir.lastWriteTime = dir.changeTime = dir.lastAccessTime = now;
    this.records.markDirty(dir);
  }

  /** A new record named `name` in `parent`. */
  private createRecord(parent: FileRecord, name: string, directory: boolean, attributes: number, reparse?: ReparseData): FileRecord {
    const now = this.now();
    const { no, seq } = this.records.allocate();
    const r = newRecord(no, seq, directory);
    r.attributes = attributes;
    r.creationTime = r.lastAccessTime = r.lastWriteTime = r.changeTime = now;
    r.names.push({ parent: parent.no, name });
    if (directory) r.index = { resident: true, entries: [] };
    else r.data = { resident: true, bytes: new Uint8Array(0) };
    if (reparse) r.reparse = { ...reparse };
    this.records.markDirty(r);
    this.index.insert(parent, name, no);
    this.touchDir(parent, now);
    return r;
  }

  /** Frees a record and everything it holds. */
  private destroy(r: FileRecord): void {
    this.data.truncateAll(r);
    if (r.overflow.length > 0) this.bitmap.free(r.overflow);
    r.overflow = [];
    this.records.release(r);
  }

  /** Removes the name `w.name` in `w.parent`; frees the record when it was the last name and nothing holds it open. */
  private unlink(w: Required<Pick<Walk, 'parent' | 'rec'>> & Walk, now: bigint): void {
    const r = w.rec;
    this.index.remove(w.parent, w.name);
    const k = r.names.findIndex((n) => n.parent === w.parent.no && namesEqual(n.name, w.name));
    if (k >= 0) r.names.splice(k, 1);
    this.touchDir(w.parent, now);
    if (r.names.length > 0 || this.shares.isOpen(r.no)) {
      r.changeTime = now;
      this.records.markDirty(r);
    } else this.destroy(r);
  }

  // ---- Volume -------------------------------------------------------------------------

  stat(path: string, opts: { openReparsePoint?: boolean } = {}): FileInfo {
    const op = 'GetFileAttributesEx';
    return this.run(op, path, () => {
      const w = this.walk(op, path, !opts.openReparsePoint);
      if (!w.rec) this.fail(op, ERROR_FILE_NOT_FOUND, path);
      return this.infoOf(w.rec, w.name);
    });
  }

  list(path: string): FileInfo[] {
    const op = 'FindFirstFile';
    return this.run(op, path, () => {
      const w = this.walk(op, path, true);
      if (!w.rec) this.fail(op, ERROR_PATH_NOT_FOUND, path);
      if (!isDir(w.rec)) this.fail(op, ERROR_DIRECTORY, path);
      return this.index.entries(w.rec).map((e) => this.infoOf(this.records.peek(e.ref), e.name));
    });
  }

  open(path: string, opts: OpenOptions): FileHandle {
    const op = 'CreateFile';
    return this.run(op, path, () => {
      if (opts.directory && opts.nonDirectory) this.fail(op, ERROR_INVALID_PARAMETER, path);
      const w = this.walk(op, path, false);
      const claim = claimOf(opts);
      const d = opts.disposition;
      const truncating = d === 'overwrite' || d === 'overwriteIf' || d === 'supersede';
      if (w.rec) {
        const r = w.rec;
        if (d === 'create') this.fail(op, ERROR_FILE_EXISTS, path);
        if (r.reparse && !opts.openReparsePoint) throw new ReparseRequired({ ...r.reparse }, path, '');
        if (isDir(r)) {
          if (opts.nonDirectory || truncating || (claim.write && !opts.directory)) this.fail(op, ERROR_ACCESS_DENIED, path);
        } else {
          if (opts.directory) this.fail(op, ERROR_DIRECTORY, path);
          if (r.attributes & FILE_ATTRIBUTE_READONLY && (claim.write || claim.delete || truncating)) this.fail(op, ERROR_ACCESS_DENIED, path);
          // FILE_OVERWRITE / SUPERSEDE must name the hidden and system bits the file has (CreateFile, CREATE_ALWAYS: ERROR_ACCESS_DENIED).
          const hs = FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM;
          if (truncating && (r.attributes & hs & ~(opts.attributes ?? 0)) !== 0) this.fail(op, ERROR_ACCESS_DENIED, path);
        }
        const shareAs = truncating ? { ...claim, write: true } : claim;
        if (this.shares.conflicts(r.no, shareAs)) this.fail(op, ERROR_SHARING_VIOLATION, path);
        // A running image: MmFlushImageSection(MmFlushForWrite) fails, STATUS_SHARING_VIOLATION.
        if ((claim.write || truncating) && this.images.isMapped(r.no)) this.fail(op, ERROR_SHARING_VIOLATION, path);
        if (claim.write || claim.delete || truncating) this.checkWritable(op, path);
        if (truncating) {
          this.mutate(() => {
            const now = this.now();
            this.data.truncateAll(r);
            r.attributes = ((opts.attributes ?? 0) & SETTABLE_ATTRIBUTES) | FILE_ATTRIBUTE_ARCHIVE;
            r.lastWriteTime = r.changeTime = r.lastAccessTime = now;
            this.records.markDirty(r);
          });
        }
        return this.handle(r, claim, w.name, path);
      }
      if (d === 'open' || d === 'overwrite') this.fail(op, ERROR_FILE_NOT_FOUND, path);
      this.checkWritable(op, path);
      const parent = w.parent!;
      const r = this.mutate(() =>
        opts.directory
          ? this.createRecord(parent, w.name, true, (opts.attributes ?? 0) & SETTABLE_ATTRIBUTES & ~FILE_ATTRIBUTE_ARCHIVE)
          : this.createRecord(parent, w.name, false, ((opts.attributes ?? 0) & SETTABLE_ATTRIBUTES) | FILE_ATTRIBUTE_ARCHIVE),
      );
      return this.handle(r, claim, w.name, path);
    });
  }

  private handle(r: FileRecord, claim: ShareClaim, name: string, path: string): FileHandle {
    this.shares.add(r.no, claim);
    return new NtfsHandle(this, r.no, claim, name, path, isDir(r));
  }

  createDirectory(path: string): void {
    const op = 'CreateDirectory';
    this.run(op, path, () => {
      const w = this.walk(op, path, false);
      if (w.rec) this.fail(op, ERROR_ALREADY_EXISTS, path);
      this.checkWritable(op, path);
      this.mutate(() => this.createRecord(w.parent!, w.name, true, 0));
    });
  }

  removeDirectory(path: string): void {
    const op = 'RemoveDirectory';
    this.run(op, path, () => {
      const w = this.walk(op, path, false);
      if (!w.rec) this.fail(op, ERROR_FILE_NOT_FOUND, path);
      if (!isDir(w.rec)) this.fail(op, ERROR_DIRECTORY, path);
      if (!w.parent) this.fail(op, ERROR_ACCESS_DENIED, path);
      this.checkWritable(op, path);
      if (this.shares.conflicts(w.rec.no, DELETE_CLAIM)) this.fail(op, ERROR_SHARING_VIOLATION, path);
      if (w.rec.attributes & FILE_ATTRIBUTE_READONLY) this.fail(op, ERROR_ACCESS_DENIED, path);
      if (!this.index.isEmpty(w.rec)) this.fail(op, ERROR_DIR_NOT_EMPTY, path);
      this.mutate(() => this.unlink(w as Required<Walk>, this.now()));
      this.noteOrphan(w.rec);
    });
  }

  deleteFile(path: string): void {
    const op = 'DeleteFile';
    this.run(op, path, () => {
      const w = this.walk(op, path, false);
      if (!w.rec) this.fail(op, ERROR_FILE_NOT_FOUND, path);
      // DeleteFile of a directory (a directory symlink or junction too) is refused: that is RemoveDirectory's job.
      if (isDir(w.rec) || !w.parent) this.fail(op, ERROR_ACCESS_DENIED, path);
      this.checkWritable(op, path);
      if (this.shares.conflicts(w.rec.no, DELETE_CLAIM)) this.fail(op, ERROR_SHARING_VIOLATION, path);
      if (w.rec.attributes & FILE_ATTRIBUTE_READONLY) this.fail(op, ERROR_ACCESS_DENIED, path);
      // A running image: MmFlushImageSection(MmFlushForDelete) fails, STATUS_CANNOT_DELETE → ERROR_ACCESS_DENIED
      // (every name of it: decision, the facts speak of the file, not of its links).
      if (this.images.isMapped(w.rec.no)) this.fail(op, ERROR_ACCESS_DENIED, path);
      this.mutate(() => this.unlink(w as Required<Walk>, this.now()));
      this.noteOrphan(w.rec);
    });
  }

  /**
   * NtCreateSection(SEC_IMAGE) on the file at `path` (Volume.mapImage):
   * the loader's open (IMAGE_LOADER_CLAIM) must be granted, then the file
   * is held as an image until the section is closed.
   */
  mapImage(path: string, fileId?: number): ImageSection {
    const op = 'NtCreateSection';
    return this.run(op, path, () => {
      let rec = fileId === undefined ? undefined : this.fileById(fileId, path.slice(path.lastIndexOf('\\') + 1));
      if (!rec) {
        const w = this.walk(op, path, true);
        if (!w.rec) this.fail(op, ERROR_FILE_NOT_FOUND, path);
        rec = w.rec;
      }
      if (isDir(rec)) this.fail(op, ERROR_ACCESS_DENIED, path);
      const no = rec.no;
      if (this.shares.conflicts(no, IMAGE_LOADER_CLAIM)) this.fail(op, ERROR_SHARING_VIOLATION, path);
      this.images.map(no);
      let open = true;
      return {
        fileId: no,
        close: () => {
          if (!open) return;
          open = false;
          this.images.unmap(no);
        },
      };
    });
  }

  /** File record `no` if it is a file in use with a name `name` (a hint's check); undefined otherwise. */
  private fileById(no: number, name: string): FileRecord | undefined {
    if (!Number.isSafeInteger(no) || no < FIRST_USER_RECORD || no >= this.boot.recordHighWater) return undefined;
    let r: FileRecord;
    try {
      r = this.records.get(no);
    } catch (e) {
      if (e instanceof CorruptError) return undefined;
      throw e;
    }
    if (!(r.flags & REC_IN_USE) || isDir(r) || r.reparse || !r.names.some((n) => namesEqual(n.name, name))) return undefined;
    return r;
  }

  /**
   * Since Windows 10 1903 DeleteFile removes the name at once even while
   * handles are open (POSIX semantics; dotnet/corefx#38186): the file lives
   * on, nameless, until its last handle closes.
   */
  private noteOrphan(r: FileRecord): void {
    if (r.names.length === 0 && this.shares.isOpen(r.no)) this.orphans.add(r.no);
  }

  rename(from: string, to: string, replaceExisting: boolean): void {
    const op = 'MoveFileEx';
    this.run(op, from, () => {
      const src = this.walk(op, from, false);
      if (!src.rec) this.fail(op, ERROR_FILE_NOT_FOUND, from);
      if (!src.parent) this.fail(op, ERROR_ACCESS_DENIED, from);
      const dst = this.walk(op, to, false);
      if (!dst.parent) this.fail(op, ERROR_ACCESS_DENIED, to);
      this.checkWritable(op, from);
      const r = src.rec;
      const newName = to.slice(to.lastIndexOf('\\') + 1);
      // The same entry: a rename that changes only the case of the name (or nothing).
      const sameName = dst.rec === r && dst.parent.no === src.parent.no && namesEqual(dst.name, src.name);
      if (sameName && newName === src.name) return;
      if (isDir(r)) {
        // Not into itself: directly (ERROR_SHARING_VIOLATION before Windows 11 22H2, python/cpython#120883) or deeper (ERROR_ACCESS_DENIED).
        for (let d: FileRecord | undefined = dst.parent; d; ) {
          if (d.no === r.no) this.fail(op, d === dst.parent ? ERROR_SHARING_VIOLATION : ERROR_ACCESS_DENIED, to);
          if (d.no === ROOT_RECORD) break;
          d = this.records.get(d.names[0]?.parent ?? ROOT_RECORD);
        }
      }
      if (this.shares.conflicts(r.no, DELETE_CLAIM)) this.fail(op, ERROR_SHARING_VIOLATION, from);
      // NTFS refuses to move a directory while a file below it is open.
      if (isDir(r) && this.openBelow(r.no)) this.fail(op, ERROR_ACCESS_DENIED, from);
      let victim: (Walk & { parent: FileRecord; rec: FileRecord }) | undefined;
      if (dst.rec && !sameName) {
        if (!replaceExisting) this.fail(op, ERROR_ALREADY_EXISTS, to);
        // MOVEFILE_REPLACE_EXISTING cannot replace a directory or move one over a file; a read-only or open target is refused.
        if (isDir(dst.rec) || isDir(r)) this.fail(op, ERROR_ACCESS_DENIED, to);
        if (dst.rec.attributes & FILE_ATTRIBUTE_READONLY) this.fail(op, ERROR_ACCESS_DENIED, to);
        if ((this.shares.isOpen(dst.rec.no) || this.images.isMapped(dst.rec.no)) && dst.rec !== r) this.fail(op, ERROR_ACCESS_DENIED, to);
        victim = dst as Walk & { parent: FileRecord; rec: FileRecord };
      }
      this.mutate(() => {
        const now = this.now();
        if (victim) this.unlink(victim, now);
        this.index.remove(src.parent!, src.name);
        const link = r.names.find((n) => n.parent === src.parent!.no && namesEqual(n.name, src.name));
        if (link) {
          link.parent = dst.parent!.no;
          link.name = newName;
        }
        this.index.insert(dst.parent!, newName, r.no);
        r.changeTime = now;
        this.records.markDirty(r);
        this.touchDir(src.parent!, now);
        if (dst.parent!.no !== src.parent!.no) this.touchDir(dst.parent!, now);
      });
    });
  }

  /** Whether any open file (or running image) lies below directory `dir` (following each one's first name up to the root). */
  private openBelow(dir: number): boolean {
    for (const keys of [this.shares.openKeys(), this.images.keys()]) if (this.below(keys, dir)) return true;
    return false;
  }

  private below(keys: Iterable<number>, dir: number): boolean {
    for (const no of keys) {
      let r = this.records.get(no);
      for (let depth = 0; depth < 4096 && r.no !== ROOT_RECORD; depth++) {
        const up = r.names[0]?.parent;
        if (up === undefined) break;
        if (up === dir) return true;
        r = this.records.get(up);
      }
    }
    return false;
  }

  setAttributes(path: string, attributes: number): void {
    const op = 'SetFileAttributes';
    this.run(op, path, () => {
      const w = this.walk(op, path, false);
      if (!w.rec) this.fail(op, ERROR_FILE_NOT_FOUND, path);
      this.checkWritable(op, path);
      const r = w.rec;
      this.mutate(() => {
        r.attributes = attributes & SETTABLE_ATTRIBUTES;
        r.changeTime = this.now();
        this.records.markDirty(r);
      });
    });
  }

  setTimes(path: string, times: Partial<Pick<FileInfo, 'creationTime' | 'lastAccessTime' | 'lastWriteTime'>>): void {
    const op = 'SetFileTime';
    this.run(op, path, () => {
      for (const t of [times.creationTime, times.lastAccessTime, times.lastWriteTime]) {
        if (t !== undefined && !Number.isFinite(t)) this.fail(op, ERROR_INVALID_PARAMETER, path);
      }
      const w = this.walk(op, path, false);
      if (!w.rec) this.fail(op, ERROR_FILE_NOT_FOUND, path);
      this.checkWritable(op, path);
      const r = w.rec;
      this.mutate(() => {
        if (times.creationTime !== undefined) r.creationTime = msToFiletime(times.creationTime);
        if (times.lastAccessTime !== undefined) r.lastAccessTime = msToFiletime(times.lastAccessTime);
        if (times.lastWriteTime !== undefined) r.lastWriteTime = msToFiletime(times.lastWriteTime);
        r.changeTime = this.now();
        this.records.markDirty(r);
      });
    });
  }

  createReparsePoint(path: string, data: ReparseData, directory: boolean): void {
    const op = 'CreateSymbolicLink';
    this.run(op, path, () => {
      const w = this.walk(op, path, false);
      if (w.rec) this.fail(op, ERROR_ALREADY_EXISTS, path);
      if (data.substituteName.length === 0 || data.substituteName.length > FS_LIMITS.maxPath) this.fail(op, ERROR_INVALID_REPARSE_DATA, path);
      if (data.tag === IO_REPARSE_TAG_MOUNT_POINT) {
        // A junction is a directory whose target is an absolute NT path (FSCTL_SET_REPARSE_POINT checks both).
        if (!directory) this.fail(op, ERROR_DIRECTORY, path);
        if (data.relative || !data.substituteName.startsWith('\\')) this.fail(op, ERROR_INVALID_REPARSE_DATA, path);
      }
      this.checkWritable(op, path);
      const attributes = directory ? 0 : FILE_ATTRIBUTE_ARCHIVE;
      this.mutate(() => this.createRecord(w.parent!, w.name, directory, attributes, { tag: data.tag >>> 0, substituteName: data.substituteName, printName: data.printName, relative: data.relative }));
    });
  }

  createHardLink(path: string, existing: string): void {
    const op = 'CreateHardLink';
    this.run(op, path, () => {
      const ex = this.walk(op, existing, false);
      if (!ex.rec) this.fail(op, ERROR_FILE_NOT_FOUND, existing);
      if (isDir(ex.rec)) this.fail(op, ERROR_ACCESS_DENIED, existing);
      const w = this.walk(op, path, false);
      if (w.rec) this.fail(op, ERROR_ALREADY_EXISTS, path);
      if (ex.rec.names.length >= FS_LIMITS.maxHardLinks) this.fail(op, ERROR_TOO_MANY_LINKS, existing);
      this.checkWritable(op, path);
      const r = ex.rec;
      this.mutate(() => {
        const now = this.now();
        r.names.push({ parent: w.parent!.no, name: w.name });
        r.changeTime = now;
        this.records.markDirty(r);
        this.index.insert(w.parent!, w.name, r.no);
        this.touchDir(w.parent!, now);
      });
    });
  }

  /** The `label` command: sets or (with '') removes the volume label. */
  setLabel(label: string): void {
    const op = 'SetVolumeLabel';
    this.run(op, label, () => {
      if (label.length > FS_LIMITS.maxLabel) this.fail(op, ERROR_INVALID_NAME, label);
      this.checkWritable(op, label);
      this.mutate(() => {
        this.boot.label = label;
        this.bootDirty = true;
      });
    });
  }

  // ---- handles (called by NtfsHandle) ---------------------------------------------------

  /** @internal */
  handleInfo(h: NtfsHandle): FileInfo {
    return this.run('GetFileInformationByHandle', h.path, () => {
      const r = this.records.get(h.record);
      const link = r.names.find((n) => namesEqual(n.name, h.name)) ?? r.names[0];
      return this.infoOf(r, link?.name ?? h.name);
    });
  }

  /** @internal */
  handleRead(h: NtfsHandle, position: number, into: Uint8Array): number {
    const op = 'ReadFile';
    return this.run(op, h.path, () => {
      if (!h.claim.read) this.fail(op, ERROR_ACCESS_DENIED, h.path);
      if (h.directory) this.fail(op, ERROR_INVALID_FUNCTION, h.path);
      if (!Number.isSafeInteger(position) || position < 0) this.fail(op, ERROR_INVALID_PARAMETER, h.path);
      return this.data.read(this.records.get(h.record), position, into);
    });
  }

  /** @internal */
  handleWrite(h: NtfsHandle, position: number, bytes: Uint8Array): number {
    const op = 'WriteFile';
    return this.run(op, h.path, () => {
      if (!h.claim.write) this.fail(op, ERROR_ACCESS_DENIED, h.path);
      if (h.directory) this.fail(op, ERROR_INVALID_FUNCTION, h.path);
      if (!Number.isSafeInteger(position) || position < 0) this.fail(op, ERROR_INVALID_PARAMETER, h.path);
      // A zero-byte WriteFile changes nothing (it does not extend the file to `position`).
      if (bytes.length === 0) return 0;
      this.mutate(() => {
        const r = this.records.get(h.record);
        this.data.write(r, position, bytes);
        const now = this.now();
        r.attributes |= FILE_ATTRIBUTE_ARCHIVE;
        r.lastWriteTime = r.changeTime = r.lastAccessTime = now;
        this.records.markDirty(r);
      });
      return bytes.length;
    });
  }

  /** @internal */
  handleSetSize(h: NtfsHandle, size: number): void {
    const op = 'SetEndOfFile';
    this.run(op, h.path, () => {
      if (!h.claim.write) this.fail(op, ERROR_ACCESS_DENIED, h.path);
      if (h.directory) this.fail(op, ERROR_INVALID_FUNCTION, h.path);
      if (!Number.isSafeInteger(size) || size < 0) this.fail(op, ERROR_INVALID_PARAMETER, h.path);
      this.mutate(() => {
        const r = this.records.get(h.record);
        this.data.setSize(r, size);
        const now = this.now();
        r.attributes |= FILE_ATTRIBUTE_ARCHIVE;
        r.lastWriteTime = r.changeTime = now;
        this.records.markDirty(r);
      });
    });
  }

  /** @internal */
  handleClose(h: NtfsHandle): void {
    const last = this.shares.remove(h.record, h.claim);
    if (last && this.orphans.has(h.record)) {
      this.orphans.delete(h.record);
      if (this.readOnly) return;
      this.run('CloseHandle', h.path, () => this.mutate(() => this.destroy(this.records.get(h.record))));
    }
  }

  // ---- checking ---------------------------------------------------------------------------

  /**
   * Checks the volume's invariants by reading all of it (tests only: it is
   * O(volume)): every reachable record's names match the index entries
   * leading to it, each allocated cluster is owned once, the bitmap marks
   * exactly the owned clusters, and the free count agrees. '' when sound.
   */
  audit(): string {
    try {
      return this.auditInner();
    } catch (e) {
      return `audit failed: ${(e as Error).message}`;
    }
  }

  private auditInner(): string {
    const C = this.boot.clusterSize;
    const owner = new Map<number, string>();
    const own = (lcn: number, count: number, who: string): string => {
      for (let c = lcn; c < lcn + count; c++) {
        if (c >= this.boot.totalClusters) return `${who}: cluster ${c} beyond the volume`;
        const prev = owner.get(c);
        if (prev !== undefined) return `cluster ${c} owned by ${prev} and ${who}`;
        owner.set(c, who);
      }
      return '';
    };
    let p = own(0, 1 + this.boot.bitmapClusters, 'boot+bitmap');
    if (p) return p;
    for (const e of this.boot.bitmapExtents) if ((p = own(e.lcn, e.count, 'bitmap'))) return p;
    const mft = this.records.get(MFT_RECORD);
    if (!mft.data || mft.data.resident) return '$MFT data resident';
    for (const e of mft.data.extents) if ((p = own(e.lcn, e.count, '$MFT'))) return p;
    for (const e of mft.overflow) if ((p = own(e.lcn, e.count, '$MFT overflow'))) return p;
    const seen = new Map<number, number>();
    const nodeClusters = (cluster: number, who: string): string => {
      if ((p = own(cluster, 1, who))) return p;
      const buf = new Uint8Array(C);
      this.io.read(cluster * C, buf);
      if (buf[2]! > 0) {
        const v = new DataView(buf.buffer);
        const count = v.getUint16(4, true);
        for (let i = 0; i < count; i++) {
          const at = v.getUint16(8 + 2 * i, true);
          if ((p = nodeClusters(v.getUint32(at, true), who))) return p;
        }
      }
      return '';
    };
    const visit = (dir: FileRecord): string => {
      if (dir.index && !dir.index.resident && (p = nodeClusters(dir.index.root, `index of ${dir.no}`))) return p;
      let prev: string | undefined;
      for (const e of this.index.entries(dir)) {
        const key = foldName(e.name);
        if (prev !== undefined && !(prev < key)) return `index of ${dir.no} out of order at ${e.name}`;
        prev = key;
        const r = this.records.peek(e.ref);
        if (!(r.flags & REC_IN_USE)) return `entry ${e.name} in ${dir.no} leads to free record ${e.ref}`;
        if (!r.names.some((n) => n.parent === dir.no && n.name === e.name)) return `record ${r.no} lacks the name ${e.name} in ${dir.no}`;
        const count = (seen.get(r.no) ?? 0) + 1;
        seen.set(r.no, count);
        if (count > 1) continue;
        for (const e2 of r.overflow) if ((p = own(e2.lcn, e2.count, `overflow of ${r.no}`))) return p;
        if (r.data && !r.data.resident) {
          for (const x of r.data.extents) if ((p = own(x.lcn, x.count, `data of ${r.no}`))) return p;
          if (allocatedClusters(r.data) < Math.ceil(r.data.size / C)) return `record ${r.no}: size beyond its clusters`;
        }
        if (isDir(r) && (p = visit(r))) return p;
      }
      return '';
    };
    const root = this.records.get(ROOT_RECORD);
    if ((p = visit(root))) return p;
    for (const [no, count] of seen) if (this.records.peek(no).names.length !== count) return `record ${no}: ${this.records.peek(no).names.length} names, ${count} index entries`;
    for (const no of this.orphans) {
      const r = this.records.peek(no);
      if (r.data && !r.data.resident) for (const x of r.data.extents) if ((p = own(x.lcn, x.count, `data of orphan ${no}`))) return p;
      for (const e of r.overflow) if ((p = own(e.lcn, e.count, `overflow of orphan ${no}`))) return p;
    }
    // The bitmap marks exactly the owned clusters.
    const blocks = bitmapBlocks(this.boot);
    const bm = new Uint8Array(blocks * C);
    for (let k = 0; k < blocks; k++) this.io.read(bitmapBlockCluster(this.boot, k) * C, bm.subarray(k * C, (k + 1) * C));
    let used = 0;
    for (let c = 0; c < this.boot.totalClusters; c++) {
      const set = (bm[c >>> 3]! & (1 << (c & 7))) !== 0;
      if (set) used++;
      if (set !== owner.has(c)) return `cluster ${c}: bitmap says ${set ? 'used' : 'free'}, ${owner.get(c) ?? 'nobody'} owns it`;
    }
    if (this.boot.totalClusters - used !== this.boot.freeClusters) return `free count ${this.boot.freeClusters}, bitmap has ${this.boot.totalClusters - used}`;
    return '';
  }
}

/** A handle to an open file or directory of an NtfsVolume. */
export class NtfsHandle implements FileHandle {
  private closed = false;

  constructor(
    private readonly volume: NtfsVolume,
    /** @internal */
    readonly record: number,
    /** @internal */
    readonly claim: ShareClaim,
    /** @internal the name it was opened by */
    readonly name: string,
    /** The volume path it was opened by (the view's handles carry the full Win32 path). */
    readonly path: string,
    /** @internal */
    readonly directory: boolean,
  ) {}

  private check(op: string): void {
    if (this.closed) throw new Win32Error(op, ERROR_INVALID_HANDLE, this.path);
  }

  info(): FileInfo {
    this.check('GetFileInformationByHandle');
    return this.volume.handleInfo(this);
  }

  read(position: number, into: Uint8Array): number {
    this.check('ReadFile');
    return this.volume.handleRead(this, position, into);
  }

  write(position: number, data: Uint8Array): number {
    this.check('WriteFile');
    return this.volume.handleWrite(this, position, data);
  }

  setSize(size: number): void {
    this.check('SetEndOfFile');
    this.volume.handleSetSize(this, size);
  }

  close(): void {
    this.check('CloseHandle');
    this.closed = true;
    this.volume.handleClose(this);
  }
}
