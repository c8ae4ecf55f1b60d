import { type ChainProofPayload, decodeProofPayload } from '@omron/protocol';
import { toFieldElement } from './field.js';
import type { ChainLink, FieldValue, PublicValues, QueryResult, ValidatorCircuit } from './ports.js';

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
 * inputs. The payload's leading public signals must equal `ownInputs` (flattened, compared as field elements);
 * the signals after them are the outputs the proof attests to. Anything else (another circuit, another input, a
 * malformed or missing payload) is a failure with a reason. A 200 answer whose signature the dendrite could not
 * verify against the miner's hotkey is `RESPONSE_UNSIGNED`, scored like no response.
 *
 * The returned `publicValues` carry the validator's inputs, never the miner's, so verification itself checks
 * the proof against what the validator asked.
 */
export function bindResponse(
  result: QueryResult,
  circuitId: string,
  ownInputs: readonly (readonly FieldValue[])[],
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
  ownInputs: readonly (readonly FieldValue[])[],
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
  const expected = ownElements(ownInputs);
  if (payload.format_version === 2) return bindChain(payload, expected, ownInputs, sliceInputLengths);
  const signals = payload.public_signals.map(toFieldElement);
  if (signals.some((s) => s === null))
    return fail('MALFORMED_PAYLOAD', 'a public signal is not a field element');
  if (signals.length <= expected.length) {
    return fail(
      'MALFORMED_PAYLOAD',
      `${signals.length} public signals, need ${expected.length} inputs plus outputs`,
    );
  }
  const mismatch = expected.findIndex((value, i) => signals[i] !== value);
  if (mismatch !== -1) return fail('INPUT_MISMATCH', `public input ${mismatch} differs from the input sent`);
  const proof = Buffer.from(payload.proof.slice(2), 'hex');
  if (proof.length === 0) return fail('MALFORMED_PAYLOAD', 'empty proof');
  const outputs = signals.slice(expected.length) as bigint[];
  return {
    ok: true,
    proof: new Uint8Array(proof),
    publicValues: { inputs: ownInputs, outputs },
    proofSizeBytes: proof.length,
  };
}

function ownElements(ownInputs: readonly (readonly FieldValue[])[]): bigint[] {
  return ownInputs.flat().map((value) => {
    const element = toFieldElement(value);
    if (element === null) throw new TypeError(`own quantized input ${String(value)} is not an integer`);
    return element;
  });
}

/**
 * The chain half of the binding (payload version 2): one proof per slice of a sliced circuit. Slice 0's inputs
 * must be the validator's own, each slice's outputs exactly the next slice's inputs; the last slice's outputs are
 * the claimed outputs. The proof size is the chain's total.
 */
function bindChain(
  payload: ChainProofPayload,
  expected: readonly bigint[],
  ownInputs: readonly (readonly FieldValue[])[],
  sliceInputLengths: readonly number[] | undefined,
): Binding {
  if (sliceInputLengths === undefined)
    return fail('WRONG_CIRCUIT', 'a chain of slice proofs for a circuit that is not sliced');
  if (payload.slices.length !== sliceInputLengths.length) {
    return fail(
      'MALFORMED_PAYLOAD',
      `${payload.slices.length} slice proofs, the circuit has ${sliceInputLengths.length} slices`,
    );
  }
  const chain: ChainLink[] = [];
  for (const [i, slice] of payload.slices.entries()) {
    const signals = slice.public_signals.map(toFieldElement);
    if (signals.some((s) => s === null))
      return fail('MALFORMED_PAYLOAD', `slice ${i}: a public signal is not a field element`);
    const inputLength = sliceInputLengths[i] as number;
    if (signals.length <= inputLength) {
      return fail(
        'MALFORMED_PAYLOAD',
        `slice ${i}: ${signals.length} public signals, need ${inputLength} inputs plus outputs`,
      );
    }
    const proof = Buffer.from(slice.proof.slice(2), 'hex');
    if (proof.length === 0) return fail('MALFORMED_PAYLOAD', `slice ${i}: empty proof`);
    const inputs = signals.slice(0, inputLength) as bigint[];
    if (i === 0) {
      const mismatch = expected.findIndex((value, j) => inputs[j] !== value);
      if (mismatch !== -1 || inputs.length !== expected.length) {
        return fail('INPUT_MISMATCH', `public input ${Math.max(mismatch, 0)} differs from the input sent`);
      }
    } else {
      const before = (chain[i - 1] as ChainLink).outputs;
      if (before.length !== inputs.length || before.some((value, j) => inputs[j] !== value)) {
        return fail('PROOF_INVALID', `slice ${i}'s inputs are not slice ${i - 1}'s outputs`);
      }
    }
    chain.push({ proof: new Uint8Array(proof), inputs, outputs: signals.slice(inputLength) as bigint[] });
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
  ownInputs: readonly (readonly FieldValue[])[],
  result: QueryResult,
): Promise<Verdict> {
  return verifyBinding(circuit, bindResponse(result, circuit.id, ownInputs, circuit.sliceInputLengths));
}

/** Binds then verifies a proof payload someone holds (no transport to check): the same rules as a miner's answer. */
export async function verifyPayload(
  circuit: ValidatorCircuit,
  ownInputs: readonly (readonly FieldValue[])[],
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
