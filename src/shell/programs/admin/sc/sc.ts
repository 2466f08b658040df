/**
 * sc.exe: talks to the service control manager (ctx.services).
 *
 * `sc [\\server] command [service name] [option= value …]` — options are
 * written as a keyword ending in `=` and the value as the next argument
 * (`start= auto`), as sc has always parsed them. Failures print
 * `[SC] <Api> FAILED <code>:`, a blank line, FormatMessage's text, a blank
 * line, and exit with the Win32 code; successes exit with 0. Which API sc
 * names on a failed open depends on the command: `sc query` says
 * `EnumQueryServicesStatus:OpenService` (captured Windows output) and
 * `sc start` `StartService: OpenService` (DECIDED, as remembered); the
 * others `OpenService`.
 *
 * The SCM here changes state at once (scm.ts), so `sc start` shows the
 * service RUNNING where Windows would usually show START_PENDING, and
 * `sc stop` STOPPED where it would show STOP_PENDING.
 * DECIDED: a `\\server` argument is accepted and ignored (the container is
 * the only machine a program here can reach).
 */
import type { ProcessContext } from '../../../../kernel/process/context.js';
import type { Program } from '../../../../kernel/process/programs.js';
import type { ServiceConfigChange, ServiceControlManager } from '../../../../kernel/services/scm.js';
import {
  SERVICE_ACTIVE,
  SERVICE_AUTO_START,
  SERVICE_BOOT_START,
  SERVICE_CONTROL_CONTINUE,
  SERVICE_CONTROL_INTERROGATE,
  SERVICE_CONTROL_PAUSE,
  SERVICE_CONTROL_STOP,
  SERVICE_DEMAND_START,
  SERVICE_DISABLED,
  SERVICE_DRIVER,
  SERVICE_ERROR_CRITICAL,
  SERVICE_ERROR_IGNORE,
  SERVICE_ERROR_NORMAL,
  SERVICE_ERROR_SEVERE,
  SERVICE_FILE_SYSTEM_DRIVER,
  SERVICE_INACTIVE,
  SERVICE_INTERACTIVE_PROCESS,
  SERVICE_KERNEL_DRIVER,
  SERVICE_STATE_ALL,
  SERVICE_SYSTEM_START,
  SERVICE_TYPE_ALL,
  SERVICE_WIN32,
  SERVICE_WIN32_OWN_PROCESS,
  SERVICE_WIN32_SHARE_PROCESS,
} from '../../../../kernel/services/constants.js';
import { ERROR_INVALID_PARAMETER, RPC_S_SERVER_UNAVAILABLE, Win32Error, win32Message } from '../../../../core/win32.js';
import { askYesNo, writeLines } from '../io.js';
import { configLines, enumBlock, serviceBlock } from './format.js';
import { SC_QUERY_USAGE, SC_USAGE } from './usage.js';

/** A failed call: `[SC] api FAILED code:` then the message; sc exits with the code. */
class ScFailure extends Error {
  constructor(
    readonly api: string,
    readonly code: number,
  ) {
    super(`${api} ${code}`);
  }
}

async function failure(ctx: ProcessContext, api: string, code: number): Promise<number> {
  await writeLines(ctx.stdout, [`[SC] ${api} FAILED ${code}:`, '', win32Message(code), '']);
  return code;
}

/** Runs an SCM call, turning its Win32Error into an ScFailure naming `api`. */
function call<T>(api: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Win32Error) throw new ScFailure(api, e.code);
    throw e;
  }
}

/** `keyword= value` pairs after the service name (keywords upper-cased, `=` kept off). */
function options(args: readonly string[]): Map<string, string> | undefined {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const k = args[i]!;
    if (!k.endsWith('=') || i + 1 >= args.length) return undefined;
    out.set(k.slice(0, -1).toUpperCase(), args[i + 1]!);
  }
  return out;
}

