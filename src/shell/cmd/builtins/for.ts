/**
 * FOR (Microsoft Learn "for"; ss64 FOR, FOR /F, FOR /R, FOR /D, FOR /L):
 *  - `for %v in (set)`: each item; items with `*` or `?` are the files they match;
 *  - `/d`: wildcards match directories;
 *  - `/r [root]`: the set in root and every directory below it;
 *  - `/l (start,step,end)`;
 *  - `/f ["options"] %v in (file… | "string" | 'command')`: lines, with eol=, skip=,
 *    delims=, tokens=, usebackq.
 * The body runs once per value with the variable substituted (phase 4).
 */
import { FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_HIDDEN, FILE_ATTRIBUTE_SYSTEM } from '../../../kernel/fs/types.js';
import { Pipe, decodeText } from '../../../kernel/process/pipe.js';
import { ProcessExitSignal } from '../../../kernel/process/context.js';
import type { Command } from '../ast.js';
import type { Interpreter, Io } from '../interpreter.js';
import { wildcardMatch, parseIfNumber, splitArgs } from '../interpreter.js';
import { MSG } from '../messages.js';
import { unparse } from '../parser.js';
import { readWholeFile } from '../redirect.js';

type ForCommand = Extract<Command, { kind: 'for' }>;

/** Items of a FOR set: split at delimiters outside quotes (quotes kept), as batch arguments are. */
const setItems = splitArgs;

