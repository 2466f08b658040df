/**
 * The master file table: fixed-size file records stored in $MFT's data
 * (record 0, whose extents map record numbers to clusters), a free-record
 * list, and a small cache of decoded records.
 *
 * Records are read lazily and decoded once; the cache is bounded (least
 * recently used first out) and holds copies, never the only copy: a
 * record changed by an operation is marked dirty and written when the
 * operation commits. A rollback drops the whole cache, since decoded
 * records may hold changes the disk no longer has.
 */
import { ERROR_DISK_FULL } from '../../../core/win32.js';
import { FS_LIMITS } from '../limits.js';
import type { ClusterBitmap } from './bitmap.js';
import { DiskFailure, type DiskIo } from './disk-io.js';
import {
  CorruptError,
  MFT_RECORD,
  REC,
  REC_MAGIC,
  decodeStream,
  encodeStream,
  inlineCapacity,
  newRecord,
  type BootRecord,
  type Extent,
  type FileRecord,
} from './layout.js';

/** The buffer records are read into, shared by every mounted volume (calls never interleave; a decoded record keeps no view of it). */
const SCRATCH: Record<number, Uint8Array> = {};

/** Most clusters one $MFT growth step takes (NTFS grows its MFT in large steps too). */
const MFT_GROWTH_MAX_CLUSTERS = 64;

export class RecordStore {
  private readonly cache = new Map<number, FileRecord>();
  private readonly dirty = new Map<number, FileRecord>();
  /** Record 0, kept decoded while mounted: its extents locate every record. */
  private mft!: FileRecord;
  private readonly scratch: Uint8Array;

  constructor(
    private readonly io: DiskIo,
    private readonly bitmap: ClusterBitmap,
    private readonly boot: () => BootRecord,
    private readonly bootChanged: () => void,
    private readonly cacheEntries: number = FS_LIMITS.recordCacheEntries,
  ) {
    this.scratch = (SCRATCH[this.recordSize] ??= new Uint8Array(this.recordSize));
  }

  private get recordSize(): number {
    return this.boot().recordSize;
  }

  /** (Re)reads record 0 (at mount, and after a rollback). */
  load(): void {
    this.cache.clear();
    this.dirty.clear();
    this.mft = this.decodeAt(MFT_RECORD, this.boot().mftCluster * this.io.clusterSize);
  }

  /** Starts a fresh $MFT at format: record 0 covering `extent`. */
  formatMft(mft: FileRecord): void {
    this.cache.clear();
    this.dirty.clear();
    this.mft = mft;
    this.markDirty(mft);
  }

  /** Byte offset of record `no` on the disk. */
  private offsetOf(no: number): number {
    const data = this.mft.data;
    if (!data || data.resident) throw new CorruptError('$MFT data is resident');
    let byte = no * this.recordSize;
    for (const e of data.extents) {
      const len = e.count * this.io.clusterSize;
      if (byte < len) return e.lcn * this.io.clusterSize + byte;
      byte -= len;
    }
    throw new CorruptError(`record ${no} is beyond $MFT`);
  }

  private decodeAt(no: number, offset: number): FileRecord {
    const raw = this.scratch;
    this.io.read(offset, raw);
    for (let i = 0; i < 4; i++) if (raw[REC.magic + i] !== REC_MAGIC[i]) throw new CorruptError(`record ${no}: bad magic`);
    const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const r = newRecord(no, v.getUint16(REC.seq, true), false);
    r.flags = v.getUint16(REC.flags, true);
    const streamLength = v.getUint32(REC.stream, true);
    const overflowCount = v.getUint16(REC.overflow, true);
    let stream: Uint8Array;
    if (overflowCount === 0) {
      if (REC.body + streamLength > raw.length) throw new CorruptError(`record ${no}: stream overruns the record`);
      // A view, not a copy: decodeStream copies what it keeps, and the scratch buffer is reused only by the next decode.
      stream = raw.subarray(REC.body, REC.body + streamLength);
    } else {
      for (let i = 0; i < overflowCount; i++) r.overflow.push({ lcn: v.getUint32(REC.body + 8 * i, true), count: v.getUint32(REC.body + 8 * i + 4, true) });
      stream = new Uint8Array(streamLength);
      let p = 0;
      for (const e of r.overflow) {
        const take = Math.min(e.count * this.io.clusterSize, streamLength - p);
        if (take <= 0) break;
        this.io.read(e.lcn * this.io.clusterSize, stream.subarray(p, p + take));
        p += take;
      }
    }
    decodeStream(r, stream);
    return r;
  }

  /** Whether record `no` is in use (read from the disk, not cached). */
  inUse(no: number): boolean {
    if (no >= this.boot().recordHighWater) return false;
    const head = new Uint8Array(8);
    this.io.read(this.offsetOf(no), head);
    return (head[REC.flags]! & 1) !== 0;
  }

  /** Record `no`, from the cache or the disk (then cached). */
  get(no: number): FileRecord {
    if (no === MFT_RECORD) return this.mft;
    const hit = this.cache.get(no);
    if (hit) {
      this.cache.delete(no);
      this.cache.set(no, hit);
      return hit;
    }
    const r = this.dirty.get(no) ?? this.decodeAt(no, this.offsetOf(no));
    this.cache.set(no, r);
    return r;
  }

  /** Record `no` without adding it to the cache (directory listings read every entry once). */
  peek(no: number): FileRecord {
    if (no === MFT_RECORD) return this.mft;
    return this.cache.get(no) ?? this.dirty.get(no) ?? this.decodeAt(no, this.offsetOf(no));
  }

