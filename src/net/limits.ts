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
} as const;
