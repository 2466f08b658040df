/**
 * Port publishing requests: the Engine API's HostConfig.PortBindings
 * (`{"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}`), PublishAllPorts
 * (`-P`: every exposed port, the image's ExposedPorts included, on an
 * ephemeral host port) and the CLI's `-p [IP:]HOSTPORT:CTRPORT[/proto]`.
 */
import { isIP } from 'node:net';
import type { PortBinding } from './publish.js';

/** A `-p` value in the Engine API's terms: the `PORT/proto` key and its binding. */
export interface PortSpec {
  /** `80/tcp` */
  readonly key: string;
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  readonly hostIp: string;
  /** '' (an ephemeral port), `8080`, or a range `8000-8010` for one container port (the first free one is taken). */
  readonly hostPort: string;
}

/** go-connections nat.ParsePortRange: `N` or `N-M` of 16-bit numbers; throws when not. */
function portRange(s: string): [number, number] {
  const one = (x: string): number => {
    if (!/^\d+$/.test(x) || Number(x) > 65535) throw new Error(`bad port ${x}`);
    return Number(x);
  };
  const dash = s.indexOf('-');
  if (dash < 0) {
    const n = one(s);
    return [n, n];
  }
  const start = one(s.slice(0, dash));
  const end = one(s.slice(dash + 1));
  if (end < start) throw new Error(`invalid range specified for port: ${s}`);
  return [start, end];
}

function isIpAddress(s: string): boolean {
  return isIP(s) !== 0;
}

/**
 * `-p [IP:][HOSTPORT[-END]:]CTRPORT[-END][/proto]` as docker's CLI parses
 * it (go-connections nat.ParsePortSpec, which the CLI's opts.go calls):
 * ranges expand to one binding per port; errors carry docker's texts —
 * `invalid IP address: x`, `no port specified: x<empty>`, `invalid
 * containerPort: x`, `invalid hostPort: x`, `invalid ranges specified for
 * container and host Ports: a and b`, `invalid proto: x`, in that order.
 */
export function parsePortSpecs(spec: string): PortSpec[] {
  const parts = spec.split(':');
  let ip = '';
  let hostPort = '';
  let ctr: string;
  if (parts.length === 1) ctr = parts[0]!;
  else if (parts.length === 2) [hostPort, ctr] = parts as [string, string];
  else [ip, hostPort, ctr] = [parts.slice(0, -2).join(':'), parts[parts.length - 2]!, parts[parts.length - 1]!];
  // SplitProtoPort: "80/udp" → udp, 80; "80" → tcp; "" → no port.
  const slash = ctr.indexOf('/');
  let proto = 'tcp';
  if (slash >= 0) {
    proto = ctr.slice(slash + 1) || 'tcp';
    ctr = ctr.slice(0, slash);
  }
  if (ip.startsWith('[')) {
    const close = ip.indexOf(']');
    if (close !== ip.length - 1) throw new Error(`invalid IP address ${ip}: address ${ip}:: missing port in address`);
    ip = ip.slice(1, -1);
  }
  if (ip !== '' && !isIpAddress(ip)) throw new Error(`invalid IP address: ${ip}`);
  if (ctr === '') throw new Error(`no port specified: ${spec}<empty>`);
  let start: number;
  let end: number;
  try {
    [start, end] = portRange(ctr);
  } catch {
    throw new Error(`invalid containerPort: ${ctr}`);
  }
  let hostStart = 0;
  let hostEnd = 0;
  if (hostPort !== '') {
    try {
      [hostStart, hostEnd] = portRange(hostPort);
    } catch {
      throw new Error(`invalid hostPort: ${hostPort}`);
    }
    // A host range for one container port is the range to pick a free port from.
    if (end - start !== hostEnd - hostStart && end !== start) throw new Error(`invalid ranges specified for container and host Ports: ${ctr} and ${hostPort}`);
  }
  const p = proto.toLowerCase();
  if (p !== 'tcp' && p !== 'udp' && p !== 'sctp') throw new Error(`invalid proto: ${proto}`);
  const out: PortSpec[] = [];
  for (let i = 0; i <= end - start; i++) {
    let h = '';
    if (hostPort !== '') h = end === start && hostStart !== hostEnd ? `${hostStart}-${hostEnd}` : String(hostStart + i);
    out.push({ key: `${start + i}/${p}`, containerPort: start + i, protocol: p, hostIp: ip, hostPort: h });
  }
  return out;
}

/** One `-p` spec as the binding a start opens. Throws docker's message on a bad spec. */
export function parsePortSpec(spec: string): PortBinding {
  const s = parsePortSpecs(spec)[0]!;
  return { containerPort: s.containerPort, protocol: s.protocol, hostIp: s.hostIp, ...hostPortOf(s.hostPort) };
}

/** `-p` values as HostConfig.PortBindings and Config.ExposedPorts (the CLI's opts.go: nat.ParsePortSpecs). */
export function portBindingsOf(specs: readonly string[]): { portBindings: Record<string, { HostIp: string; HostPort: string }[]>; exposedPorts: string[] } {
  const portBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const spec of specs) for (const p of parsePortSpecs(spec)) (portBindings[p.key] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort });
  return { portBindings, exposedPorts: Object.keys(portBindings) };
}

/** HostPort `8080`, `` (ephemeral) or `8000-8010` (the first free one of the range, as moby's port allocator takes it). */
function hostPortOf(v: string | undefined): { hostPort: number; hostPortEnd?: number } {
  if (!v) return { hostPort: 0 };
  const dash = v.indexOf('-');
  if (dash < 0) return { hostPort: Number(v) || 0 };
  return { hostPort: Number(v.slice(0, dash)) || 0, hostPortEnd: Number(v.slice(dash + 1)) || 0 };
}

/** A PortBindings/ExposedPorts key's protocol (`80/udp`); sctp is kept for the endpoint to refuse (publish.ts unsupportedProtocol). */
function protocolOf(proto: string): PortBinding['protocol'] {
  const p = proto.toLowerCase();
  return p === 'udp' ? 'udp' : p === 'sctp' ? 'sctp' : 'tcp';
}

/** The bindings a container's start opens. */
export function parsePortBindings(
  portBindings: Readonly<Record<string, readonly { HostIp?: string; HostPort?: string }[] | null>> | undefined,
  publishAll: boolean,
  exposed: readonly string[],
): PortBinding[] {
  const out: PortBinding[] = [];
  const seen = new Set<string>();
  for (const [key, list] of Object.entries(portBindings ?? {})) {
    const [p, proto = 'tcp'] = key.split('/');
    seen.add(`${Number(p)}/${proto}`);
    for (const b of list ?? []) out.push({ containerPort: Number(p), protocol: protocolOf(proto), hostIp: b.HostIp ?? '', ...hostPortOf(b.HostPort) });
    if (!list || list.length === 0) if (publishAll) out.push({ containerPort: Number(p), protocol: protocolOf(proto), hostIp: '', hostPort: 0 });
  }
  if (publishAll) {
    for (const key of exposed) {
      const [p, proto = 'tcp'] = key.split('/');
      if (seen.has(`${Number(p)}/${proto}`)) continue;
      seen.add(`${Number(p)}/${proto}`);
      out.push({ containerPort: Number(p), protocol: protocolOf(proto), hostIp: '', hostPort: 0 });
    }
  }
  return out;
}
