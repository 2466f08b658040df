// The kernel's share of the host (src/kernel/process/scheduler.ts,
// memory-guard.ts; src/host/resources.ts's default limits): busy simulated
// processes give the host's event loop its turns, the machine's commit limit
// refuses and then ends a process filling the heap, and every container's job
// gets the default limits.
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { JOB_OBJECT_LIMIT_ACTIVE_PROCESS, JOB_OBJECT_LIMIT_JOB_MEMORY, WasmJobObjects } from '../../src/core/jobs/index.js';
import { ERROR_COMMITMENT_LIMIT, ERROR_NOT_ENOUGH_QUOTA, Win32Error } from '../../src/core/win32.js';
import { DEFAULT_CONTAINER_LIMITS, applyDefaultLimits } from '../../src/host/resources.js';
import { ExitCode } from '../../src/kernel/process/constants.js';
import type { ProcessContext } from '../../src/kernel/process/context.js';
import { Kernel } from '../../src/kernel/process/kernel.js';
import { PROCESS_LIMITS } from '../../src/kernel/process/limits.js';
import { MachineCommitLimit } from '../../src/kernel/process/memory-guard.js';
import { Pipe } from '../../src/kernel/process/pipe.js';
import { EVENT_LOOP_TURNS } from '../../src/kernel/process/scheduler.js';
import { recordReliability } from '../support/reliability.js';

const TOOL = 'C:\\Windows\\system32\\tool.exe';

function kernelWith(main: (ctx: ProcessContext) => unknown): Kernel {
  const k = new Kernel({ host: 'minimal' });
  k.programs.register(TOOL, main as never);
  return k;
}

/**
 * The longest the host's event loop went without a turn while `work` ran:
 * a 1 ms interval timer notes each turn. Decision for the bounds below: far
 * above the 4 ms slice (a loaded 2-core machine, GC pauses), far below what
 * microtask-only scheduling gave (the whole run).
 */
async function worstStall(work: () => Promise<void>): Promise<{ stall: number; total: number }> {
  let last = performance.now();
  let stall = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 1);
  const t0 = performance.now();
  await work();
  const total = performance.now() - t0;
  clearInterval(timer);
  stall = Math.max(stall, performance.now() - last);
  return { stall, total };
}

describe('scheduling: the event loop gets its turns', () => {
  it('a loop of process creations and waits that never awaits a macrotask lets host timers run', async () => {
    const k = kernelWith(() => 0);
    const yields0 = EVENT_LOOP_TURNS.yields;
    const { stall, total } = await worstStall(async () => {
      for (let i = 0; i < 3000; i++) await k.createProcess({ commandLine: 'tool' }).wait();
    });
    recordReliability({ family: 'load', suite: 'exec loop (3000 creations, microtasks only)', trials: 3000, failures: stall > 250 ? 1 : 0, detail: `worst event-loop stall ${stall.toFixed(1)} ms of ${total.toFixed(0)} ms` });
    expect(EVENT_LOOP_TURNS.yields).toBeGreaterThan(yields0);
    expect(stall).toBeLessThan(250);
  });

  it('a pipe ping-pong between two processes lets host timers run', async () => {
    const rounds = 20000;
    const k = kernelWith(async (ctx) => {
      if (ctx.argv[1] === 'echo') {
        for (let b = await ctx.stdin.read(); b !== null; b = await ctx.stdin.read()) await ctx.stdout.write(b);
        return 0;
      }
      const child = ctx.spawn('tool echo', { stdin: 'pipe', stdout: 'pipe' });
      for (let i = 0; i < rounds; i++) {
        await child.stdin!.write(new Uint8Array([i & 0xff]));
        if ((await child.stdout!.read()) === null) return 1;
      }
      child.stdin!.close();
      return await child.wait();
    });
    let code = -1;
    const { stall, total } = await worstStall(async () => {
      code = await k.createProcess({ commandLine: 'tool' }).wait();
    });
    recordReliability({ family: 'load', suite: `pipe ping-pong (${rounds} round trips)`, trials: rounds, failures: stall > 250 || code !== 0 ? 1 : 0, detail: `worst event-loop stall ${stall.toFixed(1)} ms of ${total.toFixed(0)} ms` });
    expect(code).toBe(0);
    expect(stall).toBeLessThan(250);
  });

  it('SwitchToThread settles at once while the slice lasts', async () => {
    const k = kernelWith(async (ctx) => {
      await ctx.switchToThread();
      return 7;
    });
    expect(await k.createProcess({ commandLine: 'tool' }).wait()).toBe(7);
    expect(PROCESS_LIMITS.eventLoopSliceMs).toBeGreaterThan(0);
  });
});

