/**
 * A block store that survives kill -9: the in-memory store (WASM or
 * reference) plus a journal of every change and periodic checkpoints in a
 * folder of the data root (design.md "State and durability"). A change is
 * acknowledged once `flush()` returns; recovery on open loads the checkpoint
 * and replays the journal up to its last complete commit record (each
 * flush writes one), so after a crash the store holds exactly its state at
 * some flush no earlier than the last acknowledged one: every acknowledged
 * change is there, and nothing made between two flushes is half there (no
 * block is torn, and a file system operation's several writes — made
 * between flushes — are all there or none).
 *
 * Disk ids here are stable across restarts (1, 2, … never reused), unlike
 * the in-memory store's; that is what container and layer metadata record.
 *
 * Files in the folder:
 *   checkpoint       the latest checkpoint (checkpoint.ts), generation G
 *   journal.G        changes since checkpoint G (journal.ts)
 *   checkpoint.tmp, journal.<other>   left by a crash mid-checkpoint; removed on open
 *
 * Not handled here: two processes opening the same folder at once. The
 * Host's data root holds a pid file while open (src/host/pid-file.ts), so
 * its `blocks/` has one opener.
 */
import { existsSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  STATUS_DISK_FULL,
  STATUS_FILE_CORRUPT_ERROR,
  STATUS_INVALID_HANDLE,
  STATUS_INVALID_PARAMETER,
  STATUS_IO_DEVICE_ERROR,
  STATUS_SUCCESS,
} from '../../core/ntstatus.js';
import { NtStatusError } from '../../core/errors.js';
import { RefBlockStore, WasmBlockStore } from '../../core/blocks/index.js';
import type {
  AuditResult,
  BlockStore,
  BlockStoreOptions,
  DeltaResult,
  DiffResult,
  DiskResult,
  DiskStats,
  StoreStats,
} from '../../core/blocks/types.js';
import { JOURNAL_VERSION_UNGROUPED, JournalWriter, parseJournal, readWhole, RecordType, type JournalRecord } from './journal.js';
import { DISK_READ_ONLY, fsyncFolder, parseCheckpoint, writeCheckpoint, type Checkpoint } from './checkpoint.js';

export interface JournaledStoreOptions extends BlockStoreOptions {
  /** Which in-memory store to run: the WASM one (default) or the reference. */
  impl?: 'wasm' | 'ref';
  /** Take a checkpoint at a flush once the journal is larger than this. Default 64 MiB. */
  checkpointBytes?: number;
}

const CHECKPOINT_FILE = 'checkpoint';
const JOURNAL_PREFIX = 'journal.';
const DEFAULT_CHECKPOINT_BYTES = 64 << 20;

/** One disk as the journaled store knows it. */
interface DiskEntry {
  /** The in-memory store's id. */
  inner: number;
  /** The stable id of the disk it was cloned or imported from, while that is alive (else its origin's, …). */
  origin: number;
  /** Snapshot taken: kept here so a checkpoint needn't ask the store for statistics (a map walk) per disk. */
  readOnly: boolean;
}

export class JournaledBlockStore implements BlockStore {
  readonly impl: 'wasm' | 'ref';
  readonly blockSize: number;
  /** Live disks by stable id, in ascending id order (Map keeps insertion order and ids only grow). */
  private readonly disks = new Map<number, DiskEntry>();
  private nextId = 1;
  private generation: number;
  private journal: JournalWriter;
  /** Set when the journal could not be written: the store then refuses changes (reopen to recover). */
  private failure = STATUS_SUCCESS;
  private readonly checkpointBytes: number;

  private constructor(
    private readonly folder: string,
    private readonly store: BlockStore,
    cp: Checkpoint,
    checkpointBytes: number,
  ) {
    this.impl = store.impl;
    this.blockSize = store.blockSize;
    this.checkpointBytes = checkpointBytes;
    this.generation = cp.generation;
    this.restoreCheckpoint(cp);
    let ungrouped = false;
    this.journal = this.replayJournal(() => (ungrouped = true));
    removeStrays(folder, this.generation);
    // A journal of the format before commit records: checkpoint now, so that what is appended goes to a journal with groups.
    if (ungrouped) this.checkpoint();
  }

