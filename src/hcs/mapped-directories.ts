/**
 * Mapped directories: how HCS binds a host directory into a container
 * (`-v HOST:C:\data`). Inside, `C:\data` is a directory symbolic link to
 * `\\?\ContainerMappedDirectories\<GUID>` — what `dir C:\` shows as
 * `<SYMLINKD>     data [\\?\ContainerMappedDirectories\<GUID>]` — and the
 * silo's view resolves that GUID to the bound host directory
 * (src/kernel/fs/view.ts, host-volume.ts: nothing outside it is reachable;
 * `ReadOnly` refuses every change with ERROR_ACCESS_DENIED, "Access is
 * denied.").
 *
 * The GUID: Windows picks a random one per mapping. Ours is a name-based
 * UUID (RFC 4122 version 5, SHA-1) of the compute system's id and the
 * container path (upper-cased, no trailing backslash) under a fixed
 * winsilo namespace GUID — decision: deterministic, so a restarted system
 * finds its links and the same configuration gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { ERROR_PATH_NOT_FOUND, Win32Error } from '../core/win32.js';
import { HostVolume, type FileHandle, type FileInfo, type ImageSection, type OpenOptions, type ReparseData, type Volume } from '../kernel/fs/index.js';

/** Decision: the namespace of winsilo's mapped-directory GUIDs (itself a fixed version-4-shaped GUID). */
const MAPPED_DIRECTORY_NAMESPACE = Uint8Array.from([0x6f, 0x1e, 0x2c, 0x43, 0x8b, 0x59, 0x4d, 0x2a, 0x9e, 0x07, 0x5c, 0x31, 0xa4, 0xd2, 0x68, 0x90]);

/** `C:\data\` and `c:\DATA` name one mapping. */
export function normaliseContainerPath(path: string): string {
  let p = path.replace(/\//g, '\\');
  while (p.length > 3 && p.endsWith('\\')) p = p.slice(0, -1);
  return p;
}

/** RFC 4122 version 5 over `namespace` and `name` (UTF-8), in the registry format Windows prints: upper-case, hyphenated. */
export function nameBasedGuid(namespace: Uint8Array, name: string): string {
  const h = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  const b = Uint8Array.from(h.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Buffer.from(b).toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The GUID under `\\?\ContainerMappedDirectories` for a mapping of `containerPath` in system `systemId`. */
export function mappedDirectoryGuid(systemId: string, containerPath: string): string {
  return nameBasedGuid(MAPPED_DIRECTORY_NAMESPACE, `${systemId}\n${normaliseContainerPath(containerPath).toUpperCase()}`);
}

/**
 * A bound volume that can be unbound while the silo runs (HcsModifyComputeSystem
 * Remove of a mapped directory): afterwards every call answers as the
 * unknown GUID does, ERROR_PATH_NOT_FOUND. Handles opened before keep working
 * (they are the host's open files).
 */
export class DetachableVolume implements Volume {
  private inner: Volume | undefined;

  constructor(inner: Volume) {
    this.inner = inner;
  }

  detach(): void {
    this.inner = undefined;
  }

  get attached(): boolean {
    return this.inner !== undefined;
  }

  private v(op: string, path: string): Volume {
    const v = this.inner;
    if (!v) throw new Win32Error(op, ERROR_PATH_NOT_FOUND, path);
    return v;
  }

  get label(): string {
    return this.inner?.label ?? '';
  }
  get serialNumber(): number {
    return this.inner?.serialNumber ?? 0;
  }
  get readOnly(): boolean {
    return this.inner?.readOnly ?? true;
  }
  space(): { totalBytes: number; freeBytes: number } {
    return this.v('GetDiskFreeSpaceEx', '\\').space();
  }
  open(path: string, opts: OpenOptions): FileHandle {
    return this.v('CreateFile', path).open(path, opts);
  }
  stat(path: string, opts?: { openReparsePoint?: boolean }): FileInfo {
    return this.v('GetFileAttributesEx', path).stat(path, opts);
  }
  list(path: string): FileInfo[] {
    return this.v('FindFirstFile', path).list(path);
  }
  createDirectory(path: string): void {
    this.v('CreateDirectory', path).createDirectory(path);
  }
  removeDirectory(path: string): void {
    this.v('RemoveDirectory', path).removeDirectory(path);
  }
  deleteFile(path: string): void {
    this.v('DeleteFile', path).deleteFile(path);
  }
  rename(from: string, to: string, replaceExisting: boolean): void {
    this.v('MoveFileEx', from).rename(from, to, replaceExisting);
  }
  setAttributes(path: string, attributes: number): void {
    this.v('SetFileAttributes', path).setAttributes(path, attributes);
  }
  setTimes(path: string, times: Partial<Pick<FileInfo, 'creationTime' | 'lastAccessTime' | 'lastWriteTime'>>): void {
    this.v('SetFileTime', path).setTimes(path, times);
  }
  createReparsePoint(path: string, data: ReparseData, directory: boolean): void {
    this.v('CreateSymbolicLink', path).createReparsePoint(path, data, directory);
  }
  createHardLink(path: string, existing: string): void {
    this.v('CreateHardLink', path).createHardLink(path, existing);
  }
  mapImage(path: string, fileId?: number): ImageSection {
    const v = this.v('NtCreateSection', path);
    return v.mapImage ? v.mapImage(path, fileId) : { close: () => undefined };
  }
}

/** One mapping of a running (or created) system. */
export interface ActiveMapping {
  readonly hostPath: string;
  /** Normalised (`C:\data`). */
  readonly containerPath: string;
  readonly readOnly: boolean;
  readonly guid: string;
  readonly volume: DetachableVolume;
}

/**
 * Opens the host directory of a mapping. Throws Win32Error
 * ERROR_PATH_NOT_FOUND (3) when it is not an existing directory.
 */
export function openMapping(systemId: string, hostPath: string, containerPath: string, readOnly: boolean): ActiveMapping {
  const cp = normaliseContainerPath(containerPath);
  return {
    hostPath,
    containerPath: cp,
    readOnly,
    guid: mappedDirectoryGuid(systemId, cp),
    volume: new DetachableVolume(new HostVolume(hostPath, { readOnly })),
  };
}
