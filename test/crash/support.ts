/**
 * The crash trials' harness (issue 11, "Crash safety"): a daemon in a child
 * process on a data root (daemon-child.ts, bundled here with esbuild so
 * the trials run the sources under test without a prior `npm run build`),
 * the real docker CLI pointed at it, SIGKILL at a seeded random point, a
 * restart on the same root, and the checks every trial ends with
 * (afterRestart, around each suite's own):
 *
 *  - through the CLI (checkThroughCli): the restarted daemon loaded every
 *    document; every container listed inspects and starts; every image
 *    listed inspects and runs `cmd /c echo ok`;
 *  - on the files (checkRootFiles, after a clean stop): no debris (`.tmp`
 *    files or folders) in images/, layers/, containers/, blobs/; every blob
 *    hashes to its name; the daemon's per-container files name containers
 *    that exist; then a Host opened here finds no load problem, its block
 *    store audits clean, and every disk and layer folder is named by a
 *    document (so the restart collected what the crash left half done).
 *
 * A trial's data root starts as a copy of a template root the test file
 * prepares once (pulls, containers, images), so each trial pays only for
 * its operation.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll } from 'vitest';
import tar from 'tar-stream';
import { Host, type Container } from '../../src/host/host.js';
import type { JournaledBlockStore } from '../../src/kernel/storage/index.js';
import { recordReliability } from '../support/reliability.js';

export const SERVERCORE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
export const DOCKER = process.env['WINSILO_DOCKER'] ?? '/usr/local/bin/docker';
const REPO = fileURLToPath(new URL('../..', import.meta.url));
/**
 * The tree the child is bundled from: this checkout, or (WINSILO_CRASH_TREE)
 * a copy of one — while others edit src/ a half-made change elsewhere can
 * break the bundle; a snapshot with this folder's changes keeps trials going.
 */
const TREE = process.env['WINSILO_CRASH_TREE'] ?? REPO;
const CHILD_SOURCE = join(TREE, 'test', 'crash', 'daemon-child.ts');

// ---- seeded randomness ---------------------------------------------------------------

/** xorshift32 from a seed: kill points and workloads (no unseeded randomness). */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

// ---- the child daemon ------------------------------------------------------------------

/**
 * The child's block store checkpoint threshold: small, so the flushes of a
 * commit, build or pull take checkpoints and some kills land in one
 * (a journal of Server Core's pull is 9 MB; the product's default is 64 MiB).
 */
const CHECKPOINT_BYTES = 2 << 20;

let bundled: Promise<string> | undefined;
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/**
 * Bundles daemon-child.ts (and the sources under it) into build/crash-<pid>/
 * once per worker. Inside the package, so src/core/wasm.ts finds build/*.wasm
 * by walking up.
 */
