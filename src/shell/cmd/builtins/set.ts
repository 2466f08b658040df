/**
 * SET (Microsoft Learn "set"; ss64 SET, SET /A, SET /P):
 *  - `set` lists the variables (cmd's hidden `=X:` ones excepted), `set P`
 *    those whose names start with P ("Environment variable P not defined"
 *    and ERRORLEVEL 1 when none);
 *  - `set name=value` (an empty value removes it); `set "name=value"` takes
 *    the text up to the last quote;
 *  - `set /a expr` evaluates (the result is printed, without a line end,
 *    only at the command line, not in a batch file);
 *  - `set /p name=prompt` prints the prompt and reads one line of input
 *    (ERRORLEVEL 1 and the variable unchanged for an empty line or end of input).
 * In a `.cmd` file a successful SET clears ERRORLEVEL; in a `.bat` file
 * and at the prompt it leaves it (ss64 "Errorlevel": the .bat/.cmd difference).
 */
import { ERROR_NOT_ENOUGH_MEMORY, Win32Error, win32Message } from '../../../core/win32.js';
import { ArithError, evaluate } from '../arith.js';
import type { CmdContext, InternalCommand } from '../interpreter.js';
import { MSG } from '../messages.js';

/** ERRORLEVEL after a successful SET/PATH/PROMPT: 0 in a .cmd file, unchanged elsewhere. */
export function successLevel(bc: CmdContext): number | undefined {
  return bc.interp.frame?.isCmd ? 0 : undefined;
}

function stripQuoted(s: string): string {
  if (!s.startsWith('"')) return s;
  const last = s.lastIndexOf('"');
  return last > 0 ? s.slice(1, last) : s.slice(1);
}

export const set: InternalCommand = async (bc, args) => {
  const interp = bc.interp;
  const env = bc.ctx.env;
  let text = args.replace(/^[ \t]+/, '');
  const sw = /^\/([ap])(?=[ \t"]|$)/i.exec(text) ?? /^\/([ap])/i.exec(text);
  if (sw) {
    const kind = sw[1]!.toLowerCase();
    text = text.slice(2);
    if (kind === 'a') {
      const expr = text.trim();
      if (expr === '') {
        await bc.stderr.write(MSG.syntax);
        return 1;
      }
      try {
        const v = evaluate(expr, { get: interp.getVar, set: (n, val) => interp.setVar(n.trim(), val) });
        if (!interp.inBatch) await bc.stdout.write(String(v));
        return successLevel(bc) ?? 0;
      } catch (e) {
        if (e instanceof ArithError) {
          await bc.stderr.write(e.output);
          return e.errorlevel;
        }
        throw e;
      }
    }
    // set /p
    const body = stripQuoted(text.replace(/^[ \t]+/, ''));
    const eq = body.indexOf('=');
    if (eq < 0) {
      await bc.stderr.write(MSG.syntax);
      return 1;
    }
    const name = body.slice(0, eq);
    const prompt = body.slice(eq + 1);
    if (prompt !== '') await bc.stdout.write(prompt);
    const line = await bc.stdin.readLine();
    // `<nul set /p =text` prints text without a line end: the prompt is shown even with no name to set.
    if (line === null || line === '' || name === '') return 1;
    interp.setVar(name, line);
    return successLevel(bc);
  }
  text = text.replace(/[ \t]+$/, (m) => (text.includes('=') ? m : ''));
  if (text === '') {
    await bc.stdout.write(listing(env.toStrings(), ''));
    return successLevel(bc);
  }
  const body = stripQuoted(text);
  const eq = body.indexOf('=');
  if (eq < 0) {
    const out = listing(env.toStrings(), body.trim());
    if (out === '') {
      await bc.stderr.write(MSG.envNotDefined(body.trim()));
      return 1;
    }
    await bc.stdout.write(out);
    return successLevel(bc);
  }
  if (eq === 0) {
    await bc.stderr.write(MSG.syntax);
    return 1;
  }
  const name = body.slice(0, eq);
  const value = body.slice(eq + 1);
  // The environment block grows by the entry (UTF-16): RtlSetEnvironmentVariable's heap fails when
  // the machine has no room (src/kernel/process/memory-guard.ts) — the heap's STATUS_NO_MEMORY is
  // ERROR_NOT_ENOUGH_MEMORY, which SET reports (decision: the text cmd prints was not found).
  // (`?.`: the tests' stand-in contexts do not offer it.)
  try {
    bc.ctx.probeCommit?.(2 * (name.length + value.length + 2));
  } catch (e) {
    if (!(e instanceof Win32Error)) throw e;
    await bc.stderr.write(`${win32Message(ERROR_NOT_ENOUGH_MEMORY)}\r\n`);
    return 1;
  }
  try {
    interp.setVar(name, value);
  } catch {
    await bc.stderr.write(MSG.syntax);
    return 1;
  }
  return successLevel(bc);
};

function listing(entries: string[], prefix: string): string {
  const p = prefix.toLowerCase();
  let out = '';
  for (const s of entries) {
    if (s.startsWith('=')) continue;
    if (p !== '' && !s.toLowerCase().startsWith(p)) continue;
    out += s + '\r\n';
  }
  return out;
}
