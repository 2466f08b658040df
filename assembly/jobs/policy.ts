// SetInformationJobObject for the information classes the module models:
// JobObjectExtendedLimitInformation, JobObjectCpuRateControlInformation and
// JobObjectEndOfJobTimeInformation. Validation follows the structures' pages
// on Microsoft Learn; where they are silent, assembly/jobs/README.md records
// the choice.

import * as S from '../rt/ntstatus';
import { J, systemMask } from './tables';
import { isOpenJob } from './processes';
import { refreshSubtree, endOfJobTime, untime, subtreeSum } from './hierarchy';
import {
  J_FLAGS, J_LIMIT_FLAGS, J_PROC_TIME_LIMIT, J_JOB_TIME_LIMIT, J_EFF_JOB_TIME, J_PERIOD_USER, J_BASE_KERNEL, J_OWN_KERNEL, J_MIN_WS, J_MAX_WS,
  J_ACTIVE_LIMIT, J_AFFINITY, J_PRIORITY, J_SCHED, J_PROC_MEM_LIMIT, J_JOB_MEM_LIMIT, J_EFF_JOB_MEM, J_CPU_FLAGS,
  J_CPU_VALUE, J_EOJ_ACTION, JF_END_OF_JOB, JF_OVER_RATE,
} from './layout';
import {
  JOB_OBJECT_LIMIT_VALID_FLAGS, JOB_OBJECT_LIMIT_JOB_TIME, JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME, JOB_OBJECT_LIMIT_SUBSET_AFFINITY,
  JOB_OBJECT_LIMIT_AFFINITY, JOB_OBJECT_LIMIT_WORKINGSET, JOB_OBJECT_LIMIT_PROCESS_TIME, JOB_OBJECT_LIMIT_PRIORITY_CLASS,
  JOB_OBJECT_LIMIT_SCHEDULING_CLASS, JOB_OBJECT_LIMIT_PROCESS_MEMORY, JOB_OBJECT_LIMIT_JOB_MEMORY,
  JOB_OBJECT_LIMIT_ACTIVE_PROCESS, JOB_OBJECT_CPU_RATE_CONTROL_VALID_FLAGS, JOB_OBJECT_CPU_RATE_CONTROL_ENABLE,
  JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED, JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP, JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE,
  JOB_OBJECT_POST_AT_END_OF_JOB, priorityRank,
} from './constants';
import { RATE_SCALE, MAX_WEIGHT } from './limits';
import { isQty } from './charge';

/**
 * JobObjectExtendedLimitInformation. Members whose flag is clear are stored
 * (and read back) as 0. Setting JOB_TIME resets ThisPeriodTotal*Time ("set to
 * 0 … each time a per-job user-mode time limit is established");
 * PRESERVE_JOB_TIME keeps the time limit in force. Any set resets a reached
 * end-of-job time ("remains signaled until this limit is reset").
 */
