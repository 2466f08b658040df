/**
 * A server silo: a container as the kernel sees it (windows-facts §2). A job
 * object promoted to a silo, with its id (`\Silos\<id>`), its own session,
 * its namespace root, its registry view and volumes, its programs, its
 * processes and, once started, its service control manager. The host is
 * silo 0 (id 0, session 0, no job).
 *
 * Life cycle: Kernel.createSilo → 'created'; start() boots it ('running');
 * shutdown() asks its processes to end and stops its services ('stopping'
 * → 'stopped'); terminate() ends everything at once. Once 'stopped' the job
 * has no active process, `\Silos\<id>` is gone and the session id is free.
 *
 * Suspension (the job freeze HCS PauseComputeSystem uses): suspend()
 * stops the silo's processes from making progress and resume() lets them
 * continue. A program only advances when one of its awaits settles, and
 * every await a ProcessContext offers (Sleep, reads and writes of its
 * standard handles, waiting on a child) passes through `gate`, which holds
 * the continuation while the silo is suspended; the job scheduler sees no
 * runnable thread of a suspended silo; new processes and console control
 * events wait until resume. Timers keep running (a Sleep that expires while
 * frozen completes on resume, as a suspended thread's wait does). A program
 * that awaits something outside its context is not held: programs use ctx.
 *
 * Shutdown, as `docker stop` drives it: every user process (not started by
 * the boot or the SCM) gets CTRL_SHUTDOWN_EVENT; one without a handler ends
 * at once with STATUS_CONTROL_C_EXIT — `docker stop` of a servercore `cmd`
 * shows "Exited (3221225786)" (microsoft/dotnet-framework-docker#431); one
 * whose handler took the event has the grace period (timeoutMs), then is
 * terminated with ExitCode.SiloTerminated (1067, decision). Services then
 * stop (their processes end with 0) and the system processes end with 0.
 */
import type { CpuRateControlInformation, ExtendedLimitInput, BasicAndIoAccountingInformation, ExtendedLimitInformation } from '../../core/jobs/index.js';
import type { FileSystemView } from '../fs/types.js';
import { CTRL_SHUTDOWN_EVENT, ExitCode } from '../process/constants.js';
import { Environment } from '../process/environment.js';
import type { CreateProcessOptions, Kernel } from '../process/kernel.js';
import { PROCESS_LIMITS } from '../process/limits.js';
import type { ChildProcess, Process } from '../process/process.js';
import { imageLookupCache, type ImageLookupCache, type ImageProbe } from '../process/image-search.js';
import { ProgramRegistry } from '../process/programs.js';
import type { Registry } from '../registry/types.js';
import type { ServiceSpec } from '../services/catalog.js';
import type { ServiceControlManager } from '../services/scm.js';
import { bootSilo } from './boot.js';
import { systemEnvironment, userEnvironment } from './environment.js';

export type SiloState = 'created' | 'running' | 'stopping' | 'stopped';

export interface SiloOptions {
  /** Which boot: 'servercore' (default), 'nanoserver' or 'iis'; any other value boots like servercore. */
  flavor?: string;
  /** The container's volumes as its processes see them. Without one, the program registry stands for the disk. */
  fs?: FileSystemView;
  /** The container's registry. Without one, the service database comes from `services`. */
  registry?: Registry;
  /** The registry the silo's own program registry chains to (default: the kernel's). */
  programs?: ProgramRegistry;
  /** The LocalSystem environment block (default: silo/environment.ts). */
  systemEnvironment?: Environment | Readonly<Record<string, string>>;
  /** The default user's environment block for processes the host creates (default: silo/environment.ts). */
  userEnvironment?: Environment | Readonly<Record<string, string>>;
  /** COMPUTERNAME (default: 12 upper-case hex digits derived from the silo id). */
  computerName?: string;
  /** Job limits (JOBOBJECT_EXTENDED_LIMIT_INFORMATION): `--memory`, active-process limits … */
  limits?: ExtendedLimitInput;
  /** CPU rate control: `--cpu-percent`, `--cpu-shares`. */
  cpuRate?: CpuRateControlInformation;
  /** The service database when there is no registry (default servicesFor(flavor)). */
  services?: readonly ServiceSpec[];
  /** The host device that is the container's C: (default HarddiskVolume4, 5, … never reused). */
  volume?: string;
  /** The process asking (JobObjectCreateSilo's caller): inside a silo the request fails. */
  creator?: Process | number;
  /**
   * Image lookups (GetFullPathName, which file a path names) to share with
   * other silos' boots: start() answers its lookups from it and adds to it.
   * The caller vouches that the files every silo given the same cache sees
   * are the same while it boots — the compute service passes one per image
   * for a sandbox that still reads exactly as its image's top layer. Without
   * it each boot looks every path up once.
   */
  imageLookups?: ImageLookupCache;
}

/** @internal */
export interface SiloIdentity {
  id: number;
  sessionId: number;
  job: number;
  volume: string;
  flavor: string;
}

