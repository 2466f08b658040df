/**
 * `docker commit` (docker-engine-api §3.10): a stopped container's changes —
 * files, deletions as whiteouts, registry deltas — become one new layer on
 * its image's layers, and a new image whose config is the image's with the
 * `--change` instructions applied and one more history entry
 * (moby daemon/commit.go: created_by is the container's command, author
 * and comment as given).
 *
 * The new layer's disk is a snapshot of a clone of the sandbox (O(1)); its
 * diff id is the sha256 of its Windows layer tar against the disk the
 * sandbox was cloned from (layer-tar.ts), so the same container gives the
 * same layer digest. The same export is gzipped as it is hashed (oci.ts
 * gzipStream: the very members push would make) and the blob stored,
 * indexed under the diff id, before commit returns — as docker with the
 * containerd image store writes a committed layer to its content store
 * compressed — so a push right after only uploads (src/images/README.md
 * Figures). When that disk is the host's registered-programs layer
 * (not the image's top), the tar is applied onto the image's top layer
 * instead, so the host's program stubs are in no committed layer.
 *
 * `POST /commit`'s config (commitConfig): moby's CreateImageFromContainer —
 * the request's container.Config or else the container's, the `changes`,
 * then merge() with the container's config.
 */
import { createHash } from 'node:crypto';
import { STATUS_SUCCESS } from '../core/ntstatus.js';
import { NtStatusError } from '../core/errors.js';
import type { BlockStore } from '../core/blocks/index.js';
import { parseHive, serialiseHive, type Hive } from '../kernel/registry/index.js';
import type { BlobStore } from './blobs.js';
import { exportLayer, importLayer } from './layer-tar.js';
import { configBytes, gzipStream, imageConfig, rememberLayerBlob, type ConfigDocument } from './oci.js';
import { HIVE_NAMES, type HiveName, type Image, type ImageConfig, type Layer } from './types.js';

/** What commit reads of a container. */
export interface CommitSource {
  store: BlockStore;
  /** The container's sandbox disk (not in use: the container is stopped). */
  disk: number;
  /** Its registry deltas. */
  hives: Readonly<Partial<Record<HiveName, Hive>>>;
  /** The image the container was created from (without winsilo's programs layer). */
  image: Image;
  containerId: string;
  /** The container's command (Path + Args): the history entry's created_by. */
  command: readonly string[];
  /**
   * The disk the sandbox was cloned from, when it is not the image's top
   * layer: the host's registered-programs layer (src/host/host.ts
   * imageForContainer). The layer is computed against it — the same parent
   * `docker diff` compares with (src/daemon/changes.ts) — and applied onto
   * the image's top layer, so the program stubs the host installs at every
   * start are in no committed layer (a Windows image has none).
   */
  parentDisk?: number;
}

export interface CommitOptions {
  author?: string;
  comment?: string;
  /** Dockerfile instructions applied to the config (`--change`, the API's `changes`, one per entry). */
  changes?: readonly string[];
  /** The commit's time (ms). */
  now: number;
  /** The whole new config (the builder's run config), instead of the parent's with `changes` applied. */
  config?: ImageConfig;
  /** The step's config (its Cmd the `#(nop) …` line), kept as `container_config` for the build cache. */
  containerConfig?: ImageConfig;
  /**
   * `POST /commit`: the container's config (the image's merged with its
   * create request's), the base moby's CreateImageFromContainer starts from
   * and merges into (daemon/commit.go). Absent: the image's config.
   */
  fromContainer?: ImageConfig;
  /** `POST /commit`'s body (a container.Config): used instead of `fromContainer` before `changes`, then merged with it. */
  requestConfig?: ImageConfig;
}

/** Thrown for a `--change` docker refuses (the daemon answers 400 with the message). */
export class CommitChangeError extends Error {
  override readonly name = 'CommitChangeError';
}

/** moby's builder validCommitCommands: the instructions `--change` accepts. */
const COMMIT_INSTRUCTIONS = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'] as const;

/**
 * Applies `--change` instructions to a copy of `config`. Shell forms run
 * under `cmd /S /C` (Windows' default SHELL). ONBUILD, STOPSIGNAL and
 * VOLUME are accepted and not kept: the image config here has no field
 * for them (DECIDED; listed as left to do).
 */
