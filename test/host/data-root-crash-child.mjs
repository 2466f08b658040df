// A host on a data root, run until killed (data-root-crash.test.ts). Plain
// JavaScript on the built engine (dist/, built by `npm test`), so the child
// starts without a TypeScript loader. Prints one line per acknowledged step:
//
//   READY                      the root is open; the pull starts
//   ACK pull <image id>        the pull returned (acknowledged)
//   ACK stop <name> <id> <code> a container's run ended and its stop returned
//   BEGIN rm <name>            a removal starts (from here it may be done or not)
//   ACK rm <name>              a removal returned
//   ACK running                (mode hold) both resident containers are running
//   DONE                       (never, in a trial) the workload ran out
//
// Usage: node data-root-crash-child.mjs ROOT SEED CHECKPOINT_BYTES MODE
//   MODE workload: pull Server Core, then run containers run1, run2, … each
//     writing C:\stamp.txt and HKLM\SOFTWARE\winsilo-crash\Stamp (its own
//     number) and exiting with it; every third run with --rm; now and then
//     remove an earlier one or pull Nano Server; until killed.
//   MODE hold: pull, start `held` and `held-rm` (--rm) on svchost.exe, wait.
import { Host } from '../../dist/src/host/host.js';

const [root, seedText, checkpointText, mode] = process.argv.slice(2);
const IMAGE = 'mcr.microsoft.com/windows/servercore:ltsc2022';
const KEY = 'HKLM\\SOFTWARE\\winsilo-crash';

/** xorshift32: the seeded random source for ids and names (no unseeded randomness). */
let state = (Number(seedText) >>> 0) || 1;
const next = () => {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state;
};
const random = (n) => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = next() & 0xff;
  return out;
};

const say = (line) => process.stdout.write(`${line}\n`);
// Never outlive the test: if it dies before killing us, its end of the pipe
// closes (EPIPE on the next line) and the parent pid changes; and the
// workload ends after MAX_RUNS (a kill lands long before).
const parent = process.ppid;
process.stdout.on('error', () => process.exit(2));
setInterval(() => {
  if (process.ppid !== parent) process.exit(2);
}, 500).unref();
const MAX_RUNS = 200;

const host = await Host.open({ dataRoot: root }, { random, checkpointBytes: Number(checkpointText) });
host.registerProgram('C:\\Windows\\System32\\stamp.exe', async (ctx) => {
  const n = ctx.argv[1];
  const h = ctx.fs.open('C:\\stamp.txt', ctx.cwd, { disposition: 'overwriteIf', write: true, nonDirectory: true });
  try {
    h.write(0, Buffer.from(n));
  } finally {
    h.close();
  }
  ctx.registry.createKey(KEY);
  ctx.registry.setValue(KEY, { name: 'Stamp', type: 1, data: n });
  return Number(n);
});
say('READY');
const pulled = await host.pull(IMAGE);
say(`ACK pull ${pulled.Id}`);

if (mode === 'hold') {
  const held = await host.createContainer({ image: IMAGE, name: 'held', cmd: ['svchost.exe'] });
  await held.start();
  const heldRm = await host.createContainer({ image: IMAGE, name: 'held-rm', cmd: ['svchost.exe'], autoRemove: true });
  await heldRm.start();
  say('ACK running');
  setInterval(() => {
    if (process.ppid !== parent) process.exit(2);
  }, 500);
} else {
  const kept = [];
  for (let i = 1; i <= MAX_RUNS; i++) {
    const name = `run${i}`; // not hex: `c1` would also be an id prefix
    const autoRemove = i % 3 === 0;
    const c = await host.createContainer({ image: IMAGE, name, cmd: ['stamp.exe', String(i)], autoRemove });
    await c.start();
    const code = await c.wait();
    say(`ACK stop ${name} ${c.id} ${code}${autoRemove ? ' rm' : ''}`);
    if (!autoRemove) kept.push(c);
    if (i % 4 === 0 && kept.length > 1) {
      const victim = kept.splice(next() % (kept.length - 1), 1)[0];
      say(`BEGIN rm ${victim.name}`);
      await victim.remove();
      say(`ACK rm ${victim.name}`);
    }
    if (i === 5) {
      const nano = await host.pull('mcr.microsoft.com/windows/nanoserver:ltsc2022');
      say(`ACK pull ${nano.Id}`);
    }
  }
  say('DONE');
  process.exit(0);
}
