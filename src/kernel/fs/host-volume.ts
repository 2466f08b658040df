/**
 * A bind mount: a Volume over a real host directory, for `docker run -v
 * HOSTDIR:C:\path[:ro]` (node:fs, synchronous).
 *
 * Containment is the point of this file: nothing a container does may
 * reach a host path outside the bound directory.
 *  - Volume paths arrive normalised (no `.`/`..`), and every component is
 *    checked again here (names.ts refuses `.`, `..`, separators and the
 *    other reserved characters), so joining them can only go down.
 *  - Host symlinks inside the directory are followed only while they stay
 *    inside: after resolving a path, the real path of the deepest existing
 *    part (realpathSync) must lie within the real path of the bound
 *    directory, else ERROR_ACCESS_DENIED ("Access is denied."). Opens then
 *    use that real path with O_NOFOLLOW, so a symlink swapped in at the
 *    last component after the check is not followed either. A directory
 *    swapped for a symlink between the check and the call (a race with a
 *    host process) is not guarded against.
 *  - Listings leave out entries that are host symlinks leading outside (or
 *    nowhere): their targets' sizes and times are the host's business.
 *
 * Names are looked up case-insensitively (the exact name first, then a
 * scan of the directory), as an NTFS host directory would be; Windows'
 * attributes other than READONLY (the owner's write bit) cannot be kept on
 * a POSIX file system and read back as ARCHIVE for files. Reparse points
 * cannot be created here (ERROR_NOT_SUPPORTED). A read-only bind refuses
 * every change with ERROR_ACCESS_DENIED, as docker's `:ro` does on Windows.
 */
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import {
  ERROR_ACCESS_DENIED,
  ERROR_ALREADY_EXISTS,
  ERROR_DIRECTORY,
  ERROR_DIR_NOT_EMPTY,
  ERROR_DISK_FULL,
  ERROR_FILENAME_EXCED_RANGE,
  ERROR_FILE_EXISTS,
  ERROR_FILE_NOT_FOUND,
  ERROR_INVALID_FUNCTION,
  ERROR_INVALID_HANDLE,
  ERROR_INVALID_NAME,
  ERROR_INVALID_PARAMETER,
  ERROR_IO_DEVICE,
  ERROR_NOT_SAME_DEVICE,
  ERROR_NOT_SUPPORTED,
  ERROR_PATH_NOT_FOUND,
  ERROR_SHARING_VIOLATION,
  ERROR_WRITE_PROTECT,
  Win32Error,
} from '../../core/win32.js';
import { componentProblem, compareNames, namesEqual } from './names.js';
import { DELETE_CLAIM, ShareTable, claimOf, type ShareClaim } from './share-access.js';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_READONLY,
  type FileHandle,
  type FileInfo,
  type OpenOptions,
  type ReparseData,
  type Volume,
} from './types.js';

export interface HostVolumeOptions {
  /** `:ro` — every change is ERROR_ACCESS_DENIED. */
  readOnly?: boolean;
  /** Shown by `vol` for a drive letter bound to the directory; '' by default. */
  label?: string;
  /** Default 0. */
  serialNumber?: number;
}

/** Where a volume path lands on the host. */
interface Resolved {
  /** The host path (real path of the parent joined with the last component's host name). */
  host: string;
  /** The last component's name as it exists on the host (or as given, if it does not exist). */
  name: string;
  stat?: fs.Stats;
}

const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** Node's error codes → Win32 (the nearest Windows answer; unknown ones are ERROR_IO_DEVICE). */
function errnoToWin32(code: string | undefined): number {
  switch (code) {
    case 'ENOENT':
      return ERROR_FILE_NOT_FOUND;
    case 'ENOTDIR':
      return ERROR_PATH_NOT_FOUND;
    case 'EACCES':
    case 'EPERM':
    case 'EISDIR':
    case 'ELOOP':
      return ERROR_ACCESS_DENIED;
    case 'EEXIST':
      return ERROR_ALREADY_EXISTS;
    case 'ENOTEMPTY':
      return ERROR_DIR_NOT_EMPTY;
    case 'ENOSPC':
    case 'EDQUOT':
      return ERROR_DISK_FULL;
    case 'EROFS':
      return ERROR_WRITE_PROTECT;
    case 'ENAMETOOLONG':
      return ERROR_FILENAME_EXCED_RANGE;
    case 'EXDEV':
      return ERROR_NOT_SAME_DEVICE;
    case 'EBUSY':
      return ERROR_SHARING_VIOLATION;
    case 'EINVAL':
      return ERROR_INVALID_PARAMETER;
    default:
      return ERROR_IO_DEVICE;
  }
}

