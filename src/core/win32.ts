/**
 * Win32 error codes and the messages FormatMessage gives for them (what a
 * program such as cmd.exe or PowerShell shows), and the NTSTATUS → Win32
 * translation RtlNtStatusToDosError applies for the statuses the core
 * returns.
 *
 * Source: [MS-ERREF] §2.2 "Win32 Error Codes"; the NTSTATUS mapping follows
 * the documented RtlNtStatusToDosError table ("Mapping NT Status Error Codes
 * to Win32 Error Codes", KB113996).
 */
import * as NT from './ntstatus.js';

export const ERROR_SUCCESS = 0;
export const WSAEADDRINUSE = 10048;
export const WSAEADDRNOTAVAIL = 10049;
export const WSAENETUNREACH = 10051;
export const WSAECONNABORTED = 10053;
export const WSAECONNRESET = 10054;
export const WSAENOTCONN = 10057;
export const WSAETIMEDOUT = 10060;
export const WSAECONNREFUSED = 10061;
export const WSAEHOSTUNREACH = 10065;
export const WSAHOST_NOT_FOUND = 11001;
export const ERROR_INVALID_FUNCTION = 1;
export const ERROR_FILE_NOT_FOUND = 2;
export const ERROR_PATH_NOT_FOUND = 3;
export const ERROR_ACCESS_DENIED = 5;
export const ERROR_INVALID_HANDLE = 6;
export const ERROR_NOT_ENOUGH_MEMORY = 8;
export const ERROR_INVALID_DATA = 13;
export const ERROR_INVALID_DRIVE = 15;
export const ERROR_CURRENT_DIRECTORY = 16;
export const ERROR_NOT_SAME_DEVICE = 17;
export const ERROR_NO_MORE_FILES = 18;
export const ERROR_WRITE_PROTECT = 19;
export const ERROR_SHARING_VIOLATION = 32;
export const ERROR_HANDLE_EOF = 38;
export const ERROR_NOT_SUPPORTED = 50;
export const ERROR_BAD_NETPATH = 53;
export const ERROR_FILE_EXISTS = 80;
export const ERROR_CANNOT_MAKE = 82;
export const ERROR_INVALID_PARAMETER = 87;
export const ERROR_BROKEN_PIPE = 109;
export const ERROR_DISK_FULL = 112;
export const ERROR_INSUFFICIENT_BUFFER = 122;
export const ERROR_INVALID_NAME = 123;
export const ERROR_DIR_NOT_EMPTY = 145;
export const ERROR_BAD_PATHNAME = 161;
export const ERROR_ALREADY_EXISTS = 183;
export const ERROR_BAD_EXE_FORMAT = 193;
export const ERROR_ENVVAR_NOT_FOUND = 203;
export const ERROR_FILENAME_EXCED_RANGE = 206;
export const ERROR_NO_DATA = 232;
export const ERROR_MORE_DATA = 234;
export const ERROR_NO_MORE_ITEMS = 259;
export const ERROR_DIRECTORY = 267;
export const ERROR_BADDB = 1009;
export const ERROR_UNRECOGNIZED_VOLUME = 1005;
export const ERROR_KEY_DELETED = 1018;
export const ERROR_DEPENDENT_SERVICES_RUNNING = 1051;
export const ERROR_INVALID_SERVICE_CONTROL = 1052;
export const ERROR_SERVICE_ALREADY_RUNNING = 1056;
export const ERROR_SERVICE_DISABLED = 1058;
export const ERROR_CIRCULAR_DEPENDENCY = 1059;
export const ERROR_SERVICE_DOES_NOT_EXIST = 1060;
export const ERROR_SERVICE_CANNOT_ACCEPT_CTRL = 1061;
export const ERROR_SERVICE_NOT_ACTIVE = 1062;
export const ERROR_PROCESS_ABORTED = 1067;
export const ERROR_SERVICE_DEPENDENCY_FAIL = 1068;
export const ERROR_SERVICE_MARKED_FOR_DELETE = 1072;
export const ERROR_SERVICE_EXISTS = 1073;
export const ERROR_SERVICE_DEPENDENCY_DELETED = 1075;
export const ERROR_SERVICE_NEVER_STARTED = 1077;
export const ERROR_IO_DEVICE = 1117;
export const ERROR_TOO_MANY_LINKS = 1142;
export const ERROR_CANCELLED = 1223;
export const ERROR_PRIVILEGE_NOT_HELD = 1314;
export const ERROR_LOGON_FAILURE = 1326;
export const ERROR_SPECIAL_ACCOUNT = 1371;
export const ERROR_NO_SUCH_ALIAS = 1376;
export const ERROR_MEMBER_NOT_IN_ALIAS = 1377;
export const ERROR_MEMBER_IN_ALIAS = 1378;
export const ERROR_FILE_CORRUPT = 1392;
export const ERROR_NO_SYSTEM_RESOURCES = 1450;
export const ERROR_COMMITMENT_LIMIT = 1455;
export const ERROR_NOT_ENOUGH_QUOTA = 1816;
export const RPC_S_SERVER_UNAVAILABLE = 1722;
export const ERROR_CANT_ACCESS_FILE = 1920;
export const ERROR_CANT_RESOLVE_FILENAME = 1921;
export const ERROR_NOT_A_REPARSE_POINT = 4390;
export const ERROR_INVALID_REPARSE_DATA = 4392;
export const ERROR_REPARSE_POINT_ENCOUNTERED = 4395;

