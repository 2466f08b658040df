// `winsilo daemon`'s signals as dockerd's trap (cmd/dockerd/trap/trap.go):
// each SIGINT/SIGTERM is logged as "Processing signal '…'"; the first
// starts the clean shutdown (containers stopped, state saved); the next
// three are counted, and one more after them ends the daemon at once,
// without cleanup, with 128 + the signal's number — here while a
// container that ignores CTRL_SHUTDOWN holds the clean shutdown for the
// stop timeout (10 s).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { daemonCommand } from '../../src/daemon/cli.js';
import { Host } from '../../src/host/host.js';
import type { HostOpener } from '../../src/cli/engine.js';
import { testContext } from '../cli/context.js';
import { DOCKER, NANOSERVER, registerTestPrograms, run } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'winsilo-daemon-trap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openHost: HostOpener = async (options) => {
  const host = await Host.open(options);
  if (!host.image(NANOSERVER)) await host.pull(NANOSERVER);
  registerTestPrograms(host);
  // Handles every console control event (CTRL_SHUTDOWN included) and goes on: only the stop timeout ends it.
  host.registerProgram('C:\\Windows\\System32\\stubborn.exe', (ctx) => {
    ctx.onConsoleCtrl(() => true);
    return ctx.sleep(2 ** 31 - 1).then(() => 0);
  });
  return host;
};

describe('winsilo daemon: signals (dockerd trap)', () => {
  test('during a clean shutdown held by a stubborn container, the fourth SIGINT forces the exit with 130', async () => {
    const ctx = { ...testContext(openHost, { cwd: dir }), now: Date.now };
    const root = join(dir, 'root');
    const socket = join(root, 'd.sock');
    const exit = daemonCommand(['--host', `unix://${socket}`, '--data-root', root], ctx);
    await ctx.stderr.waitFor('Daemon has completed initialization');
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, DOCKER_CONFIG: join(dir, 'cfg') };
    expect((await run(DOCKER, ['-H', `unix://${socket}`, 'run', '-d', '--name', 'stubborn', NANOSERVER, 'stubborn.exe'], env)).code).toBe(0);

    let settled: number | undefined;
    void exit.then((c) => (settled = c));
    ctx.signals.emit('SIGINT');
    ctx.signals.emit('SIGINT');
    ctx.signals.emit('SIGINT');
    // Three signals: the clean shutdown goes on (held by the container for its stop timeout).
    await new Promise((r) => setImmediate(r));
    expect(settled).toBeUndefined();
    ctx.signals.emit('SIGINT');
    expect(await exit).toBe(130);
    const log = ctx.stderr.text;
    expect(log.split("msg=\"Processing signal 'interrupt'\"").length - 1).toBe(4);
    expect(log).toContain('msg="Forcing docker daemon shutdown without cleanup; 3 interrupts received"');
    expect(log).not.toContain('Daemon shutdown complete');
  });
});