const START_TYPES: Readonly<Record<string, number>> = {
  BOOT: SERVICE_BOOT_START,
  SYSTEM: SERVICE_SYSTEM_START,
  AUTO: SERVICE_AUTO_START,
  DEMAND: SERVICE_DEMAND_START,
  DISABLED: SERVICE_DISABLED,
  'DELAYED-AUTO': SERVICE_AUTO_START,
};

const SERVICE_TYPES: Readonly<Record<string, number>> = {
  OWN: SERVICE_WIN32_OWN_PROCESS,
  SHARE: SERVICE_WIN32_SHARE_PROCESS,
  KERNEL: SERVICE_KERNEL_DRIVER,
  FILESYS: SERVICE_FILE_SYSTEM_DRIVER,
  INTERACT: SERVICE_WIN32_OWN_PROCESS | SERVICE_INTERACTIVE_PROCESS,
};

const ERROR_CONTROLS: Readonly<Record<string, number>> = {
  NORMAL: SERVICE_ERROR_NORMAL,
  SEVERE: SERVICE_ERROR_SEVERE,
  CRITICAL: SERVICE_ERROR_CRITICAL,
  IGNORE: SERVICE_ERROR_IGNORE,
};

/** The ChangeServiceConfig/CreateService fields `sc config` and `sc create` options name. */
function configChange(opts: Map<string, string>): ServiceConfigChange | undefined {
  const change: { -readonly [K in keyof ServiceConfigChange]: ServiceConfigChange[K] } = {};
  for (const [k, v] of opts) {
    const u = v.toUpperCase();
    switch (k) {
      case 'START':
        if (!Object.hasOwn(START_TYPES, u)) return undefined;
        change.start = START_TYPES[u]!;
        change.delayedAutoStart = u === 'DELAYED-AUTO';
        break;
      case 'TYPE':
        if (!Object.hasOwn(SERVICE_TYPES, u)) return undefined;
        change.type = SERVICE_TYPES[u]!;
        break;
      case 'ERROR':
        if (!Object.hasOwn(ERROR_CONTROLS, u)) return undefined;
        change.errorControl = ERROR_CONTROLS[u]!;
        break;
      case 'BINPATH':
        change.imagePath = v;
        break;
      case 'GROUP':
        change.group = v;
        break;
      case 'DEPEND':
        // sc separates dependencies with forward slashes; `depend= /` clears them.
        change.dependOnService = v.split('/').filter((d) => d !== '');
        break;
      case 'OBJ':
        change.objectName = v;
        break;
      case 'DISPLAYNAME':
        change.displayName = v;
        break;
      case 'PASSWORD':
      case 'TAG':
        break; // DECIDED: accepted and not kept (no credentials or tags here)
      default:
        return undefined;
    }
  }
  return change;
}

async function query(ctx: ProcessContext, scm: ServiceControlManager, args: readonly string[], extended: boolean): Promise<number> {
  if (args.length > 0 && !args[0]!.endsWith('=')) {
    const name = args[0]!;
    const status = call('EnumQueryServicesStatus:OpenService', () => scm.query(name));
    await writeLines(ctx.stdout, serviceBlock(name, status, extended));
    return 0;
  }
  const opts = options(args);
  if (!opts) {
    await writeLines(ctx.stdout, SC_QUERY_USAGE);
    return ERROR_INVALID_PARAMETER;
  }
  let type = SERVICE_WIN32;
  let state = SERVICE_ACTIVE;
  let group: string | undefined;
  for (const [k, v] of opts) {
    const u = v.toUpperCase();
    if (k === 'TYPE') {
      if (u === 'SERVICE') type = SERVICE_WIN32;
      else if (u === 'DRIVER') type = SERVICE_DRIVER;
      else if (u === 'ALL') type = SERVICE_TYPE_ALL;
      else if (u === 'OWN') type = SERVICE_WIN32_OWN_PROCESS;
      else if (u === 'SHARE') type = SERVICE_WIN32_SHARE_PROCESS;
      else if (u === 'KERNEL') type = SERVICE_KERNEL_DRIVER;
      else if (u === 'FILESYS') type = SERVICE_FILE_SYSTEM_DRIVER;
      else if (u === 'INTERACT') type = SERVICE_INTERACTIVE_PROCESS;
      else return failure(ctx, 'EnumQueryServicesStatus', ERROR_INVALID_PARAMETER);
    } else if (k === 'STATE') {
      if (u === 'ACTIVE') state = SERVICE_ACTIVE;
      else if (u === 'INACTIVE') state = SERVICE_INACTIVE;
      else if (u === 'ALL') state = SERVICE_STATE_ALL;
      else return failure(ctx, 'EnumQueryServicesStatus', ERROR_INVALID_PARAMETER);
    } else if (k === 'GROUP') {
      group = v;
    } else if (k !== 'BUFSIZE' && k !== 'RI') {
      await writeLines(ctx.stdout, SC_QUERY_USAGE);
      return ERROR_INVALID_PARAMETER;
    }
  }
  let services = call('EnumQueryServicesStatus', () => scm.enumerate(type, state));
  if (group !== undefined) {
    const g = group.toUpperCase();
    services = services.filter((s) => scm.queryConfig(s.lpServiceName).lpLoadOrderGroup.toUpperCase() === g);
  }
  const lines: string[] = [];
  for (const s of services) lines.push(...enumBlock(s.lpServiceName, s.lpDisplayName, s.ServiceStatusProcess, extended));
  await writeLines(ctx.stdout, lines);
  return 0;
}

