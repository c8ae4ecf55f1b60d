import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { bindProof, dequantize, splitByShapes } from '@omron/circuits';
import {
  developmentSrs,
  loadSrs,
  ModelSettings,
  quantizeInputs,
  type Srs,
  Verifier,
  VerifyingKey,
} from '@omron/prover';
import { OmronClientError } from './errors.js';
import type { InferAnswer } from './types.js';

/** A circuit's published artifacts, as downloaded from `/v1/circuits/:id/vk` and `/settings`. */
export interface CircuitArtifacts {
  id: string;
  verifyingKey: Uint8Array;
  settingsJson: string;
}

export interface LocalVerifierOptions {
  /** Directory with real `kzg{k}.srs` files; without one, the deterministic insecure development SRS. */
  srsDir?: string;
  /** Where the development SRS is cached (the prover's default otherwise). */
  srsCacheDir?: string;
}

function fail(message: string): never {
  throw new OmronClientError('LOCAL_VERIFY_FAILED', message);
}

async function srsFor(k: number, options: LocalVerifierOptions): Promise<Srs> {
  if (options.srsDir) {
    const names = await readdir(options.srsDir).catch(() => [] as string[]);
    const sizes = names
      .map((n) => /^kzg(\d+)\.srs$/.exec(n)?.[1])
      .filter((j): j is string => j !== undefined)
      .map(Number)
      .filter((j) => j >= k)
      .sort((a, b) => a - b);
    if (sizes[0] !== undefined) {
      const srs = await loadSrs(join(options.srsDir, `kzg${sizes[0]}.srs`));
      return srs.k > k ? srs.downsize(k) : srs;
    }
  }
  return developmentSrs(k, options.srsCacheDir === undefined ? {} : { cacheDir: options.srsCacheDir });
}

/**
 * Checks a validator's answer on this machine, trusting nothing it said: the verifying key must hash to the
 * circuit id, the proof's leading public signals must equal *our own* quantization of the inputs we sent (the
 * input binding of `@omron/circuits`), the
 * proof must verify with that key, and the outputs we were given must be the ones the proof attests to.
 * Throws `LOCAL_VERIFY_FAILED` naming the first check that failed.
 */
export class LocalVerifier {
  readonly #verifiers = new Map<string, Promise<{ verifier: Verifier; settings: ModelSettings }>>();

  constructor(private readonly options: LocalVerifierOptions = {}) {}

  async #open(artifacts: CircuitArtifacts) {
    const digest = createHash('sha256').update(artifacts.verifyingKey).digest('hex');
    if (digest !== artifacts.id)
      fail(`the verifying key hashes to ${digest}, not the circuit id ${artifacts.id}`);
    let opened = this.#verifiers.get(artifacts.id);
    if (!opened) {
      opened = (async () => {
        const settings = ModelSettings.parse(artifacts.settingsJson);
        const vk = VerifyingKey.fromBytes(artifacts.verifyingKey, settings);
        const verifier = Verifier.create(vk, settings, await srsFor(settings.k, this.options));
        return { verifier, settings };
      })();
      this.#verifiers.set(artifacts.id, opened);
      opened.catch(() => this.#verifiers.delete(artifacts.id));
    }
    return opened;
  }

  /** Resolves when `answer` is a valid proof of `inputs` on the circuit of `artifacts`; throws otherwise. */
  async verify(answer: InferAnswer, inputs: number[][], artifacts: CircuitArtifacts): Promise<void> {
    if (answer.circuit.id !== artifacts.id) fail(`the answer is for circuit ${answer.circuit.id}`);
    const { verifier, settings } = await this.#open(artifacts);
    const ownInputs = quantizeInputs(settings, inputs);
    const bound = bindProof(ownInputs, { proof: answer.proof, publicSignals: answer.publicSignals });
    if (!bound.ok) {
      fail(
        bound.reason === 'INPUT_MISMATCH'
          ? `${bound.detail}: not our quantized input`
          : `the answer's proof or public signals are malformed: ${bound.detail}`,
      );
    }
    const outputs = splitByShapes(bound.outputs, settings.outputShapes);
    if (outputs === null) {
      fail(
        `${answer.publicSignals.length} public signals, expected ${ownInputs.flat().length} inputs + outputs`,
      );
    }
    let valid: boolean;
    try {
      valid = await verifier.verify(bound.proof, { inputs: ownInputs, outputs });
    } catch (err) {
      fail(`the proof cannot be checked: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!valid) fail('the proof does not verify against our inputs');
    const claimed = answer.outputs.flat();
    const proven = dequantize(outputs.flat(), settings.scales.output);
    if (claimed.length !== proven.length || claimed.some((v, i) => v !== proven[i])) {
      fail('the outputs in the answer are not the ones the proof attests to');
    }
  }
}
