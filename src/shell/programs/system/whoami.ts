/**
 * whoami.exe: the caller's token. In a process-isolated container the
 * user is a virtual account of the "User Manager" authority
 * (ContainerAdministrator S-1-5-93-2-1, ContainerUser S-1-5-93-2-2), so a
 * plain `whoami` prints `user manager\containeradministrator` — whoami
 * prints the account name in lower case.
 *
 * /USER, /GROUPS, /PRIV and /ALL print titled sections (a blank line, the
 * title, a dashed underline, a blank line, the table); table columns are as
 * wide as their longest cell, every cell padded. /FO LIST and CSV as the
 * other tools print them; /NH leaves out the header.
 *
 * The ContainerAdministrator token (groups and privileges) is the one a
 * container's process shows (a token dump of a docker container: User
 * Manager\ContainerAdministrator, groups Everyone, BUILTIN\Users,
 * NT AUTHORITY\SERVICE, Authenticated Users, This Organization, LOCAL,
 * BUILTIN\Administrators; 24 privileges). DECIDED: the label is High
 * Mandatory Level, listed last; the unnamed S-1-5-93-0 group and the
 * logon SID are not listed; enabled privileges are those an elevated
 * token starts with (SeChangeNotify, SeImpersonate, SeCreateGlobal);
 * ContainerUser gets a standard user's token at Medium level.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { tokenUser } from './machine.js';
import { parseSwitches, SwitchError } from './switches.js';
import { CRLF, lines, padRight } from './text.js';

const USAGE_HINT = 'Type "WHOAMI /?" for usage.';
const ENABLED = 'Mandatory group, Enabled by default, Enabled group';

interface Group {
  readonly name: string;
  readonly type: string;
  readonly sid: string;
  readonly attributes: string;
}

function groupsOf(admin: boolean): Group[] {
  const g: Group[] = [
    { name: 'Everyone', type: 'Well-known group', sid: 'S-1-1-0', attributes: ENABLED },
    { name: 'BUILTIN\\Users', type: 'Alias', sid: 'S-1-5-32-545', attributes: ENABLED },
    { name: 'NT AUTHORITY\\SERVICE', type: 'Well-known group', sid: 'S-1-5-6', attributes: ENABLED },
    { name: 'NT AUTHORITY\\Authenticated Users', type: 'Well-known group', sid: 'S-1-5-11', attributes: ENABLED },
    { name: 'NT AUTHORITY\\This Organization', type: 'Well-known group', sid: 'S-1-5-15', attributes: ENABLED },
    { name: 'LOCAL', type: 'Well-known group', sid: 'S-1-2-0', attributes: ENABLED },
  ];
  if (admin) g.push({ name: 'BUILTIN\\Administrators', type: 'Alias', sid: 'S-1-5-32-544', attributes: `${ENABLED}, Group owner` });
  g.push(
    admin
      ? { name: 'Mandatory Label\\High Mandatory Level', type: 'Label', sid: 'S-1-16-12288', attributes: '' }
      : { name: 'Mandatory Label\\Medium Mandatory Level', type: 'Label', sid: 'S-1-16-8192', attributes: '' },
  );
  return g;
}

/** LookupPrivilegeDisplayName's texts. */
const PRIVILEGES: readonly (readonly [string, string])[] = [
  ['SeIncreaseQuotaPrivilege', 'Adjust memory quotas for a process'],
  ['SeSecurityPrivilege', 'Manage auditing and security log'],
  ['SeTakeOwnershipPrivilege', 'Take ownership of files or other objects'],
  ['SeLoadDriverPrivilege', 'Load and unload device drivers'],
  ['SeSystemProfilePrivilege', 'Profile system performance'],
  ['SeSystemtimePrivilege', 'Change the system time'],
  ['SeProfileSingleProcessPrivilege', 'Profile single process'],
  ['SeIncreaseBasePriorityPrivilege', 'Increase scheduling priority'],
  ['SeCreatePagefilePrivilege', 'Create a pagefile'],
  ['SeBackupPrivilege', 'Back up files and directories'],
  ['SeRestorePrivilege', 'Restore files and directories'],
  ['SeShutdownPrivilege', 'Shut down the system'],
  ['SeDebugPrivilege', 'Debug programs'],
  ['SeSystemEnvironmentPrivilege', 'Modify firmware environment values'],
  ['SeChangeNotifyPrivilege', 'Bypass traverse checking'],
  ['SeRemoteShutdownPrivilege', 'Force shutdown from a remote system'],
  ['SeUndockPrivilege', 'Remove computer from docking station'],
  ['SeManageVolumePrivilege', 'Perform volume maintenance tasks'],
  ['SeImpersonatePrivilege', 'Impersonate a client after authentication'],
  ['SeCreateGlobalPrivilege', 'Create global objects'],
  ['SeIncreaseWorkingSetPrivilege', 'Increase a process working set'],
  ['SeTimeZonePrivilege', 'Change the time zone'],
  ['SeCreateSymbolicLinkPrivilege', 'Create symbolic links'],
  ['SeDelegateSessionUserImpersonatePrivilege', 'Obtain an impersonation token for another user in the same session'],
];
const ENABLED_PRIVILEGES = new Set(['SeChangeNotifyPrivilege', 'SeImpersonatePrivilege', 'SeCreateGlobalPrivilege']);
const STANDARD_USER_PRIVILEGES = new Set(['SeShutdownPrivilege', 'SeChangeNotifyPrivilege', 'SeUndockPrivilege', 'SeIncreaseWorkingSetPrivilege', 'SeTimeZonePrivilege']);

