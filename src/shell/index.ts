/**
 * The shell: cmd.exe, the system programs and PowerShell, registered as the
 * programs of a machine's System32 (design.md: programs are TypeScript
 * functions run as processes).
 *
 * A family's code loads the first time one of its programs runs: a
 * `winsilo run … cmd` never compiles PowerShell, and every command starts
 * sooner (issue 7: first prompt ≤ 150 ms after Node's own start-up). The
 * image paths are listed here so registration needs no module;
 * test/shell/registration.test.ts holds them equal to what each family
 * registers.
 */
import type { Program, ProgramRegistry } from '../kernel/process/programs.js';
// conhost's cooked read is the console's line discipline for every program, shell or not.
import './console/read-line.js';
import type { ShellProgram } from './types.js';

export type { ShellProgram } from './types.js';

const S32 = 'C:\\Windows\\System32';
const WOW = 'C:\\Windows\\SysWOW64';

export interface ShellFamily {
  readonly name: string;
  readonly paths: readonly string[];
  load(): Promise<readonly ShellProgram[]>;
}

export const SHELL_FAMILIES: readonly ShellFamily[] = [
  { name: 'cmd', paths: [`${S32}\\cmd.exe`], load: async () => (await import('./cmd/index.js')).cmdPrograms },
  {
    name: 'fileutils',
    paths: ['xcopy.exe', 'attrib.exe', 'find.exe', 'findstr.exe', 'sort.exe', 'more.com', 'where.exe', 'timeout.exe', 'choice.exe'].map((n) => `${S32}\\${n}`),
    load: async () => (await import('./programs/fileutils/index.js')).fileUtilityPrograms,
  },
  {
    name: 'system',
    paths: [...['HOSTNAME.EXE', 'tasklist.exe', 'taskkill.exe', 'PING.EXE', 'whoami.exe', 'ipconfig.exe', 'systeminfo.exe', 'curl.exe'].map((n) => `${S32}\\${n}`), 'C:\\ServiceMonitor.exe'],
    load: async () => (await import('./programs/system/index.js')).systemInfoPrograms,
  },
  {
    name: 'admin',
    paths: ['reg.exe', 'sc.exe', 'net.exe', 'net1.exe'].flatMap((n) => [`${S32}\\${n}`, `${WOW}\\${n}`]),
    load: async () => (await import('./programs/admin/index.js')).adminPrograms,
  },
  {
    name: 'setup',
    paths: ['setx.exe', 'certutil.exe', 'chcp.com', 'tar.exe', 'Dism.exe', 'Robocopy.exe'].map((n) => `${S32}\\${n}`),
    load: async () => (await import('./programs/setup/index.js')).setupPrograms,
  },
  {
    name: 'powershell',
    paths: [`${S32}\\WindowsPowerShell\\v1.0\\powershell.exe`],
    load: async () => (await import('./powershell/index.js')).powershellPrograms,
  },
];

/** A program whose family's module is imported on its first run, then called as itself. */
function lazyProgram(family: ShellFamily, path: string): Program {
  let loaded: Promise<Program> | undefined;
  const key = path.toLowerCase();
  const program: Program = async (ctx) => {
    loaded ??= family.load().then((ps) => {
      const p = ps.find((x) => x.path.toLowerCase() === key);
      if (!p) throw new Error(`shell family ${family.name} registers no ${path}`);
      return p.program;
    });
    return (await loaded)(ctx);
  };
  Object.defineProperty(program, 'name', { value: path.slice(path.lastIndexOf('\\') + 1) });
  return program;
}

/** Registers every shell program in `registry` (a kernel's, so every silo of it sees them). */
export function registerShell(registry: ProgramRegistry): void {
  for (const f of SHELL_FAMILIES) for (const path of f.paths) registry.register(path, lazyProgram(f, path));
}

/** Every shell program, loaded (for tools and tests that want the functions themselves). */
export async function loadShellPrograms(): Promise<ShellProgram[]> {
  return (await Promise.all(SHELL_FAMILIES.map((f) => f.load()))).flat();
}
