// Charging usage to a process and, through it, to every job of its chain,
// with every limit on the chain checked first.
//
// "Accounting information is added to the immediate job and aggregated in
// each parent job in the job chain" (AssignProcessToJobObject remarks): here
// a charge adds to the process and its immediate job's own counters, and a
// job's totals are summed over its subtree when queried (layout.ts), except
// what a limit needs now — commit on every job of the chain, user time on the
// jobs with a per-job time limit. Limits are never overshot by a charge: a
// commit past a limit fails whole (JOB_OBJECT_LIMIT_PROCESS_MEMORY /
// JOB_MEMORY: "When a process attempts to commit memory that would exceed
// the … limit, it fails"), and user time is charged up to the nearest time
// limit, which then acts.

import * as S from '../rt/ntstatus';
import { J, P, PM, PI, pNextId, jobsBase } from './tables';
import { JOB_SHIFT } from './layout';
import { postChain } from './notify';
import { endProcess } from './exit';
import { afterJobTime } from './hierarchy';
import {
  J_PARENT, J_CHAIN, CHAIN_SLOTS, J_TIMED_ANC, J_EFF_JOB_TIME, J_EOJ_ACTION, J_PERIOD_USER, J_OWN_USER, J_OWN_FAULTS,
  J_OWN_RD_OPS, J_OWN_WR_OPS, J_OWN_OT_OPS, J_COMMIT, J_EFF_JOB_MEM, J_PEAK_JOB, J_PEAK_PROC,
  J_EFF_PROC_TIME, J_EFF_PROC_MEM, P_JOB, P_STATE, P_USER, PM_COMMIT, PM_PEAK, PI_FAULTS, PI_RD_OPS, PI_WR_OPS, PI_OT_OPS,
  PS_ACTIVE, PS_EXITED,
  R_LIMIT, R_PROCESS_TIME,
} from './layout';
import {
  CHARGE_CPU_TIME, CHARGE_PAGE_FAULTS, CHARGE_READ_IO, CHARGE_WRITE_IO, CHARGE_OTHER_IO, CHARGE_COMMIT,
  JOB_OBJECT_POST_AT_END_OF_JOB, JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT, JOB_OBJECT_MSG_JOB_MEMORY_LIMIT, ERROR_NOT_ENOUGH_QUOTA,
} from './constants';
import { MAX_QUANTITY } from './limits';

// Where each kind's (a, b) pair goes, by kind (CHARGE_*): in the process's records (the hot one
// for CPU time, the I/O one for the others) and in the own counters of the job record
// (layout.ts). Commit (6) has its own path.
const PROCESS_PAIR: usize = memory.data<u8>([0, <u8>P_USER, <u8>PI_FAULTS, <u8>PI_RD_OPS, <u8>PI_WR_OPS, <u8>PI_OT_OPS, 0, 0]);
const JOB_PAIR: usize = memory.data<u8>([0, <u8>J_OWN_USER, <u8>J_OWN_FAULTS, <u8>J_OWN_RD_OPS, <u8>J_OWN_WR_OPS, <u8>J_OWN_OT_OPS, 0, 0]);

/** An integer 0 … 2^53 − 1 (what crosses the ABI exactly). */
@inline export function isQty(v: f64): bool {
  return v >= 0 && v <= MAX_QUANTITY && v == floor<f64>(v);
}

@inline function isSignedQty(v: f64): bool {
  return v >= -MAX_QUANTITY && v <= MAX_QUANTITY && v == floor<f64>(v);
}

/** Both lanes of v are quantities (isQty), checked side by side. */
@inline function isQtyPair(v: v128): bool {
  const whole = f64x2.eq(f64x2.floor(v), v);
  const inRange = v128.and(f64x2.ge(v, f64x2.splat(0)), f64x2.le(v, f64x2.splat(MAX_QUANTITY)));
  return i64x2.all_true(v128.and(whole, inRange));
}

@inline function add(at: usize, v: f64): void {
  store<f64>(at, load<f64>(at) + v);
}

/** Adds both lanes of v to the pair of f64 counters at `at` (a counter and the one after it). */
@inline function addPair(at: usize, v: v128): void {
  v128.store(at, f64x2.add(v128.load(at), v));
}

