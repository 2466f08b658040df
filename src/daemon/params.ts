/**
 * Query parameters as moby reads them (api/server/httputils): booleans by
 * BoolValue, filters as JSON in either shape the clients send, integers
 * by strconv (docker-engine-api.md §1.5). Unknown parameters are ignored.
 */
import { badRequest } from './errors.js';

/** moby httputils.BoolValue: after trimming and lower-casing, "", 0, no, false and none are false; anything else is true. */
export function boolValue(q: URLSearchParams, name: string): boolean {
  const v = (q.get(name) ?? '').trim().toLowerCase();
  return !(v === '' || v === '0' || v === 'no' || v === 'false' || v === 'none');
}

/** moby httputils.BoolValueOrDefault: absent means `def` (stats' `stream` is true when absent). */
export function boolValueOrDefault(q: URLSearchParams, name: string, def: boolean): boolean {
  return q.has(name) ? boolValue(q, name) : def;
}

/** An integer parameter (strconv.Atoi), `def` when absent or empty; 400 with strconv's text when malformed. */
export function intValue(q: URLSearchParams, name: string, def: number): number {
  const v = q.get(name);
  if (v === null || v === '') return def;
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number.parseInt(v, 10);
}

/** Filters: name → accepted values. */
export type Filters = Map<string, string[]>;

/**
 * moby filters.FromJSON: `{"status":{"running":true}}` (the CLI) or
 * `{"label":["k=v"]}` (docker-py, compose); empty means none. A body that
 * is neither: 400 `invalid filter`-style text (moby's JSON error).
 */
export function parseFilters(raw: string | null): Filters {
  const out: Filters = new Map();
  if (raw === null || raw === '') return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw badRequest(`invalid filter: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest('invalid filter: expected an object');
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(v)) out.set(k, v.map(String));
    else if (v !== null && typeof v === 'object') out.set(k, Object.entries(v as Record<string, unknown>).filter(([, on]) => on === true).map(([x]) => x));
    else throw badRequest(`invalid filter: ${k}`);
  }
  return out;
}

/** moby filters.Validate: a key outside `accepted` is 400 `invalid filter '<k>'`. */
export function validateFilters(f: Filters, accepted: readonly string[]): void {
  for (const k of f.keys()) if (!accepted.includes(k)) throw badRequest(`invalid filter '${k}'`);
}

/** Labels against `label` filters: `k` (present) or `k=v` (equal). */
export function matchLabels(labels: Readonly<Record<string, string>> | null | undefined, wanted: readonly string[]): boolean {
  const l = labels ?? {};
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) return Object.prototype.hasOwnProperty.call(l, w);
    return l[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

/**
 * A `since`/`until` time: unix seconds with an optional fraction
 * (`1763848075.029`), an RFC 3339 date, or a Go duration before now
 * (`10m`, as the CLI converts `--since 10m` itself — accepted anyway).
 * Milliseconds since the epoch; undefined when absent.
 */
export function timeValue(q: URLSearchParams, name: string, now: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const d = Date.parse(v);
  if (Number.isFinite(d)) return d;
  const dur = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v);
  if (dur) return now - Number(dur[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[dur[2] as 'ms' | 's' | 'm' | 'h'];
  throw badRequest(`failed to parse value ${v} as a time`);
}
