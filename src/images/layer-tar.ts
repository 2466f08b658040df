/**
 * The Windows layer tar (windows-facts §4): what hcsshim's ociwclayer
 * ExportLayerToTar writes and ImportLayerFromTar reads, for a layer that is
 * a snapshotted `blocks` disk (the whole C: as of the layer) plus the
 * registry hives it adds or changes.
 *
 * Layout, as hcsshim's legacy layer reader walks a layer folder (Files, then
 * Hives; tombstones right after the directory that held them):
 *
 *   Files/                         the volume's root directory itself
 *   Files/<path>                   a file, directory, link or hard link that
 *                                  is new or changed against the parent layer,
 *                                  and every directory above one
 *   Files/<dir>/.wh.<name>         a whiteout: <name> was in the parent, not here
 *   Hives/                         always present
 *   Hives/<Name>_Delta             the hive deltas the layer carries
 *
 * Every entry carries the PAX records go-winio's backuptar writes
 * (backuptar/tar.go BasicInfoHeader): MSWINDOWS.fileattr (the Win32
 * attributes, decimal), LIBARCHIVE.creationtime (PAX time), and atime /
 * mtime as Go's archive/tar writes them for FormatPAX (mtime only
 * when it has a fraction of a second); keys sorted, as Go sorts them.
 * Reparse points are type-2 (symlink) entries whose linkname is the target
 * without its `\??\` prefix; MSWINDOWS.mountpoint=1 marks a junction (go-winio
 * DecodeReparsePoint / EncodeReparsePoint). A second name of a file with
 * several links is a type-1 (hard link) entry naming the first.
 *
 * DECIDED (winsilo's, no fact to follow):
 *  - Hives/<Name>_Delta hold winsilo's serialised hive (src/kernel/registry/
 *    serialise.ts, "WSRH"), not regf: the form the registry already keeps
 *    layers in, deterministic and round-tripping tombstones. Names as
 *    hcsshim's legacy reader spells them (System_Delta, Software_Delta,
 *    Sam_Delta, Security_Delta, DefaultUser_Delta) plus User_Delta for the
 *    default user's hive (Windows keeps that in Files/Users/<user>/NTUSER.DAT).
 *    A base layer's complete hives go there too (Windows also has them in
 *    Files/Windows/System32/config, which here hold only a `regf` stub).
 *  - No MSWINDOWS.rawsd: the file system does not model security
 *    descriptors; an imported rawsd / sd is accepted and dropped.
 *  - Entries in NTFS index order (the volume's listing order, upcased
 *    names), not Go's byte order: either is deterministic.
 *  - No ctime record (go-winio writes the change time): the volume cannot set a
 *    change time, so an imported layer would export differently.
 *  - uid/gid 0, mode 0 for files and links (tar-stream keeps only the
 *    permission bits of hcsshim's c_ISDIR / c_ISREG), whiteouts dated 0.
 * Same layer, same bytes: every input is the volume's own data and times.
 */
import { createHash } from 'node:crypto';
import type tar from 'tar-stream';
import { tarExtract, tarPack } from './tar-stream.js';
import { STATUS_SUCCESS } from '../core/ntstatus.js';
import { NtStatusError } from '../core/errors.js';
import type { BlockStore } from '../core/blocks/index.js';
import { ERROR_INVALID_DATA, ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, ERROR_REPARSE_POINT_ENCOUNTERED, Win32Error } from '../core/win32.js';
import { formatVolume, mountVolume, namesEqual, SETTABLE_ATTRIBUTES, type NtfsVolume } from '../kernel/fs/index.js';
import {
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  IO_REPARSE_TAG_MOUNT_POINT,
  IO_REPARSE_TAG_SYMLINK,
  ReparseRequired,
  type FileInfo,
  type ReparseData,
} from '../kernel/fs/types.js';
import { parseHive, serialiseHive, type Hive } from '../kernel/registry/index.js';
import { SANDBOX_BYTES } from './base/synthesize.js';
import { HIVE_NAMES, type HiveName } from './types.js';

