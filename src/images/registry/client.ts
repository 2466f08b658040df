/**
 * Push and pull over the OCI distribution API (distribution spec v1.1,
 * "Pulling manifests", "Pushing blobs": POST then PATCH chunks then PUT
 * with the digest; "Mounting a blob from another repository"; the token
 * auth flow of docker's registry: a 401 with `WWW-Authenticate: Bearer
 * realm=…,service=…,scope=…` is answered by a token from the realm, a 401
 * with `Basic` by the credentials).
 *
 * Push sends Docker v2 schema 2 manifests: winsilo's own layers as gzip
 * tars, Microsoft's base layers as foreign layers
 * (`application/vnd.docker.image.rootfs.foreign.diff.tar` + urls) that are
 * not uploaded, as docker does. Pull resolves foreign layers from this
 * host's synthesized base images (same digests on every host).
 */
import { createGunzip } from 'node:zlib';
import type { BlockStore } from '../../core/blocks/index.js';
import { sha256Digest, type BlobStore } from '../blobs.js';
import { importLayer } from '../layer-tar.js';
import { MEDIA_TYPE, foreignLayerUrl, gzipStream, imageConfig, layerBlob, layerTar, rememberLayerBlob, type ConfigDocument, type Descriptor, type ManifestDocument } from '../oci.js';
import { BASE_IMAGES } from '../base/catalog.js';
import type { Image, Layer } from '../types.js';
import { REGISTRY_LIMITS, RegistryError, type ProgressEvent, type RegistryAuth } from './types.js';

/** `host[:port]/path:tag` split as docker's reference parser does (docker.io for a name without a registry part). */
export interface RegistryReference {
  registry: string;
  repository: string;
  tag: string;
}

export function parseRegistryReference(reference: string): RegistryReference {
  let rest = reference;
  let tag = 'latest';
  const at = rest.lastIndexOf(':');
  if (at > rest.lastIndexOf('/')) {
    tag = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) return { registry: first, repository: rest.slice(slash + 1), tag };
  return { registry: 'registry-1.docker.io', repository: slash < 0 ? `library/${rest}` : rest, tag };
}

export interface ClientOptions {
  auth?: RegistryAuth;
  onProgress?: (e: ProgressEvent) => void;
  /** Plain HTTP (docker's insecure registries; always for localhost and 127.0.0.1). */
  insecure?: boolean;
  /**
   * Push foreign layers too (dockerd's `allow-nondistributable-artifacts`
   * for this registry): uploaded as they are (uncompressed), their
   * descriptors keep the foreign media type and urls.
   */
  allowNondistributable?: boolean;
}

/** One registry session: base URL, credentials, the token per scope. */
class Session {
  private token: string | undefined;
  private basic = false;
  readonly base: string;
  constructor(
    readonly ref: RegistryReference,
    private readonly options: ClientOptions,
  ) {
    const plain = options.insecure || /^(localhost|127\.0\.0\.1)(:|$)/.test(ref.registry);
    this.base = `${plain ? 'http' : 'https'}://${ref.registry}`;
  }

  url(path: string): string {
    return path.startsWith('http') ? path : `${this.base}${path}`;
  }

  private authHeader(): Record<string, string> {
    if (this.token) return { authorization: `Bearer ${this.token}` };
    if (this.basic && this.options.auth?.username !== undefined) return { authorization: `Basic ${Buffer.from(`${this.options.auth.username}:${this.options.auth.password ?? ''}`).toString('base64')}` };
    if (this.options.auth?.registrytoken) return { authorization: `Bearer ${this.options.auth.registrytoken}` };
    return {};
  }

