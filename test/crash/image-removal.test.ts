/**
 * Rule (design.md "State and durability"; src/host/README.md "What is
 * acknowledged when"): a removal is acknowledged when the CLI prints its
 * records (moby answers DELETE /images/{name} once the store has done it) —
 * every `Untagged: X` stays untagged and every `Deleted: <image id>` stays
 * gone after SIGKILL of the daemon; `docker rm` that returned keeps the
 * container gone. A removal under way at the kill is done or not, whole:
 * an image still listed runs, and nothing is left that no document names
 * (the image document goes first; its disks and layer folders are
 * collected at the restart).
 *
 * Each trial: a copy of a root holding Server Core, two committed images
 * (crash/a:1, also tagged crash/b:1; crash/c:1, used by the stopped
 * container `user`) and the container `src` they were committed from; the
 * daemon runs a seeded order of removals (an untag, a last-name removal, a
 * forced removal of an image a stopped container uses, `rm user`,
 * `image prune -a`) while a SIGKILL lands at a seeded point.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, trials } from '../support/budget.js';
import { afterRestart, checkpointNote, copyRoot, crashBase, CrashDaemon, onCopyOf, prepareTemplate, removeRoot, runTrials, SERVERCORE } from './support.js';

const TRIALS = trials(2);

const base = crashBase('rmi');
const template = join(base, 'template');
const ids: Record<string, string> = {};
/** How long the whole series of removals took while preparing (the kill window). */
let seriesMs = 300;
beforeAll(async () => {
  await prepareTemplate(template, async (d) => {
    await d.must(['pull', SERVERCORE]);
    await d.must(['run', '--name', 'src', SERVERCORE, 'cmd', '/c', 'mkdir C:\\app & echo app> C:\\app\\a.txt']);
    const commit = async (tag: string, label: string): Promise<string> => (await d.must(['commit', '-c', `LABEL n=${label}`, 'src', tag])).trim();
    ids['a'] = await commit('crash/a:1', 'a');
    ids['c'] = await commit('crash/c:1', 'c');
    await d.must(['tag', 'crash/a:1', 'crash/b:1']);
    await d.must(['create', '--name', 'user', 'crash/c:1', 'cmd', '/c', 'echo user']);
    ids['servercore'] = (await d.must(['image', 'inspect', '--format', '{{.Id}}', SERVERCORE])).trim();
  });
  // One unkilled run of the whole series on a copy: how long removals take here.
  const root = join(base, 'calibrate');
  copyRoot(template, root);
  const d = await CrashDaemon.start(root);
  const t = Date.now();
  for (const op of OPS) await d.docker(op.args);
  seriesMs = Date.now() - t;
  await d.kill();
  removeRoot(root);
}, 180_000);
afterAll(() => {
  if (process.env['WINSILO_CRASH_KEEP'] !== '1') rmSync(base, { recursive: true, force: true });
});

interface Removal {
  name: string;
  args: string[];
}
const OPS: Removal[] = [
  { name: 'untag', args: ['rmi', 'crash/b:1'] },
  { name: 'last name', args: ['rmi', 'crash/a:1'] },
  { name: 'forced, used by a stopped container', args: ['rmi', '-f', 'crash/c:1'] },
  { name: 'rm', args: ['rm', 'user'] },
  { name: 'prune', args: ['image', 'prune', '-a', '-f'] },
];

/** The seeded order of the removals (Fisher–Yates). */
function order(rand: () => number): Removal[] {
  const out = [...OPS];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function trial(i: number): Promise<{ landed: string }> {
  const root = join(base, `t${i}`);
  return onCopyOf(template, root, (SEED + i * 15485863) >>> 0, async (rand, what) => {
    const d = await CrashDaemon.start(root);
    const untagged = new Set<string>();
    const deleted = new Set<string>();
    const removedContainers = new Set<string>();
    let inflight: Removal | undefined;
    const killMs = Math.floor(rand() * seriesMs * 1.2);
    const killed = d.killAfter(killMs);
    for (const op of order(rand)) {
      if (!d.alive) break;
      inflight = op;
      const r = await d.docker(op.args);
      if (!d.alive && r.code !== 0) break;
      inflight = undefined;
      for (const m of r.stdout.matchAll(/^(?:untagged|Untagged): (\S+)$/gm)) untagged.add(m[1]!);
      for (const m of r.stdout.matchAll(/^(?:deleted|Deleted): (sha256:[0-9a-f]{64})$/gm)) deleted.add(m[1]!);
      if (op.name === 'rm' && r.code === 0) removedContainers.add('user');
    }
    if (d.alive) await d.kill();
    await killed;
    const landed = (inflight ? `in ${inflight.name}` : 'after the series') + checkpointNote(root);

    // What is still there is whole (checkThroughCli): the images run; so do the containers.
    await afterRestart(root, {
      restored: async (d) => {
        for (const tag of untagged) {
          const r = await d.docker(['image', 'inspect', tag]);
          if (r.code === 0) throw new Error(`${what}: ${tag} was untagged (acknowledged) and names an image after the restart`);
        }
        const listed = new Set((await d.must(['images', '-q', '--no-trunc'])).trim().split('\n').filter(Boolean));
        for (const id of deleted) {
          if (!/^sha256:/.test(id) || !Object.values(ids).includes(id)) continue; // a layer's chain id
          if (listed.has(id)) throw new Error(`${what}: ${id} was deleted (acknowledged) and is listed after the restart`);
        }
        for (const name of removedContainers) {
          if ((await d.docker(['container', 'inspect', name])).code === 0) throw new Error(`${what}: container ${name} was removed (acknowledged) and is there after the restart`);
        }
      },
    });
    return { landed };
  });
}

describe('SIGKILL during image removal', () => {
  it(`keeps every acknowledged untag, delete and rm, and leaves nothing half-removed (${TRIALS} trials)`, async () => {
    const { failures } = await runTrials('SIGKILL during image removal', TRIALS, trial);
    // eslint-disable-next-line no-console
    console.log(`[crash] image removal: the unkilled series took ${seriesMs} ms`);
    expect(failures).toEqual([]);
  }, 900_000);
});
