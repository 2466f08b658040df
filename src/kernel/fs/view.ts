/**
 * A silo's file system as its processes see it: Win32 paths resolved
 * against the process's current directory and the silo's drive letters,
 * reparse points followed as the I/O manager follows them, DOS devices.
 *
 * The silo's drives are the only roots there are. An absolute reparse
 * target (`\??\C:\x`) restarts at the silo's own drive table — never the
 * host's (windows-facts §2) — and a relative one from the link's
 * directory on the same volume, `..` stopping at that volume's root.
 * Bound host directories appear the way Windows containers show them: a
 * directory symlink on C: (`C:\data`) whose target is
 * `\\?\ContainerMappedDirectories\<GUID>`, which this view maps to the
 * host volume registered under that GUID.
 *
 * Reparse points are followed up to FS_LIMITS.maxReparse (63) times per
 * operation; one more is ERROR_CANT_RESOLVE_FILENAME. Tags other than
 * symlinks and mount points are ERROR_CANT_ACCESS_FILE (what an
 * unhandled tag gives: STATUS_IO_REPARSE_TAG_NOT_HANDLED).
 *
 * DOS devices: `NUL` (any spelling Win32 accepts: `nul`, `C:\x\nul.txt`,
 * `\\.\NUL`) opens the null device — reads end at once, writes vanish;
 * other device names go to the `openDevice` callback (the process model's
 * console for CON, CONIN$, CONOUT$), or are ERROR_FILE_NOT_FOUND (no
 * COM or LPT ports in a container). Changing a device (mkdir nul, del
 * nul, …) is ERROR_ACCESS_DENIED — a decision: we found no statement of
 * what each API answers there.
 */
import {
  ERROR_ACCESS_DENIED,
  ERROR_ALREADY_EXISTS,
  ERROR_BAD_NETPATH,
  ERROR_CANT_ACCESS_FILE,
  ERROR_CANT_RESOLVE_FILENAME,
  ERROR_DIRECTORY,
  ERROR_DIR_NOT_EMPTY,
  ERROR_FILE_NOT_FOUND,
  ERROR_INVALID_HANDLE,
  ERROR_INVALID_NAME,
  ERROR_INVALID_PARAMETER,
  ERROR_INVALID_REPARSE_DATA,
  ERROR_NOT_SAME_DEVICE,
  ERROR_PATH_NOT_FOUND,
  Win32Error,
} from '../../core/win32.js';
import { FS_LIMITS } from './limits.js';
import { consoleName } from './names.js';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  IO_REPARSE_TAG_MOUNT_POINT,
  IO_REPARSE_TAG_SYMLINK,
  ReparseRequired,
  type FileHandle,
  type FileInfo,
  type FileSystemView,
  type ImageSection,
  type OpenOptions,
  type ReparseData,
  type Volume,
} from './types.js';
import { joinVolumePath, parseNtPath, parseWin32Path, splitVolumePath, type Win32Path, type Win32Target } from './win32-path.js';

/** The object directory under `\??` where Windows containers find their bound host directories. */
export const CONTAINER_MAPPED_DIRECTORIES = 'ContainerMappedDirectories';

export interface SiloFileSystemOptions {
  /** Drive letter → volume (`{ C: volume }`; the key may be `C` or `C:`). */
  drives?: Record<string, Volume>;
  /**
   * Opens a DOS device other than NUL (`CON`, `CONIN$`, `CONOUT$`, `COM1`,
   * `\\.\PhysicalDrive0`, …); undefined means there is none
   * (ERROR_FILE_NOT_FOUND). The process model supplies the console here.
   */
  openDevice?: (name: string, opts: OpenOptions) => FileHandle | undefined;
}

/** Where a path landed: which volume, the volume path, and how to spell the volume's root for users. */
interface Located {
  volume: Volume;
  path: string;
  /** `C:`, or `\\?\ContainerMappedDirectories\<GUID>`. */
  root: string;
}

function driveKey(letter: string): string {
  const k = letter.replace(/:$/, '').toUpperCase();
  if (!/^[A-Z]$/.test(k)) throw new Win32Error('DefineDosDevice', ERROR_INVALID_PARAMETER, letter);
  return k;
}