type Format = 'TABLE' | 'LIST' | 'CSV';

function render(headers: readonly string[], rows: readonly (readonly string[])[], format: Format, noHeader: boolean): string {
  if (format === 'CSV') {
    const q = (v: string) => `"${v}"`;
    return (noHeader ? '' : headers.map(q).join(',') + CRLF) + rows.map((r) => r.map(q).join(',') + CRLF).join('');
  }
  if (format === 'LIST') {
    const w = Math.max(...headers.map((h) => h.length)) + 2;
    return rows.map((r) => r.map((v, i) => padRight(`${headers[i]}:`, w) + v + CRLF).join('')).join(CRLF);
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => padRight(c, widths[i]!)).join(' ') + CRLF;
  return (noHeader ? '' : line(headers) + widths.map((w) => '='.repeat(w)).join(' ') + CRLF) + rows.map(line).join('');
}

function section(title: string, body: string): string {
  return lines('', title, '-'.repeat(title.length), '') + body;
}

export async function whoamiMain(ctx: ProcessContext): Promise<number> {
  const parsed = parseSwitches(ctx.argv.slice(1), [
    { name: 'UPN', takesValue: false },
    { name: 'FQDN', takesValue: false },
    { name: 'LOGONID', takesValue: false },
    { name: 'USER', takesValue: false },
    { name: 'GROUPS', takesValue: false },
    { name: 'CLAIMS', takesValue: false },
    { name: 'PRIV', takesValue: false },
    { name: 'ALL', takesValue: false },
    { name: 'FO', takesValue: true },
    { name: 'NH', takesValue: false },
  ]);
  const fail = async (m: string, hint = true) => {
    await ctx.stderr.write(hint ? lines(m, USAGE_HINT) : lines(m));
    return 1;
  };
  if (parsed instanceof SwitchError) return fail(parsed.message);
  const v = parsed.values;
  if (parsed.help) {
    await ctx.stdout.write(lines('', 'WHOAMI [/UPN | /FQDN | /LOGONID]', '', 'WHOAMI { [/USER] [/GROUPS] [/CLAIMS] [/PRIV] } [/FO format] [/NH]', '', 'WHOAMI /ALL [/FO format] [/NH]', ''));
    return 0;
  }
  const user = tokenUser(ctx);
  const name = `${user.domain}\\${user.name}`.toLowerCase();
  if (v.has('LOGONID')) {
    // DECIDED: the logon session's LUID is not kept by the kernel; one per session id.
    await ctx.stdout.write(lines(`S-1-5-5-0-${100000 + ctx.sessionId * 7919}`));
    return 0;
  }
  if (v.has('UPN')) return fail('ERROR: Unable to get User Principal Name (UPN) as the current logged-on user is not a domain user.', false);
  if (v.has('FQDN')) return fail('ERROR: Unable to get Fully Qualified Distinguished Name (FQDN) as the current logged-on user is not a domain user.', false);
  const format = (v.get('FO')?.[0] ?? 'TABLE').toUpperCase();
  if (format !== 'TABLE' && format !== 'LIST' && format !== 'CSV') return fail(`ERROR: Invalid value '${v.get('FO')![0]}' has been specified for the option '/FO'.`);
  const noHeader = v.has('NH');
  if (noHeader && format === 'LIST') return fail('ERROR: /NH option is valid only for TABLE and CSV formats.');
  const all = v.has('ALL');
  const want = { user: all || v.has('USER'), groups: all || v.has('GROUPS'), priv: all || v.has('PRIV'), claims: all || v.has('CLAIMS') };
  if (!want.user && !want.groups && !want.priv && !want.claims) {
    if (v.has('FO') || noHeader) return fail('ERROR: Invalid syntax.');
    await ctx.stdout.write(lines(name));
    return 0;
  }
  const f = format as Format;
  const parts: string[] = [];
  if (want.user) parts.push(section('USER INFORMATION', render(['User Name', 'SID'], [[name, user.sid]], f, noHeader)));
  if (want.groups) {
    const rows = groupsOf(user.admin).map((g) => [g.name, g.type, g.sid, g.attributes]);
    parts.push(section('GROUP INFORMATION', render(['Group Name', 'Type', 'SID', 'Attributes'], rows, f, noHeader)));
  }
  if (want.priv) {
    const held = PRIVILEGES.filter(([p]) => user.admin || STANDARD_USER_PRIVILEGES.has(p));
    const rows = held.map(([p, d]) => [p, d, ENABLED_PRIVILEGES.has(p) && (user.admin || p === 'SeChangeNotifyPrivilege') ? 'Enabled' : 'Disabled']);
    parts.push(section('PRIVILEGES INFORMATION', render(['Privilege Name', 'Description', 'State'], rows, f, noHeader)));
  }
  if (want.claims) {
    parts.push(
      section('USER CLAIMS INFORMATION', lines('User claims unknown.', '', 'Kerberos support for Dynamic Access Control on this device has been disabled.')),
    );
  }
  await ctx.stdout.write(parts.join(CRLF));
  return 0;
}
