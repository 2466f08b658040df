// User-defined networks through the real docker CLI: create/ls/inspect/rm,
// Windows drivers and docker's errors, and two containers talking by name
// (curl.exe in one to IIS in the other).
import { describe, expect, test } from 'vitest';
import { SERVERCORE, useDaemon } from '../daemon/support.js';
import { IIS, waitForW3svc } from './support.js';

const d = useDaemon({ images: [IIS, SERVERCORE] });

describe('docker network', () => {
  test('ls shows nat and none; create with --subnet/--gateway; inspect shows the IPAM and the containers; rm', async () => {
    const ls = await d().docker(['network', 'ls', '--format', '{{.Name}} {{.Driver}} {{.Scope}}']);
    expect(ls.stdout.split('\n')).toEqual(expect.arrayContaining(['nat nat local', 'none null local']));
    const created = await d().docker(['network', 'create', '-d', 'nat', '--subnet', '10.10.0.0/24', '--gateway', '10.10.0.1', '-o', 'com.docker.network.windowsshim.networkname=mynet', 'mynet']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    const inspect = JSON.parse((await d().docker(['network', 'inspect', 'mynet'])).stdout)[0];
    expect(inspect.Driver).toBe('nat');
    expect(inspect.IPAM.Config).toEqual([{ Subnet: '10.10.0.0/24', Gateway: '10.10.0.1' }]);
    expect(inspect.Options['com.docker.network.windowsshim.networkname']).toBe('mynet');
    const dup = await d().docker(['network', 'create', '-d', 'nat', 'mynet']);
    expect(dup.stderr).toBe('Error response from daemon: network with name mynet already exists\n');
    expect((await d().docker(['network', 'rm', 'mynet'])).stdout).toBe('mynet\n');
    expect((await d().docker(['network', 'rm', 'nat'])).stderr).toContain('Error response from daemon: nat is a pre-defined network and cannot be removed\n');
  });

  test('without -d the CLI asks for bridge, which Windows does not have (docker-engine-api.md §3.17)', async () => {
    expect((await d().docker(['network', 'create', 'nodriver'])).stderr).toBe('Error response from daemon: could not find plugin bridge in v1 plugin registry: plugin not found\n');
  });

  test('overlay needs a swarm; an unknown driver is a missing plugin', async () => {
    expect((await d().docker(['network', 'create', '-d', 'overlay', 'ov'])).stderr).toContain('This node is not a swarm manager.');
    expect((await d().docker(['network', 'create', '-d', 'l2bridge', '--subnet', '192.168.50.0/24', 'l2'])).code).toBe(0);
    expect((await d().docker(['network', 'create', '-d', 'foo', 'x'])).stderr).toBe('Error response from daemon: plugin "foo" not found\n');
    await d().docker(['network', 'rm', 'l2']);
  });

  test('two containers on a user network: curl.exe reaches IIS by container name and by alias', async () => {
    expect((await d().docker(['network', 'create', '-d', 'nat', 'web'])).code).toBe(0);
    expect((await d().docker(['run', '-d', '--network', 'web', '--network-alias', 'www', '--name', 'site', IIS])).code).toBe(0);
    await waitForW3svc(d().docker, 'site');
    const byName = await d().docker(['run', '--rm', '--network', 'web', SERVERCORE, 'curl.exe', '-s', 'http://site/']);
    expect(byName.code).toBe(0);
    expect(byName.stdout).toContain('<title>IIS Windows Server</title>');
    const byAlias = await d().docker(['run', '--rm', '--network', 'web', SERVERCORE, 'curl.exe', '-sI', 'http://www/']);
    expect(byAlias.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Type: text\/html\r\n/);
    // The site's address from inspect; a container on the network reaches it by IP too.
    const ip = (await d().docker(['inspect', '-f', '{{.NetworkSettings.Networks.web.IPAddress}}', 'site'])).stdout.trim();
    expect(ip).toMatch(/^172\.\d+\.\d+\.\d+$/);
    const byIp = await d().docker(['run', '--rm', '--network', 'web', SERVERCORE, 'curl.exe', '-s', '-o', 'NUL', '-w', '', `http://${ip}/iisstart.htm`]);
    expect(byIp.code).toBe(0);
    // ping answers by name on the network.
    const ping = await d().docker(['run', '--rm', '--network', 'web', SERVERCORE, 'ping', '-n', '1', 'site']);
    expect(ping.stdout).toContain(`Reply from ${ip}: bytes=32 time<1ms TTL=128\r\n`);
    // On the default nat network names do not resolve (no embedded DNS there).
    const fromNat = await d().docker(['run', '--rm', SERVERCORE, 'curl.exe', '-sS', 'http://site/']);
    expect(fromNat.stderr).toBe('curl: (6) Could not resolve host: site\r\n');
    // A port nothing listens on: refused.
    const refused = await d().docker(['run', '--rm', '--network', 'web', SERVERCORE, 'curl.exe', '-sS', 'http://site:8080/']);
    expect(refused.stderr).toMatch(/^curl: \(7\) Failed to connect to site port 8080 after \d+ ms: Couldn't connect to server\r\n$/);
    expect((await d().docker(['network', 'rm', 'web'])).stderr).toMatch(/^Error response from daemon: error while removing network: network web id [0-9a-f]{64} has active endpoints\n/);
    await d().docker(['rm', '-f', 'site']);
    expect((await d().docker(['network', 'rm', 'web'])).code).toBe(0);
  }, 60_000);

  test('network connect/disconnect of a running container: a second adapter appears and goes', async () => {
    expect((await d().docker(['network', 'create', '-d', 'nat', '--subnet', '10.30.0.0/24', 'second'])).code).toBe(0);
    expect((await d().docker(['run', '-d', '--name', 'multi', IIS])).code).toBe(0);
    expect((await d().docker(['network', 'connect', '--alias', 'm2', 'second', 'multi'])).code).toBe(0);
    const nets = JSON.parse((await d().docker(['inspect', '-f', '{{json .NetworkSettings.Networks}}', 'multi'])).stdout);
    expect(Object.keys(nets).sort()).toEqual(['nat', 'second']);
    expect(nets.second.IPAddress).toBe('10.30.0.2');
    const ipconfig = (await d().docker(['exec', 'multi', 'ipconfig'])).stdout;
    expect(ipconfig.match(/Ethernet adapter vEthernet \(Container NIC [0-9a-f]{8}\):/g)).toHaveLength(2);
    const inspect = JSON.parse((await d().docker(['network', 'inspect', 'second'])).stdout)[0];
    expect(Object.values(inspect.Containers).map((x) => (x as { Name: string; IPv4Address: string }).IPv4Address)).toEqual(['10.30.0.2/24']);
    expect((await d().docker(['network', 'disconnect', 'second', 'multi'])).code).toBe(0);
    expect((await d().docker(['exec', 'multi', 'ipconfig'])).stdout.match(/Ethernet adapter/g)).toHaveLength(1);
    await d().docker(['rm', '-f', 'multi']);
    expect((await d().docker(['network', 'prune', '-f'])).stdout).toContain('second');
  }, 60_000);

  test('ipconfig in a container shows its endpoint: address, mask, gateway from the network', async () => {
    expect((await d().docker(['network', 'create', '-d', 'nat', '--subnet', '10.20.0.0/16', 'ipnet'])).code).toBe(0);
    const r = await d().docker(['run', '--rm', '--network', 'ipnet', SERVERCORE, 'ipconfig']);
    expect(r.stdout).toMatch(/ {3}IPv4 Address\. \. \. \. \. \. \. \. \. \. \. : 10\.20\.0\.2\r\n {3}Subnet Mask \. \. \. \. \. \. \. \. \. \. \. : 255\.255\.0\.0\r\n {3}Default Gateway \. \. \. \. \. \. \. \. \. : 10\.20\.0\.1\r\n/);
    const none = await d().docker(['run', '--rm', '--network', 'none', SERVERCORE, 'ipconfig']);
    expect(none.stdout).toBe('\r\nWindows IP Configuration\r\n\r\n');
    await d().docker(['network', 'rm', 'ipnet']);
  }, 60_000);

  // moby initializeNetworking: a container joining X's network takes X's Config.Hostname, after getNetworkedContainer found X running.
  test('--network container:X boots with X’s computer name (its --hostname, else its short id); X stopped is moby’s 409', async () => {
    expect((await d().docker(['run', '-d', '--name', 'owner', '--hostname', 'web01', SERVERCORE, 'idle.exe'])).code).toBe(0);
    expect((await d().docker(['run', '--rm', '--network', 'container:owner', SERVERCORE, 'cmd', '/c', 'hostname & echo %COMPUTERNAME%'])).stdout).toBe('web01\r\nWEB01\r\n');
    const plain = (await d().docker(['run', '-d', '--name', 'plain', SERVERCORE, 'idle.exe'])).stdout.trim();
    expect((await d().docker(['run', '--rm', '--network', 'container:plain', SERVERCORE, 'hostname'])).stdout).toBe(`${plain.slice(0, 12)}\r\n`);
    expect((await d().docker(['rm', '-f', 'owner', 'plain'])).code).toBe(0);
    expect((await d().docker(['run', '-d', '--name', 'gone', SERVERCORE, 'cmd', '/c', 'exit'])).code).toBe(0);
    await d().docker(['wait', 'gone']);
    const r = await d().docker(['run', '--rm', '--network', 'container:gone', SERVERCORE, 'hostname']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('Error response from daemon: cannot join network of a non running container: gone');
    await d().docker(['rm', 'gone']);
  }, 60_000);
});
