/**
 * CONTRACT between cmd.exe's interpreter and its internal commands.
 *
 * cmd's internal commands (dir, copy, del, …) are not programs: they run in
 * cmd.exe's own process, with the handles the command's redirections set up,
 * and each parses its own argument text (so `dir/s`, `echo.`, `cd..` work
 * as on Windows). The interpreter hands a command the raw text after its
 * name (after %-expansion, redirections removed) and sets ERRORLEVEL from
 * what it returns.
 */
import type { ProcessContext } from '../../kernel/process/context.js';
import type { InputStream, OutputStream } from '../../kernel/process/pipe.js';

export interface BuiltinContext {
  /** The cmd.exe process: its file system, environment, current directory, registry. */
  readonly ctx: ProcessContext;
  /** This command's standard handles after redirection (`>`, `2>&1`, a pipe). */
  readonly stdin: InputStream;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Command extensions enabled (default on; `cmd /e:off`, `setlocal disableextensions`). */
  readonly extensions: boolean;
  /** True in a batch file (some commands, e.g. `copy`'s overwrite prompt, behave differently). */
  readonly inBatch: boolean;
  /** Aborted when Ctrl+C interrupts the running command (cmd itself goes on). */
  readonly signal: AbortSignal;
}

/**
 * An internal command. `args` is the text after the command name, exactly
 * as cmd passes it (leading delimiter included: for `dir /b` it is ` /b`,
 * for `dir/b` it is `/b`). Returns the ERRORLEVEL to set, or undefined to
 * leave ERRORLEVEL as it was (several internal commands do not reset it on
 * success: see windows-facts and ss64's errorlevel table).
 */
export type Builtin = (bc: BuiltinContext, args: string) => Promise<number | undefined>;

/** Internal commands by lower-case name (`dir`, `md`, `mkdir`, …). */
export type BuiltinTable = ReadonlyMap<string, Builtin>;
