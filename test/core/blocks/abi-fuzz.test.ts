// Bad input never traps the WASM instance (assembly/README.md: statuses,
// not traps): every export, called with random and hostile arguments and
// garbage in the IO area, answers, and leaves the store structurally sound.
// The binding, fed hostile numbers and random deltas, answers with statuses.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { instantiateCore } from '../../../src/core/wasm.js';
import { AuditProblem, WasmBlockStore, type BlocksExports } from '../../../src/core/blocks/index.js';
import { numRuns, SEED } from '../../support/budget.js';
import { pattern } from './support.js';

type Fn = (...args: number[]) => number | undefined;

const hostile = fc.oneof(
  fc.integer({ min: -2, max: 40 }),
  fc.integer(),
  fc.constantFrom(0, 1, 2, 511, 512, 4096, 4097, 16384, 65536, 0x7fffffff, -0x80000000, 0xffffffff),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.5, 2 ** 32, 2 ** 40, 2 ** 40 + 512, 2 ** 53, -(2 ** 53)),
  fc.double(),
);

describe('blocks ABI under random input', () => {
  test('random calls on every export never trap, and the store stays sound', () => {
    const x = instantiateCore<BlocksExports>('blocks');
    expect(x.blkInit(12, 1 << 16, 256)).toBe(0); // 16 MiB: growth stops early
    const meta = x.blkBuffers() >>> 2;
    const IO = new Uint32Array(x.memory.buffer)[meta]!;
    expect(x.blkCreate(1 << 24)).toBe(1);
    expect(x.blkCreate(2 ** 40)).toBe(2);
    const skip = new Set(['memory', 'blkInit', 'blkBuffers']);
    const exports = Object.keys(x).filter((k) => !skip.has(k) && typeof x[k] === 'function');
    fc.assert(
      fc.property(fc.constantFrom(...exports), fc.array(hostile, { minLength: 6, maxLength: 6 }), fc.uint8Array({ maxLength: 64 }), (name, args, bytes) => {
        new Uint8Array(x.memory.buffer).set(bytes, IO);
        const r = (x[name] as Fn)(...args);
        expect(r === undefined || typeof r === 'number').toBe(true);
      }),
      { seed: SEED, numRuns: numRuns(20000) },
    );
    // Raw calls may leave unfilled block contents (blkWrite hands out blocks
    // for the caller to fill), never a broken map or a wrong count.
    expect(x.blkAudit()).toBeTypeOf('number');
    const code = new Uint32Array(x.memory.buffer)[(x.blkBuffers() + 16) >>> 2];
    expect([AuditProblem.None, AuditProblem.Tail]).toContain(code);
  });

  test('blkInit refuses bad block shifts and quotas, and an instance never initialised answers every call', () => {
    const x = instantiateCore<BlocksExports>('blocks');
    for (const shift of [8, 17, -1, 100]) expect(x.blkInit(shift, 100, 0), `shift ${shift}`).toBe(0xc000000d | 0);
    expect(x.blkInit(12, NaN, 0)).toBe(0xc000000d | 0);
    expect(x.blkBuffers()).toBe(0);
    expect(x.blkCreate(4096)).toBe(0xc000009a | 0);
    expect(x.blkWrite(1, 0, 1)).toBe(0xc000009a | 0);
    expect(x.blkPhysical(1, 0)).toBe(0);
  });

  test('hostile numbers and random deltas through the binding give statuses, never exceptions', () => {
    const s = new WasmBlockStore({ quotaBytes: 1 << 22, maxPages: 512 });
    const base = s.createDisk(1 << 20).disk;
    s.write(base, 0, pattern(3 * 4096, 1));
    const good = s.exportDelta(base, 0).delta;
    fc.assert(
      fc.property(hostile, hostile, fc.integer({ min: 0, max: 6 }), fc.uint8Array({ maxLength: 200 }), fc.nat(), (a, b, d, junk, cut) => {
        const statuses = [
          s.createDisk(a).status,
          s.write(d, a, junk).valueOf(),
          s.read(d, a, new Uint8Array(junk.length)),
          s.readBlocks(d, Uint32Array.of(a >>> 0, b >>> 0), new Uint8Array(junk.length * 41)),
          s.writeBlocks(d, Uint32Array.of(a >>> 0), cut % 2 === 0 ? junk : pattern(4096, cut)),
          s.discard(d, a, b),
          s.clone(a).status,
          s.stats(d).status,
          s.diff(d, a).status,
          s.exportDelta(d, a).status,
          s.importDelta(d, junk).status,
          s.importDelta(0, good.subarray(0, cut % (good.length + 1))).status,
        ];
        for (const st of statuses) expect(Number.isInteger(st)).toBe(true);
      }),
      { seed: SEED, numRuns: numRuns(2000) },
    );
    expect(s.audit().problem).toBe('');
  });
});
