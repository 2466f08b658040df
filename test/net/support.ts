// Helpers of the network tests: a free loopback port, an HTTP GET on the host.
import { request } from 'node:http';
import { createServer } from 'node:net';

export const IIS = 'mcr.microsoft.com/windows/servercore/iis';

/** A port nothing listens on now (the OS picks it; closed before use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to 127.0.0.1:port (no keep-alive agent). */
export function httpGet(port: number, path = '/', headers: Record<string, string> = {}, method = 'GET'): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** ServiceMonitor prints ` Service 'w3svc' started ` once W3SVC runs again: wait for that line of `docker logs` (bounded). */
export async function waitForW3svc(docker: (args: string[]) => Promise<{ stdout: string }>, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await docker(['logs', name])).stdout.includes("Service 'w3svc' started")) return;
  }
  throw new Error(`W3SVC never started in ${name}`);
}
