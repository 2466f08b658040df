/**
 * A hive as bytes: the files under a layer's `Hives/` and what
 * `docker commit` writes from a container's delta. Our own compact format
 * (not regf): deterministic — the same hive gives the same bytes on every
 * machine, so layer digests are stable — and checked on the way in, so that
 * corrupt bytes are ERROR_BADDB ("The configuration registry database is
 * corrupt."), as loading a damaged hive is on Windows. Layout in README.md,
 * "Serialised form".
 *
 * Canonical: subkeys are written in upcased-name order, values in creation
 * order, times as IEEE-754 doubles; parseHive accepts only that form, so
 * serialiseHive(parseHive(b)) equals b.
 */
import { crc32 } from 'node:zlib';
import { ERROR_BADDB, Win32Error } from '../../core/win32.js';
import {
  Hive,
  KEY_MERGE,
  KEY_OPAQUE,
  KEY_TOMBSTONE,
  KeyNode,
  VALUE_RECREATED,
  VALUE_SET,
  VALUE_TOMBSTONE,
  type KeyState,
  type ValueEntry,
} from './hive.js';
import { REGISTRY_LIMITS } from './limits.js';
import { compareFolded, fold } from './names.js';
import {
  REG_BINARY,
  REG_DWORD,
  REG_DWORD_BIG_ENDIAN,
  REG_EXPAND_SZ,
  REG_LINK,
  REG_MULTI_SZ,
  REG_NONE,
  REG_QWORD,
  REG_SZ,
  type RegistryValue,
} from './types.js';

/** "WSRH" (winsilo registry hive), little-endian. */
export const HIVE_MAGIC = 0x48525357;
export const HIVE_FORMAT_VERSION = 1;
const HEADER_BYTES = 20;

// ---- Writing ---------------------------------------------------------------

class Writer {
  buf = new Uint8Array(4096);
  view = new DataView(this.buf.buffer);
  at = 0;

  reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.at + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.at));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(x: number): void {
    this.reserve(1);
    this.buf[this.at++] = x;
  }
  u16(x: number): void {
    this.reserve(2);
    this.view.setUint16(this.at, x, true);
    this.at += 2;
  }
  u32(x: number): void {
    this.reserve(4);
    this.view.setUint32(this.at, x, true);
    this.at += 4;
  }
  u64(x: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.at, x, true);
    this.at += 8;
  }
  f64(x: number): void {
    this.reserve(8);
    this.view.setFloat64(this.at, x, true);
    this.at += 8;
  }
  /** UTF-16LE code units, no length. */
  units(s: string): void {
    this.reserve(s.length * 2);
    for (let i = 0; i < s.length; i++) {
      this.view.setUint16(this.at, s.charCodeAt(i), true);
      this.at += 2;
    }
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }
}

/** The hive's bytes (layout: README.md "Serialised form"). */
export function serialiseHive(hive: Hive): Uint8Array {
  const w = new Writer();
  w.reserve(HEADER_BYTES);
  w.at = HEADER_BYTES;
  const keys = writeKey(w, hive.root);
  const body = w.buf.subarray(HEADER_BYTES, w.at);
  const out = w.buf.slice(0, w.at);
  const head = new DataView(out.buffer);
  head.setUint32(0, HIVE_MAGIC, true);
  head.setUint16(4, HIVE_FORMAT_VERSION, true);
  head.setUint16(6, 0, true);
  head.setUint32(8, keys, true);
  head.setUint32(12, body.length, true);
  head.setUint32(16, crc32(body) >>> 0, true);
  return out;
}

/** Writes a key record and its subtree; returns the number of key records written. */
function writeKey(w: Writer, node: KeyNode): number {
  w.u8(node.state);
  w.f64(node.lastWriteTime + 0);
  w.u16(node.name.length);
  w.units(node.name);
  w.u32(node.values.size);
  for (const e of node.values.values()) writeValue(w, e);
  const children = [...node.subkeys.entries()].sort((a, b) => compareFolded(a[0], b[0]));
  w.u32(children.length);
  let count = 1;
  for (const [, child] of children) count += writeKey(w, child);
  return count;
}

