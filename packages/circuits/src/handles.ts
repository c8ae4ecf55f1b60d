import type {
  NativeProver,
  NativeVerifier,
  ProveProgress,
  ProveResult,
  ProverBackend,
  PublicInputs,
} from './backend.js';
import type { Circuit } from './circuit.js';
import { CircuitStoreError } from './errors.js';

/** Proves one circuit; the proving key stays in native memory. */
export interface CircuitProver {
  readonly circuit: Circuit;
  /**
   * Validates `inputs` against the circuit's schema (`INVALID_INPUT`), then proves off the JS thread.
   * An aborted `signal` rejects with the prover's abort error (`name === 'AbortError'`).
   */
  prove(
    inputs: unknown,
    options?: { signal?: AbortSignal; onProgress?: (p: ProveProgress) => void },
  ): Promise<ProveResult>;
}

/** Verifies proofs of one circuit with its verifying key (no proving key needed). */
export interface CircuitVerifier {
  readonly circuit: Circuit;
  /** True when `proof` is valid for exactly these public inputs and outputs. Never throws on bad bytes. */
  verify(proof: Uint8Array, publicInputs: PublicInputs): Promise<boolean>;
  /** The quantized public inputs a proof of `inputs` must carry (so a verifier binds proofs to its own request). */
  expectedPublicInputs(inputs: number[][]): PublicInputs['inputs'];
  /** The verifying key's bytes (`circuit.id` is their sha256), for anyone who wants to verify offline. */
  readonly verifyingKey: Uint8Array;
  /** The settings exactly as the prover serialised them (what `ModelSettings.parse` reads). */
  readonly settingsJson: string;
}

function isAbort(e: unknown): boolean {
  const err = e as { name?: unknown; code?: unknown };
  return err?.name === 'AbortError' || err?.code === 'CANCELLED' || err?.code === 'ABORT_ERR';
}

export function wrapProver(circuit: Circuit, native: NativeProver): CircuitProver {
  return {
    circuit,
    async prove(inputs, options) {
      const parsed = circuit.parseInput(inputs);
      try {
        return await native.prove(parsed, options);
      } catch (e) {
        if (isAbort(e) || e instanceof CircuitStoreError) throw e;
        const code = (e as { code?: unknown }).code;
        throw new CircuitStoreError(
          code === 'INPUT_OUT_OF_RANGE' || code === 'INVALID_INPUT' || code === 'SHAPE_MISMATCH'
            ? 'INVALID_INPUT'
            : 'PROVER_FAILED',
          `${circuit.name}: ${(e as Error).message}`,
          { proverCode: code },
          { cause: e },
        );
      }
    },
  };
}

export function wrapVerifier(
  circuit: Circuit,
  native: NativeVerifier,
  backend: ProverBackend,
  artifacts: { verifyingKey: Uint8Array; settingsJson: string },
): CircuitVerifier {
  return {
    circuit,
    verifyingKey: artifacts.verifyingKey,
    settingsJson: artifacts.settingsJson,
    async verify(proof, publicInputs) {
      try {
        return await native.verify(proof, publicInputs);
      } catch {
        // Malformed proofs or instances are simply invalid for the caller.
        return false;
      }
    },
    expectedPublicInputs: (inputs) => backend.quantizeInputs(circuit.settings, circuit.parseInput(inputs)),
  };
}
