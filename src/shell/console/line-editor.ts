/**
 * The edit line of a cooked read, and what each key does to it — conhost's
 * rules (microsoft/terminal src/host/cmdline.cpp ProcessCommandLine and
 * the cooked read's ordinary keys):
 *
 *   printable     inserted at the cursor, or in overwrite mode replaces the
 *                 character under it (appends at the end); ignored once
 *                 the line is full
 *   Backspace     deletes the character before the cursor
 *   Delete        deletes the character under the cursor (nothing at the end)
 *   Left / Right  move one character; Right at the end copies the character
 *                 at the same place in the last command shown (F1)
 *   Ctrl+Left/Right  move by words (space-delimited: conhost's default
 *                 word delimiter set is the space)
 *   Home / End    to the start / the end
 *   Ctrl+Home     deletes from the start to the cursor
 *   Ctrl+End      deletes from the cursor to the end
 *   Esc           clears the line
 *   Insert        toggles insert and overwrite mode for this read (the
 *                 console's own mode is restored on the next read)
 *   Up / Down, PgUp / PgDn  history (history.ts)
 *   Tab / Shift+Tab  the caller's completion
 *
 * The line is held as an array of code points so that the cursor never
 * splits a surrogate pair.
 */
import type { EditKey, Key } from './keys.js';
import { lastShown, recall, recallEnd } from './history.js';
import type { Completer, LineHistory } from './read-line.js';

export class LineEditor {
  /** The line, one code point per element. */
  chars: string[] = [];
  /** Index into chars (0 … chars.length). */
  cursor = 0;
  /** Insert mode (ENABLE_INSERT_MODE, the console's default), or overwrite. */
  insert = true;

  constructor(
    private readonly maxChars: number,
    private readonly history: LineHistory | undefined,
    private readonly complete: Completer | undefined,
  ) {}

  get line(): string {
    return this.chars.join('');
  }

  /** Applies one key (not Enter: the reader ends the line itself). */
  apply(key: Key): void {
    switch (key.type) {
      case 'text':
        this.type(key.text);
        return;
      case 'backspace':
        if (this.cursor > 0) this.chars.splice(--this.cursor, 1);
        return;
      case 'escape':
        this.set('', 0);
        return;
      case 'tab':
        this.completion(key.shift);
        return;
      case 'enter':
        return;
      default:
        this.editKey(key.type, key.ctrl);
    }
  }

  /** Replaces the whole line (history recall, completion). */
  set(line: string, cursor: number): void {
    this.chars = Array.from(line).slice(0, this.maxChars);
    this.cursor = Math.max(0, Math.min(this.chars.length, cursor));
  }

  private type(text: string): void {
    // By code point, indexed (no string iterator), and push at the end of the line (splice
    // returns a new array): a typed key runs this, and what it allocates brings the next
    // collection nearer (issue 7's keystroke tail).
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const ch = cp > 0xffff ? text.slice(i, i + 2) : text[i]!;
      i += ch.length;
      if (this.insert || this.cursor === this.chars.length) {
        if (this.chars.length >= this.maxChars) return;
        if (this.cursor === this.chars.length) this.chars.push(ch);
        else this.chars.splice(this.cursor, 0, ch);
        this.cursor++;
      } else {
        this.chars[this.cursor++] = ch;
      }
    }
  }

  private editKey(k: EditKey, ctrl: boolean): void {
    const n = this.chars.length;
    switch (k) {
      case 'left':
        if (ctrl) this.cursor = this.wordLeft();
        else if (this.cursor > 0) this.cursor--;
        return;
      case 'right':
        if (ctrl) this.cursor = this.wordRight();
        else if (this.cursor < n) this.cursor++;
        else this.copyFromLast();
        return;
      case 'home':
        if (ctrl) this.chars.splice(0, this.cursor);
        this.cursor = 0;
        return;
      case 'end':
        if (ctrl) this.chars.splice(this.cursor);
        else this.cursor = n;
        return;
      case 'delete':
        if (this.cursor < n) this.chars.splice(this.cursor, 1);
        return;
      case 'insert':
        this.insert = !this.insert;
        return;
      case 'up':
      case 'down': {
        if (!this.history) return;
        const entry = recall(this.history, k === 'up' ? 'previous' : 'next');
        if (entry !== undefined) this.set(entry, Number.MAX_SAFE_INTEGER);
        return;
      }
      case 'pageUp':
      case 'pageDown': {
        if (!this.history) return;
        const entry = recallEnd(this.history, k === 'pageUp' ? 'oldest' : 'newest');
        if (entry !== undefined) this.set(entry, Number.MAX_SAFE_INTEGER);
        return;
      }
    }
  }

  /** Right at the end of the line: F1, one character from the last command. */
  private copyFromLast(): void {
    if (!this.history || this.chars.length >= this.maxChars) return;
    const last = lastShown(this.history);
    if (last === undefined) return;
    const ch = Array.from(last)[this.cursor];
    if (ch === undefined) return;
    this.chars.push(ch);
    this.cursor++;
  }

  private wordLeft(): number {
    let i = this.cursor;
    while (i > 0 && this.chars[i - 1] === ' ') i--;
    while (i > 0 && this.chars[i - 1] !== ' ') i--;
    return i;
  }

  private wordRight(): number {
    const n = this.chars.length;
    let i = this.cursor;
    while (i < n && this.chars[i] !== ' ') i++;
    while (i < n && this.chars[i] === ' ') i++;
    return i;
  }

  private completion(reverse: boolean): void {
    if (!this.complete) return;
    // The completer works on UTF-16 offsets, as cmd's buffer does.
    const before = this.chars.slice(0, this.cursor).join('').length;
    const r = this.complete(this.line, before, reverse);
    if (!r) return;
    const cursorChars = Array.from(r.line.slice(0, Math.max(0, Math.min(r.line.length, r.cursor)))).length;
    this.set(r.line, cursorChars);
  }
}
