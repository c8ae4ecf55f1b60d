import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChainError } from '../errors.js';
import { describeReadConformance } from '../test-support/conformance.js';
import { devWallet } from '../test-support/wallets.js';
import { describeWriteConformance } from '../test-support/write-conformance.js';
import type { ChainWallet } from '../types.js';
import { LocalChain } from './local-chain.js';

const NETUID = 2;

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'omron-localnet-'));
}

describeReadConformance('LocalChain', {
  netuid: NETUID,
  async open() {
    const chain = await LocalChain.open({ dir: await tempDir(), blockTimeMs: 20 });
    await chain.register(NETUID, await devWallet('validator'), { role: 'validator' });
    await chain.register(NETUID, await devWallet('miner-a'), { role: 'miner' });
    return chain;
  },
  async knownHotkey() {
    return { hotkey: (await devWallet('miner-a')).hotkey.address, uid: 1 };
  },
});

describeWriteConformance('LocalChain', {
  netuid: NETUID,
  async open() {
    // 50 ms blocks: a 10-block rate limit spans 500 ms, far more than one call takes on a busy machine.
    return LocalChain.open({ dir: await tempDir(), blockTimeMs: 50 });
  },
  async configure(chain, netuid, changes) {
    await (chain as LocalChain).setHyperparameters(netuid, changes);
  },
  async advance(chain, blocks) {
    const target = (await chain.currentBlock()) + blocks;
    while ((await chain.currentBlock()) < target) await new Promise((r) => setTimeout(r, 10));
  },
});

