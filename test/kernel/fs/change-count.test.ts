// NtfsVolume.changeCount: what a cache of answers about a volume's files
// (the compute service's shared image lookups) checks. While the count is
// unchanged the disk must read exactly as before; reads never move it.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Win32Error } from '../../../src/core/win32.js';
import { mountVolume } from '../../../src/kernel/fs/ntfs/volume.js';
import { propertyChunks, yieldToEventLoop } from '../../support/budget.js';
import { newVolume, readFile, writeFile } from './support.js';

const PATHS = ['\\a', '\\a\\f.txt', '\\b.txt', '\\a\\sub', '\\c'];

type Op =
  | { kind: 'mkdir' | 'delete' | 'rmdir' | 'read' | 'stat' | 'list'; path: number }
  | { kind: 'write'; path: number; size: number }
  | { kind: 'rename'; path: number; to: number }
  | { kind: 'attributes'; path: number; value: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom('mkdir' as const, 'delete' as const, 'rmdir' as const, 'read' as const, 'stat' as const, 'list' as const), path: fc.nat(PATHS.length - 1) }),
  fc.record({ kind: fc.constant('write' as const), path: fc.nat(PATHS.length - 1), size: fc.constantFrom(0, 10, 5000, 70_000) }),
  fc.record({ kind: fc.constant('rename' as const), path: fc.nat(PATHS.length - 1), to: fc.nat(PATHS.length - 1) }),
  fc.record({ kind: fc.constant('attributes' as const), path: fc.nat(PATHS.length - 1), value: fc.constantFrom(0x1, 0x2, 0x20) }),
);

describe('NtfsVolume.changeCount', () => {
  test('a fresh mount counts nothing; reads, stats and listings never count', () => {
    const { store, disk, vol } = newVolume();
    vol.createDirectory('\\a');
    writeFile(vol, '\\a\\f.txt', 'hello');
    const again = mountVolume(store, disk);
    expect(again.changeCount).toBe(0);
    again.stat('\\a\\f.txt');
    again.list('\\a');
    readFile(again, '\\a\\f.txt');
    expect(() => again.stat('\\missing')).toThrow(Win32Error);
    expect(again.changeCount).toBe(0);
    again.createDirectory('\\b');
    expect(again.changeCount).toBeGreaterThan(0);
  });

  for (const chunk of propertyChunks(60)) {
    test(`an unchanged count means an unchanged disk, whatever succeeded or failed${chunk.label}`, async () => {
      await yieldToEventLoop();
      fc.assert(
        fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
          const { store, disk, vol } = newVolume({ size: 8 * 1024 * 1024 });
          try {
            for (const o of ops) {
              const before = store.clone(disk).disk;
              const count = vol.changeCount;
              const path = PATHS[o.path]!;
              try {
                if (o.kind === 'mkdir') vol.createDirectory(path);
                else if (o.kind === 'delete') vol.deleteFile(path);
                else if (o.kind === 'rmdir') vol.removeDirectory(path);
                else if (o.kind === 'read') readFile(vol, path);
                else if (o.kind === 'stat') vol.stat(path);
                else if (o.kind === 'list') vol.list(path);
                else if (o.kind === 'write') writeFile(vol, path, new Uint8Array(o.size).fill(7));
                else if (o.kind === 'rename') vol.rename(path, PATHS[o.to]!, false);
                else if (o.kind === 'attributes') vol.setAttributes(path, o.value);
              } catch (e) {
                if (!(e instanceof Win32Error)) throw e;
              }
              if (vol.changeCount === count) expect(store.diff(before, disk).ranges).toEqual([]);
              expect(vol.changeCount).toBeGreaterThanOrEqual(count);
              store.deleteDisk(before);
            }
          } finally {
            store.deleteDisk(disk);
          }
        }),
        { seed: chunk.seed, numRuns: chunk.numRuns },
      );
    });
  }
});
