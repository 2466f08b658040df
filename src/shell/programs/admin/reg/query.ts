/**
 * `reg query KeyName [/v ValueName | /ve] [/s] [/f Data [/k] [/d] [/c] [/e]] [/t Type] [/z] [/se Separator]`
 *
 * Output shape, from Wine's reg tests (programs/reg/tests/query.c), which
 * compare byte for byte with what Windows prints:
 *  - a blank line first;
 *  - a key with values: its name, one line per value, a blank line;
 *  - a key without values (the queried one, without /s): no line of its own;
 *  - then, without /s, one line per subkey (no blank line after them);
 *  - with /s, each subkey in turn: its name, its values, a blank line;
 *  - /v or /ve: the key and the one value, then a blank line; a missing
 *    named value is an error (exit 1); a missing default value prints
 *    `(value not set)`;
 *  - /v with /s, and any search (/f, /t), ends with
 *    `End of search: N match(es) found.` (Windows' wording; Wine prints its
 *    own). DECIDED: a search that finds nothing exits with 1.
 * Searching (/f): the pattern matches key names, value names and data
 * (limited by /k to key names, by /d to data), as a substring unless /e,
 * case-insensitively unless /c; `*` and `?` are wildcards (the default
 * pattern is `*`); `/v` with no name limits it to value names (`reg query
 * /?`: "Argument to this switch can be optional only when specified along
 * with /f switch. This specifies to search in valuenames only"). DECIDED:
 * data is matched as `reg query` shows it; /k,
 * /d, /c and /e need /f (Microsoft's docs issue #3836: "/k has to be used
 * in conjunction with /f"); /t alone searches with `*`.
 */
import type { ProcessContext } from '../../../../kernel/process/context.js';
import type { Registry, RegistryValue } from '../../../../kernel/registry/types.js';
import { Win32Error } from '../../../../core/win32.js';
import { ADMIN_LIMITS } from '../limits.js';
import { parseArgs, parseKey, syntaxError, type RegKey } from './args.js';
import { CANNOT_FIND, registryError } from './messages.js';
import { dataText, typeByName, valueLine, VALUE_NOT_SET_LINE } from './values.js';

const SWITCHES = { V: 'optional', VE: false, S: false, F: true, K: false, D: false, C: false, E: false, T: true, Z: false, SE: true } as const;

interface Search {
  pattern: RegExp;
  keys: boolean;
  names: boolean;
  data: boolean;
  types: Set<number> | undefined;
}

function wildcard(pattern: string, exact: boolean, caseSensitive: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(exact ? `^${body}$` : body, caseSensitive ? '' : 'i');
}

class Writer {
  private buffer = '';
  constructor(private readonly ctx: ProcessContext) {}
  line(s = ''): void {
    this.buffer += s + '\r\n';
  }
  async maybeFlush(): Promise<void> {
    if (this.buffer.length >= ADMIN_LIMITS.queryFlushChars) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buffer) await this.ctx.stdout.write(this.buffer);
    this.buffer = '';
  }
}

export async function regQuery(ctx: ProcessContext, reg: Registry, args: readonly string[]): Promise<number> {
  const { positional, switches } = parseArgs('QUERY', args, SWITCHES);
  if (positional.length !== 1) throw syntaxError('QUERY');
  const key = parseKey('QUERY', positional[0]!);
  if (switches.has('V') && switches.has('VE')) throw syntaxError('QUERY');
  const searching = switches.has('F') || switches.has('T');
  if (!switches.has('F') && (switches.has('K') || switches.has('D') || switches.has('C') || switches.has('E'))) throw syntaxError('QUERY');
  const namesOnly = switches.has('F') && switches.get('V') === '';
  if (switches.get('V') === '' && !namesOnly) throw syntaxError('QUERY');
  if (searching && (switches.has('VE') || (switches.has('V') && !namesOnly))) throw syntaxError('QUERY');
  const sep = switches.get('SE');
  if (sep !== undefined && sep.length !== 1) throw syntaxError('QUERY');
  let types: Set<number> | undefined;
  if (switches.has('T')) {
    types = new Set();
    for (const t of switches.get('T')!.split(',')) {
      const n = typeByName(t.trim());
      if (n === undefined) throw syntaxError('QUERY');
      types.add(n);
    }
  }
  const format = { verbose: switches.has('Z'), separator: sep };
  const recurse = switches.has('S');

  if (!reg.exists(key.path)) {
    await ctx.stderr.write(CANNOT_FIND + '\r\n');
    return 1;
  }
  const out = new Writer(ctx);
  try {
    if (searching) {
      const keysOnly = switches.has('K');
      const dataOnly = switches.has('D');
      const search: Search = namesOnly
        ? { pattern: wildcard(switches.get('F')!, switches.has('E'), switches.has('C')), keys: false, names: true, data: false, types }
        : {
            pattern: wildcard(switches.get('F') ?? '*', switches.has('E'), switches.has('C')),
            keys: keysOnly || !dataOnly,
            names: !keysOnly && !dataOnly,
            data: dataOnly || !keysOnly,
            types,
          };
      out.line();
      const found = await searchKey(reg, key.display, key.path, true, recurse, search, format, out);
      out.line(`End of search: ${found} match(es) found.`);
      await out.flush();
      return found > 0 ? 0 : 1;
    }
    if (switches.has('V') || switches.has('VE')) {
      const name = switches.get('V') ?? '';
      if (!recurse) {
        let value: RegistryValue | undefined;
        try {
          value = reg.getValue(key.path, name);
        } catch (e) {
          if (!(e instanceof Win32Error)) throw e;
        }
        if (!value && name !== '') {
          await ctx.stderr.write(CANNOT_FIND + '\r\n');
          return 1;
        }
        out.line();
        out.line(key.display);
        out.line(value ? valueLine(value, format) : VALUE_NOT_SET_LINE);
        out.line();
        await out.flush();
        return 0;
      }
      out.line();
      const found = await queryValueTree(reg, key.display, key.path, name, format, out);
      out.line(`End of search: ${found} match(es) found.`);
      await out.flush();
      return found > 0 ? 0 : 1;
    }
    out.line();
    await queryKey(reg, key, recurse, format, out);
    await out.flush();
    return 0;
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    await out.flush();
    await ctx.stderr.write(registryError(e.code) + '\r\n');
    return 1;
  }
}

