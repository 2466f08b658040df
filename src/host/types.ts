/**
 * The container engine's contract: what `import { Host } from 'winsilo'`
 * gives an embedder, what `winsilo run` drives in-process, and what the
 * Docker Engine API daemon (src/daemon) will serve. A Host is one Windows
 * container host: a kernel (silo 0), a compute service, an image store and
 * its containers — in memory, or on a data root.
 *
 * Errors:
 *  - HostError with `status` = the HTTP status the Engine API answers with
 *    (404 no such image/container, 409 conflict, 400 bad parameter, 500)
 *    and `message` = moby's text, e.g. `No such container: x`,
 *    `Conflict. The container name "/web" is already in use by container "…". You have to remove (or rename) that container to be able to reuse that name.`,
 *    `invalid isolation (vm): Windows supports 'default', 'process', or 'hyperv'`,
 *    `hcs::CreateComputeSystem <id>: The container operating system does not match the host operating system.`
 */
import type { Program } from '../kernel/process/index.js';
import type { BasicAndIoAccountingInformation } from '../core/jobs/index.js';
import type { PipeReader, PipeWriter } from '../kernel/process/index.js';
import type { PullResult } from '../images/store.js';

export interface HostOptions {
  /**
   * Keep images, containers and sandboxes in this folder (created if
   * missing, reopened with everything in it otherwise; src/host/README.md
   * "Data root"); default: in memory only.
   */
  dataRoot?: string;
  /** The host's Windows build (default 20348, ltsc2022). */
  hostBuild?: number;
  /** Windows Server (default isolation process) or a client SKU (default hyperv). */
  sku?: 'server' | 'client';
  /** Logical processors the host reports (default 4). */
  cpuCount?: number;
  /** Host memory in bytes (default 16 GiB). */
  memoryBytes?: number;
  /** Default Date.now (inject for deterministic tests). */
  clock?: () => number;
}

/** `docker images` / GET /images/json, as the Engine API spells it. */
export interface ImageSummary {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  /** Unix seconds. */
  Created: number;
  /** Bytes really stored by the image's layers. */
  Size: number;
  Os: 'windows';
  OsVersion: string;
}

/** A mount as `-v HOST:CONTAINER[:ro]` gives it. */
export interface BindMount {
  hostPath: string;
  /** An absolute container path, e.g. `C:\data`. */
  containerPath: string;
  readOnly: boolean;
  /**
   * A volume's name (`-v name:C:\data`; '' for an anonymous one, `-v
   * C:\data`): the Host makes it if needed at create and sets hostPath to
   * its folder (src/host/volumes.ts).
   */
  volume?: string;
}

