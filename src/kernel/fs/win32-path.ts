/**
 * Win32 path forms and their normalisation — what GetFullPathName and
 * RtlDosPathNameToNtPathName do to a path before any file system sees it.
 * Pure string work: no volume is consulted.
 *
 * Sources: learn.microsoft.com "Naming Files, Paths, and Namespaces";
 * learn.microsoft.com (.NET) "File path formats on Windows systems"
 * ("Path normalization": identify the path, handle legacy devices, apply
 * the current directory, canonicalize separators, evaluate relative
 * components, trim characters, skip normalization for `\\?\`); Jeremy
 * Kuhne, "Path Normalization" (the MSDN blog post those rules come from).
 *
 * The forms, as RtlDetermineDosPathNameType_U names them:
 *   `C:\x`   drive absolute      `C:x`  drive relative (the cwd if it is on
 *   `\x`     rooted (cwd's drive)        C:, else C:'s root — Windows keeps a
 *   `x`      relative                    per-drive cwd in `=C:` variables;
 *   `\\s\sh` UNC                         that is the process model's to pass)
 *   `\\.\X`  local device (normalised, `..` stops at `\\.\X\`)
 *   `\\?\X`  root local device: verbatim, only the prefix becomes `\??\`
 */
import {
  ERROR_FILENAME_EXCED_RANGE,
  ERROR_INVALID_NAME,
  ERROR_PATH_NOT_FOUND,
  Win32Error,
} from '../../core/win32.js';
import { FS_LIMITS } from './limits.js';
import { consoleName, dosDeviceName } from './names.js';

/** What a Win32 path names once normalised. */
export type Win32Target =
  /** A path on the volume behind a drive letter: `drive` upper case, `path` volume-relative (`\` is the root). */
  | { kind: 'drive'; drive: string; path: string }
  /** A DOS device (`NUL`, `CON`, `COM1`, `CONIN$`, …) as the user spelled it, without extension. */
  | { kind: 'device'; name: string }
  /** A network path. Nothing here reaches a network: opening one is ERROR_BAD_NETPATH. */
  | { kind: 'unc'; server: string; share: string; path: string }
  /** Any other name under `\??` (`ContainerMappedDirectories\<GUID>\x`, `Volume{…}\x`, `GLOBALROOT\…`). */
  | { kind: 'object'; path: string };

export interface Win32Path {
  /** GetFullPathName's answer. */
  full: string;
  target: Win32Target;
  /** The path ended in a separator: it can only name a directory (a file there is ERROR_INVALID_NAME). */
  trailingSeparator: boolean;
  /** A `\\?\` (or `\??\`) path: taken as is, no `.`/`..` evaluation, no trimming. */
  verbatim: boolean;
}

const isSep = (c: string | undefined): boolean => c === '\\' || c === '/';
const DRIVE = /^[A-Za-z]:/;

/**
 * Evaluates `.` and `..` (never above the root), collapses repeated
 * separators and, when the path does not end in a separator, strips
 * trailing periods and spaces from the last component (".NET: Trim
 * characters"). Returns the components and whether a separator ended it.
 */
function evaluate(rest: string): { parts: string[]; trailing: boolean } {
  const raw = rest.split('\\');
  const trailing = rest.length > 0 && rest.endsWith('\\');
  const parts: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    let c = raw[i]!;
    const last = i === raw.length - 1;
    if (last && c !== '.' && c !== '..') c = c.replace(/[. ]+$/, '');
    if (c === '' || c === '.') continue;
    if (c === '..') parts.pop();
    else parts.push(c);
  }
  return { parts, trailing: trailing && parts.length > 0 };
}

function join(root: string, parts: string[], trailing: boolean): string {
  return root + parts.join('\\') + (trailing ? '\\' : '');
}

/**
 * What the rest of an NT path under `\??\` names: a drive (`C:\x`), a
 * network path (`UNC\server\share\x`), a device (`NUL`) or another object.
 * `rest` is taken verbatim.
 */
function targetUnderDosDevices(rest: string): Win32Target {
  if (DRIVE.test(rest) && (rest.length === 2 || rest[2] === '\\')) {
    // `\??\C:` alone is the volume device itself, not its root directory.
    if (rest.length === 2) return { kind: 'device', name: rest };
    return { kind: 'drive', drive: rest[0]!.toUpperCase(), path: rest.slice(2) };
  }
  if (/^UNC(\\|$)/i.test(rest)) {
    const [server = '', share = '', ...more] = rest.slice(4).split('\\');
    return { kind: 'unc', server, share, path: '\\' + more.join('\\') };
  }
  if (!rest.includes('\\') && (dosDeviceName(rest) === rest || consoleName(rest))) return { kind: 'device', name: rest };
  return { kind: 'object', path: rest };
}

/**
 * The target an NT path names, for reparse points' substitute names:
 * `\??\C:\x`, `\DosDevices\C:\x` and `\GLOBAL??\C:\x` all name `C:\x` — of
 * the silo's own `\??`, never the host's (windows-facts §2). Undefined for
 * anything not under the DOS devices directory (`\Device\HarddiskVolume1\x`).
 */
export function parseNtPath(ntPath: string): Win32Target | undefined {
  const m = /^\\(\?\?|DosDevices|GLOBAL\?\?)\\/i.exec(ntPath);
  if (!m) return undefined;
  return targetUnderDosDevices(ntPath.slice(m[0].length));
}

