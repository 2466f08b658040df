// The pipe's queue (src/kernel/process/fifo.ts) keeps its storage when it
// empties; whatever the operations, it must answer as a plain array used as
// a queue would (push, shift, at, takeWhere, clear), including across its
// compaction (first ≥ 64 and most of the storage behind it).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Fifo } from '../../../src/kernel/process/fifo.js';

type Op = { op: 'push'; n: number } | { op: 'shift' } | { op: 'at'; k: number } | { op: 'takeOdd' } | { op: 'clear' };

const ops = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant('push' as const), n: fc.integer({ min: 1, max: 200 }) }) },
    { weight: 5, arbitrary: fc.constant({ op: 'shift' as const }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('at' as const), k: fc.integer({ min: -2, max: 300 }) }) },
    { weight: 1, arbitrary: fc.constant({ op: 'takeOdd' as const }) },
    { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
  ),
  { maxLength: 300 },
);

describe('the pipe queue answers as an array queue', () => {
  test('any sequence of operations', () => {
    fc.assert(
      fc.property(ops, (seq: Op[]) => {
        const q = new Fifo<number>();
        const model: number[] = [];
        let next = 0;
        for (const o of seq) {
          switch (o.op) {
            case 'push':
              // A run of pushes: enough to pass the compaction threshold.
              for (let i = 0; i < o.n; i++) {
                q.push(next);
                model.push(next++);
              }
              break;
            case 'shift':
              expect(q.shift()).toBe(model.shift());
              break;
            case 'at':
              expect(q.at(o.k)).toBe(o.k >= 0 ? model[o.k] : undefined);
              break;
            case 'takeOdd':
              expect(q.takeWhere((x) => x % 2 === 1)).toEqual(model.filter((x) => x % 2 === 1));
              model.splice(0, model.length, ...model.filter((x) => x % 2 === 0));
              break;
            case 'clear':
              expect(q.clear()).toEqual(model.splice(0));
              break;
          }
          expect(q.length).toBe(model.length);
        }
        for (let k = 0; k < model.length; k++) expect(q.at(k)).toBe(model[k]);
      }),
      { numRuns: 300 },
    );
  });

  test('draining many items one at a time keeps every item in order', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 1000; i++) q.push(i);
    for (let i = 0; i < 1000; i++) {
      expect(q.shift()).toBe(i);
      if (i % 3 === 0) q.push(1000 + i);
    }
    const rest: number[] = [];
    while (q.length > 0) rest.push(q.shift()!);
    expect(rest).toEqual(Array.from({ length: 334 }, (_, k) => 1000 + 3 * k));
  });

  test('after a burst larger than its kept storage empties, the queue starts afresh and still answers in order', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 3000; i++) q.push(i);
    for (let i = 0; i < 3000; i++) expect(q.shift()).toBe(i);
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
    q.push(7);
    q.push(8);
    expect(q.at(1)).toBe(8);
    expect(q.clear()).toEqual([7, 8]);
  });
});
