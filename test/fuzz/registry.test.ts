// A hostile registry (issue 11, "Bad input"): the test serves, on loopback,
// answers a registry should never give — wrong digests, truncated and
// oversized blobs, manifests that are not JSON or too large, wrong content
// types, redirect loops, 401 loops, broken token realms, stalls — and a
// pull through Host.pullFromRegistry must end within its deadline
// (REGISTRY_LIMITS.responseTimeoutMs, here set short through the
// session's timeoutMs) with a typed error (RegistryError, in the words
// docker prints), or with the image when the answer was good enough, and
// a failed pull leaves nothing stored (no disk, no image).
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NtStatusError } from '../../src/core/errors.js';
import { Win32Error } from '../../src/core/win32.js';
import { HostError } from '../../src/host/errors.js';
import { Host } from '../../src/host/host.js';
import { BASE_IMAGES } from '../../src/images/base/catalog.js';
import { RegistryError } from '../../src/images/registry/types.js';
import { RELIABILITY, SEED, yieldToEventLoop } from '../support/budget.js';
import { recordReliability } from '../support/reliability.js';
import { writeTar } from './tar-gen.js';

const CASES = RELIABILITY ? 1_500 : 80;
const PUSH_CASES = RELIABILITY ? 300 : 30;
/** The client's silence limit in these tests (REGISTRY_LIMITS.responseTimeoutMs is 30 s). */
const TIMEOUT_MS = 200;
const DEADLINE_MS = 15_000;

type ManifestMode = 'ok' | 'badjson' | 'huge' | 'wrongtype' | 'noconfig' | 'badlayers' | 'list-nowindows' | 'list-loop' | '404' | '500' | 'redirect-loop' | 'stall' | 'stall-body' | 'truncated' | 'null';
type ConfigMode = 'ok' | 'wrongdigest' | 'badjson' | 'linux' | 'nodiffids' | 'fewdiffids' | 'unknownos' | '404';
type BlobMode = 'ok' | 'gzip' | 'truncated' | 'wrongdigest' | 'garbage' | 'gzip-garbage' | 'oversize' | 'stall' | 'redirect-loop' | '500' | 'wrongdiffid';
type AuthMode = 'none' | 'bearer-loop' | 'bad-realm' | 'token-garbage' | 'basic-loop' | 'realm-stall';

interface Case {
  manifest: ManifestMode;
  config: ConfigMode;
  blob: BlobMode;
  auth: AuthMode;
  /** A second layer, so a failure at the second leaves the first to clean up. */
  twoLayers: boolean;
}

const CASE: fc.Arbitrary<Case> = fc.record({
  manifest: fc.constantFrom<ManifestMode>('ok', 'ok', 'ok', 'ok', 'badjson', 'huge', 'wrongtype', 'noconfig', 'badlayers', 'list-nowindows', 'list-loop', '404', '500', 'redirect-loop', 'stall', 'stall-body', 'truncated', 'null'),
  config: fc.constantFrom<ConfigMode>('ok', 'ok', 'ok', 'ok', 'wrongdigest', 'badjson', 'linux', 'nodiffids', 'fewdiffids', 'unknownos', '404'),
  blob: fc.constantFrom<BlobMode>('ok', 'ok', 'gzip', 'truncated', 'wrongdigest', 'garbage', 'gzip-garbage', 'oversize', 'stall', 'redirect-loop', '500', 'wrongdiffid'),
  auth: fc.constantFrom<AuthMode>('none', 'none', 'none', 'none', 'bearer-loop', 'bad-realm', 'token-garbage', 'basic-loop', 'realm-stall'),
  twoLayers: fc.boolean(),
});

const sha = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function layerTar(n: number): Buffer {
  return writeTar([
    { name: 'Files', type: '5', linkname: '', body: new Uint8Array() },
    { name: `Files/layer${n}.txt`, type: '0', linkname: '', body: Buffer.from(`layer ${n}\r\n`) },
    { name: 'Hives', type: '5', linkname: '', body: new Uint8Array() },
  ]);
}

