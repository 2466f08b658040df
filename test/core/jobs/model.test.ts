// Model-based: random sequences of job object operations give identical
// results (every status, id, query and message) on the WASM module and the
// TypeScript reference, and after every step the invariants hold:
//  - a job's totals are the sum over the processes ever associated with it
//    (its own and its child jobs'), and its active count and commit the sum
//    over those still active;
//  - no limit is exceeded by an accepted charge or a tick (a commit that
//    succeeded leaves every job memory limit and the process memory limit
//    respected; user time never passes a per-process or a TERMINATE per-job
//    time limit that it had not already passed).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  CREATE_BREAKAWAY_FROM_JOB,
  JOB_OBJECT_CPU_RATE_CONTROL_ENABLE as ENABLE,
  JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP as HARD_CAP,
  JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE as MIN_MAX,
  JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY as NOTIFY,
  JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED as WEIGHT,
  JOB_OBJECT_LIMIT_ACTIVE_PROCESS as L_ACTIVE,
  JOB_OBJECT_LIMIT_AFFINITY as L_AFFINITY,
  JOB_OBJECT_LIMIT_BREAKAWAY_OK as L_BREAKAWAY,
  JOB_OBJECT_LIMIT_JOB_MEMORY as L_JOB_MEMORY,
  JOB_OBJECT_LIMIT_JOB_TIME as L_JOB_TIME,
  JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE as L_KILL,
  JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME as L_PRESERVE,
  JOB_OBJECT_LIMIT_PRIORITY_CLASS as L_PRIORITY,
  JOB_OBJECT_LIMIT_PROCESS_MEMORY as L_PROCESS_MEMORY,
  JOB_OBJECT_LIMIT_PROCESS_TIME as L_PROCESS_TIME,
  JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK as L_SILENT,
  JOB_OBJECT_LIMIT_WORKINGSET as L_WORKINGSET,
  JOB_OBJECT_POST_AT_END_OF_JOB,
  JobCharge,
  type JobObjects,
  type ProcessInformation,
} from '../../../src/core/jobs/index.js';
import { propertyChunks, yieldToEventLoop } from '../../support/budget.js';
import { IMPLS } from './support.js';

// ---- operations ----------------------------------------------------------------

/** A job or process: an index into the ids handed out so far, or a raw (mostly bad) id. */
const ref = fc.oneof({ weight: 12, arbitrary: fc.nat(9).map((i) => ({ i })) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 40, 2 ** 31).map((raw) => ({ raw })) });
type Ref = { i: number } | { raw: number };
const code = fc.constantFrom(0, 1, 1816, 0xc0000005 | 0, 0xc000013a | 0);
const qty = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 400 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 0.5, NaN, 2 ** 53, 1e6) });
const charge = fc.record({
  p: ref,
  kind: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 7) }),
  a: qty,
  b: qty,
  release: fc.boolean(),
});
type Charge = typeof charge extends fc.Arbitrary<infer C> ? C : never;
const limitFlags = fc.array(
  fc.constantFrom(L_ACTIVE, L_AFFINITY, L_BREAKAWAY, L_JOB_MEMORY, L_JOB_TIME, L_KILL, L_PRESERVE, L_PRIORITY, L_PROCESS_MEMORY, L_PROCESS_TIME, L_SILENT, L_WORKINGSET),
  { maxLength: 4 },
).map((fs) => fs.reduce((a, f) => a | f, 0));
const control = fc.oneof(
  fc.constant({ ControlFlags: 0 }),
  fc.integer({ min: 0, max: 10_001 }).map((CpuRate) => ({ ControlFlags: ENABLE | HARD_CAP, CpuRate })),
  fc.integer({ min: 1, max: 10_000 }).map((CpuRate) => ({ ControlFlags: ENABLE | NOTIFY, CpuRate })),
  fc.integer({ min: 0, max: 10 }).map((Weight) => ({ ControlFlags: ENABLE | WEIGHT, Weight })),
  fc.tuple(fc.integer({ min: 0, max: 6000 }), fc.integer({ min: 0, max: 10_000 })).map(([MinRate, MaxRate]) => ({ ControlFlags: ENABLE | MIN_MAX, MinRate, MaxRate })),
  fc.constant({ ControlFlags: HARD_CAP, CpuRate: 5 }),
);

