/** The network layer's limits (style.md: one typed limits object per layer). */
export const NET_LIMITS = {
  /**
   * How long a connect() to an address nobody answers waits before
   * WSAETIMEDOUT: Windows sends the SYN, then TcpMaxConnectRetransmissions
   * (2) retries at 3 s doubling — 3 + 6 + 12 = 21 s.
   */
  connectTimeoutMs: 21_000,
  /** Bytes an in-memory socket buffers before send() waits (the default SO_SNDBUF is 64 KiB). */
  socketBufferBytes: 64 * 1024,
  /** Networks a host holds (HNS has no documented cap; ours). */
  maxNetworks: 256,
  /** The first host port `-P` picks from: Windows' dynamic port range starts at 49152 (netsh int ipv4 show dynamicport tcp). */
  ephemeralFirst: 49152,
  ephemeralLast: 65535,
  /**
   * WinNAT's UDP session idle timeout: `Get-NetNat` shows
   * `UdpIdleSessionTimeout : 120` (seconds) on a NAT left at its defaults.
   * A reply from the container to a host client of a published UDP port
   * finds its way back while the session lives.
   */
  udpIdleSessionTimeoutMs: 120_000,
  /**
   * `UdpInboundRefresh : False` (Get-NetNat's default): datagrams from the
   * outside do not refresh a session, only the container's replies do.
   */
  udpInboundRefresh: false,
  /** UDP sessions one container's published ports keep at once (no documented cap; ours): beyond it the oldest is dropped. */
  maxUdpSessions: 16_384,
} as const;
