/**
 * The shell: cmd.exe, the system programs and PowerShell, registered as the
 * programs of a machine's System32 (design.md: programs are TypeScript
 * functions run as processes).
 */
import type { ProgramRegistry } from '../kernel/process/programs.js';
import { cmdPrograms } from './cmd/index.js';
import { powershellPrograms } from './powershell/index.js';
import { systemPrograms } from './programs/index.js';
import type { ShellProgram } from './types.js';

export type { ShellProgram } from './types.js';

export const shellPrograms: readonly ShellProgram[] = [...cmdPrograms, ...systemPrograms, ...powershellPrograms];

/** Registers every shell program in `registry` (a kernel's, so every silo of it sees them). */
export function registerShell(registry: ProgramRegistry): void {
  for (const p of shellPrograms) registry.register(p.path, p.program);
}
