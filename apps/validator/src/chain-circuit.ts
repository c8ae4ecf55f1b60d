import type { ChainVerifier, ModelSettings } from '@omron/prover';
import { BN254_FR_MODULUS, toFieldElement } from './field.js';
import type { ChainLink, PublicValues, ValidatorCircuit } from './ports.js';

/** A field element back to the prover's signed integer, as decimal text (exact). */
function signed(element: bigint): string {
  return (element > BN254_FR_MODULUS / 2n ? element - BN254_FR_MODULUS : element).toString();
}

const lengths = (shapes: readonly (readonly number[])[]) => shapes.map((s) => s.reduce((a, b) => a * b, 1));

/** Splits flat values into tensors of the given shapes; null when the total differs. */
function split(flat: readonly bigint[], shapes: readonly (readonly number[])[]): string[][] | null {
  const sizes = lengths(shapes);
  if (sizes.reduce((a, b) => a + b, 0) !== flat.length) return null;
  let at = 0;
  return sizes.map((n) => {
    const part = flat.slice(at, at + n).map(signed);
    at += n;
    return part;
  });
}

/**
 * The chain half of a sliced circuit for the validator: each slice's input count (for the binding) and chain
 * verification with the slices' verifying keys, in the prover's exact integer representation.
 */
export function chainVerification(
  verifier: ChainVerifier,
  settings: readonly ModelSettings[],
): Required<Pick<ValidatorCircuit, 'sliceInputLengths' | 'verifyChain'>> {
  return {
    sliceInputLengths: settings.map((s) => lengths(s.inputShapes).reduce((a, b) => a + b, 0)),
    async verifyChain(chain: readonly ChainLink[], publicValues: PublicValues): Promise<boolean> {
      const parts = [];
      for (const [i, link] of chain.entries()) {
        const s = settings[i];
        if (s === undefined) return false;
        const inputs = split(link.inputs, s.inputShapes);
        const outputs = split(link.outputs, s.outputShapes);
        if (inputs === null || outputs === null) return false;
        parts.push({ proof: link.proof, publicInputs: { inputs, outputs } });
      }
      const last = settings.at(-1);
      const claimed = last === undefined ? null : split(publicValues.outputs, last.outputShapes);
      if (claimed === null) return false;
      const own = [];
      for (const row of publicValues.inputs) {
        const elements = row.map(toFieldElement);
        if (elements.some((e) => e === null)) return false;
        own.push((elements as bigint[]).map(signed));
      }
      return verifier.verify(parts, { inputs: own, outputs: claimed });
    },
  };
}
