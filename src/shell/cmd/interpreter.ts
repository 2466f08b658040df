/**
 * The interpreter: runs parsed commands (phases 3–7 of cmd's line parser),
 * batch files line by line, the internal commands, and external programs.
 *
 * State follows cmd.exe's: ECHO, command extensions, delayed expansion,
 * ERRORLEVEL, the batch context stack (each CALL or batch file a frame
 * holding its file, position, arguments and SETLOCAL count), the SETLOCAL
 * stack, the PUSHD stack. Variables live in the process environment, as
 * cmd keeps them (SetEnvironmentVariable), so children inherit them.
 *
 * Control transfer (GOTO, EXIT, EXIT /B) is a state the run loops look at
 * (`unwind`), not an exception.
 */
import type { ProcessContext } from '../../kernel/process/context.js';
import { ProcessExitSignal } from '../../kernel/process/context.js';
import type { InputStream, OutputStream } from '../../kernel/process/pipe.js';
import { Pipe, decodeText } from '../../kernel/process/pipe.js';
import { ERROR_NO_DATA, Win32Error, win32Message } from '../../core/win32.js';
import type { Command, Redirection } from './ast.js';
import type { BuiltinContext } from './builtin.js';
import { PathOperatorError, delayedExpand, forSubstitute, percentExpand, type ExpansionScope } from './expand.js';
import { execFor } from './builtins/for.js';
import { CMD_LIMITS, type CmdLimits } from './limits.js';
import { ERRORLEVEL_NOT_RECOGNIZED, MSG } from './messages.js';
import { applyModifiers } from './modifiers.js';
import { CmdSyntaxError, flattenSeq, isDelimiter, parseLine, unparse } from './parser.js';
import { expandPrompt } from './prompt.js';
import { BufferInput, FileOutput, NUL, deviceName, readWholeFile } from './redirect.js';
import { searchCommand } from './search.js';

/** The standard handles a command runs with. */
export interface Io {
  readonly stdin: InputStream;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /**
   * Handles 3–9 a block's redirection opened (`(echo x 1>&3) 3>f`): cmd
   * redirects its own handle table, so commands inside the block see them.
   */
  readonly more?: readonly (InputStream | OutputStream | undefined)[];
}

/** An internal command as the interpreter runs it: the contract's context plus the interpreter. */
export interface CmdContext extends BuiltinContext {
  readonly interp: Interpreter;
}
export type InternalCommand = (bc: CmdContext, args: string) => Promise<number | undefined>;

/** One running batch file or CALLed label. */
export interface BatchFrame {
  /** Full path of the batch file. */
  readonly path: string;
  readonly text: string;
  /** Offset of the next line to read. */
  pos: number;
  /** %0, %1, … as typed (quotes kept). */
  args: string[];
  /** `%*`: the argument text as typed. */
  readonly allArgs: string;
  readonly parent: BatchFrame | undefined;
  /** SETLOCALs opened in this frame (ended when it ends). */
  setlocals: number;
  /** A `.cmd` file (SET, PATH, PROMPT, ASSOC, FTYPE clear ERRORLEVEL on success there, not in `.bat`). */
  readonly isCmd: boolean;
  done: boolean;
}

interface SavedScope {
  readonly env: string[];
  readonly cwd: string;
  readonly delayed: boolean;
  readonly extensions: boolean;
  readonly frame: BatchFrame | undefined;
}

export type Unwind = 'none' | 'goto' | 'exitBatch' | 'exitProcess' | 'abortBatch';

