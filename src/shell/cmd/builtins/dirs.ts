/**
 * CD/CHDIR, PUSHD, POPD and drive current directories (Microsoft Learn
 * "cd", "pushd", "popd"): with extensions, CD takes the path unquoted with
 * spaces; `/d` changes the drive too; a path on another drive without /d
 * changes that drive's current directory only (kept as the hidden `=X:`
 * variable, as cmd does). Errors: "The system cannot find the path
 * specified." (ERRORLEVEL 1), "The directory name is invalid." for a file.
 */
import { Win32Error } from '../../../core/win32.js';
import type { CmdContext, InternalCommand } from '../interpreter.js';
import { MSG } from '../messages.js';

function rememberDrive(bc: CmdContext): void {
  const cwd = bc.ctx.cwd;
  if (/^[A-Za-z]:/.test(cwd)) bc.ctx.env.set(`=${cwd[0]!.toUpperCase()}:`, cwd);
}

function chdirMessage(e: unknown): string {
  if (e instanceof Win32Error && e.code === 267) return MSG.directoryName;
  if (e instanceof Win32Error && e.code === 123) return MSG.filenameSyntax;
  return MSG.pathNotFound;
}

/** Changes to `path`; returns an error message or undefined. */
export function changeDirectory(bc: CmdContext, path: string, switchDrive: boolean): string | undefined {
  const fs = bc.ctx.fs;
  const cwd = bc.ctx.cwd;
  const drive = /^([A-Za-z]):/.exec(path)?.[1]?.toUpperCase();
  const curDrive = cwd[0]!.toUpperCase();
  if (drive && drive !== curDrive && !switchDrive) {
    // Another drive's current directory only.
    if (!fs?.volume(drive)) return MSG.invalidDrive;
    const base = bc.ctx.env.get(`=${drive}:`) ?? `${drive}:\\`;
    const full = fs.fullPath(path.length === 2 ? base : path.slice(0, 2) === path ? base : /^[A-Za-z]:[^\\]/.test(path) ? `${base}\\${path.slice(2)}` : path, cwd);
    try {
      const info = fs.stat(full, cwd);
      if ((info.attributes & 0x10) === 0) return MSG.directoryName;
    } catch (e) {
      return chdirMessage(e);
    }
    bc.ctx.env.set(`=${drive}:`, full);
    return undefined;
  }
  try {
    const target = drive && drive !== curDrive && path.length === 2 ? (bc.ctx.env.get(`=${drive}:`) ?? `${drive}:\\`) : path;
    bc.ctx.chdir(target);
  } catch (e) {
    return chdirMessage(e);
  }
  rememberDrive(bc);
  return undefined;
}

export const cd: InternalCommand = async (bc, args) => {
  let text = args.trim();
  let switchDrive = false;
  const d = /^\/d(?=[ \t"]|$)/i.exec(text);
  if (d) {
    switchDrive = true;
    text = text.slice(2).trim();
  }
  text = text.replace(/"/g, '');
  if (bc.extensions) text = text.replace(/[ \t]+$/, '');
  if (text === '') {
    await bc.stdout.write(bc.ctx.cwd + '\r\n');
    return undefined;
  }
  if (/^[A-Za-z]:$/.test(text) && !switchDrive) {
    const drive = text[0]!.toUpperCase();
    if (drive === bc.ctx.cwd[0]!.toUpperCase()) await bc.stdout.write(bc.ctx.cwd + '\r\n');
    else await bc.stdout.write((bc.ctx.env.get(`=${drive}:`) ?? `${drive}:\\`) + '\r\n');
    return undefined;
  }
  const err = changeDirectory(bc, text, switchDrive);
  if (err) {
    await bc.stderr.write(err);
    return 1;
  }
  return 0;
};

export const pushd: InternalCommand = async (bc, args) => {
  const text = args.trim().replace(/"/g, '');
  const interp = bc.interp;
  if (text === '') {
    for (let i = interp.dirStack.length - 1; i >= 0; i--) await bc.stdout.write(interp.dirStack[i] + '\r\n');
    return undefined;
  }
  const from = bc.ctx.cwd;
  const err = changeDirectory(bc, text, true);
  if (err) {
    await bc.stderr.write(err);
    return 1;
  }
  interp.dirStack.push(from);
  return 0;
};

export const popd: InternalCommand = async (bc) => {
  const to = bc.interp.dirStack.pop();
  if (to === undefined) return undefined;
  const err = changeDirectory(bc, to, true);
  if (err) {
    await bc.stderr.write(err);
    return 1;
  }
  return undefined; // POPD never clears ERRORLEVEL
};
