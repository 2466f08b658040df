/**
 * The errors of the Host Compute Service as a container engine receives
 * them: the code vmcompute returns, the text FormatMessage gives for it,
 * and the operation and compute-system id hcsshim wraps around them.
 *
 * Codes. HCS's functions return HRESULTs. The legacy vmcompute.dll API
 * that hcsshim (and through it moby) calls returns the HCS family with
 * severity bits 0xC0 — ERROR_VMCOMPUTE_* in winerror.h, 0xC037xxxx — and
 * the newer computecore.dll API the same codes as HCS_E_* (0x8037xxxx;
 * "HCS HRESULT error codes", learn.microsoft.com/virtualization/api/hcs/
 * reference/hcshresult). A Win32 error comes back as HRESULT_FROM_WIN32,
 * whose facility hcsshim's generated wrappers strip again
 * (internal/vmcompute/zsyscall_windows.go: `r0 &= 0xffff` for facility 7),
 * so a missing image reaches docker as code 2. `HcsError.hresult` holds the
 * code exactly as hcsshim's syscall.Errno holds it.
 *
 * Texts. Where a user-visible text was found it is used verbatim:
 * 0xC0370101 (compat.ts), 0xC0370110 ("The virtual machine or container
 * with the specified identifier is not running.", docker/for-win#9741,
 * microsoft/hcsshim#866), 0xC037010A (docker/for-win#7523). The others are
 * the HCS reference table's descriptions with the closing period FormatMessage
 * texts carry — decision: no captured message was found for them. Windows
 * Server 2016 worded 0xC0370105 as "The requested compute system operation
 * is not valid in the current state." (moby/moby#37395); the family was
 * reworded to "virtual machine or container" since, as 0xC0370110's text
 * shows, so the newer wording is used.
 *
 * Formats (hcsshim):
 *  - SystemError (internal/hcs/errors.go): `<op> <id>: <text>` — what the
 *    containerd shim (runhcs) and hcsshim's CreateContainer return, and what
 *    docker prints for a refused create (`hcs::CreateComputeSystem <id>: …`).
 *  - ProcessError: `<op> <id>:<pid>: <text>`.
 *  - The legacy package's ContainerError (hcsshim errors.go, used by moby's
 *    libcontainerd/local for every operation after create):
 *    `container <id> encountered an error during <op>: failure in a Windows
 *    system call: <text> (0x<code>)`; for a process,
 *    `process <pid> in container <id> encountered an error during …`.
 *    `HcsError.containerErrorMessage` gives that form.
 */
import { ERROR_NOT_SUPPORTED, win32Message } from '../core/win32.js';

/**
 * Operation names, spelled as hcsshim's internal/hcs spells them: each
 * names both the trace span and the error's Op (system.go, process.go).
 */
export const HcsOp = {
  CreateComputeSystem: 'hcs::CreateComputeSystem',
  OpenComputeSystem: 'hcs::OpenComputeSystem',
  GetComputeSystems: 'hcs::GetComputeSystems',
  Start: 'hcs::System::Start',
  Shutdown: 'hcs::System::Shutdown',
  Terminate: 'hcs::System::Terminate',
  Pause: 'hcs::System::Pause',
  Resume: 'hcs::System::Resume',
  Properties: 'hcs::System::Properties',
  Modify: 'hcs::System::Modify',
  CreateProcess: 'hcs::System::CreateProcess',
  OpenProcess: 'hcs::System::OpenProcess',
  Close: 'hcs::System::Close',
  ProcessSignal: 'hcs::Process::Signal',
  ProcessKill: 'hcs::Process::Kill',
  ProcessResizeConsole: 'hcs::Process::ResizeConsole',
  ProcessCloseStdin: 'hcs::Process::CloseStdin',
} as const;
export type HcsOpName = (typeof HcsOp)[keyof typeof HcsOp];

// ---- codes (winerror.h; the HCS reference table) --------------------------------

/** The operating system of the image cannot run on this host (compat.ts). */
export const HCS_E_IMAGE_MISMATCH = 0x80370101 | 0;
export const ERROR_VMCOMPUTE_IMAGE_MISMATCH = 0xc0370101 | 0;
/** The operation is not valid in the system's state (Pause of a paused system, Resume of a running one, …). */
export const HCS_E_INVALID_STATE = 0x80370105 | 0;
export const ERROR_VMCOMPUTE_INVALID_STATE = 0xc0370105 | 0;
/** The connection with the system was closed. */
export const HCS_E_CONNECTION_CLOSED = 0x8037010a | 0;
export const ERROR_VMCOMPUTE_CONNECTION_CLOSED = 0xc037010a | 0;
/** A configuration or request HCS cannot use (a field out of range, conflicting fields). */
export const HCS_E_INVALID_JSON = 0x8037010d | 0;
export const ERROR_VMCOMPUTE_INVALID_JSON = 0xc037010d | 0;
/** No compute system has the id (OpenComputeSystem, or any call on a closed one). */
export const HCS_E_SYSTEM_NOT_FOUND = 0x8037010e | 0;
export const ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND = 0xc037010e | 0;
/** CreateComputeSystem with an id in use. */
export const HCS_E_SYSTEM_ALREADY_EXISTS = 0x8037010f | 0;
export const ERROR_VMCOMPUTE_SYSTEM_ALREADY_EXISTS = 0xc037010f | 0;
/** The system is not running (Shutdown/Terminate of a stopped system, CreateProcess in one). */
export const HCS_E_SYSTEM_ALREADY_STOPPED = 0x80370110 | 0;
export const ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED = 0xc0370110 | 0;
/**
 * The process has already exited. vmcompute returns this one in its 0x8037
 * form (hcsshim internal/hcs/errors.go ErrProcessAlreadyStopped = 0x8037011f).
 */
