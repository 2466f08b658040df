/**
 * A console (what conhost.exe or an HCS emulated console is to its
 * processes): a screen size, a title, one input queue and one output
 * stream, and the set of processes attached to it, which receive its
 * control events.
 *
 * The host side (the compute service, a terminal) writes keystrokes with
 * `input.write` and reads what programs print from `output`. Programs see
 * console handles (isConsole true, GetFileType FILE_TYPE_CHAR) for their
 * standard handles when they were not redirected.
 *
 * Control events ("GenerateConsoleCtrlEvent", "HandlerRoutine", Microsoft
 * Learn): CTRL_C_EVENT goes to every attached process of the target group
 * except those that disabled it (CREATE_NEW_PROCESS_GROUP, or
 * SetConsoleCtrlHandler(NULL, TRUE)); CTRL_BREAK_EVENT and the close,
 * logoff and shutdown events cannot be disabled. A process that does not
 * handle the event ends with STATUS_CONTROL_C_EXIT (ExitCode.ControlC).
 */
import { CTRL_C_EVENT, type ConsoleCtrlEvent } from './constants.js';
import { Pipe, type PipeReader, type PipeWriter } from './pipe.js';

/** What the console needs of an attached process. */
export interface ConsoleClient {
  readonly pid: number;
  /** The process group id (the pid of the group's root, CREATE_NEW_PROCESS_GROUP). */
  readonly processGroup: number;
  /** True when CTRL+C is disabled for the process. */
  readonly ctrlCDisabled: boolean;
  /** Runs the process's handlers, or ends it as the default handler does. */
  deliverCtrlEvent(event: ConsoleCtrlEvent): void;
}

export interface ConsoleOptions {
  /** Screen buffer width in columns (default 120, conhost's default window). */
  columns?: number;
  /** Window height in rows (default 30). */
  rows?: number;
  /** Window title (default: the first attached program's image path, as conhost shows). */
  title?: string;
}

export class Console {
  columns: number;
  rows: number;
  title: string;
  /** @internal the queue programs read keystrokes from */
  readonly inputPipe = new Pipe();
  /** @internal the stream programs write to */
  readonly outputPipe = new Pipe();
  /** Host side: what the user types. Close it for end of input. */
  readonly input: PipeWriter;
  /** Host side: what programs print. */
  readonly output: PipeReader;
  private readonly clients = new Set<ConsoleClient>();

  constructor(options: ConsoleOptions = {}) {
    this.columns = options.columns ?? 120;
    this.rows = options.rows ?? 30;
    this.title = options.title ?? '';
    this.input = this.inputPipe.writeEnd(true);
    this.output = this.outputPipe.readEnd(true);
  }

  /** Processes attached, in the order they attached. */
  get attached(): ReadonlySet<ConsoleClient> {
    return this.clients;
  }

  /** The host resized the window (HCS ResizeConsole / docker's tty resize). */
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
  }

  /** @internal */
  attach(client: ConsoleClient): void {
    this.clients.add(client);
  }

  /** @internal */
  detach(client: ConsoleClient): void {
    this.clients.delete(client);
  }

  /**
   * GenerateConsoleCtrlEvent(event, processGroup): to every attached process
   * (processGroup 0) or to one group. CTRL+C typed at the console is event
   * CTRL_C_EVENT to group 0.
   */
  generateCtrlEvent(event: ConsoleCtrlEvent, processGroup = 0): void {
    for (const c of [...this.clients]) {
      if (processGroup !== 0 && c.processGroup !== processGroup) continue;
      if (event === CTRL_C_EVENT && c.ctrlCDisabled) continue;
      c.deliverCtrlEvent(event);
    }
  }
}
