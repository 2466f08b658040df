/**
 * attrib.exe — shows or changes file attributes (Microsoft Learn "attrib"):
 *   ATTRIB [+R|-R] [+A|-A] [+S|-S] [+H|-H] [+I|-I] [path] [/S [/D]] [/L]
 *  - Shows one line per file: a 15-column flag field, then the full path.
 *    Column 0 `A`, 5 `S`, 6 `H`, 7 `R`, 8 `O`, 9 `I` (the Windows Server
 *    2022 layout `A    SHR       C:\path`; DECIDED: the columns past R —
 *    offline, not indexed — by the order `attrib /?` lists them).
 *  - Without a path: every file of the current directory. A directory is
 *    shown or changed when named without wildcards, or with /d.
 *  - /s: matching files in every subdirectory too.
 *  - Changing a hidden (system) file without saying +h/-h (+s/-s) is
 *    refused: `Not resetting hidden file - PATH` (`system file`).
 *  - Nothing matched: `File not found - PATH` (full path).
 * Exit code 0, or 1 when nothing matched (DECIDED).
 */
import type { FileInfo, FileSystemView } from '../../../kernel/fs/types.js';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NOT_CONTENT_INDEXED,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_SYSTEM,
} from '../../../kernel/fs/types.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import { args, errorText, fsOf, hasWildcards, isDirectory, joinPath, splitPath, isJunction, isSymlink, wildcardMatcher, writeLine } from './common.js';

const FILE_ATTRIBUTE_OFFLINE = 0x1000;

const LETTERS: Record<string, number> = {
  r: FILE_ATTRIBUTE_READONLY,
  a: FILE_ATTRIBUTE_ARCHIVE,
  s: FILE_ATTRIBUTE_SYSTEM,
  h: FILE_ATTRIBUTE_HIDDEN,
  i: FILE_ATTRIBUTE_NOT_CONTENT_INDEXED,
  o: FILE_ATTRIBUTE_OFFLINE,
};

/** The 15-column flag field. */
export function attribFlags(attributes: number): string {
  const cols = Array<string>(15).fill(' ');
  if (attributes & FILE_ATTRIBUTE_ARCHIVE) cols[0] = 'A';
  if (attributes & FILE_ATTRIBUTE_SYSTEM) cols[5] = 'S';
  if (attributes & FILE_ATTRIBUTE_HIDDEN) cols[6] = 'H';
  if (attributes & FILE_ATTRIBUTE_READONLY) cols[7] = 'R';
  if (attributes & FILE_ATTRIBUTE_OFFLINE) cols[8] = 'O';
  if (attributes & FILE_ATTRIBUTE_NOT_CONTENT_INDEXED) cols[9] = 'I';
  return cols.join('');
}

export async function attribMain(ctx: ProcessContext): Promise<number> {
  let set = 0;
  let clear = 0;
  let recurse = false;
  let dirs = false;
  const specs: string[] = [];
  for (const a of args(ctx)) {
    const l = a.toLowerCase();
    if ((l.startsWith('+') || l.startsWith('-')) && l.length === 2 && LETTERS[l[1]!] !== undefined) {
      if (l[0] === '+') set |= LETTERS[l[1]!]!;
      else clear |= LETTERS[l[1]!]!;
    } else if (l === '/s') recurse = true;
    else if (l === '/d') dirs = true;
    else if (l === '/l') continue;
    else if (l.startsWith('/') || l.startsWith('+') || l.startsWith('-')) {
      await writeLine(ctx.stderr, `Parameter format not correct - ${a}`);
      return 1;
    } else specs.push(a);
  }
  const fs = fsOf(ctx);
  if (specs.length === 0) specs.push('*');
  const out: string[] = [];
  let missing = false;
  for (const spec of specs) {
    let full: string;
    try {
      full = fs.fullPath(spec, ctx.cwd);
    } catch (e) {
      await writeLine(ctx.stderr, errorText(e));
      missing = true;
      continue;
    }
    const { dir, name } = splitPath(full);
    const explicitDir = !hasWildcards(name);
    const found = collect(fs, ctx.cwd, dir, name, recurse, dirs || explicitDir);
    if (found.length === 0) {
      await writeLine(ctx.stderr, `File not found - ${full}`);
      missing = true;
      continue;
    }
    for (const { path, info } of found) {
      if (set === 0 && clear === 0) {
        out.push(`${attribFlags(info.attributes)}${path}\r\n`);
        continue;
      }
      const mentions = set | clear;
      if (info.attributes & FILE_ATTRIBUTE_HIDDEN && !(mentions & FILE_ATTRIBUTE_HIDDEN)) {
        out.push(`Not resetting hidden file - ${path}\r\n`);
        continue;
      }
      if (info.attributes & FILE_ATTRIBUTE_SYSTEM && !(mentions & FILE_ATTRIBUTE_SYSTEM)) {
        out.push(`Not resetting system file - ${path}\r\n`);
        continue;
      }
      try {
        fs.setAttributes(path, ctx.cwd, (info.attributes & ~clear) | set);
      } catch (e) {
        out.push(`${errorText(e)} - ${path}\r\n`);
      }
    }
  }
  if (out.length > 0) await ctx.stdout.write(out.join(''));
  return missing ? 1 : 0;
}

function collect(fs: FileSystemView, cwd: string, dir: string, pattern: string, recurse: boolean, withDirs: boolean): { path: string; info: FileInfo }[] {
  const match = wildcardMatcher(pattern);
  const out: { path: string; info: FileInfo }[] = [];
  const walk = (d: string) => {
    let entries: FileInfo[];
    try {
      entries = fs.list(d, cwd);
    } catch {
      return;
    }
    for (const e of entries) if (match(e.name) && (withDirs || !isDirectory(e))) out.push({ path: joinPath(d, e.name), info: e });
    if (recurse) for (const e of entries) if (isDirectory(e) && !isJunction(e) && !isSymlink(e)) walk(joinPath(d, e.name));
  };
  walk(dir);
  return out;
}
