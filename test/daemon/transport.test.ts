// The transport and identity of the daemon (docker-engine-api.md §1, §2.1,
// §3.1, §4, §5.1): negotiation, /_ping, every answer's headers, the error
// form; the hijacked attach at the byte level (moby's 101 and content
// types, stdcopy frames, the client's half-close right after the upgrade —
// gotcha 3 —, dockerode's attach without Upgrade as a streamed 200 —
// gotcha 16 —, wait headers flushed — gotcha 1); malformed requests and
// vanishing clients never take the daemon down (gotcha 18); `docker
// version` and `docker info` through the real CLI.
import fc from 'fast-check';
import { connect } from 'node:net';
import { describe, expect, test } from 'vitest';
import { demultiplex } from '../../src/daemon/stdcopy.js';
import { numRuns, SEED } from '../support/budget.js';
import { NANOSERVER, useDaemon } from './support.js';

const d = useDaemon();

describe('transport: ping, headers, versions, errors', () => {
  test('HEAD and GET /_ping answer with the headers the CLI negotiates from', async () => {
    const head = await d().http('HEAD', '/_ping');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['api-version']).toBe('1.50');
    expect(head.headers['ostype']).toBe('windows');
    expect(head.headers['docker-experimental']).toBe('false');
    expect(head.headers['swarm']).toBe('inactive');
    expect(head.headers['cache-control']).toBe('no-cache, no-store, must-revalidate');
    expect(head.headers['pragma']).toBe('no-cache');
    const get = await d().http('GET', '/_ping');
    expect(get.body).toBe('OK');
    expect(get.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  test('every answer says Server: Docker/28.2.2 (windows) (the CLI reads the OS from it)', async () => {
    for (const path of ['/_ping', '/v1.50/version', '/v1.50/containers/nosuch/json', '/nosuch']) {
      expect((await d().http('GET', path)).headers['server']).toBe('Docker/28.2.2 (windows)');
    }
  });

  test('an unknown route or method is 404 page not found, as JSON with exactly application/json', async () => {
    const r = await d().http('GET', '/v1.50/nosuch');
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body)).toEqual({ message: 'page not found' });
    expect((await d().http('PUT', '/v1.50/version')).status).toBe(404);
  });

  test('versions outside 1.24–1.50 are refused with moby’s texts; bare paths mean the newest', async () => {
    const tooNew = await d().http('GET', '/v1.51/version');
    expect(tooNew.status).toBe(400);
    expect(JSON.parse(tooNew.body).message).toBe('client version 1.51 is too new. Maximum supported API version is 1.50');
    const tooOld = await d().http('GET', '/v1.20/version');
    expect(tooOld.status).toBe(400);
    expect(tooOld.body).toBe('client version 1.20 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version\n');
    expect(JSON.parse((await d().http('GET', '/version')).body).ApiVersion).toBe('1.50');
    expect((await d().http('GET', '/v1.24/version')).status).toBe(200);
  });

  test('a malformed body is a 400 and the daemon goes on serving', async () => {
    const r = await d().http('POST', '/v1.50/containers/create', '{"Image": ', { 'Content-Type': 'application/json' });
    expect(r.status).toBe(400);
    expect((await d().http('GET', '/_ping')).status).toBe(200);
  });

  test('a client that negotiates down is served at its version (DOCKER_API_VERSION=1.41)', async () => {
    const r = await d().docker(['version', '--format', '{{.Client.APIVersion}}'], { env: { DOCKER_API_VERSION: '1.41' } });
    expect(r).toMatchObject({ code: 0, stdout: '1.41\n' });
  });
});

describe('docker version and docker info', () => {
  test('docker version shows a Windows engine 28.2.2', async () => {
    const r = await d().docker(['version', '--format', '{{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}} {{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.KernelVersion}}']);
    expect(r).toEqual({ code: 0, stderr: '', stdout: 'windows/amd64 1.50 1.24 10.0 20348 (20348.1.amd64fre.fe_release.210507-1500)\n'.replace(/^/, '28.2.2 ') });
  });

  test('docker info shows the Windows fields: windowsfilter, Default Isolation, kernel and OS of the host build', async () => {
    const r = await d().docker(['info']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const line of [
      ' Storage Driver: windowsfilter',
      '  Windows: ',
      ' Logging Driver: json-file',
      '  Network: ics internal l2bridge l2tunnel nat null overlay private transparent',
      '  Log: awslogs etwlogs fluentd gcplogs gelf json-file local splunk syslog',
      ' Swarm: inactive',
      ' Default Isolation: process',
      ' Kernel Version: 10.0 20348 (20348.1.amd64fre.fe_release.210507-1500)',
      ' OSType: windows',
      ' Architecture: x86_64',
      ' Docker Root Dir: C:\\ProgramData\\docker',
    ]) {
      expect(r.stdout.split('\n')).toContain(line);
    }
    expect(r.stdout).toMatch(/^ Operating System: Microsoft Windows Server Version 21H2 \(OS Build 20348\.\d+\)$/m);
    expect(r.stdout).not.toMatch(/Cgroup|runc|Init Binary/);
  });
});

