import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAIN_PAYLOAD_VERSION, encodeProofPayload } from '@omron/protocol';
import {
  ChainVerifier,
  compileSlices,
  developmentSrs,
  Prover,
  proveChain,
  quantizeInputs,
  type SlicedModel,
  type SliceProof,
  setup,
} from '@omron/prover';
import { beforeAll, describe, expect, it } from 'vitest';
import { chainVerification } from './chain-circuit.js';
import type { ValidatorCircuit } from './ports.js';
import { verifyPayload } from './verify-response.js';

const MODEL = new URL('../../../tooling/models/cnn.onnx', import.meta.url).pathname;
const ID = 'c'.repeat(64);

function chainPayload(chain: readonly SliceProof[], over: Record<string, unknown> = {}): string {
  return encodeProofPayload({
    format_version: CHAIN_PAYLOAD_VERSION,
    model_id: ID,
    proof_system: 'halo2-kzg-bn254',
    slices: chain.map((part) => ({
      proof: `0x${Buffer.from(part.proof).toString('hex')}`,
      public_signals: [...part.publicInputs.inputs.flat(), ...part.publicInputs.outputs.flat()],
    })),
    public_inputs: null,
    outputs: [],
    ...over,
  } as Parameters<typeof encodeProofPayload>[0]);
}

describe('the validator verifies chains of slice proofs (real 4-slice CNN)', () => {
  let sliced: SlicedModel;
  let provers: Prover[];
  let circuit: ValidatorCircuit;

  beforeAll(async () => {
    sliced = await compileSlices(readFileSync(MODEL), { slices: 4 });
    const srs = await developmentSrs(Math.max(...sliced.slices.map((s) => s.settings.k)), {
      cacheDir: join(tmpdir(), 'omron-prover-test-srs'),
    });
    const keys = await Promise.all(sliced.slices.map((s) => setup(s, srs)));
    provers = await Promise.all(sliced.slices.map((s, i) => Prover.create(s, keys[i]!.provingKey, srs)));
    const settings = sliced.slices.map((s) => s.settings);
    const verifier = ChainVerifier.create(
      keys.map((k) => k.verifyingKey),
      settings,
      srs,
    );
    circuit = {
      id: ID,
      name: 'cnn-sliced',
      timeoutS: 60,
      benchmarkWeight: 1,
      generateInput: () => [[]],
      quantizeInputs: (inputs) => quantizeInputs(settings[0]!, inputs),
      verify: async () => false,
      ...chainVerification(verifier, settings),
    };
  }, 300_000);

  it('accepts an honest chain bound to the own inputs, scored by the total proof size; rejects tampered ones', async () => {
    const input = [Array.from({ length: 64 }, (_, i) => Math.sin(i) / 2)];
    const own = circuit.quantizeInputs(input);
    const { chain } = await proveChain(provers, sliced, input);
    const total = chain.reduce((n, p) => n + p.proof.length, 0);
    expect(await verifyPayload(circuit, own, chainPayload(chain))).toEqual({
      verified: true,
      proofSizeBytes: total,
    });

    const other = circuit.quantizeInputs([input[0]!.map((x) => -x)]);
    expect(await verifyPayload(circuit, other, chainPayload(chain))).toMatchObject({
      reason: 'INPUT_MISMATCH',
    });
    const swapped = [chain[0]!, chain[2]!, chain[1]!, chain[3]!];
    expect(await verifyPayload(circuit, own, chainPayload(swapped))).toMatchObject({ verified: false });
    expect(await verifyPayload(circuit, own, chainPayload(chain.slice(0, 3)))).toMatchObject({
      reason: 'MALFORMED_PAYLOAD',
    });
    const reproven = await proveChain(provers, sliced, [input[0]!.map((x) => x / 2)]);
    const mixed = [chain[0]!, chain[1]!, reproven.chain[2]!, chain[3]!];
    expect(await verifyPayload(circuit, own, chainPayload(mixed))).toMatchObject({ reason: 'PROOF_INVALID' });
    // Same public values, a proof made for other values: the proof itself fails.
    const relabelled = [chain[0]!, chain[1]!, { ...chain[2]!, proof: reproven.chain[2]!.proof }, chain[3]!];
    expect(await verifyPayload(circuit, own, chainPayload(relabelled))).toMatchObject({
      reason: 'PROOF_INVALID',
    });
    // A single-proof (v1) payload is still read as before, and a chain for an unsliced circuit is refused.
    const unsliced: ValidatorCircuit = { ...circuit, sliceInputLengths: undefined } as ValidatorCircuit;
    expect(await verifyPayload(unsliced, own, chainPayload(chain))).toMatchObject({
      reason: 'WRONG_CIRCUIT',
    });
  }, 300_000);
});
