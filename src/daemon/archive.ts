/**
 * `docker cp` (docker-engine-api.md §3.11): `HEAD`/`GET`/`PUT
 * /containers/{id}/archive?path=…` on the container's C: (its sandbox
 * volume, running or stopped).
 *
 *  - Paths arrive as typed (`C:\x`, `C:/x`, `/x`): either separator, with
 *    or without the drive letter; relative ones are taken from C:\.
 *  - GET answers a tar of the path named by its base name (a directory
 *    recursively), and `X-Docker-Container-Path-Stat: base64(JSON)` with
 *    Go's os.FileMode (directory bit 1<<31; a Windows file 0666, read-only
 *    0444, a directory 0777). Entries are 0755 (moby masks with 0755 and
 *    adds 0111 for Windows containers, so copied-out files are -rwxr-xr-x).
 *  - HEAD: the stat header alone; a missing path is 404 `Could not find the
 *    file <path> in container <ref>` (the CLI then takes the destination as new).
 *  - PUT: the tar is extracted into `path`, which must be a directory
 *    (400 `extraction point is not a directory`), entry by entry as the
 *    body arrives. As moby's Untar (moby/go-archive archive.go): each name
 *    is cleaned (Windows filepath.Clean); one that climbs out of the
 *    destination is refused, `"..\\x" is outside of "C:\\dest"` (500, entries
 *    before it stay); a hard link whose target (joined to the destination)
 *    is outside it: `invalid hardlink "<target>" -> "<linkname>"`; a
 *    symbolic link whose target (joined to the link's folder) is outside
 *    it: `invalid symlink "<link>" -> "<linkname>"`.
 *  - GET writes a reparse point as a symlink entry (its target without
 *    `\??\`), never walking into it.
 *  - A running Hyper-V container: 500 `filesystem operations against a
 *    running Hyper-V container are not supported`.
 *
 * DECIDED: bind mounts are not followed (the copy sees the container's own
 * C:); a container never started has no sandbox yet and answers 500.
 * DECIDED: the breakout messages name the destination as the container
 * sees it (`C:\dest`); moby names the host folder it extracts into. A name
 * with a leading `/` lands under the destination, as moby's filepath.Join
 * puts it; a drive-qualified name (`C:/x`) would name another root on
 * Windows and is refused as outside. A symbolic link's absolute target
 * (`C:\Windows`, `\Windows`) is taken from the volume's root and checked
 * too (moby's lexical Join lets it through on Windows).
 */
import type { Container } from '../host/host.js';
import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_READONLY, type FileInfo } from '../kernel/fs/index.js';
import type { NtfsVolume } from '../kernel/fs/index.js';
import { FILE_ATTRIBUTE_REPARSE_POINT, IO_REPARSE_TAG_SYMLINK, ReparseRequired, type ReparseData } from '../kernel/fs/types.js';
import { Win32Error, ERROR_ALREADY_EXISTS, ERROR_FILE_NOT_FOUND, ERROR_INVALID_NAME, ERROR_PATH_NOT_FOUND, win32Message } from '../core/win32.js';
import type { Daemon } from './daemon.js';
import { ApiError, badRequest, notFound, serverError } from './errors.js';
import type { Exchange } from './exchange.js';
import type { Router } from './router.js';
import { goQuote } from '../cli/goformat.js';
import { cleanName, packTar, packTarStream, TarError, unpackTar, type TarEntry } from '../images/tar-stream.js';
import { readToEnd } from '../kernel/fs/whole-file.js';

const GO_MODE_DIR = 2 ** 31;

