// One container, several commands: `docker exec` into a container whose
// main process idles, so a test can run reg/sc/net one after another and
// see what the earlier ones changed (without depending on cmd.exe).
import type { PipeReader } from '../../../src/kernel/process/pipe.js';
import type { BindMount, ContainerHandle } from '../../../src/host/types.js';
import { SERVERCORE, shellHost, type RunResult } from '../support.js';

const IDLE = 'C:\\Windows\\System32\\winsilo-admin-test-idle.exe';
let registered = false;

async function drain(r: PipeReader | null): Promise<string> {
  if (!r) return '';
  const chunks: Uint8Array[] = [];
  for (let c = await r.read(); c !== null; c = await r.read()) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

export interface Session {
  /** `docker exec` of argv; `stdin`, if given, is written and closed. */
  exec(argv: string[], stdin?: string): Promise<RunResult>;
  close(): Promise<void>;
}

export async function session(image = SERVERCORE, binds?: BindMount[]): Promise<Session> {
  const host = await shellHost();
  if (!host.image(image)) await host.pull(image);
  if (!registered) {
    host.registerProgram(IDLE, (ctx) => new Promise<number>((resolve) => ctx.signal.addEventListener('abort', () => resolve(0))));
    registered = true;
  }
  const c: ContainerHandle = await host.createContainer({ image, cmd: [IDLE], binds });
  await c.start();
  return {
    async exec(argv, stdin) {
      const io = await c.exec({ cmd: argv, attachStdin: stdin !== undefined });
      if (stdin !== undefined && io.stdin) void io.stdin.write(stdin).then(() => io.stdin!.close());
      const [stdout, stderr, exitCode] = await Promise.all([drain(io.stdout), drain(io.stderr), io.wait()]);
      return { stdout, stderr, exitCode };
    },
    async close() {
      await c.remove({ force: true });
    },
  };
}
