/**
 * The container routes (docker-engine-api.md §3.2–§3.10, §3.16, §4, §5):
 * create, list, inspect, start, wait, attach, resize, logs, stop, restart,
 * kill, pause/unpause, rename, update, remove, top, stats, changes,
 * export (refused on Windows), commit, prune.
 */
import type { ContainerRuntime } from './runtime.js';
import type { Container } from '../host/host.js';
import { HostError } from '../host/errors.js';
import { humanSize } from '../cli/goformat.js';
import { parseBindsOrThrow, parseCreate, validateLogConfig, type RestartPolicy } from './create.js';
import type { Daemon } from './daemon.js';
import { ApiError, badRequest, conflict, serverError } from './errors.js';
import type { Exchange } from './exchange.js';
import { containerImageConfig, containerInspect, containerSummary, goTime, nanoTime, GO_ZERO_TIME } from './inspect.js';
import { boolValue, boolValueOrDefault, intValue, matchLabels, parseFilters, timeValue, validateFilters } from './params.js';
import type { Router } from './router.js';
import type { AttachSink, LogLine, WaitCondition } from './runtime.js';
import { containerSizes } from './sizes.js';
import { containerChanges } from './changes.js';
import { frame } from './stdcopy.js';
import { validateEndpoints } from './endpoints.js';
import { apiAtLeast, MULTIPLEXED_STREAM_SINCE } from './version.js';
import { parseSignal, isGracefulSignal, isKillSignal } from './signals.js';
import { ReferenceError, familiarString, parseNormalizedNamed, tagNameOnly } from '../cli/reference.js';
import { CommitBodyError, requestCommitConfig } from '../images/commit.js';
import type { ImageConfig } from '../images/types.js';

const ID = '([^/]+)';

/** The content type of an attach/logs stream: raw for a tty (and before 1.42), multiplexed otherwise (§4.1). */
/**
 * Clients below API 1.45 see the container's short id and host name among
 * its aliases on each user-defined network (moby's
 * daemon/server/router/container/inspect.go; on Windows every network but
 * nat, none, default and container:X is user-defined). docker-compose 1.29
 * (API 1.38) relies on it: without the alias it disconnects and reconnects
 * each container it created.
 */
function withLegacyAliases(doc: Record<string, unknown>): void {
  const id = String(doc['Id'] ?? '');
  const hostname = String((doc['Config'] as { Hostname?: string } | undefined)?.Hostname ?? '');
  const networks = (doc['NetworkSettings'] as { Networks?: Record<string, { Aliases?: string[] | null }> } | undefined)?.Networks ?? {};
  for (const [name, ep] of Object.entries(networks)) {
    if (name === 'nat' || name === 'none' || name === 'default' || name.startsWith('container:')) continue;
    ep.Aliases = [...new Set([...(ep.Aliases ?? []), id.slice(0, 12), hostname].filter((a) => a !== ''))];
  }
}

export function streamContentType(tty: boolean, apiVersion: string): string {
  return !tty && apiAtLeast(apiVersion, MULTIPLEXED_STREAM_SINCE) ? 'application/vnd.docker.multiplexed-stream' : 'application/vnd.docker.raw-stream';
}

const running = (c: Container): boolean => c.status === 'running' || c.status === 'paused';

/**
 * A start failure in moby's voice: a command that cannot be found is the
 * caller's error (400; moby translateContainerdStartErr sets exit code 127
 * and wraps it as invalid configuration), anything else stays 500.
 */
function startError(e: unknown): unknown {
  if (e instanceof HostError && e.status === 500 && /system cannot find the (file|path) specified|executable file not found|no such file or directory/i.test(e.message)) {
    return new ApiError(400, e.message);
  }
  return e;
}

