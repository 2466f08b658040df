// The scheduler tick: one scheduling interval of virtual CPU handed out to
// every runnable process, honouring CPU rate control at every level of the
// job hierarchy (JOBOBJECT_CPU_RATE_CONTROL_INFORMATION).
//
// Policy. The host has C = cpuCount × interval units of CPU per tick. A
// process demands min(threads, processors its job's affinity allows) ×
// interval, cut to what its per-process time limit leaves. Each job has, from
// its rate control, relative to its rate base (the parent's, or C for a job
// whose chain has no rate control: "the rates set for the job represent its
// portion of the CPU rate that is allocated to its parent job"):
//   - HARD_CAP CpuRate r:   a hard cap H = ⌊base·r/10000⌋ ("After the job
//     reaches its CPU cycle limit for the current scheduling interval, no
//     threads associated with the job will run until the next interval");
//   - CpuRate r (no cap):    a soft rate S = ⌊base·r/10000⌋: under contention
//     the job gets at most S, and CPU nobody else wants on top;
//   - MIN_MAX_RATE:          a guarantee M = ⌊base·MinRate/10000⌋ served
//     before anything else, and a hard cap ⌊base·MaxRate/10000⌋;
//   - WEIGHT_BASED w:        its share under contention, relative to its
//     siblings' weights (default 5 — "The default is 5");
// and a job's affinity (popcount × interval) and what its end-of-job time
// leaves (TERMINATE action) cap it too.
//
// Three passes over the preorder: top-down the rate bases and caps;
// bottom-up each job's demand D = min(H, own processes' + children's
// demands); top-down each node's grant divided among its members (child jobs
// in link order, then its processes in list order, which is id order —
// exit.ts): guarantees first, then weighted max-min water-filling up to soft
// rates, then what is left to soft-rated members. All quantities are integers
// held in f64 and every division is floored, so the TypeScript reference,
// taking the same steps, hands out exactly the same units. Processes that
// reach their per-process time limit end after the distribution, in id order.
//
// What the reference does job by job, walking lists, is done here with two
// sequential passes over the (32-byte) hot process records where possible:
// one computes every demand and sums them per job (processDemands), one
// serves the processes of the jobs whose share is decided by their sums alone
// (planProcesses / serveDeferred). A walk of a list waits for each record
// before it knows the next; a pass over the table does not.
//
// Scratch (allocated here, grown before anything is changed, so a tick that
// cannot get memory changes nothing): per member of the node being divided
// (at most jobs + processes) and per process (demand, grant, the kill list).

import * as S from '../rt/ntstatus';
import { alloc, free } from '../rt/arena';
import { J, P, jNextId, pNextId, cpus, interval, systemMask } from './tables';
import { postChain } from './notify';
import { endProcess } from './exit';
import { ensureOrder, orderLen, orderAt, endOfJobTime } from './hierarchy';
import {
  J_PARENT, J_FLAGS, J_CPU_FLAGS, J_CPU_VALUE, J_EFF_FLAGS, J_EFF_AFFINITY, J_EFF_JOB_TIME, J_EOJ_ACTION, J_PERIOD_USER, J_OWN_USER,
  J_B, J_H, J_M, J_S, J_D, J_A, J_PD, J_CD, J_MIN_PD, J_KR, J_W, J_AVAIL, J_MODE, J_LEVEL, J_REM, J_CHILD_COUNT, J_FIRST_CHILD, J_NEXT, J_PROC_HEAD,
  J_EFF_PROC_TIME, JF_OVER_RATE, P_JOB, P_NEXT, P_STATE, P_THREADS, P_USER, PS_ACTIVE, R_LIMIT, R_PROCESS_TIME,
} from './layout';
import {
  JOB_OBJECT_CPU_RATE_CONTROL_ENABLE, JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED, JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP,
  JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE, JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY, JOB_OBJECT_LIMIT_AFFINITY,
  JOB_OBJECT_POST_AT_END_OF_JOB, JOB_OBJECT_MSG_NOTIFICATION_LIMIT, ERROR_NOT_ENOUGH_QUOTA,
} from './constants';
import { DEFAULT_WEIGHT, RATE_SCALE } from './limits';

