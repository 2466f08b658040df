/**
 * `winsilo daemon`: the Docker Engine API daemon in the foreground, as
 * dockerd runs (logs on stderr in logrus' text form; SIGINT/SIGTERM stop
 * the containers, save the state and exit 0; a fourth SIGINT/SIGTERM during
 * that exits at once with 128 + its number, as dockerd's trap).
 *
 *   winsilo daemon [--host unix:///path/winsilo.sock] [--host tcp://127.0.0.1:2375]
 *                  [--data-root DIR] [--insecure-tcp]
 *
 * DECIDED: without --host the daemon listens on `unix://<data root>/winsilo.sock`
 * (dockerd's default, /var/run/docker.sock, belongs to a real dockerd).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliContext } from '../cli/context.js';
import { writeAll } from '../cli/context.js';
import { dataRootFor } from '../cli/engine.js';
import type { Host } from '../host/host.js';
// The daemon's modules load only when `winsilo daemon` runs: every other command starts without them.
import type { Daemon } from './daemon.js';
import { ENGINE_VERSION, API_VERSION } from './version.js';

/** The one-line description for `winsilo --help`'s command list. */
export const DAEMON_SHORT = 'Run the Docker Engine API daemon (docker, docker-py, dockerode talk to it)';

export const DAEMON_USAGE = `Usage:  winsilo daemon [OPTIONS]

Run the Docker Engine API daemon of a simulated Windows Server host in the
foreground. Point the docker CLI (or docker-py, dockerode, docker-compose)
at it:

  winsilo daemon --host unix:///tmp/winsilo.sock &
  DOCKER_HOST=unix:///tmp/winsilo.sock docker run -it --rm mcr.microsoft.com/windows/servercore:ltsc2022 cmd

It serves Docker Engine ${ENGINE_VERSION} (API ${API_VERSION}, down to 1.24) and
reports OSType windows. Logs go to stderr; SIGINT or SIGTERM stops the
running containers, saves the state under the data root and exits; three
more during that end it at once (exit 128 + the signal), as dockerd's do.

Options:
  -H, --host list          Daemon socket to listen on, repeatable:
                           unix:///path/winsilo.sock (mode 0660) or
                           tcp://127.0.0.1:2375 (default unix://<data-root>/winsilo.sock)
      --data-root string   Where images, containers and their disks are kept
                           (default $WINSILO_DATA_ROOT, else ~/.winsilo)
      --insecure-tcp       Allow a TCP address that is not loopback (plain HTTP:
                           anyone who can connect controls the host)
  -h, --help               Print usage
`;

export async function daemonCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  let values: { host?: string[]; 'data-root'?: string; 'insecure-tcp'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        host: { type: 'string', short: 'H', multiple: true },
        'data-root': { type: 'string' },
        'insecure-tcp': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    await writeAll(ctx.stderr, `winsilo daemon: ${(e as Error).message}\nSee 'winsilo daemon --help'.\n`);
    return 125;
  }
  if (values.help) {
    await writeAll(ctx.stdout, DAEMON_USAGE);
    return 0;
  }
  const root = values['data-root'] !== undefined && values['data-root'] !== '' ? resolve(ctx.cwd, values['data-root']) : dataRootFor(ctx.env, ctx.cwd);
  const hosts = values.host && values.host.length > 0 ? values.host : [`unix://${join(root, 'winsilo.sock')}`];
  const log = (line: string): void => void ctx.stderr.write(line + '\n');
  const { Daemon, ListenError, logLine } = await import('./daemon.js');

  let host: Host;
  try {
    host = (await ctx.openHost({ dataRoot: root, clock: ctx.now })) as Host;
  } catch (e) {
    log(logLine('fatal', (e as Error).message));
    return 1;
  }
  log(logLine('info', 'Starting up'));
  let daemon: Daemon;
  try {
    daemon = await Daemon.start({ host, hosts, dataRoot: root, insecureTcp: values['insecure-tcp'] === true, log });
  } catch (e) {
    const msg = e instanceof ListenError ? e.message : `failed to load listeners: ${(e as Error).message}`;
    log(logLine('fatal', msg));
    await host.close();
    return 1;
  }
  for (const p of host.loadProblems) log(logLine('error', `failed to load ${p.path}: ${p.reason}`));
  await daemon.restoreRestartPolicies();
  log(logLine('info', 'Daemon has completed initialization'));

  // dockerd's trap (cmd/dockerd/trap/trap.go): every SIGINT/SIGTERM is logged; the first starts the
  // clean shutdown; the ones after it are counted, and one more after the third ends the process at once
  // without cleanup, with 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
  const FORCE_QUIT_COUNT = 3;
  let count = 0;
  let firstSignal!: () => void;
  let forced!: (code: number) => void;
  const first = new Promise<void>((r) => (firstSignal = r));
  const force = new Promise<number>((r) => (forced = r));
  const onSignal = (name: string, signo: number) => () => {
    log(logLine('info', `Processing signal '${name}'`));
    if (count < FORCE_QUIT_COUNT) {
      count++;
      if (count === 1) firstSignal();
      return;
    }
    log(logLine('info', `Forcing docker daemon shutdown without cleanup; ${FORCE_QUIT_COUNT} interrupts received`));
    forced(128 + signo);
  };
  const onInt = onSignal('interrupt', 2);
  const onTerm = onSignal('terminated', 15);
  ctx.signals.on('SIGINT', onInt);
  ctx.signals.on('SIGTERM', onTerm);
  try {
    await first;
    const clean = (async () => {
      await daemon.close();
      await host.close();
      log(logLine('info', 'Daemon shutdown complete'));
      return 0;
    })();
    return await Promise.race([clean, force]);
  } finally {
    ctx.signals.off('SIGINT', onInt);
    ctx.signals.off('SIGTERM', onTerm);
  }
}
