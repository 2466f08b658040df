/**
 * Help texts in the docker CLI's layout (docker/cli cli/cobra.go
 * usageTemplate with cobra's rpad and NamePadding; flag listings by
 * flags.ts). A command's help:
 *
 *   Usage:  winsilo run [OPTIONS] IMAGE [COMMAND] [ARG...]
 *   <blank>
 *   Create and run a new container from an image
 *   <blank>
 *   Options:
 *   <flag listing>
 *
 * and the top level's: usage line, description, "Common Commands:",
 * "Commands:", "Global Options:", and the "Run 'winsilo COMMAND --help'"
 * line. Command names are padded to cobra's minimum name padding (11) plus
 * one space.
 */
import type { FlagSet } from './flags.js';
import { BIN } from './status.js';

/** pflag's width for wrapping usage text: docker passes the terminal width − 1 (80 − 1 without a terminal). */
export function usageColumns(stdoutColumns: number | undefined): number {
  return (stdoutColumns && stdoutColumns > 0 ? stdoutColumns : 80) - 1;
}

export interface CommandInfo {
  readonly name: string;
  readonly short: string;
  /** Listed under "Common Commands" (docker's category-top annotation). */
  readonly top: boolean;
}

/** cobra's minNamePadding. */
const MIN_NAME_PADDING = 11;

function namePadding(commands: readonly CommandInfo[]): number {
  return Math.max(MIN_NAME_PADDING, ...commands.map((c) => c.name.length));
}

/** A subcommand's help: usage line, description, options. Ends with a newline. */
export function commandHelp(useLine: string, short: string, flags: FlagSet, cols: number): string {
  const options = flags.usages(cols).replace(/\s+$/, '');
  return `Usage:  ${useLine}\n\n${short}\n\nOptions:\n${options}\n`;
}

/** The top-level help. */
export function rootHelp(description: string, commands: readonly CommandInfo[], globalFlags: FlagSet, cols: number): string {
  const pad = namePadding(commands);
  const row = (c: CommandInfo): string => `  ${(c.name + ' ').padEnd(pad + 1)}${c.short}`;
  const top = commands.filter((c) => c.top);
  const rest = commands.filter((c) => !c.top);
  let out = `Usage:  ${BIN} [OPTIONS] COMMAND\n\n${description}\n`;
  if (top.length > 0) out += `\nCommon Commands:\n${top.map(row).join('\n')}\n`;
  if (rest.length > 0) out += `\nCommands:\n${rest.map(row).join('\n')}\n`;
  out += `\nGlobal Options:\n${globalFlags.usages(cols).replace(/\s+$/, '')}\n`;
  out += `\nRun '${BIN} COMMAND --help' for more information on a command.\n`;
  return out;
}
