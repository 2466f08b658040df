/** Windows PowerShell 5.1 (the subset containers use). */
import type { ShellProgram } from '../types.js';

export const powershellPrograms: readonly ShellProgram[] = [];
