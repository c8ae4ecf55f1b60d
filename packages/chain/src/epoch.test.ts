import { describe, expect, it } from 'vitest';
import { epochOf, epochStartBlock, revealStartBlock } from './epoch.js';

describe('epoch arithmetic (legacy formula, tempo 360)', () => {
  it('places each block in the epoch whose start precedes it', () => {
    for (const netuid of [1, 2, 23]) {
      for (const block of [0, 359, 360, 361, 6852690]) {
        const epoch = epochOf(block, netuid, 360);
        expect(epochStartBlock(epoch, netuid, 360)).toBeLessThanOrEqual(block);
        expect(epochStartBlock(epoch + 1, netuid, 360)).toBeGreaterThan(block);
      }
    }
  });

  it('matches Omron get_epoch_start_block(e) = e*361 - (netuid+1)', () => {
    expect(epochStartBlock(100, 2, 360)).toBe(100 * 361 - 3);
    expect(epochOf(100 * 361 - 3, 2, 360)).toBe(100);
    expect(epochOf(100 * 361 - 4, 2, 360)).toBe(99);
  });

  it('opens the reveal at the start of the epoch after the commit (period 1) or later', () => {
    const commit = 100 * 361 + 50;
    expect(revealStartBlock(commit, 2, 360, 1)).toBe(epochStartBlock(epochOf(commit, 2, 360) + 1, 2, 360));
    expect(revealStartBlock(commit, 2, 360, 2) - revealStartBlock(commit, 2, 360, 1)).toBe(361);
  });
});
