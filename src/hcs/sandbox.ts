/**
 * A container's sandbox (its scratch layer, windows-facts §4): the
 * writable C: volume and the registry deltas a container's changes go to,
 * over its image's read-only layers.
 *
 *  - The disk is one O(1) copy-on-write clone of the image's top layer
 *    disk (each layer disk holds the whole volume as of that layer), so the
 *    image and other containers never see the container's writes; mounted
 *    once (O(1): two block reads) and kept mounted while the sandbox lives,
 *    across restarts of its compute system.
 *  - The registry: for each hive name a fresh delta hive stacked over the
 *    layers' hives of that name (lowest first); createRegistry opens a
 *    machine view over them for each start (a reboot sees the same deltas).
 *
 * A sandbox outlives its compute system until destroyed (docker rm): moby
 * keeps the scratch layer of a stopped container and creates the compute
 * system again on it at `docker start` (libcontainerd/local: the same
 * LayerFolderPath), and `docker diff`/`commit` read it (disk: store.diff
 * against the top layer; hives: the deltas).
 */
import { STATUS_SUCCESS } from '../core/ntstatus.js';
import { DELTA_HEADER_BYTES, DELTA_MAGIC, DELTA_VERSION, type BlockStore } from '../core/blocks/index.js';
import { ERROR_INVALID_PARAMETER, Win32Error, ntStatusToWin32 } from '../core/win32.js';
import { mountVolume, type NtfsVolume } from '../kernel/fs/index.js';
import { imageLookupCache, type ImageLookupCache } from '../kernel/process/image-search.js';
import { PROCESS_LIMITS } from '../kernel/process/limits.js';
import { Hive, createRegistry, REG_SZ, type HiveStack, type Registry } from '../kernel/registry/index.js';
import { HIVE_NAMES, type HiveName, type Image, type Layer } from '../images/types.js';
import { HcsError, HcsOp } from './errors.js';
import { HCS_LIMITS } from './limits.js';

/**
 * The container users' SIDs: virtual accounts of the silo ("User
 * Manager\ContainerUser" is S-1-5-93-2-2 — `whoami /user` in a container,
 * moby/buildkit#5791; ContainerAdministrator is S-1-5-93-2-1).
 */
export const CONTAINER_USER_SIDS: Readonly<Record<'ContainerAdministrator' | 'ContainerUser', string>> = {
  ContainerAdministrator: 'S-1-5-93-2-1',
  ContainerUser: 'S-1-5-93-2-2',
};

/** Where HKLM's and HKU's hives come from: the layer files' names (Hives/ in a layer tar). */
const MACHINE_HIVES: readonly HiveName[] = ['SYSTEM', 'SOFTWARE', 'SAM', 'SECURITY'];

/**
 * Image lookups (which file a path names) made by boots on sandboxes that
 * still read exactly as their top layer, shared by every later such boot
 * on that layer: ~30 service launches resolve the same few images.
 */
const IMAGE_LOOKUPS = new WeakMap<Layer, { store: BlockStore; disk: number; cache: ImageLookupCache }>();

export class Sandbox {
  /** The container's own hive deltas by hive name (owned by the sandbox; serialise them for `docker commit`). */
  readonly hives: Readonly<Record<HiveName, Hive>>;
  /** Set by destroy(); a destroyed sandbox cannot be used. */
  destroyed = false;
  /** @internal the id of the compute system running on it, if any (one writable mount at a time) */
  inUseBy: string | undefined = undefined;
  /**
   * The volume's change count when the disk was found to read exactly as
   * the top layer (null: it did not; undefined: not asked yet).
   */
  private pristineAt: number | null | undefined = undefined;

  /** @internal use createSandbox */
  constructor(
    readonly store: BlockStore,
    /** The sandbox disk in `store`: a clone of the image's top layer disk. */
    readonly disk: number,
    readonly image: Image,
    /** C:, mounted on `disk`. */
    readonly volume: NtfsVolume,
    /**
     * StorageSandboxSize as asked (bytes). The volume is at least this
     * large (createSandbox expands it), and never smaller than its layer's
     * (the platform's 20 GB): a sandbox grows, it does not shrink.
     */
    readonly requestedSizeBytes: number,
    /** @internal a new sandbox: its files read exactly as its top layer's (only an expansion wrote to it) */
    fresh = false,
  ) {
    if (fresh) this.pristineAt = volume.changeCount;
    const hives = {} as Record<HiveName, Hive>;
    for (const name of HIVE_NAMES) hives[name] = new Hive();
    this.hives = hives;
  }

  /** The top layer's disk: what `store.diff(top, disk)` compares the sandbox with. */
  get baseDisk(): number {
    return this.image.layers[this.image.layers.length - 1]!.disk;
  }

