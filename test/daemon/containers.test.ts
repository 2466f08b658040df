// Container commands after run (docker-engine-api.md §3.2, §3.6, §3.8–§3.10,
// §3.16, §5.2, §5.3): ps, inspect, logs, stop/kill/rm, rename, restart,
// pause, wait, top, stats, system df, prune — through the real CLI.
import { describe, expect, test } from 'vitest';
import { DOCKER, NANOSERVER, useDaemon } from './support.js';
import { spawn } from 'node:child_process';

const d = useDaemon();
const N = NANOSERVER;

async function runDetached(name: string, ...cmd: string[]): Promise<string> {
  const r = await d().docker(['run', '-d', '--name', name, N, ...(cmd.length ? cmd : ['idle.exe'])]);
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

describe('ps and inspect', () => {
  test('ps lists running containers; -a adds stopped ones, newest first, with docker’s STATUS texts', async () => {
    await d().docker(['run', '--name', 'done3', N, 'exitwith.exe', '3']);
    const id = await runDetached('up1');
    const ps = await d().docker(['ps', '--format', '{{.ID}} {{.Names}} {{.Command}} {{.Status}}']);
    expect(ps.stdout).toMatch(new RegExp(`^${id.slice(0, 12)} up1 "idle.exe" Up (Less than a second|\\d+ seconds?)\\n$`));
    const all = await d().docker(['ps', '-a', '--format', '{{.Names}}|{{.Status}}']);
    const lines = all.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^up1\|Up /);
    expect(lines[1]).toMatch(/^done3\|Exited \(3\) (Less than a second|\d+ seconds?) ago$/);
    const filtered = await d().docker(['ps', '-a', '--filter', 'status=exited', '--filter', 'exited=3', '--format', '{{.Names}}']);
    expect(filtered.stdout).toBe('done3\n');
  });

  test('labels: --label shows in inspect and ps; both filter shapes select by label (the CLI’s and compose’s)', async () => {
    expect((await d().docker(['run', '-d', '--name', 'lab1', '--label', 'com.docker.compose.project=p', N, 'idle.exe'])).code).toBe(0);
    expect((await d().docker(['ps', '--filter', 'label=com.docker.compose.project=p', '--format', '{{.Names}}'])).stdout).toBe('lab1\n');
    const r = await d().http('GET', `/v1.50/containers/json?all=1&limit=-1&filters=${encodeURIComponent('{"label":["com.docker.compose.project=p"]}')}`);
    expect(JSON.parse(r.body).map((c: { Names: string[] }) => c.Names[0])).toEqual(['/lab1']);
    expect((await d().docker(['rm', '-f', 'lab1'])).code).toBe(0);
  });

  test('inspect: Windows fields, State, Config merged with the image, LogConfig present (gotcha 15)', async () => {
    const i = JSON.parse((await d().docker(['inspect', 'up1'])).stdout)[0];
    expect(i.Name).toBe('/up1');
    expect(i.Driver).toBe('windowsfilter');
    expect(i.Platform).toBe('windows');
    expect(i.State).toMatchObject({ Status: 'running', Running: true, Paused: false, ExitCode: 0, FinishedAt: '0001-01-01T00:00:00Z' });
    expect(i.State.Pid).toBeGreaterThan(0);
    expect(i.Path).toBe('idle.exe');
    expect(i.Config.Hostname).toBe(i.Id.slice(0, 12));
    expect(i.Config.User).toBe('ContainerUser');
    expect(i.HostConfig).toMatchObject({ NetworkMode: 'nat', Isolation: 'process', LogConfig: { Type: 'json-file', Config: {} }, RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } });
  });

  test('short ids and names resolve; an unknown name is docker’s 404 (and `Error: No such object`)', async () => {
    const id = (await d().docker(['inspect', '--format', '{{.Id}}', 'up1'])).stdout.trim();
    expect((await d().docker(['inspect', '--format', '{{.Name}}', id.slice(0, 12)])).stdout).toBe('/up1\n');
    expect(await d().docker(['inspect', 'nosuch'])).toEqual({ code: 1, stdout: '[]\n', stderr: 'Error: No such object: nosuch\n' });
    expect(await d().docker(['stop', 'nosuch'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: No such container: nosuch\n' });
  });
});

describe('logs', () => {
  test('logs, --tail and -t (RFC 3339 with nine fraction digits)', async () => {
    await d().docker(['run', '--name', 'talk', N, 'lines.exe', '3']);
    expect((await d().docker(['logs', 'talk'])).stdout).toBe('line 1\r\nline 2\r\nline 3\r\n');
    expect((await d().docker(['logs', '--tail', '1', 'talk'])).stdout).toBe('line 3\r\n');
    expect((await d().docker(['logs', '-t', '--tail', '2', 'talk'])).stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line 2\r\n\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line 3\r\n$/);
  });

  test('--details: each line after its json-file attributes (log-opt labels and env, sorted by byte, query-escaped) and a space', async () => {
    await d().docker(['run', '--name', 'detailed', '--label', 'app=web shop', '-e', 'STAGE=a&b', '--log-opt', 'labels=app', '--log-opt', 'env=STAGE', N, 'lines.exe', '2']);
    expect((await d().docker(['logs', '--details', 'detailed'])).stdout).toBe('STAGE=a%26b,app=web+shop line 1\r\nSTAGE=a%26b,app=web+shop line 2\r\n');
    // Without such options the attributes are empty: the line starts with the space.
    expect((await d().docker(['logs', '--details', 'talk'])).stdout).toBe(' line 1\r\n line 2\r\n line 3\r\n');
  });

  test("--log-driver and --log-opt are checked at create with moby's texts; the none driver has no logs to read", async () => {
    const bad = async (args: string[]) => (await d().docker(['create', ...args, N, 'say.exe'])).stderr;
    expect(await bad(['--log-driver', 'nosuch'])).toBe("Error response from daemon: logger: no log driver named 'nosuch' is registered\n");
    expect(await bad(['--log-opt', 'max-sise=10m'])).toBe("Error response from daemon: unknown log opt 'max-sise' for json-file log driver\n");
    expect(await bad(['--log-driver', 'local', '--log-opt', 'labels=a'])).toBe("Error response from daemon: unknown log opt 'labels' for log driver local\n");
    expect(await bad(['--log-opt', 'mode=fast'])).toBe('Error response from daemon: logger: logging mode not supported: fast\n');
    expect(await bad(['--log-opt', 'max-buffer-size=4m'])).toBe("Error response from daemon: logger: max-buffer-size option is only supported with 'mode=non-blocking'\n");
    await d().docker(['run', '--name', 'quiet', '--log-driver', 'none', N, 'say.exe', 'hi']);
    expect(await d().docker(['logs', 'quiet'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: configured logging driver does not support reading\n' });
  });

  test('stderr lines go to the CLI’s stderr', async () => {
    await d().docker(['run', '--name', 'grumble', N, 'err.exe', 'bad']);
    expect(await d().docker(['logs', 'grumble'])).toEqual({ code: 0, stdout: '', stderr: 'bad\r\n' });
  });

  test('logs -f follows a running container until it exits', async () => {
    expect((await d().docker(['run', '-d', '-i', '--name', 'follow1', N, 'cat.exe'])).code).toBe(0);
    const rt = d().daemon.runtime(d().daemon.container('follow1'));
    await rt.io!.stdin!.write('first\n');
    const child = spawn(DOCKER, ['logs', '-f', 'follow1'], { env: d().env });
    const out: Buffer[] = [];
    // The history comes after the follower is in place (one handler turn): once `first` is out, later lines are followed.
    const sawFirst = new Promise<void>((resolve) =>
      child.stdout.on('data', (c: Buffer) => {
        out.push(c);
        if (Buffer.concat(out).toString().includes('first\n')) resolve();
      }),
    );
    const exited = new Promise<number>((r) => child.on('close', (code) => r(code ?? -1)));
    await sawFirst;
    await rt.io!.stdin!.write('second\n');
    rt.io!.stdin!.close();
    expect(await exited).toBe(0);
    expect(Buffer.concat(out).toString()).toBe('first\nsecond\n');
  });
});

describe('stop, kill, rm, restart, rename, pause, wait', () => {
  test('stop: a graceful shutdown; stop of a stopped container is fine (304)', async () => {
    await runDetached('s1');
    expect(await d().docker(['stop', 's1'])).toEqual({ code: 0, stdout: 's1\n', stderr: '' });
    expect((await d().docker(['inspect', '--format', '{{.State.Status}}', 's1'])).stdout).toBe('exited\n');
    expect(await d().docker(['stop', 's1'])).toEqual({ code: 0, stdout: 's1\n', stderr: '' });
  });

  test('kill of a stopped container is 409 with moby’s text', async () => {
    const id = (await d().docker(['inspect', '--format', '{{.Id}}', 's1'])).stdout.trim();
    expect(await d().docker(['kill', 's1'])).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: cannot kill container: s1: container ${id} is not running\n` });
  });

  test('kill ends a running container; rm of a running one is refused, rm -f removes it', async () => {
    await runDetached('k1');
    expect((await d().docker(['kill', 'k1'])).stdout).toBe('k1\n');
    expect((await d().docker(['wait', 'k1'])).stdout).toMatch(/^\d+\n$/);
    await runDetached('r1');
    expect(await d().docker(['rm', 'r1'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error response from daemon: cannot remove container "/r1": container is running: stop the container before removing or force remove\n',
    });
    expect(await d().docker(['rm', '-f', 'r1'])).toEqual({ code: 0, stdout: 'r1\n', stderr: '' });
    expect(await d().docker(['rm', '-f', 'r1'])).toEqual({ code: 0, stdout: '', stderr: 'Error response from daemon: No such container: r1\n' });
  });

  test('a forwarded WINCH or CONT does not stop the container (gotcha 11); TERM does', async () => {
    await runDetached('sig1');
    expect((await d().docker(['kill', '-s', 'WINCH', 'sig1'])).code).toBe(0);
    expect((await d().docker(['kill', '-s', 'SIGCONT', 'sig1'])).code).toBe(0);
    expect((await d().docker(['inspect', '--format', '{{.State.Running}}', 'sig1'])).stdout).toBe('true\n');
    expect(await d().docker(['kill', '-s', 'BOGUS', 'sig1'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: Invalid signal: BOGUS\n' });
    expect((await d().docker(['kill', '-s', 'TERM', 'sig1'])).code).toBe(0);
    expect((await d().docker(['wait', 'sig1'])).code).toBe(0);
    expect((await d().docker(['inspect', '--format', '{{.State.Running}}', 'sig1'])).stdout).toBe('false\n');
  });

  test('restart runs the container again on the same sandbox', async () => {
    await d().docker(['run', '--name', 'again', N, 'say.exe', 'run']);
    expect((await d().docker(['restart', 'again'])).stdout).toBe('again\n');
    expect((await d().docker(['wait', 'again'])).stdout).toBe('0\n');
    expect((await d().docker(['logs', 'again'])).stdout).toBe('run\r\nrun\r\n');
    expect((await d().docker(['start', '-a', 'again'])).stdout).toBe('run\r\n');
  });

  test('rename: the new name resolves, the old does not; a taken name is a conflict', async () => {
    expect((await d().docker(['rename', 'again', 'renamed'])).code).toBe(0);
    expect((await d().docker(['inspect', '--format', '{{.Name}}', 'renamed'])).stdout).toBe('/renamed\n');
    expect((await d().docker(['inspect', 'again'])).code).toBe(1);
    const talk = (await d().docker(['inspect', '--format', '{{.Id}}', 'talk'])).stdout.trim();
    expect((await d().docker(['rename', 'renamed', 'talk'])).stderr).toBe(
      `Error response from daemon: Conflict. The container name "/talk" is already in use by container "${talk}". You have to remove (or rename) that container to be able to reuse that name.\nError: failed to rename container named renamed\n`,
    );
  });

  test('pause is refused for process isolation with moby’s message', async () => {
    const id = await runDetached('p1');
    expect(await d().docker(['pause', 'p1'])).toEqual({ code: 1, stdout: '', stderr: `Error response from daemon: cannot pause container ${id}: not implemented for containers using process isolation\n` });
  });

  test('pause and unpause of a Hyper-V container', async () => {
    expect((await d().docker(['run', '-d', '--name', 'hv1', '--isolation', 'hyperv', N, 'idle.exe'])).code).toBe(0);
    expect((await d().docker(['pause', 'hv1'])).stdout).toBe('hv1\n');
    expect((await d().docker(['ps', '--filter', 'name=hv1', '--format', '{{.Status}}'])).stdout).toMatch(/\(Paused\)\n$/);
    expect((await d().docker(['unpause', 'hv1'])).stdout).toBe('hv1\n');
    await d().docker(['rm', '-f', 'hv1']);
  });

  test('wait prints the exit code; a bad condition is 400', async () => {
    await d().docker(['create', '--name', 'w1', N, 'exitwith.exe', '9']);
    const waiting = d().docker(['wait', 'w1']);
    // `docker wait` on a created container waits for... not-running: it is not running, so it answers at once.
    expect((await waiting).stdout).toBe('0\n');
    const r = await d().http('POST', '/v1.50/containers/w1/wait?condition=sometime');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toBe('invalid condition: "sometime"');
  });
});

describe('top, stats, system df, prune, events', () => {
  test('top: Windows titles and rows; arguments refused', async () => {
    const top = await d().docker(['top', 'up1']);
    expect(top.code).toBe(0);
    const lines = top.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Name\s+PID\s+CPU\s+Private Working Set$/);
    expect(lines.some((l) => /^idle\.exe\s+\d+\s+\d\d:\d\d:\d\d\.\d{3}\s+\S+B$/.test(l))).toBe(true);
    expect(await d().docker(['top', 'up1', 'aux'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: Windows does not support arguments to top\n' });
  });

  test('stats --no-stream: the Windows columns', async () => {
    const r = await d().docker(['stats', '--no-stream', 'up1']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^CONTAINER ID\s+NAME\s+CPU %\s+PRIV WORKING SET\s+NET I\/O\s+BLOCK I\/O$/);
    expect(r.stdout.split('\n')[1]).toMatch(/^[0-9a-f]{12}\s+up1\s+\d+\.\d\d%\s+\d+(\.\d+)?[KMG]iB\s+0B \/ 0B\s+\S+ \/ \S+$/);
  });

  test('stats --no-stream without names: every running container (the CLI first waits for the events stream’s headers)', async () => {
    const r = await d().docker(['stats', '--no-stream', '--format', '{{.Name}}']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toContain('up1');
  });

  test('events streams as things happen: stop is kill (15), die, stop', async () => {
    await runDetached('evl');
    const since = String(Math.floor(Date.now() / 1000) - 5);
    const child = spawn(DOCKER, ['events', '--since', since, '--filter', 'container=evl', '--format', '{{.Action}} {{index .Actor.Attributes "signal"}}'], { env: d().env });
    let text = '';
    const destroyed = new Promise<void>((resolve) =>
      child.stdout.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.includes('destroy')) resolve();
      }),
    );
    await d().docker(['stop', 'evl']);
    await d().docker(['rm', 'evl']);
    await destroyed;
    child.kill();
    expect(text.trim().split('\n').map((l) => l.trim())).toEqual(['create', 'start', 'kill 15', 'die', 'stop', 'destroy']);
  });

  test('restart policy on-failure:2 restarts a failing container twice, then leaves it exited', async () => {
    await d().docker(['run', '-d', '--name', 'flaky', '--restart', 'on-failure:2', N, 'exitwith.exe', '1']);
    const child = spawn(DOCKER, ['events', '--since', String(Math.floor(Date.now() / 1000) - 5), '--filter', 'container=flaky', '--filter', 'event=die', '--format', '{{.Action}}'], { env: d().env });
    let dies = 0;
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (c: Buffer) => {
        dies += c.toString().split('die').length - 1;
        if (dies === 3) resolve();
      }),
    );
    child.kill();
    const settled = await d().docker(['wait', 'flaky']);
    expect(settled.stdout).toBe('1\n');
    expect((await d().docker(['inspect', '--format', '{{.RestartCount}} {{.State.Status}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}', 'flaky'])).stdout).toBe('2 exited on-failure:2\n');
  });

  test('system df counts images and containers', async () => {
    const r = await d().docker(['system', 'df', '--format', '{{.Type}} {{.TotalCount}}']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Images 1\nContainers \d+\nLocal Volumes 0\nBuild Cache 0\n$/);
  });

  test('events --since/--until replays what happened, in docker’s line format', async () => {
    const since = Math.floor(Date.now() / 1000) - 60;
    await d().docker(['run', '--rm', '--name', 'ev1', N, 'say.exe']);
    const until = (Date.now() / 1000 + 0.05).toFixed(3);
    const r = await d().docker(['events', '--since', String(since), '--until', String(until), '--filter', 'container=ev1']);
    const actions = r.stdout.trim().split('\n').map((l) => l.split(' ')[2]);
    expect(actions).toEqual(['create', 'attach', 'start', 'die', 'destroy']);
    expect(r.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z container create [0-9a-f]{64} \(image=mcr\.microsoft\.com\/windows\/nanoserver:ltsc2022, name=ev1\)$/m);
  });

  test('diff: the sandbox against its layer, C and D only; a running container is refused as on Windows', async () => {
    await d().docker(['run', '--name', 'differ', N, 'write.exe', 'C:\\made.txt', 'new file']);
    const diff = await d().docker(['diff', 'differ']);
    expect(diff.code).toBe(0);
    // The entries of the layer a commit would write: the root, the new file, then Hives and the deltas.
    const [root, made, hivesDir, ...hives] = diff.stdout.trim().split('\n');
    expect([root, made, hivesDir]).toEqual(['C Files', 'C Files/made.txt', 'C Hives']);
    // Registry changes the boot made show as the layer's hive deltas.
    for (const h of hives) expect(h).toMatch(/^C Hives\/(DefaultUser|Sam|Security|Software|System|User)_Delta$/);
    expect(await d().docker(['diff', 'up1'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: Windows does not support diff of a running container\n' });
  });

  test('container prune removes the stopped containers', async () => {
    const r = await d().docker(['container', 'prune', '-f']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Deleted Containers:\n([0-9a-f]{64}\n)+\nTotal reclaimed space: /);
    expect((await d().docker(['ps', '-a', '--filter', 'status=exited', '-q'])).stdout).toBe('');
  });
});
