// Figures for the inference API: a local network, three real miner processes proving the MLP, the real
// validator (in this process) and signed requests from @omron/client. Prints the bare prove time measured in
// the same run, then latency and sustained throughput through the API, sequential and with three in flight,
// and the API's overhead (client latency − the miner's answer time as the validator's dendrite measured it).
// Run: pnpm --filter validator bench   (BENCH_RUNS, default 20 requests per phase)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalChain } from '@omron/chain';
import { CircuitStore } from '@omron/circuits';
import { OmronClient } from '@omron/client';
import { createDevelopmentWallet } from '@omron/protocol';
import { pino } from 'pino';
import { toValidatorCircuit } from '../src/circuit-adapter.js';
import { loadConfig } from '../src/config.js';
import { startValidator } from '../src/validator.js';
import { freePort, healthy, spawnApp, stop, waitFor } from '../test/support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const CIRCUIT = 'mlp';
const BLOCK_TIME_MS = 1000;

function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}
const ms = (x: number) => `${x.toFixed(1).padStart(8)} ms`;

const dir = await mkdtemp(join(tmpdir(), 'validator-bench-'));
const net = join(dir, 'net');
const cache = join(dir, 'cache');
const chain = await LocalChain.open({ dir: net, blockTimeMs: BLOCK_TIME_MS });
const store = await CircuitStore.open({ role: 'prover', cacheDir: cache, circuits: [CIRCUIT] });
const circuit = store.byName(CIRCUIT);

const miners = [];
for (let i = 0; i < 3; i++) {
  const port = await freePort();
  const proc = spawnApp('miner', [
    ...['--localnet.dir', net, '--localnet.block_time_ms', String(BLOCK_TIME_MS), '--cache.dir', cache],
    ...['--axon.port', String(port), '--wallet.hotkey', `miner-${i + 1}`, '--circuits', CIRCUIT],
    ...['--log.level', 'warn'],
  ]);
  miners.push({ port, proc });
}
for (const m of miners) {
  await waitFor(
    async () => ((await healthy(`http://127.0.0.1:${m.port}/healthz`)) ? true : undefined),
    300_000,
    () => `miner never became healthy:\n${m.proc.output()}`,
  );
}
const user = await createDevelopmentWallet({ path: join(dir, 'user'), name: 'user', hotkey: 'default' });
const validator = await startValidator(
  loadConfig(
    [
      ...['--localnet.dir', net, '--localnet.block_time_ms', String(BLOCK_TIME_MS), '--cache.dir', cache],
      ...['--state.dir', join(dir, 'state'), '--api.port', '0', '--api.allow', user.hotkey.address],
      ...['--api.rate_per_min', '1000000', '--api.key_in_flight', '16', '--circuits', CIRCUIT],
      // One scoring step at start, then the loop idles so it does not compete with the API for the miners.
      ...['--step.interval_ms', '3600000', '--log.level', 'warn'],
    ],
    {},
  ),
  {
    circuits: store.list().map((c) => toValidatorCircuit(c, store.verifier(c.id))),
    logger: pino({ level: 'warn' }),
  },
);
await waitFor(
  () => (validator.state.step >= 1 ? true : undefined),
  120_000,
  () => 'no step',
);

const client = new OmronClient({ url: validator.apiUrl, signer: user.hotkey });
await client.infer(CIRCUIT, [circuit.generateInput()[0]!]); // warm-up

/**
 * `RUNS` requests with `inFlight` at a time. With one in flight, each request is preceded by a bare prove in this
 * process (the miners idle meanwhile), so both are measured under the same load on a shared machine.
 */
async function phase(inFlight: number) {
  const latency: number[] = [];
  const bare: number[] = [];
  const miner: number[] = [];
  const overhead: number[] = [];
  const validatorSide: number[] = [];
  const verify: number[] = [];
  let next = 0;
  let busy = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < RUNS) {
        if (inFlight === 1) {
          const t = performance.now();
          await store.prover(circuit.id).prove(circuit.generateInput());
          bare.push(performance.now() - t);
        }
        const inputs = circuit.generateInput();
        const t = performance.now();
        const answer = await client.infer(CIRCUIT, inputs);
        const took = performance.now() - t;
        busy += took;
        latency.push(took);
        miner.push(answer.timings.minerMs);
        overhead.push(took - answer.timings.minerMs);
        validatorSide.push(answer.timings.totalMs - answer.timings.minerMs);
        verify.push(answer.timings.verifyMs);
      }
    }),
  );
  // Sequential: requests/s over the time spent in requests (the bare proves in between are not the API's).
  const seconds = inFlight === 1 ? busy / 1000 : (performance.now() - started) / 1000;
  return { latency, bare, miner, overhead, validatorSide, verify, rps: RUNS / seconds };
}

const sequential = await phase(1);
const parallel = await phase(3);
const bareP50 = pct(sequential.bare, 50);
console.log(`inference API bench: ${CIRCUIT}, 3 local miners, ${RUNS} signed requests per phase`);
console.log(`bare prove (in-process, interleaved)  p50 ${ms(bareP50)}  p95 ${ms(pct(sequential.bare, 95))}`);
for (const [name, r] of [
  ['API, 1 in flight ', sequential],
  ['API, 3 in flight ', parallel],
] as const) {
  console.log(
    `${name} latency p50 ${ms(pct(r.latency, 50))}  p95 ${ms(pct(r.latency, 95))}  ` +
      `${r.rps.toFixed(2)} req/s  latency/bare prove ×${(pct(r.latency, 50) / bareP50).toFixed(2)}`,
  );
  console.log(
    `${name} miner's answer p50 ${ms(pct(r.miner, 50))}; API overhead (latency − miner's answer) ` +
      `p50 ${ms(pct(r.overhead, 50))}  p95 ${ms(pct(r.overhead, 95))}; validator side p50 ${ms(pct(r.validatorSide, 50))} (proof check ${ms(pct(r.verify, 50))})`,
  );
}

await validator.close();
await Promise.all(miners.map((m) => stop(m.proc)));
await chain.close();
await rm(dir, { recursive: true, force: true });
