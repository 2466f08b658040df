// Whatever the chunking and timing of what is typed, and whichever way a
// program reads (ReadConsole with editing, or a plain readLine), the lines
// read are the lines typed, in order: type-ahead, reads that start late and
// bytes left after an Enter never get lost or reordered.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Console } from '../../../src/kernel/process/console.js';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { INTERRUPTED, readConsoleLine } from '../../../src/shell/console/read-line.js';
import { numRuns, SEED } from '../../support/budget.js';
import { newKernel } from '../../kernel/process/support.js';

const READER = 'C:\\Windows\\system32\\reader.exe';

describe('keystroke order', () => {
  test('random lines, cut into random chunks typed at random moments, are read back in order by mixed reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^[a-z0-9 ]{0,12}$/), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(40), { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        fc.array(fc.nat(3), { minLength: 1, maxLength: 10 }),
        async (lines, cuts, plain, pauses) => {
          const typed = new TextEncoder().encode(lines.map((l) => `${l}\r`).join(''));
          const points = [...new Set(cuts.map((c) => c % (typed.length + 1)))].sort((a, b) => a - b);
          const chunks: Uint8Array[] = [];
          let last = 0;
          for (const p of [...points, typed.length]) {
            chunks.push(typed.subarray(last, p));
            last = p;
          }
          const con = new Console({ columns: 30 });
          const got: (string | null)[] = [];
          const k = newKernel();
          k.programs.register(READER, (async (ctx: ProcessContext) => {
            for (let i = 0; i < lines.length; i++) {
              const r = plain[i] ? await ctx.stdin.readLine() : await readConsoleLine(ctx);
              got.push(r === INTERRUPTED ? 'INTERRUPTED' : r);
            }
            return 0;
          }) as never);
          // Some chunks before the program exists (type-ahead), the rest between turns of the event loop.
          let c = 0;
          for (; c < chunks.length && (pauses[c] ?? 0) === 0; c++) void con.input.write(chunks[c]!);
          const p = k.createProcess({ commandLine: 'reader', console: con });
          void (async () => {
            for (let x = await con.output.read(); x !== null; x = await con.output.read());
          })();
          for (; c < chunks.length; c++) {
            for (let t = 0; t < (pauses[c % pauses.length] ?? 0); t++) await new Promise((r) => setImmediate(r));
            void con.input.write(chunks[c]!);
          }
          expect(await p.wait()).toBe(0);
          expect(got).toEqual(lines);
        },
      ),
      { seed: SEED, numRuns: numRuns(40) },
    );
  });
});
