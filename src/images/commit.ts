/**
 * `docker commit` (docker-engine-api §3.10): a stopped container's changes —
 * files, deletions as whiteouts, registry deltas — become one new layer on
 * its image's layers, and a new image whose config is the image's with the
 * `--change` instructions applied and one more history entry
 * (moby daemon/commit.go: created_by is the container's command, author
 * and comment as given).
 *
 * The new layer's disk is a snapshot of a clone of the sandbox (O(1)); its
 * diff id is the sha256 of its Windows layer tar against the image's top
 * layer (layer-tar.ts), so the same container gives the same layer digest.
 */
import { STATUS_SUCCESS } from '../core/ntstatus.js';
import { NtStatusError } from '../core/errors.js';
import type { BlockStore } from '../core/blocks/index.js';
import { parseHive, serialiseHive, type Hive } from '../kernel/registry/index.js';
import type { BlobStore } from './blobs.js';
import { exportLayer } from './layer-tar.js';
import { configBytes, imageConfig, rememberLayerBlob, type ConfigDocument } from './oci.js';
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
  const c = src.store.clone(src.disk);
  if (c.status !== STATUS_SUCCESS) throw new NtStatusError('blocks.clone', c.status, src.containerId);
  try {
    const st = src.store.snapshot(c.disk);
    if (st !== STATUS_SUCCESS) throw new NtStatusError('blocks.snapshot', st, src.containerId);
    // The layer keeps its own copy of the deltas: the container may start again and change its own.
    const hives: Partial<Record<HiveName, Hive>> = {};
    for (const name of HIVE_NAMES) {
      const h = src.hives[name];
      if (h && (h.root.subkeys.size > 0 || h.root.values.size > 0)) hives[name] = parseHive(serialiseHive(h));
    }
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256');
    let tarSize = 0;
    for await (const chunk of exportLayer({ store: src.store, disk: c.disk, parentDisk: top.disk, hives })) {
      hash.update(chunk);
      tarSize += chunk.byteLength;
    }
    const diffId = `sha256:${hash.digest('hex')}`;
    const created = new Date(options.now).toISOString();
    const createdBy = src.command.join(' ');
    const layer: Layer = { diffId, disk: c.disk, hives, size: tarSize, foreign: false, createdBy, created };
    rememberLayerBlob(layer, { diffId, size: tarSize });

    const base = await imageConfig(src.store, parent, blobs.get(parent.id));
    const config = options.config ?? applyChanges(base.doc.config, options.changes ?? []);
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
    src.store.deleteDisk(c.disk);
    throw e;
  }
}
