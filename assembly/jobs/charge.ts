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
import { J, P, pNextId, jobsBase, procsBase, pmemBase, pioBase } from './tables';
import { JOB_SHIFT, PROC_SHIFT, PMEM_SHIFT, PIO_SHIFT } from './layout';
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
  CHARGE_CPU_TIME, CHARGE_PAGE_FAULTS, CHARGE_OTHER_IO, CHARGE_COMMIT,
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

/** What addOne returns when the charge reached a time limit: limitReached(p, a, pendingBudget) must follow. */
const LIMIT_PENDING: i32 = 1;
/** The budget of the charge for which addOne last returned LIMIT_PENDING. */
let pendingBudget: f64 = 0;

/** f64 bits masked (all or nothing) by an i64: no f64 select, which V8 turns into a branch. */
@inline function keepIf(v: f64, keep: bool): f64 {
  return reinterpret<f64>(reinterpret<i64>(v) & -<i64>keep);
}

/**
 * A charge of one of the five kinds that only add up (or of an invalid kind),
 * as chargeOne makes it, except that a charge of user time that reaches a
 * limit is made whole and returns LIMIT_PENDING, leaving limitReached (which
 * takes the excess back and lets the limit act) to the caller. Branch-free
 * on the kind, which in a mixed batch the processor could not predict.
 */
@inline function addOne(p: i32, kind: i32, a: f64, b: f64, procs: usize, pio: usize, pmem: usize, jobs: usize, pNext: i32): i32 {
  if (<u32>(p - 1) >= <u32>(pNext - 1)) return S.STATUS_INVALID_CID;
  const pr = procs + (<usize>p << PROC_SHIFT);
  const state = load<u16>(pr + P_STATE);
  if (state != PS_ACTIVE) return state == PS_EXITED ? S.STATUS_PROCESS_IS_TERMINATING : S.STATUS_INVALID_CID;
  if (<u32>(kind - CHARGE_CPU_TIME) > <u32>(CHARGE_OTHER_IO - CHARGE_CPU_TIME)) return S.STATUS_INVALID_PARAMETER;
  const own = jobs + (<usize>load<u32>(pr + P_JOB) << JOB_SHIFT);
  // Each kind adds a pair (a, b) at the kind's offsets (page faults: (a, 0), layout.ts); CPU time
  // also counts `a` as user time.
  const cpu = kind == CHARGE_CPU_TIME;
  const v = f64x2.replace_lane(f64x2.splat(a), 1, keepIf(b, kind != CHARGE_PAGE_FAULTS));
  if (!isQtyPair(v)) return S.STATUS_INVALID_PARAMETER;
  const user = keepIf(a, cpu);
  // The user time is read as the pair it is written as (a 64-bit load of half a 128-bit
  // store just made would wait instead of forwarding).
  let budget = load<f64>(own + J_EFF_PROC_TIME) - f64x2.extract_lane(v128.load(pr + P_USER), 0);
  let posted: f64 = Infinity;
  // The hot record for CPU time, the I/O one for the others: chosen by arithmetic, not a select.
  const io = pio + (<usize>p << PIO_SHIFT);
  const rec = io + ((pr - io) & -<usize>cpu);
  addPair(rec + <usize>load<u8>(PROCESS_PAIR + <usize>kind), v);
  addPair(own + <usize>load<u8>(JOB_PAIR + <usize>kind), v);
  // The jobs with a per-job time limit keep their period's user time now. The charge is made
  // whole first and the part past the nearest limit taken back after (rarely), so no store
  // waits for a limit comparison. budget: what the nearest limit that ends processes leaves;
  // posted: what the nearest POST_AT_END_OF_JOB limit leaves (crossing it posts only).
  for (let j = load<u32>(own + J_TIMED_ANC); j != 0;) {
    const jr = jobs + (<usize>j << JOB_SHIFT);
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
    const par = load<u32>(jr + J_PARENT);
    j = par != 0 ? load<u32>(jobs + (<usize>par << JOB_SHIFT) + J_TIMED_ANC) : 0;
  }
  // Only user time that reaches a limit can make one act.
  if (cpu & ((a >= budget) | (a >= posted))) {
    pendingBudget = budget;
    return LIMIT_PENDING;
  }
  return S.STATUS_SUCCESS;
}

