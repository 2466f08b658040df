/**
 * `winsilo run`: docker run against the in-process engine, with docker's
 * flags, messages, order of checks and exit codes (docker/cli
 * cli/command/container/run.go, create.go, opts.go; moby daemon/create.go).
 *
 * Order, as docker does it:
 *  1. flags (pflag, stopping at IMAGE)                     → 125, flag error
 *  2. `--help`                                              → help, 0
 *  3. at least one argument                                 → 1
 *  4. `--pull` value                                        → 125
 *  5. the engine (docker: Ping)                             → 1
 *  6. client-side parse: `-v` syntax, then `--env-file`     → 125
 *  7. `-it` with a stdin that is not a terminal             → 1
 *  8. the image reference                                   → 125
 *  9. engine: isolation, resources; image lookup — missing: "Unable to
 *     find image 'x' locally", pull with progress, create again; binds;
 *     compatibility (at create or start)                   → 125/126/127
 * 10. warnings ("WARNING: …"), then `-d` prints the id and starts (the id is printed even when the start fails); otherwise
 *     the streams are attached and the exit code is the main process's.
 *
 * Streams: without `-t` the container's stdout and stderr go to winsilo's
 * stdout and stderr; with `-t` the console's output goes to stdout. With
 * `-i` winsilo's stdin feeds the container; with `-it` on a terminal,
 * stdin is put in raw mode, so Ctrl+C reaches the container as a key
 * (as docker's -it), the console is resized with the terminal, and the
 * terminal is restored at the end. SIGINT and SIGTERM that winsilo itself
 * receives shut the container down, as docker's signal proxy and a Windows
 * daemon do; the third one ends winsilo.
 *
 * DECIDED for a daemonless engine: `-d` prints the id once the container
 * has started and then closes the engine, so the container ends with the
 * winsilo process (`winsilo daemon` keeps containers running).
 */
import { defaultIsolation, resolveIsolation } from '../hcs/compat.js';
import { ramInBytes, verifyWindowsResources, type ContainerResources } from '../host/resources.js';
import type { ContainerCreateOptions, ContainerHandle, HostApi, HostOptions, ImageSummary, ProcessIo } from '../host/types.js';
import type { PipeReader } from '../kernel/process/index.js';
import { writeAll, type CliContext, type CliOutput } from './context.js';
import { dataRootFor } from './engine.js';
import { EnvFileError, parseEnvFile, validateEnv } from './env.js';
import { FlagError, FlagSet, type FlagSpec, type ParsedFlags } from './flags.js';
import { commandHelp, usageColumns } from './help.js';
import { JsonMessageRenderer, pullMessages, type PulledLayer } from './progress.js';
import { familiarString, isNamed, parseAnyReference, ReferenceError, tagNameOnly, type ImageReference } from './reference.js';
import { BIN, CliError, daemonMessage, flagError, requiresMinArgs, toStatusError, withHelp } from './status.js';
import { clientBinds, MountError, parseBinds, VolumeSpecError, type HostDirProbe } from './volumes.js';
import { portBindingsOf } from '../net/ports.js';

export const RUN_USE_LINE = `${BIN} run [OPTIONS] IMAGE [COMMAND] [ARG...]`;
export const RUN_SHORT = 'Create and run a new container from an image';
const RUN_PATH = `${BIN} run`;

const PULL_ALWAYS = 'always';
const PULL_MISSING = 'missing';
const PULL_NEVER = 'never';

