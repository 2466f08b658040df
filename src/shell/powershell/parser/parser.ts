/**
 * PowerShell's parser: a scannerless recursive descent over the script
 * text, because PowerShell tokenizes differently in its two modes
 * (about_Parsing): in expression mode `-eq` is an operator and `2` a number;
 * in argument mode (a command's arguments) `-eq` is a parameter name and
 * `C:\x.txt` one bare-word string. Which mode applies depends on where the
 * parser is, so the parser reads characters itself rather than a token
 * stream.
 *
 * Every loop consumes input or stops, and nesting is bounded by
 * limits.maxParseDepth: any text ends in a tree or a ParseError.
 */
import { POWERSHELL_LIMITS } from '../limits.js';
import type { CommandAst, CommandElement, Expr, Extent, ParamAst, PipelineElement, Redirection, ScriptBlockAst, Statement, StringPart, SwitchClause } from './ast.js';
import { parseError, ParseError } from './errors.js';

const NAME_CHAR = /[A-Za-z0-9_]/;
const WORD_CHAR = /[A-Za-z0-9_\-]/;
/** Characters that end a bare word in argument mode (about_Parsing). */
const ARG_END = new Set([' ', '\t', '\r', '\n', '|', ';', '(', ')', '{', '}', ',', '', '\u00a0']);

/** The comparison operators (about_Comparison_Operators), without their `i`/`c` prefixes. */
const COMPARISON = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'like', 'notlike', 'match', 'notmatch', 'replace', 'contains', 'notcontains', 'in', 'notin', 'split', 'join', 'is', 'isnot', 'as']);
const CASE_PREFIXABLE = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'like', 'notlike', 'match', 'notmatch', 'replace', 'contains', 'notcontains', 'in', 'notin', 'split']);
const LOGICAL = new Set(['and', 'or', 'xor']);
const BITWISE = new Set(['band', 'bor', 'bxor', 'shl', 'shr']);
/** Scopes and drives a variable name may carry (`$env:PATH`, `$script:x`). */
const VARIABLE_QUALIFIERS = new Set(['env', 'global', 'script', 'local', 'private', 'variable', 'function', 'using']);

export function parseScript(text: string): ScriptBlockAst {
  return new Parser(text).parseScript();
}

class Parser {
  private pos = 0;
  private depth = 0;
  /** Inside method arguments a comma separates arguments rather than building an array. */
  private noComma = false;

  constructor(private readonly src: string) {}

  // ---- characters -----------------------------------------------------------

  private peek(n = 0): string {
    return this.src[this.pos + n] ?? '';
  }

  private ext(start: number): Extent {
    return { start, end: this.pos };
  }

  private enter(): void {
    if (++this.depth > POWERSHELL_LIMITS.maxParseDepth) throw parseError('ScriptTooDeep', this.pos);
  }

  private leave(): void {
    this.depth--;
  }

