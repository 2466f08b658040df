/**
 * Anonymous pipes and the null device: what a process's standard handles
 * are when they are not a console (CreatePipe, HCS CreateStdInPipe/
 * CreateStdOutPipe/CreateStdErrPipe, `NUL`).
 *
 * A pipe has two ends; each end may be open through several handles (a
 * parent's and the child's inherited copy). Rules (ReadFile/WriteFile on
 * anonymous pipes, Microsoft Learn "Anonymous Pipe Operations"):
 *  - A read waits for data; once every write handle is closed and the buffer
 *    is empty, ReadFile fails with ERROR_BROKEN_PIPE (109), which programs
 *    take as end of file: read() answers null.
 *  - A write with every read handle closed fails with ERROR_NO_DATA (232),
 *    "The pipe is being closed."
 *  - A writer waits while the buffer is full (PROCESS_LIMITS.pipeBufferBytes).
 * Text is written as bytes; the console code page is taken to be UTF-8
 * (65001) throughout winsilo for now, so strings are encoded as UTF-8.
 */
import { ERROR_INVALID_HANDLE, ERROR_NO_DATA, Win32Error } from '../../core/win32.js';
import { Fifo } from './fifo.js';
import { PROCESS_LIMITS } from './limits.js';

const RESOLVED: Promise<void> = Promise.resolve();
const noop = () => {};

/**
 * A rejected promise already marked handled: a program that does not await
 * a failed write must not become an unhandled rejection in the host (Node
 * would end the whole process); one that awaits it still sees the error.
 * Every failed write and read of this module fails this way, so a caller
 * may drop a write's promise (`void w.write(…)`) without a `.catch`.
 */
export function rejected<T>(error: unknown): Promise<T> {
  const p = Promise.reject<T>(error);
  p.catch(noop);
  return p;
}
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** A readable standard handle as a program sees it. */
export interface InputStream {
  /** GetFileType(h) == FILE_TYPE_CHAR for a console handle. */
  readonly isConsole: boolean;
  /** Up to `maxBytes` bytes (default: whatever is buffered), waiting for some; null at end of file. */
  read(maxBytes?: number): Promise<Uint8Array | null>;
  /** One line without its `\n` or `\r\n`, decoded as UTF-8; the last line may lack a terminator; null at end of file. */
  readLine(): Promise<string | null>;
  /** Everything until end of file. */
  readAll(): Promise<Uint8Array>;
  /** readAll() decoded as UTF-8. */
  readText(): Promise<string>;
}

/** A writable standard handle as a program sees it. */
export interface OutputStream {
  readonly isConsole: boolean;
  /**
   * WriteFile: strings are encoded as UTF-8. Resolves once the pipe has
   * room (await it to respect back-pressure). Fails with ERROR_NO_DATA when
   * nobody can read any more.
   */
  write(data: string | Uint8Array): Promise<void>;
}

export function encodeText(s: string): Uint8Array {
  return encoder.encode(s);
}

export function decodeText(b: Uint8Array): string {
  return decoder.decode(b);
}

interface PendingRead {
  owner: PipeReader;
  max: number;
  line: boolean;
  resolve(v: Uint8Array | null): void;
  /** A readEach: stays first after each chunk; `ready` is false while its sink's promise is pending. */
  each?: { ready: boolean };
}

/** What readEach hands each chunk to: a promise it returns holds the next chunk back until it settles. */
export type ChunkSink = (chunk: Uint8Array) => void | Promise<void>;

export class Pipe {
  private readonly chunks = new Fifo<Uint8Array>();
  private head = 0; // offset into chunks[0]
  private buffered = 0;
  private readHandles = 0;
  private writeHandles = 0;
  private readonly readers = new Fifo<PendingRead>();
  private writers: (() => void)[] = [];

  constructor(readonly capacity: number = PROCESS_LIMITS.pipeBufferBytes) {}

  /** A new handle to the read end. */
  readEnd(isConsole = false): PipeReader {
    this.readHandles++;
    return new PipeReader(this, isConsole);
  }

  /** A new handle to the write end. */
  writeEnd(isConsole = false): PipeWriter {
    this.writeHandles++;
    return new PipeWriter(this, isConsole);
  }

