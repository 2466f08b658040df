/**
 * `kill?signal=` as moby parses it (moby/sys/signal ParseSignal with the
 * Windows map, which also carries the Linux names for LCOW): a name,
 * case-insensitive, with or without `SIG`, or a number (0 is invalid);
 * anything else is 400 `Invalid signal: <s>`. Empty means KILL.
 *
 * What happens (docker-engine-api.md §5.6): KILL terminates the compute
 * system; TERM, INT, QUIT and HUP start a graceful shutdown (CTRL_SHUTDOWN,
 * then terminate after the timeout). moby shuts down for *any* other
 * signal too, but a Linux CLI forwards every signal it gets (WINCH on each
 * terminal resize, CONT from `timeout`), which would end the container on
 * a resize (gotcha 11); DECIDED, as the notes advise: the rest are no-ops.
 */
import { badRequest } from './errors.js';

const NUMBERS: Readonly<Record<string, number>> = {
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, IOT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10, SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15,
  STKFLT: 16, CHLD: 17, CLD: 17, CONT: 18, STOP: 19, TSTP: 20, TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28,
  IO: 29, POLL: 29, PWR: 30, SYS: 31, UNUSED: 31,
};

export interface Signal {
  name: string;
  number: number;
}

export function parseSignal(raw: string): Signal {
  if (raw === '') return { name: 'KILL', number: 9 };
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    if (n === 0 || n > 0xffffffff) throw badRequest(`Invalid signal: ${raw}`);
    const name = Object.entries(NUMBERS).find(([, v]) => v === n)?.[0] ?? raw;
    return { name, number: n };
  }
  const name = raw.toUpperCase().replace(/^SIG/, '');
  const rt = /^RTMIN(\+(\d+))?$/.exec(name) ?? /^RTMAX(-(\d+))?$/.exec(name);
  if (rt) return { name, number: name.startsWith('RTMIN') ? 34 + Number(rt[2] ?? 0) : 64 - Number(rt[2] ?? 0) };
  const n = NUMBERS[name];
  if (n === undefined) throw badRequest(`Invalid signal: ${raw}`);
  return { name, number: n };
}

export const isKillSignal = (s: Signal): boolean => s.number === 9;
export const isGracefulSignal = (s: Signal): boolean => s.number === 1 || s.number === 2 || s.number === 3 || s.number === 15;
