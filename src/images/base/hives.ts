/**
 * The registry hives a base image carries (windows-facts §4: the layer
 * tar's `Hives/` — SYSTEM, SOFTWARE, SAM, SECURITY, DEFAULT and the
 * default user's), as HiveKeySpec data for the registry to load.
 *
 * Layout and value types follow Windows' own (learn.microsoft.com:
 * "HKLM\SYSTEM\CurrentControlSet\Services Registry Tree", "Environment
 * Variables", "Registry Value Types"; the version keys per catalog.ts):
 *  - SYSTEM: `ControlSet001` (Control\ComputerName, Control\Session
 *    Manager\Environment, Control\ProductOptions, Services\<name>) and
 *    `Select` (Current=1 …). `CurrentControlSet` is not in the hive: Windows
 *    creates it at boot as a volatile link (REG_LINK SymbolicLinkValue) to
 *    the control set Select\Current names — CURRENT_CONTROL_SET_LINK below
 *    tells the registry what to create.
 *  - SOFTWARE: Microsoft\Windows NT\CurrentVersion (version keys,
 *    ProfileList), Microsoft\Windows\CurrentVersion (ProgramFilesDir …),
 *    Classes (the few associations cmd and `start` need), and on IIS
 *    Microsoft\InetStp.
 *  - DEFAULT (HKU\.DEFAULT) and the user hive (HKCU): Environment (TEMP,
 *    TMP REG_EXPAND_SZ under %USERPROFILE%; the user's Path), Control
 *    Panel\International (en-US), Console.
 *  - SAM and SECURITY: the skeleton keys only (accounts are named, no
 *    secrets are modelled).
 * Services: the catalogue of src/kernel/services (servicesFor), written
 * as services.exe reads it back (serviceRegistryTree) — one list for the
 * hive and the service control manager.
 */
import { serviceRegistryTree, servicesFor } from '../../kernel/services/index.js';
import {
  REG_DWORD,
  REG_EXPAND_SZ,
  REG_MULTI_SZ,
  REG_QWORD,
  REG_SZ,
  type HiveKeySpec,
  type RegistryValue,
} from '../../kernel/registry/types.js';
import {
  USER_PATH,
  catalogTime,
  systemEnvironment,
  versionKeys,
  type BaseImageSpec,
  type ProcessorInfo,
} from './catalog.js';

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

const sz = (name: string, data: string): RegistryValue => ({ name, type: REG_SZ, data });
const expand = (name: string, data: string): RegistryValue => ({ name, type: REG_EXPAND_SZ, data });
const dword = (name: string, data: number): RegistryValue => ({ name, type: REG_DWORD, data: data >>> 0 });
const multi = (name: string, data: string[]): RegistryValue => ({ name, type: REG_MULTI_SZ, data });
const qword = (name: string, data: bigint): RegistryValue => ({ name, type: REG_QWORD, data });

/** What the registry must create at boot: HKLM\SYSTEM\CurrentControlSet → ControlSet00<Select\Current>. */
export const CURRENT_CONTROL_SET_LINK = {
  /** The link key, relative to HKLM\SYSTEM. */
  key: 'CurrentControlSet',
  /** The REG_LINK value Windows stores in it. */
  valueName: 'SymbolicLinkValue',
  /** Its data: a native registry path. */
  target: '\\Registry\\Machine\\SYSTEM\\ControlSet001',
  volatile: true,
} as const;

// ---------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------

/** SERVICE_* types and start values (winnt.h; "CreateService", learn.microsoft.com). */
export const SERVICE_KERNEL_DRIVER = 0x1;
export const SERVICE_WIN32_OWN_PROCESS = 0x10;
export const SERVICE_WIN32_SHARE_PROCESS = 0x20;
export const SERVICE_AUTO_START = 2;
export const SERVICE_DEMAND_START = 3;
export const SERVICE_DISABLED = 4;
export const SERVICE_ERROR_NORMAL = 1;

// ---------------------------------------------------------------------------
// SYSTEM
// ---------------------------------------------------------------------------

export interface SystemHiveOptions {
  /** The computer name (COMPUTERNAME): the container's, in capitals (catalog `computerNameFor`). */
  readonly computerName: string;
  /**
   * The keys under Services, by service name; default: the image's
   * catalogue (src/kernel/services servicesFor: servercore, nanoserver, or
   * iis with W3SVC and WAS) as services.exe reads them.
   */
  readonly services?: Readonly<Record<string, HiveKeySpec>>;
  /** The processor the session manager finds (NUMBER_OF_PROCESSORS, PROCESSOR_*). */
  readonly cpu?: ProcessorInfo;
}

