/**
 * Mirrors of the bittensor SDK's float-side weight processing (`bittensor/utils/weight_utils.py`, v10.2.0):
 * `normalize_max_weight` and `process_weights` (what `process_weights_for_netuid` calls with the chain's
 * hyperparameters). The SDK computes in numpy float32 (and, depending on the numpy version, promotes some scalar
 * steps to float64); we cast inputs to float32 as it does and then compute in float64, so a u16 weight derived
 * from our result can differ from the SDK's by one unit at a rounding tie. The chain re-normalises, so that is
 * harmless; the package tests hold us to the installed SDK on recorded vectors.
 */

/** The SDK's numerical-stability epsilon in `normalize_max_weight`. */
const EPSILON = 1e-7;
/** The SDK's floor for every uid when fewer than `min_allowed_weights` are non-zero. */
const MIN_ALLOWED_PAD = 1e-5;

function sum(xs: readonly number[]): number {
  let total = 0;
  for (const x of xs) total += x;
  return total;
}

/**
 * `normalize_max_weight(x, limit)`: scale `x` to sum 1, then cap every entry at `limit` (as a fraction of the
 * total) by finding the common cutoff that, once applied and renormalised, leaves no entry above it.
 * Returns uniform weights when `x` sums to 0 or when `x.length · limit ≤ 1` (no vector could satisfy the limit).
 */
export function normalizeMaxWeight(x: readonly number[], limit: number): number[] {
  const n = x.length;
  if (n === 0) return [];
  const total = sum(x);
  if (total === 0 || n * limit <= 1) return x.map(() => 1 / n);

  const values = [...x].sort((a, b) => a - b);
  const valuesSum = sum(values);
  const estimation = values.map((v) => v / valuesSum);
  if (estimation[n - 1]! <= limit) return x.map((v) => v / total);

  const cumsum: number[] = [];
  let running = 0;
  for (const e of estimation) {
    running += e;
    cumsum.push(running);
  }
  // Entry i stays uncapped when, with every larger entry cut down to it, its share is still below the limit.
  let nValues = 0;
  for (let i = 0; i < n; i++) {
    const e = estimation[i]!;
    if (e / ((n - i - 1) * e + cumsum[i]! + EPSILON) < limit) nValues++;
  }
  // Python's cumsum[n_values - 1] wraps to the last element when n_values is 0.
  const kept = nValues > 0 ? cumsum[nValues - 1]! : cumsum[n - 1]!;
  const cutoffScale = (limit * kept - EPSILON) / (1 - limit * (n - nValues));
  const cutoff = cutoffScale * valuesSum;
  const capped = x.map((v) => Math.min(v, cutoff));
  const cappedSum = sum(capped);
  // When the total mass is so small that the SDK's epsilon outweighs it (e.g. one subnormal entry), the cutoff goes
  // non-positive and the SDK divides 0 by 0 (NaN). Uniform weights satisfy the limit here (n · limit > 1).
  if (!(cappedSum > 0)) return x.map(() => 1 / n);
  return capped.map((v) => v / cappedSum);
}

/**
 * `process_weights(uids, weights, n = uids.length, min_allowed_weights, max_weight_limit, exclude_quantile = 0)`:
 * 1. no non-zero weight, or fewer uids than `minAllowedWeights`: uniform `1/n` over every uid;
 * 2. fewer non-zero weights than `minAllowedWeights`: every uid gets `1e-5` plus its weight, then
 *    `normalizeMaxWeight`;
 * 3. otherwise the non-zero weights alone go through `normalizeMaxWeight` (the SDK's default `exclude_quantile`
 *    of 0 keeps all of them, so the quantile step is omitted).
 *
 * In cases 1 and 2 the SDK returns `arange(n)` as uids; that equals the input when the caller passes every uid in
 * order (as Omron does), and we return the input uids so that any ordering stays correct.
 *
 * @param maxWeightLimit a fraction (the SDK's `u16_normalized_float(MaxWeightsLimit)`, i.e. `limit / 65535`)
 */
export function processWeights(
  uids: readonly number[],
  weights: readonly number[],
  minAllowedWeights: number,
  maxWeightLimit: number,
): { uids: number[]; weights: number[] } {
  const n = uids.length;
  const asFloat32 = weights.map((w) => Math.fround(w));
  const nonZero: number[] = [];
  asFloat32.forEach((w, i) => {
    if (w > 0) nonZero.push(i);
  });

  if (nonZero.length === 0 || n < minAllowedWeights) {
    return { uids: [...uids], weights: uids.map(() => 1 / n) };
  }
  if (nonZero.length < minAllowedWeights) {
    const padded = asFloat32.map((w) => MIN_ALLOWED_PAD + Math.max(w, 0));
    return { uids: [...uids], weights: normalizeMaxWeight(padded, maxWeightLimit) };
  }
  return {
    uids: nonZero.map((i) => uids[i]!),
    weights: normalizeMaxWeight(
      nonZero.map((i) => asFloat32[i]!),
      maxWeightLimit,
    ),
  };
}