export function applyChanges(config: ImageConfig, changes: readonly string[]): ImageConfig {
  const out: ImageConfig = {
    ...config,
    Cmd: config.Cmd ? [...config.Cmd] : null,
    Entrypoint: config.Entrypoint ? [...config.Entrypoint] : null,
    Env: config.Env ? [...config.Env] : null,
    ExposedPorts: config.ExposedPorts ? { ...config.ExposedPorts } : null,
    Labels: config.Labels ? { ...config.Labels } : null,
  };
  for (const raw of changes) {
    for (const line of raw.split(/\r?\n/)) {
      const text = line.trim();
      if (text === '' || text.startsWith('#')) continue;
      const m = /^(\S+)\s*(.*)$/s.exec(text)!;
      const word = m[1]!.toUpperCase();
      const rest = m[2]!.trim();
      if (!(COMMIT_INSTRUCTIONS as readonly string[]).includes(word)) throw new CommitChangeError(`${m[1]!.toLowerCase()} is not a valid change command`);
      switch (word) {
        case 'CMD':
          out.Cmd = commandForm(rest);
          break;
        case 'ENTRYPOINT':
          out.Entrypoint = commandForm(rest);
          break;
        case 'ENV':
          for (const [k, v] of keyValues(rest, 'ENV')) out.Env = [...(out.Env ?? []).filter((e) => e.split('=')[0]!.toUpperCase() !== k.toUpperCase()), `${k}=${v}`];
          break;
        case 'LABEL':
          for (const [k, v] of keyValues(rest, 'LABEL')) out.Labels = { ...(out.Labels ?? {}), [k]: v };
          break;
        case 'EXPOSE':
          for (const p of rest.split(/\s+/).filter(Boolean)) out.ExposedPorts = { ...(out.ExposedPorts ?? {}), [p.includes('/') ? p.toLowerCase() : `${p}/tcp`]: {} };
          break;
        case 'USER':
          out.User = rest;
          break;
        case 'WORKDIR':
          out.WorkingDir = rest;
          break;
        default:
          break;
      }
    }
  }
  return out;
}

/**
 * moby daemon/commit.go `merge(userConf, imageConf)`: what the commit
 * request's config (after `changes`) leaves empty comes from the
 * container's config — User, ExposedPorts (added), Env (names the request
 * lacks, compared case-insensitively on Windows), Labels (added), Cmd and
 * Entrypoint (only when the request gives no Entrypoint; an empty
 * Entrypoint given stays empty), Healthcheck (field by field), WorkingDir,
 * Volumes (added), StopSignal.
 */
export function mergeCommitConfig(user: ImageConfig, container: ImageConfig): ImageConfig {
  const out: ImageConfig = { ...user };
  if (out.User === '') out.User = container.User;
  if (!out.ExposedPorts || Object.keys(out.ExposedPorts).length === 0) out.ExposedPorts = container.ExposedPorts;
  else out.ExposedPorts = { ...out.ExposedPorts, ...Object.fromEntries(Object.keys(container.ExposedPorts ?? {}).filter((p) => !(p in out.ExposedPorts!)).map((p) => [p, {}])) };
  if (!out.Env || out.Env.length === 0) out.Env = container.Env;
  else {
    const names = new Set(out.Env.map((e) => e.split('=')[0]!.toUpperCase()));
    out.Env = [...out.Env, ...(container.Env ?? []).filter((e) => !names.has(e.split('=')[0]!.toUpperCase()))];
  }
  out.Labels = { ...(container.Labels ?? {}), ...(out.Labels ?? {}) };
  if (!out.Entrypoint || out.Entrypoint.length === 0) {
    if (!out.Cmd || out.Cmd.length === 0) out.Cmd = container.Cmd;
    if (out.Entrypoint === null || out.Entrypoint === undefined) out.Entrypoint = container.Entrypoint;
  }
  if (container.Healthcheck) {
    const h = out.Healthcheck;
    if (!h) out.Healthcheck = container.Healthcheck;
    else {
      const c = container.Healthcheck;
      out.Healthcheck = {
        ...h,
        Test: h.Test.length === 0 ? c.Test : h.Test,
        ...(h.Interval ? {} : c.Interval !== undefined ? { Interval: c.Interval } : {}),
        ...(h.Timeout ? {} : c.Timeout !== undefined ? { Timeout: c.Timeout } : {}),
        ...(h.StartPeriod ? {} : c.StartPeriod !== undefined ? { StartPeriod: c.StartPeriod } : {}),
        ...(h.StartInterval ? {} : c.StartInterval !== undefined ? { StartInterval: c.StartInterval } : {}),
        ...(h.Retries ? {} : c.Retries !== undefined ? { Retries: c.Retries } : {}),
      };
    }
  }
  if (out.WorkingDir === '') out.WorkingDir = container.WorkingDir;
  if (!out.Volumes || Object.keys(out.Volumes).length === 0) {
    if (container.Volumes !== undefined) out.Volumes = container.Volumes;
  } else out.Volumes = { ...out.Volumes, ...(container.Volumes ?? {}) };
  if (!out.StopSignal && container.StopSignal) out.StopSignal = container.StopSignal;
  return out;
}