/** Control\ComputerName\{ComputerName,ActiveComputerName}: the name the container reports. */
export function computerNameKeys(computerName: string): HiveKeySpec {
  return {
    keys: {
      ComputerName: { values: [sz('ComputerName', computerName)] },
      ActiveComputerName: { values: [sz('ComputerName', computerName)] },
    },
  };
}

export function systemHive(image: BaseImageSpec, opts: SystemHiveOptions): HiveKeySpec {
  const environment: RegistryValue[] = systemEnvironment(image, opts.cpu).map((v) => (v.expand ? expand(v.name, v.value) : sz(v.name, v.value)));
  const services = opts.services ?? serviceRegistryTree(servicesFor(image.variant === 'iis' ? 'iis' : image.flavor));
  return {
    keys: {
      ControlSet001: {
        keys: {
          Control: {
            keys: {
              ComputerName: computerNameKeys(opts.computerName),
              // ProductType ServerNT: a server that is not a domain controller (GetVersionEx's VER_NT_SERVER).
              ProductOptions: { values: [sz('ProductType', 'ServerNT')] },
              'Session Manager': {
                values: [expand('SystemRoot', 'C:\\Windows')],
                keys: { Environment: { values: environment } },
              },
              Windows: { values: [expand('SystemDirectory', '%SystemRoot%\\system32'), dword('CSDVersion', 0)] },
            },
          },
          Services: { keys: services },
        },
      },
      Select: { values: [dword('Current', 1), dword('Default', 1), dword('Failed', 0), dword('LastKnownGood', 1)] },
      Setup: { values: [dword('SystemSetupInProgress', 0)] },
    },
  };
}

// ---------------------------------------------------------------------------
// SOFTWARE
// ---------------------------------------------------------------------------

/** Well-known SIDs of the built-in profiles (ProfileList), with their profile folders. */
const SYSTEM_PROFILES: readonly [string, string][] = [
  ['S-1-5-18', '%systemroot%\\system32\\config\\systemprofile'],
  ['S-1-5-19', '%systemroot%\\ServiceProfiles\\LocalService'],
  ['S-1-5-20', '%systemroot%\\ServiceProfiles\\NetworkService'],
];

function currentVersionNT(image: BaseImageSpec): HiveKeySpec {
  const v = versionKeys(image);
  const installTime = BigInt(catalogTime(image.history[0]!.created)) * 10000n + 116444736000000000n; // FILETIME
  const values: RegistryValue[] = [
    sz('SystemRoot', v.SystemRoot),
    sz('BuildBranch', v.BuildBranch),
    sz('BuildLab', v.BuildLab),
    sz('BuildLabEx', v.BuildLabEx),
    sz('CompositionEditionID', v.CompositionEditionID),
    sz('CurrentBuild', v.CurrentBuild),
    sz('CurrentBuildNumber', v.CurrentBuildNumber),
    dword('CurrentMajorVersionNumber', v.CurrentMajorVersionNumber),
    dword('CurrentMinorVersionNumber', v.CurrentMinorVersionNumber),
    sz('CurrentType', v.CurrentType),
    sz('CurrentVersion', v.CurrentVersion),
    ...(v.DisplayVersion !== undefined ? [sz('DisplayVersion', v.DisplayVersion)] : []),
    sz('EditionID', v.EditionID),
    dword('InstallDate', v.InstallDate),
    sz('InstallationType', v.InstallationType),
    qword('InstallTime', installTime),
    sz('PathName', v.PathName),
    sz('ProductName', v.ProductName),
    sz('ReleaseId', v.ReleaseId),
    sz('SoftwareType', v.SoftwareType),
    dword('UBR', v.UBR),
  ];
  const profiles: Record<string, HiveKeySpec> = {};
  for (const [sid, path] of SYSTEM_PROFILES) profiles[sid] = { values: [expand('ProfileImagePath', path), dword('Flags', 0), dword('State', 0)] };
  return {
    values,
    keys: {
      ProfileList: {
        values: [
          expand('Default', '%SystemDrive%\\Users\\Default'),
          expand('ProfilesDirectory', '%SystemDrive%\\Users'),
          expand('ProgramData', '%SystemDrive%\\ProgramData'),
          expand('Public', '%SystemDrive%\\Users\\Public'),
        ],
        keys: profiles,
      },
    },
  };
}

