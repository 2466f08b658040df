/**
 * The host's networks (what HNS and moby's network controller keep): the
 * predefined `nat` and `none`, user-defined ones, each container's
 * endpoints and compartment (stack.ts), the embedded DNS, and published
 * ports (publish.ts).
 *
 * Errors are NetworkError with the HTTP status and moby's text:
 *  - `network with name X already exists` (409),
 *  - `network X not found` (404),
 *  - `X is a pre-defined network and cannot be removed` (403),
 *  - `error while removing network: network X id Y has active endpoints` (403),
 *  - `plugin "X" not found` (404, an unknown driver),
 *  - overlay without a swarm: docker's `This node is not a swarm manager. …` (403).
 */
import type { Duplex } from 'node:stream';
import { SILO_NETWORKS } from '../kernel/process/context-impl.js';
import type { Silo } from '../kernel/silo/silo.js';
import { httpSysHandler } from './iis/http-sys.js';
import { guidFrom, hash32, hyperVMac, inSubnet, isIpv4, parseSubnet } from './ipam.js';
import { NET_LIMITS } from './limits.js';
import { Network, WINDOWS_NETWORK_DRIVERS, type Endpoint } from './network.js';
import { endpointPortPolicyError, PortPublisher, type PortBinding, type PublishedPort } from './publish.js';
import { ContainerStack, type StackRouter } from './stack.js';

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 500,
    message: string,
  ) {
    super(message);
  }
}

/** The default nat network's internal prefix. */
export const NAT_DEFAULT_SUBNET = '172.26.96.0/20';

export const SWARM_REQUIRED = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';

export interface CreateNetworkRequest {
  name: string;
  driver?: string;
  subnet?: string;
  gateway?: string;
  options?: Record<string, string>;
  labels?: Record<string, string>;
  internal?: boolean;
  attachable?: boolean;
}

/** What a container asks of the network at its start. */
export interface AttachRequest {
  containerId: string;
  containerName: string;
  hostName: string;
  /** NetworkMode: `nat` (default), `none`, or a network's name/id. */
  network: string;
  /** Further networks (further EndpointsConfig entries, docker network connect while stopped), with what was asked there. */
  extra?: { network: string; aliases?: string[]; ipv4Address?: string; macAddress?: string }[];
  aliases?: string[];
  ipv4Address?: string;
  /** The primary endpoint's requested MAC, HNS's form (`00-15-5D-AA-BB-CC`); absent: one from HNS's pool. */
  macAddress?: string;
  ports?: PortBinding[];
  /** `--dns`: the DNS servers of the container's endpoints (instead of the gateway). */
  dns?: string[];
  /** `--dns-search`: the DNS suffix search list. */
  dnsSearch?: string[];
}

/** What a data root keeps of a user-defined network (src/host/records.ts NetworkRecord). */
export interface StoredNetwork {
  name: string;
  driver: string;
  subnet: string;
  gateway: string;
  options: Record<string, string>;
  labels: Record<string, string>;
  internal: boolean;
  attachable: boolean;
  created: number;
  /** Whether `subnet` was configured at create (absent in records written before it was kept: taken as configured). */
  staticSubnet?: boolean;
}

export class NetworkController implements StackRouter {
  /** Called after the user-defined networks changed (create, remove, prune): the Host writes them to its data root. */
  onChange: ((networks: StoredNetwork[]) => void) | undefined = undefined;
  private readonly networks = new Map<string, Network>();
  private readonly stacks = new Map<string, ContainerStack>();
  private readonly publishers = new Map<string, PortPublisher>();
  private nextIfIndex = 17;
  private subnetCounter = 0;
  readonly nat: Network;
  readonly none: Network;

  constructor(
    /** Seeds the nat prefix: one per host, stable across runs. */
    private readonly seed: string,
    private readonly clock: () => number,
  ) {
    // DECIDED: the host's WinNAT prefix is 172.26.96.0/20 (a /20 of 172.16.0.0/12 as HNS picks one; the value the shell's stand-in always showed).
    this.nat = this.add({ name: 'nat', driver: 'nat', subnet: NAT_DEFAULT_SUBNET, predefined: true, created: clock() });
    this.none = this.add({ name: 'none', driver: 'null', predefined: true, created: clock() });
  }

