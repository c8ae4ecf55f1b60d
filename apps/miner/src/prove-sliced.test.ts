import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CircuitStore, readMetadataFile } from '@omron/circuits';
import { EmbeddedPool, isPoolError, type JobProver, PoolError, storeJobProver } from '@omron/pool';
import { decodeProofPayload } from '@omron/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { proveRequest } from './prove-request.js';

// A sliced circuit through the miner's request path and a real embedded pool: the test CNN in 3 slices.
const SLICES = 3;
let prover: CircuitStore;
let verifier: CircuitStore;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'omron-miner-sliced-'));
  const cnn = await readMetadataFile(
    resolve(import.meta.dirname, '../../../packages/circuits/circuits/cnn.json'),
  );
  await mkdir(join(dir, 'circuits'));
  await writeFile(
    join(dir, 'circuits', 'cnn_sliced.json'),
    JSON.stringify({
      name: 'cnn_sliced',
      description: 'The test CNN in slices',
      model: { path: cnn.modelPath, sha256: cnn.model.sha256 },
      compile: cnn.compile,
      inputs: cnn.inputs,
      slices: SLICES,
    }),
  );
  const options = { cacheDir: join(dir, 'cache'), metadataDir: join(dir, 'circuits') };
  prover = await CircuitStore.open({ role: 'prover', ...options });
  verifier = await CircuitStore.open({ role: 'verifier', ...options });
}, 300_000);

function poolOf(jobProver: JobProver) {
  return new EmbeddedPool({ prover: jobProver, concurrency: 2, maxLength: 16 });
}

describe('a sliced circuit through the miner', () => {
  it('answers one chain payload (v2) of all slices that verifies on the own inputs', async () => {
    const circuit = prover.list()[0]!;
    const pool = poolOf(storeJobProver(prover, 'embedded'));
    const inputs = circuit.generateInput();
    const outcome = await proveRequest(
      { store: prover, pool },
      {
        queryInput: { model_id: circuit.id, public_inputs: inputs },
        priority: 0,
        deadline: Date.now() + 120_000,
      },
    );
    await pool.close();
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const payload = decodeProofPayload(outcome.queryOutput);
    expect(payload.format_version).toBe(2);
    if (payload.format_version !== 2) return;
    expect(payload.slices).toHaveLength(SLICES);
    const v = verifier.verifier(circuit.id);
    const own = v.expectedPublicInputs(inputs);
    const settings = circuit.slices!;
    const chain = payload.slices.map((s, i) => {
      const nIn = settings[i]!.input_shapes.reduce((n, sh) => n + sh.reduce((a, b) => a * b, 1), 0);
      const signals = s.public_signals.map(String);
      return {
        proof: Uint8Array.from(Buffer.from(s.proof.slice(2), 'hex')),
        publicInputs: { inputs: [signals.slice(0, nIn)], outputs: [signals.slice(nIn)] },
      };
    });
    const claimed = chain.at(-1)!.publicInputs.outputs;
    expect(await v.verifyChain(chain, { inputs: own, outputs: claimed })).toBe(true);
    expect(payload.outputs).toHaveLength(claimed.flat().length);
  }, 300_000);

  it('fails the whole request when one slice fails, cancelling the others; no partial chain', async () => {
    const circuit = prover.list()[0]!;
    const inner = storeJobProver(prover, 'embedded');
    const started: number[] = [];
    const proved: number[] = [];
    const pool = poolOf({
      circuitIds: () => inner.circuitIds(),
      async prove(job, signal) {
        started.push(job.slice!.index);
        if (job.slice?.index === 1) throw new PoolError('PROVE_FAILED', 'worker lost its proving key');
        const result = await inner.prove(job, signal);
        proved.push(job.slice!.index);
        return result;
      },
    });
    const err = await proveRequest(
      { store: prover, pool },
      {
        queryInput: { model_id: circuit.id, public_inputs: circuit.generateInput() },
        priority: 0,
        deadline: Date.now() + 120_000,
      },
    ).catch((e: unknown) => e);
    expect(isPoolError(err) && err.code).toBe('PROVE_FAILED');
    expect((err as Error).message).toMatch(/^slice 1 of 3: .*worker lost its proving key/);
    // The failure cancelled the slices already proving or waiting: none of them ran to a proof.
    expect(started).toContain(1);
    expect(proved).toEqual([]);
    expect(await pool.stats()).toMatchObject({ waiting: 0, active: 0 });
    await pool.close();
  }, 120_000);

  it('one deadline covers all slice jobs; bad inputs are refused before any job', async () => {
    const circuit = prover.list()[0]!;
    const pool = poolOf(storeJobProver(prover, 'embedded'));
    const deps = { store: prover, pool };
    const late = await proveRequest(deps, {
      queryInput: { model_id: circuit.id, public_inputs: circuit.generateInput() },
      priority: 0,
      deadline: Date.now() + 300,
    });
    expect(late).toMatchObject({ ok: false, reason: 'deadline' });
    const bad = await proveRequest(deps, {
      queryInput: { model_id: circuit.id, public_inputs: [[1, 2, 3]] },
      priority: 0,
      deadline: Date.now() + 60_000,
    });
    expect(bad).toMatchObject({ ok: false, status: 400, reason: 'bad-input' });
    expect(await pool.stats()).toMatchObject({ waiting: 0, active: 0 });
    await pool.close();
  }, 120_000);
});