  /** A request with auth challenges answered and transient failures retried (body must be re-sendable: a Buffer or nothing). */
  async request(method: string, path: string, init: { headers?: Record<string, string>; body?: Buffer; redirect?: 'follow' | 'manual' } = {}): Promise<Response> {
    let delay: number = REGISTRY_LIMITS.retryDelayMs;
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(this.url(path), { method, headers: { ...init.headers, ...this.authHeader() }, ...(init.body ? { body: init.body as unknown as BodyInit } : {}), redirect: init.redirect ?? 'follow' });
      } catch (e) {
        if (attempt >= REGISTRY_LIMITS.attempts) throw new RegistryError(0, `${method} ${this.url(path)}: ${e instanceof Error ? e.message : String(e)}`);
        await new Promise((r) => setTimeout(r, delay));
        delay *= 2;
        continue;
      }
      if (res.status === 401 && attempt < REGISTRY_LIMITS.attempts && (await this.answer(res))) continue;
      if (res.status >= 500 && attempt < REGISTRY_LIMITS.attempts) {
        await res.arrayBuffer().catch(() => undefined);
        await new Promise((r) => setTimeout(r, delay));
        delay *= 2;
        continue;
      }
      return res;
    }
  }

  /** Answers a 401's challenge; false when there is nothing more to try. */
  private async answer(res: Response): Promise<boolean> {
    const challenge = res.headers.get('www-authenticate') ?? '';
    await res.arrayBuffer().catch(() => undefined);
    if (/^basic/i.test(challenge)) {
      if (this.basic || this.options.auth?.username === undefined) return false;
      this.basic = true;
      return true;
    }
    if (!/^bearer/i.test(challenge) || this.token) return false;
    const params: Record<string, string> = {};
    for (const m of challenge.slice(6).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
    if (!params.realm) return false;
    const q = new URLSearchParams();
    if (params.service) q.set('service', params.service);
    if (params.scope) q.set('scope', params.scope);
    const headers: Record<string, string> = {};
    const a = this.options.auth;
    if (a?.username !== undefined) headers.authorization = `Basic ${Buffer.from(`${a.username}:${a.identitytoken ?? a.password ?? ''}`).toString('base64')}`;
    const t = await fetch(`${params.realm}?${q.toString()}`, { headers });
    if (!t.ok) throw new RegistryError(t.status, `unauthorized: ${await t.text()}`);
    const body = (await t.json()) as { token?: string; access_token?: string };
    this.token = body.token ?? body.access_token;
    return this.token !== undefined;
  }
}

async function failure(res: Response, what: string): Promise<RegistryError> {
  const text = await res.text().catch(() => '');
  let message = text.trim();
  try {
    const j = JSON.parse(text) as { errors?: { code: string; message: string }[] };
    if (j.errors?.length) message = j.errors.map((e) => `${e.code.toLowerCase().replace(/_/g, ' ')}: ${e.message}`).join(', ');
  } catch {
    // Not JSON: the text as sent.
  }
  return new RegistryError(res.status, `${what}: ${message || res.statusText}`);
}

function short(digest: string): string {
  return digest.slice(7, 19);
}

// ---- push -------------------------------------------------------------------------------

/** Which repository of which registry already holds a blob (for cross-repository mounts). Per process. */
const KNOWN_BLOBS = new Map<string, string>();

