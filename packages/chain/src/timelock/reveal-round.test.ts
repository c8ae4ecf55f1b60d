import { describe, expect, it } from 'vitest';
import { QUICKNET, roundTimeMs } from './quicknet.js';
import { type EpochSchedule, firstRevealBlock, legacyFirstRevealBlock, revealRound } from './reveal-round.js';

const base: EpochSchedule = {
  lastEpochBlock: 10,
  pendingEpochAt: 0,
  subnetEpochIndex: 0,
  tempo: 50,
  blocksSinceLastStep: 0,
  currentBlock: 10,
};

describe('reveal block and round', () => {
  it('stateful schedule: the reveal is one tempo after the epoch the commit lands in', () => {
    expect(firstRevealBlock(base, 1)).toBe(60);
    expect(firstRevealBlock({ ...base, currentBlock: 59 }, 1)).toBe(110); // included at 60: already the next epoch
    expect(firstRevealBlock(base, 2)).toBe(110);
  });

  it('stateful schedule: an owner-triggered epoch fires before the tempo runs out', () => {
    const pending = { ...base, lastEpochBlock: 80, pendingEpochAt: 95, tempo: 20, currentBlock: 91 };
    expect(firstRevealBlock(pending, 1)).toBe(95);
    expect(() => firstRevealBlock({ ...base, tempo: 0 }, 1)).toThrow(/tempo is 0/);
  });

  it('legacy formula: start of the epoch after the head block (netuid-shifted)', () => {
    // tempo 360, netuid 2: epochs start at k·361 − 3.
    expect(legacyFirstRevealBlock(1000, 2, 360, 1)).toBe(3 * 361 - 3);
    expect(legacyFirstRevealBlock(1080, 2, 360, 1)).toBe(4 * 361 - 3);
  });

  it('aims 3 blocks past the reveal block and rounds the time down to a quicknet round', () => {
    const nowMs = roundTimeMs(5_000_000) + 1_500;
    const { round, revealBlock } = revealRound({
      netuid: 2,
      currentBlock: 1000,
      tempo: 360,
      revealPeriodEpochs: 1,
      nowMs,
    });
    expect(revealBlock).toBe(1080);
    // 83 blocks of 12 s ahead = 996 s = 332 rounds; the half period now is rounded down.
    expect(round).toBe(5_000_000 + 332);
    const stateful = revealRound({
      netuid: 2,
      currentBlock: 10,
      tempo: 50,
      revealPeriodEpochs: 1,
      schedule: base,
      nowMs,
      blockTimeS: 0.25,
    });
    expect(stateful).toEqual({
      round: 5_000_000 + Math.floor((1.5 + 53 * 0.25) / QUICKNET.periodS),
      revealBlock: 60,
    });
  });
});