type Format = { verbose: boolean; separator: string | undefined };

async function queryKey(reg: Registry, key: RegKey, recurse: boolean, format: Format, out: Writer): Promise<void> {
  const values = reg.enumValues(key.path);
  if (values.length > 0) {
    out.line(key.display);
    for (const v of values) out.line(valueLine(v, format));
    out.line();
  }
  for (const name of reg.enumKeys(key.path)) {
    const display = `${key.display}\\${name}`;
    const path = `${key.path}\\${name}`;
    if (recurse) await querySubtree(reg, display, path, format, out);
    else out.line(display);
  }
}

/** A subkey under /s: its name always, its values, a blank line, then its own subkeys. */
async function querySubtree(reg: Registry, display: string, path: string, format: Format, out: Writer): Promise<void> {
  out.line(display);
  for (const v of reg.enumValues(path)) out.line(valueLine(v, format));
  out.line();
  await out.maybeFlush();
  for (const name of reg.enumKeys(path)) await querySubtree(reg, `${display}\\${name}`, `${path}\\${name}`, format, out);
}

/** `/v name /s` (or `/ve /s`): every key below that holds the value. */
async function queryValueTree(reg: Registry, display: string, path: string, name: string, format: Format, out: Writer): Promise<number> {
  let found = 0;
  const fold = name.toUpperCase();
  const value = reg.enumValues(path).find((v) => v.name.toUpperCase() === fold);
  if (value) {
    out.line(display);
    out.line(valueLine(value, format));
    out.line();
    found++;
    await out.maybeFlush();
  }
  for (const sub of reg.enumKeys(path)) found += await queryValueTree(reg, `${display}\\${sub}`, `${path}\\${sub}`, name, format, out);
  return found;
}

/**
 * One key of a search: its name counts if it matches (the queried key's
 * own name is not searched); its matching values are listed under it.
 * Without /s, subkeys are searched by name only.
 */
async function searchKey(reg: Registry, display: string, path: string, top: boolean, recurse: boolean, search: Search, format: Format, out: Writer): Promise<number> {
  let found = 0;
  const leaf = display.slice(display.lastIndexOf('\\') + 1);
  const keyMatches = !top && search.keys && search.types === undefined && search.pattern.test(leaf);
  const matches: RegistryValue[] = [];
  for (const v of reg.enumValues(path)) {
    if (search.types && !search.types.has(v.type)) continue;
    const shownName = v.name;
    if ((search.names && search.pattern.test(shownName)) || (search.data && search.pattern.test(dataText(v)))) matches.push(v);
  }
  if (keyMatches || matches.length > 0) {
    out.line(display);
    for (const v of matches) out.line(valueLine(v, format));
    out.line();
    found += (keyMatches ? 1 : 0) + matches.length;
    await out.maybeFlush();
  }
  if (!top && !recurse) return found;
  for (const sub of reg.enumKeys(path)) {
    const subDisplay = `${display}\\${sub}`;
    const subPath = `${path}\\${sub}`;
    if (recurse) found += await searchKey(reg, subDisplay, subPath, false, true, search, format, out);
    else if (search.keys && search.types === undefined && search.pattern.test(sub)) {
      out.line(subDisplay);
      out.line();
      found++;
    }
  }
  return found;
}
