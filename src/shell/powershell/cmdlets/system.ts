/**
 * The machine: Windows features (ServerManager's Get-WindowsFeature,
 * Install-WindowsFeature), Get-ComputerInfo, Get-NetIPAddress, the web
 * cmdlets (from web.ts), and the command table (Get-Command, Get-Alias).
 *
 * The feature tree, its install state and what installing IIS writes are
 * src/shell/features.ts (dism.exe uses them too).
 */
import { FEATURES, installIis, installed, setInstalled, withSubFeatures, type Feature } from '../../features.js';
import type { CmdletCall, CmdletDef } from '../runtime/commands.js';
import type { Runtime } from '../runtime/interpreter.js';
import { wildcardRegex } from '../runtime/operators.js';
import { PSObject, enumValue, enumerate, toStr } from '../runtime/values.js';
import { cmdlet, p, partial, sw } from './define.js';
import { webCmdlets } from './web.js';

function featureObject(rt: Runtime, f: Feature): PSObject {
  const inst = installed(rt.ctx, f);
  const o = new PSObject(['Microsoft.Windows.ServerManager.Commands.Feature', 'System.Object'], () => f.name);
  o.add('Name', f.name).add('DisplayName', f.displayName).add('Description', f.displayName).add('Installed', inst).add('InstallState', inst ? 'Installed' : 'Available');
  o.add('FeatureType', f.depth === 1 && f.name.startsWith('Web-') ? 'Role' : f.depth === 1 ? 'Feature' : 'Role Service');
  o.add('Path', f.displayName).add('Depth', f.depth).add('Parent', f.parent ?? null);
  o.add('SubFeatures', FEATURES.filter((x) => x.parent === f.name).map((x) => x.name));
  return o;
}

