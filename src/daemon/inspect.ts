/**
 * The JSON the Engine API answers with for containers and images: inspect
 * (`GET /containers/{id}/json`), the list rows (`GET /containers/json`),
 * image summaries and inspect (docker-engine-api.md §3.2, §3.16).
 */
import type { Container, Host } from '../host/host.js';
import type { Image, ImageConfig } from '../images/types.js';
import { mergeCommitConfig } from '../images/commit.js';
import { ImageStore } from '../images/store.js';
import { humanDuration } from '../cli/goformat.js';
import type { ContainerRuntime } from './runtime.js';
import type { ContainerConfigView } from './create.js';
import { mergedHealthcheck, type HealthConfig } from './health.js';
import type { NetworkAttachment } from '../host/types.js';
import { apiMacOf } from '../net/ipam.js';
import { volumeMountpoint } from '../host/volumes.js';
import type { Endpoint } from '../net/index.js';

/** Go's zero time, as moby shows a time never set. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** A time as Go's encoding/json writes a time.Time (RFC 3339 with nanoseconds, trailing zeros dropped). */
export function goTime(ms: number): string {
  if (ms === 0) return GO_ZERO_TIME;
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d+)Z$/, (_, f: string) => (/^0+$/.test(f) ? 'Z' : `.${f.replace(/0+$/, '')}Z`));
}

/** RFC 3339 with exactly nine fraction digits (log timestamps, §3.8). */
export function nanoTime(ms: number): string {
  const iso = new Date(Math.floor(ms)).toISOString();
  return iso.replace(/\.(\d{3})Z$/, (_, f: string) => `.${f}000000Z`);
}


function stateName(c: Container, rt: ContainerRuntime | undefined): string {
  if (rt?.restarting) return 'restarting';
  return c.status;
}

/** `Up 5 seconds`, `Exited (0) 3 seconds ago`, `Created` (moby container/state.go String). */
export function statusText(c: Container, rt: ContainerRuntime | undefined, now: number): string {
  switch (c.status) {
    case 'running':
      if (rt?.restarting) return `Restarting (${c.exitCode}) ${humanDuration(now - c.finishedAt)} ago`;
      // moby State.String: the health in brackets, `health: starting` spelled out.
      if (rt?.health) return `Up ${humanDuration(now - c.startedAt)} (${rt.health.Status === 'starting' ? 'health: starting' : rt.health.Status})`;
      return `Up ${humanDuration(now - c.startedAt)}`;
    case 'paused':
      return `Up ${humanDuration(now - c.startedAt)} (Paused)`;
    case 'created':
      return 'Created';
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    default:
      if (rt?.restarting) return `Restarting (${c.exitCode}) ${humanDuration(now - c.finishedAt)} ago`;
      if (c.finishedAt === 0) return 'Created';
      return `Exited (${c.exitCode}) ${humanDuration(now - c.finishedAt)} ago`;
  }
}

/** Config with its merged Healthcheck where moby's Config has it (after Cmd), when there is one. */
function withHealthcheck(config: ContainerConfigView, health: HealthConfig | undefined): Record<string, unknown> {
  if (!health) return { ...config };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'Healthcheck') continue;
    out[k] = v;
    if (k === 'Cmd') out['Healthcheck'] = health;
  }
  return out;
}

/** `--network container:X`: moby makes no endpoint and no port map of its own for it (updateContainerNetworkSettings returns early). */
function sharesNetwork(rt: ContainerRuntime): boolean {
  return rt.hostConfig.NetworkMode.startsWith('container:');
}

