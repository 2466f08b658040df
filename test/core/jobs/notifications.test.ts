// Notifications: the JOB_OBJECT_MSG_* identifiers of
// JOBOBJECT_ASSOCIATE_COMPLETION_PORT, "sent to every I/O completion port
// associated with any job in the parent job chain of the job that triggered
// the message", lpOverlapped being the process id or NULL as listed there.
import { describe, expect, test } from 'vitest';
import {
  ABNORMAL_EXIT_CODES,
  JOB_OBJECT_CPU_RATE_CONTROL_ENABLE,
  JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY,
  JOB_OBJECT_LIMIT_ACTIVE_PROCESS,
  JOB_OBJECT_LIMIT_JOB_MEMORY,
  JOB_OBJECT_LIMIT_JOB_TIME,
  JOB_OBJECT_LIMIT_PROCESS_MEMORY,
  JOB_OBJECT_LIMIT_PROCESS_TIME,
  JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS as ABNORMAL,
  JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT as ACTIVE_LIMIT,
  JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO as ZERO,
  JOB_OBJECT_MSG_END_OF_JOB_TIME as END_OF_JOB_TIME,
  JOB_OBJECT_MSG_END_OF_PROCESS_TIME as END_OF_PROCESS_TIME,
  JOB_OBJECT_MSG_EXIT_PROCESS as EXIT,
  JOB_OBJECT_MSG_JOB_MEMORY_LIMIT as JOB_MEMORY,
  JOB_OBJECT_MSG_NEW_PROCESS as NEW,
  JOB_OBJECT_MSG_NOTIFICATION_LIMIT as NOTIFICATION_LIMIT,
  JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT as PROCESS_MEMORY,
  JOB_OBJECT_POST_AT_END_OF_JOB,
  JOBS_LIMITS,
  JobCharge as K,
} from '../../../src/core/jobs/index.js';
import { IMPLS, chain, drain, messageIds, newJob, ok, processIn, st } from './support.js';

