// docker commit, save, load, import and export through the real docker CLI
// (issue 9 "Commit, diff, export" and "save / load"; moby's routes and texts:
// container_routes.go postCommit, daemon/commit.go, image_routes.go
// postImagesCreate / getImagesGet / postImagesLoad, daemon/export.go).
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { unpackTar } from '../../src/images/tar-stream.js';
import { DOCKER, NANOSERVER, useDaemon, type Result } from './support.js';

const d = useDaemon();

/** The CLI with a file as its stdin (`docker load < x.tar`), or its stdout into a file (`docker save > x.tar`). */
function dockerWithFiles(args: string[], files: { stdin?: string; stdout?: string }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const input = files.stdin ? openSync(files.stdin, 'r') : 'pipe';
    const output = files.stdout ? openSync(files.stdout, 'w') : 'pipe';
    const child = spawn(DOCKER, args, { env: d().env, stdio: [input, output, 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (typeof input === 'number') closeSync(input);
      if (typeof output === 'number') closeSync(output);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 });
    });
    if (!files.stdin) child.stdin!.end();
  });
}

/** manifest.json's RepoTags of a docker-archive (read, not loaded: a load costs seconds). */
async function manifestTags(file: string): Promise<string[][]> {
  for await (const e of unpackTar(createReadStream(file))) {
    if (e.name === 'manifest.json') return (JSON.parse(Buffer.from(e.data).toString('utf8')) as { RepoTags: string[] }[]).map((m) => m.RepoTags);
  }
  return [];
}

describe('docker commit', () => {
  test('a stopped container: sha256 id printed, tagged, its comment and author in history and inspect', async () => {
    expect((await d().docker(['run', '--name', 'made', NANOSERVER, 'write.exe', 'C:\\made.txt', 'committed bytes'])).code).toBe(0);
    const r = await d().docker(['commit', '-a', 'Jane <jane@example.com>', '-m', 'first commit', '-c', 'ENV GREETING=hello', '-c', 'CMD ["type.exe","C:\\\\made.txt"]', 'made', 'madeimg:v1']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    const id = r.stdout.trim();
    const history = await d().docker(['history', '--no-trunc', '--format', '{{.ID}}|{{.Comment}}', 'madeimg:v1']);
    expect(history.stdout.split('\n')[0]).toBe(`${id}|first commit`);
    const inspect = JSON.parse((await d().docker(['image', 'inspect', 'madeimg:v1'])).stdout)[0];
    expect(inspect).toMatchObject({ Id: id, RepoTags: ['madeimg:v1'], Author: 'Jane <jane@example.com>', Comment: 'first commit' });
    expect(inspect.Config.Env).toContain('GREETING=hello');
    // The new image runs with its committed file and CMD.
    expect(await d().docker(['run', '--rm', 'madeimg:v1'])).toMatchObject({ code: 0, stdout: 'committed bytes' });
  });

  test('without a reference the image is dangling; the running-container refusal is moby’s Windows text', async () => {
    const r = await d().docker(['commit', 'made']);
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect((await d().docker(['run', '-d', '--name', 'busy', NANOSERVER, 'idle.exe'])).code).toBe(0);
    expect(await d().docker(['commit', 'busy', 'never:1'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: windows does not support commit of a running container\n' });
    expect(await d().docker(['commit', 'nosuch', 'never:1'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: No such container: nosuch\n' });
    // moby builder/dockerfile BuildFromConfig: the instruction as the parser lowercases it.
    expect(await d().docker(['commit', '-c', 'FROBNICATE x', 'made'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: frobnicate is not a valid change command\n' });
    await d().docker(['rm', '-f', 'busy']);
  });
});

describe('docker save / load', () => {
  test('save -o and to stdout: the same archive; rmi; load -i and from stdin print the CLI’s lines', async () => {
    const a = join(d().dir, 'a.tar');
    const b = join(d().dir, 'b.tar');
    expect(await d().docker(['save', '-o', a, 'madeimg:v1'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await dockerWithFiles(['save', 'madeimg:v1'], { stdout: b })).toMatchObject({ code: 0, stderr: '' });
    expect(statSync(a).size).toBeGreaterThan(10_000);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const id = (await d().docker(['image', 'inspect', '--format', '{{.Id}}', 'madeimg:v1'])).stdout.trim();
    expect((await d().docker(['rmi', 'madeimg:v1'])).code).toBe(0);
    expect(await d().docker(['load', '-i', a])).toEqual({ code: 0, stdout: 'Loaded image: madeimg:v1\n', stderr: '' });
    expect((await d().docker(['image', 'inspect', '--format', '{{.Id}}', 'madeimg:v1'])).stdout.trim()).toBe(id);
    expect((await d().docker(['rmi', 'madeimg:v1'])).code).toBe(0);
    expect(await dockerWithFiles(['load', '-q'], { stdin: b })).toEqual({ code: 0, stdout: 'Loaded image: madeimg:v1\n', stderr: '' });
    expect(await d().docker(['run', '--rm', 'madeimg:v1'])).toMatchObject({ code: 0, stdout: 'committed bytes' });
  });

  test('an image saved by id loads as "Loaded image ID"; a missing name and a bad archive are errors', async () => {
    const id = (await d().docker(['image', 'inspect', '--format', '{{.Id}}', 'madeimg:v1'])).stdout.trim();
    const c = join(d().dir, 'c.tar');
    expect((await d().docker(['save', '-o', c, id.slice(7, 19)])).code).toBe(0);
    expect(await d().docker(['load', '-i', c])).toEqual({ code: 0, stdout: `Loaded image ID: ${id}\n`, stderr: '' });
    // A repository without a tag: every tag of it (moby tarexport parseNames).
    expect((await d().docker(['tag', 'madeimg:v1', 'madeimg:v2'])).code).toBe(0);
    const all = join(d().dir, 'all.tar');
    expect((await d().docker(['save', '-o', all, 'madeimg'])).code).toBe(0);
    expect(await manifestTags(all)).toEqual([['madeimg:v1', 'madeimg:v2']]);
    expect(await d().docker(['save', '-o', join(d().dir, 'x.tar'), 'nosuchimage'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: No such image: nosuchimage:latest\n' });
    const junk = join(d().dir, 'junk.tar');
    writeFileSync(junk, 'this is not a tar archive at all, '.repeat(40));
    // The error comes in the stream (moby's load route writes it there), so the CLI prints it bare.
    expect(await d().docker(['load', '-i', junk])).toEqual({ code: 1, stdout: '', stderr: 'archive/tar: invalid tar header\n' });
  });
});

describe('docker import / export on a Windows daemon', () => {
  test('export is refused with moby’s Windows text', async () => {
    expect(await d().docker(['export', '-o', join(d().dir, 'e.tar'), 'made'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error response from daemon: the daemon on this operating system does not support exporting Windows containers\n',
    });
  });

  test('import: hcsshim’s ProcessBaseLayer failure, as a Windows daemon answers a file system tar', async () => {
    const a = join(d().dir, 'a.tar');
    const r = await d().docker(['import', '-m', 'imported', '-c', 'ENV X=1', a, 'imported:v1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error response from daemon: re-exec error: exit status 1: output: hcsshim::ProcessBaseLayer \\\\\?\\C:\\ProgramData\\docker\\windowsfilter\\[0-9a-f]{64}: The system cannot find the path specified\.\n$/);
    // The changes are checked before the tar is read.
    expect(await d().docker(['import', '-c', 'FROBNICATE x', a])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: frobnicate is not a valid change command\n' });
  });
});
