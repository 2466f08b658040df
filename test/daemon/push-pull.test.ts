// docker push / docker pull against Debian's docker-registry through the
// real docker CLI (issue 9 "Registry"; moby daemon/internal/distribution
// push.go, push_v2.go, pull_v2.go, xfer/upload.go): the CLI's lines, layer
// reuse (already exists, cross-repository mount), foreign base layers
// skipped, RepoDigests, X-Registry-Auth from `docker login`, errors.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startRegistry, type RunningRegistry } from '../images/support/registry.js';
import { startAuthProxy, type AuthProxy } from '../images/support/auth-proxy.js';
import { NANOSERVER, run, useDaemon } from './support.js';

const d = useDaemon();
let registry: RunningRegistry;
let proxy: AuthProxy;
let R = '';

beforeAll(async () => {
  registry = await startRegistry();
  R = registry.address;
  proxy = await startAuthProxy(R, 'basic', 'jane', 's3cret');
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

/** A port nothing listens on (taken from the OS, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

describe('docker push', () => {
  let own = '';
  test('a committed image: Preparing every layer, the foreign base skipped, the own layer Pushed, the digest line', async () => {
    expect((await d().docker(['run', '--name', 'app', NANOSERVER, 'write.exe', 'C:\\app.txt', 'pushed bytes'])).code).toBe(0);
    expect((await d().docker(['commit', '-m', 'app layer', 'app', `${R}/app:v1`])).code).toBe(0);
    const r = await d().docker(['push', `${R}/app:v1`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toBe(`The push refers to repository [${R}/app]`);
    const preparing = out.filter((l) => l.endsWith(': Preparing')).map((l) => l.slice(0, 12));
    expect(preparing.length).toBeGreaterThanOrEqual(2);
    own = preparing[0]!;
    for (const id of preparing.slice(1)) expect(out).toContain(`${id}: Skipped foreign layer`);
    expect(out).toContain(`${own}: Pushed`);
    expect(out[out.length - 1]).toMatch(/^v1: digest: sha256:[0-9a-f]{64} size: \d+$/);
  });

  test('again: Layer already exists; to another repository: Mounted from app; RepoDigests list both', async () => {
    const again = lines((await d().docker(['push', `${R}/app:v1`])).stdout);
    expect(again).toContain(`${own}: Layer already exists`);
    expect((await d().docker(['tag', `${R}/app:v1`, `${R}/other:v1`])).code).toBe(0);
    const other = lines((await d().docker(['push', `${R}/other:v1`])).stdout);
    expect(other).toContain(`${own}: Mounted from app`);
    const digests = JSON.parse((await d().docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', `${R}/app:v1`])).stdout);
    expect(digests).toEqual([expect.stringMatching(new RegExp(`^${R}/app@sha256:[0-9a-f]{64}$`)), expect.stringMatching(new RegExp(`^${R}/other@sha256:[0-9a-f]{64}$`))]);
    const table = await d().docker(['images', '--digests', '--format', '{{.Repository}} {{.Tag}} {{.Digest}}', `${R}/app`]);
    expect(table.stdout).toMatch(new RegExp(`^${R}/app v1 sha256:[0-9a-f]{64}\\n$`));
  });

  test('without a tag every tag of the repository goes', async () => {
    expect((await d().docker(['tag', `${R}/app:v1`, `${R}/app:v2`])).code).toBe(0);
    const out = lines((await d().docker(['push', '--all-tags', `${R}/app`])).stdout);
    expect(out.filter((l) => /^v[12]: digest: /.test(l)).map((l) => l.slice(0, 2))).toEqual(['v1', 'v2']);
  });

  test('errors as moby prints them: no such image, no such tag, a registry nobody answers', async () => {
    expect(await d().docker(['push', `${R}/nosuch:v1`])).toEqual({ code: 1, stdout: `The push refers to repository [${R}/nosuch]\n`, stderr: `An image does not exist locally with the tag: ${R}/nosuch\n` });
    expect(await d().docker(['push', `${R}/app:v9`])).toEqual({ code: 1, stdout: `The push refers to repository [${R}/app]\n`, stderr: `tag does not exist: ${R}/app:v9\n` });
    const port = await closedPort();
    expect((await d().docker(['tag', `${R}/app:v1`, `127.0.0.1:${port}/app:v1`])).code).toBe(0);
    expect(await d().docker(['push', `127.0.0.1:${port}/app:v1`])).toEqual({
      code: 1,
      stdout: `The push refers to repository [127.0.0.1:${port}/app]\n`,
      stderr: `Get "http://127.0.0.1:${port}/v2/": dial tcp 127.0.0.1:${port}: connectex: No connection could be made because the target machine actively refused it.\n`,
    });
  });

  test('credentials: refused without docker login, pushed with it (X-Registry-Auth)', async () => {
    const P = proxy.address;
    expect((await d().docker(['tag', `${R}/app:v1`, `${P}/app:v1`])).code).toBe(0);
    const refused = await d().docker(['push', `${P}/app:v1`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/unauthorized/);
    expect((await d().docker(['login', '-u', 'jane', '--password-stdin', P], { stdin: 's3cret\n' })).code).toBe(0);
    const r = await d().docker(['push', `${P}/app:v1`]);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout).pop()).toMatch(/^v1: digest: sha256:[0-9a-f]{64} size: \d+$/);
  });

  test('a token registry (Bearer realm): the login’s credentials fetch the token', async () => {
    const bearer = await startAuthProxy(R, 'bearer', 'jane', 's3cret');
    try {
      const B = bearer.address;
      expect((await d().docker(['tag', `${R}/app:v1`, `${B}/winsilo/app:v1`])).code).toBe(0);
      expect((await d().docker(['login', '-u', 'jane', '--password-stdin', B], { stdin: 's3cret\n' })).code).toBe(0);
      const r = await d().docker(['push', `${B}/winsilo/app:v1`]);
      expect(r.stderr).toBe('');
      expect(lines(r.stdout).pop()).toMatch(/^v1: digest: sha256:[0-9a-f]{64} size: \d+$/);
      expect(bearer.challenges.length).toBeGreaterThan(0);
      await d().docker(['rmi', `${B}/winsilo/app:v1`]);
    } finally {
      await bearer.stop();
    }
  });
});

describe('docker pull from a registry', () => {
  test('after rmi: the base Already exists, the own layer downloaded; Digest and Status lines; then up to date', async () => {
    for (const t of [`${R}/app:v1`, `${R}/app:v2`, `${R}/other:v1`, `${proxy.address}/app:v1`]) await d().docker(['rmi', '-f', t]);
    const ports = (await d().docker(['images', '--format', '{{.Repository}}'])).stdout.split('\n').filter((x) => x.startsWith('127.0.0.1:'));
    for (const p of ports) await d().docker(['rmi', '-f', `${p}:v1`]);
    const r = await d().docker(['pull', `${R}/app:v1`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toBe('v1: Pulling from app');
    expect(out.some((l) => /^[0-9a-f]{12}: Already exists$/.test(l))).toBe(true);
    const fresh = out.filter((l) => /: Pull complete$/.test(l)).map((l) => l.slice(0, 12));
    expect(fresh).toHaveLength(1);
    for (const s of ['Pulling fs layer', 'Verifying Checksum', 'Download complete']) expect(out).toContain(`${fresh[0]}: ${s}`);
    expect(out.slice(-3)).toEqual([expect.stringMatching(/^Digest: sha256:[0-9a-f]{64}$/), `Status: Downloaded newer image for ${R}/app:v1`, `${R}/app:v1`]);
    expect(await d().docker(['run', '--rm', `${R}/app:v1`, 'type.exe', 'C:\\app.txt'])).toMatchObject({ code: 0, stdout: 'pushed bytes' });
    // The image is here: moby's pullSchema2 stops at the config, so no layer is listed.
    const again = lines((await d().docker(['pull', `${R}/app:v1`])).stdout);
    expect(again).toEqual(['v1: Pulling from app', expect.stringMatching(/^Digest: sha256:[0-9a-f]{64}$/), `Status: Image is up to date for ${R}/app:v1`, `${R}/app:v1`]);
  });

  test('docker run of an image not here pulls it from its registry first', async () => {
    expect((await d().docker(['rmi', `${R}/app:v1`])).code).toBe(0);
    const r = await d().docker(['run', '--rm', `${R}/app:v1`, 'type.exe', 'C:\\app.txt']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('pushed bytes');
    expect(r.stderr).toMatch(new RegExp(`^Unable to find image '${R}/app:v1' locally\\nv1: Pulling from app\\n`));
    expect(r.stderr).toContain(`Status: Downloaded newer image for ${R}/app:v1\n`);
  });

  test('a missing tag and a registry nobody answers are HTTP errors before any line', async () => {
    // moby's notFoundError over distribution's error codes.
    expect(await d().docker(['pull', `${R}/app:nosuch`])).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: manifest for ${R}/app:nosuch not found: manifest unknown: manifest unknown\n` });
    // distribution 2.8 answers MANIFEST_UNKNOWN for a repository it never had, too.
    expect(await d().docker(['pull', `${R}/nosuch:v1`])).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: manifest for ${R}/nosuch:v1 not found: manifest unknown: manifest unknown\n` });
    const port = await closedPort();
    expect(await d().docker(['pull', `127.0.0.1:${port}/app:v1`])).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error response from daemon: Get "http://127.0.0.1:${port}/v2/": dial tcp 127.0.0.1:${port}: connectex: No connection could be made because the target machine actively refused it.\n`,
    });
  });
});

describe('docker-py on the image endpoints', () => {
  test('commit, save, load, push with auth_config, pull', async () => {
    const script = fileURLToPath(new URL('./dockerpy-images.py', import.meta.url));
    const r = await run('python3', [script, `unix://${d().socket}`, R], { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d().dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      commit_id: true,
      commit_tags: [`${R}/py:v1`],
      saved_is_tar: true,
      loaded: [[`${R}/py:v1`]],
      push_first: `The push refers to repository [${R}/py]`,
      push_last: 'v1',
      push_pushed: true,
      pulled_tags: [`${R}/py:v1`],
      pulled_digests: 1,
    });
  });
});
