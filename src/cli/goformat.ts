/**
 * The few Go library behaviours whose text reaches winsilo's users through
 * docker's messages and tables, reproduced exactly:
 *  - strconv.Quote / QuoteRune (what `%q` prints in pflag's errors),
 *  - strconv.ParseInt(s, 0, 64) and strconv.ParseBool (pflag's int64 and
 *    bool flags) with their error texts,
 *  - fmt's `%.*g` (go-units' HumanSizeWithPrecision), rounding the exact
 *    decimal value of the float half-to-even as strconv does,
 *  - go-units HumanDuration, HumanSizeWithPrecision, HumanSize, BytesSize.
 * Sources: Go's strconv (quote.go, atoi.go, atob.go, ftoa.go, decimal.go)
 * and github.com/docker/go-units (duration.go, size.go, v0.5.0).
 */

/** Go's strconv.IsPrint for the characters winsilo can meet: not a control, not a lone surrogate, not U+FFFD-class specials. */
function isPrint(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp >= 0x80 && cp < 0xa0) return false;
  if (cp === 0xad) return false; // soft hyphen: Go lists it as not printable
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  if (cp === 0xfeff || cp === 0xfffe || cp === 0xffff) return false;
  return true;
}

function escapeRune(cp: number, quote: string): string {
  if (cp === quote.charCodeAt(0) || cp === 0x5c) return '\\' + String.fromCodePoint(cp);
  if (isPrint(cp)) return String.fromCodePoint(cp);
  switch (cp) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}

/** strconv.Quote: `"…"` with Go's escapes (what `%q` prints for a string). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch.codePointAt(0)!, '"');
  return out + '"';
}

/** strconv.QuoteRune: `'x'` (what `%q` prints for a rune). */
export function goQuoteRune(cp: number): string {
  return "'" + escapeRune(cp, "'") + "'";
}

/** A strconv.NumError's text: `strconv.ParseInt: parsing "x": invalid syntax`. */
export class GoNumError extends Error {
  constructor(fn: string, input: string, reason: 'invalid syntax' | 'value out of range') {
    super(`strconv.${fn}: parsing ${goQuote(input)}: ${reason}`);
  }
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/**
 * strconv.ParseInt(s, 0, 64): an optional sign, then a base prefix (`0x`,
 * `0o`, `0b`, or a leading `0` for octal), digits, and underscores only
 * between digits or after the prefix (base 0 allows them). Returns a
 * number when it is safe, else throws GoNumError; values beyond int64 are
 * "value out of range".
 */
export function parseGoInt64(s: string): bigint {
  const fail = (reason: 'invalid syntax' | 'value out of range'): never => {
    throw new GoNumError('ParseInt', s, reason);
  };
  if (s.length === 0) fail('invalid syntax');
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  let body = s.slice(i);
  let base = 10;
  let prefixed = false;
  if (body[0] === '0' && body.length > 1) {
    const p = body[1]!.toLowerCase();
    if (p === 'x') base = 16;
    else if (p === 'o') base = 8;
    else if (p === 'b') base = 2;
    if (base !== 10) {
      body = body.slice(2);
      prefixed = true;
    } else {
      base = 8;
      body = body.slice(1);
      prefixed = true;
    }
  }
  // Go's underscoreOK: '_' must separate digits, or follow the base prefix.
  if (body.includes('_')) {
    let saw: 'start' | 'digit' | '_' = prefixed ? 'digit' : 'start';
    for (const c of body) {
      if (c === '_') {
        if (saw !== 'digit') fail('invalid syntax');
        saw = '_';
      } else saw = 'digit';
    }
    if (saw !== 'digit') fail('invalid syntax');
    body = body.replace(/_/g, '');
  }
  if (body.length === 0) {
    // "0x" alone is a syntax error; "0" (octal prefix with nothing after) is zero.
    if (base === 8 && s.slice(i) === '0') return 0n;
    fail('invalid syntax');
  }
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  let v = 0n;
  const b = BigInt(base);
  for (const c of body.toLowerCase()) {
    const d = digits.indexOf(c);
    if (d < 0) fail('invalid syntax');
    v = v * b + BigInt(d);
  }
  if (neg) v = -v;
  if (v > INT64_MAX || v < INT64_MIN) fail('value out of range');
  return v;
}

/** strconv.ParseBool. */
export function parseGoBool(s: string): boolean {
  switch (s) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
  }
  throw new GoNumError('ParseBool', s, 'invalid syntax');
}

/**
 * The exact decimal digits of a finite positive double and its decimal
 * point position (Go's `decimal`: value = 0.d1d2… × 10^dp), trailing zeros
 * trimmed.
 */
function exactDecimal(x: number): { d: string; dp: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (exp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = exp - 1075;
  }
  // x = mant × 2^e2.
  let digits: string;
  let scale: number; // x = digits × 10^-scale
  if (e2 >= 0) {
    digits = (mant << BigInt(e2)).toString();
    scale = 0;
  } else {
    digits = (mant * 5n ** BigInt(-e2)).toString();
    scale = -e2;
  }
  const dp = digits.length - scale;
  const trimmed = digits.replace(/0+$/, '');
  const lead = trimmed.match(/^0*/)![0].length;
  return { d: trimmed.slice(lead), dp: dp - lead };
}

