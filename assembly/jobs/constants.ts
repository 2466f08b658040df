// Job object constants as winnt.h spells and values them: the mirror of
// src/core/jobs/constants.ts, where each table cites its Microsoft Learn page
// (JOBOBJECT_BASIC_LIMIT_INFORMATION, JOBOBJECT_CPU_RATE_CONTROL_INFORMATION,
// JOBOBJECT_ASSOCIATE_COMPLETION_PORT, JOBOBJECT_END_OF_JOB_TIME_INFORMATION,
// Process Creation Flags). test/core/jobs/mirror.test.ts keeps them equal.

// JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags
export const JOB_OBJECT_LIMIT_WORKINGSET: i32 = 0x00000001;
export const JOB_OBJECT_LIMIT_PROCESS_TIME: i32 = 0x00000002;
export const JOB_OBJECT_LIMIT_JOB_TIME: i32 = 0x00000004;
export const JOB_OBJECT_LIMIT_ACTIVE_PROCESS: i32 = 0x00000008;
export const JOB_OBJECT_LIMIT_AFFINITY: i32 = 0x00000010;
export const JOB_OBJECT_LIMIT_PRIORITY_CLASS: i32 = 0x00000020;
export const JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME: i32 = 0x00000040;
export const JOB_OBJECT_LIMIT_SCHEDULING_CLASS: i32 = 0x00000080;
export const JOB_OBJECT_LIMIT_PROCESS_MEMORY: i32 = 0x00000100;
export const JOB_OBJECT_LIMIT_JOB_MEMORY: i32 = 0x00000200;
export const JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION: i32 = 0x00000400;
export const JOB_OBJECT_LIMIT_BREAKAWAY_OK: i32 = 0x00000800;
export const JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK: i32 = 0x00001000;
export const JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: i32 = 0x00002000;
export const JOB_OBJECT_LIMIT_SUBSET_AFFINITY: i32 = 0x00004000;
export const JOB_OBJECT_LIMIT_VALID_FLAGS: i32 = 0x00007fff;

// JOBOBJECT_CPU_RATE_CONTROL_INFORMATION.ControlFlags
export const JOB_OBJECT_CPU_RATE_CONTROL_ENABLE: i32 = 0x1;
export const JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED: i32 = 0x2;
export const JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP: i32 = 0x4;
export const JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY: i32 = 0x8;
export const JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE: i32 = 0x10;
export const JOB_OBJECT_CPU_RATE_CONTROL_VALID_FLAGS: i32 = 0x1f;

// Completion port message identifiers
export const JOB_OBJECT_MSG_END_OF_JOB_TIME: u32 = 1;
export const JOB_OBJECT_MSG_END_OF_PROCESS_TIME: u32 = 2;
export const JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT: u32 = 3;
export const JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO: u32 = 4;
export const JOB_OBJECT_MSG_NEW_PROCESS: u32 = 6;
export const JOB_OBJECT_MSG_EXIT_PROCESS: u32 = 7;
export const JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS: u32 = 8;
export const JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT: u32 = 9;
export const JOB_OBJECT_MSG_JOB_MEMORY_LIMIT: u32 = 10;
export const JOB_OBJECT_MSG_NOTIFICATION_LIMIT: u32 = 11;

// JOBOBJECT_END_OF_JOB_TIME_INFORMATION.EndOfJobTimeAction
export const JOB_OBJECT_TERMINATE_AT_END_OF_JOB: i32 = 0;
export const JOB_OBJECT_POST_AT_END_OF_JOB: i32 = 1;

// Process creation flags
export const CREATE_BREAKAWAY_FROM_JOB: i32 = 0x01000000;

// Priority classes
export const IDLE_PRIORITY_CLASS: i32 = 0x00000040;
export const BELOW_NORMAL_PRIORITY_CLASS: i32 = 0x00004000;
export const NORMAL_PRIORITY_CLASS: i32 = 0x00000020;
export const ABOVE_NORMAL_PRIORITY_CLASS: i32 = 0x00008000;
export const HIGH_PRIORITY_CLASS: i32 = 0x00000080;
export const REALTIME_PRIORITY_CLASS: i32 = 0x00000100;