  /**
   * Opens the store in `folder`, creating it if the folder holds none.
   * Throws NtStatusError: STATUS_FILE_CORRUPT_ERROR if the checkpoint is
   * damaged or the journal cannot be replayed, STATUS_INVALID_PARAMETER if
   * `blockSize` differs from the store's.
   */
  static open(folder: string, options: JournaledStoreOptions = {}): JournaledBlockStore {
    mkdirSync(folder, { recursive: true });
    const cpPath = join(folder, CHECKPOINT_FILE);
    let cp: Checkpoint | null;
    if (existsSync(cpPath)) {
      cp = parseCheckpoint(readWhole(cpPath));
      if (!cp) throw new NtStatusError('blocks.open', STATUS_FILE_CORRUPT_ERROR, cpPath);
      if (options.blockSize !== undefined && options.blockSize !== cp.blockSize) {
        throw new NtStatusError('blocks.open', STATUS_INVALID_PARAMETER, `${folder} (block size ${cp.blockSize}, not ${options.blockSize})`);
      }
    } else {
      // A new store: an empty checkpoint of generation 1 makes the folder a store.
      cp = { generation: 1, blockSize: options.blockSize ?? 4096, nextId: 1, disks: [] };
    }
    const inner: BlockStoreOptions = { blockSize: cp.blockSize };
    if (options.quotaBytes !== undefined) inner.quotaBytes = options.quotaBytes;
    const store = options.impl === 'ref' ? new RefBlockStore(inner) : new WasmBlockStore(inner);
    if (!existsSync(cpPath)) writeCheckpoint(cpPath, folder, cp);
    return new JournaledBlockStore(folder, store, cp, options.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES);
  }

  // ---- changes: applied in memory, then journaled --------------------------------

  createDisk(virtualSize: number): DiskResult {
    const refused = this.refuse(0);
    if (refused) return { status: refused, disk: 0 };
    const r = this.store.createDisk(virtualSize);
    if (r.status !== STATUS_SUCCESS) return r;
    return this.added(r.disk, 0, RecordType.Create, 0, virtualSize);
  }

  clone(disk: number): DiskResult {
    const src = this.disks.get(disk);
    if (!src) return { status: STATUS_INVALID_HANDLE, disk: 0 };
    const refused = this.refuse(0);
    if (refused) return { status: refused, disk: 0 };
    const r = this.store.clone(src.inner);
    if (r.status !== STATUS_SUCCESS) return r;
    return this.added(r.disk, disk, RecordType.Clone, disk, 0);
  }

  importDelta(base: number, delta: Uint8Array): DiskResult {
    let innerBase = 0;
    if (base !== 0) {
      const b = this.disks.get(base);
      if (!b) return { status: STATUS_INVALID_HANDLE, disk: 0 };
      innerBase = b.inner;
    }
    const refused = this.refuse(delta.length);
    if (refused) return { status: refused, disk: 0 };
    const r = this.store.importDelta(innerBase, delta);
    if (r.status !== STATUS_SUCCESS) return r;
    return this.added(r.disk, base, RecordType.Import, base, 0, delta);
  }

  snapshot(disk: number): number {
    const status = this.change(disk, 0, (inner) => this.store.snapshot(inner), RecordType.Snapshot, 0, 0);
    if (status === STATUS_SUCCESS) this.disks.get(disk)!.readOnly = true;
    return status;
  }

  deleteDisk(disk: number): number {
    const status = this.change(disk, 0, (inner) => this.store.deleteDisk(inner), RecordType.Delete, 0, 0);
    if (status === STATUS_SUCCESS) this.forget(disk);
    return status;
  }

  write(disk: number, offset: number, data: Uint8Array): number {
    return this.change(disk, data.length, (inner) => this.store.write(inner, offset, data), RecordType.Write, offset, 0, data);
  }

  discard(disk: number, offset: number, length: number): number {
    return this.change(disk, 0, (inner) => this.store.discard(inner, offset, length), RecordType.Discard, offset, length);
  }

  // ---- reads: straight to the in-memory store -----------------------------------

  read(disk: number, offset: number, into: Uint8Array): number {
    const e = this.disks.get(disk);
    return e ? this.store.read(e.inner, offset, into) : STATUS_INVALID_HANDLE;
  }

  stats(disk: number): DiskStats {
    const e = this.disks.get(disk);
    if (!e) return { status: STATUS_INVALID_HANDLE, virtualSize: 0, allocatedBytes: 0, sharedBytes: 0, exclusiveBytes: 0, readOnly: false };
    return this.store.stats(e.inner);
  }

  storeStats(): StoreStats {
    return this.store.storeStats();
  }

  diff(a: number, b: number): DiffResult {
    const ea = this.disks.get(a);
    const eb = this.disks.get(b);
    if (!ea || !eb) return { status: STATUS_INVALID_HANDLE, ranges: [] };
    return this.store.diff(ea.inner, eb.inner);
  }

  exportDelta(disk: number, base: number): DeltaResult {
    const e = this.disks.get(disk);
    const eb = base === 0 ? undefined : this.disks.get(base);
    if (!e || (base !== 0 && !eb)) return { status: STATUS_INVALID_HANDLE, delta: new Uint8Array(0) };
    return this.store.exportDelta(e.inner, eb ? eb.inner : 0);
  }

  audit(): AuditResult {
    return this.store.audit();
  }

