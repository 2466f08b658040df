// `--storage-opt size=…` (HostConfig.StorageOpt) sizes a Windows
// container's C: as moby's windowsfilter driver does: the `size` key (any
// case) in go-units syntax, 127 GB when not given (moby's default), never
// below the platform's 20 GB; a value that does not parse fails the create
// with moby's error. Inside, C: reports the size and refuses writes past it
// with ERROR_DISK_FULL (112).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Win32Error } from '../../src/core/win32.js';
import { Host } from '../../src/host/host.js';
import type { ContainerCreateOptions } from '../../src/host/types.js';

const IMAGE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
const GiB = 2 ** 30;

async function readAll(io: { stdout: { read(max: number): Promise<Uint8Array | null> } | null }): Promise<string> {
  const chunks: Uint8Array[] = [];
  for (let c = await io.stdout!.read(65536); c !== null; c = await io.stdout!.read(65536)) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

describe('--storage-opt size', () => {
  let host: Host;
  beforeAll(async () => {
    host = await Host.open({ clock: () => 1_763_000_000_000 });
    // Prints C:'s total and free bytes; with an argument, then tries to grow a file past the free space.
    host.registerProgram('C:\\Windows\\System32\\space.exe', async (ctx) => {
      const space = ctx.fs!.volume('C')!.space();
      await ctx.stdout.write(`${space.totalBytes} ${space.freeBytes}\n`);
      if (ctx.argv[1] !== 'fill') return 0;
      const h = ctx.fs!.open('C:\\big.bin', ctx.cwd, { disposition: 'create', write: true });
      try {
        h.setSize(space.freeBytes + 1);
        return 0;
      } catch (e) {
        if (!(e instanceof Win32Error)) throw e;
        await ctx.stdout.write(`${e.code} ${e.message.slice(e.message.indexOf(': ') + 2)}\n`);
        return e.code;
      } finally {
        h.close();
      }
    });
    await host.pull(IMAGE);
  });
  afterAll(() => host.close());

  async function run(extra: Partial<ContainerCreateOptions>, cmd = ['space.exe']): Promise<{ code: number; lines: string[] }> {
    const c = await host.createContainer({ image: IMAGE, cmd, ...extra });
    const text = await readAll(await c.start());
    const code = await c.wait();
    await c.remove();
    return { code, lines: text.trim().split('\n') };
  }

  const total = (r: { lines: string[] }): number => Number(r.lines[0]!.split(' ')[0]);

  test('size=50G: C: is 50 GB', async () => {
    expect(total(await run({ storageOpt: { size: '50G' } }))).toBe(50 * GiB);
  });

  test('without it, 127 GB (moby: "the default size of a VHD in Hyper-V")', async () => {
    expect(total(await run({}))).toBe(127 * GiB);
  });

  test('the key in any case, other keys ignored, go-units spellings (25GB = 25 GiB)', async () => {
    expect(total(await run({ storageOpt: { SIZE: '25GB', other: 'x' } }))).toBe(25 * GiB);
  });

  test('below 20 GB the sandbox stays 20 GB (ExpandSandboxSize only grows)', async () => {
    expect(total(await run({ storageOpt: { size: '10G' } }))).toBe(20 * GiB);
  });

  test('writes past the size fail inside with ERROR_DISK_FULL (112) "There is not enough space on the disk."', async () => {
    const r = await run({ storageOpt: { size: '21G' } }, ['space.exe', 'fill']);
    expect(r.code).toBe(112);
    expect(r.lines[1]).toBe('112 There is not enough space on the disk. (112)');
  });

  test("a size that does not parse fails the create with moby's error (500); no container is made", async () => {
    const before = host.containers({ all: true }).length;
    await expect(host.createContainer({ image: IMAGE, cmd: ['space.exe'], storageOpt: { size: 'abc' } })).rejects.toMatchObject({
      status: 500,
      message: "failed to parse storage options: invalid size: 'abc'",
    });
    await expect(host.createContainer({ image: IMAGE, cmd: ['space.exe'], storageOpt: { size: '12X' } })).rejects.toMatchObject({
      status: 500,
      message: "failed to parse storage options: invalid suffix: 'x'",
    });
    expect(host.containers({ all: true }).length).toBe(before);
  });
});
