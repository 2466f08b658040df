// Through the real docker CLI, what a Windows daemon refuses about port
// publishing:
//  - at start (moby's Windows driver, ConvertPortBindings, wrapped by
//    libnetwork as a 500): a host IP other than unspecified, a host port
//    range on nat; `docker run -d` exits 125 and the container stays
//    Created; 0.0.0.0 and [::] are accepted;
//  - at create (runconfig validateNetContainerMode, then
//    hostconfig_windows.go validateNetMode, 400): a `--network container:X`
//    container with -p/-P, --expose, --dns, --add-host, --hostname, and
//    with --isolation hyperv.
import { describe, expect, test } from 'vitest';
import { SERVERCORE, useDaemon } from '../daemon/support.js';
import { freePort } from './support.js';

const d = useDaemon({ images: [SERVERCORE] });

async function status(name: string): Promise<string> {
  return (await d().docker(['ps', '-a', '--format', '{{.Status}}', '--filter', `name=^${name}$`])).stdout;
}

describe('docker run -p refused by the Windows driver at start', () => {
  test.each([
    ['127.0.0.1', (p: number) => `127.0.0.1:${p}:80`, 'Windows does not support host IP addresses in NAT settings'],
    ['::1', (p: number) => `[::1]:${p}:80`, 'Windows does not support host IP addresses in NAT settings'],
    ['a range', (p: number) => `${p}-${p + 2}:80`, 'Windows does not support more than one host port in NAT settings'],
  ])('-p with %s: exit 125, "failed to create endpoint … on network nat: …", the container stays Created', async (_what, spec, text) => {
    const port = await freePort();
    const name = `refused${port}`;
    const r = await d().docker(['run', '-d', '-p', spec(port), '--name', name, SERVERCORE, 'idle.exe']);
    expect(r.code).toBe(125);
    // run.go prints the id as soon as the container is created, before the start fails.
    expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(r.stderr).toContain(`Error response from daemon: failed to create endpoint ${name} on network nat: ${text}`);
    expect(await status(name)).toBe('Created\n');
    // docker start says it again.
    const again = await d().docker(['start', name]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`failed to create endpoint ${name} on network nat: ${text}`);
    await d().docker(['rm', '-f', name]);
  }, 60_000);

  test.each([['0.0.0.0'], ['[::]']])('-p %s:PORT:80 (unspecified) is accepted and published', async (ip) => {
    const port = await freePort();
    const name = `anyip${port}`;
    const r = await d().docker(['run', '-d', '-p', `${ip}:${port}:80`, '--name', name, SERVERCORE, 'idle.exe']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await d().docker(['port', name, '80'])).stdout).toContain(`:${port}\n`);
    await d().docker(['rm', '-f', name]);
  }, 60_000);
});

describe('docker run --network container:X: moby’s runconfig refusals (400 at create)', () => {
  test.each([
    [['-p', '8080:80'], 'conflicting options: port publishing and the container type network mode'],
    [['-P'], 'conflicting options: port publishing and the container type network mode'],
    [['--expose', '80'], 'conflicting options: port exposing and the container type network mode'],
    [['--dns', '10.0.0.2'], 'conflicting options: dns and the network mode'],
    [['--add-host', 'db:10.0.0.3'], 'conflicting options: custom host-to-IP mapping and the network mode'],
    [['--hostname', 'other'], 'conflicting options: hostname and the network mode'],
    [['--isolation', 'hyperv'], 'invalid network-mode: using the network stack of another container is not supported while using Hyper-V Containers'],
    // validateNetContainerMode runs before the Hyper-V check.
    [['--isolation', 'hyperv', '-p', '8080:80'], 'conflicting options: port publishing and the container type network mode'],
  ])('%j → %s; nothing created', async (flags, text) => {
    const before = (await d().docker(['ps', '-aq'])).stdout;
    const r = await d().docker(['run', '-d', '--network', 'container:nosuch', ...flags, SERVERCORE, 'idle.exe']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(`Error response from daemon: ${text}`);
    expect((await d().docker(['ps', '-aq'])).stdout).toBe(before);
  }, 60_000);
});
