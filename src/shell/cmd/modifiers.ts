/**
 * `%~` modifiers of batch arguments and FOR variables (Microsoft Learn
 * "call" — batch parameters; "for" — variable substitution):
 *  ~  quotes removed   f full path   d drive   p path   n name   x extension
 *  s  short names (DECIDED: no 8.3 names are generated here, the long name is kept)
 *  a  attributes   t date/time   z size   $VAR: first match in VAR's directories
 * Several at once print attributes, time, size and path in that order, a
 * space between.
 */
import type { FileInfo, FileSystemView } from '../../kernel/fs/types.js';
import {
  FILE_ATTRIBUTE_ARCHIVE,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_HIDDEN,
  FILE_ATTRIBUTE_NOT_CONTENT_INDEXED,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  FILE_ATTRIBUTE_SYSTEM,
} from '../../kernel/fs/types.js';

/** `--a------`: d r a h s c o t l, as `%~a` prints them (DECIDED: the 9-letter form documented for cmd). */
export function attributeString(attrs: number): string {
  const bit = (m: number, ch: string) => ((attrs & m) !== 0 ? ch : '-');
  return (
    bit(FILE_ATTRIBUTE_DIRECTORY, 'd') +
    bit(FILE_ATTRIBUTE_READONLY, 'r') +
    bit(FILE_ATTRIBUTE_ARCHIVE, 'a') +
    bit(FILE_ATTRIBUTE_HIDDEN, 'h') +
    bit(FILE_ATTRIBUTE_SYSTEM, 's') +
    bit(0x800, 'c') +
    bit(0x1000, 'o') +
    bit(0x100, 't') +
    bit(FILE_ATTRIBUTE_REPARSE_POINT, 'l') +
    (attrs & FILE_ATTRIBUTE_NOT_CONTENT_INDEXED ? '' : '')
  );
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `MM/DD/YYYY hh:mm AM` (en-US short date and time, as a servercore container formats them), UTC. */
export function fileTimeString(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${d.getUTCFullYear()} ${pad2(h12)}:${pad2(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

export interface ModifierContext {
  readonly fs: FileSystemView | undefined;
  readonly cwd: string;
  getVar(name: string): string | undefined;
}

function statOrUndefined(fs: FileSystemView | undefined, path: string, cwd: string): FileInfo | undefined {
  if (!fs) return undefined;
  try {
    return fs.stat(path, cwd);
  } catch {
    return undefined;
  }
}

export function applyModifiers(mods: string, value: string, mc: ModifierContext): string {
  if (mods === '' || value === '') return value;
  const m = mods.toLowerCase();
  let path = value;
  const dollar = /\$([^:]+):/.exec(mods);
  if (dollar) {
    const dirs = (mc.getVar(dollar[1]!) ?? '').split(';').filter((d) => d !== '');
    path = '';
    for (const d of dirs) {
      const p = d.endsWith('\\') ? d + value : `${d}\\${value}`;
      if (statOrUndefined(mc.fs, p, mc.cwd)) {
        path = mc.fs!.fullPath(p, mc.cwd);
        break;
      }
    }
    if (path === '') return '';
  }
  const letters = m.replace(/\$[^:]+:/, '');
  const full = mc.fs ? mc.fs.fullPath(path, mc.cwd) : path;
  const info = letters.includes('a') || letters.includes('t') || letters.includes('z') ? statOrUndefined(mc.fs, full, mc.cwd) : undefined;
  const parts: string[] = [];
  if (letters.includes('a') && info) parts.push(attributeString(info.attributes));
  if (letters.includes('t') && info) parts.push(fileTimeString(info.lastWriteTime));
  if (letters.includes('z') && info && (info.attributes & FILE_ATTRIBUTE_DIRECTORY) === 0) parts.push(String(info.size));
  let want = letters.replace(/[atzs]/g, '');
  if (want === '' && (letters.includes('s') || dollar) && !/[atz]/.test(letters)) want = 'f';
  if (want.includes('f')) want = 'dpnx';
  if (want !== '') {
    const m2 = /^([A-Za-z]:)?(.*\\)?([^\\]*)$/.exec(full) ?? [full, '', '', full];
    const drive = m2[1] ?? '';
    const dir = m2[2] ?? '';
    const file = m2[3] ?? '';
    const dot = file.lastIndexOf('.');
    const name = dot > 0 ? file.slice(0, dot) : file;
    const ext = dot > 0 ? file.slice(dot) : '';
    let s = '';
    if (want.includes('d')) s += drive;
    if (want.includes('p')) s += dir;
    if (want.includes('n')) s += name;
    if (want.includes('x')) s += ext;
    parts.push(s);
  }
  return parts.join(' ');
}
