import { SCORING_CONFIG, type ScoringConfig } from './config.js';
import { requireFinite, requireInteger, ScoringError } from './errors.js';
import { parsePersisted } from './persisted.js';
import type { ResponseTimeBounds } from './reward.js';

/** Identifies the persisted form; `version` changes whenever its shape does. */
export const RESPONSE_TIME_STATS_FORMAT = 'omron.response-time-stats';
export const RESPONSE_TIME_STATS_FORMAT_VERSION = 1;

/** Persisted form: samples oldest first, `[uid, seconds, verified]`. */
export type ResponseTimeStatsJSON = {
  format: typeof RESPONSE_TIME_STATS_FORMAT;
  version: typeof RESPONSE_TIME_STATS_FORMAT_VERSION;
  capacity: number;
  samples: [uid: number, seconds: number, verified: boolean][];
};

type Sample = { seconds: number; verified: boolean };

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/**
 * One circuit's response-time store (Omron's `CircuitEvaluationData`): the latest sample per uid, at most
 * `capacity` uids (the least recently recorded uid is evicted first). Its `bounds` normalise response times.
 *
 * @example
 * const stats = new ResponseTimeStats();
 * stats.record(3, 4.2);
 * stats.record(7, 9.1);
 * stats.bounds(60); // { min: 4.2, max: 9.1 }
 */
export class ResponseTimeStats {
  readonly #samples = new Map<number, Sample>();
  readonly #config: ScoringConfig;
  readonly capacity: number;

  constructor(config: ScoringConfig = SCORING_CONFIG, capacity: number = config.evaluationStoreCapacity) {
    this.#config = config;
    this.capacity = requireInteger('capacity', capacity, 1, Number.MAX_SAFE_INTEGER);
  }

  /** Number of uids with a sample. */
  get size(): number {
    return this.#samples.size;
  }

  /**
   * Stores `uid`'s latest response time, replacing its previous one. An unverified sample is kept (it replaces
   * the uid's verified one) but never enters the bounds, as in Omron.
   */
  record(uid: number, seconds: number, verified = true): void {
    requireInteger('uid', uid, 0, Number.MAX_SAFE_INTEGER);
    requireFinite('seconds', seconds, { nonNegative: true });
    this.#samples.delete(uid);
    this.#samples.set(uid, { seconds, verified });
    if (this.#samples.size > this.capacity) {
      const oldest = this.#samples.keys().next().value as number;
      this.#samples.delete(oldest);
    }
  }

  /**
   * Normalisation bounds, both clamped to [0, timeoutS]. Over the verified samples with seconds > 0, sorted (T):
   * - min = the fastest;
   * - max = the median (lower middle for an even count) of the slowest max(⌊fraction·|T|⌋, 1) samples;
   * - with fewer than `minSamplesForBounds` samples: min 0, max `fallbackMaxResponseTimeS`.
   */
  bounds(timeoutS: number): ResponseTimeBounds {
    requireFinite('timeoutS', timeoutS, { nonNegative: true });
    const times: number[] = [];
    for (const s of this.#samples.values()) if (s.verified && s.seconds > 0) times.push(s.seconds);
    if (times.length < this.#config.minSamplesForBounds) {
      return { min: 0, max: clamp(this.#config.fallbackMaxResponseTimeS, 0, timeoutS) };
    }
    times.sort((a, b) => a - b);
    const count = Math.max(Math.floor(this.#config.slowestSampleFraction * times.length), 1);
    const slowest = times.slice(times.length - count);
    const median = slowest[Math.floor((slowest.length - 1) / 2)]!;
    return { min: clamp(times[0]!, 0, timeoutS), max: clamp(median, 0, timeoutS) };
  }

  toJSON(): ResponseTimeStatsJSON {
    return {
      format: RESPONSE_TIME_STATS_FORMAT,
      version: RESPONSE_TIME_STATS_FORMAT_VERSION,
      capacity: this.capacity,
      samples: [...this.#samples].map(([uid, s]) => [uid, s.seconds, s.verified]),
    };
  }

  /**
   * Rebuilds a store from `toJSON()` output (an object, or its JSON text). Throws `UNSUPPORTED_FORMAT_VERSION` for
   * another format or version and `INVALID_PERSISTED_STATE` for anything malformed.
   */
  static fromJSON(json: unknown, config: ScoringConfig = SCORING_CONFIG): ResponseTimeStats {
    const data = parsePersisted(json);
    if (data.format !== RESPONSE_TIME_STATS_FORMAT || data.version !== RESPONSE_TIME_STATS_FORMAT_VERSION) {
      throw new ScoringError(
        'UNSUPPORTED_FORMAT_VERSION',
        `expected ${RESPONSE_TIME_STATS_FORMAT} v${RESPONSE_TIME_STATS_FORMAT_VERSION}, got ${String(data.format)} v${String(data.version)}`,
      );
    }
    if (!Array.isArray(data.samples)) throw invalid('samples must be an array');
    try {
      const stats = new ResponseTimeStats(config, data.capacity as number);
      for (const sample of data.samples as unknown[]) {
        if (!Array.isArray(sample) || sample.length !== 3 || typeof sample[2] !== 'boolean') {
          throw invalid(`bad sample ${JSON.stringify(sample)}`);
        }
        stats.record(sample[0], sample[1], sample[2]);
      }
      return stats;
    } catch (err) {
      if (err instanceof ScoringError && err.code === 'INVALID_INPUT') throw invalid(err.message);
      throw err;
    }
  }
}

function invalid(message: string): ScoringError {
  return new ScoringError('INVALID_PERSISTED_STATE', `response-time stats: ${message}`);
}