/** The whiteout prefix (hcsshim pkg/ociwclayer WhiteoutPrefix, as in every OCI layer). */
export const WHITEOUT_PREFIX = '.wh.';
/** go-winio backuptar's PAX keys. */
export const PAX_FILE_ATTRIBUTES = 'MSWINDOWS.fileattr';
export const PAX_RAW_SECURITY_DESCRIPTOR = 'MSWINDOWS.rawsd';
export const PAX_MOUNT_POINT = 'MSWINDOWS.mountpoint';
export const PAX_CREATION_TIME = 'LIBARCHIVE.creationtime';

/** `Hives/` file names per hive (hcsshim internal/wclayer legacy.go reads `Hives\System_Delta`; User_Delta is winsilo's). */
export const HIVE_DELTA_FILES: Readonly<Record<HiveName, string>> = {
  SYSTEM: 'System_Delta',
  SOFTWARE: 'Software_Delta',
  SAM: 'Sam_Delta',
  SECURITY: 'Security_Delta',
  DEFAULT: 'DefaultUser_Delta',
  USER: 'User_Delta',
};

/** Read size while copying file data: large enough to amortise a volume call, small enough to stream. */
const CHUNK = 1 << 20;

/** A layer as the exporter sees it. */
export interface LayerContent {
  store: BlockStore;
  /** The layer's disk (snapshotted, or a stopped container's sandbox). */
  disk: number;
  /** The disk of the layer below (0: a base layer, exported whole). */
  parentDisk: number;
  /** The hive deltas the layer carries. */
  hives: Readonly<Partial<Record<HiveName, Hive>>>;
}

/** One change of `docker diff` (Windows: only C = 0 and D = 2, docker-engine-api §5.4). */
export interface LayerChange {
  Path: string;
  Kind: 0 | 2;
}

/** An entry being read (streamx's Readable, typed as far as used here). */
type EntryStream = AsyncIterable<Uint8Array> & { resume(): unknown; header: tar.Header };

type PaxHeaders = Partial<tar.Header> & { name: string; pax?: Record<string, string> };

interface Change {
  /** Volume path (`\Windows\x`). */
  path: string;
  /** null: a whiteout. */
  info: FileInfo | null;
}

/**
 * The changes of `disk` against `parentDisk`, in export order: every new or
 * changed name, the directories above it, whiteouts for names gone.
 */
export function layerChanges(store: BlockStore, disk: number, parentDisk: number): Change[] {
  const layer = mountVolume(store, disk, { clock: () => 0 });
  const parent = parentDisk === 0 ? undefined : mountVolume(store, parentDisk, { clock: () => 0 });
  const out: Change[] = [{ path: '\\', info: layer.stat('\\') }];
  if (parent) {
    const d = store.diff(parentDisk, disk);
    if (d.status === STATUS_SUCCESS && d.ranges.length === 0) return out;
  }
  walk(layer, parent, '\\', out);
  return out;
}