interface Served {
  manifest: Buffer;
  manifestType: string;
  config: Buffer;
  blobs: Map<string, { bytes: Buffer; size: number }>;
}

/** The documents and blobs a case serves (consistent with each other unless the case says otherwise). */
function build(c: Case): Served {
  const tars = c.twoLayers ? [layerTar(1), layerTar(2)] : [layerTar(1)];
  const layerBlobs = tars.map((t, i) => {
    // The faulty blob is the last one: the layers before it import first.
    const last = i === tars.length - 1;
    if (last && c.blob === 'gzip') return { bytes: gzipSync(t), media: 'application/vnd.docker.image.rootfs.diff.tar.gzip' };
    if (last && c.blob === 'garbage') return { bytes: Buffer.from('this is not a tar at all'.repeat(40)), media: 'application/vnd.docker.image.rootfs.diff.tar' };
    if (last && c.blob === 'gzip-garbage') return { bytes: Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(600, 7)]), media: 'application/vnd.docker.image.rootfs.diff.tar.gzip' };
    return { bytes: t, media: 'application/vnd.docker.image.rootfs.diff.tar' };
  });
  const diffIds = tars.map((t, i) => (c.blob === 'wrongdiffid' && i === tars.length - 1 ? sha(Buffer.from('other')) : sha(t)));
  const base = BASE_IMAGES[0]!;
  const configDoc: Record<string, unknown> = {
    architecture: 'amd64',
    os: c.config === 'linux' ? 'linux' : 'windows',
    'os.version': c.config === 'unknownos' ? '10.0.1.1' : base.osVersion,
    created: '2026-01-01T00:00:00Z',
    config: { Cmd: ['cmd'] },
    rootfs: c.config === 'nodiffids' ? { type: 'layers' } : { type: 'layers', diff_ids: c.config === 'fewdiffids' ? diffIds.slice(1) : diffIds },
    history: tars.map((_, i) => ({ created_by: `layer ${i}` })),
  };
  const config = c.config === 'badjson' ? Buffer.from('{"os": "windows", ') : Buffer.from(JSON.stringify(configDoc));
  const configDigest = c.config === 'wrongdigest' ? sha(Buffer.from('another config')) : sha(config);
  const layers = layerBlobs.map((b) => ({ mediaType: b.media, size: b.bytes.length, digest: sha(b.bytes) }));
  const manifestDoc: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: c.manifest === 'noconfig' ? undefined : { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
    layers: c.manifest === 'badlayers' ? [{ digest: 12 }, 'x'] : layers,
  };
  let manifest: Buffer;
  let manifestType = 'application/vnd.docker.distribution.manifest.v2+json';
  switch (c.manifest) {
    case 'badjson':
      manifest = Buffer.from('{"schemaVersion": 2, "config": ');
      break;
    case 'huge':
      manifest = Buffer.from(JSON.stringify({ ...manifestDoc, padding: 'x'.repeat(5 << 20) }));
      break;
    case 'null':
      manifest = Buffer.from('null');
      break;
    case 'list-nowindows':
      manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', manifests: [{ digest: sha(Buffer.from('x')), size: 1, platform: { os: 'linux', architecture: 'amd64' } }, null] }));
      manifestType = 'application/vnd.docker.distribution.manifest.list.v2+json';
      break;
    case 'list-loop':
      // A list whose Windows entry is a list again.
      manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ digest: 'sha256:' + 'a'.repeat(64), size: 1, platform: { os: 'windows', architecture: 'amd64' } }] }));
      manifestType = 'application/vnd.docker.distribution.manifest.list.v2+json';
      break;
    case 'wrongtype':
      manifest = Buffer.from(JSON.stringify(manifestDoc));
      manifestType = 'text/html; charset=utf-8';
      break;
    default:
      manifest = Buffer.from(JSON.stringify(manifestDoc));
  }
  const blobs = new Map<string, { bytes: Buffer; size: number }>();
  blobs.set(configDigest, { bytes: config, size: config.length });
  layerBlobs.forEach((b, i) => {
    const last = i === layerBlobs.length - 1;
    let bytes = b.bytes;
    if (last && c.blob === 'wrongdigest') bytes = Buffer.concat([bytes.subarray(0, bytes.length - 1), Buffer.from([bytes[bytes.length - 1]! ^ 1])]);
    if (last && c.blob === 'oversize') bytes = Buffer.concat([bytes, Buffer.alloc(4096)]);
    blobs.set(sha(b.bytes), { bytes, size: bytes.length });
  });
  return { manifest, manifestType, config, blobs };
}

