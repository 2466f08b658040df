/** Administration programs: reg.exe, sc.exe, net.exe (and net1.exe). */
import type { ShellProgram } from '../../types.js';

export const adminPrograms: readonly ShellProgram[] = [];
