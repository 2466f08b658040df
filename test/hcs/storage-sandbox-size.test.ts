// StorageSandboxSize sizes a container's C: (moby's windowsfilter driver
// passes `--storage-opt size` to hcsshim ExpandSandboxSize, which grows the
// sandbox "to at least size bytes"): the volume reports that size, its free
// space is what is left of it, and writes past it fail with ERROR_DISK_FULL
// (112). Without a size the sandbox is the platform's 20 GB; a smaller size
// leaves it so (a sandbox grows, it does not shrink).
import { describe, expect, test } from 'vitest';
import { ERROR_DISK_FULL, Win32Error } from '../../src/core/win32.js';
import { HCS_LIMITS, type ComputeSystemConfig } from '../../src/hcs/index.js';
import { containerId, sharedHost } from './support.js';

const GiB = 2 ** 30;

function started(name: string, config: Omit<ComputeSystemConfig, 'Image'>) {
  const h = sharedHost();
  const s = h.service.createComputeSystem(containerId(name), { Image: h.image(), ...config });
  s.start();
  return s;
}

describe('StorageSandboxSize', () => {
  test('without one, C: is the platform default, 20 GB', () => {
    const s = started('size-default', {});
    const space = s.silo!.fs!.volume('C')!.space();
    expect(space.totalBytes).toBe(HCS_LIMITS.defaultSandboxSizeBytes);
    expect(space.totalBytes).toBe(20 * GiB);
    s.terminate();
  });

  test('50 GB: C: reports 50 GB in all, the new space free; the image is all still there', () => {
    const base = started('size-base', {});
    const used = 20 * GiB - base.silo!.fs!.volume('C')!.space().freeBytes;
    base.terminate();
    const s = started('size-50', { StorageSandboxSize: 50 * GiB });
    const space = s.silo!.fs!.volume('C')!.space();
    expect(space.totalBytes).toBe(50 * GiB);
    // Used: the image's files, plus the bitmap's continuation (one 4 KiB cluster per 128 MiB added).
    expect(space.totalBytes - space.freeBytes - used).toBe(((30 * GiB) / (128 * 2 ** 20)) * 4096);
    expect(s.silo!.fs!.stat('C:\\Windows\\System32\\cmd.exe', 'C:\\').size).toBeGreaterThan(0);
    s.terminate();
  });

  test('writes past the size fail with ERROR_DISK_FULL (112), "There is not enough space on the disk."', () => {
    const s = started('size-full', { StorageSandboxSize: 21 * GiB });
    const fs = s.silo!.fs!;
    const free = fs.volume('C')!.space().freeBytes;
    const h = fs.open('C:\\big.bin', 'C:\\', { disposition: 'create', write: true });
    let err: unknown;
    try {
      h.setSize(free + 4096);
    } catch (e) {
      err = e;
    } finally {
      h.close();
    }
    expect(err).toBeInstanceOf(Win32Error);
    expect((err as Win32Error).code).toBe(ERROR_DISK_FULL);
    expect((err as Error).message).toContain('There is not enough space on the disk.');
    expect(fs.volume('C')!.space().freeBytes).toBe(free);
    s.terminate();
  });

  test('a size below 20 GB leaves the sandbox at 20 GB', () => {
    const s = started('size-small', { StorageSandboxSize: 10 * GiB });
    expect(s.silo!.fs!.volume('C')!.space().totalBytes).toBe(20 * GiB);
    expect(s.settings.StorageSandboxSize).toBe(10 * GiB);
    s.terminate();
  });

  test('a size beyond the largest disk (1 TiB here) fails the create with ERROR_INVALID_PARAMETER, creating nothing', () => {
    const h = sharedHost();
    const id = containerId('size-huge');
    expect(() => h.service.createComputeSystem(id, { Image: h.image(), StorageSandboxSize: 2 * HCS_LIMITS.maxSandboxSizeBytes })).toThrow(
      `hcs::CreateComputeSystem ${id}: The parameter is incorrect.`,
    );
    expect(h.service.enumerateComputeSystems().some((x) => x.Id === id)).toBe(false);
  });

  test('a Hyper-V container gets the size too', () => {
    const s = started('size-hv', { StorageSandboxSize: 40 * GiB, Isolation: 'hyperv' });
    expect(s.silo!.fs!.volume('C')!.space().totalBytes).toBe(40 * GiB);
    s.terminate();
  });
});
