// Issue 11, "Load": many `docker run --rm` at once through the real CLI, many
// exec sessions at once through the Engine API (dockerode), and a churn of
// containers (create, start, stop, remove) with the host's memory flat at
// the end. Loopback only (the daemon's unix socket). Small counts under
// `npm test`; the issue's counts under `npm run test:reliability`
// (WINSILO_RELIABILITY=1): 50 runs, 200 execs, 1000 containers churned for
// up to 10 minutes.
import Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { setFlagsFromString, getHeapStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { RELIABILITY } from '../support/budget.js';
import { recordReliability } from '../support/reliability.js';
import { SERVERCORE, useDaemon } from '../daemon/support.js';
import { percentile } from './support.js';

/** churn: containers at least; churnMs: for at least this long (the issue's "10 minutes of churn"). */
const COUNTS = RELIABILITY ? { runs: 50, execs: 200, churn: 1000, churnMs: 10 * 60_000 } : { runs: 10, execs: 20, churn: 100, churnMs: 0 };

const daemon = useDaemon({ images: [SERVERCORE] });
const docker = (): Docker => new Docker({ socketPath: daemon().socket });

/** A full garbage collection (V8's gc, exposed at run time for this measurement). */
function collectGarbage(): void {
  const g = globalThis as { gc?: () => void };
  if (!g.gc) {
    setFlagsFromString('--expose-gc');
    g.gc = runInNewContext('gc') as () => void;
  }
  g.gc!();
  g.gc!();
}

function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: Buffer) => parts.push(c));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}

/** A multiplexed exec stream split into stdout and stderr text by dockerode's demuxer. */
async function demux(dk: Docker, stream: NodeJS.ReadableStream): Promise<{ out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o = collect(out);
  const e = collect(err);
  dk.modem.demuxStream(stream, out, err);
  await new Promise<void>((r) => stream.on('end', () => r()));
  out.end();
  err.end();
  return { out: (await o).toString(), err: (await e).toString() };
}

