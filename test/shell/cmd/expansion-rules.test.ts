// The expansion functions on their own (phases 1, 4, 5; ss64 "How CMD parses", "Variable substring",
// "Variable edit/replace"); fast, no container.
import { describe, expect, it } from 'vitest';
import { ArithError, evaluate } from '../../../src/shell/cmd/arith.js';
import { PathOperatorError, delayedExpand, forSubstitute, percentExpand, substitute, substring, type ExpansionScope } from '../../../src/shell/cmd/expand.js';

const vars: Record<string, string> = { x: 'abcdef', p: 'C:\\a b\\c.txt' };
const scope = (batch: boolean, args: string[] = []): ExpansionScope => ({
  batch,
  get: (n) => vars[n.toLowerCase()],
  arg: (i) => args[i],
  allArgs: () => args.slice(1).join(' '),
  modify: (mods, v) => `<${mods}:${v}>`,
});

describe('expansion rules', () => {
  it('substring: start beyond the end is empty; a negative length drops from the end', () => {
    expect(substring('abcdef', '10')).toBe('');
    expect(substring('abcdef', '2,-1')).toBe('cde');
    expect(substring('abcdef', '-2')).toBe('ef');
    expect(substring('abcdef', '-10,2')).toBe('ab');
    expect(substring('abcdef', '1,0')).toBe('');
  });

  it('substitute: every match, case-insensitively; *x= through the first match', () => {
    expect(substitute('aAbA', 'a=x')).toBe('xxbx');
    expect(substitute('one.two.three', '*.=')).toBe('two.three');
    expect(substitute('abc', 'zz=y')).toBe('abc');
  });

  it('an undefined %VAR:~…% drops %VAR: in a batch file', () => {
    expect(percentExpand('[%nope:~1,2%]', scope(true))).toBe('[~1,2]');
  });

  it('%1 past the arguments is empty; %~1 goes through the modifier', () => {
    expect(percentExpand('[%1][%2][%~1]', scope(true, ['x.cmd', '"a b"']))).toBe('["a b"][][<:a b>]');
  });

  it('%~ without a digit throws the path-operator error', () => {
    expect(() => percentExpand('%~z', scope(true))).toThrow(PathOperatorError);
  });

  it('on the command line %1 and %~1 are not special', () => {
    expect(percentExpand('%1 %~1', scope(false))).toBe('%1 %~1');
  });

  it('the closing % pairs with the nearest one (ss64: "%a %b% c%")', () => {
    vars.b = 'a';
    expect(percentExpand('%a %b% c%', scope(false))).toBe('%a a c%');
    delete vars.b;
  });

  it('FOR substitution: %v, %~nxv, the variable as the last modifier letter', () => {
    const m = new Map([['a', 'C:\\d\\f.txt'], ['n', 'N']]);
    const mod = (mods: string, v: string) => `<${mods}:${v}>`;
    expect(forSubstitute('%a %~nxa %~n %n %b', m, mod)).toBe('C:\\d\\f.txt <nx:C:\\d\\f.txt> <:N> N %b');
  });

  it('delayed expansion: carets escape, lone ! vanishes, undefined kept on the command line', () => {
    const get = (n: string) => vars[n];
    expect(delayedExpand('!x:~1,2! ^! a!b', get, true)).toBe('bc ! ab');
    expect(delayedExpand('!nope!', get, false)).toBe('!nope!');
  });

  it('set /a: precedence, unary chains, division toward zero', () => {
    const env = new Map<string, string>();
    const s = { get: (n: string) => env.get(n), set: (n: string, v: string) => void env.set(n, v) };
    expect(evaluate('2+3*4-6/4', s)).toBe(13);
    expect(evaluate('-(-7)/2', s)).toBe(3);
    expect(evaluate('!!5 + ~~3', s)).toBe(4);
    expect(evaluate('1 << 2 + 1', s)).toBe(8);
    expect(evaluate('a = b = 4', s)).toBe(4);
    expect(env.get('a')).toBe('4');
  });

  it('set /a: nesting past MAX_NESTING is an error, not a stack overflow', () => {
    const s = { get: () => undefined, set: () => {} };
    expect(() => evaluate('('.repeat(4000) + '1' + ')'.repeat(4000), s)).toThrow(ArithError);
    expect(() => evaluate('a='.repeat(4000) + '1', s)).toThrow(ArithError);
    expect(evaluate('('.repeat(100) + '1' + ')'.repeat(100), s)).toBe(1);
  });

  it('set /a: errors carry their message and ERRORLEVEL', () => {
    const s = { get: () => undefined, set: () => {} };
    const err = (e: string) => {
      try {
        evaluate(e, s);
      } catch (x) {
        return x instanceof ArithError ? x.output : 'other';
      }
      return 'none';
    };
    expect(err('1 +')).toBe('Missing operand.\r\n');
    expect(err('(1')).toBe('Unbalanced parenthesis.\r\n');
    expect(err('1 2')).toBe('Missing operator.\r\n');
    expect(err('09')).toMatch(/^Invalid number\./);
    expect(err('5%0')).toBe('Divide by zero error.\r\n');
  });
});
