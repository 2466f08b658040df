// What a create's NetworkingConfig.EndpointsConfig asks for, through the
// real docker CLI and the raw API (moby v28 on Windows): `--mac-address`,
// `--ip` and further `--network`s reach HNS and show in ipconfig and
// inspect; moby's router and validateNetworkingConfig refuse the rest with
// their texts (src/daemon/endpoints.ts).
import { describe, expect, test } from 'vitest';
import { NANOSERVER, SERVERCORE, useDaemon } from '../daemon/support.js';

const d = useDaemon({ images: [SERVERCORE, NANOSERVER] });

/** The Physical Address and IPv4 lines of `ipconfig /all`, in adapter order. */
async function adapters(args: string[]): Promise<string[]> {
  const r = await d().docker([...args, 'cmd', '/c', 'ipconfig /all | findstr /c:Physical /c:IPv4']);
  expect(r.stderr).toBe('');
  return r.stdout.split('\r\n').filter(Boolean).map((l) => l.trim());
}

async function create(version: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await d().http('POST', `/v${version}/containers/create`, JSON.stringify({ Image: NANOSERVER, Cmd: ['idle.exe'], ...body }), { 'Content-Type': 'application/json' });
  return { status: r.status, json: JSON.parse(r.body) as Record<string, unknown> };
}

