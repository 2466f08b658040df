/**
 * IP address management as HNS does it for a Windows container network:
 * a subnet (CIDR), its gateway (the first host address unless given), and
 * one address per endpoint taken in order after the gateway, released when
 * the endpoint goes. MAC addresses are Hyper-V's (OUI 00-15-5D), as HNS
 * gives vNICs from the host's dynamic MAC pool.
 */
import { ERROR_INVALID_PARAMETER, Win32Error } from '../core/win32.js';

export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Win32Error('inet_pton', ERROR_INVALID_PARAMETER, ip);
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) throw new Win32Error('inet_pton', ERROR_INVALID_PARAMETER, ip);
    n = n * 256 + Number(p);
  }
  return n >>> 0;
}

export function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIpv4(s: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(s) && s.split('.').every((x) => Number(x) <= 255);
}

export interface Subnet {
  /** The network address as an integer. */
  readonly base: number;
  readonly prefixLength: number;
  /** `172.25.32.0/20` */
  readonly cidr: string;
  readonly mask: string;
}

/** Parses `a.b.c.d/n`; throws an Error with docker's wording for a bad one. */
export function parseSubnet(cidr: string): Subnet {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m || !isIpv4(m[1]!) || Number(m[2]) > 32) throw new Error(`invalid CIDR address: ${cidr}`);
  const prefixLength = Number(m[2]);
  const maskInt = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  const base = (ipToInt(m[1]!) & maskInt) >>> 0;
  return { base, prefixLength, cidr: `${intToIp(base)}/${prefixLength}`, mask: intToIp(maskInt) };
}

export function inSubnet(s: Subnet, ip: string): boolean {
  if (!isIpv4(ip)) return false;
  const maskInt = s.prefixLength === 0 ? 0 : (0xffffffff << (32 - s.prefixLength)) >>> 0;
  return ((ipToInt(ip) & maskInt) >>> 0) === s.base;
}

/** The addresses of one subnet: the gateway and what endpoints hold. */
export class AddressPool {
  private readonly used = new Set<number>();
  private next: number;
  readonly gateway: string;

  constructor(
    readonly subnet: Subnet,
    gateway?: string,
  ) {
    const size = 2 ** (32 - subnet.prefixLength);
    if (size < 4) throw new Error(`invalid subnet ${subnet.cidr}: too small`);
    this.gateway = gateway ?? intToIp(subnet.base + 1);
    if (!inSubnet(subnet, this.gateway)) throw new Error(`no matching subnet for gateway ${this.gateway}`);
    this.used.add(ipToInt(this.gateway));
    this.next = subnet.base + 2;
  }

  /** The next free host address (never the network, the broadcast or the gateway), or a requested one. */
  allocate(requested?: string): string {
    const last = this.subnet.base + 2 ** (32 - this.subnet.prefixLength) - 2;
    if (requested !== undefined) {
      const n = ipToInt(requested);
      if (!inSubnet(this.subnet, requested) || n <= this.subnet.base || n > last) throw new Error(`no configured subnet or ip-range contain the IP address ${requested}`);
      if (this.used.has(n)) throw new Error(`Address already in use`);
      this.used.add(n);
      return requested;
    }
    for (let i = 0; i <= last - this.subnet.base; i++) {
      const n = this.next > last ? this.subnet.base + 2 : this.next;
      this.next = n + 1;
      if (!this.used.has(n)) {
        this.used.add(n);
        return intToIp(n);
      }
    }
    throw new Error(`no available IPv4 addresses on this network's address pools: ${this.subnet.cidr}`);
  }

  release(ip: string): void {
    if (ip !== this.gateway && isIpv4(ip)) this.used.delete(ipToInt(ip));
  }
}

/** FNV-1a: a stable, seedless spread of a string (MACs, NIC ids, HNS ids). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A Hyper-V MAC (00-15-5D-xx-xx-xx) from an endpoint's identity. */
export function hyperVMac(seed: string): string {
  const h = hash32(seed);
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');
  return ['00', '15', '5D', hex((h >>> 16) & 0xff), hex((h >>> 8) & 0xff), hex(h & 0xff)].join('-');
}

/**
 * A hardware address as Go's net.ParseMAC reads one (what moby checks a
 * requested MAC with): 6, 8 or 20 bytes of two hex digits each, split by
 * one of `:` or `-` throughout (`00:15:5d:aa:bb:cc`), or dotted groups of
 * four (`0015.5daa.bbcc`). undefined: not an address.
 */
export function parseHardwareAddr(s: string): number[] | undefined {
  const hex2 = (i: number): number => (/^[0-9a-fA-F]{2}$/.test(s.slice(i, i + 2)) ? Number.parseInt(s.slice(i, i + 2), 16) : -1);
  const sizes = [6, 8, 20];
  const out: number[] = [];
  if (s.length < 14) return undefined;
  if (s[2] === ':' || s[2] === '-') {
    const sep = s[2];
    if ((s.length + 1) % 3 !== 0 || !sizes.includes((s.length + 1) / 3)) return undefined;
    for (let x = 0; x < s.length; x += 3) {
      const b = hex2(x);
      if (b < 0 || (x + 2 < s.length && s[x + 2] !== sep)) return undefined;
      out.push(b);
    }
    return out;
  }
  if (s[4] === '.') {
    if ((s.length + 1) % 5 !== 0 || !sizes.includes((2 * (s.length + 1)) / 5)) return undefined;
    for (let x = 0; x < s.length; x += 5) {
      const hi = hex2(x);
      const lo = hex2(x + 2);
      if (hi < 0 || lo < 0 || (x + 4 < s.length && s[x + 4] !== '.')) return undefined;
      out.push(hi, lo);
    }
    return out;
  }
  return undefined;
}

/** An address as HNS keeps it and ipconfig prints it: `00-15-5D-AA-BB-CC`. */
export function hnsMacOf(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('-');
}

/**
 * An address as the Docker API shows it (Go's net.HardwareAddr String,
 * which moby uses for every MacAddress it reports): `00:15:5d:aa:bb:cc`.
 * Empty stays empty.
 */
export function apiMacOf(mac: string): string {
  if (mac === '') return '';
  const bytes = parseHardwareAddr(mac);
  return bytes ? bytes.map((b) => b.toString(16).padStart(2, '0')).join(':') : mac;
}

/** A GUID-shaped id derived from a seed (HNS network and endpoint ids), upper case as HNS prints them. */
export function guidFrom(seed: string): string {
  const parts = [0, 1, 2, 3].map((i) => hash32(`${seed}#${i}`).toString(16).padStart(8, '0')).join('');
  return `${parts.slice(0, 8)}-${parts.slice(8, 12)}-${parts.slice(12, 16)}-${parts.slice(16, 20)}-${parts.slice(20, 32)}`.toUpperCase();
}
