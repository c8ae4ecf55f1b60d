import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeProof } from '@omron/circuits';
import { encodeProofPayload } from '@omron/protocol';
import type { MinerTarget, PublicValues, QueryMiner, QueryResult, ValidatorCircuit } from '../ports.js';

/**
 * A stand-in circuit for loop tests: the "proof" is sha256 over the circuit id and the exact public values, so it
 * checks really fail for another input or another output, though it proves nothing about a computation. Its
 * "model" doubles each input (scale 2^13). End-to-end tests use real halo2 circuits instead.
 */
export function commitmentCircuit(id = 'c'.repeat(64), size = 4): ValidatorCircuit {
  const quantize = (inputs: number[][]) => inputs.map((row) => row.map((x) => String(Math.round(x * 8192))));
  return {
    id,
    name: 'commitment',
    timeoutS: 5,
    benchmarkWeight: 1,
    generateInput: (rng) => [Array.from({ length: size }, () => rng())],
    quantizeInputs: quantize,
    async verify(proof, values) {
      return Buffer.from(proof).equals(commitment(id, values));
    },
  };
}

function commitment(id: string, values: PublicValues): Buffer {
  const flat = [...values.inputs.flat(), ...values.outputs];
  return createHash('sha256')
    .update(JSON.stringify([id, flat]))
    .digest();
}

/** `unsigned`: an honest proof whose answer the dendrite could not tie to the miner's hotkey (changed on the way). */
export type Behavior = 'honest' | 'wrong-input' | 'garbage' | 'silent' | 'unsigned';

/** Answers like a miner of {@link commitmentCircuit} would, after `delayMs`, timed like the dendrite times it. */
export function commitmentMiners(
  circuit: ValidatorCircuit,
  behaviors: Record<number, { behavior: Behavior; delayMs?: number }>,
  onRequest?: (target: MinerTarget, inputs: number[][]) => void,
): QueryMiner {
  return async (target, request, _timeoutS, signal) => {
    onRequest?.(target, request.inputs);
    const start = performance.now();
    const { behavior, delayMs = 0 } = behaviors[target.uid] ?? { behavior: 'silent' };
    await sleep(delayMs, undefined, signal ? { signal } : {});
    const done = (output: string | null, statusCode = 200): QueryResult => ({
      statusCode,
      statusMessage: statusCode === 200 ? 'Success' : 'timeout',
      processTimeS: (performance.now() - start) / 1000,
      output,
      responseSignature: statusCode !== 200 ? null : behavior === 'unsigned' ? 'invalid' : 'valid',
    });
    if (behavior === 'silent') return done(null, 408);
    const inputs =
      behavior === 'wrong-input' ? request.inputs.map((r) => r.map((x) => x / 2)) : request.inputs;
    const own = circuit.quantizeInputs(inputs);
    const outputs = own.flat().map((v) => String(BigInt(v) * 2n));
    const proof =
      behavior === 'garbage'
        ? Buffer.from('not a proof at all')
        : commitment(request.modelId, { inputs: own, outputs });
    return done(
      encodeProofPayload({
        format_version: 1,
        model_id: request.modelId,
        proof_system: 'sha256-commitment',
        proof: encodeProof(proof),
        public_signals: [...own.flat(), ...outputs],
        public_inputs: inputs,
        outputs: outputs.map((v) => Number(v) / 8192),
      }),
    );
  };
}
