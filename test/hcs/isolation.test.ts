// windows-facts §4: a container's writes — files and registry — reach
// neither its image nor another container on the same layers (seed 003's
// `rd /s /q C:\` and registry deletes).
import { describe, expect, test } from 'vitest';
import { REG_SZ } from '../../src/kernel/registry/index.js';
import { mountVolume } from '../../src/kernel/fs/index.js';
import { containerId, sharedHost } from './support.js';

const enc = new TextEncoder();

function twoRunning(name: string) {
  const h = sharedHost();
  const a = h.service.createComputeSystem(containerId(`${name}-a`), { Image: h.image() });
  const b = h.service.createComputeSystem(containerId(`${name}-b`), { Image: h.image() });
  a.start();
  b.start();
  return { h, a, b };
}

describe('file system isolation', () => {
  test("a file written in one system's C: is seen neither by another on the same layers nor in the layer", () => {
    const { h, a, b } = twoRunning('files');
    const f = a.silo!.fs!.open('C:\\only-in-a.txt', 'C:\\', { disposition: 'create', write: true });
    f.write(0, enc.encode('a'));
    f.close();
    expect(a.silo!.fs!.stat('C:\\only-in-a.txt', 'C:\\').size).toBe(1);
    expect(() => b.silo!.fs!.stat('C:\\only-in-a.txt', 'C:\\')).toThrow(/cannot find the file/);
    const layer = mountVolume(h.store, h.image().layers[0]!.disk, { readOnly: true });
    expect(() => layer.stat('\\only-in-a.txt')).toThrow(/cannot find the file/);
    a.terminate();
    b.terminate();
  });

  test('deleting System32\\cmd.exe in one system leaves the other whole, and a new one starts whole', () => {
    const { h, a, b } = twoRunning('rd');
    a.silo!.fs!.deleteFile('C:\\Windows\\System32\\cmd.exe', 'C:\\');
    expect(() => a.silo!.fs!.stat('C:\\Windows\\System32\\cmd.exe', 'C:\\')).toThrow(/cannot find the file/);
    expect(b.silo!.fs!.stat('C:\\Windows\\System32\\cmd.exe', 'C:\\').name).toBe('cmd.exe');
    const c = h.service.createComputeSystem(containerId('rd-c'), { Image: h.image() });
    c.start();
    expect(c.silo!.fs!.stat('C:\\Windows\\System32\\cmd.exe', 'C:\\').name).toBe('cmd.exe');
    for (const s of [a, b, c]) s.terminate();
  });

  test('the sandbox is one copy-on-write clone: it holds only what the container changed', () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('cow'), { Image: h.image() });
    const stats = h.store.stats(s.sandbox.disk);
    expect(stats.exclusiveBytes).toBe(0);
    expect(stats.sharedBytes).toBe(h.store.stats(s.sandbox.baseDisk).allocatedBytes);
    s.close({ deleteSandbox: true });
  });
});

describe('registry isolation', () => {
  test("deleting a key in one system's registry hides it there only; the layer's hive is unchanged", () => {
    const { h, a, b } = twoRunning('reg');
    const key = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
    a.silo!.registry!.deleteTree('HKLM\\SOFTWARE\\Microsoft');
    expect(a.silo!.registry!.exists(key)).toBe(false);
    expect(b.silo!.registry!.exists(key)).toBe(true);
    const c = h.service.createComputeSystem(containerId('reg-c'), { Image: h.image() });
    c.start();
    expect(c.silo!.registry!.getValue(key, 'CurrentBuild').data).toBe('20348');
    for (const s of [a, b, c]) s.terminate();
  });

  test('values set in one system are not seen in another', () => {
    const { a, b } = twoRunning('regval');
    a.silo!.registry!.setValue('HKLM\\SOFTWARE', { name: 'Mine', type: REG_SZ, data: 'a' });
    expect(() => b.silo!.registry!.getValue('HKLM\\SOFTWARE', 'Mine')).toThrow(/cannot find the file/);
    a.terminate();
    b.terminate();
  });

  test("the container's identity is written into its SYSTEM delta: ComputerName, ActiveComputerName, Tcpip Hostname", () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('ident'), { Image: h.image(), HostName: 'web01' });
    s.start();
    const r = s.silo!.registry!;
    expect(r.getValue('HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName', 'ComputerName').data).toBe('WEB01');
    expect(r.getValue('HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ActiveComputerName', 'ComputerName').data).toBe('WEB01');
    expect(r.getValue('HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters', 'Hostname').data).toBe('web01');
    expect(r.getValue('HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters', 'NV Hostname').data).toBe('web01');
    expect(s.silo!.computerName).toBe('WEB01');
    expect(s.silo!.userEnvironment.get('COMPUTERNAME')).toBe('WEB01');
    // The image's layer keeps its own name.
    const layerSystem = h.image().layers[0]!.hives.SYSTEM!;
    expect(layerSystem.sealed).toBe(true);
    s.terminate();
  });

  test('HKCU is the default user\'s hive, under its SID', () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('hkcu'), { Image: h.image() });
    s.start();
    expect(s.silo!.registry!.exists('HKU\\S-1-5-93-2-1\\Environment')).toBe(true);
    expect(s.silo!.registry!.exists('HKCU\\Environment')).toBe(true);
    s.terminate();
  });
});
