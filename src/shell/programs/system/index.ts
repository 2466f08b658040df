/** System information and process programs: tasklist, taskkill, hostname, whoami, ipconfig, ping, systeminfo, curl, the container's service executables. */
import { SYSTEM32, type ShellProgram } from '../../types.js';
import { curlMain } from './curl.js';
import { hostnameMain } from './hostname.js';
import { ipconfigMain } from './ipconfig.js';
import { pingMain } from './ping.js';
import { serviceMonitorMain } from './service-monitor.js';
import { systeminfoMain } from './systeminfo.js';
import { taskkillMain } from './taskkill.js';
import { tasklistMain } from './tasklist.js';
import { whoamiMain } from './whoami.js';

export const systemInfoPrograms: readonly ShellProgram[] = [
  { path: `${SYSTEM32}\\HOSTNAME.EXE`, program: hostnameMain },
  { path: `${SYSTEM32}\\tasklist.exe`, program: tasklistMain },
  { path: `${SYSTEM32}\\taskkill.exe`, program: taskkillMain },
  { path: `${SYSTEM32}\\PING.EXE`, program: pingMain },
  { path: `${SYSTEM32}\\whoami.exe`, program: whoamiMain },
  { path: `${SYSTEM32}\\ipconfig.exe`, program: ipconfigMain },
  { path: `${SYSTEM32}\\systeminfo.exe`, program: systeminfoMain },
  { path: `${SYSTEM32}\\curl.exe`, program: curlMain },
  // The IIS images' entry point (windows-facts §6), at the root of C:.
  { path: 'C:\\ServiceMonitor.exe', program: serviceMonitorMain },
];
