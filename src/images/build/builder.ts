/**
 * The classic builder (moby v28.2.2 builder/dockerfile, as a Windows daemon
 * runs it): each stage from its FROM image, each instruction committed as
 * a new image on the one before, the build cache probed first, and the
 * output lines moby writes:
 *
 *   Step 1/5 : FROM mcr.microsoft.com/windows/servercore:ltsc2022
 *    ---> 1a2b3c4d5e6f
 *   Step 2/5 : RUN echo hi
 *    ---> Running in 0123456789ab
 *   hi
 *    ---> Removed intermediate container 0123456789ab
 *    ---> 5e6f1a2b3c4d
 *   Successfully built 5e6f1a2b3c4d
 *   Successfully tagged name:tag
 *
 * Metadata instructions (ENV, LABEL, CMD, …) create a container that never
 * runs and commit it (" ---> Running in …" and its removal, as moby's
 * `commit` → probeAndCreate); COPY/ADD write into a new layer without a
 * container (moby's performCopy → exportImage); WORKDIR creates its folder
 * in the container's layer. RUN's shell form on Windows is one command
 * line `cmd /S /C <text as written>` with ArgsEscaped (dispatchers_windows
 * resolveCmdLine), so a failure reads "The command 'cmd /S /C exit 1'
 * returned a non-zero code: 1".
 *
 * " ---> Removed intermediate container" is v28.2.2's text (older engines
 * printed "Removing intermediate container"); the daemon claims 28.2.2.
 */
import { createHash } from 'node:crypto';
import { STATUS_SUCCESS } from '../../core/ntstatus.js';
import { NtStatusError } from '../../core/errors.js';
import { goQuote, goQuoteRune } from '../../cli/goformat.js';
import { cleanWindowsPath } from '../go-path.js';
import { Win32Error } from '../../core/win32.js';
import type { BlockStore } from '../../core/blocks/index.js';
import { mountVolume, FILE_ATTRIBUTE_DIRECTORY, type NtfsVolume } from '../../kernel/fs/index.js';
import { readToEnd } from '../../kernel/fs/whole-file.js';
import type { Hive } from '../../kernel/registry/index.js';
import type { ContainerCreateOptions, ProcessIo } from '../../host/types.js';
import type { PullResult } from '../store.js';
import type { BlobStore } from '../blobs.js';
import { commitContainer } from '../commit.js';
import type { HiveName, Image, ImageConfig } from '../types.js';
import { BuildCache, CacheFrom, layerIndexForHistory } from './cache.js';
import { configBytes, type ConfigDocument } from '../oci.js';
import type { BuildContext } from './context.js';
import { BuildError } from './errors.js';
import { argPairs, toProgram, type Instr, type Stage } from './instructions.js';
import { envFrom, processWord, processWords } from './lex.js';
import { parseDockerfile } from './parser.js';
import { copyIntoVolume, extractTarInto, mkdirs, readArchive, TarBreakoutError, type CopySource } from './copy.js';
import { TarError } from '../tar-stream.js';

/** Windows' default SHELL (moby defaultShellForOS). */
export const WINDOWS_SHELL: readonly string[] = ['cmd', '/S', '/C'];

/** Proxy ARGs every build accepts without an ARG line (moby builtinAllowedBuildArgs). */
const BUILTIN_ARGS = new Set(['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);

/** A container the builder creates (src/host's Container has these). */
export interface BuildContainer {
  readonly id: string;
  start(): Promise<ProcessIo>;
  wait(): Promise<number>;
  remove(options?: { force?: boolean }): Promise<void>;
  commitSource(): { disk: number; hives: Readonly<Partial<Record<HiveName, Hive>>> } | undefined;
  readonly imageRecord: Image;
}

/** What the builder needs of a host (src/host/host.ts Host provides it through `buildHost()`). */
export interface BuildHost {
  readonly blocks: BlockStore;
  readonly blobs: BlobStore;
  now(): number;
  image(reference: string): Image | undefined;
  /** Every image here (the cache looks for a step's earlier result among them). */
  images(): readonly Image[];
  pull(reference: string): PullResult;
  createContainer(options: ContainerCreateOptions): Promise<BuildContainer>;
  /**
   * Lists and keeps an image the builder made; answers the image already
   * here with the same id, if any. `committed`: made by committing a
   * container (moby's CommitBuildStep → CommitImage logs an image `create`
   * event; COPY/ADD's CreateImage and a restored cache image log none).
   */
  addImage(image: Image, committed?: boolean): Image;
  /** moby imageStore.SetParent: a `--cache-from` source answering a step becomes the current image's child (kept). */
  setParent(id: string, parentId: string): void;
  /** The builder attaches to a RUN container before starting it (moby containerManager.Run → ContainerAttachRaw: an `attach` event). */
  attached?(container: BuildContainer): void;
  tagImage(id: string, repoTag: string): void;
  /** The host's build cache (per host, in memory). */
  readonly buildCache: BuildCache;
}

export interface BuildOptions {
  /** Path of the Dockerfile in the context (default `Dockerfile`). */
  dockerfile?: string;
  /** Familiar `repository:tag` names to tag the result with (already normalized). */
  tags?: readonly string[];
  /** `--build-arg`: a null value is a name given without one and unset in the environment. */
  buildArgs?: Readonly<Record<string, string | null>>;
  noCache?: boolean;
  /** `-q`: only the id is printed (by the caller). */
  quiet?: boolean;
  target?: string;
  labels?: Readonly<Record<string, string>>;
  /** Remove intermediate containers after a successful step (default true). */
  remove?: boolean;
  /** Remove them even after a failed one. */
  forceRemove?: boolean;
  /** Images whose layers may serve as cache (`--cache-from`). */
  cacheFrom?: readonly string[];
  /** The `platform` option as sent (moby compares it with `windows` for `--chown`); empty: none. */
  platform?: string;
  /** `--pull`: FROM images are pulled even when present (moby PullOptionForcePull). */
  pull?: boolean;
  /** HostConfig.NetworkMode for RUN containers. */
  networkMode?: string;
  isolation?: string;
}

/** Where the builder's lines go: moby's StdoutFormatter, StderrFormatter, AuxFormatter and pull progress. */
export interface BuildOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The image id at the end of each stage (`{"aux":{"ID":…}}`). */
  aux(id: string): void;
  /** FROM or COPY --from named an image not here yet: it was pulled (the front end prints the pull's progress lines). */
  pulled?(reference: string, result: PullResult): void;
}

interface RunConfig extends ImageConfig {
  Image: string;
}

interface State {
  config: RunConfig;
  image: Image;
  stageName: string;
  args: BuildArgs;
  cmdSet: boolean;
  maintainer: string;
}

class BuildArgs {
  allowed = new Map<string, string | undefined>();
  meta = new Map<string, string | undefined>();
  referenced = new Set<string>();
  constructor(readonly fromOptions: Readonly<Record<string, string | null>>) {}

  clone(resetAllowed: boolean): BuildArgs {
    const b = new BuildArgs(this.fromOptions);
    if (!resetAllowed) b.allowed = new Map(this.allowed);
    b.meta = new Map(this.meta);
    b.referenced = new Set(this.referenced);
    return b;
  }

  private value(key: string, mapping: Map<string, string | undefined>): string | undefined {
    const opt = this.fromOptions[key];
    if (opt !== undefined && opt !== null) return opt;
    const def = mapping.get(key);
    if (def === undefined) return mapping === this.meta ? undefined : this.meta.get(key);
    return def;
  }

  private all(mapping: Map<string, string | undefined>): Map<string, string> {
    const out = new Map<string, string>();
    for (const key of new Set([...mapping.keys(), ...BUILTIN_ARGS])) {
      if (!mapping.has(key) && !(BUILTIN_ARGS.has(key) && this.fromOptions[key] !== undefined && this.fromOptions[key] !== null)) continue;
      const v = this.value(key, mapping);
      if (v !== undefined) out.set(key, v);
    }
    return out;
  }

  allAllowed(): Map<string, string> {
    return this.all(this.allowed);
  }

  allMeta(): Map<string, string> {
    return this.all(this.meta);
  }

  /** `K=V` of the allowed args not already in `env` (moby FilterAllowed; sorted for a stable cache key). */
  filterAllowed(env: readonly string[]): string[] {
    const have = new Set(env.map((e) => e.split('=')[0]!));
    return [...this.allAllowed()].filter(([k]) => !have.has(k)).map(([k, v]) => `${k}=${v}`).sort();
  }

  isReferencedOrNotBuiltin(key: string): boolean {
    return this.allowed.has(key) || !BUILTIN_ARGS.has(key);
  }
}

function copyConfig(c: RunConfig): RunConfig {
  return {
    ...c,
    Cmd: c.Cmd ? [...c.Cmd] : null,
    Entrypoint: c.Entrypoint ? [...c.Entrypoint] : null,
    Env: c.Env ? [...c.Env] : null,
    ExposedPorts: c.ExposedPorts ? { ...c.ExposedPorts } : null,
    Labels: c.Labels ? { ...c.Labels } : null,
    ...(c.Volumes ? { Volumes: { ...c.Volumes } } : {}),
    ...(c.Shell ? { Shell: [...c.Shell] } : {}),
    ...(c.OnBuild ? { OnBuild: [...c.OnBuild] } : {}),
  };
}

/** The image config as stored: the run config without its Image field. */
function imageConfigOf(c: RunConfig): ImageConfig {
  const { Image: _image, ...rest } = c;
  void _image;
  return rest;
}

function shellOf(c: RunConfig): string[] {
  return c.Shell && c.Shell.length > 0 ? [...c.Shell] : [...WINDOWS_SHELL];
}

const shortId = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);

