// Random input never crashes cmd.exe or hangs it: each script runs under a step budget
// (CmdLimits.maxSteps) and a deadline; an exception escaping the interpreter would end the
// process with STATUS_STACK_BUFFER_OVERRUN (0xC0000409, ExitCode.UnhandledException).
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CMD_LIMITS, createCmdProgram } from '../../../src/shell/cmd/index.js';
import { SEED, numRuns } from '../../support/budget.js';
import { run, shellHost } from '../support.js';

const FUZZ_CMD = 'C:\\Windows\\System32\\cmdfuzz.exe';
const UNHANDLED = 0xc0000409;

const TOKENS = [
  'echo', 'set', 'set /a', 'set /p', 'if', 'if /i', 'not', 'exist', 'defined', 'errorlevel', '==', 'EQU', 'LSS', 'else',
  'for', 'for /l', 'for /f', 'for /d', '%%i', '%%~nxi', 'in', '(1,1,3)', '(a b)', '("x y")', 'do', 'goto', ':a', ':eof', 'call', ':b',
  '&', '&&', '||', '|', '>', '>>', '<', '2>&1', '>nul', 'nul', '^', '"', '%', '!', '%x%', '!x!', '%x:~1,2%', '%x:a=b%', 'x', 'x=1', '=', '1', '0', '0x1F', '08',
  '+', '-', '*', '/', '(', ')', 'setlocal', 'enabledelayedexpansion', 'endlocal', 'shift', 'exit /b', 'exit /b 2', '%1', '%~f0', '%*', '%~', 'rem', '::',
  '\r\n', '\r\n', '\n', ' ', '\t', ',', ';', '@', 'cd', 'cd ..', 'pushd', 'popd', 'ver', 'verify', 'prompt', 'path', 'title', 'cls', 'color 1f',
  'tokens=1,2*', 'delims=,', 'usebackq', "'", '`', 'C:\\t\\f.txt', 'C:\\nope\\x', '*', '?', 'notacommand',
];

const script = fc.oneof(
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join(' ')),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((t) => t.join('')),
  fc.string({ unit: fc.constantFrom(...'ab%!^&|<>()"=:;, \r\n~*'.split('')), maxLength: 60 }),
);

describe('parser fuzz', () => {
  beforeAll(async () => {
    const host = await shellHost();
    // A cmd.exe with a step budget, so an endless `goto` loop ends.
    host.registerProgram(FUZZ_CMD, createCmdProgram({ ...CMD_LIMITS, maxSteps: 3000 }));
  });

  it('random scripts end, and never with an unhandled exception', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'winsilo-fuzz-'));
    try {
      await fc.assert(
        fc.asyncProperty(script, fc.boolean(), async (text, asBatch) => {
          writeFileSync(join(dir, 'x.cmd'), text);
          const argv = asBatch ? [FUZZ_CMD, '/c', 'C:\\t\\x.cmd'] : [FUZZ_CMD, '/c', text.replace(/[\r\n]/g, ' ')];
          let timer: NodeJS.Timeout | undefined;
          const deadline = new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), 5000)));
          const r = await Promise.race([run(argv, { binds: [{ hostPath: dir, containerPath: 'C:\\t', readOnly: false }] }), deadline]);
          clearTimeout(timer);
          expect(r).not.toBe('hang');
          if (r !== 'hang') expect(r.exitCode).not.toBe(UNHANDLED);
        }),
        { seed: SEED, numRuns: numRuns(60) },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('an endless goto loop ends at the step budget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'winsilo-fuzz-'));
    try {
      writeFileSync(join(dir, 'x.cmd'), ':a\r\ngoto a\r\n');
      const r = await run([FUZZ_CMD, '/c', 'C:\\t\\x.cmd'], { binds: [{ hostPath: dir, containerPath: 'C:\\t', readOnly: false }] });
      expect(r.exitCode).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