/** The flags of `winsilo run`: docker run's spellings, types and help texts for what winsilo supports. */
export function runFlags(lookupEnv: (name: string) => string | undefined): FlagSet {
  const int64 = (name: string, usage: string, shorthand?: string): FlagSpec => ({ name, shorthand, type: 'int64', usage, defValue: '0' });
  const specs: FlagSpec[] = [
    { name: 'detach', shorthand: 'd', type: 'bool', usage: 'Run container in background and print container ID', defValue: 'false' },
    { name: 'name', type: 'string', usage: 'Assign a name to the container', defValue: '' },
    { name: 'pull', type: 'string', usage: `Pull image before running ("${PULL_ALWAYS}", "${PULL_MISSING}", "${PULL_NEVER}")`, defValue: PULL_MISSING },
    { name: 'quiet', shorthand: 'q', type: 'bool', usage: 'Suppress the pull output', defValue: 'false' },
    { name: 'help', type: 'bool', usage: 'Print usage', defValue: 'false' },
    { name: 'env', shorthand: 'e', type: 'list', usage: 'Set environment variables', validate: (v) => validateEnv(v, lookupEnv) },
    { name: 'env-file', type: 'list', usage: 'Read in a file of environment variables' },
    { name: 'entrypoint', type: 'string', usage: 'Overwrite the default ENTRYPOINT of the image', defValue: '' },
    { name: 'hostname', shorthand: 'h', type: 'string', usage: 'Container host name', defValue: '' },
    { name: 'interactive', shorthand: 'i', type: 'bool', usage: 'Keep STDIN open even if not attached', defValue: 'false' },
    { name: 'tty', shorthand: 't', type: 'bool', usage: 'Allocate a pseudo-TTY', defValue: 'false' },
    { name: 'user', shorthand: 'u', type: 'string', usage: 'Username or UID (format: <name|uid>[:<group|gid>])', defValue: '' },
    { name: 'workdir', shorthand: 'w', type: 'string', usage: 'Working directory inside the container', defValue: '' },
    { name: 'rm', type: 'bool', usage: 'Automatically remove the container and its associated anonymous volumes when it exits', defValue: 'false' },
    { name: 'volume', shorthand: 'v', type: 'list', usage: 'Bind mount a volume' },
    int64('cpu-count', 'CPU count (Windows only)'),
    int64('cpu-percent', 'CPU percent (Windows only)'),
    int64('cpu-shares', 'CPU shares (relative weight)', 'c'),
    // opts.MemBytes: go-units RAMInBytes; its String() of 0 is "0", so no default is shown.
    { name: 'memory', shorthand: 'm', type: 'bytes', usage: 'Memory limit', defValue: '0', validate: (v) => String(ramInBytes(v)) },
    { name: 'isolation', type: 'string', usage: 'Container isolation technology', defValue: '' },
    // opts.ListOpts, parsed after the environment (opts.go parseStorageOpts); `size` is the sandbox's size on Windows.
    { name: 'storage-opt', type: 'list', usage: 'Storage driver options for the container' },
    // Port publishing (opts.go): nat.ParsePortSpecs after the binds, before the environment (src/net/ports.ts).
    { name: 'publish', shorthand: 'p', type: 'list', usage: "Publish a container's port(s) to the host" },
    { name: 'publish-all', shorthand: 'P', type: 'bool', usage: 'Publish all exposed ports to random ports', defValue: 'false' },
    { name: 'dns', type: 'list', usage: 'Set custom DNS servers' },
    { name: 'dns-search', type: 'list', usage: 'Set custom DNS search domains' },
  ];
  return new FlagSet(specs, false);
}

/** What the flags and arguments of one `winsilo run` ask for, before the engine is involved. */
export interface RunRequest {
  readonly image: string;
  readonly detach: boolean;
  readonly interactive: boolean;
  readonly tty: boolean;
  readonly quiet: boolean;
  readonly pull: string;
  /** ContainerCreateOptions without binds, env and console size (they need the client parse and the terminal). */
  readonly create: Omit<ContainerCreateOptions, 'binds' | 'env' | 'consoleSize'>;
  readonly envFlags: readonly string[];
  readonly envFiles: readonly string[];
  readonly volumes: readonly string[];
  /** `--storage-opt` values as typed (`size=50G`). */
  readonly storageOpts: readonly string[];
  /** `-p` values as typed (`8080:80`, `127.0.0.1::80/udp`). */
  readonly publish: readonly string[];
}

