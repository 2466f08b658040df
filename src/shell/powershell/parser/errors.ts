/**
 * A parse error as PowerShell reports it (ParseException): a message, the
 * error id of its FullyQualifiedErrorId line, and where in the script.
 * Messages are the parser's own texts (ParserStrings.resx) for the errors
 * this parser detects.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    message: string,
    /** ParserStrings id, e.g. `MissingEndCurlyBrace`. */
    readonly errorId: string,
    /** Offset in the script where PowerShell places its `~` marker. */
    readonly offset: number,
    /** Characters the marker underlines (the offending token). */
    readonly length = 1,
  ) {
    super(message);
  }
}

export const PARSE_MESSAGES = {
  MissingEndCurlyBrace: "Missing closing '}' in statement block or type definition.",
  MissingEndParenthesisInExpression: "Missing closing ')' in expression.",
  MissingEndSquareBracket: "Missing ']' after array index expression.",
  TerminatorExpectedAtEndOfString: 'The string is missing the terminator: {0}.',
  UnexpectedToken: "Unexpected token '{0}' in expression or statement.",
  ExpectedValueExpression: "You must provide a value expression following the '{0}' operator.",
  MissingExpressionAfterOperator: "Missing expression after unary operator '{0}'.",
  IfStatementMissingCondition: "Missing condition in if statement after 'if ('.",
  MissingOpenParenthesisInIfStatement: "Missing '(' after 'if' in if statement.",
  MissingEndParenthesisAfterStatement: "Missing closing ')' after expression in 'if' statement.",
  MissingStatementBlock: "Missing statement block after {0}.",
  MissingFunctionBody: 'Missing function body in function declaration.',
  MissingNameAfterFunctionKeyword: "Missing name after the 'function' keyword.",
  MissingTypename: 'Missing type name after \'[\'.',
  EmptyPipeElement: 'An empty pipe element is not allowed.',
  MissingCatchOrFinally: 'The Try statement is missing its Catch or Finally block.',
  MissingVariableNameAfterForeach: "Missing variable name after foreach.",
  MissingInInForeach: "Missing 'in' after variable in foreach loop.",
  MissingExpression: 'Missing expression after \'{0}\'.',
  MissingPropertyName: 'Missing property name after reference operator.',
  MissingEqualsInHashLiteral: "Missing '=' operator after key in hash literal.",
  MissingEndCurlyBraceInHashLiteral: "The hash literal was incomplete.",
  InvalidVariableReference: 'Variable reference is not valid. \'$\' was not followed by a valid variable name character. Consider using ${} to delimit the name.',
  MissingWhileOrUntilInDoWhile: "Missing while or until keyword in do loop.",
  ScriptTooDeep: 'The script is nested too deeply.',
  InvalidEndOfLine: "The token '{0}' is not a valid statement separator in this version.",
} as const;

export function parseError(id: keyof typeof PARSE_MESSAGES, offset: number, arg = ''): ParseError {
  const length = id === 'UnexpectedToken' || id === 'InvalidEndOfLine' ? Math.max(1, arg.length) : 1;
  return new ParseError(PARSE_MESSAGES[id].replace('{0}', arg), id, offset, length);
}
