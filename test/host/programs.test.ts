// Registered programs (issue 6 "Embedded CLI and embedding API": a
// TypeScript function becomes C:\Windows\System32\foo.exe in chosen images
// or containers): a file appears where it is registered and nowhere else,
// and CreateProcess runs the function.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Host } from '../../src/host/host.js';
import type { ContainerHandle } from '../../src/host/types.js';

const IMAGE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
const NANO = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';

async function text(io: { stdout: { read(): Promise<Uint8Array | null> } | null; wait(): Promise<number> }): Promise<string> {
  const parts: Uint8Array[] = [];
  for (let b = await io.stdout!.read(); b !== null; b = await io.stdout!.read()) parts.push(b);
  await io.wait();
  return Buffer.concat(parts).toString('utf8');
}

describe('programs registered for one container, for an image, for every container', () => {
  let host: Host;
  let a: ContainerHandle;
  let b: ContainerHandle;
  beforeAll(async () => {
    host = await Host.open({ clock: () => 1_763_000_000_000 });
    await host.pull(IMAGE);
    await host.pull(NANO);
    host.registerProgram('C:\\Windows\\System32\\idle.exe', (ctx) => ctx.sleep(2 ** 31 - 1).then(() => 0));
    host.registerProgram('C:\\Windows\\System32\\has.exe', async (ctx) => {
      const names = ctx.argv.slice(1).map((n) => {
        try {
          ctx.fs!.stat(`C:\\Windows\\System32\\${n}`, 'C:\\');
          return `${n}:yes`;
        } catch {
          return `${n}:no`;
        }
      });
      await ctx.stdout.write(names.join(' '));
      return 0;
    });
    a = await host.createContainer({ image: IMAGE, name: 'a1', cmd: ['idle.exe'] });
    b = await host.createContainer({ image: IMAGE, name: 'b1', cmd: ['idle.exe'] });
    await a.start();
    await b.start();
  });
  afterAll(() => host.close());

  test('a program registered for a running container exists and runs there only', async () => {
    host.registerProgram('C:\\Windows\\System32\\mine.exe', async (ctx) => (await ctx.stdout.write('mine')) ?? 5, { containers: ['a1'] });
    expect(await text(await a.exec({ cmd: ['mine.exe'] }))).toBe('mine');
    expect(await text(await a.exec({ cmd: ['has.exe', 'mine.exe'] }))).toBe('mine.exe:yes');
    expect(await text(await b.exec({ cmd: ['has.exe', 'mine.exe'] }))).toBe('mine.exe:no');
    await expect(b.exec({ cmd: ['mine.exe'] })).rejects.toThrow(/The system cannot find the file specified\. \(0x2\)$/);
  });

  test('a program registered for an image is in its new containers, not in another image’s', async () => {
    host.registerProgram('C:\\Windows\\System32\\core.exe', () => 0, { images: [IMAGE] });
    const c = await host.createContainer({ image: IMAGE, cmd: ['has.exe', 'core.exe'] });
    expect(await text(await c.start())).toBe('core.exe:yes');
    const n = await host.createContainer({ image: NANO, cmd: ['has.exe', 'core.exe'] });
    expect(await text(await n.start())).toBe('core.exe:no');
  });

  test('an unknown container is 404 and registers nothing', () => {
    expect(() => host.registerProgram('C:\\Windows\\System32\\x.exe', () => 0, { containers: ['nope'] })).toThrow('No such container: nope');
  });
});