/** The root prefix of a full path (`C:\`, `\\server\share\`, `\\.\X\`), for rooted and relative paths. */
function rootOf(full: string): string {
  if (DRIVE.test(full)) return full.slice(0, 2) + '\\';
  if (full.startsWith('\\\\')) {
    const parts = full.slice(2).split('\\');
    return '\\\\' + parts.slice(0, 2).join('\\') + '\\';
  }
  return 'C:\\';
}

/**
 * Parses and normalises `path` against the current directory `cwd` (a
 * full path such as `C:\Users\ContainerUser`). Throws Win32Error:
 *  - ERROR_PATH_NOT_FOUND        an empty path (what CreateFile("") answers)
 *  - ERROR_INVALID_NAME          a NUL character in the path
 *  - ERROR_FILENAME_EXCED_RANGE  a full path longer than 32,767 characters
 */
export function parseWin32Path(path: string, cwd: string, op = 'GetFullPathName'): Win32Path {
  if (path.length === 0) throw new Win32Error(op, ERROR_PATH_NOT_FOUND, path);
  if (path.includes('\0')) throw new Win32Error(op, ERROR_INVALID_NAME, path);
  const result = parse(path, cwd);
  if (result.full.length > FS_LIMITS.maxPath) throw new Win32Error(op, ERROR_FILENAME_EXCED_RANGE, path.slice(0, 64) + '…');
  return result;
}

function parse(path: string, cwd: string): Win32Path {
  // `\\?\` spelled with backslashes is the only form that skips
  // normalisation; `\??\` is the NT spelling of the same prefix.
  if (path.startsWith('\\\\?\\') || path.startsWith('\\??\\')) {
    const rest = path.slice(4);
    return { full: path, target: targetUnderDosDevices(rest), trailingSeparator: rest.endsWith('\\'), verbatim: true };
  }
  // Legacy devices come first: `C:\dir\nul.txt` is `\\.\nul`.
  const leading = isSep(path[0]) && isSep(path[1]);
  if (!leading) {
    const device = dosDeviceName(path);
    if (device !== undefined) return { full: '\\\\.\\' + device, target: { kind: 'device', name: device }, trailingSeparator: false, verbatim: false };
  }
  const p = path.replace(/\//g, '\\');
  if (leading) {
    if ((p[2] === '.' || p[2] === '?') && (p.length === 3 || p[3] === '\\')) {
      // Local device path: normalised, but `..` never leaves `\\.\X\`.
      const prefix = p.slice(0, 4);
      const rest = p.slice(4);
      const cut = rest.indexOf('\\');
      const head = cut < 0 ? rest : rest.slice(0, cut);
      const { parts, trailing } = evaluate(cut < 0 ? '' : rest.slice(cut + 1));
      const normalised = cut < 0 ? head : head + '\\' + join('', parts, trailing);
      const target = targetUnderDosDevices(DRIVE.test(head) && head.length === 2 ? head + '\\' + parts.join('\\') : normalised);
      return { full: prefix + normalised, target, trailingSeparator: trailing, verbatim: false };
    }
    // UNC: `\\server\share` is the root `..` cannot leave.
    const comps = p.slice(2).split('\\');
    const server = comps[0] ?? '';
    const share = comps[1] ?? '';
    const { parts, trailing } = evaluate(comps.slice(2).join('\\'));
    const root = `\\\\${server}` + (comps.length > 1 ? `\\${share}` : '');
    const full = parts.length > 0 ? join(root + '\\', parts, trailing) : root + (comps.length > 1 && p.endsWith('\\') ? '\\' : '');
    return { full, target: { kind: 'unc', server, share, path: '\\' + parts.join('\\') }, trailingSeparator: trailing, verbatim: false };
  }
  let root: string;
  let rest: string;
  if (DRIVE.test(p)) {
    if (p[2] === '\\') {
      root = p.slice(0, 3);
      rest = p.slice(3);
    } else {
      // Drive relative: the cwd when it is on that drive, else the drive's root.
      const sameDrive = DRIVE.test(cwd) && cwd[0]!.toUpperCase() === p[0]!.toUpperCase();
      root = sameDrive ? rootOf(cwd) : p.slice(0, 2) + '\\';
      const tail = p.slice(2);
      rest = sameDrive ? cwd.slice(3) + (tail ? '\\' + tail : '') : tail;
    }
  } else if (p[0] === '\\') {
    root = rootOf(cwd);
    rest = p.slice(1);
  } else {
    root = rootOf(cwd);
    rest = cwd.slice(root.length) + '\\' + p;
  }
  const { parts, trailing } = evaluate(rest);
  const full = join(root, parts, trailing);
  if (DRIVE.test(root)) {
    return { full, target: { kind: 'drive', drive: root[0]!.toUpperCase(), path: '\\' + parts.join('\\') }, trailingSeparator: trailing, verbatim: false };
  }
  // A cwd on a UNC share or a device path carries its kind over.
  const reparsed = parse(full, 'C:\\');
  return { ...reparsed, trailingSeparator: trailing };
}

/** GetFullPathName: the absolute Win32 path `path` names from `cwd`. */
export function getFullPathName(path: string, cwd: string): string {
  return parseWin32Path(path, cwd).full;
}

/** The volume path's parent (`\a\b` → `\a`, `\a` → `\`) and last component. */
export function splitVolumePath(path: string): { parent: string; name: string } {
  const i = path.lastIndexOf('\\');
  return { parent: i <= 0 ? '\\' : path.slice(0, i), name: path.slice(i + 1) };
}

/** Joins a volume directory path and a relative tail (`\a` + `b\c` → `\a\b\c`). */
export function joinVolumePath(dir: string, tail: string): string {
  if (tail === '') return dir;
  return (dir === '\\' ? '' : dir) + '\\' + tail;
}
