/**
 * Output helpers the system programs share: CRLF lines (Windows programs
 * write `\r\n`), column padding, the thousands grouping of the en-US locale
 * the images carry (Control Panel\International sThousand `,`, sGrouping
 * `3;0`), and reading a whole file through the silo's file system.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { readToEnd } from '../../../kernel/fs/whole-file.js';

export const CRLF = '\r\n';

/** Lines joined and terminated with CRLF. */
export function lines(...ls: string[]): string {
  return ls.map((l) => l + CRLF).join('');
}

export function padRight(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length);
}

export function padLeft(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

/** `12,345` — the en-US grouping of a non-negative integer. */
export function thousands(n: number): string {
  return Math.trunc(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Case-insensitive equality, as Windows compares names. */
export function sameName(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}

/**
 * `*` and `?` wildcards, case-insensitive, anchored (the patterns tasklist's
 * IMAGENAME filter and taskkill /IM accept).
 */
export function wildcard(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** The whole content of a file of the silo (throws Win32Error as CreateFile/ReadFile do). */
export function readWholeFile(ctx: ProcessContext, path: string): Uint8Array {
  const fs = ctx.fs;
  if (!fs) throw new Error('no file system');
  const h = fs.open(path, ctx.cwd, { disposition: 'open', read: true, nonDirectory: true, shareRead: true, shareWrite: true, shareDelete: true });
  try {
    return readToEnd(h);
  } finally {
    h.close();
  }
}

/** Writes a whole file of the silo, replacing what was there. */
export function writeWholeFile(ctx: ProcessContext, path: string, data: Uint8Array): void {
  const fs = ctx.fs;
  if (!fs) throw new Error('no file system');
  const h = fs.open(path, ctx.cwd, { disposition: 'overwriteIf', write: true, nonDirectory: true });
  try {
    h.setSize(0);
    if (data.length > 0) h.write(0, data);
  } finally {
    h.close();
  }
}

/** decodeURIComponent that leaves a malformed escape as written (curl does not fail on one). */
export function percentDecode(s: string): string {
  return s.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}
