/**
 * The kernel of one simulated Windows machine: one object namespace, one
 * job-object module, one CID table, its processes, sessions and server
 * silos. A Windows Server container host is one Kernel; a Hyper-V container
 * gets its own (its utility VM's), so nothing here is module-level state.
 *
 * Ids:
 *  - Process and thread ids come from one strict-FIFO CID table
 *    (handle-table.ts): a process takes one id, then one per thread.
 *  - Silo ids: decision — a server silo's id is a CID-table value allocated
 *    when its job object is created. Observed silo ids (`\Silos\380`,
 *    `\Silos\1720` in hcsdiag output) are multiples of 4 in the range
 *    process ids have on a running host, which is what allocation from the
 *    CID table gives; we found no primary source saying so.
 *  - Session ids: lowest free (../silo/sessions.ts).
 *
 * Time: `clock` (ms since 1970, default Date.now) stamps creation and exit
 * times; `timers` (default the host's setTimeout) serve Sleep and shutdown
 * grace periods. Tests inject both.
 */
import { NtStatusError } from '../../core/errors.js';
import {
  CREATE_BREAKAWAY_FROM_JOB,
  JobCharge,
  WasmJobObjects,
  type CpuRateControlInformation,
  type ExtendedLimitInput,
  type JobObjects,
} from '../../core/jobs/index.js';
import { STATUS_COMMITMENT_LIMIT, STATUS_INSUFFICIENT_RESOURCES, STATUS_PRIVILEGE_NOT_HELD, STATUS_QUOTA_EXCEEDED } from '../../core/ntstatus.js';
import { ALL_PRIVILEGES, WasmObjectNamespace, type ObjectNamespace } from '../../core/ob/index.js';
import {
  ERROR_COMMITMENT_LIMIT,
  ERROR_FILENAME_EXCED_RANGE,
  ERROR_INVALID_PARAMETER,
  ERROR_BAD_EXE_FORMAT,
  ERROR_INVALID_HANDLE,
  ERROR_DIRECTORY,
  ERROR_ACCESS_DENIED,
  ERROR_FILE_NOT_FOUND,
  ERROR_PATH_NOT_FOUND,
  Win32Error,
  ntStatusToWin32,
} from '../../core/win32.js';
import type { FileSystemView, ImageSection } from '../fs/types.js';
import { bootHostNamespace } from '../namespace/host.js';
import { createSiloNamespace } from '../namespace/silo.js';
import { bootHost, hostProgramRegistry } from '../silo/boot.js';
import { SessionIds } from '../silo/sessions.js';
import { Silo, type SiloOptions } from '../silo/silo.js';
import { Console, type ConsoleOptions } from './console.js';
import {
  CREATE_NEW_CONSOLE,
  CREATE_NEW_PROCESS_GROUP,
  CTRL_C_EVENT,
  DETACHED_PROCESS,
  ExitCode,
  SYSTEM32,
  type ConsoleCtrlEvent,
} from './constants.js';
import { ProcessContextImpl } from './context-impl.js';
import { ProcessExitSignal, type StdioOption } from './context.js';
import { Environment } from './environment.js';
import { installExitSignalGuard } from './exit-guard.js';
import { HandleTable } from './handle-table.js';
import { imageProfile } from './image-profiles.js';
import { cachedProbe, resolveImage, simpleFullPath, type ImageLookupCache, type ImageProbe } from './image-search.js';
import { PROCESS_LIMITS } from './limits.js';
import { MachineCommitLimit } from './memory-guard.js';
import { NUL, Pipe, PipeReader, PipeWriter, NullDevice, type InputStream, type OutputStream } from './pipe.js';
import { ChildProcess, Process, type HandleEntry, type SharedImage } from './process.js';
import { isResident, residentProgram, type Program, type ProgramRegistry } from './programs.js';
import { EVENT_LOOP_TURNS } from './scheduler.js';

/** setTimeout/clearTimeout, injectable. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface KernelOptions {
  /** The object namespace (default: a new WasmObjectNamespace). */
  ob?: ObjectNamespace;
  /** Job objects (default: a new WasmJobObjects). */
  jobs?: JobObjects;
  /** ms since 1970-01-01 UTC (default Date.now). */
  clock?: () => number;
  /** Timers for Sleep and shutdown grace periods (default the host's). */
  timers?: Timers;
  /** The first session id a container gets (default 14, as in the seeds). */
  firstContainerSession?: number;
  /**
   * What the machine runs before any container: 'server' (default) a
   * Windows Server container host — System, Registry, smss, csrss, wininit,
   * services, lsass, svchost, vmcompute, dockerd; 'minimal' only Idle and
   * System (a utility VM's kernel, booting its own silo).
   */
  host?: 'server' | 'minimal';
  /** Logical processors (NUMBER_OF_PROCESSORS, idle threads); default 4, the job scheduler's default. */
  cpuCount?: number;
  /**
   * The machine-wide program registry (default: one holding the system
   * programs). Silos chain their own under it.
   */
  programs?: ProgramRegistry;
  /** The machine's commit limit (default: PROCESS_LIMITS.machineCommitFraction of the V8 heap limit; memory-guard.ts). */
  machineCommit?: MachineCommitLimit;
}

/** How a process is created from outside any program (the compute service, the embedding API). */
export interface CreateProcessOptions {
  /** The silo to run in (default: the parent's, else the host). */
  silo?: Silo;
  /**
   * The creating process (its pid or itself). Default: in a running
   * container, its CExecSvc.exe (which starts `docker run`/`exec` processes);
   * on the host, none.
   */
  parent?: Process | number;
  commandLine: string;
  /** lpApplicationName. */
  applicationName?: string;
  /** Default: the parent's current directory when a parent is given explicitly, else `C:\`. */
  cwd?: string;
  /**
   * The environment block. Default: a copy of the parent's when a parent is
   * given explicitly; otherwise the silo's user environment.
   */
  env?: Environment | Readonly<Record<string, string>> | readonly string[];
  /**
   * Standard handles. Default: 'inherit' when a parent is given explicitly;
   * otherwise the console's handles when the process has a console, else 'null'.
   */
  stdin?: StdioOption;
  stdout?: StdioOption;
  stderr?: StdioOption;
  /**
   * The console: an existing one, options for a new one (HCS
   * EmulateConsole + ConsoleSize), 'inherit' (the parent's; the default
   * when there is a parent with one), or 'none'.
   */
  console?: Console | ConsoleOptions | 'inherit' | 'none';
  creationFlags?: number;
  /** Run this program instead of the image's registered one (the image must still resolve). */
  program?: Program;
  /**
   * Image and current-directory lookups to answer from and add to (see
   * Silo's `imageLookups`): the caller vouches that the silo's files are,
   * for every lookup in it, what they were when it was filled.
   */
  imageLookups?: ImageLookupCache;
}

