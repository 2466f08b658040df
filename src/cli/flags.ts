/**
 * Command-line flags exactly as the docker CLI parses them: a port of the
 * parsing rules of spf13/pflag v1.0.10 (flag.go parseArgs / parseLongArg /
 * parseShortArg / parseSingleShortArg, errors.go), which docker/cli
 * vendors, and of its help listing (FlagUsagesWrapped, UnquoteUsage).
 *
 * Why not node:util parseArgs: pflag's rules differ from it in ways users
 * see — `-e=K=V` gives `K=V` (parseArgs: `=K=V`), boolean flags accept
 * `--rm=false` / `-d=false` and never take the next argument, a value flag
 * takes the next argument even when it starts with `-` (`--name -x`), a
 * shorthand group reports errors against the *rest* of the group
 * (`-ixt` → `unknown shorthand flag: 'x' in -xt`), parsing stops at the
 * first positional when interspersing is off (`docker run`), and `--help`
 * is only special when the command does not define it. Reproducing those
 * on top of parseArgs' tokens would be a second parser; this file is the
 * one parser, about as long. No npm parser (commander, yargs, minimist)
 * follows pflag either.
 *
 * pflag works on bytes: shorthand letters are single bytes of the UTF-8
 * argument, so a group is walked as a byte string here too (`-é` is an
 * unknown shorthand `'Ã'`, as docker says).
 */
import { goQuote, goQuoteRune, parseGoBool, parseGoInt64 } from './goformat.js';

/** What a flag holds, as pflag's Value.Type() names it (shown in help). */
export type FlagType = 'bool' | 'string' | 'int64' | 'bytes' | 'list';

export interface FlagSpec {
  /** The long name, without dashes. */
  readonly name: string;
  /** One ASCII letter, or absent. */
  readonly shorthand?: string;
  readonly type: FlagType;
  /** The help text; a `back-quoted` word names the value in the listing, as pflag's UnquoteUsage does. */
  readonly usage: string;
  /** The default shown in help when it is not the zero value (pflag's DefValue). */
  readonly defValue?: string;
  /** Not listed in help. */
  readonly hidden?: boolean;
  /**
   * Converts and checks one value, as the flag's pflag Value.Set does;
   * throws Error with the cause pflag prints after `flag: `. Absent: the
   * type's own parser (int64: strconv.ParseInt, bool: strconv.ParseBool).
   */
  readonly validate?: (value: string) => string;
}

/** The parsed value of one flag. */
export type FlagValue = boolean | string | bigint | string[];

/** A pflag parse error; `message` is pflag's exact text. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
}

/** `--help` when the command has no help flag of its own (pflag's ErrHelp). */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
  constructor() {
    super('pflag: help requested');
  }
}

export interface ParsedFlags {
  /** Values of the flags given (list flags accumulate; bytes/int64 as bigint, bool as boolean, string as string). */
  readonly values: ReadonlyMap<string, FlagValue>;
  /** Flags given at least once (pflag's Changed). */
  readonly changed: ReadonlySet<string>;
  /** The arguments that are not flags (with interspersing off: the first positional and everything after it). */
  readonly args: readonly string[];
}

const toBytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const fromBytes = (s: string): string => Buffer.from(s, 'latin1').toString('utf8');

export class FlagSet {
  private readonly byName = new Map<string, FlagSpec>();
  private readonly byShorthand = new Map<string, FlagSpec>();

  constructor(
    readonly specs: readonly FlagSpec[],
    /** pflag's SetInterspersed: false stops at the first positional (docker run, docker's root). */
    readonly interspersed: boolean,
  ) {
    for (const s of specs) {
      this.byName.set(s.name, s);
      if (s.shorthand) this.byShorthand.set(s.shorthand, s);
    }
  }

  lookup(name: string): FlagSpec | undefined {
    return this.byName.get(name);
  }

