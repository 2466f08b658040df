/**
 * A process as the kernel keeps it (EPROCESS, for the parts users see), and
 * ChildProcess, the handle its creator holds (hProcess plus the creator's
 * ends of the standard pipes).
 *
 * Field ownership: the kernel (kernel.ts) creates and ends processes and is
 * the only writer of every field but `env`, `cwd` and the console title,
 * which the process itself changes through its ProcessContext. Tools
 * (tasklist, Get-Process, docker top) read them.
 */
import type { ImageSection } from '../fs/types.js';
import type { Silo } from '../silo/silo.js';
import type { Console, ConsoleClient } from './console.js';
import { CTRL_C_EVENT, STILL_ACTIVE, type ConsoleCtrlEvent } from './constants.js';
import type { Environment } from './environment.js';
import type { HandleTable } from './handle-table.js';
import type { InputStream, OutputStream, PipeReader, PipeWriter } from './pipe.js';
import { EVENT_LOOP_TURNS } from './scheduler.js';

export type ProcessState = 'running' | 'exited';

/** A console control handler (SetConsoleCtrlHandler): true when it handled the event. */
export type CtrlHandler = (event: ConsoleCtrlEvent) => boolean | void;

/** What one entry of a process's handle table refers to. */
export type HandleEntry =
  | { readonly kind: 'Process'; readonly process: Process }
  | { readonly kind: 'Thread'; readonly process: Process; readonly tid: number }
  | { readonly kind: 'Object'; readonly type: string; readonly obHandle: number };

/** Per-process I/O counters (IO_COUNTERS). */
export interface IoCounters {
  ReadOperationCount: number;
  WriteOperationCount: number;
  OtherOperationCount: number;
  ReadTransferCount: number;
  WriteTransferCount: number;
  OtherTransferCount: number;
}

const NO_IO: Readonly<IoCounters> = Object.freeze({
  ReadOperationCount: 0,
  WriteOperationCount: 0,
  OtherOperationCount: 0,
  ReadTransferCount: 0,
  WriteTransferCount: 0,
  OtherTransferCount: 0,
});

/**
 * @internal An image section held for running processes: the file a
 * process was created from stays mapped until its last process using this
 * section exits (fs/types.ts ImageSection).
 */
export interface SharedImage {
  readonly section: ImageSection;
  refs: number;
}

export class Process implements ConsoleClient {
  /** The process id (a CID-table value, multiple of 4; 0 for the Idle process). */
  pid = 0;
  /** Exit code: STILL_ACTIVE (259) while running. */
  exitCode = STILL_ACTIVE;
  state: ProcessState = 'running';
  /** ms since 1970-01-01 UTC (the kernel's clock); 0 while running. */
  exitTime = 0;
  /** Thread ids, the initial thread first; empty once exited. */
  tids: number[] = [];
  /** Working set and private bytes (commit) in bytes. */
  workingSet = 0;
  privateBytes = 0;
  /** CPU time in 100 ns units. */
  userTime = 0;
  kernelTime = 0;
  /** IO_COUNTERS: all zero until the process's first I/O (most system processes never do any). */
  get io(): Readonly<IoCounters> {
    return this.ioCounters ?? NO_IO;
  }
  /** What a program threw when it crashed (ExitCode.UnhandledException); never rethrown. */
  crash: unknown = undefined;
  /** Kernel-owned: the machine's commit limit refused this process a commit and the heap has not gone below it since (memory-guard.ts). */
  commitRefused = false;
  /** Services this process hosts (names), kept by the service control manager. */
  services: string[] | undefined = undefined;

  /** @internal the process's id in the job module (0: in no job) */
  jobProcess = 0;
  /** @internal the process's context in the object namespace (0 until it names an object) */
  obProcess = 0;
  /** @internal created on first use */
  handles: HandleTable<HandleEntry> | undefined = undefined;
  /** @internal references keeping the pid allocated: the process itself while it runs, and each open ChildProcess */
  refs = 1;
  /** @internal */
  ctrlHandlers: CtrlHandler[] | undefined = undefined;
  /** @internal */
  exitWaiters: ((code: number) => void)[] | undefined = undefined;
  /** @internal */
  abort: AbortController | undefined = undefined;
  /** @internal pipe ends the process holds for its children, closed when it exits */
  owned: { close(): void }[] | undefined = undefined;
  /** @internal runnable threads the job scheduler charges */
  runnable = 0;
  /** @internal I/O counters, created by the first charge (Kernel.chargeIo) */
  ioCounters: IoCounters | undefined = undefined;
  /** @internal the image section it runs from (shared by the processes of one image during a boot), released at exit */
  image: SharedImage | undefined = undefined;

