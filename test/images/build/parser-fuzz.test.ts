// Any Dockerfile text either parses or fails with a BuildError (moby's
// words): never another exception (seeded fast-check, test/support/budget.ts).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseDockerfile } from '../../../src/images/build/parser.js';
import { toProgram } from '../../../src/images/build/instructions.js';
import { processWord, envFrom } from '../../../src/images/build/lex.js';
import { BuildError } from '../../../src/images/build/errors.js';
import { numRuns, SEED } from '../../support/budget.js';

const pieces = ['FROM x', 'FROM x AS y', 'RUN ', 'COPY ', 'ENV ', 'ARG ', 'LABEL ', '["a"', ']', '"', "'", '\\', '`', '# escape=`', '# syntax=x', '$', '${', '}', ':-', '=', ' ', '\n', '\r\n', '--from=', 'HEALTHCHECK ', 'CMD', 'ONBUILD ', 'a', 'C:\\app\\'];
const text = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 })), { maxLength: 30 }).map((xs) => xs.join(''));

describe('parser robustness', () => {
  test('parse and typing end in a program or a BuildError', () => {
    fc.assert(
      fc.property(text, (t) => {
        try {
          toProgram(parseDockerfile(t));
        } catch (e) {
          expect(e).toBeInstanceOf(BuildError);
        }
      }),
      { seed: SEED, numRuns: numRuns(300) },
    );
  });
  test('word expansion ends in a word or a BuildError', () => {
    const env = envFrom(['A=1', 'B=']);
    fc.assert(
      fc.property(text, fc.constantFrom('\\', '`'), (t, esc) => {
        try {
          expect(typeof processWord(t, env, esc)).toBe('string');
        } catch (e) {
          expect(e).toBeInstanceOf(BuildError);
        }
      }),
      { seed: SEED, numRuns: numRuns(300) },
    );
  });
});