/** @internal A system process the boot or the service control manager starts, image known. */
export interface SystemProcessRequest {
  silo: Silo;
  parent: Process | undefined;
  imagePath: string;
  commandLine: string;
  sessionId?: number;
  critical?: boolean;
  env?: Environment;
  /** Threads instead of the image profile's. */
  threads?: number;
  /** Resolve the image through the silo's file system (a service's image) rather than take it as given (boot). */
  resolve?: boolean;
}

const THREAD = Object.freeze({ kind: 'Thread' as const });
type CidObject = Process | Silo | typeof THREAD;

const RESIDENT_DEFAULT = residentProgram('resident');

export class Kernel {
  readonly ob: ObjectNamespace;
  readonly jobs: JobObjects;
  readonly programs: ProgramRegistry;
  readonly clock: () => number;
  readonly timers: Timers;
  readonly cpuCount: number;
  /**
   * The machine's commit limit (memory-guard.ts): every commit and commit
   * probe is checked against it. Replaceable (tests lower it).
   */
  machineCommit: MachineCommitLimit;
  /** The host itself: silo 0, session 0, no job. */
  readonly host: Silo;
  /** The System Idle Process (pid 0) and System (pid 4). */
  readonly idle: Process;
  readonly system: Process;
  /** @internal */
  readonly cid = new HandleTable<CidObject>({ strictFifo: true });
  /** @internal the host kernel's own context in the object namespace (silo 0, every privilege) */
  readonly hostObProcess: number;
  private readonly table = new Map<number, Process>();
  private readonly siloTable = new Map<number, Silo>();
  private readonly sessions: SessionIds;
  private nextVolume = 4;
  private readonly runnableSet = new Set<Process>();
  private readonly exitListeners: ((p: Process) => void)[] = [];
  /** Drivers loaded by NtLoadDriver on the host (upper-case service names). */
  readonly loadedDrivers = new Set<string>();
  /**
   * Per image-lookup cache (whose silos' files are vouched the same): image
   * path → the file id a mapping found, so the next silo maps it by id
   * instead of walking the path (as the lookups themselves are shared).
   */
  private readonly imageIds = new WeakMap<ImageLookupCache, Map<string, number>>();
  /** Image sections of a silo's boot, one per image path (valid while that boot's lookups are: the files cannot change). */
  private readonly bootImages = new WeakMap<Silo, { lookups: ImageLookupCache; images: Map<string, SharedImage> }>();

  constructor(options: KernelOptions = {}) {
    installExitSignalGuard();
    this.ob = options.ob ?? new WasmObjectNamespace();
    this.jobs = options.jobs ?? new WasmJobObjects();
    this.clock = options.clock ?? Date.now;
    this.timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
    this.cpuCount = options.cpuCount ?? 4;
    this.machineCommit = options.machineCommit ?? new MachineCommitLimit();
    this.programs = options.programs ?? hostProgramRegistry();
    this.sessions = new SessionIds(options.firstContainerSession);
    this.hostObProcess = bootHostNamespace(this.ob);
    this.host = new Silo(this, { id: 0, sessionId: 0, job: 0, volume: 'HarddiskVolume3', flavor: 'host' }, {});
    const env = this.host.systemEnvironment;
    const now = this.clock();
    this.idle = new Process(this.host, 0, 0, 'System Idle Process', '', '', now, env, 'C:\\', NUL, NUL, NUL, undefined, 0, true, true, true);
    this.idle.tids = new Array<number>(this.cpuCount).fill(0);
    const ip = imageProfile('System Idle Process');
    this.idle.workingSet = ip.workingSet;
    this.table.set(0, this.idle);
    this.host.processes.add(this.idle);
    this.system = this.createSystemProcess({ silo: this.host, parent: this.idle, imagePath: 'System', commandLine: '', sessionId: 0, critical: true });
    bootHost(this, options.host ?? 'server');
  }

  // ---- silos ---------------------------------------------------------------

  /**
   * A server silo (a container), created but not started: its job object,
   * its silo id, its session, its namespace root `\Silos\<id>` populated.
   * `options.creator` inside a silo: NtStatusError STATUS_PRIVILEGE_NOT_HELD
   * (no nested server silos), nothing created.
   */
  createSilo(options: SiloOptions = {}): Silo {
    const creator = options.creator === undefined ? undefined : this.resolveProcess(options.creator);
    if (creator && creator.silo.id !== 0) {
      // Ask the namespace, which enforces it (ObjectNamespace.createSilo).
      const r = this.ob.createSilo(this.obProcessOf(creator), 1);
      throw new NtStatusError('JobObjectCreateSilo', r.status < 0 ? r.status : STATUS_PRIVILEGE_NOT_HELD, `\\Silos`);
    }
    const job = this.jobs.createJob(0);
    if (job.status < 0) throw new NtStatusError('NtCreateJobObject', job.status);
    const id = this.cid.create(THREAD);
    if (id === 0) {
      this.jobs.closeJob(job.job);
      throw new NtStatusError('NtCreateJobObject', STATUS_INSUFFICIENT_RESOURCES);
    }
    const sessionId = this.sessions.allocate();
    const volume = options.volume ?? `HarddiskVolume${this.nextVolume++}`;
    const undo = () => {
      this.sessions.free(sessionId);
      this.cid.destroy(id);
      this.jobs.closeJob(job.job);
    };
    try {
      if (options.limits) check('SetInformationJobObject', this.jobs.setExtendedLimits(job.job, options.limits));
      if (options.cpuRate) check('SetInformationJobObject', this.jobs.setCpuRateControl(job.job, options.cpuRate));
      createSiloNamespace(this.ob, this.hostObProcess, id, { session: sessionId, volume });
    } catch (e) {
      undo();
      throw e;
    }
    const silo = new Silo(this, { id, sessionId, job: job.job, volume, flavor: options.flavor ?? 'servercore' }, options);
    this.cid.set(id, silo);
    this.siloTable.set(id, silo);
    return silo;
  }

