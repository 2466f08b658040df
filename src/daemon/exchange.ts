/**
 * One request and its answer, whichever way it arrived (docker-engine-api.md
 * §1.1, §4.1):
 *  - HttpExchange: Node's ordinary request/response (every plain call, and
 *    dockerode's attach without `Upgrade`, answered as a streamed 200);
 *  - UpgradeExchange: a request with `Upgrade: tcp` (the CLI's attach and
 *    exec start), which Node hands to the server's 'upgrade' listener with
 *    the raw socket. Its body (exec start's JSON) is the first
 *    Content-Length bytes of `head` and the socket's reads; what follows is
 *    the client's stdin. Answers are written by hand: `101 UPGRADED` for a
 *    hijack, an ordinary HTTP response (then close) for an error.
 *
 * Half-close (§4.3): the client ends its side (FIN) when its stdin ends;
 * the socket stays writable (allowHalfOpen) and is only ended by the
 * daemon when the output is done. Writes after the client went away are
 * dropped, never thrown (§6 gotcha 18).
 */
import { STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { badRequest, type ApiError } from './errors.js';
import { DAEMON_LIMITS } from './limits.js';

/** A streamed response body (headers already flushed). */
export interface StreamOut {
  write(data: Uint8Array | string): void;
  end(): void;
  /** The client went away (or end() was called). */
  readonly closed: boolean;
  onClose(listener: () => void): void;
  /** Resolves once what was written has gone out to the socket (or the client left): a long body's backpressure. */
  drained?(): Promise<void>;
}

/** A hijacked connection: output to the client, and the client's stdin. */
export interface Hijacked extends StreamOut {
  onData(listener: (chunk: Buffer) => void): void;
  /** The client half-closed (or closed): its stdin ended. */
  onEnd(listener: () => void): void;
}

export abstract class Exchange {
  /** Set once an answer has started (an error then can only end the stream). */
  responded = false;
  apiVersion = '';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly query: URLSearchParams,
    readonly headers: IncomingHttpHeaders,
    /** Headers every answer carries (Server, Api-Version, Ostype, Docker-Experimental). */
    readonly common: Readonly<Record<string, string>>,
  ) {}

  abstract body(): Promise<Buffer>;
  /**
   * The body as it arrives, without the size limit of body() (`docker load`,
   * `docker import`, `docker cp` into a container stream archives of any size).
   */
  abstract bodyStream(): AsyncIterable<Uint8Array>;
  abstract send(status: number, headers: Record<string, string>, body?: string | Uint8Array): void;
  abstract stream(status: number, headers: Record<string, string>): StreamOut;
  abstract hijack(contentType: string): Hijacked;
  /** True when the client asked for the 101 upgrade. */
  abstract readonly upgrade: boolean;

  /** The body as JSON; an empty body is `undefined`; malformed JSON is 400 with the parser's text. */
  async json(): Promise<unknown> {
    const b = await this.body();
    if (b.length === 0) return undefined;
    try {
      return JSON.parse(b.toString('utf8'));
    } catch (e) {
      throw badRequest((e as Error).message);
    }
  }

  sendJson(status: number, value: unknown): void {
    this.send(status, { 'Content-Type': 'application/json' }, JSON.stringify(value) + '\n');
  }

  noContent(status = 204): void {
    this.send(status, {});
  }

  error(e: ApiError, plain = false): void {
    if (plain) this.send(e.status, { 'Content-Type': 'text/plain; charset=utf-8' }, e.message + '\n');
    else this.sendJson(e.status, { message: e.message });
  }
}

export class HttpExchange extends Exchange {
  private bodyPromise: Promise<Buffer> | undefined;
  readonly upgrade = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    path: string,
    query: URLSearchParams,
    common: Readonly<Record<string, string>>,
  ) {
    super(req.method ?? 'GET', path, query, req.headers, common);
  }

  body(): Promise<Buffer> {
    this.bodyPromise ??= new Promise((resolve, reject) => {
      const parts: Buffer[] = [];
      let n = 0;
      this.req.on('data', (c: Buffer) => {
        n += c.length;
        if (n > DAEMON_LIMITS.maxBodyBytes) {
          reject(badRequest(`request body too large (over ${DAEMON_LIMITS.maxBodyBytes} bytes)`));
          this.req.destroy();
          return;
        }
        parts.push(c);
      });
      this.req.on('end', () => resolve(Buffer.concat(parts)));
      this.req.on('error', reject);
    });
    return this.bodyPromise;
  }

  bodyStream(): AsyncIterable<Uint8Array> {
    return this.req;
  }

  send(status: number, headers: Record<string, string>, body?: string | Uint8Array): void {
    if (this.responded || this.res.destroyed) return;
    this.responded = true;
    const b = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
    this.res.writeHead(status, { ...this.common, ...headers, ...(status === 204 || status === 304 ? {} : { 'Content-Length': String(b?.length ?? 0) }) });
    this.res.end(b);
  }

  stream(status: number, headers: Record<string, string>): StreamOut {
    this.responded = true;
    const res = this.res;
    res.writeHead(status, { ...this.common, ...headers });
    res.flushHeaders();
    return responseStream(res);
  }

  /** dockerode's attach without Upgrade: moby answers 200 with the raw stream and copies until close (§4.1). */
  hijack(contentType: string): Hijacked {
    const out = this.stream(200, { 'Content-Type': contentType });
    const req = this.req;
    return {
      ...out,
      get closed() {
        return out.closed;
      },
      onData: (l) => void req.on('data', l),
      onEnd: (l) => {
        if (req.readableEnded) l();
        else req.on('end', l);
      },
    };
  }
}

