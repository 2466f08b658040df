/**
 * PowerShell's operators and conversions (about_Operators,
 * about_Comparison_Operators, about_Arithmetic_Operators, about_Split,
 * about_Join, about_Type_Conversion): the left operand decides the type
 * the right one is converted to; string comparisons ignore case unless the
 * operator has the `c` prefix; a collection on the left filters.
 */
import { PSError, errorRecord } from './errors.js';
import { PSDateTime, PSHashtable, PSObject, PSType, ScriptBlock, enumerate, shortDate, longTime, toBool, toStr, typeNameOf, numberToString } from './values.js';
import { POWERSHELL_LIMITS } from '../limits.js';

export function runtimeError(message: string, id = 'RuntimeException', category = 'NotSpecified', reason = 'RuntimeException'): PSError {
  return new PSError(errorRecord({ message, id, category, reason }));
}

// ---- conversion -----------------------------------------------------------------

/** A string's numeric value as PowerShell parses one ("0x10", " 42 ", "1e3", "1kb"), undefined if it is not a number. */
export function parseNumber(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return 0;
  const m = /^([+-]?)(0x[0-9a-f]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?)(kb|mb|gb|tb|pb)?$/i.exec(t);
  if (!m) return undefined;
  let v = m[2]!.toLowerCase().startsWith('0x') ? parseInt(m[2]!.slice(2), 16) : Number(m[2]);
  const mult = m[3]?.toLowerCase();
  if (mult) v *= { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 }[mult as 'kb']!;
  return m[1] === '-' ? -v : v;
}

function castError(value: unknown, type: string, inner: string, id: string): PSError {
  return new PSError(
    errorRecord({
      message: `Cannot convert value "${toStr(value)}" to type "${type}". Error: "${inner}"`,
      category: 'InvalidArgument',
      reason: 'RuntimeException',
      id,
    }),
  );
}

export function toNumber(v: unknown, typeName = 'System.Int32'): number {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const n = parseNumber(v);
    if (n === undefined) throw castError(v, typeName, 'Input string was not in a correct format.', 'InvalidCastFromStringToInteger');
    return n;
  }
  if (Array.isArray(v) && v.length === 1) return toNumber(v[0], typeName);
  if (v instanceof PSDateTime) return v.ms;
  throw new PSError(
    errorRecord({
      message: `Cannot convert the "${toStr(v)}" value of type "${typeNameOf(v)}" to type "${typeName}".`,
      category: 'InvalidArgument',
      reason: 'RuntimeException',
      id: 'ConvertToFinalInvalidCastException',
    }),
  );
}