function ports(rt: ContainerRuntime, running: boolean, c?: Container): { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] {
  const out: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[] = [];
  if (sharesNetwork(rt)) return out;
  const exposed = new Set([...Object.keys(rt.config.ExposedPorts ?? {}), ...Object.keys(c?.imageRecord.config.ExposedPorts ?? {}), ...Object.keys(rt.hostConfig.PortBindings ?? {})]);
  // What is really published (ephemeral host ports resolved) while running; the request otherwise.
  const live = running && c ? c.networkState.ports : [];
  for (const p of live) exposed.add(`${p.containerPort}/${p.protocol}`);
  for (const key of [...exposed].sort()) {
    const [port, proto = 'tcp'] = key.split('/');
    const published = live.filter((p) => p.containerPort === Number(port) && p.protocol === proto);
    if (published.length > 0) {
      for (const b of published) out.push({ IP: b.hostIp, PrivatePort: Number(port), PublicPort: b.hostPort, Type: proto });
    } else out.push({ PrivatePort: Number(port), Type: proto });
  }
  return out;
}

/** Mounts: binds as given, volumes by name with their Windows mount point (moby MountPoint on Windows). */
function mounts(c: Container): Record<string, unknown>[] {
  return (c.options.binds ?? []).map((b) =>
    b.volume
      ? { Type: 'volume', Name: b.volume, Source: volumeMountpoint(b.volume), Destination: b.containerPath, Driver: 'local', Mode: b.readOnly ? 'ro' : '', RW: !b.readOnly, Propagation: '' }
      : { Type: 'bind', Source: b.hostPath, Destination: b.containerPath, Mode: '', RW: !b.readOnly, Propagation: '' },
  );
}

/**
 * NetworkSettings.Networks: one entry per endpoint of a running container,
 * the networks it is to join otherwise. Each shows what its create (or
 * network connect) asked for — aliases, IPAMConfig, and until the first
 * start the requested MAC (the primary one as it was sent); a running endpoint shows the MAC HNS
 * gave, in Go's form (`00:15:5d:…`), and a stop clears it (moby
 * cleanOperationalData).
 */
function networksOf(c: Container, rt: ContainerRuntime): Record<string, Record<string, unknown>> {
  const { stack, controller } = c.networkState;
  const o = c.options;
  const mode = rt.hostConfig.NetworkMode === 'default' ? 'nat' : rt.hostConfig.NetworkMode;
  const primary: NetworkAttachment = { network: mode, ...(o.aliases ? { aliases: o.aliases } : {}), ...(o.ipv4Address ? { ipv4Address: o.ipv4Address } : {}), ...(o.macAddress ? { macAddress: o.macAddress } : {}) };
  const asked = [primary, ...c.extraNetworks];
  const askedOn = (id: string): NetworkAttachment | undefined => asked.find((a) => controller.find(a.network)?.id === id);
  const entry = (networkId: string, ep: Endpoint | undefined, a: NetworkAttachment | undefined) => ({
    IPAMConfig: a?.ipv4Address ? { IPv4Address: a.ipv4Address } : null,
    Links: null,
    Aliases: ep ? (ep.aliases.length > 0 ? [...ep.aliases] : null) : a?.aliases && a.aliases.length > 0 ? [...a.aliases] : null,
    MacAddress: ep ? apiMacOf(ep.mac) : c.startedAt === 0 && a?.macAddress ? (a === primary && rt.config.MacAddress ? rt.config.MacAddress : apiMacOf(a.macAddress)) : '',
    DriverOpts: null,
    GwPriority: 0,
    NetworkID: networkId,
    EndpointID: ep ? ep.id : '',
    Gateway: ep ? ep.network.gateway : '',
    IPAddress: ep ? ep.ipv4 : '',
    IPPrefixLen: ep ? (ep.network.subnet?.prefixLength ?? 0) : 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: c.status === 'running' ? [c.name, c.id.slice(0, 12), ...(ep?.aliases ?? [])] : null,
  });
  const out: Record<string, Record<string, unknown>> = {};
  // X's endpoints are X's: the sharing container shows `"Networks": {}` (moby initializeNetworking).
  if (sharesNetwork(rt)) return out;
  if (stack && (c.status === 'running' || c.status === 'paused')) {
    for (const e of stack.endpoints) out[e.network.name] = entry(e.network.id, e, askedOn(e.network.id));
  }
  const configured = controller.find(mode);
  // A network removed since the container was created (a stopped container keeps no endpoint there) has no id to show.
  if (Object.keys(out).length === 0) out[configured?.name ?? mode] = entry(configured?.id ?? '', undefined, primary);
  for (const x of c.extraNetworks) {
    const n = controller.find(x.network);
    if (n && !out[n.name]) out[n.name] = entry(n.id, undefined, x);
  }
  return out;
}

