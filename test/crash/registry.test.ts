/**
 * Rules (design.md "State and durability"; src/host/README.md "What is
 * acknowledged when"), against Debian's docker-registry on loopback:
 *
 *  - pull: acknowledged when the CLI prints `Status: Downloaded newer image
 *    for …` (moby writes the image to its store before that line) — the
 *    image, its tag and its files survive SIGKILL of the daemon. A pull
 *    under way leaves a whole image or none (layers imported into disks no
 *    document names are collected at the restart), and pulling again works.
 *  - push: acknowledged when the CLI prints `<tag>: digest: sha256:… size: N`
 *    (the registry has the manifest then) — the registry serves that digest
 *    for the tag after the restart. The local image is never harmed by a
 *    push killed midway, and pushing again works and gives the same digest.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, trials } from '../support/budget.js';
import { startRegistry, type RunningRegistry } from '../images/support/registry.js';
import { afterRestart, checkpointNote, copyRoot, crashBase, CrashDaemon, onCopyOf, prepareTemplate, removeRoot, runTrials, SERVERCORE } from './support.js';

const PULL_TRIALS = trials(1);
const PUSH_TRIALS = trials(1);

const base = crashBase('registry');
/** A root with Server Core and crash/app:1 (committed); the registry holds it as <registry>/crash/app:1 and :2 (another image). */
const pushTemplate = join(base, 'push-template');
/** A root with Server Core only: what pulls start from. */
const pullTemplate = join(base, 'pull-template');
let registry: RunningRegistry;
let pullMs = 500;
let pushMs = 500;

/** Pushes `ref`; the digest when the CLI printed it (acknowledged). */
async function pushRef(d: CrashDaemon, ref: string): Promise<string | undefined> {
  const r = await d.docker(['push', ref]);
  return r.code === 0 ? r.stdout.match(/: digest: (sha256:[0-9a-f]{64}) size: \d+/)?.[1] : undefined;
}

/** Pulls `ref`; 'ok' when the CLI printed its Status line (acknowledged). */
async function pullRef(d: CrashDaemon, ref: string): Promise<string | undefined> {
  const r = await d.docker(['pull', ref]);
  return r.code === 0 && /^Status: (Downloaded newer image|Image is up to date) for /m.test(r.stdout) ? 'ok' : undefined;
}

