/**
 * tasklist.exe: the processes of the container (its silo's, with Idle and
 * System, as a process in a silo enumerates them).
 *
 * Formats, as tasklist prints them:
 *  - TABLE (default): a blank line, the header, the `=` rule, one row per
 *    process; columns Image Name 25 (left), PID 8 (right), Session Name 16
 *    (left), Session# 11 (right), Mem Usage 12 (right, `12,345 K`); /V adds
 *    Status 15, User Name 50, CPU Time 12 (right, `0:00:01`), Window Title
 *    72; /SVC shows Image Name, PID and Services 44 (the service names,
 *    comma-separated, wrapped onto continuation lines; `N/A` for none).
 *    Cells longer than their column are cut. /NH leaves header and rule out.
 *  - LIST: per process a blank line then `Label: value` lines, values
 *    aligned one column after the longest label; /SVC lists each service on
 *    its own line.
 *  - CSV: every field quoted, `,` between; a header line unless /NH.
 * No match: `INFO: No tasks are running which match the specified criteria.`
 * on stdout, exit code 0. Syntax errors: on stderr with the usage hint,
 * exit code 1.
 *
 * DECIDED (no source found): left-aligned last columns are padded to their
 * width, as the fixed-width table code does for every column; /SVC joins a
 * CSV services field with `,`; the texts of the option-combination errors
 * below; /M knows only the modules every user-mode process loads
 * (ntdll.dll, KERNEL32.DLL, KERNELBASE.dll: the kernel records no modules);
 * /APPS finds no Store apps.
 */
import type { ProcessContext } from '../../../kernel/process/context.js';
import { FILTER_NOT_RECOGNIZED, parseFilter, type TaskPredicate } from './task-filter.js';
import { cpuTimeText, taskList, type TaskInfo } from './task-info.js';
import { parseSwitches, SwitchError } from './switches.js';
import { CRLF, lines, padLeft, padRight, thousands, wildcard } from './text.js';

const USAGE_HINT = 'Type "TASKLIST /?" for usage.';
export const NO_TASKS = 'INFO: No tasks are running which match the specified criteria.';

interface Column {
  readonly header: string;
  readonly width: number;
  readonly right?: boolean;
  readonly cell: (t: TaskInfo) => string;
}

const memText = (t: TaskInfo) => `${thousands(t.memKb)} K`;

const BASE: readonly Column[] = [
  { header: 'Image Name', width: 25, cell: (t) => t.imageName },
  { header: 'PID', width: 8, right: true, cell: (t) => String(t.pid) },
  { header: 'Session Name', width: 16, cell: (t) => t.sessionName },
  { header: 'Session#', width: 11, right: true, cell: (t) => String(t.sessionId) },
  { header: 'Mem Usage', width: 12, right: true, cell: memText },
];

const VERBOSE: readonly Column[] = [
  ...BASE,
  { header: 'Status', width: 15, cell: (t) => t.status },
  { header: 'User Name', width: 50, cell: (t) => t.userName },
  { header: 'CPU Time', width: 12, right: true, cell: (t) => cpuTimeText(t.cpuSeconds) },
  { header: 'Window Title', width: 72, cell: (t) => t.windowTitle },
];

const SERVICES_WIDTH = 44;
const SVC: readonly Column[] = [BASE[0]!, BASE[1]!, { header: 'Services', width: SERVICES_WIDTH, cell: (t) => (t.services.length ? t.services.join(', ') : 'N/A') }];
const MODULES: readonly Column[] = [BASE[0]!, BASE[1]!, { header: 'Modules', width: SERVICES_WIDTH, cell: (t) => (t.modules.length ? t.modules.join(', ') : 'N/A') }];

/** The wrapped third column of /SVC and /M: services or modules. */
type Listed = 'services' | 'modules';

function fit(c: Column, s: string): string {
  const v = s.length > c.width ? s.slice(0, c.width) : s;
  return c.right ? padLeft(v, c.width) : padRight(v, c.width);
}

/** The services cell wrapped at name boundaries: `A, B,` / `C`. */
function wrapServices(services: readonly string[]): string[] {
  if (services.length === 0) return ['N/A'];
  const out: string[] = [];
  let line = '';
  services.forEach((s, i) => {
    const token = i < services.length - 1 ? `${s},` : s;
    const next = line === '' ? token : `${line} ${token}`;
    if (next.length > SERVICES_WIDTH && line !== '') {
      out.push(line);
      line = token;
    } else line = next;
  });
  out.push(line);
  return out;
}

