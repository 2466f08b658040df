/**
 * The build context: the files the client sent (a tar, possibly gzipped,
 * as `POST /build`'s body; or a folder `winsilo build` reads), held in
 * memory by their `/` path relative to the context root.
 *
 * Reads never leave the context (moby remotecontext FullPath →
 * symlink.FollowSymlinkInScope): `..` cannot climb above the root, and a
 * symbolic link is resolved *inside* the context — an absolute target is
 * re-rooted at the context root, a relative one cannot climb out — so a
 * link pointing outside the context names a context path that does not
 * exist. A source whose path climbs out before any link is followed is
 * refused with moby's Windows text ("failed to resolve scoped path …
 * Possible cause is a forbidden path outside the build context").
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { goQuote } from '../../cli/goformat.js';
import { cleanName, unpackTar } from '../tar-stream.js';
import { cleanSlashPath } from '../go-path.js';
import { readIgnoreFile, PatternMatcher } from './dockerignore.js';
import { BuildError } from './errors.js';
import { BUILD_LIMITS } from './limits.js';

export interface ContextEntry {
  readonly type: 'file' | 'directory' | 'symlink';
  readonly data: Buffer;
  /** A symlink's target as stored. */
  readonly linkname: string;
  readonly mtime: Date;
}

/** What the content hash of a source is built from (moby's tarsum; DECIDED: sha256 over name, type and bytes). */
function entryHash(path: string, e: ContextEntry): string {
  const h = createHash('sha256');
  h.update(`${e.type}\0${path}\0`);
  h.update(e.type === 'symlink' ? e.linkname : e.data);
  return h.digest('hex');
}

export class BuildContext {
  private readonly entries = new Map<string, ContextEntry>();
  private readonly hashes = new Map<string, string>();
  /** Bytes of file content held. */
  size = 0;

  /** The temporary folder moby extracts the context into (named in its path errors). */
  readonly root: string;

  constructor(entries: Iterable<[string, ContextEntry]>, rootName: string) {
    for (const [p, e] of entries) this.put(p, e);
    this.root = rootName;
  }