/** Step 1–3: flags and arguments. Returns 'help' for `--help`. Throws CliError. */
export function parseRunArgs(argv: readonly string[], lookupEnv: (name: string) => string | undefined): RunRequest | 'help' {
  const flags = runFlags(lookupEnv);
  let parsed: ParsedFlags;
  try {
    parsed = flags.parse(argv);
  } catch (e) {
    if (e instanceof FlagError) throw flagError(e, RUN_USE_LINE, RUN_PATH);
    throw e;
  }
  const v = parsed.values;
  const bool = (n: string): boolean => v.get(n) === true;
  const str = (n: string): string | undefined => v.get(n) as string | undefined;
  const num = (n: string): number | undefined => (v.has(n) ? Number(v.get(n) as bigint) : undefined);
  const list = (n: string): string[] => (v.get(n) as string[] | undefined) ?? [];
  if (bool('help')) return 'help';
  if (parsed.args.length < 1) throw requiresMinArgs(1, RUN_PATH, RUN_USE_LINE);
  const [image, ...cmd] = parsed.args as string[];
  const entrypoint = str('entrypoint');
  const create: Omit<ContainerCreateOptions, 'binds' | 'env' | 'consoleSize'> = {
    image: image!,
    ...(cmd.length > 0 ? { cmd } : {}),
    // --entrypoint "" resets the image's entrypoint (docker sends [""]).
    ...(entrypoint !== undefined ? { entrypoint: [entrypoint] } : {}),
    ...(str('name') ? { name: str('name') } : {}),
    ...(str('workdir') ? { workingDir: str('workdir') } : {}),
    ...(str('user') ? { user: str('user') } : {}),
    ...(str('hostname') ? { hostname: str('hostname') } : {}),
    ...(str('isolation') !== undefined ? { isolation: str('isolation') } : {}),
    tty: bool('tty'),
    openStdin: bool('interactive'),
    autoRemove: bool('rm'),
    ...(num('memory') ? { memory: num('memory') } : {}),
    ...(num('cpu-count') ? { cpuCount: num('cpu-count') } : {}),
    ...(num('cpu-percent') ? { cpuPercent: num('cpu-percent') } : {}),
    ...(num('cpu-shares') ? { cpuShares: num('cpu-shares') } : {}),
    ...(bool('publish-all') ? { publishAllPorts: true } : {}),
    ...(list('dns').length > 0 ? { dns: list('dns') } : {}),
    ...(list('dns-search').length > 0 ? { dnsSearch: list('dns-search') } : {}),
  };
  return {
    image: image!,
    detach: bool('detach'),
    interactive: bool('interactive'),
    tty: bool('tty'),
    quiet: bool('quiet'),
    pull: str('pull') ?? PULL_MISSING,
    create,
    envFlags: list('env'),
    envFiles: list('env-file'),
    volumes: list('volume'),
    storageOpts: list('storage-opt'),
    publish: list('publish'),
  };
}

/** Step 4: create.go validatePullOpt. */
export function validatePullOpt(value: string): void {
  if (value === PULL_ALWAYS || value === PULL_MISSING || value === PULL_NEVER || value === '') return;
  throw withHelp(`invalid pull option: '${value}': must be one of "${PULL_ALWAYS}", "${PULL_MISSING}" or "${PULL_NEVER}"`, 'run');
}

/** Step 6: the client-side parse (opts.go parse): binds, then the environment. Throws CliError. */
export function clientParse(
  req: RunRequest,
  cwd: string,
  lookupEnv: (name: string) => string | undefined,
): { binds: string[]; anonymous: string[]; env: string[]; storageOpt?: Record<string, string>; ports?: ReturnType<typeof portBindingsOf> } {
  let binds: { binds: string[]; anonymous: string[] };
  try {
    binds = clientBinds(req.volumes, cwd);
  } catch (e) {
    if (e instanceof VolumeSpecError) throw withHelp(e.message, 'run');
    throw e;
  }
  // opts.go: the published ports next (nat.ParsePortSpecs), its error as the CLI reports a parse error.
  let ports: ReturnType<typeof portBindingsOf> | undefined;
  try {
    if (req.publish.length > 0) ports = portBindingsOf(req.publish);
  } catch (e) {
    throw withHelp((e as Error).message, 'run');
  }
  const env: string[] = [];
  try {
    for (const f of req.envFiles) env.push(...parseEnvFile(f, lookupEnv));
  } catch (e) {
    if (e instanceof EnvFileError) throw withHelp(`--env-file: ${e.message}`, 'run');
    throw e;
  }
  env.push(...req.envFlags);
  return { ...binds, env, ...storageOptsOf(req.storageOpts), ...(ports ? { ports } : {}) };
}

