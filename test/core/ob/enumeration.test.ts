// windows-facts §1: a directory is a 37-bucket hash table; enumeration is in
// bucket order, resumable like NtQueryDirectoryObject.
import { describe, expect, test } from 'vitest';
import * as S from '../../../src/core/ntstatus.js';
import { ObjectType as T } from '../../../src/core/ob/index.js';
import { IMPLS, host } from './support.js';

/** The NT directory hash, written out independently of the implementation. */
function bucketOf(name: string): number {
  let h = 0;
  for (const ch of name) {
    const c = ch.toUpperCase().charCodeAt(0);
    h = (h + h * 2 + Math.floor(h / 2) + c) % 2 ** 32;
  }
  return h % 37;
}

/** Expected order: by bucket; within a bucket, newest first. */
function expectedOrder(created: string[]): string[] {
  return created
    .map((name, i) => ({ name, i, b: bucketOf(name) }))
    .sort((x, y) => x.b - y.b || y.i - x.i)
    .map((e) => e.name);
}

const NAMES = ['Zeta', 'alpha', 'Mutex7', 'B', 'ObjectTypes', 'Sessions', 'KnownDlls', 'x1', 'x2', 'RPC Control', 'GLOBAL??'];

describe.each(IMPLS)('directory enumeration (%s)', (_name, make) => {
  const fill = () => {
    const { ob, p } = host(make);
    const d = ob.create(p, T.Directory, { name: '\\d' });
    for (const n of NAMES) ob.close(p, ob.create(p, T.Event, { name: n, root: d.handle, attributes: 0x10 }).handle);
    return { ob, p, d: d.handle };
  };

  test('entries come in bucket order, not creation order', () => {
    const { ob, p, d } = fill();
    const r = ob.queryDirectory(p, d, { bufferLength: 65536 });
    expect(r.status).toBe(S.STATUS_SUCCESS);
    expect(r.entries.map((e) => e.name)).toEqual(expectedOrder(NAMES));
    expect(r.entries.map((e) => e.name)).not.toEqual(NAMES);
    expect(r.entries.every((e) => e.type === 'Event')).toBe(true);
    expect(r.context).toBe(NAMES.length);
  });

  test('return length charges each entry as x64 OBJECT_DIRECTORY_INFORMATION plus strings', () => {
    const { ob, p, d } = fill();
    const r = ob.queryDirectory(p, d, { bufferLength: 65536 });
    const expected = 32 + NAMES.reduce((sum, n) => sum + 32 + (n.length + 1) * 2 + ('Event'.length + 1) * 2, 0);
    expect(r.returnLength).toBe(expected);
  });

  test('single-entry queries resume through the context and end with STATUS_NO_MORE_ENTRIES', () => {
    const { ob, p, d } = fill();
    const seen: string[] = [];
    let context = 0;
    for (;;) {
      const r = ob.queryDirectory(p, d, { bufferLength: 4096, single: true, context });
      if (r.status === S.STATUS_NO_MORE_ENTRIES) break;
      expect(r.status).toBe(S.STATUS_SUCCESS);
      expect(r.entries.length).toBe(1);
      seen.push(r.entries[0]!.name);
      context = r.context;
    }
    expect(seen).toEqual(expectedOrder(NAMES));
    expect(ob.queryDirectory(p, d, { bufferLength: 4096, context }).status >>> 0).toBe(0x8000001a);
  });

  test('a buffer too small for everything returns STATUS_MORE_ENTRIES and resumes', () => {
    const { ob, p, d } = fill();
    const first = ob.queryDirectory(p, d, { bufferLength: 200 });
    expect(first.status).toBe(S.STATUS_MORE_ENTRIES);
    expect(first.entries.length).toBeGreaterThan(0);
    expect(first.entries.length).toBeLessThan(NAMES.length);
    const rest = ob.queryDirectory(p, d, { bufferLength: 65536, context: first.context });
    expect(rest.status).toBe(S.STATUS_SUCCESS);
    expect([...first.entries, ...rest.entries].map((e) => e.name)).toEqual(expectedOrder(NAMES));
  });

  test('a buffer too small for one entry is STATUS_BUFFER_TOO_SMALL with the length needed', () => {
    const { ob, p } = host(make);
    const d = ob.create(p, T.Directory, { name: '\\d' });
    ob.create(p, T.Event, { name: 'abc', root: d.handle });
    const need = 32 + 32 + 4 * 2 + 6 * 2;
    const r = ob.queryDirectory(p, d.handle, { bufferLength: need - 1 });
    expect(r).toMatchObject({ status: S.STATUS_BUFFER_TOO_SMALL, entries: [], returnLength: need });
    expect(ob.queryDirectory(p, d.handle, { bufferLength: need }).status).toBe(S.STATUS_SUCCESS);
  });

  test('restart begins again whatever the context', () => {
    const { ob, p, d } = fill();
    const r = ob.queryDirectory(p, d, { bufferLength: 65536, context: 5, restart: true });
    expect(r.entries.length).toBe(NAMES.length);
  });

  test('an empty directory answers STATUS_NO_MORE_ENTRIES; a non-directory STATUS_OBJECT_TYPE_MISMATCH', () => {
    const { ob, p } = host(make);
    const d = ob.create(p, T.Directory, { name: '\\empty' });
    expect(ob.queryDirectory(p, d.handle, { bufferLength: 4096 }).status).toBe(S.STATUS_NO_MORE_ENTRIES);
    const e = ob.create(p, T.Event, { name: '\\e' });
    expect(ob.queryDirectory(p, e.handle, { bufferLength: 4096 }).status).toBe(S.STATUS_OBJECT_TYPE_MISMATCH);
    expect(ob.queryDirectory(p, 400, { bufferLength: 4096 }).status).toBe(S.STATUS_INVALID_HANDLE);
  });

  test('an entry removed mid-enumeration does not break the resume', () => {
    const { ob, p, d } = fill();
    const first = ob.queryDirectory(p, d, { bufferLength: 4096, single: true });
    const h = ob.open(p, 0, { name: first.entries[0]!.name, root: d });
    ob.makeTemporary(p, h.handle);
    ob.close(p, h.handle);
    const rest = ob.queryDirectory(p, d, { bufferLength: 65536, context: first.context });
    // One entry fewer: the context counts entries, as NT's does.
    expect(rest.entries.length).toBe(NAMES.length - 2);
  });
});