  /** Bytes waiting to be read. */
  get available(): number {
    return this.buffered;
  }

  /** True once every write handle is closed (end of file after the buffer drains). */
  get writersClosed(): boolean {
    return this.writeHandles === 0;
  }

  /** @internal */
  write(data: Uint8Array): Promise<void> {
    if (this.readHandles === 0) return rejected(new Win32Error('WriteFile', ERROR_NO_DATA));
    if (data.length === 0) return RESOLVED;
    this.chunks.push(data);
    this.buffered += data.length;
    this.serve();
    if (this.buffered <= this.capacity) return RESOLVED;
    return new Promise<void>((resolve) => this.writers.push(resolve));
  }

  /** @internal */
  read(owner: PipeReader, max: number, line: boolean): Promise<Uint8Array | null> {
    const now = this.readers.length === 0 ? this.take(max, line) : undefined;
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => this.readers.push({ owner, max, line, resolve }));
  }

  /**
   * @internal Every chunk until end of file, handed to `sink` as it is written (no promise per
   * chunk; what is buffered already is handed over before this returns). Ends when the pipe
   * does, or with the error the sink threw or its promise rejected with.
   */
  readEach(owner: PipeReader, sink: ChunkSink): Promise<void> {
    return new Promise<void>((done, fail) => {
      const each = { ready: true };
      const quit = (e: unknown): void => {
        this.readers.takeWhere((r) => r === reader);
        fail(e);
      };
      const reader: PendingRead = {
        owner,
        max: Number.MAX_SAFE_INTEGER,
        line: false,
        each,
        resolve: (chunk) => {
          if (chunk === null) return done();
          let held: void | Promise<void>;
          try {
            held = sink(chunk);
          } catch (e) {
            return quit(e);
          }
          if (held === undefined) return;
          each.ready = false;
          held.then(
            () => {
              each.ready = true;
              this.serve();
            },
            (e: unknown) => {
              quit(e);
              this.serve();
            },
          );
        },
      };
      this.readers.push(reader);
      this.serve();
    });
  }

  /** @internal A handle closed: its waiting reads end as at end of file, so they take nothing meant for other readers. */
  closeRead(owner: PipeReader): void {
    for (const r of this.readers.takeWhere((r) => r.owner === owner)) r.resolve(null);
    if (--this.readHandles > 0) return;
    // Nobody will read: drop the buffer and release waiting writers (their
    // next write fails with ERROR_NO_DATA).
    this.chunks.clear();
    this.head = 0;
    this.buffered = 0;
    this.releaseWriters();
  }

  /** @internal */
  closeWrite(): void {
    if (--this.writeHandles > 0) return;
    this.serve();
  }

  /** @internal */
  addReadHandle(): void {
    this.readHandles++;
  }

  /** @internal */
  addWriteHandle(): void {
    this.writeHandles++;
  }

  /**
   * What a read can have now: bytes, null (end of file), or undefined (wait).
   * A line read takes through the first `\n`, or everything at end of file.
   */
  private take(max: number, line: boolean): Uint8Array | null | undefined {
    if (this.buffered === 0) return this.writeHandles === 0 ? null : undefined;
    let want = Math.min(max, this.buffered);
    if (line) {
      const nl = this.indexOfNewline();
      if (nl < 0) {
        if (this.writeHandles !== 0) return undefined;
        want = this.buffered;
      } else {
        want = nl + 1;
      }
    }
    let out: Uint8Array;
    if (this.head === 0 && this.chunks.at(0)!.length === want) {
      // The whole first chunk, from its start: handed over as it is (the pipe owns what it holds:
      // write() copied it in, writeOwned() was given it). The echo of every keystroke takes this path.
      out = this.chunks.shift()!;
    } else {
      out = new Uint8Array(want);
      let o = 0;
      while (o < want) {
        const c = this.chunks.at(0)!;
        const n = Math.min(c.length - this.head, want - o);
        out.set(c.subarray(this.head, this.head + n), o);
        o += n;
        this.head += n;
        if (this.head === c.length) {
          this.chunks.shift();
          this.head = 0;
        }
      }
    }
    this.buffered -= want;
    if (this.buffered <= this.capacity) this.releaseWriters();
    return out;
  }

  private indexOfNewline(): number {
    let base = 0;
    for (let k = 0; k < this.chunks.length; k++) {
      const c = this.chunks.at(k)!;
      const from = k === 0 ? this.head : 0;
      const i = c.indexOf(10, from);
      if (i >= 0) return base + i - from;
      base += c.length - from;
    }
    return -1;
  }

  private serve(): void {
    while (this.readers.length > 0) {
      const r = this.readers.at(0)!;
      if (r.each && !r.each.ready) return;
      const v = this.take(r.max, r.line);
      if (v === undefined) return;
      if (!r.each || v === null) this.readers.shift();
      r.resolve(v);
    }
  }

  private releaseWriters(): void {
    const w = this.writers;
    if (w.length === 0) return;
    this.writers = [];
    for (const resolve of w) resolve();
  }
}

