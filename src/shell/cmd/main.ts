/**
 * cmd.exe's main (Microsoft Learn "cmd"): its switches, `/C` and `/K`,
 * and the prompt loop — at a console (banner, prompt, cooked reads with
 * file-name completion) or reading commands from a pipe (each echoed after
 * the prompt, as cmd does when its input is not a console).
 *
 * Switches: /C /K /S /Q /D /A /U /T:fg /E:ON|OFF /F:ON|OFF /V:ON|OFF (and
 * /X = /E:ON, /Y = /E:OFF). The /C and /K quote rule: the command's first
 * and last quotes are removed unless all of — no /S, exactly two quotes, no
 * special character (&<>()@^|) between them, whitespace between them, and
 * the quoted text names an executable file — hold.
 */
import { windowsVersion } from '../windows-version.js';
import type { ProcessContext } from '../../kernel/process/context.js';
import { ProcessExitSignal } from '../../kernel/process/context.js';
import { CTRL_BREAK_EVENT, CTRL_C_EVENT } from '../../kernel/process/constants.js';
import type { Program } from '../../kernel/process/programs.js';
import { INTERRUPTED, createHistory, readConsoleLine } from '../console/read-line.js';
import { internalCommands } from './builtins/index.js';
import { completer } from './complete.js';
import { Interpreter, StepBudgetExceeded } from './interpreter.js';
import { CMD_LIMITS, type CmdLimits } from './limits.js';
import { MSG } from './messages.js';
import { searchCommand } from './search.js';

export interface CmdSwitches {
  command: string | undefined;
  /** /E: or /V: given (the registry defaults apply otherwise). */
  extensionsGiven: boolean;
  delayedGiven: boolean;
  /** /K: stay at the prompt after the command. */
  keep: boolean;
  s: boolean;
  q: boolean;
  d: boolean;
  extensions: boolean;
  delayed: boolean;
  /** /T:fg — the screen colours (two hex digits, COLOR's form). */
  color?: string;
}

/** The command line after the program's own name (GetCommandLine's first token skipped). */
export function afterProgramName(commandLine: string): string {
  let i = 0;
  if (commandLine.startsWith('"')) {
    const end = commandLine.indexOf('"', 1);
    i = end < 0 ? commandLine.length : end + 1;
  } else {
    while (i < commandLine.length && commandLine[i] !== ' ' && commandLine[i] !== '\t' && commandLine[i] !== '/') i++;
  }
  return commandLine.slice(i);
}

export function parseSwitches(rest: string): CmdSwitches {
  const sw: CmdSwitches = { command: undefined, extensionsGiven: false, delayedGiven: false, keep: false, s: false, q: false, d: false, extensions: true, delayed: false };
  let i = 0;
  for (;;) {
    while (i < rest.length && (rest[i] === ' ' || rest[i] === '\t')) i++;
    if (rest[i] !== '/') break;
    const letter = (rest[i + 1] ?? '').toLowerCase();
    if (letter === 'c' || letter === 'k') {
      sw.keep = letter === 'k';
      sw.command = rest.slice(i + 2);
      return sw;
    }
    let j = i + 2;
    let value = '';
    if (rest[j] === ':') {
      j++;
      const start = j;
      while (j < rest.length && rest[j] !== ' ' && rest[j] !== '\t' && rest[j] !== '/') j++;
      value = rest.slice(start, j).toLowerCase();
    }
    switch (letter) {
      case 's':
        sw.s = true;
        break;
      case 'q':
        sw.q = true;
        break;
      case 'd':
        sw.d = true;
        break;
      case 'e':
        sw.extensions = value !== 'off';
        sw.extensionsGiven = true;
        break;
      case 'v':
        sw.delayed = value === 'on' || value === '';
        sw.delayedGiven = true;
        break;
      case 'x':
        sw.extensions = true;
        break;
      case 'y':
        sw.extensions = false;
        break;
      case 't':
        sw.color = value;
        break;
      default:
        break; // /A /U /F: accepted, nothing to do here
    }
    i = j;
  }
  return sw;
}