  /** Bytes in the current journal (what an open would replay after the checkpoint), pending ones included. */
  get journalBytes(): number {
    return this.journal.bytes;
  }

  /** Live disks' stable ids, ascending. */
  diskIds(): number[] {
    return [...this.disks.keys()];
  }

  // ---- durability ---------------------------------------------------------------

  /**
   * Makes every change so far durable (write + fsync); they are acknowledged
   * when this returns. Takes a checkpoint when the journal has grown past
   * the threshold. Throws NtStatusError (STATUS_DISK_FULL when the host's
   * disk is full, else STATUS_IO_DEVICE_ERROR) if the journal can't be
   * written; the store then refuses changes until reopened.
   */
  flush(): void {
    if (this.failure !== STATUS_SUCCESS) throw new NtStatusError('blocks.flush', this.failure, this.folder);
    this.guard('blocks.flush', () => this.journal.flush());
    if (this.journal.bytes > this.checkpointBytes) this.checkpoint();
  }

  /**
   * Writes a checkpoint of the whole store and starts a new, empty journal.
   * Everything changed so far is durable when this returns.
   */
  checkpoint(): void {
    if (this.failure !== STATUS_SUCCESS) throw new NtStatusError('blocks.checkpoint', this.failure, this.folder);
    const cp: Checkpoint = { generation: this.generation + 1, blockSize: this.blockSize, nextId: this.nextId, disks: [] };
    for (const [id, e] of this.disks) {
      const base = e.origin === 0 ? 0 : this.disks.get(e.origin)!.inner;
      const d = this.store.exportDelta(e.inner, base);
      if (d.status !== STATUS_SUCCESS) throw new NtStatusError('blocks.checkpoint', d.status, `${this.folder} disk ${id}`);
      cp.disks.push({ id, origin: e.origin, flags: e.readOnly ? DISK_READ_ONLY : 0, delta: d.delta });
    }
    this.guard('blocks.checkpoint', () => {
      // The new journal exists (empty, durable) before the checkpoint naming
      // it does; until the rename, the old checkpoint and journal stand.
      const next = JournalWriter.create(join(this.folder, JOURNAL_PREFIX + cp.generation), cp.generation, this.blockSize);
      try {
        writeCheckpoint(join(this.folder, CHECKPOINT_FILE), this.folder, cp);
      } catch (e) {
        next.close();
        throw e;
      }
      this.journal.close();
      this.journal = next;
      const old = this.generation;
      this.generation = cp.generation;
      unlinkSync(join(this.folder, JOURNAL_PREFIX + old));
    });
  }

  /** Flushes and closes the files. The store must not be used afterwards. */
  close(): void {
    if (this.failure === STATUS_SUCCESS) this.flush();
    this.journal.close();
  }

  // ---- internals ------------------------------------------------------------------

  /** Checks a change may go ahead and that its record will fit without touching the file afterwards. */
  private refuse(dataLength: number): number {
    if (this.failure !== STATUS_SUCCESS) return this.failure;
    try {
      this.journal.makeRoom(JournalWriter.recordBytes(dataLength));
      return STATUS_SUCCESS;
    } catch (e) {
      return this.fail(e);
    }
  }

  /** A change to an existing disk: check, apply in memory, journal on success. */
  private change(disk: number, dataLength: number, apply: (inner: number) => number, type: typeof RecordType.Snapshot | typeof RecordType.Delete | typeof RecordType.Write | typeof RecordType.Discard, x: number, y: number, data?: Uint8Array): number {
    const e = this.disks.get(disk);
    if (!e) return STATUS_INVALID_HANDLE;
    const refused = this.refuse(dataLength);
    if (refused) return refused;
    const status = apply(e.inner);
    if (status !== STATUS_SUCCESS) return status;
    return this.record(type, disk, 0, x, y, data);
  }

  /** A disk was created in memory: give it the next stable id and journal it. */
  private added(inner: number, origin: number, type: typeof RecordType.Create | typeof RecordType.Clone | typeof RecordType.Import, other: number, x: number, data?: Uint8Array): DiskResult {
    const id = this.nextId++;
    this.disks.set(id, { inner, origin, readOnly: false });
    const status = this.record(type, id, other, x, 0, data);
    return { status, disk: status === STATUS_SUCCESS ? id : 0 };
  }

  private record(type: (typeof RecordType)[keyof typeof RecordType], disk: number, other: number, x: number, y: number, data?: Uint8Array): number {
    try {
      this.journal.append(type, disk, other, x, y, data);
      return STATUS_SUCCESS;
    } catch (e) {
      // Only a record larger than the gathering buffer reaches the file here.
      return this.fail(e);
    }
  }

  private fail(e: unknown): number {
    this.failure = (e as NodeJS.ErrnoException).code === 'ENOSPC' ? STATUS_DISK_FULL : STATUS_IO_DEVICE_ERROR;
    return this.failure;
  }

