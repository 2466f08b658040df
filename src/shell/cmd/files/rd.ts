/**
 * RD / RMDIR — removes directories (Microsoft Learn "rmdir"):
 *  - without /s the directory must be empty (`The directory is not empty.`);
 *  - /s removes the whole tree (read-only files too; links are removed, not
 *    followed) and asks `NAME, Are you sure (Y/N)? ` (NAME as typed) unless /q;
 *  - a file is `The directory name is invalid.`, a missing name `The
 *    system cannot find the file specified.`
 *  - the current directory (or one holding it) cannot be removed: its
 *    contents go, then `The process cannot access the file because it is
 *    being used by another process.` (the process's handle on its current
 *    directory has no FILE_SHARE_DELETE — SetCurrentDirectory's open).
 * ERRORLEVEL: 1 on failure; success leaves it as it was (dbenham's table).
 */
import type { FileSystemView } from '../../../kernel/fs/types.js';
import { FILE_ATTRIBUTE_READONLY } from '../../../kernel/fs/types.js';
import { ERROR_DIRECTORY, ERROR_SHARING_VIOLATION, Win32Error } from '../../../core/win32.js';
import type { Builtin, BuiltinContext } from '../builtin.js';
import { parseArgs } from './args.js';
import { ask, errLine, errorText } from './output.js';
import { fsOf, isDirectory, isJunction, isSymlink, joinPath } from './paths.js';

export const rd: Builtin = async (bc, args) => {
  const { ctx } = bc;
  const fs = fsOf(ctx);
  const { switches, operands } = parseArgs(args);
  let tree = false;
  let quiet = false;
  for (const s of switches) {
    const l = s.toLowerCase();
    if (l === 's') tree = true;
    else if (l === 'q') quiet = true;
    else {
      await errLine(bc, `Invalid switch - /${s}`);
      return 1;
    }
  }
  if (operands.length === 0) {
    await errLine(bc, 'The syntax of the command is incorrect.');
    return 1;
  }
  let failed = false;
  for (const spec of operands) {
    if (bc.signal.aborted) break;
    try {
      const full = fs.fullPath(spec, ctx.cwd).replace(/(?<=[^:\\])\\+$/, '');
      const info = fs.stat(full, ctx.cwd, { openReparsePoint: true });
      if (!isDirectory(info)) throw new Win32Error('RemoveDirectory', ERROR_DIRECTORY, full);
      if (tree && !quiet) {
        const a = await ask(bc, `${spec}, Are you sure (Y/N)? `, 'YN');
        if (a !== 'Y') continue;
      }
      const cwd = ctx.cwd.toLowerCase().replace(/\\$/, '');
      const target = full.toLowerCase().replace(/\\$/, '');
      const holdsCwd = cwd === target || cwd.startsWith(`${target}\\`);
      if (tree && !isJunction(info) && !isSymlink(info)) await removeContents(bc, fs, full);
      if (holdsCwd) throw new Win32Error('RemoveDirectory', ERROR_SHARING_VIOLATION, full);
      fs.removeDirectory(full, ctx.cwd);
    } catch (e) {
      failed = true;
      await errLine(bc, errorText(e));
    }
  }
  return failed ? 1 : undefined;
};

/** Removes everything below `dir`; a failure is printed and the walk goes on (as rd /s does). */
async function removeContents(bc: BuiltinContext, fs: FileSystemView, dir: string): Promise<void> {
  const { ctx } = bc;
  const cwd = ctx.cwd.toLowerCase();
  for (const e of fs.list(dir, ctx.cwd)) {
    if (bc.signal.aborted) return;
    const path = joinPath(dir, e.name);
    try {
      if (isDirectory(e)) {
        if (!isJunction(e) && !isSymlink(e)) await removeContents(bc, fs, path);
        if (cwd === path.toLowerCase() || cwd.startsWith(`${path.toLowerCase()}\\`)) throw new Win32Error('RemoveDirectory', ERROR_SHARING_VIOLATION, path);
        fs.removeDirectory(path, ctx.cwd);
      } else {
        if (e.attributes & FILE_ATTRIBUTE_READONLY) fs.setAttributes(path, ctx.cwd, e.attributes & ~FILE_ATTRIBUTE_READONLY);
        fs.deleteFile(path, ctx.cwd);
      }
    } catch (err) {
      // DECIDED (remembered captures, no documentation): a failure inside the
      // tree names what failed, `PATH - message`; the named directory's own
      // failure is the bare message.
      await errLine(bc, `${path} - ${errorText(err)}`);
    }
  }
}
