/**
 * ReadConsole in cooked mode (ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT |
 * ENABLE_PROCESSED_INPUT): the console, not the program, edits the line the
 * user types and echoes it; the program gets the finished line. cmd.exe and
 * PowerShell read their commands this way.
 *
 * CONTRACT (shared by cmd, PowerShell and the console host):
 *  - `readConsoleLine(ctx, options)` resolves to the line without its CR/LF,
 *    `null` at end of input (the console's input closed, or stdin is not a
 *    console and reached EOF), or `INTERRUPTED` when Ctrl+C ended the read
 *    (the caller prints its new prompt; cmd echoes `^C` first).
 *  - `options.history` is the caller's history (doskey's per-program list);
 *    the read adds the entered line to it.
 *  - `options.complete` is called on Tab / Shift+Tab (cmd's file-name
 *    completion through CONSOLE_READCONSOLE_CONTROL): it returns the new
 *    line and cursor, or undefined to leave the line as it is.
 * When stdin is not a console the call reads one line from the pipe.
 *
 * Ctrl+C also reaches every process attached to the console as
 * CTRL_C_EVENT (the console's processed input, src/kernel/process/
 * console.ts): a shell that should survive it registers a handler
 * (ctx.onConsoleCtrl) that returns true.
 *
 * How it works: the read registers a line editor with the console
 * (Console.beginRead). The console hands it every byte typed, in order and
 * synchronously, once it has read the type-ahead the input buffer already
 * held; keys.ts decodes them, line-editor.ts applies them, render.ts echoes
 * the changes as VT, history.ts keeps conhost's history rules. When the
 * line ends, the cursor moves to the end of the line and CR LF is echoed;
 * at Ctrl+C the cursor moves to the end of the line and nothing is echoed.
 */
import { Console, installLineEditor, type CookedLineReader } from '../../kernel/process/console.js';
import type { ProcessContext } from '../../kernel/process/context.js';
import { addToHistory } from './history.js';
import { KeyDecoder, type Key } from './keys.js';
import { CONSOLE_LIMITS } from './limits.js';
import { LineEditor } from './line-editor.js';
import { LineRenderer } from './render.js';

export const INTERRUPTED: unique symbol = Symbol('winsilo.readConsoleLine.interrupted');

/** doskey's history of one program: most recent last, at most `max` entries (conhost default 50). */
export interface LineHistory {
  readonly entries: string[];
  max: number;
}

export function createHistory(max: number = CONSOLE_LIMITS.historyEntries): LineHistory {
  return { entries: [], max };
}

export type Completer = (line: string, cursor: number, reverse: boolean) => { line: string; cursor: number } | undefined;

export interface ReadLineOptions {
  history?: LineHistory;
  complete?: Completer;
}

export type ReadLineResult = string | null | typeof INTERRUPTED;

/** One decoder per console: an escape sequence or a UTF-8 character may span two reads' input. */
const decoders = new WeakMap<Console, KeyDecoder>();

function decoderFor(con: Console): KeyDecoder {
  let d = decoders.get(con);
  if (!d) decoders.set(con, (d = new KeyDecoder()));
  return d;
}

/** The line editor of one cooked read, as the console drives it. */
export class CookedRead implements CookedLineReader {
  finished = false;
  readonly result: Promise<ReadLineResult>;
  private settle!: (r: ReadLineResult) => void;
  private readonly editor: LineEditor;
  private renderer: LineRenderer | undefined;
  private readonly decoder: KeyDecoder;
  private escTimer: ReturnType<typeof setTimeout> | undefined;
  /** The width the line was last laid out in. */
  private width: number;
  private readonly onKey = (key: Key): boolean => this.key(key);
  /**
   * ENABLE_ECHO_INPUT, as the console's mode is now: without it the line is
   * edited but nothing is shown (a password prompt). A shell's own read
   * (readConsoleLine) always echoes: cmd sets line, echo and processed
   * input on its console before it reads a command (as Wine's cmd does).
   */
  private get echoes(): boolean {
    return !this.followsMode || this.con.echoInput;
  }

