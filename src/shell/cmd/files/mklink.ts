/**
 * MKLINK — creates symbolic links, hard links and junctions (Microsoft
 * Learn "mklink"). Messages name the link and target as typed:
 *  `symbolic link created for LINK <<===>> TARGET` (files and /d),
 *  `Hardlink created for LINK <<===>> TARGET` (/h),
 *  `Junction created for LINK <<===>> TARGET` (/j).
 * No arguments prints the usage; a wrong count `The syntax of the command
 * is incorrect.`; failures the Win32 message. ERRORLEVEL 0 / 1.
 *
 * A symbolic link needs SeCreateSymbolicLinkPrivilege: ContainerUser's
 * token lacks it, and mklink then prints its own text for
 * ERROR_PRIVILEGE_NOT_HELD, "You do not have sufficient privilege to
 * perform this operation." (hard links and junctions need no privilege).
 */
import { tokenUser } from '../../programs/system/machine.js';
import type { Builtin } from '../builtin.js';
import { parseArgs } from './args.js';
import { errLine, errorText, outLine } from './output.js';
import { fsOf } from './paths.js';

const USAGE = [
  'Creates a symbolic link.',
  '',
  'MKLINK [[/D] | [/H] | [/J]] Link Target',
  '',
  '        /D      Creates a directory symbolic link.  Default is a file',
  '                symbolic link.',
  '        /H      Creates a hard link instead of a symbolic link.',
  '        /J      Creates a Directory Junction.',
  '        Link    Specifies the new symbolic link name.',
  '        Target  Specifies the path (relative or absolute) that the new link',
  '                refers to.',
].join('\r\n');

export const mklink: Builtin = async (bc, args) => {
  const { ctx } = bc;
  const fs = fsOf(ctx);
  const { switches, operands } = parseArgs(args);
  let kind: 'file' | 'd' | 'h' | 'j' = 'file';
  for (const s of switches) {
    const l = s.toLowerCase();
    if (l === '?') {
      await outLine(bc, USAGE);
      return 0;
    }
    if (l !== 'd' && l !== 'h' && l !== 'j') {
      await errLine(bc, `Invalid switch - "${s}".`);
      return 1;
    }
    if (kind !== 'file' && kind !== l) {
      await errLine(bc, 'The syntax of the command is incorrect.');
      return 1;
    }
    kind = l;
  }
  if (operands.length === 0 && switches.length === 0) {
    await outLine(bc, USAGE);
    return 1;
  }
  if (operands.length !== 2) {
    await errLine(bc, 'The syntax of the command is incorrect.');
    return 1;
  }
  const [link, target] = operands as [string, string];
  try {
    switch (kind) {
      case 'file':
      case 'd':
        if (!tokenUser(ctx).admin) {
          await errLine(bc, 'You do not have sufficient privilege to perform this operation.');
          return 1;
        }
        fs.createSymbolicLink(link, target, ctx.cwd, kind === 'd');
        await outLine(bc, `symbolic link created for ${link} <<===>> ${target}`);
        break;
      case 'h':
        fs.createHardLink(link, target, ctx.cwd);
        await outLine(bc, `Hardlink created for ${link} <<===>> ${target}`);
        break;
      case 'j':
        fs.createJunction(link, fs.fullPath(target, ctx.cwd), ctx.cwd);
        await outLine(bc, `Junction created for ${link} <<===>> ${target}`);
        break;
    }
  } catch (e) {
    await errLine(bc, errorText(e));
    return 1;
  }
  return 0;
};