/** Appends the changes under directory `dir`; returns whether there were any. */
function walk(layer: NtfsVolume, parent: NtfsVolume | undefined, dir: string, out: Change[]): boolean {
  const mine = layer.list(dir);
  const theirs = parent ? listOrEmpty(parent, dir) : [];
  const prefix = dir === '\\' ? '\\' : `${dir}\\`;
  let any = false;
  // Whiteouts first, right after their directory (hcsshim lists a directory's tombstones after it).
  for (const t of theirs) {
    if (!mine.some((m) => namesEqual(m.name, t.name))) {
      out.push({ path: prefix + t.name, info: null });
      any = true;
    }
  }
  for (const m of mine) {
    const path = prefix + m.name;
    const t = theirs.find((x) => namesEqual(x.name, m.name));
    const isLink = (m.attributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0;
    if (m.attributes & FILE_ATTRIBUTE_DIRECTORY && !isLink) {
      const at = out.length;
      out.push({ path, info: m });
      const sameDir = t !== undefined && t.attributes === m.attributes && sameTimes(t, m) && t.name === m.name;
      const inner = walk(layer, t && t.attributes & FILE_ATTRIBUTE_DIRECTORY && !(t.attributes & FILE_ATTRIBUTE_REPARSE_POINT) ? parent : undefined, path, out);
      if (!inner && sameDir) out.splice(at, 1);
      else any = true;
      continue;
    }
    if (t && sameFile(layer, parent!, path, m, t)) continue;
    out.push({ path, info: m });
    any = true;
  }
  return any;
}

function listOrEmpty(v: NtfsVolume, dir: string): FileInfo[] {
  try {
    return v.list(dir);
  } catch (e) {
    if (e instanceof Win32Error && (e.code === ERROR_FILE_NOT_FOUND || e.code === ERROR_PATH_NOT_FOUND)) return [];
    throw e;
  }
}

function sameTimes(a: FileInfo, b: FileInfo): boolean {
  return a.creationTime === b.creationTime && a.lastWriteTime === b.lastWriteTime && a.changeTime === b.changeTime;
}

/** Whether a non-directory name reads the same in both volumes (metadata, link target, bytes). */
function sameFile(layer: NtfsVolume, parent: NtfsVolume, path: string, m: FileInfo, t: FileInfo): boolean {
  if (m.name !== t.name || m.attributes !== t.attributes || m.size !== t.size || !sameTimes(m, t) || m.linkCount !== t.linkCount) return false;
  if (m.reparse || t.reparse) return JSON.stringify(m.reparse) === JSON.stringify(t.reparse);
  const a = layer.open(path, { disposition: 'open', read: true });
  const b = parent.open(path, { disposition: 'open', read: true });
  try {
    const x = new Uint8Array(Math.min(CHUNK, m.size));
    const y = new Uint8Array(x.length);
    for (let at = 0; at < m.size; at += x.length) {
      const n = a.read(at, x);
      b.read(at, y);
      if (Buffer.compare(x.subarray(0, n), y.subarray(0, n)) !== 0) return false;
    }
    return true;
  } finally {
    a.close();
    b.close();
  }
}

/** Win32 milliseconds as a PAX time (`secs[.frac]`, trailing zeros trimmed, as Go's formatPAXTime). */
function paxTime(ms: number): string {
  const secs = Math.floor(ms / 1000);
  const frac = ms - secs * 1000;
  if (frac === 0) return String(secs);
  return `${secs}.${String(frac * 1e6).padStart(9, '0')}`.replace(/0+$/, '');
}

function parsePaxTime(s: string | undefined): number | undefined {
  if (s === undefined || !/^-?\d+(\.\d+)?$/.test(s)) return undefined;
  const [secs, frac = ''] = s.split('.');
  return Number(secs) * 1000 + Math.round(Number(`0.${frac || '0'}`) * 1000);
}

function sortedRecords(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}

function tarName(path: string): string {
  return path === '\\' ? 'Files' : `Files${path.replace(/\\/g, '/')}`;
}

function headerFor(path: string, info: FileInfo): PaxHeaders {
  const pax: Record<string, string> = {
    [PAX_FILE_ATTRIBUTES]: String(info.attributes),
    [PAX_CREATION_TIME]: paxTime(info.creationTime),
    atime: paxTime(info.lastAccessTime),
  };
  if (info.lastWriteTime % 1000 !== 0) pax.mtime = paxTime(info.lastWriteTime);
  const h: PaxHeaders = { name: tarName(path), mode: 0, uid: 0, gid: 0, size: 0, mtime: new Date(Math.floor(info.lastWriteTime / 1000) * 1000), type: 'file' };
  if (info.reparse) {
    h.type = 'symlink';
    h.linkname = linkTarget(info.reparse).replace(/\\/g, '/');
    if (info.reparse.tag === IO_REPARSE_TAG_MOUNT_POINT) pax[PAX_MOUNT_POINT] = '1';
  } else if (info.attributes & FILE_ATTRIBUTE_DIRECTORY) {
    h.type = 'directory';
  } else h.size = info.size;
  h.pax = sortedRecords(pax);
  return h;
}

/** go-winio DecodeReparsePoint's Target: the substitute name without `\??\` (a relative symlink's as stored). */
function linkTarget(r: ReparseData): string {
  return r.substituteName.startsWith('\\??\\') ? r.substituteName.slice(4) : r.substituteName;
}

/** What the tar writes for `content`, as a stream of bytes. Same layer, same bytes. */
export function exportLayer(content: LayerContent): AsyncIterable<Uint8Array> {
  const pack = tarPack();
  void writeLayer(pack, content).catch((e: unknown) => pack.destroy(e instanceof Error ? e : new Error(String(e))));
  return pack as unknown as AsyncIterable<Uint8Array>;
}

async function writeLayer(pack: tar.Pack, content: LayerContent): Promise<void> {
  const { store, disk } = content;
  const changes = layerChanges(store, disk, content.parentDisk);
  const volume = mountVolume(store, disk, { clock: () => 0 });
  const firstName = new Map<number, string>();
  for (const c of changes) {
    if (c.info === null) {
      const at = c.path.lastIndexOf('\\');
      const name = tarName(c.path.slice(0, at) || '\\') + '/' + WHITEOUT_PREFIX + c.path.slice(at + 1);
      await entry(pack, { name, mode: 0, uid: 0, gid: 0, size: 0, mtime: new Date(0), type: 'file' });
      continue;
    }
    const info = c.info;
    // Any non-directory with several names, a reparse point too (hcsshim: numberOfLinks > 1).
    if (!(info.attributes & FILE_ATTRIBUTE_DIRECTORY) && info.linkCount > 1) {
      const first = firstName.get(info.fileId);
      if (first !== undefined) {
        const h = headerFor(c.path, info);
        h.type = 'link';
        h.size = 0;
        h.linkname = first;
        await entry(pack, h);
        continue;
      }
      firstName.set(info.fileId, tarName(c.path));
    }
    const h = headerFor(c.path, info);
    if (h.type !== 'file' || info.size === 0) {
      await entry(pack, h);
      continue;
    }
    let w!: ReturnType<tar.Pack['entry']>;
    const done = new Promise<void>((resolve, reject) => {
      w = pack.entry(h, (e) => (e ? reject(e) : resolve()));
    });
    const handle = volume.open(c.path, { disposition: 'open', read: true, openReparsePoint: true });
    try {
      for (let at = 0; at < info.size; ) {
        const buf = Buffer.allocUnsafe(Math.min(CHUNK, info.size - at));
        const n = handle.read(at, buf);
        if (n <= 0) throw new Win32Error('ReadFile', ERROR_INVALID_DATA, c.path);
        at += n;
        if (!w.write(n === buf.length ? buf : buf.subarray(0, n))) await new Promise<void>((r) => w.once('drain', () => r()));
      }
    } finally {
      handle.close();
    }
    (w as unknown as { end(): void }).end();
    await done;
  }
  await entry(pack, { name: 'Hives', mode: 0, uid: 0, gid: 0, size: 0, mtime: new Date(0), type: 'directory', pax: sortedRecords({ [PAX_FILE_ATTRIBUTES]: String(FILE_ATTRIBUTE_DIRECTORY), [PAX_CREATION_TIME]: '0', atime: '0' }) } as PaxHeaders);
  for (const name of sortedHiveNames(content.hives)) {
    const bytes = Buffer.from(serialiseHive(content.hives[name]!));
    await entry(pack, { name: `Hives/${HIVE_DELTA_FILES[name]}`, mode: 0, uid: 0, gid: 0, size: bytes.length, mtime: new Date(0), type: 'file', pax: sortedRecords({ [PAX_FILE_ATTRIBUTES]: '32', [PAX_CREATION_TIME]: '0', atime: '0' }) } as PaxHeaders, bytes);
  }
  pack.finalize();
}

/** The carried hives in the order their files sort (DefaultUser, Sam, Security, Software, System, User). */
function sortedHiveNames(hives: Readonly<Partial<Record<HiveName, Hive>>>): HiveName[] {
  return HIVE_NAMES.filter((n) => hives[n] !== undefined).sort((a, b) => (HIVE_DELTA_FILES[a] < HIVE_DELTA_FILES[b] ? -1 : 1));
}

function entry(pack: tar.Pack, h: PaxHeaders, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    // Always with a body: an entry without one waits for its end() (tar-stream), even at size 0.
    pack.entry(h, body ?? Buffer.alloc(0), (e) => (e ? reject(e) : resolve()));
  });
}


