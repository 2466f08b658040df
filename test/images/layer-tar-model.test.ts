// Property: whatever a container does to its C: (files written, folders
// made, names deleted, attributes set, hard links and symbolic links made),
// the layer tar of its changes, applied onto the same parent elsewhere,
// gives back the same C:, and exports again to the same bytes.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { WasmBlockStore, type BlockStore } from '../../src/core/blocks/index.js';
import { formatVolume, mountVolume, type NtfsVolume } from '../../src/kernel/fs/index.js';
import { IO_REPARSE_TAG_SYMLINK } from '../../src/kernel/fs/types.js';
import { exportLayerBytes, importLayer } from '../../src/images/layer-tar.js';
import { propertyChunks, yieldToEventLoop } from '../support/budget.js';

const NAMES = ['a', 'B', 'c.txt', 'Dir'];

type Op =
  | { kind: 'dir'; at: number[] }
  | { kind: 'write'; at: number[]; bytes: number; seed: number }
  | { kind: 'delete'; at: number[] }
  | { kind: 'hidden'; at: number[] }
  | { kind: 'link'; at: number[]; to: number[] }
  | { kind: 'symlink'; at: number[] };

const path = fc.array(fc.nat(NAMES.length - 1), { minLength: 1, maxLength: 3 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('dir' as const), at: path }),
  fc.record({ kind: fc.constant('write' as const), at: path, bytes: fc.oneof(fc.nat(300), fc.nat(70_000)), seed: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: path }),
  fc.record({ kind: fc.constant('hidden' as const), at: path }),
  fc.record({ kind: fc.constant('link' as const), at: path, to: path }),
  fc.record({ kind: fc.constant('symlink' as const), at: path }),
);

function p(at: number[]): string {
  return '\\' + at.map((i) => NAMES[i]).join('\\');
}

function bytesOf(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return b;
}

function removeTree(v: NtfsVolume, at: string): void {
  const i = v.stat(at, { openReparsePoint: true });
  if (i.attributes & 0x10 && !i.reparse) {
    for (const c of v.list(at)) removeTree(v, `${at}\\${c.name}`);
    v.removeDirectory(at);
  } else if (i.attributes & 0x10) v.removeDirectory(at);
  else v.deleteFile(at);
}

/** Applies an op; an op the volume refuses (a parent missing, a name taken) is skipped, as a program's failed call would be. */
function apply(v: NtfsVolume, o: Op): void {
  try {
    switch (o.kind) {
      case 'dir':
        v.createDirectory(p(o.at));
        break;
      case 'write': {
        const h = v.open(p(o.at), { disposition: 'overwriteIf', write: true, nonDirectory: true });
        h.write(0, bytesOf(o.bytes, o.seed));
        h.close();
        break;
      }
      case 'delete':
        removeTree(v, p(o.at));
        break;
      case 'hidden':
        v.setAttributes(p(o.at), 0x2);
        break;
      case 'link':
        v.createHardLink(p(o.at), p(o.to));
        break;
      case 'symlink':
        v.createReparsePoint(p(o.at), { tag: IO_REPARSE_TAG_SYMLINK, substituteName: '\\??\\C:\\a', printName: 'C:\\a', relative: false }, false);
        break;
    }
  } catch (e) {
    // A refused call (Win32Error) or a walk through a link (ReparseRequired: the view would follow it; the model does not).
    if (!(e instanceof Error && ('code' in e || e.name === 'ReparseRequired'))) throw e;
  }
}

function tree(v: NtfsVolume, dir = '\\'): string[] {
  const out: string[] = [];
  for (const f of v.list(dir)) {
    const at = `${dir === '\\' ? '' : dir}\\${f.name}`;
    let digest = '';
    if (!(f.attributes & 0x10) && !f.reparse) {
      const h = v.open(at, { disposition: 'open', read: true });
      const b = new Uint8Array(f.size);
      h.read(0, b);
      h.close();
      digest = createHash('sha256').update(b).digest('hex').slice(0, 12);
    }
    out.push(`${at} ${f.attributes} ${f.size} ${f.creationTime} ${f.lastWriteTime} ${f.linkCount} ${f.reparse ? f.reparse.substituteName : ''} ${digest}`);
    if (f.attributes & 0x10 && !f.reparse) out.push(...tree(v, at));
  }
  return out;
}

function layerOf(store: BlockStore, ops: Op[], t0: number): number {
  const disk = store.createDisk(1 << 30).disk;
  let t = t0;
  const v = formatVolume(store, disk, { clock: () => (t += 1000) });
  for (const o of ops) apply(v, o);
  store.snapshot(disk);
  return disk;
}

describe('layer tar round trip (model)', () => {
  for (const chunk of propertyChunks(40)) {
    test(`export of a container's changes, imported onto the parent, is the same C: and the same bytes${chunk.label}`, async () => {
      await yieldToEventLoop();
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 8 }), fc.array(op, { maxLength: 12 }), async (baseOps, ops) => {
          const store = new WasmBlockStore();
          const parent = layerOf(store, baseOps, 1_700_000_000_000);
          const c = store.clone(parent).disk;
          let t = 1_750_000_000_000;
          const v = mountVolume(store, c, { clock: () => (t += 1000) });
          for (const o of ops) apply(v, o);
          const first = await exportLayerBytes({ store, disk: c, parentDisk: parent, hives: {} });
          const imported = await importLayer(store, parent, [first.bytes]);
          expect(tree(mountVolume(store, imported.disk))).toEqual(tree(v));
          const again = await exportLayerBytes({ store, disk: imported.disk, parentDisk: parent, hives: {} });
          expect(again.diffId).toBe(first.diffId);
        }),
        { seed: chunk.seed, numRuns: chunk.numRuns },
      );
    }, 60_000);
  }
});
