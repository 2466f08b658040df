/**
 * Networks, volumes, plugins and swarm (docker-engine-api.md §3.17, §7):
 * networks are the Host's (src/net: nat and none predefined, user-defined
 * ones with the Windows drivers, connect/disconnect, prune), no volumes,
 * plugins refused as on Windows, swarm routes 503.
 */
import type { Daemon } from './daemon.js';
import { ApiError, badRequest, notFound, serverError } from './errors.js';
import type { Container } from '../host/host.js';
import { NetworkError, type Network } from '../net/index.js';
import { apiMacOf } from '../net/ipam.js';
import { attachmentOf, endpointSettingsError } from './endpoints.js';
import { matchLabels, parseFilters, validateFilters } from './params.js';
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

  router.add('GET', '/volumes', (ex) => ex.sendJson(200, { Volumes: [], Warnings: null }));
  router.add('GET', '/volumes/([^/]+)', (_ex, [name]) => {
    throw notFound(`get ${name}: no such volume`);
  });
  router.add('DELETE', '/volumes/([^/]+)', (_ex, [name]) => {
    throw notFound(`get ${name}: no such volume`);
  });
  router.add('POST', '/volumes/create', () => {
    throw serverError('creating volumes is not supported on this host yet');
  });
  router.add('POST', '/volumes/prune', (ex) => ex.sendJson(200, { VolumesDeleted: null, SpaceReclaimed: 0 }));

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
