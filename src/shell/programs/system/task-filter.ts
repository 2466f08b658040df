/**
 * The /FI filters tasklist and taskkill share: `NAME OPERATOR VALUE`, names
 * and operators case-insensitive, several filters ANDed. Names and their
 * operators as `tasklist /?` lists them:
 *
 *   STATUS       eq, ne                  RUNNING | SUSPENDED | NOT RESPONDING | UNKNOWN
 *   IMAGENAME    eq, ne                  image name (`*` wildcard)
 *   PID          eq, ne, gt, lt, ge, le  PID value
 *   SESSION      eq, ne, gt, lt, ge, le  session number
 *   SESSIONNAME  eq, ne                  session name (tasklist only)
 *   CPUTIME      eq, ne, gt, lt, ge, le  hh:mm:ss
 *   MEMUSAGE     eq, ne, gt, lt, ge, le  KB
 *   USERNAME     eq, ne                  [domain\]user
 *   SERVICES     eq, ne                  service name
 *   WINDOWTITLE  eq, ne                  window title
 *   MODULES      eq, ne                  DLL name
 *
 * DECIDED: every malformed filter (unknown name, an operator the name does
 * not take, a value of the wrong form) answers "ERROR: The search filter
 * cannot be recognized." — the one filter error text we could confirm.
 */
import type { TaskInfo } from './task-info.js';
import { wildcard } from './text.js';

export type TaskPredicate = (t: TaskInfo) => boolean;

export const FILTER_NOT_RECOGNIZED = 'ERROR: The search filter cannot be recognized.';

const NUMERIC_OPS = ['eq', 'ne', 'gt', 'lt', 'ge', 'le'] as const;
type Op = (typeof NUMERIC_OPS)[number];

const FILTERS: Readonly<Record<string, { numeric: boolean; tasklistOnly?: boolean }>> = {
  STATUS: { numeric: false },
  IMAGENAME: { numeric: false },
  PID: { numeric: true },
  SESSION: { numeric: true },
  SESSIONNAME: { numeric: false, tasklistOnly: true },
  CPUTIME: { numeric: true },
  MEMUSAGE: { numeric: true },
  USERNAME: { numeric: false },
  SERVICES: { numeric: false },
  WINDOWTITLE: { numeric: false },
  MODULES: { numeric: false },
};

function compare(op: Op, a: number, b: number): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'lt':
      return a < b;
    case 'ge':
      return a >= b;
    case 'le':
      return a <= b;
  }
}

function parseCpuTime(v: string): number | undefined {
  const m = /^(\d+):([0-5]?\d):([0-5]?\d)$/.exec(v);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}

/** One filter; undefined when it cannot be recognized. */
export function parseFilter(text: string, program: 'tasklist' | 'taskkill'): TaskPredicate | undefined {
  const m = /^\s*(\S+)\s+(\S+)\s+(.*?)\s*$/.exec(text);
  if (!m) return undefined;
  const name = m[1]!.toUpperCase();
  const op = m[2]!.toLowerCase() as Op;
  const value = m[3]!;
  const spec = FILTERS[name];
  if (!spec || (spec.tasklistOnly && program !== 'tasklist') || value === '') return undefined;
  if (!NUMERIC_OPS.includes(op) || (!spec.numeric && op !== 'eq' && op !== 'ne')) return undefined;
  const positive = op === 'eq';
  if (spec.numeric) {
    let n: number | undefined;
    if (name === 'CPUTIME') n = parseCpuTime(value);
    else if (/^\d+$/.test(value)) n = Number(value);
    if (n === undefined) return undefined;
    const want = n;
    switch (name) {
      case 'PID':
        return (t) => compare(op, t.pid, want);
      case 'SESSION':
        return (t) => compare(op, t.sessionId, want);
      case 'CPUTIME':
        return (t) => compare(op, Math.floor(t.cpuSeconds), want);
      default:
        return (t) => compare(op, t.memKb, want);
    }
  }
  const pattern = wildcard(value);
  const is = (s: string) => pattern.test(s);
  let match: TaskPredicate;
  switch (name) {
    case 'STATUS': {
      const v = value.toUpperCase();
      if (!['RUNNING', 'SUSPENDED', 'NOT RESPONDING', 'UNKNOWN'].includes(v)) return undefined;
      match = (t) => t.status.toUpperCase() === v;
      break;
    }
    case 'IMAGENAME':
      match = (t) => is(t.imageName);
      break;
    case 'SESSIONNAME':
      match = (t) => is(t.sessionName);
      break;
    case 'USERNAME':
      // A name without a domain matches the user part alone.
      match = value.includes('\\') ? (t) => is(t.userName) : (t) => is(t.userName.slice(t.userName.lastIndexOf('\\') + 1));
      break;
    case 'SERVICES':
      match = (t) => t.services.some(is);
      break;
    case 'WINDOWTITLE':
      match = (t) => is(t.windowTitle);
      break;
    default:
      match = (t) => t.modules.some(is);
  }
  return positive ? match : (t) => !match(t);
}
