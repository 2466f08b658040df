/**
 * The journal of a block store: an append-only file of checksummed records,
 * one per change (design.md "State and durability"), closed into groups by
 * commit records. `flush()` appends a commit record, writes and fsyncs; a
 * group is acknowledged then. Recovery replays the groups up to the last
 * commit record that is complete and whose checksum matches: a record cut
 * short by a crash, any garbage after it, and the records of a group whose
 * commit never reached the file are never applied — so a crash in the
 * middle of a multi-block change (one NTFS operation writes its records,
 * its bitmap and its index blocks as several writes) never leaves half of
 * it, as NTFS's own log makes an operation all-or-nothing after a crash.
 *
 * File layout (little-endian):
 *   header  16 bytes: magic "WSJL", format version, checkpoint generation, block size
 *   record  u32 payload length, u32 CRC-32 of the payload, payload:
 *             u8 type, 3 bytes zero, u32 disk, u32 other, u32 zero,
 *             f64 x, f64 y, then the record's data (block bytes or a delta)
 * Offsets and sizes travel as f64: they are integers below 2^53 (types.ts),
 * which a double holds exactly. Version 1 journals (before commit records)
 * are read as if every record were its own group.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

export const JOURNAL_MAGIC = 0x4c4a5357; // "WSJL"
export const JOURNAL_VERSION = 2;
/** The format before commit records: every complete record counts. */
export const JOURNAL_VERSION_UNGROUPED = 1;
export const JOURNAL_HEADER_BYTES = 16;
/** Length and checksum words before each payload. */
const FRAME_BYTES = 8;
/** The fixed part of every payload. */
export const PAYLOAD_HEAD_BYTES = 32;

/** What a record says happened. */
export const RecordType = {
  /** disk = new id, x = virtual size */
  Create: 1,
  /** disk = new id, other = source */
  Clone: 2,
  /** disk */
  Snapshot: 3,
  /** disk */
  Delete: 4,
  /** disk, x = offset, data = the bytes written */
  Write: 5,
  /** disk, x = offset, y = length */
  Discard: 6,
  /** disk = new id, other = base (0: none), data = the delta */
  Import: 7,
  /** Closes a group: the records since the previous commit are applied on recovery only if this one is in the file. */
  Commit: 8,
} as const;
export type RecordTypeId = (typeof RecordType)[keyof typeof RecordType];

export interface JournalRecord {
  type: number;
  disk: number;
  other: number;
  x: number;
  y: number;
  /** A view into the journal's bytes (valid while the caller holds them). */
  data: Uint8Array;
}

/** The records of a journal file and where the valid part ends. */
export interface JournalContents {
  /** JOURNAL_VERSION, or JOURNAL_VERSION_UNGROUPED for a journal written before commit records. */
  version: number;
  generation: number;
  blockSize: number;
  /** The records of every committed group, in order (commit records left out). */
  records: JournalRecord[];
  /** Bytes from the start of the file to the end of the last committed group (what recovery keeps). */
  validLength: number;
  /** False when the header itself is missing or damaged (nothing can be replayed). */
  headerValid: boolean;
}

export function journalHeader(generation: number, blockSize: number): Buffer {
  const h = Buffer.alloc(JOURNAL_HEADER_BYTES);
  h.writeUInt32LE(JOURNAL_MAGIC, 0);
  h.writeUInt32LE(JOURNAL_VERSION, 4);
  h.writeUInt32LE(generation, 8);
  h.writeUInt32LE(blockSize, 12);
  return h;
}

/**
 * Parses a journal file's bytes, stopping at the first incomplete or damaged
 * record, and keeps the groups closed by a commit record before it.
 */
export function parseJournal(bytes: Buffer): JournalContents {
  const none: JournalContents = { version: 0, generation: 0, blockSize: 0, records: [], validLength: 0, headerValid: false };
  if (bytes.length < JOURNAL_HEADER_BYTES) return none;
  const version = bytes.readUInt32LE(4);
  if (bytes.readUInt32LE(0) !== JOURNAL_MAGIC || (version !== JOURNAL_VERSION && version !== JOURNAL_VERSION_UNGROUPED)) return none;
  const grouped = version === JOURNAL_VERSION;
  const generation = bytes.readUInt32LE(8);
  const blockSize = bytes.readUInt32LE(12);
  const records: JournalRecord[] = [];
  let at = JOURNAL_HEADER_BYTES;
  /** Records and bytes up to the end of the last commit (of every record, ungrouped). */
  let committedRecords = 0;
  let committedLength = at;
  for (;;) {
    if (bytes.length - at < FRAME_BYTES) break;
    const length = bytes.readUInt32LE(at);
    const sum = bytes.readUInt32LE(at + 4);
    const start = at + FRAME_BYTES;
    if (length < PAYLOAD_HEAD_BYTES || bytes.length - start < length) break;
    const payload = bytes.subarray(start, start + length);
    if (crc32(payload) >>> 0 !== sum) break;
    at = start + length;
    if (payload[0] === RecordType.Commit) {
      committedRecords = records.length;
      committedLength = at;
      continue;
    }
    records.push({
      type: payload[0]!,
      disk: payload.readUInt32LE(4),
      other: payload.readUInt32LE(8),
      x: payload.readDoubleLE(16),
      y: payload.readDoubleLE(24),
      data: payload.subarray(PAYLOAD_HEAD_BYTES),
    });
    if (!grouped) {
      committedRecords = records.length;
      committedLength = at;
    }
  }
  records.length = committedRecords;
  return { version, generation, blockSize, records, validLength: committedLength, headerValid: true };
}

