/**
 * DIR — lists a directory (Microsoft Learn "dir"; the layout is what a
 * Windows Server 2022 container prints, as the seeds and real captures
 * show it):
 *
 *  ` Volume in drive C has no label.`  /  ` Volume in drive C is LABEL`
 *  ` Volume Serial Number is 7055-B6A6`
 *  (blank)
 *  ` Directory of C:\x`
 *  (blank)
 *  `MM/DD/YYYY  HH:MM AM` then, 19 columns: `    <DIR>          ` /
 *  `    <JUNCTION>     ` / `    <SYMLINKD>     ` / `    <SYMLINK>      ` or the
 *  size right-aligned in 18 columns and a space; then the name, and for a
 *  link ` [print name]`.
 *  `%16d File(s)%15s bytes` and `%16d Dir(s)%16s bytes free`.
 *
 * Supported: /a[[:]attrs] (d h s l r a i, `-` negates), /b, /s, /o[[:]order]
 * (n e g s d, `-` reverses), /w, /d (like /w), /-c and /c, /l, /t[:c|a|w],
 * /p pauses after each screenful at a console (paging.ts); /q and /x and
 * /n and /4 accepted (no owner column, no short names: DECIDED — cheap to
 * accept, rarely used in scripts).
 * Switches may come from the DIRCMD variable as on Windows.
 */
import type { FileInfo, FileSystemView } from '../../../kernel/fs/types.js';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NOT_CONTENT_INDEXED,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  FILE_ATTRIBUTE_SYSTEM,
} from '../../../kernel/fs/types.js';
import { compareNames } from '../../../kernel/fs/names.js';
import { Win32Error } from '../../../core/win32.js';
import type { Builtin, BuiltinContext } from '../builtin.js';
import { parseArgs } from './args.js';
import { dirDateTime, groupThousands, serialText } from './format.js';
import { errLine, errorText, Lines } from './output.js';
import { PagedOutput } from './paging.js';
import { driveOf, fsOf, isDirectory, isJunction, isRoot, isSymlink, joinPath, listDirectory, splitPath, statOrUndefined } from './paths.js';
import { hasWildcards, wildcardMatcher } from './wildcard.js';

const ATTRIBUTE_LETTERS: Record<string, number> = {
  d: FILE_ATTRIBUTE_DIRECTORY,
  h: FILE_ATTRIBUTE_HIDDEN,
  s: FILE_ATTRIBUTE_SYSTEM,
  l: FILE_ATTRIBUTE_REPARSE_POINT,
  r: FILE_ATTRIBUTE_READONLY,
  a: FILE_ATTRIBUTE_ARCHIVE,
  i: FILE_ATTRIBUTE_NOT_CONTENT_INDEXED,
};

interface DirOptions {
  /** Attributes that must be set / clear; undefined: the default filter (no hidden, no system). */
  must: number;
  mustNot: number;
  all: boolean;
  bare: boolean;
  recurse: boolean;
  wide: boolean;
  lower: boolean;
  /** /p: a screenful at a time. */
  pause?: boolean;
  separators: boolean;
  time: 'w' | 'c' | 'a';
  order: { key: string; reverse: boolean }[] | undefined;
}

class DirSyntaxError {
  constructor(readonly message: string) {}
}

