/**
 * The services a Windows Server container image carries: real names,
 * display names, start types, image paths, accounts, load-order groups and
 * dependencies, as `sc qc` / `Get-Service` show them on Windows Server 2022
 * (servercore and nanoserver ltsc2022). Image synthesis writes them under
 * HKLM\SYSTEM\CurrentControlSet\Services (serviceRegistryTree in
 * registry.ts); services.exe reads them back at boot.
 *
 * Decisions where our sources were silent:
 *  - The set is what a container needs and commonly shows running, plus the
 *    common demand-start ones tools poke at (msiserver, TrustedInstaller,
 *    wuauserv, BITS, W32Time …); a real image has ~150 entries.
 *  - Descriptions are their first sentence.
 *  - Nanoserver: a minimal subset (no WMI, Task Scheduler, firewall,
 *    telemetry or WinRM); ContainerUser still needs the profile services.
 *  - Kernel drivers appear only where a service depends on them; they are
 *    the host's and run whatever the container does (a silo cannot load
 *    drivers).
 *  - `controlsAccepted` (what a running service accepts; `sc query` shows it
 *    as STOPPABLE, PAUSABLE, …) and `triggerStartsAtBoot` (a demand-start
 *    service whose start trigger fires while a container boots) are service
 *    behaviour, not registry values.
 */
import {
  SERVICE_ACCEPT_PAUSE_CONTINUE,
  SERVICE_ACCEPT_SHUTDOWN,
  SERVICE_ACCEPT_STOP,
  SERVICE_AUTO_START,
  SERVICE_BOOT_START,
  SERVICE_DEMAND_START,
  SERVICE_ERROR_NORMAL,
  SERVICE_KERNEL_DRIVER,
  SERVICE_SYSTEM_START,
  SERVICE_WIN32_OWN_PROCESS,
  SERVICE_WIN32_SHARE_PROCESS,
} from './constants.js';

export interface ServiceSpec {
  /** The key name (`sc query NAME`). */
  readonly name: string;
  readonly displayName: string;
  readonly description?: string;
  /** SERVICE_* type. */
  readonly type: number;
  /** SERVICE_*_START or SERVICE_DISABLED. */
  readonly start: number;
  readonly errorControl: number;
  /** REG_EXPAND_SZ as stored, e.g. `%SystemRoot%\system32\svchost.exe -k netsvcs -p`. */
  readonly imagePath: string;
  /** The account (LocalSystem, NT AUTHORITY\LocalService, …); drivers have none. */
  readonly objectName?: string;
  /** Load-order group. */
  readonly group?: string;
  readonly dependOnService?: readonly string[];
  /** REG_DWORD SvcHostSplitDisable = 1: shares its svchost with its group even when svchosts are split. */
  readonly svchostSplitDisable?: boolean;
  /** REG_DWORD DelayedAutostart = 1. */
  readonly delayedAutoStart?: boolean;
  /** SERVICE_ACCEPT_* while running. */
  readonly controlsAccepted: number;
  /** A demand-start service that a start trigger starts during boot. */
  readonly triggerStartsAtBoot?: boolean;
}

export type ImageFlavor = 'servercore' | 'nanoserver' | 'iis';

const SHARE = SERVICE_WIN32_SHARE_PROCESS;
const OWN = SERVICE_WIN32_OWN_PROCESS;
const AUTO = SERVICE_AUTO_START;
const DEMAND = SERVICE_DEMAND_START;
const STOP_SHUTDOWN = SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN;
const STOP = SERVICE_ACCEPT_STOP;
const NONE = 0;
const LOCAL_SYSTEM = 'LocalSystem';
const LOCAL_SERVICE = 'NT AUTHORITY\\LocalService';
const NETWORK_SERVICE = 'NT AUTHORITY\\NetworkService';

const svchost = (group: string, p = true) => `%SystemRoot%\\system32\\svchost.exe -k ${group}${p ? ' -p' : ''}`;

