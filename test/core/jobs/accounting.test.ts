// Accounting: JOBOBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION, rolled up
// through every ancestor ("Each job in a job chain therefore represents the
// aggregated resources used by its own processes and the processes of every
// child job below it" — Nested Jobs), per-process counters, and the input
// rules of a charge.
import { describe, expect, test } from 'vitest';
import * as S from '../../../src/core/ntstatus.js';
import { JOB_OBJECT_LIMIT_JOB_TIME, JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME, JOBS_LIMITS, JobCharge } from '../../../src/core/jobs/index.js';
import { IMPLS, accounting, chain, limits, newJob, ok, processIn, processInfo, st } from './support.js';

const K = JobCharge;

describe.each(IMPLS)('accounting (%s)', (_name, make) => {
  test('a query returns exactly the fields of JOBOBJECT_BASIC_AND_IO_ACCOUNTING_INFORMATION', () => {
    const jobs = make();
    const j = newJob(jobs);
    const info = accounting(jobs, j);
    expect(Object.keys(info)).toEqual(['BasicInfo', 'IoInfo']);
    expect(Object.keys(info.BasicInfo)).toEqual([
      'TotalUserTime', 'TotalKernelTime', 'ThisPeriodTotalUserTime', 'ThisPeriodTotalKernelTime',
      'TotalPageFaultCount', 'TotalProcesses', 'ActiveProcesses', 'TotalTerminatedProcesses',
    ]);
    expect(Object.keys(info.IoInfo)).toEqual([
      'ReadOperationCount', 'WriteOperationCount', 'OtherOperationCount', 'ReadTransferCount', 'WriteTransferCount', 'OtherTransferCount',
    ]);
    expect(Object.values(info.BasicInfo).every((v) => v === 0)).toBe(true);
  });

  test('every kind of charge rolls up into the immediate job and each ancestor', () => {
    const jobs = make();
    const [a, b, c] = chain(jobs, 3) as [number, number, number];
    const p = processIn(jobs, c);
    ok(jobs.charge(p, K.CpuTime, 1000, 300));
    ok(jobs.charge(p, K.PageFaults, 7));
    ok(jobs.charge(p, K.ReadIo, 2, 8192));
    ok(jobs.charge(p, K.WriteIo, 3, 12288));
    ok(jobs.charge(p, K.OtherIo, 4, 40));
    ok(jobs.charge(p, K.Commit, 65536));
    for (const j of [a, b, c]) {
      expect(accounting(jobs, j)).toEqual({
        BasicInfo: {
          TotalUserTime: 1000, TotalKernelTime: 300, ThisPeriodTotalUserTime: 1000, ThisPeriodTotalKernelTime: 300,
          TotalPageFaultCount: 7, TotalProcesses: 1, ActiveProcesses: 1, TotalTerminatedProcesses: 0,
        },
        IoInfo: {
          ReadOperationCount: 2, WriteOperationCount: 3, OtherOperationCount: 4,
          ReadTransferCount: 8192, WriteTransferCount: 12288, OtherTransferCount: 40,
        },
      });
      expect(limits(jobs, j).PeakJobMemoryUsed).toBe(65536);
      expect(limits(jobs, j).PeakProcessMemoryUsed).toBe(65536);
    }
    expect(processInfo(jobs, p)).toEqual({
      Job: c, Active: true, ExitCode: 0, Threads: 0, UserTime: 1000, KernelTime: 300, PageFaultCount: 7,
      IoCounters: { ReadOperationCount: 2, WriteOperationCount: 3, OtherOperationCount: 4, ReadTransferCount: 8192, WriteTransferCount: 12288, OtherTransferCount: 40 },
      PagefileUsage: 65536, PeakPagefileUsage: 65536,
    });
  });

  test("a job's totals are its own processes' plus its children's", () => {
    const jobs = make();
    const top = newJob(jobs);
    const left = newJob(jobs, top);
    const right = newJob(jobs, top);
    const pt = processIn(jobs, top);
    const pl = processIn(jobs, left);
    const pr = processIn(jobs, right);
    ok(jobs.charge(pt, K.CpuTime, 1, 10));
    ok(jobs.charge(pl, K.CpuTime, 20, 200));
    ok(jobs.charge(pr, K.CpuTime, 300, 3000));
    ok(jobs.charge(pr, K.ReadIo, 1, 5));
    expect(accounting(jobs, left).BasicInfo.TotalUserTime).toBe(20);
    expect(accounting(jobs, right).BasicInfo.TotalKernelTime).toBe(3000);
    expect(accounting(jobs, top).BasicInfo).toMatchObject({ TotalUserTime: 321, TotalKernelTime: 3210, TotalProcesses: 3, ActiveProcesses: 3 });
    expect(accounting(jobs, top).IoInfo.ReadTransferCount).toBe(5);
  });

  test('exited and deleted processes stay counted; ActiveProcesses falls', () => {
    const jobs = make();
    const [a, b] = chain(jobs, 2) as [number, number];
    const p = processIn(jobs, b);
    const q = processIn(jobs, b);
    ok(jobs.charge(p, K.CpuTime, 50, 5));
    ok(jobs.charge(p, K.Commit, 4096));
    ok(jobs.exitProcess(p, 0));
    ok(jobs.deleteProcess(p));
    for (const j of [a, b]) {
      expect(accounting(jobs, j).BasicInfo).toMatchObject({ TotalUserTime: 50, TotalKernelTime: 5, TotalProcesses: 2, ActiveProcesses: 1 });
      // The exit released the commit; the peak stays.
      expect(limits(jobs, j).PeakJobMemoryUsed).toBe(4096);
    }
    ok(jobs.charge(q, K.Commit, 4096));
    expect(limits(jobs, a).PeakJobMemoryUsed).toBe(4096);
  });

  test('a process joining a job brings its whole usage so far', () => {
    const jobs = make();
    const outer = newJob(jobs);
    const inner = newJob(jobs, outer);
    const p = processIn(jobs, 0);
    ok(jobs.charge(p, K.CpuTime, 70, 7));
    ok(jobs.charge(p, K.WriteIo, 1, 512));
    ok(jobs.assignProcess(outer, p));
    expect(accounting(jobs, outer).BasicInfo.TotalUserTime).toBe(70);
    ok(jobs.charge(p, K.CpuTime, 5, 0));
    ok(jobs.assignProcess(inner, p));
    // inner sees the whole life of p; outer is not charged twice.
    expect(accounting(jobs, inner).BasicInfo).toMatchObject({ TotalUserTime: 75, TotalKernelTime: 7, TotalProcesses: 1, ActiveProcesses: 1 });
    expect(accounting(jobs, inner).IoInfo.WriteTransferCount).toBe(512);
    expect(accounting(jobs, outer).BasicInfo).toMatchObject({ TotalUserTime: 75, TotalProcesses: 1, ActiveProcesses: 1 });
  });

  test('ThisPeriodTotal*Time restart when a per-job time limit is established, and only then', () => {
    const jobs = make();
    const [a, b] = chain(jobs, 2) as [number, number];
    const p = processIn(jobs, b);
    ok(jobs.charge(p, K.CpuTime, 100, 10));
    ok(jobs.setExtendedLimits(a, { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_JOB_TIME, PerJobUserTimeLimit: 1e6 } }));
    expect(accounting(jobs, a).BasicInfo).toMatchObject({ TotalUserTime: 100, ThisPeriodTotalUserTime: 0, ThisPeriodTotalKernelTime: 0 });
    expect(accounting(jobs, b).BasicInfo).toMatchObject({ ThisPeriodTotalUserTime: 100, ThisPeriodTotalKernelTime: 10 });
    ok(jobs.charge(p, K.CpuTime, 30, 3));
    expect(accounting(jobs, a).BasicInfo).toMatchObject({ TotalUserTime: 130, ThisPeriodTotalUserTime: 30, ThisPeriodTotalKernelTime: 3 });
    // PRESERVE_JOB_TIME keeps the period; dropping the limit keeps counting it.
    ok(jobs.setExtendedLimits(a, { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME } }));
    expect(accounting(jobs, a).BasicInfo.ThisPeriodTotalUserTime).toBe(30);
    expect(limits(jobs, a).BasicLimitInformation).toMatchObject({ LimitFlags: JOB_OBJECT_LIMIT_JOB_TIME, PerJobUserTimeLimit: 1e6 });
    ok(jobs.setExtendedLimits(a, { BasicLimitInformation: { LimitFlags: 0 } }));
    ok(jobs.charge(p, K.CpuTime, 5, 0));
    expect(accounting(jobs, a).BasicInfo).toMatchObject({ TotalUserTime: 135, ThisPeriodTotalUserTime: 35 });
  });

  test('charges of a process in no job touch only the process', () => {
    const jobs = make();
    const j = newJob(jobs);
    const p = processIn(jobs, 0);
    ok(jobs.charge(p, K.CpuTime, 9, 9));
    expect(processInfo(jobs, p)).toMatchObject({ Job: 0, UserTime: 9, KernelTime: 9 });
    expect(accounting(jobs, j).BasicInfo.TotalUserTime).toBe(0);
  });

  test('amounts must be integers 0 … 2^53 − 1 (commits may be negative); nothing is charged otherwise', () => {
    const jobs = make();
    const j = newJob(jobs);
    const p = processIn(jobs, j);
    const max = JOBS_LIMITS.maxQuantity;
    for (const bad of [-1, 0.5, NaN, Infinity, -Infinity, max + 1, 2 ** 60]) {
      expect(st(jobs.charge(p, K.CpuTime, bad, 0)), `user ${bad}`).toBe('STATUS_INVALID_PARAMETER');
      expect(st(jobs.charge(p, K.CpuTime, 0, bad)), `kernel ${bad}`).toBe('STATUS_INVALID_PARAMETER');
      expect(st(jobs.charge(p, K.ReadIo, bad, 1)), `ops ${bad}`).toBe('STATUS_INVALID_PARAMETER');
      expect(st(jobs.charge(p, K.PageFaults, bad)), `faults ${bad}`).toBe('STATUS_INVALID_PARAMETER');
    }
    for (const bad of [0.5, NaN, Infinity, -(max + 1)]) expect(st(jobs.charge(p, K.Commit, bad)), `commit ${bad}`).toBe('STATUS_INVALID_PARAMETER');
    ok(jobs.charge(p, K.CpuTime, max, 0));
    ok(jobs.charge(p, K.Commit, 10));
    // Releasing more than is committed.
    expect(st(jobs.charge(p, K.Commit, -11))).toBe('STATUS_INVALID_PARAMETER');
    ok(jobs.charge(p, K.Commit, -10));
    expect(processInfo(jobs, p)).toMatchObject({ UserTime: max, KernelTime: 0, PageFaultCount: 0, PagefileUsage: 0, PeakPagefileUsage: 10 });
    expect(accounting(jobs, j).IoInfo.ReadOperationCount).toBe(0);
  });

  test('unknown kinds, unknown and exited processes are refused with their own status', () => {
    const jobs = make();
    const p = processIn(jobs, newJob(jobs));
    for (const kind of [0, 7, -1, 1000]) expect(st(jobs.charge(p, kind, 1, 1)), `kind ${kind}`).toBe('STATUS_INVALID_PARAMETER');
    for (const q of [0, -1, p + 1, 1 << 30]) expect(st(jobs.charge(q, K.CpuTime, 1, 1)), `process ${q}`).toBe('STATUS_INVALID_CID');
    ok(jobs.exitProcess(p, 0));
    expect(st(jobs.charge(p, K.CpuTime, 1, 1))).toBe('STATUS_PROCESS_IS_TERMINATING');
    ok(jobs.deleteProcess(p));
    expect(st(jobs.charge(p, K.CpuTime, 1, 1))).toBe('STATUS_INVALID_CID');
  });

  test('a batch applies its entries in order, exactly as single charges would', () => {
    const single = make();
    const batched = make();
    const setup = (jobs: typeof single) => {
      const [, b] = chain(jobs, 2) as [number, number];
      return [processIn(jobs, b), processIn(jobs, b)] as const;
    };
    const [p1, p2] = setup(single);
    setup(batched);
    const entries: [number, number, number, number][] = [
      [p1, K.CpuTime, 10, 1], [p2, K.Commit, 100, 0], [p1, K.ReadIo, 1, 4096], [999, K.CpuTime, 1, 1],
      [p2, K.Commit, -200, 0], [p2, 9, 1, 1], [p1, K.PageFaults, 3, 0], [p2, K.Commit, -100, 0], [p1, K.CpuTime, 0.5, 0],
    ];
    const statuses = entries.map(([p, k, a, b]) => single.charge(p, k, a, b));
    const buf = batched.chargeBuffer();
    entries.forEach(([p, k, a, b], i) => {
      buf.process[i] = p;
      buf.kind[i] = k;
      buf.a[i] = a;
      buf.b[i] = b;
    });
    expect(batched.chargeBatch(entries.length)).toBe(statuses.filter((s) => s !== 0).length);
    expect(Array.from(batched.chargeBuffer().status.subarray(0, entries.length))).toEqual(statuses);
    expect(statuses.map(st)).toEqual([
      'STATUS_SUCCESS', 'STATUS_SUCCESS', 'STATUS_SUCCESS', 'STATUS_INVALID_CID', 'STATUS_INVALID_PARAMETER',
      'STATUS_INVALID_PARAMETER', 'STATUS_SUCCESS', 'STATUS_SUCCESS', 'STATUS_INVALID_PARAMETER',
    ]);
    for (const p of [p1, p2]) expect(processInfo(batched, p)).toEqual(processInfo(single, p));
  });

  test('a batch count outside 0 … capacity is STATUS_INVALID_PARAMETER; 0 does nothing', () => {
    const jobs = make();
    expect(jobs.chargeBuffer().capacity).toBe(JOBS_LIMITS.maxBatch);
    expect(jobs.chargeBatch(0)).toBe(0);
    expect(jobs.chargeBatch(-1)).toBe(S.STATUS_INVALID_PARAMETER);
    expect(jobs.chargeBatch(JOBS_LIMITS.maxBatch + 1)).toBe(S.STATUS_INVALID_PARAMETER);
  });

  test('queries on unknown or closed jobs and processes', () => {
    const jobs = make();
    const j = newJob(jobs);
    ok(jobs.closeJob(j));
    for (const bad of [0, -5, j, j + 1]) {
      expect(st(jobs.queryAccounting(bad).status)).toBe('STATUS_INVALID_HANDLE');
      expect(st(jobs.queryExtendedLimits(bad).status)).toBe('STATUS_INVALID_HANDLE');
    }
    for (const bad of [0, -5, 1, 1 << 30]) expect(st(jobs.queryProcess(bad).status)).toBe('STATUS_INVALID_CID');
  });
});
