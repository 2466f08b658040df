/**
 * The object namespace in plain TypeScript: the oracle of the property tests
 * and the baseline of the benchmarks. Written for speed as a TypeScript
 * engineer would (a Map per directory keyed by the folded name, folding
 * once per component, handle tables as arrays), with exactly the semantics
 * and the check order of assembly/ob — see that module's comments for the
 * rules and their sources.
 */
import * as S from '../ntstatus.js';
import { OB_LIMITS } from './limits.js';
import { fold, ntBucket } from './upcase.js';
import { unicodeString } from './unicode-string.js';
import {
  OBJECT_TYPE_NAMES,
  OBJ_CASE_INSENSITIVE,
  OBJ_OPENIF,
  OBJ_OPENLINK,
  OBJ_PERMANENT,
  OBJ_VALID_ATTRIBUTES,
  ObjectType,
  Privilege,
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

const DIR = ObjectType.Directory;
const LINK = ObjectType.SymbolicLink;
const TYPE_MAX = ObjectType.Key;
const BUCKETS = OB_LIMITS.directoryBuckets;

/** One object. Directory-only and link-only fields are null otherwise. */
class Obj {
  live = true;
  named = false;
  permanent = false;
  globalLink = false;
  siloRoot = false;
  name = '';
  folded = '';
  parent: Obj | null = null;
  handles = 0;
  pointers = 0;
  bucket = 0;
  bucketNext: Obj | null = null;
  bucketPrev: Obj | null = null;
  /** Older entry of the same folded name in the same directory. */
  foldNext: Obj | null = null;
  // Directory
  entries: Map<string, Obj> | null = null;
  heads: (Obj | null)[] | null = null;
  count = 0;
  shadow: Obj | null = null;
  stamp = 0;
  // SymbolicLink
  target = '';
  creatorSilo = 0;
  constructor(readonly type: number) {
    if (type === DIR) {
      this.entries = new Map();
      this.heads = new Array<Obj | null>(BUCKETS).fill(null);
    }
  }
}

class Proc {
  live = true;
  table: (Obj | null)[] = [null];
  /** For a free slot: the next free index (0 = none). */
  nextFree: number[] = [0];
  freeHead = 0;
  deviceMap: Obj | null = null;
  constructor(
    readonly silo: number,
    readonly session: number,
    readonly privileges: number,
    readonly scope: Obj,
  ) {}
}

interface LookupResult {
  status: number;
  obj: Obj | null;
  parent: Obj | null;
  component: string;
}

export class RefObjectNamespace implements ObjectNamespace {
  readonly impl = 'ref' as const;
  private readonly root: Obj;
  private readonly procs: (Proc | null)[] = [null];
  private readonly freeProcs: number[] = [];
  private readonly silos = new Map<number, Obj>();
  /** Silo ids in creation order with swap-removal, as assembly/ob keeps them. */
  private siloOrder: number[] = [];
  private live = 0;

  constructor() {
    this.root = this.newObject(DIR);
    this.root.named = true;
    this.root.permanent = true;
  }

  private newObject(type: number): Obj {
    this.live++;
    return new Obj(type);
  }

  // ---- processes ------------------------------------------------------------

  private proc(p: number): Proc | null {
    const r = this.procs[p];
    return r && r.live ? r : null;
  }

  createProcess(silo: number, session: number, privileges: number): ProcessResult {
    let scope = this.root;
    if (silo >>> 0 !== 0) {
      const r = this.silos.get(silo >>> 0);
      if (!r) return { status: S.STATUS_INVALID_PARAMETER, process: 0 };
      scope = r;
    }
    const pr = new Proc(silo >>> 0, session >>> 0, privileges >>> 0, scope);
    scope.pointers++;
    // Reuse ids most-recently-freed first, as assembly/ob does.
    let id: number;
    if (this.freeProcs.length > 0) {
      id = this.freeProcs.pop()!;
      this.procs[id] = pr;
    } else {
      id = this.procs.length;
      this.procs.push(pr);
    }
    return { status: S.STATUS_SUCCESS, process: id };
  }

  deleteProcess(process: number): number {
    const pr = this.proc(process);
    if (!pr) return S.STATUS_INVALID_CID;
    for (let i = 1; i < pr.table.length; i++) {
      const o = pr.table[i];
      if (o) {
        pr.table[i] = null;
        this.dropHandle(o);
      }
    }
    this.setDeviceMapObj(pr, null);
    pr.live = false;
    this.freeProcs.push(process);
    this.dropPointer(pr.scope);
    return S.STATUS_SUCCESS;
  }

  private setDeviceMapObj(pr: Proc, d: Obj | null): void {
    const old = pr.deviceMap;
    if (d) d.pointers++;
    pr.deviceMap = d;
    if (old) this.dropPointer(old);
  }

  setDeviceMap(process: number, directoryHandle: number): number {
    const pr = this.proc(process);
    if (!pr) return S.STATUS_INVALID_CID;
    if (directoryHandle >>> 0 === 0) {
      this.setDeviceMapObj(pr, null);
      return S.STATUS_SUCCESS;
    }
    const d = this.handleObject(pr, directoryHandle);
    if (!d) return S.STATUS_INVALID_HANDLE;
    if (d.type !== DIR) return S.STATUS_OBJECT_TYPE_MISMATCH;
    this.setDeviceMapObj(pr, d);
    return S.STATUS_SUCCESS;
  }

  handleCount(process: number): number {
    const pr = this.proc(process);
    if (!pr) return S.STATUS_INVALID_CID;
    let n = 0;
    for (let i = 1; i < pr.table.length; i++) if (pr.table[i]) n++;
    return n;
  }

  private handleObject(pr: Proc, handle: number): Obj | null {
    const i = (handle >>> 0) >>> 2;
    if (i === 0 || i >= pr.table.length) return null;
    return pr.table[i] ?? null;
  }

  private handleInsert(pr: Proc, o: Obj): number {
    let i = pr.freeHead;
    if (i !== 0) {
      pr.freeHead = pr.nextFree[i]!;
    } else {
      i = pr.table.length;
      if (i >= OB_LIMITS.maxHandlesPerProcess) return 0;
      pr.table.push(null);
      pr.nextFree.push(0);
    }
    pr.table[i] = o;
    o.handles++;
    return i << 2;
  }

  private handleClose(pr: Proc, handle: number): boolean {
    const o = this.handleObject(pr, handle);
    if (!o) return false;
    const i = (handle >>> 0) >>> 2;
    pr.table[i] = null;
    pr.nextFree[i] = pr.freeHead;
    pr.freeHead = i;
    this.dropHandle(o);
    return true;
  }

  // ---- directory entries and lifetime ------------------------------------------

  private findEntry(dir: Obj, component: string, folded: string, ci: boolean): Obj | null {
    let o = dir.entries!.get(folded) ?? null;
    if (ci || !o) return o;
    while (o) {
      if (o.name === component) return o;
      o = o.foldNext;
    }
    return null;
  }

  private insertEntry(dir: Obj, o: Obj, name: string, folded: string): void {
    o.name = name;
    o.folded = folded;
    o.parent = dir;
    o.foldNext = dir.entries!.get(folded) ?? null;
    dir.entries!.set(folded, o);
    const b = ntBucket(name);
    o.bucket = b;
    const head = dir.heads![b]!;
    o.bucketNext = head;
    o.bucketPrev = null;
    if (head) head.bucketPrev = o;
    dir.heads![b] = o;
    dir.count++;
    dir.stamp++;
    dir.pointers++;
    o.named = true;
  }

  private removeEntry(o: Obj): void {
    if (!o.named) return;
    const dir = o.parent!;
    const head = dir.entries!.get(o.folded);
    if (head === o) {
      if (o.foldNext) dir.entries!.set(o.folded, o.foldNext);
      else dir.entries!.delete(o.folded);
    } else {
      let p = head ?? null;
      while (p) {
        if (p.foldNext === o) {
          p.foldNext = o.foldNext;
          break;
        }
        p = p.foldNext;
      }
    }
    if (o.bucketPrev) o.bucketPrev.bucketNext = o.bucketNext;
    else dir.heads![o.bucket] = o.bucketNext;
    if (o.bucketNext) o.bucketNext.bucketPrev = o.bucketPrev;
    dir.count--;
    dir.stamp++;
    o.named = false;
    o.foldNext = null;
    o.bucketNext = null;
    o.bucketPrev = null;
    this.dropPointer(dir);
  }

  private dropHandle(o: Obj): void {
    o.handles--;
    if (o.handles === 0) {
      if (o.named && !o.permanent) this.removeEntry(o);
      this.maybeFree(o);
    }
  }

  private dropPointer(o: Obj): void {
    o.pointers--;
    this.maybeFree(o);
  }

  private maybeFree(first: Obj): void {
    let cur: Obj | null = first;
    while (cur) {
      if (!cur.live || cur.handles !== 0 || cur.pointers !== 0) return;
      if (cur.named) {
        if (cur.permanent) return;
        this.removeEntry(cur);
      }
      let next: Obj | null = null;
      if (cur.type === DIR && cur.shadow) {
        cur.shadow.pointers--;
        next = cur.shadow;
      }
      cur.live = false;
      this.live--;
      cur = next;
    }
  }

  // ---- lookup ------------------------------------------------------------------

  private scopeGlobalDosDevices(scope: Obj): Obj | null {
    const d = scope.entries!.get('GLOBAL??') ?? null;
    return d && d.type === DIR ? d : null;
  }

  private static syntaxValid(name: string): boolean {
    // Empty components and a trailing `\` are invalid; `\` alone is the root.
    if (name.indexOf('\\\\') >= 0) return false;
    return !(name.length > 1 && name.charCodeAt(name.length - 1) === 0x5c);
  }

  private lookup(pr: Proc, rootHandle: number, name: string, attrs: number, type: number, creating: boolean): LookupResult {
    const res: LookupResult = { status: S.STATUS_SUCCESS, obj: null, parent: null, component: '' };
    const inSilo = pr.silo !== 0;
    let scope = pr.scope;
    let buf = name;
    let cur: Obj;
    let pos: number;
    let atScopeTop: boolean;
    if (rootHandle >>> 0 !== 0) {
      const root = this.handleObject(pr, rootHandle);
      if (!root) return { ...res, status: S.STATUS_INVALID_HANDLE };
      if (buf.length > 0 && buf.charCodeAt(0) === 0x5c) return { ...res, status: S.STATUS_OBJECT_PATH_SYNTAX_BAD };
      if (buf.length === 0) return { ...res, obj: root };
      if (root.type !== DIR) return { ...res, status: S.STATUS_OBJECT_TYPE_MISMATCH };
      cur = root;
      pos = 0;
      atScopeTop = false;
    } else {
      if (buf.length === 0 || buf.charCodeAt(0) !== 0x5c) return { ...res, status: S.STATUS_OBJECT_PATH_SYNTAX_BAD };
      cur = scope;
      pos = 1;
      atScopeTop = true;
    }
    if (!RefObjectNamespace.syntaxValid(buf)) return { ...res, status: S.STATUS_OBJECT_NAME_INVALID };
    if (pos === buf.length) return { ...res, obj: cur };
    let reparses = 0;
    let dosFallback: Obj | null = null;
    for (;;) {
      let end = buf.indexOf('\\', pos);
      if (end < 0) end = buf.length;
      const component = buf.slice(pos, end);
      const isLast = end === buf.length;
      const inserting = creating && isLast;

      if (atScopeTop && component === '??') {
        const globalDir = this.scopeGlobalDosDevices(scope);
        const dm = pr.deviceMap;
        const target = dm ?? globalDir;
        if (target) {
          atScopeTop = false;
          dosFallback = dm && globalDir && dm !== globalDir ? globalDir : null;
          if (isLast) return { ...res, obj: target };
          cur = target;
          pos = end + 1;
          continue;
        }
      }
      atScopeTop = false;

      const ci = !isLast || (attrs & OBJ_CASE_INSENSITIVE) !== 0 || type === DIR || type === LINK;
      const folded = fold(component);
      let obj = this.findEntry(cur, component, folded, ci);
      if (!obj && !inserting) {
        let sh = cur.shadow;
        let depth = 0;
        while (!obj && sh && depth < OB_LIMITS.maxShadowDepth) {
          obj = this.findEntry(sh, component, folded, ci);
          sh = sh.shadow;
          depth++;
        }
        if (!obj && dosFallback) obj = this.findEntry(dosFallback, component, folded, ci);
      }
      dosFallback = null;
      if (!obj) {
        if (!isLast) return { ...res, status: S.STATUS_OBJECT_PATH_NOT_FOUND };
        if (!creating) return { ...res, status: S.STATUS_OBJECT_NAME_NOT_FOUND };
        return { status: S.STATUS_SUCCESS, obj: null, parent: cur, component };
      }
      if (obj.type === LINK && !(isLast && (creating || (attrs & OBJ_OPENLINK) !== 0 || type === LINK))) {
        if (++reparses > OB_LIMITS.maxReparse) return { ...res, status: S.STATUS_OBJECT_NAME_NOT_FOUND };
        if (obj.globalLink) {
          if (inSilo) return { ...res, status: S.STATUS_ACCESS_DENIED };
          scope = this.root;
        }
        const rest = buf.slice(end);
        if ((obj.target.length + rest.length) * 2 > OB_LIMITS.maxExpansionBytes) return { ...res, status: S.STATUS_NAME_TOO_LONG };
        buf = obj.target + rest;
        if (buf.length === 0) return { ...res, obj: scope };
        if (buf.charCodeAt(0) !== 0x5c) return { ...res, status: S.STATUS_OBJECT_PATH_SYNTAX_BAD };
        if (!RefObjectNamespace.syntaxValid(buf)) return { ...res, status: S.STATUS_OBJECT_NAME_INVALID };
        cur = scope;
        pos = 1;
        atScopeTop = true;
        if (buf.length === 1) return { ...res, obj: scope };
        continue;
      }
      if (!isLast) {
        if (obj.type !== DIR) return { ...res, status: S.STATUS_OBJECT_TYPE_MISMATCH };
        cur = obj;
        pos = end + 1;
        continue;
      }
      return { ...res, obj };
    }
  }

  // ---- create / open / close ----------------------------------------------------

  create(process: number, type: ObjectTypeId, oa: ObjectAttributes, options: CreateOptions = {}): HandleResult {
    const fail = (status: number): HandleResult => ({ status, handle: 0 });
    const pr = this.proc(process);
    if (!pr) return fail(S.STATUS_INVALID_CID);
    const attrs = (oa.attributes ?? 0) >>> 0;
    if ((attrs & ~OBJ_VALID_ATTRIBUTES) !== 0) return fail(S.STATUS_INVALID_PARAMETER);
    if (type <= 0 || type > TYPE_MAX) return fail(S.STATUS_INVALID_PARAMETER);
    const name = unicodeString(oa.name, oa.nameLength);
    if ((name.bytes & 1) !== 0 || name.bytes >= OB_LIMITS.maxNameBytes) return fail(S.STATUS_OBJECT_NAME_INVALID);
    const hasTarget = options.target !== undefined || options.targetLength !== undefined;
    const target = hasTarget ? unicodeString(options.target ?? '', options.targetLength) : { bytes: 0, value: '' };
    if (type === LINK) {
      if ((target.bytes & 1) !== 0 || target.bytes >= OB_LIMITS.maxNameBytes) return fail(S.STATUS_INVALID_PARAMETER);
      if (options.global && (pr.silo !== 0 || (pr.privileges & Privilege.Tcb) === 0)) return fail(S.STATUS_PRIVILEGE_NOT_HELD);
    } else if (target.bytes !== 0 || options.global) {
      return fail(S.STATUS_INVALID_PARAMETER);
    }
    let shadow: Obj | null = null;
    if ((options.shadow ?? 0) >>> 0 !== 0) {
      if (type !== DIR) return fail(S.STATUS_INVALID_PARAMETER);
      shadow = this.handleObject(pr, options.shadow!);
      if (!shadow) return fail(S.STATUS_INVALID_HANDLE);
      if (shadow.type !== DIR) return fail(S.STATUS_OBJECT_TYPE_MISMATCH);
    }
    if ((attrs & OBJ_PERMANENT) !== 0 && (pr.privileges & Privilege.CreatePermanent) === 0) return fail(S.STATUS_PRIVILEGE_NOT_HELD);

    const rootHandle = (oa.root ?? 0) >>> 0;
    let parent: Obj | null = null;
    let component = '';
    if (name.value.length > 0) {
      const r = this.lookup(pr, rootHandle, name.value, attrs, type, true);
      if (r.status !== S.STATUS_SUCCESS) return fail(r.status);
      if (r.obj) {
        if ((attrs & OBJ_OPENIF) === 0) return fail(S.STATUS_OBJECT_NAME_COLLISION);
        if (r.obj.type !== type) return fail(S.STATUS_OBJECT_TYPE_MISMATCH);
        const h = this.handleInsert(pr, r.obj);
        if (h === 0) return fail(S.STATUS_INSUFFICIENT_RESOURCES);
        return { status: S.STATUS_OBJECT_NAME_EXISTS, handle: h };
      }
      parent = r.parent;
      component = r.component;
    } else if (rootHandle !== 0 && !this.handleObject(pr, rootHandle)) {
      return fail(S.STATUS_INVALID_HANDLE);
    }
    const o = this.newObject(type);
    if (type === LINK) {
      o.target = target.value;
      o.creatorSilo = pr.silo;
      if (options.global) o.globalLink = true;
    }
    if (shadow) {
      o.shadow = shadow;
      shadow.pointers++;
    }
    if (parent) {
      this.insertEntry(parent, o, component, fold(component));
      if ((attrs & OBJ_PERMANENT) !== 0) o.permanent = true;
    }
    const h = this.handleInsert(pr, o);
    if (h === 0) {
      o.permanent = false;
      this.removeEntry(o);
      this.maybeFree(o);
      return fail(S.STATUS_INSUFFICIENT_RESOURCES);
    }
    return { status: S.STATUS_SUCCESS, handle: h };
  }

  open(process: number, type: ObjectTypeId | 0, oa: ObjectAttributes): HandleResult {
    const pr = this.proc(process);
    if (!pr) return { status: S.STATUS_INVALID_CID, handle: 0 };
    const name = unicodeString(oa.name, oa.nameLength);
    return this.openName(pr, (oa.root ?? 0) >>> 0, name.value, name.bytes, (oa.attributes ?? 0) >>> 0, type);
  }

  private openName(pr: Proc, root: number, name: string, bytes: number, attrs: number, type: number): HandleResult {
    if ((attrs & ~OBJ_VALID_ATTRIBUTES) !== 0) return { status: S.STATUS_INVALID_PARAMETER, handle: 0 };
    if (type < 0 || type > TYPE_MAX) return { status: S.STATUS_INVALID_PARAMETER, handle: 0 };
    if ((bytes & 1) !== 0 || bytes >= OB_LIMITS.maxNameBytes) return { status: S.STATUS_OBJECT_NAME_INVALID, handle: 0 };
    const r = this.lookup(pr, root, name, attrs, type, false);
    if (r.status !== S.STATUS_SUCCESS) return { status: r.status, handle: 0 };
    const o = r.obj!;
    if (type !== 0 && o.type !== type) return { status: S.STATUS_OBJECT_TYPE_MISMATCH, handle: 0 };
    const h = this.handleInsert(pr, o);
    if (h === 0) return { status: S.STATUS_INSUFFICIENT_RESOURCES, handle: 0 };
    return { status: S.STATUS_SUCCESS, handle: h };
  }

  close(process: number, handle: number): number {
    const pr = this.proc(process);
    if (!pr) return S.STATUS_INVALID_CID;
    return this.handleClose(pr, handle) ? S.STATUS_SUCCESS : S.STATUS_INVALID_HANDLE;
  }

  openBatch(process: number, names: readonly string[], attributes: number, type: ObjectTypeId | 0, root = 0, out?: BatchOutput): number {
    const o = out ?? { statuses: new Int32Array(names.length), handles: new Uint32Array(names.length) };
    const pr = this.proc(process);
    if (!pr) {
      o.statuses.fill(S.STATUS_INVALID_CID, 0, names.length);
      o.handles.fill(0, 0, names.length);
      return 0;
    }
    let ok = 0;
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      const r = this.openName(pr, root >>> 0, n, n.length * 2, attributes >>> 0, type);
      o.statuses[i] = r.status;
      o.handles[i] = r.handle;
      if (r.status >= 0) ok++;
    }
    return ok;
  }

  closeBatch(process: number, handles: Uint32Array, count: number, statuses?: Int32Array): number {
    const pr = this.proc(process);
    if (!pr) {
      statuses?.fill(S.STATUS_INVALID_CID, 0, count);
      return 0;
    }
    let ok = 0;
    for (let i = 0; i < count; i++) {
      const closed = this.handleClose(pr, handles[i]!);
      if (statuses) statuses[i] = closed ? S.STATUS_SUCCESS : S.STATUS_INVALID_HANDLE;
      if (closed) ok++;
    }
    return ok;
  }

  // ---- queries -----------------------------------------------------------------------

  queryName(process: number, handle: number): NameResult {
    const pr = this.proc(process);
    if (!pr) return { status: S.STATUS_INVALID_CID, name: '' };
    const o = this.handleObject(pr, handle);
    if (!o) return { status: S.STATUS_INVALID_HANDLE, name: '' };
    if (o === pr.scope || o === this.root) return { status: S.STATUS_SUCCESS, name: '\\' };
    if (!o.named && o.name.length === 0) return { status: S.STATUS_SUCCESS, name: '' };
    const parts: string[] = [];
    let total = 0;
    let cur: Obj = o;
    for (;;) {
      parts.push(cur.name);
      total += 1 + cur.name.length;
      if (!cur.named) break;
      const par = cur.parent;
      if (!par || par === pr.scope || par === this.root) break;
      cur = par;
    }
    if (total > OB_LIMITS.maxQueryNameUnits) return { status: S.STATUS_NAME_TOO_LONG, name: '' };
    return { status: S.STATUS_SUCCESS, name: '\\' + parts.reverse().join('\\') };
  }

  queryLink(process: number, handle: number): { status: number; target: string } {
    const pr = this.proc(process);
    if (!pr) return { status: S.STATUS_INVALID_CID, target: '' };
    const o = this.handleObject(pr, handle);
    if (!o) return { status: S.STATUS_INVALID_HANDLE, target: '' };
    if (o.type !== LINK) return { status: S.STATUS_OBJECT_TYPE_MISMATCH, target: '' };
    return { status: S.STATUS_SUCCESS, target: o.target };
  }

  queryObject(process: number, handle: number): ObjectBasicInformation {
    const none = (status: number): ObjectBasicInformation => ({
      status, type: '', handleCount: 0, pointerCount: 0, attributes: 0, named: false, globalLink: false, siloRoot: false,
    });
    const pr = this.proc(process);
    if (!pr) return none(S.STATUS_INVALID_CID);
    const o = this.handleObject(pr, handle);
    if (!o) return none(S.STATUS_INVALID_HANDLE);
    return {
      status: S.STATUS_SUCCESS,
      type: OBJECT_TYPE_NAMES[o.type]!,
      handleCount: o.handles,
      pointerCount: o.handles + o.pointers,
      attributes: o.permanent ? OBJ_PERMANENT : 0,
      named: o.named,
      globalLink: o.globalLink,
      siloRoot: o.siloRoot,
    };
  }

  queryDirectory(process: number, handle: number, options: DirectoryQueryOptions): DirectoryQueryResult {
    const context = (options.context ?? 0) >>> 0;
    const result = (status: number, entries: DirectoryEntry[] = [], ctx = context, returnLength = 0): DirectoryQueryResult => ({
      status, entries, context: ctx, returnLength,
    });
    const pr = this.proc(process);
    if (!pr) return result(S.STATUS_INVALID_CID);
    const dir = this.handleObject(pr, handle);
    if (!dir) return result(S.STATUS_INVALID_HANDLE);
    if (dir.type !== DIR) return result(S.STATUS_OBJECT_TYPE_MISMATCH);
    let bufferLength = Math.max(-1, Math.min(options.bufferLength, 0x7fffffff)) | 0;
    if (bufferLength < 0) return result(S.STATUS_INVALID_PARAMETER);
    if (bufferLength > OB_LIMITS.maxQueryBuffer) bufferLength = OB_LIMITS.maxQueryBuffer;
    const start = options.restart ? 0 : context;
    const heads = dir.heads!;
    let bucket = 0;
    let o: Obj | null = heads[0]!;
    while (!o && ++bucket < BUCKETS) o = heads[bucket]!;
    let index = 0;
    while (o && index < start) {
      index++;
      o = o.bucketNext;
      while (!o && ++bucket < BUCKETS) o = heads[bucket]!;
    }
    if (!o) return result(S.STATUS_NO_MORE_ENTRIES);
    let used = 32;
    const entries: DirectoryEntry[] = [];
    let status = S.STATUS_SUCCESS;
    while (o) {
      const typeName = OBJECT_TYPE_NAMES[o.type]!;
      const cost = 32 + (o.name.length + 1) * 2 + (typeName.length + 1) * 2;
      if (used + cost > bufferLength) {
        if (entries.length === 0) return result(S.STATUS_BUFFER_TOO_SMALL, [], context, used + cost);
        status = S.STATUS_MORE_ENTRIES;
        break;
      }
      used += cost;
      entries.push({ name: o.name, type: typeName });
      index++;
      o = o.bucketNext;
      while (!o && ++bucket < BUCKETS) o = heads[bucket]!;
      if (options.single) break;
    }
    return result(status, entries, index, used);
  }

  // ---- lifetime -------------------------------------------------------------------

  makeTemporary(process: number, handle: number): number {
    const pr = this.proc(process);
    if (!pr) return S.STATUS_INVALID_CID;
    const o = this.handleObject(pr, handle);
    if (!o) return S.STATUS_INVALID_HANDLE;
    if (o.siloRoot || o === this.root) return S.STATUS_ACCESS_DENIED;
    o.permanent = false;
    return S.STATUS_SUCCESS;
  }

  makePermanent(process: number, handle: number): number {
    const pr = this.proc(process);
    if (!pr) return S.STATUS_INVALID_CID;
    const o = this.handleObject(pr, handle);
    if (!o) return S.STATUS_INVALID_HANDLE;
    if ((pr.privileges & Privilege.CreatePermanent) === 0) return S.STATUS_PRIVILEGE_NOT_HELD;
    if (o.named) o.permanent = true;
    return S.STATUS_SUCCESS;
  }

  setLinkGlobal(process: number, handle: number, global: boolean): number {
    const pr = this.proc(process);
    if (!pr) return S.STATUS_INVALID_CID;
    const o = this.handleObject(pr, handle);
    if (!o) return S.STATUS_INVALID_HANDLE;
    if (o.type !== LINK) return S.STATUS_OBJECT_TYPE_MISMATCH;
    if (pr.silo !== 0 || (pr.privileges & Privilege.Tcb) === 0) return S.STATUS_PRIVILEGE_NOT_HELD;
    o.globalLink = global;
    return S.STATUS_SUCCESS;
  }

  // ---- silos ----------------------------------------------------------------------

  createSilo(process: number, siloId: number): HandleResult {
    const fail = (status: number): HandleResult => ({ status, handle: 0 });
    const pr = this.proc(process);
    if (!pr) return fail(S.STATUS_INVALID_CID);
    if (pr.silo !== 0) return fail(S.STATUS_PRIVILEGE_NOT_HELD);
    const id = siloId >>> 0;
    if (id === 0) return fail(S.STATUS_INVALID_PARAMETER);
    if (this.silos.has(id)) return fail(S.STATUS_OBJECT_NAME_COLLISION);
    if (this.siloOrder.length >= 4096) return fail(S.STATUS_INSUFFICIENT_RESOURCES);
    let silos = this.root.entries!.get('SILOS') ?? null;
    if (!silos) {
      silos = this.newObject(DIR);
      this.insertEntry(this.root, silos, 'Silos', 'SILOS');
      silos.permanent = true;
    } else if (silos.type !== DIR) {
      return fail(S.STATUS_OBJECT_TYPE_MISMATCH);
    }
    const digits = String(id);
    if (silos.entries!.get(digits)) return fail(S.STATUS_OBJECT_NAME_COLLISION);
    const root = this.newObject(DIR);
    this.insertEntry(silos, root, digits, digits);
    root.permanent = true;
    root.siloRoot = true;
    const h = this.handleInsert(pr, root);
    if (h === 0) return fail(S.STATUS_INSUFFICIENT_RESOURCES);
    this.silos.set(id, root);
    this.siloOrder.push(id);
    return { status: S.STATUS_SUCCESS, handle: h };
  }

  terminateSilo(process: number, siloId: number): number {
    const pr = this.proc(process);
    if (!pr) return S.STATUS_INVALID_CID;
    if (pr.silo !== 0) return S.STATUS_ACCESS_DENIED;
    const root = this.silos.get(siloId >>> 0);
    if (!root) return S.STATUS_INVALID_PARAMETER;
    const list: Obj[] = [root];
    for (let scan = 0; scan < list.length; scan++) {
      const d = list[scan]!;
      if (d.type !== DIR) continue;
      for (let b = 0; b < BUCKETS; b++) {
        for (let c: Obj | null = d.heads![b]!; c; c = c.bucketNext) list.push(c);
      }
    }
    for (let i = list.length - 1; i >= 0; i--) {
      const o = list[i]!;
      if (!o.live) continue;
      o.permanent = false;
      o.siloRoot = false;
      this.removeEntry(o);
      this.maybeFree(o);
    }
    this.silos.delete(siloId >>> 0);
    const at = this.siloOrder.indexOf(siloId >>> 0);
    this.siloOrder[at] = this.siloOrder[this.siloOrder.length - 1]!;
    this.siloOrder.pop();
    return S.STATUS_SUCCESS;
  }

  objectCount(): number {
    return this.live;
  }
}