/** Runs `jobs` with at most `width` at once; each job's latency in ms. */
async function pool<T>(count: number, width: number, job: (i: number) => Promise<T>): Promise<{ results: T[]; ms: number[] }> {
  const results: T[] = new Array<T>(count);
  const ms: number[] = new Array<number>(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const t0 = performance.now();
      results[i] = await job(i);
      ms[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
  return { results, ms };
}

const fmt = (ms: number[]): string => `p50 ${percentile([...ms], 0.5).toFixed(0)} ms, p99 ${percentile([...ms], 0.99).toFixed(0)} ms`;

describe('load', () => {
  it(`${COUNTS.runs} concurrent \`docker run --rm … cmd /c echo\` through the CLI all print their line and leave nothing behind`, async () => {
    const t = daemon();
    const before = t.host.containers({ all: true }).length;
    const { results, ms } = await pool(COUNTS.runs, COUNTS.runs, (i) => t.docker(['run', '--rm', SERVERCORE, 'cmd', '/c', `echo run ${i}`]));
    const failed = results.filter((r, i) => r.code !== 0 || r.stdout !== `run ${i}\r\n`);
    recordReliability({ family: 'load', suite: `${COUNTS.runs} concurrent docker run --rm (CLI)`, trials: COUNTS.runs, failures: failed.length, detail: fmt(ms) });
    expect(failed).toEqual([]);
    expect(t.host.containers({ all: true }).length).toBe(before);
  });

  it(`${COUNTS.execs} concurrent exec sessions in one container all succeed with their own output and exit code`, async () => {
    const t = daemon();
    const dk = docker();
    const c = await dk.createContainer({ Image: SERVERCORE, Cmd: ['idle.exe'] });
    await c.start();
    try {
      const { results, ms } = await pool(COUNTS.execs, COUNTS.execs, async (i) => {
        const exec = await c.exec({ Cmd: ['cmd', '/c', `echo exec ${i}& exit ${i % 7}`], AttachStdout: true, AttachStderr: true });
        const stream = await exec.start({ hijack: true, stdin: false });
        const io = await demux(dk, stream);
        const info = await exec.inspect();
        return { ...io, code: info.ExitCode };
      });
      const failed = results.filter((r, i) => r.out !== `exec ${i}\r\n` || r.err !== '' || r.code !== i % 7);
      recordReliability({ family: 'load', suite: `${COUNTS.execs} concurrent exec sessions (Engine API)`, trials: COUNTS.execs, failures: failed.length, detail: fmt(ms) });
      expect(failed).toEqual([]);
      // Every exec has ended: only the main process's tree and the boot's are left.
      expect(t.host.container(c.id)!.accounting().BasicInfo.ActiveProcesses).toBeLessThan(40);
    } finally {
      await c.remove({ force: true });
    }
  });

  it(`a churn of ${COUNTS.churn}${COUNTS.churnMs ? ` containers and ${COUNTS.churnMs / 60_000} minutes` : ' containers'} (create, start, stop, remove) leaves the host's heap flat`, async () => {
    const t = daemon();
    const dk = docker();
    const width = 8;
    const churnOne = async (i: number): Promise<boolean> => {
      const c = await dk.createContainer({ Image: SERVERCORE, Cmd: ['cmd', '/c', `echo churn ${i}& idle.exe`] });
      await c.start();
      await c.stop({ t: 0 });
      await c.remove();
      return true;
    };
    // Warm-up: caches (image lookups, lazily loaded programs) fill on the first containers.
    const warm = Math.max(width * 2, Math.floor(COUNTS.churn / 10));
    await pool(warm, width, churnOne);
    collectGarbage();
    const heap0 = getHeapStatistics().used_heap_size;
    const rss0 = process.memoryUsage.rss();
    const t0 = performance.now();
    let done = 0;
    let failures = 0;
    const churned: number[] = [];
    // `width` at a time, until both COUNTS.churn containers and COUNTS.churnMs have passed.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < COUNTS.churn || performance.now() - t0 < COUNTS.churnMs) {
        const i = next++;
        const s0 = performance.now();
        const ok = await churnOne(i).catch(() => false);
        churned.push(performance.now() - s0);
        if (ok) done++;
        else failures++;
      }
    };
    await Promise.all(Array.from({ length: width }, worker));
    // Work the last containers left to the event loop's next turns goes first (a timer is a full turn).
    await new Promise<void>((resolve) => setTimeout(resolve, 50));
    collectGarbage();
    const heap1 = getHeapStatistics().used_heap_size;
    const rss1 = process.memoryUsage.rss();
    const grownKiB = (heap1 - heap0) / 1024;
    const perContainer = grownKiB / Math.max(1, done);
    const detail = `${done} containers in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${fmt(churned)}; heap ${(heap0 / 2 ** 20).toFixed(1)} → ${(heap1 / 2 ** 20).toFixed(1)} MiB (${perContainer.toFixed(2)} KiB per container), RSS ${(rss0 / 2 ** 20).toFixed(0)} → ${(rss1 / 2 ** 20).toFixed(0)} MiB`;
    // Flat: what is left after a full collection. Decision: 1 MiB + 2 KiB per container — V8's
    // compiled code grows by a few hundred KiB over a churn; a container whose silo, sandbox or
    // process records stay reachable leaks ~35 KiB (the main process's handle did, before it was closed).
    const flat = heap1 - heap0 < 2 ** 20 + 2048 * done;
    recordReliability({ family: 'load', suite: `churn of ${COUNTS.churn} containers`, trials: done + failures, failures: failures + (flat ? 0 : 1), detail });
    // eslint-disable-next-line no-console
    console.log(`[load] churn: ${detail}`);
    expect(failures).toBe(0);
    expect(t.host.containers({ all: true }).length).toBe(0);
    expect(flat).toBe(true);
  }, COUNTS.churnMs + 5 * 60_000);
});
