/**
 * Phase 2 of cmd's line parser: special characters, caret escapes, quotes,
 * redirections, `&` `&&` `||` `|`, parenthesised blocks (which may span
 * lines), and the commands parsed here rather than run as text: IF, FOR,
 * REM (ss64 "How CMD parses"; Microsoft Learn "cmd", "if", "for").
 *
 * Rules kept:
 *  - Outside quotes `^` escapes the next character (the caret is removed);
 *    a caret at the end of a line joins the next line, whose first
 *    character is escaped. Inside quotes every character is literal.
 *  - `&`, `&&`, `||`, `|`, `<`, `>` are special outside quotes; `)` ends a
 *    command only inside a block; a line feed ends a command (in a block it
 *    separates commands as `&` does).
 *  - Precedence: `|` binds tightest, then `&&`/`||` (left to right), then `&`.
 *  - IF's and FOR's command extends to the end of the line (`if 1==1 echo a
 *    & echo b` runs both when true); ELSE is recognised only after a
 *    parenthesised THEN block.
 *  - A redirection's handle is a digit just before `<`/`>` that starts a token.
 */
import type { Command, ForKind, IfTest, Redirection } from './ast.js';
import { CMD_LIMITS } from './limits.js';

/** Thrown for phase 2 errors; cmd prints `message` and runs nothing of the line (a batch file stops). */
export class CmdSyntaxError extends Error {
  constructor(readonly output: string) {
    super(output);
  }
}

/** Supplies the next line (already percent-expanded) when a block or caret continuation is open; null at end of input. */
export type MoreLines = () => string | null;

const WS = ' \t';
const DELIMS = ' \t,;=\x0b\x0c\xff';

export function isDelimiter(c: string | undefined): boolean {
  return c !== undefined && DELIMS.includes(c);
}

const SYNTAX = 'The syntax of the command is incorrect.\r\n';
const unexpected = (t: string) => `${t} was unexpected at this time.\r\n`;

class Parser {
  pos = 0;
  depth = 0;

  constructor(
    public src: string,
    private readonly more: MoreLines,
  ) {}

  private peek(k = 0): string | undefined {
    return this.src[this.pos + k];
  }

  /** At the end of the text: true when no more lines may join (a caret continuation or an open block asks for them). */
  private atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  /** Appends the next line to the source when a block needs it; false at end of input. */
  private pull(): boolean {
    const line = this.more();
    if (line === null) return false;
    this.src += '\n' + line;
    return true;
  }

  private skip(chars: string): void {
    while (!this.atEnd() && chars.includes(this.src[this.pos]!)) this.pos++;
  }

