/**
 * cmd.exe's own message texts, verbatim (cmd.exe's message table as Windows
 * 10 / Server 2022 prints it; checked against Microsoft Learn, ss64.com and
 * what ReactOS/Wine reproduce). Lines end CRLF where cmd prints them.
 */
export const MSG = {
  notRecognized: (name: string) => `'${name}' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n`,
  pathNotFound: 'The system cannot find the path specified.\r\n',
  fileNotFound: 'The system cannot find the file specified.\r\n',
  syntax: 'The syntax of the command is incorrect.\r\n',
  labelNotFound: (label: string) => `The system cannot find the batch label specified - ${label}\r\n`,
  echoIs: (on: boolean) => `ECHO is ${on ? 'on' : 'off'}.\r\n`,
  envNotDefined: (name: string) => `Environment variable ${name} not defined\r\n`,
  missingOperand: 'Missing operand.\r\n',
  missingOperator: 'Missing operator.\r\n',
  invalidNumber: 'Invalid number.  Numeric constants are either decimal (17),\r\nhexadecimal (0x11), or octal (021).\r\n',
  divideByZero: 'Divide by zero error.\r\n',
  unbalancedParen: 'Unbalanced parenthesis.\r\n',
  invalidOperator: 'Invalid operator.\r\n',
  unexpected: (token: string) => `${token} was unexpected at this time.\r\n`,
  pause: 'Press any key to continue . . . ',
  /**
   * COLOR /? (the text Microsoft's and ss64's COLOR pages quote; its
   * spacing as cmd prints it: a second column at 20, two spaces after a
   * full stop). Printed too for an argument that is not one or two hex
   * digits.
   */
  colorHelp: [
    'Sets the default console foreground and background colors.',
    '',
    'COLOR [attr]',
    '',
    '  attr        Specifies color attribute of console output',
    '',
    'Color attributes are specified by TWO hex digits -- the first',
    'corresponds to the background; the second the foreground.  Each digit',
    'can be any of the following values:',
    '',
    '    0 = Black       8 = Gray',
    '    1 = Blue        9 = Light Blue',
    '    2 = Green       A = Light Green',
    '    3 = Aqua        B = Light Aqua',
    '    4 = Red         C = Light Red',
    '    5 = Purple      D = Light Purple',
    '    6 = Yellow      E = Light Yellow',
    '    7 = White       F = Bright White',
    '',
    'If no argument is given, this command restores the color to what it was',
    'when CMD.EXE started.  This value either comes from the current console',
    'window, the /T command line switch or from the DefaultColor registry',
    'value.',
    '',
    'The COLOR command sets ERRORLEVEL to 1 if an attempt is made to execute',
    'the COLOR command with a foreground and background color that are the',
    'same.',
    '',
    'Example: "COLOR fc" produces light red on bright white',
    '',
  ].join('\r\n'),
  terminateBatch: 'Terminate batch job (Y/N)? ',
  invalidDrive: 'The system cannot find the drive specified.\r\n',
  invalidPathOperator: (text: string) => `The following usage of the path operator in batch-parameter substitution is invalid: ${text}\r\n`,
  verifyIs: (on: boolean) => `VERIFY is ${on ? 'on' : 'off'}.\r\n`,
  breakIs: (on: boolean) => `BREAK is ${on ? 'on' : 'off'}\r\n`,
  noPath: 'No Path\r\n',
  filenameSyntax: 'The filename, directory name, or volume label syntax is incorrect.\r\n',
  accessDenied: 'Access is denied.\r\n',
  fileInUse: 'The process cannot access the file because it is being used by another process.\r\n',
  /** DECIDED: the stack-usage figure is fixed at 90 percent (Windows reports its real stack use). */
  recursion: (depth: number) =>
    `******  B A T C H   R E C U R S I O N  exceeds STACK limits ******\r\nRecursion Count=${depth}, Stack Usage=90 percent\r\n******       B A T C H   PROCESSING IS   A B O R T E D      ******\r\n`,
  setlocalMax: 'Maximum setlocal recursion level reached.\r\n',
  invalidParameter: (p: string) => `Invalid parameter - ${p}\r\n`,
  batchNotFound: 'The batch file cannot be found.\r\n',
  callLabelOutside: 'Invalid attempt to call batch label outside of batch script.\r\n',
  directoryName: 'The directory name is invalid.\r\n',
  more: 'More? ',
  nonexistentPipe: 'The process tried to write to a nonexistent pipe.\r\n',
  lineTooLong: 'The input line is too long.\r\n',
} as const;

/**
 * ERRORLEVELs `set /a` leaves (ss64 "set /a" / ERRORLEVEL pages: the
 * message ids of cmd's message table, 0x4000xxxx).
 */
export const SETA_ERRORLEVEL = {
  missingOperand: 1073750988,
  missingOperator: 1073750989,
  unbalancedParen: 1073750990,
  invalidNumber: 1073750991,
  divideByZero: 1073750993,
  invalidOperator: 1073750992,
} as const;

/** cmd's ERRORLEVEL for a command it cannot find (ss64 ERRORLEVEL: 9009). */
export const ERRORLEVEL_NOT_RECOGNIZED = 9009;