/** Sends a raw request; resolves with everything the daemon wrote until it closed. `halfClose` ends our side right after sending. */
function raw(request: string, halfClose: boolean, afterHeaders?: () => Promise<unknown>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = connect(d().socket);
    const parts: Buffer[] = [];
    let fired = false;
    s.on('data', (c: Buffer) => {
      parts.push(c);
      if (!fired && Buffer.concat(parts).includes('\r\n\r\n')) {
        fired = true;
        void afterHeaders?.();
      }
    });
    s.on('end', () => resolve(Buffer.concat(parts)));
    s.on('error', reject);
    s.write(request);
    if (halfClose) s.end();
  });
}

async function create(cmd: string[], tty = false): Promise<string> {
  const r = await d().http('POST', '/v1.50/containers/create', JSON.stringify({ Image: NANOSERVER, Cmd: cmd, Tty: tty, AttachStdout: true, AttachStderr: true }), { 'Content-Type': 'application/json' });
  expect(r.status).toBe(201);
  return JSON.parse(r.body).Id as string;
}

const start = (id: string) => d().http('POST', `/v1.50/containers/${id}/start`);

describe('attach', () => {
  test('Upgrade: tcp gets moby’s 101 UPGRADED with the multiplexed type, then stdcopy frames; the client’s half-close loses nothing', async () => {
    const id = await create(['say.exe', 'framed']);
    const got = await raw(
      `POST /v1.50/containers/${id}/attach?stderr=1&stdout=1&stream=1 HTTP/1.1\r\nHost: api.moby.localhost\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n`,
      true,
      () => start(id),
    );
    const text = got.toString('latin1');
    const head = text.slice(0, text.indexOf('\r\n\r\n'));
    expect(head.split('\r\n').slice(0, 4)).toEqual(['HTTP/1.1 101 UPGRADED', 'Content-Type: application/vnd.docker.multiplexed-stream', 'Connection: Upgrade', 'Upgrade: tcp']);
    expect(head).toContain('Server: Docker/28.2.2 (windows)');
    const frames = demultiplex(got.subarray(got.indexOf('\r\n\r\n') + 4));
    expect(frames.map((f) => [f.stream, f.payload.toString()])).toEqual([[1, 'framed\r\n']]);
  });

  test('before API 1.42 the stream is labelled raw-stream (still framed without a tty)', async () => {
    const id = await create(['say.exe', 'old']);
    const got = await raw(`POST /v1.41/containers/${id}/attach?stdout=1&stream=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`, true, () => start(id));
    expect(got.toString('latin1')).toContain('Content-Type: application/vnd.docker.raw-stream\r\n');
    expect(demultiplex(got.subarray(got.indexOf('\r\n\r\n') + 4))[0]!.payload.toString()).toBe('old\r\n');
  });

  test('a tty container’s stream is raw bytes', async () => {
    const id = await create(['say.exe', 'raw'], true);
    const got = await raw(`POST /v1.50/containers/${id}/attach?stdout=1&stream=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`, true, () => start(id));
    expect(got.toString('latin1')).toContain('Content-Type: application/vnd.docker.raw-stream\r\n');
    expect(got.subarray(got.indexOf('\r\n\r\n') + 4).toString()).toContain('raw\r\n');
  });

  test('without Upgrade (dockerode) the answer is a streamed 200, not a 404', async () => {
    const id = await create(['say.exe', 'plain']);
    const got = await raw(`POST /containers/${id}/attach?stream=true&stdout=true&stderr=true HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, false, () => start(id));
    const text = got.toString('latin1');
    expect(text.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(text).toContain('plain\r\n');
  });

  test('an error before the upgrade is an ordinary JSON error', async () => {
    const got = (await raw(`POST /v1.50/containers/nosuch/attach?stdout=1&stream=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`, false)).toString();
    expect(got.startsWith('HTTP/1.1 404 Not Found\r\n')).toBe(true);
    expect(got).toContain('Content-Type: application/json\r\n');
    expect(got.endsWith('{"message":"No such container: nosuch"}\n')).toBe(true);
  });
});

describe('wait', () => {
  test('the headers of a wait are flushed before the container exits (gotcha 1)', async () => {
    const id = await create(['idle.exe']);
    await start(id);
    const got: Buffer[] = [];
    const s = connect(d().socket);
    const headers = new Promise<void>((resolve) =>
      s.on('data', (c: Buffer) => {
        got.push(c);
        if (Buffer.concat(got).includes('\r\n\r\n')) resolve();
      }),
    );
    const ended = new Promise<void>((resolve) => s.on('end', () => resolve()));
    s.write(`POST /v1.50/containers/${id}/wait?condition=next-exit HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    await headers;
    expect(Buffer.concat(got).toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect((await d().http('POST', `/v1.50/containers/${id}/kill`)).status).toBe(204);
    await ended;
    expect(Buffer.concat(got).toString()).toMatch(/\{"StatusCode":\d+\}\n/);
  });
});

const ROUTES: [string, string][] = [
  ['POST', '/v1.50/containers/create'],
  ['POST', '/v1.50/containers/create?name=x%20y'],
  ['POST', '/v1.50/containers/nosuch/exec'],
  ['POST', '/v1.50/exec/nosuch/start'],
  ['POST', '/v1.50/containers/nosuch/update'],
  ['GET', '/v1.50/containers/json?filters='],
  ['GET', '/v1.50/events?until=1&filters='],
  ['GET', '/v1.50/images/json?filters='],
];

describe('malformed requests', () => {
  test('arbitrary bodies and filters: a JSON answer below 500 (or a create that worked), and the daemon goes on', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.oneof(fc.json(), fc.string(), fc.constant('{"Image":"' + NANOSERVER + '","HostConfig":{"Binds":5}}')), async ([method, path], body) => {
        const p = path.endsWith('filters=') ? path + encodeURIComponent(body) : path;
        const r = await d().http(method, p, method === 'POST' ? body : undefined, { 'Content-Type': 'application/json' });
        expect(r.status).toBeLessThan(500);
        if (r.status >= 400) expect(typeof JSON.parse(r.body).message).toBe('string');
        expect((await d().http('GET', '/_ping')).body).toBe('OK');
      }),
      { seed: SEED, numRuns: numRuns(60) },
    );
  });

  test('a client that disconnects in the middle of an attach, a wait and an events stream leaves the daemon serving', async () => {
    const id = JSON.parse((await d().http('POST', '/v1.50/containers/create', JSON.stringify({ Image: NANOSERVER, Cmd: ['idle.exe'] }), { 'Content-Type': 'application/json' })).body).Id as string;
    for (const req of [
      `POST /v1.50/containers/${id}/attach?stdout=1&stderr=1&stream=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`,
      `POST /v1.50/containers/${id}/wait?condition=next-exit HTTP/1.1\r\nHost: x\r\n\r\n`,
      `GET /v1.50/events HTTP/1.1\r\nHost: x\r\n\r\n`,
    ]) {
      await new Promise<void>((resolve) => {
        const s = connect(d().socket);
        s.on('data', () => {
          s.destroy();
          resolve();
        });
        s.write(req);
      });
    }
    expect((await d().http('POST', `/v1.50/containers/${id}/start`)).status).toBe(204);
    expect((await d().http('POST', `/v1.50/containers/${id}/kill`)).status).toBe(204);
    expect((await d().docker(['wait', id])).code).toBe(0);
    expect((await d().http('GET', '/_ping')).body).toBe('OK');
  });

  test('garbage that is not HTTP is answered 400 and closed', async () => {
    const got = await new Promise<string>((resolve) => {
      const s = connect(d().socket);
      let t = '';
      s.on('data', (c: Buffer) => (t += c.toString()));
      s.on('close', () => resolve(t));
      s.write('\x00\x01 not http at all\r\n\r\n');
    });
    expect(got.startsWith('HTTP/1.1 400 Bad Request')).toBe(true);
    expect((await d().http('GET', '/_ping')).body).toBe('OK');
  });
});
