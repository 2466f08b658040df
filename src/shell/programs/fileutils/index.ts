/** File and text utilities cmd scripts call: xcopy, attrib, find, findstr, sort, more, where, timeout, choice. */
import type { ShellProgram } from '../../types.js';

export const fileUtilityPrograms: readonly ShellProgram[] = [];