/** opts.go parseStorageOpts: each `--storage-opt` is KEY=VALUE (the last of a key wins); "invalid storage option" otherwise. */
function storageOptsOf(values: readonly string[]): { storageOpt?: Record<string, string> } {
  if (values.length === 0) return {};
  const storageOpt: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) throw withHelp('invalid storage option', 'run');
    storageOpt[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return { storageOpt };
}

/** The engine's options for the CLI: the data root from the environment; the rest at their defaults. */
export function hostOptionsFor(ctx: CliContext): HostOptions {
  return { dataRoot: dataRootFor(ctx.env, ctx.cwd), clock: ctx.now };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { status?: unknown }).status === 404;
}

/** Runs `winsilo run` and returns the exit code; CliError for failures (main prints them). */
export async function runCommand(argv: readonly string[], ctx: CliContext, probe?: HostDirProbe): Promise<number> {
  const lookupEnv = (n: string): string | undefined => ctx.env[n];
  const req = parseRunArgs(argv, lookupEnv);
  if (req === 'help') {
    await writeAll(ctx.stdout, commandHelp(RUN_USE_LINE, RUN_SHORT, runFlags(lookupEnv), usageColumns(ctx.stdout.columns)));
    return 0;
  }
  validatePullOpt(req.pull);

  const options = hostOptionsFor(ctx);
  let host: HostApi;
  try {
    host = await ctx.openHost(options);
  } catch (e) {
    // docker's Ping failing ("Cannot connect to the Docker daemon …"): a plain error, exit 1.
    throw new CliError(`${BIN}: cannot open the data root ${options.dataRoot}: ${messageOf(e)}`, 1);
  }
  try {
    return await runWithHost(host, req, ctx, options, probe);
  } finally {
    await host.close();
  }
}

async function runWithHost(host: HostApi, req: RunRequest, ctx: CliContext, options: HostOptions, probe?: HostDirProbe): Promise<number> {
  const lookupEnv = (n: string): string | undefined => ctx.env[n];
  const parsed = clientParse(req, ctx.cwd, lookupEnv);

  // run.go: CheckTty before anything reaches the engine.
  if (!req.detach && req.tty && req.interactive && !ctx.stdin.isTTY) {
    throw new CliError('cannot attach stdin to a TTY-enabled container because stdin is not a terminal', 1);
  }

  let ref: ImageReference;
  try {
    ref = parseAnyReference(req.image);
  } catch (e) {
    if (e instanceof ReferenceError) throw toStatusError(e.message);
    throw e;
  }

  const create: ContainerCreateOptions = {
    ...req.create,
    ...(parsed.env.length > 0 ? { env: parsed.env } : {}),
    ...(parsed.storageOpt ? { storageOpt: parsed.storageOpt } : {}),
    ...(parsed.ports ? { portBindings: parsed.ports.portBindings, exposedPorts: parsed.ports.exposedPorts } : {}),
    // create.go: ConsoleSize from the CLI's own terminal (0×0 when it has none).
    ...(req.tty && ctx.stdout.isTTY && ctx.stdout.rows && ctx.stdout.columns ? { consoleSize: [ctx.stdout.rows, ctx.stdout.columns] as [number, number] } : {}),
  };

  const container = await createWithPull(host, create, parsed.binds, parsed.anonymous, ref, req, ctx, options, probe);

  // Warnings the engine gives with a created container (daemon_windows.go), printed as create.go does.
  const given = (container as ContainerHandle & { warnings?: readonly string[] }).warnings;
  for (const w of given ?? resourceWarnings(create, options)) await writeAll(ctx.stderr, `WARNING: ${w}\n`);

  if (req.detach) {
    // run.go prints the id once the container is created (a goroutine started before ContainerStart), so it is
    // printed even when the start fails (a refused port binding: the container stays Created, exit 125).
    await writeAll(ctx.stdout, container.id + '\n');
    try {
      await container.start();
    } catch (e) {
      // docker waits for --rm's removal of a container that failed to start.
      if (req.create.autoRemove) await removeQuietly(container);
      throw toStatusError(daemonMessage(messageOf(e)));
    }
    return 0;
  }
  return attach(container, req, ctx);
}

