/**
 * Published ports (`-p [IP:]HOSTPORT:CTRPORT[/tcp|udp]`, `-P`): WinNAT's
 * static mappings, as real listeners on this machine. A TCP connection to
 * the host port is handed to whatever listens on the container port (the
 * host's socket itself: bytes flow both ways with no copy); nothing
 * listening resets it, as a RST from the container would. UDP datagrams go
 * to the container's bound port and replies come back from the host port.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { ContainerStack } from './stack.js';

export interface PortBinding {
  containerPort: number;
  protocol: 'tcp' | 'udp';
  /** '' or 0.0.0.0: every address. */
  hostIp: string;
  /** 0: an ephemeral port the system picks. */
  hostPort: number;
}

export interface PublishedPort {
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp';
  readonly hostIp: string;
  readonly hostPort: number;
}

export class PortPublisher {
  readonly published: PublishedPort[] = [];
  private readonly servers: Server[] = [];
  private readonly udp: UdpSocket[] = [];
  private readonly sockets = new Set<Socket>();

  constructor(private readonly stack: ContainerStack) {}

  async open(bindings: readonly PortBinding[]): Promise<void> {
    for (const b of bindings) {
      const host = b.hostIp === '' ? '0.0.0.0' : b.hostIp;
      if (b.protocol === 'udp') {
        const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
        this.udp.push(s);
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.bind(b.hostPort, host, () => {
            s.off('error', reject);
            resolve();
          });
        });
        s.on('error', () => undefined);
        s.on('message', (msg, rinfo) => {
          this.stack.deliverDatagram(b.containerPort, new Uint8Array(msg), { address: rinfo.address, port: rinfo.port });
        });
        this.published.push({ containerPort: b.containerPort, protocol: 'udp', hostIp: host, hostPort: s.address().port });
        continue;
      }
      const server = createServer({ noDelay: true }, (socket) => {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
        if (!this.stack.acceptForwarded(b.containerPort, socket)) socket.resetAndDestroy();
      });
      this.servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port: b.hostPort, exclusive: true }, () => {
          server.off('error', reject);
          resolve();
        });
      });
      server.on('error', () => undefined);
      const addr = server.address();
      this.published.push({ containerPort: b.containerPort, protocol: 'tcp', hostIp: host, hostPort: typeof addr === 'object' && addr ? addr.port : b.hostPort });
    }
  }

  /** Closes the listeners and resets the connections still open (the container stopped). */
  async close(): Promise<void> {
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
