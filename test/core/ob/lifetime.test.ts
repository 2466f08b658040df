// windows-facts §1: temporary objects leave with their last handle; permanent ones stay.
import { describe, expect, test } from 'vitest';
import * as S from '../../../src/core/ntstatus.js';
import { ObjectType as T, OBJ_PERMANENT } from '../../../src/core/ob/index.js';
import { IMPLS, host } from './support.js';

describe.each(IMPLS)('object lifetime (%s)', (_name, make) => {
  test('a temporary object disappears when its last handle closes', () => {
    const { ob, p } = host(make);
    const base = ob.objectCount();
    const a = ob.create(p, T.Event, { name: '\\t' });
    const b = ob.open(p, 0, { name: '\\t' });
    ob.close(p, a.handle);
    const c = ob.open(p, 0, { name: '\\t' });
    expect(c.status).toBe(S.STATUS_SUCCESS);
    ob.close(p, b.handle);
    ob.close(p, c.handle);
    expect(ob.open(p, 0, { name: '\\t' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
    expect(ob.objectCount()).toBe(base);
  });

  test('a permanent object stays with no handle open', () => {
    const { ob, p } = host(make);
    const r = ob.create(p, T.Event, { name: '\\perm', attributes: OBJ_PERMANENT });
    ob.close(p, r.handle);
    const o = ob.open(p, 0, { name: '\\perm' });
    expect(o.status).toBe(S.STATUS_SUCCESS);
    expect(ob.queryObject(p, o.handle).attributes).toBe(OBJ_PERMANENT);
  });

  test('OBJ_PERMANENT without SeCreatePermanentPrivilege is STATUS_PRIVILEGE_NOT_HELD', () => {
    const { ob } = host(make);
    const q = ob.createProcess(0, 0, 0).process;
    expect(ob.create(q, T.Event, { name: '\\p', attributes: OBJ_PERMANENT }).status).toBe(S.STATUS_PRIVILEGE_NOT_HELD);
    const h = ob.create(q, T.Event, { name: '\\p' }).handle;
    expect(ob.makePermanent(q, h)).toBe(S.STATUS_PRIVILEGE_NOT_HELD);
  });

  test('making a permanent object temporary removes it when its last handle closes', () => {
    const { ob, p } = host(make);
    ob.close(p, ob.create(p, T.Event, { name: '\\p', attributes: OBJ_PERMANENT }).handle);
    const h = ob.open(p, 0, { name: '\\p' }).handle;
    expect(ob.makeTemporary(p, h)).toBe(S.STATUS_SUCCESS);
    expect(ob.open(p, 0, { name: '\\p' }).status).toBe(S.STATUS_SUCCESS);
    ob.close(p, h);
    ob.close(p, 8);
    expect(ob.open(p, 0, { name: '\\p' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
  });

  test('making a temporary object permanent keeps it', () => {
    const { ob, p } = host(make);
    const h = ob.create(p, T.Event, { name: '\\t' }).handle;
    expect(ob.makePermanent(p, h)).toBe(S.STATUS_SUCCESS);
    ob.close(p, h);
    expect(ob.open(p, 0, { name: '\\t' }).status).toBe(S.STATUS_SUCCESS);
  });

  test('the root cannot be made temporary', () => {
    const { ob, p } = host(make);
    const r = ob.open(p, T.Directory, { name: '\\' });
    expect(ob.makeTemporary(p, r.handle)).toBe(S.STATUS_ACCESS_DENIED);
  });

  test('a temporary directory leaves with its handle; objects inside stay open but unreachable', () => {
    const { ob, p } = host(make);
    const base = ob.objectCount();
    const d = ob.create(p, T.Directory, { name: '\\tmpdir' });
    const e = ob.create(p, T.Event, { name: '\\tmpdir\\e' });
    ob.close(p, d.handle);
    expect(ob.open(p, 0, { name: '\\tmpdir\\e' }).status).toBe(S.STATUS_OBJECT_PATH_NOT_FOUND);
    expect(ob.queryName(p, e.handle).name).toBe('\\tmpdir\\e');
    ob.close(p, e.handle);
    expect(ob.objectCount()).toBe(base);
  });

  test('pointer counts count handles and directory entries', () => {
    const { ob, p } = host(make);
    const d = ob.create(p, T.Directory, { name: '\\d' });
    ob.create(p, T.Event, { name: '\\d\\a' });
    ob.create(p, T.Event, { name: '\\d\\b' });
    const info = ob.queryObject(p, d.handle);
    expect(info).toMatchObject({ status: 0, type: 'Directory', handleCount: 1, pointerCount: 3, named: true });
  });
});
