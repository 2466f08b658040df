// The job hierarchy: parent/child links, the preorder of live jobs, effective
// limits resolved down the chain, termination of a subtree, and freeing.
//
// "Nested Jobs" (Microsoft Learn): a child job holds a subset of its parent's
// processes; for priority class, affinity, commit charge, per-process
// execution time, scheduling class and working set "the effective limit for
// child job can be more restrictive than the limit of its parent, but it
// cannot be less restrictive"; "when a job in a job hierarchy is terminated,
// the system terminates processes in that job and all of its child jobs,
// starting with the child job at the bottom of the hierarchy."
//
// Preorder (ORDER in tables.ts): top-level jobs by ascending id, each
// followed by its subtree, children in the order they were linked. A job's
// subtree is ORDER[pos .. pos + subtree). Rebuilt lazily after any change.

import { J, P, ORDER, jNextId, freeJobId } from './tables';
import { postChain, queueFree } from './notify';
import { endProcess } from './exit';
import {
  J_PARENT, J_FLAGS, J_FIRST_CHILD, J_LAST_CHILD, J_NEXT, J_PREV, J_CHILD_COUNT, J_PROC_REFS, J_POS, J_SUBTREE,
  J_LIMIT_FLAGS, J_EFF_FLAGS, J_EFF_PROC_MEM, J_EFF_PROC_TIME, J_EFF_AFFINITY, J_EFF_PRIORITY, J_EFF_SCHED,
  J_EFF_MIN_WS, J_EFF_MAX_WS, J_PROC_MEM_LIMIT, J_PROC_TIME_LIMIT, J_AFFINITY, J_PRIORITY, J_SCHED, J_MIN_WS,
  J_MAX_WS, J_PROC_HEAD, J_JOB_TIME_LIMIT, J_EFF_JOB_TIME, J_PERIOD_USER, J_EOJ_ACTION, J_CHAIN, CHAIN_SLOTS,
  J_TIMED_ANC, J_OWN_USER, J_BASE_USER, OWN_COUNTERS, ownField,
  JF_LIVE, JF_OPEN, JF_TERMINATING, JF_END_OF_JOB,
  P_NEXT, P_USER, R_LIMIT, R_PROCESS_TIME,
} from './layout';
import {
  JOB_OBJECT_LIMIT_WORKINGSET, JOB_OBJECT_LIMIT_PROCESS_TIME, JOB_OBJECT_LIMIT_AFFINITY, JOB_OBJECT_LIMIT_PRIORITY_CLASS,
  JOB_OBJECT_LIMIT_SCHEDULING_CLASS, JOB_OBJECT_LIMIT_PROCESS_MEMORY, JOB_OBJECT_LIMIT_JOB_TIME,
  JOB_OBJECT_POST_AT_END_OF_JOB, JOB_OBJECT_MSG_END_OF_JOB_TIME, ERROR_NOT_ENOUGH_QUOTA, priorityRank,
} from './constants';

/** The limit flags whose effective value is resolved along the chain. */
const EFFECTIVE_MASK: i32 = JOB_OBJECT_LIMIT_WORKINGSET | JOB_OBJECT_LIMIT_PROCESS_TIME | JOB_OBJECT_LIMIT_AFFINITY |
  JOB_OBJECT_LIMIT_PRIORITY_CLASS | JOB_OBJECT_LIMIT_SCHEDULING_CLASS | JOB_OBJECT_LIMIT_PROCESS_MEMORY;

export let orderLen: i32 = 0;
let orderDirty = true;

export function markOrderDirty(): void {
  orderDirty = true;
}

@inline export function parentOf(j: u32): u32 {
  return load<u32>(J(j) + J_PARENT);
}

