/**
 * Writing COPY/ADD sources into a layer's volume (moby performCopyForInfo):
 * a folder's contents go into the destination folder; a file goes to
 * `dest\<name>` when the destination ends with `\` or is an existing
 * folder, else to `dest` itself; missing parent folders are created; an
 * existing file is overwritten. ADD extracts a local tar archive (plain or
 * gzip) into the destination instead of copying it.
 */
import { gunzipSync } from 'node:zlib';
import { Win32Error, ERROR_ALREADY_EXISTS } from '../../core/win32.js';
import { FILE_ATTRIBUTE_DIRECTORY, type NtfsVolume } from '../../kernel/fs/index.js';

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
 * ADD of a local archive: its entries under `dest`. Returns false when the
 * bytes are not a tar (moby then copies the file as it is).
 */
export function extractTarInto(volume: NtfsVolume, bytes: Buffer, dest: string): boolean {
  let data = bytes;
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = gunzipSync(data);
    } catch {
      return false;
    }
  }
  const entries = readTarEntries(data);
  if (!entries) return false;
  const folder = dest.replace(/\\+$/, '');
  mkdirs(volume, folder);
  for (const e of entries) {
    const parts = e.name.split('/').filter((s) => s !== '' && s !== '.');
    // An archive's `..` never climbs out of the destination.
    const safe: string[] = [];
    for (const s of parts) {
      if (s === '..') safe.pop();
      else safe.push(s);
    }
    if (safe.length === 0) continue;
    const p = `${folder}\\${safe.join('\\')}`;
    if (e.directory) mkdirs(volume, p);
    else writeFile(volume, p, e.data, e.mtime);
  }
  return true;
}

/** A ustar reader (synchronous: the layer is written inside one step); undefined when the header checksum fails. */
function readTarEntries(data: Buffer): { name: string; directory: boolean; data: Buffer; mtime: number }[] | undefined {
  const out: { name: string; directory: boolean; data: Buffer; mtime: number }[] = [];
  let at = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (at + 512 <= data.length) {
    const h = data.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const sum = Number.parseInt(h.subarray(148, 156).toString('latin1').replace(/\0.*$/, '').trim(), 8);
    let computed = 0;
    for (let i = 0; i < 512; i++) computed += i >= 148 && i < 156 ? 32 : h[i]!;
    if (!Number.isFinite(sum) || sum !== computed) return out.length === 0 ? undefined : out;
    const field = (o: number, n: number): string => h.subarray(o, o + n).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156]!);
    const prefix = field(345, 155);
    let name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const mtime = Number.parseInt(field(136, 12).trim() || '0', 8) * 1000;
    const body = data.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (m) paxPath = m[1];
      continue;
    }
    if (type === 'g') continue;
    if (longName) name = longName;
    if (paxPath) name = paxPath;
    longName = undefined;
    paxPath = undefined;
    if (type === '5') out.push({ name, directory: true, data: Buffer.alloc(0), mtime });
    else if (type === '0' || type === '\0' || type === '7') out.push({ name, directory: false, data: Buffer.from(body), mtime });
    // Links and devices are not extracted (DECIDED: no reparse points from ADD archives).
  }
  return out;
}
