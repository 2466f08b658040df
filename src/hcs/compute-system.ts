/**
 * A compute system: one container as the Host Compute Service keeps it —
 * its configuration, its sandbox, its state, and while it runs the server
 * silo its processes live in (on the host kernel, or in its utility VM's
 * kernel under Hyper-V isolation).
 *
 * States and the calls that move between them (HCS; windows-facts §6):
 *
 *                 Start                Pause
 *   Created ────────────▶ Running ◀──────────▶ Paused
 *      ▲                  │  ▲        Resume      │
 *      │      Shutdown /  │  │ Start              │ Terminate
 *      │      Terminate   ▼  │ (a new silo)       ▼
 *      └─ (close) ──── Stopped ◀──────────────────┘
 *
 * Each Start boots a new silo (new silo id, session, namespace root and
 * job) on the same sandbox — a restart keeps the container's files and
 * registry changes. A container does not stop when its last user process
 * ends: the engine shuts it down when its main process exits.
 *
 * Calls in the wrong state fail as vmcompute answers (decisions where the
 * HCS documentation is silent are marked so):
 *  - Start while Running or Paused: ERROR_VMCOMPUTE_INVALID_STATE
 *  - Pause unless Running, Resume unless Paused: ERROR_VMCOMPUTE_INVALID_STATE
 *  - Shutdown or Terminate of a system that is not running (Created,
 *    Stopped): ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED, "… is not running."
 *    (hcsshim swallows this one, treating the system as already stopped);
 *    Shutdown while Paused: ERROR_VMCOMPUTE_INVALID_STATE (decision: a
 *    frozen guest cannot hear the shutdown; Terminate works)
 *  - CreateProcess unless Running: Created/Stopped SYSTEM_ALREADY_STOPPED,
 *    Paused INVALID_STATE (decision)
 *  - Modify of a stopped system: SYSTEM_ALREADY_STOPPED (decision)
 *  - any call after close(): ERROR_INVALID_HANDLE (what vmcompute answers on
 *    a closed handle — hcsshim ErrInvalidHandle)
 *  - Start on a destroyed sandbox: ERROR_PATH_NOT_FOUND; on a sandbox another
 *    running system has mounted: ERROR_SHARING_VIOLATION (decisions)
 * Errors are HcsError(op, code, id): `hcs::System::Start <id>: <text>`.
 *
 * Pause/Resume freeze and thaw the silo (Silo.suspend: its programs' awaits
 * hold, the scheduler charges them nothing). moby refuses to pause a
 * process-isolated container before asking HCS ("not implemented for
 * containers using process isolation", libcontainerd/local); HCS itself
 * is modelled as able to freeze both kinds — the engine decides.
 */
import type { BlockStore } from '../core/blocks/index.js';
import { NtStatusError } from '../core/errors.js';
import { JOB_OBJECT_LIMIT_JOB_MEMORY, type BasicAndIoAccountingInformation } from '../core/jobs/index.js';
import {
  ERROR_FILE_NOT_FOUND,
  ERROR_INVALID_HANDLE,
  ERROR_INVALID_PARAMETER,
  ERROR_LOGON_FAILURE,
  ERROR_PATH_NOT_FOUND,
  ERROR_SHARING_VIOLATION,
  Win32Error,
  ntStatusToWin32,
} from '../core/win32.js';
import { DEFAULT_PROCESSOR, USER_PATH, computerNameFor, containerEnvironment, systemEnvironment } from '../images/base/catalog.js';
import type { Image } from '../images/types.js';
import { SiloFileSystem } from '../kernel/fs/index.js';
import { Console, Environment, type ChildProcess, type StdioOption } from '../kernel/process/index.js';
import type { Kernel } from '../kernel/process/kernel.js';
import type { ProgramRegistry } from '../kernel/process/programs.js';
import { REG_EXPAND_SZ, REG_SZ, type Registry } from '../kernel/registry/types.js';
import type { Silo } from '../kernel/silo/index.js';
import type { Isolation } from './compat.js';
import {
  ERROR_VMCOMPUTE_INVALID_JSON,
  ERROR_VMCOMPUTE_INVALID_STATE,
  ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED,
  HCS_NOT_SUPPORTED,
  HcsError,
  HcsOp,
} from './errors.js';
import { HCS_LIMITS } from './limits.js';
import { normaliseContainerPath, openMapping, type ActiveMapping } from './mapped-directories.js';
import { ComputeProcess, validConsoleDimension } from './process.js';
import { cpuRateFor, memoryLimits, resourceProblem, type ProcessorSettings } from './resources.js';
import { writeIdentity, type Sandbox } from './sandbox.js';
import {
  ResourcePath,
  type ComputeSystemProperties,
  type ComputeSystemState,
  type ComputeSystemSummary,
  type ExitType,
  type MappedDirectory,
  type ModifySettingRequest,
  type ProcessListItem,
  type ProcessParameters,
  type PropertyQuery,
  type Statistics,
} from './types.js';
import { UtilityVm, startWorkerProcess, type UtilityVmPool } from './utility-vm.js';

