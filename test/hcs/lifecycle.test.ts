// A compute system's states and the errors of calls made in the wrong one
// (src/hcs/compute-system.ts; HCS HRESULTs, hcsshim's error formats).
import { describe, expect, test } from 'vitest';
import {
  ERROR_VMCOMPUTE_INVALID_STATE,
  ERROR_VMCOMPUTE_SYSTEM_ALREADY_EXISTS,
  ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED,
  ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND,
  HcsError,
  type ComputeSystem,
} from '../../src/hcs/index.js';
import { Collector, containerId, newTestHost, settle, sharedHost } from './support.js';

function hcsError(fn: () => unknown): HcsError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HcsError);
    return e as HcsError;
  }
  throw new Error('expected an HcsError');
}

async function rejection(p: Promise<unknown>): Promise<HcsError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(HcsError);
    return e as HcsError;
  }
  throw new Error('expected a rejection');
}

describe('states', () => {
  test('Created → Start → Running → Pause → Paused → Resume → Running → Shutdown → Stopped', async () => {
    const h = sharedHost();
    const id = containerId('states');
    const s = h.service.createComputeSystem(id, { Owner: 'docker', Image: h.image() });
    const seen: string[] = [];
    s.onStateChange((st) => seen.push(st));
    expect(s.state).toBe('Created');
    s.start();
    expect(s.state).toBe('Running');
    s.pause();
    expect(s.state).toBe('Paused');
    s.resume();
    expect(s.state).toBe('Running');
    await s.shutdown();
    expect(s.state).toBe('Stopped');
    expect(seen).toEqual(['Running', 'Paused', 'Running', 'Stopped']);
    expect(s.summary()).toMatchObject({ State: 'Stopped', Stopped: true, ExitType: 'GracefulExit' });
  });

  test('Terminate stops at once with ExitType ForcedExit, from Running or Paused', () => {
    const h = sharedHost();
    const a = h.service.createComputeSystem(containerId('t1'), { Image: h.image() });
    a.start();
    a.terminate();
    expect(a.summary()).toMatchObject({ State: 'Stopped', ExitType: 'ForcedExit' });
    const b = h.service.createComputeSystem(containerId('t2'), { Image: h.image() });
    b.start();
    b.pause();
    b.terminate();
    expect(b.state).toBe('Stopped');
    expect(b.silo!.state).toBe('stopped');
  });

  test('the system keeps running after its last user process exits (the engine shuts it down)', async () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('keeps'), { Image: h.image() });
    s.start();
    const p = s.createProcess({ CommandLine: 'tool.exe 0' });
    expect(await p.wait()).toBe(0);
    await settle();
    expect(s.state).toBe('Running');
    expect(s.silo!.state).toBe('running');
  });

  test('a Terminate during a Shutdown\'s grace period stops the system; a new Start is not stopped by the old Shutdown', async () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('term-during-shutdown'), { Image: h.image() });
    s.start();
    s.createProcess({ CommandLine: 'stubborn.exe' });
    await settle();
    const shutdown = s.shutdown(60_000);
    await settle();
    expect(s.state).toBe('Running');
    s.terminate();
    expect(s.summary().ExitType).toBe('ForcedExit');
    s.start();
    await shutdown;
    await settle();
    expect(s.state).toBe('Running');
    s.terminate();
  });

  test('wait() resolves when the system stops', async () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('wait'), { Image: h.image() });
    s.start();
    let done = false;
    void s.wait().then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    s.terminate();
    await settle();
    expect(done).toBe(true);
  });

  test('each start is a new silo (new silo id and session) on the same sandbox', async () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('restart'), { Image: h.image() });
    s.start();
    const first = s.silo!;
    const runtime1 = s.runtimeId;
    await s.shutdown();
    s.start();
    expect(s.silo).not.toBe(first);
    expect(s.silo!.id).not.toBe(first.id);
    expect(s.runtimeId).not.toBe(runtime1);
    expect(s.starts).toBe(2);
    expect(s.sandbox.inUseBy).toBe(s.id);
  });
});

