/**
 * Benchmarks of the image store (issue 9 "Benchmarks"): what a user waits
 * for at `docker commit`, `docker push` and `docker pull`, beside Debian's
 * skopeo moving the same image between the same registry and a local dir in
 * the same run (the ratio is the figure; target: push and pull within 1.5×).
 *
 * Section 1 — commit, push, pull (median of SAMPLES rounds; each round has
 * its own container, content seed and fresh registries, so nothing is
 * already there; note: p10–p90 and sizes):
 *   images.commit100M   commit of a stopped Server Core ltsc2022 container
 *                       whose changes are 100 MB of files (half text, half
 *                       incompressible bytes, seeded), including the gzip of
 *                       its layer into the blob store, in the same pass as
 *                       its hash (commit.ts), as docker with the containerd
 *                       image store compresses at commit   (no baseline)
 *   images.push         push of that image to a fresh docker-registry (own
 *                       layer only, gzip, as docker: the base layers are
 *                       foreign) right after the commit: the commit stored
 *                       the gzip blob (the note counts the rounds where it
 *                       had), so the push uploads it vs skopeo copy dir → a
 *                       fresh registry of the same image (it skips the
 *                       foreign layers too, and sends the gzip blob it has:
 *                       it compresses nothing)
 *   images.commitPush   commit + push end to end (what the user waits for
 *                       from `docker commit` to the pushed image) vs the
 *                       same skopeo
 *   images.push.again   the same image pushed to another fresh registry (the
 *                       gzip blob kept from the first push)   vs the same skopeo
 *   images.push.tar     push with compression none (the tar itself goes up)
 *                       vs skopeo copy dir → a fresh registry of that image
 *   images.pull         pull onto a fresh host (the base synthesized, the own
 *                       layer streamed from the registry into the import)
 *                       vs skopeo copy registry → dir of the same image: it
 *                       has no base to synthesize, so it downloads the base
 *                       layers too (the registry holds them: pushed with
 *                       non-distributable artifacts allowed, untimed)
 *   images.pull.tar     the same for the uncompressed image
 *   images.pull.basePresent  the gzip image pulled onto a host that already
 *                       has the base (own layer only)    vs images.pull's skopeo
 *
 * Section 2 — build rows (the builder's: a 5-step Dockerfile cold and fully
 * cached; target < 200 ms cached) go in `buildRows` below.
 *
 * Hosts are in memory (no data root); skopeo's dir and the registries'
 * storage are on the temp folder's disk.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Host } from '../src/host/host.js';
import { existingLayerCompressor } from '../src/images/registry/layer-compressor.js';
import type { Bench } from './harness.js';

const BASE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
const SAMPLES = Number(process.env['WINSILO_IMAGES_SAMPLES'] ?? 3);
const CHANGE_BYTES = 100 * 1000 * 1000;
const FILE_BYTES = 1000 * 1000;
const REGISTRY = '/usr/bin/docker-registry';
const SKOPEO = '/usr/bin/skopeo';

export default async function imagesBench(b: Bench): Promise<void> {
  await imageRows(b);
  await buildRows(b);
}

// ---- section 1: commit, push, pull vs skopeo -----------------------------------------------

async function imageRows(b: Bench): Promise<void> {
  const rows: Record<string, number[]> = {};
  const note = (k: string, ms: number): void => void (rows[k] ??= []).push(ms);
  let gzBytes = 0;
  let tarBytes = 0;
  let storedByCommit = 0;
  const baseHost = await Host.open();
  await baseHost.pull(BASE);
  for (let round = 0; round < SAMPLES; round++) {
    const a = await Host.open();
    await a.pull(BASE);
    const seed = 0x9e3779b9 ^ (round * 0x85ebca6b);
    a.registerProgram('C:\\Windows\\System32\\fill.exe', (ctx) => {
      const gen = contentGenerator(seed + Number(ctx.argv[1] ?? 0));
      for (let i = 0; i * FILE_BYTES < CHANGE_BYTES; i++) {
        const h = ctx.fs!.open(`C:\\app\\data${String(i).padStart(3, '0')}.bin`, 'C:\\', { disposition: 'create', write: true });
        h.write(0, gen(i));
        h.close();
      }
      return 0;
    });
    const c = await a.createContainer({ image: BASE, cmd: ['cmd', '/c', 'md C:\\app && fill.exe'] });
    await (await c.start()).wait();
    await c.wait();

    const regs = await Promise.all([startRegistry(), startRegistry(), startRegistry(), startRegistry(), startRegistry()]);
    const dir = mkdtempSync(join(tmpdir(), 'winsilo-bench-skopeo-'));
    try {
      const [r0, r1, r2, r3, r4] = regs.map((r) => r.address) as [string, string, string, string, string];
      const ref = `${r0}/bench/app:r${round}`;
      const t0 = performance.now();
      const committed = await a.commit(c.id, { reference: ref });
      note('commit', performance.now() - t0);
      const own = committed.layers[committed.layers.length - 1]!;
      // The commit stored the gzip blob (commit.ts); nothing is left compressing in the background.
      if (existingLayerCompressor(a.blobs)?.status(own.diffId) === undefined && a.blobs.compressedOf(own.diffId, 'gzip')) storedByCommit++;
      const t1 = performance.now();
      await a.push(ref);
      note('push', performance.now() - t1);
      note('commitPush', performance.now() - t0);
      a.tagImage(ref, `${r1}/bench/app:r${round}`);
      note('push.again', await ms(() => a.push(`${r1}/bench/app:r${round}`)));
      const plain = `${r2}/bench/app:r${round}`;
      a.tagImage(ref, plain);
      note('push.tar', await ms(() => a.push(plain, { compression: 'none' })));
      const image = a.image(ref)!;
      tarBytes = image.layers[image.layers.length - 1]!.size;

      // Pull onto a fresh host, and onto one that has the base.
      for (const [key, from, withBase] of [['pull', ref, false], ['pull.basePresent', ref, true], ['pull.tar', plain, false]] as const) {
        const host = await Host.open();
        if (withBase) await host.pull(BASE);
        note(key, await ms(() => host.pullFromRegistry(from)));
        await host.close();
      }

      // skopeo, the same images: registry → dir (the base blobs put there first, untimed), dir → a fresh registry.
      await a.push(ref, { allowNondistributable: true });
      await a.push(plain, { allowNondistributable: true, compression: 'none' });
      note('skopeo.pull', await ms(() => run(SKOPEO, ['copy', '-q', '--src-tls-verify=false', `docker://${ref}`, `dir:${join(dir, 'gz')}`])));
      note('skopeo.pull.tar', await ms(() => run(SKOPEO, ['copy', '-q', '--src-tls-verify=false', `docker://${plain}`, `dir:${join(dir, 'tar')}`])));
      const manifest = JSON.parse(await run(SKOPEO, ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`])) as { layers: { size: number }[] };
      gzBytes = manifest.layers[manifest.layers.length - 1]!.size;
      note('skopeo.push', await ms(() => run(SKOPEO, ['copy', '-q', '--dest-tls-verify=false', `dir:${join(dir, 'gz')}`, `docker://${r3}/bench/app:r${round}`])));
      note('skopeo.push.tar', await ms(() => run(SKOPEO, ['copy', '-q', '--dest-tls-verify=false', `dir:${join(dir, 'tar')}`, `docker://${r4}/bench/app:r${round}`])));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await Promise.all(regs.map((r) => r.stop()));
      await a.close();
    }
  }
  await baseHost.close();

  const sorted = (key: string): number[] => [...rows[key]!].sort((x, y) => x - y);
  const med = (key: string): number => pct(sorted(key), 0.5);
  const add = (bench: string, impl: string, key: string, extra: { baseline?: string; ratio?: number; note?: string } = {}): void => {
    const s = sorted(key);
    const spread = `p10–p90 ${pct(s, 0.1).toFixed(0)}–${pct(s, 0.9).toFixed(0)} ms`;
    b.add({ bench, impl, ns_per_op: pct(s, 0.5) * 1e6, ...(extra.baseline ? { baseline: extra.baseline } : {}), ...(extra.ratio !== undefined ? { ratio: extra.ratio } : {}), note: [spread, extra.note].filter(Boolean).join('; ') });
  };
  const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
  add('images.commit100M', 'winsilo', 'commit', { baseline: 'winsilo', note: `commit (incl. compressing the layer as the containerd store does): layer tar ${mb(tarBytes)} → gzip ${mb(gzBytes)}, one export` });
  add('images.push', 'skopeo', 'skopeo.push', { baseline: 'skopeo', note: `sends the ${mb(gzBytes)} blob it has` });
  add('images.push', 'winsilo', 'push', {
    baseline: 'skopeo',
    note: `right after the commit: the gzip blob the commit stored uploaded (stored at commit return in ${storedByCommit}/${SAMPLES} rounds); target ≤ 1.5×`,
  });
  add('images.commitPush', 'skopeo', 'skopeo.push', { baseline: 'skopeo', note: 'skopeo has the blob already: its push alone' });
  add('images.commitPush', 'winsilo', 'commitPush', { baseline: 'skopeo', note: 'commit (incl. compressing the layer as the containerd store does) + push end to end' });
  add('images.push.again', 'skopeo', 'skopeo.push', { baseline: 'skopeo' });
  add('images.push.again', 'winsilo', 'push.again', { baseline: 'skopeo', note: 'the kept gzip blob to another registry' });
  add('images.push.tar', 'skopeo', 'skopeo.push.tar', { baseline: 'skopeo', note: `sends the ${mb(tarBytes)} tar it has` });
  add('images.push.tar', 'winsilo', 'push.tar', { baseline: 'skopeo', note: 'compression none: export → upload' });
  add('images.pull', 'skopeo', 'skopeo.pull', { baseline: 'skopeo', note: 'downloads all 3 layers (no base to synthesize)' });
  add('images.pull', 'winsilo', 'pull', { baseline: 'skopeo', note: 'fresh host: base synthesized, own layer streamed into the import; target ≤ 1.5×' });
  add('images.pull.tar', 'skopeo', 'skopeo.pull.tar', { baseline: 'skopeo' });
  add('images.pull.tar', 'winsilo', 'pull.tar', { baseline: 'skopeo', note: 'the uncompressed image' });
  add('images.pull.basePresent', 'winsilo', 'pull.basePresent', { baseline: 'skopeo', ratio: med('skopeo.pull') / med('pull.basePresent'), note: 'the base already here; vs images.pull skopeo' });
}

/** Milliseconds `fn` takes. */
async function ms(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * File `i`'s bytes: even files text (words of a small seeded vocabulary,
 * gzip ≈ 3:1), odd files xorshift bytes (incompressible, as already
 * compressed assets are).
 */