/** Virtual time (ticks × interval) and the CPU the last tick handed out, 100 ns units. */
export let now: f64 = 0;
export let lastGranted: f64 = 0;

// Member scratch: one chunk, mcap × (6 f64 + 1 i32): D W Min Soft Out Cap | Id.
let MEMBERS: usize = 0;
let mcap: i32 = 0;
let mD: usize = 0;
let mW: usize = 0;
let mMin: usize = 0;
let mSoft: usize = 0;
let mOut: usize = 0;
let mCap: usize = 0;
let mId: usize = 0;
const MEMBER_BYTES: usize = 6 * 8 + 4;

// Process scratch: one chunk, pscap × (f64 demand, f64 grant, u32 kill).
let PSCRATCH: usize = 0;
let pscap: i32 = 0;
let DEMAND: usize = 0;
let GRANT: usize = 0;
let KILL: usize = 0;
let killCount: i32 = 0;
const PSCRATCH_BYTES: usize = 8 + 8 + 4;

function capacityFor(have: i32, need: i32): i32 {
  let n = have < 64 ? 64 : have;
  while (n < need) n <<= 1;
  return n;
}

/** Makes the scratch big enough for the current tables; false (nothing changed) if out of memory. */
function ensureScratch(): bool {
  const needM = jNextId + pNextId;
  const needP = pNextId;
  let newM: usize = 0;
  let newMcap = mcap;
  let newP: usize = 0;
  let newPcap = pscap;
  if (needM > mcap) {
    newMcap = capacityFor(mcap, needM);
    newM = alloc(<usize>newMcap * MEMBER_BYTES);
    if (newM == 0) return false;
  }
  if (needP > pscap) {
    newPcap = capacityFor(pscap, needP);
    newP = alloc(<usize>newPcap * PSCRATCH_BYTES);
    if (newP == 0) {
      if (newM != 0) free(newM, <usize>newMcap * MEMBER_BYTES);
      return false;
    }
  }
  if (newM != 0) {
    if (MEMBERS != 0) free(MEMBERS, <usize>mcap * MEMBER_BYTES);
    MEMBERS = newM;
    mcap = newMcap;
    const c = <usize>mcap << 3;
    mD = MEMBERS;
    mW = mD + c;
    mMin = mW + c;
    mSoft = mMin + c;
    mOut = mSoft + c;
    mCap = mOut + c;
    mId = mCap + c;
  }
  if (newP != 0) {
    if (PSCRATCH != 0) free(PSCRATCH, <usize>pscap * PSCRATCH_BYTES);
    PSCRATCH = newP;
    pscap = newPcap;
    DEMAND = PSCRATCH;
    GRANT = DEMAND + (<usize>pscap << 3);
    KILL = GRANT + (<usize>pscap << 3);
  }
  return true;
}

@inline function f64At(base: usize, i: i32): usize {
  return base + (<usize>i << 3);
}

