/**
 * What the daemon keeps of a container beside the Host's record: its
 * configuration as the Engine API shows it (Config, HostConfig), its log
 * (json-file's lines, with their stream and time), the clients attached to
 * it, stdin that arrived before the process ran, and its waiters.
 *
 * The main process's stdout and stderr are always drained (pumped) while it
 * runs — into the log and to every attached client — so a container never
 * blocks on a full pipe nobody reads (moby's stream config copies them to
 * the log driver the same way).
 *
 * The order at exit (docker-engine-api.md §4.3): the last output, then the
 * Host's exit (state, ExitCode, `die`), then every attached client's stream
 * is ended, then the waiters are answered.
 */
import type { HealthMonitor, HealthState } from './health.js';
import type { Container } from '../host/host.js';
import type { ProcessIo } from '../host/types.js';
import type { PipeReader } from '../kernel/process/index.js';
import { DAEMON_LIMITS } from './limits.js';
import type { ContainerConfigView, HostConfigView } from './create.js';

export interface LogLine {
  /** 1 stdout, 2 stderr. */
  stream: 1 | 2;
  /** Unix ms. */
  time: number;
  data: Buffer;
}

/** An attached client (a hijacked attach): which streams it wants, how to give them. */
export interface AttachSink {
  stdout: boolean;
  stderr: boolean;
  write(stream: 1 | 2, data: Uint8Array): void;
  end(): void;
}

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

export class ContainerRuntime {
  readonly logs: LogLine[] = [];
  private readonly sinks = new Set<AttachSink>();
  private readonly followers = new Set<(line: LogLine | null) => void>();
  private partial: { 1: Buffer[]; 2: Buffer[] } = { 1: [], 2: [] };
  io: ProcessIo | undefined;
  private stdinQueue: Uint8Array[] = [];
  private stdinEof = false;
  /** The current run's output is being pumped. */
  pumping = false;
  /** Resolves when the current run's output is done (its streams ended). */
  outputDone: Promise<void> = Promise.resolve();
  restartCount = 0;
  /** Stopped by the user (`docker stop`/`kill`): restart policies other than `always` leave it down. */
  stoppedByUser = false;
  /** A restart policy has scheduled a start. */
  restarting = false;
  readonly waiters: { condition: WaitCondition; resolve: (code: number) => void }[] = [];
  /** Where each new log line is also kept (the data root's json-file log), if anywhere. */
  logSink: ((line: LogLine) => void) | undefined;
  /** State.Health: present once a container with a health check has started (health.ts). */
  health: HealthState | undefined;
  /** Its probing (health.ts), made at the first start of a container with a health check. */
  healthMonitor: HealthMonitor | undefined;

  constructor(
    readonly handle: Container,
    public config: ContainerConfigView,
    public hostConfig: HostConfigView,
    private readonly clock: () => number,
  ) {}

  get id(): string {
    return this.handle.id;
  }

  get tty(): boolean {
    return this.config.Tty;
  }

  /** Adds an attached client until the current (or next) run ends. */
  attach(sink: AttachSink, replayLogs: boolean): void {
    if (replayLogs) for (const l of this.logs) if ((l.stream === 1 && sink.stdout) || (l.stream === 2 && sink.stderr)) sink.write(l.stream, l.data);
    this.sinks.add(sink);
  }

  detach(sink: AttachSink): void {
    this.sinks.delete(sink);
  }

  /** Follows the log: each new line, then null when the run ends. Returns the unsubscribe function. */
  follow(listener: (line: LogLine | null) => void): () => void {
    this.followers.add(listener);
    return () => this.followers.delete(listener);
  }

  /** Client stdin: to the process if it runs, else kept for it (§4.3: stdin before start). */
  writeStdin(chunk: Uint8Array): void {
    if (this.io?.stdin && this.pumping) void this.io.stdin.write(chunk).catch(() => undefined);
    else if (!this.stdinEof) this.stdinQueue.push(chunk);
  }

  /** The client's stdin ended (StdinOnce): the process's stdin closes. */
  closeStdin(): void {
    if (this.io?.stdin && this.pumping) this.io.stdin.close();
    else this.stdinEof = true;
  }

  /** A run began: drain its streams into the log and the attached clients; resolves when both have ended. */
  run(io: ProcessIo): Promise<void> {
    this.io = io;
    this.pumping = true;
    if (io.stdin) {
      for (const c of this.stdinQueue.splice(0)) void io.stdin.write(c).catch(() => undefined);
      if (this.stdinEof) io.stdin.close();
    }
    this.stdinEof = false;
    this.outputDone = Promise.all([this.pump(io.stdout, 1), this.pump(io.stderr, 2)]).then(() => {
      this.flushPartial(1);
      this.flushPartial(2);
      this.pumping = false;
      for (const s of [...this.sinks]) s.end();
      this.sinks.clear();
      for (const f of [...this.followers]) f(null);
    });
    return this.outputDone;
  }

  /** A run that could not start: attached clients are ended (moby closes the streams), followers told. */
  failedRun(): void {
    for (const s of [...this.sinks]) s.end();
    this.sinks.clear();
    for (const f of [...this.followers]) f(null);
  }

  /** Each chunk to the attached clients and the log as the container writes it (readEach: no promise per chunk); a failed read ends the stream. */
  private async pump(from: PipeReader | null, stream: 1 | 2): Promise<void> {
    if (!from) return;
    await from
      .readEach((chunk) => {
        for (const s of this.sinks) if (stream === 1 ? s.stdout : s.stderr) s.write(stream, chunk);
        this.appendLog(stream, chunk);
      })
      .catch(() => undefined);
  }

  /** json-file keeps one entry per line (the `\n` included); a partial line waits for its end. */
  private appendLog(stream: 1 | 2, chunk: Uint8Array): void {
    let b = Buffer.from(chunk);
    for (let nl = b.indexOf(10); nl >= 0; nl = b.indexOf(10)) {
      const parts = this.partial[stream];
      parts.push(b.subarray(0, nl + 1));
      this.pushLine(stream, Buffer.concat(parts));
      this.partial[stream] = [];
      b = b.subarray(nl + 1);
    }
    if (b.length > 0) this.partial[stream].push(Buffer.from(b));
  }

  private flushPartial(stream: 1 | 2): void {
    if (this.partial[stream].length === 0) return;
    this.pushLine(stream, Buffer.concat(this.partial[stream]));
    this.partial[stream] = [];
  }

  private pushLine(stream: 1 | 2, data: Buffer): void {
    const line: LogLine = { stream, time: this.clock(), data };
    this.logs.push(line);
    if (this.logs.length > DAEMON_LIMITS.logLinesPerContainer) this.logs.shift();
    this.logSink?.(line);
    for (const f of this.followers) f(line);
  }

  /** Answers waiters of the given conditions. */
  settle(conditions: readonly WaitCondition[], code: number): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (conditions.includes(w.condition)) {
        this.waiters.splice(i, 1);
        w.resolve(code);
      }
    }
  }
}
