/**
 * Benchmarks of job objects (src/core/jobs): the WASM implementation beside
 * the TypeScript reference, on identical hierarchies and identical charge
 * streams, measured in the same run.
 *
 * The charge hierarchy: 2 top-level jobs (host slices) × 5 container jobs ×
 * 2 sub-jobs, so every process sits at the end of a 3-deep chain; 50
 * processes in each of the 20 leaf jobs (1000 processes). Limits on every
 * level, as a container host sets them: the top jobs a job memory limit and a
 * per-process user time limit; the container jobs a job and a per-process
 * memory limit and an active process limit; the leaves a job memory limit.
 * None is reached while timing (a refused charge would measure the refusal),
 * but every charge checks those that concern it: CPU time the per-process
 * limit, a commit every job memory limit on the chain and the per-process one.
 *
 * The charge stream: 10 000 records over the processes in a shuffled order:
 * 40 % CPU time (user + kernel), 20 % commit (each process alternately
 * commits and releases 64 KiB, so replaying the stream never drifts towards
 * a limit), 25 % read I/O, 10 % write I/O, 5 % page faults.
 *
 * Before anything is timed each stream is applied once per call and once as
 * a batch to each implementation, every status must be STATUS_SUCCESS, and
 * the two must then report identical accounting and limits for every job (a
 * bench of failing or diverging calls measures nothing).
 *
 * Rows (ns per charge, or per tick):
 *   jobs.charge.depth3.call    charge() once per record of the stream
 *   jobs.charge.depth3.batch   chargeBatch() of the 10 000 records
 *   jobs.charge.depth3.batch.jobtime   the same with a per-job user time
 *                              limit on the top-level jobs too: every CPU
 *                              charge then reads and updates the top job's
 *                              period, shared by 500 processes
 *   jobs.charge.depth3.batch.commit    a stream of commits and releases
 *                              only: each checks and updates all three jobs
 *   jobs.tick.10k              one scheduler tick over 10 000 runnable
 *                              processes in 100 jobs (tickHierarchy) on 16
 *                              CPUs, with hard caps, weights and min/max
 *                              rates set
 *
 * Targets (the issue's): ≥ 100 M charges/s batched with the full semantics;
 * a tick over 10 000 processes < 100 µs; WASM batched ≥ 1.3× the reference.
 * The WASM rows' notes say whether each was met.
 */
import type { Bench } from './harness.js';
import { measure, prng } from './harness.js';
import {
  JOB_OBJECT_CPU_RATE_CONTROL_ENABLE as CPU_ENABLE,
  JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP as CPU_HARD_CAP,
  JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE as CPU_MIN_MAX,
  JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED as CPU_WEIGHT,
  JOB_OBJECT_LIMIT_ACTIVE_PROCESS,
  JOB_OBJECT_LIMIT_JOB_MEMORY,
  JOB_OBJECT_LIMIT_JOB_TIME,
  JOB_OBJECT_LIMIT_PROCESS_MEMORY,
  JOB_OBJECT_LIMIT_PROCESS_TIME,
  JobCharge,
  RefJobObjects,
  WasmJobObjects,
  type JobObjects,
} from '../src/core/jobs/index.js';
import { STATUS_SUCCESS } from '../src/core/ntstatus.js';

// ---- shape of the benchmark -----------------------------------------------------

const TOP_JOBS = 2;
const CONTAINERS_PER_TOP = 5;
const SUBJOBS_PER_CONTAINER = 2;
const PROCESSES_PER_LEAF = 50;
const STREAM = 10_000;
const COMMIT_BYTES = 64 * 1024;
const GiB = 1024 ** 3;

const TICK_CPUS = 16;
const TICK_INTERVAL = 100_000;
const TICK_TOP_JOBS = 10;
const TICK_SUBJOBS = 9;
const TICK_PROCESSES = 10_000;

const TARGET = { chargesPerSecond: 100e6, tickNs: 100_000, batchSpeedup: 1.3 } as const;
const TIMING = { minTimeMs: 900, samples: 9 } as const;
const SEED = 0x10b5;

function check(jobs: JobObjects, what: string, status: number): void {
  if (status !== STATUS_SUCCESS) throw new Error(`jobs bench: ${jobs.impl} ${what} returned 0x${(status >>> 0).toString(16)}`);
}

// ---- the charge hierarchy and stream ----------------------------------------------

interface ChargeSetup {
  jobs: JobObjects;
  /** Every job, parents first. */
  all: number[];
  processes: number[];
}

