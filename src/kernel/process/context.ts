/**
 * ProcessContext: everything a program sees of the machine it runs on — its
 * own process (ids, command line, environment, current directory), its
 * standard handles and console, its silo's file system, registry and
 * services, child processes, console control events, named objects, and the
 * job accounting of what it uses. It never sees the host's (design.md:
 * programs "see the world only through a process context").
 *
 * Once the process has ended (it returned, called exit(), or was
 * terminated), every method throws ProcessExitSignal: the program's stack
 * unwinds and whatever it returns is ignored. A program should not swallow
 * that signal; if it does, the next call throws it again.
 *
 * Errors are Win32Error (or NtStatusError where Windows surfaces an
 * NTSTATUS), as the API a Windows program would call fails.
 */
import type { FileSystemView } from '../fs/types.js';
import type { Registry } from '../registry/types.js';
import type { ServiceControlManager } from '../services/scm.js';
import type { Duplex } from 'node:stream';
import type { Silo, SiloOptions } from '../silo/silo.js';
import type { ConsoleCtrlEvent } from './constants.js';
import type { Environment } from './environment.js';
import type { InputStream, OutputStream } from './pipe.js';
import type { ChildProcess, CtrlHandler, Process } from './process.js';

/** Thrown by ProcessContext methods once the process has ended; carries its exit code. */
export class ProcessExitSignal {
  constructor(readonly exitCode: number) {}
}

/** How a child's standard handle is set up (STARTUPINFO hStdInput/…, bInheritHandles). */
export type StdioOption = 'inherit' | 'pipe' | 'null' | InputStream | OutputStream;

export interface SpawnOptions {
  /** lpApplicationName: the image, no search, no default extension. */
  applicationName?: string;
  /** lpCurrentDirectory (default: the caller's). */
  cwd?: string;
  /** lpEnvironment (default: a copy of the caller's). */
  env?: Environment | Readonly<Record<string, string>> | readonly string[];
  /** Default 'inherit'. */
  stdin?: StdioOption;
  stdout?: StdioOption;
  stderr?: StdioOption;
  /** dwCreationFlags: CREATE_NEW_PROCESS_GROUP, CREATE_NEW_CONSOLE, DETACHED_PROCESS, CREATE_BREAKAWAY_FROM_JOB. */
  creationFlags?: number;
}

/** A console as a program sees it (GetConsoleScreenBufferInfo, Get/SetConsoleTitle, Get/SetConsoleMode, the attribute calls). */
export interface ConsoleInfo {
  readonly columns: number;
  readonly rows: number;
  title: string;
  /** GetConsoleMode on the console's input buffer or its screen buffer (the ENABLE_* constants). */
  getMode(which: 'input' | 'output'): number;
  /**
   * SetConsoleMode. ERROR_INVALID_PARAMETER (87) for unknown bits, or echo
   * without line input (the input mode is applied all the same, as conhost
   * does); an output mode with unknown bits is not applied.
   */
  setMode(which: 'input' | 'output', mode: number): void;
  /** GetConsoleScreenBufferInfo's wAttributes: the colours text is written in. */
  readonly attributes: number;
  /** The colours the console was created with (cmd's COLOR with no argument restores its own start-up colours). */
  readonly defaultAttributes: number;
  /** SetConsoleTextAttribute. */
  setTextAttribute(attributes: number): void;
  /** FillConsoleOutputAttribute over the whole buffer + SetConsoleTextAttribute: the window repaints in the colours. */
  fillAttributes(attributes: number): void;
  /** GetConsoleOutputCP / SetConsoleCP and SetConsoleOutputCP (chcp sets both). */
  codePage: number;
}

/** One process as enumeration shows it (NtQuerySystemInformation SystemProcessInformation). */
export interface ProcessSnapshot {
  readonly pid: number;
  readonly parentPid: number;
  readonly sessionId: number;
  readonly imageName: string;
  readonly imagePath: string;
  readonly commandLine: string;
  readonly creationTime: number;
  readonly threads: number;
  readonly handles: number;
  readonly workingSet: number;
  readonly privateBytes: number;
  readonly userTime: number;
  readonly kernelTime: number;
  /** Services hosted (tasklist /svc), in start order. */
  readonly services: readonly string[];
}

