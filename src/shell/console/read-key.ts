/**
 * One key from the console, no Enter needed: what a program gets from
 * ReadConsoleInput (or ReadConsole) after SetConsoleMode has turned
 * ENABLE_LINE_INPUT and ENABLE_ECHO_INPUT off (Microsoft Learn,
 * "SetConsoleMode": without line input "functions return when one or more
 * characters are available"; without echo nothing typed is shown). cmd's
 * PAUSE, choice.exe and timeout.exe read keys this way; processed input
 * stays on, so CTRL+C is still CTRL_C_EVENT and never a key.
 *
 * CONTRACT:
 *  - `readConsoleKey(ctx, options)` resolves to the key's character — the
 *    text of one character key (a UTF-8 character whole), '\r' for Enter
 *    (with the LF of a CR LF pair), '\b' Backspace, '\t' Tab, '\x1b' Esc —
 *    or '' for a key that has no character (an arrow, Home, Delete…: an
 *    xterm escape sequence, taken whole so none of it is left as input).
 *    `null` at end of input; `INTERRUPTED` when CTRL+C ended the read or
 *    `options.signal` aborted it (the read is then withdrawn: no key is
 *    taken from the input).
 *  - Nothing is echoed; the caller echoes what it wants (choice echoes the
 *    letter, PAUSE and timeout nothing).
 *  - When stdin is not a console it reads one character from the pipe
 *    (redirected input keeps its plain ReadFile behaviour).
 *
 * How it works: like a cooked read (read-line.ts), the key read registers
 * with the console (Console.beginRead), so reads are served in order and
 * keys typed after the read began reach it synchronously; it takes the
 * bytes of exactly one key and leaves the rest for the next reader.
 *
 * DECIDED: a lone ESC at the end of what was typed is the Esc key at once
 * (no wait for a sequence to follow, unlike the line editor's timeout):
 * terminals send a sequence in one write.
 */
import type { Console, ConsoleLineReader } from '../../kernel/process/console.js';
import type { ProcessContext } from '../../kernel/process/context.js';
import { ENABLE_ECHO_INPUT, ENABLE_LINE_INPUT } from '../../kernel/process/constants.js';
import { INTERRUPTED } from './read-line.js';

export type ReadKeyResult = string | null | typeof INTERRUPTED;

export interface ReadKeyOptions {
  /** Withdraws the read (timeout.exe's countdown ran out, cmd's CTRL+C). */
  signal?: AbortSignal;
  /**
   * Read the key from the console even when stdin is redirected — a
   * CreateFile("CONIN$") handle, as more.com and cmd's paging prompts do
   * (`type x | more` pages on the keyboard while the data comes through
   * the pipe). Without a console the read falls back to stdin.
   */
  conin?: boolean;
}

const ESC = 0x1b;
const CR = 0x0d;
const LF = 0x0a;

/** The console side of one key read. */
class KeyRead implements ConsoleLineReader {
  finished = false;
  readonly result: Promise<ReadKeyResult>;
  private settle!: (r: ReadKeyResult) => void;
  /** Bytes of a key begun in an earlier chunk (a split sequence or UTF-8 character). */
  private partial: number[] = [];

  constructor() {
    this.result = new Promise<ReadKeyResult>((resolve) => (this.settle = resolve));
  }

  input(bytes: Uint8Array): number {
    if (this.finished) return 0;
    const all = this.partial.length > 0 ? Uint8Array.from([...this.partial, ...bytes]) : bytes;
    const fromPartial = this.partial.length;
    const r = takeKey(all);
    if (r === undefined) {
      this.partial = [...all];
      return bytes.length;
    }
    this.partial = [];
    this.finish(r.key);
    return Math.max(0, r.used - fromPartial);
  }

  interrupt(): void {
    this.finish(INTERRUPTED);
  }

  end(): void {
    this.finish(null);
  }

  /** Withdrawn by its program. */
  abandon(result: ReadKeyResult): void {
    this.finish(result);
  }

  private finish(r: ReadKeyResult): void {
    if (this.finished) return;
    this.finished = true;
    this.settle(r);
  }
}

/**
 * The first key in `b`: its character and the bytes it used; undefined when
 * `b` holds only the start of a key.
 */
