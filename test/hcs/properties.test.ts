// HcsGetComputeSystemProperties (what `docker stats` and `docker top` read),
// HcsEnumerateComputeSystems, and `hcsdiag list`.
import { describe, expect, test } from 'vitest';
import { formatHcsdiagList, type ComputeSystemSummary } from '../../src/hcs/index.js';
import type { ProcessContext } from '../../src/kernel/process/index.js';
import { Collector, containerId, newTestHost, settle, sharedHost } from './support.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('statistics', () => {
  test('the schema1 Statistics shape, filled from the silo\'s job accounting', async () => {
    const h = sharedHost();
    h.kernel.programs.register('C:\\Windows\\System32\\stats.exe', async (ctx: ProcessContext) => {
      ctx.chargeCpu(1_000_000, 250_000);
      await ctx.stdout.write('12345');
      return new Promise<number>(() => {});
    });
    const s = h.service.createComputeSystem(containerId('stats'), { Image: h.image() });
    s.start();
    s.silo!.fs!.open('C:\\Windows\\System32\\stats.exe', 'C:\\', { disposition: 'create', write: true }).close();
    const p = s.createProcess({ CommandLine: 'stats.exe', CreateStdOutPipe: true });
    const out = new Collector(p.stdout);
    await settle();
    expect(out.text).toBe('12345');
    const props = s.properties({ PropertyTypes: ['Statistics'] });
    expect(props.ProcessList).toBeUndefined();
    const st = props.Statistics!;
    expect(Object.keys(st)).toEqual(['Timestamp', 'ContainerStartTime', 'Uptime100ns', 'Processor', 'Memory', 'Storage']);
    expect(st.Timestamp).toMatch(ISO);
    expect(st.ContainerStartTime).toMatch(ISO);
    expect(st.Uptime100ns).toBe((Date.parse(st.Timestamp) - Date.parse(st.ContainerStartTime)) * 10000);
    expect(st.Processor).toEqual({ TotalRuntime100ns: 1_250_000, RuntimeUser100ns: 1_000_000, RuntimeKernel100ns: 250_000 });
    const commit = s.silo!.listProcesses().reduce((n, x) => n + x.privateBytes, 0);
    expect(st.Memory.MemoryUsageCommitBytes).toBe(commit);
    expect(st.Memory.MemoryUsageCommitPeakBytes).toBeGreaterThanOrEqual(commit);
    expect(st.Memory.MemoryUsagePrivateWorkingSetBytes).toBeGreaterThan(0);
    expect(st.Memory.MemoryUsagePrivateWorkingSetBytes).toBeLessThanOrEqual(commit);
    expect(st.Storage).toEqual({ ReadCountNormalized: 0, ReadSizeBytes: 0, WriteCountNormalized: 1, WriteSizeBytes: 5 });
    s.terminate();
    const after = s.properties({ PropertyTypes: ['Statistics', 'ProcessList'] });
    expect(after.Statistics!.Processor.TotalRuntime100ns).toBe(1_250_000);
    expect(after.Statistics!.Memory.MemoryUsageCommitBytes).toBe(0);
    expect(after.Statistics!.Memory.MemoryUsageCommitPeakBytes).toBeGreaterThanOrEqual(commit);
    expect(after.ProcessList).toEqual([]);
  });

  test('a created system reports zeros', () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('zeros'), { Image: h.image() });
    const st = s.properties({ PropertyTypes: ['Statistics'] }).Statistics!;
    expect(st.Uptime100ns).toBe(0);
    expect(st.Processor.TotalRuntime100ns).toBe(0);
    expect(s.accounting().BasicInfo.TotalProcesses).toBe(0);
  });
});

describe('process list', () => {
  test('every process of the container with the ProcessListItem fields `docker top` reads', async () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('top'), { Image: h.image() });
    s.start();
    const p = s.createProcess({ CommandLine: 'waiter.exe' });
    await settle();
    const list = s.properties({ PropertyTypes: ['ProcessList'] }).ProcessList!;
    expect(list.map((x) => x.ProcessId)).toEqual(s.silo!.listProcesses().map((x) => x.pid));
    const names = list.map((x) => x.ImageName);
    for (const n of ['smss.exe', 'csrss.exe', 'wininit.exe', 'services.exe', 'lsass.exe', 'CExecSvc.exe', 'svchost.exe', 'waiter.exe']) expect(names).toContain(n);
    const w = list.find((x) => x.ProcessId === p.pid)!;
    expect(Object.keys(w)).toEqual(['ProcessId', 'ImageName', 'CreateTimestamp', 'UserTime100ns', 'KernelTime100ns', 'MemoryCommitBytes', 'MemoryWorkingSetPrivateBytes', 'MemoryWorkingSetSharedBytes']);
    expect(w.CreateTimestamp).toMatch(ISO);
    expect(w.MemoryCommitBytes).toBe(s.silo!.kernel.process(p.pid)!.privateBytes);
    expect(w.MemoryWorkingSetPrivateBytes + w.MemoryWorkingSetSharedBytes).toBe(s.silo!.kernel.process(p.pid)!.workingSet);
    s.terminate();
  });
});

