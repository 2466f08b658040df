// curl.exe: file:// URLs and the container's own loopback work; everything else fails in curl's own words (no network until issue 10).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../support.js';
import { startContainer, type Running } from './exec-support.js';

const IIS = 'mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022';
const METER = '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\r\n                                 Dload  Upload   Total   Spent    Left  Speed\r\n';
const EMPTY_METER = METER + '\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\r\n';

describe('curl without a network', () => {
  test('no arguments: the try --help hint, exit code 2', async () => {
    expect(await run(['curl'])).toEqual({ stdout: '', stderr: "curl: try 'curl --help' for more information\r\n", exitCode: 2 });
  });

  test('an unknown option', async () => {
    expect(await run(['curl', '--frobnicate', 'x'])).toEqual({ stdout: '', stderr: "curl: option --frobnicate: is unknown\r\ncurl: try 'curl --help' for more information\r\n", exitCode: 2 });
  });

  test('a name that does not resolve: (6), after the progress meter when output is not a console', async () => {
    expect(await run(['curl', 'http://example.com/'])).toEqual({ stdout: '', stderr: EMPTY_METER + 'curl: (6) Could not resolve host: example.com\r\n', exitCode: 6 });
  });

  test('-s silences the error; -sS shows it', async () => {
    expect(await run(['curl', '-s', 'example.com'])).toEqual({ stdout: '', stderr: '', exitCode: 6 });
    expect(await run(['curl', '-sS', 'example.com'])).toEqual({ stdout: '', stderr: 'curl: (6) Could not resolve host: example.com\r\n', exitCode: 6 });
  });

  test('the loopback with nothing listening: (7) connection refused', async () => {
    expect(await run(['curl', '-sS', 'http://localhost:8080/'])).toEqual({
      stdout: '',
      stderr: "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server\r\n",
      exitCode: 7,
    });
  });

  test('an unsupported scheme', async () => {
    expect(await run(['curl', '-sS', 'gopher://x/'])).toEqual({ stdout: '', stderr: 'curl: (1) Protocol "gopher" not supported\r\n', exitCode: 1 });
  });

  test('--version', async () => {
    const r = await run(['curl', '--version']);
    expect(r.stdout.split('\r\n')[0]).toBe('curl 8.9.1 (Windows) libcurl/8.9.1 Schannel zlib/1.3 WinIDN');
  });
});

describe('curl file://', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'winsilo-curl-'));
    writeFileSync(join(dir, 'hello.txt'), 'hello\r\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const binds = () => [{ hostPath: dir, containerPath: 'C:\\t', readOnly: false }];

  test('prints the file to stdout, the meter to stderr', async () => {
    const r = await run(['curl', 'file:///C:/t/hello.txt'], { binds: binds() });
    expect(r).toEqual({ stdout: 'hello\r\n', stderr: METER + '\r100     7  100     7    0     0      7      0 --:--:-- --:--:-- --:--:--     7\r\n', exitCode: 0 });
  });

  test('-o writes the body to a file', async () => {
    const r = await run(['curl', '-s', '-o', 'C:\\t\\copy.txt', 'file:///C:/t/hello.txt'], { binds: binds() });
    expect(r).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(readFileSync(join(dir, 'copy.txt'), 'utf8')).toBe('hello\r\n');
  });

  test('-O names the file after the URL', async () => {
    const r2 = await run(['curl', '-s', '-O', 'file:///C:/License.txt'], { binds: binds(), workingDir: 'C:\\t' });
    expect(r2.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'License.txt'), 'utf8')).toContain('container image');
  });

  test('a missing file: (37)', async () => {
    expect(await run(['curl', '-sS', 'file:///C:/t/none.txt'], { binds: binds() })).toEqual({ stdout: '', stderr: "curl: (37) Couldn't open file /C:/t/none.txt\r\n", exitCode: 37 });
  });
});

describe('curl to IIS on the container\'s own loopback', () => {
  let c: Running;
  beforeAll(async () => {
    c = await startContainer([], { image: IIS });
    // ServiceMonitor has (re)started W3SVC once it prints "started".
    let text = '';
    while (!text.includes('started')) text += Buffer.from((await c.main.stdout!.read())!).toString();
  });
  afterAll(() => c.remove());

  test('GET / serves iisstart.htm', async () => {
    const r = await c.exec(['curl', '-s', 'http://localhost/']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('<title>IIS Windows Server</title>');
  });

  test('-I shows IIS 10\'s headers', async () => {
    const r = await c.exec(['curl', '-sI', 'http://127.0.0.1/iisstart.htm']);
    expect(r.stdout).toMatch(
      /^HTTP\/1\.1 200 OK\r\nContent-Type: text\/html\r\nLast-Modified: .+ GMT\r\nAccept-Ranges: bytes\r\nETag: "[0-9a-f]+:0"\r\nServer: Microsoft-IIS\/10\.0\r\nDate: Mon, 23 Nov 2026 12:00:00 GMT\r\nContent-Length: \d+\r\n\r\n$/,
    );
  });

  test('-f turns a 404 into error 22', async () => {
    expect(await c.exec(['curl', '-fsS', 'http://localhost/missing.htm'])).toEqual({ stdout: '', stderr: 'curl: (22) The requested URL returned error: 404\r\n', exitCode: 22 });
  });

  test('without IIS (Server Core) nothing listens on port 80 either', async () => {
    expect(await run(['curl', '-sS', 'http://127.0.0.1/'])).toEqual({
      stdout: '',
      stderr: "curl: (7) Failed to connect to 127.0.0.1 port 80 after 0 ms: Couldn't connect to server\r\n",
      exitCode: 7,
    });
  });
});
