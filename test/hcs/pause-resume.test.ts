// HcsPauseComputeSystem / HcsResumeComputeSystem: a paused container's
// processes make no progress (timers, I/O, scheduler time, control events)
// and go on where they were on resume. Kernel timers are the test's.
import { describe, expect, test } from 'vitest';
import type { ProcessContext } from '../../src/kernel/process/index.js';
import { Collector, containerId, settle, sharedHost } from './support.js';

function running(name: string) {
  const h = sharedHost();
  const s = h.service.createComputeSystem(containerId(name), { Image: h.image(), Isolation: 'process' });
  s.start();
  return { h, s };
}

describe('pause and resume', () => {
  test('a program printing on a timer makes no progress while paused, and continues on resume', async () => {
    const { h, s } = running('ticker');
    const p = s.createProcess({ CommandLine: 'ticker.exe', CreateStdOutPipe: true });
    const out = new Collector(p.stdout);
    await settle();
    h.timers.advance(100);
    await settle();
    expect(out.text).toBe('tick 1\n');
    s.pause();
    for (let i = 0; i < 10; i++) {
      h.timers.advance(100);
      await settle();
    }
    expect(out.text).toBe('tick 1\n');
    s.resume();
    await settle();
    // The sleep that ran out while frozen completes now, as a suspended thread's wait does.
    expect(out.text).toBe('tick 1\ntick 2\n');
    h.timers.advance(100);
    await settle();
    expect(out.text).toBe('tick 1\ntick 2\ntick 3\n');
    s.terminate();
  });

  test('input that arrives while paused is read only after resume', async () => {
    const { s } = running('input');
    const p = s.createProcess({ CommandLine: 'cat.exe', CreateStdInPipe: true, CreateStdOutPipe: true });
    const out = new Collector(p.stdout);
    await settle();
    s.pause();
    await p.stdin!.write('while paused\n');
    await settle();
    expect(out.text).toBe('');
    s.resume();
    await settle();
    expect(out.text).toBe('while paused\n');
    s.terminate();
  });

  test('a paused container gets no scheduler time', async () => {
    const { h, s } = running('cpu');
    h.kernel.programs.register('C:\\Windows\\System32\\spin.exe', (ctx: ProcessContext) => {
      ctx.setRunnable(1);
      return new Promise<number>(() => {});
    });
    s.silo!.fs!.open('C:\\Windows\\System32\\spin.exe', 'C:\\', { disposition: 'create', write: true }).close();
    s.createProcess({ CommandLine: 'spin.exe' });
    await settle();
    const jobs = s.kernel.jobs;
    const used = () => jobs.queryAccounting(s.silo!.job).info!.BasicInfo.TotalUserTime;
    h.kernel.tick();
    const afterOne = used();
    expect(afterOne).toBeGreaterThan(0);
    s.pause();
    for (let i = 0; i < 5; i++) h.kernel.tick();
    expect(used()).toBe(afterOne);
    s.resume();
    h.kernel.tick();
    expect(used()).toBe(afterOne * 2);
    s.terminate();
  });

  test('a control event sent while paused is delivered on resume', async () => {
    const { s } = running('ctrl');
    const p = s.createProcess({ CommandLine: 'waiter.exe' });
    await settle();
    s.pause();
    p.signal('CtrlC');
    await settle();
    expect(p.running).toBe(true);
    s.resume();
    expect(await p.wait()).toBe(0xc000013a);
    s.terminate();
  });

  test('Terminate of a paused container ends its held programs', async () => {
    const { h, s } = running('term');
    const p = s.createProcess({ CommandLine: 'ticker.exe', CreateStdOutPipe: true });
    const out = new Collector(p.stdout);
    await settle();
    s.pause();
    h.timers.advance(500);
    s.terminate();
    expect(await p.wait()).toBe(1067);
    expect(await out.done).toBe('');
  });

  test('enumeration and properties show Paused', () => {
    const { h, s } = running('shows');
    s.pause();
    expect(h.service.enumerateComputeSystems({ Ids: [s.id] })[0]!.State).toBe('Paused');
    expect(s.properties().State).toBe('Paused');
    s.terminate();
  });
});
