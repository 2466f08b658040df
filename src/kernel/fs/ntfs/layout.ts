/**
 * The on-disk layout of a winsilo NTFS volume: the boot record, file
 * records and their attribute stream, directory index nodes. Everything
 * the volume knows is in these structures on the disk, so a blocks clone of
 * the disk is a copy-on-write copy of the volume (README.md has the
 * diagrams). All integers are little-endian.
 *
 * The layout borrows NTFS's ideas and names (a master file table of
 * fixed-size file records, $STANDARD_INFORMATION / $FILE_NAME / $DATA /
 * $INDEX / $REPARSE_POINT attributes, resident and non-resident data,
 * B-tree directory indexes collated by upcased name, a cluster bitmap,
 * root directory = record 5), not its byte format: nothing outside winsilo
 * reads these disks.
 */
import type { ReparseData } from '../types.js';

/** `WSNTFS01`: this layout, version 1. */
export const BOOT_MAGIC = [0x57, 0x53, 0x4e, 0x54, 0x46, 0x53, 0x30, 0x31] as const;
export const LAYOUT_VERSION = 1;

/** Index nodes are one cluster; a cluster must hold several 255-character names (NTFS index blocks are 4 KiB too). */
export const MIN_CLUSTER_SIZE = 4096;
/** A file record: 1 KiB, as NTFS's default FILE record. */
export const RECORD_SIZE = 1024;

/** Record numbers NTFS gives its own metadata; the root directory is 5 on every NTFS volume. */
export const MFT_RECORD = 0;
export const ROOT_RECORD = 5;
/** Records 0–15 are reserved for metadata, as on NTFS; files start at 16. */
export const FIRST_USER_RECORD = 16;

/**
 * Boot record, cluster 0:
 *
 * ```
 *  0        8        12       16       20       24       28       32
 *  ├ magic ─┼ vers ──┼ clust ─┼ recsz ─┼ serial ┼ total ─┼ free ──┤
 *  32       36       40       44       48       52       56       60   62      126
 *  ├ bitmap ┼ bmclus ┼ mft ───┼ rcap ──┼ rhigh ─┼ rfree ─┼ hint ──┼ ll ┼ label ┤
 * ```
 *
 * - total/free: clusters on the volume / clusters clear in the bitmap
 * - bitmap/bmclus: first cluster and length of the cluster bitmap
 * - mft: first cluster of $MFT (record 0, whose $DATA extents map the rest)
 * - rcap: records the $MFT's clusters hold; rhigh: records ever handed
 *   out (those at or above it are blank); rfree: head of the free-record
 *   list (0: empty), linked through each free record's `next`
 * - hint: the cluster the next allocation starts searching at
 * - ll, label: the volume label's length (≤ 32) and UTF-16 units
 *
 * ```
 *  128      132                        132 + 8n
 *  ├ nx ────┼ (cluster u32, count u32) × nx ┤
 * ```
 *
 * - nx, …: where the cluster bitmap continues once the volume was expanded
 *   past what its first run covers (expandVolume: a sandbox given a larger
 *   StorageSandboxSize); bitmap block k ≥ bmclus is in these runs, in
 *   order. Zero on a volume never expanded (the bytes are as before).
 */
export const BOOT = {
  magic: 0,
  version: 8,
  clusterSize: 12,
  recordSize: 16,
  serial: 20,
  totalClusters: 24,
  freeClusters: 28,
  bitmapCluster: 32,
  bitmapClusters: 36,
  mftCluster: 40,
  recordCapacity: 44,
  recordHighWater: 48,
  freeRecordHead: 52,
  allocationHint: 56,
  labelLength: 60,
  label: 62,
  bitmapExtentCount: 128,
  bitmapExtents: 132,
  bytes: 132 + 8 * 8,
} as const;

/** Runs the bitmap may continue in after its first (BOOT.bitmapExtents). */
export const MAX_BITMAP_EXTENTS = 8;

