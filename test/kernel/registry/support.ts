/** Shared set-up for the registry tests: hives, a machine, a dump, error codes. */
import { Win32Error } from '../../../src/core/win32.js';
import {
  createRegistry,
  Hive,
  hiveFromSpec,
  REG_BINARY,
  REG_DWORD,
  REG_SZ,
  type HiveKeySpec,
  type Registry,
  type RegistryOptions,
  type RegistryValue,
} from '../../../src/kernel/registry/index.js';

/** A clock that ticks one millisecond per reading, from `start`. */
export function tickingClock(start = 1_700_000_000_000): () => number {
  let t = start;
  return () => t++;
}

/** The Win32 code `fn` throws, or 0 if it returns. Anything but a Win32Error fails the test. */
export function code(fn: () => unknown): number {
  try {
    fn();
    return 0;
  } catch (e) {
    if (e instanceof Win32Error) return e.code;
    throw e;
  }
}

export const sz = (name: string, data: string): RegistryValue => ({ name, type: REG_SZ, data });
export const dword = (name: string, data: number): RegistryValue => ({ name, type: REG_DWORD, data });
export const bin = (name: string, ...bytes: number[]): RegistryValue => ({ name, type: REG_BINARY, data: new Uint8Array(bytes) });

/** A SYSTEM hive with what boot reads: Select\Current, IDConfigDB, a hardware profile, a service. */
export function systemSpec(current = 1): HiveKeySpec {
  const cs = `ControlSet${String(current).padStart(3, '0')}`;
  return {
    keys: {
      Select: { values: [dword('Current', current), dword('Default', current), dword('LastKnownGood', current)] },
      [cs]: {
        keys: {
          Control: { keys: { IDConfigDB: { values: [dword('CurrentConfig', 1)] } } },
          'Hardware Profiles': { keys: { '0001': { values: [sz('FriendlyName', 'Profile 1')] } } },
          Services: {
            keys: {
              CExecSvc: { values: [dword('Start', 2), sz('ImagePath', 'C:\\Windows\\System32\\cexecsvc.exe')] },
              W32Time: { values: [dword('Start', 3)] },
            },
          },
        },
      },
      MountedDevices: {},
    },
  };
}

export function softwareSpec(): HiveKeySpec {
  return {
    keys: {
      Classes: { keys: { '.txt': { values: [sz('', 'txtfile')] } } },
      Microsoft: {
        keys: {
          'Windows NT': { keys: { CurrentVersion: { values: [sz('ProductName', 'Windows Server 2022 Datacenter'), sz('CurrentBuild', '20348')] } } },
        },
      },
    },
  };
}

export const USER_SID = 'S-1-5-93-2-1';

/** One image's hives (base layer) — fresh objects each call. */
export function imageLayers(): Record<string, Hive> {
  return {
    SYSTEM: hiveFromSpec(systemSpec()),
    SOFTWARE: hiveFromSpec(softwareSpec()),
    SAM: hiveFromSpec({ keys: { SAM: {} } }),
    SECURITY: hiveFromSpec({ keys: { Policy: {} } }),
    DEFAULT: hiveFromSpec({ keys: { Environment: { values: [sz('TEMP', '%USERPROFILE%\\AppData\\Local\\Temp')] } } }),
    USER: hiveFromSpec({ keys: { Environment: {}, Software: {} } }),
  };
}

/** A container's registry over image layer stacks (each hive's layers, lowest first) with fresh deltas. */
export function container(
  layers: Record<string, Hive[]>,
  extra: Partial<RegistryOptions> = {},
): { reg: Registry; deltas: Record<string, Hive> } {
  const deltas: Record<string, Hive> = {};
  for (const name of Object.keys(layers)) deltas[name] = new Hive();
  const stack = (name: string) => ({ layers: layers[name]!, delta: deltas[name]! });
  const reg = createRegistry({
    machine: { SYSTEM: stack('SYSTEM'), SOFTWARE: stack('SOFTWARE'), SAM: stack('SAM'), SECURITY: stack('SECURITY') },
    users: { '.DEFAULT': stack('DEFAULT'), [USER_SID]: stack('USER') },
    currentUser: USER_SID,
    clock: tickingClock(),
    ...extra,
  });
  return { reg, deltas };
}

/** A machine on one fresh image. */
export function machine(extra: Partial<RegistryOptions> = {}): { reg: Registry; deltas: Record<string, Hive> } {
  const img = imageLayers();
  const layers: Record<string, Hive[]> = {};
  for (const [k, h] of Object.entries(img)) layers[k] = [h];
  return container(layers, extra);
}

export interface Dumped {
  values: [string, number, unknown][];
  keys: Record<string, Dumped>;
}

/** Everything visible below `path` through the Registry API (links followed once: `skip` names not to descend). */
export function dump(reg: Registry, path: string, skip: ReadonlySet<string> = new Set()): Dumped {
  const out: Dumped = { values: reg.enumValues(path).map((v) => [v.name, v.type, showData(v)]), keys: {} };
  for (const name of reg.enumKeys(path)) {
    if (skip.has(name.toUpperCase())) continue;
    out.keys[name] = dump(reg, `${path}\\${name}`, skip);
  }
  return out;
}

export function showData(v: RegistryValue): unknown {
  return v.data instanceof Uint8Array ? Array.from(v.data) : typeof v.data === 'bigint' ? `${v.data}n` : v.data;
}
