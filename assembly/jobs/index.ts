// The job object ABI. Jobs and processes are small integer ids; every export
// returns an NTSTATUS as i32, or an id (> 0) / a count (≥ 0) where it says so,
// with failures as the (negative) status. No strings cross the boundary;
// 64-bit quantities (times in 100 ns units, bytes, counts) cross as f64
// holding integers 0 … 2^53 − 1; structured results come back through OUT,
// batches through fixed arrays the TypeScript side views once.
//
// Buffers (addresses from jobsBuffers(), which writes them into META):
//   META    u32 × 8    OUT | BPROCESS | BKIND | BA | BB | BSTATUS | MSGS | META
//   OUT     f64 × 32   query results (the order each query documents)
//   BPROCESS i32 × MAX_BATCH   ┐
//   BKIND    i32 × MAX_BATCH   │ the charge batch: entry i charges BKIND[i] to
//   BA       f64 × MAX_BATCH   │ BPROCESS[i] with amounts BA[i], BB[i];
//   BB       f64 × MAX_BATCH   │ jobsChargeBatch writes BSTATUS[i]
//   BSTATUS  i32 × MAX_BATCH   ┘
//   MSGS    MAX_READ_MESSAGES × [message u32][process u32][source job u32]
//   BLIST, BCLIST  u32 × (MAX_BATCH + 4) each: jobsChargeBatch's scratch (not in META)

import * as S from '../rt/ntstatus';
import { alloc, arenaLiveBytes, arenaSetPageCeiling } from '../rt/arena';
import { J, P, PM, PI, tablesInit, allocJobId, jNextId, pNextId, cpus, interval, setHost } from './tables';
import { dequeue } from './notify';
import { linkChild, computeEffective, markOrderDirty, terminateTree, maybeFreeJob, ensureOrder, orderAt } from './hierarchy';
import {
  isOpenJob, createProcess, assignProcess, exitProcess, deleteProcess, setRunnable,
} from './processes';
import { chargeOne, chargeBatch } from './charge';
import { setLimits, setCpuRate, setEndOfJobTimeAction } from './policy';
import { tick, now, lastGranted } from './scheduler';
import {
  J_PARENT, J_FLAGS, J_EFF_JOB_MEM, J_EFF_JOB_TIME, J_PERIOD_USER, J_BASE_USER, J_BASE_KERNEL, J_OWN_USER, J_OWN_KERNEL,
  J_OWN_FAULTS, J_OWN_RD_OPS, J_OWN_WR_OPS, J_OWN_OT_OPS, J_OWN_RD_BYTES, J_OWN_WR_BYTES, J_OWN_OT_BYTES, OWN_COUNTERS,
  J_TOTAL_PROCS, J_ACTIVE, J_TOTAL_TERM, J_POS, J_SUBTREE, J_PROC_TIME_LIMIT, J_JOB_TIME_LIMIT, J_LIMIT_FLAGS,
  J_MIN_WS, J_MAX_WS, J_ACTIVE_LIMIT, J_AFFINITY, J_PRIORITY, J_SCHED, J_PROC_MEM_LIMIT, J_JOB_MEM_LIMIT, J_PEAK_PROC,
  J_PEAK_JOB, J_EFF_FLAGS, J_EFF_PROC_TIME, J_EFF_PROC_MEM, J_EFF_AFFINITY, J_EFF_PRIORITY, J_EFF_SCHED, J_EFF_MIN_WS,
  J_EFF_MAX_WS, J_CPU_FLAGS, J_CPU_VALUE, J_DROPPED, JF_LIVE, JF_OPEN, MSG_SIZE,
  P_JOB, P_STATE, P_THREADS, P_USER, P_KERNEL, PM_COMMIT, PM_PEAK, PM_EXIT, PI_FAULTS, PI_RD_OPS, PI_WR_OPS, PI_OT_OPS,
  PI_RD_BYTES, PI_WR_BYTES, PI_OT_BYTES, PS_FREE, PS_ACTIVE, ownField,
} from './layout';
import {
  JOB_OBJECT_LIMIT_PROCESS_TIME, JOB_OBJECT_LIMIT_PROCESS_MEMORY, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
} from './constants';
import { MAX_BATCH, MAX_READ_MESSAGES, MAX_CPUS, MAX_INTERVAL } from './limits';

export { arenaSetPageCeiling };

const OUT_SLOTS: i32 = 32;

let META: usize = 0;
let OUT: usize = 0;
let BPROCESS: usize = 0;
let BKIND: usize = 0;
let BA: usize = 0;
let BB: usize = 0;
let BSTATUS: usize = 0;
/** Scratch of jobsChargeBatch (charge.ts chargeBatch), u32 × (MAX_BATCH + 3) each. */
let BLIST: usize = 0;
let BCLIST: usize = 0;
let MSGS: usize = 0;
let ready = false;

