/**
 * `docker exec` (docker-engine-api.md §3.7): create, start (hijacked, or
 * detached), resize, inspect. The process runs in the container's silo
 * through CExecSvc (Container.exec). Its exit code is set before its
 * stream ends: the CLI inspects the exec about 1 ms after EOF.
 */
import { randomBytes } from 'node:crypto';
import type { Container } from '../host/host.js';
import { HostError } from '../host/errors.js';
import type { ProcessIo } from '../host/types.js';
import type { PipeReader } from '../kernel/process/index.js';
import type { Daemon } from './daemon.js';
import { badRequest, conflict, notFound } from './errors.js';
import type { Hijacked } from './exchange.js';
import { intValue } from './params.js';
import type { Router } from './router.js';
import { DAEMON_LIMITS } from './limits.js';
import { frame } from './stdcopy.js';
import { streamContentType } from './routes-containers.js';

export interface ExecRecord {
  id: string;
  container: Container;
  cmd: string[];
  env: string[] | null;
  workingDir: string;
  user: string;
  tty: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  consoleSize: [number, number] | undefined;
  started: boolean;
  running: boolean;
  exitCode: number | null;
  pid: number;
  io: ProcessIo | undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function registerExecRoutes(router: Router, d: Daemon): void {
  router.add('POST', '/containers/([^/]+)/exec', async (ex, [ref]) => {
    const c = d.container(ref!);
    const body = ((await ex.json()) ?? {}) as Record<string, unknown>;
    if (c.status === 'paused') throw conflict(`Container ${c.id} is paused, unpause the container first`);
    if (c.status !== 'running') throw conflict(`container ${c.id} is not running`);
    const cmd = Array.isArray(body['Cmd']) ? (body['Cmd'] as unknown[]).map(String) : typeof body['Cmd'] === 'string' ? [body['Cmd']] : [];
    if (cmd.length === 0) throw badRequest('No exec command specified');
    const size = body['ConsoleSize'];
    const rec: ExecRecord = {
      id: randomBytes(32).toString('hex'),
      container: c,
      cmd,
      env: Array.isArray(body['Env']) ? (body['Env'] as unknown[]).map(String) : null,
      workingDir: str(body['WorkingDir']),
      user: str(body['User']),
      tty: body['Tty'] === true,
      attachStdin: body['AttachStdin'] === true,
      attachStdout: body['AttachStdout'] === true,
      attachStderr: body['AttachStderr'] === true,
      consoleSize: Array.isArray(size) && size.length === 2 && Number(size[0]) > 0 && Number(size[1]) > 0 ? [Number(size[0]), Number(size[1])] : undefined,
      started: false,
      running: false,
      exitCode: null,
      pid: 0,
      io: undefined,
    };
    d.execs.set(rec.id, rec);
    trimExecs(d);
    d.emit('container', `exec_create: ${cmd.join(' ')}`, c.id, { execID: rec.id, image: c.image, name: c.name });
    ex.sendJson(201, { Id: rec.id });
  });

  router.add('POST', '/exec/([^/]+)/start', async (ex, [id]) => {
    const rec = execRecord(d, id!);
    const body = ((await ex.json()) ?? {}) as Record<string, unknown>;
    if (rec.running) throw conflict(`Error: Exec command ${rec.id} is already running`);
    if (rec.started) throw conflict(`Error: Exec command ${rec.id} has already run`);
    if (rec.container.status !== 'running') throw conflict(`container ${rec.container.id} is not running`);
    if (body['Tty'] === true) rec.tty = true;
    const size = body['ConsoleSize'];
    if (Array.isArray(size) && size.length === 2 && Number(size[0]) > 0 && Number(size[1]) > 0) rec.consoleSize = [Number(size[0]), Number(size[1])];
    rec.started = true;
    if (body['Detach'] === true) {
      const io = await launch(d, rec, undefined);
      if (!io) throw new HostError(500, `exec ${rec.id} failed to start`);
      ex.send(200, {});
      return;
    }
    const h = ex.hijack(streamContentType(rec.tty, ex.apiVersion));
    if (!String(ex.headers['user-agent'] ?? '').startsWith('Docker-Client/')) await new Promise((r) => setTimeout(r, DAEMON_LIMITS.hijackGraceMs));
    await launch(d, rec, h);
  });

  router.add('POST', '/exec/([^/]+)/resize', (ex, [id]) => {
    const rec = execRecord(d, id!);
    const h = intValue(ex.query, 'h', 0);
    const w = intValue(ex.query, 'w', 0);
    if (rec.io && rec.running) {
      if (rec.tty && h > 0 && w > 0) rec.io.resize(h, w);
    } else if (!rec.started && h > 0 && w > 0) rec.consoleSize = [h, w];
    else if (rec.started && !rec.running && rec.exitCode !== null) throw conflict(`Exec process ${rec.id} is not running`);
    ex.send(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });

  router.add('GET', '/exec/([^/]+)/json', (ex, [id]) => {
    const rec = execRecord(d, id!);
    ex.sendJson(200, {
      ID: rec.id,
      Running: rec.running,
      ExitCode: rec.exitCode,
      ProcessConfig: { tty: rec.tty, entrypoint: rec.cmd[0] ?? '', arguments: rec.cmd.slice(1), privileged: false, ...(rec.user ? { user: rec.user } : {}) },
      OpenStdin: rec.attachStdin,
      OpenStderr: rec.attachStderr,
      OpenStdout: rec.attachStdout,
      CanRemove: false,
      ContainerID: rec.container.id,
      DetachKeys: '',
      Pid: rec.pid,
    });
  });
}

function execRecord(d: Daemon, id: string): ExecRecord {
  const rec = d.execs.get(id);
  if (!rec) throw notFound(`No such exec instance: ${id}`);
  return rec;
}

/** moby forgets finished execs after a while; here the oldest finished ones go past the limit. */
function trimExecs(d: Daemon): void {
  if (d.execs.size <= DAEMON_LIMITS.finishedExecs) return;
  for (const [id, r] of d.execs) {
    if (d.execs.size <= DAEMON_LIMITS.finishedExecs) break;
    if (r.exitCode !== null) d.execs.delete(id);
  }
}

/**
 * Starts the exec's process and, when attached, copies its output to the
 * hijacked stream (framed unless tty) and the client's stdin to it. A
 * failure to start is written into the stream, as moby does after the
 * hijack, with exit code 127 (not found) or 126 (anything else).
 */
async function launch(d: Daemon, rec: ExecRecord, h: Hijacked | undefined): Promise<ProcessIo | undefined> {
  const c = rec.container;
  let io: ProcessIo;
  try {
    io = await c.exec({
      cmd: rec.cmd,
      ...(rec.env ? { env: rec.env } : {}),
      ...(rec.workingDir ? { workingDir: rec.workingDir } : {}),
      ...(rec.user ? { user: rec.user } : {}),
      tty: rec.tty,
      attachStdin: rec.attachStdin,
      ...(rec.consoleSize ? { consoleSize: rec.consoleSize } : {}),
      execId: rec.id,
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    rec.exitCode = /cannot find the (file|path) specified/i.test(message) ? 127 : 126;
    d.emit('container', 'exec_die', c.id, { execID: rec.id, exitCode: String(rec.exitCode), image: c.image, name: c.name });
    if (!h) throw e;
    const text = Buffer.from(`${message}\r\n`);
    h.write(rec.tty ? text : frame(1, text));
    h.end();
    return undefined;
  }
  rec.io = io;
  rec.pid = io.pid;
  rec.running = true;
  // Each chunk to the client as the process writes it (readEach: no promise per chunk); a failed read ends the stream.
  const pump = async (from: PipeReader | null, stream: 1 | 2, want: boolean): Promise<void> => {
    if (!from) return;
    await from
      .readEach((chunk) => {
        if (h && want) h.write(rec.tty ? chunk : frame(stream, chunk));
      })
      .catch(() => undefined);
  };
  if (h && io.stdin) {
    const stdin = io.stdin;
    h.onData((chunk) => void stdin.write(chunk).catch(() => undefined));
    h.onEnd(() => stdin.close());
  }
  const done = Promise.all([pump(io.stdout, 1, rec.attachStdout || !h), pump(io.stderr, 2, rec.attachStderr || !h), io.wait()]).then(([, , code]) => {
    // The exit code first, then the end of the stream (the CLI inspects right after EOF).
    rec.exitCode = code;
    rec.running = false;
    rec.io = undefined;
    d.emit('container', 'exec_die', c.id, { execID: rec.id, exitCode: String(code), image: c.image, name: c.name });
    h?.end();
  });
  void done.catch(() => h?.end());
  return io;
}
