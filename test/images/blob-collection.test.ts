// Blob garbage collection (issue 9 "Image store": rmi, prune): blobs no
// image names go when images are deleted; a lease keeps what an operation
// in flight stored; a pull or load building on a layer keeps its disk when
// the image holding it is removed meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Host } from '../../src/host/host.js';
import { FolderBlobStore, MemoryBlobStore, sha256Digest, type BlobStore } from '../../src/images/blobs.js';
import { startRegistry, type RunningRegistry } from './support/registry.js';

const NANO = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';

describe('collect, in both stores', () => {
  const folder = mkdtempSync(join(tmpdir(), 'winsilo-blobs-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const stores: [string, () => BlobStore][] = [
    ['memory', () => new MemoryBlobStore()],
    ['folder', () => new FolderBlobStore(mkdtempSync(join(folder, 'b-')))],
  ];
  for (const [name, make] of stores) {
    test(`${name}: keeps live configs and the compressed tars of live diff ids, deletes the rest and their index entries`, () => {
      const s = make();
      const config = s.put(Buffer.from('{"config":1}'));
      const stale = s.put(Buffer.from('{"config":2}'));
      const gz = Buffer.from('gzip of layer A');
      const gzDigest = sha256Digest(gz);
      s.putHashed(gzDigest, [gz.subarray(0, 4), gz.subarray(4)]);
      const layerA = sha256Digest('tar A');
      s.setCompressed(layerA, 'gzip', gzDigest);
      const gzB = s.put(Buffer.from('gzip of layer B'));
      const layerB = sha256Digest('tar B');
      s.setCompressed(layerB, 'gzip', gzB);

      expect(s.collect({ configs: new Set([config]), diffIds: new Set([layerA]) })).toEqual([stale, gzB].sort());
      expect(s.digests()).toEqual([config, gzDigest].sort());
      expect(s.get(gzDigest)!.equals(gz)).toBe(true);
      expect(s.compressedOf(layerA, 'gzip')).toBe(gzDigest);
      expect(s.compressedOf(layerB, 'gzip')).toBeUndefined();
    });

    test(`${name}: a blob held by a lease survives collection until the lease ends`, () => {
      const s = make();
      const lease = s.lease();
      const d = s.put(Buffer.from('a pull’s config, its image not listed yet'));
      lease.hold(d);
      const other = s.lease();
      other.hold(d);
      expect(s.collect({ configs: new Set(), diffIds: new Set() })).toEqual([]);
      lease.end();
      lease.end();
      expect(s.collect({ configs: new Set(), diffIds: new Set() })).toEqual([]);
      other.end();
      expect(s.collect({ configs: new Set(), diffIds: new Set() })).toEqual([d]);
      expect(s.has(d)).toBe(false);
    });
  }
});

describe('collection at rmi and during pulls', () => {
  let registry: RunningRegistry;
  let a: Host;
  let ref: string;
  beforeAll(async () => {
    registry = await startRegistry();
    ref = `${registry.address}/winsilo/gc:v1`;
    a = await Host.open({ clock: () => 1_763_000_000_000 });
    await a.pull(NANO);
    a.registerProgram('C:\\Windows\\System32\\note.exe', (ctx) => {
      const h = ctx.fs!.open('C:\\note.txt', 'C:\\', { disposition: 'create', write: true });
      h.write(0, new TextEncoder().encode('kept'));
      h.close();
      return 0;
    });
    const c = await a.createContainer({ image: NANO, cmd: ['note.exe'] });
    await (await c.start()).wait();
    await c.wait();
    await a.commit(c.id, { reference: ref });
    await a.push(ref);
    await c.remove();
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await registry?.stop();
  });

  test("rmi of a committed, pushed image deletes its config blob and its layer's compressed tar", () => {
    const image = a.image(ref)!;
    const gz = a.blobs.compressedOf(image.layers.at(-1)!.diffId, 'gzip')!;
    expect(a.blobs.has(image.id)).toBe(true);
    expect(a.blobs.has(gz)).toBe(true);
    a.deleteImage(ref);
    expect(a.blobs.has(image.id)).toBe(false);
    expect(a.blobs.has(gz)).toBe(false);
    expect(a.blobs.digests()).toEqual([]);
  });

  test('an rmi of the base while a pull builds on it leaves the layer: the pulled image runs and sees the base’s files', async () => {
    const b = await Host.open({ clock: () => 1_763_000_000_000 });
    try {
      await b.pull(NANO);
      let removed = false;
      const image = await b.pullFromRegistry(ref, {
        onProgress: (e) => {
          // The pull has chosen its layers: the base is removed under it.
          if (e.status === 'Already exists' && !removed) {
            removed = true;
            b.deleteImage(NANO);
          }
        },
      });
      expect(removed).toBe(true);
      expect(b.images().map((i) => i.RepoTags)).toEqual([[ref]]);
      b.registerProgram('C:\\Windows\\System32\\look.exe', async (ctx) => {
        const h = ctx.fs!.open('C:\\note.txt', 'C:\\', { disposition: 'open', read: true });
        const buf = new Uint8Array(4);
        h.read(0, buf);
        h.close();
        await ctx.stdout.write(`${new TextDecoder().decode(buf)} ${ctx.fs!.stat('C:\\Windows\\System32\\cmd.exe', 'C:\\').size > 0}`);
        return 0;
      });
      const c = await b.createContainer({ image: image.id, cmd: ['look.exe'] });
      const io = await c.start();
      const parts: Uint8Array[] = [];
      for (let x = await io.stdout!.read(); x !== null; x = await io.stdout!.read()) parts.push(x);
      await io.wait();
      expect(Buffer.concat(parts).toString()).toBe('kept true');
      // Its config blob stayed through the base's rmi (which collected blobs) and the pull's end.
      expect(b.blobs.has(image.id)).toBe(true);
    } finally {
      await b.close();
    }
  }, 60_000);
});
