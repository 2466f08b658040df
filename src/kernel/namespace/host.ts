/**
 * The object namespace of a freshly booted Windows Server host, as WinObj
 * shows it on Windows Server 2022 (windows-facts §1): the top-level
 * directories, the DosDevices links, session 0, and the built-in links
 * `\DosDevices` → `\??`, `\GLOBAL??\GLOBALROOT` → "", `\GLOBAL??\Global`
 * → `\GLOBAL??`, `\GLOBAL??\C:` → `\Device\HarddiskVolumeN`. ALPC ports,
 * drivers, files and processes are not namespace objects winsilo models;
 * their directories are here, empty.
 */
import { ALL_PRIVILEGES, type ObjectNamespace } from '../../core/ob/index.js';
import { populate, type NamespaceNode } from './populate.js';

/** The host's system volume: C: of the host, and its boot device. */
export const HOST_SYSTEM_VOLUME = 'HarddiskVolume3';

/** Object type names listed in \ObjectTypes (a subset WinObj shows). */
const OBJECT_TYPES = [
  'Type', 'Directory', 'SymbolicLink', 'Token', 'Job', 'Process', 'Thread', 'Partition', 'UserApcReserve',
  'IoCompletionReserve', 'ActivityReference', 'PsSiloContextPaged', 'PsSiloContextNonPaged', 'DebugObject',
  'Event', 'Mutant', 'Callback', 'Semaphore', 'Timer', 'IRTimer', 'Profile', 'KeyedEvent', 'WindowStation',
  'Desktop', 'Composition', 'RawInputManager', 'CoreMessaging', 'ActivationObject', 'TpWorkerFactory',
  'Adapter', 'Controller', 'Device', 'Driver', 'IoCompletion', 'WaitCompletionPacket', 'File', 'TmTm',
  'TmTx', 'TmRm', 'TmEn', 'Section', 'Session', 'Key', 'RegistryTransaction', 'ALPC Port', 'EnergyTracker',
  'PowerRequest', 'WmiGuid', 'EtwRegistration', 'EtwSessionDemuxEntry', 'EtwConsumer', 'CoverageSampler',
  'DmaAdapter', 'PcwObject', 'FilterConnectionPort', 'FilterCommunicationPort', 'NdisCmState',
  'DxgkSharedResource', 'DxgkSharedKeyedMutexObject', 'DxgkSharedSyncObject', 'DxgkSharedSwapChainObject',
  'DxgkDisplayManagerObject', 'DxgkSharedProtectedSessionObject', 'DxgkSharedBundleObject',
  'DxgkCompositionObject', 'VRegConfigurationContext',
];

/** `\BaseNamedObjects`-style directory for a session's named objects. */
export function baseNamedObjects(localTarget: string): NamespaceNode {
  return {
    type: 'Directory',
    children: {
      Global: { type: 'SymbolicLink', target: '\\BaseNamedObjects' },
      Local: { type: 'SymbolicLink', target: localTarget },
      Session: { type: 'SymbolicLink', target: '\\Sessions\\BNOLINKS' },
      Restricted: { type: 'Directory' },
      AppContainerNamedObjects: { type: 'Directory' },
    },
  };
}

/** `\\KnownDlls`: the KnownDllPath link and a Section per known DLL. */
export function knownDlls(dlls: string[]): NamespaceNode {
  const children: Record<string, NamespaceNode> = { KnownDllPath: { type: 'SymbolicLink', target: 'C:\\Windows\\System32' } };
  for (const d of dlls) children[d] = { type: 'Section' };
  return { type: 'Directory', children };
}

/** `\GLOBAL??` of a host or silo whose C: is `volume`. */
export function globalDosDevices(volume: string): NamespaceNode {
  return {
    type: 'Directory',
    children: {
      GLOBALROOT: { type: 'SymbolicLink', target: '' },
      Global: { type: 'SymbolicLink', target: '\\GLOBAL??' },
      'C:': { type: 'SymbolicLink', target: `\\Device\\${volume}` },
      BootPartition: { type: 'SymbolicLink', target: `\\Device\\${volume}` },
      NUL: { type: 'SymbolicLink', target: '\\Device\\Null' },
      PIPE: { type: 'SymbolicLink', target: '\\Device\\NamedPipe' },
      MAILSLOT: { type: 'SymbolicLink', target: '\\Device\\MailSlot' },
      UNC: { type: 'SymbolicLink', target: '\\Device\\Mup' },
      CONIN$: { type: 'SymbolicLink', target: '\\Device\\ConDrv\\CurrentIn' },
      CONOUT$: { type: 'SymbolicLink', target: '\\Device\\ConDrv\\CurrentOut' },
      CON: { type: 'SymbolicLink', target: '\\Device\\ConDrv\\Console' },
      PhysicalDrive0: { type: 'SymbolicLink', target: '\\Device\\Harddisk0\\DR0' },
      Tcp: { type: 'SymbolicLink', target: '\\Device\\Tcp' },
    },
  };
}

