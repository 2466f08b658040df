/**
 * setx.exe (Microsoft's `setx` reference): writes a variable to the user's
 * environment (HKCU\Environment) or, with /M, the machine's
 * (HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment). The
 * current process and cmd keep theirs; processes started afterwards get it
 * (src/hcs/compute-system.ts registryEnvironment) — which is how
 * `RUN setx /M PATH "%PATH%;C:\tool"` reaches a Dockerfile's next step.
 *
 * `setx VAR VALUE [/M]`: prints a blank line and `SUCCESS: Specified value
 * was saved.`; a value over 1024 characters is cut, with setx's warning.
 * /M needs an administrator (ContainerUser: `ERROR: Access to the registry
 * path is denied.`). A wrong argument count is `ERROR: Invalid syntax.`
 * with its hint; exit 1.
 *
 * DECIDED: the value is REG_EXPAND_SZ when it holds a `%` (setx keeps
 * what it is given; cmd has already expanded `%PATH%` in it), REG_SZ
 * otherwise; errors go to stderr. The /K (from a registry value), /F (from
 * a file) and /S (remote) forms, and `/?` (its help text was not found
 * to copy exactly), answer `ERROR: Invalid syntax.` here.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { REG_EXPAND_SZ, REG_SZ } from '../../../kernel/registry/types.js';
import { tokenUser } from '../system/machine.js';
import { lines } from '../system/text.js';

const MACHINE = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment';
const USER = 'HKCU\\Environment';
const MAX_VALUE = 1024;

async function invalid(ctx: ProcessContext, detail = ''): Promise<number> {
  await ctx.stderr.write(lines(`ERROR: Invalid syntax.${detail}`, 'Type "SETX /?" for usage.'));
  return 1;
}

export async function setxMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let machine = false;
  const rest: string[] = [];
  for (const a of args) {
    if (/^[/-]m$/i.test(a)) {
      if (machine) return invalid(ctx, " Default option is not allowed more than '1' time(s).");
      machine = true;
    } else if (/^[/-][a-z]$/i.test(a)) return invalid(ctx);
    else rest.push(a);
  }
  if (rest.length > 2) return invalid(ctx, " Default option is not allowed more than '2' time(s).");
  if (rest.length < 2) return invalid(ctx);
  const [name, given] = rest as [string, string];
  let value = given;
  if (machine && !tokenUser(ctx).admin) {
    await ctx.stderr.write(lines('ERROR: Access to the registry path is denied.'));
    return 1;
  }
  const reg = ctx.registry;
  if (!reg) {
    await ctx.stderr.write(lines('ERROR: Access to the registry path is denied.'));
    return 1;
  }
  let warning = '';
  if (value.length > MAX_VALUE) {
    value = value.slice(0, MAX_VALUE);
    warning = `WARNING: The data being saved is truncated to ${MAX_VALUE} characters.`;
  }
  const key = machine ? MACHINE : USER;
  try {
    reg.createKey(key);
    reg.setValue(key, { name, type: value.includes('%') ? REG_EXPAND_SZ : REG_SZ, data: value });
  } catch {
    await ctx.stderr.write(lines('ERROR: Access to the registry path is denied.'));
    return 1;
  }
  await ctx.stdout.write(warning ? lines('', warning, '', 'SUCCESS: Specified value was saved.') : lines('', 'SUCCESS: Specified value was saved.'));
  return 0;
}
