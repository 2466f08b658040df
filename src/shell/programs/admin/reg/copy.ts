/**
 * `reg copy KeyName1 KeyName2 [/s] [/f]`
 *
 * Copies the values of KeyName1 into KeyName2 (created if missing); /s
 * copies the subkeys too, all the way down. Values that exist in the
 * destination are overwritten after a question, or at once with /f; what
 * exists only in the destination stays (`reg copy /?`: "/f … This option
 * does not modify subkeys and values that only exist in <key2>", as Wine
 * words Windows' help).
 * DECIDED: the question is reg add's (`Value NAME exists,
 * overwrite(Yes/No)?`) and a No skips that value only; copying a key onto
 * itself is refused with `ERROR: The source and destination keys cannot be
 * the same.`. The source is read whole before anything is written, so
 * copying a key into its own subtree ends.
 */
import type { ProcessContext } from '../../../../kernel/process/context.js';
import type { Registry, RegistryValue } from '../../../../kernel/registry/types.js';
import { Win32Error } from '../../../../core/win32.js';
import { askYesNo } from '../io.js';
import { valueExists } from './add.js';
import { parseArgs, parseKey, RegUsageError, syntaxError } from './args.js';
import { CANNOT_FIND, INVALID_KEY, registryError, SUCCESS, usageHint } from './messages.js';

const SWITCHES = { S: false, F: false } as const;

interface Tree {
  values: RegistryValue[];
  keys: [string, Tree][];
}

function snapshot(reg: Registry, path: string, recurse: boolean): Tree {
  return {
    values: reg.enumValues(path),
    keys: recurse ? reg.enumKeys(path).map((k) => [k, snapshot(reg, `${path}\\${k}`, true)] as [string, Tree]) : [],
  };
}

export async function regCopy(ctx: ProcessContext, reg: Registry, args: readonly string[]): Promise<number> {
  const { positional, switches } = parseArgs('COPY', args, SWITCHES);
  if (positional.length !== 2) throw syntaxError('COPY');
  const from = parseKey('COPY', positional[0]!);
  const to = parseKey('COPY', positional[1]!);
  if (!to.subkey) throw new RegUsageError([INVALID_KEY, usageHint('COPY')]);
  if (from.display.toUpperCase() === to.display.toUpperCase()) {
    await ctx.stderr.write('ERROR: The source and destination keys cannot be the same.\r\n');
    return 1;
  }
  const force = switches.has('F');
  try {
    if (!reg.exists(from.path)) {
      await ctx.stderr.write(CANNOT_FIND + '\r\n');
      return 1;
    }
    const tree = snapshot(reg, from.path, switches.has('S'));
    const write = async (path: string, t: Tree): Promise<void> => {
      reg.createKey(path);
      for (const v of t.values) {
        if (!force && valueExists(reg, path, v.name) && !(await askYesNo(ctx, `Value ${v.name} exists, overwrite(Yes/No)? `))) continue;
        reg.setValue(path, v);
      }
      for (const [name, sub] of t.keys) await write(`${path}\\${name}`, sub);
    };
    await write(to.path, tree);
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    await ctx.stderr.write(registryError(e.code) + '\r\n');
    return 1;
  }
  await ctx.stdout.write(SUCCESS + '\r\n');
  return 0;
}
