// Job and process records in linear memory.
//
// Both tables are arrays of fixed-size records indexed by id (id 0 is never
// handed out; job record 0 only heads the list of processes in no job and
// holds the host's scheduler scratch). A table grows by doubling: a new chunk
// from the arena, the records copied, the old chunk freed — so a record's
// address is good only until the next job (or process) is created; code
// re-derives it with J()/P() after anything that may create one (tables.ts).
//
// Every f64 field holds an integer (or +Infinity for "no limit"): f64
// arithmetic is exact below 2^53, so the TypeScript reference computes the
// very same values.
//
// Job record (512 bytes, 512-byte stride).
//
// Accounting is kept where it is cheapest to keep exactly. A charge adds to
// the process and to the `own` counters of the process's immediate job only;
// a job's totals (TotalUserTime, IO_COUNTERS, …) are the sum of `own` over
// its subtree, taken when queried ("Each job in a job chain therefore
// represents the aggregated resources used by its own processes and the
// processes of every child job below it" — Nested Jobs). What a limit needs
// at charge time is kept eagerly on every job it concerns: commit and its
// peaks on every job of the chain; ThisPeriodTotalUserTime (`periodUser`) on
// the jobs with a per-job time limit (`timed`: effJobTime finite), reached
// through `timedAnc` (the nearest timed job at or above this one when the
// limits were last resolved, 0 if none; it may name a job whose limit was
// cleared since, which the charge then skips). For an untimed job
// ThisPeriodTotal*Time is its total minus `base*`, the total when the period
// began. The TypeScript reference keeps every total eagerly; the two agree
// exactly while totals stay below 2^53.
//
//     0         4         8                 16                24
//     +---------+---------+-----------------+-----------------+-----------------+
//   0 | parent  | flags   | effJobMemory    | commit          | PeakJobMemory   |
//  32 | PeakProcessMemory | effJobTime      | periodUser      |timedAnc|eojAction|
//  64 | ownUser           | ownKernel       | effProcTime     | effProcMemory   |
//  96 | ownPageFaults     | baseUser        | baseKernel      | (unused)        |
// 128 | ownReadOps        | ownReadBytes    | ownWriteOps     | ownWriteBytes   |
// 160 | ownOtherOps       | ownOtherBytes   | PerProcessUserTimeLimit | PerJobUserTimeLimit
// 192 | MinimumWorkingSetSize | MaximumWorkingSetSize | ProcessMemoryLimit | JobMemoryLimit
// 224 | effMinWS          | effMaxWS        | ActiveProcessLimit | Affinity     |
// 256 | B rate base       | H hard cap      | M guarantee     | S soft rate     |
// 288 | D demand          | A grant         | PD proc demand  | CD child demand |
// 320 | minPD             | firstChild | lastChild | next | prev | childCount | procRefs
// 352 | ActiveProcesses | TotalProcesses | TotalTerminated | LimitFlags | PriorityClass | SchedulingClass | cpuFlags | cpuValue
// 384 | effFlags | effAffinity | effPriority | effSched | procHead | procTail | KR | W      (u32/i32 each)
// 416 | orderPos | subtree | queuePtr | queueCap | queueHead | queueCount | dropped | avail
// 448 | chain: the job and its first 7 ancestors, u32 × 8 | mode | (unused) | level f64 | rem f64
//
// A CPU charge touches line 1 of its immediate job (its own user/kernel pair
// and the per-process time limit its processes have), a commit line 0 of
// every job of the chain and line 1 of the immediate one, an I/O charge line 2.
//
// The own pairs a charge adds side by side (user+kernel; operations+bytes,
// the three I/O pairs in the order of the charge kinds; page faults with
// baseUser, which a charge adds 0 to) are 16-byte aligned pairs, so one
// 128-bit add updates a pair. effProcTime and effProcMemory are the limits
// every process of this job has (the strictest on the chain). B…minPD, KR, W, avail (the
// processors a process of the job may use), mode, level and rem are
// scheduler scratch, valid during one tick. Limits as set are the JOBOBJECT_* members;
// eff* are the values in force (the strictest on the chain, hierarchy.ts).
// `chain` lets a commit visit the first CHAIN_SLOTS jobs of a chain without
// chasing parent links one load after another (0 past the top; deeper chains
// continue through `parent`). A free record keeps the next free id in `next`.
//
// Process records (128 bytes in three tables indexed by id). The hot record
// is what the scheduler and a CPU charge touch: 32 bytes, so a scheduler pass
// over 10 000 processes streams 320 KB (which stays in a core's L2) rather
// than ten times that. Commit and the exit code sit in a second table, the
// counters only reports and I/O charges touch in a third:
//
//     0        4        8        12       14      16                24
//     +--------+--------+--------+--------+-------+-----------------+-----------------+
//   0 | job    | next   | prev   | state  |threads| UserTime f64    | KernelTime f64  |  hot
//     +--------+--------+--------+--------+-------+-----------------+-----------------+
//   0 | commit f64      | PeakPagefileUsage | exit i32 | (unused)                       |  mem
//     +-----------------+-----------------+-----------------+-----------------+
//   0 | PageFaults f64  | (unused)        | ReadOps         | ReadBytes       |  io
//  32 | WriteOps        | WriteBytes      | OtherOps        | OtherBytes      |
//     +-----------------+-----------------+-----------------+-----------------+
//
// A charge adds a pair (a, b) at the kind's offset; page faults come as
// (faults, 0). `next`/`prev` link the active processes of one job (job record
// 0 heads the list of processes in no job); a free record keeps the next free
// id in `next`.
//
// Notification queue (per job, allocated on the first message, notify.ts): a
// ring of `queueCap` 12-byte entries [message u32][process u32][source job u32].

