import type * as Binding from '../binding.cjs';
import { awaitNative, callNative } from './errors.js';
import { type ModelInputs, type PublicInputs, toNativeInputs, toNativePublicInputs } from './inputs.js';
import type { VerifyingKey } from './keys.js';
import { native } from './native.js';
import type { ModelSettings } from './settings.js';
import type { Srs } from './srs.js';

/**
 * Verifies proofs of one model with its verifying key, settings and an SRS only (no
 * proving key). Build it once, verify many proofs cheaply.
 *
 * @example
 * const verifier = Verifier.create(verifyingKey, settings, srs)
 * const ok = await verifier.verify(proof, { inputs: quantizeInputs(settings, myInputs), outputs })
 */
export class Verifier {
  private constructor(
    private readonly native: Binding.Verifier,
    readonly settings: ModelSettings,
  ) {}

  /** `MODEL_MISMATCH` if the key belongs to another model, `BAD_SRS` if the SRS is too small. */
  static create(verifyingKey: VerifyingKey, settings: ModelSettings, srs: Srs): Verifier {
    return new Verifier(
      callNative(() => native.createVerifier(verifyingKey.native, settings.json, srs.native)),
      settings,
    );
  }

  /**
   * `true` for a valid proof of exactly these public inputs, `false` otherwise. Malformed
   * proof bytes reject with `BAD_PROOF_FORMAT`, malformed public inputs with `INVALID_INPUT`.
   */
  async verify(proof: Uint8Array, publicInputs: PublicInputs): Promise<boolean> {
    const pub = toNativePublicInputs(publicInputs);
    return awaitNative(() => this.native.verify(proof, pub));
  }

  /** Verifies on the calling thread (milliseconds). */
  verifySync(proof: Uint8Array, publicInputs: PublicInputs): boolean {
    const pub = toNativePublicInputs(publicInputs);
    return callNative(() => this.native.verifySync(proof, pub));
  }
}

/** One-off verification; prefer a `Verifier` when checking many proofs of one model. */
export async function verify(
  verifyingKey: VerifyingKey,
  settings: ModelSettings,
  proof: Uint8Array,
  publicInputs: PublicInputs,
  srs: Srs,
): Promise<boolean> {
  return Verifier.create(verifyingKey, settings, srs).verify(proof, publicInputs);
}

/**
 * Quantizes real inputs exactly as the circuit does: the `inputs` a valid proof for them
 * carries (canonical decimal strings), so a validator binds a miner's proof to the inputs it sent.
 * `SHAPE_MISMATCH`, `INVALID_INPUT` or `INPUT_OUT_OF_RANGE` on bad inputs.
 */
export function quantizeInputs(settings: ModelSettings, inputs: ModelInputs): string[][] {
  const values = toNativeInputs(inputs);
  return callNative(() => native.quantizeInputs(settings.json, values));
}