/** A typed path as a path on the C: volume (`\inetpub\wwwroot`), or an error for another drive. */
export function volumePath(typed: string): string {
  let p = typed.replace(/\//g, '\\');
  const drive = /^([A-Za-z]):/.exec(p);
  if (drive) {
    if (drive[1]!.toUpperCase() !== 'C') throw badRequest(`the path ${typed} is not on the container's C: drive`);
    p = p.slice(2);
  }
  const parts: string[] = [];
  for (const seg of p.split('\\')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '\\' + parts.join('\\');
}

function volumeOf(c: Container): NtfsVolume {
  if (c.isolation === 'hyperv' && c.status === 'running') throw serverError('filesystem operations against a running Hyper-V container are not supported');
  return c.fileSystem();
}

function statOrNull(v: NtfsVolume, path: string, opts: { openReparsePoint?: boolean } = {}): FileInfo | null {
  try {
    return v.stat(path, opts);
  } catch (e) {
    if (e instanceof Win32Error || e instanceof ReparseRequired) return null;
    throw e;
  }
}

/** moby/sys/symlink's limit on links followed in one path (255, as Linux's MAXSYMLINKS-like bound there). */
const MAX_LINKS = 255;

/**
 * The path a link leads to, in the container's scope, as moby's
 * FollowSymlinkInScope evaluates it over the container's volume on the host
 * (daemon/container/archive_windows.go ResolvePath, GetResourcePath): an
 * absolute target (`\??\C:\x`, `\x`) is taken from the volume's root, its drive
 * or `\??\` prefix dropped; a relative one from the link's folder. A bind
 * mount's link (`C:\data` → `\\?\ContainerMappedDirectories\<GUID>`, what
 * Windows shows inside the container) so leads to
 * `\ContainerMappedDirectories\<GUID>` on the container's volume, which does
 * not exist there: the host's copy never reaches a bind-mounted folder
 * (moby daemon/container_operations_windows.go mountVolumes is a no-op,
 * "you will still be able to cp to somewhere on the container drive, but
 * not to any mounted volumes"; moby/moby#34576 shows the path it tried).
 */
function linkTarget(at: string, data: ReparseData): string {
  let t = data.substituteName;
  if (data.relative) return joinVolume(at.slice(0, at.lastIndexOf('\\')) || '\\', t);
  t = t.replace(/^\\(\?\?|\\\?|\\\.)\\/, '\\').replace(/^\\?[A-Za-z]:/, '');
  return joinVolume('\\', t);
}

/**
 * `path` with every link in it followed in scope (the last one too when
 * `followLast`: moby's GetResourcePath for the extraction point; not for
 * GET/HEAD, whose ResolvePath leaves the last name to Lstat).
 */
export function resolveInScope(v: NtfsVolume, path: string, followLast: boolean): string {
  let p = path;
  for (let links = 0; links <= MAX_LINKS; links++) {
    try {
      const info = v.stat(p, { openReparsePoint: true });
      if (!followLast || !(info.attributes & FILE_ATTRIBUTE_REPARSE_POINT) || !info.reparse) return p;
      p = linkTarget(p, info.reparse);
    } catch (e) {
      if (e instanceof ReparseRequired) {
        p = joinVolume(linkTarget(e.at, e.data), e.remaining.replace(/^\\/, ''));
        continue;
      }
      if (e instanceof Win32Error) return p;
      throw e;
    }
  }
  // DECIDED: a link loop answers as a missing path (Go's os.Lstat would fail with ERROR_CANT_RESOLVE_FILENAME).
  return '\\ContainerMappedDirectories\\?';
}

/** The container's volume as moby's windowsfilter mounts it on the host (`\\?\Volume{GUID}\`), named from its id: DECIDED (the GUID is Windows' choice). */
export function hostVolumePath(id: string): string {
  const h = id.replace(/[^0-9a-f]/gi, '').padEnd(32, '0');
  return `\\\\?\\Volume{${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}}\\`;
}

const isDir = (i: FileInfo): boolean => (i.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;

/** Go's os.ModeSymlink. */
const GO_MODE_SYMLINK = 2 ** 27;

/**
 * A link is Lstat'ed (Go on Windows: 0666 or 0444 with ModeSymlink, no
 * ModeDir) and its target evaluated in scope (moby StatPath's linkTarget,
 * rooted at `\`): a bind mount's `C:\data` shows `\ContainerMappedDirectories\<GUID>`.
 */
function pathStat(name: string, i: FileInfo, target?: string): string {
  const link = (i.attributes & FILE_ATTRIBUTE_REPARSE_POINT) !== 0 && i.reparse !== undefined && target !== undefined;
  const rw = i.attributes & FILE_ATTRIBUTE_READONLY ? 0o444 : 0o666;
  const mode = link ? GO_MODE_SYMLINK + rw : isDir(i) ? GO_MODE_DIR + 0o777 : rw;
  return Buffer.from(JSON.stringify({ name, size: isDir(i) ? 0 : i.size, mode, mtime: new Date(i.lastWriteTime).toISOString(), linkTarget: link ? target : '' })).toString('base64');
}

function baseName(path: string): string {
  return path === '\\' ? '\\' : path.slice(path.lastIndexOf('\\') + 1);
}

function readFile(v: NtfsVolume, path: string): Uint8Array {
  const h = v.open(path, { disposition: 'open', read: true, shareRead: true, shareWrite: true, nonDirectory: true });
  try {
    return readToEnd(h);
  } finally {
    h.close();
  }
}

/**
 * A file whose header went out but whose data could not be read: the
 * archive ends there (see `entriesOf`).
 */
export interface UnreadEntry {
  name: string;
  size: number;
  mtime: number;
  /** The read's failure (moby logs it: `Can't add file <path> to tar: <error>`). */
  error: Win32Error;
}

/** A name gone since its folder was listed: what moby's Lstat in addTarFile fails on (the entry is skipped). */
const gone = (e: unknown): boolean => e instanceof Win32Error && (e.code === ERROR_FILE_NOT_FOUND || e.code === ERROR_PATH_NOT_FOUND);

/**
 * The entries of `path` for the archive, walked lazily (a file is read when
 * its entry is wanted), failing part-way as moby's Tarballer does
 * (go-archive archive.go Do, addTarFile; both errors only logged):
 *  - a name gone since its folder was listed (its Lstat fails) is skipped,
 *    a folder gone is not walked: the archive goes on and stays whole;
 *  - a file there but not readable (a sharing violation, access denied:
 *    Lstat succeeds, the header is written, the open fails) ends the
 *    archive after its header: every later WriteHeader fails (`missed
 *    writing N bytes`) and so does the writer's Close, so no more entries
 *    and no end-of-archive blocks follow — the answer is a 200 whose tar
 *    is cut short, which the CLI extracting it reports as `unexpected EOF`.
 *    `unread` receives that file; the caller writes its header and stops.
 */
export function* entriesOf(v: NtfsVolume, path: string, name: string, info: FileInfo, unread?: (u: UnreadEntry) => void): Generator<TarEntry> {
  if (info.attributes & FILE_ATTRIBUTE_REPARSE_POINT && info.reparse) {
    // Never walked into: it names another place (a junction can even name its own parent).
    const t = info.reparse.substituteName;
    yield { name, type: 'symlink', mode: 0o755, mtime: info.lastWriteTime, data: new Uint8Array(), linkname: t.startsWith('\\??\\') ? t.slice(4) : t };
    return;
  }
  if (!isDir(info)) {
    let data: Uint8Array;
    try {
      data = readFile(v, path);
    } catch (e) {
      if (gone(e)) return;
      if (!(e instanceof Win32Error) || !unread) throw e;
      unread({ name, size: info.size, mtime: info.lastWriteTime, error: e });
      return;
    }
    yield { name, type: 'file', mode: 0o755, mtime: info.lastWriteTime, data };
    return;
  }
  let children: FileInfo[];
  try {
    children = [...v.list(path)];
  } catch (e) {
    if (gone(e)) return;
    throw e;
  }
  yield { name: name + '/', type: 'directory', mode: 0o755, mtime: info.lastWriteTime, data: new Uint8Array() };
  for (const child of children) {
    if (child.name === '.' || child.name === '..') continue;
    let failed = false;
    yield* entriesOf(v, `${path === '\\' ? '' : path}\\${child.name}`, `${name}/${child.name}`, child, unread ? (u) => ((failed = true), unread(u)) : undefined);
    if (failed) return;
  }
}

/** End-of-archive: two zero blocks (tar-stream's finalize and Go's Writer.Close write the same). */
const END_OF_ARCHIVE = 1024;

/** The header block(s) a tar writer puts before `u`'s data (tar-stream's, as the rest of the archive). */
async function headerOnly(u: UnreadEntry): Promise<Buffer> {
  const whole = await packTar([{ name: u.name, type: 'file', mode: 0o755, mtime: u.mtime, data: new Uint8Array(u.size) }]);
  return whole.subarray(0, whole.length - END_OF_ARCHIVE - Math.ceil(u.size / 512) * 512);
}

export function registerArchiveRoutes(router: Router, d: Daemon): void {
  const find = (ex: Exchange, ref: string) => {
    const c = d.container(ref);
    const typed = ex.query.get('path') ?? '';
    if (typed === '') throw badRequest('bad parameter: path cannot be empty');
    const v = volumeOf(c);
    const path = volumePath(typed);
    // moby's ResolvePath: the folders followed in scope, the last name as it is (Lstat).
    // A path that asserts a folder (`C:\data\`, `C:\data\.`) has its last name in the folder part, followed too.
    const assertsDir = /[\\/]\.?$/.test(typed);
    const cut = path.lastIndexOf('\\');
    const dir = resolveInScope(v, assertsDir ? path : path.slice(0, cut) || '\\', true);
    const resolved = path === '\\' ? path : assertsDir ? dir : `${dir === '\\' ? '' : dir}${path.slice(cut)}`;
    const info = statOrNull(v, resolved, { openReparsePoint: true });
    return { c, v, path: resolved, typed, info };
  };

  router.add('HEAD', '/containers/([^/]+)/archive', (ex, [ref]) => {
    const { v, path, typed, info } = find(ex, ref!);
    if (!info) throw notFound(`Could not find the file ${typed} in container ${ref}`);
    ex.send(200, { 'X-Docker-Container-Path-Stat': pathStat(baseName(path), info, info.reparse ? resolveInScope(v, path, true) : undefined) });
  });

  router.add('GET', '/containers/([^/]+)/archive', async (ex, [ref]) => {
    const { v, path, typed, info } = find(ex, ref!);
    if (!info) throw notFound(`Could not find the file ${typed} in container ${ref}`);
    const name = path === '\\' ? '.' : baseName(path);
    const c = d.container(ref!);
    d.emit('container', 'archive-path', c.id, { image: c.image, name: c.name });
    // Streamed as it is read, at the client's pace (a folder can be the whole C:).
    const out = ex.stream(200, { 'Content-Type': 'application/x-tar', 'X-Docker-Container-Path-Stat': pathStat(baseName(path), info, info.reparse ? resolveInScope(v, path, true) : undefined) });
    // The last END_OF_ARCHIVE bytes are held back: if a file's data could not be read they are not
    // sent — that file's header is, and the archive ends there, as moby's does (entriesOf).
    let unreadEntry: UnreadEntry | undefined;
    let held = Buffer.alloc(0);
    try {
      for await (const chunk of packTarStream(entriesOf(v, path, name, info, (u) => (unreadEntry = u)))) {
        if (out.closed) break;
        held = Buffer.concat([held, chunk]);
        if (held.length > END_OF_ARCHIVE) {
          out.write(held.subarray(0, held.length - END_OF_ARCHIVE));
          held = Buffer.from(held.subarray(held.length - END_OF_ARCHIVE));
          await out.drained?.();
        }
      }
      if (!out.closed) out.write(unreadEntry ? await headerOnly(unreadEntry) : held);
    } finally {
      out.end();
    }
  });

  router.add('PUT', '/containers/([^/]+)/archive', async (ex, [ref]) => {
    const found = find(ex, ref!);
    const { v, typed } = found;
    // moby's containerExtractToDir: the extraction point with its last name followed too (GetResourcePath).
    const path = resolveInScope(v, found.path, true);
    const info = statOrNull(v, path);
    if (!info) throw notFound(`Could not find the file ${typed} in container ${ref}`);
    if (!isDir(info)) throw badRequest('extraction point is not a directory');
    const dest = `C:${path}`;
    // Where moby's Untar works on the host: the volume's mount path and the extraction folder, `\` ended (Go's filepath.Join of it and an entry).
    const host = `${hostVolumePath(found.c.id)}${path === '\\' ? '' : `${path.slice(1)}\\`}`;
    try {
      for await (const e of unpackTar(ex.bodyStream())) extractEntry(v, path, dest, typed, e, host);
    } catch (e) {
      if (e instanceof TarError) throw badRequest(e.message);
      // An entry through a bind mount's link: its folder is not on the container's volume (os.IsNotExist: moby's containerFileNotFound).
      if (e instanceof MissingInScope) throw notFound(`Could not find the file ${typed} in container ${ref}`);
      throw e;
    }
    const c = d.container(ref!);
    c.keepFiles();
    d.emit('container', 'extract-to-dir', c.id, { image: c.image, name: c.name });
    ex.send(200, {});
  });
}

/** `a` folded onto `base` (a volume path), `..` climbing; absolute `a` from the root. Lexical, as Go's filepath.Join. */
function joinVolume(base: string, a: string): string {
  const parts = /^([A-Za-z]:)?[\\/]/.test(a) ? [] : base.split('\\').filter((s) => s !== '');
  for (const seg of a.replace(/^[A-Za-z]:/, '').split(/[\\/]/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '\\' + parts.join('\\');
}

function inside(path: string, dir: string): boolean {
  const p = path.toUpperCase();
  const d = dir.toUpperCase();
  return d === '\\' || p === d || p.startsWith(d + '\\');
}

/** One entry of `docker cp`'s archive into `path` (moby's createTarFile, with its breakout checks). */
function extractEntry(v: NtfsVolume, path: string, dest: string, typed: string, e: TarEntry, host: string): void {
  const clean = cleanName(e.name);
  if (clean === '.' || clean === '\\') return;
  if (clean === '..' || clean.startsWith('..\\')) throw serverError(`${goQuote(clean)} is outside of ${goQuote(dest)}`);
  if (/^[A-Za-z]:/.test(clean)) {
    // A drive-qualified name — what the docker CLI on Linux sends for `docker cp f ctr:C:\x\y` (its
    // SplitPathDirEntry knows only `/`: path `.`, the entry renamed `C:\x\y`). moby v28's Untar
    // joins it under the destination (filepath.Rel finds no `..`), and the create fails there:
    // `C:` is no name NTFS takes in a folder's place (STATUS_OBJECT_NAME_INVALID, ERROR_INVALID_NAME).
    // The op and path are Go's PathError's (createTarFile: os.OpenFile, os.Mkdir).
    const op = e.type === 'directory' ? 'mkdir' : 'open';
    throw serverError(`${op} ${host}${clean}: ${win32Message(ERROR_INVALID_NAME)}`);
  }
  let target = joinVolume(path, clean.replace(/^\\/, ''));
  // The folders above the entry followed in scope, as the host's open follows them; one through a bind mount's link is not on the volume.
  const cut = target.lastIndexOf('\\');
  const above = resolveInScope(v, target.slice(0, cut) || '\\', true);
  const followed = above !== (target.slice(0, cut) || '\\');
  if (followed) {
    if (!statOrNull(v, above)) throw new MissingInScope(above);
    target = `${above === '\\' ? '' : above}${target.slice(cut)}`;
  }
  try {
    if (!followed) impliedDirectories(v, path, target);
    if (e.type === 'directory') {
      try {
        v.createDirectory(target);
      } catch (err) {
        if (!(err instanceof Win32Error && err.code === ERROR_ALREADY_EXISTS)) throw err;
      }
      return;
    }
    if (e.type === 'link') {
      const linked = joinVolume(path, cleanName(e.linkname ?? '').replace(/^\\/, ''));
      if (!inside(linked, path) || /^[A-Za-z]:/.test(e.linkname ?? '')) throw serverError(`invalid hardlink ${goQuote(`C:${linked}`)} -> ${goQuote(e.linkname ?? '')}`);
      removeIfFile(v, target);
      v.createHardLink(target, linked);
      return;
    }
    if (e.type === 'symlink') {
      const linkname = e.linkname ?? '';
      const dir = target.slice(0, target.lastIndexOf('\\')) || '\\';
      const resolved = joinVolume(dir, linkname);
      if (!inside(resolved, path) || /^\\\\|^[A-Za-z]:(?![\\/])/.test(linkname) || (/^[A-Za-z]:/.test(linkname) && !/^[Cc]:/.test(linkname))) {
        throw serverError(`invalid symlink ${goQuote(`C:${target}`)} -> ${goQuote(linkname)}`);
      }
      removeIfFile(v, target);
      const absolute = /^([A-Za-z]:)?[\\/]/.test(linkname);
      const windowsName = linkname.replace(/\//g, '\\');
      const substitute = absolute ? `\\??\\C:${resolved}` : windowsName;
      let directory = false;
      const pointed = statOrNull(v, resolved);
      if (pointed && isDir(pointed)) directory = true;
      v.createReparsePoint(target, { tag: IO_REPARSE_TAG_SYMLINK, substituteName: substitute, printName: absolute ? `C:${resolved}` : windowsName, relative: !absolute }, directory);
      return;
    }
    const h = v.open(target, { disposition: 'overwriteIf', write: true, nonDirectory: true });
    try {
      h.setSize(0);
      h.write(0, e.data);
    } finally {
      h.close();
    }
  } catch (err) {
    if (err instanceof Win32Error) throw new ApiError(500, `copying ${e.name} to ${typed}: ${err.message}`);
    throw err;
  }
}

/** An extraction path whose folder, followed in scope, is not on the container's volume (a bind mount's link). */
class MissingInScope extends Error {
  override readonly name = 'MissingInScope';
}

/** The folders between `path` and `target` that the archive did not list (moby's createImpliedDirectories). */
function impliedDirectories(v: NtfsVolume, path: string, target: string): void {
  const rel = target.slice(path === '\\' ? 1 : path.length + 1).split('\\');
  let at = path === '\\' ? '' : path;
  for (const seg of rel.slice(0, -1)) {
    at += `\\${seg}`;
    if (!statOrNull(v, at)) v.createDirectory(at);
  }
}

/** moby replaces what is there unless both are directories. */
function removeIfFile(v: NtfsVolume, path: string): void {
  let i: FileInfo;
  try {
    i = v.stat(path, { openReparsePoint: true });
  } catch (e) {
    if (e instanceof Win32Error) return;
    throw e;
  }
  if (i.attributes & FILE_ATTRIBUTE_REPARSE_POINT || !isDir(i)) {
    if (isDir(i)) v.removeDirectory(path);
    else v.deleteFile(path);
  }
}
