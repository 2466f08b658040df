/** Small helpers the cmdlet families share. */
import type { CmdletCall, CmdletDef, ParamDef, Support } from '../runtime/commands.js';
import { ScriptBlock, enumerate, toStr } from '../runtime/values.js';

export const SUPPORTED: Support = { level: 'supported' };
export const partial = (note: string): Support => ({ level: 'partial', note });

/** A cmdlet that runs once over all its input. */
export function cmdlet(name: string, params: ParamDef[], run: (c: CmdletCall) => Promise<void>, support: Support = SUPPORTED): CmdletDef {
  return { name, params, run, support };
}

/** A cmdlet that handles its input item by item. */
export function streaming(
  name: string,
  params: ParamDef[],
  impl: { begin?(c: CmdletCall): Promise<void>; process(c: CmdletCall, item: unknown): Promise<void>; end?(c: CmdletCall): Promise<void> },
  support: Support = SUPPORTED,
): CmdletDef {
  return { name, params, support, begin: impl.begin, process: impl.process, end: impl.end };
}

export const p = (name: string, position?: number, aliases?: string[]): ParamDef => ({ name, position, aliases });
export const sw = (name: string, aliases?: string[]): ParamDef => ({ name, switch: true, aliases });

/** The values of a parameter that takes a list, or of the pipeline input when it is not bound. */
export function valuesOf(c: CmdletCall, param: string): unknown[] {
  if (c.has(param)) return enumerate(c.get(param));
  return c.input;
}

export function str(v: unknown): string {
  return v instanceof ScriptBlock ? v.toString() : toStr(v);
}
