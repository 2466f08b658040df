// CPU rate control (JOBOBJECT_CPU_RATE_CONTROL_INFORMATION) and the
// scheduler tick that enforces it over virtual time.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  JOB_OBJECT_CPU_RATE_CONTROL_ENABLE as ENABLE,
  JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP as HARD_CAP,
  JOB_OBJECT_CPU_RATE_CONTROL_MIN_MAX_RATE as MIN_MAX,
  JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY as NOTIFY,
  JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED as WEIGHT,
  JOB_OBJECT_LIMIT_AFFINITY,
  JOB_OBJECT_LIMIT_JOB_TIME,
  JOB_OBJECT_LIMIT_PROCESS_TIME,
  JOBS_LIMITS,
  type JobObjects,
} from '../../../src/core/jobs/index.js';
import { ERROR_NOT_ENOUGH_QUOTA } from '../../../src/core/win32.js';
import { numRuns, SEED } from '../../support/budget.js';
import { IMPLS, accounting, newJob, ok, processIn, processInfo, st } from './support.js';

/** 10 s of virtual time at the default 10 ms interval. */
const TEN_SECONDS = 1000;

/** A job with `n` busy single-threaded processes. */
function busyJob(jobs: JobObjects, parent: number, n: number): number {
  const j = newJob(jobs, parent);
  for (let i = 0; i < n; i++) ok(jobs.setRunnable(processIn(jobs, j), 1));
  return j;
}

const userTime = (jobs: JobObjects, j: number) => accounting(jobs, j).BasicInfo.TotalUserTime;