  private put(path: string, e: ContextEntry): void {
    const p = cleanSlashPath(`/${path}`).slice(1);
    if (p === '') return;
    if (this.entries.size >= BUILD_LIMITS.maxContextEntries) throw new BuildError(`the build context has more than ${BUILD_LIMITS.maxContextEntries} entries`, 400);
    this.size += e.data.byteLength;
    if (this.size > BUILD_LIMITS.maxContextBytes) throw new BuildError(`the build context is larger than ${BUILD_LIMITS.maxContextBytes} bytes`, 400);
    // Parent folders a tar may leave implicit.
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!this.entries.has(d)) this.entries.set(d, { type: 'directory', data: Buffer.alloc(0), linkname: '', mtime: e.mtime });
    }
    this.entries.set(p, e);
  }

  /** Reads a context tar (gzip detected by its magic, as moby's archive.DecompressStream). */
  static async fromTar(source: AsyncIterable<Uint8Array>): Promise<BuildContext> {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const c of source) {
      total += c.byteLength;
      if (total > BUILD_LIMITS.maxContextBytes) throw new BuildError(`the build context is larger than ${BUILD_LIMITS.maxContextBytes} bytes`, 400);
      chunks.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
    }
    let body = Buffer.concat(chunks);
    if (body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b) {
      try {
        body = gunzipSync(body);
      } catch (e) {
        throw new BuildError(`failed to decompress the build context: ${e instanceof Error ? e.message : String(e)}`, 400);
      }
    }
    // `docker build - < Dockerfile`: a body that is not a tar is the Dockerfile itself (moby remotecontext.Detect).
    if (body.length > 0 && !isTar(body)) {
      const ctx = new BuildContext([], `\\\\?\\C:\\ProgramData\\docker\\tmp\\docker-builder0`);
      ctx.plainDockerfile = body.toString('utf8');
      return ctx;
    }
    const digits = BigInt(`0x${createHash('sha256').update(body).digest('hex').slice(0, 8)}`).toString();
    const root = `\\\\?\\C:\\ProgramData\\docker\\tmp\\docker-builder${digits}`;
    const list: [string, ContextEntry][] = [];
    try {
      for await (const e of body.length > 0 ? unpackTar([body]) : []) {
        // moby extracts the context into its temporary folder (remotecontext FromArchive → chrootarchive.Untar):
        // v28's go-archive Unpack refuses a name that climbs out of it (`..` alone resolves to the folder's parent, let through, and ignored here).
        const clean = cleanName(e.name);
        if (clean.startsWith('..\\')) throw new BuildError(`${goQuote(clean)} is outside of ${goQuote(root)}`, 500);
        if (clean === '..') continue;
        // Hard links are not kept (a context copy names files by path).
        if (e.type === 'link') continue;
        list.push([e.name, { type: e.type, data: e.type === 'file' ? Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength) : Buffer.alloc(0), linkname: e.linkname ?? '', mtime: new Date(e.mtime) }]);
      }
    } catch (e) {
      if (e instanceof BuildError) throw e;
      throw new BuildError(`failed to read the build context: ${e instanceof Error ? e.message : String(e)}`, 400);
    }
    return new BuildContext(list, root);
  }

  /**
   * moby's remotecontext removeDockerfile: after the Dockerfile is read,
   * `.dockerignore` and the Dockerfile leave the context when the patterns
   * exclude them (so `COPY . .` does not copy them). Other files are the
   * client's business: the CLI filtered them before sending.
   */
  removeBuildFiles(dockerfile: string): void {
    const ignore = this.entries.get('.dockerignore');
    if (!ignore || ignore.type !== 'file') return;
    const m = new PatternMatcher(readIgnoreFile(ignore.data.toString('utf8')));
    if (m.empty) return;
    for (const p of ['.dockerignore', cleanSlashPath(`/${dockerfile.replace(/\\/g, '/')}`).slice(1)]) if (m.matchesOrParentMatches(p)) this.entries.delete(p);
  }

  /** The request body when it was a Dockerfile rather than a tar (the context is then empty). */
  plainDockerfile: string | undefined;

  /** The Dockerfile's text: moby's "Cannot locate specified Dockerfile" / "cannot be empty" errors. */
  dockerfile(name: string): string {
    if (this.plainDockerfile !== undefined) return this.plainDockerfile;
    const p = cleanSlashPath(`/${name.replace(/\\/g, '/')}`).slice(1);
    const r = this.resolve(p);
    const e = r.entry;
    if (!e || e.type !== 'file') throw new BuildError(`Cannot locate specified Dockerfile: ${name}`, 500);
    if (e.data.length === 0) throw new BuildError(`the Dockerfile (${name}) cannot be empty`, 400);
    return e.data.toString('utf8');
  }

  /**
   * The entry a context path names, links followed inside the context.
   * `path` uses `/`; a leading `/` or `./` is the root. Throws moby's
   * scoped-path error when the path climbs above the root.
   */
  resolve(path: string): { path: string; entry: ContextEntry | undefined } {
    const parts = path.split('/').filter((s) => s !== '' && s !== '.');
    // Climbing out before anything is resolved: Join(root, path) is not under the root.
    let depth = 0;
    for (const s of parts) {
      depth += s === '..' ? -1 : 1;
      if (depth < 0) {
        const winPath = path.replace(/\//g, '\\');
        const outside = joinWindows(this.root, winPath);
        throw new BuildError(`failed to resolve scoped path ${winPath} (): evalSymlinksInScope: ${outside} is not in ${this.root}. Possible cause is a forbidden path outside the build context`, 400);
      }
    }
    const queue = [...parts];
    const done: string[] = [];
    let links = 0;
    while (queue.length > 0) {
      const s = queue.shift()!;
      if (s === '..') {
        done.pop();
        continue;
      }
      const candidate = [...done, s].join('/');
      const e = this.entries.get(candidate);
      if (e && e.type === 'symlink') {
        if (++links > BUILD_LIMITS.maxSymlinks) throw new BuildError(`evalSymlinksInScope: too many links in ${path}`, 400);
        const target = e.linkname.replace(/\\/g, '/').replace(/^[A-Za-z]:/, '');
        // An absolute target is re-rooted at the context; a relative one is taken from the link's folder and cannot climb out.
        if (target.startsWith('/')) done.length = 0;
        queue.unshift(...target.split('/').filter((x) => x !== '' && x !== '.'));
        continue;
      }
      done.push(s);
    }
    const p = done.join('/');
    return { path: p, entry: p === '' ? { type: 'directory', data: Buffer.alloc(0), linkname: '', mtime: new Date(0) } : this.entries.get(p) };
  }

  /** Every path under `dir` ('' = the root), sorted, not following links. */
  walk(dir: string): string[] {
    const prefix = dir === '' ? '' : `${dir}/`;
    return [...this.entries.keys()].filter((p) => p.startsWith(prefix)).sort();
  }

  entry(path: string): ContextEntry | undefined {
    return this.entries.get(path);
  }

  /** Content hash of a resolved path (`file:<hex>` for a file; `dir:<hex>` over its tree, as moby names them). */
  hash(path: string): string {
    const cached = this.hashes.get(path);
    if (cached) return cached;
    const e = path === '' ? undefined : this.entries.get(path);
    let h: string;
    if (e && e.type !== 'directory') h = `file:${entryHash(path, e)}`;
    else {
      const sums = this.walk(path).map((p) => entryHash(p.slice(path === '' ? 0 : path.length + 1), this.entries.get(p)!));
      h = `dir:${createHash('sha256').update(sums.join(',')).digest('hex')}`;
    }
    this.hashes.set(path, h);
    return h;
  }
}

/** A ustar or GNU tar header: `ustar` at offset 257 of the first block. */
function isTar(b: Buffer): boolean {
  return b.length >= 512 && b.subarray(257, 262).toString('latin1') === 'ustar';
}

function joinWindows(root: string, rel: string): string {
  const prefix = root.startsWith('\\\\?\\') ? '\\\\?\\' : '';
  const parts = root.slice(prefix.length).split('\\');
  for (const s of rel.split('\\')) {
    if (s === '' || s === '.') continue;
    if (s === '..') parts.pop();
    else parts.push(s);
  }
  return prefix + parts.join('\\');
}

/** What the docker CLI's tar of `entries` weighs: 512-byte headers, content padded to 512, two zero blocks (Go's archive/tar). */
export function tarSize(entries: Iterable<ContextEntry>): number {
  let n = 1024;
  for (const e of entries) n += 512 + (e.type === 'file' ? Math.ceil(e.data.length / 512) * 512 : 0);
  return n;
}