function chargeHierarchy(jobs: JobObjects, jobTime: boolean): ChargeSetup {
  const all: number[] = [];
  const processes: number[] = [];
  const make = (parent: number): number => {
    const r = jobs.createJob(parent);
    check(jobs, 'createJob', r.status);
    all.push(r.job);
    return r.job;
  };
  for (let t = 0; t < TOP_JOBS; t++) {
    const top = make(0);
    check(jobs, 'setExtendedLimits(top)', jobs.setExtendedLimits(top, {
      BasicLimitInformation: {
        LimitFlags: JOB_OBJECT_LIMIT_JOB_MEMORY | JOB_OBJECT_LIMIT_PROCESS_TIME | (jobTime ? JOB_OBJECT_LIMIT_JOB_TIME : 0),
        PerProcessUserTimeLimit: 2 ** 50,
        PerJobUserTimeLimit: 2 ** 52,
      },
      JobMemoryLimit: 64 * GiB,
    }));
    for (let c = 0; c < CONTAINERS_PER_TOP; c++) {
      const container = make(top);
      check(jobs, 'setExtendedLimits(container)', jobs.setExtendedLimits(container, {
        BasicLimitInformation: {
          LimitFlags: JOB_OBJECT_LIMIT_JOB_MEMORY | JOB_OBJECT_LIMIT_PROCESS_MEMORY | JOB_OBJECT_LIMIT_ACTIVE_PROCESS,
          ActiveProcessLimit: 1000,
        },
        JobMemoryLimit: 8 * GiB,
        ProcessMemoryLimit: 1 * GiB,
      }));
      for (let s = 0; s < SUBJOBS_PER_CONTAINER; s++) {
        const leaf = make(container);
        check(jobs, 'setExtendedLimits(leaf)', jobs.setExtendedLimits(leaf, {
          BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_JOB_MEMORY },
          JobMemoryLimit: 4 * GiB,
        }));
        for (let k = 0; k < PROCESSES_PER_LEAF; k++) {
          const p = jobs.createProcess(0);
          check(jobs, 'createProcess', p.status);
          check(jobs, 'assignProcess', jobs.assignProcess(leaf, p.process));
          processes.push(p.process);
        }
      }
    }
  }
  return { jobs, all, processes };
}

interface Stream {
  process: Int32Array;
  kind: Int32Array;
  a: Float64Array;
  b: Float64Array;
}

/** What share of a stream each kind of charge takes. */
type Mix = { cpu: number; commit: number; read: number; write: number };
const HOST_MIX: Mix = { cpu: 0.4, commit: 0.2, read: 0.25, write: 0.1 }; // the rest: page faults
const COMMIT_MIX: Mix = { cpu: 0, commit: 1, read: 0, write: 0 };

/** A charge stream over the given processes (both implementations hand out the same ids). */
function chargeStream(processes: readonly number[], mix: Mix, rand: () => number): Stream {
  const s: Stream = { process: new Int32Array(STREAM), kind: new Int32Array(STREAM), a: new Float64Array(STREAM), b: new Float64Array(STREAM) };
  const committed = new Map<number, number>();
  const lastCommit = new Map<number, number>();
  for (let i = 0; i < STREAM; i++) {
    const p = processes[Math.floor(rand() * processes.length)]!;
    let x = rand();
    s.process[i] = p;
    if ((x -= mix.cpu) < 0) {
      s.kind[i] = JobCharge.CpuTime;
      s.a[i] = 100 + Math.floor(rand() * 900);
      s.b[i] = 10 + Math.floor(rand() * 90);
    } else if ((x -= mix.commit) < 0) {
      // Alternately commit and release, per process.
      const held = committed.get(p) ?? 0;
      s.kind[i] = JobCharge.Commit;
      s.a[i] = held === 0 ? COMMIT_BYTES : -COMMIT_BYTES;
      committed.set(p, held === 0 ? COMMIT_BYTES : 0);
      lastCommit.set(p, i);
    } else if ((x -= mix.read) < 0) {
      s.kind[i] = JobCharge.ReadIo;
      s.a[i] = 1;
      s.b[i] = 4096 * (1 + Math.floor(rand() * 16));
    } else if ((x -= mix.write) < 0) {
      s.kind[i] = JobCharge.WriteIo;
      s.a[i] = 1;
      s.b[i] = 4096 * (1 + Math.floor(rand() * 16));
    } else {
      s.kind[i] = JobCharge.PageFaults;
      s.a[i] = 1 + Math.floor(rand() * 8);
    }
  }
  // A process left holding a commit would commit more on every replay: its last commit commits
  // 0 bytes instead (still checked against every limit, it changes nothing).
  for (const [p, held] of committed) if (held !== 0) s.a[lastCommit.get(p)!] = 0;
  return s;
}

