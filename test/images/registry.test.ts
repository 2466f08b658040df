// Push and pull through a real registry (Debian's docker-registry): the
// migration scenario of issue 9 (host A commits and pushes, host B pulls and
// runs), docker's progress lines, foreign base layers not pushed, blobs
// already there not sent again, cross-repository mounts; skopeo reads what
// winsilo pushed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Host } from '../../src/host/host.js';
import { REG_SZ } from '../../src/kernel/registry/index.js';
import type { ProgressEvent } from '../../src/images/registry/types.js';
import type { HostImageFormats } from '../../src/host/types.js';
import { startRegistry, type RunningRegistry } from './support/registry.js';
import { startAuthProxy } from './support/auth-proxy.js';

const NANO = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';

async function output(io: { stdout: { read(): Promise<Uint8Array | null> } | null; wait(): Promise<number> }): Promise<string> {
  const parts: Uint8Array[] = [];
  for (let b = await io.stdout!.read(); b !== null; b = await io.stdout!.read()) parts.push(b);
  await io.wait();
  return Buffer.concat(parts).toString('utf8');
}

describe('push and pull through docker-registry', () => {
  let registry: RunningRegistry;
  let a: Host;
  let ref: string;
  const pushed: ProgressEvent[] = [];
  let pushMs = 0;
  beforeAll(async () => {
    registry = await startRegistry();
    ref = `${registry.address}/winsilo/app:v1`;
    a = await Host.open({ clock: () => 1_763_000_000_000 });
    const formats: HostImageFormats = a; // Host has the image-format entry points the daemon types against.
    void formats;
    await a.pull(NANO);
    a.registerProgram('C:\\Windows\\System32\\change.exe', (ctx) => {
      const h = ctx.fs!.open('C:\\moved.txt', 'C:\\', { disposition: 'create', write: true });
      h.write(0, new TextEncoder().encode('from host A'));
      h.close();
      ctx.registry!.createKey('HKLM\\SOFTWARE\\Moved');
      ctx.registry!.setValue('HKLM\\SOFTWARE\\Moved', { name: 'From', type: REG_SZ, data: 'A' });
      return 0;
    });
    const c = await a.createContainer({ image: NANO, cmd: ['change.exe'] });
    await (await c.start()).wait();
    await c.wait();
    await a.commit(c.id, { reference: ref });
    const t = performance.now();
    await a.push(ref, { onProgress: (e) => pushed.push(e) });
    pushMs = performance.now() - t;
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await registry?.stop();
  });

  test("push: docker's lines, the foreign base layer not sent, the digest in RepoDigests", () => {
    const image = a.image(ref)!;
    const own = image.layers[1]!;
    void own;
    const statuses = pushed.map((e) => e.status.replace(/sha256:[0-9a-f]{64}/, 'sha256:X').replace(/size: \d+/, 'size: N'));
    expect(statuses[0]).toBe(`The push refers to repository [${registry.address}/winsilo/app]`);
    expect(statuses.filter((s) => s === 'Preparing')).toHaveLength(1);
    expect(statuses).toContain('Pushed');
    expect(statuses.at(-2)).toBe('v1: digest: sha256:X size: N');
    expect(pushed.at(-1)!.aux).toMatchObject({ Tag: 'v1' });
    expect(a.images().find((i) => i.Id === image.id)!.RepoDigests).toEqual([`${registry.address}/winsilo/app@${pushed.at(-1)!.aux!.Digest}`]);
    console.log(`push of a nanoserver commit: ${pushMs.toFixed(0)} ms`);
  });

  test('skopeo reads the pushed manifest: schema 2, the base layer foreign with its url', () => {
    const raw = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`], { encoding: 'utf8' }));
    expect(raw.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(raw.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual(['application/vnd.docker.image.rootfs.foreign.diff.tar', 'application/vnd.docker.image.rootfs.diff.tar.gzip']);
    expect(raw.layers[0].urls[0]).toMatch(/^https:\/\/mcr\.microsoft\.com\/v2\/windows\/nanoserver\/blobs\/sha256:/);
    const info = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${ref}`], { encoding: 'utf8' }));
    expect(info).toMatchObject({ Os: 'windows', Architecture: 'amd64' });
  });

  test('a second push sends nothing again; a push to another repository mounts the layer', async () => {
    const again: ProgressEvent[] = [];
    await a.push(ref, { onProgress: (e) => again.push(e) });
    expect(again.map((e) => e.status)).toContain('Layer already exists');
    const other = `${registry.address}/winsilo/copy:v1`;
    a.tagImage(ref, other);
    const mounted: ProgressEvent[] = [];
    await a.push(other, { onProgress: (e) => mounted.push(e) });
    expect(mounted.map((e) => e.status)).toContain('Mounted from winsilo/app');
  });

  test('host B pulls the image and its container sees host A’s file and registry value', async () => {
    const b = await Host.open({ clock: () => 1_763_000_000_000 });
    try {
      const events: ProgressEvent[] = [];
      const t = performance.now();
      const image = await b.pullFromRegistry(ref, { onProgress: (e) => events.push(e) });
      console.log(`pull on a fresh host (base synthesized, own layer downloaded): ${(performance.now() - t).toFixed(0)} ms`);
      expect(image.id).toBe(a.image(ref)!.id);
      // docker lists the image pulled, not the base its foreign layer resolved to.
      expect(b.images().map((i) => i.RepoTags)).toEqual([[ref]]);
      expect(image.layers[0]!.foreign).toBe(true);
      const s = events.map((e) => e.status);
      expect(s[0]).toBe('Pulling from winsilo/app');
      expect(s).toContain('Pull complete');
      expect(s.at(-1)).toMatch(/^Digest: sha256:[0-9a-f]{64}$/);
      b.registerProgram('C:\\Windows\\System32\\look.exe', async (ctx) => {
        const h = ctx.fs!.open('C:\\moved.txt', 'C:\\', { disposition: 'open', read: true });
        const buf = new Uint8Array(11);
        h.read(0, buf);
        h.close();
        await ctx.stdout.write(`${new TextDecoder().decode(buf)} ${String(ctx.registry!.getValue('HKLM\\SOFTWARE\\Moved', 'From').data)}`);
        return 0;
      });
      const c = await b.createContainer({ image: ref, cmd: ['look.exe'] });
      expect(await output(await c.start())).toBe('from host A A');
      // Pulling again downloads nothing.
      const second: ProgressEvent[] = [];
      await b.pullFromRegistry(ref, { onProgress: (e) => second.push(e) });
      expect(second.filter((e) => e.status === 'Already exists')).toHaveLength(2);
    } finally {
      await b.close();
    }
  }, 60_000);

  test('an unknown repository is moby\'s "manifest for … not found" with what docker-registry said (MANIFEST_UNKNOWN)', async () => {
    const b = await Host.open();
    try {
      await expect(b.pullFromRegistry(`${registry.address}/nothing/here:v1`)).rejects.toThrow(`manifest for ${registry.address}/nothing/here:v1 not found: manifest unknown: manifest unknown`);
    } finally {
      await b.close();
    }
  });

  for (const mode of ['basic', 'bearer'] as const) {
    test(`a ${mode} challenge is answered with the credentials; without them the push is refused`, async () => {
      const proxy = await startAuthProxy(registry.address, mode, 'winsilo', 's3cret');
      try {
        const behind = `${proxy.address}/winsilo/app:${mode}`;
        a.tagImage(ref, behind);
        await expect(a.push(behind)).rejects.toMatchObject({ status: 401 });
        const r = await a.push(behind, { auth: { username: 'winsilo', password: 's3cret' } });
        expect(r.digest).toMatch(/^sha256:/);
        expect(proxy.challenges.length).toBeGreaterThan(0);
        const b = await Host.open();
        try {
          const image = await b.pullFromRegistry(behind, { auth: { username: 'winsilo', password: 's3cret' } });
          expect(image.id).toBe(a.image(ref)!.id);
        } finally {
          await b.close();
        }
      } finally {
        await proxy.stop();
      }
    }, 60_000);
  }

  test('a 503 on the first blob upload request and the first manifest read is retried, and push and pull go through', async () => {
    const proxy = await startAuthProxy(registry.address, 'flaky', '', '', ['POST', 'PATCH', 'GET']);
    try {
      // A repository this process never pushed to through this address: the layer goes up by POST + PATCH + PUT.
      const fresh = `${proxy.address}/winsilo/fresh:v1`;
      a.tagImage(ref, fresh);
      const again: ProgressEvent[] = [];
      await a.push(fresh, { onProgress: (e) => again.push(e) });
      const b = await Host.open();
      try {
        expect((await b.pullFromRegistry(fresh)).id).toBe(a.image(ref)!.id);
      } finally {
        await b.close();
      }
      expect(proxy.challenges).toEqual(expect.arrayContaining(['503 POST', '503 PATCH', '503 GET']));
      expect(again.map((e) => e.status)).toContain('Pushed');
    } finally {
      await proxy.stop();
    }
  }, 60_000);

  test('with non-distributable artifacts allowed the base layer is pushed too, and skopeo copies the image out and back', async () => {
    const full = `${registry.address}/winsilo/full:v1`;
    a.tagImage(ref, full);
    const events: ProgressEvent[] = [];
    await a.push(full, { allowNondistributable: true, onProgress: (e) => events.push(e) });
    expect(events.filter((e) => e.status === 'Pushed')).toHaveLength(1);
    expect(events.filter((e) => e.status === 'Preparing')).toHaveLength(2);
    const dir = mkdtempSync(join(tmpdir(), 'winsilo-skopeo-'));
    try {
      execFileSync('skopeo', ['copy', '--src-tls-verify=false', `docker://${full}`, `dir:${join(dir, 'img')}`], { stdio: 'pipe' });
      execFileSync('skopeo', ['copy', '--dest-tls-verify=false', `dir:${join(dir, 'img')}`, `docker://${registry.address}/winsilo/back:v1`], { stdio: 'pipe' });
      const b = await Host.open();
      try {
        expect((await b.pullFromRegistry(`${registry.address}/winsilo/back:v1`)).id).toBe(a.image(ref)!.id);
      } finally {
        await b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
