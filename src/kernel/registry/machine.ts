/**
 * The machine's registry as programs see it (the Registry contract,
 * types.ts): the predefined root keys over the mounted hives, and the
 * symbolic-link keys the kernel creates at boot.
 *
 * Namespace (as the configuration manager lays it out under \REGISTRY):
 *   HKEY_LOCAL_MACHINE  \REGISTRY\MACHINE           hives SYSTEM, SOFTWARE, SAM, SECURITY…
 *   HKEY_USERS          \REGISTRY\USER              hives .DEFAULT, the user's SID…
 *   HKEY_CURRENT_USER   \REGISTRY\USER\<user>       the caller's user (default .DEFAULT, where
 *                                                   RegOpenCurrentUser falls back to)
 *   HKEY_CLASSES_ROOT   HKLM\SOFTWARE\Classes       simplified: Windows merges it with
 *                                                   HKCU\Software\Classes; we map to HKLM's only
 *   HKEY_CURRENT_CONFIG HKLM\SYSTEM\CurrentControlSet\Hardware Profiles\Current
 *
 * Boot-time links (CmpCreateControlSet): HKLM\SYSTEM\CurrentControlSet is a
 * volatile link key to ControlSet%03d, the number from SYSTEM\Select\Current
 * (REG_DWORD; 1 if absent — decision); and, when the control set's
 * Control\IDConfigDB\CurrentConfig (REG_DWORD) names a profile whose key
 * Hardware Profiles\%04d exists, Hardware Profiles\Current links to it.
 * Links are volatile: they live in no hive (so never in a delta or a
 * commit), are followed by every path (reads and writes through either name
 * reach the same key), count as their parent's subkeys, and go away with
 * their parent (deleteTree). A path that follows more than
 * REGISTRY_LIMITS.maxLinkReparses links is not found.
 *
 * Errors as types.ts lists them. Decisions where Windows' answer was not
 * found: deleting a root key or a hive's root (KEY_NO_DELETE) and deleteTree
 * of one are refused before anything is deleted; values cannot be set on
 * HKLM or HKU themselves (ERROR_ACCESS_DENIED).
 */
import { ERROR_ACCESS_DENIED, ERROR_FILE_NOT_FOUND, ERROR_INVALID_PARAMETER, Win32Error } from '../../core/win32.js';
import type { Hive } from './hive.js';
import { LayeredHive, type KeyNodes } from './layered.js';
import { REGISTRY_LIMITS } from './limits.js';
import { fold, parsePath, sortKeyNames, type RootKey } from './names.js';
import { REG_DWORD, type KeyInfo, type Registry, type RegistryValue } from './types.js';
import { checkValue } from './values.js';

/** One mounted hive: its read-only layers and, in a container, the writable delta. */
export interface HiveStack {
  /** Read-only layer hives, lowest first (sealed when stacked). */
  layers?: readonly Hive[];
  /** The writable delta on top; without one the hive is read-only. */
  delta?: Hive;
}

export interface RegistryOptions {
  /** HKLM's hives by mount name: SYSTEM, SOFTWARE, SAM, SECURITY (others allowed). */
  machine: Readonly<Record<string, HiveStack>>;
  /** HKU's hives by mount name: .DEFAULT, the user's SID… */
  users?: Readonly<Record<string, HiveStack>>;
  /** The HKU hive HKEY_CURRENT_USER maps to (default .DEFAULT). */
  currentUser?: string;
  /** Refuse every write with ERROR_ACCESS_DENIED. */
  readOnly?: boolean;
  /** Last-write times, ms since 1970 (default Date.now). */
  clock?: () => number;
}

const MACHINE = 'MACHINE';
const USER = 'USER';

interface Master {
  /** MACHINE or USER: the key's name under \REGISTRY. */
  name: string;
  mounts: Map<string, Mount>;
  lastWriteTime: number;
}

interface Mount {
  name: string;
  view: LayeredHive;
}

interface Link {
  /** The link key's name (case preserved). */
  name: string;
  /** Upcased path of the key holding it. */
  parent: string;
  /** Where it points, as a path under \REGISTRY. */
  target: string[];
}

