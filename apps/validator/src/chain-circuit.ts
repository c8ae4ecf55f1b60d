import { splitByShapes } from '@omron/circuits';
import type { ChainVerifier, ModelSettings } from '@omron/prover';
import type { ChainLink, PublicValues, ValidatorCircuit } from './ports.js';

const total = (shapes: readonly (readonly number[])[]) =>
  shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);

/**
 * The chain half of a sliced circuit for the validator: each slice's input count (for the binding) and chain
 * verification with the slices' verifying keys, on the exact canonical values the binding produced.
 */
export function chainVerification(
  verifier: Pick<ChainVerifier, 'verify'>,
  settings: readonly Pick<ModelSettings, 'inputShapes' | 'outputShapes'>[],
): Required<Pick<ValidatorCircuit, 'sliceInputLengths' | 'verifyChain'>> {
  return {
    sliceInputLengths: settings.map((s) => total(s.inputShapes)),
    async verifyChain(chain: readonly ChainLink[], publicValues: PublicValues): Promise<boolean> {
      const parts = [];
      for (const [i, link] of chain.entries()) {
        const s = settings[i];
        if (s === undefined) return false;
        const inputs = splitByShapes(link.inputs, s.inputShapes);
        const outputs = splitByShapes(link.outputs, s.outputShapes);
        if (inputs === null || outputs === null) return false;
        parts.push({ proof: link.proof, publicInputs: { inputs, outputs } });
      }
      const last = settings.at(-1);
      const claimed = last === undefined ? null : splitByShapes(publicValues.outputs, last.outputShapes);
      if (claimed === null) return false;
      return verifier.verify(parts, { inputs: publicValues.inputs, outputs: claimed });
    },
  };
}