  /** A silo by id (0: the host). */
  silo(id: number): Silo | undefined {
    return id === 0 ? this.host : this.siloTable.get(id);
  }

  /** The server silos that exist (not yet ended), in creation order. */
  silos(): Silo[] {
    return [...this.siloTable.values()];
  }

  // ---- processes -------------------------------------------------------------

  /** A process by pid: running, or exited while someone still holds a handle to it. */
  process(pid: number): Process | undefined {
    return this.table.get(pid);
  }

  /** Every running process of the machine, host and silos, in creation order per silo. */
  processes(): Process[] {
    const out: Process[] = [];
    for (const p of this.host.processes) out.push(p);
    for (const s of this.siloTable.values()) for (const p of s.processes) out.push(p);
    return out;
  }

  /** Called after any process ends (tools, the compute service). */
  onProcessExit(listener: (p: Process) => void): () => void {
    this.exitListeners.push(listener);
    return () => {
      const i = this.exitListeners.indexOf(listener);
      if (i >= 0) this.exitListeners.splice(i, 1);
    };
  }

  /**
   * CreateProcess from outside any program (the compute service's
   * CreateProcess, the embedding API). Errors as Win32Error:
   * ERROR_FILE_NOT_FOUND (2) and ERROR_PATH_NOT_FOUND (3) for a missing
   * image, ERROR_ACCESS_DENIED (5) for a directory, ERROR_BAD_EXE_FORMAT
   * (193) for a file no program is registered for, ERROR_FILENAME_EXCED_RANGE
   * (206) for a command line over 32,766 characters, ERROR_NOT_ENOUGH_QUOTA
   * (1816) at the job's active-process limit, ERROR_INVALID_PARAMETER (87)
   * for bad options.
   */
  createProcess(options: CreateProcessOptions): ChildProcess {
    const explicitParent = options.parent !== undefined;
    const parent = explicitParent ? this.resolveProcess(options.parent!) : undefined;
    const silo = options.silo ?? parent?.silo ?? this.host;
    if (parent && parent.silo !== silo) throw new Win32Error('CreateProcess', ERROR_INVALID_PARAMETER, 'parent');
    if (silo.state === 'stopped') throw new Win32Error('CreateProcess', ERROR_INVALID_PARAMETER, `silo ${silo.id}`);
    return this.spawnFrom(silo, parent ?? silo.defaultParent(), explicitParent, options, undefined);
  }

  /**
   * TerminateProcess: ends a running process with `exitCode` (default 1, as
   * `taskkill /F`). No effect on a process that has ended; Idle and System
   * cannot be ended (ERROR_ACCESS_DENIED).
   */
  terminateProcess(p: Process, exitCode: number = ExitCode.Terminated): void {
    if (p === this.idle || p === this.system) throw new Win32Error('TerminateProcess', ERROR_ACCESS_DENIED, String(p.pid));
    this.endProcess(p, exitCode);
  }

  /**
   * One job-scheduler interval: charges CPU to runnable processes, then ends
   * those a time limit ended (exit code 1816) — with a per-job limit, every
   * process of the job.
   */
  tick(): void {
    this.jobs.tick();
    // A per-job time limit ends every process of the job, runnable or not.
    const silos = new Set<Silo>();
    for (const p of this.runnableSet) silos.add(p.silo);
    for (const s of silos) this.syncSilo(s);
  }

  // ---- internal: creation ------------------------------------------------------

