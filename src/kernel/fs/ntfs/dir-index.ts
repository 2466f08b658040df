/**
 * Directory indexes: the names in a directory, in NTFS collation order
 * (upcased name, code unit by code unit). A small directory keeps its
 * index resident in its file record, as NTFS keeps $INDEX_ROOT; one that
 * outgrows the record moves to a B+-tree of one-cluster nodes (NTFS's
 * $INDEX_ALLOCATION), and comes back into the record when it shrinks
 * enough.
 *
 * Lookups binary-search the raw node bytes through the nodes' offset
 * tables, comparing through the upcase table without building strings, so
 * a name in a 3000-entry System32 costs two or three cluster reads and a
 * dozen comparisons. Changes decode the node, edit the entry list and
 * encode it again; a node that overflows splits in two by bytes, and a
 * root that splits grows the tree by a level. A node left empty is freed
 * and its entry removed from its parent; a root with one child hands the
 * root to it.
 */
import { upcaseTable } from '../../../core/ob/upcase.js';
import { foldName } from '../names.js';
import type { ClusterBitmap } from './bitmap.js';
import type { DiskIo } from './disk-io.js';
import {
  CorruptError,
  NODE,
  NODE_ENTRY_HEADER,
  NODE_MAGIC,
  decodeNode,
  encodeNode,
  inlineCapacity,
  nodeSize,
  streamSize,
  type FileRecord,
  type IndexEntry,
} from './layout.js';

const UPCASE = upcaseTable();

/** Collation of a raw UTF-16LE name at `at` (`length` units) against an already folded key. */
function compareRaw(bytes: Uint8Array, at: number, length: number, key: string): number {
  const n = Math.min(length, key.length);
  for (let i = 0; i < n; i++) {
    const a = UPCASE[bytes[at + 2 * i]! | (bytes[at + 2 * i + 1]! << 8)]!;
    const b = key.charCodeAt(i);
    if (a !== b) return a - b;
  }
  return length - key.length;
}

function compareFolded(name: string, key: string): number {
  const f = foldName(name);
  return f < key ? -1 : f > key ? 1 : 0;
}

/** Position of `key` in sorted `entries`: found, or where it would go. */
function search(entries: readonly IndexEntry[], key: string): { index: number; found: boolean } {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareFolded(entries[mid]!.name, key);
    if (c === 0) return { index: mid, found: true };
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return { index: lo, found: false };
}

/**
 * A node as read from the disk, searched and edited in its raw bytes: the
 * common insert and remove splice one entry in or out with two copies and
 * a pass over the offset table, without building a string per entry.
 */
class RawNode {
  readonly view: DataView;
  readonly level: number;
  readonly count: number;

  constructor(
    readonly cluster: number,
    readonly bytes: Uint8Array,
  ) {
    if (bytes[0] !== NODE_MAGIC[0] || bytes[1] !== NODE_MAGIC[1]) throw new CorruptError(`index node at cluster ${cluster}: bad magic`);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.level = bytes[NODE.level]!;
    this.count = this.view.getUint16(NODE.count, true);
  }

  slot(i: number): number {
    return this.view.getUint16(NODE.slots + 2 * i, true);
  }

  ref(i: number): number {
    return this.view.getUint32(this.slot(i), true);
  }

  name(i: number): string {
    const at = this.slot(i);
    const len = this.bytes[at + 4]!;
    let s = '';
    for (let k = 0; k < len; k++) s += String.fromCharCode(this.view.getUint16(at + NODE_ENTRY_HEADER + 2 * k, true));
    return s;
  }

