/**
 * COPY — copies files, or concatenates them with `+` (Microsoft Learn
 * "copy"):
 *  - `copy a b`, `copy a dir`, `copy *.txt dir`: one destination file per
 *    source; with a wildcard each source name is printed as found.
 *  - `copy a+b c`, `copy *.txt all.txt`: concatenation. Sources are read as
 *    ASCII text (up to their first Ctrl+Z) and the destination gets a Ctrl+Z
 *    at its end, unless /b; `copy a+b` appends to `a`. Each source name is printed.
 *    A wildcard source with a single-file target concatenates even when one
 *    file matches (KB Q69575 "COPY Concatenates Files Based on Command
 *    Syntax"; /a after the target adds the Ctrl+Z, the default when combining).
 *  - Ends with `%9d file(s) copied.`
 *  - Overwriting asks `Overwrite NAME? (Yes/No/All): ` unless /y, COPYCMD=/Y,
 *    or the command runs in a batch file (Microsoft Learn: "by default you're
 *    prompted … unless copy is used in a batch script"); /-y asks anyway.
 *  - `The file cannot be copied onto itself.`, the Win32 messages otherwise.
 * ERRORLEVEL 1 when nothing could be copied, else 0.
 * /v /n /z /d /l accepted and ignored (no verification, no short names, no
 * restartable mode, no encryption, links copied as their targets: DECIDED).
 */
import type { FileInfo } from '../../../kernel/fs/types.js';
import { ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND, Win32Error } from '../../../core/win32.js';
import type { Builtin, BuiltinContext } from '../builtin.js';
import { tokenize, unquote } from './args.js';
import { ask, errLine, errorText, Lines } from './output.js';
import { expand, fsOf, isDirectory, joinPath, splitPath, statOrUndefined, stripSeparator, typedPath } from './paths.js';
import { copyFile, readWhole, writeWhole } from './transfer.js';
import { hasWildcards } from './wildcard.js';
import { dosDeviceName } from '../../../kernel/fs/names.js';

const CTRL_Z = 0x1a;

interface Item {
  spec: string;
  /** Joined to the previous item by `+`. */
  plus: boolean;
}

/** Splits the operands at `+` signs outside quotes. */
function items(raws: string[]): Item[] {
  const out: Item[] = [];
  let pendingPlus = false;
  for (const raw of raws) {
    let quoted = false;
    let cur = '';
    const push = () => {
      if (cur !== '') {
        out.push({ spec: unquote(cur), plus: pendingPlus && out.length > 0 });
        pendingPlus = false;
      }
      cur = '';
    };
    for (const c of raw) {
      if (c === '"') quoted = !quoted;
      if (c === '+' && !quoted) {
        push();
        pendingPlus = true;
        continue;
      }
      cur += c;
    }
    push();
  }
  return out;
}

/** Overwrite policy: 'ask', or 'yes' once /y, COPYCMD=/Y, a batch file or an "All" answer says so. */
export type OverwritePolicy = { mode: 'ask' | 'yes' };

export function overwritePolicy(bc: BuiltinContext, switches: string[]): OverwritePolicy {
  let mode: 'ask' | 'yes' = bc.inBatch ? 'yes' : 'ask';
  const copycmd = (bc.ctx.env.get('COPYCMD') ?? '').trim().toLowerCase();
  if (copycmd === '/y') mode = 'yes';
  if (copycmd === '/-y') mode = 'ask';
  for (const s of switches) {
    if (s.toLowerCase() === 'y') mode = 'yes';
    if (s.toLowerCase() === '-y') mode = 'ask';
  }
  return { mode };
}

/** True to overwrite `path` (asks when the policy says so). */
export async function mayOverwrite(bc: BuiltinContext, policy: OverwritePolicy, path: string): Promise<boolean> {
  if (policy.mode === 'yes') return true;
  const a = await ask(bc, `Overwrite ${path}? (Yes/No/All): `, 'YNA');
  if (a === 'A') policy.mode = 'yes';
  return a === 'Y' || a === 'A';
}

function stripAtCtrlZ(data: Uint8Array): Uint8Array {
  const i = data.indexOf(CTRL_Z);
  return i < 0 ? data : data.subarray(0, i);
}

