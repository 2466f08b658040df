/**
 * The administration programs' limits, in one place (house style §6).
 */
export interface AdminLimits {
  /**
   * `reg query` writes its output in pieces of about this many characters
   * (a `/s` query of a large hive runs to megabytes; the pipe's back-pressure
   * applies between pieces). Default 64 Ki.
   */
  readonly queryFlushChars: number;
  /**
   * How many answers a Yes/No question reads before it takes the last one as
   * No (reg asks again on anything but Y or N; a stream of other answers must
   * still end). Default 1,000.
   */
  readonly maxPromptAnswers: number;
}

export const ADMIN_LIMITS: AdminLimits = {
  queryFlushChars: 64 * 1024,
  maxPromptAnswers: 1000,
};