export class HostVolume implements Volume {
  readonly readOnly: boolean;
  readonly label: string;
  readonly serialNumber: number;
  /** The bound directory's real path: nothing outside it is ever touched. */
  readonly root: string;
  private readonly shares = new ShareTable<string>();

  /** Throws Win32Error ERROR_PATH_NOT_FOUND when `hostDirectory` is not an existing directory. */
  constructor(hostDirectory: string, options: HostVolumeOptions = {}) {
    let root: string;
    try {
      root = fs.realpathSync(hostDirectory);
      if (!fs.statSync(root).isDirectory()) throw new Error('not a directory');
    } catch {
      throw new Win32Error('HostVolume', ERROR_PATH_NOT_FOUND, hostDirectory);
    }
    this.root = root;
    this.readOnly = options.readOnly ?? false;
    this.label = options.label ?? '';
    this.serialNumber = (options.serialNumber ?? 0) >>> 0;
  }

  private fail(op: string, code: number, path: string): never {
    throw new Win32Error(op, code, path);
  }

  private inside(real: string): boolean {
    return real === this.root || real.startsWith(this.root.endsWith(nodePath.sep) ? this.root : this.root + nodePath.sep);
  }

  /** realpath of `host`, which must stay inside the bound directory. */
  private contained(op: string, host: string, path: string): string {
    let real: string;
    try {
      real = fs.realpathSync(host);
    } catch (e) {
      throw new Win32Error(op, errnoToWin32((e as NodeJS.ErrnoException).code), path);
    }
    if (!this.inside(real)) this.fail(op, ERROR_ACCESS_DENIED, path);
    return real;
  }

  /** The host name of `name` in host directory `dir`: exact, else the first case-insensitive match. */
  private hostName(dir: string, name: string): string | undefined {
    try {
      fs.lstatSync(nodePath.join(dir, name));
      return name;
    } catch {
      /* not under that exact spelling */
    }
    try {
      return fs.readdirSync(dir).find((n) => namesEqual(n, name));
    } catch {
      return undefined;
    }
  }

  /**
   * Resolves a volume path: each directory on the way must exist (else
   * ERROR_PATH_NOT_FOUND) and stay inside the bind; the last component may
   * be missing (`stat` undefined then).
   */
  private resolve(op: string, path: string): Resolved {
    if (!path.startsWith('\\')) this.fail(op, ERROR_INVALID_NAME, path);
    const comps = path === '\\' ? [] : path.slice(1).split('\\');
    for (const c of comps) {
      const problem = componentProblem(c);
      if (problem !== undefined) this.fail(op, problem, path);
    }
    let dir = this.root;
    for (let i = 0; i < comps.length - 1; i++) {
      const n = this.hostName(dir, comps[i]!);
      if (n === undefined) this.fail(op, ERROR_PATH_NOT_FOUND, path);
      const real = this.contained(op, nodePath.join(dir, n), path);
      if (!fs.statSync(real).isDirectory()) this.fail(op, ERROR_PATH_NOT_FOUND, path);
      dir = real;
    }
    if (comps.length === 0) return { host: this.root, name: '', stat: fs.statSync(this.root) };
    const last = comps[comps.length - 1]!;
    const n = this.hostName(dir, last);
    if (n === undefined) return { host: nodePath.join(dir, last), name: last };
    const real = this.contained(op, nodePath.join(dir, n), path);
    return { host: real, name: n, stat: fs.statSync(real) };
  }

