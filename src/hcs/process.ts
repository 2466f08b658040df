/**
 * A process the compute service created in a compute system
 * (HcsCreateProcess), as its creator holds it: the pid, the host's ends of
 * the standard pipes it asked for, the emulated console, and the process
 * calls HCS offers — SignalProcess, TerminateProcess (hcsshim Kill),
 * ResizeConsole, closing stdin, waiting for the exit code.
 *
 * Console: with EmulateConsole the process gets a console of ConsoleSize
 * (height, width); `stdout` is then the console's output and there is no
 * `stderr` ("if set, ignore StdErrPipe", schema2 ProcessParameters) — what
 * `docker run -t` shows. Signals go to the process's console group
 * (GenerateConsoleCtrlEvent), or to the process alone without a console.
 *
 * Errors (hcsshim ProcessError, `<op> <id>:<pid>: <text>`):
 *  - HCS_E_PROCESS_ALREADY_STOPPED (0x8037011F) to Signal or Kill a process that has exited
 *  - ERROR_INVALID_HANDLE (6) for any call after close()
 *  - ERROR_INVALID_PARAMETER (87) for a console size that is not two integers 1–32767, or a resize without a console
 */
import { ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER } from '../core/win32.js';
import {
  CTRL_BREAK_EVENT,
  CTRL_C_EVENT,
  CTRL_CLOSE_EVENT,
  CTRL_LOGOFF_EVENT,
  CTRL_SHUTDOWN_EVENT,
  ExitCode,
  type ChildProcess,
  type Console,
  type ConsoleCtrlEvent,
  type PipeReader,
  type PipeWriter,
} from '../kernel/process/index.js';
import { HCS_E_PROCESS_ALREADY_STOPPED, HcsError, HcsOp } from './errors.js';
import type { ProcessSignal } from './types.js';

/** SignalProcess's signal names → console control events (hcsshim guestrequest SignalValueWCOW). */
export const SIGNAL_EVENTS: Readonly<Record<ProcessSignal, ConsoleCtrlEvent>> = {
  CtrlC: CTRL_C_EVENT,
  CtrlBreak: CTRL_BREAK_EVENT,
  CtrlClose: CTRL_CLOSE_EVENT,
  CtrlLogOff: CTRL_LOGOFF_EVENT,
  CtrlShutdown: CTRL_SHUTDOWN_EVENT,
};

/** Console dimensions a console accepts (COORD is two SHORTs). */
const MAX_CONSOLE_DIMENSION = 32767;

export function validConsoleDimension(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_CONSOLE_DIMENSION;
}

export class ComputeProcess {
  private closed = false;

  /** @internal created by ComputeSystem.createProcess */
  constructor(
    /** The compute system's id. */
    readonly systemId: string,
    /** @internal */
    readonly child: ChildProcess,
    /** The emulated console, if EmulateConsole was asked for. */
    readonly console: Console | undefined,
    /** The host's end of stdin (CreateStdInPipe; with a console, the console's input). */
    readonly stdin: PipeWriter | null,
    /** The host's end of stdout (CreateStdOutPipe; with a console, the console's output). */
    readonly stdout: PipeReader | null,
    /** The host's end of stderr (CreateStdErrPipe, and no console). */
    readonly stderr: PipeReader | null,
  ) {}

  get pid(): number {
    return this.child.pid;
  }

  /** The exit code once the process has exited; undefined while it runs. */
  get exitCode(): number | undefined {
    return this.child.process.running ? undefined : this.child.exitCode;
  }

  get running(): boolean {
    return this.child.process.running;
  }

  /** Resolves with the exit code when the process exits (hcsshim Process.Wait + ExitCode). */
  wait(): Promise<number> {
    return this.child.process.wait();
  }

  /**
   * HcsSignalProcess: delivers a console control event. Returns true (the
   * signal was delivered). A process without a handler for it ends with
   * STATUS_CONTROL_C_EXIT (0xC000013A).
   */
  signal(signal: ProcessSignal): boolean {
    const op = HcsOp.ProcessSignal;
    this.check(op);
    const event = SIGNAL_EVENTS[signal];
    if (event === undefined) throw this.error(op, ERROR_INVALID_PARAMETER);
    if (!this.child.process.running) throw this.error(op, HCS_E_PROCESS_ALREADY_STOPPED);
    this.child.sendCtrlEvent(event);
    return true;
  }

  /**
   * HcsTerminateProcess (hcsshim Kill): ends the process now. Decision: with
   * exit code 1, what TerminateProcess-based kills (taskkill /F) leave;
   * Windows does not document the code HCS passes.
   */
  kill(): boolean {
    const op = HcsOp.ProcessKill;
    this.check(op);
    if (!this.child.process.running) throw this.error(op, HCS_E_PROCESS_ALREADY_STOPPED);
    this.child.terminate(ExitCode.Terminated);
    return true;
  }

  /** HcsModifyProcess ConsoleSize: height (rows) then width (columns), as HCS orders them. */
  resizeConsole(height: number, width: number): void {
    const op = HcsOp.ProcessResizeConsole;
    this.check(op);
    if (!this.console || !validConsoleDimension(height) || !validConsoleDimension(width)) throw this.error(op, ERROR_INVALID_PARAMETER);
    this.console.resize(width, height);
  }

  /** HcsModifyProcess CloseHandle(StdIn): the process reads end of file. */
  closeStdin(): void {
    this.check(HcsOp.ProcessCloseStdin);
    this.stdin?.close();
  }

  /** HcsCloseProcess: the handle goes; the process runs on. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.child.close();
  }

  private check(op: string): void {
    if (this.closed) throw this.error(op, ERROR_INVALID_HANDLE);
  }

  private error(op: string, code: number): HcsError {
    return new HcsError(op, code, this.systemId, this.child.pid);
  }
}