describe('restart of a stopped system keeps its sandbox', () => {
  test('a file written before the stop is there after a re-Start', async () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('keepfiles'), { Image: h.image() });
    s.start();
    const f = s.silo!.fs!.open('C:\\data.txt', 'C:\\', { disposition: 'create', write: true });
    f.write(0, new TextEncoder().encode('kept'));
    f.close();
    await s.shutdown();
    s.start();
    const g = s.silo!.fs!.open('C:\\data.txt', 'C:\\', { disposition: 'open', read: true });
    const buf = new Uint8Array(4);
    expect(g.read(0, buf)).toBe(4);
    g.close();
    expect(new TextDecoder().decode(buf)).toBe('kept');
  });

  test('moby\'s way: close the stopped system, create it again on the same Sandbox', async () => {
    const h = sharedHost();
    const id = containerId('moby-restart');
    const s = h.service.createComputeSystem(id, { Image: h.image() });
    s.start();
    s.silo!.registry!.createKey('HKLM\\SOFTWARE\\Kept');
    s.silo!.fs!.createDirectory('C:\\kept', 'C:\\');
    await s.shutdown();
    const sandbox = s.sandbox;
    s.close();
    expect(sandbox.destroyed).toBe(false);
    const again = h.service.createComputeSystem(id, { Image: h.image(), Sandbox: sandbox });
    again.start();
    expect(again.silo!.fs!.stat('C:\\kept', 'C:\\').attributes & 0x10).toBe(0x10);
    expect(again.silo!.registry!.exists('HKLM\\SOFTWARE\\Kept')).toBe(true);
    again.close({ deleteSandbox: true });
    expect(sandbox.destroyed).toBe(true);
  });
});

describe('sandbox reuse', () => {
  test('a destroyed sandbox or one of another image is refused (INVALID_JSON); one mounted by a running system cannot start (ERROR_SHARING_VIOLATION)', () => {
    const h = sharedHost();
    const a = h.service.createComputeSystem(containerId('reuse-a'), { Image: h.image() });
    a.start();
    const b = h.service.createComputeSystem(containerId('reuse-b'), { Image: h.image(), Sandbox: a.sandbox });
    const e = hcsError(() => b.start());
    expect(e.message).toBe(`hcs::System::Start ${b.id}: The process cannot access the file because it is being used by another process.`);
    a.terminate();
    b.start();
    expect(b.sandbox).toBe(a.sandbox);
    b.close({ deleteSandbox: true });
    expect(() => h.service.createComputeSystem(containerId('reuse-c'), { Image: h.image(), Sandbox: a.sandbox })).toThrow(/JSON document is invalid/);
    const other = h.service.createComputeSystem(containerId('reuse-d'), { Image: h.image() });
    expect(() => h.service.createComputeSystem(containerId('reuse-e'), { Image: { ...h.image(), id: 'sha256:other' }, Sandbox: other.sandbox })).toThrow(
      /JSON document is invalid/,
    );
    expect(hcsError(() => a.start()).hresult).toBe(3);
  });
});

describe('calls in the wrong state fail as vmcompute answers', () => {
  const fresh = (name: string): { s: ComputeSystem } => {
    const h = sharedHost();
    return { s: h.service.createComputeSystem(containerId(name), { Image: h.image() }) };
  };

  test('Start of a running system: ERROR_VMCOMPUTE_INVALID_STATE (0xC0370105), hcsshim\'s SystemError text', () => {
    const { s } = fresh('start2');
    s.start();
    const e = hcsError(() => s.start());
    expect(e.hresult).toBe(ERROR_VMCOMPUTE_INVALID_STATE);
    expect(e.code.toString(16)).toBe('c0370105');
    expect(e.message).toBe(`hcs::System::Start ${s.id}: The requested virtual machine or container operation is not valid in the current state.`);
  });

  test('Pause of a created or paused system, Resume of a running one: INVALID_STATE', () => {
    const { s } = fresh('pause');
    expect(hcsError(() => s.pause()).message).toBe(`hcs::System::Pause ${s.id}: The requested virtual machine or container operation is not valid in the current state.`);
    s.start();
    expect(hcsError(() => s.resume()).message).toBe(`hcs::System::Resume ${s.id}: The requested virtual machine or container operation is not valid in the current state.`);
    s.pause();
    expect(hcsError(() => s.pause()).hresult).toBe(ERROR_VMCOMPUTE_INVALID_STATE);
  });

  test('Shutdown or Terminate of a system that is not running: 0xC0370110 "… is not running."', async () => {
    const { s } = fresh('notrunning');
    expect(hcsError(() => s.terminate()).message).toBe(`hcs::System::Terminate ${s.id}: The virtual machine or container with the specified identifier is not running.`);
    const e = await rejection(s.shutdown());
    expect(e.hresult).toBe(ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED);
    expect(e.message).toBe(`hcs::System::Shutdown ${s.id}: The virtual machine or container with the specified identifier is not running.`);
    s.start();
    s.terminate();
    expect(hcsError(() => s.terminate()).hresult).toBe(ERROR_VMCOMPUTE_SYSTEM_ALREADY_STOPPED);
  });

  test('Shutdown of a paused system: INVALID_STATE (Terminate still works)', async () => {
    const { s } = fresh('shutpaused');
    s.start();
    s.pause();
    expect((await rejection(s.shutdown())).hresult).toBe(ERROR_VMCOMPUTE_INVALID_STATE);
    s.terminate();
    expect(s.state).toBe('Stopped');
  });

  test('CreateProcess in a created or stopped system: not running; in a paused one: INVALID_STATE', () => {
    const { s } = fresh('cp');
    expect(hcsError(() => s.createProcess({ CommandLine: 'tool.exe' })).message).toBe(
      `hcs::System::CreateProcess ${s.id}: The virtual machine or container with the specified identifier is not running.`,
    );
    s.start();
    s.pause();
    expect(hcsError(() => s.createProcess({ CommandLine: 'tool.exe' })).hresult).toBe(ERROR_VMCOMPUTE_INVALID_STATE);
  });

  test('the legacy ContainerError text moby\'s built-in runtime prints', () => {
    const { s } = fresh('legacy');
    const e = hcsError(() => s.pause());
    expect(e.containerErrorMessage).toBe(
      `container ${s.id} encountered an error during hcs::System::Pause: failure in a Windows system call: The requested virtual machine or container operation is not valid in the current state. (0xc0370105)`,
    );
  });

  test('any call after close: ERROR_INVALID_HANDLE, and the id is free again', () => {
    const h = sharedHost();
    const id = containerId('closed');
    const s = h.service.createComputeSystem(id, { Image: h.image() });
    s.start();
    s.close();
    expect(s.state).toBe('Stopped');
    expect(hcsError(() => s.start()).message).toBe(`hcs::System::Start ${id}: The handle is invalid.`);
    expect(hcsError(() => h.service.openComputeSystem(id)).hresult).toBe(ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND);
    expect(h.service.createComputeSystem(id, { Image: h.image() }).state).toBe('Created');
  });
});