/** One scheduling interval. STATUS_SUCCESS, or STATUS_INSUFFICIENT_RESOURCES with nothing changed. */
export function tick(): i32 {
  if (!ensureScratch()) return S.STATUS_INSUFFICIENT_RESOURCES;
  ensureOrder();
  const n = orderLen;
  const iv = <f64>interval;
  const C = <f64>cpus * iv;
  const sysMask = systemMask();
  // Pass 0, top-down: rate bases, caps, guarantees, soft rates, weights.
  for (let i = 0; i < n; i++) {
    const j = orderAt(i);
    const r = J(j);
    const par = load<u32>(r + J_PARENT);
    const base = par != 0 ? load<f64>(J(par) + J_B) : C;
    const cf = load<i32>(r + J_CPU_FLAGS);
    const v = load<u32>(r + J_CPU_VALUE);
    let B = base;
    let H: f64 = Infinity;
    let M: f64 = 0;
    let soft: f64 = Infinity;
    let w: i32 = DEFAULT_WEIGHT;
    if ((cf & JOB_OBJECT_CPU_RATE_CONTROL_ENABLE) != 0) {
      if ((cf & JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED) != 0) {
        w = <i32>v;
      } else if ((cf & JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE) != 0) {
        H = floor<f64>((base * <f64>(v >>> 16)) / <f64>RATE_SCALE);
        B = H;
        M = floor<f64>((base * <f64>(v & 0xffff)) / <f64>RATE_SCALE);
      } else {
        const x = floor<f64>((base * <f64>v) / <f64>RATE_SCALE);
        B = x;
        if ((cf & JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP) != 0) H = x;
        else soft = x;
      }
    }
    if ((load<i32>(r + J_EFF_FLAGS) & JOB_OBJECT_LIMIT_AFFINITY) != 0) {
      const cap = <f64>popcnt<u32>(load<u32>(r + J_EFF_AFFINITY) & sysMask) * iv;
      if (cap < H) H = cap;
    }
    const lim = load<f64>(r + J_EFF_JOB_TIME);
    if (lim != Infinity && load<i32>(r + J_EOJ_ACTION) != JOB_OBJECT_POST_AT_END_OF_JOB) {
      const left = lim - load<f64>(r + J_PERIOD_USER);
      if (left < H) H = left > 0 ? left : 0;
    }
    store<f64>(r + J_B, B);
    store<f64>(r + J_H, H);
    store<f64>(r + J_M, M);
    store<f64>(r + J_S, soft);
    store<i32>(r + J_W, w);
    store<f64>(r + J_CD, 0);
    startDemands(r, (load<i32>(r + J_EFF_FLAGS) & JOB_OBJECT_LIMIT_AFFINITY) != 0 ? <i32>popcnt<u32>(load<u32>(r + J_EFF_AFFINITY) & sysMask) : cpus);
  }
  startDemands(J(0), cpus);
  processDemands();
  // Pass 1, bottom-up: demands.
  let rootCD: f64 = 0;
  for (let i = n - 1; i >= 0; i--) {
    const j = orderAt(i);
    const r = J(j);
    const total = load<f64>(r + J_PD) + load<f64>(r + J_CD);
    const H = load<f64>(r + J_H);
    const D = total < H ? total : H;
    store<f64>(r + J_D, D);
    const par = load<u32>(r + J_PARENT);
    if (par != 0) store<f64>(J(par) + J_CD, load<f64>(J(par) + J_CD) + D);
    else rootCD += D;
  }
  const rootPD = load<f64>(J(0) + J_PD);
  // Pass 2, top-down: hand out.
  const rootTotal = rootPD + rootCD;
  const A = rootTotal < C ? rootTotal : C;
  store<i32>(J(0) + J_MODE, SERVE_NOW);
  distributeGeneral(0, A);
  let deferred = false;
  for (let i = 0; i < n; i++) {
    const j = orderAt(i);
    const r = J(j);
    const a = load<f64>(r + J_A);
    // The grant is user time of the job's subtree: kept now only where a per-job time limit needs
    // it; the totals get it through the processes' own job (distribute*).
    if (load<f64>(r + J_EFF_JOB_TIME) != Infinity) store<f64>(r + J_PERIOD_USER, load<f64>(r + J_PERIOD_USER) + a);
    store<i32>(r + J_MODE, SERVE_NOW);
    let granted: f64;
    if (load<i32>(r + J_CHILD_COUNT) != 0) {
      granted = distributeGeneral(j, a);
    } else {
      granted = planProcesses(r, a);
      if (load<i32>(r + J_MODE) == SERVE_NOW) granted = distributeProcesses(j, a);
      else deferred = true;
    }
    store<f64>(r + J_OWN_USER, load<f64>(r + J_OWN_USER) + granted);
  }
  if (deferred) serveDeferred();
  // CPU rate NOTIFY: "Sends messages when the CPU rate for the job exceeds the rate limits for the
  // job" — once when a job goes over its (soft) rate, again only after it was back under.
  for (let i = 0; i < n; i++) {
    const j = orderAt(i);
    const r = J(j);
    if ((load<i32>(r + J_CPU_FLAGS) & JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY) == 0) continue;
    const flags = load<u32>(r + J_FLAGS);
    if (load<f64>(r + J_A) > load<f64>(r + J_S)) {
      if ((flags & JF_OVER_RATE) == 0) {
        store<u32>(r + J_FLAGS, flags | JF_OVER_RATE);
        postChain(j, JOB_OBJECT_MSG_NOTIFICATION_LIMIT, 0);
      }
    } else {
      store<u32>(r + J_FLAGS, flags & ~JF_OVER_RATE);
    }
  }
  // Time limits reached during the interval: processes first, in ascending id order, then jobs in
  // preorder ("The system periodically checks …" — JOBOBJECT_BASIC_LIMIT_INFORMATION).
  const kills = killCount;
  killCount = 0;
  sortKills(kills);
  for (let i = 0; i < kills; i++) {
    const p = load<u32>(KILL + (<usize>i << 2));
    if (load<u16>(P(p) + P_STATE) == PS_ACTIVE) endProcess(p, ERROR_NOT_ENOUGH_QUOTA, R_LIMIT | R_PROCESS_TIME);
  }
  for (let i = 0; i < n; i++) {
    const j = orderAt(i);
    const r = J(j);
    const lim = load<f64>(r + J_EFF_JOB_TIME);
    if (lim == Infinity || load<f64>(r + J_PERIOD_USER) < lim) continue;
    endOfJobTime(j);
  }
  lastGranted = A;
  now += iv;
  return S.STATUS_SUCCESS;
}

