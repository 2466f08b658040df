/**
 * `docker save` / `docker load` (docker-engine-api §3.13): the
 * docker-archive format as the docker 25+ engine writes it — an OCI image
 * layout (oci-layout, index.json, blobs/sha256/…) that is also a legacy
 * docker archive (manifest.json naming the config and layer blobs, and
 * `repositories`). Layers are uncompressed Windows layer tars; a foreign
 * (Microsoft base) layer is included too, with its source in manifest.json's
 * LayerSources, as docker does.
 *
 * Load accepts that layout (and the legacy one without index.json): each
 * layer is reused when a local layer has its digest, else imported onto the
 * layer below and checked against the config's diff id (moby's text on a
 * mismatch).
 */
import { posix } from 'node:path';
import type tar from 'tar-stream';
import { tarExtract, tarPack } from './tar-stream.js';
import type { BlockStore } from '../core/blocks/index.js';
import { HostError } from '../host/errors.js';
import { BASE_IMAGES } from './base/catalog.js';
import { sha256Digest, type BlobStore } from './blobs.js';
import { importLayer } from './layer-tar.js';
import { MEDIA_TYPE, foreignLayerUrl, imageConfig, layerBlob, layerTar, rememberLayerBlob, type ConfigDocument, type Descriptor } from './oci.js';
import type { Image, Layer } from './types.js';

type Header = Partial<tar.Header> & { name: string };

/** docker's reference normalisation for the names in an archive: `x` → `docker.io/library/x`. */
export function fullName(repoTag: string): string {
  const slash = repoTag.indexOf('/');
  const first = slash < 0 ? '' : repoTag.slice(0, slash);
  if (slash < 0) return `docker.io/library/${repoTag}`;
  if (first.includes('.') || first.includes(':') || first === 'localhost') return repoTag;
  return `docker.io/${repoTag}`;
}

function split(repoTag: string): { repo: string; tag: string } {
  const at = repoTag.lastIndexOf(':');
  return at > repoTag.lastIndexOf('/') ? { repo: repoTag.slice(0, at), tag: repoTag.slice(at + 1) } : { repo: repoTag, tag: 'latest' };
}

/** One image to save, with the tags asked for (docker saves only the tags named, or all of an id's). */
export interface SaveItem {
  image: Image;
  repoTags: string[];
}

/** The archive of `items`, as a stream. Deterministic: same images, same bytes. */
export function saveImages(store: BlockStore, blobs: BlobStore, items: readonly SaveItem[]): AsyncIterable<Uint8Array> {
  const pack = tarPack();
  void writeArchive(pack, store, blobs, items).catch((e: unknown) => pack.destroy(e instanceof Error ? e : new Error(String(e))));
  return pack as unknown as AsyncIterable<Uint8Array>;
}

const EPOCH = new Date(0);

function put(pack: tar.Pack, h: Header, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => pack.entry({ mode: 0o644, uid: 0, gid: 0, mtime: EPOCH, ...h }, body, (e) => (e ? reject(e) : resolve())));
}

