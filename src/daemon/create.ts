/**
 * `POST /containers/create`: the body's Config and HostConfig checked in
 * moby's order and turned into the Host's create options plus the views
 * inspect shows (docker-engine-api.md §3.3, §5.5).
 *
 * Order (moby v28 runconfig decodeCreateRequest, then
 * daemon.containerCreate → verifyContainerSettings →
 * verifyPlatformContainerResources, then the image, the name, the mounts):
 *  1. network mode (`container:` with a hostname, links, DNS, extra hosts,
 *     published or exposed ports, then with Hyper-V isolation), isolation, CPU
 *     real-time period/runtime, privileged, read-only root (runconfig
 *     hostconfig_windows.go);
 *  2. Config present; AutoRemove with a restart policy; the restart policy;
 *  3. Windows resources: CPU precedence warnings, ranges, then every
 *     unsupported setting by name (src/host/resources.ts for the CPU part,
 *     the rest here in moby's order);
 *  4. the image (404, which makes the CLI pull), the name (409), the binds
 *     (moby's Windows mount parser, src/cli/volumes.ts).
 *
 * "Unset" values the CLI always sends are not errors: MemorySwappiness -1,
 * OomKillDisable false, PidsLimit 0 (§3.3).
 */
import { InvalidIsolationError, resolveIsolation, type Isolation } from '../hcs/compat.js';
import type { Host } from '../host/host.js';
import { InvalidResourcesError, verifyWindowsResources } from '../host/resources.js';
import type { BindMount, ContainerCreateOptions } from '../host/types.js';
import { MountError, parseBinds } from '../cli/volumes.js';
import { attachmentOf, endpointsRequest, type EndpointSettingsBody } from './endpoints.js';
import { ApiError, badRequest } from './errors.js';
import { healthcheckError, type HealthConfig } from './health.js';
import { apiAtLeast } from './version.js';
import type { NetworkAttachment } from '../host/types.js';

/** The Config inspect shows (moby container.Config, the fields a Windows container has). */
export interface ContainerConfigView {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: Record<string, Record<string, never>>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[] | null;
  Cmd: string[] | null;
  /** Config.Healthcheck as sent (`--health-*`, `--no-healthcheck`); durations in ns. */
  Healthcheck?: HealthConfig;
  Image: string;
  Volumes: Record<string, unknown> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  /** The requested MAC as sent (moby inspect: the container-wide one, else the primary network's); omitted when none. */
  MacAddress?: string;
  OnBuild: string[] | null;
  Labels: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
}

export interface RestartPolicy {
  Name: string;
  MaximumRetryCount: number;
}

/** HostConfig as inspect shows it: what the client sent over moby's defaults, with `default`s resolved. */
export type HostConfigView = Record<string, unknown> & {
  Binds: string[] | null;
  NetworkMode: string;
  Isolation: Isolation;
  AutoRemove: boolean;
  RestartPolicy: RestartPolicy;
  LogConfig: { Type: string; Config: Record<string, string> };
  ConsoleSize: [number, number];
  PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
};

export interface CreateRequest {
  options: ContainerCreateOptions;
  config: ContainerConfigView;
  hostConfig: HostConfigView;
  /** NetworkingConfig.EndpointsConfig after moby's router (endpoints.ts), checked once the image is known. */
  endpoints: ReadonlyMap<string, EndpointSettingsBody>;
  /** The networks joined beyond NetworkMode (API 1.44 and later: one per further EndpointsConfig entry). */
  extraNetworks: NetworkAttachment[];
  /** The router's warnings (a container-wide MAC on API 1.44 and later), after the daemon's. */
  warnings: string[];
}

