// `docker run` through the real CLI (docker-engine-api.md §3.3–§3.5, §4,
// §5.5): create → attach → wait → start, output and exit codes, -d, --rm,
// -i, -e, -w, -v, --name, --isolation, resource flags and their errors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { NANOSERVER, useDaemon } from './support.js';

const d = useDaemon();
const N = NANOSERVER;

describe('docker run: the attached flow', () => {
  test('run --rm prints the container’s output and exits 0; the container is gone', async () => {
    expect(await d().docker(['run', '--rm', N, 'say.exe', 'hello', 'world'])).toEqual({ code: 0, stdout: 'hello world\r\n', stderr: '' });
    expect((await d().docker(['ps', '-aq'])).stdout).not.toContain('hello');
    expect(d().host.containers({ all: true }).some((c) => c.options.cmd?.[1] === 'hello')).toBe(false);
  });

  test('the CLI exits with the container’s exit code', async () => {
    expect((await d().docker(['run', '--rm', N, 'exitwith.exe', '3'])).code).toBe(3);
    expect((await d().docker(['run', N, 'exitwith.exe', '7'])).code).toBe(7);
  });

  test('stderr frames reach the CLI’s stderr (multiplexed stream without a tty)', async () => {
    expect(await d().docker(['run', '--rm', N, 'err.exe', 'oops'])).toEqual({ code: 1, stdout: '', stderr: 'oops\r\n' });
  });

  test('-i: piped stdin and its EOF reach the process even though they arrive before start (§4.3)', async () => {
    expect(await d().docker(['run', '-i', '--rm', N, 'cat.exe'], { stdin: 'one\ntwo\n' })).toEqual({ code: 0, stdout: 'one\ntwo\n', stderr: '' });
  });

  test('-e and -w reach the process', async () => {
    expect((await d().docker(['run', '--rm', '-e', 'GREETING=hi there', N, 'env.exe', 'GREETING'])).stdout).toBe('hi there\r\n');
    expect((await d().docker(['run', '--rm', '-w', 'C:\\Windows', N, 'pwd.exe'])).stdout).toBe('C:\\Windows\r\n');
  });

  test('-v binds a host directory into the container', async () => {
    const dir = mkdtempSync(join(d().dir, 'bind-'));
    writeFileSync(join(dir, 'in.txt'), 'from the host\n');
    const r = await d().docker(['run', '--rm', '-i', '-v', `${dir}:C:\\data`, N, 'cat.exe'], { stdin: '' });
    expect(r.code).toBe(0);
    const c = await d().docker(['create', '-v', `${dir}:C:\\data:ro`, N, 'say.exe']);
    const inspect = JSON.parse((await d().docker(['inspect', c.stdout.trim()])).stdout)[0];
    expect(inspect.Mounts).toEqual([{ Type: 'bind', Source: dir, Destination: 'c:\\data', Mode: '', RW: false, Propagation: '' }]);
    expect(inspect.HostConfig.Binds).toEqual([`${dir}:C:\\data:ro`]);
  });

  test('a bind source that does not exist is moby’s Windows mount error (125)', async () => {
    const r = await d().docker(['run', '--rm', '-v', '/no/such/dir:C:\\data', N, 'say.exe']);
    expect(r.code).toBe(125);
    expect(r.stderr).toBe(
      "docker: Error response from daemon: invalid volume specification: '/no/such/dir:C:\\data': invalid mount config for type \"bind\": bind source path does not exist: /no/such/dir\n\nRun 'docker run --help' for more information\n",
    );
  });

  test('a command that cannot be found exits 127 with the HCS error', async () => {
    const r = await d().docker(['run', '--rm', N, 'nosuch.exe']);
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/^docker: Error response from daemon: container [0-9a-f]{64} encountered an error during hcs::System::CreateProcess: .*The system cannot find the file specified\. \(0x2\)\n\nRun 'docker run --help' for more information\n$/);
  });

  test('--rm with a failed start still removes the container, so the CLI does not hang (gotcha 8)', async () => {
    const before = d().host.containers({ all: true }).length;
    expect((await d().docker(['run', '--rm', N, 'nosuch.exe'])).code).toBe(127);
    expect(d().host.containers({ all: true }).length).toBe(before);
  });
});

