/**
 * The ProcessContext a running program receives (the interface and its
 * rules are in context.ts). Thin: the kernel does the work; this checks the
 * process is still running, charges the job for I/O, and maps Win32 names.
 */
import { STATUS_OBJECT_NAME_EXISTS } from '../../core/ntstatus.js';
import { OBJ_CASE_INSENSITIVE, OBJ_OPENIF, ObjectType } from '../../core/ob/index.js';
import { ERROR_ACCESS_DENIED, ERROR_DIRECTORY, ERROR_INVALID_PARAMETER, Win32Error, ntStatusToWin32 } from '../../core/win32.js';
import { FILE_ATTRIBUTE_DIRECTORY, type FileSystemView } from '../fs/types.js';
import type { Registry } from '../registry/types.js';
import type { ServiceControlManager } from '../services/scm.js';
import type { Silo, SiloOptions } from '../silo/silo.js';
import { commandLineToArgv } from './command-line.js';
import {
  ProcessExitSignal,
  type ConsoleInfo,
  type NamedObjects,
  type NetworkStack,
  type ProcessContext,
  type ProcessSnapshot,
  type SpawnOptions,
} from './context.js';
import type { Environment } from './environment.js';
import { HandleTable } from './handle-table.js';
import { simpleFullPath } from './image-search.js';
import type { Kernel } from './kernel.js';
import { encodeText, PipeWriter, rejected, type InputStream, type OutputStream } from './pipe.js';
import type { ChildProcess, CtrlHandler, HandleEntry, Process } from './process.js';
import { EVENT_LOOP_TURNS } from './scheduler.js';

type NamedType = 'Event' | 'Mutant' | 'Semaphore' | 'Section';

/**
 * The network compartment of each silo (ctx.net): set by whoever attaches
 * the container to its networks (src/net through the Host), cleared when
 * the container stops. A silo without one has no network (`--network none`).
 */
export const SILO_NETWORKS = new WeakMap<Silo, NetworkStack>();

export class ProcessContextImpl implements ProcessContext {
  private argvCache: readonly string[] | undefined;
  private stdinCache: InputStream | undefined;
  private stdoutCache: OutputStream | undefined;
  private stderrCache: OutputStream | undefined;
  private objectsCache: NamedObjects | undefined;

  constructor(
    /** @internal */ readonly kernel: Kernel,
    readonly process: Process,
  ) {}

  get pid(): number {
    return this.process.pid;
  }
  get parentPid(): number {
    return this.process.parentPid;
  }
  get sessionId(): number {
    return this.process.sessionId;
  }
  get imageName(): string {
    return this.process.imageName;
  }
  get imagePath(): string {
    return this.process.imagePath;
  }
  get commandLine(): string {
    return this.process.commandLine;
  }
  get argv(): readonly string[] {
    return (this.argvCache ??= Object.freeze(commandLineToArgv(this.process.commandLine, this.process.imagePath)));
  }
  get env(): Environment {
    return this.process.env;
  }
  get cwd(): string {
    return this.process.cwd;
  }

  /** @internal */
  alive(): void {
    if (!this.process.running) throw new ProcessExitSignal(this.process.exitCode);
  }

  chdir(path: string): void {
    this.alive();
    const p = this.process;
    const fs = p.silo.fs;
    if (!fs) {
      p.cwd = simpleFullPath(path, p.cwd);
      return;
    }
    const full = fs.fullPath(path, p.cwd);
    let attributes: number;
    try {
      attributes = fs.stat(full, p.cwd).attributes;
    } catch (e) {
      if (e instanceof Win32Error) throw new Win32Error('SetCurrentDirectory', e.code, path);
      throw e;
    }
    if ((attributes & FILE_ATTRIBUTE_DIRECTORY) === 0) throw new Win32Error('SetCurrentDirectory', ERROR_DIRECTORY, path);
    p.cwd = full;
  }

  get stdin(): InputStream {
    return (this.stdinCache ??= new ChargedInput(this, this.process.stdin));
  }
  get stdout(): OutputStream {
    return (this.stdoutCache ??= new ChargedOutput(this, this.process.stdout));
  }
  get stderr(): OutputStream {
    return (this.stderrCache ??= new ChargedOutput(this, this.process.stderr));
  }

