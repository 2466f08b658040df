/**
 * winsilo's one tar reader and writer (tar-stream), for docker cp's
 * archives, ADD's local archives and build contexts; layer tars and
 * docker-archives (layer-tar.ts, archive.ts) stream through the same
 * library with their own headers. ustar headers, PAX records or GNU long
 * names for names over 100 bytes (what Go's archive/tar writes), contents
 * padded to 512, two zero blocks at the end.
 *
 * Reading yields one entry at a time as the body arrives, so an archive of
 * any size streams; only one file's bytes are held at once. A damaged
 * archive is a TarError with Go's archive/tar words (`archive/tar: invalid
 * tar header`, `unexpected EOF`).
 *
 * tar-stream is required at its first use: loading it costs ~9 ms, on
 * every CLI start if imported at load, though an interactive `winsilo run`
 * of a pulled image never reads a tar (issue 7: first prompt ≤ 150 ms
 * after Node's start-up).
 */
import { createRequire } from 'node:module';
import type tar from 'tar-stream';
import { foldSegments } from './go-path.js';

let loaded: typeof tar | undefined;

function tarStream(): typeof tar {
  return (loaded ??= createRequire(import.meta.url)('tar-stream') as typeof tar);
}

/** tar-stream's pack(): a writer of a tar stream. */
export function tarPack(): tar.Pack {
  return tarStream().pack();
}

/** tar-stream's extract(): a reader of a tar stream, its entries as they come. */
export function tarExtract(): tar.Extract {
  return tarStream().extract();
}

export interface TarEntry {
  /** `/`-separated; a directory's name may end with `/`. */
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'link';
  mode: number;
  /** Unix ms. */
  mtime: number;
  /** A file's bytes (empty for the other types). */
  data: Uint8Array;
  /** A symbolic link's target, or the archive name a hard link names. */
  linkname?: string;
}

export class TarError extends Error {
  override readonly name = 'TarError';
}

type Header = Partial<tar.Header> & { name: string };

/** The largest time tar-stream's ustar field carries faithfully (it computes in 32-bit signed seconds). */
const USTAR_SAFE_SECONDS = 2 ** 31 - 1;
/** ustar's 11 octal digits. */
const USTAR_MAX_SECONDS = 8 ** 11 - 1;

/** The archive of `entries`, in order, as it is made: each entry is taken from `entries` only when the reader wants more. */
export function packTarStream(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): AsyncIterable<Uint8Array> {
  const pack = tarPack();
  void (async () => {
    try {
      for await (const e of entries) {
        const secs = Math.floor(e.mtime / 1000);
        const h: Header & { pax?: Record<string, string> } = { name: e.name, mode: e.mode & 0o7777, uid: 0, gid: 0, mtime: new Date(Math.min(secs, USTAR_MAX_SECONDS) * 1000), type: e.type };
        // Past 2038 tar-stream's octal field wraps; Go's writer uses a PAX record there, and so does this one.
        if (secs > USTAR_SAFE_SECONDS || secs < 0) h.pax = { mtime: String(secs) };
        if (e.type === 'symlink' || e.type === 'link') h.linkname = e.linkname ?? '';
        const body = e.type === 'file' ? Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength) : Buffer.alloc(0);
        await new Promise<void>((resolve, reject) => pack.entry(h, body, (err) => (err ? reject(err) : resolve())));
      }
      pack.finalize();
    } catch (err) {
      pack.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  })();
  return pack as unknown as AsyncIterable<Uint8Array>;
}

/** The archive of `entries` in one buffer. */
export async function packTar(entries: Iterable<TarEntry> | AsyncIterable<TarEntry>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of packTarStream(entries)) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

/**
 * The entries of an archive, one at a time. Pax global headers, devices
 * and fifos are skipped (moby's Untar ignores the first; a Windows
 * container has no device nodes).
 */
export async function* unpackTar(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncIterable<TarEntry> {
  const extract = tarExtract();
  let stopped = false;
  const feed = (async () => {
    try {
      for await (const chunk of source) {
        if (stopped) continue; // drained, not broken off: breaking a request's iterator destroys its socket before the answer
        if (chunk.byteLength === 0) continue;
        if (!extract.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
          await new Promise<void>((r) => {
            extract.once('drain', () => r());
            extract.once('close', () => r());
          });
        }
      }
      if (!stopped) (extract as unknown as { end(): void }).end();
    } catch (e) {
      extract.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();
  let finished = false;
  try {
    for await (const x of extract) {
      const e = x as unknown as AsyncIterable<Uint8Array> & { header: tar.Header; resume(): unknown };
      const h = e.header;
      const paxTime = (h as tar.Header & { pax?: Record<string, string> }).pax?.mtime;
      const mtime = paxTime !== undefined && /^-?\d+(\.\d+)?$/.test(paxTime) ? Math.floor(Number(paxTime)) * 1000 : h.mtime ? h.mtime.getTime() : 0;
      const base = { name: h.name, mode: h.mode ?? 0o644, mtime };
      if (h.type === 'file' || h.type === 'contiguous-file') {
        const parts: Buffer[] = [];
        for await (const c of e) parts.push(Buffer.from(c));
        yield { ...base, type: 'file', data: Buffer.concat(parts) };
        continue;
      }
      e.resume();
      if (h.type === 'directory') yield { ...base, type: 'directory', data: new Uint8Array() };
      else if (h.type === 'symlink') yield { ...base, type: 'symlink', data: new Uint8Array(), linkname: h.linkname ?? '' };
      else if (h.type === 'link') yield { ...base, type: 'link', data: new Uint8Array(), linkname: h.linkname ?? '' };
    }
    finished = true;
  } catch (e) {
    throw tarError(e);
  } finally {
    if (!finished) {
      // The reader stopped early (a refused entry): stop reading the body too.
      stopped = true;
      extract.destroy();
    }
    await feed;
  }
}

/** tar-stream's failures in Go's archive/tar words. */
function tarError(e: unknown): unknown {
  if (e instanceof TarError || !(e instanceof Error)) return e;
  if (/unexpected end|premature close/i.test(e.message)) return new TarError('unexpected EOF');
  if (/invalid tar header|checksum/i.test(e.message)) return new TarError('archive/tar: invalid tar header');
  return e;
}

/** Windows filepath.Clean of an archive name: `/` as `\\`, `.` dropped, `..` folded (a leading one kept). */
export function cleanName(name: string): string {
  const rooted = /^[\\/]/.test(name);
  const drive = /^[A-Za-z]:/.exec(name)?.[0] ?? '';
  // A `..` with nothing to take back goes after a root or a drive.
  const body = foldSegments(name.slice(drive.length).split(/[\\/]/), rooted || drive !== '').join('\\');
  return drive + (rooted || (drive && /^[A-Za-z]:[\\/]/.test(name)) ? '\\' : '') + (body === '' && !rooted && !drive ? '.' : body);
}