/** The top-level (deprecated) NetworkSettings fields: the first network's. */
function primaryEndpoint(nets: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const e = Object.values(nets)[0] ?? {};
  return {
    EndpointID: e['EndpointID'] ?? '',
    Gateway: e['Gateway'] ?? '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: e['IPAddress'] ?? '',
    IPPrefixLen: e['IPPrefixLen'] ?? 0,
    IPv6Gateway: '',
    MacAddress: e['MacAddress'] ?? '',
  };
}

/** A `GET /containers/json` row. */
export function containerSummary(c: Container, rt: ContainerRuntime, now: number, sizes?: { rw: number; rootFs: number }): Record<string, unknown> {
  const running = c.status === 'running' || c.status === 'paused';
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: rt.config.Image || c.image,
    ImageID: c.imageRecord.id,
    Command: c.argv.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' '),
    Created: Math.floor(c.createdAt / 1000),
    Ports: ports(rt, running, c),
    ...(sizes ? { SizeRw: sizes.rw, SizeRootFs: sizes.rootFs } : {}),
    Labels: rt.config.Labels ?? {},
    State: stateName(c, rt),
    Status: statusText(c, rt, now),
    HostConfig: { NetworkMode: rt.hostConfig.NetworkMode },
    NetworkSettings: { Networks: networksOf(c, rt) },
    Mounts: mounts(c),
  };
}

/** `GET /containers/{id}/json`. */
export function containerInspect(c: Container, rt: ContainerRuntime, host: Host, pid: number, sizes?: { rw: number; rootFs: number }): Record<string, unknown> {
  const running = c.status === 'running' || c.status === 'paused';
  const image = c.imageRecord;
  const env = [...(image.config.Env ?? []), ...(rt.config.Env ?? [])];
  const portMap: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
  for (const p of ports(rt, running, c)) portMap[`${p.PrivatePort}/${p.Type}`] = p.PublicPort !== undefined ? [{ HostIp: p.IP ?? '0.0.0.0', HostPort: String(p.PublicPort) }] : null;
  return {
    Id: c.id,
    Created: goTime(c.createdAt),
    Path: c.argv[0] ?? '',
    Args: c.argv.slice(1),
    State: {
      Status: stateName(c, rt),
      Running: running,
      Paused: c.status === 'paused',
      Restarting: rt.restarting,
      OOMKilled: false,
      Dead: c.status === 'dead',
      Pid: running ? pid : 0,
      ExitCode: c.exitCode,
      Error: '',
      StartedAt: goTime(c.startedAt),
      FinishedAt: goTime(c.finishedAt),
      ...(rt.health ? { Health: { Status: rt.health.Status, FailingStreak: rt.health.FailingStreak, Log: rt.health.Log.map((l) => ({ ...l })) } } : {}),
    },
    Image: image.id,
    ResolvConfPath: '',
    HostnamePath: '',
    HostsPath: '',
    LogPath: `C:\\ProgramData\\docker\\containers\\${c.id}\\${c.id}-json.log`,
    Name: `/${c.name}`,
    RestartCount: rt.restartCount,
    Driver: 'windowsfilter',
    Platform: 'windows',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: rt.hostConfig,
    GraphDriver: { Data: { dir: `C:\\ProgramData\\docker\\windowsfilter\\${c.id}` }, Name: 'windowsfilter' },
    ...(sizes ? { SizeRw: sizes.rw, SizeRootFs: sizes.rootFs } : {}),
    Mounts: mounts(c),
    Config: {
      ...withHealthcheck(rt.config, mergedHealthcheck(rt.config.Healthcheck, image.config.Healthcheck)),
      // --network container:X takes X's host name at start (moby initializeNetworking).
      Hostname: (running && sharesNetwork(rt) ? c.networkState.stack?.hostName : undefined) || rt.config.Hostname || c.id.slice(0, 12),
      Env: env,
      Cmd: rt.config.Cmd ?? (rt.config.Entrypoint ? null : image.config.Cmd),
      Entrypoint: rt.config.Entrypoint ?? image.config.Entrypoint,
      WorkingDir: rt.config.WorkingDir || image.config.WorkingDir,
      User: rt.config.User || image.config.User,
      Labels: { ...(image.config.Labels ?? {}), ...rt.config.Labels },
    },
    NetworkSettings: {
      Bridge: '',
      SandboxID: '',
      SandboxKey: '',
      Ports: portMap,
      HairpinMode: false,
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      SecondaryIPAddresses: null,
      SecondaryIPv6Addresses: null,
      ...primaryEndpoint(networksOf(c, rt)),
      Networks: networksOf(c, rt),
    },
  };
}

