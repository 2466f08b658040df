/**
 * GOTO, CALL, EXIT, SHIFT (Microsoft Learn "goto", "call", "exit",
 * "shift"; ss64).
 *  - GOTO label / GOTO :label; `goto :eof` ends the batch level
 *    (extensions). A missing label prints "The system cannot find the batch
 *    label specified - x" and ends batch processing.
 *  - CALL :label args runs the label as a new batch level; CALL file runs a
 *    batch file and comes back; CALL of anything else expands `%` once more
 *    (phase 6) and runs it.
 *  - EXIT [/B] [n]: /B ends the batch level with ERRORLEVEL n; without /B
 *    cmd.exe ends with exit code n.
 *  - SHIFT [/n]: %n+1… move down one (extensions: from %n).
 */
import { PathOperatorError, percentExpand } from '../expand.js';
import type { InternalCommand } from '../interpreter.js';
import { firstToken } from '../interpreter.js';
import { MSG } from '../messages.js';
import { CmdSyntaxError, parseLine } from '../parser.js';
import { searchCommand } from '../search.js';

export const goto: InternalCommand = async (bc, args) => {
  const interp = bc.interp;
  const label = args.replace(/^[ \t,;=]+/, '').split(/[ \t,;=&|<>]/)[0] ?? '';
  if (!interp.inBatch) return undefined;
  if (label === '' || label === ':') {
    await bc.stderr.write('No batch label specified to GOTO command.\r\n');
    interp.unwind = 'abortBatch';
    return 1;
  }
  await interp.goto(label);
  return undefined;
};

export const call: InternalCommand = async (bc, args) => {
  const interp = bc.interp;
  const text = args.replace(/^[ \t,;=]+/, '');
  if (text === '') return undefined;
  if (text.startsWith(':') && interp.extensions) {
    if (!interp.inBatch) {
      await bc.stderr.write(MSG.callLabelOutside);
      return 1;
    }
    const { token, rest } = firstToken(text);
    const label = token.slice(1);
    const prev = interp.errorlevel;
    const rc = await interp.callLabel(label, rest);
    if (rc !== undefined) return rc;
    return interp.errorlevel === prev ? undefined : interp.errorlevel;
  }
  // Phase 6: a second percent expansion, then the command runs again through phases 2–7.
  let expanded: string;
  try {
    expanded = percentExpand(text, interp.scope());
  } catch (e) {
    if (e instanceof PathOperatorError) {
      await bc.stderr.write(MSG.invalidPathOperator(e.text));
      return 1;
    }
    throw e;
  }
  const { token, rest } = firstToken(expanded);
  const name = token.replace(/"/g, '');
  const fs = bc.ctx.fs;
  if (fs && !/^(if|for|rem)$/i.test(name)) {
    const found = searchCommand(fs, name, bc.ctx.cwd, bc.ctx.env.get('PATH'), bc.ctx.env.get('PATHEXT'));
    if (found.kind === 'found' && /\.(bat|cmd)$/i.test(found.path) && !interp.options.builtins.has(name.toLowerCase())) {
      const io = interp.io;
      (interp as { io: typeof io }).io = { stdin: bc.stdin, stdout: bc.stdout, stderr: bc.stderr };
      try {
        await interp.runBatchFile(found.path, token, rest, true);
      } finally {
        (interp as { io: typeof io }).io = io;
      }
      return interp.errorlevel;
    }
  }
  let cmd;
  try {
    cmd = parseLine(expanded);
  } catch (e) {
    if (e instanceof CmdSyntaxError) {
      await bc.stderr.write(e.output);
      return 1;
    }
    throw e;
  }
  if (!cmd) return undefined;
  if (cmd.kind === 'if' || cmd.kind === 'for') {
    // CALL cannot run IF or FOR (ss64 CALL).
    await bc.stderr.write(MSG.unexpected(cmd.kind === 'if' ? 'if' : 'for'));
    return 1;
  }
  // CALL clears ERRORLEVEL when the called command does not set it (`call echo OK` leaves 0).
  interp.errorlevel = 0;
  await interp.exec(cmd, { stdin: bc.stdin, stdout: bc.stdout, stderr: bc.stderr });
  return interp.errorlevel;
};

export const exit: InternalCommand = async (bc, args) => {
  const interp = bc.interp;
  let text = args.trim();
  let batchOnly = false;
  const b = /^\/b(?=[ \t]|$)/i.exec(text);
  if (b) {
    batchOnly = true;
    text = text.slice(2).trim();
  }
  const word = text.split(/[ \t]/)[0] ?? '';
  // EXIT reads its number as decimal only (atoi: a leading number, else 0).
  const m = /^[-+]?\d+/.exec(word);
  const code = word === '' ? undefined : m ? parseInt(m[0], 10) | 0 : 0;
  if (batchOnly && interp.inBatch) {
    if (code !== undefined) interp.errorlevel = code;
    interp.frame!.done = true;
    interp.unwind = 'exitBatch';
    return code;
  }
  interp.exitCode = code ?? interp.errorlevel;
  if (code !== undefined) interp.errorlevel = code;
  interp.unwind = 'exitProcess';
  return code;
};

export const shift: InternalCommand = async (bc, args) => {
  const f = bc.interp.frame;
  if (!f) return undefined;
  const m = /^[ \t]*\/(\d)/.exec(args);
  let n = 0;
  if (m && bc.extensions) {
    n = parseInt(m[1]!, 10);
    if (n > 8) {
      await bc.stderr.write(MSG.syntax);
      return 1;
    }
  } else if (args.trim() !== '') {
    if (/^[ \t]*\//.test(args)) {
      await bc.stderr.write(MSG.syntax);
      return 1;
    }
  }
  if (f.args.length > n) f.args.splice(n, 1);
  return undefined;
};
