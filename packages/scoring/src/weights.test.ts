import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCORING_CONFIG } from './config.js';
import { ScoringError } from './errors.js';
import {
  convertWeightsAndUidsForEmit,
  satisfiesMaxWeightLimit,
  toChainWeights,
  weightsVersionKey,
} from './weights.js';

type SdkCase = {
  scores: number[];
  maxWeightLimit: number;
  minAllowedWeights: number;
  emitted: { uids: number[]; weights: number[] };
};
// Recorded from the bittensor SDK itself by scripts/sdk-weight-vectors.py: process_weights then
// convert_weights_and_uids_for_emit on scores / sum(scores).
const SDK: { source: string; cases: SdkCase[] } = JSON.parse(
  readFileSync(new URL('./testdata/sdk-weight-vectors.json', import.meta.url), 'utf8'),
);

/** The chain's `check_vec_max_limited` in I32F32 fixed point (raw = value · 2^32), written from the pallet. */
function chainAcceptsMaxWeight(weights: number[], maxWeightLimit: number): boolean {
  if (maxWeightLimit === 65535 || weights.length === 0) return true;
  const ONE = 1n << 32n;
  const limitFixed = (BigInt(maxWeightLimit) * ONE * ONE) / (65535n * ONE);
  const raws = weights.map((w) => BigInt(w) * ONE);
  const sum = raws.reduce((a, b) => a + b, 0n);
  let max = 0n;
  for (const r of raws) if (r > max) max = r;
  return (max * ONE) / sum <= limitFixed;
}

/** Every rule of `set_weights` that depends on the vector alone (research notes §2.2, checks 3, 11–14). */
function expectChainAccepts(
  out: { uids: number[]; weights: number[] },
  input: { uids: number[]; maxWeightLimit: number; minAllowedWeights: number },
) {
  const n = input.uids.length;
  const known = new Set(input.uids);
  expect(out.uids.length).toBe(out.weights.length);
  expect(new Set(out.uids).size).toBe(out.uids.length);
  for (const uid of out.uids) expect(known.has(uid)).toBe(true);
  for (const w of out.weights) expect(Number.isInteger(w) && w >= 1 && w <= 65535).toBe(true);
  expect(out.weights.length).toBeGreaterThanOrEqual(Math.min(input.minAllowedWeights, n));
  expect(Math.max(...out.weights)).toBe(65535);
  expect(chainAcceptsMaxWeight(out.weights, input.maxWeightLimit)).toBe(true);
}

describe('toChainWeights against the SDK', () => {
  it(`equals the SDK wherever the chain accepts the SDK's output (${SDK.source})`, () => {
    let exact = 0;
    let repaired = 0;
    let unsatisfiable = 0;
    for (const c of SDK.cases) {
      const n = c.scores.length;
      const input = {
        uids: c.scores.map((_, i) => i),
        scores: c.scores,
        maxWeightLimit: c.maxWeightLimit,
        minAllowedWeights: c.minAllowedWeights,
      };
      const sdkAccepted =
        c.emitted.weights.length >= Math.min(c.minAllowedWeights, n) &&
        chainAcceptsMaxWeight(c.emitted.weights, c.maxWeightLimit);
      if (n * c.maxWeightLimit < 65535) {
        expect(() => toChainWeights(input)).toThrow(
          expect.objectContaining({ code: 'WEIGHTS_UNSATISFIABLE' }),
        );
        expect(sdkAccepted).toBe(false);
        unsatisfiable++;
        continue;
      }
      const got = toChainWeights(input);
      expectChainAccepts(got, input);
      if (sdkAccepted) {
        expect(got.uids).toEqual(c.emitted.uids);
        got.weights.forEach((w, i) => {
          expect(Math.abs(w - c.emitted.weights[i]!)).toBeLessThanOrEqual(1);
        });
        if (got.weights.every((w, i) => w === c.emitted.weights[i])) exact++;
      } else {
        repaired++;
      }
    }
    console.info(
      `SDK parity: ${exact} exact, ${repaired} repaired (SDK output rejected by chain rules), ${unsatisfiable} unsatisfiable`,
    );
    expect(exact).toBeGreaterThan(0.95 * (SDK.cases.length - repaired - unsatisfiable));
  });
});

