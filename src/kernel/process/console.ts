/**
 * A console (what conhost.exe, or the ConPTY inside an HCS emulated
 * console, is to its processes): a screen size, a title, one input queue
 * and one output stream, and the set of processes attached to it, which
 * receive its control events.
 *
 * The host side (the compute service, a terminal) writes what the terminal
 * sends with `input.write` and reads what the terminal should show from
 * `output`: both are VT byte streams, as ConPTY's are (Microsoft Learn,
 * "Creating a Pseudoconsole session"). Programs see console handles
 * (isConsole true, GetFileType FILE_TYPE_CHAR) for their standard handles
 * when they were not redirected.
 *
 * What the console itself does with those streams (conhost's part):
 *  - Processed input (ENABLE_PROCESSED_INPUT, on by default — "SetConsoleMode",
 *    Microsoft Learn): "CTRL+C is processed by the system and is not placed
 *    in the input buffer". A 0x03 byte typed becomes CTRL_C_EVENT to every
 *    attached process, and ends a cooked read that is waiting for its line.
 *  - Cooked reads (ReadConsole with ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT):
 *    the line editor runs inside the console, so it sees keystrokes in the
 *    order typed, before any program does. A reader (src/shell/console)
 *    registers with `beginRead`; while it is the first registered read and
 *    live, every byte typed goes to it synchronously; what it leaves after
 *    its Enter stays queued for the next read or for the programs.
 *  - The screen: the console follows what is written (screen-buffer.ts: the
 *    window's characters and the cursor, as conhost knows its buffer), so a
 *    line editor knows where its line starts and where it wraps, and a
 *    change of colours (COLOR) can repaint the window.
 *  - Modes and colours: GetConsoleMode/SetConsoleMode's input and output
 *    words, the text attributes (SetConsoleTextAttribute,
 *    FillConsoleOutputAttribute).
 *  - The title: SetConsoleTitle (ctx.console.title = …) sends
 *    `ESC ] 0 ; title BEL` to the terminal, the sequence ConPTY's VT renderer
 *    emits for a title change (microsoft/terminal, VtEngine::_ChangeTitle).
 *
 * Control events ("GenerateConsoleCtrlEvent", "HandlerRoutine", Microsoft
 * Learn): CTRL_C_EVENT goes to every attached process of the target group
 * except those that disabled it (CREATE_NEW_PROCESS_GROUP, or
 * SetConsoleCtrlHandler(NULL, TRUE)); CTRL_BREAK_EVENT and the close,
 * logoff and shutdown events cannot be disabled. A process that does not
 * handle the event ends with STATUS_CONTROL_C_EXIT (ExitCode.ControlC).
 */
import { ERROR_INVALID_HANDLE, ERROR_INVALID_PARAMETER, Win32Error } from '../../core/win32.js';
import {
  CONSOLE_INPUT_MODES,
  CONSOLE_OUTPUT_MODES,
  CTRL_C_EVENT,
  DEFAULT_CONSOLE_ATTRIBUTES,
  DEFAULT_CONSOLE_INPUT_MODE,
  DEFAULT_CONSOLE_OUTPUT_MODE,
  ENABLE_ECHO_INPUT,
  ENABLE_LINE_INPUT,
  ENABLE_PROCESSED_INPUT,
  type ConsoleCtrlEvent,
} from './constants.js';
import { encodeText, Pipe, PipeWriter, rejected, type PipeReader } from './pipe.js';
import { attributeSgr, ScreenBuffer } from './screen-buffer.js';

export { cellWidth } from './screen-buffer.js';

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
  /** Screen colours (default 0x07, grey on black). */
  attributes?: number;
}

/**
 * A cooked read's line editor, as the console drives it (src/shell/console
 * implements it). Every call is synchronous: the console hands over bytes in
 * the order the terminal sent them.
 */
export interface ConsoleLineReader {
  /**
   * Bytes typed. Returns how many it took: all of them, unless the line
   * ended (Enter) inside `bytes` — the rest is queued for whoever reads next.
   */
  input(bytes: Uint8Array): number;
  /** CTRL+C was typed: the read ends without a line. */
  interrupt(): void;
  /** The console's input was closed: the read ends at end of file. */
  end(): void;
  /** The window changed size. */
  resized?(): void;
  /** True once the read has ended (a line, an interrupt, end of input). */
  readonly finished: boolean;
}

