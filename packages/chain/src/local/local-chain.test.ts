import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToU8a } from '@polkadot/util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { epochOf, epochStartBlock } from '../epoch.js';
import { ChainError } from '../errors.js';
import { describeReadConformance } from '../test-support/conformance.js';
import { devWallet } from '../test-support/wallets.js';
import { describeWriteConformance } from '../test-support/write-conformance.js';
import { decryptWeightsCommit } from '../timelock/weights-commit.js';
import type { ChainLogger, ChainWallet } from '../types.js';
import { LocalChain } from './local-chain.js';

const NETUID = 2;

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'omron-localnet-'));
}

/** Waits for the first blocks of an epoch, so a commit made now is a whole epoch away from its reveal. */
async function atEpochStart(chain: LocalChain, tempo: number): Promise<void> {
  for (;;) {
    const block = await chain.currentBlock();
    if (block - epochStartBlock(epochOf(block, NETUID, tempo), NETUID, tempo) < 5) return;
    await new Promise((r) => setTimeout(r, 10));
  }
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

  it('under commit-reveal, a timelocked commit is opened by the chain at its round and applied, unasked', async () => {
    await chain.register(NETUID, validator);
    await chain.register(NETUID, miners[0] as ChainWallet);
    await chain.setHyperparameters(NETUID, { commitRevealEnabled: true, tempo: 30, weightsRateLimit: 0 });
    const result = await chain.setWeights(NETUID, validator, { uids: [1], scores: [1] }, 3);
    expect(result.mode).toBe('timelock');
    expect(result.revealRound).toBeGreaterThanOrEqual(chain.beacon.latestRound() - 1);
    expect(result.revealBlock).toBeGreaterThan(result.block);
    const round = result.revealRound as number;
    const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
    const [stored] = state.subnets[String(NETUID)].timelockedCommits;
    expect(stored).toMatchObject({ round, hotkey: validator.hotkey.address });
    if ((await chain.currentBlock()) < (result.revealBlock as number)) {
      expect(await chain.lastWeights(NETUID, 0)).toBeNull();
    }
    await result.revealed;
    expect(await chain.currentBlock()).toBeGreaterThanOrEqual(result.revealBlock as number);
    expect(await chain.lastWeights(NETUID, 0)).toMatchObject({ uids: [1], weights: [65535], versionKey: 3 });
    // What was on disk was only the ciphertext, which opens with the beacon's signature of that round alone.
    expect(() => decryptWeightsCommit(hexToU8a(stored.commit), chain.beacon.signature(round - 1))).toThrow();
    expect(decryptWeightsCommit(hexToU8a(stored.commit), chain.beacon.signature(round))).toMatchObject({
      uids: [1],
      values: [65535],
      versionKey: 3,
    });
    expect((await chain.metagraph(NETUID)).neurons[1]?.incentive).toBe(1);
  });

  it('CRv2 (hash): saves the reveal before committing, reveals it in the next epoch, then forgets it', async () => {
    const path = join(dir, 'pending-reveals.json');
    const crv2 = await LocalChain.open({
      dir,
      blockTimeMs: 20,
      commitReveal: 'hash',
      pendingRevealsPath: path,
    });
    try {
      await crv2.register(NETUID, validator);
      await crv2.register(NETUID, miners[0] as ChainWallet);
      await crv2.setHyperparameters(NETUID, { commitRevealEnabled: true, tempo: 30, weightsRateLimit: 0 });
      await atEpochStart(crv2, 30);
      const result = await crv2.setWeights(NETUID, validator, { uids: [1], scores: [1] }, 0);
      expect(result.mode).toBe('commit');
      const saved = JSON.parse(await readFile(path, 'utf8')).reveals;
      expect(saved).toMatchObject([
        { netuid: NETUID, uids: [1], weights: [65535], commitBlock: result.block },
      ]);
      expect(saved[0].salt).toHaveLength(8);
      await result.revealed;
      expect(await crv2.lastWeights(NETUID, 0)).toMatchObject({ uids: [1], weights: [65535] });
      expect(JSON.parse(await readFile(path, 'utf8')).reveals).toEqual([]);
    } finally {
      await crv2.close();
    }
  });

  it('CRv2 (hash): a reveal saved by a run that stopped is revealed after a restart; an expired one is dropped', async () => {
    const path = join(dir, 'pending-reveals.json');
    const open = (logger?: ChainLogger) =>
      LocalChain.open({
        dir,
        blockTimeMs: 20,
        commitReveal: 'hash',
        pendingRevealsPath: path,
        ...(logger ? { logger } : {}),
      });
    const first = await open();
    await first.register(NETUID, validator);
    await first.register(NETUID, miners[0] as ChainWallet);
    await first.setHyperparameters(NETUID, { commitRevealEnabled: true, tempo: 30, weightsRateLimit: 0 });
    await atEpochStart(first, 30);
    const committed = await first.setWeights(NETUID, validator, { uids: [1], scores: [1] }, 0);
    await first.close(); // the run ends before the reveal epoch
    await expect(committed.revealed).rejects.toMatchObject({ code: 'CLOSED' });
    expect(JSON.parse(await readFile(path, 'utf8')).reveals).toHaveLength(1);

    const second = await open();
    try {
      const resumed = await second.resumeReveals(validator);
      expect(resumed).toMatchObject({ scheduled: 1, dropped: 0 });
      expect(await resumed.done).toEqual({ revealed: 1, failed: 0 });
      expect(await second.lastWeights(NETUID, 0)).toMatchObject({ uids: [1], weights: [65535] });
      // Another commit, left unrevealed until its reveal epoch (31 blocks) has passed.
      await atEpochStart(second, 30);
      const late = await second.setWeights(NETUID, validator, { uids: [1], scores: [1] }, 0);
      late.revealed?.catch(() => undefined);
    } finally {
      await second.close();
    }
    const lines: string[] = [];
    const third = await open({ info: () => undefined, warn: (_o, msg) => lines.push(msg) });
    try {
      const end = (await third.currentBlock()) + 70;
      while ((await third.currentBlock()) < end) await new Promise((r) => setTimeout(r, 50));
      const resumed = await third.resumeReveals(validator);
      expect(resumed).toMatchObject({ scheduled: 0, dropped: 1 });
      expect(lines.some((l) => /dropping saved CRv2 reveal: reveal epoch \d+ has passed/.test(l))).toBe(true);
      expect(JSON.parse(await readFile(path, 'utf8')).reveals).toEqual([]);
    } finally {
      await third.close();
    }
  });

  it('refuses commits the chain would refuse, with typed errors', async () => {
    await chain.register(NETUID, validator);
    await chain.register(NETUID, miners[0] as ChainWallet);
    await chain.setHyperparameters(NETUID, { commitRevealEnabled: true, tempo: 1000, weightsRateLimit: 0 });
    await chain.setCommitRevealVersion(3);
    await expect(chain.setWeights(NETUID, validator, { uids: [1], scores: [1] }, 0)).rejects.toMatchObject({
      code: 'COMMIT_REVEAL_VERSION',
    });
    await chain.setCommitRevealVersion(4);
    for (let i = 0; i < 10; i++) await chain.setWeights(NETUID, validator, { uids: [1], scores: [1] }, 0);
    await expect(chain.setWeights(NETUID, validator, { uids: [1], scores: [1] }, 0)).rejects.toMatchObject({
      code: 'TOO_MANY_UNREVEALED_COMMITS',
    });
    await expect(
      chain.setWeights(NETUID, validator, { uids: [1], scores: [1] }, 0, { mechid: 1 }),
    ).rejects.toMatchObject({ code: 'MECHANISM_NOT_FOUND' });
  });

  it('keeps the weights of each mechanism apart', async () => {
    await chain.register(NETUID, validator);
    await chain.register(NETUID, miners[0] as ChainWallet);
    await chain.register(NETUID, miners[1] as ChainWallet);
    await chain.setHyperparameters(NETUID, { mechanismCount: 2, weightsRateLimit: 0 });
    await chain.setWeights(NETUID, validator, { uids: [1], scores: [1] }, 0);
    await chain.setWeights(NETUID, validator, { uids: [2], scores: [1] }, 0, { mechid: 1 });
    expect((await chain.lastWeights(NETUID, 0))?.uids).toEqual([1]);
    expect((await chain.lastWeights(NETUID, 0, { mechid: 1 }))?.uids).toEqual([2]);
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
    await expect(chain.metagraph(0)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(LocalChain.open({ dir, blockTimeMs: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(chain.setWeights(NETUID, validator, { uids: [0], scores: [1] }, 0)).rejects.toMatchObject({
      code: 'NOT_REGISTERED',
    });
    await chain.register(NETUID, validator);
    await expect(chain.setWeights(NETUID, validator, { uids: [0, 1], scores: [1] }, 0)).rejects.toMatchObject(
      {
        code: 'INVALID_INPUT',
      },
    );
    await expect(
      chain.setWeights(NETUID, validator, { uids: [0], scores: [Number.NaN] }, 0),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(chain.setWeights(NETUID, validator, { uids: [5], scores: [1] }, 0)).rejects.toMatchObject({
      code: 'INVALID_UIDS',
    });
  });
});
