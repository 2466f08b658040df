/**
 * A Host's data root on the host's file system (design.md "State and
 * durability"; the layout and what is acknowledged when are in
 * src/host/README.md "Data root"):
 *
 *   winsilo.pid                      held while a Host has it open (pid-file.ts)
 *   blocks/                          the journaled block store: layer disks and sandboxes
 *   images/<hex>.json                one image (records.ts ImageRecord)
 *   layers/<hex>/hives/<NAME>        a layer's hives (serialised, src/kernel/registry)
 *   containers/<id>/config.json      one container (records.ts ContainerRecord)
 *   containers/<id>/hives/<NAME>     its sandbox's registry deltas, as of its last stop
 *   blobs/sha256/<hex>               content-addressed blobs (src/images/blobs.ts); only their
 *                                    `.tmp` debris is this file's business
 *
 * This file knows where things are and writes them durably, in the order
 * that keeps every document pointing at things that exist: disks are
 * flushed before a document names them, a layer's hives are complete before
 * an image names the layer, and a container's document goes before its
 * disk. What a crash leaves unreferenced (a disk no document names, a layer
 * folder no image names, `.tmp` files) is collected when the root opens.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { JournaledBlockStore } from '../kernel/storage/index.js';
import { parseHive, serialiseHive, type Hive } from '../kernel/registry/index.js';
import { HIVE_NAMES, type HiveName } from '../images/types.js';
import { TEMP_SUFFIX, removeTreeDurably, syncFolder, unlinkDurably, writeDurably } from './durable-files.js';
import { acquirePidFile, PID_FILE, type PidFileLock } from './pid-file.js';
import { parseContainerRecord, parseImageRecord, parseNetworksDocument, RECORD_VERSION, type ContainerRecord, type ImageRecord, type NetworkRecord } from './records.js';

const BLOCKS = 'blocks';
const IMAGES = 'images';
const LAYERS = 'layers';
const CONTAINERS = 'containers';
const HIVES = 'hives';
const CONFIG = 'config.json';
/** Content-addressed blobs (src/images/blobs.ts FolderBlobStore): each appears whole by a rename, so only `.tmp` debris is cleaned here. */
const BLOBS = 'blobs';
const NETWORKS = 'networks.json';
/**
 * A close takes a checkpoint when the journal is longer than this, so the
 * next open loads the checkpoint instead of replaying the journal: after a
 * pull of Server Core the journal holds 9 MB (every block written, some
 * twice), its checkpoint 3.4 MB. DECIDED (no Windows fact): 8 MiB.
 */
const CLOSE_CHECKPOINT_BYTES = 8 << 20;

export interface DataRootOptions {
  /** The block store's checkpoint threshold (tests make it small). */
  checkpointBytes?: number;
}

/** A document that could not be loaded, and why. */
export interface LoadProblem {
  path: string;
  reason: string;
}

export class DataRoot {
  /** The block store in `blocks/` (owned: closed by close()). */
  readonly blocks: JournaledBlockStore;
  private constructor(
    readonly path: string,
    private readonly lock: PidFileLock,
    blocks: JournaledBlockStore,
  ) {
    this.blocks = blocks;
  }