describe('enumeration', () => {
  test('summaries as HcsEnumerateComputeSystems gives them, filtered by Ids, Owners, Names and Types', () => {
    const h = newTestHost();
    const a = h.service.createComputeSystem('a1', { Owner: 'docker', Image: h.image() });
    const b = h.service.createComputeSystem('b1', { Owner: 'containerd', Name: 'web', Image: h.image() });
    a.start();
    const all = h.service.enumerateComputeSystems();
    expect(all.map((x) => x.Id)).toEqual(['a1', 'b1']);
    expect(all[0]).toEqual({
      Id: 'a1',
      Name: 'a1',
      SystemType: 'Container',
      Owner: 'docker',
      State: 'Running',
      RuntimeOsType: 'windows',
      RuntimeId: a.runtimeId,
      ObRoot: `\\Silos\\${a.silo!.id}`,
    });
    expect(all[1]).toMatchObject({ Id: 'b1', Name: 'web', State: 'Created', RuntimeId: '00000000-0000-0000-0000-000000000000' });
    expect(h.service.enumerateComputeSystems({ Owners: ['docker'] }).map((x) => x.Id)).toEqual(['a1']);
    expect(h.service.enumerateComputeSystems({ Names: ['web'] }).map((x) => x.Id)).toEqual(['b1']);
    expect(h.service.enumerateComputeSystems({ Ids: ['b1', 'zz'] }).map((x) => x.Id)).toEqual(['b1']);
    expect(h.service.enumerateComputeSystems({ Types: ['VirtualMachine'] })).toEqual([]);
    expect(h.service.enumerateComputeSystems({ Owners: ['docker'], Names: ['web'] })).toEqual([]);
    void b;
  });

  test('RuntimeIds are GUIDs, new for each start, the same on every run of the same sequence', () => {
    const ids = () => {
      const h = newTestHost();
      const s = h.service.createComputeSystem('r', { Image: h.image() });
      s.start();
      const first = s.runtimeId;
      s.terminate();
      s.start();
      return [first, s.runtimeId];
    };
    const [x, y] = ids();
    expect(x).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(x).not.toBe(y);
    expect(ids()).toEqual([x, y]);
  });
});

describe('hcsdiag list', () => {
  test('two lines per system: the id, then type, state, RuntimeId in capitals and owner', () => {
    const systems: ComputeSystemSummary[] = [
      { Id: 'cowork-vm-1699151a', Name: 'cowork-vm-1699151a', SystemType: 'VirtualMachine', Owner: 'cowork-vm-1699151a', State: 'Running', RuntimeOsType: 'windows', RuntimeId: 'de1517ec-bf1d-5a0b-b459-77a48cb1ad97' },
      { Id: 'a1', Name: 'a1', SystemType: 'Container', Owner: 'docker', State: 'Running', RuntimeOsType: 'windows', RuntimeId: '0a0b0c0d-0000-5000-8000-000000000001' },
    ];
    expect(formatHcsdiagList(systems)).toBe(
      'cowork-vm-1699151a\r\n' +
        '    VM,                       \tRunning, DE1517EC-BF1D-5A0B-B459-77A48CB1AD97, cowork-vm-1699151a\r\n' +
        'a1\r\n' +
        '    Container,                \tRunning, 0A0B0C0D-0000-5000-8000-000000000001, docker\r\n',
    );
  });

  test('a Hyper-V container lists with its utility VM', () => {
    const h = newTestHost();
    const s = h.service.createComputeSystem('hv1', { Owner: 'docker', Isolation: 'hyperv', Image: h.image() });
    s.start();
    const text = formatHcsdiagList(h.service.enumerateComputeSystems());
    expect(text.split('\r\n')).toEqual([
      'hv1',
      `    Container,                \tRunning, ${s.runtimeId.toUpperCase()}, docker`,
      'hv1@vm',
      `    VM,                       \tRunning, ${s.utilityVm!.runtimeId.toUpperCase()}, docker`,
      '',
    ]);
  });
});
