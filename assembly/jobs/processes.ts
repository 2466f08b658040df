// Processes as the job module sees them: creation inside (or breaking away
// from) the parent's job chain, AssignProcessToJobObject with the nested-job
// rules, exit and deletion. Each function returns an NTSTATUS (createProcess:
// the new id when > 0).

import * as S from '../rt/ntstatus';
import { J, P, PM, PI, jNextId, pNextId, allocProcessId, freeProcessId } from './tables';
import { enqueue, postChain } from './notify';
import { endProcess, linkProcess, unlinkProcess } from './exit';
import { parentOf, linkChild, refreshSubtree, afterJobTime, maybeFreeJob } from './hierarchy';
import {
  J_FLAGS, J_LIMIT_FLAGS, J_ACTIVE, J_ACTIVE_LIMIT, J_TOTAL_PROCS, J_TOTAL_TERM, J_PROC_REFS,
  J_EFF_PROC_TIME, J_EFF_JOB_TIME, J_PERIOD_USER, J_OWN_USER, J_OWN_RD_OPS, J_OWN_FAULTS, J_COMMIT, J_PEAK_JOB,
  J_PEAK_PROC, JF_OPEN, JF_END_OF_JOB,
  P_JOB, P_STATE, P_THREADS, P_USER, PM_COMMIT, PI_FAULTS, PI_RD_OPS, PS_FREE, PS_ACTIVE, PMEM_SIZE, PIO_SIZE,
  R_LIMIT, R_PROCESS_TIME, PROC_SIZE,
} from './layout';
import {
  JOB_OBJECT_LIMIT_ACTIVE_PROCESS, JOB_OBJECT_LIMIT_BREAKAWAY_OK, JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK,
  JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT, JOB_OBJECT_MSG_NEW_PROCESS, CREATE_BREAKAWAY_FROM_JOB, ERROR_NOT_ENOUGH_QUOTA,
} from './constants';
import { MAX_THREADS } from './limits';

/** Whether j names a job whose handle is not closed. */
export function isOpenJob(j: u32): bool {
  return j > 0 && j < <u32>jNextId && (load<u32>(J(j) + J_FLAGS) & JF_OPEN) != 0;
}

/** STATUS_SUCCESS if p is an active process, else the status to return. */
export function checkActive(p: u32): i32 {
  if (p == 0 || p >= <u32>pNextId) return S.STATUS_INVALID_CID;
  const state = load<u16>(P(p) + P_STATE);
  if (state == PS_FREE) return S.STATUS_INVALID_CID;
  if (state != PS_ACTIVE) return S.STATUS_PROCESS_IS_TERMINATING;
  return S.STATUS_SUCCESS;
}

/** Whether job k lets a child process break away: SILENT_BREAKAWAY_OK, or BREAKAWAY_OK when asked to. */
@inline function permitsBreakaway(k: u32, asked: bool): bool {
  const lf = load<i32>(J(k) + J_LIMIT_FLAGS);
  return (lf & JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK) != 0 || (asked && (lf & JOB_OBJECT_LIMIT_BREAKAWAY_OK) != 0);
}

/** Whether job k is at its active process limit. */
@inline function atActiveLimit(k: u32): bool {
  const r = J(k);
  return (load<i32>(r + J_LIMIT_FLAGS) & JOB_OBJECT_LIMIT_ACTIVE_PROCESS) != 0 &&
    <f64>(load<i32>(r + J_ACTIVE) + 1) > load<f64>(r + J_ACTIVE_LIMIT);
}

/**
 * An association with the jobs from `from` up to (not including) `stop` or the top
 * failed on job k's active process limit: the attempt counts in their
 * TotalProcesses and TotalTerminatedProcesses ("when a process is associated
 * with a job, but the association fails because of a limit violation, this
 * value is incremented"), and k posts ACTIVE_PROCESS_LIMIT.
 */
function activeLimitHit(from: u32, stop: u32, k: u32): void {
  for (let m = from; m != stop && m != 0; m = parentOf(m)) {
    const r = J(m);
    store<i32>(r + J_TOTAL_PROCS, load<i32>(r + J_TOTAL_PROCS) + 1);
    store<i32>(r + J_TOTAL_TERM, load<i32>(r + J_TOTAL_TERM) + 1);
  }
  postChain(k, JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT, 0);
}

