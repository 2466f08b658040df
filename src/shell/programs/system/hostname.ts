/**
 * HOSTNAME.EXE: prints gethostname() — the DNS host name docker gave the
 * container (Tcpip\Parameters Hostname), case as given.
 *
 * Arguments (texts as hostname.exe prints them, xcyclopedia's capture of
 * its runtime output): `/?` the usage; `-s` "hostname -s is not
 * supported."; anything else is read as a new name to set, which it
 * refuses. DECIDED: the refusals exit with 1 (not recorded).
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { hostName } from './machine.js';
import { lines } from './text.js';

export async function hostnameMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    await ctx.stdout.write(lines(hostName(ctx)));
    return 0;
  }
  const a = args[0]!;
  if (a === '/?' || a === '-?') {
    await ctx.stdout.write(lines('', 'Prints the name of the current host.', '', 'hostname', ''));
    return 0;
  }
  if (a.toLowerCase() === '-s') {
    await ctx.stderr.write(lines('hostname -s is not supported.'));
    return 1;
  }
  await ctx.stderr.write(lines('sethostname: Use the Network Control Panel Applet to set hostname.'));
  return 1;
}
