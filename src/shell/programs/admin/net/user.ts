/**
 * `net user`, `net user NAME`, `net user NAME [PASSWORD | *] /add`,
 * `net user NAME /delete`: the container's local accounts (sam.ts; the
 * image holds Administrator, Guest, DefaultAccount, WDAGUtilityAccount,
 * ContainerAdministrator and ContainerUser).
 *
 * The list (learn.microsoft.com "net user"; published `net user` output): a
 * blank line, `User accounts for \\COMPUTERNAME`, a blank line, 79 dashes,
 * the names in three columns of 25 characters — every column padded, the
 * last of a row and of a short row included — the completion message, a
 * blank line. Names sorted case-insensitively.
 *
 * DECIDED for `net user NAME`: the hive names accounts only, so the detail
 * shows what a fresh container account has (active, no password expiry,
 * never logged on; the built-in accounts' comments are Windows' own);
 * Administrator, Guest, DefaultAccount and WDAGUtilityAccount are
 * disabled, as Windows ships them. Groups are listed as `*` and the name
 * cut to 21 characters, padded to 22 (published output: `*Remote
 * Management Use*Users`), two to a line.
 *
 * /add writes `Names\NAME` and `Users\<RID>` as the image's accounts are
 * written, with the RID after the highest in use (from 1000), and makes
 * the account a member of Users; an existing name is NERR 2224. /delete
 * removes it (and its group memberships); built-in accounts (RIDs below
 * 1000) answer ERROR_SPECIAL_ACCOUNT 1371, as SamDeleteUser refuses them.
 * DECIDED: passwords are accepted and not kept (there is no logon here);
 * other options (/active, /comment, /expires, …) are accepted and ignored.
 */
import type { ProcessContext } from '../../../../kernel/process/context.js';
import { REG_DWORD } from '../../../../kernel/registry/types.js';
import { ERROR_SPECIAL_ACCOUNT, Win32Error } from '../../../../core/win32.js';
import { writeLines } from '../io.js';
import { COMPLETED, nerr, NERR_USER_EXISTS, NERR_USER_NOT_FOUND, systemError } from './messages.js';
import { accountName, accounts, ALIASES, aliasesOf, findAlias, FIRST_LOCAL_RID, members, ridKey, ridOf, SAM_NAMES_KEY, setMembers } from './sam.js';

const COLUMN = 25;

const COMMENTS: Readonly<Record<string, string>> = {
  ADMINISTRATOR: 'Built-in account for administering the computer/domain',
  GUEST: 'Built-in account for guest access to the computer/domain',
  DEFAULTACCOUNT: 'A user account managed by the system.',
  WDAGUTILITYACCOUNT: 'A user account managed and used by the system for Windows Defender Application Guard scenarios.',
};

const DISABLED = new Set(['ADMINISTRATOR', 'GUEST', 'DEFAULTACCOUNT', 'WDAGUTILITYACCOUNT']);

function field(label: string, value: string): string {
  return `${label.padEnd(29)}${value}`;
}

/** A group in the memberships lines: `*` and the name cut to 21 characters, padded to 22. */
function group(name: string): string {
  return `*${name.slice(0, 21)}`.padEnd(22);
}

/** Groups two to a line, continuation lines under the first column of values. */
function groupLines(label: string, names: readonly string[]): string[] {
  const cells = names.length > 0 ? names.map(group) : [group('None')];
  const out: string[] = [];
  for (let i = 0; i < cells.length; i += 2) out.push(field(i === 0 ? label : '', cells.slice(i, i + 2).join('')));
  return out;
}