export interface BootRecord {
  clusterSize: number;
  recordSize: number;
  serialNumber: number;
  totalClusters: number;
  freeClusters: number;
  bitmapCluster: number;
  bitmapClusters: number;
  mftCluster: number;
  recordCapacity: number;
  recordHighWater: number;
  freeRecordHead: number;
  allocationHint: number;
  label: string;
  /** Where the bitmap continues past its first run (expanded volumes); empty otherwise. */
  bitmapExtents: Extent[];
}

export function encodeBoot(b: BootRecord): Uint8Array {
  const out = new Uint8Array(BOOT.bytes);
  const v = new DataView(out.buffer);
  out.set(BOOT_MAGIC, BOOT.magic);
  v.setUint32(BOOT.version, LAYOUT_VERSION, true);
  v.setUint32(BOOT.clusterSize, b.clusterSize, true);
  v.setUint32(BOOT.recordSize, b.recordSize, true);
  v.setUint32(BOOT.serial, b.serialNumber >>> 0, true);
  v.setUint32(BOOT.totalClusters, b.totalClusters, true);
  v.setUint32(BOOT.freeClusters, b.freeClusters, true);
  v.setUint32(BOOT.bitmapCluster, b.bitmapCluster, true);
  v.setUint32(BOOT.bitmapClusters, b.bitmapClusters, true);
  v.setUint32(BOOT.mftCluster, b.mftCluster, true);
  v.setUint32(BOOT.recordCapacity, b.recordCapacity, true);
  v.setUint32(BOOT.recordHighWater, b.recordHighWater, true);
  v.setUint32(BOOT.freeRecordHead, b.freeRecordHead, true);
  v.setUint32(BOOT.allocationHint, b.allocationHint, true);
  v.setUint16(BOOT.labelLength, b.label.length, true);
  for (let i = 0; i < b.label.length; i++) v.setUint16(BOOT.label + 2 * i, b.label.charCodeAt(i), true);
  v.setUint32(BOOT.bitmapExtentCount, b.bitmapExtents.length, true);
  b.bitmapExtents.forEach((e, i) => {
    v.setUint32(BOOT.bitmapExtents + 8 * i, e.lcn, true);
    v.setUint32(BOOT.bitmapExtents + 8 * i + 4, e.count, true);
  });
  return out;
}

/** The boot record, or undefined when `bytes` does not hold one of this layout. */
export function decodeBoot(bytes: Uint8Array): BootRecord | undefined {
  for (let i = 0; i < BOOT_MAGIC.length; i++) if (bytes[BOOT.magic + i] !== BOOT_MAGIC[i]) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(BOOT.version, true) !== LAYOUT_VERSION) return undefined;
  const labelLength = Math.min(v.getUint16(BOOT.labelLength, true), 32);
  let label = '';
  for (let i = 0; i < labelLength; i++) label += String.fromCharCode(v.getUint16(BOOT.label + 2 * i, true));
  const extentCount = v.getUint32(BOOT.bitmapExtentCount, true);
  if (extentCount > MAX_BITMAP_EXTENTS) return undefined;
  const bitmapExtents: Extent[] = [];
  for (let i = 0; i < extentCount; i++) bitmapExtents.push({ lcn: v.getUint32(BOOT.bitmapExtents + 8 * i, true), count: v.getUint32(BOOT.bitmapExtents + 8 * i + 4, true) });
  return {
    clusterSize: v.getUint32(BOOT.clusterSize, true),
    recordSize: v.getUint32(BOOT.recordSize, true),
    serialNumber: v.getUint32(BOOT.serial, true),
    totalClusters: v.getUint32(BOOT.totalClusters, true),
    freeClusters: v.getUint32(BOOT.freeClusters, true),
    bitmapCluster: v.getUint32(BOOT.bitmapCluster, true),
    bitmapClusters: v.getUint32(BOOT.bitmapClusters, true),
    mftCluster: v.getUint32(BOOT.mftCluster, true),
    recordCapacity: v.getUint32(BOOT.recordCapacity, true),
    recordHighWater: v.getUint32(BOOT.recordHighWater, true),
    freeRecordHead: v.getUint32(BOOT.freeRecordHead, true),
    allocationHint: v.getUint32(BOOT.allocationHint, true),
    label,
    bitmapExtents,
  };
}

