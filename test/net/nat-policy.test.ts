// moby's Windows network driver turns a container's port bindings into HNS
// NAT policies when it creates the endpoint (daemon/libnetwork/drivers/
// windows/windows.go CreateEndpoint → ConvertPortBindings), binding by
// binding: TCP/UDP only, one host port (l2bridge/l2tunnel run the port
// allocator first, which narrows a range to one free port; the other
// drivers pass the range through and it is refused), and no host IP other
// than unspecified. A refusal fails the start with libnetwork's wrapping
// (500 `failed to create endpoint NAME on network N: …`) before any
// address or listener is taken.
import { afterEach, describe, expect, test } from 'vitest';
import { NetworkController, NetworkError } from '../../src/net/controller.js';
import { endpointPortPolicyError, isUnspecifiedAddress, NAT_HOST_IP_REFUSED, NAT_HOST_PORT_RANGE_REFUSED, type PortBinding } from '../../src/net/publish.js';
import { freePort, httpGet } from './support.js';

const clock = (): number => 1_700_000_000_000;
const tcp = (hostIp: string, hostPort: number, hostPortEnd?: number): PortBinding => ({ containerPort: 80, protocol: 'tcp', hostIp, hostPort, ...(hostPortEnd !== undefined ? { hostPortEnd } : {}) });

const controllers: NetworkController[] = [];
afterEach(async () => {
  for (const n of controllers.splice(0)) for (const id of ['a', 'b', 'c', 'd'].map((x) => x.repeat(64))) await n.detach(id);
});

describe('isUnspecifiedAddress: Go netip IsUnspecified on HostIp', () => {
  test.each([
    ['0.0.0.0', true],
    ['::', true],
    ['[::]', true],
    ['0:0:0:0:0:0:0:0', true],
    ['::0.0.0.0', true],
    ['127.0.0.1', false],
    ['::1', false],
    ['::ffff:0.0.0.0', false],
    ['192.168.1.10', false],
    ['fe80::1', false],
  ])('%s → %s', (ip, want) => {
    expect(isUnspecifiedAddress(ip)).toBe(want);
  });
});

describe('endpointPortPolicyError: ConvertPortBindings’ checks in its order', () => {
  test('unspecified host IPs and single host ports pass on every Windows driver', () => {
    for (const driver of ['nat', 'transparent', 'l2bridge', 'l2tunnel', 'ics', 'internal', 'private']) {
      expect(endpointPortPolicyError([tcp('', 8080), tcp('0.0.0.0', 0), tcp('::', 8081, 8081)], driver)).toBeUndefined();
    }
  });

  test('a host IP other than unspecified is refused on every Windows driver, l2bridge included', () => {
    for (const driver of ['nat', 'transparent', 'l2bridge', 'l2tunnel']) {
      expect(endpointPortPolicyError([tcp('127.0.0.1', 8080)], driver)).toBe(NAT_HOST_IP_REFUSED);
    }
    expect(NAT_HOST_IP_REFUSED).toBe('Windows does not support host IP addresses in NAT settings');
  });

  test('a host port range is refused where no allocator narrows it (nat, transparent), kept on l2bridge/l2tunnel', () => {
    expect(endpointPortPolicyError([tcp('', 8000, 8010)], 'nat')).toBe(NAT_HOST_PORT_RANGE_REFUSED);
    expect(endpointPortPolicyError([tcp('', 8000, 8010)], 'transparent')).toBe(NAT_HOST_PORT_RANGE_REFUSED);
    expect(endpointPortPolicyError([tcp('', 8000, 8010)], 'l2bridge')).toBeUndefined();
    expect(endpointPortPolicyError([tcp('', 8000, 8010)], 'l2tunnel')).toBeUndefined();
    expect(NAT_HOST_PORT_RANGE_REFUSED).toBe('Windows does not support more than one host port in NAT settings');
  });

  test('per binding: protocol, then range, then host IP; the first failing binding decides', () => {
    expect(endpointPortPolicyError([{ ...tcp('127.0.0.1', 8000, 8010), protocol: 'sctp' }], 'nat')).toBe('invalid protocol sctp');
    expect(endpointPortPolicyError([tcp('127.0.0.1', 8000, 8010)], 'nat')).toBe(NAT_HOST_PORT_RANGE_REFUSED);
    expect(endpointPortPolicyError([tcp('127.0.0.1', 8000, 8010)], 'l2bridge')).toBe(NAT_HOST_IP_REFUSED);
    expect(endpointPortPolicyError([tcp('127.0.0.1', 8000), { ...tcp('', 1), protocol: 'sctp' }], 'nat')).toBe(NAT_HOST_IP_REFUSED);
  });

  test('the null driver (--network none) creates no endpoint: nothing is refused', () => {
    expect(endpointPortPolicyError([tcp('127.0.0.1', 8000, 8010)], 'null')).toBeUndefined();
  });
});

describe('attach: the refusal fails the endpoint before anything is taken', () => {
  test('a host IP on nat: 500 with libnetwork’s wrapping; no endpoint, no listener', async () => {
    const n = new NetworkController('test', clock);
    controllers.push(n);
    const port = await freePort();
    const e = await n.attach({ containerId: 'a'.repeat(64), containerName: 'web', hostName: 'web', network: 'nat', ports: [tcp('127.0.0.1', port)] }, undefined).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError);
    expect([(e as NetworkError).status, (e as NetworkError).message]).toEqual([500, 'failed to create endpoint web on network nat: Windows does not support host IP addresses in NAT settings']);
    expect(n.stack('a'.repeat(64))).toBeUndefined();
    expect(n.get('nat').endpoints.size).toBe(0);
    await expect(httpGet(port, '/')).rejects.toThrow(/ECONNREFUSED/);
  });

  test('a host port range on a user nat network names that network', async () => {
    const n = new NetworkController('test', clock);
    controllers.push(n);
    n.create({ name: 'front', driver: 'nat' });
    const e = await n.attach({ containerId: 'b'.repeat(64), containerName: 'ranged', hostName: 'ranged', network: 'front', ports: [tcp('', 9000, 9002)] }, undefined).catch((x: unknown) => x);
    expect((e as NetworkError).message).toBe('failed to create endpoint ranged on network front: Windows does not support more than one host port in NAT settings');
    expect(n.get('front').endpoints.size).toBe(0);
  });

  test('an unspecified host IP (0.0.0.0, ::) publishes on every address', async () => {
    const n = new NetworkController('test', clock);
    controllers.push(n);
    await n.attach({ containerId: 'c'.repeat(64), containerName: 'any4', hostName: 'any4', network: 'nat', ports: [tcp('0.0.0.0', 0)] }, undefined);
    expect(n.ports('c'.repeat(64))).toMatchObject([{ containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0' }]);
    await n.attach({ containerId: 'd'.repeat(64), containerName: 'any6', hostName: 'any6', network: 'nat', ports: [tcp('::', 0)] }, undefined);
    expect(n.ports('d'.repeat(64))).toMatchObject([{ containerPort: 80, protocol: 'tcp', hostIp: '::' }]);
  });
});
