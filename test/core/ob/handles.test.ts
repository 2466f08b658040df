// Handles: per-process tables, values multiples of 4, STATUS_INVALID_HANDLE 0xC0000008.
import { describe, expect, test } from 'vitest';
import * as S from '../../../src/core/ntstatus.js';
import { ObjectType as T } from '../../../src/core/ob/index.js';
import { IMPLS, host } from './support.js';

describe.each(IMPLS)('handles (%s)', (_name, make) => {
  test('handle values are multiples of 4, starting at 4', () => {
    const { ob, p } = host(make);
    const hs = [1, 2, 3, 4].map((i) => ob.create(p, T.Event, { name: `\\e${i}` }).handle);
    expect(hs).toEqual([4, 8, 12, 16]);
  });

  test('the most recently freed handle value is reused first', () => {
    const { ob, p } = host(make);
    for (let i = 0; i < 5; i++) ob.create(p, T.Event, { name: `\\e${i}`, attributes: 0x10 });
    expect(ob.close(p, 8)).toBe(S.STATUS_SUCCESS);
    expect(ob.close(p, 16)).toBe(S.STATUS_SUCCESS);
    expect(ob.open(p, 0, { name: '\\e0' }).handle).toBe(16);
    expect(ob.open(p, 0, { name: '\\e0' }).handle).toBe(8);
    expect(ob.open(p, 0, { name: '\\e0' }).handle).toBe(24);
  });

  test('the low two bits of a handle value are ignored', () => {
    const { ob, p } = host(make);
    const h = ob.create(p, T.Event, { name: '\\e' }).handle;
    expect(ob.queryName(p, h | 3).name).toBe('\\e');
    expect(ob.close(p, h | 1)).toBe(S.STATUS_SUCCESS);
    expect(ob.close(p, h)).toBe(S.STATUS_INVALID_HANDLE);
  });

  test('closing a closed, never-opened or zero handle is STATUS_INVALID_HANDLE (0xC0000008)', () => {
    const { ob, p } = host(make);
    const h = ob.create(p, T.Event, { name: '\\e' }).handle;
    expect(ob.close(p, h)).toBe(S.STATUS_SUCCESS);
    expect(ob.close(p, h)).toBe(S.STATUS_INVALID_HANDLE);
    expect(ob.close(p, h) >>> 0).toBe(0xc0000008);
    expect(ob.close(p, 0)).toBe(S.STATUS_INVALID_HANDLE);
    expect(ob.close(p, 0x7ffffffc)).toBe(S.STATUS_INVALID_HANDLE);
    expect(ob.close(p, 0xfffffffc)).toBe(S.STATUS_INVALID_HANDLE);
    expect(ob.queryName(p, 44).status).toBe(S.STATUS_INVALID_HANDLE);
  });

  test('handle tables are per process: another process\'s handle means nothing', () => {
    const { ob, p } = host(make);
    const q = ob.createProcess(0, 0, 0).process;
    const h = ob.create(p, T.Event, { name: '\\e' }).handle;
    expect(ob.close(q, h)).toBe(S.STATUS_INVALID_HANDLE);
    const hq = ob.open(q, 0, { name: '\\e' }).handle;
    expect(hq).toBe(4);
    expect(ob.queryObject(p, h).handleCount).toBe(2);
    expect(ob.handleCount(p)).toBe(1);
    expect(ob.handleCount(q)).toBe(1);
  });

  test('deleting a process closes all its handles', () => {
    const { ob, p } = host(make);
    const q = ob.createProcess(0, 0, 0).process;
    ob.create(q, T.Event, { name: '\\temp' });
    const keep = ob.open(p, 0, { name: '\\temp' });
    expect(ob.queryObject(p, keep.handle).handleCount).toBe(2);
    expect(ob.deleteProcess(q)).toBe(S.STATUS_SUCCESS);
    expect(ob.queryObject(p, keep.handle).handleCount).toBe(1);
    expect(ob.close(q, 4)).toBe(S.STATUS_INVALID_CID);
  });

  test('batch open and close give per-name statuses and handles', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Directory, { name: '\\d', attributes: 0x10 });
    ob.create(p, T.Event, { name: '\\d\\e', attributes: 0x10 });
    const out = { statuses: new Int32Array(4), handles: new Uint32Array(4) };
    const n = ob.openBatch(p, ['\\d\\e', '\\nope', '\\d\\', 'rel'], 0, 0, 0, out);
    expect(n).toBe(1);
    expect(Array.from(out.statuses)).toEqual([
      S.STATUS_SUCCESS, S.STATUS_OBJECT_NAME_NOT_FOUND, S.STATUS_OBJECT_NAME_INVALID, S.STATUS_OBJECT_PATH_SYNTAX_BAD,
    ]);
    expect(out.handles[0]).toBe(12);
    const statuses = new Int32Array(2);
    expect(ob.closeBatch(p, new Uint32Array([12, 12]), 2, statuses)).toBe(1);
    expect(Array.from(statuses)).toEqual([S.STATUS_SUCCESS, S.STATUS_INVALID_HANDLE]);
  });

  test('a batch larger than one call is split and still answers every name', () => {
    const { ob, p } = host(make);
    ob.create(p, T.Event, { name: '\\e', attributes: 0x10 });
    const names = Array.from({ length: 5000 }, (_, i) => (i % 2 ? '\\e' : '\\f'));
    const out = { statuses: new Int32Array(5000), handles: new Uint32Array(5000) };
    expect(ob.openBatch(p, names, 0, 0, 0, out)).toBe(2500);
    expect(out.statuses[4999]).toBe(S.STATUS_SUCCESS);
    expect(out.statuses[4998]).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
    const open = out.handles.filter((h) => h !== 0);
    expect(ob.closeBatch(p, open, open.length)).toBe(2500);
    expect(ob.handleCount(p)).toBe(1);
  });
});