export function registerContainerRoutes(router: Router, d: Daemon): void {
  // ---- list ----------------------------------------------------------------------
  router.add('GET', '/containers/json', (ex) => {
    const q = ex.query;
    const filters = parseFilters(q.get('filters'));
    validateFilters(filters, ['ancestor', 'before', 'expose', 'exited', 'health', 'id', 'isolation', 'is-task', 'label', 'name', 'network', 'publish', 'since', 'status', 'volume']);
    const all = boolValue(q, 'all') || filters.size > 0;
    const limit = intValue(q, 'limit', -1);
    const withSize = boolValue(q, 'size');
    let list = (d.host.containers({ all: true }) as Container[]).slice().reverse();
    list.sort((a, b) => b.createdAt - a.createdAt);
    const statuses = filters.get('status');
    if (!all && !statuses) list = list.filter(running);
    const before = filters.get('before')?.[0];
    const since = filters.get('since')?.[0];
    if (before !== undefined) {
      const ref = d.container(before);
      list = list.filter((c) => c.createdAt < ref.createdAt);
    }
    if (since !== undefined) {
      const ref = d.container(since);
      list = list.filter((c) => c.createdAt > ref.createdAt);
    }
    const match = (key: string, test: (v: string, c: Container) => boolean) => (c: Container) => {
      const vs = filters.get(key);
      return !vs || vs.length === 0 || vs.some((v) => test(v, c));
    };
    // moby list.go: every health value is checked first, then matched against the snapshot's (`none` without a check).
    for (const v of filters.get('health') ?? []) {
      if (!['none', 'starting', 'healthy', 'unhealthy'].includes(v)) throw badRequest(`invalid filter 'health=${v}': invalid value for health (${v}): must be one of none, starting, healthy, unhealthy`);
    }
    list = list
      // moby list.go: a mount's volume name (or bind source) or its destination.
      .filter(match('volume', (v, c) => (c.options.binds ?? []).some((b) => (b.volume || b.hostPath) === v || b.containerPath === v)))
      .filter(match('health', (v, c) => v === (d.runtime(c).health?.Status ?? 'none')))
      .filter(match('status', (v, c) => v === c.status))
      .filter(match('id', (v, c) => c.id.startsWith(v)))
      .filter(match('name', (v, c) => new RegExp(v.replace(/^\//, '')).test(c.name)))
      .filter(match('exited', (v, c) => c.status === 'exited' && String(c.exitCode) === v))
      .filter(match('isolation', (v, c) => v === c.isolation))
      .filter(match('ancestor', (v, c) => c.image === v || c.imageRecord.id === v || c.imageRecord.id.slice(7).startsWith(v) || c.imageRecord.repoTags.includes(v.includes(':') ? v : `${v}:latest`)))
      .filter((c) => {
        const labels = filters.get('label');
        return !labels || matchLabels(d.runtime(c).config.Labels, labels);
      });
    if (limit > 0) list = list.slice(0, limit);
    const now = d.host.clock();
    ex.sendJson(
      200,
      list.map((c) => containerSummary(c, d.runtime(c), now, withSize ? containerSizes(d.host, c) : undefined)),
    );
  });

  // ---- create --------------------------------------------------------------------
  router.add('POST', '/containers/create', async (ex) => {
    const body = await ex.json();
    const name = ex.query.get('name') ?? undefined;
    const { request, binds } = parseCreate(body, name, d.host, ex.apiVersion);
    const o = request.options;
    // moby: the image (404, which makes the CLI pull), the endpoint settings (400), then the name (409), then the mounts.
    if (!d.host.image(o.image)) await d.host.createContainer(o);
    validateEndpoints(request.endpoints, (ref) => d.host.network.find(ref));
    validateLogConfig(request.hostConfig);
    if (o.name !== undefined && (d.host.containers({ all: true }) as Container[]).some((c) => c.name === o.name!.replace(/^\//, ''))) await d.host.createContainer(o);
    if (binds.length > 0) o.binds = parseBindsOrThrow(binds);
    const c = (await d.host.createContainer(o)) as Container;
    if (request.extraNetworks.length > 0) {
      c.extraNetworks.push(...request.extraNetworks);
      d.host.keepContainer(c);
    }
    d.adopt(c, request.config, request.hostConfig);
    ex.sendJson(201, { Id: c.id, Warnings: [...c.warnings, ...request.warnings] });
  });

  // ---- inspect -------------------------------------------------------------------
  router.add('GET', `/containers/${ID}/json`, (ex, [ref]) => {
    const c = d.container(ref!);
    const doc = containerInspect(c, d.runtime(c), d.host, d.mainPid(c), boolValue(ex.query, 'size') ? containerSizes(d.host, c) : undefined);
    if (!apiAtLeast(ex.apiVersion, '1.45')) withLegacyAliases(doc);
    ex.sendJson(200, doc);
  });

  // ---- start, stop, restart, kill ----------------------------------------------
  router.add('POST', `/containers/${ID}/start`, async (ex, [ref]) => {
    const c = d.container(ref!);
    if (running(c)) return ex.noContent(304);
    try {
      await d.startContainer(c);
    } catch (e) {
      throw startError(e);
    }
    ex.noContent();
  });

  router.add('POST', `/containers/${ID}/stop`, async (ex, [ref]) => {
    const c = d.container(ref!);
    if (!running(c)) return ex.noContent(304);
    const t = intValue(ex.query, 't', d.runtime(c).config.StopTimeout ?? 10);
    d.runtime(c).stoppedByUser = true;
    d.keep(d.runtime(c));
    // moby's stop sends the stop signal first (a `kill` event with it), then `die`, then `stop`.
    d.emit('container', 'kill', c.id, { image: c.image, name: c.name, signal: '15' });
    await c.stop(t < 0 ? 2 ** 31 / 1000 : t);
    ex.noContent();
  });

  router.add('POST', `/containers/${ID}/restart`, async (ex, [ref]) => {
    const c = d.container(ref!);
    const t = intValue(ex.query, 't', d.runtime(c).config.StopTimeout ?? 10);
    if (running(c)) {
      d.runtime(c).stoppedByUser = true;
      await c.stop(t < 0 ? 2 ** 31 / 1000 : t);
    }
    await d.runtime(c).outputDone;
    try {
      await d.startContainer(c);
    } catch (e) {
      throw startError(e);
    }
    d.emit('container', 'restart', c.id, { image: c.image, name: c.name });
    ex.noContent();
  });

  router.add('POST', `/containers/${ID}/kill`, async (ex, [ref]) => {
    const c = d.container(ref!);
    const signal = parseSignal(ex.query.get('signal') ?? '');
    if (!running(c)) throw conflict(`cannot kill container: ${ref}: container ${c.id} is not running`);
    if (isKillSignal(signal)) {
      d.runtime(c).stoppedByUser = true;
      d.keep(d.runtime(c));
      await c.kill();
    } else if (isGracefulSignal(signal)) {
      // Windows has no signals: any of these starts a graceful shutdown (moby libcontainerd/local), answered at once.
      d.runtime(c).stoppedByUser = true;
      d.emit('container', 'kill', c.id, { image: c.image, name: c.name, signal: String(signal.number) });
      void c.stop().catch(() => undefined);
    }
    // WINCH, CONT, CHLD, URG, USR1/2…: forwarded by a Linux CLI, nothing to do on Windows (§3.4, gotcha 11).
    ex.noContent();
  });

  router.add('POST', `/containers/${ID}/pause`, (ex, [ref]) => {
    const c = d.container(ref!);
    if (!running(c)) throw conflict(`container ${c.id} is not running`);
    if (c.status === 'paused') throw conflict(`container ${c.id} is already paused`);
    if (c.isolation === 'process') throw serverError(`cannot pause container ${c.id}: not implemented for containers using process isolation`);
    c.pause();
    ex.noContent();
  });

  router.add('POST', `/containers/${ID}/unpause`, (ex, [ref]) => {
    const c = d.container(ref!);
    if (c.status !== 'paused') throw conflict(`container ${c.id} is not paused`);
    c.unpause();
    ex.noContent();
  });

  router.add('POST', `/containers/${ID}/rename`, (ex, [ref]) => {
    const c = d.container(ref!);
    d.host.rename(c.id, ex.query.get('name') ?? '');
    ex.noContent();
  });

  router.add('POST', `/containers/${ID}/update`, async (ex, [ref]) => {
    const c = d.container(ref!);
    const body = ((await ex.json()) ?? {}) as Record<string, unknown>;
    const rt = d.runtime(c);
    const rp = body['RestartPolicy'] as Partial<RestartPolicy> | undefined;
    if (rp && rp.Name) {
      if (rt.hostConfig.AutoRemove && rp.Name !== 'no') throw badRequest('Restart policy cannot be updated because AutoRemove is enabled for the container');
      rt.hostConfig.RestartPolicy = { Name: rp.Name, MaximumRetryCount: rp.MaximumRetryCount ?? 0 };
    }
    // Windows takes the new resources into the config only (libcontainerd/local: updating a running container's resources is not supported, and not an error).
    for (const k of ['Memory', 'CpuShares', 'CpuCount', 'CpuPercent', 'NanoCpus']) if (typeof body[k] === 'number' && body[k] !== 0) rt.hostConfig[k] = body[k];
    for (const k of ['BlkioWeight', 'CpuPeriod', 'CpuQuota', 'CpusetCpus', 'CpusetMems', 'MemoryReservation', 'MemorySwap', 'KernelMemory']) {
      const v = body[k];
      if (v !== undefined && v !== 0 && v !== '') throw badRequest(`invalid option: Windows does not support ${k === 'CpuPeriod' ? 'CPUPeriod' : k}`);
    }
    d.keep(rt);
    d.emit('container', 'update', c.id, { image: c.image, name: c.name });
    ex.sendJson(200, { Warnings: [] });
  });

  // ---- remove, prune -------------------------------------------------------------
  router.add('DELETE', `/containers/${ID}`, async (ex, [ref]) => {
    const c = d.container(ref!);
    if (boolValue(ex.query, 'link')) throw badRequest(`Conflict, cannot remove the default link name of the container`);
    if (c.status === 'running' && !boolValue(ex.query, 'force')) {
      throw conflict(`cannot remove container "/${c.name}": container is running: stop the container before removing or force remove`);
    }
    d.runtime(c).stoppedByUser = true;
    await c.remove({ force: boolValue(ex.query, 'force'), removeVolumes: boolValue(ex.query, 'v') });
    ex.noContent();
  });

  router.add('POST', '/containers/prune', async (ex) => {
    const filters = parseFilters(ex.query.get('filters'));
    validateFilters(filters, ['label', 'label!', 'until']);
    const until = filters.get('until')?.[0];
    const untilMs = until === undefined ? undefined : timeValue(new URLSearchParams({ t: until }), 't', d.host.clock());
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const c of d.host.containers({ all: true }) as Container[]) {
      if (running(c)) continue;
      if (untilMs !== undefined && c.createdAt > untilMs) continue;
      const labels = filters.get('label');
      if (labels && !matchLabels(d.runtime(c).config.Labels, labels)) continue;
      const notLabels = filters.get('label!');
      if (notLabels && notLabels.some((l) => matchLabels(d.runtime(c).config.Labels, [l]))) continue;
      reclaimed += containerSizes(d.host, c).rw;
      await c.remove();
      deleted.push(c.id);
    }
    ex.sendJson(200, { ContainersDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed });
  });

  // ---- wait ----------------------------------------------------------------------
  // Headers flushed at once: the CLI sends start only after they arrive (§4.4, gotcha 1).
  router.add('POST', `/containers/${ID}/wait`, (ex, [ref]) => {
    const raw = ex.query.get('condition') ?? '';
    const condition = (raw === '' ? 'not-running' : raw) as WaitCondition;
    if (!['not-running', 'next-exit', 'removed'].includes(condition)) throw badRequest(`invalid condition: ${JSON.stringify(raw)}`);
    const c = d.container(ref!);
    const rt = d.runtime(c);
    const out = ex.stream(200, { 'Content-Type': 'application/json' });
    const answer = (code: number): void => {
      out.write(JSON.stringify({ StatusCode: code }) + '\n');
      out.end();
    };
    if (condition === 'not-running' && !running(c) && !rt.restarting) return answer(c.exitCode);
    const waiter = { condition, resolve: answer };
    rt.waiters.push(waiter);
    out.onClose(() => {
      const i = rt.waiters.indexOf(waiter);
      if (i >= 0) rt.waiters.splice(i, 1);
    });
  });

  // ---- attach --------------------------------------------------------------------
  router.add('POST', `/containers/${ID}/attach`, (ex, [ref]) => attach(d, ex, ref!));

  router.add('POST', `/containers/${ID}/resize`, (ex, [ref]) => {
    const c = d.container(ref!);
    const h = intValue(ex.query, 'h', 0);
    const w = intValue(ex.query, 'w', 0);
    if (!running(c)) throw conflict(`container ${c.id} is not running`);
    const rt = d.runtime(c);
    if (rt.tty && rt.io && h > 0 && w > 0) rt.io.resize(h, w);
    d.emit('container', 'resize', c.id, { height: String(h), image: c.image, name: c.name, width: String(w) });
    ex.send(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });

  // ---- logs ----------------------------------------------------------------------
  router.add('GET', `/containers/${ID}/logs`, (ex, [ref]) => logs(d, ex, ref!));

  // ---- top, stats, changes, export ----------------------------------------------
  router.add('GET', `/containers/${ID}/top`, (ex, [ref]) => {
    const c = d.container(ref!);
    if ((ex.query.get('ps_args') ?? '') !== '') throw serverError('Windows does not support arguments to top');
    if (!running(c) || !c.computeSystem) throw conflict(`container ${c.id} is not running`);
    const list = c.computeSystem.properties({ PropertyTypes: ['ProcessList'] }).ProcessList ?? [];
    ex.sendJson(200, {
      Titles: ['Name', 'PID', 'CPU', 'Private Working Set'],
      Processes: list.map((p) => [p.ImageName, String(p.ProcessId), cpuTime(p.UserTime100ns + p.KernelTime100ns), humanSize(p.MemoryWorkingSetPrivateBytes)]),
    });
  });

  router.add('GET', `/containers/${ID}/stats`, (ex, [ref]) => stats(d, ex, ref!));

  router.add('GET', `/containers/${ID}/changes`, (ex, [ref]) => {
    const c = d.container(ref!);
    if (running(c)) throw serverError('Windows does not support diff of a running container');
    const changes = containerChanges(d.host, c);
    ex.sendJson(200, changes.length > 0 ? changes : null);
  });

  // moby daemon/export.go: a Windows container cannot be exported by a Windows daemon.
  router.add('GET', `/containers/${ID}/export`, (ex, [ref]) => {
    d.container(ref!);
    throw serverError('the daemon on this operating system does not support exporting Windows containers');
  });

  // ---- commit ------------------------------------------------------------------------
  // moby's postCommit (container_routes.go) in its order: the body must be JSON if there is one
  // (its Config, if it names any field, is the base the changes apply to; then moby's merge
  // with the container's config, src/images/commit.ts commitConfig), the reference (400), then CreateImageFromContainer: the container (404), running or
  // paused refused on Windows (500 `windows does not support commit of a running container`),
  // the changes (400). Answers 201 {"Id":"sha256:…"}.
  router.add('POST', '/commit', async (ex) => {
    const ct = String(ex.headers['content-type'] ?? '');
    const body = await ex.body();
    if ((ct !== '' || body.length > 0) && ct.split(';')[0]!.trim().toLowerCase() !== 'application/json') {
      throw badRequest(`unsupported Content-Type header (${ct}): must be 'application/json'`);
    }
    let requestConfig: ImageConfig | undefined;
    if (body.length > 0) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch (e) {
        throw badRequest((e as Error).message);
      }
      try {
        requestConfig = requestCommitConfig(parsed);
      } catch (e) {
        if (e instanceof CommitBodyError) throw badRequest(e.message);
        throw e;
      }
    }
    const repo = ex.query.get('repo') ?? '';
    const tag = ex.query.get('tag') ?? '';
    let reference: string | undefined;
    if (repo !== '') {
      try {
        const named = parseNormalizedNamed(repo);
        if (named.digest) throw badRequest('cannot import digest reference');
        reference = familiarString(tagNameOnly(tag === '' ? named : parseNormalizedNamed(`${familiarString({ domain: named.domain, path: named.path })}:${tag}`)));
      } catch (e) {
        if (e instanceof ReferenceError) throw badRequest(e.message);
        throw e;
      }
    }
    const c = d.container(ex.query.get('container') ?? '');
    const author = ex.query.get('author') ?? '';
    const comment = ex.query.get('comment') ?? '';
    const image = await d.host.commit(c.id, {
      ...(reference !== undefined ? { reference } : {}),
      ...(author !== '' ? { author } : {}),
      ...(comment !== '' ? { comment } : {}),
      changes: ex.query.getAll('changes'),
      // moby CreateImageFromContainer: the body's config (else the container's), the changes, merged with the container's.
      fromContainer: containerImageConfig(c, d.runtime(c)),
      ...(requestConfig ? { requestConfig } : {}),
    });
    ex.sendJson(201, { Id: image.id });
  });
}

/** `HH:MM:SS.mmm` of a time in 100 ns units (moby's Windows top). */
function cpuTime(t100ns: number): string {
  const ms = Math.floor(t100ns / 10_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(Math.floor(ms / 3_600_000))}:${p(Math.floor(ms / 60_000) % 60)}:${p(Math.floor(ms / 1000) % 60)}.${p(ms % 1000, 3)}`;
}

/**
 * `POST /containers/{id}/attach`: hijacked (101 with Upgrade, a streamed
 * 200 without: dockerode). Output framed unless tty; stdin from the client
 * goes to the process (kept until it starts); with StdinOnce the client's
 * EOF closes the process's stdin. The stream ends when the run's output
 * ends (§4.3).
 */
function attach(d: Daemon, ex: Exchange, ref: string): void {
  const c = d.container(ref);
  if (c.status === 'paused') throw conflict(`container ${ref} is paused, unpause the container before attach`);
  const rt = d.runtime(c);
  const q = ex.query;
  const wantStdin = boolValue(q, 'stdin');
  const h = ex.hijack(streamContentType(rt.tty, ex.apiVersion));
  const sink: AttachSink = {
    stdout: boolValue(q, 'stdout'),
    stderr: boolValue(q, 'stderr'),
    write: (stream, data) => h.write(rt.tty ? data : frame(stream, data)),
    end: () => h.end(),
  };
  if (!boolValue(q, 'stream')) {
    for (const l of rt.logs) if ((l.stream === 1 && sink.stdout) || (l.stream === 2 && sink.stderr)) sink.write(l.stream, l.data);
    h.end();
    return;
  }
  rt.attach(sink, boolValue(q, 'logs'));
  h.onClose(() => rt.detach(sink));
  if (wantStdin && rt.config.OpenStdin) {
    h.onData((chunk) => rt.writeStdin(chunk));
    h.onEnd(() => {
      if (rt.config.StdinOnce) rt.closeStdin();
    });
  }
  d.emit('container', 'attach', c.id, { image: c.image, name: c.name });
}

/**
 * moby logger.Info.ExtraAttributes for the json-file driver, as
 * write_log_stream.go attrsByteSlice prints them: the labels named by the
 * `labels` log-opt (and matching `labels-regex`), the variables named by
 * `env` (and matching `env-regex`), sorted by key, `k=v` joined by commas,
 * each side as Go's url.QueryEscape writes it. Empty without such options.
 */
function logAttributes(c: Container, rt: ContainerRuntime): string {
  const opts = rt.hostConfig.LogConfig.Config ?? {};
  const labels: Record<string, string> = { ...(c.imageRecord.config.Labels ?? {}), ...(rt.config.Labels ?? {}) };
  const env = new Map<string, string>();
  for (const e of [...(c.imageRecord.config.Env ?? []), ...(rt.config.Env ?? [])]) {
    const eq = e.indexOf('=');
    if (eq > 0) env.set(e.slice(0, eq), e.slice(eq + 1));
  }
  const attrs = new Map<string, string>();
  const regex = (src: string | undefined): RegExp | undefined => {
    if (!src) return undefined;
    try {
      return new RegExp(src);
    } catch {
      return undefined;
    }
  };
  for (const k of (opts['labels'] ?? '').split(',')) if (k && k in labels) attrs.set(k, labels[k]!);
  const lr = regex(opts['labels-regex']);
  if (lr) for (const [k, v] of Object.entries(labels)) if (lr.test(k)) attrs.set(k, v);
  for (const k of (opts['env'] ?? '').split(',')) if (k && env.has(k)) attrs.set(k, env.get(k)!);
  const er = regex(opts['env-regex']);
  if (er) for (const [k, v] of env) if (er.test(k)) attrs.set(k, v);
  const esc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return [...attrs.keys()]
    .sort()
    .map((k) => `${esc(k)}=${esc(attrs.get(k)!)}`)
    .join(',');
}

/** `GET /containers/{id}/logs` (§3.8). */
function logs(d: Daemon, ex: Exchange, ref: string): void {
  const c = d.container(ref);
  const rt = d.runtime(c);
  const q = ex.query;
  const stdout = boolValue(q, 'stdout');
  const stderr = boolValue(q, 'stderr');
  if (!stdout && !stderr) throw badRequest('Bad parameters: you must choose at least one stream');
  const now = d.host.clock();
  const since = timeValue(q, 'since', now);
  const until = timeValue(q, 'until', now);
  // moby logger.ErrReadLogsNotSupported: the `none` driver keeps nothing to read (501).
  if (rt.hostConfig.LogConfig.Type === 'none') throw new ApiError(501, 'configured logging driver does not support reading');
  const timestamps = boolValue(q, 'timestamps');
  // `--details`: the json-file line's attributes (log-opt labels/env), then a space, before the text.
  const details = boolValue(q, 'details') ? Buffer.from(`${logAttributes(c, rt)} `) : undefined;
  const tailRaw = q.get('tail') ?? 'all';
  const tail = tailRaw === 'all' || tailRaw === '' ? -1 : Number.parseInt(tailRaw, 10);
  const wanted = (l: LogLine): boolean =>
    ((l.stream === 1 && stdout) || (l.stream === 2 && stderr)) && (since === undefined || since === 0 || l.time >= since) && (until === undefined || l.time <= until);
  let lines = rt.logs.filter(wanted);
  if (Number.isFinite(tail) && tail >= 0) lines = tail === 0 ? [] : lines.slice(-tail);
  const out = ex.stream(200, { 'Content-Type': streamContentType(rt.tty, ex.apiVersion) });
  const write = (l: LogLine): void => {
    const text = details ? Buffer.concat([details, l.data]) : l.data;
    const data = timestamps ? Buffer.concat([Buffer.from(nanoTime(l.time) + ' '), text]) : text;
    out.write(rt.tty ? data : frame(l.stream, data));
  };
  for (const l of lines) write(l);
  if (!boolValue(q, 'follow') || !running(c) || (until !== undefined && until <= now)) {
    out.end();
    return;
  }
  const stop = rt.follow((l) => {
    if (l === null) {
      stop();
      out.end();
    } else if (wanted(l)) write(l);
  });
  out.onClose(stop);
}

/** One statistics sample of a container (§5.2), Windows' shape. */
function sample(d: Daemon, c: Container): { at: number; cpu: Record<string, unknown>; memory: Record<string, number>; storage: Record<string, number>; networks?: Record<string, Record<string, number>> } | undefined {
  const sys = c.computeSystem;
  if (!sys || !running(c)) return undefined;
  const s = sys.properties({ PropertyTypes: ['Statistics'] }).Statistics!;
  return {
    at: d.host.clock(),
    cpu: {
      cpu_usage: { total_usage: s.Processor.TotalRuntime100ns, usage_in_kernelmode: s.Processor.RuntimeKernel100ns, usage_in_usermode: s.Processor.RuntimeUser100ns },
      throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
    },
    memory: { commitbytes: s.Memory.MemoryUsageCommitBytes, commitpeakbytes: s.Memory.MemoryUsageCommitPeakBytes, privateworkingset: s.Memory.MemoryUsagePrivateWorkingSetBytes },
    storage: {
      read_count_normalized: s.Storage.ReadCountNormalized,
      read_size_bytes: s.Storage.ReadSizeBytes,
      write_count_normalized: s.Storage.WriteCountNormalized,
      write_size_bytes: s.Storage.WriteSizeBytes,
    },
    ...networkStats(c),
  };
}

/**
 * `networks`: each HNS endpoint's counters keyed by its id, as the builtin
 * HCS runtime fills them (moby daemon/stats_windows.go: no error counts on
 * Windows; endpoint_id/instance_id left out). None attached: no key
 * (omitempty).
 */
function networkStats(c: Container): { networks?: Record<string, Record<string, number>> } {
  const list = c.networkState.stack?.statistics() ?? [];
  if (list.length === 0) return {};
  const networks: Record<string, Record<string, number>> = {};
  for (const n of list) {
    networks[n.endpointId] = { rx_bytes: n.rxBytes, rx_packets: n.rxPackets, rx_errors: 0, rx_dropped: n.rxDropped, tx_bytes: n.txBytes, tx_packets: n.txPackets, tx_errors: 0, tx_dropped: n.txDropped };
  }
  return { networks };
}

const EMPTY_BLKIO = {
  io_service_bytes_recursive: null,
  io_serviced_recursive: null,
  io_queue_recursive: null,
  io_service_time_recursive: null,
  io_wait_time_recursive: null,
  io_merged_recursive: null,
  io_time_recursive: null,
  sectors_recursive: null,
};

/**
 * `GET /containers/{id}/stats`: `stream` (default true) a line about every
 * second; `stream=0` one object from two samples a second apart (so
 * precpu is filled, as moby does); `one-shot=1` one sample at once. A
 * stopped container: zeros with its name and id.
 */
function stats(d: Daemon, ex: Exchange, ref: string): void {
  const c = d.container(ref);
  const stream = boolValueOrDefault(ex.query, 'stream', true);
  const oneShot = boolValue(ex.query, 'one-shot');
  const cpus = d.host.cpuCount;
  type Sample = ReturnType<typeof sample>;
  const body = (cur: Sample, prev: Sample): Record<string, unknown> => ({
    read: cur ? goTime(cur.at) : GO_ZERO_TIME,
    preread: prev ? goTime(prev.at) : GO_ZERO_TIME,
    pids_stats: {},
    blkio_stats: EMPTY_BLKIO,
    num_procs: cur ? cpus : 0,
    storage_stats: cur ? cur.storage : {},
    cpu_stats: cur ? cur.cpu : { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    precpu_stats: prev ? prev.cpu : { cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    memory_stats: cur ? cur.memory : {},
    name: `/${c.name}`,
    id: c.id,
    ...(cur?.networks ? { networks: cur.networks } : {}),
  });
  const out = ex.stream(200, { 'Content-Type': 'application/json' });
  const first = sample(d, c);
  if (!first || oneShot) {
    out.write(JSON.stringify(body(first, undefined)) + '\n');
    out.end();
    return;
  }
  if (!stream) {
    const t = setTimeout(() => {
      out.write(JSON.stringify(body(sample(d, c) ?? first, first)) + '\n');
      out.end();
    }, 1000);
    out.onClose(() => clearTimeout(t));
    return;
  }
  out.write(JSON.stringify(body(first, undefined)) + '\n');
  let prev = first;
  const timer = setInterval(() => {
    const cur = sample(d, c);
    if (!cur) {
      clearInterval(timer);
      out.end();
      return;
    }
    out.write(JSON.stringify(body(cur, prev)) + '\n');
    prev = cur;
  }, 1000);
  out.onClose(() => clearInterval(timer));
}

