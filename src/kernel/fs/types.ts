/**
 * The file system contract: what a volume is (NTFS semantics on a `blocks`
 * disk, or a host directory bound into a container) and the Win32 view a
 * process uses (paths as users type them, resolved against the process's
 * current directory and its silo's drive letters). windows-facts §4;
 * issue 6 "File system on a blocks disk" and "Volumes".
 *
 * Errors are thrown as Win32Error (src/core/win32.ts) carrying the code a
 * program's GetLastError would return, so cmd.exe and PowerShell print
 * FormatMessage's text. Codes used, and when:
 *  - ERROR_FILE_NOT_FOUND (2)       the last component does not exist
 *  - ERROR_PATH_NOT_FOUND (3)       a directory on the way does not exist, or is a file
 *  - ERROR_ACCESS_DENIED (5)        read-only file opened for write or deleted; directory
 *                                   opened as a file; read-only bind mount written;
 *                                   a path that would leave a bound host directory
 *  - ERROR_SHARING_VIOLATION (32)   an open handle's share mode forbids the access
 *  - ERROR_FILE_EXISTS (80)         create of a file that exists (CreateFile CREATE_NEW)
 *  - ERROR_DISK_FULL (112)          the volume's disk is full (STATUS_DISK_FULL)
 *  - ERROR_INVALID_NAME (123)       invalid characters (< > : " | ? * and 0x01–0x1F)
 *  - ERROR_DIR_NOT_EMPTY (145)      RemoveDirectory of a non-empty directory
 *  - ERROR_ALREADY_EXISTS (183)     CreateDirectory / MoveFile onto an existing name
 *  - ERROR_FILENAME_EXCED_RANGE (206) a component longer than 255 characters
 *  - ERROR_DIRECTORY (267)          a file where a directory is required
 *  - ERROR_CANT_RESOLVE_FILENAME (1921) more than 63 reparse points on one path
 *  - ERROR_WRITE_PROTECT (19)       a write to a read-only (image layer) volume
 * and, from the implementations (README.md):
 *  - ERROR_INVALID_HANDLE (6)       a handle used after close
 *  - ERROR_NOT_SAME_DEVICE (17)     rename or hard link across volumes
 *  - ERROR_INVALID_FUNCTION (1)     reading or writing data through a directory handle
 *  - ERROR_INVALID_PARAMETER (87)   a negative or fractional position or size; directory with nonDirectory
 *  - ERROR_BAD_NETPATH (53)         a UNC path (no network here)
 *  - ERROR_NOT_SUPPORTED (50)       a reparse point on a bound host directory
 *  - ERROR_FILE_CORRUPT (1392)      on-disk structures that do not decode
 *  - ERROR_UNRECOGNIZED_VOLUME (1005) mounting a disk that holds no volume
 *  - ERROR_TOO_MANY_LINKS (1142)    a 1025th hard link
 *  - ERROR_INVALID_REPARSE_DATA (4392) a junction with a relative or empty target
 *  - ERROR_CANT_ACCESS_FILE (1920)  a reparse point whose tag nobody handles
 *  - ERROR_SHARING_VIOLATION (32)   also: moving a directory directly into itself (ACCESS_DENIED deeper)
 */

/** FILE_ATTRIBUTE_* — winnt.h ("File Attribute Constants", learn.microsoft.com). */
export const FILE_ATTRIBUTE_READONLY = 0x1;
export const FILE_ATTRIBUTE_HIDDEN = 0x2;
export const FILE_ATTRIBUTE_SYSTEM = 0x4;
export const FILE_ATTRIBUTE_DIRECTORY = 0x10;
export const FILE_ATTRIBUTE_ARCHIVE = 0x20;
export const FILE_ATTRIBUTE_NORMAL = 0x80;
export const FILE_ATTRIBUTE_REPARSE_POINT = 0x400;
export const FILE_ATTRIBUTE_NOT_CONTENT_INDEXED = 0x2000;

/** Reparse tags — ntifs.h ("Reparse Point Tags"). */
export const IO_REPARSE_TAG_MOUNT_POINT = 0xa0000003;
export const IO_REPARSE_TAG_SYMLINK = 0xa000000c;

