/**
 * cmd's expansion phases (the model of cmd's line parser documented on
 * ss64.com "How CMD parses" and in jeb's experiments, SO 4094699):
 *  - phase 1, percent expansion, on each line as it is read: `%%` → `%`
 *    (batch), `%0`–`%9`, `%*`, `%~mods N`, `%VAR%`, `%VAR:~s,l%`,
 *    `%VAR:a=b%`;
 *  - phase 4, FOR variable substitution in the commands after DO:
 *    `%V` and `%~mods V`;
 *  - phase 5, delayed expansion (`!VAR!`) when it is enabled.
 */

/** What expansion reads: variables (dynamic ones included) and, in a batch file, its arguments. */
export interface ExpansionScope {
  /** A variable's value (environment first, then cmd's dynamic variables), undefined when not defined. */
  get(name: string): string | undefined;
  /** True in a batch file: undefined variables and lone `%` vanish, `%%` is `%`, `%0`… are arguments. */
  readonly batch: boolean;
  /** Batch argument N (0–9) after SHIFT, undefined when absent. */
  arg(n: number): string | undefined;
  /** `%*`: the arguments as typed from %1 on (SHIFT does not change it). */
  allArgs(): string;
  /** `%~mods` applied to `value` (quotes already removed). */
  modify(mods: string, value: string): string;
}

/** `%~` with modifiers that name no argument: cmd prints the path-operator error and runs nothing of the line. */
export class PathOperatorError extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

const MOD_LETTERS = 'fdpnxsatzFDPNXSATZ';

/** Splits `%~…` modifiers off `text` starting after `~`: returns the modifier run's end. `$VAR:` counts as one modifier. */
function scanModifiers(text: string, i: number): { end: number; parts: string[] } {
  const parts: string[] = [];
  while (i < text.length) {
    const c = text[i]!;
    if (MOD_LETTERS.includes(c)) {
      parts.push(c);
      i++;
      continue;
    }
    if (c === '$') {
      const colon = text.indexOf(':', i + 1);
      if (colon > i + 1) {
        parts.push(text.slice(i, colon + 1));
        i = colon + 1;
        continue;
      }
    }
    break;
  }
  return { end: i, parts };
}

/** `%VAR:~s,l%` on `value` (ss64 "Variable substring"). */
export function substring(value: string, spec: string): string | undefined {
  const m = /^\s*(-?\d+)\s*(?:,\s*(-?\d*)\s*)?$/.exec(spec);
  if (!m) return undefined;
  const len = value.length;
  let s = parseInt(m[1]!, 10);
  if (s < 0) s = Math.max(0, len + s);
  if (s > len) return '';
  if (m[2] === undefined || m[2] === '') return value.slice(s);
  const l = parseInt(m[2], 10);
  const end = l < 0 ? len + l : s + l;
  return end <= s ? '' : value.slice(s, Math.min(len, end));
}

/** `%VAR:old=new%` (case-insensitive; `*old=new` replaces through the first match) on `value`. */
export function substitute(value: string, spec: string): string {
  const eq = spec.indexOf('=');
  let find = spec.slice(0, eq);
  const repl = spec.slice(eq + 1);
  if (find.startsWith('*')) {
    find = find.slice(1);
    if (find === '') return value; // DECIDED: `*=x` changes nothing
    const at = value.toLowerCase().indexOf(find.toLowerCase());
    return at < 0 ? value : repl + value.slice(at + find.length);
  }
  if (find === '') return value;
  const lv = value.toLowerCase();
  const lf = find.toLowerCase();
  let out = '';
  let from = 0;
  for (let at = lv.indexOf(lf); at >= 0; at = lv.indexOf(lf, from)) {
    out += value.slice(from, at) + repl;
    from = at + find.length;
  }
  return out + value.slice(from);
}

/**
 * `NAME`, `NAME:~s,l` or `NAME:a=b` (the text between the two delimiters)
 * expanded; undefined when NAME is not defined (the caller decides what an
 * undefined reference becomes).
 */
export function expandReference(ref: string, get: (name: string) => string | undefined): string | undefined {
  const colon = ref.indexOf(':');
  if (colon > 0) {
    const name = ref.slice(0, colon);
    const spec = ref.slice(colon + 1);
    if (spec.startsWith('~')) {
      const v = get(name);
      if (v === undefined) return undefined;
      return substring(v, spec.slice(1)) ?? `${ref}`;
    }
    if (spec.includes('=')) {
      const v = get(name);
      if (v === undefined) return undefined;
      return substitute(v, spec);
    }
  }
  return get(ref);
}

