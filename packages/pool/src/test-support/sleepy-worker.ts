// A worker process that takes one job, says "started" on stdout and never finishes it: the test SIGKILLs it
// mid-proof, as a crashed or unplugged machine would stop.
import { PoolWorker } from '../pool-worker.js';

const [url, queue] = process.argv.slice(2);
const worker = new PoolWorker({
  url: url!,
  queue: queue!,
  id: `sleepy-${process.pid}`,
  stall: { lockMs: 1000, stalledIntervalMs: 500, maxStalls: 2 },
  prover: {
    circuitIds: () => ['c'],
    prove: () => {
      process.stdout.write('started\n');
      return new Promise(() => undefined);
    },
  },
});
worker.start();
