// A front for a registry that asks for credentials as Docker Hub and
// registries with htpasswd do: `Basic` (a 401 with WWW-Authenticate: Basic),
// or `Bearer` (a 401 naming a token realm, served here, that hands out a
// token for the right Basic credentials). Requests that pass go to the
// registry; its Location headers are rewritten to come back through here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface AuthProxy {
  address: string;
  /** Requests answered 401, by method. */
  challenges: string[];
  stop(): Promise<void>;
}

/** `flaky`: no credentials asked; the first request of each method given in `failFirst` answers 503 (a registry restarting). */
export async function startAuthProxy(registry: string, mode: 'basic' | 'bearer' | 'flaky', user: string, password: string, failFirst: readonly string[] = []): Promise<AuthProxy> {
  const failed = new Set<string>();
  const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const token = 'winsilo-test-token';
  const challenges: string[] = [];
  let address = '';
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body: Buffer[] = [];
      for await (const c of req) body.push(c as Buffer);
      if (req.url!.startsWith('/token')) {
        if (req.headers.authorization !== basic) return void res.writeHead(401).end();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
        return;
      }
      if (mode === 'flaky' && failFirst.includes(req.method!) && !failed.has(req.method!)) {
        failed.add(req.method!);
        challenges.push(`503 ${req.method!}`);
        res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable');
        return;
      }
      const ok = mode === 'flaky' || (mode === 'basic' ? req.headers.authorization === basic : req.headers.authorization === `Bearer ${token}`);
      if (!ok) {
        challenges.push(req.method!);
        const header = mode === 'basic' ? 'Basic realm="winsilo"' : `Bearer realm="http://${address}/token",service="winsilo",scope="repository:winsilo/app:pull,push"`;
        res.writeHead(401, { 'www-authenticate': header, 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'authorization' && k !== 'connection') headers[k] = v;
      const r = await fetch(`http://${registry}${req.url}`, { method: req.method!, headers, ...(body.length ? { body: Buffer.concat(body) as unknown as BodyInit } : {}), redirect: 'manual' });
      const out: Record<string, string> = {};
      r.headers.forEach((v, k) => {
        if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection' && k !== 'content-encoding') out[k] = k === 'location' ? v.replace(`http://${registry}`, `http://${address}`) : v;
      });
      const data = Buffer.from(await r.arrayBuffer());
      res.writeHead(r.status, { ...out, 'content-length': String(data.length) }).end(data);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  address = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return { address, challenges, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
