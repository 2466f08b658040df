// Model-based (issue 6, "File system on a blocks disk"): random sequences of createDirectory,
// create + write, overwrite, write at an offset, SetEndOfFile, delete, rename and removeDirectory
// run on the NTFS volume and on a plain model (a Map of upcased path → entry, model.ts). After
// every step both give the same result (success or the same Win32 error) and the same tree —
// names in listing order, sizes and contents; after each run the volume's audit is sound and a
// fresh mount of the disk sees the same tree. Variants: hundreds of long names in one directory
// (the index as a B+-tree), and a disk small enough to fill, where an operation either does all
// the model says or fails with ERROR_DISK_FULL and changes nothing.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { mountVolume } from '../../../src/kernel/fs/ntfs/volume.js';
import { propertyChunks, yieldToEventLoop } from '../../support/budget.js';
import { VolumeModel, applyToVolume, opsArb, snapshotVolume, wideOpsArb, type Op } from './model.js';
import { newVolume } from './support.js';

function agree(ops: Op[], everyStep: boolean): void {
  const { store, disk, vol } = newVolume({ size: 16 * 1024 * 1024 });
  const model = new VolumeModel();
  try {
    for (const [i, op] of ops.entries()) {
      const got = applyToVolume(vol, op);
      const want = model.apply(op);
      expect(got, `step ${i}: ${JSON.stringify(op)}`).toBe(want);
      if (everyStep || i === ops.length - 1) expect(snapshotVolume(vol), `tree after step ${i}: ${JSON.stringify(op)}`).toEqual(model.snapshot());
    }
    expect(vol.audit()).toBe('');
    expect(snapshotVolume(mountVolume(store, disk))).toEqual(model.snapshot());
  } finally {
    store.deleteDisk(disk);
  }
}

describe('NTFS volume against the model', () => {
  for (const chunk of propertyChunks(100)) {
    test(`random operation sequences agree step by step${chunk.label}`, async () => {
      await yieldToEventLoop();
      fc.assert(fc.property(opsArb(50), (ops) => agree(ops, true)), { seed: chunk.seed, numRuns: chunk.numRuns });
    });
  }

  for (const chunk of propertyChunks(10)) {
    test(`hundreds of names in one directory: the index tree agrees with the model${chunk.label}`, async () => {
      await yieldToEventLoop();
      fc.assert(fc.property(wideOpsArb(600), (ops) => agree(ops, false)), { seed: chunk.seed, numRuns: chunk.numRuns });
    });
  }
});

describe('NTFS volume against the model, on a nearly full disk', () => {
  for (const chunk of propertyChunks(40)) {
    test(`every operation does all the model says or fails with ERROR_DISK_FULL and changes nothing${chunk.label}`, async () => {
      await yieldToEventLoop();
      fc.assert(
        fc.property(opsArb(60, true), fc.constantFrom(128, 160, 192), (ops, kib) => {
          const { store, disk, vol } = newVolume({ size: kib * 1024 });
          const model = new VolumeModel();
          try {
            for (const [i, op] of ops.entries()) {
              const got = applyToVolume(vol, op);
              if (got === 'ERROR_DISK_FULL') {
                // create/overwrite are two calls: the open may have succeeded before the write ran out of space.
                if ((op.kind === 'create' || op.kind === 'overwrite') && model.apply({ ...op, kind: 'overwrite', size: 0 }) !== 'ok') throw new Error('model refused');
                if (op.kind === 'create' || op.kind === 'overwrite') {
                  const exists = (() => {
                    try {
                      vol.stat('\\' + op.path.join('\\'));
                      return true;
                    } catch {
                      return false;
                    }
                  })();
                  if (!exists) model.apply({ kind: 'delete', path: op.path });
                }
              } else expect(got, `step ${i}: ${JSON.stringify(op)}`).toBe(model.apply(op));
              expect(snapshotVolume(vol), `tree after step ${i}: ${JSON.stringify(op)} → ${got}`).toEqual(model.snapshot());
            }
            expect(vol.audit()).toBe('');
            expect(snapshotVolume(mountVolume(store, disk))).toEqual(model.snapshot());
          } finally {
            store.deleteDisk(disk);
          }
        }),
        { seed: chunk.seed, numRuns: chunk.numRuns },
      );
    });
  }
});
