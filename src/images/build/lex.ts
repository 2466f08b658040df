/**
 * Variable substitution in instruction words (buildkit shell/lex.go, the
 * part the classic builder uses): `$name`, `${name}`, `${name:-word}`,
 * `${name-word}`, `${name:+word}`, `${name+word}`; single quotes literal,
 * double quotes expand, the escape token (`\` or the `# escape=` one)
 * escapes the next character and is removed. On Windows variable names
 * match case-insensitively (shell/equal_env_windows.go).
 */
import { BuildError } from './errors.js';

export type Env = ReadonlyMap<string, string>;

/** `K=V` entries as a lookup (later entries win; names case-insensitive as on Windows). */
export function envFrom(entries: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of entries) {
    const eq = e.indexOf('=');
    const k = eq < 0 ? e : e.slice(0, eq);
    m.set(k.toUpperCase(), eq < 0 ? '' : e.slice(eq + 1));
  }
  return m;
}

/** One word, quotes removed and variables substituted (ProcessWord). */
export function processWord(word: string, env: Env, escapeToken: string): string {
  return new Lexer(word, env, escapeToken).word();
}

/** Words split on blanks outside quotes, each processed (ProcessWords: EXPOSE). */
export function processWords(text: string, env: Env, escapeToken: string): string[] {
  return new Lexer(text, env, escapeToken).words();
}

class Lexer {
  private pos = 0;
  constructor(
    private readonly s: string,
    private readonly env: Env,
    private readonly esc: string,
  ) {}

  word(): string {
    let out = '';
    while (this.pos < this.s.length) out += this.next(false);
    return out;
  }

  words(): string[] {
    const words: string[] = [];
    let cur = '';
    let has = false;
    while (this.pos < this.s.length) {
      const ch = this.s[this.pos]!;
      if (/\s/.test(ch)) {
        this.pos++;
        if (has) words.push(cur);
        cur = '';
        has = false;
        continue;
      }
      if (ch === '"' || ch === "'") has = true;
      const piece = this.next(false);
      if (piece !== '') has = true;
      cur += piece;
    }
    if (has) words.push(cur);
    return words;
  }

  /** The next piece of output: a quoted run, a variable, an escaped or plain character. */
  private next(inDouble: boolean): string {
    const ch = this.s[this.pos]!;
    if (!inDouble && ch === "'") return this.single();
    if (!inDouble && ch === '"') return this.double();
    if (ch === '$') return this.variable();
    if (ch === this.esc) {
      this.pos++;
      if (this.pos >= this.s.length) return '';
      const c = this.s[this.pos++]!;
      // Inside double quotes only `"`, `$` and the escape token itself are escaped.
      if (inDouble && c !== '"' && c !== '$' && c !== this.esc) return this.esc + c;
      return c;
    }
    this.pos++;
    return ch;
  }

  private single(): string {
    this.pos++;
    const end = this.s.indexOf("'", this.pos);
    if (end < 0) throw new BuildError('unexpected end of statement while looking for matching single-quote', 400);
    const out = this.s.slice(this.pos, end);
    this.pos = end + 1;
    return out;
  }

  private double(): string {
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.s.length) throw new BuildError('unexpected end of statement while looking for matching double-quote', 400);
      if (this.s[this.pos] === '"') {
        this.pos++;
        return out;
      }
      out += this.next(true);
    }
  }

  private lookup(name: string): string | undefined {
    return this.env.get(name.toUpperCase());
  }

  private variable(): string {
    this.pos++;
    const ch = this.s[this.pos];
    if (ch === '{') {
      this.pos++;
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.pos));
      if (!m) throw new BuildError(`missing ':' in substitution`, 400);
      const name = m[0];
      this.pos += name.length;
      const c = this.s[this.pos];
      if (c === '}') {
        this.pos++;
        return this.lookup(name) ?? '';
      }
      let colon = false;
      if (c === ':') {
        colon = true;
        this.pos++;
      }
      const op = this.s[this.pos];
      if (op !== '-' && op !== '+' && op !== '?') throw new BuildError(`unsupported modifier (${op ?? ''}) in substitution`, 400);
      this.pos++;
      let word = '';
      while (this.pos < this.s.length && this.s[this.pos] !== '}') word += this.next(false);
      if (this.s[this.pos] !== '}') throw new BuildError(`syntax error: missing '}'`, 400);
      this.pos++;
      const value = this.lookup(name);
      const set = value !== undefined && (!colon || value !== '');
      if (op === '-') return set ? value! : word;
      if (op === '+') return set ? word : '';
      if (!set) throw new BuildError(`${name}: ${word === '' ? 'is not allowed to be unset' : word}`, 400);
      return value!;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.pos));
    if (!m) return '$';
    this.pos += m[0].length;
    return this.lookup(m[0]) ?? '';
  }
}
