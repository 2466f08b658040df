/**
 * Networks, volumes, plugins and swarm (docker-engine-api.md §3.17, §7):
 * networks are the Host's (src/net: nat and none predefined, user-defined
 * ones with the Windows drivers, connect/disconnect, prune), no volumes,
 * plugins refused as on Windows, swarm routes 503.
 */
import { apiAtLeast } from './version.js';
import type { Daemon } from './daemon.js';
import { ApiError, badRequest, notFound, serverError } from './errors.js';
import type { Container } from '../host/host.js';
import { NetworkError, type Network } from '../net/index.js';
import { apiMacOf } from '../net/ipam.js';
import { attachmentOf, endpointSettingsError } from './endpoints.js';
import { boolValue, matchLabels, parseFilters, validateFilters } from './params.js';
import type { Router } from './router.js';

/** A network as GET /networks answers it (moby's NetworkResource, Windows driver fields). */
function networkResource(d: Daemon, n: Network, verbose: boolean): Record<string, unknown> {
  const containers: Record<string, unknown> = {};
  if (verbose) {
    for (const e of n.endpoints.values()) {
      containers[e.containerId] = {
        Name: e.containerName,
        EndpointID: e.id,
        MacAddress: apiMacOf(e.mac),
        IPv4Address: `${e.ipv4}/${n.subnet?.prefixLength ?? 0}`,
        IPv6Address: '',
      };
    }
  }
  const options: Record<string, string> =
    n.driver === 'null' ? { ...n.options } : { 'com.docker.network.windowsshim.hnsid': n.hnsId, ...(n.predefined ? { 'com.docker.network.windowsshim.networkname': n.name } : {}), ...n.options };
  return {
    Name: n.name,
    Id: n.id,
    Created: new Date(n.predefined ? d.startedAt : n.created).toISOString(),
    Scope: 'local',
    Driver: n.driver,
    EnableIPv4: true,
    EnableIPv6: false,
    IPAM: n.subnet
      ? { Driver: 'windows', Options: null, Config: [{ Subnet: n.subnet.cidr, Gateway: n.pool!.gateway }] }
      : { Driver: 'default', Options: null, Config: [] },
    Internal: n.internal,
    Attachable: n.attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: options,
    Labels: n.labels,
  };
}

/** NetworkError → the daemon's error (same status and text). */
function netCall<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof NetworkError) throw new ApiError(e.status, e.message);
    throw e;
  }
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

const SWARM = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';