function responseStream(res: ServerResponse): StreamOut {
  let closed = false;
  const listeners: (() => void)[] = [];
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const l of listeners.splice(0)) l();
  };
  res.on('close', close);
  res.on('error', close);
  return {
    write: (d) => {
      if (!closed && !res.destroyed && !res.writableEnded) res.write(d);
    },
    end: () => {
      if (!res.writableEnded && !res.destroyed) res.end();
      close();
    },
    get closed() {
      return closed || res.destroyed;
    },
    onClose: (l) => {
      if (closed) l();
      else listeners.push(l);
    },
    drained: () =>
      closed || res.destroyed || !res.writableNeedDrain
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const done = (): void => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
          }),
  };
}

export class UpgradeExchange extends Exchange {
  readonly upgrade = true;
  private readonly bodyPromise: Promise<Buffer>;
  /** Bytes after the body, until someone listens (stdin sent before the process runs: §4.3). */
  private queued: Buffer[] = [];
  private dataListener: ((c: Buffer) => void) | undefined;
  private ended = false;
  private endListeners: (() => void)[] = [];
  private closedListeners: (() => void)[] = [];
  private closed = false;

  constructor(
    req: IncomingMessage,
    private readonly socket: Duplex,
    head: Buffer,
    path: string,
    query: URLSearchParams,
    common: Readonly<Record<string, string>>,
  ) {
    super(req.method ?? 'POST', path, query, req.headers, common);
    const length = Number.parseInt(String(req.headers['content-length'] ?? '0'), 10) || 0;
    let body: Buffer[] = [];
    let need = length;
    let resolveBody!: (b: Buffer) => void;
    this.bodyPromise = new Promise((r) => (resolveBody = r));
    const take = (c: Buffer): void => {
      if (need > 0) {
        const part = c.subarray(0, need);
        body.push(part);
        need -= part.length;
        c = c.subarray(part.length);
        if (need === 0) {
          resolveBody(Buffer.concat(body));
          body = [];
        }
      }
      if (c.length === 0) return;
      if (this.dataListener) this.dataListener(c);
      else this.queued.push(c);
    };
    if (need === 0) resolveBody(Buffer.alloc(0));
    if (head.length > 0) take(head);
    socket.on('data', take);
    socket.on('end', () => {
      if (need > 0) resolveBody(Buffer.concat(body));
      this.ended = true;
      for (const l of this.endListeners.splice(0)) l();
    });
    const onClose = (): void => {
      if (this.closed) return;
      this.closed = true;
      if (!this.ended) {
        this.ended = true;
        for (const l of this.endListeners.splice(0)) l();
      }
      for (const l of this.closedListeners.splice(0)) l();
    };
    socket.on('close', onClose);
    socket.on('error', onClose);
  }

  body(): Promise<Buffer> {
    return this.bodyPromise;
  }

  /** An upgraded request's body is its Content-Length bytes (what follows is stdin): read whole. */
  async *bodyStream(): AsyncIterable<Uint8Array> {
    yield await this.bodyPromise;
  }

  private head(status: number, text: string, headers: Record<string, string>): string {
    let s = `HTTP/1.1 ${status} ${text}\r\n`;
    // The call's own headers first (moby writes Content-Type, Connection, Upgrade, then the middleware's).
    for (const [k, v] of Object.entries({ ...headers, ...this.common, ...headers })) s += `${k}: ${v}\r\n`;
    return s + '\r\n';
  }

  private writeRaw(d: Uint8Array | string): void {
    if (!this.closed && !this.socket.destroyed && !this.socket.writableEnded) this.socket.write(d);
  }

  send(status: number, headers: Record<string, string>, body?: string | Uint8Array): void {
    if (this.responded) return;
    this.responded = true;
    const b = body === undefined ? Buffer.alloc(0) : typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    this.writeRaw(this.head(status, STATUS_CODES[status] ?? '', { ...headers, 'Content-Length': String(b.length), Connection: 'close' }));
    this.writeRaw(b);
    if (!this.socket.writableEnded) this.socket.end();
  }

  stream(status: number, headers: Record<string, string>): StreamOut {
    this.responded = true;
    this.writeRaw(this.head(status, STATUS_CODES[status] ?? '', { ...headers, Connection: 'close' }));
    return this.output();
  }

  /** moby's hijack answer: `HTTP/1.1 101 UPGRADED`, the stream's content type, Connection/Upgrade, then the common headers. */
  hijack(contentType: string): Hijacked {
    this.responded = true;
    this.writeRaw(this.head(101, 'UPGRADED', { 'Content-Type': contentType, Connection: 'Upgrade', Upgrade: 'tcp' }));
    const out = this.output();
    return {
      ...out,
      get closed() {
        return out.closed;
      },
      onData: (l) => {
        this.dataListener = l;
        for (const c of this.queued.splice(0)) l(c);
      },
      onEnd: (l) => {
        if (this.ended) queueMicrotask(l);
        else this.endListeners.push(l);
      },
    };
  }

  private output(): StreamOut {
    const self = this;
    return {
      write: (d) => this.writeRaw(d),
      end: () => {
        if (!this.socket.writableEnded && !this.socket.destroyed) this.socket.end();
      },
      get closed() {
        return self.closed || self.socket.destroyed;
      },
      onClose: (l) => {
        if (this.closed) l();
        else this.closedListeners.push(l);
      },
      drained: () =>
        this.closed || this.socket.destroyed || !this.socket.writableNeedDrain
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              const done = (): void => {
                this.socket.off('drain', done);
                this.socket.off('close', done);
                resolve();
              };
              this.socket.on('drain', done);
              this.socket.on('close', done);
            }),
    };
  }
}

