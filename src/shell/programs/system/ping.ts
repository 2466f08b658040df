/**
 * PING.EXE. Until the network exists (issue 10) a container reaches only
 * itself: the loopback (127.0.0.0/8, ::1, `localhost`), its own name and
 * address, and the NAT gateway answer at once (`time<1ms`); any other
 * literal address times out
 * after -w ms (`Request timed out.`); any other name does not resolve:
 *   Ping request could not find host x. Please check the name and try again.
 *
 * Output as ping prints it: `Pinging NAME [ADDR] with 32 bytes of data:`
 * (just the address when given an address), one line per echo, a second
 * between echoes, then the statistics; IPv6 replies carry no bytes= or
 * TTL. `localhost` resolves to ::1 first and is shown by the computer's
 * host name. Exit code 0 when a reply came, 1 otherwise. -t pings until
 * Ctrl+C, which prints the statistics and `Control-C` and ends ping with
 * STATUS_CONTROL_C_EXIT (DECIDED: ping lets the default handler end it);
 * Ctrl+Break prints the statistics and goes on. TTL: 128, the Windows
 * default.
 */
import { CTRL_BREAK_EVENT, CTRL_C_EVENT } from '../../../kernel/process/constants.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import { answersPing, hostName, isLocalAddress, resolveHost } from './machine.js';
import { lines } from './text.js';

const DEFAULT_TTL = 128;

const USAGE = lines(
  '',
  'Usage: ping [-t] [-a] [-n count] [-l size] [-f] [-i TTL] [-v TOS]',
  '            [-r count] [-s count] [[-j host-list] | [-k host-list]]',
  '            [-w timeout] [-R] [-S srcaddr] [-c compartment] [-p]',
  '            [-4] [-6] target_name',
  '',
  'Options:',
  '    -t             Ping the specified host until stopped.',
  '                   To see statistics and continue - type Control-Break;',
  '                   To stop - type Control-C.',
  '    -a             Resolve addresses to hostnames.',
  '    -n count       Number of echo requests to send.',
  '    -l size        Send buffer size.',
  "    -f             Set Don't Fragment flag in packet (IPv4-only).",
  '    -i TTL         Time To Live.',
  '    -v TOS         Type Of Service (IPv4-only. This setting has been deprecated',
  '                   and has no effect on the type of service field in the IP',
  '                   Header).',
  '    -r count       Record route for count hops (IPv4-only).',
  '    -s count       Timestamp for count hops (IPv4-only).',
  '    -j host-list   Loose source route along host-list (IPv4-only).',
  '    -k host-list   Strict source route along host-list (IPv4-only).',
  '    -w timeout     Timeout in milliseconds to wait for each reply.',
  '    -R             Use routing header to test reverse route also (IPv6-only).',
  '                   Per RFC 5095 the use of this routing header has been',
  '                   deprecated. Some systems may drop echo requests if',
  '                   this header is used.',
  '    -S srcaddr     Source address to use.',
  '    -c compartment Routing compartment identifier.',
  '    -p             Ping a Hyper-V Network Virtualization provider address.',
  '    -4             Force using IPv4.',
  '    -6             Force using IPv6.',
  '',
);

const WITH_VALUE = new Set(['n', 'l', 'i', 'v', 'r', 's', 'j', 'k', 'w', 'S', 'c']);
const FLAGS = new Set(['t', 'a', 'f', 'R', 'p', '4', '6']);

