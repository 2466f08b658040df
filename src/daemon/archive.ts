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
import { FILE_ATTRIBUTE_REPARSE_POINT, IO_REPARSE_TAG_SYMLINK } from '../kernel/fs/types.js';
import { Win32Error, ERROR_ALREADY_EXISTS } from '../core/win32.js';
import type { Daemon } from './daemon.js';
import { ApiError, badRequest, notFound, serverError } from './errors.js';
import type { Exchange } from './exchange.js';
import type { Router } from './router.js';
import { goQuote, packTarStream, TarError, unpackTar, type TarEntry } from './tar.js';
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

function volumeOf(d: Daemon, c: Container): NtfsVolume {
  if (c.isolation === 'hyperv' && c.status === 'running') throw serverError('filesystem operations against a running Hyper-V container are not supported');
  const sandbox = c.computeSystem?.sandbox;
  if (!sandbox || sandbox.destroyed) throw serverError(`container ${c.id} has no file system yet: start it once`);
  void d;
  return sandbox.volume;
}

function statOrNull(v: NtfsVolume, path: string): FileInfo | null {
  try {
    return v.stat(path);
  } catch (e) {
    if (e instanceof Win32Error) return null;
    throw e;
  }
}

const isDir = (i: FileInfo): boolean => (i.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;

function pathStat(name: string, i: FileInfo): string {
  const mode = isDir(i) ? GO_MODE_DIR + 0o777 : i.attributes & FILE_ATTRIBUTE_READONLY ? 0o444 : 0o666;
  return Buffer.from(JSON.stringify({ name, size: isDir(i) ? 0 : i.size, mode, mtime: new Date(i.lastWriteTime).toISOString(), linkTarget: '' })).toString('base64');
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

/** The entries of `path` for the archive, walked lazily (a file is read when its entry is wanted). */
function* entriesOf(v: NtfsVolume, path: string, name: string, info: FileInfo): Generator<TarEntry> {
  if (info.attributes & FILE_ATTRIBUTE_REPARSE_POINT && info.reparse) {
    // Never walked into: it names another place (a junction can even name its own parent).
    const t = info.reparse.substituteName;
    yield { name, type: 'symlink', mode: 0o755, mtime: info.lastWriteTime, data: new Uint8Array(), linkname: t.startsWith('\\??\\') ? t.slice(4) : t };
    return;
  }
  if (!isDir(info)) {
    yield { name, type: 'file', mode: 0o755, mtime: info.lastWriteTime, data: readFile(v, path) };
    return;
  }
  yield { name: name + '/', type: 'directory', mode: 0o755, mtime: info.lastWriteTime, data: new Uint8Array() };
  for (const child of v.list(path)) {
    if (child.name === '.' || child.name === '..') continue;
    yield* entriesOf(v, `${path === '\\' ? '' : path}\\${child.name}`, `${name}/${child.name}`, child);
  }
}

export function registerArchiveRoutes(router: Router, d: Daemon): void {
  const find = (ex: Exchange, ref: string) => {
    const c = d.container(ref);
    const typed = ex.query.get('path') ?? '';
    if (typed === '') throw badRequest('bad parameter: path cannot be empty');
    const v = volumeOf(d, c);
    const path = volumePath(typed);
    const info = statOrNull(v, path);
    return { c, v, path, typed, info };
  };

  router.add('HEAD', '/containers/([^/]+)/archive', (ex, [ref]) => {
    const { path, typed, info } = find(ex, ref!);
    if (!info) throw notFound(`Could not find the file ${typed} in container ${ref}`);
    ex.send(200, { 'X-Docker-Container-Path-Stat': pathStat(baseName(path), info) });
  });

  router.add('GET', '/containers/([^/]+)/archive', async (ex, [ref]) => {
    const { v, path, typed, info } = find(ex, ref!);
    if (!info) throw notFound(`Could not find the file ${typed} in container ${ref}`);
    const name = path === '\\' ? '.' : baseName(path);
    const c = d.container(ref!);
    d.emit('container', 'archive-path', c.id, { image: c.image, name: c.name });
    // Streamed as it is read, at the client's pace (a folder can be the whole C:).
    const out = ex.stream(200, { 'Content-Type': 'application/x-tar', 'X-Docker-Container-Path-Stat': pathStat(baseName(path), info) });
    try {
      for await (const chunk of packTarStream(entriesOf(v, path, name, info))) {
        if (out.closed) break;
        out.write(chunk);
        await out.drained?.();
      }
    } finally {
      out.end();
    }
  });

  router.add('PUT', '/containers/([^/]+)/archive', async (ex, [ref]) => {
    const { v, path, typed, info } = find(ex, ref!);
    if (!info) throw notFound(`Could not find the file ${typed} in container ${ref}`);
    if (!isDir(info)) throw badRequest('extraction point is not a directory');
    const dest = `C:${path}`;
    try {
      for await (const e of unpackTar(ex.bodyStream())) extractEntry(v, path, dest, typed, e);
    } catch (e) {
      if (e instanceof TarError) throw badRequest(e.message);
      throw e;
    }
    const c = d.container(ref!);
    d.emit('container', 'extract-to-dir', c.id, { image: c.image, name: c.name });
    ex.send(200, {});
  });
}

/** Windows filepath.Clean of an archive name: `/` as `\\`, `.` dropped, `..` folded (a leading one kept). */
export function cleanName(name: string): string {
  const rooted = /^[\\/]/.test(name);
  const drive = /^[A-Za-z]:/.exec(name)?.[0] ?? '';
  const parts: string[] = [];
  for (const seg of name.slice(drive.length).split(/[\\/]/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (seg === '..' && (rooted || drive)) continue;
    else parts.push(seg);
  }
  const body = parts.join('\\');
  return drive + (rooted || (drive && /^[A-Za-z]:[\\/]/.test(name)) ? '\\' : '') + (body === '' && !rooted && !drive ? '.' : body);
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
function extractEntry(v: NtfsVolume, path: string, dest: string, typed: string, e: TarEntry): void {
  const clean = cleanName(e.name);
  if (clean === '.' || clean === '\\') return;
  if (clean === '..' || clean.startsWith('..\\') || /^[A-Za-z]:/.test(clean)) throw serverError(`${goQuote(clean)} is outside of ${goQuote(dest)}`);
  const target = joinVolume(path, clean.replace(/^\\/, ''));
  try {
    impliedDirectories(v, path, target);
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
