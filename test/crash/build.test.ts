/**
 * Rule (design.md "State and durability"; src/host/README.md "What is
 * acknowledged when"): a build is acknowledged when the CLI prints
 * `Successfully tagged <name>` (the classic builder tags after the last
 * step's image is in the store) — that image, its files and its config
 * survive SIGKILL of the daemon. A build under way leaves whole images or
 * none: each step's image is a commit (acknowledged when the next step
 * starts from it), and an intermediate container left by the kill is an
 * ordinary stopped container (moby leaves them too) that still starts.
 *
 * Each trial: a copy of a root holding Server Core; the daemon builds
 * crash/built:<n> again and again from a context whose Dockerfile has a
 * COPY (cached after the first), a RUN writing a file with <n>, an ENV and
 * a LABEL, through the real CLI's classic builder (DOCKER_BUILDKIT=0); a
 * SIGKILL lands at a seeded point.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, trials } from '../support/budget.js';
import { CrashDaemon, SERVERCORE, afterRestart, crashBase, killDuringSeries, onCopyOf, prepareTemplate, checkpointNote, runTrials } from './support.js';

const TRIALS = trials(1);
const MAX_BUILDS = 30;

const base = crashBase('build');
const template = join(base, 'template');
const context = join(base, 'context');
let buildMs = 1000;

function dockerfile(n: number): string {
  return [`FROM ${SERVERCORE}`, 'COPY a.txt C:/app/a.txt', `RUN echo built-${n}> C:\\app\\b.txt`, `ENV N=${n}`, `LABEL n=${n}`, ''].join('\n');
}

/** Builds crash/built:<n>; its short id when the CLI printed it as tagged. */
async function build(d: CrashDaemon, n: number): Promise<string | undefined> {
  writeFileSync(join(context, `Dockerfile.${n}`), dockerfile(n));
  const r = await d.docker(['build', '-f', join(context, `Dockerfile.${n}`), '-t', `crash/built:${n}`, context]);
  if (r.code !== 0 || !r.stdout.includes(`Successfully tagged crash/built:${n}`)) return undefined;
  return r.stdout.match(/^Successfully built ([0-9a-f]{12})$/m)?.[1];
}

beforeAll(async () => {
  mkdirSync(context, { recursive: true });
  writeFileSync(join(context, 'a.txt'), 'from the context\r\n');
  await prepareTemplate(template, async (d) => {
    await d.must(['pull', SERVERCORE]);
    // One unkilled build: the kill window (crash/built:0 stays in the template).
    const t = Date.now();
    if ((await build(d, 0)) === undefined) throw new Error('the calibrating build failed');
    buildMs = Date.now() - t;
  });
}, 180_000);
afterAll(() => {
  if (process.env['WINSILO_CRASH_KEEP'] !== '1') rmSync(base, { recursive: true, force: true });
});

async function trial(i: number): Promise<{ landed: string }> {
  const root = join(base, `t${i}`);
  return onCopyOf(template, root, (SEED + i * 86028121) >>> 0, async (rand, what) => {
    const d = await CrashDaemon.start(root);
    // The kill: a seeded delay within about one build, after a seeded number (0–1) of acknowledged ones.
    const plan = { after: Math.floor(rand() * 2), delayMs: Math.floor(rand() * buildMs * 1.2) };
    const { acked, inflight } = await killDuringSeries(d, MAX_BUILDS, plan, (n) => build(d, n));
    const landed = (inflight ? (acked.size === 0 ? 'in the first build' : 'in a later build') : 'between builds') + checkpointNote(root);

    await afterRestart(root, {
      restored: async (d) => {
        for (const [n, short] of acked) {
          const id = (await d.docker(['image', 'inspect', '--format', '{{.Id}}', `crash/built:${n}`])).stdout.trim();
          if (!id.startsWith(`sha256:${short}`)) throw new Error(`${what}: acknowledged build crash/built:${n} (${short}) is ${id || 'gone'} after the restart`);
          const out = await d.must(['run', '--rm', `crash/built:${n}`, 'cmd', '/c', 'type C:\\app\\a.txt & type C:\\app\\b.txt & echo N=%N%']);
          if (out !== `from the context\r\nbuilt-${n}\r\nN=${n}\r\n`) throw new Error(`${what}: crash/built:${n} runs with ${JSON.stringify(out)}`);
        }
      },
      // Building again works (the cache is rebuilt from the images there).
      resumed: async (d) => {
        if ((await build(d, 99)) === undefined) throw new Error(`${what}: a build after the restart failed`);
      },
    });
    return { landed };
  });
}

describe('SIGKILL during docker build', () => {
  it(`keeps every image the CLI tagged, and a cut build leaves only whole images (${TRIALS} trials)`, async () => {
    const { failures } = await runTrials('SIGKILL during build', TRIALS, trial);
    // eslint-disable-next-line no-console
    console.log(`[crash] build: one unkilled build took ${buildMs} ms`);
    expect(failures).toEqual([]);
  }, 900_000);
});
