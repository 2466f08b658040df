/**
 * NTSTATUS values the simulator returns, spelled as ntstatus.h spells them,
 * with the message text Windows' message table (ntdll.dll) carries for each.
 *
 * Source: [MS-ERREF] §2.3.1 "NTSTATUS Values" and the ntstatus.h MessageText
 * entries. Messages keep Windows' own capitalisation ("Object Name invalid.").
 * A `{Title}` prefix in the message table is kept separately as `title`.
 *
 * This is the one table of NTSTATUS numbers in TypeScript; nothing else in
 * src/ writes these values as bare numbers. The AssemblyScript side has its
 * own mirror in assembly/rt/ntstatus.ts (it cannot import from src/); a test
 * (test/core/ntstatus-mirror.test.ts) keeps the two identical.
 */
export interface NtStatusInfo {
  readonly name: string;
  readonly title?: string;
  readonly text: string;
}

export const STATUS_SUCCESS = 0x00000000;
export const STATUS_MORE_ENTRIES = 0x00000105;
export const STATUS_REPARSE_GLOBAL = 0x00000368;
export const STATUS_OBJECT_NAME_EXISTS = 0x40000000;
export const STATUS_NO_MORE_ENTRIES = 0x8000001a | 0;
export const STATUS_INFO_LENGTH_MISMATCH = 0xc0000004 | 0;
export const STATUS_INVALID_HANDLE = 0xc0000008 | 0;
export const STATUS_INVALID_CID = 0xc000000b | 0;
export const STATUS_INVALID_PARAMETER = 0xc000000d | 0;
export const STATUS_ACCESS_DENIED = 0xc0000022 | 0;
export const STATUS_BUFFER_TOO_SMALL = 0xc0000023 | 0;
export const STATUS_OBJECT_TYPE_MISMATCH = 0xc0000024 | 0;
export const STATUS_OBJECT_NAME_INVALID = 0xc0000033 | 0;
export const STATUS_OBJECT_NAME_NOT_FOUND = 0xc0000034 | 0;
export const STATUS_OBJECT_NAME_COLLISION = 0xc0000035 | 0;
export const STATUS_OBJECT_PATH_INVALID = 0xc0000039 | 0;
export const STATUS_OBJECT_PATH_NOT_FOUND = 0xc000003a | 0;
export const STATUS_OBJECT_PATH_SYNTAX_BAD = 0xc000003b | 0;
export const STATUS_QUOTA_EXCEEDED = 0xc0000044 | 0;
export const STATUS_PRIVILEGE_NOT_HELD = 0xc0000061 | 0;
export const STATUS_DISK_FULL = 0xc000007f | 0;
export const STATUS_INSUFFICIENT_RESOURCES = 0xc000009a | 0;
export const STATUS_MEDIA_WRITE_PROTECTED = 0xc00000a2 | 0;
export const STATUS_FILE_CORRUPT_ERROR = 0xc0000102 | 0;
export const STATUS_NAME_TOO_LONG = 0xc0000106 | 0;
export const STATUS_PROCESS_IS_TERMINATING = 0xc000010a | 0;
export const STATUS_COMMITMENT_LIMIT = 0xc000012d | 0;
export const STATUS_CONTROL_C_EXIT = 0xc000013a | 0;
export const STATUS_IO_DEVICE_ERROR = 0xc0000185 | 0;
export const STATUS_STACK_BUFFER_OVERRUN = 0xc0000409 | 0;

