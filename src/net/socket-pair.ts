/**
 * A connected pair of in-memory stream sockets: what one side writes, the
 * other reads; end() is shutdown(SD_SEND) (the peer reads EOF), destroy()
 * is closesocket with data unread (the peer sees WSAECONNRESET only if it
 * still writes; reads end). Back-pressure follows the stream's buffer
 * (NET_LIMITS.socketBufferBytes, SO_SNDBUF's default).
 */
import { Duplex } from 'node:stream';
import { NET_LIMITS } from './limits.js';

export interface SocketAddressInfo {
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

/** Counts what crosses a compartment's adapter (docker stats' networks): bytes and segments each way. */
export type SocketMeter = (direction: 'rx' | 'tx', bytes: number) => void;

class MemorySocket extends Duplex {
  peer!: MemorySocket;
  meter: SocketMeter | undefined;
  private pendingCallback: (() => void) | undefined;
  remoteAddress = '';
  remotePort = 0;
  localAddress = '';
  localPort = 0;

  constructor() {
    super({ highWaterMark: NET_LIMITS.socketBufferBytes, allowHalfOpen: true });
  }

  override _read(): void {
    const cb = this.peer.pendingCallback;
    if (cb) {
      this.peer.pendingCallback = undefined;
      cb();
    }
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.peer.destroyed) {
      callback();
      return;
    }
    this.meter?.('tx', chunk.length);
    this.peer.meter?.('rx', chunk.length);
    if (this.peer.push(chunk)) callback();
    else this.pendingCallback = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.peer.destroyed) this.peer.push(null);
    callback();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    const cb = this.pendingCallback;
    this.pendingCallback = undefined;
    cb?.();
    // The peer's reads end: a closed socket's FIN (or RST) reaches it.
    if (peer && !peer.destroyed && !peer.readableEnded) peer.push(null);
    callback(err);
  }

  // What node's http server asks of a socket it was handed.
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
}

/** A connected pair: [the connecting side, the accepted side]. */
export function socketPair(client: { address: string; port: number }, server: { address: string; port: number }): [Duplex, Duplex] {
  const a = new MemorySocket();
  const b = new MemorySocket();
  a.peer = b;
  b.peer = a;
  a.localAddress = client.address;
  a.localPort = client.port;
  a.remoteAddress = server.address;
  a.remotePort = server.port;
  b.localAddress = server.address;
  b.localPort = server.port;
  b.remoteAddress = client.address;
  b.remotePort = client.port;
  return [a, b];
}

/** Counts the bytes an in-memory socket of socketPair sends and receives (other sockets: false, nothing counted). */
export function meterSocket(s: Duplex, meter: SocketMeter): boolean {
  if (!(s instanceof MemorySocket)) return false;
  s.meter = meter;
  return true;
}