export const copy: Builtin = async (bc, args) => {
  const { ctx } = bc;
  const fs = fsOf(ctx);
  const toks = tokenize(args);
  const switches = toks.filter((t) => t.isSwitch).map((t) => t.raw.slice(1));
  let binary: boolean | undefined;
  for (const s of switches) {
    const l = s.toLowerCase();
    if (l === 'b') binary = true;
    else if (l === 'a') binary = false;
    else if (!['y', '-y', 'v', 'n', 'z', 'd', 'l'].includes(l)) {
      await errLine(bc, `Invalid switch - /${s}`);
      return 1;
    }
  }
  const policy = overwritePolicy(bc, switches);
  const list = items(toks.filter((t) => !t.isSwitch).map((t) => t.raw));
  if (list.length === 0) {
    await errLine(bc, 'The syntax of the command is incorrect.');
    return 1;
  }
  // The last item is the destination unless a `+` joins it to the sources.
  let dest: string | undefined;
  if (list.length > 1 && !list[list.length - 1]!.plus) dest = list.pop()!.spec;
  if (list.length > 1 && list.slice(1).some((i) => !i.plus)) {
    await errLine(bc, 'The syntax of the command is incorrect.');
    return 1;
  }
  const concat = list.length > 1 || (hasWildcards(list[0]!.spec) && dest !== undefined && !hasWildcards(dest) && !isDir(bc, dest));
  let copied = 0;
  const lines = new Lines();
  const fail = async (e: unknown) => {
    await lines.flushTo(bc.stdout);
    await errLine(bc, errorText(e));
  };
  const done = async () => {
    lines.push(`${String(copied).padStart(9)} file(s) copied.`);
    await lines.flushTo(bc.stdout);
    return copied > 0 ? 0 : 1;
  };

  try {
    if (concat) {
      const ascii = binary !== true;
      // Gather every source first: the destination may be one of them (`copy a+b a`).
      const parts: { shown: string; data: Uint8Array; full: string }[] = [];
      for (const it of list) {
        const full = fs.fullPath(it.spec, ctx.cwd);
        const { dir, entries } = expand(fs, full, ctx.cwd);
        const files = entries.filter((e) => !isDirectory(e));
        if (files.length === 0 && !hasWildcards(it.spec)) throw new Win32Error('CopyFile', ERROR_FILE_NOT_FOUND, full);
        for (const f of files) {
          const p = joinPath(dir, f.name);
          const data = readWhole(fs, p, ctx.cwd);
          parts.push({ shown: hasWildcards(it.spec) ? typedPath(it.spec, f.name) : it.spec, data: ascii ? stripAtCtrlZ(data) : data, full: p });
        }
      }
      if (parts.length === 0) throw new Win32Error('CopyFile', ERROR_FILE_NOT_FOUND, list[0]!.spec);
      let target = dest !== undefined ? fs.fullPath(dest, ctx.cwd) : parts[0]!.full;
      const tinfo = statOrUndefined(fs, target, ctx.cwd);
      if (tinfo && isDirectory(tinfo)) target = joinPath(target, splitPath(parts[0]!.full).name);
      const appendingToFirst = parts[0]!.full.toLowerCase() === target.toLowerCase();
      if (!appendingToFirst && statOrUndefined(fs, target, ctx.cwd) && !(await mayOverwrite(bc, policy, target))) return await done();
      const chunks: Uint8Array[] = [];
      for (const p of parts) {
        lines.push(p.shown);
        chunks.push(p.data);
      }
      if (ascii) chunks.push(Uint8Array.of(CTRL_Z));
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const out = new Uint8Array(total);
      let off = 0;
      for (const c of chunks) {
        out.set(c, off);
        off += c.length;
      }
      writeWhole(fs, target, ctx.cwd, out);
      copied = 1;
      return await done();
    }

    const src = list[0]!.spec;
    // Devices: `copy con file` reads standard input up to Ctrl+Z, `copy nul
    // file` makes an empty file, `copy file con` / `nul` writes there (no
    // overwrite question: a device is not a file that exists).
    const srcDevice = dosDeviceName(src)?.toUpperCase();
    const dstDevice = dest !== undefined ? dosDeviceName(dest)?.toUpperCase() : undefined;
    if (srcDevice !== undefined || dstDevice !== undefined) {
      let data: Uint8Array;
      if (srcDevice === 'CON') data = stripAtCtrlZ(await bc.stdin.readAll());
      else if (srcDevice !== undefined) data = new Uint8Array(0);
      else {
        const f = fs.fullPath(src, ctx.cwd);
        const info = statOrUndefined(fs, f, ctx.cwd);
        if (!info || isDirectory(info)) throw new Win32Error('CopyFile', ERROR_FILE_NOT_FOUND, f);
        data = readWhole(fs, f, ctx.cwd);
      }
      if (dstDevice === 'CON') await bc.stdout.write(data);
      else if (dstDevice === undefined) {
        const target = fs.fullPath(dest ?? splitPath(fs.fullPath(src, ctx.cwd)).name, ctx.cwd);
        const tinfo = statOrUndefined(fs, target, ctx.cwd);
        const to = tinfo && isDirectory(tinfo) ? joinPath(target, src) : target;
        if (statOrUndefined(fs, to, ctx.cwd) && !(await mayOverwrite(bc, policy, to))) return await done();
        writeWhole(fs, to, ctx.cwd, data);
      }
      copied = 1;
      return await done();
    }
    const full = fs.fullPath(src, ctx.cwd);
    let { dir, entries } = expand(fs, full, ctx.cwd);
    let wild = hasWildcards(src);
    // `copy dir target`: a directory source copies the files in it.
    if (!wild && entries.length === 1 && isDirectory(entries[0]!)) {
      dir = full;
      entries = fs.list(full, ctx.cwd);
      wild = true;
    }
    const files = entries.filter((e: FileInfo) => !isDirectory(e) && (e.attributes & 0x6) === 0);
    if (files.length === 0) throw new Win32Error('CopyFile', ERROR_FILE_NOT_FOUND, full);
    const destFull = stripSeparator(fs.fullPath(dest ?? '.', ctx.cwd));
    const dinfo = statOrUndefined(fs, destFull, ctx.cwd);
    const intoDir = dinfo !== undefined && isDirectory(dinfo);
    // `copy a C:\nodir\`: a trailing separator names a directory, which must exist.
    if (!intoDir && dest !== undefined && /[\\/]$/.test(dest)) throw new Win32Error('CopyFile', ERROR_PATH_NOT_FOUND, destFull);
    for (const f of files) {
      if (bc.signal.aborted) break;
      const from = joinPath(dir, f.name);
      const to = intoDir ? joinPath(destFull, f.name) : hasWildcards(splitPath(destFull).name) ? joinPath(splitPath(destFull).dir, renameByMask(f.name, splitPath(destFull).name)) : destFull;
      if (wild) lines.push(typedPath(src, f.name));
      if (from.toLowerCase() === to.toLowerCase()) {
        await lines.flushTo(bc.stdout);
        await errLine(bc, 'The file cannot be copied onto itself.');
        continue;
      }
      if (statOrUndefined(fs, to, ctx.cwd)) {
        await lines.flushTo(bc.stdout);
        if (!(await mayOverwrite(bc, policy, to))) continue;
      }
      try {
        copyFile(fs, from, to, ctx.cwd);
        copied++;
      } catch (e) {
        await fail(e);
      }
    }
    return await done();
  } catch (e) {
    await fail(e);
    return await done();
  }
};

