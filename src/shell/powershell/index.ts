/**
 * Windows PowerShell 5.1 (powershell.exe), the subset containers use:
 * `-Command`, `-File`, `-EncodedCommand`, the switches scripts pass
 * (-NoProfile, -NonInteractive, -ExecutionPolicy, -NoLogo, -NoExit), and
 * the interactive console host (banner, `PS C:\> ` prompt, `>> `
 * continuation lines) reading lines through the console's cooked read.
 *
 * Layout: parser/ (syntax), runtime/ (engine, values, operators, members),
 * format/ (Out-Default's tables and lists), providers/ (FileSystem,
 * Registry paths and items), cmdlets/ (by module).
 */
import { CTRL_BREAK_EVENT, CTRL_C_EVENT } from '../../kernel/process/constants.js';
import type { ProcessContext } from '../../kernel/process/context.js';
import { createHistory, INTERRUPTED, readConsoleLine, type Completer } from '../console/read-line.js';
import { SYSTEM32, type ShellProgram } from '../types.js';
import { ALIASES, buildCmdlets } from './cmdlets/index.js';
import { formatToText, OutDefault } from './format/format.js';
import { ParseError } from './parser/errors.js';
import { parseScript } from './parser/parser.js';
import { readText, writeText } from './providers/filesystem.js';
import { bindParameters, type RawArgument } from './runtime/commands.js';
import { ExitRequest, Runtime, type EngineHost } from './runtime/interpreter.js';
import { PSError } from './runtime/errors.js';
import { ScriptBlock } from './runtime/values.js';
import type { PowerShellLimits } from './limits.js';

export { POWERSHELL_LIMITS, type PowerShellLimits } from './limits.js';
export { parseScript } from './parser/parser.js';
export { ParseError } from './parser/errors.js';

export const POWERSHELL_PATH = `${SYSTEM32}\\WindowsPowerShell\\v1.0\\powershell.exe`;

/** The banner 5.1 prints when it starts interactively without -NoLogo. */
export const BANNER = 'Windows PowerShell\r\nCopyright (C) Microsoft Corporation. All rights reserved.\r\n\r\nTry the new cross-platform PowerShell https://aka.ms/pscore6\r\n\r\n';

/** powershell.exe's own parameters (about_PowerShell_exe), matched by unique prefix as 5.1 does. */
const SWITCHES = ['Command', 'File', 'EncodedCommand', 'NoProfile', 'NonInteractive', 'ExecutionPolicy', 'NoLogo', 'NoExit', 'InputFormat', 'OutputFormat', 'WindowStyle', 'Version', 'Sta', 'Mta', 'PSConsoleFile', 'ConfigurationName', 'Help'];
const TAKES_VALUE = new Set(['ExecutionPolicy', 'InputFormat', 'OutputFormat', 'WindowStyle', 'Version', 'PSConsoleFile', 'ConfigurationName']);

interface Options {
  command?: string;
  file?: string;
  fileArgs: string[];
  noLogo: boolean;
  noExit: boolean;
  /** -ExecutionPolicy: the Process scope's policy for this session (PSExecutionPolicyPreference). */
  executionPolicy?: string;
  error?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { fileArgs: [], noLogo: false, noExit: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!/^[-/]/.test(a) || a === '-') {
      o.command = argv.slice(i).join(' ');
      return o;
    }
    const name = a.slice(1).toLowerCase();
    // 5.1 special-cases a few short forms before prefix matching.
    const exact = name === 'c' ? 'Command' : name === 'f' ? 'File' : name === 'e' || name === 'ec' || name === 'enc' ? 'EncodedCommand' : name === 'ep' || name === 'ex' ? 'ExecutionPolicy' : name === '?' ? 'Help' : undefined;
    const matches = exact ? [exact] : SWITCHES.filter((s) => s.toLowerCase().startsWith(name));
    if (matches.length !== 1) {
      o.error = `-${a.slice(1)} : The term '-${a.slice(1)}' is not recognized`;
      o.command = argv.slice(i).join(' ');
      return o;
    }
    const s = matches[0]!;
    if (s === 'Command') {
      o.command = argv.slice(i + 1).join(' ');
      return o;
    }
    if (s === 'EncodedCommand') {
      o.command = Buffer.from(argv[i + 1] ?? '', 'base64').toString('utf16le');
      return o;
    }
    if (s === 'File') {
      o.file = argv[i + 1];
      o.fileArgs = argv.slice(i + 2);
      return o;
    }
    if (s === 'NoLogo') o.noLogo = true;
    else if (s === 'NoExit') o.noExit = true;
    else if (s === 'ExecutionPolicy') o.executionPolicy = argv[++i];
    else if (TAKES_VALUE.has(s)) i++;
  }
  return o;
}

