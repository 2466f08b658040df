/**
 * services.exe, the service control manager of one silo: its database
 * (read from the registry at boot, as the real one is — later edits of the
 * registry take effect at the next boot, edits through the SCM at once), the
 * state of each service, and the processes that host them.
 *
 * Hosting (what `tasklist /svc` shows):
 *  - An own-process service runs its ImagePath as services.exe's child.
 *  - A svchost service (`svchost.exe -k <group>`) gets its own instance,
 *    `svchost.exe -k <group> -p -s <name>` — Windows splits svchost
 *    services one per process on machines with 3.5 GB or more, which a
 *    container host always has — unless its key sets SvcHostSplitDisable,
 *    then it shares the group's instance (`svchost.exe -k DcomLaunch -p`
 *    hosts DcomLaunch, Power, PlugPlay, BrokerInfrastructure and
 *    SystemEventsBroker; `-k RPCSS -p` hosts RpcEptMapper and RpcSs).
 *  - lsass.exe services (SamSs, KeyIso, Netlogon, VaultSvc) run in lsass.
 *  - Kernel drivers are the host's: in a silo every catalogued driver
 *    reports RUNNING, and starting a driver is refused silently (the call
 *    succeeds, nothing loads — windows-facts §2).
 *
 * State changes are immediate: a start leaves RUNNING, a stop STOPPED (no
 * program here reports START_PENDING progress), so dwCheckPoint and
 * dwWaitHint read 0. A service process that ends on its own leaves its
 * services STOPPED with ERROR_PROCESS_ABORTED (1067), as the SCM records a
 * service that "terminated unexpectedly".
 *
 * Errors (Win32Error, what sc.exe and net.exe print):
 *  ERROR_SERVICE_DOES_NOT_EXIST 1060, ERROR_SERVICE_ALREADY_RUNNING 1056,
 *  ERROR_SERVICE_DISABLED 1058, ERROR_SERVICE_NOT_ACTIVE 1062,
 *  ERROR_DEPENDENT_SERVICES_RUNNING 1051, ERROR_INVALID_SERVICE_CONTROL 1052
 *  (a control the service does not accept), ERROR_SERVICE_DEPENDENCY_FAIL
 *  1068, ERROR_SERVICE_DEPENDENCY_DELETED 1075, ERROR_CIRCULAR_DEPENDENCY
 *  1059, ERROR_SERVICE_EXISTS 1073, ERROR_SERVICE_MARKED_FOR_DELETE 1072,
 *  and a missing image's ERROR_FILE_NOT_FOUND 2.
 */
import {
  ERROR_CIRCULAR_DEPENDENCY,
  ERROR_DEPENDENT_SERVICES_RUNNING,
  ERROR_INVALID_PARAMETER,
  ERROR_INVALID_SERVICE_CONTROL,
  ERROR_PROCESS_ABORTED,
  ERROR_SERVICE_ALREADY_RUNNING,
  ERROR_SERVICE_DEPENDENCY_DELETED,
  ERROR_SERVICE_DEPENDENCY_FAIL,
  ERROR_SERVICE_DISABLED,
  ERROR_SERVICE_DOES_NOT_EXIST,
  ERROR_SERVICE_EXISTS,
  ERROR_SERVICE_MARKED_FOR_DELETE,
  ERROR_SERVICE_NEVER_STARTED,
  ERROR_SERVICE_NOT_ACTIVE,
  Win32Error,
} from '../../core/win32.js';
import type { Process } from '../process/process.js';
import type { Silo } from '../silo/silo.js';
import { SERVICE_GROUP_ORDER, type ServiceSpec } from './catalog.js';
import {
  SC_GROUP_IDENTIFIER,
  SERVICE_ACCEPT_PAUSE_CONTINUE,
  SERVICE_ACCEPT_STOP,
  SERVICE_ACTIVE,
  SERVICE_AUTO_START,
  SERVICE_CONTROL_CONTINUE,
  SERVICE_CONTROL_INTERROGATE,
  SERVICE_CONTROL_PAUSE,
  SERVICE_CONTROL_STOP,
  SERVICE_DISABLED,
  SERVICE_DRIVER,
  SERVICE_INACTIVE,
  SERVICE_PAUSED,
  SERVICE_RUNNING,
  SERVICE_STATE_ALL,
  SERVICE_STOPPED,
  SERVICE_SYSTEM_START,
  SERVICE_WIN32,
  SERVICE_WIN32_OWN_PROCESS,
  SERVICE_WIN32_SHARE_PROCESS,
  SERVICES_KEY,
} from './constants.js';
import { writeService } from './registry.js';

