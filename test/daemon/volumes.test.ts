// Volumes of the local driver through the real docker CLI, as moby v28 keeps
// them on Windows (volume/local, volume/service): create/ls/inspect/rm/prune
// with moby's texts, named volumes shared between containers, anonymous ones
// for an image's VOLUME (labelled, gone with `rm -v` and `--rm`), `in use`,
// docker ps's volume filter and docker system df's Local Volumes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SERVERCORE, useDaemon } from './support.js';

const d = useDaemon({ images: [SERVERCORE] });

describe('docker volume', () => {
  test('create, ls, inspect (Windows mount point), create again is the same volume, rm; moby’s errors', async () => {
    expect((await d().docker(['volume', 'create', 'data1'])).stdout).toBe('data1\n');
    expect((await d().docker(['volume', 'create', 'data1'])).stdout).toBe('data1\n');
    expect((await d().docker(['volume', 'ls'])).stdout).toBe('DRIVER    VOLUME NAME\nlocal     data1\n');
    const v = JSON.parse((await d().docker(['volume', 'inspect', 'data1'])).stdout)[0];
    expect(v).toEqual({ CreatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), Driver: 'local', Labels: null, Mountpoint: 'C:\\ProgramData\\docker\\volumes\\data1\\_data', Name: 'data1', Options: null, Scope: 'local' });
    expect((await d().docker(['volume', 'create', '--label', 'team=web', 'data2'])).code).toBe(0);
    expect((await d().docker(['volume', 'ls', '-q', '--filter', 'label=team=web'])).stdout).toBe('data2\n');
    expect((await d().docker(['volume', 'create', 'x'])).stderr).toBe('Error response from daemon: create x: volume name is too short, names should be at least two alphanumeric characters\n');
    expect((await d().docker(['volume', 'create', 'a b'])).stderr).toBe(
      'Error response from daemon: create a b: "a b" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path\n',
    );
    expect((await d().docker(['volume', 'create', '-o', 'type=nfs', 'data3'])).stderr).toBe('Error response from daemon: create data3: options are not supported on this platform\n');
    expect((await d().docker(['volume', 'create', '-d', 'foo', 'data3'])).stderr).toBe('Error response from daemon: error looking up volume plugin foo: plugin "foo" not found\n');
    expect((await d().docker(['volume', 'inspect', 'nosuch'])).stderr).toBe('Error response from daemon: get nosuch: no such volume\n');
    expect((await d().docker(['volume', 'rm', 'data1', 'data2'])).stdout).toBe('data1\ndata2\n');
    expect((await d().docker(['volume', 'ls', '-q'])).stdout).toBe('');
  });

  test('a named volume keeps what one container wrote for the next; in use it cannot go; ps filters by it', async () => {
    expect((await d().docker(['run', '--rm', '-v', 'shared:C:\\data', SERVERCORE, 'cmd', '/c', 'echo kept> C:\\data\\note.txt'])).code).toBe(0);
    const read = await d().docker(['run', '--rm', '-v', 'shared:C:\\data:ro', SERVERCORE, 'cmd', '/c', 'type C:\\data\\note.txt']);
    expect(read.stdout).toBe('kept\r\n');
    expect((await d().docker(['create', '--name', 'user1', '-v', 'shared:C:\\data', SERVERCORE, 'cmd'])).code).toBe(0);
    const id = (await d().docker(['inspect', '-f', '{{.Id}}', 'user1'])).stdout.trim();
    expect(JSON.parse((await d().docker(['inspect', '-f', '{{json .Mounts}}', 'user1'])).stdout)).toEqual([
      { Type: 'volume', Name: 'shared', Source: 'C:\\ProgramData\\docker\\volumes\\shared\\_data', Destination: 'c:\\data', Driver: 'local', Mode: '', RW: true, Propagation: '' },
    ]);
    expect((await d().docker(['ps', '-a', '--filter', 'volume=shared', '--format', '{{.Names}}'])).stdout).toBe('user1\n');
    expect((await d().docker(['ps', '-a', '--filter', 'volume=c:\\data', '--format', '{{.Names}}'])).stdout).toBe('user1\n');
    expect((await d().docker(['volume', 'rm', 'shared'])).stderr).toBe(`Error response from daemon: remove shared: volume is in use - [${id}]\n`);
    expect((await d().docker(['volume', 'ls', '-q', '--filter', 'dangling=true'])).stdout).toBe('');
    const df = (await d().docker(['system', 'df'])).stdout;
    expect(df).toMatch(/^Local Volumes +1 +1 +6B +0B \(0%\)$/m);
    expect((await d().docker(['rm', 'user1'])).code).toBe(0);
    expect((await d().docker(['volume', 'ls', '-q', '--filter', 'dangling=true'])).stdout).toBe('shared\n');
    expect((await d().docker(['volume', 'rm', 'shared'])).code).toBe(0);
  });

  test("an image's VOLUME gets an anonymous, labelled volume; rm -v and --rm take it, prune takes only anonymous ones unless --all", async () => {
    const ctx = mkdtempSync(join(d().dir, 'vol-ctx-'));
    writeFileSync(join(ctx, 'Dockerfile'), `FROM ${SERVERCORE}\nVOLUME C:/cache\n`);
    expect((await d().docker(['build', '-q', '-t', 'withvolume', ctx], { env: { DOCKER_BUILDKIT: '0' } })).code).toBe(0);
    expect((await d().docker(['run', '--name', 'anon1', 'withvolume', 'cmd', '/c', 'echo x> C:\\cache\\f.txt'])).code).toBe(0);
    const mounts = JSON.parse((await d().docker(['inspect', '-f', '{{json .Mounts}}', 'anon1'])).stdout) as { Name: string; Destination: string }[];
    expect(mounts).toHaveLength(1);
    expect(mounts[0]!.Name).toMatch(/^[0-9a-f]{64}$/);
    expect(mounts[0]!.Destination).toBe('c:\\cache');
    const anon = mounts[0]!.Name;
    expect(JSON.parse((await d().docker(['volume', 'inspect', anon])).stdout)[0].Labels).toEqual({ 'com.docker.volume.anonymous': '' });
    expect((await d().docker(['rm', '-v', 'anon1'])).code).toBe(0);
    expect((await d().docker(['volume', 'ls', '-q'])).stdout).toBe('');
    // --rm removes the anonymous volume with the container; a named one stays.
    expect((await d().docker(['run', '--rm', '-v', 'keepme:C:\\k', 'withvolume', 'cmd', '/c', 'echo'])).code).toBe(0);
    expect((await d().docker(['volume', 'ls', '-q'])).stdout).toBe('keepme\n');
    // Prune: a container's anonymous volume left by plain rm goes; the named one only with --all.
    expect((await d().docker(['run', '--name', 'anon2', 'withvolume', 'cmd', '/c', 'echo abc> C:\\cache\\f.txt'])).code).toBe(0);
    const anon2 = (await d().docker(['inspect', '-f', '{{range .Mounts}}{{.Name}}{{end}}', 'anon2'])).stdout.trim();
    expect((await d().docker(['rm', 'anon2'])).code).toBe(0);
    expect((await d().docker(['volume', 'prune', '-f'])).stdout).toBe(`Deleted Volumes:\n${anon2}\n\nTotal reclaimed space: 5B\n`);
    expect((await d().docker(['volume', 'prune', '-f', '--all'])).stdout).toBe('Deleted Volumes:\nkeepme\n\nTotal reclaimed space: 0B\n');
    expect((await d().docker(['volume', 'ls', '-q'])).stdout).toBe('');
  }, 60_000);
});
