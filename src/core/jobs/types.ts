/**
 * Job objects: one interface, two implementations (WASM in wasm.ts, the
 * TypeScript reference in reference.ts). Semantics are windows-facts.md §3
 * and the Microsoft Learn pages cited in constants.ts; assembly/jobs/README.md
 * lists the rules and where each comes from. Every method returns an NTSTATUS
 * (a signed 32-bit number, see ../ntstatus.ts) instead of throwing, so the two
 * implementations can be compared call for call.
 *
 * Ids. Jobs and processes are small integers handed out by the module (1, 2,
 * …; a freed id is reused, most recently freed first). A job id works like a
 * handle: after closeJob it is STATUS_INVALID_HANDLE for every call, although
 * the job lives on while it has processes or child jobs. A process id works
 * until deleteProcess. A job's processes are listed in ascending id order;
 * where an order shows (the scheduler's remainder units, processes ended by
 * a limit in one step), it is that order.
 *
 * Units. Times are 100 ns units, memory is bytes; every 64-bit quantity
 * (LARGE_INTEGER, SIZE_T, ULONG_PTR members, charge amounts) is a JS number
 * holding an integer 0 … 2^53 − 1 (anything else — fractions, NaN, negatives
 * where not allowed — is STATUS_INVALID_PARAMETER). 32-bit members (DWORD,
 * WORD: flags, ActiveProcessLimit, PriorityClass, SchedulingClass, the CPU
 * rate members, exit codes, thread counts, ids) are converted as a JS number
 * passed to a 32-bit parameter is (ToInt32, read unsigned where Windows'
 * type is unsigned), then range-checked. Totals are sums of such quantities
 * and exact while they stay below 2^53 (28 years of CPU time, 8 PiB); past
 * that they round, and the two implementations, which add in different
 * orders, may differ in the last unit.
 *
 * Statuses that most methods may return, not repeated below:
 *  - STATUS_INVALID_HANDLE          the job id is 0, closed, or never existed
 *  - STATUS_INVALID_CID             the process id is 0, deleted, or never existed
 *  - STATUS_PROCESS_IS_TERMINATING  the process has exited (only deleteProcess
 *                                   and queryProcess accept an exited process)
 *  - STATUS_INVALID_PARAMETER       a value is out of range (each method says which)
 */

/** JOBOBJECT_BASIC_LIMIT_INFORMATION (winnt.h). Members whose flag is clear are ignored on set and read back as 0. */
export interface BasicLimitInformation {
  PerProcessUserTimeLimit: number;
  PerJobUserTimeLimit: number;
  LimitFlags: number;
  MinimumWorkingSetSize: number;
  MaximumWorkingSetSize: number;
  ActiveProcessLimit: number;
  Affinity: number;
  PriorityClass: number;
  SchedulingClass: number;
}

/** IO_COUNTERS (winnt.h). */
export interface IoCounters {
  ReadOperationCount: number;
  WriteOperationCount: number;
  OtherOperationCount: number;
  ReadTransferCount: number;
  WriteTransferCount: number;
  OtherTransferCount: number;
}

/** JOBOBJECT_EXTENDED_LIMIT_INFORMATION (winnt.h). IoInfo is "Reserved" there and reads as zeros. */
export interface ExtendedLimitInformation {
  BasicLimitInformation: BasicLimitInformation;
  IoInfo: IoCounters;
  ProcessMemoryLimit: number;
  JobMemoryLimit: number;
  /** Output only: the peak commit of any process ever associated with the job. */
  PeakProcessMemoryUsed: number;
  /** Output only: the peak commit of all processes associated with the job. */
  PeakJobMemoryUsed: number;
}

/** What setExtendedLimits reads: the limits, without the output-only peaks and IoInfo. */
export interface ExtendedLimitInput {
  BasicLimitInformation: Partial<BasicLimitInformation> & { LimitFlags: number };
  ProcessMemoryLimit?: number;
  JobMemoryLimit?: number;
}

/** JOBOBJECT_BASIC_ACCOUNTING_INFORMATION (winnt.h). */
export interface BasicAccountingInformation {
  TotalUserTime: number;
  TotalKernelTime: number;
  ThisPeriodTotalUserTime: number;
  ThisPeriodTotalKernelTime: number;
  TotalPageFaultCount: number;
  TotalProcesses: number;
  ActiveProcesses: number;
  TotalTerminatedProcesses: number;
}

/** JOBOBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION (winnt.h). */
export interface BasicAndIoAccountingInformation {
  BasicInfo: BasicAccountingInformation;
  IoInfo: IoCounters;
}

/**
 * JOBOBJECT_CPU_RATE_CONTROL_INFORMATION (winnt.h). CpuRate, Weight and
 * MinRate/MaxRate share one DWORD in Windows; set reads the member that
 * ControlFlags selects (WEIGHT_BASED → Weight, MIN_MAX_RATE → MinRate and
 * MaxRate, otherwise CpuRate), query returns the union decoded every way.
 */
export interface CpuRateControlInformation {
  ControlFlags: number;
  CpuRate?: number;
  Weight?: number;
  MinRate?: number;
  MaxRate?: number;
}

/** The effective (strictest-on-the-chain) limits that apply to a job's processes. */
export interface EffectiveLimits {
  /** The limit flags among WORKINGSET, PROCESS_TIME, AFFINITY, PRIORITY_CLASS, SCHEDULING_CLASS and PROCESS_MEMORY that some job on the chain sets. */
  LimitFlags: number;
  PerProcessUserTimeLimit: number;
  ProcessMemoryLimit: number;
  Affinity: number;
  PriorityClass: number;
  SchedulingClass: number;
  MinimumWorkingSetSize: number;
  MaximumWorkingSetSize: number;
}

/** One process as the job module knows it (KERNEL_USER_TIMES, IO_COUNTERS, PROCESS_MEMORY_COUNTERS names). */
export interface ProcessInformation {
  /** The immediate job (end of the job chain), 0 if none. */
  Job: number;
  /** False once the process has exited. */
  Active: boolean;
  /** The exit code (meaningful once exited), as an unsigned 32-bit value. */
  ExitCode: number;
  /** Runnable threads the scheduler sees (0 = not runnable). */
  Threads: number;
  UserTime: number;
  KernelTime: number;
  PageFaultCount: number;
  IoCounters: IoCounters;
  /** Committed bytes (0 after exit). */
  PagefileUsage: number;
  PeakPagefileUsage: number;
}

/** One message from a job's queue: what GetQueuedCompletionStatus would return. */
export interface JobMessage {
  /** JOB_OBJECT_MSG_* (lpNumberOfBytesTransferred). */
  message: number;
  /** The process concerned, 0 for NULL (lpOverlapped). */
  process: number;
  /** The job that triggered the message (the one whose limit or state it concerns). */
  job: number;
}

/**
 * The batch command buffer: entry i charges `kind[i]` to `process[i]` with
 * amounts `a[i]`, `b[i]` (see JobCharge); chargeBatch writes `status[i]`.
 * For the WASM implementation the arrays are views of the module's memory
 * behind getters that re-create them after the memory grew (which detaches
 * old views): read them from the ChargeBuffer when you use them rather than
 * keeping an array across calls. What was written stays in place either way.
 */
export interface ChargeBuffer {
  readonly capacity: number;
  readonly process: Int32Array;
  readonly kind: Int32Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly status: Int32Array;
}

export interface SchedulerInformation {
  /** Logical processors. */
  cpuCount: number;
  /** Length of one scheduling interval (one tick), 100 ns units. */
  interval: number;
  /** Virtual time: ticks so far × interval. */
  now: number;
  /** CPU time handed out by the last tick. */
  lastGranted: number;
}

export interface JobResult {
  status: number;
  job: number;
}
export interface ProcessResult {
  status: number;
  process: number;
}
export interface Result<T> {
  status: number;
  info?: T;
}
export interface MessagesResult {
  status: number;
  messages: JobMessage[];
  /** Messages dropped so far because the queue was full (JOBS_LIMITS.maxQueuedMessages). */
  dropped: number;
}

export interface JobObjects {
  readonly impl: 'wasm' | 'ref';

  /**
   * Host processors and the scheduling interval (defaults: JOBS_LIMITS).
   * STATUS_INVALID_PARAMETER: cpuCount outside 1 … maxCpus, interval outside
   * 1 … maxInterval. Jobs' affinity masks keep their bits; a bit beyond the
   * new count simply names no processor.
   */
  configure(cpuCount: number, interval: number): number;
  schedulerInformation(): SchedulerInformation;

  // ---- jobs ----------------------------------------------------------------