/** SERVICE_STATUS_PROCESS. */
export interface ServiceStatusProcess {
  dwServiceType: number;
  dwCurrentState: number;
  dwControlsAccepted: number;
  dwWin32ExitCode: number;
  dwServiceSpecificExitCode: number;
  dwCheckPoint: number;
  dwWaitHint: number;
  dwProcessId: number;
  dwServiceFlags: number;
}

/** ENUM_SERVICE_STATUS_PROCESS. */
export interface EnumServiceStatusProcess {
  lpServiceName: string;
  lpDisplayName: string;
  ServiceStatusProcess: ServiceStatusProcess;
}

/** QUERY_SERVICE_CONFIG, plus the description (QueryServiceConfig2 SERVICE_CONFIG_DESCRIPTION). */
export interface ServiceConfig {
  dwServiceType: number;
  dwStartType: number;
  dwErrorControl: number;
  lpBinaryPathName: string;
  lpLoadOrderGroup: string;
  dwTagId: number;
  lpDependencies: string[];
  lpServiceStartName: string;
  lpDisplayName: string;
  description: string;
  delayedAutoStart: boolean;
}

/** What ChangeServiceConfig may change (undefined: SERVICE_NO_CHANGE). */
export type ServiceConfigChange = Partial<
  Pick<ServiceSpec, 'type' | 'start' | 'errorControl' | 'imagePath' | 'group' | 'dependOnService' | 'objectName' | 'displayName' | 'description' | 'delayedAutoStart'>
>;

/** Started before the load-order groups. Decision: windows-facts §2 lists CExecSvc right after lsass. */
const BOOT_FIRST = ['CExecSvc'];

interface ServiceRecord {
  spec: ServiceSpec;
  state: number;
  win32ExitCode: number;
  process: Process | undefined;
  markedForDelete: boolean;
  /** Runs in its own svchost instance (a split svchost service). */
  split: boolean;
}

const key = (name: string) => name.toUpperCase();

/**
 * Upcased names of specs and of their dependencies, computed once per spec
 * (boots of containers on one image share their specs: services/registry.ts)
 * rather than at every comparison.
 */
const SPEC_KEYS = new WeakMap<ServiceSpec, string>();
const DEPENDENCY_KEYS = new WeakMap<readonly string[], readonly string[]>();
const NO_DEPENDENCIES: readonly string[] = [];
const BOOT_FIRST_KEYS = BOOT_FIRST.map(key);

function specKey(s: ServiceSpec): string {
  let k = SPEC_KEYS.get(s);
  if (k === undefined) SPEC_KEYS.set(s, (k = key(s.name)));
  return k;
}

function dependencyKeys(s: ServiceSpec): readonly string[] {
  const deps = s.dependOnService;
  if (deps === undefined || deps.length === 0) return NO_DEPENDENCIES;
  let k = DEPENDENCY_KEYS.get(deps);
  if (k === undefined) DEPENDENCY_KEYS.set(deps, (k = deps.map(key)));
  return k;
}

/** Load-order group (upcased) → its place in ServiceGroupOrder (the first, should a name repeat). */
const GROUP_INDEX: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  SERVICE_GROUP_ORDER.forEach((g, i) => {
    if (!m.has(key(g))) m.set(key(g), i);
  });
  return m;
})();

export class ServiceControlManager {
  private readonly records = new Map<string, ServiceRecord>();
  /** Shared svchost instances by -k group. */
  private readonly sharedHosts = new Map<string, Process>();
  /** ImagePath → as expanded in services.exe's environment, while boot() runs. */
  private bootExpansions: Map<string, string> | undefined = undefined;

