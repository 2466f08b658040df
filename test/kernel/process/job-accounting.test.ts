// Every process of a container is in its silo's job: accounting and limits
// through src/core/jobs (windows-facts §3), with the real errors.
import { describe, expect, test } from 'vitest';
import { JOB_OBJECT_LIMIT_ACTIVE_PROCESS, JOB_OBJECT_LIMIT_JOB_MEMORY, JOB_OBJECT_LIMIT_JOB_TIME, JOB_OBJECT_LIMIT_PROCESS_TIME, RefJobObjects, WasmJobObjects, type JobObjects } from '../../../src/core/jobs/index.js';
import { ERROR_COMMITMENT_LIMIT, ERROR_NOT_ENOUGH_QUOTA, Win32Error } from '../../../src/core/win32.js';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { ExitCode } from '../../../src/kernel/process/constants.js';
import { newKernel, settle } from './support.js';

const TOOL = 'C:\\Windows\\system32\\tool.exe';
const IMPLS: [string, () => JobObjects][] = [
  ['wasm', () => new WasmJobObjects()],
  ['ref', () => new RefJobObjects()],
];

const forever = (ctx: ProcessContext) => new Promise<number>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));

describe.each(IMPLS)('job accounting (%s)', (_name, makeJobs) => {
  function setup(main: (ctx: ProcessContext) => unknown, limits?: Parameters<ReturnType<typeof newKernel>['createSilo']>[0]) {
    const k = newKernel({ jobs: makeJobs() });
    k.programs.register(TOOL, main as never);
    const silo = k.createSilo({ flavor: 'nanoserver', ...limits });
    silo.start();
    return { k, silo };
  }

  test("every process of the container counts in the silo job's ActiveProcesses and TotalProcesses", async () => {
    const { silo } = setup(forever);
    const booted = silo.listProcesses().length;
    // The child smss that exited during boot counts in TotalProcesses only.
    expect(silo.accounting()!.BasicInfo).toMatchObject({ ActiveProcesses: booted, TotalProcesses: booted + 1 });
    const a = silo.createProcess({ commandLine: 'tool' });
    const b = silo.createProcess({ commandLine: 'tool' });
    expect(silo.accounting()!.BasicInfo).toMatchObject({ ActiveProcesses: booted + 2, TotalProcesses: booted + 3 });
    a.terminate();
    b.terminate();
    await settle();
    expect(silo.accounting()!.BasicInfo).toMatchObject({ ActiveProcesses: booted, TotalProcesses: booted + 3 });
  });

  test('at the active-process limit CreateProcess fails with ERROR_NOT_ENOUGH_QUOTA (1816)', () => {
    const { silo } = setup(forever, { limits: { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_ACTIVE_PROCESS, ActiveProcessLimit: 20 } } });
    const running = silo.listProcesses().length;
    for (let i = running; i < 20; i++) silo.createProcess({ commandLine: 'tool' });
    let err: unknown;
    try {
      silo.createProcess({ commandLine: 'tool' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Win32Error);
    expect((err as Win32Error).code).toBe(ERROR_NOT_ENOUGH_QUOTA);
    expect(silo.listProcesses().length).toBe(20);
  });

  test('a commit past the job memory limit fails with ERROR_COMMITMENT_LIMIT (1455) for the allocating program', async () => {
    let err: unknown;
    const { silo } = setup(
      (ctx) => {
        ctx.commit(8 << 20);
        try {
          ctx.commit(1 << 30);
        } catch (e) {
          err = e;
        }
        return 0;
      },
      { limits: { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_JOB_MEMORY }, JobMemoryLimit: 256 << 20 } },
    );
    expect(await silo.createProcess({ commandLine: 'tool' }).wait()).toBe(0);
    expect(err).toBeInstanceOf(Win32Error);
    expect((err as Win32Error).code).toBe(ERROR_COMMITMENT_LIMIT);
    expect(silo.limits()!.PeakJobMemoryUsed).toBeGreaterThan(8 << 20);
  });

  test("a process whose image's own commit does not fit ends before it runs, with STATUS_COMMITMENT_LIMIT", async () => {
    let ran = false;
    const limit = 128 << 20;
    const { silo } = setup(
      () => {
        ran = true;
        return 0;
      },
      { limits: { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_JOB_MEMORY }, JobMemoryLimit: limit } },
    );
    // Fill the job up to just under its limit, then start another program.
    const filler = silo.createProcess({
      commandLine: 'tool',
      program: (ctx) => {
        const committed = silo.listProcesses().reduce((n, p) => n + p.privateBytes, 0);
        ctx.commit(limit - committed - 4096);
        return forever(ctx);
      },
    });
    await settle();
    expect(filler.exitCode).toBe(259);
    const c = silo.createProcess({ commandLine: 'tool' });
    expect(await c.wait()).toBe(ExitCode.InitialCommitRefused);
    expect(ExitCode.InitialCommitRefused).toBe(0xc000012d);
    expect(ran).toBe(false);
    filler.terminate();
  });

  test('a process time limit ends the process with exit code 1816', async () => {
    const { silo } = setup(
      (ctx) => {
        for (;;) ctx.chargeCpu(10_000_000);
      },
      { limits: { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_PROCESS_TIME, PerProcessUserTimeLimit: 50_000_000 } } },
    );
    expect(await silo.createProcess({ commandLine: 'tool' }).wait()).toBe(ExitCode.JobLimit);
    expect(ExitCode.JobLimit).toBe(1816);
  });

  test('CPU and I/O a program uses roll up into the job', async () => {
    const { silo } = setup(async (ctx) => {
      ctx.chargeCpu(1_000_000, 250_000);
      await ctx.stdout.write('12345');
      await ctx.stdin.read();
      return 0;
    });
    const c = silo.createProcess({ commandLine: 'tool', stdin: 'pipe', stdout: 'pipe' });
    await c.stdin!.write('abc');
    c.stdin!.close();
    await c.wait();
    const a = silo.accounting()!;
    expect(a.BasicInfo.TotalUserTime).toBe(1_000_000);
    expect(a.BasicInfo.TotalKernelTime).toBe(250_000);
    expect(a.IoInfo).toMatchObject({ WriteOperationCount: 1, WriteTransferCount: 5, ReadOperationCount: 1, ReadTransferCount: 3 });
    expect(c.process.userTime).toBe(1_000_000);
  });

  test('the scheduler charges runnable processes each tick', async () => {
    const { k, silo } = setup((ctx) => {
      ctx.setRunnable(1);
      return forever(ctx);
    });
    const c = silo.createProcess({ commandLine: 'tool' });
    await settle();
    k.tick();
    expect(silo.accounting()!.BasicInfo.TotalUserTime).toBeGreaterThan(0);
    c.terminate();
  });

  test('a per-job time limit reached in a scheduler tick ends every process of the job with 1816', async () => {
    const { k, silo } = setup(
      (ctx) => {
        ctx.setRunnable(1);
        return forever(ctx);
      },
      { limits: { BasicLimitInformation: { LimitFlags: JOB_OBJECT_LIMIT_JOB_TIME, PerJobUserTimeLimit: 200_000 } } },
    );
    const busy = silo.createProcess({ commandLine: 'tool' });
    await settle();
    for (let i = 0; i < 10 && busy.exitCode === 259; i++) k.tick();
    expect(busy.exitCode).toBe(ExitCode.JobLimit);
    expect(silo.listProcesses()).toEqual([]);
  });

  test('host processes are in no job', () => {
    const { k } = setup(forever);
    k.programs.register(TOOL, forever);
    const c = k.createProcess({ commandLine: 'tool' });
    expect(c.process.jobProcess).toBe(0);
    c.terminate();
  });
});