  /** The last entry whose name collates ≤ `key` (-1 if none), and whether it is equal. */
  search(key: string): { le: number; found: boolean } {
    let lo = 0;
    let hi = this.count;
    let le = -1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.slot(mid);
      const c = compareRaw(this.bytes, at + NODE_ENTRY_HEADER, this.bytes[at + 4]!, key);
      if (c === 0) return { le: mid, found: true };
      if (c < 0) {
        le = mid;
        lo = mid + 1;
      } else hi = mid;
    }
    return { le, found: false };
  }

  /** Where the entries end (entries are packed in order after the offset table). */
  private end(): number {
    if (this.count === 0) return NODE.slots;
    const at = this.slot(this.count - 1);
    return at + NODE_ENTRY_HEADER + 2 * this.bytes[at + 4]!;
  }

  /** Bytes the entries themselves take (without the offset table). */
  entryBytes(): number {
    return this.end() - NODE.slots - 2 * this.count;
  }

  /** This node with (ref, name) inserted at index `at`, or undefined when it would not fit the cluster. */
  inserted(at: number, ref: number, name: string): Uint8Array | undefined {
    const C = this.bytes.length;
    const n = this.count;
    const end = this.end();
    const len = NODE_ENTRY_HEADER + 2 * name.length;
    if (end + 2 + len > C) return undefined;
    const pos = at < n ? this.slot(at) : end;
    const out = new Uint8Array(C);
    const v = new DataView(out.buffer);
    out.set(this.bytes.subarray(0, NODE.slots));
    v.setUint16(NODE.count, n + 1, true);
    out.set(this.bytes.subarray(NODE.slots + 2 * n, pos), NODE.slots + 2 * n + 2);
    const q = pos + 2;
    v.setUint32(q, ref, true);
    out[q + 4] = name.length;
    for (let k = 0; k < name.length; k++) v.setUint16(q + NODE_ENTRY_HEADER + 2 * k, name.charCodeAt(k), true);
    out.set(this.bytes.subarray(pos, end), q + len);
    for (let i = 0; i < at; i++) v.setUint16(NODE.slots + 2 * i, this.slot(i) + 2, true);
    v.setUint16(NODE.slots + 2 * at, q, true);
    for (let i = at; i < n; i++) v.setUint16(NODE.slots + 2 * (i + 1), this.slot(i) + 2 + len, true);
    return out;
  }

  /** This node without entry `at`. */
  removed(at: number): Uint8Array {
    const C = this.bytes.length;
    const n = this.count;
    const end = this.end();
    const pos = this.slot(at);
    const len = NODE_ENTRY_HEADER + 2 * this.bytes[pos + 4]!;
    const out = new Uint8Array(C);
    const v = new DataView(out.buffer);
    out.set(this.bytes.subarray(0, NODE.slots));
    v.setUint16(NODE.count, n - 1, true);
    out.set(this.bytes.subarray(NODE.slots + 2 * n, pos), NODE.slots + 2 * (n - 1));
    out.set(this.bytes.subarray(pos + len, end), pos - 2);
    for (let i = 0; i < at; i++) v.setUint16(NODE.slots + 2 * i, this.slot(i) - 2, true);
    for (let i = at + 1; i < n; i++) v.setUint16(NODE.slots + 2 * (i - 1), this.slot(i) - 2 - len, true);
    return out;
  }

  decode(): IndexEntry[] {
    return decodeNode(this.bytes, this.cluster).entries;
  }
}

interface PathStep {
  node: RawNode;
  /** Which child the walk took. */
  child: number;
}

/**
 * One read buffer per tree level and cluster size, shared by every mounted
 * volume (a thousand containers need not hold a thousand sets): a walk holds
 * at most one node per level, nothing outlives the call that read it, and
 * calls never interleave (everything here is synchronous).
 */
const SCRATCH = new Map<number, Uint8Array[]>();

export class DirectoryIndex {
  private readonly scratch: Uint8Array[];

  constructor(
    private readonly io: DiskIo,
    private readonly bitmap: ClusterBitmap,
    private readonly recordSize: () => number,
  ) {
    let pool = SCRATCH.get(io.clusterSize);
    if (!pool) SCRATCH.set(io.clusterSize, (pool = []));
    this.scratch = pool;
  }

  private get C(): number {
    return this.io.clusterSize;
  }