function parseOptions(switches: string[]): DirOptions {
  const o: DirOptions = { must: 0, mustNot: 0, all: false, bare: false, recurse: false, wide: false, lower: false, separators: true, time: 'w', order: undefined };
  for (const sw of switches) {
    const neg = sw.startsWith('-');
    const s = (neg ? sw.slice(1) : sw).toLowerCase();
    const head = s.charAt(0);
    let rest = s.slice(1);
    if (rest.startsWith(':')) rest = rest.slice(1);
    switch (head) {
      case 'a': {
        if (neg) {
          o.must = o.mustNot = 0;
          o.all = false;
          break;
        }
        o.all = true;
        o.must = o.mustNot = 0;
        for (let i = 0; i < rest.length; i++) {
          let not = false;
          if (rest[i] === '-') {
            not = true;
            i++;
          }
          const bit = ATTRIBUTE_LETTERS[rest[i] ?? ''];
          if (bit === undefined) throw new DirSyntaxError(`Parameter format not correct - "${rest.slice(i)}".`);
          if (not) o.mustNot |= bit;
          else o.must |= bit;
        }
        break;
      }
      case 'b':
        o.bare = !neg;
        break;
      case 's':
        o.recurse = !neg;
        break;
      case 'w':
      case 'd':
        o.wide = !neg;
        break;
      case 'l':
        o.lower = !neg;
        break;
      case 'c':
        o.separators = !neg;
        break;
      case 't':
        if (rest && !'wca'.includes(rest.charAt(0))) throw new DirSyntaxError(`Parameter format not correct - "${rest}".`);
        o.time = (rest.charAt(0) || 'w') as 'w' | 'c' | 'a';
        break;
      case 'o': {
        if (neg) {
          o.order = undefined;
          break;
        }
        const keys: { key: string; reverse: boolean }[] = [];
        for (let i = 0; i < rest.length; i++) {
          let reverse = false;
          if (rest[i] === '-') {
            reverse = true;
            i++;
          }
          const k = rest[i] ?? '';
          if (!'nesgd'.includes(k) || k === '') throw new DirSyntaxError(`Parameter format not correct - "${rest.slice(i)}".`);
          keys.push({ key: k, reverse });
        }
        // `/o` alone: directories first, then by name (Microsoft Learn "dir").
        o.order = keys.length > 0 ? keys : [{ key: 'g', reverse: false }, { key: 'n', reverse: false }];
        break;
      }
      case 'p':
        o.pause = !neg;
        break;
      case 'q':
      case 'x':
      case 'n':
      case '4':
        break;
      default:
        throw new DirSyntaxError(`Invalid switch - "${s}".`);
    }
  }
  return o;
}

function wanted(o: DirOptions, e: FileInfo): boolean {
  if (!o.all) return (e.attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM)) === 0;
  return (e.attributes & o.must) === o.must && (e.attributes & o.mustNot) === 0;
}

function extensionOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i <= 0 ? '' : name.slice(i + 1);
}

function timeOf(o: DirOptions, e: FileInfo): number {
  return o.time === 'c' ? e.creationTime : o.time === 'a' ? e.lastAccessTime : e.lastWriteTime;
}

function sortEntries(o: DirOptions, entries: FileInfo[]): FileInfo[] {
  if (!o.order) return entries;
  const keys = o.order;
  return entries.slice().sort((a, b) => {
    for (const { key, reverse } of keys) {
      let c = 0;
      switch (key) {
        case 'n':
          c = compareNames(a.name, b.name);
          break;
        case 'e':
          c = compareNames(extensionOf(a.name), extensionOf(b.name));
          break;
        case 'g':
          c = (isDirectory(a) ? 0 : 1) - (isDirectory(b) ? 0 : 1);
          break;
        case 's':
          c = a.size - b.size;
          break;
        case 'd':
          c = timeOf(o, a) - timeOf(o, b);
          break;
      }
      if (c !== 0) return reverse ? -c : c;
    }
    return 0;
  });
}

/** One directory's entries as dir shows them (`.` and `..` first outside a root). */
function listing(fs: FileSystemView, cwd: string, dir: string, raw: FileInfo[], match: (name: string) => boolean, o: DirOptions): FileInfo[] {
  const found = raw.filter((e) => match(e.name) && wanted(o, e));
  if (!o.bare && !isRoot(dir)) {
    const dots: FileInfo[] = [];
    const self = statOrUndefined(fs, dir, cwd);
    const parent = statOrUndefined(fs, splitPath(dir).dir, cwd);
    // `.` and `..` show whatever the attributes of what they name (a root is hidden and system).
    const dotWanted = (e: FileInfo) => !o.all || wanted(o, { ...e, attributes: e.attributes & ~(FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM) });
    if (self && match('.') && dotWanted(self)) dots.push({ ...self, name: '.' });
    if (parent && match('..') && dotWanted(parent)) dots.push({ ...parent, name: '..' });
    return sortEntries(o, [...dots, ...found]);
  }
  return sortEntries(o, found);
}