function writeValue(w: Writer, e: ValueEntry): void {
  w.u8(e.kind);
  if (e.kind === VALUE_TOMBSTONE) {
    w.u32(0);
    w.u16(e.name.length);
    w.units(e.name);
    w.u32(0);
    return;
  }
  const v = e.value;
  w.u32(v.type);
  w.u16(v.name.length);
  w.units(v.name);
  switch (v.type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
    case REG_LINK:
      w.u32(v.data.length * 2);
      w.units(v.data);
      break;
    case REG_MULTI_SZ: {
      w.u32(4 + v.data.reduce((n, s) => n + 4 + s.length * 2, 0));
      w.u32(v.data.length);
      for (const s of v.data) {
        w.u32(s.length);
        w.units(s);
      }
      break;
    }
    case REG_DWORD:
    case REG_DWORD_BIG_ENDIAN:
      w.u32(4);
      w.u32(v.data);
      break;
    case REG_QWORD:
      w.u32(8);
      w.u64(v.data);
      break;
    case REG_BINARY:
    case REG_NONE:
      w.u32(v.data.length);
      w.bytes(v.data);
      break;
  }
}

// ---- Reading ---------------------------------------------------------------

class Reader {
  readonly view: DataView;
  at: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.at = start;
  }
  fail(what: string, at: number = this.at): never {
    throw new Win32Error('parseHive', ERROR_BADDB, `byte ${at}: ${what}`);
  }
  need(n: number, what: string): void {
    if (this.bytes.length - this.at < n) this.fail(`truncated ${what}`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.at++]!;
  }
  u16(what: string): number {
    this.need(2, what);
    const x = this.view.getUint16(this.at, true);
    this.at += 2;
    return x;
  }
  u32(what: string): number {
    this.need(4, what);
    const x = this.view.getUint32(this.at, true);
    this.at += 4;
    return x;
  }
  u64(what: string): bigint {
    this.need(8, what);
    const x = this.view.getBigUint64(this.at, true);
    this.at += 8;
    return x;
  }
  f64(what: string): number {
    this.need(8, what);
    const x = this.view.getFloat64(this.at, true);
    this.at += 8;
    return x;
  }
  units(count: number, what: string): string {
    this.need(count * 2, what);
    // Code units exactly as stored (a TextDecoder would replace lone surrogates).
    let s = '';
    for (let done = 0; done < count; ) {
      const n = Math.min(count - done, 4096);
      const codes = new Array<number>(n);
      for (let i = 0; i < n; i++, this.at += 2) codes[i] = this.view.getUint16(this.at, true);
      s += String.fromCharCode.apply(null, codes);
      done += n;
    }
    return s;
  }
}

/**
 * Reads a hive from its bytes. Anything but the canonical form
 * serialiseHive writes — wrong magic or version, a checksum mismatch,
 * truncation, trailing bytes, an unknown state, kind or type, a bad name,
 * duplicate or unsorted names, a tombstone with content, a tree deeper than
 * REGISTRY_LIMITS.maxTreeDepth — is ERROR_BADDB, the message saying where.
 */
export function parseHive(bytes: Uint8Array): Hive {
  if (!(bytes instanceof Uint8Array)) throw new Win32Error('parseHive', ERROR_BADDB, 'not bytes');
  const r = new Reader(bytes, 0);
  if (bytes.length < HEADER_BYTES) r.fail('truncated header');
  if (r.u32('magic') !== HIVE_MAGIC) r.fail('not a winsilo hive (bad magic)', 0);
  const version = r.u16('version');
  if (version !== HIVE_FORMAT_VERSION) r.fail(`unknown format version ${version}`, 4);
  if (r.u16('reserved') !== 0) r.fail('reserved field not zero', 6);
  const keyCount = r.u32('key count');
  const bodyLength = r.u32('body length');
  const sum = r.u32('checksum');
  if (bytes.length - HEADER_BYTES !== bodyLength) r.fail(`body is ${bytes.length - HEADER_BYTES} bytes, header says ${bodyLength}`, 12);
  if (crc32(bytes.subarray(HEADER_BYTES)) >>> 0 !== sum) r.fail('checksum mismatch', 16);
  const counted = { keys: 0 };
  const root = readKey(r, 0, counted);
  if (root.state !== KEY_MERGE) r.fail('the root key is not a plain key', HEADER_BYTES);
  if (r.at !== bytes.length) r.fail('trailing bytes');
  if (counted.keys !== keyCount) r.fail(`${counted.keys} keys, header says ${keyCount}`, 8);
  return new Hive(root);
}