/** What FindFirstFile / GetFileInformationByHandle report for one name. */
export interface FileInfo {
  /** The name as created (case preserved); '' for a volume's root. */
  name: string;
  /** FILE_ATTRIBUTE_* bits. */
  attributes: number;
  /** End of file in bytes (0 for a directory). */
  size: number;
  /** Bytes allocated on the volume (clusters in use). */
  allocationSize: number;
  /** Times in milliseconds since 1970-01-01 UTC (Date's unit; NTFS keeps 100 ns, shown to the minute by dir). */
  creationTime: number;
  lastAccessTime: number;
  lastWriteTime: number;
  changeTime: number;
  /** The file's id on its volume (NTFS file record number): equal for every hard link of one file. */
  fileId: number;
  /** Hard links to the file. */
  linkCount: number;
  /** For a reparse point (symlink, junction, mount point): its tag and data. */
  reparse?: ReparseData;
}

export interface ReparseData {
  tag: number;
  /** The substitute name as stored, e.g. `\??\C:\target` or `..\x` for a relative symlink. */
  substituteName: string;
  /** The print name `dir` shows in brackets, e.g. `C:\target`. */
  printName: string;
  /** SYMLINK_FLAG_RELATIVE: the substitute name is relative to the link's directory. */
  relative: boolean;
}

/** NtCreateFile's CreateDisposition (FILE_SUPERSEDE … FILE_OVERWRITE_IF). */
export type CreateDisposition = 'supersede' | 'open' | 'create' | 'openIf' | 'overwrite' | 'overwriteIf';

export interface OpenOptions {
  disposition: CreateDisposition;
  /** Access wanted. */
  read?: boolean;
  write?: boolean;
  delete?: boolean;
  /** Share mode granted to other openers; default: read, write and delete. */
  shareRead?: boolean;
  shareWrite?: boolean;
  shareDelete?: boolean;
  /** FILE_DIRECTORY_FILE: the target must be (or is created as) a directory. */
  directory?: boolean;
  /** FILE_NON_DIRECTORY_FILE: the target must not be a directory. */
  nonDirectory?: boolean;
  /** FILE_OPEN_REPARSE_POINT: open a reparse point itself rather than its target. */
  openReparsePoint?: boolean;
  /** Attributes for a newly created file (FILE_ATTRIBUTE_ARCHIVE is added for files, as NTFS does). */
  attributes?: number;
}

/**
 * An image section on a file (NtCreateSection with SEC_IMAGE): what a
 * running process holds of the file it was created from, from creation to
 * exit. While one exists the file cannot be deleted (ERROR_ACCESS_DENIED)
 * or opened for write (ERROR_SHARING_VIOLATION); it can be read and
 * renamed (share-access.ts ImageSectionTable). close() ends it (idempotent).
 */
export interface ImageSection {
  /**
   * The mapped file's id on its volume (FileInfo.fileId), when the volume
   * has ids: a silo whose files are vouched to be the same (a shared image
   * lookup cache) may map the same path by it without walking the path.
   */
  readonly fileId?: number;
  close(): void;
}

/** An open file or directory. Closing releases its share-mode claim. */
export interface FileHandle {
  /**
   * The full Win32 path of what was opened (after reparse), e.g.
   * `C:\Windows\win.ini`, as typed (not the stored case). A Volume's own
   * handles carry the volume path (`\Windows\win.ini`); the view's carry
   * the Win32 path.
   */
  readonly path: string;
  info(): FileInfo;
  /** Reads up to `into.length` bytes at `position`; returns how many were read (0 at end of file). */
  read(position: number, into: Uint8Array): number;
  /** Writes at `position` (extending the file as needed); returns bytes written. */
  write(position: number, data: Uint8Array): number;
  setSize(size: number): void;
  close(): void;
}

/**
 * One volume: NTFS on a blocks disk (a container's C:, an image layer's
 * contents) or a bound host directory. Paths here are volume-relative NT
 * paths, already normalised by the Win32 layer: they start with `\`, use
 * backslashes, contain no `.` or `..` components (`\` is the root).
 *
 * When a walk meets a reparse point before the last component (or at the
 * last one without `openReparsePoint`), the volume throws ReparseRequired
 * and the caller (the process's FileSystemView) re-parses, as the I/O
 * manager does on STATUS_REPARSE. Operations on a name itself — delete,
 * remove, rename, create*, setAttributes, setTimes, createHardLink's
 * existing file — act on a reparse point at the last component, not on its
 * target (as DeleteFile, RemoveDirectory and MoveFile open with
 * FILE_OPEN_REPARSE_POINT); open, stat and list follow it.
 */
