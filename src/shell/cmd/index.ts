/** cmd.exe and the programs that belong to its world. */
import { SYSTEM32, type ShellProgram } from '../types.js';
import { createCmdProgram } from './main.js';

export const cmdPrograms: readonly ShellProgram[] = [{ path: `${SYSTEM32}\\cmd.exe`, program: createCmdProgram() }];

export { createCmdProgram } from './main.js';
export { CMD_LIMITS, type CmdLimits } from './limits.js';
