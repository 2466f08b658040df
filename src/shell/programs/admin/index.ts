/**
 * Administration programs: reg.exe, sc.exe, net.exe (and net1.exe, which
 * is the same program here), at their System32 paths and at the SysWOW64
 * copies Server Core carries (tree-data.ts flags them `w`; there is one
 * registry view here, so the 32-bit copies behave as the 64-bit ones).
 */
import type { Program } from '../../../kernel/process/programs.js';
import { SYSTEM32, type ShellProgram } from '../../types.js';
import { net } from './net/net.js';
import { reg } from './reg/reg.js';
import { sc } from './sc/sc.js';

export { ADMIN_SUPPORT } from './support.js';

const SYSWOW64 = 'C:\\Windows\\SysWOW64';

const PROGRAMS: readonly [string, Program][] = [
  ['reg.exe', reg],
  ['sc.exe', sc],
  ['net.exe', net],
  ['net1.exe', net],
];

export const adminPrograms: readonly ShellProgram[] = PROGRAMS.flatMap(([file, program]) => [
  { path: `${SYSTEM32}\\${file}`, program },
  { path: `${SYSWOW64}\\${file}`, program },
]);
