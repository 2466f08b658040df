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
import { hash32, isIpv4 } from './ipam.js';
import { NET_LIMITS } from './limits.js';
import type { Endpoint } from './network.js';
import { socketPair } from './socket-pair.js';

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

export class ContainerStack implements NetworkStack {
  private readonly listeners = new Map<number, (socket: Duplex) => void>();
  private readonly datagrams = new Map<number, DatagramHandler>();
  private nextEphemeral: number = NET_LIMITS.ephemeralFirst;
  /** Accepted and connected sockets still open (closed when the container stops). */
  private readonly open = new Set<Duplex>();
  closed = false;

  constructor(
    readonly containerId: string,
    readonly hostName: string,
    readonly endpoints: Endpoint[],
    private readonly router: StackRouter,
    public silo: Silo | undefined,
    /** The container's name (`--network container:NAME` finds it by it). */
    readonly containerName: string = '',
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
        // WinNAT's gateway is the container's DNS server (it proxies the host's resolvers).
        dnsServers: n.gateway ? [n.gateway] : [],
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
    return found ? { address: found, family: 4, canonical: name } : undefined;
  }

  isLocal(address: string): boolean {
    const a = address.toLowerCase().replace(/%\d+$/, '');
    if (a === '::1' || a.startsWith('127.') || a === '0.0.0.0') return true;
    return this.endpoints.some((e) => e.ipv4 === a);
  }

  answersPing(address: string): boolean {
    if (this.isLocal(address)) return true;
    const r = this.router.route(this, address);
    return r !== undefined;
  }

  async connect(address: string, port: number, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Duplex> {
    const target = this.isLocal(address) ? this : this.router.route(this, address);
    if (target instanceof ContainerStack) {
      const client = target.accept(port, { address: this.isLocal(address) ? address : (this.endpoints[0]?.ipv4 ?? address), port: this.ephemeral() }, address);
      // Each side belongs to its own compartment: a stopping container resets its end, the peer reads the end of the stream.
      this.track(client);
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
  accept(port: number, from: { address: string; port: number }, localAddress: string): Duplex {
    const handler = this.handlerFor(port);
    if (!handler) throw new Win32Error('connect', WSAECONNREFUSED, `${localAddress}:${port}`);
    const [client, server] = socketPair(from, { address: localAddress, port });
    this.track(server);
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
    const target = this.isLocal(address) ? this : this.router.route(this, address);
    if (!(target instanceof ContainerStack)) return false;
    const h = target.datagrams.get(port);
    if (!h) return false;
    h(data, { address: this.isLocal(address) ? address : (this.endpoints[0]?.ipv4 ?? ''), port: fromPort ?? this.ephemeral() });
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