export async function pushImage(store: BlockStore, blobs: BlobStore, image: Image, reference: string, options: ClientOptions = {}): Promise<{ digest: string; size: number }> {
  const ref = parseRegistryReference(reference);
  const s = new Session(ref, options);
  const say = options.onProgress ?? (() => undefined);
  say({ status: `The push refers to repository [${reference.slice(0, reference.lastIndexOf(':') > reference.lastIndexOf('/') ? reference.lastIndexOf(':') : undefined)}]` });
  const config = await imageConfig(store, image, blobs.get(image.id));
  const layers: Descriptor[] = [];
  const own: { index: number; id: string }[] = [];
  for (let i = 0; i < image.layers.length; i++) {
    const blob = await layerBlob(store, image.layers, i);
    if (image.layers[i]!.foreign) {
      layers.push({ mediaType: MEDIA_TYPE.dockerForeignLayer, size: blob.size, digest: blob.diffId, urls: [foreignLayerUrl(image, blob.diffId)] });
      if (options.allowNondistributable) own.push({ index: i, id: short(blob.diffId) });
    } else {
      own.push({ index: i, id: short(blob.diffId) });
      layers.push({ mediaType: MEDIA_TYPE.dockerLayerGzip, size: 0, digest: '' });
    }
  }
  for (const o of own) say({ status: 'Preparing', id: o.id });
  // Layers go up in order (docker pushes several at once; one at a time keeps the stream deterministic).
  for (const o of own) {
    const foreign = image.layers[o.index]!.foreign;
    const gz = foreign ? await collect(layerTar(store, image.layers, o.index)) : await gzipOf(layerTar(store, image.layers, o.index));
    const digest = sha256Digest(gz);
    if (!foreign) layers[o.index] = { mediaType: MEDIA_TYPE.dockerLayerGzip, size: gz.length, digest };
    const result = await uploadBlob(s, digest, gz, (current) => say({ status: 'Pushing', id: o.id, progressDetail: { current, total: gz.length } }));
    say({ status: result === 'exists' ? 'Layer already exists' : result.startsWith('mounted:') ? `Mounted from ${result.slice(8)}` : 'Pushed', id: o.id });
  }
  await uploadBlob(s, config.digest, config.bytes, () => undefined);
  const manifest: ManifestDocument = { schemaVersion: 2, mediaType: MEDIA_TYPE.dockerManifest, config: { mediaType: MEDIA_TYPE.dockerConfig, size: config.bytes.length, digest: config.digest }, layers };
  const bytes = Buffer.from(JSON.stringify(manifest, null, 3));
  const res = await s.request('PUT', `/v2/${ref.repository}/manifests/${ref.tag}`, { headers: { 'content-type': MEDIA_TYPE.dockerManifest }, body: bytes });
  if (res.status !== 201) throw await failure(res, 'manifest');
  await res.arrayBuffer();
  const digest = sha256Digest(bytes);
  say({ status: `${ref.tag}: digest: ${digest} size: ${bytes.length}` });
  say({ status: '', aux: { Tag: ref.tag, Digest: digest, Size: bytes.length } });
  addRepoDigest(image, reference, digest);
  return { digest, size: bytes.length };
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of source) parts.push(c);
  return Buffer.concat(parts);
}

async function gzipOf(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of gzipStream(source)) parts.push(c);
  return Buffer.concat(parts);
}

/** HEAD, else a mount from a repository known to hold it, else POST + PATCH chunks + PUT. */
async function uploadBlob(s: Session, digest: string, bytes: Buffer, progress: (current: number) => void): Promise<'exists' | 'pushed' | `mounted:${string}`> {
  const repo = s.ref.repository;
  const head = await s.request('HEAD', `/v2/${repo}/blobs/${digest}`);
  await head.arrayBuffer();
  if (head.status === 200) return 'exists';
  const from = KNOWN_BLOBS.get(`${s.ref.registry}/${digest}`);
  let location: string | null = null;
  if (from && from !== repo) {
    const m = await s.request('POST', `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`, { redirect: 'manual' });
    await m.arrayBuffer();
    if (m.status === 201) return `mounted:${from}`;
    if (m.status === 202) location = m.headers.get('location');
  }
  if (location === null) {
    const start = await s.request('POST', `/v2/${repo}/blobs/uploads/`);
    if (start.status !== 202) throw await failure(start, 'blob upload');
    await start.arrayBuffer();
    location = start.headers.get('location');
  }
  if (!location) throw new RegistryError(500, 'blob upload: no Location');
  for (let at = 0; at < bytes.length; at += REGISTRY_LIMITS.chunkBytes) {
    const chunk = bytes.subarray(at, Math.min(bytes.length, at + REGISTRY_LIMITS.chunkBytes));
    const res = await s.request('PATCH', location, { headers: { 'content-type': 'application/octet-stream', 'content-range': `${at}-${at + chunk.length - 1}`, 'content-length': String(chunk.length) }, body: Buffer.from(chunk) });
    if (res.status !== 202) throw await failure(res, 'blob upload');
    await res.arrayBuffer();
    location = res.headers.get('location') ?? location;
    progress(at + chunk.length);
  }
  const put = await s.request('PUT', `${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`, { headers: { 'content-length': '0' } });
  if (put.status !== 201) throw await failure(put, 'blob upload');
  await put.arrayBuffer();
  KNOWN_BLOBS.set(`${s.ref.registry}/${digest}`, repo);
  return 'pushed';
}