/** One handle to a pipe's read end. */
export class PipeReader implements InputStream {
  private open = true;
  constructor(
    /** @internal */ readonly pipe: Pipe,
    readonly isConsole: boolean,
  ) {}

  read(maxBytes = Number.MAX_SAFE_INTEGER): Promise<Uint8Array | null> {
    if (!this.open) return rejected(new Win32Error('ReadFile', ERROR_INVALID_HANDLE));
    return this.pipe.read(this, Math.max(1, maxBytes), false);
  }

  /**
   * The host's side of a stream it relays (a terminal, an attach): every chunk until end of
   * file, handed to `sink` as it is written, without a promise per chunk (see Pipe.readEach).
   */
  readEach(sink: ChunkSink): Promise<void> {
    if (!this.open) return rejected(new Win32Error('ReadFile', ERROR_INVALID_HANDLE));
    return this.pipe.readEach(this, sink);
  }

  async readLine(): Promise<string | null> {
    if (!this.open) throw new Win32Error('ReadFile', ERROR_INVALID_HANDLE);
    const b = await this.pipe.read(this, Number.MAX_SAFE_INTEGER, true);
    if (b === null) return null;
    let end = b.length;
    if (end > 0 && b[end - 1] === 10) end--;
    if (end > 0 && b[end - 1] === 13) end--;
    return decodeText(b.subarray(0, end));
  }

  async readAll(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const b = await this.read();
      if (b === null) break;
      parts.push(b);
      total += b.length;
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  async readText(): Promise<string> {
    return decodeText(await this.readAll());
  }

  /** DuplicateHandle / inheritance: another handle to the same end. */
  duplicate(): PipeReader {
    this.pipe.addReadHandle();
    return new PipeReader(this.pipe, this.isConsole);
  }

  /** CloseHandle; a second close does nothing. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.pipe.closeRead(this);
  }
}

/** One handle to a pipe's write end. */
export class PipeWriter implements OutputStream {
  private open = true;
  constructor(
    /** @internal */ readonly pipe: Pipe,
    readonly isConsole: boolean,
  ) {}

  write(data: string | Uint8Array): Promise<void> {
    if (!this.open) return rejected(new Win32Error('WriteFile', ERROR_INVALID_HANDLE));
    // Copy: the caller may reuse its buffer once write returns. A plain Uint8Array copy: a
    // Buffer's slice() would be a view of the caller's memory.
    return this.pipe.write(typeof data === 'string' ? encodeText(data) : new Uint8Array(data));
  }

  /** @internal write bytes the caller gives up (no copy) */
  writeOwned(data: Uint8Array): Promise<void> {
    if (!this.open) return rejected(new Win32Error('WriteFile', ERROR_INVALID_HANDLE));
    return this.pipe.write(data);
  }

  duplicate(): PipeWriter {
    this.pipe.addWriteHandle();
    return new PipeWriter(this.pipe, this.isConsole);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.pipe.closeWrite();
  }
}

/** The `NUL` device: reads are at end of file, writes vanish. */
export class NullDevice implements InputStream, OutputStream {
  readonly isConsole = false;
  read(): Promise<Uint8Array | null> {
    return Promise.resolve(null);
  }
  readLine(): Promise<string | null> {
    return Promise.resolve(null);
  }
  readAll(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(0));
  }
  readText(): Promise<string> {
    return Promise.resolve('');
  }
  write(): Promise<void> {
    return RESOLVED;
  }
}

export const NUL = new NullDevice();
