/** cmd's internal file commands: dir, type, copy, move, ren, del, md, rd, mklink (and their aliases). */
import type { Builtin } from '../builtin.js';

export const fileBuiltins: ReadonlyMap<string, Builtin> = new Map();
