// `winsilo daemon` (issue 8 "The daemon"): --help, listening on a unix
// socket (mode 0660) and loopback TCP, refusing a non-loopback TCP address
// without --insecure-tcp, SIGTERM's clean shutdown, and a restart on the
// same data root: containers, their files and API configs are there, and
// restart-policy containers come back.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DAEMON_USAGE, daemonCommand } from '../../src/daemon/cli.js';
import { Host } from '../../src/host/host.js';
import type { HostOpener } from '../../src/cli/engine.js';
import { testContext, type TestContext } from '../cli/context.js';
import { DOCKER, NANOSERVER, registerTestPrograms, run } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'winsilo-daemon-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Opens the Host as the product does, with the test programs registered (cmd.exe may not be there yet). */
const openHost: HostOpener = async (options) => {
  const host = await Host.open(options);
  if (!host.image(NANOSERVER)) await host.pull(NANOSERVER);
  registerTestPrograms(host);
  return host;
};

function context(): TestContext {
  return { ...testContext(openHost, { cwd: dir }), now: Date.now };
}

interface Running {
  ctx: TestContext;
  exit: Promise<number>;
  socket: string;
  tcp: string;
  docker(args: string[], host?: string): ReturnType<typeof run>;
}

async function startDaemon(root: string): Promise<Running> {
  const ctx = context();
  const socket = join(root, 'd.sock');
  const exit = daemonCommand(['--host', `unix://${socket}`, '-H', 'tcp://127.0.0.1:0', '--data-root', root], ctx);
  await ctx.stderr.waitFor('Daemon has completed initialization');
  const port = /API listen on 127\.0\.0\.1:(\d+)/.exec(ctx.stderr.text)![1]!;
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, DOCKER_CONFIG: join(dir, 'cfg') };
  return { ctx, exit, socket, tcp: `tcp://127.0.0.1:${port}`, docker: (args, host = `unix://${socket}`) => run(DOCKER, ['-H', host, ...args], env) };
}

describe('winsilo daemon', () => {
  test('--help documents the command', async () => {
    const ctx = context();
    expect(await daemonCommand(['--help'], ctx)).toBe(0);
    expect(ctx.stdout.text).toBe(DAEMON_USAGE);
    expect(ctx.stdout.text).toContain('DOCKER_HOST=unix:///tmp/winsilo.sock docker run -it --rm mcr.microsoft.com/windows/servercore:ltsc2022 cmd');
  });

  test('a TCP address that is not loopback is refused without --insecure-tcp', async () => {
    const ctx = context();
    expect(await daemonCommand(['--host', 'tcp://0.0.0.0:0', '--data-root', join(dir, 'refused')], ctx)).toBe(1);
    expect(ctx.stderr.text).toMatch(/level=fatal msg="refusing to listen on tcp:\/\/0\.0\.0\.0:0: .*--insecure-tcp"/);
  });

  test('unix socket (0660) and loopback TCP; SIGTERM stops the containers, and a restart finds them, their files and restart policies', async () => {
    const root = join(dir, 'root');
    const a = await startDaemon(root);
    expect(statSync(a.socket).mode & 0o777).toBe(0o660);
    expect((await a.docker(['version', '--format', '{{.Server.Os}}'], a.tcp)).stdout).toBe('windows\n');
    expect((await a.docker(['run', '-d', '--name', 'web', '--restart', 'always', '--label', 'app=web', NANOSERVER, 'idle.exe'])).code).toBe(0);
    expect((await a.docker(['exec', 'web', 'write.exe', 'C:\\kept.txt', 'kept across restarts'])).code).toBe(0);
    expect((await a.docker(['run', '--name', 'once', NANOSERVER, 'say.exe', 'hi'])).code).toBe(0);
    a.ctx.signals.emit('SIGTERM');
    expect(await a.exit).toBe(0);
    expect(a.ctx.stderr.text).toContain(`msg="Processing signal 'terminated'"`);
    expect(a.ctx.stderr.text).toContain('msg="Daemon shutdown complete"');

    const b = await startDaemon(root);
    const ps = await b.docker(['ps', '-a', '--format', '{{.Names}} {{.State}} {{.Label "app"}}']);
    expect(ps.stdout.split('\n').sort().join('\n')).toBe('\nonce exited \nweb running web');
    expect((await b.docker(['inspect', '--format', '{{.HostConfig.RestartPolicy.Name}}', 'web'])).stdout).toBe('always\n');
    expect((await b.docker(['exec', 'web', 'type.exe', 'C:\\kept.txt'])).stdout).toBe('kept across restarts');
    expect((await b.docker(['logs', 'once'])).stdout).toBe('hi\r\n');
    b.ctx.signals.emit('SIGINT');
    expect(await b.exit).toBe(0);
  });
});