/** @internal What a compute system needs of its service. */
export interface ServiceContext {
  readonly kernel: Kernel;
  readonly store: BlockStore;
  readonly clock: () => number;
  readonly pool: UtilityVmPool;
  /** A new RuntimeId (a GUID) for a start of `id`. */
  runtimeId(id: string): string;
  registerUtilityVm(vm: UtilityVm): void;
  forget(id: string): void;
}

/** The configuration a system keeps (normalised; the resource fields change with Modify). */
export interface ComputeSystemSettings {
  readonly Owner: string;
  readonly Name: string;
  readonly Isolation: Isolation;
  readonly HostName: string;
  readonly Image: Image;
  MemoryMaximumInMB: number;
  Processor: ProcessorSettings;
  readonly StorageSandboxSize: number;
  readonly Programs: ProgramRegistry | undefined;
}

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const iso = (ms: number): string => new Date(ms).toISOString();
const USERS = ['ContainerAdministrator', 'ContainerUser'] as const;
type ContainerUserName = (typeof USERS)[number];

/**
 * containerEnvironment depends on the container only through COMPUTERNAME:
 * the rest is built once per base image, user and processor count, as a
 * block each container's copy shares until it changes (Environment.clone).
 */
const ENVIRONMENTS = new WeakMap<object, Map<string, { record: Record<string, string>; block: Environment; inPlace: boolean }>>();

function environmentBlock(image: Image, user: ContainerUserName, cpus: number, computerName: string): Environment {
  let byKey = ENVIRONMENTS.get(image.base);
  if (!byKey) ENVIRONMENTS.set(image.base, (byKey = new Map()));
  const key = `${user}|${cpus}`;
  let template = byKey.get(key);
  if (!template) {
    const record: Record<string, string> = {};
    for (const v of containerEnvironment(image.base, { containerId: 'template', user, cpu: { ...DEFAULT_PROCESSOR, count: cpus } })) record[v.name] = v.value;
    const block = Environment.from(record);
    // A copy with COMPUTERNAME set is the block Environment.from({ ...record,
    // COMPUTERNAME }) gives, provided the record spells the name so and set()
    // replaces it in place rather than inserting it (it does when the block is
    // sorted up to it): checked once, on a throw-away copy.
    const probe = block.clone();
    probe.set('COMPUTERNAME', '');
    template = { record, block, inPlace: Object.hasOwn(record, 'COMPUTERNAME') && probe.size === block.size };
    byKey.set(key, template);
  }
  if (!template.inPlace) return Environment.from({ ...template.record, COMPUTERNAME: computerName });
  const env = template.block.clone();
  env.set('COMPUTERNAME', computerName);
  return env;
}

const SYSTEM_ENVIRONMENT_KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment';
const USER_ENVIRONMENT_KEY = 'HKCU\\Environment';

/** A key's string values (name → raw data and whether REG_EXPAND_SZ), memoised per layer identity when the image's layers alone decide the key. */
const ENV_VALUES = new WeakMap<object, { ids: readonly object[]; values: Map<string, { data: string; expand: boolean }> }>();

function environmentValues(registry: Registry, key: string): Map<string, { data: string; expand: boolean }> {
  const ids = registry.layerIdentity?.(key);
  const cached = ids && ids.length > 0 ? ENV_VALUES.get(ids[0]!) : undefined;
  if (cached && ids && cached.ids.length === ids.length && cached.ids.every((x, i) => x === ids[i])) return cached.values;
  const values = new Map<string, { data: string; expand: boolean }>();
  try {
    for (const v of registry.enumValues(key)) {
      if ((v.type === REG_SZ || v.type === REG_EXPAND_SZ) && typeof v.data === 'string') values.set(v.name.toUpperCase(), { data: v.data, expand: v.type === REG_EXPAND_SZ });
    }
  } catch {
    /* no such key */
  }
  if (ids && ids.length > 0) ENV_VALUES.set(ids[0]!, { ids, values });
  return values;
}

