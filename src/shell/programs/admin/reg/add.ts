/**
 * `reg add KeyName [/v ValueName | /ve] [/t Type] [/s Separator] [/d Data] [/f]`
 *
 * Creates the key and any missing parents (RegCreateKeyEx), then sets the
 * value: /v names it; without /v the key's default value is set — so
 * `reg add KEY` alone leaves `(Default)` as an empty REG_SZ (pg-fl.jp's
 * reg add reference: "If not specifying /v and /ve, /ve is used … it is not
 * possible to set the Default value to Not set"). An existing value is
 * overwritten only after `Value NAME exists, overwrite(Yes/No)?` is
 * answered Yes, or with /f. DECIDED: the prompt names the default value
 * by its empty name (`Value  exists, …`); a No prints ERROR_CANCELLED's
 * text and exits with 0, as Wine's reg does.
 */
import type { ProcessContext } from '../../../../kernel/process/context.js';
import type { Registry } from '../../../../kernel/registry/types.js';
import { REG_MULTI_SZ, REG_SZ } from '../../../../kernel/registry/types.js';
import { Win32Error } from '../../../../core/win32.js';
import { askYesNo } from '../io.js';
import { parseArgs, parseKey, RegUsageError, syntaxError } from './args.js';
import { CANCELED, INVALID_KEY, registryError, SUCCESS, usageHint } from './messages.js';
import { typeByName, valueFromData } from './values.js';

const SWITCHES = { V: true, VE: false, T: true, S: true, D: true, F: false } as const;

export async function regAdd(ctx: ProcessContext, reg: Registry, args: readonly string[]): Promise<number> {
  const { positional, switches } = parseArgs('ADD', args, SWITCHES);
  if (positional.length !== 1) throw syntaxError('ADD');
  const key = parseKey('ADD', positional[0]!);
  if (switches.has('V') && switches.has('VE')) throw syntaxError('ADD');
  const type = switches.has('T') ? typeByName(switches.get('T')!) : REG_SZ;
  if (type === undefined) throw syntaxError('ADD');
  const separator = switches.get('S');
  // The separator is one character and only means something for REG_MULTI_SZ.
  if (separator !== undefined && (separator.length !== 1 || type !== REG_MULTI_SZ)) throw syntaxError('ADD');
  const name = switches.get('V') ?? '';
  const value = valueFromData(name, type, switches.get('D'), separator);
  if (value === undefined) throw syntaxError('ADD');
  // A root key itself cannot be created or given values by name.
  if (!key.subkey) throw new RegUsageError([INVALID_KEY, usageHint('ADD')]);
  try {
    reg.createKey(key.path);
    if (!switches.has('F') && valueExists(reg, key.path, name)) {
      if (!(await askYesNo(ctx, `Value ${name} exists, overwrite(Yes/No)? `))) {
        await ctx.stdout.write(CANCELED + '\r\n');
        return 0;
      }
    }
    reg.setValue(key.path, value);
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    await ctx.stderr.write(registryError(e.code) + '\r\n');
    return 1;
  }
  await ctx.stdout.write(SUCCESS + '\r\n');
  return 0;
}

export function valueExists(reg: Registry, path: string, name: string): boolean {
  try {
    reg.getValue(path, name);
    return true;
  } catch (e) {
    if (e instanceof Win32Error) return false;
    throw e;
  }
}
