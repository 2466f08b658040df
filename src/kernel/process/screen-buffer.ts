/**
 * A console's screen buffer as far as conhost needs it on a VT terminal:
 * the characters of the window (so a change of attributes can repaint
 * them, as FillConsoleOutputAttribute makes ConPTY's VT renderer do), the
 * cursor (so a line editor knows where its line starts and where it
 * wraps), and the current text attribute.
 *
 * The model follows what is written as a VT terminal would (xterm's rules:
 * deferred wrap at the right margin, CR to column 0, LF as CR LF — ConPTY
 * without DISABLE_NEWLINE_AUTO_RETURN and a Unix tty with ONLCR both do
 * that —, scrolling at the bottom row, BS, HT to the next multiple of 8,
 * CSI cursor movements and erases, OSC strings skipped). SGR and other
 * sequences pass through unmodelled: the terminal keeps them.
 *
 * Rows: row 0 is the first row the console wrote on. DECIDED: the console
 * cannot know where on the terminal's screen it started (winsilo does not
 * clear the screen at start, unlike a ConPTY without
 * PSEUDOCONSOLE_INHERIT_CURSOR), so absolute positions (CUP) count from
 * that row and a repaint moves relative to the cursor; after `cls`
 * (CUP home + ED 2) the model and the terminal agree exactly.
 *
 * Cost: the model sits on every byte a program writes to the console, so
 * a row is kept as a plain string while it holds only printable ASCII and
 * blanks (the bulk of what programs write): a run of such bytes is found
 * with one native regular-expression scan of the chunk and lands in its
 * row as one slice, not one cell at a time. A row turns into an array of
 * cells only when a non-ASCII character is put on it (wide characters need
 * per-cell bookkeeping). And a chunk that scrolls the whole window away
 * is followed from where its visible part starts (scrolledOff).
 */
import { encodeText, Pipe } from './pipe.js';

/** A cell: its character, '' for the right half of a wide character, undefined blank. */
type Cell = string | undefined;
/**
 * A row: a string when each cell holds one printable ASCII character (a
 * blank is a space), else its cells. Both forms show the same text.
 */
type Row = string | Cell[];

/** The first byte that is not printable ASCII, found in a chunk decoded as Latin-1 (one character a byte). */
const NOT_PRINTABLE = /[^\x20-\x7e]/g;

/**
 * Legacy attribute → SGR, as conhost's VT renderer sends a legacy colour
 * (microsoft/terminal VtEngine 16-colour rendition): the Windows colour
 * index has blue in bit 0 and red in bit 2, the ANSI index the reverse;
 * the intensity bit selects the bright range (90–97, 100–107). The
 * console's default foreground (7) and background (0) are the terminal's
 * default colours (SGR 39, 49), as conhost maps the legacy default
 * attributes to its default colours (TextAttribute's legacy defaults).
 */
export function attributeSgr(attr: number, defaults: number): string {
  const fg = attr & 0x0f;
  const bg = (attr >> 4) & 0x0f;
  const ansi = (i: number): number => ((i & 1) << 2) | (i & 2) | ((i & 4) >> 2);
  const f = fg === (defaults & 0x0f) ? 39 : (fg & 8 ? 90 : 30) + ansi(fg);
  const b = bg === ((defaults >> 4) & 0x0f) ? 49 : (bg & 8 ? 100 : 40) + ansi(bg);
  return `\x1b[${f}m\x1b[${b}m`;
}

type ParseState = 'text' | 'esc' | 'csi' | 'osc' | 'oscEsc' | 'utf8';

export class ScreenBuffer extends Pipe {
  /** 0 … columns; `columns` means the wrap is pending (the cursor sits on the last column). */
  column = 0;
  /** The cursor's row, 0 … rows − 1. */
  row = 0;
  /** Rows written on so far (a repaint covers these; the rest of the window is blank). */
  used = 1;
  /** The rows from row 0; a missing row is blank. */
  private lines: Row[] = [''];
  private savedColumn = 0;
  private savedRow = 0;
  private state: ParseState = 'text';
  private params = '';
  private codePoint = 0;
  private need = 0;

  constructor(private readonly screen: { readonly columns: number; readonly rows: number }) {
    super();
  }

  override write(data: Uint8Array): Promise<void> {
    this.follow(data);
    return super.write(data);
  }

  /** Console-generated output (echo, title, a repaint): no handle needed; dropped when nobody reads. */
  inject(data: Uint8Array): void {
    // A failed write's promise is already handled (pipe.ts rejected()): nothing to catch.
    void this.write(data);
  }