// ---- times ------------------------------------------------------------------------------

/** 100 ns intervals from 1601-01-01 to 1970-01-01 (FILETIME's epoch to Date's). */
const EPOCH_DELTA = 116444736000000000n;

/** Milliseconds since 1970 → FILETIME (100 ns since 1601), as NTFS stores times. */
export function msToFiletime(ms: number): bigint {
  const t = BigInt(Math.round(ms * 10000)) + EPOCH_DELTA;
  return t < 0n ? 0n : t;
}

export function filetimeToMs(ft: bigint): number {
  return Number(ft - EPOCH_DELTA) / 10000;
}

// ---- file records -----------------------------------------------------------------------

/**
 * File record header (RECORD_SIZE bytes per record):
 *
 * ```
 *  0        4      6      8        12       16     18     20       24
 *  ├ 'FILE' ┼ flags┼ seq  ┼ next ───┼ stream ┼ ovfl ┼ rsvd ┴────────┼ inline stream, or overflow extents …
 * ```
 *
 * - flags: REC_IN_USE, REC_DIRECTORY
 * - seq: incremented each time the record is freed (NTFS's sequence number)
 * - next: for a free record, the next free record (0 ends the list)
 * - stream: bytes in the attribute stream
 * - ovfl: 0 when the stream is inline at 24; else the number of
 *   (cluster u32, count u32) extents at 24 holding the stream — a record
 *   with many hard links or a long reparse target outgrows 1 KiB, as NTFS
 *   records do (NTFS uses extension records; one overflow run is simpler)
 */
export const REC = { magic: 0, flags: 4, seq: 6, next: 8, stream: 12, overflow: 16, body: 24 } as const;
export const REC_MAGIC = [0x46, 0x49, 0x4c, 0x45] as const; // 'FILE'
export const REC_IN_USE = 0x1;
export const REC_DIRECTORY = 0x2;

/**
 * Attribute stream: a sequence of `type u8, length u32, payload`. Types
 * (NTFS's attribute type codes, divided by 16 to fit a byte):
 *
 * - STANDARD_INFORMATION: attributes u32, creation/lastAccess/lastWrite/change as FILETIME u64
 * - FILE_NAME (one per hard link): parent record u32, length u16, UTF-16 name
 * - DATA resident: 1 u8, the bytes; non-resident: 0 u8, size u64, count u32, (cluster u32, clusters u32) × count
 * - INDEX resident: 1 u8, count u32, (record u32, length u16, UTF-16 name) × count in collation order;
 *   non-resident: 0 u8, root node cluster u32
 * - REPARSE_POINT: tag u32, flags u32 (1 = SYMLINK_FLAG_RELATIVE), length u16 + UTF-16 substitute name, length u16 + UTF-16 print name
 */
export const ATTR_STANDARD_INFORMATION = 0x01;
export const ATTR_FILE_NAME = 0x03;
export const ATTR_DATA = 0x08;
export const ATTR_INDEX = 0x09;
export const ATTR_REPARSE_POINT = 0x0c;

/** SYMLINK_FLAG_RELATIVE (ntifs.h, REPARSE_DATA_BUFFER). */
export const SYMLINK_FLAG_RELATIVE = 0x1;

/** A run of clusters. */
export interface Extent {
  lcn: number;
  count: number;
}

export interface FileName {
  /** Record number of the directory holding this name. */
  parent: number;
  name: string;
}

