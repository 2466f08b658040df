/**
 * The daemon the crash trials kill (test/crash/support.ts bundles this file
 * with esbuild and runs it with node, so SIGKILL ends a real process): what
 * `winsilo daemon --data-root ROOT --host unix://SOCKET` does (src/daemon/cli.ts:
 * open the Host on the root, listen, log the documents it could not load,
 * restore restart policies). The trials drive it through the docker CLI only.
 *
 *   stdout  READY                            listening (the restore is done)
 *   stderr  the daemon's log (logrus lines)
 *
 * SIGTERM closes as the daemon does (containers stopped, state saved).
 * Usage: node daemon-child.js ROOT SOCKET CHECKPOINT_BYTES — the block
 * store's checkpoint threshold, small so that flushes during the trials'
 * operations take checkpoints and some kills land inside one.
 */
import { Daemon, logLine } from '../../src/daemon/daemon.js';
import { Host } from '../../src/host/host.js';

const [root, socket, checkpointText] = process.argv.slice(2) as [string, string, string];
const log = (line: string): void => void process.stderr.write(line + '\n');
const say = (line: string): void => void process.stdout.write(line + '\n');

// Never outlive the test: a changed parent (it died) ends this process.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(2);
}, 500).unref();
process.stdout.on('error', () => process.exit(2));

let host: Host;
try {
  host = await Host.open({ dataRoot: root }, { checkpointBytes: Number(checkpointText) });
} catch (e) {
  log(logLine('fatal', (e as Error).message));
  process.exit(1);
}
const daemon = await Daemon.start({ host, hosts: [`unix://${socket}`], dataRoot: root, log });
for (const p of host.loadProblems) log(logLine('error', `failed to load ${p.path}: ${p.reason}`));
await daemon.restoreRestartPolicies();
log(logLine('info', 'Daemon has completed initialization'));
say('READY');

let closing = false;
process.on('SIGTERM', () => {
  if (closing) return;
  closing = true;
  void (async () => {
    await daemon.close();
    await host.close();
    log(logLine('info', 'Daemon shutdown complete'));
    process.exit(0);
  })();
});
