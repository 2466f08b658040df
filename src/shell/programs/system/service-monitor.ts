/**
 * C:\ServiceMonitor.exe, the IIS images' entry point (`ServiceMonitor.exe
 * w3svc`), behaving as microsoft/IIS.ServiceMonitor's source does:
 *
 *  1. For w3svc only: stop the service first (so that IIS picks up the
 *     container's environment when it starts again), printing
 *     `Stopping service 'w3svc'` when it had to stop it and
 *     ` Service 'w3svc' has been stopped ` once stopped.
 *  2. Start the named service through the SCM and check it runs:
 *     ` Service 'NAME' started `, or
 *     `ERROR: Failed to start or query status of service 'NAME' error [HR]`.
 *  3. Wait while it runs. When it stops or pauses:
 *     `Service Change Status Notify Callback is called for service 'NAME'
 *     with status 'N'`; on Ctrl+C / close / shutdown:
 *     `CTRL signal received. The process will now terminate.`
 *  4. Stop the service (errors ignored) and exit with the HRESULT (0 on
 *     success; e.g. 0x80070424 for a service that does not exist).
 * Every message is `\n`-framed, printed in text mode (CRLF). No argument:
 * the usage, exit code 0.
 *
 * The kernel's SCM has no NotifyServiceStatusChange, so the wait polls the
 * service's state (MONITOR_POLL_MS). IIS's configuration update for the app
 * pool's environment (step 1's purpose) is not modelled: IIS itself is not.
 */
import { Win32Error } from '../../../core/win32.js';
import { CTRL_BREAK_EVENT, CTRL_C_EVENT, CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT } from '../../../kernel/process/constants.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import {
  SERVICE_CONTINUE_PENDING,
  SERVICE_PAUSE_PENDING,
  SERVICE_PAUSED,
  SERVICE_RUNNING,
  SERVICE_START_PENDING,
  SERVICE_STOP_PENDING,
  SERVICE_STOPPED,
} from '../../../kernel/services/constants.js';
import type { ServiceControlManager } from '../../../kernel/services/scm.js';

export const MONITOR_POLL_MS = 500;
const S_OK = 0;
const E_FAIL = 0x80004005;
const ERROR_TIMEOUT = 1460;
/** Seconds StartServiceByName / StopServiceByName wait for a pending state (the tool's default). */
const TIMEOUT_SECONDS = 20;

const hresultFromWin32 = (code: number) => (code <= 0 ? code : ((code & 0xffff) | 0x80070000) >>> 0);
const hex = (hr: number) => (hr >>> 0).toString(16);
const failed = (hr: number) => hr >>> 0 >= 0x80000000;

export async function serviceMonitorMain(ctx: ProcessContext): Promise<number> {
  const print = (s: string) => ctx.stdout.write(s.replace(/\n/g, '\r\n'));
  const argv = ctx.argv;
  const self = argv[0] ?? 'ServiceMonitor.exe';
  if (argv.length <= 1) {
    await print(
      `\nUSAGE: ${self} [windows service name]` +
        `\n       ${self} w3svc [application pool]` +
        '\n\nOptions:' +
        '\n    windows service name    Name of the Windows service to monitor' +
        '\n    application pool        Name of the application pool to monitor; defaults to DefaultAppPool\n',
    );
    return S_OK;
  }
  const name = argv[1]!;
  const scm = ctx.services;
  if (!scm) {
    await print(`\nERROR:Could NOT open server control manager [${hex(hresultFromWin32(1722))}]\n`);
    return hresultFromWin32(1722);
  }
  const query = (n: string): number => scm.query(n).dwCurrentState;

  const stopByName = async (n: string): Promise<number> => {
    let hr = S_OK;
    try {
      query(n);
      let remaining = TIMEOUT_SECONDS;
      hr = hresultFromWin32(ERROR_TIMEOUT);
      while (remaining > 0) {
        const state = query(n);
        if (state === SERVICE_STOPPED) {
          hr = S_OK;
          break;
        }
        if (state === SERVICE_STOP_PENDING || state === SERVICE_START_PENDING || state === SERVICE_PAUSE_PENDING || state === SERVICE_CONTINUE_PENDING) {
          remaining -= 1;
          await ctx.sleep(1000);
        } else if (state === SERVICE_RUNNING || state === SERVICE_PAUSED) {
          scm.stop(n);
          await print(`\nStopping service '${n}'\n`);
        } else {
          hr = E_FAIL;
          break;
        }
      }
    } catch (e) {
      if (!(e instanceof Win32Error)) throw e;
      hr = hresultFromWin32(e.code);
    }
    await print(failed(hr) ? `\nERROR: Failed to stop or query status of service '${n}' error [${hex(hr)}]\n` : `\n Service '${n}' has been stopped \n`);
    return hr;
  };

  const startByName = async (n: string): Promise<number> => {
    let hr = S_OK;
    try {
      query(n);
      try {
        scm.start(n);
      } catch (e) {
        if (!(e instanceof Win32Error)) throw e;
        if (e.code !== 1056) hr = hresultFromWin32(e.code); // ERROR_SERVICE_ALREADY_RUNNING counts as started
      }
      // As the tool does: the state decides, whatever StartService said.
      let remaining = TIMEOUT_SECONDS;
      let decided = false;
      while (remaining > 0) {
        const state = query(n);
        if (state === SERVICE_RUNNING) {
          decided = true;
          break;
        }
        if (state === SERVICE_START_PENDING) {
          remaining -= 1;
          await ctx.sleep(1000);
        } else {
          hr = E_FAIL;
          decided = true;
          break;
        }
      }
      if (!decided) hr = hresultFromWin32(ERROR_TIMEOUT);
    } catch (e) {
      if (!(e instanceof Win32Error)) throw e;
      hr = hresultFromWin32(e.code);
    }
    await print(failed(hr) ? `\nERROR: Failed to start or query status of service '${n}' error [${hex(hr)}]\n` : `\n Service '${n}' started \n`);
    return hr;
  };

  if (name.toLowerCase() === 'w3svc') {
    const hr = await stopByName('w3svc');
    if (failed(hr)) return hr;
  }

  let stop = false;
  let wake: (() => void) | undefined;
  const off = ctx.onConsoleCtrl((event) => {
    if (![CTRL_C_EVENT, CTRL_BREAK_EVENT, CTRL_CLOSE_EVENT, CTRL_LOGOFF_EVENT, CTRL_SHUTDOWN_EVENT].includes(event)) return false;
    void print('\nCTRL signal received. The process will now terminate.\n');
    stop = true;
    wake?.();
    return true;
  });
  try {
    const hr = await startByName(name);
    if (!failed(hr)) {
      // Wait until the service stops or pauses (or a control signal arrives).
      while (!stop) {
        const state = safeState(scm, name);
        if (state === SERVICE_STOPPED || state === SERVICE_STOP_PENDING || state === SERVICE_PAUSED || state === SERVICE_PAUSE_PENDING) {
          await print(`\nService Change Status Notify Callback is called for service '${name}' with status '${state}'`);
          break;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          ctx.sleep(MONITOR_POLL_MS).then(resolve, resolve);
        });
        wake = undefined;
      }
    }
    await stopByName(name);
    return hr;
  } finally {
    off();
  }
}

function safeState(scm: ServiceControlManager, name: string): number {
  try {
    return scm.query(name).dwCurrentState;
  } catch {
    return SERVICE_STOPPED;
  }
}
