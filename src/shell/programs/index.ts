/** The system programs a container's users run (tasklist, reg, sc, …). */
import type { ShellProgram } from '../types.js';
import { adminPrograms } from './admin/index.js';
import { fileUtilityPrograms } from './fileutils/index.js';
import { setupPrograms } from './setup/index.js';
import { systemInfoPrograms } from './system/index.js';

export const systemPrograms: readonly ShellProgram[] = [...fileUtilityPrograms, ...systemInfoPrograms, ...adminPrograms, ...setupPrograms];
