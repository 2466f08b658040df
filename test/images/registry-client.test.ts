// The registry client's references, errors and downloads as dockerd has
// them: a reference by digest (`host:port/app@sha256:…`) is split at the
// `@` before the tag's colon and pulls that manifest; a failed manifest GET
// is worded as moby's translatePullError (manifest unknown, name unknown,
// denied, unauthorized); a blob 404 is "unknown blob"; a downloaded layer
// whose bytes are not its digest is "filesystem layer verification failed"
// even when they do not parse; up to 3 layers download at once
// (max-concurrent-downloads) and are imported in order.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Host } from '../../src/host/host.js';
import { parseRegistryReference } from '../../src/images/registry/client.js';
import type { ProgressEvent } from '../../src/images/registry/types.js';
import { startRegistry, type RunningRegistry } from './support/registry.js';

const NANO = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';
const D = `sha256:${'ab'.repeat(32)}`;

describe('parseRegistryReference', () => {
  test.each([
    ['127.0.0.1:5000/app@' + D, { registry: '127.0.0.1:5000', repository: 'app', tag: 'latest', digest: D, name: '127.0.0.1:5000/app' }],
    ['127.0.0.1:5000/team/app:v2@' + D, { registry: '127.0.0.1:5000', repository: 'team/app', tag: 'v2', digest: D, name: '127.0.0.1:5000/team/app' }],
    ['127.0.0.1:5000/app:v1', { registry: '127.0.0.1:5000', repository: 'app', tag: 'v1', name: '127.0.0.1:5000/app' }],
    ['localhost/app', { registry: 'localhost', repository: 'app', tag: 'latest', name: 'localhost/app' }],
    ['alpine@' + D, { registry: 'registry-1.docker.io', repository: 'library/alpine', tag: 'latest', digest: D, name: 'alpine' }],
  ])('%s splits at the @ before the tag colon', (ref, want) => {
    expect(parseRegistryReference(ref)).toEqual(want);
  });

  test('a digest that is not sha256:<64 hex> is docker’s invalid reference format', () => {
    expect(() => parseRegistryReference('127.0.0.1:5000/app@sha256:abc')).toThrow('invalid reference format');
  });
});

/** A registry that answers what `route` says (a stub for the answers a real one gives only when broken). */
async function stubRegistry(route: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ address: string; stop(): Promise<void> }> {
  const server: Server = createServer(route);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return { address, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ errors: [{ code, message }] });
}

describe('pull errors in moby’s words', () => {
  test.each([
    [404, 'NAME_UNKNOWN', 'repository name not known to registry', (a: string) => `repository ${a}/app not found: name unknown: repository name not known to registry`],
    [404, 'MANIFEST_UNKNOWN', 'manifest unknown', (a: string) => `manifest for ${a}/app:v1 not found: manifest unknown: manifest unknown`],
    [403, 'DENIED', 'requested access to the resource is denied', (a: string) => `pull access denied for ${a}/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`],
    [401, 'UNAUTHORIZED', 'authentication required', () => 'unauthorized: authentication required'],
  ] as const)('%i %s', async (status, code, message, want) => {
    const stub = await stubRegistry((_req, res) => void res.writeHead(status, { 'content-type': 'application/json' }).end(errorBody(code, message)));
    const b = await Host.open();
    try {
      await expect(b.pullFromRegistry(`${stub.address}/app:v1`)).rejects.toThrow(want(stub.address));
    } finally {
      await b.close();
      await stub.stop();
    }
  });

  test('a 401 whose challenge cannot be answered keeps the body’s error (unauthorized: authentication required)', async () => {
    const stub = await stubRegistry((_req, res) => void res.writeHead(401, { 'www-authenticate': 'Basic realm="x"', 'content-type': 'application/json' }).end(errorBody('UNAUTHORIZED', 'authentication required')));
    const b = await Host.open();
    try {
      await expect(b.pullFromRegistry(`${stub.address}/app:v1`)).rejects.toMatchObject({ status: 401, message: 'unauthorized: authentication required' });
    } finally {
      await b.close();
      await stub.stop();
    }
  });
});

