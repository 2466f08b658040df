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
 */
import { WasmBlockStore, type BlockStore } from '../core/blocks/index.js';
import type { BasicAndIoAccountingInformation } from '../core/jobs/index.js';
import { InvalidIsolationError, defaultIsolation, resolveIsolation, type Isolation } from '../hcs/compat.js';
import { HcsError } from '../hcs/errors.js';
import { WINDOWS_RELEASES, parseOsVersion, type OsVersion } from '../hcs/versions.js';
import { ComputeService, type ComputeSystem, type ComputeProcess } from '../hcs/index.js';
import type { Sandbox } from '../hcs/sandbox.js';
import { ImageStore, type PullResult } from '../images/store.js';
import type { Image, Layer } from '../images/types.js';
import { STATUS_SUCCESS, ntStatusName } from '../core/ntstatus.js';
import { RELEASES, lookupBaseImage } from '../images/base/catalog.js';
import { Kernel, ProgramRegistry, argvToCommandLine, type Program } from '../kernel/process/index.js';
import { HostError } from './errors.js';
import { ERROR_ALREADY_EXISTS, Win32Error } from '../core/win32.js';
import { mountVolume, type NtfsVolume } from '../kernel/fs/index.js';
import { PE_AMD64 } from '../images/base/tree.js';
import { cryptoRandom, newContainerId, newContainerName, VALID_CONTAINER_NAME, type RandomSource } from './names.js';
import { InvalidResourcesError, verifyWindowsResources, type ContainerResources } from './resources.js';
import type { ContainerCreateOptions, ContainerHandle, ContainerStatus, ExecOptions, HostApi, HostEvent, HostOptions, ImageSummary, ProcessIo } from './types.js';

/** Seconds docker waits after CTRL_SHUTDOWN before terminating (`docker stop` default). */
const DEFAULT_STOP_SECONDS = 10;

export interface HostInternals {
  /** Inject a seeded random source for container ids and names (tests). */
  random?: RandomSource;
}

export class Host implements HostApi {
  readonly kernel: Kernel;
  readonly blocks: BlockStore;
  readonly imageStore: ImageStore;
  readonly compute: ComputeService;
  readonly hostVersion: OsVersion;
  readonly defaultIsolation: Isolation;
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
  private readonly random: RandomSource;
  private closed = false;

  /** Opens a host: in memory (a data root is not supported yet; see README "What is left"). */
  static async open(options: HostOptions = {}, internals: HostInternals = {}): Promise<Host> {
    if (options.dataRoot !== undefined) throw new HostError(400, 'a data root is not supported yet: winsilo keeps its state in memory');
    return new Host(options, internals);
  }

  private constructor(options: HostOptions, internals: HostInternals) {
    const build = options.hostBuild ?? 20348;
    if (!WINDOWS_RELEASES.some((r) => r.build === build)) throw new HostError(400, `unknown Windows build ${build}`);
    // The host runs the same monthly update as the catalogue's images of its release (UBR), else its RTM.
    const sameRelease = RELEASES[build] ? lookupBaseImage(`mcr.microsoft.com/windows/servercore:${RELEASES[build]!.ltscTag}`) : undefined;
    this.hostVersion = parseOsVersion(sameRelease?.osVersion ?? `10.0.${build}.1`)!;
    this.clock = options.clock ?? Date.now;
    this.cpuCount = options.cpuCount ?? 4;
    this.random = internals.random ?? cryptoRandom;
    this.kernel = new Kernel({ clock: this.clock, cpuCount: this.cpuCount });
    this.programs = new ProgramRegistry(this.kernel.programs);
    this.blocks = new WasmBlockStore();
    this.imageStore = new ImageStore(this.blocks, this.hostVersion);
    this.defaultIsolation = defaultIsolation(options.sku ?? 'server');
    this.compute = new ComputeService({ kernel: this.kernel, store: this.blocks, hostBuild: build, sku: options.sku ?? 'server', clock: this.clock });
  }

  // ---- images ---------------------------------------------------------------------

  images(): ImageSummary[] {
    return this.imageStore.list().map((i) => imageSummary(i));
  }

