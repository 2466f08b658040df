/**
 * Processes and services (Microsoft.PowerShell.Management): Get-Process,
 * Stop-Process, Start-Process, Wait-Process, Get-Service, Start-Service,
 * Stop-Service, Restart-Service, Set-Service, Suspend/Resume-Service.
 * Objects carry the properties of System.Diagnostics.Process and
 * System.ServiceProcess.ServiceController that the default views and
 * common scripts use.
 */
import { Win32Error, win32Message } from '../../../core/win32.js';
import type { ProcessSnapshot } from '../../../kernel/process/context.js';
import { SERVICE_CONTROL_CONTINUE, SERVICE_CONTROL_PAUSE, SERVICE_WIN32 } from '../../../kernel/services/constants.js';
import type { ServiceControlManager } from '../../../kernel/services/scm.js';
import type { CmdletCall, CmdletDef } from '../runtime/commands.js';
import type { Runtime } from '../runtime/interpreter.js';
import { toNumber, wildcardRegex, hasWildcard } from '../runtime/operators.js';
import { PSDateTime, PSObject, enumerate, toStr } from '../runtime/values.js';
import { cmdlet, p, partial, sw } from './define.js';

/** SERVICE_STATUS dwCurrentState → ServiceControllerStatus. */
const STATUS = ['', 'Stopped', 'StartPending', 'StopPending', 'Running', 'ContinuePending', 'PausePending', 'Paused'];
/** dwStartType → ServiceStartMode. */
const START = ['Boot', 'System', 'Automatic', 'Manual', 'Disabled'];

function processName(image: string): string {
  return image.replace(/\.exe$/i, '');
}

export function processObject(s: ProcessSnapshot): PSObject {
  const name = processName(s.imageName);
  const o = new PSObject(['System.Diagnostics.Process', 'System.ComponentModel.Component', 'System.Object'], () => `System.Diagnostics.Process (${name})`);
  const cpu = (s.userTime + s.kernelTime) / 1e7;
  o.add('Name', name);
  o.add('Id', s.pid);
  o.add('Handles', s.handles);
  o.add('HandleCount', s.handles);
  // DECIDED: non-paged pool is not tracked by the kernel; a small fixed share of the private bytes stands in for it.
  o.add('NPM', Math.floor(s.privateBytes / 200 / 1024) * 1024);
  o.add('PM', s.privateBytes);
  o.add('PrivateMemorySize64', s.privateBytes);
  o.add('WS', s.workingSet);
  o.add('WorkingSet64', s.workingSet);
  o.add('CPU', s.pid === 0 ? null : cpu);
  o.add('SessionId', s.sessionId);
  o.add('SI', s.sessionId);
  o.add('ProcessName', name);
  o.add('Path', s.imagePath || null);
  o.add('StartTime', new PSDateTime(s.creationTime));
  o.add('Threads', s.threads);
  o.add('CommandLine', s.commandLine);
  o.add('ParentProcessId', s.parentPid);
  return o;
}

function serviceObject(scm: ServiceControlManager, name: string): PSObject {
  const st = scm.query(name);
  const cfg = scm.queryConfig(name);
  const key = scm.keyName(name);
  const o = new PSObject(['System.ServiceProcess.ServiceController', 'System.ComponentModel.Component', 'System.Object'], () => key);
  o.add('Name', key);
  o.add('RequiredServices', cfg.lpDependencies);
  o.add('CanPauseAndContinue', (st.dwControlsAccepted & 2) !== 0);
  o.add('CanShutdown', (st.dwControlsAccepted & 4) !== 0);
  o.add('CanStop', (st.dwControlsAccepted & 1) !== 0);
  o.add('DisplayName', cfg.lpDisplayName);
  o.addGetter('DependentServices', () => scm.dependents(key, 3).map((d) => d.lpServiceName));
  o.add('MachineName', '.');
  o.add('ServiceName', key);
  o.add('ServicesDependedOn', cfg.lpDependencies);
  o.add('ServiceHandle', null);
  o.add('Status', STATUS[st.dwCurrentState] ?? 'Stopped');
  o.add('ServiceType', st.dwServiceType & 0x20 ? 'Win32ShareProcess' : 'Win32OwnProcess');
  o.add('StartType', START[cfg.dwStartType] ?? 'Manual');
  o.add('Site', null);
  o.add('Container', null);
  return o;
}