/** The process's commit becomes nc (its peak with it). */
@inline function commitProcess(pm: usize, nc: f64): void {
  store<f64>(pm + PM_COMMIT, nc);
  const peak = pm + PM_PEAK;
  if (nc > load<f64>(peak)) store<f64>(peak, nc);
}

/**
 * One job of the chain takes a commit: v is its (commit, PeakJobMemoryUsed)
 * pair with the amount added to the commit; nc the process's new commit.
 */
@inline function commitLevel(jr: usize, v: v128, nc: f64): void {
  // (c, peak) → (c, max(peak, c)): pmax is b > a ? b : a, as the peak rule.
  v128.store(jr + J_COMMIT, f64x2.pmax(v, v128.shuffle<f64>(v, v, 0, 0)));
  if (nc > load<f64>(jr + J_PEAK_PROC)) store<f64>(jr + J_PEAK_PROC, nc);
}

/**
 * A commit (a > 0) or release (a < 0), as chargeOne makes it. One path for
 * both, so that a mixed batch has no branch on the sign to mispredict: a
 * release passes every limit check, and cannot raise a peak (a job's commit
 * never exceeds its peak, nor a process's commit the peaks of its jobs).
 */
@inline function commitOne(p: i32, a: f64, procs: usize, pio: usize, pmem: usize, jobs: usize, pNext: i32): i32 {
  if (<u32>(p - 1) >= <u32>(pNext - 1)) return S.STATUS_INVALID_CID;
  const pr = procs + (<usize>p << PROC_SHIFT);
  const state = load<u16>(pr + P_STATE);
  if (state != PS_ACTIVE) return state == PS_EXITED ? S.STATUS_PROCESS_IS_TERMINATING : S.STATUS_INVALID_CID;
  if (!isSignedQty(a)) return S.STATUS_INVALID_PARAMETER;
  const base = jobs;
  const j0 = load<u32>(pr + P_JOB);
  const own = base + (<usize>j0 << JOB_SHIFT);
  const pm = pmem + (<usize>p << PMEM_SHIFT);
  const committed = load<f64>(pm + PM_COMMIT);
  // Releasing more than is committed.
  if (-a > committed) return S.STATUS_INVALID_PARAMETER;
  const growing = a > 0;
  const nc = committed + a;
  if (growing & (nc > load<f64>(own + J_EFF_PROC_MEM))) return commitRefused(<u32>p, j0, JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT);
  // The job-wide limit of every job on the chain ("commit charge" is among the limits
  // enforced at every level — Nested Jobs); the innermost one hit posts.
  const chain = own + J_CHAIN;
  if ((j0 != 0) & (load<u32>(chain + 12) == 0)) {
    // A chain of 1 to 3 jobs (the usual nesting), unrolled: each level's (commit, peak) pair
    // is read once, with the amount added, checked, and written back when every level passed.
    const av = f64x2(a, 0);
    const j1 = load<u32>(chain + 4);
    const j2 = load<u32>(chain + 8);
    const r1 = base + (<usize>j1 << JOB_SHIFT);
    const r2 = base + (<usize>j2 << JOB_SHIFT);
    const v0 = f64x2.add(v128.load(own + J_COMMIT), av);
    if (growing & (f64x2.extract_lane(v0, 0) > load<f64>(own + J_EFF_JOB_MEM))) return commitRefused(<u32>p, j0, JOB_OBJECT_MSG_JOB_MEMORY_LIMIT);
    let v1 = av;
    let v2 = av;
    if (j1 != 0) {
      v1 = f64x2.add(v128.load(r1 + J_COMMIT), av);
      if (growing & (f64x2.extract_lane(v1, 0) > load<f64>(r1 + J_EFF_JOB_MEM))) return commitRefused(<u32>p, j1, JOB_OBJECT_MSG_JOB_MEMORY_LIMIT);
      if (j2 != 0) {
        v2 = f64x2.add(v128.load(r2 + J_COMMIT), av);
        if (growing & (f64x2.extract_lane(v2, 0) > load<f64>(r2 + J_EFF_JOB_MEM))) return commitRefused(<u32>p, j2, JOB_OBJECT_MSG_JOB_MEMORY_LIMIT);
      }
    }
    commitProcess(pm, nc);
    commitLevel(own, v0, nc);
    if (j1 != 0) {
      commitLevel(r1, v1, nc);
      if (j2 != 0) commitLevel(r2, v2, nc);
    }
    return S.STATUS_SUCCESS;
  }
  let over: u32 = 0;
  for (let k: i32 = 1, j: u32 = j0; j != 0; j = nextInChain(chain, k++, j, base)) {
    const jr = base + (<usize>j << JOB_SHIFT);
    if (growing & (f64x2.extract_lane(v128.load(jr + J_COMMIT), 0) + a > load<f64>(jr + J_EFF_JOB_MEM))) {
      over = j;
      break;
    }
  }
  if (over != 0) return commitRefused(<u32>p, over, JOB_OBJECT_MSG_JOB_MEMORY_LIMIT);
  commitProcess(pm, nc);
  const av = f64x2(a, 0);
  for (let k: i32 = 1, j: u32 = j0; j != 0; j = nextInChain(chain, k++, j, base)) {
    const jr = base + (<usize>j << JOB_SHIFT);
    commitLevel(jr, f64x2.add(v128.load(jr + J_COMMIT), av), nc);
  }
  return S.STATUS_SUCCESS;
}