  /** @internal */
  spawnFrom(silo: Silo, parent: Process | undefined, explicitParent: boolean, options: CreateProcessOptions, owner: Process | undefined): ChildProcess {
    const flags = options.creationFlags ?? 0;
    if (typeof options.commandLine !== 'string') throw new Win32Error('CreateProcess', ERROR_INVALID_PARAMETER, 'lpCommandLine');
    if (options.commandLine.length > PROCESS_LIMITS.maxCommandLine) throw new Win32Error('CreateProcess', ERROR_FILENAME_EXCED_RANGE);
    const probe = options.imageLookups ? cachedProbe(this.probeFor(silo), options.imageLookups) : this.probeFor(silo);
    const cwd = options.cwd !== undefined ? this.currentDirectory(silo, probe, options.cwd, parent?.cwd ?? 'C:\\') : explicitParent && parent ? parent.cwd : 'C:\\';
    const callerEnv = explicitParent && parent ? parent.env : silo.userEnvironment;
    const resolved = resolveImage(
      {
        applicationName: options.applicationName,
        commandLine: options.commandLine,
        // The caller's current directory: a program's own; for the host's requests (the compute
        // service, through CExecSvc) the working directory asked for — decision.
        cwd: explicitParent && parent ? parent.cwd : cwd,
        applicationDirectory: parent && parent.imagePath.includes('\\') ? parent.imagePath.slice(0, parent.imagePath.lastIndexOf('\\')) : undefined,
        path: callerEnv.get('PATH'),
      },
      probe,
    );
    const program = options.program ?? silo.programs.get(resolved.imagePath);
    if (!program) throw new Win32Error('CreateProcess', ERROR_BAD_EXE_FORMAT, resolved.imagePath);

    let env: Environment;
    if (options.env instanceof Environment) env = options.env.clone();
    else if (options.env !== undefined) env = Environment.from(options.env as Iterable<string> | Record<string, string>);
    else env = explicitParent && parent ? parent.env.clone() : silo.userEnvironment.clone();

    // The console.
    let console: Console | undefined;
    const c = options.console;
    if (c instanceof Console) console = c;
    else if (c === 'none' || (flags & DETACHED_PROCESS) !== 0) console = undefined;
    else if ((flags & CREATE_NEW_CONSOLE) !== 0) console = new Console(typeof c === 'object' ? c : {});
    else if (typeof c === 'object') console = new Console(c);
    else console = parent?.console;
    if (console && console.title === '') console.title = resolved.imagePath;

    // Standard handles: the child's, and the caller's ends of new pipes.
    const defaultStdio: StdioOption = explicitParent ? 'inherit' : console ? 'inherit' : 'null';
    const closers: { close(): void }[] = [];
    const callerEnds: { close(): void }[] = [];
    let stdinWriter: PipeWriter | null = null;
    let stdoutReader: PipeReader | null = null;
    let stderrReader: PipeReader | null = null;
    // Handles are inherited from the caller: a program's spawn. The host's requests have none to give.
    const inheritFrom = explicitParent ? parent : undefined;
    const stdin = this.stdInput(options.stdin ?? defaultStdio, inheritFrom, console, closers, (w) => {
      stdinWriter = w;
      callerEnds.push(w);
    });
    const stdout = this.stdOutput(options.stdout ?? defaultStdio, 'stdout', inheritFrom, console, closers, (r) => {
      stdoutReader = r;
      callerEnds.push(r);
    });
    const stderr = this.stdOutput(options.stderr ?? defaultStdio, 'stderr', inheritFrom, console, closers, (r) => {
      stderrReader = r;
      callerEnds.push(r);
    });

    const newGroup = (flags & CREATE_NEW_PROCESS_GROUP) !== 0;
    let image: SharedImage | undefined;
    let p: Process;
    try {
      image = this.imageFor(silo, resolved.imagePath, true, options.imageLookups);
      p = this.createRecord({
        silo,
        parent,
        imagePath: resolved.imagePath,
        commandLine: resolved.commandLine,
        sessionId: silo.sessionId,
        env,
        cwd,
        stdin,
        stdout,
        stderr,
        console,
        newGroup,
        breakaway: (flags & CREATE_BREAKAWAY_FROM_JOB) !== 0,
        system: false,
        critical: false,
        threads: undefined,
        stdClosers: closers,
        image,
      });
    } catch (e) {
      for (const x of closers) x.close();
      for (const x of callerEnds) x.close();
      if (image) releaseImage(image);
      throw e;
    }
    const handleValues: number[] = [];
    if (owner) {
      const h = (owner.handles ??= new HandleTable<HandleEntry>());
      handleValues.push(h.create({ kind: 'Process', process: p }), h.create({ kind: 'Thread', process: p, tid: p.tids[0] ?? 0 }));
      if (callerEnds.length > 0) (owner.owned ??= []).push(...callerEnds);
    }
    p.refs++;
    const child = new ChildProcess(p, stdinWriter, stdoutReader, stderrReader, handleValues, owner);
    this.start(p, program);
    return child;
  }

  /** @internal */
  createSystemProcess(req: SystemProcessRequest): Process {
    let imagePath = req.imagePath;
    let commandLine = req.commandLine;
    if (req.resolve) {
      // As services.exe does: CreateProcess(NULL, ImagePath, …), so an unquoted path with spaces is searched.
      const env = req.env ?? req.silo.systemEnvironment;
      // During a boot nothing changes the silo's files, so each path (the
      // svchost.exe of ~30 services) is looked up once.
      const silo = req.silo;
      const probe = silo.bootLookups ? (silo.bootProbe ??= cachedProbe(this.probeFor(silo), silo.bootLookups)) : this.probeFor(silo);
      const r = resolveImage({ commandLine: req.commandLine, cwd: SYSTEM32, path: env.get('PATH') }, probe);
      imagePath = r.imagePath;
      commandLine = r.commandLine;
    }
    const program = req.silo.programs.get(imagePath) ?? (req.resolve ? undefined : RESIDENT_DEFAULT);
    if (!program) throw new Win32Error('CreateProcess', ERROR_BAD_EXE_FORMAT, imagePath);
    // The boot's images are taken as given: one the disk lacks is not held (decision).
    const image = this.imageFor(req.silo, imagePath, req.resolve === true, req.silo.bootLookups);
    let p: Process;
    try {
      p = this.createRecord({
        silo: req.silo,
        parent: req.parent,
        imagePath,
        commandLine,
        sessionId: req.sessionId ?? req.silo.sessionId,
        env: req.env ?? req.silo.systemEnvironment,
        cwd: SYSTEM32,
        stdin: NUL,
        stdout: NUL,
        stderr: NUL,
        console: undefined,
        newGroup: false,
        breakaway: false,
        system: true,
        critical: req.critical ?? false,
        threads: req.threads,
        stdClosers: [],
        image,
      });
    } catch (e) {
      if (image) releaseImage(image);
      throw e;
    }
    this.start(p, program);
    return p;
  }