export interface InterpreterOptions {
  readonly limits?: CmdLimits;
  readonly builtins: ReadonlyMap<string, InternalCommand>;
  readonly echo: boolean;
  readonly delayed: boolean;
  readonly extensions: boolean;
  readonly version: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export class Interpreter {
  readonly limits: CmdLimits;
  echo: boolean;
  delayed: boolean;
  extensions: boolean;
  errorlevel = 0;
  frame: BatchFrame | undefined = undefined;
  unwind: Unwind = 'none';
  exitCode = 0;
  readonly scopes: SavedScope[] = [];
  readonly dirStack: string[] = [];
  /** FOR variables in scope, innermost last. */
  forVars = new Map<string, string>();
  steps = 0;
  callDepth = 0;
  verify = false;
  /** The colours COLOR with no argument restores: what cmd started with (/T:fg, DefaultColor, or the console's). */
  defaultColor = 0x07;
  /** CLS cleared the console: the next prompt has no blank line before it. */
  screenCleared = false;
  /** Aborted by Ctrl+C for the command running now; replaced after each interrupt. */
  ctrlC = new AbortController();
  interrupted = false;
  private randomState: number;

  constructor(
    readonly ctx: ProcessContext,
    readonly options: InterpreterOptions,
    readonly io: Io,
  ) {
    this.limits = options.limits ?? CMD_LIMITS;
    this.echo = options.echo;
    this.delayed = options.delayed;
    this.extensions = options.extensions;
    // %RANDOM%: seeded from the process (no unseeded randomness: style §).
    this.randomState = (ctx.pid * 2654435761 + ctx.now()) >>> 0 || 1;
  }

  get inBatch(): boolean {
    return this.frame !== undefined;
  }

  // ---- variables ---------------------------------------------------------------

  /** A variable as %VAR% sees it: the environment, then cmd's dynamic variables (set /? lists them). */
  getVar = (name: string): string | undefined => {
    const v = this.ctx.env.get(name);
    if (v !== undefined) return v;
    if (!this.extensions) return undefined;
    switch (name.toUpperCase()) {
      case 'CD':
        return this.ctx.cwd;
      case '__CD__':
        return this.ctx.cwd.endsWith('\\') ? this.ctx.cwd : this.ctx.cwd + '\\';
      case 'DATE':
        return this.dateString();
      case 'TIME':
        return this.timeString();
      case 'RANDOM':
        return String(this.random());
      case 'ERRORLEVEL':
        return String(this.errorlevel);
      case 'CMDEXTVERSION':
        return '2';
      case 'CMDCMDLINE':
        return this.ctx.commandLine;
      case 'HIGHESTNUMANODENUMBER':
        return '0';
      case '__APPDIR__':
        return this.ctx.imagePath.replace(/[^\\]*$/, '');
    }
    return undefined;
  };

  setVar(name: string, value: string | undefined): void {
    this.ctx.env.set(name, value === '' ? undefined : value);
  }

  private random(): number {
    // xorshift32, 0..32767 as %RANDOM% gives.
    let x = this.randomState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.randomState = x >>> 0;
    return this.randomState % 32768;
  }

  /** `%DATE%`: `Mon 11/23/2026` (en-US short date with the day name, as servercore's default locale shows it). UTC. */
  dateString(): string {
    const d = new Date(this.ctx.now());
    return `${DAYS[d.getUTCDay()]} ${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${d.getUTCFullYear()}`;
  }

  /** `%TIME%`: `H:MM:SS.hh`, the hour space-padded. UTC. */
  timeString(): string {
    const d = new Date(this.ctx.now());
    return `${String(d.getUTCHours()).padStart(2, ' ')}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${pad2(Math.floor(d.getUTCMilliseconds() / 10))}`;
  }

  prompt(): string {
    return expandPrompt(this.ctx.env.get('PROMPT') ?? '$P$G', {
      cwd: this.ctx.cwd,
      date: this.dateString(),
      time: this.timeString(),
      version: `Microsoft Windows [Version ${this.options.version}]`,
      pushdDepth: this.dirStack.length,
    });
  }

  /** What phase 1 reads in the current context. */
  scope(): ExpansionScope {
    const f = this.frame;
    return {
      batch: f !== undefined,
      get: this.getVar,
      arg: (n) => (f ? f.args[n] : undefined),
      allArgs: () => (f ? f.allArgs : ''),
      modify: (mods, value) => this.modify(mods, value, f),
    };
  }

  modify(mods: string, value: string, frame?: BatchFrame): string {
    // %~f0 names the running batch file even when %0 was typed without its path or extension.
    if (frame && value !== '' && /[fdpnx]/i.test(mods) && value.replace(/"/g, '') === frame.args[0]?.replace(/"/g, '')) value = frame.path;
    return applyModifiers(mods, value, { fs: this.ctx.fs, cwd: this.ctx.cwd, getVar: this.getVar });
  }

  // ---- output --------------------------------------------------------------------

  /** cmd's own output: a failed write (a closed pipe, a full disk) is not an error of the command. */
  async out(io: Io, text: string): Promise<void> {
    try {
      await io.stdout.write(text);
    } catch (e) {
      if (!(e instanceof Win32Error)) throw e;
    }
  }

  async err(io: Io, text: string): Promise<void> {
    try {
      await io.stderr.write(text);
    } catch (e) {
      if (!(e instanceof Win32Error)) throw e;
    }
  }

  // ---- lines ---------------------------------------------------------------------

  /**
   * Runs one line typed at the prompt or given to /C or /K (command-line
   * mode: undefined variables stay as typed). `more` supplies further
   * lines for an open block.
   */
  async runLine(line: string, more: () => string | null = () => null): Promise<void> {
    const scope = this.scope();
    let cmd: Command | undefined;
    try {
      const expanded = percentExpand(line, scope);
      if (expanded.length > this.limits.maxLineLength) {
        await this.err(this.io, MSG.lineTooLong);
        this.errorlevel = 1;
        return;
      }
      cmd = parseLine(expanded, () => {
        const l = more();
        return l === null ? null : percentExpand(l, scope);
      });
    } catch (e) {
      if (e instanceof CmdSyntaxError) {
        await this.err(this.io, e.output);
        this.errorlevel = 255;
        return;
      }
      if (e instanceof PathOperatorError) {
        await this.err(this.io, MSG.invalidPathOperator(e.text));
        return;
      }
      throw e;
    }
    if (cmd) await this.exec(cmd, this.io);
  }

  // ---- batch files -----------------------------------------------------------------

  /** Reads the next physical line of the frame (CRs removed, as phase 2 drops them); null at end of file. */
  private nextLine(f: BatchFrame): string | null {
    if (f.pos >= f.text.length) return null;
    const nl = f.text.indexOf('\n', f.pos);
    const end = nl < 0 ? f.text.length : nl;
    const line = f.text.slice(f.pos, end).replace(/\r/g, '');
    f.pos = end + 1;
    return line;
  }

  /** Runs a frame to its end (or until GOTO :EOF, EXIT /B, EXIT). */
  async runFrame(f: BatchFrame): Promise<void> {
    const saved = this.frame;
    const savedVars = this.forVars;
    this.frame = f;
    this.forVars = new Map();
    this.callDepth++;
    try {
      while (!f.done) {
        if (this.unwind === 'exitProcess' || this.unwind === 'abortBatch') break;
        this.unwind = 'none';
        const raw = this.nextLine(f);
        if (raw === null) break;
        await this.tick();
        const first = raw.replace(/^[ \t,;=@]+/, '');
        if (first.startsWith(':')) continue; // a label
        const scope = this.scope();
        let cmd: Command | undefined;
        try {
          const expanded = percentExpand(raw, scope);
          if (expanded.length > this.limits.maxLineLength) {
            // "The input line is too long." ends batch processing (ss64 "Command line limitations").
            await this.err(this.io, MSG.lineTooLong);
            this.errorlevel = 1;
            this.unwind = 'abortBatch';
            break;
          }
          cmd = parseLine(expanded, () => {
            const l = this.nextLine(f);
            return l === null ? null : percentExpand(l, scope);
          });
        } catch (e) {
          if (e instanceof CmdSyntaxError) {
            // A syntax error ends batch processing altogether.
            await this.err(this.io, e.output);
            this.errorlevel = 255;
            this.unwind = 'abortBatch';
            break;
          }
          if (e instanceof PathOperatorError) {
            await this.err(this.io, MSG.invalidPathOperator(e.text));
            continue;
          }
          throw e;
        }
        if (!cmd) continue;
        if (this.echo && !cmd.quiet && cmd.kind !== 'label') {
          await this.out(this.io, `\r\n${this.prompt()}${unparse(cmd)}\r\n`);
        }
        await this.exec(cmd, this.io);
        if (this.interrupted) await this.askTerminate();
      }
    } finally {
      // The frame's SETLOCALs end with it (an implicit ENDLOCAL per level).
      while (f.setlocals > 0) this.endlocal();
      f.done = true;
      this.frame = saved;
      this.forVars = savedVars;
      this.callDepth--;
      if (this.unwind === 'exitBatch' || this.unwind === 'goto') this.unwind = 'none';
    }
  }

  /** Ctrl+C during a batch file: Windows asks before ending it. */
  private async askTerminate(): Promise<void> {
    this.interrupted = false;
    if (!this.frame) return;
    for (;;) {
      await this.err(this.io, MSG.terminateBatch);
      const answer = await this.io.stdin.readLine().catch(() => null);
      if (answer === null) {
        await this.err(this.io, '\r\n');
        this.unwind = 'abortBatch';
        return;
      }
      const a = answer.trim().toUpperCase();
      if (a === 'Y') {
        this.unwind = 'abortBatch';
        return;
      }
      if (a === 'N') return;
    }
  }

  /** Starts a batch file: `name` as typed (%0), `args` the text after it. */
  async runBatchFile(path: string, name: string, argText: string, call: boolean): Promise<void> {
    if (this.callDepth >= this.limits.maxCallDepth) {
      await this.err(this.io, MSG.recursion(this.callDepth));
      this.unwind = 'abortBatch';
      return;
    }
    let text: string;
    try {
      text = decodeText(readWholeFile(this.ctx.fs!, path, this.ctx.cwd));
    } catch {
      await this.err(this.io, MSG.batchNotFound);
      this.errorlevel = 1;
      return;
    }
    const frame: BatchFrame = {
      path,
      text,
      pos: 0,
      args: [name, ...splitArgs(argText)],
      allArgs: argText.replace(/^[ \t,;=]+/, ''),
      parent: call ? this.frame : this.frame?.parent,
      setlocals: 0,
      isCmd: /\.cmd$/i.test(path),
      done: false,
    };
    const caller = this.frame;
    await this.runFrame(frame);
    // Without CALL, the calling batch file does not resume (control was handed over).
    if (!call && caller) caller.done = true;
  }

  /** `call :label args`: a new frame over the same file, starting after the label. */
  async callLabel(label: string, argText: string): Promise<number | undefined> {
    const f = this.frame!;
    const pos = findLabel(f.text, label, 0);
    if (pos < 0) {
      await this.err(this.io, MSG.labelNotFound(label));
      return 1;
    }
    if (this.callDepth >= this.limits.maxCallDepth) {
      await this.err(this.io, MSG.recursion(this.callDepth));
      this.unwind = 'abortBatch';
      return undefined;
    }
    const frame: BatchFrame = {
      path: f.path,
      text: f.text,
      pos,
      args: [`:${label}`, ...splitArgs(argText)],
      allArgs: argText.replace(/^[ \t,;=]+/, ''),
      parent: f,
      setlocals: 0,
      isCmd: f.isCmd,
      done: false,
    };
    await this.runFrame(frame);
    return undefined;
  }

  /** GOTO: the line after the label, searching from the current position then from the top. */
  async goto(label: string): Promise<boolean> {
    const f = this.frame;
    if (!f) return false;
    if (this.extensions && label.toLowerCase() === ':eof') {
      f.done = true;
      this.unwind = 'goto';
      return true;
    }
    const name = label.replace(/^:/, '');
    let pos = findLabel(f.text, name, f.pos);
    if (pos < 0) pos = findLabel(f.text, name, 0);
    if (pos < 0) {
      await this.err(this.io, MSG.labelNotFound(name));
      this.errorlevel = 1;
      this.unwind = 'abortBatch';
      return false;
    }
    f.pos = pos;
    this.unwind = 'goto';
    return true;
  }

  // ---- SETLOCAL ------------------------------------------------------------------------

  setlocal(): boolean {
    if (this.scopes.length >= this.limits.maxSetlocalDepth) return false;
    this.scopes.push({ env: this.ctx.env.toStrings(), cwd: this.ctx.cwd, delayed: this.delayed, extensions: this.extensions, frame: this.frame });
    if (this.frame) this.frame.setlocals++;
    return true;
  }

  /** ENDLOCAL: only a SETLOCAL of the current batch level can be ended. */
  endlocal(): void {
    const top = this.scopes[this.scopes.length - 1];
    if (!top || top.frame !== this.frame) {
      if (!this.frame) return;
      // The frame's own count went out of step (should not happen): stop.
      if (this.frame.setlocals > 0) this.frame.setlocals = 0;
      return;
    }
    this.scopes.pop();
    if (this.frame) this.frame.setlocals--;
    const env = this.ctx.env;
    for (const s of env.toStrings()) {
      const eq = s.indexOf('=', 1);
      env.set(s.slice(0, eq), undefined);
    }
    for (const s of top.env) {
      const eq = s.indexOf('=', 1);
      env.set(s.slice(0, eq), s.slice(eq + 1));
    }
    try {
      this.ctx.chdir(top.cwd);
    } catch {
      /* the directory went away: stay where we are */
    }
    this.delayed = top.delayed;
    this.extensions = top.extensions;
  }

  // ---- execution -----------------------------------------------------------------------------

  /** Counts a step; lets the host's event loop have its turns; stops at the step budget. */
  async tick(): Promise<void> {
    this.steps++;
    if (this.steps > this.limits.maxSteps) {
      this.unwind = 'exitProcess';
      this.exitCode = 1;
      throw new StepBudgetExceeded();
    }
    // SwitchToThread each step: once the kernel's slice is spent the host's event loop takes a turn
    // (src/kernel/process/scheduler.ts) — a count of commands would not bound it, a `start` costs far more than an `echo`.
    // (`?.`: the tests' stand-in contexts do not offer it.)
    await this.ctx.switchToThread?.();
  }

  /** Runs a command tree; returns its status for `&&`/`||` (0 success). */
  async exec(cmd: Command, io: Io): Promise<number> {
    if (this.unwind !== 'none') return 0;
    switch (cmd.kind) {
      case 'label':
      case 'rem':
        return 0;
      case 'seq': {
        // Iteratively: a block of many lines is a deep tree.
        let s = 0;
        for (const part of flattenSeq(cmd)) {
          s = await this.exec(part, io);
          if (this.unwind !== 'none') return 0;
        }
        return s;
      }
      case 'and':
      case 'or': {
        // `a && b || c …` is left-associative: walk down the left spine, then run left to right.
        const chain: Extract<Command, { left: Command }>[] = [];
        let base: Command = cmd;
        while ((base.kind === 'and' || base.kind === 'or') && 'left' in base) {
          chain.push(base);
          base = base.left;
        }
        let s = await this.exec(base, io);
        for (let k = chain.length - 1; k >= 0; k--) {
          if (this.unwind !== 'none') return s;
          const link = chain[k]!;
          if ((link.kind === 'and') === (s === 0)) s = await this.exec(link.right, io);
        }
        return s;
      }
      case 'pipe':
        return this.execPipe(cmd.left, cmd.right, io);
      case 'block': {
        const r = await this.withRedirections(cmd.redirs, io, (io2) => (cmd.body ? this.exec(cmd.body, io2) : Promise.resolve(0)));
        return r;
      }
      case 'if':
        return this.execIf(cmd, io);
      case 'for':
        return execFor(this, cmd, io);
      case 'simple':
        return this.execSimple(cmd.text, cmd.redirs, io);
    }
  }

  /** The FOR body as echoed: its variables replaced. */
  expandForEcho(text: string): string {
    return forSubstitute(text, this.forVars, (m, v) => this.modify(m, v));
  }

  /** Phases 4 and 5 on a piece of command text. */
  expandAtRun(text: string): string {
    let t = forSubstitute(text, this.forVars, (m, v) => this.modify(m, v));
    if (this.delayed) t = delayedExpand(t, this.getVar, this.inBatch);
    return t;
  }

  private async execIf(cmd: Extract<Command, { kind: 'if' }>, io: Io): Promise<number> {
    await this.tick();
    const t = cmd.test;
    let result: boolean;
    const ex = (s: string) => this.expandAtRun(s);
    switch (t.kind) {
      case 'exist': {
        const p = ex(t.path).replace(/"/g, '');
        result = this.exists(p);
        break;
      }
      case 'defined':
        result = this.getVar(ex(t.name)) !== undefined;
        break;
      case 'errorlevel': {
        const n = parseIntStrict(ex(t.value));
        if (n === undefined) {
          await this.err(io, MSG.syntax);
          this.errorlevel = 255;
          return 1;
        }
        result = this.errorlevel >= n;
        break;
      }
      case 'cmdextversion': {
        const n = parseIntStrict(ex(t.value));
        result = n !== undefined && 2 >= n;
        break;
      }
      case 'compare': {
        const a = ex(t.left);
        const b = ex(t.right);
        if (t.op === '==') {
          result = cmd.ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b;
        } else {
          const na = parseIfNumber(a);
          const nb = parseIfNumber(b);
          const c = na !== undefined && nb !== undefined ? na - nb : compareStrings(a, b, cmd.ignoreCase);
          result =
            t.op === 'EQU' ? c === 0 : t.op === 'NEQ' ? c !== 0 : t.op === 'LSS' ? c < 0 : t.op === 'LEQ' ? c <= 0 : t.op === 'GTR' ? c > 0 : c >= 0;
        }
        break;
      }
    }
    if (cmd.negate) result = !result;
    if (result) return this.exec(cmd.then, io);
    if (cmd.else) return this.exec(cmd.else, io);
    return 0;
  }

  /** IF EXIST: a file or directory; wildcards match any entry. */
  exists(p: string): boolean {
    const fs = this.ctx.fs;
    if (!fs || p === '') return false;
    if (/[*?]/.test(p)) {
      const dir = p.includes('\\') ? p.replace(/\\[^\\]*$/, '') || '\\' : '.';
      const pat = p.replace(/^.*\\/, '');
      try {
        return fs.list(dir, this.ctx.cwd).some((e) => wildcardMatch(pat, e.name));
      } catch {
        return false;
      }
    }
    try {
      fs.stat(p, this.ctx.cwd);
      return true;
    } catch {
      return false;
    }
  }

  /** Opens a command's redirections (left to right), runs `body`, closes them. */
  async withRedirections(redirs: readonly Redirection[], io: Io, body: (io: Io) => Promise<number>): Promise<number> {
    if (redirs.length === 0) return body(io);
    const handles: (InputStream | OutputStream | undefined)[] = [io.stdin, io.stdout, io.stderr, ...(io.more ?? []).slice(3)];
    const opened: FileOutput[] = [];
    try {
      for (const r of redirs) {
        const target = this.expandAtRun(r.target);
        if (r.op === '>&' || r.op === '<&') {
          const from = handles[Number(target)];
          if (from === undefined) throw new HandleNotDuplicated(r.handle);
          handles[r.handle] = from;
          continue;
        }
        const file = target.replace(/"/g, '');
        const dev = deviceName(file);
        if (r.op === '<') {
          if (dev === 'NUL') handles[r.handle] = NUL;
          else if (dev === 'CON') handles[r.handle] = this.ctx.stdin;
          else handles[r.handle] = new BufferInput(readWholeFile(this.ctx.fs!, file, this.ctx.cwd));
          continue;
        }
        if (dev === 'NUL') {
          handles[r.handle] = NUL;
          continue;
        }
        if (dev === 'CON') {
          handles[r.handle] = this.ctx.stdout;
          continue;
        }
        const h = this.ctx.fs!.open(file, this.ctx.cwd, {
          disposition: r.op === '>>' ? 'openIf' : 'overwriteIf',
          write: true,
          read: true,
          nonDirectory: true,
          shareRead: true,
          shareWrite: true,
        });
        const o = new FileOutput(h);
        opened.push(o);
        handles[r.handle] = o;
      }
    } catch (e) {
      for (const o of opened) o.close();
      await this.err(io, redirectionMessage(e));
      this.errorlevel = 1;
      return 1;
    }
    try {
      return await body({ stdin: handles[0] as InputStream, stdout: handles[1] as OutputStream, stderr: handles[2] as OutputStream, more: handles });
    } finally {
      for (const o of opened) o.close();
    }
  }

  /**
   * A pipe: each side runs in its own cmd.exe in Windows (`cmd /S /D /c"…"`),
   * so variables or directories they change do not come back. An external
   * program on a side is started directly (DECIDED: the intermediate cmd.exe
   * is not created for it; only the process tree differs).
   */
  private async execPipe(left: Command, right: Command, io: Io): Promise<number> {
    const pipe = new Pipe();
    const w = pipe.writeEnd();
    const r = pipe.readEnd();
    const runSide = async (c: Command, sideIo: Io): Promise<number> => {
      if (c.kind === 'pipe') return this.execPipe(c.left, c.right, sideIo);
      // FOR variables are replaced before the side's cmd.exe is started (it could not know them).
      const text = this.expandForEcho(unparse(c, 'pipe'));
      return this.spawnCmd(text, sideIo);
    };
    const leftDone = runSide(left, { stdin: io.stdin, stdout: w, stderr: io.stderr }).finally(() => w.close());
    const rightDone = runSide(right, { stdin: r, stdout: io.stdout, stderr: io.stderr }).finally(() => r.close());
    const [, code] = await Promise.all([leftDone, rightDone]);
    this.errorlevel = code;
    return code;
  }

  /** Runs `text` in a child `cmd.exe /S /D /c" text"` with the given handles. */
  private async spawnCmd(text: string, io: Io): Promise<number> {
    const comspec = this.ctx.env.get('ComSpec') ?? 'C:\\Windows\\system32\\cmd.exe';
    const line = `${comspec}  /S /D /c" ${text}"`;
    try {
      const child = this.ctx.spawn(line, { applicationName: comspec, stdin: io.stdin, stdout: io.stdout, stderr: io.stderr });
      try {
        return await child.wait();
      } finally {
        child.close();
      }
    } catch (e) {
      if (e instanceof ProcessExitSignal) throw e;
      await this.err(io, e instanceof Win32Error ? `${win32Message(e.code)}\r\n` : MSG.fileNotFound);
      return 1;
    }
  }

  /** A simple command: phases 4–5, redirections, then an internal command or a program. */
  async execSimple(rawText: string, redirs: readonly Redirection[], io: Io): Promise<number> {
    await this.tick();
    const text = this.expandAtRun(rawText);
    return this.withRedirections(redirs, io, (io2) => this.dispatch(text, io2));
  }

  /** Finds what `text` names and runs it. */
  async dispatch(text: string, io: Io): Promise<number> {
    const body = text.replace(/^[ \t,;=]+/, '');
    if (body.trim() === '') return 0;
    // A drive change: `D:`.
    const drive = /^([A-Za-z]):[ \t]*$/.exec(body);
    if (drive) return this.changeDrive(drive[1]!, io);
    const m = /^[^ \t,;=/()+[\]\\.:"&|<>]+/.exec(body);
    if (m) {
      const name = m[0].toLowerCase();
      const internal = this.options.builtins.get(name);
      if (internal && (this.extensions || !EXTENSION_ONLY.has(name))) {
        const args = body.slice(m[0].length);
        const bc: CmdContext = {
          ctx: this.ctx,
          interp: this,
          stdin: io.stdin,
          stdout: io.stdout,
          stderr: io.stderr,
          extensions: this.extensions,
          inBatch: this.inBatch,
          signal: this.ctrlC.signal,
        };
        let rc: number | undefined;
        try {
          rc = await internal(bc, args);
        } catch (e) {
          if (e instanceof ProcessExitSignal || e instanceof StepBudgetExceeded) throw e;
          // An internal command that failed the Win32 way prints the system's message; writing
          // into a pipe nobody reads any more is cmd's own "nonexistent pipe" message.
          const text =
            e instanceof Win32Error
              ? e.code === ERROR_NO_DATA
                ? MSG.nonexistentPipe
                : `${win32Message(e.code)}\r\n`
              : `${String(e)}\r\n`;
          await this.err(io, text);
          rc = 1;
        }
        if (rc !== undefined) this.errorlevel = rc;
        return rc ?? 0;
      }
    }
    return this.runExternal(body, io);
  }

  private changeDrive(letter: string, io: Io): Promise<number> {
    const d = letter.toUpperCase();
    const fs = this.ctx.fs;
    if (!fs || !fs.volume(d)) {
      return this.err(io, MSG.invalidDrive).then(() => {
        this.errorlevel = 1;
        return 1;
      });
    }
    const cur = this.ctx.env.get(`=${d}:`) ?? `${d}:\\`;
    try {
      this.ctx.chdir(cur);
    } catch {
      this.ctx.chdir(`${d}:\\`);
    }
    return Promise.resolve(0);
  }

  /** An external command: cmd's own PATH/PATHEXT search, then a batch file here or a process. */
  async runExternal(body: string, io: Io): Promise<number> {
    const { token, rest } = firstToken(body);
    const name = token.replace(/"/g, '');
    const fs = this.ctx.fs;
    const found = fs ? searchCommand(fs, name, this.ctx.cwd, this.ctx.env.get('PATH'), this.ctx.env.get('PATHEXT')) : { kind: 'notFound' as const };
    if (found.kind === 'pathNotFound') {
      await this.err(io, MSG.pathNotFound);
      this.errorlevel = 3;
      return 3;
    }
    if (found.kind === 'notFound') {
      await this.err(io, MSG.notRecognized(token));
      this.errorlevel = ERRORLEVEL_NOT_RECOGNIZED;
      return ERRORLEVEL_NOT_RECOGNIZED;
    }
    if (/\.(bat|cmd)$/i.test(found.path)) {
      const savedIo = this.io;
      (this as { io: Io }).io = io;
      try {
        await this.runBatchFile(found.path, token, rest, false);
      } finally {
        (this as { io: Io }).io = savedIo;
      }
      return this.errorlevel;
    }
    const commandLine = body.replace(/[ \t]+$/, '');
    let code: number;
    try {
      const child = this.ctx.spawn(commandLine, {
        applicationName: found.path,
        stdin: io.stdin === this.ctx.stdin ? 'inherit' : io.stdin,
        stdout: io.stdout === this.ctx.stdout ? 'inherit' : io.stdout,
        stderr: io.stderr === this.ctx.stderr ? 'inherit' : io.stderr,
      });
      try {
        code = await child.wait();
      } finally {
        child.close();
      }
    } catch (e) {
      if (e instanceof ProcessExitSignal) throw e;
      const c = e instanceof Win32Error ? e.code : 1;
      await this.err(io, e instanceof Win32Error ? `${win32Message(c).replace('%1', name)}\r\n` : MSG.fileNotFound);
      this.errorlevel = c;
      return c;
    }
    this.errorlevel = code | 0;
    // cmd keeps the last program's exit code as the hidden `=ExitCode` variable.
    try {
      this.ctx.env.set('=ExitCode', (code >>> 0).toString(16).toUpperCase().padStart(8, '0'));
    } catch {
      /* not essential */
    }
    return code === 0 ? 0 : code | 0 || 1;
  }
}

/** Thrown when the interpreter's step budget (CmdLimits.maxSteps) is spent: cmd ends. */
export class StepBudgetExceeded extends Error {
  constructor() {
    super('cmd step budget exceeded');
  }
}

/** Internal commands that exist only with extensions enabled (none of the ones implemented; kept for `assoc`/`ftype`-like additions). */
const EXTENSION_ONLY = new Set<string>();

/** The first token of a command line: quotes group, whitespace (or `/`) ends it; the rest as typed. */
export function firstToken(text: string): { token: string; rest: string } {
  let i = 0;
  let q = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') q = !q;
    else if (!q && (c === ' ' || c === '\t' || c === '/' || c === ',' || c === ';' || c === '=') && i > 0) break;
    i++;
  }
  return { token: text.slice(0, i), rest: text.slice(i) };
}

/** Batch arguments: split at delimiters outside quotes, quotes kept. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isDelimiter(text[i])) i++;
    if (i >= text.length) break;
    let q = false;
    let s = '';
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') q = !q;
      else if (!q && isDelimiter(c)) break;
      s += c;
      i++;
    }
    out.push(s);
  }
  return out;
}

/** The offset just after the line holding `:label` (case-insensitive; a label ends at a delimiter), or -1. */
export function findLabel(text: string, label: string, from: number): number {
  const want = label.replace(/^:/, '').toLowerCase().split(/[ \t,;=+:]/)[0]!;
  let pos = from;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(pos, end).replace(/\r/g, '').replace(/^[ \t,;=@]+/, '');
    if (line.startsWith(':')) {
      const name = line.slice(1).split(/[ \t,;=+:&|<>^]/)[0]!.toLowerCase();
      if (name === want) return end + 1;
    }
    pos = end + 1;
  }
  return -1;
}

export function wildcardMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.?' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('') +
      '$',
    'i',
  );
  return re.test(name);
}

/** A number as IF's comparisons and IF ERRORLEVEL read it (decimal, 0x hex, 0 octal, optional sign). */
export function parseIfNumber(s: string): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s.trim());
  if (!m) return undefined;
  const t = m[2]!;
  const v = /^0[xX]/.test(t) ? parseInt(t.slice(2), 16) : t.startsWith('0') ? parseInt(t, 8) : parseInt(t, 10);
  return m[1] === '-' ? -v : v;
}

