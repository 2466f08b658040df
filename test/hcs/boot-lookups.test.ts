// Boots on one image share their image lookups (which file `svchost.exe`
// names) only while the sandbox reads exactly as the image: a container
// whose files differ must boot on its own files (src/hcs/sandbox.ts,
// Sandbox.sharedImageLookups).
import { describe, expect, test } from 'vitest';
import { ERROR_FILE_NOT_FOUND } from '../../src/core/win32.js';
import { SERVICE_RUNNING, SERVICE_STOPPED } from '../../src/kernel/services/constants.js';
import { containerId, newTestHost } from './support.js';

describe('image lookups shared between boots', () => {
  test('sandboxes that read as their image share them; a written or mapped one does not', () => {
    const h = newTestHost();
    const a = h.service.createComputeSystem(containerId('look-a'), { Image: h.image() });
    const b = h.service.createComputeSystem(containerId('look-b'), { Image: h.image() });
    const shared = a.sandbox.sharedImageLookups(false);
    expect(shared).toBeDefined();
    expect(b.sandbox.sharedImageLookups(false)).toBe(shared);
    expect(b.sandbox.sharedImageLookups(true)).toBeUndefined();
    const c = h.service.createComputeSystem(containerId('look-c'), { Image: h.image() });
    c.sandbox.volume.createDirectory('\\data');
    expect(c.sandbox.sharedImageLookups(false)).toBeUndefined();
    // Booted and stopped without writing: still the image's files.
    a.start();
    a.terminate();
    expect(a.sandbox.sharedImageLookups(false)).toBe(shared);
    // Written after the first comparison: no longer.
    b.sandbox.volume.createDirectory('\\later');
    expect(b.sandbox.sharedImageLookups(false)).toBeUndefined();
  });

  test("CreateProcess on a sandbox written since it booted finds the sandbox's own files", async () => {
    const h = newTestHost();
    // Another container fills the shared lookups: tool.exe is in System32.
    const a = h.service.createComputeSystem(containerId('exec-a'), { Image: h.image() });
    a.start();
    const pa = a.createProcess({ CommandLine: 'tool.exe 7', CreateStdOutPipe: true });
    expect(await pa.wait()).toBe(7);
    const b = h.service.createComputeSystem(containerId('exec-b'), { Image: h.image() });
    b.start();
    b.sandbox.volume.deleteFile('\\Windows\\System32\\tool.exe');
    expect(() => b.createProcess({ CommandLine: 'tool.exe 7' })).toThrow(/cannot find the file specified/);
    // A working directory the image lacks, then made in the sandbox: found once it exists.
    const c = h.service.createComputeSystem(containerId('exec-c'), { Image: h.image() });
    c.start();
    expect(() => c.createProcess({ CommandLine: 'tool.exe', WorkingDirectory: 'C:\\work' })).toThrow(/directory name is invalid/);
    c.sandbox.volume.createDirectory('\\work');
    const pc = c.createProcess({ CommandLine: 'tool.exe 3', WorkingDirectory: 'C:\\work', CreateStdOutPipe: true });
    expect(await pc.wait()).toBe(3);
  });

  test("a sandbox without svchost.exe boots without it, after another container's boot found it", () => {
    const h = newTestHost();
    const a = h.service.createComputeSystem(containerId('svchost-a'), { Image: h.image() });
    a.start();
    expect(a.silo!.scm!.query('DcomLaunch').dwCurrentState).toBe(SERVICE_RUNNING);
    const b = h.service.createComputeSystem(containerId('svchost-b'), { Image: h.image() });
    b.sandbox.volume.deleteFile('\\Windows\\System32\\svchost.exe');
    b.start();
    // DcomLaunch depends on nothing: its own launch failed.
    const dcom = b.silo!.scm!.query('DcomLaunch');
    expect(dcom.dwCurrentState).toBe(SERVICE_STOPPED);
    expect(dcom.dwWin32ExitCode).toBe(ERROR_FILE_NOT_FOUND);
    expect(b.silo!.listProcesses().some((p) => p.imageName.toLowerCase() === 'svchost.exe')).toBe(false);
    expect(b.silo!.scm!.query('CExecSvc').dwCurrentState).toBe(SERVICE_RUNNING);
    // And the next fresh container still finds it.
    const c = h.service.createComputeSystem(containerId('svchost-c'), { Image: h.image() });
    c.start();
    expect(c.silo!.scm!.query('DcomLaunch').dwCurrentState).toBe(SERVICE_RUNNING);
  });
});
