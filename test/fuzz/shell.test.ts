// Bad input to the shells (issue 11, "Bad input"), beside the parser fuzz
// of test/shell/{cmd,powershell}/parser-fuzz.test.ts (random token soup
// through whole programs): here the inputs are *mutations of the
// conformance scripts* — real scripts with a range cut, doubled, a token
// dropped in, lines swapped, a byte changed — so they reach deep into the
// grammar, and they go through the pure layers at volume (≥ 100 000 under
// WINSILO_RELIABILITY=1): cmd's line parser (phase 2, with continuation
// lines pulled as a batch file does), percent and delayed expansion, SET /A
// arithmetic; PowerShell's parser; and a smaller share through the
// PowerShell engine under a step budget. Each ends in a value or the
// shell's own error type (CmdSyntaxError, PathOperatorError, ArithError,
// ParseError, a PowerShell error record) — never another exception, never
// a hang (the engine runs bounded in steps, and each input has a deadline).
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProcessContext } from '../../src/kernel/process/context.js';
import { Environment } from '../../src/kernel/process/environment.js';
import { ArithError, evaluate } from '../../src/shell/cmd/arith.js';
import { PathOperatorError, delayedExpand, percentExpand, type ExpansionScope } from '../../src/shell/cmd/expand.js';
import { CmdSyntaxError, parseLine } from '../../src/shell/cmd/parser.js';
import { formatToText } from '../../src/shell/powershell/format/format.js';
import { createRuntime, ParseError, parseScript } from '../../src/shell/powershell/index.js';
import { RELIABILITY, SEED, yieldToEventLoop } from '../support/budget.js';
import { recordReliability } from '../support/reliability.js';

const CMD_CASES = RELIABILITY ? 60_000 : 3_000;
const PS_PARSE_CASES = RELIABILITY ? 40_000 : 2_000;
const PS_RUN_CASES = RELIABILITY ? 2_000 : 150;
const CHUNK = 1_000;
const RUN_DEADLINE_MS = 5_000;

function corpus(dir: string, ext: string): string[] {
  const root = join(process.cwd(), 'test', 'conformance', dir);
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith(ext)) out.push(readFileSync(join(d, e.name), 'utf8'));
    }
  };
  walk(root);
  return out;
}

const CMD_SEEDS = [...corpus('cmd', '.cmd'), ...corpus('files', '.cmd')];
const PS_SEEDS = corpus('powershell', '.ps1');

const CMD_TOKENS = ['(', ')', '"', '^', '%', '%%', '!', '&', '&&', '||', '|', '>', '>>', '<', '2>&1', '\r\n', '\n', ' ', 'if ', 'else ', 'for ', 'do ', 'in ', '/f ', '/l ', 'call ', 'goto ', ':', '%~', '%~dp0', '%1', '%*', '%x:~', '%x:a=', '!x:~-1!', 'set /a ', '0x', '08', '1<<31', '-', '~', 'exist ', 'errorlevel ', 'EQU ', '==', 'rem ', '::', '@echo off', '\t', ',', ';', '=', '\x00', '\u00e9', '\uFFFF'];
const PS_TOKENS = ['(', ')', '{', '}', '[', ']', '@(', '@{', '$(', '$', '$_', '"', "'", '@"\n', '\n"@', '`', '#', '<#', '#>', '|', ';', '\n', ' ', '=', '-eq ', '-f ', '..', '::', '.', ',', 'if ', 'else ', 'foreach ', 'while ', 'switch ', 'function ', 'param(', 'try ', 'catch ', 'finally ', 'throw ', 'return ', 'break', 'exit ', '[int]', '[string[]]', '&', '2>&1', '>$null', '1kb', '0x', '\u00e9', '\u201c', '\u2013'];

type Mutation = { op: 'cut' | 'double' | 'insert' | 'swap' | 'byte'; a: number; b: number; token: number; char: number };
const MUTATIONS = fc.array(
  fc.record({ op: fc.constantFrom<Mutation['op']>('cut', 'double', 'insert', 'insert', 'swap', 'byte'), a: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.double({ min: 0, max: 1, noNaN: true }), token: fc.nat(), char: fc.integer({ min: 0, max: 0xffff }) }),
  { minLength: 1, maxLength: 6 },
);

function applyMutations(text: string, ms: readonly Mutation[], tokens: readonly string[]): string {
  let t = text;
  for (const m of ms) {
    const i = Math.floor(m.a * t.length);
    const j = Math.min(t.length, i + Math.floor(m.b * 40));
    switch (m.op) {
      case 'cut':
        t = t.slice(0, i) + t.slice(j);
        break;
      case 'double':
        t = t.slice(0, j) + t.slice(i, j) + t.slice(j);
        break;
      case 'insert':
        t = t.slice(0, i) + tokens[m.token % tokens.length]! + t.slice(i);
        break;
      case 'swap': {
        const lines = t.split('\n');
        const x = Math.floor(m.a * lines.length);
        const y = Math.floor(m.b * lines.length);
        [lines[x], lines[y]] = [lines[y]!, lines[x]!];
        t = lines.join('\n');
        break;
      }
      case 'byte':
        t = t.slice(0, i) + String.fromCharCode(m.char) + t.slice(i + 1);
        break;
    }
  }
  return t;
}