/** The console host: Out-Default to stdout, errors to stderr. */
function consoleHost(ctx: ProcessContext): EngineHost & { formatter: OutDefault } {
  const width = ctx.console?.columns ?? 120;
  const formatter = new OutDefault(width);
  const host = {
    formatter,
    width,
    out: async (v: unknown) => {
      formatter.push(v);
    },
    flush: async () => {
      const t = formatter.take();
      if (t) await ctx.stdout.write(t);
    },
    write: async (text: string) => {
      await ctx.stdout.write(text);
    },
    writeError: async (text: string) => {
      await ctx.stderr.write(text);
    },
    formatText: (items: unknown[], w?: number) => formatToText(items, w ?? width),
  };
  return host;
}

export function createRuntime(ctx: ProcessContext, host: EngineHost, limits: Partial<PowerShellLimits> = {}): Runtime {
  const rt = new Runtime(ctx, host, limits);
  rt.cmdlets = buildCmdlets(rt);
  for (const [a, t] of Object.entries(ALIASES)) rt.aliases.set(a, t);
  rt.readFile = (path) => {
    if (!ctx.fs) throw new PSError({ message: `Cannot find path '${path}' because it does not exist.`, category: 'ObjectNotFound', reason: 'ItemNotFoundException', exceptionType: 'System.Management.Automation.ItemNotFoundException', targetName: path, targetType: 'String', activity: '', fullyQualifiedErrorId: 'PathNotFound', commandName: '' });
    return readText(ctx.fs, path, rt.fsCwd());
  };
  rt.writeFileEncoded = (path, text, append, encoding) => {
    if (ctx.fs) writeText(ctx.fs, path, rt.fsCwd(), text, append, encoding);
  };
  rt.setTopEmit(host.out);
  return rt;
}

/** Statements that need another line (an unclosed block, string or parenthesis). */
function incomplete(text: string): boolean {
  try {
    parseScript(text);
    return false;
  } catch (e) {
    if (!(e instanceof ParseError)) return false;
    if (/MissingEndCurlyBrace|TerminatorExpectedAtEndOfString|MissingEndParenthesis|MissingStatementBlock|EmptyPipeElement|ExpectedValueExpression|MissingEndCurlyBraceInHashLiteral|MissingCatchOrFinally|MissingWhileOrUntil/.test(e.errorId)) {
      return e.offset >= text.trimEnd().length - 1 || /MissingEndCurlyBrace|TerminatorExpected|HashLiteral/.test(e.errorId);
    }
    return false;
  }
}

/** Tab completion of paths: the last word becomes the first entry that starts with it. */
function pathCompleter(ctx: ProcessContext, rt: Runtime): Completer {
  return (line, cursor) => {
    const head = line.slice(0, cursor);
    const m = /(?:^|\s)("?)([^\s"]*)$/.exec(head);
    if (!m || !ctx.fs) return undefined;
    const word = m[2]!;
    const slash = word.lastIndexOf('\\');
    const dir = slash >= 0 ? word.slice(0, slash + 1) : '';
    const prefix = word.slice(slash + 1).toLowerCase();
    let names: string[];
    try {
      names = ctx.fs
        .list(dir || '.', rt.fsCwd())
        .map((f) => f.name)
        .filter((n) => n.toLowerCase().startsWith(prefix))
        .sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
    } catch {
      return undefined;
    }
    if (names.length === 0) return undefined;
    let completed = (dir || '.\\') + names[0];
    if (/\s/.test(completed)) completed = `'${completed}'`;
    const start = cursor - word.length - m[1]!.length;
    const next = line.slice(0, start) + completed + line.slice(cursor);
    return { line: next, cursor: start + completed.length };
  };
}

async function interactive(ctx: ProcessContext, rt: Runtime, host: EngineHost, noLogo: boolean): Promise<number> {
  if (!noLogo) await ctx.stdout.write(BANNER);
  // Ctrl+C stops the running command, not the shell (the console host's own handler).
  let running = false;
  ctx.onConsoleCtrl((event) => {
    if (event !== CTRL_C_EVENT && event !== CTRL_BREAK_EVENT) return false;
    if (running) rt.interrupted = true;
    return true;
  });
  const history = createHistory(4096);
  const complete = pathCompleter(ctx, rt);
  for (;;) {
    await ctx.stdout.write(`PS ${rt.location}> `);
    let text = '';
    for (;;) {
      const line = await readConsoleLine(ctx, { history, complete });
      if (line === null) return 0;
      if (line === INTERRUPTED) {
        await ctx.stdout.write('\r\n');
        text = '';
        break;
      }
      text += (text ? '\n' : '') + line;
      if (!incomplete(text)) break;
      await ctx.stdout.write('>> ');
    }
    if (text.trim() === '') continue;
    rt.setVar('global:__history', history.entries.slice());
    running = true;
    const r = await runGuarded(rt, host, text).finally(() => {
      running = false;
    });
    if (r.exit !== undefined) return r.exit;
  }
}

