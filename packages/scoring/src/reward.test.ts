import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCORING_CONFIG, type ScoringConfig } from './config.js';
import { ScoringError } from './errors.js';
import { normalizedResponseTime, shiftedTangent, targetFraction, updateScore } from './reward.js';

// Expected values were worked out from the formulas of the research notes (§4.1, §4.3.6) in 50-digit arithmetic
// (Python mpmath), independently of this code: h via tan, rt_norm = clamp((rt − min)/(max' − min), 0, 0.99)
// with max' = max(max, min + 1), frac = clamp(1 − h(rt_norm) − 0.1·min(1, size/30000), 0, 1),
// verified: prev + 0.1·(frac/n − prev); unverified: 0.6·prev.
// Example, row 1: rt = min → h(0) = 0, frac = 1 − 0.1·4192/30000 = 0.986027, target = frac/256,
// new = 0.1·target = 0.000385166666…
type Row = [
  prev: number,
  verified: boolean,
  rt: number | undefined,
  min: number,
  max: number,
  size: number | undefined,
  n: number,
  expected: number,
  why: string,
];
const GOLDEN: Row[] = [
  [0, true, 0.5, 0.5, 20, 4192, 256, 0.0003851666666666667, 'fastest: h = 0'],
  [0, true, 20, 0.5, 20, 4192, 256, 2.4875854663409487e-5, 'slowest: rt_norm capped at 0.99'],
  [0.00390625, true, 10.25, 0.5, 20, 4192, 256, 0.003705479166666667, 'midpoint: h = 0.5'],
  [0.002, true, 3, 1, 11, 0, 256, 0.0020304007584247296, 'zero-size proof: no penalty'],
  [0.002, true, 3, 1, 11, 30000, 256, 0.0019913382584247296, 'size at threshold: full penalty'],
  [0.002, true, 3, 1, 11, 90000, 256, 0.0019913382584247296, 'size above threshold: capped penalty'],
  [0.003, true, 0.1, 1, 11, 1000, 256, 0.003089322916666667, 'faster than min: clamped to 0'],
  [0.003, true, 100, 1, 11, 1000, 256, 0.0027290321046634096, 'slower than max: clamped to 0.99'],
  [0.001, true, 5.3, 5, 5.2, 2000, 256, 0.0011123399392436225, 'span < 1 s widened to min + 1'],
  [0.001, true, 5, 5, 5, 2000, 256, 0.0012880208333333333, 'max = min'],
  [0.001, true, undefined, 2, 30, undefined, 256, 0.0009238237713300761, 'no time, no size'],
  [0.5, true, 1, 1, 2, 0, 1, 0.55, 'n = 1: max score 1'],
  [0.01, true, 7.5, 0, 60, 15000, 64, 0.009924074818894768, 'n = 64, half penalty'],
  [0.00390625, false, 1, 1, 20, 4192, 256, 0.00234375, 'unverified decays'],
  [0.0025, false, undefined, 0, 0, undefined, 256, 0.0015, 'missing response decays'],
  [0, false, undefined, 0, 0, undefined, 256, 0, 'zero stays zero'],
];

describe('updateScore golden vectors', () => {
  it.each(GOLDEN)(
    'prev %f verified %s rt %s [%f, %f] size %s n %i → %f (%s)',
    (prev, verified, rt, min, max, size, n, expected) => {
      const response = {
        verified,
        ...(rt === undefined ? {} : { responseTimeS: rt }),
        ...(size === undefined ? {} : { proofSizeBytes: size }),
      };
      expect(Math.abs(updateScore(prev, response, { min, max }, n) - expected)).toBeLessThan(1e-12);
    },
  );

  it('reproduces HEAD when proof size is switched off (weight 0, threshold 3648)', () => {
    const head: ScoringConfig = { ...SCORING_CONFIG, proofSizeWeight: 0, proofSizeThresholdBytes: 3648 };
    const got = updateScore(
      0.002,
      { verified: true, responseTimeS: 3, proofSizeBytes: 4192 },
      { min: 1, max: 11 },
      256,
      head,
    );
    expect(Math.abs(got - 0.0020304007584247296)).toBeLessThan(1e-12);
  });

  it('clamps the target fraction at 0 when the size penalty outweighs the time term', () => {
    const heavy: ScoringConfig = { ...SCORING_CONFIG, proofSizeWeight: 2 };
    expect(targetFraction(10, 30000, { min: 1, max: 11 }, heavy)).toBe(0);
    expect(
      updateScore(
        0.002,
        { verified: true, responseTimeS: 10, proofSizeBytes: 30000 },
        { min: 1, max: 11 },
        256,
        heavy,
      ),
    ).toBeCloseTo(0.0018, 15);
  });
});