/** Message table entries, keyed by the status as a signed 32-bit integer. */
export const NTSTATUS_TABLE: ReadonlyMap<number, NtStatusInfo> = new Map<number, NtStatusInfo>([
  [STATUS_SUCCESS, { name: 'STATUS_SUCCESS', text: 'The operation completed successfully.' }],
  [STATUS_MORE_ENTRIES, { name: 'STATUS_MORE_ENTRIES', text: 'Returned by enumeration APIs to indicate more information is available to successive calls.' }],
  [STATUS_REPARSE_GLOBAL, { name: 'STATUS_REPARSE_GLOBAL', text: 'A reparse should be performed by the Object Manager from the global root to escape the container name space.' }],
  [STATUS_OBJECT_NAME_EXISTS, { name: 'STATUS_OBJECT_NAME_EXISTS', title: 'Object Exists', text: 'An attempt was made to create an object and the object name already existed.' }],
  [STATUS_NO_MORE_ENTRIES, { name: 'STATUS_NO_MORE_ENTRIES', title: 'No More Entries', text: 'No more entries are available from an enumeration operation.' }],
  [STATUS_INFO_LENGTH_MISMATCH, { name: 'STATUS_INFO_LENGTH_MISMATCH', text: 'The specified information record length does not match the length required for the specified information class.' }],
  [STATUS_INVALID_HANDLE, { name: 'STATUS_INVALID_HANDLE', text: 'An invalid HANDLE was specified.' }],
  [STATUS_INVALID_CID, { name: 'STATUS_INVALID_CID', text: 'An invalid Client ID was specified.' }],
  [STATUS_INVALID_PARAMETER, { name: 'STATUS_INVALID_PARAMETER', text: 'An invalid parameter was passed to a service or function.' }],
  [STATUS_ACCESS_DENIED, { name: 'STATUS_ACCESS_DENIED', title: 'Access Denied', text: 'A process has requested access to an object, but has not been granted those access rights.' }],
  [STATUS_BUFFER_TOO_SMALL, { name: 'STATUS_BUFFER_TOO_SMALL', title: 'Buffer Too Small', text: 'The buffer is too small to contain the entry. No information has been written to the buffer.' }],
  [STATUS_OBJECT_TYPE_MISMATCH, { name: 'STATUS_OBJECT_TYPE_MISMATCH', title: 'Wrong Type', text: 'There is a mismatch between the type of object required by the requested operation and the type of object that is specified in the request.' }],
  [STATUS_OBJECT_NAME_INVALID, { name: 'STATUS_OBJECT_NAME_INVALID', text: 'Object Name invalid.' }],
  [STATUS_OBJECT_NAME_NOT_FOUND, { name: 'STATUS_OBJECT_NAME_NOT_FOUND', text: 'Object Name not found.' }],
  [STATUS_OBJECT_NAME_COLLISION, { name: 'STATUS_OBJECT_NAME_COLLISION', text: 'Object Name already exists.' }],
  [STATUS_OBJECT_PATH_INVALID, { name: 'STATUS_OBJECT_PATH_INVALID', text: 'Object Path Component was not a directory object.' }],
  [STATUS_OBJECT_PATH_NOT_FOUND, { name: 'STATUS_OBJECT_PATH_NOT_FOUND', title: 'Path Not Found', text: 'The path %hs does not exist.' }],
  [STATUS_OBJECT_PATH_SYNTAX_BAD, { name: 'STATUS_OBJECT_PATH_SYNTAX_BAD', text: 'Object Path Component was not a directory object.' }],
  [STATUS_QUOTA_EXCEEDED, { name: 'STATUS_QUOTA_EXCEEDED', text: 'Insufficient quota exists to complete the operation' }],
  [STATUS_PRIVILEGE_NOT_HELD, { name: 'STATUS_PRIVILEGE_NOT_HELD', text: 'A required privilege is not held by the client.' }],
  [STATUS_DISK_FULL, { name: 'STATUS_DISK_FULL', title: 'Disk Full', text: 'An operation failed because the disk was full.' }],
  [STATUS_INSUFFICIENT_RESOURCES, { name: 'STATUS_INSUFFICIENT_RESOURCES', text: 'Insufficient system resources exist to complete the API.' }],
  [STATUS_MEDIA_WRITE_PROTECTED, { name: 'STATUS_MEDIA_WRITE_PROTECTED', title: 'Write Protect Error', text: 'The disk cannot be written to because it is write protected. Please remove the write protection from the volume %hs in drive %hs.' }],
  [STATUS_FILE_CORRUPT_ERROR, { name: 'STATUS_FILE_CORRUPT_ERROR', title: 'Corrupt File', text: 'The file or directory %hs is corrupt and unreadable. Please run the Chkdsk utility.' }],
  [STATUS_NAME_TOO_LONG, { name: 'STATUS_NAME_TOO_LONG', text: 'A specified name string is too long for its intended use.' }],
  [STATUS_PROCESS_IS_TERMINATING, { name: 'STATUS_PROCESS_IS_TERMINATING', text: 'An attempt was made to access an exiting process.' }],
  [STATUS_COMMITMENT_LIMIT, { name: 'STATUS_COMMITMENT_LIMIT', title: 'Out of Virtual Memory', text: 'Your system is low on virtual memory. To ensure that Windows runs correctly, increase the size of your virtual memory paging file. For more information, see Help.' }],
  [STATUS_CONTROL_C_EXIT, { name: 'STATUS_CONTROL_C_EXIT', title: 'Application Exit by CTRL+C', text: 'The application terminated as a result of a CTRL+C.' }],
  [STATUS_IO_DEVICE_ERROR, { name: 'STATUS_IO_DEVICE_ERROR', text: 'The I/O device reported an I/O error.' }],
  [STATUS_STACK_BUFFER_OVERRUN, { name: 'STATUS_STACK_BUFFER_OVERRUN', text: 'The system detected an overrun of a stack-based buffer in this application. This overrun could potentially allow a malicious user to gain control of this application.' }],
]);

/** True for success and informational codes (severity 0 or 1), as NT_SUCCESS. */
export function ntSuccess(status: number): boolean {
  return (status | 0) >= 0;
}

/** `0xC0000035` — how a user sees a status (upper-case hex, eight digits). */
export function formatNtStatus(status: number): string {
  return '0x' + (status >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

export function ntStatusName(status: number): string {
  return NTSTATUS_TABLE.get(status | 0)?.name ?? formatNtStatus(status);
}

/** The message a user sees, with `%hs` inserts filled in order. */
export function ntStatusMessage(status: number, ...inserts: string[]): string {
  const info = NTSTATUS_TABLE.get(status | 0);
  if (!info) return `Unknown NTSTATUS ${formatNtStatus(status)}`;
  let i = 0;
  const text = info.text.replace(/%hs/g, () => inserts[i++] ?? '');
  return info.title ? `{${info.title}}\n${text}` : text;
}
