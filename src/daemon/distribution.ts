/**
 * `docker push` (`POST /images/{name}/push`) and `docker pull` from a
 * registry (`POST /images/create?fromImage=<registry>/…`), over the Host's
 * registry client (src/images/registry), with moby's progress stream
 * (daemon/internal/distribution push.go, push_v2.go, pull_v2.go,
 * xfer/upload.go, xfer/download.go; docker-engine-api.md §3.14).
 *
 * Push, as moby writes it:
 *   `The push refers to repository [<full name>]` first (before anything is
 *   checked, so every later failure is an error line in the stream, not an
 *   HTTP error: `An image does not exist locally with the tag: <name>`,
 *   `tag does not exist: <name:tag>`, an unreachable registry); then per
 *   layer, top layer first, `<id>: Preparing` (id = the first 12 hex of the
 *   layer tar's digest), `Waiting` beyond moby's five concurrent uploads,
 *   `Pushing` with progressDetail while bytes move, and `Pushed`, `Layer
 *   already exists` or `Mounted from <repo>`; foreign (Microsoft base)
 *   layers `Skipped foreign layer`; then `<tag>: digest: sha256:… size: N`
 *   and the aux record `{"Tag","Digest","Size"}` (the CLI shows no line for
 *   it). Without a tag every tag of the repository is pushed, in order.
 *
 * Pull: the manifest is fetched before the first line (a missing
 * repository or tag is an ordinary HTTP error, as moby answers before it
 * writes), then `<tag>: Pulling from <path>`, per layer `Pulling fs layer`
 * or `Already exists`, `Downloading` (bars), `Verifying Checksum`,
 * `Download complete`, `Extracting`, `Pull complete`, then `Digest: …` and
 * `Status: Downloaded newer image for <ref>` / `Status: Image is up to date
 * for <ref>`.
 * An image already here (its config digest known) lists no layers, as
 * moby's pullSchema2 returns once it finds the config locally: `Pulling
 * from`, `Digest:`, `Status: Image is up to date …`. A registry's 404 is
 * worded as moby's notFoundError by the registry client (`manifest for
 * <ref> not found: manifest unknown: …`).
 *
 * X-Registry-Auth (base64url JSON of docker's AuthConfig) is passed on as
 * the client's credentials; an undecodable header is ignored, as moby does.
 *
 * DECIDED / differing:
 *  - "Skipped foreign layer" is moby's word up to v27.5 (push_v2.go); moby
 *    v28 removed non-distributable artifacts and pushes every layer. winsilo
 *    keeps its bases foreign (src/images/README.md) and so prints the v27 line.
 *  - An unreachable registry is found by a TCP connect before the client
 *    runs, and worded as Go on Windows words it (`Get "http://h:p/v2/": dial
 *    tcp h:p: connectex: No connection could be made because the target
 *    machine actively refused it.`); moby tries https, then http for an
 *    insecure registry (127.0.0.0/8 is one by default) and reports the last.
 *  - Layers go up one at a time (the client's order), so the `Pushed` lines
 *    come bottom first; moby's concurrent uploads finish in any order.
 */
import { connect } from 'node:net';
import type { Image } from '../images/types.js';
import { layerBlob } from '../images/oci.js';
import { RegistryError, type ProgressEvent, type RegistryAuth } from '../images/registry/types.js';
import { HostError } from '../host/errors.js';
import { familiarName, familiarString, type ImageReference } from '../cli/reference.js';
import type { Daemon } from './daemon.js';
import { ApiError, toApiError } from './errors.js';
import type { Exchange, StreamOut } from './exchange.js';

/** moby's LayerUploadManager: five uploads at once (daemon/config maxConcurrentUploads default). */
export const MAX_CONCURRENT_UPLOADS = 5;

/** Registries a pull goes to over the distribution API: any named one but Docker Hub and Microsoft's (whose images are synthesized). */
export function isRegistryReference(ref: ImageReference): boolean {
  return ref.domain !== '' && ref.domain !== 'docker.io' && ref.domain !== 'mcr.microsoft.com';
}

/** The X-Registry-Auth header as credentials (base64url JSON; moby ignores one that does not decode). */
export function registryAuth(ex: Exchange): RegistryAuth | undefined {
  const raw = ex.headers['x-registry-auth'];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (!v) return undefined;
  try {
    const o = JSON.parse(Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as Record<string, unknown>;
    if (typeof o !== 'object' || o === null) return undefined;
    const s = (k: string): string | undefined => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : undefined);
    const auth: RegistryAuth = {};
    const username = s('username');
    const password = s('password');
    const identitytoken = s('identitytoken');
    const registrytoken = s('registrytoken');
    if (username !== undefined) auth.username = username;
    if (password !== undefined) auth.password = password;
    if (identitytoken !== undefined) auth.identitytoken = identitytoken;
    if (registrytoken !== undefined) auth.registrytoken = registrytoken;
    return auth;
  } catch {
    return undefined;
  }
}