describe('against docker-registry', () => {
  let registry: RunningRegistry;
  let a: Host;
  let ref: string;
  let manifestDigest: string;
  beforeAll(async () => {
    registry = await startRegistry();
    a = await Host.open({ clock: () => 1_763_000_000_000 });
    await a.pull(NANO);
    a.registerProgram('C:\\Windows\\System32\\put.exe', (ctx) => {
      const f = ctx.fs!.open(`C:\\step${ctx.argv[1]}.txt`, 'C:\\', { disposition: 'create', write: true });
      f.write(0, new TextEncoder().encode(`step ${ctx.argv[1]}`));
      f.close();
      return 0;
    });
    // Four own layers, each on the one before.
    let from = NANO;
    for (let i = 1; i <= 4; i++) {
      const c = await a.createContainer({ image: from, cmd: ['put.exe', String(i)] });
      await (await c.start()).wait();
      await c.wait();
      from = `${registry.address}/client/four:v${i}`;
      await a.commit(c.id, { reference: from });
    }
    ref = from;
    manifestDigest = (await a.push(ref)).digest;
  }, 90_000);
  afterAll(async () => {
    await a?.close();
    await registry?.stop();
  });

  test('a pull by digest fetches that manifest, tags nothing, and names the image by its RepoDigest', async () => {
    const byDigest = `${registry.address}/client/four@${manifestDigest}`;
    const b = await Host.open();
    try {
      const events: ProgressEvent[] = [];
      const image = await b.pullFromRegistry(byDigest, { onProgress: (e) => events.push(e) });
      expect(image.id).toBe(a.image(ref)!.id);
      expect(image.repoTags).toEqual([]);
      expect(image.repoDigests).toEqual([byDigest]);
      expect(events[0]).toEqual({ status: 'Pulling from client/four', id: byDigest });
      expect(events.at(-1)).toEqual({ status: `Digest: ${manifestDigest}` });
    } finally {
      await b.close();
    }
  }, 60_000);

  test('a tag the registry does not have is "manifest for … not found: manifest unknown"', async () => {
    const b = await Host.open();
    try {
      await expect(b.pullFromRegistry(`${registry.address}/client/four:nosuch`)).rejects.toThrow(`manifest for ${registry.address}/client/four:nosuch not found: manifest unknown: manifest unknown`);
    } finally {
      await b.close();
    }
  });

  test('up to 3 layers download at once and the image is imported in order', async () => {
    // A front that holds each blob GET until 3 are waiting (or the last ones), counting how many wait at once.
    let waiting: (() => void)[] = [];
    let most = 0;
    let blobsLeft = 4;
    const proxy = await stubRegistry((req, res) => {
      void (async () => {
        const isBlob = req.method === 'GET' && /\/blobs\/sha256:/.test(req.url!) && !req.url!.includes(a.image(ref)!.id.slice(7));
        if (isBlob) {
          await new Promise<void>((r) => {
            waiting.push(r);
            most = Math.max(most, waiting.length);
            if (waiting.length === Math.min(3, blobsLeft)) {
              blobsLeft -= waiting.length;
              const go = waiting;
              waiting = [];
              for (const g of go) g();
            }
          });
        }
        const r = await fetch(`http://${registry.address}${req.url}`, { method: req.method!, headers: { accept: String(req.headers.accept ?? '*/*') } });
        const data = Buffer.from(await r.arrayBuffer());
        const headers: Record<string, string> = { 'content-length': String(data.length) };
        for (const k of ['content-type', 'docker-content-digest']) if (r.headers.get(k)) headers[k] = r.headers.get(k)!;
        res.writeHead(r.status, headers).end(data);
      })();
    });
    const b = await Host.open();
    try {
      const events: ProgressEvent[] = [];
      const image = await b.pullFromRegistry(`${proxy.address}/client/four:v4`, { onProgress: (e) => events.push(e) });
      expect(image.id).toBe(a.image(ref)!.id);
      expect(most).toBe(3);
      // The fourth waited for a slot, as dockerd shows it.
      expect(events.filter((e) => e.status === 'Waiting')).toHaveLength(1);
      // Pull complete in layer order.
      const own = image.layers.filter((l) => !l.foreign);
      expect(events.filter((e) => e.status === 'Pull complete').map((e) => e.id)).toHaveLength(own.length);
    } finally {
      await b.close();
      await proxy.stop();
    }
  }, 60_000);
});

