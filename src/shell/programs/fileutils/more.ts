/**
 * more.com — shows output one screen at a time (Microsoft Learn "more").
 * Input is standard input or the files named (one after the other).
 * Lines are written with CRLF ends and tabs expanded to the next multiple
 * of 8 columns (/t<n> changes the step); /s squeezes runs of blank lines
 * into one; +n starts at line n; /e /c /p accepted.
 *
 * Paging, when standard output is a console: a screenful is the window's
 * rows less one (the prompt's row; a line longer than the window counts
 * the rows it wraps to). Then the prompt: `-- More --` for standard
 * input, `-- More (NN%) --` for a file (the share of the file shown so
 * far), and one key from the console — read from the console even when
 * the data comes through a pipe (CONIN$, as `type x | more` does):
 * SPACEBAR the next page, ENTER the next line, q quits, f goes on to the
 * next file (the keys Microsoft Learn lists for the prompt). The prompt is
 * erased (overwritten with spaces) before the output goes on. Output that
 * is not a console is never paged.
 * DECIDED: `=`, `p n`, `s n` and `?` are not offered (ignored, like any
 * other key); the percentage counts characters of the file, not bytes.
 * A missing file: `Cannot access file C:\full\path` and exit 1.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { readConsoleKey } from '../../console/read-key.js';
import { rowsOf } from '../../console/rows.js';
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

interface Source {
  /** The lines to show, tabs expanded, each with how many characters of the source it covers. */
  lines: { text: string; upTo: number }[];
  /** Characters of the file (undefined: standard input, no percentage). */
  size: number | undefined;
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
  const texts: { text: string; file: boolean }[] = [];
  if (files.length === 0) texts.push({ text: await ctx.stdin.readText(), file: false });
  else {
    const fs = fsOf(ctx);
    for (const f of files) {
      try {
        texts.push({ text: readText(fs, f, ctx.cwd), file: true });
      } catch {
        await writeLine(ctx.stderr, `Cannot access file ${fs.fullPath(f, ctx.cwd)}`);
        return 1;
      }
    }
  }
  const sources: Source[] = [];
  let n = 0;
  let blank = false;
  for (const t of texts) {
    const src: Source = { lines: [], size: t.file ? t.text.length : undefined };
    let at = 0;
    for (const line of splitLines(t.text)) {
      at += line.text.length + line.end.length;
      n++;
      if (n < start) continue;
      if (squeeze && line.text === '') {
        if (blank) continue;
        blank = true;
      } else blank = false;
      src.lines.push({ text: expandTabs(line.text, tab), upTo: at });
    }
    sources.push(src);
  }
  const con = ctx.console;
  if (!ctx.stdout.isConsole || !con) {
    await ctx.stdout.write(sources.map((s) => s.lines.map((l) => l.text + CRLF).join('')).join(''));
    return 0;
  }
  return page(ctx, sources, con);
}

/** Shows the sources a screenful at a time (see the header). */
async function page(ctx: ProcessContext, sources: Source[], con: { readonly rows: number; readonly columns: number }): Promise<number> {
  let budget = Math.max(1, con.rows - 1);
  let pending = '';
  for (let s = 0; s < sources.length; s++) {
    const src = sources[s]!;
    let nextFile = false;
    for (let i = 0; i < src.lines.length && !nextFile; i++) {
      const line = src.lines[i]!;
      if (budget <= 0) {
        const prompt = src.size === undefined ? '-- More --' : `-- More (${Math.floor(((src.lines[i - 1]?.upTo ?? 0) * 100) / Math.max(1, src.size))}%) --`;
        await ctx.stdout.write(pending + prompt);
        pending = '';
        const key = await nextKey(ctx);
        await ctx.stdout.write(`\r${' '.repeat(prompt.length)}\r`);
        if (key === 'quit') return 0;
        if (key === 'file') {
          nextFile = true;
          budget = Math.max(1, con.rows - 1);
          continue;
        }
        budget = key === 'page' ? Math.max(1, con.rows - 1) : 1;
      }
      pending += line.text + CRLF;
      budget -= rowsOf(line.text, con.columns);
    }
  }
  if (pending !== '') await ctx.stdout.write(pending);
  return 0;
}

/** The prompt's answer: one key from the console; other keys are ignored. */
async function nextKey(ctx: ProcessContext): Promise<'page' | 'line' | 'quit' | 'file'> {
  for (;;) {
    const k = await readConsoleKey(ctx, { conin: true });
    if (typeof k !== 'string') return 'quit'; // end of input, or CTRL+C
    if (k === ' ') return 'page';
    if (k === '\r') return 'line';
    if (k === 'q' || k === 'Q') return 'quit';
    if (k === 'f' || k === 'F') return 'file';
  }
}
