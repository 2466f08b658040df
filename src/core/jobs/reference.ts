/**
 * Job objects in plain TypeScript: the oracle of the model-based tests and
 * the baseline of the benchmarks. Written for speed as a TypeScript engineer
 * would: struct-of-arrays tables (Float64Array / Int32Array indexed by job or
 * process id), parent index arrays for the job chains, no allocation on the
 * charge and tick paths. Every total is kept eagerly — a charge walks the
 * whole chain — where assembly/jobs keeps per-job "own" counters and sums a
 * subtree when it is queried (assembly/jobs/layout.ts); the two agree exactly
 * while totals stay below 2^53. Semantics, check order and the order of
 * everything observable (messages, process ends, scheduler remainders) are
 * those of assembly/jobs; see its README and comments for the rules and
 * their sources.
 */
import * as S from '../ntstatus.js';
import { ERROR_NOT_ENOUGH_QUOTA } from '../win32.js';
import {
  ABNORMAL_EXIT_CODES,
  CREATE_BREAKAWAY_FROM_JOB,
  JOB_OBJECT_CPU_RATE_CONTROL_ENABLE as CPU_ENABLE,
  JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP as CPU_HARD_CAP,
  JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE as CPU_MIN_MAX,
  JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY as CPU_NOTIFY,
  JOB_OBJECT_CPU_RATE_CONTROL_VALID_FLAGS as CPU_VALID,
  JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED as CPU_WEIGHT,
  JOB_OBJECT_LIMIT_ACTIVE_PROCESS as L_ACTIVE,
  JOB_OBJECT_LIMIT_AFFINITY as L_AFFINITY,
  JOB_OBJECT_LIMIT_BREAKAWAY_OK as L_BREAKAWAY,
  JOB_OBJECT_LIMIT_JOB_MEMORY as L_JOB_MEMORY,
  JOB_OBJECT_LIMIT_JOB_TIME as L_JOB_TIME,
  JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE as L_KILL_ON_CLOSE,
  JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME as L_PRESERVE,
  JOB_OBJECT_LIMIT_PRIORITY_CLASS as L_PRIORITY,
  JOB_OBJECT_LIMIT_PROCESS_MEMORY as L_PROCESS_MEMORY,
  JOB_OBJECT_LIMIT_PROCESS_TIME as L_PROCESS_TIME,
  JOB_OBJECT_LIMIT_SCHEDULING_CLASS as L_SCHEDULING,
  JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK as L_SILENT,
  JOB_OBJECT_LIMIT_SUBSET_AFFINITY as L_SUBSET_AFFINITY,
  JOB_OBJECT_LIMIT_VALID_FLAGS as L_VALID,
  JOB_OBJECT_LIMIT_WORKINGSET as L_WORKINGSET,
  JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS as MSG_ABNORMAL_EXIT,
  JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT as MSG_ACTIVE_LIMIT,
  JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO as MSG_ZERO,
  JOB_OBJECT_MSG_END_OF_JOB_TIME as MSG_END_OF_JOB_TIME,
  JOB_OBJECT_MSG_END_OF_PROCESS_TIME as MSG_END_OF_PROCESS_TIME,
  JOB_OBJECT_MSG_EXIT_PROCESS as MSG_EXIT,
  JOB_OBJECT_MSG_JOB_MEMORY_LIMIT as MSG_JOB_MEMORY,
  JOB_OBJECT_MSG_NEW_PROCESS as MSG_NEW,
  JOB_OBJECT_MSG_NOTIFICATION_LIMIT as MSG_NOTIFICATION,
  JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT as MSG_PROCESS_MEMORY,
  JOB_OBJECT_POST_AT_END_OF_JOB as POST_AT_END,
  JobCharge,
  PRIORITY_CLASS_ORDER,
} from './constants.js';
import { JOBS_LIMITS } from './limits.js';
import type {
  BasicAndIoAccountingInformation,
  ChargeBuffer,
  CpuRateControlInformation,
  EffectiveLimits,
  ExtendedLimitInformation,
  ExtendedLimitInput,
  JobMessage,
  JobObjects,
  JobResult,
  MessagesResult,
  ProcessInformation,
  ProcessResult,
  Result,
  SchedulerInformation,
} from './types.js';

// Job flags (jFlags).
const J_LIVE = 1;
const J_OPEN = 2;
/** Set on a job and its subtree while terminateJob runs: no EXIT_PROCESS to them. */
const J_TERMINATING = 4;
/** The end-of-job time limit was reached (TERMINATE): no process may join until limits are set again. */
const J_END_OF_JOB = 8;
/** JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY: over its rate in the last interval (edge-triggers NOTIFICATION_LIMIT). */
const J_OVER_RATE = 16;

// Process states (pState).
const P_FREE = 0;
const P_ACTIVE = 1;
const P_EXITED = 2;

// endProcess reasons.
const R_LIMIT = 1;
const R_PROCESS_TIME = 2;

/** Limit flags whose effective value is resolved along the chain. */
const EFFECTIVE_MASK = L_WORKINGSET | L_PROCESS_TIME | L_AFFINITY | L_PRIORITY | L_SCHEDULING | L_PROCESS_MEMORY;
const MAX_QTY = JOBS_LIMITS.maxQuantity;
const INF = Infinity;
const DEFAULT_WEIGHT = JOBS_LIMITS.defaultWeight;
const RATE_SCALE = JOBS_LIMITS.rateScale;
const EXIT_QUOTA = ERROR_NOT_ENOUGH_QUOTA;

const isQty = (v: number): boolean => Number.isInteger(v) && v >= 0 && v <= MAX_QTY;
const isSignedQty = (v: number): boolean => Number.isInteger(v) && v >= -MAX_QTY && v <= MAX_QTY;
function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0;
}
function priorityRank(c: number): number {
  return PRIORITY_CLASS_ORDER.indexOf(c);
}

function growF64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}
function growI32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

export class RefJobObjects implements JobObjects {
  readonly impl = 'ref' as const;

  // ---- host --------------------------------------------------------------------
  private cpus: number = JOBS_LIMITS.defaultCpuCount;
  private interval: number = JOBS_LIMITS.defaultInterval;
  private now = 0;
  private lastGranted = 0;

  // ---- job table (index = job id; slot 0 is the "no job" root for process lists) ----
  private jcap = 0;
  private jNextId = 1;
  private jFreeHead = 0;
  private jFlags!: Int32Array;
  private jParent!: Int32Array;
  private jFirstChild!: Int32Array;
  private jLastChild!: Int32Array;
  private jNext!: Int32Array;
  private jPrev!: Int32Array;
  private jChildCount!: Int32Array;
  private jProcRefs!: Int32Array;
  private jActive!: Int32Array;
  private jTotalProcs!: Int32Array;
  private jTotalTerm!: Int32Array;
  private jLimitFlags!: Int32Array;
  private jActiveLimit!: Float64Array;
  private jAffinity!: Float64Array;
  private jPriority!: Int32Array;
  private jSched!: Int32Array;
  private jEojAction!: Int32Array;
  private jCpuFlags!: Int32Array;
  private jCpuValue!: Float64Array;
  private jEffFlags!: Int32Array;
  private jEffAffinity!: Float64Array;
  private jEffPriority!: Int32Array;
  private jEffSched!: Int32Array;
  private jProcHead!: Int32Array;
  private jProcTail!: Int32Array;
  private jDropped!: Int32Array;
  private jPos!: Int32Array;
  private jSubtree!: Int32Array;
  // accounting
  private jUser!: Float64Array;
  private jKernel!: Float64Array;
  private jPUser!: Float64Array;
  private jPKernel!: Float64Array;
  private jFaults!: Float64Array;
  private jRdOps!: Float64Array;
  private jWrOps!: Float64Array;
  private jOtOps!: Float64Array;
  private jRdBytes!: Float64Array;
  private jWrBytes!: Float64Array;
  private jOtBytes!: Float64Array;
  private jCommit!: Float64Array;
  private jPeakProc!: Float64Array;
  private jPeakJob!: Float64Array;
  // limits as set
  private jProcTimeLimit!: Float64Array;
  private jJobTimeLimit!: Float64Array;
  private jMinWs!: Float64Array;
  private jMaxWs!: Float64Array;
  private jProcMemLimit!: Float64Array;
  private jJobMemLimit!: Float64Array;
  // limits in force (Infinity = none)
  private jEffJobMem!: Float64Array;
  private jEffJobTime!: Float64Array;
  private jEffProcMem!: Float64Array;
  private jEffProcTime!: Float64Array;
  private jEffMinWs!: Float64Array;
  private jEffMaxWs!: Float64Array;
  // scheduler scratch
  private jB!: Float64Array;
  private jH!: Float64Array;
  private jM!: Float64Array;
  private jS!: Float64Array;
  private jD!: Float64Array;
  private jA!: Float64Array;
  private jPD!: Float64Array;
  private jCD!: Float64Array;
  private jMinPD!: Float64Array;
  private jKR!: Int32Array;
  private jW!: Int32Array;
  private queues: (number[] | null)[] = [];

