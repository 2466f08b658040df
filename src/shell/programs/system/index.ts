/** System information and process programs: tasklist, taskkill, hostname, whoami, ipconfig, ping, systeminfo, curl, the container's service executables. */
import type { ShellProgram } from '../../types.js';

export const systemInfoPrograms: readonly ShellProgram[] = [];
