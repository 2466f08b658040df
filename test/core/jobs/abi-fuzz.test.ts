// Bad input never traps the WASM instance: every export, called with random
// arguments and garbage in its batch arrays, answers with a status; and
// running out of memory is a status too, leaving what exists intact.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as S from '../../../src/core/ntstatus.js';
import { instantiateCore } from '../../../src/core/wasm.js';
import { JobCharge, WasmJobObjects } from '../../../src/core/jobs/index.js';
import { numRuns, SEED } from '../../support/budget.js';
import { accounting, ok, st } from './support.js';

type Fn = (...args: number[]) => number;

describe('jobs ABI under random input', () => {
  test('random calls on every export never trap', () => {
    const x = instantiateCore<Record<string, Fn> & { memory: WebAssembly.Memory }>('jobs');
    // Before jobsInit every export answers a status too.
    expect(x.jobsTick!()).toBe(S.STATUS_INSUFFICIENT_RESOURCES);
    expect(x.jobsChargeBatch!(5)).toBe(S.STATUS_INSUFFICIENT_RESOURCES);
    expect(x.jobsBuffers!()).toBe(0);
    expect(x.jobsInit!()).toBe(0);
    const meta = x.jobsBuffers!() >>> 2;
    const u32 = () => new Uint32Array(x.memory.buffer);
    const [, BPROCESS, BKIND, BA, BB] = [...u32().subarray(meta, meta + 5)];
    // Something to act on: a small hierarchy with processes.
    const a = x.jobsCreateJob!(0);
    const b = x.jobsCreateJob!(a);
    for (let i = 0; i < 4; i++) x.jobsAssignProcess!(i % 2 ? a : b, x.jobsCreateProcess!(0, 0));
    const exports = Object.keys(x).filter((k) => k.startsWith('jobs') && k !== 'jobsInit' && typeof x[k] === 'function');
    expect(exports.length).toBe(25);
    const int = fc.oneof(fc.integer({ min: -2, max: 12 }), fc.integer(), fc.constantFrom(0x7fffffff, -0x80000000, 16384, 16385, 1 << 20));
    const num = fc.oneof(int, fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 2 ** 53, -0));
    fc.assert(
      fc.property(fc.constantFrom(...exports), fc.array(num, { minLength: 12, maxLength: 12 }), fc.array(int, { maxLength: 16 }), fc.array(fc.double(), { maxLength: 16 }), (name, args, procs, amounts) => {
        const mem = x.memory.buffer;
        new Int32Array(mem, BPROCESS, procs.length).set(procs);
        new Int32Array(mem, BKIND, procs.length).set(procs.map((p) => (p & 7) - 1));
        new Float64Array(mem, BA, amounts.length).set(amounts);
        new Float64Array(mem, BB, amounts.length).set(amounts.map((v) => -v));
        const r = x[name]!(...args);
        expect(typeof r === 'number' || r === undefined).toBe(true);
      }),
      { seed: SEED, numRuns: numRuns(20000) },
    );
    // Still consistent afterwards.
    expect(x.jobsTick!()).toBe(0);
  });

  test('memory exhaustion answers STATUS_INSUFFICIENT_RESOURCES and leaves what exists working', () => {
    const jobs = new WasmJobObjects({ maxPages: 48 }); // 3 MiB
    const top = jobs.createJob(0).job;
    let last = 0;
    let created = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const r = jobs.createJob(top);
      last = r.status;
      if (last !== 0) break;
      created++;
    }
    expect(st(last)).toBe('STATUS_INSUFFICIENT_RESOURCES');
    expect(created).toBeGreaterThan(1000);
    let processes = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const r = jobs.createProcess(0);
      last = r.status;
      if (last !== 0) break;
      processes++;
      ok(jobs.assignProcess(top + 1 + (i % created), r.process));
      ok(jobs.setRunnable(r.process, 1));
    }
    expect(st(last)).toBe('STATUS_INSUFFICIENT_RESOURCES');
    expect(processes).toBeGreaterThan(100);
    // A tick either runs or changes nothing; charges (which need no memory) go on.
    const before = accounting(jobs, top).BasicInfo.TotalUserTime;
    const t = jobs.tick();
    expect(['STATUS_SUCCESS', 'STATUS_INSUFFICIENT_RESOURCES']).toContain(st(t));
    if (t !== 0) expect(accounting(jobs, top).BasicInfo.TotalUserTime).toBe(before);
    ok(jobs.charge(1, JobCharge.CpuTime, 5, 5));
    expect(accounting(jobs, top).BasicInfo.ActiveProcesses).toBe(processes);
    expect(jobs.queryProcess(processes).info!.Active).toBe(true);
  });
});
