/**
 * A plain model of what an NTFS volume must do, for the model-based tests: a Map from upcased
 * path to entry, with the error each misuse gets and the order the volume checks in (walk of the
 * source, walk of the target, then the operation's own checks).
 */
import fc from 'fast-check';
import { Win32Error, WIN32_MESSAGES } from '../../../src/core/win32.js';
import { foldName } from '../../../src/kernel/fs/names.js';
import type { Volume } from '../../../src/kernel/fs/types.js';
import { readFile } from './support.js';

export type Op =
  | { kind: 'mkdir'; path: string[] }
  | { kind: 'create'; path: string[]; size: number; seed: number }
  | { kind: 'overwrite'; path: string[]; size: number; seed: number }
  | { kind: 'writeAt'; path: string[]; pos: number; size: number; seed: number }
  | { kind: 'truncate'; path: string[]; size: number }
  | { kind: 'delete'; path: string[] }
  | { kind: 'rmdir'; path: string[] }
  | { kind: 'rename'; from: string[]; to: string[]; replace: boolean };

// Few names, mostly shallow paths: operations meet existing entries often enough to exercise
// every branch (replace, move into itself, non-empty directories), in mixed case.
const NAMES = ['a', 'Bb', 'c.txt'];

function opArbOver(nameArb: fc.Arbitrary<string>, deep: boolean, big = false): fc.Arbitrary<Op> {
  const pathArb = deep
    ? fc.oneof(
        { weight: 3, arbitrary: fc.array(nameArb, { minLength: 1, maxLength: 1 }) },
        { weight: 3, arbitrary: fc.array(nameArb, { minLength: 2, maxLength: 2 }) },
        { weight: 1, arbitrary: fc.array(nameArb, { minLength: 3, maxLength: 3 }) },
      )
    : nameArb.map((n) => [n]);
  const sizeArb = big
    ? fc.oneof(fc.integer({ min: 0, max: 1200 }), fc.integer({ min: 30_000, max: 150_000 }))
    : fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 600, max: 1200 }), fc.integer({ min: 4000, max: 13000 }));
  return fc.oneof(
    { weight: 3, arbitrary: pathArb.map((path) => ({ kind: 'mkdir' as const, path })) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), path: pathArb, size: sizeArb, seed: fc.nat(255) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('overwrite' as const), path: pathArb, size: sizeArb, seed: fc.nat(255) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('writeAt' as const), path: pathArb, pos: fc.integer({ min: 0, max: 9000 }), size: sizeArb, seed: fc.nat(255) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), path: pathArb, size: sizeArb }) },
    { weight: 2, arbitrary: pathArb.map((path) => ({ kind: 'delete' as const, path })) },
    { weight: 2, arbitrary: pathArb.map((path) => ({ kind: 'rmdir' as const, path })) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('rename' as const), from: pathArb, to: pathArb, replace: fc.boolean() }) },
  );
}

/** Sequences over a few names in up to three levels; `big` files run a small disk out of space. */
export const opsArb = (max: number, big = false): fc.Arbitrary<Op[]> =>
  fc.array(opArbOver(fc.constantFrom(...NAMES).chain((n) => fc.constantFrom(n, n.toUpperCase(), n.toLowerCase())), true, big), { minLength: 1, maxLength: max, size: 'max' });

/** Sequences over hundreds of long names in one directory: the index leaves the record and splits into a tree. */
export const wideOpsArb = (max: number): fc.Arbitrary<Op[]> =>
  fc.array(
    opArbOver(
      fc.integer({ min: 0, max: 399 }).chain((i) => fc.constantFrom(`Name-${i}-${'x'.repeat(i % 90)}`, `NAME-${i}-${'X'.repeat(i % 90)}`)),
      false,
    ),
    { minLength: 100, maxLength: max, size: 'max' },
  );