  async pull(reference: string): Promise<ImageSummary> {
    const r = this.imageStore.pull(reference);
    if (r.downloaded) this.emit('image', 'pull', reference, { name: reference });
    return imageSummary(r.image);
  }

  /** The image store's pull with its per-layer detail (for `winsilo run`'s progress lines). */
  pullWithLayers(reference: string): PullResult {
    const r = this.imageStore.pull(reference);
    if (r.downloaded) this.emit('image', 'pull', reference, { name: reference });
    return r;
  }

  image(reference: string): Image | undefined {
    return this.imageStore.resolve(reference);
  }

  // ---- programs and events --------------------------------------------------------

  registerProgram(path: string, program: Program, scope: { images?: string[] } = {}): void {
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
    this.installPrograms(mountVolume(this.blocks, r.disk, { clock: () => Date.parse(image.created) }), image);
    this.blocks.snapshot(r.disk);
    const layer: Layer = { diffId: `programs@${this.programGeneration}`, disk: r.disk, hives: {}, size: 0, foreign: false, createdBy: 'winsilo: registered programs', created: image.created };
    const derived: Image = { ...image, layers: [...image.layers, layer] };
    if (cached) this.blocks.deleteDisk(cached.image.layers[cached.image.layers.length - 1]!.disk);
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
  installPrograms(volume: NtfsVolume, image: Image): void {
    for (let r: ProgramRegistry | undefined = this.programsFor(image); r && r !== this.kernel.programs; r = r.parent) {
      for (const path of r.paths()) {
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
    // `--entrypoint ""` resets the image's entrypoint (moby mergeAndVerifyConfig), and with it its Cmd.
    const resetEntrypoint = o.entrypoint !== undefined && o.entrypoint.length === 1 && o.entrypoint[0] === '';
    const entrypoint = resetEntrypoint ? [] : (o.entrypoint ?? image.config.Entrypoint ?? []);
    const cmd = o.cmd ?? (o.entrypoint ? [] : (image.config.Cmd ?? []));
    const argv = [...entrypoint, ...cmd];
    if (argv.length === 0) throw new HostError(400, 'no command specified');
    const c = new Container(this, newContainerId(this.random), name, o, image, isolation, resources, argv, warnings);
    this.byId.set(c.id, c);
    this.names.set(c.name, c);
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

  /** @internal */
  forget(c: Container): void {
    this.byId.delete(c.id);
    this.names.delete(c.name);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of [...this.byId.values()]) await c.remove({ force: true });
    this.compute.close?.();
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

function imageSummary(i: Image): ImageSummary {
  return {
    Id: i.id,
    RepoTags: [...i.repoTags],
    RepoDigests: [],
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
  private system: ComputeSystem | undefined;
  private sandbox: Sandbox | undefined;
  private main: ComputeProcess | undefined;
  private exited: Promise<number> = Promise.resolve(0);
  private stopping = false;

  constructor(
    private readonly host: Host,
    readonly id: string,
    readonly name: string,
    readonly options: ContainerCreateOptions,
    readonly imageRecord: Image,
    readonly isolation: Isolation,
    readonly resources: ContainerResources,
    /** Entrypoint + Cmd: the main process's argv. */
    readonly argv: readonly string[],
    /** What validation warned about (docker prints them at create). */
    readonly warnings: readonly string[],
  ) {}

  get image(): string {
    return this.options.image;
  }

  async start(): Promise<ProcessIo> {
    if (this.status === 'running' || this.status === 'paused') throw new HostError(409, `container ${this.id} is already running`);
    if (this.status === 'removing' || this.status === 'dead') throw new HostError(409, `container ${this.id} is marked for removal and cannot be started`);
    const o = this.options;
    const r = this.resources;
    let system: ComputeSystem;
    try {
      // `docker start` of a stopped container: a new silo on the same sandbox (each start is a fresh boot).
      if (this.system && !this.system.isClosed && this.system.state === 'Stopped') {
        this.system.start();
        return this.runMain(this.system);
      }
      system = this.host.compute.createComputeSystem(this.id, {
        Owner: 'docker',
        Name: this.id,
        Isolation: this.isolation,
        HostName: o.hostname ?? this.id.slice(0, 12),
        Image: this.sandbox ? this.sandbox.image : this.host.imageForContainer(this.imageRecord),
        MappedDirectories: (o.binds ?? []).map((b) => ({ HostPath: b.hostPath, ContainerPath: b.containerPath, ReadOnly: b.readOnly })),
        MemoryMaximumInMB: r.Memory ? Math.floor(r.Memory / 2 ** 20) : undefined,
        ProcessorCount: r.CpuCount || undefined,
        ProcessorMaximum: r.CpuPercent ? r.CpuPercent * 100 : undefined,
        ProcessorWeight: r.CpuShares || undefined,
        Programs: this.host.programsFor(this.imageRecord),
        Sandbox: this.sandbox,
      });
      system.start();
    } catch (e) {
      daemonError(e);
    }
    this.system = system;
    this.sandbox = system.sandbox;
    return this.runMain(system);
  }

  /** Starts the main process (Entrypoint + Cmd) on a running system and follows it to the container's exit. */
  private runMain(system: ComputeSystem): ProcessIo {
    const o = this.options;
    let main: ComputeProcess;
    try {
      main = system.createProcess({
        CommandLine: argvToCommandLine([...this.argv]),
        WorkingDirectory: o.workingDir || this.imageRecord.config.WorkingDir || 'C:\\',
        Environment: envMap([...(this.imageRecord.config.Env ?? []), ...(o.env ?? [])]),
        User: o.user || this.imageRecord.config.User || undefined,
        EmulateConsole: o.tty === true,
        ConsoleSize: o.consoleSize,
        CreateStdInPipe: o.openStdin === true,
        CreateStdOutPipe: true,
        CreateStdErrPipe: o.tty !== true,
      });
    } catch (e) {
      if (system.state === 'Running' || system.state === 'Paused') system.terminate();
      this.status = 'exited';
      this.exitCode = 127;
      daemonError(e, true);
    }
    this.main = main;
    this.status = 'running';
    this.stopping = false;
    this.host.emit('container', 'start', this.id, { image: this.image, name: this.name });
    this.exited = main.wait().then(async (code) => {
      this.exitCode = code;
      await this.stopSystem(DEFAULT_STOP_SECONDS);
      this.status = 'exited';
      this.host.emit('container', 'die', this.id, { exitCode: String(code), image: this.image, name: this.name });
      if (this.options.autoRemove) await this.remove({ force: true });
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

  async remove(options: { force?: boolean } = {}): Promise<void> {
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
    this.system?.close({ deleteSandbox: true });
    this.sandbox?.destroy?.();
    this.host.forget(this);
    this.status = 'dead';
    this.host.emit('container', 'destroy', this.id, { image: this.image, name: this.name });
  }

  async exec(o: ExecOptions): Promise<ProcessIo> {
    if (this.status !== 'running' || !this.system) throw new HostError(409, `container ${this.id} is not running`);
    let p: ComputeProcess;
    try {
      p = this.system.createProcess({
        CommandLine: argvToCommandLine(o.cmd),
        WorkingDirectory: o.workingDir || this.options.workingDir || this.imageRecord.config.WorkingDir || 'C:\\',
        Environment: envMap([...(this.imageRecord.config.Env ?? []), ...(this.options.env ?? []), ...(o.env ?? [])]),
        User: o.user || this.options.user || this.imageRecord.config.User || undefined,
        EmulateConsole: o.tty === true,
        ConsoleSize: o.consoleSize,
        CreateStdInPipe: o.attachStdin === true,
        CreateStdOutPipe: true,
        CreateStdErrPipe: o.tty !== true,
      });
    } catch (e) {
      daemonError(e, true);
    }
    this.host.emit('container', `exec_start: ${o.cmd.join(' ')}`, this.id, { image: this.image, name: this.name });
    return processIo(p);
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

/** `K=V` entries as HCS's Environment map (a later entry replaces an earlier one; `K` alone is dropped, as docker does when unset). */
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
    wait: () => p.wait(),
  };
}