function currentVersionWindows(): HiveKeySpec {
  return {
    values: [
      sz('CommonFilesDir', 'C:\\Program Files\\Common Files'),
      sz('CommonFilesDir (x86)', 'C:\\Program Files (x86)\\Common Files'),
      sz('CommonW6432Dir', 'C:\\Program Files\\Common Files'),
      expand('DevicePath', '%SystemRoot%\\inf'),
      sz('ProgramFilesDir', 'C:\\Program Files'),
      sz('ProgramFilesDir (x86)', 'C:\\Program Files (x86)'),
      expand('ProgramFilesPath', '%ProgramFiles%'),
      sz('ProgramW6432Dir', 'C:\\Program Files'),
    ],
    keys: {
      'App Paths': {},
      Run: {},
      RunOnce: {},
    },
  };
}

/** Classes: the associations `start`, `assoc` and `ftype` need for scripts and programs. */
function classes(image: BaseImageSpec): HiveKeySpec {
  const ext = (name: string, progId: string): [string, HiveKeySpec] => [name, { values: [sz('', progId)] }];
  const open = (command: string): HiveKeySpec => ({ keys: { shell: { keys: { open: { keys: { command: { values: [expand('', command)] } } } } } } });
  const keys: Record<string, HiveKeySpec> = Object.fromEntries([
    ext('.bat', 'batfile'),
    ext('.cmd', 'cmdfile'),
    ext('.com', 'comfile'),
    ext('.exe', 'exefile'),
    ext('.txt', 'txtfile'),
    ...(image.flavor === 'servercore' ? [ext('.ps1', 'Microsoft.PowerShellScript.1'), ext('.vbs', 'VBSFile'), ext('.js', 'JSFile')] : []),
  ]);
  keys['batfile'] = open('"%1" %*');
  keys['cmdfile'] = open('"%1" %*');
  keys['comfile'] = open('"%1" %*');
  keys['exefile'] = open('"%1" %*');
  keys['txtfile'] = open('%SystemRoot%\\system32\\NOTEPAD.EXE %1');
  if (image.flavor === 'servercore') {
    keys['Microsoft.PowerShellScript.1'] = open('"C:\\Windows\\System32\\notepad.exe" "%1"');
    keys['VBSFile'] = open('"%SystemRoot%\\System32\\WScript.exe" "%1" %*');
    keys['JSFile'] = open('%SystemRoot%\\System32\\WScript.exe "%1" %*');
  }
  return { keys };
}