  /**
   * CreateJobObject, nested in `parent` (0: a top-level job). The parent is
   * fixed from then on. STATUS_INVALID_HANDLE: parent not an open job.
   * STATUS_INSUFFICIENT_RESOURCES: maxJobs reached or out of memory.
   */
  createJob(parent?: number): JobResult;
  /**
   * Closes the job's handle. With JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE this
   * terminates the job (as terminateJob with exit code 0). The job is freed
   * once it has no processes (active or exited-but-undeleted) and no child jobs.
   */
  closeJob(job: number): number;
  /**
   * TerminateJobObject: terminates every active process of the job and of
   * its child jobs, the bottom of the hierarchy first. The terminated job and
   * its descendants get no EXIT_PROCESS messages for these exits (ancestors
   * do); ACTIVE_PROCESS_ZERO is still posted.
   */
  terminateJob(job: number, exitCode: number): number;
  /** The job's parent (0 if top-level). */
  jobParent(job: number): JobResult;

  // ---- processes -------------------------------------------------------------

  /**
   * CreateProcess as the job module sees it: the new process joins every job
   * of its parent's chain, unless it breaks away (CREATE_BREAKAWAY_FROM_JOB
   * with JOB_OBJECT_LIMIT_BREAKAWAY_OK, or SILENT_BREAKAWAY_OK: it leaves the
   * immediate job and each job above it that permits breakaway). Posts
   * NEW_PROCESS to each job of its chain.
   *  - STATUS_INVALID_PARAMETER  flags other than CREATE_BREAKAWAY_FROM_JOB
   *  - STATUS_ACCESS_DENIED      CREATE_BREAKAWAY_FROM_JOB but the parent's
   *                              immediate job has neither breakaway flag
   *  - STATUS_QUOTA_EXCEEDED     a job of the chain is at its active process
   *                              limit (posts ACTIVE_PROCESS_LIMIT from that
   *                              job; the attempt counts in TotalProcesses and
   *                              TotalTerminatedProcesses), or reached its
   *                              end-of-job time (TERMINATE action) and was not
   *                              reset. Win32: ERROR_NOT_ENOUGH_QUOTA (1816).
   *  - STATUS_INSUFFICIENT_RESOURCES  maxProcesses reached or out of memory
   */
  createProcess(parent: number, flags?: number): ProcessResult;
  /**
   * AssignProcessToJobObject with the nested-job rules: a process whose
   * immediate job is X may join `job` only if job is X (no-op), or X is an
   * ancestor of job, or job has no parent and never had a process (it then
   * becomes X's child). The jobs it joins count its whole usage so far
   * (accounting covers a process's lifetime) and its commit — "memory
   * operations performed by the process before it was associated with the job
   * are not examined", so that commit may leave a job above its memory limit —
   * and each posts NEW_PROCESS.
   *  - STATUS_ACCESS_DENIED      no valid hierarchy can be formed (job in
   *                              another branch, an ancestor of X — a cycle —,
   *                              or a parentless job that had processes)
   *  - STATUS_QUOTA_EXCEEDED     a joined job is at its active process limit
   *                              (ACTIVE_PROCESS_LIMIT posted; the attempt
   *                              counts in its TotalProcesses and
   *                              TotalTerminatedProcesses) or reached its
   *                              end-of-job time: the process is terminated
   *                              with exit code ERROR_NOT_ENOUGH_QUOTA, as
   *                              ActiveProcessLimit and AssignProcessToJobObject
   *                              document. Win32: ERROR_NOT_ENOUGH_QUOTA (1816).
   * If the process's user time already reaches the new effective per-process
   * time limit, or its time takes a job past its end-of-job time, the
   * assignment succeeds and the limit then acts ("the time limit violation
   * will be reported").
   */
  assignProcess(job: number, process: number): number;
  /**
   * The process ends (ExitProcess/TerminateProcess): EXIT_PROCESS, or
   * ABNORMAL_EXIT_PROCESS for an exit code in ABNORMAL_EXIT_CODES, to each
   * job of its chain; ACTIVE_PROCESS_ZERO to each job whose count drops to 0.
   * Its commit is released.
   */
  exitProcess(process: number, exitCode: number): number;
  /** Forgets an exited process. STATUS_INVALID_PARAMETER: still active. */
  deleteProcess(process: number): number;
  /** Runnable threads for the scheduler (0 = idle). STATUS_INVALID_PARAMETER: outside 0 … maxThreads. */
  setRunnable(process: number, threads: number): number;
  queryProcess(process: number): Result<ProcessInformation>;

  // ---- accounting --------------------------------------------------------------

