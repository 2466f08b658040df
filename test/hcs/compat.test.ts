// windows-facts §5: which images a host runs, in which isolation, and the errors when it cannot.
import { describe, expect, test } from 'vitest';
import {
  ERROR_VMCOMPUTE_IMAGE_MISMATCH,
  HcsError,
  ImageIncompatibleError,
  InvalidDaemonIsolationError,
  InvalidIsolationError,
  checkComputeSystemCompat,
  checkImageCompatibility,
  daemonIsolation,
  defaultIsolation,
  hypervIsolationCompatible,
  isCompatible,
  oldestProcessIsolatedBuild,
  processIsolationCompatible,
  resolveIsolation,
  type Isolation,
} from '../../src/hcs/compat.js';
import { buildForName, formatOsVersion, parseOsVersion, releaseForBuild, windows10 } from '../../src/hcs/versions.js';

const IMAGES = [14393, 16299, 17134, 17763, 18362, 18363, 19041, 19042, 20348, 25398, 26100];

/**
 * The matrix, written out (not computed): for each host, the image builds
 * it runs in each isolation. Process: hcsshim CheckHostAndContainerCompat;
 * Hyper-V: any image no newer than the host (version-compatibility.md).
 */
const MATRIX: Record<number, Record<Isolation, number[]>> = {
  17763: { process: [17763], hyperv: [14393, 16299, 17134, 17763] },
  20348: { process: [20348], hyperv: [14393, 16299, 17134, 17763, 18362, 18363, 19041, 19042, 20348] },
  25398: { process: [20348, 25398], hyperv: [14393, 16299, 17134, 17763, 18362, 18363, 19041, 19042, 20348, 25398] },
  26100: { process: [20348, 25398, 26100], hyperv: IMAGES },
};

describe('host × image compatibility matrix', () => {
  for (const [host, byIsolation] of Object.entries(MATRIX)) {
    for (const isolation of ['process', 'hyperv'] as const) {
      for (const image of IMAGES) {
        const runs = byIsolation[isolation].includes(image);
        test(`host ${host} ${runs ? 'runs' : 'refuses'} a ${image} image with ${isolation} isolation`, () => {
          expect(isCompatible(windows10(Number(host), 1000), windows10(image, 77), isolation)).toBe(runs);
        });
      }
    }
  }
});

describe('process isolation (hcsshim CheckHostAndContainerCompat)', () => {
  test("hcsshim's own cases: Windows 11 22H2 runs 2022 but not 2019; 2025 runs 22H2; 2022 runs neither 2025 nor 22H2", () => {
    const p = (h: number, c: number) => processIsolationCompatible(windows10(h), windows10(c));
    expect(p(22621, 17763)).toBe(false);
    expect(p(22621, 20348)).toBe(true);
    expect(p(26100, 22621)).toBe(true);
    expect(p(20348, 26100)).toBe(false);
    expect(p(20348, 22621)).toBe(false);
    expect(p(17763, 20348)).toBe(false);
    expect(p(20348, 17763)).toBe(false);
  });

  test('an LTSC host runs from the previous stable-ABI LTSC up to itself; a later host from the newest LTSC below it', () => {
    expect(oldestProcessIsolatedBuild(20348)).toBe(20348);
    expect(oldestProcessIsolatedBuild(22621)).toBe(20348);
    expect(oldestProcessIsolatedBuild(26100)).toBe(20348);
    expect(oldestProcessIsolatedBuild(26200)).toBe(26100);
    expect(processIsolationCompatible(windows10(26200), windows10(20348))).toBe(false);
    expect(processIsolationCompatible(windows10(26200), windows10(26100))).toBe(true);
  });

  test('revisions need not match (1809 and later)', () => {
    expect(processIsolationCompatible(windows10(17763, 100), windows10(17763, 6659))).toBe(true);
    expect(processIsolationCompatible(windows10(20348, 5499), windows10(20348, 1))).toBe(true);
  });

  test('major and minor must match', () => {
    expect(processIsolationCompatible(windows10(20348), { major: 6, minor: 3, build: 20348, revision: 0 })).toBe(false);
    expect(processIsolationCompatible(windows10(20348), { major: 10, minor: 1, build: 20348, revision: 0 })).toBe(false);
  });

  test('a host older than 2022 needs exactly its own build', () => {
    expect(processIsolationCompatible(windows10(18363), windows10(18362))).toBe(false);
    expect(processIsolationCompatible(windows10(18363), windows10(18363))).toBe(true);
  });
});

describe('Hyper-V isolation', () => {
  test('an image newer than the host is refused even with its own kernel', () => {
    expect(hypervIsolationCompatible(windows10(17763), windows10(20348))).toBe(false);
    expect(hypervIsolationCompatible(windows10(19045), windows10(20348))).toBe(false); // Windows 10 cannot run WS2022
    expect(hypervIsolationCompatible(windows10(22621), windows10(26100))).toBe(false); // Windows 11 runs WS2025 from 24H2
    expect(hypervIsolationCompatible(windows10(26100), windows10(26100))).toBe(true);
    expect(hypervIsolationCompatible(windows10(26100), windows10(14393))).toBe(true);
  });
});

