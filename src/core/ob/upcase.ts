/**
 * The upcase table both implementations fold names with: one UTF-16 code
 * unit to one code unit, like RtlUpcaseUnicodeChar. Built from the
 * platform's simple upper-case mapping: a code unit whose upper case is a
 * single code unit maps to it; one that expands (ß → SS) and the surrogates
 * map to themselves, as Windows' table does.
 */
let table: Uint16Array | undefined;

export function upcaseTable(): Uint16Array {
  if (table) return table;
  const t = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) {
      t[c] = c;
      continue;
    }
    const u = String.fromCharCode(c).toUpperCase();
    t[c] = u.length === 1 ? u.charCodeAt(0) : c;
  }
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
