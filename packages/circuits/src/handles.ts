import type {
  NativeChainVerifier,
  NativeProver,
  NativeVerifier,
  ProveProgress,
  ProveResult,
  ProverBackend,
  PublicInputs,
  SliceProof,
  SliceProveResult,
  SliceValues,
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
  /**
   * Sliced circuits only: one integer forward pass over validated model inputs (`INVALID_INPUT` otherwise), giving
   * every slice's exact inputs and outputs; slice i is then proven from `forward(x)[i].inputs`.
   */
  forward(inputs: unknown): SliceValues[];
  /**
   * Sliced circuits only: proves slice `index` from its exact integer inputs (decimal strings, one array per
   * tensor). `INVALID_INPUT` for a wrong index, shape or non-integer; off the JS thread; honours `signal`.
   */
  proveSlice(
    index: number,
    inputs: string[][],
    options?: { signal?: AbortSignal },
  ): Promise<SliceProveResult>;
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
  /**
   * Sliced circuits only: true iff every slice proof verifies for exactly its values, slice 0's inputs are
   * `claim.inputs` (the verifier's own quantized inputs), each boundary matches and the last outputs are
   * `claim.outputs`. False (never a throw) for malformed, missing, extra, reordered or re-proven slices, and
   * always false on an unsliced circuit.
   */
  verifyChain(chain: readonly SliceProof[], claim: SliceValues): Promise<boolean>;
  /** Sliced circuits only: each slice's verifying key and settings text, in chain order (`circuit.id` = chain id). */
  readonly sliceArtifacts?: readonly { verifyingKey: Uint8Array; settingsJson: string }[];
}

/** The native parts of a sliced circuit. */
export interface SlicedNative {
  forward(inputs: number[][]): SliceValues[];
  provers?: readonly NativeProver[];
  chain: NativeChainVerifier;
  artifacts: readonly { verifyingKey: Uint8Array; settingsJson: string }[];
}

function isAbort(e: unknown): boolean {
  const err = e as { name?: unknown; code?: unknown };
  return err?.name === 'AbortError' || err?.code === 'CANCELLED' || err?.code === 'ABORT_ERR';
}

function proverError(circuit: Circuit, e: unknown): unknown {
  if (isAbort(e) || e instanceof CircuitStoreError) return e;
  const code = (e as { code?: unknown }).code;
  return new CircuitStoreError(
    code === 'INPUT_OUT_OF_RANGE' || code === 'INVALID_INPUT' || code === 'SHAPE_MISMATCH'
      ? 'INVALID_INPUT'
      : 'PROVER_FAILED',
    `${circuit.name}: ${(e as Error).message}`,
    { proverCode: code },
    { cause: e },
  );
}

function notSliced(circuit: Circuit): CircuitStoreError {
  return new CircuitStoreError('NOT_SLICED', `${circuit.name} is not a sliced circuit`, { id: circuit.id });
}

/** `native` proves the whole model; a sliced circuit has only slice provers (`sliced.provers`). */
export function wrapProver(
  circuit: Circuit,
  native: NativeProver | undefined,
  sliced?: SlicedNative,
): CircuitProver {
  return {
    circuit,
    async prove(inputs, options) {
      const parsed = circuit.parseInput(inputs);
      if (!native) {
        throw new CircuitStoreError(
          'SLICED_CIRCUIT',
          `${circuit.name} is proven slice by slice (forward, then proveSlice for each slice)`,
          { id: circuit.id },
        );
      }
      try {
        return await native.prove(parsed, options);
      } catch (e) {
        throw proverError(circuit, e);
      }
    },
    forward(inputs) {
      if (!sliced) throw notSliced(circuit);
      const parsed = circuit.parseInput(inputs);
      try {
        return sliced.forward(parsed);
      } catch (e) {
        throw proverError(circuit, e);
      }
    },
    async proveSlice(index, inputs, options) {
      const prover = sliced?.provers?.[index];
      if (!sliced) throw notSliced(circuit);
      if (!Number.isInteger(index) || prover === undefined) {
        throw new CircuitStoreError(
          'INVALID_INPUT',
          `${circuit.name} has slices 0..${(sliced.provers?.length ?? 0) - 1}, not ${index}`,
          { index },
        );
      }
      try {
        return await prover.proveSlice(inputs, options);
      } catch (e) {
        throw proverError(circuit, e);
      }
    },
  };
}

export function wrapVerifier(
  circuit: Circuit,
  native: NativeVerifier,
  backend: ProverBackend,
  artifacts: { verifyingKey: Uint8Array; settingsJson: string },
  sliced?: SlicedNative,
): CircuitVerifier {
  return {
    circuit,
    verifyingKey: artifacts.verifyingKey,
    settingsJson: artifacts.settingsJson,
    ...(sliced ? { sliceArtifacts: sliced.artifacts } : {}),
    async verifyChain(chain, claim) {
      if (!sliced) return false;
      try {
        return await sliced.chain.verify(chain, claim);
      } catch {
        // Malformed proofs or values are simply an invalid chain for the caller.
        return false;
      }
    },
    async verify(proof, publicInputs) {
      // A sliced circuit has no single-proof verifier (`native` is a placeholder): only chains prove it.
      if (sliced) return false;
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
