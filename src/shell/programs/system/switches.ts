/**
 * The command-line grammar tasklist.exe, taskkill.exe and whoami.exe share
 * (Windows' common cmdline parser): switches start with `/` or `-` and are
 * case-insensitive; a switch that takes a value takes the next argument.
 * Errors, as those tools print them (then `Type "TOOL /?" for usage.`):
 *
 *   ERROR: Invalid argument/option - '<arg>'.
 *   ERROR: Invalid syntax. Value expected for '<switch>'.
 *   ERROR: Invalid syntax. '<switch>' option is not allowed more than '<n>' time(s).
 *
 * The switch is quoted as the user typed it.
 */
export interface SwitchSpec {
  /** Upper-case name without the leading `/`. */
  readonly name: string;
  readonly takesValue: boolean;
  /** How often it may appear (default 1). */
  readonly max?: number;
}

export interface ParsedSwitches {
  /** Values by upper-case name ('' for a flag), in order. */
  readonly values: ReadonlyMap<string, string[]>;
  readonly help: boolean;
}

export class SwitchError {
  constructor(readonly message: string) {}
}

export function parseSwitches(args: readonly string[], specs: readonly SwitchSpec[]): ParsedSwitches | SwitchError {
  const values = new Map<string, string[]>();
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '/?' || a === '-?') {
      help = true;
      continue;
    }
    const spec = a.length > 1 && (a[0] === '/' || a[0] === '-') ? specs.find((s) => s.name === a.slice(1).toUpperCase()) : undefined;
    if (!spec) return new SwitchError(`ERROR: Invalid argument/option - '${a}'.`);
    const list = values.get(spec.name) ?? [];
    if (list.length >= (spec.max ?? 1)) return new SwitchError(`ERROR: Invalid syntax. '${a}' option is not allowed more than '${spec.max ?? 1}' time(s).`);
    if (spec.takesValue) {
      const v = args[i + 1];
      if (v === undefined || ((v.startsWith('/') || v.startsWith('-')) && specs.some((s) => s.name === v.slice(1).toUpperCase()))) {
        return new SwitchError(`ERROR: Invalid syntax. Value expected for '${a}'.`);
      }
      list.push(v);
      i++;
    } else list.push('');
    values.set(spec.name, list);
  }
  return { values, help };
}
