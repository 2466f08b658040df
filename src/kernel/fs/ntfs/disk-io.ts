/**
 * The volume's access to its blocks disk, with all-or-nothing operations.
 *
 * Every write an operation makes goes straight to the disk (write-through:
 * no cache ever holds the only copy), after the bytes it replaces are kept
 * in an undo log. If a later step fails — STATUS_DISK_FULL from the store
 * when a shared block must be copied, or the bitmap running out — the log
 * is written back in reverse order and the disk reads exactly as before
 * the operation. Writing back never needs a new block: every block in the
 * log was written by this operation, so it is already private to the disk.
 *
 * Freed clusters are discarded (trimmed: the store unmaps them, giving the
 * memory back) only after the operation commits, since a rollback may make
 * them live again; a cluster freed and reallocated in one operation is not
 * discarded.
 */
import {
  STATUS_DISK_FULL,
  STATUS_INVALID_HANDLE,
  STATUS_MEDIA_WRITE_PROTECTED,
  STATUS_SUCCESS,
} from '../../../core/ntstatus.js';
import type { BlockStore } from '../../../core/blocks/index.js';
import {
  ERROR_DISK_FULL,
  ERROR_INVALID_HANDLE,
  ERROR_WRITE_PROTECT,
  ntStatusToWin32,
} from '../../../core/win32.js';
import type { Extent } from './layout.js';

/** A failure below the volume's operations: the Win32 code the operation reports. The volume adds its op and path. */
export class DiskFailure extends Error {
  override readonly name = 'DiskFailure';
  constructor(readonly code: number) {
    super(`disk failure ${code}`);
  }
}

export function statusToWin32(status: number): number {
  switch (status) {
    case STATUS_DISK_FULL:
      return ERROR_DISK_FULL;
    case STATUS_MEDIA_WRITE_PROTECTED:
      return ERROR_WRITE_PROTECT;
    case STATUS_INVALID_HANDLE:
      return ERROR_INVALID_HANDLE;
    default:
      return ntStatusToWin32(status);
  }
}

interface UndoEntry {
  offset: number;
  bytes: Uint8Array;
}

export class DiskIo {
  private undo: UndoEntry[] | undefined;
  /** Clusters freed by the current operation, to discard once it commits (less those it took again). */
  private freed: Extent[] = [];
  /** Every cluster the current operation freed. */
  private freedHere: Extent[] = [];
  /** Clusters the current operation allocated that were free before it. */
  private freshHere: Extent[] = [];
  /** Writes and trims sent to the store, failed and rolled-back ones too. */
  private changes = 0;

  constructor(
    readonly store: BlockStore,
    readonly disk: number,
    readonly clusterSize: number,
  ) {}

  get inTransaction(): boolean {
    return this.undo !== undefined;
  }

  /**
   * How many writes and trims this volume has sent to its disk (failed and
   * rolled-back ones included): while it is unchanged, the disk reads as it
   * did, unless something else wrote to it.
   */
  get changeCount(): number {
    return this.changes;
  }

  read(offset: number, into: Uint8Array): void {
    const st = this.store.read(this.disk, offset, into);
    if (st !== STATUS_SUCCESS) throw new DiskFailure(statusToWin32(st));
  }

  write(offset: number, data: Uint8Array): void {
    const logged = this.undo !== undefined && !this.isFresh(offset, data.length);
    if (logged) {
      const old = new Uint8Array(data.length);
      this.read(offset, old);
      this.undo!.push({ offset, bytes: old });
    }
    this.changes++;
    const st = this.store.write(this.disk, offset, data);
    if (st !== STATUS_SUCCESS) {
      // The store applied nothing of this write; drop its undo entry.
      if (logged) this.undo!.pop();
      throw new DiskFailure(statusToWin32(st));
    }
  }

