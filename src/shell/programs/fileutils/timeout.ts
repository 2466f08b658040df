/**
 * timeout.exe — waits a number of seconds (Microsoft Learn "timeout"):
 *   TIMEOUT [/T] timeout [/NOBREAK]
 *  - timeout is -1 (wait for a key) to 99999 seconds.
 *  - Standard input must be a console: redirected (a pipe, a file, a
 *    container started without -i/-t) it prints `ERROR: Input redirection is
 *    not supported, exiting the process immediately.` and exits 1 — what
 *    `docker run IMAGE timeout /t 5` shows on Windows.
 *  - On a console it prints `\r\nWaiting for N seconds, press a key to
 *    continue ...` (/nobreak: `press CTRL+C to quit ...`), counts down in
 *    place (backspaces over the number), and ends with `\r\n`; a key ends
 *    the wait early unless /nobreak (one key, no Enter, not echoed:
 *    src/shell/console/read-key.ts).
 * Exit code 0; 1 for errors (`ERROR: Invalid value for timeout (/T)
 * specified. Valid range is -1 to 99999.`, `ERROR: Invalid syntax. …`).
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { readConsoleKey } from '../../console/read-key.js';
import { args, writeLine } from './common.js';

const USAGE_HINT = 'Type "TIMEOUT /?" for usage.';
const TICK: unique symbol = Symbol('tick');

export async function timeoutMain(ctx: ProcessContext): Promise<number> {
  let seconds: number | undefined;
  let nobreak = false;
  const a = args(ctx);
  for (let i = 0; i < a.length; i++) {
    const l = a[i]!.toLowerCase();
    if (l === '/nobreak') nobreak = true;
    else if (l === '/t') {
      const v = a[++i];
      if (v === undefined) {
        await writeLine(ctx.stderr, "ERROR: Invalid syntax. Value expected for '/t'.");
        await writeLine(ctx.stderr, USAGE_HINT);
        return 1;
      }
      if (seconds !== undefined) {
        await writeLine(ctx.stderr, "ERROR: Invalid syntax. '/t' option is not allowed more than '1' time(s).");
        await writeLine(ctx.stderr, USAGE_HINT);
        return 1;
      }
      seconds = parseSeconds(v);
      if (Number.isNaN(seconds)) return badValue(ctx);
    } else if (l.startsWith('/')) {
      await writeLine(ctx.stderr, `ERROR: Invalid argument/option - '${a[i]}'.`);
      await writeLine(ctx.stderr, USAGE_HINT);
      return 1;
    } else {
      if (seconds !== undefined) {
        await writeLine(ctx.stderr, "ERROR: Invalid syntax. Default option is not allowed more than '1' time(s).");
        await writeLine(ctx.stderr, USAGE_HINT);
        return 1;
      }
      seconds = parseSeconds(a[i]!);
      if (Number.isNaN(seconds)) return badValue(ctx);
    }
  }
  if (seconds === undefined) {
    // DECIDED: no timeout given answers as a /t without its value does.
    await writeLine(ctx.stderr, "ERROR: Invalid syntax. Value expected for '/t'.");
    await writeLine(ctx.stderr, USAGE_HINT);
    return 1;
  }
  if (!ctx.stdin.isConsole) {
    await writeLine(ctx.stderr, 'ERROR: Input redirection is not supported, exiting the process immediately.');
    return 1;
  }
  const tail = nobreak ? 'press CTRL+C to quit ...' : 'press a key to continue ...';
  if (seconds < 0) {
    await ctx.stdout.write(`\r\nPress any key to continue ...`);
    await readConsoleKey(ctx);
    await ctx.stdout.write('\r\n');
    return 0;
  }
  const width = String(seconds).length;
  await ctx.stdout.write(`\r\nWaiting for ${seconds} seconds, ${tail}`);
  // The number sits before ` seconds, …`: back up over the tail and the number to rewrite it.
  const back = '\b'.repeat(tail.length + ' seconds, '.length + width);
  // One key, not echoed and without Enter (line and echo input off); withdrawn when the
  // countdown ends, so it takes nothing typed after timeout exits.
  const stop = new AbortController();
  const key = nobreak ? undefined : readConsoleKey(ctx, { signal: stop.signal });
  for (let left = seconds; left > 0; ) {
    const tick = ctx.sleep(1000).then(() => TICK);
    const r = key ? await Promise.race([tick, key]) : await tick;
    if (r !== TICK) break;
    left--;
    await ctx.stdout.write(`${back}${String(left).padStart(width)} seconds, ${tail}`);
  }
  stop.abort();
  await ctx.stdout.write('\r\n');
  return 0;
}

function parseSeconds(v: string): number {
  if (!/^-?\d+$/.test(v)) return NaN;
  const n = parseInt(v, 10);
  return n < -1 || n > 99999 ? NaN : n;
}

async function badValue(ctx: ProcessContext): Promise<number> {
  await writeLine(ctx.stderr, 'ERROR: Invalid value for timeout (/T) specified. Valid range is -1 to 99999.');
  return 1;
}