async function control(ctx: ProcessContext, scm: ServiceControlManager, name: string, code: number): Promise<number> {
  call('OpenService', () => scm.keyName(name));
  const status = call('ControlService', () => scm.control(name, code));
  await writeLines(ctx.stdout, serviceBlock(name, status, false));
  return 0;
}

async function run(ctx: ProcessContext, scm: ServiceControlManager, command: string, args: readonly string[]): Promise<number> {
  const name = args[0];
  const needName = async (): Promise<string | undefined> => {
    if (name !== undefined) return name;
    await writeLines(ctx.stdout, [`DESCRIPTION:`, `        See "sc" for the commands and their options.`, `USAGE:`, `        sc <server> ${command.toLowerCase()} [service name] ...`]);
    return undefined;
  };
  switch (command) {
    case 'QUERY':
      return query(ctx, scm, args, false);
    case 'QUERYEX':
      return query(ctx, scm, args, true);
    case 'START': {
      if ((await needName()) === undefined) return 0;
      call('StartService: OpenService', () => scm.keyName(name!));
      call('StartService', () => scm.start(name!));
      await writeLines(ctx.stdout, serviceBlock(name!, scm.query(name!), true));
      return 0;
    }
    case 'STOP':
    case 'PAUSE':
    case 'CONTINUE':
    case 'INTERROGATE': {
      if ((await needName()) === undefined) return 0;
      const code = { STOP: SERVICE_CONTROL_STOP, PAUSE: SERVICE_CONTROL_PAUSE, CONTINUE: SERVICE_CONTROL_CONTINUE, INTERROGATE: SERVICE_CONTROL_INTERROGATE }[command];
      return control(ctx, scm, name!, code);
    }
    case 'QC': {
      if ((await needName()) === undefined) return 0;
      const config = call('OpenService', () => scm.queryConfig(name!));
      // Windows shows ImagePath expanded (`C:\Windows\system32\svchost.exe -k netsvcs -p` for the stored
      // `%systemroot%\…`); the SCM here hands it back as stored, so sc expands it (SystemRoot is the same in every
      // environment of the container).
      const shown = { ...config, lpBinaryPathName: ctx.env.expand(config.lpBinaryPathName) };
      await writeLines(ctx.stdout, ['[SC] QueryServiceConfig SUCCESS', '', ...configLines(name!, shown)]);
      return 0;
    }
    case 'QDESCRIPTION': {
      if ((await needName()) === undefined) return 0;
      const config = call('OpenService', () => scm.queryConfig(name!));
      // DECIDED: two spaces after the label, as sc aligns it.
      await writeLines(ctx.stdout, ['[SC] QueryServiceConfig2 SUCCESS', '', `SERVICE_NAME: ${name}`, `DESCRIPTION:  ${config.description}`]);
      return 0;
    }
    case 'DESCRIPTION': {
      if ((await needName()) === undefined) return 0;
      call('OpenService', () => scm.keyName(name!));
      call('ChangeServiceConfig2', () => scm.changeConfig(name!, { description: args[1] ?? '' }));
      await writeLines(ctx.stdout, ['[SC] ChangeServiceConfig2 SUCCESS']);
      return 0;
    }
    case 'CONFIG': {
      if ((await needName()) === undefined) return 0;
      const opts = options(args.slice(1));
      const change = opts && configChange(opts);
      call('OpenService', () => scm.keyName(name!));
      if (!change) throw new ScFailure('ChangeServiceConfig', ERROR_INVALID_PARAMETER);
      call('ChangeServiceConfig', () => scm.changeConfig(name!, change));
      await writeLines(ctx.stdout, ['[SC] ChangeServiceConfig SUCCESS']);
      return 0;
    }
    case 'CREATE': {
      if ((await needName()) === undefined) return 0;
      const opts = options(args.slice(1));
      const change = opts && configChange(opts);
      if (!change || !change.imagePath) throw new ScFailure('CreateService', ERROR_INVALID_PARAMETER);
      call('CreateService', () =>
        scm.create({
          name: name!,
          displayName: change.displayName ?? name!,
          type: change.type ?? SERVICE_WIN32_OWN_PROCESS,
          start: change.start ?? SERVICE_DEMAND_START,
          errorControl: change.errorControl ?? SERVICE_ERROR_NORMAL,
          imagePath: change.imagePath!,
          objectName: change.objectName ?? 'LocalSystem',
          group: change.group,
          dependOnService: change.dependOnService,
          delayedAutoStart: change.delayedAutoStart,
        }),
      );
      await writeLines(ctx.stdout, ['[SC] CreateService SUCCESS']);
      return 0;
    }
    case 'DELETE': {
      if ((await needName()) === undefined) return 0;
      call('OpenService', () => scm.keyName(name!));
      call('DeleteService', () => scm.delete(name!));
      await writeLines(ctx.stdout, ['[SC] DeleteService SUCCESS']);
      return 0;
    }
    case 'GETDISPLAYNAME': {
      if ((await needName()) === undefined) return 0;
      const display = call('GetServiceDisplayName', () => scm.displayName(name!));
      await writeLines(ctx.stdout, [`[SC] GetServiceDisplayName SUCCESS  Name = ${display}`]);
      return 0;
    }
    case 'GETKEYNAME': {
      if ((await needName()) === undefined) return 0;
      const key = call('GetServiceKeyName', () => scm.keyNameOfDisplayName(name!));
      await writeLines(ctx.stdout, [`[SC] GetServiceKeyName SUCCESS  Name = ${key}`]);
      return 0;
    }
    default:
      return usage(ctx);
  }
}

/** The help text, then sc's offer of the query help (read from stdin). */
async function usage(ctx: ProcessContext): Promise<number> {
  await writeLines(ctx.stdout, SC_USAGE);
  if (await askYesNo(ctx, 'Would you like to see help for the QUERY and QUERYEX commands? [ y | n ]: ')) await writeLines(ctx.stdout, SC_QUERY_USAGE);
  return 0;
}

export const sc: Program = async (ctx) => {
  let args = ctx.argv.slice(1);
  if (args[0]?.startsWith('\\\\')) args = args.slice(1);
  if (args.length === 0 || /^[/-]\?$/.test(args[0]!)) return usage(ctx);
  const scm = ctx.services;
  if (!scm) return failure(ctx, 'OpenSCManager', RPC_S_SERVER_UNAVAILABLE);
  try {
    return await run(ctx, scm, args[0]!.toUpperCase(), args.slice(1));
  } catch (e) {
    if (e instanceof ScFailure) return failure(ctx, e.api, e.code);
    throw e;
  }
};
