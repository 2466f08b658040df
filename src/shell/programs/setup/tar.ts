/**
 * tar.exe: Windows' bsdtar (libarchive 3.5.2 in Server 2022), as
 * Dockerfiles use it to unpack downloads (`tar -xf node.zip -C C:\`) and
 * to pack folders (`tar -a -c -f out.zip dir`).
 *
 *  - Modes -c, -x, -t (bundled `-xzf`, or bsdtar's old style `xzf`, or
 *    --create/--extract/--list); -f FILE, -C DIR, -z (gzip), -a (the format
 *    from the archive name: `.zip` a zip file, `.tgz`/`.tar.gz` gzip), -v
 *    (`x name` / `a name` on stderr, as bsdtar writes them), -k (keep
 *    existing files).
 *  - Reading detects the format: zip, gzip, tar.
 *  - Names are stored with `/`; a leading `/` or drive is taken off
 *    (`Removing leading '/' from member names`), a name with `..` is not
 *    extracted (`Path contains '..'`); existing files are overwritten
 *    unless -k.
 *  - Failures: `tar: Error opening archive: Failed to open 'x'`,
 *    `tar: x: Couldn't find file: No such file or directory`, then
 *    `tar: Error exit delayed from previous errors.`; exit 1.
 *
 * DECIDED: -tv lists names as -t does (bsdtar's ls-style long listing is
 * not reproduced); -j/-J (bzip2, xz), -r and -u answer bsdtar's
 * unsupported-compression or usage error.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { Win32Error } from '../../../core/win32.js';
import type { FileSystemView } from '../../../kernel/fs/types.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import { packTar, unpackTar, type TarEntry } from '../../../images/tar-stream.js';
import { readWhole, writeWhole } from '../../cmd/files/transfer.js';
import { isDirectory, joinPath, makeDirectories, statOrUndefined } from '../../cmd/files/paths.js';
import { lines } from '../system/text.js';

export const BSDTAR_VERSION = 'bsdtar 3.5.2 - libarchive 3.5.2 zlib/1.2.5.f-ipp';

const USAGE = ['Usage:', '  List:    tar -tf <archive-filename>', '  Extract: tar -xf <archive-filename>', '  Create:  tar -cf <archive-filename> [filenames...]', '  Help:    tar --help'];

interface Options {
  mode?: 'c' | 'x' | 't';
  file?: string;
  dir?: string;
  gzip: boolean;
  auto: boolean;
  verbose: boolean;
  keep: boolean;
  names: string[];
}

class Usage extends Error {}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { gzip: false, auto: false, verbose: false, keep: false, names: [] };
  const args = [...argv];
  // bsdtar's old style: a first word without a dash is a bundle of letters.
  if (args[0] !== undefined && !args[0].startsWith('-')) args[0] = `-${args[0]}`;
  const setMode = (m: 'c' | 'x' | 't'): void => {
    if (o.mode !== undefined && o.mode !== m) throw new Usage(`Can't specify both -${o.mode} and -${m}`);
    o.mode = m;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [name, value] = a.slice(2).split('=', 2) as [string, string | undefined];
      const take = (): string => value ?? args[++i] ?? '';
      if (name === 'create') setMode('c');
      else if (name === 'extract' || name === 'get') setMode('x');
      else if (name === 'list') setMode('t');
      else if (name === 'file') o.file = take();
      else if (name === 'directory' || name === 'cd') o.dir = take();
      else if (name === 'gzip' || name === 'gunzip') o.gzip = true;
      else if (name === 'auto-compress') o.auto = true;
      else if (name === 'verbose') o.verbose = true;
      else if (name === 'keep-old-files') o.keep = true;
      else throw new Usage(`Option --${name} is not supported`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j]!;
        const value = (): string => {
          const rest = a.slice(j + 1);
          j = a.length;
          return rest !== '' ? rest : (args[++i] ?? '');
        };
        if (ch === 'c' || ch === 'x' || ch === 't') setMode(ch);
        else if (ch === 'f') o.file = value();
        else if (ch === 'C') o.dir = value();
        else if (ch === 'z') o.gzip = true;
        else if (ch === 'a') o.auto = true;
        else if (ch === 'v') o.verbose = true;
        else if (ch === 'k') o.keep = true;
        else if (ch === 'j' || ch === 'J' || ch === 'y') throw new Usage(`Option -${ch} is not supported`);
        else throw new Usage(`Option -${ch} is not supported`);
      }
      continue;
    }
    o.names.push(a);
  }
  return o;
}

/** A member name as bsdtar stores it: `/` separators, no leading drive or `/` (which of those it had, for the warnings). */
function memberName(path: string): { name: string; drive: boolean; slash: boolean } {
  let n = path.replace(/\\/g, '/');
  let drive = false;
  let slash = false;
  if (/^[A-Za-z]:/.test(n)) {
    n = n.slice(2);
    drive = true;
  }
  while (n.startsWith('/')) {
    n = n.slice(1);
    slash = true;
  }
  return { name: n, drive, slash };
}

