import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChainError } from '../errors.js';
import type { Chain, ChainWallet, WeightHyperparameters } from '../types.js';
import { devWallet } from './wallets.js';

/** A chain the suite may write to, plus the owner/sudo knob to set weight hyperparameters. */
export interface WriteConformanceTarget {
  netuid: number;
  open(): Promise<Chain>;
  configure(chain: Chain, netuid: number, changes: Partial<WeightHyperparameters>): Promise<void>;
  /** Wait for `blocks` more blocks (fast clocks in tests). */
  advance(chain: Chain, blocks: number): Promise<void>;
}

/** Write-side behaviour every writable Chain must share: registration, axons, weights and their rules. */
export function describeWriteConformance(name: string, target: WriteConformanceTarget): void {
  const { netuid } = target;
  describe(`${name}: write conformance`, () => {
    let chain: Chain;
    let validator: ChainWallet;
    let miners: ChainWallet[];
    beforeEach(async () => {
      chain = await target.open();
      validator = await devWallet('validator');
      miners = await Promise.all(['miner-a', 'miner-b', 'miner-c'].map(devWallet));
    });
    afterEach(async () => {
      await chain.close();
    });

    const registerAll = async () => {
      const v = await chain.register(netuid, validator, { role: 'validator' });
      const m = [];
      for (const miner of miners) m.push(await chain.register(netuid, miner, { role: 'miner' }));
      return [v, ...m];
    };

    it('registers neurons with sequential uids, idempotently, and shows them in the metagraph', async () => {
      expect(await registerAll()).toEqual([0, 1, 2, 3]);
      expect(await chain.register(netuid, miners[1] as ChainWallet, { role: 'miner' })).toBe(2);
      const graph = await chain.metagraph(netuid);
      expect(graph.neurons.map((n) => n.hotkey)).toEqual([validator, ...miners].map((w) => w.hotkey.address));
      expect(graph.neurons[0]?.validatorPermit).toBe(true);
      expect(graph.neurons[0]?.stake).toBeGreaterThanOrEqual(1024);
      expect(await chain.uidForHotkey(netuid, (miners[2] as ChainWallet).hotkey.address)).toBe(3);
    });

    it('serves an axon and reads it back; refuses bad endpoints and unregistered hotkeys', async () => {
      const miner = miners[0] as ChainWallet;
      await expect(chain.serveAxon(netuid, miner, { ip: '10.1.2.3', port: 8091 })).rejects.toMatchObject({
        code: 'NOT_REGISTERED',
      });
      await registerAll();
      await chain.serveAxon(netuid, miner, { ip: '10.1.2.3', port: 8091, version: 11002 });
      await chain.serveAxon(netuid, miner, { ip: '10.1.2.3', port: 8091, version: 11002 }); // unchanged: no-op
      const axon = (await chain.metagraph(netuid)).neurons[1]?.axon;
      expect(axon).toEqual({ ip: '10.1.2.3', port: 8091, ipType: 4, version: 11002, protocol: 4 });
      await expect(chain.serveAxon(netuid, miner, { ip: '10.1.2', port: 1 })).rejects.toMatchObject({
        code: 'INVALID_IP',
      });
      await expect(chain.serveAxon(netuid, miner, { ip: '10.1.2.3', port: 70000 })).rejects.toMatchObject({
        code: 'INVALID_PORT',
      });
    });

    it('sets weights, then refuses under the rate limit and accepts once it has passed', async () => {
      await registerAll();
      await target.configure(chain, netuid, { weightsRateLimit: 10 });
      const first = await chain.setWeights(netuid, validator, { uids: [1, 2, 3], scores: [1, 2, 0] }, 0);
      expect(first).toMatchObject({ mode: 'direct', uids: [1, 2], weights: [32768, 65535] });
      expect(await chain.lastWeights(netuid, 0)).toMatchObject({ uids: [1, 2], weights: [32768, 65535] });
      expect((await chain.metagraph(netuid)).neurons[0]?.lastUpdate).toBe(first.block);
      const limited = await chain
        .setWeights(netuid, validator, { uids: [1], scores: [1] }, 0)
        .catch((e) => e);
      expect(limited).toBeInstanceOf(ChainError);
      expect(limited).toMatchObject({ code: 'RATE_LIMITED' });
      await target.advance(chain, 11);
      const second = await chain.setWeights(netuid, validator, { uids: [3], scores: [1] }, 0);
      expect(second.block - first.block).toBeGreaterThanOrEqual(10);
      expect((await chain.lastWeights(netuid, 0))?.uids).toEqual([3]);
    });

    it('refuses what the chain would reject: version key, permit, too few weights', async () => {
      await registerAll();
      await target.configure(chain, netuid, {
        weightsVersionKey: 7,
        minAllowedWeights: 2,
        weightsRateLimit: 0,
      });
      const scores = { uids: [1, 2], scores: [1, 1] };
      await expect(chain.setWeights(netuid, validator, scores, 6)).rejects.toMatchObject({
        code: 'VERSION_KEY_TOO_LOW',
      });
      await expect(chain.setWeights(netuid, miners[0] as ChainWallet, scores, 7)).rejects.toMatchObject({
        code: 'NO_VALIDATOR_PERMIT',
      });
      await expect(chain.setWeights(netuid, validator, { uids: [1], scores: [1] }, 7)).rejects.toMatchObject({
        code: 'TOO_FEW_WEIGHTS',
      });
      expect(await chain.lastWeights(netuid, 0)).toBeNull();
      expect((await chain.setWeights(netuid, validator, scores, 7)).uids).toEqual([1, 2]);
    });
  });
}
