// Test doubles and helpers for the kernel tests.
//
// MemFs and MemRegistry are small in-test implementations of the
// FileSystemView and Registry contracts (src/kernel/fs/types.ts,
// src/kernel/registry/types.ts), just enough for what the process layer
// asks of them: stat for image search and SetCurrentDirectory, key and value
// reads and writes for the service database. The real implementations
// replace them when they land.
import { ERROR_FILE_NOT_FOUND, ERROR_NOT_SUPPORTED, ERROR_PATH_NOT_FOUND, Win32Error } from '../../../src/core/win32.js';
import { FILE_ATTRIBUTE_ARCHIVE, FILE_ATTRIBUTE_DIRECTORY, type FileInfo, type FileSystemView } from '../../../src/kernel/fs/types.js';
import type { KeyInfo, Registry, RegistryValue } from '../../../src/kernel/registry/types.js';
import { simpleFullPath } from '../../../src/kernel/process/image-search.js';
import { Kernel, type KernelOptions, type Timers } from '../../../src/kernel/process/kernel.js';

const notSupported = (op: string) => (): never => {
  throw new Win32Error(op, ERROR_NOT_SUPPORTED);
};

/** A volume of names only: directories and empty files, case-insensitive, case-preserving. */
export class MemFs implements FileSystemView {
  private readonly entries = new Map<string, { name: string; dir: boolean }>();

  constructor(paths: string[] = []) {
    this.entries.set('C:\\', { name: '', dir: true });
    for (const p of paths) p.endsWith('\\') ? this.mkdirs(p.slice(0, -1)) : this.addFile(p);
  }

  mkdirs(path: string): void {
    const parts = path.split('\\');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('\\');
      if (i === 1) continue;
      if (!this.entries.has(p.toUpperCase())) this.entries.set(p.toUpperCase(), { name: parts[i - 1]!, dir: true });
    }
  }

  addFile(path: string): void {
    const i = path.lastIndexOf('\\');
    this.mkdirs(path.slice(0, i));
    this.entries.set(path.toUpperCase(), { name: path.slice(i + 1), dir: false });
  }

  remove(path: string): void {
    this.entries.delete(path.toUpperCase());
  }

  fullPath(path: string, cwd: string): string {
    return simpleFullPath(path, cwd);
  }

  stat(path: string, cwd: string): FileInfo {
    const full = this.fullPath(path, cwd);
    const key = full.length === 3 ? full.toUpperCase() : full.toUpperCase().replace(/\\$/, '');
    const e = this.entries.get(key);
    if (!e) {
      const parent = key.slice(0, key.lastIndexOf('\\'));
      const pe = this.entries.get(parent.length === 2 ? parent + '\\' : parent);
      throw new Win32Error('GetFileAttributes', pe?.dir ? ERROR_FILE_NOT_FOUND : ERROR_PATH_NOT_FOUND, path);
    }
    return {
      name: e.name,
      attributes: e.dir ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE,
      size: 0,
      allocationSize: 0,
      creationTime: 0,
      lastAccessTime: 0,
      lastWriteTime: 0,
      changeTime: 0,
      fileId: 0,
      linkCount: 1,
    };
  }

  open = notSupported('CreateFile');
  list = notSupported('FindFirstFile');
  createDirectory = notSupported('CreateDirectory');
  removeDirectory = notSupported('RemoveDirectory');
  deleteFile = notSupported('DeleteFile');
  rename = notSupported('MoveFileEx');
  setAttributes = notSupported('SetFileAttributes');
  setTimes = notSupported('SetFileTime');
  createSymbolicLink = notSupported('CreateSymbolicLink');
  createJunction = notSupported('CreateJunction');
  createHardLink = notSupported('CreateHardLink');
  volume(): undefined {
    return undefined;
  }
}

interface MemKey {
  name: string;
  values: RegistryValue[];
  keys: Map<string, MemKey>;
}

/** A registry of plain maps: keys case-insensitive, subkeys enumerated alphabetically, values in creation order. */
export class MemRegistry implements Registry {
  readonly readOnly = false;
  private readonly root: MemKey = { name: '', values: [], keys: new Map() };

