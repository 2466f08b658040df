/**
 * choice.exe — asks for one key from a list (Microsoft Learn "choice"):
 *   CHOICE [/C choices] [/N] [/CS] [/T timeout /D choice] [/M text]
 *  - Prompt: `TEXT [Y,N]?` (choices as listed, upper-cased unless /cs;
 *    without /m just `[Y,N]?`; /n leaves the bracket list out). The key
 *    chosen is echoed with a line end.
 *  - Keys come from standard input, console or not (`echo y| choice`
 *    works); at a console one key is taken without Enter and not echoed
 *    by the console (src/shell/console/read-key.ts). A key not in the list
 *    rings the bell (BEL) and is ignored.
 *  - /t n with /d c picks c after n seconds (0–9999).
 *  - The exit code is the chosen key's position (1 for the first); 255 on
 *    an error or at end of input (DECIDED: the input ended, nothing was
 *    chosen — the documented error value).
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { INTERRUPTED } from '../../console/read-line.js';
import { readConsoleKey } from '../../console/read-key.js';
import { args, writeLine } from './common.js';

const HINT = 'Type "CHOICE /?" for usage.';

async function syntax(ctx: ProcessContext, text: string): Promise<number> {
  await writeLine(ctx.stderr, `ERROR: Invalid syntax. ${text}`);
  await writeLine(ctx.stderr, HINT);
  return 255;
}

export async function choiceMain(ctx: ProcessContext): Promise<number> {
  let choices = 'YN';
  let hide = false;
  let caseSensitive = false;
  let timeout: number | undefined;
  let def: string | undefined;
  let message: string | undefined;
  const a = args(ctx);
  for (let i = 0; i < a.length; i++) {
    const s = a[i]!;
    const m = /^\/(c|t|d|m)(?::(.*))?$/is.exec(s);
    const l = s.toLowerCase();
    if (l === '/n') hide = true;
    else if (l === '/cs') caseSensitive = true;
    else if (m) {
      const v = m[2] !== undefined && m[2] !== '' ? m[2] : a[++i];
      if (v === undefined) return syntax(ctx, `Value expected for '${s}'.`);
      switch (m[1]!.toLowerCase()) {
        case 'c':
          choices = v;
          break;
        case 't':
          if (!/^\d+$/.test(v) || parseInt(v, 10) > 9999) {
            await writeLine(ctx.stderr, 'ERROR: Invalid timeout value specified. Valid range is 0 to 9999 seconds.');
            return 255;
          }
          timeout = parseInt(v, 10);
          break;
        case 'd':
          def = v;
          break;
        case 'm':
          message = v;
          break;
      }
    } else if (s.startsWith('/')) {
      await writeLine(ctx.stderr, `ERROR: Invalid argument/option - '${s}'.`);
      await writeLine(ctx.stderr, HINT);
      return 255;
    } else if (message === undefined) message = s;
    else return syntax(ctx, `Default option is not allowed more than '1' time(s).`);
  }
  if (!caseSensitive) choices = choices.toUpperCase();
  if (choices.length === 0) return syntax(ctx, `Value expected for '/c'.`);
  if (new Set(caseSensitive ? choices : choices.toUpperCase()).size !== choices.length) {
    await writeLine(ctx.stderr, 'ERROR: Duplicate choices are not allowed.');
    return 255;
  }
  if ((timeout === undefined) !== (def === undefined)) {
    return syntax(ctx, timeout === undefined ? '/T must be specified when /D is specified.' : '/D must be specified when /T is specified.');
  }
  let defIndex = -1;
  if (def !== undefined) {
    defIndex = (caseSensitive ? choices : choices.toUpperCase()).indexOf(caseSensitive ? def : def.toUpperCase());
    if (def.length !== 1 || defIndex < 0) {
      await writeLine(ctx.stderr, 'ERROR: The default choice is not one of the specified choices.');
      return 255;
    }
  }
  const list = `[${[...choices].join(',')}]?`;
  const prompt = hide ? (message ?? '') : message !== undefined ? `${message} ${list}` : list;
  await ctx.stdout.write(prompt);

  // At a console choice reads single keys, line and echo input off (SetConsoleMode), and
  // echoes the chosen one itself; redirected, it reads characters from the pipe.
  const atConsole = ctx.stdin.isConsole && ctx.console !== undefined;
  const stop = new AbortController();
  const readKey = async (): Promise<number | null> => {
    for (;;) {
      const c = await readConsoleKey(ctx, { signal: stop.signal });
      if (c === null || c === INTERRUPTED) return null;
      const idx = caseSensitive ? choices.indexOf(c) : choices.indexOf(c.toUpperCase());
      if (idx >= 0 && c.length === 1) return idx;
      // DECIDED: at a console every other key rings the bell (Enter and arrows too); from a
      // pipe, line ends are skipped silently so `echo y| choice` works.
      if (atConsole || (c !== '\r' && c !== '\n')) await ctx.stdout.write('\x07');
    }
  };
  let chosen: number | null;
  if (timeout !== undefined) {
    const timer = ctx.sleep(timeout * 1000).then(() => defIndex);
    chosen = await Promise.race([readKey(), timer]);
    // The key read is withdrawn, so it takes nothing typed after choice ended.
    stop.abort();
  } else chosen = await readKey();
  if (chosen === null) {
    await ctx.stdout.write('\r\n');
    return 255;
  }
  await ctx.stdout.write(`${choices[chosen]}\r\n`);
  return chosen + 1;
}
