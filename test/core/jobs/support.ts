/** Both implementations, and small helpers the job object tests share. */
import { expect } from 'vitest';
import { RefJobObjects, WasmJobObjects, type JobMessage, type JobObjects } from '../../../src/core/jobs/index.js';
import { ntStatusName } from '../../../src/core/ntstatus.js';

export const IMPLS: [string, () => JobObjects][] = [
  ['wasm', () => new WasmJobObjects()],
  ['ref', () => new RefJobObjects()],
];

/** `STATUS_X` for assertion messages that name the status. */
export const st = (s: number): string => ntStatusName(s);

/** Expects STATUS_SUCCESS, naming the status otherwise. */
export function ok(status: number): void {
  expect(st(status)).toBe('STATUS_SUCCESS');
}

export function newJob(jobs: JobObjects, parent = 0): number {
  const r = jobs.createJob(parent);
  ok(r.status);
  return r.job;
}

/** A chain of `depth` jobs, outermost first. */
export function chain(jobs: JobObjects, depth: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < depth; i++) out.push(newJob(jobs, out[i - 1] ?? 0));
  return out;
}

/** A process created by the host and assigned to `job` (0: left outside any job). */
export function processIn(jobs: JobObjects, job: number): number {
  const r = jobs.createProcess(0);
  ok(r.status);
  if (job !== 0) ok(jobs.assignProcess(job, r.process));
  return r.process;
}

/** The job's accounting (fails the test if the query fails). */
export function accounting(jobs: JobObjects, job: number) {
  const r = jobs.queryAccounting(job);
  ok(r.status);
  return r.info!;
}

export function limits(jobs: JobObjects, job: number) {
  const r = jobs.queryExtendedLimits(job);
  ok(r.status);
  return r.info!;
}

export function processInfo(jobs: JobObjects, process: number) {
  const r = jobs.queryProcess(process);
  ok(r.status);
  return r.info!;
}

/** Every message queued on the job, oldest first. */
export function drain(jobs: JobObjects, job: number): JobMessage[] {
  const all: JobMessage[] = [];
  for (;;) {
    const r = jobs.readMessages(job, 1024);
    ok(r.status);
    all.push(...r.messages);
    if (r.messages.length < 1024) return all;
  }
}

/** The message ids only, for compact expectations. */
export function messageIds(jobs: JobObjects, job: number): number[] {
  return drain(jobs, job).map((m) => m.message);
}
