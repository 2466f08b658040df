/**
 * Turns a catalogue entry into a real image: layers that are NTFS volumes
 * on snapshotted `blocks` disks plus the hives each layer adds — the same
 * bytes and digests on every machine (every clock is the catalogue's).
 *
 * Layers follow the image's history (windows-facts §4): Server Core's base
 * layer holds the files of the release (TreeTime 'rtm'), its update layer
 * the files the month's update rewrote ('build'); Nano Server has one
 * layer; IIS adds one layer ('app') on Server Core's two — the very same
 * layers, shared through the cache, as docker shares them by digest. Each
 * layer's disk is a clone of the one below with its own files written, so
 * a container's sandbox is one clone of the top layer.
 *
 * A layer's diff id is the sha256 of its Windows layer tar, pinned per
 * layer in layer-digests.ts (no export at pull), and the image id is the
 * sha256 of the config oci.ts writes for it — as for every other image, so
 * `docker images`, `docker save` and `skopeo inspect` agree.
 */
import { createHash } from 'node:crypto';
import { STATUS_SUCCESS } from '../../core/ntstatus.js';
import { NtStatusError } from '../../core/errors.js';
import type { BlockStore } from '../../core/blocks/index.js';
import { formatVolume, mountVolume } from '../../kernel/fs/index.js';
import { hiveFromSpec, serialiseHive, type Hive } from '../../kernel/registry/index.js';
import type { HiveKeySpec, RegistryValue } from '../../kernel/registry/types.js';
import { sha256Digest } from '../blobs.js';
import { baseConfigDocument, configBytes, rememberLayerBlob } from '../oci.js';
import { HIVE_NAMES, type HiveName, type Image, type ImageConfig, type Layer } from '../types.js';
import { lookupBaseImage, type BaseImageSpec, type LayerFacts } from './catalog.js';
import { imageHives, type ImageHives } from './hives.js';
import { pinnedLayerTar } from './layer-digests.js';
import { imageTreeSpec, populateImageTree, treeClockFor, type TreeNode } from './tree.js';

/** A layer disk's virtual size: the sandbox size the docs give (20 GB; moby's own default is 127 GB). */
export const SANDBOX_BYTES = 20 * 2 ** 30;
/** The computer name image hives carry; a container's own is written into its delta when it is created. */
export const IMAGE_COMPUTER_NAME = 'MINWINPC';

/** Layers already built, by recipe (repository, OS version, history position): shared between images. */
export type LayerCache = Map<string, Layer>;

/**
 * Builds (or reuses from `cache`) every layer of `spec` in `store` and
 * returns the image. Throws NtStatusError if the store has no room.
 */
export function synthesizeBaseImage(store: BlockStore, spec: BaseImageSpec, cache: LayerCache): Image {
  const base = spec.variant === 'iis' ? servercoreOf(spec) : spec;
  const entries = imageTreeSpec(spec).entries;
  const clock = treeClockFor(spec);
  const foreign = spec.history.filter((h) => h.foreign && h.hasLayer);
  const layered = spec.history.filter((h) => h.hasLayer);

  // Which layer writes each entry: a file its time's layer; a directory the
  // base layer (an update rewrites files in it, not the directory), or the
  // app layer for the app's own; never before its parent.
  const layerOfTime = (e: TreeNode): number =>
    e.time === 'app' ? foreign.length : e.type === 'directory' || e.time === 'rtm' ? 0 : foreign.length - 1;
  const layerOf = new Map<string, number>();
  const perLayer: TreeNode[][] = layered.map(() => []);
  for (const e of entries) {
    const parent = e.path.slice(0, Math.max(1, e.path.lastIndexOf('\\'))).toUpperCase();
    const k = Math.min(layered.length - 1, Math.max(layerOfTime(e), layerOf.get(parent) ?? 0));
    layerOf.set(e.path.toUpperCase(), k);
    perLayer[k]!.push(e);
  }

  const baseHives = imageHives(base, { computerName: IMAGE_COMPUTER_NAME });
  const layers: Layer[] = [];
  let parent: Layer | undefined;
  layered.forEach((facts, k) => {
    const key = `${facts.foreign ? base.repository : spec.repository}@${spec.osVersion}#${k}`;
    let layer = cache.get(key);
    if (!layer) {
      const hiveSpecs = k === 0 ? baseHives : facts.foreign ? undefined : hiveDelta(baseHives, imageHives(spec, { computerName: IMAGE_COMPUTER_NAME }));
      layer = buildLayer(store, parent, perLayer[k]!, facts, hiveSpecs, {
        image: `${spec.repository}:${spec.tags[0]}`,
        time: k === 0 ? clock.rtm : facts.foreign ? clock.build : clock.app,
        treeClock: clock,
      });
      cache.set(key, layer);
    }
    layers.push(layer);
    parent = layer;
  });

  const config: ImageConfig = {
    Cmd: spec.config.Cmd ? [...spec.config.Cmd] : null,
    Entrypoint: spec.config.Entrypoint ? [...spec.config.Entrypoint] : null,
    Env: spec.config.Env ? [...spec.config.Env] : null,
    User: spec.config.User,
    WorkingDir: spec.config.WorkingDir,
    ExposedPorts: spec.config.ExposedPorts ? { ...spec.config.ExposedPorts } : null,
    Labels: null,
  };
  return {
    id: sha256Digest(configBytes(baseConfigDocument(spec, config, layers.map((l) => l.diffId)))),
    repoTags: spec.tags.map((t) => `${spec.repository}:${t}`),
    created: spec.created,
    os: 'windows',
    osVersion: spec.osVersion,
    architecture: 'amd64',
    config,
    layers,
    flavor: spec.variant === 'iis' ? 'iis' : spec.flavor,
    defaultUser: spec.defaultUser,
    base: spec,
  };
}

