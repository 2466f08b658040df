/**
 * Path helpers the file commands share: full paths through the process's
 * file system view (GetFullPathName), a spec split into its directory and
 * last component, and the names a wildcard spec finds in a directory
 * (FindFirstFile / FindNextFile in the directory's index order).
 */
import type { FileInfo, FileSystemView } from '../../../kernel/fs/types.js';
import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_REPARSE_POINT, IO_REPARSE_TAG_MOUNT_POINT, IO_REPARSE_TAG_SYMLINK } from '../../../kernel/fs/types.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import { ERROR_FILE_NOT_FOUND, ERROR_INVALID_FUNCTION, ERROR_PATH_NOT_FOUND, Win32Error } from '../../../core/win32.js';
import { hasWildcards, wildcardMatcher } from './wildcard.js';

export function fsOf(ctx: ProcessContext): FileSystemView {
  // A silo booted without a file system has no C: at all: every file
  // command then fails as Win32 calls would with no volume behind them.
  if (!ctx.fs) throw new Win32Error('GetFullPathName', ERROR_INVALID_FUNCTION);
  return ctx.fs;
}

export function isDirectory(info: FileInfo): boolean {
  return (info.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
}

export function isJunction(info: FileInfo): boolean {
  return (info.attributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0 && info.reparse?.tag === IO_REPARSE_TAG_MOUNT_POINT;
}

export function isSymlink(info: FileInfo): boolean {
  return (info.attributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0 && info.reparse?.tag === IO_REPARSE_TAG_SYMLINK;
}

/** `C:\a\b` → `C:\a` and `b`; `C:\a` → `C:\` and `a`; a root stays whole with an empty name. */
export function splitPath(full: string): { dir: string; name: string } {
  const i = full.lastIndexOf('\\');
  if (i < 0) return { dir: full, name: '' };
  const dir = full.slice(0, i);
  const name = full.slice(i + 1);
  // `C:` → `C:\` (the root), `\\?\C:` likewise.
  return { dir: /:$/.test(dir) ? `${dir}\\` : dir === '' ? '\\' : dir, name };
}

/** `dir` + `\` + `name`, without doubling a root's backslash. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('\\') ? `${dir}${name}` : `${dir}\\${name}`;
}

/** A full path without trailing separators (a root keeps its own: `C:\`). */
export function stripSeparator(full: string): string {
  return full.replace(/(?<=[^:\\])\\+$/, '');
}

export function isRoot(full: string): boolean {
  return /^[A-Za-z]:\\$/.test(full) || /^\\\\\?\\[A-Za-z]:\\$/.test(full);
}

/** The drive letter of a full path (`C`), or undefined for UNC and device paths. */
export function driveOf(full: string): string | undefined {
  const m = /^(?:\\\\\?\\)?([A-Za-z]):/.exec(full);
  return m ? m[1]!.toUpperCase() : undefined;
}

/** A full path's entry, or undefined if nothing has that name (other failures throw). */
export function statOrUndefined(fs: FileSystemView, full: string, cwd: string, opts?: { openReparsePoint?: boolean }): FileInfo | undefined {
  try {
    return fs.stat(full, cwd, opts);
  } catch (e) {
    if (e instanceof Win32Error && (e.code === 2 || e.code === 3 || e.code === 123)) return undefined;
    throw e;
  }
}

/**
 * FindFirstFile(`dir\*`): a directory that does not exist is
 * ERROR_PATH_NOT_FOUND whichever component is missing (the view answers
 * ERROR_FILE_NOT_FOUND when only the last one is).
 */
export function listDirectory(fs: FileSystemView, dir: string, cwd: string): FileInfo[] {
  try {
    return fs.list(dir, cwd);
  } catch (e) {
    if (e instanceof Win32Error && e.code === ERROR_FILE_NOT_FOUND) throw new Win32Error('FindFirstFile', ERROR_PATH_NOT_FOUND, dir);
    throw e;
  }
}

export interface Expanded {
  /** The directory searched (full path). */
  dir: string;
  /** The last component as given (a wildcard pattern or a name). */
  pattern: string;
  /** Entries found, in index order. */
  entries: FileInfo[];
}

/**
 * The entries `spec` names: every match of a wildcard last component, or
 * the one entry of a plain name (none if it does not exist). Errors from
 * the directory itself (path not found, …) propagate.
 */
export function expand(fs: FileSystemView, full: string, cwd: string): Expanded {
  const { dir, name } = splitPath(full);
  if (hasWildcards(name)) {
    const match = wildcardMatcher(name);
    return { dir, pattern: name, entries: listDirectory(fs, dir, cwd).filter((e) => match(e.name)) };
  }
  const info = statOrUndefined(fs, full, cwd, { openReparsePoint: true });
  if (!info) {
    // A missing directory on the way is ERROR_PATH_NOT_FOUND: let list say so.
    listDirectory(fs, dir, cwd);
    return { dir, pattern: name, entries: [] };
  }
  // The stored name's case (FindFirstFile answers the name as created).
  return { dir, pattern: name, entries: [{ ...info, name: info.name || name }] };
}

/**
 * A found name shown the way the user typed the spec: the spec's own
 * directory part (as typed, `sub\`, `C:\t\`, `C:`) followed by the name.
 */
export function typedPath(spec: string, name: string): string {
  const i = Math.max(spec.lastIndexOf('\\'), spec.lastIndexOf('/'), spec.indexOf(':') === 1 ? 1 : -1);
  return spec.slice(0, i + 1) + name;
}

/** CreateDirectory for `path` and each missing folder above it (md's and mkdir -p's walk); an existing folder is fine. */
export function makeDirectories(fs: FileSystemView, path: string, cwd: string): void {
  if (!path || statOrUndefined(fs, path, cwd)) return;
  const cut = path.lastIndexOf('\\');
  const parent = cut > 0 ? path.slice(0, cut) : '';
  if (parent && !/^[A-Za-z]:$/.test(parent)) makeDirectories(fs, parent, cwd);
  try {
    fs.createDirectory(path, cwd);
  } catch (e) {
    if (!(e instanceof Win32Error && e.code === 183)) throw e;
  }
}