export interface IndexEntry {
  /** The file record this name leads to (in an internal node: the child node's cluster). */
  ref: number;
  /** The name as created. */
  name: string;
}

export type DataAttribute = { resident: true; bytes: Uint8Array } | { resident: false; size: number; extents: Extent[] };
export type IndexAttribute = { resident: true; entries: IndexEntry[] } | { resident: false; root: number };

/** A decoded file record. The volume owns it; it is dropped from the cache when a transaction rolls back. */
export interface FileRecord {
  readonly no: number;
  seq: number;
  flags: number;
  /** FILE_ATTRIBUTE_* as set (without DIRECTORY / REPARSE_POINT, which come from the record's kind). */
  attributes: number;
  creationTime: bigint;
  lastAccessTime: bigint;
  lastWriteTime: bigint;
  changeTime: bigint;
  names: FileName[];
  /** Files: their unnamed data stream. Directories have none. */
  data?: DataAttribute;
  /** Directories: their index of names. */
  index?: IndexAttribute;
  reparse?: ReparseData;
  /** Clusters holding the attribute stream when it outgrew the record. */
  overflow: Extent[];
}

const te = (n: number): number => 2 * n;

/** Bytes the attribute stream of `r` takes (what must fit in the record, or overflow). */
export function streamSize(r: FileRecord): number {
  let n = 5 + 36;
  for (const f of r.names) n += 5 + 6 + te(f.name.length);
  if (r.data) n += 5 + (r.data.resident ? 1 + r.data.bytes.length : 1 + 8 + 4 + 8 * r.data.extents.length);
  if (r.index) n += 5 + (r.index.resident ? 1 + 4 + r.index.entries.reduce((s, e) => s + 6 + te(e.name.length), 0) : 1 + 4);
  if (r.reparse) n += 5 + 8 + 2 + te(r.reparse.substituteName.length) + 2 + te(r.reparse.printName.length);
  return n;
}

/** Inline bytes a record of `recordSize` offers its stream. */
export function inlineCapacity(recordSize: number): number {
  return recordSize - REC.body;
}

function putU53(v: DataView, at: number, n: number): void {
  v.setUint32(at, n % 0x100000000, true);
  v.setUint32(at + 4, Math.floor(n / 0x100000000), true);
}

function getU53(v: DataView, at: number): number {
  return v.getUint32(at, true) + v.getUint32(at + 4, true) * 0x100000000;
}

function putString(v: DataView, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) v.setUint16(at + 2 * i, s.charCodeAt(i), true);
  return at + 2 * s.length;
}

function getString(v: DataView, at: number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(v.getUint16(at + 2 * i, true));
  return s;
}

