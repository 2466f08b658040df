// windows-facts §5 at create time: which builds a host runs in which
// isolation, with the exact error, checked before anything is created.
import { describe, expect, test } from 'vitest';
import { ERROR_VMCOMPUTE_IMAGE_MISMATCH, HcsError } from '../../src/hcs/index.js';
import { SERVERCORE_2019, SERVERCORE_2022, containerId, sharedHost } from './support.js';

describe('version compatibility at CreateComputeSystem', () => {
  test('process isolation of a 17763 image on a 20348 host is refused with the exact message', () => {
    const h = sharedHost();
    const id = containerId('old-process');
    const image = h.image(SERVERCORE_2019);
    const disksBefore = h.store.storeStats().disks;
    let caught: unknown;
    try {
      h.service.createComputeSystem(id, { Owner: 'docker', Isolation: 'process', Image: image });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(HcsError);
    const e = caught as HcsError;
    expect(e.message).toBe(`hcs::CreateComputeSystem ${id}: The container operating system does not match the host operating system.`);
    expect(e.hresult).toBe(ERROR_VMCOMPUTE_IMAGE_MISMATCH);
    // Nothing was created: no system, no sandbox disk.
    expect(h.service.enumerateComputeSystems({ Ids: [id] })).toEqual([]);
    expect(h.store.storeStats().disks).toBe(disksBefore);
  });

  test('Hyper-V isolation of the same 17763 image on the 20348 host is created and starts', () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('old-hyperv'), { Isolation: 'hyperv', Image: h.image(SERVERCORE_2019) });
    s.start();
    expect(s.state).toBe('Running');
    const v = s.silo!.registry!.getValue('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'CurrentBuild');
    expect(v.data).toBe('17763');
    s.terminate();
  });

  test('a 20348 image runs in process isolation on a 20348 host', () => {
    const h = sharedHost();
    const s = h.service.createComputeSystem(containerId('same'), { Isolation: 'process', Image: h.image(SERVERCORE_2022) });
    s.start();
    expect(s.kernel).toBe(h.kernel);
    s.terminate();
  });
});