type Located =
  | { kind: 'master'; master: Master }
  | { kind: 'key'; mount: Mount; path: string[]; nodes: KeyNodes; canonical: string[] }
  | { kind: 'missing'; master: Master; mount?: Mount; path: string[]; unreachable?: boolean };

/** Opens a machine's registry over its hives: O(hives), nothing copied. */
export function createRegistry(options: RegistryOptions): Registry {
  return new MachineRegistry(options);
}

class MachineRegistry implements Registry {
  readonly readOnly: boolean;
  readonly #masters = new Map<string, Master>();
  readonly #currentUser: string;
  /** Boot-time link keys by upcased path. */
  readonly #links = new Map<string, Link>();

  constructor(options: RegistryOptions) {
    this.readOnly = options.readOnly === true;
    const clock = options.clock ?? Date.now;
    const boot = clock();
    this.#currentUser = options.currentUser ?? '.DEFAULT';
    this.#masters.set(MACHINE, this.#master(MACHINE, options.machine, clock, boot));
    this.#masters.set(USER, this.#master(USER, options.users ?? {}, clock, boot));
    this.#bootLinks();
  }

  #master(name: string, hives: Readonly<Record<string, HiveStack>>, clock: () => number, boot: number): Master {
    const mounts = new Map<string, Mount>();
    for (const [mountName, stack] of Object.entries(hives)) {
      if (mountName === '' || mountName.includes('\\') || mounts.has(fold(mountName))) {
        throw new Win32Error('createRegistry', ERROR_INVALID_PARAMETER, `${name}\\${mountName}`);
      }
      mounts.set(fold(mountName), { name: mountName, view: new LayeredHive(stack.layers ?? [], stack.delta, { clock, rootName: mountName }) });
    }
    return { name, mounts, lastWriteTime: Number.isFinite(boot) ? boot + 0 : 0 };
  }

  /** CmpCreateControlSet: CurrentControlSet and the current hardware profile. */
  #bootLinks(): void {
    const system = this.#masters.get(MACHINE)!.mounts.get('SYSTEM');
    if (system === undefined) return;
    const view = system.view;
    const dword = (path: string[], name: string): number | undefined => {
      const key = view.walk(path);
      const v = key === undefined ? undefined : view.value(key, name);
      return v?.type === REG_DWORD ? v.data : undefined;
    };
    const controlSet = `ControlSet${String(dword(['Select'], 'Current') ?? 1).padStart(3, '0')}`;
    this.#addLink([MACHINE, 'SYSTEM'], 'CurrentControlSet', [MACHINE, 'SYSTEM', controlSet]);
    const profile = dword([controlSet, 'Control', 'IDConfigDB'], 'CurrentConfig');
    if (profile === undefined) return;
    const profileName = String(profile).padStart(4, '0');
    if (view.walk([controlSet, 'Hardware Profiles', profileName]) === undefined) return;
    this.#addLink([MACHINE, 'SYSTEM', controlSet, 'Hardware Profiles'], 'Current', [MACHINE, 'SYSTEM', 'CurrentControlSet', 'Hardware Profiles', profileName]);
  }

  /** A volatile link key, unless a key of that name exists (NtCreateKey would open it instead). */
  #addLink(parent: string[], name: string, target: string[]): void {
    const at = this.#locate([...parent, name]);
    if (at.kind !== 'missing' || at.mount === undefined || at.path.length !== parent.length - 1) return;
    const key = fold([...parent, name].join('\\'));
    this.#links.set(key, { name, parent: fold(parent.join('\\')), target });
  }

  // ---- Path resolution ----------------------------------------------------

  /** The path under \REGISTRY that a Win32 path names (before links). */
  #canonical(op: string, path: string): string[] {
    const { root, subkeys } = parsePath(op, path);
    return [...ROOT_PREFIX[root](this.#currentUser), ...subkeys];
  }

  /** Walks a \REGISTRY path, following link keys. */
  #locate(start: string[]): Located {
    let comps = start;
    let reparses = 0;
    restart: for (;;) {
      const master = this.#masters.get(fold(comps[0]!))!;
      if (comps.length === 1) return { kind: 'master', master };
      const mount = master.mounts.get(fold(comps[1]!));
      if (mount === undefined) return { kind: 'missing', master, path: comps.slice(1) };
      let nodes = mount.view.root();
      let key = fold(`${comps[0]}\\${comps[1]}`);
      for (let i = 2; i < comps.length; i++) {
        key += '\\' + fold(comps[i]!);
        const link = this.#links.get(key);
        if (link !== undefined) {
          if (++reparses > REGISTRY_LIMITS.maxLinkReparses) return { kind: 'missing', master, mount, path: comps.slice(2), unreachable: true };
          comps = [...link.target, ...comps.slice(i + 1)];
          continue restart;
        }
        const next = mount.view.child(nodes, comps[i]!);
        if (next === undefined) return { kind: 'missing', master, mount, path: comps.slice(2) };
        nodes = next;
      }
      return { kind: 'key', mount, path: comps.slice(2), nodes, canonical: comps };
    }
  }

  #open(op: string, path: string): Exclude<Located, { kind: 'missing' }> {
    const at = this.#locate(this.#canonical(op, path));
    if (at.kind === 'missing') throw new Win32Error(op, ERROR_FILE_NOT_FOUND, path);
    return at;
  }

  #checkWritable(op: string, path: string): void {
    if (this.readOnly) throw new Win32Error(op, ERROR_ACCESS_DENIED, path);
  }

  /** Link keys held by the key at `canonical`. */
  #linksUnder(canonical: string[]): string[] {
    const parent = fold(canonical.join('\\'));
    const names: string[] = [];
    for (const link of this.#links.values()) if (link.parent === parent) names.push(link.name);
    return names;
  }

  #subkeys(at: Exclude<Located, { kind: 'missing' }>): string[] {
    if (at.kind === 'master') return sortKeyNames([...at.master.mounts.values()].map((m) => m.name));
    const names = at.mount.view.subkeyNames(at.nodes);
    const links = this.#linksUnder(at.canonical);
    if (links.length === 0) return names;
    const seen = new Set(names.map(fold));
    return sortKeyNames([...names, ...links.filter((l) => !seen.has(fold(l)))]);
  }

  // ---- Registry -----------------------------------------------------------

  /**
   * @internal LayeredHive.layerNodes through the machine's paths (links
   * followed): undefined as well for HKLM and HKU themselves and for a key
   * that holds link keys (they live in no layer).
   */
  layerIdentity(path: string): readonly object[] | undefined {
    const at = this.#locate(this.#canonical('RegOpenKeyEx', path));
    if (at.kind !== 'key' || this.#linksUnder(at.canonical).length > 0) return undefined;
    return at.mount.view.layerNodes(at.path);
  }


  exists(path: string): boolean {
    return this.#locate(this.#canonical('RegOpenKeyEx', path)).kind !== 'missing';
  }

  keyInfo(path: string): KeyInfo {
    const at = this.#open('RegQueryInfoKey', path);
    if (at.kind === 'master') {
      return { name: at.master.name, subkeys: at.master.mounts.size, values: 0, lastWriteTime: at.master.lastWriteTime };
    }
    const info = at.mount.view.info(at.nodes);
    return { ...info, subkeys: this.#subkeys(at).length };
  }

  createKey(path: string): { created: boolean } {
    const op = 'RegCreateKeyEx';
    const canonical = this.#canonical(op, path);
    this.#checkWritable(op, path);
    const at = this.#locate(canonical);
    if (at.kind !== 'missing') return { created: false };
    if (at.unreachable) throw new Win32Error(op, ERROR_FILE_NOT_FOUND, path);
    // HKLM's and HKU's own keys live in the master hive, where CmpParseKey
    // refuses to create anything once booted (CmpNoMasterCreates:
    // STATUS_INVALID_PARAMETER — "attempting to create a cell in the master
    // hive … it wouldn't work anyway").
    if (at.mount === undefined) throw new Win32Error(op, ERROR_INVALID_PARAMETER, path);
    return at.mount.view.createKey(op, path, at.path);
  }

  deleteKey(path: string): void {
    const op = 'RegDeleteKey';
    const canonical = this.#canonical(op, path);
    this.#checkWritable(op, path);
    const at = this.#locate(canonical);
    if (at.kind === 'missing') throw new Win32Error(op, ERROR_FILE_NOT_FOUND, path);
    if (at.kind === 'master' || at.path.length === 0 || this.#subkeys(at).length > 0) throw new Win32Error(op, ERROR_ACCESS_DENIED, path);
    at.mount.view.deleteKey(op, path, at.path);
  }

  deleteTree(path: string): void {
    const op = 'RegDeleteTree';
    const canonical = this.#canonical(op, path);
    this.#checkWritable(op, path);
    const at = this.#locate(canonical);
    if (at.kind === 'missing') throw new Win32Error(op, ERROR_FILE_NOT_FOUND, path);
    if (at.kind === 'master' || at.path.length === 0) throw new Win32Error(op, ERROR_ACCESS_DENIED, path);
    at.mount.view.deleteTree(op, path, at.path);
    // Volatile links below the deleted key go with it.
    const prefix = fold(at.canonical.join('\\')) + '\\';
    for (const key of [...this.#links.keys()]) if (key.startsWith(prefix)) this.#links.delete(key);
  }

  enumKeys(path: string): string[] {
    return this.#subkeys(this.#open('RegEnumKeyEx', path));
  }

  enumValues(path: string): RegistryValue[] {
    const at = this.#open('RegEnumValue', path);
    return at.kind === 'master' ? [] : at.mount.view.values(at.nodes);
  }

  getValue(path: string, name: string): RegistryValue {
    const op = 'RegQueryValueEx';
    if (typeof name !== 'string') throw new Win32Error(op, ERROR_INVALID_PARAMETER, path);
    const at = this.#open(op, path);
    const v = at.kind === 'master' ? undefined : at.mount.view.value(at.nodes, name);
    if (v === undefined) throw new Win32Error(op, ERROR_FILE_NOT_FOUND, valueObject(path, name));
    return v;
  }

  setValue(path: string, value: RegistryValue): void {
    const op = 'RegSetValueEx';
    const canonical = this.#canonical(op, path);
    this.#checkWritable(op, path);
    const v = checkValue(op, path, value);
    const at = this.#locate(canonical);
    if (at.kind === 'missing') throw new Win32Error(op, ERROR_FILE_NOT_FOUND, path);
    if (at.kind === 'master') throw new Win32Error(op, ERROR_ACCESS_DENIED, path);
    at.mount.view.setValue(op, path, at.path, v);
  }

  deleteValue(path: string, name: string): void {
    const op = 'RegDeleteValue';
    const canonical = this.#canonical(op, path);
    if (typeof name !== 'string') throw new Win32Error(op, ERROR_INVALID_PARAMETER, path);
    this.#checkWritable(op, path);
    const at = this.#locate(canonical);
    if (at.kind === 'missing') throw new Win32Error(op, ERROR_FILE_NOT_FOUND, path);
    if (at.kind === 'master') throw new Win32Error(op, ERROR_FILE_NOT_FOUND, valueObject(path, name));
    at.mount.view.deleteValue(op, valueObject(path, name), at.path, name);
  }
}

/** Where each predefined key starts under \REGISTRY. */
const ROOT_PREFIX: Record<RootKey, (currentUser: string) => string[]> = {
  HKEY_LOCAL_MACHINE: () => [MACHINE],
  HKEY_USERS: () => [USER],
  HKEY_CURRENT_USER: (user) => [USER, user],
  HKEY_CLASSES_ROOT: () => [MACHINE, 'SOFTWARE', 'Classes'],
  HKEY_CURRENT_CONFIG: () => [MACHINE, 'SYSTEM', 'CurrentControlSet', 'Hardware Profiles', 'Current'],
};

function valueObject(path: string, name: string): string {
  return `${path} [${name === '' ? '(Default)' : name}]`;
}