interface Totals {
  files: number;
  dirs: number;
  bytes: number;
}

function entryLine(o: DirOptions, e: FileInfo): string {
  const name = o.lower ? e.name.toLowerCase() : e.name;
  const when = dirDateTime(timeOf(o, e));
  const target = e.reparse ? ` [${e.reparse.printName}]` : '';
  if (isJunction(e)) return `${when}    <JUNCTION>     ${name}${target}`;
  if (isSymlink(e)) return isDirectory(e) ? `${when}    <SYMLINKD>     ${name}${target}` : `${when}    <SYMLINK>      ${name}${target}`;
  if (isDirectory(e)) return `${when}    <DIR>          ${name}`;
  return `${when}${number(o, e.size).padStart(18)} ${name}`;
}

function number(o: DirOptions, n: number): string {
  return o.separators ? groupThousands(n) : String(n);
}

/**
 * The wide format (/w): names across in columns, directories in brackets.
 * DECIDED (ReactOS cmd's layout; no Windows source says otherwise): every
 * name, the last of a line too, is padded to the longest name plus one;
 * as many columns as the console's width holds with a space between them
 * (80 columns when output is not a console).
 */
function wideLines(o: DirOptions, entries: FileInfo[], columns: number, lines: Lines): void {
  const names = entries.map((e) => {
    const n = o.lower ? e.name.toLowerCase() : e.name;
    return isDirectory(e) ? `[${n}]` : n;
  });
  const longest = Math.max(1, ...names.map((n) => n.length));
  let perLine = Math.floor(columns / longest);
  if (longest * perLine + perLine >= columns) perLine--;
  perLine = Math.max(1, perLine);
  for (let i = 0; i < names.length; i += perLine) {
    lines.push(
      names
        .slice(i, i + perLine)
        .map((n) => n.padEnd(longest + 1))
        .join(''),
    );
  }
}

function count(e: FileInfo, t: Totals): void {
  if (isDirectory(e)) t.dirs++;
  else {
    t.files++;
    t.bytes += isSymlink(e) ? 0 : e.size;
  }
}