describe('--mac-address and --ip (EndpointsConfig of the primary network)', () => {
  test('without --network the CLI files them under "default", which is nat: HNS takes the MAC and address as given', async () => {
    expect(await adapters(['run', '--rm', '--mac-address', '00:15:5d:aa:bb:01', '--ip', '172.26.96.77', SERVERCORE])).toEqual([
      'Physical Address. . . . . . . . . : 00-15-5D-AA-BB-01',
      'IPv4 Address. . . . . . . . . . . : 172.26.96.77(Preferred)',
    ]);
  });

  test('inspect: as sent until the first start, Go’s form while running (ps and network inspect too), cleared by a stop; IPAMConfig kept', async () => {
    expect((await d().docker(['create', '--name', 'mac1', '--network', 'nat', '--mac-address', '00:15:5D:AA:BB:02', '--ip', '172.26.96.78', NANOSERVER, 'idle.exe'])).code).toBe(0);
    const inspect = async (): Promise<{ Config: { MacAddress?: string }; NetworkSettings: { MacAddress: string; Networks: Record<string, { MacAddress: string; IPAMConfig: unknown; IPAddress: string }> } }> =>
      JSON.parse((await d().docker(['inspect', 'mac1'])).stdout)[0];
    let doc = await inspect();
    expect(doc.Config.MacAddress).toBe('00:15:5D:AA:BB:02');
    expect(doc.NetworkSettings.Networks['nat']).toMatchObject({ MacAddress: '00:15:5D:AA:BB:02', IPAMConfig: { IPv4Address: '172.26.96.78' }, IPAddress: '' });
    expect((await d().docker(['start', 'mac1'])).code).toBe(0);
    doc = await inspect();
    expect(doc.NetworkSettings.Networks['nat']).toMatchObject({ MacAddress: '00:15:5d:aa:bb:02', IPAMConfig: { IPv4Address: '172.26.96.78' }, IPAddress: '172.26.96.78' });
    expect(doc.NetworkSettings.MacAddress).toBe('00:15:5d:aa:bb:02');
    expect(doc.Config.MacAddress).toBe('00:15:5D:AA:BB:02');
    const list = JSON.parse((await d().http('GET', '/v1.50/containers/json?filters=' + encodeURIComponent('{"name":["mac1"]}'))).body) as { NetworkSettings: { Networks: Record<string, { MacAddress: string }> } }[];
    expect(list[0]!.NetworkSettings.Networks['nat']!.MacAddress).toBe('00:15:5d:aa:bb:02');
    const nat = JSON.parse((await d().docker(['network', 'inspect', 'nat'])).stdout)[0] as { Containers: Record<string, { Name: string; MacAddress: string }> };
    expect(Object.values(nat.Containers).find((x) => x.Name === 'mac1')!.MacAddress).toBe('00:15:5d:aa:bb:02');
    // A container HNS gave a MAC to shows it in the same form.
    expect((await d().docker(['run', '-d', '--name', 'mac2', NANOSERVER, 'idle.exe'])).code).toBe(0);
    expect((await d().docker(['inspect', '-f', '{{.NetworkSettings.Networks.nat.MacAddress}}', 'mac2'])).stdout).toMatch(/^00:15:5d(:[0-9a-f]{2}){3}\n$/);
    expect((await d().docker(['stop', '-t', '1', 'mac1'])).code).toBe(0);
    doc = await inspect();
    expect(doc.NetworkSettings.Networks['nat']).toMatchObject({ MacAddress: '', IPAMConfig: { IPv4Address: '172.26.96.78' }, IPAddress: '' });
    // The next start asks HNS for the same MAC again.
    expect((await d().docker(['start', 'mac1'])).code).toBe(0);
    expect((await d().docker(['inspect', '-f', '{{.NetworkSettings.Networks.nat.MacAddress}}', 'mac1'])).stdout).toBe('00:15:5d:aa:bb:02\n');
    await d().docker(['rm', '-f', 'mac1', 'mac2']);
  }, 30_000);

  test('a static address outside the subnet, on a network whose subnet HNS picked, or not an IPv4 address: moby’s texts', async () => {
    const nat = await d().docker(['run', '--rm', '--network', 'nat', '--ip', '10.0.0.5', NANOSERVER, 'cmd', '/c', 'echo', 'hi']);
    expect(nat.code).toBe(125);
    expect(nat.stderr).toBe('docker: Error response from daemon: invalid config for network nat: invalid endpoint settings:\nno configured subnet or ip-range contain the IP address 10.0.0.5\n\nRun \'docker run --help\' for more information\n');
    expect((await d().docker(['network', 'create', '-d', 'nat', 'picked'])).code).toBe(0);
    const picked = await d().docker(['create', '--network', 'picked', '--ip', '172.20.0.5', NANOSERVER]);
    expect(picked.stderr).toBe('Error response from daemon: invalid config for network picked: invalid endpoint settings:\nuser specified IP address is supported only when connecting to networks with user configured subnets\n');
    expect((await d().docker(['network', 'create', '-d', 'nat', '--subnet', '10.61.0.0/24', 'given'])).code).toBe(0);
    const bad = await d().docker(['create', '--network', 'given', '--ip', '10.61.0.300', NANOSERVER]);
    expect(bad.stderr).toBe('Error response from daemon: invalid config for network given: invalid endpoint settings:\n* invalid IPv4 address: 10.61.0.300\n* no configured subnet or ip-range contain the IP address 10.61.0.300\n');
    expect(await adapters(['run', '--rm', '--network', 'given', '--ip', '10.61.0.9', NANOSERVER])).toEqual([expect.stringMatching(/^Physical Address[. ]+: 00-15-5D(-[0-9A-F]{2}){3}$/), 'IPv4 Address. . . . . . . . . . . : 10.61.0.9(Preferred)']);
    await d().docker(['network', 'rm', 'picked', 'given']);
  }, 30_000);
});

