// Resource controls from the configuration onto the silo's job
// ("Implementing resource controls for Windows containers"; windows-facts §3).
import { describe, expect, test } from 'vitest';
import {
  JOB_OBJECT_CPU_RATE_CONTROL_ENABLE,
  JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP,
  JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED,
  JOB_OBJECT_LIMIT_JOB_MEMORY,
} from '../../src/core/jobs/index.js';
import { HcsError, ResourcePath, jobWeight, type ComputeSystemConfig } from '../../src/hcs/index.js';
import type { ProcessContext } from '../../src/kernel/process/index.js';
import { Collector, containerId, settle, sharedHost } from './support.js';

const MiB = 2 ** 20;

function started(name: string, config: Omit<ComputeSystemConfig, 'Image'>) {
  const h = sharedHost();
  const s = h.service.createComputeSystem(containerId(name), { Image: h.image(), ...config });
  s.start();
  return { h, s, jobs: s.kernel.jobs, job: s.silo!.job };
}

async function run(s: ReturnType<typeof started>['s'], commandLine: string): Promise<{ code: number; out: string }> {
  const p = s.createProcess({ CommandLine: commandLine, CreateStdOutPipe: true });
  const out = new Collector(p.stdout);
  const code = await p.wait();
  return { code, out: await out.done };
}

describe('memory (MemoryMaximumInMB → JOB_OBJECT_LIMIT_JOB_MEMORY)', () => {
  test('the job carries the limit in bytes', () => {
    const { s } = started('mem-limit', { MemoryMaximumInMB: 512 });
    const l = s.silo!.limits()!;
    expect(l.BasicLimitInformation.LimitFlags & JOB_OBJECT_LIMIT_JOB_MEMORY).toBe(JOB_OBJECT_LIMIT_JOB_MEMORY);
    expect(l.JobMemoryLimit).toBe(512 * MiB);
    s.terminate();
  });

  test('a program committing past the limit gets ERROR_COMMITMENT_LIMIT (1455); within it, succeeds', async () => {
    const { s } = started('mem-hog', { MemoryMaximumInMB: 200 });
    expect(await run(s, `hog.exe ${300 * MiB}`)).toEqual({ code: 1455, out: 'error 1455\n' });
    expect(await run(s, `hog.exe ${10 * MiB}`)).toEqual({ code: 0, out: 'ok\n' });
    s.terminate();
  });

  test('Modify Container/Memory/SizeInMB (`docker update --memory`) changes the limit of the running job', async () => {
    const { s } = started('mem-update', { MemoryMaximumInMB: 200 });
    expect((await run(s, `hog.exe ${300 * MiB}`)).code).toBe(1455);
    s.modify({ ResourcePath: ResourcePath.Memory, RequestType: 'Update', Settings: 1024 });
    expect(s.silo!.limits()!.JobMemoryLimit).toBe(1024 * MiB);
    expect((await run(s, `hog.exe ${300 * MiB}`)).code).toBe(0);
    s.modify({ ResourcePath: ResourcePath.Memory, RequestType: 'Update', Settings: 0 });
    expect(s.silo!.limits()!.BasicLimitInformation.LimitFlags & JOB_OBJECT_LIMIT_JOB_MEMORY).toBe(0);
    expect(s.settings.MemoryMaximumInMB).toBe(0);
    s.terminate();
  });

  test('no limit configured: no JOB_MEMORY flag', () => {
    const { s } = started('mem-none', {});
    expect(s.silo!.limits()!.BasicLimitInformation.LimitFlags & JOB_OBJECT_LIMIT_JOB_MEMORY).toBe(0);
    s.terminate();
  });
});

