// An open made again after the namespace changed sees the change (windows-facts
// §1: every open resolves the name against the namespace as it is now). The
// WASM namespace serves repeated case-insensitive opens from a path cache
// (assembly/ob/pathcache.ts); these rules pin down every change that must
// invalidate it, and run on the reference too, which has no cache.
import { describe, expect, test } from 'vitest';
import * as S from '../../../src/core/ntstatus.js';
import { ALL_PRIVILEGES, ObjectType as T, OBJ_CASE_INSENSITIVE as CI, OBJ_OPENLINK, OBJ_PERMANENT } from '../../../src/core/ob/index.js';
import { IMPLS, host } from './support.js';

describe.each(IMPLS)('repeated opens see the namespace as it is now (%s)', (_name, make) => {
  test('an object deleted since the last open is STATUS_OBJECT_NAME_NOT_FOUND', () => {
    const { ob, p } = host(make);
    const c = ob.create(p, T.Event, { name: '\\gone' });
    const o = ob.open(p, T.Event, { name: '\\GONE', attributes: CI });
    expect(o.status).toBe(S.STATUS_SUCCESS);
    ob.close(p, o.handle);
    ob.close(p, c.handle);
    expect(ob.open(p, T.Event, { name: '\\GONE', attributes: CI }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
  });

  test('an object recreated under the same name is the new object', () => {
    const { ob, p } = host(make);
    const a = ob.create(p, T.Event, { name: '\\again' });
    const o1 = ob.open(p, 0, { name: '\\AGAIN', attributes: CI });
    ob.close(p, o1.handle);
    ob.close(p, a.handle);
    const b = ob.create(p, T.Mutant, { name: '\\again' });
    expect(b.status).toBe(S.STATUS_SUCCESS);
    const o2 = ob.open(p, 0, { name: '\\AGAIN', attributes: CI });
    expect(ob.queryObject(p, o2.handle).type).toBe('Mutant');
    expect(ob.open(p, T.Event, { name: '\\again', attributes: CI }).status).toBe(S.STATUS_OBJECT_TYPE_MISMATCH);
  });

  test('a link recreated with another target resolves to the new target', () => {
    const { ob, p } = host(make);
    const perm = { attributes: OBJ_PERMANENT };
    ob.create(p, T.Directory, { name: '\\one', ...perm });
    ob.create(p, T.Directory, { name: '\\two', ...perm });
    ob.create(p, T.Event, { name: '\\one\\e', ...perm });
    ob.create(p, T.Semaphore, { name: '\\two\\e', ...perm });
    const l = ob.create(p, T.SymbolicLink, { name: '\\via' }, { target: '\\one' });
    const first = ob.open(p, 0, { name: '\\VIA\\E', attributes: CI });
    expect(ob.queryObject(p, first.handle).type).toBe('Event');
    ob.close(p, l.handle);
    ob.create(p, T.SymbolicLink, { name: '\\via' }, { target: '\\two' });
    const second = ob.open(p, 0, { name: '\\VIA\\E', attributes: CI });
    expect(ob.queryObject(p, second.handle).type).toBe('Semaphore');
  });

  test('an object created in a shadowed directory hides the shadow’s object of that name', () => {
    const { ob, p } = host(make);
    const shadow = ob.create(p, T.Directory, { name: '\\shadow', attributes: OBJ_PERMANENT }).handle;
    ob.create(p, T.Event, { name: '\\shadow\\x', attributes: OBJ_PERMANENT });
    ob.create(p, T.Directory, { name: '\\front', attributes: OBJ_PERMANENT }, { shadow });
    const viaShadow = ob.open(p, 0, { name: '\\front\\X', attributes: CI });
    expect(ob.queryObject(p, viaShadow.handle).type).toBe('Event');
    ob.create(p, T.Mutant, { name: '\\front\\x', attributes: OBJ_PERMANENT });
    const own = ob.open(p, 0, { name: '\\front\\X', attributes: CI });
    expect(ob.queryObject(p, own.handle).type).toBe('Mutant');
  });

  test('\\?? follows the caller’s device map as it is at each open', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Directory, { name: '\\GLOBAL??', attributes: OBJ_PERMANENT | CI, }, {});
    ob.create(p, T.Event, { name: '\\GLOBAL??\\Z', attributes: OBJ_PERMANENT });
    const dm = ob.create(p, T.Directory, { name: '\\dm', attributes: OBJ_PERMANENT }).handle;
    ob.create(p, T.Mutant, { name: '\\dm\\Z', attributes: OBJ_PERMANENT });
    const before = ob.open(p, 0, { name: '\\??\\z', attributes: CI });
    expect(ob.queryObject(p, before.handle).type).toBe('Event');
    expect(ob.setDeviceMap(p, dm)).toBe(S.STATUS_SUCCESS);
    const after = ob.open(p, 0, { name: '\\??\\z', attributes: CI });
    expect(ob.queryObject(p, after.handle).type).toBe('Mutant');
    // Another process of the host, without the device map, still gets \GLOBAL??.
    const q = ob.createProcess(0, 0, ALL_PRIVILEGES).process;
    const other = ob.open(q, 0, { name: '\\??\\z', attributes: CI });
    expect(ob.queryObject(q, other.handle).type).toBe('Event');
  });

  test('the same name opened from the host and from a silo names different objects', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Directory, { name: '\\BaseNamedObjects', attributes: OBJ_PERMANENT });
    ob.create(p, T.Event, { name: '\\BaseNamedObjects\\shared', attributes: OBJ_PERMANENT });
    expect(ob.createSilo(p, 7).status).toBe(S.STATUS_SUCCESS);
    const s = ob.createProcess(7, 1, 0).process;
    expect(ob.open(p, 0, { name: '\\basenamedobjects\\SHARED', attributes: CI }).status).toBe(S.STATUS_SUCCESS);
    expect(ob.open(s, 0, { name: '\\basenamedobjects\\SHARED', attributes: CI }).status).toBe(S.STATUS_OBJECT_PATH_NOT_FOUND);
  });

  test('a link made global since the last open resolves from the host root', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Directory, { name: '\\d', attributes: OBJ_PERMANENT });
    ob.create(p, T.Event, { name: '\\d\\e', attributes: OBJ_PERMANENT });
    const l = ob.create(p, T.SymbolicLink, { name: '\\l', attributes: OBJ_PERMANENT }, { target: '\\d' }).handle;
    expect(ob.open(p, 0, { name: '\\L\\E', attributes: CI }).status).toBe(S.STATUS_SUCCESS);
    expect(ob.setLinkGlobal(p, l, true)).toBe(S.STATUS_SUCCESS);
    expect(ob.open(p, 0, { name: '\\L\\E', attributes: CI }).status).toBe(S.STATUS_SUCCESS);
  });

  test('OBJ_OPENLINK and a followed open of the same name give the link and its target', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Event, { name: '\\target', attributes: OBJ_PERMANENT });
    ob.create(p, T.SymbolicLink, { name: '\\link', attributes: OBJ_PERMANENT }, { target: '\\target' });
    const followed = ob.open(p, 0, { name: '\\LINK', attributes: CI });
    const link = ob.open(p, 0, { name: '\\LINK', attributes: CI | OBJ_OPENLINK });
    const again = ob.open(p, 0, { name: '\\LINK', attributes: CI });
    expect(ob.queryObject(p, followed.handle).type).toBe('Event');
    expect(ob.queryObject(p, link.handle).type).toBe('SymbolicLink');
    expect(ob.queryObject(p, again.handle).type).toBe('Event');
  });

  test('a case-sensitive open is not answered by an earlier case-insensitive one', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Event, { name: '\\Mixed', attributes: OBJ_PERMANENT });
    expect(ob.open(p, T.Event, { name: '\\MIXED', attributes: CI }).status).toBe(S.STATUS_SUCCESS);
    expect(ob.open(p, T.Event, { name: '\\MIXED' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
  });

  test('the same relative name under two root directories names each one’s object', () => {
    const { ob, p } = host(make);
    const a = ob.create(p, T.Directory, { name: '\\ra', attributes: OBJ_PERMANENT }).handle;
    const b = ob.create(p, T.Directory, { name: '\\rb', attributes: OBJ_PERMANENT }).handle;
    ob.create(p, T.Event, { name: 'x', root: a, attributes: OBJ_PERMANENT });
    ob.create(p, T.Mutant, { name: 'x', root: b, attributes: OBJ_PERMANENT });
    const ea = ob.open(p, 0, { name: 'X', root: a, attributes: CI });
    const eb = ob.open(p, 0, { name: 'X', root: b, attributes: CI });
    expect(ob.queryObject(p, ea.handle).type).toBe('Event');
    expect(ob.queryObject(p, eb.handle).type).toBe('Mutant');
    ob.close(p, a);
    expect(ob.open(p, 0, { name: 'X', root: a, attributes: CI }).status).toBe(S.STATUS_INVALID_HANDLE);
  });
});
