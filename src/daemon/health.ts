/**
 * Health checks, as moby v28's daemon/health.go runs them: a container
 * whose Healthcheck (its own over its image's HEALTHCHECK) has a CMD or
 * CMD-SHELL test is probed while it runs, by an exec in the container.
 *
 *  - The first probe comes one interval after the start (30 s by default;
 *    during the start period, while still `starting`, the start interval,
 *    5 s by default); each next one an interval after the last ended.
 *  - CMD-SHELL runs the test through the container's SHELL, else Windows'
 *    `cmd /S /C` (getShell); CMD runs its words as they are. The probe has
 *    the container's user and working folder; stdout and stderr are kept
 *    together, up to 4096 bytes.
 *  - Exit code 0 is healthy (FailingStreak 0); anything else counts as a
 *    failure — except while `starting` within the start period — and
 *    `retries` failures in a row (3 by default) make it unhealthy. A probe
 *    past its timeout (30 s) is killed: exit code -1, "Health check
 *    exceeded timeout (30s)" with what it wrote after a colon.
 *  - The log keeps the last 5 results; a status change is the event
 *    `health_status: healthy|unhealthy`.
 *  - A start (or restart) resets the status to `starting` and the streak;
 *    the log stays. A stop or pause ends the probing and leaves
 *    `unhealthy` (CloseMonitorChannel, "for compatibility reasons"); an
 *    unpause probes again an interval later.
 */
import { randomBytes } from 'node:crypto';
import type { Container } from '../host/host.js';
import type { ProcessIo } from '../host/types.js';
import { goDuration } from '../cli/goformat.js';
import { goTime } from './inspect.js';
import type { ContainerRuntime } from './runtime.js';

/** Config.Healthcheck (durations in nanoseconds, 0: the default). */
export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

/** One probe as State.Health.Log shows it. */
export interface HealthResult {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

/** State.Health. */
export interface HealthState {
  Status: HealthStatus;
  FailingStreak: number;
  Log: HealthResult[];
}

const MS = 1e6;
const DEFAULT_INTERVAL = 30_000 * MS;
const DEFAULT_TIMEOUT = 30_000 * MS;
const DEFAULT_START_INTERVAL = 5_000 * MS;
const DEFAULT_RETRIES = 3;
const MAX_OUTPUT = 4096;
const MAX_LOG = 5;

/** time.Millisecond: the least interval, timeout, start period and start interval moby takes. */
const MINIMUM_DURATION = 1 * MS;

/**
 * moby validateHealthCheck (daemon/container.go, part of
 * validateContainerConfig): the first problem's text, or undefined.
 */
export function healthcheckError(h: HealthConfig | null | undefined): string | undefined {
  if (!h) return undefined;
  const min = goDuration(MINIMUM_DURATION);
  const short = (v: number | undefined) => v !== undefined && v !== 0 && v < MINIMUM_DURATION;
  if (short(h.Interval)) return `Interval in Healthcheck cannot be less than ${min}`;
  if (short(h.Timeout)) return `Timeout in Healthcheck cannot be less than ${min}`;
  if ((h.Retries ?? 0) < 0) return 'Retries in Healthcheck cannot be negative';
  if (short(h.StartPeriod)) return `StartPeriod in Healthcheck cannot be less than ${min}`;
  if (short(h.StartInterval)) return `StartInterval in Healthcheck cannot be less than ${min}`;
  return undefined;
}

/**
 * The container's own Healthcheck over its image's (moby's config merge):
 * the image's when it has none, else each unset field from the image.
 */
export function mergedHealthcheck(own: HealthConfig | undefined, image: HealthConfig | undefined): HealthConfig | undefined {
  if (!own) return image;
  if (!image) return own;
  const pick = <K extends keyof HealthConfig>(k: K): HealthConfig[K] => (own[k] === undefined || own[k] === 0 || (Array.isArray(own[k]) && (own[k] as string[]).length === 0) ? image[k] : own[k]);
  const out: HealthConfig = {};
  for (const k of ['Test', 'Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const) {
    const v = pick(k);
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** What the daemon gives the monitor. */
export interface HealthHost {
  /** Unix ms. */
  clock(): number;
  emit(type: string, action: string, id: string, attributes: Record<string, string>): void;
}

/** The probe's command line (moby cmdProbe.run), or undefined when there is nothing to probe (none, NONE, an unknown type). */
function probeCommand(h: HealthConfig | undefined, shell: string[] | undefined): string[] | undefined {
  const test = h?.Test ?? [];
  if (test.length === 0) return undefined;
  if (test[0] === 'CMD') return test.length > 1 ? test.slice(1) : undefined;
  if (test[0] === 'CMD-SHELL') return [...(shell && shell.length > 0 ? shell : ['cmd', '/S', '/C']), ...test.slice(1)];
  return undefined;
}

/** One container's probing: started with the container, stopped with it. */
export class HealthMonitor {
  private timer: NodeJS.Timeout | undefined;
  private probe: { io: ProcessIo | undefined; cancelled: boolean } | undefined;
  private running = false;

  constructor(
    private readonly host: HealthHost,
    private readonly rt: ContainerRuntime,
    private readonly settings: () => { healthcheck: HealthConfig | undefined; shell: string[] | undefined; user: string; workingDir: string },
  ) {}

  private get container(): Container {
    return this.rt.handle;
  }

  /** The container started (initHealthMonitor): `starting`, streak 0, the log kept; the first probe an interval from now. */
  start(): void {
    this.stop(false);
    if (!probeCommand(this.settings().healthcheck, undefined)) return;
    const prev = this.rt.health;
    this.rt.health = { Status: 'starting', FailingStreak: 0, Log: prev ? prev.Log : [] };
    this.resume();
  }

  /** Probing again after an unpause (the status stays as it was left). */
  resume(): void {
    if (!this.rt.health || this.running) return;
    this.running = true;
    this.schedule();
  }

  /** The container stopped or paused: no more probes, `unhealthy` (moby CloseMonitorChannel). `forget`: removed. */
  stop(markUnhealthy = true): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.probe) {
      this.probe.cancelled = true;
      this.probe.io?.kill();
      this.probe = undefined;
    }
    if (this.running && markUnhealthy && this.rt.health) this.rt.health.Status = 'unhealthy';
    this.running = false;
  }

  private interval(): number {
    const h = this.settings().healthcheck ?? {};
    const sinceStart = (this.host.clock() - this.container.startedAt) * MS;
    if (sinceStart >= (h.StartPeriod || 0)) return h.Interval || DEFAULT_INTERVAL;
    return this.rt.health?.Status === 'starting' ? h.StartInterval || DEFAULT_START_INTERVAL : h.Interval || DEFAULT_INTERVAL;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runProbe().then(() => {
        if (this.running) this.schedule();
      });
    }, this.interval() / MS);
    this.timer.unref();
  }

