// The socket layer and IPAM (src/net): compartments on one network reach
// each other by IP, by name only on user-defined networks; Winsock errors
// carry Windows' codes and texts; endpoints get addresses in order.
import { describe, expect, test } from 'vitest';
import { Win32Error, WSAECONNREFUSED, WSAEADDRINUSE, WSAETIMEDOUT } from '../../src/core/win32.js';
import { NetworkController, NetworkError } from '../../src/net/index.js';
import { AddressPool, parseSubnet } from '../../src/net/ipam.js';

const clock = () => Date.UTC(2026, 10, 23, 12);

async function pair(network: string) {
  const n = new NetworkController('test', clock);
  if (network !== 'nat') n.create({ name: network, driver: 'nat' });
  const a = await n.attach({ containerId: 'a'.repeat(64), containerName: 'alpha', hostName: 'alpha-host', network }, undefined);
  const b = await n.attach({ containerId: 'b'.repeat(64), containerName: 'beta', hostName: 'beta-host', network, aliases: ['db'] }, undefined);
  return { n, a, b };
}

function read(s: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    s.on('data', (c: Buffer) => (out += c.toString()));
    s.on('end', () => resolve(out));
  });
}

describe('sockets between compartments', () => {
  test('listen, connect by IP, send both ways, half-close', async () => {
    const { a, b } = await pair('nat');
    b.listen(7000, (s) => {
      s.on('data', (c: Buffer) => s.write(`echo:${c.toString()}`));
      s.on('end', () => s.end());
    });
    const client = await a.connect(b.endpoints[0]!.ipv4, 7000);
    client.end('hi');
    expect(await read(client)).toBe('echo:hi');
  });

  test('nothing listening: WSAECONNREFUSED with Windows’ text', async () => {
    const { a, b } = await pair('nat');
    const e = await a.connect(b.endpoints[0]!.ipv4, 81).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Win32Error);
    expect((e as Win32Error).code).toBe(WSAECONNREFUSED);
    expect((e as Win32Error).message).toContain('No connection could be made because the target machine actively refused it.');
  });

  test('an address nobody holds: WSAETIMEDOUT after the connect timeout', async () => {
    const { a } = await pair('nat');
    const e = await a.connect('172.26.99.250', 80, { timeoutMs: 1 }).catch((x: unknown) => x);
    expect((e as Win32Error).code).toBe(WSAETIMEDOUT);
    expect((e as Win32Error).message).toContain('A connection attempt failed because the connected party did not properly respond after a period of time');
  });

  test('a port bound twice: WSAEADDRINUSE', async () => {
    const { a } = await pair('nat');
    a.listen(80, () => undefined);
    expect(() => a.listen(80, () => undefined)).toThrow(expect.objectContaining({ code: WSAEADDRINUSE }));
  });

  test('names and aliases resolve on a user-defined network, not on nat', async () => {
    const nat = await pair('nat');
    expect(nat.a.resolve('beta')).toBeUndefined();
    const user = await pair('appnet');
    expect(user.a.resolve('beta')?.address).toBe(user.b.endpoints[0]!.ipv4);
    expect(user.a.resolve('DB')?.address).toBe(user.b.endpoints[0]!.ipv4);
    expect(user.a.resolve('localhost')).toEqual({ address: '::1', family: 6, canonical: 'alpha-host' });
  });

  test('UDP: a datagram reaches a bound port', async () => {
    const { a, b } = await pair('nat');
    const got: string[] = [];
    b.bindDatagram(53, (d) => got.push(Buffer.from(d).toString()));
    expect(a.sendDatagram(b.endpoints[0]!.ipv4, 53, Buffer.from('q'))).toBe(true);
    expect(a.sendDatagram(b.endpoints[0]!.ipv4, 54, Buffer.from('q'))).toBe(false);
    expect(got).toEqual(['q']);
  });

  test('a stopped container’s connections are reset and its address released', async () => {
    const { n, a, b } = await pair('nat');
    const ip = b.endpoints[0]!.ipv4;
    b.listen(9, () => undefined);
    const s = await a.connect(ip, 9);
    const ended = read(s);
    await n.detach('b'.repeat(64));
    expect(await ended).toBe('');
    const again = await n.attach({ containerId: 'c'.repeat(64), containerName: 'gamma', hostName: 'g', network: 'nat' }, undefined);
    expect(again.endpoints[0]!.ipv4).not.toBe(a.endpoints[0]!.ipv4);
  });
});

