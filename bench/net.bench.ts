/**
 * Benchmarks of container networking (issue 10): requests per second and
 * p99 latency of IIS in a container serving a 4 KiB static file through a
 * published port, beside a plain node http server on the host serving the
 * same bytes with the same headers, in the same run. Load from Debian's
 * wrk (2 threads, 32 connections, keep-alive), bounded in time, on the
 * loopback only.
 *
 * Rows: net.iis4k — impl `winsilo` (published port → HTTP.sys → IIS site,
 * the file served from the site's cache while C: is unchanged) against
 * impl `node-http` (the floor). The two alternate in 3-second windows,
 * three rounds each, so a change in the machine's load falls on both;
 * ns_per_op = 1e9 / the median requests per second, so the ratio is the
 * fraction of the plain server's throughput reached. Notes: requests/s,
 * p99, and this process's CPU time per request (both servers run in it:
 * a figure other jobs on the machine barely move), the per-round ratios.
 *
 * Target (issue 10): ≥ 50 % of the plain server's throughput.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { Host, type Container } from '../src/host/host.js';
import { w3svcRunning } from '../src/net/index.js';
import type { Bench } from './harness.js';

const IIS = 'mcr.microsoft.com/windows/servercore/iis';
const WRK = process.env['WINSILO_WRK'] ?? '/usr/bin/wrk';
/** Seconds per wrk window; the two servers alternate ROUNDS times (A B A B …) so that a change in the machine's load hits both. */
const DURATION_S = 3;
const ROUNDS = 3;
const FILE = 'bench4k.txt';

interface WrkResult {
  rps: number;
  p99ms: number;
  /** This process's CPU time (user + system, µs) per request during the window: both servers live in this process, so it is their cost whatever else loads the machine. */
  cpuUsPerRequest: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function parseMs(v: string, unit: string): number {
  const n = Number(v);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

function wrk(url: string): Promise<WrkResult> {
  const cpu0 = process.cpuUsage();
  return new Promise((resolve, reject) => {
    const p = spawn(WRK, ['-t2', '-c32', `-d${DURATION_S}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.on('error', reject);
    p.on('close', () => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const p99 = /\s99%\s+([\d.]+)(us|ms|s)\b/.exec(out);
      const total = /(\d+) requests in/.exec(out);
      const cpu = process.cpuUsage(cpu0);
      if (!rps || !p99 || !total) reject(new Error(`wrk output not understood:\n${out}`));
      else resolve({ rps: Number(rps[1]), p99ms: parseMs(p99[1]!, p99[2]!), cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, Number(total[1])) });
    });
  });
}

export default async function netBench(b: Bench): Promise<void> {
  if (!existsSync(WRK)) {
    b.add({ bench: 'net.iis4k', impl: 'skipped', note: `no ${WRK} (apt-get install -y wrk)` });
    return;
  }
  const body = Buffer.alloc(4096, 'winsilo 4 KiB of static content. ');
  const host = await Host.open({});
  try {
    await host.pull(IIS);
    const c = (await host.createContainer({ image: IIS, name: 'bench-iis', portBindings: { '80/tcp': [{ HostIp: '', HostPort: '0' }] } })) as Container;
    await c.start();
    const silo = c.computeSystem!.silo!;
    const h = silo.fs!.open(`C:\\inetpub\\wwwroot\\${FILE}`, 'C:\\', { disposition: 'overwriteIf', write: true, nonDirectory: true });
    h.write(0, body);
    h.close();
    // ServiceMonitor restarts W3SVC at start: wait (bounded) until it runs again.
    for (let i = 0; i < 10_000 && !w3svcRunning(silo); i++) await new Promise((r) => setImmediate(r));
    const port = c.networkState.ports[0]!.hostPort;

    const lastModified = new Date().toUTCString();
    const plain = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Last-Modified': lastModified, 'Accept-Ranges': 'bytes', ETag: '"1d9:0"', Server: 'node', 'Content-Length': body.length });
      res.end(body);
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
    const plainPort = (plain.address() as { port: number }).port;
    try {
      const floors: WrkResult[] = [];
      const ourRuns: WrkResult[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        floors.push(await wrk(`http://127.0.0.1:${plainPort}/${FILE}`));
        ourRuns.push(await wrk(`http://127.0.0.1:${port}/${FILE}`));
      }
      // The median of each series; the ratio of the medians is the row's ratio (ns_per_op = 1e9 / req/s).
      const floor = { rps: median(floors.map((r) => r.rps)), p99ms: median(floors.map((r) => r.p99ms)), cpu: median(floors.map((r) => r.cpuUsPerRequest)) };
      const ours = { rps: median(ourRuns.map((r) => r.rps)), p99ms: median(ourRuns.map((r) => r.p99ms)), cpu: median(ourRuns.map((r) => r.cpuUsPerRequest)) };
      const pairs = ourRuns.map((r, i) => (r.rps / floors[i]!.rps).toFixed(2)).join(' ');
      b.add({ bench: 'net.iis4k', impl: 'node-http', ns_per_op: 1e9 / floor.rps, note: `${floor.rps.toFixed(0)} req/s, p99 ${floor.p99ms.toFixed(2)} ms, ${floor.cpu.toFixed(1)} µs CPU/req (median of ${ROUNDS})` });
      b.add({
        bench: 'net.iis4k',
        impl: 'winsilo',
        baseline: 'node-http',
        ns_per_op: 1e9 / ours.rps,
        note: `${ours.rps.toFixed(0)} req/s, p99 ${ours.p99ms.toFixed(2)} ms, ${ours.cpu.toFixed(1)} µs CPU/req (median of ${ROUNDS}; per-round ratios ${pairs}; CPU ratio ${(floor.cpu / ours.cpu).toFixed(2)}); target ≥ 50 % of node-http`,
      });
    } finally {
      plain.close();
    }
    await c.stop(1);
  } finally {
    await host.close();
  }
}
