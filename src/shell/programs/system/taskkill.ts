/**
 * taskkill.exe: ends processes of the container by /PID, /IM or /FI.
 *
 * Without /F taskkill asks politely: it posts WM_CLOSE to the process's
 * top-level windows. Nothing in a container has a window (no desktop;
 * a console belongs to conhost), so a polite request finds nothing to
 * close and taskkill reports, for each target,
 *   ERROR: The process with PID 1234 could not be terminated.
 *   Reason: This process can only be terminated forcefully (with /F option).
 * With /F it calls TerminateProcess with exit code 1:
 *   SUCCESS: The process with PID 1234 has been terminated.
 * (`The process "x.exe" with PID 1234` when named by /IM; with /T every
 * line names the parent, `The process with PID 1234 (child process of PID
 * 1000)`, children before their parents.) Protected system processes
 * refuse: `Reason: Access is denied.`; Idle and System: `Reason: This is
 * critical system process. Taskkill cannot end this process.` (DECIDED:
 * that text for those two only). A target that does not exist:
 *   ERROR: The process "1234" not found.
 * Filters alone that match nothing: `INFO: No tasks running with the
 * specified criteria.`.
 *
 * Messages: SUCCESS and INFO on stdout, ERROR on stderr. Exit codes:
 * 0 when every target ended; 128 when a target was not found; 1 for a
 * syntax error or a target that could not be terminated. DECIDED (not
 * recorded): when several targets fail differently, the last failure's
 * code; `*` in /IM is a wildcard only when a filter is given (the note in
 * `taskkill /?`), otherwise a literal name.
 */
import { ERROR_ACCESS_DENIED, Win32Error, win32Message } from '../../../core/win32.js';
import type { ProcessContext } from '../../../kernel/process/context.js';
import { parseFilter, FILTER_NOT_RECOGNIZED, type TaskPredicate } from './task-filter.js';
import { taskList, type TaskInfo } from './task-info.js';
import { parseSwitches, SwitchError } from './switches.js';
import { lines, wildcard } from './text.js';

const USAGE_HINT = 'Type "TASKKILL /?" for usage.';
const NOT_FOUND = 128;

export async function taskkillMain(ctx: ProcessContext): Promise<number> {
  const parsed = parseSwitches(ctx.argv.slice(1), [
    { name: 'S', takesValue: true },
    { name: 'U', takesValue: true },
    { name: 'P', takesValue: true },
    { name: 'FI', takesValue: true, max: 100 },
    { name: 'PID', takesValue: true, max: 100 },
    { name: 'IM', takesValue: true, max: 100 },
    { name: 'T', takesValue: false },
    { name: 'F', takesValue: false },
  ]);
  if (parsed instanceof SwitchError) {
    await ctx.stderr.write(lines(parsed.message, USAGE_HINT));
    return 1;
  }
  if (parsed.help) {
    await ctx.stdout.write(TASKKILL_HELP);
    return 0;
  }
  const v = parsed.values;
  if (v.has('S')) {
    await ctx.stderr.write(lines('ERROR: The RPC server is unavailable.'));
    return 1;
  }
  const filterTexts = v.get('FI') ?? [];
  const pids = v.get('PID') ?? [];
  const images = v.get('IM') ?? [];
  if (filterTexts.length === 0 && pids.length === 0 && images.length === 0) {
    await ctx.stderr.write(lines('ERROR: Invalid syntax. Neither /FI nor /PID nor /IM were specified.', USAGE_HINT));
    return 1;
  }
  const filters: TaskPredicate[] = [];
  for (const f of filterTexts) {
    const p = parseFilter(f, 'taskkill');
    if (!p) {
      await ctx.stderr.write(lines(FILTER_NOT_RECOGNIZED));
      return 1;
    }
    filters.push(p);
  }
  const force = v.has('F');
  const tree = v.has('T');
  const all = taskList(ctx);
  const passes = (t: TaskInfo) => filters.every((f) => f(t));

  let code = 0;
  const out: string[] = [];
  const err: string[] = [];
  const flush = async () => {
    if (out.length) await ctx.stdout.write(lines(...out.splice(0)));
    if (err.length) await ctx.stderr.write(lines(...err.splice(0)));
  };

  // Targets in the order asked: each /PID, then each /IM; with filters alone, every match.
  const targets: { task: TaskInfo; byName: boolean }[] = [];
  const seen = new Set<number>();
  const add = (task: TaskInfo, byName: boolean) => {
    if (seen.has(task.pid)) return;
    seen.add(task.pid);
    targets.push({ task, byName });
  };
  for (const p of pids) {
    const task = /^\d+$/.test(p) ? all.find((t) => t.pid === Number(p)) : undefined;
    if (!task || !passes(task)) {
      err.push(`ERROR: The process "${p}" not found.`);
      code = NOT_FOUND;
    } else add(task, false);
  }
  for (const name of images) {
    const pattern = filters.length > 0 ? wildcard(name) : undefined;
    const matches = all.filter((t) => t.pid !== ctx.pid && (pattern ? pattern.test(t.imageName) : t.imageName.toUpperCase() === name.toUpperCase()) && passes(t));
    if (matches.length === 0) {
      err.push(`ERROR: The process "${name}" not found.`);
      code = NOT_FOUND;
    } else for (const t of matches) add(t, true);
  }
  if (pids.length === 0 && images.length === 0) {
    const matches = all.filter((t) => t.pid !== ctx.pid && passes(t));
    if (matches.length === 0) {
      out.push('INFO: No tasks running with the specified criteria.');
      await flush();
      return 0;
    }
    for (const t of matches) add(t, true);
  }
  await flush();

  for (const { task, byName } of targets) {
    // With /T: the tree below the target, deepest first, then the target.
    const victims = tree ? [...descendants(all, task), task] : [task];
    for (const t of victims) {
      const who = `${byName ? `"${t.imageName}" ` : ''}with PID ${t.pid}${tree ? ` (child process of PID ${t.parentPid})` : ''}`;
      if (!force) {
        err.push(`ERROR: The process ${who} could not be terminated.`, 'Reason: This process can only be terminated forcefully (with /F option).');
        code = 1;
        continue;
      }
      if (t.pid === 0 || t.pid === 4) {
        // taskkill refuses Idle and System itself, before asking the kernel.
        err.push(`ERROR: The process ${who} could not be terminated.`, 'Reason: This is critical system process. Taskkill cannot end this process.');
        code = 1;
        continue;
      }
      try {
        if (t.pid === ctx.pid) await flush();
        ctx.terminateProcess(t.pid, 1);
        out.push(`SUCCESS: The process ${who} has been terminated.`);
      } catch (e) {
        if (!(e instanceof Win32Error)) throw e;
        // OpenProcess's ERROR_INVALID_PARAMETER: the process ended meanwhile (a /T child gone with its parent).
        const reason = e.code === ERROR_ACCESS_DENIED ? win32Message(ERROR_ACCESS_DENIED) : e.code === 87 ? 'There is no running instance of the task.' : win32Message(e.code);
        err.push(`ERROR: The process ${who} could not be terminated.`, `Reason: ${reason}`);
        code = 1;
      }
    }
    await flush();
  }
  return code;
}