/** The warnings verifyWindowsResources gives for these settings (the engine applies the same precedence). */
function resourceWarnings(create: ContainerCreateOptions, options: HostOptions): string[] {
  try {
    const isolation = resolveIsolation(create.isolation, defaultIsolation(options.sku ?? 'server'));
    return verifyWindowsResources(resourcesOf(create), isolation === 'hyperv', options.cpuCount ?? 4);
  } catch {
    return [];
  }
}

function resourcesOf(c: ContainerCreateOptions): ContainerResources {
  return { Memory: c.memory ?? 0, CpuCount: c.cpuCount ?? 0, CpuPercent: c.cpuPercent ?? 0, CpuShares: c.cpuShares ?? 0 };
}

/**
 * Step 9. The engine validates and looks the image up in createContainer;
 * a 404 there means the image is missing: docker says so, pulls it and
 * creates again. Binds are parsed by the daemon after the image lookup
 * (registerMountPoints), so a bad bind is reported after the settings
 * checks and the pull, as docker reports it.
 */
async function createWithPull(
  host: HostApi,
  create: ContainerCreateOptions,
  rawBinds: string[],
  anonymous: string[],
  ref: ImageReference,
  req: RunRequest,
  ctx: CliContext,
  options: HostOptions,
  probe?: HostDirProbe,
): Promise<ContainerHandle> {
  let bindError: MountError | undefined;
  try {
    // Anonymous volumes (Config.Volumes) are parsed by the daemon too.
    const binds = parseBinds([...rawBinds, ...anonymous], probe);
    if (binds.length > 0) create.binds = binds;
  } catch (e) {
    if (!(e instanceof MountError)) throw e;
    bindError = e;
  }

  if (req.pull === PULL_ALWAYS && isNamed(ref)) await pull(host, ref, req, ctx);

  const attempt = async (): Promise<ContainerHandle> => {
    if (bindError) {
      // The daemon's order: settings, then the image, then the binds.
      checkSettings(create, options);
      if (!hasImage(host, ref)) throw Object.assign(new Error(`No such image: ${familiarString(tagNameOnly(ref))}`), { status: 404 });
      throw bindError;
    }
    return host.createContainer(create);
  };
  try {
    return await attempt();
  } catch (e) {
    if (isNotFound(e) && isNamed(ref) && req.pull === PULL_MISSING) {
      if (!req.quiet) await writeAll(ctx.stderr, `Unable to find image '${familiarString(tagNameOnly(ref))}' locally\n`);
      await pull(host, ref, req, ctx);
      try {
        return await attempt();
      } catch (e2) {
        throw toStatusError(daemonMessage(messageOf(e2)));
      }
    }
    throw toStatusError(daemonMessage(messageOf(e)));
  }
}

/** The settings the engine checks before the image (moby verifyContainerSettings): isolation, then resources. */
function checkSettings(create: ContainerCreateOptions, options: HostOptions): void {
  const isolation = resolveIsolation(create.isolation, defaultIsolation(options.sku ?? 'server'));
  verifyWindowsResources(resourcesOf(create), isolation === 'hyperv', options.cpuCount ?? 4);
}

