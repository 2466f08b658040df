/**
 * Robocopy.exe (Microsoft's `robocopy` reference): copies a folder's files
 * to another, as Dockerfiles use it to stage application files.
 *
 *  - `robocopy SOURCE DEST [FILE …] [options]`; files default to `*.*`;
 *    /S (subfolders, not empty ones), /E (with empty ones), /MIR (/E and
 *    /PURGE), /PURGE (delete destination files and folders the source does
 *    not have), /XF names… and /XD names… (exclusions, wildcards), /MOV
 *    (delete the source files once copied); /R:n /W:n /MT[:n] /NP /Z /B
 *    /COPY:… /DCOPY:… are taken (nothing here fails or is slow).
 *  - A file is copied when the destination lacks it ("New File") or its
 *    size or last-write time differs ("Newer", "Older", "Changed");
 *    otherwise it is skipped. Files only in the destination are "Extra".
 *  - The exit code is robocopy's bit mask: 1 files copied, 2 extra files
 *    or folders, 8 copies failed, 16 a fatal error (the source missing:
 *    `ERROR 2 (0x00000002) Accessing Source Directory …`); 0 nothing to do.
 *  - Logging: /NJH (no job header), /NJS (no job summary), /NFL (no file
 *    names), /NDL (no folder names), /NC (no classes), /NS (no sizes): with
 *    all of them nothing is printed, the form Dockerfiles use.
 *
 * DECIDED: the job header, file lines and summary are laid out as
 * robocopy's log is widely shown (no exact copy of its output was found to
 * check the spacing against), with the host clock's UTC time; no progress
 * percentages are printed (/NP's form); the Times row shows 0:00:00.
 */
import { Win32Error, win32Message } from '../../../core/win32.js';
import type { FileInfo, FileSystemView } from '../../../kernel/fs/types.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import { isDirectory, joinPath, makeDirectories, statOrUndefined } from '../../cmd/files/paths.js';
import { readWhole, writeWhole } from '../../cmd/files/transfer.js';
import { lines, wildcard } from '../system/text.js';

interface Options {
  source: string;
  dest: string;
  files: string[];
  subdirs: boolean;
  empty: boolean;
  purge: boolean;
  move: boolean;
  excludeFiles: string[];
  excludeDirs: string[];
  noHeader: boolean;
  noSummary: boolean;
  noFileList: boolean;
  noDirList: boolean;
  noClass: boolean;
  noSize: boolean;
  given: string[];
}

interface Totals {
  dirs: { total: number; copied: number; skipped: number; extras: number };
  files: { total: number; copied: number; skipped: number; failed: number; extras: number };
  bytes: { total: number; copied: number; skipped: number; extras: number };
}

