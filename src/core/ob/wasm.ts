/**
 * The object namespace backed by assembly/ob (build/ob.wasm).
 *
 * Names cross the boundary through fixed UTF-16 buffers in the module's
 * memory: one write of code units per call, no string marshalling by the
 * runtime, and batches write all their names with one native copy.
 */
import { instantiateCore } from '../wasm.js';
import { STATUS_INSUFFICIENT_RESOURCES, STATUS_SUCCESS } from '../ntstatus.js';
import { OB_LIMITS } from './limits.js';
import { upcaseTable } from './upcase.js';
import { unicodeString } from './unicode-string.js';
import {
  OBJECT_TYPE_NAMES,
  type BatchOutput,
  type CreateOptions,
  type DirectoryEntry,
  type DirectoryQueryOptions,
  type DirectoryQueryResult,
  type HandleResult,
  type NameResult,
  type ObjectAttributes,
  type ObjectBasicInformation,
  type ObjectNamespace,
  type ObjectTypeId,
  type ProcessResult,
} from './types.js';

interface ObExports extends WebAssembly.Exports {
  memory: WebAssembly.Memory;
  obInit(): number;
  obBuffers(): number;
  upcaseTableInit(): number;
  arenaSetPageCeiling(pages: number): void;
  obProcessCreate(silo: number, session: number, privileges: number): number;
  obProcessDelete(p: number): number;
  obSetDeviceMap(p: number, h: number): number;
  obProcessHandleCount(p: number): number;
  obCreate(p: number, root: number, nameBytes: number, attrs: number, type: number, targetBytes: number, shadow: number, global: number): number;
  obOpen(p: number, root: number, nameBytes: number, attrs: number, type: number): number;
  obClose(p: number, h: number): number;
  obOpenBatch(p: number, root: number, count: number, attrs: number, type: number): number;
  obCloseBatch(p: number, count: number): number;
  obQueryName(p: number, h: number): number;
  obQueryLink(p: number, h: number): number;
  obQueryObject(p: number, h: number): number;
  obQueryDirectory(p: number, h: number, bufferLength: number, single: number, restart: number, context: number): number;
  obMakeTemporary(p: number, h: number): number;
  obMakePermanent(p: number, h: number): number;
  obSetLinkGlobal(p: number, h: number, global: number): number;
  obSiloCreate(p: number, siloId: number): number;
  obSiloTerminate(p: number, siloId: number): number;
  obObjectCount(): number;
  obLiveBytes(): number;
  obSetPathCache(on: number): void;
}

const decoder = new TextDecoder('utf-16le');

export interface WasmObjectNamespaceOptions {
  /** Cap the module's memory (64 KiB pages); exhaustion then answers STATUS_INSUFFICIENT_RESOURCES. */
  maxPages?: number;
}

export class WasmObjectNamespace implements ObjectNamespace {
  readonly impl = 'wasm' as const;
  private readonly x: ObExports;
  private mem!: ArrayBuffer;
  private u8!: Uint8Array;
  private u16!: Uint16Array;
  private u32!: Uint32Array;
  private i32!: Int32Array;
  private buf!: Buffer;
  // Buffer addresses (bytes).
  private readonly NAME: number;
  private readonly TARGET: number;
  private readonly OUT: number;
  private readonly BLENS: number;
  private readonly BSTATUS: number;
  private readonly BHANDLES: number;
  private readonly BNAMES: number;
  private readonly META_OUT: number;

  constructor(options: WasmObjectNamespaceOptions = {}) {
    this.x = instantiateCore<ObExports>('ob');
    const st = this.x.obInit();
    if (st !== STATUS_SUCCESS) throw new Error('winsilo: object namespace could not be initialised (out of memory)');
    const tablePtr = this.x.upcaseTableInit();
    this.views();
    this.u16.set(upcaseTable(), tablePtr >>> 1);
    const meta = this.x.obBuffers() >>> 2;
    this.NAME = this.u32[meta]!;
    this.TARGET = this.u32[meta + 1]!;
    this.OUT = this.u32[meta + 2]!;
    this.BLENS = this.u32[meta + 3]!;
    this.BSTATUS = this.u32[meta + 4]!;
    this.BHANDLES = this.u32[meta + 5]!;
    this.BNAMES = this.u32[meta + 6]!;
    this.META_OUT = this.u32[meta + 7]! + 32;
    if (options.maxPages !== undefined) this.x.arenaSetPageCeiling(options.maxPages);
  }

  /** (Re)creates the typed views after the module's memory grew. */
  private views(): void {
    const b = this.x.memory.buffer;
    if (b === this.mem) return;
    this.mem = b;
    this.u8 = new Uint8Array(b);
    this.u16 = new Uint16Array(b);
    this.u32 = new Uint32Array(b);
    this.i32 = new Int32Array(b);
    this.buf = Buffer.from(b);
  }

