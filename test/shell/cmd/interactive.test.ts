// cmd.exe at a console (docker run -it … cmd): banner, prompt, cooked reads, Ctrl+C.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BindMount } from '../../../src/host/types.js';
import type { PipeReader, PipeWriter } from '../../../src/kernel/process/pipe.js';
import { SERVERCORE, shellHost } from '../support.js';

/** Reads the console's output until `pattern` appears in all that was read; returns all of it. */
async function until(out: PipeReader, seen: { text: string }, pattern: string): Promise<string> {
  while (!seen.text.includes(pattern)) {
    const c = await out.read();
    if (c === null) break;
    seen.text += Buffer.from(c).toString('utf8');
  }
  return seen.text;
}

async function session(argv: string[] = ['cmd'], binds?: BindMount[]) {
  const host = await shellHost();
  if (!host.image(SERVERCORE)) await host.pull(SERVERCORE);
  const c = await host.createContainer({ image: SERVERCORE, cmd: argv, tty: true, openStdin: true, consoleSize: [25, 80], binds });
  const io = await c.start();
  const seen = { text: '' };
  return {
    io,
    seen,
    type: (s: string) => (io.stdin as PipeWriter).write(s),
    until: (p: string) => until(io.stdout!, seen, p),
    end: async () => {
      await c.remove({ force: true });
    },
  };
}

describe('interactive cmd', () => {
  it('prints the banner, a blank line and the prompt', async () => {
    const s = await session();
    const text = await s.until('C:\\>');
    expect(text).toContain('Microsoft Windows [Version 10.0.20348.5499]\r\n(c) Microsoft Corporation. All rights reserved.\r\n\r\nC:\\>');
    await s.type('exit\r');
    expect(await s.io.wait()).toBe(0);
    await s.end();
  });

  it('runs a typed command and prompts again after a blank line', async () => {
    const s = await session();
    await s.until('C:\\>');
    await s.type('echo hi\r');
    const text = await s.until('hi\r\n\r\nC:\\>');
    expect(text).toContain('echo hi\r\nhi\r\n\r\nC:\\>');
    await s.type('exit 3\r');
    expect(await s.io.wait()).toBe(3);
    await s.end();
  });

  it('Ctrl+C at the prompt prints ^C and a new prompt; cmd goes on', async () => {
    const s = await session();
    await s.until('C:\\>');
    // A Ctrl+C is an event, not input (ENABLE_PROCESSED_INPUT): it ends a read only once cmd
    // has begun it, which it does in the microtasks after its prompt is written — let them run.
    await new Promise((r) => setImmediate(r));
    await s.type('\x03');
    await s.until('^C');
    await s.type('echo alive\r');
    expect(await s.until('alive\r\n')).toContain('alive\r\n');
    await s.type('exit\r');
    await s.io.wait();
    await s.end();
  });

  it('Ctrl+C during PAUSE ends the command, not cmd', async () => {
    const s = await session();
    await s.until('C:\\>');
    await s.type('pause\r');
    await s.until('Press any key to continue . . . ');
    s.io.interrupt();
    await s.type('echo survived\r');
    const text = await s.until('survived\r\n\r\nC:\\>');
    expect(text).not.toContain('is not recognized');
    await s.type('exit\r');
    await s.io.wait();
    await s.end();
  });

  it('Ctrl+C in a batch file asks "Terminate batch job (Y/N)?"; Y ends it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'winsilo-cmd-'));
    writeFileSync(join(dir, 'b.cmd'), '@echo off\r\npause\r\necho not reached\r\n');
    const s = await session(['cmd'], [{ hostPath: dir, containerPath: 'C:\\t', readOnly: false }]);
    try {
      await s.until('C:\\>');
      await s.type('C:\\t\\b.cmd\r');
      await s.until('Press any key to continue . . . ');
      await s.type('\x03');
      await s.until('Terminate batch job (Y/N)? ');
      await s.type('Y\r');
      await s.type('echo next\r');
      const text = await s.until('next\r\n');
      expect(text).not.toContain('not reached');
      await s.type('exit\r');
      await s.io.wait();
    } finally {
      await s.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
