// User-defined networks survive a daemon restart on the same data root
// (moby keeps them in network/files/local-kv.db): the same ids, subnets,
// gateways, options; containers' networks (NetworkMode and those connected
// with docker network connect) are attached again at their next start, and
// names resolve on them as before.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { daemonCommand } from '../../src/daemon/cli.js';
import { Host } from '../../src/host/host.js';
import type { HostOpener } from '../../src/cli/engine.js';
import { testContext, type TestContext } from '../cli/context.js';
import { DOCKER, NANOSERVER, registerTestPrograms, run } from '../daemon/support.js';

const dir = mkdtempSync(join(tmpdir(), 'winsilo-net-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openHost: HostOpener = async (options) => {
  const host = await Host.open(options);
  if (!host.image(NANOSERVER)) await host.pull(NANOSERVER);
  registerTestPrograms(host);
  return host;
};

interface Running {
  ctx: TestContext;
  exit: Promise<number>;
  docker(args: string[]): ReturnType<typeof run>;
}

async function startDaemon(root: string): Promise<Running> {
  const ctx: TestContext = { ...testContext(openHost, { cwd: dir }), now: Date.now };
  const socket = join(root, 'd.sock');
  const exit = daemonCommand(['--host', `unix://${socket}`, '--data-root', root], ctx);
  await ctx.stderr.waitFor('Daemon has completed initialization');
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, DOCKER_CONFIG: join(dir, 'cfg') };
  return { ctx, exit, docker: (args) => run(DOCKER, ['-H', `unix://${socket}`, ...args], env) };
}

async function stop(r: Running): Promise<void> {
  r.ctx.signals.emit('SIGTERM');
  expect(await r.exit).toBe(0);
}

describe('networks across a daemon restart', () => {
  test('ids, subnets, gateways and options come back; containers are attached again; prune and rm are kept too', async () => {
    const root = join(dir, 'root');
    const a = await startDaemon(root);
    expect((await a.docker(['network', 'create', '-d', 'nat', '--subnet', '10.44.0.0/24', '--gateway', '10.44.0.254', '-o', 'com.docker.network.windowsshim.networkname=keep', '--label', 'team=web', 'keep'])).code).toBe(0);
    expect((await a.docker(['network', 'create', '-d', 'transparent', 'auto'])).code).toBe(0);
    expect((await a.docker(['network', 'create', '-d', 'nat', 'gone'])).code).toBe(0);
    expect((await a.docker(['network', 'rm', 'gone'])).code).toBe(0);
    const before = JSON.parse((await a.docker(['network', 'inspect', 'keep', 'auto'])).stdout) as { Id: string; Name: string; Driver: string; IPAM: unknown; Options: unknown; Labels: unknown; Created: string }[];
    // A container on `keep`, connected to `auto` too (while stopped), restarted by its policy.
    expect((await a.docker(['create', '--name', 'member', '--network', 'keep', '--mac-address', '00:15:5d:44:00:02', '--restart', 'always', NANOSERVER, 'idle.exe'])).code).toBe(0);
    expect((await a.docker(['network', 'connect', '--alias', 'm-auto', 'auto', 'member'])).code).toBe(0);
    expect((await a.docker(['start', 'member'])).code).toBe(0);
    const ipBefore = (await a.docker(['inspect', '-f', '{{.NetworkSettings.Networks.keep.IPAddress}}', 'member'])).stdout;
    expect(ipBefore).toBe('10.44.0.2\n');
    await stop(a);

    const b = await startDaemon(root);
    const ls = await b.docker(['network', 'ls', '--format', '{{.Name}} {{.Driver}}']);
    expect(ls.stdout.split('\n').filter(Boolean).sort()).toEqual(['auto transparent', 'keep nat', 'nat nat', 'none null']);
    const after = JSON.parse((await b.docker(['network', 'inspect', 'keep', 'auto'])).stdout) as typeof before;
    for (const [i, n] of after.entries()) {
      expect(n.Id).toBe(before[i]!.Id);
      expect(n.IPAM).toEqual(before[i]!.IPAM);
      expect(n.Options).toEqual(before[i]!.Options);
      expect(n.Labels).toEqual(before[i]!.Labels);
      expect(n.Created).toBe(before[i]!.Created);
    }
    // The restart policy brought `member` back on both networks, with the same address on `keep`.
    const nets = JSON.parse((await b.docker(['inspect', '-f', '{{json .NetworkSettings.Networks}}', 'member'])).stdout) as Record<string, { IPAddress: string; MacAddress: string; Aliases: string[] | null }>;
    expect(Object.keys(nets).sort()).toEqual(['auto', 'keep']);
    expect(nets.keep!.IPAddress).toBe('10.44.0.2');
    expect(nets.keep!.MacAddress).toBe('00:15:5d:44:00:02');
    expect(nets.auto!.Aliases).toContain('m-auto');
    // Whether a subnet was configured is kept too: `auto`'s was picked, so it takes no static address.
    expect((await b.docker(['create', '--network', 'auto', '--ip', '172.20.0.9', NANOSERVER])).stderr).toContain('user specified IP address is supported only when connecting to networks with user configured subnets');
    expect((await b.docker(['exec', 'member', 'ipconfig'])).stdout.match(/Ethernet adapter/g)).toHaveLength(2);
    // The network in use cannot go; once the container is gone, prune removes both, and that is kept too.
    expect((await b.docker(['network', 'rm', 'keep'])).stderr).toContain('has active endpoints');
    expect((await b.docker(['rm', '-f', 'member'])).code).toBe(0);
    expect((await b.docker(['network', 'prune', '-f'])).stdout).toContain('keep');
    await stop(b);

    const c = await startDaemon(root);
    expect((await c.docker(['network', 'ls', '--format', '{{.Name}}'])).stdout.split('\n').filter(Boolean).sort()).toEqual(['nat', 'none']);
    await stop(c);
  }, 120_000);

  test('a damaged networks.json: the daemon starts with nat and none only', async () => {
    const root = join(dir, 'damaged');
    const a = await startDaemon(root);
    expect((await a.docker(['network', 'create', '-d', 'nat', 'x'])).code).toBe(0);
    await stop(a);
    writeFileSync(join(root, 'networks.json'), '{"version": 1, "networks": [{"name": 3}]}');
    const b = await startDaemon(root);
    expect((await b.docker(['network', 'ls', '--format', '{{.Name}}'])).stdout.split('\n').filter(Boolean).sort()).toEqual(['nat', 'none']);
    await stop(b);
  }, 60_000);
});