export function softwareHive(image: BaseImageSpec): HiveKeySpec {
  const microsoft: Record<string, HiveKeySpec> = {
    'Windows NT': { keys: { CurrentVersion: currentVersionNT(image) } },
    Windows: { keys: { CurrentVersion: currentVersionWindows() } },
  };
  if (image.flavor === 'servercore') {
    microsoft['PowerShell'] = {
      keys: {
        '1': {
          values: [sz('Install', '1')],
          keys: { PowerShellEngine: { values: [sz('ApplicationBase', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0'), sz('PowerShellVersion', '2.0')] } },
        },
        '3': {
          values: [sz('Install', '1')],
          keys: { PowerShellEngine: { values: [sz('ApplicationBase', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0'), sz('PowerShellVersion', '5.1.' + image.release.build + '.1')] } },
        },
      },
    };
  }
  if (image.variant === 'iis') {
    // What IIS setup writes (learn.microsoft.com, "IIS version detection": InetStp MajorVersion/MinorVersion).
    microsoft['InetStp'] = {
      values: [
        dword('MajorVersion', 10),
        dword('MinorVersion', 0),
        sz('SetupString', 'IIS 10.0'),
        sz('VersionString', 'Version 10.0'),
        expand('PathWWWRoot', '%SystemDrive%\\inetpub\\wwwroot'),
        sz('InstallPath', 'C:\\Windows\\system32\\inetsrv'),
        sz('IISProgramGroup', 'Microsoft Internet Information Services\\'),
      ],
      keys: { Components: { values: [dword('W3SVC', 1), dword('WAS', 1)] } },
    };
  }
  return { keys: { Classes: classes(image), Microsoft: { keys: microsoft }, Policies: {} } };
}

// ---------------------------------------------------------------------------
// SAM, SECURITY
// ---------------------------------------------------------------------------

/** The local accounts of a container image, by name (their RIDs: 500 Administrator, 501 Guest, 503 DefaultAccount, then the container users). */
export const LOCAL_ACCOUNTS: readonly [string, number][] = [
  ['Administrator', 500],
  ['Guest', 501],
  ['DefaultAccount', 503],
  ['WDAGUtilityAccount', 504],
  ['ContainerAdministrator', 1000],
  ['ContainerUser', 1001],
];

export function samHive(): HiveKeySpec {
  const names: Record<string, HiveKeySpec> = {};
  const users: Record<string, HiveKeySpec> = {};
  for (const [name, rid] of LOCAL_ACCOUNTS) {
    names[name] = { values: [dword('', rid)] };
    users[rid.toString(16).toUpperCase().padStart(8, '0')] = {};
  }
  return {
    keys: {
      SAM: {
        keys: {
          Domains: {
            keys: {
              Account: { keys: { Users: { keys: { ...users, Names: { keys: names } } }, Groups: {}, Aliases: {} } },
              Builtin: { keys: { Aliases: {}, Groups: {}, Users: {} } },
            },
          },
          RXACT: {},
        },
      },
    },
  };
}

export function securityHive(): HiveKeySpec {
  return { keys: { Cache: {}, Policy: { keys: { Accounts: {}, Secrets: {} } }, RXACT: {}, SAM: {} } };
}

// ---------------------------------------------------------------------------
// DEFAULT (HKU\.DEFAULT) and user hives (HKCU)
// ---------------------------------------------------------------------------

/** Control Panel\International for en-US: what `date`, `time` and `dir` format with. */
export function internationalKey(): HiveKeySpec {
  return {
    values: [
      sz('Locale', '00000409'),
      sz('LocaleName', 'en-US'),
      sz('s1159', 'AM'),
      sz('s2359', 'PM'),
      sz('sCountry', 'United States'),
      sz('sCurrency', '$'),
      sz('sDate', '/'),
      sz('sDecimal', '.'),
      sz('sGrouping', '3;0'),
      sz('sLanguage', 'ENU'),
      sz('sList', ','),
      sz('sLongDate', 'dddd, MMMM d, yyyy'),
      sz('sShortDate', 'M/d/yyyy'),
      sz('sShortTime', 'h:mm tt'),
      sz('sThousand', ','),
      sz('sTime', ':'),
      sz('sTimeFormat', 'h:mm:ss tt'),
      sz('iCountry', '1'),
      sz('iDate', '0'),
      sz('iFirstDayOfWeek', '6'),
      sz('iTime', '0'),
      sz('iTLZero', '0'),
    ],
  };
}

function userEnvironment(withPath: boolean): HiveKeySpec {
  return {
    values: [
      ...(withPath ? [expand('Path', USER_PATH)] : []),
      expand('TEMP', '%USERPROFILE%\\AppData\\Local\\Temp'),
      expand('TMP', '%USERPROFILE%\\AppData\\Local\\Temp'),
    ],
  };
}

/** HKU\.DEFAULT: the profile the system account and new sessions start from. */
export function defaultHive(): HiveKeySpec {
  return {
    keys: {
      'Control Panel': { keys: { International: internationalKey() } },
      Console: {},
      Environment: userEnvironment(false),
      Software: { keys: { Microsoft: {} } },
    },
  };
}

/** A user's hive (HKCU), stored as the profile's NTUSER.DAT. */
export function userHive(): HiveKeySpec {
  return {
    keys: {
      'Control Panel': { keys: { International: internationalKey() } },
      Console: {},
      Environment: userEnvironment(true),
      Software: { keys: { Microsoft: {} } },
    },
  };
}

/**
 * HKCU\Volatile Environment, created at logon (never stored): the profile
 * variables of the user `user` — what `set` shows as APPDATA,
 * LOCALAPPDATA, USERDOMAIN, USERNAME, USERPROFILE.
 */
export function volatileEnvironment(user: string): HiveKeySpec {
  const profile = `C:\\Users\\${user}`;
  return {
    values: [
      sz('APPDATA', `${profile}\\AppData\\Roaming`),
      sz('LOCALAPPDATA', `${profile}\\AppData\\Local`),
      sz('USERDOMAIN', 'User Manager'),
      sz('USERNAME', user),
      sz('USERPROFILE', profile),
    ],
  };
}

// ---------------------------------------------------------------------------
// All of them
// ---------------------------------------------------------------------------

/** The hives of an image's layer, by the file names Windows gives them under System32\config (and the default user's). */
export interface ImageHives {
  readonly SYSTEM: HiveKeySpec;
  readonly SOFTWARE: HiveKeySpec;
  readonly SAM: HiveKeySpec;
  readonly SECURITY: HiveKeySpec;
  readonly DEFAULT: HiveKeySpec;
  /** C:\Users\Default\NTUSER.DAT: the template of new profiles. */
  readonly DEFAULTUSER: HiveKeySpec;
  /** The image's default user's NTUSER.DAT. */
  readonly USER: HiveKeySpec;
}

export function imageHives(image: BaseImageSpec, opts: SystemHiveOptions): ImageHives {
  return {
    SYSTEM: systemHive(image, opts),
    SOFTWARE: softwareHive(image),
    SAM: samHive(),
    SECURITY: securityHive(),
    DEFAULT: defaultHive(),
    DEFAULTUSER: userHive(),
    USER: userHive(),
  };
}
