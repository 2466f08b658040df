/**
 * The cluster bitmap ($Bitmap's job): one bit per cluster, set when in
 * use. Bit k of byte j covers cluster 8j + k. Allocation is next-fit from
 * the boot record's hint, so a file written in one go lands in one run;
 * the hint is on the disk so that the same operations give the same bytes
 * whether or not the volume was remounted in between.
 *
 * Bitmap blocks are read when an allocation or a free needs them, never
 * at mount: a mount costs one boot record read whatever the volume size.
 */
import { ERROR_DISK_FULL } from '../../../core/win32.js';
import { DiskFailure, type DiskIo } from './disk-io.js';
import { CorruptError, type BootRecord, type Extent } from './layout.js';

/**
 * The cluster holding bitmap block `index`: the bitmap's first run, then
 * the runs an expansion added (BootRecord.bitmapExtents), in order.
 */
export function bitmapBlockCluster(boot: BootRecord, index: number): number {
  if (index < boot.bitmapClusters) return boot.bitmapCluster + index;
  let k = index - boot.bitmapClusters;
  for (const e of boot.bitmapExtents) {
    if (k < e.count) return e.lcn + k;
    k -= e.count;
  }
  throw new CorruptError(`bitmap block ${index} beyond the bitmap`);
}

/** Bitmap blocks the volume has (each covers clusterSize × 8 clusters). */
export function bitmapBlocks(boot: BootRecord): number {
  let n = boot.bitmapClusters;
  for (const e of boot.bitmapExtents) n += e.count;
  return n;
}

export class ClusterBitmap {
  /** Bitmap blocks touched by the current call: block index → bytes. */
  private readonly blocks = new Map<number, Uint8Array>();
  private readonly dirty = new Set<number>();

  constructor(
    private readonly io: DiskIo,
    private readonly boot: () => BootRecord,
    private readonly bootChanged: () => void,
  ) {}

  private get bitsPerBlock(): number {
    return this.io.clusterSize * 8;
  }

  private block(index: number): Uint8Array {
    let b = this.blocks.get(index);
    if (!b) {
      b = new Uint8Array(this.io.clusterSize);
      this.io.read(bitmapBlockCluster(this.boot(), index) * this.io.clusterSize, b);
      this.blocks.set(index, b);
    }
    return b;
  }

  private setBits(lcn: number, count: number, value: boolean): void {
    for (let c = lcn; c < lcn + count; c++) {
      const bi = Math.floor(c / this.bitsPerBlock);
      const bit = c % this.bitsPerBlock;
      const b = this.block(bi);
      if (value) b[bit >>> 3]! |= 1 << (bit & 7);
      else b[bit >>> 3]! &= ~(1 << (bit & 7));
      this.dirty.add(bi);
    }
  }

  private flush(): void {
    for (const bi of [...this.dirty].sort((a, b) => a - b)) this.io.write(bitmapBlockCluster(this.boot(), bi) * this.io.clusterSize, this.block(bi));
    this.dirty.clear();
    this.blocks.clear();
  }

  private isFree(c: number): boolean {
    const bit = c % this.bitsPerBlock;
    return (this.block(Math.floor(c / this.bitsPerBlock))[bit >>> 3]! & (1 << (bit & 7))) === 0;
  }

  /**
   * The next free cluster at or after `from` (below `total`), skipping
   * whole bytes and blocks that are full; -1 if none.
   */
  private nextFree(from: number, total: number): number {
    let c = from;
    while (c < total) {
      const bit = c % this.bitsPerBlock;
      const b = this.block(Math.floor(c / this.bitsPerBlock));
      if ((bit & 7) === 0 && b[bit >>> 3] === 0xff) {
        c += 8;
        continue;
      }
      if ((b[bit >>> 3]! & (1 << (bit & 7))) === 0) return c;
      c++;
    }
    return -1;
  }

  /**
   * Takes `count` clusters, preferring to start at `near` (the cluster after
   * a file's last run, so it grows in place). ERROR_DISK_FULL, with nothing
   * taken, when fewer are free.
   */
  allocate(count: number, near?: number): Extent[] {
    const boot = this.boot();
    if (count === 0) return [];
    if (count > boot.freeClusters) throw new DiskFailure(ERROR_DISK_FULL);
    const total = boot.totalClusters;
    const start = near !== undefined && near < total ? near : boot.allocationHint < total ? boot.allocationHint : 0;
    const runs: Extent[] = [];
    let left = count;
    let c = start;
    let wrapped = false;
    while (left > 0) {
      const f = this.nextFree(c, wrapped ? start : total);
      if (f < 0) {
        if (wrapped) throw new DiskFailure(ERROR_DISK_FULL);
        wrapped = true;
        c = 0;
        continue;
      }
      let n = 1;
      const limit = wrapped ? start : total;
      while (n < left && f + n < limit && this.isFree(f + n)) n++;
      runs.push({ lcn: f, count: n });
      this.setBits(f, n, true);
      left -= n;
      c = f + n;
    }
    boot.freeClusters -= count;
    const last = runs[runs.length - 1]!;
    boot.allocationHint = (last.lcn + last.count) % total;
    this.bootChanged();
    this.flush();
    for (const r of runs) {
      this.io.reallocated(r);
      this.io.allocatedClusters(r);
    }
    return runs;
  }

  /** Marks clusters free (at format: in use) without touching the counters. */
  mark(e: Extent, inUse: boolean): void {
    this.setBits(e.lcn, e.count, inUse);
    this.flush();
  }

  free(extents: readonly Extent[]): void {
    if (extents.length === 0) return;
    const boot = this.boot();
    for (const e of extents) {
      this.setBits(e.lcn, e.count, false);
      boot.freeClusters += e.count;
      this.io.freedClusters(e);
    }
    this.bootChanged();
    this.flush();
  }

  /** Forgets blocks read for a call that failed midway. */
  reset(): void {
    this.blocks.clear();
    this.dirty.clear();
  }
}
