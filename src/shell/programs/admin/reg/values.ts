/**
 * Values as reg.exe shows and takes them.
 *
 * Shown (`reg query`, Wine's reg tests run against Windows): REG_SZ and
 * REG_EXPAND_SZ as the text; REG_MULTI_SZ with the literal two characters
 * `\0` between the strings; REG_DWORD and REG_QWORD as `0x` and lower-case
 * hex without padding (`0x123`); REG_BINARY and REG_NONE as upper-case hex
 * pairs with no separator (`DEADBEEF`).
 *
 * Taken (`reg add /t TYPE /d DATA`, `reg add /?`): REG_DWORD and REG_QWORD
 * in decimal or `0x` hex; REG_BINARY as hex digits; REG_MULTI_SZ split at
 * `\0` or at the `/s` separator character.
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
  type RegistryValue,
} from '../../../../kernel/registry/types.js';

/** Type names as reg prints and takes them (winnt.h spellings). */
const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [REG_NONE, 'REG_NONE'],
  [REG_SZ, 'REG_SZ'],
  [REG_EXPAND_SZ, 'REG_EXPAND_SZ'],
  [REG_BINARY, 'REG_BINARY'],
  [REG_DWORD, 'REG_DWORD'],
  [REG_DWORD_BIG_ENDIAN, 'REG_DWORD_BIG_ENDIAN'],
  [REG_LINK, 'REG_LINK'],
  [REG_MULTI_SZ, 'REG_MULTI_SZ'],
  [REG_QWORD, 'REG_QWORD'],
]);

/**
 * The types `reg add /t` and `reg query /t` take. REG_DWORD_LITTLE_ENDIAN
 * and REG_QWORD_LITTLE_ENDIAN are the same types under other names
 * (winnt.h). REG_LINK and REG_FULL_RESOURCE_DESCRIPTOR, which `reg add /?`
 * also lists, are not offered: this registry stores no resource lists, and
 * a link is made by the kernel only (DECIDED).
 */
const TYPE_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['REG_NONE', REG_NONE],
  ['REG_SZ', REG_SZ],
  ['REG_EXPAND_SZ', REG_EXPAND_SZ],
  ['REG_BINARY', REG_BINARY],
  ['REG_DWORD', REG_DWORD],
  ['REG_DWORD_LITTLE_ENDIAN', REG_DWORD],
  ['REG_DWORD_BIG_ENDIAN', REG_DWORD_BIG_ENDIAN],
  ['REG_MULTI_SZ', REG_MULTI_SZ],
  ['REG_QWORD', REG_QWORD],
  ['REG_QWORD_LITTLE_ENDIAN', REG_QWORD],
]);

export function typeByName(name: string): number | undefined {
  return TYPE_BY_NAME.get(name.toUpperCase());
}

export function typeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `REG_UNKNOWN`;
}

function hexUpper(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).toUpperCase().padStart(2, '0');
  return s;
}

/** The data column of a `reg query` value line; `separator` replaces `\0` (`/se`). */
export function dataText(v: RegistryValue, separator = '\\0'): string {
  switch (v.type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
    case REG_LINK:
      return v.data;
    case REG_MULTI_SZ:
      return v.data.join(separator);
    case REG_DWORD:
    case REG_DWORD_BIG_ENDIAN:
      return `0x${v.data.toString(16)}`;
    case REG_QWORD:
      return `0x${v.data.toString(16)}`;
    case REG_BINARY:
    case REG_NONE:
      return hexUpper(v.data);
  }
}

/** `(Default)` for the unnamed value (Wine's STRING_DEFAULT_VALUE, as Windows prints it). */
const DEFAULT_VALUE_NAME = '(Default)';

/** One value line: four spaces before each of name, type and data. `/z` adds the type's number. */
export function valueLine(v: RegistryValue, options: { verbose?: boolean; separator?: string } = {}): string {
  const type = options.verbose ? `${typeName(v.type)} (${v.type})` : typeName(v.type);
  return `    ${v.name === '' ? DEFAULT_VALUE_NAME : v.name}    ${type}    ${dataText(v, options.separator)}`;
}

/** What `reg query /ve` prints for a key whose default value is not set. */
export const VALUE_NOT_SET_LINE = `    ${DEFAULT_VALUE_NAME}    REG_SZ    (value not set)`;

function utf16z(text: string): Uint8Array {
  const out = new Uint8Array((text.length + 1) * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i * 2] = c & 0xff;
    out[i * 2 + 1] = c >> 8;
  }
  return out;
}

function parseUnsigned(text: string, max: bigint): bigint | undefined {
  const t = text.trim();
  let n: bigint;
  if (/^0x[0-9a-f]+$/i.test(t)) n = BigInt(t);
  else if (/^[0-9]+$/.test(t)) n = BigInt(t);
  else return undefined;
  return n <= max ? n : undefined;
}

function parseHexBytes(text: string): Uint8Array | undefined {
  if (!/^[0-9a-f]*$/i.test(text)) return undefined;
  // An odd count: the first digit is a byte of its own (Wine's reg, whose tests run on Windows).
  const padded = text.length % 2 ? '0' + text : text;
  const out = new Uint8Array(padded.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(padded.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * The value `reg add` stores for `/t type /d data` (data undefined: no
 * `/d`). Undefined when the data does not fit the type, which reg reports
 * as a syntax error (DECIDED: Windows' exact message for bad numeric or hex
 * data was not found; "Invalid syntax" is what it prints for malformed
 * arguments generally).
 */
export function valueFromData(name: string, type: number, data: string | undefined, separator: string | undefined): RegistryValue | undefined {
  const text = data ?? '';
  switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
      return { name, type, data: text };
    case REG_DWORD:
    case REG_DWORD_BIG_ENDIAN: {
      // DECIDED: a REG_DWORD without /d is 0, as `reg add /t REG_DWORD` is commonly seen to store.
      const n = data === undefined ? 0n : parseUnsigned(text, 0xffffffffn);
      return n === undefined ? undefined : { name, type, data: Number(n) };
    }
    case REG_QWORD: {
      const n = data === undefined ? 0n : parseUnsigned(text, (1n << 64n) - 1n);
      return n === undefined ? undefined : { name, type, data: n };
    }
    case REG_BINARY: {
      const bytes = parseHexBytes(text);
      return bytes === undefined ? undefined : { name, type, data: bytes };
    }
    case REG_NONE:
      // reg stores REG_NONE data as a string would be stored (Wine's reg: the UTF-16 text and its terminator); none without /d.
      return { name, type, data: data === undefined ? new Uint8Array(0) : utf16z(text) };
    case REG_MULTI_SZ: {
      if (text === '') return { name, type, data: [] };
      const parts = separator === undefined || separator === '' ? text.split('\\0') : text.split(separator);
      // A trailing separator ends the list; an empty string inside it cannot be stored (it would end the list early).
      if (parts[parts.length - 1] === '') parts.pop();
      if (parts.some((p) => p === '')) return undefined;
      return { name, type, data: parts };
    }
    default:
      return undefined;
  }
}
