/**
 * The object manager namespace: one interface, two implementations (WASM in
 * wasm.ts, TypeScript reference in reference.ts). Semantics are those of
 * windows-facts.md §1–2; every method returns an NTSTATUS (a signed 32-bit
 * number, see ../ntstatus.ts) rather than throwing, as the Nt* services do,
 * so that the two implementations can be compared call for call.
 *
 * Statuses every handle-taking method may return:
 *  - STATUS_INVALID_CID        `process` is not a live process context
 *  - STATUS_INVALID_HANDLE     the handle is 0, closed, or never existed in
 *                              that process (a handle of another process
 *                              means nothing here). The low two bits of a
 *                              handle value are ignored, as NT ignores them.
 */

/** Object types. The numbers are winsilo's ABI; the names are Windows'. */
export const ObjectType = {
  Directory: 1,
  SymbolicLink: 2,
  Event: 3,
  Mutant: 4,
  Semaphore: 5,
  Section: 6,
  Job: 7,
  Device: 8,
  Session: 9,
  Type: 10,
  Key: 11,
} as const;
export type ObjectTypeName = keyof typeof ObjectType;
export type ObjectTypeId = (typeof ObjectType)[ObjectTypeName];
/** Type names as WinObj and NtQueryDirectoryObject show them, by id. */
export const OBJECT_TYPE_NAMES: readonly ObjectTypeName[] = [
  '' as ObjectTypeName, 'Directory', 'SymbolicLink', 'Event', 'Mutant', 'Semaphore', 'Section', 'Job', 'Device', 'Session', 'Type', 'Key',
];

/** OBJECT_ATTRIBUTES.Attributes flags (ntdef.h; "OBJECT_ATTRIBUTES structure", Microsoft Learn). */
export const OBJ_INHERIT = 0x00000002;
export const OBJ_PERMANENT = 0x00000010;
export const OBJ_EXCLUSIVE = 0x00000020;
export const OBJ_CASE_INSENSITIVE = 0x00000040;
export const OBJ_OPENIF = 0x00000080;
export const OBJ_OPENLINK = 0x00000100;
export const OBJ_KERNEL_HANDLE = 0x00000200;
export const OBJ_FORCE_ACCESS_CHECK = 0x00000400;
export const OBJ_IGNORE_IMPERSONATED_DEVICEMAP = 0x00000800;
export const OBJ_DONT_REPARSE = 0x00001000;
export const OBJ_VALID_ATTRIBUTES = 0x00001ff2;

/** Privileges the namespace checks, as a bit mask on a process context. */
export const Privilege = {
  /** SeCreatePermanentPrivilege: OBJ_PERMANENT, NtMakePermanentObject. */
  CreatePermanent: 1,
  /** SeTcbPrivilege: global symbolic links. */
  Tcb: 2,
} as const;
export const ALL_PRIVILEGES = Privilege.CreatePermanent | Privilege.Tcb;

/** A name as NT receives it: UNICODE_STRING plus an optional root directory. */
export interface ObjectAttributes {
  /** The name; `\`-separated; absolute (leading `\`) unless `root` is given. */
  name: string;
  /** A directory handle the name is relative to (0 or absent: none). */
  root?: number;
  /** OBJ_* flags. */
  attributes?: number;
  /**
   * UNICODE_STRING.Length in bytes, when it should differ from
   * 2 × name.length (an odd length is NAME_INVALID; a shorter one truncates).
   */
  nameLength?: number;
}

export interface CreateOptions {
  /** SymbolicLink: the target name. */
  target?: string;
  /** SymbolicLink: the target's UNICODE_STRING.Length override in bytes. */
  targetLength?: number;
  /** SymbolicLink: global (resolved from the host root); needs SeTcbPrivilege, refused in a silo. */
  global?: boolean;
  /** Directory: a shadow directory handle (NtCreateDirectoryObjectEx): lookups that miss fall back to it. */
  shadow?: number;
}