  constructor(
    readonly silo: Silo,
    /** services.exe */
    readonly process: Process,
    /** lsass.exe, host of SamSs, KeyIso, Netlogon, VaultSvc. */
    readonly lsass: Process | undefined,
    database: readonly ServiceSpec[],
  ) {
    for (const spec of database) {
      this.records.set(specKey(spec), { spec, state: SERVICE_STOPPED, win32ExitCode: ERROR_SERVICE_NEVER_STARTED, process: undefined, markedForDelete: false, split: false });
    }
  }

  /**
   * Boot: drivers report the host's state; CExecSvc first, then auto-start
   * services (and the demand-start ones whose triggers fire at boot) by
   * load-order group, alphabetically within a group, ungrouped last, delayed
   * ones at the end; each after its dependencies. A service that fails to
   * start stays STOPPED with the error as its exit code; boot goes on.
   */
  boot(): void {
    for (const r of this.records.values()) {
      if ((r.spec.type & SERVICE_DRIVER) !== 0) {
        r.state = SERVICE_RUNNING;
        r.win32ExitCode = 0;
      }
    }
    const groupIndex = (g: string | undefined) => (g ? GROUP_INDEX.get(key(g)) : undefined) ?? SERVICE_GROUP_ORDER.length;
    const candidates = [...this.records.values()].filter(
      (r) => (r.spec.type & SERVICE_WIN32) !== 0 && (r.spec.start === SERVICE_AUTO_START || (r.spec.triggerStartsAtBoot && r.spec.start !== SERVICE_DISABLED)),
    );
    const first = candidates.filter((r) => BOOT_FIRST_KEYS.includes(specKey(r.spec)));
    const rest = candidates
      .filter((r) => !first.includes(r))
      .map((r, i) => ({ r, i, g: groupIndex(r.spec.group), d: r.spec.delayedAutoStart ? 1 : 0 }))
      .sort((a, b) => a.d - b.d || a.g - b.g || a.i - b.i)
      .map((x) => x.r);
    // No program runs until the boot returns (they start from the microtask
    // queue), so services.exe's environment is the same for every launch.
    this.bootExpansions = new Map();
    try {
      for (const r of [...first, ...rest]) {
        if (r.state !== SERVICE_STOPPED) continue;
        try {
          this.startRecord(r, new Set());
        } catch (e) {
          if (!(e instanceof Win32Error)) throw e;
          r.win32ExitCode = e.code;
        }
      }
    } finally {
      this.bootExpansions = undefined;
    }
  }

  /** @internal The process hosting a running Win32 service (CExecSvc.exe for the boot's roles), if any. */
  serviceProcess(name: string): Process | undefined {
    const r = this.records.get(key(name));
    return r && (r.spec.type & SERVICE_WIN32) !== 0 && r.state !== SERVICE_STOPPED ? r.process : undefined;
  }

  // ---- queries -------------------------------------------------------------------

  /**
   * EnumServicesStatusEx: services of `type` (default SERVICE_WIN32) in
   * `state` (default SERVICE_ACTIVE), sorted by service name as the SCM
   * database is.
   */
  enumerate(type: number = SERVICE_WIN32, state: number = SERVICE_ACTIVE): EnumServiceStatusProcess[] {
    if (state < SERVICE_ACTIVE || state > SERVICE_STATE_ALL) throw new Win32Error('EnumServicesStatusEx', ERROR_INVALID_PARAMETER);
    const out: EnumServiceStatusProcess[] = [];
    for (const r of this.sorted()) {
      if ((r.spec.type & type) === 0) continue;
      const active = r.state !== SERVICE_STOPPED;
      if ((active && (state & SERVICE_ACTIVE) === 0) || (!active && (state & SERVICE_INACTIVE) === 0)) continue;
      out.push({ lpServiceName: r.spec.name, lpDisplayName: r.spec.displayName, ServiceStatusProcess: this.status(r) });
    }
    return out;
  }

