import { satisfiesMaxWeightLimit, toChainWeights } from '@omron/scoring';
import { ChainError } from './errors.js';
import type { ScoreVector, WeightHyperparameters } from './types.js';

const U16_MAX = 65535;

/** What the chain knows about the caller when it checks a weight set (`guards/check_weights.rs`). */
export interface WeightCallContext {
  netuid: number;
  uid: number;
  validatorPermit: boolean;
  lastUpdate: number;
  block: number;
  /** Number of uids on the subnet (`SubnetworkN`); valid uids are 0..subnetN-1. */
  subnetN: number;
  hyperparameters: WeightHyperparameters;
}

/**
 * Normalises scores to chain u16 weights through `@omron/scoring` and applies, in the chain's order, every
 * check the chain would otherwise reject the extrinsic for. Throws a {@link ChainError} with a stable code.
 */
export function prepareWeights(
  ctx: WeightCallContext,
  scores: ScoreVector,
  versionKey: number,
): { uids: number[]; weights: number[] } {
  validateScores(scores);
  const hp = ctx.hyperparameters;
  if (!Number.isSafeInteger(versionKey) || versionKey < 0) {
    throw new ChainError('INVALID_INPUT', `versionKey must be a non-negative integer, got ${versionKey}`);
  }
  if (hp.weightsVersionKey !== 0 && versionKey < hp.weightsVersionKey) {
    throw new ChainError(
      'VERSION_KEY_TOO_LOW',
      `version key ${versionKey} is below the subnet's weights version ${hp.weightsVersionKey}; upgrade`,
      { versionKey, required: hp.weightsVersionKey },
    );
  }
  assertRateLimit(ctx);
  const minAllowed = Math.min(hp.minAllowedWeights, ctx.subnetN);
  const { uids, weights } = toChainWeights({
    uids: scores.uids,
    scores: scores.scores,
    maxWeightLimit: hp.maxWeightLimit,
    minAllowedWeights: minAllowed,
  });
  const isSelfWeight = uids.length === 1 && uids[0] === ctx.uid;
  if (!isSelfWeight && !ctx.validatorPermit) {
    throw new ChainError(
      'NO_VALIDATOR_PERMIT',
      `uid ${ctx.uid} has no validator permit on netuid ${ctx.netuid}`,
    );
  }
  assertUids(uids, weights, ctx.subnetN);
  if (!isSelfWeight && uids.length < minAllowed) {
    throw new ChainError(
      'TOO_FEW_WEIGHTS',
      `${uids.length} non-zero weights, the subnet requires at least ${minAllowed}`,
      { count: uids.length, required: minAllowed },
    );
  }
  assertMaxWeight(weights, hp.maxWeightLimit);
  return { uids, weights };
}

/**
 * The checks the chain applies when a commit is revealed (`do_set_mechanism_weights` without the rate limit):
 * the weights are already u16.
 */
export function checkRevealedWeights(
  ctx: Omit<WeightCallContext, 'lastUpdate' | 'block'>,
  uids: number[],
  weights: number[],
  versionKey: number,
): void {
  const hp = ctx.hyperparameters;
  if (uids.length !== weights.length)
    throw new ChainError('INVALID_INPUT', 'uids and weights differ in length');
  if (hp.weightsVersionKey !== 0 && versionKey < hp.weightsVersionKey) {
    throw new ChainError('VERSION_KEY_TOO_LOW', `version key ${versionKey} < ${hp.weightsVersionKey}`);
  }
  const isSelfWeight = uids.length === 1 && uids[0] === ctx.uid;
  if (!isSelfWeight && !ctx.validatorPermit) {
    throw new ChainError(
      'NO_VALIDATOR_PERMIT',
      `uid ${ctx.uid} has no validator permit on netuid ${ctx.netuid}`,
    );
  }
  assertUids(uids, weights, ctx.subnetN);
  const minAllowed = Math.min(hp.minAllowedWeights, ctx.subnetN);
  if (!isSelfWeight && uids.length < minAllowed) {
    throw new ChainError(
      'TOO_FEW_WEIGHTS',
      `${uids.length} weights, the subnet requires at least ${minAllowed}`,
    );
  }
  if (weights.some((w) => w > 0)) assertMaxWeight(weights, hp.maxWeightLimit);
}

/** `LastUpdate == 0 || block - LastUpdate >= WeightsSetRateLimit`, as the chain checks it. */
export function assertRateLimit(
  ctx: Pick<WeightCallContext, 'lastUpdate' | 'block' | 'hyperparameters'>,
): void {
  const limit = ctx.hyperparameters.weightsRateLimit;
  const since = ctx.block - ctx.lastUpdate;
  if (ctx.lastUpdate !== 0 && since < limit) {
    throw new ChainError(
      'RATE_LIMITED',
      `weights set ${since} blocks ago; the rate limit is ${limit} blocks`,
      {
        blocksRemaining: limit - since,
        lastUpdate: ctx.lastUpdate,
      },
    );
  }
}

function validateScores({ uids, scores }: ScoreVector): void {
  if (uids.length !== scores.length) {
    throw new ChainError(
      'INVALID_INPUT',
      `uids (${uids.length}) and scores (${scores.length}) differ in length`,
    );
  }
  for (let i = 0; i < uids.length; i++) {
    const uid = uids[i] as number;
    const score = scores[i] as number;
    if (!Number.isInteger(uid) || uid < 0 || uid > U16_MAX)
      throw new ChainError('INVALID_INPUT', `bad uid ${uid}`);
    if (!Number.isFinite(score) || score < 0)
      throw new ChainError('INVALID_INPUT', `bad score ${score} for uid ${uid}`);
  }
}

function assertUids(uids: number[], weights: number[], subnetN: number): void {
  const seen = new Set<number>();
  for (let i = 0; i < uids.length; i++) {
    const uid = uids[i] as number;
    const weight = weights[i] as number;
    if (seen.has(uid)) throw new ChainError('INVALID_UIDS', `duplicate uid ${uid}`);
    if (uid >= subnetN)
      throw new ChainError('INVALID_UIDS', `uid ${uid} does not exist (subnet has ${subnetN})`);
    if (!Number.isInteger(weight) || weight < 0 || weight > U16_MAX) {
      throw new ChainError('INVALID_INPUT', `normalised weight ${weight} for uid ${uid} is not a u16`);
    }
    seen.add(uid);
  }
}

/** The chain max-upscales to 65535 and requires `max / sum <= MaxWeightsLimit / 65535`. */
function assertMaxWeight(weights: number[], maxWeightLimit: number): void {
  if (satisfiesMaxWeightLimit(weights, maxWeightLimit)) return;
  const share = Math.max(...weights) / weights.reduce((a, b) => a + b, 0);
  throw new ChainError('MAX_WEIGHT_EXCEEDED', `largest weight share ${share.toFixed(4)} exceeds the limit`, {
    share,
    limit: maxWeightLimit / U16_MAX,
  });
}