/** Clears job record r's process demand sums; `avail`: the processors its processes may use. */
@inline function startDemands(r: usize, avail: i32): void {
  store<f64>(r + J_PD, 0);
  store<f64>(r + J_MIN_PD, Infinity);
  store<i32>(r + J_KR, 0);
  store<i32>(r + J_AVAIL, avail);
}

/**
 * The demand of every active process — min(threads, its job's processors) ×
 * interval, cut to what its per-process time limit leaves — and per job their
 * sum (PD), the least positive one (minPD) and how many are positive (KR).
 * One pass over the process table in id order, whatever job each is in: no
 * list to chase, so the memory streams.
 */
function processDemands(): void {
  const iv = <f64>interval;
  const last = <u32>pNextId;
  // Sums are kept in locals while consecutive processes share a job (the usual case: ids are
  // handed out in order) and added to the job record when the job changes.
  let r: usize = 0;
  let avail: i32 = 0;
  let limit: f64 = Infinity;
  let sum: f64 = 0;
  let least: f64 = Infinity;
  let kr: i32 = 0;
  for (let p: u32 = 1; p < last; p++) {
    const pr = P(p);
    if (load<u16>(pr + P_STATE) != PS_ACTIVE) continue;
    const jr = J(load<u32>(pr + P_JOB));
    if (jr != r) {
      if (r != 0) flushDemands(r, sum, least, kr);
      r = jr;
      avail = load<i32>(r + J_AVAIL);
      limit = load<f64>(r + J_EFF_PROC_TIME);
      sum = 0;
      least = Infinity;
      kr = 0;
    }
    const t = <i32>load<u16>(pr + P_THREADS);
    let d = <f64>(t < avail ? t : avail) * iv;
    const left = limit - load<f64>(pr + P_USER);
    if (left < d) d = left;
    store<f64>(f64At(DEMAND, p), d);
    if (d > 0) {
      sum += d;
      kr++;
      if (d < least) least = d;
    }
  }
  if (r != 0) flushDemands(r, sum, least, kr);
}

@inline function flushDemands(r: usize, sum: f64, least: f64, kr: i32): void {
  store<f64>(r + J_PD, load<f64>(r + J_PD) + sum);
  store<i32>(r + J_KR, load<i32>(r + J_KR) + kr);
  if (least < load<f64>(r + J_MIN_PD)) store<f64>(r + J_MIN_PD, least);
}

