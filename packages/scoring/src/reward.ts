import { SCORING_CONFIG, type ScoringConfig } from './config.js';
import { requireFinite, requireInteger, ScoringError } from './errors.js';

/** What the validator learned from one request to one miner. */
export type ResponseOutcome = {
  /** True only when a proof came back and verified against the validator's own inputs. */
  verified: boolean;
  /** Seconds from send to answer. A verified response without it is scored as the slowest (normalised cap). */
  responseTimeS?: number;
  /** Proof size in bytes. A verified response without it is scored at `config.unknownProofSizeBytes`. */
  proofSizeBytes?: number;
};

/** A circuit's response-time normalisation bounds, in seconds (see `ResponseTimeStats.bounds`). */
export type ResponseTimeBounds = { min: number; max: number };

/**
 * The shifted-tangent curve h: [0, 1] → [0, 1], increasing, h(0) = 0, h(0.5) = 0.5, h(1) = 1.
 * h(x) = (tan((x − ½)·π·c) − tan(−½·π·c)) / (tan(½·π·c) − tan(−½·π·c)), c = flattening (Omron v0.1.7 → HEAD).
 * Steep near both ends, flat in the middle: miners near the fastest or slowest are told apart most.
 */
export function shiftedTangent(x: number, flattening: number = SCORING_CONFIG.flattening): number {
  const f = (t: number) => Math.tan((t - 0.5) * Math.PI * flattening);
  const f0 = f(0);
  return (f(x) - f0) / (f(1) - f0);
}

/**
 * Response time mapped to [0, maxResponseTimeDecimal]: 0 at the circuit's fastest, the cap at its max.
 * As HEAD's `ProofOfWeightsItem`, the span max − min is widened to at least `minResponseTimeSpanS`.
 */
export function normalizedResponseTime(
  responseTimeS: number,
  bounds: ResponseTimeBounds,
  config: ScoringConfig = SCORING_CONFIG,
): number {
  const max =
    bounds.max - bounds.min >= config.minResponseTimeSpanS
      ? bounds.max
      : bounds.min + config.minResponseTimeSpanS;
  const x = (responseTimeS - bounds.min) / (max - bounds.min);
  return Math.min(Math.max(x, 0), config.maxResponseTimeDecimal);
}

/**
 * The fraction of the max score a verified response earns:
 * clamp(w_rt·(1 − h(rt_norm)) − w_ps·min(1, size/threshold), 0, 1) (HEAD's reward formula, with proof size live).
 */
export function targetFraction(
  responseTimeS: number,
  proofSizeBytes: number,
  bounds: ResponseTimeBounds,
  config: ScoringConfig = SCORING_CONFIG,
): number {
  const rtMetric =
    config.responseTimeWeight *
    (1 - shiftedTangent(normalizedResponseTime(responseTimeS, bounds, config), config.flattening));
  const psMetric =
    config.proofSizeWeight * Math.min(Math.max(proofSizeBytes / config.proofSizeThresholdBytes, 0), 1);
  return Math.min(Math.max(rtMetric - psMetric, 0), 1);
}

/**
 * One miner's new score after one response (pure).
 *
 * - unverified or missing: `prev · (1 − decayRate)`;
 * - verified: `prev + alpha · (target − prev)` with `target = targetFraction(…) / n` (max score 1/n).
 *
 * @param prev the miner's current score, ≥ 0
 * @param n the number of uids (score vector length); the max score is 1/n
 * @example updateScore(0, { verified: true, responseTimeS: 2, proofSizeBytes: 4192 }, { min: 1, max: 20 }, 256)
 */
export function updateScore(
  prev: number,
  response: ResponseOutcome,
  stats: ResponseTimeBounds,
  n: number,
  config: ScoringConfig = SCORING_CONFIG,
): number {
  requireFinite('prev', prev, { nonNegative: true });
  requireInteger('n', n, 1, Number.MAX_SAFE_INTEGER);
  if (!response.verified) return prev * (1 - config.decayRate);

  const min = requireFinite('stats.min', stats.min, { nonNegative: true });
  const max = requireFinite('stats.max', stats.max, { nonNegative: true });
  if (max < min) throw new ScoringError('INVALID_INPUT', `stats.max (${max}) is below stats.min (${min})`);
  const rt =
    response.responseTimeS === undefined
      ? Number.POSITIVE_INFINITY // normalises to the cap: no measured time earns the slowest score
      : requireFinite('responseTimeS', response.responseTimeS, { nonNegative: true });
  const size =
    response.proofSizeBytes === undefined
      ? config.unknownProofSizeBytes
      : requireFinite('proofSizeBytes', response.proofSizeBytes, { nonNegative: true });

  const target = targetFraction(rt, size, stats, config) / n;
  return prev + config.alpha * (target - prev);
}
