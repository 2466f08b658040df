// Push as a stream (issue 9 "Registry", push within 1.5× of skopeo): the
// layer's tar goes through a multi-member gzip into the upload; the
// compressed blob is kept so a later push sends it without exporting; an
// uncompressed push sends the tar itself. Against Debian's docker-registry.
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Host } from '../../src/host/host.js';
import { GZIP_LIMITS, gzipStream } from '../../src/images/oci.js';
import type { ProgressEvent } from '../../src/images/registry/types.js';
import { startRegistry, type RunningRegistry } from './support/registry.js';

const NANO = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';

async function gzipAll(parts: Uint8Array[]): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const c of gzipStream(parts)) out.push(c);
  return Buffer.concat(out);
}

/** The input cut where the compressor cuts it into members. */
function members(input: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < input.length; at += GZIP_LIMITS.memberBytes) out.push(input.subarray(at, at + GZIP_LIMITS.memberBytes));
  return out;
}

describe('gzip of a layer stream', () => {
  test('is a series of members of memberBytes of input each, the same bytes however the input is chunked, and gunzips back whole', async () => {
    const input = Buffer.alloc(2 * GZIP_LIMITS.memberBytes + 12345);
    for (let i = 0; i < input.length; i++) input[i] = (i * 7919) % 251 < 64 ? 0 : (i * 31) & 0xff;
    const whole = await gzipAll([input]);
    const chunked = await gzipAll([input.subarray(0, 1000), input.subarray(1000, GZIP_LIMITS.memberBytes + 5), input.subarray(GZIP_LIMITS.memberBytes + 5)]);
    expect(chunked.equals(whole)).toBe(true);
    expect(gunzipSync(whole).equals(input)).toBe(true);
    // Each member alone is the gzip of its piece with OS 255 (RFC 1952 §2.3).
    const alone = await Promise.all(members(input).map((m) => gzipAll([m])));
    expect(Buffer.concat(alone).equals(whole)).toBe(true);
    for (const m of alone) expect([m[0], m[1], m[2], m[9]]).toEqual([0x1f, 0x8b, 8, 0xff]);
  });

  test('an empty stream is one empty member', async () => {
    const z = await gzipAll([]);
    expect(gunzipSync(z).length).toBe(0);
    expect(z[9]).toBe(0xff);
  });
});

describe('push: streamed, kept, or uncompressed', () => {
  let one: RunningRegistry;
  let two: RunningRegistry;
  let a: Host;
  let ref: string;
  beforeAll(async () => {
    [one, two] = await Promise.all([startRegistry(), startRegistry()]);
    ref = `${one.address}/winsilo/stream:v1`;
    a = await Host.open({ clock: () => 1_763_000_000_000 });
    await a.pull(NANO);
    a.registerProgram('C:\\Windows\\System32\\fill.exe', (ctx) => {
      const h = ctx.fs!.open('C:\\data.bin', 'C:\\', { disposition: 'create', write: true });
      const bytes = new Uint8Array(3 * GZIP_LIMITS.memberBytes);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 27;
      h.write(0, bytes);
      h.close();
      return 0;
    });
    const c = await a.createContainer({ image: NANO, cmd: ['fill.exe'] });
    await (await c.start()).wait();
    await c.wait();
    await a.commit(c.id, { reference: ref });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await Promise.all([one?.stop(), two?.stop()]);
  });

  test('the compressed blob is kept under the layer’s diff id, and a push to another registry sends that very blob', async () => {
    await a.push(ref);
    const own = a.image(ref)!.layers.at(-1)!;
    const kept = a.blobs.compressedOf(own.diffId, 'gzip');
    expect(kept).toMatch(/^sha256:[0-9a-f]{64}$/);
    const other = `${two.address}/winsilo/stream:v1`;
    a.tagImage(ref, other);
    const events: ProgressEvent[] = [];
    await a.push(other, { onProgress: (e) => events.push(e) });
    expect(events.map((e) => e.status)).toContain('Pushed');
    const raw = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${other}`], { encoding: 'utf8' }));
    expect(raw.layers.at(-1).digest).toBe(kept);
    expect(raw.layers.at(-1).size).toBe(a.blobs.size(kept!));
  }, 60_000);

  test('compression none: the own layer goes up as its tar (…rootfs.diff.tar, digest = diff id), skopeo reads it, another host pulls it', async () => {
    const plain = `${one.address}/winsilo/plain:v1`;
    a.tagImage(ref, plain);
    await a.push(plain, { compression: 'none' });
    const own = a.image(ref)!.layers.at(-1)!;
    const raw = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${plain}`], { encoding: 'utf8' }));
    expect(raw.layers.at(-1)).toMatchObject({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar', digest: own.diffId });
    const b = await Host.open();
    try {
      expect((await b.pullFromRegistry(plain)).id).toBe(a.image(ref)!.id);
    } finally {
      await b.close();
    }
  }, 60_000);
});