  private guard<T>(op: string, path: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof Win32Error) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (typeof code === 'string') throw new Win32Error(op, errnoToWin32(code), path);
      throw e;
    }
  }

  private checkWritable(op: string, path: string): void {
    if (this.readOnly) this.fail(op, ERROR_ACCESS_DENIED, path);
  }

  private infoOf(name: string, st: fs.Stats): FileInfo {
    const dir = st.isDirectory();
    let attributes = dir ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE;
    if ((st.mode & 0o222) === 0) attributes |= FILE_ATTRIBUTE_READONLY;
    return {
      name,
      attributes,
      size: dir ? 0 : st.size,
      allocationSize: dir ? 0 : st.blocks * 512,
      creationTime: st.birthtimeMs || st.ctimeMs,
      lastAccessTime: st.atimeMs,
      lastWriteTime: st.mtimeMs,
      changeTime: st.ctimeMs,
      fileId: st.ino,
      linkCount: st.nlink,
    };
  }

  space(): { totalBytes: number; freeBytes: number } {
    try {
      const s = fs.statfsSync(this.root);
      return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
    } catch {
      return { totalBytes: 0, freeBytes: 0 };
    }
  }

  stat(path: string): FileInfo {
    const op = 'GetFileAttributesEx';
    return this.guard(op, path, () => {
      const r = this.resolve(op, path);
      if (!r.stat) this.fail(op, ERROR_FILE_NOT_FOUND, path);
      return this.infoOf(r.name, r.stat);
    });
  }

  list(path: string): FileInfo[] {
    const op = 'FindFirstFile';
    return this.guard(op, path, () => {
      const r = this.resolve(op, path);
      if (!r.stat) this.fail(op, ERROR_PATH_NOT_FOUND, path);
      if (!r.stat.isDirectory()) this.fail(op, ERROR_DIRECTORY, path);
      const out: FileInfo[] = [];
      for (const n of fs.readdirSync(r.host)) {
        const host = nodePath.join(r.host, n);
        let real: string;
        try {
          real = fs.realpathSync(host);
        } catch {
          continue;
        }
        if (!this.inside(real) || componentProblem(n) !== undefined) continue;
        out.push(this.infoOf(n, fs.statSync(real)));
      }
      return out.sort((a, b) => compareNames(a.name, b.name));
    });
  }

  open(path: string, opts: OpenOptions): FileHandle {
    const op = 'CreateFile';
    return this.guard(op, path, () => {
      if (opts.directory && opts.nonDirectory) this.fail(op, ERROR_INVALID_PARAMETER, path);
      const r = this.resolve(op, path);
      const claim = claimOf(opts);
      const d = opts.disposition;
      const truncating = d === 'overwrite' || d === 'overwriteIf' || d === 'supersede';
      if (r.stat) {
        if (d === 'create') this.fail(op, ERROR_FILE_EXISTS, path);
        const dir = r.stat.isDirectory();
        if (dir) {
          if (opts.nonDirectory || truncating || (claim.write && !opts.directory)) this.fail(op, ERROR_ACCESS_DENIED, path);
        } else {
          if (opts.directory) this.fail(op, ERROR_DIRECTORY, path);
          if ((r.stat.mode & 0o222) === 0 && (claim.write || claim.delete || truncating)) this.fail(op, ERROR_ACCESS_DENIED, path);
        }
        const key = `${r.stat.dev}:${r.stat.ino}`;
        if (this.shares.conflicts(key, truncating ? { ...claim, write: true } : claim)) this.fail(op, ERROR_SHARING_VIOLATION, path);
        if (claim.write || claim.delete || truncating) this.checkWritable(op, path);
        let fd: number | undefined;
        if (!dir) {
          const flags = (claim.write || truncating ? fs.constants.O_RDWR : fs.constants.O_RDONLY) | (truncating ? fs.constants.O_TRUNC : 0) | NOFOLLOW;
          fd = fs.openSync(r.host, flags);
        }
        this.shares.add(key, claim);
        return new HostHandle(this, r.host, key, claim, path, fd, r.name);
      }
      if (d === 'open' || d === 'overwrite') this.fail(op, ERROR_FILE_NOT_FOUND, path);
      this.checkWritable(op, path);
      let fd: number | undefined;
      if (opts.directory) fs.mkdirSync(r.host);
      else fd = fs.openSync(r.host, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW, (opts.attributes ?? 0) & FILE_ATTRIBUTE_READONLY ? 0o444 : 0o666);
      const st = fs.statSync(r.host);
      const key = `${st.dev}:${st.ino}`;
      this.shares.add(key, claim);
      return new HostHandle(this, r.host, key, claim, path, fd, r.name);
    });
  }

  createDirectory(path: string): void {
    const op = 'CreateDirectory';
    this.guard(op, path, () => {
      const r = this.resolve(op, path);
      if (r.stat) this.fail(op, ERROR_ALREADY_EXISTS, path);
      this.checkWritable(op, path);
      fs.mkdirSync(r.host);
    });
  }

  removeDirectory(path: string): void {
    const op = 'RemoveDirectory';
    this.guard(op, path, () => {
      const r = this.resolve(op, path);
      if (!r.stat) this.fail(op, ERROR_FILE_NOT_FOUND, path);
      if (!r.stat.isDirectory()) this.fail(op, ERROR_DIRECTORY, path);
      if (path === '\\') this.fail(op, ERROR_ACCESS_DENIED, path);
      this.checkWritable(op, path);
      if (this.shares.conflicts(`${r.stat.dev}:${r.stat.ino}`, DELETE_CLAIM)) this.fail(op, ERROR_SHARING_VIOLATION, path);
      if (fs.readdirSync(r.host).length > 0) this.fail(op, ERROR_DIR_NOT_EMPTY, path);
      fs.rmdirSync(r.host);
    });
  }

  deleteFile(path: string): void {
    const op = 'DeleteFile';
    this.guard(op, path, () => {
      const r = this.resolve(op, path);
      if (!r.stat) this.fail(op, ERROR_FILE_NOT_FOUND, path);
      if (r.stat.isDirectory()) this.fail(op, ERROR_ACCESS_DENIED, path);
      this.checkWritable(op, path);
      if (this.shares.conflicts(`${r.stat.dev}:${r.stat.ino}`, DELETE_CLAIM)) this.fail(op, ERROR_SHARING_VIOLATION, path);
      if ((r.stat.mode & 0o222) === 0) this.fail(op, ERROR_ACCESS_DENIED, path);
      fs.unlinkSync(r.host);
    });
  }

  rename(from: string, to: string, replaceExisting: boolean): void {
    const op = 'MoveFileEx';
    this.guard(op, from, () => {
      const src = this.resolve(op, from);
      if (!src.stat) this.fail(op, ERROR_FILE_NOT_FOUND, from);
      if (from === '\\') this.fail(op, ERROR_ACCESS_DENIED, from);
      const dst = this.resolve(op, to);
      this.checkWritable(op, from);
      const newHost = nodePath.join(nodePath.dirname(dst.host), to.slice(to.lastIndexOf('\\') + 1));
      const same = dst.stat !== undefined && dst.stat.ino === src.stat.ino && dst.stat.dev === src.stat.dev && nodePath.dirname(dst.host) === nodePath.dirname(src.host);
      if (src.stat.isDirectory() && (newHost + nodePath.sep).startsWith(src.host + nodePath.sep) && newHost !== src.host) {
        this.fail(op, nodePath.dirname(newHost) === src.host ? ERROR_SHARING_VIOLATION : ERROR_ACCESS_DENIED, to);
      }
      if (this.shares.conflicts(`${src.stat.dev}:${src.stat.ino}`, DELETE_CLAIM)) this.fail(op, ERROR_SHARING_VIOLATION, from);
      if (dst.stat && !same) {
        if (!replaceExisting) this.fail(op, ERROR_ALREADY_EXISTS, to);
        if (dst.stat.isDirectory() || src.stat.isDirectory()) this.fail(op, ERROR_ACCESS_DENIED, to);
        if ((dst.stat.mode & 0o222) === 0 || this.shares.isOpen(`${dst.stat.dev}:${dst.stat.ino}`)) this.fail(op, ERROR_ACCESS_DENIED, to);
        fs.unlinkSync(dst.host);
      }
      fs.renameSync(src.host, newHost);
    });
  }

  setAttributes(path: string, attributes: number): void {
    const op = 'SetFileAttributes';
    this.guard(op, path, () => {
      const r = this.resolve(op, path);
      if (!r.stat) this.fail(op, ERROR_FILE_NOT_FOUND, path);
      this.checkWritable(op, path);
      const mode = r.stat.mode & 0o7777;
      fs.chmodSync(r.host, attributes & FILE_ATTRIBUTE_READONLY ? mode & ~0o222 : mode | 0o200);
    });
  }

  setTimes(path: string, times: Partial<Pick<FileInfo, 'creationTime' | 'lastAccessTime' | 'lastWriteTime'>>): void {
    const op = 'SetFileTime';
    this.guard(op, path, () => {
      const r = this.resolve(op, path);
      if (!r.stat) this.fail(op, ERROR_FILE_NOT_FOUND, path);
      this.checkWritable(op, path);
      // A POSIX host keeps no settable creation time; it is left as is.
      fs.utimesSync(r.host, (times.lastAccessTime ?? r.stat.atimeMs) / 1000, (times.lastWriteTime ?? r.stat.mtimeMs) / 1000);
    });
  }

  createReparsePoint(path: string, _data: ReparseData, _directory: boolean): void {
    const op = 'CreateSymbolicLink';
    this.guard(op, path, () => {
      this.resolve(op, path);
      this.checkWritable(op, path);
      this.fail(op, ERROR_NOT_SUPPORTED, path);
    });
  }

  createHardLink(path: string, existing: string): void {
    const op = 'CreateHardLink';
    this.guard(op, path, () => {
      const ex = this.resolve(op, existing);
      if (!ex.stat) this.fail(op, ERROR_FILE_NOT_FOUND, existing);
      if (ex.stat.isDirectory()) this.fail(op, ERROR_ACCESS_DENIED, existing);
      const r = this.resolve(op, path);
      if (r.stat) this.fail(op, ERROR_ALREADY_EXISTS, path);
      this.checkWritable(op, path);
      fs.linkSync(ex.host, r.host);
    });
  }

  /** @internal */
  release(key: string, claim: ShareClaim): void {
    this.shares.remove(key, claim);
  }

  /** @internal */
  hostGuard<T>(op: string, path: string, fn: () => T): T {
    return this.guard(op, path, fn);
  }
}