describe('docker run -d and --name', () => {
  test('-d prints the full id; the container runs until stopped', async () => {
    const r = await d().docker(['run', '-d', '--name', 'web', N, 'idle.exe']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect((await d().docker(['ps', '--format', '{{.Names}} {{.Status}}'])).stdout).toMatch(/^web Up /m);
    const again = await d().docker(['run', '-d', '--name', 'web', N, 'idle.exe']);
    expect(again.code).toBe(125);
    expect(again.stderr).toBe(
      `docker: Error response from daemon: Conflict. The container name "/web" is already in use by container "${r.stdout.trim()}". You have to remove (or rename) that container to be able to reuse that name.\n\nRun 'docker run --help' for more information\n`,
    );
    expect((await d().docker(['rm', '-f', 'web'])).stdout).toBe('web\n');
  });
});

describe('create-time validation (§5.5): exact messages, exit 125', () => {
  const refused = async (flags: string[], message: string): Promise<void> => {
    const r = await d().docker(['run', '--rm', ...flags, N, 'say.exe']);
    expect(r).toEqual({ code: 125, stdout: '', stderr: `docker: Error response from daemon: ${message}\n\nRun 'docker run --help' for more information\n` });
  };
  test('isolation', () => refused(['--isolation', 'foo'], "invalid isolation (foo): Windows supports 'default', 'process', or 'hyperv'"));
  test('privileged', () => refused(['--privileged'], 'invalid option: privileged mode is not supported for Windows containers'));
  test('read-only', () => refused(['--read-only'], 'invalid option: read-only mode is not supported for Windows containers'));
  test('cpu-percent range', () => refused(['--cpu-percent', '200'], 'range of CPUPercent is from 1 to 100'));
  test('cpu-shares range', () => refused(['--cpu-shares', '20000'], 'range of CPUShares is from 1 to 10000'));
  test('cpus beyond the host', () => refused(['--cpus', '8'], 'range of CPUs is from 0.01 to 4.00, as there are only 4 CPUs available'));
  test('cpus with cpu-percent', () => refused(['--cpus', '1', '--cpu-percent', '50'], 'conflicting options: Nano CPUs and CPU Percent cannot both be set'));
  test('unsupported resources by name', async () => {
    await refused(['--memory-reservation', '100m'], 'invalid option: Windows does not support MemoryReservation');
    await refused(['--cpuset-cpus', '0'], 'invalid option: Windows does not support CpusetCpus');
    await refused(['--pids-limit', '5'], 'invalid option: Windows does not support PidsLimit');
    await refused(['--ulimit', 'nofile=10'], 'invalid option: Windows does not support Ulimits');
    await refused(['--blkio-weight', '20'], 'invalid option: Windows does not support BlkioWeight');
  });
  test('a bad --storage-opt size fails the create with the driver’s text', () => refused(['--storage-opt', 'size=bogus'], "failed to parse storage options: invalid size: 'bogus'"));
  test('a bad restart policy', async () => {
    const r = await d().docker(['create', '--restart', 'sometimes', N, 'say.exe']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: "Error response from daemon: invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'\n" });
  });
  test('the precedence warnings are printed and the container runs', async () => {
    const r = await d().docker(['run', '--rm', '--cpu-count', '2', '--cpu-shares', '100', N, 'say.exe', 'ok']);
    expect(r).toEqual({ code: 0, stdout: 'ok\r\n', stderr: 'WARNING: Conflicting options: CPU count takes priority over CPU shares on Windows Server Containers. CPU shares discarded\n' });
  });
  test('--isolation hyperv runs in a utility VM; inspect shows the resolved isolation', async () => {
    expect((await d().docker(['run', '--rm', '--isolation', 'hyperv', N, 'say.exe', 'vm'])).stdout).toBe('vm\r\n');
    const id = (await d().docker(['create', N, 'say.exe'])).stdout.trim();
    expect((await d().docker(['inspect', '--format', '{{.HostConfig.Isolation}} {{.HostConfig.NetworkMode}} {{.HostConfig.LogConfig.Type}}', id])).stdout).toBe('process nat json-file\n');
  });
});

describe('images the CLI must pull first', () => {
  test('an unknown image: the CLI reports it missing, tries to pull, and shows the registry’s refusal', async () => {
    const r = await d().docker(['run', '--rm', 'nosuch:1', 'say.exe']);
    expect(r.code).toBe(125);
    expect(r.stderr).toBe(
      "Unable to find image 'nosuch:1' locally\ndocker: Error response from daemon: pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n\nRun 'docker run --help' for more information\n",
    );
  });
});
