/**
 * reg.exe's command line: the key argument (`ROOT\Subkey`, ROOT one of
 * HKLM | HKCU | HKCR | HKU | HKCC or their long names, case-insensitive)
 * and the switches, which take `/` or `-` and any case (`/V`, `-ve`).
 */
import { parsePath, type RootKey } from '../../../../kernel/registry/names.js';
import { ERROR_BAD_NETPATH } from '../../../../core/win32.js';
import { INVALID_KEY, INVALID_SYNTAX, invalidOption, registryError, usageHint } from './messages.js';

/** A key as the user named it. */
export interface RegKey {
  root: RootKey;
  /** The subkey path as typed, separators normalised (no leading, trailing or doubled `\`). */
  subkey: string;
  /** What reg prints for it: the root's long name, then the subkey path as typed. */
  display: string;
  /** The path the registry API takes. */
  path: string;
}

/** A usage error: the lines reg prints to stderr before exiting with 1. */
export class RegUsageError extends Error {
  constructor(readonly lines: string[]) {
    super(lines[0]);
  }
}

export function syntaxError(op: string): RegUsageError {
  return new RegUsageError([INVALID_SYNTAX, usageHint(op)]);
}

/** The operations whose key may name a remote machine (`reg /?` of each: EXPORT and IMPORT are "local machine only"). */
const REMOTE_OPS = new Set(['QUERY', 'ADD', 'DELETE', 'COPY']);

/**
 * Parses a key argument. An unknown root or a path the registry API
 * refuses (a name part too long, a leading backslash after the root) is
 * an invalid key name. A `\\Machine\` prefix (`reg query /?`: "Only HKLM
 * and HKU are available on remote machines") is checked the same way,
 * then reg connects to that machine's registry (RegConnectRegistry); a
 * container has no network registry to reach, so the connection fails
 * with ERROR_BAD_NETPATH — "ERROR: The network path was not found.", as
 * reg.exe prints for a host it cannot reach. DECIDED: the container's own
 * name fails the same way (RegConnectRegistry with a machine name goes
 * through the RemoteRegistry service, which a container does not run).
 */
export function parseKey(op: string, text: string): RegKey {
  const invalid = () => new RegUsageError([INVALID_KEY, usageHint(op)]);
  let local = text;
  let remote = false;
  if (text.startsWith('\\\\')) {
    const m = /^\\\\([^\\]+)\\(.+)$/.exec(text);
    if (!m || !REMOTE_OPS.has(op)) throw invalid();
    local = m[2]!;
    remote = true;
  }
  let parsed;
  try {
    parsed = parsePath('RegOpenKeyEx', local);
  } catch {
    throw invalid();
  }
  if (remote) {
    if (parsed.root !== 'HKEY_LOCAL_MACHINE' && parsed.root !== 'HKEY_USERS') throw invalid();
    throw new RegUsageError([registryError(ERROR_BAD_NETPATH)]);
  }
  const subkey = parsed.subkeys.join('\\');
  const display = subkey ? `${parsed.root}\\${subkey}` : parsed.root;
  return { root: parsed.root, subkey, display, path: display };
}

/**
 * Switches of one operation: name (upper case, no prefix) → whether it
 * takes an argument; 'optional' takes one unless the next argument is
 * another switch of the table or there is none (`reg query /f x /v`).
 */
export type SwitchTable = Readonly<Record<string, boolean | 'optional'>>;

export interface ParsedArgs {
  positional: string[];
  /** Switch name (upper case) → its argument ('' for a flag). */
  switches: Map<string, string>;
}

function isSwitch(arg: string): boolean {
  return arg.length > 1 && (arg[0] === '/' || arg[0] === '-');
}

/**
 * Splits an operation's arguments. An unknown switch is "Invalid
 * argument/option"; a repeated switch or a missing switch argument is a
 * syntax error (Wine's reg tests, run against Windows: `/s /s`, `/v` alone
 * and `/v a /v b` all fail with exit code 1). `/reg:32` and `/reg:64`
 * choose a registry view; there is one view here, so they are accepted
 * once and ignored.
 */
export function parseArgs(op: string, args: readonly string[], table: SwitchTable): ParsedArgs {
  const positional: string[] = [];
  const switches = new Map<string, string>();
  let view = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!isSwitch(arg)) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(1).toUpperCase();
    if (name === 'REG:32' || name === 'REG:64') {
      if (view) throw syntaxError(op);
      view = true;
      continue;
    }
    if (!Object.hasOwn(table, name)) throw new RegUsageError([invalidOption(arg), usageHint(op)]);
    if (switches.has(name)) throw syntaxError(op);
    const takes = table[name];
    if (takes === 'optional') {
      const next = args[i + 1];
      const nextIsSwitch = next !== undefined && isSwitch(next) && Object.hasOwn(table, next.slice(1).toUpperCase());
      switches.set(name, next === undefined || nextIsSwitch ? '' : args[++i]!);
    } else if (takes) {
      if (i + 1 >= args.length) throw syntaxError(op);
      switches.set(name, args[++i]!);
    } else {
      switches.set(name, '');
    }
  }
  return { positional, switches };
}
