/**
 * `winsilo build [OPTIONS] PATH`: the classic builder in-process, printing
 * what the docker CLI prints against a Windows daemon (docker/cli
 * cli/command/image/build.go, the legacy path the CLI takes for OSType
 * windows):
 *
 *   Sending build context to Docker daemon  2.048kB
 *   Step 1/5 : FROM mcr.microsoft.com/windows/servercore:ltsc2022
 *    ---> 1a2b3c4d5e6f
 *   …
 *   Successfully built 1a2b3c4d5e6f
 *   Successfully tagged name:tag
 *
 * The context is the folder PATH less what its `.dockerignore` excludes
 * (the Dockerfile and `.dockerignore` are always sent, as the CLI's
 * TrimBuildFilesFromExcludes); its size is that of the tar the CLI would
 * send (go-units HumanSize). `-q` prints only the image id; on failure it
 * prints the held output, then the error. A failed RUN exits with the
 * command's code, other failures with 1; errors the daemon would answer
 * before streaming are prefixed "Error response from daemon: " as the CLI
 * prints them.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ContextEntry } from '../images/build/context.js';
import type { Host } from '../host/host.js';
import { writeAll, type CliContext } from './context.js';
import { FlagError, FlagSet, HelpRequested, type ParsedFlags } from './flags.js';
import { humanSize } from './goformat.js';
import { commandHelp, usageColumns } from './help.js';
import { familiarString, parseNormalizedNamed, ReferenceError, tagNameOnly } from './reference.js';
import { pullResultMessages } from './progress.js';
import { hostOptionsFor } from './run.js';
import { BIN, CliError, daemonMessage, flagError } from './status.js';

export const BUILD_USE_LINE = `${BIN} build [OPTIONS] PATH`;
export const BUILD_SHORT = 'Build an image from a Dockerfile';

export function buildFlags(): FlagSet {
  return new FlagSet(
    [
      { name: 'build-arg', type: 'list', usage: 'Set build-time variables' },
      { name: 'cache-from', type: 'list', usage: 'Images to consider as cache sources' },
      { name: 'file', shorthand: 'f', type: 'string', usage: 'Name of the Dockerfile (Default is "PATH/Dockerfile")' },
      { name: 'force-rm', type: 'bool', usage: 'Always remove intermediate containers', defValue: 'false' },
      { name: 'iidfile', type: 'string', usage: 'Write the image ID to the file' },
      { name: 'isolation', type: 'string', usage: 'Container isolation technology' },
      { name: 'label', type: 'list', usage: 'Set metadata for an image' },
      { name: 'network', type: 'string', usage: 'Set the networking mode for the RUN instructions during build', defValue: 'default' },
      { name: 'no-cache', type: 'bool', usage: 'Do not use cache when building the image', defValue: 'false' },
      { name: 'pull', type: 'bool', usage: 'Always attempt to pull a newer version of the image', defValue: 'false' },
      { name: 'quiet', shorthand: 'q', type: 'bool', usage: 'Suppress the build output and print image ID on success', defValue: 'false' },
      { name: 'rm', type: 'bool', usage: 'Remove intermediate containers after a successful build', defValue: 'true' },
      { name: 'tag', shorthand: 't', type: 'list', usage: 'Name and optionally a tag in the "name:tag" format' },
      { name: 'target', type: 'string', usage: 'Set the target build stage to build.' },
      { name: 'help', type: 'bool', usage: 'Print usage', defValue: 'false', hidden: true },
    ],
    true,
  );
}

/** The context folder as entries (`/` paths), .dockerignore applied with the build files kept. */
export async function readContextFolder(dir: string, dockerfile: string): Promise<[string, ContextEntry][]> {
  const { readIgnoreFile, PatternMatcher } = await import('../images/build/dockerignore.js');
  let patterns: string[] = [];
  try {
    patterns = readIgnoreFile(readFileSync(join(dir, '.dockerignore'), 'utf8'));
  } catch {
    // No .dockerignore: everything is sent.
  }
  // TrimBuildFilesFromExcludes: the Dockerfile and .dockerignore are never excluded.
  const keep = new Set(['.dockerignore', dockerfile]);
  const matcher = new PatternMatcher(patterns);
  const out: [string, ContextEntry][] = [];
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const a = join(abs, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      if (!keep.has(r) && !matcher.empty && matcher.matchesOrParentMatches(r)) continue;
      const st = lstatSync(a);
      const mtime = st.mtime;
      if (st.isSymbolicLink()) out.push([r, { type: 'symlink', data: Buffer.alloc(0), linkname: readlinkSync(a), mtime }]);
      else if (st.isDirectory()) {
        out.push([r, { type: 'directory', data: Buffer.alloc(0), linkname: '', mtime }]);
        walk(a, r);
      } else if (st.isFile()) out.push([r, { type: 'file', data: readFileSync(a), linkname: '', mtime }]);
    }
  };
  walk(dir, '');
  return out;
}