function loadBatch(jobs: JobObjects, s: Stream): void {
  const buf = jobs.chargeBuffer();
  buf.process.set(s.process);
  buf.kind.set(s.kind);
  buf.a.set(s.a);
  buf.b.set(s.b);
}

/** Applies the stream once per call and once as a batch; every charge must succeed. */
function validateCharges(setup: ChargeSetup, s: Stream): void {
  const { jobs } = setup;
  for (let i = 0; i < STREAM; i++) check(jobs, `charge #${i}`, jobs.charge(s.process[i]!, s.kind[i]!, s.a[i]!, s.b[i]!));
  loadBatch(jobs, s);
  const failed = jobs.chargeBatch(STREAM);
  if (failed !== 0) {
    const st = jobs.chargeBuffer().status;
    const bad = st.findIndex((x) => x !== STATUS_SUCCESS);
    throw new Error(`jobs bench: ${jobs.impl} chargeBatch: ${failed} failed, first #${bad} → 0x${(st[bad]! >>> 0).toString(16)}`);
  }
}

function accountingOf(setup: ChargeSetup): string {
  return JSON.stringify(setup.all.map((j) => [setup.jobs.queryAccounting(j), setup.jobs.queryExtendedLimits(j)]));
}

// ---- the tick hierarchy -----------------------------------------------------------

/**
 * 10 top-level jobs, each with 9 sub-jobs (100 jobs), 100 processes in each
 * job (the top-level ones share CPU between their processes and their
 * sub-jobs), each process runnable with 1 or 2 threads. Rate control on the
 * top-level jobs: two hard-capped (10 %, 25 %), two weighted (2, 8), one
 * min/max (20 … 40 %), the rest uncontrolled; the sub-jobs of every other top
 * job weighted 1 … 9.
 */
