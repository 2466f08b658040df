// Hyper-V isolation: a utility VM is its own kernel (own namespace root, own
// job tree), the container a silo inside it; the VM shows as `<id>@vm`;
// start takes a pre-booted VM from the saved-state template.
import { describe, expect, test } from 'vitest';
import { OBJ_CASE_INSENSITIVE } from '../../src/core/ob/index.js';
import { STATUS_SUCCESS } from '../../src/core/ntstatus.js';
import type { Kernel } from '../../src/kernel/process/index.js';
import { Collector, SERVERCORE_2019, containerId, newTestHost, settle, sharedHost } from './support.js';

function opens(k: Kernel, name: string): number {
  const r = k.ob.open(k.hostObProcess, 0, { name, attributes: OBJ_CASE_INSENSITIVE });
  if (r.handle) k.ob.close(k.hostObProcess, r.handle);
  return r.status;
}

describe('the utility VM', () => {
  test('has its own kernel: namespace root, job tree and processes the host kernel does not see', async () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('uvm-kernel'), { Owner: 'docker', Isolation: 'hyperv', Image: h.image() });
    s.start();
    const vmKernel = s.kernel;
    expect(vmKernel).not.toBe(h.kernel);
    expect(vmKernel.ob).not.toBe(h.kernel.ob);
    expect(vmKernel.jobs).not.toBe(h.kernel.jobs);
    const silo = s.silo!;
    expect(silo.kernel).toBe(vmKernel);
    // The silo's root exists in the VM's namespace only.
    expect(opens(vmKernel, `\\Silos\\${silo.id}`)).toBe(STATUS_SUCCESS);
    expect(h.kernel.silos()).not.toContain(silo);
    // Its processes are the VM kernel's; none is the host kernel's.
    const p = s.createProcess({ CommandLine: 'waiter.exe' });
    await settle();
    const hostPids = new Set(h.kernel.processes().map((x) => x));
    for (const x of silo.listProcesses()) expect(hostPids.has(x)).toBe(false);
    expect(vmKernel.process(p.pid)?.imageName).toBe('waiter.exe');
    expect(h.kernel.processes().some((x) => x.imageName === 'waiter.exe')).toBe(false);
    // The VM kernel runs only Idle and System besides the container.
    expect(vmKernel.host.listProcesses().map((x) => x.imageName)).toEqual(['System Idle Process', 'System']);
    s.terminate();
  });

  test('shows as the VirtualMachine `<id>@vm`, owned by the container\'s owner, with a vmwp.exe on the host', async () => {
    const h = sharedHost();
    const id = containerId('uvm-enum');
    const s = h.service.createComputeSystem(id, { Owner: 'docker', Isolation: 'hyperv', Image: h.image() });
    s.start();
    const vm = h.service.enumerateComputeSystems({ Ids: [`${id}@vm`] });
    expect(vm).toEqual([
      { Id: `${id}@vm`, Name: `${id}@vm`, SystemType: 'VirtualMachine', Owner: 'docker', State: 'Running', RuntimeOsType: 'windows', RuntimeId: s.utilityVm!.runtimeId },
    ]);
    expect(s.summary().HostingSystemId).toBe(`${id}@vm`);
    expect(s.utilityVm!.runtimeId).not.toBe(s.runtimeId);
    const worker = s.utilityVm!.worker!;
    expect(worker.imageName).toBe('vmwp.exe');
    expect(worker.sessionId).toBe(0);
    expect(h.kernel.process(worker.parentPid)!.imageName).toBe('vmcompute.exe');
    expect(worker.commandLine).toContain(s.utilityVm!.runtimeId);
    s.pause();
    expect(h.service.enumerateComputeSystems({ Ids: [`${id}@vm`] })[0]!.State).toBe('Paused');
    s.resume();
    await s.shutdown();
    expect(h.service.enumerateComputeSystems({ Ids: [`${id}@vm`] })).toEqual([]);
    expect(worker.running).toBe(false);
  });

  test('an id taken by a utility VM cannot be created', () => {
    const h = sharedHost();
    const id = containerId('uvm-clash');
    h.service.createComputeSystem(id, { Isolation: 'hyperv', Image: h.image() }).start();
    expect(() => h.service.createComputeSystem(`${id}@vm`, { Image: h.image() })).toThrow(/already exists/);
  });

  test('ProcessorCount sizes the VM (NUMBER_OF_PROCESSORS), with no CPU cap on the job; the default is 2', async () => {
    const h = sharedHost();
    const a = h.service.createComputeSystem(containerId('uvm-cpu'), { Isolation: 'hyperv', Image: h.image(), ProcessorCount: 3, MemoryMaximumInMB: 2048 });
    a.start();
    expect(a.kernel.cpuCount).toBe(3);
    expect(a.kernel.jobs.schedulerInformation().cpuCount).toBe(3);
    expect(a.silo!.userEnvironment.get('NUMBER_OF_PROCESSORS')).toBe('3');
    expect(a.kernel.jobs.queryCpuRateControl(a.silo!.job).info!.ControlFlags).toBe(0);
    expect(a.utilityVm!.memoryInMB).toBe(2048);
    const b = h.service.createComputeSystem(containerId('uvm-cpu-default'), { Isolation: 'hyperv', Image: h.image() });
    b.start();
    expect(b.kernel.cpuCount).toBe(2);
    expect(b.utilityVm!.memoryInMB).toBe(1024);
    a.terminate();
    b.terminate();
  });

  test('an older image (17763) runs in its utility VM and reports its own build', async () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('uvm-2019'), { Isolation: 'hyperv', Image: h.image(SERVERCORE_2019) });
    s.start();
    const p = s.createProcess({ CommandLine: 'tool.exe 0', CreateStdOutPipe: true });
    const out = new Collector(p.stdout);
    expect(await p.wait()).toBe(0);
    expect(await out.done).toContain('user=ContainerAdministrator');
    expect(s.silo!.registry!.getValue('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'CurrentBuildNumber').data).toBe('17763');
    s.terminate();
  });

  test('a restart takes a fresh utility VM', async () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('uvm-restart'), { Isolation: 'hyperv', Image: h.image() });
    s.start();
    const first = s.kernel;
    await s.shutdown();
    s.start();
    expect(s.kernel).not.toBe(first);
    s.terminate();
  });
});

