// Nested jobs: hierarchies of any depth, the AssignProcessToJobObject rules
// for a process already in a job, termination from the bottom up, and the
// lifetime of job and process ids.
import { describe, expect, test } from 'vitest';
import {
  JOB_OBJECT_LIMIT_JOB_MEMORY,
  JOB_OBJECT_LIMIT_PROCESS_TIME,
  JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO as ZERO,
  JOB_OBJECT_MSG_EXIT_PROCESS as EXIT,
  JOB_OBJECT_MSG_NEW_PROCESS as NEW,
  JOBS_LIMITS,
  JobCharge as K,
} from '../../../src/core/jobs/index.js';
import { IMPLS, accounting, chain, drain, limits, messageIds, newJob, ok, processIn, processInfo, st } from './support.js';

describe.each(IMPLS)('nesting (%s)', (_name, make) => {
  test('a chain of any depth: a charge reaches every ancestor, a limit on any ancestor applies', () => {
    const jobs = make();
    // Deeper than the 8 jobs a chain prefix caches in the WASM records.
    const c = chain(jobs, 13);
    const p = processIn(jobs, c[12]!);
    ok(jobs.setExtendedLimits(c[0]!, { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_JOB_MEMORY }, JobMemoryLimit: 100 }));
    ok(jobs.setExtendedLimits(c[2]!, { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_PROCESS_TIME, PerProcessUserTimeLimit: 1000 } }));
    ok(jobs.charge(p, K.CpuTime, 10, 1));
    ok(jobs.charge(p, K.OtherIo, 2, 20));
    ok(jobs.charge(p, K.Commit, 100));
    expect(st(jobs.charge(p, K.Commit, 1))).toBe('STATUS_COMMITMENT_LIMIT');
    for (const j of c) {
      expect(accounting(jobs, j).BasicInfo).toMatchObject({ TotalUserTime: 10, TotalKernelTime: 1, ActiveProcesses: 1, TotalProcesses: 1 });
      expect(accounting(jobs, j).IoInfo.OtherTransferCount).toBe(20);
      expect(limits(jobs, j).PeakJobMemoryUsed).toBe(100);
    }
    expect(jobs.queryEffectiveLimits(c[12]!).info!.PerProcessUserTimeLimit).toBe(1000);
    expect(st(jobs.charge(p, K.CpuTime, 5000, 0))).toBe('STATUS_QUOTA_EXCEEDED');
    for (const j of c) expect(accounting(jobs, j).BasicInfo).toMatchObject({ TotalUserTime: 1000, ActiveProcesses: 0, TotalTerminatedProcesses: 1 });
    for (let i = 1; i < c.length; i++) expect(jobs.jobParent(c[i]!)).toEqual({ status: 0, job: c[i - 1] });
  });

  test('a process in a job may go deeper, never sideways or up', () => {
    const jobs = make();
    const top = newJob(jobs);
    const left = newJob(jobs, top);
    const right = newJob(jobs, top);
    const deep = newJob(jobs, left);
    const p = processIn(jobs, top);
    ok(jobs.assignProcess(top, p)); // its own job: nothing to do
    ok(jobs.assignProcess(deep, p)); // skipping a level is fine: left joins too
    expect(processInfo(jobs, p).Job).toBe(deep);
    expect(accounting(jobs, left).BasicInfo.ActiveProcesses).toBe(1);
    expect(st(jobs.assignProcess(right, p))).toBe('STATUS_ACCESS_DENIED');
    // An ancestor would make a cycle: no valid hierarchy.
    expect(st(jobs.assignProcess(left, p))).toBe('STATUS_ACCESS_DENIED');
    expect(st(jobs.assignProcess(top, p))).toBe('STATUS_ACCESS_DENIED');
    expect(processInfo(jobs, p).Job).toBe(deep);
    expect(accounting(jobs, top).BasicInfo).toMatchObject({ TotalProcesses: 1, ActiveProcesses: 1 });
  });

  test('a parentless job that never had a process nests under the process job', () => {
    const jobs = make();
    const outer = newJob(jobs);
    const solo = newJob(jobs);
    const soloChild = newJob(jobs, solo);
    ok(jobs.setExtendedLimits(outer, { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_PROCESS_TIME, PerProcessUserTimeLimit: 500 } }));
    const p = processIn(jobs, outer);
    // soloChild is in another hierarchy (under solo): no valid hierarchy can be formed with it.
    expect(st(jobs.assignProcess(soloChild, p))).toBe('STATUS_ACCESS_DENIED');
    // solo has no parent and never had a process: it nests under outer, its subtree with it.
    ok(jobs.assignProcess(solo, p));
    expect(jobs.jobParent(solo)).toEqual({ status: 0, job: outer });
    ok(jobs.assignProcess(soloChild, p));
    expect(processInfo(jobs, p).Job).toBe(soloChild);
    expect(jobs.queryEffectiveLimits(soloChild).info!.PerProcessUserTimeLimit).toBe(500);
    for (const j of [outer, solo, soloChild]) expect(accounting(jobs, j).BasicInfo.ActiveProcesses).toBe(1);
    // A parentless job that had a process, even one now gone, does not.
    const used = newJob(jobs);
    const q = processIn(jobs, used);
    ok(jobs.exitProcess(q, 0));
    expect(st(jobs.assignProcess(used, processIn(jobs, outer)))).toBe('STATUS_ACCESS_DENIED');
  });

  test('joining posts NEW_PROCESS to each job joined; the jobs above already had the process', () => {
    const jobs = make();
    const [a, b, c] = chain(jobs, 3) as [number, number, number];
    const p = processIn(jobs, a);
    drain(jobs, a);
    ok(jobs.assignProcess(c, p));
    expect(drain(jobs, a)).toEqual([]);
    expect(drain(jobs, b)).toEqual([{ message: NEW, process: p, job: c }]);
    expect(drain(jobs, c)).toEqual([{ message: NEW, process: p, job: c }]);
  });

  test('TerminateJobObject ends the job and its child jobs bottom first; only the jobs above get EXIT_PROCESS', () => {
    const jobs = make();
    const [a, b, c] = chain(jobs, 3) as [number, number, number];
    const pb = processIn(jobs, b);
    const pc = processIn(jobs, c);
    const pa = processIn(jobs, a);
    for (const j of [a, b, c]) drain(jobs, j);
    ok(jobs.terminateJob(b, 77));
    for (const x of [pb, pc]) expect(processInfo(jobs, x)).toMatchObject({ Active: false, ExitCode: 77 });
    expect(processInfo(jobs, pa).Active).toBe(true);
    // The bottom of the hierarchy first: pc, then pb.
    expect(drain(jobs, a)).toEqual([{ message: EXIT, process: pc, job: c }, { message: EXIT, process: pb, job: b }]);
    expect(messageIds(jobs, b)).toEqual([ZERO]);
    expect(messageIds(jobs, c)).toEqual([ZERO]);
    expect(accounting(jobs, a).BasicInfo).toMatchObject({ ActiveProcesses: 1, TotalTerminatedProcesses: 0 });
  });

  test('a closed job id is invalid at once; the job lives while it has processes or child jobs, then its id is reused', () => {
    const jobs = make();
    const parent = newJob(jobs);
    const child = newJob(jobs, parent);
    const p = processIn(jobs, child);
    ok(jobs.closeJob(parent));
    for (const r of [jobs.closeJob(parent), jobs.terminateJob(parent, 0), jobs.assignProcess(parent, p), jobs.jobParent(parent).status]) {
      expect(st(r)).toBe('STATUS_INVALID_HANDLE');
    }
    expect(st(jobs.createJob(parent).status)).toBe('STATUS_INVALID_HANDLE');
    // The closed parent still counts and limits.
    expect(jobs.jobParent(child)).toEqual({ status: 0, job: parent });
    ok(jobs.closeJob(child));
    ok(jobs.charge(p, K.CpuTime, 1, 1));
    const other = newJob(jobs);
    expect([parent, child]).not.toContain(other);
    ok(jobs.exitProcess(p, 0));
    ok(jobs.deleteProcess(p));
    // Both are free now; the most recently freed id comes back first.
    const again = newJob(jobs);
    expect([parent, child]).toContain(again);
    expect(accounting(jobs, again).BasicInfo.TotalProcesses).toBe(0);
  });

  test('process ids: delete only after exit, then the id is reused', () => {
    const jobs = make();
    const j = newJob(jobs);
    const p = processIn(jobs, j);
    expect(st(jobs.deleteProcess(p))).toBe('STATUS_INVALID_PARAMETER');
    ok(jobs.exitProcess(p, 3));
    expect(st(jobs.exitProcess(p, 3))).toBe('STATUS_PROCESS_IS_TERMINATING');
    expect(st(jobs.setRunnable(p, 1))).toBe('STATUS_PROCESS_IS_TERMINATING');
    expect(st(jobs.assignProcess(j, p))).toBe('STATUS_PROCESS_IS_TERMINATING');
    expect(st(jobs.createProcess(p).status)).toBe('STATUS_PROCESS_IS_TERMINATING');
    expect(processInfo(jobs, p)).toMatchObject({ Active: false, ExitCode: 3, Job: j });
    ok(jobs.deleteProcess(p));
    for (const r of [jobs.deleteProcess(p), jobs.exitProcess(p, 0), jobs.queryProcess(p).status]) expect(st(r)).toBe('STATUS_INVALID_CID');
    expect(jobs.createProcess(0).process).toBe(p);
    expect(processInfo(jobs, p)).toMatchObject({ Job: 0, Active: true, UserTime: 0 });
  });

  test('exit codes read back unsigned; setRunnable takes 0 … maxThreads', () => {
    const jobs = make();
    const p = processIn(jobs, newJob(jobs));
    for (const bad of [-1, JOBS_LIMITS.maxThreads + 1]) expect(st(jobs.setRunnable(p, bad))).toBe('STATUS_INVALID_PARAMETER');
    ok(jobs.setRunnable(p, JOBS_LIMITS.maxThreads));
    expect(processInfo(jobs, p).Threads).toBe(JOBS_LIMITS.maxThreads);
    ok(jobs.exitProcess(p, 0xc0000005 | 0));
    expect(processInfo(jobs, p)).toMatchObject({ ExitCode: 0xc0000005, Threads: 0 });
  });

  test('unknown ids everywhere answer a status', () => {
    const jobs = make();
    for (const j of [0, -1, 1, 999, 2 ** 31]) {
      expect(st(jobs.closeJob(j))).toBe('STATUS_INVALID_HANDLE');
      expect(st(jobs.terminateJob(j, 0))).toBe('STATUS_INVALID_HANDLE');
      expect(st(jobs.jobParent(j).status)).toBe('STATUS_INVALID_HANDLE');
      expect(st(jobs.readMessages(j).status)).toBe('STATUS_INVALID_HANDLE');
      expect(st(jobs.queryEffectiveLimits(j).status)).toBe('STATUS_INVALID_HANDLE');
      expect(st(jobs.queryCpuRateControl(j).status)).toBe('STATUS_INVALID_HANDLE');
      expect(st(jobs.setCpuRateControl(j, { ControlFlags: 0 }))).toBe('STATUS_INVALID_HANDLE');
    }
    expect(st(jobs.createJob(5).status)).toBe('STATUS_INVALID_HANDLE');
    for (const p of [-1, 1, 999]) {
      expect(st(jobs.createProcess(p).status)).toBe('STATUS_INVALID_CID');
      expect(st(jobs.assignProcess(newJob(jobs), p))).toBe('STATUS_INVALID_CID');
      expect(st(jobs.setRunnable(p, 1))).toBe('STATUS_INVALID_CID');
    }
  });
});
