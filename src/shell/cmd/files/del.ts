/**
 * DEL / ERASE — deletes files (Microsoft Learn "del"):
 *  - /p asks per file (`C:\x\a.txt, Delete (Y/N)? `), /q never asks, /f
 *    deletes read-only files, /s searches subdirectories and prints
 *    `Deleted file - C:\x\a.txt` for each, /a[[:]attrs] selects by
 *    attribute (default: not hidden, not system — they are skipped).
 *  - A directory named deletes the files in it; `*`, `*.*` or a directory
 *    asks `C:\x\*, Are you sure (Y/N)? ` unless /q.
 *  - Nothing found: `Could Not Find C:\x\name`.
 *  - A read-only file without /f: its path, then `Access is denied.`
 * ERRORLEVEL: 1 for a syntax error only; otherwise left as it was (del
 * does not report failures through ERRORLEVEL — dbenham's table, Stack
 * Overflow "Which cmd.exe internal commands clear the ERRORLEVEL to 0 upon
 * success?").
 */
import type { FileInfo, FileSystemView } from '../../../kernel/fs/types.js';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NOT_CONTENT_INDEXED,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  FILE_ATTRIBUTE_SYSTEM,
} from '../../../kernel/fs/types.js';
import { ERROR_ACCESS_DENIED, Win32Error } from '../../../core/win32.js';
import type { Builtin, BuiltinContext } from '../builtin.js';
import { parseArgs } from './args.js';
import { ask, errLine, errorText, Lines } from './output.js';
import { fsOf, isDirectory, isJunction, isSymlink, joinPath, splitPath, statOrUndefined } from './paths.js';
import { hasWildcards, wildcardMatcher } from './wildcard.js';

const LETTERS: Record<string, number> = {
  r: FILE_ATTRIBUTE_READONLY,
  h: FILE_ATTRIBUTE_HIDDEN,
  s: FILE_ATTRIBUTE_SYSTEM,
  a: FILE_ATTRIBUTE_ARCHIVE,
  i: FILE_ATTRIBUTE_NOT_CONTENT_INDEXED,
  l: FILE_ATTRIBUTE_REPARSE_POINT,
};

interface DelOptions {
  prompt: boolean;
  force: boolean;
  recurse: boolean;
  quiet: boolean;
  all: boolean;
  must: number;
  mustNot: number;
}

function selected(o: DelOptions, e: FileInfo): boolean {
  if (isDirectory(e)) return false;
  if (!o.all) return (e.attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM)) === 0;
  return (e.attributes & o.must) === o.must && (e.attributes & o.mustNot) === 0;
}

export const del: Builtin = async (bc, args) => {
  const { ctx } = bc;
  const fs = fsOf(ctx);
  const { switches, operands } = parseArgs(args);
  const o: DelOptions = { prompt: false, force: false, recurse: false, quiet: false, all: false, must: 0, mustNot: 0 };
  for (const sw of switches) {
    const s = sw.toLowerCase();
    const head = s.charAt(0);
    if (s === 'p') o.prompt = true;
    else if (s === 'f') o.force = true;
    else if (s === 's') o.recurse = true;
    else if (s === 'q') o.quiet = true;
    else if (head === 'a') {
      o.all = true;
      const rest = s.slice(1).replace(/^:/, '');
      for (let i = 0; i < rest.length; i++) {
        let not = false;
        if (rest[i] === '-') {
          not = true;
          i++;
        }
        const bit = LETTERS[rest[i] ?? ''];
        if (bit === undefined) {
          await errLine(bc, `Parameter format not correct - "${rest.slice(i)}".`);
          return 1;
        }
        if (not) o.mustNot |= bit;
        else o.must |= bit;
      }
    } else {
      await errLine(bc, `Invalid switch - /${sw}`);
      return 1;
    }
  }
  if (operands.length === 0) {
    await errLine(bc, 'The syntax of the command is incorrect.');
    return 1;
  }
  const out = new Lines();
  for (const spec of operands) {
    if (bc.signal.aborted) break;
    let full: string;
    try {
      full = fs.fullPath(spec, ctx.cwd);
    } catch (e) {
      await errLine(bc, errorText(e));
      continue;
    }
    let { dir, name: pattern } = splitPath(full);
    const named = hasWildcards(pattern) ? undefined : statOrUndefined(fs, full, ctx.cwd);
    if (named && isDirectory(named) && !isJunction(named) && !isSymlink(named)) {
      dir = full;
      pattern = '*';
    }
    if (pattern === '') pattern = '*';
    if (!o.quiet && !o.prompt && (pattern === '*' || pattern === '*.*' || /^\*\.\*?$/.test(pattern))) {
      const answer = await ask(bc, `${joinPath(dir, pattern)}, Are you sure (Y/N)? `, 'YN');
      if (answer !== 'Y') continue;
    }
    const found = await deleteIn(bc, fs, dir, pattern, o, out);
    await out.flushTo(bc.stdout);
    if (!found) await errLine(bc, `Could Not Find ${joinPath(dir, pattern)}`);
  }
  await out.flushTo(bc.stdout);
  return undefined;
};

/** Deletes the matches in `dir` (and below it with /s); true if any file matched. */
async function deleteIn(bc: BuiltinContext, fs: FileSystemView, dir: string, pattern: string, o: DelOptions, out: Lines): Promise<boolean> {
  const { ctx } = bc;
  const match = wildcardMatcher(pattern);
  let entries: FileInfo[];
  try {
    entries = fs.list(dir, ctx.cwd);
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    await out.flushTo(bc.stdout);
    // A missing directory on the way: FindFirstFile's ERROR_PATH_NOT_FOUND
    // (the view answers ERROR_FILE_NOT_FOUND when only the last folder is missing).
    await errLine(bc, e.code === 2 ? 'The system cannot find the path specified.' : errorText(e));
    return true;
  }
  let found = false;
  for (const e of entries) {
    if (bc.signal.aborted) return true;
    if (!match(e.name) || !selected(o, e)) continue;
    found = true;
    const path = joinPath(dir, e.name);
    if (o.prompt) {
      await out.flushTo(bc.stdout);
      const a = await ask(bc, `${path}, Delete (Y/N)? `, 'YN');
      if (a !== 'Y') continue;
    }
    try {
      if (e.attributes & FILE_ATTRIBUTE_READONLY) {
        if (!o.force) throw new Win32Error('DeleteFile', ERROR_ACCESS_DENIED, path);
        fs.setAttributes(path, ctx.cwd, e.attributes & ~FILE_ATTRIBUTE_READONLY);
      }
      fs.deleteFile(path, ctx.cwd);
      if (o.recurse) out.push(`Deleted file - ${path}`);
    } catch (err) {
      await out.flushTo(bc.stdout);
      await errLine(bc, `${path}\r\n${errorText(err)}`);
    }
  }
  if (o.recurse) {
    for (const e of entries) {
      if (!isDirectory(e) || isJunction(e) || isSymlink(e)) continue;
      if (await deleteIn(bc, fs, joinPath(dir, e.name), pattern, o, out)) found = true;
    }
  }
  return found;
}
