// Limits: JOBOBJECT_EXTENDED_LIMIT_INFORMATION as set and as in force (the
// strictest on the chain), what each limit does when reached, and the
// statuses and Win32 errors programs see.
import { describe, expect, test } from 'vitest';
import * as S from '../../../src/core/ntstatus.js';
import { ERROR_COMMITMENT_LIMIT, ERROR_NOT_ENOUGH_QUOTA, ntStatusToWin32, win32Message } from '../../../src/core/win32.js';
import {
  ABOVE_NORMAL_PRIORITY_CLASS,
  BELOW_NORMAL_PRIORITY_CLASS,
  CREATE_BREAKAWAY_FROM_JOB,
  IDLE_PRIORITY_CLASS,
  JOB_OBJECT_LIMIT_ACTIVE_PROCESS as L_ACTIVE,
  JOB_OBJECT_LIMIT_AFFINITY as L_AFFINITY,
  JOB_OBJECT_LIMIT_BREAKAWAY_OK as L_BREAKAWAY,
  JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION as L_DIE,
  JOB_OBJECT_LIMIT_JOB_MEMORY as L_JOB_MEMORY,
  JOB_OBJECT_LIMIT_JOB_TIME as L_JOB_TIME,
  JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE as L_KILL,
  JOB_OBJECT_LIMIT_PRESERVE_JOB_TIME as L_PRESERVE,
  JOB_OBJECT_LIMIT_PRIORITY_CLASS as L_PRIORITY,
  JOB_OBJECT_LIMIT_PROCESS_MEMORY as L_PROCESS_MEMORY,
  JOB_OBJECT_LIMIT_PROCESS_TIME as L_PROCESS_TIME,
  JOB_OBJECT_LIMIT_SCHEDULING_CLASS as L_SCHEDULING,
  JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK as L_SILENT,
  JOB_OBJECT_LIMIT_SUBSET_AFFINITY as L_SUBSET,
  JOB_OBJECT_LIMIT_VALID_FLAGS,
  JOB_OBJECT_LIMIT_WORKINGSET as L_WORKINGSET,
  JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT,
  JOB_OBJECT_MSG_END_OF_JOB_TIME,
  JOB_OBJECT_MSG_END_OF_PROCESS_TIME,
  JOB_OBJECT_MSG_JOB_MEMORY_LIMIT,
  JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT,
  JOB_OBJECT_POST_AT_END_OF_JOB,
  JobCharge as K,
  NORMAL_PRIORITY_CLASS,
  type ExtendedLimitInput,
  type JobObjects,
} from '../../../src/core/jobs/index.js';
import { IMPLS, accounting, chain, drain, limits, messageIds, newJob, ok, processIn, processInfo, st } from './support.js';

const set = (jobs: JobObjects, job: number, LimitFlags: number, rest: Omit<ExtendedLimitInput, 'BasicLimitInformation'> & Record<string, number> = {}) => {
  const { ProcessMemoryLimit, JobMemoryLimit, ...basic } = rest;
  return jobs.setExtendedLimits(job, { BasicLimitInformation: { LimitFlags, ...basic }, ProcessMemoryLimit, JobMemoryLimit });
};

