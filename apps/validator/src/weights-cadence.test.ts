import { describe, expect, it } from 'vitest';
import { blocksUntilNextEpoch, weightsDue } from './weights-cadence.js';

const base = { netuid: 2, tempo: 360, weightsRateLimit: 100 };

describe('blocksUntilNextEpoch', () => {
  it('follows Omron utils/epoch.py: a = block + netuid + 1, 360 − a mod 361', () => {
    expect(blocksUntilNextEpoch(357, 2, 360)).toBe(0);
    expect(blocksUntilNextEpoch(358, 2, 360)).toBe(360);
    expect(blocksUntilNextEpoch(0, 2, 360)).toBe(357);
  });
});

describe('weightsDue', () => {
  it('waits for the rate limit after a weight set', () => {
    expect(weightsDue({ ...base, network: 'local', block: 1050, lastUpdate: 1000 })).toEqual({
      due: false,
      reason: 'RATE_LIMIT',
      blocksToWait: 50,
    });
    expect(weightsDue({ ...base, network: 'local', block: 1100, lastUpdate: 1000 })).toEqual({ due: true });
  });

  it('lets a validator that never set weights set them at once on the local network', () => {
    expect(weightsDue({ ...base, network: 'local', block: 5, lastUpdate: 0 })).toEqual({ due: true });
  });

  it('on a real network also waits for the last 15 blocks of the epoch', () => {
    // block 1000: a = 1003, 1003 mod 361 = 281, remaining = 79
    expect(weightsDue({ ...base, network: 'finney', block: 1000, lastUpdate: 0 })).toEqual({
      due: false,
      reason: 'EPOCH_WINDOW',
      blocksToWait: 64,
    });
    // block 1065: remaining 14
    expect(weightsDue({ ...base, network: 'finney', block: 1065, lastUpdate: 0 })).toEqual({ due: true });
    expect(weightsDue({ ...base, network: 'finney', block: 1065, lastUpdate: 1000 })).toMatchObject({
      reason: 'RATE_LIMIT',
    });
  });
});
