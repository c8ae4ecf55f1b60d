import { SCORING_CONFIG, type ScoringConfig, validateConfig } from './config.js';
import { requireFinite, requireInteger, ScoringError } from './errors.js';
import { processWeights } from './normalize-max-weight.js';

/** The chain's weight scale: weights are u16 and `MaxWeightsLimit` is a u16 ratio of this. */
export const U16_MAX = 65_535;

type WeightVector = { uids: number[]; weights: number[] };

/** Python's `round()` on a float: round half to even. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function validatePairs(uids: readonly number[], weights: readonly number[]): void {
  if (uids.length !== weights.length) {
    throw new ScoringError(
      'INVALID_INPUT',
      `uids (${uids.length}) and weights (${weights.length}) differ in length`,
    );
  }
  const seen = new Set<number>();
  uids.forEach((uid, i) => {
    requireInteger(`uids[${i}]`, uid, 0, U16_MAX);
    if (seen.has(uid))
      throw new ScoringError('INVALID_INPUT', `uid ${uid} appears twice; the chain rejects duplicates`);
    seen.add(uid);
  });
  weights.forEach((w, i) => {
    requireFinite(`weights[${i}]`, w, { nonNegative: true });
  });
}

/** Max-upscale to u16. `round` is the SDK's rule (half-even, zeros dropped); `ceil` never drops a positive weight. */
function quantize(uids: readonly number[], weights: readonly number[], mode: 'round' | 'ceil'): WeightVector {
  const out: WeightVector = { uids: [], weights: [] };
  const asFloat32 = weights.map((w) => Math.fround(w));
  let total = 0;
  let max = 0;
  for (const w of asFloat32) {
    total += w;
    if (w > max) max = w;
  }
  if (total === 0) return out;
  asFloat32.forEach((w, i) => {
    const scaled = (w / max) * U16_MAX;
    const value = mode === 'round' ? roundHalfEven(scaled) : Math.ceil(scaled);
    if (value !== 0) {
      out.uids.push(uids[i]!);
      out.weights.push(value);
    }
  });
  return out;
}

/**
 * The SDK's `convert_weights_and_uids_for_emit`: cast weights to float32, divide by the largest (so it becomes
 * 65535), `round` half-to-even to u16, drop zeros. All-zero input gives empty vectors (nothing to set).
 * Throws `INVALID_INPUT` for negative or non-finite weights, bad or duplicate uids, or mismatched lengths.
 */
export function convertWeightsAndUidsForEmit(uids: number[], weights: number[]): WeightVector {
  validatePairs(uids, weights);
  return quantize(uids, weights, 'round');
}

/**
 * The chain's `check_vec_max_limited`: after normalising to proportions, no weight exceeds `maxWeightLimit/65535`;
 * always true at the 65535 "no limit" value. Checked here exactly (`max·65535 ≤ limit·sum`); the chain's I32F32
 * comparison truncates both sides monotonically, so it accepts whatever this accepts.
 */
export function satisfiesMaxWeightLimit(weights: readonly number[], maxWeightLimit: number): boolean {
  if (maxWeightLimit >= U16_MAX || weights.length === 0) return true;
  let total = 0;
  let max = 0;
  for (const w of weights) {
    total += w;
    if (w > max) max = w;
  }
  return max * U16_MAX <= maxWeightLimit * total;
}

/**
 * Float scores → the u16 `(uids, weights)` a `set_weights` extrinsic carries. One implementation for the project.
 *
 * 1. Scores are divided by their sum (Omron v0.2's `scores / sum`, so the SDK's `1e-5` padding is relative to a
 *    unit-sum vector);
 * 2. `processWeights` = SDK `process_weights_for_netuid` with `n = uids.length`, `min_allowed_weights` and
 *    `max_weight_limit = maxWeightLimit / 65535` (the SDK's `u16_normalized_float`);
 * 3. `convertWeightsAndUidsForEmit` = SDK `convert_weights_and_uids_for_emit`.
 * Beyond the SDK, only where its output would be rejected by the chain (`set_weights` checks 13 and 14):
 * - fewer non-zero scores than `65535 / maxWeightLimit` cannot meet the limit, so that case takes the SDK's own
 *   too-few-weights path (every uid gets `1e-5` plus its score), exactly as if `minAllowedWeights` were that count;
 * - if rounding drops a kept weight below `min(minAllowedWeights, n)` entries, or pushes the largest share past
 *   the limit, the same weights are quantised with `ceil`, which keeps every entry and only lowers the top share.
 *
 * Pass every uid the validator may weight (Omron passes all uids, scores 0 for the rest).
 * Throws `WEIGHTS_UNSATISFIABLE` when `n · maxWeightLimit < 65535`: no vector over n uids meets the limit
 * (the SDK would send uniform weights, which the chain rejects with `MaxWeightExceeded`).
 *
 * @example toChainWeights({ uids: [0, 1, 2], scores: [0.5, 0.25, 0], maxWeightLimit: 65535, minAllowedWeights: 1 })
 *   // → { uids: [0, 1], weights: [65535, 32768] }
 */
export function toChainWeights(input: {
  uids: number[];
  scores: number[];
  maxWeightLimit: number;
  minAllowedWeights: number;
}): WeightVector {
  const { uids, scores } = input;
  validatePairs(uids, scores);
  const maxWeightLimit = requireInteger('maxWeightLimit', input.maxWeightLimit, 0, U16_MAX);
  const minAllowedWeights = requireInteger('minAllowedWeights', input.minAllowedWeights, 0, U16_MAX);
  if (uids.length === 0) return { uids: [], weights: [] };
  if (uids.length * maxWeightLimit < U16_MAX) {
    throw new ScoringError(
      'WEIGHTS_UNSATISFIABLE',
      `no weights over ${uids.length} uids keep every share ≤ ${maxWeightLimit}/65535 (the subnet's MaxWeightsLimit)`,
    );
  }

  let total = 0;
  for (const s of scores) total += s;
  const unitSum = total > 0 ? scores.map((s) => s / total) : [...scores];
  const neededForLimit = Math.ceil(U16_MAX / maxWeightLimit);
  const processed = processWeights(
    uids,
    unitSum,
    Math.max(minAllowedWeights, neededForLimit),
    maxWeightLimit / U16_MAX,
  );

  const required = Math.min(minAllowedWeights, uids.length);
  const emitted = quantize(processed.uids, processed.weights, 'round');
  if (emitted.uids.length >= required && satisfiesMaxWeightLimit(emitted.weights, maxWeightLimit))
    return emitted;

  const repaired = quantize(processed.uids, processed.weights, 'ceil');
  if (!satisfiesMaxWeightLimit(repaired.weights, maxWeightLimit)) {
    // Unreachable when n · limit ≥ 65535 (checked above); kept so a numerical surprise fails loudly, not on chain.
    throw new ScoringError(
      'WEIGHTS_UNSATISFIABLE',
      `weights still exceed ${maxWeightLimit}/65535 after ceil quantisation`,
    );
  }
  return repaired;
}

/**
 * The `version_key` to send with weights: Omron's WEIGHTS_VERSION (11002 at HEAD) times 1000 plus the scoring
 * rules version, e.g. 11002001. It only grows when either grows, so it stays ≥ a subnet `WeightsVersionKey` that
 * was set from an older key, and two validators with different scoring rules send different keys.
 */
export function weightsVersionKey(config: ScoringConfig = SCORING_CONFIG): number {
  validateConfig(config);
  return config.weightsVersionBase * 1000 + config.version;
}
