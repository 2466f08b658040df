// Health checks through the real docker CLI, as moby v28's daemon/health.go
// runs them on Windows: probes by exec (CMD-SHELL through `cmd /S /C` or the
// image's SHELL), starting → healthy / unhealthy after `retries` failures,
// the timeout's text, the last five results, health_status events, the
// `(health: …)` in docker ps and its filter, and validateHealthCheck's texts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SERVERCORE, useDaemon } from './support.js';

const d = useDaemon({ images: [SERVERCORE] });

interface Health {
  Status: string;
  FailingStreak: number;
  Log: { Start: string; End: string; ExitCode: number; Output: string }[];
}

async function health(name: string): Promise<Health | null> {
  return JSON.parse((await d().docker(['inspect', '-f', '{{json .State.Health}}', name])).stdout) as Health | null;
}

/** Inspects until the container's health satisfies `ok` (bounded by a number of inspects, not a clock). */
async function healthWhen(name: string, ok: (h: Health) => boolean): Promise<Health> {
  for (let i = 0; i < 400; i++) {
    const h = await health(name);
    if (h && ok(h)) return h;
  }
  throw new Error(`health of ${name} never reached the state: ${JSON.stringify(await health(name))}`);
}

const status = async (name: string) => (await d().docker(['ps', '-a', '--filter', `name=^${name}$`, '--format', '{{.Status}}'])).stdout.trim();