/** Round half to even, as [int] conversion of a double does (Math.Round's default). */
export function bankersRound(n: number): number {
  const r = Math.round(n);
  return Math.abs(n % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const INTEGER_TYPES: Record<string, [number, number]> = {
  int: [-2147483648, 2147483647],
  int32: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  byte: [0, 255],
  sbyte: [-128, 127],
  int16: [-32768, 32767],
  short: [-32768, 32767],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
  uint64: [0, Number.MAX_SAFE_INTEGER],
  ulong: [0, Number.MAX_SAFE_INTEGER],
};

/** A type name as written (`System.Int32`, `int`, `string[]`) reduced to our key (`int32`, `string[]`). */
export function normalizeType(t: string): string {
  let s = t.trim().toLowerCase().replace(/\s+/g, '');
  if (s.startsWith('system.')) s = s.slice(7);
  return s;
}

const KNOWN_TYPES = new Set([
  ...Object.keys(INTEGER_TYPES), 'double', 'float', 'single', 'decimal', 'string', 'bool', 'boolean', 'char', 'object', 'array', 'hashtable', 'collections.hashtable', 'ordered',
  'pscustomobject', 'management.automation.pscustomobject', 'psobject', 'datetime', 'scriptblock', 'management.automation.scriptblock', 'regex', 'text.regularexpressions.regex',
  'void', 'type', 'math', 'environment', 'io.path', 'io.file', 'io.directory', 'convert', 'text.encoding', 'guid', 'version', 'timespan', 'net.dns', 'switch',
  'management.automation.switchparameter', 'exception', 'io.ioexception', 'management.automation.runtimeexception', 'management.automation.itemnotfoundexception',
  'management.automation.commandnotfoundexception', 'io.filenotfoundexception', 'io.directorynotfoundexception', 'unauthorizedaccessexception', 'dividebyzeroexception',
  'argumentexception', 'invalidoperationexception', 'net.webexception', 'management.automation.methodinvocationexception', 'management.automation.parameterbindingexception',
  'environmentvariabletarget', 'io.fileinfo', 'io.directoryinfo', 'diagnostics.process', 'serviceprocess.servicecontroller', 'security.principal.windowsidentity',
  'net.servicepointmanager', 'net.securityprotocoltype', 'text.stringbuilder', 'collections.arraylist', 'console', 'net.webclient', 'threading.thread', 'io.compression.zipfile', 'collections.generic.list[string]', 'collections.generic.list[object]', 'collections.generic.list[int]', 'char[]', 'byte[]', 'uri', 'xml', 'ipaddress', 'net.ipaddress', 'wildcardpattern',
]);

export function typeExists(t: string): boolean {
  const n = normalizeType(t);
  return KNOWN_TYPES.has(n) || (n.endsWith('[]') && KNOWN_TYPES.has(n.slice(0, -2)));
}

export function typeNotFound(t: string): PSError {
  return new PSError(errorRecord({ message: `Unable to find type [${t}].`, category: 'InvalidOperation', targetName: t, targetType: 'TypeName', reason: 'RuntimeException', id: 'TypeNotFound' }));
}

/** [type]value (about_Type_Conversion). */
export function convertTo(value: unknown, type: string): unknown {
  const t = normalizeType(type);
  if (t.endsWith('[]')) {
    const el = t.slice(0, -2);
    if (el === 'char' && typeof value === 'string') return [...value];
    return enumerate(value === null ? [] : value).map((x) => (el === 'object' ? x : convertTo(x, el)));
  }
  const range = INTEGER_TYPES[t];
  if (range) {
    const name = t.startsWith('int') || t === 'long' || t === 'short' ? `System.${t === 'int' ? 'Int32' : t === 'long' ? 'Int64' : t === 'short' ? 'Int16' : t[0]!.toUpperCase() + t.slice(1)}` : `System.${t[0]!.toUpperCase()}${t.slice(1)}`;
    const n = bankersRound(toNumber(value, name));
    if (!Number.isFinite(n) || n < range[0] || n > range[1]) throw castError(value, name, `Value was either too large or too small for an ${name.slice(7)}.`, 'InvalidCastIConvertible');
    return n;
  }
  switch (t) {
    case 'double':
    case 'float':
    case 'single':
    case 'decimal':
      return toNumber(value, 'System.Double');
    case 'string':
      return value === null || value === undefined ? '' : toStr(value);
    case 'bool':
    case 'boolean':
    case 'switch':
    case 'management.automation.switchparameter':
      return toBool(value);
    case 'char':
      if (typeof value === 'number') return String.fromCharCode(value);
      if (typeof value === 'string' && value.length === 1) return value;
      throw castError(value, 'System.Char', 'String must be exactly one character long.', 'InvalidCastParseTargetInvocation');
    case 'object':
    case 'psobject':
      return value;
    case 'array':
      return enumerate(value);
    case 'hashtable':
    case 'collections.hashtable':
      if (value instanceof PSHashtable) return value;
      throw castError(value, 'System.Collections.Hashtable', 'Invalid cast.', 'ConvertToFinalInvalidCastException');
    case 'ordered':
      return value;
    case 'pscustomobject':
    case 'management.automation.pscustomobject':
      if (value instanceof PSHashtable) {
        const o = new PSObject();
        for (const e of value.entries()) o.add(toStr(e.key), e.value);
        return o;
      }
      return value;
    case 'datetime':
      if (value instanceof PSDateTime) return value;
      if (typeof value === 'string') {
        const ms = Date.parse(value.includes('Z') || /[+-]\d\d:?\d\d$/.test(value) ? value : value + (value.includes(':') || value.includes('T') ? 'Z' : ' UTC'));
        if (Number.isNaN(ms)) throw castError(value, 'System.DateTime', 'String was not recognized as a valid DateTime.', 'InvalidCastParseTargetInvocation');
        return new PSDateTime(ms);
      }
      if (typeof value === 'number') return new PSDateTime(value);
      throw castError(value, 'System.DateTime', 'Invalid cast.', 'ConvertToFinalInvalidCastException');
    case 'void':
      return undefined;
    case 'regex':
    case 'text.regularexpressions.regex':
    case 'uri':
    case 'version':
    case 'guid':
    case 'ipaddress':
    case 'net.ipaddress':
      return toStr(value);
    case 'scriptblock':
    case 'management.automation.scriptblock':
      if (value instanceof ScriptBlock) return value;
      throw castError(value, 'System.Management.Automation.ScriptBlock', 'Invalid cast.', 'ConvertToFinalInvalidCastException');
    case 'type':
      return value instanceof PSType ? value : new PSType(toStr(value));
    case 'xml':
      throw castError(value, 'System.Xml.XmlDocument', 'The specified node cannot be inserted as the valid child of this node, because the specified node is the wrong type.', 'InvalidCastToXmlDocument');
    default:
      if (!typeExists(type)) throw typeNotFound(type);
      return value;
  }
}

/** `-is` (about_Type_Operators), for the types scripts test. */
export function isType(v: unknown, type: string): boolean {
  const t = normalizeType(type);
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'int':
    case 'int32':
    case 'long':
    case 'int64':
      return typeof v === 'number' && Number.isInteger(v);
    case 'double':
    case 'valuetype':
      return typeof v === 'number';
    case 'bool':
    case 'boolean':
      return typeof v === 'boolean';
    case 'array':
    case 'object[]':
      return Array.isArray(v);
    case 'hashtable':
    case 'collections.hashtable':
      return v instanceof PSHashtable;
    case 'scriptblock':
    case 'management.automation.scriptblock':
      return v instanceof ScriptBlock;
    case 'datetime':
      return v instanceof PSDateTime;
    case 'object':
    case 'psobject':
      return v !== null && v !== undefined;
    case 'pscustomobject':
    case 'management.automation.pscustomobject':
      return v instanceof PSObject;
    default:
      if (v instanceof PSObject) return v.typeNames.some((n) => normalizeType(n) === t);
      if (!typeExists(type)) throw typeNotFound(type);
      return false;
  }
}

// ---- comparison ------------------------------------------------------------------

export function equals(a: unknown, b: unknown, ci = true): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a === 'string') {
    if (b === null || b === undefined) return false;
    const bs = toStr(b);
    return ci ? a.toLowerCase() === bs.toLowerCase() : a === bs;
  }
  if (typeof a === 'number') {
    if (typeof b === 'number') return a === b;
    if (typeof b === 'string') {
      const n = parseNumber(b);
      return n !== undefined && b.trim() !== '' && n === a;
    }
    if (typeof b === 'boolean') return a === (b ? 1 : 0);
    return false;
  }
  if (typeof a === 'boolean') return b === null || b === undefined ? false : a === toBool(b);
  if (a instanceof PSDateTime) return b instanceof PSDateTime && a.ms === b.ms;
  return a === b;
}

