/**
 * Go's text/tabwriter as docker's tables use it: `tabwriter.NewWriter(out,
 * 10, 1, 3, ' ', 0)` (docker/cli cli/command/formatter/formatter.go) —
 * minimum cell width 10, padding 3, spaces, left-aligned, no flags.
 *
 * Rules kept from Go's tabwriter.go: a cell is text terminated by a tab;
 * the text after a line's last tab is not part of any column and is
 * written as is; a column block is a run of consecutive lines that all
 * have a cell in that column, and its width is the widest cell + padding,
 * at least the minimum width; widths count runes (utf8.RuneCount); a line
 * with no tab ends the formatting run (Go flushes there).
 */
export interface TabwriterOptions {
  minWidth: number;
  padding: number;
}

/** docker's table settings. */
export const DOCKER_TABLE: TabwriterOptions = { minWidth: 10, padding: 3 };

const runeCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** Formats `text` (lines of tab-terminated cells) as Go's tabwriter with padchar ' ' and flags 0 would. */
export function tabwrite(text: string, opts: TabwriterOptions = DOCKER_TABLE): string {
  const rawLines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  if (endsWithNewline) rawLines.pop();
  const lines = rawLines.map((l) => l.split('\t'));
  let out = '';
  // Go flushes after a line of one cell: format each run separately.
  let runStart = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.length === 1) {
      out += formatRun(lines.slice(runStart, i + 1), opts);
      runStart = i + 1;
    }
  }
  out += formatRun(lines.slice(runStart), opts);
  return endsWithNewline || out === '' ? out : out.replace(/\n$/, '');
}

function formatRun(lines: string[][], opts: TabwriterOptions): string {
  let out = '';
  const widths: number[] = [];
  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const line = lines[i]!;
      line.forEach((cell, j) => {
        out += cell;
        if (j < widths.length && j < line.length - 1) out += ' '.repeat(Math.max(0, widths[j]! - runeCount(cell)));
      });
      out += '\n';
    }
  };
  // Go's format(): recursive over columns; every line is written exactly once.
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      // A cell in this column: the lines before it are done with the current widths.
      writeLines(line0, t);
      line0 = t;
      let width = opts.minWidth;
      for (; t < line1; t++) {
        const line = lines[t]!;
        if (column >= line.length - 1) break;
        const w = runeCount(line[column]!) + opts.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
      // (Go's loop then steps past line t, which has no cell in this column.)
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out;
}