/** Named kernel objects of the caller's session (CreateEvent, CreateMutex, …, OpenEvent, CloseHandle). */
export interface NamedObjects {
  /**
   * Creates, or opens when it exists (the Win32 Create* functions), an
   * object named in the caller's session namespace: `name`, `Local\name`,
   * or `Global\name`; no name: an unnamed object. `existed` is
   * GetLastError() == ERROR_ALREADY_EXISTS. A name taken by another type:
   * ERROR_INVALID_HANDLE (6).
   */
  create(type: 'Event' | 'Mutant' | 'Semaphore' | 'Section', name?: string): { handle: number; existed: boolean };
  /** Open* functions: ERROR_FILE_NOT_FOUND (2) when no such object exists. */
  open(type: 'Event' | 'Mutant' | 'Semaphore' | 'Section', name: string): number;
  /** CloseHandle: ERROR_INVALID_HANDLE (6) for a value not open. */
  close(handle: number): void;
  /** Handles the process has open (Get-Process Handles). */
  readonly count: number;
}


/** One network adapter of the container's compartment (GetAdaptersAddresses), as ipconfig shows it. */
export interface NetAdapterInfo {
  /** `vEthernet (Container NIC 1a2b3c4d)` */
  readonly connectionName: string;
  /** `Hyper-V Virtual Ethernet Container Adapter` */
  readonly description: string;
  /** `00-15-5D-xx-xx-xx` */
  readonly mac: string;
  readonly ipv4: string;
  readonly prefixLength: number;
  readonly subnetMask: string;
  /** Empty on a network without a gateway (none, internal). */
  readonly gateway: string;
  readonly dnsServers: readonly string[];
  /** The DNS suffix search list (`--dns-search`), ipconfig /all's `DNS Suffix Search List`; empty when none. */
  readonly dnsSuffixSearchList?: readonly string[];
  /** `fe80::…%<ifindex>` */
  readonly linkLocal: string;
  readonly ifIndex: number;
  /** The network's name (`nat`, or a user-defined one). */
  readonly network: string;
}

/** A listening socket (bind + listen); close() is closesocket. */
export interface NetListener {
  readonly port: number;
  close(): void;
}

/**
 * The container's TCP/IP stack as Winsock shows it to a program (ctx.net,
 * src/net/stack.ts implements it). Addresses are dotted IPv4 strings or
 * `::1`. Errors are Win32Error with the Winsock codes: WSAECONNREFUSED
 * 10061 (nothing listens), WSAETIMEDOUT 10060 (no route answers),
 * WSAHOST_NOT_FOUND 11001, WSAEADDRINUSE 10048.
 */
export interface NetworkStack {
  adapters(): readonly NetAdapterInfo[];
  /** getaddrinfo: literals, localhost, the own name, and on user-defined networks the names and aliases of containers (the embedded DNS); undefined: not found. */
  resolve(name: string): { address: string; family: 4 | 6; canonical: string } | undefined;
  /** Whether `address` is one of the compartment's own (loopback or an adapter's). */
  isLocal(address: string): boolean;
  /** Whether an ICMP echo to `address` is answered. */
  answersPing(address: string): boolean;
  /** connect() on a stream socket: the connected socket, or a Win32Error (WSAECONNREFUSED, WSAETIMEDOUT, WSAENETUNREACH). */
  connect(address: string, port: number, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<Duplex>;
  /** bind(INADDR_ANY:port) + listen(): each accepted connection is passed to onConnection. WSAEADDRINUSE when the port is taken. */
  listen(port: number, onConnection: (socket: Duplex) => void): NetListener;
  /** sendto() on a datagram socket: delivered to a bound UDP port (false: nothing bound there, the datagram is lost). */
  sendDatagram(address: string, port: number, data: Uint8Array, fromPort?: number): boolean;
  /** bind() of a datagram socket. */
  bindDatagram(port: number, onMessage: (data: Uint8Array, from: { address: string; port: number }) => void): NetListener;
}

export interface ProcessContext {
  readonly pid: number;
  readonly parentPid: number;
  readonly sessionId: number;
  /** `cmd.exe` */
  readonly imageName: string;
  /** `C:\Windows\system32\cmd.exe` */
  readonly imagePath: string;
  /** GetCommandLineW: the raw string; split it with commandLineToArgv (or use argv). */
  readonly commandLine: string;
  /** CommandLineToArgvW(commandLine). */
  readonly argv: readonly string[];
  /** The process's environment block (changes are the process's own). */
  readonly env: Environment;
  /** GetCurrentDirectory. */
  readonly cwd: string;
  /**
   * SetCurrentDirectory: resolved against the current directory and checked
   * through the silo's file system: a missing directory ERROR_FILE_NOT_FOUND
   * (2), a missing parent ERROR_PATH_NOT_FOUND (3), a file ERROR_DIRECTORY (267).
   */
  chdir(path: string): void;

