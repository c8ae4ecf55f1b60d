import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CompiledModel,
  compileModel,
  developmentSrs,
  type KeyPair,
  Prover,
  type Srs,
  setup,
  Verifier,
} from '../src/index.js';

export const MODELS = new URL('../../../tooling/models/', import.meta.url).pathname;

/** Shared across test files and runs: generating a development SRS takes seconds. */
export const SRS_CACHE = join(tmpdir(), 'omron-prover-test-srs');

export interface Rig {
  model: CompiledModel;
  srs: Srs;
  keys: KeyPair;
  prover: Prover;
  verifier: Verifier;
}

/** Compiles a test model and sets up keys, a prover and a verifier for it. */
export async function rig(name: string): Promise<Rig> {
  const model = await compileModel(readFileSync(join(MODELS, `${name}.onnx`)));
  const srs = await developmentSrs(model.settings.k, { cacheDir: SRS_CACHE });
  const keys = await setup(model, srs);
  const prover = await Prover.create(model, keys.provingKey, srs);
  const verifier = Verifier.create(keys.verifyingKey, model.settings, srs);
  return { model, srs, keys, prover, verifier };
}

/** Deterministic inputs in [-0.5, 0.5) for every model input. */
export function inputsFor(model: CompiledModel, seed = 1): number[][] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return model.settings.inputLengths.map((n) => Array.from({ length: n }, next));
}