export interface HandleResult {
  status: number;
  /** The new handle (multiple of 4), or 0 on failure. */
  handle: number;
}

export interface ProcessResult {
  status: number;
  /** The process context id, or 0 on failure. */
  process: number;
}

export interface NameResult {
  status: number;
  name: string;
}

export interface DirectoryEntry {
  name: string;
  type: ObjectTypeName;
}

export interface DirectoryQueryOptions {
  /** The caller's buffer size in bytes; entries are charged as on x64. */
  bufferLength: number;
  /** ReturnSingleEntry. */
  single?: boolean;
  /** RestartScan. */
  restart?: boolean;
  /** The context returned by the previous call (0 to start). */
  context?: number;
}

export interface DirectoryQueryResult {
  status: number;
  entries: DirectoryEntry[];
  /** Pass back to continue the enumeration. */
  context: number;
  /** Bytes used, or (STATUS_BUFFER_TOO_SMALL) bytes needed for one entry. */
  returnLength: number;
}

export interface ObjectBasicInformation {
  status: number;
  type: ObjectTypeName | '';
  handleCount: number;
  /** Handles plus references (directory entries, shadows, process scopes), as NT counts. */
  pointerCount: number;
  /** OBJ_PERMANENT when the object is permanent. */
  attributes: number;
  /** In the namespace (has a directory entry). */
  named: boolean;
  globalLink: boolean;
  siloRoot: boolean;
}

export interface BatchOutput {
  statuses: Int32Array;
  handles: Uint32Array;
}

/**
 * The namespace. A "process" here is a process context: who a lookup is
 * made for (silo, session, privileges, device map) and whose handle table
 * receives handles. The kernel layer keeps PIDs and maps them to these.
 */
export interface ObjectNamespace {
  /** Which implementation this is. */
  readonly impl: 'wasm' | 'ref';

  /**
   * A process context in silo `silo` (0: the host). Lookups it makes start at
   * the silo's root. STATUS_INVALID_PARAMETER if the silo does not exist;
   * STATUS_INSUFFICIENT_RESOURCES when memory is exhausted.
   */
  createProcess(silo: number, session: number, privileges: number): ProcessResult;
  /** Closes every handle of the process and forgets it. */
  deleteProcess(process: number): number;
  /**
   * Sets the directory `\??` means for the process (its logon session's
   * DosDevices); 0 resets to the scope's `\GLOBAL??`. An open that misses in
   * the device map falls back to `\GLOBAL??`; a create does not.
   * STATUS_OBJECT_TYPE_MISMATCH if the handle is not a Directory.
   */
  setDeviceMap(process: number, directoryHandle: number): number;
  /** Open handles of the process, or a negative status. */
  handleCount(process: number): number;

