// windows-facts §2: server silos.
import { describe, expect, test } from 'vitest';
import * as S from '../../../src/core/ntstatus.js';
import { ObjectType as T, OBJ_CASE_INSENSITIVE, Privilege, ALL_PRIVILEGES } from '../../../src/core/ob/index.js';
import { bootHostNamespace } from '../../../src/kernel/namespace/host.js';
import { createSiloNamespace } from '../../../src/kernel/namespace/silo.js';
import { NtStatusError } from '../../../src/core/errors.js';
import { IMPLS } from './support.js';

const CI = OBJ_CASE_INSENSITIVE;

describe.each(IMPLS)('server silos (%s)', (_name, make) => {
  const boot = () => {
    const ob = make();
    const hostP = bootHostNamespace(ob);
    createSiloNamespace(ob, hostP, 380, { session: 14, volume: 'HarddiskVolume5' });
    createSiloNamespace(ob, hostP, 381, { session: 15, volume: 'HarddiskVolume6' });
    const a = ob.createProcess(380, 14, ALL_PRIVILEGES).process;
    const b = ob.createProcess(381, 15, ALL_PRIVILEGES).process;
    return { ob, hostP, a, b };
  };

  test('a silo root \\Silos\\<id> is created, permanent, and populated', () => {
    const { ob, hostP } = boot();
    const r = ob.open(hostP, T.Directory, { name: '\\Silos\\380' });
    expect(ob.queryObject(hostP, r.handle)).toMatchObject({ siloRoot: true, attributes: 0x10 });
    for (const name of ['GLOBAL??', 'BaseNamedObjects', 'Sessions\\14\\BaseNamedObjects', 'Device', 'KnownDlls', 'RPC Control']) {
      expect(ob.open(hostP, 0, { name: `\\Silos\\380\\${name}`, attributes: CI }).status).toBe(S.STATUS_SUCCESS);
    }
  });

  test('a lookup made for a silo starts at its root', () => {
    const { ob, hostP, a } = boot();
    const ev = ob.create(a, T.Event, { name: '\\BaseNamedObjects\\ContainerEvent' });
    expect(ev.status).toBe(S.STATUS_SUCCESS);
    expect(ob.queryName(a, ev.handle).name).toBe('\\BaseNamedObjects\\ContainerEvent');
    expect(ob.open(hostP, 0, { name: '\\Silos\\380\\BaseNamedObjects\\ContainerEvent' }).status).toBe(S.STATUS_SUCCESS);
    expect(ob.open(hostP, 0, { name: '\\BaseNamedObjects\\ContainerEvent' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
  });

  test('two containers each have their own BaseNamedObjects and sessions', () => {
    const { ob, a, b } = boot();
    ob.create(a, T.Mutant, { name: '\\BaseNamedObjects\\Shared' });
    expect(ob.open(b, 0, { name: '\\BaseNamedObjects\\Shared' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
    expect(ob.open(a, 0, { name: '\\Sessions\\14\\BaseNamedObjects' }).status).toBe(S.STATUS_SUCCESS);
    expect(ob.open(a, 0, { name: '\\Sessions\\15\\BaseNamedObjects' }).status).toBe(S.STATUS_OBJECT_PATH_NOT_FOUND);
    expect(ob.open(b, 0, { name: '\\Sessions\\15\\BaseNamedObjects' }).status).toBe(S.STATUS_SUCCESS);
  });

  test('\\Silos is not visible from inside a silo', () => {
    const { ob, a } = boot();
    expect(ob.open(a, 0, { name: '\\Silos\\381\\BaseNamedObjects' }).status).toBe(S.STATUS_OBJECT_PATH_NOT_FOUND);
  });

  test('absolute link targets resolved in a silo restart at the silo root', () => {
    const { ob, a } = boot();
    // The silo's own \GLOBAL??\C: → \Device\HarddiskVolume5 (the container's volume).
    const c = ob.open(a, 0, { name: '\\??\\C:', attributes: CI });
    expect(ob.queryName(a, c.handle).name).toBe('\\Device\\HarddiskVolume5');
    const l = ob.create(a, T.SymbolicLink, { name: '\\BaseNamedObjects\\up' }, { target: '\\BaseNamedObjects' });
    expect(l.status).toBe(S.STATUS_SUCCESS);
    ob.create(a, T.Event, { name: '\\BaseNamedObjects\\mine' });
    expect(ob.queryName(a, ob.open(a, 0, { name: '\\BaseNamedObjects\\up\\mine' }).handle).name).toBe('\\BaseNamedObjects\\mine');
  });

  test('\\GLOBAL??\\GLOBALROOT inside a silo is the silo root, not the host root', () => {
    const { ob, a } = boot();
    const r = ob.open(a, T.Directory, { name: '\\GLOBAL??\\GLOBALROOT' });
    expect(ob.queryName(a, r.handle).name).toBe('\\');
    expect(ob.open(a, 0, { name: '\\GLOBAL??\\GLOBALROOT\\Silos' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
    expect(ob.open(a, 0, { name: '\\GLOBAL??\\GLOBALROOT\\ObjectTypes' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
  });

  test('the host\'s devices are visible through the shadowed \\Device, and nothing else of the host', () => {
    const { ob, a } = boot();
    const n = ob.open(a, 0, { name: '\\Device\\Null' });
    expect(n.status).toBe(S.STATUS_SUCCESS);
    expect(ob.queryName(a, n.handle).name).toBe('\\Device\\Null');
    expect(ob.open(a, 0, { name: '\\ObjectTypes' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
    expect(ob.open(a, 0, { name: '\\SeLsaInitEvent' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
    // A create in the silo's \Device lands in the silo, not the host.
    const own = ob.create(a, T.Device, { name: '\\Device\\ContainerOnly' });
    expect(own.status).toBe(S.STATUS_SUCCESS);
  });

  test('a global link cannot be created inside a silo (STATUS_PRIVILEGE_NOT_HELD), even with SeTcbPrivilege', () => {
    const { ob, a } = boot();
    const r = ob.create(a, T.SymbolicLink, { name: '\\BaseNamedObjects\\esc' }, { target: '\\Device', global: true });
    expect(r.status).toBe(S.STATUS_PRIVILEGE_NOT_HELD);
    expect(r.status >>> 0).toBe(0xc0000061);
    const plain = ob.create(a, T.SymbolicLink, { name: '\\BaseNamedObjects\\esc' }, { target: '\\ObjectTypes' });
    expect(ob.setLinkGlobal(a, plain.handle, true)).toBe(S.STATUS_PRIVILEGE_NOT_HELD);
    expect(ob.open(a, 0, { name: '\\BaseNamedObjects\\esc' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
  });

  test('a global link is not followed from inside a silo (STATUS_ACCESS_DENIED); the host follows it to the host root', () => {
    const { ob, hostP, a } = boot();
    const g = ob.create(hostP, T.SymbolicLink, { name: '\\Silos\\380\\BaseNamedObjects\\HostTypes' }, { target: '\\ObjectTypes', global: true });
    expect(g.status).toBe(S.STATUS_SUCCESS);
    expect(ob.open(a, 0, { name: '\\BaseNamedObjects\\HostTypes' }).status).toBe(S.STATUS_ACCESS_DENIED);
    expect(ob.queryName(hostP, ob.open(hostP, 0, { name: '\\Silos\\380\\BaseNamedObjects\\HostTypes' }).handle).name).toBe('\\ObjectTypes');
  });

  test('a global link needs SeTcbPrivilege on the host too', () => {
    const { ob } = boot();
    const q = ob.createProcess(0, 1, Privilege.CreatePermanent).process;
    expect(ob.create(q, T.SymbolicLink, { name: '\\g' }, { target: '\\', global: true }).status).toBe(S.STATUS_PRIVILEGE_NOT_HELD);
  });

  test('creating a nested server silo fails with STATUS_PRIVILEGE_NOT_HELD', () => {
    const { ob, a } = boot();
    expect(ob.createSilo(a, 999).status).toBe(S.STATUS_PRIVILEGE_NOT_HELD);
    expect(() => createSiloNamespace(ob, a, 999, { session: 16, volume: 'HarddiskVolume9' })).toThrowError(
      new NtStatusError('JobObjectCreateSilo', S.STATUS_PRIVILEGE_NOT_HELD, '\\Silos\\999'),
    );
  });

  test('a silo id in use is STATUS_OBJECT_NAME_COLLISION; 0 is STATUS_INVALID_PARAMETER', () => {
    const { ob, hostP } = boot();
    expect(ob.createSilo(hostP, 380).status).toBe(S.STATUS_OBJECT_NAME_COLLISION);
    expect(ob.createSilo(hostP, 0).status).toBe(S.STATUS_INVALID_PARAMETER);
    expect(ob.createProcess(777, 1, 0).status).toBe(S.STATUS_INVALID_PARAMETER);
  });

  test('terminating a silo removes its namespace; open objects survive unnamed', () => {
    const { ob, hostP, a } = boot();
    const before = ob.objectCount();
    const ev = ob.create(a, T.Event, { name: '\\BaseNamedObjects\\Open' });
    expect(ob.terminateSilo(a, 380)).toBe(S.STATUS_ACCESS_DENIED);
    expect(ob.terminateSilo(hostP, 380)).toBe(S.STATUS_SUCCESS);
    expect(ob.open(hostP, 0, { name: '\\Silos\\380' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
    expect(ob.queryObject(a, ev.handle).named).toBe(false);
    expect(ob.terminateSilo(hostP, 380)).toBe(S.STATUS_INVALID_PARAMETER);
    ob.deleteProcess(a);
    expect(ob.objectCount()).toBeLessThan(before);
    // The id can be used again.
    createSiloNamespace(ob, hostP, 380, { session: 14, volume: 'HarddiskVolume5' });
    expect(ob.open(hostP, 0, { name: '\\Silos\\380\\GLOBAL??\\C:', attributes: CI | 0x100 }).status).toBe(S.STATUS_SUCCESS);
  });
});
