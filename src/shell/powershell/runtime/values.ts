/**
 * PowerShell values as JavaScript holds them:
 *  - $null: null; "no output" (AutomationNull): undefined
 *  - [int]/[long]/[double]: number; [bool]: boolean; [string]/[char]: string
 *  - object[]: a JavaScript array
 *  - [hashtable]: PSHashtable (case-insensitive keys, insertion order kept)
 *  - PSCustomObject and the .NET objects cmdlets return (FileInfo,
 *    Process, ServiceController, …): PSObject, a property bag with a type
 *    name list (PSObject.TypeNames) that picks the formatting view
 *  - [scriptblock]: ScriptBlock; [datetime]: PSDateTime; [type]: PSType
 */
import type { ScriptBlockAst } from '../parser/ast.js';

export class PSHashtable {
  /** Lower-cased key → original key and value. */
  readonly map = new Map<string, { key: unknown; value: unknown }>();
  constructor(readonly ordered = false) {}

  private static k(key: unknown): string {
    return typeof key === 'string' ? 's:' + key.toLowerCase() : typeof key === 'number' ? 'n:' + key : 'o:' + String(key);
  }
  get(key: unknown): unknown {
    return this.map.get(PSHashtable.k(key))?.value ?? null;
  }
  has(key: unknown): boolean {
    return this.map.has(PSHashtable.k(key));
  }
  set(key: unknown, value: unknown): void {
    const k = PSHashtable.k(key);
    const e = this.map.get(k);
    if (e) e.value = value;
    else this.map.set(k, { key, value });
  }
  delete(key: unknown): void {
    this.map.delete(PSHashtable.k(key));
  }
  get size(): number {
    return this.map.size;
  }
  entries(): { key: unknown; value: unknown }[] {
    return [...this.map.values()];
  }
}

export type MethodImpl = (args: unknown[]) => unknown;

/** A property bag with PowerShell's type names (most derived first). */
export class PSObject {
  readonly props = new Map<string, { name: string; value: unknown; get?: () => unknown; put?: (value: unknown) => void }>();
  readonly methods = new Map<string, MethodImpl>();
  constructor(
    readonly typeNames: string[] = ['System.Management.Automation.PSCustomObject', 'System.Object'],
    /** What ToString() and string conversion show (`$item` in a string, Out-String of a bare object). */
    public display?: () => string,
  ) {}

  get typeName(): string {
    return this.typeNames[0]!;
  }
  add(name: string, value: unknown): this {
    this.props.set(name.toLowerCase(), { name, value });
    return this;
  }
  addGetter(name: string, get: () => unknown): this {
    this.props.set(name.toLowerCase(), { name, value: undefined, get });
    return this;
  }
  /** A property read and written through functions (a .NET property with a setter). */
  accessor(name: string, get: () => unknown, put: (value: unknown) => void): this {
    this.props.set(name.toLowerCase(), { name, value: undefined, get, put });
    return this;
  }
  method(name: string, impl: MethodImpl): this {
    this.methods.set(name.toLowerCase(), impl);
    return this;
  }
  has(name: string): boolean {
    return this.props.has(name.toLowerCase());
  }
  get(name: string): unknown {
    const p = this.props.get(name.toLowerCase());
    if (!p) return null;
    return p.get ? p.get() : p.value;
  }
  set(name: string, value: unknown): void {
    const p = this.props.get(name.toLowerCase());
    if (p?.put) {
      p.put(value);
      return;
    }
    if (p) {
      p.value = value;
      p.get = undefined;
    } else this.add(name, value);
  }
  names(): string[] {
    return [...this.props.values()].map((p) => p.name);
  }
}

export class ScriptBlock {
  constructor(
    readonly ast: ScriptBlockAst,
    /** Where the block was written (its defining file, for error positions). */
    readonly source: SourceText,
  ) {}
  toString(): string {
    return this.ast.text;
  }
}

/** The text a script block or error position refers to. */
export interface SourceText {
  readonly text: string;
  /** The script file's path for `At C:\x.ps1:1 char:1`; undefined for -Command and interactive input. */
  readonly file?: string;
}

/** [datetime], as local time of the container (UTC: containers run in UTC unless set otherwise). */
export class PSDateTime {
  constructor(readonly ms: number) {}
  /** `M/d/yyyy h:mm:ss tt`, the en-US general format DateTime.ToString() uses. */
  toString(): string {
    return `${shortDate(this.ms)} ${longTime(this.ms)}`;
  }
}