export function childBundle(): Promise<string> {
  return (bundled ??= (async () => {
    removeStaleBundles();
    const out = join(REPO, 'build', `crash-${process.pid}`);
    rmSync(out, { recursive: true, force: true });
    await build({
      entryPoints: [CHILD_SOURCE],
      outdir: out,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    return join(out, 'daemon-child.js');
  })());
}

// The bundle goes with the test file that made it (vitest ends its workers without an 'exit' event).
afterAll(() => {
  if (bundled) rmSync(join(REPO, 'build', `crash-${process.pid}`), { recursive: true, force: true });
});

/** Bundles of workers that are gone (killed before their afterAll). */
function removeStaleBundles(): void {
  for (const name of readdirSync(join(REPO, 'build'))) {
    const pid = /^crash-(\d+)$/.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch {
      rmSync(join(REPO, 'build', name), { recursive: true, force: true });
    }
  }
}

export interface Result {
  /** stdout as bytes (a tar from `docker cp … -`). */
  bytes: Buffer;
  stdout: string;
  stderr: string;
  code: number;
}

/** One run of the child daemon on a data root. */
export class CrashDaemon {
  stderr = '';
  /** The log up to READY: the restore (documents that failed to load, restart policies). */
  startLog = '';
  readonly exited: Promise<number | null>;
  private constructor(
    readonly child: ChildProcess,
    readonly root: string,
    readonly socket: string,
    readonly env: Record<string, string>,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts the daemon on `root` (socket `<root>.sock`) and resolves once it is READY; rejects if it exits first. */
  static async start(root: string): Promise<CrashDaemon> {
    const script = await childBundle();
    const socket = `${root}.sock`;
    rmSync(socket, { force: true });
    const child = spawn(process.execPath, [script, root, socket, String(CHECKPOINT_BYTES)], { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO });
    children.add(child);
    child.once('exit', () => children.delete(child));
    const home = `${root}.home`;
    mkdirSync(home, { recursive: true });
    // DOCKER_BUILDKIT=0: the classic builder, the one a Windows daemon has.
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, DOCKER_CONFIG: join(home, 'docker-config'), DOCKER_HOST: `unix://${socket}`, DOCKER_BUILDKIT: '0' };
    const d = new CrashDaemon(child, root, socket, env);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (c: string) => (d.stderr += c));
    // The child's stdout carries one line, READY (daemon-child.ts).
    child.stdout!.setEncoding('utf8');
    let out = '';
    const ready = new Promise<string>((resolve) =>
      child.stdout!.on('data', (c: string) => {
        out += c;
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
      }),
    );
    const early = d.exited.then((code) => {
      throw new Error(`the daemon exited (${code}) before it was ready: ${d.stderr}`);
    });
    const line = await Promise.race([ready, early]);
    if (line !== 'READY') throw new Error(`the daemon said ${line}`);
    d.startLog = d.stderr;
    return d;
  }

  /** The real docker CLI against this daemon (killed after `timeoutMs`: code -1). */
  docker(args: string[], timeoutMs = 120_000): Promise<Result> {
    return new Promise((resolve, reject) => {
      const child = spawn(DOCKER, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        const bytes = Buffer.concat(out);
        resolve({ bytes, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 });
      });
    });
  }

  /** `docker …` that must succeed: its stdout. */
  async must(args: string[]): Promise<string> {
    return (await this.mustRun(args)).stdout;
  }

  async mustRun(args: string[]): Promise<Result> {
    const r = await this.docker(args);
    if (r.code !== 0) throw new Error(`docker ${args.join(' ')} → ${r.code}: ${r.stderr.trim()}`);
    return r;
  }

  /** SIGKILL in `ms` (the seeded kill point); resolves once the process is gone. */
  killAfter(ms: number): Promise<void> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    return this.exited.then(() => clearTimeout(timer));
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: the daemon stops its containers, saves and exits. */
  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    const code = await this.exited;
    if (code !== 0) throw new Error(`the daemon's clean stop exited ${code}: ${this.stderr}`);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}

// ---- data roots -----------------------------------------------------------------------

/** A folder for this test file's roots (short: socket paths are limited to 107 bytes). */
export function crashBase(name: string): string {
  if (process.env['WINSILO_CRASH_KEEP'] === '1') console.log(`[crash] roots kept under ${tmpdir()}/wcr-${name}-*`);
  return mkdtempSync(join(tmpdir(), `wcr-${name}-`));
}

/** A template root: a daemon runs `prepare` on it and is stopped cleanly. */
export async function prepareTemplate(root: string, prepare: (d: CrashDaemon) => Promise<void>): Promise<void> {
  const d = await CrashDaemon.start(root);
  try {
    await prepare(d);
  } finally {
    if (d.alive) await d.stop();
  }
}

/** A trial's root: a copy of the template. */
export function copyRoot(template: string, root: string): void {
  rmSync(root, { recursive: true, force: true });
  cpSync(template, root, { recursive: true });
}

/**
 * A trial on its own copy of `template` at `root`, with a random source
 * seeded by `seed` and the words that name the trial in failures; the copy
 * goes afterwards (unless WINSILO_CRASH_KEEP=1).
 */
export async function onCopyOf<T>(template: string, root: string, seed: number, body: (rand: () => number, what: string) => Promise<T>): Promise<T> {
  copyRoot(template, root);
  try {
    return await body(prng(seed), `seed ${seed}`);
  } finally {
    removeRoot(root);
  }
}

/**
 * Numbered operations 1, 2, … (at most `max`) against `d`, which is killed
 * `plan.delayMs` after the `plan.after`-th was acknowledged: each
 * acknowledged result by its number (an operation answers undefined when it
 * failed, ending the series), and the number in flight at the kill (0:
 * none). The daemon is dead on return.
 */
