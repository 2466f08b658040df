/**
 * What a command sees of the world: its standard streams, environment,
 * working directory, signals, clock and the engine. `main.ts` passes the
 * real process; tests pass their own, so every command runs in-process as
 * well as from a shell.
 */
import type { HostOpener } from './engine.js';

/** The parts of tty.ReadStream the CLI uses. */
export interface CliInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'end', listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** The parts of tty.WriteStream the CLI uses. */
export interface CliOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
  write(data: string | Uint8Array, callback?: (err?: Error | null) => void): boolean;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

/** Signals the CLI forwards (a process, or a test's emitter). */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface CliContext {
  readonly stdin: CliInput;
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly signals: SignalSource;
  /** Milliseconds since the epoch (`CREATED … ago`). */
  readonly now: () => number;
  readonly openHost: HostOpener;
}

/** Writes and waits until the stream has taken the data (back-pressure for container output). */
export function writeAll(out: CliOutput, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(data, (err) => (err ? reject(err) : resolve()));
  });
}