// Win32 error used as the exit code of processes a limit terminates
// ("all processes are terminated and the status code is set to
// ERROR_NOT_ENOUGH_QUOTA" — JOBOBJECT_BASIC_LIMIT_INFORMATION).
export const ERROR_NOT_ENOUGH_QUOTA: i32 = 1816;

// Charge kinds (winsilo's ABI numbering; see JobCharge in src/core/jobs/constants.ts)
export const CHARGE_CPU_TIME: i32 = 1;
export const CHARGE_PAGE_FAULTS: i32 = 2;
export const CHARGE_READ_IO: i32 = 3;
export const CHARGE_WRITE_IO: i32 = 4;
export const CHARGE_OTHER_IO: i32 = 5;
export const CHARGE_COMMIT: i32 = 6;

/** The priority classes in rising order: a nested job's effective class is the lowest on its chain. */
export function priorityRank(c: i32): i32 {
  switch (c) {
    case IDLE_PRIORITY_CLASS: return 0;
    case BELOW_NORMAL_PRIORITY_CLASS: return 1;
    case NORMAL_PRIORITY_CLASS: return 2;
    case ABOVE_NORMAL_PRIORITY_CLASS: return 3;
    case HIGH_PRIORITY_CLASS: return 4;
    case REALTIME_PRIORITY_CLASS: return 5;
  }
  return -1;
}

/**
 * Exit codes after which a job posts ABNORMAL_EXIT_PROCESS: the list under
 * "The following exit codes indicate an abnormal exit" on the
 * JOBOBJECT_ASSOCIATE_COMPLETION_PORT page, valued as winnt.h defines them.
 * Mirrors ABNORMAL_EXIT_CODES in src/core/jobs/constants.ts.
 */
export function isAbnormalExit(code: i32): bool {
  switch (<u32>code) {
    case 0x80000001: // STATUS_GUARD_PAGE_VIOLATION
    case 0x80000002: // STATUS_DATATYPE_MISALIGNMENT
    case 0x80000003: // STATUS_BREAKPOINT
    case 0x80000004: // STATUS_SINGLE_STEP
    case 0xc0000005: // STATUS_ACCESS_VIOLATION
    case 0xc0000006: // STATUS_IN_PAGE_ERROR
    case 0xc000001d: // STATUS_ILLEGAL_INSTRUCTION
    case 0xc0000025: // STATUS_NONCONTINUABLE_EXCEPTION
    case 0xc0000026: // STATUS_INVALID_DISPOSITION
    case 0xc000008c: // STATUS_ARRAY_BOUNDS_EXCEEDED
    case 0xc000008d: // STATUS_FLOAT_DENORMAL_OPERAND
    case 0xc000008e: // STATUS_FLOAT_DIVIDE_BY_ZERO
    case 0xc000008f: // STATUS_FLOAT_INEXACT_RESULT
    case 0xc0000090: // STATUS_FLOAT_INVALID_OPERATION
    case 0xc0000091: // STATUS_FLOAT_OVERFLOW
    case 0xc0000092: // STATUS_FLOAT_STACK_CHECK
    case 0xc0000093: // STATUS_FLOAT_UNDERFLOW
    case 0xc0000094: // STATUS_INTEGER_DIVIDE_BY_ZERO
    case 0xc0000095: // STATUS_INTEGER_OVERFLOW
    case 0xc0000096: // STATUS_PRIVILEGED_INSTRUCTION
    case 0xc00000fd: // STATUS_STACK_OVERFLOW
    case 0xc000013a: // STATUS_CONTROL_C_EXIT
    case 0xc00002b4: // STATUS_FLOAT_MULTIPLE_FAULTS
    case 0xc00002b5: // STATUS_FLOAT_MULTIPLE_TRAPS
    case 0xc00002c9: // STATUS_REG_NAT_CONSUMPTION
      return true;
  }
  return false;
}
