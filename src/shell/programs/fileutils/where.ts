/**
 * where.exe — finds files by name along a search path (Microsoft Learn
 * "where"):
 *   WHERE [/R dir] [/Q] [/F] [/T] pattern...
 *  - Without /R each pattern is searched in the current directory, then in
 *    each PATH directory; `$VAR:pattern` or `path1;path2:pattern` search
 *    there instead. With /R the tree under dir is searched.
 *  - A pattern without an extension also matches the pattern followed by
 *    each PATHEXT extension (what `where cmd` finds is cmd.exe); wildcards work.
 *  - Paths print as the directory is spelled in PATH plus the name as stored.
 *  - /Q prints nothing; /F quotes; /T adds size, date and time.
 *  - Nothing found: `INFO: Could not find files for the given pattern(s).`
 *    on standard error and exit 1; exit 0 when every pattern matched, 2 on
 *    an error (`ERROR: Invalid argument or option - 'x'.`).
 */
import type { FileSystemView } from '../../../kernel/fs/types.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import { args, fsOf, isDirectory, isJunction, isSymlink, joinPath, wildcardMatcher, writeLine } from './common.js';

export async function whereMain(ctx: ProcessContext): Promise<number> {
  let recurseRoot: string | undefined;
  let quiet = false;
  let quote = false;
  let times = false;
  const patterns: string[] = [];
  const a = args(ctx);
  for (let i = 0; i < a.length; i++) {
    const s = a[i]!;
    const l = s.toLowerCase();
    if (l === '/r') {
      recurseRoot = a[++i];
      if (recurseRoot === undefined) {
        await writeLine(ctx.stderr, "ERROR: Missing argument/option for '/r'.");
        await writeLine(ctx.stderr, 'Type "WHERE /?" for usage.');
        return 2;
      }
    } else if (l === '/q') quiet = true;
    else if (l === '/f') quote = true;
    else if (l === '/t') times = true;
    else if (l.startsWith('/') && l.length > 1) {
      await writeLine(ctx.stderr, `ERROR: Invalid argument or option - '${s}'.`);
      await writeLine(ctx.stderr, 'Type "WHERE /?" for usage.');
      return 2;
    } else patterns.push(s);
  }
  if (patterns.length === 0) {
    await writeLine(ctx.stderr, 'ERROR: A search pattern must be specified.');
    await writeLine(ctx.stderr, 'Type "WHERE /?" for usage.');
    return 2;
  }
  const fs = fsOf(ctx);
  const exts = (ctx.env.get('PATHEXT') ?? '.COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC').split(';').filter((e) => e);
  const out: string[] = [];
  let missing = false;
  for (const p of patterns) {
    let dirs: string[];
    let pattern = p;
    const colon = p.lastIndexOf(':');
    if (recurseRoot === undefined && colon > 1) {
      pattern = p.slice(colon + 1);
      const where = p.slice(0, colon);
      dirs = (where.startsWith('$') ? (ctx.env.get(where.slice(1)) ?? '') : where).split(';');
    } else {
      dirs = [ctx.cwd, ...(ctx.env.get('PATH') ?? '').split(';')];
    }
    const names = pattern.includes('.') ? [pattern] : [pattern, ...exts.map((e) => pattern + e)];
    const matchers = names.map((n) => wildcardMatcher(n));
    const hits: string[] = [];
    const seen = new Set<string>();
    const searchDir = (d: string, recurse: boolean) => {
      let entries;
      try {
        entries = fs.list(d, ctx.cwd);
      } catch {
        return;
      }
      for (const m of matchers) {
        for (const e of entries) {
          if (isDirectory(e) || !m(e.name)) continue;
          const full = joinPath(d, e.name);
          if (seen.has(full.toLowerCase())) continue;
          seen.add(full.toLowerCase());
          hits.push(line(fs, ctx.cwd, full, quote, times));
        }
      }
      // Links are not followed: a junction back up the tree (a profile's
      // `Application Data`) would recurse without end.
      if (recurse) for (const e of entries) if (isDirectory(e) && !isJunction(e) && !isSymlink(e)) searchDir(joinPath(d, e.name), true);
    };
    if (recurseRoot !== undefined) searchDir(fs.fullPath(recurseRoot, ctx.cwd), true);
    else for (const d of dirs) if (d.trim()) searchDir(storedCase(fs, ctx.cwd, fs.fullPath(d.trim(), ctx.cwd).replace(/(?<=[^:\\])\\$/, '')), false);
    if (hits.length === 0) missing = true;
    out.push(...hits);
  }
  if (!quiet && out.length > 0) await ctx.stdout.write(out.map((l) => `${l}\r\n`).join(''));
  if (missing) {
    if (!quiet) await writeLine(ctx.stderr, 'INFO: Could not find files for the given pattern(s).');
    return 1;
  }
  return 0;
}

function line(fs: FileSystemView, cwd: string, full: string, quote: boolean, times: boolean): string {
  const shown = quote ? `"${full}"` : full;
  if (!times) return shown;
  const info = fs.stat(full, cwd);
  // DECIDED (remembered output; no documentation of the layout): size in 10
  // columns, then the short date and long time without leading zeros.
  const d = new Date(info.lastWriteTime);
  const h = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  const date = `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
  const time = `${h}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
  return `${String(info.size).padStart(10)}   ${date.padStart(10)}  ${time.padStart(11)}  ${shown}`;
}

/**
 * A directory path with each component spelled as stored (`C:\Windows\system32`
 * in PATH prints as `C:\Windows\System32\…`: where.exe reports the names
 * FindFirstFile returns). DECIDED from captures showing System32's stored case.
 */
function storedCase(fs: FileSystemView, cwd: string, full: string): string {
  const parts = full.split('\\');
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i++) {
    const next = `${out}\\${parts[i]}`;
    try {
      const info = fs.stat(next, cwd);
      out = `${out}\\${info.name || parts[i]}`;
    } catch {
      out = next;
    }
  }
  return out;
}
