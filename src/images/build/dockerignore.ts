/**
 * `.dockerignore` as moby's patternmatcher reads and applies it
 * (github.com/moby/patternmatcher and its ignorefile): one pattern a line,
 * `#` lines are comments, blanks trimmed, `!` re-includes, patterns
 * cleaned (`a/./b` → `a/b`, a leading `/` dropped); `*` and `?` stay within
 * a path segment, `**` spans any number of them, `[…]` classes and `\`
 * escapes as Go's filepath.Match. A path is excluded when the last pattern
 * that matches it — or one of its parent folders — is not a `!` pattern
 * (MatchesOrParentMatches). Paths use `/` (the context tar's names; the CLI
 * here runs on Linux, where `\` is the escape, not a separator).
 */
import { cleanSlashPath } from '../go-path.js';
import { BuildError } from './errors.js';

interface Pattern {
  readonly exclusion: boolean;
  readonly re: RegExp;
}

/** ignorefile.ReadAll: the patterns of a `.dockerignore` text. */
export function readIgnoreFile(text: string): string[] {
  const out: string[] = [];
  let first = true;
  for (let line of text.split('\n')) {
    if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    first = false;
    line = line.replace(/\r$/, '');
    if (line.startsWith('#')) continue;
    let p = line.trim();
    if (p === '') continue;
    const invert = p.startsWith('!');
    if (invert) p = p.slice(1).trim();
    if (p.length > 0) {
      p = cleanSlashPath(p);
      if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
    }
    out.push(invert ? `!${p}` : p);
  }
  return out;
}

export class PatternMatcher {
  private readonly patterns: Pattern[];

  constructor(patterns: readonly string[]) {
    this.patterns = [];
    for (const raw of patterns) {
      let p = raw.trim();
      if (p === '') continue;
      const exclusion = p.startsWith('!');
      if (exclusion) {
        p = p.slice(1);
        if (p.length === 0) throw new Error('illegal exclusion pattern: "!"');
      }
      p = cleanSlashPath(p);
      this.patterns.push({ exclusion, re: compile(p) });
    }
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  /** True when `file` (a `/` path relative to the context) is excluded. */
  matchesOrParentMatches(file: string): boolean {
    let matched = false;
    const parent = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
    const dirs = parent.split('/');
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue;
      let match = p.re.test(file);
      if (!match && parent !== '.') {
        for (let i = 0; i < dirs.length; i++) {
          if (p.re.test(dirs.slice(0, i + 1).join('/'))) {
            match = true;
            break;
          }
        }
      }
      if (match) matched = !p.exclusion;
    }
    return matched;
  }
}

/** The pattern as an anchored regular expression (patternmatcher's compile, `/` separator). */
function compile(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '\\') {
      if (i + 1 < pattern.length) re += '\\' + pattern[++i];
      else re += '\\\\';
    } else if (ch === '[' || ch === ']') {
      re += ch;
    } else if ('.+()|{}$^'.includes(ch)) {
      re += '\\' + ch;
    } else {
      re += ch;
    }
  }
  re += '$';
  try {
    return new RegExp(re, 's');
  } catch {
    // Go's filepath.ErrBadPattern, a client error as the request's context is at fault.
    throw new BuildError(`syntax error in pattern: ${pattern}`, 400);
  }
}
