// docker commit of a stopped container (running refused as on Windows), the
// new layer holding exactly the container's changes; docker save / load in
// the docker-archive format, read by Debian's skopeo.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import tar from 'tar-stream';
import { Host } from '../../src/host/host.js';
import { REG_SZ } from '../../src/kernel/registry/index.js';
import { applyChanges } from '../../src/images/commit.js';

const NANO = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';

async function collect(s: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

async function names(bytes: Buffer): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const ex = tar.extract();
  const done = (async () => {
    for await (const x of ex) {
      const e = x as unknown as AsyncIterable<Uint8Array> & { header: tar.Header };
      const parts: Buffer[] = [];
      for await (const c of e) parts.push(Buffer.from(c));
      out.set(e.header.name, e.header.size < 1 << 20 ? Buffer.concat(parts) : Buffer.alloc(0));
    }
  })();
  ex.end(bytes);
  await done;
  return out;
}

/** A container that writes a file and a registry value, run to its end. */
async function changedContainer(host: Host, name: string): Promise<string> {
  host.registerProgram('C:\\Windows\\System32\\change.exe', (ctx) => {
    const h = ctx.fs!.open('C:\\app.txt', 'C:\\', { disposition: 'create', write: true });
    h.write(0, new TextEncoder().encode('committed\r\n'));
    h.close();
    ctx.fs!.deleteFile('C:\\License.txt', 'C:\\');
    ctx.registry!.createKey('HKLM\\SOFTWARE\\Winsilo');
    ctx.registry!.setValue('HKLM\\SOFTWARE\\Winsilo', { name: 'Committed', type: REG_SZ, data: 'yes' });
    return 0;
  });
  const c = await host.createContainer({ image: NANO, name, cmd: ['change.exe'] });
  const io = await c.start();
  expect(await io.wait()).toBe(0);
  await c.wait();
  return c.id;
}

describe('commit', () => {
  let host: Host;
  beforeAll(async () => {
    host = await Host.open({ clock: () => 1_763_000_000_000 });
    await host.pull(NANO);
  });
  afterAll(() => host.close());

  test('windows does not support commit of a running container', async () => {
    host.registerProgram('C:\\Windows\\System32\\idle.exe', (ctx) => ctx.sleep(2 ** 31 - 1).then(() => 0));
    const c = await host.createContainer({ image: NANO, cmd: ['idle.exe'] });
    await c.start();
    await expect(host.commit(c.id)).rejects.toMatchObject({ status: 500, message: 'windows does not support commit of a running container' });
    await c.kill();
  });

  test('the new image holds the changes (file, deletion, registry value), the config edits, one more history entry; the same container commits to the same digest', async () => {
    const id = await changedContainer(host, 'changer');
    const image = await host.commit(id, { reference: 'committed:v1', author: 'me', comment: 'msg', changes: ['CMD echo hi', 'ENV A=1', 'EXPOSE 80'] });
    const again = await host.commit(id, { author: 'me', comment: 'msg', changes: ['CMD echo hi', 'ENV A=1', 'EXPOSE 80'] });
    expect(again.id).toBe(image.id);
    expect(image.repoTags).toEqual(['committed:v1']);
    expect(image.config.Cmd).toEqual(['cmd', '/S', '/C', 'echo hi']);
    expect(image.config.Env).toContain('A=1');
    expect(image.config.ExposedPorts).toEqual({ '80/tcp': {} });
    expect(image.layers.length).toBe(2);
    const doc = JSON.parse(host.blobs.get(image.id)!.toString('utf8'));
    expect(doc).toMatchObject({ os: 'windows', 'os.version': image.osVersion, architecture: 'amd64', author: 'me' });
    expect(doc.history.at(-1)).toMatchObject({ author: 'me', comment: 'msg', created_by: 'change.exe' });
    expect(doc.rootfs.diff_ids[1]).toBe(image.layers[1]!.diffId);

    // A container of the new image sees the file and the value, not License.txt.
    host.registerProgram('C:\\Windows\\System32\\look.exe', async (ctx) => {
      const h = ctx.fs!.open('C:\\app.txt', 'C:\\', { disposition: 'open', read: true });
      const b = new Uint8Array(11);
      h.read(0, b);
      h.close();
      let license = 'yes';
      try {
        ctx.fs!.stat('C:\\License.txt', 'C:\\');
      } catch {
        license = 'no';
      }
      await ctx.stdout.write(`${new TextDecoder().decode(b).trim()} ${license} ${String(ctx.registry!.getValue('HKLM\\SOFTWARE\\Winsilo', 'Committed').data)}`);
      return 0;
    });
    const c = await host.createContainer({ image: 'committed:v1', cmd: ['look.exe'] });
    const io = await c.start();
    const out: Uint8Array[] = [];
    for (let b = await io.stdout!.read(); b !== null; b = await io.stdout!.read()) out.push(b);
    expect(Buffer.concat(out).toString()).toBe('committed no yes');
  });

  test('a --change docker does not accept is refused with its message', () => {
    expect(() => applyChanges({ Cmd: null, Entrypoint: null, Env: null, User: '', WorkingDir: '', ExposedPorts: null, Labels: null }, ['RUN dir'])).toThrow('run is not a valid change command');
  });
});