export function systemCmdlets(rt: Runtime): CmdletDef[] {
  const image = () => (rt.ctx.fs ? rt.fileExists('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe') : true);
  const install = (name: string): CmdletDef =>
    cmdlet(name, [p('Name', 0), sw('IncludeAllSubFeature'), sw('IncludeManagementTools'), sw('Restart'), p('Source'), sw('WhatIf')], async (c) => {
      const names = c.strings('Name') ?? c.input.map((x) => (x instanceof PSObject ? toStr(x.get('Name')) : toStr(x)));
      const changed: Feature[] = [];
      for (const n of names) {
        const list = withSubFeatures(n, c.flag('IncludeAllSubFeature'));
        if (list.length === 0) {
          throw c.fail({
            message: `ArgumentNotValid: The role, role service, or feature name is not valid: '${n}'. The name was not found.`,
            category: 'InvalidArgument',
            targetName: n,
            targetType: 'String[]',
            reason: 'Exception',
            id: 'NameDoesNotExist',
          });
        }
        if (c.flag('IncludeManagementTools')) list.push(...FEATURES.filter((f) => f.name === 'Web-Mgmt-Console' && !list.includes(f)));
        for (const f of list) if (!installed(rt.ctx, f)) changed.push(f);
      }
      if (changed.some((f) => f.name.startsWith('Web-'))) installIis(rt.ctx);
      for (const f of changed) setInstalled(rt.ctx.registry, f.name, true);
      const o = new PSObject(['Microsoft.Windows.ServerManager.Commands.FeatureOperationResult', 'System.Object']);
      o.add('Success', true).add('RestartNeeded', 'No').add('FeatureResult', changed.filter((f) => f.depth > 1 || !changed.some((x) => x.parent === f.name) || true).filter((f) => f.depth > 1).map((f) => f.displayName)).add('ExitCode', changed.length ? 'Success' : 'NoChangeNeeded');
      await c.emit(o);
    }, partial('the feature subset listed in system.ts; only Web-Server changes the machine'));
  return [
    cmdlet('Get-WindowsFeature', [p('Name', 0), p('ComputerName')], async (c) => {
      if (!image()) throw c.fail({ message: "The term 'Get-WindowsFeature' is not recognized.", reason: 'CommandNotFoundException', category: 'ObjectNotFound' });
      const names = c.strings('Name');
      for (const f of FEATURES) {
        if (names && !names.some((n) => wildcardRegex(n).test(f.name))) continue;
        await c.emit(featureObject(rt, f));
      }
    }, partial('a subset of the role and feature tree')),
    install('Install-WindowsFeature'),
    install('Add-WindowsFeature'),
    cmdlet('Uninstall-WindowsFeature', [p('Name', 0), sw('Remove'), sw('Restart')], async (c) => {
      const names = c.strings('Name') ?? [];
      const changed: string[] = [];
      for (const n of names) for (const f of withSubFeatures(n, true)) if (installed(rt.ctx, f)) {
        setInstalled(rt.ctx.registry, f.name, false);
        changed.push(f.displayName);
      }
      const o = new PSObject(['Microsoft.Windows.ServerManager.Commands.FeatureOperationResult', 'System.Object']);
      o.add('Success', true).add('RestartNeeded', changed.length ? 'Yes' : 'No').add('FeatureResult', changed).add('ExitCode', changed.length ? 'SuccessRestartRequired' : 'NoChangeNeeded');
      await c.emit(o);
    }, partial('records the state only; files and services stay')),
    cmdlet('Enable-WindowsOptionalFeature', [p('FeatureName', 0), sw('Online'), sw('All'), sw('NoRestart'), p('Source'), sw('LimitAccess')], async (c) => {
      const names = c.strings('FeatureName') ?? [];
      for (const n of names) {
        // DISM's IIS feature names map onto the Web-Server role.
        if (/^IIS-/i.test(n)) {
          const ws = FEATURES.find((f) => f.name === 'Web-Server')!;
          if (!installed(rt.ctx, ws)) {
            installIis(rt.ctx);
            for (const f of withSubFeatures('Web-Server', false)) setInstalled(rt.ctx.registry, f.name, true);
          }
        } else if (!/^(NetFx|WCF|Microsoft-|Server-|Windows-|SMB|MSMQ)/i.test(n)) {
          throw c.fail({ message: `Feature name ${n} is unknown.`, category: 'NotSpecified', reason: 'COMException', id: 'Microsoft.Dism.Commands.EnableWindowsOptionalFeatureCommand' });
        }
      }
      const o = new PSObject(['Microsoft.Dism.Commands.ImageObject', 'System.Object']);
      o.add('Path', '').add('Online', true).add('RestartNeeded', false);
      await c.emit(o);
    }, partial('IIS-* features install IIS; other known prefixes are accepted without effect')),
    ...['Get-CimInstance', 'Get-WmiObject'].map((name) =>
      cmdlet(name, [p('ClassName', 0, ['Class']), p('Filter'), p('Namespace'), p('ComputerName'), p('Property')], async (c) => {
        const cls = toStr(c.get('ClassName')).toLowerCase();
        const reg = rt.ctx.registry;
        const cv = (n: string): unknown => {
          try {
            const v = reg?.getValue('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', n);
            return v ? (typeof v.data === 'bigint' ? Number(v.data) : v.data) : null;
          } catch {
            return null;
          }
        };
        const cim = (klass: string) => new PSObject([`Microsoft.Management.Infrastructure.CimInstance#root/cimv2/${klass}`, 'Microsoft.Management.Infrastructure.CimInstance', 'System.Object'], () => klass);
        if (cls === 'win32_operatingsystem') {
          const o = cim('Win32_OperatingSystem');
          o.add('SystemDirectory', 'C:\\Windows\\system32').add('Organization', '').add('BuildNumber', cv('CurrentBuild')).add('RegisteredUser', cv('RegisteredOwner') ?? '').add('SerialNumber', '').add('Version', `10.0.${toStr(cv('CurrentBuild'))}`);
          o.add('Caption', `Microsoft ${toStr(cv('ProductName'))}`).add('OSArchitecture', '64-bit').add('CSName', rt.machineName()).add('WindowsDirectory', 'C:\\Windows').add('OSType', 18).add('ProductType', 3);
          return c.emit(o);
        }
        if (cls === 'win32_computersystem') {
          const o = cim('Win32_ComputerSystem');
          o.add('Name', rt.machineName()).add('PrimaryOwnerName', '').add('Domain', 'WORKGROUP').add('TotalPhysicalMemory', 4294967296).add('Model', 'Virtual Machine').add('Manufacturer', 'Microsoft Corporation');
          o.add('NumberOfLogicalProcessors', Number(rt.ctx.env.get('NUMBER_OF_PROCESSORS') ?? 2)).add('PartOfDomain', false).add('SystemType', 'x64-based PC');
          return c.emit(o);
        }
        if (cls === 'win32_process') {
          for (const s2 of rt.ctx.processes()) {
            const o = cim('Win32_Process');
            o.add('ProcessId', s2.pid).add('Name', s2.imageName).add('HandleCount', s2.handles).add('WorkingSetSize', s2.workingSet).add('VM', s2.privateBytes).add('CommandLine', s2.commandLine).add('ParentProcessId', s2.parentPid).add('ExecutablePath', s2.imagePath);
            await c.emit(o);
          }
          return;
        }
        if (cls === 'win32_service') {
          const scm = rt.ctx.services;
          for (const e of scm?.enumerate(0x30, 3) ?? []) {
            const cfg = scm!.queryConfig(e.lpServiceName);
            const o = cim('Win32_Service');
            o.add('ProcessId', e.ServiceStatusProcess.dwProcessId).add('Name', e.lpServiceName).add('StartMode', ['Boot', 'System', 'Auto', 'Manual', 'Disabled'][cfg.dwStartType] ?? 'Manual');
            o.add('State', ['', 'Stopped', 'Start Pending', 'Stop Pending', 'Running', 'Continue Pending', 'Pause Pending', 'Paused'][e.ServiceStatusProcess.dwCurrentState] ?? 'Stopped').add('Status', 'OK').add('DisplayName', e.lpDisplayName).add('PathName', cfg.lpBinaryPathName).add('StartName', cfg.lpServiceStartName);
            await c.emit(o);
          }
          return;
        }
        throw c.fail({ message: 'Invalid class ', category: 'MetadataError', targetName: `root/cimv2:${toStr(c.get('ClassName'))}`, reason: 'CimException', id: 'HRESULT 0x80041010' });
      }, partial('Win32_OperatingSystem, Win32_ComputerSystem, Win32_Process, Win32_Service')),
    ),
    cmdlet('Get-ComputerInfo', [p('Property', 0)], async (c) => {
      const reg = rt.ctx.registry;
      const cv = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';
      const val = (n: string): unknown => {
        try {
          const v = reg?.getValue(cv, n);
          return v ? (typeof v.data === 'bigint' ? Number(v.data) : v.data) : null;
        } catch {
          return null;
        }
      };
      const o = new PSObject(['Microsoft.PowerShell.Commands.ComputerInfo', 'System.Object']);
      o.add('WindowsBuildLabEx', val('BuildLabEx'));
      o.add('WindowsCurrentVersion', val('CurrentVersion'));
      o.add('WindowsEditionId', val('EditionID'));
      o.add('WindowsInstallationType', val('InstallationType'));
      o.add('WindowsProductName', val('ProductName'));
      o.add('WindowsRegisteredOrganization', val('RegisteredOrganization') ?? '');
      o.add('WindowsRegisteredOwner', val('RegisteredOwner') ?? '');
      o.add('WindowsSystemRoot', 'C:\\Windows');
      o.add('WindowsVersion', val('ReleaseId') ?? val('DisplayVersion'));
      o.add('CsDNSHostName', rt.ctx.env.get('COMPUTERNAME') ?? null);
      o.add('CsDomain', 'WORKGROUP');
      o.add('CsName', rt.ctx.env.get('COMPUTERNAME') ?? null);
      o.add('CsNumberOfLogicalProcessors', Number(rt.ctx.env.get('NUMBER_OF_PROCESSORS') ?? 2));
      o.add('CsPartOfDomain', false);
      o.add('CsSystemType', 'x64-based PC');
      o.add('OsName', `Microsoft ${toStr(val('ProductName'))}`);
      o.add('OsType', 'WINNT');
      o.add('OsVersion', `10.0.${toStr(val('CurrentBuild'))}`);
      o.add('OsBuildNumber', val('CurrentBuild'));
      o.add('OsSystemDirectory', 'C:\\Windows\\system32');
      o.add('OsArchitecture', '64-bit');
      o.add('OsLanguage', 'en-US');
      o.add('OsProductType', 'Server');
      o.add('TimeZone', '(UTC) Coordinated Universal Time');
      o.add('LogonServer', null);
      o.add('PowerPlatformRole', 'Unspecified');
      const props = c.strings('Property');
      if (props) {
        const sel = new PSObject(['Selected.Microsoft.PowerShell.Commands.ComputerInfo', 'System.Management.Automation.PSCustomObject']);
        for (const n of o.names()) if (props.some((pp) => wildcardRegex(pp).test(n))) sel.add(n, o.get(n));
        return c.emit(sel);
      }
      await c.emit(o);
    }, partial('the operating-system and computer-system properties scripts read most')),
    cmdlet('Get-NetIPAddress', [p('IPAddress', 0), p('InterfaceIndex'), p('InterfaceAlias'), p('AddressFamily')], async (c) => {
      const addrs: [string, number, string, string, number, string][] = [];
      const reg = rt.ctx.registry;
      const base = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\\Interfaces';
      try {
        for (const k of reg?.enumKeys(base) ?? []) {
          for (const name of ['IPAddress', 'DhcpIPAddress']) {
            try {
              const v = reg!.getValue(`${base}\\${k}`, name);
              const list = Array.isArray(v.data) ? v.data : [toStr(v.data)];
              for (const a of list) if (a && a !== '0.0.0.0') addrs.push([a, 4, 'vEthernet (Ethernet)', 'IPv4', 20, name === 'DhcpIPAddress' ? 'Dhcp' : 'Manual']);
            } catch {
              /* no such value */
            }
          }
        }
      } catch {
        /* no interfaces recorded */
      }
      // With a network, the compartment's adapters: IPv6 (link-local) before IPv4, each family's
      // adapters before the loopback, as Get-NetIPAddress lists them on Windows.
      // DECIDED: the container's IPv4 is PrefixOrigin/SuffixOrigin Manual (HNS assigns it statically).
      const adapters = rt.ctx.net?.adapters() ?? [];
      if (rt.ctx.net) addrs.length = 0;
      const v4: typeof addrs = [];
      for (const a of adapters) {
        addrs.push([a.linkLocal, a.ifIndex, a.connectionName, 'IPv6', 64, 'WellKnown']);  // SuffixOrigin Link, below
        v4.push([a.ipv4, a.ifIndex, a.connectionName, 'IPv4', a.prefixLength, 'Manual']);
      }
      addrs.push(['::1', 1, 'Loopback Pseudo-Interface 1', 'IPv6', 128, 'WellKnown']);
      addrs.push(...v4);
      addrs.push(['127.0.0.1', 1, 'Loopback Pseudo-Interface 1', 'IPv4', 8, 'WellKnown']);
      const fam = c.has('AddressFamily') ? toStr(c.get('AddressFamily')).toLowerCase() : undefined;
      for (const [ip, idx, alias, family, prefix, origin] of addrs) {
        if (fam && family.toLowerCase() !== fam) continue;
        if (c.has('InterfaceIndex') && Number(c.get('InterfaceIndex')) !== idx) continue;
        if (c.has('InterfaceAlias') && !wildcardRegex(toStr(c.get('InterfaceAlias'))).test(alias)) continue;
        if (c.has('IPAddress') && !enumerate(c.get('IPAddress')).some((x) => wildcardRegex(toStr(x)).test(ip))) continue;
        const o = new PSObject(['Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetIPAddress', 'System.Object'], () => `MSFT_NetIPAddress (Name = "${ip}")`);
        o.add('IPAddress', ip).add('InterfaceIndex', idx).add('InterfaceAlias', alias).add('AddressFamily', family).add('Type', 'Unicast').add('PrefixLength', prefix);
        o.add('PrefixOrigin', origin).add('SuffixOrigin', ip.toLowerCase().startsWith('fe80:') ? 'Link' : origin).add('AddressState', 'Preferred').add('ValidLifetime', 'Infinite ([TimeSpan]::MaxValue)').add('PreferredLifetime', 'Infinite ([TimeSpan]::MaxValue)');
        o.add('SkipAsSource', false).add('PolicyStore', 'ActiveStore');
        await c.emit(o);
      }
    }, partial('the compartment\'s adapters (link-local IPv6, IPv4) and loopback; without a network, addresses recorded under Tcpip\\Parameters\\Interfaces')),
    ...webCmdlets(rt),
    cmdlet('Get-Command', [p('Name', 0), p('CommandType'), p('Module'), sw('ListImported')], async (c) => {
      const names = c.strings('Name');
      const emit = async (name: string, type: string, source: string, def?: string) => {
        const o = new PSObject([`System.Management.Automation.${type === 'Application' ? 'Application' : type}Info`, 'System.Management.Automation.CommandInfo', 'System.Object'], () => name);
        o.add('CommandType', type).add('Name', name).add('Version', MODULE_FUNCTIONS[name]?.version ?? (type === 'Cmdlet' ? '3.1.0.0' : type === 'Application' ? '10.0.20348.1' : '')).add('Source', source);
        if (def !== undefined) o.add('Definition', def);
        o.add('Path', type === 'Application' ? source : null);
        await c.emit(o);
      };
      if (!names) {
        for (const d of [...rt.cmdlets.values()].sort((a, b) => a.name.localeCompare(b.name))) await emit(d.name, MODULE_FUNCTIONS[d.name] ? 'Function' : 'Cmdlet', moduleOf(d.name));
        return;
      }
      for (const n of names) {
        let found = false;
        const re = wildcardRegex(n);
        for (const [a, target] of rt.aliases) if (re.test(a)) {
          found = true;
          await emit(`${a} -> ${target}`, 'Alias', '', target);
        }
        for (const f of rt.functions()) if (re.test(f.name)) {
          found = true;
          await emit(f.name, 'Function', '', f.block.toString());
        }
        for (const d of rt.cmdlets.values()) if (re.test(d.name)) {
          found = true;
          await emit(d.name, MODULE_FUNCTIONS[d.name] ? 'Function' : 'Cmdlet', moduleOf(d.name));
        }
        if (!found && !/[*?]/.test(n)) {
          const ext = rt.findExternal(n);
          if (ext) {
            found = true;
            await emit(ext.path.slice(ext.path.lastIndexOf('\\') + 1), ext.kind === 'script' ? 'ExternalScript' : 'Application', ext.path);
          }
        }
        if (!found && !/[*?]/.test(n)) {
          await c.error({
            message: `The term '${n}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
            category: 'ObjectNotFound',
            targetName: n,
            reason: 'CommandNotFoundException',
            id: 'CommandNotFoundException',
          });
        }
      }
    }),
    cmdlet('Get-Alias', [p('Name', 0), p('Definition')], async (c) => {
      const names = c.strings('Name');
      for (const [a, target] of [...rt.aliases].sort((x, y) => x[0].localeCompare(y[0]))) {
        if (names && !names.some((n) => wildcardRegex(n).test(a))) continue;
        if (c.has('Definition') && !wildcardRegex(toStr(c.get('Definition'))).test(target)) continue;
        const o = new PSObject(['System.Management.Automation.AliasInfo', 'System.Management.Automation.CommandInfo', 'System.Object'], () => a);
        o.add('CommandType', 'Alias').add('Name', `${a} -> ${target}`).add('Version', '').add('Source', '').add('Definition', target);
        await c.emit(o);
      }
    }),
    cmdlet('Set-Alias', [p('Name', 0), p('Value', 1), sw('Force'), p('Scope'), p('Option')], async (c) => {
      rt.aliases.set(toStr(c.get('Name')).toLowerCase(), toStr(c.get('Value')));
    }),
    cmdlet('New-Alias', [p('Name', 0), p('Value', 1), sw('Force'), p('Scope'), p('Option')], async (c) => {
      rt.aliases.set(toStr(c.get('Name')).toLowerCase(), toStr(c.get('Value')));
    }),
    cmdlet('Get-Host', [], async (c) => c.emit(rt.getVar('Host'))),
    ...executionPolicyCmdlets(rt),
  ];
}

/** Commands that are a module's functions in 5.1, not compiled cmdlets (Get-Command shows them so). */
const MODULE_FUNCTIONS: Record<string, { module: string; version: string }> = {
  'Compress-Archive': { module: 'Microsoft.PowerShell.Archive', version: '1.0.1.0' },
  'Expand-Archive': { module: 'Microsoft.PowerShell.Archive', version: '1.0.1.0' },
};

function moduleOf(name: string): string {
  if (MODULE_FUNCTIONS[name]) return MODULE_FUNCTIONS[name].module;
  if (/-(Item|ChildItem|Content|Location|Process|Service|ItemProperty|Path|PSDrive|ComputerInfo)$|^(Test|Join|Split|Resolve)-Path$/.test(name)) return 'Microsoft.PowerShell.Management';
  if (/WindowsFeature/.test(name)) return 'ServerManager';
  if (/NetIPAddress/.test(name)) return 'NetTCPIP';
  if (/^(Get-Command|Get-Help|ForEach-Object|Where-Object|Set-StrictMode|Import-Module|Get-Module)$/.test(name)) return '';
  return 'Microsoft.PowerShell.Utility';
}

/**
 * Execution policies (about_Execution_Policies): five scopes, the most
 * specific defined one wins — MachinePolicy and UserPolicy (Group Policy:
 * none in a container), Process (PSExecutionPolicyPreference, which
 * `powershell -ExecutionPolicy` sets), CurrentUser and LocalMachine (the
 * ShellIds\Microsoft.PowerShell key of HKCU and HKLM). Windows Server's
 * LocalMachine default is RemoteSigned. DECIDED: a policy is shown and
 * kept, not enforced (the scripts a container runs are its own, which
 * RemoteSigned lets run; Restricted and AllSigned would refuse them).
 */
const POLICIES = ['Unrestricted', 'RemoteSigned', 'AllSigned', 'Restricted', 'Default', 'Bypass', 'Undefined'];
const POLICY_SCOPES = ['MachinePolicy', 'UserPolicy', 'Process', 'CurrentUser', 'LocalMachine'];
const SHELL_ID_KEY = 'SOFTWARE\\Microsoft\\PowerShell\\1\\ShellIds\\Microsoft.PowerShell';

function executionPolicyCmdlets(rt: Runtime): CmdletDef[] {
  const keyOf = (scope: string): string => (scope === 'CurrentUser' ? `HKCU\\${SHELL_ID_KEY.replace('SOFTWARE', 'Software')}` : `HKLM\\${SHELL_ID_KEY}`);
  const canonical = (v: string): string | undefined => POLICIES.find((x) => x.toLowerCase() === v.toLowerCase());
  const policyAt = (scope: string): string => {
    if (scope === 'Process') return canonical(rt.env('PSExecutionPolicyPreference') ?? '') ?? 'Undefined';
    if (scope !== 'CurrentUser' && scope !== 'LocalMachine') return 'Undefined';
    try {
      const v = rt.ctx.registry?.getValue(keyOf(scope), 'ExecutionPolicy');
      if (v && typeof v.data === 'string') return canonical(v.data) ?? 'Undefined';
    } catch {
      /* not set */
    }
    return scope === 'LocalMachine' ? 'RemoteSigned' : 'Undefined';
  };
  const scopeArg = (c: CmdletCall, param: string): string => {
    const raw = toStr(c.get('Scope') ?? 'LocalMachine');
    const s = POLICY_SCOPES.find((x) => x.toLowerCase() === raw.toLowerCase());
    if (!s) {
      throw c.fail({
        message: `Cannot bind parameter 'Scope'. Cannot convert value "${raw}" to type "Microsoft.PowerShell.ExecutionPolicyScope". Error: "Unable to match the identifier name ${raw} to a valid enumerator name. Specify one of the following enumerator names and try again:\r\nProcess, CurrentUser, LocalMachine, UserPolicy, MachinePolicy"`,
        category: 'InvalidArgument',
        reason: 'ParameterBindingException',
        id: `CannotConvertArgumentNoMessage,Microsoft.PowerShell.Commands.${param}`,
      });
    }
    return s;
  };
  return [
    cmdlet('Get-ExecutionPolicy', [p('Scope'), sw('List')], async (c) => {
      if (c.flag('List')) {
        for (const s of POLICY_SCOPES) {
          await c.emit(new PSObject(['System.Management.Automation.PSCustomObject', 'System.Object']).add('Scope', enumValue('Microsoft.PowerShell.ExecutionPolicyScope', s)).add('ExecutionPolicy', enumValue('Microsoft.PowerShell.ExecutionPolicy', policyAt(s))));
        }
        return;
      }
      if (c.has('Scope')) return c.emit(policyAt(scopeArg(c, 'GetExecutionPolicyCommand')));
      // The effective policy: the most specific scope that defines one; Bypass and Unrestricted as they are.
      const defined = POLICY_SCOPES.map(policyAt).find((x) => x !== 'Undefined');
      await c.emit(defined === undefined || defined === 'Default' ? 'RemoteSigned' : defined);
    }),
    cmdlet('Set-ExecutionPolicy', [p('ExecutionPolicy', 0), p('Scope'), sw('Force')], async (c) => {
      const raw = toStr(c.get('ExecutionPolicy') ?? '');
      const policy = canonical(raw);
      if (!policy) {
        throw c.fail({
          message: `Cannot bind parameter 'ExecutionPolicy'. Cannot convert value "${raw}" to type "Microsoft.PowerShell.ExecutionPolicy". Error: "Unable to match the identifier name ${raw} to a valid enumerator name. Specify one of the following enumerator names and try again:\r\nUnrestricted, RemoteSigned, AllSigned, Restricted, Default, Bypass, Undefined"`,
          category: 'InvalidArgument',
          reason: 'ParameterBindingException',
          id: 'CannotConvertArgumentNoMessage,Microsoft.PowerShell.Commands.SetExecutionPolicyCommand',
        });
      }
      const scope = scopeArg(c, 'SetExecutionPolicyCommand');
      if (scope === 'MachinePolicy' || scope === 'UserPolicy') {
        throw c.fail({ message: 'Cannot set execution policy on the MachinePolicy or UserPolicy scopes. Use Group Policy to configure these settings.', category: 'InvalidOperation', reason: 'ArgumentException', id: 'CantSetGroupPolicy,Microsoft.PowerShell.Commands.SetExecutionPolicyCommand' });
      }
      if (scope === 'Process') {
        rt.setEnv('PSExecutionPolicyPreference', policy === 'Undefined' ? null : policy);
        return;
      }
      const reg = rt.ctx.registry;
      if (!reg) return;
      try {
        if (policy === 'Undefined') {
          try {
            reg.deleteValue(keyOf(scope), 'ExecutionPolicy');
          } catch {
            /* nothing set */
          }
        } else {
          reg.createKey(keyOf(scope));
          reg.setValue(keyOf(scope), { name: 'ExecutionPolicy', type: 1, data: policy === 'Default' ? 'RemoteSigned' : policy });
        }
      } catch {
        // HKLM is the administrators': ContainerUser is refused as 5.1 words it.
        throw c.fail({
          message: `Access to the registry key 'HKEY_LOCAL_MACHINE\\${SHELL_ID_KEY}' is denied. To change the execution policy for the default (LocalMachine) scope, start Windows PowerShell with the "Run as administrator" option. To change the execution policy for the current user, run "Set-ExecutionPolicy -Scope CurrentUser".`,
          category: 'PermissionDenied',
          reason: 'UnauthorizedAccessException',
          id: 'System.UnauthorizedAccessException,Microsoft.PowerShell.Commands.SetExecutionPolicyCommand',
        });
      }
      // A more specific scope still decides: 5.1 says so as an error after the change is kept.
      const winner = POLICY_SCOPES.slice(0, POLICY_SCOPES.indexOf(scope)).find((s) => policyAt(s) !== 'Undefined');
      if (winner && policy !== 'Undefined') {
        const effective = policyAt(winner);
        await c.error({
          message: `Windows PowerShell updated your execution policy successfully, but the setting is overridden by a policy defined at a more specific scope.  Due to the override, your shell will retain its current effective execution policy of ${effective}. Type "Get-ExecutionPolicy -List" to view your execution policy settings. For more information please see "Get-Help Set-ExecutionPolicy".`,
          category: 'PermissionDenied',
          reason: 'SecurityException',
          id: 'ExecutionPolicyOverride,Microsoft.PowerShell.Commands.SetExecutionPolicyCommand',
        });
      }
    }, partial('kept per scope (Process, CurrentUser, LocalMachine) and shown; not enforced when scripts run')),
  ];
}