function hasImage(host: HostApi, ref: ImageReference): boolean {
  const want = tagNameOnly(ref);
  return host.images().some((img) => imageMatches(img, want));
}

function imageMatches(img: ImageSummary, ref: ImageReference): boolean {
  if (!isNamed(ref)) return img.Id === ref.digest || img.Id.startsWith(ref.digest ?? '\u0000');
  const full = `${ref.domain}/${ref.path}`;
  const fam = familiarString({ domain: ref.domain, path: ref.path });
  if (ref.digest) return img.RepoDigests.some((d) => d === `${full}@${ref.digest}` || d === `${fam}@${ref.digest}`);
  return img.RepoTags.some((t) => t === `${full}:${ref.tag}` || t === `${fam}:${ref.tag}`);
}

/** The per-layer detail an engine may give for a pull (src/host/host.ts Host.pullWithLayers). */
interface LayeredPull {
  layers: { layer: { diffId: string }; existed: boolean }[];
  downloaded: boolean;
}
type PullsWithLayers = { pullWithLayers(reference: string): LayeredPull | Promise<LayeredPull> };

function pullsWithLayers(host: HostApi): host is HostApi & PullsWithLayers {
  return typeof (host as Partial<PullsWithLayers>).pullWithLayers === 'function';
}

/** Pulls `ref` and shows docker's progress on stderr (unless -q). */
async function pull(host: HostApi, ref: ImageReference, req: RunRequest, ctx: CliContext): Promise<void> {
  const tagged = tagNameOnly(ref);
  const reference = familiarString(tagged);
  let layers: PulledLayer[] = [];
  let downloaded: boolean;
  let summary: ImageSummary | undefined;
  try {
    if (pullsWithLayers(host)) {
      const r = await host.pullWithLayers(reference);
      // winsilo has no compressed blobs: a layer is named by its content digest.
      layers = r.layers.map((l) => ({ digest: l.layer.diffId, existed: l.existed }));
      downloaded = r.downloaded;
    } else {
      const had = hasImage(host, ref);
      summary = await host.pull(reference);
      downloaded = !had;
    }
  } catch (e) {
    throw toStatusError(daemonMessage(messageOf(e)));
  }
  if (req.quiet) return;
  summary ??= host.images().find((i) => imageMatches(i, tagged));
  const out = new JsonMessageRenderer((s) => void ctx.stderr.write(s), ctx.stderr.isTTY === true);
  const messages = pullMessages({
    tagOrDigest: tagged.tag ?? ref.digest ?? '',
    repositoryPath: ref.path,
    layers,
    manifestDigest: ref.digest ?? (summary ? digestFor(summary, ref) : undefined),
    reference,
    downloaded,
  });
  for (const m of messages) out.render(m);
}

function digestFor(img: ImageSummary, ref: ImageReference): string | undefined {
  const full = `${ref.domain}/${ref.path}@`;
  const fam = familiarString({ domain: ref.domain, path: ref.path }) + '@';
  const d = img.RepoDigests.find((x) => x.startsWith(full) || x.startsWith(fam));
  return d?.slice(d.indexOf('@') + 1);
}