  private out(i: number): number {
    this.views();
    return this.u32[(this.META_OUT >>> 2) + i]!;
  }

  /** Writes a string's code units at byte address `at`; returns its byte length. */
  private put(at: number, s: string, maxUnits: number): number {
    this.views();
    const n = s.length;
    if (n > maxUnits) return -1;
    if (n < 64) {
      const u16 = this.u16;
      let p = at >>> 1;
      for (let i = 0; i < n; i++) u16[p++] = s.charCodeAt(i);
    } else {
      this.buf.write(s, at, n * 2, 'utf16le');
    }
    return n * 2;
  }

  private getString(at: number, units: number): string {
    this.views();
    if (units === 0) return '';
    if (units < 32) return String.fromCharCode.apply(null, this.u16.subarray(at >>> 1, (at >>> 1) + units) as unknown as number[]);
    return decoder.decode(this.u8.subarray(at, at + units * 2));
  }

  /** Puts a UNICODE_STRING's code units into NAME/TARGET; returns its byte Length. */
  private putName(at: number, s: string, lengthOverride: number | undefined): number {
    const us = unicodeString(s, lengthOverride);
    if (us.bytes < 65534) this.put(at, us.value, 32767);
    return us.bytes;
  }

  createProcess(silo: number, session: number, privileges: number): ProcessResult {
    const r = this.x.obProcessCreate(silo >>> 0, session >>> 0, privileges >>> 0);
    return r > 0 ? { status: STATUS_SUCCESS, process: r } : { status: r, process: 0 };
  }
  deleteProcess(process: number): number {
    return this.x.obProcessDelete(process >>> 0);
  }
  setDeviceMap(process: number, directoryHandle: number): number {
    return this.x.obSetDeviceMap(process >>> 0, directoryHandle >>> 0);
  }
  handleCount(process: number): number {
    return this.x.obProcessHandleCount(process >>> 0);
  }

  create(process: number, type: ObjectTypeId, oa: ObjectAttributes, options: CreateOptions = {}): HandleResult {
    const nameBytes = this.putName(this.NAME, oa.name, oa.nameLength);
    let targetBytes = 0;
    if (options.target !== undefined || options.targetLength !== undefined) {
      targetBytes = this.putName(this.TARGET, options.target ?? '', options.targetLength);
    }
    const st = this.x.obCreate(
      process >>> 0, (oa.root ?? 0) >>> 0, nameBytes, (oa.attributes ?? 0) >>> 0, type | 0,
      targetBytes, (options.shadow ?? 0) >>> 0, options.global ? 1 : 0,
    );
    return { status: st, handle: this.out(0) };
  }

  open(process: number, type: ObjectTypeId | 0, oa: ObjectAttributes): HandleResult {
    const nameBytes = this.putName(this.NAME, oa.name, oa.nameLength);
    const st = this.x.obOpen(process >>> 0, (oa.root ?? 0) >>> 0, nameBytes, (oa.attributes ?? 0) >>> 0, type | 0);
    return { status: st, handle: st >= 0 ? this.out(0) : 0 };
  }

  close(process: number, handle: number): number {
    return this.x.obClose(process >>> 0, handle >>> 0);
  }

  openBatch(process: number, names: readonly string[], attributes: number, type: ObjectTypeId | 0, root = 0, out?: BatchOutput): number {
    const o = out ?? { statuses: new Int32Array(names.length), handles: new Uint32Array(names.length) };
    let ok = 0;
    let i = 0;
    while (i < names.length) {
      // Fill one chunk: at most maxBatch names and batchNameUnits code units.
      let units = 0;
      let j = i;
      this.views();
      const lens = this.u32;
      const lensBase = this.BLENS >>> 2;
      while (j < names.length && j - i < OB_LIMITS.maxBatch) {
        const n = names[j]!.length;
        if (units + n > OB_LIMITS.batchNameUnits) {
          if (j === i) {
            // One name larger than the whole batch buffer: it cannot be a
            // valid name (≥ 65534 bytes), so answer it alone.
            o.statuses[j] = this.open(process, type, { name: names[j]!, root, attributes }).status;
            o.handles[j] = 0;
            i = j + 1;
          }
          break;
        }
        lens[lensBase + (j - i)] = n;
        units += n;
        j++;
      }
      if (j === i) continue;
      const joined = j - i === names.length ? names.join('') : names.slice(i, j).join('');
      this.buf.write(joined, this.BNAMES, units * 2, 'utf16le');
      const r = this.x.obOpenBatch(process >>> 0, root >>> 0, j - i, attributes >>> 0, type | 0);
      this.views();
      if (r < 0) {
        for (let k = i; k < j; k++) {
          o.statuses[k] = r;
          o.handles[k] = 0;
        }
      } else {
        ok += r;
        o.statuses.set(this.i32.subarray(this.BSTATUS >>> 2, (this.BSTATUS >>> 2) + (j - i)), i);
        o.handles.set(this.u32.subarray(this.BHANDLES >>> 2, (this.BHANDLES >>> 2) + (j - i)), i);
      }
      i = j;
    }
    return ok;
  }

