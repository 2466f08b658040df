/**
 * net.exe (and net1.exe, the same program: on Windows net.exe hands
 * commands to net1.exe): START, STOP, PAUSE, CONTINUE, USER, LOCALGROUP,
 * HELPMSG.
 * Other subcommands print net's syntax text and exit with 1 (DECIDED: they
 * manage shares, sessions and domains a container does not have).
 */
import type { Program } from '../../../../kernel/process/programs.js';
import { RPC_S_SERVER_UNAVAILABLE } from '../../../../core/win32.js';
import { writeLines } from '../io.js';
import { helpMessage, NET_SYNTAX, systemError } from './messages.js';
import { netPauseContinue, netStart, netStop } from './services.js';
import { netLocalGroup } from './localgroup.js';
import { netUser } from './user.js';

export const net: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  const command = args[0]?.toUpperCase();
  const rest = args.slice(1);
  const scm = ctx.services;
  switch (command) {
    case 'START':
    case 'STOP':
    case 'PAUSE':
    case 'CONTINUE':
      if (!scm) {
        await writeLines(ctx.stderr, systemError(RPC_S_SERVER_UNAVAILABLE));
        return 2;
      }
      if (command === 'START') return netStart(ctx, scm, rest);
      if (command === 'STOP') return netStop(ctx, scm, rest);
      return netPauseContinue(ctx, scm, rest, command === 'PAUSE');
    case 'USER':
    case 'USERS':
      return netUser(ctx, rest);
    case 'LOCALGROUP':
      return netLocalGroup(ctx, rest);
    case 'HELPMSG': {
      const code = rest[0] !== undefined && /^\d+$/.test(rest[0]) ? Number(rest[0]) : undefined;
      const text = code === undefined ? undefined : helpMessage(code);
      if (text === undefined) {
        await writeLines(ctx.stderr, [`${rest[0] ?? ''} is not a valid Windows network message number.`, '', 'More help is available by typing NET HELPMSG 3871.', '']);
        return 2;
      }
      await writeLines(ctx.stdout, ['', text, '']);
      return 0;
    }
    default:
      await writeLines(ctx.stdout, NET_SYNTAX);
      return 1;
  }
};
