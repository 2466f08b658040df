/**
 * What tasklist and taskkill know of a process: the snapshot the kernel
 * gives (NtQuerySystemInformation), plus what tasklist works out itself —
 * the session's name (WTS), the owner (the process token), the status
 * (whether its windows answer), its CPU time, its services.
 *
 * The kernel's ProcessSnapshot has no token and no windows, so:
 *  - Owner: Idle, System and the processes the container's boot started
 *    (every process outside the tree of CExecSvc.exe, which starts the
 *    user's `docker run`/`exec` processes) run as a service account:
 *    NT AUTHORITY\SYSTEM, or for a svchost its services' account
 *    (LOCAL SERVICE, NETWORK SERVICE) as the SCM configured it. CExecSvc's
 *    descendants run as the container user. DECIDED: the container user is
 *    taken to be the caller's (USERDOMAIN\USERNAME); a `docker exec -u`
 *    of another user would show wrongly.
 *  - Status: tasklist reports "Running" for a process with a responding
 *    window and "Unknown" for one without windows; nothing in a container
 *    has a window (conhost is headless), so every process is "Unknown".
 *    DECIDED.
 *  - Window Title: "N/A" for the same reason.
 */
import type { ProcessContext, ProcessSnapshot } from '../../../kernel/process/context.js';
import { sessionName, tokenUser } from './machine.js';

export interface TaskInfo {
  readonly snapshot: ProcessSnapshot;
  readonly imageName: string;
  readonly pid: number;
  readonly parentPid: number;
  readonly sessionId: number;
  readonly sessionName: string;
  /** Working set in KB (tasklist's "Mem Usage"). */
  readonly memKb: number;
  readonly status: string;
  /** `DOMAIN\user` */
  readonly userName: string;
  /** CPU seconds, user + kernel. */
  readonly cpuSeconds: number;
  readonly windowTitle: string;
  readonly services: readonly string[];
  /** Modules loaded (the MODULES filter); user-mode processes load at least these. */
  readonly modules: readonly string[];
}

const SYSTEM_ACCOUNT = 'NT AUTHORITY\\SYSTEM';

/** A service's ObjectName as tasklist shows the account. */
function accountName(objectName: string): string {
  const u = objectName.toUpperCase();
  if (u === '' || u === 'LOCALSYSTEM') return SYSTEM_ACCOUNT;
  if (u === 'NT AUTHORITY\\LOCALSERVICE') return 'NT AUTHORITY\\LOCAL SERVICE';
  if (u === 'NT AUTHORITY\\NETWORKSERVICE') return 'NT AUTHORITY\\NETWORK SERVICE';
  return objectName;
}

/** `H:MM:SS` as tasklist /v prints CPU time. */
export function cpuTimeText(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Every process of the caller's silo, in the order enumeration gives them. */
export function taskList(ctx: ProcessContext): TaskInfo[] {
  const snaps = ctx.processes();
  const byPid = new Map(snaps.map((s) => [s.pid, s]));
  const user = tokenUser(ctx);
  const userName = `${user.domain}\\${user.name}`;
  const cexec = snaps.find((s) => s.imageName.toUpperCase() === 'CEXECSVC.EXE');
  const underCexec = (s: ProcessSnapshot): boolean => {
    // The user's processes descend from CExecSvc (parent chain, bounded: pids can be reused).
    let p: ProcessSnapshot | undefined = s;
    for (let i = 0; p && i < 64; i++) {
      if (cexec && p.parentPid === cexec.pid && p.creationTime >= cexec.creationTime) return true;
      const parent = byPid.get(p.parentPid);
      if (!parent || parent.creationTime > p.creationTime) return false;
      p = parent;
    }
    return false;
  };
  return snaps.map((s) => {
    let owner = SYSTEM_ACCOUNT;
    if (underCexec(s)) owner = userName;
    else if (s.services.length > 0 && ctx.services) {
      try {
        owner = accountName(ctx.services.queryConfig(s.services[0]!).lpServiceStartName);
      } catch {
        owner = SYSTEM_ACCOUNT;
      }
    }
    const kernelOnly = s.pid === 0 || s.pid === 4 || s.imageName === 'Registry';
    return {
      snapshot: s,
      imageName: s.imageName,
      pid: s.pid,
      parentPid: s.parentPid,
      sessionId: s.sessionId,
      sessionName: sessionName(s.sessionId),
      memKb: Math.floor(s.workingSet / 1024),
      status: 'Unknown',
      userName: owner,
      cpuSeconds: (s.userTime + s.kernelTime) / 1e7,
      windowTitle: 'N/A',
      services: s.services,
      modules: kernelOnly ? [] : ['ntdll.dll', 'KERNEL32.DLL', 'KERNELBASE.dll'],
    };
  });
}