  /** Parses `args` (without the command name). Throws FlagError or HelpRequested. */
  parse(args: readonly string[]): ParsedFlags {
    const values = new Map<string, FlagValue>();
    const changed = new Set<string>();
    const positional: string[] = [];
    const set = (flag: FlagSpec, value: string): void => {
      let v: FlagValue;
      try {
        v = this.convert(flag, value);
      } catch (e) {
        const cause = e instanceof Error ? e.message : String(e);
        // pflag's InvalidValueError.
        const flagName = flag.shorthand ? `-${flag.shorthand}, --${flag.name}` : `--${flag.name}`;
        throw new FlagError(`invalid argument ${goQuote(value)} for ${goQuote(flagName)} flag: ${cause}`);
      }
      if (flag.type === 'list') {
        const prev = (values.get(flag.name) as string[] | undefined) ?? [];
        if ((v as string) !== DROPPED) prev.push(v as string);
        values.set(flag.name, prev);
      } else values.set(flag.name, v);
      changed.add(flag.name);
    };

    let rest = [...args];
    while (rest.length > 0) {
      const s = rest.shift()!;
      if (s.length === 0 || s[0] !== '-' || s.length === 1) {
        if (!this.interspersed) {
          positional.push(s, ...rest);
          return { values, changed, args: positional };
        }
        positional.push(s);
        continue;
      }
      if (s[1] === '-') {
        if (s.length === 2) {
          // "--" ends the flags.
          positional.push(...rest);
          break;
        }
        rest = this.parseLong(s, rest, set);
      } else {
        rest = this.parseShortGroup(s, rest, set);
      }
    }
    return { values, changed, args: positional };
  }

  private parseLong(s: string, rest: string[], set: (f: FlagSpec, v: string) => void): string[] {
    let name = s.slice(2);
    if (name.length === 0 || name[0] === '-' || name[0] === '=') throw new FlagError(`bad flag syntax: ${s}`);
    const eq = name.indexOf('=');
    const inline = eq >= 0 ? name.slice(eq + 1) : undefined;
    if (eq >= 0) name = name.slice(0, eq);
    const flag = this.byName.get(name);
    if (!flag) {
      if (name === 'help') throw new HelpRequested();
      throw new FlagError(`unknown flag: --${name}`);
    }
    let value: string;
    if (inline !== undefined) value = inline;
    else if (flag.type === 'bool') value = 'true'; // NoOptDefVal
    else if (rest.length > 0) value = rest.shift()!;
    else throw new FlagError(`flag needs an argument: --${name}`);
    set(flag, value);
    return rest;
  }

  private parseShortGroup(s: string, rest: string[], set: (f: FlagSpec, v: string) => void): string[] {
    // pflag passes the original args to every letter of the group; only the
    // last letter can take the next argument, since a value letter takes the
    // rest of the group when there is one.
    let shorthands = toBytes(s.slice(1));
    let out = rest;
    while (shorthands.length > 0) {
      if (shorthands.startsWith('test.')) break; // pflag's isGotestShorthandFlag: ignored
      const c = shorthands[0]!;
      const flag = this.byShorthand.get(c);
      if (!flag) {
        if (c === 'h') throw new HelpRequested();
        throw new FlagError(`unknown shorthand flag: ${goQuoteRune(c.charCodeAt(0))} in -${fromBytes(shorthands)}`);
      }
      let value: string;
      let next = shorthands.slice(1);
      if (shorthands.length > 2 && shorthands[1] === '=') {
        value = fromBytes(shorthands.slice(2)); // -f=arg
        next = '';
      } else if (flag.type === 'bool') {
        value = 'true';
      } else if (shorthands.length > 1) {
        value = fromBytes(shorthands.slice(1)); // -farg
        next = '';
      } else if (rest.length > 0) {
        value = rest[0]!; // -f arg
        out = rest.slice(1);
      } else {
        throw new FlagError(`flag needs an argument: ${goQuoteRune(c.charCodeAt(0))} in -${fromBytes(shorthands)}`);
      }
      set(flag, value);
      shorthands = next;
    }
    return out;
  }

