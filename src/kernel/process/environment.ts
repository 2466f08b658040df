/**
 * A process environment block as ntdll keeps it: `Name=Value` strings, names
 * compared case-insensitively and stored with the case they were first set
 * with, the block kept sorted.
 *
 * Rules (ReactOS ntdll RtlSetEnvironmentVariable / RtlQueryEnvironmentVariable;
 * Wine's agrees on validation):
 *  - A name is at least one character and may contain `=` only as its first
 *    character; otherwise STATUS_INVALID_PARAMETER (Win32
 *    ERROR_INVALID_PARAMETER, 87). That first-character `=` is how cmd.exe
 *    keeps its hidden per-drive current directories (`=C:=C:\Windows`) and
 *    `=ExitCode`: they are ordinary entries, shown by no `set`.
 *  - Setting a new name inserts it before the first entry that compares
 *    greater (RtlCompareUnicodeString, case-insensitive: both sides
 *    upcased, compared code unit by code unit, a prefix first), so a block
 *    built by set() stays sorted and `=…` entries come first ('=' < 'A').
 *    Setting an existing name replaces the value and keeps the stored name.
 *  - Setting undefined removes the name; removing a missing name is no error.
 *  - A lookup of a missing name is ERROR_ENVVAR_NOT_FOUND (203) for
 *    GetEnvironmentVariable; here get() answers undefined.
 *  - A value is at most 32,767 characters (PROCESS_LIMITS).
 * A block given as a whole (CreateProcess lpEnvironment) is kept in the order
 * given, as Windows does; only later sets insert in sorted position.
 */
import { fold } from '../../core/ob/upcase.js';
import { ERROR_INVALID_PARAMETER, Win32Error } from '../../core/win32.js';
import { PROCESS_LIMITS } from './limits.js';

interface Entry {
  readonly name: string;
  /** fold(name): the comparison key. */
  readonly key: string;
  readonly value: string;
}

/** RtlCompareUnicodeString(a, b, TRUE) on already-folded keys. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class Environment {
  /** Shared with clones until one of them changes (copy on write). */
  private entries: Entry[];
  private shared: boolean;

  private constructor(entries: Entry[], shared: boolean) {
    this.entries = entries;
    this.shared = shared;
  }

  static empty(): Environment {
    return new Environment([], false);
  }

  /**
   * From `Name=Value` strings or a record, in the order given (a record's
   * insertion order). Invalid names are refused as set() refuses them; a
   * repeated name keeps its first occurrence, as lookups would find it first.
   */
  static from(source: Iterable<string> | Readonly<Record<string, string>>): Environment {
    const env = new Environment([], false);
    const seen = new Set<string>();
    const add = (name: string, value: string) => {
      validateName(name);
      validateValue(name, value);
      const key = fold(name);
      if (seen.has(key)) return;
      seen.add(key);
      env.entries.push({ name, key, value });
    };
    if (isIterable(source)) {
      for (const s of source) {
        // The name ends at the first '=' after its first character.
        const eq = s.indexOf('=', 1);
        if (eq < 0) throw new Win32Error('CreateEnvironmentBlock', ERROR_INVALID_PARAMETER, s);
        add(s.slice(0, eq), s.slice(eq + 1));
      }
    } else {
      for (const [name, value] of Object.entries(source)) add(name, value);
    }
    return env;
  }

  /** From a block string `A=1\0B=2\0\0` as CreateProcess receives it. */
  static fromBlock(block: string): Environment {
    const strings = block.split('\0');
    const end = strings.indexOf('');
    return Environment.from(end < 0 ? strings : strings.slice(0, end));
  }

  /** A copy that shares storage until either side changes. */
  clone(): Environment {
    this.shared = true;
    return new Environment(this.entries, true);
  }

  get size(): number {
    return this.entries.length;
  }

  /** GetEnvironmentVariable: the value, or undefined (ERROR_ENVVAR_NOT_FOUND). */
  get(name: string): string | undefined {
    if (name.length === 0 || name.indexOf('=', 1) >= 0) return undefined;
    const key = fold(name);
    for (const e of this.entries) if (e.key === key) return e.value;
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** SetEnvironmentVariable; undefined removes. Throws Win32Error(ERROR_INVALID_PARAMETER) for a bad name or value. */
  set(name: string, value: string | undefined): void {
    validateName(name);
    if (value !== undefined) validateValue(name, value);
    const key = fold(name);
    let at = this.entries.length;
    let found = false;
    for (let i = 0; i < this.entries.length; i++) {
      const c = compareKeys(this.entries[i]!.key, key);
      if (c === 0) {
        at = i;
        found = true;
        break;
      }
      if (c > 0) {
        at = i;
        break;
      }
    }
    if (!found && value === undefined) return;
    this.own();
    if (found) {
      if (value === undefined) this.entries.splice(at, 1);
      else this.entries[at] = { name: this.entries[at]!.name, key, value };
    } else {
      this.entries.splice(at, 0, { name, key, value: value! });
    }
  }

  delete(name: string): void {
    this.set(name, undefined);
  }

  /** Every entry in block order, `=…` entries included. */
  *[Symbol.iterator](): IterableIterator<[name: string, value: string]> {
    for (const e of this.entries) yield [e.name, e.value];
  }

  /** The `Name=Value` strings in block order. */
  toStrings(): string[] {
    return this.entries.map((e) => `${e.name}=${e.value}`);
  }

  /** The block as CreateProcess takes it: `A=1\0B=2\0\0` (an empty block is `\0\0`). */
  toBlock(): string {
    return this.entries.length === 0 ? '\0\0' : this.toStrings().join('\0') + '\0\0';
  }

  /** A plain record (later duplicates cannot occur: names are unique). */
  toRecord(): Record<string, string> {
    const r: Record<string, string> = {};
    for (const e of this.entries) r[e.name] = e.value;
    return r;
  }

  /**
   * ExpandEnvironmentStrings: `%NAME%` replaced by its value; an unknown name
   * and a lone `%` are left as they are.
   */
  expand(text: string): string {
    return text.replace(/%([^%]+)%/g, (whole, name: string) => this.get(name) ?? whole);
  }

  private own(): void {
    if (!this.shared) return;
    this.entries = this.entries.slice();
    this.shared = false;
  }
}

function isIterable(x: unknown): x is Iterable<string> {
  return typeof (x as Iterable<string>)[Symbol.iterator] === 'function';
}

function validateName(name: string): void {
  if (name.length === 0 || name.indexOf('=', 1) >= 0) throw new Win32Error('SetEnvironmentVariable', ERROR_INVALID_PARAMETER, name);
}

function validateValue(name: string, value: string): void {
  if (value.length > PROCESS_LIMITS.maxEnvironmentValue) throw new Win32Error('SetEnvironmentVariable', ERROR_INVALID_PARAMETER, name);
}