  private guard(op: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof NtStatusError) throw e;
      throw new NtStatusError(op, this.fail(e), this.folder);
    }
  }

  /** A deleted disk leaves the table; disks cloned from it now descend from its origin (for checkpoints). */
  private forget(disk: number): void {
    const origin = this.disks.get(disk)!.origin;
    this.disks.delete(disk);
    for (const d of this.disks.values()) if (d.origin === disk) d.origin = origin;
  }

  private restoreCheckpoint(cp: Checkpoint): void {
    for (const d of cp.disks) {
      const origin = d.origin === 0 ? undefined : this.disks.get(d.origin);
      if (d.origin !== 0 && !origin) throw this.corrupt(CHECKPOINT_FILE);
      const r = this.store.importDelta(origin ? origin.inner : 0, d.delta);
      if (r.status !== STATUS_SUCCESS) throw this.replayFailed(CHECKPOINT_FILE, r.status);
      const readOnly = (d.flags & DISK_READ_ONLY) !== 0;
      if (readOnly) this.store.snapshot(r.disk);
      this.disks.set(d.id, { inner: r.disk, origin: d.origin, readOnly });
    }
    this.nextId = cp.nextId;
  }

  /** Replays journal.G (if any) and opens it for appending after its last committed group, cutting off what follows. */
  private replayJournal(ungrouped: () => void): JournalWriter {
    const name = JOURNAL_PREFIX + this.generation;
    const path = join(this.folder, name);
    if (!existsSync(path)) return this.createJournal(path);
    const j = parseJournal(readWhole(path));
    // A header cut short by a crash while the journal was being created: nothing was journaled.
    if (!j.headerValid) return this.createJournal(path);
    if (j.generation !== this.generation || j.blockSize !== this.blockSize) throw this.corrupt(name);
    for (const r of j.records) this.apply(r, name);
    if (j.version === JOURNAL_VERSION_UNGROUPED) ungrouped();
    return JournalWriter.reopen(path, j.validLength);
  }

  private createJournal(path: string): JournalWriter {
    const w = JournalWriter.create(path, this.generation, this.blockSize);
    fsyncFolder(this.folder);
    return w;
  }

  private apply(r: JournalRecord, file: string): void {
    const inner = (id: number): number => {
      const e = this.disks.get(id);
      if (!e) throw this.corrupt(file);
      return e.inner;
    };
    let status: number;
    switch (r.type) {
      case RecordType.Create:
      case RecordType.Clone:
      case RecordType.Import: {
        if (r.disk !== this.nextId) throw this.corrupt(file);
        const res =
          r.type === RecordType.Create
            ? this.store.createDisk(r.x)
            : r.type === RecordType.Clone
              ? this.store.clone(inner(r.other))
              : this.store.importDelta(r.other === 0 ? 0 : inner(r.other), r.data);
        status = res.status;
        if (status === STATUS_SUCCESS) {
          this.disks.set(r.disk, { inner: res.disk, origin: r.type === RecordType.Create ? 0 : r.other, readOnly: false });
          this.nextId = r.disk + 1;
        }
        break;
      }
      case RecordType.Snapshot:
        status = this.store.snapshot(inner(r.disk));
        if (status === STATUS_SUCCESS) this.disks.get(r.disk)!.readOnly = true;
        break;
      case RecordType.Delete:
        status = this.store.deleteDisk(inner(r.disk));
        if (status === STATUS_SUCCESS) this.forget(r.disk);
        break;
      case RecordType.Write:
        status = this.store.write(inner(r.disk), r.x, r.data);
        break;
      case RecordType.Discard:
        status = this.store.discard(inner(r.disk), r.x, r.y);
        break;
      default:
        throw this.corrupt(file);
    }
    if (status !== STATUS_SUCCESS) throw this.replayFailed(file, status);
  }

  private corrupt(file: string): NtStatusError {
    return new NtStatusError('blocks.open', STATUS_FILE_CORRUPT_ERROR, join(this.folder, file));
  }

  /** A journaled change that succeeded once fails on replay: the store was opened with a smaller quota, or the file lies. */
  private replayFailed(file: string, status: number): NtStatusError {
    return status === STATUS_DISK_FULL ? new NtStatusError('blocks.open', status, join(this.folder, file)) : this.corrupt(file);
  }
}

/** Removes what a crash in the middle of a checkpoint can leave behind. */
function removeStrays(folder: string, generation: number): void {
  for (const name of readdirSync(folder)) {
    const stray = name === `${CHECKPOINT_FILE}.tmp` || (name.startsWith(JOURNAL_PREFIX) && name !== JOURNAL_PREFIX + generation);
    if (stray) unlinkSync(join(folder, name));
  }
}
