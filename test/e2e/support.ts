// winsilo on a real terminal: node-pty runs the built CLI
// (node dist/cli/main.js …, as `npm start` and the `winsilo` bin do),
// @xterm/headless renders what it prints, tests type keys and read the
// screen. Waits are for screen content, bounded by a deadline; never sleeps.
//
// dist/ must be built (`npm run build`; `npm test` builds first).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import xterm from '@xterm/headless';
import pty from 'node-pty';

const { Terminal } = xterm;

export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const SERVERCORE = 'mcr.microsoft.com/windows/servercore:ltsc2022';

/** A temporary data root for one test file (tests never touch ~/.winsilo). */
export function tempDataRoot(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'winsilo-e2e-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TerminalOptions {
  columns?: number;
  rows?: number;
  dataRoot?: string;
}

/** One winsilo process on a pseudo-terminal, and the screen a user would see. */
export class TerminalSession {
  readonly term: InstanceType<typeof Terminal>;
  readonly exited: Promise<number>;
  title = '';
  private readonly pty: pty.IPty;
  private writes = 0;
  private done = false;

  constructor(args: string[], options: TerminalOptions = {}) {
    const columns = options.columns ?? 100;
    const rows = options.rows ?? 30;
    this.term = new Terminal({ cols: columns, rows, allowProposedApi: true, scrollback: 1000 });
    this.term.onTitleChange((t) => (this.title = t));
    const env: Record<string, string> = { ...(process.env as Record<string, string>), TERM: 'xterm-256color' };
    if (options.dataRoot) env['WINSILO_DATA_ROOT'] = options.dataRoot;
    this.pty = pty.spawn(process.execPath, [MAIN, ...args], { name: 'xterm-256color', cols: columns, rows, cwd: process.cwd(), env });
    this.pty.onData((d) => {
      this.writes++;
      this.term.write(d, () => this.writes--);
    });
    this.exited = new Promise((resolve) =>
      this.pty.onExit(({ exitCode }) => {
        this.done = true;
        resolve(exitCode);
      }),
    );
  }

  /** Sends what a terminal sends for the keys. */
  type(keys: string): void {
    this.pty.write(keys);
  }

  /** Resizes the terminal (SIGWINCH to winsilo) and the screen. */
  resize(columns: number, rows: number): void {
    this.term.resize(columns, rows);
    this.pty.resize(columns, rows);
  }

  /** Every row of the buffer, scrollback included, trailing blanks trimmed, trailing empty rows dropped. */
  get lines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < b.length; y++) out.push((b.getLine(y)?.translateToString(true) ?? '').trimEnd());
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }

  get text(): string {
    return this.lines.join('\n');
  }

  /** The row the cursor is on, and the cursor. */
  get cursor(): { x: number; y: number; line: string } {
    const b = this.term.buffer.active;
    const y = b.baseY + b.cursorY;
    return { x: b.cursorX, y, line: (b.getLine(y)?.translateToString(true) ?? '').trimEnd() };
  }

  /** Waits until `check` holds on a settled screen; fails with the screen after `deadlineMs`. */
  async until(check: (s: this) => boolean, what: string, deadlineMs = 10_000): Promise<void> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      if (this.writes === 0 && check(this)) return;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${this.text}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Waits for the cursor's row to be the prompt `text` (trailing spaces included) with the cursor at its end. */
  async prompt(text = 'C:\\>', deadlineMs?: number): Promise<void> {
    const line = text.trimEnd();
    await this.until((s) => s.cursor.line === line && s.cursor.x === text.length, `the prompt ${JSON.stringify(text)}`, deadlineMs);
  }

  /** Ends the process if a test left it running. */
  kill(): void {
    if (!this.done) this.pty.kill();
  }
}
