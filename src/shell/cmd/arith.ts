/**
 * `SET /A` expressions (cmd `set /?`; ss64 "SET /A"): 32-bit signed
 * integers; decimal, hexadecimal (0x11) and octal (021) literals;
 * operators, highest precedence first:
 *   ( )   ! ~ - (unary)   * / %   + -   << >>   &   ^   |
 *   = *= /= %= += -= &= ^= |= <<= >>=   ,
 * Names are environment variables (undefined or non-numeric: 0). Double
 * quotes are ignored. Errors carry cmd's message and the ERRORLEVEL it sets.
 */
import { MSG, SETA_ERRORLEVEL } from './messages.js';

export class ArithError extends Error {
  constructor(
    readonly output: string,
    readonly errorlevel: number,
  ) {
    super(output);
  }
}

const fail = {
  operand: () => new ArithError(MSG.missingOperand, SETA_ERRORLEVEL.missingOperand),
  operator: () => new ArithError(MSG.missingOperator, SETA_ERRORLEVEL.missingOperator),
  paren: () => new ArithError(MSG.unbalancedParen, SETA_ERRORLEVEL.unbalancedParen),
  number: () => new ArithError(MSG.invalidNumber, SETA_ERRORLEVEL.invalidNumber),
  divide: () => new ArithError(MSG.divideByZero, SETA_ERRORLEVEL.divideByZero),
};

type Tok = { t: 'num'; v: number } | { t: 'name'; v: string } | { t: 'op'; v: string };

const OPS = ['<<=', '>>=', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '<<', '>>', '(', ')', '!', '~', '-', '+', '*', '/', '%', '&', '^', '|', '=', ','];
const NAME_STOP = ' \t()!~-+*/%&^|=,<>"';

/**
 * A numeric literal as SET /A reads it: `0x…` hex, `0…` octal, else decimal.
 * DECIDED: a literal beyond 32 bits is "Invalid number" (Vista and later
 * refuse it; XP wrapped).
 */
export function parseNumber(text: string): number {
  let m: RegExpExecArray | null;
  let v: number;
  if ((m = /^0[xX]([0-9a-fA-F]+)$/.exec(text))) v = parseInt(m[1]!, 16);
  else if (/^0[0-7]*$/.test(text)) v = parseInt(text, 8);
  else if (/^[1-9][0-9]*$/.test(text)) v = parseInt(text, 10);
  else throw fail.number();
  if (v > 0xffffffff) throw fail.number();
  return v | 0;
}

/** A variable's value as a number: its leading literal, 0 when it has none. */
function valueOf(s: string | undefined): number {
  if (s === undefined) return 0;
  const m = /^\s*([-+]?)(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(s);
  if (!m) return 0;
  let v: number;
  try {
    v = parseNumber(m[2]!);
  } catch {
    // An octal-looking value with 8 or 9 in it: its valid prefix.
    v = parseInt(m[2]!, 10) | 0;
  }
  return m[1] === '-' ? -v | 0 : v;
}

function tokenize(expr: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === ' ' || c === '\t' || c === '"') {
      i++;
      continue;
    }
    if (c >= '0' && c <= '9') {
      let j = i;
      while (j < expr.length && /[0-9a-zA-Z]/.test(expr[j]!)) j++;
      out.push({ t: 'num', v: parseNumber(expr.slice(i, j)) });
      i = j;
      continue;
    }
    const op = OPS.find((o) => expr.startsWith(o, i));
    if (op) {
      out.push({ t: 'op', v: op });
      i += op.length;
      continue;
    }
    if (c === '<' || c === '>') throw fail.operator();
    let j = i;
    while (j < expr.length && !NAME_STOP.includes(expr[j]!)) j++;
    out.push({ t: 'name', v: expr.slice(i, j) });
    i = j;
  }
  return out;
}

export interface ArithScope {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

/** Nesting depth of parentheses and unary operators SET /A accepts here. */
export const MAX_NESTING = 1000;

const BINARY: Record<string, number> = { '*': 6, '/': 6, '%': 6, '+': 5, '-': 5, '<<': 4, '>>': 4, '&': 3, '^': 2, '|': 1 };

function apply(op: string, a: number, b: number): number {
  switch (op) {
    case '*':
      return Math.imul(a, b);
    case '/':
      if (b === 0) throw fail.divide();
      return (a / b) | 0;
    case '%':
      if (b === 0) throw fail.divide();
      return a % b | 0;
    case '+':
      return (a + b) | 0;
    case '-':
      return (a - b) | 0;
    case '<<':
      return b >= 32 || b < 0 ? 0 : a << b;
    case '>>':
      return b >= 32 || b < 0 ? (a < 0 ? -1 : 0) : a >> b;
    case '&':
      return a & b;
    case '^':
      return a ^ b;
    case '|':
      return a | b;
  }
  throw fail.operator();
}

/** Evaluates `expr`; returns the value of its last comma-separated expression. */
export function evaluate(expr: string, scope: ArithScope): number {
  const toks = tokenize(expr);
  let k = 0;
  const peek = () => toks[k];

  let depth = 0;
  const primary = (): number => {
    const t = toks[k++];
    if (!t) throw fail.operand();
    if (t.t === 'num') return t.v;
    if (t.t === 'name') return valueOf(scope.get(t.v));
    // DECIDED: nesting (parentheses, unary operators) deeper than MAX_NESTING is refused as
    // unbalanced rather than exhausting the stack (Windows documents no limit).
    if (++depth > MAX_NESTING) throw fail.paren();
    try {
      return unary(t.v);
    } finally {
      depth--;
    }
  };

  const unary = (v: string): number => {
    switch (v) {
      case '(': {
        const v = comma();
        const c = toks[k++];
        if (!c || c.t !== 'op' || c.v !== ')') throw fail.paren();
        return v;
      }
      case '!':
        return primary() === 0 ? 1 : 0;
      case '~':
        return ~primary();
      case '-':
        return -primary() | 0;
      case '+':
        return primary();
    }
    if (v === ')') throw fail.paren();
    throw fail.operand();
  };

  const binary = (minPrec: number): number => {
    let left = primary();
    for (;;) {
      const t = peek();
      if (!t) return left;
      if (t.t !== 'op') throw fail.operator();
      const prec = BINARY[t.v];
      if (prec === undefined || prec < minPrec) return left;
      k++;
      const right = binary(prec + 1);
      left = apply(t.v, left, right);
    }
  };

  const assignment = (): number => {
    const t = toks[k];
    const n = toks[k + 1];
    if (t && t.t === 'name' && n && n.t === 'op' && n.v.endsWith('=') && n.v !== '=' + '=') {
      if (n.v === '=' || n.v.length >= 2) {
        k += 2;
        if (++depth > MAX_NESTING) throw fail.operand();
        let rhs: number;
        try {
          rhs = assignment();
        } finally {
          depth--;
        }
        const v = n.v === '=' ? rhs : apply(n.v.slice(0, -1), valueOf(scope.get(t.v)), rhs);
        scope.set(t.v, String(v));
        return v;
      }
    }
    if (t && t.t === 'num' && n && n.t === 'op' && n.v.endsWith('=')) throw fail.operator();
    return binary(1);
  };

  const comma = (): number => {
    let v = assignment();
    while (peek()?.t === 'op' && (peek() as { v: string }).v === ',') {
      k++;
      v = assignment();
    }
    return v;
  };

  if (toks.length === 0) throw fail.operand();
  const v = comma();
  if (k < toks.length) {
    const t = toks[k]!;
    if (t.t === 'op' && t.v === ')') throw fail.paren();
    throw fail.operator();
  }
  return v;
}