const op = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('job' as const), parent: fc.oneof(fc.constant({ raw: 0 } as Ref), ref) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('close' as const), j: ref }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('terminate' as const), j: ref, code }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('process' as const), parent: fc.oneof(fc.constant({ raw: 0 } as Ref), ref), breakaway: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('assign' as const), j: ref, p: ref }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('exit' as const), p: ref, code }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('delete' as const), p: ref }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('runnable' as const), p: ref, threads: fc.integer({ min: -1, max: 3 }) }) },
  { weight: 8, arbitrary: fc.record({ k: fc.constant('charge' as const), c: charge }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('batch' as const), cs: fc.array(charge, { maxLength: 8 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('limits' as const), j: ref, flags: limitFlags,
      v: fc.record({ procTime: qty, jobTime: qty, procMem: qty, jobMem: qty, active: fc.integer({ min: 0, max: 3 }), affinity: fc.integer({ min: 0, max: 31 }), priority: fc.constantFrom(0x20, 0x40, 0x4000, 7), ws: fc.tuple(qty, qty) }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('memory' as const), j: ref, jobMem: fc.integer({ min: 0, max: 800 }), procMem: fc.integer({ min: 0, max: 500 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('time' as const), j: ref, procTime: fc.integer({ min: 0, max: 2_000_000 }), jobTime: fc.integer({ min: 0, max: 3_000_000 }), post: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('cpu' as const), j: ref, control }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('eoj' as const), j: ref, action: fc.constantFrom(0, 1, 2) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('read' as const), j: ref, max: fc.constantFrom(1, 3, 64, 0) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('tick' as const), n: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('configure' as const), cpus: fc.integer({ min: 0, max: 5 }), interval: fc.constantFrom(0, 100, 1000, 100_000) }) },
);
type Op = typeof op extends fc.Arbitrary<infer O> ? O : never;

// ---- one implementation with its shadow bookkeeping ------------------------------

/** A process incarnation: the jobs it was ever associated with, and what it last reported. */
interface ProcessShadow {
  jobs: Set<string>;
  info: ProcessInformation;
}

class Subject {
  readonly jobIds: number[] = [];
  readonly procIds: number[] = [];
  private readonly jobGen = new Map<number, number>();
  private readonly procGen = new Map<number, number>();
  /** Parent id of each job incarnation. */
  private readonly parent = new Map<string, number>();
  private readonly shadows = new Map<string, ProcessShadow>();
  /** Jobs whose end-of-job action is POST (their time limit does not end processes). */
  private readonly posting = new Set<string>();

  constructor(readonly jobs: JobObjects) {}

  private id(r: Ref, ids: number[]): number {
    return 'raw' in r ? r.raw : (ids[r.i % Math.max(ids.length, 1)] ?? r.i + 1);
  }
  private jobKey(j: number): string {
    return `${j}#${this.jobGen.get(j) ?? 0}`;
  }
  private procKey(p: number): string {
    return `${p}#${this.procGen.get(p) ?? 0}`;
  }
  private maxJob(): number {
    return Math.max(0, ...this.jobIds);
  }
  private maxProc(): number {
    return Math.max(0, ...this.procIds);
  }

  /** Applies one operation; returns everything it answered. */
  apply(o: Op): unknown {
    const J = this.jobs;
    const job = (r: Ref) => this.id(r, this.jobIds);
    const proc = (r: Ref) => this.id(r, this.procIds);
    const chargeArgs = (c: Charge) =>
      [proc(c.p), c.kind, c.kind === JobCharge.Commit && c.release ? -c.a : c.a, c.b] as const;
    switch (o.k) {
      case 'job': {
        const parent = job(o.parent);
        const r = J.createJob(parent);
        if (r.status === 0) {
          this.jobGen.set(r.job, (this.jobGen.get(r.job) ?? 0) + 1);
          this.parent.set(this.jobKey(r.job), parent);
          if (!this.jobIds.includes(r.job)) this.jobIds.push(r.job);
        }
        return r;
      }
      case 'close':
        return J.closeJob(job(o.j));
      case 'terminate':
        return J.terminateJob(job(o.j), o.code);
      case 'process': {
        const r = J.createProcess(proc(o.parent), o.breakaway ? CREATE_BREAKAWAY_FROM_JOB : 0);
        if (r.status === 0) {
          this.procGen.set(r.process, (this.procGen.get(r.process) ?? 0) + 1);
          if (!this.procIds.includes(r.process)) this.procIds.push(r.process);
        }
        return r;
      }
      case 'assign': {
        const j = job(o.j);
        const st = J.assignProcess(j, proc(o.p));
        // A parentless job may have been nested under the process's job.
        const par = J.jobParent(j);
        if (par.status === 0) this.parent.set(this.jobKey(j), par.job);
        return st;
      }
      case 'exit':
        return J.exitProcess(proc(o.p), o.code);
      case 'delete':
        return J.deleteProcess(proc(o.p));
      case 'runnable':
        return J.setRunnable(proc(o.p), o.threads);
      case 'charge': {
        const [p, kind, a, b] = chargeArgs(o.c);
        const before = this.snapshot();
        const st = J.charge(p, kind, a, b);
        this.checkLimits(before, st === 0 && kind === JobCharge.Commit && a > 0 ? p : 0);
        return st;
      }
      case 'batch': {
        const buf = J.chargeBuffer();
        o.cs.forEach((c, i) => {
          const [p, kind, a, b] = chargeArgs(c);
          buf.process[i] = p;
          buf.kind[i] = kind;
          buf.a[i] = a;
          buf.b[i] = b;
        });
        const before = this.snapshot();
        const failed = J.chargeBatch(o.cs.length);
        this.checkLimits(before, 0);
        return [failed, Array.from(J.chargeBuffer().status.subarray(0, o.cs.length))];
      }
      case 'limits': {
        const v = o.v;
        return J.setExtendedLimits(job(o.j), {
          BasicLimitInformation: {
            LimitFlags: o.flags, PerProcessUserTimeLimit: v.procTime, PerJobUserTimeLimit: v.jobTime, ActiveProcessLimit: v.active,
            Affinity: v.affinity, PriorityClass: v.priority, MinimumWorkingSetSize: v.ws[0], MaximumWorkingSetSize: v.ws[1],
          },
          ProcessMemoryLimit: v.procMem,
          JobMemoryLimit: v.jobMem,
        });
      }
      case 'memory':
        return J.setExtendedLimits(job(o.j), { BasicLimitInformation: { LimitFlags: L_JOB_MEMORY | L_PROCESS_MEMORY }, JobMemoryLimit: o.jobMem, ProcessMemoryLimit: o.procMem });
      case 'time': {
        const j = job(o.j);
        const action = this.apply({ k: 'eoj', j: { raw: j }, action: o.post ? JOB_OBJECT_POST_AT_END_OF_JOB : 0 });
        return [action, J.setExtendedLimits(j, { BasicLimitInformation: { LimitFlags: L_PROCESS_TIME | L_JOB_TIME, PerProcessUserTimeLimit: o.procTime, PerJobUserTimeLimit: o.jobTime } })];
      }
      case 'cpu':
        return J.setCpuRateControl(job(o.j), o.control);
      case 'eoj': {
        const j = job(o.j);
        const st = J.setEndOfJobTimeAction(j, o.action);
        if (st === 0) {
          if (o.action === JOB_OBJECT_POST_AT_END_OF_JOB) this.posting.add(this.jobKey(j));
          else this.posting.delete(this.jobKey(j));
        }
        return st;
      }
      case 'read':
        return J.readMessages(job(o.j), o.max);
      case 'tick': {
        const out: unknown[] = [];
        for (let i = 0; i < o.n; i++) {
          const before = this.snapshot();
          out.push(J.tick(), J.schedulerInformation());
          this.checkLimits(before, 0);
        }
        return out;
      }
      case 'configure':
        return J.configure(o.cpus, o.interval);
    }
  }

  /** Every query the interface offers, over every id handed out (and one past). */
  observe(): unknown {
    const J = this.jobs;
    const jobs: unknown[] = [];
    for (let j = 1; j <= this.maxJob() + 1; j++) {
      jobs.push([J.queryAccounting(j), J.queryExtendedLimits(j), J.queryEffectiveLimits(j), J.queryCpuRateControl(j), J.jobParent(j)]);
    }
    const procs: unknown[] = [];
    for (let p = 1; p <= this.maxProc() + 1; p++) procs.push(J.queryProcess(p));
    return { jobs, procs, scheduler: J.schedulerInformation() };
  }

  /** The job ids of a process's chain, from its immediate job up. */
  private chainOf(immediate: number): number[] {
    const out: number[] = [];
    for (let j = immediate; j !== 0 && out.length < 64; j = this.parent.get(this.jobKey(j)) ?? 0) out.push(j);
    return out;
  }

  /** Records, for every live process, the jobs it is associated with and its counters. */
  track(): void {
    for (let p = 1; p <= this.maxProc(); p++) {
      const q = this.jobs.queryProcess(p);
      if (q.status !== 0) continue;
      const key = this.procKey(p);
      let s = this.shadows.get(key);
      if (!s) this.shadows.set(key, (s = { jobs: new Set(), info: q.info! }));
      s.info = q.info!;
      for (const j of this.chainOf(q.info!.Job)) s.jobs.add(this.jobKey(j));
    }
  }

  /** Members (process shadows) of job j's current incarnation. */
  private members(j: number): ProcessShadow[] {
    const key = this.jobKey(j);
    return [...this.shadows.values()].filter((s) => s.jobs.has(key));
  }

  /** A job's totals are the sums over its processes; its active count and commit over the active ones. */
  checkTotals(): void {
    for (let j = 1; j <= this.maxJob(); j++) {
      const acc = this.jobs.queryAccounting(j);
      if (acc.status !== 0) continue;
      const ms = this.members(j);
      const sum = (f: (i: ProcessInformation) => number) => ms.reduce((s, m) => s + f(m.info), 0);
      const b = acc.info!.BasicInfo;
      const io = acc.info!.IoInfo;
      expect(b.TotalUserTime, `job ${j} user`).toBe(sum((i) => i.UserTime));
      expect(b.TotalKernelTime, `job ${j} kernel`).toBe(sum((i) => i.KernelTime));
      expect(b.TotalPageFaultCount, `job ${j} faults`).toBe(sum((i) => i.PageFaultCount));
      expect(io.ReadTransferCount).toBe(sum((i) => i.IoCounters.ReadTransferCount));
      expect(io.WriteOperationCount).toBe(sum((i) => i.IoCounters.WriteOperationCount));
      expect(io.OtherTransferCount).toBe(sum((i) => i.IoCounters.OtherTransferCount));
      expect(b.ActiveProcesses, `job ${j} active`).toBe(ms.filter((m) => m.info.Active).length);
      expect(b.TotalProcesses).toBeGreaterThanOrEqual(ms.length);
      expect(this.jobs.queryExtendedLimits(j).info!.PeakJobMemoryUsed).toBeGreaterThanOrEqual(sum((i) => i.PagefileUsage));
    }
  }

  /** What the limit checks compare against: per open job its commit and period, per process its user time. */
  private snapshot(): { jobs: Map<number, { commit: number; period: number }>; user: Map<number, number> } {
    this.track();
    const jobs = new Map<number, { commit: number; period: number }>();
    for (let j = 1; j <= this.maxJob(); j++) {
      const acc = this.jobs.queryAccounting(j);
      if (acc.status !== 0) continue;
      jobs.set(j, { commit: this.members(j).reduce((s, m) => s + m.info.PagefileUsage, 0), period: acc.info!.BasicInfo.ThisPeriodTotalUserTime });
    }
    const user = new Map<number, number>();
    for (let p = 1; p <= this.maxProc(); p++) {
      const q = this.jobs.queryProcess(p);
      if (q.status === 0) user.set(p, q.info!.UserTime);
    }
    return { jobs, user };
  }

  /**
   * No limit was passed by what just happened: a commit that succeeded (by
   * `committer`) leaves each job memory limit and the process memory limit
   * respected; no process or TERMINATE job passed a time limit it had not
   * already passed.
   */
  private checkLimits(before: ReturnType<Subject['snapshot']>, committer: number): void {
    const after = this.snapshot();
    for (const [j, a] of after.jobs) {
      const lim = this.jobs.queryExtendedLimits(j).info!;
      const flags = lim.BasicLimitInformation.LimitFlags;
      const prior = before.jobs.get(j);
      if ((flags & L_JOB_MEMORY) !== 0 && committer !== 0 && this.members(j).some((m) => m === this.shadows.get(this.procKey(committer)))) {
        expect(a.commit, `job ${j} commit`).toBeLessThanOrEqual(lim.JobMemoryLimit);
      }
      if ((flags & L_JOB_TIME) !== 0 && !this.posting.has(this.jobKey(j)) && prior && prior.period <= lim.BasicLimitInformation.PerJobUserTimeLimit) {
        expect(a.period, `job ${j} period`).toBeLessThanOrEqual(lim.BasicLimitInformation.PerJobUserTimeLimit);
      }
    }
    for (const [p, u] of after.user) {
      const info = this.jobs.queryProcess(p).info!;
      const eff = this.effectiveOf(info.Job);
      if (!eff) continue;
      if ((eff.LimitFlags & L_PROCESS_TIME) !== 0 && (before.user.get(p) ?? 0) <= eff.PerProcessUserTimeLimit) {
        expect(u, `process ${p} user`).toBeLessThanOrEqual(eff.PerProcessUserTimeLimit);
      }
      if (p === committer && (eff.LimitFlags & L_PROCESS_MEMORY) !== 0) expect(info.PagefileUsage).toBeLessThanOrEqual(eff.ProcessMemoryLimit);
    }
  }

  /** The limits in force for a job's processes, if the job (or, closed, no ancestor) can be asked. */
  private effectiveOf(j: number) {
    if (j === 0) return undefined;
    const r = this.jobs.queryEffectiveLimits(j);
    return r.status === 0 ? r.info! : undefined;
  }
}

/**
 * Every run starts from a small host, so that the random operations meet
 * jobs and processes from the first step: a 3-deep chain (1 → 2 → 3), a
 * second top-level job (4), and six processes spread over them, runnable.
 */
const PROLOGUE: Op[] = [
  { k: 'job', parent: { raw: 0 } },
  { k: 'job', parent: { i: 0 } },
  { k: 'job', parent: { i: 1 } },
  { k: 'job', parent: { raw: 0 } },
  ...[0, 1, 2, 2, 3, 3].flatMap((j, i): Op[] => [
    { k: 'process', parent: { raw: 0 }, breakaway: false },
    { k: 'assign', j: { i: j }, p: { i } },
    { k: 'runnable', p: { i }, threads: 1 + (i % 2) },
  ]),
];

describe('job objects model: WASM and reference agree, invariants hold', () => {
  for (const chunk of propertyChunks(150)) test(`random operation sequences${chunk.label}`, async () => {
    await yieldToEventLoop();
    const [[, makeWasm], [, makeRef]] = IMPLS as [[string, () => JobObjects], [string, () => JobObjects]];
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 60 }), (random) => {
        const w = new Subject(makeWasm());
        const r = new Subject(makeRef());
        const ops = [...PROLOGUE, ...random];
        for (let i = 0; i < ops.length; i++) {
          const what = `op ${i}: ${JSON.stringify(ops[i])}`;
          expect(w.apply(ops[i]!), what).toEqual(r.apply(ops[i]!));
          expect(w.observe(), what).toEqual(r.observe());
          r.track();
          r.checkTotals();
        }
      }),
      { seed: chunk.seed, numRuns: chunk.numRuns },
    );
  });
});
