import { bindProof, type PublicValue } from '@omron/circuits';
import { type ChainProofPayload, decodeProofPayload } from '@omron/protocol';
import type { ChainLink, PublicValues, QueryResult, ValidatorCircuit } from './ports.js';

/** Why a response earned nothing. Stable: shown on the dashboard and counted in metrics. */
export type FailureReason =
  | 'NO_RESPONSE'
  | 'RESPONSE_UNSIGNED'
  | 'MALFORMED_PAYLOAD'
  | 'WRONG_CIRCUIT'
  | 'INPUT_MISMATCH'
  | 'PROOF_INVALID'
  | 'VERIFY_ERROR';

export type Binding =
  | {
      ok: true;
      proof: Uint8Array;
      publicValues: PublicValues;
      proofSizeBytes: number;
      /** Set for a chain of slice proofs (payload version 2); `proof` is then the first slice's. */
      chain?: ChainLink[];
    }
  | { ok: false; reason: FailureReason; detail: string };

export type Verdict =
  | { verified: true; proofSizeBytes: number }
  | { verified: false; reason: FailureReason; detail: string };

function fail(reason: FailureReason, detail: string): { ok: false; reason: FailureReason; detail: string } {
  return { ok: false, reason, detail };
}

/**
 * Input binding (pure): accepts a response only as a proof of *this* circuit on *the validator's own* quantized
 * inputs. The payload's leading public signals must equal `ownInputs` (flattened, compared as field elements, by
 * `bindProof` of `@omron/circuits`); the signals after them are the outputs the proof attests to. Anything else (another circuit, another input, a
 * malformed or missing payload) is a failure with a reason. A 200 answer whose signature the dendrite could not
 * verify against the miner's hotkey is `RESPONSE_UNSIGNED`, scored like no response.
 *
 * The returned `publicValues` carry the validator's inputs, never the miner's, so verification itself checks
 * the proof against what the validator asked.
 */
export function bindResponse(
  result: QueryResult,
  circuitId: string,
  ownInputs: readonly (readonly PublicValue[])[],
  sliceInputLengths?: readonly number[],
): Binding {
  if (result.statusCode === 200 && result.responseSignature !== 'valid') {
    // Anyone on the path could have written this answer: scored like no answer, counted apart.
    return fail(
      'RESPONSE_UNSIGNED',
      result.responseSignature === 'invalid'
        ? 'the response signature does not verify against the miner hotkey for this request'
        : 'the response carries no signature',
    );
  }
  if (result.statusCode !== 200 || result.output === null) {
    return fail(
      'NO_RESPONSE',
      `status ${result.statusCode}${result.statusMessage ? `: ${result.statusMessage}` : ''}`,
    );
  }
  return bindPayload(result.output, circuitId, ownInputs, sliceInputLengths);
}

/**
 * The payload half of the binding: a proof payload (JSON text) accepted only for this circuit on the validator's
 * own inputs. Used for miners' answers (after the transport checks above) and for proofs someone already holds.
 */
export function bindPayload(
  output: string,
  circuitId: string,
  ownInputs: readonly (readonly PublicValue[])[],
  sliceInputLengths?: readonly number[],
): Binding {
  let payload: ReturnType<typeof decodeProofPayload>;
  try {
    payload = decodeProofPayload(output);
  } catch (err) {
    return fail('MALFORMED_PAYLOAD', err instanceof Error ? err.message : String(err));
  }
  if (payload.model_id !== circuitId) {
    return fail(
      'WRONG_CIRCUIT',
      `proof is for circuit ${payload.model_id.slice(0, 16)}, asked ${circuitId.slice(0, 16)}`,
    );
  }
  if (payload.format_version === 2) return bindChain(payload, ownInputs, sliceInputLengths);
  const bound = bindProof(ownInputs, { proof: payload.proof, publicSignals: payload.public_signals });
  if (!bound.ok) return fail(bound.reason === 'MALFORMED' ? 'MALFORMED_PAYLOAD' : bound.reason, bound.detail);
  return {
    ok: true,
    proof: bound.proof,
    publicValues: { inputs: bound.inputs, outputs: bound.outputs },
    proofSizeBytes: bound.proof.length,
  };
}