describe('the statuses limits return, as programs see them', () => {
  test('a commit past a job memory limit is STATUS_COMMITMENT_LIMIT, Win32 1455', () => {
    expect(S.STATUS_COMMITMENT_LIMIT >>> 0).toBe(0xc000012d);
    expect(ntStatusToWin32(S.STATUS_COMMITMENT_LIMIT)).toBe(ERROR_COMMITMENT_LIMIT);
    expect(ERROR_COMMITMENT_LIMIT).toBe(1455);
    expect(win32Message(1455)).toBe('The paging file is too small for this operation to complete.');
  });

  test('the process past an active process limit is STATUS_QUOTA_EXCEEDED, Win32 1816', () => {
    // RtlNtStatusToDosError maps STATUS_QUOTA_EXCEEDED (0xC0000044) to ERROR_NOT_ENOUGH_QUOTA.
    expect(S.STATUS_QUOTA_EXCEEDED >>> 0).toBe(0xc0000044);
    expect(ntStatusToWin32(S.STATUS_QUOTA_EXCEEDED)).toBe(ERROR_NOT_ENOUGH_QUOTA);
    expect(ERROR_NOT_ENOUGH_QUOTA).toBe(1816);
    expect(win32Message(1816)).toBe('Not enough quota is available to process this command.');
  });

  test('a call on a process that has exited is STATUS_PROCESS_IS_TERMINATING, Win32 ERROR_ACCESS_DENIED', () => {
    expect(S.STATUS_PROCESS_IS_TERMINATING >>> 0).toBe(0xc000010a);
    expect(ntStatusToWin32(S.STATUS_PROCESS_IS_TERMINATING)).toBe(5);
  });
});

