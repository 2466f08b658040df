/**
 * Reading an open file to its end: ReadFile in a loop from offset 0 until
 * the size the handle reported, stopping early if a read returns nothing
 * (a file truncated meanwhile). The caller opens the file with the access
 * and share modes its program uses, and closes it.
 */
import type { FileHandle } from './types.js';

export function readToEnd(h: FileHandle): Uint8Array {
  const size = h.info().size;
  const out = new Uint8Array(size);
  let at = 0;
  while (at < size) {
    const n = h.read(at, out.subarray(at));
    if (n <= 0) break;
    at += n;
  }
  return at === size ? out : out.subarray(0, at);
}