  /**
   * The image section a new process of `silo` runs from, from creation to
   * exit (fs/types.ts ImageSection: the file cannot be deleted or written
   * meanwhile), or undefined where the silo's file system holds no images.
   * During a boot (nothing changes the files: `silo.bootLookups`) one
   * section per image path serves every process of that image, as one
   * image section serves every process mapping a file. Failures as
   * Win32Error('CreateProcess', code): ERROR_SHARING_VIOLATION for an image
   * open for write; a missing file only when `required`.
   */
  private imageFor(silo: Silo, imagePath: string, required: boolean, lookups: ImageLookupCache | undefined): SharedImage | undefined {
    const fs = silo.fs;
    if (!fs?.mapImage || !imagePath.includes('\\')) return undefined;
    let boot: Map<string, SharedImage> | undefined;
    const key = imagePath.toUpperCase();
    const booting = silo.bootLookups;
    if (booting) {
      let entry = this.bootImages.get(silo);
      if (!entry || entry.lookups !== booting) this.bootImages.set(silo, (entry = { lookups: booting, images: new Map() }));
      boot = entry.images;
      const shared = boot.get(key);
      if (shared && shared.refs > 0) {
        shared.refs++;
        return shared;
      }
    } else this.bootImages.delete(silo);
    let ids: Map<string, number> | undefined;
    if (lookups) {
      ids = this.imageIds.get(lookups);
      if (!ids) this.imageIds.set(lookups, (ids = new Map()));
    }
    const hint = ids?.get(key);
    let section: ImageSection;
    try {
      section = fs.mapImage(imagePath, 'C:\\', hint);
      if (ids && hint === undefined && section.fileId !== undefined && ids.size < lookups!.maxEntries) ids.set(key, section.fileId);
    } catch (e) {
      if (!(e instanceof Win32Error)) throw e;
      if (!required && (e.code === ERROR_FILE_NOT_FOUND || e.code === ERROR_PATH_NOT_FOUND)) return undefined;
      throw new Win32Error('CreateProcess', e.code, imagePath);
    }
    const shared: SharedImage = { section, refs: 1 };
    boot?.set(key, shared);
    return shared;
  }

  private createRecord(r: {
    silo: Silo;
    parent: Process | undefined;
    imagePath: string;
    commandLine: string;
    sessionId: number;
    env: Environment;
    cwd: string;
    stdin: InputStream;
    stdout: OutputStream;
    stderr: OutputStream;
    console: Console | undefined;
    newGroup: boolean;
    breakaway: boolean;
    system: boolean;
    critical: boolean;
    threads: number | undefined;
    stdClosers: { close(): void }[];
    image: SharedImage | undefined;
  }): Process {
    const { silo, parent } = r;
    const pid = this.cid.create(THREAD);
    if (pid === 0) throw new Win32Error('CreateProcess', ntStatusToWin32(STATUS_INSUFFICIENT_RESOURCES));
    // The job: the parent's chain when the parent is in the same silo, else the silo's job.
    let jp = 0;
    if (silo.job !== 0) {
      const parentJp = parent && parent.silo === silo && parent.running ? parent.jobProcess : 0;
      const c = this.jobs.createProcess(parentJp, r.breakaway ? CREATE_BREAKAWAY_FROM_JOB : 0);
      if (c.status < 0) {
        this.cid.destroy(pid);
        throw new Win32Error('CreateProcess', ntStatusToWin32(c.status));
      }
      jp = c.process;
      if (parentJp === 0) {
        const st = this.jobs.assignProcess(silo.job, jp);
        if (st < 0) {
          // At the job's active-process limit the module ended the process (exit code 1816).
          const q = this.jobs.queryProcess(jp);
          if (q.info?.Active) this.jobs.exitProcess(jp, ExitCode.JobLimit);
          this.jobs.deleteProcess(jp);
          this.cid.destroy(pid);
          throw new Win32Error('CreateProcess', ntStatusToWin32(st));
        }
      }
    }
    const imageName = r.imagePath.includes('\\') ? r.imagePath.slice(r.imagePath.lastIndexOf('\\') + 1) : r.imagePath;
    const inheritedGroup = parent && parent.console === r.console && r.console !== undefined;
    const p = new Process(
      silo,
      parent?.pid ?? 0,
      r.sessionId,
      imageName,
      r.imagePath.includes('\\') ? r.imagePath : '',
      r.commandLine,
      this.clock(),
      r.env,
      r.cwd,
      r.stdin,
      r.stdout,
      r.stderr,
      r.console,
      r.newGroup ? pid : inheritedGroup ? parent!.processGroup : pid,
      r.newGroup ? true : inheritedGroup ? parent!.ctrlCDisabled : false,
      r.system,
      r.critical,
    );
    p.pid = pid;
    p.jobProcess = jp;
    this.cid.set(pid, p);
    const profile = imageProfile(imageName, r.commandLine);
    const threads = r.threads ?? profile.threads;
    // Sized once: a thousand containers hold ~30 of these each.
    const tids = new Array<number>(threads);
    let n = 0;
    for (let i = 0; i < threads; i++) {
      const tid = this.cid.create(THREAD);
      if (tid !== 0) tids[n++] = tid;
    }
    if (n !== threads) tids.length = n;
    p.tids = tids;
    p.workingSet = profile.workingSet;
    if (r.stdClosers.length > 0) (p.owned ??= []).push(...r.stdClosers);
    this.table.set(pid, p);
    silo.processes.add(p);
    r.console?.attach(p);
    // From here on the process owns the section: its exit releases it.
    p.image = r.image;
    // The image's initial commit, charged to the job chain.
    if (jp !== 0 && profile.privateBytes > 0) {
      const st = this.jobs.charge(jp, JobCharge.Commit, profile.privateBytes);
      if (st === STATUS_COMMITMENT_LIMIT) this.endProcess(p, ExitCode.InitialCommitRefused);
      else if (st < 0) this.syncWithJobs(p);
      else p.privateBytes = profile.privateBytes;
    } else {
      p.privateBytes = profile.privateBytes;
    }
    return p;
  }

  /**
   * Runs the program after the creator's call returns (CreateProcess returns
   * before the child runs): as a promise job, or after the host's event loop
   * has had a turn when the kernel's slice is spent (scheduler.ts), so a
   * process bomb or a loop of execs cannot starve the host's sockets.
   */
  private start(p: Process, program: Program): void {
    if (!p.running || isResident(program)) return;
    // In a suspended silo the new process's first thread waits for resume.
    EVENT_LOOP_TURNS.run(() => p.silo.whenRunnable(() => this.run(p, program)));
  }

  private run(p: Process, program: Program): void {
    if (!p.running) return;
    const ctx = new ProcessContextImpl(this, p);
    let result: unknown;
    try {
      result = program(ctx);
    } catch (e) {
      this.programEnded(p, undefined, e);
      return;
    }
    if (result !== null && typeof result === 'object' && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(
        (code) => this.programEnded(p, code, undefined),
        (e: unknown) => this.programEnded(p, undefined, e ?? new Error('rejected')),
      );
    } else {
      this.programEnded(p, result, undefined);
    }
  }