/** moby's HostConfig defaults on Windows, as inspect shows a container created with none given. */
function hostConfigDefaults(): Record<string, unknown> {
  return {
    Binds: null,
    ContainerIDFile: '',
    LogConfig: { Type: 'json-file', Config: {} },
    NetworkMode: 'nat',
    PortBindings: {},
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    AutoRemove: false,
    VolumeDriver: '',
    VolumesFrom: null,
    ConsoleSize: [0, 0],
    CapAdd: null,
    CapDrop: null,
    CgroupnsMode: '',
    Dns: [],
    DnsOptions: [],
    DnsSearch: [],
    ExtraHosts: null,
    GroupAdd: null,
    IpcMode: '',
    Cgroup: '',
    Links: null,
    OomScoreAdj: 0,
    PidMode: '',
    Privileged: false,
    PublishAllPorts: false,
    ReadonlyRootfs: false,
    SecurityOpt: null,
    UTSMode: '',
    UsernsMode: '',
    ShmSize: 0,
    Isolation: 'process',
    CpuShares: 0,
    Memory: 0,
    NanoCpus: 0,
    CgroupParent: '',
    BlkioWeight: 0,
    BlkioWeightDevice: [],
    BlkioDeviceReadBps: [],
    BlkioDeviceWriteBps: [],
    BlkioDeviceReadIOps: [],
    BlkioDeviceWriteIOps: [],
    CpuPeriod: 0,
    CpuQuota: 0,
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    CpusetCpus: '',
    CpusetMems: '',
    Devices: [],
    DeviceCgroupRules: null,
    DeviceRequests: null,
    MemoryReservation: 0,
    MemorySwap: 0,
    MemorySwappiness: null,
    OomKillDisable: false,
    PidsLimit: null,
    Ulimits: [],
    CpuCount: 0,
    CpuPercent: 0,
    IOMaximumIOps: 0,
    IOMaximumBandwidth: 0,
    MaskedPaths: null,
    ReadonlyPaths: null,
  };
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const len = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

/** A string list field (`Cmd`, `Entrypoint`): an array, a single string (old clients), or null. */
function strList(v: unknown, field: string): string[] | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw badRequest(`json: cannot unmarshal ${typeof v} into Go struct field Config.${field} of type []string`);
}

