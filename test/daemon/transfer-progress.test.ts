// Progress of docker load and docker push as moby streams it:
//  - load (image/tarexport/load.go loadLayer): unless `quiet` (its default,
//    and what the CLI sends with -q or off a terminal), each layer read
//    reports `Loading layer` with progressDetail {current,total}: an update
//    per 512 KiB (pkg/progress Reader updateEvery) and the last at the
//    layer tar's size; the id its diff id's 12 hex digits.
//  - push (push_v2.go): every `Pushing` event carries progressDetail
//    {current,total}.
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startRegistry, type RunningRegistry } from '../images/support/registry.js';
import { NANOSERVER, useDaemon } from './support.js';

const d = useDaemon();
let registry: RunningRegistry;
let R = '';

beforeAll(async () => {
  registry = await startRegistry();
  R = registry.address;
});
afterAll(async () => {
  await registry?.stop();
});

/** A raw request on the daemon's socket with a binary body: the status and the JSON lines answered. */
function raw(method: string, path: string, body: Buffer | undefined, headers: Record<string, string>): Promise<{ status: number; lines: Record<string, unknown>[] }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: d().socket, method, path, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          lines: Buffer.concat(parts)
            .toString('utf8')
            .split('\r\n')
            .filter((l) => l !== '')
            .map((l) => JSON.parse(l) as Record<string, unknown>),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

type Progress = { status: string; progressDetail: { current: number; total?: number }; id: string };

describe('docker load and push progress (moby load.go, push_v2.go)', () => {
  let image = '';
  test('setup: an image with a 1.5 MiB layer', async () => {
    expect((await d().docker(['run', '--name', 'prog', NANOSERVER, 'write.exe', 'C:\\small.txt', 'x'])).code).toBe(0);
    const big = join(d().dir, 'big.bin');
    // Deterministic bytes that gzip cannot shrink much (an LCG), so the pushed blob is big too.
    const b = Buffer.alloc(1536 * 1024);
    let x = 12345;
    for (let i = 0; i < b.length; i++) b[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
    writeFileSync(big, b);
    expect((await d().docker(['cp', big, 'prog:C:\\'])).code).toBe(0);
    image = `${R}/prog:v1`;
    expect((await d().docker(['commit', 'prog', image])).code).toBe(0);
  });

  test('push: every Pushing event has current and total', async () => {
    const r = await raw('POST', `/v1.50/images/${encodeURIComponent(`${R}/prog`)}/push?tag=v1`, undefined, { 'X-Registry-Auth': Buffer.from('{}').toString('base64') });
    expect(r.status).toBe(200);
    const pushing = r.lines.filter((l) => l['status'] === 'Pushing') as Progress[];
    expect(pushing.length).toBeGreaterThan(0);
    for (const p of pushing) {
      expect(typeof p.progressDetail.current).toBe('number');
      expect(typeof p.progressDetail.total).toBe('number');
      expect(p.progressDetail.total!).toBeGreaterThan(1536 * 1024);
    }
    expect(r.lines.some((l) => l['status'] === 'Pushed')).toBe(true);
  });

  test('load with quiet=0: Loading layer per 512 KiB and the last at the total; quiet (the CLI off a terminal): none', async () => {
    const tarPath = join(d().dir, 'prog.tar');
    expect((await d().docker(['save', '-o', tarPath, image])).code).toBe(0);
    const manifest = JSON.parse((await d().docker(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', image])).stdout) as string[];
    const own = manifest[manifest.length - 1]!.slice(7, 19);
    expect((await d().docker(['rmi', image])).code).toBe(0);
    const bytes = readFileSync(tarPath);
    const r = await raw('POST', '/v1.50/images/load?quiet=0', bytes, { 'Content-Type': 'application/x-tar' });
    expect(r.status).toBe(200);
    const loading = r.lines.filter((l) => l['status'] === 'Loading layer') as Progress[];
    expect(loading.length).toBeGreaterThanOrEqual(3);
    expect(new Set(loading.map((l) => l.id))).toEqual(new Set([own]));
    const total = loading[0]!.progressDetail.total!;
    expect(total).toBeGreaterThan(1536 * 1024);
    for (const l of loading) expect(l.progressDetail.total).toBe(total);
    expect(loading[loading.length - 1]!.progressDetail.current).toBe(total);
    for (let i = 1; i < loading.length; i++) expect(loading[i]!.progressDetail.current - loading[i - 1]!.progressDetail.current).toBeGreaterThan(0);
    expect(r.lines[r.lines.length - 1]).toEqual({ stream: `Loaded image: ${image}\n` });
    // The CLI, its output not a terminal, sends quiet=1: the loaded line only.
    expect((await d().docker(['rmi', image])).code).toBe(0);
    expect(await d().docker(['load', '-i', tarPath])).toEqual({ code: 0, stdout: `Loaded image: ${image}\n`, stderr: '' });
  });
});
