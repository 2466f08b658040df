/**
 * The engine: runs a parsed script against a process context. Statements
 * produce output into an `Emit` callback (the next pipeline stage, a
 * variable being assigned, or the host's Out-Default); break, continue,
 * return and exit travel as completion values (Flow), not exceptions;
 * terminating errors are PSError exceptions (style.md).
 *
 * Error semantics (about_Throw, about_Try_Catch_Finally,
 * about_Preference_Variables): `throw` and -ErrorAction Stop end the whole
 * script unless a try catches them; other terminating errors (a runtime
 * exception in an expression, a parameter binding error, an unknown
 * command) end only their statement; non-terminating errors from cmdlets
 * are written and the script goes on.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { quoteArgument } from '../../../kernel/process/command-line.js';
import { ERROR_COMMITMENT_LIMIT, Win32Error, win32Message } from '../../../core/win32.js';
import { POWERSHELL_LIMITS, type PowerShellLimits } from '../limits.js';
import type { CommandAst, Expr, Extent, PipelineElement, Redirection, ScriptBlockAst, Statement } from '../parser/ast.js';
import { ParseError } from '../parser/errors.js';
import { parseScript } from '../parser/parser.js';
import { bindParameters, commandClass, type CmdletCall, type CmdletDef, type ParamDef, type RawArgument } from './commands.js';
import { PSError, errorRecord, errorRecordObject, formatErrorRecord, recordOf, type ErrorRecord, type ErrorSpec } from './errors.js';
import { callMethod, getMember, nullMethodError, setMember, staticMember, type MemberHost } from './members.js';
import { consoleStatic, rawUI, setConsoleStatic } from './console-host.js';
import { arithmetic, comparisonOp, convertTo, formatOperator, normalizeType, range, runtimeError, toNumber, typeExists, typeNotFound, splitString } from './operators.js';
import { PSDateTime, PSHashtable, PSObject, PSType, ScriptBlock, enumerate, toBool, toStr, versionObject, type SourceText } from './values.js';

/** `[Console]` / `[System.Console]`. */
const isConsoleType = (type: string): boolean => /^(system\.)?console$/i.test(type);

export type Emit = (v: unknown) => Promise<void>;

/** How a statement list ended early. */
export type Flow = undefined | { k: 'break' | 'continue'; label?: string } | { k: 'return' } | { k: 'exit'; code: number };

interface Variable {
  name: string;
  value: unknown;
}

export interface FunctionDef {
  readonly name: string;
  readonly block: ScriptBlock;
  readonly filter: boolean;
}

class Scope {
  readonly vars = new Map<string, Variable>();
  readonly functions = new Map<string, FunctionDef>();
  constructor(readonly parent: Scope | undefined) {}
}

/** What the engine needs from its host program (powershell.exe's console host). */
export interface EngineHost {
  /** Out-Default for the top level. */
  out(v: unknown): Promise<void>;
  /** End of a top-level statement: let pending formatted output go. */
  flush(): Promise<void>;
  /** Text for the console (Write-Host, native output passing through). */
  write(text: string): Promise<void>;
  writeError(text: string): Promise<void>;
  /** Formats objects to text as Out-String does. */
  formatText(items: unknown[], width?: number): string;
  readonly width: number;
}

export interface Provider {
  /** Current location as PowerShell shows it (`C:\`, `HKLM:\SOFTWARE`). */
  location: string;
}

/** A terminating error's scope: the whole script or just its statement. */
const SCRIPT_TERMINATING = new WeakSet<PSError>();

export function scriptTerminating(e: PSError): PSError {
  SCRIPT_TERMINATING.add(e);
  return e;
}

interface ErrorSink {
  /** Discard, merge into output, or collect. */
  mode: 'discard' | 'output' | 'collect';
  emit?: Emit;
  collected?: unknown[];
}

export class Runtime implements MemberHost {
  readonly limits: PowerShellLimits;
  private steps = 0;
  private depth = 0;
  private tryDepth = 0;
  readonly global = new Scope(undefined);
  scope: Scope = this.global;
  /** The text positions refer to. */
  source: SourceText = { text: '' };
  /** $?: whether the last statement succeeded. */
  status = true;
  /** The running statement wrote an error or a native command failed (becomes $? at its end). */
  failed = false;
  readonly errors: unknown[] = [];
  location = 'C:\\';
  /** Location stack (Push-Location / Pop-Location). */
  readonly locations: string[] = [];
  private readonly errorSinks: ErrorSink[] = [];
  /** Get-Random's generator state. */
  randomState = 0;
  /** The function calls in progress (Write-Error names the innermost). */
  private readonly invocations: { name: string; ext: Extent; source: SourceText }[] = [];

  currentInvocation(): { name: string; ext: Extent; source: SourceText } | undefined {
    return this.invocations[this.invocations.length - 1];
  }
  /** Set by the host program: the cmdlet table and the alias table. */
  cmdlets = new Map<string, CmdletDef>();
  aliases = new Map<string, string>();

  constructor(
    readonly ctx: ProcessContext,
    readonly host: EngineHost,
    limits: Partial<PowerShellLimits> = {},
  ) {
    this.limits = { ...POWERSHELL_LIMITS, ...limits };
    this.location = ctx.cwd;
    const set = (n: string, v: unknown) => this.global.vars.set(n.toLowerCase(), { name: n, value: v });
    set('ErrorActionPreference', 'Continue');
    set('ProgressPreference', 'Continue');
    set('VerbosePreference', 'SilentlyContinue');
    set('WarningPreference', 'Continue');
    set('DebugPreference', 'SilentlyContinue');
    set('ConfirmPreference', 'High');
    set('OFS', ' ');
    set('PSHOME', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0');
    set('HOME', ctx.env.get('USERPROFILE') ?? 'C:\\Users\\ContainerAdministrator');
    set('PID', ctx.pid);
    set('MaximumHistoryCount', 4096);
    const build = /(\d+)\.\d+$/.exec(ctx.env.get('__WINSILO_VERSION') ?? '')?.[1] ?? '20348';
    const psv = new PSHashtable();
    psv.set('PSVersion', versionObject(`5.1.${build}.1`));
    psv.set('PSEdition', 'Desktop');
    psv.set('PSCompatibleVersions', ['1.0', '2.0', '3.0', '4.0', '5.0', `5.1.${build}.1`]);
    psv.set('BuildVersion', versionObject(`10.0.${build}.1`));
    psv.set('CLRVersion', '4.0.30319.42000');
    psv.set('WSManStackVersion', '3.0');
    psv.set('PSRemotingProtocolVersion', '2.3');
    psv.set('SerializationVersion', '1.1.0.1');
    set('PSVersionTable', psv);
  }

  // ---- budget ------------------------------------------------------------------

  /**
   * SwitchToThread at each loop iteration and pipeline item: once the
   * kernel's slice is spent the host's event loop takes a turn
   * (src/kernel/process/scheduler.ts), so a busy script starves neither the
   * other containers of the host nor the Ctrl+C that would stop it. It
   * rejects with ProcessExitSignal once the process was terminated.
   */
  async yieldIfDue(): Promise<void> {
    if (this.ctx.switchToThread) {
      await this.ctx.switchToThread();
      return;
    }
    // A stand-in context without a kernel (tests): a turn of the event loop every 4096 steps.
    if (this.steps - this.lastYield < 4096) return;
    this.lastYield = this.steps;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  private lastYield = 0;

  /** Set by the console host's Ctrl+C handler: the running pipeline stops at its next step. */
  interrupted = false;

  step(): void {
    if (this.interrupted) {
      this.interrupted = false;
      throw scriptTerminating(new PSError(errorRecord({ message: 'The pipeline has been stopped.', category: 'OperationStopped', reason: 'PipelineStoppedException', id: 'PipelineStopped' })));
    }
    if (++this.steps > this.limits.maxSteps) {
      throw scriptTerminating(runtimeError('The script exceeded the number of steps winsilo allows one script.', 'ScriptStepLimitExceeded', 'LimitsExceeded'));
    }
    // The script's values live in memory the kernel cannot see: ask every fourth step whether the machine
    // (the host's heap, src/kernel/process/memory-guard.ts) still has room, as the CLR's allocator
    // would find out; a refusal is .NET's OutOfMemoryException. Asking again after catching it ends the process.
    // (Every step cost a loop ~20 %; four steps allocate at most 4 × maxStringLength, well inside the
    // limit's headroom.)
    if ((this.steps & 3) !== 0) return;
    try {
      this.ctx.probeCommit?.();
    } catch (e) {
      if (e instanceof Win32Error && e.code === ERROR_COMMITMENT_LIMIT) {
        throw scriptTerminating(runtimeError("Exception of type 'System.OutOfMemoryException' was thrown.", 'System.OutOfMemoryException', 'NotSpecified', 'OutOfMemoryException'));
      }
      throw e;
    }
  }

  // ---- variables ----------------------------------------------------------------

  private findVar(name: string): Variable | undefined {
    const k = name.toLowerCase();
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      const v = s.vars.get(k);
      if (v) return v;
    }
    return undefined;
  }

  getVar(name: string): unknown {
    const lower = name.toLowerCase();
    const colon = lower.indexOf(':');
    if (colon > 0) {
      const q = lower.slice(0, colon);
      const rest = name.slice(colon + 1);
      if (q === 'env') return this.ctx.env.get(rest) ?? null;
      if (q === 'global') return this.global.vars.get(rest.toLowerCase())?.value ?? null;
      if (q === 'script' || q === 'local' || q === 'private' || q === 'using' || q === 'variable') return this.getVar(rest);
      if (q === 'function') return this.findFunction(rest)?.block ?? null;
    }
    switch (lower) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
        return null;
      case '?':
        return this.status;
      case 'error':
        return [...this.errors];
      case 'pwd':
        return this.locationObject();
      case 'psitem':
        return this.findVar('_')?.value ?? null;
      case 'host':
        return new PSObject(['System.Management.Automation.Internal.Host.InternalHost', 'System.Object'], () => 'System.Management.Automation.Internal.Host.InternalHost')
          .add('Name', 'ConsoleHost')
          .add('Version', '5.1.20348.1')
          .add('UI', new PSObject(['System.Management.Automation.Internal.Host.InternalHostUserInterface']).add('RawUI', rawUI(this.ctx)));
    }
    const v = this.findVar(name);
    return v ? v.value : null;
  }

