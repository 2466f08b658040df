/**
 * The base images winsilo synthesizes instead of pulling: Server Core, Nano
 * Server and IIS on Server Core, for Windows Server 2019, 2022 and 2025.
 * Deterministic data, one entry per image, with what `docker inspect`,
 * `docker history`, `ver`, `reg query` and `set` show for it.
 *
 * Sources (each fact cites its own below):
 *  - OS versions, layer history and layer sizes: docker-library/repo-info
 *    (the registry's own data, regenerated on every push), images built on
 *    the MCR base images: `golang:1.25-windowsservercore-ltsc2022` and
 *    `-ltsc2025` (August 2026 "8B" release), `golang:1.25-nanoserver-ltsc2022`
 *    and `-ltsc2025` (July 2026 "7B"), `eclipse-temurin:21-jre` on
 *    servercore 1809 and `nats:2-nanoserver` on nanoserver 1809 (December
 *    2024, the newest 1809 figures found). The first layers of those images
 *    are the MCR base layers: their `RUN Apply image …` / `RUN Install update
 *    …` history lines and compressed sizes are reproduced here.
 *  - Image config (User ContainerUser on Nano Server, Cmd
 *    `c:\windows\system32\cmd.exe`, Env null): repo-info's "Default
 *    Command", and a `docker inspect` of a nanoserver:1809 container
 *    ("User": "ContainerUser", "Env": null).
 *  - IIS: microsoft/iis-docker `windowsservercore-ltsc20xx/Dockerfile`
 *    (FROM servercore, `Add-WindowsFeature Web-Server`, ServiceMonitor.exe
 *    v2.0.1.10 downloaded to C:\, EXPOSE 80, ENTRYPOINT
 *    ["C:\\ServiceMonitor.exe", "w3svc"]) and its README: `latest` is listed
 *    with every `windowsservercore-ltsc*` tag, i.e. a manifest list the
 *    daemon resolves by host build — not an alias of ltsc2025.
 *  - The environment a process sees: the Docker run reference's
 *    `docker run --rm -e "foo=bar" microsoft/nanoserver cmd /s /c set`
 *    output (USERDOMAIN=User Manager, USERNAME=ContainerAdministrator,
 *    PATHEXT, PROMPT, …); Server Core's Path with `System32\OpenSSH\` from
 *    Dockerfiles that restate a servercore:ltsc2019 container's PATH; Nano
 *    Server's Path from a Dockerfile restating `nanoserver:1803 cmd /C set`.
 *  - ProductName: microsoft/Windows-Containers#468 — Server Core reports
 *    "Windows Server 2022 Datacenter", Nano Server images still report
 *    "Windows Server 2016 Datacenter" (a bug Microsoft said would be fixed
 *    with Windows Server 2025).
 *
 * Decided where no source was found (each is marked DECIDED at its place):
 * EditionID and CompositionEditionID values, DisplayVersion/ReleaseId per
 * build, the IIS images' creation times and sizes, the RTM dates used for
 * files the monthly updates do not touch, PSModulePath on Server Core.
 *
 * Sizes: the compressed figures below are what MCR serves (notes only). A
 * synthesized image's size is what its layers really hold in winsilo.
 */
import { LTSC2019, LTSC2022, LTSC2025, parseOsVersion, type OsVersion } from '../../hcs/versions.js';

export type BaseFlavor = 'servercore' | 'nanoserver';
export type ImageVariant = 'base' | 'iis';

/** The Windows release facts an image's registry and files carry, per build. */
export interface ReleaseFacts {
  readonly build: number;
  /** The tag naming the release on MCR. */
  readonly ltscTag: 'ltsc2019' | 'ltsc2022' | 'ltsc2025';
  /** HKLM\…\CurrentVersion BuildLabEx of the release's RTM build (10.0.<build>.1). */
  readonly buildLabEx: string;
  /** BuildLab: build.branch.date. */
  readonly buildLab: string;
  readonly buildBranch: string;
  /** DisplayVersion (from 20H2 on); 1809 predates it and has only ReleaseId. */
  readonly displayVersion?: string;
  readonly releaseId: string;
  /** ProductName a Server Core container reports. */
  readonly productNameServerCore: string;
  /** ProductName a Nano Server container reports (Windows-Containers#468). */
  readonly productNameNano: string;
  /**
   * When the release's RTM files were built: the time files no monthly
   * update rewrote carry (License.txt in a 1809 container is dated
   * 09/15/2018 09:42 AM in a recorded `dir C:\`).
   */
  readonly rtmTime: string;
}

