// A batch of charges has exactly the effect of its charges made one by one
// in batch order (issue 5: batching is an ABI economy, never a change of
// meaning). The WASM batch path sorts commits from the other kinds and runs
// them as two streams with a time-limit ending as the barrier between them
// (assembly/jobs/README.md); this checks it against the reference, which
// charges in order, on long mixed batches with tight limits so that time
// limits end processes and commits are refused in the middle of batches.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  JOB_OBJECT_LIMIT_JOB_MEMORY,
  JOB_OBJECT_LIMIT_JOB_TIME,
  JOB_OBJECT_LIMIT_PROCESS_MEMORY,
  JOB_OBJECT_LIMIT_PROCESS_TIME,
  JobCharge,
  RefJobObjects,
  WasmJobObjects,
  type JobObjects,
} from '../../../src/core/jobs/index.js';
import { STATUS_COMMITMENT_LIMIT, STATUS_QUOTA_EXCEEDED } from '../../../src/core/ntstatus.js';
import { numRuns, SEED } from '../../support/budget.js';
import { prng } from '../../../bench/harness.js';

/** Integers 0 … n − 1 from the benchmarks' seeded PRNG, so one seed drives both implementations identically. */
function rng(seed: number): (n: number) => number {
  const next = prng(seed);
  return (n) => Math.floor(next() * n);
}

/** Builds a hierarchy with tight limits, charges four long batches, and records everything observable. */
function run(J: JobObjects, seed: number, seen: { ended: number; refused: number }): string {
  const r = rng(seed);
  const jobs: number[] = [];
  const procs: number[] = [];
  for (let k = 0; k < 6; k++) {
    const parent = jobs.length > 0 && r(10) < 8 ? jobs[r(jobs.length)]! : 0;
    const j = J.createJob(parent).job;
    jobs.push(j);
    const flags =
      (r(2) ? JOB_OBJECT_LIMIT_JOB_MEMORY : 0) | (r(5) < 2 ? JOB_OBJECT_LIMIT_PROCESS_MEMORY : 0) |
      (r(5) < 2 ? JOB_OBJECT_LIMIT_PROCESS_TIME : 0) | (r(5) < 2 ? JOB_OBJECT_LIMIT_JOB_TIME : 0);
    J.setExtendedLimits(j, {
      BasicLimitInformation: { LimitFlags: flags, PerProcessUserTimeLimit: 2000 + r(5000), PerJobUserTimeLimit: 5000 + r(20000) },
      JobMemoryLimit: 4096 * (20 + r(200)),
      ProcessMemoryLimit: 4096 * (10 + r(100)),
    } as never);
    if (r(2)) J.setEndOfJobTimeAction(j, 1);
  }
  for (let k = 0; k < 12; k++) {
    const p = J.createProcess(0).process;
    if (r(10) < 9) J.assignProcess(jobs[r(jobs.length)]!, p);
    procs.push(p);
  }
  const observed: unknown[] = [];
  for (let round = 0; round < 4; round++) {
    const n = 1 + r(300);
    const buf = J.chargeBuffer();
    for (let i = 0; i < n; i++) {
      buf.process[i] = r(100) < 3 ? 999 : procs[r(procs.length)]!;
      const x = r(100);
      const kind = x < 35 ? JobCharge.CpuTime : x < 60 ? JobCharge.Commit : x < 98 ? 2 + r(4) : 9;
      buf.kind[i] = kind;
      buf.a[i] = kind === JobCharge.Commit ? 4096 * (r(40) - 15) : kind === JobCharge.CpuTime ? r(400) : r(10);
      buf.b[i] = r(100);
    }
    const failed = J.chargeBatch(n);
    const statuses = Array.from(buf.status.subarray(0, n));
    for (const s of statuses) {
      if (s === STATUS_QUOTA_EXCEEDED) seen.ended++;
      if (s === STATUS_COMMITMENT_LIMIT) seen.refused++;
    }
    observed.push(failed, statuses);
    observed.push(jobs.map((j) => [J.queryAccounting(j), J.queryExtendedLimits(j), J.readMessages(j, 1000)]));
    observed.push(procs.map((p) => J.queryProcess(p)));
  }
  return JSON.stringify(observed);
}

describe('a batch of charges', () => {
  test('has the effect of its charges one by one in order, limits ending processes and refusing commits mid-batch', () => {
    const seen = { ended: 0, refused: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (seed) => {
        const ignore = { ended: 0, refused: 0 };
        expect(run(new WasmJobObjects(), seed, seen)).toBe(run(new RefJobObjects(), seed, ignore));
      }),
      { seed: SEED, numRuns: numRuns(100) },
    );
    // The property only means something if the barrier cases happened.
    expect(seen.ended).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