/** The reference's full repository name (reference.Named.Name(): `docker.io/library/x`, `127.0.0.1:5000/x`). */
function fullName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

function plainHttp(registry: string): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:|$)/.test(registry);
}

/** Whether `registry` answers a TCP connect; the Go error text when it does not. */
export function dialError(registry: string): Promise<string | undefined> {
  const plain = plainHttp(registry);
  const m = /^(.*?)(?::(\d+))?$/.exec(registry)!;
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = m[2] ? Number(m[2]) : plain ? 80 : 443;
  const url = `${plain ? 'http' : 'https'}://${registry}/v2/`;
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(undefined);
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      s.destroy();
      if (e.code === 'ECONNREFUSED') resolve(`Get "${url}": dial tcp ${host}:${port}: connectex: No connection could be made because the target machine actively refused it.`);
      else if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') resolve(`Get "${url}": dial tcp: lookup ${host}: no such host`);
      else resolve(`Get "${url}": dial tcp ${host}:${port}: ${e.message}`);
    });
  });
}

function line(m: { status?: string; id?: string; progressDetail?: { current: number; total?: number } | Record<string, never>; aux?: unknown }): string {
  return JSON.stringify(m) + '\r\n';
}

/** moby's streamformatter.FormatError. */
export function errorLine(message: string): string {
  return JSON.stringify({ errorDetail: { message }, error: message }) + '\r\n';
}

/** A registry failure in moby's words (the client's `<step>: ` prefix off an authorization failure). */
function registryMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // A 401 whose body was spent on the challenge: distribution's UNAUTHORIZED error, as docker prints it.
  if (e instanceof RegistryError && e.status === 401 && /: Unauthorized$/.test(m)) return 'unauthorized: authentication required';
  return m.replace(/^(blob upload|manifest|config|blob): (?=unauthorized|denied)/, '');
}

/**
 * Bar updates kept to one per BAR_STEP bytes per layer (and the last): the
 * client reports every chunk it reads, and only a terminal draws bars.
 * moby's progress reader also rate-limits its updates.
 */
const BAR_STEP = 512 * 1024;

function barThrottle(): (e: ProgressEvent) => boolean {
  const last = new Map<string, number>();
  return (e) => {
    const p = e.progressDetail;
    if (!p || e.id === undefined) return true;
    const key = `${e.status} ${e.id}`;
    const prev = last.get(key);
    if (prev !== undefined && p.current !== p.total && p.current - prev < BAR_STEP) return false;
    last.set(key, p.current);
    return true;
  };
}

// ---- push -------------------------------------------------------------------------------

export async function push(d: Daemon, ex: Exchange, ref: ImageReference, tagGiven: boolean): Promise<void> {
  const out = ex.stream(200, { 'Content-Type': 'application/json' });
  out.write(line({ status: `The push refers to repository [${fullName(ref)}]` }));
  const repo = familiarName(ref);
  try {
    const tags = d.host.imageStore
      .list()
      .flatMap((i) => i.repoTags)
      .filter((t) => t.slice(0, t.lastIndexOf(':')) === repo)
      .sort();
    if (tags.length === 0) throw new ApiError(404, `An image does not exist locally with the tag: ${repo}`);
    const targets = tagGiven ? [familiarString(ref)] : tags;
    if (tagGiven && !tags.includes(targets[0]!)) throw new ApiError(404, `tag does not exist: ${targets[0]}`);
    const unreachable = await dialError(ref.domain === 'docker.io' ? 'registry-1.docker.io' : ref.domain);
    if (unreachable) throw new ApiError(500, unreachable);
    for (const t of targets) await pushTag(d, out, t, registryAuth(ex));
  } catch (e) {
    out.write(errorLine(e instanceof RegistryError ? registryMessage(e) : toApiError(e).message));
  }
  out.end();
}