/** `GET /images/json` row. */
/**
 * The container's config as moby keeps it (its create request's over its
 * image's, as inspect shows it), in the image config's shape: what
 * `POST /commit` starts from and merges into (daemon/commit.go).
 * ArgsEscaped, Shell and OnBuild stay the image's while its command is the image's.
 */
export function containerImageConfig(c: Container, rt: ContainerRuntime): ImageConfig {
  const image = c.imageRecord.config;
  const ownCommand = rt.config.Cmd !== null || rt.config.Entrypoint !== null;
  const out: ImageConfig = {
    ...image,
    Cmd: rt.config.Cmd ?? (rt.config.Entrypoint ? null : image.Cmd),
    Entrypoint: rt.config.Entrypoint ?? image.Entrypoint,
    // moby's create-time merge: the request's variables, then the image's it does not name (case-insensitively on Windows).
    Env: mergeCommitConfig({ ...image, Env: rt.config.Env }, image).Env,
    User: rt.config.User || image.User,
    WorkingDir: rt.config.WorkingDir || image.WorkingDir,
    ExposedPorts: rt.config.ExposedPorts && Object.keys(rt.config.ExposedPorts).length > 0 ? { ...(image.ExposedPorts ?? {}), ...rt.config.ExposedPorts } : image.ExposedPorts,
    Labels: { ...(image.Labels ?? {}), ...rt.config.Labels },
  };
  if (rt.config.StopSignal) out.StopSignal = rt.config.StopSignal;
  if (ownCommand) delete out.ArgsEscaped;
  return out;
}

export function imageSummary(i: Image, containers: number): Record<string, unknown> {
  return {
    Containers: containers,
    Created: Math.floor(Date.parse(i.created) / 1000),
    Id: i.id,
    Labels: i.config.Labels,
    ParentId: i.parent ?? '',
    Descriptor: undefined,
    RepoDigests: [...(i.repoDigests ?? [])],
    RepoTags: [...i.repoTags],
    SharedSize: -1,
    Size: ImageStore.size(i),
  };
}

/** What inspect and history read of an image's config document (the blob its id names), when the host holds it. */
export interface ConfigHistory {
  author?: string;
  comment?: string;
  history?: { comment?: string; author?: string; empty_layer?: boolean }[];
}

/** The config document of `i` from the host's blobs (commit, load and pull keep it; synthesized bases have none). */
export function configHistory(blob: Uint8Array | undefined): ConfigHistory | undefined {
  if (!blob) return undefined;
  try {
    const doc = JSON.parse(Buffer.from(blob).toString('utf8')) as ConfigHistory;
    return typeof doc === 'object' && doc !== null ? doc : undefined;
  } catch {
    return undefined;
  }
}

