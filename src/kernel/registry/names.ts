/**
 * Registry names: root keys as reg.exe accepts them, key paths, and the
 * case-insensitive comparison that orders subkeys.
 *
 * Names compare case-insensitively by upcasing each UTF-16 code unit
 * (RtlUpcaseUnicodeChar) and comparing code units, as the configuration
 * manager's subkey index does (CmpDoCompareKeyName / CmpCompareCompressedName
 * compare upcased characters; regf subkey lists are kept sorted that way, so
 * RegEnumKeyEx returns subkeys in upcased-name order). We reuse the object
 * manager's upcase table (src/core/ob/upcase.ts): one code unit to one.
 */
import { ERROR_BAD_PATHNAME, ERROR_INVALID_PARAMETER, Win32Error } from '../../core/win32.js';
import { fold } from '../../core/ob/upcase.js';
import { REGISTRY_LIMITS } from './limits.js';

export { fold };

/** The predefined keys this registry serves, by their long names. */
export type RootKey = 'HKEY_LOCAL_MACHINE' | 'HKEY_USERS' | 'HKEY_CURRENT_USER' | 'HKEY_CLASSES_ROOT' | 'HKEY_CURRENT_CONFIG';

/**
 * Root names in long and short form, upcased: what `reg /?` lists
 * ("ROOTKEY [ HKLM | HKCU | HKCR | HKU | HKCC ]") plus the long names reg.exe
 * also takes. HKEY_PERFORMANCE_DATA and remote `\\machine\` prefixes are not
 * served.
 */
const ROOT_NAMES: ReadonlyMap<string, RootKey> = new Map([
  ['HKEY_LOCAL_MACHINE', 'HKEY_LOCAL_MACHINE'],
  ['HKLM', 'HKEY_LOCAL_MACHINE'],
  ['HKEY_USERS', 'HKEY_USERS'],
  ['HKU', 'HKEY_USERS'],
  ['HKEY_CURRENT_USER', 'HKEY_CURRENT_USER'],
  ['HKCU', 'HKEY_CURRENT_USER'],
  ['HKEY_CLASSES_ROOT', 'HKEY_CLASSES_ROOT'],
  ['HKCR', 'HKEY_CLASSES_ROOT'],
  ['HKEY_CURRENT_CONFIG', 'HKEY_CURRENT_CONFIG'],
  ['HKCC', 'HKEY_CURRENT_CONFIG'],
]);

export interface RegistryPath {
  root: RootKey;
  /** Key names below the root, as typed (case preserved), none empty. */
  subkeys: string[];
}

/**
 * Splits `ROOT\sub\key` into its root and key names.
 *  - unknown or missing root, or a name part longer than
 *    REGISTRY_LIMITS.maxKeyNameLength → ERROR_INVALID_PARAMETER;
 *  - a subkey path that starts with a backslash (`HKLM\\SOFTWARE`) →
 *    ERROR_BAD_PATHNAME, as RegCreateKeyEx answers for a leading backslash;
 *  - trailing and repeated backslashes are ignored, as RegCreateKeyEx and
 *    Wine's server (get_path_token) ignore them.
 */
export function parsePath(op: string, path: string): RegistryPath {
  if (typeof path !== 'string') throw new Win32Error(op, ERROR_INVALID_PARAMETER, String(path));
  const cut = path.indexOf('\\');
  const rootName = cut < 0 ? path : path.slice(0, cut);
  const root = ROOT_NAMES.get(fold(rootName));
  if (root === undefined) throw new Win32Error(op, ERROR_INVALID_PARAMETER, path);
  const rest = cut < 0 ? '' : path.slice(cut + 1);
  if (rest.startsWith('\\')) throw new Win32Error(op, ERROR_BAD_PATHNAME, path);
  const subkeys: string[] = [];
  for (const part of rest.split('\\')) {
    if (part === '') continue;
    if (part.length > REGISTRY_LIMITS.maxKeyNameLength) throw new Win32Error(op, ERROR_INVALID_PARAMETER, path);
    subkeys.push(part);
  }
  return { root, subkeys };
}

/** A key name part valid in a hive: not empty, no backslash, not too long. */
export function isValidKeyName(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && name.length <= REGISTRY_LIMITS.maxKeyNameLength && !name.includes('\\');
}

/** Upcased-name order (RegEnumKeyEx order): compares code units of the folded names. */
export function compareFolded(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts names into RegEnumKeyEx order. */
export function sortKeyNames(names: Iterable<string>): string[] {
  const keyed = [...names].map((name) => ({ name, f: fold(name) }));
  keyed.sort((x, y) => compareFolded(x.f, y.f));
  return keyed.map((k) => k.name);
}