/** Applies a relative symlink target to the link's directory: `..` stops at the volume root; a leading `\` means the root. */
function applyRelative(linkDir: string, target: string): string {
  const parts = target.startsWith('\\') ? [] : linkDir.split('\\').filter((c) => c !== '');
  for (const c of target.replace(/\//g, '\\').split('\\')) {
    if (c === '' || c === '.') continue;
    if (c === '..') parts.pop();
    else parts.push(c);
  }
  return '\\' + parts.join('\\');
}

export class SiloFileSystem implements FileSystemView {
  private readonly drives = new Map<string, Volume>();
  private readonly mapped = new Map<string, Volume>();
  private readonly openDevice: SiloFileSystemOptions['openDevice'];

  constructor(options: SiloFileSystemOptions = {}) {
    for (const [letter, v] of Object.entries(options.drives ?? {})) this.drives.set(driveKey(letter), v);
    this.openDevice = options.openDevice;
  }

  /** Assigns a drive letter (replacing what it named). */
  mountDrive(letter: string, volume: Volume): void {
    this.drives.set(driveKey(letter), volume);
  }

  unmountDrive(letter: string): void {
    this.drives.delete(driveKey(letter));
  }

  volume(drive: string): Volume | undefined {
    try {
      return this.drives.get(driveKey(drive));
    } catch {
      return undefined;
    }
  }

  /** Makes `\\?\ContainerMappedDirectories\<guid>` name `volume` (the link on C: already exists, e.g. a restarted container). */
  registerMappedDirectory(guid: string, volume: Volume): void {
    this.mapped.set(guid.toUpperCase(), volume);
  }

  /**
   * Binds `volume` at `at` (a full path such as `C:\data`), as HCS does for
   * `-v HOST:C:\data`: registers the GUID and creates, on that drive's
   * volume, the directory symlink `at` → `\\?\ContainerMappedDirectories\<guid>`
   * (missing parent directories are created; an empty directory already
   * there is replaced). Throws Win32Error: ERROR_PATH_NOT_FOUND (no such
   * drive), ERROR_DIR_NOT_EMPTY (a non-empty directory is in the way),
   * ERROR_ALREADY_EXISTS (a file or another link is in the way).
   */
  addMappedDirectory(at: string, guid: string, volume: Volume): void {
    const op = 'AddMappedDirectory';
    const parsed = parseWin32Path(at, 'C:\\', op);
    if (parsed.target.kind !== 'drive' || parsed.target.path === '\\') throw new Win32Error(op, ERROR_INVALID_PARAMETER, at);
    const host = this.drives.get(parsed.target.drive);
    if (!host) throw new Win32Error(op, ERROR_PATH_NOT_FOUND, at);
    const path = parsed.target.path;
    const comps = path.slice(1).split('\\');
    for (let i = 1; i < comps.length; i++) {
      const dir = '\\' + comps.slice(0, i).join('\\');
      try {
        host.createDirectory(dir);
      } catch (e) {
        if (!(e instanceof Win32Error && e.code === ERROR_ALREADY_EXISTS)) throw e;
      }
    }
    const substituteName = `\\??\\${CONTAINER_MAPPED_DIRECTORIES}\\${guid}`;
    let existing: FileInfo | undefined;
    try {
      existing = host.stat(path, { openReparsePoint: true });
    } catch (e) {
      if (!(e instanceof Win32Error && (e.code === ERROR_FILE_NOT_FOUND || e.code === ERROR_PATH_NOT_FOUND))) throw e;
    }
    if (existing) {
      const sameLink = existing.reparse?.tag === IO_REPARSE_TAG_SYMLINK && existing.reparse.substituteName.toUpperCase() === substituteName.toUpperCase();
      if (!sameLink) {
        if (!(existing.attributes & FILE_ATTRIBUTE_DIRECTORY) || existing.attributes & FILE_ATTRIBUTE_REPARSE_POINT) throw new Win32Error(op, ERROR_ALREADY_EXISTS, at);
        if (host.list(path).length > 0) throw new Win32Error(op, ERROR_DIR_NOT_EMPTY, at);
        host.removeDirectory(path);
      }
    }
    if (!existing || existing.attributes & FILE_ATTRIBUTE_DIRECTORY && !existing.reparse) {
      host.createReparsePoint(path, { tag: IO_REPARSE_TAG_SYMLINK, substituteName, printName: `\\\\?\\${CONTAINER_MAPPED_DIRECTORIES}\\${guid}`, relative: false }, true);
    }
    this.registerMappedDirectory(guid, volume);
  }

  // ---- resolution ----------------------------------------------------------------------

  fullPath(path: string, cwd: string): string {
    return parseWin32Path(path, cwd).full;
  }

  /** The volume a parsed target names; devices are handled by the callers. */
  private locate(op: string, target: Win32Target, object: string): Located {
    switch (target.kind) {
      case 'drive': {
        const volume = this.drives.get(target.drive);
        if (!volume) throw new Win32Error(op, ERROR_PATH_NOT_FOUND, object);
        return { volume, path: target.path === '' ? '\\' : target.path, root: `${target.drive}:` };
      }
      case 'unc':
        throw new Win32Error(op, ERROR_BAD_NETPATH, object);
      case 'object': {
        const parts = target.path.split('\\');
        if (parts[0]!.toUpperCase() === CONTAINER_MAPPED_DIRECTORIES.toUpperCase() && parts.length >= 2) {
          const volume = this.mapped.get(parts[1]!.toUpperCase());
          if (volume) {
            const rest = parts.slice(2).join('\\');
            return { volume, path: '\\' + rest, root: `\\\\?\\${CONTAINER_MAPPED_DIRECTORIES}\\${parts[1]}` };
          }
        }
        throw new Win32Error(op, ERROR_PATH_NOT_FOUND, object);
      }
      case 'device':
        throw new Win32Error(op, ERROR_ACCESS_DENIED, object);
    }
  }

  /** Where the reparse point `e` (met while walking `loc`) sends the walk. */
  private reparse(op: string, loc: Located, e: ReparseRequired, object: string): Located {
    const d = e.data;
    if (d.tag !== IO_REPARSE_TAG_SYMLINK && d.tag !== IO_REPARSE_TAG_MOUNT_POINT) throw new Win32Error(op, ERROR_CANT_ACCESS_FILE, object);
    const tail = e.remaining.replace(/^\\/, '');
    if (d.tag === IO_REPARSE_TAG_SYMLINK && d.relative) {
      const path = applyRelative(splitVolumePath(e.at).parent, d.substituteName);
      return { ...loc, path: joinVolumePath(path, tail) };
    }
    const target = parseNtPath(d.substituteName);
    if (!target || target.kind === 'device') throw new Win32Error(op, ERROR_PATH_NOT_FOUND, object);
    const next = this.locate(op, target, object);
    return { ...next, path: joinVolumePath(next.path, tail) };
  }

  /** Runs `fn` at `loc`, following every reparse point it reports. */
  private follow<T>(op: string, loc: Located, object: string, fn: (l: Located) => T): T {
    let l = loc;
    for (let count = 0; ; count++) {
      try {
        return fn(l);
      } catch (e) {
        if (!(e instanceof ReparseRequired)) throw e;
        if (count >= FS_LIMITS.maxReparse) throw new Win32Error(op, ERROR_CANT_RESOLVE_FILENAME, object);
        l = this.reparse(op, l, e, object);
      }
    }
  }

  /** Where `loc` finally is once every reparse point on the way, and at its end unless `openReparsePoint`, is followed. */
  private final(op: string, loc: Located, object: string, openReparsePoint: boolean): Located {
    return this.follow(op, loc, object, (l) => {
      l.volume.stat(l.path, { openReparsePoint });
      return l;
    });
  }

  /** The directory `loc` names, followed to where it really is: ERROR_PATH_NOT_FOUND if it is missing or not a directory. */
  private finalDirectory(op: string, loc: Located, object: string): Located {
    let info: FileInfo | undefined;
    const l = this.follow(op, loc, object, (x) => {
      try {
        info = x.volume.stat(x.path);
      } catch (e) {
        if (e instanceof Win32Error && e.code === ERROR_FILE_NOT_FOUND) throw new Win32Error(op, ERROR_PATH_NOT_FOUND, object);
        throw e;
      }
      return x;
    });
    if (!info || !(info.attributes & FILE_ATTRIBUTE_DIRECTORY)) throw new Win32Error(op, ERROR_PATH_NOT_FOUND, object);
    return l;
  }

  private parse(op: string, path: string, cwd: string): Win32Path {
    return parseWin32Path(path, cwd, op);
  }

  /** The parsed path, refusing devices for an operation that changes names. */
  private located(op: string, path: string, cwd: string): { loc: Located; parsed: Win32Path } {
    const parsed = this.parse(op, path, cwd);
    if (parsed.target.kind === 'device' || consoleName(path)) throw new Win32Error(op, ERROR_ACCESS_DENIED, path);
    return { loc: this.locate(op, parsed.target, path), parsed };
  }

  private display(l: Located): string {
    return l.root + (l.path === '\\' && l.root.endsWith(':') ? '\\' : l.path === '\\' ? '' : l.path);
  }

  // ---- FileSystemView ------------------------------------------------------------------

  open(path: string, cwd: string, opts: OpenOptions): FileHandle {
    const op = 'CreateFile';
    const parsed = this.parse(op, path, cwd);
    const con = consoleName(path);
    if (con || parsed.target.kind === 'device') {
      const name = con ?? (parsed.target as { name: string }).name;
      if (name.toUpperCase() === 'NUL') return new NullHandle(parsed.full);
      const h = this.openDevice?.(name, opts);
      if (!h) throw new Win32Error(op, ERROR_FILE_NOT_FOUND, path);
      return h;
    }
    const loc = this.locate(op, parsed.target, path);
    if (parsed.trailingSeparator && !opts.directory) {
      // A trailing separator names a directory: a file there (existing or to be created) is an invalid name.
      let info: FileInfo | undefined;
      try {
        info = this.follow(op, loc, path, (l) => l.volume.stat(l.path, { openReparsePoint: opts.openReparsePoint }));
      } catch (e) {
        if (!(e instanceof Win32Error && e.code === ERROR_FILE_NOT_FOUND)) throw e;
      }
      if (info ? !(info.attributes & FILE_ATTRIBUTE_DIRECTORY) : opts.disposition !== 'open' && opts.disposition !== 'overwrite') {
        throw new Win32Error(op, ERROR_INVALID_NAME, path);
      }
    }
    return this.follow(op, loc, path, (l) => new ViewHandle(this.display(l), l.volume.open(l.path, opts)));
  }

  stat(path: string, cwd: string, opts: { openReparsePoint?: boolean } = {}): FileInfo {
    const op = 'GetFileAttributesEx';
    const parsed = this.parse(op, path, cwd);
    if (parsed.target.kind === 'device' || consoleName(path)) {
      const name = consoleName(path) ?? (parsed.target as { name: string }).name;
      return { name, attributes: FILE_ATTRIBUTE_ARCHIVE, size: 0, allocationSize: 0, creationTime: 0, lastAccessTime: 0, lastWriteTime: 0, changeTime: 0, fileId: 0, linkCount: 1 };
    }
    const loc = this.locate(op, parsed.target, path);
    const info = this.follow(op, loc, path, (l) => l.volume.stat(l.path, opts));
    if (parsed.trailingSeparator && !(info.attributes & FILE_ATTRIBUTE_DIRECTORY)) throw new Win32Error(op, ERROR_INVALID_NAME, path);
    return info;
  }

  list(path: string, cwd: string): FileInfo[] {
    const op = 'FindFirstFile';
    const parsed = this.parse(op, path, cwd);
    if (parsed.target.kind === 'device' || consoleName(path)) throw new Win32Error(op, ERROR_DIRECTORY, path);
    const loc = this.locate(op, parsed.target, path);
    return this.follow(op, loc, path, (l) => l.volume.list(l.path));
  }

  createDirectory(path: string, cwd: string): void {
    const op = 'CreateDirectory';
    const { loc } = this.located(op, path, cwd);
    this.follow(op, loc, path, (l) => l.volume.createDirectory(l.path));
  }

  removeDirectory(path: string, cwd: string): void {
    const op = 'RemoveDirectory';
    const { loc } = this.located(op, path, cwd);
    this.follow(op, loc, path, (l) => l.volume.removeDirectory(l.path));
  }

  deleteFile(path: string, cwd: string): void {
    const op = 'DeleteFile';
    const { loc, parsed } = this.located(op, path, cwd);
    if (parsed.trailingSeparator) throw new Win32Error(op, ERROR_INVALID_NAME, path);
    this.follow(op, loc, path, (l) => l.volume.deleteFile(l.path));
  }

  /**
   * MoveFileEx within one volume. The target's directory is resolved first
   * (through any reparse points); a source and target on different
   * volumes is ERROR_NOT_SAME_DEVICE (MoveFile without
   * MOVEFILE_COPY_ALLOWED).
   */
  rename(from: string, to: string, cwd: string, replaceExisting: boolean): void {
    const op = 'MoveFileEx';
    const src = this.located(op, from, cwd).loc;
    const dst = this.located(op, to, cwd).loc;
    const { parent, name } = splitVolumePath(dst.path);
    if (name === '') throw new Win32Error(op, ERROR_ACCESS_DENIED, to);
    const dir = this.finalDirectory(op, { ...dst, path: parent }, to);
    const target = joinVolumePath(dir.path, name);
    // The source's directory is followed too (a file under a bind mount's
    // link lives on the bound volume); the source itself is not: MoveFile
    // renames a link, not what it points at.
    const from_ = splitVolumePath(src.path);
    const source = from_.name === '' ? src : this.finalDirectory(op, { ...src, path: from_.parent }, from);
    const sourcePath = from_.name === '' ? src.path : joinVolumePath(source.path, from_.name);
    if (source.volume !== dir.volume) throw new Win32Error(op, ERROR_NOT_SAME_DEVICE, to);
    source.volume.rename(sourcePath, target, replaceExisting);
  }

  setAttributes(path: string, cwd: string, attributes: number): void {
    const op = 'SetFileAttributes';
    const { loc } = this.located(op, path, cwd);
    this.follow(op, loc, path, (l) => l.volume.setAttributes(l.path, attributes));
  }

  setTimes(path: string, cwd: string, times: Partial<Pick<FileInfo, 'creationTime' | 'lastAccessTime' | 'lastWriteTime'>>): void {
    const op = 'SetFileTime';
    const { loc } = this.located(op, path, cwd);
    this.follow(op, loc, path, (l) => l.volume.setTimes(l.path, times));
  }

  /**
   * CreateSymbolicLink: an absolute target (`C:\x`, `\\?\…`, `\\server\share`)
   * is stored as an NT path (`\??\C:\x`) with the target as typed for
   * `dir` to show; a relative one (`..\x`, `x`, or rooted `\x`) is stored
   * as typed with SYMLINK_FLAG_RELATIVE and resolved from the link's
   * directory when followed. The target need not exist.
   */
  createSymbolicLink(path: string, target: string, cwd: string, directory: boolean): void {
    const op = 'CreateSymbolicLink';
    if (target.length === 0) throw new Win32Error(op, ERROR_INVALID_PARAMETER, path);
    const { loc } = this.located(op, path, cwd);
    const absolute = /^[A-Za-z]:[\\/]/.test(target) || /^[\\/]{2}/.test(target);
    let data: ReparseData;
    if (absolute) {
      const t = parseWin32Path(target, cwd, op);
      const nt = t.full.startsWith('\\\\?\\') || t.full.startsWith('\\\\.\\') ? '\\??\\' + t.full.slice(4) : t.target.kind === 'unc' ? '\\??\\UNC\\' + t.full.slice(2) : '\\??\\' + t.full;
      data = { tag: IO_REPARSE_TAG_SYMLINK, substituteName: nt, printName: target, relative: false };
    } else {
      const rel = target.replace(/\//g, '\\');
      data = { tag: IO_REPARSE_TAG_SYMLINK, substituteName: rel, printName: rel, relative: true };
    }
    this.follow(op, loc, path, (l) => l.volume.createReparsePoint(l.path, data, directory));
  }

  /** `mklink /J`: the target is made absolute against `cwd` and must be on a drive (ERROR_INVALID_REPARSE_DATA otherwise). */
  createJunction(path: string, target: string, cwd: string): void {
    const op = 'CreateJunction';
    const { loc } = this.located(op, path, cwd);
    const t = parseWin32Path(target, cwd, op);
    if (t.target.kind !== 'drive') throw new Win32Error(op, ERROR_INVALID_REPARSE_DATA, target);
    const full = `${t.target.drive}:${t.target.path}`;
    const data: ReparseData = { tag: IO_REPARSE_TAG_MOUNT_POINT, substituteName: `\\??\\${full}`, printName: full, relative: false };
    this.follow(op, loc, path, (l) => l.volume.createReparsePoint(l.path, data, true));
  }

  /**
   * NtCreateSection(SEC_IMAGE) for a process being created from `path`:
   * resolved as an open is (reparse points followed), then the volume holds
   * the file as an image (Volume.mapImage). A volume that holds no images
   * (a bound host directory) gives a section that holds nothing.
   */
  mapImage(path: string, cwd: string, fileId?: number): ImageSection {
    const op = 'NtCreateSection';
    // GetFullPathName is a pure function of the path and cwd, and every boot maps the same few images.
    const key = `${cwd}\0${path}`;
    let parsed = IMAGE_PATHS.get(key);
    if (!parsed) {
      parsed = this.parse(op, path, cwd);
      if (IMAGE_PATHS.size < IMAGE_PATHS_MAX) IMAGE_PATHS.set(key, parsed);
    }
    if (parsed.target.kind === 'device' || consoleName(path)) throw new Win32Error(op, ERROR_ACCESS_DENIED, path);
    const loc = this.locate(op, parsed.target, path);
    return this.follow(op, loc, path, (l) => (l.volume.mapImage ? l.volume.mapImage(l.path, fileId) : NO_SECTION));
  }

  createHardLink(path: string, existing: string, cwd: string): void {
    const op = 'CreateHardLink';
    const ex = this.final(op, this.located(op, existing, cwd).loc, existing, true);
    const dst = this.located(op, path, cwd).loc;
    const { parent, name } = splitVolumePath(dst.path);
    if (name === '') throw new Win32Error(op, ERROR_ALREADY_EXISTS, path);
    const dir = this.finalDirectory(op, { ...dst, path: parent }, path);
    if (dir.volume !== ex.volume) throw new Win32Error(op, ERROR_NOT_SAME_DEVICE, path);
    ex.volume.createHardLink(joinVolumePath(dir.path, name), ex.path);
  }
}

/** Parsed image paths (mapImage), shared by every view: an immutable cache of a pure function, bounded. */
const IMAGE_PATHS = new Map<string, Win32Path>();
const IMAGE_PATHS_MAX = 512;

/** The section of a volume that holds no images. */
const NO_SECTION: ImageSection = Object.freeze({ close: () => undefined });

/** A handle from a volume, carrying the full Win32 path of what was opened. */
class ViewHandle implements FileHandle {
  constructor(
    readonly path: string,
    private readonly inner: FileHandle,
  ) {}

  info(): FileInfo {
    return this.inner.info();
  }

  read(position: number, into: Uint8Array): number {
    return this.inner.read(position, into);
  }

  write(position: number, data: Uint8Array): number {
    return this.inner.write(position, data);
  }

  setSize(size: number): void {
    this.inner.setSize(size);
  }

  close(): void {
    this.inner.close();
  }
}

/** \Device\Null: reads end at once, writes are accepted and dropped. */
class NullHandle implements FileHandle {
  private closed = false;

  constructor(readonly path: string) {}

  private check(op: string): void {
    if (this.closed) throw new Win32Error(op, ERROR_INVALID_HANDLE, this.path);
  }

  info(): FileInfo {
    this.check('GetFileInformationByHandle');
    return { name: 'NUL', attributes: FILE_ATTRIBUTE_ARCHIVE, size: 0, allocationSize: 0, creationTime: 0, lastAccessTime: 0, lastWriteTime: 0, changeTime: 0, fileId: 0, linkCount: 1 };
  }

  read(_position: number, _into: Uint8Array): number {
    this.check('ReadFile');
    return 0;
  }

  write(_position: number, data: Uint8Array): number {
    this.check('WriteFile');
    return data.length;
  }

  setSize(_size: number): void {
    this.check('SetEndOfFile');
  }

  close(): void {
    this.check('CloseHandle');
    this.closed = true;
  }
}