export function setLimits(
  j: u32, lf: i32, active: i32, priority: i32, sched: i32,
  procTime: f64, jobTime: f64, minWs: f64, maxWs: f64, affinity: f64, procMem: f64, jobMem: f64,
): i32 {
  if (!isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
  if ((lf & ~JOB_OBJECT_LIMIT_VALID_FLAGS) != 0) return S.STATUS_INVALID_PARAMETER;
  // JOB_TIME "cannot be used with JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME".
  if ((lf & JOB_OBJECT_LIMIT_JOB_TIME) != 0 && (lf & JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME) != 0) return S.STATUS_INVALID_PARAMETER;
  // SUBSET_AFFINITY: "This value must be combined with JOB_OBJECT_LIMIT_AFFINITY."
  if ((lf & JOB_OBJECT_LIMIT_SUBSET_AFFINITY) != 0 && (lf & JOB_OBJECT_LIMIT_AFFINITY) == 0) return S.STATUS_INVALID_PARAMETER;
  // "If MaximumWorkingSetSize is nonzero, MinimumWorkingSetSize cannot be zero" (and the reverse).
  if ((lf & JOB_OBJECT_LIMIT_WORKINGSET) != 0 && !(isQty(minWs) && isQty(maxWs) && minWs > 0 && maxWs > 0 && minWs <= maxWs)) {
    return S.STATUS_INVALID_PARAMETER;
  }
  if ((lf & JOB_OBJECT_LIMIT_PROCESS_TIME) != 0 && !isQty(procTime)) return S.STATUS_INVALID_PARAMETER;
  if ((lf & JOB_OBJECT_LIMIT_JOB_TIME) != 0 && !isQty(jobTime)) return S.STATUS_INVALID_PARAMETER;
  // "The affinity must be a subset of the system affinity mask."
  if ((lf & JOB_OBJECT_LIMIT_AFFINITY) != 0 &&
      !(isQty(affinity) && affinity != 0 && affinity <= <f64>0xffffffff && (<u32>affinity & ~systemMask()) == 0)) {
    return S.STATUS_INVALID_PARAMETER;
  }
  if ((lf & JOB_OBJECT_LIMIT_PRIORITY_CLASS) != 0 && priorityRank(priority) < 0) return S.STATUS_INVALID_PARAMETER;
  // SchedulingClass: "The valid values are 0 to 9."
  if ((lf & JOB_OBJECT_LIMIT_SCHEDULING_CLASS) != 0 && <u32>sched > 9) return S.STATUS_INVALID_PARAMETER;
  if ((lf & JOB_OBJECT_LIMIT_PROCESS_MEMORY) != 0 && !isQty(procMem)) return S.STATUS_INVALID_PARAMETER;
  if ((lf & JOB_OBJECT_LIMIT_JOB_MEMORY) != 0 && !isQty(jobMem)) return S.STATUS_INVALID_PARAMETER;

  const r = J(j);
  const keepJobTime = (lf & JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME) != 0 && (load<i32>(r + J_LIMIT_FLAGS) & JOB_OBJECT_LIMIT_JOB_TIME) != 0;
  let flags = lf & ~JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME;
  if (keepJobTime) flags |= JOB_OBJECT_LIMIT_JOB_TIME;
  store<i32>(r + J_LIMIT_FLAGS, flags);
  store<f64>(r + J_PROC_TIME_LIMIT, (lf & JOB_OBJECT_LIMIT_PROCESS_TIME) != 0 ? procTime : 0);
  if ((lf & JOB_OBJECT_LIMIT_JOB_TIME) != 0) {
    // A new period: user time kept on the job from now on, kernel time counted from its total.
    store<f64>(r + J_JOB_TIME_LIMIT, jobTime);
    store<f64>(r + J_EFF_JOB_TIME, jobTime);
    store<f64>(r + J_PERIOD_USER, 0);
    store<f64>(r + J_BASE_KERNEL, subtreeSum(j, J_OWN_KERNEL));
  } else if (!keepJobTime) {
    store<f64>(r + J_JOB_TIME_LIMIT, 0);
    untime(j);
  }
  const ws = (lf & JOB_OBJECT_LIMIT_WORKINGSET) != 0;
  store<f64>(r + J_MIN_WS, ws ? minWs : 0);
  store<f64>(r + J_MAX_WS, ws ? maxWs : 0);
  store<f64>(r + J_ACTIVE_LIMIT, (lf & JOB_OBJECT_LIMIT_ACTIVE_PROCESS) != 0 ? <f64><u32>active : 0);
  store<f64>(r + J_AFFINITY, (lf & JOB_OBJECT_LIMIT_AFFINITY) != 0 ? affinity : 0);
  store<i32>(r + J_PRIORITY, (lf & JOB_OBJECT_LIMIT_PRIORITY_CLASS) != 0 ? priority : 0);
  store<i32>(r + J_SCHED, (lf & JOB_OBJECT_LIMIT_SCHEDULING_CLASS) != 0 ? sched : 0);
  store<f64>(r + J_PROC_MEM_LIMIT, (lf & JOB_OBJECT_LIMIT_PROCESS_MEMORY) != 0 ? procMem : 0);
  const jm = (lf & JOB_OBJECT_LIMIT_JOB_MEMORY) != 0;
  store<f64>(r + J_JOB_MEM_LIMIT, jm ? jobMem : 0);
  store<f64>(r + J_EFF_JOB_MEM, jm ? jobMem : Infinity);
  store<u32>(r + J_FLAGS, load<u32>(r + J_FLAGS) & ~JF_END_OF_JOB);
  refreshSubtree(j);
  const lim = load<f64>(J(j) + J_EFF_JOB_TIME);
  if (lim != Infinity && load<f64>(J(j) + J_PERIOD_USER) >= lim) endOfJobTime(j);
  return S.STATUS_SUCCESS;
}

/**
 * JobObjectCpuRateControlInformation. ENABLE "must be set if you also set"
 * any other flag; WEIGHT_BASED excludes MIN_MAX_RATE (and HARD_CAP, which
 * has no rate to cap); HARD_CAP excludes MIN_MAX_RATE; "If CpuRate is 0,
 * SetInformationJobObject returns INVALID_ARGS"; Weight is 1 … 9. The union
 * is stored as one DWORD: CpuRate, Weight, or MinRate | MaxRate << 16.
 */
export function setCpuRate(j: u32, cf: i32, rate: i32, weight: i32, minRate: i32, maxRate: i32): i32 {
  if (!isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
  if ((cf & ~JOB_OBJECT_CPU_RATE_CONTROL_VALID_FLAGS) != 0) return S.STATUS_INVALID_PARAMETER;
  if (cf != 0 && (cf & JOB_OBJECT_CPU_RATE_CONTROL_ENABLE) == 0) return S.STATUS_INVALID_PARAMETER;
  if ((cf & JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED) != 0 &&
      (cf & (JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP | JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE)) != 0) return S.STATUS_INVALID_PARAMETER;
  if ((cf & JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP) != 0 && (cf & JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE) != 0) return S.STATUS_INVALID_PARAMETER;
  let value: u32 = 0;
  if (cf == 0) {
    value = 0;
  } else if ((cf & JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED) != 0) {
    const w = <u32>weight;
    if (w < 1 || w > <u32>MAX_WEIGHT) return S.STATUS_INVALID_PARAMETER;
    value = w;
  } else if ((cf & JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE) != 0) {
    const mn = <u32>minRate;
    const mx = <u32>maxRate;
    if (mx < 1 || mx > <u32>RATE_SCALE || mn > mx) return S.STATUS_INVALID_PARAMETER;
    value = mn + (mx << 16);
  } else {
    const cr = <u32>rate;
    if (cr < 1 || cr > <u32>RATE_SCALE) return S.STATUS_INVALID_PARAMETER;
    value = cr;
  }
  const r = J(j);
  store<i32>(r + J_CPU_FLAGS, cf);
  store<u32>(r + J_CPU_VALUE, value);
  store<u32>(r + J_FLAGS, load<u32>(r + J_FLAGS) & ~JF_OVER_RATE);
  return S.STATUS_SUCCESS;
}

/** JobObjectEndOfJobTimeInformation: TERMINATE_AT_END_OF_JOB (0) or POST_AT_END_OF_JOB (1). */
export function setEndOfJobTimeAction(j: u32, action: i32): i32 {
  if (!isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
  if (<u32>action > <u32>JOB_OBJECT_POST_AT_END_OF_JOB) return S.STATUS_INVALID_PARAMETER;
  store<i32>(J(j) + J_EOJ_ACTION, action);
  return S.STATUS_SUCCESS;
}
