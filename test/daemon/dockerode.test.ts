// dockerode 5 (npm; docker-modem underneath) against the daemon, through the
// real library: it uses bare paths (no /v1.xx), GET /_ping, `true`/`false`
// booleans, and — unlike the Go CLI — attaches WITHOUT an Upgrade header
// unless asked to hijack, expecting a streamed 200 (docker-engine-api.md
// §4.1, gotcha 16); `docker.run()` creates with Tty:true by default.
import Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { NANOSERVER, useDaemon } from './support.js';

const d = useDaemon();
const docker = (): Docker => new Docker({ socketPath: d().socket });

/** Collects a dockerode stream to its end. */
function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: Buffer) => parts.push(c));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}

/** A multiplexed stream split by dockerode's own demuxer into stdout and stderr text. */
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

describe('dockerode', () => {
  test('ping and version: a Windows engine', async () => {
    const dk = docker();
    expect(String(await dk.ping())).toBe('OK');
    const v = await dk.version();
    expect(v.Os).toBe('windows');
    expect(v.ApiVersion).toBe('1.50');
  });

  test('create, attach without Upgrade (a streamed 200), start, wait: the output and the exit code (gotcha 16)', async () => {
    const dk = docker();
    const c = await dk.createContainer({ Image: NANOSERVER, Cmd: ['cmd', '/c', 'echo out& echo err 1>&2& exit 3'], AttachStdout: true, AttachStderr: true });
    const stream = await c.attach({ stream: true, stdout: true, stderr: true });
    const text = demux(dk, stream);
    await c.start();
    expect(await c.wait()).toEqual({ StatusCode: 3 });
    expect(await text).toEqual({ out: 'out\r\n', err: 'err \r\n' });
    await c.remove();
  });

  test('docker.run(): Tty by default, so the attach without Upgrade is raw bytes; the result is the wait answer', async () => {
    const dk = docker();
    const out = new PassThrough();
    const got = collect(out);
    const [result, container] = (await dk.run(NANOSERVER, ['say.exe', 'from', 'dockerode'], out)) as [{ StatusCode: number }, Docker.Container];
    out.end();
    expect(result.StatusCode).toBe(0);
    expect((await got).toString()).toBe('from dockerode\r\n');
    const info = await container.inspect();
    expect(info.Config.Tty).toBe(true);
    expect(info.State.Status).toBe('exited');
    await container.remove();
  });

  test('attach with hijack and stdin: what is written reaches the process, the end closes its stdin', async () => {
    const dk = docker();
    const c = await dk.createContainer({ Image: NANOSERVER, Cmd: ['cat.exe'], OpenStdin: true, StdinOnce: true, AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const stream = (await c.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as NodeJS.ReadWriteStream;
    const text = demux(dk, stream);
    await c.start();
    stream.write('typed through dockerode\n');
    stream.end();
    expect(await c.wait()).toEqual({ StatusCode: 0 });
    expect((await text).out).toBe('typed through dockerode\n');
    await c.remove();
  });

  test('exec: create, hijacked start, demuxed output, inspect with the exit code', async () => {
    const dk = docker();
    const c = await dk.createContainer({ Image: NANOSERVER, Cmd: ['idle.exe'], name: 'dockerode-exec' });
    await c.start();
    const exec = await c.exec({ Cmd: ['cmd', '/c', 'echo in the silo& exit 5'], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    expect(await demux(dk, stream)).toEqual({ out: 'in the silo\r\n', err: '' });
    const info = await exec.inspect();
    expect(info.ExitCode).toBe(5);
    expect(info.Running).toBe(false);
    expect(info.ContainerID).toBe(c.id);
    await c.remove({ force: true });
  });

  test('logs (framed, non-tty) and follow', async () => {
    const dk = docker();
    const c = await dk.createContainer({ Image: NANOSERVER, Cmd: ['lines.exe', '3'] });
    await c.start();
    await c.wait();
    const buf = (await c.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    // Non-follow logs come back as one buffer, still framed: 8-byte headers with stream 1.
    expect(buf[0]).toBe(1);
    const followed = await c.logs({ stdout: true, stderr: true, follow: true });
    expect((await demux(dk, followed)).out).toBe('line 1\r\nline 2\r\nline 3\r\n');
    await c.remove();
  });

  test('stats with stream:false is one Windows sample (job accounting, 100 ns CPU units)', async () => {
    const dk = docker();
    const c = await dk.createContainer({ Image: NANOSERVER, Cmd: ['idle.exe'] });
    await c.start();
    const s = (await c.stats({ stream: false, 'one-shot': true } as { stream: false })) as unknown as Record<string, unknown>;
    expect(s['id']).toBe(c.id);
    expect(s).toHaveProperty('cpu_stats.cpu_usage.total_usage');
    expect(s).toHaveProperty('memory_stats.privateworkingset');
    expect(s).toHaveProperty('storage_stats');
    expect(s['num_procs']).toBe(d().host.cpuCount);
    await c.remove({ force: true });
  });

  test('errors arrive as dockerode errors with the status and moby’s message', async () => {
    const dk = docker();
    const err = await dk
      .getContainer('nosuch')
      .inspect()
      .catch((e: { statusCode: number; json: { message: string } }) => e);
    expect(err).toMatchObject({ statusCode: 404, json: { message: 'No such container: nosuch' } });
    const stopped = await dk.createContainer({ Image: NANOSERVER, Cmd: ['say.exe'] });
    const e2 = await stopped.exec({ Cmd: ['say.exe'] }).catch((e: { statusCode: number }) => e);
    expect(e2).toMatchObject({ statusCode: 409 });
    await stopped.remove();
  });

  test('listContainers with compose-style label filters', async () => {
    const dk = docker();
    const c = await dk.createContainer({ Image: NANOSERVER, Cmd: ['say.exe'], Labels: { 'com.example.app': 'ode' } });
    const list = await dk.listContainers({ all: true, filters: { label: ['com.example.app=ode'] } });
    expect(list.map((x) => x.Id)).toEqual([c.id]);
    expect(list[0]!.Labels).toEqual({ 'com.example.app': 'ode' });
    await c.remove();
  });
});
