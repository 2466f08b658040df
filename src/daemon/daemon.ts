/**
 * The Docker Engine API daemon on a Host (issue 8): an HTTP/1.1 server on
 * unix sockets and loopback TCP that the real docker CLI, docker-py and
 * dockerode talk to as to dockerd on Windows Server.
 *
 * Per request (docker-engine-api.md §1): the `/v<version>` prefix is
 * checked against 1.24–1.50 and stripped (bare paths mean 1.50); every
 * answer carries `Server: Docker/28.2.2 (windows)`, `Api-Version`,
 * `Ostype: windows`, `Docker-Experimental: false`; an unknown route is 404
 * `page not found`; errors are `{"message"}` (errors.ts). A handler that
 * throws answers an error (or ends its stream): a malformed request never
 * takes the daemon down.
 *
 * The container state the Host does not keep (API configs, logs, attached
 * clients, waiters) is in a ContainerRuntime per container (runtime.ts).
 */
import { HealthMonitor, mergedHealthcheck } from './health.js';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Container, Host } from '../host/host.js';
import type { ContainerCreateOptions, HostEvent } from '../host/types.js';
import type { ContainerConfigView, HostConfigView } from './create.js';
import { ApiError, notFound, toApiError } from './errors.js';
import { EventBus, apiEvent } from './events.js';
import { Exchange, HttpExchange, UpgradeExchange } from './exchange.js';
import { Router } from './router.js';
import { ContainerRuntime } from './runtime.js';
import { DaemonState } from './state.js';
import { API_VERSION, MIN_API_VERSION, SERVER_HEADER, compareApiVersions } from './version.js';
import { registerSystemRoutes } from './routes-system.js';
import { registerContainerRoutes } from './routes-containers.js';
import { registerExecRoutes, type ExecRecord } from './routes-exec.js';
import { registerImageRoutes } from './routes-images.js';
import { registerObjectRoutes } from './routes-objects.js';
import { registerArchiveRoutes } from './archive.js';
import { registerBuildRoutes } from './routes-build.js';

export interface DaemonOptions {
  host: Host;
  /** Where to listen: `unix:///path/winsilo.sock`, `tcp://127.0.0.1:2375` (default: none — call listen()). */
  hosts?: readonly string[];
  /** Allow a TCP address that is not loopback (plain HTTP, no TLS: anyone who can reach it controls the host). */
  insecureTcp?: boolean;
  /** The data root the Host keeps its state in: the daemon keeps its own per-container state beside it (state.ts). */
  dataRoot?: string;
  /** Where the daemon's log lines go (dockerd's logrus text format); default: nowhere. */
  log?: (line: string) => void;
}

/** A listen address the daemon refuses, with the reason (the CLI prints it and exits 1). */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

/** The headers every answer carries (§1.4). */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'Api-Version': API_VERSION,
  'Docker-Experimental': 'false',
  Ostype: 'windows',
  Server: SERVER_HEADER,
};

export class Daemon {
  readonly host: Host;
  readonly events = new EventBus();
  readonly execs = new Map<string, ExecRecord>();
  private readonly runtimes = new Map<string, ContainerRuntime>();
  private readonly router = new Router();
  private readonly servers: { server: Server; address: string; socketPath?: string }[] = [];
  private readonly connections = new Set<Duplex>();
  private readonly unsubscribeHost: () => void;
  private readonly log: (line: string) => void;
  private closed = false;
  private readonly state: DaemonState | undefined;
  /** Unix ms the daemon started (`docker info`'s SystemTime is now; this is for uptime-like needs). */
  readonly startedAt: number;

  constructor(private readonly options: DaemonOptions) {
    this.host = options.host;
    this.log = options.log ?? (() => undefined);
    this.startedAt = this.host.clock();
    this.state = options.dataRoot !== undefined ? new DaemonState(options.dataRoot) : undefined;
    this.state?.prune(new Set(this.host.containers({ all: true }).map((c) => c.id)));
    registerSystemRoutes(this.router, this);
    registerContainerRoutes(this.router, this);
    registerExecRoutes(this.router, this);
    registerImageRoutes(this.router, this);
    registerObjectRoutes(this.router, this);
    registerArchiveRoutes(this.router, this);
    registerBuildRoutes(this.router, this);
    this.unsubscribeHost = this.host.onEvent((e) => this.onHostEvent(e));
  }

  /** Creates a daemon on `options.host` and listens on `options.hosts`. */
  static async start(options: DaemonOptions): Promise<Daemon> {
    const d = new Daemon(options);
    try {
      for (const h of options.hosts ?? []) await d.listen(h);
    } catch (e) {
      await d.close();
      throw e;
    }
    return d;
  }

  /** The addresses listened on (`unix:///…`, `tcp://127.0.0.1:<port>` with the real port). */
  get addresses(): string[] {
    return this.servers.map((s) => s.address);
  }