async function writeArchive(pack: tar.Pack, store: BlockStore, blobs: BlobStore, items: readonly SaveItem[]): Promise<void> {
  const written = new Set<string>();
  const manifestJson: unknown[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  const index: Descriptor[] = [];
  await put(pack, { name: 'blobs', type: 'directory', mode: 0o755 }, Buffer.alloc(0));
  await put(pack, { name: 'blobs/sha256', type: 'directory', mode: 0o755 }, Buffer.alloc(0));
  for (const { image, repoTags } of items) {
    const config = await imageConfig(store, image, blobs.get(image.id));
    const layers: Descriptor[] = [];
    const sources: Record<string, Descriptor> = {};
    for (let i = 0; i < image.layers.length; i++) {
      const blob = await layerBlob(store, image.layers, i);
      layers.push({ mediaType: MEDIA_TYPE.ociLayer, digest: blob.diffId, size: blob.size });
      if (image.layers[i]!.foreign) sources[blob.diffId] = { mediaType: MEDIA_TYPE.dockerForeignLayer, size: blob.size, digest: blob.diffId, urls: [foreignLayerUrl(image, blob.diffId)] };
      if (written.has(blob.diffId)) continue;
      written.add(blob.diffId);
      let w!: ReturnType<tar.Pack['entry']>;
      const done = new Promise<void>((resolve, reject) => {
        w = pack.entry({ name: `blobs/sha256/${blob.diffId.slice(7)}`, size: blob.size, mode: 0o644, uid: 0, gid: 0, mtime: EPOCH }, (e) => (e ? reject(e) : resolve()));
      });
      for await (const chunk of layerTar(store, image.layers, i)) if (!w.write(chunk)) await new Promise<void>((r) => w.once('drain', () => r()));
      (w as unknown as { end(): void }).end();
      await done;
    }
    if (!written.has(config.digest)) {
      written.add(config.digest);
      await put(pack, { name: `blobs/sha256/${config.digest.slice(7)}` }, config.bytes);
    }
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPE.ociManifest, config: { mediaType: MEDIA_TYPE.ociConfig, digest: config.digest, size: config.bytes.length }, layers }));
    const manifestDigest = sha256Digest(manifest);
    if (!written.has(manifestDigest)) {
      written.add(manifestDigest);
      await put(pack, { name: `blobs/sha256/${manifestDigest.slice(7)}` }, manifest);
    }
    const desc: Descriptor = { mediaType: MEDIA_TYPE.ociManifest, digest: manifestDigest, size: manifest.length };
    if (repoTags.length === 0) index.push(desc);
    for (const t of repoTags) {
      const { tag } = split(t);
      index.push({ ...desc, annotations: { 'io.containerd.image.name': fullName(t), 'org.opencontainers.image.ref.name': tag } });
      const { repo } = split(t);
      (repositories[repo] ??= {})[tag] = config.digest.slice(7);
    }
    manifestJson.push({
      Config: `blobs/sha256/${config.digest.slice(7)}`,
      RepoTags: repoTags.length > 0 ? repoTags : null,
      Layers: layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`),
      ...(Object.keys(sources).length > 0 ? { LayerSources: sources } : {}),
    });
  }
  await put(pack, { name: 'index.json' }, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPE.ociIndex, manifests: index })));
  await put(pack, { name: 'manifest.json' }, Buffer.from(JSON.stringify(manifestJson)));
  await put(pack, { name: 'oci-layout' }, Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
  if (Object.keys(repositories).length > 0) await put(pack, { name: 'repositories' }, Buffer.from(JSON.stringify(repositories)));
  pack.finalize();
}

/**
 * Whether a tar entry name (or hard link target) leaves the folder it is
 * extracted into: cleaned with leading separators dropped, `\\` counted as
 * a separator (go-archive Unpack on Windows: `filepath.IsLocal`).
 */
function escapesArchiveRoot(name: string): boolean {
  const clean = posix.normalize(name.replace(/\\/g, '/').replace(/^\/+/, ''));
  return clean === '..' || clean.startsWith('../');
}

/** What loadImages made: each image with the tags the archive gave it. */
export interface LoadedImage {
  image: Image;
  repoTags: string[];
}

/** A layer already on this host whose chain of tar digests (its own last, the lowest first) is `diffIds`, to reuse instead of importing. */
export type KnownLayers = (diffIds: readonly string[]) => Layer | undefined;

/**
 * Reads an archive and makes its images (their configs stored in `blobs`).
 * A malformed archive is HostError 500 with moby's wording where it has
 * one; a layer whose tar does not hash to its diff id is refused.
 *
 * Containment (issue 11): the archive is read into memory, never onto a
 * host path, but an entry that would break out of the folder moby
 * extracts into is refused as moby's extraction refuses it (go-archive
 * Unpack: `invalid entry name "../x"`, `invalid hardlink target "…"`;
 * names are cleaned with a leading `/` dropped, and `\` separates too, as
 * on the Windows daemon). Bytes that are not a tar are
 * `archive/tar: invalid tar header`, a tar cut short `unexpected EOF`.
 */
export async function loadImages(
  store: BlockStore,
  blobs: BlobStore,
  source: AsyncIterable<Uint8Array>,
  known: KnownLayers,
  /** The synthesized base image of a repository and OS version (foreign layers resolve to its layers, shared, as a pull's do). */
  baseImage?: (osVersion: string, repository: string) => Promise<Image | undefined>,
  /** Bytes of a layer's tar read so far as it is imported (moby's "Loading layer" progress: `id` the diff id's 12 hex digits). */
  onLayerProgress?: (id: string, current: number, total: number) => void,
): Promise<LoadedImage[]> {
  const files = new Map<string, Buffer>();
  const ex = tarExtract();
  // An error of the source itself (a failed read) is passed on as it is;
  // anything else tar-stream raises means the bytes are not a tar.
  let sourceError: Error | undefined;
  const feed = (async () => {
    try {
      for await (const c of source) {
        // A refused archive destroys the extractor: stop reading the source then.
        if (ex.destroyed) return;
        if (!ex.write(Buffer.from(c.buffer, c.byteOffset, c.byteLength))) await new Promise<void>((r) => (ex.once('drain', () => r()), ex.once('close', () => r())));
      }
      (ex as unknown as { end(): void }).end();
    } catch (e) {
      sourceError = e instanceof Error ? e : new Error(String(e));
      ex.destroy(sourceError);
    }
  })();
  const refuse = (message: string): never => {
    ex.destroy();
    throw new HostError(500, message);
  };
  try {
    for await (const x of ex) {
      const e = x as unknown as AsyncIterable<Uint8Array> & { header: tar.Header; resume(): unknown };
      if (escapesArchiveRoot(e.header.name)) refuse(`invalid entry name ${JSON.stringify(e.header.name)}`);
      if (e.header.type === 'link' && escapesArchiveRoot(e.header.linkname ?? '')) refuse(`invalid hardlink target ${JSON.stringify(e.header.linkname)}`);
      if (e.header.type !== 'file') {
        e.resume();
        continue;
      }
      const parts: Buffer[] = [];
      for await (const c of e) parts.push(Buffer.from(c));
      files.set(e.header.name.replace(/^\.\//, ''), Buffer.concat(parts));
    }
  } catch (err) {
    if (err instanceof HostError || err === sourceError) throw err;
    // Go's archive/tar words: ErrHeader for a header, io.ErrUnexpectedEOF for data cut short.
    throw new HostError(500, err instanceof Error && /header/i.test(err.message) ? 'archive/tar: invalid tar header' : 'unexpected EOF');
  }
  await feed;
  const manifestFile = files.get('manifest.json');
  if (!manifestFile) throw new HostError(500, 'open manifest.json: no such file or directory');
  let entries: { Config: string; RepoTags: string[] | null; Layers: string[]; LayerSources?: Record<string, Descriptor> }[];
  try {
    entries = JSON.parse(manifestFile.toString('utf8')) as typeof entries;
    if (!Array.isArray(entries) && entries !== null) throw new Error('not a list');
  } catch (e) {
    throw new HostError(500, `invalid manifest.json: ${e instanceof Error ? e.message : String(e)}`);
  }
  // moby tarexport/load.go's checks, in its words; the shapes Go's decoder would refuse are refused here before use.
  if (entries === null) throw new HostError(500, 'invalid manifest, manifest cannot be null (but can be [])');
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  for (const m of entries) {
    if (m === null || typeof m !== 'object' || typeof m.Config !== 'string' || !(m.Layers === undefined || m.Layers === null || strings(m.Layers)) || !(m.RepoTags === undefined || m.RepoTags === null || strings(m.RepoTags))) {
      throw new HostError(500, 'invalid manifest.json: an entry is not {"Config": string, "RepoTags": [string], "Layers": [string]}');
    }
    m.Layers ??= [];
    if (m.LayerSources !== undefined && (m.LayerSources === null || typeof m.LayerSources !== 'object')) m.LayerSources = undefined;
  }
  const out: LoadedImage[] = [];
  // Layers this load imported: a load that fails part-way removes them again (nothing half-loaded).
  const imported: number[] = [];
  try {
  for (const m of entries) {
    const configBytes = files.get(m.Config);
    if (!configBytes) throw new HostError(500, `open ${m.Config}: no such file or directory`);
    let doc: ConfigDocument;
    try {
      doc = JSON.parse(configBytes.toString('utf8')) as ConfigDocument;
    } catch (e) {
      throw new HostError(500, e instanceof Error ? e.message : String(e));
    }
    if (doc === null || typeof doc !== 'object') throw new HostError(500, 'invalid image config: not an object');
    if (doc.os !== 'windows') throw new HostError(500, `image operating system "${String(doc.os)}" cannot be used on this platform`);
    const diffIds: unknown = doc.rootfs?.diff_ids ?? [];
    if (!strings(diffIds)) throw new HostError(500, 'invalid image config: rootfs.diff_ids is not a list of digests');
    if (!Array.isArray(doc.history)) doc.history = [];
    if (diffIds.length !== m.Layers.length) throw new HostError(500, 'invalid manifest, layers length mismatch');
    const layers: Layer[] = [];
    for (let i = 0; i < m.Layers.length; i++) {
      const diffId = diffIds[i]!;
      const parent = layers[i - 1];
      let have = layers.length === i ? known(diffIds.slice(0, i + 1)) : undefined;
      const source = m.LayerSources?.[diffId];
      if (!have && source && baseImage && layers.length === i) {
        // A foreign layer: this host's synthesized base has it when the digests agree (they do on every winsilo host).
        const url = /^https?:\/\/([^/]+)\/v2\/(.+)\/blobs\//.exec(source.urls?.[0] ?? '');
        const b = url ? await baseImage(doc['os.version'], `${url[1]}/${url[2]}`) : undefined;
        if (b && b.layers.length > i && (await layerBlob(store, b.layers, i)).diffId === diffId) have = b.layers[i];
      }
      if (have) {
        layers.push(have);
        continue;
      }
      const tarBytes = files.get(m.Layers[i]!);
      if (!tarBytes) throw new HostError(500, `open ${m.Layers[i]}: no such file or directory`);
      const layerIn = await importLayer(store, parent?.disk ?? 0, onLayerProgress ? readingProgress(tarBytes, diffId.slice(7, 19), onLayerProgress) : [tarBytes]);
      imported.push(layerIn.disk);
      if (layerIn.diffId !== diffId) throw new HostError(500, `invalid diffID for layer ${i}: expected "${diffId}", got "${layerIn.diffId}"`);
      const h = doc.history.filter((x) => !x?.empty_layer)[i];
      const layer: Layer = { diffId, disk: layerIn.disk, hives: layerIn.hives, size: layerIn.tarBytes, foreign: false, createdBy: h?.created_by ?? '', created: h?.created ?? doc.created };
      rememberLayerBlob(layer, { diffId, size: layerIn.tarBytes });
      layers.push(layer);
    }
    const id = blobs.put(configBytes);
    const base = BASE_IMAGES.find((b) => b.osVersion === doc['os.version'] && b.history[0]?.createdBy === doc.history[0]?.created_by) ?? BASE_IMAGES.find((b) => b.osVersion === doc['os.version']);
    if (!base) throw new HostError(500, `no base image of Windows ${doc['os.version']} is known to this host`);
    out.push({
      image: {
        id,
        repoTags: [],
        created: doc.created,
        os: 'windows',
        osVersion: doc['os.version'],
        architecture: 'amd64',
        config: doc.config,
        layers,
        flavor: base.variant === 'iis' ? 'iis' : base.flavor,
        defaultUser: base.defaultUser,
        base,
      },
      repoTags: m.RepoTags ?? [],
    });
  }
  } catch (e) {
    for (const disk of imported) store.deleteDisk(disk);
    throw e;
  }
  return out;
}

/** `bytes` in 32 KiB reads (Go's io.Copy buffer), each reported as read. */
function* readingProgress(bytes: Buffer, id: string, report: (id: string, current: number, total: number) => void): Generator<Uint8Array> {
  const READ = 32 * 1024;
  for (let at = 0; at < bytes.length; at += READ) {
    const chunk = bytes.subarray(at, Math.min(bytes.length, at + READ));
    yield chunk;
    report(id, at + chunk.length, bytes.length);
  }
}