describe('convertWeightsAndUidsForEmit', () => {
  it('max-upscales to 65535, rounds half to even and drops zeros', () => {
    // 1/2 · 65535 = 32767.5 → 32768 (even); 1/4 · 65535 = 16383.75 → 16384; 0 dropped.
    expect(convertWeightsAndUidsForEmit([5, 6, 7, 8], [2, 1, 0.5, 0])).toEqual({
      uids: [5, 6, 7],
      weights: [65535, 32768, 16384],
    });
    expect(convertWeightsAndUidsForEmit([0, 1], [1, 1e-9])).toEqual({ uids: [0], weights: [65535] });
    // Ties resolve to the even neighbour, as Python's round(): 0.5 → 0 (dropped), 2.5 → 2, 4.5 → 4, 1.5 → 2.
    expect(convertWeightsAndUidsForEmit([0, 1, 2, 3, 4], [131070, 1, 5, 9, 3])).toEqual({
      uids: [0, 2, 3, 4],
      weights: [65535, 2, 4, 2],
    });
  });

  it('returns nothing to set for all-zero weights', () => {
    expect(convertWeightsAndUidsForEmit([0, 1], [0, 0])).toEqual({ uids: [], weights: [] });
  });

  it.each([
    ['negative weight', [0, 1], [1, -1]],
    ['negative uid', [-1, 1], [1, 1]],
    ['duplicate uid', [3, 3], [1, 1]],
    ['length mismatch', [0, 1], [1]],
    ['NaN weight', [0], [Number.NaN]],
  ])('%s → INVALID_INPUT', (_name, uids, weights) => {
    expect(() => convertWeightsAndUidsForEmit(uids, weights)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('toChainWeights', () => {
  it('documents its example', () => {
    expect(
      toChainWeights({
        uids: [0, 1, 2],
        scores: [0.5, 0.25, 0],
        maxWeightLimit: 65535,
        minAllowedWeights: 1,
      }),
    ).toEqual({
      uids: [0, 1],
      weights: [65535, 32768],
    });
  });

  it('keeps uids whose share would round to 0 when min allowed weights needs them', () => {
    // The SDK keeps both (2 non-zero ≥ min 2) but rounds 1e-7 · 65535 to 0, leaving one weight; the chain rejects that.
    const out = toChainWeights({
      uids: [4, 9],
      scores: [1, 1e-7],
      maxWeightLimit: 65535,
      minAllowedWeights: 2,
    });
    expect(out).toEqual({ uids: [4, 9], weights: [65535, 1] });
  });

  it('throws WEIGHTS_UNSATISFIABLE when no vector over n uids can meet the limit', () => {
    expect(() =>
      toChainWeights({ uids: [0, 1, 2], scores: [1, 2, 3], maxWeightLimit: 1000, minAllowedWeights: 0 }),
    ).toThrow(ScoringError);
  });

  const input = fc.integer({ min: 1, max: 300 }).chain((n) =>
    fc.record({
      uids: fc.shuffledSubarray([...Array(1024).keys()], { minLength: n, maxLength: n }),
      scores: fc.array(
        fc.oneof(
          fc.constant(0),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1e-9, noNaN: true }),
        ),
        {
          minLength: n,
          maxLength: n,
        },
      ),
      maxWeightLimit: fc.integer({ min: Math.ceil(65535 / n), max: 65535 }),
      minAllowedWeights: fc.integer({ min: 0, max: 512 }),
    }),
  );

  it('always produces weights the chain accepts, deterministically', () => {
    fc.assert(
      fc.property(input, (inp) => {
        const out = toChainWeights(inp);
        expectChainAccepts(out, inp);
        expect(toChainWeights(structuredClone(inp))).toEqual(out);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with satisfiesMaxWeightLimit and the fixed-point chain check', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 65535 }),
        (w, limit) => {
          expect(satisfiesMaxWeightLimit(w, limit)).toBe(chainAcceptsMaxWeight(w, limit));
        },
      ),
    );
  });
});

describe('weightsVersionKey', () => {
  it('folds the scoring version into the Omron weights version', () => {
    expect(weightsVersionKey()).toBe(11_002_001);
    expect(weightsVersionKey({ ...SCORING_CONFIG, version: 7 })).toBe(11_002_007);
    expect(weightsVersionKey({ ...SCORING_CONFIG, version: 2 })).toBeGreaterThan(weightsVersionKey());
    expect(() => weightsVersionKey({ ...SCORING_CONFIG, version: 1000 })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG' }),
    );
  });
});