  constructor(
    readonly silo: Silo,
    readonly parentPid: number,
    readonly sessionId: number,
    /** The image's file name as stored, e.g. `cmd.exe`. */
    readonly imageName: string,
    /** The image's full path, e.g. `C:\Windows\system32\cmd.exe`. */
    readonly imagePath: string,
    readonly commandLine: string,
    /** ms since 1970-01-01 UTC. */
    readonly creationTime: number,
    public env: Environment,
    public cwd: string,
    readonly stdin: InputStream,
    readonly stdout: OutputStream,
    readonly stderr: OutputStream,
    readonly console: Console | undefined,
    /** The process group (GenerateConsoleCtrlEvent's dwProcessGroupId). */
    readonly processGroup: number,
    /** CTRL+C ignored (CREATE_NEW_PROCESS_GROUP, or SetConsoleCtrlHandler(NULL, TRUE)). */
    public ctrlCDisabled: boolean,
    /** Started by the silo's boot or its service control manager, not by a user. */
    readonly system: boolean,
    /** Protected from TerminateProcess by processes in the silo (csrss, smss, wininit, services, lsass). */
    readonly critical: boolean,
  ) {}

  get running(): boolean {
    return this.state === 'running';
  }

  get threadCount(): number {
    return this.tids.length;
  }

  /** Resolves with the exit code once the process has ended (WaitForSingleObject + GetExitCodeProcess). */
  wait(): Promise<number> {
    if (this.state === 'exited') return Promise.resolve(this.exitCode);
    return new Promise((resolve) => (this.exitWaiters ??= []).push(resolve));
  }

  /** @internal ConsoleClient */
  deliverCtrlEvent(event: ConsoleCtrlEvent): void {
    this.silo.kernel.deliverCtrlEvent(this, event);
  }
}

/**
 * What CreateProcess gives its caller: the process (hProcess) and, for
 * standard handles created as pipes, the caller's ends of them. close()
 * is CloseHandle(hProcess): until every such handle is closed an exited
 * process's id is not reused. A ChildProcess made by a program's spawn is
 * closed for it when that program's process ends.
 */
export class ChildProcess {
  private closed = false;

  constructor(
    readonly process: Process,
    /** Write here for the child's stdin (when created with stdin 'pipe'). */
    readonly stdin: PipeWriter | null,
    /** The child's stdout (when created with stdout 'pipe'). */
    readonly stdout: PipeReader | null,
    readonly stderr: PipeReader | null,
    /** @internal the owner's handle-table values for hProcess and hThread */
    readonly handleValues: readonly number[] = [],
    /** @internal */
    readonly owner: Process | undefined = undefined,
  ) {}

  get pid(): number {
    return this.process.pid;
  }

  /** STILL_ACTIVE (259) while running. */
  get exitCode(): number {
    return this.process.exitCode;
  }

  /**
   * WaitForSingleObject(hProcess): for a program's own child, held while the
   * program's silo is suspended and, like its other awaits, until the host's
   * event loop has had a turn when the kernel's slice is spent (scheduler.ts).
   */
  wait(): Promise<number> {
    const w = this.process.wait();
    return this.owner ? EVENT_LOOP_TURNS.pass(this.owner.silo.gate(w)) : w;
  }

  /** TerminateProcess(hProcess, exitCode); `taskkill /F` uses 1. No effect once the process has ended. */
  terminate(exitCode = 1): void {
    this.process.silo.kernel.terminateProcess(this.process, exitCode);
  }

  /**
   * A console control event for the child: to its process group on its
   * console (GenerateConsoleCtrlEvent), or, for a child without a console,
   * to the child alone (as HCS SignalProcess delivers it).
   */
  sendCtrlEvent(event: ConsoleCtrlEvent = CTRL_C_EVENT): void {
    const p = this.process;
    if (!p.running) return;
    if (p.console) p.console.generateCtrlEvent(event, p.processGroup === p.pid ? p.pid : 0);
    else p.deliverCtrlEvent(event);
  }

  /** CloseHandle(hProcess) and CloseHandle(hThread). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.process.silo.kernel.closeChild(this);
  }
}
