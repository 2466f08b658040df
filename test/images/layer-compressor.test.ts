// Background compression of new layers (registry/layer-compressor.ts): a
// commit stores its layer's gzip itself (commit.ts; test/images/
// commit-compress.test.ts), so what the compressor serves is a load's
// layers: gzipped into the blob store after the load, at low priority and
// under a lease; a push finds the blob, or follows the compression under
// way instead of starting a second; an rmi cancels it.
// And the tar size index (blobs.ts): a layer reloaded from a data root
// knows its tar size, so a push or save needs no export to count it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Host } from '../../src/host/host.js';
import { GZIP_LIMITS, gzipStream, knownLayerBlob, layerTar } from '../../src/images/oci.js';
import { existingLayerCompressor } from '../../src/images/registry/layer-compressor.js';
import type { ProgressEvent } from '../../src/images/registry/types.js';
import { startRegistry, type RunningRegistry } from './support/registry.js';

const NANO = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';

/** A host with nanoserver and a program writing `members` gzip members' worth of bytes. */
async function hostWithFill(options: { dataRoot?: string } = {}): Promise<Host> {
  const h = await Host.open({ clock: () => 1_763_000_000_000, ...options });
  await h.pull(NANO);
  h.registerProgram('C:\\Windows\\System32\\fill.exe', (ctx) => {
    const f = ctx.fs!.open(`C:\\data${ctx.argv[1] ?? ''}.bin`, 'C:\\', { disposition: 'create', write: true });
    const bytes = new Uint8Array(3 * GZIP_LIMITS.memberBytes);
    const seed = Number(ctx.argv[1] ?? 0) + 1;
    for (let i = 0; i < bytes.length; i++) bytes[i] = ((i * 2654435761 * seed) >>> 27) & 0xff;
    f.write(0, bytes);
    f.close();
    return 0;
  });
  return h;
}

async function commitFill(h: Host, n: number, reference: string): Promise<void> {
  const c = await h.createContainer({ image: NANO, cmd: ['fill.exe', String(n)] });
  await (await c.start()).wait();
  await c.wait();
  await h.commit(c.id, { reference });
}

/** `reference` committed on `from`, saved, and loaded into `into` (whose compressor then has its layer). */
async function commitAndLoad(from: Host, into: Host, n: number, reference: string): Promise<void> {
  await commitFill(from, n, reference);
  await into.load(from.save([reference]));
}

async function gzipOf(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const c of gzipStream(source)) out.push(c);
  return Buffer.concat(out);
}