export const WIN32_MESSAGES: ReadonlyMap<number, { name: string; text: string }> = new Map([
  [ERROR_SUCCESS, { name: 'ERROR_SUCCESS', text: 'The operation completed successfully.' }],
  [ERROR_INVALID_FUNCTION, { name: 'ERROR_INVALID_FUNCTION', text: 'Incorrect function.' }],
  [ERROR_FILE_NOT_FOUND, { name: 'ERROR_FILE_NOT_FOUND', text: 'The system cannot find the file specified.' }],
  [ERROR_PATH_NOT_FOUND, { name: 'ERROR_PATH_NOT_FOUND', text: 'The system cannot find the path specified.' }],
  [ERROR_ACCESS_DENIED, { name: 'ERROR_ACCESS_DENIED', text: 'Access is denied.' }],
  [ERROR_INVALID_HANDLE, { name: 'ERROR_INVALID_HANDLE', text: 'The handle is invalid.' }],
  [ERROR_NOT_ENOUGH_MEMORY, { name: 'ERROR_NOT_ENOUGH_MEMORY', text: 'Not enough memory resources are available to process this command.' }],
  [ERROR_INVALID_DATA, { name: 'ERROR_INVALID_DATA', text: 'The data is invalid.' }],
  [ERROR_INVALID_DRIVE, { name: 'ERROR_INVALID_DRIVE', text: 'The system cannot find the drive specified.' }],
  [ERROR_CURRENT_DIRECTORY, { name: 'ERROR_CURRENT_DIRECTORY', text: 'The directory cannot be removed.' }],
  [ERROR_NOT_SAME_DEVICE, { name: 'ERROR_NOT_SAME_DEVICE', text: 'The system cannot move the file to a different disk drive.' }],
  [ERROR_NO_MORE_FILES, { name: 'ERROR_NO_MORE_FILES', text: 'There are no more files.' }],
  [ERROR_WRITE_PROTECT, { name: 'ERROR_WRITE_PROTECT', text: 'The media is write protected.' }],
  [ERROR_SHARING_VIOLATION, { name: 'ERROR_SHARING_VIOLATION', text: 'The process cannot access the file because it is being used by another process.' }],
  [ERROR_HANDLE_EOF, { name: 'ERROR_HANDLE_EOF', text: 'Reached the end of the file.' }],
  [ERROR_NOT_SUPPORTED, { name: 'ERROR_NOT_SUPPORTED', text: 'The request is not supported.' }],
  [ERROR_BAD_NETPATH, { name: 'ERROR_BAD_NETPATH', text: 'The network path was not found.' }],
  [ERROR_FILE_EXISTS, { name: 'ERROR_FILE_EXISTS', text: 'The file exists.' }],
  [ERROR_CANNOT_MAKE, { name: 'ERROR_CANNOT_MAKE', text: 'The directory or file cannot be created.' }],
  [ERROR_INVALID_PARAMETER, { name: 'ERROR_INVALID_PARAMETER', text: 'The parameter is incorrect.' }],
  [ERROR_BROKEN_PIPE, { name: 'ERROR_BROKEN_PIPE', text: 'The pipe has been ended.' }],
  [ERROR_DISK_FULL, { name: 'ERROR_DISK_FULL', text: 'There is not enough space on the disk.' }],
  [ERROR_INSUFFICIENT_BUFFER, { name: 'ERROR_INSUFFICIENT_BUFFER', text: 'The data area passed to a system call is too small.' }],
  [ERROR_INVALID_NAME, { name: 'ERROR_INVALID_NAME', text: 'The filename, directory name, or volume label syntax is incorrect.' }],
  [ERROR_DIR_NOT_EMPTY, { name: 'ERROR_DIR_NOT_EMPTY', text: 'The directory is not empty.' }],
  [ERROR_BAD_PATHNAME, { name: 'ERROR_BAD_PATHNAME', text: 'The specified path is invalid.' }],
  [ERROR_ALREADY_EXISTS, { name: 'ERROR_ALREADY_EXISTS', text: 'Cannot create a file when that file already exists.' }],
  [ERROR_BAD_EXE_FORMAT, { name: 'ERROR_BAD_EXE_FORMAT', text: '%1 is not a valid Win32 application.' }],
  [ERROR_ENVVAR_NOT_FOUND, { name: 'ERROR_ENVVAR_NOT_FOUND', text: 'The system could not find the environment option that was entered.' }],
  [ERROR_FILENAME_EXCED_RANGE, { name: 'ERROR_FILENAME_EXCED_RANGE', text: 'The filename or extension is too long.' }],
  [ERROR_NO_DATA, { name: 'ERROR_NO_DATA', text: 'The pipe is being closed.' }],
  [ERROR_MORE_DATA, { name: 'ERROR_MORE_DATA', text: 'More data is available.' }],
  [ERROR_NO_MORE_ITEMS, { name: 'ERROR_NO_MORE_ITEMS', text: 'No more data is available.' }],
  [ERROR_DIRECTORY, { name: 'ERROR_DIRECTORY', text: 'The directory name is invalid.' }],
  [ERROR_BADDB, { name: 'ERROR_BADDB', text: 'The configuration registry database is corrupt.' }],
  [ERROR_UNRECOGNIZED_VOLUME, { name: 'ERROR_UNRECOGNIZED_VOLUME', text: 'The volume does not contain a recognized file system.\nPlease make sure that all required file system drivers are loaded and that the volume is not corrupted.' }],
  [ERROR_KEY_DELETED, { name: 'ERROR_KEY_DELETED', text: 'Illegal operation attempted on a registry key that has been marked for deletion.' }],
  [ERROR_DEPENDENT_SERVICES_RUNNING, { name: 'ERROR_DEPENDENT_SERVICES_RUNNING', text: 'A stop control has been sent to a service that other running services are dependent on.' }],
  [ERROR_INVALID_SERVICE_CONTROL, { name: 'ERROR_INVALID_SERVICE_CONTROL', text: 'The requested control is not valid for this service.' }],
  [ERROR_SERVICE_ALREADY_RUNNING, { name: 'ERROR_SERVICE_ALREADY_RUNNING', text: 'An instance of the service is already running.' }],
  [ERROR_SERVICE_DISABLED, { name: 'ERROR_SERVICE_DISABLED', text: 'The service cannot be started, either because it is disabled or because it has no enabled devices associated with it.' }],
  [ERROR_CIRCULAR_DEPENDENCY, { name: 'ERROR_CIRCULAR_DEPENDENCY', text: 'Circular service dependency was specified.' }],
  [ERROR_SERVICE_DOES_NOT_EXIST, { name: 'ERROR_SERVICE_DOES_NOT_EXIST', text: 'The specified service does not exist as an installed service.' }],
  [ERROR_SERVICE_CANNOT_ACCEPT_CTRL, { name: 'ERROR_SERVICE_CANNOT_ACCEPT_CTRL', text: 'The service cannot accept control messages at this time.' }],
  [ERROR_SERVICE_NOT_ACTIVE, { name: 'ERROR_SERVICE_NOT_ACTIVE', text: 'The service has not been started.' }],
  [ERROR_PROCESS_ABORTED, { name: 'ERROR_PROCESS_ABORTED', text: 'The process terminated unexpectedly.' }],
  [ERROR_SERVICE_DEPENDENCY_FAIL, { name: 'ERROR_SERVICE_DEPENDENCY_FAIL', text: 'The dependency service or group failed to start.' }],
  [ERROR_SERVICE_MARKED_FOR_DELETE, { name: 'ERROR_SERVICE_MARKED_FOR_DELETE', text: 'The specified service has been marked for deletion.' }],
  [ERROR_SERVICE_EXISTS, { name: 'ERROR_SERVICE_EXISTS', text: 'The specified service already exists.' }],
  [ERROR_SERVICE_DEPENDENCY_DELETED, { name: 'ERROR_SERVICE_DEPENDENCY_DELETED', text: 'The dependency service does not exist or has been marked for deletion.' }],
  [ERROR_SERVICE_NEVER_STARTED, { name: 'ERROR_SERVICE_NEVER_STARTED', text: 'No attempts to start the service have been made since the last boot.' }],
  [ERROR_IO_DEVICE, { name: 'ERROR_IO_DEVICE', text: 'The request could not be performed because of an I/O device error.' }],
  [ERROR_TOO_MANY_LINKS, { name: 'ERROR_TOO_MANY_LINKS', text: 'An attempt was made to create more links on a file than the file system supports.' }],
  [ERROR_CANCELLED, { name: 'ERROR_CANCELLED', text: 'The operation was canceled by the user.' }],
  [ERROR_PRIVILEGE_NOT_HELD, { name: 'ERROR_PRIVILEGE_NOT_HELD', text: 'A required privilege is not held by the client.' }],
  [ERROR_LOGON_FAILURE, { name: 'ERROR_LOGON_FAILURE', text: 'The user name or password is incorrect.' }],
  [ERROR_SPECIAL_ACCOUNT, { name: 'ERROR_SPECIAL_ACCOUNT', text: 'Cannot perform this operation on built-in accounts.' }],
  [ERROR_NO_SUCH_ALIAS, { name: 'ERROR_NO_SUCH_ALIAS', text: 'The specified local group does not exist.' }],
  [ERROR_MEMBER_NOT_IN_ALIAS, { name: 'ERROR_MEMBER_NOT_IN_ALIAS', text: 'The specified account name is not a member of the group.' }],
  [ERROR_MEMBER_IN_ALIAS, { name: 'ERROR_MEMBER_IN_ALIAS', text: 'The specified account name is already a member of the group.' }],
  [ERROR_FILE_CORRUPT, { name: 'ERROR_FILE_CORRUPT', text: 'The file or directory is corrupted and unreadable.' }],
  [ERROR_NO_SYSTEM_RESOURCES, { name: 'ERROR_NO_SYSTEM_RESOURCES', text: 'Insufficient system resources exist to complete the requested service.' }],
  [ERROR_COMMITMENT_LIMIT, { name: 'ERROR_COMMITMENT_LIMIT', text: 'The paging file is too small for this operation to complete.' }],
  [ERROR_NOT_ENOUGH_QUOTA, { name: 'ERROR_NOT_ENOUGH_QUOTA', text: 'Not enough quota is available to process this command.' }],
  [RPC_S_SERVER_UNAVAILABLE, { name: 'RPC_S_SERVER_UNAVAILABLE', text: 'The RPC server is unavailable.' }],
  [ERROR_CANT_ACCESS_FILE, { name: 'ERROR_CANT_ACCESS_FILE', text: 'The file cannot be accessed by the system.' }],
  [ERROR_CANT_RESOLVE_FILENAME, { name: 'ERROR_CANT_RESOLVE_FILENAME', text: 'The name of the file cannot be resolved by the system.' }],
  [ERROR_NOT_A_REPARSE_POINT, { name: 'ERROR_NOT_A_REPARSE_POINT', text: 'The file or directory is not a reparse point.' }],
  [ERROR_INVALID_REPARSE_DATA, { name: 'ERROR_INVALID_REPARSE_DATA', text: 'The data present in the reparse point buffer is invalid.' }],
  [ERROR_REPARSE_POINT_ENCOUNTERED, { name: 'ERROR_REPARSE_POINT_ENCOUNTERED', text: 'The object manager encountered a reparse point while retrieving an object.' }],
  // Winsock (WSAGetLastError; FormatMessage texts as Windows prints them).
  [WSAEADDRINUSE, { name: 'WSAEADDRINUSE', text: 'Only one usage of each socket address (protocol/network address/port) is normally permitted.' }],
  [WSAEADDRNOTAVAIL, { name: 'WSAEADDRNOTAVAIL', text: 'The requested address is not valid in its context.' }],
  [WSAENETUNREACH, { name: 'WSAENETUNREACH', text: 'A socket operation was attempted to an unreachable network.' }],
  [WSAECONNABORTED, { name: 'WSAECONNABORTED', text: 'An established connection was aborted by the software in your host machine.' }],
  [WSAECONNRESET, { name: 'WSAECONNRESET', text: 'An existing connection was forcibly closed by the remote host.' }],
  [WSAENOTCONN, { name: 'WSAENOTCONN', text: 'A request to send or receive data was disallowed because the socket is not connected and (when sending on a datagram socket using a sendto call) no address was supplied.' }],
  [WSAETIMEDOUT, { name: 'WSAETIMEDOUT', text: 'A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond.' }],
  [WSAECONNREFUSED, { name: 'WSAECONNREFUSED', text: 'No connection could be made because the target machine actively refused it.' }],
  [WSAEHOSTUNREACH, { name: 'WSAEHOSTUNREACH', text: 'A socket operation was attempted to an unreachable host.' }],
  [WSAHOST_NOT_FOUND, { name: 'WSAHOST_NOT_FOUND', text: 'No such host is known.' }],
]);

