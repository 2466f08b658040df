// `--dns` and `--dns-search` through the real docker CLI: moby hands the
// servers to the HNS endpoint (DNSServerList) and the search list to HCS
// (DNSSearchList); ipconfig /all shows both, the resolver tries the
// suffixes on single-label names. IPv6 on the nat network: link-local only.
import { describe, expect, test } from 'vitest';
import { SERVERCORE, useDaemon } from '../daemon/support.js';
import { IIS, waitForW3svc } from './support.js';

const d = useDaemon({ images: [IIS, SERVERCORE] });

describe('--dns, --dns-search', () => {
  test('ipconfig /all shows the DNS servers given instead of the gateway, and the suffix search list', async () => {
    const r = await d().docker(['run', '--rm', '--dns', '10.0.0.53', '--dns', '10.0.0.54', '--dns-search', 'example.com', '--dns-search', 'corp.example.com', SERVERCORE, 'ipconfig', '/all']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('   WINS Proxy Enabled. . . . . . . . : No\r\n   DNS Suffix Search List. . . . . . : example.com\r\n                                       corp.example.com\r\n');
    expect(r.stdout).toContain('   DNS Servers . . . . . . . . . . . : 10.0.0.53\r\n                                       10.0.0.54\r\n');
  }, 60_000);

  test('without them: the gateway is the DNS server and there is no search list line', async () => {
    const r = await d().docker(['run', '--rm', SERVERCORE, 'ipconfig', '/all']);
    expect(r.stdout).not.toContain('DNS Suffix Search List');
    expect(r.stdout).toMatch(/ {3}DNS Servers \. \. \. \. \. \. \. \. \. \. \. : 172\.26\.96\.1\r\n/);
    // IPv6 on nat: a link-local address per adapter, with its zone index.
    expect(r.stdout).toMatch(/ {3}Link-local IPv6 Address \. \. \. \. \. : fe80::[0-9a-f:]+%\d+\(Preferred\) \r\n/);
  }, 60_000);

  test('inspect keeps HostConfig.Dns and DnsSearch', async () => {
    expect((await d().docker(['create', '--name', 'dnsc', '--dns', '1.1.1.1', '--dns-search', 'a.test', SERVERCORE])).code).toBe(0);
    const hc = JSON.parse((await d().docker(['inspect', '-f', '{{json .HostConfig}}', 'dnsc'])).stdout);
    expect(hc.Dns).toEqual(['1.1.1.1']);
    expect(hc.DnsSearch).toEqual(['a.test']);
    await d().docker(['rm', 'dnsc']);
  }, 60_000);

  test('a single-label name is tried with each search suffix (an alias www.corp.test reached as www)', async () => {
    expect((await d().docker(['network', 'create', '-d', 'nat', 'dnsnet'])).code).toBe(0);
    expect((await d().docker(['run', '-d', '--network', 'dnsnet', '--network-alias', 'www.corp.test', '--name', 'dnsweb', IIS])).code).toBe(0);
    await waitForW3svc(d().docker, 'dnsweb');
    const without = await d().docker(['run', '--rm', '--network', 'dnsnet', SERVERCORE, 'curl.exe', '-sS', 'http://www/']);
    expect(without.stderr).toBe('curl: (6) Could not resolve host: www\r\n');
    const withSearch = await d().docker(['run', '--rm', '--network', 'dnsnet', '--dns-search', 'other.test', '--dns-search', 'corp.test', SERVERCORE, 'curl.exe', '-s', 'http://www/']);
    expect(withSearch.code).toBe(0);
    expect(withSearch.stdout).toContain('<title>IIS Windows Server</title>');
    await d().docker(['rm', '-f', 'dnsweb']);
    await d().docker(['network', 'rm', 'dnsnet']);
  }, 60_000);
});