  /**
   * Image lookups (which file a path names) that boots and process
   * creations on this sandbox may share with those on other sandboxes of the
   * same top layer (Silo's `imageLookups`, CreateProcess's): only while the
   * disk reads exactly as the layer's and no host directory is mapped into
   * it (`mapped`: a mapping's link lives on the disk, its target elsewhere).
   * The first call compares the disks (store.diff: at once for a clone
   * nothing has written to); after that the disk is taken to be unchanged
   * while its volume — its only writer while mounted — has written
   * nothing, and it is never compared again (a large sandbox is not diffed
   * at each start or exec). Undefined otherwise: lookups are made anew.
   */
  sharedImageLookups(mapped: boolean): ImageLookupCache | undefined {
    if (mapped) return undefined;
    if (this.pristineAt === undefined) {
      const top = this.image.layers[this.image.layers.length - 1]!;
      const d = this.store.diff(top.disk, this.disk);
      this.pristineAt = d.status === STATUS_SUCCESS && d.ranges.length === 0 ? this.volume.changeCount : null;
    }
    if (this.pristineAt === null || this.pristineAt !== this.volume.changeCount) return undefined;
    const top = this.image.layers[this.image.layers.length - 1]!;
    let entry = IMAGE_LOOKUPS.get(top);
    if (entry === undefined || entry.store !== this.store || entry.disk !== top.disk) {
      entry = { store: this.store, disk: top.disk, cache: imageLookupCache(PROCESS_LIMITS.sharedImageLookups) };
      IMAGE_LOOKUPS.set(top, entry);
    }
    return entry.cache;
  }

  /**
   * The machine's registry over the layers and this sandbox's deltas:
   * HKLM\SYSTEM, SOFTWARE, SAM, SECURITY; HKU\.DEFAULT (DEFAULT) and the
   * default user's hive (USER) under the user's SID, which HKCU maps to.
   */
  openRegistry(clock: () => number): Registry {
    const stack = (name: HiveName): HiveStack => {
      const layers: Hive[] = [];
      for (const l of this.image.layers) {
        const h = l.hives[name];
        if (h) layers.push(h);
      }
      return { layers, delta: this.hives[name] };
    };
    const machine: Record<string, HiveStack> = {};
    for (const name of MACHINE_HIVES) machine[name] = stack(name);
    const userSid = CONTAINER_USER_SIDS[this.image.defaultUser as keyof typeof CONTAINER_USER_SIDS] ?? CONTAINER_USER_SIDS.ContainerAdministrator;
    return createRegistry({ machine, users: { '.DEFAULT': stack('DEFAULT'), [userSid]: stack('USER') }, currentUser: userSid, clock });
  }

