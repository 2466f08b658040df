// Runs the crash workload against a journaled store until killed: prints
// `ACK <n>` after each flush returns (the first n operations are then
// durable), `DONE` if it runs out of operations.
// Usage: node crash-child.mjs FOLDER SEED IMPL CHECKPOINT_BYTES
import { JournaledBlockStore } from '../../../dist/src/kernel/storage/index.js';
import { BLOCK_SIZE, stampedBlocks, workload } from './crash-workload.mjs';

const [folder, seed, impl, checkpointBytes] = process.argv.slice(2);
const store = JournaledBlockStore.open(folder, { blockSize: BLOCK_SIZE, impl, checkpointBytes: Number(checkpointBytes) });
const check = (what, status) => {
  if (status !== 0) {
    process.stderr.write(`${what}: status 0x${(status >>> 0).toString(16)}\n`);
    process.exit(3);
  }
};
let done = 0;
for (const op of workload(Number(seed))) {
  switch (op.kind) {
    case 'create': {
      const r = store.createDisk(64 * BLOCK_SIZE);
      if (r.disk !== op.disk) check(`create ${op.disk} got ${r.disk}`, r.status || -1);
      break;
    }
    case 'clone': {
      const r = store.clone(op.src);
      if (r.disk !== op.disk) check(`clone ${op.disk} got ${r.disk}`, r.status || -1);
      break;
    }
    case 'snapshot':
      check('snapshot', store.snapshot(op.disk));
      break;
    case 'delete':
      check('delete', store.deleteDisk(op.disk));
      break;
    case 'write':
      check('write', store.write(op.disk, op.block * BLOCK_SIZE, stampedBlocks(op.seq, op.count)));
      break;
    case 'discard':
      check('discard', store.discard(op.disk, op.block * BLOCK_SIZE, op.count * BLOCK_SIZE));
      break;
    case 'flush':
      store.flush();
      done++;
      process.stdout.write(`ACK ${done}\n`);
      continue;
  }
  done++;
}
process.stdout.write('DONE\n');