describe('CPU rate control', () => {
  const HARD = JOB_OBJECT_CPU_RATE_CONTROL_ENABLE | JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP;

  test('ProcessorMaximum is a hard cap the jobs module reports (percent × 100)', () => {
    const { s, jobs, job } = started('cpu-max', { ProcessorMaximum: 2500 });
    expect(jobs.queryCpuRateControl(job).info).toMatchObject({ ControlFlags: HARD, CpuRate: 2500 });
    s.terminate();
  });

  test('ProcessorCount under process isolation: a hard cap of count/hostCpus × 10000', () => {
    const h = sharedHost();
    expect(h.kernel.cpuCount).toBe(4);
    for (const [count, rate] of [
      [1, 2500],
      [3, 7500],
    ] as const) {
      const { s, jobs, job } = started(`cpu-count-${count}`, { ProcessorCount: count });
      expect(jobs.queryCpuRateControl(job).info).toMatchObject({ ControlFlags: HARD, CpuRate: rate });
      s.terminate();
    }
    const { s, jobs, job } = started('cpu-count-all', { ProcessorCount: 8 });
    expect(jobs.queryCpuRateControl(job).info!.ControlFlags).toBe(0);
    s.terminate();
  });

  test('ProcessorWeight onto job weights 1–9: 7500 → 7, 2500 → 2 (the docs\' examples), clamped at the ends', () => {
    expect([jobWeight(7500), jobWeight(2500), jobWeight(1), jobWeight(10000), jobWeight(5000)]).toEqual([7, 2, 1, 9, 5]);
    const { s, jobs, job } = started('cpu-weight', { ProcessorWeight: 7500 });
    expect(jobs.queryCpuRateControl(job).info).toMatchObject({ ControlFlags: JOB_OBJECT_CPU_RATE_CONTROL_ENABLE | JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED, Weight: 7 });
    s.terminate();
  });

  test('the hard cap throttles: a busy program gets at most its share of the scheduler\'s time', async () => {
    const h = sharedHost();
    h.kernel.programs.register('C:\\Windows\\System32\\busy.exe', (ctx: ProcessContext) => {
      ctx.setRunnable(4);
      return new Promise<number>(() => {});
    });
    const { s, jobs, job } = started('cpu-throttle', { ProcessorMaximum: 2500 });
    // The image file must exist on C: for the search to find it.
    s.silo!.fs!.open('C:\\Windows\\System32\\busy.exe', 'C:\\', { disposition: 'create', write: true }).close();
    s.createProcess({ CommandLine: 'busy.exe' });
    await settle();
    const before = jobs.queryAccounting(job).info!.BasicInfo.TotalUserTime;
    const { interval, cpuCount } = jobs.schedulerInformation();
    const ticks = 100;
    for (let i = 0; i < ticks; i++) h.kernel.tick();
    const used = jobs.queryAccounting(job).info!.BasicInfo.TotalUserTime - before;
    const all = ticks * interval * cpuCount;
    // Busy on every processor, it would take `all`; the cap gives it a quarter.
    expect(used).toBe(all * 0.25);
    s.terminate();
  });

  test('Modify Container/Processor changes the running job\'s rate control', () => {
    const { s, jobs, job } = started('cpu-modify', { ProcessorMaximum: 2500 });
    s.modify({ ResourcePath: ResourcePath.Processor, RequestType: 'Update', Settings: { Maximum: 5000 } });
    expect(jobs.queryCpuRateControl(job).info).toMatchObject({ ControlFlags: HARD, CpuRate: 5000 });
    s.modify({ ResourcePath: ResourcePath.Processor, RequestType: 'Update', Settings: { Weight: 2500 } });
    expect(jobs.queryCpuRateControl(job).info).toMatchObject({ Weight: 2 });
    s.terminate();
  });
});

describe('unsupported modifications', () => {
  test('an unknown resource path or request type: ERROR_NOT_SUPPORTED, "The request is not supported."', () => {
    const { s } = started('modify-bad', {});
    for (const req of [
      { ResourcePath: 'Container/Devices/Generic', RequestType: 'Add' as const, Settings: {} },
      { ResourcePath: ResourcePath.Memory, RequestType: 'Add' as const, Settings: 5 },
    ]) {
      let caught: unknown;
      try {
        s.modify(req);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(HcsError);
      expect((caught as HcsError).hresult).toBe(50);
      expect((caught as HcsError).message).toBe(`hcs::System::Modify ${s.id}: The request is not supported.`);
    }
    s.terminate();
  });

  test('settings out of range: INVALID_JSON, nothing changed', () => {
    const { s } = started('modify-range', { MemoryMaximumInMB: 300 });
    expect(() => s.modify({ ResourcePath: ResourcePath.Memory, RequestType: 'Update', Settings: -1 })).toThrow(/JSON document is invalid/);
    expect(() => s.modify({ ResourcePath: ResourcePath.Processor, RequestType: 'Update', Settings: { Maximum: 20000 } })).toThrow(/JSON document is invalid/);
    expect(s.silo!.limits()!.JobMemoryLimit).toBe(300 * MiB);
    s.terminate();
  });

  test('Modify of a stopped system: not running', () => {
    const { s } = started('modify-stopped', {});
    s.terminate();
    expect(() => s.modify({ ResourcePath: ResourcePath.Memory, RequestType: 'Update', Settings: 100 })).toThrow(/is not running/);
  });
});
