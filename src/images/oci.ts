/**
 * The documents that describe an image outside the host: the image config
 * (docker's image JSON: os windows, os.version, architecture amd64,
 * rootfs.diff_ids, history), Docker v2 schema 2 manifests (foreign base
 * layers with the foreign media type and their urls, never pushed), and the
 * OCI manifest and index `docker save` writes since docker 25.
 *
 * A layer's diff id here is the sha256 of its Windows layer tar
 * (layer-tar.ts), as docker computes it — so skopeo, umoci and another
 * winsilo can check every layer they read. The synthesized base layers'
 * are pinned (base/layer-digests.ts: the export is deterministic, so they
 * are the same on every host); any other layer's is known from its commit
 * or import, else computed once by an export and cached.
 *
 * Every image's id is the sha256 of its config bytes: the stored config
 * blob of an image winsilo made (commit, load, pull), or for a synthesized
 * base the document `baseConfigDocument` writes, which synthesis hashes
 * into its id.
 */
import { createHash } from 'node:crypto';
import { gzip } from 'node:zlib';
import type { BlockStore } from '../core/blocks/index.js';
import { sha256Digest, type BlobStore } from './blobs.js';
import { exportLayer } from './layer-tar.js';
import type { BaseImageSpec } from './base/catalog.js';
import { pinnedTarOf } from './base/layer-digests.js';
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
  /** The config of the step that made the image (moby's legacy `container_config`; the builder's cache compares it). */
  container_config?: ImageConfig;
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

/**
 * Writes the tar sizes of `layers` that are known (a commit, pull or load
 * computed them) into the blob store's index, so a reopened data root
 * knows them without an export (`recallLayerBlob`). Foreign layers are
 * pinned and need none.
 */
export function recordLayerBlobs(blobs: BlobStore, layers: readonly Layer[]): void {
  for (const layer of layers) {
    const known = layer.foreign ? undefined : TAR_DIGESTS.get(layer);
    if (known && known.diffId === layer.diffId) blobs.setTarSize(known.diffId, known.size);
  }
}

/**
 * A layer reloaded from a data root: its tar digest is its diff id (an own
 * layer's diff id is its tar's sha256) and its size the recorded one — so
 * push and save stream it without exporting first. Nothing recorded (a
 * data root from before the index): it stays unknown, exported once.
 */
export function recallLayerBlob(blobs: BlobStore, layer: Layer): void {
  if (layer.foreign || TAR_DIGESTS.has(layer)) return;
  const size = blobs.tarSizeOf(layer.diffId);
  if (size !== undefined) TAR_DIGESTS.set(layer, { diffId: layer.diffId, size });
}

/** The layer's tar digest if it is already known (no export): remembered, or a pinned base layer's. */
export function knownLayerBlob(layer: Layer): LayerBlob | undefined {
  return TAR_DIGESTS.get(layer) ?? pinnedTarOf(layer.diffId);
}

/** The sha256 and size of `layers[i]`'s Windows layer tar (exported against the layer below, once). */
export async function layerBlob(store: BlockStore, layers: readonly Layer[], i: number): Promise<LayerBlob> {
  const layer = layers[i]!;
  const known = knownLayerBlob(layer);
  if (known) return known;
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

/** One typed source of the compressor's limits (style.md §6). */
export const GZIP_LIMITS = {
  /** zlib level: the layers are mostly text, programs and zeros; speed matters more than ratio. */
  level: 1,
  /** Bytes of tar per gzip member (members are compressed apart, so several at once). DECIDED: 4 MiB. */
  memberBytes: 4 << 20,
  /** Members compressing at once, on libuv's threads (4 by default). DECIDED: 4. */
  parallel: 4,
} as const;

/**
 * How fast `gzipStream` goes: members compressing at once (asked before
 * each wait, so a caller may raise it while the stream runs), and an
 * optional pause after each member is cut (the background compressor
 * yields to the event loop there). Default: GZIP_LIMITS.parallel, no pause.
 */
export interface GzipPace {
  parallel(): number;
  pause?(): Promise<void> | undefined;
}


/**
 * gzip of a stream, as a sequence of gzip members of `memberBytes` of input
 * each, compressed in parallel on zlib's threads while the source is still
 * being read (pigz's idea without its shared dictionary). RFC 1952 §2.2: a
 * gzip file is a series of members, and every reader a layer meets reads
 * them all (Go's gzip.Reader — moby's — and klauspost/pgzip — skopeo's —
 * with multistream on by default, zlib's inflate, Python's gzip).
 *
 * Deterministic on every platform: the same members for the same bytes (a
 * member ends at a fixed input size, not when a chunk arrives), no name,
 * mtime 0, and each header's OS byte 255 ("unknown", what Go's
 * compress/gzip writes) instead of zlib's build-dependent one.
 */
export async function* gzipStream(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, pace?: GzipPace): AsyncIterable<Uint8Array> {
  const pending: Promise<Buffer>[] = [];
  let parts: Uint8Array[] = [];
  let filled = 0;
  const member = (input: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) =>
      gzip(input, { level: GZIP_LIMITS.level }, (e, out) => {
        if (e) return reject(e);
        // RFC 1952 §2.3: byte 9 of the member header is OS.
        out[9] = 0xff;
        resolve(out);
      }),
    );
  const cut = (): void => {
    const all = Buffer.concat(parts);
    parts = [];
    filled = 0;
    let at = 0;
    for (; at + GZIP_LIMITS.memberBytes <= all.length; at += GZIP_LIMITS.memberBytes) pending.push(guard(member(all.subarray(at, at + GZIP_LIMITS.memberBytes))));
    if (at < all.length) {
      parts.push(all.subarray(at));
      filled = all.length - at;
    }
  };
  try {
    for await (const c of source) {
      parts.push(c);
      filled += c.byteLength;
      if (filled >= GZIP_LIMITS.memberBytes) {
        cut();
        const paused = pace?.pause?.();
        if (paused) await paused;
      }
      while (pending.length >= (pace?.parallel() ?? GZIP_LIMITS.parallel)) yield await pending.shift()!;
    }
    if (filled > 0 || pending.length === 0) pending.push(guard(member(Buffer.concat(parts))));
    while (pending.length > 0) yield await pending.shift()!;
  } finally {
    // Abandoned early (a failed upload): the members still compressing are not awaited.
    pending.length = 0;
  }
}

/** A promise whose rejection is not reported as unhandled while it waits its turn (it is awaited, or dropped with the stream). */
function guard(p: Promise<Buffer>): Promise<Buffer> {
  p.catch(() => undefined);
  return p;
}

/**
 * The config document of a synthesized base image: its catalogue entry's
 * history, config and dates over `diffIds` (keys in the order of docker's
 * image JSON, as `configBytes` keeps them). Its sha256 is the image's id.
 */
export function baseConfigDocument(base: BaseImageSpec, config: ImageConfig, diffIds: readonly string[]): ConfigDocument {
  return {
    architecture: 'amd64',
    config,
    created: base.created,
    history: base.history.map((h) => ({ created: h.created, created_by: h.createdBy, ...(h.hasLayer ? {} : { empty_layer: true }) })),
    os: 'windows',
    'os.version': base.osVersion,
    rootfs: { type: 'layers', diff_ids: [...diffIds] },
  };
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
  const doc = baseConfigDocument(image.base, image.config, diffIds);
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
