// docker-engine-api.md §6: every hang and silent failure a real client
// showed against a fake server, pinned through the real client that
// exposed it. Where another file already pins one, it is named here:
//
//   1  /wait headers not flushed (run never sent start) ... here; byte level in transport.test.ts
//   2  /events headers not flushed (stats --no-stream hung) containers.test.ts "stats --no-stream without names"; here too
//   3  socket ended on the client's half-close ............ here (a long output after the CLI's FIN)
//   4  framing vs tty ..................................... here (run -t and logs of a tty container: raw; without: demuxed)
//   5  upgrade answered with 200 .......................... here (attach and exec need the 101); byte level in transport.test.ts
//   6  `; charset=utf-8` on errors (raw JSON printed) ...... here
//   7  docker.io/library/… not folded back ................ images.test.ts "tag adds a name"
//   8  --rm + failed start + no removal (hang) ............ run.test.ts "--rm with a failed start"
//   9  Server header without (windows) (Linux arithmetic) . here (stats: CPU % from 100 ns units, PRIV WORKING SET non-zero)
//   10 docker-py stream=False read as true (hang) ......... dockerpy.test.ts (stats(stream=False))
//   11 forwarded WINCH treated as a kill .................. containers.test.ts "a forwarded WINCH or CONT"
//   12 no 'upgrade' listener; exec start body in `head` ... tty.test.ts "docker exec -it"; here (exec -i with the body and stdin in one write)
//   13 stdin and its EOF before start ..................... run.test.ts "-i: piped stdin"; here (attach -i before start)
//   14 cp web:C:\x splits on / (not a daemon bug) ......... cp.test.ts uses web:C:/… as the notes advise
//   15 no HostConfig.LogConfig (docker-py KeyError) ........ dockerpy.test.ts, containers.test.ts "inspect"
//   16 attach without Upgrade 404 (dockerode run()) ....... dockerode.test.ts "docker.run()" and "create, attach without Upgrade"
//   17 ids of 12+ characters, short ids resolve ........... here (the CLI's ID[:12] in stats; a short id everywhere)
//   18 abandoned requests must not make writes throw ...... here (run -d abandons its wait; stats abandons events)
import { describe, expect, test } from 'vitest';
import type { HostEvent } from '../../src/host/types.js';
import { NANOSERVER, useDaemon } from './support.js';

const d = useDaemon();
const N = NANOSERVER;

/** The next host event matching `test` (the daemon's own event source: no polling, no sleeps). */
function nextEvent(test: (e: HostEvent) => boolean): Promise<HostEvent> {
  return new Promise((resolve) => {
    const off = d().host.onEvent((e) => {
      if (test(e)) {
        off();
        resolve(e);
      }
    });
  });
}

