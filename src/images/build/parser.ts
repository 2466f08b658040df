/**
 * The Dockerfile's lines, as the classic builder reads them (moby v28.2.2
 * vendors buildkit's frontend/dockerfile/parser): parser directives at the
 * top (`# escape=`, `# syntax=`, `# check=`; each once; the first other
 * line ends them), comments dropped wherever they are, the escape token at
 * the end of a line joining it to the next (continuation lines keep their
 * leading blanks, comment lines inside a continuation are skipped, empty
 * ones are kept out with a warning), the instruction word split from its
 * arguments, `--flags` taken off the front.
 *
 * Heredocs are not read (the brief leaves them out; `<<` stays in the text).
 * `# syntax=` is accepted and ignored as v28.2.2 does (later moby refuses it).
 */
import { BuildError } from './errors.js';
import { BUILD_LIMITS } from './limits.js';

/** One instruction as the parser leaves it (buildkit's parser.Node). */
export interface Node {
  /** The word as written (`run`, `RUN`); compared lower-cased. */
  readonly word: string;
  /** The whole logical line (continuations joined), leading blanks off: what `Step n/m :` prints. */
  readonly original: string;
  /** `--name=value` words before the arguments. */
  readonly flags: readonly string[];
  /** The arguments as the instruction's line parser splits them. */
  readonly args: readonly string[];
  /** For key=value instructions (ENV, LABEL): true where the pair had `=`. */
  readonly delimited: readonly boolean[];
  /** The JSON (exec) form was used. */
  readonly json: boolean;
  /** The argument text after the word and flags (the shell form's command). */
  readonly rest: string;
  readonly startLine: number;
  readonly endLine: number;
}

export interface ParseResult {
  readonly nodes: readonly Node[];
  /** `\` or `` ` `` (the `# escape=` directive). */
  readonly escapeToken: string;
  /** Lines moby prints to stderr before the build (empty continuation lines). */
  readonly warnings: readonly string[];
}

const DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const WHITESPACE = /[\t\v\f\r ]+/;

/** The parse error moby reports (`dockerfile parse error on line N: …` is added by the instruction layer). */
export function parseDockerfile(text: string): ParseResult {
  if (text.length > BUILD_LIMITS.maxDockerfileBytes) throw new BuildError(`the Dockerfile is larger than ${BUILD_LIMITS.maxDockerfileBytes} bytes`, 400);
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = src.split('\n');
  let escapeToken = '\\';
  let continuation = continuationRegex(escapeToken);
  let directivesDone = false;
  const seen = new Set<string>();
  const nodes: Node[] = [];
  const warnings: string[] = [];

  // A parser directive: `# key=value` before anything else (buildkit directives.go).
  const directive = (line: string): boolean => {
    if (directivesDone) return false;
    const m = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/.exec(line);
    if (!m || !DIRECTIVES.has(m[1]!.toLowerCase())) {
      directivesDone = true;
      return false;
    }
    const key = m[1]!.toLowerCase();
    if (seen.has(key)) throw new BuildError(`only one ${key} parser directive can be used`, 400);
    seen.add(key);
    if (key === 'escape') {
      if (m[2] !== '`' && m[2] !== '\\') throw new BuildError(`invalid escape token '${m[2]}' does not match \` or \\`, 400);
      escapeToken = m[2];
      continuation = continuationRegex(escapeToken);
    }
    return true;
  };

  let i = 0;
  while (i < lines.length) {
    let raw = trimNewline(lines[i]!);
    i++;
    raw = raw.replace(/^\s+/, '');
    if (directive(raw)) continue;
    if (raw.startsWith('#')) continue;
    const startLine = i;
    let [part, ended] = trimContinuation(raw, continuation);
    if (ended && part.length === 0) continue;
    let line = part;
    let emptyContinuation = false;
    while (!ended && i < lines.length) {
      const next = trimNewline(lines[i]!);
      i++;
      directive(next);
      if (/^\s*#/.test(next)) continue;
      if (next.trim() === '') {
        emptyContinuation = true;
        continue;
      }
      [part, ended] = trimContinuation(next, continuation);
      line += part;
    }
    if (emptyContinuation) warnings.push(`[WARNING]: Empty continuation line found in: ${line}`);
    nodes.push(nodeFromLine(line, escapeToken, startLine, i));
  }
  if (nodes.length === 0) throw new BuildError('file with no instructions', 400);
  return { nodes, escapeToken, warnings };
}

function trimNewline(s: string): string {
  return s.replace(/[\r\n]+$/, '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\`]/g, '\\$&');
}

/** buildkit's lineContinuationRegex: the token last on the line (blanks after it allowed), not itself escaped. */
function continuationRegex(token: string): RegExp {
  const t = escapeRegExp(token);
  return new RegExp(`([^${t}])${t}[ \\t]*$|^${t}[ \\t]*$`);
}

function trimContinuation(line: string, re: RegExp): [string, boolean] {
  if (re.test(line)) return [line.replace(re, '$1'), false];
  return [line, true];
}

function nodeFromLine(line: string, escapeToken: string, startLine: number, endLine: number): Node {
  const trimmed = line.trim();
  const split = trimmed.split(WHITESPACE);
  const word = split[0]!;
  const afterWord = trimmed.slice(word.length).replace(/^[\t\v\f\r ]+/, '');
  const { rest: restWithFlags, flags } = extractFlags(afterWord, escapeToken);
  const rest = restWithFlags.trim();
  const base = { word, original: trimmed, flags, rest, startLine, endLine };
  switch (word.toLowerCase()) {
    case 'run':
    case 'cmd':
    case 'entrypoint':
    case 'shell':
      return { ...base, ...maybeJson(rest, false) };
    case 'add':
    case 'copy':
    case 'volume':
      return { ...base, ...maybeJson(rest, true) };
    case 'env':
    case 'label':
      return { ...base, ...nameValues(rest, word.toUpperCase() === 'ENV' ? 'ENV' : 'LABEL', escapeToken) };
    case 'arg':
      return { ...base, args: parseWords(rest, escapeToken), delimited: [], json: false };
    case 'from':
    case 'expose':
      return { ...base, args: rest === '' ? [] : rest.split(WHITESPACE), delimited: [], json: false };
    case 'healthcheck': {
      const m = /^(\S+)\s*(.*)$/s.exec(rest);
      if (!m) return { ...base, args: [], delimited: [], json: false };
      const cmd = maybeJson(m[2]!, false);
      return { ...base, args: [m[1]!, ...cmd.args], delimited: [], json: cmd.json };
    }
    case 'onbuild':
      return { ...base, args: rest === '' ? [] : [rest], delimited: [], json: false };
    default:
      // MAINTAINER, STOPSIGNAL, USER, WORKDIR and unknown words: the whole rest.
      return { ...base, args: rest === '' ? [] : [rest], delimited: [], json: false };
  }
}

/** `["a","b"]` or the text (`toList`: split on blanks, as COPY/ADD/VOLUME do). */
function maybeJson(rest: string, toList: boolean): { args: string[]; delimited: boolean[]; json: boolean } {
  const t = rest.replace(/^\s+/, '');
  if (t.startsWith('[')) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      v = undefined;
    }
    if (Array.isArray(v)) {
      if (!v.every((x) => typeof x === 'string')) throw new BuildError('when using JSON array syntax, arrays must be comprised of strings only', 400);
      return { args: v as string[], delimited: [], json: true };
    }
  }
  if (toList) return { args: rest === '' ? [] : rest.split(WHITESPACE), delimited: [], json: false };
  return { args: rest === '' ? [] : [rest], delimited: [], json: false };
}