/** bsdtar's strip_absolute_path warnings, each once per run. */
class LeadingWarnings {
  private drive = false;
  private slash = false;
  async note(ctx: ProcessContext, m: { drive: boolean; slash: boolean }): Promise<void> {
    if (m.drive && !this.drive) {
      this.drive = true;
      await ctx.stderr.write(lines('tar: Removing leading drive letter from member names'));
    }
    if (m.slash && !this.slash) {
      this.slash = true;
      await ctx.stderr.write(lines("tar: Removing leading '/' from member names"));
    }
  }
}

export async function tarMain(ctx: ProcessContext): Promise<number> {
  const argv = ctx.argv.slice(1);
  if (argv.length === 1 && argv[0] === '--version') {
    await ctx.stdout.write(lines(BSDTAR_VERSION));
    return 0;
  }
  let o: Options;
  try {
    o = parseArgs(argv);
    if (o.mode === undefined) throw new Usage('Must specify one of -c, -r, -t, -u, -x');
  } catch (e) {
    if (!(e instanceof Usage)) throw e;
    await ctx.stderr.write(lines(`tar: ${e.message}`, ...USAGE));
    return 1;
  }
  const fs = ctx.fs;
  if (!fs) {
    await ctx.stderr.write(lines(`tar: Error opening archive: Failed to open '${o.file ?? ''}'`));
    return 1;
  }
  // -f is relative to where tar started; -C changes the folder the members are read from or written to.
  const cwd = ctx.cwd;
  const base = o.dir !== undefined ? fs.fullPath(o.dir, cwd) : cwd;
  if (o.dir !== undefined && !statOrUndefined(fs, base, cwd)) {
    await ctx.stderr.write(lines(`tar: could not chdir to '${o.dir}'`));
    return 1;
  }
  try {
    if (o.mode === 'c') return await create(ctx, fs, o, cwd, base);
    return await read(ctx, fs, o, cwd, base);
  } catch (e) {
    if (e instanceof Win32Error) {
      await ctx.stderr.write(lines(`tar: ${e.message}`));
      return 1;
    }
    throw e;
  }
}

async function read(ctx: ProcessContext, fs: FileSystemView, o: Options, cwd: string, base: string): Promise<number> {
  if (o.file === undefined || o.file === '-') {
    await ctx.stderr.write(lines('tar: Error opening archive: Failed to open \'\\\\.\\tape0\''));
    return 1;
  }
  let bytes: Uint8Array;
  try {
    bytes = readWhole(fs, o.file, cwd);
  } catch {
    await ctx.stderr.write(lines(`tar: Error opening archive: Failed to open '${o.file}'`));
    return 1;
  }
  let entries: TarEntry[];
  try {
    entries = await decode(bytes);
  } catch {
    await ctx.stderr.write(lines('tar: Error opening archive: Unrecognized archive format'));
    return 1;
  }
  let failed = false;
  const warnings = new LeadingWarnings();
  for (const e of entries) {
    const m = memberName(e.name);
    const name = m.name;
    if (o.mode === 't') {
      await ctx.stdout.write(lines(e.name));
      continue;
    }
    await warnings.note(ctx, m);
    const parts = name.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) {
      await ctx.stderr.write(lines(`tar: ${e.name}: Path contains '..'`));
      failed = true;
      continue;
    }
    if (parts.length === 0) continue;
    const target = joinPath(base, parts.join('\\'));
    if (o.verbose) await ctx.stderr.write(lines(`x ${name}`));
    if (e.type === 'directory') {
      makeDirectories(fs, target, cwd);
      continue;
    }
    if (e.type !== 'file') continue;
    makeDirectories(fs, target.slice(0, target.lastIndexOf('\\')), cwd);
    if (o.keep && statOrUndefined(fs, target, cwd)) {
      // DECIDED: libarchive's refusal under ARCHIVE_EXTRACT_NO_OVERWRITE; its exact words were not found.
      await ctx.stderr.write(lines(`tar: ${name}: Attempt to write to an existing file`));
      failed = true;
      continue;
    }
    writeWhole(fs, target, cwd, e.data);
  }
  if (failed) {
    await ctx.stderr.write(lines('tar: Error exit delayed from previous errors.'));
    return 1;
  }
  return 0;
}

