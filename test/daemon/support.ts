// A daemon started in-process on a unix socket in a temp dir, and the real
// docker CLI (/usr/local/bin/docker, client only) pointed at it through
// DOCKER_HOST — as a user points their own tools at winsilo.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Host } from '../../src/host/host.js';
import { Daemon } from '../../src/daemon/daemon.js';

export const NANOSERVER = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';
export const SERVERCORE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
export const DOCKER = process.env['WINSILO_DOCKER'] ?? '/usr/local/bin/docker';

export interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

export interface TestDaemon {
  host: Host;
  daemon: Daemon;
  dir: string;
  socket: string;
  env: Record<string, string>;
  /** Runs the docker CLI against the daemon. */
  docker(args: string[], options?: { stdin?: string; env?: Record<string, string> }): Promise<Result>;
  /** A raw HTTP request on the socket: status, headers, body. */
  http(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>;
}

/**
 * Programs the tests run (cmd.exe comes with the shell; until then these
 * stand in): say.exe prints its arguments, exitwith.exe N exits N,
 * idle.exe waits to be stopped, cat.exe copies stdin, env.exe NAME prints
 * a variable, pwd.exe the working directory, err.exe writes to stderr,
 * lines.exe N prints N numbered lines, write.exe PATH TEXT writes a
 * file, type.exe PATH prints one.
 */
export function registerTestPrograms(host: Host): void {
  const S = 'C:\\Windows\\System32\\';
  host.registerProgram(`${S}say.exe`, async (ctx) => {
    await ctx.stdout.write(ctx.argv.slice(1).join(' ') + '\r\n');
    return 0;
  });
  host.registerProgram(`${S}err.exe`, async (ctx) => {
    await ctx.stderr.write(ctx.argv.slice(1).join(' ') + '\r\n');
    return 1;
  });
  host.registerProgram(`${S}exitwith.exe`, (ctx) => Number(ctx.argv[1]));
  host.registerProgram(`${S}idle.exe`, (ctx) => ctx.sleep(2 ** 31 - 1).then(() => 0));
  host.registerProgram(`${S}cat.exe`, async (ctx) => {
    for (let b = await ctx.stdin.read(); b !== null; b = await ctx.stdin.read()) await ctx.stdout.write(b);
    return 0;
  });
  host.registerProgram(`${S}env.exe`, async (ctx) => {
    await ctx.stdout.write(`${ctx.env.get(ctx.argv[1] ?? '') ?? ''}\r\n`);
    return 0;
  });
  host.registerProgram(`${S}pwd.exe`, async (ctx) => {
    await ctx.stdout.write(`${ctx.cwd}\r\n`);
    return 0;
  });
  host.registerProgram(`${S}write.exe`, (ctx) => {
    const h = ctx.fs!.open(ctx.argv[1]!, ctx.cwd, { disposition: 'overwriteIf', write: true, nonDirectory: true });
    h.write(0, Buffer.from(ctx.argv.slice(2).join(' ')));
    h.close();
    return 0;
  });
  host.registerProgram(`${S}type.exe`, async (ctx) => {
    const h = ctx.fs!.open(ctx.argv[1]!, ctx.cwd, { disposition: 'open', read: true, nonDirectory: true });
    const b = new Uint8Array(h.info().size);
    h.read(0, b);
    h.close();
    await ctx.stdout.write(b);
    return 0;
  });
  host.registerProgram(`${S}lines.exe`, async (ctx) => {
    for (let i = 1; i <= Number(ctx.argv[1]); i++) await ctx.stdout.write(`line ${i}\r\n`);
    return 0;
  });
}

/** One daemon per test file: an in-memory Host with Nano Server pulled and the test programs registered. */
export function useDaemon(options: { images?: string[] } = {}): () => TestDaemon {
  let t: TestDaemon | undefined;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'winsilo-daemon-'));
    const host = await Host.open({});
    for (const i of options.images ?? [NANOSERVER]) await host.pull(i);
    registerTestPrograms(host);
    const socket = join(dir, 'winsilo.sock');
    const daemon = await Daemon.start({ host, hosts: [`unix://${socket}`] });
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, DOCKER_CONFIG: join(dir, 'docker-config'), DOCKER_HOST: `unix://${socket}` };
    t = {
      host,
      daemon,
      dir,
      socket,
      env,
      docker: (args, o = {}) => run(DOCKER, args, { ...env, ...o.env }, o.stdin),
      http: (method, path, body, headers = {}) =>
        new Promise((resolve, reject) => {
          const req = request({ socketPath: socket, method, path, headers: { Host: 'api.moby.localhost', ...headers } }, (res) => {
            const parts: Buffer[] = [];
            res.on('data', (c: Buffer) => parts.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
          });
          req.on('error', reject);
          req.end(body);
        }),
    };
  });
  afterAll(async () => {
    if (!t) return;
    await t.daemon.close();
    await t.host.close();
    rmSync(t.dir, { recursive: true, force: true });
  });
  return () => t!;
}

/** Runs a program to its end: its output and exit code. */
export function run(file: string, args: string[], env: Record<string, string>, stdin?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 }));
    child.stdin.end(stdin);
  });
}