  /** The text of row `y` as the window shows it (blanks as spaces, trailing blanks trimmed). */
  rowText(y: number): string {
    const line = this.lines[y];
    if (line === undefined) return '';
    if (typeof line === 'string') return line.trimEnd();
    let s = '';
    for (let x = 0; x < line.length; x++) s += line[x] ?? ' ';
    return s.trimEnd();
  }

  /** The window changed size: rows past the bottom scroll off the top, columns past the edge are cut. */
  resized(columns: number, rows: number): void {
    if (this.column > columns) this.column = columns;
    this.lines = this.lines.map((line) => (line.length <= columns ? line : line.slice(0, columns)));
    if (this.row >= rows) {
      const drop = this.row - rows + 1;
      this.lines.splice(0, drop);
      this.row -= drop;
      this.used = Math.max(1, this.used - drop);
    }
    if (this.used > rows) this.used = rows;
    if (this.lines.length > rows) this.lines.length = rows;
  }

  /**
   * Repaints the window in `sgr` (FillConsoleOutputAttribute over the whole
   * buffer): from the first row written on, the window is erased in the new
   * colours (ED 0 paints with the current background, as xterm's and
   * xterm.js's erase do), every row written is rewritten, the cursor put
   * back where it was (a pending wrap included). The cursor is hidden
   * meanwhile, as ConPTY's renderer does around a frame.
   */
  repaint(sgr: string): void {
    const columns = this.screen.columns;
    let out = `\x1b[?25l${sgr}\r`;
    if (this.row > 0) out += `\x1b[${this.row}A`;
    out += '\x1b[J';
    const last = this.used - 1;
    for (let y = 0; y <= last; y++) {
      if (y > 0) out += '\r\x1b[B';
      out += this.rowText(y);
    }
    out += '\r';
    if (last > this.row) out += `\x1b[${last - this.row}A`;
    if (this.column >= columns) {
      // A pending wrap: step back onto the last character and write it again (a wide one from its first cell).
      const line = this.lines[this.row];
      const cell = (x: number): Cell => (line === undefined || x >= line.length ? undefined : line[x]);
      const wide = columns > 1 && cell(columns - 1) === '' && (cell(columns - 2) ?? '') !== '';
      const at = wide ? columns - 2 : columns - 1;
      if (at > 0) out += `\x1b[${at}C`;
      out += (wide ? cell(columns - 2) : cell(columns - 1)) || ' ';
    } else if (this.column > 0) out += `\x1b[${this.column}C`;
    out += '\x1b[?25h';
    // The repaint moves nothing in the model: it goes past the follower.
    void super.write(encodeText(out));
  }

  private follow(data: Uint8Array): void {
    const width = this.screen.columns;
    const n = data.length;
    // The chunk as Latin-1, made on the first printable run: runs are found and sliced in it.
    let text: string | undefined;
    for (let i = this.state === 'text' ? this.scrolledOff(data) : 0; i < n; i++) {
      const b = data[i]!;
      switch (this.state) {
        case 'text':
          if (b >= 0x20 && b < 0x7f) {
            // A run of printable ASCII, the bulk of what programs write.
            text ??= latin1(data);
            NOT_PRINTABLE.lastIndex = i;
            const end = NOT_PRINTABLE.exec(text)?.index ?? n;
            this.putAscii(text, i, end, width);
            i = end - 1;
          } else if (b >= 0xc0) {
            this.need = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
            this.codePoint = b & (b >= 0xf0 ? 0x07 : b >= 0xe0 ? 0x0f : 0x1f);
            this.state = 'utf8';
          } else if (b === 0x0d) this.column = 0;
          else if (b === 0x0a) this.lineFeed();
          else if (b === 0x08) this.column = Math.max(0, Math.min(this.column, width - 1) - 1);
          else if (b === 0x09) {
            // HT at a pending wrap does nothing (xterm.js); else the next stop, at most the last column.
            if (this.column < width) this.column = Math.min(width - 1, (Math.floor(this.column / 8) + 1) * 8);
          }
          else if (b === 0x1b) this.state = 'esc';
          break;
        case 'utf8':
          if ((b & 0xc0) !== 0x80) {
            this.state = 'text';
            i--;
            break;
          }
          this.codePoint = (this.codePoint << 6) | (b & 0x3f);
          if (--this.need === 0) {
            this.state = 'text';
            this.put(String.fromCodePoint(this.codePoint), cellWidth(this.codePoint), width);
          }
          break;
        case 'esc':
          if (b === 0x5b) {
            this.state = 'csi';
            this.params = '';
          } else if (b === 0x5d) this.state = 'osc';
          else {
            if (b === 0x37) {
              this.savedColumn = this.column;
              this.savedRow = this.row;
            } else if (b === 0x38) {
              this.column = this.savedColumn;
              this.row = this.savedRow;
            }
            this.state = 'text';
          }
          break;
        case 'csi':
          if (b >= 0x40 && b <= 0x7e) {
            this.csi(String.fromCharCode(b), width);
            this.state = 'text';
          } else this.params += String.fromCharCode(b);
          break;
        case 'osc':
          if (b === 0x07) this.state = 'text';
          else if (b === 0x1b) this.state = 'oscEsc';
          break;
        case 'oscEsc':
          this.state = b === 0x5c ? 'text' : 'osc';
          break;
      }
    }
  }