/** Insertion sort of KILL[0 … n) (a handful of processes at most, usually none). */
function sortKills(n: i32): void {
  for (let i = 1; i < n; i++) {
    const p = load<u32>(KILL + (<usize>i << 2));
    let k = i - 1;
    while (k >= 0 && load<u32>(KILL + (<usize>k << 2)) > p) {
      store<u32>(KILL + (<usize>(k + 1) << 2), load<u32>(KILL + (<usize>k << 2)));
      k--;
    }
    store<u32>(KILL + (<usize>(k + 1) << 2), p);
  }
}

/** Adds g to process p's user time; `limit` is its per-process time limit (its job's). */
@inline function grantProcess(p: u32, g: f64, limit: f64): void {
  const pr = P(p);
  const u = load<f64>(pr + P_USER) + g;
  store<f64>(pr + P_USER, u);
  if (u >= limit) {
    store<u32>(KILL + (<usize>killCount << 2), p);
    killCount++;
  }
}

// How the processes of a job without child jobs get its grant this tick (J_MODE).
/** Now, by walking its list (distributeGeneral, or distributeProcesses for the uncommon case). */
const SERVE_NOW: i32 = 0;
/** Later, in serveDeferred: each runnable process gets its whole demand. */
const SERVE_DEMAND: i32 = 1;
/** Later, in serveDeferred: each runnable process gets the level, the first `rem` one unit more. */
const SERVE_LEVEL: i32 = 2;

/**
 * The two usual outcomes of dividing a grant A among the runnable processes
 * of a job without child jobs, decided from the job's sums alone: A covers
 * every demand (SERVE_DEMAND), or every runnable process wants more than the
 * fair level ⌊A / runnable⌋ (SERVE_LEVEL: each gets the level, and the
 * remainder goes one unit each to the first ones in list order). Either way
 * the job hands out what it returns; anything else stays SERVE_NOW for
 * distributeProcesses.
 */
function planProcesses(r: usize, A: f64): f64 {
  if (A <= 0) return 0;
  const total = load<f64>(r + J_PD);
  if (A >= total) {
    store<i32>(r + J_MODE, SERVE_DEMAND);
    return total;
  }
  const k = <f64>load<i32>(r + J_KR);
  const level = floor<f64>(A / k);
  if (load<f64>(r + J_MIN_PD) <= level) return 0;
  store<i32>(r + J_MODE, SERVE_LEVEL);
  store<f64>(r + J_LEVEL, level);
  store<f64>(r + J_REM, A - level * k);
  return A;
}

/**
 * Serves the processes planProcesses deferred, in one pass over the process
 * table in id order — which is each job's list order (exit.ts), so the
 * remainder units go where a walk of the list would put them — instead of a
 * walk per job, whose every step waits for the previous record.
 */
function serveDeferred(): void {
  const last = <u32>pNextId;
  let r: usize = 0;
  let mode: i32 = SERVE_NOW;
  let level: f64 = 0;
  let rem: f64 = 0;
  let limit: f64 = Infinity;
  for (let p: u32 = 1; p < last; p++) {
    const pr = P(p);
    if (load<u16>(pr + P_STATE) != PS_ACTIVE) continue;
    const jr = J(load<u32>(pr + P_JOB));
    if (jr != r) {
      if (mode == SERVE_LEVEL) store<f64>(r + J_REM, rem);
      r = jr;
      mode = load<i32>(r + J_MODE);
      level = load<f64>(r + J_LEVEL);
      rem = load<f64>(r + J_REM);
      limit = load<f64>(r + J_EFF_PROC_TIME);
    }
    if (mode == SERVE_NOW) continue;
    const d = load<f64>(f64At(DEMAND, p));
    if (d <= 0) continue;
    let g = d;
    if (mode == SERVE_LEVEL) {
      g = level;
      if (rem > 0) {
        g += 1;
        rem -= 1;
      }
    }
    if (g > 0) grantProcess(p, g, limit);
  }
}

