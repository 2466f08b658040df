/**
 * REN / RENAME — renames files or directories in place (Microsoft Learn
 * "rename"): the new name may not hold a drive or path (`The syntax of the
 * command is incorrect.`); wildcards in both names rename every match by
 * the mask (renameByMask). A missing source or a taken target prints
 * `A duplicate file name exists, or the file` / `cannot be found.`
 * ERRORLEVEL: 1 on failure; success leaves it as it was (ren is among the
 * internal commands that do not clear ERRORLEVEL — dbenham's table on
 * Stack Overflow "Which cmd.exe internal commands clear the ERRORLEVEL to 0
 * upon success?").
 */
import { Win32Error } from '../../../core/win32.js';
import type { Builtin } from '../builtin.js';
import { parseArgs } from './args.js';
import { renameByMask } from './copy.js';
import { errLine, errorText } from './output.js';
import { expand, fsOf, joinPath } from './paths.js';
import { hasWildcards } from './wildcard.js';

const DUPLICATE = 'A duplicate file name exists, or the file\r\ncannot be found.';

export const ren: Builtin = async (bc, args) => {
  const { ctx } = bc;
  const fs = fsOf(ctx);
  const { switches, operands } = parseArgs(args);
  if (switches.length > 0) {
    await errLine(bc, `Invalid switch - /${switches[0]}`);
    return 1;
  }
  if (operands.length !== 2 || /[\\/:]/.test(operands[1]!)) {
    await errLine(bc, 'The syntax of the command is incorrect.');
    return 1;
  }
  const [src, mask] = operands as [string, string];
  let failed = false;
  try {
    const full = fs.fullPath(src, ctx.cwd);
    const { dir, entries } = expand(fs, full, ctx.cwd);
    if (entries.length === 0) {
      await errLine(bc, DUPLICATE);
      return 1;
    }
    for (const e of entries) {
      const newName = hasWildcards(mask) ? renameByMask(e.name, mask) : mask;
      try {
        fs.rename(joinPath(dir, e.name), joinPath(dir, newName), ctx.cwd, false);
      } catch (err) {
        if (!(err instanceof Win32Error)) throw err;
        failed = true;
        await errLine(bc, err.code === 183 || err.code === 80 || err.code === 2 ? DUPLICATE : errorText(err));
      }
    }
  } catch (e) {
    await errLine(bc, errorText(e));
    return 1;
  }
  return failed ? 1 : undefined;
};
