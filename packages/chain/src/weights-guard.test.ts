import { describe, expect, it } from 'vitest';
import type { WeightHyperparameters } from './types.js';
import { prepareWeights, type WeightCallContext } from './weights-guard.js';

const HP: WeightHyperparameters = {
  tempo: 360,
  weightsRateLimit: 100,
  minAllowedWeights: 1,
  maxWeightLimit: 65535,
  weightsVersionKey: 0,
  commitRevealEnabled: false,
  revealPeriodEpochs: 1,
};

function ctx(
  overrides: Partial<WeightCallContext> = {},
  hp: Partial<WeightHyperparameters> = {},
): WeightCallContext {
  return {
    netuid: 2,
    uid: 0,
    validatorPermit: true,
    lastUpdate: 0,
    block: 1000,
    subnetN: 8,
    hyperparameters: { ...HP, ...hp },
    ...overrides,
  };
}

describe('prepareWeights', () => {
  it('max-upscales to u16 and drops zero scores, as the SDK does before emitting', () => {
    const out = prepareWeights(ctx(), { uids: [1, 2, 3], scores: [0.25, 0.5, 0] }, 0);
    expect(out.uids).toEqual([1, 2]);
    expect(out.weights).toEqual([32768, 65535]);
  });

  it('enforces the rate limit from LastUpdate, allowing the first set (LastUpdate 0)', () => {
    expect(() => prepareWeights(ctx({ lastUpdate: 950 }), { uids: [1], scores: [1] }, 0)).toThrow(
      expect.objectContaining({
        code: 'RATE_LIMITED',
        details: expect.objectContaining({ blocksRemaining: 50 }),
      }),
    );
    expect(prepareWeights(ctx({ lastUpdate: 900 }), { uids: [1], scores: [1] }, 0).uids).toEqual([1]);
  });

  it('lets a neuron without a permit set a self-weight only', () => {
    const noPermit = ctx({ validatorPermit: false, uid: 4 });
    expect(prepareWeights(noPermit, { uids: [4], scores: [1] }, 0).uids).toEqual([4]);
    expect(() => prepareWeights(noPermit, { uids: [1], scores: [1] }, 0)).toThrow(
      expect.objectContaining({ code: 'NO_VALIDATOR_PERMIT' }),
    );
  });

  it('caps the minimum count at the subnet size and refuses uids that do not exist', () => {
    expect(() =>
      prepareWeights(ctx({}, { minAllowedWeights: 4 }), { uids: [1, 2], scores: [1, 1] }, 0),
    ).toThrow(expect.objectContaining({ code: 'TOO_FEW_WEIGHTS' }));
    const small = ctx({ subnetN: 2 }, { minAllowedWeights: 1024 });
    expect(prepareWeights(small, { uids: [0, 1], scores: [1, 1] }, 0).uids).toEqual([0, 1]);
    expect(() => prepareWeights(ctx(), { uids: [8], scores: [1] }, 0)).toThrow(
      expect.objectContaining({ code: 'INVALID_UIDS' }),
    );
  });

  it('refuses a version key below the subnet weights version', () => {
    const hp = { weightsVersionKey: 11002 };
    expect(() => prepareWeights(ctx({}, hp), { uids: [1], scores: [1] }, 11001)).toThrow(
      expect.objectContaining({ code: 'VERSION_KEY_TOO_LOW' }),
    );
    expect(prepareWeights(ctx({}, hp), { uids: [1], scores: [1] }, 11002).uids).toEqual([1]);
  });

  it('never emits weights the chain would reject for MaxWeightExceeded', () => {
    const limited = ctx({}, { maxWeightLimit: 32768 });
    const out = prepareWeights(limited, { uids: [1, 2, 3, 4], scores: [100, 1, 1, 1] }, 0);
    const sum = out.weights.reduce((a, b) => a + b, 0);
    expect(Math.max(...out.weights) * 65535).toBeLessThanOrEqual(32768 * sum);
  });

  it('rejects malformed input with INVALID_INPUT', () => {
    for (const scores of [
      { uids: [1, 2], scores: [1] },
      { uids: [1], scores: [-1] },
      { uids: [1], scores: [Number.POSITIVE_INFINITY] },
      { uids: [1.5], scores: [1] },
    ]) {
      expect(() => prepareWeights(ctx(), scores, 0)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
    expect(() => prepareWeights(ctx(), { uids: [1], scores: [1] }, -1)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