/** The processes started (directly or not) by `root`, deepest first. */
function descendants(all: readonly TaskInfo[], root: TaskInfo): TaskInfo[] {
  const out: TaskInfo[] = [];
  const visit = (p: TaskInfo, depth: number) => {
    if (depth > 64) return;
    // A child is created after its parent (pids are reused, creation times are not).
    for (const c of all) {
      if (c.parentPid === p.pid && c.pid !== p.pid && c.snapshot.creationTime >= p.snapshot.creationTime) {
        visit(c, depth + 1);
        out.push(c);
      }
    }
  };
  visit(root, 0);
  return out;
}

/** `taskkill /?`. */
export const TASKKILL_HELP = lines(
  '',
  'TASKKILL [/S system [/U username [/P [password]]]]',
  '         { [/FI filter] [/PID processid | /IM imagename] } [/T] [/F]',
  '',
  'Description:',
  '    This tool is used to terminate tasks by process id (PID) or image name.',
  '',
  'Parameter List:',
  '    /S    system           Specifies the remote system to connect to.',
  '',
  '    /U    [domain\\]user    Specifies the user context under which the',
  '                           command should execute.',
  '',
  '    /P    [password]       Specifies the password for the given user',
  '                           context. Prompts for input if omitted.',
  '',
  '    /FI   filter           Applies a filter to select a set of tasks.',
  '                           Allows "*" to be used. ex. imagename eq acme*',
  '',
  '    /PID  processid        Specifies the PID of the process to be terminated.',
  '                           Use TaskList to get the PID.',
  '',
  '    /IM   imagename        Specifies the image name of the process',
  "                           to be terminated. Wildcard '*' can be used",
  '                           to specify all tasks or image names.',
  '',
  '    /T                     Terminates the specified process and any',
  '                           child processes which were started by it.',
  '',
  '    /F                     Specifies to forcefully terminate the process(es).',
  '',
  '    /?                     Displays this help message.',
  '',
  'Filters:',
  '    Filter Name   Valid Operators           Valid Value(s)',
  '    -----------   ---------------           -------------------------',
  '    STATUS        eq, ne                    RUNNING |',
  '                                            NOT RESPONDING | UNKNOWN',
  '    IMAGENAME     eq, ne                    Image name',
  '    PID           eq, ne, gt, lt, ge, le    PID value',
  '    SESSION       eq, ne, gt, lt, ge, le    Session number.',
  '    CPUTIME       eq, ne, gt, lt, ge, le    CPU time in the format',
  '                                            of hh:mm:ss.',
  '                                            hh - hours,',
  '                                            mm - minutes, ss - seconds',
  '    MEMUSAGE      eq, ne, gt, lt, ge, le    Memory usage in KB',
  '    USERNAME      eq, ne                    User name in [domain\\]user',
  '                                            format',
  '    MODULES       eq, ne                    DLL name',
  '    SERVICES      eq, ne                    Service name',
  '    WINDOWTITLE   eq, ne                    Window title',
  '',
  '    NOTE',
  '    ----',
  "    1) Wildcard '*' for /IM switch is accepted only when a filter is applied.",
  '    2) Termination of remote processes will always be done forcefully (/F).',
  '    3) "WINDOWTITLE" and "STATUS" filters are not considered when a remote',
  '       machine is specified.',
  '',
  'Examples:',
  '    TASKKILL /IM notepad.exe',
  '    TASKKILL /PID 1230 /PID 1241 /PID 1253 /T',
  '    TASKKILL /F /IM cmd.exe /T ',
  '    TASKKILL /F /FI "PID ge 1000" /FI "WINDOWTITLE ne untitle*"',
  '    TASKKILL /F /FI "USERNAME eq NT AUTHORITY\\SYSTEM" /IM notepad.exe',
  '    TASKKILL /S system /U domain\\username /FI "USERNAME ne NT*" /IM *',
  '    TASKKILL /S system /U username /P password /FI "IMAGENAME eq note*"',
  '',
);