function service(
  name: string,
  displayName: string,
  type: number,
  start: number,
  imagePath: string,
  objectName: string,
  controlsAccepted: number,
  extra: Partial<Pick<ServiceSpec, 'description' | 'group' | 'dependOnService' | 'svchostSplitDisable' | 'delayedAutoStart' | 'triggerStartsAtBoot'>> = {},
): ServiceSpec {
  return { name, displayName, type, start, errorControl: SERVICE_ERROR_NORMAL, imagePath, objectName, controlsAccepted, ...extra };
}

function driver(name: string, displayName: string, start: number, imagePath: string, group?: string): ServiceSpec {
  return { name, displayName, type: SERVICE_KERNEL_DRIVER, start, errorControl: SERVICE_ERROR_NORMAL, imagePath, group, controlsAccepted: STOP };
}

/** Kernel drivers the services below depend on. */
const DRIVERS: readonly ServiceSpec[] = [
  driver('AFD', 'Ancillary Function Driver for Winsock', SERVICE_SYSTEM_START, '\\SystemRoot\\system32\\drivers\\afd.sys', 'PNP_TDI'),
  driver('Bowser', 'Browser', DEMAND, 'system32\\DRIVERS\\bowser.sys', 'NetworkProvider'),
  driver('HTTP', 'HTTP Service', DEMAND, 'system32\\drivers\\HTTP.sys'),
  driver('mpsdrv', 'Windows Defender Firewall Authorization Driver', DEMAND, 'System32\\drivers\\mpsdrv.sys'),
  driver('MRxSmb20', 'SMB 2.0 MiniRedirector', DEMAND, 'system32\\DRIVERS\\mrxsmb20.sys', 'Network'),
  driver('NetBT', 'NetBT', SERVICE_SYSTEM_START, 'System32\\DRIVERS\\netbt.sys', 'PNP_TDI'),
  driver('nsiproxy', 'NSI Proxy Service Driver', SERVICE_SYSTEM_START, '\\SystemRoot\\system32\\drivers\\nsiproxy.sys', 'PNP_TDI'),
  driver('srv2', 'Server SMB 2.xxx Driver', DEMAND, 'System32\\DRIVERS\\srv2.sys', 'Network'),
  driver('Tcpip', 'TCP/IP Protocol Driver', SERVICE_BOOT_START, 'System32\\drivers\\tcpip.sys', 'PNP_TDI'),
  driver('tdx', 'NetIO Legacy TDI Support Driver', SERVICE_SYSTEM_START, '\\SystemRoot\\system32\\DRIVERS\\tdx.sys', 'PNP_TDI'),
];

