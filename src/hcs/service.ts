/**
 * The Host Compute Service (vmcompute.exe): one per container host. It
 * creates, opens and enumerates compute systems — containers, and the
 * utility VMs of Hyper-V containers — over the host's kernel and the block
 * store that holds image layers and sandboxes. README.md gives the terms
 * and the state machine; compute-system.ts the per-system calls.
 *
 * createComputeSystem, in order:
 *  1. the id and document: a non-empty string id, an Image with layers,
 *     numbers in range (resources.ts) — else ERROR_VMCOMPUTE_INVALID_JSON
 *     (decision: the code HCS gives a document it cannot use);
 *  2. the id unused by any system (utility VMs included) — else
 *     ERROR_VMCOMPUTE_SYSTEM_ALREADY_EXISTS;
 *  3. version compatibility (compat.ts checkComputeSystemCompat, windows-facts
 *     §5): process isolation needs a build the host's kernel runs, Hyper-V
 *     runs older builds — `hcs::CreateComputeSystem <id>: The container
 *     operating system does not match the host operating system.`;
 *  4. the mapped directories' host paths (ERROR_PATH_NOT_FOUND for one that
 *     is not a directory; two mappings of one container path
 *     INVALID_JSON);
 *  5. the sandbox: the one given (`Sandbox`, for a container started again),
 *     or a new clone of the top layer.
 * Nothing is left behind when a step fails.
 */
import { createHash } from 'node:crypto';
import type { BlockStore } from '../core/blocks/index.js';
import { Win32Error } from '../core/win32.js';
import type { Kernel } from '../kernel/process/kernel.js';
import { checkComputeSystemCompat, defaultIsolation, type HostSku, type Isolation } from './compat.js';
import { ComputeSystem, type ComputeSystemSettings, type ServiceContext } from './compute-system.js';
import {
  ERROR_VMCOMPUTE_INVALID_JSON,
  ERROR_VMCOMPUTE_SYSTEM_ALREADY_EXISTS,
  ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND,
  HcsError,
  HcsOp,
} from './errors.js';
import { HCS_LIMITS } from './limits.js';
import { normaliseContainerPath, openMapping, type ActiveMapping } from './mapped-directories.js';
import { resourceProblem } from './resources.js';
import { createSandbox, type Sandbox } from './sandbox.js';
import type { ComputeSystemConfig, ComputeSystemQuery, ComputeSystemSummary } from './types.js';
import { UtilityVmPool, type UtilityVm } from './utility-vm.js';
import { LTSC2022, parseOsVersion, windows10, type OsVersion } from './versions.js';

export interface ComputeServiceOptions {
  /** The host's kernel (silo 0): process-isolated containers run on it. */
  kernel: Kernel;
  /** Holds the image layers' disks and the sandboxes. */
  store: BlockStore;
  /** The host's Windows build (default 20348, ltsc2022). */
  hostBuild?: number;
  /** The host's update revision (UBR); default 0. Compatibility ignores it. */
  hostRevision?: number;
  /** 'server' (default isolation process) or 'client' (hyperv). */
  sku?: HostSku;
  /** ms since 1970 (default: the kernel's clock). */
  clock?: () => number;
  /** Pre-booted utility VMs per processor count (default HCS_LIMITS.spareUtilityVms). */
  spareUtilityVms?: number;
  /** Boot the spare utility VMs at construction (default false: at the first Hyper-V start). */
  prewarmUtilityVms?: boolean;
}

/** Decision: the namespace of RuntimeIds (name-based GUIDs of the system id and a service-wide start counter). */
const RUNTIME_ID_NAMESPACE = 'winsilo.hcs.runtime-id';

export class ComputeService {
  readonly kernel: Kernel;
  readonly store: BlockStore;
  readonly hostVersion: OsVersion;
  readonly sku: HostSku;
  /** The isolation a configuration without one gets. */
  readonly defaultIsolation: Isolation;
  readonly clock: () => number;
  /** The saved-state template of utility VMs. */
  readonly utilityVms: UtilityVmPool;
  private readonly systems = new Map<string, ComputeSystem>();
  private readonly vms = new Map<string, UtilityVm>();
  private runs = 0;
  private readonly ctx: ServiceContext;

  constructor(options: ComputeServiceOptions) {
    this.kernel = options.kernel;
    this.store = options.store;
    this.hostVersion = windows10(options.hostBuild ?? LTSC2022, options.hostRevision ?? 0);
    this.sku = options.sku ?? 'server';
    this.defaultIsolation = defaultIsolation(this.sku);
    this.clock = options.clock ?? options.kernel.clock;
    this.utilityVms = new UtilityVmPool(options.kernel, { spares: options.spareUtilityVms });
    if (options.prewarmUtilityVms) this.utilityVms.prewarm();
    const self = this;
    this.ctx = {
      kernel: this.kernel,
      store: this.store,
      clock: this.clock,
      pool: this.utilityVms,
      runtimeId: (id) => runtimeGuid(`${id}\n${++self.runs}`),
      registerUtilityVm: (vm) => self.vms.set(vm.id, vm),
      forget: (id) => {
        self.systems.delete(id);
        self.vms.delete(id);
      },
    };
  }

