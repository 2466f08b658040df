/**
 * Port publishing requests: the Engine API's HostConfig.PortBindings
 * (`{"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}`), PublishAllPorts
 * (`-P`: every exposed port, the image's ExposedPorts included, on an
 * ephemeral host port) and the CLI's `-p [IP:]HOSTPORT:CTRPORT[/proto]`.
 */
import type { PortBinding } from './publish.js';

/** `-p` as docker's CLI parses it (nat.ParsePortSpec, without ranges): throws docker's message on a bad spec. */
export function parsePortSpec(spec: string): PortBinding {
  let rest = spec;
  let protocol: 'tcp' | 'udp' = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const p = rest.slice(slash + 1).toLowerCase();
    if (p !== 'tcp' && p !== 'udp') throw new Error(`invalid proto: ${p}`);
    protocol = p;
    rest = rest.slice(0, slash);
  }
  const parts = rest.split(':');
  let hostIp = '';
  let hostPort = '';
  let ctr: string;
  if (parts.length === 1) ctr = parts[0]!;
  else if (parts.length === 2) [hostPort, ctr] = parts as [string, string];
  else [hostIp, hostPort, ctr] = [parts.slice(0, -2).join(':'), parts[parts.length - 2]!, parts[parts.length - 1]!];
  const port = (s: string, what: string) => {
    if (!/^\d+$/.test(s) || Number(s) > 65535 || (what === 'container' && Number(s) === 0)) throw new Error(`invalid ${what}Port: ${s}`);
    return Number(s);
  };
  return { containerPort: port(ctr, 'container'), protocol, hostIp: hostIp.replace(/^\[|\]$/g, ''), hostPort: hostPort === '' ? 0 : port(hostPort, 'host') };
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
    for (const b of list ?? []) out.push({ containerPort: Number(p), protocol: proto === 'udp' ? 'udp' : 'tcp', hostIp: b.HostIp ?? '', hostPort: b.HostPort ? Number(b.HostPort) : 0 });
    if (!list || list.length === 0) if (publishAll) out.push({ containerPort: Number(p), protocol: proto === 'udp' ? 'udp' : 'tcp', hostIp: '', hostPort: 0 });
  }
  if (publishAll) {
    for (const key of exposed) {
      const [p, proto = 'tcp'] = key.split('/');
      if (seen.has(`${Number(p)}/${proto}`)) continue;
      seen.add(`${Number(p)}/${proto}`);
      out.push({ containerPort: Number(p), protocol: proto === 'udp' ? 'udp' : 'tcp', hostIp: '', hostPort: 0 });
    }
  }
  return out;
}