/** Services every Windows container image has. */
const CORE: readonly ServiceSpec[] = [
  service('CExecSvc', 'Container Execution Agent', OWN, AUTO, '%SystemRoot%\\system32\\CExecSvc.exe', LOCAL_SYSTEM, STOP_SHUTDOWN, {
    description: 'The Container Execution Agent runs commands in the container on behalf of the host.',
  }),
  service('DcomLaunch', 'DCOM Server Process Launcher', SHARE, AUTO, svchost('DcomLaunch'), LOCAL_SYSTEM, NONE, {
    description: 'The DCOMLAUNCH service launches COM and DCOM servers in response to object activation requests.',
    group: 'COM Infrastructure',
    svchostSplitDisable: true,
  }),
  service('BrokerInfrastructure', 'Background Tasks Infrastructure Service', SHARE, AUTO, svchost('DcomLaunch'), LOCAL_SYSTEM, NONE, {
    description: 'Windows infrastructure service that controls which background tasks can run on the system.',
    dependOnService: ['RpcEptMapper', 'DcomLaunch', 'RpcSs'],
    svchostSplitDisable: true,
  }),
  service('Power', 'Power', SHARE, AUTO, svchost('DcomLaunch'), LOCAL_SYSTEM, NONE, {
    description: 'Manages power policy and power policy notification delivery.',
    group: 'Plugplay',
    svchostSplitDisable: true,
  }),
  service('PlugPlay', 'Plug and Play', SHARE, DEMAND, svchost('DcomLaunch'), LOCAL_SYSTEM, SERVICE_ACCEPT_SHUTDOWN, {
    description: 'Enables a computer to recognize and adapt to hardware changes with little or no user input.',
    group: 'PlugPlay',
    svchostSplitDisable: true,
    triggerStartsAtBoot: true,
  }),
  service('SystemEventsBroker', 'System Events Broker', SHARE, AUTO, svchost('DcomLaunch'), LOCAL_SYSTEM, NONE, {
    description: 'Coordinates execution of background work for WinRT application.',
    dependOnService: ['RpcEptMapper', 'RpcSs'],
    svchostSplitDisable: true,
  }),
  service('LSM', 'Local Session Manager', SHARE, AUTO, svchost('DcomLaunch'), LOCAL_SYSTEM, NONE, {
    description: 'Core Windows Service that manages local user sessions.',
    dependOnService: ['RpcEptMapper', 'DcomLaunch', 'RpcSs'],
  }),
  service('RpcEptMapper', 'RPC Endpoint Mapper', SHARE, AUTO, svchost('RPCSS'), NETWORK_SERVICE, NONE, {
    description: 'Resolves RPC interfaces identifiers to transport endpoints.',
    group: 'COM Infrastructure',
    svchostSplitDisable: true,
  }),
  service('RpcSs', 'Remote Procedure Call (RPC)', SHARE, AUTO, svchost('rpcss'), NETWORK_SERVICE, NONE, {
    description: 'The RPCSS service is the Service Control Manager for COM and DCOM servers.',
    group: 'COM Infrastructure',
    dependOnService: ['RpcEptMapper', 'DcomLaunch'],
    svchostSplitDisable: true,
  }),
  service('EventLog', 'Windows Event Log', SHARE, AUTO, svchost('LocalServiceNetworkRestricted'), LOCAL_SERVICE, STOP_SHUTDOWN, {
    description: 'This service manages events and event logs.',
    group: 'Event Log',
  }),
  service('SamSs', 'Security Accounts Manager', SHARE, AUTO, '%SystemRoot%\\system32\\lsass.exe', LOCAL_SYSTEM, NONE, {
    description: 'The startup of this service signals other services that the Security Accounts Manager (SAM) is ready to accept requests.',
    group: 'MS_WindowsLocalValidation',
    dependOnService: ['RPCSS'],
  }),
  service('KeyIso', 'CNG Key Isolation', SHARE, DEMAND, '%SystemRoot%\\system32\\lsass.exe', LOCAL_SYSTEM, STOP, {
    description: 'The CNG key isolation service is hosted in the LSA process.',
    dependOnService: ['RPCSS'],
    triggerStartsAtBoot: true,
  }),
  service('Netlogon', 'Netlogon', SHARE, DEMAND, '%systemroot%\\system32\\lsass.exe', LOCAL_SYSTEM, STOP | SERVICE_ACCEPT_PAUSE_CONTINUE, {
    description: 'Maintains a secure channel between this computer and the domain controller for authenticating users and services.',
    group: 'RemoteValidation',
    dependOnService: ['LanmanWorkstation'],
  }),
  service('nsi', 'Network Store Interface Service', SHARE, AUTO, svchost('LocalService'), LOCAL_SERVICE, STOP_SHUTDOWN, {
    description: 'This service delivers network notifications (e.g. interface addition/deleting etc) to user mode clients.',
    dependOnService: ['rpcss', 'nsiproxy'],
  }),
  service('Dhcp', 'DHCP Client', SHARE, AUTO, svchost('LocalServiceNetworkRestricted'), LOCAL_SERVICE, STOP_SHUTDOWN, {
    description: 'Registers and updates IP addresses and DNS records for this computer.',
    group: 'TDI',
    dependOnService: ['NSI', 'Afd', 'Tcpip'],
  }),
  service('Dnscache', 'DNS Client', SHARE, AUTO, svchost('NetworkService'), NETWORK_SERVICE, NONE, {
    description: 'The DNS Client service (dnscache) caches Domain Name System (DNS) names and registers the full computer name for this computer.',
    group: 'NetworkProvider',
    dependOnService: ['nsi', 'Tdx'],
  }),
  service('lmhosts', 'TCP/IP NetBIOS Helper', SHARE, DEMAND, svchost('LocalServiceNetworkRestricted'), LOCAL_SERVICE, STOP_SHUTDOWN, {
    description: 'Provides support for the NetBIOS over TCP/IP (NetBT) service and NetBIOS name resolution for clients on the network.',
    group: 'TDI',
    dependOnService: ['NetBT', 'Afd'],
    triggerStartsAtBoot: true,
  }),
  service('LanmanWorkstation', 'Workstation', SHARE, AUTO, svchost('NetworkService'), NETWORK_SERVICE, STOP | SERVICE_ACCEPT_PAUSE_CONTINUE, {
    description: 'Creates and maintains client network connections to remote servers using the SMB protocol.',
    group: 'NetworkProvider',
    dependOnService: ['Bowser', 'MRxSmb20', 'NSI'],
  }),
  service('ProfSvc', 'User Profile Service', SHARE, AUTO, svchost('netsvcs'), LOCAL_SYSTEM, NONE, {
    description: 'This service is responsible for loading and unloading user profiles.',
    group: 'ProfSvc_Group',
    dependOnService: ['RpcSs'],
  }),
  service('UserManager', 'User Manager', SHARE, AUTO, svchost('netsvcs'), LOCAL_SYSTEM, STOP_SHUTDOWN, {
    description: 'User Manager provides the runtime components required for multi-user interaction.',
    dependOnService: ['RpcSs', 'ProfSvc'],
  }),
  service('W32Time', 'Windows Time', SHARE, DEMAND, svchost('LocalService', false), LOCAL_SERVICE, STOP_SHUTDOWN, {
    description: 'Maintains date and time synchronization on all clients and servers in the network.',
  }),
];