  /** QueryServiceStatusEx. */
  query(name: string): ServiceStatusProcess {
    return this.status(this.open(name, 'QueryServiceStatusEx'));
  }

  /** QueryServiceConfig (+ description, delayed start). */
  queryConfig(name: string): ServiceConfig {
    const s = this.open(name, 'QueryServiceConfig').spec;
    return {
      dwServiceType: s.type,
      dwStartType: s.start,
      dwErrorControl: s.errorControl,
      lpBinaryPathName: s.imagePath,
      lpLoadOrderGroup: s.group ?? '',
      dwTagId: 0,
      lpDependencies: [...(s.dependOnService ?? [])],
      lpServiceStartName: s.objectName ?? '',
      lpDisplayName: s.displayName,
      description: s.description ?? '',
      delayedAutoStart: s.delayedAutoStart ?? false,
    };
  }

  /** The service's key name as stored (OpenService is case-insensitive). */
  keyName(name: string): string {
    return this.open(name, 'OpenService').spec.name;
  }

  /** GetServiceKeyName: the service whose display name this is (case-insensitive). */
  keyNameOfDisplayName(displayName: string): string {
    const d = key(displayName);
    for (const r of this.records.values()) if (key(r.spec.displayName) === d && !r.markedForDelete) return r.spec.name;
    throw new Win32Error('GetServiceKeyName', ERROR_SERVICE_DOES_NOT_EXIST, displayName);
  }

  /** GetServiceDisplayName. */
  displayName(name: string): string {
    return this.open(name, 'GetServiceDisplayName').spec.displayName;
  }

  /** EnumDependentServices: the services that depend on `name`, directly or not, in `state` (default active). */
  dependents(name: string, state: number = SERVICE_ACTIVE): EnumServiceStatusProcess[] {
    const r = this.open(name, 'EnumDependentServices');
    const out: EnumServiceStatusProcess[] = [];
    const seen = new Set<ServiceRecord>([r]);
    const visit = (target: ServiceRecord) => {
      for (const d of this.records.values()) {
        if (seen.has(d)) continue;
        if (!dependencyKeys(d.spec).includes(specKey(target.spec))) continue;
        seen.add(d);
        visit(d);
        const active = d.state !== SERVICE_STOPPED;
        if ((active && (state & SERVICE_ACTIVE) !== 0) || (!active && (state & SERVICE_INACTIVE) !== 0)) {
          out.push({ lpServiceName: d.spec.name, lpDisplayName: d.spec.displayName, ServiceStatusProcess: this.status(d) });
        }
      }
    };
    visit(r);
    return out;
  }

  /** The services a process hosts, in start order (tasklist /svc). */
  servicesOf(p: Process): string[] {
    return p.services ? [...p.services] : [];
  }

  // ---- control -------------------------------------------------------------------

  /** StartService: dependencies first. */
  start(name: string): void {
    const r = this.open(name, 'StartService');
    if (r.markedForDelete) throw new Win32Error('StartService', ERROR_SERVICE_MARKED_FOR_DELETE, r.spec.name);
    if (r.state !== SERVICE_STOPPED) throw new Win32Error('StartService', ERROR_SERVICE_ALREADY_RUNNING, r.spec.name);
    this.startRecord(r, new Set());
  }

  /** ControlService(SERVICE_CONTROL_STOP). */
  stop(name: string): ServiceStatusProcess {
    return this.control(name, SERVICE_CONTROL_STOP);
  }