let current: { c: Case; served: Served } | undefined;
let server: Server;
let port = 0;
const stalled = new Set<ServerResponse>();

type PushMode = 'ok' | 'post-500' | 'post-no-location' | 'bad-location' | 'patch-stall' | 'put-400' | 'manifest-400' | 'redirect-loop' | 'auth-loop' | 'head-stall' | 'drop';
let pushMode: PushMode | undefined;

/** The upload side of the registry, for push cases: as distribution answers, or as the mode breaks it. */
function answerPush(req: IncomingMessage, res: ServerResponse, mode: PushMode): void {
  const url = req.url ?? '/';
  req.resume();
  if (mode === 'auth-loop') return void res.writeHead(401, { 'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="fz"`, 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
  if (mode === 'drop') return void res.destroy();
  if (req.method === 'HEAD') {
    if (mode === 'head-stall') return void stalled.add(res);
    return void res.writeHead(404).end();
  }
  if (req.method === 'POST' && /\/blobs\/uploads\/?/.test(url)) {
    if (mode === 'post-500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('no');
    if (mode === 'post-no-location') return void res.writeHead(202).end();
    if (mode === 'bad-location') return void res.writeHead(202, { location: 'http://[::1' }).end();
    if (mode === 'redirect-loop') return void res.writeHead(307, { location: url }).end();
    return void res.writeHead(202, { location: `/v2/fzp/blobs/uploads/u1`, 'docker-upload-uuid': 'u1', range: '0-0' }).end();
  }
  if (req.method === 'PATCH') {
    if (mode === 'patch-stall') return void stalled.add(res);
    return void res.writeHead(202, { location: `/v2/fzp/blobs/uploads/u1`, range: '0-1' }).end();
  }
  if (req.method === 'PUT' && url.includes('/blobs/uploads/')) {
    if (mode === 'put-400') return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content"}]}');
    return void res.writeHead(201, { location: url }).end();
  }
  if (req.method === 'PUT' && url.includes('/manifests/')) {
    if (mode === 'manifest-400') return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid"}]}');
    return void res.writeHead(201, { 'docker-content-digest': 'sha256:' + '0'.repeat(64) }).end();
  }
  res.writeHead(404).end();
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  if (pushMode !== undefined && !(req.url ?? '').startsWith('/token')) return answerPush(req, res, pushMode);
  const k = current;
  if (!k) return void res.writeHead(500).end();
  const { c, served } = k;
  const url = req.url ?? '/';
  // Auth first: the loops never let the client through.
  if (url.startsWith('/token')) {
    if (c.auth === 'token-garbage') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"token": ');
    if (c.auth === 'realm-stall') return void stalled.add(res);
    return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'a-token' }));
  }
  if (url.startsWith('/v2/') && c.auth !== 'none') {
    const realm = c.auth === 'bad-realm' ? 'not a url' : `http://127.0.0.1:${port}/token`;
    const challenge = c.auth === 'basic-loop' ? 'Basic realm="fz"' : `Bearer realm="${realm}",service="fz",scope="repository:fz:pull"`;
    return void res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
  }
  const manifest = /^\/v2\/fz\/manifests\/(.+)$/.exec(url);
  if (manifest) {
    switch (c.manifest) {
      case '404':
        return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
      case '500':
        return void res.writeHead(500, { 'content-type': 'text/plain' }).end('internal trouble');
      case 'redirect-loop':
        return void res.writeHead(307, { location: url }).end();
      case 'stall':
        return void stalled.add(res);
      case 'stall-body':
        res.writeHead(200, { 'content-type': served.manifestType, 'content-length': String(served.manifest.length) });
        res.write(served.manifest.subarray(0, 10));
        return void stalled.add(res);
      case 'truncated':
        res.writeHead(200, { 'content-type': served.manifestType, 'content-length': String(served.manifest.length) });
        res.write(served.manifest.subarray(0, Math.floor(served.manifest.length / 2)));
        return void res.destroy();
      default:
        return void res.writeHead(200, { 'content-type': served.manifestType, 'docker-content-digest': sha(served.manifest), 'content-length': String(served.manifest.length) }).end(served.manifest);
    }
  }
  const blob = /^\/v2\/fz\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url);
  if (blob) {
    const b = served.blobs.get(blob[1]!);
    const isConfig = b?.bytes === served.config;
    if (!b || (isConfig && c.config === '404')) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}');
    if (!isConfig) {
      switch (c.blob) {
        case 'stall':
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(b.size) });
          res.write(b.bytes.subarray(0, 700));
          return void stalled.add(res);
        case 'truncated':
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(b.size) });
          res.write(b.bytes.subarray(0, Math.floor(b.size / 2)));
          return void res.destroy();
        case 'redirect-loop':
          return void res.writeHead(302, { location: `http://127.0.0.1:${port}${url}` }).end();
        case '500':
          return void res.writeHead(503, { 'content-type': 'text/plain' }).end('try later');
        default:
          break;
      }
    }
    return void res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(b.size) }).end(b.bytes);
  }
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}');
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const r of stalled) r.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function withDeadline<T>(p: Promise<T>): Promise<T | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.finally(() => clearTimeout(timer)), new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), DEADLINE_MS)))]);
}