/** A line editor the console can start on its own, for a ReadFile/readLine on a console handle. */
export interface CookedLineReader extends ConsoleLineReader {
  /** The line without CR LF; null at end of input; '' when CTRL+C ended the read (ReadFile's 0 bytes). */
  readonly line: Promise<string | null>;
  /** The reading handle closed (its process ended): the read ends with null. */
  abandon(): void;
}

export type LineEditorFactory = (console: Console) => CookedLineReader;

let lineEditor: LineEditorFactory | undefined;

/**
 * Installs the cooked-read line editor. src/shell/console installs its own
 * when it is loaded (every Host loads the shell): from then on a line read
 * (readLine) on a console handle is a cooked read — edited and echoed — as
 * ReadFile on a console input handle is in the default mode
 * (ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT). The kernel does no line editing
 * of its own: without an editor, a console handle reads raw bytes.
 */
export function installLineEditor(factory: LineEditorFactory): void {
  lineEditor = factory;
}

const CTRL_C_BYTE = 0x03;
const RESOLVED: Promise<void> = Promise.resolve();
/** Held input: bytes, or the place in the stream where CTRL+C was typed. */
type Held = Uint8Array | typeof CTRL_C_MARK;
const CTRL_C_MARK = 'ctrl-c' as const;

/**
 * One registered cooked read. Created by Console.beginRead; the reading
 * program waits for `turn`, reads what the input pipe already holds (the
 * type-ahead, older than anything typed since) through its own stdin and
 * gives it to `drained`, then calls `live()`; `close()` when done.
 */
export class ConsoleRead {
  /** @internal */ state: 'waiting' | 'draining' | 'live' | 'closed' = 'waiting';
  /** Resolves once this read is the first registered: before that, keystrokes belong to an earlier read. */
  readonly turn: Promise<void>;
  /** @internal */ startTurn!: () => void;

  /** @internal */
  constructor(
    private readonly console: Console,
    /** The line editor. */
    readonly reader: ConsoleLineReader,
  ) {
    this.turn = new Promise<void>((resolve) => (this.startTurn = resolve));
  }

  /**
   * Type-ahead the program read from the input pipe: given to the reader;
   * what follows the end of its line is put back in front of the input
   * typed since.
   */
  drained(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    const took = this.reader.finished ? 0 : this.reader.input(bytes);
    if (took < bytes.length) this.console.holdFront(bytes.subarray(took));
  }

  /** The type-ahead is consumed: from now on keystrokes reach the reader as they are typed. */
  live(): void {
    if (this.state !== 'draining') return;
    this.state = 'live';
    this.console.flushHeld();
  }

  /** The read is over (or abandoned: its process ended); the next read, or the programs, get the input. */
  close(): void {
    this.console.endRead(this);
  }
}

/**
 * The input buffer. A line read (readLine) through a console handle is a
 * cooked read when a line editor is installed and the console is in line
 * mode; plain reads take the bytes as they are.
 */
class InputBuffer extends Pipe {
  private readonly cooked = new Map<PipeReader, Set<CookedLineReader>>();

  constructor(private readonly console: Console) {
    super();
  }

  override read(owner: PipeReader, max: number, line: boolean): Promise<Uint8Array | null> {
    if (!line || !lineEditor || !this.console.lineInput) return super.read(owner, max, line);
    return this.cookedRead(owner, lineEditor(this.console));
  }

  override closeRead(owner: PipeReader): void {
    const mine = this.cooked.get(owner);
    if (mine) for (const r of [...mine]) r.abandon();
    super.closeRead(owner);
  }

  private async cookedRead(owner: PipeReader, reader: CookedLineReader): Promise<Uint8Array | null> {
    let mine = this.cooked.get(owner);
    if (!mine) this.cooked.set(owner, (mine = new Set()));
    mine.add(reader);
    const read = this.console.beginRead(reader);
    try {
      await read.turn;
      // The type-ahead first (see ConsoleRead).
      while (!reader.finished && this.available > 0) {
        const bytes = await super.read(owner, Number.MAX_SAFE_INTEGER, false);
        if (bytes === null) break;
        read.drained(bytes);
      }
      read.live();
      const text = await reader.line;
      return text === null ? null : encodeText(`${text}\r\n`);
    } finally {
      mine.delete(reader);
      if (mine.size === 0) this.cooked.delete(owner);
      read.close();
    }
  }
}

/** The input side: what the terminal sends, processed before it reaches the input buffer. */
class ConsoleInput extends PipeWriter {
  private closed = false;

  constructor(private readonly console: Console) {
    super(console.inputPipe, true);
    console.inputPipe.addWriteHandle();
  }

