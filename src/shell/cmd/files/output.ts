/**
 * Writing as cmd writes: CRLF line ends, messages from FormatMessage's
 * table, and the few prompts the file commands ask.
 */
import { Win32Error, win32Message } from '../../../core/win32.js';
import type { BuiltinContext } from '../builtin.js';

export const CRLF = '\r\n';

/** Lines collected and written in one WriteFile (a listing of thousands of names is one write). */
export class Lines {
  private readonly parts: string[] = [];
  push(line: string): void {
    this.parts.push(line, CRLF);
  }
  get empty(): boolean {
    return this.parts.length === 0;
  }
  async flushTo(out: { write(data: string): Promise<void> }): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts.length = 0;
    await out.write(text);
  }
}

/**
 * The text a Win32Error shows (cmd prints FormatMessage(GetLastError())).
 * Anything else is not a Windows failure: it is rethrown (a process ending,
 * ProcessExitSignal, must unwind untouched).
 */
export function errorText(e: unknown): string {
  if (e instanceof Win32Error) return win32Message(e.code);
  throw e;
}

export function errorCode(e: unknown): number {
  if (e instanceof Win32Error) return e.code;
  throw e;
}

/**
 * DECIDED: an unknown switch of copy, move, ren, del, md, rd, type prints
 * `Invalid switch - /x` (dir and mklink quote it: `Invalid switch - "x".`);
 * cmd's message table was not at hand to confirm the per-command forms.
 */
export async function errLine(bc: BuiltinContext, text: string): Promise<void> {
  await bc.stderr.write(text + CRLF);
}

export async function outLine(bc: BuiltinContext, text: string): Promise<void> {
  await bc.stdout.write(text + CRLF);
}

/**
 * Asks a question and reads the answer line from standard input, as cmd's
 * prompts do (a cooked console read, or a line from a redirected handle).
 * Returns the first non-blank character upper-cased; an empty line asks
 * again; end of input answers undefined (DECIDED: taken as "no" by callers —
 * Windows reads nothing from NUL and goes on without deleting).
 */
export async function ask(bc: BuiltinContext, prompt: string, valid: string): Promise<string | undefined> {
  for (;;) {
    await bc.stdout.write(prompt);
    const line = await bc.stdin.readLine();
    if (line === null) {
      await bc.stdout.write(CRLF);
      return undefined;
    }
    // DECIDED: an answer read from a redirected handle is echoed after the
    // prompt (a console echoes what is typed itself), so logs read as a session.
    if (!bc.stdin.isConsole) await bc.stdout.write(line + CRLF);
    const c = line.trim().charAt(0).toUpperCase();
    if (c && valid.includes(c)) return c;
  }
}
