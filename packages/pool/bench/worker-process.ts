// One pool worker process for the benchmark: its own circuit store (keys from the shared cache) and a PoolWorker.
import { CircuitStore } from '@omron/circuits';
import { storeJobProver } from '../src/job-prover.js';
import { PoolWorker } from '../src/pool-worker.js';

const [url, queue, cacheDir, circuit, id] = process.argv.slice(2) as [string, string, string, string, string];
const store = await CircuitStore.open({ role: 'prover', cacheDir, circuits: [circuit] });
const worker = new PoolWorker({
  url,
  queue,
  id,
  prover: storeJobProver(store, id),
  onStatus: (up) => up && process.stdout.write('ready\n'),
});
worker.start();
process.on('SIGTERM', () => void worker.close(0).then(() => process.exit(0)));