export function createProcess(parent: u32, flags: i32): i32 {
  if (parent != 0) {
    const st = checkActive(parent);
    if (st != S.STATUS_SUCCESS) return st;
  }
  if ((flags & ~CREATE_BREAKAWAY_FROM_JOB) != 0) return S.STATUS_INVALID_PARAMETER;
  let x: u32 = 0;
  if (parent != 0) {
    const j = load<u32>(P(parent) + P_JOB);
    if (j != 0) {
      const asked = (flags & CREATE_BREAKAWAY_FROM_JOB) != 0;
      // CREATE_BREAKAWAY_FROM_JOB: "the job must set the JOB_OBJECT_LIMIT_BREAKAWAY_OK limit".
      if (asked && (load<i32>(J(j) + J_LIMIT_FLAGS) & (JOB_OBJECT_LIMIT_BREAKAWAY_OK | JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK)) == 0) {
        return S.STATUS_ACCESS_DENIED;
      }
      // "If the immediate job object allows breakaway, the child process breaks away from the
      // immediate job object and from each job in the parent job chain, moving up the hierarchy
      // until it reaches a job that does not permit breakaway" (Nested Jobs).
      if (permitsBreakaway(j, asked)) {
        x = parentOf(j);
        while (x != 0 && permitsBreakaway(x, asked)) x = parentOf(x);
      } else {
        x = j;
      }
    }
  }
  // TERMINATE_AT_END_OF_JOB: "No additional processes can be assigned to the job until the limit is reset."
  for (let k = x; k != 0; k = parentOf(k)) {
    if ((load<u32>(J(k) + J_FLAGS) & JF_END_OF_JOB) != 0) return S.STATUS_QUOTA_EXCEEDED;
  }
  for (let k = x; k != 0; k = parentOf(k)) {
    if (atActiveLimit(k)) {
      activeLimitHit(x, 0, k);
      return S.STATUS_QUOTA_EXCEEDED;
    }
  }
  const p = allocProcessId();
  if (p == 0) return S.STATUS_INSUFFICIENT_RESOURCES;
  const r = P(p);
  memory.fill(r, 0, PROC_SIZE);
  memory.fill(PM(p), 0, PMEM_SIZE);
  memory.fill(PI(p), 0, PIO_SIZE);
  store<u16>(r + P_STATE, PS_ACTIVE);
  store<u32>(r + P_JOB, x);
  linkProcess(p, x);
  if (x != 0) {
    store<i32>(J(x) + J_PROC_REFS, load<i32>(J(x) + J_PROC_REFS) + 1);
    for (let k = x; k != 0; k = parentOf(k)) {
      const kr = J(k);
      store<i32>(kr + J_TOTAL_PROCS, load<i32>(kr + J_TOTAL_PROCS) + 1);
      store<i32>(kr + J_ACTIVE, load<i32>(kr + J_ACTIVE) + 1);
      enqueue(k, JOB_OBJECT_MSG_NEW_PROCESS, p, x);
    }
    if (load<f64>(J(x) + J_EFF_PROC_TIME) <= 0) endProcess(p, ERROR_NOT_ENOUGH_QUOTA, R_LIMIT | R_PROCESS_TIME);
  }
  return <i32>p;
}

/**
 * Moves a process's counters (user, kernel, faults, the I/O pairs) from the
 * own counters of job record `from` (0: none) to those of `to`.
 */
function moveOwn(p: u32, from: usize, to: usize): void {
  for (let i: i32 = 0; i < 4; i++) {
    // (user, kernel) from the hot record, then the three (operations, bytes) pairs from the cold one.
    const pf = i == 0 ? P(p) + P_USER : PI(p) + PI_RD_OPS + (<usize>(i - 1) << 4);
    const jf = i == 0 ? J_OWN_USER : J_OWN_RD_OPS + (<usize>(i - 1) << 4);
    const v = v128.load(pf);
    if (from != 0) v128.store(from + jf, f64x2.sub(v128.load(from + jf), v));
    v128.store(to + jf, f64x2.add(v128.load(to + jf), v));
  }
  const faults = load<f64>(PI(p) + PI_FAULTS);
  if (from != 0) store<f64>(from + J_OWN_FAULTS, load<f64>(from + J_OWN_FAULTS) - faults);
  store<f64>(to + J_OWN_FAULTS, load<f64>(to + J_OWN_FAULTS) + faults);
}

/**
 * AssignProcessToJobObject. "If the process is already associated with a
 * job, the job specified by hJob must be empty or it must be in the hierarchy
 * of nested jobs to which the process already belongs": job below the
 * process's immediate job x, or a parentless job that never had a process
 * (it becomes x's child). Anything else — a sibling branch, an ancestor (a
 * cycle) — is STATUS_ACCESS_DENIED.
 */
