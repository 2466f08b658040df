// IIS's custom error pages are the image's files in C:\inetpub\custerr\en-US
// (IIS 10's pages byte for byte; an edited page is what is served), and the
// site's cache of file attributes and bytes never serves a stale answer:
// whatever changes C: is seen at the next request.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Host, type Container } from '../../src/host/host.js';
import type { FileSystemView } from '../../src/kernel/fs/types.js';
import { readToEnd } from '../../src/kernel/fs/whole-file.js';
import { CUSTERR_STATUSES, customErrorPage } from '../../src/net/iis/custerr.js';
import { w3svcRunning } from '../../src/net/index.js';
import { IIS, httpGet } from './support.js';

let host: Host;
let c: Container;
let port: number;
let fs: FileSystemView;

function write(path: string, text: string): void {
  const h = fs.open(path, 'C:\\', { disposition: 'overwriteIf', write: true, nonDirectory: true });
  h.setSize(0);
  h.write(0, Buffer.from(text, 'latin1'));
  h.close();
}

function readBytes(path: string): Buffer {
  const h = fs.open(path, 'C:\\', { disposition: 'open', read: true, nonDirectory: true, shareRead: true, shareWrite: true });
  try {
    return Buffer.from(readToEnd(h));
  } finally {
    h.close();
  }
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

describe('custerr pages', () => {
  test('the image holds IIS 10’s nine pages, CRLF, one CRLF after </html>; 404.htm is 1245 bytes and 501.htm 1508 (IIS 10’s Content-Lengths)', () => {
    const names = fs.list('C:\\inetpub\\custerr\\en-US', 'C:\\').map((f) => f.name);
    expect(names).toEqual(['401.htm', '403.htm', '404.htm', '405.htm', '406.htm', '412.htm', '500.htm', '501.htm', '502.htm']);
    for (const code of CUSTERR_STATUSES) {
      const bytes = readBytes(`C:\\inetpub\\custerr\\en-US\\${code}.htm`);
      expect(bytes.toString('latin1')).toBe(customErrorPage(code));
      expect(bytes.toString('latin1').endsWith('</html>\r\n')).toBe(true);
      expect(bytes.toString('latin1').replace(/\r\n/g, '')).not.toContain('\n');
    }
    expect(readBytes('C:\\inetpub\\custerr\\en-US\\404.htm').length).toBe(1245);
    expect(readBytes('C:\\inetpub\\custerr\\en-US\\501.htm').length).toBe(1508);
  });

  test('a 404 is 404.htm as on disk, Content-Length 1245', async () => {
    const r = await httpGet(port, '/nothing-here.htm');
    expect(r.status).toBe(404);
    expect(r.headers['content-length']).toBe('1245');
    expect(r.body).toBe(customErrorPage(404));
  });

  test('an edited 404.htm is served at the next request; restored, the original again', async () => {
    const original = readBytes('C:\\inetpub\\custerr\\en-US\\404.htm').toString('latin1');
    write('C:\\inetpub\\custerr\\en-US\\404.htm', '<h1>our own 404</h1>');
    const r = await httpGet(port, '/missing-again.htm');
    expect(r.status).toBe(404);
    expect(r.body).toBe('<h1>our own 404</h1>');
    write('C:\\inetpub\\custerr\\en-US\\404.htm', original);
    expect((await httpGet(port, '/missing-again.htm')).body).toBe(customErrorPage(404));
  });

  test('a 403.14 (directory without default document) sends 403.htm', async () => {
    fs.createDirectory('C:\\inetpub\\wwwroot\\nodefault', 'C:\\');
    const r = await httpGet(port, '/nodefault/');
    expect(r.status).toBe(403);
    expect(r.body).toBe(customErrorPage(403));
  });
});

describe('the site’s file cache', () => {
  test('a file created after a 404 for it is served at once; deleted, 404 again; same size and time rewritten: new bytes', async () => {
    expect((await httpGet(port, '/later.txt')).status).toBe(404);
    expect((await httpGet(port, '/later.txt')).status).toBe(404);
    write('C:\\inetpub\\wwwroot\\later.txt', 'aaaa');
    expect((await httpGet(port, '/later.txt')).body).toBe('aaaa');
    expect((await httpGet(port, '/later.txt')).body).toBe('aaaa');
    // Same size; the last write time is then set back to what it was: only the volume's change count tells.
    const before = fs.stat('C:\\inetpub\\wwwroot\\later.txt', 'C:\\').lastWriteTime;
    write('C:\\inetpub\\wwwroot\\later.txt', 'bbbb');
    fs.setTimes('C:\\inetpub\\wwwroot\\later.txt', 'C:\\', { lastWriteTime: before });
    const r = await httpGet(port, '/later.txt');
    expect(r.body).toBe('bbbb');
    fs.deleteFile('C:\\inetpub\\wwwroot\\later.txt', 'C:\\');
    expect((await httpGet(port, '/later.txt')).status).toBe(404);
  });

  test('a directory replacing a file turns the answer into the courtesy redirect at once', async () => {
    write('C:\\inetpub\\wwwroot\\thing', 'x');
    expect((await httpGet(port, '/thing')).status).toBe(404); // no extension: not in the MIME map (404.3)
    fs.deleteFile('C:\\inetpub\\wwwroot\\thing', 'C:\\');
    fs.createDirectory('C:\\inetpub\\wwwroot\\thing', 'C:\\');
    expect((await httpGet(port, '/thing')).status).toBe(301);
  });

  test('files under a bound host directory (changed on the host, outside C:’s count) are never served stale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'winsilo-iis-bind-'));
    try {
      writeFileSync(join(dir, 'b.txt'), 'first');
      const bc = (await host.createContainer({ image: IIS, binds: [{ hostPath: dir, containerPath: 'C:\\inetpub\\wwwroot\\bound', readOnly: false }], portBindings: { '80/tcp': [{ HostIp: '', HostPort: '0' }] } })) as Container;
      await bc.start();
      const silo = bc.computeSystem!.silo!;
      for (let i = 0; i < 10_000 && !w3svcRunning(silo); i++) await new Promise((r) => setImmediate(r));
      const bport = bc.networkState.ports[0]!.hostPort;
      expect((await httpGet(bport, '/bound/b.txt')).body).toBe('first');
      expect((await httpGet(bport, '/bound/later.txt')).status).toBe(404);
      writeFileSync(join(dir, 'b.txt'), 'other');
      writeFileSync(join(dir, 'later.txt'), 'now here');
      expect((await httpGet(bport, '/bound/b.txt')).body).toBe('other');
      expect((await httpGet(bport, '/bound/later.txt')).body).toBe('now here');
      await bc.stop(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