/**
 * The chain half of the binding (payload version 2): one proof per slice of a sliced circuit, each bound with
 * `bindProof` — slice 0 to the validator's own inputs, slice i to exactly slice i−1's outputs (a mismatch there
 * is `PROOF_INVALID`), each boundary as long as the circuit's own slice says. The last slice's outputs are the
 * claimed outputs; the proof size is the chain's total.
 */
function bindChain(
  payload: ChainProofPayload,
  ownInputs: readonly (readonly PublicValue[])[],
  sliceInputLengths: readonly number[] | undefined,
): Binding {
  if (sliceInputLengths === undefined) {
    return fail('WRONG_CIRCUIT', 'a chain of slice proofs for a circuit that is not sliced');
  }
  if (payload.slices.length !== sliceInputLengths.length) {
    return fail(
      'MALFORMED_PAYLOAD',
      `${payload.slices.length} slice proofs, the circuit has ${sliceInputLengths.length} slices`,
    );
  }
  const chain: ChainLink[] = [];
  for (const [i, slice] of payload.slices.entries()) {
    const before = chain[i - 1];
    const inputs = before === undefined ? ownInputs : [before.outputs];
    if (before !== undefined && before.outputs.length !== sliceInputLengths[i]) {
      return fail(
        'MALFORMED_PAYLOAD',
        `slice ${i - 1} has ${before.outputs.length} outputs, slice ${i} takes ${sliceInputLengths[i]}`,
      );
    }
    const bound = bindProof(inputs, { proof: slice.proof, publicSignals: slice.public_signals });
    if (!bound.ok) {
      if (bound.reason === 'MALFORMED') return fail('MALFORMED_PAYLOAD', `slice ${i}: ${bound.detail}`);
      return before === undefined
        ? fail('INPUT_MISMATCH', bound.detail)
        : fail('PROOF_INVALID', `slice ${i}'s inputs are not slice ${i - 1}'s outputs: ${bound.detail}`);
    }
    chain.push({ proof: bound.proof, inputs: inputs.flat(), outputs: bound.outputs });
  }
  const last = chain.at(-1) as ChainLink;
  return {
    ok: true,
    proof: (chain[0] as ChainLink).proof,
    publicValues: { inputs: ownInputs, outputs: last.outputs },
    proofSizeBytes: chain.reduce((n, link) => n + link.proof.length, 0),
    chain,
  };
}

/**
 * Binds then verifies one response. A verifier that throws (bad proof bytes, wrong length) is a failed proof,
 * never a crash of the step.
 */
export async function verifyResponse(
  circuit: ValidatorCircuit,
  ownInputs: readonly (readonly PublicValue[])[],
  result: QueryResult,
): Promise<Verdict> {
  return verifyBinding(circuit, bindResponse(result, circuit.id, ownInputs, circuit.sliceInputLengths));
}

/** Binds then verifies a proof payload someone holds (no transport to check): the same rules as a miner's answer. */
export async function verifyPayload(
  circuit: ValidatorCircuit,
  ownInputs: readonly (readonly PublicValue[])[],
  output: string,
): Promise<Verdict> {
  return verifyBinding(circuit, bindPayload(output, circuit.id, ownInputs, circuit.sliceInputLengths));
}

async function verifyBinding(circuit: ValidatorCircuit, binding: Binding): Promise<Verdict> {
  if (!binding.ok) return { verified: false, reason: binding.reason, detail: binding.detail };
  try {
    const valid =
      binding.chain === undefined
        ? await circuit.verify(binding.proof, binding.publicValues)
        : await verifyChainOf(circuit, binding.chain, binding.publicValues);
    if (!valid) return { verified: false, reason: 'PROOF_INVALID', detail: 'the proof does not verify' };
    return { verified: true, proofSizeBytes: binding.proofSizeBytes };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : String(err);
    return {
      verified: false,
      reason: 'VERIFY_ERROR',
      detail: typeof code === 'string' ? `${code}: ${message}` : message,
    };
  }
}

function verifyChainOf(
  circuit: ValidatorCircuit,
  chain: ChainLink[],
  publicValues: PublicValues,
): Promise<boolean> {
  if (circuit.verifyChain === undefined) throw new TypeError(`circuit ${circuit.name} cannot verify chains`);
  return circuit.verifyChain(chain, publicValues);
}
