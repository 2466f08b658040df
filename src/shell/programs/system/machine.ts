/**
 * What the system programs know of the machine they run on, read the way
 * Windows programs read it: names from the registry (Tcpip\Parameters
 * Hostname — what gethostname returns — and Control\ComputerName, the
 * NetBIOS name), the user from the process's environment, the network
 * from the one place below that stands in for the network stack.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { REG_SZ } from '../../../kernel/registry/types.js';

const TCPIP = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters';
const COMPUTER_NAME = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ActiveComputerName';
export const CURRENT_VERSION = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion';

/** A REG_SZ (or REG_EXPAND_SZ as stored) value, undefined when missing. */
export function regString(ctx: ProcessContext, key: string, name: string): string | undefined {
  const reg = ctx.registry;
  if (!reg) return undefined;
  try {
    const v = reg.getValue(key, name);
    return v.type === REG_SZ || v.type === 2 ? (v.data as string) : undefined;
  } catch {
    return undefined;
  }
}

export function regDword(ctx: ProcessContext, key: string, name: string): number | undefined {
  const reg = ctx.registry;
  if (!reg) return undefined;
  try {
    const v = reg.getValue(key, name);
    return v.type === 4 ? v.data : undefined;
  } catch {
    return undefined;
  }
}

/** gethostname(): the DNS host name, as docker set it (`--hostname`, else the id's first 12 hex digits). */
export function hostName(ctx: ProcessContext): string {
  return regString(ctx, TCPIP, 'Hostname') ?? ctx.env.get('COMPUTERNAME')?.toLowerCase() ?? 'localhost';
}

/** GetComputerName: the NetBIOS name in capitals (COMPUTERNAME). */
export function computerName(ctx: ProcessContext): string {
  return regString(ctx, COMPUTER_NAME, 'ComputerName') ?? ctx.env.get('COMPUTERNAME') ?? hostName(ctx).toUpperCase();
}

// ---------------------------------------------------------------------------
// The user
// ---------------------------------------------------------------------------

/** The token user of a container process: its virtual account under the "User Manager" authority. */
export interface TokenUser {
  /** `User Manager` */
  readonly domain: string;
  /** `ContainerAdministrator` */
  readonly name: string;
  readonly sid: string;
  readonly admin: boolean;
}

/**
 * The container accounts' SIDs: S-1-5-93-2-1 ContainerAdministrator,
 * S-1-5-93-2-2 ContainerUser (hcsshim and moby's Windows code name them so).
 */
const CONTAINER_SIDS: Readonly<Record<string, string>> = { CONTAINERADMINISTRATOR: 'S-1-5-93-2-1', CONTAINERUSER: 'S-1-5-93-2-2' };

/** The caller's token user (USERDOMAIN\USERNAME as the logon set them). */
export function tokenUser(ctx: ProcessContext): TokenUser {
  const name = ctx.env.get('USERNAME') ?? 'ContainerAdministrator';
  const domain = ctx.env.get('USERDOMAIN') ?? 'User Manager';
  const upper = name.toUpperCase();
  if (upper === 'SYSTEM') return { domain: 'NT AUTHORITY', name: 'SYSTEM', sid: 'S-1-5-18', admin: true };
  // DECIDED: an account we do not know by SID is given ContainerUser's shape with a RID of 1000+.
  return { domain, name, sid: CONTAINER_SIDS[upper] ?? 'S-1-5-93-2-2', admin: upper !== 'CONTAINERUSER' };
}

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

/**
 * The WinStation name tasklist shows for a session. Session 0 is
 * "Services" on every Windows since Vista. DECIDED: a container's own
 * session shows as "Console" — the LSM inside the silo knows it as its
 * console session; no recorded tasklist output from a container was found.
 */
export function sessionName(sessionId: number): string {
  return sessionId === 0 ? 'Services' : 'Console';
}

// ---------------------------------------------------------------------------
// The network: the compartment's (src/net, ctx.net) when the container is attached; a stand-in otherwise
// ---------------------------------------------------------------------------

/** One adapter as ipconfig, ping and systeminfo show it. */
export interface Adapter {
  /** `vEthernet (Container NIC 1a2b3c4d)` */
  readonly connectionName: string;
  readonly description: string;
  /** `00-15-5D-xx-xx-xx` */
  readonly mac: string;
  readonly ipv4: string;
  readonly subnetMask: string;
  readonly gateway: string;
  readonly dnsServers: readonly string[];
  /** `fe80::…%<ifindex>` */
  readonly linkLocal: string;
  readonly ifIndex: number;
}

/**
 * DECIDED (for a silo no Host network attached — the kernel's own tests
 * boot such silos; containers of a Host use src/net's model): a container sits
 * on Docker's default `nat` network as a process-isolated Windows container
 * does — one vEthernet (Container NIC xxxxxxxx) adapter, described as
 * "Hyper-V Virtual Ethernet Container Adapter", with a Hyper-V MAC
 * (00-15-5D OUI) and an address in a /20 of 172.16.0.0/12 whose .1 is
 * the WinNAT gateway and DNS proxy. The numbers below are ours, derived
 * from the host name so that each container gets its own and the same
 * one every time.
 */