export const RELEASES: Readonly<Record<number, ReleaseFacts>> = {
  [LTSC2019]: {
    build: LTSC2019,
    ltscTag: 'ltsc2019',
    buildLabEx: '17763.1.amd64fre.rs5_release.180914-1434',
    buildLab: '17763.rs5_release.180914-1434',
    buildBranch: 'rs5_release',
    releaseId: '1809',
    productNameServerCore: 'Windows Server 2019 Datacenter',
    productNameNano: 'Windows Server 2016 Datacenter',
    rtmTime: '2018-09-15T09:42:00Z',
  },
  [LTSC2022]: {
    build: LTSC2022,
    ltscTag: 'ltsc2022',
    // The kernel version `docker info` shows on a 2022 host (windows-facts §6).
    buildLabEx: '20348.1.amd64fre.fe_release.210507-1500',
    buildLab: '20348.fe_release.210507-1500',
    buildBranch: 'fe_release',
    // DECIDED: 21H2 / 2009, as Windows Server 2022 hosts report them.
    displayVersion: '21H2',
    releaseId: '2009',
    productNameServerCore: 'Windows Server 2022 Datacenter',
    productNameNano: 'Windows Server 2016 Datacenter',
    // DECIDED: the day after the RTM build's lab date.
    rtmTime: '2021-05-08T08:00:00Z',
  },
  [LTSC2025]: {
    build: LTSC2025,
    ltscTag: 'ltsc2025',
    buildLabEx: '26100.1.amd64fre.ge_release.240331-1435',
    buildLab: '26100.ge_release.240331-1435',
    buildBranch: 'ge_release',
    // DECIDED: 24H2 / 2009, as Windows Server 2025 hosts report them.
    displayVersion: '24H2',
    releaseId: '2009',
    productNameServerCore: 'Windows Server 2025 Datacenter',
    // DECIDED: Microsoft said (Windows-Containers#468) the Nano Server name would be fixed in 2025.
    productNameNano: 'Windows Server 2025 Datacenter',
    rtmTime: '2024-04-01T08:00:00Z',
  },
};

/** One layer of an image, as `docker history` and the manifest describe it. */
export interface LayerFacts {
  /** The history line (`docker history --no-trunc`'s CREATED BY). */
  readonly createdBy: string;
  /** ISO 8601 time of the history entry. */
  readonly created: string;
  /**
   * Microsoft's base layers are foreign layers
   * (application/vnd.docker.image.rootfs.foreign.diff.tar.gzip, windows-facts §4);
   * layers built on top are ordinary ones.
   */
  readonly foreign: boolean;
  /** False for metadata-only steps (EXPOSE, ENTRYPOINT): history entries with no layer. */
  readonly hasLayer: boolean;
  /** Compressed size MCR reports, in bytes; undefined where not found. Notes only. */
  readonly mcrCompressedSize?: number;
}

/** The image config fields Windows base images set (the rest are Docker's defaults). */
export interface ImageConfigFacts {
  /** '' runs as the image's default user (ContainerAdministrator). */
  readonly User: string;
  /** null in Microsoft's base images: the environment comes from the registry. */
  readonly Env: readonly string[] | null;
  readonly Cmd: readonly string[] | null;
  readonly Entrypoint: readonly string[] | null;
  readonly ExposedPorts: Readonly<Record<string, Record<string, never>>> | null;
  readonly WorkingDir: string;
}

