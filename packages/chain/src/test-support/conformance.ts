import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Chain } from '../types.js';
import { devWallet } from './wallets.js';

/** What a conformance run needs from an implementation: a fresh chain and, if it can write, a way to age it. */
export interface ConformanceTarget {
  open(): Promise<Chain>;
  /** A netuid that has neurons (readers) or that the test may register on (writers). */
  netuid: number;
  /** A registered hotkey and its uid (after `open`). */
  knownHotkey(): Promise<{ hotkey: string; uid: number }>;
  /** Reads the target cannot answer (a replay holds only what was recorded). */
  skip?: ('uidLookup' | 'hyperparameters')[];
}

/** Read-side behaviour every Chain must share. */
export function describeReadConformance(name: string, target: ConformanceTarget): void {
  describe(`${name}: read conformance`, () => {
    let chain: Chain;
    beforeEach(async () => {
      chain = await target.open();
    });
    afterEach(async () => {
      await chain.close();
    });

    it('reports a non-negative integer block', async () => {
      const block = await chain.currentBlock();
      expect(Number.isInteger(block)).toBe(true);
      expect(block).toBeGreaterThanOrEqual(0);
    });

    it('orders the metagraph by uid with well-formed neurons', async () => {
      const graph = await chain.metagraph(target.netuid);
      expect(graph.netuid).toBe(target.netuid);
      graph.neurons.forEach((n, i) => {
        expect(n.uid).toBe(i);
        expect(n.hotkey).toMatch(/^5[1-9A-HJ-NP-Za-km-z]{47}$/);
        expect(n.coldkey).toMatch(/^5[1-9A-HJ-NP-Za-km-z]{47}$/);
        expect(n.stake).toBeGreaterThanOrEqual(0);
        expect(n.axon.port).toBeGreaterThanOrEqual(0);
        expect(n.axon.port).toBeLessThanOrEqual(65535);
      });
      const known = await target.knownHotkey();
      expect(graph.neurons[known.uid]?.hotkey).toBe(known.hotkey);
    });

    it.skipIf(target.skip?.includes('uidLookup'))(
      'maps hotkeys to uids and unknown hotkeys to null',
      async () => {
        const { hotkey, uid } = await target.knownHotkey();
        expect(await chain.uidForHotkey(target.netuid, hotkey)).toBe(uid);
        expect(await chain.isRegistered(target.netuid, hotkey)).toBe(true);
        const stranger = (await devWallet('conformance-stranger')).hotkey.address;
        expect(await chain.uidForHotkey(target.netuid, stranger)).toBeNull();
        expect(await chain.isRegistered(target.netuid, stranger)).toBe(false);
      },
    );

    it.skipIf(target.skip?.includes('hyperparameters'))(
      'returns weight hyperparameters in chain ranges',
      async () => {
        const hp = await chain.hyperparameters(target.netuid);
        expect(hp.tempo).toBeGreaterThan(0);
        expect(hp.maxWeightLimit).toBeGreaterThan(0);
        expect(hp.maxWeightLimit).toBeLessThanOrEqual(65535);
        expect(hp.weightsRateLimit).toBeGreaterThanOrEqual(0);
        expect(typeof hp.commitRevealEnabled).toBe('boolean');
      },
    );
  });
}
