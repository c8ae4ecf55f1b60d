// End-to-end figures for one miner on a fresh local network: per circuit, the median time a
// validator waits for a QueryZkProof answer vs the miner's own prove time (the difference is
// signing, HTTP, validation, queueing and payload encoding). Run: pnpm --filter miner bench
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalChain } from '@omron/chain';
import { createDevelopmentWallet, createSynapse, Dendrite, QueryZkProofDefinition } from '@omron/protocol';
import { pino } from 'pino';
import { startMiner } from '../src/miner.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const dir = await mkdtemp(join(tmpdir(), 'miner-bench-'));
const localnet = join(dir, 'localnet');
const chain = await LocalChain.open({ dir: localnet, blockTimeMs: 1000 });
const validator = await createDevelopmentWallet({
  path: join(localnet, 'wallets'),
  name: 'validator',
  hotkey: 'v',
});
await chain.register(2, validator, { role: 'validator' });
await chain.close();

const lines: Record<string, unknown>[] = [];
const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
const t0 = performance.now();
const miner = await startMiner(
  { axon: { port: 0 }, localnet: { dir: localnet, block_time_ms: 1000 }, cache: { dir: join(dir, 'cache') } },
  { logger },
);
console.log(
  `start-up with a cold cache (dev SRS + keygen for every circuit): ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
const dendrite = new Dendrite(validator);
const axon = { ip: '127.0.0.1', port: miner.port, hotkey: miner.hotkey };
console.log('circuit        k   request ms  prove ms  overhead ms  proof bytes');
for (const circuit of miner.store.list()) {
  const total: number[] = [];
  const prove: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    lines.length = 0;
    const synapse = createSynapse(QueryZkProofDefinition, {
      query_input: { model_id: circuit.id, public_inputs: circuit.generateInput() },
    });
    const t = performance.now();
    const res = await dendrite.call(axon, synapse, { timeoutS: 120 });
    total.push(performance.now() - t);
    if (res.statusCode !== 200) throw new Error(`${circuit.name}: ${res.statusCode} ${res.statusMessage}`);
    prove.push(Number(lines.find((l) => l.msg === 'request')?.proveMs));
    bytes = (JSON.parse(res.synapse.query_output ?? '{}').proof.length - 2) / 2;
  }
  const [r, p] = [median(total), median(prove)];
  console.log(
    `${circuit.name.padEnd(14)} ${String(circuit.settings.k).padEnd(3)} ${r.toFixed(0).padStart(10)} ${p.toFixed(0).padStart(9)} ${(r - p).toFixed(0).padStart(12)} ${String(bytes).padStart(12)}`,
  );
}
await miner.close();
