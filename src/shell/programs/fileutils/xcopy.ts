/**
 * xcopy.exe — copies files and directory trees (Microsoft Learn "xcopy"):
 *   XCOPY source [destination] [/S] [/E] [/I] [/Y] [/-Y] [/Q] [/F] [/L] [/H]
 *         [/R] [/K] [/C] [/T] [/U] [/D] … (/EXCLUDE:f1+f2 … (/V /W /Z /J /G /N /O /X /B /P
 *         accepted without effect; /A and /M select archived files, /M clears A)
 *  - A directory source copies its files (/s: and subdirectories with files,
 *    /e: empty ones too; /t: the folders only).
 *  - A destination that does not exist, for a single file without /i, asks
 *    `Does NAME specify a file name` / `or directory name on the target` /
 *    `(F = file, D = directory)? `; a directory source, a wildcard or /i
 *    make it a directory; a trailing `\` too.
 *  - Each copied file's source path is printed as the source was typed
 *    (/f: `SOURCE -> DEST` in full; /q: nothing); then `N File(s) copied`
 *    (/l: `N File(s)`).
 *  - Existing files are overwritten after `Overwrite NAME (Yes/No/All)? `
 *    unless /y or COPYCMD=/Y; read-only ones need /r.
 *  - Hidden and system files are skipped unless /h.
 * Exit codes (documented; "file not found" is 4 as observed on NT and later,
 * not the documented 1 — KB Q120829 and later captures): 0 copied, 1 no files found to copy, 2 Ctrl+C,
 * 4 initialisation error (bad syntax, file not found — `File not found -
 * NAME`, `Invalid number of parameters`, `Invalid switch - /X`,
 * `Cannot perform a cyclic copy`), 5 disk write error.
 */
import type { FileInfo, FileSystemView } from '../../../kernel/fs/types.js';
import { FILE_ATTRIBUTE_ARCHIVE, FILE_ATTRIBUTE_HIDDEN, FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_SYSTEM } from '../../../kernel/fs/types.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import { copyFile } from '../../cmd/files/transfer.js';
import { args, errorText, fsOf, hasWildcards, readText, isDirectory, isJunction, isSymlink, joinPath, splitPath, statOrUndefined, wildcardMatcher, writeLine } from './common.js';

interface XOptions {
  subdirs: boolean;
  empty: boolean;
  assumeDir: boolean;
  overwrite: 'ask' | 'yes';
  quiet: boolean;
  full: boolean;
  list: boolean;
  hidden: boolean;
  readOnly: boolean;
  keepAttrs: boolean;
  continueOnError: boolean;
  tree: boolean;
  update: boolean;
  newer: boolean;
  archivedOnly: boolean;
  clearArchive: boolean;
}

async function answer(ctx: ProcessContext, prompt: string, valid: string): Promise<string | undefined> {
  for (;;) {
    await ctx.stdout.write(prompt);
    const line = await ctx.stdin.readLine();
    if (line === null) {
      await ctx.stdout.write('\r\n');
      return undefined;
    }
    if (!ctx.stdin.isConsole) await ctx.stdout.write(`${line}\r\n`);
    const c = line.trim().charAt(0).toUpperCase();
    if (c && valid.includes(c)) return c;
  }
}