/** Encodes the attribute stream of `r`. */
export function encodeStream(r: FileRecord): Uint8Array {
  const out = new Uint8Array(streamSize(r));
  const v = new DataView(out.buffer);
  let p = 0;
  const begin = (type: number, length: number): number => {
    v.setUint8(p, type);
    v.setUint32(p + 1, length, true);
    p += 5;
    return p;
  };
  begin(ATTR_STANDARD_INFORMATION, 36);
  v.setUint32(p, r.attributes, true);
  v.setBigUint64(p + 4, r.creationTime, true);
  v.setBigUint64(p + 12, r.lastAccessTime, true);
  v.setBigUint64(p + 20, r.lastWriteTime, true);
  v.setBigUint64(p + 28, r.changeTime, true);
  p += 36;
  for (const f of r.names) {
    begin(ATTR_FILE_NAME, 6 + te(f.name.length));
    v.setUint32(p, f.parent, true);
    v.setUint16(p + 4, f.name.length, true);
    p = putString(v, p + 6, f.name);
  }
  if (r.data) {
    const d = r.data;
    if (d.resident) {
      begin(ATTR_DATA, 1 + d.bytes.length);
      v.setUint8(p, 1);
      out.set(d.bytes, p + 1);
      p += 1 + d.bytes.length;
    } else {
      begin(ATTR_DATA, 1 + 8 + 4 + 8 * d.extents.length);
      v.setUint8(p, 0);
      putU53(v, p + 1, d.size);
      v.setUint32(p + 9, d.extents.length, true);
      p += 13;
      for (const e of d.extents) {
        v.setUint32(p, e.lcn, true);
        v.setUint32(p + 4, e.count, true);
        p += 8;
      }
    }
  }
  if (r.index) {
    const x = r.index;
    if (x.resident) {
      begin(ATTR_INDEX, 1 + 4 + x.entries.reduce((s, e) => s + 6 + te(e.name.length), 0));
      v.setUint8(p, 1);
      v.setUint32(p + 1, x.entries.length, true);
      p += 5;
      for (const e of x.entries) {
        v.setUint32(p, e.ref, true);
        v.setUint16(p + 4, e.name.length, true);
        p = putString(v, p + 6, e.name);
      }
    } else {
      begin(ATTR_INDEX, 5);
      v.setUint8(p, 0);
      v.setUint32(p + 1, x.root, true);
      p += 5;
    }
  }
  if (r.reparse) {
    const rp = r.reparse;
    begin(ATTR_REPARSE_POINT, 8 + 2 + te(rp.substituteName.length) + 2 + te(rp.printName.length));
    v.setUint32(p, rp.tag >>> 0, true);
    v.setUint32(p + 4, rp.relative ? SYMLINK_FLAG_RELATIVE : 0, true);
    v.setUint16(p + 8, rp.substituteName.length, true);
    p = putString(v, p + 10, rp.substituteName);
    v.setUint16(p, rp.printName.length, true);
    p = putString(v, p + 2, rp.printName);
  }
  return out;
}

/** Thrown by decoders on bytes that are not what the layout says (a corrupt or foreign disk). */
export class CorruptError extends Error {
  override readonly name = 'CorruptError';
}

/** Decodes a record's attribute stream into `r`'s attribute fields. */
export function decodeStream(r: FileRecord, bytes: Uint8Array): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  while (p < bytes.length) {
    if (p + 5 > bytes.length) throw new CorruptError(`record ${r.no}: truncated attribute`);
    const type = v.getUint8(p);
    const length = v.getUint32(p + 1, true);
    const q = p + 5;
    if (q + length > bytes.length) throw new CorruptError(`record ${r.no}: attribute overruns the stream`);
    switch (type) {
      case ATTR_STANDARD_INFORMATION:
        r.attributes = v.getUint32(q, true);
        r.creationTime = v.getBigUint64(q + 4, true);
        r.lastAccessTime = v.getBigUint64(q + 12, true);
        r.lastWriteTime = v.getBigUint64(q + 20, true);
        r.changeTime = v.getBigUint64(q + 28, true);
        break;
      case ATTR_FILE_NAME:
        r.names.push({ parent: v.getUint32(q, true), name: getString(v, q + 6, v.getUint16(q + 4, true)) });
        break;
      case ATTR_DATA:
        if (v.getUint8(q) === 1) r.data = { resident: true, bytes: bytes.slice(q + 1, q + length) };
        else {
          const count = v.getUint32(q + 9, true);
          const extents: Extent[] = [];
          for (let i = 0; i < count; i++) extents.push({ lcn: v.getUint32(q + 13 + 8 * i, true), count: v.getUint32(q + 17 + 8 * i, true) });
          r.data = { resident: false, size: getU53(v, q + 1), extents };
        }
        break;
      case ATTR_INDEX:
        if (v.getUint8(q) === 1) {
          const count = v.getUint32(q + 1, true);
          const entries: IndexEntry[] = [];
          let e = q + 5;
          for (let i = 0; i < count; i++) {
            const len = v.getUint16(e + 4, true);
            entries.push({ ref: v.getUint32(e, true), name: getString(v, e + 6, len) });
            e += 6 + 2 * len;
          }
          r.index = { resident: true, entries };
        } else r.index = { resident: false, root: v.getUint32(q + 1, true) };
        break;
      case ATTR_REPARSE_POINT: {
        const subLen = v.getUint16(q + 8, true);
        const substituteName = getString(v, q + 10, subLen);
        const printAt = q + 10 + 2 * subLen;
        const printName = getString(v, printAt + 2, v.getUint16(printAt, true));
        r.reparse = { tag: v.getUint32(q, true), substituteName, printName, relative: (v.getUint32(q + 4, true) & SYMLINK_FLAG_RELATIVE) !== 0 };
        break;
      }
      default:
        throw new CorruptError(`record ${r.no}: unknown attribute type ${type}`);
    }
    p = q + length;
  }
}