  get console(): ConsoleInfo | undefined {
    const c = this.process.console;
    if (!c) return undefined;
    return {
      get columns() {
        return c.columns;
      },
      get rows() {
        return c.rows;
      },
      get title() {
        return c.title;
      },
      set title(t: string) {
        c.title = t;
      },
      getMode: (which) => (which === 'input' ? c.inputMode : c.outputMode),
      setMode: (which, mode) => (which === 'input' ? c.setInputMode(mode) : c.setOutputMode(mode)),
      get attributes() {
        return c.attributes;
      },
      get defaultAttributes() {
        return c.defaultAttributes;
      },
      setTextAttribute: (a) => c.setTextAttribute(a),
      fillAttributes: (a) => c.fillAttributes(a),
      get codePage() {
        return c.codePage;
      },
      set codePage(page: number) {
        c.codePage = page;
      },
    };
  }

  get fs(): FileSystemView | undefined {
    return this.process.silo.fs;
  }
  get registry(): Registry | undefined {
    return this.process.silo.registry;
  }
  get services(): ServiceControlManager | undefined {
    return this.process.silo.scm;
  }
  get net(): NetworkStack | undefined {
    return SILO_NETWORKS.get(this.process.silo);
  }

  get signal(): AbortSignal {
    const p = this.process;
    if (!p.abort) {
      p.abort = new AbortController();
      if (!p.running) p.abort.abort(new ProcessExitSignal(p.exitCode));
    }
    return p.abort.signal;
  }

  spawn(commandLine: string, options: SpawnOptions = {}): ChildProcess {
    this.alive();
    const p = this.process;
    return this.kernel.spawnFrom(p.silo, p, true, { ...options, commandLine }, p);
  }

  exit(code = 0): never {
    this.kernel.endProcess(this.process, code);
    throw new ProcessExitSignal(this.process.exitCode);
  }

  onConsoleCtrl(handler: CtrlHandler): () => void {
    this.alive();
    const list = (this.process.ctrlHandlers ??= []);
    list.push(handler);
    return () => {
      const i = list.lastIndexOf(handler);
      if (i >= 0) list.splice(i, 1);
    };
  }

  ignoreCtrlC(ignore: boolean): void {
    this.alive();
    this.process.ctrlCDisabled = ignore;
  }

  terminateProcess(pid: number, exitCode = 1): void {
    this.alive();
    const self = this.process;
    const target = this.kernel.process(pid);
    if (!target || !target.running || target.silo !== self.silo) throw new Win32Error('OpenProcess', ERROR_INVALID_PARAMETER, String(pid));
    if (target.critical) throw new Win32Error('OpenProcess', ERROR_ACCESS_DENIED, String(pid));
    this.kernel.terminateProcess(target, exitCode);
    this.alive();
  }

  processes(): ProcessSnapshot[] {
    const silo = this.process.silo;
    const list = silo.id === 0 ? [...silo.processes] : [this.kernel.idle, this.kernel.system, ...silo.processes];
    return list.map(snapshot);
  }

  get objects(): NamedObjects {
    return (this.objectsCache ??= new NamedObjectsImpl(this));
  }

  commit(bytes: number): void {
    this.alive();
    this.kernel.commit(this.process, bytes);
  }

  decommit(bytes: number): void {
    this.alive();
    this.kernel.decommit(this.process, bytes);
  }

  switchToThread(): Promise<void> {
    if (!this.process.running) return rejected(new ProcessExitSignal(this.process.exitCode));
    return this.gate(EVENT_LOOP_TURNS.switchToThread());
  }

  probeCommit(bytes = 0): void {
    this.alive();
    this.kernel.probeCommit(this.process, bytes);
  }

  chargeCpu(userTime: number, kernelTime = 0): void {
    this.alive();
    this.kernel.chargeCpu(this.process, userTime, kernelTime);
    this.alive();
  }

  setRunnable(threads: number): void {
    this.alive();
    this.kernel.setRunnable(this.process, threads);
  }

  sleep(ms: number): Promise<void> {
    if (!this.process.running) return rejected(new ProcessExitSignal(this.process.exitCode));
    const signal = this.signal;
    return this.gate(new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.kernel.timers.clearTimeout(handle);
        reject(new ProcessExitSignal(this.process.exitCode));
      };
      const handle = this.kernel.timers.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal.addEventListener('abort', onAbort, { once: true });
    }));
  }

  /**
   * @internal An await of this program: held while its silo is suspended
   * (Silo.gate), and until the host's event loop has had a turn when the
   * kernel's slice is spent (scheduler.ts).
   */
  gate<T>(p: Promise<T>): Promise<T> {
    return EVENT_LOOP_TURNS.pass(this.process.silo.gate(p));
  }

  now(): number {
    return this.kernel.clock();
  }

  createServerSilo(options: SiloOptions = {}): Silo {
    this.alive();
    return this.kernel.createSilo({ ...options, creator: this.process });
  }

  loadDriver(serviceName: string): void {
    this.alive();
    this.kernel.loadDriver(this.process, serviceName);
  }
}