describe.each(IMPLS)('CPU rate control (%s)', (_name, make) => {
  test('settings are validated as SetInformationJobObject does', () => {
    const jobs = make();
    const j = newJob(jobs);
    const bad: [string, Parameters<JobObjects['setCpuRateControl']>[1]][] = [
      ['unknown flag', { ControlFlags: ENABLE | 0x20, CpuRate: 100 }],
      ['no ENABLE', { ControlFlags: HARD_CAP, CpuRate: 100 }],
      ['WEIGHT_BASED with HARD_CAP', { ControlFlags: ENABLE | WEIGHT | HARD_CAP, Weight: 5 }],
      ['WEIGHT_BASED with MIN_MAX_RATE', { ControlFlags: ENABLE | WEIGHT | MIN_MAX, Weight: 5 }],
      ['HARD_CAP with MIN_MAX_RATE', { ControlFlags: ENABLE | HARD_CAP | MIN_MAX, MinRate: 1, MaxRate: 2 }],
      ['CpuRate 0', { ControlFlags: ENABLE | HARD_CAP, CpuRate: 0 }],
      ['CpuRate 10001', { ControlFlags: ENABLE, CpuRate: 10_001 }],
      ['Weight 0', { ControlFlags: ENABLE | WEIGHT, Weight: 0 }],
      ['Weight 10', { ControlFlags: ENABLE | WEIGHT, Weight: 10 }],
      ['MaxRate 0', { ControlFlags: ENABLE | MIN_MAX, MinRate: 0, MaxRate: 0 }],
      ['MaxRate 10001', { ControlFlags: ENABLE | MIN_MAX, MinRate: 0, MaxRate: 10_001 }],
      ['MinRate above MaxRate', { ControlFlags: ENABLE | MIN_MAX, MinRate: 3000, MaxRate: 2000 }],
    ];
    for (const [what, info] of bad) expect(st(jobs.setCpuRateControl(j, info)), what).toBe('STATUS_INVALID_PARAMETER');
    expect(jobs.queryCpuRateControl(j).info).toEqual({ ControlFlags: 0, CpuRate: 0, Weight: 0, MinRate: 0, MaxRate: 0 });
  });

  test('the rate union reads back every way, as the DWORD it is', () => {
    const jobs = make();
    const j = newJob(jobs);
    ok(jobs.setCpuRateControl(j, { ControlFlags: ENABLE | MIN_MAX, MinRate: 1500, MaxRate: 4000 }));
    expect(jobs.queryCpuRateControl(j).info).toEqual({ ControlFlags: ENABLE | MIN_MAX, CpuRate: 1500 + 4000 * 65536, Weight: 1500 + 4000 * 65536, MinRate: 1500, MaxRate: 4000 });
    ok(jobs.setCpuRateControl(j, { ControlFlags: ENABLE | WEIGHT, Weight: 9 }));
    expect(jobs.queryCpuRateControl(j).info).toEqual({ ControlFlags: ENABLE | WEIGHT, CpuRate: 9, Weight: 9, MinRate: 9, MaxRate: 0 });
    ok(jobs.setCpuRateControl(j, { ControlFlags: 0 }));
    expect(jobs.queryCpuRateControl(j).info!.ControlFlags).toBe(0);
  });

  test('a busy job hard-capped at 10 % gets 10 % ± 0.5 % over 10 s', () => {
    const jobs = make();
    const capped = busyJob(jobs, 0, 6);
    busyJob(jobs, 0, 6);
    ok(jobs.setCpuRateControl(capped, { ControlFlags: ENABLE | HARD_CAP, CpuRate: 1000 }));
    for (let i = 0; i < TEN_SECONDS; i++) ok(jobs.tick());
    const info = jobs.schedulerInformation();
    expect(info.now).toBe(TEN_SECONDS * JOBS_LIMITS.defaultInterval);
    const share = userTime(jobs, capped) / (info.now * info.cpuCount);
    expect(Math.abs(share - 0.1)).toBeLessThanOrEqual(0.005);
  });

  test('alone on the host a hard cap still holds; without a cap the job takes what it can use', () => {
    const jobs = make();
    const capped = busyJob(jobs, 0, 8);
    ok(jobs.setCpuRateControl(capped, { ControlFlags: ENABLE | HARD_CAP, CpuRate: 1000 }));
    for (let i = 0; i < 100; i++) ok(jobs.tick());
    expect(userTime(jobs, capped)).toBe(100 * 0.1 * 4 * JOBS_LIMITS.defaultInterval);
    // One thread is one processor: a single busy process gets a quarter of a 4-processor host.
    const solo = make();
    const j = busyJob(solo, 0, 1);
    for (let i = 0; i < 10; i++) ok(solo.tick());
    expect(userTime(solo, j)).toBe(10 * JOBS_LIMITS.defaultInterval);
  });

  test('two busy jobs with weights 2 and 8 split 20/80 ± 2 %', () => {
    const jobs = make();
    const light = busyJob(jobs, 0, 8);
    const heavy = busyJob(jobs, 0, 8);
    ok(jobs.setCpuRateControl(light, { ControlFlags: ENABLE | WEIGHT, Weight: 2 }));
    ok(jobs.setCpuRateControl(heavy, { ControlFlags: ENABLE | WEIGHT, Weight: 8 }));
    for (let i = 0; i < TEN_SECONDS; i++) ok(jobs.tick());
    const l = userTime(jobs, light);
    const h = userTime(jobs, heavy);
    expect(l + h).toBe(TEN_SECONDS * 4 * JOBS_LIMITS.defaultInterval);
    expect(Math.abs(l / (l + h) - 0.2)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(h / (l + h) - 0.8)).toBeLessThanOrEqual(0.02);
  });

  test('MinRate is reserved first; MaxRate caps', () => {
    const jobs = make();
    const guaranteed = busyJob(jobs, 0, 8);
    const greedy = busyJob(jobs, 0, 8);
    ok(jobs.setCpuRateControl(guaranteed, { ControlFlags: ENABLE | MIN_MAX, MinRate: 3000, MaxRate: 4000 }));
    ok(jobs.setCpuRateControl(greedy, { ControlFlags: ENABLE | WEIGHT, Weight: 9 }));
    ok(jobs.tick());
    const C = 4 * JOBS_LIMITS.defaultInterval;
    // 30 % reserved, then the rest shared by weight (5 : 9) up to the 40 % maximum.
    expect(userTime(jobs, guaranteed)).toBe(0.4 * C);
    expect(userTime(jobs, greedy)).toBe(0.6 * C);
  });

  test('a nested job rate is a portion of its parent rate', () => {
    const jobs = make();
    const parent = newJob(jobs);
    ok(jobs.setCpuRateControl(parent, { ControlFlags: ENABLE | HARD_CAP, CpuRate: 5000 }));
    const child = busyJob(jobs, parent, 8);
    ok(jobs.setCpuRateControl(child, { ControlFlags: ENABLE | HARD_CAP, CpuRate: 5000 }));
    busyJob(jobs, 0, 8);
    for (let i = 0; i < 10; i++) ok(jobs.tick());
    expect(userTime(jobs, child) / (10 * 4 * JOBS_LIMITS.defaultInterval)).toBe(0.25);
    expect(userTime(jobs, parent)).toBe(userTime(jobs, child));
  });

  test('a CpuRate without HARD_CAP limits only under contention', () => {
    const jobs = make();
    const soft = busyJob(jobs, 0, 8);
    ok(jobs.setCpuRateControl(soft, { ControlFlags: ENABLE | NOTIFY, CpuRate: 2000 }));
    ok(jobs.tick());
    const C = 4 * JOBS_LIMITS.defaultInterval;
    expect(userTime(jobs, soft)).toBe(C);
    busyJob(jobs, 0, 8);
    ok(jobs.tick());
    expect(userTime(jobs, soft)).toBe(C + 0.2 * C);
  });

  test("a job's affinity caps it at its processors", () => {
    const jobs = make();
    const j = busyJob(jobs, 0, 8);
    ok(jobs.setExtendedLimits(j, { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_AFFINITY, Affinity: 0b0101 } }));
    ok(jobs.tick());
    expect(userTime(jobs, j)).toBe(2 * JOBS_LIMITS.defaultInterval);
  });

  test('an uneven share gives the remainder one unit each to the lowest process ids, a reused id included', () => {
    const jobs = make();
    ok(jobs.configure(1, 10));
    const j = newJob(jobs);
    const [p1, p2, p3] = [processIn(jobs, j), processIn(jobs, j), processIn(jobs, j)];
    for (const p of [p1, p2, p3]) ok(jobs.setRunnable(p, 1));
    ok(jobs.tick());
    expect([p1, p2, p3].map((p) => processInfo(jobs, p).UserTime)).toEqual([4, 3, 3]);
    // p1's id comes back for a process that joins last: it is still first in the job's list.
    ok(jobs.exitProcess(p1, 0));
    ok(jobs.deleteProcess(p1));
    const again = processIn(jobs, j);
    expect(again).toBe(p1);
    ok(jobs.setRunnable(again, 1));
    ok(jobs.tick());
    expect([again, p2, p3].map((p) => processInfo(jobs, p).UserTime)).toEqual([4, 6, 6]);
  });

  test('the tick honours per-process and per-job time limits without overshooting them', () => {
    const jobs = make();
    const j = newJob(jobs);
    ok(jobs.setExtendedLimits(j, { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_PROCESS_TIME, PerProcessUserTimeLimit: 250_000 } }));
    const p = processIn(jobs, j);
    ok(jobs.setRunnable(p, 1));
    for (let i = 0; i < 3; i++) ok(jobs.tick());
    expect(processInfo(jobs, p)).toMatchObject({ Active: false, UserTime: 250_000, ExitCode: ERROR_NOT_ENOUGH_QUOTA });
    const k = newJob(jobs);
    ok(jobs.setExtendedLimits(k, { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_JOB_TIME, PerJobUserTimeLimit: 150_000 } }));
    const q = processIn(jobs, k);
    const r = processIn(jobs, k);
    ok(jobs.setRunnable(q, 1));
    ok(jobs.setRunnable(r, 1));
    ok(jobs.tick());
    for (const x of [q, r]) expect(processInfo(jobs, x)).toMatchObject({ Active: false, UserTime: 75_000, ExitCode: ERROR_NOT_ENOUGH_QUOTA });
    expect(accounting(jobs, k).BasicInfo.ThisPeriodTotalUserTime).toBe(150_000);
  });
});

