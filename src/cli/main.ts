#!/usr/bin/env node
/**
 * The winsilo command line (embedded: the engine runs in this process).
 *
 *   winsilo run [OPTIONS] IMAGE [COMMAND] [ARG...]   docker run, in-process (run.ts)
 *   winsilo images [OPTIONS]                          docker images (images.ts)
 *   winsilo build [OPTIONS] PATH                      docker build, the classic builder in-process (build.ts)
 *   winsilo start                                     what `npm start` runs: an interactive cmd.exe in a
 *                                                     new Server Core container (in memory, removed at exit)
 *   winsilo winobj [options] [PATH]                   the object namespace as WinObj shows it
 *   winsilo --help | -v, --version
 *
 * The top level parses like docker's root command (docker/cli
 * cmd/docker/docker.go, cli/cobra.go): global flags up to the first
 * command, `--help` before `--version`, help without a command (on stderr,
 * exit 0, as `docker` alone), `winsilo: unknown command: winsilo x` (exit
 * 1). Errors are printed on stderr with one newline and the command's exit
 * code (status.ts).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NtStatusError } from '../core/errors.js';
import { RefObjectNamespace, WasmObjectNamespace, type ObjectNamespace } from '../core/ob/index.js';
import { bootHostNamespace } from '../kernel/namespace/host.js';
import { createSiloNamespace } from '../kernel/namespace/silo.js';
import { writeAll, type CliContext } from './context.js';
import { openHost } from './engine.js';
import { FlagError, FlagSet, HelpRequested, type ParsedFlags } from './flags.js';
import { commandHelp, rootHelp, usageColumns, type CommandInfo } from './help.js';
import { DAEMON_SHORT, DAEMON_USAGE, daemonCommand } from '../daemon/cli.js';
import { IMAGES_SHORT, IMAGES_USE_LINE, imagesCommand, imagesFlags } from './images.js';
import { BUILD_SHORT, BUILD_USE_LINE, buildCommand, buildFlags } from './build.js';
import { RUN_SHORT, RUN_USE_LINE, runCommand, runFlags } from './run.js';
import { BIN, CliError, flagError, hostExitStatus } from './status.js';
import { versionLine } from './version.js';
import { winobjTree } from './winobj.js';

const DESCRIPTION = 'A Windows Server container host that runs anywhere Node runs';

const COMMANDS: readonly CommandInfo[] = [
  { name: 'run', short: RUN_SHORT, top: true },
  { name: 'images', short: IMAGES_SHORT, top: true },
  { name: 'build', short: BUILD_SHORT, top: true },
  { name: 'daemon', short: DAEMON_SHORT, top: true },
  { name: 'start', short: 'Open an interactive cmd.exe in a new Server Core container (in memory, removed at exit)', top: false },
  { name: 'winobj', short: 'Print the object namespace below a path, as WinObj shows it', top: false },
];

/** docker's root flags that winsilo has: --version, and the hidden -h/--help. */
function rootFlags(): FlagSet {
  return new FlagSet(
    [
      { name: 'help', shorthand: 'h', type: 'bool', usage: 'Print usage', defValue: 'false', hidden: true },
      { name: 'version', shorthand: 'v', type: 'bool', usage: 'Print version information and quit', defValue: 'false' },
    ],
    false,
  );
}

const WINOBJ_USAGE = `Usage:  ${BIN} winobj [OPTIONS] [PATH]

Print the object namespace below PATH (default \\), as WinObj shows it

Options:
      --silo ID          Look from inside server silo ID (a container is booted for it)
      --depth N          Stop N directories down
      --impl wasm|ref    Which object-manager implementation to use (default wasm)
`;

function bootWith(impl: string, silo: number | undefined): { ob: ObjectNamespace; process: number } {
  const ob: ObjectNamespace = impl === 'ref' ? new RefObjectNamespace() : new WasmObjectNamespace();
  const host = bootHostNamespace(ob);
  if (silo === undefined) return { ob, process: host };
  createSiloNamespace(ob, host, silo, { session: 14, volume: 'HarddiskVolume5' });
  const p = ob.createProcess(silo, 14, 0);
  if (p.status < 0) throw new NtStatusError('PspCreateProcess', p.status);
  return { ob, process: p.process };
}

/** The image and command `winsilo start` runs. */
export const START_IMAGE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
const START_USAGE = `Usage:  ${BIN} start

${COMMANDS.find((c) => c.name === 'start')!.short}: the same as
  ${BIN} run -it --rm -q ${START_IMAGE} cmd.exe
on an engine that keeps nothing on disk. Type exit to leave.
`;

/**
 * `winsilo start` (what `npm start` runs): `run -it --rm -q IMAGE cmd.exe`
 * against an in-memory engine, so the user's data root is untouched and
 * nothing is left behind. DECIDED: the pull is quiet (the in-memory engine
 * synthesizes the image on every start; docker's pull lines would be noise).
 * Without a terminal on stdin it refuses as `run -it` does, before any work.
 */
async function startCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  if (argv.length > 0) {
    if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
      await writeAll(ctx.stdout, START_USAGE);
      return 0;
    }
    throw new CliError(`${BIN}: 'start' accepts no arguments\n\n${START_USAGE}`, 1);
  }
  if (!ctx.stdin.isTTY) throw new CliError('cannot attach stdin to a TTY-enabled container because stdin is not a terminal', 1);
  const inMemory: CliContext = { ...ctx, openHost: (options) => ctx.openHost({ ...options, dataRoot: undefined }) };
  return runCommand(['-it', '--rm', '-q', START_IMAGE, 'cmd.exe'], inMemory);
}

function winobjCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  let values: { silo?: string; depth?: string; impl?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        silo: { type: 'string' },
        depth: { type: 'string' },
        impl: { type: 'string', default: 'wasm' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    if (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      err(`${BIN}: ${e.message}\n${WINOBJ_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (values.help) {
    out(WINOBJ_USAGE);
    return 0;
  }
  const impl = values.impl ?? 'wasm';
  if (impl !== 'wasm' && impl !== 'ref') {
    err(`${BIN}: --impl must be wasm or ref, not '${impl}'\n`);
    return 2;
  }
  let silo: number | undefined;
  if (values.silo !== undefined) {
    silo = Number(values.silo);
    if (!Number.isInteger(silo) || silo <= 0 || silo > 0xffffffff) {
      err(`${BIN}: --silo takes a silo id (a positive integer), not '${values.silo}'\n`);
      return 2;
    }
  }
  const depth = values.depth === undefined ? Infinity : Number(values.depth);
  if (!(depth >= 1)) {
    err(`${BIN}: --depth takes a number ≥ 1, not '${values.depth}'\n`);
    return 2;
  }
  try {
    const { ob, process: p } = bootWith(impl, silo);
    out(winobjTree(ob, p, positionals[0] ?? '\\', depth).join('\n') + '\n');
  } catch (e) {
    if (!(e instanceof NtStatusError)) throw e;
    err(`${BIN}: ${e.message}\n`);
    return 1;
  }
  return 0;
}

/** The help text of a command, or undefined for an unknown one. */
function helpFor(command: string, ctx: CliContext): string | undefined {
  const cols = usageColumns(ctx.stdout.columns);
  switch (command) {
    case 'run':
      return commandHelp(RUN_USE_LINE, RUN_SHORT, runFlags((n) => ctx.env[n]), cols);
    case 'images':
      return commandHelp(IMAGES_USE_LINE, IMAGES_SHORT, imagesFlags(), cols);
    case 'build':
      return commandHelp(BUILD_USE_LINE, BUILD_SHORT, buildFlags(), cols);
    case 'winobj':
      return WINOBJ_USAGE;
    case 'daemon':
      return DAEMON_USAGE;
    case 'start':
      return START_USAGE;
  }
  return undefined;
}

/** Runs the command line `argv` (without node and the script) in `ctx`; returns the container's or command's exit code. */
export async function main(argv: readonly string[], ctx: CliContext): Promise<number> {
  const out = (s: string): void => void ctx.stdout.write(s);
  const err = (s: string): void => void ctx.stderr.write(s);
  const root = rootFlags();
  let parsed: ParsedFlags;
  try {
    parsed = root.parse(argv);
  } catch (e) {
    if (e instanceof FlagError) throw flagError(e, `${BIN} [OPTIONS] COMMAND`, BIN);
    if (e instanceof HelpRequested) parsed = { values: new Map([['help', true]]), changed: new Set(), args: [] };
    else throw e;
  }
  const help = rootHelp(DESCRIPTION, COMMANDS, root, usageColumns(ctx.stdout.columns));
  if (parsed.values.get('help') === true) {
    await writeAll(ctx.stdout, help);
    return 0;
  }
  if (parsed.values.get('version') === true) {
    await writeAll(ctx.stdout, versionLine() + '\n');
    return 0;
  }
  const [command, ...rest] = parsed.args;
  if (command === undefined) {
    // `docker` alone shows its help on stderr and succeeds.
    await writeAll(ctx.stderr, help);
    return 0;
  }
  switch (command) {
    case 'run':
      return runCommand(rest, ctx);
    case 'images':
      return imagesCommand(rest, ctx);
    case 'build':
      return buildCommand(rest, ctx);
    case 'daemon':
      return daemonCommand(rest, ctx);
    case 'start':
      return startCommand(rest, ctx);
    case 'winobj':
      return winobjCommand(rest, out, err);
    case 'help': {
      if (rest.length === 0) {
        await writeAll(ctx.stdout, help);
        return 0;
      }
      const text = rest.length === 1 ? helpFor(rest[0]!, ctx) : undefined;
      if (text === undefined) throw new CliError(`unknown help topic: ${rest.join(' ')}`, 1);
      await writeAll(ctx.stdout, text);
      return 0;
    }
  }
  throw new CliError(`${BIN}: unknown command: ${BIN} ${command}\n\nRun '${BIN} --help' for more information`, 1);
}

/** The real process as a CliContext. */
export function processContext(): CliContext {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signals: process,
    now: () => Date.now(),
    openHost,
  };
}

/** Runs main for this process: prints a failure as docker does and sets the exit status. */
export async function runMain(argv: readonly string[], ctx: CliContext = processContext()): Promise<number> {
  try {
    return await main(argv, ctx);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    await writeAll(ctx.stderr, e.message + '\n');
    return e.exitCode;
  }
}

// Run when executed (node dist/src/cli/main.js …, or npm's `winsilo` link to it), not when imported.
function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  const finish = async (status: number): Promise<never> => {
    // Let stdout and stderr drain (pipes are asynchronous on some hosts), then
    // exit explicitly: a terminal left resumed must not keep winsilo alive.
    await Promise.all([writeAll(process.stdout, ''), writeAll(process.stderr, '')]);
    process.exit(status);
  };
  runMain(process.argv.slice(2)).then(
    // The container's exit code as a host exit status (status.ts).
    (code) => finish(hostExitStatus(code)),
    (e: unknown) => {
      process.stderr.write(`${BIN}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      return finish(1);
    },
  );
}