/** RtlNtStatusToDosError for the statuses the simulator produces. */
const NT_TO_WIN32: ReadonlyMap<number, number> = new Map([
  [NT.STATUS_SUCCESS, ERROR_SUCCESS],
  [NT.STATUS_OBJECT_NAME_EXISTS, ERROR_ALREADY_EXISTS],
  [NT.STATUS_NO_MORE_ENTRIES, ERROR_NO_MORE_ITEMS],
  [NT.STATUS_INVALID_HANDLE, ERROR_INVALID_HANDLE],
  [NT.STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER],
  [NT.STATUS_ACCESS_DENIED, ERROR_ACCESS_DENIED],
  [NT.STATUS_BUFFER_TOO_SMALL, ERROR_INSUFFICIENT_BUFFER],
  [NT.STATUS_OBJECT_TYPE_MISMATCH, ERROR_INVALID_HANDLE],
  [NT.STATUS_OBJECT_NAME_INVALID, ERROR_INVALID_NAME],
  [NT.STATUS_OBJECT_NAME_NOT_FOUND, ERROR_FILE_NOT_FOUND],
  [NT.STATUS_OBJECT_NAME_COLLISION, ERROR_ALREADY_EXISTS],
  [NT.STATUS_OBJECT_PATH_INVALID, ERROR_BAD_PATHNAME],
  [NT.STATUS_OBJECT_PATH_NOT_FOUND, ERROR_PATH_NOT_FOUND],
  [NT.STATUS_OBJECT_PATH_SYNTAX_BAD, ERROR_BAD_PATHNAME],
  [NT.STATUS_QUOTA_EXCEEDED, ERROR_NOT_ENOUGH_QUOTA],
  [NT.STATUS_PRIVILEGE_NOT_HELD, ERROR_PRIVILEGE_NOT_HELD],
  [NT.STATUS_DISK_FULL, ERROR_DISK_FULL],
  [NT.STATUS_INSUFFICIENT_RESOURCES, ERROR_NO_SYSTEM_RESOURCES],
  [NT.STATUS_MEDIA_WRITE_PROTECTED, ERROR_WRITE_PROTECT],
  [NT.STATUS_NAME_TOO_LONG, ERROR_FILENAME_EXCED_RANGE],
  [NT.STATUS_COMMITMENT_LIMIT, ERROR_COMMITMENT_LIMIT],
  [NT.STATUS_PROCESS_IS_TERMINATING, ERROR_ACCESS_DENIED],
  [NT.STATUS_FILE_CORRUPT_ERROR, ERROR_FILE_CORRUPT],
  [NT.STATUS_IO_DEVICE_ERROR, ERROR_IO_DEVICE],
]);

