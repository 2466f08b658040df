/**
 * Rule (design.md "State and durability"; src/host/README.md "What is
 * acknowledged when"): an exec's end is a flush point — once `docker exec`
 * has returned 0, what the exec wrote to the container's C: survives
 * SIGKILL of the daemon; an exec under way at the kill is there whole or
 * not at all (the block store replays only complete flush groups, and a
 * lone container's only flush between two execs is the first one's end).
 *
 * Each trial: a copy of a root holding the stopped container `writer`
 * (`ping -t localhost`, C:\data made); the daemon starts it and runs a
 * seeded series of `docker exec writer cmd /c …` — new files, appends,
 * multi-block files written line by line, overwrites, deletions, renames,
 * folders — keeping a model of C:\data after each acknowledged exec; a
 * SIGKILL lands at a seeded point. After the restart `writer` shows
 * Exited (255) (moby's restore of a task that is gone), starts again, and
 * `docker cp writer:C:\data -` must equal the model after the last
 * acknowledged exec, or after the one under way at the kill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED, trials } from '../support/budget.js';
import { afterRestart, checkpointNote, crashBase, CrashDaemon, onCopyOf, prepareTemplate, readTar, runTrials, SERVERCORE } from './support.js';
import { join } from 'node:path';
import { rmSync } from 'node:fs';

const TRIALS = trials(3);
/** Kill points: uniform over this much of the exec series (≈ 10–25 execs on a loaded machine). */
const KILL_WINDOW_MS = 2500;
const MAX_EXECS = 400;

type Model = Map<string, string>;
interface Op {
  kind: string;
  command: string;
  apply(m: Model): void;
}

/** The seeded next exec: what it runs and what it does to the model of C:\data (names relative to C:\). */
function nextOp(rand: () => number, i: number, m: Model): Op {
  const files = [...m.keys()].filter((k) => /^data\/f\d+\.txt$/.test(k));
  const pick = (): string => files[Math.floor(rand() * files.length)]!;
  const win = (k: string): string => `C:\\${k.replace(/\//g, '\\')}`;
  const r = rand();
  if (r < 0.3 || files.length === 0) {
    const k = `data/f${i}.txt`;
    return { kind: 'create', command: `echo v${i}> ${win(k)}`, apply: (x) => void x.set(k, `v${i}\r\n`) };
  }
  if (r < 0.45) {
    return { kind: 'append', command: `echo v${i}>> C:\\data\\log.txt`, apply: (x) => void x.set('data/log.txt', (x.get('data/log.txt') ?? '') + `v${i}\r\n`) };
  }
  if (r < 0.6) {
    // Many small appends: dozens of NTFS operations and several blocks in one exec.
    const k = `data/big${i}.txt`;
    const lines = 40 + Math.floor(rand() * 120);
    let text = '';
    for (let n = 1; n <= lines; n++) text += `line${n}-v${i}-0123456789abcdef0123456789abcdef\r\n`;
    return { kind: 'lines', command: `for /l %n in (1,1,${lines}) do @echo line%n-v${i}-0123456789abcdef0123456789abcdef>> ${win(k)}`, apply: (x) => void x.set(k, text) };
  }
  if (r < 0.72) {
    const k = pick();
    return { kind: 'overwrite', command: `echo w${i}> ${win(k)}`, apply: (x) => void x.set(k, `w${i}\r\n`) };
  }
  if (r < 0.82) {
    const k = pick();
    return { kind: 'delete', command: `del ${win(k)}`, apply: (x) => void x.delete(k) };
  }
  if (r < 0.92) {
    const k = pick();
    const to = `data/f${i}.txt`;
    return {
      kind: 'rename',
      command: `ren ${win(k)} f${i}.txt`,
      apply: (x) => {
        x.set(to, x.get(k)!);
        x.delete(k);
      },
    };
  }
  const k = `data/d${i}/g.txt`;
  return { kind: 'folder', command: `mkdir C:\\data\\d${i} & echo g${i}> ${win(k)}`, apply: (x) => void x.set(k, `g${i}\r\n`) };
}

