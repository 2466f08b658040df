// Docker's resource rules for Windows containers (moby
// daemon/daemon_windows.go verifyPlatformContainerResources; go-units
// RAMInBytes): exact warnings, errors and sizes.
import { describe, expect, test } from 'vitest';
import { ramInBytes, verifyWindowsResources, type ContainerResources } from '../../src/host/resources.js';

describe('--memory sizes (go-units RAMInBytes)', () => {
  test.each([
    ['1024', 1024],
    ['512m', 512 * 2 ** 20],
    ['512M', 512 * 2 ** 20],
    ['1g', 2 ** 30],
    ['1.5g', 1.5 * 2 ** 30],
    ['2GiB', 2 * 2 ** 30],
    ['2gb', 2 * 2 ** 30],
    ['10k', 10240],
    ['100b', 100],
    ['1 m', 2 ** 20],
  ])('%s is %i bytes', (text, bytes) => {
    expect(ramInBytes(text)).toBe(bytes);
  });

  test.each([
    ['abc', "invalid size: 'abc'"],
    ['1x', "invalid suffix: 'x'"],
    ['1mbb', "invalid suffix: 'mbb'"],
    ['1MIBX', "invalid suffix: 'MIBX'"],
    ['1mx', "invalid suffix: 'mx'"],
    ['1.2.3m', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
    ['', "invalid size: ''"],
  ])('%j is refused: %s', (text, message) => {
    expect(() => ramInBytes(text)).toThrow(message);
  });
});

describe('processor controls (process isolation: count > shares > percent)', () => {
  const check = (r: ContainerResources, hyperv = false): { warnings: string[]; r: ContainerResources } => {
    const copy = { ...r };
    return { warnings: verifyWindowsResources(copy, hyperv, 2), r: copy };
  };

  test('CPU count discards shares and percent, with a warning for each', () => {
    const { warnings, r } = check({ CpuCount: 1, CpuShares: 500, CpuPercent: 50 });
    expect(warnings).toEqual([
      'Conflicting options: CPU count takes priority over CPU shares on Windows Server Containers. CPU shares discarded',
      'Conflicting options: CPU count takes priority over CPU percent on Windows Server Containers. CPU percent discarded',
    ]);
    expect(r).toMatchObject({ CpuCount: 1, CpuShares: 0, CpuPercent: 0 });
  });

  test('CPU shares discard percent', () => {
    const { warnings, r } = check({ CpuShares: 500, CpuPercent: 50 });
    expect(warnings).toEqual(['Conflicting options: CPU shares takes priority over CPU percent on Windows Server Containers. CPU percent discarded']);
    expect(r.CpuPercent).toBe(0);
  });

  test('under Hyper-V isolation nothing is discarded', () => {
    expect(check({ CpuCount: 1, CpuShares: 500 }, true).warnings).toEqual([]);
  });

  test.each([
    [{ CpuShares: 10001 }, 'range of CPUShares is from 1 to 10000'],
    [{ CpuShares: -1 }, 'range of CPUShares is from 1 to 10000'],
    [{ CpuPercent: 101 }, 'range of CPUPercent is from 1 to 100'],
    [{ CpuCount: -1 }, 'invalid CPUCount: CPUCount cannot be negative'],
    [{ NanoCpus: 1e9, CpuPercent: 10 }, 'conflicting options: Nano CPUs and CPU Percent cannot both be set'],
    [{ NanoCpus: 3e9 }, 'range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available'],
    [{ CpuPeriod: 100000 }, 'invalid option: Windows does not support CPUPeriod'],
    [{ CpusetCpus: '0' }, 'invalid option: Windows does not support CpusetCpus'],
    [{ MemorySwap: 1 << 30 }, 'invalid option: Windows does not support MemorySwap'],
    [{ PidsLimit: 10 }, 'invalid option: Windows does not support PidsLimit'],
  ] as [ContainerResources, string][])('%j is refused: %s', (r, message) => {
    expect(() => check(r)).toThrow(message);
  });

  test('MemorySwappiness -1 means unset and passes', () => {
    expect(check({ MemorySwappiness: -1 }).warnings).toEqual([]);
  });
});
