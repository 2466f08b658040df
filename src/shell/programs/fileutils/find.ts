/**
 * find.exe — searches for a string in files or standard input (Microsoft
 * Learn "find"):
 *   FIND [/V] [/C] [/N] [/I] [/OFF[LINE]] "string" [[drive:][path]filename[ ...]]
 *  - The string must be in double quotes (`""` inside is a quote); else
 *    `FIND: Parameter format not correct`.
 *  - For each file: a blank line and `---------- NAME` (the name as typed,
 *    upper-cased), then the lines; /c puts `: count` on that line instead.
 *    From standard input: just the lines (/c: just the count).
 *  - /n prefixes `[n]`, /v selects lines without the string, /i ignores case.
 *  - A missing file: `File not found - NAME` (upper-cased).
 * Exit code: 0 when a line was found (selected), 1 when none, 2 for a
 * syntax error (DECIDED from the documented "find returns 0/1/2" meanings).
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { CRLF, errorText, expand, fsOf, hasWildcards, isDirectory, joinPath, rawArgs, readText, splitLines, typedPath, writeLine } from './common.js';

interface Token {
  text: string;
  quoted: boolean;
}

function tokens(raw: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < raw.length) {
    while (i < raw.length && (raw[i] === ' ' || raw[i] === '\t')) i++;
    if (i >= raw.length) break;
    let text = '';
    let quoted = false;
    while (i < raw.length && raw[i] !== ' ' && raw[i] !== '\t') {
      if (raw[i] === '"') {
        quoted = true;
        i++;
        for (;;) {
          if (i >= raw.length) break;
          if (raw[i] === '"') {
            if (raw[i + 1] === '"') {
              text += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          text += raw[i++];
        }
        continue;
      }
      text += raw[i++];
    }
    out.push({ text, quoted });
  }
  return out;
}

export async function findMain(ctx: ProcessContext): Promise<number> {
  let invert = false;
  let countOnly = false;
  let numbers = false;
  let ignoreCase = false;
  let needle: string | undefined;
  const files: string[] = [];
  for (const t of tokens(rawArgs(ctx))) {
    if (!t.quoted && t.text.startsWith('/')) {
      const s = t.text.slice(1).toLowerCase();
      if (s === 'v') invert = true;
      else if (s === 'c') countOnly = true;
      else if (s === 'n') numbers = true;
      else if (s === 'i') ignoreCase = true;
      else if (s === 'off' || s === 'offline') continue;
      else {
        await writeLine(ctx.stderr, `FIND: Invalid switch`);
        return 2;
      }
      continue;
    }
    if (needle === undefined) {
      if (!t.quoted) {
        await writeLine(ctx.stderr, 'FIND: Parameter format not correct');
        return 2;
      }
      needle = t.text;
    } else files.push(t.text);
  }
  if (needle === undefined) {
    await writeLine(ctx.stderr, 'FIND: Parameter format not correct');
    return 2;
  }
  const want = ignoreCase ? needle.toUpperCase() : needle;
  // An empty string is found in no line, so `find /c /v ""` counts every line (the well-known line-count idiom).
  const select = (line: string) => (want !== '' && (ignoreCase ? line.toUpperCase() : line).includes(want)) !== invert;
  let found = false;

  const scan = async (text: string, header: string | undefined) => {
    let n = 0;
    let count = 0;
    const out: string[] = [];
    if (header !== undefined && !countOnly) out.push(`${CRLF}---------- ${header}${CRLF}`);
    for (const line of splitLines(text)) {
      n++;
      if (!select(line.text)) continue;
      count++;
      if (!countOnly) out.push(`${numbers ? `[${n}]` : ''}${line.text}${CRLF}`);
    }
    if (countOnly) out.push(header !== undefined ? `${CRLF}---------- ${header}: ${count}${CRLF}` : `${count}${CRLF}`);
    if (count > 0) found = true;
    await ctx.stdout.write(out.join(''));
  };

  if (files.length === 0) {
    await scan(await ctx.stdin.readText(), undefined);
    return found ? 0 : 1;
  }
  const fs = fsOf(ctx);
  for (const spec of files) {
    try {
      const full = fs.fullPath(spec, ctx.cwd);
      const { dir, entries } = expand(fs, full, ctx.cwd);
      const targets = entries.filter((e) => !isDirectory(e));
      if (targets.length === 0) {
        await writeLine(ctx.stderr, `File not found - ${spec.toUpperCase()}`);
        continue;
      }
      for (const e of targets) {
        const shown = hasWildcards(spec) ? typedPath(spec, e.name) : spec;
        await scan(readText(fs, joinPath(dir, e.name), ctx.cwd), shown.toUpperCase());
      }
    } catch (e) {
      await writeLine(ctx.stderr, errorText(e));
    }
  }
  return found ? 0 : 1;
}