  override write(data: string | Uint8Array): Promise<void> {
    if (this.closed) return rejected(new Win32Error('WriteFile', ERROR_INVALID_HANDLE));
    // Not copied here: a live cooked read takes typed bytes at once; what must wait (held, or
    // queued in the input buffer) is copied when it is stored (route()).
    return typeof data === 'string' ? this.console.typed(encodeText(data), true) : this.console.typed(data, false);
  }

  override writeOwned(data: Uint8Array): Promise<void> {
    if (this.closed) return rejected(new Win32Error('WriteFile', ERROR_INVALID_HANDLE));
    return this.console.typed(data, true);
  }

  /** Another handle to the console's input, processed the same way. */
  override duplicate(): PipeWriter {
    return new ConsoleInput(this.console);
  }

  override close(): void {
    if (this.closed) return;
    this.closed = true;
    super.close();
    if (this.console.inputPipe.writersClosed) this.console.inputClosed();
  }
}

export class Console {
  columns: number;
  rows: number;
  private _title: string;
  /**
   * The input buffer's mode (GetConsoleMode on an input handle): see the
   * ENABLE_*_INPUT constants. Processed input makes CTRL+C a control event,
   * not input; line input (with echo) makes a read through a console handle
   * a cooked read, edited and echoed by the console; without echo the line
   * is edited but not shown.
   */
  private _inputMode = DEFAULT_CONSOLE_INPUT_MODE;
  /** The screen buffer's mode (ENABLE_PROCESSED_OUTPUT, ENABLE_VIRTUAL_TERMINAL_PROCESSING, …). */
  private _outputMode = DEFAULT_CONSOLE_OUTPUT_MODE;
  /**
   * SetConsoleCP / SetConsoleOutputCP (chcp sets both): 437, the OEM code
   * page of an en-US Windows Server, until changed. DECIDED: winsilo writes
   * UTF-8 bytes whatever the page (design: the terminal is UTF-8); the page
   * is kept and reported.
   */
  codePage = 437;
  /** The attributes text is written with (wAttributes, SetConsoleTextAttribute). */
  private _attributes: number;
  /** The attributes the console was created with (its ScreenColors): shown as the terminal's default colours. */
  readonly defaultAttributes: number;
  /** @internal the queue programs read keystrokes from */
  readonly inputPipe: Pipe;
  /** @internal the stream programs write to (the screen) */
  readonly outputPipe: Pipe;
  /** Host side: what the user types. Close it for end of input. */
  readonly input: PipeWriter;
  /** Host side: what programs print. */
  readonly output: PipeReader;
  private readonly clients = new Set<ConsoleClient>();
  private readonly screen: ScreenBuffer;
  /** Registered cooked reads, first come first served. */
  private readonly reads: ConsoleRead[] = [];
  /** Input typed while the first read was not yet live (it was reading its type-ahead). */
  private held: Held[] = [];
  private inputEnded = false;
  /** No title yet: the first one (the kernel's default, the first program's path) is not sent. */
  private untitled: boolean;

  constructor(options: ConsoleOptions = {}) {
    this.columns = options.columns ?? 120;
    this.rows = options.rows ?? 30;
    this._title = options.title ?? '';
    this.untitled = options.title === undefined;
    this.defaultAttributes = this._attributes = (options.attributes ?? DEFAULT_CONSOLE_ATTRIBUTES) & 0xff;
    this.inputPipe = new InputBuffer(this);
    this.screen = new ScreenBuffer(this);
    this.outputPipe = this.screen;
    this.input = new ConsoleInput(this);
    this.output = this.outputPipe.readEnd(true);
    // The console's own hold on its input buffer: keys typed before any
    // program reads (or between two programs) wait there, as in conhost.
    this.inputPipe.readEnd(true);
  }

  /**
   * The window title (GetConsoleTitle / SetConsoleTitle). Setting it sends
   * OSC 0 to the terminal. DECIDED: the first title a console gets (its
   * first program's path, set when the console is created) is not sent, so
   * a console's output is only what programs wrote until one of them sets a
   * title; control characters cannot end the sequence early and are dropped.
   */
  get title(): string {
    return this._title;
  }

  set title(value: string) {
    this._title = value;
    if (this.untitled) {
      this.untitled = false;
      return;
    }
    // eslint-disable-next-line no-control-regex
    this.screen.inject(encodeText(`\x1b]0;${value.replace(/[\x00-\x1f\x7f]/g, '')}\x07`));
  }