/** One-time set-up: STATUS_SUCCESS or STATUS_INSUFFICIENT_RESOURCES. */
export function jobsInit(): i32 {
  if (ready) return S.STATUS_SUCCESS;
  META = alloc(32);
  OUT = alloc(<usize>OUT_SLOTS << 3);
  BPROCESS = alloc(<usize>MAX_BATCH << 2);
  BKIND = alloc(<usize>MAX_BATCH << 2);
  BA = alloc(<usize>MAX_BATCH << 3);
  BB = alloc(<usize>MAX_BATCH << 3);
  BSTATUS = alloc(<usize>MAX_BATCH << 2);
  BLIST = alloc(<usize>(MAX_BATCH + 4) << 2);
  BCLIST = alloc(<usize>(MAX_BATCH + 4) << 2);
  MSGS = alloc(<usize>MAX_READ_MESSAGES * MSG_SIZE);
  if (META == 0 || OUT == 0 || BPROCESS == 0 || BKIND == 0 || BA == 0 || BB == 0 || BSTATUS == 0 || BLIST == 0 || BCLIST == 0 || MSGS == 0) {
    return S.STATUS_INSUFFICIENT_RESOURCES;
  }
  if (!tablesInit()) return S.STATUS_INSUFFICIENT_RESOURCES;
  ready = true;
  return S.STATUS_SUCCESS;
}

/** Writes the buffer addresses into META and returns META (0 before jobsInit succeeded). */
export function jobsBuffers(): usize {
  if (!ready) return 0;
  store<u32>(META, <u32>OUT);
  store<u32>(META + 4, <u32>BPROCESS);
  store<u32>(META + 8, <u32>BKIND);
  store<u32>(META + 12, <u32>BA);
  store<u32>(META + 16, <u32>BB);
  store<u32>(META + 20, <u32>BSTATUS);
  store<u32>(META + 24, <u32>MSGS);
  store<u32>(META + 28, <u32>META);
  return META;
}

export function jobsLiveBytes(): f64 {
  return <f64>arenaLiveBytes();
}

@inline function out(i: i32, v: f64): void {
  store<f64>(OUT + (<usize>i << 3), v);
}

// ---- host ---------------------------------------------------------------------

/** Processors 1 … MAX_CPUS and the scheduling interval 1 … MAX_INTERVAL (100 ns units). */
export function jobsConfigure(cpuCount: i32, iv: i32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (cpuCount < 1 || cpuCount > MAX_CPUS || iv < 1 || iv > MAX_INTERVAL) return S.STATUS_INVALID_PARAMETER;
  setHost(cpuCount, iv);
  return S.STATUS_SUCCESS;
}

/** OUT = cpuCount, interval, now, lastGranted. */
export function jobsSchedulerInfo(): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  out(0, <f64>cpus);
  out(1, <f64>interval);
  out(2, now);
  out(3, lastGranted);
  return S.STATUS_SUCCESS;
}

// ---- jobs -----------------------------------------------------------------------

/** CreateJobObject, nested in `parent` (0: top level). Returns the job id (> 0) or a status. */
export function jobsCreateJob(parent: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (parent != 0 && !isOpenJob(parent)) return S.STATUS_INVALID_HANDLE;
  const j = allocJobId();
  if (j == 0) return S.STATUS_INSUFFICIENT_RESOURCES;
  const r = J(j);
  store<u32>(r + J_FLAGS, JF_LIVE | JF_OPEN);
  store<f64>(r + J_EFF_JOB_MEM, Infinity);
  store<f64>(r + J_EFF_JOB_TIME, Infinity);
  if (parent != 0) linkChild(parent, j);
  else markOrderDirty();
  computeEffective(j);
  return <i32>j;
}

/**
 * Closes the job's handle; with KILL_ON_JOB_CLOSE ("Causes all processes
 * associated with the job to terminate when the last handle to the job is
 * closed") its processes end with exit code 0. The job is freed once it has
 * no processes and no child jobs.
 */
export function jobsCloseJob(j: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
  const r = J(j);
  store<u32>(r + J_FLAGS, load<u32>(r + J_FLAGS) & ~JF_OPEN);
  if ((load<i32>(r + J_LIMIT_FLAGS) & JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE) != 0) terminateTree(j, 0, 0);
  maybeFreeJob(j);
  return S.STATUS_SUCCESS;
}

/** TerminateJobObject: every active process of the job and its child jobs ends with `code`. */
export function jobsTerminateJob(j: u32, code: i32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
  terminateTree(j, code, 0);
  return S.STATUS_SUCCESS;
}

/** OUT[0] = the job's parent (0: top level). */
export function jobsJobParent(j: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
  out(0, <f64>load<u32>(J(j) + J_PARENT));
  return S.STATUS_SUCCESS;
}

