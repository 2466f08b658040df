/**
 * The upcase table both implementations fold names with: one UTF-16 code
 * unit to one code unit, like RtlUpcaseUnicodeChar. Built from the
 * platform's simple upper-case mapping: a code unit whose upper case is a
 * single code unit maps to it; one that expands (ß → SS) and the surrogates
 * map to themselves, as Windows' table does.
 */
let table: Uint16Array | undefined;

/**
 * Code units upper-cased per engine call. One call per unit cost ~15 ms at
 * every start (issue 7: first prompt); spans of 256 cost ~5: a span with
 * nothing that changes when upper-cased is copied as it is, one that keeps
 * its length mapped each unit to one unit (simple mappings are
 * context-free), and one that grew (ß → SS) is halved until the expanding
 * units stand alone.
 */
const SPAN = 256;
const CHANGES_WHEN_UPPERCASED = /\p{Changes_When_Uppercased}/u;

export function upcaseTable(): Uint16Array {
  if (table) return table;
  const units = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) units[c] = c;
  const t = units.slice();
  const utf16 = new TextDecoder('utf-16le');
  const fill = (base: number, length: number): void => {
    const span = utf16.decode(units.subarray(base, base + length));
    if (!CHANGES_WHEN_UPPERCASED.test(span)) return;
    const upper = span.toUpperCase();
    if (upper.length === length) {
      for (let i = 0; i < length; i++) t[base + i] = upper.charCodeAt(i);
    } else if (length > 1) {
      fill(base, length >> 1);
      fill(base + (length >> 1), length >> 1);
    }
  };
  // The surrogates (D800–DFFF) map to themselves, as the identity they start as.
  for (let base = 0; base < 65536; base += SPAN) if (base < 0xd800 || base >= 0xe000) fill(base, SPAN);
  table = t;
  return t;
}

const NEEDS_TABLE = /[\ud800-\udfff]/;

/** The folded (upcased) form of a name, as the table gives it. */
export function fold(s: string): string {
  // Fast path: the engine's toUpperCase agrees with the table whenever it
  // keeps the length and there are no surrogates.
  const u = s.toUpperCase();
  if (u.length === s.length && !NEEDS_TABLE.test(s)) return u;
  const t = upcaseTable();
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(t[s.charCodeAt(i)]!);
  return out;
}

/** The NT directory bucket of a name (enumeration order): see assembly/ob/upcase.ts. */
export function ntBucket(s: string): number {
  const t = upcaseTable();
  let h = 0;
  for (let i = 0; i < s.length; i++) {
    const c = t[s.charCodeAt(i)]!;
    h = (h + ((h << 1) >>> 0) + (h >>> 1) + c) >>> 0;
  }
  return h % 37;
}