/** One image (one platform). */
export interface BaseImageSpec {
  /** The repository, e.g. `mcr.microsoft.com/windows/servercore`. */
  readonly repository: string;
  /** Its tags on that repository, the canonical one first. */
  readonly tags: readonly string[];
  readonly flavor: BaseFlavor;
  readonly variant: ImageVariant;
  readonly release: ReleaseFacts;
  /** `os.version` of the config, e.g. `10.0.20348.5499`. */
  readonly osVersion: string;
  readonly os: 'windows';
  readonly architecture: 'amd64';
  /** When the image was created (its last history entry). */
  readonly created: string;
  readonly config: ImageConfigFacts;
  /** Oldest first. */
  readonly history: readonly LayerFacts[];
  /** The user a process runs as when the config names none. */
  readonly defaultUser: 'ContainerAdministrator' | 'ContainerUser';
}

/** A tag that names several platforms (a manifest list), resolved by the host's build. */
export interface ManifestListSpec {
  readonly repository: string;
  readonly tag: string;
  /** In manifest-list order. */
  readonly platforms: readonly BaseImageSpec[];
}

const SERVERCORE = 'mcr.microsoft.com/windows/servercore';
const NANOSERVER = 'mcr.microsoft.com/windows/nanoserver';
const IIS = 'mcr.microsoft.com/windows/servercore/iis';

const CMD = ['c:\\windows\\system32\\cmd.exe'] as const;

function baseConfig(flavor: BaseFlavor): ImageConfigFacts {
  return { User: flavor === 'nanoserver' ? 'ContainerUser' : '', Env: null, Cmd: CMD, Entrypoint: null, ExposedPorts: null, WorkingDir: '' };
}

function foreign(createdBy: string, created: string, size: number): LayerFacts {
  return { createdBy, created, foreign: true, hasLayer: true, mcrCompressedSize: size };
}

function servercore(build: number, ubr: number, tags: string[], history: LayerFacts[]): BaseImageSpec {
  const release = RELEASES[build]!;
  const osVersion = `10.0.${build}.${ubr}`;
  return {
    repository: SERVERCORE,
    tags: [...tags, osVersion],
    flavor: 'servercore',
    variant: 'base',
    release,
    osVersion,
    os: 'windows',
    architecture: 'amd64',
    created: history[history.length - 1]!.created,
    config: baseConfig('servercore'),
    history,
    defaultUser: 'ContainerAdministrator',
  };
}

function nanoserver(build: number, ubr: number, tags: string[], created: string, size: number): BaseImageSpec {
  const release = RELEASES[build]!;
  const osVersion = `10.0.${build}.${ubr}`;
  return {
    repository: NANOSERVER,
    tags: [...tags, osVersion],
    flavor: 'nanoserver',
    variant: 'base',
    release,
    osVersion,
    os: 'windows',
    architecture: 'amd64',
    created,
    // Nano Server images are one foreign layer ("Apply image"), no update layer.
    history: [foreign(`Apply image ${osVersion}`, created, size)],
    config: baseConfig('nanoserver'),
    defaultUser: 'ContainerUser',
  };
}

/** IIS on Server Core, as microsoft/iis-docker's Dockerfile builds it (classic builder history lines). */
function iis(base: BaseImageSpec, created: string): BaseImageSpec {
  const run =
    'cmd /S /C powershell -Command     Add-WindowsFeature Web-Server;     Invoke-WebRequest -UseBasicParsing -Uri "https://github.com/microsoft/IIS.ServiceMonitor/releases/download/v2.0.1.10/ServiceMonitor.exe" -OutFile "C:\\ServiceMonitor.exe"';
  return {
    ...base,
    repository: IIS,
    tags: [`windowsservercore-${base.release.ltscTag}`],
    variant: 'iis',
    created,
    history: [
      ...base.history,
      { createdBy: run, created, foreign: false, hasLayer: true },
      { createdBy: 'cmd /S /C #(nop)  EXPOSE 80', created, foreign: false, hasLayer: false },
      { createdBy: 'cmd /S /C #(nop)  ENTRYPOINT ["C:\\\\ServiceMonitor.exe" "w3svc"]', created, foreign: false, hasLayer: false },
    ],
    // Setting ENTRYPOINT in a Dockerfile resets the CMD inherited from the base image.
    config: { ...base.config, Cmd: null, Entrypoint: ['C:\\ServiceMonitor.exe', 'w3svc'], ExposedPorts: { '80/tcp': {} } },
  };
}