  /** Listens on one more address. A TCP port of 0 picks a free one (see `addresses`). */
  async listen(address: string): Promise<void> {
    // As dockerd's API server (daemon/command/daemon.go): 5 minutes to send the headers (ReadHeaderTimeout, against
    // slow-loris clients), no limit on a body (an image load or a build context streams as long as it takes).
    const server = createServer({ headersTimeout: 5 * 60_000, requestTimeout: 0, keepAliveTimeout: 60_000 }, (req, res) => this.onRequest(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    server.on('connection', (s: Duplex) => {
      this.connections.add(s);
      s.on('close', () => this.connections.delete(s));
    });
    server.on('clientError', (_err, socket: Duplex) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    if (address.startsWith('unix://')) {
      const path = address.slice('unix://'.length);
      if (path === '') throw new ListenError(`invalid unix address: ${address}`);
      // dockerd removes a stale socket file before listening (pkg/sockets NewUnixSocket).
      if (existsSync(path)) unlinkSync(path);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => resolve());
      });
      // Owner and group may connect (dockerd: 0660, group docker).
      chmodSync(path, 0o660);
      this.servers.push({ server, address, socketPath: path });
      this.log(logLine('info', `API listen on ${path}`));
      return;
    }
    if (address.startsWith('tcp://')) {
      const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]*)(?::(\d+))?\/?$/.exec(address);
      if (!m) throw new ListenError(`invalid tcp address: ${address}`);
      const hostname = (m[1] || '127.0.0.1').replace(/^\[|\]$/g, '');
      const port = m[2] === undefined ? 2375 : Number(m[2]);
      if (!isLoopback(hostname)) {
        if (!this.options.insecureTcp) {
          throw new ListenError(
            `refusing to listen on ${address}: the API would be reachable from the network without TLS, which gives full control of this host to anyone who can connect; use a loopback address, or pass --insecure-tcp`,
          );
        }
        this.log(logLine('warning', 'Binding to IP address without --tlsverify is insecure and gives root access on this machine to everyone who has access to your network.', { host: address }));
      }
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, hostname, () => resolve());
      });
      const a = server.address();
      const real = typeof a === 'object' && a ? a.port : port;
      const shown = hostname.includes(':') ? `[${hostname}]` : hostname;
      this.servers.push({ server, address: `tcp://${shown}:${real}` });
      this.log(logLine('info', `API listen on ${shown}:${real}`));
      return;
    }
    throw new ListenError(`invalid host address: ${address} (use unix:///path or tcp://host:port)`);
  }

  /** Stops listening, ends every connection and leaves the Host open (its owner closes it). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeHost();
    for (const c of this.connections) c.destroy();
    await Promise.all(
      this.servers.map(
        ({ server, socketPath }) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections?.();
            if (socketPath && existsSync(socketPath)) {
              try {
                unlinkSync(socketPath);
              } catch {
                // already gone
              }
            }
          }),
      ),
    );
    this.servers.length = 0;
  }

  // ---- dispatch ------------------------------------------------------------------

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const { path, query } = splitUrl(req.url ?? '/');
    void this.dispatch(new HttpExchange(req, res, path, query, COMMON_HEADERS));
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => undefined);
    const { path, query } = splitUrl(req.url ?? '/');
    void this.dispatch(new UpgradeExchange(req, socket, head, path, query, COMMON_HEADERS));
  }

  private async dispatch(ex: Exchange): Promise<void> {
    let path = ex.path;
    ex.apiVersion = API_VERSION;
    const m = /^\/v([0-9.]+)(\/.*)$/.exec(path);
    if (m) {
      const v = m[1]!;
      path = m[2]!;
      ex.apiVersion = v;
      if (compareApiVersions(v, MIN_API_VERSION) < 0) {
        // moby answers errors in plain text to clients older than 1.24.
        ex.error(new ApiError(400, `client version ${v} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`), true);
        return;
      }
      if (compareApiVersions(v, API_VERSION) > 0) {
        ex.error(new ApiError(400, `client version ${v} is too new. Maximum supported API version is ${API_VERSION}`));
        return;
      }
    }
    const route = this.router.match(ex.method, path);
    if (!route) {
      ex.error(notFound('page not found'));
      return;
    }
    try {
      await route.handler(ex, route.params);
    } catch (e) {
      const err = toApiError(e);
      if (err.status >= 500) this.log(logLine('error', `Handler for ${ex.method} ${ex.path} returned error: ${err.message}`));
      if (!ex.responded) ex.error(err);
    }
  }

  // ---- containers ----------------------------------------------------------------

  /**
   * The container `ref` names: a full id, a name (with or without `/`), or
   * a unique id prefix (400 `multiple IDs found with provided prefix` when
   * several match); 404 `No such container: <ref>` otherwise.
   */
  container(ref: string): Container {
    const all = this.host.containers({ all: true }) as Container[];
    const byId = all.find((c) => c.id === ref);
    if (byId) return byId;
    const name = ref.replace(/^\//, '');
    const byName = all.find((c) => c.name === name);
    if (byName) return byName;
    if (ref !== '') {
      const prefixed = all.filter((c) => c.id.startsWith(ref));
      if (prefixed.length === 1) return prefixed[0]!;
      if (prefixed.length > 1) throw new ApiError(400, `multiple IDs found with provided prefix: ${ref}`);
    }
    throw notFound(`No such container: ${ref}`);
  }

  /** The daemon's state of `c` (made from its create options for a container the daemon did not create, e.g. one restored from the data root). */
  runtime(c: Container): ContainerRuntime {
    let rt = this.runtimes.get(c.id);
    if (!rt) {
      const kept = this.state?.read(c.id);
      rt = new ContainerRuntime(c, kept?.config ?? configFromOptions(c.options), kept?.hostConfig ?? hostConfigFromOptions(c), this.host.clock);
      if (kept) {
        rt.restartCount = kept.restartCount;
        rt.stoppedByUser = kept.stoppedByUser;
      }
      if (this.state) rt.logs.push(...this.state.readLog(c.id));
      this.attachLog(rt);
      this.runtimes.set(c.id, rt);
    }
    return rt;
  }

  /** @internal A container created through the API: its runtime with the configs the request gave. */
  adopt(c: Container, config: ContainerConfigView, hostConfig: HostConfigView): ContainerRuntime {
    const rt = new ContainerRuntime(c, config, hostConfig, this.host.clock);
    this.runtimes.set(c.id, rt);
    this.attachLog(rt);
    this.keep(rt);
    return rt;
  }

  private attachLog(rt: ContainerRuntime): void {
    const state = this.state;
    if (!state) return;
    rt.logSink = (line) => {
      try {
        state.appendLog(rt.id, line);
      } catch (e) {
        this.log(logLine('error', `failed to write the log of ${rt.id}: ${(e as Error).message}`));
      }
    };
  }

  /** Writes the container's API state to the data root (no-op in memory). */
  keep(rt: ContainerRuntime): void {
    if (!this.state || rt.handle.status === 'dead') return;
    this.state.write(rt.id, { version: 1, config: rt.config, hostConfig: rt.hostConfig, restartCount: rt.restartCount, stoppedByUser: rt.stoppedByUser });
  }

  /**
   * Starts `c`'s main process and pumps its output (runtime.ts). A failed
   * start of an AutoRemove container still removes it, so `docker run
   * --rm`'s `removed` wait is answered (§4.3, gotcha 8).
   */
  async startContainer(c: Container): Promise<void> {
    const rt = this.runtime(c);
    rt.stoppedByUser = false;
    let io;
    try {
      io = await c.start();
    } catch (e) {
      rt.failedRun();
      if (c.options.autoRemove && c.status !== 'dead') await c.remove({ force: true }).catch(() => undefined);
      throw e;
    }
    void rt.run(io);
    this.keep(rt);
  }

  /** The pid of the main process (State.Pid), 0 when not running. */
  mainPid(c: Container): number {
    return this.runtimes.get(c.id)?.io?.pid ?? 0;
  }

  /** The container's health-check monitor: its settings are the container's Config over its image's. */
  private healthMonitor(rt: ContainerRuntime): HealthMonitor {
    if (!rt.healthMonitor) {
      rt.healthMonitor = new HealthMonitor(this, rt, () => {
        const image = rt.handle.imageRecord.config;
        return {
          healthcheck: mergedHealthcheck(rt.config.Healthcheck, image.Healthcheck),
          shell: image.Shell,
          user: rt.config.User || image.User || '',
          workingDir: rt.config.WorkingDir || image.WorkingDir || '',
        };
      });
    }
    return rt.healthMonitor;
  }

  /** Unix ms (the Host's clock). */
  clock(): number {
    return this.host.clock();
  }

  /** Publishes a daemon-side event (attach, resize, rename, exec_create, …). */
  emit(type: string, action: string, id: string, attributes: Record<string, string>): void {
    const ms = this.host.clock();
    this.events.publish(apiEvent({ Type: type as HostEvent['Type'], Action: action, Actor: { ID: id, Attributes: attributes }, time: Math.floor(ms / 1000), timeNano: Math.round(ms * 1e6) }));
  }

  private onHostEvent(e: HostEvent): void {
    this.events.publish(apiEvent(e));
    if (e.Type !== 'container') return;
    const rt = this.runtimes.get(e.Actor.ID);
    if (!rt) return;
    // Health checks follow the container (moby monitor.go: init at start, stop at exit and pause, resume at unpause).
    if (e.Action === 'start') this.healthMonitor(rt).start();
    else if (e.Action === 'die' || e.Action === 'pause' || e.Action === 'destroy') rt.healthMonitor?.stop();
    else if (e.Action === 'unpause') rt.healthMonitor?.resume();
    if (e.Action === 'die') {
      const code = Number(e.Actor.Attributes['exitCode'] ?? '0');
      // The attached clients' streams end first (the output is complete), then the waiters (§4.3).
      void rt.outputDone.then(() => {
        rt.settle(['next-exit', 'not-running'], code);
        this.applyRestartPolicy(rt, code);
      });
    } else if (e.Action === 'destroy') {
      rt.failedRun();
      void rt.outputDone.then(() => rt.settle(['next-exit', 'not-running', 'removed'], rt.handle.exitCode));
      this.runtimes.delete(e.Actor.ID);
      this.state?.remove(e.Actor.ID);
    }
  }

  /**
   * Restart policies (moby restartmanager): `always`, `unless-stopped`
   * (unless stopped by the user), `on-failure[:n]` for a non-zero exit,
   * with moby's back-off (100 ms, doubling).
   */
  private applyRestartPolicy(rt: ContainerRuntime, code: number): void {
    const p = rt.hostConfig.RestartPolicy;
    if (this.closed || rt.stoppedByUser || rt.handle.status !== 'exited') return;
    const yes =
      p.Name === 'always' ||
      p.Name === 'unless-stopped' ||
      (p.Name === 'on-failure' && code !== 0 && (p.MaximumRetryCount === 0 || rt.restartCount < p.MaximumRetryCount));
    if (!yes) return;
    rt.restarting = true;
    const delay = Math.min(100 * 2 ** rt.restartCount, 60_000);
    setTimeout(() => {
      rt.restarting = false;
      if (this.closed || rt.stoppedByUser || rt.handle.status !== 'exited') return;
      rt.restartCount++;
      this.startContainer(rt.handle).catch((e) => this.log(logLine('error', `restart of ${rt.id} failed: ${toApiError(e).message}`)));
    }, delay).unref();
  }

  /**
   * At startup, as dockerd's restore (daemon.go restore, shouldRestart):
   * `always` containers start, `unless-stopped` ones unless the user
   * stopped them, `on-failure` ones whose last exit was not 0.
   */
  async restoreRestartPolicies(): Promise<void> {
    for (const c of this.host.containers({ all: true }) as Container[]) {
      const rt = this.runtime(c);
      const p = rt.hostConfig.RestartPolicy.Name;
      const yes = p === 'always' || (p === 'unless-stopped' && !rt.stoppedByUser) || (p === 'on-failure' && !rt.stoppedByUser && c.exitCode !== 0);
      if (c.status === 'exited' && yes) {
        await this.startContainer(c).catch((e) => this.log(logLine('error', `failed to start container ${c.id}: ${toApiError(e).message}`)));
      }
    }
  }

}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  return { path: rawPath.replace(/\/{2,}/g, '/'), query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)) };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '::1' || /^127\./.test(hostname);
}

