/**
 * A create's NetworkingConfig.EndpointsConfig as moby v28 takes it on
 * Windows: what each network the container joins was asked for (aliases,
 * a static address, a MAC), checked with moby's texts.
 *
 * Two stages, in moby's order:
 *  1. the router (api/server/router/container postContainersCreate):
 *     NetworkMode `default` (or none) becomes nat and an entry under
 *     `default` moves to nat; API < 1.44 refuses more than one entry
 *     ("Container cannot be created with multiple network endpoints: …");
 *     handleMACAddressBC moves the container-wide Config.MacAddress into
 *     the primary entry (API < 1.44: only for nat or a user-defined
 *     network, "conflicting options: mac-address and the network mode"
 *     otherwise, and an entry's own MacAddress is dropped as the old API
 *     ignored it; API ≥ 1.44: with a deprecation warning, refused when it
 *     differs from the entry's);
 *  2. the daemon (daemon/create.go validateNetworkingConfig, after the
 *     image is found): each entry's IPAM addresses parse (Go's
 *     net.ParseIP), a static IPv4 lies in the network's configured subnet
 *     (one whose subnet HNS picked takes none), and the MAC parses (Go's
 *     net.ParseMAC); all wrapped as "invalid config for network NAME: …".
 *
 * On Windows moby takes static addresses and aliases on nat as on a
 * user-defined network (enableIPOnPredefinedNetwork and
 * serviceDiscoveryOnDefaultNetwork are true there).
 */
import { isIPv6 } from 'node:net';
import { hnsMacOf, inSubnet, parseHardwareAddr } from '../net/ipam.js';
import type { Network } from '../net/index.js';
import type { NetworkAttachment } from '../host/types.js';
import { badRequest } from './errors.js';
import { apiAtLeast } from './version.js';

/** One EndpointsConfig entry as sent (null: `"nat": null`, which moby refuses). */
export type EndpointSettingsBody = Record<string, unknown> | null;