export function bytesOf(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

const vpath = (p: string[]): string => '\\' + p.join('\\');

interface Entry {
  name: string;
  dir: boolean;
  data: Uint8Array;
}

export class VolumeModel {
  /** Upcased path → entry; the root is '\'. */
  readonly entries = new Map<string, Entry>([['\\', { name: '', dir: true, data: new Uint8Array(0) }]]);

  private key(p: string[]): string {
    return vpath(p.map(foldName));
  }

  /** The walk's errors: a missing or non-directory parent on the way is ERROR_PATH_NOT_FOUND. */
  private walk(p: string[]): Entry | undefined {
    for (let i = 0; i < p.length; i++) {
      const parent = this.entries.get(i === 0 ? '\\' : this.key(p.slice(0, i)));
      if (!parent || !parent.dir) throw 'ERROR_PATH_NOT_FOUND';
    }
    return this.entries.get(this.key(p));
  }

  private children(k: string): string[] {
    const prefix = k === '\\' ? '\\' : k + '\\';
    return [...this.entries.keys()].filter((x) => x !== k && x.startsWith(prefix));
  }

  /** Applies `op`; returns the Win32 error name or 'ok'. */
  apply(op: Op): string {
    try {
      this.run(op);
      return 'ok';
    } catch (e) {
      if (typeof e === 'string') return e;
      throw e;
    }
  }

  private run(op: Op): void {
    switch (op.kind) {
      case 'mkdir': {
        if (this.walk(op.path)) throw 'ERROR_ALREADY_EXISTS';
        this.entries.set(this.key(op.path), { name: op.path.at(-1)!, dir: true, data: new Uint8Array(0) });
        return;
      }
      case 'create': {
        if (this.walk(op.path)) throw 'ERROR_FILE_EXISTS';
        this.entries.set(this.key(op.path), { name: op.path.at(-1)!, dir: false, data: bytesOf(op.size, op.seed) });
        return;
      }
      case 'overwrite': {
        const e = this.walk(op.path);
        if (e?.dir) throw 'ERROR_ACCESS_DENIED';
        if (e) e.data = bytesOf(op.size, op.seed);
        else this.entries.set(this.key(op.path), { name: op.path.at(-1)!, dir: false, data: bytesOf(op.size, op.seed) });
        return;
      }
      case 'writeAt':
      case 'truncate': {
        const e = this.walk(op.path);
        if (!e) throw 'ERROR_FILE_NOT_FOUND';
        if (e.dir) throw 'ERROR_ACCESS_DENIED';
        if (op.kind === 'writeAt') {
          if (op.size === 0) return;
          const d = new Uint8Array(Math.max(e.data.length, op.pos + op.size));
          d.set(e.data);
          d.set(bytesOf(op.size, op.seed), op.pos);
          e.data = d;
        } else {
          const d = new Uint8Array(op.size);
          d.set(e.data.subarray(0, op.size));
          e.data = d;
        }
        return;
      }
      case 'delete': {
        const e = this.walk(op.path);
        if (!e) throw 'ERROR_FILE_NOT_FOUND';
        if (e.dir) throw 'ERROR_ACCESS_DENIED';
        this.entries.delete(this.key(op.path));
        return;
      }
      case 'rmdir': {
        const e = this.walk(op.path);
        if (!e) throw 'ERROR_FILE_NOT_FOUND';
        if (!e.dir) throw 'ERROR_DIRECTORY';
        if (this.children(this.key(op.path)).length > 0) throw 'ERROR_DIR_NOT_EMPTY';
        this.entries.delete(this.key(op.path));
        return;
      }
      case 'rename': {
        const src = this.walk(op.from);
        if (!src) throw 'ERROR_FILE_NOT_FOUND';
        const dst = this.walk(op.to);
        const fk = this.key(op.from);
        const tk = this.key(op.to);
        const newName = op.to.at(-1)!;
        if (fk === tk && newName === src.name) return;
        if (src.dir && (tk + '\\').startsWith(fk + '\\') && tk !== fk) {
          throw this.key(op.to.slice(0, -1)) === fk ? 'ERROR_SHARING_VIOLATION' : 'ERROR_ACCESS_DENIED';
        }
        if (dst && fk !== tk) {
          if (!op.replace) throw 'ERROR_ALREADY_EXISTS';
          if (dst.dir || src.dir) throw 'ERROR_ACCESS_DENIED';
          this.entries.delete(tk);
        }
        const moved = [fk, ...this.children(fk)];
        const items = moved.map((k) => [k, this.entries.get(k)!] as const);
        for (const [k] of items) this.entries.delete(k);
        for (const [k, e] of items) this.entries.set(tk + k.slice(fk.length), k === fk ? { ...e, name: newName } : e);
        return;
      }
    }
  }

  /** The tree as `snapshot` reports it. */
  snapshot(): string[] {
    const out: string[] = [];
    const walk = (k: string, display: string): void => {
      const kids = this.children(k)
        .filter((c) => !c.slice(k === '\\' ? 1 : k.length + 1).includes('\\'))
        .map((c) => this.entries.get(c)!)
        .sort((a, b) => (foldName(a.name) < foldName(b.name) ? -1 : 1));
      for (const e of kids) {
        const p = display + '\\' + e.name;
        out.push(e.dir ? `${p}\\` : `${p} ${e.data.length} ${hash(e.data)}`);
        if (e.dir) walk(k === '\\' ? '\\' + foldName(e.name) : k + '\\' + foldName(e.name), p);
      }
    };
    walk('\\', '');
    return out;
  }
}

function hash(b: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 16777619) >>> 0;
  return h.toString(16);
}

/** Every name, kind, size and content hash on `vol`, in listing order, depth first. */
export function snapshotVolume(vol: Volume): string[] {
  const out: string[] = [];
  const walk = (dir: string, display: string): void => {
    for (const e of vol.list(dir)) {
      const p = display + '\\' + e.name;
      const isDir = (e.attributes & 0x10) !== 0;
      if (isDir) {
        out.push(`${p}\\`);
        walk(p, p);
      } else out.push(`${p} ${e.size} ${hash(readFile(vol, p))}`);
    }
  };
  walk('\\', '');
  return out;
}

/** Applies `op` to a volume; returns the Win32 error name or 'ok'. */
export function applyToVolume(vol: Volume, op: Op): string {
  try {
    switch (op.kind) {
      case 'mkdir':
        vol.createDirectory(vpath(op.path));
        break;
      case 'create':
      case 'overwrite': {
        const h = vol.open(vpath(op.path), { disposition: op.kind === 'create' ? 'create' : 'overwriteIf', write: true });
        try {
          h.write(0, bytesOf(op.size, op.seed));
        } finally {
          h.close();
        }
        break;
      }
      case 'writeAt':
      case 'truncate': {
        const h = vol.open(vpath(op.path), { disposition: 'open', write: true });
        try {
          if (op.kind === 'writeAt') h.write(op.pos, bytesOf(op.size, op.seed));
          else h.setSize(op.size);
        } finally {
          h.close();
        }
        break;
      }
      case 'delete':
        vol.deleteFile(vpath(op.path));
        break;
      case 'rmdir':
        vol.removeDirectory(vpath(op.path));
        break;
      case 'rename':
        vol.rename(vpath(op.from), vpath(op.to), op.replace);
        break;
    }
    return 'ok';
  } catch (e) {
    if (e instanceof Win32Error) return WIN32_MESSAGES.get(e.code)?.name ?? String(e.code);
    throw e;
  }
}
