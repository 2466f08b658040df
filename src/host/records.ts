/**
 * The metadata documents of a data root (src/host/README.md "Data root"):
 * what `images/<hex>.json` and `containers/<id>/config.json` hold, and
 * their checks on the way in. JSON, one document per file, written whole
 * (durable-files.ts); a `version` field so that a later layout can tell
 * them apart. A document that fails its check is not loaded (the Host
 * notes why, as moby logs "failed to load container" and goes on).
 */
import type { Isolation } from '../hcs/compat.js';
import { HIVE_NAMES, type HiveName, type ImageConfig } from '../images/types.js';
import type { ContainerResources } from './resources.js';
import type { ContainerCreateOptions, ContainerStatus, NetworkAttachment } from './types.js';

export const RECORD_VERSION = 1;

/** One layer of an image: where its disk is, which hive files it carries, and its history entry. */
export interface LayerRecord {
  diffId: string;
  /** Its disk's stable id in the data root's block store (snapshotted). */
  disk: number;
  size: number;
  foreign: boolean;
  createdBy: string;
  created: string;
  /** The hives it adds or changes: `layers/<hex>/hives/<NAME>`. */
  hives: HiveName[];
  /** The image store's layer cache key it was built under, so a later pull reuses it; null if none. */
  cacheKey: string | null;
}

/** `images/<hex>.json`. */
export interface ImageRecord {
  version: number;
  id: string;
  repoTags: string[];
  created: string;
  osVersion: string;
  config: ImageConfig;
  flavor: string;
  defaultUser: string;
  /** The catalogue entry it was synthesized from (`repository:tag`, its canonical tag; src/images/base/catalog.ts imageReference). */
  base: string;
  layers: LayerRecord[];
  /** `repository@sha256:…` per registry it was pushed to or pulled from (docker's RepoDigests); absent: none. */
  repoDigests?: string[];
  /** The image a Dockerfile step built it on (moby's image store `parent` file: rmi, prune and `images` use it); absent: none. */
  parent?: string;
  /**
   * Deleted (`docker rmi -f`) while a stopped container used it: moby
   * deletes the image and the container keeps its layers; here the
   * container is restored from its image, so the document stays, marked,
   * and the image comes back for its containers only — never listed, and
   * collected at the open that finds no container using it. Absent: false.
   */
  hidden?: boolean;
  /**
   * When the document was written (ms, strictly increasing within a host):
   * a tag found on two images after a crash stays on the one written last
   * (a tag move writes the image gaining it first). Absent: 0.
   */
  written?: number;
}

/** The sandbox a container runs on, once it has started. */
export interface SandboxRecord {
  /** The sandbox disk's stable id (a clone of the top layer's). */
  disk: number;
  /** StorageSandboxSize as asked. */
  sizeBytes: number;
  /** The registered programs' layer it was cloned from (Host.imageForContainer), if any. */
  programsLayer: { diffId: string; disk: number } | null;
}

/** `containers/<id>/config.json`. */
export interface ContainerRecord {
  version: number;
  id: string;
  name: string;
  /** The image's id (`sha256:…`). */
  image: string;
  options: ContainerCreateOptions;
  isolation: Isolation;
  resources: ContainerResources;
  argv: string[];
  warnings: string[];
  status: Exclude<ContainerStatus, 'removing' | 'dead'>;
  exitCode: number;
  /** ISO times ('' for never), as the Engine API's State.StartedAt / FinishedAt and Created. */
  created: string;
  startedAt: string;
  finishedAt: string;
  sandbox: SandboxRecord | null;
  /** Networks joined beyond its NetworkMode (further EndpointsConfig entries, docker network connect), with what was asked there; absent: none. */
  networks?: NetworkAttachment[];
}

/**
 * `networks.json`: the user-defined networks (moby keeps them in
 * network/files/local-kv.db), so a reopened data root has them with their
 * ids, subnets and options; nat and none are the host's own and not kept.
 */