export async function xcopyMain(ctx: ProcessContext): Promise<number> {
  const o: XOptions = {
    subdirs: false,
    empty: false,
    assumeDir: false,
    overwrite: (ctx.env.get('COPYCMD') ?? '').trim().toLowerCase() === '/y' ? 'yes' : 'ask',
    quiet: false,
    full: false,
    list: false,
    hidden: false,
    readOnly: false,
    keepAttrs: false,
    continueOnError: false,
    tree: false,
    update: false,
    newer: false,
    archivedOnly: false,
    clearArchive: false,
  };
  const operands: string[] = [];
  const excludeFiles: string[] = [];
  for (const a of args(ctx)) {
    if (!a.startsWith('/')) {
      operands.push(a);
      continue;
    }
    // `/s/e/i` arrives as one argument: split at each slash.
    for (const sw of a.split('/').filter((s) => s !== '')) {
      const l = sw.toLowerCase();
      if (l === 's') o.subdirs = true;
      else if (l === 'e') o.subdirs = o.empty = true;
      else if (l === 'i') o.assumeDir = true;
      else if (l === 'y') o.overwrite = 'yes';
      else if (l === '-y') o.overwrite = 'ask';
      else if (l === 'q') o.quiet = true;
      else if (l === 'f') o.full = true;
      else if (l === 'l') o.list = true;
      else if (l === 'h') o.hidden = true;
      else if (l === 'r') o.readOnly = true;
      else if (l === 'k') o.keepAttrs = true;
      else if (l === 'c') o.continueOnError = true;
      else if (l === 't') o.tree = true;
      else if (l === 'u') o.update = true;
      else if (l === 'd') o.newer = true;
      else if (l === 'a') o.archivedOnly = true;
      else if (l === 'm') o.archivedOnly = o.clearArchive = true;
      else if (l.startsWith('exclude:')) excludeFiles.push(...sw.slice('exclude:'.length).split('+').filter((f) => f));
      else if (/^(v|w|z|j|g|n|o|x|b|p|compress|noclone|sparse)$/.test(l) || l.startsWith('d:')) continue;
      else {
        await writeLine(ctx.stderr, `Invalid switch - /${sw}`);
        return 4;
      }
    }
  }
  if (operands.length === 0) {
    await writeLine(ctx.stderr, 'Invalid number of parameters');
    return 4;
  }
  if (operands.length > 2) {
    await writeLine(ctx.stderr, 'Invalid number of parameters');
    return 4;
  }
  const fs = fsOf(ctx);
  const [srcSpec, dstSpec] = operands as [string, string?];
  let srcFull: string;
  let dstFull: string;
  try {
    srcFull = fs.fullPath(srcSpec, ctx.cwd);
    dstFull = fs.fullPath(dstSpec ?? '.', ctx.cwd).replace(/(?<=[^:\\])\\+$/, '');
  } catch (e) {
    await writeLine(ctx.stderr, errorText(e));
    return 4;
  }
  // The source: a directory (all its files) or a directory and a pattern.
  const srcInfo = hasWildcards(srcFull) ? undefined : statOrUndefined(fs, srcFull, ctx.cwd);
  let srcDir: string;
  let pattern: string;
  let shownBase: string;
  if (srcInfo && isDirectory(srcInfo)) {
    srcDir = srcFull;
    pattern = '*';
    // Names print under the source as typed: `src\a.txt`, `.\a.txt`, `C:\src\a.txt`.
    shownBase = srcSpec.replace(/(?<=[^:\\/])[\\/]+$/, '');
  } else {
    ({ dir: srcDir, name: pattern } = splitPath(srcFull));
    const cut = Math.max(srcSpec.lastIndexOf('\\'), srcSpec.lastIndexOf('/'));
    shownBase = cut >= 0 ? srcSpec.slice(0, cut) : '';
    // A root keeps its separator: `C:\x.txt` prints as typed, not as `C:x.txt`.
    if (cut >= 0 && /^(?:[A-Za-z]:|[\\/][\\/][?.][\\/][A-Za-z]:)?$/.test(shownBase)) shownBase = srcSpec.slice(0, cut + 1);
    if (!srcInfo && !hasWildcards(pattern)) {
      await writeLine(ctx.stderr, `File not found - ${pattern}`);
      await writeLine(ctx.stdout, '0 File(s) copied');
      return 4;
    }
  }
  if (o.subdirs && (dstFull.toLowerCase() + '\\').startsWith(srcDir.toLowerCase().replace(/\\?$/, '\\'))) {
    await writeLine(ctx.stderr, 'Cannot perform a cyclic copy');
    await writeLine(ctx.stdout, '0 File(s) copied');
    return 4;
  }
  // Is the destination a directory?
  const dstInfo = statOrUndefined(fs, dstFull, ctx.cwd);
  const many = (srcInfo !== undefined && isDirectory(srcInfo)) || hasWildcards(pattern);
  let dstIsDir: boolean | undefined;
  if (dstInfo) dstIsDir = isDirectory(dstInfo);
  else if (/[\\/]$/.test(dstSpec ?? '') || (o.assumeDir && many)) dstIsDir = true;
  else dstIsDir = await askKind(ctx, dstSpec ?? dstFull);
  if (dstIsDir === undefined) return 4;

  // /exclude:f1+f2: each line of each file is a string; a file whose full
  // path contains one (ignoring case) is not copied (Microsoft Learn "xcopy").
  const excluded: string[] = [];
  for (const f of excludeFiles) {
    try {
      for (const l of readText(fs, f, ctx.cwd).split(/\r?\n/)) if (l.trim()) excluded.push(l.trim().toLowerCase());
    } catch {
      await writeLine(ctx.stderr, `Can't read file: ${f}`);
      await writeLine(ctx.stdout, '0 File(s) copied');
      return 4;
    }
  }
  const match = wildcardMatcher(pattern);
  let copied = 0;
  let found = 0;
  const out: string[] = [];
  const flush = async () => {
    if (out.length > 0) await ctx.stdout.write(out.splice(0).join(''));
  };
  const take = (e: FileInfo) =>
    !isDirectory(e) && match(e.name) && (o.hidden || (e.attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM)) === 0) && (!o.archivedOnly || (e.attributes & FILE_ATTRIBUTE_ARCHIVE) !== 0);

  const walk = async (from: string, to: string, rel: string): Promise<boolean> => {
    if (ctx.signal.aborted) return false;
    let entries: FileInfo[];
    try {
      entries = fs.list(from, ctx.cwd);
    } catch (e) {
      await flush();
      await writeLine(ctx.stderr, errorText(e));
      return o.continueOnError;
    }
    const files = entries.filter(take);
    if (rel !== '' && (files.length > 0 || o.empty) && !o.list) ensureDir(fs, ctx.cwd, to);
    if (rel === '' && dstIsDir && !o.list && (files.length > 0 || o.empty || o.tree)) ensureDir(fs, ctx.cwd, to);
    if (!o.tree) {
      for (const e of files) {
        found++;
        const src = joinPath(from, e.name);
        if (excluded.some((x) => src.toLowerCase().includes(x))) continue;
        const dst = dstIsDir ? joinPath(to, e.name) : dstFull;
        const existing = statOrUndefined(fs, dst, ctx.cwd);
        if (o.update && !existing) continue;
        if (o.newer && existing && existing.lastWriteTime >= e.lastWriteTime) continue;
        const shown = o.full ? `${src} -> ${dst}` : shownBase ? `${shownBase}${/[\\:]$/.test(shownBase) ? '' : '\\'}${rel}${e.name}` : `${rel}${e.name}`;
        if (existing && !o.list && o.overwrite === 'ask') {
          await flush();
          const a = await answer(ctx, `Overwrite ${dst} (Yes/No/All)? `, 'YNA');
          if (a === undefined) return false;
          if (a === 'A') o.overwrite = 'yes';
          if (a === 'N') continue;
        }
        if (!o.quiet) out.push(`${shown}\r\n`);
        if (o.list) {
          copied++;
          continue;
        }
        try {
          if (existing && existing.attributes & FILE_ATTRIBUTE_READONLY) {
            if (!o.readOnly) throw Object.assign(new Error('read-only'), { xcopyAccess: true });
            fs.setAttributes(dst, ctx.cwd, existing.attributes & ~FILE_ATTRIBUTE_READONLY);
          }
          copyFile(fs, src, dst, ctx.cwd);
          if (!o.keepAttrs) fs.setAttributes(dst, ctx.cwd, (e.attributes & ~FILE_ATTRIBUTE_READONLY) | FILE_ATTRIBUTE_ARCHIVE);
          if (o.clearArchive) fs.setAttributes(src, ctx.cwd, e.attributes & ~FILE_ATTRIBUTE_ARCHIVE);
          copied++;
        } catch (err) {
          await flush();
          if ((err as { xcopyAccess?: boolean }).xcopyAccess) await writeLine(ctx.stderr, 'Access denied');
          else await writeLine(ctx.stderr, errorText(err));
          if (!o.continueOnError) return false;
        }
      }
    }
    if (o.subdirs) {
      for (const e of entries) {
        if (!isDirectory(e) || isJunction(e) || isSymlink(e)) continue;
        if (!o.hidden && e.attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM)) continue;
        if (!(await walk(joinPath(from, e.name), joinPath(to, e.name), `${rel}${e.name}\\`))) return false;
      }
    }
    return true;
  };

  let ok: boolean;
  try {
    ok = await walk(srcDir, dstFull, '');
  } catch (e) {
    await flush();
    await writeLine(ctx.stderr, errorText(e));
    ok = false;
  }
  await flush();
  if (found === 0 && !o.tree) {
    await writeLine(ctx.stderr, `File not found - ${pattern}`);
    await writeLine(ctx.stdout, '0 File(s) copied');
    return 4;
  }
  await writeLine(ctx.stdout, o.list ? `${copied} File(s)` : `${copied} File(s) copied`);
  if (ctx.signal.aborted) return 2;
  return ok ? 0 : 5;
}

async function askKind(ctx: ProcessContext, name: string): Promise<boolean | undefined> {
  const a = await answer(ctx, `Does ${name} specify a file name\r\nor directory name on the target\r\n(F = file, D = directory)? `, 'FD');
  return a === undefined ? undefined : a === 'D';
}

function ensureDir(fs: FileSystemView, cwd: string, full: string): void {
  const chain: string[] = [];
  for (let p = full; !statOrUndefined(fs, p, cwd); p = splitPath(p).dir) {
    chain.unshift(p);
    if (splitPath(p).dir === p) break;
  }
  for (const p of chain) fs.createDirectory(p, cwd);
}