/**
 * Job j's grant among its runnable processes only (no child jobs), when
 * planProcesses could not decide it: the equal-weight water-filling, level by
 * level, over the list. Returns what it handed out.
 */
function distributeProcesses(j: u32, A0: f64): f64 {
  let A = A0;
  if (A <= 0) return 0;
  const r = J(j);
  const head = load<u32>(r + J_PROC_HEAD);
  const limit = load<f64>(r + J_EFF_PROC_TIME);
  let k = load<i32>(r + J_KR);
  let minD = load<f64>(r + J_MIN_PD);
  // Mark the runnable ones undecided (grant −1), then fill level by level.
  for (let p = head; p != 0; p = load<u32>(P(p) + P_NEXT)) {
    store<f64>(f64At(GRANT, p), load<f64>(f64At(DEMAND, p)) > 0 ? -1 : 0);
  }
  for (;;) {
    const start = A;
    const level = floor<f64>(start / <f64>k);
    if (minD <= level) {
      // Everyone who wants no more than the level is served in full; the level rises.
      let nextMin: f64 = Infinity;
      for (let p = head; p != 0; p = load<u32>(P(p) + P_NEXT)) {
        if (load<f64>(f64At(GRANT, p)) != -1) continue;
        const d = load<f64>(f64At(DEMAND, p));
        if (d <= level) {
          store<f64>(f64At(GRANT, p), d);
          grantProcess(p, d, limit);
          A -= d;
          k--;
        } else if (d < nextMin) {
          nextMin = d;
        }
      }
      minD = nextMin;
      if (k == 0 || A <= 0) return A0 - A;
      continue;
    }
    // Everyone left wants more than the level: each gets it, the remainder one unit each in list order.
    let rem = start - level * <f64>k;
    for (let p = head; p != 0; p = load<u32>(P(p) + P_NEXT)) {
      if (load<f64>(f64At(GRANT, p)) != -1) continue;
      let g = level;
      if (rem > 0) {
        g += 1;
        rem -= 1;
      }
      store<f64>(f64At(GRANT, p), g);
      if (g > 0) grantProcess(p, g, limit);
    }
    return A0;
  }
}

/**
 * Node j's grant (j = 0: the host) among its members — child jobs in link
 * order (for the host: the top-level jobs in preorder), then its runnable
 * processes in list order: guarantees first, then weighted water-filling up
 * to soft rates, then what is left to soft-rated members. Returns what its
 * processes got.
 */
function distributeGeneral(j: u32, A0: f64): f64 {
  let A = A0;
  let n: i32 = 0;
  if (j == 0) {
    for (let i = 0; i < orderLen; i++) {
      const c = orderAt(i);
      if (load<u32>(J(c) + J_PARENT) != 0) continue;
      addJobMember(n++, c);
    }
  } else {
    for (let c = load<u32>(J(j) + J_FIRST_CHILD); c != 0; c = load<u32>(J(c) + J_NEXT)) addJobMember(n++, c);
  }
  for (let p = load<u32>(J(j) + J_PROC_HEAD); p != 0; p = load<u32>(P(p) + P_NEXT)) {
    store<i32>(mId + (<usize>n << 2), -<i32>p);
    store<f64>(f64At(mD, n), load<f64>(f64At(DEMAND, p)));
    store<f64>(f64At(mW, n), <f64>DEFAULT_WEIGHT);
    store<f64>(f64At(mMin, n), 0);
    store<f64>(f64At(mSoft, n), Infinity);
    store<f64>(f64At(mOut, n), 0);
    n++;
  }
  if (A > 0) {
    // Phase 1: guarantees (MinRate).
    let sumG: f64 = 0;
    for (let i = 0; i < n; i++) {
      const d = load<f64>(f64At(mD, i));
      const m = load<f64>(f64At(mMin, i));
      const g = d < m ? d : m;
      store<f64>(f64At(mCap, i), g);
      sumG += g;
    }
    if (sumG > 0) A -= waterfill(A, n);
    // Phase 2: contention, up to soft rates.
    if (A > 0) {
      for (let i = 0; i < n; i++) {
        const d = load<f64>(f64At(mD, i));
        const s = load<f64>(f64At(mSoft, i));
        const c = (d < s ? d : s) - load<f64>(f64At(mOut, i));
        store<f64>(f64At(mCap, i), c > 0 ? c : 0);
      }
      A -= waterfill(A, n);
    }
    // Phase 3: what is left goes to soft-rated members.
    if (A > 0) {
      for (let i = 0; i < n; i++) store<f64>(f64At(mCap, i), load<f64>(f64At(mD, i)) - load<f64>(f64At(mOut, i)));
      A -= waterfill(A, n);
    }
  }
  let given: f64 = 0;
  const limit = load<f64>(J(j) + J_EFF_PROC_TIME);
  for (let i = 0; i < n; i++) {
    const id = load<i32>(mId + (<usize>i << 2));
    const out = load<f64>(f64At(mOut, i));
    if (id > 0) {
      store<f64>(J(<u32>id) + J_A, out);
    } else if (out > 0) {
      grantProcess(<u32>(-id), out, limit);
      given += out;
    }
  }
  return given;
}