export function compare(a: unknown, b: unknown, ci = true): number {
  if (typeof a === 'number' || typeof a === 'boolean') {
    const x = toNumber(a);
    let y: number;
    if (typeof b === 'string') {
      const n = parseNumber(b);
      if (n === undefined) return compareStrings(toStr(a), b, ci);
      y = n;
    } else if (b === null || b === undefined) return 1;
    else y = toNumber(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a instanceof PSDateTime) {
    const y = b instanceof PSDateTime ? b.ms : toNumber(b);
    return a.ms < y ? -1 : a.ms > y ? 1 : 0;
  }
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  return compareStrings(toStr(a), toStr(b), ci);
}

export function compareStrings(a: string, b: string, ci: boolean): number {
  const r = a.localeCompare(b, 'en-US', { sensitivity: ci ? 'accent' : 'variant' });
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}

/** A wildcard pattern (about_Wildcards) as a regular expression: `*`, `?`, `[a-z]`, backtick escapes. */
export function wildcardRegex(pattern: string, ci = true): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '`' && i + 1 < pattern.length) re += escapeRegex(pattern[++i]!);
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += '[' + pattern.slice(i + 1, end).replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += escapeRegex(c);
  }
  return new RegExp('^' + re + '$', ci ? 'i' : '');
}

