/**
 * The PowerShell layer's limits, in one place (style.md rule 6). A script
 * that exceeds one of them ends with a terminating error rather than
 * hanging or exhausting the host: random input is bounded in steps.
 */
export interface PowerShellLimits {
  /** Statements, loop iterations and pipeline items one script may run. DECIDED: Windows has no such limit; ours keeps a runaway loop from holding the host. */
  readonly maxSteps: number;
  /**
   * Nested function and script-block calls. Windows PowerShell 5.1 stops at
   * 100 nested script calls with ScriptCallDepthException ("The script failed
   * due to call depth overflow.").
   */
  readonly maxCallDepth: number;
  /** Nesting of blocks, parentheses and sub-expressions the parser accepts. DECIDED: bounds the recursive-descent stack. */
  readonly maxParseDepth: number;
  /** Elements a range operator (`1..n`) may build. DECIDED: keeps `1..1e9` from exhausting memory. */
  readonly maxRange: number;
  /** Characters a string built by `*` (`'a' * n`) may have. DECIDED. */
  readonly maxStringLength: number;
}

export const POWERSHELL_LIMITS: PowerShellLimits = {
  maxSteps: 10_000_000,
  maxCallDepth: 100,
  maxParseDepth: 200,
  maxRange: 10_000_000,
  maxStringLength: 100_000_000,
};