// Server Core: a base layer refreshed now and then, plus the month's update layer.
const SERVERCORE_LTSC2019 = servercore(LTSC2019, 6659, ['ltsc2019', '1809'], [
  foreign('Apply image 10.0.17763.6293', '2024-09-06T01:15:31Z', 1720268357),
  foreign('Install update 10.0.17763.6659', '2024-12-05T05:10:22Z', 293901821),
]);
const SERVERCORE_LTSC2022 = servercore(LTSC2022, 5499, ['ltsc2022'], [
  foreign('Apply image 10.0.20348.4294', '2025-10-09T07:51:18Z', 1489019076),
  foreign('Install update 10.0.20348.5499', '2026-08-09T04:19:26Z', 694978322),
]);
const SERVERCORE_LTSC2025 = servercore(LTSC2025, 33296, ['ltsc2025'], [
  foreign('Apply image 10.0.26100.32230', '2026-01-11T09:57:36Z', 1523059351),
  foreign('Install update 10.0.26100.33296', '2026-08-09T09:10:21Z', 917726084),
]);

const NANOSERVER_LTSC2019 = nanoserver(LTSC2019, 6659, ['ltsc2019', '1809'], '2024-12-05T04:54:21Z', 155231618);
const NANOSERVER_LTSC2022 = nanoserver(LTSC2022, 5386, ['ltsc2022'], '2026-07-11T16:21:41Z', 124103131);
const NANOSERVER_LTSC2025 = nanoserver(LTSC2025, 33158, ['ltsc2025'], '2026-07-11T22:36:05Z', 197219393);

// DECIDED: the IIS images are dated two days after their Server Core base's update layer.
const IIS_LTSC2019 = iis(SERVERCORE_LTSC2019, '2024-12-07T10:00:00Z');
const IIS_LTSC2022 = iis(SERVERCORE_LTSC2022, '2026-08-11T10:00:00Z');
const IIS_LTSC2025 = iis(SERVERCORE_LTSC2025, '2026-08-11T11:00:00Z');

/** Every single-platform image in the catalogue. */
export const BASE_IMAGES: readonly BaseImageSpec[] = [
  SERVERCORE_LTSC2019,
  SERVERCORE_LTSC2022,
  SERVERCORE_LTSC2025,
  NANOSERVER_LTSC2019,
  NANOSERVER_LTSC2022,
  NANOSERVER_LTSC2025,
  IIS_LTSC2019,
  IIS_LTSC2022,
  IIS_LTSC2025,
];

/**
 * Tags that are manifest lists over several Windows builds. The IIS repo's
 * `latest` covers every LTSC (its README lists `latest` under each); the
 * 2016 entry is absent because the catalogue has no 2016 images.
 * Server Core and Nano Server have no `latest` (retired April 2019 —
 * version-compatibility.md, "Choose which container OS version to use").
 */
export const MANIFEST_LISTS: readonly ManifestListSpec[] = [
  { repository: IIS, tag: 'latest', platforms: [IIS_LTSC2025, IIS_LTSC2022, IIS_LTSC2019] },
];

/** A reference split as Docker splits it: repository and tag (default `latest`). */
export function splitReference(reference: string): { repository: string; tag: string } {
  const at = reference.indexOf('@');
  const ref = at >= 0 ? reference.slice(0, at) : reference;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { repository: ref, tag: 'latest' };
}

/**
 * The platforms a reference (`name:tag`, tag `latest` when omitted) names:
 * one image, the entries of a manifest list, or none. Repository names
 * compare case-sensitively as registries do; tags too.
 */
export function platformsFor(reference: string): readonly BaseImageSpec[] {
  const { repository, tag } = splitReference(reference);
  const list = MANIFEST_LISTS.find((m) => m.repository === repository && m.tag === tag);
  if (list) return list.platforms;
  const one = BASE_IMAGES.find((i) => i.repository === repository && i.tags.includes(tag));
  return one ? [one] : [];
}