export interface ContainerCreateOptions {
  image: string;
  name?: string;
  /** The command (argv) replacing the image's Cmd. */
  cmd?: string[];
  /** The entrypoint (argv) replacing the image's Entrypoint. */
  entrypoint?: string[];
  /** `K=V` entries added to the process environment. */
  env?: string[];
  workingDir?: string;
  user?: string;
  hostname?: string;
  /** `-t`: the main process gets a console (pseudo-terminal). */
  tty?: boolean;
  /** `-i`: keep stdin open. */
  openStdin?: boolean;
  /** `--rm`. */
  autoRemove?: boolean;
  /** 'default', 'process' or 'hyperv' (anything else is refused with docker's message). */
  isolation?: string;
  binds?: BindMount[];
  /** Engine API HostConfig resource fields (src/host/resources.ts). */
  memory?: number;
  cpuCount?: number;
  cpuPercent?: number;
  cpuShares?: number;
  /** Console size for a tty, [rows, columns]. */
  consoleSize?: [number, number];
  /**
   * HostConfig.StorageOpt (`--storage-opt size=50G`): the windowsfilter
   * driver's options. `size` (any case; go-units RAMInBytes syntax) is the
   * sandbox's size — C:'s total and free space, writes past it failing
   * with ERROR_DISK_FULL; default 127 GB (moby's), never below the
   * platform's 20 GB. Other keys are ignored, as the driver ignores them.
   * A bad size fails the create: 500 `failed to parse storage options: invalid size: 'x'`.
   */
  storageOpt?: Record<string, string>;
  /** HostConfig.NetworkMode: `nat` (default), `none`, or a network's name or id (src/net). */
  network?: string;
  /** HostConfig.PortBindings (`-p`), published at each start (src/net/ports.ts). */
  portBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null>;
  /** HostConfig.PublishAllPorts (`-P`): the exposed ports (image's and `exposedPorts`) on ephemeral host ports. */
  publishAllPorts?: boolean;
  /** Config.ExposedPorts keys (`80/tcp`) beyond the image's. */
  exposedPorts?: string[];
  /** NetworkingConfig aliases on the primary network (`--network-alias`). */
  aliases?: string[];
  /** `--ip`. */
  ipv4Address?: string;
  /** Config.Volumes' destinations (`docker run -v C:\data` as the CLI sends it): an anonymous volume each, as the image's VOLUMEs. */
  volumes?: string[];
  /**
   * `--mac-address`: the primary endpoint's address as HNS keeps it
   * (`00-15-5D-AA-BB-CC`), given to HNS at each start in place of one from
   * its pool (moby's Windows driver passes EndpointsConfig's MacAddress).
   */
  macAddress?: string;
  /** HostConfig.Dns (`--dns`): the endpoint's DNS servers in place of the gateway (moby: the HNS endpoint's DNSServerList). */
  dns?: string[];
  /** HostConfig.DnsSearch (`--dns-search`): the container's DNS suffix search list (moby: HCS's DNSSearchList). */
  dnsSearch?: string[];
  /**
   * Config.ArgsEscaped: the command's first element is one escaped command
   * line (a Dockerfile's shell form). Default: the image's (moby
   * daemon/create.go); the builder sets it for each RUN.
   */
  argsEscaped?: boolean;
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'exited' | 'removing' | 'dead';

/** The streams of a process the host runs in a container. */
export interface ProcessIo {
  /** Null unless stdin was asked for. */
  stdin: PipeWriter | null;
  /** With a tty, stdout carries the console's output and stderr is null. */
  stdout: PipeReader | null;
  stderr: PipeReader | null;
  /** Resize the console (tty only). */
  resize(rows: number, columns: number): void;
  /** Deliver Ctrl+C (tty) or CTRL_C_EVENT. */
  interrupt(): void;
  /** HcsTerminateProcess: ends the process at once (a health probe past its timeout). */
  kill(): void;
  /** The exit code once the process has ended. */
  wait(): Promise<number>;
  readonly pid: number;
}

export interface ExecOptions {
  cmd: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  tty?: boolean;
  attachStdin?: boolean;
  consoleSize?: [number, number];
  /** The Engine API exec instance this process is (the `execID` of the exec_start event). */
  execId?: string;
}

/** One line of `docker rmi`'s answer (moby image.DeleteResponse): a name removed, or an image or layer deleted. */
export interface ImageDeleteRecord {
  Untagged?: string;
  Deleted?: string;
}

/** What every host event carries (GET /events's shape). */
export interface HostEvent {
  Type: 'container' | 'image' | 'volume';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  /** Unix seconds and nanoseconds. */
  time: number;
  timeNano: number;
}

/** A container (`docker ps`'s row, and what to do with it). Implemented by src/host/host.ts. */
export interface ContainerHandle {
  readonly id: string;
  /** Without the leading slash. */
  readonly name: string;
  readonly image: string;
  readonly status: ContainerStatus;
  /**
   * Starts the container: boots its silo and runs the main process (the
   * image's Entrypoint + Cmd, or the create options'), returning its
   * streams as create asked for them (tty, stdin).
   */
  start(): Promise<ProcessIo>;
  /** Resolves with the main process's exit code when the container stops. */
  wait(): Promise<number>;
  /** `docker stop`: CTRL_SHUTDOWN to the main process, terminate after `timeoutSeconds` (default 10). */
  stop(timeoutSeconds?: number): Promise<void>;
  kill(): Promise<void>;
  /** `docker rm [-f]`: 409 while running unless forced. */
  remove(options?: { force?: boolean }): Promise<void>;
  /** `docker exec`: a new process through CExecSvc. */
  exec(options: ExecOptions): Promise<ProcessIo>;
  /** The silo's job accounting (`docker stats`). */
  accounting(): BasicAndIoAccountingInformation;
  /** What validation warned about at create (docker prints them). */
  readonly warnings: readonly string[];
}

/** The engine (src/host/host.ts implements it as class Host). */
export interface HostApi {
  images(): ImageSummary[];
  /** Makes an image available: Microsoft's base images are synthesized on first use. 404 for an unknown reference. */
  pull(reference: string): Promise<ImageSummary>;
  /** The same pull, with each layer and whether it was already here (for docker's per-layer progress lines). */
  pullWithLayers(reference: string): PullResult;
  /** Validates like docker (isolation, resources, compatibility) and creates the container. */
  createContainer(options: ContainerCreateOptions): Promise<ContainerHandle>;
  container(idOrName: string): ContainerHandle | undefined;
  containers(options?: { all?: boolean }): ContainerHandle[];
  /**
   * A TypeScript function becomes `path` (e.g. `C:\Windows\System32\foo.exe`)
   * in every container, or in those of the given images, or in the given
   * containers only (ids or names; 404 `No such container: …`).
   */
  registerProgram(path: string, program: Program, scope?: { images?: string[]; containers?: string[] }): void;
  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (e: HostEvent) => void): () => void;
  /**
   * In memory: removes every container. On a data root: stops the running
   * ones (kept, exited), flushes, and lets another Host open the root.
   */
  close(): Promise<void>;
}

/**
 * Issue 9's image formats on a Host (src/images): commit, save/load in the
 * docker-archive format, push/pull through a registry. Host has these
 * methods; daemon routes and the CLI type against this interface.
 */
export interface HostImageFormats {
  /** `docker commit` (500 `windows does not support commit of a running container` while it runs; 400 for a bad `--change`). */
  commit(container: string, options?: { reference?: string; author?: string; comment?: string; changes?: string[] }): Promise<import('../images/types.js').Image>;
  /** `docker save`: the docker-archive tar of the images named (404 `No such image: …`). */
  save(references: readonly string[]): AsyncIterable<Uint8Array>;
  /** `docker load`: returns docker's lines (`Loaded image: …`, `Loaded image ID: sha256:…`). */
  load(source: AsyncIterable<Uint8Array>): Promise<string[]>;
  /** `docker push` (foreign base layers are not pushed). */
  push(reference: string, options?: import('../images/registry/client.js').ClientOptions): Promise<{ digest: string; size: number }>;
  /** `docker pull` from a registry; foreign layers resolve to this host's synthesized bases. */
  pullFromRegistry(reference: string, options?: import('../images/registry/client.js').ClientOptions): Promise<import('../images/types.js').Image>;
}

/**
 * A network a container joins beyond its NetworkMode: a further
 * EndpointsConfig entry of its create (API 1.44 and later), or a `docker
 * network connect` while it was stopped; with what was asked for there.
 */
export interface NetworkAttachment {
  network: string;
  aliases?: string[];
  /** IPAMConfig.IPv4Address. */
  ipv4Address?: string;
  /** HNS's form, `00-15-5D-AA-BB-CC`. */
  macAddress?: string;
}