function parseIntStrict(s: string): number | undefined {
  return parseIfNumber(s);
}

/**
 * String order for LSS/GTR…: cmd compares with lstrcmp / lstrcmpi (/I), a
 * linguistic sort ("a" before "B", lower case before upper case of the same
 * letter). DECIDED: ICU's en-US collation stands for it (lstrcmp's word-sort
 * treatment of hyphens and apostrophes is not reproduced).
 */
let collators: { exact: Intl.Collator; ignoreCase: Intl.Collator } | undefined;
function compareStrings(a: string, b: string, ignoreCase: boolean): number {
  // Made at the first comparison: a collator costs ~6 ms of ICU loading, on every cmd start if made at load (issue 7: first prompt).
  collators ??= { exact: new Intl.Collator('en-US', { sensitivity: 'variant' }), ignoreCase: new Intl.Collator('en-US', { sensitivity: 'accent' }) };
  return (ignoreCase ? collators.ignoreCase : collators.exact).compare(a, b);
}

/**
 * `n>&m` with nothing open on handle m. DECIDED: cmd's message on one line
 * ("The handle could not be duplicated during redirection of handle n."),
 * as it is quoted; its exact line break was not at hand.
 */
class HandleNotDuplicated extends Error {
  constructor(readonly handle: number) {
    super(`The handle could not be duplicated during redirection of handle ${handle}.`);
  }
}

function redirectionMessage(e: unknown): string {
  if (e instanceof HandleNotDuplicated) return `${e.message}\r\n`;
  if (e instanceof Win32Error) {
    if (e.code === 3) return MSG.pathNotFound;
    if (e.code === 2) return MSG.fileNotFound;
    if (e.code === 5) return MSG.accessDenied;
    if (e.code === 123) return MSG.filenameSyntax;
    return `${win32Message(e.code)}\r\n`;
  }
  return MSG.fileNotFound;
}

