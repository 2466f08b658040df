/**
 * Utility VMs: the virtual machine a Hyper-V isolated container runs in
 * (windows-facts §5). Its kernel is its own — a separate Kernel instance
 * with its own object namespace root and job tree — so the container's
 * processes, silo and jobs are invisible to the host kernel, and the
 * container's Windows build may be older than the host's.
 *
 * Start stays fast the way HCS keeps it fast: Windows boots a utility VM
 * from a saved-state template instead of cold-booting it. Here the
 * template is a pool of pre-booted spare kernels per processor count
 * (HCS_LIMITS.spareUtilityVms); taking one schedules its replacement on
 * the host kernel's timers (background work, injectable in tests), so a
 * Hyper-V container's start pays no kernel boot unless the pool is empty.
 *
 * Memory: a WASM object namespace reserves ~8.5 MiB per instance, 8 MiB of
 * it the path cache, allocated and zero-filled at initialisation —
 * `setPathCache(false)` only stops its use and frees nothing. A utility VM
 * runs one container, so its kernel uses the TypeScript reference namespace
 * (RefObjectNamespace: the model-tested oracle of the WASM one, identical
 * answers) and the WASM job module configured for the VM's processors.
 * Measured (warm JIT): a VM kernel boots in ~1.2 ms and adds < 0.1 MiB of
 * RSS; a minimal kernel on the WASM namespace takes ~15 ms and ~8.5 MiB.
 *
 * Naming: a container's utility VM is the compute system `<id>@vm`, as the
 * containerd shim names it (hcsshim cmd/containerd-shim-runhcs-v1
 * task_hcs.go), owned by the container's owner. On the host it shows as a
 * worker process, vmwp.exe, started by vmcompute.exe.
 */
import { WasmJobObjects, type JobObjects } from '../core/jobs/index.js';
import { RefObjectNamespace } from '../core/ob/index.js';
import type { Process } from '../kernel/process/index.js';
import { Kernel } from '../kernel/process/kernel.js';
import { HCS_LIMITS } from './limits.js';
import type { ComputeSystemState, ComputeSystemSummary } from './types.js';

/** The worker process of a virtual machine on the host. */
export const VMWP_IMAGE = 'C:\\Windows\\System32\\vmwp.exe';

/** A booted utility VM kernel, Idle and System only (host 'minimal'), ready for its container's silo. */
export function bootUtilityVmKernel(host: Kernel, processorCount: number): Kernel {
  const jobs: JobObjects = new WasmJobObjects();
  jobs.configure(processorCount, jobs.schedulerInformation().interval);
  return new Kernel({
    host: 'minimal',
    ob: new RefObjectNamespace(),
    jobs,
    clock: host.clock,
    timers: host.timers,
    cpuCount: processorCount,
    programs: host.programs,
  });
}

export interface UtilityVmPoolOptions {
  /** Spares kept per processor count (default HCS_LIMITS.spareUtilityVms; 0: boot on demand). */
  spares?: number;
}

/** The saved-state template: pre-booted spare utility VM kernels, replaced in the background as they are taken. */
export class UtilityVmPool {
  private readonly spares = new Map<number, Kernel[]>();
  private readonly refilling = new Set<number>();
  readonly capacity: number;
  /** Kernels booted so far (spares and on-demand). */
  boots = 0;
  /** Starts that found a spare. */
  hits = 0;
  private closed = false;

  constructor(
    private readonly host: Kernel,
    options: UtilityVmPoolOptions = {},
  ) {
    this.capacity = options.spares ?? HCS_LIMITS.spareUtilityVms;
  }

  /** Spares ready for `processorCount`. */
  ready(processorCount: number): number {
    return this.spares.get(processorCount)?.length ?? 0;
  }

  /** Boots spares for `processorCount` now, up to the pool's capacity (e.g. at service start). */
  prewarm(processorCount: number = HCS_LIMITS.utilityVmProcessorCount): void {
    const list = this.list(processorCount);
    while (!this.closed && list.length < this.capacity) list.push(this.boot(processorCount));
  }

  /** A booted kernel: a spare when one is ready (its replacement boots in the background), else one booted now. */
  take(processorCount: number): Kernel {
    const spare = this.spares.get(processorCount)?.shift();
    if (spare) this.hits++;
    this.scheduleRefill(processorCount);
    return spare ?? this.boot(processorCount);
  }

  /** Drops the spares and stops refilling. */
  close(): void {
    this.closed = true;
    this.spares.clear();
  }

  private list(processorCount: number): Kernel[] {
    let l = this.spares.get(processorCount);
    if (!l) this.spares.set(processorCount, (l = []));
    return l;
  }

  private boot(processorCount: number): Kernel {
    this.boots++;
    return bootUtilityVmKernel(this.host, processorCount);
  }

  private scheduleRefill(processorCount: number): void {
    if (this.capacity === 0 || this.closed || this.refilling.has(processorCount)) return;
    this.refilling.add(processorCount);
    this.host.timers.setTimeout(() => {
      this.refilling.delete(processorCount);
      this.prewarm(processorCount);
    }, 0);
  }
}

/** A running utility VM: its kernel, its identity as a compute system, its worker process on the host. */
export class UtilityVm {
  state: ComputeSystemState = 'Running';
  readonly startTime: number;
  stopTime = 0;

  constructor(
    /** `<container id>@vm`. */
    readonly id: string,
    readonly owner: string,
    readonly runtimeId: string,
    readonly kernel: Kernel,
    readonly memoryInMB: number,
    /** vmwp.exe on the host kernel. */
    readonly worker: Process | undefined,
  ) {
    this.startTime = kernel.clock();
  }

  get processorCount(): number {
    return this.kernel.cpuCount;
  }

  summary(): ComputeSystemSummary {
    return {
      Id: this.id,
      Name: this.id,
      SystemType: 'VirtualMachine',
      Owner: this.owner,
      State: this.state,
      RuntimeOsType: 'windows',
      RuntimeId: this.runtimeId,
      ...(this.state === 'Stopped' ? { Stopped: true } : {}),
    };
  }

  /** Powers the VM off: its silos are gone with its kernel; the worker process ends. */
  stop(host: Kernel): void {
    if (this.state === 'Stopped') return;
    for (const s of this.kernel.silos()) s.terminate();
    this.state = 'Stopped';
    this.stopTime = this.kernel.clock();
    if (this.worker?.running) host.endProcess(this.worker, 0);
  }
}

/** The host's vmwp.exe for a VM: parent vmcompute.exe (System on a minimal host), session 0. */
export function startWorkerProcess(host: Kernel, vmGuid: string): Process {
  const vmcompute = host.host.listProcesses().find((p) => p.imageName.toLowerCase() === 'vmcompute.exe') ?? host.system;
  return host.createSystemProcess({ silo: host.host, parent: vmcompute, imagePath: VMWP_IMAGE, commandLine: `"${VMWP_IMAGE}" ${vmGuid}`, sessionId: 0 });
}
