import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ChainVerifier,
  chainId,
  compileSlices,
  developmentSrs,
  Prover,
  quantizeInputs,
  type SlicedModel,
  setup,
} from '@omron/prover';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPool } from './embedded-pool.js';
import { isPoolError } from './errors.js';
import type { ProvingPool } from './pool.js';
import { PoolWorker } from './pool-worker.js';
import { RedisPool } from './redis-pool.js';
import { redisServerAvailable, startRedisServer } from './redis-server.js';
import { type SlicedCircuit, sliceJobProver } from './slice-prover.js';

const MODELS = resolve(import.meta.dirname, '..', '..', '..', 'tooling', 'models');

describe('slice jobs through the pool (a 2-slice MLP, real proofs)', () => {
  let sliced: SlicedModel;
  let circuit: SlicedCircuit;
  let verifier: ChainVerifier;

  beforeAll(async () => {
    sliced = await compileSlices(readFileSync(join(MODELS, 'mlp.onnx')), { slices: 2 });
    const srs = await developmentSrs(Math.max(...sliced.slices.map((s) => s.settings.k)));
    const keys = await Promise.all(sliced.slices.map((s) => setup(s, srs)));
    const provers = await Promise.all(
      sliced.slices.map((s, i) => Prover.create(s, keys[i]!.provingKey, srs)),
    );
    const vks = keys.map((k) => k.verifyingKey);
    circuit = { id: chainId(vks), provers };
    verifier = ChainVerifier.create(
      vks,
      sliced.slices.map((s) => s.settings),
      srs,
    );
  }, 300_000);

  /** Every slice of one request as its own job, at once; the answers must form the request's chain. */
  async function proveAsChain(pool: ProvingPool): Promise<void> {
    const inputs = [Array.from({ length: 784 }, (_, i) => ((i * 7919) % 100) / 100)];
    const values = sliced.forward(inputs);
    const deadline = Date.now() + 120_000;
    const parts = await Promise.all(
      values.map((v, index) =>
        pool.submit({ circuitId: circuit.id, inputs, slice: { index, inputs: v.inputs } }, { deadline }),
      ),
    );
    expect(parts.map((p) => p.result.publicInputs)).toEqual(values);
    const chain = parts.map((p) => ({ proof: p.result.proof, publicInputs: p.result.publicInputs }));
    const own = quantizeInputs(sliced.slices[0]!.settings, inputs);
    const claim = { inputs: own, outputs: values.at(-1)!.outputs };
    expect(await verifier.verify(chain, claim)).toBe(true);
    // Reordered parts are not the chain.
    expect(await verifier.verify([...chain].reverse(), claim)).toBe(false);
  }

  it('proves each slice as its own job from the forward pass, and the parts verify as one chain', async () => {
    const pool = new EmbeddedPool({ prover: sliceJobProver([circuit], 'w'), concurrency: 2, maxLength: 4 });
    await proveAsChain(pool);
    await pool.close();
  }, 300_000);

  it.skipIf(redisServerAvailable() !== undefined)(
    'does the same through Redis and a pool worker',
    async () => {
      const redis = await startRedisServer();
      const worker = new PoolWorker({
        url: redis.url,
        prover: sliceJobProver([circuit], 'w1'),
        queue: 'slices',
      });
      worker.start();
      const pool = await RedisPool.open({ url: redis.url, maxLength: 4, queue: 'slices' });
      try {
        for (let i = 0; i < 100 && !(await pool.stats()).up; i++) await new Promise((r) => setTimeout(r, 20));
        await proveAsChain(pool);
      } finally {
        await pool.close();
        await worker.close();
        await redis.stop();
      }
    },
    300_000,
  );

  it('refuses a slice it does not hold and a whole-model job with UNSUPPORTED_JOB', async () => {
    const pool = new EmbeddedPool({ prover: sliceJobProver([circuit], 'w'), concurrency: 1, maxLength: 4 });
    const deadline = Date.now() + 60_000;
    const code = (p: Promise<unknown>) =>
      p.then(String, (e: unknown) => (isPoolError(e) ? e.code : String(e)));
    const slice = { index: 5, inputs: [['1']] };
    expect(await code(pool.submit({ circuitId: circuit.id, inputs: [], slice }, { deadline }))).toBe(
      'UNSUPPORTED_JOB',
    );
    expect(await code(pool.submit({ circuitId: circuit.id, inputs: [[1]] }, { deadline }))).toBe(
      'UNSUPPORTED_JOB',
    );
    await pool.close();
  });
});
