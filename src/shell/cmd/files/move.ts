/**
 * MOVE — moves files and renames files and directories (Microsoft Learn
 * "move"): `move a b`, `move a dir`, `move *.txt dir`, `move dir newname`.
 * A wildcard move prints each source's full path; it ends with
 * `%9d file(s) moved.` (`dir(s) moved.` when a directory was moved).
 * Replacing a file asks `Overwrite NAME? (Yes/No/All): ` under the same
 * rules as copy (/y, /-y, COPYCMD, batch files). Across volumes a file is
 * copied then deleted (MoveFileEx MOVEFILE_COPY_ALLOWED); a directory
 * cannot move across volumes (ERROR_NOT_SAME_DEVICE, as MoveFile answers).
 */
import { ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND, ERROR_NOT_SAME_DEVICE, ERROR_PATH_NOT_FOUND, Win32Error } from '../../../core/win32.js';
import type { Builtin } from '../builtin.js';
import { parseArgs } from './args.js';
import { mayOverwrite, overwritePolicy } from './copy.js';
import { errLine, errorText, Lines } from './output.js';
import { expand, fsOf, isDirectory, joinPath, statOrUndefined, stripSeparator } from './paths.js';
import { copyFile } from './transfer.js';
import { hasWildcards } from './wildcard.js';

export const move: Builtin = async (bc, args) => {
  const { ctx } = bc;
  const fs = fsOf(ctx);
  const { switches, operands } = parseArgs(args);
  for (const s of switches) {
    if (!['y', '-y'].includes(s.toLowerCase())) {
      await errLine(bc, `Invalid switch - /${s}`);
      return 1;
    }
  }
  if (operands.length === 0 || operands.length > 2) {
    await errLine(bc, 'The syntax of the command is incorrect.');
    return 1;
  }
  const policy = overwritePolicy(bc, switches);
  const [src, dst = '.'] = operands as [string, string?];
  const lines = new Lines();
  let moved = 0;
  let movedDirs = 0;
  try {
    const full = fs.fullPath(src, ctx.cwd);
    const { dir, entries } = expand(fs, full, ctx.cwd);
    const wild = hasWildcards(src);
    const targets = wild ? entries.filter((e) => !isDirectory(e)) : entries;
    if (targets.length === 0) throw new Win32Error('MoveFile', ERROR_FILE_NOT_FOUND, full);
    const destFull = stripSeparator(fs.fullPath(dst, ctx.cwd));
    const dinfo = statOrUndefined(fs, destFull, ctx.cwd);
    const intoDir = dinfo !== undefined && isDirectory(dinfo);
    if (!intoDir && /[\\/]$/.test(dst)) throw new Win32Error('MoveFile', ERROR_PATH_NOT_FOUND, destFull);
    if (wild && !intoDir && targets.length > 1) {
      // Several files onto one name: Windows refuses (one file could not take them all).
      throw new Win32Error('MoveFile', ERROR_ACCESS_DENIED, destFull);
    }
    for (const e of targets) {
      if (bc.signal.aborted) break;
      const from = joinPath(dir, e.name);
      const to = intoDir ? joinPath(destFull, e.name) : destFull;
      if (wild) lines.push(from);
      const existing = from.toLowerCase() === to.toLowerCase() ? undefined : statOrUndefined(fs, to, ctx.cwd, { openReparsePoint: true });
      if (existing) {
        if (isDirectory(existing) || isDirectory(e)) {
          await lines.flushTo(bc.stdout);
          await errLine(bc, isDirectory(e) ? 'Access is denied.' : 'Cannot create a file when that file already exists.');
          continue;
        }
        await lines.flushTo(bc.stdout);
        if (!(await mayOverwrite(bc, policy, to))) continue;
      }
      try {
        try {
          fs.rename(from, to, ctx.cwd, existing !== undefined);
        } catch (err) {
          if (!(err instanceof Win32Error && err.code === ERROR_NOT_SAME_DEVICE) || isDirectory(e)) throw err;
          copyFile(fs, from, to, ctx.cwd);
          fs.deleteFile(from, ctx.cwd);
        }
        if (isDirectory(e)) movedDirs++;
        else moved++;
      } catch (err) {
        await lines.flushTo(bc.stdout);
        await errLine(bc, errorText(err));
      }
    }
  } catch (e) {
    await lines.flushTo(bc.stdout);
    await errLine(bc, errorText(e));
    return 1;
  }
  // DECIDED: one named file that could not move prints only its error (as a
  // missing source does); a wildcard move always ends with its count.
  if (!hasWildcards(src) && moved + movedDirs === 0) {
    await lines.flushTo(bc.stdout);
    return 1;
  }
  if (movedDirs > 0 && moved === 0) lines.push(`${String(movedDirs).padStart(9)} dir(s) moved.`);
  else lines.push(`${String(moved).padStart(9)} file(s) moved.`);
  await lines.flushTo(bc.stdout);
  return moved + movedDirs > 0 ? 0 : 1;
};
