import { describe, expect, it } from 'vitest';
import { SCORING_CONFIG, type ScoringConfig, validateConfig } from './config.js';

describe('SCORING_CONFIG', () => {
  it('holds the Omron constants, with proof size switched on', () => {
    expect(SCORING_CONFIG).toMatchObject({
      version: 1,
      decayRate: 0.4,
      alpha: 0.1,
      flattening: 0.9,
      maxResponseTimeDecimal: 0.99,
      responseTimeWeight: 1,
      slowestSampleFraction: 0.05,
      evaluationStoreCapacity: 1024,
      weightsVersionBase: 11002,
    });
    expect(SCORING_CONFIG.proofSizeWeight).toBeGreaterThan(0);
    expect(validateConfig(SCORING_CONFIG)).toBe(SCORING_CONFIG);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(SCORING_CONFIG)).toBe(true);
  });

  it.each([
    ['decayRate', 1.5],
    ['alpha', -0.1],
    ['flattening', 1],
    ['version', 1.5],
    ['evaluationStoreCapacity', 0],
    ['proofSizeThresholdBytes', 0],
    ['minResponseTimeSpanS', Number.NaN],
  ] as const)('rejects %s = %f with INVALID_CONFIG', (key, value) => {
    const bad = { ...SCORING_CONFIG, [key]: value } as ScoringConfig;
    expect(() => validateConfig(bad)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(key) }),
    );
  });
});
