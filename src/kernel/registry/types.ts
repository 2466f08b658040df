/**
 * The registry contract: a machine's registry as programs see it (reg.exe,
 * PowerShell's HKLM:/HKCU: drives, services.exe reading
 * HKLM\SYSTEM\CurrentControlSet\Services). Inside a container it is a
 * union: the image layers' hives, read-only, with the container's writable
 * delta on top (windows-facts §4). issue 6 "Registry".
 *
 * Paths name a root and a key path: `HKLM\SOFTWARE\Microsoft`,
 * `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft`, `HKU\.DEFAULT`, `HKCU\Environment`
 * (root names case-insensitive, as reg.exe accepts them; key names
 * case-insensitive and case-preserving).
 *
 * Errors are thrown as Win32Error (src/core/win32.ts), as RegOpenKeyEx and
 * friends return them:
 *  - ERROR_FILE_NOT_FOUND (2)   the key or value does not exist
 *  - ERROR_ACCESS_DENIED (5)    RegDeleteKey of a key that has subkeys; deleting a
 *                               root key or a hive's root; writes to a read-only view
 *                               (or a hive with no writable delta)
 *  - ERROR_INVALID_PARAMETER (87) a key name part longer than 256 characters (the
 *                               docs say 255; Windows takes 256 — limits.ts), a value
 *                               name longer than 16,383, an unknown root, an empty
 *                               path, a malformed value; createKey directly under HKLM
 *                               or HKU (CmpParseKey: no creates in the master hive)
 *  - ERROR_BAD_PATHNAME (161)   a subkey path that starts with a backslash
 *  - ERROR_BADDB (1009)         parseHive of corrupt bytes
 *  - ERROR_KEY_DELETED (1018)   an operation on a key that was deleted while open
 *                               (not produced yet: this API has no handles)
 *  - ERROR_MORE_DATA (234)      not used by this path-based API (values come whole)
 */

/** Registry value types — winnt.h ("Registry Value Types", learn.microsoft.com). */
export const REG_NONE = 0;
export const REG_SZ = 1;
export const REG_EXPAND_SZ = 2;
export const REG_BINARY = 3;
export const REG_DWORD = 4;
export const REG_DWORD_BIG_ENDIAN = 5;
export const REG_LINK = 6;
export const REG_MULTI_SZ = 7;
export const REG_QWORD = 11;

/** One value. `name` '' is the key's default value ("(Default)"). */
export type RegistryValue =
  | { name: string; type: typeof REG_SZ | typeof REG_EXPAND_SZ | typeof REG_LINK; data: string }
  | { name: string; type: typeof REG_MULTI_SZ; data: string[] }
  | { name: string; type: typeof REG_DWORD | typeof REG_DWORD_BIG_ENDIAN; data: number }
  | { name: string; type: typeof REG_QWORD; data: bigint }
  | { name: string; type: typeof REG_BINARY | typeof REG_NONE; data: Uint8Array };

export interface KeyInfo {
  /** The key's own name as created (case preserved). */
  name: string;
  subkeys: number;
  values: number;
  /** Last write time, ms since 1970-01-01 UTC. */
  lastWriteTime: number;
}

export interface Registry {
  readonly readOnly: boolean;
  /** True if the key exists (throws only for a malformed path). */
  exists(path: string): boolean;
  keyInfo(path: string): KeyInfo;
  /** RegCreateKeyEx: creates missing keys along the path; `created` false if it existed. */
  createKey(path: string): { created: boolean };
  /** RegDeleteKey: ERROR_ACCESS_DENIED if the key has subkeys. */
  deleteKey(path: string): void;
  /** RegDeleteTree / `reg delete /f`: the key and everything below it. */
  deleteTree(path: string): void;
  /** Subkey names in the order RegEnumKeyEx gives them. */
  enumKeys(path: string): string[];
  /** Values in the order RegEnumValue gives them (creation order). */
  enumValues(path: string): RegistryValue[];
  getValue(path: string, name: string): RegistryValue;
  setValue(path: string, value: RegistryValue): void;
  deleteValue(path: string, name: string): void;
  /**
   * @internal An identity for what enumKeys(path) and enumValues of the key
   * and of each of its subkeys show, when the image layers alone decide it
   * (the container's delta changes none of it): objects of the sealed
   * layers, equal element by element only where that content is equal
   * (last-write times aside). Undefined when the delta shows through there
   * or the key is missing. For caches of what every boot reads
   * (services/registry.ts); optional — a registry without it is read
   * every time.
   */
  layerIdentity?(path: string): readonly object[] | undefined;
}

/**
 * A hive's contents as plain data: what image synthesis writes and what a
 * hive serialises to. Key names case-preserved; values in creation order.
 */
export interface HiveKeySpec {
  values?: RegistryValue[];
  keys?: Record<string, HiveKeySpec>;
  /** Last write time, ms since 1970 (hiveFromSpec: the `time` option when absent). */
  lastWriteTime?: number;
}
