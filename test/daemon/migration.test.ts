// The migration scenario of issue 9, end to end through the real docker CLI:
// host A (daemon on data root A) runs Server Core, writes a file and a
// registry key with cmd and reg, the container stops, `docker commit`,
// `docker tag`, `docker push` to Debian's docker-registry; host B (a second
// daemon on data root B) `docker pull`s it and runs it: the file and the key
// are there. RepoDigests survive a restart of daemon B on its data root.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Daemon } from '../../src/daemon/daemon.js';
import { Host } from '../../src/host/host.js';
import { startRegistry, type RunningRegistry } from '../images/support/registry.js';
import { DOCKER, SERVERCORE, run, type Result } from './support.js';

interface Side {
  host: Host;
  daemon: Daemon;
  docker(args: string[]): Promise<Result>;
}

const dir = mkdtempSync(join(tmpdir(), 'winsilo-migration-'));
let registry: RunningRegistry;
const open: Side[] = [];

/** A daemon on its own data root (the Host opened there, Server Core pulled if missing). */
async function side(name: string): Promise<Side> {
  const host = await Host.open({ dataRoot: join(dir, name) });
  if (!host.image(SERVERCORE)) await host.pull(SERVERCORE);
  const socket = join(dir, `${name}.sock`);
  const daemon = await Daemon.start({ host, hosts: [`unix://${socket}`] });
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, DOCKER_CONFIG: join(dir, `${name}-cfg`), DOCKER_HOST: `unix://${socket}` };
  const s = { host, daemon, docker: (args: string[]) => run(DOCKER, args, env) };
  open.push(s);
  return s;
}

async function close(s: Side): Promise<void> {
  await s.daemon.close();
  await s.host.close();
  open.splice(open.indexOf(s), 1);
}

beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  for (const s of [...open]) await close(s);
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration: host A → registry → host B, through the docker CLI', () => {
  let ref = '';
  test('host A: run, write a file and a key, commit, tag, push', async () => {
    ref = `${registry.address}/migrate/app:v1`;
    const a = await side('A');
    const r = await a.docker(['run', '--name', 'source', SERVERCORE, 'cmd', '/c', 'echo migrated from A> C:\\data.txt && reg add HKLM\\SOFTWARE\\Winsilo /v Moved /d yes /f']);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('The operation completed successfully.') });
    const id = (await a.docker(['commit', '-m', 'migrated state', 'source'])).stdout.trim();
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await a.docker(['tag', id, ref])).code).toBe(0);
    const pushed = await a.docker(['push', ref]);
    expect(pushed.stderr).toBe('');
    expect(pushed.stdout.trim().split('\n').pop()).toMatch(/^v1: digest: sha256:[0-9a-f]{64} size: \d+$/);
    await close(a);
  }, 120_000);

  test('host B: pull, run, the file and the key are there; RepoDigests after a daemon restart', async () => {
    let b = await side('B');
    const pulled = await b.docker(['pull', ref]);
    expect(pulled.stderr).toBe('');
    expect(pulled.stdout).toContain(`Status: Downloaded newer image for ${ref}`);
    const r = await b.docker(['run', '--rm', ref, 'cmd', '/c', 'type C:\\data.txt && reg query HKLM\\SOFTWARE\\Winsilo /v Moved']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('migrated from A');
    expect(r.stdout).toMatch(/HKEY_LOCAL_MACHINE\\SOFTWARE\\Winsilo\r\n {4}Moved {4}REG_SZ {4}yes\r\n/);
    const history = await b.docker(['history', '--format', '{{.Comment}}', ref]);
    expect(history.stdout.split('\n')[0]).toBe('migrated state');
    const digests = (await b.docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref])).stdout;
    await close(b);
    b = await side('B');
    expect((await b.docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', ref])).stdout).toBe(digests);
    expect(JSON.parse(digests)).toEqual([expect.stringMatching(new RegExp(`^${registry.address}/migrate/app@sha256:[0-9a-f]{64}$`))]);
    const table = await b.docker(['images', '--digests', '--format', '{{.Tag}} {{.Digest}}', `${registry.address}/migrate/app`]);
    expect(table.stdout).toBe(`v1 ${JSON.parse(digests)[0].split('@')[1]}\n`);
  }, 120_000);
});
