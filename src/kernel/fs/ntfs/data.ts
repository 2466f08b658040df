/**
 * A file's unnamed data stream ($DATA): resident in the file record while
 * the record has room (NTFS keeps files of up to ~700 bytes resident),
 * else in extents of clusters. Invariant: bytes past end of file inside
 * allocated clusters read as zeros — new clusters are zeroed (discarded)
 * when allocated and a shrink zeroes the rest of its last cluster — so
 * growing a file never shows old data, as NTFS's valid-data length
 * guarantees.
 */
import type { ClusterBitmap } from './bitmap.js';
import type { DiskIo } from './disk-io.js';
import { appendExtent } from './mft.js';
import { inlineCapacity, streamSize, type DataAttribute, type Extent, type FileRecord } from './layout.js';

export function dataSize(d: DataAttribute | undefined): number {
  if (!d) return 0;
  return d.resident ? d.bytes.length : d.size;
}

export function allocatedClusters(d: DataAttribute | undefined): number {
  if (!d || d.resident) return 0;
  let n = 0;
  for (const e of d.extents) n += e.count;
  return n;
}

export class DataStreams {
  constructor(
    private readonly io: DiskIo,
    private readonly bitmap: ClusterBitmap,
    private readonly recordSize: () => number,
  ) {}

  private get C(): number {
    return this.io.clusterSize;
  }

  /** Whether `r`'s data could stay resident at `size` bytes. */
  private fitsResident(r: FileRecord, size: number): boolean {
    const saved = r.data;
    r.data = { resident: true, bytes: new Uint8Array(0) };
    const fits = streamSize(r) + size <= inlineCapacity(this.recordSize());
    r.data = saved;
    return fits;
  }

  /** Calls `fn` for each piece of the file range [pos, pos + length) with its disk offset. */
  private pieces(extents: readonly Extent[], pos: number, length: number, fn: (diskOffset: number, at: number, n: number) => void): void {
    const C = this.C;
    let vcnStart = 0;
    let done = 0;
    for (const e of extents) {
      const start = vcnStart * C;
      const end = start + e.count * C;
      vcnStart += e.count;
      if (end <= pos + done) continue;
      while (done < length && pos + done < end) {
        const off = pos + done - start;
        const n = Math.min(end - (pos + done), length - done);
        fn(e.lcn * C + off, done, n);
        done += n;
      }
      if (done >= length) return;
    }
  }

  read(r: FileRecord, pos: number, into: Uint8Array): number {
    const d = r.data;
    const size = dataSize(d);
    if (!d || pos >= size) return 0;
    const n = Math.min(into.length, size - pos);
    if (d.resident) {
      into.set(d.bytes.subarray(pos, pos + n));
      return n;
    }
    this.pieces(d.extents, pos, n, (off, at, len) => this.io.read(off, into.subarray(at, at + len)));
    return n;
  }

  /** Makes the data non-resident with room for `size` bytes, moving the resident bytes out. */
  private makeNonResident(r: FileRecord, size: number): void {
    const d = r.data;
    const bytes = d && d.resident ? d.bytes : new Uint8Array(0);
    r.data = { resident: false, size: bytes.length, extents: [] };
    this.ensureAllocated(r, Math.max(size, bytes.length));
    if (bytes.length > 0) this.pieces(r.data.extents, 0, bytes.length, (off, at, n) => this.io.write(off, bytes.subarray(at, at + n)));
  }

  /** Allocates (zeroed) clusters so that `size` bytes fit. */
  private ensureAllocated(r: FileRecord, size: number): void {
    const d = r.data;
    if (!d || d.resident) return;
    const have = allocatedClusters(d);
    const need = Math.ceil(size / this.C);
    if (need <= have) return;
    const last = d.extents[d.extents.length - 1];
    const runs = this.bitmap.allocate(need - have, last ? last.lcn + last.count : undefined);
    for (const run of runs) {
      this.io.zeroClusters(run);
      appendExtent(d.extents, run);
    }
  }

  /** Writes `data` at `pos`, growing the file as needed. */
  write(r: FileRecord, pos: number, data: Uint8Array): void {
    const size = dataSize(r.data);
    const newSize = Math.max(size, pos + data.length);
    const d = r.data;
    if (!d || d.resident) {
      if (this.fitsResident(r, newSize)) {
        const old = d && d.resident ? d.bytes : new Uint8Array(0);
        const bytes = new Uint8Array(newSize);
        bytes.set(old);
        bytes.set(data, pos);
        r.data = { resident: true, bytes };
        return;
      }
      this.makeNonResident(r, newSize);
    }
    const nr = r.data as Extract<DataAttribute, { resident: false }>;
    this.ensureAllocated(r, newSize);
    if (data.length > 0) this.pieces(nr.extents, pos, data.length, (off, at, n) => this.io.write(off, data.subarray(at, at + n)));
    nr.size = newSize;
  }

  /** SetEndOfFile: grows with zeros or truncates, freeing whole clusters past the end. */
  setSize(r: FileRecord, size: number): void {
    const d = r.data;
    const old = dataSize(d);
    if (size === old) return;
    if (!d || d.resident) {
      if (this.fitsResident(r, size)) {
        const bytes = new Uint8Array(size);
        if (d && d.resident) bytes.set(d.bytes.subarray(0, Math.min(size, d.bytes.length)));
        r.data = { resident: true, bytes };
        return;
      }
      this.makeNonResident(r, size);
      (r.data as Extract<DataAttribute, { resident: false }>).size = size;
      return;
    }
    if (size > old) {
      this.ensureAllocated(r, size);
      d.size = size;
      return;
    }
    if (size === 0) {
      this.truncateAll(r);
      return;
    }
    const keep = Math.ceil(size / this.C);
    const freed: Extent[] = [];
    const kept: Extent[] = [];
    let vcn = 0;
    for (const e of d.extents) {
      if (vcn + e.count <= keep) kept.push(e);
      else if (vcn >= keep) freed.push(e);
      else {
        kept.push({ lcn: e.lcn, count: keep - vcn });
        freed.push({ lcn: e.lcn + keep - vcn, count: e.count - (keep - vcn) });
      }
      vcn += e.count;
    }
    this.bitmap.free(freed);
    d.extents = kept;
    d.size = size;
    const tail = size % this.C;
    if (tail !== 0) this.pieces(kept, size, this.C - tail, (off, _at, n) => this.io.write(off, new Uint8Array(n)));
  }

  /** Frees every cluster and leaves an empty resident stream (overwrite, supersede, delete). */
  truncateAll(r: FileRecord): void {
    const d = r.data;
    if (d && !d.resident) this.bitmap.free(d.extents);
    r.data = { resident: true, bytes: new Uint8Array(0) };
  }
}