function object(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * Checks and translates a create body. `name` is the `?name=` parameter.
 * Throws ApiError (400 with moby's text) for a refused setting; image and
 * name problems are left to the Host (404, 409), binds come after them.
 */
export function parseCreate(body: unknown, name: string | undefined, host: Host, apiVersion: string): { request: CreateRequest; binds: string[] } {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Config cannot be empty in order to create a container');
  const c = body as Record<string, unknown>;
  const hc = object(c['HostConfig']);

  // 1. runconfig (hostconfig_windows.go), in its order.
  const isolationRaw = str(hc['Isolation']);
  const networkMode = str(hc['NetworkMode']);
  const hyperv = (() => {
    try {
      return resolveIsolation(isolationRaw, host.defaultIsolation) === 'hyperv';
    } catch {
      return false;
    }
  })();
  netContainerMode(c, hc, networkMode);
  if (networkMode.startsWith('container:') && isolationRaw.toLowerCase() === 'hyperv') {
    throw badRequest('invalid network-mode: using the network stack of another container is not supported while using Hyper-V Containers');
  }
  let isolation: Isolation;
  try {
    isolation = resolveIsolation(isolationRaw, host.defaultIsolation);
  } catch (e) {
    if (e instanceof InvalidIsolationError) throw badRequest(e.message);
    throw e;
  }
  if (num(hc['CpuRealtimePeriod']) !== 0) throw badRequest('invalid option: CPU real-time period is not supported for Windows containers');
  if (num(hc['CpuRealtimeRuntime']) !== 0) throw badRequest('invalid option: CPU real-time runtime is not supported for Windows containers');
  if (hc['Privileged'] === true) throw badRequest('invalid option: privileged mode is not supported for Windows containers');
  if (hc['ReadonlyRootfs'] === true) throw badRequest('invalid option: read-only mode is not supported for Windows containers');

  // The router's NetworkingConfig handling (default network, API < 1.44 limits, the container-wide MAC).
  const eps = endpointsRequest(c, networkMode, apiVersion);

  // 2. verifyContainerSettings: validateContainerConfig's health check first (API < 1.44 knows no StartInterval).
  const healthcheck = healthcheckOf(c['Healthcheck'], apiVersion);
  const badHealth = healthcheckError(healthcheck);
  if (badHealth !== undefined) throw badRequest(badHealth);
  const rp = object(hc['RestartPolicy']);
  const restart: RestartPolicy = { Name: str(rp['Name']) || 'no', MaximumRetryCount: num(rp['MaximumRetryCount']) };
  const autoRemove = hc['AutoRemove'] === true;
  if (autoRemove && restart.Name !== 'no') throw badRequest("can't create 'AutoRemove' container with restart policy");
  switch (restart.Name) {
    case 'always':
    case 'unless-stopped':
    case 'no':
      if (restart.MaximumRetryCount !== 0) throw badRequest("invalid restart policy: maximum retry count can only be used with 'on-failure'");
      break;
    case 'on-failure':
      if (restart.MaximumRetryCount < 0) throw badRequest('invalid restart policy: maximum retry count cannot be negative');
      break;
    default:
      throw badRequest(`invalid restart policy: unknown policy '${restart.Name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  }

  // 3. verifyPlatformContainerResources: the CPU part and its warnings (resources.ts), then the rest in moby's order.
  const swappiness = hc['MemorySwappiness'];
  try {
    verifyWindowsResources(
      { CpuCount: num(hc['CpuCount']), CpuShares: num(hc['CpuShares']), CpuPercent: num(hc['CpuPercent']), NanoCpus: num(hc['NanoCpus']) },
      hyperv,
      host.cpuCount,
    );
  } catch (e) {
    if (e instanceof InvalidResourcesError) throw badRequest(e.message);
    throw e;
  }
  const unsupported = (field: string): never => {
    throw badRequest(`invalid option: Windows does not support ${field}`);
  };
  if (len(hc['BlkioDeviceReadBps']) > 0) unsupported('BlkioDeviceReadBps');
  if (len(hc['BlkioDeviceReadIOps']) > 0) unsupported('BlkioDeviceReadIOps');
  if (len(hc['BlkioDeviceWriteBps']) > 0) unsupported('BlkioDeviceWriteBps');
  if (len(hc['BlkioDeviceWriteIOps']) > 0) unsupported('BlkioDeviceWriteIOps');
  if (num(hc['BlkioWeight']) > 0) unsupported('BlkioWeight');
  if (len(hc['BlkioWeightDevice']) > 0) unsupported('BlkioWeightDevice');
  if (str(hc['CgroupParent']) !== '') unsupported('CgroupParent');
  if (num(hc['CpuPeriod']) !== 0) unsupported('CPUPeriod');
  if (str(hc['CpusetCpus']) !== '') unsupported('CpusetCpus');
  if (str(hc['CpusetMems']) !== '') unsupported('CpusetMems');
  if (num(hc['KernelMemory']) !== 0) unsupported('KernelMemory');
  if (num(hc['MemoryReservation']) !== 0) unsupported('MemoryReservation');
  if (num(hc['MemorySwap']) !== 0) unsupported('MemorySwap');
  if (swappiness !== undefined && swappiness !== null && swappiness !== -1) unsupported('MemorySwappiness');
  if (hc['OomKillDisable'] === true) unsupported('OomKillDisable');
  if (hc['PidsLimit'] !== undefined && hc['PidsLimit'] !== null && hc['PidsLimit'] !== 0) unsupported('PidsLimit');
  if (len(hc['Ulimits']) > 0) unsupported('Ulimits');

  const image = str(c['Image']);
  const cmd = strList(c['Cmd'], 'Cmd');
  const entrypoint = strList(c['Entrypoint'], 'Entrypoint');
  const env = strList(c['Env'], 'Env');
  const labels = object(c['Labels']) as Record<string, string>;
  const consoleSize = Array.isArray(hc['ConsoleSize']) && hc['ConsoleSize'].length === 2 ? ([num(hc['ConsoleSize'][0]), num(hc['ConsoleSize'][1])] as [number, number]) : ([0, 0] as [number, number]);
  const tty = c['Tty'] === true;
  const binds = strList(hc['Binds'], 'Binds') ?? [];
  for (const m of Array.isArray(hc['Mounts']) ? (hc['Mounts'] as unknown[]) : []) {
    const mo = object(m);
    const type = str(mo['Type']);
    if (type !== 'bind' && type !== 'volume') throw badRequest(`invalid mount config for type "${type}": winsilo supports bind mounts of host directories and volumes only`);
    // A volume mount without a source is an anonymous volume (the parser's destination-only form).
    const source = str(mo['Source']);
    binds.push(`${source ? `${source}:` : ''}${str(mo['Target'])}${mo['ReadOnly'] === true ? ':ro' : ''}`);
  }

  const options: ContainerCreateOptions = {
    image: normalizeImage(image),
    ...(name !== undefined && name !== '' ? { name } : {}),
    ...(cmd !== null && cmd.length > 0 ? { cmd } : {}),
    ...(entrypoint !== null ? { entrypoint } : {}),
    ...(env !== null ? { env } : {}),
    ...(str(c['WorkingDir']) ? { workingDir: str(c['WorkingDir']) } : {}),
    ...(str(c['User']) ? { user: str(c['User']) } : {}),
    ...(str(c['Hostname']) ? { hostname: str(c['Hostname']) } : {}),
    tty,
    openStdin: c['OpenStdin'] === true,
    autoRemove,
    isolation: isolationRaw,
    ...(num(hc['Memory']) ? { memory: num(hc['Memory']) } : {}),
    ...(num(hc['CpuCount']) ? { cpuCount: num(hc['CpuCount']) } : {}),
    ...(num(hc['CpuPercent']) ? { cpuPercent: num(hc['CpuPercent']) } : {}),
    ...(num(hc['CpuShares']) ? { cpuShares: num(hc['CpuShares']) } : {}),
    ...(tty && (consoleSize[0] !== 0 || consoleSize[1] !== 0) ? { consoleSize } : {}),
    ...(hc['StorageOpt'] && typeof hc['StorageOpt'] === 'object' && Object.keys(hc['StorageOpt']).length > 0 ? { storageOpt: hc['StorageOpt'] as Record<string, string> } : {}),
    ...networkOptions(c, hc, eps.networkMode, eps.endpoints),
    ...(c['Volumes'] && typeof c['Volumes'] === 'object' && Object.keys(c['Volumes']).length > 0 ? { volumes: Object.keys(c['Volumes'] as object) } : {}),
  };

  const logConfig = object(hc['LogConfig']);
  const hostConfig = {
    ...hostConfigDefaults(),
    ...hc,
    Binds: binds.length > 0 ? (strList(hc['Binds'], 'Binds') ?? binds) : null,
    // moby resolves `default` to the daemon's network (nat on Windows) and isolation.
    NetworkMode: networkMode === '' || networkMode === 'default' ? 'nat' : networkMode,
    Isolation: isolation,
    AutoRemove: autoRemove,
    RestartPolicy: restart,
    LogConfig: { Type: str(logConfig['Type']) || 'json-file', Config: object(logConfig['Config']) as Record<string, string> },
    ConsoleSize: consoleSize,
    PortBindings: (object(hc['PortBindings']) as HostConfigView['PortBindings']) ?? {},
    MemorySwappiness: null,
    PidsLimit: hc['PidsLimit'] === 0 ? null : (hc['PidsLimit'] ?? null),
  } as HostConfigView;

  const config: ContainerConfigView = {
    Hostname: str(c['Hostname']),
    Domainname: str(c['Domainname']),
    User: str(c['User']),
    AttachStdin: c['AttachStdin'] === true,
    AttachStdout: c['AttachStdout'] === true,
    AttachStderr: c['AttachStderr'] === true,
    ...(c['ExposedPorts'] && typeof c['ExposedPorts'] === 'object' ? { ExposedPorts: c['ExposedPorts'] as Record<string, Record<string, never>> } : {}),
    Tty: tty,
    OpenStdin: c['OpenStdin'] === true,
    StdinOnce: c['StdinOnce'] === true,
    Env: env,
    Cmd: cmd,
    ...(healthcheck ? { Healthcheck: healthcheck } : {}),
    Image: image,
    Volumes: (c['Volumes'] as Record<string, unknown> | null | undefined) ?? null,
    WorkingDir: str(c['WorkingDir']),
    Entrypoint: entrypoint,
    ...(macView(c, eps.networkMode, eps.endpoints) ? { MacAddress: macView(c, eps.networkMode, eps.endpoints) } : {}),
    OnBuild: null,
    Labels: labels,
    ...(typeof c['StopSignal'] === 'string' ? { StopSignal: c['StopSignal'] } : {}),
    ...(typeof c['StopTimeout'] === 'number' ? { StopTimeout: c['StopTimeout'] } : {}),
  };
  // moby updateContainerNetworkSettings: a container sharing another's network joins none of its own.
  const shares = eps.networkMode === 'container' || eps.networkMode.startsWith('container:');
  const extraNetworks = shares ? [] : [...eps.endpoints].filter(([key]) => key !== eps.networkMode).map(([key, ep]) => attachmentOf(key, ep));
  return { request: { options, config, hostConfig, endpoints: eps.endpoints, extraNetworks, warnings: eps.warning ? [eps.warning] : [] }, binds };
}

/** Config.Healthcheck as sent: numbers kept as they are, a StartInterval only from API 1.44 on; undefined when absent. */
function healthcheckOf(v: unknown, apiVersion: string): HealthConfig | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const out: HealthConfig = {};
  if (Array.isArray(o['Test'])) out.Test = (o['Test'] as unknown[]).map(String);
  for (const k of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const) {
    if (typeof o[k] === 'number' && Number.isFinite(o[k])) out[k] = o[k] as number;
  }
  if (!apiAtLeast(apiVersion, '1.44')) delete out.StartInterval;
  return out;
}

/** moby inspect's Config.MacAddress: the container-wide one, else the MAC asked for on nat or a user-defined NetworkMode. */
function macView(c: Record<string, unknown>, networkMode: string, endpoints: ReadonlyMap<string, EndpointSettingsBody>): string {
  if (str(c['MacAddress']) !== '') return str(c['MacAddress']);
  if (networkMode === 'none' || networkMode === 'container' || networkMode.startsWith('container:')) return '';
  return str(endpoints.get(networkMode)?.['MacAddress']);
}

/**
 * moby runconfig validateNetContainerMode (daemon/internal/runconfig/
 * hostconfig.go), run first by hostconfig_windows.go validateNetMode:
 * a `container:X` network mode (or the bare word `container`) refuses,
 * in this order, an empty X, a hostname, links, DNS servers, extra hosts,
 * published ports (-p or -P) and exposed ports of the request's Config
 * (the image's EXPOSE is merged later, so it does not count). All 400.
 */
function netContainerMode(c: Record<string, unknown>, hc: Record<string, unknown>, networkMode: string): void {
  if (networkMode !== 'container' && !networkMode.startsWith('container:')) return;
  if (networkMode.slice('container:'.length) === '') throw badRequest('invalid network mode: invalid container format container:<name|id>');
  const nonEmpty = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : v !== null && typeof v === 'object' && Object.keys(v).length > 0);
  if (str(c['Hostname']) !== '') throw badRequest('conflicting options: hostname and the network mode');
  if (nonEmpty(hc['Links'])) throw badRequest("conflicting options: container type network can't be used with links. This would result in undefined behavior");
  if (nonEmpty(hc['Dns'])) throw badRequest('conflicting options: dns and the network mode');
  if (nonEmpty(hc['ExtraHosts'])) throw badRequest('conflicting options: custom host-to-IP mapping and the network mode');
  if (nonEmpty(hc['PortBindings']) || hc['PublishAllPorts'] === true) throw badRequest('conflicting options: port publishing and the container type network mode');
  if (nonEmpty(c['ExposedPorts'])) throw badRequest('conflicting options: port exposing and the container type network mode');
}

/**
 * The network part of a create (src/net): NetworkMode, PortBindings,
 * PublishAllPorts, ExposedPorts, and the primary network's aliases, IPv4
 * address and MAC from NetworkingConfig.EndpointsConfig.
 */
function networkOptions(c: Record<string, unknown>, hc: Record<string, unknown>, network: string, endpoints: ReadonlyMap<string, EndpointSettingsBody>): Partial<ContainerCreateOptions> {
  const { aliases = [], ipv4Address: ip, macAddress } = attachmentOf(network, endpoints.get(network) ?? {});
  const exposed = c['ExposedPorts'] && typeof c['ExposedPorts'] === 'object' ? Object.keys(c['ExposedPorts'] as object) : [];
  const bindings = object(hc['PortBindings']) as ContainerCreateOptions['portBindings'];
  return {
    network,
    ...(bindings && Object.keys(bindings).length > 0 ? { portBindings: bindings } : {}),
    ...(hc['PublishAllPorts'] === true ? { publishAllPorts: true } : {}),
    ...(exposed.length > 0 ? { exposedPorts: exposed } : {}),
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(ip ? { ipv4Address: ip } : {}),
    ...(macAddress && network !== 'container' && !network.startsWith('container:') ? { macAddress } : {}),
    ...(strings(hc['Dns']).length > 0 ? { dns: strings(hc['Dns']) } : {}),
    ...(strings(hc['DnsSearch']).length > 0 ? { dnsSearch: strings(hc['DnsSearch']) } : {}),
  };
}

/** The strings of a JSON array (anything else: none). */
function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** moby's Windows mount parser on the binds (after the image and name checks); MountError → 400. */
export function parseBindsOrThrow(binds: readonly string[]): BindMount[] {
  try {
    return parseBinds(binds);
  } catch (e) {
    if (e instanceof MountError) throw new ApiError(400, e.message);
    throw e;
  }
}

/**
 * The reference as the store knows it: the CLI sends references
 * normalized (`docker.io/library/hello-world`) after an auto-pull, and as
 * typed otherwise (§1.5); `docker.io/library/` and `docker.io/` are
 * stripped, as docker's familiar form does.
 */
export function normalizeImage(ref: string): string {
  if (ref.startsWith('docker.io/library/')) return ref.slice('docker.io/library/'.length);
  if (ref.startsWith('docker.io/')) return ref.slice('docker.io/'.length);
  if (ref.startsWith('index.docker.io/library/')) return ref.slice('index.docker.io/library/'.length);
  return ref;
}

/** The log drivers a Windows engine has (`docker info` Plugins.Log), and `none`. */
const LOG_DRIVERS = ['awslogs', 'etwlogs', 'fluentd', 'gcplogs', 'gelf', 'json-file', 'local', 'none', 'splunk', 'syslog'];
/** The options json-file and local take (their ValidateLogOpt), beside the built-in mode and max-buffer-size. */
const LOG_OPT_KEYS: Record<string, readonly string[]> = {
  'json-file': ['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag'],
  local: ['max-file', 'max-size', 'compress'],
};

/**
 * moby mergeAndVerifyLogConfig (daemon/create.go, after the endpoint
 * settings and before the name): an unset type is the daemon's json-file;
 * logger.ValidateLogOpts checks the mode, max-buffer-size (non-blocking
 * only), that the driver is registered, then the driver's own keys.
 * DECIDED: the other drivers' option checks (awslogs, gelf, …) are not
 * modelled: their options are taken as given.
 */
export function validateLogConfig(hostConfig: HostConfigView): void {
  const type = hostConfig.LogConfig.Type || 'json-file';
  const cfg = hostConfig.LogConfig.Config ?? {};
  if (type === 'none') return;
  const mode = cfg['mode'] ?? '';
  if (mode !== '' && mode !== 'blocking' && mode !== 'non-blocking') throw badRequest(`logger: logging mode not supported: ${mode}`);
  if ('max-buffer-size' in cfg && mode !== 'non-blocking') throw badRequest("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
  if (!LOG_DRIVERS.includes(type)) throw badRequest(`logger: no log driver named '${type}' is registered`);
  const keys = LOG_OPT_KEYS[type];
  if (!keys) return;
  for (const k of Object.keys(cfg)) {
    if (k === 'mode' || k === 'max-buffer-size' || keys.includes(k)) continue;
    throw badRequest(type === 'json-file' ? `unknown log opt '${k}' for json-file log driver` : `unknown log opt '${k}' for log driver ${type}`);
  }
}
