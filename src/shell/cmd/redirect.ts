/**
 * The files a redirection opens (phase 5.5): `>` creates or truncates,
 * `>>` appends, `<` reads. `NUL` (any directory, any extension, as Win32
 * reserves device names) is the null device; `CON` the console.
 */
import type { FileHandle, FileSystemView } from '../../kernel/fs/types.js';
import type { InputStream, OutputStream } from '../../kernel/process/pipe.js';
import { NUL, decodeText, encodeText } from '../../kernel/process/pipe.js';
import { readToEnd } from '../../kernel/fs/whole-file.js';

/** A file opened for writing by `>` / `>>`: writes go at the end, as cmd's handle moves on. */
export class FileOutput implements OutputStream {
  readonly isConsole = false;
  private position: number;
  constructor(private readonly handle: FileHandle) {
    this.position = handle.info().size;
  }
  write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === 'string' ? encodeText(data) : data;
    try {
      this.position += this.handle.write(this.position, bytes);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }
  close(): void {
    this.handle.close();
  }
}

/** A file's contents as a standard input (`<`). */
export class BufferInput implements InputStream {
  readonly isConsole = false;
  private at = 0;
  constructor(private readonly data: Uint8Array) {}
  read(maxBytes = Number.MAX_SAFE_INTEGER): Promise<Uint8Array | null> {
    if (this.at >= this.data.length) return Promise.resolve(null);
    const n = Math.min(maxBytes, this.data.length - this.at);
    const out = this.data.subarray(this.at, this.at + n);
    this.at += n;
    return Promise.resolve(out);
  }
  readLine(): Promise<string | null> {
    if (this.at >= this.data.length) return Promise.resolve(null);
    let end = this.data.indexOf(10, this.at);
    const next = end < 0 ? this.data.length : end + 1;
    if (end < 0) end = this.data.length;
    let stop = end;
    if (stop > this.at && this.data[stop - 1] === 13) stop--;
    const s = decodeText(this.data.subarray(this.at, stop));
    this.at = next;
    return Promise.resolve(s);
  }
  readAll(): Promise<Uint8Array> {
    const out = this.data.subarray(this.at);
    this.at = this.data.length;
    return Promise.resolve(out);
  }
  async readText(): Promise<string> {
    return decodeText(await this.readAll());
  }
}

/** True for a device name Win32 reserves (NUL, NUL.txt, C:\x\nul). */
export function deviceName(path: string): 'NUL' | 'CON' | undefined {
  const base = path.replace(/^.*[\\/:]/, '').replace(/\..*$/, '').replace(/[ .]+$/, '').toUpperCase();
  if (base === 'NUL') return 'NUL';
  if (base === 'CON') return 'CON';
  return undefined;
}

/** Reads a whole file (for `<`, `type`-like uses). Throws Win32Error. */
export function readWholeFile(fs: FileSystemView, path: string, cwd: string): Uint8Array {
  const h = fs.open(path, cwd, { disposition: 'open', read: true, nonDirectory: true, shareWrite: true });
  try {
    return readToEnd(h);
  } finally {
    h.close();
  }
}

export { NUL };