/** A blank in-use record (times zero), for the volume to fill in. */
export function newRecord(no: number, seq: number, directory: boolean): FileRecord {
  return {
    no,
    seq,
    flags: REC_IN_USE | (directory ? REC_DIRECTORY : 0),
    attributes: 0,
    creationTime: 0n,
    lastAccessTime: 0n,
    lastWriteTime: 0n,
    changeTime: 0n,
    names: [],
    overflow: [],
  };
}

// ---- index nodes ------------------------------------------------------------------------

/**
 * Directory index node, one cluster (a B+-tree node):
 *
 * ```
 *  0      2       3      4        6      8                   8+2n
 *  ├ 'IX' ┼ level ┼ rsvd ┼ count  ┼ rsvd ┼ offset u16 × count ┼ entries …
 * ```
 *
 * Entry: ref u32 (leaf: file record; internal: child node cluster),
 * length u8, UTF-16 name. Entries are in collation order (upcased name);
 * in an internal node entry i's name is the smallest name under child i
 * (entry 0's is not consulted: it covers everything below entry 1). The
 * offset table lets a lookup binary-search the raw bytes without decoding
 * the node.
 */
export const NODE = { magic: 0, level: 2, count: 4, slots: 8 } as const;
export const NODE_MAGIC = [0x49, 0x58] as const; // 'IX'
export const NODE_ENTRY_HEADER = 5;

/** Bytes a node holding `entries` needs. */
export function nodeSize(entries: readonly IndexEntry[]): number {
  let n = NODE.slots;
  for (const e of entries) n += 2 + NODE_ENTRY_HEADER + 2 * e.name.length;
  return n;
}

export function encodeNode(level: number, entries: readonly IndexEntry[], clusterSize: number): Uint8Array {
  const out = new Uint8Array(clusterSize);
  const v = new DataView(out.buffer);
  out[0] = NODE_MAGIC[0];
  out[1] = NODE_MAGIC[1];
  out[NODE.level] = level;
  v.setUint16(NODE.count, entries.length, true);
  let p = NODE.slots + 2 * entries.length;
  entries.forEach((e, i) => {
    v.setUint16(NODE.slots + 2 * i, p, true);
    v.setUint32(p, e.ref, true);
    v.setUint8(p + 4, e.name.length);
    p = putString(v, p + NODE_ENTRY_HEADER, e.name);
  });
  return out;
}

export function decodeNode(bytes: Uint8Array, cluster: number): { level: number; entries: IndexEntry[] } {
  if (bytes[0] !== NODE_MAGIC[0] || bytes[1] !== NODE_MAGIC[1]) throw new CorruptError(`index node at cluster ${cluster}: bad magic`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = v.getUint16(NODE.count, true);
  const entries: IndexEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = v.getUint16(NODE.slots + 2 * i, true);
    entries.push({ ref: v.getUint32(at, true), name: getString(v, at + NODE_ENTRY_HEADER, v.getUint8(at + 4)) });
  }
  return { level: bytes[NODE.level]!, entries };
}