  closeBatch(process: number, handles: Uint32Array, count: number, statuses?: Int32Array): number {
    let ok = 0;
    for (let i = 0; i < count; i += OB_LIMITS.maxBatch) {
      const n = Math.min(OB_LIMITS.maxBatch, count - i);
      this.views();
      this.u32.set(handles.subarray(i, i + n), this.BHANDLES >>> 2);
      const r = this.x.obCloseBatch(process >>> 0, n);
      if (r < 0) {
        if (statuses) statuses.fill(r, i, i + n);
        continue;
      }
      ok += r;
      if (statuses) {
        this.views();
        statuses.set(this.i32.subarray(this.BSTATUS >>> 2, (this.BSTATUS >>> 2) + n), i);
      }
    }
    return ok;
  }

  queryName(process: number, handle: number): NameResult {
    const st = this.x.obQueryName(process >>> 0, handle >>> 0);
    return { status: st, name: st >= 0 ? this.getString(this.OUT, this.out(0)) : '' };
  }

  queryLink(process: number, handle: number): { status: number; target: string } {
    const st = this.x.obQueryLink(process >>> 0, handle >>> 0);
    return { status: st, target: st >= 0 ? this.getString(this.OUT, this.out(0)) : '' };
  }

  queryObject(process: number, handle: number): ObjectBasicInformation {
    const st = this.x.obQueryObject(process >>> 0, handle >>> 0);
    if (st < 0) return { status: st, type: '', handleCount: 0, pointerCount: 0, attributes: 0, named: false, globalLink: false, siloRoot: false };
    const flags = this.out(4);
    return {
      status: st,
      type: OBJECT_TYPE_NAMES[this.out(0)] ?? '',
      handleCount: this.out(1),
      pointerCount: this.out(2),
      attributes: this.out(3),
      named: (flags & 1) !== 0,
      globalLink: (flags & 2) !== 0,
      siloRoot: (flags & 4) !== 0,
    };
  }

  queryDirectory(process: number, handle: number, options: DirectoryQueryOptions): DirectoryQueryResult {
    const bufferLength = Math.max(-1, Math.min(options.bufferLength, 0x7fffffff)) | 0;
    const st = this.x.obQueryDirectory(
      process >>> 0, handle >>> 0, bufferLength, options.single ? 1 : 0, options.restart ? 1 : 0, (options.context ?? 0) >>> 0,
    );
    const count = this.out(0);
    const context = this.out(1);
    const returnLength = this.out(2);
    const entries: DirectoryEntry[] = [];
    let at = this.OUT;
    for (let i = 0; i < count; i++) {
      this.views();
      const type = this.u16[at >>> 1]!;
      const len = this.u16[(at >>> 1) + 1]!;
      entries.push({ name: this.getString(at + 4, len), type: OBJECT_TYPE_NAMES[type]! });
      at += 4 + len * 2;
    }
    return { status: st, entries, context, returnLength };
  }

  makeTemporary(process: number, handle: number): number {
    return this.x.obMakeTemporary(process >>> 0, handle >>> 0);
  }
  makePermanent(process: number, handle: number): number {
    return this.x.obMakePermanent(process >>> 0, handle >>> 0);
  }
  setLinkGlobal(process: number, handle: number, global: boolean): number {
    return this.x.obSetLinkGlobal(process >>> 0, handle >>> 0, global ? 1 : 0);
  }

  createSilo(process: number, siloId: number): HandleResult {
    const st = this.x.obSiloCreate(process >>> 0, siloId >>> 0);
    return { status: st, handle: st >= 0 ? this.out(0) : 0 };
  }
  terminateSilo(process: number, siloId: number): number {
    return this.x.obSiloTerminate(process >>> 0, siloId >>> 0);
  }

  objectCount(): number {
    return this.x.obObjectCount();
  }

  /**
   * Turns the path cache (assembly/ob/pathcache.ts) off or on. It never
   * changes a result; benchmarks turn it off to measure uncached lookups.
   */
  setPathCache(on: boolean): void {
    this.x.obSetPathCache(on ? 1 : 0);
  }

  /** Bytes of the module's linear memory in live use, and its total size. */
  memoryUsage(): { live: number; total: number } {
    return { live: this.x.obLiveBytes(), total: this.x.memory.buffer.byteLength };
  }
}

export { STATUS_INSUFFICIENT_RESOURCES };