/** A dockerd log line (logrus text format). */
export function logLine(level: string, msg: string, fields: Record<string, string> = {}): string {
  const extra = Object.entries(fields)
    .map(([k, v]) => ` ${k}=${JSON.stringify(v)}`)
    .join('');
  return `time="${new Date().toISOString()}" level=${level} msg=${JSON.stringify(msg)}${extra}`;
}

/** Config for a container the daemon did not create (restored from a data root): what its create options say. */
function configFromOptions(o: ContainerCreateOptions): ContainerConfigView {
  return {
    Hostname: o.hostname ?? '',
    Domainname: '',
    User: o.user ?? '',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: o.tty === true,
    OpenStdin: o.openStdin === true,
    StdinOnce: false,
    Env: o.env ?? null,
    Cmd: o.cmd ?? null,
    Image: o.image,
    Volumes: null,
    WorkingDir: o.workingDir ?? '',
    Entrypoint: o.entrypoint ?? null,
    OnBuild: null,
    Labels: {},
  };
}

function hostConfigFromOptions(c: Container): HostConfigView {
  const o = c.options;
  return {
    Binds: o.binds ? o.binds.map((b) => `${b.hostPath}:${b.containerPath}${b.readOnly ? ':ro' : ''}`) : null,
    NetworkMode: 'nat',
    Isolation: c.isolation,
    AutoRemove: o.autoRemove === true,
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    LogConfig: { Type: 'json-file', Config: {} },
    ConsoleSize: o.consoleSize ?? [0, 0],
    PortBindings: {},
    Memory: o.memory ?? 0,
    CpuCount: o.cpuCount ?? 0,
    CpuPercent: o.cpuPercent ?? 0,
    CpuShares: o.cpuShares ?? 0,
  };
}