function snapshot(p: Process): ProcessSnapshot {
  return {
    pid: p.pid,
    parentPid: p.parentPid,
    sessionId: p.sessionId,
    imageName: p.imageName,
    imagePath: p.imagePath,
    commandLine: p.commandLine,
    creationTime: p.creationTime,
    threads: p.tids.length,
    handles: p.handles?.count ?? 0,
    workingSet: p.workingSet,
    privateBytes: p.privateBytes,
    userTime: p.userTime,
    kernelTime: p.kernelTime,
    services: p.services ? [...p.services] : [],
  };
}

/** stdin: reads charged to the job as read operations. */
class ChargedInput implements InputStream {
  constructor(
    private readonly ctx: ProcessContextImpl,
    private readonly stream: InputStream,
  ) {}
  get isConsole(): boolean {
    return this.stream.isConsole;
  }
  private charge(n: number): void {
    const p = this.ctx.process;
    if (p.running) this.ctx.kernel.chargeIo(p, 'read', n);
  }
  async read(maxBytes?: number): Promise<Uint8Array | null> {
    this.ctx.alive();
    const b = await this.ctx.gate(this.stream.read(maxBytes));
    if (b) this.charge(b.length);
    return b;
  }
  async readLine(): Promise<string | null> {
    this.ctx.alive();
    const s = await this.ctx.gate(this.stream.readLine());
    if (s !== null) this.charge(s.length + 1);
    return s;
  }
  async readAll(): Promise<Uint8Array> {
    this.ctx.alive();
    const b = await this.ctx.gate(this.stream.readAll());
    this.charge(b.length);
    return b;
  }
  async readText(): Promise<string> {
    this.ctx.alive();
    const s = await this.ctx.gate(this.stream.readText());
    this.charge(s.length);
    return s;
  }
}

/** stdout/stderr: writes charged to the job as write operations. */
class ChargedOutput implements OutputStream {
  constructor(
    private readonly ctx: ProcessContextImpl,
    private readonly stream: OutputStream,
  ) {}
  get isConsole(): boolean {
    return this.stream.isConsole;
  }
  write(data: string | Uint8Array): Promise<void> {
    const p = this.ctx.process;
    if (!p.running) return rejected(new ProcessExitSignal(p.exitCode));
    const bytes = typeof data === 'string' ? encodeText(data) : data;
    this.ctx.kernel.chargeIo(p, 'write', bytes.length);
    return this.ctx.gate(this.stream instanceof PipeWriter && typeof data === 'string' ? this.stream.writeOwned(bytes) : this.stream.write(bytes));
  }
}

/** Win32 names of the caller's session namespace. */
class NamedObjectsImpl implements NamedObjects {
  constructor(private readonly ctx: ProcessContextImpl) {}

  private ntName(name: string): string {
    const s = this.ctx.process.sessionId;
    return s === 0 ? `\\BaseNamedObjects\\${name}` : `\\Sessions\\${s}\\BaseNamedObjects\\${name}`;
  }

  create(type: NamedType, name?: string): { handle: number; existed: boolean } {
    this.ctx.alive();
    const { kernel, process: p } = this.ctx;
    const obp = kernel.obProcessOf(p);
    const r = kernel.ob.create(obp, ObjectType[type], { name: name === undefined || name === '' ? '' : this.ntName(name), attributes: OBJ_OPENIF | OBJ_CASE_INSENSITIVE });
    if (r.status < 0) throw new Win32Error(`Create${type === 'Mutant' ? 'Mutex' : type === 'Section' ? 'FileMapping' : type}`, ntStatusToWin32(r.status), name);
    const handle = (p.handles ??= new HandleTable<HandleEntry>()).create({ kind: 'Object', type, obHandle: r.handle });
    return { handle, existed: r.status === STATUS_OBJECT_NAME_EXISTS };
  }

  open(type: NamedType, name: string): number {
    this.ctx.alive();
    const { kernel, process: p } = this.ctx;
    const obp = kernel.obProcessOf(p);
    const r = kernel.ob.open(obp, ObjectType[type], { name: this.ntName(name), attributes: OBJ_CASE_INSENSITIVE });
    if (r.status < 0) throw new Win32Error(`Open${type === 'Mutant' ? 'Mutex' : type === 'Section' ? 'FileMapping' : type}`, ntStatusToWin32(r.status), name);
    return (p.handles ??= new HandleTable<HandleEntry>()).create({ kind: 'Object', type, obHandle: r.handle });
  }

  close(handle: number): void {
    this.ctx.alive();
    this.ctx.kernel.closeHandle(this.ctx.process, handle);
  }

  get count(): number {
    return this.ctx.process.handles?.count ?? 0;
  }
}