/**
 * The image a reference resolves to on a host of build `hostBuild`, as the
 * daemon picks from a manifest list (moby `filterManifests`): entries newer
 * than the host are skipped, an entry of the host's own build is preferred,
 * otherwise the first remaining in list order. Without `hostBuild`, the
 * first entry. Undefined when the reference names nothing or no entry fits.
 */
export function lookupBaseImage(reference: string, hostBuild?: number): BaseImageSpec | undefined {
  const platforms = platformsFor(reference);
  if (hostBuild === undefined) return platforms[0];
  const fitting = platforms.filter((p) => p.release.build <= hostBuild);
  return fitting.find((p) => p.release.build === hostBuild) ?? fitting[0];
}

/** The canonical `repository:tag` of an image. */
export function imageReference(image: BaseImageSpec): string {
  return `${image.repository}:${image.tags[0]}`;
}

/** The image's version as numbers. */
export function imageOsVersion(image: BaseImageSpec): OsVersion {
  return parseOsVersion(image.osVersion)!;
}

/** The update build revision (the fourth part of the OS version). */
export function imageUbr(image: BaseImageSpec): number {
  return imageOsVersion(image).revision;
}

/** Milliseconds since 1970 of an ISO time in the catalogue. */
export function catalogTime(iso: string): number {
  return Date.parse(iso);
}

// ---------------------------------------------------------------------------
// Version keys: HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion
// ---------------------------------------------------------------------------

/** The values `reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"` lists that tell the version. */
export interface VersionKeys {
  readonly ProductName: string;
  readonly EditionID: string;
  readonly CompositionEditionID: string;
  readonly InstallationType: 'Server Core' | 'Nano Server';
  readonly CurrentBuild: string;
  readonly CurrentBuildNumber: string;
  /** REG_DWORD. */
  readonly UBR: number;
  /** REG_DWORD 10. */
  readonly CurrentMajorVersionNumber: number;
  /** REG_DWORD 0. */
  readonly CurrentMinorVersionNumber: number;
  /** "6.3": frozen since Windows 8.1 for programs that read it. */
  readonly CurrentVersion: string;
  readonly CurrentType: string;
  readonly DisplayVersion?: string;
  readonly ReleaseId: string;
  readonly BuildLab: string;
  readonly BuildLabEx: string;
  readonly BuildBranch: string;
  readonly SystemRoot: string;
  readonly PathName: string;
  readonly SoftwareType: string;
  /** REG_DWORD seconds since 1970: when the image's OS was installed (its first layer). */
  readonly InstallDate: number;
}

export function versionKeys(image: BaseImageSpec): VersionKeys {
  const r = image.release;
  const nano = image.flavor === 'nanoserver';
  const build = String(r.build);
  return {
    ProductName: nano ? r.productNameNano : r.productNameServerCore,
    // DECIDED: ServerDatacenter for Server Core, ServerDatacenterNano (PRODUCT_DATACENTER_NANO_SERVER's
    // edition name) for Nano Server; no recorded container output was found for either.
    EditionID: nano ? 'ServerDatacenterNano' : 'ServerDatacenter',
    CompositionEditionID: nano ? 'ServerDatacenterNano' : 'ServerDatacenter',
    InstallationType: nano ? 'Nano Server' : 'Server Core',
    CurrentBuild: build,
    CurrentBuildNumber: build,
    UBR: imageUbr(image),
    CurrentMajorVersionNumber: 10,
    CurrentMinorVersionNumber: 0,
    CurrentVersion: '6.3',
    CurrentType: 'Multiprocessor Free',
    ...(r.displayVersion !== undefined ? { DisplayVersion: r.displayVersion } : {}),
    ReleaseId: r.releaseId,
    BuildLab: r.buildLab,
    BuildLabEx: r.buildLabEx,
    BuildBranch: r.buildBranch,
    SystemRoot: 'C:\\Windows',
    PathName: 'C:\\Windows',
    SoftwareType: 'System',
    InstallDate: Math.floor(catalogTime(image.history[0]!.created) / 1000),
  };
}