export const NAT_NETWORK = {
  /** 172.26.96.0/20 */
  prefix: [172, 26, 96],
  subnetMask: '255.255.240.0',
  gateway: '172.26.96.1',
  ifIndex: 17,
} as const;

function hash32(s: string): number {
  // FNV-1a: a stable, seedless spread of the name.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The stand-in adapter of a silo no network attached (booted outside a Host, e.g. by the kernel's tests). */
function standInAdapter(ctx: ProcessContext): Adapter {
  const h = hash32(hostName(ctx).toLowerCase());
  const [a, b, c] = NAT_NETWORK.prefix;
  // A host address in the /20 (c..c+15), never .0/.1 of the first block nor the broadcast.
  const third = c + ((h >>> 8) % 16);
  const fourth = 2 + (h % 250);
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
  const nic = h.toString(16).padStart(8, '0');
  const ll = [(h >>> 16) & 0xffff, h & 0xffff, hash32(nic) >>> 16, hash32(nic) & 0xffff].map((x) => x.toString(16)).join(':');
  return {
    connectionName: `vEthernet (Container NIC ${nic})`,
    description: 'Hyper-V Virtual Ethernet Container Adapter',
    mac: ['00', '15', '5D', hex((h >>> 16) & 0xff), hex((h >>> 8) & 0xff), hex(h & 0xff)].join('-'),
    ipv4: `${a}.${b}.${third}.${fourth}`,
    subnetMask: NAT_NETWORK.subnetMask,
    gateway: NAT_NETWORK.gateway,
    dnsServers: [NAT_NETWORK.gateway],
    linkLocal: `fe80::${ll}%${NAT_NETWORK.ifIndex}`,
    ifIndex: NAT_NETWORK.ifIndex,
  };
}

/**
 * The container's adapters: its compartment's (src/net, through ctx.net:
 * one per network it is attached to, none on `--network none`), or the
 * stand-in above where no network is attached at all.
 */
export function containerAdapters(ctx: ProcessContext): Adapter[] {
  const net = ctx.net;
  if (!net) return [standInAdapter(ctx)];
  return net.adapters().map((a) => ({
    connectionName: a.connectionName,
    description: a.description,
    mac: a.mac,
    ipv4: a.ipv4,
    subnetMask: a.subnetMask,
    gateway: a.gateway,
    dnsServers: a.dnsServers,
    linkLocal: a.linkLocal,
    ifIndex: a.ifIndex,
  }));
}

/** The container's first adapter (systeminfo's NIC), the stand-in where it has none. */
export function containerAdapter(ctx: ProcessContext): Adapter {
  return containerAdapters(ctx)[0] ?? standInAdapter(ctx);
}

/** What a name resolves to inside the container; undefined: not found (no DNS until issue 10). */
export function resolveHost(ctx: ProcessContext, name: string): { address: string; family: 4 | 6; canonical: string } | undefined {
  if (ctx.net) return ctx.net.resolve(name);
  const n = name.toLowerCase();
  const adapter = containerAdapter(ctx);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(n)) {
    const ok = n.split('.').every((x) => Number(x) <= 255);
    return ok ? { address: n, family: 4, canonical: n } : undefined;
  }
  if (n === '::1' || /^[0-9a-f:]+(%\d+)?$/.test(n)) return n.includes(':') ? { address: n, family: 6, canonical: n } : undefined;
  const host = hostName(ctx);
  // Windows resolves "localhost" to ::1 first and names it by the computer's host name.
  if (n === 'localhost') return { address: '::1', family: 6, canonical: host };
  if (n === host.toLowerCase() || n === computerName(ctx).toLowerCase()) return { address: adapter.ipv4, family: 4, canonical: host };
  return undefined;
}

/** Whether an address is the container's own (loopback or its adapter's). */
export function isLocalAddress(ctx: ProcessContext, address: string): boolean {
  if (ctx.net) return ctx.net.isLocal(address);
  if (address === '::1' || address.startsWith('127.')) return true;
  const a = containerAdapter(ctx);
  return address === a.ipv4 || address.toLowerCase() === a.linkLocal.toLowerCase() || address.toLowerCase() === a.linkLocal.toLowerCase().replace(/%\d+$/, '');
}

/**
 * Whether an echo request to `address` is answered: the container itself,
 * and the NAT gateway (the host's vEthernet (nat) adapter, which answers
 * ICMP). DECIDED: nothing beyond them until issue 10.
 */
export function answersPing(ctx: ProcessContext, address: string): boolean {
  if (ctx.net) return ctx.net.answersPing(address);
  return isLocalAddress(ctx, address) || address === containerAdapter(ctx).gateway;
}
