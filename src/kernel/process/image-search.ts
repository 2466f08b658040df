/**
 * Which image a CreateProcess call runs (CreateProcessW, Microsoft Learn,
 * lpApplicationName and lpCommandLine). The shell's own search (cmd.exe's
 * PATHEXT walk) is the shell's business; this is the kernel32 rule:
 *
 *  - lpApplicationName given: that file, relative to the current directory;
 *    "The function will not use the search path ... no default extension is
 *    assumed."
 *  - Otherwise the module name is the command line's first token: up to the
 *    closing quote when it starts with one; otherwise the first
 *    white-space-delimited token, and, when that is not found, longer and
 *    longer prefixes up to each later space — the documented
 *    `c:\program files\sub dir\program name` case tries `c:\program.exe`,
 *    `c:\program files\sub.exe`, `c:\program files\sub dir\program.exe`,
 *    then `c:\program files\sub dir\program name.exe`.
 *  - ".exe is appended" when the file name has no extension (the documented
 *    example appends it to names with a path too); a name ending in a
 *    period gets none, the period is dropped by path normalisation.
 *  - A name without a directory part is searched for in: the directory the
 *    calling application loaded from, the caller's current directory, the
 *    32-bit system directory, the 16-bit system directory, the Windows
 *    directory, then each PATH directory (the caller's PATH). PATHEXT plays
 *    no part.
 *  - Not found: ERROR_FILE_NOT_FOUND (2); a path through a missing
 *    directory: ERROR_PATH_NOT_FOUND (3); a directory: ERROR_ACCESS_DENIED (5).
 *  - A `.bat` or `.cmd` file runs under the command interpreter: kernel32
 *    starts `cmd.exe /c "<the command line>"` (the behaviour the 2024
 *    "BatBadBut" advisories describe). The exact command line it builds is
 *    our decision: `C:\Windows\system32\cmd.exe /c "<original>"`.
 */
import { ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, Win32Error } from '../../core/win32.js';
import { SYSTEM16, SYSTEM32, SYSTEM_ROOT } from './constants.js';

/** What image resolution needs to know about the caller's silo's files. */
export interface ImageProbe {
  /** GetFullPathName. */
  fullPath(path: string, cwd: string): string;
  /**
   * What is at a full path: a file (with its path as stored — the name's
   * on-disk case), a directory, or the Win32 code a lookup failed with
   * (ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, …).
   */
  probe(fullPath: string): { kind: 'file'; path: string } | { kind: 'directory' } | { kind: 'missing'; code: number };
}

/** What ImageProbe.probe answers. */
export type ProbeAnswer = ReturnType<ImageProbe['probe']>;

/**
 * Remembered answers of an ImageProbe: GetFullPathName results (a pure
 * function of path and current directory) and probes by full path. Valid
 * only while the files they describe do not change — a boot's lookups
 * (nothing runs that could change them), or lookups shared by silos whose
 * files are known to be the same (Silo's `imageLookups`).
 */
export interface ImageLookupCache {
  readonly fullPaths: Map<string, string>;
  readonly probes: Map<string, ProbeAnswer>;
  /** Answers kept per map at most; later ones are computed and not kept. */
  readonly maxEntries: number;
}

export function imageLookupCache(maxEntries = Infinity): ImageLookupCache {
  return { fullPaths: new Map(), probes: new Map(), maxEntries };
}

/** `probe` answering from `cache` first, and filling it. */
export function cachedProbe(probe: ImageProbe, cache: ImageLookupCache): ImageProbe {
  return {
    fullPath: (path, cwd) => {
      const k = `${cwd}\0${path}`;
      let full = cache.fullPaths.get(k);
      if (full === undefined) {
        full = probe.fullPath(path, cwd);
        if (cache.fullPaths.size < cache.maxEntries) cache.fullPaths.set(k, full);
      }
      return full;
    },
    probe: (full) => {
      let r = cache.probes.get(full);
      if (r === undefined) {
        r = probe.probe(full);
        if (cache.probes.size < cache.maxEntries) cache.probes.set(full, r);
      }
      return r;
    },
  };
}

export interface ImageSearch {
  applicationName?: string;
  commandLine: string;
  /** The caller's current directory. */
  cwd: string;
  /** The directory the calling process's image loaded from (none for the host's own requests). */
  applicationDirectory?: string;
  /** The caller's PATH. */
  path?: string;
}

export interface ResolvedImage {
  /** The image file's full path, its name as stored. */
  imagePath: string;
  /** The command line the new process receives (changed only for a batch file). */
  commandLine: string;
}

const hasDirectory = (name: string) => /[\\/]/.test(name) || /^[A-Za-z]:/.test(name);

function lastComponent(name: string): string {
  const i = Math.max(name.lastIndexOf('\\'), name.lastIndexOf('/'));
  return name.slice(i + 1);
}

/** SearchPath's default-extension rule: ".exe" unless the file name has an extension or ends in a period. */
function withDefaultExtension(name: string): string {
  const file = lastComponent(name);
  return file.includes('.') ? name : name + '.exe';
}

/** The module-name candidates of a command line, in the order CreateProcess tries them. */
export function moduleNameCandidates(commandLine: string): string[] {
  const out: string[] = [];
  const c = new Candidates(commandLine);
  for (let x = c.next(); x !== undefined; x = c.next()) out.push(x);
  return out;
}