export interface EndpointsRequest {
  /** NetworkMode with `default` resolved (nat on Windows). */
  networkMode: string;
  /** By the key the client used (a network name or id), in the body's order. */
  endpoints: Map<string, EndpointSettingsBody>;
  /** moby's deprecation warning for a container-wide MAC on API 1.44 and later. */
  warning?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function object(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** runconfig's Windows NetworkMode predicates (api/types/container/hostconfig_windows.go). */
function bridgeOrUserDefined(mode: string): boolean {
  return mode !== 'default' && mode !== 'none' && mode !== 'container' && !mode.startsWith('container:');
}

/**
 * Stage 1: the router's handling of NetworkingConfig for API `version`.
 * `c` is the create body (Config with HostConfig and NetworkingConfig).
 */
export function endpointsRequest(c: Record<string, unknown>, rawMode: string, version: string): EndpointsRequest {
  const networkMode = rawMode === '' || rawMode === 'default' ? 'nat' : rawMode;
  const endpoints = new Map<string, EndpointSettingsBody>();
  const sent = object(object(c['NetworkingConfig'])['EndpointsConfig']);
  for (const [key, v] of Object.entries(sent)) endpoints.set(key, v === null ? null : { ...object(v) });
  if (networkMode !== rawMode && endpoints.has('default')) {
    const moved = endpoints.get('default')!;
    endpoints.delete('default');
    endpoints.set(networkMode, moved);
  }
  const old = !apiAtLeast(version, '1.44');
  if (old && endpoints.size > 1) throw badRequest(`Container cannot be created with multiple network endpoints: ${[...endpoints.keys()].join(', ')}`);

  // handleMACAddressBC.
  const containerWide = str(c['MacAddress']);
  if (old) {
    if (containerWide === '') {
      for (const ep of endpoints.values()) if (ep) delete ep['MacAddress'];
      return { networkMode, endpoints };
    }
    if (!bridgeOrUserDefined(networkMode)) throw badRequest('conflicting options: mac-address and the network mode');
    primaryEntry(endpoints, networkMode, old)['MacAddress'] = containerWide;
    return { networkMode, endpoints };
  }
  if (containerWide === '') return { networkMode, endpoints };
  if (bridgeOrUserDefined(networkMode)) {
    let ep: Record<string, unknown>;
    try {
      ep = primaryEntry(endpoints, networkMode, old);
    } catch (e) {
      throw badRequest(`unable to migrate container-wide MAC address to a specific network: ${(e as Error).message}`);
    }
    if (str(ep['MacAddress']) === '') ep['MacAddress'] = containerWide;
    else if (str(ep['MacAddress']) !== containerWide) throw badRequest('the container-wide MAC address must match the endpoint-specific MAC address for the main network, or be left empty');
  }
  return { networkMode, endpoints, warning: 'The container-wide MacAddress field is now deprecated. It should be specified in EndpointsConfig instead.' };
}

/** moby epConfigForNetMode: the entry container-wide settings go to (made when there is none). */
function primaryEntry(endpoints: Map<string, EndpointSettingsBody>, networkMode: string, old: boolean): Record<string, unknown> {
  if (endpoints.size === 0) {
    const ep: Record<string, unknown> = {};
    endpoints.set(networkMode, ep);
    return ep;
  }
  if (old) {
    const [key, ep] = [...endpoints.entries()][0]!;
    if (ep) return ep;
    const made: Record<string, unknown> = {};
    endpoints.set(key, made);
    return made;
  }
  const ep = endpoints.get(networkMode);
  if (!ep) throw new Error('HostConfig.NetworkMode must match the identity of a network in NetworkSettings.Networks');
  return ep;
}

/** Go's net.ParseIP: a dotted quad without leading zeros, or IPv6 text without a zone. */
type ParsedIp = { v4: boolean; unspecified: boolean } | undefined;

function parseIp(s: string): ParsedIp {
  const quad = (t: string): number[] | undefined => {
    const parts = t.split('.');
    if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
    return parts.map(Number);
  };
  const v4 = quad(s);
  if (v4) return { v4: true, unspecified: v4.every((b) => b === 0) };
  if (s.includes('%') || !isIPv6(s)) return undefined;
  // An IPv4-mapped address (::ffff:a.b.c.d) is an IPv4 one to Go (To4 is not nil).
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  if (mapped && quad(mapped[1]!)) return { v4: true, unspecified: false };
  return { v4: false, unspecified: /^[0:.]*$/.test(s) };
}

/**
 * Stage 2: moby validateNetworkingConfig. `find` looks a network up by
 * name or id; one that does not exist yet is checked without subnets.
 */
export function validateEndpoints(endpoints: ReadonlyMap<string, EndpointSettingsBody>, find: (ref: string) => Network | undefined): void {
  const errs: string[] = [];
  for (const [key, ep] of endpoints) {
    if (ep === null) {
      errs.push(`invalid config for network ${key}: EndpointsConfig is nil`);
      continue;
    }
    const why = endpointSettingsError(ep, find(key));
    if (why !== undefined) errs.push(`invalid config for network ${key}: ${why}`);
  }
  if (errs.length > 0) throw badRequest(joinErrors(errs));
}

/**
 * moby validateEndpointSettings (also what `docker network connect`
 * checks): undefined when the entry is good, else its text.
 */
export function endpointSettingsError(ep: Record<string, unknown>, network: Network | undefined): string | undefined {
  const ipam = object(ep['IPAMConfig']);
  const v4 = str(ipam['IPv4Address']);
  const v6 = str(ipam['IPv6Address']);
  const errs: string[] = [];
  // EndpointIPAMConfig.Validate.
  if (v4 !== '') {
    const p = parseIp(v4);
    if (!p || !p.v4 || p.unspecified) errs.push(`invalid IPv4 address: ${v4}`);
  }
  if (v6 !== '') {
    const p = parseIp(v6);
    if (!p || p.v4 || p.unspecified) errs.push(`invalid IPv6 address: ${v6}`);
  }
  for (const ll of Array.isArray(ipam['LinkLocalIPs']) ? (ipam['LinkLocalIPs'] as unknown[]) : []) {
    const p = parseIp(str(ll));
    if (!p || p.unspecified) errs.push(`invalid link-local IP address: ${str(ll)}`);
  }
  // EndpointIPAMConfig.IsInRange: winsilo's networks have one IPv4 subnet and none for IPv6.
  if (network) {
    const inRange = (addr: string, subnets: Network[]): string | undefined => {
      if (addr === '') return undefined;
      if (subnets.length === 0) return 'user specified IP address is supported only when connecting to networks with user configured subnets';
      return subnets.some((n) => inConfiguredSubnet(n, addr)) ? undefined : `no configured subnet or ip-range contain the IP address ${addr}`;
    };
    const v4Subnets = network.staticSubnet ? [network] : [];
    for (const e of [inRange(v4, v4Subnets), inRange(v6, [])]) if (e !== undefined) errs.push(e);
  }
  // moby returns a bad MAC alone, before the others are joined.
  const mac = str(ep['MacAddress']);
  if (mac !== '' && !parseHardwareAddr(mac)) return `invalid MAC address ${mac}`;
  if (errs.length > 0) return `invalid endpoint settings:\n${joinErrors(errs)}`;
  return undefined;
}

/** Whether an IPv4 address (an IPv4-mapped one too) lies in a network's subnet (Go's IPNet.Contains: the network and broadcast addresses count). */
function inConfiguredSubnet(n: Network, addr: string): boolean {
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(addr)?.[1];
  return quad !== undefined && n.subnet !== undefined && inSubnet(n.subnet, quad);
}

/** moby's internal/multierror Join: one error as it is, several as a `* ` list. */
function joinErrors(errs: readonly string[]): string {
  if (errs.length === 1) return errs[0]!.trim();
  return `* ${errs.map((e) => e.replace(/\n/g, '\n\t')).join('\n* ')}`;
}

/** What the Host keeps of one entry: aliases, the static IPv4 address, the MAC in HNS's form. */
export function attachmentOf(network: string, ep: EndpointSettingsBody): NetworkAttachment {
  const o = object(ep);
  const aliases = Array.isArray(o['Aliases']) ? (o['Aliases'] as unknown[]).filter((a): a is string => typeof a === 'string') : [];
  const given = str(object(o['IPAMConfig'])['IPv4Address']);
  // An IPv4-mapped address (accepted as IPv4, as Go does) is its IPv4 address to HNS.
  const ip = given.includes(':') ? given.slice(given.lastIndexOf(':') + 1) : given;
  const mac = parseHardwareAddr(str(o['MacAddress']));
  return {
    network,
    ...(aliases.length > 0 ? { aliases } : {}),
    ...(ip !== '' ? { ipv4Address: ip } : {}),
    ...(mac ? { macAddress: hnsMacOf(mac) } : {}),
  };
}
