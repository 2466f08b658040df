/**
 * The syntax tree of a PowerShell script (the subset of
 * System.Management.Automation.Language's Ast classes winsilo runs). Every
 * node carries its extent (offsets into the script text) so errors can
 * print PowerShell's `At line:L char:C` position and the `+ ~~~` marker.
 */

export interface Extent {
  readonly start: number;
  readonly end: number;
}

// ---- expressions ----------------------------------------------------------------

export type Expr =
  | { kind: 'const'; value: unknown; ext: Extent }
  | { kind: 'string'; parts: StringPart[]; ext: Extent }
  | { kind: 'var'; name: string; splat?: boolean; ext: Extent }
  | { kind: 'array'; items: Expr[]; ext: Extent }
  | { kind: 'subexpr'; body: Statement[]; array: boolean; ext: Extent }
  | { kind: 'paren'; pipeline: Statement; ext: Extent }
  | { kind: 'hashtable'; entries: [Expr, Statement][]; ext: Extent }
  | { kind: 'scriptblock'; block: ScriptBlockAst; ext: Extent }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; ext: Extent }
  | { kind: 'unary'; op: string; operand: Expr; ext: Extent }
  | { kind: 'postfix'; op: '++' | '--'; operand: Expr; ext: Extent }
  | { kind: 'cast'; type: string; operand: Expr; ext: Extent }
  | { kind: 'type'; type: string; ext: Extent }
  | { kind: 'member'; target: Expr; name: Expr; isStatic: boolean; ext: Extent }
  | { kind: 'invoke'; target: Expr; name: Expr; isStatic: boolean; args: Expr[]; ext: Extent }
  | { kind: 'index'; target: Expr; index: Expr; ext: Extent };

export type StringPart = string | Expr;

// ---- commands and pipelines --------------------------------------------------------

export type CommandElement =
  | { kind: 'param'; name: string; arg?: Expr; ext: Extent }
  | { kind: 'arg'; value: Expr; ext: Extent };

export interface Redirection {
  /** 1 output, 2 error, 0 = all streams (`*>`). */
  readonly stream: number;
  readonly append: boolean;
  /** `2>&1`: merged into output. */
  readonly toOutput: boolean;
  readonly target?: Expr;
}

export interface CommandAst {
  kind: 'command';
  /** The command name as written (bare word) or an expression after `&`/`.`. */
  name: Expr;
  invocation: '' | '&' | '.';
  elements: CommandElement[];
  redirections: Redirection[];
  ext: Extent;
}

export interface CommandExprAst {
  kind: 'cmdexpr';
  expr: Expr;
  redirections: Redirection[];
  ext: Extent;
}

export type PipelineElement = CommandAst | CommandExprAst;

// ---- statements ----------------------------------------------------------------

export type Statement =
  | { kind: 'pipeline'; elements: PipelineElement[]; ext: Extent }
  | { kind: 'assign'; target: Expr; op: string; value: Statement; ext: Extent }
  | { kind: 'if'; clauses: [Statement, Statement[]][]; else?: Statement[]; ext: Extent }
  | { kind: 'while'; cond: Statement; body: Statement[]; label?: string; ext: Extent }
  | { kind: 'do'; cond: Statement; body: Statement[]; until: boolean; label?: string; ext: Extent }
  | { kind: 'for'; init?: Statement; cond?: Statement; iter?: Statement; body: Statement[]; label?: string; ext: Extent }
  | { kind: 'foreach'; variable: string; source: Statement; body: Statement[]; label?: string; ext: Extent }
  | { kind: 'switch'; value: Statement; flags: Set<string>; clauses: SwitchClause[]; default?: Statement[]; label?: string; ext: Extent }
  | { kind: 'function'; name: string; block: ScriptBlockAst; filter: boolean; ext: Extent }
  | { kind: 'try'; body: Statement[]; catches: { types: string[]; body: Statement[] }[]; finally?: Statement[]; ext: Extent }
  | { kind: 'throw'; value?: Statement; ext: Extent }
  | { kind: 'return'; value?: Statement; ext: Extent }
  | { kind: 'exit'; value?: Statement; ext: Extent }
  | { kind: 'break' | 'continue'; label?: string; ext: Extent }
  | { kind: 'block'; body: Statement[]; ext: Extent };

export interface SwitchClause {
  readonly cond: Expr;
  readonly body: Statement[];
}

export interface ParamAst {
  readonly name: string;
  readonly type?: string;
  readonly default?: Expr;
  readonly mandatory: boolean;
  readonly position?: number;
  readonly fromPipeline: boolean;
}

export interface ScriptBlockAst {
  readonly params: ParamAst[];
  readonly begin?: Statement[];
  readonly process?: Statement[];
  /** The body: `end {}` or the statements of an unnamed block. */
  readonly end: Statement[];
  /** The script block's text without its braces (ScriptBlock.ToString()). */
  readonly text: string;
}