export async function buildCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const flags = buildFlags();
  let parsed: ParsedFlags | 'help';
  try {
    parsed = flags.parse(argv);
  } catch (e) {
    if (e instanceof FlagError) throw flagError(e, BUILD_USE_LINE, `${BIN} build`);
    if (!(e instanceof HelpRequested)) throw e;
    parsed = 'help';
  }
  if (parsed === 'help' || parsed.values.get('help') === true) {
    await writeAll(ctx.stdout, commandHelp(BUILD_USE_LINE, BUILD_SHORT, flags, usageColumns(ctx.stdout.columns)));
    return 0;
  }
  const v = parsed.values;
  const str = (n: string): string => (typeof v.get(n) === 'string' ? (v.get(n) as string) : '');
  const list = (n: string): string[] => (Array.isArray(v.get(n)) ? (v.get(n) as string[]) : []);
  const bool = (n: string): boolean => v.get(n) === true;
  if (parsed.args.length !== 1) {
    throw new CliError(`${BIN}: '${BIN} build' requires 1 argument\n\nUsage:  ${BUILD_USE_LINE}\n\nSee '${BIN} build --help' for more information`, 1);
  }
  const dir = resolve(ctx.cwd, parsed.args[0]!);
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new CliError(`unable to prepare context: path "${parsed.args[0]!}" not found`, 1);
  }
  // -f: relative to the current folder as the CLI takes it; it must lie in the context here.
  let dockerfile = 'Dockerfile';
  let outside: { name: string; data: Buffer } | undefined;
  const file = str('file');
  if (file !== '') {
    const abs = resolve(ctx.cwd, file);
    const rel = relative(dir, abs);
    if (rel.startsWith('..') || rel === '' || isAbsolute(rel)) {
      // A Dockerfile outside the context is sent inside it under a new name (the CLI's
      // `.dockerfile.<random>`; DECIDED: 20 hex digits of its content's sha256).
      let data: Buffer;
      try {
        data = readFileSync(abs);
      } catch {
        throw new CliError(`unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${abs}: no such file or directory`, 1);
      }
      outside = { name: `.dockerfile.${createHash('sha256').update(data).digest('hex').slice(0, 20)}`, data };
      dockerfile = outside.name;
    } else dockerfile = rel.split(sep).join('/');
  }
  const tags: string[] = [];
  for (const t of list('tag')) {
    try {
      const s = familiarString(tagNameOnly(parseNormalizedNamed(t)));
      if (!tags.includes(s)) tags.push(s);
    } catch (e) {
      if (e instanceof ReferenceError) throw new CliError(`invalid argument "${t}" for "-t, --tag" flag: ${e.message}\n\nUsage:  ${BUILD_USE_LINE}\n\nRun '${BIN} build --help' for more information`, 125);
      throw e;
    }
  }
  // --build-arg K=V, or K alone: the value from the environment, else null (moby warns it was not consumed).
  const buildArgs: Record<string, string | null> = {};
  for (const a of list('build-arg')) {
    const eq = a.indexOf('=');
    if (eq >= 0) buildArgs[a.slice(0, eq)] = a.slice(eq + 1);
    else buildArgs[a] = ctx.env[a] ?? null;
  }
  const labels: Record<string, string> = {};
  for (const l of list('label')) {
    const eq = l.indexOf('=');
    labels[eq >= 0 ? l.slice(0, eq) : l] = eq >= 0 ? l.slice(eq + 1) : '';
  }
  const quiet = bool('quiet');

  const [{ BuildContext, tarSize }, { BuildError }] = await Promise.all([import('../images/build/context.js'), import('../images/build/errors.js')]);
  const entries = await readContextFolder(dir, dockerfile);
  if (outside) entries.push([outside.name, { type: 'file', data: outside.data, linkname: '', mtime: new Date(0) }]);
  const context = new BuildContext(entries, '\\\\?\\C:\\ProgramData\\docker\\tmp\\docker-builder' + String(entries.length));
  // What the CLI prints while it sends the context (non-terminal progress: the line, `\r`, then a newline).
  const sending = `Sending build context to Docker daemon  ${humanSize(tarSize(entries.map(([, e]) => e)))}\r\r\n`;
  let held = '';
  let heldErr = '';
  const write = (s: string, toErr = false): void => {
    if (quiet) {
      if (toErr) heldErr += s;
      else held += s;
      return;
    }
    void (toErr ? ctx.stderr : ctx.stdout).write(s);
  };
  write(sending);

  const options = hostOptionsFor(ctx);
  let host;
  try {
    host = await ctx.openHost(options);
  } catch (e) {
    throw new CliError(`${BIN}: cannot open the data root ${options.dataRoot}: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  let started = false;
  try {
    const builder = host as unknown as Partial<Pick<Host, 'build'>>;
    if (typeof builder.build !== 'function') throw new CliError(`${BIN}: this engine cannot build images`, 1);
    const id = await builder.build(
      context,
      {
        dockerfile,
        tags,
        buildArgs,
        labels,
        noCache: bool('no-cache'),
        quiet,
        remove: v.get('rm') !== false,
        forceRemove: bool('force-rm'),
        cacheFrom: list('cache-from'),
        ...(str('target') ? { target: str('target') } : {}),
        ...(str('network') && str('network') !== 'default' ? { networkMode: str('network') } : {}),
        ...(str('isolation') ? { isolation: str('isolation') } : {}),
      },
      {
        stdout: (s) => {
          started = true;
          write(s);
        },
        stderr: (s) => {
          started = true;
          write(s, true);
        },
        aux: () => {},
        // The pull's progress as the docker CLI shows it without a terminal: `id: status` lines.
        pulled: (reference, r) => {
          for (const m of pullResultMessages(reference, r)) {
            write(`${m.id ? `${m.id}: ` : ''}${m.status}\n`);
          }
        },
      },
    );
    if (quiet) await writeAll(ctx.stdout, `${id}\n`);
    if (str('iidfile')) writeFileSync(resolve(ctx.cwd, str('iidfile')), id);
    return 0;
  } catch (e) {
    // BuildError, or the engine's HostError (a FROM image that cannot be pulled, …).
    if (!(e instanceof BuildError) && !(e instanceof Error && 'status' in e)) throw e;
    if (quiet) await writeAll(ctx.stderr, held + heldErr);
    // Before the first line the daemon answers with an HTTP error, which the CLI prefixes; after, an errorDetail line printed as is.
    if (!started) throw new CliError(daemonMessage(e.message), 1);
    throw new CliError(e.message, e instanceof BuildError ? (e.code ?? 1) : 1);
  } finally {
    await host.close();
  }
}