  /**
   * Opens (creating if needed) the data root at `path`: takes the pid file
   * (HostError 500 with dockerd's text if another Host holds it), then opens
   * the block store (NtStatusError STATUS_FILE_CORRUPT_ERROR if it is
   * damaged). The pid file is released again if anything fails.
   */
  static open(path: string, options: DataRootOptions = {}): DataRoot {
    makeFolder(path);
    const lock = acquirePidFile(join(path, PID_FILE));
    try {
      for (const f of [IMAGES, LAYERS, CONTAINERS]) makeFolder(join(path, f));
      removeTempFiles(join(path, BLOBS, 'sha256'));
      const blocks = JournaledBlockStore.open(join(path, BLOCKS), options.checkpointBytes !== undefined ? { checkpointBytes: options.checkpointBytes } : {});
      return new DataRoot(path, lock, blocks);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  // ---- images ------------------------------------------------------------------------

  /** Every image document; the ones that fail to load as problems. Removes `.tmp` debris. */
  readImages(): { records: ImageRecord[]; problems: LoadProblem[] } {
    const folder = join(this.path, IMAGES);
    const records: ImageRecord[] = [];
    const problems: LoadProblem[] = [];
    for (const name of readdirSync(folder).sort()) {
      const file = join(folder, name);
      if (name.endsWith(TEMP_SUFFIX)) {
        rmSync(file, { force: true });
        continue;
      }
      if (!/^[0-9a-f]{64}\.json$/.test(name)) continue;
      try {
        const r = parseImageRecord(readFileSync(file, 'utf8'));
        if (`${r.id.slice(7)}.json` !== name) throw new Error(`holds image ${r.id}`);
        records.push(r);
      } catch (e) {
        problems.push({ path: file, reason: messageOf(e) });
      }
    }
    return { records, problems };
  }

  /**
   * Writes an image: the hives of each of its layers not yet here (a layer
   * folder appears whole, by rename), the block store flushed (its layer
   * disks), then `images/<hex>.json`. Acknowledged when this returns.
   */
  writeImage(record: ImageRecord, layerHives: ReadonlyMap<string, Readonly<Partial<Record<HiveName, Hive>>>>): void {
    const layersFolder = join(this.path, LAYERS);
    let newLayers = false;
    for (const l of record.layers) {
      const folder = join(layersFolder, hexOf(l.diffId));
      if (existsSync(folder)) continue;
      const staging = folder + TEMP_SUFFIX;
      rmSync(staging, { recursive: true, force: true });
      const hivesFolder = join(staging, HIVES);
      mkdirSync(hivesFolder, { recursive: true });
      const hives = layerHives.get(l.diffId) ?? {};
      for (const name of l.hives) writeDurably(join(hivesFolder, name), serialiseHive(hives[name]!), { syncFolder: false });
      syncFolder(hivesFolder);
      syncFolder(staging);
      renameSync(staging, folder);
      newLayers = true;
    }
    if (newLayers) syncFolder(layersFolder);
    this.blocks.flush();
    writeDurably(join(this.path, IMAGES, `${hexOf(record.id)}.json`), JSON.stringify(record, null, 1));
  }

  /** A layer's hives, parsed (Win32Error ERROR_BADDB for a damaged file). */
  readLayerHives(diffId: string, names: readonly HiveName[]): Partial<Record<HiveName, Hive>> {
    const folder = join(this.path, LAYERS, hexOf(diffId), HIVES);
    const out: Partial<Record<HiveName, Hive>> = {};
    for (const name of names) out[name] = parseHive(readFileSync(join(folder, name)));
    return out;
  }

  // ---- containers --------------------------------------------------------------------

  /** Every container document; the ones that fail to load as problems. A folder without a document is debris (a removal cut short) and goes. */
  readContainers(): { records: ContainerRecord[]; problems: LoadProblem[] } {
    const folder = join(this.path, CONTAINERS);
    const records: ContainerRecord[] = [];
    const problems: LoadProblem[] = [];
    for (const id of readdirSync(folder).sort()) {
      const file = join(folder, id, CONFIG);
      if (!existsSync(file)) {
        removeTreeDurably(join(folder, id));
        continue;
      }
      rmSync(file + TEMP_SUFFIX, { force: true });
      removeTempFiles(join(folder, id, HIVES));
      try {
        const r = parseContainerRecord(readFileSync(file, 'utf8'));
        if (r.id !== id) throw new Error(`holds container ${r.id}`);
        records.push(r);
      } catch (e) {
        problems.push({ path: file, reason: messageOf(e) });
      }
    }
    return { records, problems };
  }

  /** Writes a container's document (its folder made at the first write). Acknowledged when this returns. */
  writeContainer(record: ContainerRecord): void {
    const folder = join(this.path, CONTAINERS, record.id);
    makeFolder(folder);
    writeDurably(join(folder, CONFIG), JSON.stringify(record, null, 1));
  }

  /** Writes a sandbox's registry deltas: a file per hive that holds anything, none for an empty one. */
  writeContainerHives(id: string, hives: Readonly<Record<HiveName, Hive>>): void {
    const folder = join(this.path, CONTAINERS, id, HIVES);
    makeFolder(folder);
    for (const name of HIVE_NAMES) {
      const file = join(folder, name);
      const root = hives[name].root;
      if (root.subkeys.size === 0 && root.values.size === 0) rmSync(file, { force: true });
      else writeDurably(file, serialiseHive(hives[name]), { syncFolder: false });
    }
    syncFolder(folder);
  }

  /** A container's registry deltas as last written (none: empty). */
  readContainerHives(id: string): Partial<Record<HiveName, Hive>> {
    const folder = join(this.path, CONTAINERS, id, HIVES);
    const out: Partial<Record<HiveName, Hive>> = {};
    if (!existsSync(folder)) return out;
    for (const name of HIVE_NAMES) {
      const file = join(folder, name);
      if (existsSync(file)) out[name] = parseHive(readFileSync(file));
    }
    return out;
  }

  /**
   * Forgets an image (`docker rmi`): its document goes; its layer folders
   * and disks, which nothing names then, go at the next open's collection.
   */
  removeImage(id: string): void {
    unlinkDurably(join(this.path, IMAGES, `${hexOf(id)}.json`));
  }

  /** Forgets a container: its document first (from then on it is gone, whatever else a crash leaves), then its folder. */
  removeContainer(id: string): void {
    const folder = join(this.path, CONTAINERS, id);
    unlinkDurably(join(folder, CONFIG));
    removeTreeDurably(folder);
  }

  // ---- networks ----------------------------------------------------------------------

  /** The user-defined networks as last written (none yet: empty); a damaged document is a problem, and no networks. */
  readNetworks(): { records: NetworkRecord[]; problems: LoadProblem[] } {
    const file = join(this.path, NETWORKS);
    rmSync(file + TEMP_SUFFIX, { force: true });
    if (!existsSync(file)) return { records: [], problems: [] };
    try {
      return { records: parseNetworksDocument(readFileSync(file, 'utf8')).networks, problems: [] };
    } catch (e) {
      return { records: [], problems: [{ path: file, reason: messageOf(e) }] };
    }
  }

  /** Writes the user-defined networks (the whole list; acknowledged on return). */
  writeNetworks(records: readonly NetworkRecord[]): void {
    writeDurably(join(this.path, NETWORKS), JSON.stringify({ version: RECORD_VERSION, networks: records }, null, 1));
  }

  // ---- collection and lifetime ---------------------------------------------------------

  /**
   * Deletes the disks and layer folders nothing names (what a crash left
   * behind, sandboxes of removed containers, programs layers of an earlier
   * session) and flushes. Returns how many of each went.
   */
  collect(keepDisks: ReadonlySet<number>, keepLayers: ReadonlySet<string>): { disks: number; layers: number } {
    let disks = 0;
    for (const d of this.blocks.diskIds()) {
      if (keepDisks.has(d)) continue;
      this.blocks.deleteDisk(d);
      disks++;
    }
    const folder = join(this.path, LAYERS);
    const keep = new Set([...keepLayers].map(hexOf));
    let layers = 0;
    for (const name of readdirSync(folder)) {
      if (keep.has(name)) continue;
      rmSync(join(folder, name), { recursive: true, force: true });
      layers++;
    }
    if (layers > 0) syncFolder(folder);
    this.blocks.flush();
    return { disks, layers };
  }

  /** Flushes the block store: every disk change so far is acknowledged when this returns. */
  flush(): void {
    this.blocks.flush();
  }

  /** Flushes (or checkpoints, past CLOSE_CHECKPOINT_BYTES of journal) and closes the block store, and releases the pid file. */
  close(): void {
    try {
      if (this.blocks.journalBytes > CLOSE_CHECKPOINT_BYTES) this.blocks.checkpoint();
      this.blocks.close();
    } finally {
      this.lock.release();
    }
  }
}

/** `sha256:<hex>` → `<hex>` (file names carry no colon: Windows hosts refuse it). */
function hexOf(digest: string): string {
  return digest.startsWith('sha256:') ? digest.slice(7) : digest;
}

/** mkdir -p that makes each new folder's name durable (the parent of each fsynced). */
function makeFolder(path: string): void {
  if (existsSync(path)) return;
  const first = mkdirSync(path, { recursive: true });
  if (first === undefined) return;
  for (let p = path; ; p = dirname(p)) {
    syncFolder(dirname(p));
    if (p === first || dirname(p) === p) break;
  }
}

/** Deletes the `.tmp` files a crash left in `folder` (writes cut short before their rename: durable-files.ts), if it exists. */
function removeTempFiles(folder: string): void {
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder)) if (name.endsWith(TEMP_SUFFIX)) rmSync(join(folder, name), { force: true });
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
