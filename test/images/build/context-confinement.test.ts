// COPY and ADD never read outside the build context (moby remotecontext
// FullPath / symlink.FollowSymlinkInScope): `..` that climbs out is
// refused with moby's Windows text; absolute sources and symbolic links
// resolve inside the context, so a link pointing out names nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import tar from 'tar-stream';
import type { Host } from '../../../src/host/host.js';
import { BuildContext } from '../../../src/images/build/context.js';
import { BuildError } from '../../../src/images/build/errors.js';
import { contextOf, hostWithBase, NANOSERVER, RecordedOutput, runImage } from './support.js';

let host: Host;
beforeAll(async () => {
  host = await hostWithBase(NANOSERVER);
});
afterAll(async () => {
  await host.close();
});

async function outcome(files: Record<string, string | Buffer | { link: string }>): Promise<{ error?: string; id?: string }> {
  try {
    return { id: await host.build(contextOf(files), {}, new RecordedOutput()) };
  } catch (e) {
    if (e instanceof BuildError) return { error: e.message };
    throw e;
  }
}

describe('sources outside the context', () => {
  test('../ that climbs above the root is refused (failed to resolve scoped path)', async () => {
    const r = await outcome({ Dockerfile: `FROM ${NANOSERVER}\nCOPY ../secret.txt /` });
    expect(r.error).toBe(
      'COPY failed: failed to resolve scoped path ..\\secret.txt (): evalSymlinksInScope: \\\\?\\C:\\ProgramData\\docker\\tmp\\secret.txt is not in \\\\?\\C:\\ProgramData\\docker\\tmp\\docker-builder1. Possible cause is a forbidden path outside the build context',
    );
  });
  test('a/../../x climbs out too; a/../x stays in', async () => {
    expect((await outcome({ Dockerfile: `FROM ${NANOSERVER}\nCOPY a/../../x /`, 'a/f': '1' })).error).toMatch(/^COPY failed: failed to resolve scoped path a\\\.\.\\\.\.\\x/);
    expect((await outcome({ Dockerfile: `FROM ${NANOSERVER}\nCOPY a/../x /`, 'a/f': '1', x: 'in' })).id).toMatch(/^sha256:/);
  });
  test('an absolute source is taken from the context root, never the host', async () => {
    expect((await outcome({ Dockerfile: `FROM ${NANOSERVER}\nCOPY /etc/passwd /` })).error).toBe('COPY failed: file not found in build context or excluded by .dockerignore: stat etc\\passwd: file does not exist');
    expect((await outcome({ Dockerfile: `FROM ${NANOSERVER}\nCOPY C:\\secret.txt /` })).error).toBe('COPY failed: file not found in build context or excluded by .dockerignore: stat secret.txt: file does not exist');
  });
  test('C:\\ and C:\\Windows as sources are moby’s refusal', async () => {
    expect((await outcome({ Dockerfile: `# escape=\`\nFROM ${NANOSERVER}\nCOPY C:\\Windows C:\\w` })).error).toBe('COPY failed: copy from c:\\ or c:\\windows is not allowed on windows');
  });
});

describe('symbolic links in the context resolve inside it', () => {
  test('a link to an absolute host path names that path under the context root (missing here)', async () => {
    expect((await outcome({ Dockerfile: `FROM ${NANOSERVER}\nCOPY link /`, link: { link: '/etc/passwd' } })).error).toBe('COPY failed: file not found in build context or excluded by .dockerignore: stat link: file does not exist');
  });
  test('a relative link cannot climb out: ../../ stops at the root', async () => {
    const r = await outcome({ Dockerfile: `FROM ${NANOSERVER}\nCOPY dir/link /got.txt\nCMD type C:\\got.txt`, 'dir/link': { link: '../../../inside.txt' }, 'inside.txt': 'the context’s own file' });
    expect((await runImage(host, r.id!)).out).toBe('the context’s own file');
  });
  test('a link inside a copied folder that points out is left out', async () => {
    const r = await outcome({ Dockerfile: `FROM ${NANOSERVER}\nCOPY d/ /d/\nCMD dir /b C:\\d`, 'd/ok.txt': 'ok', 'd/out': { link: '/Windows/System32/config/SAM' } });
    expect((await runImage(host, r.id!)).out).toBe('ok.txt\r\n');
  });
  test('a link loop ends with an error, not a hang', async () => {
    expect((await outcome({ Dockerfile: `FROM ${NANOSERVER}\nCOPY a /`, a: { link: 'b' }, b: { link: 'a' } })).error).toMatch(/too many links/);
  });
});

