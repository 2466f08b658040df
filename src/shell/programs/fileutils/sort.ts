/**
 * sort.exe — sorts lines of a file or standard input (Microsoft Learn
 * "sort"): /r reverses, /+n compares from column n, /o file writes there.
 * Comparison ignores case (sort.exe uses the locale's case-insensitive
 * collation; DECIDED: upper-cased ordinal comparison, ties in input order).
 * Output lines end with CRLF. /m, /l, /rec, /t, /uniq accepted: /uniq drops
 * repeated lines, the others change nothing here.
 * Exit code 0; a missing input `The system cannot find the file specified.` and 1.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { args, CRLF, errorText, fsOf, readText, splitLines, writeLine } from './common.js';
import { writeWhole } from '../../cmd/files/transfer.js';

export async function sortMain(ctx: ProcessContext): Promise<number> {
  let reverse = false;
  let column = 1;
  let unique = false;
  let input: string | undefined;
  let output: string | undefined;
  const a = args(ctx);
  for (let i = 0; i < a.length; i++) {
    const s = a[i]!;
    const l = s.toLowerCase();
    if (l === '/r' || l === '/reverse') reverse = true;
    else if (/^\/\+\d+$/.test(l)) column = Math.max(1, parseInt(l.slice(2), 10));
    else if (l === '/o' || l === '/output') output = a[++i];
    else if (l === '/uniq' || l === '/unique') unique = true;
    else if (l === '/m' || l === '/l' || l === '/rec' || l === '/t' || l === '/locale' || l === '/record_maximum' || l === '/temporary' || l === '/memory') i++;
    else if (l.startsWith('/')) {
      await writeLine(ctx.stderr, 'Invalid switch.');
      return 1;
    } else input = s;
  }
  let text: string;
  try {
    text = input !== undefined ? readText(fsOf(ctx), input, ctx.cwd) : await ctx.stdin.readText();
  } catch (e) {
    await writeLine(ctx.stderr, errorText(e));
    return 1;
  }
  const lines = splitLines(text).map((l, i) => ({ text: l.text, key: l.text.slice(column - 1).toUpperCase(), i }));
  lines.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.i - y.i) * (reverse && x.key !== y.key ? -1 : 1));
  let result = lines.map((l) => l.text);
  if (unique) result = result.filter((t, i) => i === 0 || t.toUpperCase() !== result[i - 1]!.toUpperCase());
  const body = result.map((t) => t + CRLF).join('');
  if (output !== undefined) {
    try {
      writeWhole(fsOf(ctx), output, ctx.cwd, new TextEncoder().encode(body));
    } catch (e) {
      await writeLine(ctx.stderr, errorText(e));
      return 1;
    }
    return 0;
  }
  await ctx.stdout.write(body);
  return 0;
}
