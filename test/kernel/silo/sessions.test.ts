// Session ids: the lowest clear bit at or above the first container
// session (MiSessionCreateInternal's RtlFindClearBitsAndSet), whatever was
// freed before — checked against the plain scan it stands for.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { SessionIds } from '../../../src/kernel/silo/sessions.js';
import { numRuns, SEED } from '../../support/budget.js';

describe('session ids', () => {
  test('a freed id is the next one handed out; then the lowest above the rest', () => {
    const s = new SessionIds(14);
    expect([s.allocate(), s.allocate(), s.allocate()]).toEqual([14, 15, 16]);
    s.free(15);
    expect(s.allocate()).toBe(15);
    expect(s.allocate()).toBe(17);
  });

  test('the lowest free id at or above the first, after any allocations and frees', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.oneof(fc.constant(-1), fc.nat(40)), { maxLength: 80 }), (first, ops) => {
        const s = new SessionIds(first);
        const used = new Set<number>();
        for (const o of ops) {
          if (o === -1) {
            let want = first;
            while (used.has(want)) want++;
            used.add(want);
            expect(s.allocate()).toBe(want);
          } else {
            // Free an id in use (or one never handed out: no effect).
            const id = first + o;
            used.delete(id);
            s.free(id);
          }
          for (const id of used) expect(s.inUse(id)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: numRuns(200) },
    );
  });
});