describe('the mismatch error', () => {
  const id = 'c919e8ba8ef4f19e7af5c6a2d32430362f41679197db89cd793d6d3a987125b5';

  test('is hcs::CreateComputeSystem <id>: The container operating system does not match the host operating system.', () => {
    let caught: unknown;
    try {
      checkComputeSystemCompat(id, windows10(20348), windows10(19042), 'process');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HcsError);
    const err = caught as HcsError;
    expect(err.message).toBe(`hcs::CreateComputeSystem ${id}: The container operating system does not match the host operating system.`);
    expect(err.op).toBe('hcs::CreateComputeSystem');
    expect(err.id).toBe(id);
    expect(err.hresult).toBe(ERROR_VMCOMPUTE_IMAGE_MISMATCH);
    expect((err.hresult >>> 0).toString(16)).toBe('c0370101');
  });

  test('is also what an image newer than the host gets under Hyper-V', () => {
    expect(() => checkComputeSystemCompat(id, windows10(20348), windows10(26100), 'hyperv')).toThrow(HcsError);
  });

  test('is not thrown for a compatible pair', () => {
    expect(() => checkComputeSystemCompat(id, windows10(26100), windows10(20348), 'process')).not.toThrow();
    expect(() => checkComputeSystemCompat(id, windows10(20348), windows10(17763), 'hyperv')).not.toThrow();
  });
});

describe('pull-time check (moby checkImageCompatibility)', () => {
  test('an image built for a newer Windows is refused with moby\'s text', () => {
    expect(() => checkImageCompatibility('10.0.26100.33296', windows10(20348, 5499))).toThrow(ImageIncompatibleError);
    expect(() => checkImageCompatibility('10.0.26100.33296', windows10(20348, 5499))).toThrow(
      'a Windows version 10.0.26100-based image is incompatible with a 10.0.20348 host',
    );
    expect(new ImageIncompatibleError('10.0.26100.33296', windows10(20348, 5499)).message).toBe(
      'a Windows version 10.0.26100-based image is incompatible with a 10.0.20348 host',
    );
  });

  test('older or equal builds, and versions without a numeric build, pass', () => {
    expect(() => checkImageCompatibility('10.0.17763.6659', windows10(20348))).not.toThrow();
    expect(() => checkImageCompatibility('10.0.20348.9999', windows10(20348, 1))).not.toThrow();
    expect(() => checkImageCompatibility('', windows10(20348))).not.toThrow();
    expect(() => checkImageCompatibility('10.0', windows10(20348))).not.toThrow();
    expect(() => checkImageCompatibility('10.0.x.1', windows10(20348))).not.toThrow();
  });
});

describe('isolation values', () => {
  test("anything but default, process or hyperv is refused with moby's message", () => {
    for (const bad of ['hyper-v', 'vm', 'none', ' process']) {
      expect(() => resolveIsolation(bad, 'process')).toThrow(InvalidIsolationError);
    }
    const err = new InvalidIsolationError('hyper-v');
    expect(err.message).toBe("invalid isolation (hyper-v): Windows supports 'default', 'process', or 'hyperv'");
    expect(err.httpStatus).toBe(400);
  });

  test('values compare case-insensitively; empty and default take the daemon default', () => {
    expect(resolveIsolation('HyperV', 'process')).toBe('hyperv');
    expect(resolveIsolation('PROCESS', 'hyperv')).toBe('process');
    expect(resolveIsolation('', 'hyperv')).toBe('hyperv');
    expect(resolveIsolation('Default', 'process')).toBe('process');
    expect(resolveIsolation(undefined, 'hyperv')).toBe('hyperv');
  });

  test('the default is process on Windows Server, hyperv on Windows client', () => {
    expect(defaultIsolation('server')).toBe('process');
    expect(defaultIsolation('client')).toBe('hyperv');
  });

  test('--exec-opt isolation overrides the default; an unknown value stops the daemon', () => {
    expect(daemonIsolation('server', 'hyperv')).toBe('hyperv');
    expect(daemonIsolation('client', 'Process')).toBe('process');
    expect(daemonIsolation('client', 'default')).toBe('hyperv');
    expect(() => daemonIsolation('server', 'xen')).toThrow(new InvalidDaemonIsolationError('xen'));
    expect(new InvalidDaemonIsolationError('xen').message).toBe("invalid exec-opt value for 'isolation':'xen'");
  });
});

describe('versions', () => {
  test('the build table of windows-facts §5', () => {
    const table: [string, number][] = [
      ['ltsc2016', 14393], ['1709', 16299], ['1803', 17134], ['ltsc2019', 17763], ['1809', 17763], ['1903', 18362],
      ['1909', 18363], ['2004', 19041], ['20H2', 19042], ['ltsc2022', 20348], ['23H2', 25398], ['ltsc2025', 26100],
    ];
    for (const [name, build] of table) expect(buildForName(name)).toBe(build);
    expect(buildForName('LTSC2022')).toBe(20348);
    expect(buildForName('latest')).toBeUndefined();
    expect(releaseForBuild(26100)?.product).toBe('Windows Server 2025');
  });

  test('OS version strings parse and print as images and hosts carry them', () => {
    expect(parseOsVersion('10.0.20348.5499')).toEqual({ major: 10, minor: 0, build: 20348, revision: 5499 });
    expect(parseOsVersion('10.0.17763')).toEqual({ major: 10, minor: 0, build: 17763, revision: 0 });
    for (const bad of ['', '10', '10.0', '10.0.x', '10.0.70000.1', '256.0.1.1', '10.0.1.1.1', ' 10.0.1.1']) expect(parseOsVersion(bad)).toBeUndefined();
    expect(formatOsVersion(windows10(26100, 33296))).toBe('10.0.26100.33296');
    expect(formatOsVersion(windows10(26100, 33296), false)).toBe('10.0.26100');
  });
});