function isDir(bc: BuiltinContext, spec: string): boolean {
  const fs = fsOf(bc.ctx);
  const info = statOrUndefined(fs, fs.fullPath(spec, bc.ctx.cwd), bc.ctx.cwd);
  return info !== undefined && isDirectory(info);
}

/**
 * A target name from a wildcard mask (`*.bak`, `new?.txt`), as copy, ren
 * and move apply masks. DECIDED, a simplification of the observed rules
 * (dbenham's analysis on Super User "How does the Windows RENAME command
 * interpret wildcards?"): `?` takes the source's character at that place
 * (none at a period or past the end), `*` at the end takes the rest,
 * `*` followed by a character takes the source up to that character's
 * last occurrence, and any other character replaces one source character.
 */
export function renameByMask(source: string, mask: string): string {
  let out = '';
  let s = 0;
  for (let m = 0; m < mask.length; m++) {
    const c = mask[m]!;
    if (c === '*') {
      const next = mask[m + 1];
      if (next === undefined) {
        out += source.slice(s);
        s = source.length;
      } else {
        const at = source.toLowerCase().lastIndexOf(next.toLowerCase());
        if (at >= s) {
          out += source.slice(s, at);
          s = at;
        } else {
          out += source.slice(s);
          s = source.length;
        }
      }
    } else if (c === '?') {
      if (s < source.length && source[s] !== '.') out += source[s++];
    } else if (c === '.') {
      // A period in the mask re-synchronises on the source's next period.
      const dot = source.indexOf('.', s);
      s = dot < 0 ? source.length : dot + 1;
      out += '.';
    } else {
      out += c;
      if (s < source.length && source[s] !== '.') s++;
    }
  }
  return out.replace(/\.+$/, '');
}

