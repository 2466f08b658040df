// Runs cmd's internal file commands in a real container before cmd.exe
// exists: a small test program, builtin-test.exe, takes one command per
// argument and runs it as the interpreter would (the cmd.exe process's
// context, its standard handles), so the commands act on the container's
// own NTFS volume.
//
// Pseudo commands for setting up and observing:
//   write PATH TEXT     creates PATH holding TEXT (UTF-8, as given)
//   write16 PATH TEXT   creates PATH holding TEXT as UTF-16LE with its byte order mark
//   cd PATH             SetCurrentDirectory
//   set NAME=VALUE      an environment variable of the process
//   batch               later commands run as in a batch file (inBatch)
//   noext               later commands run with extensions off
//   el                  prints `EL=<n>` (the last ERRORLEVEL; unset: `EL=-`)
//   run CMDLINE         CreateProcess with the same handles, waits
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import type { BuiltinContext } from '../../../src/shell/cmd/builtin.js';
import { fileBuiltins } from '../../../src/shell/cmd/files/index.js';
import { run, shellHost, type RunOptions, type RunResult } from '../support.js';

export const TEST_PROGRAM = 'C:\\Windows\\System32\\builtin-test.exe';

async function main(ctx: ProcessContext): Promise<number> {
  let inBatch = false;
  let extensions = true;
  let el: number | undefined;
  for (const command of ctx.argv.slice(1)) {
    const m = /^([^\s/]+)(.*)$/s.exec(command);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    const rest = m[2]!;
    switch (name) {
      case 'write':
      case 'write16': {
        const w = /^\s+(\S+) ?(.*)$/s.exec(rest)!;
        const h = ctx.fs!.open(w[1]!, ctx.cwd, { disposition: 'overwriteIf', write: true });
        h.write(0, name === 'write' ? new TextEncoder().encode(w[2]!) : Uint8Array.from([0xff, 0xfe, ...new Uint8Array(new Uint16Array([...w[2]!].map((c) => c.charCodeAt(0))).buffer)]));
        h.close();
        continue;
      }
      case 'cd':
        ctx.chdir(rest.trim());
        continue;
      case 'set': {
        const [k, ...v] = rest.trim().split('=');
        ctx.env.set(k!, v.join('='));
        continue;
      }
      case 'list':
        ctx.fs!.list(rest.trim(), ctx.cwd);
        continue;
      case 'batch':
        inBatch = true;
        continue;
      case 'noext':
        extensions = false;
        continue;
      case 'el':
        await ctx.stdout.write(`EL=${el ?? '-'}\r\n`);
        continue;
      case 'run': {
        const child = ctx.spawn(rest.trim());
        el = await child.wait();
        continue;
      }
    }
    const builtin = fileBuiltins.get(name);
    if (!builtin) throw new Error(`no builtin ${name}`);
    const bc: BuiltinContext = { ctx, stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, extensions, inBatch, signal: ctx.signal };
    const r = await builtin(bc, rest);
    if (r !== undefined) el = r;
  }
  return el ?? 0;
}

let registered: Promise<void> | undefined;

/** Runs the commands in one fresh container (servercore unless told). */
export async function commands(list: string[], options: RunOptions = {}): Promise<RunResult> {
  registered ??= shellHost().then((h) => h.registerProgram(TEST_PROGRAM, main));
  await registered;
  return run(['builtin-test.exe', ...list], options);
}