/** Exports `content` into one buffer, with its sha256 (the layer's diff id). */
export async function exportLayerBytes(content: LayerContent): Promise<{ bytes: Buffer; diffId: string }> {
  const parts: Buffer[] = [];
  const hash = createHash('sha256');
  for await (const chunk of exportLayer(content)) {
    parts.push(chunk as Buffer);
    hash.update(chunk as Buffer);
  }
  return { bytes: Buffer.concat(parts), diffId: `sha256:${hash.digest('hex')}` };
}

/** What importLayer made. */
export interface ImportedLayer {
  /** The new layer's disk: a clone of the parent's (or a new volume) with the tar applied, snapshotted. */
  disk: number;
  hives: Partial<Record<HiveName, Hive>>;
  /** sha256 of the tar as read. */
  diffId: string;
  /** Bytes of the tar. */
  tarBytes: number;
  /** Bytes of file data written (ImportLayerFromTar's total size). */
  fileBytes: number;
}

/**
 * Applies a Windows layer tar onto a clone of `parentDisk` (0: a new, empty
 * volume) and snapshots it. A tar that is not a layer (an entry outside
 * Files/ and Hives/, a bad hive, bytes that are not a tar, a hard link to a
 * name outside Files/) fails with Win32Error ERROR_INVALID_DATA
 * (ERROR_BADDB for a hive that does not parse) and leaves no disk behind.
 *
 * Containment (issue 11, test/security): entries are applied to the
 * layer's own volume, never to a host path. A name with `..` or a colon is
 * refused by the volume as a name (ERROR_INVALID_NAME, as NtCreateFile
 * relative to the layer root refuses it in hcsshim's safefile); an entry
 * *through* a reparse point the tar made earlier (`Files/link/x` after
 * `Files/link` → `C:\Windows`) is ERROR_REPARSE_POINT_ENCOUNTERED, as
 * hcsshim opens every name with OBJ_DONT_REPARSE
 * (STATUS_REPARSE_POINT_ENCOUNTERED); a hard link's target must name a
 * file under Files/ (hcsshim legacy.go AddLink: "invalid hard link in layer").
 */
