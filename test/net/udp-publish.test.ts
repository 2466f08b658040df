// Published UDP ports as WinNAT maps them: a datagram from a host client
// reaches the container's socket with the client's address as source; the
// container's reply to that address leaves through the host port (a
// session per client address and port); a session idles out after
// UdpIdleSessionTimeout (120 s, Get-NetNat's default), refreshed by the
// container's replies only (UdpInboundRefresh False). And the protocols
// Windows maps: TCP and UDP, nothing else (moby's ConvertPortBindings).
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, test } from 'vitest';
import { NET_LIMITS, NetworkController, NetworkError, parsePortBindings, type ContainerStack } from '../../src/net/index.js';

let now = Date.UTC(2026, 10, 23, 12);
const clock = () => now;
const opened: { n: NetworkController; sockets: Socket[] }[] = [];

afterEach(async () => {
  for (const o of opened.splice(0)) {
    for (const s of o.sockets) s.close();
    await o.n.close();
  }
});

/** A container with 53/udp published on an ephemeral loopback port, and an echo on 53 that remembers each datagram's source. */
async function echoContainer(options: { reply?: boolean } = {}) {
  const n = new NetworkController('test', clock);
  const stack = await n.attach(
    { containerId: 'a'.repeat(64), containerName: 'dns', hostName: 'dns', network: 'nat', ports: [{ containerPort: 53, protocol: 'udp', hostIp: '', hostPort: 0 }] },
    undefined,
  );
  const o = { n, sockets: [] as Socket[] };
  opened.push(o);
  const sources: { address: string; port: number }[] = [];
  const waiters: (() => void)[] = [];
  stack.bindDatagram(53, (data, from) => {
    sources.push(from);
    if (options.reply !== false) stack.sendDatagram(from.address, from.port, Buffer.concat([Buffer.from('echo:'), data]), 53);
    waiters.shift()?.();
  });
  const hostPort = n.ports('a'.repeat(64))[0]!.hostPort;
  /** A host client (node:dgram on loopback). */
  const client = async () => {
    const s = createSocket('udp4');
    o.sockets.push(s);
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    const inbox: { text: string; port: number }[] = [];
    const readers: (() => void)[] = [];
    s.on('message', (m, r) => {
      inbox.push({ text: m.toString(), port: r.port });
      readers.shift()?.();
    });
    return {
      port: s.address().port,
      /** Sends and resolves once the container received it. */
      send: (text: string) =>
        new Promise<void>((resolve) => {
          waiters.push(resolve);
          s.send(text, hostPort, '127.0.0.1');
        }),
      /** The next datagram that reaches this client. */
      next: () => new Promise<{ text: string; port: number }>((resolve) => (inbox.length > 0 ? resolve(inbox.shift()!) : readers.push(() => resolve(inbox.shift()!)))),
    };
  };
  return { n, stack, hostPort, sources, client };
}

describe('published UDP ports: WinNAT sessions', () => {
  test('a host client’s datagram reaches the container with its source; the reply comes back from the host port', async () => {
    const { hostPort, sources, client } = await echoContainer();
    const c = await client();
    await c.send('hello');
    expect(sources).toEqual([{ address: '127.0.0.1', port: c.port }]);
    expect(await c.next()).toEqual({ text: 'echo:hello', port: hostPort });
  });

  test('each host client has its own session: each gets its own replies', async () => {
    const { client, n } = await echoContainer();
    const [a, b] = [await client(), await client()];
    await a.send('from-a');
    await b.send('from-b');
    await a.send('again-a');
    expect((await a.next()).text).toBe('echo:from-a');
    expect((await a.next()).text).toBe('echo:again-a');
    expect((await b.next()).text).toBe('echo:from-b');
    // docker stats: three datagrams in, three out, on the container's endpoint.
    const st = n.stack('a'.repeat(64))!.statistics()[0]!;
    expect([st.rxPackets, st.txPackets]).toEqual([3, 3]);
    expect(st.rxBytes).toBe('from-a'.length + 'from-b'.length + 'again-a'.length);
    expect(st.txBytes).toBe(st.rxBytes + 3 * 'echo:'.length);
  });

  test('UdpIdleSessionTimeout: a reply after 120 s idle is lost; replies refresh the session', async () => {
    const { stack, sources, client } = await echoContainer({ reply: false });
    const c = await client();
    await c.send('q');
    const from = sources[0]!;
    const reply = (s: ContainerStack, text: string) => s.sendDatagram(from.address, from.port, Buffer.from(text), 53);
    now += NET_LIMITS.udpIdleSessionTimeoutMs - 1;
    expect(reply(stack, 'r1')).toBe(true);
    // The reply refreshed it: another 120 s − 1 ms later it still goes out.
    now += NET_LIMITS.udpIdleSessionTimeoutMs - 1;
    expect(reply(stack, 'r2')).toBe(true);
    expect((await c.next()).text).toBe('r1');
    expect((await c.next()).text).toBe('r2');
    now += NET_LIMITS.udpIdleSessionTimeoutMs;
    // Expired: no session; the address is no one's the container reaches (loopback, nothing bound on that port).
    expect(reply(stack, 'late')).toBe(false);
  });

  test('UdpInboundRefresh False: the client’s own datagrams do not keep the session alive', async () => {
    const { stack, sources, client } = await echoContainer({ reply: false });
    const c = await client();
    await c.send('1');
    now += NET_LIMITS.udpIdleSessionTimeoutMs - 1_000;
    await c.send('2');
    now += 2_000;
    const from = sources[1]!;
    expect(stack.sendDatagram(from.address, from.port, Buffer.from('late'), 53)).toBe(false);
    // A new datagram from the client opens a new session.
    await c.send('3');
    expect(stack.sendDatagram(from.address, from.port, Buffer.from('fresh'), 53)).toBe(true);
    expect((await c.next()).text).toBe('fresh');
  });

  test('a reply from another port than the published one is no session’s', async () => {
    const { stack, sources, client } = await echoContainer({ reply: false });
    const c = await client();
    await c.send('x');
    const from = sources[0]!;
    expect(stack.sendDatagram(from.address, from.port, Buffer.from('y'), 5353)).toBe(false);
    expect(stack.sendDatagram(from.address, from.port, Buffer.from('y'))).toBe(false);
  });

  test('the container stops: the host port closes and the sessions go', async () => {
    const { n, hostPort, client } = await echoContainer();
    const c = await client();
    await c.send('x');
    await n.detach('a'.repeat(64));
    // The port is free again: binding it succeeds.
    const s = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(hostPort, '127.0.0.1', resolve);
    });
    s.close();
  });
});

