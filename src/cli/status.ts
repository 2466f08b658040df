/**
 * How winsilo's commands fail: the docker CLI's messages and exit codes,
 * with `winsilo` where docker says `docker`. Sources (docker/cli at
 * 28f7560, August 2026, v29.7): cli/cobra.go FlagErrorFunc, cli/required.go,
 * cli/error.go StatusError, cli/command/container/run.go withHelp and
 * toStatusError, cmd/docker/docker.go main/getExitCode.
 *
 *   flag error         `<pflag error>\n\nUsage:  <use line>\n\nRun '<cmd> --help' for more information`   125
 *   client-side check  `winsilo: <error>\n\nRun 'winsilo run --help' for more information`                125
 *   daemon error       `winsilo: Error response from daemon: <message>\n\nRun 'winsilo run --help' …`     125
 *                      (126 when the message says "permission denied" or "is a directory",
 *                       127 when it says "executable file not found", "no such file or directory"
 *                       or "system cannot find the file specified")
 *   argument count     `winsilo: 'winsilo run' requires at least 1 argument\n\nUsage:  …\n\nSee 'winsilo run --help' for more information`   1
 *   anything else      the error's text                                                                  1
 *
 * docker's main prints the message with Println (one trailing newline) on
 * stderr and exits with the StatusError's code, 1 for a plain error.
 */

/** A command's failure: the text to print on stderr (without the final newline) and the exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    /** 125 for winsilo's own errors, as docker; 1 for plain errors; 126/127 for a command that cannot run. */
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The binary's name in every message (docker's `binName`). */
export const BIN = 'winsilo';

/** cli.FlagErrorFunc: a pflag error with the short usage and a pointer to --help (exit 125). */
export function flagError(err: Error, useLine: string, commandPath: string): CliError {
  return new CliError(`${err.message}\n\nUsage:  ${useLine}\n\nRun '${commandPath} --help' for more information`, 125);
}

/** run.go's withHelp: `winsilo: <err>` and the --help pointer; exit 125 unless told. */
export function withHelp(message: string, commandName: string, exitCode = 125): CliError {
  return new CliError(`${BIN}: ${message}\n\nRun '${BIN} ${commandName} --help' for more information`, exitCode);
}

/** cli.RequiresMinArgs (note docker's "See … for more information" here, and exit code 1). */
export function requiresMinArgs(min: number, commandPath: string, useLine: string): CliError {
  const word = min === 1 ? 'argument' : 'arguments';
  return new CliError(`${BIN}: '${commandPath}' requires at least ${min} ${word}\n\nUsage:  ${useLine}\n\nSee '${commandPath} --help' for more information`, 1);
}

/** cli.RequiresMaxArgs. */
export function requiresMaxArgs(max: number, commandPath: string, useLine: string): CliError {
  const word = max === 1 ? 'argument' : 'arguments';
  return new CliError(`${BIN}: '${commandPath}' requires at most ${max} ${word}\n\nUsage:  ${useLine}\n\nRun '${commandPath} --help' for more information`, 1);
}

/** The moby client's wrapping of an error the engine answered with. */
export function daemonMessage(message: string): string {
  return `Error response from daemon: ${message}`;
}

/**
 * run.go's toStatusError for an error from creating or starting the
 * container: 127 when the command was not found, 126 when it could not be
 * invoked, 125 otherwise; always with the --help pointer.
 */
export function toStatusError(message: string, commandName = 'run'): CliError {
  if (message.includes('executable file not found') || message.includes('no such file or directory') || message.includes('system cannot find the file specified')) {
    return withHelp(message, commandName, 127);
  }
  // Go's syscall.EACCES / EISDIR texts.
  if (message.includes('permission denied') || message.includes('is a directory')) return withHelp(message, commandName, 126);
  return withHelp(message, commandName, 125);
}

/**
 * The exit status winsilo's own process reports for a container's exit
 * code. docker returns the code the daemon gives (a Windows exit code is a
 * DWORD: Ctrl+C is 0xC000013A = 3221225786) to os.Exit; on Linux and macOS
 * the kernel keeps only the low 8 bits of an exit status (exit(3)), so the
 * shell sees 3221225786 & 0xff = 58 — as it does for docker on those hosts.
 * On a Windows host the whole DWORD survives (ExitProcess takes a UINT).
 * Made explicit here rather than left to Node's truncation.
 */
export function hostExitStatus(code: number, platform: NodeJS.Platform = process.platform): number {
  const dword = code >>> 0;
  return platform === 'win32' ? dword | 0 : dword & 0xff;
}