  /**
   * NtCreate<Type>Object. Returns STATUS_SUCCESS; STATUS_OBJECT_NAME_EXISTS
   * (OBJ_OPENIF opened the existing object); or a failure:
   *  - STATUS_INVALID_PARAMETER       attribute bits outside OBJ_VALID_ATTRIBUTES,
   *                                   an unknown type, a bad link target length,
   *                                   options that do not fit the type
   *  - STATUS_OBJECT_NAME_INVALID     odd byte length, ≥ 65534 bytes, an empty
   *                                   component, a trailing `\`
   *  - STATUS_OBJECT_PATH_SYNTAX_BAD  relative name without root; `\…` with a root
   *  - STATUS_OBJECT_PATH_NOT_FOUND   an intermediate component is missing
   *  - STATUS_OBJECT_TYPE_MISMATCH    OPENIF found another type; an intermediate
   *                                   component is not a directory; the root or
   *                                   shadow handle is not a directory
   *  - STATUS_OBJECT_NAME_COLLISION   the name exists (no OPENIF)
   *  - STATUS_PRIVILEGE_NOT_HELD      OBJ_PERMANENT without SeCreatePermanentPrivilege;
   *                                   a global link without SeTcbPrivilege or in a silo
   *  - STATUS_ACCESS_DENIED           a silo caller's lookup met a global link
   *  - STATUS_NAME_TOO_LONG           a link expansion over 0xFFF0 bytes
   *  - STATUS_OBJECT_NAME_NOT_FOUND   more than 64 reparses
   *  - STATUS_INSUFFICIENT_RESOURCES  memory exhausted (nothing changed)
   * An empty name creates an unnamed object.
   */
  create(process: number, type: ObjectTypeId, oa: ObjectAttributes, options?: CreateOptions): HandleResult;
  /**
   * NtOpen<Type>Object; `type` 0 opens any type. Failures as for create, plus
   * STATUS_OBJECT_NAME_NOT_FOUND (the last component is missing) and
   * STATUS_OBJECT_TYPE_MISMATCH (the object is of another type). An empty
   * name with a root handle opens the root itself.
   */
  open(process: number, type: ObjectTypeId | 0, oa: ObjectAttributes): HandleResult;
  /** NtClose: STATUS_SUCCESS or STATUS_INVALID_HANDLE. */
  close(process: number, handle: number): number;
  /**
   * Opens many names in one call (all relative to `root`, 0: absolute).
   * Per-name statuses and handles go to `out` (allocated if absent); returns
   * how many opened.
   */
  openBatch(process: number, names: readonly string[], attributes: number, type: ObjectTypeId | 0, root?: number, out?: BatchOutput): number;
  /** Closes `count` handles; per-handle statuses into `statuses` if given. Returns how many closed. */
  closeBatch(process: number, handles: Uint32Array, count: number, statuses?: Int32Array): number;

  /** NtQueryObject(ObjectNameInformation), as the caller's silo sees it. */
  queryName(process: number, handle: number): NameResult;
  /** NtQuerySymbolicLinkObject; STATUS_OBJECT_TYPE_MISMATCH for a non-link. */
  queryLink(process: number, handle: number): { status: number; target: string };
  /** NtQueryObject(ObjectBasicInformation). */
  queryObject(process: number, handle: number): ObjectBasicInformation;
  /**
   * NtQueryDirectoryObject: STATUS_SUCCESS, STATUS_MORE_ENTRIES,
   * STATUS_NO_MORE_ENTRIES, STATUS_BUFFER_TOO_SMALL, or
   * STATUS_OBJECT_TYPE_MISMATCH for a non-directory. Buffers over 1 MiB are
   * treated as 1 MiB.
   */
  queryDirectory(process: number, handle: number, options: DirectoryQueryOptions): DirectoryQueryResult;

  /** NtMakeTemporaryObject; STATUS_ACCESS_DENIED for the root and silo roots. */
  makeTemporary(process: number, handle: number): number;
  /** NtMakePermanentObject; STATUS_PRIVILEGE_NOT_HELD without SeCreatePermanentPrivilege. */
  makePermanent(process: number, handle: number): number;
  /** NtSetInformationSymbolicLink(global); STATUS_PRIVILEGE_NOT_HELD in a silo or without SeTcb. */
  setLinkGlobal(process: number, handle: number, global: boolean): number;

  /**
   * Creates the root `\Silos\<siloId>` of a server silo (permanent) and
   * returns a handle to it. STATUS_PRIVILEGE_NOT_HELD from inside a silo (no
   * nested server silos); STATUS_OBJECT_NAME_COLLISION if it exists;
   * STATUS_INVALID_PARAMETER for id 0.
   */
  createSilo(process: number, siloId: number): HandleResult;
  /**
   * Removes silo `siloId`'s namespace: everything under its root leaves the
   * namespace (open objects stay alive, unnamed). STATUS_ACCESS_DENIED from
   * inside a silo; STATUS_INVALID_PARAMETER if there is no such silo.
   */
  terminateSilo(process: number, siloId: number): number;

  /** Live objects. */
  objectCount(): number;
}
