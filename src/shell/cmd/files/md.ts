/**
 * MD / MKDIR — creates directories (Microsoft Learn "mkdir"). With command
 * extensions on (the default) the folders on the way are created too
 * (`md a\b\c`); off, a missing parent is ERROR_PATH_NOT_FOUND. Each operand
 * is one directory; an existing one prints `A subdirectory or file NAME
 * already exists.` (NAME as typed) and processing goes on with the next.
 * ERRORLEVEL 0, or 1 if any operand failed.
 *
 * A DOS device operand (`md nul`, `md C:\x\con`): Win32 turns the whole
 * path into the device (`\\.\NUL`), so nothing on the way is created;
 * CreateDirectory on NUL succeeds and creates nothing, on the other
 * devices it fails with "The directory name is invalid." (golang/go#24556
 * records both from cmd on Windows 10: `md NUL` and
 * `md intermediate\paths\NUL` create nothing and report nothing, `mkdir
 * aux` / `mkdir con` print "The directory name is invalid.").
 */
import { consoleName, dosDeviceName } from '../../../kernel/fs/names.js';
import { ERROR_ALREADY_EXISTS, ERROR_DIRECTORY, ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, Win32Error } from '../../../core/win32.js';
import type { Builtin } from '../builtin.js';
import { parseArgs } from './args.js';
import { errLine, errorText } from './output.js';
import { fsOf, isRoot, splitPath, stripSeparator } from './paths.js';

export const md: Builtin = async (bc, args) => {
  const { ctx } = bc;
  const fs = fsOf(ctx);
  const { switches, operands } = parseArgs(args);
  if (switches.length > 0) {
    await errLine(bc, `Invalid switch - /${switches[0]}`);
    return 1;
  }
  if (operands.length === 0) {
    await errLine(bc, 'The syntax of the command is incorrect.');
    return 1;
  }
  let failed = false;
  for (const spec of operands) {
    try {
      const device = spec.startsWith('\\\\') ? undefined : (dosDeviceName(spec) ?? consoleName(spec));
      if (device !== undefined) {
        if (device.toUpperCase() === 'NUL') continue;
        throw new Win32Error('CreateDirectory', ERROR_DIRECTORY, spec);
      }
      const full = stripSeparator(fs.fullPath(spec, ctx.cwd));
      try {
        fs.createDirectory(full, ctx.cwd);
      } catch (e) {
        if (!(e instanceof Win32Error && (e.code === ERROR_PATH_NOT_FOUND || e.code === ERROR_FILE_NOT_FOUND) && bc.extensions)) throw e;
        // Create each missing folder from the top down.
        const chain: string[] = [];
        for (let p = full; !isRoot(p); p = splitPath(p).dir) {
          chain.unshift(p);
          if (splitPath(p).dir === p) break;
        }
        for (const p of chain) {
          try {
            fs.createDirectory(p, ctx.cwd);
          } catch (err) {
            if (!(err instanceof Win32Error && err.code === ERROR_ALREADY_EXISTS && p !== full)) throw err;
          }
        }
      }
    } catch (e) {
      failed = true;
      if (e instanceof Win32Error && e.code === ERROR_ALREADY_EXISTS) await errLine(bc, `A subdirectory or file ${spec} already exists.`);
      else await errLine(bc, errorText(e));
    }
  }
  return failed ? 1 : 0;
};