function table(tasks: readonly TaskInfo[], cols: readonly Column[], header: boolean, svc: Listed | undefined): string {
  let s = CRLF;
  if (header) {
    s += cols.map((c) => fit(c, c.header)).join(' ') + CRLF;
    s += cols.map((c) => '='.repeat(c.width)).join(' ') + CRLF;
  }
  for (const t of tasks) {
    if (!svc) {
      s += cols.map((c) => fit(c, c.cell(t))).join(' ') + CRLF;
      continue;
    }
    const wrapped = wrapServices(t[svc]);
    s += `${fit(cols[0]!, t.imageName)} ${fit(cols[1]!, String(t.pid))} ${fit(cols[2]!, wrapped[0]!)}${CRLF}`;
    const indent = ' '.repeat(cols[0]!.width + cols[1]!.width + 2);
    for (const more of wrapped.slice(1)) s += `${indent}${fit(cols[2]!, more)}${CRLF}`;
  }
  return s;
}

function list(tasks: readonly TaskInfo[], cols: readonly Column[], svc: Listed | undefined): string {
  const labelWidth = Math.max(...cols.map((c) => c.header.length)) + 2;
  let s = '';
  for (const t of tasks) {
    s += CRLF;
    for (const c of cols) {
      const label = padRight(`${c.header}:`, labelWidth);
      if (svc && (c.header === 'Services' || c.header === 'Modules')) {
        const names = t[svc].length ? t[svc] : ['N/A'];
        s += `${label}${names[0]}${CRLF}`;
        for (const more of names.slice(1)) s += `${' '.repeat(labelWidth)}${more}${CRLF}`;
      } else s += `${label}${c.cell(t)}${CRLF}`;
    }
  }
  return s;
}

function csv(tasks: readonly TaskInfo[], cols: readonly Column[], header: boolean, svc: Listed | undefined): string {
  const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
  let s = header ? cols.map((c) => q(c.header)).join(',') + CRLF : '';
  for (const t of tasks) {
    s += cols.map((c) => q(svc && (c.header === 'Services' || c.header === 'Modules') ? (t[svc].length ? t[svc].join(',') : 'N/A') : c.cell(t))).join(',') + CRLF;
  }
  return s;
}

export async function tasklistMain(ctx: ProcessContext): Promise<number> {
  // /M takes an optional module name: the next argument when it is not a switch.
  const args = ctx.argv.slice(1);
  let moduleName: string | undefined;
  const mi = args.findIndex((a) => /^[/-]m$/i.test(a));
  if (mi >= 0 && args[mi + 1] !== undefined && !/^[/-]/.test(args[mi + 1]!)) moduleName = args.splice(mi + 1, 1)[0];
  const parsed = parseSwitches(args, [
    { name: 'S', takesValue: true },
    { name: 'U', takesValue: true },
    { name: 'P', takesValue: true },
    { name: 'SVC', takesValue: false },
    { name: 'M', takesValue: false },
    { name: 'APPS', takesValue: false },
    { name: 'V', takesValue: false },
    { name: 'FI', takesValue: true, max: 100 },
    { name: 'FO', takesValue: true },
    { name: 'NH', takesValue: false },
  ]);
  const fail = async (message: string, hint = true) => {
    await ctx.stderr.write(hint ? lines(message, USAGE_HINT) : lines(message));
    return 1;
  };
  if (parsed instanceof SwitchError) return fail(parsed.message);
  if (parsed.help) {
    await ctx.stdout.write(TASKLIST_HELP);
    return 0;
  }
  const v = parsed.values;
  const has = (n: string) => v.has(n);
  if (has('S') || has('U') || has('P')) {
    // Remote machines are out of reach: a container has no RPC to other hosts (issue 10).
    if (!has('S')) return fail(`ERROR: Invalid syntax. /${has('U') ? 'U' : 'P'} can be specified only when /S is specified.`);
    return fail('ERROR: The RPC server is unavailable.', false);
  }
  if ([has('SVC'), has('V'), has('APPS'), has('M')].filter(Boolean).length > 1) return fail("ERROR: Invalid syntax. '/M', '/SVC', '/V' and '/APPS' options are mutually exclusive.");
  const format = (v.get('FO')?.[0] ?? 'TABLE').toUpperCase();
  if (format !== 'TABLE' && format !== 'LIST' && format !== 'CSV') return fail(`ERROR: Invalid value for '/FO' option. Valid values are 'TABLE', 'LIST', 'CSV'.`);
  const noHeader = has('NH');
  if (noHeader && format === 'LIST') return fail(`ERROR: Invalid syntax. "/NH" switch is not allowed for "LIST" format.`);
  const filters: TaskPredicate[] = [];
  for (const f of v.get('FI') ?? []) {
    const p = parseFilter(f, 'tasklist');
    if (!p) return fail(FILTER_NOT_RECOGNIZED, false);
    filters.push(p);
  }
  const svc: Listed | undefined = has('SVC') ? 'services' : has('M') ? 'modules' : undefined;
  const cols = svc === 'services' ? SVC : svc === 'modules' ? MODULES : has('V') ? VERBOSE : BASE;
  if (moduleName !== undefined) {
    const m = wildcard(moduleName);
    filters.push((t) => t.modules.some((x) => m.test(x)));
  }
  // No Store apps run in a container: /APPS finds nothing (DECIDED).
  let tasks = has('APPS') ? [] : taskList(ctx).filter((t) => filters.every((f) => f(t)));
  // /M NAME shows only the modules that match.
  if (moduleName !== undefined) {
    const m = wildcard(moduleName);
    tasks = tasks.map((t) => ({ ...t, modules: t.modules.filter((x) => m.test(x)) }));
  }
  if (tasks.length === 0) {
    await ctx.stdout.write(lines(NO_TASKS));
    return 0;
  }
  const text = format === 'TABLE' ? table(tasks, cols, !noHeader, svc) : format === 'LIST' ? list(tasks, cols, svc) : csv(tasks, cols, !noHeader, svc);
  await ctx.stdout.write(text);
  return 0;
}