  /**
   * Where in `data` following must start for the window to end up right,
   * skipping what scrolls off unseen. Without ESC the cursor only moves
   * down (LF) or along its row (CR, BS, HT, text), so once a chunk holds
   * 2 × rows line feeds, the cursor is at the bottom row after the first
   * `rows` of them and every row above scrolls off before the last
   * `rows − 1` are done: the window is whatever follows the `rows`-th line
   * feed from the end, written from column 0 of a blank bottom row. Saved
   * cursor positions (ESC 7, CSI s) are left as they are, as a scroll
   * leaves them. 0 when the shortcut does not apply.
   */
  private scrolledOff(data: Uint8Array): number {
    const rows = this.screen.rows;
    if (data.length < 2 * rows || data.indexOf(0x1b) >= 0) return 0;
    let p = data.length;
    let cut = 0;
    for (let k = 0; k < 2 * rows; k++) {
      if (p === 0) return 0;
      p = data.lastIndexOf(0x0a, p - 1);
      if (p < 0) return 0;
      if (k === rows - 1) cut = p + 1;
    }
    this.lines = [];
    this.row = rows - 1;
    this.column = 0;
    this.used = rows;
    return cut;
  }

  /** Row `y` as cells (a string row is turned into cells), made if missing. */
  private cells(y: number): Cell[] {
    while (this.lines.length <= y) this.lines.push('');
    const l = this.lines[y]!;
    if (typeof l !== 'string') return l;
    const a: Cell[] = l.split('');
    this.lines[y] = a;
    return a;
  }

  private put(ch: string, cells: number, width: number): void {
    if (cells === 0) return;
    if (this.column + cells > width) {
      // A wide character that does not fit in the last column leaves that cell blank (xterm.js).
      if (this.column < width) this.erase(this.row, this.column, width);
      this.column = 0;
      this.lineFeed();
    }
    const l = this.cells(this.row);
    // Writing over half of a wide character blanks its other half (as terminals do).
    if (l[this.column] === '' && this.column > 0) l[this.column - 1] = undefined;
    const last = this.column + cells - 1;
    if (l[last + 1] === '') l[last + 1] = undefined;
    while (l.length < this.column) l.push(undefined);
    l[this.column] = ch;
    if (cells === 2) l[this.column + 1] = '';
    this.column += cells;
  }

  /** Writes the printable ASCII `text[from, to)`, wrapping at the right margin. */
  private putAscii(text: string, from: number, to: number, width: number): void {
    let c = this.column;
    for (let pos = from; pos < to; ) {
      if (c >= width) {
        this.column = c;
        this.lineFeed();
        c = 0;
      }
      const take = Math.min(to - pos, width - c);
      this.writeRow(this.row, c, text.slice(pos, pos + take));
      c += take;
      pos += take;
    }
    this.column = c;
  }

  /** Puts printable ASCII `s` on row `y` from column `c` (it fits before the margin). */
  private writeRow(y: number, c: number, s: string): void {
    while (this.lines.length <= y) this.lines.push('');
    const l = this.lines[y]!;
    if (typeof l === 'string') {
      const len = l.length;
      if (c === len) this.lines[y] = len === 0 ? s : l + s;
      else if (c > len) this.lines[y] = l + ' '.repeat(c - len) + s;
      else this.lines[y] = l.slice(0, c) + s + l.slice(c + s.length);
      return;
    }
    // A row of cells: one at a time, blanking the other half of a wide character written over.
    for (let k = 0; k < s.length; k++, c++) {
      const len = l.length;
      if (c < len) {
        if (l[c] === '' && c > 0) l[c - 1] = undefined;
        if (c + 1 < len && l[c + 1] === '') l[c + 1] = undefined;
      } else while (l.length < c) l.push(undefined);
      l[c] = s[k];
    }
  }

  private lineFeed(): void {
    this.column = 0;
    if (this.row + 1 < this.screen.rows) {
      this.row++;
      if (this.row >= this.used) this.used = this.row + 1;
      return;
    }
    this.lines.shift();
    this.lines.push('');
  }