describe('shiftedTangent', () => {
  it.each([
    [0, 0],
    [0.25, 0.43236345432043627],
    [0.5, 0.5],
    [0.75, 0.5676365456795638],
    [0.99, 0.9223444787283384],
    [1, 1],
  ])('h(%f) = %f', (x, expected) => {
    expect(Math.abs(shiftedTangent(x) - expected)).toBeLessThan(1e-12);
  });

  it('is increasing on [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(shiftedTangent(lo)).toBeLessThanOrEqual(shiftedTangent(hi));
        },
      ),
    );
  });
});

describe('normalizedResponseTime', () => {
  it('maps min to 0 and max to the 0.99 cap', () => {
    expect(normalizedResponseTime(2, { min: 2, max: 12 })).toBe(0);
    expect(normalizedResponseTime(12, { min: 2, max: 12 })).toBe(0.99);
    expect(normalizedResponseTime(7, { min: 2, max: 12 })).toBe(0.5);
  });
});

const bounds = fc
  .tuple(fc.double({ min: 0, max: 300, noNaN: true }), fc.double({ min: 0, max: 300, noNaN: true }))
  .map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) }));
const n = fc.integer({ min: 1, max: 4096 });
const rt = fc.double({ min: 0, max: 600, noNaN: true });
const size = fc.double({ min: 0, max: 100_000, noNaN: true });

describe('updateScore properties', () => {
  it('keeps scores within [0, 1/n]', () => {
    fc.assert(
      fc.property(
        n,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        rt,
        size,
        bounds,
        (n, p, verified, rt, size, b) => {
          const prev = p / n;
          const next = updateScore(prev, { verified, responseTimeS: rt, proofSizeBytes: size }, b, n);
          expect(next).toBeGreaterThanOrEqual(0);
          expect(next).toBeLessThanOrEqual(1 / n);
        },
      ),
    );
  });

  it('never scores a faster verified response lower than a slower one', () => {
    fc.assert(
      fc.property(
        n,
        fc.double({ min: 0, max: 1, noNaN: true }),
        rt,
        rt,
        size,
        bounds,
        (n, p, a, b, size, bnd) => {
          const [fast, slow] = a <= b ? [a, b] : [b, a];
          const score = (t: number) =>
            updateScore(p / n, { verified: true, responseTimeS: t, proofSizeBytes: size }, bnd, n);
          expect(score(fast)).toBeGreaterThanOrEqual(score(slow));
        },
      ),
    );
  });

  it('never scores a smaller verified proof lower than a larger one', () => {
    fc.assert(
      fc.property(
        n,
        fc.double({ min: 0, max: 1, noNaN: true }),
        rt,
        size,
        size,
        bounds,
        (n, p, t, a, b, bnd) => {
          const [small, large] = a <= b ? [a, b] : [b, a];
          const score = (s: number) =>
            updateScore(p / n, { verified: true, responseTimeS: t, proofSizeBytes: s }, bnd, n);
          expect(score(small)).toBeGreaterThanOrEqual(score(large));
        },
      ),
    );
  });

  it('never raises a score on an unverified response', () => {
    fc.assert(
      fc.property(n, fc.double({ min: 0, max: 1, noNaN: true }), rt, bounds, (n, p, t, b) => {
        const prev = p / n;
        expect(updateScore(prev, { verified: false, responseTimeS: t }, b, n)).toBeLessThanOrEqual(prev);
      }),
    );
  });
});

describe('updateScore input errors', () => {
  const ok = { verified: true, responseTimeS: 1, proofSizeBytes: 1 };
  it.each([
    ['negative prev', () => updateScore(-1, ok, { min: 0, max: 1 }, 4)],
    ['NaN prev', () => updateScore(Number.NaN, ok, { min: 0, max: 1 }, 4)],
    ['n = 0', () => updateScore(0, ok, { min: 0, max: 1 }, 0)],
    ['fractional n', () => updateScore(0, ok, { min: 0, max: 1 }, 2.5)],
    ['max < min', () => updateScore(0, ok, { min: 5, max: 1 }, 4)],
    ['negative time', () => updateScore(0, { ...ok, responseTimeS: -1 }, { min: 0, max: 1 }, 4)],
    [
      'infinite size',
      () => updateScore(0, { ...ok, proofSizeBytes: Number.POSITIVE_INFINITY }, { min: 0, max: 1 }, 4),
    ],
  ])('%s → INVALID_INPUT', (_name, call) => {
    expect(call).toThrow(ScoringError);
    try {
      call();
    } catch (err) {
      expect((err as ScoringError).code).toBe('INVALID_INPUT');
    }
  });
});
