/**
 * How sc.exe prints service status and configuration.
 *
 * `sc query NAME` (captured Windows output, e.g. OpenNMS's WsManShellMonitor
 * test fixtures and published `sc query` transcripts): a blank line, then
 *
 *     SERVICE_NAME: w32time␠
 *             TYPE               : 20  WIN32_SHARE_PROCESS␠␠
 *             STATE              : 4  RUNNING␠
 *                                     (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)
 *             WIN32_EXIT_CODE    : 0  (0x0)
 *             SERVICE_EXIT_CODE  : 0  (0x0)
 *             CHECKPOINT         : 0x0
 *             WAIT_HINT          : 0x0
 *
 * (␠ marks the trailing spaces Windows writes). The controls line appears
 * only for a service that is not stopped. Enumerations (`sc query` with no
 * name) print `SERVICE_NAME: x` without the trailing space and a
 * `DISPLAY_NAME: …` line under it. queryex adds PID and FLAGS.
 * DECIDED: `FLAGS              : ` keeps the space after the colon (as the
 * other fields' format has it) and names RUNS_IN_SYSTEM_PROCESS when set.
 *
 * `sc qc NAME` (published `sc qc` transcripts): `[SC] QueryServiceConfig
 * SUCCESS`, a blank line, SERVICE_NAME, then TYPE, START_TYPE (`2
 * AUTO_START`, three spaces), ERROR_CONTROL, BINARY_PATH_NAME,
 * LOAD_ORDER_GROUP, TAG, DISPLAY_NAME, DEPENDENCIES (one per line, further
 * ones under a bare colon), SERVICE_START_NAME.
 */
import type { ServiceConfig, ServiceStatusProcess } from '../../../../kernel/services/scm.js';
import {
  SERVICE_ACCEPT_PAUSE_CONTINUE,
  SERVICE_ACCEPT_SHUTDOWN,
  SERVICE_ACCEPT_STOP,
  SERVICE_INTERACTIVE_PROCESS,
  SERVICE_RUNS_IN_SYSTEM_PROCESS,
  SERVICE_STOPPED,
} from '../../../../kernel/services/constants.js';

/** dwServiceType without the interactive bit, as sc names it. */
const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x1, 'KERNEL_DRIVER'],
  [0x2, 'FILE_SYSTEM_DRIVER'],
  [0x4, 'ADAPTER'],
  [0x8, 'RECOGNIZER_DRIVER'],
  [0x10, 'WIN32_OWN_PROCESS'],
  [0x20, 'WIN32_SHARE_PROCESS'],
  [0x30, 'WIN32'],
  [0x50, 'USER_OWN_PROCESS'],
  [0x60, 'USER_SHARE_PROCESS'],
  [0xd0, 'USER_OWN_PROCESS INSTANCE'],
  [0xe0, 'USER_SHARE_PROCESS INSTANCE'],
]);

const STATE_NAMES = ['', 'STOPPED', 'START_PENDING', 'STOP_PENDING', 'RUNNING', 'CONTINUE_PENDING', 'PAUSE_PENDING', 'PAUSED'];
const START_NAMES = ['BOOT_START', 'SYSTEM_START', 'AUTO_START', 'DEMAND_START', 'DISABLED'];
const ERROR_NAMES = ['IGNORE', 'NORMAL', 'SEVERE', 'CRITICAL'];

const FIELD = '        ';

function typeName(type: number): string {
  return TYPE_NAMES.get(type & ~SERVICE_INTERACTIVE_PROCESS) ?? '';
}

function hex(n: number): string {
  return (n >>> 0).toString(16);
}

