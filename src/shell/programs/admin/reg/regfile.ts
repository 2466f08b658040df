/**
 * Registration entries (.reg) files: what `reg export` writes and `reg
 * import` reads.
 *
 * Written as regedit 5.00 writes them (Wine's reg export tests, compared
 * with Windows' files byte for byte): UTF-16LE with a byte-order mark; the
 * header `Windows Registry Editor Version 5.00`, a blank line; each key as
 * `[FULL\PATH]`, its values in creation order, a blank line; subkeys after
 * their parent in RegEnumKeyEx order. Values: `@` names the default value;
 * names and REG_SZ data are quoted with `\` and `"` escaped by a backslash;
 * REG_DWORD as `dword:` and eight hex digits; REG_BINARY as `hex:` and
 * comma-separated lower-case byte pairs; other types as `hex(N):` over
 * their stored bytes (REG_EXPAND_SZ and REG_MULTI_SZ as UTF-16LE with their
 * terminators). Hex data wraps once a line reaches 77 characters: `,\`,
 * CRLF, two spaces.
 *
 * Read: version 5.00 files in UTF-16LE (BOM) or UTF-8, and REGEDIT4 files
 * (whose hex(2)/hex(7) strings are single-byte); `[-KEY]` deletes a key,
 * `"name"=-` a value; `;` starts a comment line; a trailing backslash
 * continues hex data on the next line.
 */
import {
  REG_BINARY,
  REG_DWORD,
  REG_DWORD_BIG_ENDIAN,
  REG_EXPAND_SZ,
  REG_LINK,
  REG_MULTI_SZ,
  REG_NONE,
  REG_QWORD,
  REG_SZ,
  type Registry,
  type RegistryValue,
} from '../../../../kernel/registry/types.js';

const REGEDIT5_HEADER = 'Windows Registry Editor Version 5.00';
const REGEDIT4_HEADER = 'REGEDIT4';
/** The column at which regedit wraps hex data. */
const MAX_HEX_LINE = 77;

function utf16(text: string, terminator: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out.push(c & 0xff, c >> 8);
  }
  if (terminator) out.push(0, 0);
  return out;
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function hexData(prefix: string, bytes: ArrayLike<number>): string {
  let out = prefix;
  let pos = prefix.length;
  for (let i = 0; i < bytes.length; i++) {
    out += bytes[i]!.toString(16).padStart(2, '0');
    pos += 2;
    if (i + 1 < bytes.length) {
      out += ',';
      pos += 1;
      if (pos >= MAX_HEX_LINE) {
        out += '\\\r\n  ';
        pos = 2;
      }
    }
  }
  return out;
}

/** One value's line (possibly wrapped over several). */
function valueEntry(v: RegistryValue): string {
  const name = v.name === '' ? '@' : quote(v.name);
  switch (v.type) {
    case REG_SZ:
      return `${name}=${quote(v.data)}`;
    case REG_DWORD:
      return `${name}=dword:${v.data.toString(16).padStart(8, '0')}`;
    case REG_BINARY:
      return hexData(`${name}=hex:`, v.data);
    case REG_NONE:
      return hexData(`${name}=hex(0):`, v.data);
    case REG_EXPAND_SZ:
      return hexData(`${name}=hex(2):`, utf16(v.data, true));
    case REG_LINK:
      // A link's target is stored without a terminator (REG_OPTION_CREATE_LINK values).
      return hexData(`${name}=hex(6):`, utf16(v.data, false));
    case REG_MULTI_SZ: {
      const bytes: number[] = [];
      for (const s of v.data) bytes.push(...utf16(s, true));
      bytes.push(0, 0);
      return hexData(`${name}=hex(7):`, bytes);
    }
    case REG_DWORD_BIG_ENDIAN: {
      const n = v.data;
      return hexData(`${name}=hex(5):`, [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
    }
    case REG_QWORD: {
      const bytes: number[] = [];
      for (let i = 0n; i < 8n; i++) bytes.push(Number((v.data >> (8n * i)) & 0xffn));
      return hexData(`${name}=hex(b):`, bytes);
    }
  }
}

/** The text of an export of `path` (shown as `display`) and everything below it. */
export function exportText(reg: Registry, display: string, path: string): string {
  let out = REGEDIT5_HEADER + '\r\n\r\n';
  const walk = (d: string, p: string) => {
    out += `[${d}]\r\n`;
    for (const v of reg.enumValues(p)) out += valueEntry(v) + '\r\n';
    out += '\r\n';
    for (const k of reg.enumKeys(p)) walk(`${d}\\${k}`, `${p}\\${k}`);
  };
  walk(display, path);
  return out;
}

/** UTF-16LE with a byte-order mark, as reg export and regedit write .reg files. */
export function encodeUtf16Bom(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + i * 2] = c & 0xff;
    out[3 + i * 2] = c >> 8;
  }
  return out;
}

// ---- reading ---------------------------------------------------------------------

type RegFileOp =
  | { kind: 'createKey'; path: string }
  | { kind: 'deleteKey'; path: string }
  | { kind: 'setValue'; path: string; value: RegistryValue }
  | { kind: 'deleteValue'; path: string; name: string };

/** Thrown for a file that is not a registry script, or a line that does not parse. */
export class RegFileError extends Error {}

export function decodeRegFile(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  return new TextDecoder('utf-8').decode(bytes);
}