describe('the scheduler under random hierarchies', () => {
  const config = fc.record({
    cpus: fc.integer({ min: 1, max: 4 }),
    interval: fc.constantFrom(1000, 7919, 100_000),
    jobs: fc.array(
      fc.record({
        parent: fc.nat(),
        control: fc.oneof(
          fc.constant({ ControlFlags: 0 }),
          fc.integer({ min: 1, max: 10_000 }).map((CpuRate) => ({ ControlFlags: ENABLE | HARD_CAP, CpuRate })),
          fc.integer({ min: 1, max: 10_000 }).map((CpuRate) => ({ ControlFlags: ENABLE, CpuRate })),
          fc.integer({ min: 1, max: 9 }).map((Weight) => ({ ControlFlags: ENABLE | WEIGHT, Weight })),
          fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }))
            .map(([x, y]) => ({ ControlFlags: ENABLE | MIN_MAX, MinRate: Math.min(x, y), MaxRate: y })),
        ),
        threads: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }),
      }),
      { minLength: 1, maxLength: 7 },
    ),
    ticks: fc.integer({ min: 10, max: 25 }),
  });

  test('hand out at most the host, exactly what processes got, identically in both; no hard cap is exceeded over any window of 10 intervals', () => {
    fc.assert(
      fc.property(config, (cfg) => {
        const results = IMPLS.map(([, make]) => {
          const jobs = make();
          ok(jobs.configure(cfg.cpus, cfg.interval));
          const ids: number[] = [];
          const procs: number[] = [];
          for (const spec of cfg.jobs) {
            const parent = ids.length > 0 && spec.parent % 3 !== 0 ? ids[spec.parent % ids.length]! : 0;
            const j = newJob(jobs, parent);
            ids.push(j);
            ok(jobs.setCpuRateControl(j, spec.control));
            for (const t of spec.threads) {
              const p = processIn(jobs, j);
              ok(jobs.setRunnable(p, t));
              procs.push(p);
            }
          }
          // The hard cap of each job, in units per tick, as the rate bases make it.
          const base = new Map<number, number>();
          const cap = new Map<number, number>();
          const C = cfg.cpus * cfg.interval;
          cfg.jobs.forEach((spec, i) => {
            const j = ids[i]!;
            const par = jobs.jobParent(j).job;
            let b = par !== 0 ? base.get(par)! : C;
            const c = spec.control as { ControlFlags: number; CpuRate?: number; MaxRate?: number };
            if ((c.ControlFlags & MIN_MAX) !== 0) {
              b = Math.floor((b * c.MaxRate!) / 10_000);
              cap.set(j, b);
            } else if ((c.ControlFlags & ENABLE) !== 0 && (c.ControlFlags & WEIGHT) === 0) {
              b = Math.floor((b * c.CpuRate!) / 10_000);
              if ((c.ControlFlags & HARD_CAP) !== 0) cap.set(j, b);
            }
            base.set(j, b);
          });
          const perTick: number[][] = [];
          let before = ids.map((j) => userTime(jobs, j));
          for (let t = 0; t < cfg.ticks; t++) {
            const procBefore = procs.reduce((s, p) => s + processInfo(jobs, p).UserTime, 0);
            ok(jobs.tick());
            const granted = jobs.schedulerInformation().lastGranted;
            expect(granted).toBeLessThanOrEqual(C);
            expect(procs.reduce((s, p) => s + processInfo(jobs, p).UserTime, 0) - procBefore).toBe(granted);
            const after = ids.map((j) => userTime(jobs, j));
            perTick.push(after.map((a, k) => a - before[k]!));
            before = after;
          }
          ids.forEach((j, k) => {
            const c = cap.get(j);
            if (c === undefined) return;
            for (let start = 0; start + 10 <= perTick.length; start++) {
              for (let len = 10; start + len <= perTick.length; len++) {
                let sum = 0;
                for (let t = start; t < start + len; t++) sum += perTick[t]![k]!;
                expect(sum, `job ${j} over ticks ${start}…${start + len - 1}`).toBeLessThanOrEqual(c * len);
              }
            }
          });
          return perTick;
        });
        expect(results[0]).toEqual(results[1]);
      }),
      { seed: SEED, numRuns: numRuns(40) },
    );
  });
});
