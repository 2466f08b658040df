// The seeds' first scenario through the real docker CLI: `docker run -d -p
// HOSTPORT:80 --name iis mcr.microsoft.com/windows/servercore/iis`, the
// page from the host, a new index.html written with docker exec served at
// once, docker port, and docker stop closing the port.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { customErrorPage } from '../../src/net/index.js';
import { useDaemon } from '../daemon/support.js';
import { IIS, freePort, httpGet, waitForW3svc } from './support.js';

const d = useDaemon({ images: [IIS] });

describe('IIS through a published port', () => {
  test('run -d -p serves iisstart.htm; exec writes index.html, served at once; stop closes the port', async () => {
    const port = await freePort();
    const run = await d().docker(['run', '-d', '-p', `${port}:80`, '--name', 'iis', IIS]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    await waitForW3svc(d().docker, 'iis');
    const first = await httpGet(port, '/');
    expect(first.status).toBe(200);
    expect(first.headers['server']).toBe('Microsoft-IIS/10.0');
    expect(first.headers['content-type']).toBe('text/html');
    expect(first.body).toContain('<title>IIS Windows Server</title>');

    expect((await d().docker(['port', 'iis'])).stdout).toBe(`80/tcp -> 0.0.0.0:${port}\n`);
    const ps = await d().docker(['ps', '--format', '{{.Ports}}', '--filter', 'name=iis']);
    expect(ps.stdout).toBe(`0.0.0.0:${port}->80/tcp\n`);

    const exec = await d().docker(['exec', 'iis', 'cmd', '/c', 'echo ^<title^>winsilo^</title^> > C:\\inetpub\\wwwroot\\index.html']);
    expect(exec.code).toBe(0);
    const second = await httpGet(port, '/');
    expect(second.body).toBe('<title>winsilo</title> \r\n');

    expect((await d().docker(['stop', '-t', '1', 'iis'])).code).toBe(0);
    await expect(httpGet(port, '/')).rejects.toThrow(/ECONNREFUSED/);
    expect((await d().docker(['rm', 'iis'])).code).toBe(0);
  }, 60_000);

  test('-P publishes the image’s exposed port 80 on an ephemeral host port; docker port and inspect show it', async () => {
    expect((await d().docker(['run', '-d', '-P', '--name', 'iisP', IIS])).code).toBe(0);
    await waitForW3svc(d().docker, 'iisP');
    const port = (await d().docker(['port', 'iisP', '80'])).stdout;
    const m = /^0\.0\.0\.0:(\d+)\n$/.exec(port);
    expect(m).not.toBeNull();
    const inspect = JSON.parse((await d().docker(['inspect', 'iisP'])).stdout)[0];
    expect(inspect.NetworkSettings.Ports['80/tcp']).toEqual([{ HostIp: '0.0.0.0', HostPort: m![1] }]);
    expect(inspect.NetworkSettings.Networks.nat.IPAddress).toMatch(/^172\.26\.(9[6-9]|10\d|11[01])\.\d+$/);
    expect(inspect.NetworkSettings.Networks.nat.Gateway).toBe('172.26.96.1');
    expect(inspect.NetworkSettings.Networks.nat.MacAddress).toMatch(/^00:15:5d(:[0-9a-f]{2}){3}$/); // Go's net.HardwareAddr form, as moby reports every MAC
    expect((await httpGet(Number(m![1]), '/')).status).toBe(200);
    await d().docker(['rm', '-f', 'iisP']);
  }, 60_000);

  test('a host port already in use fails the start with HNS’s error as moby relays it', async () => {
    const port = await freePort();
    expect((await d().docker(['run', '-d', '-p', `${port}:80`, '--name', 'a1', IIS])).code).toBe(0);
    const second = await d().docker(['run', '-d', '-p', `${port}:80`, '--name', 'a2', IIS]);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toContain(`failed to create endpoint a2 on network nat: failed during hnsCallRawResponse: hnsCall failed in Win32: The process cannot access the file because it is being used by another process. (0x20)`);
    await d().docker(['rm', '-f', 'a1', 'a2']);
  }, 60_000);

  test('docker cp of a page and an edited custerr 404.htm: both served at the next request', async () => {
    const port = await freePort();
    expect((await d().docker(['run', '-d', '-p', `${port}:80`, '--name', 'iiscp', IIS])).code).toBe(0);
    await waitForW3svc(d().docker, 'iiscp');
    const missing = await httpGet(port, '/nope.htm');
    expect(missing.status).toBe(404);
    expect(missing.body).toBe(customErrorPage(404));
    const dir = mkdtempSync(join(tmpdir(), 'winsilo-iis-cp-'));
    try {
      writeFileSync(join(dir, 'page.htm'), '<title>copied</title>');
      writeFileSync(join(dir, '404.htm'), '<h1>our 404</h1>');
      expect(await d().docker(['cp', join(dir, 'page.htm'), 'iiscp:C:/inetpub/wwwroot/page.htm'])).toMatchObject({ code: 0, stderr: '' });
      expect((await httpGet(port, '/page.htm')).body).toBe('<title>copied</title>');
      expect((await d().docker(['cp', join(dir, '404.htm'), 'iiscp:C:/inetpub/custerr/en-US/404.htm'])).code).toBe(0);
      const edited = await httpGet(port, '/nope.htm');
      expect(edited.status).toBe(404);
      expect(edited.body).toBe('<h1>our 404</h1>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await d().docker(['rm', '-f', 'iiscp']);
    }
  }, 60_000);
});