export class PSType {
  constructor(readonly name: string) {}
  toString(): string {
    return this.name;
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** ToString("d") in en-US: `11/23/2026`. */
export function shortDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

/** ToString("t") in en-US: `2:05 PM`. */
export function shortTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  return `${h % 12 === 0 ? 12 : h % 12}:${pad2(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** ToString("T") in en-US: `2:05:09 PM`. */
export function longTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  return `${h % 12 === 0 ? 12 : h % 12}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** ToString("D") in en-US: `Monday, November 23, 2026`. */
export function longDate(ms: number): string {
  const d = new Date(ms);
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${days[d.getUTCDay()]}, ${months[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}

// ---- conversions -----------------------------------------------------------------

/** A number as PowerShell prints it: integers plainly, doubles with up to 15 significant digits (R format), `E+` exponents. */
export function numberToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  let s = String(Number(n.toPrecision(15)));
  if (s.includes('e')) {
    const [m, e] = s.split('e');
    const exp = Number(e);
    s = `${m}E${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return s;
}

/** [string] conversion (LanguagePrimitives.ConvertTo string): arrays join with spaces ($OFS). */
export function toStr(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberToString(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(toStr).join(' ');
  if (v instanceof PSObject) {
    if (v.display) return v.display();
    if (v.typeName === 'System.Management.Automation.PSCustomObject') return '@{' + v.names().map((n) => `${n}=${toStr(v.get(n))}`).join('; ') + '}';
    return v.typeName;
  }
  if (v instanceof PSHashtable) return v.ordered ? 'System.Collections.Specialized.OrderedDictionary' : 'System.Collections.Hashtable';
  if (v instanceof ScriptBlock) return v.toString();
  if (v instanceof PSDateTime) return v.toString();
  if (v instanceof PSType) return v.name;
  if (v instanceof Uint8Array) return 'System.Byte[]';
  return String(v);
}

/** [bool] conversion (about_Booleans). */
export function toBool(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) {
    if (v.length === 0) return false;
    if (v.length === 1) return toBool(v[0]);
    return true;
  }
  return true;
}

/** The items a value enumerates in a pipeline or foreach: arrays unroll, everything else is one item; $null is one item in foreach but none in a pipeline. */
export function enumerate(v: unknown): unknown[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  return [v];
}

export function isNumeric(v: unknown): v is number {
  return typeof v === 'number';
}

/** The name PowerShell gives a value's type (GetType().FullName). */
export function typeNameOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return 'System.String';
  if (typeof v === 'number') return Number.isInteger(v) ? (Math.abs(v) <= 2147483647 ? 'System.Int32' : 'System.Int64') : 'System.Double';
  if (typeof v === 'boolean') return 'System.Boolean';
  if (Array.isArray(v)) return 'System.Object[]';
  if (v instanceof PSHashtable) return v.ordered ? 'System.Collections.Specialized.OrderedDictionary' : 'System.Collections.Hashtable';
  if (v instanceof PSObject) return v.typeName;
  if (v instanceof ScriptBlock) return 'System.Management.Automation.ScriptBlock';
  if (v instanceof PSDateTime) return 'System.DateTime';
  if (v instanceof PSType) return 'System.RuntimeType';
  return 'System.Object';
}

/** A System.Version (Major, Minor, Build, Revision; shown as `5.1.20348.1`). */
export function versionObject(v: string): PSObject {
  const [major, minor, build, revision] = v.split('.').map(Number);
  return new PSObject(['System.Version', 'System.Object'], () => v).add('Major', major ?? 0).add('Minor', minor ?? 0).add('Build', build ?? -1).add('Revision', revision ?? -1).add('MajorRevision', 0).add('MinorRevision', revision ?? -1);
}

/** A .NET enum value (`[Microsoft.PowerShell.ExecutionPolicy]::Bypass`): shows and compares as its name. */
export function enumValue(typeName: string, name: string): PSObject {
  return new PSObject([typeName, 'System.Enum', 'System.ValueType', 'System.Object'], () => name);
}

export function isEnumValue(v: unknown): boolean {
  return v instanceof PSObject && v.typeNames.includes('System.Enum');
}
