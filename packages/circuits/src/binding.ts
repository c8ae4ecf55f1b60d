import { decodeProof } from './proof-hex.js';
import { type PublicValue, readPublicSignal } from './public-values.js';

/** Why a proof was not accepted for the verifier's own inputs. */
export type BindingFailure = 'MALFORMED' | 'INPUT_MISMATCH';

export type ProofBinding =
  | {
      ok: true;
      proof: Uint8Array;
      /** The verifier's own quantized inputs (never the prover's): what the proof is then checked against. */
      inputs: readonly (readonly PublicValue[])[];
      /** The outputs the proof claims, flat in circuit order, canonical. */
      outputs: PublicValue[];
    }
  | { ok: false; reason: BindingFailure; detail: string };

/**
 * Input binding: accepts an encoded proof (hex bytes and the flat wire signals) only as a proof on *the verifier's
 * own* quantized inputs. The leading signals must equal `ownInputs` (flattened, compared as field elements, so hex
 * or wrapped spellings of the same values pass); at least one output must follow. The result carries `ownInputs`,
 * never the prover's copy, so the verification that follows checks the proof against what the verifier asked.
 * The one place miners' and validators' proofs are decoded and bound (validator loop, inference API, client).
 */
export function bindProof(
  ownInputs: readonly (readonly PublicValue[])[],
  encoded: { proof: string; publicSignals: readonly string[] },
): ProofBinding {
  const expected = ownInputs.flat();
  for (const value of expected) {
    if (readPublicSignal(value) !== value)
      throw new TypeError(`own quantized input ${value} is not canonical`);
  }
  const signals = encoded.publicSignals.map(readPublicSignal);
  if (signals.some((s) => s === null)) return fail('MALFORMED', 'a public signal is not a field element');
  if (signals.length <= expected.length) {
    return fail('MALFORMED', `${signals.length} public signals, need ${expected.length} inputs plus outputs`);
  }
  const mismatch = expected.findIndex((value, i) => signals[i] !== value);
  if (mismatch !== -1) return fail('INPUT_MISMATCH', `public input ${mismatch} differs from the input sent`);
  let proof: Uint8Array;
  try {
    proof = decodeProof(encoded.proof);
  } catch (err) {
    return fail('MALFORMED', (err as Error).message);
  }
  return { ok: true, proof, inputs: ownInputs, outputs: signals.slice(expected.length) as PublicValue[] };
}

function fail(reason: BindingFailure, detail: string): ProofBinding {
  return { ok: false, reason, detail };
}