  /** A free /20 of 172.16.0.0/12, as WinNAT's internal prefix is (172.x.y.0/20); the first one derived from the host. */
  private autoSubnet(): string {
    const start = hash32(this.seed) % 256;
    for (let i = 0; i < 256; i++) {
      const k = (start + this.subnetCounter++) % 256;
      const second = 16 + (k >> 4);
      const third = (k & 15) * 16;
      const cidr = `172.${second}.${third}.0/20`;
      if (![...this.networks.values()].some((n) => n.subnet?.cidr === cidr)) return cidr;
    }
    throw new NetworkError(500, 'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
  }

  private add(o: ConstructorParameters<typeof Network>[0]): Network {
    const n = new Network(o, () => this.autoSubnet());
    this.networks.set(n.id, n);
    return n;
  }

  /** The user-defined networks as a data root keeps them. */
  stored(): StoredNetwork[] {
    return this.list()
      .filter((n) => !n.predefined)
      .map((n) => ({ name: n.name, driver: n.driver, subnet: n.subnet?.cidr ?? '', gateway: n.pool?.gateway ?? '', options: { ...n.options }, labels: { ...n.labels }, internal: n.internal, attachable: n.attachable, created: n.created, staticSubnet: n.staticSubnet }));
  }

  /**
   * Networks of a reopened data root: each comes back with its id (derived
   * from its name and creation time), subnet, gateway and options. One that
   * cannot (a name taken, a bad subnet) is skipped and returned with why.
   */
  restore(records: readonly StoredNetwork[]): { name: string; reason: string }[] {
    const problems: { name: string; reason: string }[] = [];
    for (const r of records) {
      try {
        if (this.list().some((n) => n.name === r.name)) throw new Error(`network with name ${r.name} already exists`);
        this.add({ name: r.name, driver: r.driver, subnet: r.subnet || undefined, gateway: r.gateway || undefined, options: r.options, labels: r.labels, internal: r.internal, attachable: r.attachable, created: r.created, staticSubnet: r.staticSubnet ?? true });
      } catch (e) {
        problems.push({ name: r.name, reason: (e as Error).message });
      }
    }
    return problems;
  }

  private changed(): void {
    this.onChange?.(this.stored());
  }

  list(): Network[] {
    return [...this.networks.values()];
  }

  /** By exact name, full id, or unique id prefix (moby's lookup order). */
  find(ref: string): Network | undefined {
    const all = this.list();
    return all.find((n) => n.name === ref) ?? all.find((n) => n.id === ref) ?? (() => {
      const m = all.filter((n) => n.id.startsWith(ref));
      return m.length === 1 ? m[0] : undefined;
    })();
  }

  get(ref: string): Network {
    const n = this.find(ref);
    if (!n) throw new NetworkError(404, `network ${ref} not found`);
    return n;
  }

  create(r: CreateNetworkRequest): Network {
    const driver = (r.driver || 'nat').toLowerCase();
    if (this.list().some((n) => n.name === r.name)) throw new NetworkError(409, `network with name ${r.name} already exists`);
    if (driver === 'overlay') throw new NetworkError(403, SWARM_REQUIRED);
    if (!(WINDOWS_NETWORK_DRIVERS as readonly string[]).includes(driver)) throw new NetworkError(404, `plugin "${r.driver}" not found`);
    if (driver === 'null') throw new NetworkError(403, `only one instance of "null" network is allowed`);
    if (this.networks.size >= NET_LIMITS.maxNetworks) throw new NetworkError(500, 'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network');
    if (r.subnet !== undefined) {
      let s;
      try {
        s = parseSubnet(r.subnet);
      } catch (e) {
        throw new NetworkError(400, (e as Error).message);
      }
      if (r.gateway !== undefined && (!isIpv4(r.gateway) || !inSubnet(s, r.gateway))) throw new NetworkError(403, `no matching subnet for gateway ${r.gateway}`);
      const clash = this.list().find((n) => n.subnet && (inSubnet(n.subnet, r.subnet!.split('/')[0]!) || inSubnet(s, n.subnet.cidr.split('/')[0]!)));
      // HNS refuses a prefix another network holds (moby relays it as a 500).
      if (clash) throw new NetworkError(500, `HNS failed with error : The object already exists.`);
    } else if (r.gateway !== undefined) throw new NetworkError(400, 'invalid network config: gateway specified without subnet');
    try {
      const n = this.add({ name: r.name, driver, subnet: r.subnet, gateway: r.gateway, options: r.options, labels: r.labels, internal: r.internal, attachable: r.attachable, created: this.clock() });
      this.changed();
      return n;
    } catch (e) {
      if (e instanceof NetworkError) throw e;
      throw new NetworkError(400, (e as Error).message);
    }
  }

  remove(ref: string): void {
    const n = this.get(ref);
    if (n.predefined) throw new NetworkError(403, `${n.name} is a pre-defined network and cannot be removed`);
    if (n.endpoints.size > 0) throw new NetworkError(403, `error while removing network: network ${n.name} id ${n.id} has active endpoints`);
    this.networks.delete(n.id);
    this.changed();
  }

  /** Removes the user-defined networks without endpoints (or only those `keep` accepts not); returns their names. */
  prune(keep: (n: Network) => boolean = () => false): string[] {
    const out: string[] = [];
    for (const n of this.list()) {
      if (n.predefined || n.endpoints.size > 0 || keep(n)) continue;
      this.networks.delete(n.id);
      out.push(n.name);
    }
    if (out.length > 0) this.changed();
    return out;
  }

  // ---- containers ---------------------------------------------------------

  /**
   * A starting container's endpoints and compartment, and its published
   * ports opened on the host. A host port already taken fails the start
   * with HNS's error as moby relays it (500).
   */
  async attach(r: AttachRequest, silo: Silo | undefined): Promise<ContainerStack> {
    await this.detach(r.containerId);
    if (r.network.startsWith('container:')) return this.share(r, silo);
    const endpoints: Endpoint[] = [];
    const primary = this.get(r.network === 'default' || r.network === '' ? 'nat' : r.network);
    // moby's Windows driver turns the bindings into HNS NAT policies before HNS is asked (ConvertPortBindings):
    // TCP/UDP only, one host port (a range only after l2bridge/l2tunnel's allocator), no host IP but unspecified.
    const bad = endpointPortPolicyError(r.ports ?? [], primary.driver);
    if (bad !== undefined) throw new NetworkError(500, `failed to create endpoint ${r.containerName} on network ${primary.name}: ${bad}`);
    const wanted = [
      { network: primary, aliases: r.aliases ?? [], ip: r.ipv4Address, mac: r.macAddress },
      ...(r.extra ?? []).map((x) => ({ network: this.get(x.network), aliases: x.aliases ?? [], ip: x.ipv4Address, mac: x.macAddress })),
    ];
    const stack = new ContainerStack(r.containerId, r.hostName, endpoints, this, silo, r.containerName, { servers: r.dns ?? [], search: r.dnsSearch ?? [] });
    try {
      for (const w of wanted) if (w.network.driver !== 'null' && !endpoints.some((e) => e.network === w.network)) endpoints.push(this.endpoint(w.network, r, w.aliases, w.ip, w.mac));
    } catch (e) {
      for (const ep of endpoints) this.release(ep);
      throw e instanceof NetworkError ? e : new NetworkError(500, (e as Error).message);
    }
    this.stacks.set(r.containerId, stack);
    if (silo) SILO_NETWORKS.set(silo, stack);
    if (r.ports && r.ports.length > 0) {
      const publisher = new PortPublisher(stack, { now: this.clock });
      try {
        await publisher.open(r.ports);
      } catch (e) {
        await publisher.close();
        await this.detach(r.containerId);
        const why = (e as NodeJS.ErrnoException).code === 'EADDRINUSE' || (e as NodeJS.ErrnoException).code === 'EACCES'
          ? 'failed during hnsCallRawResponse: hnsCall failed in Win32: The process cannot access the file because it is being used by another process. (0x20)'
          : `HNS failed with error : ${(e as Error).message}`;
        throw new NetworkError(500, `failed to create endpoint ${r.containerName} on network ${primary.name}: ${why}`);
      }
      this.publishers.set(r.containerId, publisher);
    }
    return stack;
  }

  /** Silos sharing another container's compartment (`--network container:X`), by container id. */
  private readonly sharing = new Map<string, { silo: Silo | undefined; stack: ContainerStack }>();

  /**
   * `--network container:X`: the silo uses X's compartment (its adapters,
   * ports and sockets), as a Windows container joins another's network
   * namespace. X must be running: moby's `cannot join network of a non
   * running container: X` (409) otherwise.
   */
  private share(r: AttachRequest, silo: Silo | undefined): ContainerStack {
    const ref = r.network.slice('container:'.length);
    const stack = [...this.stacks.values()].find((s) => s.containerId === ref || s.containerId.startsWith(ref) || s.containerName === ref);
    if (!stack) throw new NetworkError(409, `cannot join network of a non running container: ${ref}`);
    if (silo) SILO_NETWORKS.set(silo, stack);
    this.sharing.set(r.containerId, { silo, stack });
    return stack;
  }

  /** Connects a running container to one more network (docker network connect). */
  connectRunning(containerId: string, networkRef: string, r: Pick<AttachRequest, 'containerName' | 'containerId'>, aliases: string[] = [], ip?: string): Endpoint | undefined {
    const stack = this.stacks.get(containerId);
    const n = this.get(networkRef);
    if (!stack) return undefined;
    if (stack.endpoints.some((e) => e.network === n)) throw new NetworkError(403, `endpoint with name ${r.containerName} already exists in network ${n.name}`);
    if (n.driver === 'null') return undefined;
    const ep = this.endpoint(n, r, aliases, ip);
    stack.endpoints.push(ep);
    return ep;
  }

  disconnectRunning(containerId: string, networkRef: string): void {
    const stack = this.stacks.get(containerId);
    const n = this.get(networkRef);
    if (!stack) return;
    const i = stack.endpoints.findIndex((e) => e.network === n);
    if (i < 0) return;
    this.release(stack.endpoints[i]!);
    stack.endpoints.splice(i, 1);
  }

  /**
   * One HNS endpoint. A requested MAC is HNS's to take as given (moby's
   * Windows driver sets HNSEndpoint.MacAddress); HNS takes only a 48-bit
   * one, and refuses the rest as invalid.
   */
  private endpoint(n: Network, r: Pick<AttachRequest, 'containerId' | 'containerName'>, aliases: string[], ip: string | undefined, mac?: string): Endpoint {
    // DECIDED: Go's ParseMAC (moby's check at create) also takes 8- and 20-byte addresses; HNS's answer to one was not found, so it is E_INVALIDARG's text.
    if (mac !== undefined && mac.split('-').length !== 6) throw new NetworkError(500, `failed to create endpoint ${r.containerName} on network ${n.name}: HNS failed with error : The parameter is incorrect.`);
    const ipv4 = n.pool!.allocate(ip);
    const seed = `${n.id}/${r.containerId}`;
    const id = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => hash32(`${seed}#${i}`).toString(16).padStart(8, '0')).join('');
    const ep: Endpoint = {
      id,
      hnsId: guidFrom(`hns-endpoint/${id}`),
      network: n,
      containerId: r.containerId,
      containerName: r.containerName,
      aliases,
      ipv4,
      mac: mac ?? hyperVMac(seed),
      nic: hash32(`nic/${seed}`).toString(16).padStart(8, '0'),
      ifIndex: this.nextIfIndex++,
    };
    n.endpoints.set(r.containerId, ep);
    return ep;
  }

