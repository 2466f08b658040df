// A commit compresses its layer in the same pass as it hashes it (commit.ts),
// as docker with the containerd image store writes a committed layer to its
// content store compressed: one export of the layer, teed into the diff id's
// sha256 and into gzipStream's members; the blob is stored and indexed under
// the diff id before commit returns, so a push right after uploads it without
// exporting the layer again. A build step's commit goes through the same code.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { Host } from '../../src/host/host.js';
import { GZIP_LIMITS, gzipStream, knownLayerBlob, layerTar } from '../../src/images/oci.js';
import { existingLayerCompressor } from '../../src/images/registry/layer-compressor.js';
import { contextOf, RecordedOutput } from './build/support.js';
import { startRegistry, type RunningRegistry } from './support/registry.js';

/** Exports of any layer since the count was last reset (every export goes through layer-tar.ts exportLayer). */
const exports = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/images/layer-tar.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/images/layer-tar.js')>();
  return {
    ...real,
    exportLayer: (...args: Parameters<typeof real.exportLayer>) => {
      exports.count++;
      return real.exportLayer(...args);
    },
  };
});

const NANO = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';

async function gzipOf(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const c of gzipStream(source)) out.push(c);
  return Buffer.concat(out);
}

describe('a commit stores its layer compressed', () => {
  let registry: RunningRegistry;
  let a: Host;
  beforeAll(async () => {
    registry = await startRegistry();
    a = await Host.open({ clock: () => 1_763_000_000_000 });
    await a.pull(NANO);
    a.registerProgram('C:\\Windows\\System32\\fill.exe', (ctx) => {
      const f = ctx.fs!.open('C:\\data.bin', 'C:\\', { disposition: 'create', write: true });
      const bytes = new Uint8Array(3 * GZIP_LIMITS.memberBytes);
      for (let i = 0; i < bytes.length; i++) bytes[i] = ((i * 2654435761) >>> 27) & 0xff;
      f.write(0, bytes);
      f.close();
      return 0;
    });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await registry?.stop();
  });

  test('the committed image’s gzip blob exists when commit returns (one export), and a push right after sends it without an export', async () => {
    const ref = `${registry.address}/commit/gz:v1`;
    const c = await a.createContainer({ image: NANO, cmd: ['fill.exe'] });
    await (await c.start()).wait();
    await c.wait();
    exports.count = 0;
    const image = await a.commit(c.id, { reference: ref });
    expect(exports.count).toBe(1);
    const own = image.layers.at(-1)!;
    const kept = a.blobs.compressedOf(own.diffId, 'gzip');
    expect(kept).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.blobs.tarSizeOf(own.diffId)).toBe(knownLayerBlob(own)!.size);
    // Nothing left for the background compressor.
    expect(existingLayerCompressor(a.blobs)?.status(own.diffId)).toBeUndefined();

    exports.count = 0;
    await a.push(ref);
    expect(exports.count).toBe(0);
    expect(a.blobs.compressedOf(own.diffId, 'gzip')).toBe(kept);

    // The blob is the very gzip push would make of the layer's tar, and another host pulls the image.
    const bytes = a.blobs.get(kept!)!;
    expect(bytes.equals(await gzipOf(layerTar(a.blocks, image.layers, image.layers.length - 1)))).toBe(true);
    expect(gunzipSync(bytes).length).toBe(knownLayerBlob(own)!.size);
    const b = await Host.open();
    try {
      expect((await b.pullFromRegistry(ref)).id).toBe(image.id);
    } finally {
      await b.close();
    }
  }, 60_000);

  test('a build step’s commit stores its layer compressed too', async () => {
    const id = await a.build(contextOf({ Dockerfile: `FROM ${NANO}\nCOPY a.txt /\nRUN echo built> C:\\b.txt\n`, 'a.txt': 'from the context' }), { noCache: true }, new RecordedOutput());
    const image = a.image(id)!;
    for (const layer of image.layers.slice(-2)) {
      expect(a.blobs.compressedOf(layer.diffId, 'gzip')).toMatch(/^sha256:/);
      expect(existingLayerCompressor(a.blobs)?.status(layer.diffId)).toBeUndefined();
    }
  }, 60_000);
});
