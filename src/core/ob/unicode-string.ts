/**
 * A UNICODE_STRING as NT receives it: a byte Length (an unsigned 16-bit
 * field, so at most 65535) over a buffer of code units. Callers pass a
 * JavaScript string and, to probe the edges, an explicit Length; both
 * implementations derive the same effective name here.
 */
export interface UnicodeString {
  /** UNICODE_STRING.Length in bytes (may be odd: the callee rejects that). */
  bytes: number;
  /** The code units the callee reads: Length / 2 of them, zero-padded. */
  value: string;
}

export function unicodeString(s: string, lengthOverride?: number): UnicodeString {
  const bytes = lengthOverride === undefined ? s.length * 2 : Math.min(Math.max(0, Math.trunc(lengthOverride)), 65535);
  if (bytes >= 65534) return { bytes, value: '' }; // rejected before it is read
  const units = bytes >> 1;
  const value = s.length >= units ? s.slice(0, units) : s + '\0'.repeat(units - s.length);
  return { bytes, value };
}