  private release(ep: Endpoint): void {
    ep.network.pool?.release(ep.ipv4);
    if (ep.network.endpoints.get(ep.containerId) === ep) ep.network.endpoints.delete(ep.containerId);
  }

  /** The container stopped: its published ports closed, connections reset, endpoints released. */
  async detach(containerId: string): Promise<void> {
    const shared = this.sharing.get(containerId);
    if (shared) {
      this.sharing.delete(containerId);
      if (shared.silo && SILO_NETWORKS.get(shared.silo) === shared.stack) SILO_NETWORKS.delete(shared.silo);
    }
    const publisher = this.publishers.get(containerId);
    this.publishers.delete(containerId);
    const stack = this.stacks.get(containerId);
    this.stacks.delete(containerId);
    if (stack) {
      if (stack.silo && SILO_NETWORKS.get(stack.silo) === stack) SILO_NETWORKS.delete(stack.silo);
      stack.close();
      for (const ep of stack.endpoints) this.release(ep);
    }
    if (publisher) await publisher.close();
  }

  /**
   * The compartment a running container's processes use: its own, or for
   * `--network container:X` X's while X runs (HCS lists X's endpoints in
   * the sharing container's EndpointList — moby initializeNetworkingPaths
   * and oci_windows.go — so its statistics are those endpoints').
   */
  stack(containerId: string): ContainerStack | undefined {
    const own = this.stacks.get(containerId);
    if (own) return own;
    const shared = this.sharing.get(containerId)?.stack;
    return shared && !shared.closed ? shared : undefined;
  }

