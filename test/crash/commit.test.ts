/**
 * Rule (design.md "State and durability"; src/host/README.md "What is
 * acknowledged when"): a commit is acknowledged when `docker commit`
 * prints the image id (moby answers POST /commit only after the image is
 * in its store) — that image, with its tag, its files and registry values,
 * survives SIGKILL of the daemon. A commit under way at the kill leaves
 * either a whole image or nothing: no layer disk, layer folder or image
 * document without the rest (the restart collects what no document names).
 *
 * Each trial: a copy of a root holding the stopped container `src` (a
 * folder, a 1 MB file and a registry value written); the daemon commits it
 * again and again as crash/app:<n> (each with its own LABEL, so each is a
 * new image on the same layer content), and a SIGKILL lands at a seeded
 * point. After the restart every acknowledged tag names its id and runs
 * with the files and the value.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, trials } from '../support/budget.js';
import { CrashDaemon, SERVERCORE, afterRestart, crashBase, killDuringSeries, onCopyOf, prepareTemplate, checkpointNote, runTrials } from './support.js';

const TRIALS = trials(2);
const MAX_COMMITS = 60;

const base = crashBase('commit');
const template = join(base, 'template');
/** How long one commit took while preparing (the kill window is a few of them). */
let commitMs = 500;
beforeAll(async () => {
  await prepareTemplate(template, async (d) => {
    await d.must(['pull', SERVERCORE]);
    const script = [
      'mkdir C:\\app',
      'echo app> C:\\app\\a.txt',
      'reg add HKLM\\SOFTWARE\\crashapp /v V /d one /f',
      // ~1 MB in one file: the commit's layer has real blocks to export and hash.
      'powershell -Command "Set-Content -Path C:\\app\\big.txt -Value (\'0123456789abcdef\' * 65536)"',
    ].join(' & ');
    await d.must(['run', '--name', 'src', SERVERCORE, 'cmd', '/c', script]);
    const t = Date.now();
    const id = await commit(d, 0);
    if (id === undefined) throw new Error('the preparing commit failed');
    commitMs = Date.now() - t;
    await d.must(['rmi', 'crash/app:0']);
  });
}, 180_000);
afterAll(() => {
  if (process.env['WINSILO_CRASH_KEEP'] !== '1') rmSync(base, { recursive: true, force: true });
});

/** Commits `src` as crash/app:<n>; the image id when the CLI printed it. */
async function commit(d: CrashDaemon, n: number): Promise<string | undefined> {
  const r = await d.docker(['commit', '-c', `LABEL n=${n}`, 'src', `crash/app:${n}`]);
  return r.code === 0 ? r.stdout.trim().match(/^sha256:[0-9a-f]{64}$/m)?.[0] : undefined;
}

async function trial(i: number): Promise<{ landed: string }> {
  const root = join(base, `t${i}`);
  return onCopyOf(template, root, (SEED + i * 104729) >>> 0, async (rand, what) => {
    const d = await CrashDaemon.start(root);
    // The kill: a seeded delay within about one commit, after a seeded number (0–2) of acknowledged ones.
    const plan = { after: Math.floor(rand() * 3), delayMs: Math.floor(rand() * commitMs * 1.2) };
    const { acked, inflight } = await killDuringSeries(d, MAX_COMMITS, plan, (n) => commit(d, n));
    const landed = (inflight ? (acked.size === 0 ? 'in the first commit' : 'in a later commit') : 'between commits') + checkpointNote(root);

    // An image of the commit under way is whole if it is there at all (checkThroughCli runs every image).
    await afterRestart(root, {
      restored: async (d) => {
        for (const [n, id] of acked) {
          const tag = `crash/app:${n}`;
          const got = (await d.docker(['image', 'inspect', '--format', '{{.Id}}', tag])).stdout.trim();
          if (got !== id) throw new Error(`${what}: acknowledged ${tag} (${id}) is ${got || 'gone'} after the restart`);
          const out = await d.must(['run', '--rm', tag, 'cmd', '/c', 'type C:\\app\\a.txt & reg query HKLM\\SOFTWARE\\crashapp /v V']);
          if (!/^app ?\r?\n/.test(out) || !/V\s+REG_SZ\s+one/.test(out)) throw new Error(`${what}: ${tag} runs with ${JSON.stringify(out)}`);
        }
      },
    });
    return { landed };
  });
}

describe('SIGKILL during docker commit', () => {
  it(`keeps every image whose id was printed, and no half-made one (${TRIALS} trials)`, async () => {
    const { failures } = await runTrials('SIGKILL during commit', TRIALS, trial);
    // eslint-disable-next-line no-console
    console.log(`[crash] commit: one commit took ${commitMs} ms`);
    expect(failures).toEqual([]);
  }, 900_000);
});