  /** ControlService: STOP, PAUSE, CONTINUE, INTERROGATE; user-defined codes 128–255 are not accepted by any service here. */
  control(name: string, control: number): ServiceStatusProcess {
    const r = this.open(name, 'ControlService');
    const accepts = r.spec.controlsAccepted;
    switch (control) {
      case SERVICE_CONTROL_STOP: {
        if (r.state === SERVICE_STOPPED) throw new Win32Error('ControlService', ERROR_SERVICE_NOT_ACTIVE, r.spec.name);
        if ((accepts & SERVICE_ACCEPT_STOP) === 0) throw new Win32Error('ControlService', ERROR_INVALID_SERVICE_CONTROL, r.spec.name);
        if (this.dependents(r.spec.name, SERVICE_ACTIVE).length > 0) throw new Win32Error('ControlService', ERROR_DEPENDENT_SERVICES_RUNNING, r.spec.name);
        this.stopRecord(r);
        return this.status(r);
      }
      case SERVICE_CONTROL_PAUSE:
      case SERVICE_CONTROL_CONTINUE: {
        if (r.state === SERVICE_STOPPED) throw new Win32Error('ControlService', ERROR_SERVICE_NOT_ACTIVE, r.spec.name);
        if ((accepts & SERVICE_ACCEPT_PAUSE_CONTINUE) === 0) throw new Win32Error('ControlService', ERROR_INVALID_SERVICE_CONTROL, r.spec.name);
        r.state = control === SERVICE_CONTROL_PAUSE ? SERVICE_PAUSED : SERVICE_RUNNING;
        return this.status(r);
      }
      case SERVICE_CONTROL_INTERROGATE:
        if (r.state === SERVICE_STOPPED) throw new Win32Error('ControlService', ERROR_SERVICE_NOT_ACTIVE, r.spec.name);
        return this.status(r);
      default:
        if (control >= 128 && control <= 255) {
          if (r.state === SERVICE_STOPPED) throw new Win32Error('ControlService', ERROR_SERVICE_NOT_ACTIVE, r.spec.name);
          throw new Win32Error('ControlService', ERROR_INVALID_SERVICE_CONTROL, r.spec.name);
        }
        throw new Win32Error('ControlService', ERROR_INVALID_PARAMETER, r.spec.name);
    }
  }

  // ---- configuration ---------------------------------------------------------------

  /** ChangeServiceConfig(2): written to the registry and in effect at once. */
  changeConfig(name: string, change: ServiceConfigChange): void {
    const r = this.open(name, 'ChangeServiceConfig');
    if (r.markedForDelete) throw new Win32Error('ChangeServiceConfig', ERROR_SERVICE_MARKED_FOR_DELETE, r.spec.name);
    const next: ServiceSpec = { ...r.spec, ...definedOnly(change) };
    this.validate(next, 'ChangeServiceConfig');
    r.spec = next;
    if (this.silo.registry) writeService(this.silo.registry, next);
  }

  /** ChangeServiceConfig with only the start type (`sc config NAME start= …`, Set-Service -StartupType). */
  setStartType(name: string, start: number): void {
    this.changeConfig(name, { start });
  }

  /** CreateService: ERROR_SERVICE_EXISTS when the name is taken. */
  create(spec: Omit<ServiceSpec, 'controlsAccepted' | 'errorControl'> & Partial<Pick<ServiceSpec, 'controlsAccepted' | 'errorControl'>>): void {
    if (this.records.has(key(spec.name))) throw new Win32Error('CreateService', ERROR_SERVICE_EXISTS, spec.name);
    const full: ServiceSpec = { errorControl: 1, controlsAccepted: SERVICE_ACCEPT_STOP, ...spec };
    this.validate(full, 'CreateService');
    this.records.set(key(full.name), { spec: full, state: SERVICE_STOPPED, win32ExitCode: ERROR_SERVICE_NEVER_STARTED, process: undefined, markedForDelete: false, split: false });
    if (this.silo.registry) writeService(this.silo.registry, full);
  }

  /** DeleteService: gone at once if stopped, else marked and gone when it stops. */
  delete(name: string): void {
    const r = this.open(name, 'DeleteService');
    if (r.markedForDelete) throw new Win32Error('DeleteService', ERROR_SERVICE_MARKED_FOR_DELETE, r.spec.name);
    r.markedForDelete = true;
    if (r.state === SERVICE_STOPPED) this.forget(r);
  }

  // ---- internal --------------------------------------------------------------------

  /** @internal A process ended: the services it hosted stop (unexpectedly, unless we stopped them). */
  processExited(p: Process): void {
    if (!p.services) return;
    for (const name of p.services) {
      const r = this.records.get(key(name));
      if (!r || r.process !== p) continue;
      r.state = SERVICE_STOPPED;
      r.win32ExitCode = ERROR_PROCESS_ABORTED;
      r.process = undefined;
      if (r.markedForDelete) this.forget(r);
    }
    for (const [g, host] of this.sharedHosts) if (host === p) this.sharedHosts.delete(g);
  }

