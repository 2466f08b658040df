// `docker exec` (docker-engine-api.md §3.7): hijacked start, framing,
// exit code from the exec inspect (set before the stream ends), stdin,
// -d, errors; and cmd.exe, once the shell registers it.
import { describe, expect, test } from 'vitest';
import { NANOSERVER, useDaemon } from './support.js';

const d = useDaemon();
const N = NANOSERVER;

describe('docker exec', () => {
  test('output, stderr and the exit code (the inspect after EOF sees it)', async () => {
    expect((await d().docker(['run', '-d', '--name', 'box', N, 'idle.exe'])).code).toBe(0);
    expect(await d().docker(['exec', 'box', 'say.exe', 'in', 'exec'])).toEqual({ code: 0, stdout: 'in exec\r\n', stderr: '' });
    expect(await d().docker(['exec', 'box', 'err.exe', 'on', 'stderr'])).toEqual({ code: 1, stdout: '', stderr: 'on stderr\r\n' });
    for (let i = 0; i < 5; i++) expect((await d().docker(['exec', 'box', 'exitwith.exe', String(40 + i)])).code).toBe(40 + i);
  });

  test('-i: stdin and its EOF reach the process', async () => {
    expect(await d().docker(['exec', '-i', 'box', 'cat.exe'], { stdin: 'a\nb\n' })).toEqual({ code: 0, stdout: 'a\nb\n', stderr: '' });
  });

  test('-e and -w apply to the exec', async () => {
    expect((await d().docker(['exec', '-e', 'X=1', 'box', 'env.exe', 'X'])).stdout).toBe('1\r\n');
    expect((await d().docker(['exec', '-w', 'C:\\Windows', 'box', 'pwd.exe'])).stdout).toBe('C:\\Windows\r\n');
  });

  test('-d starts the process and returns at once', async () => {
    expect(await d().docker(['exec', '-d', 'box', 'say.exe', 'detached'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('a program that does not exist: the HCS error in the stream, exit 127', async () => {
    const r = await d().docker(['exec', 'box', 'nosuch.exe']);
    expect(r.code).toBe(127);
    expect(r.stdout).toMatch(/encountered an error during hcs::System::CreateProcess: .*The system cannot find the file specified\. \(0x2\)\r\n$/);
  });

  test('exec in a stopped container is 409; an unknown exec is 404', async () => {
    await d().docker(['run', '--name', 'gone', N, 'say.exe']);
    const id = (await d().docker(['inspect', '--format', '{{.Id}}', 'gone'])).stdout.trim();
    expect(await d().docker(['exec', 'gone', 'say.exe'])).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: container ${id} is not running\n` });
    const r = await d().http('GET', '/v1.50/exec/nosuch/json');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body).message).toBe('No such exec instance: nosuch');
  });

  test('exec without a command is 400', async () => {
    const r = await d().http('POST', '/v1.50/containers/box/exec', JSON.stringify({ Cmd: [] }), { 'Content-Type': 'application/json' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toBe('No exec command specified');
  });
});

describe('with cmd.exe (the shell)', () => {
  const hasCmd = (): boolean => d().host.kernel.programs.has('C:\\Windows\\System32\\cmd.exe');

  test('docker run --rm IMAGE cmd /c echo hi', async () => {
    if (!hasCmd()) return;
    expect(await d().docker(['run', '--rm', N, 'cmd', '/c', 'echo', 'hi'])).toEqual({ code: 0, stdout: 'hi\r\n', stderr: '' });
    expect((await d().docker(['run', '--rm', N, 'cmd', '/c', 'exit 3'])).code).toBe(3);
  });

  test('docker exec CTR cmd /c …, and a script on stdin', async () => {
    if (!hasCmd()) return;
    expect(await d().docker(['exec', 'box', 'cmd', '/c', 'echo', 'from', 'exec'])).toEqual({ code: 0, stdout: 'from exec\r\n', stderr: '' });
    const r = await d().docker(['exec', '-i', 'box', 'cmd'], { stdin: 'echo piped\r\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('piped\r\n');
  });
});