export function assignProcess(job: u32, p: u32): i32 {
  if (!isOpenJob(job)) return S.STATUS_INVALID_HANDLE;
  const st = checkActive(p);
  if (st != S.STATUS_SUCCESS) return st;
  const x = load<u32>(P(p) + P_JOB);
  if (job == x) return S.STATUS_SUCCESS;
  let nest = false;
  if (x != 0) {
    if (parentOf(job) != 0) {
      let k = parentOf(job);
      while (k != 0 && k != x) k = parentOf(k);
      if (k != x) return S.STATUS_ACCESS_DENIED;
    } else {
      if (load<i32>(J(job) + J_TOTAL_PROCS) != 0) return S.STATUS_ACCESS_DENIED;
      for (let k = x; k != 0; k = parentOf(k)) if (k == job) return S.STATUS_ACCESS_DENIED;
      nest = true;
    }
  }
  // The jobs the process joins: job up to (not including) x; a job still to be nested is alone.
  for (let k = job; k != x && k != 0; k = parentOf(k)) {
    if ((load<u32>(J(k) + J_FLAGS) & JF_END_OF_JOB) != 0) {
      // "If the job has a user-mode time limit, and the time limit has been exhausted,
      // AssignProcessToJobObject fails and the specified process is terminated."
      endProcess(p, ERROR_NOT_ENOUGH_QUOTA, R_LIMIT);
      return S.STATUS_QUOTA_EXCEEDED;
    }
  }
  for (let k = job; k != x && k != 0; k = parentOf(k)) {
    if (atActiveLimit(k)) {
      activeLimitHit(job, x, k);
      // ActiveProcessLimit: "the process is terminated and the association fails."
      endProcess(p, ERROR_NOT_ENOUGH_QUOTA, R_LIMIT);
      return S.STATUS_QUOTA_EXCEEDED;
    }
  }
  if (nest) {
    linkChild(x, job);
    refreshSubtree(job);
  }
  // "Memory operations performed by the process before it was associated with the job are not
  // examined by AssignProcessToJobObject": its commit joins the jobs' totals even past a limit.
  const pr = P(p);
  const commit = load<f64>(PM(p) + PM_COMMIT);
  unlinkProcess(p, x);
  if (x != 0) store<i32>(J(x) + J_PROC_REFS, load<i32>(J(x) + J_PROC_REFS) - 1);
  linkProcess(p, job);
  store<i32>(J(job) + J_PROC_REFS, load<i32>(J(job) + J_PROC_REFS) + 1);
  store<u32>(pr + P_JOB, job);
  // Accounting covers the process's whole life (TotalUserTime: "for all active processes associated
  // with the job"): its usage so far moves from x's own counters to job's, so every job it joins
  // counts it and the jobs above stay as they were.
  moveOwn(p, x != 0 ? J(x) : 0, J(job));
  for (let k = job; k != x && k != 0; k = parentOf(k)) {
    const kr = J(k);
    store<i32>(kr + J_TOTAL_PROCS, load<i32>(kr + J_TOTAL_PROCS) + 1);
    store<i32>(kr + J_ACTIVE, load<i32>(kr + J_ACTIVE) + 1);
    if (load<f64>(kr + J_EFF_JOB_TIME) != Infinity) store<f64>(kr + J_PERIOD_USER, load<f64>(kr + J_PERIOD_USER) + load<f64>(pr + P_USER));
    const c = load<f64>(kr + J_COMMIT) + commit;
    store<f64>(kr + J_COMMIT, c);
    if (c > load<f64>(kr + J_PEAK_JOB)) store<f64>(kr + J_PEAK_JOB, c);
    if (commit > load<f64>(kr + J_PEAK_PROC)) store<f64>(kr + J_PEAK_PROC, commit);
    enqueue(k, JOB_OBJECT_MSG_NEW_PROCESS, p, job);
  }
  // "If the time limit would be exceeded by associating the process, AssignProcessToJobObject
  // still succeeds. However, the time limit violation will be reported."
  if (load<f64>(pr + P_USER) >= load<f64>(J(job) + J_EFF_PROC_TIME)) endProcess(p, ERROR_NOT_ENOUGH_QUOTA, R_LIMIT | R_PROCESS_TIME);
  else afterJobTime(job);
  return S.STATUS_SUCCESS;
}

export function exitProcess(p: u32, code: i32): i32 {
  const st = checkActive(p);
  if (st != S.STATUS_SUCCESS) return st;
  endProcess(p, code, 0);
  return S.STATUS_SUCCESS;
}

/** Forgets an exited process; its immediate job may then be freed. */
export function deleteProcess(p: u32): i32 {
  if (p == 0 || p >= <u32>pNextId) return S.STATUS_INVALID_CID;
  const r = P(p);
  const state = load<u16>(r + P_STATE);
  if (state == PS_FREE) return S.STATUS_INVALID_CID;
  if (state == PS_ACTIVE) return S.STATUS_INVALID_PARAMETER;
  const j = load<u32>(r + P_JOB);
  store<u32>(r + P_JOB, 0);
  freeProcessId(p);
  if (j != 0) {
    store<i32>(J(j) + J_PROC_REFS, load<i32>(J(j) + J_PROC_REFS) - 1);
    maybeFreeJob(j);
  }
  return S.STATUS_SUCCESS;
}

export function setRunnable(p: u32, threads: i32): i32 {
  const st = checkActive(p);
  if (st != S.STATUS_SUCCESS) return st;
  if (threads < 0 || threads > MAX_THREADS) return S.STATUS_INVALID_PARAMETER;
  store<u16>(P(p) + P_THREADS, <u16>threads);
  return S.STATUS_SUCCESS;
}