export async function pingMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  let count = 4;
  let size = 32;
  let timeout = 4000;
  let forever = false;
  let family: 4 | 6 | undefined;
  let reverse = false;
  let target: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '/?' || a === '-?') {
      await ctx.stdout.write(USAGE);
      return 0;
    }
    if ((a[0] === '-' || a[0] === '/') && a.length > 1) {
      // ping's options are case-sensitive for -S/-s and -R/-r; the others take either case.
      let o = a.slice(1);
      if (!['S', 's', 'R', 'r'].includes(o)) o = o.toLowerCase();
      if (FLAGS.has(o)) {
        if (o === 't') forever = true;
        if (o === '4' || o === '6') family = o === '4' ? 4 : 6;
        if (o === 'a') reverse = true;
        continue;
      }
      if (WITH_VALUE.has(o)) {
        const v = args[++i];
        if (v === undefined) {
          await ctx.stdout.write(lines(`Value must be supplied for option ${a}.`) + USAGE);
          return 1;
        }
        const n = Number(v);
        if (o === 'n' || o === 'l' || o === 'w') {
          if (!/^\d+$/.test(v) || (o === 'n' && n < 1)) {
            await ctx.stdout.write(lines(`Bad value for option ${a}, valid range is from ${o === 'l' ? 0 : 1} to ${o === 'l' ? 65500 : 4294967295}.`, ''));
            return 1;
          }
          if (o === 'n') count = n;
          else if (o === 'l') {
            if (n > 65500) {
              await ctx.stdout.write(lines(`Bad value for option ${a}, valid range is from 0 to 65500.`, ''));
              return 1;
            }
            size = n;
          } else timeout = n;
        }
        continue;
      }
      await ctx.stdout.write(lines(`Bad option ${a}.`, '') + USAGE);
      return 1;
    }
    target = a;
  }
  if (target === undefined) {
    await ctx.stdout.write(args.length === 0 ? USAGE : lines('IP address must be specified.'));
    return 1;
  }
  let resolved = resolveHost(ctx, target);
  // -4 / -6 choose the family: localhost has both; other names have only their IPv4 address.
  if (resolved && family && resolved.family !== family) {
    if (target.toLowerCase() === 'localhost') resolved = { ...resolved, address: family === 4 ? '127.0.0.1' : '::1', family };
    else resolved = undefined;
  }
  if (!resolved) {
    await ctx.stdout.write(lines(`Ping request could not find host ${target}. Please check the name and try again.`));
    return 1;
  }
  const { address } = resolved;
  // -a names an address by reverse lookup: the container's own addresses are its host name.
  const literal = /^[\d.]+$/.test(target) || target.includes(':');
  if (literal && reverse && isLocalAddress(ctx, address)) resolved = { ...resolved, canonical: hostName(ctx) };
  const named = resolved.canonical !== address && (!literal || reverse);
  await ctx.stdout.write(lines('', `Pinging ${named ? `${resolved.canonical} [${address}]` : address} with ${size} bytes of data:`));

  const local = answersPing(ctx, address);
  let sent = 0;
  let received = 0;
  let stopped = false;
  const summary = () => {
    const lost = sent - received;
    const pct = sent === 0 ? 0 : Math.floor((lost * 100) / sent);
    const out = ['', `Ping statistics for ${address}:`, `    Packets: Sent = ${sent}, Received = ${received}, Lost = ${lost} (${pct}% loss),`];
    if (received > 0) out.push('Approximate round trip times in milli-seconds:', '    Minimum = 0ms, Maximum = 0ms, Average = 0ms');
    return lines(...out);
  };
  const off = ctx.onConsoleCtrl((event) => {
    if (event === CTRL_BREAK_EVENT) {
      // Control-Break shows the statistics so far and goes on.
      void ctx.stdout.write(summary() + lines('Control-Break'));
      return true;
    }
    if (event === CTRL_C_EVENT) {
      // The statistics, then the default handler ends ping (STATUS_CONTROL_C_EXIT). The `^C` a
      // user sees after it is the console's echo, not ping's.
      stopped = true;
      void ctx.stdout.write(summary() + lines('Control-C'));
      return false;
    }
    return false;
  });
  try {
    for (let i = 0; (forever || i < count) && !stopped; i++) {
      if (i > 0) await ctx.sleep(1000);
      sent++;
      if (local) {
        received++;
        await ctx.stdout.write(lines(resolved.family === 6 ? `Reply from ${address}: time<1ms` : `Reply from ${address}: bytes=${size} time<1ms TTL=${DEFAULT_TTL}`));
      } else {
        await ctx.sleep(timeout);
        await ctx.stdout.write(lines('Request timed out.'));
      }
    }
  } finally {
    off();
  }
  await ctx.stdout.write(summary());
  return received > 0 ? 0 : 1;
}