export function registerObjectRoutes(router: Router, d: Daemon): void {
  const net = () => d.host.network;
  router.add('GET', '/networks', (ex) => {
    const f = parseFilters(ex.query.get('filters'));
    validateFilters(f, ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type']);
    const list = net()
      .list()
      .filter((n) => {
        const has = (k: string, ok: (v: string) => boolean) => !f.has(k) || f.get(k)!.some(ok);
        return (
          has('name', (v) => n.name.includes(v)) &&
          has('id', (v) => n.id.startsWith(v)) &&
          has('driver', (v) => n.driver === v) &&
          has('scope', (v) => v === 'local') &&
          has('type', (v) => (v === 'builtin') === n.predefined) &&
          has('dangling', (v) => (v === 'true' || v === '1') === (n.endpoints.size === 0 && !n.predefined)) &&
          (!f.has('label') || matchLabels(n.labels, f.get('label')!))
        );
      });
    ex.sendJson(200, list.map((n) => networkResource(d, n, false)));
  });
  router.add('GET', '/networks/([^/]+)', (ex, [ref]) => {
    const n = netCall(() => net().get(ref!));
    ex.sendJson(200, networkResource(d, n, true));
  });
  router.add('POST', '/networks/create', async (ex) => {
    const body = ((await ex.json()) ?? {}) as Record<string, unknown>;
    const name = typeof body['Name'] === 'string' ? body['Name'] : '';
    if (name === '') throw badRequest('invalid name: name is empty');
    const driver = body['Driver'] === null || body['Driver'] === undefined || body['Driver'] === '' ? 'nat' : String(body['Driver']);
    if (driver === 'bridge') throw notFound('could not find plugin bridge in v1 plugin registry: plugin not found');
    const ipam = body['IPAM'] && typeof body['IPAM'] === 'object' ? (body['IPAM'] as Record<string, unknown>) : {};
    const config = Array.isArray(ipam['Config']) ? (ipam['Config'] as Record<string, unknown>[]) : [];
    const first = config[0] ?? {};
    const n = netCall(() =>
      net().create({
        name,
        driver,
        ...(typeof first['Subnet'] === 'string' && first['Subnet'] !== '' ? { subnet: first['Subnet'] } : {}),
        ...(typeof first['Gateway'] === 'string' && first['Gateway'] !== '' ? { gateway: first['Gateway'] } : {}),
        options: stringMap(body['Options']),
        labels: stringMap(body['Labels']),
        internal: body['Internal'] === true,
        attachable: body['Attachable'] === true,
      }),
    );
    d.emit('network', 'create', n.id, { name: n.name, type: n.driver });
    ex.sendJson(201, { Id: n.id, Warning: '' });
  });
  router.add('DELETE', '/networks/([^/]+)', (ex, [ref]) => {
    const n = netCall(() => net().get(ref!));
    // Stopped containers configured for it do not hold it (moby counts active endpoints only).
    netCall(() => net().remove(n.id));
    d.emit('network', 'destroy', n.id, { name: n.name, type: n.driver });
    ex.noContent();
  });
  router.add('POST', '/networks/prune', (ex) => {
    const f = parseFilters(ex.query.get('filters'));
    validateFilters(f, ['label', 'label!', 'until']);
    const used = new Set(d.host.containers({ all: true }).flatMap((c) => [(c as Container).options.network ?? 'nat', ...(c as Container).extraNetworks.map((x) => x.network)]));
    const removed = net().prune((n) => used.has(n.name) || used.has(n.id) || (f.has('label') && !matchLabels(n.labels, f.get('label')!)));
    ex.sendJson(200, { NetworksDeleted: removed.length > 0 ? removed : null });
  });
  /** Stopped containers disconnected from the network they were created on. */
  const detachedPrimary = new WeakSet<Container>();
  router.add('POST', '/networks/([^/]+)/connect', async (ex, [ref]) => {
    const body = ((await ex.json()) ?? {}) as Record<string, unknown>;
    const n = netCall(() => net().get(ref!));
    const c = d.container(String(body['Container'] ?? ''));
    const ec = body['EndpointConfig'] && typeof body['EndpointConfig'] === 'object' ? (body['EndpointConfig'] as Record<string, unknown>) : {};
    // DECIDED (moby v28 ConnectToNetwork): a connect's MacAddress is checked but not given to HNS (only a create's
    // entries become DesiredMacAddress), so the endpoint gets one from the pool.
    const { aliases = [], ipv4Address: ip } = attachmentOf(n.name, ec);
    if ((c.options.network ?? 'nat') === 'none' || n.driver === 'null') throw new ApiError(403, 'container cannot be disconnected from host network or connected to host network');
    // moby updateNetworkConfig: the endpoint settings, with validateEndpointSettings' text as it is (400).
    const bad = endpointSettingsError(ec, n);
    if (bad !== undefined) throw badRequest(bad);
    if (detachedPrimary.has(c) && net().find(c.options.network ?? 'nat') === n) {
      // Reconnecting a stopped container to the network it was created on (compose does this
      // after a disconnect): it is attached there again, with the aliases asked for now.
      detachedPrimary.delete(c);
      (c.options as { aliases?: string[] }).aliases = [...new Set([...(c.options.aliases ?? []), ...aliases])];
      d.emit('network', 'connect', n.id, { container: c.id, name: n.name, type: n.driver });
      ex.noContent(200);
      return;
    }
    const already = [c.options.network ?? 'nat', ...c.extraNetworks.map((x) => x.network)].some((x) => net().find(x) === n);
    if (already) throw new ApiError(403, `endpoint with name ${c.name} already exists in network ${n.name}`);
    c.extraNetworks.push({ network: n.name, ...(aliases.length > 0 ? { aliases } : {}), ...(ip ? { ipv4Address: ip } : {}) });
    if (c.status === 'running' || c.status === 'paused') netCall(() => net().connectRunning(c.id, n.id, { containerId: c.id, containerName: c.name }, aliases, ip));
    // The container's document keeps its networks (a reopened data root attaches them again).
    d.host.keepContainer(c);
    d.emit('network', 'connect', n.id, { container: c.id, name: n.name, type: n.driver });
    ex.noContent(200);
  });
  router.add('POST', '/networks/([^/]+)/disconnect', async (ex, [ref]) => {
    const body = ((await ex.json()) ?? {}) as Record<string, unknown>;
    const n = netCall(() => net().get(ref!));
    const c = d.container(String(body['Container'] ?? ''));
    const i = c.extraNetworks.findIndex((x) => net().find(x.network) === n);
    const primary = net().find(c.options.network ?? 'nat') === n;
    if ((i < 0 && !primary) || (primary && i < 0 && detachedPrimary.has(c))) throw new ApiError(403, `container ${c.id} is not connected to network ${n.name}`);
    if (i >= 0) {
      c.extraNetworks.splice(i, 1);
      d.host.keepContainer(c);
    }
    // A stopped container leaves the network it was created on (moby's DisconnectFromNetwork
    // edits a non-running container's network settings); connecting it again restores it.
    // DECIDED: until then it keeps its create options, so a start in between still attaches it.
    else if (primary && !(c.status === 'running' || c.status === 'paused')) detachedPrimary.add(c);
    if (c.status === 'running' || c.status === 'paused') net().disconnectRunning(c.id, n.id);
    d.emit('network', 'disconnect', n.id, { container: c.id, name: n.name, type: n.driver });
    ex.noContent(200);
  });

  // ---- volumes (src/host/volumes.ts; moby volume/service) ----
  const vols = () => d.host.volumes;
  /** moby filters.Args.Match: exact, else the value as a regular expression anywhere in the name. */
  const nameMatches = (wanted: readonly string[], name: string): boolean =>
    wanted.some((w) => {
      if (w === name) return true;
      try {
        return new RegExp(w).test(name);
      } catch {
        return false;
      }
    });
  const goBool = (v: string, key: string): boolean => {
    if (/^(1|t|T|TRUE|true|True)$/.test(v)) return true;
    if (/^(0|f|F|FALSE|false|False)$/.test(v)) return false;
    throw badRequest(`invalid filter '${key}': strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
  };
  router.add('GET', '/volumes', (ex) => {
    const f = parseFilters(ex.query.get('filters'));
    validateFilters(f, ['dangling', 'name', 'driver', 'label']);
    const dangling = f.get('dangling');
    const wantDangling = dangling && dangling.length > 0 ? goBool(dangling[0]!, 'dangling') : undefined;
    const list = vols()
      .list()
      .filter((v) => !f.has('driver') || f.get('driver')!.includes(v.Driver))
      .filter((v) => !f.has('name') || nameMatches(f.get('name')!, v.Name))
      .filter((v) => !f.has('label') || matchLabels(v.Labels, f.get('label')!))
      .filter((v) => wantDangling === undefined || (d.host.volumeUsers(v.Name).length === 0) === wantDangling);
    ex.sendJson(200, { Volumes: list, Warnings: null });
  });
  router.add('GET', '/volumes/([^/]+)', (ex, [name]) => {
    const v = vols().get(name!);
    if (!v) throw notFound(`get ${name}: no such volume`);
    ex.sendJson(200, v);
  });
  router.add('DELETE', '/volumes/([^/]+)', (ex, [name]) => {
    d.host.removeVolume(name!, boolValue(ex.query, 'force'));
    ex.noContent();
  });
  router.add('POST', '/volumes/create', async (ex) => {
    const body = ((await ex.json()) ?? {}) as Record<string, unknown>;
    const strMap = (v: unknown): Record<string, string> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : null);
    const { volume, created } = vols().create({
      name: typeof body['Name'] === 'string' ? body['Name'] : '',
      driver: typeof body['Driver'] === 'string' ? body['Driver'] : '',
      options: strMap(body['DriverOpts']),
      labels: strMap(body['Labels']),
    });
    if (created) d.emit('volume', 'create', volume.Name, { driver: volume.Driver });
    ex.sendJson(201, volume);
  });
  router.add('POST', '/volumes/prune', (ex) => {
    const f = parseFilters(ex.query.get('filters'));
    // moby's router: before API 1.42 prune took every unused volume, named ones too.
    if (!apiAtLeast(ex.apiVersion, '1.42')) f.set('all', ['true']);
    validateFilters(f, ['label', 'label!', 'all']);
    const all = f.get('all') ?? [];
    if (all.length > 1) throw badRequest(`invalid filter 'all=[${all.join(' ')}]': only one value is expected`);
    const everyVolume = all.length === 1 && goBool(all[0]!, 'all');
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const v of vols().list()) {
      if (d.host.volumeUsers(v.Name).length > 0) continue;
      if (!everyVolume && !vols().isAnonymous(v.Name)) continue;
      if (f.has('label') && !matchLabels(v.Labels, f.get('label')!)) continue;
      if (f.has('label!') && f.get('label!')!.some((l) => matchLabels(v.Labels, [l]))) continue;
      const size = vols().size(v.Name);
      d.host.removeVolume(v.Name);
      reclaimed += size;
      deleted.push(v.Name);
    }
    d.emit('volume', 'prune', '', { reclaimed: String(reclaimed) });
    ex.sendJson(200, { VolumesDeleted: deleted, SpaceReclaimed: reclaimed });
  });

  // No builder cache yet (the classic builder of a Windows daemon): nothing to prune.
  router.add('POST', '/build/prune', (ex) => ex.sendJson(200, { CachesDeleted: null, SpaceReclaimed: 0 }));

  const plugins = (): never => {
    throw serverError('plugins are not supported on this platform');
  };
  router.add('GET', '/plugins', plugins);
  router.add('GET', '/plugins/(.+)/json', plugins);

  for (const p of ['/swarm', '/nodes', '/services', '/tasks', '/secrets', '/configs']) {
    router.add('GET', p, () => {
      throw new ApiError(503, SWARM);
    });
    router.add('GET', `${p}/(.+)`, () => {
      throw new ApiError(503, SWARM);
    });
  }
}
