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
 *  - The cursor: the console follows the cursor column of what is written
 *    to the screen (as conhost knows its buffer's cursor), so a line editor
 *    knows where its line starts and where it wraps.
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
import { ERROR_INVALID_HANDLE, Win32Error } from '../../core/win32.js';
import { CTRL_C_EVENT, type ConsoleCtrlEvent } from './constants.js';
import { encodeText, Pipe, PipeWriter, rejected, type PipeReader } from './pipe.js';

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
 * The screen side: the output pipe, with the cursor column followed as a
 * VT terminal moves it (xterm's rules: deferred wrap at the right margin,
 * CR to column 0, LF as CR LF — ConPTY without DISABLE_NEWLINE_AUTO_RETURN
 * and a Unix tty with ONLCR both do that —, BS, HT to the next multiple of
 * 8, CSI cursor movements, OSC strings skipped).
 */
class ScreenBuffer extends Pipe {
  /** 0 … columns; `columns` means the wrap is pending (the cursor sits on the last column). */
  column = 0;
  private saved = 0;
  private state: 'text' | 'esc' | 'csi' | 'osc' | 'oscEsc' | 'utf8' = 'text';
  private params = '';
  private codePoint = 0;
  private need = 0;

  constructor(private readonly screen: { readonly columns: number }) {
    super();
  }

  override write(data: Uint8Array): Promise<void> {
    this.follow(data);
    return super.write(data);
  }

  /** Console-generated output (echo, title): no handle needed; dropped when nobody reads. */
  inject(data: Uint8Array): void {
    void this.write(data).catch(() => undefined);
  }

  private follow(data: Uint8Array): void {
    const width = this.screen.columns;
    for (let i = 0; i < data.length; i++) {
      const b = data[i]!;
      switch (this.state) {
        case 'text':
          if (b >= 0x20 && b < 0x7f) this.advance(1, width);
          else if (b >= 0xc0) {
            this.need = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
            this.codePoint = b & (b >= 0xf0 ? 0x07 : b >= 0xe0 ? 0x0f : 0x1f);
            this.state = 'utf8';
          } else if (b === 0x0d || b === 0x0a) this.column = 0;
          else if (b === 0x08) this.column = Math.max(0, Math.min(this.column, width - 1) - 1);
          else if (b === 0x09) this.column = Math.min(width - 1, (Math.floor(Math.min(this.column, width - 1) / 8) + 1) * 8);
          else if (b === 0x1b) this.state = 'esc';
          break;
        case 'utf8':
          if ((b & 0xc0) !== 0x80) {
            this.state = 'text';
            i--;
            break;
          }
          this.codePoint = (this.codePoint << 6) | (b & 0x3f);
          if (--this.need === 0) {
            this.state = 'text';
            this.advance(cellWidth(this.codePoint), width);
          }
          break;
        case 'esc':
          if (b === 0x5b) {
            this.state = 'csi';
            this.params = '';
          } else if (b === 0x5d) this.state = 'osc';
          else {
            if (b === 0x37) this.saved = this.column;
            else if (b === 0x38) this.column = this.saved;
            this.state = 'text';
          }
          break;
        case 'csi':
          if (b >= 0x40 && b <= 0x7e) {
            this.csi(String.fromCharCode(b), width);
            this.state = 'text';
          } else this.params += String.fromCharCode(b);
          break;
        case 'osc':
          if (b === 0x07) this.state = 'text';
          else if (b === 0x1b) this.state = 'oscEsc';
          break;
        case 'oscEsc':
          this.state = b === 0x5c ? 'text' : 'osc';
          break;
      }
    }
  }

  private advance(cells: number, width: number): void {
    if (cells === 0) return;
    if (this.column + cells > width) this.column = 0;
    this.column += cells;
  }

  private csi(final: string, width: number): void {
    const p = this.params.split(';').map((s) => (s === '' ? 0 : Number.parseInt(s, 10) || 0));
    const n = Math.max(1, p[0] ?? 0);
    const from = Math.min(this.column, width - 1);
    switch (final) {
      case 'C':
        this.column = Math.min(width - 1, from + n);
        break;
      case 'D':
        this.column = Math.max(0, from - n);
        break;
      case 'G':
      case '`':
        this.column = Math.min(width - 1, n - 1);
        break;
      case 'H':
      case 'f':
        this.column = Math.min(width - 1, Math.max(1, p[1] ?? 0) - 1);
        break;
      case 'E':
      case 'F':
        this.column = 0;
        break;
      case 's':
        this.saved = this.column;
        break;
      case 'u':
        this.column = this.saved;
        break;
      case 'A':
      case 'B':
      case 'K':
      case 'J':
        this.column = from;
        break;
    }
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
    return this.console.typed(typeof data === 'string' ? encodeText(data) : data.slice());
  }

  override writeOwned(data: Uint8Array): Promise<void> {
    if (this.closed) return rejected(new Win32Error('WriteFile', ERROR_INVALID_HANDLE));
    return this.console.typed(data);
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
   * ENABLE_PROCESSED_INPUT: CTRL+C is a control event, not input (default
   * on). Off, a 0x03 byte is input like any other.
   */
  processedInput = true;
  /**
   * ENABLE_LINE_INPUT (with ENABLE_ECHO_INPUT): a line read through a
   * console handle is edited and echoed by the console (default on; it
   * takes an installed line editor, see installLineEditor).
   */
  lineInput = true;
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
    if (this.screen.column > columns) this.screen.column = columns;
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
    if (bytes.length > 0) this.held.unshift(bytes.slice());
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
      else void this.route(h);
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

  /** @internal The host typed `bytes`. */
  typed(bytes: Uint8Array): Promise<void> {
    if (!this.processedInput || bytes.indexOf(CTRL_C_BYTE) < 0) return this.route(bytes);
    let pending = RESOLVED;
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] !== CTRL_C_BYTE) continue;
      if (i > start) pending = this.route(bytes.subarray(start, i));
      start = i + 1;
      this.ctrlC();
    }
    if (start < bytes.length) pending = this.route(bytes.subarray(start));
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

  /** Typed bytes to the live read (as many lines as there are reads), the rest held or buffered. */
  private route(bytes: Uint8Array): Promise<void> {
    let rest = bytes;
    while (rest.length > 0) {
      const first = this.reads[0];
      if (!first) return this.inputPipe.write(rest === bytes ? rest : rest.slice());
      if (first.state !== 'live') {
        this.held.push(rest.slice());
        return RESOLVED;
      }
      const took = first.reader.finished ? 0 : first.reader.input(rest);
      if (first.reader.finished) this.endRead(first);
      rest = rest.subarray(took);
    }
    return RESOLVED;
  }
}

/**
 * Cells a character takes on the screen (wcwidth's rules, simplified):
 * combining marks and zero-width characters 0, East Asian Wide and
 * Fullwidth characters and emoji 2, everything else 1. DECIDED: a compact
 * range table rather than the full Unicode EastAsianWidth data; it covers
 * CJK, Hangul, fullwidth forms and the emoji blocks.
 */
export function cellWidth(codePoint: number): number {
  if (codePoint < 0x300) return codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0) ? 0 : 1;
  for (const [lo, hi] of ZERO_WIDTH) if (codePoint >= lo && codePoint <= hi) return 0;
  if (codePoint < 0x1100) return 1;
  for (const [lo, hi] of WIDE) if (codePoint >= lo && codePoint <= hi) return 2;
  return 1;
}

const ZERO_WIDTH: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200f],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
  [0xfeff, 0xfeff],
];

const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];
