// A CliContext for running winsilo's commands in-process: captured
// output, a scripted stdin, a signal emitter, a fixed clock.
import { EventEmitter } from 'node:events';
import type { CliContext, CliInput, CliOutput, SignalSource } from '../../src/cli/context.js';
import type { HostOpener } from '../../src/cli/engine.js';

export class CapturedOutput implements CliOutput {
  text = '';
  columns?: number;
  rows?: number;
  private readonly events = new EventEmitter();
  constructor(readonly isTTY = false) {}
  write(data: string | Uint8Array, callback?: (err?: Error | null) => void): boolean {
    this.text += typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    callback?.();
    this.events.emit('written');
    return true;
  }
  /** Resolves once the output contains `s` (no polling: every write is checked). */
  waitFor(s: string): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (!this.text.includes(s)) return;
        this.events.off('written', check);
        resolve();
      };
      this.events.on('written', check);
      check();
    });
  }
  on(event: 'resize', listener: () => void): this {
    this.events.on(event, listener);
    return this;
  }
  off(event: 'resize', listener: () => void): this {
    this.events.off(event, listener);
    return this;
  }
  /** The terminal changes size (SIGWINCH). */
  resize(rows: number, columns: number): void {
    this.rows = rows;
    this.columns = columns;
    this.events.emit('resize');
  }
}

export class ScriptedInput extends EventEmitter implements CliInput {
  rawMode: boolean[] = [];
  paused = true;
  constructor(readonly isTTY = false) {
    super();
  }
  setRawMode(mode: boolean): this {
    this.rawMode.push(mode);
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  pause(): this {
    this.paused = true;
    return this;
  }
  /** Resolves once the command reads stdin (a 'data' listener is attached). */
  attached(): Promise<void> {
    if (this.listenerCount('data') > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (event: string | symbol): void => {
        if (event !== 'data') return;
        this.off('newListener', check);
        queueMicrotask(resolve);
      };
      this.on('newListener', check);
    });
  }
  /** Bytes typed or piped in. */
  send(data: string): void {
    this.emit('data', Buffer.from(data));
  }
  end(): void {
    this.emit('end');
  }
}

export interface TestContext extends CliContext {
  readonly stdin: ScriptedInput;
  readonly stdout: CapturedOutput;
  readonly stderr: CapturedOutput;
  readonly signals: SignalSource & EventEmitter;
}

export function testContext(openHost: HostOpener, o: { env?: Record<string, string>; stdinTTY?: boolean; stdoutTTY?: boolean; cwd?: string; now?: number } = {}): TestContext {
  return {
    stdin: new ScriptedInput(o.stdinTTY ?? false),
    stdout: new CapturedOutput(o.stdoutTTY ?? false),
    stderr: new CapturedOutput(false),
    env: o.env ?? {},
    cwd: o.cwd ?? '/',
    signals: new EventEmitter() as SignalSource & EventEmitter,
    now: () => o.now ?? Date.parse('2026-09-01T12:00:00Z'),
    openHost,
  };
}