export interface NetworkRecord {
  name: string;
  driver: string;
  /** The subnet in use (given or picked), `a.b.c.d/n`. */
  subnet: string;
  gateway: string;
  options: Record<string, string>;
  labels: Record<string, string>;
  internal: boolean;
  attachable: boolean;
  /** Unix ms: the network id is derived from the name and this. */
  created: number;
  /** Whether the subnet was given at create (absent in records written before it was kept). */
  staticSubnet?: boolean;
}

export interface NetworksDocument {
  version: number;
  networks: NetworkRecord[];
}

/** A document that is not what the data root writes. */
export class RecordError extends Error {
  override readonly name = 'RecordError';
}

export function parseImageRecord(text: string): ImageRecord {
  const o = object(JSON.parse(text), 'image');
  if (o.version !== RECORD_VERSION) throw new RecordError(`unknown version ${String(o.version)}`);
  const r: ImageRecord = {
    version: RECORD_VERSION,
    id: digest(o.id, 'id'),
    repoTags: strings(o.repoTags, 'repoTags'),
    created: str(o.created, 'created'),
    osVersion: str(o.osVersion, 'osVersion'),
    config: object(o.config, 'config') as unknown as ImageConfig,
    flavor: str(o.flavor, 'flavor'),
    defaultUser: str(o.defaultUser, 'defaultUser'),
    base: str(o.base, 'base'),
    layers: array(o.layers, 'layers').map((l, i) => layerRecord(l, `layers[${i}]`)),
    ...(o.repoDigests === undefined ? {} : { repoDigests: strings(o.repoDigests, 'repoDigests') }),
    ...(o.parent === undefined ? {} : { parent: digest(o.parent, 'parent') }),
    ...(o.hidden === undefined ? {} : { hidden: bool(o.hidden, 'hidden') }),
    ...(o.written === undefined ? {} : { written: count(o.written, 'written') }),
  };
  if (r.layers.length === 0) throw new RecordError('an image without layers');
  return r;
}

function layerRecord(v: unknown, what: string): LayerRecord {
  const o = object(v, what);
  const hives = strings(o.hives, `${what}.hives`);
  for (const h of hives) if (!(HIVE_NAMES as readonly string[]).includes(h)) throw new RecordError(`${what}: unknown hive ${h}`);
  return {
    diffId: digest(o.diffId, `${what}.diffId`),
    disk: diskId(o.disk, `${what}.disk`),
    size: count(o.size, `${what}.size`),
    foreign: bool(o.foreign, `${what}.foreign`),
    createdBy: str(o.createdBy, `${what}.createdBy`),
    created: str(o.created, `${what}.created`),
    hives: hives as HiveName[],
    cacheKey: o.cacheKey === null ? null : str(o.cacheKey, `${what}.cacheKey`),
  };
}

const STATUSES: readonly ContainerRecord['status'][] = ['created', 'running', 'paused', 'exited'];