describe('the create API: moby’s router and validateNetworkingConfig', () => {
  test('a bad MAC is reported alone; several problems are one `* ` list; a null entry is refused', async () => {
    expect(await create('1.50', { HostConfig: { NetworkMode: 'nat' }, NetworkingConfig: { EndpointsConfig: { nat: { MacAddress: 'zz', IPAMConfig: { IPv4Address: '1.2.3.4' } } } } })).toEqual({
      status: 400,
      json: { message: 'invalid config for network nat: invalid MAC address zz' },
    });
    expect(await create('1.50', { HostConfig: { NetworkMode: 'nat' }, NetworkingConfig: { EndpointsConfig: { nat: { IPAMConfig: { IPv4Address: '1.2.3.4', IPv6Address: 'zz' } } } } })).toEqual({
      status: 400,
      json: {
        message:
          'invalid config for network nat: invalid endpoint settings:\n* invalid IPv6 address: zz\n* no configured subnet or ip-range contain the IP address 1.2.3.4\n* user specified IP address is supported only when connecting to networks with user configured subnets',
      },
    });
    expect(await create('1.50', { HostConfig: { NetworkMode: 'nat' }, NetworkingConfig: { EndpointsConfig: { nat: null } } })).toEqual({ status: 400, json: { message: 'invalid config for network nat: EndpointsConfig is nil' } });
    // Dotted and dashed forms parse as Go's ParseMAC reads them.
    const dotted = await create('1.50', { HostConfig: { NetworkMode: 'nat' }, NetworkingConfig: { EndpointsConfig: { nat: { MacAddress: '0015.5dab.cdef' } } } });
    expect(dotted.status).toBe(201);
    await d().docker(['rm', String(dotted.json['Id'])]);
  });

  test('the image is looked up before the endpoint settings, and those before the name', async () => {
    const missing = await d().http('POST', '/v1.50/containers/create', JSON.stringify({ Image: 'nosuch:1', NetworkingConfig: { EndpointsConfig: { nat: null } } }), { 'Content-Type': 'application/json' });
    expect(missing.status).toBe(404);
    expect((await d().docker(['create', '--name', 'taken', NANOSERVER])).code).toBe(0);
    const r = await d().http('POST', '/v1.50/containers/create?name=taken', JSON.stringify({ Image: NANOSERVER, NetworkingConfig: { EndpointsConfig: { nat: null } } }), { 'Content-Type': 'application/json' });
    expect(r.status).toBe(400);
    await d().docker(['rm', 'taken']);
  });

  test('the container-wide MacAddress: API < 1.44 moves it to the network or refuses it for container:X; later APIs warn', async () => {
    const old = await create('1.43', { MacAddress: '00:15:5d:00:00:01', HostConfig: { NetworkMode: 'container:x' } });
    expect(old).toEqual({ status: 400, json: { message: 'conflicting options: mac-address and the network mode' } });
    const moved = await create('1.43', { MacAddress: '00:15:5d:00:00:01', HostConfig: { NetworkMode: 'nat' } });
    expect(moved).toMatchObject({ status: 201, json: { Warnings: [] } });
    expect((await d().docker(['start', String(moved.json['Id'])])).code).toBe(0);
    expect((await d().docker(['inspect', '-f', '{{.NetworkSettings.Networks.nat.MacAddress}}', String(moved.json['Id'])])).stdout).toBe('00:15:5d:00:00:01\n');
    // An endpoint's own MacAddress is dropped on the old API, as it was ignored then.
    const ignored = await create('1.43', { HostConfig: { NetworkMode: 'nat' }, NetworkingConfig: { EndpointsConfig: { nat: { MacAddress: 'not-a-mac' } } } });
    expect(ignored.status).toBe(201);
    const warned = await create('1.50', { MacAddress: '00:15:5d:00:00:02', HostConfig: { NetworkMode: 'nat' } });
    expect(warned).toMatchObject({ status: 201, json: { Warnings: ['The container-wide MacAddress field is now deprecated. It should be specified in EndpointsConfig instead.'] } });
    const mismatch = await create('1.50', { MacAddress: '00:15:5d:00:00:02', HostConfig: { NetworkMode: 'nat' }, NetworkingConfig: { EndpointsConfig: { nat: { MacAddress: '00:15:5d:00:00:03' } } } });
    expect(mismatch).toEqual({ status: 400, json: { message: 'the container-wide MAC address must match the endpoint-specific MAC address for the main network, or be left empty' } });
    const several = await create('1.43', { HostConfig: { NetworkMode: 'nat' }, NetworkingConfig: { EndpointsConfig: { nat: {}, none: {} } } });
    expect(several).toEqual({ status: 400, json: { message: 'Container cannot be created with multiple network endpoints: nat, none' } });
    await d().docker(['rm', '-f', String(moved.json['Id']), String(ignored.json['Id']), String(warned.json['Id'])]);
  }, 30_000);
});