function contentGenerator(seed: number): (i: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
  const words: Buffer[] = [];
  for (let w = 0; w < 512; w++) {
    const len = 2 + (next() % 8);
    let s = '';
    for (let k = 0; k < len; k++) s += String.fromCharCode(97 + (next() % 26));
    words.push(Buffer.from(s + (next() % 12 === 0 ? '\r\n' : ' ')));
  }
  return (i) => {
    const out = Buffer.allocUnsafe(FILE_BYTES);
    if (i % 2 === 1) {
      for (let at = 0; at < FILE_BYTES; at += 4) out.writeUInt32LE(next(), at);
      return out;
    }
    let at = 0;
    while (at < FILE_BYTES) {
      const w = words[next() & 511]!;
      at += w.copy(out, at, 0, Math.min(w.length, FILE_BYTES - at));
    }
    return out;
  };
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 1 << 26 }, (e, stdout, stderr) => (e ? reject(new Error(`${file} ${args.join(' ')}: ${stderr || e.message}`)) : resolve(stdout)));
  });
}

/** Debian's docker-registry on a free loopback port with its own storage folder (as test/images/support/registry.ts). */
async function startRegistry(): Promise<{ address: string; stop(): Promise<void> }> {
  const folder = mkdtempSync(join(tmpdir(), 'winsilo-bench-registry-'));
  const port = await new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const address = `127.0.0.1:${port}`;
  const config = ['version: 0.1', 'log:', '  level: info', 'storage:', '  filesystem:', `    rootdirectory: ${join(folder, 'data')}`, 'http:', `  addr: ${address}`, '  secret: winsilo-bench', ''];
  writeFileSync(join(folder, 'config.yml'), config.join('\n'));
  const child: ChildProcess = spawn(REGISTRY, ['serve', join(folder, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Ready when it logs that it listens (its own word, not a timer); its later log is drained.
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const onData = (d: Buffer): void => {
      if (log.length < 65536) log += d.toString();
      if (log.includes(`listening on ${address}`)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`docker-registry exited (${code}): ${log}`)));
  });
  return {
    address,
    stop: async () => {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

// ---- section 2: build --------------------------------------------------------------------

/**
 * Build rows (issue 9: a 5-step Dockerfile cold and fully cached, target
 * cached < 200 ms), Server Core ltsc2022 as the base:
 *   images.build.cold      Host.build with --no-cache (every step committed; the base present)
 *   images.build.cached    Host.build again: every step " ---> Using cache"
 *                          both vs one container run of `cmd /c exit` on the same host
 *                          (create, start, wait, remove: the embedded path's unit)
 *   images.build.cached.cli  `docker build` of the same context through the real CLI
 *                          and the daemon, fully cached, vs `docker version` through
 *                          the CLI (the API path's floor)
 */
export async function buildRows(b: Bench): Promise<void> {
  const { BuildContext } = await import('../src/images/build/context.js');
  const { Daemon } = await import('../src/daemon/daemon.js');
  const dockerfile = `FROM ${BASE}\nENV APP=demo\nCOPY app.txt C:/app/\nRUN echo built> C:\\app\\built.txt\nCMD type C:\\app\\app.txt\n`;
  const files = { Dockerfile: dockerfile, 'app.txt': 'hello from the context' };
  const context = (): InstanceType<typeof BuildContext> =>
    new BuildContext(
      Object.entries(files).map(([p, t]) => [p, { type: 'file' as const, data: Buffer.from(t), linkname: '', mtime: new Date(0) }]),
      '\\\\?\\C:\\ProgramData\\docker\\tmp\\docker-builder0',
    );
  const quiet = { stdout: () => {}, stderr: () => {}, aux: () => {} };
  const host = await Host.open();
  await host.pull(BASE);
  const cold: number[] = [];
  for (let i = 0; i < SAMPLES; i++) cold.push(await ms(() => host.build(context(), { noCache: true }, quiet)));
  await host.build(context(), {}, quiet);
  const cached: number[] = [];
  for (let i = 0; i < 21; i++) cached.push(await ms(() => host.build(context(), {}, quiet)));
  const runs: number[] = [];
  for (let i = 0; i < 21; i++) {
    runs.push(
      await ms(async () => {
        const c = await host.createContainer({ image: BASE, cmd: ['cmd', '/c', 'exit'] });
        await (await c.start()).wait();
        await c.wait();
        await c.remove();
      }),
    );
  }
  // The API path: the real CLI against the daemon.
  const dir = mkdtempSync(join(tmpdir(), 'winsilo-bench-build-'));
  const socket = join(dir, 'd.sock');
  const daemon = await Daemon.start({ host, hosts: [`unix://${socket}`] });
  for (const [p, t] of Object.entries(files)) writeFileSync(join(dir, p), t);
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, DOCKER_CONFIG: join(dir, 'cfg'), DOCKER_HOST: `unix://${socket}` };
  const docker = (args: string[]): Promise<string> =>
    new Promise((resolve, reject) => execFile('/usr/local/bin/docker', args, { env }, (e, out, err) => (e ? reject(new Error(err || e.message)) : resolve(out))));
  await docker(['build', '-q', dir]);
  const cli: number[] = [];
  const version: number[] = [];
  for (let i = 0; i < 11; i++) {
    cli.push(await ms(() => docker(['build', '-q', dir])));
    version.push(await ms(() => docker(['version'])));
  }
  await daemon.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });

  const med = (xs: number[]): number => pct([...xs].sort((x, y) => x - y), 0.5);
  const spread = (xs: number[]): string => {
    const s = [...xs].sort((x, y) => x - y);
    return `p10–p90 ${pct(s, 0.1).toFixed(1)}–${pct(s, 0.9).toFixed(1)} ms`;
  };
  b.add({ bench: 'images.build.cold', impl: 'host.run', ns_per_op: med(runs) * 1e6, baseline: 'host.run', note: 'one `cmd /c exit` container: create, start, wait, remove' });
  b.add({ bench: 'images.build.cold', impl: 'winsilo', ns_per_op: med(cold) * 1e6, baseline: 'host.run', note: `5 steps on Server Core, --no-cache; ${spread(cold)}` });
  b.add({ bench: 'images.build.cached', impl: 'host.run', ns_per_op: med(runs) * 1e6, baseline: 'host.run' });
  b.add({ bench: 'images.build.cached', impl: 'winsilo', ns_per_op: med(cached) * 1e6, baseline: 'host.run', note: `every step from the cache; ${spread(cached)}; target < 200 ms` });
  b.add({ bench: 'images.build.cached.cli', impl: 'docker version', ns_per_op: med(version) * 1e6, baseline: 'docker version', note: 'the CLI’s round trip to the daemon' });
  b.add({ bench: 'images.build.cached.cli', impl: 'winsilo', ns_per_op: med(cli) * 1e6, baseline: 'docker version', note: `docker build -q through the CLI and daemon, cached; ${spread(cli)}; target < 200 ms` });
}
