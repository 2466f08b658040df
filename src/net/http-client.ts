/**
 * One HTTP/1.1 exchange over a connected socket of the compartment (what
 * curl.exe and Invoke-WebRequest do after connect()): node's http client
 * frames the request and parses the answer (createConnection hands it our
 * socket), so chunked bodies, HEAD and keep-alive are the library's.
 */
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { WSAECONNRESET, Win32Error } from '../core/win32.js';

export interface HttpExchangeResult {
  status: number;
  reason: string;
  /** As received, in order. */
  headers: [string, string][];
  body: Uint8Array;
}

export function httpExchange(
  socket: Duplex,
  o: { method: string; host: string; path: string; headers?: [string, string][]; body?: Uint8Array },
): Promise<HttpExchangeResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        method: o.method,
        path: o.path,
        setHost: false,
        createConnection: () => socket as never,
        headers: Object.fromEntries([['Host', o.host], ...(o.headers ?? [])]) as Record<string, string>,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const raw = res.rawHeaders;
          const headers: [string, string][] = [];
          for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!]);
          socket.end();
          resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? '', headers, body: new Uint8Array(Buffer.concat(parts)) });
        });
        res.on('error', () => reject(new Win32Error('recv', WSAECONNRESET)));
      },
    );
    req.on('error', () => reject(new Win32Error('recv', WSAECONNRESET)));
    // curl sends no Connection header on HTTP/1.1; node's `close` is removed.
    req.removeHeader('Connection');
    req.end(o.body ? Buffer.from(o.body) : undefined);
  });
}
