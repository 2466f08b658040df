// C:\ServiceMonitor.exe, the IIS image's entry point: restarts W3SVC, waits while it runs, stops it on the way out.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ServiceControlManager } from '../../../src/kernel/services/scm.js';
import { drain, startContainer, type Running } from './exec-support.js';

const IIS = 'mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022';

/** Reads `io`'s stdout until `marker` has appeared. */
async function until(c: Running, marker: string): Promise<string> {
  let text = '';
  while (!text.includes(marker)) {
    const chunk = await c.main.stdout!.read();
    if (chunk === null) break;
    text += Buffer.from(chunk).toString();
  }
  return text;
}

/** The container's SCM, as the host side sees it (to change a service behind the monitor's back). */
function scmOf(c: Running): ServiceControlManager {
  return (c.container as unknown as { computeSystem: { silo: { scm: ServiceControlManager } } }).computeSystem.silo.scm;
}

describe('ServiceMonitor.exe w3svc (the IIS entry point)', () => {
  let c: Running;
  beforeAll(async () => {
    c = await startContainer([], { image: IIS });
  });
  afterAll(() => c.remove());

  test('stops the running W3SVC, then starts it again', async () => {
    expect(await until(c, 'started')).toBe("\r\nStopping service 'w3svc'\r\n\r\n Service 'w3svc' has been stopped \r\n\r\n Service 'w3svc' started \r\n");
  });

  test('a monitor of a service that does not exist fails with its HRESULT', async () => {
    const r = await c.exec(['C:\\ServiceMonitor.exe', 'NoSuchService']);
    expect(r).toEqual({
      stdout:
        "\r\nERROR: Failed to start or query status of service 'NoSuchService' error [80070424]\r\n" +
        "\r\nERROR: Failed to stop or query status of service 'NoSuchService' error [80070424]\r\n",
      stderr: '',
      exitCode: 0x80070424,
    });
  });

  test('no argument prints the usage and exits 0', async () => {
    const r = await c.exec(['C:\\ServiceMonitor.exe']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      '\r\nUSAGE: C:\\ServiceMonitor.exe [windows service name]\r\n       C:\\ServiceMonitor.exe w3svc [application pool]\r\n\r\nOptions:\r\n' +
        '    windows service name    Name of the Windows service to monitor\r\n    application pool        Name of the application pool to monitor; defaults to DefaultAppPool\r\n',
    );
  });

  test('when the monitored service stops, the monitor reports it and exits 0', async () => {
    const io = await c.container.exec({ cmd: ['C:\\ServiceMonitor.exe', 'BITS'] });
    const out = drain(io.stdout);
    // Wait until it has started BITS, then stop the service behind its back.
    const scm = scmOf(c);
    while (scm.query('BITS').dwCurrentState !== 4) await new Promise((r) => setImmediate(r));
    scm.stop('BITS');
    expect(await io.wait()).toBe(0);
    expect(await out).toBe(
      "\r\n Service 'BITS' started \r\n\r\nService Change Status Notify Callback is called for service 'BITS' with status '1'\r\n Service 'BITS' has been stopped \r\n",
    );
  });

  test('Ctrl+C stops W3SVC and ends the container with exit code 0', async () => {
    // (The first test read the output up to "started".)
    c.main.interrupt();
    expect(await c.main.wait()).toBe(0);
    expect(await drain(c.main.stdout)).toBe("\r\nCTRL signal received. The process will now terminate.\r\n\r\nStopping service 'w3svc'\r\n\r\n Service 'w3svc' has been stopped \r\n");
  });
});