export function parseContainerRecord(text: string): ContainerRecord {
  const o = object(JSON.parse(text), 'container');
  if (o.version !== RECORD_VERSION) throw new RecordError(`unknown version ${String(o.version)}`);
  const status = str(o.status, 'status') as ContainerRecord['status'];
  if (!STATUSES.includes(status)) throw new RecordError(`unknown status ${status}`);
  const isolation = str(o.isolation, 'isolation');
  if (isolation !== 'process' && isolation !== 'hyperv') throw new RecordError(`unknown isolation ${isolation}`);
  const options = object(o.options, 'options');
  str(options.image, 'options.image');
  let sandbox: SandboxRecord | null = null;
  if (o.sandbox !== null) {
    const s = object(o.sandbox, 'sandbox');
    let programsLayer: SandboxRecord['programsLayer'] = null;
    if (s.programsLayer !== null) {
      const p = object(s.programsLayer, 'sandbox.programsLayer');
      programsLayer = { diffId: str(p.diffId, 'sandbox.programsLayer.diffId'), disk: diskId(p.disk, 'sandbox.programsLayer.disk') };
    }
    sandbox = { disk: diskId(s.disk, 'sandbox.disk'), sizeBytes: count(s.sizeBytes, 'sandbox.sizeBytes'), programsLayer };
  }
  const id = str(o.id, 'id');
  if (!/^[0-9a-f]{64}$/.test(id)) throw new RecordError(`bad container id ${id}`);
  const exitCode = o.exitCode;
  if (typeof exitCode !== 'number' || !Number.isInteger(exitCode)) throw new RecordError('exitCode: not an integer');
  return {
    version: RECORD_VERSION,
    id,
    name: str(o.name, 'name'),
    image: digest(o.image, 'image'),
    options: options as unknown as ContainerCreateOptions,
    isolation,
    resources: object(o.resources, 'resources') as ContainerResources,
    argv: strings(o.argv, 'argv'),
    warnings: strings(o.warnings, 'warnings'),
    status,
    exitCode,
    created: str(o.created, 'created'),
    startedAt: str(o.startedAt, 'startedAt'),
    finishedAt: str(o.finishedAt, 'finishedAt'),
    sandbox,
    ...(o.networks === undefined
      ? {}
      : {
          networks: array(o.networks, 'networks').map((n, i) => {
            const x = object(n, `networks[${i}]`);
            return {
              network: str(x.network, `networks[${i}].network`),
              ...(x.aliases === undefined ? {} : { aliases: strings(x.aliases, `networks[${i}].aliases`) }),
              ...(x.ipv4Address === undefined ? {} : { ipv4Address: str(x.ipv4Address, `networks[${i}].ipv4Address`) }),
              ...(x.macAddress === undefined ? {} : { macAddress: str(x.macAddress, `networks[${i}].macAddress`) }),
            };
          }),
        }),
  };
}

/** Parses `networks.json` (RecordError for anything else). */
export function parseNetworksDocument(text: string): NetworksDocument {
  const o = object(JSON.parse(text), 'networks document');
  if (o.version !== RECORD_VERSION) throw new RecordError(`unknown version ${String(o.version)}`);
  const stringMap = (v: unknown, what: string): Record<string, string> => {
    const m = object(v, what);
    for (const [k, x] of Object.entries(m)) str(x, `${what}.${k}`);
    return m as Record<string, string>;
  };
  return {
    version: RECORD_VERSION,
    networks: array(o.networks, 'networks').map((v, i) => {
      const n = object(v, `networks[${i}]`);
      const what = `networks[${i}]`;
      const created = n.created;
      if (typeof created !== 'number' || !Number.isFinite(created)) throw new RecordError(`${what}.created: not a number`);
      return {
        name: str(n.name, `${what}.name`),
        driver: str(n.driver, `${what}.driver`),
        subnet: str(n.subnet, `${what}.subnet`),
        gateway: str(n.gateway, `${what}.gateway`),
        options: stringMap(n.options, `${what}.options`),
        labels: stringMap(n.labels, `${what}.labels`),
        internal: bool(n.internal, `${what}.internal`),
        attachable: bool(n.attachable, `${what}.attachable`),
        created,
        ...(n.staticSubnet === undefined ? {} : { staticSubnet: bool(n.staticSubnet, `${what}.staticSubnet`) }),
      };
    }),
  };
}

// ---- checks --------------------------------------------------------------------------

type Json = Record<string, unknown>;

function object(v: unknown, what: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RecordError(`${what}: not an object`);
  return v as Json;
}

function array(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new RecordError(`${what}: not a list`);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new RecordError(`${what}: not a string`);
  return v;
}

function strings(v: unknown, what: string): string[] {
  return array(v, what).map((s, i) => str(s, `${what}[${i}]`));
}

function bool(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw new RecordError(`${what}: not a boolean`);
  return v;
}

function count(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new RecordError(`${what}: not a count`);
  return v;
}

function diskId(v: unknown, what: string): number {
  const n = count(v, what);
  if (n === 0 || n > 0xffffffff) throw new RecordError(`${what}: not a disk id`);
  return n;
}

function digest(v: unknown, what: string): string {
  const s = str(v, what);
  if (!/^sha256:[0-9a-f]{64}$/.test(s)) throw new RecordError(`${what}: not a sha256 digest`);
  return s;
}