/** Services of servercore beyond the core. */
const SERVERCORE: readonly ServiceSpec[] = [
  service('Appinfo', 'Application Information', SHARE, DEMAND, svchost('netsvcs'), LOCAL_SYSTEM, STOP, {
    description: 'Facilitates the running of interactive applications with additional administrative privileges.',
    dependOnService: ['RpcSs', 'ProfSvc'],
  }),
  service('BFE', 'Base Filtering Engine', SHARE, AUTO, svchost('LocalServiceNoNetworkFirewall'), LOCAL_SERVICE, STOP, {
    description: 'The Base Filtering Engine (BFE) is a service that manages firewall and Internet Protocol security (IPsec) policies and implements user mode filtering.',
    group: 'NetworkProvider',
    dependOnService: ['RpcSs'],
  }),
  service('BITS', 'Background Intelligent Transfer Service', SHARE, DEMAND, svchost('netsvcs'), LOCAL_SYSTEM, STOP_SHUTDOWN, {
    description: 'Transfers files in the background using idle network bandwidth.',
    dependOnService: ['RpcSs'],
  }),
  service('CoreMessagingRegistrar', 'CoreMessaging', SHARE, AUTO, svchost('LocalServiceNoNetwork'), LOCAL_SERVICE, NONE, {
    description: 'Manages communication between system components.',
    dependOnService: ['rpcss'],
  }),
  service('CryptSvc', 'Cryptographic Services', SHARE, AUTO, svchost('NetworkService'), NETWORK_SERVICE, STOP_SHUTDOWN, {
    description: 'Provides three management services: Catalog Database Service, Protected Root Service and Automatic Root Certificate Update Service.',
    dependOnService: ['RpcSs'],
  }),
  service('DiagTrack', 'Connected User Experiences and Telemetry', OWN, AUTO, '%SystemRoot%\\System32\\svchost.exe -k utcsvc -p', LOCAL_SYSTEM, STOP_SHUTDOWN, {
    description: 'The Connected User Experiences and Telemetry service enables features that support in-application and connected user experiences.',
    dependOnService: ['RpcSs'],
  }),
  service('EventSystem', 'COM+ Event System', SHARE, AUTO, svchost('LocalService'), LOCAL_SERVICE, STOP_SHUTDOWN, {
    description: 'Supports System Event Notification Service (SENS), which provides automatic distribution of events to subscribing Component Object Model (COM) components.',
    dependOnService: ['rpcss'],
  }),
  service('iphlpsvc', 'IP Helper', SHARE, AUTO, svchost('NetSvcs'), LOCAL_SYSTEM, STOP_SHUTDOWN, {
    description: 'Provides tunnel connectivity using IPv6 transition technologies (6to4, ISATAP, Port Proxy, and Teredo), and IP-HTTPS.',
    dependOnService: ['RpcSS', 'Tcpip', 'nsi', 'WinHttpAutoProxySvc'],
  }),
  service('LanmanServer', 'Server', SHARE, AUTO, '%SystemRoot%\\system32\\svchost.exe -k smbsvcs', LOCAL_SYSTEM, STOP_SHUTDOWN | SERVICE_ACCEPT_PAUSE_CONTINUE, {
    description: 'Supports file, print, and named-pipe sharing over the network for this computer.',
    dependOnService: ['SamSS', 'Srv2'],
  }),
  service('mpssvc', 'Windows Defender Firewall', SHARE, AUTO, svchost('LocalServiceNoNetworkFirewall'), LOCAL_SERVICE, NONE, {
    description: 'Windows Defender Firewall helps protect your computer by preventing unauthorized users from gaining access to your computer through the Internet or a network.',
    group: 'NetworkProvider',
    dependOnService: ['mpsdrv', 'bfe'],
  }),
  service('msiserver', 'Windows Installer', OWN, DEMAND, '%systemroot%\\system32\\msiexec.exe /V', LOCAL_SYSTEM, STOP, {
    description: 'Adds, modifies, and removes applications provided as a Windows Installer (*.msi, *.msp) package.',
    dependOnService: ['rpcss'],
  }),
  service('netprofm', 'Network List Service', SHARE, DEMAND, svchost('LocalService'), LOCAL_SERVICE, STOP, {
    description: 'Identifies the networks to which the computer has connected, collects and stores properties for these networks, and notifies applications when these properties change.',
    dependOnService: ['RpcSs', 'nlasvc'],
    triggerStartsAtBoot: true,
  }),
  service('NlaSvc', 'Network Location Awareness', SHARE, AUTO, svchost('NetworkService'), NETWORK_SERVICE, STOP, {
    description: 'Collects and stores configuration information for the network and notifies programs when this information is modified.',
    group: 'NetworkProvider',
    dependOnService: ['NSI', 'RpcSs', 'TcpIp', 'Dhcp', 'Eventlog'],
  }),
  service('RemoteRegistry', 'Remote Registry', SHARE, DEMAND, svchost('localService'), LOCAL_SERVICE, STOP_SHUTDOWN, {
    description: 'Enables remote users to modify registry settings on this computer.',
    dependOnService: ['RPCSS'],
  }),
  service('Schedule', 'Task Scheduler', SHARE, AUTO, svchost('netsvcs'), LOCAL_SYSTEM, NONE, {
    description: 'Enables a user to configure and schedule automated tasks on this computer.',
    group: 'SchedulerGroup',
    dependOnService: ['RPCSS', 'SystemEventsBroker'],
  }),
  service('seclogon', 'Secondary Logon', SHARE, DEMAND, '%windir%\\system32\\svchost.exe -k netsvcs -p', LOCAL_SYSTEM, STOP, {
    description: 'Enables starting processes under alternate credentials.',
  }),
  service('SENS', 'System Event Notification Service', SHARE, AUTO, svchost('netsvcs'), LOCAL_SYSTEM, STOP_SHUTDOWN, {
    description: 'Monitors system events and notifies subscribers to COM+ Event System of these events.',
    dependOnService: ['EventSystem'],
  }),
  service('TimeBrokerSvc', 'Time Broker', SHARE, DEMAND, svchost('LocalServiceNetworkRestricted'), LOCAL_SERVICE, STOP, {
    description: 'Coordinates execution of background work for WinRT application.',
    dependOnService: ['RpcSs'],
    triggerStartsAtBoot: true,
  }),
  service('TrustedInstaller', 'Windows Modules Installer', OWN, DEMAND, '%SystemRoot%\\servicing\\TrustedInstaller.exe', LOCAL_SYSTEM, STOP_SHUTDOWN, {
    description: 'Enables installation, modification, and removal of Windows updates and optional components.',
  }),
  service('VaultSvc', 'Credential Manager', SHARE, DEMAND, '%SystemRoot%\\system32\\lsass.exe', LOCAL_SYSTEM, STOP, {
    description: 'Provides secure storage and retrieval of credentials to users, applications and security service packages.',
    dependOnService: ['rpcss'],
  }),
  service('WerSvc', 'Windows Error Reporting Service', SHARE, DEMAND, svchost('WerSvcGroup', false), LOCAL_SYSTEM, STOP_SHUTDOWN, {
    description: 'Allows errors to be reported when programs stop working or responding and allows existing solutions to be delivered.',
  }),
  service('WinHttpAutoProxySvc', 'WinHTTP Web Proxy Auto-Discovery Service', SHARE, DEMAND, svchost('LocalServiceNetworkRestricted'), LOCAL_SERVICE, STOP, {
    description: 'WinHTTP implements the client HTTP stack and provides developers with a Win32 API and COM Automation component for sending HTTP requests and receiving responses.',
    dependOnService: ['Dhcp'],
    triggerStartsAtBoot: true,
  }),
  service('Winmgmt', 'Windows Management Instrumentation', SHARE, AUTO, svchost('netsvcs'), LOCAL_SYSTEM, STOP_SHUTDOWN | SERVICE_ACCEPT_PAUSE_CONTINUE, {
    description: 'Provides a common interface and object model to access management information about operating system, devices, applications and services.',
    dependOnService: ['RPCSS'],
  }),
  service('WinRM', 'Windows Remote Management (WS-Management)', SHARE, AUTO, svchost('NetworkService'), NETWORK_SERVICE, STOP_SHUTDOWN, {
    description: 'Windows Remote Management (WinRM) service implements the WS-Management protocol for remote management.',
    dependOnService: ['RPCSS', 'HTTP'],
  }),
  service('wuauserv', 'Windows Update', SHARE, DEMAND, svchost('netsvcs'), LOCAL_SYSTEM, STOP_SHUTDOWN, {
    description: 'Enables the detection, download, and installation of updates for Windows and other programs.',
    dependOnService: ['rpcss'],
  }),
];

