import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeMaxWeight, processWeights } from './normalize-max-weight.js';

type SdkCase = {
  scores: number[];
  maxWeightLimit: number;
  minAllowedWeights: number;
  processed: { uids: number[]; weights: number[] };
};
// Recorded from the bittensor SDK itself by scripts/sdk-weight-vectors.py (see its docstring).
const SDK: { source: string; cases: SdkCase[] } = JSON.parse(
  readFileSync(new URL('./testdata/sdk-weight-vectors.json', import.meta.url), 'utf8'),
);

describe('processWeights against the SDK', () => {
  it(`matches ${SDK.cases.length} vectors recorded from ${SDK.source}`, () => {
    expect(SDK.cases.length).toBeGreaterThan(300);
    for (const c of SDK.cases) {
      const uids = c.scores.map((_, i) => i);
      const total = c.scores.reduce((a, b) => a + b, 0);
      const unit = total > 0 ? c.scores.map((s) => s / total) : c.scores;
      const got = processWeights(uids, unit, c.minAllowedWeights, c.maxWeightLimit / 65535);
      expect(got.uids).toEqual(c.processed.uids);
      got.weights.forEach((w, i) => {
        const want = c.processed.weights[i]!;
        // float32 (SDK) against float64 (here): agree to float32 precision.
        expect(Math.abs(w - want)).toBeLessThanOrEqual(2e-7 * Math.max(want, 1e-3));
      });
    }
  });
});

describe('normalizeMaxWeight', () => {
  it('only rescales when nothing exceeds the limit', () => {
    expect(normalizeMaxWeight([1, 2, 1], 0.5)).toEqual([0.25, 0.5, 0.25]);
  });

  it('returns uniform weights for an all-zero vector or an unreachable limit', () => {
    expect(normalizeMaxWeight([0, 0, 0, 0], 0.5)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(normalizeMaxWeight([1, 9], 0.4)).toEqual([0.5, 0.5]);
    expect(normalizeMaxWeight([], 0.4)).toEqual([]);
  });

  it('caps the largest shares just under the limit and keeps the order of the rest', () => {
    const y = normalizeMaxWeight([10, 1, 1, 1, 1], 0.4);
    expect(y[0]).toBeLessThanOrEqual(0.4);
    expect(y[0]).toBeGreaterThan(0.399);
    expect(y[1]).toBeCloseTo(0.15, 6);
  });

  it('stays finite when the epsilon outweighs a tiny total (found by fast-check)', () => {
    const y = normalizeMaxWeight([0, 0, 5e-324], 0.3333333333333334);
    expect(y.every(Number.isFinite)).toBe(true);
    expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('always sums to 1 and respects a reachable limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (x, limit) => {
          const y = normalizeMaxWeight(x, limit);
          expect(y.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
          if (x.length * limit > 1) {
            for (const v of y) expect(v).toBeLessThanOrEqual(limit + 1e-9);
          }
        },
      ),
    );
  });
});
