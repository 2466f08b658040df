/**
 * One container network as HNS and moby's Windows network driver keep it:
 * a driver (nat, transparent, l2bridge, l2tunnel, ics, internal, private,
 * null), an IPAM pool, options (`com.docker.network.windowsshim.*`) and
 * the endpoints of the containers attached to it.
 *
 * Facts (docs.microsoft.com "Windows container network drivers", moby
 * libnetwork/drivers/windows): `docker info` on Windows lists the network
 * plugins `ics internal l2bridge l2tunnel nat null overlay private
 * transparent`; the default network is `nat` (WinNAT, one internal prefix
 * per host); `none` uses the `null` driver and gives no adapter; overlay
 * needs a swarm.
 */
import { AddressPool, guidFrom, hash32, parseSubnet, type Subnet } from './ipam.js';

/** The drivers `docker info` lists on Windows (Plugins.Network), in its order. */
export const WINDOWS_NETWORK_DRIVERS = ['ics', 'internal', 'l2bridge', 'l2tunnel', 'nat', 'null', 'overlay', 'private', 'transparent'] as const;
export type NetworkDriver = (typeof WINDOWS_NETWORK_DRIVERS)[number];

/** One container's attachment to a network (an HNS endpoint). */
export interface Endpoint {
  /** 64 hex digits (docker's EndpointID). */
  readonly id: string;
  /** HNS's endpoint id (a GUID, upper case as HNS prints it): docker stats' `networks` key on Windows. */
  readonly hnsId: string;
  readonly network: Network;
  readonly containerId: string;
  /** The container's name without the slash. */
  readonly containerName: string;
  readonly aliases: readonly string[];
  readonly ipv4: string;
  readonly mac: string;
  /** `Container NIC 1a2b3c4d`'s hex part. */
  readonly nic: string;
  readonly ifIndex: number;
}

export interface NetworkOptions {
  name: string;
  driver: string;
  subnet?: string;
  gateway?: string;
  /** `-o key=value` (com.docker.network.windowsshim.* and others, kept as given). */
  options?: Record<string, string>;
  labels?: Record<string, string>;
  internal?: boolean;
  attachable?: boolean;
  /** Unix ms. */
  created: number;
  /** The predefined networks (nat, none) cannot be removed. */
  predefined?: boolean;
  /** Whether the subnet was configured (given at create, or nat's from HNS) rather than picked; default: whether `subnet` is given. */
  staticSubnet?: boolean;
}

export class Network {
  readonly id: string;
  readonly hnsId: string;
  readonly name: string;
  readonly driver: NetworkDriver;
  readonly subnet: Subnet | undefined;
  readonly pool: AddressPool | undefined;
  readonly options: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly created: number;
  readonly predefined: boolean;
  /**
   * A configured subnet (libnetwork IpamConf.IsStatic: a preferred pool was
   * given). Only such a network takes a requested endpoint address
   * (`--ip`); one whose subnet HNS picked refuses it.
   */
  readonly staticSubnet: boolean;
  /** By container id. */
  readonly endpoints = new Map<string, Endpoint>();

  constructor(o: NetworkOptions, autoSubnet: () => string) {
    this.name = o.name;
    this.driver = o.driver as NetworkDriver;
    // docker's ids are 64 hex digits; derived from the name and creation time, not random (style.md).
    this.id = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => hash32(`${o.name}/${o.created}/${i}`).toString(16).padStart(8, '0')).join('');
    this.hnsId = guidFrom(`hns/${this.id}`);
    this.options = { ...(o.options ?? {}) };
    this.labels = { ...(o.labels ?? {}) };
    this.internal = o.internal === true || this.driver === 'internal';
    this.attachable = o.attachable === true;
    this.created = o.created;
    this.predefined = o.predefined === true;
    this.staticSubnet = this.driver !== 'null' && (o.staticSubnet ?? o.subnet !== undefined);
    if (this.driver !== 'null') {
      this.subnet = parseSubnet(o.subnet ?? autoSubnet());
      this.pool = new AddressPool(this.subnet, o.gateway);
    }
  }

  /** A user-defined network: its containers resolve each other by name (moby's embedded DNS). */
  get userDefined(): boolean {
    return !this.predefined;
  }

  /** The gateway (WinNAT's host-side vEthernet address), empty where there is none. */
  get gateway(): string {
    return this.pool && !this.internal ? this.pool.gateway : '';
  }
}
