// `docker cp` out of a container when a file cannot be archived part-way, as
// moby's Tarballer does (go-archive archive.go Do, addTarFile; the errors
// only logged on the daemon): a name gone since its folder was listed is
// skipped and the archive stays whole; a file there but unreadable (held
// open without sharing) gets its header, and the archive ends right there —
// no more entries, no end-of-archive blocks — which the CLI reports when
// it extracts.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { entriesOf } from '../../src/daemon/archive.js';
import { NANOSERVER, useDaemon } from './support.js';

const d = useDaemon();

describe('docker cp out of a container failing part-way (moby go-archive Tarballer)', () => {
  test('setup: a folder with a file held open without sharing', async () => {
    d().host.registerProgram('C:\\Windows\\System32\\lockone.exe', async (ctx) => {
      const fs = ctx.fs!;
      fs.createDirectory('C:\\d', ctx.cwd);
      for (const [n, t] of [['a.txt', 'first'], ['c.txt', 'third']] as const) {
        const h = fs.open(`C:\\d\\${n}`, ctx.cwd, { disposition: 'overwriteIf', write: true, nonDirectory: true });
        h.write(0, Buffer.from(t));
        h.close();
      }
      // Held open for writing, shared with nobody: readers get ERROR_SHARING_VIOLATION.
      const held = fs.open('C:\\d\\b.txt', ctx.cwd, { disposition: 'overwriteIf', write: true, nonDirectory: true, shareRead: false, shareWrite: false, shareDelete: false });
      held.write(0, Buffer.from('second'));
      await ctx.stdout.write('ready\r\n');
      await ctx.sleep(2 ** 31 - 1);
      held.close();
      return 0;
    });
    expect((await d().docker(['run', '-d', '--name', 'lockbox', NANOSERVER, 'lockone.exe'])).code).toBe(0);
    for (let i = 0; i < 200 && !(await d().docker(['logs', 'lockbox'])).stdout.includes('ready'); i++) await new Promise((r) => setImmediate(r));
    expect((await d().docker(['logs', 'lockbox'])).stdout).toContain('ready');
  });

  test('the archive ends after the unreadable file’s header: no later entry, no end-of-archive blocks', async () => {
    const r = await d().http('GET', '/v1.50/containers/lockbox/archive?path=C%3A%5Cd');
    expect(r.status).toBe(200);
    const body = Buffer.from(r.body, 'latin1');
    // d/ (a header), d/a.txt (a header and one data block), d/b.txt (its header only).
    expect(body.length).toBe(4 * 512);
    expect(body.subarray(3 * 512, 3 * 512 + 7).toString()).toBe('d/b.txt');
    expect(r.body).not.toContain('c.txt');
  });

  test('the CLI extracting it reports the cut-short archive', async () => {
    const out = mkdtempSync(join(d().dir, 'partial-'));
    const r = await d().docker(['cp', 'lockbox:C:\\d', join(out, 'd')]);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe('unexpected EOF\n');
  });

  test('a name gone since its folder was listed is skipped; the archive goes on', () => {
    const c = d().host.container('lockbox')!;
    const v = c.computeSystem!.sandbox.volume;
    v.createDirectory('\\e');
    for (const n of ['x.txt', 'y.txt', 'z.txt']) {
      const h = v.open(`\\e\\${n}`, { disposition: 'create', write: true, nonDirectory: true });
      h.write(0, Buffer.from(n));
      h.close();
    }
    const names: string[] = [];
    const unread: string[] = [];
    for (const e of entriesOf(v, '\\e', 'e', v.stat('\\e'), (u) => unread.push(u.name))) {
      names.push(e.name);
      // Once x.txt is out, y.txt goes (as a process in the container may delete it meanwhile).
      if (e.name === 'e/x.txt') v.deleteFile('\\e\\y.txt');
    }
    expect(names).toEqual(['e/', 'e/x.txt', 'e/z.txt']);
    expect(unread).toEqual([]);
  });
});
