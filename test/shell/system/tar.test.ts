// tar.exe (bsdtar) as Dockerfiles use it: unpacking a zip or a .tar.gz made
// elsewhere (Python's zipfile and tarfile here), packing a folder as tar,
// tar.gz or zip (-a), and bsdtar's messages.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { python } from '../../support/python.js';
import { run } from '../support.js';

const dir = mkdtempSync(join(tmpdir(), 'winsilo-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const binds = [{ hostPath: dir, containerPath: 'C:\\t', readOnly: false }];
const cmd = (line: string) => run(['cmd', '/c', line], { binds });

describe('tar -x', () => {
  test('a zip and a .tar.gz made elsewhere unpack under -C; -v names each member on stderr', async () => {
    python(`import zipfile, tarfile, io\nz = zipfile.ZipFile('${dir}/tool.zip', 'w')\nz.writestr('tool/bin/run.cmd', '@echo run')\nz.close()\nt = tarfile.open('${dir}/data.tar.gz', 'w:gz')\nb = b'payload'\ni = tarfile.TarInfo('data/p.txt'); i.size = len(b)\nt.addfile(i, io.BytesIO(b))\nt.close()`);
    const r = await cmd('md C:\\opt & tar -xf C:\\t\\tool.zip -C C:\\opt & tar -xvzf C:\\t\\data.tar.gz -C C:\\opt & type C:\\opt\\tool\\bin\\run.cmd & type C:\\opt\\data\\p.txt');
    expect(r.stdout).toBe('@echo runpayload');
    expect(r.stderr).toBe('x data/p.txt\r\n');
  });

  test('a missing archive, a member with .., and no mode: bsdtar’s words, exit 1', async () => {
    python(`import tarfile, io\nt = tarfile.open('${dir}/evil.tar', 'w')\nfor n in ['ok.txt', '../escape.txt']:\n  i = tarfile.TarInfo(n); i.size = 1; t.addfile(i, io.BytesIO(b'x'))\nt.close()`);
    expect(await cmd('tar -xf C:\\nope.tar')).toEqual({ stdout: '', stderr: "tar: Error opening archive: Failed to open 'C:\\nope.tar'\r\n", exitCode: 1 });
    const evil = await cmd('md C:\\e & tar -xf C:\\t\\evil.tar -C C:\\e || echo failed & dir /b C:\\e & if exist C:\\escape.txt echo escaped');
    expect(evil.stderr).toBe("tar: ../escape.txt: Path contains '..'\r\ntar: Error exit delayed from previous errors.\r\n");
    expect(evil.stdout).toBe('failed \r\nok.txt\r\n');
    const usage = await cmd('tar -f x.tar');
    expect(usage).toEqual({ stdout: '', stderr: 'tar: Must specify one of -c, -r, -t, -u, -x\r\nUsage:\r\n  List:    tar -tf <archive-filename>\r\n  Extract: tar -xf <archive-filename>\r\n  Create:  tar -cf <archive-filename> [filenames...]\r\n  Help:    tar --help\r\n', exitCode: 1 });
  });
});

describe('tar -c and -t', () => {
  test('-czf packs a folder with / separators; -a -c -f out.zip makes a zip; -tf lists; Python reads both', async () => {
    const r = await cmd('md C:\\app\\sub & echo one> C:\\app\\one.txt & echo two> C:\\app\\sub\\two.txt & cd /d C:\\ & tar -czf C:\\t\\app.tgz app & tar -a -c -f C:\\t\\app.zip app & tar -tf C:\\t\\app.tgz');
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\r\n').filter(Boolean).sort()).toEqual(['app/', 'app/one.txt', 'app/sub/', 'app/sub/two.txt']);
    expect(python(`import tarfile\nt = tarfile.open('${dir}/app.tgz')\nprint(sorted(t.getnames()), t.extractfile('app/sub/two.txt').read())`)).toBe("['app', 'app/one.txt', 'app/sub', 'app/sub/two.txt'] b'two \\r\\n'\n");
    expect(python(`import zipfile\nz = zipfile.ZipFile('${dir}/app.zip')\nprint(sorted(z.namelist()), z.read('app/one.txt'))`)).toBe("['app/', 'app/one.txt', 'app/sub/', 'app/sub/two.txt'] b'one \\r\\n'\n");
  });

  test('--version is Windows’ bsdtar; a missing input is reported and the exit delayed', async () => {
    expect((await run(['tar', '--version'])).stdout).toBe('bsdtar 3.5.2 - libarchive 3.5.2 zlib/1.2.5.f-ipp\r\n');
    const r = await cmd('tar -cf C:\\t\\x.tar C:\\nope');
    expect(r).toEqual({ stdout: '', stderr: "tar: C:\\nope: Couldn't find file: No such file or directory\r\ntar: Error exit delayed from previous errors.\r\n", exitCode: 1 });
  });
});