describe('hostile registry', () => {
  it(`${CASES} pulls from a hostile registry end in the image or a typed error, storing nothing on failure`, async () => {
    const host = await Host.open({});
    const findings: string[] = [];
    const kinds = new Map<string, number>();
    let cases = 0;
    try {
      for (let chunk = 0; chunk * 50 < CASES; chunk++) {
        await yieldToEventLoop();
        for (const c of fc.sample(CASE, { seed: SEED + chunk, numRuns: Math.min(50, CASES - chunk * 50) })) {
          cases++;
          current = { c, served: build(c) };
          const disks = host.blocks.storeStats().disks;
          const images = host.images().length;
          const label = JSON.stringify(c);
          let outcome: string;
          const r = await withDeadline(host.pullFromRegistry(`127.0.0.1:${port}/fz:latest`, { timeoutMs: TIMEOUT_MS, auth: { username: 'u', password: 'p' } }).then(
            (image) => ({ image }),
            (error: unknown) => ({ error }),
          ));
          for (const s of stalled) s.destroy();
          stalled.clear();
          if (r === 'hang') {
            findings.push(`hang: ${label}`);
            continue;
          }
          if ('image' in r) {
            outcome = 'pulled';
            host.deleteImage(r.image.id, { force: true });
          } else {
            const e = r.error;
            if (!(e instanceof RegistryError || e instanceof HostError || e instanceof Win32Error || e instanceof NtStatusError)) {
              findings.push(`untyped ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}: ${label}`);
              continue;
            }
            outcome = `${e.constructor.name}: ${e.message.replace(/sha256:[0-9a-f]{64}/g, 'sha256:…').replace(/127\.0\.0\.1:\d+/g, 'REG').slice(0, 90)}`;
            if (host.images().length !== images) findings.push(`images ${images} → ${host.images().length} after "${outcome}": ${label}`);
          }
          if (host.blocks.storeStats().disks !== disks) findings.push(`disks ${disks} → ${host.blocks.storeStats().disks} after "${outcome}": ${label}`);
          kinds.set(outcome, (kinds.get(outcome) ?? 0) + 1);
          // Only a pull whose every answer was good (a wrong Content-Type aside: docker reads the body's mediaType) may succeed.
          const good = (c.manifest === 'ok' || c.manifest === 'wrongtype') && c.config === 'ok' && (c.blob === 'ok' || c.blob === 'gzip') && c.auth === 'none';
          if (good !== (outcome === 'pulled')) findings.push(`${good ? 'failed' : 'pulled'} (${outcome}): ${label}`);
        }
      }
    } finally {
      await host.close();
    }
    // eslint-disable-next-line no-console
    if (process.env['WINSILO_FUZZ_VERBOSE'] === '1') console.log(findings, kinds);
    recordReliability({ family: 'fuzz', suite: 'hostile registry (pull)', trials: cases, failures: findings.length, detail: `${kinds.get('pulled') ?? 0} pulled` });
    expect(findings.slice(0, 20)).toEqual([]);
  }, RELIABILITY ? 600_000 : 60_000);

  it(`${PUSH_CASES} pushes to a hostile registry end pushed or in a typed error, within the deadline`, async () => {
    const host = await Host.open({});
    const findings: string[] = [];
    const kinds = new Map<string, number>();
    let cases = 0;
    try {
      await host.pull('mcr.microsoft.com/windows/nanoserver:ltsc2022');
      const ref = `127.0.0.1:${port}/fzp:latest`;
      host.tagImage('mcr.microsoft.com/windows/nanoserver:ltsc2022', ref);
      const MODE = fc.constantFrom<PushMode>('ok', 'post-500', 'post-no-location', 'bad-location', 'patch-stall', 'put-400', 'manifest-400', 'redirect-loop', 'auth-loop', 'head-stall', 'drop');
      for (const mode of fc.sample(MODE, { seed: SEED, numRuns: PUSH_CASES })) {
        cases++;
        pushMode = mode;
        const r = await withDeadline(host.push(ref, { timeoutMs: TIMEOUT_MS }).then(
          () => ({ ok: true as const }),
          (error: unknown) => ({ error }),
        ));
        for (const x of stalled) x.destroy();
        stalled.clear();
        if (r === 'hang') {
          findings.push(`hang: ${mode}`);
          continue;
        }
        let outcome = 'pushed';
        if ('error' in r) {
          const e = r.error;
          if (!(e instanceof RegistryError || e instanceof HostError || e instanceof Win32Error || e instanceof NtStatusError)) {
            findings.push(`untyped ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}: ${mode}`);
            continue;
          }
          outcome = `${e.constructor.name}: ${e.message.replace(/sha256:[0-9a-f]{64}/g, 'sha256:…').replace(/127\.0\.0\.1:\d+/g, 'REG').slice(0, 90)}`;
        }
        kinds.set(`${mode} → ${outcome}`, (kinds.get(`${mode} → ${outcome}`) ?? 0) + 1);
        if ((mode === 'ok') !== (outcome === 'pushed')) findings.push(`${mode}: ${outcome}`);
      }
    } finally {
      pushMode = undefined;
      await host.close();
    }
    // eslint-disable-next-line no-console
    if (process.env['WINSILO_FUZZ_VERBOSE'] === '1') console.log(findings, kinds);
    recordReliability({ family: 'fuzz', suite: 'hostile registry (push)', trials: cases, failures: findings.length });
    expect(findings.slice(0, 20)).toEqual([]);
  }, RELIABILITY ? 600_000 : 60_000);
});