  /**
   * Whether [offset, offset + length) lies in clusters this operation took
   * that were free before it: a rollback frees them again, so what they
   * held does not matter and their writes need no undo entry (a large file
   * written in one go is not copied into the log).
   */
  private isFresh(offset: number, length: number): boolean {
    if (this.freshHere.length === 0) return false;
    const C = this.clusterSize;
    const first = Math.floor(offset / C);
    const last = Math.floor((offset + Math.max(length, 1) - 1) / C);
    return this.freshHere.some((f) => f.lcn <= first && last < f.lcn + f.count);
  }

  /** Notes clusters the operation allocated; those it had not freed itself were free before it. */
  allocatedClusters(e: Extent): void {
    if (!this.undo) return;
    let c = e.lcn;
    const end = e.lcn + e.count;
    while (c < end) {
      const hit = this.freedHere.find((f) => f.lcn <= c && c < f.lcn + f.count);
      if (hit) {
        c = Math.min(end, hit.lcn + hit.count);
        continue;
      }
      const next = this.freedHere.reduce((m, f) => (f.lcn > c && f.lcn < m ? f.lcn : m), end);
      this.freshHere.push({ lcn: c, count: next - c });
      c = next;
    }
  }

  /**
   * Makes freshly allocated clusters read as zeros (they may hold a freed
   * file's bytes). Clusters that were free before the operation are
   * trimmed, not logged: a rollback makes them free again, whatever they
   * hold. Clusters this operation itself freed may be live again after a
   * rollback, so those are zeroed by logged writes.
   */
  zeroClusters(e: Extent): void {
    const C = this.clusterSize;
    let c = e.lcn;
    const end = e.lcn + e.count;
    while (c < end) {
      const hit = this.freedHere.find((f) => f.lcn <= c && c < f.lcn + f.count);
      if (hit) {
        const stop = Math.min(end, hit.lcn + hit.count);
        for (; c < stop; c++) this.write(c * C, new Uint8Array(C));
        continue;
      }
      const next = this.freedHere.reduce((m, f) => (f.lcn > c && f.lcn < m ? f.lcn : m), end);
      this.changes++;
      const st = this.store.discard(this.disk, c * C, (next - c) * C);
      if (st !== STATUS_SUCCESS) throw new DiskFailure(statusToWin32(st));
      c = next;
    }
  }

  /** Notes clusters freed by the operation, for discarding after commit. */
  freedClusters(e: Extent): void {
    this.freed.push({ ...e });
    if (this.undo) this.freedHere.push({ ...e });
  }

  /** The operation allocated these clusters again: they must not be discarded. */
  reallocated(e: Extent): void {
    if (this.freed.length === 0) return;
    const end = e.lcn + e.count;
    const kept: Extent[] = [];
    for (const f of this.freed) {
      const fEnd = f.lcn + f.count;
      if (fEnd <= e.lcn || f.lcn >= end) kept.push(f);
      else {
        if (f.lcn < e.lcn) kept.push({ lcn: f.lcn, count: e.lcn - f.lcn });
        if (fEnd > end) kept.push({ lcn: end, count: fEnd - end });
      }
    }
    this.freed = kept;
  }

  begin(): void {
    this.undo = [];
    this.freed = [];
    this.freedHere = [];
    this.freshHere = [];
  }

  /** Ends the operation: its writes stay; freed clusters are trimmed (best effort: a failed trim only keeps memory in use). */
  commit(): void {
    this.undo = undefined;
    const freed = this.freed;
    this.freed = [];
    this.freedHere = [];
    this.freshHere = [];
    if (freed.length > 0) this.changes++;
    for (const f of freed) this.store.discard(this.disk, f.lcn * this.clusterSize, f.count * this.clusterSize);
  }

  /** Puts back every byte the operation wrote, newest first. */
  rollback(): void {
    const log = this.undo ?? [];
    this.undo = undefined;
    this.freed = [];
    this.freedHere = [];
    this.freshHere = [];
    if (log.length > 0) this.changes++;
    for (let i = log.length - 1; i >= 0; i--) this.store.write(this.disk, log[i]!.offset, log[i]!.bytes);
  }
}