function unquote(text: string, at: number): { value: string; end: number } {
  if (text[at] !== '"') throw new RegFileError('quote expected');
  let value = '';
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      const n = text[++i]!;
      value += n === 'n' ? '\n' : n === '0' ? '\0' : n;
    } else if (c === '"') {
      return { value, end: i + 1 };
    } else {
      value += c;
    }
  }
  throw new RegFileError('unterminated string');
}

function hexBytes(text: string): number[] {
  const t = text.replace(/\s+/g, '');
  if (t === '') return [];
  return t.split(',').filter((p, i, all) => !(p === '' && i === all.length - 1)).map((p) => {
    if (!/^[0-9a-f]{1,2}$/i.test(p)) throw new RegFileError('bad hex byte');
    return parseInt(p, 16);
  });
}

function fromUtf16(bytes: number[], wide: boolean): string {
  let s = '';
  if (!wide) {
    for (const b of bytes) s += String.fromCharCode(b);
    return s;
  }
  for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  return s;
}

function stripNul(s: string): string {
  const i = s.indexOf('\0');
  return i < 0 ? s : s.slice(0, i);
}

function valueFromHex(name: string, type: number, bytes: number[], wide: boolean): RegistryValue {
  switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
      return { name, type, data: stripNul(fromUtf16(bytes, wide)) };
    case REG_MULTI_SZ: {
      const parts = fromUtf16(bytes, wide).split('\0');
      while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
      return { name, type, data: parts };
    }
    case REG_DWORD:
    case REG_DWORD_BIG_ENDIAN:
      if (bytes.length === 4) {
        const n = type === REG_DWORD ? bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24) : (bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!;
        return { name, type, data: n >>> 0 };
      }
      // DECIDED: a DWORD of another length cannot be held by this registry's typed values; kept as bytes.
      return { name, type: REG_BINARY, data: Uint8Array.from(bytes) };
    case REG_QWORD:
      if (bytes.length === 8) {
        let n = 0n;
        for (let i = 7; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
        return { name, type, data: n };
      }
      return { name, type: REG_BINARY, data: Uint8Array.from(bytes) };
    case REG_NONE:
      return { name, type, data: Uint8Array.from(bytes) };
    default:
      // DECIDED: REG_LINK and types this registry has no form for (resource lists, custom numbers) are kept as REG_BINARY.
      return { name, type: REG_BINARY, data: Uint8Array.from(bytes) };
  }
}

/** The operations a .reg file asks for, in order; keys are full paths (`HKEY_…\…`). */
export function parseRegFile(text: string): RegFileOp[] {
  const rawLines = text.split(/\r\n|\n|\r/);
  let first = 0;
  while (first < rawLines.length && rawLines[first]!.trim() === '') first++;
  const header = (rawLines[first] ?? '').trim();
  const wide = header === REGEDIT5_HEADER;
  if (!wide && header !== REGEDIT4_HEADER) throw new RegFileError('not a registry script');
  // Join continuation lines (a value whose line ends with a backslash).
  const lines: string[] = [];
  for (let i = first + 1; i < rawLines.length; i++) {
    let line = rawLines[i]!.replace(/^\s+/, '');
    while (/\\\s*$/.test(line) && !line.startsWith('[') && i + 1 < rawLines.length) {
      line = line.replace(/\\\s*$/, '') + rawLines[++i]!.trim();
    }
    lines.push(line);
  }
  const ops: RegFileOp[] = [];
  let current: string | undefined;
  for (const line of lines) {
    const t = line.trimEnd();
    if (t === '' || t.startsWith(';')) continue;
    if (t.startsWith('[')) {
      const close = t.lastIndexOf(']');
      if (close < 0) throw new RegFileError('unterminated key');
      const inner = t.slice(1, close);
      if (inner.startsWith('-')) {
        ops.push({ kind: 'deleteKey', path: inner.slice(1) });
        current = undefined;
      } else {
        ops.push({ kind: 'createKey', path: inner });
        current = inner;
      }
      continue;
    }
    if (current === undefined) continue; // values under a deleted or missing key are ignored, as regedit does
    let name: string;
    let at: number;
    if (t.startsWith('@')) {
      name = '';
      at = 1;
    } else {
      const q = unquote(t, 0);
      name = q.value;
      at = q.end;
    }
    while (t[at] === ' ' || t[at] === '\t') at++;
    if (t[at] !== '=') throw new RegFileError('= expected');
    const rest = t.slice(at + 1).trim();
    if (rest === '-') {
      ops.push({ kind: 'deleteValue', path: current, name });
      continue;
    }
    if (rest.startsWith('"')) {
      const q = unquote(rest, 0);
      ops.push({ kind: 'setValue', path: current, value: { name, type: REG_SZ, data: q.value } });
      continue;
    }
    const dword = /^dword:([0-9a-f]{1,8})$/i.exec(rest);
    if (dword) {
      ops.push({ kind: 'setValue', path: current, value: { name, type: REG_DWORD, data: parseInt(dword[1]!, 16) >>> 0 } });
      continue;
    }
    const hex = /^hex(?:\(([0-9a-f]{1,8})\))?:(.*)$/i.exec(rest);
    if (hex) {
      const type = hex[1] === undefined ? REG_BINARY : parseInt(hex[1], 16);
      ops.push({ kind: 'setValue', path: current, value: valueFromHex(name, type, hexBytes(hex[2]!), wide) });
      continue;
    }
    throw new RegFileError('unrecognised value');
  }
  return ops;
}