  /** Whether the container runs in another's compartment (`--network container:X`): no endpoint of its own. */
  isSharing(containerId: string): boolean {
    return this.sharing.has(containerId);
  }

  /** The published ports of a running container (docker port). */
  ports(containerId: string): readonly PublishedPort[] {
    return this.publishers.get(containerId)?.published ?? [];
  }

  async close(): Promise<void> {
    for (const id of [...this.stacks.keys()]) await this.detach(id);
  }

  // ---- StackRouter ---------------------------------------------------------

  route(from: ContainerStack, address: string): ContainerStack | 'gateway' | undefined {
    for (const e of from.endpoints) {
      const n = e.network;
      if (n.gateway === address) return 'gateway';
      if (!n.subnet || !inSubnet(n.subnet, address)) continue;
      for (const other of n.endpoints.values()) {
        if (other.ipv4 !== address) continue;
        const s = this.stacks.get(other.containerId);
        if (s) return s;
      }
    }
    return undefined;
  }

  lookup(from: ContainerStack, name: string): string | undefined {
    const n = name.toLowerCase();
    for (const e of from.endpoints) {
      if (!e.network.userDefined) continue;
      for (const other of e.network.endpoints.values()) {
        if (other.containerName.toLowerCase() === n || other.containerId.slice(0, 12) === n || other.aliases.some((a) => a.toLowerCase() === n)) return other.ipv4;
      }
    }
    return undefined;
  }

  httpSys(silo: Silo | undefined, port: number, serverIp: () => string): ((socket: Duplex) => void) | undefined {
    return silo ? httpSysHandler(silo, port, serverIp) : undefined;
  }
}
