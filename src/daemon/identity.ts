/**
 * What the daemon says about the machine (`GET /version`, `GET /info`,
 * docker-engine-api.md §3.1, §5.1; windows-facts §6): a Windows Server
 * (or client) host of the Host's build and update revision, the
 * windowsfilter storage driver, the default isolation of its SKU.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Host } from '../host/host.js';
import { RELEASES } from '../images/base/catalog.js';
import { ENGINE_BUILD_TIME, ENGINE_GIT_COMMIT, ENGINE_GO_VERSION, ENGINE_VERSION, API_VERSION, MIN_API_VERSION } from './version.js';

/** `10.0 20348 (20348.1.amd64fre.fe_release.210507-1500)`: major.minor, build, BuildLabEx. */
export function kernelVersion(host: Host): string {
  const v = host.hostVersion;
  // DECIDED: builds the catalogue has no release facts for get a lab string of the build alone.
  const lab = RELEASES[v.build]?.buildLabEx ?? `${v.build}.1.amd64fre`;
  return `${v.major}.${v.minor} ${v.build} (${lab})`;
}

/** `Microsoft Windows Server Version 21H2 (OS Build 20348.2113)` (moby's operatingsystem_windows.go form). */
export function operatingSystem(host: Host): string {
  const v = host.hostVersion;
  const server = host.defaultIsolation === 'process';
  const display = RELEASES[v.build]?.displayVersion;
  return `Microsoft Windows${server ? ' Server' : ''}${display ? ` Version ${display}` : ''} (OS Build ${v.build}${v.revision ? `.${v.revision}` : ''})`;
}

export function versionBody(host: Host): Record<string, unknown> {
  const kernel = kernelVersion(host);
  return {
    Platform: { Name: 'Docker Engine - Community' },
    Components: [
      {
        Name: 'Engine',
        Version: ENGINE_VERSION,
        Details: {
          ApiVersion: API_VERSION,
          Arch: 'amd64',
          BuildTime: ENGINE_BUILD_TIME,
          Experimental: 'false',
          GitCommit: ENGINE_GIT_COMMIT,
          GoVersion: ENGINE_GO_VERSION,
          KernelVersion: kernel,
          MinAPIVersion: MIN_API_VERSION,
          Os: 'windows',
        },
      },
    ],
    Version: ENGINE_VERSION,
    ApiVersion: API_VERSION,
    MinAPIVersion: MIN_API_VERSION,
    GitCommit: ENGINE_GIT_COMMIT,
    GoVersion: ENGINE_GO_VERSION,
    Os: 'windows',
    Arch: 'amd64',
    KernelVersion: kernel,
    BuildTime: ENGINE_BUILD_TIME,
  };
}

export interface InfoCounts {
  containers: number;
  running: number;
  paused: number;
  stopped: number;
  images: number;
  eventListeners: number;
}

/** DECIDED: the engine ID (a UUID dockerd keeps in its root) is derived from the machine name, so it is stable without randomness. */
function engineId(name: string): string {
  const h = createHash('sha256').update(`winsilo-engine:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

export function infoBody(host: Host, counts: InfoCounts, now: number): Record<string, unknown> {
  const v = host.hostVersion;
  // A Windows computer name is upper case (NetBIOS form).
  const name = hostname().split('.')[0]!.toUpperCase().slice(0, 15) || 'WINSILO';
  return {
    ID: engineId(name),
    Containers: counts.containers,
    ContainersRunning: counts.running,
    ContainersPaused: counts.paused,
    ContainersStopped: counts.stopped,
    Images: counts.images,
    Driver: 'windowsfilter',
    DriverStatus: [['Windows', '']],
    Plugins: {
      Volume: ['local'],
      Network: ['ics', 'internal', 'l2bridge', 'l2tunnel', 'nat', 'null', 'overlay', 'private', 'transparent'],
      Authorization: null,
      Log: ['awslogs', 'etwlogs', 'fluentd', 'gcplogs', 'gelf', 'json-file', 'local', 'splunk', 'syslog'],
    },
    MemoryLimit: false,
    SwapLimit: false,
    CpuCfsPeriod: false,
    CpuCfsQuota: false,
    CPUShares: false,
    CPUSet: false,
    PidsLimit: false,
    IPv4Forwarding: true,
    Debug: false,
    NFd: -1,
    OomKillDisable: false,
    NGoroutines: 30,
    SystemTime: new Date(now).toISOString().replace('Z', '0000Z'),
    LoggingDriver: 'json-file',
    CgroupDriver: '',
    NEventsListener: counts.eventListeners,
    KernelVersion: kernelVersion(host),
    OperatingSystem: operatingSystem(host),
    OSVersion: `${v.major}.${v.minor}.${v.build}`,
    OSType: 'windows',
    Architecture: 'x86_64',
    IndexServerAddress: 'https://index.docker.io/v1/',
    RegistryConfig: {
      AllowNondistributableArtifactsCIDRs: null,
      AllowNondistributableArtifactsHostnames: null,
      InsecureRegistryCIDRs: ['::1/128', '127.0.0.0/8'],
      IndexConfigs: { 'docker.io': { Name: 'docker.io', Mirrors: [], Secure: true, Official: true } },
      Mirrors: null,
    },
    NCPU: host.cpuCount,
    MemTotal: host.memoryBytes,
    GenericResources: null,
    DockerRootDir: 'C:\\ProgramData\\docker',
    HttpProxy: '',
    HttpsProxy: '',
    NoProxy: '',
    Name: name,
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: ENGINE_VERSION,
    Runtimes: {},
    DefaultRuntime: '',
    Swarm: { NodeID: '', NodeAddr: '', LocalNodeState: 'inactive', ControlAvailable: false, Error: '', RemoteManagers: null },
    LiveRestoreEnabled: false,
    Isolation: host.defaultIsolation,
    InitBinary: '',
    ContainerdCommit: { ID: '' },
    RuncCommit: { ID: '' },
    InitCommit: { ID: '' },
    SecurityOptions: null,
    CDISpecDirs: [],
    Warnings: null,
  };
}
