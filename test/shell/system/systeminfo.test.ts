// systeminfo.exe: the OS fields from the container's registry, the hardware and boot time from the host.
import { describe, expect, test } from 'vitest';
import { run } from '../support.js';

describe('systeminfo', () => {
  test('LIST: a blank line, then "Label:" padded to column 27', async () => {
    const r = await run(['systeminfo']);
    expect(r.exitCode).toBe(0);
    const l = r.stdout.split('\r\n');
    expect(l[0]).toBe('');
    expect(l[1]).toMatch(/^Host Name: {17}[0-9A-F]{12}$/);
    expect(l.slice(2, 10)).toEqual([
      'OS Name:                   Microsoft Windows Server 2022 Datacenter',
      'OS Version:                10.0.20348 N/A Build 20348',
      'OS Manufacturer:           Microsoft Corporation',
      'OS Configuration:          Standalone Server',
      'OS Build Type:             Multiprocessor Free',
      'Registered Owner:          N/A',
      'Registered Organization:   N/A',
      'Product ID:                N/A',
    ]);
    for (const line of l.slice(1, -1)) expect(line).toMatch(/^(.{26} |\s{27}\s*)\S/);
  });

  test('the boot time is the host\'s (the host clock of the test host)', async () => {
    const r = await run(['systeminfo']);
    expect(r.stdout).toContain('\r\nSystem Boot Time:          11/23/2026, 12:00:00 PM\r\n');
  });

  test('multi-valued fields continue under the value column', async () => {
    const r = await run(['systeminfo']);
    expect(r.stdout).toContain('\r\nProcessor(s):              1 Processor(s) Installed.\r\n                           [01]: Intel64 Family 6 Model 85 Stepping 7 GenuineIntel ~2594 Mhz\r\n');
    expect(r.stdout).toMatch(
      /\r\nNetwork Card\(s\):           1 NIC\(s\) Installed\.\r\n {27}\[01\]: Hyper-V Virtual Ethernet Container Adapter\r\n {33}Connection Name: vEthernet \(Container NIC [0-9a-f]{8}\)\r\n {33}DHCP Enabled:    No\r\n {33}IP address\(es\)\r\n {33}\[01\]: 172\.26\.\d+\.\d+\r\n {33}\[02\]: fe80::/,
    );
  });

  test('/FO CSV: a header line and one record', async () => {
    const r = await run(['systeminfo', '/fo', 'csv']);
    const l = r.stdout.split('\r\n');
    expect(l).toHaveLength(3);
    expect(l[0]!.startsWith('"Host Name","OS Name","OS Version","OS Manufacturer",')).toBe(true);
    expect(l[1]).toMatch(/^"[0-9A-F]{12}","Microsoft Windows Server 2022 Datacenter","10\.0\.20348 N\/A Build 20348",/);
  });

  test('/NH is not valid with LIST', async () => {
    const r = await run(['systeminfo', '/nh']);
    expect(r).toEqual({ stdout: '', stderr: 'ERROR: /NH option is valid only for TABLE and CSV formats.\r\nType "SYSTEMINFO /?" for usage.\r\n', exitCode: 1 });
  });
});