export class Silo {
  readonly id: number;
  readonly sessionId: number;
  /** The job object (an id of kernel.jobs); 0 for the host. */
  readonly job: number;
  /** The device name of its C: (`HarddiskVolume5`). */
  readonly volume: string;
  readonly flavor: string;
  readonly computerName: string;
  readonly fs: FileSystemView | undefined;
  readonly registry: Registry | undefined;
  /** Programs visible in this silo: register a container's own here. */
  readonly programs: ProgramRegistry;
  readonly systemEnvironment: Environment;
  readonly userEnvironment: Environment;
  state: SiloState = 'created';
  /** services.exe's database and state, once started. */
  scm: ServiceControlManager | undefined = undefined;
  /** The boot's processes, by role (smss is the silo's master session manager). */
  readonly roles: { smss?: Process; csrss?: Process; wininit?: Process; services?: Process; lsass?: Process; cexecsvc?: Process } = {};
  /** The job's accounting and limits as they were when the silo stopped. */
  finalAccounting: BasicAndIoAccountingInformation | undefined = undefined;
  /** @internal running processes in creation order */
  readonly processes = new Set<Process>();
  /** @internal */
  readonly serviceDatabase: readonly ServiceSpec[] | undefined;
  /** @internal image-search lookups of the boot (set only while start() runs: the files cannot change meanwhile) */
  bootLookups: ImageLookupCache | undefined = undefined;
  /** @internal the silo's image probe answering from bootLookups (made on first use during start()) */
  bootProbe: ImageProbe | undefined = undefined;
  private readonly imageLookups: ImageLookupCache | undefined;
  private stopping: Promise<void> | undefined = undefined;
  /** While suspended: resolved by resume() (or by the silo ending). */
  private frozen: { promise: Promise<void>; resolve: () => void } | undefined = undefined;
  /** Work held until resume (programs to start, console control events), in arrival order. */
  private deferred: (() => void)[] = [];

  /** @internal use Kernel.createSilo */
  constructor(
    readonly kernel: Kernel,
    identity: SiloIdentity,
    options: SiloOptions,
  ) {
    this.id = identity.id;
    this.sessionId = identity.sessionId;
    this.job = identity.job;
    this.volume = identity.volume;
    this.flavor = identity.flavor;
    this.computerName = options.computerName ?? defaultComputerName(identity.id);
    this.fs = options.fs;
    this.registry = options.registry;
    this.programs = new ProgramRegistry(options.programs ?? kernel.programs);
    const d = { computerName: this.computerName, flavor: this.flavor, cpuCount: kernel.cpuCount };
    this.systemEnvironment = toEnvironment(options.systemEnvironment) ?? systemEnvironment(d);
    this.userEnvironment = toEnvironment(options.userEnvironment) ?? userEnvironment(d);
    this.serviceDatabase = options.services;
    this.imageLookups = options.imageLookups;
  }

  /**
   * Boots the silo: smss, its session child (which starts csrss and
   * wininit and exits), services and lsass under wininit, then the
   * services (CExecSvc, svchost instances) under services.exe. Synchronous:
   * when start returns the container is ready for its first process.
   */
  start(): void {
    if (this.id === 0) throw new Error('winsilo: the host is already running');
    if (this.state !== 'created') throw new Error(`winsilo: silo ${this.id} is ${this.state}`);
    this.state = 'running';
    this.bootLookups = this.imageLookups ?? imageLookupCache();
    try {
      bootSilo(this);
    } catch (e) {
      this.terminate();
      throw e;
    } finally {
      this.bootLookups = undefined;
      this.bootProbe = undefined;
    }
  }

  /** True between suspend() and resume(). */
  get suspended(): boolean {
    return this.frozen !== undefined;
  }

  /**
   * Freezes the silo's processes (a job freeze — NtSetInformationJobObject
   * with the undocumented JobObjectFreezeInformation class, which is how we
   * take HCS PauseComputeSystem to stop a container): their awaits hold, the
   * scheduler charges them nothing. Only a running silo can be suspended;
   * suspending a suspended one does nothing.
   */
  suspend(): void {
    if (this.id === 0) throw new Error('winsilo: the host cannot be suspended');
    if (this.state !== 'running') throw new Error(`winsilo: silo ${this.id} is ${this.state}`);
    if (this.frozen) return;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.frozen = { promise, resolve };
    this.kernel.suspendScheduling(this);
  }

  /** Thaws a suspended silo: held continuations, programs and control events go on, in order. No effect otherwise. */
  resume(): void {
    const f = this.frozen;
    if (!f) return;
    this.frozen = undefined;
    if (this.state === 'running') this.kernel.resumeScheduling(this);
    f.resolve();
    const work = this.deferred;
    this.deferred = [];
    for (const w of work) w();
  }