function show(m: Model): string {
  return JSON.stringify([...m.entries()].sort());
}

/** What differs between two models, briefly (names, and sizes of contents that differ). */
function differences(got: Model, want: Model): string {
  const out: string[] = [];
  for (const [k, v] of want) {
    if (!got.has(k)) out.push(`${k} missing`);
    else if (got.get(k) !== v) out.push(`${k} holds ${got.get(k)!.length} bytes ${JSON.stringify(got.get(k)!.slice(0, 24))}…, not ${v.length} ${JSON.stringify(v.slice(0, 24))}…`);
  }
  for (const k of got.keys()) if (!want.has(k)) out.push(`${k} should not exist`);
  return out.join('; ');
}

const base = crashBase('writes');
const template = join(base, 'template');
beforeAll(async () => {
  await prepareTemplate(template, async (d) => {
    await d.must(['pull', SERVERCORE]);
    await d.must(['run', '-d', '--name', 'writer', SERVERCORE, 'ping', '-t', 'localhost']);
    await d.must(['exec', 'writer', 'cmd', '/c', 'mkdir C:\\data']);
  });
}, 120_000);
afterAll(() => {
  if (process.env['WINSILO_CRASH_KEEP'] !== '1') rmSync(base, { recursive: true, force: true });
});

async function trial(i: number): Promise<{ landed: string }> {
  const root = join(base, `t${i}`);
  return onCopyOf(template, root, (SEED + i * 7919) >>> 0, async (rand, what) => {
    const d = await CrashDaemon.start(root);
    await d.must(['start', 'writer']);
    let acked: Model = new Map();
    let inflight: Op | undefined;
    const killMs = Math.floor(rand() * KILL_WINDOW_MS);
    const killed = d.killAfter(killMs);
    for (let n = 1; n <= MAX_EXECS && d.alive; n++) {
      const op = nextOp(rand, n, acked);
      inflight = op;
      const r = await d.docker(['exec', 'writer', 'cmd', '/c', op.command]);
      if (r.code !== 0) break;
      const next = new Map(acked);
      op.apply(next);
      acked = next;
      inflight = undefined;
    }
    await killed;
    const landed = (inflight ? `in ${inflight.kind}` : 'between execs') + checkpointNote(root);

    await afterRestart(root, {
      restored: async (d) => {
        const state = (await d.must(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'writer'])).trim();
        if (state !== 'exited 255') throw new Error(`${what}: writer is ${state} after the restart, not exited 255`);
      },
      // checkThroughCli has started writer again.
      resumed: async (d) => {
        const got = new Map<string, string>();
        for (const [k, v] of (await readTar((await d.mustRun(['cp', 'writer:C:\\data', '-'])).bytes)).files) got.set(k, v);
        const after = new Map(acked);
        inflight?.apply(after);
        if (show(got) !== show(acked) && !(inflight && show(got) === show(after))) {
          throw new Error(`${what}: C:\\data after the restart differs from the acknowledged state: ${differences(got, acked)}${inflight ? `; and from it with the ${inflight.kind} under way: ${differences(got, after)}` : ''}`);
        }
        // The sandbox takes writes again, and they are kept.
        await d.must(['exec', 'writer', 'cmd', '/c', 'echo again> C:\\data\\again.txt']);
        const again = (await d.must(['exec', 'writer', 'cmd', '/c', 'type C:\\data\\again.txt'])).trim();
        if (again !== 'again') throw new Error(`${what}: a write after the restart reads back ${JSON.stringify(again)}`);
      },
    });
    return { landed };
  });
}

describe('SIGKILL during container writes (docker exec)', () => {
  it(`keeps every acknowledged exec's files and nothing half-written (${TRIALS} trials)`, async () => {
    const { failures } = await runTrials('SIGKILL during container writes', TRIALS, trial);
    expect(failures).toEqual([]);
  }, 900_000);
});
