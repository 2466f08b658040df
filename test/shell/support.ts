// Running shell programs the way users do: a container of a real image on
// an in-memory Host, its output read from the process's own streams.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { Host } from '../../src/host/host.js';
import type { BindMount } from '../../src/host/types.js';
import type { PipeReader } from '../../src/kernel/process/pipe.js';

export const SERVERCORE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
export const NANOSERVER = 'mcr.microsoft.com/windows/nanoserver:ltsc2022';

let shared: Promise<Host> | undefined;

/** One host per test file (its images pulled on first use), closed after the file. */
export function shellHost(): Promise<Host> {
  if (!shared) {
    shared = Host.open({ clock: () => Date.UTC(2026, 10, 23, 12, 0, 0) });
    afterAll(async () => {
      const h = await shared;
      shared = undefined;
      await h?.close();
    });
  }
  return shared;
}

export interface RunOptions {
  image?: string;
  binds?: BindMount[];
  /** Written to the process's stdin, which is then closed. */
  stdin?: string;
  env?: string[];
  workingDir?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

async function drain(r: PipeReader | null): Promise<string> {
  if (!r) return '';
  const chunks: Uint8Array[] = [];
  for (let c = await r.read(); c !== null; c = await r.read()) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** `docker run --rm IMAGE argv…` with its output captured. */
export async function run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const host = await shellHost();
  const image = options.image ?? SERVERCORE;
  if (!host.image(image)) await host.pull(image);
  const c = await host.createContainer({
    image,
    cmd: argv,
    binds: options.binds,
    env: options.env,
    workingDir: options.workingDir,
    openStdin: options.stdin !== undefined,
  });
  const io = await c.start();
  if (options.stdin !== undefined && io.stdin) {
    void io.stdin.write(options.stdin).then(() => io.stdin!.close());
  }
  const [stdout, stderr, exitCode] = await Promise.all([drain(io.stdout), drain(io.stderr), c.wait()]);
  await c.remove({ force: true });
  return { stdout, stderr, exitCode };
}

/**
 * A batch file run as the conformance suite runs it:
 * `winsilo run --rm -v DIR:C:\t IMAGE cmd /c C:\t\x.cmd`. `files` are
 * written next to it in DIR.
 */
export async function runBatch(script: string, options: RunOptions & { files?: Record<string, string>; name?: string } = {}): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'winsilo-shell-'));
  try {
    const name = options.name ?? 'x.cmd';
    writeFileSync(join(dir, name), script);
    for (const [f, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir, f), text);
    return await run(['cmd', '/c', `C:\\t\\${name}`], { ...options, binds: [...(options.binds ?? []), { hostPath: dir, containerPath: 'C:\\t', readOnly: false }] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