  /** The node at `cluster`, read into level `depth`'s buffer (valid until the next read at that depth). */
  private raw(cluster: number, depth: number): RawNode {
    if (depth > 32) throw new CorruptError('index deeper than 32 levels');
    const buf = (this.scratch[depth] ??= new Uint8Array(this.C));
    this.io.read(cluster * this.C, buf);
    return new RawNode(cluster, buf);
  }

  private writeNode(cluster: number, level: number, entries: readonly IndexEntry[]): void {
    this.io.write(cluster * this.C, encodeNode(level, entries, this.C));
  }

  /** From the root down to the leaf whose range holds `key`. */
  private descend(root: number, key: string): { path: PathStep[]; leaf: RawNode } {
    const path: PathStep[] = [];
    let node = this.raw(root, 0);
    while (node.level > 0) {
      if (node.count === 0) throw new CorruptError(`index node at cluster ${node.cluster}: empty internal node`);
      const child = Math.max(0, node.search(key).le);
      path.push({ node, child });
      node = this.raw(node.ref(child), path.length);
    }
    return { path, leaf: node };
  }

  /** The entry for `name` (any case) in directory `dir`, or undefined. */
  lookup(dir: FileRecord, name: string): IndexEntry | undefined {
    const x = dir.index;
    if (!x) return undefined;
    const key = foldName(name);
    if (x.resident) {
      const { index, found } = search(x.entries, key);
      return found ? x.entries[index] : undefined;
    }
    const { leaf } = this.descend(x.root, key);
    const { le, found } = leaf.search(key);
    return found ? { ref: leaf.ref(le), name: leaf.name(le) } : undefined;
  }

  /** Every entry of `dir`, in collation order. */
  entries(dir: FileRecord): IndexEntry[] {
    const x = dir.index;
    if (!x) return [];
    if (x.resident) return x.entries.slice();
    const out: IndexEntry[] = [];
    const visit = (cluster: number, depth: number): void => {
      const n = this.raw(cluster, depth);
      if (n.level === 0) out.push(...n.decode());
      else for (let i = 0; i < n.count; i++) visit(n.ref(i), depth + 1);
    };
    visit(x.root, 0);
    return out;
  }

  isEmpty(dir: FileRecord): boolean {
    const x = dir.index;
    // A non-resident index always holds a name: an emptied one returns to the record.
    return !x || (x.resident && x.entries.length === 0);
  }

  /** Whether a resident index whose entries take `entryBytes` fits in `dir`'s record. */
  private residentFits(dir: FileRecord, entryBytes: number): boolean {
    const saved = dir.index;
    dir.index = { resident: true, entries: [] };
    const fits = streamSize(dir) + entryBytes <= inlineCapacity(this.recordSize());
    dir.index = saved;
    return fits;
  }

  private static residentBytes(entries: readonly IndexEntry[]): number {
    let n = 0;
    for (const e of entries) n += 6 + 2 * e.name.length;
    return n;
  }

  /** Adds `name` → `ref` to `dir` (the caller made sure it is absent). The record is changed; the caller marks it dirty. */
  insert(dir: FileRecord, name: string, ref: number): void {
    const x = dir.index;
    if (!x) throw new CorruptError(`record ${dir.no} is not a directory`);
    const key = foldName(name);
    const entry = { ref, name };
    if (x.resident) {
      const { index } = search(x.entries, key);
      const entries = x.entries.slice();
      entries.splice(index, 0, entry);
      if (this.residentFits(dir, DirectoryIndex.residentBytes(entries))) {
        dir.index = { resident: true, entries };
        return;
      }
      // Outgrew the record: move to a tree (one leaf, or two after a split).
      const [root] = this.bitmap.allocate(1);
      const promoted = this.store(root!.lcn, 0, entries);
      dir.index = { resident: false, root: promoted ? this.newRoot(root!.lcn, entries[0]!.name, promoted, 1) : root!.lcn };
      return;
    }
    const { path, leaf } = this.descend(x.root, key);
    const at = leaf.search(key).le + 1;
    const fast = leaf.inserted(at, ref, name);
    if (fast) {
      this.io.write(leaf.cluster * this.C, fast);
      return;
    }
    const entries = leaf.decode();
    entries.splice(at, 0, entry);
    let split = this.store(leaf.cluster, 0, entries);
    let level = 0;
    let firstName = entries[0]!.name;
    while (split && path.length > 0) {
      const up = path.pop()!;
      const ue = up.node.decode();
      ue.splice(up.child + 1, 0, split);
      split = this.store(up.node.cluster, up.node.level, ue);
      level = up.node.level;
      firstName = ue[0]!.name;
    }
    if (split) dir.index = { resident: false, root: this.newRoot(x.root, firstName, split, level + 1) };
  }