/** What `ver` prints: `Microsoft Windows [Version 10.0.20348.5499]`. */
export function verString(image: BaseImageSpec): string {
  return `Microsoft Windows [Version ${image.osVersion}]`;
}

// ---------------------------------------------------------------------------
// The environment
// ---------------------------------------------------------------------------

/** The processor facts the environment reports (from the host; the caller decides). */
export interface ProcessorInfo {
  /** NUMBER_OF_PROCESSORS: the container's CPU count. */
  readonly count: number;
  /** PROCESSOR_IDENTIFIER, e.g. `Intel64 Family 6 Model 85 Stepping 7, GenuineIntel`. */
  readonly identifier: string;
  readonly level: number;
  /** PROCESSOR_REVISION as four hex digits, e.g. `5507`. */
  readonly revision: string;
}

/** A plausible server CPU (Cascade Lake), for when the caller has none. */
export const DEFAULT_PROCESSOR: ProcessorInfo = {
  count: 2,
  identifier: 'Intel64 Family 6 Model 85 Stepping 7, GenuineIntel',
  level: 6,
  revision: '5507',
};

/**
 * HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment as
 * stored (REG_EXPAND_SZ values unexpanded): the system part of every
 * process's environment. `expand` says which are REG_EXPAND_SZ.
 */
export interface SystemEnvironmentValue {
  readonly name: string;
  readonly value: string;
  readonly expand: boolean;
}

export function systemEnvironment(image: BaseImageSpec, cpu: ProcessorInfo = DEFAULT_PROCESSOR): SystemEnvironmentValue[] {
  const core = image.flavor === 'servercore';
  const path = core
    ? '%SystemRoot%\\system32;%SystemRoot%;%SystemRoot%\\System32\\Wbem;%SYSTEMROOT%\\System32\\WindowsPowerShell\\v1.0\\;%SYSTEMROOT%\\System32\\OpenSSH\\'
    : '%SystemRoot%\\system32;%SystemRoot%';
  const env: SystemEnvironmentValue[] = [
    { name: 'ComSpec', value: '%SystemRoot%\\system32\\cmd.exe', expand: true },
    { name: 'OS', value: 'Windows_NT', expand: false },
    { name: 'Path', value: path, expand: true },
    { name: 'PATHEXT', value: core ? '.COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC' : '.COM;.EXE;.BAT;.CMD', expand: false },
    { name: 'PROCESSOR_ARCHITECTURE', value: 'AMD64', expand: false },
    // DECIDED: Server Core carries PSModulePath as Windows Server does (the unexpanded
    // %ProgramFiles% is what Windows really shows); Nano Server has no Windows PowerShell.
    ...(core ? [{ name: 'PSModulePath', value: '%ProgramFiles%\\WindowsPowerShell\\Modules;%SystemRoot%\\system32\\WindowsPowerShell\\v1.0\\Modules', expand: true }] : []),
    { name: 'TEMP', value: '%SystemRoot%\\TEMP', expand: true },
    { name: 'TMP', value: '%SystemRoot%\\TEMP', expand: true },
    { name: 'USERNAME', value: 'SYSTEM', expand: false },
    { name: 'windir', value: '%SystemRoot%', expand: true },
    // Written at boot by the session manager from the processor it finds.
    { name: 'NUMBER_OF_PROCESSORS', value: String(cpu.count), expand: false },
    { name: 'PROCESSOR_LEVEL', value: String(cpu.level), expand: false },
    { name: 'PROCESSOR_IDENTIFIER', value: cpu.identifier, expand: false },
    { name: 'PROCESSOR_REVISION', value: cpu.revision, expand: false },
  ];
  return env;
}

/** The user part of Path (HKCU\Environment Path, REG_EXPAND_SZ). */
export const USER_PATH = '%USERPROFILE%\\AppData\\Local\\Microsoft\\WindowsApps';