describe('health checks', () => {
  test('--health-cmd: starting, then healthy; ps shows it; the log holds the last five probes', async () => {
    // Until the first probe (one interval after the start) it is starting.
    expect((await d().docker(['run', '-d', '--name', 'ok0', '--health-cmd', 'echo fine', '--health-interval', '10m', SERVERCORE, 'ping', '-t', 'localhost'])).code).toBe(0);
    expect(await status('ok0')).toMatch(/^Up (Less than a second|\d+ seconds?) \(health: starting\)$/);
    expect(await health('ok0')).toEqual({ Status: 'starting', FailingStreak: 0, Log: [] });
    expect((await d().docker(['ps', '--filter', 'health=starting', '--format', '{{.Names}}'])).stdout).toBe('ok0\n');
    await d().docker(['rm', '-f', 'ok0']);
    expect((await d().docker(['run', '-d', '--name', 'ok1', '--health-cmd', 'echo fine', '--health-interval', '50ms', SERVERCORE, 'ping', '-t', 'localhost'])).code).toBe(0);
    expect(JSON.parse((await d().docker(['inspect', '-f', '{{json .Config.Healthcheck}}', 'ok1'])).stdout)).toEqual({ Test: ['CMD-SHELL', 'echo fine'], Interval: 50_000_000 });
    const h = await healthWhen('ok1', (x) => x.Log.length === 5);
    expect(h.Status).toBe('healthy');
    expect(h.FailingStreak).toBe(0);
    expect(h.Log.every((l) => l.ExitCode === 0 && l.Output === 'fine\r\n')).toBe(true);
    expect(Date.parse(h.Log[0]!.End)).toBeGreaterThanOrEqual(Date.parse(h.Log[0]!.Start));
    expect(await status('ok1')).toMatch(/ \(healthy\)$/);
    expect((await d().docker(['ps', '--filter', 'health=healthy', '--format', '{{.Names}}'])).stdout).toBe('ok1\n');
    expect((await d().docker(['ps', '--filter', 'health=none', '--filter', 'name=ok1', '--format', '{{.Names}}'])).stdout).toBe('');
    // A stop ends the probing and leaves it unhealthy; a start is `starting` again with the log kept.
    expect((await d().docker(['stop', '-t', '1', 'ok1'])).code).toBe(0);
    expect((await health('ok1'))!.Status).toBe('unhealthy');
    expect((await d().docker(['start', 'ok1'])).code).toBe(0);
    const again = (await health('ok1'))!;
    expect(again.Status === 'starting' || again.Status === 'healthy').toBe(true);
    expect(again.Log.length).toBe(5);
    await d().docker(['rm', '-f', 'ok1']);
  }, 60_000);

  test('a failing probe: unhealthy after `retries` failures in a row, one health_status event, each probe an exec', async () => {
    const since = String(Math.floor(Date.now() / 1000) - 1);
    expect((await d().docker(['run', '-d', '--name', 'bad1', '--health-cmd', 'echo failing & exit 3', '--health-interval', '50ms', '--health-retries', '2', SERVERCORE, 'ping', '-t', 'localhost'])).code).toBe(0);
    const h = await healthWhen('bad1', (x) => x.FailingStreak >= 3);
    expect(h.Status).toBe('unhealthy');
    expect(h.Log[0]).toMatchObject({ ExitCode: 3, Output: 'failing \r\n' });
    expect(await status('bad1')).toMatch(/ \(unhealthy\)$/);
    await d().docker(['rm', '-f', 'bad1']);
    const events = (await d().docker(['events', '--since', since, '--until', String(Math.floor(Date.now() / 1000) + 1), '--filter', 'container=bad1', '--format', '{{.Action}}'])).stdout.split('\n');
    expect(events.filter((e) => e.startsWith('health_status'))).toEqual(['health_status: unhealthy']);
    expect(events).toContain('exec_create: cmd /S /C echo failing & exit 3');
    expect(events).toContain('exec_start: cmd /S /C echo failing & exit 3');
  }, 60_000);

  test('a probe past its timeout is killed: exit code -1 and moby’s text with what it wrote', async () => {
    expect((await d().docker(['run', '-d', '--name', 'slow1', '--health-cmd', 'echo started& ping -n 30 localhost >nul', '--health-timeout', '300ms', '--health-interval', '50ms', '--health-retries', '1', SERVERCORE, 'ping', '-t', 'localhost'])).code).toBe(0);
    const h = await healthWhen('slow1', (x) => x.Log.length > 0);
    expect(h.Status).toBe('unhealthy');
    expect(h.Log[0]).toMatchObject({ ExitCode: -1, Output: 'Health check exceeded timeout (300ms): started\r\n' });
    await d().docker(['rm', '-f', 'slow1']);
  }, 60_000);

  test("the image's HEALTHCHECK runs through its SHELL; --no-healthcheck turns it off", async () => {
    const ctx = mkdtempSync(join(d().dir, 'health-ctx-'));
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM ' + SERVERCORE + '\nSHELL ["powershell", "-Command"]\nHEALTHCHECK --interval=50ms CMD if (Test-Path C:\\Windows) { exit 0 } else { exit 1 }\n');
    expect((await d().docker(['build', '-q', '-t', 'withhealth', ctx], { env: { DOCKER_BUILDKIT: '0' } })).code).toBe(0);
    expect((await d().docker(['run', '-d', '--name', 'img1', 'withhealth', 'ping', '-t', 'localhost'])).code).toBe(0);
    expect((await healthWhen('img1', (x) => x.Log.length > 0)).Status).toBe('healthy');
    expect((await d().docker(['run', '-d', '--name', 'img2', '--no-healthcheck', 'withhealth', 'ping', '-t', 'localhost'])).code).toBe(0);
    expect(await health('img2')).toBeNull();
    expect(await status('img2')).toMatch(/^Up [^(]+$/);
    await d().docker(['rm', '-f', 'img1', 'img2']);
  }, 60_000);

  test("validateHealthCheck's texts, and the health filter's", async () => {
    const create = async (hc: Record<string, unknown>) => {
      const r = await d().http('POST', '/v1.50/containers/create', JSON.stringify({ Image: SERVERCORE, Healthcheck: { Test: ['CMD-SHELL', 'exit 0'], ...hc } }), { 'Content-Type': 'application/json' });
      return { status: r.status, body: JSON.parse(r.body) as Record<string, unknown> };
    };
    expect(await create({ Interval: 1000 })).toEqual({ status: 400, body: { message: 'Interval in Healthcheck cannot be less than 1ms' } });
    expect(await create({ Timeout: 5 })).toEqual({ status: 400, body: { message: 'Timeout in Healthcheck cannot be less than 1ms' } });
    expect(await create({ Retries: -1 })).toEqual({ status: 400, body: { message: 'Retries in Healthcheck cannot be negative' } });
    expect(await create({ StartPeriod: 1 })).toEqual({ status: 400, body: { message: 'StartPeriod in Healthcheck cannot be less than 1ms' } });
    expect(await create({ StartInterval: 1 })).toEqual({ status: 400, body: { message: 'StartInterval in Healthcheck cannot be less than 1ms' } });
    const bad = await d().docker(['ps', '--filter', 'health=sick']);
    expect(bad.stderr).toBe("Error response from daemon: invalid filter 'health=sick': invalid value for health (sick): must be one of none, starting, healthy, unhealthy\n");
  });
});
