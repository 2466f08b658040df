/**
 * ECHO (Microsoft Learn "echo"; ss64 ECHO): `echo` alone reports the state
 * ("ECHO is on."); `echo on|off` sets it; otherwise the text after the one
 * separator character following ECHO is printed. `echo.`, `echo(`,
 * `echo:`… print what follows the separator (an empty line for nothing).
 */
import type { InternalCommand } from '../interpreter.js';
import { MSG } from '../messages.js';

const SEPARATORS = ' \t.,;:=/\\[]+(';

export const echo: InternalCommand = async (bc, args) => {
  const interp = bc.interp;
  if (args === '' || (/^[ \t]/.test(args) && args.trim() === '')) {
    await bc.stdout.write(MSG.echoIs(interp.echo));
    return undefined;
  }
  const sep = args[0]!;
  if (!SEPARATORS.includes(sep)) {
    // Not reached through the dispatcher (the name would have been longer); print as is.
    await bc.stdout.write(args + '\r\n');
    return undefined;
  }
  const text = args.slice(1);
  if (sep === ' ' || sep === '\t') {
    const w = text.trim().toLowerCase();
    if (w === 'on' || w === 'off') {
      interp.echo = w === 'on';
      return undefined;
    }
  }
  await bc.stdout.write(text + '\r\n');
  return undefined;
};
