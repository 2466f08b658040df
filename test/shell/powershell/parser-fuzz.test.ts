// Random input never crashes or hangs PowerShell: the parser answers with
// a tree or a ParseError, and the engine (steps bounded by its limits)
// ends every script with output or PowerShell errors, never a JavaScript
// exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { Environment } from '../../../src/kernel/process/environment.js';
import { createRuntime, ParseError, parseScript } from '../../../src/shell/powershell/index.js';
import { formatToText } from '../../../src/shell/powershell/format/format.js';
import { numRuns, propertyChunks, SEED, yieldToEventLoop } from '../../support/budget.js';

/** Pieces of PowerShell syntax, glued at random. */
const PIECES = [
  '$', '$a', '$_', '${x}', '$env:PATH', '@(', '@{', '(', ')', '{', '}', '[', ']', '[int]', '::', '.', '..', ',', ';', '|', '\n', '\r\n', ' ', '`', '`n',
  '"', "'", '@"\n', '\n"@', "@'\n", "\n'@", '#', '<#', '#>', '=', '+=', '-eq', '-not', '-and', '-f', '-split', '-join', '-replace', '-match', '+', '-', '*', '/', '%', '!', '++', '--',
  '>', '2>&1', '>$null', 'if', 'else', 'elseif', 'foreach', 'for', 'while', 'do', 'until', 'switch', 'function f', 'param', 'try', 'catch', 'finally', 'throw', 'return', 'break', 'continue', 'exit',
  'Write-Output', 'Get-ChildItem', 'Where-Object', 'ForEach-Object', 'Select-Object -First 1', 'Sort-Object', 'Measure-Object', 'Format-Table', 'Out-String', 'echo', '%', '?', '-Name', '-Path:',
  '1', '0x10', '1.5', '1kb', '"s $a $(1)"', "'q'", 'x', 'abc', 'Length', 'ToUpper()', 'f', '&', '. ',
];

const script = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join(''));
const text = fc.oneof(script, fc.string({ maxLength: 60 }));

function fakeContext(): ProcessContext {
  const sink = { isConsole: false, write: async () => {} };
  return {
    pid: 1,
    argv: ['powershell'],
    env: Environment.from(['PATH=C:\\Windows\\system32']),
    cwd: 'C:\\',
    chdir: () => {},
    fs: undefined,
    registry: undefined,
    services: undefined,
    console: undefined,
    stdin: { isConsole: false, read: async () => null, readLine: async () => null, readAll: async () => new Uint8Array(), readText: async () => '' },
    stdout: sink,
    stderr: sink,
    now: () => Date.UTC(2026, 10, 23, 12),
    sleep: async () => {},
    processes: () => [],
  } as unknown as ProcessContext;
}

describe('parser fuzz', () => {
  for (const chunk of propertyChunks(numRuns(400))) {
    it(`any text parses to a tree or a ParseError${chunk.label}`, async () => {
      await yieldToEventLoop();
      fc.assert(
        fc.property(text, (t) => {
          try {
            parseScript(t);
          } catch (e) {
            expect(e).toBeInstanceOf(ParseError);
            expect((e as ParseError).offset).toBeGreaterThanOrEqual(0);
            expect((e as ParseError).offset).toBeLessThanOrEqual(t.length + 1);
          }
        }),
        { seed: chunk.seed, numRuns: chunk.numRuns },
      );
    });
  }

  it('deep nesting is a ParseError, not a stack overflow', () => {
    expect(() => parseScript('('.repeat(5000))).toThrow(ParseError);
    expect(() => parseScript('{'.repeat(5000))).toThrow(ParseError);
    expect(() => parseScript('$('.repeat(5000))).toThrow(ParseError);
  });

  it('a runaway loop ends at the step budget with a terminating error', async () => {
    let err = '';
    const host = { out: async () => {}, flush: async () => {}, write: async () => {}, writeError: async (t: string) => void (err += t), formatText: (items: unknown[]) => formatToText(items, 120), width: 120 };
    const rt = createRuntime(fakeContext(), host, { maxSteps: 10_000 });
    const r = await rt.runTopLevel('while ($true) { }; "unreached"');
    expect(r.failed).toBe(true);
    expect(err).toContain('FullyQualifiedErrorId : ScriptStepLimitExceeded');
  });

  it('random scripts run to an end within the step budget', async () => {
    await fc.assert(
      fc.asyncProperty(script, async (t) => {
        const ctx = fakeContext();
        const host = { out: async () => {}, flush: async () => {}, write: async () => {}, writeError: async () => {}, formatText: (items: unknown[]) => formatToText(items, 120), width: 120 };
        const rt = createRuntime(ctx, host, { maxSteps: 5_000, maxRange: 10_000, maxStringLength: 100_000 });
        const r = await rt.runTopLevel(t).catch((e: unknown) => {
          // `exit` inside a script block unwinds as ExitRequest; anything else is a bug.
          if (e && typeof e === 'object' && 'code' in e && !(e instanceof Error)) return { failed: false };
          throw e;
        });
        expect(typeof r.failed).toBe('boolean');
      }),
      { seed: SEED, numRuns: numRuns(150) },
    );
  });
});
