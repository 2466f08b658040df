// timeout and choice on a console: their waits run on the process's clock
// (ctx.sleep), so a context whose sleep resolves at once shows the whole
// countdown without waiting; keys come from a console input stream.
import { describe, expect, it } from 'vitest';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { Environment } from '../../../src/kernel/process/environment.js';
import { choiceMain } from '../../../src/shell/programs/fileutils/choice.js';
import { timeoutMain } from '../../../src/shell/programs/fileutils/timeout.js';

function consoleContext(argv: string[], keys: string | null): { ctx: ProcessContext; out: () => string } {
  let text = '';
  let pending = keys === null ? null : new TextEncoder().encode(keys);
  const never = new Promise<null>(() => {});
  const ctx = {
    argv,
    commandLine: argv.join(' '),
    env: Environment.empty(),
    cwd: 'C:\\',
    stdin: {
      isConsole: true,
      read: async (max = 1) => {
        if (pending === null || pending.length === 0) return never;
        const b = pending.slice(0, max);
        pending = pending.slice(max);
        return b;
      },
      readLine: async () => null,
      readAll: async () => new Uint8Array(),
      readText: async () => '',
    },
    stdout: { isConsole: true, write: async (d: string | Uint8Array) => void (text += typeof d === 'string' ? d : new TextDecoder().decode(d)) },
    stderr: { isConsole: true, write: async (d: string | Uint8Array) => void (text += typeof d === 'string' ? d : new TextDecoder().decode(d)) },
    sleep: async () => {},
    signal: new AbortController().signal,
  } as unknown as ProcessContext;
  return { ctx, out: () => text };
}

describe('timeout on a console', () => {
  it('counts down in place with backspaces and ends with a line end', async () => {
    const { ctx, out } = consoleContext(['timeout', '/t', '2', '/nobreak'], null);
    expect(await timeoutMain(ctx)).toBe(0);
    const tail = 'press CTRL+C to quit ...';
    const back = '\b'.repeat(tail.length + ' seconds, '.length + 1);
    expect(out()).toBe(`\r\nWaiting for 2 seconds, ${tail}${back}1 seconds, ${tail}${back}0 seconds, ${tail}\r\n`);
  });
  it('a key ends the wait early unless /nobreak', async () => {
    const { ctx, out } = consoleContext(['timeout', '5'], 'x');
    expect(await timeoutMain(ctx)).toBe(0);
    expect(out()).toBe('\r\nWaiting for 5 seconds, press a key to continue ...\r\n');
  });
});

describe('choice on a console', () => {
  it('/t with /d picks the default when no key comes', async () => {
    const { ctx, out } = consoleContext(['choice', '/c', 'abc', '/t', '3', '/d', 'b', '/m', 'Go'], null);
    expect(await choiceMain(ctx)).toBe(2);
    expect(out()).toBe('Go [A,B,C]?B\r\n');
  });
  it('/cs makes case count', async () => {
    const { ctx, out } = consoleContext(['choice', '/cs', '/c', 'aA'], 'A');
    expect(await choiceMain(ctx)).toBe(2);
    expect(out()).toBe('[a,A]?A\r\n');
  });
  it('/d without /t is a syntax error (255)', async () => {
    const { ctx, out } = consoleContext(['choice', '/d', 'y'], null);
    expect(await choiceMain(ctx)).toBe(255);
    expect(out()).toBe('ERROR: Invalid syntax. /T must be specified when /D is specified.\r\nType "CHOICE /?" for usage.\r\n');
  });
});