/**
 * The job after the k-th of a chain whose prefix is at `chain`: read from the
 * prefix (no load waits for the previous one), past it through `parent`.
 */
@inline function nextInChain(chain: usize, k: i32, j: u32, base: usize): u32 {
  return k < CHAIN_SLOTS ? load<u32>(chain + (<usize>k << 2)) : load<u32>(base + (<usize>j << JOB_SHIFT) + J_PARENT);
}

/** The next job with a per-job time limit above j (see J_TIMED_ANC). */
@inline function nextTimed(j: u32): u32 {
  const par = load<u32>(J(j) + J_PARENT);
  return par != 0 ? load<u32>(J(par) + J_TIMED_ANC) : 0;
}

/**
 * Charges one usage record (kinds: constants.ts CHARGE_*; amounts: see
 * JobCharge in src/core/jobs/constants.ts). Returns STATUS_SUCCESS,
 * STATUS_INVALID_CID / STATUS_PROCESS_IS_TERMINATING (p), STATUS_INVALID_PARAMETER
 * (kind or amounts), STATUS_COMMITMENT_LIMIT (nothing charged) or
 * STATUS_QUOTA_EXCEEDED (user time charged up to a limit that then ended the process).
 */
@inline export function chargeOne(p: i32, kind: i32, a: f64, b: f64): i32 {
  if (p <= 0 || p >= pNextId) return S.STATUS_INVALID_CID;
  const pr = P(<u32>p);
  const state = load<u16>(pr + P_STATE);
  if (state != PS_ACTIVE) return state == PS_EXITED ? S.STATUS_PROCESS_IS_TERMINATING : S.STATUS_INVALID_CID;
  const j0 = load<u32>(pr + P_JOB);
  const own = J(j0);
  switch (kind) {
    case CHARGE_CPU_TIME:
    case CHARGE_PAGE_FAULTS:
    case CHARGE_READ_IO:
    case CHARGE_WRITE_IO:
    case CHARGE_OTHER_IO: {
      // One path for the five kinds that only add up — no branch on the kind, which in a mixed
      // batch the processor could not predict. Each adds a pair (a, b) at the kind's offsets
      // (page faults: (a, 0), layout.ts); CPU time also counts `a` as user time.
      const cpu = kind == CHARGE_CPU_TIME;
      const v = f64x2.replace_lane(f64x2.splat(a), 1, kind == CHARGE_PAGE_FAULTS ? 0 : b);
      if (!isQtyPair(v)) return S.STATUS_INVALID_PARAMETER;
      const user: f64 = cpu ? a : 0;
      // The user time is read as the pair it is written as (a 64-bit load of half a 128-bit
      // store just made would wait instead of forwarding).
      let budget = load<f64>(own + J_EFF_PROC_TIME) - f64x2.extract_lane(v128.load(pr + P_USER), 0);
      let posted: f64 = Infinity;
      addPair((cpu ? pr : PI(<u32>p)) + <usize>load<u8>(PROCESS_PAIR + <usize>kind), v);
      addPair(own + <usize>load<u8>(JOB_PAIR + <usize>kind), v);
      // The jobs with a per-job time limit keep their period's user time now. The charge is made
      // whole first and the part past the nearest limit taken back after (rarely), so no store
      // waits for a limit comparison. budget: what the nearest limit that ends processes leaves;
      // posted: what the nearest POST_AT_END_OF_JOB limit leaves (crossing it posts only).
      for (let j = load<u32>(own + J_TIMED_ANC); j != 0; j = nextTimed(j)) {
        const jr = J(j);
        const lim = load<f64>(jr + J_EFF_JOB_TIME);
        const period = load<f64>(jr + J_PERIOD_USER);
        store<f64>(jr + J_PERIOD_USER, period + user);
        if (lim != Infinity) {
          const left = lim - period;
          if (load<i32>(jr + J_EOJ_ACTION) == JOB_OBJECT_POST_AT_END_OF_JOB) {
            if (left < posted) posted = left;
          } else if (left < budget) {
            budget = left;
          }
        }
      }
      // Only user time that reaches a limit can make one act.
      if (cpu & ((a >= budget) | (a >= posted))) return limitReached(<u32>p, a, budget);
      return S.STATUS_SUCCESS;
    }
    case CHARGE_COMMIT: {
      // One path for commit (a > 0) and release (a < 0), so that a mixed batch has no branch on
      // the sign to mispredict: a release passes every limit check, and cannot raise a peak (a
      // job's commit never exceeds its peak, nor a process's commit the peaks of its jobs).
      if (!isSignedQty(a)) return S.STATUS_INVALID_PARAMETER;
      const pm = PM(<u32>p);
      const committed = load<f64>(pm + PM_COMMIT);
      // Releasing more than is committed.
      if (-a > committed) return S.STATUS_INVALID_PARAMETER;
      const growing = a > 0;
      const nc = committed + a;
      if (growing & (nc > load<f64>(own + J_EFF_PROC_MEM))) return commitRefused(<u32>p, j0, JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT);
      // The job-wide limit of every job on the chain ("commit charge" is among the limits
      // enforced at every level — Nested Jobs); the innermost one hit posts.
      const chain = own + J_CHAIN;
      const base = jobsBase();
      let over: u32 = 0;
      for (let k: i32 = 1, j: u32 = j0; j != 0; j = nextInChain(chain, k++, j, base)) {
        const jr = base + (<usize>j << JOB_SHIFT);
        if (growing & (load<f64>(jr + J_COMMIT) + a > load<f64>(jr + J_EFF_JOB_MEM))) {
          over = j;
          break;
        }
      }
      if (over != 0) return commitRefused(<u32>p, over, JOB_OBJECT_MSG_JOB_MEMORY_LIMIT);
      store<f64>(pm + PM_COMMIT, nc);
      const peak = pm + PM_PEAK;
      if (nc > load<f64>(peak)) store<f64>(peak, nc);
      for (let k: i32 = 1, j: u32 = j0; j != 0; j = nextInChain(chain, k++, j, base)) {
        const jr = base + (<usize>j << JOB_SHIFT);
        const c = load<f64>(jr + J_COMMIT) + a;
        store<f64>(jr + J_COMMIT, c);
        if (c > load<f64>(jr + J_PEAK_JOB)) store<f64>(jr + J_PEAK_JOB, c);
        if (nc > load<f64>(jr + J_PEAK_PROC)) store<f64>(jr + J_PEAK_PROC, nc);
      }
      return S.STATUS_SUCCESS;
    }
  }
  return S.STATUS_INVALID_PARAMETER;
}

