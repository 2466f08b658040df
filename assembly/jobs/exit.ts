// The list of active processes each job heads, and the end of a process.

import { J, P, PM } from './tables';
import { enqueue, postChain } from './notify';
import {
  J_PARENT, J_FLAGS, J_ACTIVE, J_COMMIT, J_TOTAL_TERM, J_PROC_HEAD, J_PROC_TAIL, JF_TERMINATING,
  P_JOB, P_STATE, P_NEXT, P_PREV, P_THREADS, PM_EXIT, PM_COMMIT, PS_EXITED, R_LIMIT, R_PROCESS_TIME,
} from './layout';
import {
  JOB_OBJECT_MSG_END_OF_PROCESS_TIME, JOB_OBJECT_MSG_EXIT_PROCESS, JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS,
  JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO, isAbnormalExit,
} from './constants';

export function unlinkProcess(p: u32, j: u32): void {
  const r = P(p);
  const prev = load<u32>(r + P_PREV);
  const next = load<u32>(r + P_NEXT);
  if (prev != 0) store<u32>(P(prev) + P_NEXT, next);
  else store<u32>(J(j) + J_PROC_HEAD, next);
  if (next != 0) store<u32>(P(next) + P_PREV, prev);
  else store<u32>(J(j) + J_PROC_TAIL, prev);
}

/**
 * Inserts p into job j's list (j = 0: the processes in no job). A list is
 * kept in ascending id order, so walking it visits the process table in
 * table order — which lets the scheduler serve a job's processes in one pass
 * over the table (scheduler.ts) and makes "list order" and "id order" the
 * same rule. New processes take the highest ids, so the walk from the tail
 * usually stops at once.
 */
export function linkProcess(p: u32, j: u32): void {
  const jr = J(j);
  let after = load<u32>(jr + J_PROC_TAIL);
  while (after > p) after = load<u32>(P(after) + P_PREV);
  const before = after != 0 ? load<u32>(P(after) + P_NEXT) : load<u32>(jr + J_PROC_HEAD);
  const r = P(p);
  store<u32>(r + P_PREV, after);
  store<u32>(r + P_NEXT, before);
  if (after != 0) store<u32>(P(after) + P_NEXT, p);
  else store<u32>(jr + J_PROC_HEAD, p);
  if (before != 0) store<u32>(P(before) + P_PREV, p);
  else store<u32>(jr + J_PROC_TAIL, p);
}

/**
 * The process ends with `code`: its commit is released on every job of its
 * chain, each posts EXIT_PROCESS (ABNORMAL_EXIT_PROCESS for the exception
 * codes JOBOBJECT_ASSOCIATE_COMPLETION_PORT lists) unless it is being
 * terminated itself, and ACTIVE_PROCESS_ZERO when its count drops to 0.
 * END_OF_PROCESS_TIME goes first when the per-process time limit ended it
 * ("sends this message after the process termination has been requested").
 */
export function endProcess(p: u32, code: i32, reason: i32): void {
  const r = P(p);
  const j0 = load<u32>(r + P_JOB);
  store<u16>(r + P_STATE, PS_EXITED);
  store<u16>(r + P_THREADS, 0);
  const m = PM(p);
  store<i32>(m + PM_EXIT, code);
  unlinkProcess(p, j0);
  const commit = load<f64>(m + PM_COMMIT);
  store<f64>(m + PM_COMMIT, 0);
  if (j0 == 0) return;
  if ((reason & R_PROCESS_TIME) != 0) postChain(j0, JOB_OBJECT_MSG_END_OF_PROCESS_TIME, p);
  const msg = isAbnormalExit(code) ? JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS : JOB_OBJECT_MSG_EXIT_PROCESS;
  for (let j = j0; j != 0; j = load<u32>(J(j) + J_PARENT)) {
    const jr = J(j);
    const active = load<i32>(jr + J_ACTIVE) - 1;
    store<i32>(jr + J_ACTIVE, active);
    store<f64>(jr + J_COMMIT, load<f64>(jr + J_COMMIT) - commit);
    if ((reason & R_LIMIT) != 0) store<i32>(jr + J_TOTAL_TERM, load<i32>(jr + J_TOTAL_TERM) + 1);
    if ((load<u32>(jr + J_FLAGS) & JF_TERMINATING) == 0) enqueue(j, msg, p, j0);
    if (active == 0) enqueue(j, JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO, 0, j);
  }
}
