// assembly/jobs cannot import from src/: its constant and limit tables are
// mirrors, pinned here to the TypeScript ones so they never drift.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as C from '../../../src/core/jobs/constants.js';
import { JOBS_LIMITS } from '../../../src/core/jobs/limits.js';

const read = (p: string) => readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8');

/** `export const NAME: type = value;` declarations of an AssemblyScript file. */
function constants(path: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [, name, value] of read(path).matchAll(/export const (\w+): \w+ = ([^;]+);/g)) {
    out.set(name!, Function(`return (${value})`)() as number);
  }
  return out;
}

describe('assembly/jobs mirrors src/core/jobs', () => {
  const as = constants('assembly/jobs/constants.ts');

  test('every winnt.h constant has the same value on both sides', () => {
    const prefixes = ['JOB_OBJECT_', 'CREATE_', '_PRIORITY_CLASS'];
    const ts = Object.entries(C).filter(([k, v]) => typeof v === 'number' && prefixes.some((p) => k.includes(p)));
    expect(ts.length).toBeGreaterThan(35);
    for (const [name, value] of ts) expect(as.get(name), name).toBe(value);
    for (const [name, value] of as) {
      if (!prefixes.some((p) => name.includes(p))) continue;
      expect((C as Record<string, unknown>)[name], name).toBe(value);
    }
  });

  test('charge kinds match JobCharge', () => {
    const names: Record<string, keyof typeof C.JobCharge> = {
      CHARGE_CPU_TIME: 'CpuTime', CHARGE_PAGE_FAULTS: 'PageFaults', CHARGE_READ_IO: 'ReadIo',
      CHARGE_WRITE_IO: 'WriteIo', CHARGE_OTHER_IO: 'OtherIo', CHARGE_COMMIT: 'Commit',
    };
    for (const [asName, tsName] of Object.entries(names)) expect(as.get(asName), asName).toBe(C.JobCharge[tsName]);
  });

  test('the abnormal exit codes are the same list', () => {
    const src = read('assembly/jobs/constants.ts');
    const body = src.slice(src.indexOf('export function isAbnormalExit'));
    const codes = [...body.matchAll(/case (0x[0-9a-f]+): \/\/ (\w+)/g)].map(([, hex, name]) => [Number(hex) | 0, name]);
    expect(codes).toEqual([...C.ABNORMAL_EXIT_CODES.entries()]);
  });

  test('limits match assembly/jobs/limits.ts', () => {
    const lim = constants('assembly/jobs/limits.ts');
    const pairs: [string, number][] = [
      ['MAX_JOBS', JOBS_LIMITS.maxJobs], ['MAX_PROCESSES', JOBS_LIMITS.maxProcesses], ['MAX_BATCH', JOBS_LIMITS.maxBatch],
      ['MAX_QUEUED_MESSAGES', JOBS_LIMITS.maxQueuedMessages], ['MAX_READ_MESSAGES', JOBS_LIMITS.maxReadMessages],
      ['MAX_CPUS', JOBS_LIMITS.maxCpus], ['DEFAULT_CPU_COUNT', JOBS_LIMITS.defaultCpuCount],
      ['DEFAULT_INTERVAL', JOBS_LIMITS.defaultInterval], ['MAX_INTERVAL', JOBS_LIMITS.maxInterval],
      ['MAX_THREADS', JOBS_LIMITS.maxThreads], ['DEFAULT_WEIGHT', JOBS_LIMITS.defaultWeight],
      ['MAX_WEIGHT', JOBS_LIMITS.maxWeight], ['RATE_SCALE', JOBS_LIMITS.rateScale], ['MAX_QUANTITY', JOBS_LIMITS.maxQuantity],
    ];
    for (const [name, value] of pairs) expect(lim.get(name), name).toBe(value);
    expect(lim.size).toBe(pairs.length);
  });
});
