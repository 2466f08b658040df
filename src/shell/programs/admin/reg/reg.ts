/**
 * reg.exe: `REG Operation [Parameter List]` (learn.microsoft.com, "reg").
 * Operations QUERY, ADD, DELETE, COPY, EXPORT, IMPORT work on the
 * container's registry (ctx.registry); SAVE, RESTORE, LOAD, UNLOAD,
 * COMPARE and FLAGS answer "not supported" (DECIDED). Operation names and
 * switches are case-insensitive.
 */
import type { Program } from '../../../../kernel/process/programs.js';
import { writeLines } from '../io.js';
import { regAdd } from './add.js';
import { RegUsageError } from './args.js';
import { regCopy } from './copy.js';
import { regDelete } from './delete.js';
import { OP_HELP } from './help.js';
import { CANNOT_FIND, invalidOption, INVALID_SYNTAX, NOT_SUPPORTED, REG_USAGE, usageHint } from './messages.js';
import { regQuery } from './query.js';
import { regExport, regImport } from './transfer.js';

const OPERATIONS = {
  QUERY: regQuery,
  ADD: regAdd,
  DELETE: regDelete,
  COPY: regCopy,
  EXPORT: regExport,
  IMPORT: regImport,
} as const;

const UNSUPPORTED = new Set(['SAVE', 'RESTORE', 'LOAD', 'UNLOAD', 'COMPARE', 'FLAGS']);

const isHelp = (a: string | undefined) => a !== undefined && /^[/-](\?|h)$/i.test(a);

export const reg: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    await writeLines(ctx.stderr, [INVALID_SYNTAX, usageHint()]);
    return 1;
  }
  const op = args[0]!.toUpperCase();
  if (isHelp(args[0])) {
    await writeLines(ctx.stdout, REG_USAGE);
    return 0;
  }
  const run = Object.hasOwn(OPERATIONS, op) ? OPERATIONS[op as keyof typeof OPERATIONS] : undefined;
  if (!run) {
    if (UNSUPPORTED.has(op)) {
      await writeLines(ctx.stderr, [NOT_SUPPORTED]);
      return 1;
    }
    await writeLines(ctx.stderr, [invalidOption(args[0]!), usageHint()]);
    return 1;
  }
  const rest = args.slice(1);
  if (rest.length === 1 && isHelp(rest[0])) {
    await writeLines(ctx.stdout, OP_HELP[op]!);
    return 0;
  }
  const registry = ctx.registry;
  if (!registry) {
    await writeLines(ctx.stderr, [CANNOT_FIND]);
    return 1;
  }
  try {
    return await run(ctx, registry, rest);
  } catch (e) {
    if (!(e instanceof RegUsageError)) throw e;
    await writeLines(ctx.stderr, e.lines);
    return 1;
  }
};
