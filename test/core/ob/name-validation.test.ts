// windows-facts §1, "Name validation".
import { describe, expect, test } from 'vitest';
import * as S from '../../../src/core/ntstatus.js';
import { ObjectType as T, OBJ_CASE_INSENSITIVE } from '../../../src/core/ob/index.js';
import { IMPLS, host, st } from './support.js';

describe.each(IMPLS)('name validation (%s)', (_name, make) => {
  test('an empty component is STATUS_OBJECT_NAME_INVALID', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Directory, { name: '\\a' });
    expect(st(ob.open(p, 0, { name: '\\a\\\\b' }).status)).toBe('STATUS_OBJECT_NAME_INVALID');
    expect(st(ob.create(p, T.Event, { name: '\\\\a' }).status)).toBe('STATUS_OBJECT_NAME_INVALID');
  });

  test('a trailing backslash is STATUS_OBJECT_NAME_INVALID', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Directory, { name: '\\a' });
    expect(ob.open(p, 0, { name: '\\a\\' }).status).toBe(S.STATUS_OBJECT_NAME_INVALID);
    expect(ob.create(p, T.Event, { name: '\\a\\e\\' }).status).toBe(S.STATUS_OBJECT_NAME_INVALID);
  });

  test('an odd byte length is STATUS_OBJECT_NAME_INVALID', () => {
    const { ob, p } = host(make);
    expect(ob.create(p, T.Event, { name: '\\evt', nameLength: 7 }).status).toBe(S.STATUS_OBJECT_NAME_INVALID);
    expect(ob.open(p, 0, { name: '\\', nameLength: 1 }).status).toBe(S.STATUS_OBJECT_NAME_INVALID);
  });

  test('a name of 65534 bytes or more is STATUS_OBJECT_NAME_INVALID; 65532 is merely long', () => {
    const { ob, p } = host(make);
    const long = '\\' + 'x'.repeat(32766); // 32767 units = 65534 bytes
    expect(ob.create(p, T.Event, { name: long }).status).toBe(S.STATUS_OBJECT_NAME_INVALID);
    expect(ob.create(p, T.Event, { name: long, nameLength: 65534 }).status).toBe(S.STATUS_OBJECT_NAME_INVALID);
    expect(ob.create(p, T.Event, { name: '\\' + 'x'.repeat(40000) }).status).toBe(S.STATUS_OBJECT_NAME_INVALID);
    const edge = '\\' + 'y'.repeat(32765); // 65532 bytes: valid
    const r = ob.create(p, T.Event, { name: edge });
    expect(r.status).toBe(S.STATUS_SUCCESS);
    expect(ob.queryName(p, r.handle).name).toBe(edge);
  });

  test('UNICODE_STRING.Length shorter than the buffer truncates the name', () => {
    const { ob, p } = host(make);
    const r = ob.create(p, T.Event, { name: '\\abcdef', nameLength: 8 });
    expect(r.status).toBe(S.STATUS_SUCCESS);
    expect(ob.queryName(p, r.handle).name).toBe('\\abc');
  });

  test('a relative name without a root handle is STATUS_OBJECT_PATH_SYNTAX_BAD', () => {
    const { ob, p } = host(make);
    expect(ob.open(p, 0, { name: 'BaseNamedObjects' }).status).toBe(S.STATUS_OBJECT_PATH_SYNTAX_BAD);
    expect(ob.create(p, T.Event, { name: 'e' }).status).toBe(S.STATUS_OBJECT_PATH_SYNTAX_BAD);
  });

  test('an empty name without a root handle is STATUS_OBJECT_PATH_SYNTAX_BAD on open', () => {
    const { ob, p } = host(make);
    expect(ob.open(p, 0, { name: '' }).status).toBe(S.STATUS_OBJECT_PATH_SYNTAX_BAD);
  });

  test('a name starting with a backslash together with a root handle is STATUS_OBJECT_PATH_SYNTAX_BAD', () => {
    const { ob, p } = host(make);
    const d = ob.create(p, T.Directory, { name: '\\d' });
    expect(ob.open(p, 0, { name: '\\x', root: d.handle }).status).toBe(S.STATUS_OBJECT_PATH_SYNTAX_BAD);
    expect(ob.create(p, T.Event, { name: '\\x', root: d.handle }).status).toBe(S.STATUS_OBJECT_PATH_SYNTAX_BAD);
  });

  test('attribute bits outside OBJ_VALID_ATTRIBUTES are STATUS_INVALID_PARAMETER', () => {
    const { ob, p } = host(make);
    expect(ob.create(p, T.Event, { name: '\\e', attributes: 0x1 }).status).toBe(S.STATUS_INVALID_PARAMETER);
    expect(ob.open(p, 0, { name: '\\', attributes: 0x10000 }).status).toBe(S.STATUS_INVALID_PARAMETER);
    expect(ob.open(p, 0, { name: '\\', attributes: OBJ_CASE_INSENSITIVE }).status).toBe(S.STATUS_SUCCESS);
  });

  test('an unknown object type is STATUS_INVALID_PARAMETER', () => {
    const { ob, p } = host(make);
    expect(ob.create(p, 0 as never, { name: '\\e' }).status).toBe(S.STATUS_INVALID_PARAMETER);
    expect(ob.create(p, 99 as never, { name: '\\e' }).status).toBe(S.STATUS_INVALID_PARAMETER);
    expect(ob.open(p, 99 as never, { name: '\\' }).status).toBe(S.STATUS_INVALID_PARAMETER);
  });

  test('"." and ".." are ordinary names, never the parent', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Directory, { name: '\\a' });
    expect(ob.open(p, 0, { name: '\\a\\..' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
    expect(ob.create(p, T.Directory, { name: '\\a\\..' }).status).toBe(S.STATUS_SUCCESS);
    const e = ob.create(p, T.Event, { name: '\\a\\..\\.' });
    expect(e.status).toBe(S.STATUS_SUCCESS);
    expect(ob.queryName(p, e.handle).name).toBe('\\a\\..\\.');
    expect(ob.open(p, 0, { name: '\\.' }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
  });

  test('a process context that does not exist is STATUS_INVALID_CID', () => {
    const { ob } = host(make);
    expect(ob.open(999, 0, { name: '\\' }).status).toBe(S.STATUS_INVALID_CID);
    expect(ob.close(0, 4)).toBe(S.STATUS_INVALID_CID);
    expect(ob.deleteProcess(12345)).toBe(S.STATUS_INVALID_CID);
  });
});