export function managementCmdlets(rt: Runtime): CmdletDef[] {
  const scm = (c: CmdletCall): ServiceControlManager => {
    const s = rt.ctx.services;
    if (!s) throw c.fail({ message: 'Cannot open Service Control Manager on computer \'.\'. This operation might require other privileges.', category: 'NotSpecified', reason: 'InvalidOperationException', id: 'System.InvalidOperationException' });
    return s;
  };
  const snapshots = () =>
    rt.ctx
      .processes()
      .slice()
      .sort((a, b) => {
        const x = processName(a.imageName).toLowerCase();
        const y = processName(b.imageName).toLowerCase();
        return x < y ? -1 : x > y ? 1 : a.pid - b.pid;
      });

  /** The services named by -Name / -DisplayName / -InputObject / pipeline input. */
  async function services(c: CmdletCall, id: string): Promise<string[]> {
    const s = scm(c);
    const all = s.enumerate(SERVICE_WIN32, 3).map((e) => e.lpServiceName);
    const out: string[] = [];
    const fromInput = c.input.length ? c.input : c.has('InputObject') ? enumerate(c.get('InputObject')) : [];
    for (const x of fromInput) out.push(x instanceof PSObject ? toStr(x.get('Name')) : toStr(x));
    const names = c.strings('Name');
    if (names) {
      for (const n of names) {
        if (hasWildcard(n)) {
          out.push(...all.filter((a) => wildcardRegex(n).test(a)));
          continue;
        }
        try {
          out.push(s.keyName(n));
        } catch {
          try {
            out.push(s.keyNameOfDisplayName(n));
          } catch {
            await c.error({ message: `Cannot find any service with service name '${n}'.`, category: 'ObjectNotFound', targetName: n, reason: 'ServiceCommandException', id });
          }
        }
      }
    }
    const displays = c.strings('DisplayName');
    if (displays) {
      for (const d of displays) {
        const re = wildcardRegex(d);
        const found = all.filter((a) => re.test(s.displayName(a)));
        if (!found.length && !hasWildcard(d)) await c.error({ message: `Cannot find any service with display name '${d}'.`, category: 'ObjectNotFound', targetName: d, reason: 'ServiceCommandException', id: 'NoServiceFoundForGivenDisplayName' });
        out.push(...found);
      }
    }
    if (!names && !displays && fromInput.length === 0) return all;
    return out;
  }

  const label = (s: ServiceControlManager, n: string) => `${s.displayName(n)} (${s.keyName(n)})`;

  const control = (name: string, verb: 'start' | 'stop' | 'restart' | 'suspend' | 'resume'): CmdletDef =>
    cmdlet(name, [p('Name', 0, ['ServiceName']), p('DisplayName'), p('InputObject'), sw('PassThru'), sw('Force'), sw('NoWait'), p('Include'), p('Exclude')], async (c) => {
      const s = scm(c);
      for (const n of await services(c, `NoServiceFoundForGivenName`)) {
        const st = () => s.query(n).dwCurrentState;
        try {
          if (verb === 'stop' || verb === 'restart') {
            if (st() !== 1) {
              const deps = s.dependents(n, 1).map((d) => d.lpServiceName);
              if (deps.length && !c.flag('Force')) {
                await c.error({
                  message: `Cannot stop service '${label(s, n)}' because it has dependent services. It can only be stopped if the Force flag is set.`,
                  category: 'InvalidOperation',
                  targetName: s.keyName(n),
                  targetType: 'ServiceController',
                  reason: 'ServiceCommandException',
                  id: 'ServiceHasDependentServices',
                });
                continue;
              }
              for (const d of deps) if (s.query(d).dwCurrentState !== 1) s.stop(d);
              s.stop(n);
            }
          }
          if (verb === 'start' || verb === 'restart') {
            if (st() === 1) s.start(n);
          }
          if (verb === 'suspend') s.control(n, SERVICE_CONTROL_PAUSE);
          if (verb === 'resume') s.control(n, SERVICE_CONTROL_CONTINUE);
        } catch (e) {
          if (!(e instanceof Win32Error)) throw e;
          const why = win32Message(e.code).trim();
          const what = verb === 'start' || verb === 'restart' ? 'started' : verb === 'stop' ? 'stopped' : verb === 'suspend' ? 'suspended' : 'resumed';
          await c.error({
            message: `Service '${label(s, n)}' cannot be ${what} due to the following error: Cannot ${verb === 'restart' ? 'start' : verb === 'suspend' ? 'pause' : verb === 'resume' ? 'resume' : verb} ${s.keyName(n)} service on computer '.'.`,
            category: verb === 'start' || verb === 'restart' ? 'OpenError' : 'CloseError',
            targetName: s.keyName(n),
            targetType: 'ServiceController',
            reason: 'ServiceCommandException',
            id: verb === 'start' || verb === 'restart' ? 'CouldNotStartService' : verb === 'stop' ? 'CouldNotStopService' : 'CouldNotSuspendService',
          });
          void why;
          continue;
        }
        if (c.flag('PassThru')) await c.emit(serviceObject(s, n));
      }
    });

  return [
    cmdlet('Get-Process', [p('Name', 0, ['ProcessName']), p('Id', undefined, ['PID']), p('InputObject'), sw('IncludeUserName'), sw('Module'), sw('FileVersionInfo')], async (c) => {
      const all = snapshots();
      if (c.has('Id')) {
        for (const id of enumerate(c.get('Id')).map((x) => toNumber(x))) {
          const s = all.find((x) => x.pid === id);
          if (!s) await c.error({ message: `Cannot find a process with the process identifier ${id}.`, category: 'ObjectNotFound', targetName: String(id), targetType: 'Int32', reason: 'ProcessCommandException', id: 'NoProcessFoundForGivenId' });
          else await c.emit(processObject(s));
        }
        return;
      }
      const names = c.strings('Name');
      if (!names) {
        for (const s of all) await c.emit(processObject(s));
        return;
      }
      for (const n of names) {
        const re = wildcardRegex(n);
        const found = all.filter((s) => re.test(processName(s.imageName)));
        if (!found.length && !hasWildcard(n)) {
          await c.error({ message: `Cannot find a process with the name "${n}". Verify the process name and call the cmdlet again.`, category: 'ObjectNotFound', targetName: n, reason: 'ProcessCommandException', id: 'NoProcessFoundForGivenName' });
        }
        for (const s of found) await c.emit(processObject(s));
      }
    }),
    cmdlet('Stop-Process', [p('Id', 0), p('Name', undefined, ['ProcessName']), p('InputObject'), sw('Force'), sw('PassThru')], async (c) => {
      const all = snapshots();
      const targets: ProcessSnapshot[] = [];
      for (const x of c.input) {
        const id = x instanceof PSObject ? toNumber(x.get('Id')) : toNumber(x);
        const s = all.find((y) => y.pid === id);
        if (s) targets.push(s);
      }
      if (c.has('Id')) {
        for (const id of enumerate(c.get('Id')).map((x) => toNumber(x))) {
          const s = all.find((x) => x.pid === id);
          if (!s) await c.error({ message: `Cannot find a process with the process identifier ${id}.`, category: 'ObjectNotFound', targetName: String(id), targetType: 'Int32', reason: 'ProcessCommandException', id: 'NoProcessFoundForGivenId' });
          else targets.push(s);
        }
      }
      for (const n of c.strings('Name') ?? []) {
        const re = wildcardRegex(n);
        const found = all.filter((s) => re.test(processName(s.imageName)));
        if (!found.length && !hasWildcard(n)) await c.error({ message: `Cannot find a process with the name "${n}". Verify the process name and call the cmdlet again.`, category: 'ObjectNotFound', targetName: n, reason: 'ProcessCommandException', id: 'NoProcessFoundForGivenName' });
        targets.push(...found);
      }
      for (const s of targets) {
        try {
          if (s.pid === rt.ctx.pid) {
            await rt.host.flush();
          }
          rt.ctx.terminateProcess(s.pid, -1);
        } catch (e) {
          if (!(e instanceof Win32Error)) throw e;
          await c.error({
            message: `Cannot stop process "${processName(s.imageName)} (${s.pid})" because of the following error: ${win32Message(e.code).trim().replace(/\.$/, '')}`,
            category: 'CloseError',
            targetName: `System.Diagnostics.Process (${processName(s.imageName)})`,
            targetType: 'Process',
            reason: 'ProcessCommandException',
            id: 'CouldNotStopProcess',
          });
          continue;
        }
        if (c.flag('PassThru')) await c.emit(processObject(s));
      }
    }),
    cmdlet('Start-Process', [p('FilePath', 0, ['PSPath', 'Path']), p('ArgumentList', 1, ['Args']), sw('Wait'), sw('NoNewWindow'), sw('PassThru'), p('WorkingDirectory'), p('RedirectStandardOutput'), p('RedirectStandardError'), p('Verb'), p('WindowStyle')], async (c) => {
      const file = toStr(c.get('FilePath'));
      const resolved = rt.findExternal(file);
      if (!resolved || resolved.kind !== 'native') {
        throw c.fail({ message: 'This command cannot be run due to the error: The system cannot find the file specified.', category: 'InvalidOperation', reason: 'InvalidOperationException', id: 'InvalidOperationException' });
      }
      const args = enumerate(c.get('ArgumentList') ?? []).map(toStr);
      const child = rt.ctx.spawn([`"${resolved.path}"`, ...args].join(' '), { applicationName: resolved.path, cwd: c.has('WorkingDirectory') ? toStr(c.get('WorkingDirectory')) : rt.fsCwd(), stdin: 'null' });
      if (c.flag('Wait')) await child.wait();
      if (c.flag('PassThru')) {
        const snap = rt.ctx.processes().find((s) => s.pid === child.pid);
        if (snap) await c.emit(processObject(snap));
        else await c.emit(new PSObject(['System.Diagnostics.Process']).add('Id', child.pid).add('ExitCode', child.exitCode).add('HasExited', true));
      }
    }, partial('no new windows, verbs or redirection to files')),
    cmdlet('Wait-Process', [p('Name', 0), p('Id'), p('Timeout')], async (c) => {
      const ids = c.has('Id') ? enumerate(c.get('Id')).map((x) => toNumber(x)) : snapshots().filter((s) => (c.strings('Name') ?? []).some((n) => wildcardRegex(n).test(processName(s.imageName)))).map((s) => s.pid);
      while (rt.ctx.processes().some((s) => ids.includes(s.pid))) await rt.ctx.sleep(100);
    }),
    cmdlet('Get-Service', [p('Name', 0, ['ServiceName']), p('DisplayName'), p('InputObject'), sw('DependentServices'), sw('RequiredServices'), p('Include'), p('Exclude')], async (c) => {
      const s = scm(c);
      for (const n of await services(c, 'NoServiceFoundForGivenName')) {
        if (c.flag('DependentServices')) {
          for (const d of s.dependents(n, 3)) await c.emit(serviceObject(s, d.lpServiceName));
          continue;
        }
        await c.emit(serviceObject(s, n));
      }
    }),
    control('Start-Service', 'start'),
    control('Stop-Service', 'stop'),
    control('Restart-Service', 'restart'),
    control('Suspend-Service', 'suspend'),
    control('Resume-Service', 'resume'),
    cmdlet('Set-Service', [p('Name', 0, ['ServiceName', 'SN']), p('DisplayName'), p('Description'), p('StartupType', undefined, ['StartMode', 'SM', 'ST']), p('Status'), p('InputObject'), sw('PassThru')], async (c) => {
      const s = scm(c);
      for (const n of await services(c, 'NoServiceFoundForGivenName')) {
        try {
          if (c.has('StartupType')) {
            const t = toStr(c.get('StartupType')).toLowerCase();
            const code = t === 'automatic' ? 2 : t === 'manual' ? 3 : t === 'disabled' ? 4 : t === 'boot' ? 0 : t === 'system' ? 1 : -1;
            if (code < 0) throw c.fail({ message: `Cannot bind parameter 'StartupType'. Cannot convert value "${toStr(c.get('StartupType'))}" to type "System.ServiceProcess.ServiceStartMode". Error: "Unable to match the identifier name ${toStr(c.get('StartupType'))} to a valid enumerator name. Specify one of the following enumerator names and try again:\r\nBoot, System, Automatic, Manual, Disabled"`, category: 'InvalidArgument', reason: 'ParameterBindingException', id: 'CannotConvertArgumentNoMessage' });
            s.setStartType(n, code);
          }
          if (c.has('DisplayName') || c.has('Description')) s.changeConfig(n, { displayName: c.has('DisplayName') ? toStr(c.get('DisplayName')) : undefined, description: c.has('Description') ? toStr(c.get('Description')) : undefined });
          if (c.has('Status')) {
            const want = toStr(c.get('Status')).toLowerCase();
            const cur = s.query(n).dwCurrentState;
            if (want === 'running' && cur === 1) s.start(n);
            if (want === 'stopped' && cur !== 1) s.stop(n);
            if (want === 'paused' && cur === 4) s.control(n, SERVICE_CONTROL_PAUSE);
          }
        } catch (e) {
          if (!(e instanceof Win32Error)) throw e;
          await c.error({ message: `Service '${label(s, n)}' cannot be configured due to the following error: ${win32Message(e.code).trim()}`, category: 'PermissionDenied', targetName: n, targetType: 'ServiceController', reason: 'ServiceCommandException', id: 'CouldNotSetService' });
          continue;
        }
        if (c.flag('PassThru')) await c.emit(serviceObject(s, n));
      }
    }),
  ];
}
