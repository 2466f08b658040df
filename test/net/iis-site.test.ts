// IIS 10's static site as a client on the host sees it through a published
// port (src/net/iis): default documents, MIME map, error pages, HEAD,
// Range, conditional GET, keep-alive, the courtesy redirect, W3C logs.
import { request, Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Host, type Container } from '../../src/host/host.js';
import { iisSiteOf, w3svcRunning } from '../../src/net/index.js';
import type { FileSystemView } from '../../src/kernel/fs/types.js';
import { IIS, httpGet } from './support.js';

let host: Host;
let c: Container;
let port: number;
let fs: FileSystemView;

function write(path: string, text: string): void {
  const h = fs.open(path, 'C:\\', { disposition: 'overwriteIf', write: true, nonDirectory: true });
  h.setSize(0);
  h.write(0, Buffer.from(text));
  h.close();
}

function read(path: string): string {
  const h = fs.open(path, 'C:\\', { disposition: 'open', read: true, nonDirectory: true, shareRead: true, shareWrite: true });
  const b = new Uint8Array(h.info().size);
  h.read(0, b);
  h.close();
  return Buffer.from(b).toString('utf8');
}

beforeAll(async () => {
  host = await Host.open({});
  await host.pull(IIS);
  c = (await host.createContainer({ image: IIS, portBindings: { '80/tcp': [{ HostIp: '', HostPort: '0' }] } })) as Container;
  await c.start();
  const silo = c.computeSystem!.silo!;
  fs = silo.fs!;
  for (let i = 0; i < 10_000 && !w3svcRunning(silo); i++) await new Promise((r) => setImmediate(r));
  port = c.networkState.ports[0]!.hostPort;
}, 60_000);

afterAll(async () => {
  await host.close();
});

describe('IIS static content', () => {
  test('GET / serves the default document iisstart.htm with IIS 10’s headers in IIS’s order', async () => {
    const r = await httpGet(port, '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>IIS Windows Server</title>');
    expect(Object.keys(r.headers)).toEqual(['content-type', 'last-modified', 'accept-ranges', 'etag', 'server', 'date', 'content-length']);
    expect(r.headers['etag']).toMatch(/^"[0-9a-f]+:0"$/);
  });

  test('index.html comes before iisstart.htm in the default documents; a change is served at once', async () => {
    write('C:\\inetpub\\wwwroot\\index.html', '<title>one</title>');
    expect((await httpGet(port, '/')).body).toBe('<title>one</title>');
    write('C:\\inetpub\\wwwroot\\index.html', '<title>two!</title>');
    expect((await httpGet(port, '/')).body).toBe('<title>two!</title>');
    fs.deleteFile('C:\\inetpub\\wwwroot\\index.html', 'C:\\');
    expect((await httpGet(port, '/')).body).toContain('IIS Windows Server');
  });

  test('Content-Type follows IIS’s MIME map; an unmapped extension is a 404 (404.3)', async () => {
    write('C:\\inetpub\\wwwroot\\a.css', 'body{}');
    write('C:\\inetpub\\wwwroot\\a.json', '{}');
    write('C:\\inetpub\\wwwroot\\a.unknownext', 'x');
    expect((await httpGet(port, '/a.css')).headers['content-type']).toBe('text/css');
    expect((await httpGet(port, '/a.json')).headers['content-type']).toBe('application/json');
    expect((await httpGet(port, '/a.unknownext')).status).toBe(404);
  });

  test('a missing file: 404 with the custerr page; a directory without default document: 403', async () => {
    const nf = await httpGet(port, '/missing.htm');
    expect(nf.status).toBe(404);
    expect(nf.headers['content-type']).toBe('text/html');
    expect(nf.body).toContain('404 - File or directory not found.');
    fs.createDirectory('C:\\inetpub\\wwwroot\\empty', 'C:\\');
    const fb = await httpGet(port, '/empty/');
    expect(fb.status).toBe(403);
    expect(fb.body).toContain('403 - Forbidden: Access is denied.');
  });

  test('a directory without its slash: the courtesy 301 to the slashed URL', async () => {
    fs.createDirectory('C:\\inetpub\\wwwroot\\docs', 'C:\\');
    write('C:\\inetpub\\wwwroot\\docs\\index.htm', 'docs');
    const r = await httpGet(port, '/docs');
    expect(r.status).toBe(301);
    expect(r.headers['location']).toBe(`http://127.0.0.1:${port}/docs/`);
    expect((await httpGet(port, '/docs/')).body).toBe('docs');
  });

  test('HEAD: the headers of GET, no body', async () => {
    const r = await httpGet(port, '/iisstart.htm', {}, 'HEAD');
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    expect(Number(r.headers['content-length'])).toBeGreaterThan(100);
  });

  test('Range: 206 with Content-Range; a suffix range; beyond the end 416', async () => {
    write('C:\\inetpub\\wwwroot\\r.txt', '0123456789');
    const a = await httpGet(port, '/r.txt', { Range: 'bytes=2-4' });
    expect([a.status, a.body, a.headers['content-range']]).toEqual([206, '234', 'bytes 2-4/10']);
    const b = await httpGet(port, '/r.txt', { Range: 'bytes=-3' });
    expect([b.status, b.body]).toEqual([206, '789']);
    const c416 = await httpGet(port, '/r.txt', { Range: 'bytes=20-' });
    expect([c416.status, c416.headers['content-range']]).toEqual([416, 'bytes */10']);
  });

  test('If-None-Match with the ETag: 304', async () => {
    const first = await httpGet(port, '/iisstart.htm');
    const again = await httpGet(port, '/iisstart.htm', { 'If-None-Match': String(first.headers['etag']) });
    expect(again.status).toBe(304);
  });

  test('POST to a static file: 405', async () => {
    expect((await httpGet(port, '/iisstart.htm', {}, 'POST')).status).toBe(405);
  });

  test('keep-alive: several requests on one connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const ports = new Set<number>();
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/iisstart.htm', agent }, (res) => {
          ports.add(res.socket.localPort ?? 0);
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        req.end();
      });
    }
    agent.destroy();
    expect(ports.size).toBe(1);
  });

  test('W3C log: u_exYYMMDD.log in W3SVC1 with IIS’s header lines and default fields', async () => {
    await httpGet(port, '/logged.htm?x=1', { 'User-Agent': 'test agent/1.0' });
    // IIS buffers its log lines; flush as the site's buffer timer would.
    iisSiteOf(c.computeSystem!.silo!)!.log.flush();
    const d = new Date();
    const name = `u_ex${String(d.getUTCFullYear()).slice(2)}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}.log`;
    const log = read(`C:\\inetpub\\logs\\LogFiles\\W3SVC1\\${name}`);
    const lines = log.split('\r\n');
    expect(lines[0]).toBe('#Software: Microsoft Internet Information Services 10.0');
    expect(lines[1]).toBe('#Version: 1.0');
    expect(lines[2]).toMatch(/^#Date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(lines[3]).toBe('#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken');
    expect(log).toMatch(/\r\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d 172\.\d+\.\d+\.\d+ GET \/logged\.htm x=1 80 - 127\.0\.0\.1 test\+agent\/1\.0 - 404 0 2 \d+\r\n/);
  });
});
