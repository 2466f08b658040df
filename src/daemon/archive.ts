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
 *    (400 `extraction point is not a directory`).
 *  - A running Hyper-V container: 500 `filesystem operations against a
 *    running Hyper-V container are not supported`.
 *
 * DECIDED: bind mounts are not followed (the copy sees the container's own
 * C:); a container never started has no sandbox yet and answers 500.
 */
import type { Container } from '../host/host.js';
import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_READONLY, type FileInfo } from '../kernel/fs/index.js';
import type { NtfsVolume } from '../kernel/fs/index.js';
import { Win32Error, ERROR_ALREADY_EXISTS } from '../core/win32.js';
import type { Daemon } from './daemon.js';
import { ApiError, badRequest, notFound, serverError } from './errors.js';
import type { Exchange } from './exchange.js';
import type { Router } from './router.js';
import { readTar, TarError, writeTar, type TarEntry } from './tar.js';
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

function collect(v: NtfsVolume, path: string, name: string, info: FileInfo, out: TarEntry[]): void {
  if (!isDir(info)) {
    out.push({ name, type: 'file', mode: 0o755, mtime: info.lastWriteTime, data: readFile(v, path) });
    return;
  }
  out.push({ name: name + '/', type: 'directory', mode: 0o755, mtime: info.lastWriteTime, data: new Uint8Array() });
  for (const child of v.list(path)) {
    if (child.name === '.' || child.name === '..') continue;
    collect(v, `${path === '\\' ? '' : path}\\${child.name}`, `${name}/${child.name}`, child, out);
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

  router.add('GET', '/containers/([^/]+)/archive', (ex, [ref]) => {
    const { v, path, typed, info } = find(ex, ref!);
    if (!info) throw notFound(`Could not find the file ${typed} in container ${ref}`);
    const entries: TarEntry[] = [];
    const name = path === '\\' ? '.' : baseName(path);
    collect(v, path, name, info, entries);
    const c = d.container(ref!);
    d.emit('container', 'archive-path', c.id, { image: c.image, name: c.name });
    ex.send(200, { 'Content-Type': 'application/x-tar', 'X-Docker-Container-Path-Stat': pathStat(baseName(path), info) }, writeTar(entries));
  });

  router.add('PUT', '/containers/([^/]+)/archive', async (ex, [ref]) => {
    const { v, path, typed, info } = find(ex, ref!);
    if (!info) throw notFound(`Could not find the file ${typed} in container ${ref}`);
    if (!isDir(info)) throw badRequest('extraction point is not a directory');
    let entries: TarEntry[];
    try {
      entries = readTar(await ex.body());
    } catch (e) {
      if (e instanceof TarError) throw badRequest(e.message);
      throw e;
    }
    for (const e of entries) {
      const rel = e.name.replace(/\/+$/, '').split('/').filter((s) => s !== '' && s !== '.');
      if (rel.some((s) => s === '..')) throw badRequest(`invalid path in archive: ${e.name}`);
      if (rel.length === 0) continue;
      const target = `${path === '\\' ? '' : path}\\${rel.join('\\')}`;
      try {
        if (e.type === 'directory') {
          try {
            v.createDirectory(target);
          } catch (err) {
            if (!(err instanceof Win32Error && err.code === ERROR_ALREADY_EXISTS)) throw err;
          }
          continue;
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
    const c = d.container(ref!);
    d.emit('container', 'extract-to-dir', c.id, { image: c.image, name: c.name });
    ex.send(200, {});
  });
}
