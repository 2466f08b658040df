// Process ids, thread ids and handle values as the NT executive hands them
// out (WRK ex/handle.c; PspCidTable is strict FIFO, ps/psinit.c).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { numRuns, SEED } from '../../support/budget.js';
import { HandleTable } from '../../../src/kernel/process/handle-table.js';
import { CMD, newKernel, settle } from './support.js';

describe('handle tables', () => {
  test('values are multiples of 4 starting at 4', () => {
    const t = new HandleTable<string>();
    expect([t.create('a'), t.create('b'), t.create('c')]).toEqual([4, 8, 12]);
    expect(t.get(8)).toBe('b');
    expect(t.get(9)).toBe('b'); // the low two bits are ignored
  });

  test('an ordinary table reuses the most recently closed value first', () => {
    const t = new HandleTable<number>();
    const v = Array.from({ length: 5 }, (_, i) => t.create(i));
    t.destroy(v[1]!);
    t.destroy(v[3]!);
    expect(t.create(9)).toBe(v[3]);
    expect(t.create(9)).toBe(v[1]);
    expect(t.create(9)).toBe(24);
  });

  test('the first entry of every page is reserved: no value is a multiple of 1024', () => {
    const t = new HandleTable<number>();
    const values = Array.from({ length: 600 }, (_, i) => t.create(i));
    expect(values).not.toContain(1024);
    expect(values).not.toContain(2048);
    expect(values[254]).toBe(1020);
    expect(values[255]).toBe(1028);
    expect(new Set(values).size).toBe(600);
  });

  test('a strict-FIFO table gives freed values back oldest first, after the fresh ones', () => {
    const t = new HandleTable<number>({ strictFifo: true });
    const first = Array.from({ length: 255 }, (_, i) => t.create(i)); // the whole first page
    for (const v of [first[10]!, first[3]!, first[7]!]) t.destroy(v);
    // Fewer than 100 freed: the table grows first, then reuses in free order.
    const next = Array.from({ length: 258 }, () => t.create(0));
    expect(next.slice(0, 255)).toEqual(Array.from({ length: 255 }, (_, i) => 1028 + 4 * i));
    expect(next.slice(255)).toEqual([first[10], first[3], first[7]]);
  });

  test('a strict-FIFO table with 100 or more freed reuses them before growing', () => {
    const t = new HandleTable<number>({ strictFifo: true });
    const first = Array.from({ length: 255 }, (_, i) => t.create(i));
    const freed = first.slice(0, 120).reverse();
    for (const v of freed) t.destroy(v);
    expect(t.create(0)).toBe(freed[0]);
    expect(t.create(0)).toBe(freed[1]);
  });

  test('property: live values are unique multiples of 4, never of 1024, and a strict-FIFO table reuses in free order', () => {
    const op = fc.oneof(fc.constant({ kind: 'create' as const }), fc.nat(1000).map((i) => ({ kind: 'destroy' as const, i })));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), fc.boolean(), (ops, strict) => {
        const t = new HandleTable<number>({ strictFifo: strict });
        const live: number[] = [];
        const freed: number[] = []; // freed and not yet reused, in free order
        for (const o of ops) {
          if (o.kind === 'create' || live.length === 0) {
            const v = t.create(1);
            expect(v % 4).toBe(0);
            expect(v % 1024).not.toBe(0);
            expect(live).not.toContain(v);
            const k = freed.indexOf(v);
            if (k >= 0) {
              if (strict) expect(k).toBe(0);
              freed.splice(k, 1);
            }
            live.push(v);
          } else {
            const [v] = live.splice(o.i % live.length, 1);
            expect(t.destroy(v!)).toBe(1);
            freed.push(v!);
          }
        }
        expect(t.count).toBe(live.length);
      }),
      { seed: SEED, numRuns: numRuns(100) },
    );
  });

  test('a freed value is not handed out again while fresh entries remain', () => {
    const t = new HandleTable<number>({ strictFifo: true });
    const a = t.create(1);
    t.destroy(a);
    expect(t.create(2)).toBe(8);
  });
});

describe('process and thread ids', () => {
  test('System is pid 4, its parent the Idle process, pid 0', () => {
    const k = newKernel();
    expect(k.idle.pid).toBe(0);
    expect(k.idle.imageName).toBe('System Idle Process');
    expect(k.system.pid).toBe(4);
    expect(k.system.parentPid).toBe(0);
    expect(k.system.sessionId).toBe(0);
  });

  test('pids and tids share one table: a process takes one id, then one per thread', () => {
    const k = newKernel();
    k.programs.register(CMD, () => 0);
    const before = k.system.tids.slice();
    const c = k.createProcess({ commandLine: 'cmd.exe' });
    const p = c.process;
    expect(p.pid % 4).toBe(0);
    expect(p.tids.length).toBe(1); // cmd.exe's profile: one thread
    expect(p.tids[0]).toBe(p.pid + 4);
    expect(before).not.toContain(p.pid);
  });

  test("an exited process's pid stays taken while a handle to it is open, and is not reused at once after", async () => {
    const k = newKernel();
    k.programs.register(CMD, () => 0);
    const c = k.createProcess({ commandLine: 'cmd.exe' });
    const pid = c.pid;
    await c.wait();
    expect(k.process(pid)?.exitCode).toBe(0);
    c.close();
    expect(k.process(pid)).toBeUndefined();
    const d = k.createProcess({ commandLine: 'cmd.exe' });
    expect(d.pid).not.toBe(pid);
    await settle();
  });

  test('every process and thread id of a booted container is a distinct multiple of 4, never of 1024', () => {
    const k = newKernel({ host: 'server' });
    const s = k.createSilo();
    s.start();
    const ids = [...k.processes()].flatMap((p) => [p.pid, ...p.tids.filter((t) => t !== 0)]).filter((x) => x !== 0);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id % 4).toBe(0);
      expect(id % 1024).not.toBe(0);
    }
  });

  test('silo ids come from the same table (decision: a silo id is a CID value)', () => {
    const k = newKernel();
    const s = k.createSilo();
    expect(s.id % 4).toBe(0);
    s.start();
    for (const p of s.listProcesses()) expect(p.pid).not.toBe(s.id);
  });

  test('two kernels share nothing: the same operations give the same ids', () => {
    const boot = () => {
      const k = newKernel({ host: 'server' });
      const s = k.createSilo();
      s.start();
      return [s.id, ...s.listProcesses().map((p) => `${p.pid}:${p.parentPid}:${p.imageName}`)];
    };
    expect(boot()).toEqual(boot());
  });
});
