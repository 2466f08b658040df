/**
 * What the file utilities share: CRLF output, the wildcard and path helpers
 * of cmd's file commands (one implementation of FindFirstFile's matching),
 * and reading a file or standard input as lines.
 */
import type { FileSystemView } from '../../../kernel/fs/types.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import type { OutputStream } from '../../../kernel/process/pipe.js';
import { readWhole } from '../../cmd/files/transfer.js';

export { expand, fsOf, isDirectory, joinPath, splitPath, statOrUndefined, typedPath, isJunction, isSymlink } from '../../cmd/files/paths.js';
export { hasWildcards, wildcardMatcher } from '../../cmd/files/wildcard.js';
export { errorText } from '../../cmd/files/output.js';

export const CRLF = '\r\n';

export async function writeLine(out: OutputStream, text: string): Promise<void> {
  await out.write(text + CRLF);
}

const decoder = new TextDecoder('utf-8');

/**
 * A file's text: UTF-16LE when it starts with that byte order mark (find,
 * more and sort read Unicode files as text), else UTF-8 (the console code
 * page here; a UTF-8 byte order mark is dropped).
 */
export function readText(fs: FileSystemView, path: string, cwd: string): string {
  const bytes = readWhole(fs, path, cwd);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  return decoder.decode(bytes);
}

/** One line and the terminator it had (`\r\n`, `\n`, or '' for a last line without one). */
export interface TextLine {
  text: string;
  end: string;
}

export function splitLines(text: string): TextLine[] {
  const out: TextLine[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      out.push({ text: text.slice(start), end: '' });
      break;
    }
    const cr = nl > start && text[nl - 1] === '\r';
    out.push({ text: text.slice(start, cr ? nl - 1 : nl), end: cr ? '\r\n' : '\n' });
    start = nl + 1;
  }
  return out;
}

/** A file's bytes as UTF-8, whatever they are: findstr does not read UTF-16 (its strings do not match between the zero bytes). */
export function readRawText(fs: FileSystemView, path: string, cwd: string): string {
  return decoder.decode(readWhole(fs, path, cwd));
}

/** Standard input's whole text. */
export async function stdinText(ctx: ProcessContext): Promise<string> {
  return ctx.stdin.readText();
}

/**
 * The program's arguments after its name, split as the C runtime splits
 * them (CommandLineToArgvW): what Windows' own utilities see in argv.
 */
export function args(ctx: ProcessContext): string[] {
  return ctx.argv.slice(1);
}

/** The raw command line after the program name (for utilities that look at quotes, like find). */
export function rawArgs(ctx: ProcessContext): string {
  const cl = ctx.commandLine;
  let i = 0;
  if (cl.startsWith('"')) {
    i = cl.indexOf('"', 1);
    i = i < 0 ? cl.length : i + 1;
  } else {
    while (i < cl.length && cl[i] !== ' ' && cl[i] !== '\t') i++;
  }
  return cl.slice(i);
}