/** The status lines of `sc query` / `sc start` / `sc stop` (queryex: PID and FLAGS too). */
function statusLines(status: ServiceStatusProcess, extended: boolean): string[] {
  const interactive = (status.dwServiceType & SERVICE_INTERACTIVE_PROCESS) !== 0 ? '(interactive)' : '';
  const lines = [
    `${FIELD}TYPE               : ${hex(status.dwServiceType)}  ${typeName(status.dwServiceType)}  ${interactive}`,
    `${FIELD}STATE              : ${status.dwCurrentState}  ${STATE_NAMES[status.dwCurrentState] ?? ''} `,
  ];
  if (status.dwCurrentState !== SERVICE_STOPPED) {
    const c = status.dwControlsAccepted;
    lines.push(
      `                                (${c & SERVICE_ACCEPT_STOP ? 'STOPPABLE' : 'NOT_STOPPABLE'}, ${c & SERVICE_ACCEPT_PAUSE_CONTINUE ? 'PAUSABLE' : 'NOT_PAUSABLE'}, ${c & SERVICE_ACCEPT_SHUTDOWN ? 'ACCEPTS_SHUTDOWN' : 'IGNORES_SHUTDOWN'})`,
    );
  }
  lines.push(
    `${FIELD}WIN32_EXIT_CODE    : ${status.dwWin32ExitCode}  (0x${hex(status.dwWin32ExitCode)})`,
    `${FIELD}SERVICE_EXIT_CODE  : ${status.dwServiceSpecificExitCode}  (0x${hex(status.dwServiceSpecificExitCode)})`,
    `${FIELD}CHECKPOINT         : 0x${hex(status.dwCheckPoint)}`,
    `${FIELD}WAIT_HINT          : 0x${hex(status.dwWaitHint)}`,
  );
  if (extended) {
    lines.push(
      `${FIELD}PID                : ${status.dwProcessId}`,
      `${FIELD}FLAGS              : ${status.dwServiceFlags & SERVICE_RUNS_IN_SYSTEM_PROCESS ? 'RUNS_IN_SYSTEM_PROCESS' : ''}`,
    );
  }
  return lines;
}

/** `sc query NAME`: a blank line, the name (trailing space), the status. */
export function serviceBlock(name: string, status: ServiceStatusProcess, extended: boolean): string[] {
  return ['', `SERVICE_NAME: ${name} `, ...statusLines(status, extended)];
}

/** One service of an enumeration: a blank line, name, display name, status. */
export function enumBlock(name: string, displayName: string, status: ServiceStatusProcess, extended: boolean): string[] {
  return ['', `SERVICE_NAME: ${name}`, `DISPLAY_NAME: ${displayName}`, ...statusLines(status, extended)];
}

/** `sc qc NAME` after its SUCCESS line. */
export function configLines(name: string, config: ServiceConfig): string[] {
  const interactive = (config.dwServiceType & SERVICE_INTERACTIVE_PROCESS) !== 0 ? ' (interactive)' : '';
  const start = `${START_NAMES[config.dwStartType] ?? ''}${config.delayedAutoStart && config.dwStartType === 2 ? '  (DELAYED)' : ''}`;
  const deps = config.lpDependencies;
  return [
    `SERVICE_NAME: ${name}`,
    `${FIELD}TYPE               : ${hex(config.dwServiceType)}  ${typeName(config.dwServiceType)}${interactive}`,
    `${FIELD}START_TYPE         : ${config.dwStartType}   ${start}`,
    `${FIELD}ERROR_CONTROL      : ${config.dwErrorControl}   ${ERROR_NAMES[config.dwErrorControl] ?? ''}`,
    `${FIELD}BINARY_PATH_NAME   : ${config.lpBinaryPathName}`,
    `${FIELD}LOAD_ORDER_GROUP   : ${config.lpLoadOrderGroup}`,
    `${FIELD}TAG                : ${config.dwTagId}`,
    `${FIELD}DISPLAY_NAME       : ${config.lpDisplayName}`,
    `${FIELD}DEPENDENCIES       : ${deps[0] ?? ''}`,
    ...deps.slice(1).map((d) => `                           : ${d}`),
    `${FIELD}SERVICE_START_NAME : ${config.lpServiceStartName}`,
  ];
}
