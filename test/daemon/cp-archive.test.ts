// docker cp's archives (PUT/GET /containers/{id}/archive) against hostile
// tars, as moby's Untar refuses them (moby/go-archive archive.go:
// `"<name>" is outside of "<dest>"`, `invalid hardlink "<target>" ->
// "<linkname>"`, `invalid symlink "<link>" -> "<linkname>"`); links that
// stay inside are made; reparse points come back out as symlink entries;
// a damaged archive is 400 with Go's archive/tar words.
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import tar from 'tar-stream';
import { beforeAll, describe, expect, test } from 'vitest';
import { unpackTar, type TarEntry } from '../../src/images/tar-stream.js';
import { DAEMON_LIMITS } from '../../src/daemon/limits.js';
import { NANOSERVER, useDaemon } from './support.js';

const d = useDaemon();

type Spec = { name: string; type?: 'file' | 'directory' | 'symlink' | 'link'; body?: string; linkname?: string };

/** A tar written entry by entry as given (tar-stream keeps names as they are, `../` and all). */
async function tarOf(specs: Spec[]): Promise<Buffer> {
  const pack = tar.pack();
  const parts: Buffer[] = [];
  const done = (async () => {
    for await (const c of pack as unknown as AsyncIterable<Buffer>) parts.push(c);
  })();
  for (const s of specs) {
    const type = s.type ?? 'file';
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: s.name, type, mode: 0o644, ...(s.linkname !== undefined ? { linkname: s.linkname } : {}) }, type === 'file' ? Buffer.from(s.body ?? '') : Buffer.alloc(0), (e) => (e ? reject(e) : resolve())),
    );
  }
  pack.finalize();
  await done;
  return Buffer.concat(parts);
}

function put(path: string, body: Buffer): Promise<{ status: number; message: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: d().socket, method: 'PUT', path: `/v1.50/containers/cpsafe/archive?path=${encodeURIComponent(path)}`, headers: { 'Content-Type': 'application/x-tar', 'Content-Length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, message: text === '' ? '' : (JSON.parse(text) as { message?: string }).message ?? '' });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function get(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: d().socket, method: 'GET', path: `/v1.50/containers/cpsafe/archive?path=${encodeURIComponent(path)}` }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    });
    req.on('error', reject);
    req.end();
  });
}

async function exists(path: string): Promise<boolean> {
  return (await d().http('HEAD', `/v1.50/containers/cpsafe/archive?path=${encodeURIComponent(path)}`)).status === 200;
}

beforeAll(async () => {
  expect((await d().docker(['run', '-d', '--name', 'cpsafe', NANOSERVER, 'idle.exe'])).code).toBe(0);
  expect((await put('C:\\', await tarOf([{ name: 'dest', type: 'directory' }]))).status).toBe(200);
});

