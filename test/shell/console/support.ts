// A console on a bare kernel, a small line-reading shell attached to it, and
// a headless xterm rendering what the console sends — the terminal a user
// would see, so tests assert on the screen rather than on escape bytes.
import xterm from '@xterm/headless';
import { Console } from '../../../src/kernel/process/console.js';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import type { ChildProcess } from '../../../src/kernel/process/process.js';
import { createHistory, INTERRUPTED, readConsoleLine, type Completer, type LineHistory } from '../../../src/shell/console/read-line.js';
import { newKernel } from '../../kernel/process/support.js';

const { Terminal } = xterm;

export const SHELL = 'C:\\Windows\\system32\\shell.exe';
export const WAITER = 'C:\\Windows\\system32\\waiter.exe';
export const ASKER = 'C:\\Windows\\system32\\asker.exe';
export const PLAIN = 'C:\\Windows\\system32\\plain.exe';

/** What the screen shows: rows without trailing blanks, and the cursor. */
export class Screen {
  readonly term: InstanceType<typeof Terminal>;
  title = '';
  private pending = 0;

  constructor(columns: number, rows: number) {
    this.term = new Terminal({ cols: columns, rows, allowProposedApi: true });
    this.term.onTitleChange((t) => (this.title = t));
  }

  write(bytes: Uint8Array): void {
    this.pending++;
    this.term.write(bytes, () => this.pending--);
  }

  get idle(): boolean {
    return this.pending === 0;
  }

  /** Every row of the buffer (scrollback included), trailing blanks trimmed, trailing empty rows dropped. */
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

  /** Cursor position in the buffer (row counts scrollback). */
  get cursor(): { x: number; y: number } {
    const b = this.term.buffer.active;
    return { x: b.cursorX, y: b.baseY + b.cursorY };
  }
}

export interface SessionOptions {
  columns?: number;
  rows?: number;
  history?: LineHistory;
  complete?: Completer;
  prompt?: string;
  /** Bytes typed before the shell starts (type-ahead). */
  typeAhead?: string;
}

/** A console with shell.exe reading lines from it and a screen showing it. */
export class Session {
  readonly console: Console;
  readonly screen: Screen;
  readonly lines: (string | null | 'INTERRUPTED')[] = [];
  readonly history: LineHistory;
  readonly process: ChildProcess;
  ctrlEvents = 0;
  private pumping: Promise<void>;

  constructor(options: SessionOptions = {}) {
    const columns = options.columns ?? 40;
    const rows = options.rows ?? 10;
    this.console = new Console({ columns, rows });
    this.screen = new Screen(columns, rows);
    this.history = options.history ?? createHistory();
    const k = newKernel();
    const prompt = options.prompt ?? 'C:\\>';
    k.programs.register(SHELL, (async (ctx: ProcessContext) => {
      ctx.onConsoleCtrl(() => {
        this.ctrlEvents++;
        return true;
      });
      for (;;) {
        await ctx.stdout.write(prompt);
        const r = await readConsoleLine(ctx, { history: this.history, complete: options.complete });
        this.lines.push(r === INTERRUPTED ? 'INTERRUPTED' : r);
        if (r === null) return 0;
        if (r === INTERRUPTED) {
          await ctx.stdout.write('^C\r\n');
          continue;
        }
        if (r === 'exit') return 0;
        if (r.startsWith('run ')) {
          // A command the shell runs and waits for, as cmd runs a program.
          const child = ctx.spawn(r.slice(4));
          await ctx.stdout.write(`exit=${(await child.wait()).toString(16)}\r\n`);
          continue;
        }
        await ctx.stdout.write(`[${r}]\r\n`);
      }
    }) as never);
    // waiter.exe: runs until ended (the kernel's timers are manual here: its Sleep never ends).
    k.programs.register(WAITER, (async (ctx: ProcessContext) => {
      await ctx.stdout.write('waiting\r\n');
      await ctx.sleep(1e9);
      return 0;
    }) as never);
    // asker.exe: one cooked read of its own (as `set /p` does), then prints it.
    k.programs.register(ASKER, (async (ctx: ProcessContext) => {
      await ctx.stdout.write('Name? ');
      const r = await readConsoleLine(ctx);
      await ctx.stdout.write(`got ${r === INTERRUPTED ? 'INTERRUPTED' : JSON.stringify(r)}\r\n`);
      return 7;
    }) as never);
    // plain.exe: ReadFile on its console stdin (readLine), as most programs read.
    k.programs.register(PLAIN, (async (ctx: ProcessContext) => {
      await ctx.stdout.write('Value? ');
      const r = await ctx.stdin.readLine();
      await ctx.stdout.write(`read ${JSON.stringify(r)}\r\n`);
      return 0;
    }) as never);
    if (options.typeAhead !== undefined) void this.console.input.write(options.typeAhead);
    this.process = k.createProcess({ commandLine: 'shell', console: this.console });
    const output = this.console.output;
    const screen = this.screen;
    this.pumping = (async () => {
      for (let c = await output.read(); c !== null; c = await output.read()) screen.write(c);
    })();
  }

  type(keys: string): void {
    void this.console.input.write(keys);
  }

  /** Waits (bounded) until `done` holds with the screen up to date. */
  async until(done: () => boolean, what = 'the screen to change', deadlineMs = 2000): Promise<void> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      // Let the kernel's promise chains and the pump run before looking.
      await new Promise((r) => setImmediate(r));
      if (this.screen.idle && this.console.outputPipe.available === 0 && done()) return;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${this.screen.text}`);
    }
  }

  /** Types `keys` and waits until the screen has caught up with everything sent. */
  async typeAndSettle(keys: string): Promise<void> {
    this.type(keys);
    await this.until(() => true);
  }

  /** Waits for the shell's first prompt (keys typed before it ran would race its Ctrl+C handler). */
  async ready(): Promise<void> {
    await this.until(() => this.screen.lines.length > 0, 'the first prompt');
  }

  /** Waits for the n-th line the shell read. */
  async line(n: number): Promise<string | null | 'INTERRUPTED'> {
    await this.until(() => this.lines.length > n, `line ${n}`);
    return this.lines[n]!;
  }

  async close(): Promise<void> {
    this.console.input.close();
    await this.process.wait();
    await this.pumping;
  }
}