  /**
   * @internal A program's await: settles as `p` does, but not while the silo
   * is suspended (a rejection — the process ended — passes at once).
   */
  gate<T>(p: Promise<T>): Promise<T> {
    const q = p.then((v) => (this.frozen ? this.thawed(v) : v));
    // Like the pipe's own failures: a program that does not await a failed
    // write must not become an unhandled rejection in the host.
    q.catch(noop);
    return q;
  }

  private async thawed<T>(v: T): Promise<T> {
    while (this.frozen) await this.frozen.promise;
    return v;
  }

  /** @internal Runs `work` now, or on resume when suspended. */
  whenRunnable(work: () => void): void {
    if (this.frozen) this.deferred.push(work);
    else work();
  }

  /** The default creator of processes the host starts in this silo: CExecSvc.exe once it runs. */
  defaultParent(): Process | undefined {
    const c = this.roles.cexecsvc;
    return c?.running ? c : undefined;
  }

  /** CreateProcess in this silo (see Kernel.createProcess). */
  createProcess(options: Omit<CreateProcessOptions, 'silo'>): ChildProcess {
    return this.kernel.createProcess({ ...options, silo: this });
  }

  /** Running processes in creation order. */
  listProcesses(): Process[] {
    return [...this.processes];
  }

  /** JOBOBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION of the silo's job (the final figures once stopped). */
  accounting(): BasicAndIoAccountingInformation | undefined {
    if (this.job === 0) return undefined;
    if (this.state === 'stopped') return this.finalAccounting;
    return this.kernel.jobs.queryAccounting(this.job).info;
  }

  /** The job's limits and peaks. */
  limits(): ExtendedLimitInformation | undefined {
    if (this.job === 0 || this.state === 'stopped') return undefined;
    return this.kernel.jobs.queryExtendedLimits(this.job).info;
  }

  /**
   * Orderly shutdown (HCS ShutdownComputeSystem, `docker stop`). Resolves once
   * the silo is stopped. `timeoutMs`: the grace period for processes that
   * handled CTRL_SHUTDOWN_EVENT (default PROCESS_LIMITS.shutdownTimeoutMs).
   */
  shutdown(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.id === 0) return Promise.reject(new Error('winsilo: the host is not shut down through its silo'));
    if (this.state === 'stopped') return Promise.resolve();
    if (this.stopping) return this.stopping;
    // A frozen silo cannot hear CTRL_SHUTDOWN_EVENT: thaw it first.
    this.resume();
    this.state = 'stopping';
    const timeoutMs = options.timeoutMs ?? PROCESS_LIMITS.shutdownTimeoutMs;
    this.stopping = (async () => {
      const user = [...this.processes].filter((p) => !p.system);
      for (const p of user) this.kernel.deliverCtrlEvent(p, CTRL_SHUTDOWN_EVENT);
      const left = user.filter((p) => p.running);
      if (left.length > 0) {
        let timer: unknown;
        await Promise.race([
          Promise.all(left.map((p) => p.wait())),
          new Promise<void>((resolve) => {
            timer = this.kernel.timers.setTimeout(resolve, timeoutMs);
          }),
        ]);
        this.kernel.timers.clearTimeout(timer);
      }
      if (this.state !== 'stopping') return;
      for (const p of [...this.processes]) if (!p.system) this.kernel.endProcess(p, ExitCode.SiloTerminated);
      this.scm?.shutdown();
      this.finish(0);
    })();
    return this.stopping;
  }

  /** HCS TerminateComputeSystem: every process ends now with ExitCode.SiloTerminated. */
  terminate(): void {
    if (this.id === 0 || this.state === 'stopped') return;
    this.state = 'stopping';
    for (const p of [...this.processes]) if (!p.system) this.kernel.endProcess(p, ExitCode.SiloTerminated);
    this.finish(ExitCode.SiloTerminated);
    // Held continuations run (and meet ProcessExitSignal); held work is dropped.
    this.deferred = [];
    this.resume();
  }

  /** @internal */
  processExited(p: Process): void {
    this.scm?.processExited(p);
  }

  private finish(systemExitCode: number): void {
    // The rest, children before parents (reverse creation order).
    for (const p of [...this.processes].reverse()) this.kernel.endProcess(p, systemExitCode);
    this.finalAccounting = this.kernel.jobs.queryAccounting(this.job).info;
    this.state = 'stopped';
    this.kernel.siloEnded(this);
  }
}

const noop = (): void => {};

function toEnvironment(e: Environment | Readonly<Record<string, string>> | undefined): Environment | undefined {
  if (e === undefined) return undefined;
  return e instanceof Environment ? e : Environment.from(e);
}

/** 12 hex digits, as Docker names a container's host after its short id; ours derive from the silo id. */
function defaultComputerName(id: number): string {
  let x = (Math.imul(id ^ 0x5bd1e995, 0x9e3779b1) >>> 0).toString(16);
  let y = (Math.imul(id + 0x7f4a7c15, 0x85ebca6b) >>> 0).toString(16);
  x = x.padStart(8, '0');
  y = y.padStart(8, '0');
  return (x + y).slice(0, 12).toUpperCase();
}