describe("memory: the machine's commit limit", () => {
  it('a commit probe past the limit is ERROR_COMMITMENT_LIMIT; asking again while still past it ends the process with STATUS_COMMITMENT_LIMIT', async () => {
    const seen: unknown[] = [];
    const k = kernelWith(async (ctx) => {
      try {
        ctx.probeCommit(0);
      } catch (e) {
        seen.push(e);
      }
      ctx.probeCommit(0);
      return 0;
    });
    // A limit the heap in use is already past.
    k.machineCommit = new MachineCommitLimit(1, 1);
    const code = await k.createProcess({ commandLine: 'tool' }).wait();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(Win32Error);
    expect((seen[0] as Win32Error).code).toBe(ERROR_COMMITMENT_LIMIT);
    expect(code).toBe(ExitCode.CommitRefused);
    expect(code).toBe(0xc000012d);
  });

  it('VirtualAlloc (ctx.commit) is refused past the machine limit and charges nothing', async () => {
    let err: unknown;
    let privateBytes = -1;
    const k = kernelWith(async (ctx) => {
      const before = ctx.process.privateBytes;
      try {
        ctx.commit(1 << 20);
      } catch (e) {
        err = e;
      }
      privateBytes = ctx.process.privateBytes - before;
      return 0;
    });
    // A limit below any heap in use: the commit is past it whatever a collection frees in between (a limit
    // of heap-in-use + 512 KiB was flaky under test:deep, where a collection could make room for the 1 MiB).
    k.machineCommit = new MachineCommitLimit(1, 1);
    expect(await k.createProcess({ commandLine: 'tool' }).wait()).toBe(0);
    expect((err as Win32Error).code).toBe(ERROR_COMMITMENT_LIMIT);
    expect(privateBytes).toBe(0);
  });

  it('the default limit is a share of the V8 heap limit', () => {
    const m = new MachineCommitLimit();
    expect(m.limit).toBe(Math.floor(getHeapStatistics().heap_size_limit * PROCESS_LIMITS.machineCommitFraction));
    expect(m.fits(0)).toBe(true);
  });
});

describe('default container limits (DECIDED, src/host/resources.ts)', () => {
  it('a job without limits gets the active-process limit and the default commit limit', () => {
    const jobs = new WasmJobObjects();
    const job = jobs.createJob(0).job;
    applyDefaultLimits(jobs, job);
    const l = jobs.queryExtendedLimits(job).info!;
    expect(l.BasicLimitInformation.LimitFlags & (JOB_OBJECT_LIMIT_ACTIVE_PROCESS | JOB_OBJECT_LIMIT_JOB_MEMORY)).toBe(JOB_OBJECT_LIMIT_ACTIVE_PROCESS | JOB_OBJECT_LIMIT_JOB_MEMORY);
    expect(l.BasicLimitInformation.ActiveProcessLimit).toBe(DEFAULT_CONTAINER_LIMITS.activeProcesses);
    expect(l.JobMemoryLimit).toBe(DEFAULT_CONTAINER_LIMITS.jobMemoryBytes);
  });

  it("`--memory` is kept: the default commit limit applies only where the user set none", () => {
    const jobs = new WasmJobObjects();
    const job = jobs.createJob(0).job;
    expect(jobs.setExtendedLimits(job, { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_JOB_MEMORY }, JobMemoryLimit: 512 * 2 ** 20 })).toBe(0);
    applyDefaultLimits(jobs, job);
    const l = jobs.queryExtendedLimits(job).info!;
    expect(l.JobMemoryLimit).toBe(512 * 2 ** 20);
    expect(l.BasicLimitInformation.ActiveProcessLimit).toBe(DEFAULT_CONTAINER_LIMITS.activeProcesses);
  });

  it('at the active-process limit CreateProcess fails with ERROR_NOT_ENOUGH_QUOTA and nothing is created', async () => {
    const k = kernelWith((ctx) => ctx.sleep(2 ** 31 - 1).then(() => 0));
    const silo = k.createSilo({ flavor: 'nanoserver' });
    silo.start();
    applyDefaultLimits(k.jobs, silo.job);
    // Down to a small limit for the test: the rule is the same at 1024.
    const l = k.jobs.queryExtendedLimits(silo.job).info!;
    const active = k.jobs.queryAccounting(silo.job).info!.BasicInfo.ActiveProcesses;
    expect(k.jobs.setExtendedLimits(silo.job, { BasicLimitInformation: { ...l.BasicLimitInformation, ActiveProcessLimit: active + 2 }, JobMemoryLimit: l.JobMemoryLimit })).toBe(0);
    const pipe = new Pipe();
    silo.createProcess({ commandLine: TOOL, stdin: pipe.readEnd() });
    silo.createProcess({ commandLine: TOOL, stdin: pipe.readEnd() });
    let err: unknown;
    try {
      silo.createProcess({ commandLine: TOOL });
    } catch (e) {
      err = e;
    }
    expect((err as Win32Error).code).toBe(ERROR_NOT_ENOUGH_QUOTA);
    expect((err as Win32Error).message).toContain('Not enough quota is available to process this command.');
    expect(k.jobs.queryAccounting(silo.job).info!.BasicInfo.ActiveProcesses).toBe(active + 2);
    silo.terminate();
  });
});