/** Rebuilds the preorder, subtree sizes and positions if the hierarchy changed. */
export function ensureOrder(): void {
  if (!orderDirty) return;
  let n: i32 = 0;
  for (let r: u32 = 1; r < <u32>jNextId; r++) {
    const rr = J(r);
    if ((load<u32>(rr + J_FLAGS) & JF_LIVE) == 0 || load<u32>(rr + J_PARENT) != 0) continue;
    let k = r;
    for (;;) {
      const kr = J(k);
      store<u32>(ORDER + (<usize>n << 2), k);
      store<i32>(kr + J_POS, n);
      store<i32>(kr + J_SUBTREE, 1);
      n++;
      const first = load<u32>(kr + J_FIRST_CHILD);
      if (first != 0) {
        k = first;
        continue;
      }
      while (k != r && load<u32>(J(k) + J_NEXT) == 0) k = parentOf(k);
      if (k == r) break;
      k = load<u32>(J(k) + J_NEXT);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const k = load<u32>(ORDER + (<usize>i << 2));
    const p = parentOf(k);
    if (p != 0) store<i32>(J(p) + J_SUBTREE, load<i32>(J(p) + J_SUBTREE) + load<i32>(J(k) + J_SUBTREE));
  }
  orderLen = n;
  orderDirty = false;
}

@inline export function orderAt(i: i32): u32 {
  return load<u32>(ORDER + (<usize>i << 2));
}

export function linkChild(parent: u32, j: u32): void {
  const pr = J(parent);
  const jr = J(j);
  const last = load<u32>(pr + J_LAST_CHILD);
  store<u32>(jr + J_PARENT, parent);
  store<u32>(jr + J_NEXT, 0);
  store<u32>(jr + J_PREV, last);
  if (last != 0) store<u32>(J(last) + J_NEXT, j);
  else store<u32>(pr + J_FIRST_CHILD, j);
  store<u32>(pr + J_LAST_CHILD, j);
  store<i32>(pr + J_CHILD_COUNT, load<i32>(pr + J_CHILD_COUNT) + 1);
  orderDirty = true;
}

/**
 * Resolves the effective limits of one job, and its chain prefix, from its
 * parent's ("Nested Jobs": Job Limits and Notifications). Callers go down the
 * hierarchy, parents first.
 */
export function computeEffective(k: u32): void {
  const kr = J(k);
  const par = load<u32>(kr + J_PARENT);
  let pf: i32 = 0;
  let pm: f64 = Infinity;
  let pt: f64 = Infinity;
  let pa: u32 = 0;
  let pp: i32 = 0;
  let ps: i32 = 0;
  let pmin: f64 = 0;
  let pmax: f64 = 0;
  if (par != 0) {
    const pr = J(par);
    pf = load<i32>(pr + J_EFF_FLAGS);
    pm = load<f64>(pr + J_EFF_PROC_MEM);
    pt = load<f64>(pr + J_EFF_PROC_TIME);
    pa = load<u32>(pr + J_EFF_AFFINITY);
    pp = load<i32>(pr + J_EFF_PRIORITY);
    ps = load<i32>(pr + J_EFF_SCHED);
    pmin = load<f64>(pr + J_EFF_MIN_WS);
    pmax = load<f64>(pr + J_EFF_MAX_WS);
  }
  // The chain prefix: the job, then its parent's prefix shifted by one.
  const chain = kr + J_CHAIN;
  store<u32>(chain, k);
  for (let i: i32 = 1; i < CHAIN_SLOTS; i++) {
    store<u32>(chain + (<usize>i << 2), par != 0 ? load<u32>(J(par) + J_CHAIN + (<usize>(i - 1) << 2)) : 0);
  }
  store<u32>(kr + J_TIMED_ANC, load<f64>(kr + J_EFF_JOB_TIME) != Infinity ? k : (par != 0 ? load<u32>(J(par) + J_TIMED_ANC) : 0));
  const lf = load<i32>(kr + J_LIMIT_FLAGS);
  store<i32>(kr + J_EFF_FLAGS, pf | (lf & EFFECTIVE_MASK));
  store<f64>(kr + J_EFF_PROC_MEM, (lf & JOB_OBJECT_LIMIT_PROCESS_MEMORY) != 0 ? min<f64>(pm, load<f64>(kr + J_PROC_MEM_LIMIT)) : pm);
  store<f64>(kr + J_EFF_PROC_TIME, (lf & JOB_OBJECT_LIMIT_PROCESS_TIME) != 0 ? min<f64>(pt, load<f64>(kr + J_PROC_TIME_LIMIT)) : pt);
  if ((lf & JOB_OBJECT_LIMIT_AFFINITY) != 0) {
    const own = <u32>load<f64>(kr + J_AFFINITY);
    // "If the job is nested, the specified processor affinity must be a subset of the effective
    // affinity of the parent job. If the specified affinity a superset …, it is ignored and the
    // affinity of the parent job is used" (JOBOBJECT_BASIC_LIMIT_INFORMATION).
    store<u32>(kr + J_EFF_AFFINITY, (pf & JOB_OBJECT_LIMIT_AFFINITY) == 0 || (own & ~pa) == 0 ? own : pa);
  } else {
    store<u32>(kr + J_EFF_AFFINITY, pa);
  }
  if ((lf & JOB_OBJECT_LIMIT_PRIORITY_CLASS) != 0) {
    // "the effective priority class is the lowest priority class in the job chain."
    const own = load<i32>(kr + J_PRIORITY);
    store<i32>(kr + J_EFF_PRIORITY, (pf & JOB_OBJECT_LIMIT_PRIORITY_CLASS) == 0 || priorityRank(own) < priorityRank(pp) ? own : pp);
  } else {
    store<i32>(kr + J_EFF_PRIORITY, pp);
  }
  if ((lf & JOB_OBJECT_LIMIT_SCHEDULING_CLASS) != 0) {
    // "the effective scheduling class is the lowest scheduling class in the job chain."
    const own = load<i32>(kr + J_SCHED);
    store<i32>(kr + J_EFF_SCHED, (pf & JOB_OBJECT_LIMIT_SCHEDULING_CLASS) == 0 || own < ps ? own : ps);
  } else {
    store<i32>(kr + J_EFF_SCHED, ps);
  }
  if ((lf & JOB_OBJECT_LIMIT_WORKINGSET) != 0) {
    // "the effective working set size is the smallest working set size in the job chain."
    const mn = load<f64>(kr + J_MIN_WS);
    const mx = load<f64>(kr + J_MAX_WS);
    const inherit = (pf & JOB_OBJECT_LIMIT_WORKINGSET) != 0;
    store<f64>(kr + J_EFF_MIN_WS, inherit ? min<f64>(mn, pmin) : mn);
    store<f64>(kr + J_EFF_MAX_WS, inherit ? min<f64>(mx, pmax) : mx);
  } else {
    store<f64>(kr + J_EFF_MIN_WS, pmin);
    store<f64>(kr + J_EFF_MAX_WS, pmax);
  }
}

/**
 * Recomputes the effective limits over j's subtree, then ends the processes
 * already at the per-process time limit (PROCESS_TIME "establishes a
 * user-mode execution time limit for each currently active process").
 */
export function refreshSubtree(j: u32): void {
  ensureOrder();
  const start = load<i32>(J(j) + J_POS);
  const end = start + load<i32>(J(j) + J_SUBTREE);
  for (let i = start; i < end; i++) computeEffective(orderAt(i));
  for (let i = start; i < end; i++) {
    const kr = J(orderAt(i));
    const time = load<f64>(kr + J_EFF_PROC_TIME);
    let p = load<u32>(kr + J_PROC_HEAD);
    while (p != 0) {
      const pr = P(p);
      const next = load<u32>(pr + P_NEXT);
      if (load<f64>(pr + P_USER) >= time) endProcess(p, ERROR_NOT_ENOUGH_QUOTA, R_LIMIT | R_PROCESS_TIME);
      p = next;
    }
  }
}

/** Ends every active process of j's subtree, the bottom of the hierarchy first (reverse preorder). */
export function terminateTree(j: u32, code: i32, reason: i32): void {
  ensureOrder();
  const start = load<i32>(J(j) + J_POS);
  const end = start + load<i32>(J(j) + J_SUBTREE);
  for (let i = start; i < end; i++) {
    const r = J(orderAt(i));
    store<u32>(r + J_FLAGS, load<u32>(r + J_FLAGS) | JF_TERMINATING);
  }
  for (let i = end - 1; i >= start; i--) {
    let p = load<u32>(J(orderAt(i)) + J_PROC_HEAD);
    while (p != 0) {
      const next = load<u32>(P(p) + P_NEXT);
      endProcess(p, code, reason);
      p = next;
    }
  }
  for (let i = start; i < end; i++) {
    const r = J(orderAt(i));
    store<u32>(r + J_FLAGS, load<u32>(r + J_FLAGS) & ~JF_TERMINATING);
  }
}

/**
 * The end-of-job time limits on j0's chain that ThisPeriodTotalUserTime has
 * reached act, innermost first (JOBOBJECT_END_OF_JOB_TIME_INFORMATION):
 * POST_AT_END_OF_JOB posts END_OF_JOB_TIME and clears the limit;
 * TERMINATE_AT_END_OF_JOB ends all the job's processes with
 * ERROR_NOT_ENOUGH_QUOTA and keeps new ones out until the limit is reset.
 */
export function afterJobTime(j0: u32): void {
  for (let j = j0; j != 0; j = parentOf(j)) {
    const r = J(j);
    const lim = load<f64>(r + J_EFF_JOB_TIME);
    if (lim == Infinity || load<f64>(r + J_PERIOD_USER) < lim) continue;
    endOfJobTime(j);
  }
}

/** Job j's end-of-job time limit is reached: its action. */
export function endOfJobTime(j: u32): void {
  const r = J(j);
  if (load<i32>(r + J_EOJ_ACTION) == JOB_OBJECT_POST_AT_END_OF_JOB) {
    store<i32>(r + J_LIMIT_FLAGS, load<i32>(r + J_LIMIT_FLAGS) & ~JOB_OBJECT_LIMIT_JOB_TIME);
    store<f64>(r + J_JOB_TIME_LIMIT, 0);
    untime(j);
    postChain(j, JOB_OBJECT_MSG_END_OF_JOB_TIME, 0);
  } else if ((load<u32>(r + J_FLAGS) & JF_END_OF_JOB) == 0) {
    store<u32>(r + J_FLAGS, load<u32>(r + J_FLAGS) | JF_END_OF_JOB);
    terminateTree(j, ERROR_NOT_ENOUGH_QUOTA, R_LIMIT);
  }
}

/**
 * Job j's per-job time limit is gone: its period goes on untimed, counted
 * from the totals (layout.ts), and charges stop keeping periodUser.
 */
export function untime(j: u32): void {
  const r = J(j);
  if (load<f64>(r + J_EFF_JOB_TIME) == Infinity) return;
  store<f64>(r + J_BASE_USER, subtreeSum(j, J_OWN_USER) - load<f64>(r + J_PERIOD_USER));
  store<f64>(r + J_EFF_JOB_TIME, Infinity);
}

/** The sum of one own counter over j's subtree: the job's total of it. */
export function subtreeSum(j: u32, field: usize): f64 {
  ensureOrder();
  const start = load<i32>(J(j) + J_POS);
  const end = start + load<i32>(J(j) + J_SUBTREE);
  let sum: f64 = 0;
  for (let i = start; i < end; i++) sum += load<f64>(J(orderAt(i)) + field);
  return sum;
}

/**
 * Frees j once it is closed and has neither processes (active or exited but
 * not deleted) nor child jobs; then its parent may be free too.
 */
export function maybeFreeJob(j: u32): void {
  while (j != 0) {
    const r = J(j);
    if ((load<u32>(r + J_FLAGS) & JF_OPEN) != 0 || load<i32>(r + J_CHILD_COUNT) != 0 || load<i32>(r + J_PROC_REFS) != 0) return;
    const par = load<u32>(r + J_PARENT);
    if (par != 0) {
      const pr = J(par);
      // What its processes used stays in the parent's totals.
      for (let i: i32 = 0; i < OWN_COUNTERS; i++) {
        const at = ownField(i);
        store<f64>(pr + at, load<f64>(pr + at) + load<f64>(r + at));
      }
      const prev = load<u32>(r + J_PREV);
      const next = load<u32>(r + J_NEXT);
      if (prev != 0) store<u32>(J(prev) + J_NEXT, next);
      else store<u32>(pr + J_FIRST_CHILD, next);
      if (next != 0) store<u32>(J(next) + J_PREV, prev);
      else store<u32>(pr + J_LAST_CHILD, prev);
      store<i32>(pr + J_CHILD_COUNT, load<i32>(pr + J_CHILD_COUNT) - 1);
    }
    queueFree(j);
    store<u32>(r + J_FLAGS, 0);
    freeJobId(j);
    orderDirty = true;
    j = par;
  }
}
