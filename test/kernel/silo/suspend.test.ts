// Silo.suspend / Silo.resume: the job freeze HCS PauseComputeSystem uses.
// A suspended silo's programs make no progress through any await their
// context offers; the scheduler charges them nothing; new processes and
// console control events wait; everything goes on, in order, on resume.
import { describe, expect, test } from 'vitest';
import { CTRL_C_EVENT, ExitCode } from '../../../src/kernel/process/constants.js';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { ManualTimers, newKernel, settle } from '../process/support.js';

const TOOL = 'C:\\Windows\\system32\\tool.exe';
const CHILD = 'C:\\Windows\\system32\\child.exe';

function setup() {
  const timers = new ManualTimers();
  const k = newKernel({ timers });
  const silo = k.createSilo({ flavor: 'nanoserver' });
  return { timers, k, silo };
}

describe('suspend and resume', () => {
  test('a Sleep that runs out while suspended completes on resume, not before', async () => {
    const { timers, k, silo } = setup();
    const steps: string[] = [];
    k.programs.register(TOOL, async (ctx: ProcessContext) => {
      steps.push('start');
      await ctx.sleep(100);
      steps.push('woke');
    });
    silo.start();
    silo.createProcess({ commandLine: 'tool' });
    await settle();
    silo.suspend();
    expect(silo.suspended).toBe(true);
    timers.advance(1000);
    await settle();
    expect(steps).toEqual(['start']);
    silo.resume();
    await settle();
    expect(steps).toEqual(['start', 'woke']);
  });

  test('a process created while suspended runs only after resume', async () => {
    const { k, silo } = setup();
    let ran = false;
    k.programs.register(TOOL, () => {
      ran = true;
    });
    silo.start();
    silo.suspend();
    const c = silo.createProcess({ commandLine: 'tool' });
    await settle();
    expect(ran).toBe(false);
    expect(c.process.running).toBe(true);
    silo.resume();
    expect(await c.wait()).toBe(0);
    expect(ran).toBe(true);
  });

  test('reads and writes of standard handles are held', async () => {
    const { k, silo } = setup();
    k.programs.register(TOOL, async (ctx: ProcessContext) => {
      const line = await ctx.stdin.readLine();
      await ctx.stdout.write(`got ${line}\n`);
    });
    silo.start();
    const c = silo.createProcess({ commandLine: 'tool', stdin: 'pipe', stdout: 'pipe' });
    await settle();
    silo.suspend();
    await c.stdin!.write('x\n');
    let out = '';
    void c.stdout!.readText().then((t) => (out = t));
    await settle();
    expect(out).toBe('');
    expect(c.process.running).toBe(true);
    silo.resume();
    expect(await c.wait()).toBe(0);
    await settle();
    expect(out).toBe('got x\n');
  });

  test('a program waiting on its child is held while suspended', async () => {
    const { k, silo } = setup();
    const steps: string[] = [];
    k.programs.register(CHILD, () => 5);
    k.programs.register(TOOL, async (ctx: ProcessContext) => {
      const child = ctx.spawn('child');
      steps.push(`child ${await child.wait()}`);
    });
    silo.start();
    silo.suspend();
    silo.createProcess({ commandLine: 'tool' });
    await settle();
    expect(steps).toEqual([]);
    silo.resume();
    await settle();
    expect(steps).toEqual(['child 5']);
  });

  test('the scheduler sees no runnable thread of a suspended silo; the counts come back on resume', async () => {
    const { k, silo } = setup();
    k.programs.register(TOOL, (ctx: ProcessContext) => {
      ctx.setRunnable(2);
      return new Promise<number>(() => {});
    });
    silo.start();
    const c = silo.createProcess({ commandLine: 'tool' });
    await settle();
    const time = () => k.jobs.queryAccounting(silo.job).info!.BasicInfo.TotalUserTime;
    k.tick();
    const one = time();
    expect(one).toBeGreaterThan(0);
    silo.suspend();
    k.tick();
    k.tick();
    expect(time()).toBe(one);
    expect(k.jobs.queryProcess(c.process.jobProcess).info!.Threads).toBe(0);
    silo.resume();
    expect(k.jobs.queryProcess(c.process.jobProcess).info!.Threads).toBe(2);
    k.tick();
    expect(time()).toBe(one * 2);
  });

  test('a console control event waits for resume', async () => {
    const { k, silo } = setup();
    k.programs.register(TOOL, (ctx: ProcessContext) => new Promise<number>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))));
    silo.start();
    const c = silo.createProcess({ commandLine: 'tool' });
    await settle();
    silo.suspend();
    c.sendCtrlEvent(CTRL_C_EVENT);
    expect(c.process.running).toBe(true);
    silo.resume();
    expect(await c.wait()).toBe(ExitCode.ControlC);
  });

  test('terminate ends a suspended silo: its processes end, the held programs unwind', async () => {
    const { timers, k, silo } = setup();
    let after = false;
    k.programs.register(TOOL, async (ctx: ProcessContext) => {
      await ctx.sleep(10);
      after = true;
      await ctx.stdout.write('x');
    });
    silo.start();
    const c = silo.createProcess({ commandLine: 'tool' });
    await settle();
    silo.suspend();
    timers.advance(10);
    silo.terminate();
    expect(silo.suspended).toBe(false);
    expect(await c.wait()).toBe(ExitCode.SiloTerminated);
    await settle();
    // The continuation ran and met the ended process (ProcessExitSignal), harmlessly.
    expect(after).toBe(true);
  });

  test('shutdown thaws a suspended silo first', async () => {
    const { k, silo } = setup();
    k.programs.register(TOOL, (ctx: ProcessContext) => new Promise<number>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))));
    silo.start();
    const c = silo.createProcess({ commandLine: 'tool' });
    await settle();
    silo.suspend();
    await silo.shutdown();
    expect(c.exitCode).toBe(ExitCode.ControlC);
  });

  test('only a running silo can be suspended; suspending twice and resuming a running silo do nothing', () => {
    const { silo } = setup();
    expect(() => silo.suspend()).toThrow(/is created/);
    silo.start();
    silo.suspend();
    silo.suspend();
    silo.resume();
    expect(silo.suspended).toBe(false);
    silo.resume();
    expect(silo.suspended).toBe(false);
  });
});
