/**
 * What the administration programs share: writing CRLF text to a standard
 * handle, and the Yes/No questions reg.exe and net.exe ask before they
 * overwrite or delete something.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import type { OutputStream } from '../../../kernel/process/pipe.js';
import { ADMIN_LIMITS } from './limits.js';

/** Lines joined and ended with CRLF, as Windows console programs write them. */
function crlf(lines: readonly string[]): string {
  return lines.length === 0 ? '' : lines.join('\r\n') + '\r\n';
}

export async function writeLines(stream: OutputStream, lines: readonly string[]): Promise<void> {
  if (lines.length > 0) await stream.write(crlf(lines));
}

/**
 * Asks `question` (written to stdout, no line end) and reads answers from
 * stdin until one starts with Y or N (either case), as reg.exe's prompt
 * loops on anything else. End of input answers No, and so does the
 * ADMIN_LIMITS.maxPromptAnswers-th answer that is neither.
 * DECIDED: the first letter decides (`y`, `yes`, `Yeah`); Windows' exact
 * acceptance of partial words is not documented.
 */
export async function askYesNo(ctx: ProcessContext, question: string): Promise<boolean> {
  for (let i = 0; i < ADMIN_LIMITS.maxPromptAnswers; i++) {
    await ctx.stdout.write(question);
    const line = await ctx.stdin.readLine();
    // A piped answer is not echoed, so what follows the prompt continues its line.
    if (line === null) return false;
    const c = line.trim().charAt(0).toUpperCase();
    if (c === 'Y') return true;
    if (c === 'N') return false;
  }
  return false;
}
