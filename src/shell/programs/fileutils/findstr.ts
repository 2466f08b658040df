/**
 * findstr.exe — searches for strings or regular expressions (Microsoft
 * Learn "findstr"; behaviour details from dbenham's "What are the
 * undocumented features and limitations of the Windows FINDSTR command?"):
 *  - Switches take `/` or `-`, may be grouped (`/in`), case-insensitive:
 *    /b /e /l /r /s /i /x /v /n /m /o /p /c:string /g:file /f:file /d:dirs
 *    (/a:color accepted and ignored).
 *  - Without /c: the first non-switch argument holds the search strings,
 *    separated by spaces (any one may match). /c:"a b" is one string.
 *  - Without /l or /r, strings are regular expressions, /c: strings literal
 *    (DECIDED: dbenham shows /c: following the mode of the other strings in
 *    some cases; literal is what most scripts expect).
 *  - The regex subset: `.` `*` `^` `$` `[class]` `[^class]` `[a-z]`
 *    `\x` (escape) `\<` `\>` (word edges); nothing else is special.
 *  - Output: `file:` before each line when several files, a wildcard or /s
 *    are searched; `n:` with /n; `offset:` with /o; /m prints file names only.
 *    Lines keep their own line ends (a last line without one is printed
 *    without one, as findstr does).
 *  - `FINDSTR: Cannot open NAME` for a missing file; `FINDSTR: Bad command
 *    line` for no strings; `FINDSTR: /x ignored` is not printed (DECIDED).
 * Exit code: 0 a match, 1 none, 2 bad command line.
 */
import type { FileSystemView } from '../../../kernel/fs/types.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import { args, expand, fsOf, hasWildcards, isDirectory, joinPath, readRawText, readText, splitLines, splitPath, isJunction, isSymlink, wildcardMatcher, writeLine } from './common.js';

/** Translates findstr's regex subset to a JavaScript RegExp source. */
export function findstrRegex(pattern: string): string {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    switch (c) {
      case '.':
        re += '.';
        break;
      case '*':
        re += re === '' ? '\\*' : '*';
        break;
      case '^':
        re += i === 0 ? '^' : '\\^';
        break;
      case '$':
        re += i === pattern.length - 1 ? '$' : '\\$';
        break;
      case '[': {
        const close = pattern.indexOf(']', i + 2);
        if (close < 0) {
          re += '\\[';
          break;
        }
        const body = pattern.slice(i + 1, close);
        const neg = body.startsWith('^');
        const inner = (neg ? body.slice(1) : body).replace(/[\\\]]/g, (m) => `\\${m}`);
        re += `[${neg ? '^' : ''}${inner}]`;
        i = close;
        break;
      }
      case '\\': {
        const n = pattern[i + 1];
        if (n === '<') re += '(?<![A-Za-z0-9_])';
        else if (n === '>') re += '(?![A-Za-z0-9_])';
        else if (n !== undefined) re += n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        else re += '\\\\';
        i++;
        break;
      }
      default:
        re += c.replace(/[+?{}()|/]/g, '\\$&');
    }
  }
  return re;
}

interface Options {
  begin: boolean;
  end: boolean;
  literal: boolean | undefined;
  recurse: boolean;
  ignoreCase: boolean;
  exact: boolean;
  invert: boolean;
  numbers: boolean;
  namesOnly: boolean;
  offsets: boolean;
  strings: { text: string; literal: boolean | undefined }[];
  fileListFile: string | undefined;
  stringsFile: string | undefined;
  dirs: string[] | undefined;
}

