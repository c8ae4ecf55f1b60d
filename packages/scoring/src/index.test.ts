import { describe, expect, it } from 'vitest';
import * as scoring from './index.js';

describe('@omron/scoring public API', () => {
  it('exports the contract other packages code against', () => {
    for (const name of [
      'SCORING_CONFIG',
      'updateScore',
      'ResponseTimeStats',
      'ScoreBook',
      'toChainWeights',
      'convertWeightsAndUidsForEmit',
      'weightsVersionKey',
      'ScoringError',
    ]) {
      expect(scoring, name).toHaveProperty(name);
    }
  });

  it('runs one validator step end to end', () => {
    const stats = new scoring.ResponseTimeStats();
    const book = new scoring.ScoreBook();
    book.syncHotkeys(['5A', '5B', '5C', '5D']);
    const answers = [
      { uid: 0, verified: true, responseTimeS: 2, proofSizeBytes: 4192 },
      { uid: 1, verified: true, responseTimeS: 9, proofSizeBytes: 4192 },
      { uid: 2, verified: false },
    ];
    for (const a of answers) if (a.verified) stats.record(a.uid, a.responseTimeS!);
    const bounds = stats.bounds(60);
    for (const a of answers) book.applyResponse(a.uid, a, bounds);
    book.zeroNonQueryable([0, 1, 2]);
    const weights = scoring.toChainWeights({
      uids: [0, 1, 2, 3],
      scores: book.scores(),
      maxWeightLimit: 65535,
      minAllowedWeights: 1,
    });
    expect(weights.uids).toEqual([0, 1]);
    expect(weights.weights[0]).toBe(65535);
    expect(weights.weights[1]).toBeLessThan(65535);
    expect(scoring.weightsVersionKey()).toBe(11002001);
  });
});