/** Phase 1: percent expansion of one line. */
export function percentExpand(text: string, scope: ExpansionScope): string {
  if (!text.includes('%')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (scope.batch) {
      if (next === '%') {
        out += '%';
        i += 2;
        continue;
      }
      if (next === '*') {
        out += scope.allArgs();
        i += 2;
        continue;
      }
      if (next !== undefined && next >= '0' && next <= '9') {
        out += scope.arg(next.charCodeAt(0) - 48) ?? '';
        i += 2;
        continue;
      }
      if (next === '~') {
        const { end, parts } = scanModifiers(text, i + 2);
        const d = text[end];
        if (d !== undefined && d >= '0' && d <= '9') {
          out += scope.modify(parts.join(''), unquote(scope.arg(d.charCodeAt(0) - 48) ?? ''));
          i = end + 1;
          continue;
        }
        throw new PathOperatorError(text.slice(i));
      }
    }
    const close = next === undefined ? -1 : text.indexOf('%', i + 1);
    if (close < 0) {
      // A lone % : removed in a batch file, kept on the command line.
      if (!scope.batch) out += '%';
      i++;
      continue;
    }
    const ref = text.slice(i + 1, close);
    if (ref === '') {
      // `%%` on the command line stays as it is.
      out += '%';
      i++;
      continue;
    }
    const v = expandReference(ref, scope.get);
    if (v !== undefined) {
      out += v;
      i = close + 1;
      continue;
    }
    const colon = ref.indexOf(':');
    if (scope.batch) {
      if (colon > 0) {
        // An undefined variable with a modifier: `%VAR:` goes, scanning resumes after it.
        i = i + 1 + colon + 1;
      } else {
        i = close + 1;
      }
      continue;
    }
    // Command line: an undefined reference is left as typed; the scan resumes at its closing %.
    out += '%' + ref;
    i = close;
  }
  return out;
}

/** Phase 5: delayed expansion of `!VAR!` (carets escape the next character when the text has a `!`). */
export function delayedExpand(text: string, get: (name: string) => string | undefined, batch: boolean): string {
  if (!text.includes('!')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '^') {
      if (i + 1 < text.length) out += text[i + 1];
      i += 2;
      continue;
    }
    if (c !== '!') {
      out += c;
      i++;
      continue;
    }
    const close = text.indexOf('!', i + 1);
    if (close < 0) {
      i++; // a lone ! vanishes
      continue;
    }
    const ref = text.slice(i + 1, close);
    if (ref === '') {
      i++;
      continue;
    }
    const v = expandReference(ref, get);
    if (v !== undefined) out += v;
    else if (!batch) out += `!${ref}!`;
    i = close + 1;
  }
  return out;
}

/** Phase 4: FOR variables (`%V`, `%~mods V`) replaced by their values; `vars` maps a letter (case-sensitive) to its value. */
export function forSubstitute(text: string, vars: ReadonlyMap<string, string>, modify: (mods: string, value: string) => string): string {
  if (vars.size === 0 || !text.includes('%')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '%' || i + 1 >= text.length) {
      out += c;
      i++;
      continue;
    }
    const n = text[i + 1]!;
    if (n === '~') {
      const { end, parts } = scanModifiers(text, i + 2);
      const after = text[end];
      if (after !== undefined && vars.has(after)) {
        out += modify(parts.join(''), unquote(vars.get(after)!));
        i = end + 1;
        continue;
      }
      // The variable may be the last letter of the modifier run (`%~nxa` with %a).
      let done = false;
      for (let j = parts.length - 1; j >= 0; j--) {
        const p = parts[j]!;
        if (p.length === 1 && vars.has(p)) {
          out += modify(parts.slice(0, j).join(''), unquote(vars.get(p)!));
          i = i + 2 + parts.slice(0, j + 1).join('').length;
          done = true;
          break;
        }
      }
      if (done) continue;
    } else if (vars.has(n)) {
      out += vars.get(n)!;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Surrounding double quotes removed (what `%~1` does). */
export function unquote(s: string): string {
  if (s.length >= 1 && s[0] === '"') {
    s = s.slice(1);
    if (s.endsWith('"')) s = s.slice(0, -1);
  }
  return s;
}
