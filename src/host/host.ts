/**
 * The container engine: what moby's daemon does on a Windows host, in
 * process. A Host owns one kernel (silo 0), a block store, the image store
 * and the compute service; a container is a config until it starts, when
 * the compute service creates its compute system on the container's
 * sandbox (kept across stop/start until the container is removed, as moby
 * keeps the scratch layer) and runs the main process through CExecSvc.
 *
 * Validation follows moby's order: at create, the name, isolation and
 * resources (daemon/daemon_windows.go) and the image; at start, the
 * compute service's version compatibility (windows-facts §5), which is why
 * `docker create` of an incompatible image succeeds and its start fails.
 *
 * State lives in memory, or on a data root (data-root.ts; README.md "Data
 * root"): images, containers and their sandboxes come back when a Host
 * opens the root again, as dockerd's do after a restart.
 */
import { VolumeStore } from './volumes.js';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { WasmBlockStore, type BlockStore } from '../core/blocks/index.js';
import { NtStatusError } from '../core/errors.js';
import type { BasicAndIoAccountingInformation } from '../core/jobs/index.js';
import { InvalidIsolationError, resolveIsolation, type Isolation } from '../hcs/compat.js';
import { HcsError, HcsOp } from '../hcs/errors.js';
import { WINDOWS_RELEASES, parseOsVersion, type OsVersion } from '../hcs/versions.js';
import { ComputeService, MOBY_DEFAULT_SANDBOX_SIZE_BYTES, createSandbox, type ComputeSystem, type ComputeProcess, type ProcessParameters } from '../hcs/index.js';
import type { Sandbox } from '../hcs/sandbox.js';
import { restoreSandbox } from '../hcs/sandbox-restore.js';
import { ImageStore, type PullResult } from '../images/store.js';
import type { Image, ImageConfig, Layer } from '../images/types.js';
import { STATUS_SUCCESS, ntStatusName } from '../core/ntstatus.js';
import { BASE_IMAGES, RELEASES, imageReference, lookupBaseImage } from '../images/base/catalog.js';
import type { HiveName } from '../images/types.js';
import type { Hive } from '../kernel/registry/index.js';
import { Kernel, ProgramRegistry, argvToCommandLine, type Program } from '../kernel/process/index.js';
import { HostError } from './errors.js';
import { ERROR_ALREADY_EXISTS, Win32Error } from '../core/win32.js';
import { mountVolume, type NtfsVolume } from '../kernel/fs/index.js';
import { PE_AMD64 } from '../images/base/tree.js';
import { cryptoRandom, newContainerId, newContainerName, VALID_CONTAINER_NAME, type RandomSource } from './names.js';
import { InvalidResourcesError, applyDefaultLimits, ramInBytes, verifyWindowsResources, type ContainerResources } from './resources.js';
import type { BindMount, ContainerCreateOptions, ContainerHandle, ContainerStatus, ExecOptions, HostApi, HostEvent, HostOptions, ImageDeleteRecord, ImageSummary, NetworkAttachment, ProcessIo } from './types.js';
import { DataRoot, type LoadProblem } from './data-root.js';
import { RECORD_VERSION, type ContainerRecord, type ImageRecord, type SandboxRecord } from './records.js';
import { registerShell } from '../shell/index.js';
// Issue 9, image formats: commit, save/load, push/pull through a registry (src/images).
import { join as joinPath } from 'node:path';
import { FolderBlobStore, MemoryBlobStore, leasedPuts, type BlobStore } from '../images/blobs.js';
import { CommitChangeError, commitContainer } from '../images/commit.js';
import { loadImages, saveImages, type SaveItem } from '../images/archive.js';
import { knownLayerBlob, recallLayerBlob, recordLayerBlobs } from '../images/oci.js';
import { existingLayerCompressor, layerCompressor } from '../images/registry/layer-compressor.js';
import { pullImage, pushImage, type ClientOptions } from '../images/registry/client.js';
import type { BuildOptions, BuildOutput } from '../images/build/builder.js';
import type { BuildCache } from '../images/build/cache.js';
import type { BuildContext } from '../images/build/context.js';
import { NetworkController, NetworkError, parsePortBindings, type ContainerStack, type PublishedPort } from '../net/index.js';

/** Seconds docker waits after CTRL_SHUTDOWN before terminating (`docker stop` default). */
const DEFAULT_STOP_SECONDS = 10;

/**
 * The exit code of a container that was running when its host went away
 * without stopping it (kill -9, power loss): moby's restore finds no task
 * for it and marks it stopped with 255 (daemon/daemon.go restore:
 * `ces.ExitCode = 255` when the task has no exit status).
 */
export const EXIT_CODE_HOST_LOST = 255;

export interface HostInternals {
  /** Inject a seeded random source for container ids and names (tests). */
  random?: RandomSource;
  /** The data root's block store checkpoint threshold (tests make it small to cover checkpoints). */
  checkpointBytes?: number;
}

export class Host implements HostApi {
  readonly kernel: Kernel;
  readonly blocks: BlockStore;
  readonly imageStore: ImageStore;
  readonly compute: ComputeService;
  /** Programs every container sees (chained under the kernel's). */
  readonly programs: ProgramRegistry;
  private readonly imagePrograms = new Map<string, ProgramRegistry>();
  private readonly byId = new Map<string, Container>();
  private readonly names = new Map<string, Container>();
  /** Per image: its layers plus a layer holding the registered programs' files, and the registration generation it was built for. */
  private readonly programLayers = new Map<string, { generation: number; image: Image }>();
  private programGeneration = 0;
  private readonly listeners = new Set<(e: HostEvent) => void>();
  readonly clock: () => number;
  readonly cpuCount: number;
  /** Host memory in bytes (HostOptions.memoryBytes; `docker info`'s Total Memory). */
  readonly memoryBytes: number;
  private readonly random: RandomSource;
  private closed = false;
  /** The data root this host keeps its state in (undefined: in memory). Owned: closed by close(). */
  private readonly root: DataRoot | undefined;
  /**
   * Documents of the data root that could not be loaded at open, and why
   * (moby logs "failed to load container" and goes on; so does the Host).
   * Empty for a healthy root and in memory.
   */
  readonly loadProblems: LoadProblem[] = [];

  /**
   * Opens a host: in memory, or on `options.dataRoot` (created if missing,
   * reopened with its images and containers otherwise; README.md "Data
   * root"). A data root another Host holds is refused with dockerd's
   * pid-file message (HostError 500); a damaged block store with its
   * STATUS_FILE_CORRUPT_ERROR text.
   */
  static async open(options: HostOptions = {}, internals: HostInternals = {}): Promise<Host> {
    if (options.dataRoot === undefined) return new Host(options, internals, undefined);
    if (typeof options.dataRoot !== 'string' || options.dataRoot === '') throw new HostError(400, 'the data root must be a folder path');
    let root: DataRoot;
    try {
      root = DataRoot.open(resolve(options.dataRoot), internals.checkpointBytes !== undefined ? { checkpointBytes: internals.checkpointBytes } : {});
    } catch (e) {
      throw storageError(e);
    }
    let host: Host | undefined;
    try {
      host = new Host(options, internals, root);
      await host.restore();
      return host;
    } catch (e) {
      if (host) {
        host.closed = true;
        host.compute.close?.();
      }
      root.close();
      throw storageError(e);
    }
  }

  private constructor(options: HostOptions, internals: HostInternals, root: DataRoot | undefined) {
    const build = options.hostBuild ?? 20348;
    if (!WINDOWS_RELEASES.some((r) => r.build === build)) throw new HostError(400, `unknown Windows build ${build}`);
    // The host runs the same monthly update as the catalogue's images of its release (UBR), else its RTM.
    const sameRelease = RELEASES[build] ? lookupBaseImage(`mcr.microsoft.com/windows/servercore:${RELEASES[build]!.ltscTag}`) : undefined;
    const revision = sameRelease ? parseOsVersion(sameRelease.osVersion)!.revision : 1;
    this.clock = options.clock ?? Date.now;
    this.cpuCount = options.cpuCount ?? 4;
    this.memoryBytes = options.memoryBytes ?? 16 * 2 ** 30;
    this.random = internals.random ?? cryptoRandom;
    this.kernel = new Kernel({ clock: this.clock, cpuCount: this.cpuCount });
    // The shell's programs (cmd.exe, reg.exe, powershell.exe, …) are the machine's: every silo and utility VM sees them.
    registerShell(this.kernel.programs);
    this.programs = new ProgramRegistry(this.kernel.programs);
    this.root = root;
    this.blocks = root ? root.blocks : new WasmBlockStore();
    this.compute = new ComputeService({ kernel: this.kernel, store: this.blocks, hostBuild: build, hostRevision: revision, sku: options.sku ?? 'server', clock: this.clock });
    this.imageStore = new ImageStore(this.blocks, this.hostVersion);
  }

  private _volumes: VolumeStore | undefined = undefined;
  /** The host's volumes (local driver): the data root's `volumes/`, or a temporary folder in memory. */
  get volumes(): VolumeStore {
    return (this._volumes ??= new VolumeStore(this.root ? joinPath(this.root.path, 'volumes') : undefined, this.clock));
  }

