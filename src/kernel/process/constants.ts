/**
 * Process constants, spelled as the Windows SDK spells them, one table per
 * family (house style §3). Exit codes that are NTSTATUS values come from
 * ../../core/ntstatus.ts; Win32 codes from ../../core/win32.ts.
 */
import { STATUS_COMMITMENT_LIMIT, STATUS_CONTROL_C_EXIT, STATUS_STACK_BUFFER_OVERRUN } from '../../core/ntstatus.js';
import { ERROR_NOT_ENOUGH_QUOTA, ERROR_PROCESS_ABORTED } from '../../core/win32.js';

/**
 * GetExitCodeProcess while the process runs ("GetExitCodeProcess function",
 * Microsoft Learn: "If the process has not terminated ... the status returned
 * is STILL_ACTIVE (a macro for STATUS_PENDING)"). A process may also exit with
 * 259 itself; Process.state, not the exit code, tells the two apart.
 */
export const STILL_ACTIVE = 259;

/**
 * Exit codes the kernel gives a process it ends, and why. Each is a real code
 * a Windows process ends with; where Windows leaves the choice open the
 * decision is stated.
 */
export const ExitCode = {
  /**
   * The default console control handler calls ExitProcess(STATUS_CONTROL_C_EXIT)
   * for CTRL_C_EVENT and CTRL_BREAK_EVENT ("HandlerRoutine callback function",
   * Microsoft Learn), and for the close/shutdown events it is what a console
   * process without a handler ends with: `docker stop` of a servercore `cmd`
   * container shows "Exited (3221225786)" (microsoft/dotnet-framework-docker#431).
   */
  ControlC: STATUS_CONTROL_C_EXIT >>> 0,
  /** `taskkill /F` calls TerminateProcess(h, 1); so does Task Manager's End task. */
  Terminated: 1,
  /** A job limit ended the process (assembly/jobs/README.md: exit code 1816 for every limit termination). */
  JobLimit: ERROR_NOT_ENOUGH_QUOTA,
  /**
   * Decision: a JavaScript exception that escapes a Program is an unhandled
   * exception in that program. A modern MSVC program whose exception escapes
   * main ends through std::terminate → abort → __fastfail, whose exit code is
   * STATUS_STACK_BUFFER_OVERRUN (0xC0000409); that is what we use. The error
   * itself is kept on Process.crash for the embedder, never thrown to the host.
   */
  UnhandledException: STATUS_STACK_BUFFER_OVERRUN >>> 0,
  /**
   * Decision: the image's initial commit (its private bytes at start) was
   * refused by a job memory limit, so the loader fails before the program
   * runs; the process ends with the status the refused allocation returned.
   */
  InitialCommitRefused: STATUS_COMMITMENT_LIMIT >>> 0,
  /**
   * Decision: a program whose commit the machine's limit refused
   * (memory-guard.ts) and which goes on to ask again while the host's memory
   * is still full is ended with the refused allocation's status, as a .NET
   * process fails fast on an allocation it cannot survive. Same value as
   * InitialCommitRefused.
   */
  CommitRefused: STATUS_COMMITMENT_LIMIT >>> 0,
  /**
   * Decision: what a process still running when its silo is terminated (or
   * after the shutdown grace period) ends with: ERROR_PROCESS_ABORTED, "The
   * process terminated unexpectedly." Windows does not document the code
   * TerminateComputeSystem leaves on the container's processes.
   */
  SiloTerminated: ERROR_PROCESS_ABORTED,
} as const;

/**
 * Console control events ("HandlerRoutine callback function", wincon.h).
 */
export const CTRL_C_EVENT = 0;
export const CTRL_BREAK_EVENT = 1;
export const CTRL_CLOSE_EVENT = 2;
export const CTRL_LOGOFF_EVENT = 5;
export const CTRL_SHUTDOWN_EVENT = 6;
export type ConsoleCtrlEvent =
  | typeof CTRL_C_EVENT
  | typeof CTRL_BREAK_EVENT
  | typeof CTRL_CLOSE_EVENT
  | typeof CTRL_LOGOFF_EVENT
  | typeof CTRL_SHUTDOWN_EVENT;

/**
 * Console input buffer modes (GetConsoleMode / SetConsoleMode on an input
 * handle; wincon.h, "SetConsoleMode", Microsoft Learn).
 */
export const ENABLE_PROCESSED_INPUT = 0x0001;
export const ENABLE_LINE_INPUT = 0x0002;
export const ENABLE_ECHO_INPUT = 0x0004;
export const ENABLE_WINDOW_INPUT = 0x0008;
export const ENABLE_MOUSE_INPUT = 0x0010;
export const ENABLE_INSERT_MODE = 0x0020;
export const ENABLE_QUICK_EDIT_MODE = 0x0040;
export const ENABLE_EXTENDED_FLAGS = 0x0080;
export const ENABLE_AUTO_POSITION = 0x0100;
export const ENABLE_VIRTUAL_TERMINAL_INPUT = 0x0200;
/** Every input mode bit SetConsoleMode knows. */
export const CONSOLE_INPUT_MODES = 0x03ff;
/**
 * A new console's input mode: processed, line, echo, mouse, insert,
 * quick edit, extended flags, auto position — 0x1F7, what GetConsoleMode
 * answers for a fresh conhost console.
 */
export const DEFAULT_CONSOLE_INPUT_MODE = 0x01f7;

/** Console screen buffer (output) modes. */
export const ENABLE_PROCESSED_OUTPUT = 0x0001;
export const ENABLE_WRAP_AT_EOL_OUTPUT = 0x0002;
export const ENABLE_VIRTUAL_TERMINAL_PROCESSING = 0x0004;
export const DISABLE_NEWLINE_AUTO_RETURN = 0x0008;
export const ENABLE_LVB_GRID_WORLDWIDE = 0x0010;
export const CONSOLE_OUTPUT_MODES = 0x001f;
/** A new screen buffer's mode: processed output and wrap at end of line. */
export const DEFAULT_CONSOLE_OUTPUT_MODE = 0x0003;
/** A new screen buffer's attributes: grey (7) on black (0), conhost's default ScreenColors. */
export const DEFAULT_CONSOLE_ATTRIBUTES = 0x07;

/**
 * Process creation flags the kernel honours ("Process Creation Flags",
 * Microsoft Learn). CREATE_BREAKAWAY_FROM_JOB is in ../../core/jobs.
 */
export const DEBUG_PROCESS = 0x00000001;
export const CREATE_NEW_CONSOLE = 0x00000010;
/** "If this flag is specified, CTRL+C signals will be disabled for all processes within the new process group." */
export const CREATE_NEW_PROCESS_GROUP = 0x00000200;
export const CREATE_UNICODE_ENVIRONMENT = 0x00000400;
export const CREATE_NO_WINDOW = 0x08000000;
export const DETACHED_PROCESS = 0x00000008;

/**
 * Where Windows lives inside every silo winsilo boots (the image synthesis
 * lays it out so), spelled as GetWindowsDirectory and GetSystemDirectory
 * return them in a container: `C:\Windows\system32` with a lower-case s,
 * which is how image paths such as `C:\Windows\system32\svchost.exe` show.
 */
export const SYSTEM_ROOT = 'C:\\Windows';
export const SYSTEM32 = 'C:\\Windows\\system32';
/** The 16-bit system directory CreateProcess still searches. */
export const SYSTEM16 = 'C:\\Windows\\System';