describe('create and open', () => {
  test('an id in use: ERROR_VMCOMPUTE_SYSTEM_ALREADY_EXISTS (0xC037010F)', () => {
    const h = sharedHost();
    const id = containerId('dup');
    h.service.createComputeSystem(id, { Image: h.image() });
    const e = hcsError(() => h.service.createComputeSystem(id, { Image: h.image() }));
    expect(e.hresult).toBe(ERROR_VMCOMPUTE_SYSTEM_ALREADY_EXISTS);
    expect(e.message).toBe(`hcs::CreateComputeSystem ${id}: A virtual machine or container with the specified identifier already exists.`);
  });

  test('open of an unknown id: ERROR_VMCOMPUTE_SYSTEM_NOT_FOUND (0xC037010E)', () => {
    const h = sharedHost();
    const e = hcsError(() => h.service.openComputeSystem('nope'));
    expect(e.code.toString(16)).toBe('c037010e');
    expect(e.message).toBe('hcs::OpenComputeSystem nope: A virtual machine or container with the specified identifier does not exist.');
  });

  test('open returns the system created under that id', () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem('abc', { Image: h.image() });
    expect(h.service.openComputeSystem('abc')).toBe(s);
  });

  test('a document HCS cannot use: ERROR_VMCOMPUTE_INVALID_JSON (0xC037010D), nothing created', () => {
    const h = sharedHost();
    const image = h.image();
    for (const bad of [
      { Image: image, ProcessorMaximum: 10001 },
      { Image: image, ProcessorWeight: -1 },
      { Image: image, ProcessorCount: 2, ProcessorMaximum: 5000 },
      { Image: image, MemoryMaximumInMB: 1.5 },
      { Image: { ...image, layers: [] } },
    ]) {
      const e = hcsError(() => h.service.createComputeSystem('bad', bad));
      expect(e.message).toBe('hcs::CreateComputeSystem bad: The virtual machine or container JSON document is invalid.');
    }
    expect(h.service.enumerateComputeSystems({ Ids: ['bad'] })).toEqual([]);
  });

  test('defaults: Name is the id, HostName its first 12 characters, COMPUTERNAME that in capitals', () => {
    const h = sharedHost();
    const id = containerId('defaults');
    const s = h.service.createComputeSystem(id, { Image: h.image() });
    expect(s.name).toBe(id);
    expect(s.settings.HostName).toBe(id.slice(0, 12));
    expect(s.computerName).toBe(id.slice(0, 12).toUpperCase());
    expect(s.isolation).toBe('process');
    expect(s.runtimeId).toBe('00000000-0000-0000-0000-000000000000');
  });

  test('a client SKU defaults to Hyper-V isolation', () => {
    const h = newTestHost({ service: { sku: 'client' } });
    expect(h.service.createComputeSystem('c', { Image: h.image() }).isolation).toBe('hyperv');
  });

  test('the main process\'s output arrives through the pipes it asked for', async () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('out'), { Image: h.image() });
    s.start();
    const p = s.createProcess({ CommandLine: 'tool.exe 7 x', CreateStdOutPipe: true });
    const out = new Collector(p.stdout);
    expect(await p.wait()).toBe(7);
    expect(await out.done).toBe('args=7,x foo= user=ContainerAdministrator cwd=C:\\\r\n');
  });
});