describe('docker cp into a container: names and links that leave the destination are refused', () => {
  test('`../` names: moby’s breakout text, nothing written outside', async () => {
    for (const name of ['../escaped.txt', 'sub/../../escaped.txt', '..']) {
      const r = await put('C:\\dest', await tarOf([{ name, body: 'x' }]));
      const clean = name === '..' ? '..' : '..\\escaped.txt';
      expect(r).toEqual({ status: 500, message: `${JSON.stringify(clean)} is outside of "C:\\\\dest"` });
    }
    expect(await exists('C:\\escaped.txt')).toBe(false);
  });

  test('a drive-qualified name fails to open under the destination (moby v28 Untar: joined, no `..`); a leading `/` lands under the destination, as moby joins it', async () => {
    const r = await put('C:\\dest', await tarOf([{ name: 'C:/Windows/evil.txt', body: 'x' }]));
    expect(r.status).toBe(500);
    expect(r.message).toMatch(/^open \\\\\?\\Volume\{[0-9a-f-]{36}\}\\dest\\C:\\Windows\\evil\.txt: The filename, directory name, or volume label syntax is incorrect\.$/);
    expect(await exists('C:\\Windows\\evil.txt')).toBe(false);
    expect((await put('C:\\dest', await tarOf([{ name: '/rooted.txt', body: 'inside' }]))).status).toBe(200);
    expect(await exists('C:\\dest\\rooted.txt')).toBe(true);
    expect(await exists('C:\\rooted.txt')).toBe(false);
  });

  test('hard links: to a file inside made; to one outside refused', async () => {
    expect((await put('C:\\dest', await tarOf([{ name: 'a.txt', body: 'linked' }, { name: 'b.txt', type: 'link', linkname: 'a.txt' }]))).status).toBe(200);
    const back: TarEntry[] = [];
    for await (const e of unpackTar([await get('C:\\dest\\b.txt')])) back.push(e);
    expect(Buffer.from(back[0]!.data).toString()).toBe('linked');
    expect(await put('C:\\dest', await tarOf([{ name: 'out.txt', type: 'link', linkname: '../Windows/System32/say.exe' }]))).toEqual({
      status: 500,
      message: 'invalid hardlink "C:\\\\Windows\\\\System32\\\\say.exe" -> "../Windows/System32/say.exe"',
    });
    expect(await exists('C:\\dest\\out.txt')).toBe(false);
  });

  test('symbolic links: relative inside made (and read back as a symlink entry); `..`, absolute and other-drive targets refused', async () => {
    expect((await put('C:\\dest', await tarOf([{ name: 'sub', type: 'directory' }, { name: 'sub/up', type: 'symlink', linkname: '../a.txt' }]))).status).toBe(200);
    const back: TarEntry[] = [];
    for await (const e of unpackTar([await get('C:\\dest\\sub')])) back.push(e);
    expect(back.map((e) => [e.name, e.type, e.linkname ?? ''])).toEqual([
      ['sub/', 'directory', ''],
      ['sub/up', 'symlink', '..\\a.txt'],
    ]);
    for (const linkname of ['../../Windows', 'C:/Windows', '/Windows', 'D:\\data', '\\\\server\\share']) {
      expect(await put('C:\\dest', await tarOf([{ name: 'evil', type: 'symlink', linkname }]))).toEqual({ status: 500, message: `invalid symlink "C:\\\\dest\\\\evil" -> ${JSON.stringify(linkname)}` });
    }
    expect(await exists('C:\\dest\\evil')).toBe(false);
  });

  test('implied folders are made; a damaged archive is 400 with Go’s words', async () => {
    expect((await put('C:\\dest', await tarOf([{ name: 'deep/er/file.txt', body: 'deep' }]))).status).toBe(200);
    expect(await exists('C:\\dest\\deep\\er\\file.txt')).toBe(true);
    const good = await tarOf([{ name: 'x.txt', body: 'y'.repeat(2000) }]);
    expect(await put('C:\\dest', good.subarray(0, 700))).toEqual({ status: 400, message: 'unexpected EOF' });
    const bad = Buffer.from(good);
    bad.fill(0x41, 0, 100);
    bad.fill(0x41, 148, 156);
    expect(await put('C:\\dest', bad)).toEqual({ status: 400, message: 'archive/tar: invalid tar header' });
  });
});

describe('docker cp out of a container', () => {
  test('a link to a folder above is one symlink entry, never walked into (no endless archive)', async () => {
    expect((await put('C:\\dest', await tarOf([{ name: 'loop', type: 'directory' }, { name: 'loop/back', type: 'symlink', linkname: '..' }]))).status).toBe(200);
    const back: TarEntry[] = [];
    for await (const e of unpackTar([await get('C:\\dest\\loop')])) back.push(e);
    expect(back.map((e) => [e.name, e.type, e.linkname ?? ''])).toEqual([
      ['loop/', 'directory', ''],
      ['loop/back', 'symlink', '..'],
    ]);
  });
});

describe('docker cp streams', () => {
  test('a file larger than the daemon’s whole-body limit goes in through the CLI', async () => {
    const big = Buffer.alloc(DAEMON_LIMITS.maxBodyBytes + (1 << 20), 0x61);
    big.write('head', 0);
    big.write('tail', big.length - 4);
    const file = join(d().dir, 'big.bin');
    writeFileSync(file, big);
    expect(await d().docker(['cp', file, 'cpsafe:C:\\dest\\'])).toMatchObject({ code: 0, stderr: '' });
    const r = await d().http('HEAD', `/v1.50/containers/cpsafe/archive?path=${encodeURIComponent('C:\\dest\\big.bin')}`);
    expect(JSON.parse(Buffer.from(String(r.headers['x-docker-container-path-stat']), 'base64').toString()).size).toBe(big.length);
  }, 60_000);
});