/** The /C /K text after the quote rule. */
export function applyQuoteRule(command: string, sw: CmdSwitches, isExecutable: (name: string) => boolean): string {
  const text = command.replace(/^[ \t]+/, '');
  if (!text.startsWith('"')) return text;
  const quotes = (text.match(/"/g) ?? []).length;
  if (!sw.s && quotes === 2) {
    const end = text.indexOf('"', 1);
    const inner = text.slice(1, end);
    if (!/[&<>()@^|]/.test(inner) && /[ \t]/.test(inner) && isExecutable(inner)) return text;
  }
  const last = text.lastIndexOf('"');
  return last > 0 ? text.slice(1, last) + text.slice(last + 1) : text.slice(1);
}

/**
 * cmd's registry settings (Microsoft Learn "cmd": HKLM and HKCU
 * `Software\Microsoft\Command Processor`, HKCU winning): EnableExtensions
 * and DelayedExpansion (DWORD 1/0) as defaults for /E and /V, and AutoRun,
 * commands run before anything else unless /D.
 */
function processorSettings(ctx: ProcessContext): { extensions?: boolean; delayed?: boolean; defaultColor?: number; autoRun: string[] } {
  const out: { extensions?: boolean; delayed?: boolean; defaultColor?: number; autoRun: string[] } = { autoRun: [] };
  for (const root of ['HKLM', 'HKCU']) {
    const key = `${root}\\Software\\Microsoft\\Command Processor`;
    const read = (name: string) => {
      try {
        return ctx.registry?.getValue(key, name);
      } catch {
        return undefined;
      }
    };
    const ext = read('EnableExtensions');
    if (ext && typeof ext.data === 'number') out.extensions = ext.data !== 0;
    const del = read('DelayedExpansion');
    if (del && typeof del.data === 'number') out.delayed = del.data !== 0;
    // DefaultColor: a DWORD, or a REG_SZ in decimal (Wine's cmd notes the same); 0 means none.
    const color = read('DefaultColor');
    const c = color ? (typeof color.data === 'number' ? color.data : typeof color.data === 'string' ? Number.parseInt(color.data, 10) : NaN) : NaN;
    if (Number.isInteger(c) && c > 0 && c <= 0xff) out.defaultColor = c;
    const auto = read('AutoRun');
    if (auto && typeof auto.data === 'string' && auto.data.trim() !== '') out.autoRun.push(auto.data);
  }
  return out;
}

export function createCmdProgram(limits: CmdLimits = CMD_LIMITS): Program {
  return async (ctx) => {
    const sw = parseSwitches(afterProgramName(ctx.commandLine));
    const settings = processorSettings(ctx);
    if (!sw.extensionsGiven && settings.extensions !== undefined) sw.extensions = settings.extensions;
    if (!sw.delayedGiven && settings.delayed !== undefined) sw.delayed = settings.delayed;
    const version = windowsVersion(ctx);
    const interp = new Interpreter(
      ctx,
      { limits, builtins: internalCommands(), echo: !sw.q, delayed: sw.delayed, extensions: sw.extensions, version },
      { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr },
    );
    // COLOR's "color cmd started with" (COLOR /?): /T:fg, else the DefaultColor registry value, else the console's.
    const start = startColor(sw.color, settings.defaultColor);
    if (start !== undefined) {
      interp.defaultColor = start;
      // Only an interactive cmd paints it at start: `cmd /c` leaves the console's colours alone.
      if ((sw.command === undefined || sw.keep) && ctx.stdout.isConsole && ctx.console) ctx.console.fillAttributes(start);
    } else if (ctx.console) interp.defaultColor = ctx.console.attributes;
    // cmd survives Ctrl+C and Ctrl+Break: the running internal command is aborted, a child gets the event itself.
    ctx.onConsoleCtrl((event) => {
      if (event !== CTRL_C_EVENT && event !== CTRL_BREAK_EVENT) return false;
      interp.ctrlC.abort();
      interp.ctrlC = new AbortController();
      if (interp.inBatch) interp.interrupted = true;
      return true;
    });
    try {
      if (!sw.d) {
        for (const line of settings.autoRun) {
          await interp.runLine(line);
          if (interp.unwind === 'exitProcess') return interp.exitCode;
          interp.unwind = 'none';
        }
      }
      if (sw.command !== undefined) {
        const fs = ctx.fs;
        const text = applyQuoteRule(sw.command, sw, (name) => {
          if (!fs) return false;
          return searchCommand(fs, name, ctx.cwd, ctx.env.get('PATH'), ctx.env.get('PATHEXT')).kind === 'found';
        });
        await interp.runLine(text);
        if (interp.unwind === 'exitProcess') return interp.exitCode;
        interp.unwind = 'none';
        if (!sw.keep) return interp.errorlevel;
      }
      return await promptLoop(ctx, interp, sw.command === undefined);
    } catch (e) {
      if (e instanceof StepBudgetExceeded) return interp.exitCode;
      if (e instanceof ProcessExitSignal) throw e;
      throw e;
    }
  };
}

/** The start-up colours from /T:fg or DefaultColor; undefined when neither gives usable ones (same foreground and background). */
function startColor(t: string | undefined, registry: number | undefined): number | undefined {
  let c: number | undefined;
  if (t !== undefined && /^[0-9a-f]{1,2}$/.test(t)) c = Number.parseInt(t, 16);
  else if (t === undefined) c = registry;
  if (c === undefined || (c & 0x0f) === (c >> 4)) return undefined;
  return c;
}

/** The banner a new interactive cmd.exe prints. */
export function banner(version: string): string {
  return `Microsoft Windows [Version ${version}]\r\n(c) Microsoft Corporation. All rights reserved.\r\n`;
}

class NeedMore extends Error {}

async function promptLoop(ctx: ProcessContext, interp: Interpreter, showBanner: boolean): Promise<number> {
  const consoleIn = ctx.stdin.isConsole;
  const history = createHistory();
  const complete = completer(ctx);
  if (showBanner) await ctx.stdout.write(banner(interp.options.version));
  let blankBefore = true;
  for (;;) {
    // After CLS the prompt goes on the cleared screen's first row (ReactOS's cls.c sets bIgnoreEcho for it).
    if (interp.echo) await ctx.stdout.write(`${blankBefore && !interp.screenCleared ? '\r\n' : ''}${interp.prompt()}`);
    interp.screenCleared = false;
    const line = await readConsoleLine(ctx, { history, complete });
    if (line === null) return interp.errorlevel;
    if (line === INTERRUPTED) {
      await ctx.stdout.write('^C\r\n');
      blankBefore = false;
      continue;
    }
    // With its input not a console, cmd shows each command it read after the prompt.
    if (!consoleIn && interp.echo) await ctx.stdout.write(`${line}\r\n`);
    if (line.trim() === '') {
      blankBefore = false;
      continue;
    }
    blankBefore = true;
    const lines = [line];
    for (;;) {
      let k = 1;
      try {
        await interp.runLine(lines[0]!, () => {
          if (k < lines.length) return lines[k++]!;
          throw new NeedMore();
        });
        break;
      } catch (e) {
        if (!(e instanceof NeedMore)) throw e;
        await ctx.stdout.write(MSG.more);
        const next = await readConsoleLine(ctx, { history });
        if (next === null || next === INTERRUPTED) break;
        if (!consoleIn) await ctx.stdout.write(`${next}\r\n`);
        lines.push(next);
      }
    }
    if (interp.unwind === 'exitProcess') return interp.exitCode;
    interp.unwind = 'none';
  }
}