// ---- processes ------------------------------------------------------------------------

/** A process created by `parent` (0: by the host, outside any job). Returns its id (> 0) or a status. */
export function jobsCreateProcess(parent: u32, flags: i32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  return createProcess(parent, flags);
}

export function jobsAssignProcess(j: u32, p: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  return assignProcess(j, p);
}

export function jobsExitProcess(p: u32, code: i32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  return exitProcess(p, code);
}

export function jobsDeleteProcess(p: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  return deleteProcess(p);
}

export function jobsSetRunnable(p: u32, threads: i32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  return setRunnable(p, threads);
}

/**
 * OUT = Job, Active (0/1), ExitCode (unsigned), Threads, UserTime, KernelTime,
 * PageFaultCount, Read/Write/Other operations, Read/Write/Other bytes,
 * PagefileUsage, PeakPagefileUsage.
 */
export function jobsQueryProcess(p: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (p == 0 || p >= <u32>pNextId) return S.STATUS_INVALID_CID;
  const r = P(p);
  const state = load<u16>(r + P_STATE);
  if (state == PS_FREE) return S.STATUS_INVALID_CID;
  const m = PM(p);
  const io = PI(p);
  out(0, <f64>load<u32>(r + P_JOB));
  out(1, state == PS_ACTIVE ? 1 : 0);
  out(2, <f64>load<u32>(m + PM_EXIT));
  out(3, <f64>load<u16>(r + P_THREADS));
  out(4, load<f64>(r + P_USER));
  out(5, load<f64>(r + P_KERNEL));
  out(6, load<f64>(io + PI_FAULTS));
  out(7, load<f64>(io + PI_RD_OPS));
  out(8, load<f64>(io + PI_WR_OPS));
  out(9, load<f64>(io + PI_OT_OPS));
  out(10, load<f64>(io + PI_RD_BYTES));
  out(11, load<f64>(io + PI_WR_BYTES));
  out(12, load<f64>(io + PI_OT_BYTES));
  out(13, load<f64>(m + PM_COMMIT));
  out(14, load<f64>(m + PM_PEAK));
  return S.STATUS_SUCCESS;
}

// ---- accounting -------------------------------------------------------------------------

/** Charges one usage record (charge.ts). */
export function jobsCharge(p: i32, kind: i32, a: f64, b: f64): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  return chargeOne(p, kind, a, b);
}

/**
 * Applies batch entries 0 … count − 1 in order, each as jobsCharge would,
 * writing BSTATUS[i]. Returns how many failed (≥ 0), or
 * STATUS_INVALID_PARAMETER when count is outside 0 … MAX_BATCH.
 */
export function jobsChargeBatch(count: i32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (count < 0 || count > MAX_BATCH) return S.STATUS_INVALID_PARAMETER;
  return chargeBatch(count, BPROCESS, BKIND, BA, BB, BSTATUS, BLIST, BCLIST);
}

/**
 * JOBOBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION into OUT: TotalUserTime,
 * TotalKernelTime, ThisPeriodTotalUserTime, ThisPeriodTotalKernelTime,
 * TotalPageFaultCount, TotalProcesses, ActiveProcesses,
 * TotalTerminatedProcesses, then IO_COUNTERS Read/Write/Other operation
 * counts and Read/Write/Other transfer counts.
 */
export function jobsQueryAccounting(j: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
  // The totals: the own counters summed over the subtree (layout.ts), into OUT[16 …) in the
  // order of OWN_FIELDS (user, kernel, page faults, I/O operations, I/O bytes).
  ensureOrder();
  const r = J(j);
  const start = load<i32>(r + J_POS);
  const end = start + load<i32>(r + J_SUBTREE);
  const totals = OUT + (<usize>16 << 3);
  memory.fill(totals, 0, <usize>OWN_COUNTERS << 3);
  for (let i = start; i < end; i++) {
    const kr = J(orderAt(i));
    for (let c: i32 = 0; c < OWN_COUNTERS; c++) {
      const at = totals + (<usize>c << 3);
      store<f64>(at, load<f64>(at) + load<f64>(kr + ownField(c)));
    }
  }
  const user = load<f64>(totals);
  const kernel = load<f64>(totals + 8);
  out(0, user);
  out(1, kernel);
  out(2, load<f64>(r + J_EFF_JOB_TIME) != Infinity ? load<f64>(r + J_PERIOD_USER) : user - load<f64>(r + J_BASE_USER));
  out(3, kernel - load<f64>(r + J_BASE_KERNEL));
  out(4, load<f64>(totals + 16));
  out(5, <f64>load<i32>(r + J_TOTAL_PROCS));
  out(6, <f64>load<i32>(r + J_ACTIVE));
  out(7, <f64>load<i32>(r + J_TOTAL_TERM));
  // IO_COUNTERS: the three operation counts, then the three transfer counts.
  for (let c: i32 = 3; c < OWN_COUNTERS; c++) out(5 + c, load<f64>(totals + (<usize>c << 3)));
  return S.STATUS_SUCCESS;
}

