export { SCORING_CONFIG, type ScoringConfig, validateConfig } from './config.js';
export { ScoringError, type ScoringErrorCode } from './errors.js';
export { normalizeMaxWeight, processWeights } from './normalize-max-weight.js';
export {
  RESPONSE_TIME_STATS_FORMAT,
  RESPONSE_TIME_STATS_FORMAT_VERSION,
  ResponseTimeStats,
  type ResponseTimeStatsJSON,
} from './response-time-stats.js';
export {
  normalizedResponseTime,
  type ResponseOutcome,
  type ResponseTimeBounds,
  shiftedTangent,
  targetFraction,
  updateScore,
} from './reward.js';
export { SCORE_BOOK_FORMAT, SCORE_BOOK_FORMAT_VERSION, ScoreBook, type ScoreBookJSON } from './score-book.js';
export {
  convertWeightsAndUidsForEmit,
  satisfiesMaxWeightLimit,
  toChainWeights,
  U16_MAX,
  weightsVersionKey,
} from './weights.js';