export async function importLayer(store: BlockStore, parentDisk: number, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<ImportedLayer> {
  let disk: number;
  let volume: NtfsVolume;
  if (parentDisk !== 0) {
    const r = store.clone(parentDisk);
    if (r.status !== STATUS_SUCCESS) throw new NtStatusError('blocks.clone', r.status, `disk ${parentDisk}`);
    disk = r.disk;
    volume = mountVolume(store, disk, { clock: () => 0 });
  } else {
    const r = store.createDisk(SANDBOX_BYTES);
    if (r.status !== STATUS_SUCCESS) throw new NtStatusError('blocks.createDisk', r.status, 'layer');
    disk = r.disk;
    volume = formatVolume(store, disk, { clock: () => 0 });
  }
  try {
    const hash = createHash('sha256');
    let tarBytes = 0;
    const extract = tarExtract();
    // An error of the source itself (a failed read) is passed on as it is;
    // anything else tar-stream raises means the bytes are not a tar.
    let sourceError: Error | undefined;
    const feed = (async () => {
      try {
        for await (const chunk of source) {
          const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          hash.update(b);
          tarBytes += b.length;
          if (!extract.write(b)) await new Promise<void>((r) => extract.once('drain', () => r()));
        }
        (extract as unknown as { end(): void }).end();
      } catch (e) {
        sourceError = e instanceof Error ? e : new Error(String(e));
        extract.destroy(sourceError);
      }
    })();
    const hives: Partial<Record<HiveName, Hive>> = {};
    const dirTimes: { path: string; info: Partial<FileInfo> }[] = [];
    let fileBytes = 0;
    try {
      for await (const x of extract) {
        const e = x as unknown as EntryStream;
        const h = e.header as PaxHeaders;
        const name = h.name.replace(/\/+$/, '');
        if (name === 'Hives' || name === 'Files' || name.startsWith('Files/') || name.startsWith('Hives/')) {
          if (name.startsWith('Hives/')) {
            const hive = (Object.keys(HIVE_DELTA_FILES) as HiveName[]).find((n) => HIVE_DELTA_FILES[n].toUpperCase() === name.slice(6).toUpperCase());
            // Only a regular file has a body: a directory (or link) entry's size is ignored, as
            // Go's archive/tar ignores it for header-only types — and tar-stream never ends the
            // body stream of a directory that announces one, so reading it would wait for ever.
            if (!hive || (h.type !== 'file' && h.type !== 'contiguous-file')) {
              e.resume();
              throw new Win32Error('ImportLayer', ERROR_INVALID_DATA, name);
            }
            const bytes = await readAll(e);
            hives[hive] = parseHive(bytes);
            continue;
          }
          if (name === 'Hives') {
            e.resume();
            continue;
          }
          try {
            fileBytes += await applyEntry(volume, name, h, e, dirTimes);
          } catch (err) {
            if (err instanceof ReparseRequired) throw new Win32Error('ImportLayer', ERROR_REPARSE_POINT_ENCOUNTERED, name);
            throw err;
          }
          continue;
        }
        // UtilityVM/ (Hyper-V base layers) and anything else: not a layer winsilo can hold.
        throw new Win32Error('ImportLayer', ERROR_INVALID_DATA, name);
      }
    } catch (err) {
      // tar-stream's own failures (not a tar, a bad checksum, data cut short —
      // raised by the entry iterator or by an entry's body stream) mean the
      // bytes are not a layer: answered in Windows' voice, never untyped.
      if (err === sourceError || err instanceof Win32Error || err instanceof NtStatusError) throw err;
      // Go's archive/tar words: ErrHeader for a header, io.ErrUnexpectedEOF for data cut short.
      const header = err instanceof Error && /header/i.test(err.message);
      throw new Win32Error('ImportLayer', ERROR_INVALID_DATA, header ? 'archive/tar: invalid tar header' : 'unexpected EOF');
    }
    await feed;
    // Directory times last: creating their children changed them.
    for (const d of dirTimes.reverse()) volume.setTimes(d.path, d.info);
    const snap = store.snapshot(disk);
    if (snap !== STATUS_SUCCESS) throw new NtStatusError('blocks.snapshot', snap, `disk ${disk}`);
    return { disk, hives, diffId: `sha256:${hash.digest('hex')}`, tarBytes, fileBytes };
  } catch (e) {
    store.deleteDisk(disk);
    throw e;
  }
}

async function readAll(s: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

function allZeros(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function volumePath(tarPath: string): string {
  const rest = tarPath.slice('Files'.length).replace(/\//g, '\\');
  return rest === '' ? '\\' : rest;
}

/** Removes `path` (a file, link or whole directory tree) if it exists. */
function removeTree(v: NtfsVolume, path: string): void {
  let info: FileInfo;
  try {
    info = v.stat(path, { openReparsePoint: true });
  } catch (e) {
    if (e instanceof Win32Error && (e.code === ERROR_FILE_NOT_FOUND || e.code === ERROR_PATH_NOT_FOUND)) return;
    throw e;
  }
  // Read-only files cannot be deleted (ERROR_ACCESS_DENIED): clear the bit first, as the layer writer's Remove does.
  if (info.attributes & 0x1) v.setAttributes(path, info.attributes & SETTABLE_ATTRIBUTES & ~0x1);
  if (info.attributes & FILE_ATTRIBUTE_DIRECTORY && !(info.attributes & FILE_ATTRIBUTE_REPARSE_POINT)) {
    for (const c of v.list(path)) removeTree(v, `${path === '\\' ? '' : path}\\${c.name}`);
    v.removeDirectory(path);
  } else if (info.attributes & FILE_ATTRIBUTE_DIRECTORY) v.removeDirectory(path);
  else v.deleteFile(path);
}

async function applyEntry(v: NtfsVolume, name: string, h: PaxHeaders, body: AsyncIterable<Uint8Array> & { resume(): unknown }, dirTimes: { path: string; info: Partial<FileInfo> }[]): Promise<number> {
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (base.startsWith(WHITEOUT_PREFIX)) {
    body.resume();
    const dir = volumePath(name.slice(0, name.lastIndexOf('/')));
    removeTree(v, `${dir === '\\' ? '' : dir}\\${base.slice(WHITEOUT_PREFIX.length)}`);
    return 0;
  }
  const path = volumePath(name);
  const pax = h.pax ?? {};
  const mtime = parsePaxTime(pax.mtime) ?? (h.mtime ? h.mtime.getTime() : 0);
  const times = { creationTime: parsePaxTime(pax[PAX_CREATION_TIME]) ?? mtime, lastAccessTime: parsePaxTime(pax.atime) ?? mtime, lastWriteTime: mtime };
  const attrText = pax[PAX_FILE_ATTRIBUTES];
  const attributes = attrText !== undefined && /^\d+$/.test(attrText) ? Number(attrText) : h.type === 'directory' ? FILE_ATTRIBUTE_DIRECTORY : 0;
  let written = 0;
  if (h.type === 'directory') {
    body.resume();
    if (path !== '\\') {
      let exists = false;
      try {
        const st = v.stat(path, { openReparsePoint: true });
        exists = (st.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0 && !(st.attributes & FILE_ATTRIBUTE_REPARSE_POINT);
      } catch (e) {
        if (!(e instanceof Win32Error)) throw e;
      }
      if (!exists) {
        removeTree(v, path);
        v.createDirectory(path);
      }
    }
    v.setAttributes(path, attributes & SETTABLE_ATTRIBUTES);
    dirTimes.push({ path, info: times });
    return 0;
  }
  removeTree(v, path);
  if (h.type === 'symlink') {
    body.resume();
    const target = (h.linkname ?? '').replace(/\//g, '\\');
    const mountPoint = pax[PAX_MOUNT_POINT] !== undefined;
    const relative = !mountPoint && !/^[A-Za-z]:\\|^\\\\/.test(target);
    const data: ReparseData = { tag: mountPoint ? IO_REPARSE_TAG_MOUNT_POINT : IO_REPARSE_TAG_SYMLINK, substituteName: relative ? target : `\\??\\${target}`, printName: target, relative };
    v.createReparsePoint(path, data, (attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0);
  } else if (h.type === 'link') {
    body.resume();
    const target = (h.linkname ?? '').replace(/\/+$/, '');
    if (!target.startsWith('Files/')) throw new Win32Error('ImportLayer', ERROR_INVALID_DATA, `invalid hard link in layer: ${name} -> ${target}`);
    v.createHardLink(path, volumePath(target));
    return 0;
  } else if (h.type === 'file' || h.type === 'contiguous-file') {
    const f = v.open(path, { disposition: 'create', write: true, nonDirectory: true });
    try {
      // Runs of zeros are left unwritten (they read as zeros and cost no blocks), as a sparse file keeps them.
      for await (const chunk of body) {
        if (!allZeros(chunk)) f.write(written, chunk);
        written += chunk.byteLength;
      }
      if (written > 0) f.setSize(written);
    } finally {
      f.close();
    }
  } else {
    body.resume();
    throw new Win32Error('ImportLayer', ERROR_INVALID_DATA, name);
  }
  v.setAttributes(path, attributes & SETTABLE_ATTRIBUTES);
  v.setTimes(path, times);
  return written;
}
