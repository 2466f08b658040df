// `docker run -it` and `docker exec -it` on a real terminal (node-pty runs
// the docker CLI, @xterm/headless renders the screen): raw TTY streams,
// keystrokes to the container's console, the console size from create and
// resize, the container's exit code as the CLI's. Waits are for screen
// content with a deadline (test/e2e's pattern), never sleeps.
import xterm from '@xterm/headless';
import pty from 'node-pty';
import { describe, expect, test } from 'vitest';
import { DOCKER, NANOSERVER, useDaemon } from './support.js';

const { Terminal } = xterm;
const d = useDaemon();

class DockerTerminal {
  readonly term: InstanceType<typeof Terminal>;
  readonly exited: Promise<number>;
  private readonly p: pty.IPty;
  private pending = 0;

  constructor(args: string[], columns = 100, rows = 30) {
    this.term = new Terminal({ cols: columns, rows, allowProposedApi: true, scrollback: 1000 });
    this.p = pty.spawn(DOCKER, args, { name: 'xterm-256color', cols: columns, rows, cwd: d().dir, env: { ...d().env, TERM: 'xterm-256color' } });
    this.p.onData((s) => {
      this.pending++;
      this.term.write(s, () => this.pending--);
    });
    this.exited = new Promise((r) => this.p.onExit(({ exitCode }) => r(exitCode)));
  }

  type(keys: string): void {
    this.p.write(keys);
  }

  get text(): string {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < b.length; y++) out.push((b.getLine(y)?.translateToString(true) ?? '').trimEnd());
    return out.join('\n').trimEnd();
  }

  async until(check: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
    const end = Date.now() + deadlineMs;
    while (!(this.pending === 0 && check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${this.text}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  kill(): void {
    try {
      this.p.kill();
    } catch {
      // already gone
    }
  }
}

const hasCmd = (): boolean => d().host.kernel.programs.has('C:\\Windows\\System32\\cmd.exe');

describe('docker run -it', () => {
  test('a tty container’s output is raw on the terminal and its exit code is the CLI’s', async () => {
    const t = new DockerTerminal(['run', '-it', '--rm', NANOSERVER, 'exitwith.exe', '5']);
    try {
      expect(await t.exited).toBe(5);
    } finally {
      t.kill();
    }
    const s = new DockerTerminal(['run', '-t', '--rm', NANOSERVER, 'say.exe', 'on', 'a', 'tty']);
    expect(await s.exited).toBe(0);
    await s.until(() => s.text === 'on a tty', 'the output');
  });

  test('cmd on a terminal: the banner, typed commands echoed and run, exit', async () => {
    if (!hasCmd()) return;
    const t = new DockerTerminal(['run', '-it', '--rm', NANOSERVER, 'cmd']);
    try {
      await t.until(() => t.text.endsWith('C:\\>'), 'the prompt');
      expect(t.text).toMatch(/^Microsoft Windows \[Version 10\.0\.20348\.\d+\]\n\(c\) Microsoft Corporation\. All rights reserved\.\n\nC:\\>$/);
      t.type('echo hello\r');
      await t.until(() => /C:\\>echo hello\nhello\n\nC:\\>$/.test(t.text), 'echo’s output');
      t.type('exit 4\r');
      expect(await t.exited).toBe(4);
    } finally {
      t.kill();
    }
  });

  test('docker exec -it into a running container', async () => {
    if (!hasCmd()) return;
    expect((await d().docker(['run', '-d', '--name', 'ttybox', NANOSERVER, 'idle.exe'])).code).toBe(0);
    const t = new DockerTerminal(['exec', '-it', 'ttybox', 'cmd']);
    try {
      await t.until(() => t.text.endsWith('C:\\>'), 'the prompt');
      t.type('exit 2\r');
      expect(await t.exited).toBe(2);
    } finally {
      t.kill();
      await d().docker(['rm', '-f', 'ttybox']);
    }
  });
});