/**
 * What a process's environment block takes from the registry, as
 * CreateEnvironmentBlock builds it: the system variables
 * (Session Manager\Environment, REG_EXPAND_SZ expanded), then the
 * user's (HKCU\Environment; its Path after the system Path). The block
 * built from the base image already holds the image's own values; what
 * differs from them — `setx /M`, `setx`,
 * [Environment]::SetEnvironmentVariable(…, 'Machine'), in this container
 * or in a layer it was committed from (a Dockerfile's earlier RUN) — is
 * laid over it. System values expand without ProgramFiles, as Windows
 * expands them before that is defined (catalog.ts systemEnvironment).
 */
function registryEnvironment(env: Environment, registry: Registry, image: Image): void {
  const base = new Map(systemEnvironment(image.base).map((v) => [v.name.toUpperCase(), v.value]));
  const system = environmentValues(registry, SYSTEM_ENVIRONMENT_KEY);
  const user = environmentValues(registry, USER_ENVIRONMENT_KEY);
  const expandSystem = (v: { data: string; expand: boolean }): string =>
    v.expand ? v.data.replace(/%([^%]+)%/g, (whole, n: string) => (/^ProgramFiles$/i.test(n) ? whole : (env.get(n) ?? whole))) : v.data;
  let pathChanged = false;
  for (const [name, v] of system) {
    // USERNAME is the process user's (the registry's is SYSTEM's); unchanged values are in the block already.
    if (name === 'USERNAME' || base.get(name) === v.data) continue;
    if (name === 'PATH') pathChanged = true;
    else env.set(name, expandSystem(v));
  }
  for (const [name, v] of user) {
    if (name === 'PATH') {
      if (v.data !== USER_PATH) pathChanged = true;
    } else if (!['TEMP', 'TMP'].includes(name) || env.get(name) !== (v.expand ? env.expand(v.data) : v.data)) env.set(name, v.expand ? env.expand(v.data) : v.data);
  }
  if (pathChanged) {
    const sys = system.get('PATH');
    const usr = user.get('PATH');
    env.set('Path', [sys ? expandSystem(sys) : undefined, usr ? (usr.expand ? env.expand(usr.data) : usr.data) : undefined].filter((x) => x !== undefined && x !== '').join(';'));
  }
}

export type StateListener = (state: ComputeSystemState, system: ComputeSystem) => void;

export class ComputeSystem {
  readonly systemType = 'Container' as const;
  /** COMPUTERNAME: the host name in capitals, at most 15 characters. */
  readonly computerName: string;
  private _state: ComputeSystemState = 'Created';
  private _silo: Silo | undefined = undefined;
  private _uvm: UtilityVm | undefined = undefined;
  private _runtimeId = ZERO_GUID;
  private startTime = 0;
  private stopTime = 0;
  private exitType: ExitType | undefined = undefined;
  private peakCommit = 0;
  private closed = false;
  private stopping: Promise<void> | undefined = undefined;
  private readonly mappings = new Map<string, ActiveMapping>();
  private readonly listeners: StateListener[] = [];
  private stopWaiters: (() => void)[] = [];
  /** Starts so far. */
  starts = 0;

  /** @internal use ComputeService.createComputeSystem */
  constructor(
    private readonly ctx: ServiceContext,
    readonly id: string,
    readonly settings: ComputeSystemSettings,
    /** The container's scratch layer: C: and the registry deltas (outlives the system unless close deletes it). */
    readonly sandbox: Sandbox,
    mappings: readonly ActiveMapping[],
  ) {
    this.computerName = computerNameFor(settings.HostName);
    for (const m of mappings) this.mappings.set(m.containerPath.toUpperCase(), m);
  }

  get state(): ComputeSystemState {
    return this._state;
  }
  get owner(): string {
    return this.settings.Owner;
  }
  get name(): string {
    return this.settings.Name;
  }
  get isolation(): Isolation {
    return this.settings.Isolation;
  }
  get image(): Image {
    return this.settings.Image;
  }
  /** The GUID of the current (or last) run; all zeros before the first start. */
  get runtimeId(): string {
    return this._runtimeId;
  }
  /** The silo of the current (or last) run. */
  get silo(): Silo | undefined {
    return this._silo;
  }
  /** The kernel the container's silo runs on: the host's, or its utility VM's. */
  get kernel(): Kernel {
    return this._uvm?.kernel ?? this.ctx.kernel;
  }
  /** Under Hyper-V isolation, the running utility VM. */
  get utilityVm(): UtilityVm | undefined {
    return this._uvm;
  }
  /** The mapped directories, as configured or modified since. */
  get mappedDirectories(): MappedDirectory[] {
    return [...this.mappings.values()].map((m) => ({ HostPath: m.hostPath, ContainerPath: m.containerPath, ReadOnly: m.readOnly }));
  }

