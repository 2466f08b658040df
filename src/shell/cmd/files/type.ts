/**
 * TYPE — writes files to standard output (Microsoft Learn "type").
 * With several files (or a wildcard) each file's name goes to standard
 * error before its contents, framed by blank lines (`\r\nname\r\n\r\n\r\n`),
 * so that `type a b > c` concatenates only the contents. A file that cannot
 * be read prints the Win32 message; with several names cmd then adds
 * `Error occurred while processing: name.` ERRORLEVEL 1 on any failure.
 * Bytes are copied as they are, except that a UTF-16LE file with its byte
 * order mark is converted to the console code page (UTF-8 here).
 * DECIDED: no Ctrl+Z handling.
 */
import type { FileHandle } from '../../../kernel/fs/types.js';
import type { Builtin } from '../builtin.js';
import { parseArgs } from './args.js';
import { errLine, errorText } from './output.js';
import { expand, fsOf, isDirectory, joinPath, typedPath } from './paths.js';
import { hasWildcards } from './wildcard.js';
import { ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND, Win32Error } from '../../../core/win32.js';
import { readToEnd } from '../../../kernel/fs/whole-file.js';

const CHUNK = 64 * 1024;

function utf16Text(h: FileHandle): string {
  return new TextDecoder('utf-16le').decode(readToEnd(h).subarray(2));
}

export const type: Builtin = async (bc, args) => {
  const { ctx } = bc;
  const fs = fsOf(ctx);
  const { switches, operands } = parseArgs(args);
  if (switches.length > 0) {
    await errLine(bc, `Invalid switch - ${switches[0]}`);
    return 1;
  }
  if (operands.length === 0) {
    await errLine(bc, 'The syntax of the command is incorrect.');
    return 1;
  }
  const several = operands.length > 1 || operands.some(hasWildcards);
  let failed = false;
  for (const spec of operands) {
    if (bc.signal.aborted) break;
    try {
      const full = fs.fullPath(spec, ctx.cwd);
      const { dir, entries } = expand(fs, full, ctx.cwd);
      const files = hasWildcards(spec) ? entries.filter((e) => !isDirectory(e)) : entries;
      if (files.length === 0) throw new Win32Error('CreateFile', ERROR_FILE_NOT_FOUND, full);
      for (const f of files) {
        if (isDirectory(f)) throw new Win32Error('CreateFile', ERROR_ACCESS_DENIED, full);
        const path = joinPath(dir, f.name);
        if (several) await bc.stderr.write(`\r\n${hasWildcards(spec) ? typedPath(spec, f.name) : spec}\r\n\r\n\r\n`);
        const h = fs.open(path, ctx.cwd, { disposition: 'open', read: true, shareWrite: true, shareDelete: true });
        try {
          const buf = new Uint8Array(CHUNK);
          const head = new Uint8Array(2);
          if (h.read(0, head) === 2 && head[0] === 0xff && head[1] === 0xfe) {
            // A UTF-16LE file with its byte order mark (what PowerShell 5.1's
            // `>` and Out-File write): type converts it to the console's code
            // page, UTF-8 here (Microsoft Learn "type": Unicode files are shown as text).
            await bc.stdout.write(utf16Text(h));
            continue;
          }
          for (let pos = 0; ; ) {
            const n = h.read(pos, buf);
            if (n === 0) break;
            pos += n;
            await bc.stdout.write(buf.slice(0, n));
            if (bc.signal.aborted) break;
          }
        } finally {
          h.close();
        }
      }
    } catch (e) {
      await errLine(bc, errorText(e));
      if (several) await errLine(bc, `Error occurred while processing: ${spec}.`);
      failed = true;
    }
  }
  return failed ? 1 : 0;
};