  private convert(flag: FlagSpec, value: string): FlagValue {
    if (flag.validate) {
      const v = flag.validate(value);
      if (flag.type === 'bytes' || flag.type === 'int64') {
        // A validator may give "1e+22" for a size beyond 2^53; BigInt takes the number itself.
        const n = Number(v);
        return Number.isInteger(n) ? BigInt(n) : BigInt(v);
      }
      return v;
    }
    switch (flag.type) {
      case 'bool':
        return parseGoBool(value);
      case 'int64':
        return parseGoInt64(value);
      default:
        return value;
    }
  }

  /**
   * pflag's FlagUsagesWrapped(cols): one line per visible flag, sorted by
   * name, `  -x, --name type` or `      --name type`, usage aligned one
   * column after the longest, wrapped at `cols` (docker passes the
   * terminal width − 1, 79 without a terminal).
   */
  usages(cols: number): string {
    const lines: string[] = [];
    let maxlen = 0;
    const sorted = [...this.specs].filter((f) => !f.hidden).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const flag of sorted) {
      let line = flag.shorthand ? `  -${flag.shorthand}, --${flag.name}` : `      --${flag.name}`;
      const [varname, usage] = unquoteUsage(flag);
      if (varname !== '') line += ' ' + varname;
      line += '\x00';
      if (line.length > maxlen) maxlen = line.length;
      line += usage;
      const def = flag.defValue;
      if (def !== undefined && !isZeroDefault(flag, def)) line += flag.type === 'string' ? ` (default ${goQuote(def)})` : ` (default ${def})`;
      lines.push(line);
    }
    let out = '';
    for (const line of lines) {
      const sidx = line.indexOf('\x00');
      const spacing = ' '.repeat(maxlen - sidx);
      // Go's Fprintln puts a space between its three operands.
      out += `${line.slice(0, sidx)} ${spacing} ${wrap(maxlen + 2, cols, line.slice(sidx + 1))}\n`;
    }
    return out;
  }
}

/** A list value the flag's validator asks to leave out (docker's `-e NAME` when NAME is not set here). */
export const DROPPED = '\u0000dropped';

function unquoteUsage(flag: FlagSpec): [string, string] {
  const u = flag.usage;
  const i = u.indexOf('`');
  if (i >= 0) {
    const j = u.indexOf('`', i + 1);
    if (j >= 0) {
      const name = u.slice(i + 1, j);
      return [name, u.slice(0, i) + name + u.slice(j + 1)];
    }
  }
  switch (flag.type) {
    case 'bool':
      return ['', u];
    case 'int64':
      return ['int', u];
    default:
      return [flag.type, u];
  }
}

function isZeroDefault(flag: FlagSpec, def: string): boolean {
  switch (flag.type) {
    case 'bool':
      return def === 'false' || def === '';
    case 'int64':
      return def === '0';
    case 'string':
      return def === '';
    default:
      return def === 'false' || def === '<nil>' || def === '' || def === '0';
  }
}

/** pflag's wrapN: split `s` at whitespace before `i` chars, allowing `slop` more to avoid an orphan. */
function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ''];
  const head = s.slice(0, i);
  const w = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t'), head.lastIndexOf('\n'));
  if (w <= 0) return [s, ''];
  const nl = head.lastIndexOf('\n');
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

/** pflag's wrap: the usage text after the aligned column, wrapped to `w` with indent `i`. */
function wrap(i: number, w: number, s: string): string {
  if (w === 0) return s.replace(/\n/g, '\n' + ' '.repeat(i));
  let width = w - i;
  let r = '';
  if (width < 24) {
    i = 16;
    width = w - i;
    r += '\n' + ' '.repeat(i);
  }
  if (width < 24) return s.replace(/\n/g, r);
  const slop = 5;
  width -= slop;
  let l: string;
  [l, s] = wrapN(width, slop, s);
  r += l.replace(/\n/g, '\n' + ' '.repeat(i));
  while (s !== '') {
    let t: string;
    [t, s] = wrapN(width, slop, s);
    r += '\n' + ' '.repeat(i) + t.replace(/\n/g, '\n' + ' '.repeat(i));
  }
  return r;
}