  /** GetConsoleMode on the input buffer. */
  get inputMode(): number {
    return this._inputMode;
  }

  /**
   * SetConsoleMode on the input buffer. As conhost does, the mode is
   * applied even when the call then fails: bits SetConsoleMode does not
   * know, or ENABLE_ECHO_INPUT without ENABLE_LINE_INPUT ("can be used only
   * if the ENABLE_LINE_INPUT mode is also enabled"), fail with
   * ERROR_INVALID_PARAMETER (87) after the known bits were set (conhost
   * keeps that quirk for programs that rely on it).
   */
  setInputMode(mode: number): void {
    this._inputMode = mode & CONSOLE_INPUT_MODES;
    if ((mode & ~CONSOLE_INPUT_MODES) !== 0 || ((mode & ENABLE_ECHO_INPUT) !== 0 && (mode & ENABLE_LINE_INPUT) === 0)) {
      throw new Win32Error('SetConsoleMode', ERROR_INVALID_PARAMETER);
    }
  }

  /** GetConsoleMode on the screen buffer. */
  get outputMode(): number {
    return this._outputMode;
  }

  /** SetConsoleMode on the screen buffer: unknown bits fail with ERROR_INVALID_PARAMETER (87) and nothing changes. */
  setOutputMode(mode: number): void {
    if ((mode & ~CONSOLE_OUTPUT_MODES) !== 0) throw new Win32Error('SetConsoleMode', ERROR_INVALID_PARAMETER);
    this._outputMode = mode;
  }

  /** ENABLE_PROCESSED_INPUT: CTRL+C is a control event, not input (default on). */
  get processedInput(): boolean {
    return (this._inputMode & ENABLE_PROCESSED_INPUT) !== 0;
  }
  set processedInput(on: boolean) {
    this._inputMode = on ? this._inputMode | ENABLE_PROCESSED_INPUT : this._inputMode & ~ENABLE_PROCESSED_INPUT;
  }

  /** ENABLE_LINE_INPUT: a line read through a console handle is a cooked read (default on; it takes an installed line editor, see installLineEditor). */
  get lineInput(): boolean {
    return (this._inputMode & ENABLE_LINE_INPUT) !== 0;
  }
  set lineInput(on: boolean) {
    this._inputMode = on ? this._inputMode | ENABLE_LINE_INPUT : this._inputMode & ~(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT);
  }

  /** ENABLE_ECHO_INPUT: a cooked read shows what is typed. */
  get echoInput(): boolean {
    return (this._inputMode & ENABLE_ECHO_INPUT) !== 0;
  }

  /** The current text attributes (GetConsoleScreenBufferInfo's wAttributes). */
  get attributes(): number {
    return this._attributes;
  }

  /**
   * SetConsoleTextAttribute: what is written from now on has these colours;
   * the terminal is sent the matching SGR (ConPTY's renderer sends it with
   * the next text drawn in them).
   */
  setTextAttribute(attributes: number): void {
    this._attributes = attributes & 0xff;
    this.screen.inject(encodeText(attributeSgr(this._attributes, this.defaultAttributes)));
  }

  /**
   * FillConsoleOutputAttribute over the whole buffer, then
   * SetConsoleTextAttribute — cmd's COLOR: every cell takes the new colours
   * and the window repaints in them (ConPTY redraws the invalidated
   * window).
   */
  fillAttributes(attributes: number): void {
    this._attributes = attributes & 0xff;
    this.screen.repaint(attributeSgr(this._attributes, this.defaultAttributes));
  }

  /** The text of the window's row `y` (0 = the first row the console wrote on), as the screen model holds it. */
  screenRow(y: number): string {
    return this.screen.rowText(y);
  }

  /** Processes attached, in the order they attached. */
  get attached(): ReadonlySet<ConsoleClient> {
    return this.clients;
  }

  /** The column (0-based) where the next character written will appear; `columns` while a wrap is pending. */
  get cursorColumn(): number {
    return this.screen.column;
  }

  /** The host resized the window (HCS ResizeConsole / docker's tty resize). */
  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.screen.resized(columns, rows);
    this.reads[0]?.reader.resized?.();
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

  // ---- cooked reads ----------------------------------------------------------------

  /**
   * Registers a cooked read (ReadConsole in line mode). Reads are served in
   * the order they were registered, as conhost queues its read waits.
   */
  beginRead(reader: ConsoleLineReader): ConsoleRead {
    const read = new ConsoleRead(this, reader);
    this.reads.push(read);
    if (this.reads.length === 1) this.giveTurn(read);
    return read;
  }

