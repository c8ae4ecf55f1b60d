import { ScoringError } from './errors.js';

/**
 * Every constant the scoring rules use, in one versioned object. Bump `version` whenever a value or a rule
 * changes: it is folded into the weights version key (see `weightsVersionKey`), so validators running different
 * scoring rules are told apart on chain.
 *
 * Sources are Omron (subnet 2) commits, see the research notes §4.1 and §4.3.6.
 */
export type ScoringConfig = {
  /** Scoring rules version, 0–999 (folded into the weights version key). */
  readonly version: number;
  /** RATE_OF_DECAY: an unverified or missing response keeps `1 − decayRate` of the score. */
  readonly decayRate: number;
  /** RATE_OF_RECOVERY: a verified response moves the score this fraction of the way to its target. */
  readonly alpha: number;
  /** FLATTENING_COEFFICIENT of the shifted-tangent curve h. */
  readonly flattening: number;
  /** MAXIMUM_RESPONSE_TIME_DECIMAL: the normalised response time is capped here, so even the slowest earns a little. */
  readonly maxResponseTimeDecimal: number;
  /** RESPONSE_TIME_WEIGHT: weight of `1 − h(rt)` in the target fraction. */
  readonly responseTimeWeight: number;
  /** PROOF_SIZE_WEIGHT: penalty weight of `min(1, size/threshold)`. HEAD had 0; we use v0.1's 0.1 so size counts. */
  readonly proofSizeWeight: number;
  /** PROOF_SIZE_THRESHOLD in bytes: at or above this size the full proof-size penalty applies. */
  readonly proofSizeThresholdBytes: number;
  /** DEFAULT_PROOF_SIZE: size assumed when a verified response carries no size. */
  readonly unknownProofSizeBytes: number;
  /** HEAD's `adj_max`: the normalisation span (max − min) is at least this many seconds. */
  readonly minResponseTimeSpanS: number;
  /** MAXIMUM_SCORE_MEDIAN_SAMPLE: max response time = median of this slowest fraction of samples (≥ 1 sample). */
  readonly slowestSampleFraction: number;
  /** Below this many verified samples the bounds fall back to min 0, max `fallbackMaxResponseTimeS`. */
  readonly minSamplesForBounds: number;
  /** CIRCUIT_TIMEOUT_SECONDS: fallback max response time (still clamped to the circuit's timeout). */
  readonly fallbackMaxResponseTimeS: number;
  /** Most samples one circuit's response-time store keeps (one per uid). */
  readonly evaluationStoreCapacity: number;
  /** Omron's WEIGHTS_VERSION at HEAD; the version key is `weightsVersionBase · 1000 + version`. */
  readonly weightsVersionBase: number;
};

/** The scoring constants in force. Frozen; derive variants with `{ ...SCORING_CONFIG, … }`. */
export const SCORING_CONFIG: ScoringConfig = Object.freeze({
  version: 1,
  decayRate: 0.4,
  alpha: 0.1,
  flattening: 0.9,
  maxResponseTimeDecimal: 0.99,
  responseTimeWeight: 1,
  proofSizeWeight: 0.1,
  proofSizeThresholdBytes: 30_000,
  unknownProofSizeBytes: 5_000,
  minResponseTimeSpanS: 1,
  slowestSampleFraction: 0.05,
  minSamplesForBounds: 2,
  fallbackMaxResponseTimeS: 60,
  evaluationStoreCapacity: 1024,
  weightsVersionBase: 11_002,
});

type Range = readonly [min: number, max: number, integer?: 'int'];

const RANGES: { readonly [K in keyof ScoringConfig]: Range } = {
  version: [0, 999, 'int'],
  decayRate: [0, 1],
  alpha: [0, 1],
  flattening: [Number.MIN_VALUE, 0.999_999],
  maxResponseTimeDecimal: [0, 1],
  responseTimeWeight: [0, Number.MAX_VALUE],
  proofSizeWeight: [0, Number.MAX_VALUE],
  proofSizeThresholdBytes: [Number.MIN_VALUE, Number.MAX_VALUE],
  unknownProofSizeBytes: [0, Number.MAX_VALUE],
  minResponseTimeSpanS: [Number.MIN_VALUE, Number.MAX_VALUE],
  slowestSampleFraction: [0, 1],
  minSamplesForBounds: [1, Number.MAX_SAFE_INTEGER, 'int'],
  fallbackMaxResponseTimeS: [0, Number.MAX_VALUE],
  evaluationStoreCapacity: [1, Number.MAX_SAFE_INTEGER, 'int'],
  weightsVersionBase: [0, 9_007_199_254, 'int'],
};

/**
 * Throws `INVALID_CONFIG` naming the first field that is missing, not finite, out of range or not an integer
 * where one is required. Returns the config unchanged.
 */
export function validateConfig(config: ScoringConfig): ScoringConfig {
  for (const [key, [min, max, integer]] of Object.entries(RANGES) as [keyof ScoringConfig, Range][]) {
    const value: unknown = config[key];
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value >= min &&
      value <= max &&
      (integer !== 'int' || Number.isInteger(value));
    if (!ok) {
      throw new ScoringError(
        'INVALID_CONFIG',
        `config.${key} must be a${integer === 'int' ? 'n integer' : ' number'} in [${min}, ${max}], got ${String(value)}`,
      );
    }
  }
  return config;
}
