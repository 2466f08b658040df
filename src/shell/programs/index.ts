/** The system programs a container's users run (tasklist, reg, sc, …). */
import type { ShellProgram } from '../types.js';

export const systemPrograms: readonly ShellProgram[] = [];