/** ENV/LABEL: `k=v k2="v 2"` or the legacy `k v` (buildkit parseNameVal). */
function nameValues(rest: string, key: 'ENV' | 'LABEL', escapeToken: string): { args: string[]; delimited: boolean[]; json: boolean } {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return { args: [], delimited: [], json: false };
  if (!words[0]!.includes('=')) {
    const parts = rest.split(WHITESPACE);
    if (parts.length < 2) throw new BuildError(`${key} must have two arguments`, 400);
    const m = /^(\S+)[\t\v\f\r ]+(.*)$/s.exec(rest)!;
    return { args: [m[1]!, m[2]!], delimited: [false], json: false };
  }
  const args: string[] = [];
  const delimited: boolean[] = [];
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq < 0) throw new BuildError(`Syntax error - can't find = in "${w}". Must be of the form: name=value`, 400);
    args.push(w.slice(0, eq), w.slice(eq + 1));
    delimited.push(true);
  }
  return { args, delimited, json: false };
}

/**
 * buildkit's parseWords: blank-separated words, quotes and escapes kept in
 * the word (the shell lexer removes them when the word is expanded).
 */
export function parseWords(rest: string, escapeToken: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  let blankOk = false;
  const chars = [...rest];
  for (let p = 0; p < chars.length; p++) {
    let ch = chars[p]!;
    if (!inWord && quote === '') {
      if (/\s/.test(ch)) continue;
      inWord = true;
    }
    if (quote === '') {
      if (/\s/.test(ch)) {
        if (blankOk || word.length > 0) words.push(word);
        word = '';
        blankOk = false;
        inWord = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
      }
      if (ch === escapeToken) {
        if (p + 1 === chars.length) continue;
        word += ch;
        ch = chars[++p]!;
      }
      word += ch;
      continue;
    }
    // In quotes.
    if (ch === quote) quote = '';
    else if (ch === escapeToken && quote !== "'") {
      if (p + 1 === chars.length) {
        quote = '';
        continue;
      }
      word += ch;
      ch = chars[++p]!;
    }
    word += ch;
  }
  if (inWord || quote !== '') if (blankOk || word.length > 0) words.push(word);
  return words;
}

/** buildkit's extractBuilderFlags: leading `--x` / `--x=y` words (quotes and escapes removed). */
function extractFlags(line: string, escapeToken: string): { rest: string; flags: string[] } {
  const flags: string[] = [];
  let pos = 0;
  for (;;) {
    while (pos < line.length && /\s/.test(line[pos]!)) pos++;
    if (pos >= line.length) return { rest: '', flags };
    if (!line.startsWith('--', pos)) return { rest: line.slice(pos), flags };
    let word = '';
    let quote = '';
    let blankOk = false;
    for (; pos < line.length; pos++) {
      let ch = line[pos]!;
      if (quote === '') {
        if (/\s/.test(ch)) break;
        if (ch === "'" || ch === '"') {
          quote = ch;
          blankOk = true;
          continue;
        }
      } else if (ch === quote) {
        quote = '';
        continue;
      }
      if (ch === escapeToken) {
        if (pos + 1 === line.length) continue;
        ch = line[++pos]!;
      }
      word += ch;
    }
    if (word === '--') return { rest: line.slice(pos), flags };
    if (blankOk || word.length > 0) flags.push(word);
  }
}