describe.each(IMPLS)('notifications (%s)', (_name, make) => {
  test('every message id reaches the job that triggered it and each of its ancestors', () => {
    const jobs = make();
    const [a, b, c] = chain(jobs, 3) as [number, number, number];
    const mem = JOB_OBJECT_LIMIT_JOB_MEMORY | JOB_OBJECT_LIMIT_PROCESS_MEMORY;
    ok(jobs.setExtendedLimits(c, {
      BasicLimitInformation: { LimitFlags: mem | JOB_OBJECT_LIMIT_ACTIVE_PROCESS | JOB_OBJECT_LIMIT_PROCESS_TIME, ActiveProcessLimit: 2, PerProcessUserTimeLimit: 100 },
      JobMemoryLimit: 1000, ProcessMemoryLimit: 600,
    }));
    ok(jobs.setEndOfJobTimeAction(c, JOB_OBJECT_POST_AT_END_OF_JOB));
    const p = processIn(jobs, c); // NEW_PROCESS
    const q = jobs.createProcess(p).process; // NEW_PROCESS
    expect(st(jobs.createProcess(p).status)).toBe('STATUS_QUOTA_EXCEEDED'); // ACTIVE_PROCESS_LIMIT
    expect(st(jobs.charge(p, K.Commit, 700))).toBe('STATUS_COMMITMENT_LIMIT'); // PROCESS_MEMORY_LIMIT
    ok(jobs.charge(p, K.Commit, 600));
    expect(st(jobs.charge(q, K.Commit, 500))).toBe('STATUS_COMMITMENT_LIMIT'); // JOB_MEMORY_LIMIT
    ok(jobs.setExtendedLimits(c, { BasicLimitInformation: { LimitFlags: mem | JOB_OBJECT_LIMIT_PROCESS_TIME | JOB_OBJECT_LIMIT_JOB_TIME, PerProcessUserTimeLimit: 100, PerJobUserTimeLimit: 50 }, JobMemoryLimit: 1000, ProcessMemoryLimit: 600 }));
    ok(jobs.charge(q, K.CpuTime, 60, 0)); // END_OF_JOB_TIME (posted, the processes go on)
    expect(st(jobs.charge(q, K.CpuTime, 60, 0))).toBe('STATUS_QUOTA_EXCEEDED'); // END_OF_PROCESS_TIME, EXIT_PROCESS
    ok(jobs.exitProcess(p, 0xc0000005 | 0)); // ABNORMAL_EXIT_PROCESS, ACTIVE_PROCESS_ZERO
    const expected = [
      { message: NEW, process: p, job: c },
      { message: NEW, process: q, job: c },
      { message: ACTIVE_LIMIT, process: 0, job: c },
      { message: PROCESS_MEMORY, process: p, job: c },
      { message: JOB_MEMORY, process: q, job: c },
      { message: END_OF_JOB_TIME, process: 0, job: c },
      { message: END_OF_PROCESS_TIME, process: q, job: c },
      { message: EXIT, process: q, job: c },
      { message: ABNORMAL, process: p, job: c },
    ];
    // Each job counts its own active processes: ACTIVE_PROCESS_ZERO names the job whose count fell to 0.
    for (const j of [a, b, c]) expect(drain(jobs, j)).toEqual([...expected, { message: ZERO, process: 0, job: j }]);
  });

  test('the exception codes JOBOBJECT_ASSOCIATE_COMPLETION_PORT lists are abnormal exits; others are not', () => {
    const jobs = make();
    const j = newJob(jobs);
    expect(ABNORMAL_EXIT_CODES.size).toBe(25);
    for (const code of [...ABNORMAL_EXIT_CODES.keys()]) {
      ok(jobs.exitProcess(processIn(jobs, j), code));
      expect(messageIds(jobs, j)).toEqual([NEW, ABNORMAL, ZERO]);
    }
    for (const code of [0, 1, 1816, 0xc0000044 | 0, 0xc0000135 | 0, 0x80000005 | 0, -1]) {
      ok(jobs.exitProcess(processIn(jobs, j), code));
      expect(messageIds(jobs, j), `exit code ${code}`).toEqual([NEW, EXIT, ZERO]);
    }
  });

  test('CPU rate NOTIFY posts NOTIFICATION_LIMIT when a job goes over its rate, once until it is back under', () => {
    const jobs = make();
    ok(jobs.configure(1, 10_000));
    const [a, b] = chain(jobs, 2) as [number, number];
    ok(jobs.setCpuRateControl(b, { ControlFlags: JOB_OBJECT_CPU_RATE_CONTROL_ENABLE | JOB_OBJECT_CPU_RATE_CONTROL_NOTIFY, CpuRate: 2000 }));
    const p = processIn(jobs, b);
    ok(jobs.setRunnable(p, 1));
    drain(jobs, a);
    for (let i = 0; i < 3; i++) ok(jobs.tick());
    // Alone on the host it gets all the CPU — over its 20 % — but is told once.
    expect(drain(jobs, a)).toEqual([{ message: NOTIFICATION_LIMIT, process: 0, job: b }]);
    ok(jobs.setRunnable(p, 0));
    ok(jobs.tick());
    ok(jobs.setRunnable(p, 1));
    ok(jobs.tick());
    expect(messageIds(jobs, b)).toEqual([NEW, NOTIFICATION_LIMIT, NOTIFICATION_LIMIT]);
  });

  test('messages come oldest first, at most `max` per read; a full queue drops and counts', () => {
    const jobs = make();
    const j = newJob(jobs);
    const p = processIn(jobs, j);
    expect(jobs.readMessages(j, 1)).toEqual({ status: 0, messages: [{ message: NEW, process: p, job: j }], dropped: 0 });
    for (const bad of [0, -1, JOBS_LIMITS.maxReadMessages + 1]) expect(st(jobs.readMessages(j, bad).status)).toBe('STATUS_INVALID_PARAMETER');
    ok(jobs.setExtendedLimits(j, { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_JOB_MEMORY }, JobMemoryLimit: 0 }));
    const extra = 10;
    for (let i = 0; i < JOBS_LIMITS.maxQueuedMessages + extra; i++) expect(st(jobs.charge(p, K.Commit, 1))).toBe('STATUS_COMMITMENT_LIMIT');
    const first = jobs.readMessages(j);
    expect(first.messages.length).toBe(64);
    expect(first.dropped).toBe(extra);
    expect(drain(jobs, j).length).toBe(JOBS_LIMITS.maxQueuedMessages - 64);
    expect(jobs.readMessages(j)).toEqual({ status: 0, messages: [], dropped: extra });
  });
});