  /** Preorder of live jobs (roots by ascending id); rebuilt when the hierarchy changed. */
  private order: Int32Array = new Int32Array(16);
  private orderLen = 0;
  private orderDirty = true;

  // ---- process table ----------------------------------------------------------
  private pcap = 0;
  private pNextId = 1;
  private pFreeHead = 0;
  private pState!: Int32Array;
  private pJob!: Int32Array;
  private pThreads!: Int32Array;
  private pExit!: Int32Array;
  private pNext!: Int32Array;
  private pPrev!: Int32Array;
  private pUser!: Float64Array;
  private pKernel!: Float64Array;
  private pFaults!: Float64Array;
  private pRdOps!: Float64Array;
  private pWrOps!: Float64Array;
  private pOtOps!: Float64Array;
  private pRdBytes!: Float64Array;
  private pWrBytes!: Float64Array;
  private pOtBytes!: Float64Array;
  private pCommit!: Float64Array;
  private pPeak!: Float64Array;
  private pEffProcMem!: Float64Array;
  private pEffProcTime!: Float64Array;
  private pDemand!: Float64Array;
  private pGrant!: Float64Array;

  // ---- scheduler member scratch (general distribution path) ----
  private mcap = 0;
  private mId!: Int32Array;
  private mD!: Float64Array;
  private mW!: Float64Array;
  private mMin!: Float64Array;
  private mSoft!: Float64Array;
  private mOut!: Float64Array;
  private mCap!: Float64Array;
  private kill: Int32Array = new Int32Array(64);

  // ---- batch buffer ----
  private readonly batch: ChargeBuffer;

  constructor() {
    this.growJobs(16);
    this.growProcs(64);
    this.growMembers(64);
    const cap = JOBS_LIMITS.maxBatch;
    this.batch = {
      capacity: cap,
      process: new Int32Array(cap),
      kind: new Int32Array(cap),
      a: new Float64Array(cap),
      b: new Float64Array(cap),
      status: new Int32Array(cap),
    };
  }

  private growJobs(n: number): void {
    const i = (a: Int32Array | undefined) => (a ? growI32(a, n) : new Int32Array(n));
    const f = (a: Float64Array | undefined) => (a ? growF64(a, n) : new Float64Array(n));
    this.jFlags = i(this.jFlags); this.jParent = i(this.jParent); this.jFirstChild = i(this.jFirstChild);
    this.jLastChild = i(this.jLastChild); this.jNext = i(this.jNext); this.jPrev = i(this.jPrev);
    this.jChildCount = i(this.jChildCount); this.jProcRefs = i(this.jProcRefs); this.jActive = i(this.jActive);
    this.jTotalProcs = i(this.jTotalProcs); this.jTotalTerm = i(this.jTotalTerm); this.jLimitFlags = i(this.jLimitFlags);
    this.jActiveLimit = f(this.jActiveLimit); this.jAffinity = f(this.jAffinity); this.jPriority = i(this.jPriority);
    this.jSched = i(this.jSched); this.jEojAction = i(this.jEojAction); this.jCpuFlags = i(this.jCpuFlags);
    this.jCpuValue = f(this.jCpuValue); this.jEffFlags = i(this.jEffFlags); this.jEffAffinity = f(this.jEffAffinity);
    this.jEffPriority = i(this.jEffPriority); this.jEffSched = i(this.jEffSched); this.jProcHead = i(this.jProcHead);
    this.jProcTail = i(this.jProcTail); this.jDropped = i(this.jDropped); this.jPos = i(this.jPos); this.jSubtree = i(this.jSubtree);
    this.jUser = f(this.jUser); this.jKernel = f(this.jKernel); this.jPUser = f(this.jPUser); this.jPKernel = f(this.jPKernel);
    this.jFaults = f(this.jFaults); this.jRdOps = f(this.jRdOps); this.jWrOps = f(this.jWrOps); this.jOtOps = f(this.jOtOps);
    this.jRdBytes = f(this.jRdBytes); this.jWrBytes = f(this.jWrBytes); this.jOtBytes = f(this.jOtBytes);
    this.jCommit = f(this.jCommit); this.jPeakProc = f(this.jPeakProc); this.jPeakJob = f(this.jPeakJob);
    this.jProcTimeLimit = f(this.jProcTimeLimit); this.jJobTimeLimit = f(this.jJobTimeLimit); this.jMinWs = f(this.jMinWs);
    this.jMaxWs = f(this.jMaxWs); this.jProcMemLimit = f(this.jProcMemLimit); this.jJobMemLimit = f(this.jJobMemLimit);
    this.jEffJobMem = f(this.jEffJobMem); this.jEffJobTime = f(this.jEffJobTime); this.jEffProcMem = f(this.jEffProcMem);
    this.jEffProcTime = f(this.jEffProcTime); this.jEffMinWs = f(this.jEffMinWs); this.jEffMaxWs = f(this.jEffMaxWs);
    this.jB = f(this.jB); this.jH = f(this.jH); this.jM = f(this.jM); this.jS = f(this.jS); this.jD = f(this.jD);
    this.jA = f(this.jA); this.jPD = f(this.jPD); this.jCD = f(this.jCD); this.jMinPD = f(this.jMinPD);
    this.jKR = i(this.jKR); this.jW = i(this.jW);
    for (let k = this.queues.length; k < n; k++) this.queues.push(null);
    if (this.order.length < n) this.order = growI32(this.order, n);
    this.jcap = n;
  }

  private growProcs(n: number): void {
    const i = (a: Int32Array | undefined) => (a ? growI32(a, n) : new Int32Array(n));
    const f = (a: Float64Array | undefined) => (a ? growF64(a, n) : new Float64Array(n));
    this.pState = i(this.pState); this.pJob = i(this.pJob); this.pThreads = i(this.pThreads); this.pExit = i(this.pExit);
    this.pNext = i(this.pNext); this.pPrev = i(this.pPrev);
    this.pUser = f(this.pUser); this.pKernel = f(this.pKernel); this.pFaults = f(this.pFaults);
    this.pRdOps = f(this.pRdOps); this.pWrOps = f(this.pWrOps); this.pOtOps = f(this.pOtOps);
    this.pRdBytes = f(this.pRdBytes); this.pWrBytes = f(this.pWrBytes); this.pOtBytes = f(this.pOtBytes);
    this.pCommit = f(this.pCommit); this.pPeak = f(this.pPeak); this.pEffProcMem = f(this.pEffProcMem);
    this.pEffProcTime = f(this.pEffProcTime); this.pDemand = f(this.pDemand); this.pGrant = f(this.pGrant);
    this.pcap = n;
  }

  private growMembers(n: number): void {
    this.mId = new Int32Array(n);
    this.mD = new Float64Array(n);
    this.mW = new Float64Array(n);
    this.mMin = new Float64Array(n);
    this.mSoft = new Float64Array(n);
    this.mOut = new Float64Array(n);
    this.mCap = new Float64Array(n);
    this.mcap = n;
  }

  // ---- validity ------------------------------------------------------------------

  private isOpenJob(j: number): boolean {
    return j > 0 && j < this.jNextId && (this.jFlags[j]! & J_OPEN) !== 0;
  }
  /** 0 if the process is usable, else the status to return. */
  private checkActive(p: number): number {
    if (p <= 0 || p >= this.pNextId || this.pState[p] === P_FREE) return S.STATUS_INVALID_CID;
    if (this.pState[p] !== P_ACTIVE) return S.STATUS_PROCESS_IS_TERMINATING;
    return 0;
  }
  private systemMask(): number {
    return this.cpus >= 32 ? 0xffffffff : (1 << this.cpus) - 1;
  }

  // ---- host --------------------------------------------------------------------------

  configure(cpuCount: number, interval: number): number {
    cpuCount |= 0;
    interval |= 0;
    if (cpuCount < 1 || cpuCount > JOBS_LIMITS.maxCpus || interval < 1 || interval > JOBS_LIMITS.maxInterval) {
      return S.STATUS_INVALID_PARAMETER;
    }
    this.cpus = cpuCount;
    this.interval = interval;
    return S.STATUS_SUCCESS;
  }

  schedulerInformation(): SchedulerInformation {
    return { cpuCount: this.cpus, interval: this.interval, now: this.now, lastGranted: this.lastGranted };
  }

  // ---- notification queues -------------------------------------------------------------

  private enqueue(j: number, msg: number, p: number, src: number): void {
    let q = this.queues[j];
    if (!q) q = this.queues[j] = [];
    if (q.length >= 3 * JOBS_LIMITS.maxQueuedMessages) {
      this.jDropped[j]!++;
      return;
    }
    q.push(msg, p, src);
  }
  /** A message triggered by `src`, delivered to it and every ancestor (JOBOBJECT_ASSOCIATE_COMPLETION_PORT remarks). */
  private postChain(src: number, msg: number, p: number): void {
    for (let j = src; j !== 0; j = this.jParent[j]!) this.enqueue(j, msg, p, src);
  }