export async function findstrMain(ctx: ProcessContext): Promise<number> {
  const o: Options = {
    begin: false,
    end: false,
    literal: undefined,
    recurse: false,
    ignoreCase: false,
    exact: false,
    invert: false,
    numbers: false,
    namesOnly: false,
    offsets: false,
    strings: [],
    fileListFile: undefined,
    stringsFile: undefined,
    dirs: undefined,
  };
  const operands: string[] = [];
  for (const a of args(ctx)) {
    if ((a.startsWith('/') || a.startsWith('-')) && a.length > 1 && operands.length === 0) {
      const body = a.slice(1);
      const m = /^([cgfda]):(.*)$/is.exec(body);
      if (m) {
        const k = m[1]!.toLowerCase();
        if (k === 'c') o.strings.push({ text: m[2]!, literal: true });
        else if (k === 'g') o.stringsFile = m[2]!;
        else if (k === 'f') o.fileListFile = m[2]!;
        else if (k === 'd') o.dirs = m[2]!.split(';').filter((d) => d);
        continue;
      }
      for (const ch of body.toLowerCase()) {
        switch (ch) {
          case 'b': o.begin = true; break;
          case 'e': o.end = true; break;
          case 'l': o.literal = true; break;
          case 'r': o.literal = false; break;
          case 's': o.recurse = true; break;
          case 'i': o.ignoreCase = true; break;
          case 'x': o.exact = true; break;
          case 'v': o.invert = true; break;
          case 'n': o.numbers = true; break;
          case 'm': o.namesOnly = true; break;
          case 'o': o.offsets = true; break;
          case 'p': break;
          default:
            await writeLine(ctx.stderr, `FINDSTR: Bad command line`);
            return 2;
        }
      }
      continue;
    }
    operands.push(a);
  }
  const fs = ctx.fs ? fsOf(ctx) : undefined;
  if (o.strings.length === 0 && o.stringsFile === undefined) {
    const first = operands.shift();
    if (first === undefined) {
      await writeLine(ctx.stderr, 'FINDSTR: Bad command line');
      return 2;
    }
    for (const s of first.split(' ').filter((s) => s !== '')) o.strings.push({ text: s, literal: undefined });
  }
  if (o.stringsFile !== undefined && fs) {
    try {
      for (const l of splitLines(readText(fs, o.stringsFile, ctx.cwd))) if (l.text) o.strings.push({ text: l.text, literal: undefined });
    } catch {
      await writeLine(ctx.stderr, `FINDSTR: Cannot open ${o.stringsFile}`);
      return 2;
    }
  }
  if (o.strings.length === 0) {
    await writeLine(ctx.stderr, 'FINDSTR: Bad command line');
    return 2;
  }
  const flags = o.ignoreCase ? 'i' : '';
  const matchers = o.strings.map(({ text, literal }) => {
    const lit = literal ?? o.literal ?? false;
    let src = lit ? text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : findstrRegex(text);
    if (o.exact) src = `^(?:${src})$`;
    else {
      if (o.begin) src = `^(?:${src})`;
      if (o.end) src = `(?:${src})$`;
    }
    return new RegExp(src, flags);
  });
  const matches = (line: string) => matchers.some((m) => m.test(line)) !== o.invert;

  let found = false;
  const scan = async (text: string, name: string | undefined): Promise<void> => {
    const out: string[] = [];
    let offset = 0;
    let n = 0;
    for (const line of splitLines(text)) {
      n++;
      const at = offset;
      offset += line.text.length + line.end.length;
      if (!matches(line.text)) continue;
      found = true;
      if (o.namesOnly) {
        out.push(`${name ?? ''}\r\n`);
        break;
      }
      out.push(`${name !== undefined ? `${name}:` : ''}${o.numbers ? `${n}:` : ''}${o.offsets ? `${at}:` : ''}${line.text}${line.end}`);
    }
    if (out.length > 0) await ctx.stdout.write(out.join(''));
  };

  if (o.fileListFile !== undefined && fs) {
    try {
      for (const l of splitLines(readText(fs, o.fileListFile, ctx.cwd))) if (l.text) operands.push(l.text);
    } catch {
      await writeLine(ctx.stderr, `FINDSTR: Cannot open ${o.fileListFile}`);
      return 2;
    }
  }
  if (operands.length === 0) {
    await scan(await ctx.stdin.readText(), o.namesOnly ? '(standard input)' : undefined);
    return found ? 0 : 1;
  }
  if (!fs) return 1;
  const showNames = o.namesOnly || o.recurse || operands.length > 1 || operands.some(hasWildcards);
  const roots = o.dirs ?? [''];
  for (const root of roots) {
    for (const spec of operands) {
      const shownSpec = root ? joinPath(root, spec) : spec;
      const files = collect(fs, ctx.cwd, shownSpec, o.recurse);
      if (files === undefined) {
        await writeLine(ctx.stderr, `FINDSTR: Cannot open ${shownSpec}`);
        continue;
      }
      for (const f of files) {
        let text: string;
        try {
          text = readRawText(fs, f.full, ctx.cwd);
        } catch {
          await writeLine(ctx.stderr, `FINDSTR: Cannot open ${f.shown}`);
          continue;
        }
        await scan(text, showNames ? f.shown : undefined);
      }
    }
  }
  return found ? 0 : 1;
}

/** The files a spec names (with /s: in every subdirectory too), as findstr shows them: relative to the spec's own directory. */
function collect(fs: FileSystemView, cwd: string, spec: string, recurse: boolean): { full: string; shown: string }[] | undefined {
  const full = fs.fullPath(spec, cwd);
  const prefix = spec.slice(0, Math.max(spec.lastIndexOf('\\'), spec.lastIndexOf('/')) + 1);
  if (!recurse) {
    try {
      const { dir, entries } = expand(fs, full, cwd);
      const files = entries.filter((e) => !isDirectory(e));
      if (files.length === 0) return undefined;
      return files.map((e) => ({ full: joinPath(dir, e.name), shown: hasWildcards(spec) ? prefix + e.name : spec }));
    } catch {
      return undefined;
    }
  }
  const { dir, name } = splitPath(full);
  const match = wildcardMatcher(name);
  const out: { full: string; shown: string }[] = [];
  const walk = (d: string, rel: string) => {
    let entries;
    try {
      entries = fs.list(d, cwd);
    } catch {
      return;
    }
    for (const e of entries) if (!isDirectory(e) && match(e.name)) out.push({ full: joinPath(d, e.name), shown: prefix + rel + e.name });
    for (const e of entries) if (isDirectory(e) && !isJunction(e) && !isSymlink(e)) walk(joinPath(d, e.name), `${rel}${e.name}\\`);
  };
  walk(dir, '');
  return out.length > 0 ? out : undefined;
}