function readKey(r: Reader, depth: number, counted: { keys: number }): KeyNode {
  const start = r.at;
  if (depth > REGISTRY_LIMITS.maxTreeDepth) r.fail(`keys nested deeper than ${REGISTRY_LIMITS.maxTreeDepth} levels`);
  const state = r.u8('key state');
  if (state !== KEY_MERGE && state !== KEY_TOMBSTONE && state !== KEY_OPAQUE) r.fail(`unknown key state ${state}`, start);
  const time = r.f64('last write time');
  if (!Number.isFinite(time) || Object.is(time, -0)) r.fail('last write time is not a finite number', start + 1);
  const nameAt = r.at;
  const name = r.units(r.u16('key name length'), 'key name');
  if (depth > 0 && (name.length === 0 || name.includes('\\'))) r.fail('invalid key name', nameAt);
  if (name.length > REGISTRY_LIMITS.maxKeyNameLength || name.includes('\\')) r.fail('invalid key name', nameAt);
  const node = new KeyNode(name, state as KeyState, time);
  counted.keys++;
  const valueCount = r.u32('value count');
  for (let i = 0; i < valueCount; i++) {
    const at = r.at;
    const e = readValue(r);
    const f = fold(e.kind === VALUE_TOMBSTONE ? e.name : e.value.name);
    if (node.values.has(f)) r.fail('two values of the same name', at);
    node.values.set(f, e);
  }
  const subkeyCount = r.u32('subkey count');
  let previous: string | undefined;
  for (let i = 0; i < subkeyCount; i++) {
    const at = r.at;
    const child = readKey(r, depth + 1, counted);
    const f = fold(child.name);
    if (previous !== undefined && compareFolded(previous, f) >= 0) r.fail('subkeys not in upcased-name order (or two of the same name)', at);
    previous = f;
    node.subkeys.set(f, child);
  }
  if (state === KEY_TOMBSTONE && (valueCount > 0 || subkeyCount > 0)) r.fail('a tombstone key with values or subkeys', start);
  return node;
}

function readValue(r: Reader): ValueEntry {
  const start = r.at;
  const kind = r.u8('value kind');
  if (kind !== VALUE_SET && kind !== VALUE_TOMBSTONE && kind !== VALUE_RECREATED) r.fail(`unknown value kind ${kind}`, start);
  const type = r.u32('value type');
  const name = r.units(r.u16('value name length'), 'value name');
  if (name.length > REGISTRY_LIMITS.maxValueNameLength) r.fail('value name too long', start + 5);
  const dataAt = r.at;
  const length = r.u32('value data length');
  r.need(length, 'value data');
  const end = r.at + length;
  const bad = (what: string): never => r.fail(what, dataAt);
  if (kind === VALUE_TOMBSTONE) {
    if (type !== 0 || length !== 0) bad('a value tombstone with a type or data');
    return { kind, name };
  }
  let value: RegistryValue;
  switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
    case REG_LINK:
      if (length % 2 !== 0) bad('string data of odd length');
      value = { name, type, data: r.units(length / 2, 'string data') };
      break;
    case REG_MULTI_SZ: {
      if (length < 4) bad('multi-string data too short');
      const count = r.u32('string count');
      const data: string[] = [];
      for (let i = 0; i < count; i++) {
        if (end - r.at < 4) bad('multi-string data overruns its length');
        const n = r.u32('string length');
        if (end - r.at < n * 2) bad('multi-string data overruns its length');
        data.push(r.units(n, 'string'));
      }
      value = { name, type, data };
      break;
    }
    case REG_DWORD:
    case REG_DWORD_BIG_ENDIAN:
      if (length !== 4) bad('a DWORD that is not 4 bytes');
      value = { name, type, data: r.u32('DWORD') };
      break;
    case REG_QWORD:
      if (length !== 8) bad('a QWORD that is not 8 bytes');
      value = { name, type, data: r.u64('QWORD') };
      break;
    case REG_BINARY:
    case REG_NONE:
      value = { name, type, data: r.bytes.slice(r.at, end) };
      r.at = end;
      break;
    default:
      return bad(`unknown value type ${type}`);
  }
  if (r.at !== end) bad('value data longer than its contents');
  return { kind, value };
}
