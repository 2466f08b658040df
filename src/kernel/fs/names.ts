/**
 * NTFS and Win32 name rules: how names compare (case-insensitive, through
 * the upcase table, with the case of creation preserved), which components
 * a volume refuses, and which names Win32 turns into DOS devices.
 *
 * Sources: learn.microsoft.com "Naming Files, Paths, and Namespaces"
 * (reserved characters, reserved names, the 255-character component);
 * [MS-FSCC] 2.1.5 "Pathname" (NTFS compares names after upcasing each
 * UTF-16 code unit with the volume's $UpCase table, then as unsigned
 * 16-bit numbers: that is the index's collation, COLLATION_FILE_NAME).
 */
import { fold } from '../../core/ob/upcase.js';
import { ERROR_FILENAME_EXCED_RANGE, ERROR_INVALID_NAME, Win32Error } from '../../core/win32.js';
import { FS_LIMITS } from './limits.js';

/** The upcased form NTFS compares: one UTF-16 unit to one, as $UpCase maps it. */
export function foldName(name: string): string {
  return fold(name);
}

/**
 * NTFS collation of two names: upcase, then compare code unit by code unit
 * as unsigned numbers (JS string comparison is exactly that on UTF-16).
 * This is the order `dir` lists a directory in.
 */
export function compareNames(a: string, b: string): number {
  const fa = fold(a);
  const fb = fold(b);
  return fa < fb ? -1 : fa > fb ? 1 : 0;
}

export function namesEqual(a: string, b: string): boolean {
  return a.length === b.length && fold(a) === fold(b);
}

/**
 * Characters no component may hold: < > : " / \ | ? * and 0x00–0x1F
 * ("Naming Files, Paths, and Namespaces", "Naming Conventions"). The colon
 * would name an alternate data stream on NTFS; streams are not modelled,
 * so a colon is refused like the other reserved characters.
 */
const INVALID_CHARS = /[<>:"/\\|?*\u0000-\u001f]/;

/** Why a component is unusable, or undefined if a volume accepts it. */
export function componentProblem(name: string): number | undefined {
  if (name.length === 0 || name === '.' || name === '..') return ERROR_INVALID_NAME;
  if (INVALID_CHARS.test(name)) return ERROR_INVALID_NAME;
  if (name.length > FS_LIMITS.maxComponent) return ERROR_FILENAME_EXCED_RANGE;
  return undefined;
}

/** Throws the Win32 error for an unusable component. */
export function checkComponent(op: string, name: string, object: string): void {
  const problem = componentProblem(name);
  if (problem !== undefined) throw new Win32Error(op, problem, object);
}

/**
 * The DOS device names Win32 reserves ("Naming Files, Paths, and
 * Namespaces": CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9, and COM/LPT with
 * the superscript digits ¹ ² ³, which iswdigit counts as digits).
 */
const DEVICE_3 = new Set(['CON', 'PRN', 'AUX', 'NUL']);
const DEVICE_DIGITS = '123456789\u00b9\u00b2\u00b3';

function isDeviceBase(upper: string): boolean {
  if (upper.length === 3) return DEVICE_3.has(upper);
  if (upper.length === 4) {
    const stem = upper.slice(0, 3);
    return (stem === 'COM' || stem === 'LPT') && DEVICE_DIGITS.includes(upper[3]!);
  }
  return false;
}

/**
 * RtlIsDosDeviceName_U as Windows Server 2022 (build 20348) applies it:
 * the last component of a drive-letter, rooted or relative path names a DOS
 * device when, cut at its first `.` or `:` and with trailing spaces
 * dropped, it is one of the reserved names — so `NUL`, `nul.txt`,
 * `C:\dir\COM1.log` and `con  ` all name devices, and `\\server\x\NUL`,
 * `\\?\C:\NUL` and `\\.\x\NUL` do not.
 *
 * Windows 11 (build 22000) stopped treating names with an extension, and
 * leaf components other than NUL, as devices (learn.microsoft.com, "File
 * path formats on Windows systems", "Handle legacy devices": "Prior to
 * Windows 11 …"; rust-lang/rust#94650). ltsc2022 is build 20348, from
 * before that change, so it keeps the older rule; we could not run it on a
 * 20348 machine, so this follows the documented pre-Windows 11 behaviour.
 *
 * Returns the device name as the user typed it (`nul` for `nul.txt`), or
 * undefined. `path` is the raw Win32 path (`/` and `\` both separate).
 */
export function dosDeviceName(path: string): string | undefined {
  let start = 0;
  if (/^[A-Za-z]:/.test(path)) start = 2;
  for (let i = start; i < path.length; i++) {
    const c = path[i];
    if (c === '\\' || c === '/') start = i + 1;
  }
  let end = start;
  while (end < path.length && path[end] !== '.' && path[end] !== ':') end++;
  while (end > start && path[end - 1] === ' ') end--;
  if (end - start < 3 || end - start > 4) return undefined;
  const base = path.slice(start, end);
  return isDeviceBase(base.toUpperCase()) ? base : undefined;
}

/** CONIN$ and CONOUT$: CreateFile opens them as the console when they are the whole path (CreateFile, "Consoles"). */
export function consoleName(path: string): 'CONIN$' | 'CONOUT$' | undefined {
  const u = path.toUpperCase();
  return u === 'CONIN$' || u === 'CONOUT$' ? u : undefined;
}
