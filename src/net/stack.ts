/**
 * A container's network compartment: its adapters (one per attached
 * network), its listening sockets and datagram bindings, and the Winsock
 * calls programs make through ctx.net (NetworkStack in
 * src/kernel/process/context.ts). Routing between compartments is the
 * controller's (controller.ts): same network, by IP; names through the
 * embedded DNS on user-defined networks.
 *
 * HTTP.sys: a port nothing has bound may still be served by the kernel's
 * HTTP listener for a URL reservation a service registered — IIS's W3SVC
 * registers `http://*:80/` while it runs (iis/http-sys.ts). A bind() of a
 * port HTTP.sys holds would succeed on Windows (port sharing is HTTP.sys's
 * own); we let the program's socket win (DECIDED).
 */
import type { Duplex } from 'node:stream';
import { WSAEADDRINUSE, WSAECONNREFUSED, WSAETIMEDOUT, Win32Error } from '../core/win32.js';
import type { NetAdapterInfo, NetListener, NetworkStack } from '../kernel/process/context.js';
import type { Silo } from '../kernel/silo/silo.js';
import { hash32, inSubnet, isIpv4 } from './ipam.js';
import { NET_LIMITS } from './limits.js';
import type { Endpoint } from './network.js';
import { meterSocket, socketPair } from './socket-pair.js';

/** What the controller offers a stack (routing and the DNS). */
export interface StackRouter {
  /** The compartment holding `address` on a network `from` shares; 'gateway' for a network's gateway; undefined: nobody answers. */
  route(from: ContainerStack, address: string): ContainerStack | 'gateway' | undefined;
  /** The embedded DNS: a container name or alias on a user-defined network `from` is on. */
  lookup(from: ContainerStack, name: string): string | undefined;
  /** HTTP.sys: the handler for `port` of the silo, if a service registered one. */
  httpSys(silo: Silo | undefined, port: number, serverIp: () => string): ((socket: Duplex) => void) | undefined;
}

type DatagramHandler = (data: Uint8Array, from: { address: string; port: number }) => void;

/**
 * An endpoint's counters as HNS keeps them (GET /endpointstats/<id>;
 * docker stats' `networks`): bytes and packets each way, drops. Windows
 * fills no error counters (moby daemon/stats_windows.go).
 */
export interface EndpointStatistics {
  /** The HNS endpoint id, the key of docker stats' `networks` on Windows. */
  readonly endpointId: string;
  rxBytes: number;
  rxPackets: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txDropped: number;
}

/**
 * Bytes per segment: the TCP MSS of a 1500-byte Ethernet MTU. DECIDED: a
 * stream's packets are counted as its bytes cut in MSS-sized segments per
 * send (ACKs, handshakes and headers are not modelled: the counters are
 * payload bytes, as the socket layer knows them).
 */
const MSS = 1460;

function segments(bytes: number): number {
  return bytes === 0 ? 0 : Math.ceil(bytes / MSS);
}

export class ContainerStack implements NetworkStack {
  private readonly listeners = new Map<number, (socket: Duplex) => void>();
  private readonly datagrams = new Map<number, DatagramHandler>();
  private nextEphemeral: number = NET_LIMITS.ephemeralFirst;
  /** Accepted and connected sockets still open (closed when the container stops). */
  private readonly open = new Set<Duplex>();
  /** Counters by endpoint id (they live as long as the compartment: a restart starts from zero, as a new HNS endpoint does). */
  private readonly counters = new Map<string, EndpointStatistics>();
  /** Host sockets from published ports, read at each statistics() (node counts their bytes), by endpoint id. */
  private readonly hostSockets = new Map<Duplex, { endpoint: string; rx: number; tx: number }>();
  closed = false;
  /**
   * @internal WinNAT's way back to host clients of published UDP ports
   * (set by the PortPublisher): true when a datagram from `fromPort` to
   * `address:port` answered a live session and left through the host.
   */
  udpReturn: ((fromPort: number, address: string, port: number, data: Uint8Array) => boolean) | undefined;

  constructor(
    readonly containerId: string,
    readonly hostName: string,
    readonly endpoints: Endpoint[],
    private readonly router: StackRouter,
    public silo: Silo | undefined,
    /** The container's name (`--network container:NAME` finds it by it). */
    readonly containerName: string = '',
    /** `--dns` servers (empty: the gateway, WinNAT's DNS proxy) and `--dns-search` suffixes. */
    readonly dns: { readonly servers: readonly string[]; readonly search: readonly string[] } = { servers: [], search: [] },
  ) {}

