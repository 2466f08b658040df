// A running container to exec programs in (docker run -d … then docker exec …), for the
// programs that act on other processes (taskkill) or on a running service (ServiceMonitor).
import type { ContainerHandle, ProcessIo } from '../../../src/host/types.js';
import type { PipeReader } from '../../../src/kernel/process/pipe.js';
import { SERVERCORE, shellHost, type RunResult } from '../support.js';

export async function drain(r: PipeReader | null): Promise<string> {
  if (!r) return '';
  const chunks: Uint8Array[] = [];
  for (let c = await r.read(); c !== null; c = await r.read()) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

export interface Running {
  readonly container: ContainerHandle;
  readonly main: ProcessIo;
  exec(argv: string[]): Promise<RunResult>;
  remove(): Promise<void>;
}

/** `docker run -d IMAGE argv…`: the main process keeps running while the test execs into it. */
export async function startContainer(argv: string[], options: { image?: string; hostname?: string } = {}): Promise<Running> {
  const image = options.image ?? SERVERCORE;
  const host = await shellHost();
  if (!host.image(image)) await host.pull(image);
  const container = await host.createContainer({ image, cmd: argv, ...(options.hostname ? { hostname: options.hostname } : {}) });
  const main = await container.start();
  return {
    container,
    main,
    async exec(cmd) {
      const io = await container.exec({ cmd });
      const [stdout, stderr, exitCode] = await Promise.all([drain(io.stdout), drain(io.stderr), io.wait()]);
      return { stdout, stderr, exitCode };
    },
    remove: () => container.remove({ force: true }),
  };
}
