/**
 * Job object constants, spelled and valued as winnt.h spells them, one table
 * per family (house style §3). assembly/jobs/constants.ts mirrors them;
 * test/core/jobs/mirror.test.ts keeps the two identical.
 */

/**
 * JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags (with the extended flags of
 * JOBOBJECT_EXTENDED_LIMIT_INFORMATION).
 * Source: "JOBOBJECT_BASIC_LIMIT_INFORMATION structure (winnt.h)", Microsoft
 * Learn; values as in windows-facts.md §3. PRESERVE_JOB_TIME,
 * SCHEDULING_CLASS and SUBSET_AFFINITY are on the same page and not in §3.
 */
export const JOB_OBJECT_LIMIT_WORKINGSET = 0x00000001;
export const JOB_OBJECT_LIMIT_PROCESS_TIME = 0x00000002;
export const JOB_OBJECT_LIMIT_JOB_TIME = 0x00000004;
export const JOB_OBJECT_LIMIT_ACTIVE_PROCESS = 0x00000008;
export const JOB_OBJECT_LIMIT_AFFINITY = 0x00000010;
export const JOB_OBJECT_LIMIT_PRIORITY_CLASS = 0x00000020;
export const JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME = 0x00000040;
export const JOB_OBJECT_LIMIT_SCHEDULING_CLASS = 0x00000080;
export const JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x00000100;
export const JOB_OBJECT_LIMIT_JOB_MEMORY = 0x00000200;
export const JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION = 0x00000400;
export const JOB_OBJECT_LIMIT_BREAKAWAY_OK = 0x00000800;
export const JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK = 0x00001000;
export const JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x00002000;
export const JOB_OBJECT_LIMIT_SUBSET_AFFINITY = 0x00004000;
/** Every flag above: anything else in LimitFlags is STATUS_INVALID_PARAMETER. */
export const JOB_OBJECT_LIMIT_VALID_FLAGS = 0x00007fff;

/**
 * JOBOBJECT_CPU_RATE_CONTROL_INFORMATION.ControlFlags.
 * Source: "JOBOBJECT_CPU_RATE_CONTROL_INFORMATION structure (winnt.h)",
 * Microsoft Learn; windows-facts.md §3.
 */
export const JOB_OBJECT_CPU_RATE_CONTROL_ENABLE = 0x1;
export const JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED = 0x2;
export const JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP = 0x4;
export const JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY = 0x8;
export const JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE = 0x10;
export const JOB_OBJECT_CPU_RATE_CONTROL_VALID_FLAGS = 0x1f;

/**
 * Message identifiers posted on a job's completion port (here: its
 * notification queue). Source: "JOBOBJECT_ASSOCIATE_COMPLETION_PORT
 * structure (winnt.h)", Microsoft Learn; windows-facts.md §3. There is no
 * message 5. NOTIFICATION_LIMIT is on the same page (not in §3): winsilo posts
 * it for JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY.
 */
export const JOB_OBJECT_MSG_END_OF_JOB_TIME = 1;
export const JOB_OBJECT_MSG_END_OF_PROCESS_TIME = 2;
export const JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT = 3;
export const JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO = 4;
export const JOB_OBJECT_MSG_NEW_PROCESS = 6;
export const JOB_OBJECT_MSG_EXIT_PROCESS = 7;
export const JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS = 8;
export const JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT = 9;
export const JOB_OBJECT_MSG_JOB_MEMORY_LIMIT = 10;
export const JOB_OBJECT_MSG_NOTIFICATION_LIMIT = 11;

/**
 * JOBOBJECT_END_OF_JOB_TIME_INFORMATION.EndOfJobTimeAction.
 * Source: "JOBOBJECT_END_OF_JOB_TIME_INFORMATION structure (winnt.h)",
 * Microsoft Learn.
 */
export const JOB_OBJECT_TERMINATE_AT_END_OF_JOB = 0;
export const JOB_OBJECT_POST_AT_END_OF_JOB = 1;

/**
 * Process creation flags winsilo honours. Source: "Process Creation Flags",
 * Microsoft Learn (CREATE_BREAKAWAY_FROM_JOB: "If the calling process is
 * associated with a job, the job must set the JOB_OBJECT_LIMIT_BREAKAWAY_OK
 * limit").
 */
export const CREATE_BREAKAWAY_FROM_JOB = 0x01000000;

/**
 * Priority classes (JOBOBJECT_BASIC_LIMIT_INFORMATION.PriorityClass), lowest
 * first: a nested job's effective class is the lowest in its chain.
 * Source: "SetPriorityClass function (processthreadsapi.h)", Microsoft Learn.
 */
