/**
 * Benchmarks of the engine (src/host on src/hcs, src/kernel, src/images):
 * what `docker run --rm` costs in process, and many idle containers at once.
 *
 * Rows:
 *   host.run.once           create + start (sandbox clone, silo boot) + run one process
 *                           + exit + remove of a Server Core container; median and p99
 *                           (note) over 300 runs, one after the other
 *   host.run.once           peer: spawning a real process on this machine
 *                           (child_process.spawnSync of /bin/true), the floor
 *                           of any container engine that starts a process
 *   host.containers1000     1000 idle Server Core containers started and kept running
 *                           (time per container; note: total and RSS growth)
 *   host.containers1000     baseline: the same 1000 silos booted on a bare kernel (no
 *                           sandbox volume, registry or engine) — what the engine adds
 *
 * Targets (issue 6): < 20 ms per container start-to-exit in-process; 1000
 * containers started in < 3 s within < 300 MB RSS.
 */
import { spawnSync } from 'node:child_process';
import { Host } from '../src/host/host.js';
import { Kernel } from '../src/kernel/process/index.js';
import type { Bench } from './harness.js';

const IMAGE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
const RUNS = 300;

function rss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export default async function hostBench(b: Bench): Promise<void> {
  const host = await Host.open();
  host.registerProgram('C:\\Windows\\System32\\exit0.exe', () => 0);
  host.registerProgram('C:\\Windows\\System32\\idle.exe', (ctx) => ctx.sleep(2 ** 31 - 1).then(() => 0));
  await host.pull(IMAGE);

  // One container at a time, start to exit.
  const runs: number[] = [];
  for (let i = 0; i < RUNS + 20; i++) {
    const t0 = process.hrtime.bigint();
    const c = await host.createContainer({ image: IMAGE, cmd: ['exit0.exe'] });
    const io = await c.start();
    await io.wait();
    await c.wait();
    await c.remove();
    const ns = Number(process.hrtime.bigint() - t0);
    if (i >= 20) runs.push(ns); // the first runs warm up
  }
  runs.sort((x, y) => x - y);
  const spawns: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync('/bin/true');
    spawns.push(Number(process.hrtime.bigint() - t0));
  }
  spawns.sort((x, y) => x - y);
  const median = percentile(runs, 0.5);
  b.add({
    bench: 'host.run.once',
    impl: 'winsilo',
    ns_per_op: median,
    baseline: 'spawn.true',
    note: `p99 ${(percentile(runs, 0.99) / 1e6).toFixed(2)} ms; target < 20 ms: ${median < 20e6 ? 'met' : 'NOT met'}`,
  });
  b.add({ bench: 'host.run.once', impl: 'spawn.true', ns_per_op: percentile(spawns, 0.5), baseline: 'spawn.true', note: 'a real process on this machine (child_process.spawnSync)' });

  // 1000 idle containers at once.
  const before = rss();
  const t0 = process.hrtime.bigint();
  const idle = [];
  for (let i = 0; i < 1000; i++) {
    const c = await host.createContainer({ image: IMAGE, cmd: ['idle.exe'] });
    await c.start();
    idle.push(c);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const grown = rss() - before;
  for (const c of idle) await c.remove({ force: true });
  await host.close();

  const kernel = new Kernel();
  const kBefore = rss();
  const k0 = process.hrtime.bigint();
  const silos = [];
  for (let i = 0; i < 1000; i++) {
    const s = kernel.createSilo({ flavor: 'servercore' });
    s.start();
    silos.push(s);
  }
  const kms = Number(process.hrtime.bigint() - k0) / 1e6;
  const kGrown = rss() - kBefore;
  for (const s of silos) s.terminate();

  const met = ms < 3000 && grown < 300 * 2 ** 20;
  b.add({
    bench: 'host.containers1000',
    impl: 'winsilo',
    ns_per_op: (ms * 1e6) / 1000,
    baseline: 'kernel.silos',
    note: `${ms.toFixed(0)} ms for 1000, RSS +${(grown / 2 ** 20).toFixed(0)} MiB; target < 3 s and < 300 MB: ${met ? 'met' : 'NOT met'}`,
  });
  b.add({ bench: 'host.containers1000', impl: 'kernel.silos', ns_per_op: (kms * 1e6) / 1000, baseline: 'kernel.silos', note: `${kms.toFixed(0)} ms, RSS +${(kGrown / 2 ** 20).toFixed(0)} MiB: silos booted on a bare kernel` });
}