  /** Deletes the disk (docker rm). Idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.store.deleteDisk(this.disk);
  }
}

/**
 * A new sandbox for `image`: clones its top layer disk and mounts it, then
 * applies StorageSandboxSize as HCS does after creating a scratch layer
 * (moby's windowsfilter driver calls hcsshim ExpandSandboxSize, which
 * grows the VHDX and its volume "to at least size bytes"): a size above the
 * layer's volume size (20 GB, the platform's) makes the clone that large —
 * still O(1): a clone with a larger virtual size — and expands its NTFS
 * volume, so C: reports that size and refuses writes past it with
 * ERROR_DISK_FULL; a size at or below it changes nothing.
 *
 * Failures as HcsError(hcs::CreateComputeSystem, Win32 code, id): an image
 * without layers, or a size above HCS_LIMITS.maxSandboxSizeBytes, is
 * ERROR_INVALID_PARAMETER; the store's refusals (STATUS_INVALID_HANDLE for
 * a layer disk that is gone, out of space) are translated as
 * RtlNtStatusToDosError does.
 */
export function createSandbox(store: BlockStore, image: Image, id: string, requestedSizeBytes: number, clock: () => number): Sandbox {
  const top = image.layers[image.layers.length - 1];
  if (!top) throw new HcsError(HcsOp.CreateComputeSystem, ERROR_INVALID_PARAMETER, id);
  if (!Number.isSafeInteger(requestedSizeBytes) || requestedSizeBytes < 0 || requestedSizeBytes > HCS_LIMITS.maxSandboxSizeBytes) {
    throw new HcsError(HcsOp.CreateComputeSystem, ERROR_INVALID_PARAMETER, id);
  }
  let base = sizedLayer(store, top, requestedSizeBytes, id);
  let c = store.clone(base);
  if (c.status !== STATUS_SUCCESS && base !== top.disk) {
    // The expanded snapshot is gone (deleted behind the cache's back): make it again.
    SIZED.get(top)?.bySize.delete(requestedSizeBytes);
    base = sizedLayer(store, top, requestedSizeBytes, id);
    c = store.clone(base);
  }
  if (c.status !== STATUS_SUCCESS) throw new HcsError(HcsOp.CreateComputeSystem, ntStatusToWin32(c.status), id);
  const disk = c.disk;
  const volume = mountOrDelete(store, disk, clock);
  return new Sandbox(store, disk, image, volume, requestedSizeBytes, true);
}

/**
 * Per top layer: the disk a sandbox of each size is cloned from — the
 * layer itself, or a snapshot of it expanded to that size, made by the
 * first sandbox of that size (a clone with the larger virtual size, its
 * volume expanded, frozen). Later sandboxes of the size are O(1) clones
 * that write nothing at create (an expansion writes the boot record and
 * the bitmap: a first write into a clone copies map nodes, ~0.2 ms).
 * Nothing names these snapshots but this cache: a data root collects
 * them at its next open, and clones outlive their origin.
 */
const SIZED = new WeakMap<Layer, { store: BlockStore; disk: number; bySize: Map<number, number> }>();

function sizedLayer(store: BlockStore, top: Layer, requestedSizeBytes: number, id: string): number {
  let entry = SIZED.get(top);
  if (entry === undefined || entry.store !== store || entry.disk !== top.disk) SIZED.set(top, (entry = { store, disk: top.disk, bySize: new Map() }));
  const known = entry.bySize.get(requestedSizeBytes);
  if (known !== undefined) return known;
  const layer = mountOrDelete(store, cloneOf(store, top.disk, 0, id), () => 0);
  store.deleteDisk(layer.disk);
  const C = layer.clusterSize;
  const wanted = Math.floor(requestedSizeBytes / C) * C;
  let base = top.disk;
  if (wanted > layer.space().totalBytes) {
    base = cloneOf(store, top.disk, wanted, id);
    try {
      // Expanding writes no time stamp: the clock is never read.
      mountVolume(store, base, { clock: () => 0 }).expand(wanted);
      const st = store.snapshot(base);
      if (st !== STATUS_SUCCESS) throw new HcsError(HcsOp.CreateComputeSystem, ntStatusToWin32(st), id);
    } catch (e) {
      store.deleteDisk(base);
      if (e instanceof Win32Error) throw new HcsError(HcsOp.CreateComputeSystem, e.code, id);
      throw e;
    }
  }
  entry.bySize.set(requestedSizeBytes, base);
  return base;
}

/**
 * An O(1) clone of `layer`; with `virtualSize` > 0, one of that virtual
 * size (BlockStore.importDelta of a delta that changes nothing but the
 * size: "a clone of base with delta applied, of the delta's virtual size").
 */
function cloneOf(store: BlockStore, layer: number, virtualSize: number, id: string): number {
  let r;
  if (virtualSize === 0) r = store.clone(layer);
  else {
    const delta = new Uint8Array(DELTA_HEADER_BYTES);
    const v = new DataView(delta.buffer);
    v.setUint32(0, DELTA_MAGIC, true);
    v.setUint32(4, DELTA_VERSION, true);
    v.setUint32(8, store.blockSize, true);
    v.setUint32(12, virtualSize % 2 ** 32, true);
    v.setUint32(16, Math.floor(virtualSize / 2 ** 32), true);
    v.setUint32(20, 0, true);
    r = store.importDelta(layer, delta);
  }
  if (r.status !== STATUS_SUCCESS) throw new HcsError(HcsOp.CreateComputeSystem, ntStatusToWin32(r.status), id);
  return r.disk;
}

function mountOrDelete(store: BlockStore, disk: number, clock: () => number): NtfsVolume {
  try {
    return mountVolume(store, disk, { clock });
  } catch (e) {
    store.deleteDisk(disk);
    throw e;
  }
}

/**
 * Writes the container's names into its SYSTEM delta at each start, as the
 * platform sets a container's identity: Control\ComputerName\ComputerName
 * and ActiveComputerName (COMPUTERNAME, the NetBIOS name in capitals) and
 * Services\Tcpip\Parameters Hostname and NV Hostname (the DNS host name as
 * given).
 */
export function writeIdentity(registry: Registry, computerName: string, hostName: string): void {
  const control = 'HKLM\\SYSTEM\\ControlSet001\\Control\\ComputerName';
  for (const key of [`${control}\\ComputerName`, `${control}\\ActiveComputerName`]) {
    registry.createKey(key);
    registry.setValue(key, { name: 'ComputerName', type: REG_SZ, data: computerName });
  }
  const tcpip = 'HKLM\\SYSTEM\\ControlSet001\\Services\\Tcpip\\Parameters';
  registry.createKey(tcpip);
  registry.setValue(tcpip, { name: 'Hostname', type: REG_SZ, data: hostName });
  registry.setValue(tcpip, { name: 'NV Hostname', type: REG_SZ, data: hostName });
}