function tickHierarchy(jobs: JobObjects, rand: () => number): number[] {
  check(jobs, 'configure', jobs.configure(TICK_CPUS, TICK_INTERVAL));
  const all: number[] = [];
  const perJob = TICK_PROCESSES / (TICK_TOP_JOBS * (1 + TICK_SUBJOBS));
  const populate = (job: number) => {
    for (let k = 0; k < perJob; k++) {
      const p = jobs.createProcess(0);
      check(jobs, 'createProcess', p.status);
      check(jobs, 'assignProcess', jobs.assignProcess(job, p.process));
      check(jobs, 'setRunnable', jobs.setRunnable(p.process, 1 + Math.floor(rand() * 2)));
    }
  };
  const controls = [
    { ControlFlags: CPU_ENABLE | CPU_HARD_CAP, CpuRate: 1000 },
    { ControlFlags: CPU_ENABLE | CPU_HARD_CAP, CpuRate: 2500 },
    { ControlFlags: CPU_ENABLE | CPU_WEIGHT, Weight: 2 },
    { ControlFlags: CPU_ENABLE | CPU_WEIGHT, Weight: 8 },
    { ControlFlags: CPU_ENABLE | CPU_MIN_MAX, MinRate: 2000, MaxRate: 4000 },
  ];
  for (let t = 0; t < TICK_TOP_JOBS; t++) {
    const top = jobs.createJob(0);
    check(jobs, 'createJob', top.status);
    all.push(top.job);
    if (t < controls.length) check(jobs, 'setCpuRateControl', jobs.setCpuRateControl(top.job, controls[t]!));
    populate(top.job);
    for (let s = 0; s < TICK_SUBJOBS; s++) {
      const sub = jobs.createJob(top.job);
      check(jobs, 'createJob', sub.status);
      all.push(sub.job);
      if (t % 2 === 0) check(jobs, 'setCpuRateControl', jobs.setCpuRateControl(sub.job, { ControlFlags: CPU_ENABLE | CPU_WEIGHT, Weight: 1 + s }));
      populate(sub.job);
    }
  }
  return all;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

// ---- the bench -----------------------------------------------------------------------

/** Times a charge stream per call and batched on both implementations; returns ns per charge. */
function timeCharges(jobTime: boolean, mix: Mix, seed: number, perCall: boolean): { call?: Map<string, number>; batch: Map<string, number> } {
  const setups = [chargeHierarchy(new WasmJobObjects(), jobTime), chargeHierarchy(new RefJobObjects(), jobTime)];
  const stream = chargeStream(setups[0]!.processes, mix, prng(seed));
  for (const s of setups) {
    if (s.processes.join() !== setups[0]!.processes.join()) throw new Error('jobs bench: the implementations handed out different process ids');
    validateCharges(s, stream);
  }
  if (accountingOf(setups[0]!) !== accountingOf(setups[1]!)) throw new Error('jobs bench: WASM and reference accounting differ after the same charges');
  const call = new Map<string, number>();
  const batch = new Map<string, number>();
  for (const { jobs } of setups) {
    let failures = 0;
    const { process: P, kind: K, a: A, b: B } = stream;
    if (perCall) {
      call.set(jobs.impl, measure(() => {
        for (let i = 0; i < STREAM; i++) if (jobs.charge(P[i]!, K[i]!, A[i]!, B[i]!) !== STATUS_SUCCESS) failures++;
      }, { opsPerCall: STREAM, ...TIMING }));
    }
    loadBatch(jobs, stream);
    batch.set(jobs.impl, measure(() => {
      if (jobs.chargeBatch(STREAM) !== 0) failures++;
    }, { opsPerCall: STREAM, ...TIMING }));
    if (failures !== 0) throw new Error(`jobs bench: ${jobs.impl}: ${failures} charges failed while timing`);
  }
  return perCall ? { call, batch } : { batch };
}

export default function (b: Bench): void {
  const host = timeCharges(false, HOST_MIX, SEED, true);
  const jobTime = timeCharges(true, HOST_MIX, SEED, false);
  const commits = timeCharges(false, COMMIT_MIX, SEED + 2, false);

  // Ticks.
  const tickNs = new Map<string, number>();
  const tickJobs: JobObjects[] = [new WasmJobObjects(), new RefJobObjects()];
  const tickAll = tickJobs.map((jobs) => tickHierarchy(jobs, prng(SEED + 1)));
  for (const jobs of tickJobs) {
    check(jobs, 'tick', jobs.tick());
    const granted = jobs.schedulerInformation().lastGranted;
    if (granted !== TICK_CPUS * TICK_INTERVAL) throw new Error(`jobs bench: ${jobs.impl} tick handed out ${granted}, expected all ${TICK_CPUS * TICK_INTERVAL}`);
  }
  const totals = tickJobs.map((jobs, i) => JSON.stringify(tickAll[i]!.map((j) => jobs.queryAccounting(j))));
  if (totals[0] !== totals[1]) throw new Error('jobs bench: WASM and reference scheduled differently');
  for (const jobs of tickJobs) {
    let failures = 0;
    tickNs.set(jobs.impl, measure(() => {
      if (jobs.tick() !== STATUS_SUCCESS) failures++;
    }, TIMING));
    if (failures !== 0) throw new Error(`jobs bench: ${jobs.impl}: ${failures} ticks failed while timing`);
  }

  const w = (m: Map<string, number>) => m.get('wasm')!;
  const r = (m: Map<string, number>) => m.get('ref')!;
  const perSecond = (ns: number) => `${(1e3 / ns).toFixed(0)} M charges/s`;
  const batchNote = (m: Map<string, number>, what: string) => {
    const rate = 1e9 / w(m);
    const x = r(m) / w(m);
    return `${perSecond(w(m))}, ${what}; target ≥ 100 M/s: ${verdict(rate >= TARGET.chargesPerSecond)}; ` +
      `target ≥ ${TARGET.batchSpeedup}× ref: ${verdict(x >= TARGET.batchSpeedup)} (${x.toFixed(2)}×)`;
  };
  const rows: [string, Map<string, number>, string][] = [
    ['jobs.charge.depth3.call', host.call!, `${perSecond(w(host.call!))}; one export call per charge (no target)`],
    ['jobs.charge.depth3.batch', host.batch, batchNote(host.batch, 'host mix')],
    ['jobs.charge.depth3.batch.jobtime', jobTime.batch, batchNote(jobTime.batch, 'host mix, per-job time limit on the top jobs')],
    ['jobs.charge.depth3.batch.commit', commits.batch, batchNote(commits.batch, 'commits and releases only')],
  ];
  for (const [bench, m, note] of rows) {
    b.add({ bench, impl: 'wasm', ns_per_op: w(m), note });
    b.add({ bench, impl: 'ref', ns_per_op: r(m), note: perSecond(r(m)) });
  }
  b.add({
    bench: 'jobs.tick.10k', impl: 'wasm', ns_per_op: w(tickNs),
    note: `${TICK_PROCESSES} runnable processes, 100 jobs, ${TICK_CPUS} CPUs; target < 100 µs: ${verdict(w(tickNs) < TARGET.tickNs)}`,
  });
  b.add({ bench: 'jobs.tick.10k', impl: 'ref', ns_per_op: r(tickNs), note: `${TICK_PROCESSES} runnable processes, 100 jobs` });
}