/** What the IIS image adds (mcr.microsoft.com/windows/servercore/iis). */
const IIS: readonly ServiceSpec[] = [
  service('AppHostSvc', 'Application Host Helper Service', SHARE, AUTO, '%windir%\\system32\\svchost.exe -k apphost', LOCAL_SYSTEM, STOP_SHUTDOWN | SERVICE_ACCEPT_PAUSE_CONTINUE, {
    description: 'Provides administrative services for IIS, for example configuration history and Application Pool account mapping.',
  }),
  service('W3SVC', 'World Wide Web Publishing Service', SHARE, AUTO, '%windir%\\system32\\svchost.exe -k iissvcs', LOCAL_SYSTEM, STOP_SHUTDOWN | SERVICE_ACCEPT_PAUSE_CONTINUE, {
    description: 'Provides Web connectivity and administration through the Internet Information Services Manager',
    dependOnService: ['WAS', 'HTTP'],
  }),
  service('WAS', 'Windows Process Activation Service', SHARE, DEMAND, '%windir%\\system32\\svchost.exe -k iissvcs', LOCAL_SYSTEM, STOP_SHUTDOWN, {
    description: 'The Windows Process Activation Service (WAS) provides process activation, resource management and health management services for message-activated applications.',
    dependOnService: ['RPCSS'],
  }),
];