export const IDLE_PRIORITY_CLASS = 0x00000040;
export const BELOW_NORMAL_PRIORITY_CLASS = 0x00004000;
export const NORMAL_PRIORITY_CLASS = 0x00000020;
export const ABOVE_NORMAL_PRIORITY_CLASS = 0x00008000;
export const HIGH_PRIORITY_CLASS = 0x00000080;
export const REALTIME_PRIORITY_CLASS = 0x00000100;
/** The classes in rising order (index = rank). */
export const PRIORITY_CLASS_ORDER: readonly number[] = [
  IDLE_PRIORITY_CLASS,
  BELOW_NORMAL_PRIORITY_CLASS,
  NORMAL_PRIORITY_CLASS,
  ABOVE_NORMAL_PRIORITY_CLASS,
  HIGH_PRIORITY_CLASS,
  REALTIME_PRIORITY_CLASS,
];

/**
 * Exit codes after which a job posts JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS
 * instead of JOB_OBJECT_MSG_EXIT_PROCESS: the exception statuses the
 * JOBOBJECT_ASSOCIATE_COMPLETION_PORT page lists ("The following exit codes
 * indicate an abnormal exit"), valued as winnt.h defines them. These are exit
 * codes a process dies with, not statuses the core returns, so they live here
 * rather than in ../ntstatus.ts.
 */
export const ABNORMAL_EXIT_CODES: ReadonlyMap<number, string> = new Map([
  [0x80000001 | 0, 'STATUS_GUARD_PAGE_VIOLATION'],
  [0x80000002 | 0, 'STATUS_DATATYPE_MISALIGNMENT'],
  [0x80000003 | 0, 'STATUS_BREAKPOINT'],
  [0x80000004 | 0, 'STATUS_SINGLE_STEP'],
  [0xc0000005 | 0, 'STATUS_ACCESS_VIOLATION'],
  [0xc0000006 | 0, 'STATUS_IN_PAGE_ERROR'],
  [0xc000001d | 0, 'STATUS_ILLEGAL_INSTRUCTION'],
  [0xc0000025 | 0, 'STATUS_NONCONTINUABLE_EXCEPTION'],
  [0xc0000026 | 0, 'STATUS_INVALID_DISPOSITION'],
  [0xc000008c | 0, 'STATUS_ARRAY_BOUNDS_EXCEEDED'],
  [0xc000008d | 0, 'STATUS_FLOAT_DENORMAL_OPERAND'],
  [0xc000008e | 0, 'STATUS_FLOAT_DIVIDE_BY_ZERO'],
  [0xc000008f | 0, 'STATUS_FLOAT_INEXACT_RESULT'],
  [0xc0000090 | 0, 'STATUS_FLOAT_INVALID_OPERATION'],
  [0xc0000091 | 0, 'STATUS_FLOAT_OVERFLOW'],
  [0xc0000092 | 0, 'STATUS_FLOAT_STACK_CHECK'],
  [0xc0000093 | 0, 'STATUS_FLOAT_UNDERFLOW'],
  [0xc0000094 | 0, 'STATUS_INTEGER_DIVIDE_BY_ZERO'],
  [0xc0000095 | 0, 'STATUS_INTEGER_OVERFLOW'],
  [0xc0000096 | 0, 'STATUS_PRIVILEGED_INSTRUCTION'],
  [0xc00000fd | 0, 'STATUS_STACK_OVERFLOW'],
  [0xc000013a | 0, 'STATUS_CONTROL_C_EXIT'],
  [0xc00002b4 | 0, 'STATUS_FLOAT_MULTIPLE_FAULTS'],
  [0xc00002b5 | 0, 'STATUS_FLOAT_MULTIPLE_TRAPS'],
  [0xc00002c9 | 0, 'STATUS_REG_NAT_CONSUMPTION'],
]);

/**
 * What a charge carries (winsilo's ABI numbering; the counters are Windows'):
 *   CpuTime     a = user time, b = kernel time (100 ns units)
 *   PageFaults  a = page faults
 *   ReadIo      a = operations, b = bytes (IO_COUNTERS Read*)
 *   WriteIo     a = operations, b = bytes (Write*)
 *   OtherIo     a = operations, b = bytes (Other*)
 *   Commit      a = bytes committed (> 0) or released (< 0)
 */
export const JobCharge = {
  CpuTime: 1,
  PageFaults: 2,
  ReadIo: 3,
  WriteIo: 4,
  OtherIo: 5,
  Commit: 6,
} as const;
export type JobChargeKind = (typeof JobCharge)[keyof typeof JobCharge];