describe('the saved-state template (pre-booted spare VMs)', () => {
  test('a start takes a spare, boots no kernel, and its replacement boots in the background', () => {
    const h = newTestHost({ service: { prewarmUtilityVms: true } });
    const pool = h.service.utilityVms;
    expect(pool.ready(2)).toBe(1);
    const boots = pool.boots;
    const s = h.service.createComputeSystem('warm', { Isolation: 'hyperv', Image: h.image() });
    s.start();
    expect(pool.boots).toBe(boots);
    expect(pool.hits).toBe(1);
    expect(pool.ready(2)).toBe(0);
    h.timers.advance(0);
    expect(pool.ready(2)).toBe(1);
    expect(pool.boots).toBe(boots + 1);
  });

  test('with no spare ready the start boots one itself', () => {
    const h = newTestHost({ service: { spareUtilityVms: 0 } });
    const s = h.service.createComputeSystem('cold', { Isolation: 'hyperv', Image: h.image() });
    s.start();
    expect(h.service.utilityVms.boots).toBe(1);
    expect(h.service.utilityVms.hits).toBe(0);
  });

  test('start times: process isolation vs Hyper-V from the template vs Hyper-V cold (printed, not asserted)', () => {
    const h = newTestHost({ service: { prewarmUtilityVms: true } });
    const image = h.image();
    const time = (isolation: 'process' | 'hyperv', n: number, warm: boolean): number => {
      let total = 0;
      for (let i = 0; i < n; i++) {
        if (warm) h.timers.advance(0);
        const s = h.service.createComputeSystem(`${isolation}-${warm}-${i}`, { Isolation: isolation, Image: image });
        const t0 = performance.now();
        s.start();
        total += performance.now() - t0;
        s.close({ deleteSandbox: true });
      }
      return total / n;
    };
    const n = 20;
    time('process', 5, false);
    time('hyperv', 5, true);
    const processMs = time('process', n, false);
    const warmMs = time('hyperv', n, true);
    const noPool = newTestHost({ service: { spareUtilityVms: 0 } });
    const coldImage = noPool.image();
    for (let i = 0; i < 5; i++) noPool.service.createComputeSystem(`cold-warmup-${i}`, { Isolation: 'hyperv', Image: coldImage }).start();
    let cold = 0;
    for (let i = 0; i < n; i++) {
      const s = noPool.service.createComputeSystem(`cold-${i}`, { Isolation: 'hyperv', Image: coldImage });
      const t0 = performance.now();
      s.start();
      cold += performance.now() - t0;
      s.close({ deleteSandbox: true });
    }
    console.log(`start (mean of ${n}): process ${processMs.toFixed(2)} ms, hyperv from template ${warmMs.toFixed(2)} ms, hyperv cold ${(cold / n).toFixed(2)} ms`);
    expect(processMs).toBeGreaterThan(0);
  });
});
