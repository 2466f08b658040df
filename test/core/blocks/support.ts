/** Both block stores, set up the same way, for tests that must hold for each. */
import { expect } from 'vitest';
import { RefBlockStore, WasmBlockStore, type BlockBatch, type BlockMapping, type BlockStore, type BlockStoreOptions } from '../../../src/core/blocks/index.js';
import { STATUS_SUCCESS, ntStatusName } from '../../../src/core/ntstatus.js';

/** A store that can also say which physical block a disk maps (both implementations can). */
export type Store = BlockStore & BlockMapping & BlockBatch & { physicalBlock(disk: number, index: number): number };

export const IMPLS: [string, (options?: BlockStoreOptions) => Store][] = [
  ['wasm', (options) => new WasmBlockStore(options)],
  ['ref', (options) => new RefBlockStore(options)],
];

/** `length` bytes of a pattern that differs per seed and per position (never all zero). */
export function pattern(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 24) | 1;
  }
  return out;
}

/** Reads `length` bytes, expecting success. */
export function readBack(s: BlockStore, disk: number, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length).fill(0xee);
  const st = s.read(disk, offset, out);
  expect(ntStatusName(st), `read(${disk}, ${offset}, ${length})`).toBe('STATUS_SUCCESS');
  return out;
}

/** Creates a disk, expecting success. */
export function disk(s: BlockStore, size: number): number {
  const r = s.createDisk(size);
  expect(ntStatusName(r.status)).toBe('STATUS_SUCCESS');
  return r.disk;
}

/** The audit finds nothing wrong. */
export function expectSound(s: BlockStore): Map<number, number> {
  const a = s.audit();
  expect(a.problem).toBe('');
  expect(a.status).toBe(STATUS_SUCCESS);
  return a.mappers;
}

/** `STATUS_X` for assertion messages. */
export const st = (status: number): string => ntStatusName(status);

/** Byte equality without the matcher's per-element diff (fast for megabytes); names the first differing byte. */
export function expectBytes(actual: Uint8Array, expected: Uint8Array, what = 'bytes'): void {
  if (actual.length === expected.length && Buffer.compare(actual, expected) === 0) return;
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  expect.fail(`${what}: lengths ${actual.length}/${expected.length}, first difference at ${i} (${actual[i]} ≠ ${expected[i]})`);
}
