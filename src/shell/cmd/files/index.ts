/**
 * cmd's internal file commands: dir, type, copy, move, ren, del, md, rd,
 * mklink, under every name cmd accepts for them (erase = del, rename = ren,
 * mkdir = md, rmdir = rd). Each is a Builtin (../builtin.ts): it parses its
 * own argument text, writes to the handles the interpreter gives it and
 * returns the ERRORLEVEL to set (undefined: left as it was).
 */
import type { Builtin } from '../builtin.js';
import { copy } from './copy.js';
import { del } from './del.js';
import { dir } from './dir.js';
import { md } from './md.js';
import { mklink } from './mklink.js';
import { move } from './move.js';
import { rd } from './rd.js';
import { ren } from './ren.js';
import { type } from './type.js';

export const fileBuiltins: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['dir', dir],
  ['type', type],
  ['copy', copy],
  ['move', move],
  ['ren', ren],
  ['rename', ren],
  ['del', del],
  ['erase', del],
  ['md', md],
  ['mkdir', md],
  ['rd', rd],
  ['rmdir', rd],
  ['mklink', mklink],
]);

/**
 * The support matrix of the file commands (house style §7), in the shape
 * of the interpreter's INTERNAL_SUPPORT (builtins/index.ts).
 */
export const FILE_BUILTIN_SUPPORT: ReadonlyMap<string, { support: 'supported' | 'partial'; note?: string }> = new Map([
  ['dir', { support: 'partial', note: '/p /q /x /n /4 accepted without effect (no pager, owner column or short names); /s does not follow junctions or directory links' }],
  ['type', { support: 'partial', note: 'bytes are copied as they are (no Ctrl+Z stop, no UTF-16 conversion)' }],
  ['copy', { support: 'partial', note: '/v /n /z /d /l accepted without effect; wildcard targets use a simplified mask rule' }],
  ['move', { support: 'supported' }],
  ['ren', { support: 'partial', note: 'wildcard masks: a simplified form of the Windows rules' }],
  ['del', { support: 'supported' }],
  ['md', { support: 'supported' }],
  ['rd', { support: 'supported' }],
  ['mklink', { support: 'supported' }],
]);

export { wildcardMatcher, hasWildcards } from './wildcard.js';
export { groupThousands, dirDateTime, serialText } from './format.js';
