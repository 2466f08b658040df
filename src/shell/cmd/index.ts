/** cmd.exe and the programs that belong to its world. */
import type { ShellProgram } from '../types.js';

export const cmdPrograms: readonly ShellProgram[] = [];