export const HCS_E_PROCESS_ALREADY_STOPPED = 0x8037011f | 0;

const INVALID_STATE_TEXT = 'The requested virtual machine or container operation is not valid in the current state.';
const NOT_FOUND_TEXT = 'A virtual machine or container with the specified identifier does not exist.';
const EXISTS_TEXT = 'A virtual machine or container with the specified identifier already exists.';
const NOT_RUNNING_TEXT = 'The virtual machine or container with the specified identifier is not running.';
const MISMATCH_TEXT = 'The container operating system does not match the host operating system.';
const CLOSED_TEXT = 'The connection with the virtual machine or container was closed.';
const JSON_TEXT = 'The virtual machine or container JSON document is invalid.';

const HCS_MESSAGES: ReadonlyMap<number, string> = new Map([
  [HCS_E_IMAGE_MISMATCH, MISMATCH_TEXT],
  [ERROR_VMCOMPUTE_IMAGE_MISMATCH, MISMATCH_TEXT],
  [HCS_E_INVALID_STATE, INVALID_STATE_TEXT],
  [ERROR_VMCOMPUTE_INVALID_STATE, INVALID_STATE_TEXT],
  [HCS_E_CONNECTION_CLOSED, CLOSED_TEXT],
  [ERROR_VMCOMPUTE_CONNECTION_CLOSED, CLOSED_TEXT],
  [HCS_E_INVALID_JSON, JSON_TEXT],
  [ERROR_VMCOMPUTE_INVALID_JSON, JSON_TEXT],
  [HCS_E_SYSTEM_NOT_FOUND, NOT_FOUND_TEXT],
  [ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND, NOT_FOUND_TEXT],
  [HCS_E_SYSTEM_ALREADY_EXISTS, EXISTS_TEXT],
  [ERROR_VMCOMPUTE_SYSTEM_ALREADY_EXISTS, EXISTS_TEXT],
  [HCS_E_SYSTEM_ALREADY_STOPPED, NOT_RUNNING_TEXT],
  [ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED, NOT_RUNNING_TEXT],
  [HCS_E_PROCESS_ALREADY_STOPPED, 'The process has already exited.'],
]);

/**
 * FormatMessage's text for a code as hcsshim holds it: the HCS family from
 * the table above, a Win32 code (≤ 0xFFFF) from src/core/win32.ts.
 */
export function hcsMessage(code: number): string {
  const c = code | 0;
  const hcs = HCS_MESSAGES.get(c);
  if (hcs !== undefined) return hcs;
  if (c > 0 && c <= 0xffff) return win32Message(c);
  return `Unknown error (0x${(c >>> 0).toString(16)})`;
}

/**
 * A failed HCS call: hcsshim's SystemError (or ProcessError when `pid` is
 * given). Its message is the SystemError text; `containerErrorMessage` the
 * legacy ContainerError text moby's built-in runtime prints.
 */
export class HcsError extends Error {
  override readonly name = 'HcsError';
  constructor(
    /** The HCS operation, e.g. `hcs::System::Start` (HcsOp). */
    readonly op: string,
    /** The code as hcsshim's Errno holds it, signed 32-bit (see the file comment). */
    readonly hresult: number,
    /** The compute system's id (the container id). */
    readonly id: string,
    /** For a process operation, the process id. */
    readonly pid?: number,
  ) {
    super(pid === undefined ? `${op} ${id}: ${hcsMessage(hresult)}` : `${op} ${id}:${pid}: ${hcsMessage(hresult)}`);
  }

  /** The code as an unsigned 32-bit number (0xc0370105). */
  get code(): number {
    return this.hresult >>> 0;
  }

  /** hcsshim's legacy ContainerError/ProcessError text (moby libcontainerd/local). */
  get containerErrorMessage(): string {
    const head = this.pid === undefined ? `container ${this.id}` : `process ${this.pid} in container ${this.id}`;
    return `${head} encountered an error during ${this.op}: failure in a Windows system call: ${hcsMessage(this.hresult)} (0x${this.code.toString(16)})`;
  }
}

/** A request HCS does not support (an unknown Modify resource path, …): ERROR_NOT_SUPPORTED, "The request is not supported." */
export const HCS_NOT_SUPPORTED = ERROR_NOT_SUPPORTED;