  readonly stdin: InputStream;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** The attached console, if any (a redirected handle is still not a console: check stdout.isConsole). */
  readonly console: ConsoleInfo | undefined;

  /** The silo's C: and other volumes (undefined in a silo booted without a file system). */
  readonly fs: FileSystemView | undefined;
  readonly registry: Registry | undefined;
  /** The silo's service control manager (what OpenSCManager reaches), once services.exe runs. */
  readonly services: ServiceControlManager | undefined;
  /** The container's network stack (Winsock); undefined where the silo has no network (none, or not attached). */
  readonly net?: NetworkStack;

  /** Aborted when the process ends: pass it to long waits. */
  readonly signal: AbortSignal;

  /** CreateProcess. Errors: ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_BAD_EXE_FORMAT, ERROR_NOT_ENOUGH_QUOTA (job's active process limit), … */
  spawn(commandLine: string, options?: SpawnOptions): ChildProcess;
  /** ExitProcess: ends the process now (throws ProcessExitSignal to unwind). */
  exit(code?: number): never;
  /** SetConsoleCtrlHandler(handler, TRUE); the returned function removes it. Handlers run last-registered first. */
  onConsoleCtrl(handler: CtrlHandler): () => void;
  /** SetConsoleCtrlHandler(NULL, ignore): ignore CTRL+C or stop ignoring it. */
  ignoreCtrlC(ignore: boolean): void;
  /**
   * OpenProcess(PROCESS_TERMINATE) + TerminateProcess on a process of the
   * same silo: ERROR_INVALID_PARAMETER (87) for an unknown pid (OpenProcess's
   * answer), ERROR_ACCESS_DENIED (5) for a protected system process (smss,
   * csrss, wininit, services, lsass, Idle, System: protected processes
   * refuse PROCESS_TERMINATE).
   */
  terminateProcess(pid: number, exitCode?: number): void;
  /** The processes of the caller's silo, in creation order, running ones only. */
  processes(): ProcessSnapshot[];
  /** The caller's own process. */
  readonly process: Process;

  readonly objects: NamedObjects;
  /** VirtualAlloc(MEM_COMMIT) / VirtualFree(MEM_DECOMMIT) charged to the process and its job: ERROR_COMMITMENT_LIMIT (1455) past a job or process memory limit. */
  commit(bytes: number): void;
  decommit(bytes: number): void;
  /**
   * Whether `bytes` (default 0) more could be committed now, charging
   * nothing: ERROR_COMMITMENT_LIMIT (1455) when the job's memory limit or the
   * machine's commit limit (memory-guard.ts: the host's heap) would be
   * passed. Programs holding memory the kernel cannot see (an interpreter's
   * values) call it every few steps and before large allocations.
   */
  probeCommit(bytes?: number): void;
  /**
   * SwitchToThread: settles at once, or — once the kernel's slice of the
   * host's event loop is spent (scheduler.ts) — after the loop's next turn.
   * Programs that loop without awaiting their context (an interpreter
   * between commands) await it each step so that busy containers never
   * starve the host. Rejects with ProcessExitSignal once the process has ended.
   */
  switchToThread(): Promise<void>;
  /** CPU time the program used (100 ns units), charged to its job; a job time limit may end the process (exit code 1816). */
  chargeCpu(userTime: number, kernelTime?: number): void;
  /** Threads that want CPU: the job scheduler's ticks charge them (0: idle). */
  setRunnable(threads: number): void;

  /** Sleep(ms), on the kernel's timers (injectable in tests). Rejects with ProcessExitSignal if the process ends first. */
  sleep(ms: number): Promise<void>;
  /** The kernel's clock, ms since 1970-01-01 UTC. */
  now(): number;

  /**
   * CreateJobObject + JobObjectCreateSilo from this process. Inside a silo it
   * fails with STATUS_PRIVILEGE_NOT_HELD (0xC0000061), thrown as NtStatusError:
   * there are no nested server silos. From the host it creates a server silo
   * (not started) as the compute service would.
   */
  createServerSilo(options?: SiloOptions): Silo;
  /**
   * NtLoadDriver. Inside a silo drivers cannot be loaded; Windows refuses it
   * silently (windows-facts §2): the call returns and nothing loads.
   */
  loadDriver(serviceName: string): void;
}

export type { ConsoleCtrlEvent };