async function runGuarded(rt: Runtime, host: EngineHost, text: string, file?: string): Promise<{ exit?: number; failed: boolean; terminated?: boolean }> {
  try {
    const r = await rt.runTopLevel(text, file);
    return r;
  } catch (e) {
    if (e instanceof ExitRequest) return { exit: e.code, failed: false };
    throw e;
  } finally {
    const f = (host as { formatter?: OutDefault }).formatter;
    if (f) {
      f.close();
      await host.flush();
    }
  }
}

export async function powershellMain(ctx: ProcessContext, limits: Partial<PowerShellLimits> = {}): Promise<number> {
  const opts = parseArgs(ctx.argv.slice(1));
  // The Process scope's policy lives in the process environment, where its children find it too.
  if (opts.executionPolicy !== undefined) ctx.env.set('PSExecutionPolicyPreference', opts.executionPolicy);
  const host = consoleHost(ctx);
  const rt = createRuntime(ctx, host, limits);
  if (opts.file !== undefined) {
    const path = ctx.fs ? ctx.fs.fullPath(opts.file, ctx.cwd) : opts.file;
    if (!/\.ps1$/i.test(opts.file)) {
      await ctx.stderr.write(`Processing -File '${opts.file}' failed because the file does not have a '.ps1' extension. Specify a valid Windows PowerShell script file name, and then try again.\r\n`);
      return -196608;
    }
    let text: string;
    try {
      text = rt.readFile(path);
    } catch {
      await ctx.stderr.write(`The argument '${opts.file}' to the -File parameter does not exist. Provide the path to an existing '.ps1' file as an argument to the -File parameter.\r\n`);
      return -196608;
    }
    let ast;
    try {
      ast = parseScript(text);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      await runGuarded(rt, host, text, path);
      return 1;
    }
    rt.global.vars.set('psscriptroot', { name: 'PSScriptRoot', value: path.slice(0, path.lastIndexOf('\\')) });
    rt.global.vars.set('pscommandpath', { name: 'PSCommandPath', value: path });
    // Script parameters from the remaining arguments (`-File x.ps1 -Name v`).
    if (ast.params.length || opts.fileArgs.length) {
      const raw: RawArgument[] = opts.fileArgs.map((a) => (/^-[A-Za-z_]/.test(a) ? { param: a.slice(1).replace(/:$/, ''), hasValue: false, ext: { start: 0, end: 0 } } : { value: a, hasValue: true, ext: { start: 0, end: 0 } }));
      try {
        const { bound, extra } = bindParameters(path, ast.params.map((p, i) => ({ name: p.name, position: p.position ?? i, switch: p.type !== undefined && /switch/i.test(p.type) })), raw, true);
        for (const p of ast.params) {
          const k = p.name.toLowerCase();
          if (bound.has(k)) rt.setVar(p.name, bound.get(k));
        }
        rt.setVar('args', extra);
      } catch (e) {
        if (e instanceof PSError) {
          await rt.reportTerminating(e);
          return 1;
        }
        throw e;
      }
    }
    // Defaults and mandatory checks run as the script's own param block would.
    const r = await runGuarded(rt, host, text, path);
    if (opts.noExit) return interactive(ctx, rt, host, true);
    if (r.exit !== undefined) return r.exit;
    // about_PowerShell_exe: with -File, normal termination is exit code 0; a terminating error is 1.
    return r.terminated ? 1 : 0;
  }
  if (opts.command !== undefined) {
    let text = opts.command;
    if (text.trim() === '-') text = await ctx.stdin.readText();
    const r = await runGuarded(rt, host, text);
    if (opts.noExit) return interactive(ctx, rt, host, true);
    if (r.exit !== undefined) return r.exit;
    return r.failed ? 1 : 0;
  }
  if (!ctx.stdin.isConsole) {
    // Commands piped in without -Command: each line runs in turn (DECIDED: no prompts, as -Command - does).
    let last = { failed: false } as { exit?: number; failed: boolean };
    for (let line = await ctx.stdin.readLine(); line !== null; line = await ctx.stdin.readLine()) {
      if (line.trim() === '') continue;
      last = await runGuarded(rt, host, line);
      if (last.exit !== undefined) return last.exit;
    }
    return last.failed ? 1 : 0;
  }
  return interactive(ctx, rt, host, opts.noLogo);
}

export const powershellPrograms: readonly ShellProgram[] = [
  {
    path: POWERSHELL_PATH,
    program: async (ctx) => {
      try {
        return await powershellMain(ctx);
      } catch (e) {
        if (process.env.WINSILO_PS_DEBUG) await ctx.stderr.write(String((e as Error)?.stack ?? e));
        throw e;
      }
    },
  },
];

export { Runtime, ScriptBlock };