  /** Drops least recently used records beyond the limit (between operations only: see NtfsVolume.run). */
  trim(): void {
    while (this.cache.size > this.cacheEntries) {
      const oldest = this.cache.keys().next().value as number;
      this.cache.delete(oldest);
    }
  }

  markDirty(r: FileRecord): void {
    this.dirty.set(r.no, r);
    if (r.no !== MFT_RECORD) this.cache.set(r.no, r);
  }

  /** A record number for a new file: the free list's head, else a blank one, else after growing $MFT. */
  allocate(): { no: number; seq: number } {
    const boot = this.boot();
    if (boot.freeRecordHead !== 0) {
      const no = boot.freeRecordHead;
      const head = new Uint8Array(REC.body);
      this.io.read(this.offsetOf(no), head);
      const v = new DataView(head.buffer);
      boot.freeRecordHead = v.getUint32(REC.next, true);
      this.bootChanged();
      this.cache.delete(no);
      return { no, seq: v.getUint16(REC.seq, true) };
    }
    if (boot.recordHighWater >= boot.recordCapacity) this.grow();
    const no = boot.recordHighWater++;
    this.bootChanged();
    return { no, seq: 1 };
  }

  /** Adds clusters to $MFT: as many as it has (doubling), at most 64 at a time, next to its last run. */
  private grow(): void {
    const boot = this.boot();
    const data = this.mft.data;
    if (!data || data.resident) throw new CorruptError('$MFT data is resident');
    const have = data.extents.reduce((s, e) => s + e.count, 0);
    const want = Math.max(1, Math.min(have, MFT_GROWTH_MAX_CLUSTERS));
    const last = data.extents[data.extents.length - 1]!;
    let runs: Extent[];
    try {
      runs = this.bitmap.allocate(want, last.lcn + last.count);
    } catch (e) {
      if (!(e instanceof DiskFailure) || want === 1) throw e;
      runs = this.bitmap.allocate(1, last.lcn + last.count);
    }
    for (const r of runs) appendExtent(data.extents, r);
    const added = runs.reduce((s, e) => s + e.count, 0);
    data.size += added * this.io.clusterSize;
    boot.recordCapacity += (added * this.io.clusterSize) / this.recordSize;
    this.bootChanged();
    this.markDirty(this.mft);
  }

  /** Frees record `no`: writes a blank free record at the head of the free list (its sequence number advanced). */
  release(r: FileRecord): void {
    const boot = this.boot();
    const blank = new Uint8Array(this.recordSize);
    const v = new DataView(blank.buffer);
    blank.set(REC_MAGIC, REC.magic);
    v.setUint16(REC.seq, (r.seq + 1) & 0xffff || 1, true);
    v.setUint32(REC.next, boot.freeRecordHead, true);
    this.io.write(this.offsetOf(r.no), blank);
    boot.freeRecordHead = r.no;
    this.bootChanged();
    this.cache.delete(r.no);
    this.dirty.delete(r.no);
  }

  /**
   * Writes every dirty record. A stream larger than the record goes to
   * overflow clusters (allocated here); one that fits again gives them
   * back. $MFT's own record goes last, since allocating may change it.
   */
  flush(): void {
    const order = [...this.dirty.keys()].sort((a, b) => a - b);
    for (const no of order) if (no !== MFT_RECORD) this.write(this.dirty.get(no)!);
    if (this.dirty.has(MFT_RECORD)) this.write(this.mft);
    this.dirty.clear();
  }

  private write(r: FileRecord): void {
    const stream = encodeStream(r);
    const out = new Uint8Array(this.recordSize);
    const v = new DataView(out.buffer);
    out.set(REC_MAGIC, REC.magic);
    v.setUint16(REC.flags, r.flags, true);
    v.setUint16(REC.seq, r.seq, true);
    v.setUint32(REC.stream, stream.length, true);
    const C = this.io.clusterSize;
    if (stream.length <= inlineCapacity(this.recordSize)) {
      if (r.overflow.length > 0) {
        this.bitmap.free(r.overflow);
        r.overflow = [];
      }
      out.set(stream, REC.body);
    } else {
      const need = Math.ceil(stream.length / C);
      const have = r.overflow.reduce((s, e) => s + e.count, 0);
      if (need !== have) {
        const fresh = this.bitmap.allocate(need);
        this.bitmap.free(r.overflow);
        r.overflow = fresh;
      }
      if (8 * r.overflow.length > inlineCapacity(this.recordSize)) throw new DiskFailure(ERROR_DISK_FULL);
      v.setUint16(REC.overflow, r.overflow.length, true);
      r.overflow.forEach((e, i) => {
        v.setUint32(REC.body + 8 * i, e.lcn, true);
        v.setUint32(REC.body + 8 * i + 4, e.count, true);
      });
      let p = 0;
      for (const e of r.overflow) {
        const chunk = new Uint8Array(e.count * C);
        chunk.set(stream.subarray(p, p + chunk.length));
        this.io.write(e.lcn * C, chunk);
        p += chunk.length;
      }
    }
    this.io.write(this.offsetOf(r.no), out);
  }

  /** After a rollback: forget everything decoded and read record 0 again. */
  reset(): void {
    this.load();
  }
}

/** Appends a run to an extent list, merging it with the last run when they touch. */
export function appendExtent(extents: Extent[], e: Extent): void {
  const last = extents[extents.length - 1];
  if (last && last.lcn + last.count === e.lcn) last.count += e.count;
  else extents.push({ ...e });
}