  /** @internal Shutdown: every running service stops, dependents first; their processes end with 0. */
  shutdown(): void {
    const running = [...this.records.values()].filter((r) => r.state !== SERVICE_STOPPED && (r.spec.type & SERVICE_WIN32) !== 0);
    const stopped = new Set<ServiceRecord>();
    const stopTree = (r: ServiceRecord) => {
      if (stopped.has(r)) return;
      stopped.add(r);
      const k = specKey(r.spec);
      for (const d of running) if (dependencyKeys(d.spec).includes(k)) stopTree(d);
      if (r.state !== SERVICE_STOPPED) this.stopRecord(r);
    };
    for (const r of running) stopTree(r);
  }

  private open(name: string, op: string): ServiceRecord {
    const r = typeof name === 'string' ? this.records.get(key(name)) : undefined;
    if (!r) throw new Win32Error(op, ERROR_SERVICE_DOES_NOT_EXIST, name);
    return r;
  }

  private sorted(): ServiceRecord[] {
    return [...this.records.values()].sort((a, b) => {
      const x = specKey(a.spec);
      const y = specKey(b.spec);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }

  private status(r: ServiceRecord): ServiceStatusProcess {
    const active = r.state !== SERVICE_STOPPED;
    return {
      dwServiceType: r.spec.type | (active && r.split ? SERVICE_WIN32_OWN_PROCESS : 0),
      dwCurrentState: r.state,
      dwControlsAccepted: active ? r.spec.controlsAccepted : 0,
      dwWin32ExitCode: active ? 0 : r.win32ExitCode,
      dwServiceSpecificExitCode: 0,
      dwCheckPoint: 0,
      dwWaitHint: 0,
      dwProcessId: active && r.process ? r.process.pid : 0,
      dwServiceFlags: 0,
    };
  }

  private startRecord(r: ServiceRecord, starting: Set<ServiceRecord>): void {
    if (r.spec.start === SERVICE_DISABLED) throw new Win32Error('StartService', ERROR_SERVICE_DISABLED, r.spec.name);
    if ((r.spec.type & SERVICE_DRIVER) !== 0) {
      // NtLoadDriver from a silo is refused silently; on the host the driver loads.
      if (this.silo.id === 0) {
        r.state = SERVICE_RUNNING;
        r.win32ExitCode = 0;
      }
      return;
    }
    if (starting.has(r)) throw new Win32Error('StartService', ERROR_CIRCULAR_DEPENDENCY, r.spec.name);
    starting.add(r);
    const deps = r.spec.dependOnService ?? NO_DEPENDENCIES;
    const depKeys = dependencyKeys(r.spec);
    for (let i = 0; i < deps.length; i++) {
      if (deps[i]!.startsWith(SC_GROUP_IDENTIFIER)) continue;
      const d = this.records.get(depKeys[i]!);
      if (!d || d.markedForDelete) throw new Win32Error('StartService', ERROR_SERVICE_DEPENDENCY_DELETED, r.spec.name);
      if (d.state !== SERVICE_STOPPED) continue;
      try {
        this.startRecord(d, starting);
      } catch (e) {
        if (e instanceof Win32Error && e.code === ERROR_CIRCULAR_DEPENDENCY) throw e;
        if (e instanceof Win32Error) {
          d.win32ExitCode = e.code;
          throw new Win32Error('StartService', ERROR_SERVICE_DEPENDENCY_FAIL, r.spec.name);
        }
        throw e;
      }
      if ((d.spec.type & SERVICE_DRIVER) === 0 && d.state === SERVICE_STOPPED) throw new Win32Error('StartService', ERROR_SERVICE_DEPENDENCY_FAIL, r.spec.name);
    }
    starting.delete(r);
    const host = this.launch(r);
    r.process = host;
    r.state = SERVICE_RUNNING;
    r.win32ExitCode = 0;
    // Most hosts hold one service: an array of one rather than one grown by push.
    if (host.services) host.services.push(r.spec.name);
    else host.services = [r.spec.name];
  }

  /** The process a service runs in, started if need be. */
  private launch(r: ServiceRecord): Process {
    const kernel = this.silo.kernel;
    const image = this.expandImagePath(r.spec.imagePath);
    if (/(^|\\)lsass\.exe"?$/i.test(image.trim())) {
      if (this.lsass?.running) return this.lsass;
    }
    const svchost = /svchost\.exe"?\s+-k\s+(\S+)/i.exec(image);
    r.split = false;
    if (svchost && (r.spec.type & SERVICE_WIN32_SHARE_PROCESS) !== 0) {
      const group = key(svchost[1]!);
      if (r.spec.svchostSplitDisable) {
        const existing = this.sharedHosts.get(group);
        if (existing?.running) return existing;
        const p = kernel.createSystemProcess({ silo: this.silo, parent: this.process, imagePath: '', commandLine: image, resolve: true, env: this.process.env });
        this.sharedHosts.set(group, p);
        return p;
      }
      r.split = true;
      return kernel.createSystemProcess({ silo: this.silo, parent: this.process, imagePath: '', commandLine: `${image} -s ${r.spec.name}`, resolve: true, env: this.process.env });
    }
    return kernel.createSystemProcess({ silo: this.silo, parent: this.process, imagePath: '', commandLine: image, resolve: true, env: this.process.env });
  }

  private expandImagePath(imagePath: string): string {
    const memo = this.bootExpansions;
    if (memo === undefined) return this.process.env.expand(imagePath);
    let image = memo.get(imagePath);
    if (image === undefined) memo.set(imagePath, (image = this.process.env.expand(imagePath)));
    return image;
  }

  private stopRecord(r: ServiceRecord): void {
    const p = r.process;
    r.state = SERVICE_STOPPED;
    r.win32ExitCode = 0;
    r.process = undefined;
    r.split = false;
    if (p) {
      if (p.services) {
        const k = specKey(r.spec);
        const i = p.services.findIndex((n) => key(n) === k);
        if (i >= 0) p.services.splice(i, 1);
      }
      const stillHosting = (p.services ?? []).some((n) => this.records.get(key(n))?.process === p);
      if (!stillHosting && p !== this.lsass && p !== this.process && p.running) this.silo.kernel.endProcess(p, 0);
    }
    if (r.markedForDelete) this.forget(r);
  }

  private forget(r: ServiceRecord): void {
    this.records.delete(specKey(r.spec));
    const reg = this.silo.registry;
    if (reg) {
      const k = `${SERVICES_KEY}\\${r.spec.name}`;
      if (reg.exists(k)) reg.deleteTree(k);
    }
  }

  private validate(s: ServiceSpec, op: string): void {
    if (!s.name || /[\\/]/.test(s.name) || s.name.length > 256) throw new Win32Error(op, ERROR_INVALID_PARAMETER, s.name);
    if (!Number.isInteger(s.start) || s.start < 0 || s.start > SERVICE_DISABLED) throw new Win32Error(op, ERROR_INVALID_PARAMETER, s.name);
    // Boot and system start are for drivers only.
    if (s.start <= SERVICE_SYSTEM_START && (s.type & SERVICE_DRIVER) === 0) throw new Win32Error(op, ERROR_INVALID_PARAMETER, s.name);
    // A dependency chain must not come back to the service itself.
    const seen = new Set<string>();
    const walk = (deps: readonly string[] | undefined): boolean => {
      for (const d of deps ?? []) {
        if (d.startsWith(SC_GROUP_IDENTIFIER)) continue;
        const k = key(d);
        if (k === key(s.name)) return true;
        if (seen.has(k)) continue;
        seen.add(k);
        if (walk(this.records.get(k)?.spec.dependOnService)) return true;
      }
      return false;
    };
    if (walk(s.dependOnService)) throw new Win32Error(op, ERROR_CIRCULAR_DEPENDENCY, s.name);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
