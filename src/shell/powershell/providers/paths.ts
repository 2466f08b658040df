/**
 * PowerShell paths (about_Providers, about_Locations): a path names an item
 * of one provider — FileSystem (`C:\x`), Registry (`HKLM:\SOFTWARE`,
 * `Registry::HKEY_LOCAL_MACHINE\…`), Environment (`Env:\PATH`). A
 * relative path is relative to the current location, whatever provider
 * that location belongs to.
 */
import type { FileSystemView } from '../../../kernel/fs/types.js';

export type ProviderName = 'FileSystem' | 'Registry' | 'Environment';

export interface ProviderPath {
  readonly provider: ProviderName;
  /** FileSystem: a full Win32 path (`C:\x`). Registry: `HKLM\SOFTWARE` (the registry API's form). Environment: the variable name ('' for the drive). */
  readonly path: string;
}

const HIVES: Record<string, string> = {
  hklm: 'HKEY_LOCAL_MACHINE',
  hkcu: 'HKEY_CURRENT_USER',
  hkcr: 'HKEY_CLASSES_ROOT',
  hku: 'HKEY_USERS',
  hkcc: 'HKEY_CURRENT_CONFIG',
  hkey_local_machine: 'HKEY_LOCAL_MACHINE',
  hkey_current_user: 'HKEY_CURRENT_USER',
  hkey_classes_root: 'HKEY_CLASSES_ROOT',
  hkey_users: 'HKEY_USERS',
  hkey_current_config: 'HKEY_CURRENT_CONFIG',
};

const SHORT: Record<string, string> = {
  HKEY_LOCAL_MACHINE: 'HKLM',
  HKEY_CURRENT_USER: 'HKCU',
  HKEY_CLASSES_ROOT: 'HKCR',
  HKEY_USERS: 'HKU',
  HKEY_CURRENT_CONFIG: 'HKCC',
};

/** `HKLM\SOFTWARE\X` → `HKEY_LOCAL_MACHINE\SOFTWARE\X` (RegistryKey.Name). */
export function registryLongName(path: string): string {
  const [root, ...rest] = path.split('\\');
  return [HIVES[root!.toLowerCase()] ?? root, ...rest].join('\\');
}

/** `HKLM\SOFTWARE` → `HKLM:\SOFTWARE` (how locations show). */
export function registryDisplay(path: string): string {
  const [root, ...rest] = path.split('\\');
  const short = SHORT[HIVES[root!.toLowerCase()] ?? ''] ?? root;
  return `${short}:\\${rest.join('\\')}`;
}

function normalizeParts(parts: string[]): string[] {
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (out.length > 1) out.pop();
      continue;
    }
    out.push(p);
  }
  return out;
}

/** Resolves `path` against `location` (the current location, itself a provider path). */
export function resolvePath(path: string, location: string, fs: FileSystemView | undefined, fsCwd: string): ProviderPath {
  let p = path.replace(/\//g, '\\');
  const qualified = /^(?:Microsoft\.PowerShell\.Core\\)?(FileSystem|Registry|Environment)::(.*)$/i.exec(p);
  if (qualified) {
    const prov = qualified[1]!.toLowerCase();
    if (prov === 'registry') return registryPath(qualified[2]!.split('\\'));
    if (prov === 'environment') return { provider: 'Environment', path: qualified[2]!.replace(/^\\/, '') };
    p = qualified[2]!;
  }
  const drive = /^([A-Za-z_]+):(.*)$/.exec(p);
  if (drive && drive[1]!.length > 1) {
    const d = drive[1]!.toLowerCase();
    const rest = drive[2]!;
    if (d === 'env') return { provider: 'Environment', path: rest.replace(/^\\/, '') };
    if (HIVES[d]) {
      const base = rest.startsWith('\\') ? [HIVES[d]!] : [HIVES[d]!];
      return registryPath([...base, ...rest.split('\\')]);
    }
  }
  if (/^[A-Za-z]:/.test(p) || p.startsWith('\\\\')) return { provider: 'FileSystem', path: fs ? fs.fullPath(p, fsCwd) : p };
  // Relative: against the current location's provider.
  const loc = resolveLocation(location);
  if (loc.provider === 'Registry') {
    if (p.startsWith('\\')) return registryPath([loc.path.split('\\')[0]!, ...p.split('\\')]);
    return registryPath([...loc.path.split('\\'), ...p.split('\\')]);
  }
  if (loc.provider === 'Environment') return { provider: 'Environment', path: p };
  return { provider: 'FileSystem', path: fs ? fs.fullPath(p, fsCwd) : p };
}

function registryPath(parts: string[]): ProviderPath {
  const norm = normalizeParts(parts);
  const root = norm[0] ?? 'HKEY_LOCAL_MACHINE';
  const short = SHORT[HIVES[root.toLowerCase()] ?? root.toUpperCase()] ?? root;
  return { provider: 'Registry', path: [short, ...norm.slice(1)].join('\\') };
}

/** The current location (as PowerShell shows it) as a provider path. */
export function resolveLocation(location: string): ProviderPath {
  const m = /^([A-Za-z]+):\\?(.*)$/.exec(location);
  if (m && m[1]!.length > 1) {
    const d = m[1]!.toLowerCase();
    if (HIVES[d]) return registryPath([HIVES[d]!, ...m[2]!.split('\\')]);
    if (d === 'env') return { provider: 'Environment', path: '' };
  }
  return { provider: 'FileSystem', path: location };
}

/** A provider path as a location string (`C:\x`, `HKLM:\SOFTWARE`, `Env:\`). */
export function displayPath(p: ProviderPath): string {
  if (p.provider === 'Registry') return registryDisplay(p.path);
  if (p.provider === 'Environment') return 'Env:\\' + p.path;
  return p.path;
}

/** The parent of a file-system path ('' for a root). */
export function parentPath(p: string): string {
  const trimmed = p.replace(/\\+$/, '');
  const i = trimmed.lastIndexOf('\\');
  if (i < 0) return '';
  if (i === 2 && trimmed[1] === ':') return trimmed.length > 3 ? trimmed.slice(0, 3) : '';
  return trimmed.slice(0, i);
}

export function leafName(p: string): string {
  const trimmed = p.replace(/\\+$/, '');
  const i = trimmed.lastIndexOf('\\');
  return i < 0 ? trimmed : trimmed.slice(i + 1);
}