export interface Volume {
  /** '' when the volume has no label ("Volume in drive C has no label."). */
  readonly label: string;
  /** The 32-bit serial `dir` shows as XXXX-XXXX. */
  readonly serialNumber: number;
  readonly readOnly: boolean;
  space(): { totalBytes: number; freeBytes: number };
  open(path: string, opts: OpenOptions): FileHandle;
  stat(path: string, opts?: { openReparsePoint?: boolean }): FileInfo;
  /** The entries of a directory in NTFS index order (upcased-name order), without `.` and `..`. */
  list(path: string): FileInfo[];
  createDirectory(path: string): void;
  /** ERROR_DIR_NOT_EMPTY when it has entries. */
  removeDirectory(path: string): void;
  deleteFile(path: string): void;
  rename(from: string, to: string, replaceExisting: boolean): void;
  setAttributes(path: string, attributes: number): void;
  setTimes(path: string, times: Partial<Pick<FileInfo, 'creationTime' | 'lastAccessTime' | 'lastWriteTime'>>): void;
  /** Creates a reparse point (symlink or junction/mount point) at `path`, as a file or a directory. */
  createReparsePoint(path: string, data: ReparseData, directory: boolean): void;
  createHardLink(path: string, existing: string): void;
  /**
   * Maps the file at `path` as an image (following reparse points, as the
   * loader's open does): ERROR_FILE_NOT_FOUND / ERROR_PATH_NOT_FOUND when
   * missing, ERROR_ACCESS_DENIED for a directory, ERROR_SHARING_VIOLATION
   * while a handle has it open for write. A volume without it (a bound
   * host directory) does not hold images. `fileId`, a hint: the id this
   * path had where the caller knows the files to be the same; a record
   * that is no longer that file (not in use, a directory, no such name) is
   * ignored and the path walked.
   */
  mapImage?(path: string, fileId?: number): ImageSection;
}

/** Thrown by a Volume when the walk reached a reparse point (STATUS_REPARSE). */
export class ReparseRequired extends Error {
  override readonly name = 'ReparseRequired';
  constructor(
    /** The reparse point's data. */
    readonly data: ReparseData,
    /** The volume path of the reparse point itself. */
    readonly at: string,
    /** What followed it in the path being walked ('' if it was the last component), starting with `\` otherwise. */
    readonly remaining: string,
  ) {
    super(`reparse at ${at}`);
  }
}

/**
 * What a process sees: Win32 paths in every form Win32 accepts (`C:\x`,
 * `C:x`, `\x`, `x`, `.\x`, `..\x`, `\\?\C:\x`, forward slashes), resolved
 * against `cwd` and the silo's drives. Implemented per silo; the process
 * passes its current directory. Never reaches a host path outside a bound
 * directory.
 */
export interface FileSystemView {
  /** GetFullPathName: the absolute Win32 path `path` names from `cwd` (no file system access). */
  fullPath(path: string, cwd: string): string;
  open(path: string, cwd: string, opts: OpenOptions): FileHandle;
  stat(path: string, cwd: string, opts?: { openReparsePoint?: boolean }): FileInfo;
  list(path: string, cwd: string): FileInfo[];
  createDirectory(path: string, cwd: string): void;
  removeDirectory(path: string, cwd: string): void;
  deleteFile(path: string, cwd: string): void;
  rename(from: string, to: string, cwd: string, replaceExisting: boolean): void;
  setAttributes(path: string, cwd: string, attributes: number): void;
  setTimes(path: string, cwd: string, times: Partial<Pick<FileInfo, 'creationTime' | 'lastAccessTime' | 'lastWriteTime'>>): void;
  /** CreateSymbolicLink (directory: SYMBOLIC_LINK_FLAG_DIRECTORY). */
  createSymbolicLink(path: string, target: string, cwd: string, directory: boolean): void;
  /** A junction (mount point reparse point) to an absolute directory, as `mklink /J` makes. */
  createJunction(path: string, target: string, cwd: string): void;
  createHardLink(path: string, existing: string, cwd: string): void;
  /** Maps an image file (Volume.mapImage) for a process being created from it. Optional: a view without it holds no images. */
  mapImage?(path: string, cwd: string, fileId?: number): ImageSection;
  /** The volume behind a drive letter ('C'), for `vol`, `dir`'s header and free space. */
  volume(drive: string): Volume | undefined;
}