const cmdInput = fc.tuple(fc.nat(), MUTATIONS).map(([s, ms]) => applyMutations(CMD_SEEDS[s % CMD_SEEDS.length]!, ms, CMD_TOKENS));
const psInput = fc.tuple(fc.nat(), MUTATIONS).map(([s, ms]) => applyMutations(PS_SEEDS[s % PS_SEEDS.length]!, ms, PS_TOKENS));

function scope(batch: boolean): ExpansionScope {
  const vars = new Map([['x', 'abcdef'], ['PATH', 'C:\\Windows'], ['y', '%x%'], ['z', '!x!']]);
  return {
    get: (n) => vars.get(n),
    batch,
    arg: (n) => (n < 3 ? `"arg${n}"` : undefined),
    allArgs: () => '"arg1" "arg2"',
    modify: (mods, value) => `${mods}:${value}`,
  };
}

/** One cmd text through the layers a batch file goes through; the error types cmd itself raises are fine. */
function cmdThrough(text: string): void {
  const s = scope(true);
  const vars = new Map<string, string>([['x', '5']]);
  const arith = { get: (n: string) => vars.get(n), set: (n: string, v: string) => void vars.set(n, v) };
  const lines = text.split(/\r?\n/);
  let at = 0;
  const more = (): string | null => (at < lines.length ? lines[at++]! : null);
  while (at < lines.length) {
    const raw = lines[at++]!;
    for (const f of [
      () => percentExpand(raw, s),
      () => delayedExpand(raw, s.get, true),
      () => parseLine(percentExpand(raw, s), more),
      () => evaluate(raw.replace(/^.*set \/a\s*/i, ''), arith),
    ]) {
      try {
        f();
      } catch (e) {
        if (!(e instanceof CmdSyntaxError || e instanceof PathOperatorError || e instanceof ArithError)) throw e;
      }
    }
  }
}

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

describe('shell bad input', () => {
  it(`${CMD_CASES} mutated cmd scripts parse, expand and evaluate to a value or cmd's own error`, async () => {
    expect(CMD_SEEDS.length).toBeGreaterThan(10);
    const findings: string[] = [];
    let cases = 0;
    for (let chunk = 0; chunk * CHUNK < CMD_CASES; chunk++) {
      await yieldToEventLoop();
      for (const text of fc.sample(cmdInput, { seed: SEED + chunk, numRuns: Math.min(CHUNK, CMD_CASES - chunk * CHUNK) })) {
        cases++;
        try {
          cmdThrough(text);
        } catch (e) {
          findings.push(`${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)} on ${JSON.stringify(text.slice(0, 300))}`);
        }
      }
    }
    recordReliability({ family: 'fuzz', suite: 'cmd source (parser, expansion, SET /A)', trials: cases, failures: findings.length });
    expect(findings.slice(0, 10)).toEqual([]);
  }, RELIABILITY ? 600_000 : 60_000);

  it(`${PS_PARSE_CASES} mutated PowerShell scripts parse to a tree or a ParseError`, async () => {
    expect(PS_SEEDS.length).toBeGreaterThan(5);
    const findings: string[] = [];
    let cases = 0;
    for (let chunk = 0; chunk * CHUNK < PS_PARSE_CASES; chunk++) {
      await yieldToEventLoop();
      for (const text of fc.sample(psInput, { seed: SEED + chunk, numRuns: Math.min(CHUNK, PS_PARSE_CASES - chunk * CHUNK) })) {
        cases++;
        try {
          parseScript(text);
        } catch (e) {
          if (!(e instanceof ParseError)) findings.push(`${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)} on ${JSON.stringify(text.slice(0, 300))}`);
        }
      }
    }
    recordReliability({ family: 'fuzz', suite: 'PowerShell source (parser)', trials: cases, failures: findings.length });
    expect(findings.slice(0, 10)).toEqual([]);
  }, RELIABILITY ? 600_000 : 60_000);

  it(`${PS_RUN_CASES} mutated PowerShell scripts run to an end within the step budget`, async () => {
    const findings: string[] = [];
    let cases = 0;
    for (let chunk = 0; chunk * 100 < PS_RUN_CASES; chunk++) {
      await yieldToEventLoop();
      for (const text of fc.sample(psInput, { seed: SEED + 5000 + chunk, numRuns: Math.min(100, PS_RUN_CASES - chunk * 100) })) {
        cases++;
        const host = { out: async () => {}, flush: async () => {}, write: async () => {}, writeError: async () => {}, formatText: (items: unknown[]) => formatToText(items, 120), width: 120 };
        const rt = createRuntime(fakeContext(), host, { maxSteps: 5_000, maxRange: 10_000, maxStringLength: 100_000 });
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), RUN_DEADLINE_MS)));
        try {
          const r = await Promise.race([rt.runTopLevel(text), deadline]);
          if (r === 'hang') findings.push(`hang on ${JSON.stringify(text.slice(0, 300))}`);
        } catch (e) {
          // `exit` unwinds as an ExitRequest (not an Error); anything else escaping the engine is a finding.
          if (e instanceof Error || !(e && typeof e === 'object' && 'code' in e)) findings.push(`${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)} on ${JSON.stringify(text.slice(0, 300))}`);
        } finally {
          clearTimeout(timer);
        }
      }
    }
    recordReliability({ family: 'fuzz', suite: 'PowerShell source (engine, step-bounded)', trials: cases, failures: findings.length });
    expect(findings.slice(0, 10)).toEqual([]);
  }, RELIABILITY ? 600_000 : 60_000);
});
