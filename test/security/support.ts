// The escape suite's harness (issue 11, windows-facts §2): a host with two
// running Server Core containers — the attacker and its neighbour — a
// secret on the host's own disk and one in the neighbour, and helpers that
// run what a user would type in the attacker (cmd, reg, PowerShell) or make
// the raw calls a program in it would make (a probe program given its
// ProcessContext and its kernel handles).
//
// Every attempt ends in `attempt()`: the denial is asserted (exact code
// and message), and the ledger (test/support/reliability.ts) gets one
// trial per attempt and one failure per escape found.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { Host, type Container } from '../../src/host/host.js';
import type { BindMount } from '../../src/host/types.js';
import type { ProcessContext } from '../../src/kernel/process/context.js';
import type { PipeReader } from '../../src/kernel/process/pipe.js';
import { recordReliability } from '../support/reliability.js';

export const SERVERCORE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
/** What every secret file holds: finding it in an attacker's output is an escape. */
export const SECRET = 'WINSILO-SECRET-7f3a';

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface Lab {
  host: Host;
  /** The container the attempts are made from. */
  attacker: Container;
  /** Another container on the same host, holding C:\neighbour-secret.txt. */
  neighbour: Container;
  /** A host directory bound at C:\bound in the attacker (read-write). */
  bound: string;
  /** A host directory next to `bound` (its sibling), holding secret.txt: reaching it from the attacker is an escape (the neighbour binds it at C:\theirs, read-only). */
  outside: string;
  /** The host directory holding `bound`, `outside` and another secret.txt. */
  root: string;
  /** The GUID under `\\?\ContainerMappedDirectories` of the attacker's own bind and of the neighbour's. */
  guids: { mine: string; theirs: string };
  /** `cmd /c <line>` in the attacker. */
  cmd(line: string, options?: { stdin?: string }): Promise<RunResult>;
  /** `powershell -Command <script>` in the attacker. */
  powershell(script: string): Promise<RunResult>;
  /** Runs `probe` as a program inside the attacker (its ProcessContext is what a Windows program sees). */
  probe<T>(probe: (ctx: ProcessContext) => T | Promise<T>): Promise<T>;
}

async function drain(r: PipeReader | null): Promise<string> {
  if (!r) return '';
  const chunks: Uint8Array[] = [];
  for (let c = await r.read(); c !== null; c = await r.read()) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

async function exec(c: Container, argv: string[], stdin?: string): Promise<RunResult> {
  const io = await c.exec({ cmd: argv, attachStdin: stdin !== undefined });
  if (stdin !== undefined && io.stdin) void io.stdin.write(stdin).then(() => io.stdin!.close());
  const [stdout, stderr, exitCode] = await Promise.all([drain(io.stdout), drain(io.stderr), io.wait()]);
  return { stdout, stderr, exitCode };
}

let shared: Promise<Lab> | undefined;
let probes = 0;

/** One lab per test file, torn down after it. */
export function lab(): Promise<Lab> {
  if (!shared) {
    const dirs: string[] = [];
    shared = (async () => {
      const host = await Host.open({ clock: () => Date.UTC(2026, 10, 23, 12, 0, 0) });
      await host.pull(SERVERCORE);
      const root = mkdtempSync(join(tmpdir(), 'winsilo-escape-'));
      dirs.push(root);
      const bound = join(root, 'bound');
      const outside = join(root, 'outside');
      mkdirSync(bound);
      mkdirSync(outside);
      writeFileSync(join(bound, 'inside.txt'), 'inside\r\n');
      writeFileSync(join(outside, 'secret.txt'), SECRET);
      writeFileSync(join(root, 'secret.txt'), SECRET);
      const binds: BindMount[] = [{ hostPath: bound, containerPath: 'C:\\bound', readOnly: false }];
      const start = async (name: string, b?: BindMount[]) => {
        const c = (await host.createContainer({ image: SERVERCORE, name, cmd: ['cmd'], openStdin: true, binds: b })) as Container;
        await c.start();
        return c;
      };
      const attacker = await start('attacker', binds);
      // The neighbour binds `outside` (read-only): its mapped-directory GUID is another way in to try.
      const neighbour = await start('neighbour', [{ hostPath: outside, containerPath: 'C:\\theirs', readOnly: true }]);
      const planted = await exec(neighbour, ['cmd', '/c', `echo ${SECRET}> C:\\neighbour-secret.txt`]);
      if (planted.exitCode !== 0) throw new Error(`cannot plant the neighbour's secret: ${planted.stderr}`);
      const guidOf = async (c: Container, at: string): Promise<string> => {
        const d = await exec(c, ['cmd', '/c', `dir C:\\`]);
        const m = new RegExp(`${at} \\[\\\\\\\\\\?\\\\ContainerMappedDirectories\\\\([0-9A-F-]+)\\]`, 'i').exec(d.stdout);
        if (!m) throw new Error(`no mapped directory ${at} in ${d.stdout}`);
        return m[1]!;
      };
      const guids = { mine: await guidOf(attacker, 'bound'), theirs: await guidOf(neighbour, 'theirs') };
      const l: Lab = {
        host,
        attacker,
        neighbour,
        bound,
        outside,
        root,
        guids,
        cmd: (line, o = {}) => exec(attacker, ['cmd', '/c', line], o.stdin),
        powershell: (script) => exec(attacker, ['powershell', '-NoProfile', '-Command', script]),
        probe: async <T>(fn: (ctx: ProcessContext) => T | Promise<T>): Promise<T> => {
          const name = `probe${++probes}.exe`;
          let result: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
          attacker.registerProgram(`C:\\Windows\\System32\\${name}`, async (ctx) => {
            try {
              result = { ok: true, value: await fn(ctx) };
            } catch (error) {
              result = { ok: false, error };
            }
            return 0;
          });
          await exec(attacker, [name]);
          if (!result) throw new Error(`${name} did not run`);
          if (!result.ok) throw result.error;
          return result.value;
        },
      };
      return l;
    })();
    afterAll(async () => {
      const l = await shared!.catch(() => undefined);
      shared = undefined;
      await l?.host.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });
  }
  return shared;
}

/**
 * Records one escape attempt of `suite` in the ledger — `escaped` says
 * whether the attempt got out — and fails the test if it did. The record
 * is written first, so an escape is counted even though the test fails.
 */
export function record(suite: string, escaped: boolean): void {
  recordReliability({ family: 'escape', suite, trials: 1, failures: escaped ? 1 : 0 });
  expect(escaped, `${suite}: the attempt escaped`).toBe(false);
}

/** Whether the output shows a secret (the host's or the neighbour's). */
export function leaks(r: RunResult | string): boolean {
  const text = typeof r === 'string' ? r : r.stdout + r.stderr;
  return text.includes(SECRET);
}

/** Records the attempt and asserts the result is the expected denial and leaks nothing. */
export function denied(suite: string, r: RunResult, expected: { stderr?: string | RegExp; stdout?: string | RegExp; exitCode?: number }): void {
  record(suite, leaks(r));
  expect(leaks(r), 'the attempt reached a secret').toBe(false);
  if (expected.stderr !== undefined) {
    if (typeof expected.stderr === 'string') expect(r.stderr).toBe(expected.stderr);
    else expect(r.stderr).toMatch(expected.stderr);
  }
  if (expected.stdout !== undefined) {
    if (typeof expected.stdout === 'string') expect(r.stdout).toBe(expected.stdout);
    else expect(r.stdout).toMatch(expected.stdout);
  }
  if (expected.exitCode !== undefined) expect(r.exitCode).toBe(expected.exitCode);
}
