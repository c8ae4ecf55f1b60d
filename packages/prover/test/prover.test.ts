import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ProveProgress, ProverError, quantizeInputs, verify } from '../src/index.js';
import { inputsFor, MODELS, type Rig, rig } from './fixtures.js';

async function reference(name: string, input: number[], shape: readonly number[]): Promise<number[]> {
  const session = await ort.InferenceSession.create(readFileSync(join(MODELS, `${name}.onnx`)));
  const feeds = {
    [session.inputNames[0] as string]: new ort.Tensor('float32', Float32Array.from(input), [...shape]),
  };
  const out = await session.run(feeds);
  return Array.from(out[session.outputNames[0] as string]?.data as Float32Array);
}

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  const worst = Math.max(...actual.map((y, i) => Math.abs(y - (expected[i] ?? Number.NaN))));
  expect(worst).toBeLessThan(tolerance);
}

describe('MLP 784→32→10 through the addon', () => {
  let mlp: Rig;
  beforeAll(async () => {
    mlp = await rig('mlp');
  }, 60_000);

  it('proves and verifies; outputs match onnxruntime; public inputs are the quantized inputs', async () => {
    const inputs = inputsFor(mlp.model, 7);
    const result = await mlp.prover.prove(inputs);
    expect(await mlp.verifier.verify(result.proof, result.publicInputs)).toBe(true);
    expect(result.publicInputs.inputs).toEqual(quantizeInputs(mlp.model.settings, inputs));
    const expected = await reference('mlp', inputs[0] ?? [], mlp.model.settings.inputShapes[0] ?? []);
    expect(result.outputs[0]).toHaveLength(10);
    expectClose(result.outputs[0] ?? [], expected, 1e-2);
    expect(result.timings.proveMs).toBeGreaterThan(0);
    expect(
      await verify(mlp.keys.verifyingKey, mlp.model.settings, result.proof, result.publicInputs, mlp.srs),
    ).toBe(true);
  });

  it('rejects a proof checked against other inputs, other outputs or tampered bytes', async () => {
    const result = await mlp.prover.prove(inputsFor(mlp.model, 8));
    const other = quantizeInputs(mlp.model.settings, inputsFor(mlp.model, 9));
    expect(await mlp.verifier.verify(result.proof, { ...result.publicInputs, inputs: other })).toBe(false);
    const outputs = result.publicInputs.outputs.map((o) =>
      o.map((v, i) => (i === 0 ? String(BigInt(v) + 1n) : v)),
    );
    expect(await mlp.verifier.verify(result.proof, { ...result.publicInputs, outputs })).toBe(false);
    const tampered = Uint8Array.from(result.proof);
    tampered[tampered.length - 40] = (tampered[tampered.length - 40] ?? 0) ^ 1;
    const tamperedOk = await mlp.verifier
      .verify(tampered, result.publicInputs)
      .catch((e: ProverError) => e.code);
    expect([false, 'BAD_PROOF_FORMAT']).toContain(tamperedOk);
    await expect(
      mlp.verifier.verify(result.proof.subarray(0, 20), result.publicInputs),
    ).rejects.toMatchObject({
      code: 'BAD_PROOF_FORMAT',
    });
    expect(() => mlp.verifier.verifySync(result.proof, { inputs: [['0.5']], outputs: [] })).toThrow(
      ProverError,
    );
  });

  it('carries public values as exact canonical decimal strings and refuses any other spelling or value', async () => {
    const result = await mlp.prover.prove(inputsFor(mlp.model, 10));
    const values = [...result.publicInputs.inputs.flat(), ...result.publicInputs.outputs.flat()];
    expect(values.every((v) => /^(?:0|-?[1-9][0-9]*)$/.test(v))).toBe(true);
    // Off by one in a single input value (the binding a validator relies on): refused.
    const inputs = result.publicInputs.inputs.map((row, r) =>
      row.map((v, i) => (r === 0 && i === 3 ? String(BigInt(v) + 1n) : v)),
    );
    expect(await mlp.verifier.verify(result.proof, { ...result.publicInputs, inputs })).toBe(false);
    // Another spelling of the same integer is not a second representation: INVALID_INPUT, not a verdict.
    const first = result.publicInputs.outputs[0]?.[0] ?? '0';
    const spelled = first.startsWith('-') ? `-0${first.slice(1)}` : `+${first}`;
    for (const bad of [spelled, '9223372036854775808', '-0', '', '1e3']) {
      const outputs = result.publicInputs.outputs.map((o, r) =>
        o.map((v, i) => (r === 0 && i === 0 ? bad : v)),
      );
      await expect(
        mlp.verifier.verify(result.proof, { ...result.publicInputs, outputs }),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    }
  });

  it('reports progress in order, all before the result', async () => {
    const events: ProveProgress[] = [];
    await mlp.prover.prove(inputsFor(mlp.model), { onProgress: (p) => events.push(p) });
    expect(events.map((e) => e.stage)).toEqual(['witness', 'prove', 'done']);
    expect(events.at(-1)?.fraction).toBe(1);
  });

  it('keeps the event loop responsive while proving', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    await mlp.prover.prove(inputsFor(mlp.model));
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // A blocked loop would fire at most once; a free one about every 10 ms.
    expect(ticks).toBeGreaterThan(Math.min(20, elapsed / 40));
  });

  it('runs concurrent proofs safely, each binding its own inputs', async () => {
    const sets = [1, 2, 3].map((seed) => inputsFor(mlp.model, seed));
    const results = await Promise.all(sets.map((inputs) => mlp.prover.prove(inputs)));
    for (const [i, result] of results.entries()) {
      expect(result.publicInputs.inputs).toEqual(quantizeInputs(mlp.model.settings, sets[i] ?? []));
      expect(await mlp.verifier.verify(result.proof, result.publicInputs)).toBe(true);
    }
  });

  it('rejects an aborted proof with an AbortError (during and before the call)', async () => {
    const controller = new AbortController();
    const proof = mlp.prover.prove(inputsFor(mlp.model), {
      signal: controller.signal,
      onProgress: (p) => p.stage === 'prove' && controller.abort(),
    });
    await expect(proof).rejects.toMatchObject({ code: 'CANCELLED', name: 'AbortError' });
    await expect(
      mlp.prover.prove(inputsFor(mlp.model), { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(ProverError);
  });

  it('gives typed errors for bad inputs', async () => {
    const good = inputsFor(mlp.model)[0] ?? [];
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: ProverError) => e.code,
      );
    expect(await code(mlp.prover.prove([good.slice(1)]))).toBe('SHAPE_MISMATCH');
    expect(await code(mlp.prover.prove([good, good]))).toBe('SHAPE_MISMATCH');
    expect(await code(mlp.prover.prove([good.map((v, i) => (i === 3 ? Number.NaN : v))]))).toBe(
      'INVALID_INPUT',
    );
    expect(await code(mlp.prover.prove([good.map((v, i) => (i === 3 ? 1e9 : v))]))).toBe(
      'INPUT_OUT_OF_RANGE',
    );
    expect(await code(mlp.prover.prove([good.map((v, i) => (i === 3 ? 'x' : v)) as number[]]))).toBe(
      'INVALID_INPUT',
    );
    expect(() => quantizeInputs(mlp.model.settings, [[1, 2]])).toThrow(
      expect.objectContaining({ code: 'SHAPE_MISMATCH' }),
    );
  });
});

describe('other test models', () => {
  it.each(['cnn', 'sigmoid_tanh'])(
    '%s proves and verifies, close to onnxruntime',
    async (name) => {
      const r = await rig(name);
      const inputs = inputsFor(r.model, 3);
      const result = await r.prover.prove(inputs);
      expect(await r.verifier.verify(result.proof, result.publicInputs)).toBe(true);
      const expected = await reference(name, inputs[0] ?? [], r.model.settings.inputShapes[0] ?? []);
      expectClose(result.outputs[0] ?? [], expected, 2e-2);
    },
    60_000,
  );
});