describe('§6 gotchas through the real clients', () => {
  test('1: an attached `docker run` of a long-running container sends start (its wait answered 200 at once), and exits with the code when it is killed', async () => {
    const started = nextEvent((e) => e.Action === 'start' && e.Actor.Attributes['name'] === 'g1');
    const run = d().docker(['run', '--name', 'g1', N, 'idle.exe']);
    await started;
    expect((await d().docker(['kill', 'g1'])).code).toBe(0);
    const code = (await run).code;
    expect(code).toBe(Number((await d().docker(['inspect', '--format', '{{.State.ExitCode}}', 'g1'])).stdout));
  });

  test('3: output written long after the CLI half-closes its side (no -i) all arrives', async () => {
    const r = await d().docker(['run', '--rm', N, 'lines.exe', '400']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines.length).toBe(401);
    expect(lines[399]).toBe('line 400');
  });

  test('4: a tty container’s stream and logs are raw; a non-tty one’s are framed and split into stdout and stderr', async () => {
    const tty = await d().docker(['run', '-t', '--name', 'g4t', N, 'say.exe', 'raw']);
    expect(tty).toEqual({ code: 0, stdout: 'raw\r\n', stderr: '' });
    expect(await d().docker(['logs', 'g4t'])).toEqual({ code: 0, stdout: 'raw\r\n', stderr: '' });
    expect(await d().docker(['run', '--name', 'g4n', N, 'err.exe', 'framed'])).toEqual({ code: 1, stdout: '', stderr: 'framed\r\n' });
    expect(await d().docker(['logs', 'g4n'])).toEqual({ code: 0, stdout: '', stderr: 'framed\r\n' });
  });

  test('5, 12, 13: docker attach and exec get their 101; exec -i’s body and stdin in one write; attach -i before start', async () => {
    expect((await d().docker(['create', '-i', '--name', 'g5', N, 'cat.exe'])).code).toBe(0);
    const r = await d().docker(['start', '-a', '-i', 'g5'], { stdin: 'through start -ai\n' });
    expect(r).toEqual({ code: 0, stdout: 'through start -ai\n', stderr: '' });
    await d().docker(['run', '-d', '--name', 'g5x', N, 'idle.exe']);
    expect(await d().docker(['exec', '-i', 'g5x', 'cat.exe'], { stdin: 'x'.repeat(10_000) })).toEqual({ code: 0, stdout: 'x'.repeat(10_000), stderr: '' });
  });

  test('6: errors are JSON with exactly application/json, so the CLI prints the message, not raw JSON', async () => {
    expect(await d().docker(['logs', 'nosuch'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: No such container: nosuch\n' });
    expect(await d().docker(['exec', 'nosuch', 'say.exe'])).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: No such container: nosuch\n' });
    const r = await d().http('GET', '/v1.50/containers/nosuch/json');
    expect(r.headers['content-type']).toBe('application/json');
  });

  test('9, 17: stats of a busy container uses Windows arithmetic (CPU from 100 ns units over host CPUs; private working set), by short id', async () => {
    const id = (await d().docker(['run', '-d', N, 'idle.exe'])).stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const r = await d().docker(['stats', '--no-stream', '--format', '{{.ID}} {{.CPUPerc}} {{.MemUsage}} {{.MemPerc}} {{.PIDs}}', id.slice(0, 12)]);
    expect(r.code).toBe(0);
    // Linux arithmetic on Windows JSON shows `0B / 0B` and a MEM % (gotcha 9); Windows shows the private working set and `--`.
    expect(r.stdout).toMatch(new RegExp(`^${id.slice(0, 12)} \\d+\\.\\d\\d% \\d+(\\.\\d+)?[KMG]iB -- --\\n$`));
    expect((await d().docker(['rm', '-f', id.slice(0, 12)])).stdout).toBe(`${id.slice(0, 12)}\n`);
  });

  test('18: run -d abandons its wait and stats abandons its events stream; the daemon writes to neither and goes on', async () => {
    const id = (await d().docker(['run', '-d', N, 'say.exe', 'detached'])).stdout.trim();
    // The abandoned wait's container exits now (its answer has no reader).
    expect((await d().docker(['wait', id])).stdout).toBe('0\n');
    expect((await d().docker(['stats', '--no-stream', '--format', '{{.Name}}'])).code).toBe(0);
    const events = nextEvent((e) => e.Action === 'die');
    await d().docker(['run', '-d', N, 'say.exe', 'again']);
    await events;
    expect((await d().docker(['version', '--format', '{{.Server.Os}}'])).stdout).toBe('windows\n');
  });

  test('the exec_start event carries the exec’s id, as exec_create and exec_die do', async () => {
    await d().docker(['run', '-d', '--name', 'gex', N, 'idle.exe']);
    const since = String(Date.now() / 1000);
    expect((await d().docker(['exec', 'gex', 'say.exe', 'evt'])).stdout).toBe('evt\r\n');
    const r = await d().docker(['events', '--since', since, '--until', String(Date.now() / 1000 + 1), '--filter', 'container=gex', '--format', '{{.Action}}|{{index .Actor.Attributes "execID"}}']);
    const rows = r.stdout.trim().split('\n').map((l) => l.split('|'));
    expect(rows.map(([a]) => a)).toEqual(['exec_create: say.exe evt', 'exec_start: say.exe evt', 'exec_die']);
    const ids = new Set(rows.map(([, x]) => x));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f]{64}$/);
  });
});