/** The history entries that made layers, in layer order (moby skips empty_layer ones). */
function layerHistory(doc: ConfigHistory | undefined): { comment?: string }[] {
  return (doc?.history ?? []).filter((h) => !h.empty_layer);
}

/** `GET /images/{name}/json`. Comment and Author as moby's commit writes them (the config's, else its last history entry's). */
export function imageInspect(i: Image, doc?: ConfigHistory): Record<string, unknown> {
  const last = doc?.history?.[doc.history.length - 1];
  return {
    Id: i.id,
    RepoTags: [...i.repoTags],
    RepoDigests: [...(i.repoDigests ?? [])],
    Parent: i.parent ?? '',
    Comment: doc?.comment ?? last?.comment ?? '',
    Created: i.created,
    DockerVersion: '',
    Author: doc?.author ?? '',
    Config: {
      Hostname: '',
      Domainname: '',
      User: i.config.User,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      ...(i.config.ExposedPorts ? { ExposedPorts: i.config.ExposedPorts } : {}),
      Tty: false,
      OpenStdin: false,
      StdinOnce: false,
      Env: i.config.Env,
      Cmd: i.config.Cmd,
      // container.Config's order; Healthcheck, ArgsEscaped, StopSignal and Shell are omitempty (a build sets them).
      ...(i.config.Healthcheck ? { Healthcheck: i.config.Healthcheck } : {}),
      ...(i.config.ArgsEscaped ? { ArgsEscaped: true } : {}),
      Image: '',
      Volumes: i.config.Volumes ?? null,
      WorkingDir: i.config.WorkingDir,
      Entrypoint: i.config.Entrypoint,
      OnBuild: i.config.OnBuild ?? null,
      Labels: i.config.Labels,
      ...(i.config.StopSignal ? { StopSignal: i.config.StopSignal } : {}),
      ...(i.config.Shell ? { Shell: i.config.Shell } : {}),
    },
    Architecture: i.architecture,
    Os: i.os,
    OsVersion: i.osVersion,
    Size: ImageStore.size(i),
    GraphDriver: { Data: { dir: `C:\\ProgramData\\docker\\windowsfilter\\${i.layers[i.layers.length - 1]!.diffId.slice(7)}` }, Name: 'windowsfilter' },
    RootFS: { Type: 'layers', Layers: i.layers.map((l) => l.diffId) },
    Metadata: { LastTagTime: GO_ZERO_TIME },
  };
}

/**
 * `GET /images/{name}/history`: newest first. moby ImageHistory fills the
 * ids by walking the parent chain from the top row down: `ancestry` is
 * that chain (the image, its parent, …; a build's steps each add one
 * layer, so one row each), and rows below its end — the FROM image's own
 * lower layers — stay `<missing>`. Tags are each image's names (null for
 * an ancestor without any, as moby's nil list).
 */
export function imageHistory(i: Image, doc?: ConfigHistory, ancestry: readonly Image[] = [i]): Record<string, unknown>[] {
  const history = layerHistory(doc);
  return i.layers
    .map((l, n) => ({
      Created: Math.floor(Date.parse(l.created) / 1000),
      CreatedBy: l.createdBy,
      Size: l.size,
      Comment: history.length === i.layers.length ? (history[n]?.comment ?? '') : '',
    }))
    .reverse()
    .map((row, k) => {
      const owner = ancestry[k];
      const tags = owner === i ? [...i.repoTags] : owner && owner.repoTags.length > 0 ? [...owner.repoTags] : null;
      return { Id: owner ? owner.id : '<missing>', Created: row.Created, CreatedBy: row.CreatedBy, Tags: owner ? tags : null, Size: row.Size, Comment: row.Comment };
    });
}