  /** Called on every state change (the engine's events: start, pause, unpause, die). Returns the unsubscribe function. */
  onStateChange(listener: StateListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Resolves when the system is next Stopped (at once if it is). */
  wait(): Promise<void> {
    if (this._state === 'Stopped' || this._state === 'Created') return Promise.resolve();
    return new Promise((resolve) => this.stopWaiters.push(resolve));
  }

  // ---- Start ------------------------------------------------------------------------

  /**
   * HcsStartComputeSystem: boots a server silo on the sandbox — C: and the
   * mapped directories, the registry with the container's identity, the
   * job limits, the user environment — and runs its boot (smss … CExecSvc).
   * Under Hyper-V isolation the silo boots in a utility VM taken from the
   * pre-booted pool.
   */
  start(): void {
    const op = HcsOp.Start;
    this.check(op);
    if (this._state === 'Running' || this._state === 'Paused') throw this.error(op, ERROR_VMCOMPUTE_INVALID_STATE);
    // The scratch layer: gone (docker rm'd), or mounted by another running system.
    if (this.sandbox.destroyed) throw this.error(op, ERROR_PATH_NOT_FOUND);
    if (this.sandbox.inUseBy !== undefined && this.sandbox.inUseBy !== this.id) throw this.error(op, ERROR_SHARING_VIOLATION);
    const ctx = this.ctx;
    const s = this.settings;
    const runtimeId = ctx.runtimeId(this.id);
    let uvm: UtilityVm | undefined;
    let silo: Silo | undefined;
    try {
      let kernel = ctx.kernel;
      if (s.Isolation === 'hyperv') {
        const cpus = Math.min(s.Processor.Count || HCS_LIMITS.utilityVmProcessorCount, ctx.kernel.cpuCount);
        kernel = ctx.pool.take(cpus);
        const vmId = `${this.id}@vm`;
        const vmRuntimeId = ctx.runtimeId(vmId);
        const worker = startWorkerProcess(ctx.kernel, vmRuntimeId);
        uvm = new UtilityVm(vmId, s.Owner, vmRuntimeId, kernel, s.MemoryMaximumInMB || HCS_LIMITS.utilityVmMemoryInMB, worker);
        ctx.registerUtilityVm(uvm);
      }
      const fs = new SiloFileSystem({ drives: { C: this.sandbox.volume } });
      for (const m of this.mappings.values()) fs.addMappedDirectory(m.containerPath, m.guid, m.volume);
      const registry = this.sandbox.openRegistry(ctx.clock);
      writeIdentity(registry, this.computerName, s.HostName);
      silo = kernel.createSilo({
        flavor: s.Image.flavor,
        fs,
        registry,
        programs: s.Programs,
        computerName: this.computerName,
        userEnvironment: this.environmentFor(this.defaultUser(), kernel.cpuCount),
        limits: memoryLimits(s.MemoryMaximumInMB),
        cpuRate: cpuRateFor(s.Processor, kernel.cpuCount, s.Isolation === 'hyperv'),
        imageLookups: this.sandbox.sharedImageLookups(this.mappings.size > 0),
      });
      silo.start();
    } catch (e) {
      silo?.terminate();
      if (uvm) {
        uvm.stop(ctx.kernel);
        ctx.forget(uvm.id);
      }
      throw this.wrap(op, e);
    }
    this.sandbox.inUseBy = this.id;
    this._silo = silo;
    this._uvm = uvm;
    this._runtimeId = runtimeId;
    this.starts++;
    this.startTime = ctx.clock();
    this.stopTime = 0;
    this.exitType = undefined;
    this.peakCommit = 0;
    this.setState('Running');
  }

  // ---- Shutdown / Terminate -----------------------------------------------------------

  /**
   * HcsShutdownComputeSystem (`docker stop`): CTRL_SHUTDOWN_EVENT to the
   * user processes, `timeoutMs` (default PROCESS_LIMITS.shutdownTimeoutMs)
   * for those that handle it, then the rest ends. Resolves once Stopped;
   * rejects (the promise, never a throw) with the HcsError of a wrong state.
   */
  shutdown(timeoutMs?: number): Promise<void> {
    const op = HcsOp.Shutdown;
    try {
      this.check(op);
      if (this.stopping) return this.stopping;
      if (this._state === 'Created' || this._state === 'Stopped') throw this.error(op, ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED);
      if (this._state === 'Paused') throw this.error(op, ERROR_VMCOMPUTE_INVALID_STATE);
    } catch (e) {
      return Promise.reject(e);
    }
    const silo = this._silo!;
    const stopping = silo.shutdown(timeoutMs === undefined ? {} : { timeoutMs }).then(() => {
      // A Terminate (and perhaps a new Start) may have come in between: only this run's shutdown stops this run.
      if (this.stopping === stopping) this.stopping = undefined;
      if (this._silo === silo && this._state !== 'Stopped') this.stopped('GracefulExit');
    });
    this.stopping = stopping;
    return stopping;
  }

  /** HcsTerminateComputeSystem (`docker kill`, `docker rm -f`): every process ends now. */
  terminate(): void {
    const op = HcsOp.Terminate;
    this.check(op);
    if (this._state === 'Created' || this._state === 'Stopped') throw this.error(op, ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED);
    this.notePeak();
    this._silo!.terminate();
    this.stopping = undefined;
    this.stopped('ForcedExit');
  }

  // ---- Pause / Resume ---------------------------------------------------------------

  /** HcsPauseComputeSystem: the container's processes stop making progress. */
  pause(): void {
    const op = HcsOp.Pause;
    this.check(op);
    if (this._state !== 'Running' || this.stopping) throw this.error(op, ERROR_VMCOMPUTE_INVALID_STATE);
    this._silo!.suspend();
    if (this._uvm) this._uvm.state = 'Paused';
    this.setState('Paused');
  }

  /** HcsResumeComputeSystem: they go on where they were. */
  resume(): void {
    const op = HcsOp.Resume;
    this.check(op);
    if (this._state !== 'Paused') throw this.error(op, ERROR_VMCOMPUTE_INVALID_STATE);
    if (this._uvm) this._uvm.state = 'Running';
    this.setState('Running');
    this._silo!.resume();
  }

  // ---- Processes ----------------------------------------------------------------------

  /**
   * HcsCreateProcess: a process in the container, created by CExecSvc.exe
   * (as `docker run`'s and `docker exec`'s processes are). The image is
   * searched as CreateProcess searches (cwd, System32, PATH…); failures
   * carry the Win32 code: `hcs::System::CreateProcess <id>: The system
   * cannot find the file specified.` (2), ERROR_DIRECTORY (267) for a bad
   * WorkingDirectory, ERROR_LOGON_FAILURE (1326, "The user name or password
   * is incorrect.") for a User that is not a container account (decision:
   * the answer a wrong `--user` gets), ERROR_INVALID_PARAMETER (87) for a
   * bad console size.
   */
  createProcess(params: ProcessParameters): ComputeProcess {
    const op = HcsOp.CreateProcess;
    this.check(op);
    if (this._state === 'Created' || this._state === 'Stopped') throw this.error(op, ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED);
    if (this._state === 'Paused' || this.stopping) throw this.error(op, ERROR_VMCOMPUTE_INVALID_STATE);
    if (typeof params !== 'object' || params === null || typeof params.CommandLine !== 'string') throw this.error(op, ERROR_VMCOMPUTE_INVALID_JSON);
    const silo = this._silo!;
    const user = params.User === undefined || params.User === '' ? this.defaultUser() : USERS.find((u) => u.toLowerCase() === params.User!.toLowerCase());
    if (!user) throw this.error(op, ERROR_LOGON_FAILURE);
    const env = this.environmentFor(user, silo.kernel.cpuCount);
    if (silo.registry) registryEnvironment(env, silo.registry, this.settings.Image);
    if (params.Environment !== undefined) {
      if (typeof params.Environment !== 'object' || params.Environment === null) throw this.error(op, ERROR_VMCOMPUTE_INVALID_JSON);
      for (const [k, v] of Object.entries(params.Environment)) {
        if (typeof v !== 'string' || k === '' || k.includes('=')) throw this.error(op, ERROR_INVALID_PARAMETER);
        env.set(k, v);
      }
    }
    let console: Console | undefined;
    if (params.EmulateConsole) {
      const [h, w] = params.ConsoleSize ?? [0, 0];
      const sized = h !== 0 || w !== 0;
      if (sized && (!validConsoleDimension(h) || !validConsoleDimension(w))) throw this.error(op, ERROR_INVALID_PARAMETER);
      console = new Console(sized ? { rows: h, columns: w } : {});
    }
    const io = (want: boolean | undefined): StdioOption => (want ? 'pipe' : 'null');
    let child: ChildProcess;
    try {
      child = silo.createProcess({
        // The image and working directory looked up as on any pristine sandbox of the image, while this one is.
        imageLookups: this.sandbox.sharedImageLookups(this.mappings.size > 0),
        commandLine: params.CommandLine,
        applicationName: params.ApplicationName,
        cwd: params.WorkingDirectory || undefined,
        env,
        console: console ?? 'none',
        ...(console ? {} : { stdin: io(params.CreateStdInPipe), stdout: io(params.CreateStdOutPipe), stderr: io(params.CreateStdErrPipe) }),
      });
    } catch (e) {
      throw this.wrap(op, e);
    }
    if (console) {
      const stdin = params.CreateStdInPipe ? console.input : null;
      if (!params.CreateStdInPipe) console.input.close();
      const stdout = params.CreateStdOutPipe ? console.output : null;
      // Nobody reads the console: what it shows is discarded (never blocks the program).
      if (!params.CreateStdOutPipe) void console.output.readAll().catch(() => undefined);
      return new ComputeProcess(this.id, child, console, stdin, stdout, null);
    }
    return new ComputeProcess(this.id, child, undefined, child.stdin, child.stdout, child.stderr);
  }

  // ---- Properties ----------------------------------------------------------------------

  /** What enumeration shows of the system. */
  summary(): ComputeSystemSummary {
    const running = this._state === 'Running' || this._state === 'Paused';
    return {
      Id: this.id,
      Name: this.settings.Name,
      SystemType: 'Container',
      Owner: this.settings.Owner,
      State: this._state,
      RuntimeOsType: 'windows',
      RuntimeId: this._runtimeId,
      ...(running && this._silo ? { ObRoot: `\\Silos\\${this._silo.id}` } : {}),
      ...(this._state === 'Stopped' ? { Stopped: true, ...(this.exitType ? { ExitType: this.exitType } : {}) } : {}),
      ...(this._uvm && running ? { HostingSystemId: this._uvm.id } : {}),
    };
  }

  /**
   * HcsGetComputeSystemProperties: the summary, with Statistics (`docker
   * stats`) and ProcessList (`docker top`) when asked for. Statistics come
   * from the silo's job accounting; once stopped, the final figures.
   */
  properties(query: PropertyQuery = {}): ComputeSystemProperties {
    this.check(HcsOp.Properties);
    const types = query.PropertyTypes ?? [];
    const out: ComputeSystemProperties = this.summary();
    if (types.includes('Statistics')) out.Statistics = this.statistics();
    if (types.includes('ProcessList')) out.ProcessList = this.processList();
    return out;
  }

  /**
   * JOBOBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION of the silo's job (the
   * current or last run; the final figures once stopped; zeros before the
   * first start).
   */
  accounting(): BasicAndIoAccountingInformation {
    this.check(HcsOp.Properties);
    return (
      this._silo?.accounting() ?? {
        BasicInfo: { TotalUserTime: 0, TotalKernelTime: 0, ThisPeriodTotalUserTime: 0, ThisPeriodTotalKernelTime: 0, TotalPageFaultCount: 0, TotalProcesses: 0, ActiveProcesses: 0, TotalTerminatedProcesses: 0 },
        IoInfo: { ReadOperationCount: 0, WriteOperationCount: 0, OtherOperationCount: 0, ReadTransferCount: 0, WriteTransferCount: 0, OtherTransferCount: 0 },
      }
    );
  }

  private statistics(): Statistics {
    const now = this.ctx.clock();
    const silo = this._silo;
    const acc = silo?.accounting();
    const running = silo !== undefined && silo.state !== 'stopped';
    let commit = 0;
    let privateWs = 0;
    if (running) {
      for (const p of silo.listProcesses()) {
        commit += p.privateBytes;
        privateWs += Math.min(p.workingSet, p.privateBytes);
      }
      this.notePeak(commit);
    }
    const user = acc?.BasicInfo.TotalUserTime ?? 0;
    const kern = acc?.BasicInfo.TotalKernelTime ?? 0;
    const io = acc?.IoInfo;
    const end = this.stopTime || now;
    return {
      Timestamp: iso(now),
      ContainerStartTime: iso(this.startTime || now),
      Uptime100ns: this.startTime ? Math.max(0, end - this.startTime) * 10000 : 0,
      Processor: { TotalRuntime100ns: user + kern, RuntimeUser100ns: user, RuntimeKernel100ns: kern },
      Memory: { MemoryUsageCommitBytes: commit, MemoryUsageCommitPeakBytes: Math.max(this.peakCommit, commit), MemoryUsagePrivateWorkingSetBytes: privateWs },
      Storage: {
        ReadCountNormalized: io?.ReadOperationCount ?? 0,
        ReadSizeBytes: io?.ReadTransferCount ?? 0,
        WriteCountNormalized: io?.WriteOperationCount ?? 0,
        WriteSizeBytes: io?.WriteTransferCount ?? 0,
      },
    };
  }

  /** The job's peak commit (PeakJobMemoryUsed) while the silo runs, kept for after it stops. */
  private notePeak(commit = 0): void {
    const silo = this._silo;
    const peak = silo && silo.state !== 'stopped' ? (silo.limits()?.PeakJobMemoryUsed ?? 0) : 0;
    this.peakCommit = Math.max(this.peakCommit, peak, commit);
  }

  private processList(): ProcessListItem[] {
    const silo = this._silo;
    if (!silo || silo.state === 'stopped') return [];
    const jobs = silo.kernel.jobs;
    return silo.listProcesses().map((p) => {
      const q = p.jobProcess !== 0 ? jobs.queryProcess(p.jobProcess).info : undefined;
      const priv = Math.min(p.workingSet, p.privateBytes);
      return {
        ProcessId: p.pid,
        ImageName: p.imageName,
        CreateTimestamp: iso(p.creationTime),
        UserTime100ns: q?.UserTime ?? p.userTime,
        KernelTime100ns: q?.KernelTime ?? p.kernelTime,
        MemoryCommitBytes: p.privateBytes,
        MemoryWorkingSetPrivateBytes: priv,
        MemoryWorkingSetSharedBytes: Math.max(0, p.workingSet - priv),
      };
    });
  }

  // ---- Modify -------------------------------------------------------------------------

  /**
   * HcsModifyComputeSystem on the silo's resources (hcsshim resourcepaths):
   *  - `Container/Memory/SizeInMB` Update (a number of MiB; 0 removes the limit)
   *  - `Container/Processor` Update ({ Count?, Maximum?, Weight? }, one of them)
   *  - `Container/MappedDirectories` Add / Remove (a MappedDirectory; Remove by ContainerPath)
   * Anything else: ERROR_NOT_SUPPORTED (50, "The request is not supported.").
   * Bad settings: ERROR_VMCOMPUTE_INVALID_JSON. A missing host directory:
   * ERROR_PATH_NOT_FOUND (3); removing a path not mapped: ERROR_FILE_NOT_FOUND (2).
   */
  modify(request: ModifySettingRequest): void {
    const op = HcsOp.Modify;
    this.check(op);
    if (this._state === 'Stopped') throw this.error(op, ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED);
    if (typeof request !== 'object' || request === null) throw this.error(op, ERROR_VMCOMPUTE_INVALID_JSON);
    const live = this._state === 'Running' || this._state === 'Paused' ? this._silo : undefined;
    const { ResourcePath: path, RequestType: type, Settings: settings } = request;
    try {
      if (path === ResourcePath.Memory && type === 'Update') {
        const mb = settings as number;
        if (resourceProblem({ MemoryMaximumInMB: mb }) !== undefined) throw this.error(op, ERROR_VMCOMPUTE_INVALID_JSON);
        if (live) {
          const limits = memoryLimits(mb) ?? { BasicLimitInformation: { LimitFlags: 0 } };
          // Keep the other limits the job has (none are set by the service today but memory).
          const cur = live.limits();
          const flags = (cur?.BasicLimitInformation.LimitFlags ?? 0) & ~JOB_OBJECT_LIMIT_JOB_MEMORY;
          limits.BasicLimitInformation.LimitFlags |= flags;
          const st = live.kernel.jobs.setExtendedLimits(live.job, limits);
          if (st < 0) throw this.error(op, ntStatusToWin32(st));
        }
        this.settings.MemoryMaximumInMB = mb;
        return;
      }
      if (path === ResourcePath.Processor && type === 'Update') {
        const p = (settings ?? {}) as ProcessorSettings;
        if (typeof p !== 'object' || resourceProblem({ ProcessorCount: p.Count, ProcessorMaximum: p.Maximum, ProcessorWeight: p.Weight }) !== undefined) {
          throw this.error(op, ERROR_VMCOMPUTE_INVALID_JSON);
        }
        const next: ProcessorSettings = { Count: p.Count || undefined, Maximum: p.Maximum || undefined, Weight: p.Weight || undefined };
        if (live) {
          const rate = cpuRateFor(next, live.kernel.cpuCount, this.settings.Isolation === 'hyperv') ?? { ControlFlags: 0 };
          const st = live.kernel.jobs.setCpuRateControl(live.job, rate);
          if (st < 0) throw this.error(op, ntStatusToWin32(st));
        }
        this.settings.Processor = next;
        return;
      }
      if (path === ResourcePath.MappedDirectories && (type === 'Add' || type === 'Remove')) {
        const md = settings as MappedDirectory;
        if (typeof md !== 'object' || md === null || typeof md.ContainerPath !== 'string' || (type === 'Add' && typeof md.HostPath !== 'string')) {
          throw this.error(op, ERROR_VMCOMPUTE_INVALID_JSON);
        }
        const key = normaliseContainerPath(md.ContainerPath).toUpperCase();
        if (type === 'Add') {
          if (this.mappings.has(key)) throw this.error(op, ERROR_VMCOMPUTE_INVALID_JSON);
          const m = openMapping(this.id, md.HostPath, md.ContainerPath, md.ReadOnly === true);
          if (live) (live.fs as SiloFileSystem).addMappedDirectory(m.containerPath, m.guid, m.volume);
          this.mappings.set(key, m);
        } else {
          const m = this.mappings.get(key);
          if (!m) throw new Win32Error(op, ERROR_FILE_NOT_FOUND, md.ContainerPath);
          m.volume.detach();
          this.mappings.delete(key);
          this.removeLink(m);
        }
        return;
      }
    } catch (e) {
      throw this.wrap(op, e);
    }
    throw this.error(op, HCS_NOT_SUPPORTED);
  }

  /** Removes a mapping's `<SYMLINKD>` from C: (the link lives on the sandbox; a later start would recreate it). */
  private removeLink(m: ActiveMapping): void {
    const at = m.containerPath;
    if (!/^[A-Za-z]:\\./.test(at) || at[0]!.toUpperCase() !== 'C') return;
    try {
      this.sandbox.volume.removeDirectory(at.slice(2));
    } catch (e) {
      if (!(e instanceof Win32Error)) throw e;
    }
  }

  // ---- Close --------------------------------------------------------------------------

  /**
   * HcsCloseComputeSystem, as the engine uses it when it removes a
   * container: a running system is terminated first; the system's id is
   * free again. The sandbox stays (a new system may run on it, `Sandbox`
   * in the configuration) unless `deleteSandbox`. Idempotent.
   */
  close(options: { deleteSandbox?: boolean } = {}): void {
    if (this.closed) return;
    if (this._state === 'Running' || this._state === 'Paused') this.terminate();
    this.closed = true;
    for (const m of this.mappings.values()) m.volume.detach();
    if (options.deleteSandbox) this.sandbox.destroy();
    this.ctx.forget(this.id);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // ---- internals ------------------------------------------------------------------------

  private defaultUser(): ContainerUserName {
    return this.settings.Image.defaultUser === 'ContainerUser' ? 'ContainerUser' : 'ContainerAdministrator';
  }

  /** The user's environment block (catalog containerEnvironment: system + profile + user variables). */
  private environmentFor(user: ContainerUserName, cpus: number): Environment {
    return environmentBlock(this.settings.Image, user, cpus, this.computerName);
  }

  private stopped(exitType: ExitType): void {
    this.notePeak();
    this.exitType = exitType;
    this.stopTime = this.ctx.clock();
    const uvm = this._uvm;
    if (uvm) {
      uvm.stop(this.ctx.kernel);
      this.ctx.forget(uvm.id);
    }
    if (this.sandbox.inUseBy === this.id) this.sandbox.inUseBy = undefined;
    this.setState('Stopped');
    const waiters = this.stopWaiters;
    this.stopWaiters = [];
    for (const w of waiters) w();
  }

  private setState(state: ComputeSystemState): void {
    this._state = state;
    for (const l of [...this.listeners]) {
      try {
        l(state, this);
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  private check(op: string): void {
    if (this.closed) throw this.error(op, ERROR_INVALID_HANDLE);
  }

  private error(op: string, code: number): HcsError {
    return new HcsError(op, code, this.id);
  }

  /** A kernel failure as the HCS error it surfaces as (Win32 code; NTSTATUS translated). */
  private wrap(op: string, e: unknown): unknown {
    if (e instanceof HcsError) return e;
    if (e instanceof Win32Error) return this.error(op, e.code);
    if (e instanceof NtStatusError) return this.error(op, ntStatusToWin32(e.status));
    return e;
  }
}