  /** Spaces, tabs, comments and backtick line continuations; newlines too when `newlines`. */
  private skip(newlines = false): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\u00a0' || c === '\f') this.pos++;
      else if (newlines && (c === '\r' || c === '\n')) this.pos++;
      else if (c === '`' && (this.peek(1) === '\n' || (this.peek(1) === '\r' && this.peek(2) === '\n'))) this.pos += this.peek(1) === '\r' ? 3 : 2;
      else if (c === '<' && this.peek(1) === '#') {
        const end = this.src.indexOf('#>', this.pos + 2);
        this.pos = end < 0 ? this.src.length : end + 2;
      } else if (c === '#') {
        while (this.pos < this.src.length && this.peek() !== '\n' && this.peek() !== '\r') this.pos++;
      } else return;
    }
  }

  private expect(ch: string, id: Parameters<typeof parseError>[0], at = this.pos, arg = ''): void {
    this.skip(true);
    if (this.peek() !== ch) throw parseError(id, at, arg);
    this.pos++;
  }

  /** The keyword or bare word at the cursor (letters, digits, `_`, `-`), lower-cased, without consuming it. */
  private word(): string {
    let i = this.pos;
    while (i < this.src.length && WORD_CHAR.test(this.src[i]!)) i++;
    return this.src.slice(this.pos, i).toLowerCase();
  }

  private keywordAhead(kw: string): boolean {
    if (this.word() !== kw) return false;
    return true;
  }

  private unexpected(): ParseError {
    const c = this.peek();
    if (c === '') return parseError('MissingEndCurlyBrace', this.pos);
    // 5.1 has no pipeline chain operators (they came in PowerShell 7).
    if ((c === '&' || c === '|') && this.peek(1) === c) return parseError('InvalidEndOfLine', this.pos, c + c);
    let i = this.pos + 1;
    if (WORD_CHAR.test(c)) while (i < this.src.length && WORD_CHAR.test(this.src[i]!)) i++;
    return parseError('UnexpectedToken', this.pos, this.src.slice(this.pos, i));
  }

  // ---- script blocks and statement lists ---------------------------------------

  parseScript(): ScriptBlockAst {
    const block = this.parseBlockBody('', 0);
    if (this.pos < this.src.length) throw this.unexpected();
    return block;
  }

  /** A script block's contents up to `close` ('}' or end of text): param(), begin/process/end or plain statements. */
  private parseBlockBody(close: '}' | '', textStart: number): ScriptBlockAst {
    this.enter();
    this.skip(true);
    let params: ParamAst[] = [];
    // [CmdletBinding()] before param(): accepted and ignored.
    while (this.peek() === '[' && /^\[\s*cmdletbinding/i.test(this.src.slice(this.pos, this.pos + 30))) {
      this.skipBracketed();
      this.skip(true);
    }
    if (this.keywordAhead('param') && /^param\s*\(/i.test(this.src.slice(this.pos, this.pos + 40))) {
      this.pos += 5;
      this.skip(true);
      this.pos++; // (
      params = this.parseParamList();
    }
    this.skip(true);
    let begin: Statement[] | undefined;
    let process: Statement[] | undefined;
    let end: Statement[] | undefined;
    const named = () => {
      const w = this.word();
      if (w !== 'begin' && w !== 'process' && w !== 'end') return '';
      const save = this.pos;
      this.pos += w.length;
      this.skip(true);
      if (this.peek() !== '{') {
        this.pos = save;
        return '';
      }
      return w;
    };
    let w = named();
    if (w) {
      while (w) {
        const body = this.parseBraced();
        if (w === 'begin') begin = body;
        else if (w === 'process') process = body;
        else end = body;
        this.skip(true);
        w = named();
      }
    } else {
      end = this.parseStatementList(close);
    }
    this.skip(true);
    if (close === '}') {
      if (this.peek() !== '}') throw this.peek() === '' ? parseError('MissingEndCurlyBrace', textStart) : this.unexpected();
    }
    const text = this.src.slice(textStart, this.pos);
    this.pos += close.length;
    this.leave();
    return { params, begin, process, end: end ?? [], text };
  }

  private skipBracketed(): void {
    let depth = 0;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos++];
      if (c === '[') depth++;
      else if (c === ']' && --depth === 0) return;
    }
    throw parseError('MissingEndSquareBracket', this.pos);
  }

  /** `param(...)` after its `(`: parameters with attributes, types and defaults. */
  private parseParamList(): ParamAst[] {
    const out: ParamAst[] = [];
    for (;;) {
      this.skip(true);
      if (this.peek() === ')') {
        this.pos++;
        return out;
      }
      let type: string | undefined;
      let mandatory = false;
      let position: number | undefined;
      let fromPipeline = false;
      while (this.peek() === '[') {
        const start = this.pos;
        this.skipBracketed();
        const raw = this.src.slice(start + 1, this.pos - 1).trim();
        if (raw.includes('(')) {
          if (/mandatory\s*(=\s*\$true)?\s*[,)]/i.test(raw)) mandatory = true;
          const pm = /position\s*=\s*(\d+)/i.exec(raw);
          if (pm) position = Number(pm[1]);
          if (/valuefrompipeline\s*(=\s*\$true)?\s*[,)]/i.test(raw)) fromPipeline = true;
        } else type = raw;
        this.skip(true);
      }
      if (this.peek() !== '$') throw this.unexpected();
      const v = this.parseVariable();
      if (v.kind !== 'var') throw this.unexpected();
      this.skip(true);
      let def: Expr | undefined;
      if (this.peek() === '=') {
        this.pos++;
        this.skip(true);
        // The comma separates parameters here.
        const save = this.noComma;
        this.noComma = true;
        def = this.parseExpression();
        this.noComma = save;
      }
      out.push({ name: v.name, type, default: def, mandatory, position, fromPipeline });
      this.skip(true);
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== ')') throw this.peek() === '' ? parseError('MissingEndParenthesisInExpression', this.pos) : this.unexpected();
    }
  }

  /** `{ statements }` */
  private parseBraced(after = 'statement'): Statement[] {
    this.skip(true);
    if (this.peek() !== '{') throw parseError('MissingStatementBlock', this.pos, after);
    const open = this.pos;
    this.pos++;
    this.enter();
    const body = this.parseStatementList('}');
    this.skip(true);
    if (this.peek() !== '}') throw this.peek() === '' ? parseError('MissingEndCurlyBrace', open) : this.unexpected();
    this.pos++;
    this.leave();
    return body;
  }

  private parseStatementList(close: '}' | ')' | ''): Statement[] {
    const out: Statement[] = [];
    for (;;) {
      this.skip(true);
      while (this.peek() === ';') {
        this.pos++;
        this.skip(true);
      }
      const c = this.peek();
      if (c === '' || c === close) return out;
      if (c === '}' || c === ')') throw this.unexpected();
      const before = this.pos;
      out.push(this.parseStatement());
      if (this.pos === before) throw this.unexpected();
      this.skip();
      const n = this.peek();
      if (n !== ';' && n !== '\n' && n !== '\r' && n !== '' && n !== close) throw this.unexpected();
    }
  }

  // ---- statements ------------------------------------------------------------

  private parseStatement(): Statement {
    this.skip();
    const start = this.pos;
    let label: string | undefined;
    if (this.peek() === ':' && NAME_CHAR.test(this.peek(1))) {
      this.pos++;
      label = this.word();
      this.pos += label.length;
      this.skip(true);
    }
    const w = this.word();
    const next = this.src[this.pos + w.length] ?? '';
    const isKw = w !== '' && !WORD_CHAR.test(next) && next !== '.' && next !== '\\' && next !== ':';
    if (isKw) {
      switch (w) {
        case 'if':
          return this.parseIf(start);
        case 'while':
          return this.parseWhile(start, label);
        case 'do':
          return this.parseDo(start, label);
        case 'for':
          return this.parseFor(start, label);
        case 'foreach':
          if (/^\s*\(/.test(this.src.slice(this.pos + 7, this.pos + 20))) return this.parseForeach(start, label);
          break;
        case 'switch':
          return this.parseSwitch(start, label);
        case 'function':
        case 'filter':
          return this.parseFunction(start, w === 'filter');
        case 'try':
          return this.parseTry(start);
        case 'throw':
        case 'return':
        case 'exit': {
          this.pos += w.length;
          this.skip();
          const value = this.atStatementEnd() ? undefined : this.parseStatement();
          return { kind: w, value, ext: this.ext(start) };
        }
        case 'break':
        case 'continue': {
          this.pos += w.length;
          this.skip();
          let lab: string | undefined;
          if (!this.atStatementEnd()) {
            lab = this.word();
            if (!lab) throw this.unexpected();
            this.pos += lab.length;
          }
          return { kind: w, label: lab, ext: this.ext(start) };
        }
      }
    }
    return this.parsePipeline();
  }

  private atStatementEnd(): boolean {
    const c = this.peek();
    return c === '' || c === ';' || c === '\n' || c === '\r' || c === '}' || c === ')';
  }

  private parseCondition(kw: string): Statement {
    this.skip(true);
    if (this.peek() !== '(') throw parseError(kw === 'if' ? 'MissingOpenParenthesisInIfStatement' : 'UnexpectedToken', this.pos, kw);
    this.pos++;
    this.skip(true);
    if (this.peek() === ')' || this.peek() === '') throw parseError(kw === 'if' ? 'IfStatementMissingCondition' : 'MissingExpression', this.pos, `${kw} (`);
    const cond = this.parseStatement();
    this.skip(true);
    if (this.peek() !== ')') throw parseError('MissingEndParenthesisAfterStatement', this.pos);
    this.pos++;
    return cond;
  }

  private parseIf(start: number): Statement {
    this.pos += 2;
    const clauses: [Statement, Statement[]][] = [[this.parseCondition('if'), this.parseBraced("if ('condition')")]];
    let elseBody: Statement[] | undefined;
    for (;;) {
      const save = this.pos;
      this.skip(true);
      const w = this.word();
      if (w === 'elseif') {
        this.pos += 6;
        clauses.push([this.parseCondition('if'), this.parseBraced("elseif ('condition')")]);
      } else if (w === 'else') {
        this.pos += 4;
        elseBody = this.parseBraced("'else' in if statement");
        break;
      } else {
        this.pos = save;
        break;
      }
    }
    return { kind: 'if', clauses, else: elseBody, ext: this.ext(start) };
  }

  private parseWhile(start: number, label?: string): Statement {
    this.pos += 5;
    const cond = this.parseCondition('while');
    return { kind: 'while', cond, body: this.parseBraced("while ('condition')"), label, ext: this.ext(start) };
  }

  private parseDo(start: number, label?: string): Statement {
    this.pos += 2;
    const body = this.parseBraced("'do'");
    this.skip(true);
    const w = this.word();
    if (w !== 'while' && w !== 'until') throw parseError('MissingWhileOrUntilInDoWhile', this.pos);
    this.pos += w.length;
    const cond = this.parseCondition(w);
    return { kind: 'do', cond, body, until: w === 'until', label, ext: this.ext(start) };
  }

  private parseFor(start: number, label?: string): Statement {
    this.pos += 3;
    this.skip(true);
    if (this.peek() !== '(') throw this.unexpected();
    this.pos++;
    const part = (end: string): Statement | undefined => {
      this.skip(true);
      if (this.peek() === end) {
        this.pos++;
        return undefined;
      }
      const s = this.parseStatement();
      this.skip(true);
      if (this.peek() === end || (end === ';' && (this.peek() === '\n' || this.peek() === '\r'))) this.pos++;
      else throw this.unexpected();
      return s;
    };
    const init = part(';');
    const cond = part(';');
    const iter = part(')');
    return { kind: 'for', init, cond, iter, body: this.parseBraced("for loop"), label, ext: this.ext(start) };
  }

  private parseForeach(start: number, label?: string): Statement {
    this.pos += 7;
    this.skip(true);
    this.pos++; // (
    this.skip(true);
    if (this.peek() !== '$') throw parseError('MissingVariableNameAfterForeach', this.pos);
    const v = this.parseVariable();
    if (v.kind !== 'var') throw parseError('MissingVariableNameAfterForeach', this.pos);
    this.skip(true);
    if (this.word() !== 'in') throw parseError('MissingInInForeach', this.pos);
    this.pos += 2;
    this.skip(true);
    const source = this.parseStatement();
    this.skip(true);
    if (this.peek() !== ')') throw parseError('MissingEndParenthesisInExpression', this.pos);
    this.pos++;
    return { kind: 'foreach', variable: v.name, source, body: this.parseBraced("foreach ($x in $y)"), label, ext: this.ext(start) };
  }

  private parseSwitch(start: number, label?: string): Statement {
    this.pos += 6;
    const flags = new Set<string>();
    for (;;) {
      this.skip(true);
      if (this.peek() !== '-') break;
      this.pos++;
      const f = this.word();
      this.pos += f.length;
      flags.add(f);
    }
    let value: Statement;
    if (flags.has('file')) {
      this.skip();
      const a = this.parseArgument();
      value = { kind: 'pipeline', elements: [{ kind: 'cmdexpr', expr: a, redirections: [], ext: a.ext }], ext: a.ext };
    } else value = this.parseCondition('switch');
    this.skip(true);
    if (this.peek() !== '{') throw parseError('MissingStatementBlock', this.pos, 'switch');
    const open = this.pos++;
    const clauses: SwitchClause[] = [];
    let def: Statement[] | undefined;
    for (;;) {
      this.skip(true);
      while (this.peek() === ';') {
        this.pos++;
        this.skip(true);
      }
      const c = this.peek();
      if (c === '}') {
        this.pos++;
        break;
      }
      if (c === '') throw parseError('MissingEndCurlyBrace', open);
      let cond: Expr;
      const s = this.pos;
      if (c === '{') {
        cond = { kind: 'scriptblock', block: this.parseScriptBlockLiteral(), ext: this.ext(s) };
      } else if (this.word() === 'default' && !WORD_CHAR.test(this.src[this.pos + 7] ?? '')) {
        this.pos += 7;
        def = this.parseBraced('switch default');
        continue;
      } else if (c === '$' || c === '(' || c === '"' || c === "'" || c === '@' || c === '[' || /[0-9]/.test(c) || c === '-') {
        const save = this.noComma;
        this.noComma = true;
        cond = this.parseUnary();
        this.noComma = save;
      } else {
        const w = this.parseBareword(false);
        cond = w;
      }
      clauses.push({ cond, body: this.parseBraced('switch condition') });
    }
    return { kind: 'switch', value, flags, clauses, default: def, label, ext: this.ext(start) };
  }

  private parseFunction(start: number, filter: boolean): Statement {
    this.pos += filter ? 6 : 8;
    this.skip();
    const ns = this.pos;
    while (this.pos < this.src.length && !/[\s{(]/.test(this.peek())) this.pos++;
    const name = this.src.slice(ns, this.pos);
    if (!name) throw parseError('MissingNameAfterFunctionKeyword', this.pos);
    this.skip(true);
    let params: ParamAst[] = [];
    if (this.peek() === '(') {
      this.pos++;
      params = this.parseParamList();
      this.skip(true);
    }
    if (this.peek() !== '{') throw parseError('MissingFunctionBody', this.pos);
    const block = this.parseScriptBlockLiteral();
    const b: ScriptBlockAst = params.length ? { ...block, params: [...params, ...block.params] } : block;
    return { kind: 'function', name, block: b, filter, ext: this.ext(start) };
  }

  private parseTry(start: number): Statement {
    this.pos += 3;
    const body = this.parseBraced("'try'");
    const catches: { types: string[]; body: Statement[] }[] = [];
    let fin: Statement[] | undefined;
    for (;;) {
      const save = this.pos;
      this.skip(true);
      const w = this.word();
      if (w === 'catch') {
        this.pos += 5;
        const types: string[] = [];
        for (;;) {
          this.skip(true);
          if (this.peek() !== '[') break;
          const s = this.pos;
          this.skipBracketed();
          types.push(this.src.slice(s + 1, this.pos - 1).trim());
          this.skip(true);
          if (this.peek() === ',') this.pos++;
        }
        catches.push({ types, body: this.parseBraced("'catch'") });
      } else if (w === 'finally') {
        this.pos += 7;
        fin = this.parseBraced("'finally'");
        break;
      } else {
        this.pos = save;
        break;
      }
    }
    if (catches.length === 0 && !fin) throw parseError('MissingCatchOrFinally', this.pos);
    return { kind: 'try', body, catches, finally: fin, ext: this.ext(start) };
  }

  // ---- pipelines and commands -----------------------------------------------------

  private parsePipeline(): Statement {
    const start = this.pos;
    const elements: PipelineElement[] = [];
    const first = this.parsePipelineElement();
    this.skip();
    // Assignment: an expression followed by = += -= *= /= %=.
    if (first.kind === 'cmdexpr' && first.redirections.length === 0) {
      const op = this.assignmentOperator();
      if (op) {
        this.pos += op.length;
        this.skip(true);
        if (this.atStatementEnd()) throw parseError('ExpectedValueExpression', this.pos, op);
        const value = this.parseStatement();
        return { kind: 'assign', target: first.expr, op, value, ext: this.ext(start) };
      }
    }
    elements.push(first);
    for (;;) {
      this.skip();
      if (this.peek() !== '|' || this.peek(1) === '|') break;
      this.pos++;
      this.skip(true);
      if (this.atStatementEnd() || this.peek() === '|') throw parseError('EmptyPipeElement', this.pos);
      elements.push(this.parsePipelineElement());
    }
    return { kind: 'pipeline', elements, ext: this.ext(start) };
  }

  private assignmentOperator(): string {
    const c = this.peek();
    if (c === '=' ) return '=';
    if ('+-*/%'.includes(c) && c !== '' && this.peek(1) === '=') return c + '=';
    return '';
  }

  private startsExpression(): boolean {
    const c = this.peek();
    const n = this.peek(1);
    if ('$"\'([{@!+'.includes(c) && c !== '') return !(c === '@' && NAME_CHAR.test(n));
    if (c === '\u201c' || c === '\u2018') return true;
    if (c === '-') return true;
    if (c === '.' && /[0-9]/.test(n)) return true;
    if (/[0-9]/.test(c)) {
      // `7z.exe` is a command; `1..3`, `2 + 2`, `0x10` are expressions.
      let i = this.pos;
      while (i < this.src.length && /[0-9a-fA-FxX.]/.test(this.src[i]!)) i++;
      while (i < this.src.length && /[kKmMgGtTpPbBlLdD]/.test(this.src[i]!)) i++;
      const after = this.src[i] ?? '';
      return !(after === '\\' || after === ':' || /[A-Za-z_]/.test(after));
    }
    return false;
  }

  private parsePipelineElement(): PipelineElement {
    this.skip();
    const start = this.pos;
    const c = this.peek();
    if ((c === '&' && this.peek(1) !== '&') || (c === '.' && /[\s{"'$]/.test(this.peek(1)) && this.peek(1) !== '')) {
      this.pos++;
      this.skip();
      let name: Expr;
      const n = this.peek();
      if (n === '$' || n === '"' || n === "'" || n === '(' || n === '{') {
        const save = this.noComma;
        this.noComma = true;
        name = this.parsePostfix();
        this.noComma = save;
      } else name = this.parseBareword(false);
      return this.parseCommandRest(start, name, c === '&' ? '&' : '.');
    }
    if (this.startsExpression()) {
      const expr = this.parseExpression();
      const redirections = this.parseRedirections();
      return { kind: 'cmdexpr', expr, redirections, ext: this.ext(start) };
    }
    if (c === '' || ARG_END.has(c)) throw this.unexpected();
    const name = this.parseBareword(false);
    return this.parseCommandRest(start, name, '');
  }

  private parseRedirections(): Redirection[] {
    const out: Redirection[] = [];
    for (;;) {
      this.skip();
      const r = this.tryRedirection();
      if (!r) return out;
      out.push(r);
    }
  }

  private tryRedirection(): Redirection | undefined {
    let i = this.pos;
    let stream = 1;
    const c = this.src[i];
    if (c === '*') {
      stream = 0;
      i++;
    } else if (c !== undefined && /[1-6]/.test(c)) {
      stream = Number(c);
      i++;
    }
    if (this.src[i] !== '>') return undefined;
    i++;
    let append = false;
    if (this.src[i] === '>') {
      append = true;
      i++;
    }
    if (this.src[i] === '&' && this.src[i + 1] === '1') {
      this.pos = i + 2;
      return { stream, append, toOutput: true };
    }
    this.pos = i;
    this.skip();
    if (this.atStatementEnd() || this.peek() === '|') throw parseError('MissingExpression', this.pos, '>');
    const target = this.parseArgument();
    return { stream, append, toOutput: false, target };
  }

  private parseCommandRest(start: number, name: Expr, invocation: '' | '&' | '.'): CommandAst {
    const elements: CommandElement[] = [];
    const redirections: Redirection[] = [];
    let verbatim = false;
    for (;;) {
      this.skip();
      const c = this.peek();
      if (c === '' || c === '|' || c === ';' || c === '\n' || c === '\r' || c === ')' || c === '}') break;
      if ((c === '&' && this.peek(1) === '&') || (c === '|' && this.peek(1) === '|')) throw this.unexpected();
      const r = this.tryRedirection();
      if (r) {
        redirections.push(r);
        continue;
      }
      const s = this.pos;
      if (!verbatim && c === '-' && /[A-Za-z_?]/.test(this.peek(1))) {
        this.pos++;
        const ns = this.pos;
        while (this.pos < this.src.length && !ARG_END.has(this.peek()) && this.peek() !== ':') this.pos++;
        const pname = this.src.slice(ns, this.pos);
        let arg: Expr | undefined;
        if (this.peek() === ':') {
          this.pos++;
          arg = this.parseArgumentList();
        }
        elements.push({ kind: 'param', name: pname, arg, ext: this.ext(s) });
        continue;
      }
      if (!verbatim && c === '-' && this.peek(1) === '-' && ARG_END.has(this.peek(2))) {
        this.pos += 2;
        verbatim = true;
        continue;
      }
      if (c === '{' || c === '(' || !ARG_END.has(c)) {
        const value = this.parseArgumentList();
        elements.push({ kind: 'arg', value, ext: this.ext(s) });
        continue;
      }
      if (c === ',') throw parseError('MissingExpression', this.pos, ',');
      throw this.unexpected();
    }
    return { kind: 'command', name, invocation, elements, redirections, ext: this.ext(start) };
  }

  /** One argument, or several joined by commas into an array (`a,b,c`). */
  private parseArgumentList(): Expr {
    const start = this.pos;
    const first = this.parseArgument();
    this.skip();
    if (this.peek() !== ',') return first;
    const items = [first];
    while (this.peek() === ',') {
      this.pos++;
      this.skip(true);
      items.push(this.parseArgument());
      this.skip();
    }
    return { kind: 'array', items, ext: this.ext(start) };
  }

  /** An argument in argument mode (about_Parsing). */
  private parseArgument(): Expr {
    const start = this.pos;
    const c = this.peek();
    let head: Expr | undefined;
    if (c === '$' || c === '"' || c === "'" || c === '(' || c === '{' || (c === '@' && '({"\''.includes(this.peek(1)) && this.peek(1) !== '') || c === '\u201c' || c === '\u2018') {
      const save = this.noComma;
      this.noComma = true;
      head = this.parsePostfix();
      this.noComma = save;
      if (ARG_END.has(this.peek()) || this.peek() === '>' ) return head;
      // `$env:windir\system32`: an expression glued to more text is one expandable word.
      const rest = this.parseBareword(true);
      const parts: StringPart[] = [head];
      if (rest.kind === 'string') parts.push(...rest.parts);
      else if (rest.kind === 'const') parts.push(String(rest.value));
      return { kind: 'string', parts, ext: this.ext(start) };
    }
    if (c === '@' && NAME_CHAR.test(this.peek(1))) {
      this.pos++;
      const ns = this.pos;
      while (NAME_CHAR.test(this.peek())) this.pos++;
      return { kind: 'var', name: this.src.slice(ns, this.pos), splat: true, ext: this.ext(start) };
    }
    const w = this.parseBareword(true);
    if (w.kind === 'const' && typeof w.value === 'string') {
      const n = numberLiteral(w.value);
      if (n !== undefined) return { kind: 'const', value: n, ext: w.ext };
    }
    return w;
  }

  /**
   * A bare word: the command name or an argument. `$var` and `$(...)`
   * inside it expand (an expandable word); backtick escapes apply; quotes
   * embedded in it join their contents.
   */
  private parseBareword(arg: boolean): Expr {
    const start = this.pos;
    const parts: StringPart[] = [];
    let lit = '';
    let expandable = false;
    while (this.pos < this.src.length) {
      const c = this.peek();
      if (ARG_END.has(c)) break;
      if (arg && c === '>' ) break;
      if (c === '`') {
        const n = this.peek(1);
        if (n === '') {
          this.pos++;
          break;
        }
        lit += escapeChar(n);
        this.pos += 2;
        continue;
      }
      if (c === '$' && (NAME_CHAR.test(this.peek(1)) || '{(?_$^'.includes(this.peek(1))) && this.peek(1) !== '') {
        if (lit) parts.push(lit);
        lit = '';
        parts.push(this.parseVariable());
        expandable = true;
        continue;
      }
      if ((c === '"' || c === "'") && arg) {
        if (lit) parts.push(lit);
        lit = '';
        const s = this.parsePrimary();
        parts.push(s);
        expandable = true;
        continue;
      }
      lit += c;
      this.pos++;
    }
    if (lit) parts.push(lit);
    if (!expandable) return { kind: 'const', value: parts.join(''), ext: this.ext(start) };
    return { kind: 'string', parts, ext: this.ext(start) };
  }

  // ---- expressions ------------------------------------------------------------------

  parseExpression(): Expr {
    this.enter();
    const e = this.parseLogical();
    this.leave();
    return e;
  }

  /** A `-name` operator at the cursor (after spaces), lower-cased without its dash, or ''. */
  private dashOperator(): string {
    if (this.peek() !== '-') return '';
    let i = this.pos + 1;
    while (i < this.src.length && /[A-Za-z]/.test(this.src[i]!)) i++;
    const op = this.src.slice(this.pos + 1, i).toLowerCase();
    if (NAME_CHAR.test(this.src[i] ?? '')) return '';
    return op;
  }

  private binary(start: number, op: string, left: Expr, right: Expr): Expr {
    return { kind: 'binary', op, left, right, ext: this.ext(start) };
  }

  private operand(op: string, parse: () => Expr): Expr {
    this.skip(true);
    if (this.atStatementEnd() || this.peek() === '|') throw parseError('ExpectedValueExpression', this.pos, op);
    return parse();
  }

  private parseLogical(): Expr {
    const start = this.pos;
    let left = this.parseComparison();
    for (;;) {
      this.skip();
      const op = this.dashOperator();
      if (!LOGICAL.has(op)) return left;
      this.pos += op.length + 1;
      left = this.binary(start, op, left, this.operand('-' + op, () => this.parseComparison()));
    }
  }

  private parseComparison(): Expr {
    const start = this.pos;
    let left = this.parseBitwise();
    for (;;) {
      this.skip();
      const raw = this.dashOperator();
      let op = raw;
      if ((raw[0] === 'i' || raw[0] === 'c') && CASE_PREFIXABLE.has(raw.slice(1))) op = raw;
      else if (!COMPARISON.has(raw)) return left;
      this.pos += raw.length + 1;
      left = this.binary(start, op, left, this.operand('-' + raw, () => this.parseBitwise()));
    }
  }

  private parseBitwise(): Expr {
    const start = this.pos;
    let left = this.parseAdditive();
    for (;;) {
      this.skip();
      const op = this.dashOperator();
      if (!BITWISE.has(op)) return left;
      this.pos += op.length + 1;
      left = this.binary(start, op, left, this.operand('-' + op, () => this.parseAdditive()));
    }
  }

  private parseAdditive(): Expr {
    const start = this.pos;
    let left = this.parseMultiplicative();
    for (;;) {
      this.skip();
      const c = this.peek();
      if ((c !== '+' && c !== '-') || this.peek(1) === '=' || this.peek(1) === c) return left;
      if (c === '-' && /[A-Za-z]/.test(this.peek(1))) return left;
      this.pos++;
      left = this.binary(start, c, left, this.operand(c, () => this.parseMultiplicative()));
    }
  }

  private parseMultiplicative(): Expr {
    const start = this.pos;
    let left = this.parseFormat();
    for (;;) {
      this.skip();
      const c = this.peek();
      if ((c !== '*' && c !== '/' && c !== '%') || this.peek(1) === '=') return left;
      if (c === '*' && this.peek(1) === '>') return left;
      this.pos++;
      left = this.binary(start, c, left, this.operand(c, () => this.parseFormat()));
    }
  }

  private parseFormat(): Expr {
    const start = this.pos;
    let left = this.parseRange();
    for (;;) {
      this.skip();
      if (this.dashOperator() !== 'f') return left;
      this.pos += 2;
      left = this.binary(start, 'f', left, this.operand('-f', () => this.parseRange()));
    }
  }

  private parseRange(): Expr {
    const start = this.pos;
    const left = this.parseUnary();
    this.skip();
    if (this.peek() === '.' && this.peek(1) === '.') {
      this.pos += 2;
      return this.binary(start, '..', left, this.operand('..', () => this.parseUnary()));
    }
    return left;
  }

  private parseUnary(): Expr {
    const start = this.pos;
    this.skip();
    const c = this.peek();
    if (c === '!') {
      this.pos++;
      return { kind: 'unary', op: '!', operand: this.operand('!', () => this.parseUnary()), ext: this.ext(start) };
    }
    if (c === '-' && /[0-9.]/.test(this.peek(1))) {
      // A negative number literal, not unary minus (so `-1,2` is two numbers).
      const n = this.tryNumber();
      if (n) return n;
    }
    if (c === '-' && this.peek(1) === '-' && this.peek(2) === '$') {
      this.pos += 2;
      return { kind: 'unary', op: '--', operand: this.parseUnary(), ext: this.ext(start) };
    }
    if (c === '+' && this.peek(1) === '+' && this.peek(2) === '$') {
      this.pos += 2;
      return { kind: 'unary', op: '++', operand: this.parseUnary(), ext: this.ext(start) };
    }
    if (c === '-' || c === '+') {
      const op = c === '-' ? this.dashOperator() : '';
      if (op === 'not' || op === 'bnot' || op === 'split' || op === 'join') {
        this.pos += op.length + 1;
        return { kind: 'unary', op, operand: this.operand('-' + op, () => this.parseUnary()), ext: this.ext(start) };
      }
      if (op) throw parseError('UnexpectedToken', this.pos, '-' + op);
      this.pos++;
      return { kind: 'unary', op: c, operand: this.operand(c, () => this.parseUnary()), ext: this.ext(start) };
    }
    if (c === '[') {
      const t = this.tryTypeLiteral();
      if (t) {
        if (this.peek() === ':' && this.peek(1) === ':') return this.parsePostfixFrom(start, { kind: 'type', type: t, ext: this.ext(start) });
        if (this.peek() === '.' || this.peek() === '[') return this.parsePostfixFrom(start, { kind: 'type', type: t, ext: this.ext(start) });
        const save = this.pos;
        this.skip();
        const n = this.peek();
        if (n !== '' && ('$([\'"@{'.includes(n) || /[0-9]/.test(n) || (n === '-' && /[0-9.]/.test(this.peek(1))) || n === '+' || n === '!' || (n === '-' && /^(not|bnot|split|join)\b/i.test(this.src.slice(this.pos + 1, this.pos + 7))))) {
          const operand = this.parseUnaryNoComma();
          return this.continueComma(start, { kind: 'cast', type: t, operand, ext: this.ext(start) });
        }
        this.pos = save;
        return { kind: 'type', type: t, ext: this.ext(start) };
      }
    }
    return this.parseComma();
  }

  /** `[int]"1","2"`: a cast binds tighter than the comma that follows it. */
  private continueComma(start: number, first: Expr): Expr {
    if (this.noComma) return first;
    const save = this.pos;
    this.skip();
    if (this.peek() !== ',') {
      this.pos = save;
      return first;
    }
    const items = [first];
    while (this.peek() === ',') {
      this.pos++;
      this.skip(true);
      if (this.atStatementEnd()) throw parseError('MissingExpression', this.pos, ',');
      items.push(this.peek() === '[' ? this.parseUnaryNoComma() : this.parsePostfix());
      this.skip();
    }
    return { kind: 'array', items, ext: this.ext(start) };
  }

  private parseUnaryNoComma(): Expr {
    const save = this.noComma;
    this.noComma = true;
    const e = this.parseUnary();
    this.noComma = save;
    return e;
  }

  private tryTypeLiteral(): string | undefined {
    const m = /^\[\s*([A-Za-z_][\w.`]*(?:\[[\w.,\s\[\]]*\])?)\s*\]/.exec(this.src.slice(this.pos, this.pos + 200));
    if (!m) {
      if (this.peek(1) === ']' || this.peek(1) === '') throw parseError('MissingTypename', this.pos + 1);
      return undefined;
    }
    this.pos += m[0].length;
    return m[1]!;
  }

  private parseComma(): Expr {
    const start = this.pos;
    const first = this.parsePostfix();
    if (this.noComma) return first;
    this.skip();
    if (this.peek() !== ',') return first;
    const items = [first];
    while (this.peek() === ',') {
      this.pos++;
      this.skip(true);
      if (this.atStatementEnd()) throw parseError('MissingExpression', this.pos, ',');
      items.push(this.parsePostfix());
      this.skip();
    }
    return { kind: 'array', items, ext: this.ext(start) };
  }

  private parsePostfix(): Expr {
    const start = this.pos;
    if (this.peek() === ',' ) {
      // Unary comma: a one-element array.
      this.pos++;
      this.skip();
      const operand = this.parsePostfix();
      return { kind: 'array', items: [operand], ext: this.ext(start) };
    }
    return this.parsePostfixFrom(start, this.parsePrimary());
  }

  private parsePostfixFrom(start: number, target: Expr): Expr {
    for (;;) {
      const c = this.peek();
      if (c === '.' && this.peek(1) !== '.' || (c === ':' && this.peek(1) === ':')) {
        const isStatic = c === ':';
        const save = this.pos;
        this.pos += isStatic ? 2 : 1;
        const n = this.peek();
        let name: Expr;
        if (NAME_CHAR.test(n)) {
          const ns = this.pos;
          while (NAME_CHAR.test(this.peek())) this.pos++;
          name = { kind: 'const', value: this.src.slice(ns, this.pos), ext: this.ext(ns) };
        } else if (n === '$' || n === '"' || n === "'" || n === '(') {
          name = this.parsePrimary();
        } else {
          if (isStatic || /[0-9]/.test(n)) {
            this.pos = save;
            return target;
          }
          throw parseError('MissingPropertyName', this.pos);
        }
        if (this.peek() === '(') {
          this.pos++;
          const args: Expr[] = [];
          const save2 = this.noComma;
          this.noComma = true;
          this.skip(true);
          if (this.peek() !== ')') {
            for (;;) {
              this.skip(true);
              args.push(this.parseExpression());
              this.skip(true);
              if (this.peek() === ',') {
                this.pos++;
                continue;
              }
              break;
            }
          }
          this.noComma = save2;
          if (this.peek() !== ')') throw parseError('MissingEndParenthesisInExpression', this.pos);
          this.pos++;
          target = { kind: 'invoke', target, name, isStatic, args, ext: this.ext(start) };
        } else target = { kind: 'member', target, name, isStatic, ext: this.ext(start) };
        continue;
      }
      if (c === '[') {
        this.pos++;
        const save = this.noComma;
        this.noComma = false;
        this.skip(true);
        const index = this.parseExpression();
        this.noComma = save;
        this.skip(true);
        if (this.peek() !== ']') throw parseError('MissingEndSquareBracket', this.pos);
        this.pos++;
        target = { kind: 'index', target, index, ext: this.ext(start) };
        continue;
      }
      if ((c === '+' || c === '-') && this.peek(1) === c && (target.kind === 'var' || target.kind === 'member' || target.kind === 'index')) {
        this.pos += 2;
        return { kind: 'postfix', op: c === '+' ? '++' : '--', operand: target, ext: this.ext(start) };
      }
      return target;
    }
  }

  private tryNumber(): Expr | undefined {
    const start = this.pos;
    const m = /^-?(0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)([lLdD])?(kb|mb|gb|tb|pb)?/i.exec(this.src.slice(this.pos, this.pos + 100));
    if (!m) return undefined;
    let text = m[0];
    // `1..5`: the first dot belongs to the range operator.
    if (/^-?[0-9]+\.$/.test(text) && this.src[this.pos + text.length] === '.') text = text.slice(0, -1);
    else if (/^-?[0-9]+\.\./.test(this.src.slice(this.pos, this.pos + 40)) && text.includes('.')) text = text.slice(0, text.indexOf('.'));
    const after = this.src[this.pos + text.length] ?? '';
    if (NAME_CHAR.test(after)) return undefined;
    const value = numberLiteral(text);
    if (value === undefined) return undefined;
    this.pos += text.length;
    return { kind: 'const', value, ext: this.ext(start) };
  }

  private parsePrimary(): Expr {
    this.enter();
    try {
      return this.primary();
    } finally {
      this.leave();
    }
  }

  private primary(): Expr {
    const start = this.pos;
    const c = this.peek();
    switch (c) {
      case '$':
        return this.parseVariable();
      case "'":
      case '\u2018':
        return this.parseSingleQuoted();
      case '"':
      case '\u201c':
        return this.parseDoubleQuoted();
      case '(': {
        this.pos++;
        const save = this.noComma;
        this.noComma = false;
        this.skip(true);
        if (this.peek() === ')') throw parseError('ExpectedValueExpression', this.pos, '(');
        const pipeline = this.parseStatement();
        this.skip(true);
        this.noComma = save;
        if (this.peek() !== ')') throw parseError('MissingEndParenthesisInExpression', this.pos);
        this.pos++;
        return { kind: 'paren', pipeline, ext: this.ext(start) };
      }
      case '{':
        return { kind: 'scriptblock', block: this.parseScriptBlockLiteral(), ext: this.ext(start) };
      case '@': {
        const n = this.peek(1);
        if (n === '(') {
          this.pos += 2;
          const save = this.noComma;
          this.noComma = false;
          const body = this.parseStatementList(')');
          this.noComma = save;
          if (this.peek() !== ')') throw parseError('MissingEndParenthesisInExpression', this.pos);
          this.pos++;
          return { kind: 'subexpr', body, array: true, ext: this.ext(start) };
        }
        if (n === '{') return this.parseHashtable();
        if (n === '"' || n === "'") return this.parseHereString();
        throw this.unexpected();
      }
      case '[': {
        const t = this.tryTypeLiteral();
        if (t) return { kind: 'type', type: t, ext: this.ext(start) };
        throw this.unexpected();
      }
    }
    if (/[0-9.]/.test(c) && c !== '') {
      const n = this.tryNumber();
      if (n) return n;
    }
    if (c === '') throw parseError('ExpectedValueExpression', this.pos, this.src.slice(Math.max(0, this.pos - 1), this.pos));
    throw this.unexpected();
  }

  private parseScriptBlockLiteral(): ScriptBlockAst {
    const open = this.pos;
    this.pos++; // {
    return this.parseBlockBody('}', open + 1);
  }

  private parseHashtable(): Expr {
    const start = this.pos;
    this.pos += 2;
    const entries: [Expr, Statement][] = [];
    for (;;) {
      this.skip(true);
      while (this.peek() === ';') {
        this.pos++;
        this.skip(true);
      }
      const c = this.peek();
      if (c === '}') {
        this.pos++;
        return { kind: 'hashtable', entries, ext: this.ext(start) };
      }
      if (c === '') throw parseError('MissingEndCurlyBraceInHashLiteral', start);
      let key: Expr;
      const ks = this.pos;
      if (NAME_CHAR.test(c) || c === '-') {
        while (this.pos < this.src.length && /[\w\-.]/.test(this.peek())) this.pos++;
        const text = this.src.slice(ks, this.pos);
        const n = numberLiteral(text);
        key = { kind: 'const', value: n ?? text, ext: this.ext(ks) };
      } else {
        const save = this.noComma;
        this.noComma = true;
        key = this.parseUnary();
        this.noComma = save;
      }
      this.skip();
      if (this.peek() !== '=') throw parseError('MissingEqualsInHashLiteral', this.pos);
      this.pos++;
      this.skip(true);
      const value = this.parseStatement();
      entries.push([key, value]);
      this.skip();
      const n = this.peek();
      if (n !== ';' && n !== '\n' && n !== '\r' && n !== '}') throw n === '' ? parseError('MissingEndCurlyBraceInHashLiteral', start) : this.unexpected();
    }
  }

  /** `$name`, `${any name}`, `$env:X`, `$_`, `$?`, `$$`, `$^`, `$(…)`. */
  private parseVariable(): Expr {
    const start = this.pos;
    this.pos++; // $
    const c = this.peek();
    if (c === '(') {
      this.pos++;
      const save = this.noComma;
      this.noComma = false;
      this.enter();
      const body = this.parseStatementList(')');
      this.leave();
      this.noComma = save;
      if (this.peek() !== ')') throw parseError('MissingEndParenthesisInExpression', this.pos);
      this.pos++;
      return { kind: 'subexpr', body, array: false, ext: this.ext(start) };
    }
    if (c === '{') {
      const end = this.src.indexOf('}', this.pos);
      if (end < 0) throw parseError('MissingEndCurlyBrace', this.pos);
      const name = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
      return { kind: 'var', name, ext: this.ext(start) };
    }
    if (c === '?' || c === '$' || c === '^') {
      this.pos++;
      return { kind: 'var', name: c, ext: this.ext(start) };
    }
    if (!NAME_CHAR.test(c)) throw parseError('InvalidVariableReference', start);
    const ns = this.pos;
    while (NAME_CHAR.test(this.peek())) this.pos++;
    let name = this.src.slice(ns, this.pos);
    if (this.peek() === ':' && this.peek(1) !== ':' && VARIABLE_QUALIFIERS.has(name.toLowerCase()) && /[\w{]/.test(this.peek(1))) {
      this.pos++;
      if (this.peek() === '{') {
        const end = this.src.indexOf('}', this.pos);
        if (end < 0) throw parseError('MissingEndCurlyBrace', this.pos);
        name += ':' + this.src.slice(this.pos + 1, end);
        this.pos = end + 1;
      } else {
        const s2 = this.pos;
        while (/[\w]/.test(this.peek()) || (this.peek() === '(' && false)) this.pos++;
        // Environment names may hold parentheses: ${env:ProgramFiles(x86)} only in braces.
        name += ':' + this.src.slice(s2, this.pos);
      }
    }
    return { kind: 'var', name, ext: this.ext(start) };
  }

  private parseSingleQuoted(): Expr {
    const start = this.pos;
    this.pos++;
    let s = '';
    for (;;) {
      const c = this.peek();
      if (c === '') throw parseError('TerminatorExpectedAtEndOfString', start, "'");
      this.pos++;
      if (c === "'" || c === '\u2019' || c === '\u2018') {
        if (this.peek() === "'" || this.peek() === '\u2019') {
          s += "'";
          this.pos++;
          continue;
        }
        break;
      }
      s += c;
    }
    return { kind: 'const', value: s, ext: this.ext(start) };
  }

  private parseDoubleQuoted(): Expr {
    const start = this.pos;
    this.pos++;
    const parts: StringPart[] = [];
    let lit = '';
    for (;;) {
      const c = this.peek();
      if (c === '') throw parseError('TerminatorExpectedAtEndOfString', start, '"');
      if (c === '"' || c === '\u201d' || c === '\u201c') {
        this.pos++;
        if (this.peek() === '"') {
          lit += '"';
          this.pos++;
          continue;
        }
        break;
      }
      if (c === '`') {
        const n = this.peek(1);
        if (n === '') throw parseError('TerminatorExpectedAtEndOfString', start, '"');
        lit += escapeChar(n);
        this.pos += 2;
        continue;
      }
      if (c === '$' && this.expandableAt()) {
        if (lit) parts.push(lit);
        lit = '';
        parts.push(this.parseVariable());
        continue;
      }
      lit += c;
      this.pos++;
    }
    if (lit || parts.length === 0) parts.push(lit);
    if (parts.every((p) => typeof p === 'string')) return { kind: 'const', value: parts.join(''), ext: this.ext(start) };
    return { kind: 'string', parts, ext: this.ext(start) };
  }

  /** A `$` inside an expandable string starts a variable only before a name, `{`, `(` or a special variable. */
  private expandableAt(): boolean {
    const n = this.peek(1);
    return n !== '' && (NAME_CHAR.test(n) || n === '{' || n === '(' || n === '?' || n === '$' || n === '^');
  }

  private parseHereString(): Expr {
    const start = this.pos;
    const q = this.peek(1);
    this.pos += 2;
    // The opening quote must end its line.
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
    if (this.peek() === '\r') this.pos++;
    if (this.peek() !== '\n') throw parseError('TerminatorExpectedAtEndOfString', start, q + '@');
    this.pos++;
    const close = new RegExp(`(?:\\r?\\n)${q === '"' ? '"' : "'"}@`, 'g');
    close.lastIndex = this.pos - 1;
    // The body may be empty: the closing line right after the opening one.
    let endBody: number;
    let endAll: number;
    if (this.src.startsWith(q + '@', this.pos)) {
      endBody = this.pos;
      endAll = this.pos + 2;
    } else {
      close.lastIndex = this.pos;
      const m = close.exec(this.src);
      if (!m) throw parseError('TerminatorExpectedAtEndOfString', start, q + '@');
      endBody = m.index;
      endAll = m.index + m[0].length;
    }
    const body = this.src.slice(this.pos, endBody).replace(/\r\n/g, '\n');
    if (q === "'") {
      this.pos = endAll;
      return { kind: 'const', value: body, ext: this.ext(start) };
    }
    // Expand the body as a double-quoted string whose quotes are plain characters.
    const inner = new Parser(body);
    const parts: StringPart[] = [];
    let lit = '';
    while (inner.pos < body.length) {
      const c = inner.peek();
      if (c === '`' && inner.peek(1) !== '') {
        lit += escapeChar(inner.peek(1));
        inner.pos += 2;
      } else if (c === '$' && inner.expandableAt()) {
        if (lit) parts.push(lit);
        lit = '';
        parts.push(shiftExtents(inner.parseVariable(), this.pos));
      } else {
        lit += c;
        inner.pos++;
      }
    }
    if (lit || parts.length === 0) parts.push(lit);
    this.pos = endAll;
    return { kind: 'string', parts, ext: this.ext(start) };
  }
}

function shiftExtents(e: Expr, _by: number): Expr {
  // DECIDED: expressions inside here-strings keep offsets relative to the here-string body; errors in them point at its start.
  return e;
}

/** A backtick escape (about_Special_Characters): 5.1 knows `0 `a `b `f `n `r `t `v; any other character stands for itself. */
export function escapeChar(c: string): string {
  switch (c) {
    case '0':
      return '\0';
    case 'a':
      return '\x07';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'v':
      return '\v';
    case '\n':
      return '';
    default:
      return c;
  }
}

/** A numeric literal (about_Numeric_Literals): decimal, hex, exponent, `l`/`d` suffix and kb…pb multipliers; undefined if `text` is not one. */
export function numberLiteral(text: string): number | undefined {
  const m = /^([+-]?)(0x[0-9a-f]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?)([ld])?(kb|mb|gb|tb|pb)?$/i.exec(text);
  if (!m) return undefined;
  let v = m[2]!.toLowerCase().startsWith('0x') ? parseInt(m[2]!.slice(2), 16) : Number(m[2]);
  if (!Number.isFinite(v)) return undefined;
  const mult = m[4]?.toLowerCase();
  if (mult) v *= { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 }[mult as 'kb']!;
  return m[1] === '-' ? -v : v;
}