  private async runProbe(): Promise<void> {
    const s = this.settings();
    const cmd = probeCommand(s.healthcheck, s.shell);
    const c = this.container;
    if (!cmd) return;
    const started = this.host.clock();
    const probe: { io: ProcessIo | undefined; cancelled: boolean } = { io: undefined, cancelled: false };
    this.probe = probe;
    const execId = randomBytes(32).toString('hex');
    this.host.emit('container', `exec_create: ${cmd.join(' ')}`, c.id, { execID: execId, image: c.image, name: c.name });
    let result: { exitCode: number; output: string };
    try {
      result = await this.exec(probe, cmd, execId, s);
    } catch (e) {
      // moby: a probe that could not run is a failure with its error as the output.
      result = { exitCode: -1, output: e instanceof Error ? e.message : String(e) };
    }
    if (probe.cancelled || this.probe !== probe) return;
    this.probe = undefined;
    this.record({ Start: goTime(started), End: goTime(this.host.clock()), ExitCode: result.exitCode, Output: result.output }, started);
  }

  private async exec(probe: { io: ProcessIo | undefined; cancelled: boolean }, cmd: string[], execId: string, s: ReturnType<HealthMonitor['settings']>): Promise<{ exitCode: number; output: string }> {
    const c = this.container;
    const io = await c.exec({ cmd, tty: false, attachStdin: false, execId, ...(s.user ? { user: s.user } : {}), ...(s.workingDir ? { workingDir: s.workingDir } : {}) });
    probe.io = io;
    if (probe.cancelled) io.kill();
    const kept: Buffer[] = [];
    let size = 0;
    const keep = (chunk: Uint8Array): void => {
      const room = MAX_OUTPUT - size;
      if (room <= 0) return;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      kept.push(Buffer.from(part));
      size += part.length;
    };
    const pumps = [io.stdout, io.stderr].map((r) => (r ? r.readEach(keep).catch(() => undefined) : undefined));
    const timeout = this.settings().healthcheck?.Timeout || DEFAULT_TIMEOUT;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeout / MS);
      timer.unref();
    });
    const code = await Promise.race([io.wait(), timedOut]);
    clearTimeout(timer);
    if (code === 'timeout') {
      io.kill();
      // Not the pipes: a program the probe started (cmd's child) may hold them open after the kill.
      const exitCode = await io.wait();
      this.host.emit('container', 'exec_die', c.id, { execID: execId, exitCode: String(exitCode), image: c.image, name: c.name });
      const out = Buffer.concat(kept).toString('utf8');
      return { exitCode: -1, output: `Health check exceeded timeout (${goDuration(timeout)})${out ? `: ${out}` : ''}` };
    }
    await Promise.all(pumps);
    this.host.emit('container', 'exec_die', c.id, { execID: execId, exitCode: String(code), image: c.image, name: c.name });
    return { exitCode: code, output: Buffer.concat(kept).toString('utf8') };
  }

  /** moby handleProbeResult. */
  private record(result: HealthResult, startedMs: number): void {
    const h = this.rt.health;
    if (!h) return;
    const before = h.Status;
    h.Log.push(result);
    if (h.Log.length > MAX_LOG) h.Log.splice(0, h.Log.length - MAX_LOG);
    const cfg = this.settings().healthcheck ?? {};
    if (result.ExitCode === 0) {
      h.FailingStreak = 0;
      h.Status = 'healthy';
    } else {
      const withinStart = h.Status === 'starting' && (startedMs - this.container.startedAt) * MS < (cfg.StartPeriod || 0);
      if (!withinStart) {
        h.FailingStreak++;
        if (h.FailingStreak >= (cfg.Retries && cfg.Retries > 0 ? cfg.Retries : DEFAULT_RETRIES)) h.Status = 'unhealthy';
      }
    }
    if (h.Status !== before) this.host.emit('container', `health_status: ${h.Status}`, this.container.id, { image: this.container.image, name: this.container.name });
  }
}