  private erase(y: number, from: number, to: number): void {
    const l = this.lines[y];
    if (l === undefined) return;
    if (typeof l === 'string') {
      if (to >= l.length) this.lines[y] = l.slice(0, Math.min(l.length, from));
      else if (from < to) this.lines[y] = l.slice(0, from) + ' '.repeat(to - from) + l.slice(to);
      return;
    }
    // A wide character cut by the range is blanked whole (as terminals erase).
    if (from > 0 && l[from] === '') l[from - 1] = undefined;
    if (to < l.length && l[to] === '') l[to] = undefined;
    if (to >= l.length) l.length = Math.min(l.length, from);
    else for (let x = from; x < to; x++) l[x] = undefined;
  }

  private csi(final: string, width: number): void {
    if (this.params.startsWith('?')) return; // DEC private modes (cursor visibility …): no position change
    const p = this.params.split(';').map((s) => (s === '' ? 0 : Number.parseInt(s, 10) || 0));
    const n = Math.max(1, p[0] ?? 0);
    const from = Math.min(this.column, width - 1);
    const rows = this.screen.rows;
    switch (final) {
      case 'C':
        this.column = Math.min(width - 1, from + n);
        break;
      case 'D':
        this.column = Math.max(0, from - n);
        break;
      case 'G':
      case '`':
        this.column = Math.min(width - 1, n - 1);
        break;
      case 'H':
      case 'f':
        this.row = Math.min(rows - 1, n - 1);
        this.column = Math.min(width - 1, Math.max(1, p[1] ?? 0) - 1);
        if (this.row >= this.used) this.used = this.row + 1;
        break;
      case 'E':
      case 'F':
        this.column = 0;
        this.row = final === 'E' ? Math.min(rows - 1, this.row + n) : Math.max(0, this.row - n);
        if (this.row >= this.used) this.used = this.row + 1;
        break;
      case 'A':
        this.column = from;
        this.row = Math.max(0, this.row - n);
        break;
      case 'B':
        this.column = from;
        this.row = Math.min(rows - 1, this.row + n);
        if (this.row >= this.used) this.used = this.row + 1;
        break;
      case 's':
        this.savedColumn = this.column;
        this.savedRow = this.row;
        break;
      case 'u':
        this.column = this.savedColumn;
        this.row = this.savedRow;
        break;
      // Erases leave the cursor (a pending wrap too) where it is; at a pending wrap the erase
      // to the right starts past the last column, as xterm.js erases.
      case 'K': {
        const mode = p[0] ?? 0;
        const at = this.column;
        if (mode === 0) this.erase(this.row, at, Number.MAX_SAFE_INTEGER);
        else if (mode === 1) this.erase(this.row, 0, at + 1);
        else this.erase(this.row, 0, Number.MAX_SAFE_INTEGER);
        break;
      }
      case 'J': {
        const mode = p[0] ?? 0;
        const at = this.column;
        if (mode === 0) {
          this.erase(this.row, at, Number.MAX_SAFE_INTEGER);
          this.lines.length = Math.min(this.lines.length, this.row + 1);
          this.used = this.row + 1;
        } else if (mode === 1) {
          for (let y = 0; y < this.row; y++) this.erase(y, 0, Number.MAX_SAFE_INTEGER);
          this.erase(this.row, 0, at + 1);
        } else {
          this.lines = [];
          this.used = this.row + 1;
        }
        break;
      }
    }
  }
}

/**
 * A chunk as one character a byte, for finding and slicing its printable
 * ASCII runs. (WHATWG's "latin1" is windows-1252, which maps every byte to
 * one UTF-16 unit, so indices stay those of the bytes; bytes 0x80 and up
 * become other characters, never printable ASCII. A TextDecoder costs a
 * third of Buffer's toString on the small writes programs make.)
 */
const LATIN1 = new TextDecoder('latin1');
function latin1(data: Uint8Array): string {
  return LATIN1.decode(data);
}

/**
 * Cells a character takes on the screen (wcwidth's rules, simplified):
 * combining marks and zero-width characters 0, East Asian Wide and
 * Fullwidth characters and emoji 2, everything else 1. DECIDED: a compact
 * range table rather than the full Unicode EastAsianWidth data; it covers
 * CJK, Hangul, fullwidth forms and the emoji blocks.
 */
export function cellWidth(codePoint: number): number {
  if (codePoint < 0x300) return codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0) ? 0 : 1;
  for (const [lo, hi] of ZERO_WIDTH) if (codePoint >= lo && codePoint <= hi) return 0;
  if (codePoint < 0x1100) return 1;
  for (const [lo, hi] of WIDE) if (codePoint >= lo && codePoint <= hi) return 2;
  return 1;
}

const ZERO_WIDTH: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200f],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
  [0xfeff, 0xfeff],
];

const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];
