/**
 * `net start`, `net start SERVICE`, `net stop SERVICE` (also PAUSE and
 * CONTINUE).
 *
 * `net start` lists the display names of the started Win32 services under
 * `These Windows services are started:`, three spaces in, then a blank line
 * and the completion message (learn.microsoft.com "net start"; ss64 "NET
 * START"). DECIDED: the list is sorted by display name, case-insensitively.
 * A service is named by its key name or its display name. Starting prints
 * `The X service is starting.` and `The X service was started
 * successfully.`; an already running one NERR 2182; an unknown name NERR
 * 2185; other failures `System error N has occurred.` and the Win32 text.
 * Stopping a service others depend on lists them and asks
 * `Do you want to continue this operation? (Y/N) [N]:` (answered by /y).
 */
import type { ProcessContext } from '../../../../kernel/process/context.js';
import type { ServiceControlManager } from '../../../../kernel/services/scm.js';
import { SERVICE_CONTROL_CONTINUE, SERVICE_CONTROL_PAUSE, SERVICE_WIN32 } from '../../../../kernel/services/constants.js';
import {
  ERROR_INVALID_SERVICE_CONTROL,
  ERROR_SERVICE_ALREADY_RUNNING,
  ERROR_SERVICE_DOES_NOT_EXIST,
  ERROR_SERVICE_NOT_ACTIVE,
  Win32Error,
} from '../../../../core/win32.js';
import { askYesNo, writeLines } from '../io.js';
import { COMPLETED, nerr, NERR_BAD_SERVICE_NAME, NERR_SERVICE_CTL_NOT_VALID, NERR_SERVICE_INSTALLED, NERR_SERVICE_NOT_STARTED, systemError } from './messages.js';

/** The service's key name, from its key name or display name; undefined if neither. */
function resolve(scm: ServiceControlManager, name: string): string | undefined {
  for (const f of [() => scm.keyName(name), () => scm.keyNameOfDisplayName(name)]) {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof Win32Error)) throw e;
    }
  }
  return undefined;
}

async function fail(ctx: ProcessContext, lines: string[]): Promise<number> {
  await writeLines(ctx.stderr, lines);
  return 2;
}

/** The error lines for a Win32 failure of a service operation on `display`. */
function errorLines(code: number, display: string): string[] {
  switch (code) {
    case ERROR_SERVICE_ALREADY_RUNNING:
      return nerr(NERR_SERVICE_INSTALLED);
    case ERROR_SERVICE_DOES_NOT_EXIST:
      return nerr(NERR_BAD_SERVICE_NAME);
    case ERROR_SERVICE_NOT_ACTIVE:
      return nerr(NERR_SERVICE_NOT_STARTED, display);
    case ERROR_INVALID_SERVICE_CONTROL:
      return nerr(NERR_SERVICE_CTL_NOT_VALID);
    default:
      return systemError(code);
  }
}

export async function netStart(ctx: ProcessContext, scm: ServiceControlManager, args: readonly string[]): Promise<number> {
  const names = args.filter((a) => !a.startsWith('/'));
  if (names.length === 0) {
    const started = scm
      .enumerate(SERVICE_WIN32)
      .map((s) => s.lpDisplayName)
      .sort((a, b) => {
        const x = a.toUpperCase();
        const y = b.toUpperCase();
        return x < y ? -1 : x > y ? 1 : 0;
      });
    await writeLines(ctx.stdout, ['These Windows services are started:', '', ...started.map((d) => `   ${d}`), '', COMPLETED, '']);
    return 0;
  }
  const name = names.join(' ');
  const key = resolve(scm, name);
  if (key === undefined) return fail(ctx, nerr(NERR_BAD_SERVICE_NAME));
  const display = scm.displayName(key);
  try {
    scm.start(key);
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    return fail(ctx, errorLines(e.code, display));
  }
  await writeLines(ctx.stdout, [`The ${display} service is starting.`, `The ${display} service was started successfully.`, '']);
  return 0;
}

export async function netStop(ctx: ProcessContext, scm: ServiceControlManager, args: readonly string[]): Promise<number> {
  const yes = args.some((a) => /^\/y(es)?$/i.test(a));
  const no = args.some((a) => /^\/n(o)?$/i.test(a));
  const name = args.filter((a) => !a.startsWith('/')).join(' ');
  if (!name) return fail(ctx, ['The syntax of this command is:', '', 'NET STOP', 'service', '']);
  const key = resolve(scm, name);
  if (key === undefined) return fail(ctx, nerr(NERR_BAD_SERVICE_NAME));
  const display = scm.displayName(key);
  try {
    if (scm.query(key).dwCurrentState === 1) return fail(ctx, nerr(NERR_SERVICE_NOT_STARTED, display));
    const dependents = scm.dependents(key);
    if (dependents.length > 0) {
      await writeLines(ctx.stdout, [
        `The following services are dependent on the ${display} service.`,
        `Stopping the ${display} service will also stop these services.`,
        '',
        ...dependents.map((d) => `   ${d.lpDisplayName}`),
        '',
      ]);
      let go = yes && !no;
      if (!yes && !no) go = await askYesNo(ctx, 'Do you want to continue this operation? (Y/N) [N]: ');
      if (!go) return 2;
      // dependents() lists a service after those depending on it further down, so stop in that order.
      for (const d of dependents) {
        scm.stop(d.lpServiceName);
        await writeLines(ctx.stdout, [`The ${d.lpDisplayName} service is stopping.`, `The ${d.lpDisplayName} service was stopped successfully.`, '']);
      }
    }
    scm.stop(key);
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    return fail(ctx, errorLines(e.code, display));
  }
  await writeLines(ctx.stdout, [`The ${display} service is stopping.`, `The ${display} service was stopped successfully.`, '']);
  return 0;
}

/** `net pause` / `net continue`. DECIDED: the messages follow net stop's pattern ("was paused successfully."). */
export async function netPauseContinue(ctx: ProcessContext, scm: ServiceControlManager, args: readonly string[], pause: boolean): Promise<number> {
  const name = args.filter((a) => !a.startsWith('/')).join(' ');
  const key = name ? resolve(scm, name) : undefined;
  if (key === undefined) return fail(ctx, nerr(NERR_BAD_SERVICE_NAME));
  const display = scm.displayName(key);
  try {
    scm.control(key, pause ? SERVICE_CONTROL_PAUSE : SERVICE_CONTROL_CONTINUE);
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    return fail(ctx, errorLines(e.code, display));
  }
  const verb = pause ? ['pausing', 'paused'] : ['continuing', 'continued'];
  await writeLines(ctx.stdout, [`The ${display} service is ${verb[0]}.`, `The ${display} service was ${verb[1]} successfully.`, '']);
  return 0;
}
