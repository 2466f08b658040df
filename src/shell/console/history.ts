/**
 * Command history as conhost keeps it for a program (doskey's list; the
 * rules of microsoft/terminal src/host/history.cpp, AddCommand and
 * RetrieveCommand, and cmdline.cpp's Up/Down/PgUp/PgDn handling):
 *
 *  - An empty line is not added. A line equal to the most recent entry is
 *    not added again (HISTORY_NO_DUP_FLAG, "Discard old duplicates", is off
 *    by default, so older duplicates stay). When the list is full the
 *    oldest entry goes.
 *  - The history remembers the entry last shown ("LastDisplayed") and a
 *    reset flag. Adding a line sets the flag; it also moves the position to
 *    the newest entry unless the line added is the entry last shown — so
 *    after running a recalled command, Up shows it again and Down the one
 *    after it (run a sequence of old commands with Up, Enter, Down, Enter…).
 *  - Up: the first Up after a reset shows the entry at the position (the
 *    newest, from a fresh line), each further Up the one before it; Up at
 *    the oldest entry does nothing ("for doskey compatibility, buffer isn't
 *    circular"). Down shows the next entry and does nothing at the newest
 *    (the line keeps what it shows). With one entry both show it.
 *  - PgUp / PgDn show the oldest / newest entry.
 *  - Right arrow at the end of the line copies the character at the same
 *    place in the entry last shown (F1's behaviour).
 *
 * The entries live in the caller's LineHistory (read-line.ts's contract);
 * the position and flag live here, beside it.
 */
import type { LineHistory } from './read-line.js';

interface Position {
  /** Index into entries of the entry last shown; -1 when none (it was dropped). */
  lastDisplayed: number;
  /** Set when a line is added: the next Up shows the entry at lastDisplayed itself. */
  reset: boolean;
}

const positions = new WeakMap<LineHistory, Position>();

function positionOf(h: LineHistory): Position {
  let p = positions.get(h);
  if (!p) {
    p = { lastDisplayed: h.entries.length - 1, reset: true };
    positions.set(h, p);
  }
  // The caller may have edited its list (doskey /reinstall, cmd's own use): stay inside it.
  if (p.lastDisplayed >= h.entries.length) p.lastDisplayed = h.entries.length - 1;
  return p;
}

/** AddCommand: the line the user entered. */
export function addToHistory(h: LineHistory, line: string): void {
  if (line === '' || h.max <= 0) return;
  const p = positionOf(h);
  const e = h.entries;
  if (e.length === 0 || e[e.length - 1] !== line) {
    while (e.length >= h.max) {
      e.shift();
      p.lastDisplayed = p.lastDisplayed <= 0 ? -1 : p.lastDisplayed - 1;
    }
    e.push(line);
    if (p.lastDisplayed === -1 || e[p.lastDisplayed] !== line) p.lastDisplayed = e.length - 1;
  }
  p.reset = true;
}

/** Up (previous) or Down (next): the entry to show, or undefined when the key does nothing. */
export function recall(h: LineHistory, direction: 'previous' | 'next'): string | undefined {
  const e = h.entries;
  const n = e.length;
  if (n === 0) return undefined;
  const p = positionOf(h);
  if (direction === 'previous') {
    // AtFirstCommand: not after a reset; otherwise the oldest is the end.
    if (!p.reset && p.lastDisplayed === 0) return undefined;
    if (n === 1) p.lastDisplayed = 0;
    else if (p.reset) p.reset = false;
    else p.lastDisplayed = p.lastDisplayed <= 0 ? n - 1 : p.lastDisplayed - 1;
  } else {
    // AtLastCommand.
    if (p.lastDisplayed === n - 1) return undefined;
    p.lastDisplayed = n === 1 ? 0 : p.lastDisplayed + 1;
  }
  if (p.lastDisplayed < 0) p.lastDisplayed = n - 1;
  return e[p.lastDisplayed];
}

/** PgUp (oldest) / PgDn (newest). */
export function recallEnd(h: LineHistory, which: 'oldest' | 'newest'): string | undefined {
  const n = h.entries.length;
  if (n === 0) return undefined;
  const p = positionOf(h);
  p.lastDisplayed = which === 'oldest' ? 0 : n - 1;
  return h.entries[p.lastDisplayed];
}

/** GetLastCommand: the entry last shown (the newest when nothing was shown since). */
export function lastShown(h: LineHistory): string | undefined {
  const n = h.entries.length;
  if (n === 0) return undefined;
  const i = positionOf(h).lastDisplayed;
  return h.entries[i < 0 ? n - 1 : i];
}