  /**
   * A create's volume mounts made real (moby createContainerOSSpecificSettings):
   * each named volume made when missing, an anonymous one for a
   * destination-only mount and for each image VOLUME (and Config.Volumes
   * destination) no mount covers; each
   * then mounted as a bind of its folder. A `volume create` event for each made.
   */
  private mountVolumes(binds: readonly BindMount[], anonymous: readonly string[]): BindMount[] {
    const out: BindMount[] = [];
    const make = (name: string): string => {
      const { volume, created } = this.volumes.create({ name });
      if (created) this.emit('volume', 'create', volume.Name, { driver: 'local' });
      return volume.Name;
    };
    for (const b of binds) {
      if (b.volume === undefined) {
        out.push(b);
        continue;
      }
      const name = make(b.volume);
      out.push({ ...b, volume: name, hostPath: this.volumes.dataPath(name) });
    }
    for (const dest of anonymous) {
      let target = dest.toLowerCase().replace(/\//g, '\\');
      if (target.length > 3 && target.endsWith('\\')) target = target.slice(0, -1);
      if (out.some((b) => b.containerPath === target)) continue;
      const name = make('');
      out.push({ hostPath: this.volumes.dataPath(name), containerPath: target, readOnly: false, volume: name });
    }
    return out;
  }

  /** The containers (any state) that mount the volume, by id. */
  volumeUsers(name: string): string[] {
    return [...this.byId.values()].filter((c) => (c.options.binds ?? []).some((b) => b.volume === name)).map((c) => c.id);
  }

  /** `docker volume rm`: 409 while a container mounts it, as moby's service. */
  removeVolume(name: string, force = false): void {
    if (!this.volumes.get(name)) {
      if (force) return;
      throw new HostError(404, `get ${name}: no such volume`);
    }
    const users = this.volumeUsers(name);
    if (users.length > 0) throw new HostError(409, `remove ${name}: volume is in use - [${users.join(', ')}]`);
    this.volumes.remove(name);
    this.emit('volume', 'destroy', name, { driver: 'local' });
  }

  private _network: NetworkController | undefined = undefined;
  /** The host's networks (src/net): nat, none and user-defined ones, running containers' endpoints and published ports. */
  get network(): NetworkController {
    return (this._network ??= this.openNetworks());
  }

  /** The controller, with the data root's user-defined networks back (ids, subnets, options) and kept there at each change. */
  private openNetworks(): NetworkController {
    const controller = new NetworkController('winsilo', this.clock);
    const root = this.root;
    if (root) {
      const { records, problems } = root.readNetworks();
      this.loadProblems.push(...problems);
      for (const p of controller.restore(records)) this.loadProblems.push({ path: `networks.json (${p.name})`, reason: p.reason });
      controller.onChange = (networks) => {
        if (!this.closed) root.writeNetworks(networks);
      };
    }
    return controller;
  }

  /** The host's Windows version (the compute service's, which checks compatibility against it). */
  get hostVersion(): OsVersion {
    return this.compute.hostVersion;
  }

  /** Process on a server SKU, hyperv on a client (the compute service's default). */
  get defaultIsolation(): Isolation {
    return this.compute.defaultIsolation;
  }

  // ---- images ---------------------------------------------------------------------

  images(): ImageSummary[] {
    return this.imageStore.list().map((i) => imageSummary(i));
  }

  async pull(reference: string): Promise<ImageSummary> {
    return imageSummary(this.pullWithLayers(reference).image);
  }

  /**
   * The image store's pull with its per-layer detail (for `winsilo run`'s
   * progress lines). On a data root the image (its layer disks, hives and
   * document) is acknowledged when this returns.
   */
  pullWithLayers(reference: string): PullResult {
    this.checkOpen();
    const r = this.imageStore.pull(reference);
    if (r.downloaded) {
      this.keepImage(r.image);
      this.emit('image', 'pull', reference, { name: reference });
    }
    return r;
  }

  image(reference: string): Image | undefined {
    return this.imageStore.resolve(reference);
  }

  /**
   * `docker tag SOURCE TARGET`: `repoTag` (`repository:tag`, familiar form)
   * now names the image `reference` names, and no other image (a tag
   * moves, as docker's does). 404 `No such image: <reference>`. On a data
   * root both images' documents are rewritten. Emits `tag`.
   */
  tagImage(reference: string, repoTag: string): Image {
    this.checkOpen();
    const image = this.imageStore.resolve(reference);
    if (!image) throw new HostError(404, `No such image: ${familiar(reference)}`);
    // The image gaining the tag is written first: a crash before the others are rewritten leaves the
    // tag on both documents, and the restore keeps it on the one written last (ImageRecord.written) —
    // the move is then complete, never lost as it would be the other way round.
    if (!image.repoTags.includes(repoTag)) image.repoTags.push(repoTag);
    this.keepImage(image);
    for (const other of this.imageStore.list()) {
      if (other === image || !other.repoTags.includes(repoTag)) continue;
      other.repoTags = other.repoTags.filter((t) => t !== repoTag);
      this.keepImage(other);
    }
    this.emit('image', 'tag', image.id, { name: repoTag });
    return image;
  }

  /**
   * `docker rmi` of one of several tags: the tag goes (`untag` event), the
   * image stays. Removing an image's last name (deleting its layers) is not
   * done yet: 409 with docker's "must force" text when a container uses it,
   * else 500.
   */
  untagImage(reference: string): { Untagged: string }[] {
    this.checkOpen();
    const image = this.imageStore.resolve(reference);
    if (!image) throw new HostError(404, `No such image: ${familiar(reference)}`);
    const tag = image.repoTags.find((t) => t === familiar(reference));
    if (tag === undefined || image.repoTags.length < 2) {
      const user = [...this.byId.values()].find((c) => c.imageRecord.id === image.id);
      if (user) throw new HostError(409, `conflict: unable to remove repository reference "${reference}" (must force) - container ${user.id.slice(0, 12)} is using its referenced image ${image.id.slice(7, 19)}`);
      throw new HostError(500, `removing the last reference of image ${image.id.slice(7, 19)} is not supported yet`);
    }
    image.repoTags = image.repoTags.filter((t) => t !== tag);
    this.keepImage(image);
    this.emit('image', 'untag', image.id, { name: tag });
    return [{ Untagged: tag }];
  }

  /**
   * `docker rmi [-f] REF` as moby's ImageDelete (daemon/images/image_delete.go):
   *
   * - REF a name: a container using the image refuses removing its only name
   *   without force (409 "unable to remove repository reference … (must
   *   force)"); the name goes (`untag`); when it was the last one, the image
   *   is deleted quietly: a conflict then keeps it (dangling) and is not
   *   reported, unless nothing uses it.
   * - REF an id (prefix): with at most one name, a running container (any
   *   container without force) or a child image is a conflict; else the
   *   names go, then the image is deleted.
   * - Conflicts (409 "conflict: unable to delete <id> (cannot be forced) -
   *   image has dependent child images" / "… image is being used by running
   *   container <id>" / "(must be forced) - image is being used by stopped
   *   container <id>" / "… image is referenced in multiple repositories"):
   *   a child image (a later build step on it, Image.parent) and a running
   *   container are hard (no force overrides them), names and stopped
   *   containers are soft (force overrides them).
   * - `prune` (the API's `noprune=false`, the CLI's default; moby
   *   PruneChildren): once the image is deleted, its parent is deleted too
   *   when nothing else holds it — no name, no container, no other child —
   *   and so on up the chain, quietly (imageDeleteHelper on the parent).
   *
   * Deleting emits `delete`; the records are moby's: `Untagged` names, then
   * `Deleted` the image id and the chain id of each layer no other image has
   * (their disks are freed when no container still uses the image; on a
   * data root its document goes and the layers are collected at next open —
   * DECIDED: an image force-deleted while a stopped container uses it keeps
   * its document untagged, as the container cannot load without it), then
   * the same for each parent deleted.
   */
  deleteImage(reference: string, options: { force?: boolean; prune?: boolean } = {}): ImageDeleteRecord[] {
    this.checkOpen();
    const force = options.force === true;
    const prune = options.prune !== false;
    const image = this.imageStore.resolve(reference);
    if (!image) throw new HostError(404, `No such image: ${familiar(reference)}`);
    const hex = image.id.slice(7);
    const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
    const users = [...this.byId.values()].filter((c) => c.imageRecord.id === image.id);
    const records: ImageDeleteRecord[] = [];

    let quiet = false;
    const typedHex = reference.replace(/^sha256:/, '');
    const byId = /^[0-9a-f]+$/.test(typedHex) && hex.startsWith(typedHex);
    if (!byId) {
      const tag = familiar(reference);
      if (!force && image.repoTags.length === 1 && users.length > 0) {
        throw new HostError(409, `conflict: unable to remove repository reference "${reference}" (must force) - container ${short(users[0]!.id)} is using its referenced image ${hex.slice(0, 12)}`);
      }
      image.repoTags = image.repoTags.filter((t) => t !== tag);
      this.emit('image', 'untag', image.id, { name: image.id });
      records.push({ Untagged: tag });
      if (image.repoTags.length > 0) {
        this.keepImage(image);
        return records;
      }
      quiet = true;
    } else if (image.repoTags.length <= 1) {
      const c = this.imageDeleteConflict(image, { hard: true, stopped: !force, names: false });
      if (c) throw c.error;
      for (const t of [...image.repoTags]) {
        image.repoTags = image.repoTags.filter((x) => x !== t);
        this.emit('image', 'untag', image.id, { name: image.id });
        records.push({ Untagged: t });
      }
    }
    this.imageDeleteHelper(image, records, force, prune, quiet);
    return records;
  }

  /** moby checkImageDeleteConflict: child images, then running containers (hard), then names, then stopped containers (soft). */
  private imageDeleteConflict(image: Image, mask: { hard: boolean; stopped: boolean; names: boolean }): { error: HostError; used: boolean } | undefined {
    const hex = image.id.slice(7);
    const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
    const say = (message: string, isHard: boolean) => new HostError(409, `conflict: unable to delete ${hex.slice(0, 12)} (${isHard ? 'cannot be forced' : 'must be forced'}) - ${message}`);
    const users = [...this.byId.values()].filter((c) => c.imageRecord.id === image.id);
    const isRunning = (c: Container): boolean => c.status === 'running' || c.status === 'paused';
    if (mask.hard && this.imageStore.list().some((i) => i.parent === image.id)) return { error: say('image has dependent child images', true), used: false };
    const r = mask.hard ? users.find(isRunning) : undefined;
    if (r) return { error: say(`image is being used by running container ${short(r.id)}`, true), used: true };
    if (mask.names && image.repoTags.length > 0) return { error: say('image is referenced in multiple repositories', false), used: false };
    const s = mask.stopped ? users.find((c) => !isRunning(c)) : undefined;
    if (s) return { error: say(`image is being used by stopped container ${short(s.id)}`, false), used: true };
    return undefined;
  }

  /**
   * moby imageDeleteHelper: the image goes unless a conflict holds it (a
   * quiet call keeps a named, parent or used image without a word); then,
   * with `prune`, its parent the same way, quietly and without force.
   */
  private imageDeleteHelper(image: Image, records: ImageDeleteRecord[], force: boolean, prune: boolean, quiet: boolean): void {
    const c = this.imageDeleteConflict(image, { hard: true, stopped: !force, names: !force });
    if (c) {
      // Names already removed stay removed.
      this.keepImage(image);
      const dangling = image.repoTags.length === 0 && !this.imageStore.list().some((i) => i.parent === image.id);
      if (quiet && (!dangling || c.used)) return;
      throw c.error;
    }
    const parent = image.parent !== undefined ? this.imageStore.list().find((i) => i.id === image.parent) : undefined;
    for (const t of [...image.repoTags]) {
      image.repoTags = image.repoTags.filter((x) => x !== t);
      this.emit('image', 'untag', image.id, { name: image.id });
      records.push({ Untagged: t });
    }
    const users = [...this.byId.values()].filter((x) => x.imageRecord.id === image.id);
    const released = this.imageStore.remove(image.id);
    this.programLayers.delete(image.id);
    if (users.length === 0) {
      // Their background compressions stop before their disks go (src/images/registry/layer-compressor.ts).
      if (this.blobStore) existingLayerCompressor(this.blobStore)?.cancel(released);
      // A layer another container's image still stands on stays (moby's layer store counts the containers' references too).
      const standing = new Set([...this.byId.values()].flatMap((x) => x.imageRecord.layers));
      for (const l of released) {
        if (standing.has(l)) continue;
        // A layer an in-flight pull or load builds on keeps its disk until that ends (Host.holdingLayers).
        if (this.layersInFlight.has(l)) this.layersReleasedInFlight.add(l);
        else this.blocks.deleteDisk(l.disk);
      }
      this.root?.removeImage(image.id);
      this.root?.flush();
      this.collectBlobs();
    } else this.keepImage(image, true);
    this.emit('image', 'delete', image.id, { name: image.id });
    records.push({ Deleted: image.id });
    const chains = chainIds(image);
    for (let i = image.layers.length - 1; i >= 0; i--) if (released.includes(image.layers[i]!)) records.push({ Deleted: chains[i]! });
    if (prune && parent) this.imageDeleteHelper(parent, records, false, true, true);
  }

  /**
   * `docker image prune [-a]` as moby's ImagesPrune: the images without
   * children (every image with -a), less the nameless ones that have
   * children (a build's intermediate steps) and those `keep` spares
   * (`until` / `label` filters); each is deleted as `rmi` without force
   * and with its parents pruned — by each of its names when it has any
   * (only with -a: a tagged image is not dangling), else by its id — and a
   * conflict skips it. The space reclaimed is the size of every layer a
   * `Deleted` record names (moby sums the deleted chain ids' diff sizes).
   * Emits `prune`.
   */
  pruneImages(options: { all?: boolean; keep?: (image: Image) => boolean } = {}): { deleted: ImageDeleteRecord[]; reclaimed: number } {
    this.checkOpen();
    const sizes = new Map<string, number>();
    for (const image of this.imageStore.list()) {
      const chains = chainIds(image);
      image.layers.forEach((l, i) => sizes.set(chains[i]!, l.size));
    }
    const hasChildren = (image: Image): boolean => this.imageStore.list().some((i) => i.parent === image.id);
    const candidates = this.imageStore.list().filter((image) => (options.all || !hasChildren(image)) && !(image.repoTags.length === 0 && hasChildren(image)) && !options.keep?.(image));
    const deleted: ImageDeleteRecord[] = [];
    for (const image of candidates) {
      // Deleted already, as the parent of one before it.
      if (!this.imageStore.list().includes(image)) continue;
      const attempt = (ref: string): ImageDeleteRecord[] => {
        try {
          return this.deleteImage(ref, { prune: true });
        } catch (e) {
          // moby imageDeleteFailed: a conflict (or anything else) skips the image.
          if (e instanceof HostError) return [];
          throw e;
        }
      };
      if (image.repoTags.length > 0) {
        if (!options.all) continue;
        for (const t of [...image.repoTags]) deleted.push(...attempt(t));
      } else deleted.push(...attempt(image.id.slice(7)));
    }
    let reclaimed = 0;
    for (const r of deleted) if (r.Deleted !== undefined) reclaimed += sizes.get(r.Deleted) ?? 0;
    this.emit('image', 'prune', '', { reclaimed: String(reclaimed) });
    return { deleted, reclaimed };
  }

  // ---- programs and events --------------------------------------------------------

  registerProgram(path: string, program: Program, scope: { images?: string[]; containers?: string[] } = {}): void {
    if (scope.containers) {
      // Resolve every name first, so a bad one registers nothing.
      const targets = scope.containers.map((ref) => {
        const c = this.container(ref);
        if (!c) throw new HostError(404, `No such container: ${ref}`);
        return c;
      });
      for (const c of targets) c.registerProgram(path, program);
      if (!scope.images) return;
    }
    this.programGeneration++;
    if (!scope.images) {
      this.programs.register(path, program);
      return;
    }
    for (const ref of scope.images) {
      const image = this.imageStore.resolve(ref);
      if (!image) throw new HostError(404, `No such image: ${ref}`);
      let reg = this.imagePrograms.get(image.id);
      if (!reg) this.imagePrograms.set(image.id, (reg = new ProgramRegistry(this.programs)));
      reg.register(path, program);
    }
  }

  /**
   * @internal The image a container's sandbox is made from: `image` itself,
   * or — when the embedder registered programs — `image` with one more
   * layer holding their files, built once per image and registration
   * generation, so each container's sandbox is still one O(1) clone.
   */
  imageForContainer(image: Image): Image {
    if (this.programGeneration === 0) return image;
    const cached = this.programLayers.get(image.id);
    if (cached && cached.generation === this.programGeneration) return cached.image;
    const top = image.layers[image.layers.length - 1]!;
    const r = this.blocks.clone(top.disk);
    if (r.status !== STATUS_SUCCESS) throw new HostError(500, `programs layer: ${ntStatusName(r.status)}`);
    this.installPrograms(mountVolume(this.blocks, r.disk, { clock: () => Date.parse(image.created) }), this.programsFor(image), this.kernel.programs);
    this.blocks.snapshot(r.disk);
    const derived = withProgramsLayer(image, `programs@${this.programGeneration}`, r.disk);
    if (cached) {
      // The previous programs layer goes unless a container's sandbox was cloned from it (its base for `docker diff`; a data root keeps it too).
      const old = cached.image.layers[cached.image.layers.length - 1]!.disk;
      if (![...this.byId.values()].some((c) => c.baseDisk === old)) this.blocks.deleteDisk(old);
    }
    this.programLayers.set(image.id, { generation: this.programGeneration, image: derived });
    return derived;
  }

  /**
   * @internal Puts a file at each path the embedder registered a program
   * for (a PE image, as the image's own programs are), where the
   * container's C: has none — so `dir`, `where` and CreateProcess's search
   * find it like any program on the disk. Written into the sandbox: the
   * image is untouched.
   */
  installPrograms(volume: NtfsVolume, from: ProgramRegistry, stopAt: ProgramRegistry): void {
    for (let r: ProgramRegistry | undefined = from; r && r !== stopAt; r = r.parent) {
      for (const path of r.ownPaths()) {
        if (!/^C:\\/i.test(path)) continue;
        const at = path.slice(2);
        try {
          volume.stat(at);
          continue;
        } catch (e) {
          if (!(e instanceof Win32Error)) throw e;
        }
        const dirs = at.split('\\').slice(1, -1);
        for (let i = 1; i <= dirs.length; i++) {
          const dir = `\\${dirs.slice(0, i).join('\\')}`;
          try {
            volume.createDirectory(dir);
          } catch (e) {
            if (!(e instanceof Win32Error && e.code === ERROR_ALREADY_EXISTS)) throw e;
          }
        }
        const h = volume.open(at, { disposition: 'create', write: true, nonDirectory: true });
        try {
          h.write(0, PE_AMD64);
        } finally {
          h.close();
        }
      }
    }
  }

  /** @internal the programs a container of `image` runs */
  programsFor(image: Image): ProgramRegistry {
    return this.imagePrograms.get(image.id) ?? this.programs;
  }

  onEvent(listener: (e: HostEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal */
  emit(type: HostEvent['Type'], action: string, id: string, attributes: Record<string, string>): void {
    const ms = this.clock();
    const e: HostEvent = { Type: type, Action: action, Actor: { ID: id, Attributes: attributes }, time: Math.floor(ms / 1000), timeNano: Math.round(ms * 1e6) };
    for (const l of this.listeners) l(e);
  }

  // ---- containers -----------------------------------------------------------------

  async createContainer(o: ContainerCreateOptions): Promise<ContainerHandle> {
    this.checkOpen();
    // moby's order (daemon/create.go): the settings, then the image, then the name.
    let isolation: Isolation;
    try {
      isolation = resolveIsolation(o.isolation, this.defaultIsolation);
    } catch (e) {
      if (e instanceof InvalidIsolationError) throw new HostError(400, e.message);
      throw e;
    }
    const resources: ContainerResources = { Memory: o.memory ?? 0, CpuCount: o.cpuCount ?? 0, CpuPercent: o.cpuPercent ?? 0, CpuShares: o.cpuShares ?? 0 };
    let warnings: string[];
    try {
      warnings = verifyWindowsResources(resources, isolation === 'hyperv', this.cpuCount);
    } catch (e) {
      if (e instanceof InvalidResourcesError) throw new HostError(400, e.message);
      throw e;
    }
    const image = this.imageStore.resolve(o.image);
    if (!image) throw new HostError(404, `No such image: ${familiar(o.image)}`);
    if (o.name !== undefined && !VALID_CONTAINER_NAME.test(o.name)) throw new HostError(400, `Invalid container name (${o.name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    const name = o.name?.replace(/^\//, '') ?? newContainerName(this.random, (n) => this.byName(n) !== undefined);
    const clash = this.byName(name);
    if (clash) throw new HostError(409, `Conflict. The container name "/${name}" is already in use by container "${clash.id}". You have to remove (or rename) that container to be able to reuse that name.`);
    // The scratch layer's options are parsed when moby creates it (daemon/create.go CreateLayer → windowsfilter parseStorageOpt), after the name.
    sandboxSizeBytes(o.storageOpt);
    const mounted = this.mountVolumes(o.binds ?? [], [...Object.keys(image.config.Volumes ?? {}), ...(o.volumes ?? [])]);
    if (mounted.length > 0) o = { ...o, binds: mounted };
    // `--entrypoint ""` resets the image's entrypoint (moby mergeAndVerifyConfig), and with it its Cmd.
    const resetEntrypoint = o.entrypoint !== undefined && o.entrypoint.length === 1 && o.entrypoint[0] === '';
    const entrypoint = resetEntrypoint ? [] : (o.entrypoint ?? image.config.Entrypoint ?? []);
    const cmd = o.cmd ?? (o.entrypoint ? [] : (image.config.Cmd ?? []));
    const argv = [...entrypoint, ...cmd];
    if (argv.length === 0) throw new HostError(400, 'no command specified');
    const c = new Container(this, newContainerId(this.random), name, o, image, isolation, resources, argv, warnings, this.clock());
    this.byId.set(c.id, c);
    this.names.set(c.name, c);
    try {
      this.keepContainer(c);
    } catch (e) {
      this.forget(c);
      throw storageError(e);
    }
    this.emit('container', 'create', c.id, { image: o.image, name });
    return c;
  }

  container(idOrName: string): Container | undefined {
    const byName = this.byName(idOrName.replace(/^\//, ''));
    if (byName) return byName;
    const full = this.byId.get(idOrName);
    if (full) return full;
    const matches = [...this.byId.values()].filter((c) => c.id.startsWith(idOrName));
    return matches.length === 1 ? matches[0] : undefined;
  }

  containers(options: { all?: boolean } = {}): Container[] {
    const all = [...this.byId.values()];
    return options.all ? all : all.filter((c) => c.status === 'running' || c.status === 'paused');
  }

  /**
   * `docker rename` (moby daemon/rename.go): the new name's syntax, not the
   * same name, not in use (409, create's conflict text); the document is
   * rewritten and a `rename` event (oldName) emitted.
   */
  rename(idOrName: string, newName: string): void {
    this.checkOpen();
    const c = this.container(idOrName);
    if (!c) throw new HostError(404, `No such container: ${idOrName}`);
    if (newName === '') throw new HostError(400, 'Neither old nor new names may be empty');
    if (!VALID_CONTAINER_NAME.test(newName)) throw new HostError(400, `Invalid container name (${newName}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    const name = newName.replace(/^\//, '');
    if (name === c.name) throw new HostError(400, 'Renaming a container with the same name as its current name');
    const clash = this.byName(name);
    if (clash) throw new HostError(409, `Conflict. The container name "/${name}" is already in use by container "${clash.id}". You have to remove (or rename) that container to be able to reuse that name.`);
    const old = c.name;
    this.names.delete(old);
    c.name = name;
    this.names.set(name, c);
    try {
      this.keepContainer(c);
    } catch (e) {
      throw storageError(e);
    }
    this.emit('container', 'rename', c.id, { image: c.image, name, oldName: `/${old}` });
  }

  /** @internal */
  forget(c: Container): void {
    this.byId.delete(c.id);
    this.names.delete(c.name);
  }

  /**
   * Closes the host. In memory, every container goes (nothing could find
   * it again). On a data root, as dockerd shuts down: each running
   * container is stopped (CTRL_SHUTDOWN, then terminated after the stop
   * timeout) and kept, exited, with its sandbox; then the block store is
   * flushed and closed and the pid file released.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Background layer compressions stop reading the block store that closes below.
    const compressor = this.blobStore ? existingLayerCompressor(this.blobStore) : undefined;
    compressor?.cancelAll();
    await compressor?.settled();
    try {
      await this._network?.close();
    } catch {
      // listeners already gone
    }
    if (!this.root) {
      for (const c of [...this.byId.values()]) await c.remove({ force: true });
      this.compute.close?.();
      this._volumes?.close();
      return;
    }
    try {
      await Promise.all([...this.byId.values()].map((c) => c.stop(DEFAULT_STOP_SECONDS)));
      this.compute.close?.();
    } finally {
      this.root.close();
    }
  }

  // ---- the data root ----------------------------------------------------------------

  /**
   * Writes an image's document to the data root (acknowledged on return).
   * `hidden`: deleted (`rmi -f`) while a stopped container uses it — kept
   * for that container only, not listed (records.ts ImageRecord.hidden).
   */
  private keepImage(image: Image, hidden = false): void {
    if (!this.root) return;
    const keys = this.imageStore.cacheKeys(image);
    const record: ImageRecord = {
      version: RECORD_VERSION,
      id: image.id,
      repoTags: [...image.repoTags],
      created: image.created,
      osVersion: image.osVersion,
      config: image.config,
      flavor: image.flavor,
      defaultUser: image.defaultUser,
      base: imageReference(image.base),
      layers: image.layers.map((l, i) => ({
        diffId: l.diffId,
        disk: l.disk,
        size: l.size,
        foreign: l.foreign,
        createdBy: l.createdBy,
        created: l.created,
        hives: (Object.keys(l.hives) as HiveName[]).filter((n) => l.hives[n] !== undefined),
        cacheKey: keys[i] ?? null,
      })),
      ...(image.repoDigests && image.repoDigests.length > 0 ? { repoDigests: [...image.repoDigests] } : {}),
      ...(image.parent ? { parent: image.parent } : {}),
      ...(hidden ? { hidden: true } : {}),
      written: this.writeStamp(),
    };
    try {
      this.root.writeImage(record, new Map(image.layers.map((l) => [l.diffId, l.hives])));
    } catch (e) {
      throw storageError(e);
    }
  }

  private lastWritten = 0;
  /** A document's `written` stamp: the clock's ms, strictly increasing within this host. */
  private writeStamp(): number {
    this.lastWritten = Math.max(this.clock(), this.lastWritten + 1);
    return this.lastWritten;
  }

  /**
   * Whether a container's state is worth keeping on the data root. Not an
   * auto-remove (`--rm`) container's: a daemon that restarts removes every
   * such container it finds, running at the crash or never started (moby
   * daemon/daemon.go restore: AutoRemove → removeContainers), so its
   * document and sandbox would only be written to be deleted — and their
   * fsyncs are most of what a data root adds to `winsilo run -it --rm`'s
   * first prompt (issue 7). Without a document its disk is collected at the
   * next open as any disk no document names.
   */
  private keepsState(c: Container): boolean {
    return this.root !== undefined && c.options.autoRemove !== true;
  }

  /** @internal Writes a container's document (acknowledged on return). */
  keepContainer(c: Container): void {
    if (this.keepsState(c)) this.root!.writeContainer(c.record());
  }

  /**
   * @internal A container's sandbox changed hands (started, or stopped):
   * its registry deltas when stopped, the block store flushed (the sandbox
   * disk's writes), then its document — acknowledged on return.
   */
  keepSandbox(c: Container, hives: Readonly<Record<HiveName, Hive>> | undefined): void {
    const root = this.root;
    if (!root || !this.keepsState(c)) return;
    try {
      if (hives) root.writeContainerHives(c.id, hives);
      root.flush();
      root.writeContainer(c.record());
    } catch (e) {
      throw storageError(e);
    }
  }

  /** @internal Forgets a removed container: its document first, then (the caller deletes the disk) the flush that frees its sandbox. */
  dropContainer(c: Container): void {
    this.root?.removeContainer(c.id);
  }

  /** @internal Makes the block store's changes durable (no-op in memory). */
  flushBlocks(): void {
    // After close the store is closed too (an exec ending during close has nothing left to flush: close flushed).
    if (!this.closed) this.root?.flush();
  }

  /**
   * @internal A new sandbox for a container that never started: one clone
   * of its image's (programs) top layer with its own programs' files, its
   * document written (acknowledged on return) so a reopened host keeps it.
   */
  newSandbox(c: Container, sizeBytes: number): Sandbox {
    const sandbox = createSandbox(this.blocks, this.imageForContainer(c.imageRecord), c.id, sizeBytes, this.clock);
    this.installPrograms(sandbox.volume, c.programs, this.programsFor(c.imageRecord));
    return sandbox;
  }

  /** @internal The kept sandbox of a container, rebuilt (its disk, its image with its programs layer, its registry deltas). */
  reopenSandbox(c: Container, kept: SandboxRecord): Sandbox {
    const image = kept.programsLayer ? withProgramsLayer(c.imageRecord, kept.programsLayer.diffId, kept.programsLayer.disk) : c.imageRecord;
    let hives: Partial<Record<HiveName, Hive>> = {};
    try {
      if (this.root) hives = this.root.readContainerHives(c.id);
    } catch (e) {
      // A damaged delta file (ERROR_BADDB, "The configuration registry database is corrupt.") fails the create, as a scratch layer Windows cannot load does.
      if (e instanceof Win32Error) throw new HcsError(HcsOp.CreateComputeSystem, e.code, c.id);
      throw e;
    }
    const sandbox = restoreSandbox(this.blocks, kept.disk, image, c.id, kept.sizeBytes, hives, this.clock);
    // Programs registered since (this session's) get their files, as a new sandbox would.
    this.installPrograms(sandbox.volume, c.programs, this.kernel.programs);
    return sandbox;
  }

  /**
   * Loads the data root: images (layer disks checked, hives parsed, the
   * layer cache refilled), then containers — those that were running come
   * back exited with EXIT_CODE_HOST_LOST, those created with --rm are
   * removed (moby's restore does both) — then collects what no document
   * names. A document that can't be loaded is noted in loadProblems and
   * skipped; collection is then skipped too, so nothing it may name is lost.
   */
  private async restore(): Promise<void> {
    const root = this.root!;
    const keepDisks = new Set<number>();
    const keepLayers = new Set<string>();
    const images = root.readImages();
    const containers = root.readContainers();
    this.loadProblems.push(...images.problems, ...containers.problems);
    const collect = images.problems.length === 0 && containers.problems.length === 0;

    const layers = new Map<number, Layer>();
    const keep = (r: ImageRecord): void => {
      for (const l of r.layers) {
        keepDisks.add(l.disk);
        keepLayers.add(l.diffId);
      }
    };
    /** Images deleted while a stopped container used them (ImageRecord.hidden): for their containers only. */
    const hidden = new Map<string, { record: ImageRecord; image: Image }>();
    for (const r of images.records) {
      try {
        const image = this.imageFromRecord(r, layers);
        if (r.hidden) {
          hidden.set(r.id, { record: r, image });
          continue;
        }
        this.imageStore.add(image, r.layers.map((l) => l.cacheKey));
      } catch (e) {
        this.loadProblems.push({ path: `images/${r.id.slice(7)}.json`, reason: e instanceof Error ? e.message : String(e) });
      }
      keep(r);
    }
    // A tag on two documents is a tag move a crash cut short (tagImage writes the gaining image first): it stays on the one written last.
    const owner = new Map<string, ImageRecord>();
    for (const r of images.records) {
      if (r.hidden) continue;
      for (const t of r.repoTags) {
        const o = owner.get(t);
        if (!o || (r.written ?? 0) > (o.written ?? 0)) owner.set(t, r);
      }
    }
    for (const image of this.imageStore.list()) {
      const kept = image.repoTags.filter((t) => owner.get(t)?.id === image.id);
      if (kept.length === image.repoTags.length) continue;
      image.repoTags = kept;
      this.keepImage(image);
    }

    const now = this.clock();
    const gone: Container[] = [];
    for (const r of containers.records) {
      if (r.sandbox) {
        keepDisks.add(r.sandbox.disk);
        if (r.sandbox.programsLayer) keepDisks.add(r.sandbox.programsLayer.disk);
      }
      const where = `containers/${r.id}/config.json`;
      const image = this.imageStore.list().find((i) => i.id === r.image) ?? hidden.get(r.image)?.image;
      if (!image) {
        this.loadProblems.push({ path: where, reason: `its image ${r.image} is not loaded` });
        continue;
      }
      if (this.byName(r.name)) {
        this.loadProblems.push({ path: where, reason: `the name ${r.name} is taken` });
        continue;
      }
      const c = Container.fromRecord(this, r, image);
      let changed = false;
      if (r.sandbox && this.blocks.stats(r.sandbox.disk).status !== STATUS_SUCCESS) {
        // Cannot happen when the order of writes is kept (the disk is flushed before the document names it).
        this.loadProblems.push({ path: where, reason: `its sandbox disk ${r.sandbox.disk} is missing: it starts on a new sandbox` });
        c.dropKeptSandbox();
        changed = true;
      }
      if (c.status === 'running' || c.status === 'paused') {
        c.markLost(now);
        changed = true;
      }
      this.byId.set(c.id, c);
      this.names.set(c.name, c);
      if (c.options.autoRemove) gone.push(c);
      else if (changed) root.writeContainer(c.record());
    }
    for (const c of gone) await c.remove({ force: true });
    // A hidden image stays while a container document names it (loaded or not); the first open that finds none forgets it.
    const removed = new Set(gone.map((c) => c.id));
    const named = new Set(containers.records.filter((r) => !removed.has(r.id)).map((r) => r.image));
    for (const [id, h] of hidden) {
      if (named.has(id) || !collect) keep(h.record);
      else root.removeImage(id);
    }
    if (collect) {
      root.collect(keepDisks, keepLayers);
      this.collectBlobs();
    } else root.flush();
  }

  /**
   * An image document back as an Image: its catalogue entry, its layers with
   * their disks and hives. A layer is shared between images by its disk, as
   * it was before the restart — not by diffId: two commits of the same
   * changes under different configs hold equal layers on two disks, and a
   * diffId says nothing of the layers below it (an empty layer on Nano
   * Server has the diffId of one on Server Core, over another whole volume).
   */
  private imageFromRecord(r: ImageRecord, layers: Map<number, Layer>): Image {
    const base = BASE_IMAGES.find((b) => imageReference(b) === r.base && b.osVersion === r.osVersion);
    if (!base) throw new Error(`the catalogue has no ${r.base} of version ${r.osVersion}`);
    if (r.flavor !== 'servercore' && r.flavor !== 'nanoserver' && r.flavor !== 'iis') throw new Error(`unknown flavor ${r.flavor}`);
    const own: Layer[] = [];
    for (const l of r.layers) {
      let layer = layers.get(l.disk);
      if (!layer) {
        const st = this.blocks.stats(l.disk);
        if (st.status !== STATUS_SUCCESS || !st.readOnly) throw new Error(`layer ${l.diffId}: disk ${l.disk} is missing or writable`);
        layer = { diffId: l.diffId, disk: l.disk, hives: this.root!.readLayerHives(l.diffId, l.hives), size: l.size, foreign: l.foreign, createdBy: l.createdBy, created: l.created };
        // Its tar size from the blob index: push and save need no export to count it.
        recallLayerBlob(this.blobs, layer);
        layers.set(l.disk, layer);
      }
      own.push(layer);
    }
    return {
      id: r.id,
      repoTags: [...r.repoTags],
      created: r.created,
      os: 'windows',
      osVersion: r.osVersion,
      architecture: 'amd64',
      config: r.config,
      layers: own,
      flavor: r.flavor,
      defaultUser: r.defaultUser,
      base,
      ...(r.repoDigests ? { repoDigests: [...r.repoDigests] } : {}),
      ...(r.parent ? { parent: r.parent } : {}),
    };
  }

  // ---- image formats (issue 9) -----------------------------------------------------

  private blobStore: BlobStore | undefined;
  /** Content-addressed blobs (image configs): in memory, or `<data root>/blobs/sha256/`. */
  get blobs(): BlobStore {
    return (this.blobStore ??= this.root ? new FolderBlobStore(joinPath(this.root.path, 'blobs')) : new MemoryBlobStore());
  }

  /**
   * `docker commit`: the container's changes as a new layer on its image
   * (src/images/commit.ts). A running or paused container is refused as on
   * Windows (500 `windows does not support commit of a running container`);
   * a bad `--change` is 400. `reference` (`repository:tag`) tags the image.
   */
  async commit(container: string, options: { reference?: string; author?: string; comment?: string; changes?: string[]; fromContainer?: ImageConfig; requestConfig?: ImageConfig } = {}): Promise<Image> {
    this.checkOpen();
    const c = this.container(container);
    if (!c) throw new HostError(404, `No such container: ${container}`);
    if (c.status === 'running' || c.status === 'paused') throw new HostError(500, 'windows does not support commit of a running container');
    const top = c.imageRecord.layers[c.imageRecord.layers.length - 1]!;
    const source = c.commitSource() ?? { disk: top.disk, hives: {} };
    let image: Image;
    try {
      image = await commitContainer(
        // The layer is taken against the disk the sandbox was cloned from, as `docker diff` is: the host's program stubs are no part of it.
        { store: this.blocks, disk: source.disk, hives: source.hives, image: c.imageRecord, containerId: c.id, command: c.argv, ...(c.baseDisk !== undefined ? { parentDisk: c.baseDisk } : {}) },
        {
          ...(options.author !== undefined ? { author: options.author } : {}),
          ...(options.comment !== undefined ? { comment: options.comment } : {}),
          changes: options.changes ?? [],
          now: this.clock(),
          ...(options.fromContainer ? { fromContainer: options.fromContainer } : {}),
          ...(options.requestConfig ? { requestConfig: options.requestConfig } : {}),
        },
        this.blobs,
      );
    } catch (e) {
      if (e instanceof CommitChangeError) throw new HostError(400, e.message);
      throw storageError(e);
    }
    const same = this.imageStore.list().find((i) => i.id === image.id);
    if (same) {
      // The same changes committed again: the same image (its new layer disk is not needed).
      this.blocks.deleteDisk(image.layers[image.layers.length - 1]!.disk);
      image = same;
    } else {
      this.imageStore.add(image, [...this.imageStore.cacheKeys(c.imageRecord), null]);
      this.keepImage(image);
      this.layersMade(image);
    }
    if (options.reference) this.tagImage(image.id, options.reference);
    this.emit('container', 'commit', c.id, { comment: options.comment ?? '', imageID: image.id, ...(options.reference ? { imageRef: options.reference } : {}) });
    return image;
  }

  private buildCache: BuildCache | undefined;
  /**
   * `docker build` with the classic builder (src/images/build): moby's
   * output lines go to `out`; returns the image id (`sha256:…`). A failed
   * step throws BuildError with moby's message (`code`: a RUN's exit code).
   */
  async build(context: BuildContext, options: BuildOptions, out: BuildOutput): Promise<string> {
    this.checkOpen();
    const [{ build }, { BuildCache }] = await Promise.all([import('../images/build/builder.js'), import('../images/build/cache.js')]);
    const cache = (this.buildCache ??= new BuildCache());
    return build(
      {
        blocks: this.blocks,
        blobs: this.blobs,
        buildCache: cache,
        now: () => this.clock(),
        image: (ref) => this.image(ref),
        images: () => this.imageStore.list(),
        pull: (ref) => this.pullWithLayers(ref),
        createContainer: async (o) => (await this.createContainer(o)) as Container,
        addImage: (image, committed) => {
          const same = this.imageStore.list().find((i) => i.id === image.id);
          if (same) {
            // A restored --cache-from step shares its layer with the source: only a fresh commit's disk is ours to drop.
            const top = image.layers[image.layers.length - 1]!;
            if (!this.imageStore.list().some((i) => i.layers.includes(top))) this.blocks.deleteDisk(top.disk);
            return same;
          }
          this.imageStore.add(image, this.imageStore.cacheKeys(image));
          this.keepImage(image);
          this.layersMade(image);
          // moby CommitImage logs `create` (the image's labels and its id as the name).
          if (committed) this.emit('image', 'create', image.id, { ...(image.config.Labels ?? {}), name: image.id });
          return image;
        },
        setParent: (id, parentId) => {
          const image = this.imageStore.list().find((i) => i.id === id);
          if (!image || image.parent === parentId) return;
          image.parent = parentId;
          this.keepImage(image);
        },
        attached: (c) => {
          const container = c as Container;
          this.emit('container', 'attach', container.id, { image: container.image, name: container.name });
        },
        tagImage: (id, tag) => void this.tagImage(id, tag),
      },
      context,
      options,
      out,
    );
  }

  /** @internal a kept sandbox's registry deltas (a reopened host's stopped container) */
  keptHives(id: string): Partial<Record<HiveName, Hive>> {
    return this.root ? this.root.readContainerHives(id) : {};
  }

  /** `docker save`: the docker-archive of the images `references` name (404 `No such image: …`), as a tar stream. */
  save(references: readonly string[]): AsyncIterable<Uint8Array> {
    this.checkOpen();
    const items: SaveItem[] = [];
    for (const ref of references) {
      const image = this.imageStore.resolve(ref);
      if (!image) throw new HostError(404, `No such image: ${familiar(ref)}`);
      const byId = /^(sha256:)?[0-9a-f]{12,64}$/.test(ref);
      // An image named by its id is saved without names (moby tarexport parseNames: addAssoc(id, nil)), so it loads as `Loaded image ID: …`.
      const tags = byId ? [] : [familiar(ref)];
      const same = items.find((i) => i.image === image);
      if (same) same.repoTags.push(...tags.filter((t) => !same.repoTags.includes(t)));
      else items.push({ image, repoTags: tags });
    }
    return saveImages(this.blocks, this.blobs, items);
  }

  /** `docker load`: the images of a docker-archive; returns the lines docker prints (`Loaded image: …` / `Loaded image ID: …`). */
  async load(source: AsyncIterable<Uint8Array>, options: { onLayerProgress?: (id: string, current: number, total: number) => void } = {}): Promise<string[]> {
    this.checkOpen();
    const lease = this.blobs.lease();
    // Listed before the holds end, so the layers they stand on are not freed by an rmi meanwhile.
    const loaded = await this.holdingLayers(async (hold) => {
      const images = await loadImages(this.blocks, leasedPuts(this.blobs, lease), source, (chain) => hold(this.knownLayer(chain)), async (osVersion, repository) => holdImage(hold, this.imageStore.baseImage(repository, osVersion)), options.onLayerProgress);
      for (const { image } of images) {
        if (this.imageStore.list().some((i) => i.id === image.id)) continue;
        this.imageStore.add(image, this.imageStore.cacheKeys(image));
        this.keepImage(image);
        this.layersMade(image);
      }
      return images;
    }).finally(() => lease.end());
    const lines: string[] = [];
    for (const { image, repoTags } of loaded) {
      for (const t of repoTags) this.tagImage(image.id, t);
      this.emit('image', 'load', image.id, { name: image.id });
      if (repoTags.length === 0) lines.push(`Loaded image ID: ${image.id}`);
      for (const t of repoTags) lines.push(`Loaded image: ${t}`);
    }
    return lines;
  }

  /**
   * After a commit, build step or load listed `image`: its layers' tar sizes
   * go into the blob index (a reopened host pushes and saves them without
   * an export), and its layers with no gzip blob stored start compressing
   * in the background (src/images/registry/layer-compressor.ts) — a
   * load's; a commit's or build step's layer was compressed by the commit
   * itself (src/images/commit.ts), as docker with the containerd image
   * store does — so a push finds the blob.
   */
  private layersMade(image: Image): void {
    recordLayerBlobs(this.blobs, image.layers);
    layerCompressor(this.blocks, this.blobs).schedule(image);
  }

  /** Layers an in-flight pull or load builds on, with how many hold each (moby's layer store references). */
  private readonly layersInFlight = new Map<Layer, number>();
  /** Of those, the ones rmi released meanwhile: their disks go when the last hold ends. */
  private readonly layersReleasedInFlight = new Set<Layer>();

  /**
   * Runs a pull or load whose reused layers are held (`hold(layer)`): an
   * rmi meanwhile does not free their disks; a released one is freed when
   * the operation ends, unless an image or container stands on it again.
   */
  private async holdingLayers<T>(fn: (hold: (layer: Layer | undefined) => Layer | undefined) => Promise<T>): Promise<T> {
    const held: Layer[] = [];
    const hold = (layer: Layer | undefined): Layer | undefined => {
      if (layer && !held.includes(layer)) {
        held.push(layer);
        this.layersInFlight.set(layer, (this.layersInFlight.get(layer) ?? 0) + 1);
      }
      return layer;
    };
    try {
      return await fn(hold);
    } finally {
      for (const l of held) {
        const n = (this.layersInFlight.get(l) ?? 1) - 1;
        if (n > 0) {
          this.layersInFlight.set(l, n);
          continue;
        }
        this.layersInFlight.delete(l);
        if (!this.layersReleasedInFlight.delete(l)) continue;
        const stands = this.imageStore.list().some((i) => i.layers.includes(l)) || [...this.byId.values()].some((c) => c.imageRecord.layers.includes(l));
        if (!stands) this.blocks.deleteDisk(l.disk);
      }
    }
  }

  /**
   * Deletes the blobs nothing here names (src/images/blobs.ts "Collection"):
   * configs of images listed or under a container, compressed tars of their
   * layers; blobs an operation in flight holds stay.
   */
  collectBlobs(): string[] {
    const images = [...this.imageStore.list(), ...[...this.byId.values()].map((c) => c.imageRecord)];
    const configs = new Set(images.map((i) => i.id));
    const diffIds = new Set(images.flatMap((i) => i.layers.map((l) => l.diffId)));
    return this.blobs.collect({ configs, diffIds });
  }

  /** A layer here whose chain of tar digests is `chain` (only layers whose digests are already known). */
  private knownLayer(chain: readonly string[]): Layer | undefined {
    for (const image of this.imageStore.list()) {
      if (image.layers.length < chain.length) continue;
      if (chain.every((d, i) => knownLayerBlob(image.layers[i]!)?.diffId === d)) return image.layers[chain.length - 1];
    }
    return undefined;
  }

  /**
   * `docker push`: `reference` (`registry/repo:tag`) to its registry over the
   * distribution API (src/images/registry); foreign base layers are not
   * pushed. Progress as events the daemon turns into docker's JSON lines.
   */
  async push(reference: string, options: ClientOptions = {}): Promise<{ digest: string; size: number }> {
    this.checkOpen();
    const image = this.imageStore.resolve(reference);
    if (!image) throw new HostError(404, `An image does not exist locally with the tag: ${reference}`);
    const pushed = await pushImage(this.blocks, this.blobs, image, familiar(reference), options);
    // pushImage added the registry's digest to the image's RepoDigests: kept on the data root.
    this.keepImage(image);
    return pushed;
  }

  /**
   * `docker pull` from a registry (not Microsoft's synthesized bases, which
   * `pull` makes): layers reused or imported, foreign ones resolved from
   * this host's synthesized bases. Returns the image (tagged `reference`).
   */
  async pullFromRegistry(reference: string, options: ClientOptions = {}): Promise<Image> {
    this.checkOpen();
    const lease = this.blobs.lease();
    try {
      // Listed before the holds end, so the layers it stands on are not freed by an rmi meanwhile.
      const r = await this.holdingLayers(async (hold) => {
        const pulled = await pullImage(this.blocks, leasedPuts(this.blobs, lease), familiar(reference), {
          ...options,
          known: (chain) => hold(this.knownLayer(chain)),
          base: async (osVersion, repository) => holdImage(hold, this.imageStore.baseImage(repository, osVersion)),
        });
        const have = this.imageStore.list().find((i) => i.id === pulled.image.id);
        if (!have) {
          this.imageStore.add(pulled.image, this.imageStore.cacheKeys(pulled.image));
          this.keepImage(pulled.image);
          recordLayerBlobs(this.blobs, pulled.image.layers);
        } else {
          // Already here (pushed from this host, or pulled under another name): it gains this registry's digest (kept by tagImage below).
          const digests = (have.repoDigests ??= []);
          for (const x of pulled.image.repoDigests ?? []) if (!digests.includes(x)) digests.push(x);
        }
        return pulled;
      });
      // A pull by digest tags nothing: the image is named by its RepoDigests (docker's).
      if (reference.includes('@')) this.keepImage(this.imageStore.resolve(r.image.id)!);
      else this.tagImage(r.image.id, familiar(reference));
      this.emit('image', 'pull', familiar(reference), { name: familiar(reference) });
      return this.imageStore.resolve(r.image.id)!;
    } finally {
      lease.end();
    }
  }

  private byName(name: string): Container | undefined {
    return this.names.get(name);
  }

  private checkOpen(): void {
    if (this.closed) throw new HostError(500, 'the host is closed');
  }
}

/** A reference as docker names it in messages: `foo` → `foo:latest` (reference.FamiliarString of the tagged name). */
function familiar(reference: string): string {
  if (/^(sha256:)?[0-9a-f]{12,64}$/.test(reference) || reference.includes('@')) return reference;
  const slash = reference.lastIndexOf('/');
  return reference.lastIndexOf(':') > slash ? reference : `${reference}:latest`;
}

/** Holds every layer of `image` (a base a pull or load resolves foreign layers from) and returns it. */
function holdImage(hold: (layer: Layer) => unknown, image: Image | undefined): Image | undefined {
  for (const l of image?.layers ?? []) hold(l);
  return image;
}

/** `image` with one more layer on top: the registered programs' files (Host.imageForContainer). */
function withProgramsLayer(image: Image, diffId: string, disk: number): Image {
  const layer: Layer = { diffId, disk, hives: {}, size: 0, foreign: false, createdBy: 'winsilo: registered programs', created: image.created };
  return { ...image, layers: [...image.layers, layer] };
}

/**
 * A failure to open, read or write the data root (a damaged block store, a
 * full disk, an I/O error) as the HostError the daemon answers with: 500,
 * the failure's own text (NtStatusError's `op path: STATUS_… (0x…): message`,
 * Node's `ENOSPC: no space left on device, write`).
 */
function storageError(e: unknown): unknown {
  if (e instanceof HostError) return e;
  if (e instanceof NtStatusError || (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string')) return new HostError(500, e.message);
  return e;
}

function isoOrEmpty(ms: number): string {
  return ms === 0 ? '' : new Date(ms).toISOString();
}

function msOrZero(iso: string): number {
  const t = iso === '' ? 0 : Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
}

function imageSummary(i: Image): ImageSummary {
  return {
    Id: i.id,
    RepoTags: [...i.repoTags],
    RepoDigests: [...(i.repoDigests ?? [])],
    Created: Math.floor(Date.parse(i.created) / 1000),
    Size: ImageStore.size(i),
    Os: 'windows',
    OsVersion: i.osVersion,
  };
}

/**
 * Wraps a compute service failure in the daemon's voice: a refused create
 * as hcsshim's SystemError (`hcs::CreateComputeSystem <id>: …`); a failure
 * once the system exists as the ContainerError text moby's built-in
 * runtime prints (`container <id> encountered an error during
 * hcs::System::CreateProcess: failure in a Windows system call: … (0x2)`).
 */
function daemonError(e: unknown, created = false): never {
  if (e instanceof HcsError) throw new HostError(500, created ? e.containerErrorMessage : e.message);
  throw e;
}

export class Container implements ContainerHandle {
  status: ContainerStatus = 'created';
  exitCode = 0;
  /** Unix ms of the last start and the last exit (0: never), State.StartedAt / FinishedAt. */
  startedAt = 0;
  finishedAt = 0;
  private system: ComputeSystem | undefined;
  private sandbox: Sandbox | undefined;
  /** The sandbox a data root kept (reopened host), until a start rebuilds it into `sandbox`. */
  private kept: SandboxRecord | undefined;
  private main: ComputeProcess | undefined;
  /**
   * The exec processes' handles (HcsCloseProcess when the container is
   * removed): an open handle keeps an ended process's record, and through it
   * the whole silo, alive in the kernel's CID table.
   */
  private readonly execHandles = new Set<ComputeProcess>();
  private exited: Promise<number> = Promise.resolve(0);
  private stopping = false;

  constructor(
    private readonly host: Host,
    readonly id: string,
    /** Changed only by Host.rename (`docker rename`). */
    public name: string,
    readonly options: ContainerCreateOptions,
    readonly imageRecord: Image,
    readonly isolation: Isolation,
    readonly resources: ContainerResources,
    /** Entrypoint + Cmd: the main process's argv. */
    readonly argv: readonly string[],
    /** What validation warned about (docker prints them at create). */
    readonly warnings: readonly string[],
    /** Unix ms of the create. */
    readonly createdAt: number,
  ) {
    this.programs = new ProgramRegistry(host.programsFor(imageRecord));
  }

  /** Programs of this container alone (chained to its image's and the host's); their files go into its sandbox only. */
  readonly programs: ProgramRegistry;

  /**
   * Makes `program` the image at `path` in this container only: registered
   * at once (a running container can start it now) and its file written
   * into the sandbox if there is one (else at the first start).
   */
  registerProgram(path: string, program: Program): void {
    this.programs.register(path, program);
    if (this.sandbox && !this.sandbox.destroyed) this.host.installPrograms(this.sandbox.volume, this.programs, this.host.programsFor(this.imageRecord));
  }

  /** @internal What commit reads: the sandbox disk and registry deltas (none before a first start). */
  commitSource(): { disk: number; hives: Readonly<Partial<Record<HiveName, Hive>>> } | undefined {
    if (this.sandbox && !this.sandbox.destroyed) return { disk: this.sandbox.disk, hives: this.sandbox.hives };
    if (this.kept) return { disk: this.kept.disk, hives: this.host.keptHives(this.id) };
    return undefined;
  }

  /**
   * The container's C: for the host's own file operations (`docker cp`,
   * HEAD/GET/PUT …/archive), whatever its state: its sandbox, the kept one
   * rebuilt, or — a container that never started — made now. moby creates
   * a container's read-write layer at create (daemon/create.go
   * setRWLayer), so `docker create` + `docker cp` + `docker start` runs on
   * the copied files; here the sandbox is made when first needed, and
   * start uses it.
   */
  fileSystem(): NtfsVolume {
    if (this.status === 'removing' || this.status === 'dead') throw new HostError(404, `No such container: ${this.id}`);
    return this.ensureSandbox().volume;
  }

  /** @internal The files a host operation wrote into the sandbox are durable (the block store flushed): acknowledged on return. */
  keepFiles(): void {
    this.host.flushBlocks();
  }

  private ensureSandbox(): Sandbox {
    if (this.sandbox && !this.sandbox.destroyed) return this.sandbox;
    try {
      if (this.kept) {
        this.sandbox = this.host.reopenSandbox(this, this.kept);
        this.kept = undefined;
      } else {
        this.sandbox = this.host.newSandbox(this, sandboxSizeBytes(this.options.storageOpt));
        this.host.keepSandbox(this, undefined);
      }
    } catch (e) {
      daemonError(e);
    }
    return this.sandbox;
  }

  /** @internal A container of a reopened data root, as its document left it (its sandbox rebuilt at the next start). */
  static fromRecord(host: Host, r: ContainerRecord, image: Image): Container {
    const c = new Container(host, r.id, r.name, r.options, image, r.isolation, r.resources, r.argv, r.warnings, msOrZero(r.created));
    c.status = r.status;
    c.exitCode = r.exitCode;
    c.startedAt = msOrZero(r.startedAt);
    c.finishedAt = msOrZero(r.finishedAt);
    c.kept = r.sandbox ?? undefined;
    for (const n of r.networks ?? []) c.extraNetworks.push(copyAttachment(n));
    return c;
  }

  /** @internal What the data root keeps of this container (records.ts). */
  record(): ContainerRecord {
    const sandbox = this.sandbox;
    let kept: SandboxRecord | null = this.kept ?? null;
    if (sandbox && !sandbox.destroyed) {
      const top = sandbox.image.layers[sandbox.image.layers.length - 1]!;
      const programs = sandbox.image.layers.length > this.imageRecord.layers.length;
      kept = { disk: sandbox.disk, sizeBytes: sandbox.requestedSizeBytes, programsLayer: programs ? { diffId: top.diffId, disk: top.disk } : null };
    }
    return {
      version: RECORD_VERSION,
      id: this.id,
      name: this.name,
      image: this.imageRecord.id,
      options: this.options,
      isolation: this.isolation,
      resources: this.resources,
      argv: [...this.argv],
      warnings: [...this.warnings],
      status: this.status === 'removing' || this.status === 'dead' ? 'exited' : this.status,
      exitCode: this.exitCode,
      created: isoOrEmpty(this.createdAt),
      startedAt: isoOrEmpty(this.startedAt),
      finishedAt: isoOrEmpty(this.finishedAt),
      sandbox: kept,
      ...(this.extraNetworks.length > 0 ? { networks: this.extraNetworks.map(copyAttachment) } : {}),
    };
  }

  /** @internal The disk this container's sandbox was cloned from (its image's top layer, or a programs layer), if it has a sandbox. */
  get baseDisk(): number | undefined {
    if (this.sandbox && !this.sandbox.destroyed) return this.sandbox.baseDisk;
    return this.kept ? (this.kept.programsLayer?.disk ?? this.imageRecord.layers[this.imageRecord.layers.length - 1]!.disk) : undefined;
  }

  /** @internal Found running in a data root whose host went away: stopped, as moby's restore marks it. */
  markLost(now: number): void {
    this.status = 'exited';
    this.exitCode = EXIT_CODE_HOST_LOST;
    this.finishedAt = now;
  }

  /** @internal The kept sandbox's disk is gone: the next start makes a new sandbox. */
  dropKeptSandbox(): void {
    this.kept = undefined;
  }

  get image(): string {
    return this.options.image;
  }

  /** The computer name of the container's last (or coming) start: see bootHostName. */
  private startedHostName: string | undefined;

  /** The computer name its silo boots with (COMPUTERNAME, `hostname`): the one of its last start, else what the next start gives. */
  get hostName(): string {
    return this.startedHostName ?? this.options.hostname ?? this.id.slice(0, 12);
  }

  /**
   * The computer name a start boots with: --hostname, else the first 12
   * digits of the id; with `--network container:X`, X's — moby's
   * initializeNetworking sets Config.Hostname to the connected container's
   * before the task is created, after getNetworkedContainer found X (404
   * "No such container", "cannot join own network", 409 "cannot join
   * network of a non running container: X").
   */
  private bootHostName(): string {
    const network = this.options.network ?? '';
    if (!network.startsWith('container:')) return this.options.hostname ?? this.id.slice(0, 12);
    const ref = network.slice('container:'.length);
    const nc = this.host.container(ref);
    if (!nc) throw new HostError(404, `No such container: ${ref}`);
    if (nc.id === this.id) throw new HostError(500, 'cannot join own network');
    if (nc.status !== 'running' && nc.status !== 'paused') throw new HostError(409, `cannot join network of a non running container: ${ref}`);
    return nc.hostName;
  }

  async start(): Promise<ProcessIo> {
    if (this.status === 'running' || this.status === 'paused') throw new HostError(409, `container ${this.id} is already running`);
    if (this.status === 'removing' || this.status === 'dead') throw new HostError(409, `container ${this.id} is marked for removal and cannot be started`);
    const o = this.options;
    const r = this.resources;
    const hostName = this.bootHostName();
    let system: ComputeSystem;
    try {
      // `docker start` of a stopped container: a new silo on the same sandbox (each start is a fresh boot).
      if (this.system && !this.system.isClosed && this.system.state === 'Stopped') {
        this.system.start();
        limitJob(this.system);
        await this.attachNetwork(this.system);
        return this.runMain(this.system);
      }
      // A reopened data root's container: its sandbox again, as moby creates the compute system on the kept scratch layer.
      if ((!this.sandbox || this.sandbox.destroyed) && this.kept) {
        this.sandbox = this.host.reopenSandbox(this, this.kept);
        this.kept = undefined;
      }
      this.startedHostName = hostName;
      system = this.host.compute.createComputeSystem(this.id, {
        Owner: 'docker',
        Name: this.id,
        Isolation: this.isolation,
        HostName: hostName,
        Image: this.sandbox ? this.sandbox.image : this.host.imageForContainer(this.imageRecord),
        MappedDirectories: (o.binds ?? []).map((b) => ({ HostPath: b.hostPath, ContainerPath: b.containerPath, ReadOnly: b.readOnly })),
        MemoryMaximumInMB: r.Memory ? Math.floor(r.Memory / 2 ** 20) : undefined,
        ProcessorCount: r.CpuCount || undefined,
        ProcessorMaximum: r.CpuPercent ? r.CpuPercent * 100 : undefined,
        ProcessorWeight: r.CpuShares || undefined,
        StorageSandboxSize: sandboxSizeBytes(o.storageOpt),
        Programs: this.programs,
        Sandbox: this.sandbox,
      });
      // The container's own programs go into its sandbox (the image's are in the programs layer).
      this.host.installPrograms(system.sandbox.volume, this.programs, this.host.programsFor(this.imageRecord));
      system.start();
      limitJob(system);
    } catch (e) {
      daemonError(e);
    }
    this.system = system;
    this.sandbox = system.sandbox;
    await this.attachNetwork(system);
    return this.runMain(system);
  }

  /** The running container's compartment (endpoints) and its published ports (src/net); the host's network controller. */
  get networkState(): { stack: ContainerStack | undefined; ports: readonly PublishedPort[]; controller: NetworkController } {
    const controller = this.host.network;
    return { stack: controller.stack(this.id), ports: controller.ports(this.id), controller };
  }

  /** Networks joined beyond NetworkMode (further EndpointsConfig entries of the create, docker network connect while stopped), at each start. */
  readonly extraNetworks: NetworkAttachment[] = [];

  /**
   * The container's endpoints and compartment (its silo's ctx.net) and its
   * published ports, before the main process runs (moby creates the
   * endpoints before the task starts). A failure (a host port in use, a
   * removed network) stops the silo and fails the start with the network's
   * status and text.
   */
  private async attachNetwork(system: ComputeSystem): Promise<void> {
    const o = this.options;
    const exposed = [...Object.keys(this.imageRecord.config.ExposedPorts ?? {}), ...(o.exposedPorts ?? [])];
    try {
      await this.host.network.attach(
        {
          containerId: this.id,
          containerName: this.name,
          hostName: this.hostName,
          network: o.network ?? 'nat',
          extra: this.extraNetworks,
          aliases: o.aliases,
          ipv4Address: o.ipv4Address,
          ...(o.macAddress ? { macAddress: o.macAddress } : {}),
          ...(o.dns ? { dns: o.dns } : {}),
          ...(o.dnsSearch ? { dnsSearch: o.dnsSearch } : {}),
          ports: parsePortBindings(o.portBindings, o.publishAllPorts === true, exposed),
        },
        system.silo,
      );
    } catch (e) {
      if (system.state === 'Running' || system.state === 'Paused') system.terminate();
      if (e instanceof NetworkError) throw new HostError(e.status, e.message);
      throw e;
    }
  }

  /**
   * HCS's process parameters for the main process or an exec: the exec's
   * settings over the container's over the image's (working directory,
   * user, environment — later `K=V` entries win), stdout always piped,
   * stderr piped unless a console carries both.
   */
  private processParameters(x: ExecOptions, argsEscaped = false): ProcessParameters {
    const o = this.options;
    const config = this.imageRecord.config;
    return {
      // ArgsEscaped (a Dockerfile's shell form): the first element is already a command line (moby daemon/oci_windows.go).
      CommandLine: argsEscaped && x.cmd.length > 0 ? x.cmd[0]! + (x.cmd.length > 1 ? ` ${argvToCommandLine(x.cmd.slice(1))}` : '') : argvToCommandLine(x.cmd),
      WorkingDirectory: x.workingDir || o.workingDir || config.WorkingDir || 'C:\\',
      Environment: envMap([...(config.Env ?? []), ...(o.env ?? []), ...(x.env ?? [])]),
      User: x.user || o.user || config.User || undefined,
      EmulateConsole: x.tty === true,
      ConsoleSize: x.consoleSize,
      CreateStdInPipe: x.attachStdin === true,
      CreateStdOutPipe: true,
      CreateStdErrPipe: x.tty !== true,
    };
  }

  /** Starts the main process (Entrypoint + Cmd) on a running system and follows it to the container's exit. */
  private runMain(system: ComputeSystem): ProcessIo {
    const o = this.options;
    let main: ComputeProcess;
    try {
      main = system.createProcess(this.processParameters({ cmd: [...this.argv], tty: o.tty, attachStdin: o.openStdin, consoleSize: o.consoleSize }, o.argsEscaped ?? this.imageRecord.config.ArgsEscaped === true));
    } catch (e) {
      if (system.state === 'Running' || system.state === 'Paused') system.terminate();
      void this.host.network.detach(this.id);
      this.status = 'exited';
      this.exitCode = 127;
      this.finishedAt = this.host.clock();
      this.host.keepSandbox(this, this.sandbox?.hives);
      daemonError(e, true);
    }
    // The previous run's handle (`docker start` again): that process has ended.
    this.main?.close();
    this.main = main;
    this.status = 'running';
    this.startedAt = this.host.clock();
    this.stopping = false;
    // On a data root: the sandbox disk (new, or written at boot) flushed, then the document says running.
    this.host.keepSandbox(this, undefined);
    this.host.emit('container', 'start', this.id, { image: this.image, name: this.name });
    this.exited = main.wait().then(async (code) => {
      this.exitCode = code;
      await this.stopSystem(DEFAULT_STOP_SECONDS);
      await this.host.network.detach(this.id);
      this.status = 'exited';
      this.finishedAt = this.host.clock();
      // The stop is acknowledged here: registry deltas, the sandbox disk, the exit code (README.md "Data root").
      this.host.keepSandbox(this, this.sandbox?.hives);
      this.host.emit('container', 'die', this.id, { exitCode: String(code), image: this.image, name: this.name });
      // moby's auto-remove takes the container's anonymous volumes with it (RemoveVolume).
      if (this.options.autoRemove) await this.remove({ force: true, removeVolumes: true });
      return code;
    });
    return processIo(main);
  }

  wait(): Promise<number> {
    return this.status === 'created' ? Promise.resolve(this.exitCode) : this.exited;
  }

  async stop(timeoutSeconds = DEFAULT_STOP_SECONDS): Promise<void> {
    if (this.status !== 'running' && this.status !== 'paused') return;
    this.stopping = true;
    this.main?.signal('CtrlShutdown');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutSeconds * 1000).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout' && this.main?.running) this.main.kill();
    await this.exited;
    this.host.emit('container', 'stop', this.id, { image: this.image, name: this.name });
  }

  async kill(): Promise<void> {
    if (this.status !== 'running' && this.status !== 'paused') throw new HostError(409, `container ${this.id} is not running`);
    if (this.main?.running) this.main.kill();
    this.host.emit('container', 'kill', this.id, { image: this.image, name: this.name, signal: 'KILL' });
    await this.exited;
  }

  /** `removeVolumes` (`docker rm -v`): the container's anonymous volumes go too, unless another container mounts them. */
  async remove(options: { force?: boolean; removeVolumes?: boolean } = {}): Promise<void> {
    if (this.status === 'running' || this.status === 'paused') {
      if (!options.force) {
        const why = this.status === 'paused' ? 'container is paused and must be unpaused first' : 'container is running: stop the container before removing or force remove';
        throw new HostError(409, `cannot remove container "/${this.name}": ${why}`);
      }
      if (this.main?.running) this.main.kill();
      await this.exited;
    }
    if (this.status === 'removing' || this.status === 'dead') return;
    this.status = 'removing';
    // The document goes first: from then on the container is gone whatever a crash leaves (an unnamed disk is collected at the next open).
    this.host.dropContainer(this);
    // Close the process handles (HcsCloseProcess): nothing can ask them anything once the container is gone.
    this.main?.close();
    for (const h of this.execHandles) h.close();
    this.execHandles.clear();
    this.system?.close({ deleteSandbox: true });
    this.sandbox?.destroy?.();
    if (this.kept) this.host.blocks.deleteDisk(this.kept.disk);
    this.kept = undefined;
    this.host.flushBlocks();
    this.host.forget(this);
    this.status = 'dead';
    this.host.emit('container', 'destroy', this.id, { image: this.image, name: this.name });
    if (options.removeVolumes) {
      for (const b of this.options.binds ?? []) {
        if (b.volume && this.host.volumes.isAnonymous(b.volume) && this.host.volumeUsers(b.volume).length === 0) this.host.removeVolume(b.volume);
      }
    }
  }

  async exec(o: ExecOptions): Promise<ProcessIo> {
    if (this.status !== 'running' || !this.system) throw new HostError(409, `container ${this.id} is not running`);
    let p: ComputeProcess;
    try {
      p = this.system.createProcess(this.processParameters(o));
    } catch (e) {
      daemonError(e, true);
    }
    this.execHandles.add(p);
    // moby's exec_start carries the exec's id (daemon/exec.go ContainerExecStart: execID attribute).
    this.host.emit('container', `exec_start: ${o.cmd.join(' ')}`, this.id, { ...(o.execId !== undefined ? { execID: o.execId } : {}), image: this.image, name: this.name });
    // An exec's end is a flush point (README.md "What is acknowledged when"): on a data root the
    // block store is flushed before wait() gives the exit code, so the files an exec wrote survive
    // kill -9 of the daemon once `docker exec` has returned. One promise, so one flush per exec.
    const io = processIo(p);
    const ended = p.wait().then((code) => {
      this.host.flushBlocks();
      return code;
    });
    return { ...io, wait: () => ended };
  }

  /**
   * HcsPauseComputeSystem (`docker pause`): 409 unless running. The
   * daemon refuses process isolation before calling this, as moby does.
   */
  pause(): void {
    if (this.status === 'paused') throw new HostError(409, `container ${this.id} is already paused`);
    if (this.status !== 'running' || !this.system) throw new HostError(409, `container ${this.id} is not running`);
    try {
      this.system.pause();
    } catch (e) {
      daemonError(e, true);
    }
    this.status = 'paused';
    this.host.emit('container', 'pause', this.id, { image: this.image, name: this.name });
  }

  /** HcsResumeComputeSystem (`docker unpause`): 409 unless paused. */
  unpause(): void {
    if (this.status !== 'paused' || !this.system) throw new HostError(409, `container ${this.id} is not paused`);
    try {
      this.system.resume();
    } catch (e) {
      daemonError(e, true);
    }
    this.status = 'running';
    this.host.emit('container', 'unpause', this.id, { image: this.image, name: this.name });
  }

  accounting(): BasicAndIoAccountingInformation {
    if (!this.system) throw new HostError(409, `container ${this.id} is not running`);
    return this.system.accounting();
  }

  /** @internal the running compute system (for the daemon's stats, top, diff) */
  get computeSystem(): ComputeSystem | undefined {
    return this.system;
  }

  private async stopSystem(timeoutSeconds: number): Promise<void> {
    const system = this.system;
    if (!system) return;
    if (system.state !== 'Running' && system.state !== 'Paused') return;
    await system.shutdown(this.stopping ? 0 : timeoutSeconds * 1000);
    // What shutdown left running ends now (hcsshim swallows "already stopped" here, as this guard does).
    if (system.state === 'Running' || system.state === 'Paused') system.terminate();
  }
}

/**
 * The sandbox size `--storage-opt` asks for (moby's windowsfilter
 * parseStorageOpt: the `size` key in any case, go-units RAMInBytes; other
 * keys ignored), else moby's default, MOBY_DEFAULT_SANDBOX_SIZE_BYTES
 * (127 GB: "the default size of a VHD in Hyper-V"). A bad value is moby's
 * error, status 500: `failed to parse storage options: invalid size: 'x'`.
 */
export function sandboxSizeBytes(storageOpt: Readonly<Record<string, string>> | undefined): number {
  let size = 0;
  for (const [key, value] of Object.entries(storageOpt ?? {})) {
    if (key.toLowerCase() !== 'size') continue;
    try {
      size = ramInBytes(String(value));
    } catch (e) {
      throw new HostError(500, `failed to parse storage options: ${(e as Error).message}`);
    }
  }
  return size !== 0 ? size : MOBY_DEFAULT_SANDBOX_SIZE_BYTES;
}

/** `K=V` entries as HCS's Environment map (a later entry replaces an earlier one; `K` alone is dropped, as docker does when unset). */
/** A copy of an attachment (what a record keeps is not shared with the live container). */
function copyAttachment(n: NetworkAttachment): NetworkAttachment {
  return { ...n, ...(n.aliases ? { aliases: [...n.aliases] } : {}) };
}

function envMap(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    if (eq <= 0) continue;
    out[e.slice(0, eq)] = e.slice(eq + 1);
  }
  return out;
}

function processIo(p: ComputeProcess): ProcessIo {
  return {
    pid: p.pid,
    stdin: p.stdin,
    stdout: p.stdout,
    stderr: p.stderr,
    resize: (rows, columns) => p.resizeConsole(rows, columns),
    interrupt: () => p.signal('CtrlC'),
    kill: () => {
      if (p.running) p.kill();
    },
    wait: () => p.wait(),
  };
}

/** The default job limits (resources.ts DEFAULT_CONTAINER_LIMITS) on a container that has just started: before its main process runs. */
function limitJob(system: ComputeSystem): void {
  const silo = system.silo;
  if (silo) applyDefaultLimits(silo.kernel.jobs, silo.job);
}

/** Each layer's chain id: its diff id on the bottom, sha256("<parent chain> <diff id>") above (image-spec). */
function chainIds(image: Image): string[] {
  let chain = '';
  return image.layers.map((l) => (chain = chain === '' ? l.diffId : `sha256:${createHash('sha256').update(`${chain} ${l.diffId}`).digest('hex')}`));
}