export const JOB_SHIFT: usize = 9;
export const JOB_SIZE: usize = 1 << JOB_SHIFT;
export const PROC_SHIFT: usize = 5;
export const PROC_SIZE: usize = 1 << PROC_SHIFT;
export const PMEM_SHIFT: usize = 5;
export const PMEM_SIZE: usize = 1 << PMEM_SHIFT;
export const PIO_SHIFT: usize = 6;
export const PIO_SIZE: usize = 1 << PIO_SHIFT;
export const MSG_SIZE: usize = 12;

// Job record fields.
export const J_PARENT: usize = 0;
export const J_FLAGS: usize = 4;
export const J_EFF_JOB_MEM: usize = 8;
export const J_COMMIT: usize = 16;
export const J_PEAK_JOB: usize = 24;
export const J_PEAK_PROC: usize = 32;
export const J_EFF_JOB_TIME: usize = 40;
export const J_PERIOD_USER: usize = 48;
export const J_TIMED_ANC: usize = 56;
export const J_EOJ_ACTION: usize = 60;
export const J_OWN_USER: usize = 64;
export const J_OWN_KERNEL: usize = 72;
export const J_EFF_PROC_TIME: usize = 80;
export const J_EFF_PROC_MEM: usize = 88;
export const J_OWN_FAULTS: usize = 96;
export const J_BASE_USER: usize = 104;
export const J_BASE_KERNEL: usize = 112;
export const J_OWN_RD_OPS: usize = 128;
export const J_OWN_RD_BYTES: usize = 136;
export const J_OWN_WR_OPS: usize = 144;
export const J_OWN_WR_BYTES: usize = 152;
export const J_OWN_OT_OPS: usize = 160;
export const J_OWN_OT_BYTES: usize = 168;
export const J_PROC_TIME_LIMIT: usize = 176;
export const J_JOB_TIME_LIMIT: usize = 184;
export const J_MIN_WS: usize = 192;
export const J_MAX_WS: usize = 200;
export const J_PROC_MEM_LIMIT: usize = 208;
export const J_JOB_MEM_LIMIT: usize = 216;
export const J_EFF_MIN_WS: usize = 224;
export const J_EFF_MAX_WS: usize = 232;
export const J_ACTIVE_LIMIT: usize = 240;
export const J_AFFINITY: usize = 248;
export const J_B: usize = 256;
export const J_H: usize = 264;
export const J_M: usize = 272;
export const J_S: usize = 280;
export const J_D: usize = 288;
export const J_A: usize = 296;
export const J_PD: usize = 304;
export const J_CD: usize = 312;
export const J_MIN_PD: usize = 320;
export const J_FIRST_CHILD: usize = 328;
export const J_LAST_CHILD: usize = 332;
export const J_NEXT: usize = 336;
export const J_PREV: usize = 340;
export const J_CHILD_COUNT: usize = 344;
export const J_PROC_REFS: usize = 348;
export const J_ACTIVE: usize = 352;
export const J_TOTAL_PROCS: usize = 356;
export const J_TOTAL_TERM: usize = 360;
export const J_LIMIT_FLAGS: usize = 364;
export const J_PRIORITY: usize = 368;
export const J_SCHED: usize = 372;
export const J_CPU_FLAGS: usize = 376;
export const J_CPU_VALUE: usize = 380;
export const J_EFF_FLAGS: usize = 384;
export const J_EFF_AFFINITY: usize = 388;
export const J_EFF_PRIORITY: usize = 392;
export const J_EFF_SCHED: usize = 396;
export const J_PROC_HEAD: usize = 400;
export const J_PROC_TAIL: usize = 404;
export const J_KR: usize = 408;
export const J_W: usize = 412;
export const J_POS: usize = 416;
export const J_SUBTREE: usize = 420;
export const J_Q_PTR: usize = 424;
export const J_Q_CAP: usize = 428;
export const J_Q_HEAD: usize = 432;
export const J_Q_COUNT: usize = 436;
export const J_DROPPED: usize = 440;
export const J_AVAIL: usize = 444;
export const J_CHAIN: usize = 448;
export const J_MODE: usize = 480;
export const J_LEVEL: usize = 496;
export const J_REM: usize = 504;
/** Jobs of a chain `chain` holds. */
export const CHAIN_SLOTS: i32 = 8;
/**
 * The own counters (f64 each), as offsets: user, kernel, page faults, then
 * the I/O operation counts and the I/O byte counts (the order a query
 * reports them in).
 */
