// Shared by the load tests: latency figures, and the daemon's /_ping timed
// while something else keeps the host busy.
import { request } from 'node:http';
import type { TestDaemon } from '../daemon/support.js';

/** The p-th quantile (0…1) of `values`, which it sorts. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(p * values.length))]!;
}

/** One GET /_ping on the daemon's socket: its latency in ms (rejects on an answer other than 200 OK). */
export function pingOnce(t: TestDaemon): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: t.socket, method: 'GET', path: '/_ping', headers: { Host: 'api.moby.localhost' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const body = Buffer.concat(parts).toString('utf8');
        if (res.statusCode === 200 && body === 'OK') resolve(performance.now() - t0);
        else reject(new Error(`/_ping answered ${res.statusCode}: ${body}`));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Pings the daemon one request after another until `done()` says stop: every latency, in ms. */
export async function pingUntil(t: TestDaemon, done: () => boolean): Promise<number[]> {
  const out: number[] = [];
  while (!done()) out.push(await pingOnce(t));
  return out;
}

/** Resolves after `ms` of the host's timers (the attack's duration, not a synchronisation). */
export function elapsed(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves when `cond()` holds, checking after each turn of the event loop; rejects after `ms`. */
export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 10));
  }
}
