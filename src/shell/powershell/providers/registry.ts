/**
 * The Registry provider: keys as Microsoft.Win32.RegistryKey objects
 * (Get-Item, Get-ChildItem on HKLM:/HKCU:) and values as the properties of
 * Get-ItemProperty's object, with .NET's types for the registry's
 * (REG_SZ string, REG_DWORD Int32, REG_QWORD Int64, REG_MULTI_SZ string[],
 * REG_BINARY byte[]).
 */
import { REG_BINARY, REG_DWORD, REG_EXPAND_SZ, REG_MULTI_SZ, REG_QWORD, REG_SZ, type Registry, type RegistryValue } from '../../../kernel/registry/types.js';
import { PSObject, toStr } from '../runtime/values.js';
import { registryDisplay, registryLongName } from './paths.js';

export function valueData(v: RegistryValue): unknown {
  switch (v.type) {
    case REG_DWORD:
      return v.data | 0;
    case REG_QWORD:
      return Number(v.data);
    case REG_MULTI_SZ:
      return [...v.data];
    case REG_BINARY:
      return [...v.data];
    default:
      return typeof v.data === 'string' ? v.data : [...(v.data as Uint8Array)];
  }
}

/** Registry value kind names (-PropertyType / -Type): String, ExpandString, Binary, DWord, MultiString, QWord. */
export function makeValue(name: string, data: unknown, kind: string | undefined, existing?: RegistryValue): RegistryValue {
  const k = (kind ?? '').toLowerCase();
  const type =
    k === 'dword'
      ? REG_DWORD
      : k === 'qword'
        ? REG_QWORD
        : k === 'expandstring'
          ? REG_EXPAND_SZ
          : k === 'multistring'
            ? REG_MULTI_SZ
            : k === 'binary'
              ? REG_BINARY
              : k === 'string'
                ? REG_SZ
                : existing
                  ? existing.type
                  : typeof data === 'number'
                    ? REG_DWORD
                    : Array.isArray(data)
                      ? REG_MULTI_SZ
                      : REG_SZ;
  switch (type) {
    case REG_DWORD:
      return { name, type, data: Number(data) >>> 0 };
    case REG_QWORD:
      return { name, type, data: BigInt(Math.trunc(Number(data))) };
    case REG_MULTI_SZ:
      return { name, type, data: (Array.isArray(data) ? data : [data]).map(toStr) };
    case REG_BINARY:
      return { name, type, data: Uint8Array.from((Array.isArray(data) ? data : [data]).map((x) => Number(x) & 0xff)) };
    case REG_EXPAND_SZ:
      return { name, type, data: toStr(data) };
    default:
      return { name, type: REG_SZ, data: toStr(data) };
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('\\');
  return i < 0 ? '' : path.slice(0, i);
}

/** A registry key (RegistryKey) with the provider's PS* properties. */
export function keyItem(reg: Registry, path: string): PSObject {
  const long = registryLongName(path);
  const leaf = long.slice(long.lastIndexOf('\\') + 1);
  const o = new PSObject(['Microsoft.Win32.RegistryKey', 'System.MarshalByRefObject', 'System.Object'], () => long);
  const values = reg.enumValues(path);
  const parent = parentOf(long);
  o.add('Property', values.map((v) => (v.name === '' ? '(default)' : v.name)));
  o.add('PSPath', `Microsoft.PowerShell.Core\\Registry::${long}`);
  o.add('PSParentPath', parent ? `Microsoft.PowerShell.Core\\Registry::${parent}` : '');
  o.add('PSChildName', leaf);
  o.add('PSDrive', registryDisplay(path).split(':')[0]);
  o.add('PSProvider', 'Microsoft.PowerShell.Core\\Registry');
  o.add('PSIsContainer', true);
  o.add('SubKeyCount', reg.enumKeys(path).length);
  o.add('View', 'Default');
  o.add('Handle', 'Microsoft.Win32.SafeHandles.SafeRegistryHandle');
  o.add('ValueCount', values.length);
  o.add('Name', long);
  // Registry.format.ps1xml pads the value names to the longest before ` : `.
  const shown = values.map((v) => (v.name === '' ? '(default)' : v.name));
  const w = Math.max(0, ...shown.map((n) => n.length));
  o.add('PropertyLines', values.map((v, i) => `${shown[i]!.padEnd(w)} : ${cellData(v)}`));
  o.method('GetValue', (args) => {
    const n = toStr(args[0]);
    const v = values.find((x) => x.name.toLowerCase() === n.toLowerCase());
    return v ? valueData(v) : args.length > 1 ? args[1] : null;
  });
  o.method('GetValueNames', () => values.map((v) => v.name));
  o.method('GetSubKeyNames', () => reg.enumKeys(path));
  return o;
}

function cellData(v: RegistryValue): string {
  const d = valueData(v);
  if (Array.isArray(d)) return '{' + d.map(toStr).join(', ') + '}';
  return toStr(d);
}

/** Get-ItemProperty's object: the key's values plus PS* properties. */
export function itemProperties(reg: Registry, path: string, names?: string[]): PSObject {
  const long = registryLongName(path);
  const o = new PSObject();
  for (const v of reg.enumValues(path)) {
    const n = v.name === '' ? '(default)' : v.name;
    if (names && !names.some((x) => x.toLowerCase() === n.toLowerCase())) continue;
    o.add(n, valueData(v));
  }
  o.add('PSPath', `Microsoft.PowerShell.Core\\Registry::${long}`);
  o.add('PSParentPath', `Microsoft.PowerShell.Core\\Registry::${parentOf(long)}`);
  o.add('PSChildName', long.slice(long.lastIndexOf('\\') + 1));
  o.add('PSDrive', registryDisplay(path).split(':')[0]);
  o.add('PSProvider', 'Microsoft.PowerShell.Core\\Registry');
  return o;
}
