// PING.EXE: the loopback and the container's own name answer; other names do not resolve; other addresses time out (no network until issue 10).
import { describe, expect, test } from 'vitest';
import { drain, startContainer } from './exec-support.js';
import { run } from '../support.js';

const stats = (addr: string, sent: number, received: number) =>
  `\r\nPing statistics for ${addr}:\r\n    Packets: Sent = ${sent}, Received = ${received}, Lost = ${sent - received} (${Math.floor(((sent - received) * 100) / sent)}% loss),\r\n` +
  (received > 0 ? 'Approximate round trip times in milli-seconds:\r\n    Minimum = 0ms, Maximum = 0ms, Average = 0ms\r\n' : '');

describe('ping', () => {
  test('127.0.0.1 replies at once with bytes, time<1ms and TTL=128', async () => {
    const r = await run(['ping', '-n', '1', '127.0.0.1']);
    expect(r).toEqual({
      stdout: '\r\nPinging 127.0.0.1 with 32 bytes of data:\r\nReply from 127.0.0.1: bytes=32 time<1ms TTL=128\r\n' + stats('127.0.0.1', 1, 1),
      stderr: '',
      exitCode: 0,
    });
  });

  test('localhost is ::1, shown under the host name; IPv6 replies carry no bytes or TTL', async () => {
    const r = await run(['ping', '-n', '1', 'localhost']);
    expect(r.stdout).toMatch(/^\r\nPinging [0-9a-f]{12} \[::1\] with 32 bytes of data:\r\nReply from ::1: time<1ms\r\n/);
    expect(r.stdout.endsWith(stats('::1', 1, 1))).toBe(true);
  });

  test('-4 localhost is 127.0.0.1', async () => {
    const r = await run(['ping', '-4', '-n', '1', 'localhost']);
    expect(r.stdout).toMatch(/^\r\nPinging [0-9a-f]{12} \[127\.0\.0\.1\] with 32 bytes of data:\r\nReply from 127\.0\.0\.1: bytes=32 time<1ms TTL=128\r\n/);
  });

  test('-a names the container\'s own address by its host name', async () => {
    const r = await run(['ping', '-a', '-n', '1', '127.0.0.1']);
    expect(r.stdout).toMatch(/^\r\nPinging [0-9a-f]{12} \[127\.0\.0\.1\] with 32 bytes of data:\r\n/);
  });

  test('-l sets the size shown', async () => {
    const r = await run(['ping', '-n', '1', '-l', '1000', '127.0.0.1']);
    expect(r.stdout).toContain('Pinging 127.0.0.1 with 1000 bytes of data:\r\nReply from 127.0.0.1: bytes=1000 time<1ms TTL=128\r\n');
  });

  test('the container\'s own name resolves to its adapter\'s IPv4 address', async () => {
    const c = await startContainer(['ping', '-t', '127.0.0.1'], { hostname: 'web01' });
    try {
      const r = await c.exec(['ping', '-n', '1', 'WEB01']);
      const m = /^\r\nPinging web01 \[(172\.26\.\d+\.\d+)\] with 32 bytes of data:\r\n/.exec(r.stdout);
      expect(m).not.toBeNull();
      expect(r.stdout).toContain(`Reply from ${m![1]}: bytes=32 time<1ms TTL=128\r\n`);
      expect((await c.exec(['ipconfig'])).stdout).toContain(`IPv4 Address. . . . . . . . . . . : ${m![1]}\r\n`);
    } finally {
      await c.remove();
    }
  });

  test('four echoes a second apart by default (-n 2 here)', async () => {
    const r = await run(['ping', '-n', '2', '127.0.0.1']);
    expect(r.stdout).toBe('\r\nPinging 127.0.0.1 with 32 bytes of data:\r\n' + 'Reply from 127.0.0.1: bytes=32 time<1ms TTL=128\r\n'.repeat(2) + stats('127.0.0.1', 2, 2));
  });

  test('an unknown name does not resolve', async () => {
    expect(await run(['ping', 'example.com'])).toEqual({ stdout: 'Ping request could not find host example.com. Please check the name and try again.\r\n', stderr: '', exitCode: 1 });
  });

  test('the NAT gateway answers', async () => {
    const r = await run(['ping', '-n', '1', '172.26.96.1']);
    expect(r.stdout).toContain('Reply from 172.26.96.1: bytes=32 time<1ms TTL=128\r\n');
    expect(r.exitCode).toBe(0);
  });

  test('another address times out: no round-trip block, exit code 1', async () => {
    const r = await run(['ping', '-n', '1', '-w', '1', '10.0.0.1']);
    expect(r).toEqual({ stdout: '\r\nPinging 10.0.0.1 with 32 bytes of data:\r\nRequest timed out.\r\n' + stats('10.0.0.1', 1, 0), stderr: '', exitCode: 1 });
  });

  test('no target prints the usage, exit code 1', async () => {
    const r = await run(['ping']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.startsWith('\r\nUsage: ping [-t] [-a] [-n count] [-l size] [-f] [-i TTL] [-v TOS]\r\n')).toBe(true);
  });

  test('options without a target: IP address must be specified', async () => {
    expect(await run(['ping', '-n', '1'])).toEqual({ stdout: 'IP address must be specified.\r\n', stderr: '', exitCode: 1 });
  });

  test('a bad option', async () => {
    const r = await run(['ping', '-z', '127.0.0.1']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.startsWith('Bad option -z.\r\n\r\n\r\nUsage: ping')).toBe(true);
  });

  test('-t runs until Ctrl+C, which prints the statistics and Control-C', async () => {
    const c = await startContainer(['ping', '-t', '127.0.0.1']);
    try {
      // Wait for the first echo (written before the first one-second wait), then Ctrl+C.
      let text = '';
      while (!text.includes('Reply from')) text += Buffer.from((await c.main.stdout!.read())!).toString();
      c.main.interrupt();
      const code = await c.main.wait();
      text += await drain(c.main.stdout);
      expect(text).toBe('\r\nPinging 127.0.0.1 with 32 bytes of data:\r\nReply from 127.0.0.1: bytes=32 time<1ms TTL=128\r\n' + stats('127.0.0.1', 1, 1) + 'Control-C\r\n');
      expect(code).toBe(0xc000013a);
    } finally {
      await c.remove();
    }
  });
});