/** A commit that would pass a limit: job j (the immediate job for a process limit) posts `msg`. */
function commitRefused(p: u32, j: u32, msg: u32): i32 {
  if (j != 0) postChain(j, msg, p);
  return S.STATUS_COMMITMENT_LIMIT;
}

/**
 * A CPU charge of user time `a` reached a time limit (`budget`: what the
 * nearest limit that ends processes left): the part past it is taken back
 * (user time stops at the limit), then the per-process time limit and the
 * chain's end-of-job times act. Kept out of line: the common charge never
 * comes here.
 */
function limitReached(p: u32, a: f64, budget: f64): i32 {
  const pr = P(p);
  const j0 = load<u32>(pr + P_JOB);
  if (a > budget) {
    const over = a - (budget > 0 ? budget : 0);
    add(pr + P_USER, -over);
    add(J(j0) + J_OWN_USER, -over);
    for (let j = load<u32>(J(j0) + J_TIMED_ANC); j != 0; j = nextTimed(j)) add(J(j) + J_PERIOD_USER, -over);
  }
  if (load<f64>(pr + P_USER) >= load<f64>(J(j0) + J_EFF_PROC_TIME)) endProcess(p, ERROR_NOT_ENOUGH_QUOTA, R_LIMIT | R_PROCESS_TIME);
  afterJobTime(j0);
  return load<u16>(P(p) + P_STATE) == PS_ACTIVE ? S.STATUS_SUCCESS : S.STATUS_QUOTA_EXCEEDED;
}
