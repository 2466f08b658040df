/**
 * Metadata files of a data root, written so that a crash (kill -9, power
 * loss) leaves either the old content or the new, never a mix or an empty
 * file (design.md "State and durability": temp file + fsync + rename):
 *
 *   1. the bytes go to `<name>.tmp` in the same folder, which is fsynced;
 *   2. rename(2) replaces `<name>` atomically (POSIX: same file system);
 *   3. fsync of the folder makes the rename itself durable.
 *
 * Step 3 may be shared: `writeDurably(…, { syncFolder: false })` for each
 * file of a set, then one `syncFolder`. A `.tmp` left by a crash between
 * 1 and 2 is debris; the data root removes it when it opens.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const TEMP_SUFFIX = '.tmp';

/** Writes `bytes` to `path` atomically and durably (see the file comment). */
export function writeDurably(path: string, bytes: Uint8Array | string, options: { syncFolder?: boolean } = {}): void {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const tmp = path + TEMP_SUFFIX;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    let done = 0;
    while (done < data.length) done += writeSync(fd, data, done, data.length - done, done);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  if (options.syncFolder !== false) syncFolder(dirname(path));
}

/**
 * Makes the creations, renames and deletions in `folder` durable (POSIX:
 * fsync of the directory). Windows has no such call through Node (a
 * directory cannot be opened for fsync there); NTFS journals its own
 * metadata, so a rename there is as durable as the file system makes it.
 */
export function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Deletes `path` durably; a file already gone is not an error. */
export function unlinkDurably(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return;
  }
  syncFolder(dirname(path));
}

/** Deletes a folder and everything in it, durably (its parent is fsynced). */
export function removeTreeDurably(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  syncFolder(dirname(folder));
}
