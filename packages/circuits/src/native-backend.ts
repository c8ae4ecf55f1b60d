import type { ProverBackend } from './backend.js';
import { CircuitStoreError } from './errors.js';

function unavailable(): never {
  throw new CircuitStoreError('PROVER_UNAVAILABLE', '@omron/prover does not expose the proving API yet');
}

/** The real backend over `@omron/prover`. */
export const nativeBackend: ProverBackend = {
  compile: async () => unavailable(),
  developmentSrs: async () => unavailable(),
  loadSrs: async () => unavailable(),
  setup: async () => unavailable(),
  openProver: async () => unavailable(),
  openVerifier: async () => unavailable(),
  quantizeInputs: () => unavailable(),
};
