/**
 * What the shell contributes to a machine: programs at the image paths a
 * Windows Server Core installation has them (`C:\Windows\System32\cmd.exe`).
 * The files themselves come with the image (src/images/base/tree-data.ts);
 * a program runs only where its image file exists, so Nano Server, which
 * has no PowerShell or tasklist.exe, finds neither.
 */
import type { Program } from '../kernel/process/programs.js';

export interface ShellProgram {
  /** Absolute image path, as the image's tree spells it. */
  readonly path: string;
  readonly program: Program;
}

export const SYSTEM32 = 'C:\\Windows\\System32';