/**
 * Charges one usage record (kinds: constants.ts CHARGE_*; amounts: see
 * JobCharge in src/core/jobs/constants.ts). Returns STATUS_SUCCESS,
 * STATUS_INVALID_CID / STATUS_PROCESS_IS_TERMINATING (p), STATUS_INVALID_PARAMETER
 * (kind or amounts), STATUS_COMMITMENT_LIMIT (nothing charged) or
 * STATUS_QUOTA_EXCEEDED (user time charged up to a limit that then ended the process).
 */
export function chargeOne(p: i32, kind: i32, a: f64, b: f64): i32 {
  if (kind == CHARGE_COMMIT) return commitOne(p, a, procsBase(), pioBase(), pmemBase(), jobsBase(), pNextId);
  const st = addOne(p, kind, a, b, procsBase(), pioBase(), pmemBase(), jobsBase(), pNextId);
  return st == LIMIT_PENDING ? limitReached(<u32>p, a, pendingBudget) : st;
}

// The split of a batch takes 4 entries at a time: m, the mask of which are commits (bit k: entry
// k), picks the byte shuffle that packs the indices of the others (SPLIT_REST[m]) or of the
// commits (SPLIT_COMMIT[m]) into the low lanes, in order.
const SPLIT_REST: usize = memory.data<u8>([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0,
  8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0,
  4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0,
  4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0,
  8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);
const SPLIT_COMMIT: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0,
  8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0,
  12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0,
  8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0,
  4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0,
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
]);

/**
 * Charges batch entries 0 … n − 1 (process, kind, a, b at bp, bk, ba, bb)
 * exactly as n chargeOne calls in order would, writing each status to bs;
 * `list` and `clist` are scratch for n + 3 u32 each. Returns how many failed.
 *
 * The entries are split by kind — the indices of commits and releases into
 * `clist`, of every other entry into `list`, both in batch order — and each part runs in its own loop, so no branch on the kind
 * of a mixed stream is mispredicted. That is exact because the two parts do
 * not see each other: an additive charge reads and writes the process's
 * state, user time and counters, its immediate job's own counters and
 * the timed jobs' periods, none of which a commit reads or writes, and a
 * commit reads and writes commit and peaks only (a refused commit also posts
 * to its chain's queues, which no additive charge reads or posts to, short of
 * reaching a limit). The one event that changes what later charges of either
 * kind see is a charge of user time reaching a limit (limitReached: it may end
 * processes and jobs, release their commit, post): the additive loop stops
 * there, the commits before it are made, then the limit acts, and both loops
 * go on after it.
 */