describe('background compression of loaded layers', () => {
  let registry: RunningRegistry;
  /** Commits (its layers' blobs stored by the commit). */
  let maker: Host;
  /** Loads them: its compressor has the work. */
  let a: Host;
  beforeAll(async () => {
    registry = await startRegistry();
    maker = await hostWithFill();
    a = await Host.open({ clock: () => 1_763_000_000_000 });
    await a.pull(NANO);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await maker?.close();
    await registry?.stop();
  });

  test('a load starts compressing its layer; the kept blob is the very gzip push would make, and a push then sends it', async () => {
    const ref = `${registry.address}/bg/kept:v1`;
    await commitAndLoad(maker, a, 1, ref);
    const image = a.image(ref)!;
    const own = image.layers.at(-1)!;
    const compressor = existingLayerCompressor(a.blobs)!;
    // Queued or running right after the load: the load did not wait for it.
    expect(compressor.status(own.diffId)).toMatch(/^(queued|compressing)$/);
    await compressor.settled();
    const kept = a.blobs.compressedOf(own.diffId, 'gzip')!;
    expect(kept).toMatch(/^sha256:/);
    const bytes = a.blobs.get(kept)!;
    expect(bytes.equals(await gzipOf(layerTar(a.blocks, image.layers, image.layers.length - 1)))).toBe(true);
    expect(gunzipSync(bytes).length).toBe(knownLayerBlob(own)!.size);
    // The same blob the commit on the other host stored.
    expect(kept).toBe(maker.blobs.compressedOf(own.diffId, 'gzip'));
    const events: ProgressEvent[] = [];
    await a.push(ref, { onProgress: (e) => events.push(e) });
    expect(events.map((e) => e.status)).toContain('Pushed');
    expect(a.image(ref)!.repoDigests?.length).toBe(1);
  }, 60_000);

  test('a push while the layer is compressing follows that compression (no second one) and the blob is stored once', async () => {
    const ref = `${registry.address}/bg/follow:v1`;
    await commitAndLoad(maker, a, 2, ref);
    const own = a.image(ref)!.layers.at(-1)!;
    const compressor = existingLayerCompressor(a.blobs)!;
    expect(compressor.status(own.diffId)).toBeDefined();
    const before = a.blobs.digests().length;
    await a.push(ref);
    // The compression the push followed stored the blob (one new blob: the gzip; the config was there).
    const kept = a.blobs.compressedOf(own.diffId, 'gzip')!;
    expect(kept).toMatch(/^sha256:/);
    expect(a.blobs.digests().length).toBe(before + 1);
    expect(compressor.status(own.diffId)).toBeUndefined();
    // The registry holds that blob under the manifest's digest: another host pulls the image.
    const b = await Host.open();
    try {
      expect((await b.pullFromRegistry(ref)).id).toBe(a.image(ref)!.id);
    } finally {
      await b.close();
    }
  }, 60_000);

  test('the load returns before its compression ends, and timers run while it goes on (low priority, not one long task)', async () => {
    const ref = `${registry.address}/bg/yield:v1`;
    await commitAndLoad(maker, a, 3, ref);
    const own = a.image(ref)!.layers.at(-1)!;
    const compressor = existingLayerCompressor(a.blobs)!;
    let statusAtTimer: string | undefined = 'not run';
    await new Promise<void>((r) =>
      setTimeout(() => {
        statusAtTimer = compressor.status(own.diffId);
        r();
      }, 0),
    );
    expect(statusAtTimer).toMatch(/^(queued|compressing)$/);
    await compressor.settled();
  }, 60_000);

  test('an rmi of the image cancels its compression: nothing is stored, nothing is thrown', async () => {
    const ref = `${registry.address}/bg/gone:v1`;
    await commitAndLoad(maker, a, 4, ref);
    const own = a.image(ref)!.layers.at(-1)!;
    const compressor = existingLayerCompressor(a.blobs)!;
    expect(compressor.status(own.diffId)).toBeDefined();
    a.deleteImage(ref);
    await compressor.settled();
    expect(compressor.status(own.diffId)).toBeUndefined();
    expect(a.blobs.compressedOf(own.diffId, 'gzip')).toBeUndefined();
  }, 60_000);
});

describe('the tar size index', () => {
  test('a layer reloaded from a data root knows its tar digest and size (no export at its first push or save)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'winsilo-tarsize-'));
    const registry = await startRegistry();
    try {
      const ref = `${registry.address}/tars/app:v1`;
      let size: number;
      let diffId: string;
      {
        const h = await hostWithFill({ dataRoot: root });
        await commitFill(h, 5, ref);
        const own = h.image(ref)!.layers.at(-1)!;
        size = knownLayerBlob(own)!.size;
        diffId = own.diffId;
        expect(h.blobs.tarSizeOf(diffId)).toBe(size);
        await h.close();
      }
      const h = await Host.open({ dataRoot: root, clock: () => 1_763_000_000_000 });
      try {
        const own = h.image(ref)!.layers.at(-1)!;
        expect(knownLayerBlob(own)).toEqual({ diffId, size });
        await h.push(ref, { compression: 'none' });
        const b = await Host.open();
        try {
          expect((await b.pullFromRegistry(ref)).id).toBe(h.image(ref)!.id);
        } finally {
          await b.close();
        }
        // rmi forgets the entry with the layer.
        h.deleteImage(ref);
        expect(h.blobs.tarSizeOf(diffId)).toBeUndefined();
      } finally {
        await h.close();
      }
    } finally {
      await registry.stop();
      rmSync(root, { recursive: true, force: true });
    }
  }, 90_000);
});