  /** Writes console-generated text (a cooked read's echo) to the screen. */
  echo(text: string): void {
    if (text !== '') this.screen.inject(encodeText(text));
  }

  private giveTurn(read: ConsoleRead): void {
    read.state = 'draining';
    read.startTurn();
  }

  /** @internal */
  endRead(read: ConsoleRead): void {
    if (read.state === 'closed') return;
    const wasFirst = this.reads[0] === read;
    read.state = 'closed';
    // A read abandoned before its turn must not leave its program waiting for it.
    read.startTurn();
    const i = this.reads.indexOf(read);
    if (i >= 0) this.reads.splice(i, 1);
    if (!wasFirst) return;
    const next = this.reads[0];
    if (next) this.giveTurn(next);
    else this.flushHeld();
  }

  /** @internal Bytes a read took from the pipe but did not use: they come before anything held. */
  holdFront(bytes: Uint8Array): void {
    if (bytes.length > 0) this.held.unshift(kept(bytes, false));
  }

  /** @internal Held input goes to the live read, or (no read left) into the input buffer. */
  flushHeld(): void {
    const first = this.reads[0];
    if (first && first.state !== 'live') return;
    const held = this.held;
    this.held = [];
    for (let k = 0; k < held.length; k++) {
      const h = held[k]!;
      if (h === CTRL_C_MARK) this.interruptRead();
      else void this.route(h, true);
      // A read that ended hands the rest to the next one, which must first read its own type-ahead.
      const now = this.reads[0];
      if (now && now.state !== 'live') {
        // What route() held just now is the rest of item k: it comes first.
        this.held = [...this.held, ...held.slice(k + 1)];
        return;
      }
    }
    this.endIfClosed();
  }

  /** @internal The host typed `bytes`; `owned`: the console may keep them (else it copies what it stores). */
  typed(bytes: Uint8Array, owned: boolean): Promise<void> {
    if (!this.processedInput || bytes.indexOf(CTRL_C_BYTE) < 0) return this.route(bytes, owned);
    let pending = RESOLVED;
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] !== CTRL_C_BYTE) continue;
      if (i > start) pending = this.route(bytes.subarray(start, i), owned);
      start = i + 1;
      this.ctrlC();
    }
    if (start < bytes.length) pending = this.route(bytes.subarray(start), owned);
    return pending;
  }

  /** @internal The host closed the input. */
  inputClosed(): void {
    this.inputEnded = true;
    this.endIfClosed();
  }

  private endIfClosed(): void {
    if (!this.inputEnded || this.held.length > 0) return;
    const first = this.reads[0];
    if (first?.state === 'live' && !first.reader.finished) {
      first.reader.end();
      this.endRead(first);
    }
  }

  /** CTRL+C typed: the event to every attached process; the waiting cooked read ends. */
  private ctrlC(): void {
    const first = this.reads[0];
    if (first && first.state !== 'live') this.held.push(CTRL_C_MARK);
    else this.interruptRead();
    this.generateCtrlEvent(CTRL_C_EVENT, 0);
  }

  private interruptRead(): void {
    const first = this.reads[0];
    if (!first || first.state !== 'live') return;
    if (!first.reader.finished) first.reader.interrupt();
    this.endRead(first);
  }

  /**
   * Typed bytes to the live read (as many lines as there are reads), the rest held or
   * buffered. What is stored is a copy unless it is the whole of owned bytes (kept()).
   */
  private route(bytes: Uint8Array, owned: boolean): Promise<void> {
    let rest = bytes;
    while (rest.length > 0) {
      const first = this.reads[0];
      if (!first) return this.inputPipe.write(kept(rest, owned && rest === bytes));
      if (first.state !== 'live') {
        this.held.push(kept(rest, owned && rest === bytes));
        return RESOLVED;
      }
      const took = first.reader.finished ? 0 : first.reader.input(rest);
      if (first.reader.finished) this.endRead(first);
      // All taken (a keystroke, as a rule): done, without a view of nothing.
      if (took >= rest.length) break;
      rest = rest.subarray(took);
    }
    return RESOLVED;
  }
}

/** Bytes the console stores: as they are when it owns them, else a plain Uint8Array copy (a Buffer's slice() would be a view). */
function kept(bytes: Uint8Array, owned: boolean): Uint8Array {
  return owned ? bytes : new Uint8Array(bytes);
}