describe('save and load', () => {
  let host: Host;
  let dir: string;
  let archive: Buffer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'winsilo-save-'));
    host = await Host.open({ clock: () => 1_763_000_000_000 });
    await host.pull(NANO);
    const id = await changedContainer(host, 'saver');
    await host.commit(id, { reference: 'saved:v1' });
    archive = await collect(host.save(['saved:v1']));
  }, 60_000);
  afterAll(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the archive is an OCI layout and a docker archive: manifest.json, repositories, index.json, oci-layout, blobs', async () => {
    const files = await names(archive);
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    expect(manifest).toHaveLength(1);
    expect(manifest[0].RepoTags).toEqual(['saved:v1']);
    expect(manifest[0].Layers).toHaveLength(2);
    for (const l of manifest[0].Layers) expect(files.has(l)).toBe(true);
    expect(Object.keys(manifest[0].LayerSources)).toHaveLength(1);
    expect(JSON.parse(files.get('oci-layout')!.toString())).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(files.get('index.json')!.toString());
    expect(index.manifests[0].annotations).toEqual({ 'io.containerd.image.name': 'docker.io/library/saved:v1', 'org.opencontainers.image.ref.name': 'v1' });
    const image = host.image('saved:v1')!;
    expect(JSON.parse(files.get('repositories')!.toString())).toEqual({ saved: { v1: image.id.slice(7) } });
    // Same image, same bytes.
    expect((await collect(host.save(['saved:v1']))).equals(archive)).toBe(true);
  });

  test('skopeo inspects the saved image (docker-archive:FILE)', () => {
    const file = join(dir, 'saved.tar');
    writeFileSync(file, archive);
    const out = JSON.parse(execFileSync('skopeo', ['inspect', `docker-archive:${file}`], { encoding: 'utf8' }));
    expect(out).toMatchObject({ Os: 'windows', Architecture: 'amd64' });
    expect(out.Layers).toHaveLength(2);
    const config = JSON.parse(execFileSync('skopeo', ['inspect', '--config', `docker-archive:${file}`], { encoding: 'utf8' }));
    expect(config['os.version']).toBe(host.image('saved:v1')!.osVersion);
  });

  test('umoci reads the archive as an OCI layout: its tag, its config and history', () => {
    const layout = join(dir, 'layout');
    execFileSync('mkdir', ['-p', layout]);
    execFileSync('tar', ['-xf', '-', '-C', layout], { input: archive });
    expect(execFileSync('umoci', ['ls', '--layout', layout], { encoding: 'utf8' }).trim()).toBe('v1');
    const stat = JSON.parse(execFileSync('umoci', ['stat', '--image', `${layout}:v1`, '--json'], { encoding: 'utf8' }));
    expect(stat.history.at(-1).created_by).toBe('change.exe');
  });

  test('load on another host gives the same image id and tag, its base layer resolved to the synthesized one', async () => {
    const other = await Host.open({ clock: () => 1_763_000_000_000 });
    try {
      const lines = await other.load((async function* () {
        yield archive;
      })());
      expect(lines).toEqual(['Loaded image: saved:v1']);
      const image = other.image('saved:v1')!;
      expect(image.id).toBe(host.image('saved:v1')!.id);
      // The base layer is this host's synthesized one (foreign, shared), not a copy from the archive; only the loaded image is listed.
      expect(image.layers.map((l) => [l.diffId, l.foreign])).toEqual(host.image('saved:v1')!.layers.map((l) => [l.diffId, l.foreign]));
      expect(other.images().map((i) => i.RepoTags)).toEqual([['saved:v1']]);
    } finally {
      await other.close();
    }
  });
});

describe('a committed image on a data root', () => {
  test('comes back after a reopen with its id, tag, config blob and files', async () => {
    const root = mkdtempSync(join(tmpdir(), 'winsilo-commit-root-'));
    try {
      let id: string;
      {
        const host = await Host.open({ dataRoot: root, clock: () => 1_763_000_000_000 });
        await host.pull(NANO);
        const c = await changedContainer(host, 'kept');
        id = (await host.commit(c, { reference: 'kept:v1', comment: 'kept' })).id;
        await host.close();
      }
      const host = await Host.open({ dataRoot: root, clock: () => 1_763_000_000_000 });
      try {
        expect(host.loadProblems).toEqual([]);
        const image = host.image('kept:v1')!;
        expect(image.id).toBe(id);
        expect(host.blobs.has(id)).toBe(true);
        expect(JSON.parse(host.blobs.get(id)!.toString()).history.at(-1).comment).toBe('kept');
        const saved = await names(await collect(host.save(['kept:v1'])));
        const m = JSON.parse(saved.get('manifest.json')!.toString())[0];
        expect(m.Config).toBe(`blobs/sha256/${id.slice(7)}`);
        // The committed layer exports to the very tar its diff id names, after the reopen too.
        expect(m.Layers[1]).toBe(`blobs/sha256/${image.layers[1]!.diffId.slice(7)}`);
      } finally {
        await host.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