describe('LocalChain', () => {
  let dir: string;
  let chain: LocalChain;
  let validator: ChainWallet;
  let miners: ChainWallet[];

  beforeEach(async () => {
    dir = await tempDir();
    chain = await LocalChain.open({ dir, blockTimeMs: 20 });
    validator = await devWallet('validator');
    miners = await Promise.all(['miner-a', 'miner-b', 'miner-c'].map(devWallet));
  });
  afterEach(async () => {
    await chain.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('advances blocks on its clock and notifies subscribers in order', async () => {
    const start = await chain.currentBlock();
    const seen: number[] = [];
    const stop = chain.onBlock((b) => seen.push(b));
    await new Promise((r) => setTimeout(r, 150));
    stop();
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen[0]).toBeGreaterThan(start);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1] as number);
  });

  it('registers the first neuron as validator with permit and stake >= 1024, later ones as miners', async () => {
    expect(await chain.register(NETUID, validator)).toBe(0);
    expect(await chain.register(NETUID, miners[0] as ChainWallet)).toBe(1);
    expect(await chain.register(NETUID, validator)).toBe(0); // idempotent
    const graph = await chain.metagraph(NETUID);
    expect(graph.neurons.map((n) => [n.uid, n.validatorPermit])).toEqual([
      [0, true],
      [1, false],
    ]);
    expect(graph.neurons[0]?.stake).toBeGreaterThanOrEqual(1024);
    expect(graph.neurons[1]?.stake).toBeLessThan(1024);
    expect(graph.neurons[0]?.coldkey).toBe(validator.coldkeyAddress);
  });

  it('sets weights, enforces the rate limit, version key, permit and minimum count', async () => {
    await chain.register(NETUID, validator);
    for (const m of miners) await chain.register(NETUID, m);
    await chain.setHyperparameters(NETUID, {
      weightsRateLimit: 1000,
      weightsVersionKey: 7,
      minAllowedWeights: 2,
    });
    const scores = { uids: [1, 2, 3], scores: [0.5, 1, 0] };
    await expect(chain.setWeights(NETUID, validator, scores, 6)).rejects.toMatchObject({
      code: 'VERSION_KEY_TOO_LOW',
    });
    await expect(chain.setWeights(NETUID, miners[0] as ChainWallet, scores, 7)).rejects.toMatchObject({
      code: 'NO_VALIDATOR_PERMIT',
    });
    await expect(chain.setWeights(NETUID, validator, { uids: [1], scores: [1] }, 7)).rejects.toMatchObject({
      code: 'TOO_FEW_WEIGHTS',
    });
    const result = await chain.setWeights(NETUID, validator, scores, 7);
    expect(result.mode).toBe('direct');
    expect(result.uids).toEqual([1, 2]);
    expect(Math.max(...result.weights)).toBe(65535);
    expect(await chain.lastWeights(NETUID, 0)).toMatchObject({
      uids: [1, 2],
      weights: result.weights,
      versionKey: 7,
    });
    const graph = await chain.metagraph(NETUID);
    expect(graph.neurons[0]?.lastUpdate).toBe(result.block);
    expect(graph.neurons[2]?.incentive).toBeGreaterThan(graph.neurons[1]?.incentive ?? 1);
    const limited = await chain.setWeights(NETUID, validator, scores, 7).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ChainError);
    expect(limited).toMatchObject({ code: 'RATE_LIMITED' });
    expect((limited as ChainError).details?.blocksRemaining).toBeGreaterThan(0);
  });

  it('under commit-reveal, weights count only from the reveal block', async () => {
    await chain.register(NETUID, validator);
    await chain.register(NETUID, miners[0] as ChainWallet);
    await chain.setHyperparameters(NETUID, { commitRevealEnabled: true, tempo: 30, weightsRateLimit: 0 });
    const result = await chain.setWeights(NETUID, validator, { uids: [1], scores: [1] }, 0);
    expect(result.mode).toBe('commit');
    expect(result.revealBlock).toBeGreaterThan(result.block);
    const early = await chain.lastWeights(NETUID, 0);
    // Only meaningful while the reveal block is still ahead (a slow machine may already be past it).
    if ((await chain.currentBlock()) < (result.revealBlock as number)) expect(early).toBeNull();
    await result.revealed;
    expect(await chain.currentBlock()).toBeGreaterThanOrEqual(result.revealBlock as number);
    expect((await chain.lastWeights(NETUID, 0))?.uids).toEqual([1]);
  });

  it('keeps its state across restarts and keeps block numbers continuous', async () => {
    await chain.register(NETUID, validator);
    const before = await chain.currentBlock();
    await chain.close();
    chain = await LocalChain.open({ dir, blockTimeMs: 1_000_000 });
    expect(await chain.uidForHotkey(NETUID, validator.hotkey.address)).toBe(0);
    const after = await chain.currentBlock();
    expect(after).toBeGreaterThanOrEqual(before);
    expect(after - before).toBeLessThan(50);
  });

  it('creates development wallets on first use and loads the same keys afterwards', async () => {
    const created = await chain.developmentWallet('validator', 'default');
    const again = await chain.developmentWallet('validator', 'default');
    expect(again.hotkey.address).toBe(created.hotkey.address);
    expect(again.coldkeyAddress).toBe(created.coldkeyAddress);
    expect(created.path).toBe(join(dir, 'wallets'));
    const other = await chain.developmentWallet('miner', 'default');
    expect(other.hotkey.address).not.toBe(created.hotkey.address);
    expect(await chain.register(NETUID, created)).toBe(0);
    const signature = created.hotkey.sign(new Uint8Array([1, 2, 3]));
    expect(created.hotkey.verify(new Uint8Array([1, 2, 3]), signature, created.hotkey.publicKey)).toBe(true);
  });

  it('enforces the serving rate limit once an axon is served', async () => {
    const miner = miners[0] as ChainWallet;
    await chain.register(NETUID, miner);
    await chain.setHyperparameters(NETUID, { servingRateLimit: 1000 });
    await chain.serveAxon(NETUID, miner, { ip: '127.0.0.1', port: 8091 }); // loopback is fine locally
    await expect(chain.serveAxon(NETUID, miner, { ip: '127.0.0.1', port: 9000 })).rejects.toMatchObject({
      code: 'SERVING_RATE_LIMITED',
    });
  });

  it('rejects bad input with typed errors', async () => {
    await expect(chain.metagraph(0)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(LocalChain.open({ dir, blockTimeMs: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(chain.setWeights(NETUID, validator, { uids: [0], scores: [1] }, 0)).rejects.toMatchObject({
      code: 'NOT_REGISTERED',
    });
    await chain.register(NETUID, validator);
    await expect(chain.setWeights(NETUID, validator, { uids: [0, 1], scores: [1] }, 0)).rejects.toMatchObject(
      {
        code: 'BAD_INPUT',
      },
    );
    await expect(
      chain.setWeights(NETUID, validator, { uids: [0], scores: [Number.NaN] }, 0),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    await expect(chain.setWeights(NETUID, validator, { uids: [5], scores: [1] }, 0)).rejects.toMatchObject({
      code: 'INVALID_UIDS',
    });
  });
});
