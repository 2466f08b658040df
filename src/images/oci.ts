/**
 * The documents that describe an image outside the host: the image config
 * (docker's image JSON: os windows, os.version, architecture amd64,
 * rootfs.diff_ids, history), Docker v2 schema 2 manifests (foreign base
 * layers with the foreign media type and their urls, never pushed), and the
 * OCI manifest and index `docker save` writes since docker 25.
 *
 * A layer's diff id here is the sha256 of its Windows layer tar
 * (layer-tar.ts), as docker computes it — so skopeo, umoci and another
 * winsilo can check every layer they read. For the synthesized base layers
 * that is computed once per layer (an export, ~130 MB/s) and cached; it is
 * the same on every host because the export is deterministic.
 *
 * DECIDED: base images keep the id src/images/base gives them (a digest of
 * their config over winsilo's own layer content ids, pinned there); their
 * OCI config, which names tar diff ids, therefore has another digest. Images
 * winsilo makes (commit, load, pull) have id = sha256(config bytes).
 */
import { createGzip } from 'node:zlib';
import type { BlockStore } from '../core/blocks/index.js';
import { sha256Digest } from './blobs.js';
import { exportLayer } from './layer-tar.js';
import type { Image, ImageConfig, Layer } from './types.js';

export const MEDIA_TYPE = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar',
  /** Microsoft's base layers (windows-facts §4): not pushed to other registries. */
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociForeignLayer: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
} as const;

export interface Descriptor {
  mediaType: string;
  size: number;
  digest: string;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string; 'os.version'?: string };
}

export interface HistoryEntry {
  created: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** Docker's image JSON (moby image/image.go V1Image + Image), as winsilo writes it. */
export interface ConfigDocument {
  architecture: 'amd64';
  author?: string;
  config: ImageConfig;
  container?: string;
  created: string;
  history: HistoryEntry[];
  os: 'windows';
  'os.version': string;
  rootfs: { type: 'layers'; diff_ids: string[] };
}

export interface ManifestDocument {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

/** What a layer's tar is: its digest (= diff id, uncompressed) and size. */
export interface LayerBlob {
  diffId: string;
  size: number;
}

/** Layer tar digests already computed, per layer (a layer's disk and hives never change once made). */
const TAR_DIGESTS = new WeakMap<Layer, LayerBlob>();

/** Remembers a layer's tar digest (an import or a commit computed it). */
export function rememberLayerBlob(layer: Layer, blob: LayerBlob): void {
  TAR_DIGESTS.set(layer, blob);
}

/** The layer's tar digest if it is already known (no export). */
export function knownLayerBlob(layer: Layer): LayerBlob | undefined {
  return TAR_DIGESTS.get(layer);
}

/** The sha256 and size of `layers[i]`'s Windows layer tar (exported against the layer below, once). */
export async function layerBlob(store: BlockStore, layers: readonly Layer[], i: number): Promise<LayerBlob> {
  const layer = layers[i]!;
  const known = TAR_DIGESTS.get(layer);
  if (known) return known;
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of exportLayer({ store, disk: layer.disk, parentDisk: i === 0 ? 0 : layers[i - 1]!.disk, hives: layer.hives })) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  const blob = { diffId: `sha256:${hash.digest('hex')}`, size };
  TAR_DIGESTS.set(layer, blob);
  return blob;
}

/** The layer's tar as a stream (what save and push send). */
export function layerTar(store: BlockStore, layers: readonly Layer[], i: number): AsyncIterable<Uint8Array> {
  const layer = layers[i]!;
  return exportLayer({ store, disk: layer.disk, parentDisk: i === 0 ? 0 : layers[i - 1]!.disk, hives: layer.hives });
}

/**
 * gzip of a stream (level 1: the layers are mostly zeros and text; speed
 * matters more than ratio). Deterministic on every platform: no name, mtime
 * 0, and the header's OS byte set to 255 ("unknown", what Go's
 * compress/gzip — docker's — writes) instead of zlib's build-dependent one.
 */
export async function* gzipStream(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const gz = createGzip({ level: 1 });
  const pump = (async () => {
    for await (const c of source) if (!gz.write(c)) await new Promise<void>((r) => gz.once('drain', () => r()));
    gz.end();
  })();
  let first = true;
  for await (const c of gz) {
    const b = c as Buffer;
    // RFC 1952 §2.3: byte 9 of the member header is OS.
    if (first && b.length >= 10) b[9] = 0xff;
    first = false;
    yield b;
  }
  await pump;
}

/** The history entries of a base image (its catalogue entry's). */
function baseHistory(image: Image): HistoryEntry[] {
  return image.base.history.map((h) => ({ created: h.created, created_by: h.createdBy, ...(h.hasLayer ? {} : { empty_layer: true }) }));
}

/** Serialises a config document (keys in the order docker's Go structs give them). */
export function configBytes(doc: ConfigDocument): Buffer {
  return Buffer.from(JSON.stringify(doc));
}

/**
 * The config document of `image`: the one stored when winsilo made the
 * image (`stored`, the config blob), else (a synthesized base image) built
 * from its catalogue entry with tar diff ids.
 */
export async function imageConfig(store: BlockStore, image: Image, stored: Buffer | undefined): Promise<{ bytes: Buffer; digest: string; doc: ConfigDocument }> {
  if (stored) return { bytes: stored, digest: sha256Digest(stored), doc: JSON.parse(stored.toString('utf8')) as ConfigDocument };
  const diffIds: string[] = [];
  for (let i = 0; i < image.layers.length; i++) diffIds.push((await layerBlob(store, image.layers, i)).diffId);
  const doc: ConfigDocument = {
    architecture: 'amd64',
    config: image.config,
    created: image.created,
    history: baseHistory(image),
    os: 'windows',
    'os.version': image.osVersion,
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  const bytes = configBytes(doc);
  return { bytes, digest: sha256Digest(bytes), doc };
}

/**
 * Where a foreign layer can be fetched from (Microsoft's registry, as the
 * urls of the real images' foreign layers point there).
 */
export function foreignLayerUrl(image: Image, digest: string): string {
  const repo = image.base.repository.replace(/^mcr\.microsoft\.com\//, '');
  return `https://mcr.microsoft.com/v2/${repo}/blobs/${digest}`;
}
