// docker stats' network counters on Windows (moby daemon/stats_windows.go):
// `networks` keyed by the HNS endpoint id, rx/tx bytes and packets and
// drops from the socket layer's real counts (no error counters on
// Windows), NET I/O in `docker stats --no-stream`.
import { describe, expect, test } from 'vitest';
import { SERVERCORE, useDaemon } from '../daemon/support.js';
import { IIS, freePort, httpGet, waitForW3svc } from './support.js';

const d = useDaemon({ images: [IIS, SERVERCORE] });

interface NetCounters {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

async function oneShot(name: string): Promise<{ networks?: Record<string, NetCounters> }> {
  const r = await d().http('GET', `/v1.45/containers/${name}/stats?stream=0&one-shot=1`);
  expect(r.status).toBe(200);
  return JSON.parse(r.body) as { networks?: Record<string, NetCounters> };
}

describe('docker stats: networks', () => {
  test('bytes through a published port count on the endpoint: rx the requests, tx the responses; NET I/O shows them', async () => {
    const port = await freePort();
    expect((await d().docker(['run', '-d', '-p', `${port}:80`, '--name', 'netstat', IIS])).code).toBe(0);
    await waitForW3svc(d().docker, 'netstat');
    const before = await oneShot('netstat');
    const keys = Object.keys(before.networks ?? {});
    expect(keys).toHaveLength(1);
    // HNS's endpoint id, a GUID.
    expect(keys[0]).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(Object.keys(before.networks![keys[0]!]!)).toEqual(['rx_bytes', 'rx_packets', 'rx_errors', 'rx_dropped', 'tx_bytes', 'tx_packets', 'tx_errors', 'tx_dropped']);

    let sent = 0;
    let received = 0;
    for (let i = 0; i < 5; i++) {
      const r = await httpGet(port, '/iisstart.htm');
      expect(r.status).toBe(200);
      received += Buffer.byteLength(r.body);
      sent += 1; // at least the request line
    }
    const after = (await oneShot('netstat')).networks![keys[0]!]!;
    const b = before.networks![keys[0]!]!;
    // The responses (bodies and headers) went out; the requests came in.
    expect(after.tx_bytes - b.tx_bytes).toBeGreaterThan(received);
    expect(after.rx_bytes - b.rx_bytes).toBeGreaterThan(sent * 30);
    expect(after.tx_packets - b.tx_packets).toBeGreaterThanOrEqual(5);
    expect(after.rx_packets - b.rx_packets).toBeGreaterThanOrEqual(5);
    expect(after.rx_errors).toBe(0);
    expect(after.tx_errors).toBe(0);

    const s = await d().docker(['stats', '--no-stream', '--format', '{{.Name}} {{.NetIO}}', 'netstat']);
    expect(s.code).toBe(0);
    // docker's units (decimal, kB): the container sent the pages (≈ 700 B each).
    expect(s.stdout).toMatch(/^netstat \d+(\.\d+)?k?B \/ \d+(\.\d+)?kB\n$/);
    await d().docker(['rm', '-f', 'netstat']);
  }, 60_000);

  test('container-to-container traffic counts on both endpoints of the user network', async () => {
    expect((await d().docker(['network', 'create', '-d', 'nat', 'statnet'])).code).toBe(0);
    expect((await d().docker(['run', '-d', '--network', 'statnet', '--name', 'web1', IIS])).code).toBe(0);
    await waitForW3svc(d().docker, 'web1');
    const before = Object.values((await oneShot('web1')).networks!)[0]!;
    const curl = await d().docker(['run', '--rm', '--network', 'statnet', SERVERCORE, 'curl.exe', '-s', 'http://web1/iisstart.htm']);
    expect(curl.code).toBe(0);
    const after = Object.values((await oneShot('web1')).networks!)[0]!;
    expect(after.tx_bytes - before.tx_bytes).toBeGreaterThan(Buffer.byteLength(curl.stdout));
    expect(after.rx_bytes - before.rx_bytes).toBeGreaterThan(40);
    await d().docker(['rm', '-f', 'web1']);
    await d().docker(['network', 'rm', 'statnet']);
  }, 60_000);

  test('--network none: no networks key (omitempty), NET I/O 0B / 0B', async () => {
    expect((await d().docker(['run', '-d', '--network', 'none', '--name', 'nonet', IIS])).code).toBe(0);
    expect((await oneShot('nonet')).networks).toBeUndefined();
    const s = await d().docker(['stats', '--no-stream', '--format', '{{.NetIO}}', 'nonet']);
    expect(s.stdout).toBe('0B / 0B\n');
    await d().docker(['rm', '-f', 'nonet']);
  }, 60_000);
});
