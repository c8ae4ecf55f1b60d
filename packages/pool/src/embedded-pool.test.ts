import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CircuitStore } from '@omron/circuits';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConcurrency, EmbeddedPool } from './embedded-pool.js';
import { isPoolError } from './errors.js';
import { storeJobProver } from './job-prover.js';

let store: CircuitStore;
let verifier: CircuitStore;

beforeAll(async () => {
  const cacheDir = await mkdtemp(join(tmpdir(), 'omron-pool-'));
  store = await CircuitStore.open({ role: 'prover', cacheDir, circuits: ['cnn'] });
  verifier = await CircuitStore.open({ role: 'verifier', cacheDir, circuits: ['cnn'] });
}, 180_000);

describe('EmbeddedPool over the real prover', () => {
  it('proves a job in-process with a proof that verifies against the inputs', async () => {
    const circuit = store.list()[0]!;
    const pool = new EmbeddedPool({
      prover: storeJobProver(store, 'embedded'),
      concurrency: 1,
      maxLength: 2,
    });
    const inputs = circuit.generateInput();
    const answer = await pool.submit({ circuitId: circuit.id, inputs }, { deadline: Date.now() + 60_000 });
    expect(answer.result.workerId).toBe('embedded');
    expect(answer.result.proveMs).toBeGreaterThan(0);
    const v = verifier.verifier(circuit.id);
    expect(answer.result.publicInputs.inputs).toEqual(v.expectedPublicInputs(inputs));
    expect(await v.verify(answer.result.proof, answer.result.publicInputs)).toBe(true);
    expect(await pool.stats()).toEqual({
      kind: 'embedded',
      up: true,
      waiting: 0,
      active: 0,
      failed: 0,
      size: 1,
    });
    await pool.close();
  }, 120_000);

  it('answers BAD_INPUT, UNSUPPORTED_JOB (unknown circuit, slices) and DEADLINE_PASSED with codes', async () => {
    const circuit = store.list()[0]!;
    const pool = new EmbeddedPool({
      prover: storeJobProver(store, 'embedded'),
      concurrency: 1,
      maxLength: 2,
    });
    const code = (p: Promise<unknown>) =>
      p.then(String, (e: unknown) => (isPoolError(e) ? e.code : String(e)));
    const deadline = Date.now() + 60_000;
    expect(await code(pool.submit({ circuitId: circuit.id, inputs: [[Number.NaN]] }, { deadline }))).toBe(
      'BAD_INPUT',
    );
    expect(await code(pool.submit({ circuitId: 'f'.repeat(64), inputs: [] }, { deadline }))).toBe(
      'UNSUPPORTED_JOB',
    );
    const slice = {
      circuitId: circuit.id,
      inputs: circuit.generateInput(),
      slice: { index: 0, inputs: [['1']] },
    };
    expect(await code(pool.submit(slice, { deadline }))).toBe('UNSUPPORTED_JOB');
    const late = { circuitId: circuit.id, inputs: circuit.generateInput() };
    expect(await code(pool.submit(late, { deadline: Date.now() + 5 }))).toBe('DEADLINE_PASSED');
    await pool.close();
  }, 120_000);

  it('sizes itself to the machine: one proof at a time up to 15 cores, as the prover uses them all', () => {
    expect([1, 2, 8, 15, 16, 64].map((c) => defaultConcurrency(c))).toEqual([1, 1, 1, 1, 2, 8]);
  });
});