describe('a corrupted layer download', () => {
  test('bytes that are not the blob (not even gzip) fail as moby’s "filesystem layer verification failed for digest …"', async () => {
    // A manifest naming a real config and a layer whose bytes the stub swaps for garbage.
    const a = await Host.open({ clock: () => 1_763_000_000_000 });
    const registry = await startRegistry();
    try {
      await a.pull(NANO);
      a.registerProgram('C:\\Windows\\System32\\put.exe', (ctx) => {
        const f = ctx.fs!.open('C:\\x.txt', 'C:\\', { disposition: 'create', write: true });
        f.write(0, new TextEncoder().encode('x'));
        f.close();
        return 0;
      });
      const c = await a.createContainer({ image: NANO, cmd: ['put.exe'] });
      await (await c.start()).wait();
      await c.wait();
      const ref = `${registry.address}/client/bad:v1`;
      await a.commit(c.id, { reference: ref });
      await a.push(ref);
      const manifest = JSON.parse(Buffer.from(await (await fetch(`http://${registry.address}/v2/client/bad/manifests/v1`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } })).arrayBuffer()).toString('utf8')) as { layers: { digest: string; size: number }[] };
      const own = manifest.layers.at(-1)!;
      for (const [what, garbage] of [
        ['not gzip', Buffer.alloc(own.size, 0x41)],
        ['gzip of something else', gzipSync(Buffer.alloc(4096, 0x42))],
      ] as const) {
        const stub = await stubRegistry((req, res) => {
          void (async () => {
            if (req.url!.endsWith(own.digest)) return void res.writeHead(200, { 'content-length': String(garbage.length) }).end(garbage);
            const r = await fetch(`http://${registry.address}${req.url}`, { headers: { accept: String(req.headers.accept ?? '*/*') } });
            const data = Buffer.from(await r.arrayBuffer());
            res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream', 'content-length': String(data.length) }).end(data);
          })();
        });
        const b = await Host.open();
        try {
          expect(createHash('sha256').update(garbage).digest('hex')).not.toBe(own.digest.slice(7));
          await expect(b.pullFromRegistry(`${stub.address}/client/bad:v1`), what).rejects.toThrow(`filesystem layer verification failed for digest ${own.digest}`);
        } finally {
          await b.close();
          await stub.stop();
        }
      }
      // A blob the registry does not have is distribution's "unknown blob".
      const gone = await stubRegistry((req, res) => {
        void (async () => {
          if (req.url!.endsWith(own.digest)) return void res.writeHead(404, { 'content-type': 'application/json' }).end(errorBody('BLOB_UNKNOWN', 'blob unknown to registry'));
          const r = await fetch(`http://${registry.address}${req.url}`, { headers: { accept: String(req.headers.accept ?? '*/*') } });
          const data = Buffer.from(await r.arrayBuffer());
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream', 'content-length': String(data.length) }).end(data);
        })();
      });
      const b = await Host.open();
      try {
        await expect(b.pullFromRegistry(`${gone.address}/client/bad:v1`)).rejects.toThrow('unknown blob');
      } finally {
        await b.close();
        await gone.stop();
      }
    } finally {
      await a.close();
      await registry.stop();
    }
  }, 90_000);
});