/** The same candidates, one at a time: a search that finds the first stops there. */
class Candidates {
  private readonly s: string;
  private readonly quoted: boolean;
  private i = 0;
  private done = false;

  constructor(commandLine: string) {
    const s = commandLine.replace(/^[ \t]+/, '');
    this.s = s;
    this.quoted = s.startsWith('"');
  }

  private blank(i: number): boolean {
    const c = this.s.charCodeAt(i);
    return c === 0x20 || c === 0x09;
  }

  next(): string | undefined {
    if (this.done) return undefined;
    const s = this.s;
    if (this.quoted) {
      this.done = true;
      const end = s.indexOf('"', 1);
      return s.slice(1, end < 0 ? s.length : end);
    }
    let i = this.i;
    while (i < s.length && !this.blank(i)) i++;
    const candidate = s.slice(0, i);
    if (i >= s.length) this.done = true;
    else {
      while (i < s.length && this.blank(i)) i++;
      if (i >= s.length) this.done = true;
    }
    this.i = i;
    return candidate;
  }
}

function isBatch(path: string): boolean {
  return /\.(bat|cmd)$/i.test(path);
}

export function resolveImage(req: ImageSearch, probe: ImageProbe): ResolvedImage {
  const finish = (imagePath: string): ResolvedImage =>
    isBatch(imagePath)
      ? { imagePath: `${SYSTEM32}\\cmd.exe`, commandLine: `${SYSTEM32}\\cmd.exe /c "${req.commandLine}"` }
      : { imagePath, commandLine: req.commandLine };

  if (req.applicationName !== undefined) {
    const full = probe.fullPath(req.applicationName, req.cwd);
    const r = probe.probe(full);
    if (r.kind === 'file') return finish(r.path);
    if (r.kind === 'directory') throw new Win32Error('CreateProcess', ERROR_ACCESS_DENIED, req.applicationName);
    throw new Win32Error('CreateProcess', r.code, req.applicationName);
  }

  let lastCode = ERROR_FILE_NOT_FOUND;
  let sawDirectory = false;
  let count = 0;
  let first = '';
  const candidates = new Candidates(req.commandLine);
  for (let candidate = candidates.next(); candidate !== undefined; candidate = candidates.next()) {
    if (count++ === 0) first = candidate;
    if (candidate.length === 0) continue;
    const name = withDefaultExtension(candidate);
    const dirs = hasDirectory(name) ? [req.cwd] : searchDirectories(req);
    for (const dir of dirs) {
      const full = probe.fullPath(name, dir);
      const r = probe.probe(full);
      if (r.kind === 'file') return finish(r.path);
      if (r.kind === 'directory') sawDirectory = true;
      else if (hasDirectory(name)) lastCode = r.code;
    }
  }
  if (sawDirectory && count === 1) throw new Win32Error('CreateProcess', ERROR_ACCESS_DENIED, first);
  throw new Win32Error('CreateProcess', lastCode === ERROR_PATH_NOT_FOUND ? ERROR_PATH_NOT_FOUND : ERROR_FILE_NOT_FOUND, first);
}

function searchDirectories(req: ImageSearch): string[] {
  const dirs: string[] = [];
  if (req.applicationDirectory) dirs.push(req.applicationDirectory);
  dirs.push(req.cwd, SYSTEM32, SYSTEM16, SYSTEM_ROOT);
  for (const d of (req.path ?? '').split(';')) {
    const t = d.trim().replace(/^"(.*)"$/, '$1');
    if (t.length > 0) dirs.push(t);
  }
  return dirs;
}

/**
 * GetFullPathName for drive-letter paths, used when a silo has no file
 * system view (then the program registry stands for the disk): separators
 * folded to `\`, `.` and `..` resolved, relative names taken from `cwd`,
 * trailing dots and spaces of the last component dropped.
 */
export function simpleFullPath(path: string, cwd: string): string {
  let p = path.replace(/\//g, '\\');
  if (p.startsWith('\\\\?\\')) return p.slice(4);
  const cwdDrive = /^[A-Za-z]:/.test(cwd) ? cwd.slice(0, 2) : 'C:';
  let root: string;
  let rest: string;
  if (/^[A-Za-z]:\\/.test(p)) {
    root = p.slice(0, 2);
    rest = p.slice(3);
  } else if (/^[A-Za-z]:/.test(p)) {
    root = p.slice(0, 2);
    const base = root.toUpperCase() === cwdDrive.toUpperCase() ? cwd.slice(3) : '';
    rest = base ? `${base}\\${p.slice(2)}` : p.slice(2);
  } else if (p.startsWith('\\')) {
    root = cwdDrive;
    rest = p.slice(1);
  } else {
    root = cwdDrive;
    const base = cwd.slice(3);
    rest = base ? `${base}\\${p}` : p;
  }
  const parts: string[] = [];
  for (const c of rest.split('\\')) {
    if (c === '' || c === '.') continue;
    if (c === '..') parts.pop();
    else parts.push(c);
  }
  if (parts.length > 0) {
    const last = parts[parts.length - 1]!.replace(/[. ]+$/, '');
    if (last === '') parts.pop();
    else parts[parts.length - 1] = last;
  }
  p = `${root.toUpperCase()}\\${parts.join('\\')}`;
  return p;
}
