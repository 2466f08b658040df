/**
 * `net localgroup`, `net localgroup GROUP`, `net localgroup GROUP NAME…
 * /add | /delete`: the Builtin domain's aliases (sam.ts), as Dockerfiles
 * use them (`net localgroup administrators appuser /add`).
 *
 * The list (published `net localgroup` output): a blank line, `Aliases for
 * \\COMPUTERNAME`, a blank line, 79 dashes, `*Name` one per line, the
 * completion message, a blank line. One group: `Alias name     NAME`,
 * `Comment        …`, a blank line, `Members`, a blank line, 79 dashes,
 * one member per line, the completion message (published output of `net
 * localgroup Administrators`).
 * Errors: an unknown group ERROR_NO_SUCH_ALIAS (1376), an account already
 * in the group ERROR_MEMBER_IN_ALIAS (1378), one not in it
 * ERROR_MEMBER_NOT_IN_ALIAS (1377), as `System error N has occurred.`; an
 * unknown account `There is no such global user or group: NAME.` (NERR
 * 3783, DECIDED: as remembered).
 */
import type { ProcessContext } from '../../../../kernel/process/context.js';
import { ERROR_MEMBER_IN_ALIAS, ERROR_MEMBER_NOT_IN_ALIAS, ERROR_NO_SUCH_ALIAS, Win32Error } from '../../../../core/win32.js';
import { writeLines } from '../io.js';
import { COMPLETED, systemError } from './messages.js';
import { accountName, ALIASES, findAlias, members, setMembers } from './sam.js';

const NERR_NO_SUCH_MEMBER = 3783;

export async function netLocalGroup(ctx: ProcessContext, args: readonly string[]): Promise<number> {
  const names = args.filter((a) => !a.startsWith('/'));
  const flags = args.filter((a) => a.startsWith('/')).map((a) => a.toUpperCase());
  const computer = ctx.env.get('COMPUTERNAME') ?? '';
  if (names.length === 0) {
    await writeLines(ctx.stdout, ['', `Aliases for \\\\${computer}`, '', '-'.repeat(79), ...ALIASES.map((a) => `*${a.name}`), COMPLETED, '']);
    return 0;
  }
  const alias = findAlias(names[0]!);
  if (!alias) {
    await writeLines(ctx.stderr, systemError(ERROR_NO_SUCH_ALIAS));
    return 2;
  }
  const adding = flags.includes('/ADD');
  const deleting = flags.includes('/DELETE') || flags.includes('/DEL');
  if (!adding && !deleting) {
    await writeLines(ctx.stdout, [`Alias name     ${alias.name}`, `Comment        ${alias.comment}`, '', 'Members', '', '-'.repeat(79), ...members(ctx, alias), COMPLETED, '']);
    return 0;
  }
  let list = members(ctx, alias);
  for (const wanted of names.slice(1)) {
    // Members are local accounts (a `COMPUTER\name` prefix is the same account).
    const bare = wanted.includes('\\') && wanted.slice(0, wanted.indexOf('\\')).toUpperCase() === computer.toUpperCase() ? wanted.slice(wanted.indexOf('\\') + 1) : wanted;
    const account = accountName(ctx, bare) ?? list.find((m) => m.toUpperCase() === wanted.toUpperCase());
    if (account === undefined) {
      await writeLines(ctx.stderr, [`There is no such global user or group: ${wanted}.`, '', `More help is available by typing NET HELPMSG ${NERR_NO_SUCH_MEMBER}.`, '']);
      return 2;
    }
    const present = list.some((m) => m.toUpperCase() === account.toUpperCase());
    if (adding && present) {
      await writeLines(ctx.stderr, systemError(ERROR_MEMBER_IN_ALIAS));
      return 2;
    }
    if (deleting && !present) {
      await writeLines(ctx.stderr, systemError(ERROR_MEMBER_NOT_IN_ALIAS));
      return 2;
    }
    list = adding ? [...list, account] : list.filter((m) => m.toUpperCase() !== account.toUpperCase());
  }
  try {
    setMembers(ctx, alias, list);
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    await writeLines(ctx.stderr, systemError(e.code));
    return 2;
  }
  await writeLines(ctx.stdout, [COMPLETED, '']);
  return 0;
}
