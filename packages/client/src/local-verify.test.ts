import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { compileModel, developmentSrs, Prover, setup } from '@omron/prover';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CircuitArtifacts, LocalVerifier } from './local-verify.js';
import type { InferAnswer } from './types.js';

/** A real proof of the small sigmoid/tanh model, checked the way a client checks a validator's answer. */
const MODEL = new URL('../../../tooling/models/sigmoid_tanh.onnx', import.meta.url);

let artifacts: CircuitArtifacts;
let answer: InferAnswer;
let inputs: number[][];

beforeAll(async () => {
  const model = await compileModel(await readFile(MODEL), { inputScale: 13, paramScale: 13 });
  const srs = await developmentSrs(model.settings.k);
  const { provingKey, verifyingKey } = await setup(model, srs);
  const prover = await Prover.create(model, provingKey, srs);
  inputs = [Array.from({ length: 16 }, (_, i) => Math.sin(i) * 0.9)];
  const result = await prover.prove(inputs);
  const vk = verifyingKey.toBytes();
  const id = createHash('sha256').update(vk).digest('hex');
  artifacts = { id, verifyingKey: vk, settingsJson: model.settings.json };
  const scale = 2 ** model.settings.scales.output;
  answer = {
    circuit: { id, name: 'sigmoid_tanh' },
    outputs: result.publicInputs.outputs.map((o) => o.map((q) => Number(q) / scale)),
    proof: `0x${Buffer.from(result.proof).toString('hex')}`,
    publicSignals: [...result.publicInputs.inputs.flat(), ...result.publicInputs.outputs.flat()].map(String),
    miner: { uid: 1, hotkey: '5x' },
    verified: true,
    timings: { totalMs: 1, minerMs: 1, verifyMs: 1, attempts: 1 },
    skipped: [],
  };
}, 120_000);

const verifier = new LocalVerifier();
const failure = { code: 'LOCAL_VERIFY_FAILED' };

describe('LocalVerifier', () => {
  it('accepts a real answer for our inputs', async () => {
    await expect(verifier.verify(answer, inputs, artifacts)).resolves.toBeUndefined();
  });

  it('refuses it for other inputs, changed outputs, a changed proof byte or a key that is not the circuit id', async () => {
    const other = [inputs[0]!.map((x) => x / 2)];
    await expect(verifier.verify(answer, other, artifacts)).rejects.toMatchObject(failure);
    const outputs = answer.outputs.map((o) => o.map((v, i) => (i === 0 ? v + 1 : v)));
    await expect(verifier.verify({ ...answer, outputs }, inputs, artifacts)).rejects.toMatchObject(failure);
    const signals = [...answer.publicSignals];
    signals[signals.length - 1] = String(BigInt(signals.at(-1)!) + 1n);
    await expect(
      verifier.verify({ ...answer, publicSignals: signals }, inputs, artifacts),
    ).rejects.toMatchObject({
      code: 'LOCAL_VERIFY_FAILED',
      message: expect.stringMatching(/does not verify|outputs/),
    });
    const offByOne = [...answer.publicSignals];
    offByOne[0] = String(BigInt(offByOne[0]!) + 1n);
    await expect(
      verifier.verify({ ...answer, publicSignals: offByOne }, inputs, artifacts),
    ).rejects.toMatchObject({
      code: 'LOCAL_VERIFY_FAILED',
      message: expect.stringMatching(/not our quantized input/),
    });
    const proof = `${answer.proof.slice(0, 300)}${answer.proof[300] === 'a' ? 'b' : 'a'}${answer.proof.slice(301)}`;
    await expect(verifier.verify({ ...answer, proof }, inputs, artifacts)).rejects.toMatchObject(failure);
    const vk = Uint8Array.from(artifacts.verifyingKey);
    vk[vk.length - 1] = vk[vk.length - 1]! ^ 1;
    await expect(verifier.verify(answer, inputs, { ...artifacts, verifyingKey: vk })).rejects.toMatchObject({
      code: 'LOCAL_VERIFY_FAILED',
      message: expect.stringMatching(/hashes to/),
    });
  });
});