/** Entries of `dir` matching `pattern`, files or directories, in directory order (hidden and system ones skipped, as FOR does). */
function matches(interp: Interpreter, dir: string, pattern: string, directories: boolean): string[] {
  const fs = interp.ctx.fs;
  if (!fs) return [];
  try {
    return fs
      .list(dir === '' ? '.' : dir, interp.ctx.cwd)
      .filter((e) => ((e.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0) === directories)
      .filter((e) => (e.attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM)) === 0)
      .filter((e) => wildcardMatch(pattern, e.name))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

function splitPattern(item: string): { dir: string; prefix: string; pattern: string } {
  const i = Math.max(item.lastIndexOf('\\'), item.lastIndexOf('/'), item.lastIndexOf(':'));
  if (i < 0) return { dir: '', prefix: '', pattern: item };
  const prefix = item.slice(0, i + 1);
  let dir = item.slice(0, i + (item[i] === ':' ? 1 : 0));
  if (dir === '' || /^[A-Za-z]:$/.test(dir)) dir = dir + '\\';
  if (item[i] === ':') dir = item.slice(0, i + 1);
  return { dir, prefix, pattern: item.slice(i + 1) };
}

async function runBody(interp: Interpreter, cmd: ForCommand, value: string, io: Io): Promise<number> {
  const saved = interp.forVars;
  const vars = new Map(saved);
  vars.set(cmd.variable, value);
  return runBodyWith(interp, cmd, vars, io);
}

async function runBodyWith(interp: Interpreter, cmd: ForCommand, vars: Map<string, string>, io: Io): Promise<number> {
  const saved = interp.forVars;
  interp.forVars = vars;
  try {
    await interp.tick();
    if (interp.echo && !cmd.quiet && !bodyQuiet(cmd.body)) {
      await interp.out(io, `\r\n${interp.prompt()}${interp.expandForEcho(unparse(cmd.body))}\r\n`);
    }
    return await interp.exec(cmd.body, io);
  } finally {
    interp.forVars = saved;
  }
}

function bodyQuiet(c: Command): boolean {
  return c.quiet;
}

export async function execFor(interp: Interpreter, cmd: ForCommand, io: Io): Promise<number> {
  await interp.tick();
  let status = 0;
  const each = async (v: string) => {
    status = await runBody(interp, cmd, v, io);
    return interp.unwind === 'none';
  };
  const set = interp.expandAtRun(cmd.set);
  switch (cmd.forKind) {
    case 'plain':
    case 'd':
      for (const item of setItems(set)) {
        if (/[*?]/.test(item)) {
          const unq = item.replace(/"/g, '');
          const { dir, prefix, pattern } = splitPattern(unq);
          for (const name of matches(interp, dir, pattern, cmd.forKind === 'd')) if (!(await each(prefix + name))) return status;
        } else if (!(await each(item))) return status;
      }
      return status;
    case 'r': {
      const fs = interp.ctx.fs;
      const root = fs ? fs.fullPath(interp.expandAtRun(cmd.param).replace(/"/g, '') || '.', interp.ctx.cwd) : interp.ctx.cwd;
      const items = setItems(set);
      const walk = async (dir: string): Promise<boolean> => {
        const base = dir.endsWith('\\') ? dir : dir + '\\';
        for (const item of items) {
          if (/[*?]/.test(item)) {
            for (const name of matches(interp, dir, item.replace(/"/g, ''), false)) if (!(await each(base + name))) return false;
          } else if (!(await each(base + item))) return false;
        }
        for (const sub of matches(interp, dir, '*', true)) if (!(await walk(base + sub))) return false;
        return true;
      };
      let ok = true;
      try {
        if (fs) fs.stat(root, interp.ctx.cwd);
      } catch {
        ok = false;
      }
      if (ok) await walk(root);
      return status;
    }
    case 'l': {
      const nums = setItems(set).map((s) => parseIfNumber(s) ?? 0);
      const [start = 0, step = 0, end = 0] = nums;
      // A step of 0 never moves: with start ≤ end the loop runs until something ends it — the
      // batch idiom `for /l %%n in (0,0,1) do …` (and `in ()`, all zeros) for an endless loop (DosTips);
      // cmd's loop tests `v <= end` for any step ≥ 0. Each pass is a step of the interpreter, so the
      // host's event loop keeps its turns and `docker kill`/Ctrl+C end it.
      for (let v = start; step >= 0 ? v <= end : v >= end; v += step) {
        if (!(await each(String(v)))) return status;
      }
      return status;
    }
    case 'f':
      return forF(interp, cmd, set, io);
  }
}

interface FOptions {
  eol: string | undefined;
  skip: number;
  delims: string;
  tokens: { list: number[]; rest: boolean };
  usebackq: boolean;
}

/** FOR /F's option string. Undefined when cmd would refuse it. */
function parseOptions(text: string): FOptions | undefined {
  const o: FOptions = { eol: ';', skip: 0, delims: ' \t', tokens: { list: [1], rest: false }, usebackq: false };
  let s = text;
  while (s.length > 0) {
    s = s.replace(/^[ \t]+/, '');
    if (s === '') break;
    const lower = s.toLowerCase();
    if (lower.startsWith('eol=')) {
      o.eol = s[4];
      s = s.slice(5);
      if (o.eol === undefined) return undefined;
    } else if (lower.startsWith('skip=')) {
      const m = /^skip=(\d+|0x[0-9a-f]+)/i.exec(s);
      if (!m) return undefined;
      o.skip = parseIfNumber(m[1]!) ?? 0;
      s = s.slice(m[0].length);
    } else if (lower.startsWith('delims=')) {
      // delims= takes everything up to the next space, unless it is last (then spaces count too).
      const rest = s.slice(7);
      const sp = rest.search(/ (eol=|skip=|tokens=|usebackq)/i);
      o.delims = sp < 0 ? rest : rest.slice(0, sp);
      s = sp < 0 ? '' : rest.slice(sp);
    } else if (lower.startsWith('tokens=')) {
      const m = /^tokens=([0-9,\-*]+)/i.exec(s);
      if (!m) return undefined;
      let spec = m[1]!;
      const list: number[] = [];
      let rest = false;
      if (spec.endsWith('*')) {
        rest = true;
        spec = spec.slice(0, -1);
      }
      for (const part of spec.split(',').filter((p) => p !== '')) {
        const r = /^(\d+)(?:-(\d+))?$/.exec(part);
        if (!r) return undefined;
        const a = parseInt(r[1]!, 10);
        const b = r[2] ? parseInt(r[2], 10) : a;
        for (let k = a; k <= b; k++) if (k > 0) list.push(k);
      }
      o.tokens = { list: [...new Set(list)].sort((x, y) => x - y), rest };
      s = s.slice(m[0].length);
    } else if (lower.startsWith('usebackq')) {
      o.usebackq = true;
      s = s.slice(8);
    } else {
      return undefined;
    }
  }
  return o;
}

async function captureCommand(interp: Interpreter, command: string): Promise<string> {
  const comspec = interp.ctx.env.get('ComSpec') ?? 'C:\\Windows\\system32\\cmd.exe';
  const pipe = new Pipe();
  const w = pipe.writeEnd();
  const r = pipe.readEnd();
  try {
    const child = interp.ctx.spawn(`${comspec} /c ${command}`, { applicationName: comspec, stdout: w, stdin: 'null' });
    w.close();
    const [text] = await Promise.all([r.readText(), child.wait()]);
    child.close();
    return text;
  } catch (e) {
    if (e instanceof ProcessExitSignal) throw e;
    w.close();
    return '';
  } finally {
    r.close();
  }
}

async function forF(interp: Interpreter, cmd: ForCommand, set: string, io: Io): Promise<number> {
  const opts = parseOptions(interp.expandAtRun(cmd.param));
  if (!opts) {
    await interp.err(io, MSG.unexpected(cmd.param));
    interp.errorlevel = 255;
    return 1;
  }
  const s = set.trim();
  let texts: string[] = [];
  const strQuote = opts.usebackq ? "'" : '"';
  const cmdQuote = opts.usebackq ? '`' : "'";
  if (s.startsWith(strQuote) && s.endsWith(strQuote) && s.length >= 2) {
    texts = [s.slice(1, -1)];
  } else if (s.startsWith(cmdQuote) && s.endsWith(cmdQuote) && s.length >= 2) {
    texts = [await captureCommand(interp, s.slice(1, -1))];
  } else {
    const items = opts.usebackq ? setItems(s).map((x) => x.replace(/"/g, '')) : setItems(s);
    for (const f of items) {
      try {
        texts.push(decodeText(readWholeFile(interp.ctx.fs!, f, interp.ctx.cwd)));
      } catch {
        await interp.err(io, `The system cannot find the file ${f}.\r\n`);
        interp.errorlevel = 1;
        return 1;
      }
    }
  }
  let status = 0;
  for (const text of texts) {
    let skip = opts.skip;
    for (const raw of text.split('\n')) {
      const line = raw.replace(/\r$/, '');
      if (line === '') continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      if (opts.eol !== undefined && line.startsWith(opts.eol)) continue;
      const values = tokenize(line, opts);
      if (values === undefined) continue;
      const vars = new Map(interp.forVars);
      let letter = cmd.variable.charCodeAt(0);
      for (const v of values) vars.set(String.fromCharCode(letter++), v);
      status = await runBodyWith(interp, cmd, vars, io);
      if (interp.unwind !== 'none') return status;
    }
  }
  return status;
}

/** The values for one line: one per requested token (missing ones empty), plus the rest for `*`. Undefined when the line has none of them. */
function tokenize(line: string, o: FOptions): string[] | undefined {
  const d = o.delims;
  // Token boundaries: runs of delimiters separate tokens; leading delimiters are skipped.
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && d.includes(line[i]!)) i++;
    if (i >= line.length) break;
    starts.push(i);
    while (i < line.length && !d.includes(line[i]!)) i++;
    ends.push(i);
  }
  const out: string[] = [];
  let any = false;
  for (const n of o.tokens.list) {
    const k = n - 1;
    if (k < starts.length) {
      out.push(line.slice(starts[k], ends[k]));
      any = true;
    } else out.push('');
  }
  if (o.tokens.rest) {
    const last = o.tokens.list.length ? o.tokens.list[o.tokens.list.length - 1]! : 0;
    if (last < starts.length) {
      out.push(line.slice(starts[last]));
      any = true;
    } else out.push('');
  }
  if (o.tokens.list.length === 0 && !o.tokens.rest) return undefined;
  return any ? out : undefined;
}