/** Reads a whole file (the journal is bounded by the checkpoint threshold). */
export function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends records to an open journal. Records are gathered in memory and
 * written in large pieces (a full gathering buffer is written out whatever
 * group it cuts: recovery ignores an uncommitted group); `flush()` closes
 * the group with a commit record, writes what is pending and fsyncs, and
 * only then are the records acknowledged.
 */
export class JournalWriter {
  private readonly pending: Buffer;
  private used = 0;
  /** Records were appended since the last commit record. */
  private groupOpen = false;
  private readonly head = Buffer.alloc(FRAME_BYTES + PAYLOAD_HEAD_BYTES);
  /** File length once everything pending is written. */
  private length: number;

  constructor(
    private readonly fd: number,
    /** Where the valid journal ends (appends start here). */
    validLength: number,
    pendingBytes = 1 << 20,
  ) {
    this.pending = Buffer.allocUnsafe(pendingBytes);
    this.length = validLength;
  }

  /** Creates a journal file holding only its header, durably. */
  static create(path: string, generation: number, blockSize: number): JournalWriter {
    const fd = openSync(path, 'w+');
    writeAll(fd, journalHeader(generation, blockSize), 0);
    fsyncSync(fd);
    return new JournalWriter(fd, JOURNAL_HEADER_BYTES);
  }

  /** Opens an existing journal for appending after its last valid record, dropping anything after it. */
  static reopen(path: string, validLength: number): JournalWriter {
    const fd = openSync(path, 'r+');
    ftruncateSync(fd, validLength);
    fsyncSync(fd);
    return new JournalWriter(fd, validLength);
  }

  /** Bytes in the journal, pending ones included. */
  get bytes(): number {
    return this.length + this.used;
  }

  append(type: RecordTypeId, disk: number, other: number, x: number, y: number, data?: Uint8Array): void {
    this.groupOpen = type !== RecordType.Commit;
    const dataLength = data ? data.length : 0;
    const head = this.head;
    head.fill(0);
    head.writeUInt32LE(PAYLOAD_HEAD_BYTES + dataLength, 0);
    head[FRAME_BYTES] = type;
    head.writeUInt32LE(disk >>> 0, FRAME_BYTES + 4);
    head.writeUInt32LE(other >>> 0, FRAME_BYTES + 8);
    head.writeDoubleLE(x, FRAME_BYTES + 16);
    head.writeDoubleLE(y, FRAME_BYTES + 24);
    let sum = crc32(head.subarray(FRAME_BYTES));
    if (data && dataLength > 0) sum = crc32(data, sum);
    head.writeUInt32LE(sum >>> 0, 4);

    const total = head.length + dataLength;
    this.makeRoom(total);
    if (total > this.pending.length) {
      // Larger than the gathering buffer (a big delta): straight to the file,
      // counted only once all of it is written, so a failed write leaves
      // nothing that a later record would follow.
      writeAll(this.fd, head, this.length);
      if (data) writeAll(this.fd, data, this.length + head.length);
      this.length += total;
      return;
    }
    head.copy(this.pending, this.used);
    this.used += head.length;
    if (data && dataLength > 0) {
      this.pending.set(data, this.used);
      this.used += dataLength;
    }
  }

  /**
   * Writes out pending records if a record of `recordBytes` would not fit
   * beside them. The only step of `append` that touches the file for
   * ordinary records: callers run it before changing anything, so an I/O
   * error leaves the store and the journal in step.
   */
  makeRoom(recordBytes: number): void {
    if (this.used + recordBytes > this.pending.length) this.drain();
  }

  /** Bytes a record with `dataLength` bytes of data takes. */
  static recordBytes(dataLength: number): number {
    return FRAME_BYTES + PAYLOAD_HEAD_BYTES + dataLength;
  }

  /**
   * Closes the open group with a commit record (none if nothing was
   * appended since the last), writes pending records and fsyncs:
   * everything appended so far is durable when this returns.
   */
  flush(): void {
    if (this.groupOpen) {
      this.makeRoom(JournalWriter.recordBytes(0));
      this.append(RecordType.Commit, 0, 0, 0, 0);
    }
    this.drain();
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }

  private drain(): void {
    if (this.used === 0) return;
    writeAll(this.fd, this.pending.subarray(0, this.used), this.length);
    this.length += this.used;
    this.used = 0;
  }
}

/** writeSync until every byte is written (a regular file may take fewer). */
export function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    done += writeSync(fd, bytes, done, bytes.length - done, position + done);
  }
}