  /**
   * Charges one usage record (see JobCharge) to the process and every job of
   * its chain, checking every limit on the chain first.
   *  - STATUS_INVALID_PARAMETER  unknown kind; an amount not an integer in
   *                              0 … 2^53 − 1 (Commit: −2^53+1 … 2^53−1;
   *                              PageFaults reads `a` only); releasing more
   *                              than is committed
   *  - STATUS_COMMITMENT_LIMIT   Commit past the effective per-process memory
   *                              limit (PROCESS_MEMORY_LIMIT posted) or past a
   *                              job's memory limit (JOB_MEMORY_LIMIT posted by
   *                              the innermost such job); nothing is charged.
   *                              Win32: ERROR_COMMITMENT_LIMIT (1455)
   *  - STATUS_QUOTA_EXCEEDED     CpuTime reached the effective per-process
   *                              time limit, or a job's per-job time limit with
   *                              the TERMINATE action: user time is charged up
   *                              to the limit, then the process (END_OF_PROCESS
   *                              _TIME) or the job (all its processes) is
   *                              terminated with ERROR_NOT_ENOUGH_QUOTA
   */
  charge(process: number, kind: number, a: number, b?: number): number;
  /** The batch buffer (see ChargeBuffer). */
  chargeBuffer(): ChargeBuffer;
  /**
   * Applies entries 0 … count − 1 of the batch buffer in order, each exactly
   * as charge() would, writing each status. Returns how many entries failed
   * (≥ 0), or STATUS_INVALID_PARAMETER (< 0) when count is outside 0 … capacity.
   */
  chargeBatch(count: number): number;
  queryAccounting(job: number): Result<BasicAndIoAccountingInformation>;

  // ---- limits ------------------------------------------------------------------

  /**
   * SetInformationJobObject(JobObjectExtendedLimitInformation). A child may
   * set a looser value than its ancestors; the effective limit is the
   * strictest on the chain. Setting JOB_TIME resets ThisPeriodTotal*Time;
   * PRESERVE_JOB_TIME keeps the time limit in force. Any set clears a reached
   * end-of-job time. Processes already at the new effective per-process time
   * limit are terminated.
   *  STATUS_INVALID_PARAMETER: unknown flags; JOB_TIME with PRESERVE_JOB_TIME;
   *  SUBSET_AFFINITY without AFFINITY;
   *  WORKINGSET with a zero size or minimum > maximum; AFFINITY 0 or naming
   *  processors the host lacks; PRIORITY_CLASS not a priority class;
   *  SCHEDULING_CLASS > 9; a time or size not an integer in 0 … 2^53 − 1.
   */
  setExtendedLimits(job: number, info: ExtendedLimitInput): number;
  queryExtendedLimits(job: number): Result<ExtendedLimitInformation>;
  queryEffectiveLimits(job: number): Result<EffectiveLimits>;
  /**
   * SetInformationJobObject(JobObjectCpuRateControlInformation).
   * STATUS_INVALID_PARAMETER: unknown flags; any flag without ENABLE;
   * WEIGHT_BASED with HARD_CAP or MIN_MAX_RATE; HARD_CAP with MIN_MAX_RATE;
   * CpuRate outside 1 … 10000; Weight outside 1 … 9; MaxRate outside
   * 1 … 10000 or MinRate above MaxRate. ControlFlags 0 turns control off.
   */
  setCpuRateControl(job: number, info: CpuRateControlInformation): number;
  queryCpuRateControl(job: number): Result<Required<CpuRateControlInformation>>;
  /** JOBOBJECT_END_OF_JOB_TIME_INFORMATION. STATUS_INVALID_PARAMETER: not 0 or 1. */
  setEndOfJobTimeAction(job: number, action: number): number;

  // ---- notifications -----------------------------------------------------------

  /** Dequeues up to `max` (1 … maxReadMessages) messages, oldest first. */
  readMessages(job: number, max?: number): MessagesResult;

  // ---- scheduler ---------------------------------------------------------------

  /**
   * One scheduling interval of virtual time: hands out cpuCount × interval of
   * CPU to the runnable processes (assembly/jobs/scheduler.ts describes the
   * policy), charges it as user time, then applies the time limits it
   * reached. Returns STATUS_SUCCESS; the WASM implementation returns
   * STATUS_INSUFFICIENT_RESOURCES, having changed nothing, when its scratch
   * space cannot grow to the tables' size.
   */
  tick(): number;
}