  private parts(path: string): string[] {
    const parts = path.split('\\').filter((p) => p.length > 0);
    const roots: Record<string, string> = { HKLM: 'HKEY_LOCAL_MACHINE', HKU: 'HKEY_USERS', HKCU: 'HKEY_CURRENT_USER' };
    parts[0] = roots[parts[0]!.toUpperCase()] ?? parts[0]!.toUpperCase();
    return parts;
  }

  private find(path: string): MemKey | undefined {
    let k: MemKey | undefined = this.root;
    for (const p of this.parts(path)) {
      k = k.keys.get(p.toUpperCase());
      if (!k) return undefined;
    }
    return k;
  }

  private must(path: string): MemKey {
    const k = this.find(path);
    if (!k) throw new Win32Error('RegOpenKeyEx', ERROR_FILE_NOT_FOUND, path);
    return k;
  }

  exists(path: string): boolean {
    return this.find(path) !== undefined;
  }

  keyInfo(path: string): KeyInfo {
    const k = this.must(path);
    return { name: k.name, subkeys: k.keys.size, values: k.values.length, lastWriteTime: 0 };
  }

  createKey(path: string): { created: boolean } {
    let k = this.root;
    let created = false;
    for (const p of this.parts(path)) {
      let n = k.keys.get(p.toUpperCase());
      if (!n) {
        n = { name: p, values: [], keys: new Map() };
        k.keys.set(p.toUpperCase(), n);
        created = true;
      }
      k = n;
    }
    return { created };
  }

  deleteKey(path: string): void {
    this.deleteTree(path);
  }

  deleteTree(path: string): void {
    const parts = this.parts(path);
    const parent = this.find(parts.slice(0, -1).join('\\'));
    if (!parent || !parent.keys.delete(parts[parts.length - 1]!.toUpperCase())) throw new Win32Error('RegDeleteTree', ERROR_FILE_NOT_FOUND, path);
  }

  enumKeys(path: string): string[] {
    return [...this.must(path).keys.values()].map((k) => k.name).sort((a, b) => (a.toUpperCase() < b.toUpperCase() ? -1 : 1));
  }

  enumValues(path: string): RegistryValue[] {
    return [...this.must(path).values];
  }

  getValue(path: string, name: string): RegistryValue {
    const v = this.must(path).values.find((x) => x.name.toUpperCase() === name.toUpperCase());
    if (!v) throw new Win32Error('RegQueryValueEx', ERROR_FILE_NOT_FOUND, name);
    return v;
  }

  setValue(path: string, value: RegistryValue): void {
    const k = this.must(path);
    const i = k.values.findIndex((x) => x.name.toUpperCase() === value.name.toUpperCase());
    if (i >= 0) k.values[i] = value;
    else k.values.push(value);
  }

  deleteValue(path: string, name: string): void {
    const k = this.must(path);
    const i = k.values.findIndex((x) => x.name.toUpperCase() === name.toUpperCase());
    if (i < 0) throw new Win32Error('RegDeleteValue', ERROR_FILE_NOT_FOUND, name);
    k.values.splice(i, 1);
  }
}

/** Timers driven by the test: advance(ms) fires what is due, in order. No real time passes. */
export class ManualTimers implements Timers {
  private now = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get size(): number {
    return this.pending.size;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      let best: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.pending) if (e[1].at <= until && (!best || e[1].at < best[1].at)) best = e;
      if (!best) break;
      this.pending.delete(best[0]);
      this.now = best[1].at;
      best[1].fn();
    }
    this.now = until;
  }
}

/** A fixed clock: 2024-01-02T03:04:05Z, stepping 1 ms per call. */
export function steppingClock(start = Date.UTC(2024, 0, 2, 3, 4, 5)): () => number {
  let t = start;
  return () => t++;
}

/** Lets queued microtasks and promise chains run (programs start after CreateProcess returns). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
  // Work the kernel held for a turn of the event loop (its slice was spent: src/kernel/process/scheduler.ts) goes on after one.
  await new Promise<void>((resolve) => setImmediate(resolve));
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

export const CMD = 'C:\\Windows\\system32\\cmd.exe';

/** A kernel with a manual clock and timers, and a minimal host unless asked. */
export function newKernel(options: KernelOptions = {}): Kernel {
  return new Kernel({ clock: steppingClock(), timers: new ManualTimers(), host: 'minimal', ...options });
}
