// Base image digests (issue 9 "Image store": deterministic digests, id =
// sha256 of the config): every synthesized layer's pinned tar digest is the
// digest of its real export, and every base image's id is the digest of the
// config docker save / push / skopeo see.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { WasmBlockStore } from '../../../src/core/blocks/index.js';
import { BASE_IMAGES } from '../../../src/images/base/catalog.js';
import { BASE_LAYER_TARS } from '../../../src/images/base/layer-digests.js';
import { layerContent, synthesizeBaseImage, type LayerCache } from '../../../src/images/base/synthesize.js';
import { exportLayer } from '../../../src/images/layer-tar.js';
import { imageConfig, knownLayerBlob } from '../../../src/images/oci.js';
import type { Image } from '../../../src/images/types.js';

const store = new WasmBlockStore();
const cache: LayerCache = new Map();
const images: Image[] = BASE_IMAGES.map((spec) => synthesizeBaseImage(store, spec, cache));

describe('pinned base layer digests', () => {
  test('each pin is the sha256 and size of the layer’s exported Windows layer tar (the table to paste is printed on a mismatch)', async () => {
    const lines: string[] = [];
    const seen = new Set<number>();
    const mismatches: string[] = [];
    for (const image of images) {
      for (let i = 0; i < image.layers.length; i++) {
        const layer = image.layers[i]!;
        if (seen.has(layer.disk)) continue;
        seen.add(layer.disk);
        const parentDisk = i === 0 ? 0 : image.layers[i - 1]!.disk;
        const content = layerContent(store, layer.disk, parentDisk, layer.hives).id;
        const hash = createHash('sha256');
        let size = 0;
        for await (const chunk of exportLayer({ store, disk: layer.disk, parentDisk, hives: layer.hives })) {
          hash.update(chunk);
          size += chunk.byteLength;
        }
        const diffId = `sha256:${hash.digest('hex')}`;
        lines.push(`  // ${image.base.repository}@${image.osVersion}#${i}\n  '${content.slice(7)}': { diffId: '${diffId}', size: ${size} },`);
        const pin = BASE_LAYER_TARS[content.slice(7)];
        if (pin?.diffId !== diffId || pin.size !== size || layer.diffId !== diffId) mismatches.push(`${image.base.repository}@${image.osVersion}#${i}`);
      }
    }
    if (mismatches.length > 0) console.log(`BASE_LAYER_TARS is stale for ${mismatches.join(', ')}; the table:\n${lines.join('\n')}`);
    expect(mismatches).toEqual([]);
    expect(Object.keys(BASE_LAYER_TARS)).toHaveLength(seen.size);
  }, 60_000);

  test("every base image's id is the sha256 of its config, whose diff_ids are the tar digests (no export at pull)", async () => {
    for (const image of images) {
      for (const l of image.layers) expect(knownLayerBlob(l)?.diffId).toBe(l.diffId);
      const config = await imageConfig(store, image, undefined);
      expect(config.digest).toBe(image.id);
      expect(config.doc.rootfs.diff_ids).toEqual(image.layers.map((l) => l.diffId));
    }
  });

  test('the ids are the same from a second store and cache (deterministic synthesis)', () => {
    const other = new WasmBlockStore();
    const c2: LayerCache = new Map();
    const spec = BASE_IMAGES.find((b) => b.repository.endsWith('/nanoserver'))!;
    const again = synthesizeBaseImage(other, spec, c2);
    expect(again.id).toBe(images[BASE_IMAGES.indexOf(spec)]!.id);
  });
});