/** The digest the registry serves for `repo:tag` (undefined: none). */
async function registryDigest(repo: string, tag: string): Promise<string | undefined> {
  const r = await fetch(`http://${registry.address}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
  });
  return r.status === 200 ? (r.headers.get('docker-content-digest') ?? undefined) : undefined;
}

beforeAll(async () => {
  registry = await startRegistry();
  await prepareTemplate(pullTemplate, async (d) => {
    await d.must(['pull', SERVERCORE]);
  });
  copyRoot(pullTemplate, pushTemplate);
  await prepareTemplate(pushTemplate, async (d) => {
    const commit = async (tag: string, script: string): Promise<void> => {
      await d.must(['run', '--name', tag.replace(/\W/g, '-'), SERVERCORE, 'cmd', '/c', script]);
      await d.must(['commit', tag.replace(/\W/g, '-'), tag]);
    };
    await commit('crash/app:1', 'mkdir C:\\app & echo one> C:\\app\\a.txt & powershell -Command "Set-Content -Path C:\\app\\big.txt -Value (\'0123456789abcdef\' * 65536)"');
    await commit('crash/app:2', 'mkdir C:\\app & echo two> C:\\app\\a.txt');
    for (const tag of ['1', '2']) {
      await d.must(['tag', `crash/app:${tag}`, `${registry.address}/crash/app:${tag}`]);
      const t = Date.now();
      if ((await pushRef(d, `${registry.address}/crash/app:${tag}`)) === undefined) throw new Error(`the preparing push of :${tag} failed`);
      if (tag === '1') pushMs = Date.now() - t;
    }
  });
  // One unkilled pull of both tags: the kill window.
  const root = join(base, 'calibrate');
  copyRoot(pullTemplate, root);
  const d = await CrashDaemon.start(root);
  const t = Date.now();
  for (const tag of ['1', '2']) if ((await pullRef(d, `${registry.address}/crash/app:${tag}`)) === undefined) throw new Error('the calibrating pull failed');
  pullMs = Date.now() - t;
  await d.kill();
  removeRoot(root);
}, 300_000);
afterAll(async () => {
  await registry?.stop();
  if (process.env['WINSILO_CRASH_KEEP'] !== '1') rmSync(base, { recursive: true, force: true });
});

async function pullTrial(i: number): Promise<{ landed: string }> {
  const root = join(base, `pull${i}`);
  return onCopyOf(pullTemplate, root, (SEED + i * 32452843) >>> 0, async (rand, what) => {
    const d = await CrashDaemon.start(root);
    const acked: string[] = [];
    let inflight: string | undefined;
    const killed = d.killAfter(Math.floor(rand() * pullMs * 1.3));
    for (const tag of ['1', '2']) {
      const ref = `${registry.address}/crash/app:${tag}`;
      inflight = ref;
      if ((await pullRef(d, ref)) === undefined) break;
      acked.push(ref);
      inflight = undefined;
    }
    if (d.alive) await d.kill();
    await killed;
    const landed = (inflight ? `in pull ${acked.length + 1}` : 'after both pulls') + checkpointNote(root);

    await afterRestart(root, {
      restored: async (d) => {
        for (const ref of acked) {
          const out = (await d.docker(['run', '--rm', ref, 'cmd', '/c', 'type C:\\app\\a.txt'])).stdout;
          const want = ref.endsWith(':1') ? 'one' : 'two';
          if (out.trim() !== want) throw new Error(`${what}: acknowledged pull of ${ref} runs with ${JSON.stringify(out)} after the restart`);
        }
      },
      // Pulling again completes what the kill cut short.
      resumed: async (d) => {
        for (const tag of ['1', '2']) if ((await pullRef(d, `${registry.address}/crash/app:${tag}`)) === undefined) throw new Error(`${what}: pulling :${tag} again after the restart failed`);
        const again = (await d.must(['run', '--rm', `${registry.address}/crash/app:1`, 'cmd', '/c', 'type C:\\app\\a.txt'])).trim();
        if (again !== 'one') throw new Error(`${what}: after pulling again :1 runs with ${JSON.stringify(again)}`);
      },
    });
    return { landed };
  });
}

async function pushTrial(i: number): Promise<{ landed: string }> {
  const root = join(base, `push${i}`);
  const seed = (SEED + i * 49979687) >>> 0;
  return onCopyOf(pushTemplate, root, seed, async (rand, what) => {
    const repo = `crash/push-${seed}`;
    const d = await CrashDaemon.start(root);
    const acked = new Map<string, string>();
    let inflight: string | undefined;
    const killed = d.killAfter(Math.floor(rand() * pushMs * 2.5));
    for (const tag of ['1', '2']) {
      const ref = `${registry.address}/${repo}:${tag}`;
      await d.docker(['tag', `crash/app:${tag}`, ref]);
      if (!d.alive) break;
      inflight = ref;
      const digest = await pushRef(d, ref);
      if (digest === undefined) break;
      acked.set(tag, digest);
      inflight = undefined;
    }
    if (d.alive) await d.kill();
    await killed;
    const landed = (inflight ? `in push ${acked.size + 1}` : acked.size === 2 ? 'after both pushes' : 'before a push') + checkpointNote(root);

    for (const [tag, digest] of acked) {
      const served = await registryDigest(repo, tag);
      if (served !== digest) throw new Error(`${what}: acknowledged push of ${repo}:${tag} (${digest}): the registry serves ${served ?? 'nothing'}`);
    }
    await afterRestart(root, {
      resumed: async (d) => {
        for (const tag of ['1', '2']) {
          const ref = `${registry.address}/${repo}:${tag}`;
          await d.docker(['tag', `crash/app:${tag}`, ref]);
          const digest = await pushRef(d, ref);
          if (digest === undefined) throw new Error(`${what}: pushing ${ref} again after the restart failed`);
          if (acked.has(tag) && acked.get(tag) !== digest) throw new Error(`${what}: ${ref} pushed again has digest ${digest}, not ${acked.get(tag)}`);
        }
      },
    });
    return { landed };
  });
}

describe('SIGKILL during a pull from a registry', () => {
  it(`keeps every acknowledged pull, and a cut pull leaves nothing half-made (${PULL_TRIALS} trials)`, async () => {
    const { failures } = await runTrials('SIGKILL during pull', PULL_TRIALS, pullTrial);
    // eslint-disable-next-line no-console
    console.log(`[crash] pull: both pulls took ${pullMs} ms`);
    expect(failures).toEqual([]);
  }, 900_000);
});

describe('SIGKILL during a push to a registry', () => {
  it(`keeps every acknowledged push in the registry and the local image whole (${PUSH_TRIALS} trials)`, async () => {
    const { failures } = await runTrials('SIGKILL during push', PUSH_TRIALS, pushTrial);
    // eslint-disable-next-line no-console
    console.log(`[crash] push: one push took ${pushMs} ms`);
    expect(failures).toEqual([]);
  }, 900_000);
});