export function ntStatusToWin32(status: number): number {
  return NT_TO_WIN32.get(status | 0) ?? ERROR_INVALID_PARAMETER;
}

export function win32Message(code: number): string {
  return WIN32_MESSAGES.get(code)?.text ?? `Unknown error (0x${code.toString(16)})`;
}

/**
 * Whether Win32Errors carry a JavaScript stack trace. They are the
 * simulated system's ordinary failure returns (what GetLastError reports),
 * raised and caught by the thousand — a PATH/PATHEXT search probes dozens
 * of missing files per command — and capturing a stack for each cost more
 * than the lookup that failed. Set WINSILO_STACKS=1 to debug where one came
 * from.
 */
const WIN32_STACKS = typeof process !== 'undefined' && !!process.env?.['WINSILO_STACKS'];

/** A failed Win32-level operation: what a program prints for `GetLastError`. */
export class Win32Error extends Error {
  declare readonly name: 'Win32Error';
  declare readonly op: string;
  declare readonly code: number;
  declare readonly object?: string;
  constructor(op: string, code: number, object?: string) {
    const limit = Error.stackTraceLimit;
    if (!WIN32_STACKS) Error.stackTraceLimit = 0;
    super(`${op}${object !== undefined ? ` ${object}` : ''}: ${win32Message(code)} (${code})`);
    Error.stackTraceLimit = limit;
    this.op = op;
    this.code = code;
    this.object = object;
  }
}
Object.defineProperty(Win32Error.prototype, 'name', { value: 'Win32Error', writable: true, configurable: true });
