/**
 * Services in the registry: HKLM\SYSTEM\CurrentControlSet\Services\<name>
 * with the values the service control manager reads at boot and writes on
 * CreateService / ChangeServiceConfig ("Registry Entries for Services",
 * Microsoft Learn): Type, Start, ErrorControl (REG_DWORD), ImagePath
 * (REG_EXPAND_SZ), DisplayName, ObjectName, Group, Description (REG_SZ),
 * DependOnService (REG_MULTI_SZ), DelayedAutostart and SvcHostSplitDisable
 * (REG_DWORD). Values are written in that (alphabetical) order, which is how
 * setup leaves them and how `reg query` lists them.
 */
import {
  REG_DWORD,
  REG_EXPAND_SZ,
  REG_MULTI_SZ,
  REG_SZ,
  type HiveKeySpec,
  type Registry,
  type RegistryValue,
} from '../registry/types.js';
import { SERVICE_ACCEPT_STOP, SERVICES_KEY } from './constants.js';
import { knownService, SERVICE_GROUP_ORDER, type ServiceSpec } from './catalog.js';

/** The registry values of one service, in the order they are written. */
export function serviceValues(s: ServiceSpec): RegistryValue[] {
  const v: RegistryValue[] = [];
  if (s.delayedAutoStart) v.push({ name: 'DelayedAutostart', type: REG_DWORD, data: 1 });
  if (s.dependOnService && s.dependOnService.length > 0) v.push({ name: 'DependOnService', type: REG_MULTI_SZ, data: [...s.dependOnService] });
  if (s.description !== undefined) v.push({ name: 'Description', type: REG_SZ, data: s.description });
  v.push({ name: 'DisplayName', type: REG_SZ, data: s.displayName });
  v.push({ name: 'ErrorControl', type: REG_DWORD, data: s.errorControl });
  if (s.group !== undefined) v.push({ name: 'Group', type: REG_SZ, data: s.group });
  v.push({ name: 'ImagePath', type: REG_EXPAND_SZ, data: s.imagePath });
  if (s.objectName !== undefined) v.push({ name: 'ObjectName', type: REG_SZ, data: s.objectName });
  v.push({ name: 'Start', type: REG_DWORD, data: s.start });
  if (s.svchostSplitDisable) v.push({ name: 'SvcHostSplitDisable', type: REG_DWORD, data: 1 });
  v.push({ name: 'Type', type: REG_DWORD, data: s.type });
  return v;
}

/** The Services key's subkeys for image synthesis (a HiveKeySpec per service). */
export function serviceRegistryTree(specs: readonly ServiceSpec[]): Record<string, HiveKeySpec> {
  const keys: Record<string, HiveKeySpec> = {};
  for (const s of specs) keys[s.name] = { values: serviceValues(s) };
  return keys;
}

/** HKLM\SYSTEM\CurrentControlSet\Control\ServiceGroupOrder for image synthesis. */
export function serviceGroupOrderKey(): HiveKeySpec {
  return { values: [{ name: 'List', type: REG_MULTI_SZ, data: [...SERVICE_GROUP_ORDER] }] };
}

/** Writes one service's key (CreateService). */
export function writeService(registry: Registry, s: ServiceSpec): void {
  const key = `${SERVICES_KEY}\\${s.name}`;
  registry.createKey(key);
  for (const v of serviceValues(s)) registry.setValue(key, v);
}

/**
 * Databases read from image layers alone, by the layers' nodes of the
 * Services key (Registry.layerIdentity): every container of an image boots
 * with the same service keys (56 in servercore), and the writes a container start makes
 * (its host name under Services\Tcpip\Parameters) do not change what is
 * read here. The specs are frozen and shared; each boot gets its own array.
 */
const LAYER_DATABASES = new WeakMap<object, { identity: readonly object[]; database: readonly ServiceSpec[] }[]>();

/**
 * Reads the service database the way services.exe does at boot: every
 * subkey of Services that has a Type value is a service; others (e.g.
 * parameters-only keys) are skipped. Behaviour the registry does not hold
 * (accepted controls, boot triggers) comes from the catalog for known
 * services; others accept STOP. When the image layers alone decide what
 * is read, the database parsed for an earlier boot of the same layers is
 * reused (same result: the layers are sealed).
 */
export function readServiceDatabase(registry: Registry): ServiceSpec[] {
  const identity = registry.layerIdentity?.(SERVICES_KEY);
  if (identity === undefined || identity.length === 0) return parseServiceDatabase(registry);
  let entries = LAYER_DATABASES.get(identity[0]!);
  const hit = entries?.find((e) => sameElements(e.identity, identity));
  if (hit) return [...hit.database];
  const database = parseServiceDatabase(registry).map(freezeSpec);
  if (!entries) LAYER_DATABASES.set(identity[0]!, (entries = []));
  entries.push({ identity: [...identity], database });
  return [...database];
}

function parseServiceDatabase(registry: Registry): ServiceSpec[] {
  if (!registry.exists(SERVICES_KEY)) return [];
  const out: ServiceSpec[] = [];
  for (const name of registry.enumKeys(SERVICES_KEY)) {
    const key = `${SERVICES_KEY}\\${name}`;
    const values = new Map<string, RegistryValue>();
    for (const v of registry.enumValues(key)) values.set(v.name.toUpperCase(), v);
    const dword = (n: string) => {
      const v = values.get(n.toUpperCase());
      return v && v.type === REG_DWORD ? v.data : undefined;
    };
    const str = (n: string) => {
      const v = values.get(n.toUpperCase());
      return v && (v.type === REG_SZ || v.type === REG_EXPAND_SZ) ? v.data : undefined;
    };
    const type = dword('Type');
    if (type === undefined) continue;
    const deps = values.get('DEPENDONSERVICE');
    const known = knownService(name);
    out.push({
      name,
      displayName: str('DisplayName') ?? name,
      description: str('Description'),
      type,
      start: dword('Start') ?? 3,
      errorControl: dword('ErrorControl') ?? 1,
      imagePath: str('ImagePath') ?? '',
      objectName: str('ObjectName'),
      group: str('Group'),
      dependOnService: deps && deps.type === REG_MULTI_SZ ? deps.data.filter((d) => d.length > 0) : [],
      svchostSplitDisable: dword('SvcHostSplitDisable') === 1,
      delayedAutoStart: dword('DelayedAutostart') === 1,
      controlsAccepted: known?.controlsAccepted ?? SERVICE_ACCEPT_STOP,
      triggerStartsAtBoot: known?.triggerStartsAtBoot,
    });
  }
  return out;
}

function freezeSpec(s: ServiceSpec): ServiceSpec {
  if (s.dependOnService) Object.freeze(s.dependOnService);
  return Object.freeze(s);
}

function sameElements(a: readonly object[], b: readonly object[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