@inline function addJobMember(i: i32, c: u32): void {
  const r = J(c);
  store<i32>(mId + (<usize>i << 2), <i32>c);
  store<f64>(f64At(mD, i), load<f64>(r + J_D));
  store<f64>(f64At(mW, i), <f64>load<i32>(r + J_W));
  store<f64>(f64At(mMin, i), load<f64>(r + J_M));
  store<f64>(f64At(mSoft, i), load<f64>(r + J_S));
  store<f64>(f64At(mOut, i), 0);
}

/**
 * Weighted max-min water-filling of A over members 0 … n−1 with caps mCap
 * (added to mOut). Each round every member's share is ⌊A0·w/W⌋; members
 * whose cap fits their share get their cap and leave; when none fits, each
 * takes its share and the remainder goes one unit at a time to the first
 * members in order. Returns what it gave.
 */
function waterfill(A0: f64, n: i32): f64 {
  let A = A0;
  let total: f64 = 0;
  for (let i = 0; i < n; i++) total += load<f64>(f64At(mCap, i));
  if (total <= A) {
    for (let i = 0; i < n; i++) store<f64>(f64At(mOut, i), load<f64>(f64At(mOut, i)) + load<f64>(f64At(mCap, i)));
    return total;
  }
  // A cap of −1 marks a member that has left.
  for (let i = 0; i < n; i++) if (load<f64>(f64At(mCap, i)) <= 0) store<f64>(f64At(mCap, i), -1);
  let given: f64 = 0;
  for (;;) {
    let W: f64 = 0;
    for (let i = 0; i < n; i++) if (load<f64>(f64At(mCap, i)) >= 0) W += load<f64>(f64At(mW, i));
    if (W == 0) return given;
    const start = A;
    let saturated = false;
    for (let i = 0; i < n; i++) {
      const c = load<f64>(f64At(mCap, i));
      if (c < 0) continue;
      if (c <= floor<f64>((start * load<f64>(f64At(mW, i))) / W)) {
        store<f64>(f64At(mOut, i), load<f64>(f64At(mOut, i)) + c);
        A -= c;
        given += c;
        store<f64>(f64At(mCap, i), -1);
        saturated = true;
      }
    }
    if (saturated) {
      if (A <= 0) return given;
      continue;
    }
    let rem = start;
    for (let i = 0; i < n; i++) {
      if (load<f64>(f64At(mCap, i)) < 0) continue;
      const s = floor<f64>((start * load<f64>(f64At(mW, i))) / W);
      store<f64>(f64At(mOut, i), load<f64>(f64At(mOut, i)) + s);
      rem -= s;
    }
    given += start - rem;
    for (let i = 0; i < n && rem > 0; i++) {
      if (load<f64>(f64At(mCap, i)) < 0) continue;
      store<f64>(f64At(mOut, i), load<f64>(f64At(mOut, i)) + 1);
      rem -= 1;
      given += 1;
    }
    return given;
  }
}