  adapters(): readonly NetAdapterInfo[] {
    return this.endpoints.map((e) => {
      const n = e.network;
      const h = hash32(e.nic);
      const ll = [(h >>> 16) & 0xffff, h & 0xffff, hash32(e.id) >>> 16, hash32(e.id) & 0xffff].map((x) => x.toString(16)).join(':');
      return {
        connectionName: `vEthernet (Container NIC ${e.nic})`,
        description: 'Hyper-V Virtual Ethernet Container Adapter',
        mac: e.mac,
        ipv4: e.ipv4,
        prefixLength: n.subnet!.prefixLength,
        subnetMask: n.subnet!.mask,
        gateway: n.gateway,
        // WinNAT's gateway is the container's DNS server (it proxies the host's resolvers); --dns replaces it (moby: the endpoint's DNSServerList).
        dnsServers: this.dns.servers.length > 0 ? this.dns.servers : n.gateway ? [n.gateway] : [],
        dnsSuffixSearchList: this.dns.search,
        linkLocal: `fe80::${ll}%${e.ifIndex}`,
        ifIndex: e.ifIndex,
        network: n.name,
      };
    });
  }

  resolve(name: string): { address: string; family: 4 | 6; canonical: string } | undefined {
    const n = name.toLowerCase().replace(/\.$/, '');
    if (isIpv4(n)) return { address: n, family: 4, canonical: n };
    if (n === '::1' || (n.includes(':') && /^[0-9a-f:]+(%\d+)?$/.test(n))) return { address: n, family: 6, canonical: n };
    // Windows answers "localhost" with ::1 first and names it by the computer's host name.
    if (n === 'localhost') return { address: '::1', family: 6, canonical: this.hostName };
    if (n === this.hostName.toLowerCase() && this.endpoints[0]) return { address: this.endpoints[0].ipv4, family: 4, canonical: this.hostName };
    const found = this.router.lookup(this, n);
    if (found) return { address: found, family: 4, canonical: name };
    // The DNS client's suffix search list (--dns-search): a single-label name is tried with each suffix in turn.
    if (!n.includes('.')) {
      for (const suffix of this.dns.search) {
        const fqdn = `${n}.${suffix.toLowerCase().replace(/^\.|\.$/g, '')}`;
        const hit = this.router.lookup(this, fqdn);
        if (hit) return { address: hit, family: 4, canonical: fqdn };
      }
    }
    return undefined;
  }

  isLocal(address: string): boolean {
    const a = address.toLowerCase().replace(/%\d+$/, '');
    if (a === '::1' || a.startsWith('127.') || a === '0.0.0.0' || a === '::') return true;
    // The adapters' own IPv4 and link-local IPv6 addresses (the zone index dropped).
    return this.endpoints.some((e) => e.ipv4 === a) || (a.startsWith('fe80:') && this.adapters().some((x) => x.linkLocal.replace(/%\d+$/, '') === a));
  }

  answersPing(address: string): boolean {
    if (this.isLocal(address)) return true;
    const r = this.router.route(this, address);
    return r !== undefined;
  }