class HostHandle implements FileHandle {
  private closed = false;

  constructor(
    private readonly volume: HostVolume,
    private readonly host: string,
    private readonly key: string,
    private readonly claim: ShareClaim,
    readonly path: string,
    private readonly fd: number | undefined,
    private readonly name: string,
  ) {}

  private check(op: string): void {
    if (this.closed) throw new Win32Error(op, ERROR_INVALID_HANDLE, this.path);
  }

  private data(op: string, write: boolean): number {
    this.check(op);
    if (this.fd === undefined) throw new Win32Error(op, ERROR_INVALID_FUNCTION, this.path);
    if (write ? !this.claim.write : !this.claim.read) throw new Win32Error(op, ERROR_ACCESS_DENIED, this.path);
    return this.fd;
  }

  info(): FileInfo {
    const op = 'GetFileInformationByHandle';
    this.check(op);
    return this.volume.hostGuard(op, this.path, () => {
      const st = this.fd !== undefined ? fs.fstatSync(this.fd) : fs.statSync(this.host);
      const dir = st.isDirectory();
      let attributes = dir ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE;
      if ((st.mode & 0o222) === 0) attributes |= FILE_ATTRIBUTE_READONLY;
      return {
        name: this.name,
        attributes,
        size: dir ? 0 : st.size,
        allocationSize: dir ? 0 : st.blocks * 512,
        creationTime: st.birthtimeMs || st.ctimeMs,
        lastAccessTime: st.atimeMs,
        lastWriteTime: st.mtimeMs,
        changeTime: st.ctimeMs,
        fileId: st.ino,
        linkCount: st.nlink,
      };
    });
  }

  read(position: number, into: Uint8Array): number {
    const fd = this.data('ReadFile', false);
    if (!Number.isSafeInteger(position) || position < 0) throw new Win32Error('ReadFile', ERROR_INVALID_PARAMETER, this.path);
    return this.volume.hostGuard('ReadFile', this.path, () => fs.readSync(fd, into, 0, into.length, position));
  }

  write(position: number, data: Uint8Array): number {
    const fd = this.data('WriteFile', true);
    if (!Number.isSafeInteger(position) || position < 0) throw new Win32Error('WriteFile', ERROR_INVALID_PARAMETER, this.path);
    return this.volume.hostGuard('WriteFile', this.path, () => {
      let done = 0;
      while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, position + done);
      return done;
    });
  }

  setSize(size: number): void {
    const fd = this.data('SetEndOfFile', true);
    if (!Number.isSafeInteger(size) || size < 0) throw new Win32Error('SetEndOfFile', ERROR_INVALID_PARAMETER, this.path);
    this.volume.hostGuard('SetEndOfFile', this.path, () => fs.ftruncateSync(fd, size));
  }

  close(): void {
    this.check('CloseHandle');
    this.closed = true;
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.volume.release(this.key, this.claim);
  }
}