export async function killDuringSeries<T>(d: CrashDaemon, max: number, plan: { after: number; delayMs: number }, op: (n: number) => Promise<T | undefined>): Promise<{ acked: Map<number, T>; inflight: number }> {
  const acked = new Map<number, T>();
  let inflight = 0;
  let killed: Promise<void> | undefined;
  for (let n = 1; n <= max && d.alive; n++) {
    if (acked.size === plan.after) killed ??= d.killAfter(plan.delayMs);
    inflight = n;
    const result = await op(n);
    if (result === undefined) break;
    acked.set(n, result);
    inflight = 0;
  }
  if (d.alive) await d.kill();
  await killed;
  return { acked, inflight };
}

export function removeRoot(root: string): void {
  // WINSILO_CRASH_KEEP=1 keeps every trial's root for a post-mortem.
  if (process.env['WINSILO_CRASH_KEEP'] === '1') return;
  rmSync(root, { recursive: true, force: true });
  rmSync(`${root}.home`, { recursive: true, force: true });
  rmSync(`${root}.sock`, { force: true });
}

// ---- the checks ------------------------------------------------------------------------

/**
 * After a restart: the daemon loaded every document; every container
 * inspects and (unless running) starts; every image inspects and runs.
 */
export async function checkThroughCli(d: CrashDaemon): Promise<void> {
  const failed = d.startLog.split('\n').filter((l) => /level=(error|fatal)/.test(l));
  if (failed.length > 0) throw new Error(`the restarted daemon logged: ${failed.join(' | ')}`);
  const rows = (await d.must(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.State}}'])).trim().split('\n').filter(Boolean);
  for (const row of rows) {
    const [id, state] = row.split(' ') as [string, string];
    await d.must(['container', 'inspect', id]);
    if (state !== 'running') await d.must(['start', id]);
  }
  const images = [...new Set((await d.must(['images', '-q', '--no-trunc'])).trim().split('\n').filter(Boolean))];
  for (const id of images) {
    await d.must(['image', 'inspect', id]);
    const out = await d.must(['run', '--rm', id, 'cmd', '/c', 'echo ok']);
    if (out.trim() !== 'ok') throw new Error(`docker run --rm ${id} cmd /c echo ok printed ${JSON.stringify(out)}`);
  }
}

/** Every path under `folder` (relative), files and folders. */
function walk(folder: string, prefix = ''): string[] {
  if (!existsSync(folder)) return [];
  const out: string[] = [];
  for (const name of readdirSync(folder)) {
    const rel = prefix ? `${prefix}/${name}` : name;
    out.push(rel);
    if (statSync(join(folder, name)).isDirectory()) out.push(...walk(join(folder, name), rel));
  }
  return out;
}

/**
 * A root no daemon holds, after a restart and a clean stop: no debris, every
 * blob whole, then (opened here) no load problem, a clean audit, every disk
 * and layer folder named by a document.
 */
export async function checkRootFiles(root: string): Promise<void> {
  for (const area of ['images', 'layers', 'containers', 'blobs', 'daemon']) {
    const debris = walk(join(root, area)).filter((p) => /\.tmp(\/|$)/.test(p));
    if (debris.length > 0) throw new Error(`debris left in ${area}/: ${debris.join(', ')}`);
  }
  const topDebris = readdirSync(root).filter((n) => n.endsWith('.tmp'));
  if (topDebris.length > 0) throw new Error(`debris left in the root: ${topDebris.join(', ')}`);
  const blobs = join(root, 'blobs', 'sha256');
  if (existsSync(blobs)) {
    for (const name of readdirSync(blobs)) {
      const hex = createHash('sha256').update(readFileSync(join(blobs, name))).digest('hex');
      if (hex !== name) throw new Error(`blob ${name} holds bytes of sha256 ${hex}`);
    }
  }
  const host = await Host.open({ dataRoot: root });
  try {
    if (host.loadProblems.length > 0) throw new Error(`load problems: ${JSON.stringify(host.loadProblems)}`);
    const store = host.blocks as JournaledBlockStore;
    const audit = store.audit().problem;
    if (audit !== '') throw new Error(`the block store's audit: ${audit}`);
    const disks = new Set<number>();
    const layers = new Set<string>();
    for (const i of host.images()) {
      for (const l of host.image(i.Id)!.layers) {
        disks.add(l.disk);
        layers.add(l.diffId.slice(7));
      }
    }
    const containers = host.containers({ all: true }) as Container[];
    for (const c of containers) {
      const s = c.record().sandbox;
      if (s) disks.add(s.disk);
      if (s?.programsLayer) disks.add(s.programsLayer.disk);
      // Its image's layers too: an image deleted while this container used it is kept for it, unlisted.
      for (const l of c.imageRecord.layers) {
        disks.add(l.disk);
        layers.add(l.diffId.slice(7));
      }
    }
    const have = store.diskIds();
    const named = [...disks].sort((a, b) => a - b);
    if (JSON.stringify(have) !== JSON.stringify(named)) throw new Error(`disks ${JSON.stringify(have)}, documents name ${JSON.stringify(named)}`);
    const folders = readdirSync(join(root, 'layers')).sort();
    if (JSON.stringify(folders) !== JSON.stringify([...layers].sort())) throw new Error(`layer folders ${folders.join(',')}, images name ${[...layers].join(',')}`);
    const ids = new Set(containers.map((c) => c.id));
    const daemonFiles = join(root, 'daemon', 'containers');
    for (const f of existsSync(daemonFiles) ? readdirSync(daemonFiles) : []) {
      const id = f.replace(/(-json\.log|\.json)$/, '');
      if (!ids.has(id)) throw new Error(`daemon/containers/${f} names no container`);
    }
  } finally {
    await host.close();
  }
}