  constructor(
    private readonly con: Console,
    private readonly options: ReadLineOptions,
    /** A ReadFile on a console handle (the console's mode decides the echo), not a shell's command read. */
    private readonly followsMode = false,
  ) {
    this.result = new Promise<ReadLineResult>((resolve) => (this.settle = resolve));
    this.editor = new LineEditor(CONSOLE_LIMITS.maxLineChars, options.history, options.complete);
    this.decoder = decoderFor(con);
    this.width = con.columns;
  }

  input(bytes: Uint8Array): number {
    if (this.finished) return 0;
    this.clearEscTimer();
    const took = this.decoder.feed(bytes, this.onKey);
    if (!this.finished) {
      this.redraw();
      if (this.decoder.escapePending) this.startEscTimer();
    }
    return took;
  }

  interrupt(): void {
    if (this.finished) return;
    this.finish(INTERRUPTED, this.view().end());
  }

  end(): void {
    if (this.finished) return;
    this.finish(null, '');
  }

  resized(): void {
    if (this.finished || !this.renderer) return;
    const moves = this.renderer.resized(this.width);
    if (this.echoes) this.con.echo(moves);
    this.width = this.con.columns;
  }

  /** For a plain line read (ReadFile): the line, '' after Ctrl+C (ReadFile's 0 bytes), null at end of input. */
  get line(): Promise<string | null> {
    return this.result.then((r) => (r === INTERRUPTED ? '' : r));
  }

  /** The reader went away (its process ended): the read ends as at end of input. */
  abandon(): void {
    if (this.finished) return;
    this.finished = true;
    this.clearEscTimer();
    this.settle(null);
  }

  private key(key: Key): boolean {
    if (this.finished) return false;
    if (key.type !== 'enter') {
      this.editor.apply(key);
      return true;
    }
    const line = this.editor.line;
    const out = this.view().render(this.editor.chars, this.editor.cursor) + this.view().end() + '\r\n';
    if (this.options.history) addToHistory(this.options.history, line);
    this.finish(line, out);
    return false;
  }

  private finish(result: ReadLineResult, echo: string): void {
    this.finished = true;
    this.clearEscTimer();
    if (this.echoes) this.con.echo(echo);
    this.settle(result);
  }

  /** The renderer, made at the first echo: the line starts where the cursor is then (after the prompt). */
  private view(): LineRenderer {
    return (this.renderer ??= new LineRenderer(this.con.cursorColumn, () => this.con.columns));
  }

  private redraw(): void {
    if (this.echoes) this.con.echo(this.view().render(this.editor.chars, this.editor.cursor));
  }

  private startEscTimer(): void {
    this.escTimer = setTimeout(() => {
      this.escTimer = undefined;
      if (this.finished) return;
      this.decoder.flushEscape(this.onKey);
      if (!this.finished) this.redraw();
    }, CONSOLE_LIMITS.escapeTimeoutMs);
    this.escTimer.unref?.();
  }

  private clearEscTimer(): void {
    if (this.escTimer === undefined) return;
    clearTimeout(this.escTimer);
    this.escTimer = undefined;
  }
}

/**
 * Reads one line from the console with conhost's line editing (see the
 * contract above). Errors: whatever the program's stdin read fails with.
 * If the process ends while it waits, the read ends with null (and the
 * program's next context call throws ProcessExitSignal).
 */
export async function readConsoleLine(ctx: ProcessContext, options: ReadLineOptions = {}): Promise<ReadLineResult> {
  const con = ctx.process.console;
  if (!ctx.stdin.isConsole || !con) return ctx.stdin.readLine();
  const reader = new CookedRead(con, options);
  const read = con.beginRead(reader);
  const silo = ctx.process.silo;
  const abandon = (): void => {
    reader.abandon();
    read.close();
  };
  ctx.signal.addEventListener('abort', abandon, { once: true });
  try {
    await silo.gate(read.turn);
    // The type-ahead (typed while no read waited) comes before anything typed from now on.
    while (!reader.finished && con.inputPipe.available > 0) {
      const bytes = await ctx.stdin.read();
      if (bytes === null) break;
      read.drained(bytes);
    }
    read.live();
    return await silo.gate(reader.result);
  } finally {
    ctx.signal.removeEventListener('abort', abandon);
    read.close();
  }
}

// ReadFile/readLine on a console handle is a cooked read too (conhost's default line input mode).
installLineEditor((con) => new CookedRead(con, {}, true));