describe('--network container:X', () => {
  test('shares X’s compartment while X runs; refused when X is not running', async () => {
    const { n, a } = await pair('nat');
    const shared = await n.attach({ containerId: 'd'.repeat(64), containerName: 'delta', hostName: 'd', network: 'container:alpha' }, undefined);
    expect(shared).toBe(a);
    const e = await n.attach({ containerId: 'e'.repeat(64), containerName: 'eps', hostName: 'e', network: 'container:nobody' }, undefined).catch((x: unknown) => x);
    expect([(e as NetworkError).status, (e as NetworkError).message]).toEqual([409, 'cannot join network of a non running container: nobody']);
  });
});

describe('IPAM and networks', () => {
  test('addresses follow the gateway in order, never the network or broadcast address', () => {
    const p = new AddressPool(parseSubnet('10.0.0.0/30'));
    expect(p.gateway).toBe('10.0.0.1');
    expect(p.allocate()).toBe('10.0.0.2');
    expect(() => p.allocate()).toThrow(/no available IPv4 addresses/);
  });

  test('the default nat network is 172.26.96.0/20 with .1 as gateway; MACs are Hyper-V’s', async () => {
    const { n, a } = await pair('nat');
    expect(n.nat.subnet!.cidr).toBe('172.26.96.0/20');
    expect(a.adapters()[0]).toMatchObject({ gateway: '172.26.96.1', subnetMask: '255.255.240.0', dnsServers: ['172.26.96.1'] });
    expect(a.adapters()[0]!.mac).toMatch(/^00-15-5D(-[0-9A-F]{2}){3}$/);
  });

  test('docker’s errors: duplicate name, overlay, unknown driver, pre-defined, gateway outside the subnet', () => {
    const n = new NetworkController('t', clock);
    n.create({ name: 'x', driver: 'transparent' });
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return [(e as NetworkError).status, (e as NetworkError).message];
      }
      return undefined;
    };
    expect(err(() => n.create({ name: 'x' }))).toEqual([409, 'network with name x already exists']);
    expect(err(() => n.create({ name: 'o', driver: 'overlay' }))?.[0]).toBe(403);
    expect(err(() => n.create({ name: 'f', driver: 'foo' }))).toEqual([404, 'plugin "foo" not found']);
    expect(err(() => n.remove('none'))).toEqual([403, 'none is a pre-defined network and cannot be removed']);
    expect(err(() => n.create({ name: 'g', subnet: '10.1.0.0/24', gateway: '10.2.0.1' }))).toEqual([403, 'no matching subnet for gateway 10.2.0.1']);
  });
});

describe('endpoint counters (docker stats networks)', () => {
  test('a stream between compartments: the sender’s tx and the receiver’s rx, in bytes and MSS segments; loopback counts nowhere', async () => {
    const { a, b } = await pair('nat');
    b.listen(7100, (s) => {
      s.on('data', () => undefined);
      s.on('end', () => s.end('x'.repeat(3000)));
    });
    const client = await a.connect(b.endpoints[0]!.ipv4, 7100);
    client.end('y'.repeat(100));
    await read(client);
    const [sa] = a.statistics();
    const [sb] = b.statistics();
    expect(sa).toMatchObject({ txBytes: 100, txPackets: 1, rxBytes: 3000, rxPackets: 3 });
    expect(sb).toMatchObject({ rxBytes: 100, rxPackets: 1, txBytes: 3000, txPackets: 3 });
    expect(sa!.endpointId).toBe(a.endpoints[0]!.hnsId);
    // The compartment's own address: loopback, not the adapter.
    a.listen(7101, (s) => s.end('local'));
    expect(await read(await a.connect(a.endpoints[0]!.ipv4, 7101))).toBe('local');
    expect(a.statistics()[0]).toMatchObject({ txBytes: 100, rxBytes: 3000 });
  });

  test('datagrams: one packet each, counted even when nobody is bound', async () => {
    const { a, b } = await pair('nat');
    const got: string[] = [];
    b.bindDatagram(5353, (d) => got.push(Buffer.from(d).toString()));
    expect(a.sendDatagram(b.endpoints[0]!.ipv4, 5353, Buffer.from('ping'))).toBe(true);
    expect(a.sendDatagram(b.endpoints[0]!.ipv4, 5354, Buffer.from('lost!'))).toBe(false);
    expect(got).toEqual(['ping']);
    expect(a.statistics()[0]).toMatchObject({ txBytes: 9, txPackets: 2 });
    expect(b.statistics()[0]).toMatchObject({ rxBytes: 4, rxPackets: 1 });
  });
});