describe('several --network at create (API 1.44 and later)', () => {
  test('each network gets an adapter with what its entry asked for, and its alias resolves there', async () => {
    expect((await d().docker(['network', 'create', '-d', 'nat', '--subnet', '10.62.0.0/24', 'back'])).code).toBe(0);
    expect((await d().docker(['create', '--name', 'two', '--network', 'nat', '--network', 'name=back,ip=10.62.0.10,alias=db,mac-address=00:15:5d:01:02:03', NANOSERVER, 'idle.exe'])).code).toBe(0);
    const created = JSON.parse((await d().docker(['inspect', '-f', '{{json .NetworkSettings.Networks}}', 'two'])).stdout) as Record<string, { Aliases: string[] | null; IPAMConfig: unknown; MacAddress: string }>;
    expect(Object.keys(created).sort()).toEqual(['back', 'nat']);
    expect(created['back']).toMatchObject({ Aliases: ['db'], IPAMConfig: { IPv4Address: '10.62.0.10' }, MacAddress: '00:15:5d:01:02:03' });
    expect((await d().docker(['start', 'two'])).code).toBe(0);
    const ipconfig = (await d().docker(['exec', 'two', 'cmd', '/c', 'ipconfig /all | findstr /c:Physical /c:IPv4'])).stdout.split('\r\n').filter(Boolean).map((l) => l.trim());
    expect(ipconfig).toHaveLength(4);
    expect(ipconfig.slice(2)).toEqual(['Physical Address. . . . . . . . . : 00-15-5D-01-02-03', 'IPv4 Address. . . . . . . . . . . : 10.62.0.10(Preferred)']);
    // The alias resolves on `back` for a container there.
    const ping = await d().docker(['run', '--rm', '--network', 'back', NANOSERVER, 'ping', '-n', '1', 'db']);
    expect(ping.stdout).toContain('Reply from 10.62.0.10: bytes=32 time<1ms TTL=128\r\n');
    await d().docker(['rm', '-f', 'two']);
    await d().docker(['network', 'rm', 'back']);
  }, 30_000);

  test('network connect checks the endpoint settings with moby’s text', async () => {
    expect((await d().docker(['network', 'create', '-d', 'nat', '--subnet', '10.63.0.0/24', 'side'])).code).toBe(0);
    expect((await d().docker(['create', '--name', 'lone', NANOSERVER, 'idle.exe'])).code).toBe(0);
    const r = await d().http('POST', '/v1.50/networks/side/connect', JSON.stringify({ Container: 'lone', EndpointConfig: { IPAMConfig: { IPv4Address: '10.64.0.1' } } }), { 'Content-Type': 'application/json' });
    expect({ status: r.status, json: JSON.parse(r.body) }).toEqual({ status: 400, json: { message: 'invalid endpoint settings:\nno configured subnet or ip-range contain the IP address 10.64.0.1' } });
    // A stopped container keeps the address asked for, and takes it at its start.
    expect((await d().docker(['network', 'connect', '--ip', '10.63.0.33', 'side', 'lone'])).code).toBe(0);
    expect((await d().docker(['start', 'lone'])).code).toBe(0);
    expect((await d().docker(['inspect', '-f', '{{.NetworkSettings.Networks.side.IPAddress}}', 'lone'])).stdout).toBe('10.63.0.33\n');
    await d().docker(['rm', '-f', 'lone']);
    await d().docker(['network', 'rm', 'side']);
  }, 30_000);
});