export const OWN_COUNTERS: i32 = 9;
export const OWN_FIELDS: usize = memory.data<u8>([
  <u8>J_OWN_USER, <u8>J_OWN_KERNEL, <u8>J_OWN_FAULTS, <u8>J_OWN_RD_OPS, <u8>J_OWN_WR_OPS, <u8>J_OWN_OT_OPS,
  <u8>J_OWN_RD_BYTES, <u8>J_OWN_WR_BYTES, <u8>J_OWN_OT_BYTES,
]);

/** The offset of the c-th own counter (OWN_FIELDS). */
@inline export function ownField(c: i32): usize {
  return <usize>load<u8>(OWN_FIELDS + <usize>c);
}

// Job flags.
export const JF_LIVE: u32 = 1;
/** The job id still works as a handle (closeJob clears it). */
export const JF_OPEN: u32 = 2;
/** On a job and its subtree while terminateTree runs: no EXIT_PROCESS to them. */
export const JF_TERMINATING: u32 = 4;
/** End-of-job time reached (TERMINATE): no process may join until limits are set again. */
export const JF_END_OF_JOB: u32 = 8;
/** CPU rate NOTIFY: over its rate in the last interval (edge-triggers NOTIFICATION_LIMIT). */
export const JF_OVER_RATE: u32 = 16;

// Process record fields: hot (P_), mem (PM_), io (PI_).
export const P_JOB: usize = 0;
export const P_NEXT: usize = 4;
export const P_PREV: usize = 8;
export const P_STATE: usize = 12; // u16
export const P_THREADS: usize = 14; // u16
export const P_USER: usize = 16;
export const P_KERNEL: usize = 24;
export const PM_COMMIT: usize = 0;
export const PM_PEAK: usize = 8;
export const PM_EXIT: usize = 16;
export const PI_FAULTS: usize = 0;
export const PI_RD_OPS: usize = 16;
export const PI_RD_BYTES: usize = 24;
export const PI_WR_OPS: usize = 32;
export const PI_WR_BYTES: usize = 40;
export const PI_OT_OPS: usize = 48;
export const PI_OT_BYTES: usize = 56;

// Process states.
export const PS_FREE: u16 = 0;
export const PS_ACTIVE: u16 = 1;
export const PS_EXITED: u16 = 2;

// Why endProcess ends a process (bits).
/** A limit ended it: TotalTerminatedProcesses counts it on every job of its chain. */
export const R_LIMIT: i32 = 1;
/** The per-process time limit ended it: END_OF_PROCESS_TIME is posted first. */
export const R_PROCESS_TIME: i32 = 2;
