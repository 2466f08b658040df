// Bad input never traps the WASM instance: every export, called with random
// arguments and garbage in its buffers, answers with a status.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import * as S from '../../../src/core/ntstatus.js';
import { instantiateCore } from '../../../src/core/wasm.js';
import { ALL_PRIVILEGES, ObjectType as T, WasmObjectNamespace } from '../../../src/core/ob/index.js';
import { numRuns, SEED } from '../../support/budget.js';

type Fn = (...args: number[]) => number;

describe('ob ABI under random input', () => {
  test('random calls on every export never trap', () => {
    const x = instantiateCore<Record<string, Fn> & { memory: WebAssembly.Memory }>('ob');
    expect(x.obInit!()).toBe(0);
    const meta = x.obBuffers!() >>> 2;
    const u32 = () => new Uint32Array(x.memory.buffer);
    const NAME = u32()[meta]!;
    const BNAMES = u32()[meta + 6]!;
    const BLENS = u32()[meta + 3]!;
    x.obProcessCreate!(0, 0, 3);
    const exports = Object.keys(x).filter((k) => k.startsWith('ob') && k !== 'obInit' && typeof x[k] === 'function');
    const int = fc.oneof(fc.integer({ min: -2, max: 64 }), fc.integer(), fc.constantFrom(0x7fffffff, -0x80000000, 65534, 65535, 4096, 4097));
    fc.assert(
      fc.property(fc.constantFrom(...exports), fc.array(int, { minLength: 8, maxLength: 8 }), fc.uint8Array({ maxLength: 64 }), (name, args, bytes) => {
        new Uint8Array(x.memory.buffer).set(bytes, NAME);
        new Uint8Array(x.memory.buffer).set(bytes, BNAMES);
        u32()[(BLENS >>> 2)] = args[7]! >>> 0;
        const r = x[name]!(...args);
        expect(typeof r === 'number' || typeof r === 'bigint' || r === undefined).toBe(true);
      }),
      { seed: SEED, numRuns: numRuns(20000) },
    );
  });

  test('random strings through the binding never throw', () => {
    const ob = new WasmObjectNamespace();
    const p = ob.createProcess(0, 0, ALL_PRIVILEGES).process;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.integer({ min: 0, max: 12 }), (a, b, t) => {
        const r1 = ob.create(p, t as never, { name: '\\' + a }, { target: b });
        const r2 = ob.open(p, 0, { name: a + '\\' + b, attributes: 0x40 });
        for (const r of [r1, r2]) expect(Number.isInteger(r.status)).toBe(true);
        if (r1.status >= 0) ob.close(p, r1.handle);
        if (r2.status >= 0) ob.close(p, r2.handle);
      }),
      { seed: SEED, numRuns: numRuns(3000) },
    );
  });

  test('memory exhaustion answers STATUS_INSUFFICIENT_RESOURCES and leaves the namespace consistent', () => {
    const ob = new WasmObjectNamespace({ maxPages: 160 }); // 10 MiB
    const p = ob.createProcess(0, 0, ALL_PRIVILEGES).process;
    const d = ob.create(p, T.Directory, { name: '\\d', attributes: 0x10 });
    let last = 0;
    let created = 0;
    for (let i = 0; i < 1_000_000; i++) {
      last = ob.create(p, T.Event, { name: `evt-${i}-${'x'.repeat(40)}`, root: d.handle, attributes: 0x10 }).status;
      if (last !== 0) break;
      created++;
    }
    expect(last).toBe(S.STATUS_INSUFFICIENT_RESOURCES);
    expect(created).toBeGreaterThan(1000);
    // Everything created before is still there and can be enumerated and opened.
    expect(ob.open(p, T.Event, { name: `\\d\\evt-0-${'x'.repeat(40)}` }).status).toBe(0);
    expect(ob.open(p, T.Event, { name: `\\d\\evt-${created - 1}-${'x'.repeat(40)}` }).status).toBe(0);
    expect(ob.open(p, T.Event, { name: `\\d\\evt-${created}-${'x'.repeat(40)}` }).status).toBe(S.STATUS_OBJECT_NAME_NOT_FOUND);
  });
});