  /** Whitespace, and inside a block line feeds too. */
  private skipBlank(newlines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (c === undefined) return;
      if (WS.includes(c) || (newlines && c === '\n')) {
        this.pos++;
        continue;
      }
      return;
    }
  }

  /** sequence := condlist ('&' condlist)* ; in a block, line feeds separate too. */
  parseSequence(): Command | undefined {
    let left = this.parseCondList();
    for (;;) {
      this.skipBlank(false);
      const c = this.peek();
      if (c === '&' && this.peek(1) !== '&') {
        this.pos++;
        this.skipBlank(false);
        if (this.atEnd() || this.peek() === '\n' || (this.peek() === ')' && this.depth > 0)) {
          // `echo a &` at the end of a line: nothing follows (cmd: syntax error for a dangling `&`).
          throw new CmdSyntaxError(unexpected('&'));
        }
        const right = this.parseCondList();
        if (!right) continue;
        left = left ? { kind: 'seq', left, right, quiet: false } : right;
        continue;
      }
      if (c === '\n' && this.depth > 0) {
        this.pos++;
        const right = this.parseCondList();
        if (!right) continue;
        left = left ? { kind: 'seq', left, right, quiet: false } : right;
        continue;
      }
      return left;
    }
  }

  private parseCondList(): Command | undefined {
    let left = this.parsePipeline();
    for (;;) {
      this.skipBlank(false);
      const c = this.peek();
      const d = this.peek(1);
      if ((c === '&' && d === '&') || (c === '|' && d === '|')) {
        const op = c === '&' ? 'and' : 'or';
        this.pos += 2;
        if (!left) throw new CmdSyntaxError(unexpected(c + d));
        const right = this.parsePipeline();
        if (!right) throw new CmdSyntaxError(unexpected(c + d));
        left = { kind: op, left, right, quiet: false };
        continue;
      }
      return left;
    }
  }

  private parsePipeline(): Command | undefined {
    let left = this.parseCommand();
    for (;;) {
      this.skipBlank(false);
      if (this.peek() === '|' && this.peek(1) !== '|') {
        this.pos++;
        if (!left) throw new CmdSyntaxError(unexpected('|'));
        const right = this.parseCommand();
        if (!right) throw new CmdSyntaxError(unexpected('|'));
        left = { kind: 'pipe', left, right, quiet: false };
        continue;
      }
      return left;
    }
  }

  /** One command: a block, IF, FOR, REM, a label, or a simple command. */
  parseCommand(): Command | undefined {
    // Leading delimiters and `@` (echo off for this command).
    let quiet = false;
    for (;;) {
      this.skip(DELIMS);
      if (this.peek() === '@') {
        quiet = true;
        this.pos++;
        continue;
      }
      break;
    }
    const c = this.peek();
    if (c === undefined || c === '\n') return undefined;
    if (c === ')' && this.depth > 0) return undefined;
    if (c === '&' || c === '|') return undefined;
    if (c === '(') return this.parseBlock(quiet);
    if (c === ':') {
      // A label line, or `::` comment: nothing to run (inside a block too).
      this.toLineEnd();
      return { kind: 'label', quiet };
    }
    if (c === ')' && this.depth === 0) {
      // A `)` with no block open starts a command that is ignored with the rest of its line (jeb, SO 4094699).
      this.toLineEnd();
      return { kind: 'rem', text: '', quiet: true };
    }
    const word = this.peekWord();
    const lw = word.toLowerCase();
    const after = this.peek(word.length);
    if (lw === 'rem' && (after === undefined || DELIMS.includes(after) || after === '\n' || after === '/')) {
      this.pos += word.length;
      const start = this.pos;
      this.toLineEnd();
      return { kind: 'rem', text: this.src.slice(start, this.pos), quiet };
    }
    if (lw === 'if' && (after !== undefined && (WS.includes(after) || after === '/'))) {
      this.pos += word.length;
      return this.parseIf(quiet);
    }
    if (lw === 'for' && (after !== undefined && (WS.includes(after) || after === '/'))) {
      this.pos += word.length;
      return this.parseFor(quiet);
    }
    return this.parseSimple(quiet);
  }

  /** The alphabetic word at the cursor (for recognising IF/FOR/REM). */
  private peekWord(): string {
    let j = this.pos;
    while (j < this.src.length && /[A-Za-z]/.test(this.src[j]!)) j++;
    return this.src.slice(this.pos, j);
  }

  private toLineEnd(): void {
    const nl = this.src.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.src.length : nl;
  }

  private parseBlock(quiet: boolean): Command {
    this.pos++; // (
    if (++this.depth > CMD_LIMITS.maxBlockDepth) throw new CmdSyntaxError(SYNTAX);
    let body: Command | undefined;
    for (;;) {
      const part = this.parseSequence();
      if (part) body = body ? { kind: 'seq', left: body, right: part, quiet: false } : part;
      this.skipBlank(true);
      if (this.peek() === ')') {
        this.pos++;
        break;
      }
      if (this.atEnd()) {
        if (!this.pull()) throw new CmdSyntaxError(SYNTAX);
        continue;
      }
      // Something the sequence could not take (a stray operator).
      throw new CmdSyntaxError(unexpected(this.peek()!));
    }
    this.depth--;
    const redirs: Redirection[] = [];
    for (;;) {
      this.skipBlank(false);
      const c = this.peek();
      if (c === '>' || c === '<' || (c !== undefined && /[0-9]/.test(c) && (this.peek(1) === '>' || this.peek(1) === '<'))) {
        let handle = -1;
        if (c >= '0' && c <= '9') {
          handle = c.charCodeAt(0) - 48;
          this.pos++;
        }
        redirs.push(this.parseRedirection(handle));
        continue;
      }
      break;
    }
    return { kind: 'block', body, redirs, quiet };
  }

  /** After the `<` or `>` at the cursor (handle known or -1). */
  private parseRedirection(handle: number): Redirection {
    const c = this.src[this.pos]!;
    this.pos++;
    let op: Redirection['op'] = c === '<' ? '<' : '>';
    if (c === '>' && this.peek() === '>') {
      op = '>>';
      this.pos++;
    }
    if (this.peek() === '&') {
      this.pos++;
      op = c === '<' ? '<&' : '>&';
    }
    this.skip(WS);
    const target = this.readWord(true);
    if (target === '') {
      const n = this.peek();
      throw new CmdSyntaxError(unexpected(n === undefined || n === '\n' ? 'newline' : n));
    }
    if ((op === '>&' || op === '<&') && !/^[0-9]$/.test(target)) throw new CmdSyntaxError(unexpected(target));
    return { handle: handle >= 0 ? handle : op[0] === '<' ? 0 : 1, op, target };
  }

  /**
   * A word: quote-aware, carets processed, ending at whitespace or a special
   * character (`)` too inside a block, or always when `stopParen`).
   */
  private readWord(forRedirect = false, stopAt = ''): string {
    let out = '';
    let quoted = false;
    while (!this.atEnd()) {
      const c = this.src[this.pos]!;
      if (c === '\n') break;
      if (quoted) {
        out += c;
        this.pos++;
        if (c === '"') quoted = false;
        continue;
      }
      if (c === '"') {
        quoted = true;
        out += c;
        this.pos++;
        continue;
      }
      if (c === '^') {
        this.pos++;
        if (this.atEnd() && !this.pull()) break;
        if (this.peek() === '\n') this.pos++;
        if (!this.atEnd()) out += this.src[this.pos++];
        continue;
      }
      if (WS.includes(c) || c === '&' || c === '|' || c === '<' || c === '>' || stopAt.includes(c)) break;
      if (c === ')' && this.depth > 0) break;
      if (!forRedirect && (c === ',' || c === ';' || c === '=')) break;
      out += c;
      this.pos++;
    }
    return out;
  }

  private parseSimple(quiet: boolean): Command | undefined {
    let text = '';
    let quoted = false;
    const redirs: Redirection[] = [];
    while (!this.atEnd()) {
      const c = this.src[this.pos]!;
      if (c === '\n') break;
      if (quoted) {
        text += c;
        this.pos++;
        if (c === '"') quoted = false;
        continue;
      }
      if (c === '"') {
        quoted = true;
        text += c;
        this.pos++;
        continue;
      }
      if (c === '^') {
        this.pos++;
        if (this.atEnd()) {
          // A caret at the end of the line: the next line continues this one, its first character escaped.
          if (!this.pullContinuation()) break;
        }
        if (!this.atEnd()) text += this.src[this.pos++];
        continue;
      }
      if (c === '&' || c === '|') break;
      if (c === ')' && this.depth > 0) break;
      if (c === '<' || c === '>') {
        let handle = -1;
        const prev = text[text.length - 1];
        const prev2 = text[text.length - 2];
        if (prev !== undefined && prev >= '0' && prev <= '9' && (prev2 === undefined || DELIMS.includes(prev2)) && this.src[this.pos - 1] === prev) {
          handle = prev.charCodeAt(0) - 48;
          text = text.slice(0, -1);
        }
        redirs.push(this.parseRedirection(handle));
        continue;
      }
      text += c;
      this.pos++;
    }
    if (text.trim() === '' && redirs.length === 0) return undefined;
    return { kind: 'simple', text, redirs, quiet };
  }

  /** A caret ended the line: the next line joins without its line feed. */
  private pullContinuation(): boolean {
    const line = this.more();
    if (line === null) return false;
    this.src += line;
    return true;
  }

  private parseIf(quiet: boolean): Command {
    this.skip(WS);
    let ignoreCase = false;
    let negate = false;
    for (;;) {
      const w = this.peekToken().toLowerCase();
      if (w === '/i' && !ignoreCase && !negate) {
        ignoreCase = true;
        this.pos += 2;
        this.skip(DELIMS);
        continue;
      }
      if (w === 'not' && !negate) {
        negate = true;
        this.pos += 3;
        this.skip(DELIMS);
        continue;
      }
      break;
    }
    let test: IfTest;
    const first = this.readWord(false, '');
    const lf = first.toLowerCase();
    this.skip(DELIMS.replace('=', ''));
    const special = ['exist', 'defined', 'errorlevel', 'cmdextversion'].includes(lf) && !(this.peek() === '=' && this.peek(1) === '=');
    if (first === '' && this.peek() !== '=') throw new CmdSyntaxError(SYNTAX);
    if (special) {
      this.skip(DELIMS);
      const arg = this.readWord(false);
      if (arg === '') throw new CmdSyntaxError(SYNTAX);
      test =
        lf === 'exist'
          ? { kind: 'exist', path: arg }
          : lf === 'defined'
            ? { kind: 'defined', name: arg }
            : lf === 'errorlevel'
              ? { kind: 'errorlevel', value: arg }
              : { kind: 'cmdextversion', value: arg };
    } else {
      let op: Extract<IfTest, { kind: 'compare' }>['op'];
      this.skip(WS);
      if (this.peek() === '=' && this.peek(1) === '=') {
        op = '==';
        while (this.peek() === '=') this.pos++;
      } else {
        const w = this.readWord(false).toUpperCase();
        if (!['EQU', 'NEQ', 'LSS', 'LEQ', 'GTR', 'GEQ'].includes(w)) {
          throw new CmdSyntaxError(unexpected(w === '' ? (this.peek() ?? first) : w));
        }
        op = w as typeof op;
      }
      this.skip(DELIMS);
      const right = this.readWord(false);
      if (right === '') throw new CmdSyntaxError(SYNTAX);
      test = { kind: 'compare', op, left: first, right };
    }
    this.skip(DELIMS);
    const c = this.peek();
    if (c === undefined || c === '\n' || c === '&' || c === '|' || (c === ')' && this.depth > 0)) throw new CmdSyntaxError(SYNTAX);
    const { body, elseBody } = this.parseBodyWithElse(true);
    return { kind: 'if', ignoreCase, negate, test, then: body, else: elseBody, quiet };
  }

  /** The token at the cursor up to a delimiter (no consumption). */
  private peekToken(): string {
    let j = this.pos;
    while (j < this.src.length && !DELIMS.includes(this.src[j]!) && this.src[j] !== '\n') j++;
    return this.src.slice(this.pos, j);
  }

  /** IF's THEN (and ELSE) or FOR's DO: the rest of the line, with ELSE after a parenthesised first command. */
  private parseBodyWithElse(allowElse: boolean): { body: Command; elseBody: Command | undefined } {
    const first = this.parseCommand();
    if (!first) throw new CmdSyntaxError(SYNTAX);
    let elseBody: Command | undefined;
    if (allowElse && first.kind === 'block') {
      this.skipBlank(false);
      const w = this.peekWord();
      const after = this.peek(w.length);
      if (w.toLowerCase() === 'else' && (after === undefined || DELIMS.includes(after) || after === '(' || after === '\n')) {
        this.pos += 4;
        const e = this.parseRest();
        if (!e) throw new CmdSyntaxError(SYNTAX);
        elseBody = e;
        return { body: first, elseBody };
      }
    }
    const rest = this.parseTail(first);
    return { body: rest, elseBody };
  }

  /** A full sequence from the cursor (used for ELSE's command). */
  private parseRest(): Command | undefined {
    return this.parseSequence();
  }

  /** Continues a sequence whose first command is already parsed (operators after it belong to the body). */
  private parseTail(first: Command): Command {
    // Re-enter the precedence levels with `first` as the leftmost command.
    let left: Command = first;
    // pipes
    for (;;) {
      this.skipBlank(false);
      if (this.peek() === '|' && this.peek(1) !== '|') {
        this.pos++;
        const r = this.parseCommand();
        if (!r) throw new CmdSyntaxError(unexpected('|'));
        left = { kind: 'pipe', left, right: r, quiet: false };
        continue;
      }
      break;
    }
    for (;;) {
      this.skipBlank(false);
      const c = this.peek();
      const d = this.peek(1);
      if ((c === '&' && d === '&') || (c === '|' && d === '|')) {
        this.pos += 2;
        const r = this.parsePipeline();
        if (!r) throw new CmdSyntaxError(unexpected(c + d));
        left = { kind: c === '&' ? 'and' : 'or', left, right: r, quiet: false };
        continue;
      }
      break;
    }
    this.skipBlank(false);
    if (this.peek() === '&') {
      this.pos++;
      const r = this.parseSequence();
      if (r) left = { kind: 'seq', left, right: r, quiet: false };
    }
    return left;
  }

  private parseFor(quiet: boolean): Command {
    this.skip(WS);
    let forKind: ForKind = 'plain';
    let param = '';
    const sw = this.peekToken().toLowerCase();
    if (sw === '/d' || sw === '/r' || sw === '/l' || sw === '/f') {
      forKind = sw[1] as ForKind;
      this.pos += 2;
      this.skip(WS);
      if (forKind === 'r' || forKind === 'f') {
        if (this.peek() !== '%') {
          const w = this.readWord(true);
          param = forKind === 'f' ? unq(w) : w;
          this.skip(WS);
        }
      }
    }
    if (this.peek() !== '%') throw new CmdSyntaxError(unexpected(this.peekToken() || 'newline'));
    this.pos++;
    const variable = this.peek();
    if (variable === undefined || variable === '\n' || WS.includes(variable)) throw new CmdSyntaxError(unexpected('%'));
    this.pos++;
    this.skip(WS);
    const inw = this.readWord();
    if (inw.toLowerCase() !== 'in') throw new CmdSyntaxError(unexpected(inw || 'newline'));
    this.skip(WS);
    if (this.peek() !== '(') throw new CmdSyntaxError(unexpected(this.peekToken() || 'newline'));
    this.pos++;
    // The set: up to the matching `)` outside quotes; it may span lines.
    let set = '';
    let quoted = false;
    let nest = 0;
    for (;;) {
      if (this.atEnd()) {
        if (!this.pull()) throw new CmdSyntaxError(SYNTAX);
        set += ' ';
        this.pos++;
        continue;
      }
      const c = this.src[this.pos]!;
      if (c === '\n') {
        set += ' ';
        this.pos++;
        continue;
      }
      if (!quoted && c === '^' && this.pos + 1 < this.src.length) {
        set += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === '"') quoted = !quoted;
      if (!quoted && c === '(') nest++;
      if (!quoted && c === ')') {
        if (nest === 0) {
          this.pos++;
          break;
        }
        nest--;
      }
      set += c;
      this.pos++;
    }
    this.skip(WS);
    const dow = this.readWord();
    if (dow.toLowerCase() !== 'do') throw new CmdSyntaxError(unexpected(dow || 'newline'));
    this.skip(DELIMS);
    const c = this.peek();
    if (c === undefined || c === '\n' || ((c === ')') && this.depth > 0)) throw new CmdSyntaxError(SYNTAX);
    const { body } = this.parseBodyWithElse(false);
    return { kind: 'for', forKind, param, variable, set, body, quiet };
  }
}