// ---- trials ----------------------------------------------------------------------------

/** A suite's own checks on the restarted daemon, on either side of checkThroughCli. */
export interface RestartChecks {
  /** What the restore left, before checkThroughCli starts every stopped container: the acknowledged work is there. */
  restored?: (d: CrashDaemon) => Promise<void>;
  /** After it: the daemon works on from there (writes, builds, pulls or pushes again). */
  resumed?: (d: CrashDaemon) => Promise<void>;
}

/**
 * Every trial's end: a daemon started again on `root`, the suite's
 * `restored` checks, checkThroughCli, its `resumed` checks, a clean stop
 * (killed instead if anything threw), then checkRootFiles on the root no
 * daemon holds.
 */
export async function afterRestart(root: string, checks: RestartChecks): Promise<void> {
  const d = await CrashDaemon.start(root);
  try {
    await checks.restored?.(d);
    await checkThroughCli(d);
    await checks.resumed?.(d);
    await d.stop();
  } finally {
    if (d.alive) await d.kill();
  }
  await checkRootFiles(root);
}

export interface TrialOutcome {
  /** Where the kill landed, for the coverage line (not asserted: timing decides). */
  landed: string;
}

/**
 * Runs `count` trials one after another, each `trial(i)` throwing on a loss
 * or corruption; records the batch in the reliability ledger and returns
 * the failures (the caller asserts there are none) and where kills landed.
 */
export async function runTrials(suite: string, count: number, trial: (i: number) => Promise<TrialOutcome>): Promise<{ failures: string[]; landed: Record<string, number> }> {
  const failures: string[] = [];
  const landed: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    try {
      const o = await trial(i);
      landed[o.landed] = (landed[o.landed] ?? 0) + 1;
    } catch (e) {
      failures.push(`trial ${i}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  recordReliability({ family: 'crash', suite, trials: count, failures: failures.length, detail: Object.entries(landed).map(([k, v]) => `${k} ${v}`).join(', ') });
  // eslint-disable-next-line no-console
  console.log(`[crash] ${suite}: ${count} trials, ${failures.length} failures; kills landed: ${JSON.stringify(landed)}`);
  return { failures, landed };
}

/** The regular files of a tar (`docker cp C:\x -`), by name, and its folders (names without a trailing slash). */
export async function readTar(bytes: Buffer): Promise<{ files: Map<string, string>; folders: Set<string> }> {
  const files = new Map<string, string>();
  const folders = new Set<string>();
  const extract = tar.extract();
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const parts: Buffer[] = [];
      stream.on('data', (c: unknown) => void parts.push(c as Buffer));
      stream.on('end', () => {
        const name = header.name.replace(/\/$/, '');
        if (header.type === 'directory') folders.add(name);
        else files.set(name, Buffer.concat(parts).toString('utf8'));
        next();
      });
    });
    extract.on('finish', resolve);
    extract.on('error', reject);
  });
  extract.end(bytes);
  await done;
  return { files, folders };
}

/** ", mid-checkpoint" when the kill left a checkpoint half-taken in `root`'s block store (a coverage note). */
export function checkpointNote(root: string): string {
  const files = existsSync(join(root, 'blocks')) ? readdirSync(join(root, 'blocks')) : [];
  return files.includes('checkpoint.tmp') || files.filter((f) => f.startsWith('journal.')).length > 1 ? ', mid-checkpoint' : '';
}