/** `tasklist /?` (Windows Server 2016 and later). */
export const TASKLIST_HELP = lines(
  '',
  'TASKLIST [/S system [/U username [/P [password]]]]',
  '         [/M [module] | /SVC | /V] [/FI filter] [/FO format] [/NH]',
  '',
  'Description:',
  '    This tool displays a list of currently running processes on',
  '    either a local or remote machine.',
  '',
  'Parameter List:',
  '   /S     system           Specifies the remote system to connect to.',
  '',
  '   /U     [domain\\]user    Specifies the user context under which',
  '                           the command should execute.',
  '',
  '   /P     [password]       Specifies the password for the given',
  '                           user context. Prompts for input if omitted.',
  '',
  '   /M     [module]         Lists all tasks currently using the given',
  '                           exe/dll name. If the module name is not',
  '                           specified all loaded modules are displayed.',
  '',
  '   /SVC                    Displays services hosted in each process.',
  '',
  '   /APPS                   Displays Store Apps and their associated processes.',
  '',
  '   /V                      Displays verbose task information.',
  '',
  '   /FI    filter           Displays a set of tasks that match a',
  '                           given criteria specified by the filter.',
  '',
  '   /FO    format           Specifies the output format.',
  '                           Valid values: "TABLE", "LIST", "CSV".',
  '',
  '   /NH                     Specifies that the "Column Header" should',
  '                           not be displayed in the output.',
  '                           Valid only for "TABLE" and "CSV" formats.',
  '',
  '   /?                      Displays this help message.',
  '',
  'Filters:',
  '    Filter Name     Valid Operators           Valid Value(s)',
  '    -----------     ---------------           --------------------------',
  '    STATUS          eq, ne                    RUNNING | SUSPENDED',
  '                                              NOT RESPONDING | UNKNOWN',
  '    IMAGENAME       eq, ne                    Image name',
  '    PID             eq, ne, gt, lt, ge, le    PID value',
  '    SESSION         eq, ne, gt, lt, ge, le    Session number',
  '    SESSIONNAME     eq, ne                    Session name',
  '    CPUTIME         eq, ne, gt, lt, ge, le    CPU time in the format',
  '                                              of hh:mm:ss.',
  '                                              hh - hours,',
  '                                              mm - minutes, ss - seconds',
  '    MEMUSAGE        eq, ne, gt, lt, ge, le    Memory usage in KB',
  '    USERNAME        eq, ne                    User name in [domain\\]user',
  '                                              format',
  '    SERVICES        eq, ne                    Service name',
  '    WINDOWTITLE     eq, ne                    Window title',
  '    MODULES         eq, ne                    DLL name',
  '',
  'NOTE: "WINDOWTITLE" and "STATUS" filters are not supported when querying',
  '      a remote machine.',
  '',
  'Examples:',
  '    TASKLIST',
  '    TASKLIST /M',
  '    TASKLIST /V /FO CSV',
  '    TASKLIST /SVC /FO LIST',
  '    TASKLIST /APPS /FI "STATUS eq RUNNING"',
  '    TASKLIST /M wbem*',
  '    TASKLIST /S system /FO LIST',
  '    TASKLIST /S system /U domain\\username /FO CSV /NH',
  '    TASKLIST /S system /U username /P password /FO TABLE /NH',
  '    TASKLIST /FI "USERNAME ne NT AUTHORITY\\SYSTEM" /FI "STATUS eq running"',
  '',
);