  readMessages(job: number, max: number = 64): MessagesResult {
    job |= 0;
    max |= 0;
    if (!this.isOpenJob(job)) return { status: S.STATUS_INVALID_HANDLE, messages: [], dropped: 0 };
    if (max < 1 || max > JOBS_LIMITS.maxReadMessages) return { status: S.STATUS_INVALID_PARAMETER, messages: [], dropped: 0 };
    const q = this.queues[job];
    const messages: JobMessage[] = [];
    if (q) {
      const n = Math.min(max, q.length / 3);
      for (let i = 0; i < n; i++) messages.push({ message: q[3 * i]!, process: q[3 * i + 1]!, job: q[3 * i + 2]! });
      q.splice(0, 3 * n);
    }
    return { status: S.STATUS_SUCCESS, messages, dropped: this.jDropped[job]! };
  }

  // ---- hierarchy -------------------------------------------------------------------------

  private ensureOrder(): void {
    if (!this.orderDirty) return;
    const parent = this.jParent, first = this.jFirstChild, next = this.jNext, flags = this.jFlags;
    const order = this.order, pos = this.jPos, sub = this.jSubtree;
    let n = 0;
    for (let r = 1; r < this.jNextId; r++) {
      if ((flags[r]! & J_LIVE) === 0 || parent[r] !== 0) continue;
      let k = r;
      for (;;) {
        order[n] = k;
        pos[k] = n;
        sub[k] = 1;
        n++;
        if (first[k] !== 0) {
          k = first[k]!;
          continue;
        }
        while (k !== r && next[k] === 0) k = parent[k]!;
        if (k === r) break;
        k = next[k]!;
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      const k = order[i]!;
      const p = parent[k]!;
      if (p !== 0) sub[p] += sub[k]!;
    }
    this.orderLen = n;
    this.orderDirty = false;
  }

  private linkChild(parent: number, j: number): void {
    this.jParent[j] = parent;
    this.jNext[j] = 0;
    this.jPrev[j] = this.jLastChild[parent]!;
    if (this.jLastChild[parent] !== 0) this.jNext[this.jLastChild[parent]!] = j;
    else this.jFirstChild[parent] = j;
    this.jLastChild[parent] = j;
    this.jChildCount[parent]!++;
    this.orderDirty = true;
  }

  /** Resolves the effective limits of one job from its parent's (Nested Jobs: "Job Limits and Notifications"). */
  private computeEffective(k: number): void {
    const par = this.jParent[k]!;
    const pf = par !== 0 ? this.jEffFlags[par]! : 0;
    const pm = par !== 0 ? this.jEffProcMem[par]! : INF;
    const pt = par !== 0 ? this.jEffProcTime[par]! : INF;
    const pa = par !== 0 ? this.jEffAffinity[par]! : 0;
    const pp = par !== 0 ? this.jEffPriority[par]! : 0;
    const ps = par !== 0 ? this.jEffSched[par]! : 0;
    const pmin = par !== 0 ? this.jEffMinWs[par]! : 0;
    const pmax = par !== 0 ? this.jEffMaxWs[par]! : 0;
    const lf = this.jLimitFlags[k]!;
    this.jEffFlags[k] = pf | (lf & EFFECTIVE_MASK);
    this.jEffProcMem[k] = (lf & L_PROCESS_MEMORY) !== 0 ? Math.min(pm, this.jProcMemLimit[k]!) : pm;
    this.jEffProcTime[k] = (lf & L_PROCESS_TIME) !== 0 ? Math.min(pt, this.jProcTimeLimit[k]!) : pt;
    if ((lf & L_AFFINITY) !== 0) {
      const own = this.jAffinity[k]!;
      // A nested job's affinity must be a subset of its parent's effective one; a superset is ignored.
      this.jEffAffinity[k] = (pf & L_AFFINITY) === 0 || (own >>> 0 & ~pa) >>> 0 === 0 ? own : pa;
    } else this.jEffAffinity[k] = pa;
    if ((lf & L_PRIORITY) !== 0) {
      const own = this.jPriority[k]!;
      this.jEffPriority[k] = (pf & L_PRIORITY) === 0 || priorityRank(own) < priorityRank(pp) ? own : pp;
    } else this.jEffPriority[k] = pp;
    if ((lf & L_SCHEDULING) !== 0) {
      const own = this.jSched[k]!;
      this.jEffSched[k] = (pf & L_SCHEDULING) === 0 || own < ps ? own : ps;
    } else this.jEffSched[k] = ps;
    if ((lf & L_WORKINGSET) !== 0) {
      const mn = this.jMinWs[k]!, mx = this.jMaxWs[k]!;
      this.jEffMinWs[k] = (pf & L_WORKINGSET) === 0 ? mn : Math.min(mn, pmin);
      this.jEffMaxWs[k] = (pf & L_WORKINGSET) === 0 ? mx : Math.min(mx, pmax);
    } else {
      this.jEffMinWs[k] = pmin;
      this.jEffMaxWs[k] = pmax;
    }
  }

  /** Recomputes effective limits over j's subtree, refreshes its processes' cached limits, then enforces per-process time limits. */
  private refreshSubtree(j: number): void {
    this.ensureOrder();
    const start = this.jPos[j]!, end = start + this.jSubtree[j]!;
    for (let i = start; i < end; i++) {
      const k = this.order[i]!;
      this.computeEffective(k);
      const mem = this.jEffProcMem[k]!, time = this.jEffProcTime[k]!;
      for (let p = this.jProcHead[k]!; p !== 0; p = this.pNext[p]!) {
        this.pEffProcMem[p] = mem;
        this.pEffProcTime[p] = time;
      }
    }
    for (let i = start; i < end; i++) {
      const k = this.order[i]!;
      for (let p = this.jProcHead[k]!; p !== 0; ) {
        const next = this.pNext[p]!;
        if (this.pUser[p]! >= this.pEffProcTime[p]!) this.endProcess(p, EXIT_QUOTA, R_LIMIT | R_PROCESS_TIME);
        p = next;
      }
    }
  }

  // ---- jobs ----------------------------------------------------------------------------

  createJob(parent: number = 0): JobResult {
    parent |= 0;
    if (parent !== 0 && !this.isOpenJob(parent)) return { status: S.STATUS_INVALID_HANDLE, job: 0 };
    let j = this.jFreeHead;
    if (j !== 0) this.jFreeHead = this.jNext[j]!;
    else {
      if (this.jNextId > JOBS_LIMITS.maxJobs) return { status: S.STATUS_INSUFFICIENT_RESOURCES, job: 0 };
      if (this.jNextId >= this.jcap) this.growJobs(this.jcap * 2);
      j = this.jNextId++;
    }
    this.resetJob(j);
    this.jFlags[j] = J_LIVE | J_OPEN;
    if (parent !== 0) this.linkChild(parent, j);
    else this.orderDirty = true;
    this.computeEffective(j);
    return { status: S.STATUS_SUCCESS, job: j };
  }

  private resetJob(j: number): void {
    const zi = [this.jFlags, this.jParent, this.jFirstChild, this.jLastChild, this.jNext, this.jPrev, this.jChildCount,
      this.jProcRefs, this.jActive, this.jTotalProcs, this.jTotalTerm, this.jLimitFlags, this.jPriority, this.jSched,
      this.jEojAction, this.jCpuFlags, this.jProcHead, this.jProcTail, this.jDropped];
    for (const a of zi) a[j] = 0;
    const zf = [this.jActiveLimit, this.jAffinity, this.jCpuValue, this.jUser, this.jKernel, this.jPUser, this.jPKernel,
      this.jFaults, this.jRdOps, this.jWrOps, this.jOtOps, this.jRdBytes, this.jWrBytes, this.jOtBytes, this.jCommit,
      this.jPeakProc, this.jPeakJob, this.jProcTimeLimit, this.jJobTimeLimit, this.jMinWs, this.jMaxWs,
      this.jProcMemLimit, this.jJobMemLimit];
    for (const a of zf) a[j] = 0;
    this.jEffJobMem[j] = INF;
    this.jEffJobTime[j] = INF;
    this.queues[j] = null;
  }

  private maybeFreeJob(j: number): void {
    while (j !== 0) {
      const f = this.jFlags[j]!;
      if ((f & J_OPEN) !== 0 || this.jChildCount[j] !== 0 || this.jProcRefs[j] !== 0) return;
      const par = this.jParent[j]!;
      if (par !== 0) {
        const prev = this.jPrev[j]!, next = this.jNext[j]!;
        if (prev !== 0) this.jNext[prev] = next;
        else this.jFirstChild[par] = next;
        if (next !== 0) this.jPrev[next] = prev;
        else this.jLastChild[par] = prev;
        this.jChildCount[par]!--;
      }
      this.jFlags[j] = 0;
      this.queues[j] = null;
      this.jNext[j] = this.jFreeHead;
      this.jFreeHead = j;
      this.orderDirty = true;
      j = par;
    }
  }

  closeJob(job: number): number {
    job |= 0;
    if (!this.isOpenJob(job)) return S.STATUS_INVALID_HANDLE;
    this.jFlags[job]! &= ~J_OPEN;
    // KILL_ON_JOB_CLOSE: "Causes all processes associated with the job to terminate when the last handle to the job is closed."
    if ((this.jLimitFlags[job]! & L_KILL_ON_CLOSE) !== 0) this.terminateTree(job, 0, 0);
    this.maybeFreeJob(job);
    return S.STATUS_SUCCESS;
  }

  terminateJob(job: number, exitCode: number): number {
    job |= 0;
    if (!this.isOpenJob(job)) return S.STATUS_INVALID_HANDLE;
    this.terminateTree(job, exitCode | 0, 0);
    return S.STATUS_SUCCESS;
  }

  jobParent(job: number): JobResult {
    job |= 0;
    if (!this.isOpenJob(job)) return { status: S.STATUS_INVALID_HANDLE, job: 0 };
    return { status: S.STATUS_SUCCESS, job: this.jParent[job]! };
  }

  /** Terminates j's subtree, bottom of the hierarchy first (reverse preorder), each job in process-list order. */
  private terminateTree(j: number, code: number, reason: number): void {
    this.ensureOrder();
    const start = this.jPos[j]!, end = start + this.jSubtree[j]!;
    for (let i = start; i < end; i++) this.jFlags[this.order[i]!]! |= J_TERMINATING;
    for (let i = end - 1; i >= start; i--) {
      const k = this.order[i]!;
      for (let p = this.jProcHead[k]!; p !== 0; ) {
        const next = this.pNext[p]!;
        this.endProcess(p, code, reason);
        p = next;
      }
    }
    for (let i = start; i < end; i++) this.jFlags[this.order[i]!]! &= ~J_TERMINATING;
  }

  /**
   * Job j's end-of-job time limit is reached (JOBOBJECT_END_OF_JOB_TIME_INFORMATION): POST_AT_END_OF_JOB
   * posts END_OF_JOB_TIME and clears the limit, processes go on; TERMINATE_AT_END_OF_JOB ends all the
   * job's processes with ERROR_NOT_ENOUGH_QUOTA and keeps new ones out until the limit is reset.
   */
  private endOfJobTime(j: number): void {
    if (this.jEojAction[j] === POST_AT_END) {
      this.jLimitFlags[j]! &= ~L_JOB_TIME;
      this.jJobTimeLimit[j] = 0;
      this.jEffJobTime[j] = INF;
      this.postChain(j, MSG_END_OF_JOB_TIME, 0);
    } else if ((this.jFlags[j]! & J_END_OF_JOB) === 0) {
      this.jFlags[j]! |= J_END_OF_JOB;
      this.terminateTree(j, EXIT_QUOTA, R_LIMIT);
    }
  }

  // ---- processes --------------------------------------------------------------------------

  private unlinkProcess(p: number, j: number): void {
    const prev = this.pPrev[p]!, next = this.pNext[p]!;
    if (prev !== 0) this.pNext[prev] = next;
    else this.jProcHead[j] = next;
    if (next !== 0) this.pPrev[next] = prev;
    else this.jProcTail[j] = prev;
  }
  /** Inserts p into job j's list, which is kept in ascending id order (see assembly/jobs/exit.ts). */
  private linkProcess(p: number, j: number): void {
    let after = this.jProcTail[j]!;
    while (after > p) after = this.pPrev[after]!;
    const before = after !== 0 ? this.pNext[after]! : this.jProcHead[j]!;
    this.pPrev[p] = after;
    this.pNext[p] = before;
    if (after !== 0) this.pNext[after] = p;
    else this.jProcHead[j] = p;
    if (before !== 0) this.pPrev[before] = p;
    else this.jProcTail[j] = p;
  }

  private endProcess(p: number, code: number, reason: number): void {
    const j0 = this.pJob[p]!;
    this.pState[p] = P_EXITED;
    this.pExit[p] = code;
    this.pThreads[p] = 0;
    this.unlinkProcess(p, j0);
    const commit = this.pCommit[p]!;
    this.pCommit[p] = 0;
    if (j0 === 0) return;
    // "The system sends this message after the process termination has been requested."
    if ((reason & R_PROCESS_TIME) !== 0) this.postChain(j0, MSG_END_OF_PROCESS_TIME, p);
    const msg = ABNORMAL_EXIT_CODES.has(code) ? MSG_ABNORMAL_EXIT : MSG_EXIT;
    for (let j = j0; j !== 0; j = this.jParent[j]!) {
      this.jActive[j]!--;
      this.jCommit[j] -= commit;
      if ((reason & R_LIMIT) !== 0) this.jTotalTerm[j]!++;
      if ((this.jFlags[j]! & J_TERMINATING) === 0) this.enqueue(j, msg, p, j0);
      if (this.jActive[j] === 0) this.enqueue(j, MSG_ZERO, 0, j);
    }
  }

  createProcess(parent: number, flags: number = 0): ProcessResult {
    parent |= 0;
    flags |= 0;
    if (parent !== 0) {
      const st = this.checkActive(parent);
      if (st !== 0) return { status: st, process: 0 };
    }
    if ((flags & ~CREATE_BREAKAWAY_FROM_JOB) !== 0) return { status: S.STATUS_INVALID_PARAMETER, process: 0 };
    let x = 0;
    if (parent !== 0) {
      const j = this.pJob[parent]!;
      if (j !== 0) {
        const bk = (flags & CREATE_BREAKAWAY_FROM_JOB) !== 0;
        if (bk && (this.jLimitFlags[j]! & (L_BREAKAWAY | L_SILENT)) === 0) return { status: S.STATUS_ACCESS_DENIED, process: 0 };
        // Nested Jobs: the child breaks away from the immediate job and from each job above it
        // that permits breakaway, stopping at the first that does not.
        const permits = (k: number) => (this.jLimitFlags[k]! & L_SILENT) !== 0 || (bk && (this.jLimitFlags[k]! & L_BREAKAWAY) !== 0);
        if (permits(j)) {
          x = this.jParent[j]!;
          while (x !== 0 && permits(x)) x = this.jParent[x]!;
        } else x = j;
      }
    }
    for (let k = x; k !== 0; k = this.jParent[k]!) if ((this.jFlags[k]! & J_END_OF_JOB) !== 0) return { status: S.STATUS_QUOTA_EXCEEDED, process: 0 };
    for (let k = x; k !== 0; k = this.jParent[k]!) {
      if ((this.jLimitFlags[k]! & L_ACTIVE) !== 0 && this.jActive[k]! + 1 > this.jActiveLimit[k]!) {
        for (let m = x; m !== 0; m = this.jParent[m]!) {
          this.jTotalProcs[m]!++;
          this.jTotalTerm[m]!++;
        }
        this.postChain(k, MSG_ACTIVE_LIMIT, 0);
        return { status: S.STATUS_QUOTA_EXCEEDED, process: 0 };
      }
    }
    let p = this.pFreeHead;
    if (p !== 0) this.pFreeHead = this.pNext[p]!;
    else {
      if (this.pNextId > JOBS_LIMITS.maxProcesses) return { status: S.STATUS_INSUFFICIENT_RESOURCES, process: 0 };
      if (this.pNextId >= this.pcap) this.growProcs(this.pcap * 2);
      p = this.pNextId++;
    }
    this.pState[p] = P_ACTIVE;
    this.pJob[p] = x;
    this.pThreads[p] = 0;
    this.pExit[p] = 0;
    this.pUser[p] = 0; this.pKernel[p] = 0; this.pFaults[p] = 0;
    this.pRdOps[p] = 0; this.pWrOps[p] = 0; this.pOtOps[p] = 0;
    this.pRdBytes[p] = 0; this.pWrBytes[p] = 0; this.pOtBytes[p] = 0;
    this.pCommit[p] = 0; this.pPeak[p] = 0;
    this.pEffProcMem[p] = x !== 0 ? this.jEffProcMem[x]! : INF;
    this.pEffProcTime[p] = x !== 0 ? this.jEffProcTime[x]! : INF;
    this.linkProcess(p, x);
    if (x !== 0) {
      this.jProcRefs[x]!++;
      for (let k = x; k !== 0; k = this.jParent[k]!) {
        this.jTotalProcs[k]!++;
        this.jActive[k]!++;
        this.enqueue(k, MSG_NEW, p, x);
      }
      if (this.pEffProcTime[p]! <= 0) this.endProcess(p, EXIT_QUOTA, R_LIMIT | R_PROCESS_TIME);
    }
    return { status: S.STATUS_SUCCESS, process: p };
  }

  assignProcess(job: number, process: number): number {
    job |= 0;
    const p = process | 0;
    if (!this.isOpenJob(job)) return S.STATUS_INVALID_HANDLE;
    const st = this.checkActive(p);
    if (st !== 0) return st;
    const x = this.pJob[p]!;
    if (job === x) return S.STATUS_SUCCESS;
    let nest = false;
    if (x !== 0) {
      if (this.jParent[job] !== 0) {
        // AssignProcessToJobObject: the target must be in the hierarchy the process already belongs
        // to, below its immediate job (anything else — a sibling branch, an ancestor — is no valid hierarchy).
        let k = this.jParent[job]!;
        while (k !== 0 && k !== x) k = this.jParent[k]!;
        if (k !== x) return S.STATUS_ACCESS_DENIED;
      } else {
        // A parentless job nests under the process's job only if it never had a process ("a child
        // job will always have a subset of processes in its parent job") and is not on its chain (a cycle).
        if (this.jTotalProcs[job] !== 0) return S.STATUS_ACCESS_DENIED;
        for (let k = x; k !== 0; k = this.jParent[k]!) if (k === job) return S.STATUS_ACCESS_DENIED;
        nest = true;
      }
    }
    // The jobs the process joins: `job` up to (not including) x; a job still to be nested is alone.
    for (let k = job; k !== x && k !== 0; k = this.jParent[k]!) {
      if ((this.jFlags[k]! & J_END_OF_JOB) !== 0) {
        // "If the job has a user-mode time limit, and the time limit has been exhausted,
        // AssignProcessToJobObject fails and the specified process is terminated."
        this.endProcess(p, EXIT_QUOTA, R_LIMIT);
        return S.STATUS_QUOTA_EXCEEDED;
      }
    }
    for (let k = job; k !== x && k !== 0; k = this.jParent[k]!) {
      if ((this.jLimitFlags[k]! & L_ACTIVE) !== 0 && this.jActive[k]! + 1 > this.jActiveLimit[k]!) {
        // TotalProcesses: "when a process is associated with a job, but the association fails
        // because of a limit violation, this value is incremented."
        for (let m = job; m !== x && m !== 0; m = this.jParent[m]!) {
          this.jTotalProcs[m]!++;
          this.jTotalTerm[m]!++;
        }
        this.postChain(k, MSG_ACTIVE_LIMIT, 0);
        // ActiveProcessLimit: "the process is terminated and the association fails."
        this.endProcess(p, EXIT_QUOTA, R_LIMIT);
        return S.STATUS_QUOTA_EXCEEDED;
      }
    }
    if (nest) {
      this.linkChild(x, job);
      this.refreshSubtree(job);
    }
    // "Memory operations performed by the process before it was associated with the job are not
    // examined by AssignProcessToJobObject": its commit joins the jobs' totals even past a limit.
    const commit = this.pCommit[p]!;
    this.unlinkProcess(p, x);
    if (x !== 0) this.jProcRefs[x]!--;
    this.linkProcess(p, job);
    this.jProcRefs[job]!++;
    this.pJob[p] = job;
    for (let k = job; k !== x && k !== 0; k = this.jParent[k]!) {
      this.jTotalProcs[k]!++;
      this.jActive[k]!++;
      // Accounting covers the process's whole life ("TotalUserTime … for all active processes associated with the job").
      this.jUser[k] += this.pUser[p]!;
      this.jKernel[k] += this.pKernel[p]!;
      this.jPUser[k] += this.pUser[p]!;
      this.jPKernel[k] += this.pKernel[p]!;
      this.jFaults[k] += this.pFaults[p]!;
      this.jRdOps[k] += this.pRdOps[p]!;
      this.jWrOps[k] += this.pWrOps[p]!;
      this.jOtOps[k] += this.pOtOps[p]!;
      this.jRdBytes[k] += this.pRdBytes[p]!;
      this.jWrBytes[k] += this.pWrBytes[p]!;
      this.jOtBytes[k] += this.pOtBytes[p]!;
      this.jCommit[k] += commit;
      if (this.jCommit[k]! > this.jPeakJob[k]!) this.jPeakJob[k] = this.jCommit[k]!;
      if (commit > this.jPeakProc[k]!) this.jPeakProc[k] = commit;
      this.enqueue(k, MSG_NEW, p, job);
    }
    this.pEffProcMem[p] = this.jEffProcMem[job]!;
    this.pEffProcTime[p] = this.jEffProcTime[job]!;
    if (this.pUser[p]! >= this.pEffProcTime[p]!) this.endProcess(p, EXIT_QUOTA, R_LIMIT | R_PROCESS_TIME);
    else this.afterJobTime(job);
    return S.STATUS_SUCCESS;
  }

  exitProcess(process: number, exitCode: number): number {
    const p = process | 0;
    const st = this.checkActive(p);
    if (st !== 0) return st;
    this.endProcess(p, exitCode | 0, 0);
    return S.STATUS_SUCCESS;
  }

  deleteProcess(process: number): number {
    const p = process | 0;
    if (p <= 0 || p >= this.pNextId || this.pState[p] === P_FREE) return S.STATUS_INVALID_CID;
    if (this.pState[p] === P_ACTIVE) return S.STATUS_INVALID_PARAMETER;
    const j = this.pJob[p]!;
    this.pState[p] = P_FREE;
    this.pJob[p] = 0;
    this.pNext[p] = this.pFreeHead;
    this.pFreeHead = p;
    if (j !== 0) {
      this.jProcRefs[j]!--;
      this.maybeFreeJob(j);
    }
    return S.STATUS_SUCCESS;
  }

  setRunnable(process: number, threads: number): number {
    const p = process | 0;
    threads |= 0;
    const st = this.checkActive(p);
    if (st !== 0) return st;
    if (threads < 0 || threads > JOBS_LIMITS.maxThreads) return S.STATUS_INVALID_PARAMETER;
    this.pThreads[p] = threads;
    return S.STATUS_SUCCESS;
  }

  queryProcess(process: number): Result<ProcessInformation> {
    const p = process | 0;
    if (p <= 0 || p >= this.pNextId || this.pState[p] === P_FREE) return { status: S.STATUS_INVALID_CID };
    return {
      status: S.STATUS_SUCCESS,
      info: {
        Job: this.pJob[p]!,
        Active: this.pState[p] === P_ACTIVE,
        ExitCode: this.pExit[p]! >>> 0,
        Threads: this.pThreads[p]!,
        UserTime: this.pUser[p]!,
        KernelTime: this.pKernel[p]!,
        PageFaultCount: this.pFaults[p]!,
        IoCounters: {
          ReadOperationCount: this.pRdOps[p]!,
          WriteOperationCount: this.pWrOps[p]!,
          OtherOperationCount: this.pOtOps[p]!,
          ReadTransferCount: this.pRdBytes[p]!,
          WriteTransferCount: this.pWrBytes[p]!,
          OtherTransferCount: this.pOtBytes[p]!,
        },
        PagefileUsage: this.pCommit[p]!,
        PeakPagefileUsage: this.pPeak[p]!,
      },
    };
  }

  // ---- accounting -----------------------------------------------------------------------------

  charge(process: number, kind: number, a: number, b: number = 0): number {
    return this.chargeOne(process | 0, kind | 0, a, b);
  }

  chargeBuffer(): ChargeBuffer {
    return this.batch;
  }

  chargeBatch(count: number): number {
    count |= 0;
    if (count < 0 || count > JOBS_LIMITS.maxBatch) return S.STATUS_INVALID_PARAMETER;
    const { process, kind, a, b, status } = this.batch;
    let failed = 0;
    for (let i = 0; i < count; i++) {
      const st = this.chargeOne(process[i]!, kind[i]!, a[i]!, b[i]!);
      status[i] = st;
      if (st !== 0) failed++;
    }
    return failed;
  }

  private chargeOne(p: number, kind: number, a: number, b: number): number {
    if (p <= 0 || p >= this.pNextId || this.pState[p] !== P_ACTIVE) {
      return p > 0 && p < this.pNextId && this.pState[p] === P_EXITED ? S.STATUS_PROCESS_IS_TERMINATING : S.STATUS_INVALID_CID;
    }
    const parent = this.jParent;
    const j0 = this.pJob[p]!;
    switch (kind) {
      case JobCharge.CpuTime: {
        if (!isQty(a) || !isQty(b)) return S.STATUS_INVALID_PARAMETER;
        // Time limits are never overshot: user time is charged up to the nearest limit that ends
        // processes (budget), which then acts; crossing a POST_AT_END_OF_JOB limit (posted) posts.
        let u = a;
        let budget = this.pEffProcTime[p]! - this.pUser[p]!;
        let posted = INF;
        for (let j = j0; j !== 0; j = parent[j]!) {
          const lim = this.jEffJobTime[j]!;
          if (lim !== INF) {
            const left = lim - this.jPUser[j]!;
            if (this.jEojAction[j] === POST_AT_END) {
              if (left < posted) posted = left;
            } else if (left < budget) budget = left;
          }
        }
        if (u > budget) u = budget > 0 ? budget : 0;
        this.pUser[p] += u;
        this.pKernel[p] += b;
        for (let j = j0; j !== 0; j = parent[j]!) {
          this.jUser[j] += u;
          this.jKernel[j] += b;
          this.jPUser[j] += u;
          this.jPKernel[j] += b;
        }
        // Only a charge that reaches a limit can make one act.
        if (u >= budget || u >= posted) return this.afterCpu(p, j0);
        return S.STATUS_SUCCESS;
      }
      case JobCharge.PageFaults: {
        if (!isQty(a)) return S.STATUS_INVALID_PARAMETER;
        this.pFaults[p] += a;
        for (let j = j0; j !== 0; j = parent[j]!) this.jFaults[j] += a;
        return S.STATUS_SUCCESS;
      }
      case JobCharge.ReadIo:
        return this.chargeIo(p, j0, this.pRdOps, this.pRdBytes, this.jRdOps, this.jRdBytes, a, b);
      case JobCharge.WriteIo:
        return this.chargeIo(p, j0, this.pWrOps, this.pWrBytes, this.jWrOps, this.jWrBytes, a, b);
      case JobCharge.OtherIo:
        return this.chargeIo(p, j0, this.pOtOps, this.pOtBytes, this.jOtOps, this.jOtBytes, a, b);
      case JobCharge.Commit: {
        if (!isSignedQty(a)) return S.STATUS_INVALID_PARAMETER;
        if (a > 0) {
          const nc = this.pCommit[p]! + a;
          // JOB_OBJECT_LIMIT_PROCESS_MEMORY / JOB_MEMORY: "When a process attempts to commit memory
          // that would exceed the … limit, it fails" and the job posts the matching message.
          if (nc > this.pEffProcMem[p]!) {
            if (j0 !== 0) this.postChain(j0, MSG_PROCESS_MEMORY, p);
            return S.STATUS_COMMITMENT_LIMIT;
          }
          for (let j = j0; j !== 0; j = parent[j]!) {
            if (this.jCommit[j]! + a > this.jEffJobMem[j]!) {
              this.postChain(j, MSG_JOB_MEMORY, p);
              return S.STATUS_COMMITMENT_LIMIT;
            }
          }
          this.pCommit[p] = nc;
          if (nc > this.pPeak[p]!) this.pPeak[p] = nc;
          for (let j = j0; j !== 0; j = parent[j]!) {
            const c = this.jCommit[j]! + a;
            this.jCommit[j] = c;
            if (c > this.jPeakJob[j]!) this.jPeakJob[j] = c;
            if (nc > this.jPeakProc[j]!) this.jPeakProc[j] = nc;
          }
        } else if (a < 0) {
          if (-a > this.pCommit[p]!) return S.STATUS_INVALID_PARAMETER;
          this.pCommit[p] += a;
          for (let j = j0; j !== 0; j = parent[j]!) this.jCommit[j] += a;
        }
        return S.STATUS_SUCCESS;
      }
      default:
        return S.STATUS_INVALID_PARAMETER;
    }
  }

  /** Operations and bytes of one IO_COUNTERS pair, onto the process and each job of its chain. */
  private chargeIo(p: number, j0: number, pOps: Float64Array, pBytes: Float64Array, jOps: Float64Array, jBytes: Float64Array, a: number, b: number): number {
    if (!isQty(a) || !isQty(b)) return S.STATUS_INVALID_PARAMETER;
    pOps[p] += a;
    pBytes[p] += b;
    for (let j = j0; j !== 0; j = this.jParent[j]!) {
      jOps[j] += a;
      jBytes[j] += b;
    }
    return S.STATUS_SUCCESS;
  }

  /** After user time was charged: the per-process limit, then the jobs' end-of-job time (afterJobTime). */
  private afterCpu(p: number, j0: number): number {
    if (this.pUser[p]! >= this.pEffProcTime[p]!) this.endProcess(p, EXIT_QUOTA, R_LIMIT | R_PROCESS_TIME);
    this.afterJobTime(j0);
    return this.pState[p] === P_ACTIVE ? S.STATUS_SUCCESS : S.STATUS_QUOTA_EXCEEDED;
  }

  /**
   * The end-of-job time limits on j0's chain that ThisPeriodTotalUserTime has reached act, innermost
   * first: POST_AT_END_OF_JOB posts and cancels the limit, TERMINATE_AT_END_OF_JOB terminates the
   * job's processes (JOBOBJECT_END_OF_JOB_TIME_INFORMATION).
   */
  private afterJobTime(j0: number): void {
    for (let j = j0; j !== 0; j = this.jParent[j]!) {
      const lim = this.jEffJobTime[j]!;
      if (lim === INF || this.jPUser[j]! < lim) continue;
      this.endOfJobTime(j);
    }
  }

  /** A query of an open job: STATUS_INVALID_HANDLE, or its information. */
  private query<T>(job: number, info: (j: number) => T): Result<T> {
    job |= 0;
    return this.isOpenJob(job) ? { status: S.STATUS_SUCCESS, info: info(job) } : { status: S.STATUS_INVALID_HANDLE };
  }

  queryAccounting(job: number): Result<BasicAndIoAccountingInformation> {
    return this.query(job, (j) => ({
      BasicInfo: {
        TotalUserTime: this.jUser[j]!,
        TotalKernelTime: this.jKernel[j]!,
        ThisPeriodTotalUserTime: this.jPUser[j]!,
        ThisPeriodTotalKernelTime: this.jPKernel[j]!,
        TotalPageFaultCount: this.jFaults[j]!,
        TotalProcesses: this.jTotalProcs[j]!,
        ActiveProcesses: this.jActive[j]!,
        TotalTerminatedProcesses: this.jTotalTerm[j]!,
      },
      IoInfo: {
        ReadOperationCount: this.jRdOps[j]!,
        WriteOperationCount: this.jWrOps[j]!,
        OtherOperationCount: this.jOtOps[j]!,
        ReadTransferCount: this.jRdBytes[j]!,
        WriteTransferCount: this.jWrBytes[j]!,
        OtherTransferCount: this.jOtBytes[j]!,
      },
    }));
  }

  // ---- limits ----------------------------------------------------------------------------------

  setExtendedLimits(job: number, info: ExtendedLimitInput): number {
    job |= 0;
    const bl = info.BasicLimitInformation;
    // Members left out read as 0, as in a zero-initialised structure.
    return this.setLimits(
      job, bl.LimitFlags | 0, (bl.ActiveProcessLimit ?? 0) | 0, (bl.PriorityClass ?? 0) | 0, (bl.SchedulingClass ?? 0) | 0,
      bl.PerProcessUserTimeLimit ?? 0, bl.PerJobUserTimeLimit ?? 0, bl.MinimumWorkingSetSize ?? 0, bl.MaximumWorkingSetSize ?? 0,
      bl.Affinity ?? 0, info.ProcessMemoryLimit ?? 0, info.JobMemoryLimit ?? 0,
    );
  }

  private setLimits(
    j: number, lf: number, active: number, priority: number, sched: number,
    procTime: number, jobTime: number, minWs: number, maxWs: number, affinity: number, procMem: number, jobMem: number,
  ): number {
    if (!this.isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
    const bad = S.STATUS_INVALID_PARAMETER;
    if ((lf & ~L_VALID) !== 0) return bad;
    if ((lf & L_JOB_TIME) !== 0 && (lf & L_PRESERVE) !== 0) return bad;
    // SUBSET_AFFINITY: "This value must be combined with JOB_OBJECT_LIMIT_AFFINITY."
    if ((lf & L_SUBSET_AFFINITY) !== 0 && (lf & L_AFFINITY) === 0) return bad;
    if ((lf & L_WORKINGSET) !== 0 && !(isQty(minWs) && isQty(maxWs) && minWs > 0 && maxWs > 0 && minWs <= maxWs)) return bad;
    if ((lf & L_PROCESS_TIME) !== 0 && !isQty(procTime)) return bad;
    if ((lf & L_JOB_TIME) !== 0 && !isQty(jobTime)) return bad;
    if ((lf & L_AFFINITY) !== 0 && !(isQty(affinity) && affinity !== 0 && affinity <= 0xffffffff && ((affinity >>> 0) & ~this.systemMask()) === 0)) return bad;
    if ((lf & L_PRIORITY) !== 0 && priorityRank(priority) < 0) return bad;
    if ((lf & L_SCHEDULING) !== 0 && sched >>> 0 > 9) return bad;
    if ((lf & L_PROCESS_MEMORY) !== 0 && !isQty(procMem)) return bad;
    if ((lf & L_JOB_MEMORY) !== 0 && !isQty(jobMem)) return bad;

    const keepJobTime = (lf & L_PRESERVE) !== 0 && (this.jLimitFlags[j]! & L_JOB_TIME) !== 0;
    let flags = lf & ~L_PRESERVE;
    if (keepJobTime) flags |= L_JOB_TIME;
    this.jLimitFlags[j] = flags;
    this.jProcTimeLimit[j] = (lf & L_PROCESS_TIME) !== 0 ? procTime : 0;
    if ((lf & L_JOB_TIME) !== 0) {
      // ThisPeriodTotal*Time: "set to 0 … each time a per-job user-mode time limit is established."
      this.jJobTimeLimit[j] = jobTime;
      this.jEffJobTime[j] = jobTime;
      this.jPUser[j] = 0;
      this.jPKernel[j] = 0;
    } else if (!keepJobTime) {
      this.jJobTimeLimit[j] = 0;
      this.jEffJobTime[j] = INF;
    }
    this.jMinWs[j] = (lf & L_WORKINGSET) !== 0 ? minWs : 0;
    this.jMaxWs[j] = (lf & L_WORKINGSET) !== 0 ? maxWs : 0;
    this.jActiveLimit[j] = (lf & L_ACTIVE) !== 0 ? active >>> 0 : 0;
    this.jAffinity[j] = (lf & L_AFFINITY) !== 0 ? affinity : 0;
    this.jPriority[j] = (lf & L_PRIORITY) !== 0 ? priority : 0;
    this.jSched[j] = (lf & L_SCHEDULING) !== 0 ? sched : 0;
    this.jProcMemLimit[j] = (lf & L_PROCESS_MEMORY) !== 0 ? procMem : 0;
    this.jJobMemLimit[j] = (lf & L_JOB_MEMORY) !== 0 ? jobMem : 0;
    this.jEffJobMem[j] = (lf & L_JOB_MEMORY) !== 0 ? jobMem : INF;
    this.jFlags[j]! &= ~J_END_OF_JOB;
    this.refreshSubtree(j);
    if (this.jEffJobTime[j] !== INF && this.jPUser[j]! >= this.jEffJobTime[j]!) this.endOfJobTime(j);
    return S.STATUS_SUCCESS;
  }

  queryExtendedLimits(job: number): Result<ExtendedLimitInformation> {
    return this.query(job, (j) => ({
      BasicLimitInformation: {
        PerProcessUserTimeLimit: this.jProcTimeLimit[j]!,
        PerJobUserTimeLimit: this.jJobTimeLimit[j]!,
        LimitFlags: this.jLimitFlags[j]!,
        MinimumWorkingSetSize: this.jMinWs[j]!,
        MaximumWorkingSetSize: this.jMaxWs[j]!,
        ActiveProcessLimit: this.jActiveLimit[j]!,
        Affinity: this.jAffinity[j]!,
        PriorityClass: this.jPriority[j]!,
        SchedulingClass: this.jSched[j]!,
      },
      IoInfo: { ReadOperationCount: 0, WriteOperationCount: 0, OtherOperationCount: 0, ReadTransferCount: 0, WriteTransferCount: 0, OtherTransferCount: 0 },
      ProcessMemoryLimit: this.jProcMemLimit[j]!,
      JobMemoryLimit: this.jJobMemLimit[j]!,
      PeakProcessMemoryUsed: this.jPeakProc[j]!,
      PeakJobMemoryUsed: this.jPeakJob[j]!,
    }));
  }

  queryEffectiveLimits(job: number): Result<EffectiveLimits> {
    return this.query(job, (j) => {
      const f = this.jEffFlags[j]!;
      return {
        LimitFlags: f,
        PerProcessUserTimeLimit: (f & L_PROCESS_TIME) !== 0 ? this.jEffProcTime[j]! : 0,
        ProcessMemoryLimit: (f & L_PROCESS_MEMORY) !== 0 ? this.jEffProcMem[j]! : 0,
        Affinity: this.jEffAffinity[j]!,
        PriorityClass: this.jEffPriority[j]!,
        SchedulingClass: this.jEffSched[j]!,
        MinimumWorkingSetSize: this.jEffMinWs[j]!,
        MaximumWorkingSetSize: this.jEffMaxWs[j]!,
      };
    });
  }


  setCpuRateControl(job: number, info: CpuRateControlInformation): number {
    return this.setCpuRate(job | 0, info.ControlFlags | 0, (info.CpuRate ?? 0) | 0, (info.Weight ?? 0) | 0, (info.MinRate ?? 0) | 0, (info.MaxRate ?? 0) | 0);
  }

  private setCpuRate(j: number, cf: number, rate: number, weight: number, minRate: number, maxRate: number): number {
    if (!this.isOpenJob(j)) return S.STATUS_INVALID_HANDLE;
    const bad = S.STATUS_INVALID_PARAMETER;
    if ((cf & ~CPU_VALID) !== 0) return bad;
    if (cf !== 0 && (cf & CPU_ENABLE) === 0) return bad;
    if ((cf & CPU_WEIGHT) !== 0 && (cf & (CPU_HARD_CAP | CPU_MIN_MAX)) !== 0) return bad;
    if ((cf & CPU_HARD_CAP) !== 0 && (cf & CPU_MIN_MAX) !== 0) return bad;
    let value = 0;
    if (cf === 0) value = 0;
    else if ((cf & CPU_WEIGHT) !== 0) {
      const w = weight >>> 0;
      if (w < 1 || w > JOBS_LIMITS.maxWeight) return bad;
      value = w;
    } else if ((cf & CPU_MIN_MAX) !== 0) {
      const mn = minRate >>> 0, mx = maxRate >>> 0;
      if (mx < 1 || mx > RATE_SCALE || mn > mx) return bad;
      value = mn + mx * 65536;
    } else {
      const r = rate >>> 0;
      if (r < 1 || r > RATE_SCALE) return bad;
      value = r;
    }
    this.jCpuFlags[j] = cf;
    this.jCpuValue[j] = value;
    this.jFlags[j]! &= ~J_OVER_RATE;
    return S.STATUS_SUCCESS;
  }

  queryCpuRateControl(job: number): Result<Required<CpuRateControlInformation>> {
    return this.query(job, (j) => {
      const v = this.jCpuValue[j]!;
      return { ControlFlags: this.jCpuFlags[j]!, CpuRate: v, Weight: v, MinRate: v % 65536, MaxRate: Math.floor(v / 65536) };
    });
  }

  setEndOfJobTimeAction(job: number, action: number): number {
    job |= 0;
    if (!this.isOpenJob(job)) return S.STATUS_INVALID_HANDLE;
    const a = action >>> 0;
    if (a > POST_AT_END) return S.STATUS_INVALID_PARAMETER;
    this.jEojAction[job] = a;
    return S.STATUS_SUCCESS;
  }

  // ---- scheduler -----------------------------------------------------------------------------------

  /**
   * One scheduling interval. See assembly/jobs/scheduler.ts for the policy;
   * this is the same algorithm in the same order.
   */
  tick(): number {
    this.ensureOrder();
    const order = this.order, n = this.orderLen;
    const parent = this.jParent, interval = this.interval;
    const C = this.cpus * interval;
    const sysMask = this.systemMask();
    // Pass 0, top-down: rate bases, caps, guarantees, soft rates, weights.
    for (let i = 0; i < n; i++) {
      const j = order[i]!;
      const par = parent[j]!;
      const base = par !== 0 ? this.jB[par]! : C;
      const cf = this.jCpuFlags[j]!, v = this.jCpuValue[j]!;
      let B = base, H = INF, M = 0, Sft = INF, w: number = DEFAULT_WEIGHT;
      if ((cf & CPU_ENABLE) !== 0) {
        if ((cf & CPU_WEIGHT) !== 0) w = v;
        else if ((cf & CPU_MIN_MAX) !== 0) {
          H = Math.floor((base * Math.floor(v / 65536)) / RATE_SCALE);
          B = H;
          M = Math.floor((base * (v % 65536)) / RATE_SCALE);
        } else {
          const x = Math.floor((base * v) / RATE_SCALE);
          B = x;
          if ((cf & CPU_HARD_CAP) !== 0) H = x;
          else Sft = x;
        }
      }
      if ((this.jEffFlags[j]! & L_AFFINITY) !== 0) {
        const cap = popcount((this.jEffAffinity[j]! >>> 0) & sysMask) * interval;
        if (cap < H) H = cap;
      }
      const lim = this.jEffJobTime[j]!;
      if (lim !== INF && this.jEojAction[j] !== POST_AT_END) {
        const left = lim - this.jPUser[j]!;
        if (left < H) H = left > 0 ? left : 0;
      }
      this.jB[j] = B;
      this.jH[j] = H;
      this.jM[j] = M;
      this.jS[j] = Sft;
      this.jW[j] = w;
      this.jCD[j] = 0;
    }
    // Pass 1, bottom-up: demands.
    let rootCD = 0;
    for (let i = n - 1; i >= 0; i--) {
      const j = order[i]!;
      const pd = this.processDemands(j, sysMask);
      const total = pd + this.jCD[j]!;
      const D = total < this.jH[j]! ? total : this.jH[j]!;
      this.jD[j] = D;
      const par = parent[j]!;
      if (par !== 0) this.jCD[par] += D;
      else rootCD += D;
    }
    const rootPD = this.processDemands(0, sysMask);
    // Pass 2, top-down: hand out.
    const rootTotal = rootPD + rootCD;
    const A = rootTotal < C ? rootTotal : C;
    this.distributeGeneral(0, A);
    for (let i = 0; i < n; i++) {
      const j = order[i]!;
      const a = this.jA[j]!;
      this.jUser[j] += a;
      this.jPUser[j] += a;
      if (this.jChildCount[j] === 0) this.distributeProcesses(j, a);
      else this.distributeGeneral(j, a);
    }
    // CPU rate NOTIFY: "Sends messages when the CPU rate for the job exceeds the rate limits".
    for (let i = 0; i < n; i++) {
      const j = order[i]!;
      if ((this.jCpuFlags[j]! & CPU_NOTIFY) === 0) continue;
      if (this.jA[j]! > this.jS[j]!) {
        if ((this.jFlags[j]! & J_OVER_RATE) === 0) {
          this.jFlags[j]! |= J_OVER_RATE;
          this.postChain(j, MSG_NOTIFICATION, 0);
        }
      } else this.jFlags[j]! &= ~J_OVER_RATE;
    }
    // Time limits reached during the interval: processes first, in ascending id order, then jobs (preorder).
    const kills = this.killCount;
    this.killCount = 0;
    this.kill.subarray(0, kills).sort();
    for (let i = 0; i < kills; i++) {
      const p = this.kill[i]!;
      if (this.pState[p] === P_ACTIVE) this.endProcess(p, EXIT_QUOTA, R_LIMIT | R_PROCESS_TIME);
    }
    for (let i = 0; i < n; i++) {
      const j = order[i]!;
      const lim = this.jEffJobTime[j]!;
      if (lim === INF || this.jPUser[j]! < lim) continue;
      this.endOfJobTime(j);
    }
    this.lastGranted = A;
    this.now += interval;
    return S.STATUS_SUCCESS;
  }

  private killCount = 0;

  /** Demand of each runnable process of job j (0 = the job-less root): threads × interval, capped by affinity and the per-process time budget. */
  private processDemands(j: number, sysMask: number): number {
    const interval = this.interval;
    let avail = this.cpus;
    if (j !== 0 && (this.jEffFlags[j]! & L_AFFINITY) !== 0) avail = popcount((this.jEffAffinity[j]! >>> 0) & sysMask);
    let sum = 0, min = INF, kr = 0;
    for (let p = this.jProcHead[j]!; p !== 0; p = this.pNext[p]!) {
      const t = this.pThreads[p]!;
      let d = (t < avail ? t : avail) * interval;
      const left = this.pEffProcTime[p]! - this.pUser[p]!;
      if (left < d) d = left;
      this.pDemand[p] = d;
      if (d > 0) {
        sum += d;
        kr++;
        if (d < min) min = d;
      }
    }
    this.jPD[j] = sum;
    this.jMinPD[j] = min;
    this.jKR[j] = kr;
    return sum;
  }

  private grantProcess(p: number, g: number): void {
    const u = this.pUser[p]! + g;
    this.pUser[p] = u;
    if (u >= this.pEffProcTime[p]!) {
      if (this.killCount === this.kill.length) this.kill = growI32(this.kill, this.kill.length * 2);
      this.kill[this.killCount++] = p;
    }
  }

  /**
   * Job j's grant `A` among its runnable processes only (equal weights): the
   * equal-weight case of the water-filling in distributeGeneral, done in place.
   */
  private distributeProcesses(j: number, A: number): void {
    if (A <= 0) return;
    const head = this.jProcHead[j]!;
    if (A >= this.jPD[j]!) {
      for (let p = head; p !== 0; p = this.pNext[p]!) {
        const d = this.pDemand[p]!;
        if (d > 0) this.grantProcess(p, d);
      }
      return;
    }
    // Mark the runnable ones undecided (grant −1), then fill level by level.
    let k = this.jKR[j]!;
    for (let p = head; p !== 0; p = this.pNext[p]!) this.pGrant[p] = this.pDemand[p]! > 0 ? -1 : 0;
    let minD = this.jMinPD[j]!;
    for (;;) {
      const A0 = A;
      const level = Math.floor(A0 / k);
      if (minD <= level) {
        let nextMin = INF;
        for (let p = head; p !== 0; p = this.pNext[p]!) {
          if (this.pGrant[p] !== -1) continue;
          const d = this.pDemand[p]!;
          if (d <= level) {
            this.pGrant[p] = d;
            this.grantProcess(p, d);
            A -= d;
            k--;
          } else if (d < nextMin) nextMin = d;
        }
        minD = nextMin;
        if (k === 0 || A <= 0) return;
        continue;
      }
      let rem = A0 - level * k;
      for (let p = head; p !== 0; p = this.pNext[p]!) {
        if (this.pGrant[p] !== -1) continue;
        let g = level;
        if (rem > 0) {
          g += 1;
          rem -= 1;
        }
        this.pGrant[p] = g;
        if (g > 0) this.grantProcess(p, g);
      }
      return;
    }
  }

  /**
   * Node j's grant `A` (j = 0: the host) among its members — child jobs in
   * child order, then runnable processes in list order: guarantees (MinRate)
   * first, then weighted water-filling up to soft rates, then spare CPU to
   * soft-rated members.
   */
  private distributeGeneral(j: number, A: number): void {
    // Collect members.
    let n = 0;
    const need = (j === 0 ? this.orderLen : this.jChildCount[j]!) + this.countProcs(j);
    if (need > this.mcap) this.growMembers(Math.max(need, this.mcap * 2));
    const mId = this.mId, mD = this.mD, mW = this.mW, mMin = this.mMin, mSoft = this.mSoft, mOut = this.mOut;
    if (j === 0) {
      for (let i = 0; i < this.orderLen; i++) {
        const c = this.order[i]!;
        if (this.jParent[c] !== 0) continue;
        mId[n] = c; mD[n] = this.jD[c]!; mW[n] = this.jW[c]!; mMin[n] = this.jM[c]!; mSoft[n] = this.jS[c]!; mOut[n] = 0;
        n++;
      }
    } else {
      for (let c = this.jFirstChild[j]!; c !== 0; c = this.jNext[c]!) {
        mId[n] = c; mD[n] = this.jD[c]!; mW[n] = this.jW[c]!; mMin[n] = this.jM[c]!; mSoft[n] = this.jS[c]!; mOut[n] = 0;
        n++;
      }
    }
    for (let p = this.jProcHead[j]!; p !== 0; p = this.pNext[p]!) {
      mId[n] = -p; mD[n] = this.pDemand[p]!; mW[n] = DEFAULT_WEIGHT; mMin[n] = 0; mSoft[n] = INF; mOut[n] = 0;
      n++;
    }
    if (A > 0) {
      const cap = this.mCap;
      // Phase 1: guarantees.
      let sumG = 0;
      for (let i = 0; i < n; i++) {
        const g = mD[i]! < mMin[i]! ? mD[i]! : mMin[i]!;
        cap[i] = g;
        sumG += g;
      }
      if (sumG > 0) A -= this.waterfill(A, n);
      // Phase 2: contention, up to soft rates.
      if (A > 0) {
        for (let i = 0; i < n; i++) {
          const lim = mD[i]! < mSoft[i]! ? mD[i]! : mSoft[i]!;
          const c = lim - mOut[i]!;
          cap[i] = c > 0 ? c : 0;
        }
        A -= this.waterfill(A, n);
      }
      // Phase 3: what is left goes to soft-rated members.
      if (A > 0) {
        for (let i = 0; i < n; i++) cap[i] = mD[i]! - mOut[i]!;
        A -= this.waterfill(A, n);
      }
    }
    for (let i = 0; i < n; i++) {
      const id = mId[i]!;
      if (id > 0) this.jA[id] = mOut[i]!;
      else if (mOut[i]! > 0) this.grantProcess(-id, mOut[i]!);
    }
  }

  private countProcs(j: number): number {
    let n = 0;
    for (let p = this.jProcHead[j]!; p !== 0; p = this.pNext[p]!) n++;
    return n;
  }

  /**
   * Weighted max-min water-filling of `A` over members 0 … n−1 with caps
   * mCap (added to mOut). Each round every member's share is
   * floor(A0 · w / W); members whose cap fits their share get their cap and
   * leave; when none fits, each takes its share and the remainder goes one
   * unit at a time to the first members in order. Returns what it gave.
   */
  private waterfill(A: number, n: number): number {
    const cap = this.mCap, w = this.mW, out = this.mOut;
    let total = 0;
    for (let i = 0; i < n; i++) total += cap[i]!;
    if (total <= A) {
      for (let i = 0; i < n; i++) out[i] += cap[i]!;
      return total;
    }
    // cap −1 marks a member that has left.
    for (let i = 0; i < n; i++) if (cap[i]! <= 0) cap[i] = -1;
    let given = 0;
    for (;;) {
      let W = 0;
      for (let i = 0; i < n; i++) if (cap[i]! >= 0) W += w[i]!;
      if (W === 0) return given;
      const A0 = A;
      let saturated = false;
      for (let i = 0; i < n; i++) {
        const c = cap[i]!;
        if (c < 0) continue;
        if (c <= Math.floor((A0 * w[i]!) / W)) {
          out[i] += c;
          A -= c;
          given += c;
          cap[i] = -1;
          saturated = true;
        }
      }
      if (saturated) {
        if (A <= 0) return given;
        continue;
      }
      let rem = A0;
      for (let i = 0; i < n; i++) {
        if (cap[i]! < 0) continue;
        const s = Math.floor((A0 * w[i]!) / W);
        out[i] += s;
        rem -= s;
      }
      given += A0 - rem;
      for (let i = 0; i < n && rem > 0; i++) {
        if (cap[i]! < 0) continue;
        out[i] += 1;
        rem -= 1;
        given += 1;
      }
      return given;
    }
  }
}
