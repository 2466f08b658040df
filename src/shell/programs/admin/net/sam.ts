/**
 * The local accounts database as net.exe reaches it: the SAM hive under
 * HKLM\SAM\SAM\Domains. Accounts are `Account\Users\Names\NAME` (default
 * value: the RID as REG_DWORD) with a `Account\Users\<RID, 8 hex digits>`
 * key, as src/images/base/hives.ts writes them.
 *
 * Local groups (aliases of the Builtin domain) are not in the image's
 * hive. DECIDED: their members are what a fresh Server Core container has
 * (DEFAULT_MEMBERS) until a change is made; a change writes the whole list
 * as `Builtin\Aliases\<RID, 8 hex digits>` value `Members` (REG_MULTI_SZ of
 * names), which is then read instead — so changes persist in the container's
 * registry delta and in an image committed from it.
 */
import type { ProcessContext } from '../../../../kernel/process/context.js';
import { REG_DWORD, REG_MULTI_SZ } from '../../../../kernel/registry/types.js';
import { Win32Error } from '../../../../core/win32.js';

const SAM_USERS_KEY = 'HKLM\\SAM\\SAM\\Domains\\Account\\Users';
export const SAM_NAMES_KEY = `${SAM_USERS_KEY}\\Names`;
const ALIASES_KEY = 'HKLM\\SAM\\SAM\\Domains\\Builtin\\Aliases';
/** The first RID of an account that is not built in. */
export const FIRST_LOCAL_RID = 1000;

const hex8 = (rid: number) => rid.toString(16).toUpperCase().padStart(8, '0');
export const ridKey = (rid: number) => `${SAM_USERS_KEY}\\${hex8(rid)}`;

function quiet<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Win32Error) return fallback;
    throw e;
  }
}

/** The account names, in RegEnumKeyEx order. */
export function accounts(ctx: ProcessContext): string[] {
  const reg = ctx.registry;
  return reg ? quiet(() => reg.enumKeys(SAM_NAMES_KEY), []) : [];
}

export function ridOf(ctx: ProcessContext, name: string): number | undefined {
  const reg = ctx.registry;
  if (!reg) return undefined;
  const v = quiet(() => reg.getValue(`${SAM_NAMES_KEY}\\${name}`, ''), undefined);
  return v?.type === REG_DWORD ? v.data : undefined;
}

/** The account's name as stored, for a name in any case. */
export function accountName(ctx: ProcessContext, name: string): string | undefined {
  const upper = name.toUpperCase();
  return accounts(ctx).find((n) => n.toUpperCase() === upper);
}

export interface Alias {
  readonly name: string;
  readonly rid: number;
  readonly comment: string;
}

/**
 * The Builtin domain's aliases of Windows Server 2022 (well-known RIDs,
 * "Well-known SIDs", Microsoft Learn), in `net localgroup`'s order.
 * DECIDED: comments are Windows' where known; the others are left empty.
 */