const byUpper = (a: string, b: string) => {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

async function list(ctx: ProcessContext): Promise<number> {
  const sorted = accounts(ctx).sort(byUpper);
  const rows: string[] = [];
  for (let i = 0; i < sorted.length; i += 3) rows.push(sorted.slice(i, i + 3).map((n) => n.padEnd(COLUMN)).join(''));
  await writeLines(ctx.stdout, ['', `User accounts for \\\\${ctx.env.get('COMPUTERNAME') ?? ''}`, '', '-'.repeat(79), ...rows, COMPLETED, '']);
  return 0;
}

async function show(ctx: ProcessContext, wanted: string): Promise<number> {
  const name = accountName(ctx, wanted);
  if (name === undefined) {
    await writeLines(ctx.stderr, nerr(NERR_USER_NOT_FOUND));
    return 2;
  }
  const upper = name.toUpperCase();
  await writeLines(ctx.stdout, [
    field('User name', name),
    field('Full Name', ''),
    field('Comment', COMMENTS[upper] ?? ''),
    field("User's comment", ''),
    field('Country/region code', '000 (System Default)'),
    field('Account active', DISABLED.has(upper) ? 'No' : 'Yes'),
    field('Account expires', 'Never'),
    '',
    field('Password last set', 'N/A'),
    field('Password expires', 'Never'),
    field('Password changeable', 'N/A'),
    field('Password required', 'No'),
    field('User may change password', 'Yes'),
    '',
    field('Workstations allowed', 'All'),
    field('Logon script', ''),
    field('User profile', ''),
    field('Home directory', ''),
    field('Last logon', 'Never'),
    '',
    field('Logon hours allowed', 'All'),
    '',
    ...groupLines('Local Group Memberships', aliasesOf(ctx, name).map((a) => a.name)),
    ...groupLines('Global Group memberships', []),
    COMPLETED,
    '',
  ]);
  return 0;
}

async function add(ctx: ProcessContext, name: string): Promise<number> {
  const existing = accounts(ctx);
  if (accountName(ctx, name) !== undefined) {
    await writeLines(ctx.stderr, nerr(NERR_USER_EXISTS));
    return 2;
  }
  let rid = FIRST_LOCAL_RID - 1;
  for (const n of existing) rid = Math.max(rid, ridOf(ctx, n) ?? 0);
  rid++;
  const reg = ctx.registry!;
  reg.createKey(ridKey(rid));
  reg.createKey(`${SAM_NAMES_KEY}\\${name}`);
  reg.setValue(`${SAM_NAMES_KEY}\\${name}`, { name: '', type: REG_DWORD, data: rid });
  const users = findAlias('Users')!;
  setMembers(ctx, users, [...members(ctx, users), name]);
  await writeLines(ctx.stdout, [COMPLETED, '']);
  return 0;
}

async function remove(ctx: ProcessContext, wanted: string): Promise<number> {
  const name = accountName(ctx, wanted);
  const rid = name === undefined ? undefined : ridOf(ctx, name);
  if (name === undefined || rid === undefined) {
    await writeLines(ctx.stderr, nerr(NERR_USER_NOT_FOUND));
    return 2;
  }
  if (rid < FIRST_LOCAL_RID) {
    await writeLines(ctx.stderr, systemError(ERROR_SPECIAL_ACCOUNT));
    return 2;
  }
  const reg = ctx.registry!;
  reg.deleteTree(`${SAM_NAMES_KEY}\\${name}`);
  if (reg.exists(ridKey(rid))) reg.deleteTree(ridKey(rid));
  const upper = name.toUpperCase();
  for (const alias of ALIASES) {
    const list = members(ctx, alias);
    if (list.some((m) => m.toUpperCase() === upper)) setMembers(ctx, alias, list.filter((m) => m.toUpperCase() !== upper));
  }
  await writeLines(ctx.stdout, [COMPLETED, '']);
  return 0;
}

export async function netUser(ctx: ProcessContext, args: readonly string[]): Promise<number> {
  const wanted = args.filter((a) => !a.startsWith('/'));
  const flags = args.filter((a) => a.startsWith('/')).map((a) => a.toUpperCase());
  const adding = flags.includes('/ADD');
  const deleting = flags.includes('/DELETE') || flags.includes('/DEL');
  if (wanted.length === 0) return list(ctx);
  if (!adding && !deleting && wanted.length > 1) {
    // `net user NAME PASSWORD` sets the password: accepted, not kept (DECIDED, as for /add).
    if (accountName(ctx, wanted[0]!) === undefined) {
      await writeLines(ctx.stderr, nerr(NERR_USER_NOT_FOUND));
      return 2;
    }
    await writeLines(ctx.stdout, [COMPLETED, '']);
    return 0;
  }
  if ((!adding && !deleting) || !ctx.registry) return show(ctx, wanted[0]!);
  try {
    return adding ? await add(ctx, wanted[0]!) : await remove(ctx, wanted[0]!);
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    await writeLines(ctx.stderr, systemError(e.code));
    return 2;
  }
}
