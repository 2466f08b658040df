/**
 * Copying one file's data and metadata the way CopyFile does: contents,
 * attributes (plus FILE_ATTRIBUTE_ARCHIVE) and the last write time; the new
 * file's creation time is now. Shared by copy, move across volumes and
 * xcopy.
 */
import type { FileSystemView } from '../../../kernel/fs/types.js';
import { FILE_ATTRIBUTE_ARCHIVE, FILE_ATTRIBUTE_READONLY } from '../../../kernel/fs/types.js';
import { readToEnd } from '../../../kernel/fs/whole-file.js';

const CHUNK = 256 * 1024;

export function readWhole(fs: FileSystemView, path: string, cwd: string): Uint8Array {
  const h = fs.open(path, cwd, { disposition: 'open', read: true, shareRead: true, shareWrite: true, shareDelete: true });
  try {
    return readToEnd(h);
  } finally {
    h.close();
  }
}

/** Writes `data` as the whole content of `path` (created or truncated). */
export function writeWhole(fs: FileSystemView, path: string, cwd: string, data: Uint8Array, append = false): void {
  const h = fs.open(path, cwd, { disposition: append ? 'openIf' : 'overwriteIf', write: true, read: append, nonDirectory: true, shareRead: true });
  try {
    let pos = append ? h.info().size : 0;
    if (!append) h.setSize(0);
    for (let off = 0; off < data.length; ) {
      const n = h.write(pos, data.subarray(off, Math.min(data.length, off + CHUNK)));
      off += n;
      pos += n;
    }
  } finally {
    h.close();
  }
}

/** CopyFile(from, to, FALSE): the destination is replaced; attributes and last write time follow. */
export function copyFile(fs: FileSystemView, from: string, to: string, cwd: string): void {
  const info = fs.stat(from, cwd);
  const data = readWhole(fs, from, cwd);
  writeWhole(fs, to, cwd, data);
  fs.setTimes(to, cwd, { lastWriteTime: info.lastWriteTime });
  const attrs = (info.attributes & (FILE_ATTRIBUTE_READONLY | 0x2 | 0x4)) | FILE_ATTRIBUTE_ARCHIVE;
  fs.setAttributes(to, cwd, attrs);
}