export function hasWildcard(s: string): boolean {
  return /[*?[]/.test(s);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A .NET regular expression as a JavaScript one (the common subset: inline (?i), \A, \Z). */
export function dotnetRegex(pattern: string, ci: boolean, global = false): RegExp {
  let p = pattern;
  let flags = ci ? 'i' : '';
  const inline = /^\(\?([imsx]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    if (inline[1]!.includes('i') && !flags.includes('i')) flags += 'i';
    if (inline[1]!.includes('m')) flags += 'm';
    if (inline[1]!.includes('s')) flags += 's';
  }
  p = p.replace(/\\A/g, '^').replace(/\\Z/g, '$').replace(/\\z/g, '$').replace(/\(\?'(\w+)'/g, '(?<$1>');
  try {
    return new RegExp(p, flags + (global ? 'g' : ''));
  } catch {
    throw new PSError(
      errorRecord({
        message: `The regular expression pattern ${pattern} is not valid.`,
        category: 'InvalidOperation',
        targetName: pattern,
        reason: 'RuntimeException',
        id: 'InvalidRegularExpression',
      }),
    );
  }
}

/** .NET replacement syntax ($1, ${name}, $0, $$) as JavaScript's. */
function dotnetReplacement(r: string): string {
  return r.replace(/\$\{(\w+)\}/g, (_m, n: string) => (/^\d+$/.test(n) ? `$${n}` : `$<${n}>`)).replace(/\$0/g, '$&');
}

export interface OperatorContext {
  /** $matches, set by a scalar -match. */
  setMatches(m: PSHashtable | undefined): void;
}

function matchTable(m: RegExpExecArray): PSHashtable {
  const h = new PSHashtable();
  // $matches lists groups highest number first, as 5.1's Hashtable happens to; DECIDED: named groups after numbered ones.
  for (let i = m.length - 1; i >= 0; i--) if (m[i] !== undefined) h.set(i, m[i]);
  if (m.groups) for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) h.set(k, v);
  return h;
}

/** A binary operator of the comparison family, applied to scalar or collection left operands. */
export function comparisonOp(op: string, left: unknown, right: unknown, oc: OperatorContext): unknown {
  let name = op;
  let ci = true;
  if ((op[0] === 'c' || op[0] === 'i') && op !== 'contains' && op !== 'in') {
    const rest = op.slice(1);
    if (['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'like', 'notlike', 'match', 'notmatch', 'replace', 'contains', 'notcontains', 'in', 'notin', 'split'].includes(rest)) {
      name = rest;
      ci = op[0] === 'i';
    }
  }
  switch (name) {
    case 'contains':
    case 'notcontains': {
      const found = enumerate(left === null ? [null] : left).some((x) => equals(x, right, ci));
      return name === 'contains' ? found : !found;
    }
    case 'in':
    case 'notin': {
      const found = enumerate(right === null ? [null] : right).some((x) => equals(x, left, ci));
      return name === 'in' ? found : !found;
    }
    case 'replace': {
      const r = enumerate(right);
      const pattern = toStr(r[0]);
      const repl = r.length > 1 ? toStr(r[1]) : '';
      const re = dotnetRegex(pattern, ci, true);
      const one = (x: unknown) => toStr(x).replace(re, dotnetReplacement(repl));
      return Array.isArray(left) ? left.map(one) : one(left);
    }
    case 'split': {
      const r = enumerate(right);
      const pattern = toStr(r[0]);
      const max = r.length > 1 ? toNumber(r[1]) : 0;
      const out: string[] = [];
      for (const x of enumerate(left)) out.push(...splitString(toStr(x), pattern, max, ci));
      return out;
    }
    case 'join':
      return enumerate(left).map(toStr).join(toStr(right));
    case 'is':
      return isType(left, right instanceof PSType ? right.name : toStr(right));
    case 'isnot':
      return !isType(left, right instanceof PSType ? right.name : toStr(right));
    case 'as':
      try {
        return convertTo(left, right instanceof PSType ? right.name : toStr(right));
      } catch (e) {
        if (e instanceof PSError && e.record.fullyQualifiedErrorId !== 'TypeNotFound') return null;
        throw e;
      }
  }
  const scalar = (x: unknown): boolean => {
    switch (name) {
      case 'eq':
        return equals(x, right, ci);
      case 'ne':
        return !equals(x, right, ci);
      case 'gt':
        return compare(x, right, ci) > 0;
      case 'ge':
        return compare(x, right, ci) >= 0;
      case 'lt':
        return compare(x, right, ci) < 0;
      case 'le':
        return compare(x, right, ci) <= 0;
      case 'like':
        return wildcardRegex(toStr(right), ci).test(toStr(x));
      case 'notlike':
        return !wildcardRegex(toStr(right), ci).test(toStr(x));
      case 'match':
      case 'notmatch': {
        const m = dotnetRegex(toStr(right), ci).exec(toStr(x));
        if (!Array.isArray(left)) oc.setMatches(m ? matchTable(m) : undefined);
        return name === 'match' ? m !== null : m === null;
      }
      default:
        throw runtimeError(`The operator '-${op}' is not supported.`);
    }
  };
  if (Array.isArray(left)) return left.filter(scalar);
  return scalar(left);
}

/** String.Split as -split does it: a regular expression, at most `max` parts. */
export function splitString(s: string, pattern: string, max: number, ci: boolean): string[] {
  const re = dotnetRegex(pattern, ci, true);
  const out: string[] = [];
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (max > 0 && out.length === max - 1) break;
    if (m[0] === '' ) {
      if (m.index >= s.length) break;
      re.lastIndex++;
      if (m.index === 0) continue;
    }
    out.push(s.slice(last, m.index));
    for (let i = 1; i < m.length; i++) if (m[i] !== undefined) out.push(m[i]!);
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

// ---- arithmetic -------------------------------------------------------------------

export function add(a: unknown, b: unknown): unknown {
  if (a === null || a === undefined) return b === undefined ? null : Array.isArray(b) ? [...b] : b;
  if (Array.isArray(a)) return [...a, ...(Array.isArray(b) ? b : [b])];
  if (a instanceof PSHashtable) {
    if (!(b instanceof PSHashtable)) throw runtimeError('A hash table can only be added to another hash table.', 'AddHashTableToNonHashTable', 'InvalidOperation');
    const h = new PSHashtable(a.ordered);
    for (const e of a.entries()) h.set(e.key, e.value);
    for (const e of b.entries()) {
      if (h.has(e.key)) throw runtimeError(`Item has already been added. Key in dictionary: '${toStr(e.key)}'  Key being added: '${toStr(e.key)}'`, 'ArgumentException', 'NotSpecified', 'ArgumentException');
      h.set(e.key, e.value);
    }
    return h;
  }
  if (typeof a === 'string') return a + toStr(b);
  if (a instanceof PSDateTime) return new PSDateTime(a.ms + toNumber(b));
  if (typeof a === 'number' || typeof a === 'boolean') return toNumber(a) + toNumber(b);
  throw opNotSupported('op_Addition', a);
}

function opNotSupported(method: string, a: unknown): PSError {
  return new PSError(
    errorRecord({
      message: `Method invocation failed because [${typeNameOf(a)}] does not contain a method named '${method}'.`,
      category: 'InvalidOperation',
      reason: 'RuntimeException',
      id: 'MethodNotFound',
    }),
  );
}

export function arithmetic(op: string, a: unknown, b: unknown): unknown {
  switch (op) {
    case '+':
      return add(a, b);
    case '-':
      if (a instanceof PSDateTime && b instanceof PSDateTime) return a.ms - b.ms;
      if (a !== null && typeof a !== 'number' && typeof a !== 'boolean' && typeof a !== 'string') throw opNotSupported('op_Subtraction', a);
      return toNumber(a) - toNumber(b);
    case '*': {
      if (typeof a === 'string') {
        const n = toNumber(b);
        if (n < 0 || a.length * n > POWERSHELL_LIMITS.maxStringLength) throw runtimeError('Exception of type \'System.OutOfMemoryException\' was thrown.', 'System.OutOfMemoryException', 'NotSpecified', 'OutOfMemoryException');
        return a.repeat(Math.floor(n));
      }
      if (Array.isArray(a)) {
        const n = Math.floor(toNumber(b));
        if (n < 0 || a.length * n > POWERSHELL_LIMITS.maxRange) throw runtimeError('Array dimensions exceeded supported range.', 'System.OutOfMemoryException', 'NotSpecified', 'OutOfMemoryException');
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out.push(...a);
        return out;
      }
      if (a !== null && typeof a !== 'number' && typeof a !== 'boolean') throw opNotSupported('op_Multiply', a);
      return toNumber(a) * toNumber(b);
    }
    case '/':
    case '%': {
      if (a !== null && typeof a !== 'number' && typeof a !== 'boolean' && typeof a !== 'string') throw opNotSupported(op === '/' ? 'op_Division' : 'op_Modulus', a);
      const x = toNumber(a);
      const y = toNumber(b);
      if (y === 0 && Number.isInteger(x)) throw runtimeError('Attempted to divide by zero.');
      return op === '/' ? x / y : x % y;
    }
    case 'band':
      return toNumber(a) & toNumber(b);
    case 'bor':
      return toNumber(a) | toNumber(b);
    case 'bxor':
      return toNumber(a) ^ toNumber(b);
    case 'shl':
      return toNumber(a) << toNumber(b);
    case 'shr':
      return toNumber(a) >> toNumber(b);
  }
  throw runtimeError(`The operator '${op}' is not supported.`);
}

export function range(a: unknown, b: unknown): number[] {
  const x = bankersRound(toNumber(a));
  const y = bankersRound(toNumber(b));
  if (Math.abs(y - x) + 1 > POWERSHELL_LIMITS.maxRange) throw runtimeError('The range operator would build too many elements.', 'RangeTooLarge');
  const out: number[] = [];
  if (x <= y) for (let i = x; i <= y; i++) out.push(i);
  else for (let i = x; i >= y; i--) out.push(i);
  return out;
}

// ---- -f: composite formatting ----------------------------------------------------

function groupThousands(int: string): string {
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** One value under a .NET format string (standard N, D, X, F, P, E, G and simple custom ones). */
export function formatValue(v: unknown, fmt: string): string {
  if (v instanceof PSDateTime) return formatDate(v.ms, fmt);
  if (!fmt) return toStr(v);
  const std = /^([NnDdXxFfPpEeGgCc])(\d*)$/.exec(fmt);
  if (typeof v === 'string' && !std) return v;
  if (typeof v !== 'number') {
    if (typeof v === 'string' && parseNumber(v) === undefined) return v;
    v = toNumber(v);
  }
  const n = v as number;
  if (std) {
    const p = std[2] === '' ? undefined : Number(std[2]);
    switch (std[1]!.toUpperCase()) {
      case 'N': {
        const s = Math.abs(n).toFixed(p ?? 2);
        const [i, f] = s.split('.');
        return (n < 0 ? '-' : '') + groupThousands(i!) + (f ? '.' + f : '');
      }
      case 'D':
        return (n < 0 ? '-' : '') + String(Math.abs(Math.trunc(n))).padStart(p ?? 0, '0');
      case 'X': {
        const s = (n >>> 0).toString(16).padStart(p ?? 0, '0');
        return std[1] === 'X' ? s.toUpperCase() : s;
      }
      case 'F':
        return n.toFixed(p ?? 2);
      case 'P': {
        const s = Math.abs(n * 100).toFixed(p ?? 2);
        const [i, f] = s.split('.');
        return (n < 0 ? '-' : '') + groupThousands(i!) + (f ? '.' + f : '') + ' %';
      }
      case 'C': {
        const s = Math.abs(n).toFixed(p ?? 2);
        const [i, f] = s.split('.');
        return (n < 0 ? '($' : '$') + groupThousands(i!) + (f ? '.' + f : '') + (n < 0 ? ')' : '');
      }
      case 'E': {
        const s = n.toExponential(p ?? 6).toUpperCase();
        const [m, e] = s.split('E');
        const exp = Number(e);
        return `${m}E${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(3, '0')}`;
      }
      default:
        return numberToString(n);
    }
  }
  // Custom numeric format: 0, #, ',' grouping, '.' decimals.
  const m = /^([#0,]*)(?:\.([#0]*))?$/.exec(fmt);
  if (m) {
    const intPart = m[1] ?? '';
    const dec = m[2] ?? '';
    const minDec = (dec.match(/0/g) ?? []).length;
    const maxDec = dec.length;
    let s = Math.abs(n).toFixed(maxDec);
    if (maxDec > minDec) s = s.replace(/0+$/, (z) => z.slice(0, Math.max(0, z.length - (maxDec - minDec)))).replace(/\.$/, '');
    let [i, f] = s.split('.');
    const minInt = (intPart.match(/0/g) ?? []).length;
    i = i!.padStart(minInt, '0');
    if (i === '0' && minInt === 0) i = '';
    if (intPart.includes(',')) i = groupThousands(i);
    return (n < 0 ? '-' : '') + i + (f ? '.' + f : '');
  }
  return toStr(v);
}

export function formatDate(ms: number, fmt: string): string {
  const d = new Date(ms);
  if (!fmt || fmt === 'G') return `${shortDate(ms)} ${longTime(ms)}`;
  if (fmt === 'd') return shortDate(ms);
  if (fmt === 'T') return longTime(ms);
  if (fmt === 'o' || fmt === 'O') return d.toISOString().replace('Z', '0000Z');
  if (fmt === 's') return d.toISOString().slice(0, 19);
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const h = d.getUTCHours();
  return fmt.replace(/yyyy|yy|MMMM|MMM|MM|M|dddd|ddd|dd|d|HH|H|hh|h|mm|m|ss|s|fff|tt/g, (t) => {
    switch (t) {
      case 'yyyy':
        return String(d.getUTCFullYear());
      case 'yy':
        return String(d.getUTCFullYear() % 100).padStart(2, '0');
      case 'MMMM':
        return months[d.getUTCMonth()]!;
      case 'MMM':
        return months[d.getUTCMonth()]!.slice(0, 3);
      case 'MM':
        return String(d.getUTCMonth() + 1).padStart(2, '0');
      case 'M':
        return String(d.getUTCMonth() + 1);
      case 'dddd':
        return days[d.getUTCDay()]!;
      case 'ddd':
        return days[d.getUTCDay()]!.slice(0, 3);
      case 'dd':
        return String(d.getUTCDate()).padStart(2, '0');
      case 'd':
        return String(d.getUTCDate());
      case 'HH':
        return String(h).padStart(2, '0');
      case 'H':
        return String(h);
      case 'hh':
        return String(h % 12 || 12).padStart(2, '0');
      case 'h':
        return String(h % 12 || 12);
      case 'mm':
        return String(d.getUTCMinutes()).padStart(2, '0');
      case 'm':
        return String(d.getUTCMinutes());
      case 'ss':
        return String(d.getUTCSeconds()).padStart(2, '0');
      case 's':
        return String(d.getUTCSeconds());
      case 'fff':
        return String(d.getUTCMilliseconds()).padStart(3, '0');
      default:
        return h < 12 ? 'AM' : 'PM';
    }
  });
}

/** `"{0,-10:N2}" -f $x` (String.Format composite formatting). */
export function formatOperator(format: string, args: unknown[]): string {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '{' && format[i + 1] === '{') {
      out += '{';
      i++;
      continue;
    }
    if (c === '}' && format[i + 1] === '}') {
      out += '}';
      i++;
      continue;
    }
    if (c === '{') {
      const end = format.indexOf('}', i);
      const m = end < 0 ? null : /^(\d+)\s*(?:,\s*(-?\d+))?\s*(?::(.*))?$/.exec(format.slice(i + 1, end));
      if (!m) throw runtimeError('Error formatting a string: Input string was not in a correct format..', 'FormatError', 'NotSpecified', 'RuntimeException');
      const idx = Number(m[1]);
      if (idx >= args.length) throw runtimeError('Error formatting a string: Index (zero based) must be greater than or equal to zero and less than the size of the argument list..', 'FormatError');
      let s = formatValue(args[idx], m[3] ?? '');
      const w = m[2] ? Number(m[2]) : 0;
      if (w > 0) s = s.padStart(w);
      else if (w < 0) s = s.padEnd(-w);
      out += s;
      i = end;
      continue;
    }
    out += c;
  }
  return out;
}