  private programEnded(p: Process, code: unknown, error: unknown): void {
    if (!p.running) return;
    if (error !== undefined) {
      if (error instanceof ProcessExitSignal) return;
      p.crash = error;
      this.endProcess(p, ExitCode.UnhandledException);
      return;
    }
    const n = typeof code === 'number' ? code : Number(code ?? 0);
    this.endProcess(p, Number.isFinite(n) ? n >>> 0 : 0);
  }

  // ---- internal: standard handles ------------------------------------------------

  private stdInput(
    o: StdioOption,
    parent: Process | undefined,
    console: Console | undefined,
    closers: { close(): void }[],
    callerEnd: (w: PipeWriter) => void,
  ): InputStream {
    if (o === 'null') return NUL;
    if (o === 'pipe') {
      const pipe = new Pipe();
      callerEnd(pipe.writeEnd());
      const r = pipe.readEnd();
      closers.push(r);
      return r;
    }
    if (o === 'inherit') {
      const from = parent?.stdin;
      if (!from || (from.isConsole && console && parent?.console !== console)) {
        if (!console) return NUL;
        const r = console.inputPipe.readEnd(true);
        closers.push(r);
        return r;
      }
      return this.dupInput(from, closers);
    }
    if (typeof o === 'object' && o !== null && 'read' in o) return this.dupInput(o, closers);
    throw new Win32Error('CreateProcess', ERROR_INVALID_PARAMETER, 'hStdInput');
  }

  private dupInput(s: InputStream, closers: { close(): void }[]): InputStream {
    if (s instanceof PipeReader) {
      const d = s.duplicate();
      closers.push(d);
      return d;
    }
    return s;
  }

  private stdOutput(
    o: StdioOption,
    which: 'stdout' | 'stderr',
    parent: Process | undefined,
    console: Console | undefined,
    closers: { close(): void }[],
    callerEnd: (r: PipeReader) => void,
  ): OutputStream {
    if (o === 'null') return NUL;
    if (o === 'pipe') {
      const pipe = new Pipe();
      callerEnd(pipe.readEnd());
      const w = pipe.writeEnd();
      closers.push(w);
      return w;
    }
    if (o === 'inherit') {
      const from = parent?.[which];
      if (!from || (from.isConsole && console && parent?.console !== console)) {
        if (!console) return NUL;
        const w = console.outputPipe.writeEnd(true);
        closers.push(w);
        return w;
      }
      return this.dupOutput(from, closers);
    }
    if (typeof o === 'object' && o !== null && 'write' in o) return this.dupOutput(o, closers);
    throw new Win32Error('CreateProcess', ERROR_INVALID_PARAMETER, which === 'stdout' ? 'hStdOutput' : 'hStdError');
  }

  private dupOutput(s: OutputStream, closers: { close(): void }[]): OutputStream {
    if (s instanceof PipeWriter) {
      const d = s.duplicate();
      closers.push(d);
      return d;
    }
    return s;
  }

  // ---- internal: ending ------------------------------------------------------------

  /**
   * @internal Ends a running process with `exitCode`: its threads end, its
   * handles close (pipes see end of file), its job hears of it, waiters
   * wake, and its pid is freed once nobody holds a handle to it.
   */
  endProcess(p: Process, exitCode: number): void {
    if (!p.running) return;
    p.state = 'exited';
    p.exitCode = exitCode >>> 0;
    p.exitTime = this.clock();
    if (p.jobProcess !== 0) {
      const jp = p.jobProcess;
      p.jobProcess = 0;
      const q = this.jobs.queryProcess(jp);
      if (q.info) {
        p.userTime = q.info.UserTime;
        p.kernelTime = q.info.KernelTime;
        if (q.info.Active) this.jobs.exitProcess(jp, p.exitCode);
      }
      this.jobs.deleteProcess(jp);
    }
    this.runnableSet.delete(p);
    for (const tid of p.tids) if (tid !== 0) this.cid.destroy(tid);
    p.tids = [];
    p.workingSet = 0;
    p.privateBytes = 0;
    // Close its handles: the processes it held lose a reference.
    if (p.handles) {
      for (const [, e] of p.handles.entries()) if (e.kind === 'Process') this.deref(e.process);
      p.handles = undefined;
    }
    if (p.obProcess !== 0) {
      this.ob.deleteProcess(p.obProcess);
      p.obProcess = 0;
    }
    if (p.owned) {
      for (const h of p.owned) h.close();
      p.owned = undefined;
    }
    // Its image is no longer mapped by it: once no process maps it, it can be deleted and written again.
    if (p.image) {
      const image = p.image;
      p.image = undefined;
      releaseImage(image);
    }
    p.console?.detach(p);
    p.ctrlHandlers = undefined;
    p.silo.processes.delete(p);
    p.silo.processExited(p);
    const waiters = p.exitWaiters;
    p.exitWaiters = undefined;
    if (waiters) for (const w of waiters) w(p.exitCode);
    p.abort?.abort(new ProcessExitSignal(p.exitCode));
    for (const l of this.exitListeners) {
      try {
        l(p);
      } catch {
        // A listener's failure is its own; the process has ended either way.
      }
    }
    this.deref(p);
  }

  /** @internal CloseHandle on a value of `p`'s handle table: ERROR_INVALID_HANDLE when not open. */
  closeHandle(p: Process, value: number): void {
    const e = p.handles?.destroy(value);
    if (!e) throw new Win32Error('CloseHandle', ERROR_INVALID_HANDLE, String(value));
    if (e.kind === 'Process') this.deref(e.process);
    else if (e.kind === 'Object' && p.obProcess !== 0) this.ob.close(p.obProcess, e.obHandle);
  }

  /**
   * @internal NtLoadDriver. From a silo it is refused silently: nothing
   * loads and no error is returned (windows-facts §2). On the host the
   * driver is recorded as loaded.
   */
  loadDriver(p: Process, serviceName: string): void {
    if (p.silo.id !== 0) return;
    this.loadedDrivers.add(serviceName.toUpperCase());
  }

