/**
 * Default environment blocks of a booted silo, for when the image does not
 * bring its own: the LocalSystem block services.exe hands its services, and
 * the block of the container's default user (ContainerAdministrator on
 * servercore, ContainerUser on nanoserver) that `docker run` processes get.
 * Variable names, values and casing follow a Windows Server 2022 container's
 * `set` output; built with set() so the blocks are sorted as
 * CreateEnvironmentBlock leaves them. Image synthesis may pass its own.
 */
import { Environment } from '../process/environment.js';

export interface EnvironmentDefaults {
  computerName: string;
  flavor: string;
  cpuCount: number;
}

function machine(d: EnvironmentDefaults): Record<string, string> {
  const nano = d.flavor === 'nanoserver';
  const vars: Record<string, string> = {
    ALLUSERSPROFILE: 'C:\\ProgramData',
    CommonProgramFiles: 'C:\\Program Files\\Common Files',
    CommonProgramW6432: 'C:\\Program Files\\Common Files',
    COMPUTERNAME: d.computerName,
    ComSpec: 'C:\\Windows\\system32\\cmd.exe',
    DriverData: 'C:\\Windows\\System32\\Drivers\\DriverData',
    NUMBER_OF_PROCESSORS: String(d.cpuCount),
    OS: 'Windows_NT',
    Path: nano
      ? 'C:\\Windows\\system32;C:\\Windows'
      : 'C:\\Windows\\system32;C:\\Windows;C:\\Windows\\System32\\Wbem;C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\;C:\\Windows\\System32\\OpenSSH\\',
    PATHEXT: nano ? '.COM;.EXE;.BAT;.CMD' : '.COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC',
    PROCESSOR_ARCHITECTURE: 'AMD64',
    ProgramData: 'C:\\ProgramData',
    ProgramFiles: 'C:\\Program Files',
    ProgramW6432: 'C:\\Program Files',
    PUBLIC: 'C:\\Users\\Public',
    SystemDrive: 'C:',
    SystemRoot: 'C:\\Windows',
    windir: 'C:\\Windows',
  };
  if (!nano) {
    vars['CommonProgramFiles(x86)'] = 'C:\\Program Files (x86)\\Common Files';
    vars['ProgramFiles(x86)'] = 'C:\\Program Files (x86)';
    vars.PSModulePath = '%ProgramFiles%\\WindowsPowerShell\\Modules;C:\\Windows\\system32\\WindowsPowerShell\\v1.0\\Modules';
  }
  return vars;
}

function build(vars: Record<string, string>): Environment {
  const env = Environment.empty();
  for (const [k, v] of Object.entries(vars)) env.set(k, v);
  return env;
}

/**
 * Blocks without the per-silo values, built once per flavor and processor
 * count; each silo clones one (sharing its entries until a change) and sets
 * COMPUTERNAME (and the LocalSystem USERNAME, COMPUTERNAME$) on its copy.
 */
const TEMPLATES = new Map<string, Environment>();

function template(kind: 'system' | 'user', d: EnvironmentDefaults): Environment {
  const key = `${kind}|${d.flavor === 'nanoserver' ? 'nanoserver' : 'servercore'}|${d.cpuCount}`;
  let t = TEMPLATES.get(key);
  if (!t) {
    const m = machine({ ...d, computerName: '' });
    if (kind === 'system') {
      t = build({
        ...m,
        TEMP: 'C:\\Windows\\TEMP',
        TMP: 'C:\\Windows\\TEMP',
        USERDOMAIN: 'WORKGROUP',
        USERNAME: '',
        USERPROFILE: 'C:\\Windows\\system32\\config\\systemprofile',
      });
    } else {
      const user = d.flavor === 'nanoserver' ? 'ContainerUser' : 'ContainerAdministrator';
      const profile = `C:\\Users\\${user}`;
      t = build({
        ...m,
        APPDATA: `${profile}\\AppData\\Roaming`,
        LOCALAPPDATA: `${profile}\\AppData\\Local`,
        Path: `${m.Path};${profile}\\AppData\\Local\\Microsoft\\WindowsApps`,
        TEMP: `${profile}\\AppData\\Local\\Temp`,
        TMP: `${profile}\\AppData\\Local\\Temp`,
        USERDOMAIN: 'User Manager',
        USERNAME: user,
        USERPROFILE: profile,
      });
    }
    TEMPLATES.set(key, t);
  }
  return t.clone();
}

/** The LocalSystem block (services, system processes). */
export function systemEnvironment(d: EnvironmentDefaults): Environment {
  const env = template('system', d);
  env.set('COMPUTERNAME', d.computerName);
  env.set('USERNAME', `${d.computerName}$`);
  return env;
}

/** The default user's block: ContainerAdministrator (servercore) or ContainerUser (nanoserver), in the "User Manager" domain. */
export function userEnvironment(d: EnvironmentDefaults): Environment {
  const env = template('user', d);
  env.set('COMPUTERNAME', d.computerName);
  return env;
}