async function pushTag(d: Daemon, out: StreamOut, reference: string, auth: RegistryAuth | undefined): Promise<void> {
  const image = d.host.image(reference)!;
  const blobsOf = await layerBlobs(d, image);
  const ids = blobsOf.map((b) => b.id);
  const sizes = new Map(blobsOf.map((b) => [b.id, b.size]));
  // Top layer first, as moby's descriptors (pushTag walks from the top layer down).
  const order = ids.map((id, i) => ({ id, foreign: image.layers[i]!.foreign })).reverse();
  for (const l of order) out.write(line({ status: 'Preparing', progressDetail: {}, id: l.id }));
  order.forEach((l, i) => {
    if (i >= MAX_CONCURRENT_UPLOADS) out.write(line({ status: 'Waiting', progressDetail: {}, id: l.id }));
  });
  for (const l of order) if (l.foreign) out.write(line({ status: 'Skipped foreign layer', progressDetail: {}, id: l.id }));
  const throttle = barThrottle();
  const say = (e: ProgressEvent): void => {
    if (!throttle(e)) return;
    if (e.status === 'Preparing' || e.status.startsWith('The push refers to repository')) return;
    if (e.aux) out.write(line({ progressDetail: {}, aux: e.aux }));
    else if (e.id) {
      // moby's pushV2 wraps the layer's tar in a progress reader of the layer's size (push_v2.go
      // uploadUsingSession: NewProgressReader(…, size, …, "Pushing")): every Pushing event has a
      // total. Where the client streams a compression it reports no total; the layer's tar size is
      // that total (its current then counts the compressed bytes sent: see the README's gaps).
      const p = e.progressDetail;
      const total = p && p.total === undefined && e.status === 'Pushing' ? sizes.get(e.id) : undefined;
      out.write(line({ status: e.status, progressDetail: p ? (total !== undefined ? { current: p.current, total } : p) : {}, id: e.id }));
    } else out.write(line({ status: e.status }));
  };
  await d.host.push(reference, { ...(auth ? { auth } : {}), onProgress: say });
}

/** Each layer's id as docker shows it (the first 12 hex digits of its tar's digest) and its tar's size (cached per layer). */
async function layerBlobs(d: Daemon, image: Image): Promise<{ id: string; size: number }[]> {
  const out: { id: string; size: number }[] = [];
  for (let i = 0; i < image.layers.length; i++) {
    const b = await layerBlob(d.host.blocks, image.layers, i);
    out.push({ id: b.diffId.slice(7, 19), size: b.size });
  }
  return out;
}

// ---- pull -------------------------------------------------------------------------------

/** `docker pull <registry>/<path>:<tag>` (the caller checked isRegistryReference). */
export async function pullFromRegistry(d: Daemon, ex: Exchange, ref: ImageReference): Promise<void> {
  const reference = familiarString(ref);
  const unreachable = await dialError(ref.domain);
  if (unreachable) throw new ApiError(500, unreachable);
  const before = d.host.image(reference)?.id;
  // moby's pullSchema2: when the manifest's config is an image already here, nothing is pulled and no layer is listed.
  const known = new Set(d.host.imageStore.list().map((i) => i.id));
  let out: StreamOut | undefined;
  const pending: string[] = [];
  /** `Already exists` lines held until it is clear something is pulled (else they are dropped). */
  let held: string[] | undefined = [];
  /** Lines after the held ones (`Digest:`), kept in order behind them. */
  const tail: string[] = [];
  const throttle = barThrottle();
  const say = (e: ProgressEvent): void => {
    if (!throttle(e)) return;
    const layer = e.id !== undefined && e.id !== ref.tag;
    const text = layer ? line({ status: e.status, progressDetail: e.progressDetail ?? {}, id: e.id }) : line({ status: e.status, ...(e.id !== undefined ? { id: e.id } : {}) });
    // The first layer's line means the manifest and config were found: the answer starts.
    if (!out && layer) begin();
    if (!out) return void pending.push(text);
    if (held && layer && e.status === 'Already exists') return void held.push(text);
    // `Digest:` after nothing but `Already exists`: whether those show is known at the end.
    if (held && !layer) return void tail.push(text);
    if (held) {
      for (const h of held) out.write(h);
      held = undefined;
    }
    out.write(text);
  };
  const begin = (): void => {
    out = ex.stream(200, { 'Content-Type': 'application/json' });
    for (const p of pending.splice(0)) out.write(p);
  };
  let image: Image;
  try {
    image = await d.host.pullFromRegistry(reference, { ...(registryAuth(ex) ? { auth: registryAuth(ex)! } : {}), onProgress: say });
  } catch (e) {
    const err = e instanceof RegistryError ? new ApiError(e.status === 0 ? 500 : e.status, registryMessage(e)) : e instanceof HostError ? new ApiError(e.status, e.message) : toApiError(e);
    if (!out) throw err;
    for (const h of [...(held ?? []), ...tail]) out.write(h);
    out.write(errorLine(err.message));
    out.end();
    return;
  }
  if (!out) begin();
  // Every layer already existed: listed when the image itself is new (a new config over known layers), not when it was here.
  if (held && !known.has(image.id)) for (const h of held) out!.write(h);
  for (const t of tail) out!.write(t);
  out!.write(line({ status: before === image.id ? `Status: Image is up to date for ${reference}` : `Status: Downloaded newer image for ${reference}` }));
  out!.end();
}