/** The names in the nanoserver subset of CORE (and the drivers they need). */
const NANOSERVER = new Set([
  'CExecSvc', 'DcomLaunch', 'BrokerInfrastructure', 'Power', 'PlugPlay', 'SystemEventsBroker', 'LSM', 'RpcEptMapper', 'RpcSs',
  'EventLog', 'SamSs', 'KeyIso', 'Netlogon', 'nsi', 'Dhcp', 'Dnscache', 'lmhosts', 'LanmanWorkstation', 'ProfSvc', 'UserManager', 'W32Time',
  'AFD', 'Bowser', 'MRxSmb20', 'NetBT', 'nsiproxy', 'Tcpip', 'tdx',
]);

const byName = (a: ServiceSpec, b: ServiceSpec) => (a.name.toUpperCase() < b.name.toUpperCase() ? -1 : a.name.toUpperCase() > b.name.toUpperCase() ? 1 : 0);

/**
 * The services of an image flavor, sorted by name (RegEnumKeyEx order):
 * drivers included. `iis` is servercore plus IIS's.
 */
export function servicesFor(flavor: ImageFlavor): ServiceSpec[] {
  const f: ImageFlavor = flavor === 'nanoserver' || flavor === 'iis' ? flavor : 'servercore';
  let list = BY_FLAVOR.get(f);
  if (!list) {
    list =
      f === 'nanoserver'
        ? [...CORE, ...DRIVERS].filter((s) => NANOSERVER.has(s.name)).sort(byName)
        : f === 'iis'
          ? [...CORE, ...SERVERCORE, ...IIS, ...DRIVERS].sort(byName)
          : [...CORE, ...SERVERCORE, ...DRIVERS].sort(byName);
    BY_FLAVOR.set(f, list);
  }
  return list.slice();
}

