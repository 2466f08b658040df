// Preloaded (node -r) into the winsilo CLI by bench/shell.bench.ts: the time
// from each stdin 'data' event to the next stdout write — winsilo's own share
// of a keystroke's echo, without the pty and the host's scheduling around it.
// The times (ns) go to the file WINSILO_BENCH_ECHO_LOG names, at exit.
'use strict';
const { writeFileSync } = require('node:fs');

const log = process.env.WINSILO_BENCH_ECHO_LOG;
if (log) {
  const times = [];
  let since = 0n;
  setImmediate(() => {
    const emit = process.stdin.emit;
    process.stdin.emit = function (event, ...args) {
      if (event === 'data') since = process.hrtime.bigint();
      return emit.call(this, event, ...args);
    };
    const write = process.stdout.write;
    process.stdout.write = function (...args) {
      if (since !== 0n) {
        times.push(Number(process.hrtime.bigint() - since));
        since = 0n;
      }
      return write.apply(this, args);
    };
  });
  process.on('exit', () => writeFileSync(log, JSON.stringify(times)));
}