/** Step 10 without -d: start, stream, wait, clean up; the main process's exit code. */
async function attach(container: ContainerHandle, req: RunRequest, ctx: CliContext): Promise<number> {
  let io: ProcessIo;
  try {
    io = await container.start();
  } catch (e) {
    if (req.create.autoRemove) await removeQuietly(container);
    throw toStatusError(daemonMessage(messageOf(e)));
  }

  const cleanups: (() => void)[] = [];
  const pumps: Promise<void>[] = [];
  const pump = (from: PipeReader | null, to: CliContext['stdout']): void => {
    if (!from) return;
    // Marked handled now: a relay that fails while the container still runs is awaited (and
    // its error seen) only once the container has exited.
    const relayed = relay(from, to);
    relayed.catch(() => {});
    pumps.push(relayed);
  };
  pump(io.stdout, ctx.stdout);
  pump(io.stderr, req.tty ? ctx.stdout : ctx.stderr);

  if (req.interactive && io.stdin) {
    const stdin = io.stdin;
    const raw = req.tty && ctx.stdin.isTTY === true && typeof ctx.stdin.setRawMode === 'function';
    if (raw) {
      ctx.stdin.setRawMode!(true);
      cleanups.push(() => void ctx.stdin.setRawMode!(false));
    }
    const onData = (chunk: Buffer | string): void => {
      // As it is: the kernel copies what it keeps. A failed write's promise is already handled
      // (kernel pipe.ts rejected()): the key is lost, as on a console nobody reads.
      void stdin.write(chunk);
    };
    const onEnd = (): void => stdin.close();
    ctx.stdin.on('data', onData);
    ctx.stdin.on('end', onEnd);
    ctx.stdin.resume();
    cleanups.push(() => {
      ctx.stdin.off('data', onData);
      ctx.stdin.off('end', onEnd);
      ctx.stdin.pause();
    });
  }

  if (req.tty && ctx.stdout.isTTY && ctx.stdout.on && ctx.stdout.off) {
    const onResize = (): void => {
      if (ctx.stdout.rows && ctx.stdout.columns) io.resize(ctx.stdout.rows, ctx.stdout.columns);
    };
    ctx.stdout.on('resize', onResize);
    cleanups.push(() => ctx.stdout.off!('resize', onResize));
  }

  // docker's --sig-proxy (default on, with or without -t) forwards the
  // signals winsilo gets; a Windows daemon turns any signal but SIGKILL into
  // a shutdown of the container (moby libcontainerd/local local_windows.go,
  // task.Kill: "signals aren't really implemented on Windows"). The third
  // signal ends winsilo itself (cmd/docker/docker.go
  // forceExitAfter3TerminationSignals).
  let received = 0;
  let forceExit: (e: CliError) => void = () => {};
  const forced = new Promise<never>((_, reject) => (forceExit = reject));
  forced.catch(() => {});
  const onSignal = (): void => {
    if (++received >= 3) {
      forceExit(new CliError('\ngot 3 SIGTERM/SIGINTs, forcefully exiting', 1));
      return;
    }
    void container.stop().catch(() => {});
  };
  ctx.signals.on('SIGINT', onSignal);
  ctx.signals.on('SIGTERM', onSignal);
  cleanups.push(() => {
    ctx.signals.off('SIGINT', onSignal);
    ctx.signals.off('SIGTERM', onSignal);
  });

  let code: number;
  try {
    code = await Promise.race([container.wait(), forced]);
    // Everything the container wrote reaches the terminal before winsilo returns.
    await Promise.all(pumps);
  } finally {
    for (const c of cleanups.reverse()) c();
  }
  if (req.create.autoRemove) await removeQuietly(container);
  return code;
}

/**
 * Copies a container's output stream to the terminal until it ends. Each
 * chunk is written as the container writes it (PipeReader.readEach: no
 * promise per chunk — every keystroke's echo passes here, and what it
 * allocates brings the next garbage collection into the keys typed, issue
 * 7's keystroke tail), with one shared callback; the relay holds the
 * container back only while the terminal is behind (write() returned
 * false), the back-pressure writeAll gave. The first failed write ends the
 * relay with its error.
 */
async function relay(from: PipeReader, to: CliOutput): Promise<void> {
  let failed: Error | undefined;
  const written = (err?: Error | null): void => {
    if (err) failed ??= err;
  };
  await from.readEach((chunk) => {
    if (failed) throw failed;
    if (!to.write(chunk, written)) return writeAll(to, '');
  });
  await writeAll(to, '');
  if (failed) throw failed;
}

/** --rm: the engine removes an auto-remove container itself; remove what is left, quietly (docker waits for the removal). */
async function removeQuietly(container: ContainerHandle): Promise<void> {
  try {
    await container.remove({ force: true });
  } catch {
    // already removed
  }
}
