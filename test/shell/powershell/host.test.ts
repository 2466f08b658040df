// powershell.exe's command line and console host: -Command, -File (the
// conformance pattern: a script in a bind mount), exit codes, commands on
// stdin, and the interactive banner and prompt.
import { describe, expect, it } from 'vitest';
import type { ProcessContext } from '../../../src/kernel/process/context.js';
import { Environment } from '../../../src/kernel/process/environment.js';
import { BANNER, powershellMain } from '../../../src/shell/powershell/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunResult } from '../support.js';

/** `winsilo run --rm -v DIR:C:\t IMAGE powershell -File C:\t\s.ps1 args…` */
export async function runScript(script: string, args: string[] = []): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'winsilo-ps-'));
  try {
    writeFileSync(join(dir, 's.ps1'), script);
    return await run(['powershell', '-NoProfile', '-File', 'C:\\t\\s.ps1', ...args], { binds: [{ hostPath: dir, containerPath: 'C:\\t', readOnly: false }] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lines = (...l: string[]) => l.map((x) => x + '\r\n').join('');

describe('powershell.exe command line', () => {
  it('-Command runs the rest of the command line; exit N sets the exit code', async () => {
    const r = await run(['powershell', '-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', 'Write-Output', 'hi;', 'exit', '7']);
    expect(r.stdout).toBe(lines('hi'));
    expect(r.exitCode).toBe(7);
  });
  it('a bare argument list is a -Command', async () => {
    const r = await run(['powershell', '1+1']);
    expect(r.stdout).toBe(lines('2'));
  });
  it('-EncodedCommand takes base64 UTF-16LE', async () => {
    const r = await run(['powershell', '-EncodedCommand', Buffer.from('"enc"', 'utf16le').toString('base64')]);
    expect(r.stdout).toBe(lines('enc'));
  });
  it('-File runs a script with parameters, $PSScriptRoot and file positions in errors', async () => {
    const script = 'param($Name = "world", [switch]$Shout)\r\n$msg = "hello $Name"\r\nif ($Shout) { $msg = $msg.ToUpper() }\r\n$msg\r\n$PSScriptRoot\r\nGet-Item C:\\nope\r\nexit 4\r\n';
    const r = await runScript(script, ['-Name', 'you', '-Shout']);
    expect(r.stdout).toBe(lines("HELLO YOU", "C:\\t"));
    expect(r.exitCode).toBe(4);
    expect(r.stderr.split('\r\n').slice(0, 4)).toEqual(["Get-Item : Cannot find path 'C:\\nope' because it does not exist.", 'At C:\\t\\s.ps1:6 char:1', '+ Get-Item C:\\nope', '+ ~~~~~~~~~~~~~~~~']);
  });
  it('-File exit codes: 0 on normal termination even after a failed command, 1 after throw', async () => {
    expect((await runScript('Get-Item C:\\nope\r\n')).exitCode).toBe(0);
    expect((await runScript('throw "x"\r\n"unreached"\r\n')).exitCode).toBe(1);
    expect((await run(['powershell', '-Command', 'Get-Item C:\\nope'])).exitCode).toBe(1);
  });
  it('-File of a missing script', async () => {
    const r = await run(['powershell', '-File', 'C:\\nope.ps1']);
    expect(r.stderr).toBe("The argument 'C:\\nope.ps1' to the -File parameter does not exist. Provide the path to an existing '.ps1' file as an argument to the -File parameter.\r\n");
    expect(r.exitCode >>> 0).toBe(-196608 >>> 0);
  });
  it('commands piped to stdin run line by line', async () => {
    const r = await run(['powershell', '-NoProfile', '-Command', '-'], { stdin: '$a = 2\r\n$a * 3\r\n' });
    expect(r.stdout).toBe(lines('6'));
  });
});

/** A console process context: what powershell.exe sees under `docker run -it`. */
function consoleContext(input: string): { ctx: ProcessContext; output: () => string; ctrl: (event: number) => void } {
  let out = '';
  let handler: ((event: number) => boolean | void) | undefined;
  // No console object behind the handle: the cooked read falls back to whole lines (the console helper echoes in real sessions).
  const pending = input.split('\r').filter((l, i, a) => i < a.length - 1 || l !== '');
  const env = Environment.from(['PATH=C:\\Windows\\system32', 'COMPUTERNAME=TEST']);
  const ctx = {
    pid: 100,
    argv: ['powershell'],
    env,
    cwd: 'C:\\',
    fs: undefined,
    registry: undefined,
    services: undefined,
    console: { columns: 120, rows: 30, title: '' },
    process: { console: undefined },
    stdin: { isConsole: true, read: async () => null, readLine: async () => pending.shift() ?? null, readAll: async () => new Uint8Array(), readText: async () => '' },
    stdout: { isConsole: true, write: async (d: string | Uint8Array) => void (out += typeof d === 'string' ? d : new TextDecoder().decode(d)) },
    stderr: { isConsole: true, write: async (d: string | Uint8Array) => void (out += typeof d === 'string' ? d : new TextDecoder().decode(d)) },
    now: () => Date.UTC(2026, 10, 23, 12),
    processes: () => [],
    onConsoleCtrl: (h: (event: number) => boolean | void) => {
      handler = h;
      return () => {};
    },
  } as unknown as ProcessContext;
  return { ctx, output: () => out, ctrl: (e) => void handler?.(e) };
}

describe('interactive console host', () => {
  it('prints the 5.1 banner, the PS C:\\> prompt, runs lines and exits with exit', async () => {
    const { ctx, output } = consoleContext('1+1\r"a"\rexit 3\r');
    const code = await powershellMain(ctx);
    expect(code).toBe(3);
    expect(output()).toBe(BANNER + 'PS C:\\> 2\r\nPS C:\\> a\r\nPS C:\\> ');
  });
  it('an unfinished block continues on a >> line', async () => {
    const { ctx, output } = consoleContext('if ($true) {\r"in"\r}\r');
    await powershellMain(ctx);
    expect(output()).toBe(BANNER + 'PS C:\\> >> >> in\r\nPS C:\\> ');
  });
  it('Ctrl+C stops a running loop and the shell prompts again', async () => {
    const { ctx, output, ctrl } = consoleContext('while ($true) { }\r"next"\r');
    const timer = setTimeout(() => ctrl(0), 50);
    const code = await powershellMain(ctx);
    clearTimeout(timer);
    expect(code).toBe(0);
    expect(output()).toBe(BANNER + 'PS C:\\> PS C:\\> next\r\nPS C:\\> ');
  });
});
