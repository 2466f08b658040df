// taskkill.exe: ends the container's processes by /PID, /IM or /FI, forcefully only (nothing in a container has a window to close).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../support.js';
import { startContainer, type Running } from './exec-support.js';

describe('taskkill', () => {
  let c: Running;
  beforeAll(async () => {
    c = await startContainer(['ping', '-t', '127.0.0.1']);
  });
  afterAll(() => c.remove());

  const pidOf = async (image: string): Promise<number> => {
    const r = await c.exec(['tasklist', '/fo', 'csv', '/nh', '/fi', `imagename eq ${image}`]);
    return Number(/^"[^"]+","(\d+)"/.exec(r.stdout)![1]);
  };

  test('without /F a console process can only be terminated forcefully', async () => {
    const pid = await pidOf('PING.EXE');
    const r = await c.exec(['taskkill', '/pid', String(pid)]);
    expect(r).toEqual({
      stdout: '',
      stderr: `ERROR: The process with PID ${pid} could not be terminated.\r\nReason: This process can only be terminated forcefully (with /F option).\r\n`,
      exitCode: 1,
    });
  });

  test('/IM names the image in the message', async () => {
    const pid = await pidOf('PING.EXE');
    const r = await c.exec(['taskkill', '/im', 'ping.exe']);
    expect(r.stderr).toBe(`ERROR: The process "PING.EXE" with PID ${pid} could not be terminated.\r\nReason: This process can only be terminated forcefully (with /F option).\r\n`);
  });

  test('a protected system process refuses: Access is denied', async () => {
    const pid = await pidOf('lsass.exe');
    const r = await c.exec(['taskkill', '/f', '/pid', String(pid)]);
    expect(r).toEqual({ stdout: '', stderr: `ERROR: The process with PID ${pid} could not be terminated.\r\nReason: Access is denied.\r\n`, exitCode: 1 });
  });

  test('Idle and System are critical system processes taskkill will not end', async () => {
    const r = await c.exec(['taskkill', '/f', '/pid', '4']);
    expect(r).toEqual({ stdout: '', stderr: 'ERROR: The process with PID 4 could not be terminated.\r\nReason: This is critical system process. Taskkill cannot end this process.\r\n', exitCode: 1 });
  });

  test('a PID that does not exist is not found (exit code 128)', async () => {
    const r = await c.exec(['taskkill', '/f', '/pid', '99999']);
    expect(r).toEqual({ stdout: '', stderr: 'ERROR: The process "99999" not found.\r\n', exitCode: 128 });
  });

  test('an image name that does not run is not found', async () => {
    const r = await c.exec(['taskkill', '/f', '/im', 'notepad.exe']);
    expect(r).toEqual({ stdout: '', stderr: 'ERROR: The process "notepad.exe" not found.\r\n', exitCode: 128 });
  });

  test('filters alone that match nothing print INFO', async () => {
    const r = await c.exec(['taskkill', '/f', '/fi', 'imagename eq notepad*']);
    expect(r).toEqual({ stdout: 'INFO: No tasks running with the specified criteria.\r\n', stderr: '', exitCode: 0 });
  });

  test('no target at all is a syntax error', async () => {
    const r = await run(['taskkill', '/f']);
    expect(r).toEqual({ stdout: '', stderr: 'ERROR: Invalid syntax. Neither /FI nor /PID nor /IM were specified.\r\nType "TASKKILL /?" for usage.\r\n', exitCode: 1 });
  });

  /** A second `ping -t` exec'd into the container (docker exec -d), and its pid. */
  const background = async (): Promise<{ pid: number; done: Promise<number> }> => {
    const io = await c.container.exec({ cmd: ['ping', '-t', '127.0.0.1'] });
    const r = await c.exec(['tasklist', '/fo', 'csv', '/nh', '/fi', 'imagename eq PING.EXE', '/fi', `pid ne ${c.main.pid}`]);
    return { pid: Number(/^"PING\.EXE","(\d+)"/.exec(r.stdout)![1]), done: io.wait() };
  };

  test('/F ends the process with exit code 1 and reports SUCCESS', async () => {
    const { pid, done } = await background();
    const r = await c.exec(['taskkill', '/F', '/PID', String(pid)]);
    expect(r).toEqual({ stdout: `SUCCESS: The process with PID ${pid} has been terminated.\r\n`, stderr: '', exitCode: 0 });
    expect(await done).toBe(1);
  });

  test('/F /T names each process\'s parent', async () => {
    const { pid, done } = await background();
    const cexec = await c.exec(['tasklist', '/fo', 'csv', '/nh', '/fi', 'imagename eq CExecSvc.exe']);
    const parent = Number(/^"CExecSvc\.exe","(\d+)"/.exec(cexec.stdout)![1]);
    const r = await c.exec(['taskkill', '/f', '/t', '/pid', String(pid)]);
    expect(r).toEqual({ stdout: `SUCCESS: The process with PID ${pid} (child process of PID ${parent}) has been terminated.\r\n`, stderr: '', exitCode: 0 });
    await done;
  });

  test('/T ends the children first (cmd /c ping: PING.EXE, then cmd.exe)', async () => {
    const io = await c.container.exec({ cmd: ['cmd', '/c', 'ping -t 127.0.0.1'] });
    const cexec = Number(/^"CExecSvc\.exe","(\d+)"/.exec((await c.exec(['tasklist', '/fo', 'csv', '/nh', '/fi', 'imagename eq CExecSvc.exe'])).stdout)![1]);
    // Wait until cmd has started its ping, bounded in time. cmd's code loads on first use
    // (an import needs the event loop), and execs run on microtasks alone: give the loop a turn.
    let pings = '';
    for (const end = Date.now() + 15_000; Date.now() < end && !pings.includes('PING.EXE'); await new Promise((r) => setImmediate(r))) pings = (await c.exec(['tasklist', '/fo', 'csv', '/nh', '/fi', `pid ne ${c.main.pid}`, '/fi', 'imagename eq PING.EXE'])).stdout;
    const ping = Number(/^"PING\.EXE","(\d+)"/.exec(pings)![1]);
    const cmd = Number(/"cmd\.exe","(\d+)"/.exec((await c.exec(['tasklist', '/fo', 'csv', '/nh', '/fi', 'imagename eq cmd.exe'])).stdout)![1]);
    const r = await c.exec(['taskkill', '/f', '/t', '/pid', String(cmd)]);
    expect(r).toEqual({
      stdout:
        `SUCCESS: The process with PID ${ping} (child process of PID ${cmd}) has been terminated.\r\n` +
        `SUCCESS: The process with PID ${cmd} (child process of PID ${cexec}) has been terminated.\r\n`,
      stderr: '',
      exitCode: 0,
    });
    expect(await io.wait()).toBe(1);
  });

  test('ending the container\'s main process stops the container (its exit code is 1)', async () => {
    const d = await startContainer(['ping', '-t', '127.0.0.1']);
    try {
      void d.exec(['taskkill', '/F', '/PID', String(d.main.pid)]);
      expect(await d.main.wait()).toBe(1);
    } finally {
      await d.remove();
    }
  });
});