/**
 * The config a commit writes (moby CreateImageFromContainer): the request's
 * config if it sent one, else the container's; `changes` applied
 * (BuildFromConfig); then merged with the container's config.
 */
export function commitConfig(fromContainer: ImageConfig, request: ImageConfig | undefined, changes: readonly string[]): ImageConfig {
  return mergeCommitConfig(applyChanges(request ?? fromContainer, changes), fromContainer);
}

/**
 * The container.Config in a `POST /commit` body, as Go's encoding/json
 * fills moby's commitRequest (an embedded *container.Config): keys matched
 * case-insensitively, unknown keys ignored, no known key → no config (nil:
 * the container's is used). Cmd and Entrypoint are StrSlices (a string is
 * one element). A value of the wrong type is the decoder's 400; its text
 * here is DECIDED (`json: cannot unmarshal … into Go struct field …`,
 * encoding/json's shape).
 */
export function requestCommitConfig(body: unknown): ImageConfig | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const fields = ['Cmd', 'Entrypoint', 'Env', 'User', 'WorkingDir', 'ExposedPorts', 'Labels', 'Volumes', 'StopSignal', 'Healthcheck', 'Shell', 'OnBuild', 'ArgsEscaped'] as const;
  const known = new Map<string, (typeof fields)[number]>(fields.map((f) => [f.toLowerCase(), f]));
  const all = new Set(['hostname', 'domainname', 'attachstdin', 'attachstdout', 'attachstderr', 'tty', 'openstdin', 'stdinonce', 'image', 'networkdisabled', 'macaddress', 'stoptimeout']);
  const got: Partial<Record<(typeof fields)[number], unknown>> = {};
  let any = false;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    const f = known.get(k.toLowerCase());
    if (f) {
      got[f] = v;
      any = true;
    } else if (all.has(k.toLowerCase())) any = true;
  }
  if (!any) return undefined;
  const bad = (field: string, want: string, v: unknown): never => {
    throw new CommitBodyError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field commitRequest.${field} of type ${want}`);
  };
  const strSlice = (field: string, v: unknown): string[] | null => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return [...(v as string[])];
    return bad(field, 'strslice.StrSlice', v);
  };
  const str = (field: string, v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : bad(field, 'string', v));
  const set = (field: string, v: unknown): Record<string, Record<string, never>> | null => {
    if (v === null || v === undefined) return null;
    if (typeof v !== 'object' || Array.isArray(v)) return bad(field, field === 'Volumes' ? 'map[string]struct {}' : 'nat.PortSet', v);
    return Object.fromEntries(Object.keys(v).map((p) => [p, {}]));
  };
  const out: ImageConfig = {
    Cmd: strSlice('Cmd', got.Cmd),
    Entrypoint: strSlice('Entrypoint', got.Entrypoint),
    Env: got.Env === null || got.Env === undefined ? null : Array.isArray(got.Env) && got.Env.every((x) => typeof x === 'string') ? [...(got.Env as string[])] : bad('Env', '[]string', got.Env),
    User: str('User', got.User),
    WorkingDir: str('WorkingDir', got.WorkingDir),
    ExposedPorts: set('ExposedPorts', got.ExposedPorts),
    Labels:
      got.Labels === null || got.Labels === undefined
        ? null
        : typeof got.Labels === 'object' && !Array.isArray(got.Labels) && Object.values(got.Labels).every((x) => typeof x === 'string')
          ? { ...(got.Labels as Record<string, string>) }
          : bad('Labels', 'map[string]string', got.Labels),
  };
  const volumes = set('Volumes', got.Volumes);
  if (volumes) out.Volumes = volumes;
  const stop = str('StopSignal', got.StopSignal);
  if (stop) out.StopSignal = stop;
  const shell = strSlice('Shell', got.Shell);
  if (shell && shell.length > 0) out.Shell = shell;
  if (got.Healthcheck && typeof got.Healthcheck === 'object') out.Healthcheck = { Test: [], ...(got.Healthcheck as object) } as NonNullable<ImageConfig['Healthcheck']>;
  if (got.ArgsEscaped === true) out.ArgsEscaped = true;
  return out;
}

function jsonKind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;
}

/** A `POST /commit` body the decoder refuses (the daemon answers 400 with the message). */
export class CommitBodyError extends Error {
  override readonly name = 'CommitBodyError';
}

function commandForm(rest: string): string[] {
  if (rest.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(rest);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch {
      // Not JSON: docker takes it as the shell form.
    }
  }
  return ['cmd', '/S', '/C', rest];
}

/** `K=V K2="V 2"` or the legacy `K V` form. */
function keyValues(rest: string, word: string): [string, string][] {
  if (!/^[^\s=]+=/.test(rest)) {
    const m = /^(\S+)\s+(.*)$/s.exec(rest);
    if (!m) throw new CommitChangeError(`${word} requires at least one argument`);
    return [[m[1]!, m[2]!]];
  }
  const out: [string, string][] = [];
  const re = /([^\s=]+)=("((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*))/g;
  for (let m; (m = re.exec(rest)); ) out.push([m[1]!, m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[4] ?? m[5] ?? '']);
  return out;
}

/** Makes the layer and the image; the config is stored in `blobs` (its digest is the image id). */
export async function commitContainer(src: CommitSource, options: CommitOptions, blobs: BlobStore): Promise<Image> {
  const parent = src.image;
  const top = parent.layers[parent.layers.length - 1]!;
  const against = src.parentDisk ?? top.disk;
  const c = src.store.clone(src.disk);
  if (c.status !== STATUS_SUCCESS) throw new NtStatusError('blocks.clone', c.status, src.containerId);
  /** The disk to drop if the commit fails. */
  let owned = c.disk;
  const lease = blobs.lease();
  try {
    const st = src.store.snapshot(c.disk);
    if (st !== STATUS_SUCCESS) throw new NtStatusError('blocks.snapshot', st, src.containerId);
    // The layer keeps its own copy of the deltas: the container may start again and change its own.
    const hives: Partial<Record<HiveName, Hive>> = {};
    for (const name of HIVE_NAMES) {
      const h = src.hives[name];
      if (h && (h.root.subkeys.size > 0 || h.root.values.size > 0)) hives[name] = parseHive(serialiseHive(h));
    }
    const hash = createHash('sha256');
    let tarSize = 0;
    let layerDisk = c.disk;
    // The sandbox holds the host's program stubs when it was cloned from the programs layer:
    // then the layer is the changes against that base, applied onto the image's top layer
    // below, so the layer's disk is exactly its parent plus its tar — as a loaded or pulled copy of it will be.
    const kept: Uint8Array[] | undefined = against === top.disk ? undefined : [];
    // One export, teed: each chunk into the diff id's hash and into the gzip members.
    const tar = (async function* () {
      for await (const chunk of exportLayer({ store: src.store, disk: c.disk, parentDisk: against, hives })) {
        hash.update(chunk);
        tarSize += chunk.byteLength;
        kept?.push(chunk);
        yield chunk;
      }
    })();
    const gzHash = createHash('sha256');
    const members: Buffer[] = [];
    for await (const m of gzipStream(tar)) {
      gzHash.update(m);
      members.push(m as Buffer);
    }
    if (kept) {
      const imported = await importLayer(src.store, top.disk, kept);
      src.store.deleteDisk(c.disk);
      layerDisk = imported.disk;
      owned = layerDisk;
    }
    const diffId = `sha256:${hash.digest('hex')}`;
    const created = new Date(options.now).toISOString();
    const createdBy = src.command.join(' ');
    const layer: Layer = { diffId, disk: layerDisk, hives, size: tarSize, foreign: false, createdBy, created };
    rememberLayerBlob(layer, { diffId, size: tarSize });
    // Held until commit returns (its caller lists the image next, with no turn of the event loop
    // between), so a collection meanwhile keeps it; from then the image's diff id keeps it live.
    const gzDigest = `sha256:${gzHash.digest('hex')}`;
    lease.hold(gzDigest);
    blobs.putHashed(gzDigest, members);
    blobs.setCompressed(diffId, 'gzip', gzDigest);
    blobs.setTarSize(diffId, tarSize);

    const base = await imageConfig(src.store, parent, blobs.get(parent.id));
    const config = options.config ?? (options.fromContainer ? commitConfig(options.fromContainer, options.requestConfig, options.changes ?? []) : applyChanges(base.doc.config, options.changes ?? []));
    const doc: ConfigDocument = {
      architecture: 'amd64',
      ...(options.author ? { author: options.author } : {}),
      config,
      container: src.containerId,
      ...(options.containerConfig ? { container_config: options.containerConfig } : {}),
      created,
      history: [...base.doc.history, { created, ...(options.author ? { author: options.author } : {}), created_by: createdBy, ...(options.comment ? { comment: options.comment } : {}) }],
      os: 'windows',
      'os.version': parent.osVersion,
      rootfs: { type: 'layers', diff_ids: [...base.doc.rootfs.diff_ids, diffId] },
    };
    const id = blobs.put(configBytes(doc));
    return {
      id,
      repoTags: [],
      created,
      os: 'windows',
      osVersion: parent.osVersion,
      architecture: 'amd64',
      config,
      layers: [...parent.layers, layer],
      flavor: parent.flavor,
      defaultUser: parent.defaultUser,
      base: parent.base,
    };
  } catch (e) {
    src.store.deleteDisk(owned);
    throw e;
  } finally {
    lease.end();
  }
}
