/**
 * Echo of the edit line on a VT terminal: after each batch of keys, only
 * what changed is redrawn, with relative cursor movements, so a real
 * terminal shows what conhost's screen buffer would.
 *
 * Layout: the line starts where the cursor was when the read began (after
 * the prompt; the console follows the cursor column of its output) and
 * fills rows of `columns` cells, wrapping as the terminal does: a
 * character that does not fit on the rest of a row starts the next row
 * (a wide character never straddles two rows). A cell offset counts from
 * column 0 of the row the line starts on.
 *
 * Redraw: move to the cell after the last character that did not change,
 * write the new text from there (blanks where a wide character left the
 * end of a row for the next), erase what is left of the old one (ED 0,
 * `ESC[J`: nothing is below the edit line while it is read), then move to
 * the cursor. When the
 * text written ends exactly at the right margin the terminal holds a
 * pending wrap (xterm's deferred wrap; the cursor still sits on the last
 * column), so the renderer writes a space and a backspace to step onto the
 * next row and know where the cursor really is.
 *
 * Movements: BS or `CSI n D` / `CSI n C` within a row; `CSI n A` / `CSI n B`
 * and CR or `CSI n G` across rows.
 */
import { cellWidth } from '../../kernel/process/console.js';

export class LineRenderer {
  /** What the terminal shows of the line, one code point per element. */
  private readonly shown: string[] = [];
  /**
   * Layout of the shown line, kept between redraws so a key costs only the
   * characters from the first change on: ends[i] is the cell offset after
   * shown[0..i) (ends[0] is the start), pos[i] where shown[i] is drawn (past
   * ends[i] when a wide character moved to the next row).
   */
  private readonly ends: number[];
  private readonly pos: number[] = [];
  /** Cell offset of the terminal's cursor. */
  private at: number;
  /** The read began with a wrap pending (the prompt filled its row): the cursor is not yet where offsets say. */
  private pendingStart: boolean;
  /** The index the cursor was last put before. */
  private cursorIndex = 0;

  constructor(
    /** Column where the line starts (the console's cursor column when the read began). */
    private start: number,
    /** The console's width, read at each redraw (a resize changes it). */
    private readonly width: () => number,
  ) {
    this.at = start;
    this.ends = [start];
    this.pendingStart = start > 0 && start % Math.max(1, width()) === 0;
  }

  /** VT text that turns the shown line into `chars` with the cursor before chars[cursor]. */
  render(chars: readonly string[], cursor: number): string {
    this.cursorIndex = cursor;
    const old = this.shown;
    let d = 0;
    const common = Math.min(old.length, chars.length);
    while (d < common && old[d] === chars[d]) d++;
    if (d === old.length && d === chars.length) return this.moveTo(this.offsetOf(cursor));
    const oldEnd = this.ends[old.length]!;
    old.length = d;
    for (let i = d; i < chars.length; i++) old.push(chars[i]!);
    this.relayout(d);
    // From the cell after the last unchanged character, not where chars[d] lands: a wide character
    // pushed to the next row leaves cells at the end of this one, which must be blanked (they may
    // still show what the old line had there), as conhost leaves them blank.
    const from = this.ends[d]!;
    let out = this.moveTo(from);
    if (d < chars.length) {
      this.pendingStart = false;
      let text = '';
      for (let i = d; i < chars.length; i++) {
        const gap = this.pos[i]! - this.ends[i]!;
        if (gap > 0) text += ' '.repeat(gap);
        text += chars[i]!;
      }
      out += text;
      this.at = this.ends[chars.length]!;
      if (this.at % Math.max(1, this.width()) === 0 && this.at > from) out += ' \b';
    }
    if (oldEnd > this.at) out += '\x1b[J';
    return out + this.moveTo(this.offsetOf(cursor));
  }

  /**
   * The window was resized to the width `width()` now answers, from
   * `oldWidth`. Terminals differ here (xterm keeps rows and clamps the
   * cursor to the new margin; some reflow wrapped lines). DECIDED: assume
   * xterm's behaviour — the rows stay, the cursor column is clamped — and
   * redraw the whole line from its start in the new width, so what was cut
   * at the new margin comes back wrapped.
   */
  resized(oldWidth: number): string {
    const w = Math.max(1, this.width());
    const old = Math.max(1, oldWidth);
    if (w === old) return '';
    if (this.shown.length === 0 && this.at === this.start) {
      this.start = Math.min(this.start, w);
      this.at = this.start;
      this.ends[0] = this.start;
      return '';
    }
    const rowsUp = Math.floor(this.at / old) - Math.floor(this.start / old);
    this.start = Math.min(this.start % old, w - 1);
    this.at = this.start;
    this.pendingStart = false;
    const chars = this.shown.slice();
    this.shown.length = 0;
    this.ends.length = 1;
    this.ends[0] = this.start;
    this.pos.length = 0;
    return (rowsUp > 0 ? `\x1b[${rowsUp}A` : '') + `\x1b[${this.start + 1}G\x1b[J` + this.render(chars, this.cursorIndex);
  }

  /** Moves to the end of the line (before CR LF at Enter, or the caller's ^C). */
  end(): string {
    return this.moveTo(this.ends[this.shown.length]!);
  }

  /** Where the cursor goes to stand before shown[i] (the end of the line for i = length). */
  private offsetOf(i: number): number {
    return i < this.shown.length ? this.pos[i]! : this.ends[this.shown.length]!;
  }

  /** Lays shown[from…] out again; a wide character that would straddle the margin starts the next row. */
  private relayout(from: number): void {
    const w = Math.max(1, this.width());
    const chars = this.shown;
    this.ends.length = from + 1;
    this.pos.length = from;
    let off = this.ends[from]!;
    for (let i = from; i < chars.length; i++) {
      const ch = chars[i]!;
      const cp = ch.charCodeAt(0);
      const cells = cp >= 0x20 && cp < 0x7f ? 1 : Math.min(w, cellWidth(ch.codePointAt(0)!));
      if (cells > 0 && (off % w) + cells > w) off += w - (off % w);
      this.pos.push(off);
      off += cells;
      this.ends.push(off);
    }
  }

  private moveTo(target: number): string {
    const w = Math.max(1, this.width());
    const from = this.at;
    if (from === target) return '';
    let out = '';
    if (this.pendingStart) {
      // Step off the pending wrap onto the row the line starts on.
      this.pendingStart = false;
      out = ' \b';
    }
    this.at = target;
    const dy = Math.floor(target / w) - Math.floor(from / w);
    const fromCol = from % w;
    const toCol = target % w;
    out += dy < 0 ? `\x1b[${-dy}A` : dy > 0 ? `\x1b[${dy}B` : '';
    if (dy === 0) {
      const dx = toCol - fromCol;
      if (dx === -1) out += '\b';
      else if (dx < 0) out += `\x1b[${-dx}D`;
      else if (dx > 0) out += `\x1b[${dx}C`;
    } else if (toCol !== fromCol) {
      out += toCol === 0 ? '\r' : `\x1b[${toCol + 1}G`;
    }
    return out;
  }
}