  /** HcsCreateComputeSystem: a container in state Created (see the file comment for the checks and their errors). */
  createComputeSystem(id: string, config: ComputeSystemConfig): ComputeSystem {
    const op = HcsOp.CreateComputeSystem;
    const fail = (code: number): never => {
      throw new HcsError(op, code, String(id));
    };
    if (typeof id !== 'string' || id === '' || typeof config !== 'object' || config === null) fail(ERROR_VMCOMPUTE_INVALID_JSON);
    const image = config.Image;
    if (!image || !Array.isArray(image.layers) || image.layers.length === 0 || !image.base) fail(ERROR_VMCOMPUTE_INVALID_JSON);
    if (this.systems.has(id) || this.vms.has(id)) fail(ERROR_VMCOMPUTE_SYSTEM_ALREADY_EXISTS);
    const isolation = config.Isolation ?? this.defaultIsolation;
    if (isolation !== 'process' && isolation !== 'hyperv') fail(ERROR_VMCOMPUTE_INVALID_JSON);
    const imageVersion = parseOsVersion(image.osVersion);
    if (!imageVersion) fail(ERROR_VMCOMPUTE_INVALID_JSON);
    checkComputeSystemCompat(id, this.hostVersion, imageVersion!, isolation);
    if (resourceProblem(config) !== undefined) fail(ERROR_VMCOMPUTE_INVALID_JSON);
    for (const s of [config.Owner, config.Name, config.HostName]) if (s !== undefined && typeof s !== 'string') fail(ERROR_VMCOMPUTE_INVALID_JSON);

    const mappings: ActiveMapping[] = [];
    const seen = new Set<string>();
    for (const md of config.MappedDirectories ?? []) {
      if (typeof md !== 'object' || md === null || typeof md.HostPath !== 'string' || typeof md.ContainerPath !== 'string') fail(ERROR_VMCOMPUTE_INVALID_JSON);
      const key = normaliseContainerPath(md.ContainerPath).toUpperCase();
      if (seen.has(key)) fail(ERROR_VMCOMPUTE_INVALID_JSON);
      seen.add(key);
      try {
        mappings.push(openMapping(id, md.HostPath, md.ContainerPath, md.ReadOnly === true));
      } catch (e) {
        if (e instanceof Win32Error) fail(e.code);
        throw e;
      }
    }

    const sizeBytes = config.StorageSandboxSize || HCS_LIMITS.defaultSandboxSizeBytes;
    let sandbox: Sandbox;
    if (config.Sandbox !== undefined) {
      sandbox = config.Sandbox;
      if (sandbox.destroyed || sandbox.store !== this.store || sandbox.image.id !== image.id) fail(ERROR_VMCOMPUTE_INVALID_JSON);
    } else {
      sandbox = createSandbox(this.store, image, id, sizeBytes, this.clock);
    }

    const settings: ComputeSystemSettings = {
      Owner: config.Owner ?? '',
      Name: config.Name ?? id,
      Isolation: isolation,
      HostName: config.HostName || id.slice(0, 12),
      Image: image,
      MemoryMaximumInMB: config.MemoryMaximumInMB ?? 0,
      Processor: {
        Count: config.ProcessorCount || undefined,
        Maximum: config.ProcessorMaximum || undefined,
        Weight: config.ProcessorWeight || undefined,
      },
      StorageSandboxSize: sizeBytes,
      Programs: config.Programs,
    };
    const system = new ComputeSystem(this.ctx, id, settings, sandbox, mappings);
    this.systems.set(id, system);
    return system;
  }

  /** HcsOpenComputeSystem: a container by id; ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND if none (utility VMs are not opened here: `utilityVm(id)`). */
  openComputeSystem(id: string): ComputeSystem {
    const s = this.systems.get(id);
    if (!s) throw new HcsError(HcsOp.OpenComputeSystem, ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND, String(id));
    return s;
  }

  /** A running utility VM by its id (`<container id>@vm`). */
  utilityVm(id: string): UtilityVm | undefined {
    return this.vms.get(id);
  }

  /**
   * HcsEnumerateComputeSystems: every system matching the query (each list
   * given must contain the system's value; ids and names compare exactly,
   * as HCS's do), containers and utility VMs, in creation order.
   */
  enumerateComputeSystems(query: ComputeSystemQuery = {}): ComputeSystemSummary[] {
    const out: ComputeSystemSummary[] = [];
    const match = (list: readonly string[] | undefined, v: string) => list === undefined || list.includes(v);
    const all: ComputeSystemSummary[] = [];
    for (const s of this.systems.values()) {
      all.push(s.summary());
      const vm = s.utilityVm;
      if (vm && this.vms.get(vm.id) === vm) all.push(vm.summary());
    }
    for (const s of all) {
      if (match(query.Ids, s.Id) && match(query.Types, s.SystemType) && match(query.Names, s.Name) && match(query.Owners, s.Owner)) out.push(s);
    }
    return out;
  }

  /** Terminates every running system and closes them all (the host going away). Sandboxes are kept unless `deleteSandboxes`. */
  close(options: { deleteSandboxes?: boolean } = {}): void {
    for (const s of [...this.systems.values()]) s.close({ deleteSandbox: options.deleteSandboxes });
    this.utilityVms.close();
  }
}

/** A GUID from a name (RFC 4122 version 5 shape), lower-case as HCS prints RuntimeIds. */
function runtimeGuid(name: string): string {
  const h = createHash('sha1').update(RUNTIME_ID_NAMESPACE).update('\n').update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex', 0, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
