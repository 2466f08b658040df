/** Shared set-up for the file system tests: a WASM block store (what the product uses), volumes with a fixed clock. */
import { expect } from 'vitest';
import { WasmBlockStore, type BlockStore } from '../../../src/core/blocks/index.js';
import { WIN32_MESSAGES, Win32Error } from '../../../src/core/win32.js';
import { formatVolume, type NtfsVolume } from '../../../src/kernel/fs/ntfs/volume.js';
import type { FileHandle, Volume } from '../../../src/kernel/fs/types.js';

/** 2023-11-14T22:13:20Z, then +1 ms per reading: deterministic times. */
export const T0 = 1_700_000_000_000;

export class TestClock {
  t = T0;
  readonly now = (): number => this.t++;
}

let shared: WasmBlockStore | undefined;
/** One store per test file (a WASM instance each is wasteful); disks are cheap. */
export function sharedStore(): WasmBlockStore {
  return (shared ??= new WasmBlockStore());
}

export interface Fixture {
  store: BlockStore;
  disk: number;
  vol: NtfsVolume;
  clock: TestClock;
}

export function newVolume(opts: { size?: number; label?: string; store?: BlockStore; serialNumber?: number } = {}): Fixture {
  const store = opts.store ?? sharedStore();
  const r = store.createDisk(opts.size ?? 64 * 1024 * 1024);
  expect(r.status).toBe(0);
  const clock = new TestClock();
  const vol = formatVolume(store, r.disk, { label: opts.label ?? '', serialNumber: opts.serialNumber ?? 0x7055b6a6, clock: clock.now });
  return { store, disk: r.disk, vol, clock };
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
export const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

export function writeFile(vol: Volume, path: string, content: string | Uint8Array, disposition: 'create' | 'overwriteIf' = 'overwriteIf'): void {
  const h = vol.open(path, { disposition, write: true, nonDirectory: true });
  try {
    h.write(0, typeof content === 'string' ? enc(content) : content);
  } finally {
    h.close();
  }
}

export function readAll(h: FileHandle): Uint8Array {
  const size = h.info().size;
  const out = new Uint8Array(size);
  let pos = 0;
  while (pos < size) {
    const n = h.read(pos, out.subarray(pos));
    if (n === 0) break;
    pos += n;
  }
  return out;
}

export function readFile(vol: Volume, path: string): Uint8Array {
  const h = vol.open(path, { disposition: 'open', read: true, nonDirectory: true });
  try {
    return readAll(h);
  } finally {
    h.close();
  }
}

/** The Win32 error name `fn` throws (e.g. 'ERROR_ACCESS_DENIED'), failing if it throws something else or nothing. */
export function win32Of(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof Win32Error) return WIN32_MESSAGES.get(e.code)?.name ?? String(e.code);
    throw e;
  }
  return 'no error';
}

/** A name list in listing order. */
export const names = (infos: { name: string }[]): string[] => infos.map((i) => i.name);
