/**
 * The contract between the engine and its cmdlets: a cmdlet declares its
 * parameters (names, aliases, positions, switches) and either runs once
 * over all its pipeline input (`run`) or item by item (`process`). The
 * binder implements about_Parameters' rules: a unique prefix names a
 * parameter, switches take no argument, the rest bind by position, and
 * the common parameters (-ErrorAction, -Verbose, …) belong to every cmdlet.
 */
import type { Extent } from '../parser/ast.js';
import { PSError, errorRecord, type ErrorSpec } from './errors.js';
import { toBool, toStr, ScriptBlock } from './values.js';

export interface ParamDef {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly position?: number;
  /** A [switch]: present means $true; `-Name:$false` sets it explicitly. */
  readonly switch?: boolean;
  /** Collects every positional argument left over (ValueFromRemainingArguments). */
  readonly remaining?: boolean;
  /** The .NET type named in binding errors (default System.String). */
  readonly type?: string;
}

/** How far a cmdlet or feature goes (style.md rule 7: the support matrix lives in code). */
export type Support = { level: 'supported' } | { level: 'partial'; note: string };

export interface CmdletDef {
  /** Verb-Noun as PowerShell spells it. */
  readonly name: string;
  readonly params: readonly ParamDef[];
  readonly support: Support;
  /** Runs once, after every input item arrived (call.input). */
  run?(call: CmdletCall): Promise<void>;
  /** Runs for each input item (or once with undefined when nothing is piped in). */
  begin?(call: CmdletCall): Promise<void>;
  process?(call: CmdletCall, item: unknown): Promise<void>;
  end?(call: CmdletCall): Promise<void>;
}

export interface CmdletCall {
  /** The cmdlet's name as PowerShell spells it (errors use it). */
  readonly name: string;
  /** Bound parameters by lower-cased canonical name. */
  readonly bound: Map<string, unknown>;
  has(name: string): boolean;
  get(name: string): unknown;
  /** A switch's value. */
  flag(name: string): boolean;
  /** A parameter as strings (an array argument gives several). */
  strings(name: string): string[] | undefined;
  /** Pipeline input, for run(). */
  readonly input: unknown[];
  /** True when the command is not first in its pipeline. */
  readonly expectingInput: boolean;
  emit(v: unknown): Promise<void>;
  /** WriteError: a non-terminating error, subject to -ErrorAction and $ErrorActionPreference. */
  error(spec: ErrorSpec): Promise<void>;
  /** ThrowTerminatingError. */
  fail(spec: ErrorSpec): PSError;
  readonly ext: Extent;
  /** Per-invocation scratch state for streaming cmdlets. */
  state: Record<string, unknown>;
}

const COMMON: ParamDef[] = [
  { name: 'ErrorAction', aliases: ['ea'] },
  { name: 'ErrorVariable', aliases: ['ev'] },
  { name: 'WarningAction', aliases: ['wa'] },
  { name: 'WarningVariable', aliases: ['wv'] },
  { name: 'InformationAction', aliases: ['infa'] },
  { name: 'InformationVariable', aliases: ['iv'] },
  { name: 'OutVariable', aliases: ['ov'] },
  { name: 'OutBuffer', aliases: ['ob'] },
  { name: 'PipelineVariable', aliases: ['pv'] },
  { name: 'Verbose', aliases: ['vb'], switch: true },
  { name: 'Debug', aliases: ['db'], switch: true },
  { name: 'WhatIf', aliases: ['wi'], switch: true },
  { name: 'Confirm', aliases: ['cf'], switch: true },
];

export interface RawArgument {
  /** Parameter name without the dash, when the argument was `-name` or `-name:value`. */
  readonly param?: string;
  /** The value (for `-name:value`), or the positional argument. */
  readonly value?: unknown;
  readonly hasValue: boolean;
  readonly ext: Extent;
  /** `-name:value` form. */
  readonly colon?: boolean;
}

function bindingError(command: string, message: string, id: string, category = 'InvalidArgument', target = ''): PSError {
  return new PSError(
    errorRecord({
      message,
      category,
      reason: 'ParameterBindingException',
      activity: command,
      targetName: target,
      targetType: target ? 'String' : '',
      id: `${id},${commandClass(command)}`,
      commandName: command,
    }),
  );
}

/** The cmdlet's .NET class name for FullyQualifiedErrorId (`Get-Item` → `Microsoft.PowerShell.Commands.GetItemCommand`). */
export function commandClass(command: string): string {
  return `Microsoft.PowerShell.Commands.${command.replace(/-/g, '')}Command`;
}

/** Binds raw arguments to a parameter list (cmdlets and script functions alike). */
export function bindParameters(command: string, params: readonly ParamDef[], args: readonly RawArgument[], allowExtra = false): { bound: Map<string, unknown>; extra: unknown[] } {
  const all = [...params, ...COMMON];
  const bound = new Map<string, unknown>();
  const positional: unknown[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.param === undefined) {
      positional.push(a.value);
      continue;
    }
    const want = a.param.toLowerCase();
    let matches = all.filter((p) => p.name.toLowerCase() === want || p.aliases?.some((x) => x.toLowerCase() === want));
    if (matches.length === 0) matches = all.filter((p) => p.name.toLowerCase().startsWith(want));
    if (matches.length === 0) {
      if (allowExtra) {
        positional.push('-' + a.param);
        continue;
      }
      throw bindingError(command, `A parameter cannot be found that matches parameter name '${a.param}'.`, 'NamedParameterNotFound');
    }
    if (matches.length > 1) {
      throw bindingError(command, `Parameter cannot be processed because the parameter name '${a.param}' is ambiguous. Possible matches include: ${matches.map((m) => '-' + m.name).join(' ')}.`, 'AmbiguousParameter');
    }
    const p = matches[0]!;
    const key = p.name.toLowerCase();
    if (bound.has(key)) throw bindingError(command, `Cannot bind parameter because parameter '${p.name}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`, 'ParameterAlreadyBound');
    if (p.switch) {
      bound.set(key, a.colon ? toBool(a.value) : true);
      continue;
    }
    if (a.colon) {
      bound.set(key, p.remaining ? [a.value] : a.value);
      continue;
    }
    const next = args[i + 1];
    if (!next || next.param !== undefined) {
      throw bindingError(command, `Missing an argument for parameter '${p.name}'. Specify a parameter of type '${p.type ?? 'System.String'}' and try again.`, 'MissingArgument');
    }
    bound.set(key, p.remaining ? [next.value] : next.value);
    i++;
  }
  const slots = params.filter((p) => p.position !== undefined && !p.remaining && !bound.has(p.name.toLowerCase())).sort((a, b) => a.position! - b.position!);
  const remaining = params.find((p) => p.remaining && !(bound.has(p.name.toLowerCase()) && !Array.isArray(bound.get(p.name.toLowerCase()))));
  const extra: unknown[] = [];
  for (const v of positional) {
    const slot = slots.shift();
    if (slot) bound.set(slot.name.toLowerCase(), v);
    else if (remaining) {
      const k = remaining.name.toLowerCase();
      const cur = bound.get(k);
      bound.set(k, cur === undefined ? [v] : [...(cur as unknown[]), v]);
    } else if (allowExtra) extra.push(v);
    else throw bindingError(command, `A positional parameter cannot be found that accepts argument '${toStr(v instanceof ScriptBlock ? v.toString() : v)}'.`, 'PositionalParameterNotFound', 'InvalidArgument', toStr(v));
  }
  return { bound, extra };
}
