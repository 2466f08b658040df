// Through the real docker CLI: `-p H:C/udp` forwards both ways (a host
// client's datagram reaches the container's UDP socket, the reply comes
// back from the host port), `docker port` shows `C/udp -> 0.0.0.0:H`;
// `-p 80/sctp` fails the start with moby's Windows driver text; a
// `--network container:X` container shows no network of its own in
// inspect (moby: `"Networks": {}`) and X's endpoints in stats (HCS lists
// them in its EndpointList).
import { createSocket } from 'node:dgram';
import { beforeAll, describe, expect, test } from 'vitest';
import { SERVERCORE, useDaemon } from '../daemon/support.js';

const d = useDaemon({ images: [SERVERCORE] });

/** A free UDP port on this machine (the OS picks it; closed before use). */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, '0.0.0.0', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

/** Sends one datagram to 127.0.0.1:port from a fresh socket; the first answer (text, the port it came from). */
function exchange(port: number, text: string): Promise<{ text: string; port: number }> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.on('message', (m, r) => {
      s.close();
      resolve({ text: m.toString(), port: r.port });
    });
    s.send(text, port, '127.0.0.1');
  });
}

async function waitForLog(name: string, text: string): Promise<void> {
  for (let i = 0; i < 200; i++) if ((await d().docker(['logs', name])).stdout.includes(text)) return;
  throw new Error(`${name} never printed ${text}`);
}

beforeAll(() => {
  // udpecho.exe PORT: binds a UDP socket on PORT and sends each datagram back to its source (sendto the recvfrom address) from PORT.
  d().host.registerProgram('C:\\Windows\\System32\\udpecho.exe', async (ctx) => {
    const net = ctx.net;
    const port = Number(ctx.argv[1] ?? '7');
    if (!net) return 1;
    const bound = net.bindDatagram(port, (data, from) => void net.sendDatagram(from.address, from.port, Buffer.concat([Buffer.from('echo:'), data]), port));
    try {
      await ctx.stdout.write(`listening on ${port}\r\n`);
      await ctx.sleep(2 ** 31 - 1);
    } finally {
      bound.close();
    }
    return 0;
  });
});

describe('docker run -p H:C/udp', () => {
  test('datagrams both ways; docker port and docker ps show C/udp; a container:X sharer shows no networks but X’s endpoint stats; stop frees H', async () => {
    const h = await freeUdpPort();
    expect((await d().docker(['run', '-d', '-p', `${h}:53/udp`, '--name', 'udpecho', SERVERCORE, 'udpecho.exe', '53'])).code).toBe(0);
    await waitForLog('udpecho', 'listening on 53');
    expect(await d().docker(['port', 'udpecho'])).toEqual({ code: 0, stdout: `53/udp -> 0.0.0.0:${h}\n`, stderr: '' });
    expect((await d().docker(['ps', '--format', '{{.Ports}}', '--filter', 'name=udpecho'])).stdout).toBe(`0.0.0.0:${h}->53/udp\n`);

    expect(await exchange(h, 'ping')).toEqual({ text: 'echo:ping', port: h });
    expect(await exchange(h, 'second client')).toEqual({ text: 'echo:second client', port: h });

    // --network container:udpecho: X's compartment, none of its own.
    expect((await d().docker(['run', '-d', '--network', 'container:udpecho', '--name', 'sharer', SERVERCORE, 'idle.exe'])).code).toBe(0);
    const inspect = JSON.parse((await d().docker(['inspect', 'sharer'])).stdout) as [{ NetworkSettings: Record<string, unknown>; HostConfig: { NetworkMode: string }; Config: { Hostname: string } }];
    const x = JSON.parse((await d().docker(['inspect', 'udpecho'])).stdout) as [{ Config: { Hostname: string } }];
    expect(inspect[0].HostConfig.NetworkMode).toBe('container:udpecho');
    // moby's initializeNetworking: the sharer takes X's host name.
    expect(inspect[0].Config.Hostname).toBe(x[0].Config.Hostname);
    expect(inspect[0].NetworkSettings['Networks']).toEqual({});
    expect(inspect[0].NetworkSettings['Ports']).toEqual({});
    expect(inspect[0].NetworkSettings['IPAddress']).toBe('');
    expect((await d().docker(['inspect', '-f', '{{json .NetworkSettings.Networks}}', 'sharer'])).stdout).toBe('{}\n');
    const stats = async (name: string) => (JSON.parse((await d().http('GET', `/v1.45/containers/${name}/stats?stream=0&one-shot=1`)).body) as { networks?: Record<string, { rx_packets: number }> }).networks;
    const own = await stats('udpecho');
    expect(Object.keys(own ?? {})).toHaveLength(1);
    expect(own![Object.keys(own!)[0]!]!.rx_packets).toBe(2);
    expect(await stats('sharer')).toEqual(own);

    await d().docker(['rm', '-f', 'sharer']);
    expect((await d().docker(['stop', '-t', '1', 'udpecho'])).code).toBe(0);
    // The host port is free again.
    const s = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind(h, '0.0.0.0', resolve);
    });
    s.close();
    await d().docker(['rm', '-f', 'udpecho']);
  }, 60_000);

  test('-p 80/sctp: the start fails with moby’s Windows driver text (exit 125), the container stays created', async () => {
    const r = await d().docker(['run', '-d', '-p', '80/sctp', '--name', 'sctp1', SERVERCORE, 'idle.exe']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('Error response from daemon: failed to create endpoint sctp1 on network nat: invalid protocol sctp');
    expect((await d().docker(['ps', '-a', '--format', '{{.Status}}', '--filter', 'name=sctp1'])).stdout).toBe('Created\n');
    await d().docker(['rm', '-f', 'sctp1']);
  }, 60_000);
});