function unq(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s.startsWith('"') ? s.slice(1) : s;
}

/**
 * Parses one logical line: its commands, pulling further lines through
 * `more` while a block is open. Returns undefined for a line with nothing to run.
 */
export function parseLine(line: string, more: MoreLines = () => null): Command | undefined {
  const p = new Parser(line, more);
  const cmd = p.parseSequence();
  const rest = p.src.slice(p.pos).trim();
  if (rest !== '') throw new CmdSyntaxError(unexpected(rest[0]!));
  return cmd;
}

/**
 * The commands of an `&` / line-feed sequence in order, without recursion
 * (a block of many lines is a deep left-leaning tree).
 */
export function flattenSeq(c: Command): Command[] {
  const out: Command[] = [];
  const stack: Command[] = [c];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === 'seq') {
      stack.push(x.right);
      stack.push(x.left);
    } else out.push(x);
  }
  return out;
}

/** Redirections as text: ` 1>file` (for a child cmd.exe's command line). */
export function showRedirs(redirs: readonly Redirection[]): string {
  return redirs.map((r) => ` ${r.handle}${r.op}${r.target}`).join('');
}

/**
 * The command as text. `echo` mode is phase 3's display when ECHO is on,
 * with Windows' spacing (what ReactOS's MSCMD_ECHO_COMMAND_COMPAT mode
 * documents: a space after a command's parameters, each redirection
 * printed as `1>file ` and a block's closing `) `, multi-command blocks
 * one command a line). `pipe` mode is the text handed to a pipe side's
 * cmd.exe: no such spaces, a block's commands joined by `&`.
 */