export const ALIASES: readonly Alias[] = [
  { name: 'Access Control Assistance Operators', rid: 579, comment: 'Members of this group can remotely query authorization attributes and permissions for resources on this computer.' },
  { name: 'Administrators', rid: 544, comment: 'Administrators have complete and unrestricted access to the computer/domain' },
  { name: 'Backup Operators', rid: 551, comment: 'Backup Operators can override security restrictions for the sole purpose of backing up or restoring files' },
  { name: 'Certificate Service DCOM Access', rid: 574, comment: 'Members of this group are allowed to connect to Certification Authorities in the enterprise' },
  { name: 'Cryptographic Operators', rid: 569, comment: 'Members are authorized to perform cryptographic operations.' },
  { name: 'Device Owners', rid: 583, comment: 'Members of this group can change system-wide settings.' },
  { name: 'Distributed COM Users', rid: 562, comment: 'Members are allowed to launch, activate and use Distributed COM objects on this machine.' },
  { name: 'Event Log Readers', rid: 573, comment: 'Members of this group can read event logs from local machine' },
  { name: 'Guests', rid: 546, comment: 'Guests have the same access as members of the Users group by default, except for the Guest account which is further restricted' },
  { name: 'Hyper-V Administrators', rid: 578, comment: 'Members of this group have complete and unrestricted access to all features of Hyper-V.' },
  { name: 'IIS_IUSRS', rid: 568, comment: 'Built-in group used by Internet Information Services.' },
  { name: 'Network Configuration Operators', rid: 556, comment: 'Members in this group can have some administrative privileges to manage configuration of networking features' },
  { name: 'Performance Log Users', rid: 559, comment: 'Members of this group may schedule logging of performance counters, enable trace providers, and collect event traces both locally and via remote access to this computer' },
  { name: 'Performance Monitor Users', rid: 558, comment: 'Members of this group can access performance counter data locally and remotely' },
  { name: 'Power Users', rid: 547, comment: 'Power Users are included for backwards compatibility and possess limited administrative rights' },
  { name: 'Print Operators', rid: 550, comment: 'Members can administer printers installed on domain controllers' },
  { name: 'RDS Endpoint Servers', rid: 576, comment: '' },
  { name: 'RDS Management Servers', rid: 577, comment: '' },
  { name: 'RDS Remote Access Servers', rid: 575, comment: '' },
  { name: 'Remote Desktop Users', rid: 555, comment: 'Members in this group are granted the right to logon remotely' },
  { name: 'Remote Management Users', rid: 580, comment: 'Members of this group can access WMI resources over management protocols (such as WS-Management via the Windows Remote Management service). This applies only to WMI namespaces that grant access to the user.' },
  { name: 'Replicator', rid: 552, comment: 'Supports file replication in a domain' },
  { name: 'Storage Replica Administrators', rid: 582, comment: 'Members of this group have complete and unrestricted access to all features of Storage Replica.' },
  { name: 'System Managed Accounts Group', rid: 581, comment: 'Members of this group are managed by the system.' },
  { name: 'Users', rid: 545, comment: 'Users are prevented from making accidental or intentional system-wide changes and can run most applications' },
];

/** DECIDED: who is in which group in a fresh container (ContainerAdministrator runs elevated; ContainerUser is a plain user). */
const DEFAULT_MEMBERS: Readonly<Record<number, readonly string[]>> = {
  544: ['Administrator', 'ContainerAdministrator'],
  545: ['NT AUTHORITY\\Authenticated Users', 'NT AUTHORITY\\INTERACTIVE', 'ContainerUser'],
  546: ['Guest'],
  581: ['DefaultAccount'],
};

export function findAlias(name: string): Alias | undefined {
  const upper = name.toUpperCase();
  return ALIASES.find((a) => a.name.toUpperCase() === upper);
}

export function members(ctx: ProcessContext, alias: Alias): string[] {
  const reg = ctx.registry;
  const stored = reg ? quiet(() => reg.getValue(`${ALIASES_KEY}\\${hex8(alias.rid)}`, 'Members'), undefined) : undefined;
  if (stored?.type === REG_MULTI_SZ) return [...stored.data];
  return [...(DEFAULT_MEMBERS[alias.rid] ?? [])];
}

/** Writes an alias's member list (Win32Error from the registry, e.g. a read-only view). */
export function setMembers(ctx: ProcessContext, alias: Alias, list: readonly string[]): void {
  const reg = ctx.registry!;
  const key = `${ALIASES_KEY}\\${hex8(alias.rid)}`;
  reg.createKey(key);
  reg.setValue(key, { name: 'Members', type: REG_MULTI_SZ, data: [...list] });
}

/** The local groups an account is in (for `net user NAME`). */
export function aliasesOf(ctx: ProcessContext, account: string): Alias[] {
  const upper = account.toUpperCase();
  return ALIASES.filter((a) => members(ctx, a).some((m) => m.toUpperCase() === upper));
}