/** Go's %q of a []string in fmt: `["a" "b"]`. */
function goQuoteList(list: readonly string[] | null | undefined): string {
  return `[${(list ?? []).map(goQuote).join(' ')}]`;
}

/** Go's time.Duration.String (whole units: h, m, s, ms, µs, ns). */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${trimFraction(ns / 1e3)}µs`;
  if (ns < 1e9) return `${trimFraction(ns / 1e6)}ms`;
  let s = ns / 1e9;
  let out = '';
  const h = Math.floor(s / 3600);
  if (h > 0) out += `${h}h`;
  s -= h * 3600;
  const m = Math.floor(s / 60);
  if (h > 0 || m > 0) out += `${m}m`;
  s -= m * 60;
  return `${out}${trimFraction(Number(s.toFixed(9)))}s`;
}

function trimFraction(x: number): string {
  return String(Number(x.toFixed(9)));
}

/** Go's %v of a []string: `[a b]`. */
function goList(list: readonly string[]): string {
  return `[${list.join(' ')}]`;
}

/** Go's time.Duration String for whole units the Dockerfile gives. */
function parseDuration(s: string, flag: string): number {
  if (s === '') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * unit[m[2]!]!;
    at = re.lastIndex;
  }
  if (at !== s.length || s === '0') {
    if (s === '0') return 0;
    throw new BuildError(`time: invalid duration "${s}"`, 400);
  }
  if (total > 0 && total < 1e6) throw new BuildError(`Interval "${flag}" cannot be less than 1ms`, 400);
  return Math.round(total);
}

/**
 * Runs a build: moby's lines to `out`, ending with "Successfully built" and
 * "Successfully tagged" (moby's build backend writes those after the
 * builder; here, so both front ends share them). Returns the final image id
 * (`sha256:…`); throws BuildError (moby's message; `code` for a failed RUN)
 * or the host's HostError (a FROM image that cannot be pulled).
 */
export async function build(host: BuildHost, context: BuildContext, options: BuildOptions, out: BuildOutput): Promise<string> {
  const dockerfileName = options.dockerfile || 'Dockerfile';
  const text = context.dockerfile(dockerfileName);
  context.removeBuildFiles(dockerfileName);
  let parsed;
  try {
    parsed = parseDockerfile(text);
  } catch (e) {
    // remotecontext readAndParseDockerfile wraps the parser's errors.
    if (e instanceof BuildError) throw new BuildError(`failed to parse ${dockerfileName}: ${e.message}`, 400);
    throw e;
  }
  const program = toProgram(parsed);
  let stages = program.stages;
  if (stages.length === 0) throw new BuildError('No image was generated. Is your Dockerfile empty?', 500);
  if (options.target) {
    const ix = stages.findIndex((s) => s.name === options.target!.toLowerCase());
    if (ix < 0) throw new BuildError(`target stage "${options.target}" could not be found`, 400);
    stages = stages.slice(0, ix + 1);
  }
  // --label adds a LABEL to the last stage (moby buildLabelOptions, keys sorted).
  const labels = Object.keys(options.labels ?? {}).sort();
  const extraLabels: Instr[] = labels.map((k) => ({
    name: 'LABEL',
    flags: new Map(),
    // --label values are taken as given (buildkit NewLabelCommand noExpand).
    noExpand: true,
    node: { word: 'LABEL', original: `LABEL ${k}=${options.labels![k]}`, flags: [], args: [k, options.labels![k]!], delimited: [true], json: false, rest: '', startLine: 0, endLine: 0 },
  }));
  // parser.Result.PrintWarnings, on the builder's stderr.
  for (const w of program.warnings) out.stderr(`${w}\n`);
  if (program.warnings.length > 0) out.stderr('[WARNING]: Empty continuation lines will become errors in a future release.\n');

  const b = new Builder(host, context, options, out, program.escapeToken);
  return b.run(program.metaArgs, stages, extraLabels);
}

class Builder {
  private readonly buildArgs: BuildArgs;
  /** Stage results by lower-cased name and by index. */
  private readonly stageImages: { name: string; image: string }[] = [];
  private readonly temporary = new Set<BuildContainer>();
  /** moby imageProber.cacheBusted: after a miss, the stage's later steps are not probed (reset at each FROM). */
  private cacheBusted = false;
  /** The `--cache-from` sources of the current stage (moby MakeImageCache at each FROM); undefined: the local cache. */
  private cacheFrom: CacheFrom | undefined;

  constructor(
    private readonly host: BuildHost,
    private readonly context: BuildContext,
    private readonly options: BuildOptions,
    private readonly out: BuildOutput,
    private readonly escapeToken: string,
  ) {
    this.buildArgs = new BuildArgs(options.buildArgs ?? {});
  }

  async run(metaArgs: Instr[], stages: Stage[], extraLabels: Instr[]): Promise<string> {
    const total = metaArgs.length + stages.length + stages.reduce((n, s) => n + s.commands.length, 0) + extraLabels.length;
    let index = 1;
    // moby writes the step, then its newline: two stream messages.
    const step = (text: string): void => {
      this.out.stdout(`Step ${index++}/${total} : ${text}`);
      this.out.stdout('\n');
    };
    for (const a of metaArgs) {
      step(a.node.original);
      const env = envFrom([...this.buildArgs.allAllowed()].map(([k, v]) => `${k}=${v}`));
      for (const { key, value } of argPairs(a)) {
        const v = value === undefined ? undefined : processWord(value, env, this.escapeToken);
        this.buildArgs.allowed.set(key, v);
        this.buildArgs.referenced.add(key);
        this.buildArgs.meta.set(key, v);
      }
    }
    let state: State | undefined;
    for (let si = 0; si < stages.length; si++) {
      const stage = stages[si]!;
      if (stage.name !== '' && this.stageImages.some((s) => s.name === stage.name)) throw new BuildError(`${stage.name} stage name already used`, 400);
      step(stage.from.node.original);
      state = await this.beginStage(stage);
      this.out.stdout(` ---> ${shortId(state.image.id)}\n`);
      const commands = si === stages.length - 1 ? [...stage.commands, ...extraLabels] : stage.commands;
      for (const cmd of commands) {
        step(cmd.node.original);
        try {
          await this.dispatch(state, cmd);
        } finally {
          if (this.options.forceRemove) await this.removeAll();
        }
        if (this.options.remove !== false) await this.removeAll();
        this.out.stdout(` ---> ${shortId(state.image.id)}\n`);
      }
      this.out.aux(state.image.id);
      for (const k of state.args.referenced) this.buildArgs.referenced.add(k);
      this.stageImages.push({ name: stage.name, image: state.image.id });
    }
    const leftover = Object.keys(this.options.buildArgs ?? {}).filter((k) => !BUILTIN_ARGS.has(k) && !this.buildArgs.referenced.has(k)).sort();
    if (leftover.length > 0) this.out.stdout(`[Warning] One or more build-args ${goList(leftover)} were not consumed\n`);
    const id = state!.image.id;
    this.out.stdout(`Successfully built ${shortId(id)}\n`);
    for (const t of this.options.tags ?? []) {
      this.host.tagImage(id, t);
      this.out.stdout(`Successfully tagged ${t}\n`);
    }
    return id;
  }

  private async removeAll(): Promise<void> {
    for (const c of [...this.temporary]) {
      try {
        await c.remove({ force: true });
        this.out.stdout(` ---> Removed intermediate container ${shortId(c.id)}\n`);
      } catch (e) {
        this.out.stdout(`Removing intermediate container ${shortId(c.id)}: ${e instanceof Error ? e.message : String(e)}\n`);
      }
      this.temporary.delete(c);
    }
  }

  private expand(state: State, word: string): string {
    const env = envFrom([...(state.config.Env ?? []), ...state.args.filterAllowed(state.config.Env ?? [])]);
    return processWord(word, env, this.escapeToken);
  }

  /** An image by reference, pulled when absent (moby imageSources.Get with pull). */
  private resolveImage(ref: string, localOnly: boolean): Image {
    const have = this.host.image(ref);
    // --pull (moby PullOptionForcePull): pulled even when here; a stage's image is never pulled.
    if (have && (localOnly || !this.options.pull)) return have;
    if (localOnly) throw new BuildError(`No such image: ${ref}`, 404);
    const r = this.host.pull(ref);
    this.out.pulled?.(ref, r);
    return r.image;
  }

  private async beginStage(stage: Stage): Promise<State> {
    // moby initializeStage: imageProber.Reset — the cache is made again (its sources looked up; a missing one is skipped).
    this.cacheBusted = false;
    const refs = this.options.cacheFrom ?? [];
    this.cacheFrom = refs.length > 0 ? new CacheFrom(refs.map((r) => this.host.image(r)).filter((i): i is Image => i !== undefined)) : undefined;
    const meta = envFrom([...this.buildArgs.allMeta()].map(([k, v]) => `${k}=${v}`));
    const name = processWord(stage.baseName, meta, this.escapeToken);
    if (name === '') throw new BuildError(`base name (${stage.baseName}) should not be blank`, 400);
    if (stage.platform !== '') {
      const p = processWord(stage.platform, meta, this.escapeToken).toLowerCase();
      if (!/^windows(\/amd64)?$/.test(p)) throw new BuildError(`failed to parse platform ${p}: image operating system "${p.split('/')[0]}" cannot be used on this platform`, 400);
    }
    let image: Image;
    const fromStage = this.stageImages.find((s) => s.name !== '' && s.name === name.toLowerCase());
    if (fromStage) image = this.resolveImage(fromStage.image, true);
    else if (name === 'scratch') throw new BuildError('Windows does not support FROM scratch', 400);
    else image = this.resolveImage(name, false);
    const c = image.config;
    const config: RunConfig = copyConfig({ ...c, Image: image.id });
    const state: State = { config, image, stageName: stage.name, args: this.buildArgs.clone(true), cmdSet: false, maintainer: '' };
    if (config.OnBuild && config.OnBuild.length > 0) {
      const triggers = config.OnBuild;
      config.OnBuild = null;
      this.out.stdout(`# Executing ${triggers.length} build trigger${triggers.length > 1 ? 's' : ''}\n`);
      for (const t of triggers) {
        const parsed = parseDockerfile(t);
        if (parsed.nodes.length !== 1) throw new BuildError('onbuild trigger should be a single expression', 400);
        const { parseInstruction } = await import('./instructions.js');
        await this.dispatch(state, parseInstruction(parsed.nodes[0]!));
      }
    }
    return state;
  }

  private async dispatch(state: State, cmd: Instr): Promise<void> {
    const c = state.config;
    const n = cmd.node;
    switch (cmd.name) {
      case 'ENV': {
        let msg = 'ENV';
        for (let i = 0; i < n.args.length; i += 2) {
          const k = this.expand(state, n.args[i]!);
          const v = this.expand(state, n.args[i + 1]!);
          msg += ` ${k}=${v}`;
          const env = c.Env ?? [];
          const at = env.findIndex((e) => e.split('=')[0]!.toUpperCase() === k.toUpperCase());
          if (at >= 0) env[at] = `${k}=${v}`;
          else env.push(`${k}=${v}`);
          c.Env = env;
        }
        return this.commit(state, msg);
      }
      case 'MAINTAINER':
        state.maintainer = n.args[0]!;
        return this.commit(state, `MAINTAINER ${n.args[0]!}`);
      case 'LABEL': {
        let msg = 'LABEL';
        const expanded = cmd.noExpand === true;
        c.Labels = c.Labels ?? {};
        for (let i = 0; i < n.args.length; i += 2) {
          const k = expanded ? n.args[i]! : this.expand(state, n.args[i]!);
          const v = expanded ? n.args[i + 1]! : this.expand(state, n.args[i + 1]!);
          c.Labels[k] = v;
          msg += ` ${k}=${v}`;
        }
        return this.commit(state, msg);
      }
      case 'COPY':
      case 'ADD':
        return this.copy(state, cmd);
      case 'ONBUILD':
        c.OnBuild = [...(c.OnBuild ?? []), n.original.replace(/^\s*ONBUILD\s*/i, '')];
        return this.commit(state, `ONBUILD ${c.OnBuild[c.OnBuild.length - 1]!}`);
      case 'WORKDIR':
        return this.workdir(state, this.expand(state, n.args[0]!));
      case 'RUN':
        return this.runStep(state, cmd);
      case 'CMD': {
        const [line, escaped] = this.resolveCmdLine(state, cmd);
        if (c.Entrypoint && c.Entrypoint.length > 0 && (c.ArgsEscaped ?? false) !== escaped) this.out.stderr(' ---> [Warning] Shell-form ENTRYPOINT and exec-form CMD may have unexpected results\n');
        c.Cmd = line;
        c.ArgsEscaped = escaped;
        await this.commit(state, `CMD ${goQuoteList(line)}`);
        if (n.args.length > 0) state.cmdSet = true;
        return;
      }
      case 'ENTRYPOINT': {
        const [line, escaped] = this.resolveCmdLine(state, cmd);
        const cmdArgs = c.Cmd ?? [];
        if ((c.ArgsEscaped ?? false) !== escaped && ((cmdArgs.length === 1 && cmdArgs[0]!.toLowerCase() !== 'c:\\windows\\system32\\cmd.exe' && !(c.Shell && c.Shell.length > 0)) || cmdArgs.length > 1)) {
          this.out.stderr(' ---> [Warning] Shell-form CMD and exec-form ENTRYPOINT may have unexpected results\n');
        }
        c.Entrypoint = n.args.length === 0 ? null : line;
        c.ArgsEscaped = escaped;
        if (!state.cmdSet) c.Cmd = null;
        return this.commit(state, `ENTRYPOINT ${goQuoteList(c.Entrypoint)}`);
      }
      case 'HEALTHCHECK': {
        const old = c.Healthcheck?.Test;
        if (old && old.length > 0 && old[0] !== 'NONE') this.out.stdout(`Note: overriding previous HEALTHCHECK: ${goList(old)}\n`);
        const typ = n.args[0]!.toUpperCase();
        if (typ === 'NONE') c.Healthcheck = { Test: ['NONE'] };
        else {
          const rest = n.args.slice(1);
          const test = n.json ? ['CMD', ...rest] : ['CMD-SHELL', rest.join(' ')];
          const retries = cmd.flags.get('retries');
          let r = 0;
          if (retries !== undefined && retries !== '') {
            r = Number.parseInt(retries, 10);
            if (!Number.isInteger(r) || String(r) !== retries.trim()) throw new BuildError(`strconv.ParseInt: parsing "${retries}": invalid syntax`, 400);
            if (r < 0) throw new BuildError(`--retries cannot be negative (${r})`, 400);
          }
          c.Healthcheck = {
            Test: test,
            Interval: parseDuration(cmd.flags.get('interval') ?? '', 'interval'),
            Timeout: parseDuration(cmd.flags.get('timeout') ?? '', 'timeout'),
            StartPeriod: parseDuration(cmd.flags.get('start-period') ?? '', 'start-period'),
            StartInterval: parseDuration(cmd.flags.get('start-interval') ?? '', 'start-interval'),
            Retries: r,
          };
        }
        const h = c.Healthcheck;
        // fmt's %q of *HealthConfig: the test list quoted, durations as quoted strings, Retries as a quoted rune.
        const d = (ns: number | undefined): string => goQuote(goDuration(ns ?? 0));
        return this.commit(state, `HEALTHCHECK &{${goQuoteList(h.Test)} ${d(h.Interval)} ${d(h.Timeout)} ${d(h.StartPeriod)} ${d(h.StartInterval)} ${goQuoteRune(h.Retries ?? 0)}}`);
      }
      case 'EXPOSE': {
        const env = envFrom([...(c.Env ?? []), ...state.args.filterAllowed(c.Env ?? [])]);
        const ports: string[] = [];
        // buildkit's parseExpose sorts the words before they are expanded.
        for (const p of [...n.args].sort()) ports.push(...processWords(p, env, this.escapeToken));
        c.ExposedPorts = c.ExposedPorts ?? {};
        for (const p of ports) {
          const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(p);
          if (!m) throw new BuildError(`invalid containerPort: ${p.split('/')[0]}`, 400);
          const proto = (m[3] ?? 'tcp').toLowerCase();
          const lo = Number(m[1]);
          const hi = m[2] ? Number(m[2]) : lo;
          for (let x = lo; x <= hi; x++) c.ExposedPorts[`${x}/${proto}`] = {};
        }
        return this.commit(state, `EXPOSE ${ports.join(' ')}`);
      }
      case 'USER': {
        c.User = this.expand(state, n.args[0]!);
        return this.commit(state, `USER ${c.User}`);
      }
      case 'VOLUME': {
        const vols = n.args.map((v) => this.expand(state, v));
        c.Volumes = c.Volumes ?? {};
        for (const v of vols) {
          if (v === '') throw new BuildError('VOLUME specified can not be an empty string', 400);
          c.Volumes[v] = {};
        }
        return this.commit(state, `VOLUME ${goList(vols)}`);
      }
      case 'STOPSIGNAL': {
        const sig = this.expand(state, n.args[0]!);
        if (!validSignal(sig)) throw new BuildError(`Invalid signal: ${sig}`, 400);
        c.StopSignal = sig;
        return this.commit(state, `STOPSIGNAL ${sig}`);
      }
      case 'ARG': {
        const parts: string[] = [];
        for (const { key, value } of argPairs(cmd)) {
          const v = value === undefined ? undefined : this.expand(state, value);
          parts.push(v === undefined ? key : `${key}=${v}`);
          state.args.allowed.set(key, v);
          state.args.referenced.add(key);
        }
        return this.commit(state, `ARG ${parts.join(' ')}`);
      }
      case 'SHELL':
        c.Shell = [...n.args];
        return this.commit(state, `SHELL ${goList(c.Shell)}`);
      default:
        throw new BuildError(`unsupported command type: ${cmd.name}`, 500);
    }
  }

  /** moby resolveCmdLine for Windows: the shell form is one escaped command line, the exec form as given. */
  private resolveCmdLine(state: State, cmd: Instr): [string[], boolean] {
    const n = cmd.node;
    if (n.args.length === 0) return [[], state.config.ArgsEscaped ?? false];
    if (n.json) return [[...n.args], false];
    const original = n.original.slice(n.word.length).replace(/^[ \t\v\n]+/, '');
    return [[`${shellOf(state.config).join(' ')} ${original}`], true];
  }

  /** moby probeCache: a hit is " ---> Using cache" and becomes the current image; a miss busts the cache for the stage. */
  private async probe(state: State, config: RunConfig): Promise<boolean> {
    if (this.options.noCache || this.cacheBusted) return false;
    const cfg = imageConfigOf(config);
    let hit: Image | undefined;
    if (!this.cacheFrom) hit = this.host.buildCache.probe(this.host, state.image.id, cfg);
    else {
      const found = await this.cacheFrom.probe(this.host, this.host.buildCache, state.image, cfg);
      if (found?.kind === 'image') {
        hit = found.image;
        if (found.setParent) this.host.setParent(hit.id, state.image.id);
      } else if (found?.kind === 'restore') hit = this.restoreCachedImage(state.image, found.target, found.targetDoc, found.parentDoc, found.index, cfg);
    }
    if (!hit) {
      this.cacheBusted = true;
      return false;
    }
    this.out.stdout(' ---> Using cache\n');
    state.image = hit;
    state.config.Image = hit.id;
    return true;
  }

  /**
   * moby restoreCachedImage: step `index` of a `--cache-from` source as a
   * new image on `parent` — the parent's history and layers plus that
   * entry and its layer, the probe's config as its config (moby's, `#(nop)`
   * Cmd included), the source's author and platform.
   */
  private restoreCachedImage(parent: Image, target: Image, targetDoc: ConfigDocument, parentDoc: ConfigDocument, index: number, cfg: ImageConfig): Image {
    const entry = targetDoc.history[index]!;
    const li = layerIndexForHistory(targetDoc, index);
    const layer = li >= 0 ? target.layers[li] : undefined;
    const doc: ConfigDocument = {
      architecture: 'amd64',
      ...(targetDoc.author ? { author: targetDoc.author } : {}),
      config: cfg,
      created: entry.created,
      history: [...parentDoc.history, entry],
      os: 'windows',
      'os.version': target.osVersion,
      rootfs: { type: 'layers', diff_ids: [...parentDoc.rootfs.diff_ids, ...(layer ? [layer.diffId] : [])] },
    };
    const id = this.host.blobs.put(configBytes(doc));
    const have = this.host.image(id);
    if (have) return have;
    return this.host.addImage({
      id,
      repoTags: [],
      created: entry.created,
      os: 'windows',
      osVersion: target.osVersion,
      architecture: 'amd64',
      config: cfg,
      layers: layer ? [...parent.layers, layer] : [...parent.layers],
      flavor: target.flavor,
      defaultUser: target.defaultUser,
      base: target.base,
      parent: parent.id,
    });
  }

  private async createContainer(state: State, config: RunConfig, extra: Partial<ContainerCreateOptions> = {}): Promise<BuildContainer> {
    const c = await this.host.createContainer({
      image: state.image.id,
      cmd: config.Cmd && config.Cmd.length > 0 ? [...config.Cmd] : ['cmd'],
      ...(config.Entrypoint ? { entrypoint: config.Entrypoint.length > 0 ? [...config.Entrypoint] : [''] } : { entrypoint: [''] }),
      env: [...(config.Env ?? [])],
      ...(config.WorkingDir ? { workingDir: config.WorkingDir } : {}),
      ...(config.User ? { user: config.User } : {}),
      argsEscaped: config.ArgsEscaped === true,
      ...(this.options.networkMode && this.options.networkMode !== 'default' ? { network: this.options.networkMode } : {}),
      ...(this.options.isolation ? { isolation: this.options.isolation } : {}),
      ...extra,
    });
    this.temporary.add(c);
    this.out.stdout(` ---> Running in ${shortId(c.id)}\n`);
    return c;
  }

  /** moby Builder.commit: a nop container, committed with the run config; the history names `#(nop) <comment>`. */
  private async commit(state: State, comment: string, single = false): Promise<void> {
    const withComment = copyConfig(state.config);
    withComment.Cmd = single ? [...shellOf(state.config), `#(nop) ${comment}`] : [...shellOf(state.config), '#(nop) ', comment];
    if (await this.probe(state, withComment)) return;
    const container = await this.createContainer(state, withComment);
    await this.commitLayer(state, withComment, container.id, undefined);
  }

  private async workdir(state: State, requested: string): Promise<void> {
    state.config.WorkingDir = normalizeWorkdir(state.config.WorkingDir, requested);
    const withComment = copyConfig(state.config);
    withComment.Cmd = [...shellOf(state.config), `#(nop) WORKDIR ${state.config.WorkingDir}`];
    if (await this.probe(state, withComment)) return;
    const container = await this.createContainer(state, withComment);
    const dir = state.config.WorkingDir;
    await this.commitLayer(state, withComment, container.id, (volume) => {
      try {
        mkdirs(volume, dir.slice(2));
      } catch (e) {
        if (e instanceof Win32Error) throw new BuildError(`mkdir ${dir}: ${e.message}`, 500);
        throw e;
      }
    });
  }

  /** A new layer: the parent's top disk cloned, `write` applied, committed with the run config. */
  private async commitLayer(state: State, cacheConfig: RunConfig, containerId: string, write: ((v: NtfsVolume) => void) | undefined, source?: { disk: number; hives: Readonly<Partial<Record<HiveName, Hive>>> }): Promise<void> {
    const parent = state.image;
    const store = this.host.blocks;
    let disk = source?.disk;
    let scratch: number | undefined;
    if (disk === undefined) {
      const top = parent.layers[parent.layers.length - 1]!;
      const r = store.clone(top.disk);
      if (r.status !== STATUS_SUCCESS) throw new NtStatusError('blocks.clone', r.status, parent.id);
      scratch = r.disk;
      disk = r.disk;
      if (write) {
        const volume = mountVolume(store, disk, { clock: () => this.host.now() });
        write(volume);
      }
    }
    try {
      const made = await commitContainer(
        { store, disk, hives: source?.hives ?? {}, image: parent, containerId, command: cacheConfig.Cmd ?? [] },
        { now: this.host.now(), config: imageConfigOf(state.config), containerConfig: imageConfigOf(cacheConfig), ...(state.maintainer ? { author: state.maintainer } : {}) },
        this.host.blobs,
      );
      const image = this.host.addImage({ ...made, parent: parent.id }, containerId !== '');
      this.host.buildCache.remember(parent.id, imageConfigOf(cacheConfig), image.id);
      state.image = image;
      state.config.Image = image.id;
    } finally {
      if (scratch !== undefined) store.deleteDisk(scratch);
    }
  }

  private async runStep(state: State, cmd: Instr): Promise<void> {
    if (cmd.flags.size > 0) throw new BuildError(`the --${[...cmd.flags.keys()][0]!} option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled`, 400);
    const c = state.config;
    const [cmdLine, argsEscaped] = this.resolveCmdLine(state, cmd);
    const buildArgs = state.args.filterAllowed(c.Env ?? []);
    let saveCmd = cmdLine;
    if (buildArgs.length > 0) {
      const kept = buildArgs.filter((e) => state.args.isReferencedOrNotBuiltin(e.split('=')[0]!)).sort();
      saveCmd = [`|${kept.length}`, ...kept, ...cmdLine];
    }
    const probeConfig = copyConfig(c);
    probeConfig.Cmd = saveCmd;
    // Windows keeps the state's ArgsEscaped in the cache key (moby dispatchRun).
    probeConfig.ArgsEscaped = c.ArgsEscaped;
    if (saveCmd.length > 0) probeConfig.Entrypoint = null;
    if (await this.probe(state, probeConfig)) return;

    const runConfig = copyConfig(c);
    runConfig.Cmd = cmdLine;
    runConfig.ArgsEscaped = argsEscaped;
    runConfig.Env = [...(c.Env ?? []), ...buildArgs];
    runConfig.Entrypoint = [];
    const container = await this.createContainer(state, runConfig);
    this.host.attached?.(container);
    const io = await container.start();
    const pump = async (from: ProcessIo['stdout'], to: (s: string) => void): Promise<void> => {
      if (!from) return;
      const decoder = new TextDecoder();
      for (;;) {
        const chunk = await from.read();
        if (chunk === null) break;
        to(decoder.decode(chunk, { stream: true }));
      }
    };
    const pumps = Promise.all([pump(io.stdout, (s) => this.out.stdout(s)), pump(io.stderr, (s) => this.out.stderr(s))]);
    const code = await io.wait();
    await pumps;
    await container.wait();
    if (code !== 0) throw new BuildError(`The command '${runConfig.Cmd.join(' ')}' returned a non-zero code: ${code}`, 500, code);
    const src = container.commitSource();
    await this.commitLayer(state, probeConfig, container.id, undefined, src);
  }

  private async copy(state: State, cmd: Instr): Promise<void> {
    const n = cmd.node;
    const name = cmd.name;
    if (cmd.flags.get('chmod')) throw new BuildError('the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled', 400);
    const words = n.args.map((a) => this.expand(state, a));
    const sources = words.slice(0, -1);
    const dest = words[words.length - 1]!.replace(/\//g, '\\');
    const from = cmd.flags.get('from');
    const chown = cmd.flags.get('chown') ?? '';
    let fromImage: Image | undefined;
    if (name === 'COPY' && from !== undefined && from !== '') {
      const ref = this.expand(state, from);
      try {
        fromImage = this.fromImage(ref);
      } catch (e) {
        if (e instanceof BuildError) throw new BuildError(`invalid from flag value ${ref}: ${e.message}`, e.status);
        throw e;
      }
    }
    let infos: CopySource[];
    try {
      infos = fromImage ? this.imageSources(fromImage, sources) : this.contextSources(sources, name);
    } catch (e) {
      if (e instanceof BuildError) throw new BuildError(`${name} failed: ${e.message}`, e.status);
      throw e;
    }
    if (infos.length > 1 && !dest.endsWith('\\')) throw new BuildError(`When using ${name} with more than one source file, the destination must be a directory and end with a /`, 400);
    const hash = infos.length === 1 ? infos[0]!.hash : `multi:${sha256Hex(infos.map((i) => i.hash).join(','))}`;
    const destPath = normalizeDest(state.config.WorkingDir, dest);
    const withComment = copyConfig(state.config);
    withComment.Cmd = [...shellOf(state.config), `#(nop) ${name} ${chown ? `--chown=${chown} ` : ''}${hash} in ${dest} `];
    if (await this.probe(state, withComment)) return;
    if (chown !== '') this.chownIdentity(this.expand(state, chown));
    // moby performCopy: errors.Wrapf(err, "failed to copy files").
    const copyFailed = (e: unknown): never => {
      if (e instanceof Win32Error || e instanceof TarBreakoutError || e instanceof TarError) throw new BuildError(`failed to copy files: ${e.message}`, 500);
      throw e;
    };
    // ADD's local archives are read first (the layer is then written in one step); undefined: not an archive, copied as it is.
    const archives = await Promise.all(infos.map((info) => (name === 'ADD' && info.kind === 'file' && isArchiveName(info.name) ? readArchive(info.read()).catch(copyFailed) : undefined)));
    await this.commitLayer(state, withComment, '', (volume) => {
      try {
        infos.forEach((info, i) => {
          const entries = archives[i];
          if (entries) extractTarInto(volume, entries, destPath, layerMountPath(state.image.id) + destPath);
          else copyIntoVolume(volume, info, destPath);
        });
      } catch (e) {
        copyFailed(e);
      }
    });
  }

  /**
   * `--chown` on Windows (moby internals_windows.go parseChownFlag): only a
   * build whose `platform` option is exactly `windows` maps the account to
   * a SID — a string SID, a built-in alias or well-known group, or
   * ContainerAdministrator / ContainerUser; any other build takes the root
   * pair, which has no SID, so the flag changes nothing (fixPermissions
   * returns at once). An account that does not map is moby's
   * "unable to map container user account name to SID".
   *
   * DECIDED: moby asks the container for any other name (a run of
   * containerutility.exe getaccountsid); winsilo's containers have no
   * local accounts beyond these, so such a name fails at once with
   * LookupAccountName's ERROR_NONE_MAPPED text. The SID found is not
   * written as an ACL (the volume keeps no security descriptors).
   */
  private chownIdentity(account: string): string | undefined {
    if (this.options.platform !== 'windows') return undefined;
    if (/^s-/i.test(account) && /^S-1(-\d+){1,15}$/i.test(account)) return account.toUpperCase();
    const known = WELL_KNOWN_SIDS[account.toLowerCase()];
    if (known) return known;
    throw new BuildError(`unable to map container user account name to SID: No mapping between account names and security IDs was done.`, 500);
  }

  private fromImage(ref: string): Image {
    const byName = this.stageImages.find((s) => s.name !== '' && s.name === ref.toLowerCase());
    if (byName) return this.resolveImage(byName.image, true);
    if (/^\d+$/.test(ref)) {
      const ix = Number(ref);
      if (ix === this.stageImages.length) throw new BuildError('refers to current build stage', 400);
      if (ix > this.stageImages.length) throw new BuildError('index out of bounds', 400);
      return this.resolveImage(this.stageImages[ix]!.image, true);
    }
    return this.resolveImage(ref, false);
  }

  /** Sources in the build context (moby calcCopyInfo): wildcards, files, folders; never outside the context. */
  private contextSources(sources: readonly string[], name: string): CopySource[] {
    const out: CopySource[] = [];
    for (const orig of sources) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(orig)) {
        if (name === 'COPY') throw new BuildError("source can't be a URL for COPY", 400);
        // DECIDED: an offline host's download fails as Go's HTTP client does when the name does not resolve.
        const host = /^[a-z]+:\/\/([^/:?#]+)/i.exec(orig)?.[1] ?? '';
        throw new BuildError(`Get "${orig}": dial tcp: lookup ${host}: no such host`, 500);
      }
      const denied = orig.replace(/\//g, '\\').toLowerCase().replace(/\\+$/, '');
      if (denied === 'c:' || denied === 'c:\\windows') throw new BuildError('copy from c:\\ or c:\\windows is not allowed on windows', 400);
      // moby trims one leading separator and `./`, and a drive: the rest is context-relative.
      let p = orig.replace(/\\/g, '/').replace(/^[A-Za-z]:/, '');
      p = p.replace(/^\//, '').replace(/^\.\//, '');
      if (/[*?[]/.test(p)) {
        const re = globRegex(p);
        const matches = this.context.walk('').filter((x) => re.test(x));
        for (const m of matches) out.push(...this.contextSource(m));
        continue;
      }
      out.push(...this.contextSource(p));
    }
    if (out.length === 0) throw new BuildError('no source files were specified', 400);
    return out;
  }

  private contextSource(p: string): CopySource[] {
    const r = this.context.resolve(p);
    if (!r.entry) throw new BuildError(`file not found in build context or excluded by .dockerignore: stat ${p.replace(/\//g, '\\')}: file does not exist`, 400);
    const ctx = this.context;
    const base = p.split('/').filter(Boolean).pop() ?? '';
    if (r.entry.type === 'file') {
      const e = r.entry;
      return [{ kind: 'file', name: base, hash: ctx.hash(r.path), read: () => e.data, mtime: e.mtime.getTime() }];
    }
    const root = r.path;
    const files = ctx.walk(root).map((x) => {
      const rel = root === '' ? x : x.slice(root.length + 1);
      const e = ctx.entry(x)!;
      // Links inside a copied folder are resolved inside the context too.
      const target = e.type === 'symlink' ? ctx.resolve(x).entry : e;
      return { rel, entry: target };
    });
    return [
      {
        kind: 'directory',
        name: base,
        hash: ctx.hash(root),
        mtime: 0,
        read: () => Buffer.alloc(0),
        children: files.filter((f) => f.entry !== undefined).map((f) => ({ rel: f.rel, directory: f.entry!.type === 'directory', data: f.entry!.type === 'file' ? f.entry!.data : Buffer.alloc(0), mtime: f.entry!.mtime.getTime() })),
      },
    ];
  }

  /** Sources in another image's file system (`COPY --from`). */
  private imageSources(image: Image, sources: readonly string[]): CopySource[] {
    const store = this.host.blocks;
    const top = image.layers[image.layers.length - 1]!;
    const r = store.clone(top.disk);
    if (r.status !== STATUS_SUCCESS) throw new NtStatusError('blocks.clone', r.status, image.id);
    try {
      const volume = mountVolume(store, r.disk, {});
      const out: CopySource[] = [];
      for (const orig of sources) {
        const p = '\\' + orig.replace(/\//g, '\\').replace(/^[A-Za-z]:/, '').replace(/^\\+/, '').replace(/\\+$/, '');
        const parent = p.slice(0, p.lastIndexOf('\\')) || '\\';
        const leaf = p.slice(p.lastIndexOf('\\') + 1);
        const names = /[*?[]/.test(leaf) ? listNames(volume, parent).filter((x) => globRegex(leaf, true).test(x)) : [leaf];
        if (names.length === 0) throw new BuildError(`file not found in build context or excluded by .dockerignore: stat ${p.slice(1)}: file does not exist`, 400);
        for (const nm of names) out.push(readFromVolume(volume, parent === '\\' ? `\\${nm}` : `${parent}\\${nm}`, nm));
      }
      return out;
    } finally {
      store.deleteDisk(r.disk);
    }
  }
}

function sha256Hex(s: string | Buffer): string {
  return createHash('sha256').update(s).digest('hex');
}

/** filepath.Match of a whole context path (`*` within a segment). */
function globRegex(pattern: string, caseInsensitive = false): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) throw new BuildError('syntax error in pattern', 400);
      re += `[${pattern.slice(i + 1, end).replace(/^\^/, '^').replace(/^!/, '^')}]`;
      i = end;
    } else re += ch.replace(/[.+(){}|$^\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`, caseInsensitive ? 'i' : '');
}

function listNames(volume: NtfsVolume, dir: string): string[] {
  try {
    return volume.list(dir).map((f) => f.name).filter((x) => x !== '.' && x !== '..');
  } catch (e) {
    if (e instanceof Win32Error) return [];
    throw e;
  }
}

function readFromVolume(volume: NtfsVolume, path: string, name: string): CopySource {
  let info;
  try {
    info = volume.stat(path);
  } catch (e) {
    if (e instanceof Win32Error) throw new BuildError(`file not found in build context or excluded by .dockerignore: stat ${path.slice(1)}: file does not exist`, 400);
    throw e;
  }
  const readFile = (p: string): Buffer => {
    const h = volume.open(p, { disposition: 'open', read: true, nonDirectory: true });
    try {
      return Buffer.from(readToEnd(h));
    } finally {
      h.close();
    }
  };
  if ((info.attributes & FILE_ATTRIBUTE_DIRECTORY) === 0) {
    const data = readFile(path);
    return { kind: 'file', name, hash: `file:${sha256Hex(data)}`, read: () => data, mtime: info.lastWriteTime };
  }
  const children: { rel: string; directory: boolean; data: Buffer; mtime: number }[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const f of volume.list(dir)) {
      if (f.name === '.' || f.name === '..') continue;
      const p = `${dir}\\${f.name}`;
      const r = rel === '' ? f.name : `${rel}/${f.name}`;
      const isDir = (f.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
      children.push({ rel: r, directory: isDir, data: isDir ? Buffer.alloc(0) : readFile(p), mtime: f.lastWriteTime });
      if (isDir) walk(p, r);
    }
  };
  walk(path, '');
  const hash = `dir:${sha256Hex(children.map((c) => `${c.rel}:${c.directory ? 'd' : sha256Hex(c.data)}`).join(','))}`;
  return { kind: 'directory', name, hash, read: () => Buffer.alloc(0), mtime: info.lastWriteTime, children };
}

/**
 * Where the step's layer is mounted on the host, as moby's errors name it:
 * windowsfilter's Get answers the layer's volume path `\\?\Volume{GUID}`.
 * DECIDED: the GUID is made from the parent image's id (the real one is
 * the volume's, random per mount).
 */
function layerMountPath(parentId: string): string {
  const h = sha256Hex(`layer-mount:${parentId}`);
  return `\\\\?\\Volume{${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}}`;
}

function isArchiveName(name: string): boolean {
  return /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2|tar\.xz|txz)$/i.test(name);
}


/** moby normalizeWorkdirWindows: relative to the previous WORKDIR, C: when no drive, the drive upper-cased. */
export function normalizeWorkdir(current: string, requested: string): string {
  if (requested === '') throw new BuildError('cannot normalize nothing', 400);
  const clean = (p: string): string => cleanWindowsPath(p);
  const cur = current === '' ? '' : clean(current);
  let req = clean(requested);
  const drivePattern = /^[a-zA-Z]:\.$/;
  if (drivePattern.test(cur)) throw new BuildError(`${cur} is not a directory. If you are specifying a drive letter, please add a trailing '\\'`, 400);
  if (drivePattern.test(req)) throw new BuildError(`${req} is not a directory. If you are specifying a drive letter, please add a trailing '\\'`, 400);
  const isAbs = req.startsWith('\\') || /^[a-zA-Z]:\\/.test(req);
  if (cur === '' || isAbs) {
    if (req[0] === '\\' || (req.length > 1 && req[1] !== ':') || req.length === 1) req = cleanWindowsPath(`C:\\${req}`);
  } else {
    req = cleanWindowsPath(`${cur}\\${req}`);
  }
  return req[0]!.toUpperCase() + req.slice(1);
}

/** moby normalizeDest (copy_windows.go): a path on C: (volume-relative, `\…`), trailing `\` kept. */
export function normalizeDest(workingDir: string, requested: string): string {
  let dest = requested.replace(/\//g, '\\');
  const endsInSlash = dest.endsWith('\\');
  if (/^[a-zA-Z]:\\/.test(dest) || /^[a-zA-Z]:$/.test(dest)) {
    if (dest[0]!.toUpperCase() !== 'C') throw new BuildError('Windows does not support destinations not on the system drive (C:)', 400);
    dest = dest.slice(2);
  }
  if (!dest.startsWith('\\')) {
    const wd = workingDir === '' ? '' : workingDir;
    if (wd !== '' && wd[0]!.toUpperCase() !== 'C') throw new BuildError('Windows does not support relative paths when WORKDIR is not the system drive', 400);
    dest = cleanWindowsPath(`\\${wd.slice(2)}\\${dest}`);
    if (endsInSlash && !dest.endsWith('\\')) dest += '\\';
  }
  return dest === '' ? '\\' : dest;
}

/**
 * Names LookupAccountSid answers the same on every Windows (built-in
 * aliases and well-known groups, which moby's getAccountIdentity takes from
 * the host), and the container accounts (usergroup.ContainerAdministratorSidString).
 */
const WELL_KNOWN_SIDS: Readonly<Record<string, string>> = {
  administrators: 'S-1-5-32-544',
  users: 'S-1-5-32-545',
  guests: 'S-1-5-32-546',
  'power users': 'S-1-5-32-547',
  'backup operators': 'S-1-5-32-551',
  'remote desktop users': 'S-1-5-32-555',
  everyone: 'S-1-1-0',
  system: 'S-1-5-18',
  'local service': 'S-1-5-19',
  'network service': 'S-1-5-20',
  'authenticated users': 'S-1-5-11',
  containeradministrator: 'S-1-5-93-2-1',
  containeruser: 'S-1-5-93-2-2',
};

const STOP_SIGNALS = new Set(['ABRT', 'ALRM', 'BUS', 'CHLD', 'CLD', 'CONT', 'FPE', 'HUP', 'ILL', 'INT', 'IO', 'IOT', 'KILL', 'PIPE', 'POLL', 'PROF', 'PWR', 'QUIT', 'SEGV', 'STKFLT', 'STOP', 'SYS', 'TERM', 'TRAP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'USR1', 'USR2', 'VTALRM', 'WINCH', 'XCPU', 'XFSZ']);

/** moby signal.ParseSignal: a number, or a name with or without SIG. */
function validSignal(s: string): boolean {
  if (/^\d+$/.test(s)) return Number(s) > 0;
  return STOP_SIGNALS.has(s.toUpperCase().replace(/^SIG/, ''));
}