export function unparse(c: Command, mode: 'echo' | 'pipe' = 'echo'): string {
  const echo = mode === 'echo';
  const redirs = (rs: readonly Redirection[]) => (echo ? rs.map((r) => `${r.handle}${r.op}${r.target} `).join('') : showRedirs(rs));
  switch (c.kind) {
    case 'simple': {
      // A pipe side keeps its trailing spaces (`echo a | more` prints "a "); the echo form trims them.
      const lead = c.text.replace(/^[ \t,;=]+/, '');
      const body = echo ? lead.replace(/[ \t]+$/, '') : lead;
      const m = /^[^ \t,;=/()+[\]\\.:"&|<>]+/.exec(body);
      const hasRest = m ? m[0].length < body.length : false;
      return `${body}${echo && hasRest ? ' ' : ''}${redirs(c.redirs)}`;
    }
    case 'block': {
      const parts = c.body ? flattenSeq(c.body) : [];
      if (!echo) return `(${parts.map((p) => unparse(p, mode)).join('&')})${redirs(c.redirs)}`;
      const multi = parts.length > 1;
      return `(${multi ? '\r\n' : ''}${parts.map((p) => unparse(p, mode)).join(' \r\n ')}${multi ? '\r\n' : ''}) ${redirs(c.redirs)}`;
    }
    case 'rem': {
      // REM is echoed as any command: its parameters, then one space (compat rule above).
      const rest = c.text.replace(/[ \t]+$/, '');
      return `rem${rest}${echo && rest !== '' ? ' ' : ''}`;
    }
    case 'label':
      return '';
    case 'if': {
      const t = c.test;
      const cond =
        t.kind === 'compare'
          ? ` ${t.left} ${t.op} ${t.right} `
          : t.kind === 'exist'
            ? ` exist ${t.path} `
            : t.kind === 'defined'
              ? ` defined ${t.name} `
              : ` ${t.kind} ${t.value} `;
      return `if${c.ignoreCase ? ' /I' : ''}${c.negate ? ' not' : ''}${cond}${unparse(c.then, mode)}${c.else ? ` else ${unparse(c.else, mode)}` : ''}`;
    }
    case 'for':
      return `for${c.forKind !== 'plain' ? ` /${c.forKind.toUpperCase()}` : ''}${c.param ? (c.forKind === 'f' ? ` "${c.param}"` : ` ${c.param}`) : ''} %${c.variable} in (${c.set}) do ${unparse(c.body, mode)}`;
    case 'seq':
      return flattenSeq(c).map((x) => unparse(x, mode)).join(' & ');
    case 'and':
      return `${unparse(c.left, mode)} && ${unparse(c.right, mode)}`;
    case 'or':
      return `${unparse(c.left, mode)} || ${unparse(c.right, mode)}`;
    case 'pipe':
      return `${unparse(c.left, mode)} | ${unparse(c.right, mode)}`;
  }
}
