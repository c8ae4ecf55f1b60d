// The honest path's cost of the integrity checks, before/after in one run: a validator's dendrite calls an axon
// (in process, no sockets) with a QueryZkProof carrying a real-sized proof answer.
//   before: the published class (no request field hashed), unsigned answers, nothing checked by the dendrite;
//   after:  query_input and timeout hashed and checked, the answer signed by the axon and checked by the dendrite.
// "before" also makes the SDK-style axon signature the old middleware made for every request (dropped since).
// Both sides use the same sr25519 code. Run: pnpm --filter @omron/protocol bench
import { Hono } from 'hono';
import { z } from 'zod';
import { type AxonOptions, axonMiddleware } from '../src/axon.js';
import { type AxonEnv, axonResponse } from '../src/axon-response.js';
import { Dendrite } from '../src/dendrite.js';
import { nowNs } from '../src/nonce.js';
import { signMessage } from '../src/signature.js';
import { createSynapse, defineSynapse, type SynapseDefinition } from '../src/synapse.js';
import { MAX_QUERY_OUTPUT_CHARS, QueryZkProofDefinition, QueryZkProofInput } from '../src/synapses.js';
import { MINER_MNEMONIC, testPair, VALIDATOR_MNEMONIC } from '../src/test-support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 2000);
const WARMUP = 200;

/** Omron's published QueryZkProof: nothing hashed (query_input listed as an answer field to be served at all). */
const PublishedQueryZkProof = defineSynapse(
  'QueryZkProof',
  {
    query_input: QueryZkProofInput.nullable().default(null),
    query_output: z.string().max(MAX_QUERY_OUTPUT_CHARS).nullable().default(null),
  },
  { responseFields: ['query_input', 'query_output'] },
);

const validator = await testPair(VALIDATOR_MNEMONIC);
const miner = await testPair(MINER_MNEMONIC);
// A proof answer of the size the cnn circuit produces (~10 KiB hex) and an lstm-sized input.
const proofOutput = JSON.stringify({
  proof: `0x${'ab'.repeat(5_000)}`,
  public_signals: Array(64).fill('12345'),
});
const queryInput = { model_id: 'f'.repeat(64), public_inputs: [Array.from({ length: 64 }, (_, i) => i / 7)] };

function app(def: SynapseDefinition, opts: Partial<AxonOptions>, legacy = false) {
  const a = new Hono<AxonEnv>();
  // The old middleware signed `{axon_nonce}.{dendrite}.{axon}.{axon_uuid}` for every request, as the SDK does.
  if (legacy) {
    a.use('*', async (c, next) => {
      const caller = c.req.header('bt_header_dendrite_hotkey');
      signMessage(miner, `${nowNs()}.${caller}.${c.req.header('bt_header_axon_hotkey')}.axon-uuid`);
      await next();
    });
  }
  a.use('*', axonMiddleware({ hotkey: miner, synapses: [def], ...opts }));
  a.post('/QueryZkProof', (c) => axonResponse(c, { ...c.get('synapse'), query_output: proofOutput }));
  return a;
}

function dendrite(def: SynapseDefinition, handler: Hono<AxonEnv>, requireSignedResponses: boolean) {
  const d = new Dendrite(validator, {
    synapses: [def],
    requireSignedResponses,
    fetch: async (url, init) => handler.request(url, init),
  });
  const synapse = createSynapse(def, { query_input: queryInput } as never);
  const target = { ip: '127.0.0.1', port: 8091, hotkey: miner.address };
  return async () => {
    const res = await d.call(target, synapse, { timeoutS: 12 });
    if (!res.isSuccess) throw new Error(`unexpected ${res.statusCode} ${res.statusMessage}`);
  };
}

const paths = {
  before: dendrite(PublishedQueryZkProof, app(PublishedQueryZkProof, { signResponses: false }, true), false),
  after: dendrite(
    QueryZkProofDefinition as SynapseDefinition,
    app(QueryZkProofDefinition as SynapseDefinition, {}),
    true,
  ),
};
const times: Record<keyof typeof paths, number[]> = { before: [], after: [] };
for (let i = 0; i < WARMUP + RUNS; i++) {
  // Alternate so that load on a shared machine hits both sides alike.
  for (const name of (i % 2 ? ['before', 'after'] : ['after', 'before']) as (keyof typeof paths)[]) {
    const t = performance.now();
    await paths[name]();
    if (i >= WARMUP) times[name].push(performance.now() - t);
  }
}
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? Number.NaN;
const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
console.log(
  `honest QueryZkProof round trip, in process, ${RUNS} calls each (answer ${proofOutput.length} chars)`,
);
console.log('path     p50        p90        mean');
for (const [name, xs] of Object.entries(times)) {
  console.log(
    `${name.padEnd(8)} ${fmt(pct(xs, 0.5)).padEnd(10)} ${fmt(pct(xs, 0.9)).padEnd(10)} ${fmt(xs.reduce((a, b) => a + b, 0) / xs.length)}`,
  );
}
const added = pct(times.after, 0.5) - pct(times.before, 0.5);
console.log(
  `added at p50: ${fmt(added)} (after/before ${(pct(times.after, 0.5) / pct(times.before, 0.5)).toFixed(2)}×; target ≤ 1 ms)`,
);