  hasVar(name: string): boolean {
    return this.findVar(name) !== undefined;
  }

  setVar(name: string, value: unknown, scope: Scope = this.scope): void {
    const lower = name.toLowerCase();
    const colon = lower.indexOf(':');
    if (colon > 0) {
      const q = lower.slice(0, colon);
      const rest = name.slice(colon + 1);
      if (q === 'env') {
        this.ctx.env.set(rest, value === null || value === undefined || toStr(value) === '' ? undefined : toStr(value));
        return;
      }
      if (q === 'global') return this.setVar(rest, value, this.global);
      if (q === 'script') return this.setVar(rest, value, this.scriptScope);
      return this.setVar(rest, value, scope);
    }
    if (lower === 'true' || lower === 'false' || lower === 'null' || lower === '?') {
      if (lower === 'null') return;
      throw new PSError(errorRecord({ message: `Cannot overwrite variable ${name} because it is read-only or constant.`, category: 'WriteError', targetName: name, reason: 'SessionStateUnauthorizedAccessException', id: 'VariableNotWritable' }));
    }
    const existing = scope.vars.get(lower);
    if (existing) existing.value = value;
    else scope.vars.set(lower, { name, value });
  }

  removeVar(name: string): boolean {
    for (let s: Scope | undefined = this.scope; s; s = s.parent) if (s.vars.delete(name.toLowerCase())) return true;
    return false;
  }

  /** Every variable visible from the current scope (Get-Variable). */
  variables(): Variable[] {
    const seen = new Map<string, Variable>();
    for (let s: Scope | undefined = this.scope; s; s = s.parent) for (const [k, v] of s.vars) if (!seen.has(k)) seen.set(k, v);
    return [...seen.values()];
  }

  scriptScope: Scope = this.global;