function addRepoDigest(image: Image, reference: string, digest: string): void {
  const ref = parseRegistryReference(reference);
  const name = `${ref.registry === 'registry-1.docker.io' ? ref.repository.replace(/^library\//, '') : `${ref.registry}/${ref.repository}`}@${digest}`;
  const list = (image.repoDigests ??= []);
  if (!list.includes(name)) list.push(name);
}

// ---- pull -------------------------------------------------------------------------------

export interface PullOptions extends ClientOptions {
  /** A layer here whose chain of tar digests is `chain`. */
  known: (chain: readonly string[]) => Layer | undefined;
  /** The synthesized base image of that repository (e.g. mcr.microsoft.com/windows/servercore) and OS version. */
  base: (osVersion: string, repository: string) => Promise<Image | undefined>;
}

const ACCEPT = [MEDIA_TYPE.dockerManifest, MEDIA_TYPE.dockerManifestList, MEDIA_TYPE.ociManifest, MEDIA_TYPE.ociIndex].join(', ');

export async function pullImage(store: BlockStore, blobs: BlobStore, reference: string, options: PullOptions): Promise<{ image: Image; digest: string }> {
  const ref = parseRegistryReference(reference);
  const s = new Session(ref, options);
  const say = options.onProgress ?? (() => undefined);
  say({ status: `Pulling from ${ref.repository}`, id: ref.tag });
  let res = await s.request('GET', `/v2/${ref.repository}/manifests/${ref.tag}`, { headers: { accept: ACCEPT } });
  if (res.status === 404 || res.status === 401) throw new RegistryError(404, `pull access denied for ${reference.replace(/:[^:/]*$/, '')}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`);
  if (!res.ok) throw await failure(res, 'manifest');
  let bytes = Buffer.from(await res.arrayBuffer());
  let doc = JSON.parse(bytes.toString('utf8')) as ManifestDocument & { manifests?: Descriptor[] };
  if (doc.manifests) {
    const pick = doc.manifests.find((m) => m.platform?.os === 'windows' && m.platform.architecture === 'amd64');
    if (!pick) throw new RegistryError(404, 'no matching manifest for windows/amd64 in the manifest list entries');
    res = await s.request('GET', `/v2/${ref.repository}/manifests/${pick.digest}`, { headers: { accept: ACCEPT } });
    if (!res.ok) throw await failure(res, 'manifest');
    bytes = Buffer.from(await res.arrayBuffer());
    doc = JSON.parse(bytes.toString('utf8')) as typeof doc;
  }
  const manifestDigest = res.headers.get('docker-content-digest') ?? sha256Digest(bytes);
  const configRes = await s.request('GET', `/v2/${ref.repository}/blobs/${doc.config.digest}`);
  if (!configRes.ok) throw await failure(configRes, 'config');
  const configBytes = Buffer.from(await configRes.arrayBuffer());
  if (sha256Digest(configBytes) !== doc.config.digest) throw new RegistryError(500, `config digest mismatch: ${doc.config.digest}`);
  const config = JSON.parse(configBytes.toString('utf8')) as ConfigDocument;
  if (config.os !== 'windows') throw new RegistryError(500, `image operating system "${String(config.os)}" cannot be used on this platform`);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== doc.layers.length) throw new RegistryError(500, 'invalid manifest, layers length mismatch');

  const layers: Layer[] = [];
  const found: (Layer | undefined)[] = [];
  let baseImage: Image | undefined;
  for (let i = 0; i < doc.layers.length; i++) {
    const d = doc.layers[i]!;
    let have = options.known(diffIds.slice(0, i + 1));
    if (!have && (d.mediaType === MEDIA_TYPE.dockerForeignLayer || d.mediaType === MEDIA_TYPE.dockerForeignLayerGzip || d.mediaType === MEDIA_TYPE.ociForeignLayer)) {
      const repository = foreignRepository(d);
      baseImage ??= await options.base(config['os.version'], repository);
      if (baseImage && baseImage.layers.length > i && (await layerBlob(store, baseImage.layers, i)).diffId === diffIds[i]) have = baseImage.layers[i];
      if (!have) throw new RegistryError(500, `foreign layer ${d.digest} is not one of ${repository}:${config['os.version']}'s`);
    }
    found.push(have);
    say({ status: have ? 'Already exists' : 'Pulling fs layer', id: short(d.digest) });
  }
  for (let i = 0; i < doc.layers.length; i++) {
    const d = doc.layers[i]!;
    const have = found[i];
    if (have) {
      layers.push(have);
      continue;
    }
    const id = short(d.digest);
    const blob = await s.request('GET', `/v2/${ref.repository}/blobs/${d.digest}`);
    if (!blob.ok || !blob.body) throw await failure(blob, 'blob');
    const parts: Buffer[] = [];
    let current = 0;
    for await (const c of blob.body as unknown as AsyncIterable<Uint8Array>) {
      parts.push(Buffer.from(c));
      current += c.byteLength;
      say({ status: 'Downloading', id, progressDetail: { current, total: d.size } });
    }
    const data = Buffer.concat(parts);
    say({ status: 'Verifying Checksum', id });
    if (sha256Digest(data) !== d.digest) throw new RegistryError(500, `filesystem layer verification failed for digest ${d.digest}`);
    say({ status: 'Download complete', id });
    say({ status: 'Extracting', id, progressDetail: { current: 0, total: d.size } });
    const tarStream = d.mediaType.endsWith('gzip') ? gunzip(data) : [data];
    const imported = await importLayer(store, layers[i - 1]?.disk ?? 0, tarStream);
    if (imported.diffId !== diffIds[i]) {
      store.deleteDisk(imported.disk);
      throw new RegistryError(500, `failed to register layer: layer ${diffIds[i]} does not match its content (${imported.diffId})`);
    }
    const h = config.history.filter((x) => !x.empty_layer)[i];
    const layer: Layer = { diffId: imported.diffId, disk: imported.disk, hives: imported.hives, size: imported.tarBytes, foreign: false, createdBy: h?.created_by ?? '', created: h?.created ?? config.created };
    rememberLayerBlob(layer, { diffId: imported.diffId, size: imported.tarBytes });
    layers.push(layer);
    say({ status: 'Pull complete', id });
  }
  const id = blobs.put(configBytes);
  const base = baseImage?.base ?? BASE_IMAGES.find((b) => b.osVersion === config['os.version'] && b.history[0]?.createdBy === config.history[0]?.created_by) ?? BASE_IMAGES.find((b) => b.osVersion === config['os.version']);
  if (!base) throw new RegistryError(500, `no base image of Windows ${config['os.version']} is known to this host`);
  const image: Image = {
    id,
    repoTags: [],
    created: config.created,
    os: 'windows',
    osVersion: config['os.version'],
    architecture: 'amd64',
    config: config.config,
    layers,
    flavor: baseImage?.flavor ?? (base.variant === 'iis' ? 'iis' : base.flavor),
    defaultUser: baseImage?.defaultUser ?? base.defaultUser,
    base,
  };
  addRepoDigest(image, reference, manifestDigest);
  say({ status: `Digest: ${manifestDigest}` });
  return { image, digest: manifestDigest };
}

/** The repository a foreign layer's url names (`https://mcr.microsoft.com/v2/windows/servercore/blobs/…` → mcr.microsoft.com/windows/servercore). */
function foreignRepository(d: Descriptor): string {
  const url = d.urls?.[0] ?? '';
  const m = /^https?:\/\/([^/]+)\/v2\/(.+)\/blobs\//.exec(url);
  return m ? `${m[1]}/${m[2]}` : 'mcr.microsoft.com/windows/servercore';
}

async function* gunzip(data: Buffer): AsyncIterable<Uint8Array> {
  const z = createGunzip();
  z.end(data);
  for await (const c of z) yield c as Buffer;
}