const RULE = '-'.repeat(79);
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function when(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** The time stamp robocopy puts before an ERROR line: `2026/11/24 01:56:00`. */
function stamp(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function parse(argv: readonly string[]): Options | string {
  const o: Options = { source: '', dest: '', files: [], subdirs: false, empty: false, purge: false, move: false, excludeFiles: [], excludeDirs: [], noHeader: false, noSummary: false, noFileList: false, noDirList: false, noClass: false, noSize: false, given: [] };
  const positional: string[] = [];
  let list: string[] | undefined;
  for (const a of argv) {
    if (!a.startsWith('/')) {
      (list ?? positional).push(a);
      continue;
    }
    list = undefined;
    const sw = a.slice(1).toUpperCase();
    const name = sw.split(':')[0]!;
    o.given.push(a.toUpperCase());
    switch (name) {
      case 'S':
        o.subdirs = true;
        break;
      case 'E':
        o.subdirs = true;
        o.empty = true;
        break;
      case 'MIR':
        o.subdirs = true;
        o.empty = true;
        o.purge = true;
        break;
      case 'PURGE':
        o.purge = true;
        break;
      case 'MOV':
        o.move = true;
        break;
      case 'XF':
        list = o.excludeFiles;
        break;
      case 'XD':
        list = o.excludeDirs;
        break;
      case 'NJH':
        o.noHeader = true;
        break;
      case 'NJS':
        o.noSummary = true;
        break;
      case 'NFL':
        o.noFileList = true;
        break;
      case 'NDL':
        o.noDirList = true;
        break;
      case 'NC':
        o.noClass = true;
        break;
      case 'NS':
        o.noSize = true;
        break;
      case 'R':
      case 'W':
      case 'MT':
      case 'NP':
      case 'Z':
      case 'B':
      case 'ZB':
      case 'COPY':
      case 'DCOPY':
      case 'COPYALL':
      case 'SEC':
      case 'TEE':
      case 'XO':
      case 'XX':
      case 'FFT':
      case 'NDCOPY':
        break;
      default:
        return `Invalid Parameter #${argv.indexOf(a) + 1} : "${a}"`;
    }
  }
  if (positional.length < 2) return positional.length === 0 ? 'No Source Directory Specified.' : 'No Destination Directory Specified.';
  [o.source, o.dest] = [positional[0]!, positional[1]!];
  o.files = positional.slice(2);
  return o;
}

export async function robocopyMain(ctx: ProcessContext): Promise<number> {
  const parsed = parse(ctx.argv.slice(1));
  const fs = ctx.fs;
  const started = ctx.now();
  const header = (o: Pick<Options, 'source' | 'dest' | 'files' | 'given'>, full: { source: string; dest: string }) => [
    '',
    RULE,
    '   ROBOCOPY     ::     Robust File Copy for Windows                              ',
    RULE,
    '',
    `  Started : ${when(started)}`,
    `   Source : ${full.source}`,
    `     Dest : ${full.dest}`,
    '',
    `    Files : ${(o.files.length ? o.files : ['*.*']).join(' ')}`,
    '',
    `  Options : ${(o.files.length ? o.files : ['*.*']).join(' ')} ${[...o.given, '/DCOPY:DA', '/COPY:DAT', '/R:1000000', '/W:30'].filter((x, i, all) => all.indexOf(x) === i).join(' ')} `,
    '',
    RULE.slice(1),
    '',
  ];
  if (typeof parsed === 'string') {
    await ctx.stdout.write(lines('', RULE, '   ROBOCOPY     ::     Robust File Copy for Windows                              ', RULE, '', `  Started : ${when(started)}`, '', `ERROR : ${parsed}`, '', '       Simple Usage :: ROBOCOPY source destination /MIR', ''));
    return 16;
  }
  const o = parsed;
  if (!fs) return 16;
  const slash = (p: string) => (p.endsWith('\\') ? p : `${p}\\`);
  const src = fs.fullPath(o.source, ctx.cwd);
  const dst = fs.fullPath(o.dest, ctx.cwd);
  const out: string[] = o.noHeader ? [] : header(o, { source: slash(src), dest: slash(dst) });
  const srcInfo = statOrUndefined(fs, src, ctx.cwd);
  if (!srcInfo || !isDirectory(srcInfo)) {
    const code = srcInfo ? 267 : 2;
    out.push(`${stamp(started)} ERROR ${code} (0x${code.toString(16).padStart(8, '0')}) Accessing Source Directory ${slash(src)}`, win32Message(code).replace(/\r?\n$/, ''), '');
    await ctx.stdout.write(lines(...out));
    return 16;
  }
  const t: Totals = { dirs: { total: 0, copied: 0, skipped: 0, extras: 0 }, files: { total: 0, copied: 0, skipped: 0, failed: 0, extras: 0 }, bytes: { total: 0, copied: 0, skipped: 0, extras: 0 } };
  // `*.*` is every file, extension or not (FindFirstFile's rule).
  const fileMatch = (o.files.length ? o.files : ['*']).map((f) => wildcard(f === '*.*' ? '*' : f));
  const xf = o.excludeFiles.map(wildcard);
  const xd = o.excludeDirs.map(wildcard);
  const size = (n: number) => (o.noSize ? '' : String(n).padStart(15));
  const walk = (from: string, to: string, depth: number): void => {
    const entries = fs.list(from, ctx.cwd);
    const files = entries.filter((e) => !isDirectory(e) && fileMatch.some((r) => r.test(e.name)) && !xf.some((r) => r.test(e.name)));
    const dirs = entries.filter((e) => isDirectory(e) && !xd.some((r) => r.test(e.name)));
    const hasContent = files.length > 0 || dirs.length > 0;
    if (depth > 0 && !o.empty && !hasContent) return;
    t.dirs.total++;
    const destDir = statOrUndefined(fs, to, ctx.cwd);
    if (!destDir) {
      makeDirectories(fs, to, ctx.cwd);
      t.dirs.copied++;
    } else t.dirs.skipped++;
    if (!o.noDirList) out.push(`\t${destDir ? '' : '  New Dir '}${String(files.length).padStart(destDir ? 18 : 8)}\t${slash(from)}`);
    const existing = destDir ? fs.list(to, ctx.cwd) : [];
    for (const f of files) {
      t.files.total++;
      t.bytes.total += f.size;
      const target = joinPath(to, f.name);
      const d = existing.find((x) => x.name.toLowerCase() === f.name.toLowerCase());
      const cls = !d ? 'New File' : d.size !== f.size || d.lastWriteTime !== f.lastWriteTime ? (f.lastWriteTime > d.lastWriteTime ? 'Newer' : f.lastWriteTime < d.lastWriteTime ? 'Older' : 'Changed') : undefined;
      if (!cls) {
        t.files.skipped++;
        t.bytes.skipped += f.size;
        continue;
      }
      try {
        copyFile(fs, joinPath(from, f.name), target, ctx.cwd, f);
        if (o.move) fs.deleteFile(joinPath(from, f.name), ctx.cwd);
        t.files.copied++;
        t.bytes.copied += f.size;
        if (!o.noFileList) out.push(`\t    ${o.noClass ? '' : cls.padEnd(10)}\t${size(f.size)}\t${f.name}`);
      } catch (e) {
        if (!(e instanceof Win32Error)) throw e;
        t.files.failed++;
        out.push(`${stamp(ctx.now())} ERROR ${e.code} (0x${e.code.toString(16).padStart(8, '0')}) Copying File ${joinPath(from, f.name)}`, win32Message(e.code).replace(/\r?\n$/, ''));
      }
    }
    // Files and folders only the destination has: Extras (deleted with /PURGE).
    for (const x of existing) {
      const inSource = entries.some((e) => e.name.toLowerCase() === x.name.toLowerCase());
      if (inSource) continue;
      if (isDirectory(x)) {
        t.dirs.extras++;
        if (!o.noDirList) out.push(`\t*EXTRA Dir        -1\t${slash(joinPath(to, x.name))}`);
        if (o.purge) removeTree(fs, joinPath(to, x.name), ctx.cwd);
      } else if (fileMatch.some((r) => r.test(x.name))) {
        t.files.extras++;
        t.bytes.extras += x.size;
        if (!o.noFileList) out.push(`\t    ${o.noClass ? '' : '*EXTRA File'.padEnd(10)}\t${size(x.size)}\t${x.name}`);
        if (o.purge) fs.deleteFile(joinPath(to, x.name), ctx.cwd);
      }
    }
    if (o.subdirs) for (const d of dirs) walk(joinPath(from, d.name), joinPath(to, d.name), depth + 1);
  };
  walk(src, dst, 0);
  if (!o.noSummary) {
    const row = (label: string, v: number[]) => `${label.padStart(8)} : ${v.map((n) => String(n).padStart(9)).join(' ')}`;
    out.push(
      '',
      RULE.slice(1),
      '',
      '               Total    Copied   Skipped  Mismatch    FAILED    Extras',
      row('Dirs', [t.dirs.total, t.dirs.copied, t.dirs.skipped, 0, 0, t.dirs.extras]),
      row('Files', [t.files.total, t.files.copied, t.files.skipped, 0, t.files.failed, t.files.extras]),
      row('Bytes', [t.bytes.total, t.bytes.copied, t.bytes.skipped, 0, 0, t.bytes.extras]),
      '   Times :   0:00:00   0:00:00                       0:00:00   0:00:00',
      `   Ended : ${when(ctx.now())}`,
      '',
    );
  }
  if (out.length > 0) await ctx.stdout.write(lines(...out));
  return (t.files.copied > 0 ? 1 : 0) | (t.files.extras + t.dirs.extras > 0 ? 2 : 0) | (t.files.failed > 0 ? 8 : 0);
}

function copyFile(fs: FileSystemView, from: string, to: string, cwd: string, info: FileInfo): void {
  writeWhole(fs, to, cwd, readWhole(fs, from, cwd));
  fs.setTimes(to, cwd, { lastWriteTime: info.lastWriteTime });
}

function removeTree(fs: FileSystemView, path: string, cwd: string): void {
  for (const e of fs.list(path, cwd)) {
    const p = joinPath(path, e.name);
    if (isDirectory(e)) removeTree(fs, p, cwd);
    else fs.deleteFile(p, cwd);
  }
  fs.removeDirectory(path, cwd);
}
