/**
 * Published ports (`-p [IP:]HOSTPORT:CTRPORT[/tcp|udp]`, `-P`): WinNAT's
 * static mappings, as real listeners on this machine. A TCP connection to
 * the host port is handed to whatever listens on the container port (the
 * host's socket itself: bytes flow both ways with no copy); nothing
 * listening resets it, as a RST from the container would.
 *
 * UDP: a datagram to the host port reaches the container's socket bound to
 * the container port, with the host client's address and port as its
 * source (WinNAT rewrites the destination only). It opens a session for
 * that client — as WinNAT keeps one per external address and port — and a
 * datagram the container sends from the container port to that address and
 * port (a reply to recvfrom's source) leaves through the host port, so the
 * client sees the answer come from where it sent. A session idles out after
 * Get-NetNat's UdpIdleSessionTimeout (120 s), refreshed by the container's
 * replies only (UdpInboundRefresh False); a reply after that is lost, as
 * WinNAT drops it.
 *
 * Only TCP and UDP map: moby's Windows driver refuses anything else
 * (daemon/libnetwork/drivers/windows/windows.go ConvertPortBindings:
 * `invalid protocol sctp`), failing the endpoint's creation.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv4, isIPv6, type Server, type Socket } from 'node:net';
import { NET_LIMITS } from './limits.js';
import type { ContainerStack } from './stack.js';

export interface PortBinding {
  containerPort: number;
  /** sctp passes the CLI's parse (go-connections) and the API; Windows refuses it at the endpoint (unsupportedProtocol). */
  protocol: 'tcp' | 'udp' | 'sctp';
  /** '' or 0.0.0.0: every address. */
  hostIp: string;
  /** 0: an ephemeral port the system picks. */
  hostPort: number;
  /** A range `hostPort`–`hostPortEnd`: the first port of it that is free. */
  hostPortEnd?: number;
}

export interface PublishedPort {
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp';
  readonly hostIp: string;
  readonly hostPort: number;
}

/**
 * The first binding's protocol Windows cannot map (moby's ConvertPortBindings
 * accepts TCP and UDP only, upper-cased), or undefined.
 */
export function unsupportedProtocol(bindings: readonly PortBinding[]): string | undefined {
  return bindings.find((b) => b.protocol !== 'tcp' && b.protocol !== 'udp')?.protocol;
}

/** moby's texts (daemon/libnetwork/drivers/windows/windows.go ConvertPortBindings). */
export const NAT_HOST_IP_REFUSED = 'Windows does not support host IP addresses in NAT settings';
export const NAT_HOST_PORT_RANGE_REFUSED = 'Windows does not support more than one host port in NAT settings';

/**
 * Why the Windows driver refuses these bindings for an endpoint on a
 * network of `driver`, or undefined: ConvertPortBindings' checks, binding
 * by binding, in its order — the protocol (TCP/UDP only), a host port
 * range, a host IP other than unspecified (`''`, `0.0.0.0`, `::` pass).
 * A range survives only on l2bridge and l2tunnel, where CreateEndpoint
 * first has the port allocator narrow it to one free port
 * (port_mapping.go allocatePort); on nat, transparent, ics, internal and
 * private it reaches ConvertPortBindings as a range and is refused. The
 * null driver creates no endpoint, so nothing is checked there.
 */
export function endpointPortPolicyError(bindings: readonly PortBinding[], driver: string): string | undefined {
  if (driver === 'null') return undefined;
  const narrowed = driver === 'l2bridge' || driver === 'l2tunnel';
  for (const b of bindings) {
    if (b.protocol !== 'tcp' && b.protocol !== 'udp') return `invalid protocol ${b.protocol}`;
    if (!narrowed && b.hostPortEnd !== undefined && b.hostPortEnd > b.hostPort) return NAT_HOST_PORT_RANGE_REFUSED;
    if (b.hostIp !== '' && !isUnspecifiedAddress(b.hostIp)) return NAT_HOST_IP_REFUSED;
  }
  return undefined;
}

/**
 * Go's netip.Addr.IsUnspecified on the HostIp text: 0.0.0.0 or the IPv6
 * all-zero address in any spelling (`::`, `0:0::0`); an IPv4-mapped
 * `::ffff:0.0.0.0` is not (netip compares with IPv6Unspecified exactly).
 */
export function isUnspecifiedAddress(ip: string): boolean {
  const v = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (isIPv4(v)) return v === '0.0.0.0';
  if (!isIPv6(v)) return false;
  // A trailing dotted quad is the low 32 bits: `::0.0.0.0` is all zeros, `::ffff:0.0.0.0` is not.
  const groups = v.split(':');
  if (v.includes('.') && groups.pop() !== '0.0.0.0') return false;
  return groups.every((g) => g === '' || /^0+$/.test(g));
}

/** A WinNAT UDP session: one host client (address, port) of one published container port. */
interface UdpSession {
  /** The host socket the client sent to: replies leave through it. */
  socket: UdpSocket;
  /** When a packet last refreshed the session (the controller's clock, ms). */
  last: number;
}

export interface PortPublisherOptions {
  /** The clock sessions idle against (ms); the controller's. */
  readonly now?: () => number;
}

export class PortPublisher {
  readonly published: PublishedPort[] = [];
  private readonly servers: Server[] = [];
  private readonly udp: UdpSocket[] = [];
  private readonly sockets = new Set<Socket>();
  /** UDP sessions by `containerPort|address|port`, oldest first (Map order). */
  private readonly sessions = new Map<string, UdpSession>();
  private readonly now: () => number;