export function hostNamespace(): Record<string, NamespaceNode> {
  const types: Record<string, NamespaceNode> = {};
  for (const t of OBJECT_TYPES) types[t] = { type: 'Type' };
  return {
    ObjectTypes: { type: 'Directory', children: types },
    ArcName: {
      type: 'Directory',
      children: {
        'multi(0)disk(0)rdisk(0)partition(1)': { type: 'SymbolicLink', target: '\\Device\\HarddiskVolume1' },
        'multi(0)disk(0)rdisk(0)partition(2)': { type: 'SymbolicLink', target: '\\Device\\HarddiskVolume2' },
        'multi(0)disk(0)rdisk(0)partition(3)': { type: 'SymbolicLink', target: `\\Device\\${HOST_SYSTEM_VOLUME}` },
      },
    },
    Device: {
      type: 'Directory',
      children: {
        HarddiskVolume1: { type: 'Device' },
        HarddiskVolume2: { type: 'Device' },
        [HOST_SYSTEM_VOLUME]: { type: 'Device' },
        BootDevice: { type: 'SymbolicLink', target: `\\Device\\${HOST_SYSTEM_VOLUME}` },
        Harddisk0: { type: 'Directory', children: { DR0: { type: 'Device' }, Partition0: { type: 'SymbolicLink', target: '\\Device\\Harddisk0\\DR0' } } },
        Null: { type: 'Device' },
        NamedPipe: { type: 'Device' },
        MailSlot: { type: 'Device' },
        Mup: { type: 'Device' },
        ConDrv: { type: 'Device' },
        Afd: { type: 'Device' },
        Tcp: { type: 'Device' },
        Udp: { type: 'Device' },
        Ip: { type: 'Device' },
        KsecDD: { type: 'Device' },
        CNG: { type: 'Device' },
        VhdHardDisk: { type: 'Directory' },
      },
    },
    Driver: { type: 'Directory' },
    FileSystem: { type: 'Directory' },
    Callback: { type: 'Directory' },
    'GLOBAL??': globalDosDevices(HOST_SYSTEM_VOLUME),
    DosDevices: { type: 'SymbolicLink', target: '\\??' },
    BaseNamedObjects: baseNamedObjects('\\BaseNamedObjects'),
    Sessions: {
      type: 'Directory',
      children: {
        '0': { type: 'Directory', children: { DosDevices: { type: 'Directory', children: { '00000000-000003e7': { type: 'Directory' } } } } },
        BNOLINKS: { type: 'Directory', children: { '0': { type: 'SymbolicLink', target: '\\BaseNamedObjects' } } },
      },
    },
    KernelObjects: {
      type: 'Directory',
      children: {
        Session0: { type: 'Session' },
        LowMemoryCondition: { type: 'Event' },
        HighMemoryCondition: { type: 'Event' },
        LowCommitCondition: { type: 'Event' },
        HighCommitCondition: { type: 'Event' },
        MaximumCommitCondition: { type: 'Event' },
      },
    },
    KnownDlls: knownDlls(['ntdll.dll', 'kernel32.dll', 'KERNELBASE.dll', 'advapi32.dll', 'user32.dll', 'ole32.dll', 'rpcrt4.dll', 'sechost.dll']),
    KnownDlls32: { type: 'Directory', children: { KnownDllPath: { type: 'SymbolicLink', target: 'C:\\Windows\\SysWOW64' } } },
    NLS: { type: 'Directory' },
    'RPC Control': { type: 'Directory' },
    Security: { type: 'Directory' },
    Silos: { type: 'Directory' },
    SystemRoot: { type: 'SymbolicLink', target: '\\Device\\BootDevice\\Windows' },
    UMDFCommunicationPorts: { type: 'Directory' },
    Windows: { type: 'Directory', children: { WindowStations: { type: 'Directory' }, SharedSection: { type: 'Section' } } },
    SAM_SERVICE_STARTED: { type: 'Event' },
    SeLsaInitEvent: { type: 'Event' },
  };
}

/**
 * Boots a host namespace on `ob`: returns the process context of the host's
 * kernel (silo 0, session 0, every privilege), which placed the objects.
 */
export function bootHostNamespace(ob: ObjectNamespace): number {
  const r = ob.createProcess(0, 0, ALL_PRIVILEGES);
  if (r.status < 0) throw new Error('winsilo: cannot create the host kernel process context');
  populate(ob, r.process, '\\', hostNamespace());
  return r.process;
}