export function chargeBatch(n: i32, bp: usize, bk: usize, ba: usize, bb: usize, bs: usize, list: usize, clist: usize): i32 {
  // Split: the indices of the commits into clist, of the others into list, both in batch order,
  // 4 entries at a time (each store writes 4 lanes, those past the part's count being rewritten
  // later or never read; both lists have room for 3 more than a batch).
  let na: i32 = 0;
  let nc: i32 = 0;
  const four = n & ~3;
  let idx = i32x4(0, 1, 2, 3);
  for (let i: i32 = 0; i < four; i += 4) {
    const m = <usize>i32x4.bitmask(i32x4.eq(v128.load(bk + (<usize>i << 2)), i32x4.splat(CHARGE_COMMIT)));
    v128.store(list + (<usize>na << 2), i8x16.swizzle(idx, v128.load(SPLIT_REST + (m << 4))));
    v128.store(clist + (<usize>nc << 2), i8x16.swizzle(idx, v128.load(SPLIT_COMMIT + (m << 4))));
    const c = <i32>popcnt<u32>(<u32>m);
    nc += c;
    na += 4 - c;
    idx = i32x4.add(idx, i32x4.splat(4));
  }
  for (let i: i32 = four; i < n; i++) {
    const c = <i32>(load<i32>(bk + (<usize>i << 2)) == CHARGE_COMMIT);
    store<i32>(list + (<usize>na << 2), i);
    store<i32>(clist + (<usize>nc << 2), i);
    na += c ^ 1;
    nc += c;
  }
  // The table bases and the id bound in locals (a global is re-read at every use). No charge
  // moves a table; they are read again after a limit acted all the same.
  let procs = procsBase(), pio = pioBase(), pmem = pmemBase(), jobs = jobsBase(), pNext = pNextId;
  let failed: i32 = 0;
  let ia: i32 = 0;
  let ic: i32 = 0;
  while (true) {
    // Additive entries, up to one that reaches a limit (made whole, the limit not yet acting).
    let barrier = n;
    for (; ia < na; ia++) {
      const i = load<i32>(list + (<usize>ia << 2));
      const o4 = <usize>i << 2;
      const o8 = <usize>i << 3;
      const st = addOne(load<i32>(bp + o4), load<i32>(bk + o4), load<f64>(ba + o8), load<f64>(bb + o8), procs, pio, pmem, jobs, pNext);
      if (st == LIMIT_PENDING) {
        barrier = i;
        break;
      }
      store<i32>(bs + o4, st);
      failed += <i32>(st != S.STATUS_SUCCESS);
    }
    // Commits and releases before it.
    for (; ic < nc; ic++) {
      const i = load<i32>(clist + (<usize>ic << 2));
      if (i >= barrier) break;
      const o4 = <usize>i << 2;
      const st = commitOne(load<i32>(bp + o4), load<f64>(ba + (<usize>i << 3)), procs, pio, pmem, jobs, pNext);
      store<i32>(bs + o4, st);
      failed += <i32>(st != S.STATUS_SUCCESS);
    }
    if (barrier == n) break;
    // The limit acts.
    const o4 = <usize>barrier << 2;
    const st = limitReached(<u32>load<i32>(bp + o4), load<f64>(ba + (<usize>barrier << 3)), pendingBudget);
    store<i32>(bs + o4, st);
    failed += <i32>(st != S.STATUS_SUCCESS);
    ia++;
    procs = procsBase(); pio = pioBase(); pmem = pmemBase(); jobs = jobsBase(); pNext = pNextId;
  }
  return failed;
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
