// `docker cp` and bind mounts, and container paths typed with backslashes,
// as a Windows daemon answers the docker CLI on Linux:
//  - moby's archive routes work on the container's volume as mounted on
//    the host (daemon/archive_windows.go), with links followed in the
//    container's scope (daemon/container/archive_windows.go ResolvePath,
//    GetResourcePath); volumes are not mounted there
//    (container_operations_windows.go mountVolumes is a no-op). A `-v`
//    folder is a link `C:\data` → `\\?\ContainerMappedDirectories\<GUID>`
//    inside the container, which leads nowhere on the volume: a path in it
//    is os.IsNotExist, moby's 404 `Could not find the file …`
//    (moby/moby#34576 shows the host path it tried).
//  - The Linux CLI splits container paths on `/` only (archive
//    SplitPathDirEntry): `docker cp f ctr:C:\x\new.htm` sends path `.` and
//    the entry renamed `C:\x\new.htm`; moby v28's Untar joins it under the
//    destination and the create fails on the `C:` name
//    (`open \\?\Volume{…}\C:\x\new.htm: The filename, directory name, or volume label syntax is incorrect.`).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { NANOSERVER, useDaemon } from './support.js';

const d = useDaemon();

describe('docker cp and a -v bind mount (moby: volumes are not mounted for cp on Windows)', () => {
  test('out of a path in the mounted folder: 404 Could not find the file', async () => {
    const dir = mkdtempSync(join(d().dir, 'bind-'));
    writeFileSync(join(dir, 'x.txt'), 'on the host');
    expect((await d().docker(['run', '-d', '--name', 'mbox', '-v', `${dir}:C:\\data`, NANOSERVER, 'idle.exe'])).code).toBe(0);
    // Inside the container the file is there (the silo's view follows the mapping).
    expect(await d().docker(['exec', 'mbox', 'type.exe', 'C:\\data\\x.txt'])).toMatchObject({ code: 0, stdout: 'on the host' });
    expect(await d().docker(['cp', 'mbox:C:\\data\\x.txt', '-'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: Could not find the file C:\\data\\x.txt in container mbox\n' });
    expect(await d().docker(['cp', 'mbox:C:/data/x.txt', '-'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: Could not find the file C:/data/x.txt in container mbox\n' });
    const head = await d().http('HEAD', '/v1.50/containers/mbox/archive?path=C%3A%5Cdata%5Cx.txt');
    expect(head.status).toBe(404);
  });

  test('into the mounted folder: the CLI’s PUT fails as moby’s does, nothing lands on the host folder', async () => {
    const src = join(d().dir, 'in.txt');
    writeFileSync(src, 'to the container');
    // Forward slashes: the stat is 404, so the CLI takes C:/data as new and extracts `data` at `C:` —
    // through the link to a folder the volume does not have.
    const fwd = await d().docker(['cp', src, 'mbox:C:/data/in.txt']);
    expect(fwd).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: Could not find the file C:/data in container mbox\n' });
    // Backslashes: path `.`, the entry named `C:\data\` (Linux CLI), moby's open error on the `C:` name.
    const back = await d().docker(['cp', src, 'mbox:C:\\data\\']);
    expect(back.code).toBe(1);
    expect(back.stderr).toMatch(/^Error response from daemon: open \\\\\?\\Volume\{[0-9a-f-]{36}\}\\C:\\data: The filename, directory name, or volume label syntax is incorrect\.\n$/);
    expect(await d().docker(['exec', 'mbox', 'cmd.exe', '/c', 'dir', '/b', 'C:\\data'])).toMatchObject({ stdout: 'x.txt\r\n' });
  });
});

describe('container paths typed with backslashes (the CLI on Linux)', () => {
  test('an existing folder with backslashes works (the stat finds it, the PUT names it)', async () => {
    const src = join(d().dir, 'page.htm');
    writeFileSync(src, '<p>hi</p>');
    expect((await d().docker(['exec', 'mbox', 'cmd.exe', '/c', 'mkdir', 'C:\\inetpub\\wwwroot'])).code).toBe(0);
    expect((await d().docker(['cp', src, 'mbox:C:\\inetpub\\wwwroot\\'])).code).toBe(0);
    expect((await d().docker(['exec', 'mbox', 'type.exe', 'C:\\inetpub\\wwwroot\\page.htm'])).stdout).toBe('<p>hi</p>');
  });

  test('a new name with backslashes: moby v28’s open error on the `C:` entry name', async () => {
    const src = join(d().dir, 'page.htm');
    const r = await d().docker(['cp', src, 'mbox:C:\\inetpub\\wwwroot\\x.htm']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error response from daemon: open \\\\\?\\Volume\{[0-9a-f-]{36}\}\\C:\\inetpub\\wwwroot\\x\.htm: The filename, directory name, or volume label syntax is incorrect\.\n$/);
    expect((await d().docker(['exec', 'mbox', 'cmd.exe', '/c', 'dir', '/b', 'C:\\inetpub\\wwwroot'])).stdout).toBe('page.htm\r\n');
    // The same with forward slashes is a copy to the new name.
    expect((await d().docker(['cp', src, 'mbox:C:/inetpub/wwwroot/x.htm'])).code).toBe(0);
    expect((await d().docker(['exec', 'mbox', 'type.exe', 'C:\\inetpub\\wwwroot\\x.htm'])).stdout).toBe('<p>hi</p>');
  });
});
