// windows-facts §1: symbolic links, reparse limits, \?? and the built-in links.
import { describe, expect, test } from 'vitest';
import * as S from '../../../src/core/ntstatus.js';
import { ObjectType as T, OBJ_CASE_INSENSITIVE, OBJ_OPENLINK } from '../../../src/core/ob/index.js';
import { bootHostNamespace } from '../../../src/kernel/namespace/host.js';
import { IMPLS, host } from './support.js';

describe.each(IMPLS)('symbolic links (%s)', (_name, make) => {
  test('a link is followed in the middle of a path', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Directory, { name: '\\real' });
    ob.create(p, T.Event, { name: '\\real\\e' });
    ob.create(p, T.SymbolicLink, { name: '\\lnk' }, { target: '\\real' });
    const r = ob.open(p, T.Event, { name: '\\lnk\\e' });
    expect(r.status).toBe(S.STATUS_SUCCESS);
    expect(ob.queryName(p, r.handle).name).toBe('\\real\\e');
  });

  test('a link is followed at the final component', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Event, { name: '\\e' });
    ob.create(p, T.SymbolicLink, { name: '\\lnk' }, { target: '\\e' });
    const r = ob.open(p, 0, { name: '\\lnk' });
    expect(ob.queryObject(p, r.handle).type).toBe('Event');
  });

  test('opening with OBJ_OPENLINK or as SymbolicLink opens the link itself', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Event, { name: '\\e' });
    ob.create(p, T.SymbolicLink, { name: '\\lnk' }, { target: '\\e' });
    expect(ob.queryObject(p, ob.open(p, 0, { name: '\\lnk', attributes: OBJ_OPENLINK }).handle).type).toBe('SymbolicLink');
    const l = ob.open(p, T.SymbolicLink, { name: '\\lnk' });
    expect(ob.queryLink(p, l.handle)).toEqual({ status: S.STATUS_SUCCESS, target: '\\e' });
    // OPENLINK only applies to the last component.
    ob.create(p, T.Directory, { name: '\\d' });
    ob.create(p, T.Event, { name: '\\d\\x' });
    ob.create(p, T.SymbolicLink, { name: '\\dl' }, { target: '\\d' });
    expect(ob.open(p, T.Event, { name: '\\dl\\x', attributes: OBJ_OPENLINK }).status).toBe(S.STATUS_SUCCESS);
  });

  test('querying the target of a non-link is STATUS_OBJECT_TYPE_MISMATCH', () => {
    const { ob, p } = host(make);
    const e = ob.create(p, T.Event, { name: '\\e' });
    expect(ob.queryLink(p, e.handle).status).toBe(S.STATUS_OBJECT_TYPE_MISMATCH);
  });

  test('64 reparses succeed and the 65th is STATUS_OBJECT_NAME_NOT_FOUND', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Event, { name: '\\target' });
    // \l0 → \l1 → … → \l64 → \target: opening \l1 takes 64 reparses, \l0 takes 65.
    for (let i = 0; i <= 64; i++) {
      const next = i === 64 ? '\\target' : `\\l${i + 1}`;
      expect(ob.create(p, T.SymbolicLink, { name: `\\l${i}` }, { target: next }).status).toBe(S.STATUS_SUCCESS);
    }
    expect(ob.open(p, T.Event, { name: '\\l1' }).status).toBe(S.STATUS_SUCCESS);
    expect(ob.open(p, T.Event, { name: '\\l0' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
  });

  test('a link loop ends in STATUS_OBJECT_NAME_NOT_FOUND, never a hang', () => {
    const { ob, p } = host(make);
    ob.create(p, T.SymbolicLink, { name: '\\a' }, { target: '\\b' });
    ob.create(p, T.SymbolicLink, { name: '\\b' }, { target: '\\a' });
    expect(ob.open(p, 0, { name: '\\a' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
    expect(ob.open(p, 0, { name: '\\a\\x\\y' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
  });

  test('an expansion longer than 0xFFF0 bytes is STATUS_NAME_TOO_LONG', () => {
    const { ob, p } = host(make);
    const target = '\\' + 'a'.repeat(32000);
    ob.create(p, T.SymbolicLink, { name: '\\long' }, { target });
    // 32001 + 1 + 759 = 32761 units = 65522 bytes > 0xFFF0 (65520).
    expect(ob.open(p, 0, { name: '\\long\\' + 'b'.repeat(759) }).status).toBe(S.STATUS_NAME_TOO_LONG);
    // 32001 + 1 + 757 = 32759 units = 65518 bytes: not too long, merely absent.
    expect(ob.open(p, 0, { name: '\\long\\' + 'b'.repeat(757) }).status).toBe(S.STATUS_OBJECT_PATH_NOT_FOUND);
  });

  test('a link target with an odd length or of 65534 bytes is STATUS_INVALID_PARAMETER', () => {
    const { ob, p } = host(make);
    expect(ob.create(p, T.SymbolicLink, { name: '\\l' }, { target: '\\abc', targetLength: 5 }).status).toBe(S.STATUS_INVALID_PARAMETER);
    expect(ob.create(p, T.SymbolicLink, { name: '\\l' }, { target: 'x'.repeat(32767) }).status).toBe(S.STATUS_INVALID_PARAMETER);
  });

  test('a relative link target is STATUS_OBJECT_PATH_SYNTAX_BAD when followed', () => {
    const { ob, p } = host(make);
    ob.create(p, T.SymbolicLink, { name: '\\rel' }, { target: 'somewhere' });
    expect(ob.open(p, 0, { name: '\\rel' }).status).toBe(S.STATUS_OBJECT_PATH_SYNTAX_BAD);
  });

  test('creating over an existing link collides instead of following it', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Directory, { name: '\\d' });
    ob.create(p, T.SymbolicLink, { name: '\\l' }, { target: '\\d\\e' });
    expect(ob.create(p, T.Event, { name: '\\l' }).status).toBe(S.STATUS_OBJECT_NAME_COLLISION);
    expect(ob.open(p, 0, { name: '\\d\\e' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
  });
});

describe.each(IMPLS)('built-in links and \\?? (%s)', (_name, make) => {
  const booted = () => {
    const ob = make();
    const p = bootHostNamespace(ob);
    return { ob, p };
  };

  test('\\GLOBAL??\\C: leads to \\Device\\HarddiskVolume3', () => {
    const { ob, p } = booted();
    const r = ob.open(p, 0, { name: '\\GLOBAL??\\C:', attributes: OBJ_CASE_INSENSITIVE });
    expect(ob.queryName(p, r.handle).name).toBe('\\Device\\HarddiskVolume3');
    expect(ob.queryObject(p, r.handle).type).toBe('Device');
  });

  test('\\GLOBAL??\\GLOBALROOT is the root, so \\GLOBAL??\\GLOBALROOT\\Device is \\Device', () => {
    const { ob, p } = booted();
    expect(ob.queryName(p, ob.open(p, T.Directory, { name: '\\GLOBAL??\\GLOBALROOT' }).handle).name).toBe('\\');
    expect(ob.queryName(p, ob.open(p, 0, { name: '\\GLOBAL??\\GLOBALROOT\\Device\\Null' }).handle).name).toBe('\\Device\\Null');
  });

  test('\\GLOBAL??\\Global is \\GLOBAL??; \\DosDevices is \\??', () => {
    const { ob, p } = booted();
    expect(ob.queryName(p, ob.open(p, 0, { name: '\\GLOBAL??\\Global\\Global\\NUL' }).handle).name).toBe('\\Device\\Null');
    expect(ob.queryName(p, ob.open(p, 0, { name: '\\DosDevices\\C:' }).handle).name).toBe('\\Device\\HarddiskVolume3');
    expect(ob.queryName(p, ob.open(p, T.Directory, { name: '\\??' }).handle).name).toBe('\\GLOBAL??');
  });

  test('an open under \\?? that misses the device map falls back to \\GLOBAL??; a create does not', () => {
    const { ob, p } = booted();
    const dm = ob.open(p, T.Directory, { name: '\\Sessions\\0\\DosDevices\\00000000-000003e7' });
    expect(ob.setDeviceMap(p, dm.handle)).toBe(S.STATUS_SUCCESS);
    // Open falls back: C: is only in \GLOBAL??.
    expect(ob.queryName(p, ob.open(p, 0, { name: '\\??\\C:' }).handle).name).toBe('\\Device\\HarddiskVolume3');
    // Create lands in the logon session's DosDevices, not \GLOBAL??.
    const z = ob.create(p, T.SymbolicLink, { name: '\\??\\Z:' }, { target: '\\Device\\Null' });
    expect(z.status).toBe(S.STATUS_SUCCESS);
    expect(ob.queryName(p, z.handle).name).toBe('\\Sessions\\0\\DosDevices\\00000000-000003e7\\Z:');
    expect(ob.open(p, 0, { name: '\\GLOBAL??\\Z:' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
    // A session-local definition shadows the global one.
    ob.create(p, T.SymbolicLink, { name: '\\??\\C:' }, { target: '\\Device\\HarddiskVolume1' });
    expect(ob.queryName(p, ob.open(p, 0, { name: '\\??\\C:' }).handle).name).toBe('\\Device\\HarddiskVolume1');
    // A create under \?? of a name that exists only globally does not collide.
    expect(ob.create(p, T.SymbolicLink, { name: '\\??\\NUL' }, { target: '\\Device\\Null' }).status).toBe(S.STATUS_SUCCESS);
    // A device map handle must be a directory.
    const e = ob.create(p, T.Event, { name: '\\ev' });
    expect(ob.setDeviceMap(p, e.handle)).toBe(S.STATUS_OBJECT_TYPE_MISMATCH);
  });

  test('sessions have BaseNamedObjects with Global, Local and Session links', () => {
    const { ob, p } = booted();
    expect(ob.queryLink(p, ob.open(p, T.SymbolicLink, { name: '\\BaseNamedObjects\\Global' }).handle).target).toBe('\\BaseNamedObjects');
    expect(ob.queryLink(p, ob.open(p, T.SymbolicLink, { name: '\\BaseNamedObjects\\Session' }).handle).target).toBe('\\Sessions\\BNOLINKS');
    expect(ob.queryName(p, ob.open(p, 0, { name: '\\Sessions\\BNOLINKS\\0' }).handle).name).toBe('\\BaseNamedObjects');
    const ev = ob.create(p, T.Event, { name: '\\BaseNamedObjects\\Global\\Local\\MyEvent' });
    expect(ob.queryName(p, ev.handle).name).toBe('\\BaseNamedObjects\\MyEvent');
  });
});