  async connect(address: string, port: number, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Duplex> {
    const target = this.isLocal(address) ? this : this.router.route(this, address);
    if (target instanceof ContainerStack) {
      const local = this.isLocal(address);
      const from = local ? address : (this.endpointFor(address)?.ipv4 ?? address);
      const client = target.accept(port, { address: from, port: this.ephemeral() }, address, local ? undefined : target.endpointFor(from));
      // Each side belongs to its own compartment: a stopping container resets its end, the peer reads the end of the stream.
      this.track(client);
      // Loopback traffic never reaches the adapter; the rest counts on the endpoint of the network it crosses.
      if (!local) this.meter(client, this.endpointFor(address));
      return client;
    }
    if (target === 'gateway') throw new Win32Error('connect', WSAECONNREFUSED, `${address}:${port}`);
    // No host answers: the SYN goes unanswered until the connect timeout.
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, options.timeoutMs ?? NET_LIMITS.connectTimeoutMs);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      });
    });
    throw new Win32Error('connect', WSAETIMEDOUT, `${address}:${port}`);
  }

  /** An incoming connection to `port` from `from`: the connecting side's socket, or WSAECONNREFUSED (a RST). */
  accept(port: number, from: { address: string; port: number }, localAddress: string, via?: Endpoint): Duplex {
    const handler = this.handlerFor(port);
    if (!handler) throw new Win32Error('connect', WSAECONNREFUSED, `${localAddress}:${port}`);
    const [client, server] = socketPair(from, { address: localAddress, port });
    this.track(server);
    if (via) this.meter(server, via);
    handler(server);
    return client;
  }

  /** A connection forwarded from a published host port: the host's socket itself is handed over (no copy); false: nothing listens (the caller resets it). */
  acceptForwarded(port: number, socket: Duplex): boolean {
    const handler = this.handlerFor(port);
    if (!handler) return false;
    this.track(socket);
    handler(socket);
    return true;
  }

  private handlerFor(port: number): ((socket: Duplex) => void) | undefined {
    if (this.closed) return undefined;
    return this.listeners.get(port) ?? this.router.httpSys(this.silo, port, () => this.endpoints[0]?.ipv4 ?? '-');
  }

  /** The endpoint on the network holding `address` (the first endpoint for anything else: the default route). */
  endpointFor(address: string): Endpoint | undefined {
    return this.endpoints.find((e) => e.network.subnet && inSubnet(e.network.subnet, address)) ?? this.endpoints[0];
  }

  private countersOf(ep: Endpoint): EndpointStatistics {
    let c = this.counters.get(ep.id);
    if (!c) {
      c = { endpointId: ep.hnsId, rxBytes: 0, rxPackets: 0, rxDropped: 0, txBytes: 0, txPackets: 0, txDropped: 0 };
      this.counters.set(ep.id, c);
    }
    return c;
  }

  private meter(s: Duplex, ep: Endpoint | undefined): void {
    if (!ep) return;
    const c = this.countersOf(ep);
    meterSocket(s, (dir, n) => {
      if (dir === 'rx') {
        c.rxBytes += n;
        c.rxPackets += segments(n);
      } else {
        c.txBytes += n;
        c.txPackets += segments(n);
      }
    });
  }

  /** A connection from a published port (a host socket; node counts its bytes), on the container's first endpoint. */
  meterHostSocket(s: Duplex & { bytesRead?: number; bytesWritten?: number }): void {
    const ep = this.endpoints[0];
    if (!ep) return;
    this.countersOf(ep);
    const entry = { endpoint: ep.id, rx: 0, tx: 0 };
    this.hostSockets.set(s, entry);
    s.once('close', () => {
      this.foldHostSocket(s, entry);
      this.hostSockets.delete(s);
    });
  }

  private foldHostSocket(s: Duplex & { bytesRead?: number; bytesWritten?: number }, entry: { endpoint: string; rx: number; tx: number }): void {
    const c = this.counters.get(entry.endpoint);
    if (!c) return;
    const rx = s.bytesRead ?? 0;
    const tx = s.bytesWritten ?? 0;
    c.rxBytes += rx - entry.rx;
    c.txBytes += tx - entry.tx;
    // Segments of what arrived since the last look (an estimate: node reports totals, not sends).
    c.rxPackets += segments(rx - entry.rx);
    c.txPackets += segments(tx - entry.tx);
    entry.rx = rx;
    entry.tx = tx;
  }

  /** A datagram sent or received on the endpoint towards `address` (undefined: the first endpoint). */
  meterDatagram(address: string | undefined, dir: 'rx' | 'tx', bytes: number): void {
    const ep = address === undefined ? this.endpoints[0] : this.endpointFor(address);
    if (!ep) return;
    const c = this.countersOf(ep);
    if (dir === 'rx') {
      c.rxBytes += bytes;
      c.rxPackets++;
    } else {
      c.txBytes += bytes;
      c.txPackets++;
    }
  }

  /** Each endpoint's counters now (docker stats' `networks`), in endpoint order. */
  statistics(): EndpointStatistics[] {
    for (const [s, entry] of this.hostSockets) this.foldHostSocket(s, entry);
    return this.endpoints.map((e) => ({ ...this.countersOf(e) }));
  }

  private track(s: Duplex): void {
    this.open.add(s);
    s.once('close', () => this.open.delete(s));
  }

  listen(port: number, onConnection: (socket: Duplex) => void): NetListener {
    if (this.listeners.has(port)) throw new Win32Error('bind', WSAEADDRINUSE, `0.0.0.0:${port}`);
    this.listeners.set(port, onConnection);
    return {
      port,
      close: () => {
        if (this.listeners.get(port) === onConnection) this.listeners.delete(port);
      },
    };
  }

  sendDatagram(address: string, port: number, data: Uint8Array, fromPort?: number): boolean {
    // A reply to a host client of a published port: WinNAT's session takes it out through the host port (publish.ts).
    if (fromPort !== undefined && !this.closed && this.udpReturn?.(fromPort, address, port, data)) {
      this.meterDatagram(undefined, 'tx', data.length);
      return true;
    }
    const target = this.isLocal(address) ? this : this.router.route(this, address);
    if (!(target instanceof ContainerStack)) return false;
    const h = target.datagrams.get(port);
    const local = this.isLocal(address);
    // A datagram nobody receives still left the sender's adapter (UDP has no refusal here).
    if (!local) this.meterDatagram(address, 'tx', data.length);
    if (!h) return false;
    const from = local ? address : (this.endpointFor(address)?.ipv4 ?? '');
    if (!local) target.meterDatagram(from, 'rx', data.length);
    h(data, { address: from, port: fromPort ?? this.ephemeral() });
    return true;
  }

  bindDatagram(port: number, onMessage: DatagramHandler): NetListener {
    if (this.datagrams.has(port)) throw new Win32Error('bind', WSAEADDRINUSE, `0.0.0.0:${port}`);
    this.datagrams.set(port, onMessage);
    return { port, close: () => void this.datagrams.delete(port) };
  }

  /** @internal A datagram from a published UDP port. */
  deliverDatagram(port: number, data: Uint8Array, from: { address: string; port: number }): boolean {
    const h = this.datagrams.get(port);
    if (!h || this.closed) return false;
    h(data, from);
    return true;
  }

  private ephemeral(): number {
    const p = this.nextEphemeral;
    this.nextEphemeral = p >= NET_LIMITS.ephemeralLast ? NET_LIMITS.ephemeralFirst : p + 1;
    return p;
  }

  /** The container stopped: listeners gone, open connections reset. */
  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.datagrams.clear();
    for (const s of [...this.open]) s.destroy();
    this.open.clear();
  }
}
