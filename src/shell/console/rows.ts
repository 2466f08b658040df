/**
 * How many rows of a console window a line of text takes: its cells
 * (wide characters two, combining marks none — cellWidth) wrapped at the
 * window's width, at least one row for an empty line. Pagers (more.com,
 * cmd's `dir /p`) count screenfuls with it, as their console's window
 * would fill.
 */
import { cellWidth } from '../../kernel/process/console.js';

export function rowsOf(line: string, columns: number): number {
  let cells = 0;
  for (const ch of line) cells += ch.charCodeAt(0) < 0x7f && ch >= ' ' ? 1 : cellWidth(ch.codePointAt(0)!);
  return Math.max(1, Math.ceil(cells / Math.max(1, columns)));
}