  /** @internal CloseHandle on a ChildProcess. */
  closeChild(child: ChildProcess): void {
    const owner = child.owner;
    if (owner) {
      // The owner's exit already closed its handles (and let go of the process).
      const h = owner.handles;
      const first = child.handleValues[0];
      if (!h || first === undefined) return;
      const e = h.get(first);
      if (!e || e.kind !== 'Process' || e.process !== child.process) return;
      for (const v of child.handleValues) h.destroy(v);
    }
    this.deref(child.process);
  }

  private deref(p: Process): void {
    if (--p.refs > 0 || p.running) return;
    if (p.pid !== 0 && this.table.get(p.pid) === p) {
      this.table.delete(p.pid);
      this.cid.destroy(p.pid);
    }
  }

  /** @internal More threads for a running process (System keeps creating them while the machine boots). */
  addThreads(p: Process, n: number): void {
    for (let i = 0; i < n; i++) {
      const tid = this.cid.create(THREAD);
      if (tid !== 0) p.tids.push(tid);
    }
  }

  /** @internal The job module may have ended the process (a limit): mirror that. */
  syncWithJobs(p: Process): void {
    if (!p.running || p.jobProcess === 0) return;
    const q = this.jobs.queryProcess(p.jobProcess);
    if (q.info && !q.info.Active) this.endProcess(p, q.info.ExitCode);
  }

  /** @internal After a charge that a job refused with a termination, every process of the silo may have ended. */
  syncSilo(silo: Silo): void {
    for (const p of [...silo.processes]) this.syncWithJobs(p);
  }

  /** @internal Runnable threads; a suspended silo's stay unseen by the scheduler until resume. */
  setRunnable(p: Process, threads: number): void {
    if (!p.running || p.jobProcess === 0) return;
    const st = this.jobs.setRunnable(p.jobProcess, p.silo.suspended ? 0 : threads);
    if (st < 0) throw new Win32Error('SetRunnable', ntStatusToWin32(st));
    p.runnable = threads;
    if (threads > 0) this.runnableSet.add(p);
    else this.runnableSet.delete(p);
  }

  /** @internal Silo.suspend: the scheduler stops seeing the silo's runnable threads (their counts are kept). */
  suspendScheduling(silo: Silo): void {
    for (const p of silo.processes) if (p.runnable > 0 && p.jobProcess !== 0) this.jobs.setRunnable(p.jobProcess, 0);
  }

  /** @internal Silo.resume: the kept counts are runnable again. */
  resumeScheduling(silo: Silo): void {
    for (const p of silo.processes) if (p.runnable > 0 && p.jobProcess !== 0) this.jobs.setRunnable(p.jobProcess, p.runnable);
  }

  /**
   * @internal Charges a commit to the process's job chain (VirtualAlloc
   * MEM_COMMIT): ERROR_COMMITMENT_LIMIT past the job's or process's memory
   * limit, or past the machine's commit limit (memory-guard.ts).
   */
  commit(p: Process, bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new Win32Error('VirtualAlloc', ERROR_INVALID_PARAMETER);
    if (!this.machineCommit.fits(bytes)) throw new Win32Error('VirtualAlloc', ERROR_COMMITMENT_LIMIT);
    if (p.jobProcess !== 0) {
      const st = this.jobs.charge(p.jobProcess, JobCharge.Commit, bytes);
      if (st === STATUS_COMMITMENT_LIMIT) throw new Win32Error('VirtualAlloc', ERROR_COMMITMENT_LIMIT);
      if (st < 0) throw new Win32Error('VirtualAlloc', ntStatusToWin32(st));
    }
    p.privateBytes += bytes;
    p.workingSet += bytes;
  }

  /**
   * @internal Whether `bytes` more could be committed now, without charging
   * them: the machine's commit limit, then the job chain's (charged and
   * given back at once). ERROR_COMMITMENT_LIMIT when not. For programs that
   * allocate memory the kernel does not see (an interpreter's values).
   */
  probeCommit(p: Process, bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new Win32Error('VirtualAlloc', ERROR_INVALID_PARAMETER);
    if (!this.machineCommit.fits(bytes)) {
      // A program that caught the refusal and asks again while the heap is still full is ended:
      // its allocations between two probes are not seen, and the host's memory must not run out (ExitCode.CommitRefused).
      if (p.commitRefused) {
        this.endProcess(p, ExitCode.CommitRefused);
        throw new ProcessExitSignal(p.exitCode);
      }
      p.commitRefused = true;
      throw new Win32Error('VirtualAlloc', ERROR_COMMITMENT_LIMIT);
    }
    p.commitRefused = false;
    if (p.jobProcess === 0 || bytes === 0) return;
    const st = this.jobs.charge(p.jobProcess, JobCharge.Commit, bytes);
    if (st === STATUS_COMMITMENT_LIMIT) throw new Win32Error('VirtualAlloc', ERROR_COMMITMENT_LIMIT);
    if (st < 0) throw new Win32Error('VirtualAlloc', ntStatusToWin32(st));
    this.jobs.charge(p.jobProcess, JobCharge.Commit, -bytes);
  }

