// ipconfig.exe: the container's one vEthernet adapter on the nat network (a stand-in until issue 10 models networks).
import { describe, expect, test } from 'vitest';
import { run } from '../support.js';

const ADAPTER = /^Ethernet adapter vEthernet \(Container NIC [0-9a-f]{8}\):$/;

describe('ipconfig', () => {
  test('the short form: header, two blank lines, the adapter with dotted labels', async () => {
    const r = await run(['ipconfig']);
    expect(r.exitCode).toBe(0);
    const l = r.stdout.split('\r\n');
    expect(l.slice(0, 4)).toEqual(['', 'Windows IP Configuration', '', '']);
    expect(l[4]).toMatch(ADAPTER);
    expect(l[5]).toBe('');
    expect(l[6]).toBe('   Connection-specific DNS Suffix  . : ');
    expect(l[7]).toMatch(/^ {3}Link-local IPv6 Address \. \. \. \. \. : fe80::[0-9a-f:]+%17$/);
    expect(l[8]).toMatch(/^ {3}IPv4 Address\. \. \. \. \. \. \. \. \. \. \. : 172\.26\.(9[6-9]|10\d|11[01])\.\d+$/);
    expect(l[9]).toBe('   Subnet Mask . . . . . . . . . . . : 255.255.240.0');
    expect(l[10]).toBe('   Default Gateway . . . . . . . . . : 172.26.96.1');
    expect(l[11]).toBe('');
    expect(l).toHaveLength(12);
  });

  test('/all: host block, then description, MAC, (Preferred) addresses, DNS and NetBIOS', async () => {
    const r = await run(['ipconfig', '/all']);
    const l = r.stdout.split('\r\n');
    expect(l[3]).toMatch(/^ {3}Host Name \. \. \. \. \. \. \. \. \. \. \. \. : [0-9a-f]{12}$/);
    expect(l.slice(4, 9)).toEqual([
      '   Primary Dns Suffix  . . . . . . . : ',
      '   Node Type . . . . . . . . . . . . : Hybrid',
      '   IP Routing Enabled. . . . . . . . : No',
      '   WINS Proxy Enabled. . . . . . . . : No',
      '',
    ]);
    expect(l).toContain('   Description . . . . . . . . . . . : Hyper-V Virtual Ethernet Container Adapter');
    expect(l.some((x) => /^ {3}Physical Address\. \. \. \. \. \. \. \. \. : 00-15-5D(-[0-9A-F]{2}){3}$/.test(x))).toBe(true);
    expect(l.some((x) => /^ {3}IPv4 Address\. \. \. \. \. \. \. \. \. \. \. : 172\.26\.\d+\.\d+\(Preferred\) $/.test(x))).toBe(true);
    expect(l).toContain('   DNS Servers . . . . . . . . . . . : 172.26.96.1');
    expect(l).toContain('   NetBIOS over Tcpip. . . . . . . . : Disabled');
  });

  test('/flushdns', async () => {
    expect(await run(['ipconfig', '/flushdns'])).toEqual({ stdout: '\r\nWindows IP Configuration\r\n\r\nSuccessfully flushed the DNS Resolver Cache.\r\n', stderr: '', exitCode: 0 });
  });

  test('an unknown option prints the error and the usage, exit 1', async () => {
    const r = await run(['ipconfig', '/bogus']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.startsWith('\r\nError: unrecognized or incomplete command line.\r\n\r\nUSAGE:\r\n')).toBe(true);
  });
});
