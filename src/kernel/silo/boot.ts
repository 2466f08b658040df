/**
 * Boot sequences: the host's (before any container) and a silo's.
 *
 * A silo boots as Windows boots a session (Windows Internals, "Session
 * Manager"): the silo's master smss.exe (session 0, parent: the host's
 * vmcompute.exe, which creates it) starts a copy of itself for the
 * container's session, `smss.exe <session> <handle>`; that child starts
 * csrss.exe and wininit.exe and exits, so both show a parent pid no process
 * has any more. wininit starts services.exe and lsass.exe; services.exe
 * starts CExecSvc.exe and the auto-start services' svchost.exe instances
 * (../services/scm.ts). Servercore and nanoserver differ only in their
 * service databases (../services/catalog.ts): nanoserver has fewer.
 *
 * Decisions where sources were silent: the master smss of a silo runs in
 * session 0 (as the host's does; windows-facts §2 lists an smss among the
 * session-0 processes a container shows); the second argument of the child
 * smss's command line, a handle value in the master, is `000000a0`; the
 * host's process list below (a Windows Server 2022 container host at rest).
 */
import type { Kernel } from '../process/kernel.js';
import type { Process } from '../process/process.js';
import { ProgramRegistry, residentProgram } from '../process/programs.js';
import { servicesFor, type ImageFlavor } from '../services/catalog.js';
import { readServiceDatabase } from '../services/registry.js';
import { ServiceControlManager } from '../services/scm.js';
import type { Silo } from './silo.js';

/** Image paths of the system programs, as EPROCESS records them. */
export const SYSTEM_IMAGES = {
  smss: 'C:\\Windows\\System32\\smss.exe',
  csrss: 'C:\\Windows\\system32\\csrss.exe',
  wininit: 'C:\\Windows\\system32\\wininit.exe',
  services: 'C:\\Windows\\system32\\services.exe',
  lsass: 'C:\\Windows\\system32\\lsass.exe',
  svchost: 'C:\\Windows\\system32\\svchost.exe',
  cexecsvc: 'C:\\Windows\\system32\\CExecSvc.exe',
  vmcompute: 'C:\\Windows\\system32\\vmcompute.exe',
  dockerd: 'C:\\Program Files\\docker\\dockerd.exe',
  registry: 'Registry',
} as const;

/** csrss.exe's command line (session 0 and container sessions alike). */
export const CSRSS_COMMAND_LINE =
  '%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16';

const SMSS_COMMAND_LINE = '\\SystemRoot\\System32\\smss.exe';
/** Decision: the handle value the child smss's second argument carries. */
const SMSS_CHILD_HANDLE = 0xa0;

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** The machine-wide program registry: the system images, resident (they wait until ended). */
export function hostProgramRegistry(): ProgramRegistry {
  const r = new ProgramRegistry();
  for (const [name, path] of Object.entries(SYSTEM_IMAGES)) {
    if (path.includes('\\')) r.register(path, residentProgram(name));
  }
  return r;
}

/**
 * The host's processes before any container. 'server': System's early
 * threads, Registry, smss (whose session child starts csrss and wininit),
 * services and lsass, the core svchost groups, vmcompute (the Host Compute
 * Service) and dockerd; 'minimal': System only.
 */
export function bootHost(kernel: Kernel, mode: 'server' | 'minimal'): void {
  const host = kernel.host;
  const system = kernel.system;
  kernel.addThreads(system, mode === 'server' ? 60 : 8);
  if (mode === 'minimal') return;
  const sys = (parent: Process | undefined, imagePath: string, commandLine: string, critical = false) =>
    kernel.createSystemProcess({ silo: host, parent, imagePath, commandLine, sessionId: 0, critical });
  sys(system, SYSTEM_IMAGES.registry, '', true);
  const smss = sys(system, SYSTEM_IMAGES.smss, SMSS_COMMAND_LINE, true);
  kernel.addThreads(system, 40);
  const child = sys(smss, SYSTEM_IMAGES.smss, `${SMSS_COMMAND_LINE} ${hex8(0)} ${hex8(SMSS_CHILD_HANDLE)}`, true);
  sys(child, SYSTEM_IMAGES.csrss, CSRSS_COMMAND_LINE, true);
  const wininit = sys(child, SYSTEM_IMAGES.wininit, 'wininit.exe', true);
  kernel.endProcess(child, 0);
  const services = sys(wininit, SYSTEM_IMAGES.services, SYSTEM_IMAGES.services, true);
  sys(wininit, SYSTEM_IMAGES.lsass, SYSTEM_IMAGES.lsass, true);
  for (const group of ['DcomLaunch -p', 'RPCSS -p', 'DcomLaunch -p -s LSM', 'LocalServiceNetworkRestricted -p -s EventLog', 'netsvcs -p -s Schedule', 'NetworkService -p -s Dnscache']) {
    sys(services, SYSTEM_IMAGES.svchost, `${SYSTEM_IMAGES.svchost} -k ${group}`);
  }
  sys(services, SYSTEM_IMAGES.vmcompute, SYSTEM_IMAGES.vmcompute);
  sys(services, SYSTEM_IMAGES.dockerd, `"${SYSTEM_IMAGES.dockerd}" --run-service`);
}

/** The host process that creates a silo's smss: vmcompute.exe, or System on a minimal host. */
function siloCreator(kernel: Kernel): Process {
  for (const p of kernel.host.processes) if (p.imageName.toLowerCase() === 'vmcompute.exe') return p;
  return kernel.system;
}

/** Boots a created silo (Silo.start). */
export function bootSilo(silo: Silo): void {
  const kernel = silo.kernel;
  const sys = (parent: Process | undefined, imagePath: string, commandLine: string, sessionId = silo.sessionId) =>
    kernel.createSystemProcess({ silo, parent, imagePath, commandLine, sessionId, critical: true });
  const smss = sys(siloCreator(kernel), SYSTEM_IMAGES.smss, SMSS_COMMAND_LINE, 0);
  const child = sys(smss, SYSTEM_IMAGES.smss, `${SMSS_COMMAND_LINE} ${hex8(silo.sessionId)} ${hex8(SMSS_CHILD_HANDLE)}`);
  const csrss = sys(child, SYSTEM_IMAGES.csrss, CSRSS_COMMAND_LINE);
  const wininit = sys(child, SYSTEM_IMAGES.wininit, 'wininit.exe');
  kernel.endProcess(child, 0);
  const services = sys(wininit, SYSTEM_IMAGES.services, SYSTEM_IMAGES.services);
  const lsass = sys(wininit, SYSTEM_IMAGES.lsass, SYSTEM_IMAGES.lsass);
  Object.assign(silo.roles, { smss, csrss, wininit, services, lsass });
  const database = silo.registry ? readServiceDatabase(silo.registry) : (silo.serviceDatabase ?? servicesFor(silo.flavor as ImageFlavor));
  const scm = new ServiceControlManager(silo, services, lsass, database);
  silo.scm = scm;
  scm.boot();
  const cexec = scm.serviceProcess('CExecSvc');
  if (cexec) silo.roles.cexecsvc = cexec;
}
