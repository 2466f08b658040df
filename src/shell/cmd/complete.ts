/**
 * cmd's file-name completion (Tab / Shift+Tab through the console's
 * CONSOLE_READCONSOLE_CONTROL): the path token under the cursor is
 * completed with the entries of its directory that start with it, in
 * directory order; repeated Tab cycles forward, Shift+Tab backward; a name
 * with spaces (or other special characters) is quoted. After CD, CHDIR, MD,
 * MKDIR, RD, RMDIR and PUSHD only directories are offered (`cmd /?`: with
 * those commands "directory completion is assumed").
 */
import type { ProcessContext } from '../../kernel/process/context.js';
import { FILE_ATTRIBUTE_DIRECTORY } from '../../kernel/fs/types.js';
import type { Completer } from '../console/read-line.js';

interface Cycle {
  /** The line as it was before the first Tab, up to the token. */
  head: string;
  tail: string;
  dirPrefix: string;
  matches: string[];
  index: number;
  /** What the line looked like after our last completion (to know a repeated Tab). */
  lastLine: string;
  lastCursor: number;
}

const DIRECTORY_COMMANDS = /^[ \t@]*(cd|chdir|md|mkdir|rd|rmdir|pushd)[ \t]/i;
const NEEDS_QUOTES = /[ &()[\]{}^=;!'+,`~]/;

/** The token under the cursor: from the last unquoted space (or the opening quote) to the cursor. */
function tokenAt(line: string, cursor: number): { start: number; text: string } {
  let q = false;
  let start = 0;
  for (let i = 0; i < cursor; i++) {
    const c = line[i]!;
    if (c === '"') {
      q = !q;
      if (q) start = i;
    } else if (!q && (c === ' ' || c === '\t')) start = i + 1;
  }
  return { start, text: line.slice(start, cursor) };
}

export function completer(ctx: ProcessContext): Completer {
  let cycle: Cycle | undefined;
  return (line, cursor, reverse) => {
    if (!cycle || line !== cycle.lastLine || cursor !== cycle.lastCursor) {
      const { start, text } = tokenAt(line, cursor);
      const raw = text.replace(/"/g, '');
      const cut = Math.max(raw.lastIndexOf('\\'), raw.lastIndexOf('/'), raw.lastIndexOf(':'));
      const dirPrefix = raw.slice(0, cut + 1);
      const stem = raw.slice(cut + 1).toLowerCase();
      let names: string[] = [];
      try {
        const dir = dirPrefix === '' ? '.' : dirPrefix;
        const dirsOnly = DIRECTORY_COMMANDS.test(line.slice(0, start));
        names = (ctx.fs?.list(dir, ctx.cwd) ?? [])
          .filter((e) => !dirsOnly || (e.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0)
          .map((e) => e.name)
          .filter((n) => n.toLowerCase().startsWith(stem));
      } catch {
        names = [];
      }
      if (names.length === 0) return undefined;
      cycle = { head: line.slice(0, start), tail: line.slice(cursor), dirPrefix, matches: names, index: reverse ? names.length - 1 : 0, lastLine: '', lastCursor: -1 };
    } else {
      const n = cycle.matches.length;
      cycle.index = (cycle.index + (reverse ? n - 1 : 1)) % n;
    }
    const full = cycle.dirPrefix + cycle.matches[cycle.index]!;
    const token = NEEDS_QUOTES.test(full) ? `"${full}"` : full;
    const newLine = cycle.head + token + cycle.tail;
    const newCursor = cycle.head.length + token.length;
    cycle.lastLine = newLine;
    cycle.lastCursor = newCursor;
    return { line: newLine, cursor: newCursor };
  };
}