describe('published UDP ports: the host port', () => {
  test('a UDP host port in use fails the start with HNS’s error as moby relays it; a range on l2bridge takes the next free port', async () => {
    const taken = createSocket('udp4');
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
    const port = taken.address().port;
    const n = new NetworkController('test', clock);
    opened.push({ n, sockets: [taken] });
    const e = await n
      .attach({ containerId: 'd'.repeat(64), containerName: 'busy', hostName: 'busy', network: 'nat', ports: [{ containerPort: 53, protocol: 'udp', hostIp: '', hostPort: port }] }, undefined)
      .catch((x: unknown) => x);
    expect((e as NetworkError).message).toBe(
      'failed to create endpoint busy on network nat: failed during hnsCallRawResponse: hnsCall failed in Win32: The process cannot access the file because it is being used by another process. (0x20)',
    );
    // A range survives on l2bridge only (its allocator narrows it first; nat refuses ranges: test/net/nat-policy.test.ts).
    n.create({ name: 'l2', driver: 'l2bridge', subnet: '192.168.62.0/24' });
    await n.attach({ containerId: 'e'.repeat(64), containerName: 'ranged', hostName: 'ranged', network: 'l2', ports: [{ containerPort: 53, protocol: 'udp', hostIp: '', hostPort: port, hostPortEnd: port + 50 }] }, undefined);
    const got = n.ports('e'.repeat(64))[0]!;
    expect(got.protocol).toBe('udp');
    expect(got.hostPort).toBeGreaterThan(port);
    expect(got.hostPort).toBeLessThanOrEqual(port + 50);
  });
});

describe('protocols Windows maps', () => {
  test('PortBindings keys keep sctp for the endpoint to refuse', () => {
    expect(parsePortBindings({ '80/sctp': [{ HostIp: '', HostPort: '' }], '53/udp': [{ HostPort: '5353' }] }, false, []).map((b) => b.protocol)).toEqual(['sctp', 'udp']);
    expect(parsePortBindings({}, true, ['132/sctp'])[0]!.protocol).toBe('sctp');
  });

  test('an sctp binding fails the endpoint with moby’s Windows text (500); nothing stays allocated', async () => {
    const n = new NetworkController('test', clock);
    opened.push({ n, sockets: [] });
    const e = await n
      .attach({ containerId: 'b'.repeat(64), containerName: 'sc', hostName: 'sc', network: 'nat', ports: [{ containerPort: 80, protocol: 'sctp', hostIp: '', hostPort: 0 }] }, undefined)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError);
    expect([(e as NetworkError).status, (e as NetworkError).message]).toEqual([500, 'failed to create endpoint sc on network nat: invalid protocol sctp']);
    expect(n.stack('b'.repeat(64))).toBeUndefined();
    expect(n.get('nat').endpoints.size).toBe(0);
    // --network none has no driver to map ports: nothing to refuse.
    const none = await n.attach({ containerId: 'c'.repeat(64), containerName: 'sn', hostName: 'sn', network: 'none', ports: [{ containerPort: 80, protocol: 'sctp', hostIp: '', hostPort: 0 }] }, undefined).catch((x: unknown) => x);
    expect(none).not.toBeInstanceOf(Error);
  });
});
