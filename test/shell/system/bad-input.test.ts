// Bad input never crashes a system program: whatever the arguments, it answers in its own words
// (an unhandled exception would end it with STATUS_STACK_BUFFER_OVERRUN, 0xC0000409).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ExitCode } from '../../../src/kernel/process/constants.js';
import { numRuns, SEED } from '../../support/budget.js';
import { run } from '../support.js';

const TOKENS = [
  '/?', '/fi', '/fo', '/nh', '/v', '/svc', '/m', '/pid', '/im', '/f', '/t', '/all', '/user', '/groups', '/priv', '/s', '/u', '/p',
  '-s', '-S', '-o', '-O', '-I', '-i', '-f', '-L', '-v', '--head', '--output', '-fsSL',
  'csv', 'list', 'table', 'xml', 'pid eq 4', 'imagename eq *', 'session gt x', 'cputime lt 1:2:3', 'username eq a\\b', 'bogus op v', '',
  '0', '4', '99999', '-1', 'abc', '*', 'file:///C:/License.txt', 'file:///%zz', 'http://[::1', 'http://localhost:70000/', 'http://example.com', 'gopher://x',
  'C:\\nope\\x.txt', '%', '"', 'ü',
];

describe('system programs on arbitrary arguments', () => {
  for (const program of ['tasklist', 'taskkill', 'whoami', 'hostname', 'ipconfig', 'systeminfo', 'curl']) {
    test(`${program} never ends with an unhandled exception`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom(...TOKENS), { maxLength: 5 }), async (args) => {
          const r = await run([program, ...args]);
          expect(r.exitCode).not.toBe(ExitCode.UnhandledException);
        }),
        { numRuns: numRuns(8), seed: SEED },
      );
    });
  }
});