// ---- limits ------------------------------------------------------------------------------

export function jobsSetLimits(
  j: u32, lf: i32, active: i32, priority: i32, sched: i32,
  procTime: f64, jobTime: f64, minWs: f64, maxWs: f64, affinity: f64, procMem: f64, jobMem: f64,
): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  return setLimits(j, lf, active, priority, sched, procTime, jobTime, minWs, maxWs, affinity, procMem, jobMem);
}

/**
 * JOBOBJECT_EXTENDED_LIMIT_INFORMATION into OUT: PerProcessUserTimeLimit,
 * PerJobUserTimeLimit, LimitFlags, MinimumWorkingSetSize,
 * MaximumWorkingSetSize, ActiveProcessLimit, Affinity, PriorityClass,
 * SchedulingClass, ProcessMemoryLimit, JobMemoryLimit, PeakProcessMemoryUsed,
 * PeakJobMemoryUsed (IoInfo is reserved and reads as zeros).
 */
export function jobsQueryLimits(j: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
  const r = J(j);
  out(0, load<f64>(r + J_PROC_TIME_LIMIT));
  out(1, load<f64>(r + J_JOB_TIME_LIMIT));
  out(2, <f64>load<i32>(r + J_LIMIT_FLAGS));
  out(3, load<f64>(r + J_MIN_WS));
  out(4, load<f64>(r + J_MAX_WS));
  out(5, load<f64>(r + J_ACTIVE_LIMIT));
  out(6, load<f64>(r + J_AFFINITY));
  out(7, <f64>load<i32>(r + J_PRIORITY));
  out(8, <f64>load<i32>(r + J_SCHED));
  out(9, load<f64>(r + J_PROC_MEM_LIMIT));
  out(10, load<f64>(r + J_JOB_MEM_LIMIT));
  out(11, load<f64>(r + J_PEAK_PROC));
  out(12, load<f64>(r + J_PEAK_JOB));
  return S.STATUS_SUCCESS;
}

/**
 * The limits in force for the job's processes into OUT: LimitFlags (those
 * resolved along the chain), PerProcessUserTimeLimit, ProcessMemoryLimit,
 * Affinity, PriorityClass, SchedulingClass, MinimumWorkingSetSize,
 * MaximumWorkingSetSize.
 */
export function jobsQueryEffective(j: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
  const r = J(j);
  const f = load<i32>(r + J_EFF_FLAGS);
  out(0, <f64>f);
  out(1, (f & JOB_OBJECT_LIMIT_PROCESS_TIME) != 0 ? load<f64>(r + J_EFF_PROC_TIME) : 0);
  out(2, (f & JOB_OBJECT_LIMIT_PROCESS_MEMORY) != 0 ? load<f64>(r + J_EFF_PROC_MEM) : 0);
  out(3, <f64>load<u32>(r + J_EFF_AFFINITY));
  out(4, <f64>load<i32>(r + J_EFF_PRIORITY));
  out(5, <f64>load<i32>(r + J_EFF_SCHED));
  out(6, load<f64>(r + J_EFF_MIN_WS));
  out(7, load<f64>(r + J_EFF_MAX_WS));
  return S.STATUS_SUCCESS;
}

export function jobsSetCpuRate(j: u32, cf: i32, rate: i32, weight: i32, minRate: i32, maxRate: i32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  return setCpuRate(j, cf, rate, weight, minRate, maxRate);
}

/** OUT = ControlFlags, the union DWORD (CpuRate | Weight | MinRate + MaxRate << 16). */
export function jobsQueryCpuRate(j: u32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
  out(0, <f64>load<i32>(J(j) + J_CPU_FLAGS));
  out(1, <f64>load<u32>(J(j) + J_CPU_VALUE));
  return S.STATUS_SUCCESS;
}

export function jobsSetEndOfJobTime(j: u32, action: i32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  return setEndOfJobTimeAction(j, action);
}

// ---- notifications ------------------------------------------------------------------------

/** Dequeues up to `max` (1 … MAX_READ_MESSAGES) messages into MSGS; returns how many. OUT[0] = dropped so far. */
export function jobsReadMessages(j: u32, max: i32): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  if (!isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
  if (max < 1 || max > MAX_READ_MESSAGES) return S.STATUS_INVALID_PARAMETER;
  const n = dequeue(j, MSGS, <u32>max);
  out(0, <f64>load<u32>(J(j) + J_DROPPED));
  return <i32>n;
}

// ---- scheduler -------------------------------------------------------------------------------

export function jobsTick(): i32 {
  if (!ready) return S.STATUS_INSUFFICIENT_RESOURCES;
  return tick();
}
