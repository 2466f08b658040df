// windows-facts §1: lookup statuses, collisions, OPENIF, types, case rules.
import { describe, expect, test } from 'vitest';
import * as S from '../../../src/core/ntstatus.js';
import { ObjectType as T, OBJ_CASE_INSENSITIVE, OBJ_OPENIF } from '../../../src/core/ob/index.js';
import { IMPLS, host } from './support.js';

describe.each(IMPLS)('lookup (%s)', (_name, make) => {
  test('a missing intermediate component is STATUS_OBJECT_PATH_NOT_FOUND', () => {
    const { ob, p } = host(make);
    expect(ob.open(p, 0, { name: '\\nope\\x' }).status).toBe(S.STATUS_OBJECT_PATH_NOT_FOUND);
    expect(ob.create(p, T.Event, { name: '\\nope\\x' }).status).toBe(S.STATUS_OBJECT_PATH_NOT_FOUND);
  });

  test('a missing last component is STATUS_OBJECT_NAME_NOT_FOUND on open', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Directory, { name: '\\d' });
    expect(ob.open(p, 0, { name: '\\d\\x' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
  });

  test('creating an existing name is STATUS_OBJECT_NAME_COLLISION', () => {
    const { ob, p } = host(make);
    expect(ob.create(p, T.Event, { name: '\\e' }).status).toBe(S.STATUS_SUCCESS);
    expect(ob.create(p, T.Event, { name: '\\e' })).toEqual({ status: S.STATUS_OBJECT_NAME_COLLISION, handle: 0 });
  });

  test('OBJ_OPENIF opens the existing object and returns STATUS_OBJECT_NAME_EXISTS', () => {
    const { ob, p } = host(make);
    const a = ob.create(p, T.Event, { name: '\\e' });
    const b = ob.create(p, T.Event, { name: '\\e', attributes: OBJ_OPENIF });
    expect(b.status).toBe(S.STATUS_OBJECT_NAME_EXISTS);
    expect(b.status >>> 0).toBe(0x40000000);
    expect(b.handle).toBe(a.handle + 4);
    expect(ob.queryObject(p, b.handle).handleCount).toBe(2);
  });

  test('OBJ_OPENIF on an object of another type is STATUS_OBJECT_TYPE_MISMATCH', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Mutant, { name: '\\m' });
    expect(ob.create(p, T.Event, { name: '\\m', attributes: OBJ_OPENIF }).status).toBe(S.STATUS_OBJECT_TYPE_MISMATCH);
  });

  test('opening with the wrong type is STATUS_OBJECT_TYPE_MISMATCH; type 0 opens any', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Semaphore, { name: '\\s' });
    expect(ob.open(p, T.Event, { name: '\\s' }).status).toBe(S.STATUS_OBJECT_TYPE_MISMATCH);
    expect(ob.open(p, T.Semaphore, { name: '\\s' }).status).toBe(S.STATUS_SUCCESS);
    expect(ob.open(p, 0, { name: '\\s' }).status).toBe(S.STATUS_SUCCESS);
  });

  test('a non-directory in the middle of a path is STATUS_OBJECT_TYPE_MISMATCH', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Event, { name: '\\e' });
    expect(ob.open(p, 0, { name: '\\e\\x' }).status).toBe(S.STATUS_OBJECT_TYPE_MISMATCH);
  });

  test('creating the root is a collision, and with OPENIF opens it (EXISTS)', () => {
    const { ob, p } = host(make);
    expect(ob.create(p, T.Directory, { name: '\\' }).status).toBe(S.STATUS_OBJECT_NAME_COLLISION);
    const r = ob.create(p, T.Directory, { name: '\\', attributes: OBJ_OPENIF });
    expect(r.status).toBe(S.STATUS_OBJECT_NAME_EXISTS);
    expect(ob.queryName(p, r.handle).name).toBe('\\');
  });

  test('lookup is case-insensitive with OBJ_CASE_INSENSITIVE and case-sensitive without', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Event, { name: '\\MyEvent' });
    expect(ob.open(p, T.Event, { name: '\\myevent' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
    expect(ob.open(p, T.Event, { name: '\\myevent', attributes: OBJ_CASE_INSENSITIVE }).status).toBe(S.STATUS_SUCCESS);
    expect(ob.open(p, T.Event, { name: '\\MyEvent' }).status).toBe(S.STATUS_SUCCESS);
  });

  test('Directory and SymbolicLink names are always looked up case-insensitively', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Directory, { name: '\\Dir' });
    ob.create(p, T.SymbolicLink, { name: '\\Lnk' }, { target: '\\Dir' });
    expect(ob.open(p, T.Directory, { name: '\\DIR' }).status).toBe(S.STATUS_SUCCESS);
    expect(ob.open(p, T.SymbolicLink, { name: '\\lnk' }).status).toBe(S.STATUS_SUCCESS);
    expect(ob.create(p, T.Directory, { name: '\\dIR' }).status).toBe(S.STATUS_OBJECT_NAME_COLLISION);
    // Intermediate components are directories or links: matched case-insensitively.
    ob.create(p, T.Event, { name: '\\Dir\\E' });
    expect(ob.open(p, T.Event, { name: '\\dir\\E' }).status).toBe(S.STATUS_SUCCESS);
  });

  test('the stored name keeps the case it was created with', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Directory, { name: '\\MixedCase' });
    const h = ob.open(p, 0, { name: '\\MIXEDCASE', attributes: OBJ_CASE_INSENSITIVE }).handle;
    expect(ob.queryName(p, h).name).toBe('\\MixedCase');
  });

  test('names differing only in case coexist when created case-sensitively; CI finds the newest', () => {
    const { ob, p } = host(make);
    const a = ob.create(p, T.Event, { name: '\\ev' });
    const b = ob.create(p, T.Event, { name: '\\EV' });
    expect(a.status).toBe(S.STATUS_SUCCESS);
    expect(b.status).toBe(S.STATUS_SUCCESS);
    expect(ob.create(p, T.Event, { name: '\\Ev', attributes: OBJ_CASE_INSENSITIVE }).status).toBe(S.STATUS_OBJECT_NAME_COLLISION);
    const ci = ob.open(p, T.Event, { name: '\\eV', attributes: OBJ_CASE_INSENSITIVE });
    expect(ob.queryName(p, ci.handle).name).toBe('\\EV');
    expect(ob.queryName(p, ob.open(p, T.Event, { name: '\\ev' }).handle).name).toBe('\\ev');
  });

  test('folding uses one code unit per code unit: ß does not fold to SS, é folds to É', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Event, { name: '\\straße' });
    expect(ob.open(p, 0, { name: '\\STRASSE', attributes: OBJ_CASE_INSENSITIVE }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
    expect(ob.open(p, 0, { name: '\\STRAßE', attributes: OBJ_CASE_INSENSITIVE }).status).toBe(S.STATUS_SUCCESS);
    ob.create(p, T.Event, { name: '\\café' });
    expect(ob.open(p, 0, { name: '\\CAFÉ', attributes: OBJ_CASE_INSENSITIVE }).status).toBe(S.STATUS_SUCCESS);
  });

  test('a relative name resolves from the root handle; an empty one opens the root itself', () => {
    const { ob, p } = host(make);
    const d = ob.create(p, T.Directory, { name: '\\d' });
    ob.create(p, T.Event, { name: 'e', root: d.handle });
    expect(ob.open(p, T.Event, { name: '\\d\\e' }).status).toBe(S.STATUS_SUCCESS);
    const self = ob.open(p, T.Directory, { name: '', root: d.handle });
    expect(ob.queryName(p, self.handle).name).toBe('\\d');
    const e = ob.open(p, T.Event, { name: 'e', root: d.handle });
    expect(ob.open(p, 0, { name: 'x', root: e.handle }).status).toBe(S.STATUS_OBJECT_TYPE_MISMATCH);
    expect(ob.open(p, 0, { name: 'x', root: 4000 }).status).toBe(S.STATUS_INVALID_HANDLE);
  });

  test('an empty name creates an unnamed object with the empty name', () => {
    const { ob, p } = host(make);
    const before = ob.objectCount();
    const r = ob.create(p, T.Event, { name: '' });
    expect(r.status).toBe(S.STATUS_SUCCESS);
    expect(ob.queryName(p, r.handle)).toEqual({ status: S.STATUS_SUCCESS, name: '' });
    expect(ob.queryObject(p, r.handle).named).toBe(false);
    expect(ob.close(p, r.handle)).toBe(S.STATUS_SUCCESS);
    expect(ob.objectCount()).toBe(before);
  });
});
