/**
 * Writing COPY/ADD sources into a layer's volume (moby performCopyForInfo):
 * a folder's contents go into the destination folder; a file goes to
 * `dest\<name>` when the destination ends with `\` or is an existing
 * folder, else to `dest` itself; missing parent folders are created; an
 * existing file is overwritten. ADD extracts a local tar archive (plain or
 * gzip) into the destination instead of copying it.
 */
import { gunzipSync } from 'node:zlib';
import { goQuote } from '../../cli/goformat.js';
import { Win32Error, ERROR_ALREADY_EXISTS } from '../../core/win32.js';
import { FILE_ATTRIBUTE_DIRECTORY, type NtfsVolume } from '../../kernel/fs/index.js';
import { foldSegments } from '../go-path.js';
import { TarError, unpackTar, type TarEntry } from '../tar-stream.js';

export interface CopySource {
  readonly kind: 'file' | 'directory';
  /** The source's last path element. */
  readonly name: string;
  /** Content hash (the cache key's part): `file:<hex>` / `dir:<hex>`. */
  readonly hash: string;
  read(): Buffer;
  readonly mtime: number;
  /** A folder's entries, parents before children, `/`-separated relative names. */
  readonly children?: readonly { rel: string; directory: boolean; data: Buffer; mtime: number }[];
}

function isDirectory(volume: NtfsVolume, path: string): boolean {
  try {
    return (volume.stat(path).attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
  } catch (e) {
    if (e instanceof Win32Error) return false;
    throw e;
  }
}

export function mkdirs(volume: NtfsVolume, path: string): void {
  const parts = path.split('\\').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    try {
      volume.createDirectory('\\' + parts.slice(0, i).join('\\'));
    } catch (e) {
      if (!(e instanceof Win32Error && e.code === ERROR_ALREADY_EXISTS)) throw e;
    }
  }
}

function writeFile(volume: NtfsVolume, path: string, data: Uint8Array, mtime: number): void {
  const parent = path.slice(0, path.lastIndexOf('\\'));
  if (parent !== '') mkdirs(volume, parent);
  const h = volume.open(path, { disposition: 'overwriteIf', write: true, nonDirectory: true });
  try {
    if (data.byteLength > 0) h.write(0, data);
  } finally {
    h.close();
  }
  if (mtime > 0) volume.setTimes(path, { lastWriteTime: mtime });
}

/** Copies one source to `dest` (a volume path, `\…`, trailing `\` meaning a folder). */
export function copyIntoVolume(volume: NtfsVolume, source: CopySource, dest: string): void {
  const folder = dest.replace(/\\+$/, '');
  if (source.kind === 'directory') {
    mkdirs(volume, folder);
    for (const c of source.children ?? []) {
      const p = `${folder}\\${c.rel.replace(/\//g, '\\')}`;
      if (c.directory) mkdirs(volume, p);
      else writeFile(volume, p, c.data, c.mtime);
    }
    return;
  }
  const intoFolder = dest.endsWith('\\') || (folder !== '' && isDirectory(volume, folder)) || folder === '';
  writeFile(volume, intoFolder ? `${folder}\\${source.name}` : folder, source.read(), source.mtime);
}

/**
 * An archive entry that would land outside the destination: moby's
 * go-archive `breakoutError` (Unpack: `"<name>" is outside of "<dest>"`;
 * createTarFile: `invalid hardlink "<target>" -> "<link>"` / `invalid
 * symlink "<path>" -> "<link>"`), names and paths as Windows' filepath
 * gives them and quoted as Go's %q.
 */
export class TarBreakoutError extends Error {
  override readonly name = 'TarBreakoutError';
}

/** Go's filepath.Clean on Windows for a relative tar name: `/` → `\\`, `.` dropped, `..` folded where it can be. */
function cleanRelative(name: string): string[] {
  return foldSegments(name.split(/[\\/]/), /^[\\/]/.test(name));
}

/** Go's filepath.Join(root, rel…) on Windows: `..` climbs the root's folders, never above its volume (`\\\\?\\Volume{…}`, `C:`). */
function joinClean(root: string, rel: readonly string[]): string {
  const volume = /^(\\\\\?\\[^\\]+|[A-Za-z]:)/.exec(root)?.[0] ?? '';
  const parts = root.slice(volume.length).split('\\').filter(Boolean);
  for (const seg of rel) {
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `${volume}\\${parts.join('\\')}`;
}

/**
 * An ADD source's archive entries (plain or gzip), or undefined when its
 * bytes are not an archive — moby's isArchivePath: the first header reads
 * (an empty archive is not one either); moby then copies the file as it
 * is. A damaged entry after the first fails the copy as moby's UntarPath
 * does (TarError, Go's archive/tar words).
 */
export async function readArchive(bytes: Buffer): Promise<TarEntry[] | undefined> {
  let data = bytes;
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = gunzipSync(data);
    } catch {
      return undefined;
    }
  }
  const entries: TarEntry[] = [];
  try {
    for await (const e of unpackTar([data])) entries.push(e);
  } catch (e) {
    if (e instanceof TarError && entries.length === 0) return undefined;
    throw e;
  }
  return entries.length > 0 ? entries : undefined;
}

/**
 * ADD of a local archive (readArchive's entries) under `dest` (a volume
 * path). An entry that climbs out of the destination (`../x`, `a/../../x`),
 * a hard link whose target is outside it, or a symbolic link whose target
 * resolves outside it throws TarBreakoutError, as moby's Unpack refuses
 * them; nothing is ever written outside `dest`. Absolute names land under
 * the destination (Go's filepath.Join keeps them inside). `shown` is the
 * destination as the error names it (the layer's mount path, see
 * builder.ts).
 */
export function extractTarInto(volume: NtfsVolume, entries: readonly TarEntry[], dest: string, shown: string = dest): void {
  const folder = dest.replace(/\\+$/, '');
  const shownRoot = shown.replace(/\\+$/, '');
  mkdirs(volume, folder);
  for (const e of entries) {
    const parts = cleanRelative(e.name);
    const cleanName = parts.length === 0 ? '.' : parts.join('\\');
    if (parts[0] === '..' && parts.length > 1) throw new TarBreakoutError(`${goQuote(cleanName)} is outside of ${goQuote(shownRoot)}`);
    // DECIDED: an entry naming the destination's parent itself (`..`) is skipped: moby's check lets it through
    // (filepath.Rel answers `..`, no separator) and would touch the folder above; nothing is written outside.
    if (parts[0] === '..' || parts.length === 0) continue;
    const p = `${folder}\\${parts.join('\\')}`;
    const linkname = e.linkname ?? '';
    if (e.type === 'link') {
      // createTarFile: the target is filepath.Join(extractDir, linkname), and must stay under it.
      const t = cleanRelative(linkname);
      if (t[0] === '..') throw new TarBreakoutError(`invalid hardlink ${goQuote(joinClean(shownRoot, t))} -> ${goQuote(linkname)}`);
      continue;
    }
    if (e.type === 'symlink') {
      // createTarFile: the target is filepath.Join(filepath.Dir(path), linkname), and must stay under extractDir.
      const t = cleanRelative(`${parts.slice(0, -1).join('/')}/${linkname.replace(/^[\\/]+/, '')}`);
      if (t[0] === '..') throw new TarBreakoutError(`invalid symlink ${goQuote(`${shownRoot}\\${parts.join('\\')}`)} -> ${goQuote(linkname)}`);
      // DECIDED: links inside the destination are not made (no reparse points from ADD archives).
      continue;
    }
    if (e.type === 'directory') mkdirs(volume, p);
    else writeFile(volume, p, e.data, e.mtime);
  }
}