  findFunction(name: string): FunctionDef | undefined {
    const k = name.toLowerCase();
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      const f = s.functions.get(k);
      if (f) return f;
    }
    return undefined;
  }

  functions(): FunctionDef[] {
    const out: FunctionDef[] = [];
    for (let s: Scope | undefined = this.scope; s; s = s.parent) out.push(...s.functions.values());
    return out;
  }

  locationObject(): PSObject {
    const loc = this.location;
    const drive = loc.includes(':') ? loc.slice(0, loc.indexOf(':')) : '';
    return new PSObject(['System.Management.Automation.PathInfo', 'System.Object'], () => loc)
      .add('Drive', drive)
      .add('Provider', /^(HKLM|HKCU|HKCR|HKU|HKCC)$/i.test(drive) ? 'Microsoft.PowerShell.Core\\Registry' : 'Microsoft.PowerShell.Core\\FileSystem')
      .add('ProviderPath', loc)
      .add('Path', loc);
  }

  // ---- errors --------------------------------------------------------------------

  private withPosition(e: PSError, ext: Extent): PSError {
    if (!e.record.position) e.record.position = { source: this.source, ext };
    return e;
  }

  /** A non-terminating error (WriteError), under `action` (-ErrorAction) or $ErrorActionPreference. */
  async writeError(record: ErrorRecord, action?: unknown): Promise<void> {
    this.failed = true;
    const pref = toStr(action ?? this.getVar('ErrorActionPreference')).toLowerCase();
    if (pref === 'ignore') return;
    this.errors.unshift(errorRecordObject(record));
    if (pref === 'stop') {
      throw scriptTerminating(new PSError(record));
    }
    if (pref === 'silentlycontinue') return;
    const sink = this.errorSinks[this.errorSinks.length - 1];
    if (sink) {
      if (sink.mode === 'discard') return;
      if (sink.mode === 'output' && sink.emit) return sink.emit(errorRecordObject(record));
      if (sink.mode === 'collect') {
        sink.collected!.push(errorRecordObject(record));
        return;
      }
    }
    await this.host.flush();
    await this.host.writeError(formatErrorRecord(record));
  }

  /** A terminating error that reached the top level (or a statement with nowhere else to go). */
  async reportTerminating(e: PSError): Promise<void> {
    this.status = false;
    // Ctrl+C stops the pipeline silently (the console already echoed ^C).
    if (e.record.fullyQualifiedErrorId === 'PipelineStopped') return;
    this.errors.unshift(errorRecordObject(e.record));
    const sink = this.errorSinks[this.errorSinks.length - 1];
    if (sink?.mode === 'discard') return;
    await this.host.flush();
    await this.host.writeError(formatErrorRecord(e.record));
  }

  // ---- running scripts -------------------------------------------------------------

  /**
   * Runs a whole script (a -Command string, a -File script's text or one
   * interactive line) at the top level; its output goes to the host.
   * Returns the exit code an `exit` asked for, or undefined.
   */
  async runTopLevel(text: string, file?: string): Promise<{ exit?: number; failed: boolean; terminated?: boolean }> {
    this.steps = 0;
    this.interrupted = false;
    const source: SourceText = { text, file };
    let ast: ScriptBlockAst;
    try {
      ast = parseScript(text);
    } catch (e) {
      if (e instanceof ParseError) {
        const rec = errorRecord({ message: e.message, category: 'ParserError', reason: 'ParentContainsErrorRecordException', id: e.errorId });
        (rec as { parseError?: boolean }).parseError = true;
        rec.position = { source, ext: { start: e.offset, end: e.offset + e.length } };
        await this.reportTerminating(new PSError(rec));
        return { failed: true, terminated: true };
      }
      throw e;
    }
    const saved = this.source;
    this.source = source;
    try {
      const body = [...(ast.begin ?? []), ...(ast.process ?? []), ...ast.end];
      for (const s of body) {
        let flow: Flow;
        try {
          flow = await this.execStatement(s, this.topEmitRef ?? ((v) => this.host.out(v))).catch((inner) => {
            throw asPSError(inner);
          });
        } catch (e) {
          if (e instanceof PSError) {
            await this.reportTerminating(this.withPosition(e, s.ext));
            if (SCRIPT_TERMINATING.has(e)) return { failed: true, terminated: true };
            continue;
          }
          throw e;
        } finally {
          await this.host.flush();
        }
        if (flow?.k === 'exit') return { exit: flow.code, failed: false };
        if (flow?.k === 'return') break;
      }
      return { failed: !this.status };
    } finally {
      this.source = saved;
    }
  }

  // ---- statements ------------------------------------------------------------------

  async execBlock(stmts: readonly Statement[], emit: Emit): Promise<Flow> {
    for (const s of stmts) {
      let flow: Flow;
      try {
        try {
          flow = await this.execStatement(s, emit);
        } catch (inner) {
          throw asPSError(inner);
        }
      } catch (e) {
        // Statement-terminating errors end only their statement, unless a try is waiting for them.
        if (e instanceof PSError && this.tryDepth === 0 && !SCRIPT_TERMINATING.has(e)) {
          await this.reportTerminating(this.withPosition(e, s.ext));
          continue;
        }
        if (e instanceof PSError) this.withPosition(e, s.ext);
        throw e;
      }
      if (flow) return flow;
    }
    return undefined;
  }

  /** A statement's output collected (assignments, conditions, sub-expressions). */
  async collect(s: Statement): Promise<unknown[]> {
    const out: unknown[] = [];
    const flow = await this.execStatement(s, async (v) => {
      out.push(v);
    });
    if (flow && flow.k === 'exit') throw new ExitRequest(flow.code);
    return out;
  }

  async value(s: Statement): Promise<unknown> {
    // A pipeline of one expression keeps its value whole (an array stays one array).
    if (s.kind === 'pipeline' && s.elements.length === 1 && s.elements[0]!.kind === 'cmdexpr' && s.elements[0]!.redirections.length === 0) {
      return this.evalExpr(s.elements[0]!.expr);
    }
    const out = await this.collect(s);
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  }

  async execStatement(s: Statement, emit: Emit): Promise<Flow> {
    this.step();
    switch (s.kind) {
      case 'pipeline': {
        this.failed = false;
        const only = s.elements.length === 1 && s.elements[0]!.kind === 'cmdexpr' ? s.elements[0]!.expr : undefined;
        // `$i++` as a statement writes nothing (about_Assignment_Operators).
        if (only && ((only.kind === 'postfix') || (only.kind === 'unary' && (only.op === '++' || only.op === '--')))) await this.evalExpr(only);
        else await this.runPipeline(s.elements, emit);
        this.status = !this.failed;
        return undefined;
      }
      case 'assign':
        this.failed = false;
        await this.assign(s.target, s.op, s.value);
        this.status = !this.failed;
        return undefined;
      case 'if': {
        for (const [cond, body] of s.clauses) {
          if (toBool(await this.value(cond))) return this.execBlock(body, emit);
        }
        if (s.else) return this.execBlock(s.else, emit);
        return undefined;
      }
      case 'while':
        for (;;) {
          this.step();
          await this.yieldIfDue();
          if (!toBool(await this.value(s.cond))) return undefined;
          const f = await this.execBlock(s.body, emit);
          const r = loopFlow(f, s.label);
          if (r === 'break') return undefined;
          if (r !== 'continue' && r !== undefined) return r;
        }
      case 'do':
        for (;;) {
          this.step();
          await this.yieldIfDue();
          const f = await this.execBlock(s.body, emit);
          const r = loopFlow(f, s.label);
          if (r === 'break') return undefined;
          if (r !== 'continue' && r !== undefined) return r;
          const c = toBool(await this.value(s.cond));
          if (s.until ? c : !c) return undefined;
        }
      case 'for': {
        if (s.init) await this.execStatement(s.init, async () => {});
        for (;;) {
          this.step();
          await this.yieldIfDue();
          if (s.cond && !toBool(await this.value(s.cond))) return undefined;
          const f = await this.execBlock(s.body, emit);
          const r = loopFlow(f, s.label);
          if (r === 'break') return undefined;
          if (r !== 'continue' && r !== undefined) return r;
          if (s.iter) await this.execStatement(s.iter, async () => {});
        }
      }
      case 'foreach': {
        const src = await this.value(s.source);
        const items = src === null ? [] : enumerate(src instanceof PSHashtable ? [src] : src);
        for (const item of items) {
          this.step();
          await this.yieldIfDue();
          this.setVar(s.variable, item);
          const f = await this.execBlock(s.body, emit);
          const r = loopFlow(f, s.label);
          if (r === 'break') return undefined;
          if (r !== 'continue' && r !== undefined) return r;
        }
        return undefined;
      }
      case 'switch':
        return this.execSwitch(s, emit);
      case 'function':
        this.scope.functions.set(s.name.toLowerCase(), { name: s.name, block: new ScriptBlock(s.block, this.source), filter: s.filter });
        return undefined;
      case 'try':
        return this.execTry(s, emit);
      case 'throw': {
        const v = s.value ? await this.value(s.value) : null;
        const rec = recordOf(v);
        if (rec) throw scriptTerminating(new PSError({ ...rec, position: undefined }));
        const message = v === null ? 'ScriptHalted' : toStr(v);
        throw scriptTerminating(
          this.withPosition(
            new PSError(errorRecord({ message, category: 'OperationStopped', targetName: v === null ? '' : message, targetType: v === null ? '' : 'String', reason: 'RuntimeException', id: v === null ? 'ScriptHalted' : message, targetObject: v })),
            s.ext,
          ),
        );
      }
      case 'return':
        if (s.value) await this.execStatement(s.value, emit);
        return { k: 'return' };
      case 'exit': {
        const v = s.value ? await this.value(s.value) : 0;
        let code = 0;
        try {
          code = toNumber(v) | 0;
        } catch {
          code = 0;
        }
        return { k: 'exit', code };
      }
      case 'break':
      case 'continue':
        return { k: s.kind, label: s.label };
      case 'block':
        return this.execBlock(s.body, emit);
    }
  }

  private async execTry(s: Extract<Statement, { kind: 'try' }>, emit: Emit): Promise<Flow> {
    let flow: Flow;
    try {
      this.tryDepth++;
      try {
        flow = await this.execBlock(s.body, emit);
      } finally {
        this.tryDepth--;
      }
    } catch (e) {
      if (!(e instanceof PSError)) {
        if (s.finally) await this.execBlock(s.finally, emit);
        throw e;
      }
      const rec = e.record;
      const clause = s.catches.find((c) => c.types.length === 0 || c.types.some((t) => catchMatches(t, rec)));
      if (!clause) {
        if (s.finally) await this.execBlock(s.finally, emit);
        throw e;
      }
      this.errors.unshift(errorRecordObject(rec));
      const saved = this.findVar('_');
      const obj = errorRecordObject(rec);
      this.setVar('_', obj);
      try {
        flow = await this.execBlock(clause.body, emit);
      } catch (e2) {
        if (s.finally) await this.execBlock(s.finally, emit);
        throw e2;
      } finally {
        if (saved) this.setVar('_', saved.value);
      }
    }
    if (s.finally) {
      const f2 = await this.execBlock(s.finally, emit);
      if (f2) return f2;
    }
    return flow;
  }

  private async execSwitch(s: Extract<Statement, { kind: 'switch' }>, emit: Emit): Promise<Flow> {
    let input: unknown;
    if (s.flags.has('file')) {
      const path = toStr(await this.value(s.value));
      input = this.readFile(path).split(/\r?\n/).filter((l, i, a) => i < a.length - 1 || l !== '');
    } else input = await this.value(s.value);
    const items = input === null ? [null] : enumerate(input);
    const ci = !s.flags.has('casesensitive');
    const saved = this.findVar('_')?.value;
    try {
      for (const item of items) {
        this.step();
        this.setVar('_', item);
        let matched = false;
        for (const c of s.clauses) {
          let ok: boolean;
          if (c.cond.kind === 'scriptblock') {
            ok = toBool(unwrap(await this.invokeBlock(new ScriptBlock(c.cond.block, this.source), { dollarUnder: item, newScope: false })));
          } else {
            const v = await this.evalExpr(c.cond);
            if (s.flags.has('regex')) ok = toBool(comparisonOp(ci ? 'match' : 'cmatch', toStr(item), toStr(v), { setMatches: (m) => this.setVar('matches', m ?? null) }));
            else if (s.flags.has('wildcard')) ok = toBool(comparisonOp(ci ? 'like' : 'clike', toStr(item), toStr(v), { setMatches: () => {} }));
            else ok = toBool(comparisonOp(ci ? 'eq' : 'ceq', item, v, { setMatches: () => {} }));
          }
          if (!ok) continue;
          matched = true;
          const f = await this.execBlock(c.body, emit);
          const r = loopFlow(f, s.label);
          if (r === 'break') return undefined;
          if (r === 'continue') break;
          if (r !== undefined) return r;
        }
        if (!matched && s.default) {
          const f = await this.execBlock(s.default, emit);
          const r = loopFlow(f, s.label);
          if (r === 'break') return undefined;
          if (r !== 'continue' && r !== undefined) return r;
        }
      }
    } finally {
      this.setVar('_', saved ?? null);
    }
    return undefined;
  }

  private async assign(target: Expr, op: string, valueStmt: Statement): Promise<void> {
    let value = await this.value(valueStmt);
    if (op !== '=') {
      const cur = await this.evalExpr(target);
      value = arithmetic(op[0]!, cur, value);
    }
    await this.assignTo(target, value);
  }

  async assignTo(target: Expr, value: unknown): Promise<void> {
    switch (target.kind) {
      case 'var':
        this.setVar(target.name, value);
        return;
      case 'cast':
        return this.assignTo(target.operand, convertTo(value, target.type));
      case 'member': {
        const name = toStr(await this.evalExpr(target.name));
        if (target.isStatic) {
          // Static settables scripts use: [Net.ServicePointManager]::SecurityProtocol, [Console]::OutputEncoding, [Environment]::CurrentDirectory.
          if (target.target.kind === 'type' && isConsoleType(target.target.type) && setConsoleStatic(this.ctx, name, value)) return;
          if (target.target.kind === 'type' && /^(system\.)?(net\.servicepointmanager|console|environment|threading\.thread)$/i.test(target.target.type)) return;
          throw runtimeError(`'${name}' is a ReadOnly property.`, 'PropertyAssignmentException', 'InvalidOperation');
        }
        const obj = await this.evalExpr(target.target);
        setMember(obj, name, value);
        return;
      }
      case 'index': {
        const obj = await this.evalExpr(target.target);
        const idx = await this.evalExpr(target.index);
        if (obj instanceof PSHashtable) return obj.set(idx, value);
        if (Array.isArray(obj)) {
          let i = toNumber(idx);
          if (i < 0) i += obj.length;
          if (i < 0 || i >= obj.length) throw runtimeError('Index was outside the bounds of the array.', 'System.IndexOutOfRangeException', 'OperationStopped', 'IndexOutOfRangeException');
          obj[i] = value;
          return;
        }
        if (obj instanceof PSObject) return obj.set(toStr(idx), value);
        throw runtimeError(`Unable to index into an object of type ${obj === null ? 'null' : toStr(obj)}.`, 'CannotIndex', 'InvalidOperation');
      }
      case 'array': {
        const vals = enumerate(value);
        for (let i = 0; i < target.items.length; i++) {
          const rest = i === target.items.length - 1 && vals.length > target.items.length ? vals.slice(i) : vals[i] ?? null;
          await this.assignTo(target.items[i]!, rest);
        }
        return;
      }
    }
    throw new PSError(errorRecord({ message: 'The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property.', category: 'ParserError', reason: 'ParentContainsErrorRecordException', id: 'InvalidLeftHandSide' }));
  }

  // ---- expressions -----------------------------------------------------------------

  async evalExpr(e: Expr): Promise<unknown> {
    try {
      return await this.evalInner(e);
    } catch (err) {
      if (err instanceof PSError) throw this.withPosition(err, e.ext);
      throw err;
    }
  }

  private async evalInner(e: Expr): Promise<unknown> {
    this.step();
    switch (e.kind) {
      case 'const':
        return e.value;
      case 'string': {
        let s = '';
        for (const p of e.parts) {
          if (typeof p === 'string') s += p;
          else {
            const v = await this.evalExpr(p);
            s += Array.isArray(v) ? v.map(toStr).join(toStr(this.getVar('OFS') ?? ' ')) : toStr(v);
          }
        }
        return s;
      }
      case 'var':
        return this.getVar(e.name);
      case 'array': {
        const out: unknown[] = [];
        for (const i of e.items) out.push(await this.evalExpr(i));
        return out;
      }
      case 'subexpr': {
        const out: unknown[] = [];
        const flow = await this.execBlock(e.body, async (v) => {
          out.push(v);
        });
        if (flow?.k === 'exit') throw new ExitRequest(flow.code);
        if (e.array) return out;
        return out.length === 0 ? null : out.length === 1 ? out[0] : out;
      }
      case 'paren': {
        const s = e.pipeline;
        if (s.kind === 'assign') {
          await this.execStatement(s, async () => {});
          return this.evalExpr(s.target);
        }
        return this.value(s);
      }
      case 'hashtable': {
        const h = new PSHashtable();
        for (const [k, v] of e.entries) {
          const key = await this.evalExpr(k);
          if (h.has(key)) throw runtimeError(`Duplicate keys '${toStr(key)}' are not allowed in hash literals.`, 'DuplicateKeyInHashLiteral', 'ParserError', 'ParentContainsErrorRecordException');
          h.set(key, await this.value(v));
        }
        return h;
      }
      case 'scriptblock':
        return new ScriptBlock(e.block, this.source);
      case 'type':
        if (normalizeType(e.type) !== 'ordered' && !typeExists(e.type)) throw typeNotFound(e.type);
        return new PSType(e.type);
      case 'cast': {
        if (normalizeType(e.type) === 'ordered') {
          if (e.operand.kind !== 'hashtable') throw runtimeError('The ordered attribute can be specified only on a hash literal node.', 'OrderedAttributeOnlyOnHashLiteralNode', 'ParserError');
          const h = (await this.evalExpr(e.operand)) as PSHashtable;
          const o = new PSHashtable(true);
          for (const x of h.entries()) o.set(x.key, x.value);
          return o;
        }
        const v = await this.evalExpr(e.operand);
        if (normalizeType(e.type) === 'scriptblock' && typeof v === 'string') {
          return new ScriptBlock(parseScript(v), { text: v });
        }
        return convertTo(v, e.type);
      }
      case 'unary':
        return this.evalUnary(e.op, e.operand);
      case 'postfix': {
        const cur = await this.evalExpr(e.operand);
        await this.assignTo(e.operand, toNumber(cur) + (e.op === '++' ? 1 : -1));
        return cur === null ? 0 : cur;
      }
      case 'binary':
        return this.evalBinary(e);
      case 'member': {
        const name = toStr(await this.evalExpr(e.name));
        if (e.isStatic) {
          if (e.target.kind !== 'type') throw runtimeError('Unable to find type.', 'TypeNotFound', 'InvalidOperation');
          const fromConsole = isConsoleType(e.target.type) ? consoleStatic(this.ctx, name, undefined) : undefined;
          if (fromConsole) return await fromConsole;
          return staticMember(e.target.type, name, undefined, this);
        }
        const obj = await this.evalExpr(e.target);
        return getMember(obj, name);
      }
      case 'invoke': {
        const name = toStr(await this.evalExpr(e.name));
        const args: unknown[] = [];
        for (const a of e.args) args.push(await this.evalExpr(a));
        if (e.isStatic) {
          if (e.target.kind !== 'type') throw runtimeError('Unable to find type.', 'TypeNotFound', 'InvalidOperation');
          const fromConsole = isConsoleType(e.target.type) ? consoleStatic(this.ctx, name, args) : undefined;
          if (fromConsole) return await fromConsole;
          return staticMember(e.target.type, name, args, this);
        }
        const obj = await this.evalExpr(e.target);
        if (obj === null) throw nullMethodError();
        if (obj instanceof PSObject) {
          const p = obj.get(name);
          if (p instanceof ScriptBlock && !obj.methods.has(name.toLowerCase())) return unwrap(await this.invokeBlock(p, { args, self: obj }));
        }
        return callMethod(obj, name, args, this);
      }
      case 'index': {
        const obj = await this.evalExpr(e.target);
        const idx = await this.evalExpr(e.index);
        return indexValue(obj, idx);
      }
    }
  }

  private async evalUnary(op: string, operand: Expr): Promise<unknown> {
    if (op === '++' || op === '--') {
      const cur = await this.evalExpr(operand);
      const next = toNumber(cur) + (op === '++' ? 1 : -1);
      await this.assignTo(operand, next);
      return next;
    }
    const v = await this.evalExpr(operand);
    switch (op) {
      case '!':
      case 'not':
        return !toBool(v);
      case '-':
        return -toNumber(v);
      case '+':
        return toNumber(v);
      case 'bnot':
        return ~toNumber(v);
      case 'split':
        return enumerate(v).flatMap((x) => toStr(x).trim().split(/\s+/).filter((p) => p !== ''));
      case 'join':
        return enumerate(v).map(toStr).join('');
    }
    throw runtimeError(`Unexpected token '-${op}'.`);
  }

  private async evalBinary(e: Extract<Expr, { kind: 'binary' }>): Promise<unknown> {
    const op = e.op;
    if (op === 'and') return toBool(await this.evalExpr(e.left)) && toBool(await this.evalExpr(e.right));
    if (op === 'or') return toBool(await this.evalExpr(e.left)) || toBool(await this.evalExpr(e.right));
    const left = await this.evalExpr(e.left);
    const right = await this.evalExpr(e.right);
    switch (op) {
      case 'xor':
        return toBool(left) !== toBool(right);
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
      case 'band':
      case 'bor':
      case 'bxor':
      case 'shl':
      case 'shr':
        return arithmetic(op, left, right);
      case '..':
        return range(left, right);
      case 'f':
        return formatOperator(toStr(left), enumerate(right));
      case 'split':
      case 'isplit':
      case 'csplit':
        if (right instanceof ScriptBlock) {
          // -split with a script block delimiter: each character tested.
          const out: string[] = [];
          for (const s of enumerate(left)) {
            let cur = '';
            for (const ch of toStr(s)) {
              const r = await this.invokeBlock(right, { dollarUnder: ch });
              if (toBool(unwrap(r))) {
                out.push(cur);
                cur = '';
              } else cur += ch;
            }
            out.push(cur);
          }
          return out;
        }
        return comparisonOp(op, left, right, this.opContext);
    }
    if (op === 'split') return splitString(toStr(left), toStr(right), 0, true);
    return comparisonOp(op, left, right, this.opContext);
  }

  private readonly opContext = { setMatches: (m: PSHashtable | undefined) => (m ? this.setVar('matches', m) : undefined) };

  // ---- script blocks ---------------------------------------------------------------

  /**
   * Invokes a script block with its own scope (unless `newScope` is false,
   * as for dot-sourcing and Where-Object/ForEach-Object), binding
   * `args` to its param() block and `$_` to `dollarUnder`.
   */
  async invokeBlock(
    sb: ScriptBlock,
    opts: { args?: unknown[]; raw?: RawArgument[]; dollarUnder?: unknown; input?: unknown[]; newScope?: boolean; self?: unknown; emit?: Emit; name?: string },
  ): Promise<unknown[]> {
    const out: unknown[] = [];
    const emit: Emit =
      opts.emit ??
      (async (v) => {
        out.push(v);
      });
    await this.yieldIfDue();
    if (++this.depth > this.limits.maxCallDepth) {
      this.depth--;
      throw scriptTerminating(new PSError(errorRecord({ message: 'The script failed due to call depth overflow.', category: 'InvalidOperation', reason: 'ScriptCallDepthException', id: 'CallDepthOverflow' })));
    }
    const savedScope = this.scope;
    const savedSource = this.source;
    if (opts.newScope !== false) this.scope = new Scope(this.scope);
    this.source = sb.source;
    try {
      if (opts.dollarUnder !== undefined) this.scope.vars.set('_', { name: '_', value: opts.dollarUnder });
      if (opts.self !== undefined) this.scope.vars.set('this', { name: 'this', value: opts.self });
      const raw = opts.raw ?? (opts.args ?? []).map((v) => ({ value: v, hasValue: true, ext: { start: 0, end: 0 } }));
      await this.bindScriptParams(sb.ast, raw, opts.name ?? '');
      if (opts.input) this.scope.vars.set('input', { name: 'input', value: opts.input });
      const body = [...(sb.ast.begin ?? []), ...(sb.ast.process ?? []), ...sb.ast.end];
      const flow = await this.execBlock(body, emit);
      if (flow?.k === 'exit') throw new ExitRequest(flow.code);
      return out;
    } finally {
      this.scope = savedScope;
      this.source = savedSource;
      this.depth--;
    }
  }

  private async bindScriptParams(ast: ScriptBlockAst, raw: RawArgument[], name: string): Promise<void> {
    const defs: ParamDef[] = ast.params.map((p, i) => ({
      name: p.name,
      position: p.position ?? i,
      switch: p.type !== undefined && /^(switch|System\.Management\.Automation\.SwitchParameter)$/i.test(p.type),
    }));
    const { bound, extra } = bindParameters(name || 'scriptblock', defs, raw, true);
    for (const p of ast.params) {
      const k = p.name.toLowerCase();
      let v: unknown;
      if (bound.has(k)) v = bound.get(k);
      else if (p.default) v = await this.evalExpr(p.default);
      else if (p.mandatory) {
        throw new PSError(
          errorRecord({
            message: `Cannot process command because of one or more missing mandatory parameters: ${p.name}.`,
            category: 'InvalidArgument',
            reason: 'ParameterBindingException',
            activity: name,
            id: `MissingMandatoryParameter,${name}`,
            commandName: name,
          }),
        );
      } else v = p.type && /switch/i.test(p.type) ? false : null;
      if (p.type && v !== null && !/switch/i.test(p.type)) v = convertTo(v, p.type);
      this.scope.vars.set(k, { name: p.name, value: v });
    }
    const psb = new PSHashtable();
    for (const [k, v] of bound) psb.set(ast.params.find((p) => p.name.toLowerCase() === k)?.name ?? k, v);
    this.scope.vars.set('psboundparameters', { name: 'PSBoundParameters', value: psb });
    this.scope.vars.set('args', { name: 'args', value: extra });
  }

  // ---- pipelines ----------------------------------------------------------------------

  async runPipeline(elements: readonly PipelineElement[], emit: Emit): Promise<void> {
    if (elements.length === 1 && elements[0]!.kind === 'cmdexpr' && elements[0]!.redirections.length === 0) {
      const v = await this.evalExpr(elements[0]!.expr);
      for (const item of enumerate(v)) {
        this.step();
        await this.yieldIfDue();
        await emit(item);
      }
      return;
    }
    // Build stages from the last to the first: each stage's emit feeds the next.
    const stages: Stage[] = [];
    let downstream = emit;
    for (let i = elements.length - 1; i >= 0; i--) {
      const el = elements[i]!;
      const stage = await this.makeStage(el, downstream, i > 0, i === elements.length - 1 && emit === this.topEmit(emit));
      stages.unshift(stage);
      const s = stage;
      downstream = async (v) => {
        this.step();
        await this.yieldIfDue();
        await s.process(v);
      };
    }
    for (const s of stages) await s.begin();
    await stages[0]!.process(undefined, true);
    for (const s of stages) await s.end();
  }

  private topEmitRef: Emit | undefined;
  private topEmit(e: Emit): Emit | undefined {
    return this.topEmitRef === e ? e : undefined;
  }
  /** Registers the host's Out-Default emit so a native command last in a top-level pipeline writes to the console directly. */
  setTopEmit(e: Emit): void {
    this.topEmitRef = e;
  }

  private async makeStage(el: PipelineElement, emit: Emit, expectingInput: boolean, direct: boolean): Promise<Stage> {
    const redirected = this.redirect(el.redirections, emit);
    const out = redirected.emit;
    let inner: Stage;
    if (el.kind === 'cmdexpr') {
      const expr = el.expr;
      inner = {
        begin: async () => {},
        process: async (_item, first) => {
          if (!first) return;
          const v = await this.evalExpr(expr);
          for (const item of enumerate(v)) await out(item);
        },
        end: async () => {},
      };
    } else inner = await this.commandStage(el, out, expectingInput, direct && el.redirections.length === 0);
    if (!redirected.sink && !redirected.finish) return inner;
    const sink = redirected.sink;
    const wrap = async <T>(f: () => Promise<T>): Promise<T> => {
      if (sink) this.errorSinks.push(sink);
      try {
        return await f();
      } finally {
        if (sink) this.errorSinks.pop();
      }
    };
    return {
      begin: () => wrap(() => inner.begin()),
      process: (item, first) => wrap(() => inner.process(item, first)),
      end: async () => {
        await wrap(() => inner.end());
        if (redirected.finish) await redirected.finish();
      },
    };
  }

  /** Redirections (about_Redirection): `> file` is Out-File (UTF-16LE in 5.1), `2>&1`, `2>$null`. */
  private redirect(reds: readonly Redirection[], emit: Emit): { emit: Emit; sink?: ErrorSink; finish?: () => Promise<void> } {
    let outEmit = emit;
    let sink: ErrorSink | undefined;
    let finish: (() => Promise<void>) | undefined;
    for (const r of reds) {
      const isNull = r.target?.kind === 'var' && r.target.name.toLowerCase() === 'null';
      if (r.stream === 2 || r.stream === 0) {
        if (r.toOutput) sink = { mode: 'output', emit: outEmit };
        else if (isNull) sink = { mode: 'discard' };
        else if (r.target) {
          const collected: unknown[] = [];
          sink = { mode: 'collect', collected };
          const target = r.target;
          const prev = finish;
          finish = async () => {
            if (prev) await prev();
            await this.writeRedirect(target, collected, r.append);
          };
        }
      }
      if ((r.stream === 1 || r.stream === 0) && !r.toOutput && r.target) {
        if (isNull) outEmit = async () => {};
        else {
          const items: unknown[] = [];
          outEmit = async (v) => {
            items.push(v);
          };
          const target = r.target;
          const prev = finish;
          finish = async () => {
            if (prev) await prev();
            await this.writeRedirect(target, items, r.append);
          };
        }
      }
    }
    if (sink && sink.mode === 'output') sink.emit = outEmit;
    return { emit: outEmit, sink, finish };
  }

  private async writeRedirect(target: Expr, items: unknown[], append: boolean): Promise<void> {
    const path = toStr(await this.evalExpr(target));
    const text = this.host.formatText(items);
    this.writeFileEncoded(path, text, append, 'unicode');
  }

  /** Writes text as Out-File/Set-Content would; set by the host program (file system provider). */
  writeFileEncoded: (path: string, text: string, append: boolean, encoding: string) => void = () => {};
  readFile: (path: string) => string = () => '';

  private async commandStage(el: CommandAst, emit: Emit, expectingInput: boolean, direct: boolean): Promise<Stage> {
    // Arguments.
    const raw: RawArgument[] = [];
    for (const a of el.elements) {
      if (a.kind === 'param') {
        raw.push({ param: a.name, value: a.arg ? await this.evalExpr(a.arg) : undefined, hasValue: a.arg !== undefined, colon: a.arg !== undefined, ext: a.ext });
      } else if (a.value.kind === 'var' && a.value.splat) {
        const v = this.getVar(a.value.name);
        if (v instanceof PSHashtable) for (const en of v.entries()) raw.push({ param: toStr(en.key), value: en.value, hasValue: true, colon: true, ext: a.ext });
        else for (const x of enumerate(v)) raw.push({ value: x, hasValue: true, ext: a.ext });
      } else raw.push({ value: await this.evalExpr(a.value), hasValue: true, ext: a.ext });
    }
    // The command.
    let target: unknown;
    if (el.invocation) target = await this.evalExpr(el.name);
    else target = el.name.kind === 'const' ? el.name.value : await this.evalExpr(el.name);
    if (target instanceof ScriptBlock) return this.scriptStage(target, raw, emit, el.invocation !== '.', '');
    const name = toStr(target);
    const resolved = this.resolveCommand(name);
    if (!resolved) {
      const rec = errorRecord({
        message: `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
        category: 'ObjectNotFound',
        targetName: name,
        reason: 'CommandNotFoundException',
        id: 'CommandNotFoundException',
        commandName: name,
      });
      rec.position = { source: this.source, ext: el.name.ext };
      throw new PSError(rec);
    }
    switch (resolved.kind) {
      case 'function': {
        const stage = this.scriptStage(resolved.fn.block, raw, emit, el.invocation !== '.', resolved.fn.name, resolved.fn.filter);
        const inv = { name: resolved.fn.name, ext: el.ext, source: this.source };
        const around = async (f: () => Promise<void>) => {
          this.invocations.push(inv);
          try {
            await f();
          } finally {
            this.invocations.pop();
          }
        };
        return { begin: () => around(() => stage.begin()), process: (i, f) => around(() => stage.process(i, f)), end: () => around(() => stage.end()) };
      }
      case 'script': {
        const text = this.readFile(resolved.path);
        let ast: ScriptBlockAst;
        try {
          ast = parseScript(text);
        } catch (e) {
          if (e instanceof ParseError) {
            const rec = errorRecord({ message: e.message, category: 'ParserError', reason: 'ParentContainsErrorRecordException', id: e.errorId });
            (rec as { parseError?: boolean }).parseError = true;
            rec.position = { source: { text, file: resolved.path }, ext: { start: e.offset, end: e.offset + e.length } };
            throw new PSError(rec);
          }
          throw e;
        }
        const sb = new ScriptBlock(ast, { text, file: resolved.path });
        return this.scriptStage(sb, raw, emit, el.invocation !== '.', resolved.path, false, resolved.path);
      }
      case 'native':
        return this.nativeStage(resolved.path, raw, emit, direct);
      case 'cmdlet':
        return this.cmdletStage(resolved.def, raw, emit, expectingInput, el.ext);
    }
  }

  resolveCommand(name: string): Resolved | undefined {
    let n = name;
    const slash = n.indexOf('\\');
    if (slash > 0 && /^Microsoft\.PowerShell\.\w+\\/i.test(n)) n = n.slice(slash + 1);
    if (!/[\\/]/.test(n)) {
      for (let i = 0; i < 10; i++) {
        const a = this.aliases.get(n.toLowerCase());
        if (!a) break;
        n = a;
      }
      const fn = this.findFunction(n);
      if (fn) return { kind: 'function', fn };
      const def = this.cmdlets.get(n.toLowerCase());
      if (def) return { kind: 'cmdlet', def };
    }
    const ext = this.findExternal(n);
    if (ext) return ext;
    if (!/[\\/.]/.test(n)) {
      const def = this.cmdlets.get('get-' + n.toLowerCase());
      if (def) return { kind: 'cmdlet', def };
    }
    return undefined;
  }

  /** An external command: a path, or a name searched along PATH with PATHEXT (and .ps1). */
  findExternal(name: string): Extract<Resolved, { kind: 'native' | 'script' }> | undefined {
    const fs = this.ctx.fs;
    if (!fs) return undefined;
    const exts = (this.ctx.env.get('PATHEXT') ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
    const candidates = (base: string): string[] => {
      const hasExt = /\.[^.\\]+$/.test(base);
      const list = hasExt ? [base] : [];
      for (const e of [...exts, '.PS1']) list.push(base + e.toLowerCase());
      return list;
    };
    const isFile = (p: string): string | undefined => {
      try {
        const info = fs.stat(p, this.fsCwd());
        if ((info.attributes & 0x10) === 0) return fs.fullPath(p, this.fsCwd());
      } catch {
        /* not there */
      }
      return undefined;
    };
    const classify = (full: string): Extract<Resolved, { kind: 'native' | 'script' }> => (/\.ps1$/i.test(full) ? { kind: 'script', path: full } : { kind: 'native', path: full });
    if (/[\\/]/.test(name) || /^[A-Za-z]:/.test(name)) {
      for (const c of candidates(name)) {
        const f = isFile(c);
        if (f) return classify(f);
      }
      return undefined;
    }
    const dirs = (this.ctx.env.get('PATH') ?? '').split(';').filter(Boolean);
    for (const d of dirs) {
      for (const c of candidates(d.replace(/\\$/, '') + '\\' + name)) {
        const f = isFile(c);
        if (f && !/\.ps1$/i.test(f)) return classify(f);
      }
    }
    return undefined;
  }

  /** The file-system directory native programs start in: the current location when it is a file-system path. */
  fsCwd(): string {
    return /^[A-Za-z]:\\/.test(this.location) ? this.location : this.ctx.cwd;
  }

  private scriptStage(sb: ScriptBlock, raw: RawArgument[], emit: Emit, newScope: boolean, name: string, filter = false, scriptPath?: string): Stage {
    const items: unknown[] = [];
    const hasProcess = filter || sb.ast.process !== undefined;
    const procBody = filter ? sb.ast.end : sb.ast.process;
    let scope: Scope | undefined;
    const savedScope = this.scope;
    return {
      begin: async () => {},
      process: async (item, first) => {
        if (first) return;
        if (!hasProcess) {
          items.push(item);
          return;
        }
        const block = new ScriptBlock({ params: sb.ast.params, end: procBody ?? [], text: sb.ast.text }, sb.source);
        void scope;
        void savedScope;
        await this.invokeBlock(block, { raw: pipelineRaw(sb.ast, raw, item), dollarUnder: item, newScope, emit, name });
      },
      end: async () => {
        if (hasProcess && !(filter ? false : sb.ast.begin || sb.ast.end.length)) return;
        if (filter) return;
        const block = hasProcess ? new ScriptBlock({ params: sb.ast.params, begin: sb.ast.begin, end: sb.ast.end, text: sb.ast.text }, sb.source) : sb;
        const saved = scriptPath ? [this.getVar('PSScriptRoot'), this.getVar('PSCommandPath'), this.scriptScope] : undefined;
        if (scriptPath) {
          this.global.vars.set('psscriptroot', { name: 'PSScriptRoot', value: scriptPath.slice(0, scriptPath.lastIndexOf('\\')) });
          this.global.vars.set('pscommandpath', { name: 'PSCommandPath', value: scriptPath });
        }
        try {
          await this.invokeBlock(block, { raw: pipelineRaw(sb.ast, raw, items.length === 1 && !hasProcess ? items[0] : undefined, true), input: items, newScope, emit, name });
        } finally {
          if (saved) {
            this.global.vars.set('psscriptroot', { name: 'PSScriptRoot', value: saved[0] });
            this.global.vars.set('pscommandpath', { name: 'PSCommandPath', value: saved[1] });
          }
        }
      },
    };
  }

  private nativeStage(path: string, raw: RawArgument[], emit: Emit, direct: boolean): Stage {
    const input: unknown[] = [];
    return {
      begin: async () => {},
      process: async (item, first) => {
        if (!first) input.push(item);
      },
      end: async () => {
        const args: string[] = [];
        for (const a of raw) {
          if (a.param !== undefined) {
            args.push('-' + a.param + (a.colon ? ':' + toStr(a.value) : ''));
            continue;
          }
          for (const v of enumerate(a.value)) {
            const s = toStr(v);
            // 5.1 drops empty-string arguments to native programs.
            if (s !== '') args.push(s);
          }
        }
        const cmdLine = [quoteArgument(path), ...args.map((a) => (/[\s"]/.test(a) ? quoteArgument(a) : a))].join(' ');
        await this.host.flush();
        const child = this.ctx.spawn(cmdLine, {
          applicationName: path,
          cwd: this.fsCwd(),
          stdin: input.length ? 'pipe' : 'inherit',
          stdout: direct ? 'inherit' : 'pipe',
          stderr: 'inherit',
        });
        if (input.length && child.stdin) {
          const text = input.map((x) => toStr(x) + '\r\n').join('');
          const w = child.stdin;
          void w
            .write(text)
            .catch(() => {})
            .then(() => w.close());
        }
        if (child.stdout) {
          for (let line = await child.stdout.readLine(); line !== null; line = await child.stdout.readLine()) await emit(line);
        }
        const code = await child.wait();
        this.global.vars.set('lastexitcode', { name: 'LASTEXITCODE', value: code });
        if (code !== 0) this.failed = true;
      },
    };
  }

  private cmdletStage(def: CmdletDef, raw: RawArgument[], emit: Emit, expectingInput: boolean, ext: Extent): Stage {
    const { bound } = bindParameters(def.name, def.params, raw);
    const input: unknown[] = [];
    const errorAction = bound.get('erroraction');
    // -ErrorVariable name (or +name to add): the command's errors, the variable emptied first unless `+`.
    let errorVariable: unknown[] | undefined;
    if (bound.has('errorvariable')) {
      const raw = toStr(bound.get('errorvariable'));
      const name = raw.replace(/^\+/, '');
      const before = this.getVar(name);
      errorVariable = raw.startsWith('+') && Array.isArray(before) ? before : [];
      this.setVar(name, errorVariable);
    }
    const recordError = (rec: ErrorRecord): void => {
      if (errorVariable && toStr(errorAction ?? '').toLowerCase() !== 'ignore') errorVariable.push(errorRecordObject(rec));
    };
    const call: CmdletCall = {
      name: def.name,
      bound,
      has: (n) => bound.has(n.toLowerCase()),
      get: (n) => bound.get(n.toLowerCase()),
      flag: (n) => toBool(bound.get(n.toLowerCase()) ?? false),
      strings: (n) => {
        const v = bound.get(n.toLowerCase());
        return v === undefined ? undefined : enumerate(v).map(toStr);
      },
      input,
      expectingInput,
      emit,
      error: async (spec: ErrorSpec) => {
        const rec = errorRecord({ activity: def.name, commandName: def.name, ...spec, id: spec.id?.includes(',') ? spec.id : `${spec.id ?? spec.reason ?? 'RuntimeException'},${commandClass(def.name)}` });
        rec.position = { source: this.source, ext };
        recordError(rec);
        await this.writeError(rec, errorAction);
      },
      fail: (spec: ErrorSpec) => {
        const rec = errorRecord({ activity: def.name, commandName: def.name, ...spec, id: spec.id?.includes(',') ? spec.id : `${spec.id ?? spec.reason ?? 'RuntimeException'},${commandClass(def.name)}` });
        rec.position = { source: this.source, ext };
        recordError(rec);
        return new PSError(rec);
      },
      ext,
      state: {},
    };
    const guard = async (f: () => Promise<void>) => {
      try {
        await f();
      } catch (e) {
        if (e instanceof PSError && !e.record.position) e.record.position = { source: this.source, ext };
        throw e;
      }
    };
    return {
      begin: () => guard(async () => def.begin?.(call)),
      process: (item, first) =>
        guard(async () => {
          if (first && expectingInput) return;
          if (def.process) await def.process(call, first ? undefined : item);
          else if (!first) input.push(item);
        }),
      end: () =>
        guard(async () => {
          if (def.run) await def.run(call);
          if (def.end) await def.end(call);
        }),
    };
  }

  // ---- MemberHost ---------------------------------------------------------------------

  invoke(sb: ScriptBlock, dollarUnder: unknown, args: unknown[]): Promise<unknown[]> {
    return this.invokeBlock(sb, { dollarUnder, args });
  }
  readFileText(path: string): string {
    return this.readFile(path);
  }
  writeFile(path: string, text: string, append: boolean): void {
    this.writeFileEncoded(path, text, append, 'utf8nobom');
  }
  fileExists(path: string): boolean {
    try {
      return ((this.ctx.fs?.stat(path, this.fsCwd()).attributes ?? 0x10) & 0x10) === 0;
    } catch {
      return false;
    }
  }
  dirExists(path: string): boolean {
    try {
      return ((this.ctx.fs?.stat(path, this.fsCwd()).attributes ?? 0) & 0x10) !== 0;
    } catch {
      return false;
    }
  }
  fullPath(path: string): string {
    return this.ctx.fs ? this.ctx.fs.fullPath(path, this.fsCwd()) : path;
  }
  env(name: string): string | undefined {
    return this.ctx.env.get(name);
  }
  setEnv(name: string, value: string | null, target?: string): void {
    const t = (target ?? 'Process').toLowerCase();
    if (t === 'process') return this.ctx.env.set(name, value ?? undefined);
    // Machine and User variables live in the registry (what SetEnvironmentVariable writes); the process keeps its own copy.
    const key = t === 'machine' ? 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment' : 'HKCU\\Environment';
    const reg = this.ctx.registry;
    if (!reg) return;
    if (value === null) {
      try {
        reg.deleteValue(key, name);
      } catch {
        /* already absent */
      }
      return;
    }
    reg.createKey(key);
    reg.setValue(key, { name, type: value.includes('%') ? 2 : 1, data: value });
  }
  getEnvTarget(name: string, target: string): string | undefined {
    const key = /^machine$/i.test(target) ? 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment' : 'HKCU\\Environment';
    try {
      const v = this.ctx.registry?.getValue(key, name);
      return v && typeof v.data === 'string' ? v.data : undefined;
    } catch {
      return undefined;
    }
  }
  now(): number {
    return this.ctx.now();
  }
  machineName(): string {
    return this.ctx.env.get('COMPUTERNAME') ?? 'localhost';
  }
  userName(): string {
    return this.ctx.env.get('USERNAME') ?? 'ContainerAdministrator';
  }
}

export type Resolved =
  | { kind: 'function'; fn: FunctionDef }
  | { kind: 'cmdlet'; def: CmdletDef }
  | { kind: 'native'; path: string }
  | { kind: 'script'; path: string };

interface Stage {
  begin(): Promise<void>;
  /** `first`: the call that starts the pipeline (no input item). */
  process(item: unknown, first?: boolean): Promise<void>;
  end(): Promise<void>;
}

/** `exit` inside a script block or sub-expression: unwinds to the top level. */
export class ExitRequest {
  constructor(readonly code: number) {}
}

/**
 * A failure of the machine underneath (a Win32 error a cmdlet did not
 * expect, an engine fault) as a statement-terminating PowerShell error:
 * no JavaScript exception reaches the user (DECIDED: category NotSpecified).
 */
export function asPSError(e: unknown): unknown {
  if (e instanceof PSError || e instanceof ExitRequest || !(e instanceof Error)) return e;
  const message = e instanceof Win32Error ? win32Message(e.code).trim() : e instanceof RangeError ? 'The script failed due to call depth overflow.' : e.message;
  return new PSError(errorRecord({ message, category: 'NotSpecified', reason: e instanceof Win32Error ? 'Win32Exception' : 'RuntimeException', id: e instanceof Win32Error ? 'System.ComponentModel.Win32Exception' : 'RuntimeException' }));
}

function loopFlow(f: Flow, label: string | undefined): 'break' | 'continue' | Flow {
  if (!f) return undefined;
  if (f.k === 'break' || f.k === 'continue') {
    if (f.label && f.label.toLowerCase() !== label?.toLowerCase()) return f;
    return f.k;
  }
  return f;
}

function unwrap(items: unknown[]): unknown {
  return items.length === 0 ? null : items.length === 1 ? items[0] : items;
}

/** Binds the pipeline item to a ValueFromPipeline parameter (or the first parameter when the block declares none as such). */
function pipelineRaw(ast: ScriptBlockAst, raw: RawArgument[], item: unknown, end = false): RawArgument[] {
  if (item === undefined || end) return raw;
  const p = ast.params.find((x) => x.fromPipeline);
  if (!p) return raw;
  if (raw.some((r) => r.param?.toLowerCase() === p.name.toLowerCase())) return raw;
  return [...raw, { param: p.name, value: item, hasValue: true, colon: true, ext: { start: 0, end: 0 } }];
}

function catchMatches(type: string, rec: ErrorRecord): boolean {
  const t = normalizeType(type);
  const ex = normalizeType(rec.exceptionType);
  if (t === 'exception' || t === 'object') return true;
  if (t === ex || ex.endsWith('.' + t)) return true;
  if (t === 'management.automation.runtimeexception') return true;
  if (t === 'io.ioexception' && ex.startsWith('io.')) return true;
  return false;
}

export { versionObject };

export function indexValue(obj: unknown, idx: unknown): unknown {
  if (obj === null || obj === undefined) {
    throw runtimeError('Cannot index into a null array.', 'NullArray', 'InvalidOperation');
  }
  if (obj instanceof PSHashtable) {
    if (Array.isArray(idx)) return idx.map((k) => obj.get(k));
    return obj.get(idx);
  }
  if (obj instanceof PSObject) return obj.get(toStr(idx));
  const seq: unknown[] | string | undefined = Array.isArray(obj) ? obj : typeof obj === 'string' ? obj : undefined;
  if (seq === undefined) {
    if (toNumber(idx) === 0 || toNumber(idx) === -1) return obj;
    return null;
  }
  const one = (i: unknown): unknown => {
    let n = toNumber(i);
    if (n < 0) n += seq.length;
    if (n < 0 || n >= seq.length) return undefined;
    return seq[n];
  };
  if (Array.isArray(idx)) return idx.map(one).filter((x) => x !== undefined);
  const r = one(idx);
  return r === undefined ? null : r;
}

export { PSDateTime };