  /** @internal */
  decommit(p: Process, bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > p.privateBytes) throw new Win32Error('VirtualFree', ERROR_INVALID_PARAMETER);
    if (p.jobProcess !== 0 && bytes > 0) {
      const st = this.jobs.charge(p.jobProcess, JobCharge.Commit, -bytes);
      if (st < 0) throw new Win32Error('VirtualFree', ntStatusToWin32(st));
    }
    p.privateBytes -= bytes;
    p.workingSet = Math.max(0, p.workingSet - bytes);
  }

  /** @internal Charges CPU time; a time limit may end the process or its whole job. */
  chargeCpu(p: Process, user: number, kernelTime: number): void {
    if (!Number.isSafeInteger(user) || !Number.isSafeInteger(kernelTime) || user < 0 || kernelTime < 0) {
      throw new Win32Error('ChargeCpu', ERROR_INVALID_PARAMETER);
    }
    p.userTime += user;
    p.kernelTime += kernelTime;
    if (p.jobProcess === 0) return;
    const st = this.jobs.charge(p.jobProcess, JobCharge.CpuTime, user, kernelTime);
    if (st === STATUS_QUOTA_EXCEEDED) this.syncSilo(p.silo);
    else if (st < 0) throw new Win32Error('ChargeCpu', ntStatusToWin32(st));
  }

  /** @internal I/O counted per process and charged to its job (kind: ReadIo, WriteIo, OtherIo). */
  chargeIo(p: Process, kind: 'read' | 'write' | 'other', bytes: number): void {
    const io = (p.ioCounters ??= { ReadOperationCount: 0, WriteOperationCount: 0, OtherOperationCount: 0, ReadTransferCount: 0, WriteTransferCount: 0, OtherTransferCount: 0 });
    if (kind === 'read') {
      io.ReadOperationCount++;
      io.ReadTransferCount += bytes;
    } else if (kind === 'write') {
      io.WriteOperationCount++;
      io.WriteTransferCount += bytes;
    } else {
      io.OtherOperationCount++;
      io.OtherTransferCount += bytes;
    }
    if (p.jobProcess === 0) return;
    const k = kind === 'read' ? JobCharge.ReadIo : kind === 'write' ? JobCharge.WriteIo : JobCharge.OtherIo;
    this.jobs.charge(p.jobProcess, k, 1, bytes);
  }

  /** @internal Console control event for one process: its handlers, last registered first, else the default handler. */
  deliverCtrlEvent(p: Process, event: ConsoleCtrlEvent): void {
    if (!p.running) return;
    if (event === CTRL_C_EVENT && p.ctrlCDisabled) return;
    // The handler runs on a new thread of the process: in a suspended silo, once resumed.
    if (p.silo.suspended) {
      p.silo.whenRunnable(() => this.deliverCtrlEvent(p, event));
      return;
    }
    const handlers = p.ctrlHandlers;
    if (handlers) {
      for (let i = handlers.length - 1; i >= 0; i--) {
        let handled: boolean | void;
        try {
          handled = handlers[i]!(event);
        } catch (e) {
          if (e instanceof ProcessExitSignal) return;
          p.crash = e;
          this.endProcess(p, ExitCode.UnhandledException);
          return;
        }
        if (!p.running) return;
        if (handled === true) return;
      }
    }
    // No handler took it: the default handler calls ExitProcess(STATUS_CONTROL_C_EXIT),
    // for CTRL_BREAK_EVENT and the close/logoff/shutdown events too.
    this.endProcess(p, ExitCode.ControlC);
  }

  /** @internal The process's context in the object namespace, created on first use. */
  obProcessOf(p: Process): number {
    if (p.obProcess !== 0) return p.obProcess;
    if (p.silo.id === 0 && p.pid === this.system.pid) return this.hostObProcess;
    const r = this.ob.createProcess(p.silo.id, p.sessionId, p.system || p.silo.id === 0 ? ALL_PRIVILEGES : 0);
    if (r.status < 0) throw new NtStatusError('PspCreateProcess', r.status);
    p.obProcess = r.process;
    return r.process;
  }

  /** @internal */
  resolveProcess(x: Process | number): Process {
    if (x instanceof Process) return x;
    const p = this.table.get(x);
    if (!p || !p.running) throw new Win32Error('OpenProcess', ERROR_INVALID_PARAMETER, String(x));
    return p;
  }

  /** @internal The silo is gone: forget it, free its id and session. */
  siloEnded(silo: Silo): void {
    this.siloTable.delete(silo.id);
    this.ob.terminateSilo(this.hostObProcess, silo.id);
    this.jobs.closeJob(silo.job);
    this.sessions.free(silo.sessionId);
    this.cid.destroy(silo.id);
  }

  /**
   * lpCurrentDirectory: a full path that must name a directory, else
   * ERROR_DIRECTORY (267, "The directory name is invalid.") as CreateProcess
   * answers. Checked only where the silo has a file system.
   */
  private currentDirectory(silo: Silo, probe: ImageProbe, dir: string, base: string): string {
    const full = probe.fullPath(dir, base);
    // A directory, as GetFileAttributes tells it (a failed lookup is no directory).
    if (silo.fs && probe.probe(full).kind !== 'directory') throw new Win32Error('CreateProcess', ERROR_DIRECTORY, dir);
    return full;
  }

  /** @internal How CreateProcess finds images in a silo: its file system, or else its program registry. */
  probeFor(silo: Silo): ImageProbe {
    return silo.fs ? fsProbe(silo.fs) : registryProbe(silo.programs);
  }
}

/** One process less maps the image: the last one closes the section. */
function releaseImage(image: SharedImage): void {
  if (--image.refs === 0) image.section.close();
}

function check(op: string, status: number): void {
  if (status < 0) throw new NtStatusError(op, status);
}

/** Image lookup through a silo's file system. */
function fsProbe(fs: FileSystemView): ImageProbe {
  return {
    fullPath: (path, cwd) => fs.fullPath(path, cwd),
    probe: (full) => {
      try {
        const info = fs.stat(full, 'C:\\');
        if ((info.attributes & 0x10) !== 0) return { kind: 'directory' };
        const dir = full.slice(0, full.lastIndexOf('\\'));
        return { kind: 'file', path: `${dir}\\${info.name || full.slice(full.lastIndexOf('\\') + 1)}` };
      } catch (e) {
        if (e instanceof Win32Error) return { kind: 'missing', code: e.code };
        throw e;
      }
    },
  };
}

/** Without a file system, an image exists when a program is registered for it. */
function registryProbe(programs: ProgramRegistry): ImageProbe {
  return {
    fullPath: simpleFullPath,
    probe: (full) => {
      const registered = programs.registeredPath(full);
      if (!registered) return { kind: 'missing', code: 2 };
      const name = registered.slice(registered.lastIndexOf('\\') + 1);
      return { kind: 'file', path: `${full.slice(0, full.lastIndexOf('\\'))}\\${name}` };
    },
  };
}