/** The entries of a zip, gzip'd tar or tar archive (bsdtar detects which). */
async function decode(bytes: Uint8Array): Promise<TarEntry[]> {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    return Object.entries(unzipSync(bytes)).map(([name, data]) => (name.endsWith('/') ? { name, type: 'directory' as const, mode: 0o755, mtime: 0, data: new Uint8Array(0) } : { name, type: 'file' as const, mode: 0o644, mtime: 0, data }));
  }
  const tarBytes = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const out: TarEntry[] = [];
  for await (const e of unpackTar([tarBytes])) out.push(e);
  return out;
}

async function create(ctx: ProcessContext, fs: FileSystemView, o: Options, cwd: string, base: string): Promise<number> {
  if (o.file === undefined || o.file === '-') {
    await ctx.stderr.write(lines("tar: Failed to open '\\\\.\\tape0'"));
    return 1;
  }
  if (o.names.length === 0) {
    await ctx.stderr.write(lines('tar: no files or directories specified'));
    return 1;
  }
  const entries: TarEntry[] = [];
  let failed = false;
  const warnings = new LeadingWarnings();
  const add = async (path: string, name: string, given: string, top?: { drive: boolean; slash: boolean }): Promise<void> => {
    const info = statOrUndefined(fs, path, cwd);
    if (!info) {
      await ctx.stderr.write(lines(`tar: ${given}: Couldn't find file: No such file or directory`));
      failed = true;
      return;
    }
    if (top) await warnings.note(ctx, top);
    if (o.verbose) await ctx.stderr.write(lines(`a ${name}`));
    if (isDirectory(info)) {
      entries.push({ name: `${name}/`, type: 'directory', mode: 0o755, mtime: info.lastWriteTime, data: new Uint8Array(0) });
      for (const f of fs.list(path, cwd)) await add(joinPath(path, f.name), `${name}/${f.name}`, `${given}/${f.name}`);
    } else entries.push({ name, type: 'file', mode: 0o644, mtime: info.lastWriteTime, data: readWhole(fs, path, cwd) });
  };
  for (const n of o.names) {
    const m = memberName(n);
    await add(fs.fullPath(n, base), m.name.replace(/\/+$/, ''), n, m);
  }
  const lower = o.file.toLowerCase();
  let archive: Uint8Array;
  if (o.auto && lower.endsWith('.zip')) {
    const files: Zippable = {};
    for (const e of entries) files[e.name] = e.type === 'directory' ? new Uint8Array(0) : [e.data, { mtime: new Date(Math.max(e.mtime, Date.UTC(1980, 0, 1, 12))) }];
    archive = zipSync(files);
  } else {
    const tarBytes = await packTar(entries);
    archive = o.gzip || (o.auto && (lower.endsWith('.tgz') || lower.endsWith('.tar.gz'))) ? gzipSync(tarBytes) : tarBytes;
  }
  writeWhole(fs, o.file, cwd, archive);
  if (failed) {
    await ctx.stderr.write(lines('tar: Error exit delayed from previous errors.'));
    return 1;
  }
  return 0;
}
