/**
 * `reg export KeyName FileName [/y]` and `reg import FileName`.
 *
 * Export writes the key and everything below it as a .reg file
 * (regfile.ts); a file that exists is replaced after a question, or at
 * once with /y. DECIDED: the question reads `File NAME already exists.
 * Overwrite (Yes/No)?` (not found in a citable source); a No cancels.
 * Import applies a .reg file's keys and values; the whole file is parsed
 * before anything is written (DECIDED: a file that does not parse changes
 * nothing).
 */
import type { ProcessContext } from '../../../../kernel/process/context.js';
import type { Registry } from '../../../../kernel/registry/types.js';
import { ERROR_PATH_NOT_FOUND, Win32Error } from '../../../../core/win32.js';
import { askYesNo } from '../io.js';
import { parseArgs, parseKey, RegUsageError, syntaxError } from './args.js';
import { CANCELED, CANNOT_FIND, IMPORT_ACCESS_FAILED, IMPORT_OPEN_FAILED, registryError, SUCCESS } from './messages.js';
import { decodeRegFile, encodeUtf16Bom, exportText, parseRegFile, RegFileError } from './regfile.js';
import { readToEnd } from '../../../../kernel/fs/whole-file.js';

export async function regExport(ctx: ProcessContext, reg: Registry, args: readonly string[]): Promise<number> {
  const { positional, switches } = parseArgs('EXPORT', args, { Y: false });
  if (positional.length !== 2) throw syntaxError('EXPORT');
  const key = parseKey('EXPORT', positional[0]!);
  const file = positional[1]!;
  const fs = ctx.fs;
  let text: string;
  try {
    if (!reg.exists(key.path)) {
      await ctx.stderr.write(CANNOT_FIND + '\r\n');
      return 1;
    }
    text = exportText(reg, key.display, key.path);
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    await ctx.stderr.write(registryError(e.code) + '\r\n');
    return 1;
  }
  if (!fs) {
    await ctx.stderr.write(registryError(ERROR_PATH_NOT_FOUND) + '\r\n');
    return 1;
  }
  try {
    let exists = false;
    try {
      fs.stat(file, ctx.cwd);
      exists = true;
    } catch (e) {
      if (!(e instanceof Win32Error)) throw e;
    }
    if (exists && !switches.has('Y') && !(await askYesNo(ctx, `File ${file} already exists. Overwrite (Yes/No)? `))) {
      await ctx.stdout.write(CANCELED + '\r\n');
      return 0;
    }
    const h = fs.open(file, ctx.cwd, { disposition: 'overwriteIf', write: true, nonDirectory: true });
    try {
      const bytes = encodeUtf16Bom(text);
      h.setSize(0);
      h.write(0, bytes);
    } finally {
      h.close();
    }
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    await ctx.stderr.write(registryError(e.code) + '\r\n');
    return 1;
  }
  await ctx.stdout.write(SUCCESS + '\r\n');
  return 0;
}

export async function regImport(ctx: ProcessContext, reg: Registry, args: readonly string[]): Promise<number> {
  const { positional } = parseArgs('IMPORT', args, {});
  if (positional.length !== 1) throw syntaxError('IMPORT');
  const fs = ctx.fs;
  let bytes: Uint8Array;
  try {
    if (!fs) throw new Win32Error('CreateFile', ERROR_PATH_NOT_FOUND);
    const h = fs.open(positional[0]!, ctx.cwd, { disposition: 'open', read: true, nonDirectory: true });
    try {
      bytes = readToEnd(h);
    } finally {
      h.close();
    }
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    await ctx.stderr.write(IMPORT_OPEN_FAILED + '\r\n');
    return 1;
  }
  try {
    const ops = parseRegFile(decodeRegFile(bytes));
    for (const op of ops) parseKey('IMPORT', op.path);
    for (const op of ops) {
      switch (op.kind) {
        case 'createKey':
          reg.createKey(op.path);
          break;
        case 'deleteKey':
          if (reg.exists(op.path)) reg.deleteTree(op.path);
          break;
        case 'setValue':
          reg.setValue(op.path, op.value);
          break;
        case 'deleteValue':
          try {
            reg.deleteValue(op.path, op.name);
          } catch (e) {
            if (!(e instanceof Win32Error)) throw e;
          }
          break;
      }
    }
  } catch (e) {
    if (!(e instanceof Win32Error) && !(e instanceof RegFileError) && !(e instanceof RegUsageError)) throw e;
    await ctx.stderr.write(IMPORT_ACCESS_FAILED + '\r\n');
    return 1;
  }
  await ctx.stdout.write(SUCCESS + '\r\n');
  return 0;
}