describe.each(IMPLS)('limits (%s)', (_name, make) => {
  test('job memory: a commit past the limit of any job on the chain fails whole and posts JOB_MEMORY_LIMIT', () => {
    const jobs = make();
    const [a, b, c] = chain(jobs, 3) as [number, number, number];
    ok(set(jobs, a, L_JOB_MEMORY, { JobMemoryLimit: 10_000 }));
    ok(set(jobs, c, L_JOB_MEMORY, { JobMemoryLimit: 1e9 }));
    const p = processIn(jobs, c);
    const q = processIn(jobs, b);
    ok(jobs.charge(p, K.Commit, 6000));
    ok(jobs.charge(q, K.Commit, 4000)); // exactly at the limit
    drain(jobs, a);
    expect(st(jobs.charge(q, K.Commit, 1))).toBe('STATUS_COMMITMENT_LIMIT');
    expect(st(jobs.charge(p, K.Commit, 1))).toBe('STATUS_COMMITMENT_LIMIT');
    expect(processInfo(jobs, p).PagefileUsage).toBe(6000);
    expect(limits(jobs, a).PeakJobMemoryUsed).toBe(10_000);
    // The innermost job whose limit is hit posts, to itself and its ancestors.
    expect(drain(jobs, a)).toEqual([
      { message: JOB_OBJECT_MSG_JOB_MEMORY_LIMIT, process: q, job: a },
      { message: JOB_OBJECT_MSG_JOB_MEMORY_LIMIT, process: p, job: a },
    ]);
    expect(messageIds(jobs, c)).not.toContain(JOB_OBJECT_MSG_JOB_MEMORY_LIMIT);
    ok(jobs.charge(q, K.Commit, -1000));
    ok(jobs.charge(p, K.Commit, 1000));
  });

  test('process memory: the effective limit is the most restrictive on the chain; PROCESS_MEMORY_LIMIT', () => {
    const jobs = make();
    const [a, b] = chain(jobs, 2) as [number, number];
    ok(set(jobs, a, L_PROCESS_MEMORY, { ProcessMemoryLimit: 5000 }));
    ok(set(jobs, b, L_PROCESS_MEMORY, { ProcessMemoryLimit: 8000 }));
    expect(jobs.queryEffectiveLimits(b).info).toMatchObject({ LimitFlags: L_PROCESS_MEMORY, ProcessMemoryLimit: 5000 });
    expect(limits(jobs, b).ProcessMemoryLimit).toBe(8000);
    const p = processIn(jobs, b);
    const q = processIn(jobs, b);
    ok(jobs.charge(p, K.Commit, 5000));
    expect(st(jobs.charge(p, K.Commit, 1))).toBe('STATUS_COMMITMENT_LIMIT');
    ok(jobs.charge(q, K.Commit, 5000)); // per process, not per job
    expect(drain(jobs, a).filter((m) => m.message === JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT)).toEqual([
      { message: JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT, process: p, job: b },
    ]);
    // A tighter limit on the child wins.
    ok(set(jobs, b, L_PROCESS_MEMORY, { ProcessMemoryLimit: 1000 }));
    expect(jobs.queryEffectiveLimits(b).info!.ProcessMemoryLimit).toBe(1000);
    ok(jobs.charge(p, K.Commit, -4500));
    expect(st(jobs.charge(p, K.Commit, 501))).toBe('STATUS_COMMITMENT_LIMIT');
    ok(jobs.charge(p, K.Commit, 500));
  });

  test('memory committed before an assignment is not examined and counts in the job', () => {
    const jobs = make();
    const j = newJob(jobs);
    ok(set(jobs, j, L_JOB_MEMORY | L_PROCESS_MEMORY, { JobMemoryLimit: 1000, ProcessMemoryLimit: 500 }));
    const p = processIn(jobs, 0);
    ok(jobs.charge(p, K.Commit, 4000));
    ok(jobs.assignProcess(j, p));
    expect(limits(jobs, j)).toMatchObject({ PeakJobMemoryUsed: 4000, PeakProcessMemoryUsed: 4000 });
    expect(st(jobs.charge(p, K.Commit, 1))).toBe('STATUS_COMMITMENT_LIMIT');
    ok(jobs.charge(p, K.Commit, -3800));
    expect(st(jobs.charge(p, K.Commit, 301))).toBe('STATUS_COMMITMENT_LIMIT');
    ok(jobs.charge(p, K.Commit, 300));
  });

  test('active processes: creating one more fails with STATUS_QUOTA_EXCEEDED, counted, ACTIVE_PROCESS_LIMIT posted', () => {
    const jobs = make();
    const [a, b] = chain(jobs, 2) as [number, number];
    ok(set(jobs, a, L_ACTIVE, { ActiveProcessLimit: 2 }));
    const p = processIn(jobs, b);
    const c1 = jobs.createProcess(p);
    ok(c1.status);
    drain(jobs, a);
    const c2 = jobs.createProcess(p);
    expect(st(c2.status)).toBe('STATUS_QUOTA_EXCEEDED');
    expect(c2.process).toBe(0);
    expect(drain(jobs, a)).toEqual([{ message: JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT, process: 0, job: a }]);
    for (const j of [a, b]) expect(accounting(jobs, j).BasicInfo).toMatchObject({ TotalProcesses: 3, ActiveProcesses: 2, TotalTerminatedProcesses: 1 });
    // Once one exits there is room again.
    ok(jobs.exitProcess(c1.process, 0));
    ok(jobs.createProcess(p).status);
  });

  test('active processes: an assignment past the limit terminates the process with ERROR_NOT_ENOUGH_QUOTA', () => {
    const jobs = make();
    const j = newJob(jobs);
    ok(set(jobs, j, L_ACTIVE, { ActiveProcessLimit: 1 }));
    const member = processIn(jobs, j);
    const q = processIn(jobs, 0);
    expect(st(jobs.assignProcess(j, q))).toBe('STATUS_QUOTA_EXCEEDED');
    expect(processInfo(jobs, q)).toMatchObject({ Job: 0, Active: false, ExitCode: ERROR_NOT_ENOUGH_QUOTA });
    expect(accounting(jobs, j).BasicInfo).toMatchObject({ TotalProcesses: 2, ActiveProcesses: 1, TotalTerminatedProcesses: 1 });
    // A limit of 0 admits nobody.
    ok(set(jobs, j, L_ACTIVE, { ActiveProcessLimit: 0 }));
    expect(st(jobs.createProcess(member).status)).toBe('STATUS_QUOTA_EXCEEDED');
  });

  test('per-process time: user time stops at the strictest limit and the process ends, END_OF_PROCESS_TIME first', () => {
    const jobs = make();
    const [a, b] = chain(jobs, 2) as [number, number];
    ok(set(jobs, a, L_PROCESS_TIME, { PerProcessUserTimeLimit: 1000 }));
    ok(set(jobs, b, L_PROCESS_TIME, { PerProcessUserTimeLimit: 5000 }));
    expect(jobs.queryEffectiveLimits(b).info!.PerProcessUserTimeLimit).toBe(1000);
    const p = processIn(jobs, b);
    drain(jobs, a);
    ok(jobs.charge(p, K.CpuTime, 999, 0));
    expect(st(jobs.charge(p, K.CpuTime, 50, 7))).toBe('STATUS_QUOTA_EXCEEDED');
    expect(processInfo(jobs, p)).toMatchObject({ Active: false, ExitCode: ERROR_NOT_ENOUGH_QUOTA, UserTime: 1000, KernelTime: 7 });
    // To the parent: END_OF_PROCESS_TIME and EXIT_PROCESS from the immediate job, then its own
    // ACTIVE_PROCESS_ZERO (the child's ACTIVE_PROCESS_ZERO is the child's).
    expect(drain(jobs, a).map((m) => [m.message, m.process, m.job])).toEqual([
      [JOB_OBJECT_MSG_END_OF_PROCESS_TIME, p, b],
      [7, p, b],
      [4, 0, a],
    ]);
    expect(messageIds(jobs, b)).toEqual([6, JOB_OBJECT_MSG_END_OF_PROCESS_TIME, 7, 4]);
    expect(accounting(jobs, a).BasicInfo).toMatchObject({ TotalUserTime: 1000, TotalTerminatedProcesses: 1 });
  });

  test('per-process time: setting a limit below what a process used ends it; a new process at limit 0 ends at once', () => {
    const jobs = make();
    const j = newJob(jobs);
    const p = processIn(jobs, j);
    const q = processIn(jobs, j);
    ok(jobs.charge(p, K.CpuTime, 300, 0));
    ok(jobs.charge(q, K.CpuTime, 100, 0));
    ok(set(jobs, j, L_PROCESS_TIME, { PerProcessUserTimeLimit: 200 }));
    expect(processInfo(jobs, p)).toMatchObject({ Active: false, ExitCode: ERROR_NOT_ENOUGH_QUOTA });
    expect(processInfo(jobs, q).Active).toBe(true);
    const child = jobs.createProcess(q);
    ok(set(jobs, j, L_PROCESS_TIME, { PerProcessUserTimeLimit: 0 }));
    expect(processInfo(jobs, q).Active).toBe(false);
    expect(processInfo(jobs, child.process).Active).toBe(false);
    // Joining succeeds and the limit then acts.
    const late = processIn(jobs, j);
    expect(processInfo(jobs, late)).toMatchObject({ Job: j, Active: false, ExitCode: ERROR_NOT_ENOUGH_QUOTA });
  });

  test('per-job time (TERMINATE): reaching it ends every process below and keeps new ones out until reset', () => {
    const jobs = make();
    const [a, b] = chain(jobs, 2) as [number, number];
    ok(set(jobs, a, L_JOB_TIME, { PerJobUserTimeLimit: 1000 }));
    const p = processIn(jobs, b);
    const q = processIn(jobs, a);
    ok(jobs.charge(p, K.CpuTime, 600, 0));
    expect(st(jobs.charge(q, K.CpuTime, 600, 0))).toBe('STATUS_QUOTA_EXCEEDED');
    for (const x of [p, q]) expect(processInfo(jobs, x)).toMatchObject({ Active: false, ExitCode: ERROR_NOT_ENOUGH_QUOTA });
    expect(processInfo(jobs, q).UserTime).toBe(400);
    expect(accounting(jobs, a).BasicInfo).toMatchObject({ ThisPeriodTotalUserTime: 1000, ActiveProcesses: 0, TotalTerminatedProcesses: 2 });
    // "No additional processes can be assigned to the job until the limit is reset."
    expect(st(jobs.createProcess(0).status)).toBe('STATUS_SUCCESS');
    const outsider = processIn(jobs, 0);
    expect(st(jobs.assignProcess(b, outsider))).toBe('STATUS_QUOTA_EXCEEDED');
    expect(processInfo(jobs, outsider)).toMatchObject({ Active: false, ExitCode: ERROR_NOT_ENOUGH_QUOTA });
    ok(set(jobs, a, L_JOB_TIME, { PerJobUserTimeLimit: 1000 }));
    expect(accounting(jobs, a).BasicInfo.ThisPeriodTotalUserTime).toBe(0);
    processIn(jobs, b);
  });

  test('per-job time (POST_AT_END_OF_JOB): END_OF_JOB_TIME is posted, the limit cleared, processes go on', () => {
    const jobs = make();
    const j = newJob(jobs);
    ok(jobs.setEndOfJobTimeAction(j, JOB_OBJECT_POST_AT_END_OF_JOB));
    ok(set(jobs, j, L_JOB_TIME | L_KILL, { PerJobUserTimeLimit: 100 }));
    const p = processIn(jobs, j);
    drain(jobs, j);
    ok(jobs.charge(p, K.CpuTime, 150, 0));
    expect(processInfo(jobs, p)).toMatchObject({ Active: true, UserTime: 150 });
    expect(drain(jobs, j)).toEqual([{ message: JOB_OBJECT_MSG_END_OF_JOB_TIME, process: 0, job: j }]);
    expect(limits(jobs, j).BasicLimitInformation).toMatchObject({ LimitFlags: L_KILL, PerJobUserTimeLimit: 0 });
    ok(jobs.charge(p, K.CpuTime, 1000, 0));
    expect(accounting(jobs, j).BasicInfo.ThisPeriodTotalUserTime).toBe(1150);
  });

  test('KILL_ON_JOB_CLOSE: closing the job ends the processes of it and its child jobs', () => {
    const jobs = make();
    const [a, b] = chain(jobs, 2) as [number, number];
    const p = processIn(jobs, a);
    const q = processIn(jobs, b);
    ok(set(jobs, a, L_KILL));
    ok(jobs.closeJob(a));
    for (const x of [p, q]) expect(processInfo(jobs, x)).toMatchObject({ Active: false, ExitCode: 0 });
    expect(accounting(jobs, b).BasicInfo).toMatchObject({ ActiveProcesses: 0, TotalTerminatedProcesses: 0 });
    // Without the flag, closing leaves them running.
    const c = newJob(jobs);
    const r = processIn(jobs, c);
    ok(jobs.closeJob(c));
    expect(processInfo(jobs, r).Active).toBe(true);
  });

  test('breakaway: CREATE_BREAKAWAY_FROM_JOB needs BREAKAWAY_OK; SILENT_BREAKAWAY_OK needs no flag', () => {
    const jobs = make();
    const j = newJob(jobs);
    const p = processIn(jobs, j);
    expect(st(jobs.createProcess(p, CREATE_BREAKAWAY_FROM_JOB).status)).toBe('STATUS_ACCESS_DENIED');
    expect(st(jobs.createProcess(p, 0x10).status)).toBe('STATUS_INVALID_PARAMETER');
    ok(set(jobs, j, L_BREAKAWAY));
    const out = jobs.createProcess(p, CREATE_BREAKAWAY_FROM_JOB);
    const inside = jobs.createProcess(p);
    expect(processInfo(jobs, out.process).Job).toBe(0);
    expect(processInfo(jobs, inside.process).Job).toBe(j);
    ok(set(jobs, j, L_SILENT));
    expect(processInfo(jobs, jobs.createProcess(p).process).Job).toBe(0);
    expect(processInfo(jobs, jobs.createProcess(p, CREATE_BREAKAWAY_FROM_JOB).process).Job).toBe(0);
  });

  test('breakaway in a nested chain goes up until a job that does not permit it; not at all if the immediate job does not', () => {
    const jobs = make();
    const [a, b, c] = chain(jobs, 3) as [number, number, number];
    ok(set(jobs, c, L_BREAKAWAY));
    ok(set(jobs, b, L_BREAKAWAY));
    const p = processIn(jobs, c);
    expect(processInfo(jobs, jobs.createProcess(p, CREATE_BREAKAWAY_FROM_JOB).process).Job).toBe(a);
    ok(set(jobs, a, L_SILENT));
    expect(processInfo(jobs, jobs.createProcess(p, CREATE_BREAKAWAY_FROM_JOB).process).Job).toBe(0);
    ok(set(jobs, c, 0));
    expect(processInfo(jobs, jobs.createProcess(p).process).Job).toBe(c);
    expect(st(jobs.createProcess(p, CREATE_BREAKAWAY_FROM_JOB).status)).toBe('STATUS_ACCESS_DENIED');
  });

  test('effective priority class, scheduling class and working set are the lowest on the chain', () => {
    const jobs = make();
    const [a, b] = chain(jobs, 2) as [number, number];
    ok(set(jobs, a, L_PRIORITY | L_SCHEDULING | L_WORKINGSET, { PriorityClass: NORMAL_PRIORITY_CLASS, SchedulingClass: 3, MinimumWorkingSetSize: 4096, MaximumWorkingSetSize: 1 << 20 }));
    ok(set(jobs, b, L_PRIORITY | L_SCHEDULING | L_WORKINGSET, { PriorityClass: ABOVE_NORMAL_PRIORITY_CLASS, SchedulingClass: 7, MinimumWorkingSetSize: 8192, MaximumWorkingSetSize: 1 << 19 }));
    expect(jobs.queryEffectiveLimits(b).info).toMatchObject({
      LimitFlags: L_PRIORITY | L_SCHEDULING | L_WORKINGSET, PriorityClass: NORMAL_PRIORITY_CLASS, SchedulingClass: 3,
      MinimumWorkingSetSize: 4096, MaximumWorkingSetSize: 1 << 19,
    });
    ok(set(jobs, b, L_PRIORITY, { PriorityClass: BELOW_NORMAL_PRIORITY_CLASS }));
    expect(jobs.queryEffectiveLimits(b).info).toMatchObject({ PriorityClass: BELOW_NORMAL_PRIORITY_CLASS, SchedulingClass: 3 });
    ok(set(jobs, a, L_PRIORITY, { PriorityClass: IDLE_PRIORITY_CLASS }));
    expect(jobs.queryEffectiveLimits(b).info!.PriorityClass).toBe(IDLE_PRIORITY_CLASS);
  });

  test('a nested affinity must be a subset of the parent effective one; a superset is ignored', () => {
    const jobs = make();
    ok(jobs.configure(8, 100_000));
    const [a, b] = chain(jobs, 2) as [number, number];
    ok(set(jobs, a, L_AFFINITY, { Affinity: 0b1111 }));
    ok(set(jobs, b, L_AFFINITY, { Affinity: 0b0110 }));
    expect(jobs.queryEffectiveLimits(b).info!.Affinity).toBe(0b0110);
    ok(set(jobs, b, L_AFFINITY, { Affinity: 0b110000 }));
    expect(jobs.queryEffectiveLimits(b).info!.Affinity).toBe(0b1111);
    expect(limits(jobs, b).BasicLimitInformation.Affinity).toBe(0b110000);
    expect(st(set(jobs, a, L_AFFINITY, { Affinity: 1 << 8 }))).toBe('STATUS_INVALID_PARAMETER');
  });

  test('members whose flag is clear read back as 0; flags read back without PRESERVE_JOB_TIME', () => {
    const jobs = make();
    const j = newJob(jobs);
    ok(set(jobs, j, L_DIE | L_JOB_MEMORY, { JobMemoryLimit: 1 << 20, ProcessMemoryLimit: 999, ActiveProcessLimit: 3, SchedulingClass: 4 }));
    const info = limits(jobs, j);
    expect(info).toEqual({
      BasicLimitInformation: {
        PerProcessUserTimeLimit: 0, PerJobUserTimeLimit: 0, LimitFlags: L_DIE | L_JOB_MEMORY, MinimumWorkingSetSize: 0,
        MaximumWorkingSetSize: 0, ActiveProcessLimit: 0, Affinity: 0, PriorityClass: 0, SchedulingClass: 0,
      },
      IoInfo: { ReadOperationCount: 0, WriteOperationCount: 0, OtherOperationCount: 0, ReadTransferCount: 0, WriteTransferCount: 0, OtherTransferCount: 0 },
      ProcessMemoryLimit: 0, JobMemoryLimit: 1 << 20, PeakProcessMemoryUsed: 0, PeakJobMemoryUsed: 0,
    });
    ok(set(jobs, j, L_PRESERVE));
    expect(limits(jobs, j).BasicLimitInformation.LimitFlags).toBe(0);
  });

  test('out-of-range limits are STATUS_INVALID_PARAMETER and change nothing', () => {
    const jobs = make();
    const j = newJob(jobs);
    ok(set(jobs, j, L_JOB_MEMORY, { JobMemoryLimit: 777 }));
    const bad: [string, number, Record<string, number>][] = [
      ['unknown flag', 0x8000, {}],
      ['all bits', -1, {}],
      ['JOB_TIME with PRESERVE_JOB_TIME', L_JOB_TIME | L_PRESERVE, { PerJobUserTimeLimit: 1 }],
      ['SUBSET_AFFINITY alone', L_SUBSET, {}],
      ['working set 0', L_WORKINGSET, { MinimumWorkingSetSize: 0, MaximumWorkingSetSize: 4096 }],
      ['working set min > max', L_WORKINGSET, { MinimumWorkingSetSize: 8192, MaximumWorkingSetSize: 4096 }],
      ['affinity 0', L_AFFINITY, { Affinity: 0 }],
      ['affinity beyond the host', L_AFFINITY, { Affinity: 1 << 4 }],
      ['priority class', L_PRIORITY, { PriorityClass: 0x10 }],
      ['scheduling class 10', L_SCHEDULING, { SchedulingClass: 10 }],
      ['scheduling class -1', L_SCHEDULING, { SchedulingClass: -1 }],
      ['negative process time', L_PROCESS_TIME, { PerProcessUserTimeLimit: -1 }],
      ['fractional job time', L_JOB_TIME, { PerJobUserTimeLimit: 1.5 }],
      ['NaN process memory', L_PROCESS_MEMORY, { ProcessMemoryLimit: NaN }],
      ['job memory 2^53', L_JOB_MEMORY, { JobMemoryLimit: 2 ** 53 }],
    ];
    for (const [what, flags, rest] of bad) expect(st(set(jobs, j, flags, rest)), what).toBe('STATUS_INVALID_PARAMETER');
    expect(limits(jobs, j)).toMatchObject({ JobMemoryLimit: 777, BasicLimitInformation: { LimitFlags: L_JOB_MEMORY } });
    expect(JOB_OBJECT_LIMIT_VALID_FLAGS).toBe(0x7fff);
    expect(st(jobs.setEndOfJobTimeAction(j, 2))).toBe('STATUS_INVALID_PARAMETER');
    expect(st(jobs.setEndOfJobTimeAction(j, -1))).toBe('STATUS_INVALID_PARAMETER');
    expect(st(set(jobs, j + 1, 0))).toBe('STATUS_INVALID_HANDLE');
    expect(st(jobs.setEndOfJobTimeAction(0, 0))).toBe('STATUS_INVALID_HANDLE');
  });

  test('configure: 1 … 32 processors and an interval of 1 … 10 s', () => {
    const jobs = make();
    for (const [c, i] of [[0, 1], [33, 1], [4, 0], [4, 100_000_001], [-1, -1]] as const) expect(st(jobs.configure(c, i))).toBe('STATUS_INVALID_PARAMETER');
    ok(jobs.configure(32, 100_000_000));
    expect(jobs.schedulerInformation()).toEqual({ cpuCount: 32, interval: 100_000_000, now: 0, lastGranted: 0 });
  });
});
