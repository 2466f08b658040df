/**
 * Limits of the console's line editing (house style §6: one source of
 * limits). Windows' own values where it has them; the others say they are
 * decisions.
 */
export const CONSOLE_LIMITS = {
  /**
   * Commands a history keeps: conhost's default HistoryBufferSize, 50
   * ("Command history: Buffer size 50" in the console's properties; the
   * registry's HKCU\Console HistoryBufferSize).
   */
  historyEntries: 50,
  /**
   * Characters a cooked read accepts on one line. "The maximum length of the
   * string that you can use at the command prompt is 8191 characters"
   * (Microsoft Learn, "Command prompt (Cmd.exe) command-line string
   * limitation"); conhost ignores keys once the caller's buffer is full.
   */
  maxLineChars: 8191,
  /**
   * How long a lone ESC byte waits for the rest of an escape sequence before
   * it counts as the Esc key. DECIDED: a terminal sends a key's sequence in
   * one write, so a short wait only matters when a chunk boundary falls
   * inside one; 50 ms is well under what a person notices.
   */
  escapeTimeoutMs: 50,
} as const;

export type ConsoleLimits = typeof CONSOLE_LIMITS;
