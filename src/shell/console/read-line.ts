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
 */
import type { ProcessContext } from '../../kernel/process/context.js';

export const INTERRUPTED: unique symbol = Symbol('winsilo.readConsoleLine.interrupted');

/** doskey's history of one program: most recent last, at most `max` entries (conhost default 50). */
export interface LineHistory {
  readonly entries: string[];
  max: number;
}

export function createHistory(max = 50): LineHistory {
  return { entries: [], max };
}

export type Completer = (line: string, cursor: number, reverse: boolean) => { line: string; cursor: number } | undefined;

export interface ReadLineOptions {
  history?: LineHistory;
  complete?: Completer;
}

/** Provisional cooked read (no editing beyond Backspace): the console host replaces it. */
export async function readConsoleLine(ctx: ProcessContext, options: ReadLineOptions = {}): Promise<string | null | typeof INTERRUPTED> {
  if (!ctx.stdin.isConsole) return ctx.stdin.readLine();
  let line = '';
  for (;;) {
    const chunk = await ctx.stdin.read();
    if (chunk === null) return null;
    const text = new TextDecoder().decode(chunk);
    for (const ch of text) {
      if (ch === '\r' || ch === '\n') {
        await ctx.stdout.write('\r\n');
        if (options.history && line !== '') options.history.entries.push(line);
        return line;
      }
      if (ch === '\x03') return INTERRUPTED;
      if (ch === '\x7f' || ch === '\b') {
        if (line.length > 0) {
          line = line.slice(0, -1);
          await ctx.stdout.write('\b \b');
        }
        continue;
      }
      line += ch;
      await ctx.stdout.write(ch);
    }
  }
}