interface LayerBuild {
  image: string;
  /** The layer's own clock: every time its volume writes (directory changes included). */
  time: number;
  treeClock: ReturnType<typeof treeClockFor>;
}

function buildLayer(store: BlockStore, parent: Layer | undefined, entries: TreeNode[], facts: LayerFacts, hiveSpecs: Partial<ImageHives> | undefined, b: LayerBuild): Layer {
  const clock = (): number => b.time;
  let disk: number;
  if (parent) {
    const r = store.clone(parent.disk);
    if (r.status !== STATUS_SUCCESS) throw new NtStatusError('blocks.clone', r.status, b.image);
    disk = r.disk;
    populateImageTree(mountVolume(store, disk, { clock }), { image: b.image, entries }, b.treeClock);
  } else {
    const r = store.createDisk(SANDBOX_BYTES);
    if (r.status !== STATUS_SUCCESS) throw new NtStatusError('blocks.createDisk', r.status, b.image);
    disk = r.disk;
    populateImageTree(formatVolume(store, disk, { clock }), { image: b.image, entries }, b.treeClock);
  }
  const snap = store.snapshot(disk);
  if (snap !== STATUS_SUCCESS) throw new NtStatusError('blocks.snapshot', snap, b.image);

  const hives: Partial<Record<HiveName, Hive>> = {};
  for (const name of HIVE_NAMES) {
    const s = hiveSpecs?.[name];
    if (s) hives[name] = hiveFromSpec(s, { time: b.time });
  }
  const { id: content, size } = layerContent(store, disk, parent?.disk ?? 0, hives);
  // The tar digest pinned for this content; unpinned (a stale table), the content id stands in and
  // oci.ts's layerBlob exports the layer when its tar digest is asked for.
  const tar = pinnedLayerTar(content);
  const layer: Layer = { diffId: tar?.diffId ?? content, disk, hives, size, foreign: facts.foreign, createdBy: facts.createdBy, created: facts.created };
  if (tar) rememberLayerBlob(layer, { diffId: tar.diffId, size: tar.size });
  return layer;
}

/**
 * A layer's content id (the key of its pinned tar digest): the sha256 of its
 * disk delta against the layer below and of each hive it carries (name, then
 * serialised bytes); and the bytes it really stores (the delta plus the hives).
 */
export function layerContent(store: BlockStore, disk: number, parentDisk: number, hives: Readonly<Partial<Record<HiveName, Hive>>>): { id: string; size: number } {
  const hash = createHash('sha256');
  const delta = store.exportDelta(disk, parentDisk);
  if (delta.status !== STATUS_SUCCESS) throw new NtStatusError('blocks.exportDelta', delta.status, `disk ${disk}`);
  hash.update(delta.delta);
  let size = delta.delta.byteLength;
  for (const name of HIVE_NAMES) {
    const h = hives[name];
    if (!h) continue;
    const bytes = serialiseHive(h);
    hash.update(name).update(bytes);
    size += bytes.byteLength;
  }
  return { id: `sha256:${hash.digest('hex')}`, size };
}

/** The Server Core image an IIS image is built on (same OS version). */
function servercoreOf(spec: BaseImageSpec): BaseImageSpec {
  const sc = lookupBaseImage(`mcr.microsoft.com/windows/servercore:${spec.osVersion}`);
  if (!sc) throw new Error(`no Server Core ${spec.osVersion} under ${spec.repository}`);
  return sc;
}

/** What `next`'s hives add or change over `base`'s (an app layer's hive deltas; nothing is deleted). */
function hiveDelta(base: ImageHives, next: ImageHives): Partial<ImageHives> {
  const out: Partial<Record<keyof ImageHives, HiveKeySpec>> = {};
  for (const name of Object.keys(next) as (keyof ImageHives)[]) {
    const d = keyDelta(base[name], next[name]);
    if (d) out[name] = d;
  }
  return out;
}

function keyDelta(a: HiveKeySpec | undefined, b: HiveKeySpec): HiveKeySpec | undefined {
  const values = (b.values ?? []).filter((v) => !a?.values?.some((w) => w.name.toUpperCase() === v.name.toUpperCase() && sameValue(v, w)));
  const keys: Record<string, HiveKeySpec> = {};
  for (const [name, sub] of Object.entries(b.keys ?? {})) {
    const match = Object.keys(a?.keys ?? {}).find((n) => n.toUpperCase() === name.toUpperCase());
    const d = keyDelta(match === undefined ? undefined : a!.keys![match], sub);
    if (d) keys[name] = d;
  }
  if (a && values.length === 0 && Object.keys(keys).length === 0) return undefined;
  const out: HiveKeySpec = {};
  if (values.length > 0) out.values = values;
  if (Object.keys(keys).length > 0) out.keys = keys;
  return out;
}

function sameValue(a: RegistryValue, b: RegistryValue): boolean {
  if (a.type !== b.type) return false;
  if (a.data instanceof Uint8Array && b.data instanceof Uint8Array) return Buffer.compare(a.data, b.data) === 0;
  return JSON.stringify(a.data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) === JSON.stringify(b.data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
