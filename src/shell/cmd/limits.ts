/**
 * cmd.exe's limits, in one place (house style §6).
 */
export interface CmdLimits {
  /** Longest command line after expansion (Microsoft Learn "Command prompt line string limitation": 8191 characters). */
  readonly maxLineLength: number;
  /**
   * Nested CALLs / batch levels before cmd gives up. Windows fails deep recursion with
   * "****** B A T C H   R E C U R S I O N  exceeds STACK limits ******"
   * at a stack-size-dependent depth (ss64 CALL); DECIDED: a fixed depth.
   */
  readonly maxCallDepth: number;
  /** SETLOCAL nesting per batch level (ss64 SETLOCAL: 32). */
  readonly maxSetlocalDepth: number;
  /**
   * Nested parenthesised blocks. DECIDED: Windows documents no limit (its
   * parser recurses until its stack ends); past this depth the line is
   * "The syntax of the command is incorrect."
   */
  readonly maxBlockDepth: number;
  /** Commands executed before the interpreter stops (Infinity in production; the fuzz test bounds it). */
  readonly maxSteps: number;
}

export const CMD_LIMITS: CmdLimits = {
  maxLineLength: 8191,
  maxCallDepth: 200,
  maxSetlocalDepth: 32,
  maxBlockDepth: 256,
  maxSteps: Infinity,
};