  private newRoot(left: number, leftName: string, right: IndexEntry, level: number): number {
    const [root] = this.bitmap.allocate(1);
    this.writeNode(root!.lcn, level, [{ ref: left, name: leftName }, right]);
    return root!.lcn;
  }

  /**
   * Writes a node; if it no longer fits a cluster, splits it in two by
   * bytes and returns the entry for the new right half (its first name).
   */
  private store(cluster: number, level: number, entries: IndexEntry[]): IndexEntry | undefined {
    if (nodeSize(entries) <= this.C) {
      this.writeNode(cluster, level, entries);
      return undefined;
    }
    const half = nodeSize(entries) / 2;
    let bytes = NODE.slots;
    let k = 0;
    while (k < entries.length - 1) {
      bytes += 2 + NODE_ENTRY_HEADER + 2 * entries[k]!.name.length;
      k++;
      if (bytes >= half) break;
    }
    const left = entries.slice(0, k);
    const right = entries.slice(k);
    const [fresh] = this.bitmap.allocate(1);
    // Split by bytes, each half fits: a node gains one entry (≤ 517 bytes) at a time, and a cluster is ≥ 4 KiB.
    this.writeNode(cluster, level, left);
    this.writeNode(fresh!.lcn, level, right);
    return { ref: fresh!.lcn, name: right[0]!.name };
  }

  /** Removes `name` from `dir` (the caller made sure it is there). */
  remove(dir: FileRecord, name: string): void {
    const x = dir.index;
    if (!x) throw new CorruptError(`record ${dir.no} is not a directory`);
    const key = foldName(name);
    if (x.resident) {
      const { index, found } = search(x.entries, key);
      if (!found) throw new CorruptError(`record ${dir.no}: ${name} not in index`);
      const entries = x.entries.slice();
      entries.splice(index, 1);
      dir.index = { resident: true, entries };
      return;
    }
    const { path, leaf } = this.descend(x.root, key);
    const { le, found } = leaf.search(key);
    if (!found) throw new CorruptError(`record ${dir.no}: ${name} not in index`);
    if (leaf.count > 1 || path.length === 0) this.io.write(leaf.cluster * this.C, leaf.removed(le));
    else {
      // The leaf empties: free it and drop its entry upwards, freeing parents that empty too.
      this.bitmap.free([{ lcn: leaf.cluster, count: 1 }]);
      for (;;) {
        const up = path.pop()!;
        if (up.node.count > 1 || path.length === 0) {
          this.io.write(up.node.cluster * this.C, up.node.removed(up.child));
          break;
        }
        this.bitmap.free([{ lcn: up.node.cluster, count: 1 }]);
      }
    }
    this.settleRoot(dir);
  }

  /** A root with one child hands over to it; a root leaf small enough goes back into the record. */
  private settleRoot(dir: FileRecord): void {
    for (;;) {
      const x = dir.index;
      if (!x || x.resident) return;
      const root = this.raw(x.root, 0);
      if (root.level > 0 && root.count === 1) {
        this.bitmap.free([{ lcn: x.root, count: 1 }]);
        dir.index = { resident: false, root: root.ref(0) };
        continue;
      }
      // A resident entry is one byte longer than a node entry (u16 length), and has no offset slot.
      if (root.level === 0 && this.residentFits(dir, root.entryBytes() + root.count)) {
        this.bitmap.free([{ lcn: x.root, count: 1 }]);
        dir.index = { resident: true, entries: root.decode() };
      }
      return;
    }
  }
}