/**
 * COMPUTERNAME for a container: its host name (Docker's default is the
 * first 12 hex digits of the id) in capitals, cut to the 15 characters a
 * NetBIOS name holds.
 */
export function computerNameFor(containerIdOrHostname: string): string {
  const host = /^[0-9a-f]{64}$/.test(containerIdOrHostname) ? containerIdOrHostname.slice(0, 12) : containerIdOrHostname;
  return host.toUpperCase().slice(0, 15);
}

export interface EnvironmentOptions {
  /** The container's id (64 hex digits) or its host name: COMPUTERNAME comes from it. */
  readonly containerId: string;
  readonly cpu?: ProcessorInfo;
  /** The user the process runs as; the image's default user when omitted. */
  readonly user?: 'ContainerAdministrator' | 'ContainerUser';
}

/**
 * The environment block a process started in the container gets, as
 * `set` lists it: system variables (expanded), the profile variables of
 * the user, the user's TEMP/TMP and Path, sorted case-insensitively as an
 * environment block is.
 */
export function containerEnvironment(image: BaseImageSpec, opts: EnvironmentOptions): { name: string; value: string }[] {
  const user = opts.user ?? image.defaultUser;
  const profile = `C:\\Users\\${user}`;
  const vars = new Map<string, string>();
  const set = (name: string, value: string): void => {
    for (const k of vars.keys()) if (k.toUpperCase() === name.toUpperCase()) vars.delete(k);
    vars.set(name, value);
  };
  // Profile and volatile variables first, so that expansion below sees them.
  set('ALLUSERSPROFILE', 'C:\\ProgramData');
  set('APPDATA', `${profile}\\AppData\\Roaming`);
  set('CommonProgramFiles', 'C:\\Program Files\\Common Files');
  set('CommonProgramFiles(x86)', 'C:\\Program Files (x86)\\Common Files');
  set('CommonProgramW6432', 'C:\\Program Files\\Common Files');
  set('COMPUTERNAME', computerNameFor(opts.containerId));
  set('LOCALAPPDATA', `${profile}\\AppData\\Local`);
  set('ProgramData', 'C:\\ProgramData');
  set('ProgramFiles', 'C:\\Program Files');
  set('ProgramFiles(x86)', 'C:\\Program Files (x86)');
  set('ProgramW6432', 'C:\\Program Files');
  set('PROMPT', '$P$G');
  set('PUBLIC', 'C:\\Users\\Public');
  set('SystemDrive', 'C:');
  set('SystemRoot', 'C:\\Windows');
  set('USERDOMAIN', 'User Manager');
  set('USERPROFILE', profile);
  for (const v of systemEnvironment(image, opts.cpu)) {
    if (v.name === 'USERNAME') continue; // the user's name replaces SYSTEM
    set(v.name, v.expand ? expandWith(v.value, vars, true) : v.value);
  }
  set('USERNAME', user);
  // HKCU\Environment: TEMP/TMP in the profile; Path appended to the system Path.
  set('TEMP', `${profile}\\AppData\\Local\\Temp`);
  set('TMP', `${profile}\\AppData\\Local\\Temp`);
  set('Path', `${vars.get('Path')};${expandWith(USER_PATH, vars, false)}`);
  return [...vars.entries()]
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => compareUpcase(a.name, b.name));
}

/**
 * ExpandEnvironmentStrings over `vars` (names case-insensitive); unknown
 * names stay as written. `keepProgramFiles` leaves `%ProgramFiles%`
 * unexpanded in system values: Windows expands the system environment
 * before ProgramFiles is defined, which is why PSModulePath shows it raw.
 */
function expandWith(value: string, vars: ReadonlyMap<string, string>, keepProgramFiles: boolean): string {
  return value.replace(/%([^%]+)%/g, (whole, name: string) => {
    if (keepProgramFiles && name.toUpperCase() === 'PROGRAMFILES') return whole;
    for (const [k, v] of vars) if (k.toUpperCase() === name.toUpperCase()) return v;
    return whole;
  });
}

function compareUpcase(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