/** Sorted lists per flavor (the specs are immutable; callers get their own array). */
const BY_FLAVOR = new Map<ImageFlavor, readonly ServiceSpec[]>();

/** Behaviour of a known service by name (case-insensitive), for services read back from the registry. */
export function knownService(name: string): ServiceSpec | undefined {
  return KNOWN.get(name.toUpperCase());
}

const KNOWN: ReadonlyMap<string, ServiceSpec> = new Map([...CORE, ...SERVERCORE, ...IIS, ...DRIVERS].map((s) => [s.name.toUpperCase(), s]));

/**
 * HKLM\SYSTEM\CurrentControlSet\Control\ServiceGroupOrder\List: the order
 * in which services.exe starts load-order groups (the part of Windows'
 * list that service groups above use; ungrouped services start after).
 */
export const SERVICE_GROUP_ORDER: readonly string[] = [
  'System Reserved', 'EMS', 'WdfLoadGroup', 'Boot Bus Extender', 'System Bus Extender', 'SCSI miniport', 'Port',
  'Primary Disk', 'SCSI Class', 'SCSI CDROM Class', 'FSFilter Infrastructure', 'Filter', 'Boot File System', 'Base',
  'Pointer Port', 'Keyboard Port', 'Pointer Class', 'Keyboard Class', 'Video Init', 'Video', 'Video Save', 'File System',
  'Streams Drivers', 'NDIS Wrapper', 'COM Infrastructure', 'Event Log', 'ProfSvc_Group', 'AudioGroup', 'UIGroup',
  'MS_WindowsLocalValidation', 'PlugPlay', 'Cryptography', 'PNP_TDI', 'NDIS', 'TDI', 'iSCSI', 'NetBIOSGroup',
  'ShellSvcGroup', 'SchedulerGroup', 'SpoolerGroup', 'SmartCardGroup', 'NetworkProvider', 'RemoteValidation',
  'NetDDEGroup', 'Parallel arbitrator', 'Extended Base', 'PCI Configuration', 'MS Transactions',
];
