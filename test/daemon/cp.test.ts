// `docker cp` both ways (docker-engine-api.md §3.11): the path-stat header,
// tar named by the base name, 0755 entries, extraction into a directory,
// the CLI's rename when the destination is new, a missing path's 404.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { NANOSERVER, useDaemon } from './support.js';

const d = useDaemon();

describe('docker cp', () => {
  test('out of a container: the file, named as asked, -rwxr-xr-x', async () => {
    expect((await d().docker(['run', '-d', '--name', 'cpbox', NANOSERVER, 'idle.exe'])).code).toBe(0);
    expect((await d().docker(['exec', 'cpbox', 'write.exe', 'C:\\hello.txt', 'hello from the container'])).code).toBe(0);
    const out = join(d().dir, 'out.txt');
    expect(await d().docker(['cp', 'cpbox:C:/hello.txt', out])).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(out, 'utf8')).toBe('hello from the container');
    expect(statSync(out).mode & 0o777).toBe(0o755);
  });

  test('the path-stat header: name, size, Go file mode', async () => {
    const r = await d().http('HEAD', '/v1.50/containers/cpbox/archive?path=C%3A%5Chello.txt');
    expect(r.status).toBe(200);
    const stat = JSON.parse(Buffer.from(String(r.headers['x-docker-container-path-stat']), 'base64').toString());
    expect(stat).toMatchObject({ name: 'hello.txt', size: 24, mode: 438, linkTarget: '' });
    const dir = await d().http('HEAD', '/v1.50/containers/cpbox/archive?path=%2FWindows');
    expect(JSON.parse(Buffer.from(String(dir.headers['x-docker-container-path-stat']), 'base64').toString()).mode).toBe(2147484159);
  });

  test('into a container: into a directory, and to a new name', async () => {
    const src = join(d().dir, 'local.txt');
    writeFileSync(src, 'from the host\n');
    expect((await d().docker(['cp', src, 'cpbox:C:\\'])).code).toBe(0);
    expect((await d().docker(['exec', 'cpbox', 'type.exe', 'C:\\local.txt'])).stdout).toBe('from the host\n');
    expect((await d().docker(['cp', src, 'cpbox:C:/renamed.txt'])).code).toBe(0);
    expect((await d().docker(['exec', 'cpbox', 'type.exe', 'C:\\renamed.txt'])).stdout).toBe('from the host\n');
  });

  test('a directory both ways', async () => {
    const tree = join(d().dir, 'tree');
    mkdirSync(join(tree, 'sub'), { recursive: true });
    writeFileSync(join(tree, 'sub', 'a.txt'), 'a');
    expect((await d().docker(['cp', tree, 'cpbox:/'])).code).toBe(0);
    expect((await d().docker(['exec', 'cpbox', 'type.exe', 'C:\\tree\\sub\\a.txt'])).stdout).toBe('a');
    const back = join(d().dir, 'back');
    expect((await d().docker(['cp', 'cpbox:/tree', back])).code).toBe(0);
    expect(readFileSync(join(back, 'sub', 'a.txt'), 'utf8')).toBe('a');
  });

  test('a created, never-started container: cp both ways, and its first start runs on the copied file', async () => {
    // moby makes a container's read-write layer at create (daemon/create.go setRWLayer): `docker create` + `docker cp` + `docker start` is a common way to seed a container.
    expect((await d().docker(['create', '--name', 'cpnew', NANOSERVER, 'type.exe', 'C:\\seed.txt'])).code).toBe(0);
    const src = join(d().dir, 'seed.txt');
    writeFileSync(src, 'seeded before the first start\n');
    expect(await d().docker(['cp', src, 'cpnew:C:/seed.txt'])).toMatchObject({ code: 0, stderr: '' });
    const back = join(d().dir, 'seed-back.txt');
    expect(await d().docker(['cp', 'cpnew:C:/seed.txt', back])).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(back, 'utf8')).toBe('seeded before the first start\n');
    expect((await d().docker(['inspect', '-f', '{{.State.Status}}', 'cpnew'])).stdout).toBe('created\n');
    expect(await d().docker(['start', '-a', 'cpnew'])).toMatchObject({ code: 0, stdout: 'seeded before the first start\n' });
    expect((await d().docker(['rm', 'cpnew'])).code).toBe(0);
  });

  test('a missing path is docker’s 404 text; extracting onto a file is refused', async () => {
    expect(await d().docker(['cp', 'cpbox:/nosuch.txt', join(d().dir, 'x')])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: Could not find the file /nosuch.txt in container cpbox\n' });
    const r = await d().http('PUT', '/v1.50/containers/cpbox/archive?path=%2Fhello.txt', '', { 'Content-Type': 'text/plain' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toBe('extraction point is not a directory');
  });
});