export const dir: Builtin = async (bc: BuiltinContext, args: string): Promise<number | undefined> => {
  const { ctx } = bc;
  const fs = fsOf(ctx);
  const dircmd = ctx.env.get('DIRCMD') ?? '';
  const parsed = parseArgs(`${dircmd} ${args}`);
  let o: DirOptions;
  try {
    o = parseOptions(parsed.switches);
  } catch (e) {
    if (!(e instanceof DirSyntaxError)) throw e;
    await errLine(bc, e.message);
    return 1;
  }
  const specs = parsed.operands.length > 0 ? parsed.operands : ['*'];
  const columns = bc.stdout.isConsole ? (ctx.console?.columns ?? 80) : 80;
  const lines = new Lines();
  const pager = o.pause ? PagedOutput.over(bc) : undefined;
  const out = pager ?? bc.stdout;
  const grand: Totals = { files: 0, dirs: 0, bytes: 0 };
  let headerDone = false;
  let anyFound = false;
  let failed = false;
  let lastDrive = 'C';

  const header = (drive: string) => {
    if (headerDone || o.bare) return;
    headerDone = true;
    const v = fs.volume(drive);
    lines.push(v && v.label ? ` Volume in drive ${drive} is ${v.label}` : ` Volume in drive ${drive} has no label.`);
    lines.push(` Volume Serial Number is ${serialText(v?.serialNumber ?? 0)}`);
  };

  for (const spec of specs) {
    if (bc.signal.aborted) break;
    let full: string;
    try {
      // `dir C:\x\` lists C:\x (its name without the trailing separator).
      full = fs.fullPath(spec, ctx.cwd).replace(/(?<=[^:\\])\\+$/, '');
    } catch (e) {
      await lines.flushTo(out);
      await errLine(bc, errorText(e));
      failed = true;
      continue;
    }
    const drive = driveOf(full) ?? 'C';
    lastDrive = drive;
    header(drive);
    // A directory named without wildcards lists its contents.
    let dirPath: string;
    let pattern: string;
    const info = hasWildcards(full) ? undefined : statOrUndefined(fs, full, ctx.cwd);
    if (info && isDirectory(info)) {
      dirPath = full;
      pattern = '*';
    } else {
      ({ dir: dirPath, name: pattern } = splitPath(full));
      if (pattern === '') pattern = '*';
    }
    const match = wildcardMatcher(pattern);
    const queue: string[] = [dirPath];
    let foundHere = false;
    let failedHere = false;
    while (queue.length > 0) {
      if (bc.signal.aborted) break;
      const d = queue.shift()!;
      let entries: FileInfo[];
      let raw: FileInfo[] = [];
      try {
        raw = listDirectory(fs, d, ctx.cwd);
        entries = listing(fs, ctx.cwd, d, raw, match, o);
      } catch (e) {
        if (!(e instanceof Win32Error)) throw e;
        if (d === dirPath) {
          // DECIDED: a missing folder on the way prints FindFirstFile's
          // ERROR_PATH_NOT_FOUND text after the volume header, without a
          // `Directory of` line (a missing last name is `File Not Found`, below).
          await lines.flushTo(out);
          await errLine(bc, errorText(e));
          failedHere = true;
        }
        entries = [];
      }
      if (o.recurse) {
        // Subdirectories are searched in index order after this one (depth first, as dir /s walks).
        queue.unshift(...raw.filter((e) => isDirectory(e) && !isJunction(e) && !isSymlink(e)).map((e) => joinPath(d, e.name)));
      }
      if (entries.length === 0) continue;
      foundHere = true;
      const t: Totals = { files: 0, dirs: 0, bytes: 0 };
      for (const e of entries) count(e, t);
      grand.files += t.files;
      grand.dirs += t.dirs;
      grand.bytes += t.bytes;
      if (o.bare) {
        for (const e of entries) {
          const n = o.lower ? e.name.toLowerCase() : e.name;
          lines.push(o.recurse ? joinPath(d, n) : n);
        }
        continue;
      }
      if (pager instanceof PagedOutput) {
        await lines.flushTo(pager);
        pager.directory = d;
      }
      lines.push('');
      lines.push(` Directory of ${d}`);
      lines.push('');
      if (o.wide) wideLines(o, entries, columns, lines);
      else for (const e of entries) lines.push(entryLine(o, e));
      lines.push(`${String(t.files).padStart(16)} File(s)${number(o, t.bytes).padStart(15)} bytes`);
      if (!o.recurse) lines.push(`${String(t.dirs).padStart(16)} Dir(s)${number(o, free(fs, drive)).padStart(16)} bytes free`);
    }
    if (failedHere) failed = true;
    if (foundHere) anyFound = true;
    else if (!failedHere) {
      if (!o.bare && !o.recurse) {
        lines.push('');
        lines.push(` Directory of ${dirPath}`);
        lines.push('');
      }
      await lines.flushTo(out);
      await errLine(bc, 'File Not Found');
      failed = true;
    }
  }
  if (o.recurse && !o.bare && anyFound) {
    lines.push('');
    lines.push('     Total Files Listed:');
    lines.push(`${String(grand.files).padStart(16)} File(s)${number(o, grand.bytes).padStart(15)} bytes`);
    lines.push(`${String(grand.dirs).padStart(16)} Dir(s)${number(o, free(fs, lastDrive)).padStart(16)} bytes free`);
  }
  await lines.flushTo(out);
  return failed ? 1 : 0;
};

function free(fs: FileSystemView, drive: string): number {
  return fs.volume(drive)?.space().freeBytes ?? 0;
}