  constructor(
    private readonly stack: ContainerStack,
    options: PortPublisherOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Live UDP sessions (an expired one is dropped on sight). */
  get udpSessions(): number {
    this.sweep();
    return this.sessions.size;
  }

  /** The stack's way out to host clients (ContainerStack.udpReturn). */
  private readonly returnPath = (fromPort: number, address: string, port: number, data: Uint8Array): boolean => this.toHost(fromPort, address, port, data);

  async open(bindings: readonly PortBinding[]): Promise<void> {
    if (bindings.some((b) => b.protocol === 'udp')) this.stack.udpReturn = this.returnPath;
    for (const b of bindings) {
      const host = b.hostIp === '' ? '0.0.0.0' : b.hostIp;
      if (b.protocol === 'udp') {
        const s = await this.bindUdp(host, b);
        this.udp.push(s);
        s.on('error', () => undefined);
        s.on('message', (msg, rinfo) => this.fromHost(s, b.containerPort, msg, rinfo.address, rinfo.port));
        this.published.push({ containerPort: b.containerPort, protocol: 'udp', hostIp: host, hostPort: s.address().port });
        continue;
      }
      // Refused before this on a network with a driver (the controller); without one (none) nothing maps it.
      if (b.protocol !== 'tcp') continue;
      const server = createServer({ noDelay: true }, (socket) => {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
        // WinNAT forwards it to the container's vNIC: its bytes count on the container's endpoint (docker stats).
        this.stack.meterHostSocket(socket);
        if (!this.stack.acceptForwarded(b.containerPort, socket)) socket.resetAndDestroy();
      });
      this.servers.push(server);
      const last = b.hostPortEnd !== undefined && b.hostPortEnd > b.hostPort ? b.hostPortEnd : b.hostPort;
      for (let port = b.hostPort; ; port++) {
        try {
          await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen({ host, port, exclusive: true }, () => {
              server.off('error', reject);
              resolve();
            });
          });
          break;
        } catch (e) {
          if (port >= last || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
        }
      }
      server.on('error', () => undefined);
      const addr = server.address();
      this.published.push({ containerPort: b.containerPort, protocol: 'tcp', hostIp: host, hostPort: typeof addr === 'object' && addr ? addr.port : b.hostPort });
    }
  }

  /** A UDP socket on the host port (the first free one of a range), as the TCP listener takes it. */
  private async bindUdp(host: string, b: PortBinding): Promise<UdpSocket> {
    const last = b.hostPortEnd !== undefined && b.hostPortEnd > b.hostPort ? b.hostPortEnd : b.hostPort;
    for (let port = b.hostPort; ; port++) {
      const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      try {
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.bind({ port, address: host, exclusive: true }, () => {
            s.off('error', reject);
            resolve();
          });
        });
        return s;
      } catch (e) {
        try {
          s.close();
        } catch {
          // never bound
        }
        if (port >= last || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      }
    }
  }

  /** A datagram from a host client: into the container, opening (or finding) the client's session. */
  private fromHost(socket: UdpSocket, containerPort: number, msg: Buffer, address: string, port: number): void {
    const key = `${containerPort}|${address}|${port}`;
    const now = this.now();
    const live = this.session(key, now);
    if (!live) {
      this.sessions.set(key, { socket, last: now });
      if (this.sessions.size > NET_LIMITS.maxUdpSessions) this.sweep(now);
      // Still full of live sessions: the oldest goes (DECIDED: WinNAT's own cap and choice are not documented).
      if (this.sessions.size > NET_LIMITS.maxUdpSessions) this.sessions.delete(this.sessions.keys().next().value!);
    } else if (NET_LIMITS.udpInboundRefresh) live.last = now;
    if (this.stack.deliverDatagram(containerPort, new Uint8Array(msg.buffer, msg.byteOffset, msg.length), { address, port })) this.stack.meterDatagram(undefined, 'rx', msg.length);
  }

  /**
   * A datagram the container sends from `fromPort` to `address:port`: when
   * it answers a live session it leaves through the session's host socket
   * (true); otherwise it is not the publisher's (false).
   */
  private toHost(fromPort: number, address: string, port: number, data: Uint8Array): boolean {
    const now = this.now();
    const s = this.session(`${fromPort}|${address}|${port}`, now);
    if (!s) return false;
    s.last = now;
    try {
      s.socket.send(data, port, address);
    } catch {
      // The socket closed under the reply (the container is stopping): the datagram is lost, as on the wire.
    }
    return true;
  }

  private session(key: string, now: number): UdpSession | undefined {
    const s = this.sessions.get(key);
    if (!s) return undefined;
    if (now - s.last >= NET_LIMITS.udpIdleSessionTimeoutMs) {
      this.sessions.delete(key);
      return undefined;
    }
    return s;
  }

  private sweep(now: number = this.now()): void {
    for (const [key, s] of this.sessions) if (now - s.last >= NET_LIMITS.udpIdleSessionTimeoutMs) this.sessions.delete(key);
  }

  /** Closes the listeners and resets the connections still open (the container stopped). */
  async close(): Promise<void> {
    if (this.stack.udpReturn === this.returnPath) this.stack.udpReturn = undefined;
    this.sessions.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
    for (const u of this.udp) {
      try {
        u.close();
      } catch {
        // not bound
      }
    }
    this.servers.length = 0;
    this.udp.length = 0;
  }
}