export function takeKey(b: Uint8Array): { key: string; used: number } | undefined {
  const first = b[0];
  if (first === undefined) return undefined;
  if (first === CR) return { key: '\r', used: b[1] === LF ? 2 : 1 };
  if (first === LF) return { key: '\r', used: 1 };
  if (first === 0x7f || first === 0x08) return { key: '\b', used: 1 };
  if (first === ESC) {
    if (b.length === 1) return { key: '\x1b', used: 1 };
    const second = b[1]!;
    if (second === 0x5b) {
      // CSI: parameters and intermediates up to a final byte 0x40–0x7E.
      for (let i = 2; i < b.length; i++) if (b[i]! >= 0x40 && b[i]! <= 0x7e) return { key: '', used: i + 1 };
      return undefined;
    }
    if (second === 0x4f) return b.length < 3 ? undefined : { key: '', used: 3 };
    // Alt+key: the key's own character (as the line editor takes it).
    if (second >= 0x20 && second < 0x7f) return { key: String.fromCharCode(second), used: 2 };
    return { key: '\x1b', used: 1 };
  }
  if (first < 0x80) return { key: String.fromCharCode(first), used: 1 };
  const need = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  if (need === 1) return { key: '', used: 1 }; // a stray continuation byte: no character
  if (b.length < need) return undefined;
  return { key: new TextDecoder().decode(b.subarray(0, need)), used: need };
}

/** Reads one key (see the contract above). */
export function readConsoleKey(ctx: ProcessContext, options: ReadKeyOptions = {}): Promise<ReadKeyResult> {
  // A context without a kernel process behind it (a test double) reads its stdin as a pipe.
  const con: Console | undefined = (ctx.process as ProcessContext['process'] | undefined)?.console;
  if (options.signal?.aborted) return Promise.resolve(INTERRUPTED);
  if (!con || (!ctx.stdin.isConsole && !options.conin)) return readPipeChar(ctx);
  return readAtConsole(ctx, con, options);
}

async function readAtConsole(ctx: ProcessContext, con: Console, options: ReadKeyOptions): Promise<ReadKeyResult> {
  // SetConsoleMode(mode & ~(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT)) for the read, the caller's mode back after it.
  const mode = con.inputMode;
  con.setInputMode(mode & ~(ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT));
  try {
    return await readKeyRaw(ctx, con, options);
  } finally {
    restoreMode(con, mode);
  }
}

/** The caller's mode back; a combination SetConsoleMode refuses is still applied (see Console.setInputMode). */
function restoreMode(con: Console, mode: number): void {
  try {
    con.setInputMode(mode);
  } catch {
    // Applied all the same.
  }
}

async function readKeyRaw(ctx: ProcessContext, con: Console, options: ReadKeyOptions): Promise<ReadKeyResult> {
  const reader = new KeyRead();
  const read = con.beginRead(reader);
  const silo = ctx.process.silo;
  const abandon = (r: ReadKeyResult) => (): void => {
    reader.abandon(r);
    read.close();
  };
  const onExit = abandon(null);
  const onAbort = abandon(INTERRUPTED);
  let coninHandle: { close(): void } | undefined;
  ctx.signal.addEventListener('abort', onExit, { once: true });
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await silo.gate(Promise.race([read.turn, reader.result]));
    // The type-ahead comes before anything typed from now on.
    if (!reader.finished && con.inputPipe.available > 0) {
      const conin = ctx.stdin.isConsole ? ctx.stdin : (coninHandle = con.inputPipe.readEnd(true));
      while (!reader.finished && con.inputPipe.available > 0) {
        const bytes = await conin.read();
        if (bytes === null) break;
        read.drained(bytes);
      }
    }
    read.live();
    return await silo.gate(reader.result);
  } finally {
    coninHandle?.close();
    ctx.signal.removeEventListener('abort', onExit);
    options.signal?.removeEventListener('abort', onAbort);
    read.close();
  }
}

/** Redirected stdin: the next character (a whole UTF-8 character), null at end of input. */
function readPipeChar(ctx: ProcessContext): Promise<string | null> {
  return ctx.stdin.read(1).then((first) => {
    if (first === null || first.length === 0) return null;
    const lead = first[0]!;
    const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    return need === 1 ? String.fromCharCode(lead) : restOfChar(ctx, [lead], need);
  });
}

async function restOfChar(ctx: ProcessContext, bytes: number[], need: number): Promise<string> {
  while (bytes.length < need) {
    const more = await ctx.stdin.read(1);
    if (more === null || more.length === 0) break;
    bytes.push(more[0]!);
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}
