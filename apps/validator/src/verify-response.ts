import { bindProof, type PublicValue } from '@omron/circuits';
import { decodeProofPayload } from '@omron/protocol';
import type { PublicValues, QueryResult, ValidatorCircuit } from './ports.js';

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
  | { ok: true; proof: Uint8Array; publicValues: PublicValues; proofSizeBytes: number }
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
  return bindPayload(result.output, circuitId, ownInputs);
}

/**
 * The payload half of the binding: a proof payload (JSON text) accepted only for this circuit on the validator's
 * own inputs. Used for miners' answers (after the transport checks above) and for proofs someone already holds.
 */
export function bindPayload(
  output: string,
  circuitId: string,
  ownInputs: readonly (readonly PublicValue[])[],
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
 * Binds then verifies one response. A verifier that throws (bad proof bytes, wrong length) is a failed proof,
 * never a crash of the step.
 */
export async function verifyResponse(
  circuit: ValidatorCircuit,
  ownInputs: readonly (readonly PublicValue[])[],
  result: QueryResult,
): Promise<Verdict> {
  return verifyBinding(circuit, bindResponse(result, circuit.id, ownInputs));
}

/** Binds then verifies a proof payload someone holds (no transport to check): the same rules as a miner's answer. */
export async function verifyPayload(
  circuit: ValidatorCircuit,
  ownInputs: readonly (readonly PublicValue[])[],
  output: string,
): Promise<Verdict> {
  return verifyBinding(circuit, bindPayload(output, circuit.id, ownInputs));
}

async function verifyBinding(circuit: ValidatorCircuit, binding: Binding): Promise<Verdict> {
  if (!binding.ok) return { verified: false, reason: binding.reason, detail: binding.detail };
  try {
    const valid = await circuit.verify(binding.proof, binding.publicValues);
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