/** Rounds decimal digits to `nd` digits, half to even on an exact tie (Go's decimal.Round). */
function roundDecimal(dec: { d: string; dp: number }, nd: number): { d: string; dp: number } {
  if (nd < 0 || nd >= dec.d.length) return dec;
  const next = dec.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === dec.d.length) up = nd > 0 && (dec.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = next >= 5;
  if (!up) {
    const d = dec.d.slice(0, nd).replace(/0+$/, '');
    return { d, dp: d.length === 0 ? 0 : dec.dp };
  }
  const head = dec.d.slice(0, nd).split('').map(Number);
  let i = head.length - 1;
  while (i >= 0 && head[i] === 9) i--;
  if (i < 0) return { d: '1', dp: dec.dp + 1 };
  head[i]!++;
  return { d: head.slice(0, i + 1).join(''), dp: dec.dp };
}

/** fmt's `%.<prec>g` of a non-negative float, as Go prints it (strconv.FormatFloat(x, 'g', prec, 64)). */
export function formatGoG(x: number, prec: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  const neg = x < 0;
  if (prec === 0) prec = 1;
  const digs = roundDecimal(exactDecimal(Math.abs(x)), prec);
  let eprec = prec;
  if (eprec > digs.d.length && digs.d.length >= digs.dp) eprec = digs.d.length;
  const exp = digs.dp - 1;
  let out: string;
  if (exp < -4 || exp >= eprec) {
    // %e with prec-1 digits after the point (no more than there are).
    const p = Math.min(prec, digs.d.length) - 1;
    const m = digs.d[0]! + (p > 0 ? '.' + digs.d.slice(1, 1 + p).padEnd(p, '0') : '');
    const ae = Math.abs(exp);
    out = `${m}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' + ae : ae}`;
  } else {
    let p = prec;
    if (p > digs.dp) p = digs.d.length;
    const frac = Math.max(p - digs.dp, 0);
    // %f with `frac` digits.
    const intPart = digs.dp > 0 ? digs.d.slice(0, digs.dp).padEnd(digs.dp, '0') : '0';
    let fracPart = '';
    for (let i = 0; i < frac; i++) {
      const j = digs.dp + i;
      fracPart += j >= 0 && j < digs.d.length ? digs.d[j] : '0';
    }
    out = intPart + (frac > 0 ? '.' + fracPart : '');
  }
  return neg ? '-' + out : out;
}

const DECIMAL_ABBRS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY_ABBRS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function sizeAndUnit(size: number, base: number, abbrs: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < abbrs.length - 1) {
    size /= base;
    i++;
  }
  return [size, abbrs[i]!];
}

/** go-units HumanSizeWithPrecision: decimal units, `%.<precision>g` — `docker images`' SIZE uses 3 ("5.69GB"). */
export function humanSizeWithPrecision(size: number, precision: number): string {
  const [v, unit] = sizeAndUnit(size, 1000, DECIMAL_ABBRS);
  return formatGoG(v, precision) + unit;
}

/** go-units HumanSize: four significant digits ("2.746MB"). */
export function humanSize(size: number): string {
  return humanSizeWithPrecision(size, 4);
}

/** go-units BytesSize: binary units, `%.4g` ("512MiB"). */
export function bytesSize(size: number): string {
  const [v, unit] = sizeAndUnit(size, 1024, BINARY_ABBRS);
  return formatGoG(v, 4) + unit;
}

/**
 * go-units HumanDuration of `ms` milliseconds ("Less than a second",
 * "About a minute", "3 weeks", …): docker appends " ago" for CREATED.
 * Go truncates float seconds/minutes toward zero and rounds hours.
 */
export function humanDuration(ms: number): string {
  const secondsF = ms / 1000;
  const seconds = Math.trunc(secondsF);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(secondsF / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hoursF = secondsF / 3600;
  const hours = Math.trunc(hoursF + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(hoursF) / 24 / 365)} years`;
}

/**
 * Go's time.Duration String of `ns` nanoseconds: `30s`, `1m30s`, `1h0m0s`,
 * `1.5s`, `500ms`, `1.5µs`, `100ns`, `0s` (fractions without trailing
 * zeros; below a second the largest unit that keeps a whole part).
 */
export function goDuration(ns: number): string {
  const n = Math.round(Math.abs(ns));
  const sign = ns < 0 ? '-' : '';
  if (n === 0) return '0s';
  const frac = (whole: number, unit: number, digits: number): string => {
    const f = String(whole % unit).padStart(digits, '0').replace(/0+$/, '');
    return `${Math.floor(whole / unit)}${f ? `.${f}` : ''}`;
  };
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${frac(n, 1e3, 3)}µs`;
  if (n < 1e9) return `${sign}${frac(n, 1e6, 6)}ms`;
  const h = Math.floor(n / 3.6e12);
  const m = Math.floor((n % 3.6e12) / 6e10);
  const s = frac(n % 6e10, 1e9, 9);
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}
