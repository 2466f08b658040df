/**
 * more.com — shows output one screen at a time (Microsoft Learn "more").
 * Input is standard input or the files named (one after the other).
 * Lines are written with CRLF ends and tabs expanded to the next multiple
 * of 8 columns (/t<n> changes the step); /s squeezes runs of blank lines
 * into one; +n starts at line n; /e /c /p accepted.
 * DECIDED: no paging. A console's keyboard is the same handle as a piped
 * more's standard input here, so `-- More --` could not wait for a key
 * without eating the data; output that is not a console is never paged on
 * Windows either.
 * A missing file: `Cannot access file C:\full\path` and exit 1.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { args, CRLF, fsOf, readText, splitLines, writeLine } from './common.js';

function expandTabs(line: string, step: number): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const c of line) {
    if (c === '\t') out += ' '.repeat(step - (out.length % step));
    else out += c;
  }
  return out;
}

export async function moreMain(ctx: ProcessContext): Promise<number> {
  let tab = 8;
  let squeeze = false;
  let start = 1;
  const files: string[] = [];
  for (const a of args(ctx)) {
    const l = a.toLowerCase();
    if (/^\/t\d+$/.test(l)) tab = Math.max(1, parseInt(l.slice(2), 10));
    else if (l === '/s') squeeze = true;
    else if (l === '/e' || l === '/c' || l === '/p') continue;
    else if (/^\+\d+$/.test(l)) start = parseInt(l.slice(1), 10);
    else if (l.startsWith('/')) {
      await writeLine(ctx.stderr, `Invalid switch - ${a}`);
      return 1;
    } else files.push(a);
  }
  const texts: string[] = [];
  if (files.length === 0) texts.push(await ctx.stdin.readText());
  else {
    const fs = fsOf(ctx);
    for (const f of files) {
      try {
        texts.push(readText(fs, f, ctx.cwd));
      } catch {
        await writeLine(ctx.stderr, `Cannot access file ${fs.fullPath(f, ctx.cwd)}`);
        return 1;
      }
    }
  }
  const out: string[] = [];
  let n = 0;
  let blank = false;
  for (const t of texts) {
    for (const line of splitLines(t)) {
      n++;
      if (n < start) continue;
      if (squeeze && line.text === '') {
        if (blank) continue;
        blank = true;
      } else blank = false;
      out.push(expandTabs(line.text, tab) + CRLF);
    }
  }
  await ctx.stdout.write(out.join(''));
  return 0;
}
