import { dequantize, encodeProof, type PublicValue, splitByShapes, toPublicSignals } from '@omron/circuits';
import type { InferAnswer, InferProgress } from '@omron/client';
import type { MinerTarget, QueryMiner, ServedCircuit } from '../ports.js';
import { bindResponse, verifyResponse } from '../verify-response.js';
import { ApiError } from './api-error.js';

/** How long a miner that failed an organic request goes to the back of the organic queue. */
export const ORGANIC_COOLDOWN_MS = 60_000;

export interface OrganicRouterDeps {
  query: QueryMiner;
  /** Miners that may be asked now (serving an axon, not this validator), from the loop's metagraph. */
  candidates(): readonly MinerTarget[];
  /** A miner's current score (read only: organic requests never change it). */
  scoreOf(uid: number): number;
  /** Miners tried per request before giving up. */
  maxAttempts: number;
  now?: () => number;
  /** Told the outcome of every organic request (metrics). */
  onOutcome?: (circuit: ServedCircuit, outcome: { result: string; seconds: number }) => void;
}

export type ProgressSink = (event: Omit<InferProgress, 'id'>) => void;

/**
 * Routes outside users' requests ("organic" requests) to miners and returns only verified answers.
 *
 * Order: miners without an organic request in flight before busy ones, then by score (best first), then by uid;
 * miners that failed an organic request in the last {@link ORGANIC_COOLDOWN_MS} go last. A failure or timeout
 * moves on to the next miner, up to `maxAttempts` and the circuit's timeout overall; each attempt may use an
 * equal share of the time still left.
 *
 * Scoring rule: organic requests never change a score, a weight or any saved state, in either direction. The
 * user chooses the inputs, so a user who is also a miner could otherwise send its own miner inputs it has
 * proven in advance (raising its score) or flood a rival with requests (lowering it). Only the validator's own
 * synthetic requests, with inputs from its CSPRNG that no miner can predict, are scored. A miner cannot tell
 * the two apart: both are the same `QueryZkProof` from the same validator hotkey.
 */
export class OrganicRouter {
  readonly #inFlight = new Map<number, number>();
  readonly #failedAt = new Map<number, number>();
  readonly #now: () => number;

  constructor(private readonly deps: OrganicRouterDeps) {
    this.#now = deps.now ?? Date.now;
  }

  /** The order in which miners would be tried now. */
  ranked(): MinerTarget[] {
    const now = this.#now();
    const cooling = (uid: number) => now - (this.#failedAt.get(uid) ?? -Infinity) < ORGANIC_COOLDOWN_MS;
    return [...this.deps.candidates()].sort(
      (a, b) =>
        Number(cooling(a.uid)) - Number(cooling(b.uid)) ||
        Number((this.#inFlight.get(a.uid) ?? 0) > 0) - Number((this.#inFlight.get(b.uid) ?? 0) > 0) ||
        this.deps.scoreOf(b.uid) - this.deps.scoreOf(a.uid) ||
        a.uid - b.uid,
    );
  }

  /**
   * Asks miners in order until one returns a proof that verifies against the validator's own quantization of
   * `inputs` (the same binding and verification as the loop: `verify-response.ts`). `NO_MINER` (504) when none
   * did in time.
   */
  async infer(
    circuit: ServedCircuit,
    inputs: number[][],
    options: { signal?: AbortSignal; onProgress?: ProgressSink } = {},
  ): Promise<InferAnswer> {
    const started = this.#now();
    try {
      const answer = await this.#infer(circuit, inputs, options, started);
      this.deps.onOutcome?.(circuit, { result: 'verified', seconds: (this.#now() - started) / 1000 });
      return answer;
    } catch (err) {
      const result = err instanceof ApiError ? err.code : 'ABORTED';
      this.deps.onOutcome?.(circuit, { result, seconds: (this.#now() - started) / 1000 });
      throw err;
    }
  }

  async #infer(
    circuit: ServedCircuit,
    inputs: number[][],
    options: { signal?: AbortSignal; onProgress?: ProgressSink },
    started: number,
  ): Promise<InferAnswer> {
    const progress = options.onProgress ?? (() => {});
    let own: readonly (readonly PublicValue[])[];
    try {
      own = circuit.quantizeInputs(inputs);
    } catch (err) {
      throw new ApiError('INVALID_INPUT', (err as Error).message);
    }
    progress({ stage: 'routing' });
    const skipped: { uid: number; reason: string }[] = [];
    const deadline = started + circuit.timeoutS * 1000;
    const order = this.ranked().slice(0, this.deps.maxAttempts);
    for (const [i, target] of order.entries()) {
      const leftS = (deadline - this.#now()) / 1000;
      if (leftS <= 0.05) break;
      // Each remaining attempt gets an equal share of what is left, so one miner that hangs cannot use up the
      // whole timeout; an attempt that fails fast leaves its share to the next ones.
      const attemptS = leftS / (order.length - i);
      options.signal?.throwIfAborted();
      progress({ stage: 'querying', uid: target.uid, attempt: i + 1 });
      this.#inFlight.set(target.uid, (this.#inFlight.get(target.uid) ?? 0) + 1);
      let result: Awaited<ReturnType<QueryMiner>>;
      try {
        result = await this.deps
          .query(target, { modelId: circuit.id, inputs }, attemptS, options.signal)
          .catch((err: unknown) => ({
            statusCode: 503,
            statusMessage: err instanceof Error ? err.message : String(err),
            processTimeS: null,
            output: null,
            responseSignature: null,
          }));
      } finally {
        const left = (this.#inFlight.get(target.uid) ?? 1) - 1;
        if (left <= 0) this.#inFlight.delete(target.uid);
        else this.#inFlight.set(target.uid, left);
      }
      options.signal?.throwIfAborted();
      progress({ stage: 'verifying', uid: target.uid, attempt: i + 1 });
      const verifyStarted = this.#now();
      const verdict = await verifyResponse(circuit, own, result);
      const verifyMs = this.#now() - verifyStarted;
      const binding = verdict.verified
        ? bindResponse(result, circuit.id, own, circuit.sliceInputLengths)
        : null;
      if (!verdict.verified || !binding?.ok) {
        const reason = verdict.verified ? 'MALFORMED_PAYLOAD' : verdict.reason;
        skipped.push({ uid: target.uid, reason });
        this.#failedAt.set(target.uid, this.#now());
        progress({ stage: 'skipped', uid: target.uid, attempt: i + 1, reason });
        continue;
      }
      this.#failedAt.delete(target.uid);
      // Verified, so the outputs fit the circuit's output shapes.
      const quantized = splitByShapes(binding.publicValues.outputs, circuit.outputShapes) ?? [];
      const outputs = quantized.map((values) => dequantize(values, circuit.scales.output));
      const publicSignals = toPublicSignals({ inputs: binding.publicValues.inputs, outputs: quantized });
      progress({ stage: 'done', uid: target.uid, attempt: i + 1 });
      return {
        circuit: { id: circuit.id, name: circuit.name },
        outputs,
        proof: encodeProof(binding.proof),
        publicSignals,
        miner: { uid: target.uid, hotkey: target.hotkey },
        verified: true,
        timings: {
          totalMs: this.#now() - started,
          minerMs: result.processTimeS === null ? 0 : result.processTimeS * 1000,
          verifyMs,
          attempts: i + 1,
        },
        skipped,
      };
    }
    throw new ApiError(
      'NO_MINER',
      order.length === 0
        ? 'no miner is serving this circuit right now'
        : `no miner returned a valid proof within ${circuit.timeoutS} s (tried ${skipped.length})`,
      { skipped },
    );
  }
}