describe('tar names', () => {
  // moby extracts the context with go-archive's Unpack (remotecontext FromArchive): a name climbing out of its temporary folder is a breakout.
  test('a context entry named ../x is refused as moby’s Untar refuses it; /x and a/../x stay under the root', async () => {
    const context = (names: string[]): AsyncIterable<Uint8Array> => {
      const pack = tar.pack();
      for (const name of names) pack.entry({ name }, 'x');
      pack.entry({ name: 'Dockerfile' }, 'FROM x');
      pack.finalize();
      return pack as unknown as AsyncIterable<Uint8Array>;
    };
    const refused = await BuildContext.fromTar(context(['ok.txt', '../escape.txt'])).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BuildError);
    expect((refused as BuildError).status).toBe(500);
    expect((refused as BuildError).message).toMatch(/^"\.\.\\\\escape\.txt" is outside of "\\\\\\\\\?\\\\C:\\\\ProgramData\\\\docker\\\\tmp\\\\docker-builder\d+"$/);
    const kept = await BuildContext.fromTar(context(['/abs.txt', 'a/../in.txt', '..']));
    expect(kept.walk('')).toEqual(['Dockerfile', 'abs.txt', 'in.txt']);
  });
  /** A tar of `entries` (tar-stream headers and bodies). */
  async function tarOf(entries: { header: Parameters<ReturnType<typeof tar.pack>["entry"]>[0]; body?: string }[]): Promise<Buffer> {
    const pack = tar.pack();
    for (const e of entries) pack.entry(e.header, e.body ?? '');
    pack.finalize();
    const parts: Buffer[] = [];
    for await (const c of pack) parts.push(Buffer.from(c as Uint8Array));
    return Buffer.concat(parts);
  }
  // moby go-archive Unpack / createTarFile breakoutError, wrapped by performCopy ("failed to copy files").
  test('an ADD archive entry that climbs out of the destination is refused (is outside of), and nothing is written', async () => {
    for (const [name, cleaned] of [
      ['../../Windows/evil.txt', '..\\..\\Windows\\evil.txt'],
      ['a/../../evil.txt', '..\\evil.txt'],
      ['..\\evil.txt', '..\\evil.txt'],
    ] as const) {
      const before = host.images().length;
      const r = await outcome({ Dockerfile: `FROM ${NANOSERVER}\nADD a.tar /dest/\n`, 'a.tar': await tarOf([{ header: { name: 'ok.txt' }, body: 'fine' }, { header: { name }, body: 'x' }]) });
      // Go's %q of the cleaned name and of the destination as mounted (the layer's volume path).
      const m = /^failed to copy files: (".*") is outside of (".*")$/.exec(r.error ?? '');
      expect(m, r.error).not.toBeNull();
      expect(JSON.parse(m![1]!)).toBe(cleaned);
      expect(JSON.parse(m![2]!)).toMatch(/^\\\\\?\\Volume\{[0-9a-f-]{36}\}\\dest$/);
      // The step failed: no image was made, so no layer holds anything outside (or inside) C:\dest.
      expect(host.images().length).toBe(before);
    }
  });
  test('absolute entry names land under the destination (Go filepath.Join keeps them inside)', async () => {
    const r = await outcome({ Dockerfile: `FROM ${NANOSERVER}\nADD a.tar /dest/\nCMD dir /b /s C:\\dest`, 'a.tar': await tarOf([{ header: { name: '/Windows/abs.txt' }, body: 'a' }]) });
    expect((await runImage(host, r.id!)).out).toBe('C:\\dest\\Windows\r\nC:\\dest\\Windows\\abs.txt\r\n');
  });
  test('links whose targets leave the destination are refused: invalid hardlink / invalid symlink', async () => {
    const hard = await outcome({ Dockerfile: `FROM ${NANOSERVER}\nADD a.tar /dest/\n`, 'a.tar': await tarOf([{ header: { name: 'h', type: 'link', linkname: '../../Windows/System32/config/SAM' } }]) });
    expect(hard.error).toMatch(/^failed to copy files: invalid hardlink "\\\\\\\\\?\\\\Volume\{[0-9a-f-]{36}\}\\\\Windows\\\\System32\\\\config\\\\SAM" -> "..\/..\/Windows\/System32\/config\/SAM"$/);
    const sym = await outcome({ Dockerfile: `FROM ${NANOSERVER}\nADD a.tar /dest/\n`, 'a.tar': await tarOf([{ header: { name: 'd/s', type: 'symlink', linkname: '../../out' } }]) });
    expect(sym.error).toMatch(/^failed to copy files: invalid symlink "\\\\\\\\\?\\\\Volume\{[0-9a-f-]{36}\}\\\\dest\\\\d\\\\s" -> "..\/..\/out"$/);
    // Links that stay inside are accepted (and not made: no reparse points from ADD archives).
    const inside = await outcome({ Dockerfile: `FROM ${NANOSERVER}\nADD a.tar /dest/\nCMD dir /b C:\\dest\\d`, 'a.tar': await tarOf([{ header: { name: 'd/f', type: 'file' }, body: 'f' }, { header: { name: 'd/s', type: 'symlink', linkname: '../d/f' } }, { header: { name: 'd/h', type: 'link', linkname: 'd/f' } }]) });
    expect((await runImage(host, inside.id!)).out).toBe('f\r\n');
  });
});
