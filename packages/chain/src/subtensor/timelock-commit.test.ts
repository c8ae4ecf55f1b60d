import type { ApiPromise } from '@polkadot/api';
import { hexToU8a, u8aToHex } from '@polkadot/util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochOf } from '../epoch.js';
import { HAVE_FIXTURES, replayChain, SKIP_REASON } from '../test-support/fixtures.js';
import { devWallet } from '../test-support/wallets.js';
import { roundTimeMs } from '../timelock/quicknet.js';
import { decryptWeightsCommit } from '../timelock/weights-commit.js';
import { subtensorHashCommitPort } from './commit-reveal.js';
import type { SubtensorChain } from './subtensor-chain.js';
import { prepareTimelockCommit, readTimelockState, type TimelockChainState } from './timelock-commit.js';

if (!HAVE_FIXTURES) console.warn(SKIP_REASON);

const ROUND_1000_SIGNATURE = hexToU8a(
  '0xb44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39',
);
const HP = {
  tempo: 360,
  weightsRateLimit: 100,
  minAllowedWeights: 1,
  maxWeightLimit: 65535,
  weightsVersionKey: 0,
  commitRevealEnabled: true,
  revealPeriodEpochs: 1,
};

/**
 * The storage the timelocked path reads, answered through the recorded finney metadata's own key and value
 * encodings (the runtime predates `SubnetEpochIndex`, so the legacy epoch formula applies).
 */
describe.skipIf(!HAVE_FIXTURES)('timelocked commits against the recorded finney metadata', () => {
  let chain: SubtensorChain;
  let hotkey: Uint8Array;
  let address: string;
  const storage = new Map<string, string>();
  const keysByPrefix = new Map<string, string[]>();

  beforeAll(async () => {
    const synthetic = {
      state_getStorage: ([key]: unknown[]) => storage.get(String(key)) ?? null,
      state_queryStorageAt: ([keys]: unknown[]) => [
        { block: null, changes: (keys as string[]).map((k) => [k, storage.get(k) ?? null]) },
      ],
      // Paged from `start` (the prefix itself on the first page), as a node pages keys.
      state_getKeysPaged: ([prefix, , start]: unknown[]) =>
        (keysByPrefix.get(String(prefix)) ?? []).filter((k) => k > String(start ?? '')),
    };
    chain = (await replayChain(['neurons_lite'], { synthetic })).chain;
    const pair = (await devWallet('validator')).hotkey;
    hotkey = pair.publicKey;
    address = pair.address;
    const api = chain.api as ApiPromise;
    const q = api.query.subtensorModule as NonNullable<typeof api.query.subtensorModule>;
    const put = (key: string, type: string, value: unknown) =>
      storage.set(key, u8aToHex(api.createType(type, value).toU8a()));
    put(q.commitRevealWeightsVersion?.key() as string, 'u16', 4);
    put(api.query.drand?.lastStoredRound?.key() as string, 'u64', 20_000_000);
    // Mechanism 1 of netuid 2 (index 4098): two of our commits in two epochs, one of another hotkey.
    const other = (await devWallet('miner-a')).hotkey.address;
    const queue = (who: string[]) => who.map((w, i) => [w, 100 + i, '0x00', 7]);
    const commitsKey = (epoch: number) => q.timelockedWeightCommits?.key(4098, epoch) as string;
    put(commitsKey(5), 'Vec<(AccountId32, u64, Bytes, u64)>', queue([address, other]));
    put(commitsKey(6), 'Vec<(AccountId32, u64, Bytes, u64)>', queue([address]));
    const prefix = q.timelockedWeightCommits?.keyPrefix(4098) as string;
    keysByPrefix.set(prefix, [commitsKey(5), commitsKey(6)]);
  });
  afterAll(async () => {
    await chain?.close();
  });

  it('reads the version, the last stored drand round and the unrevealed commits of the hotkey', async () => {
    const state = await readTimelockState(chain.api, 2, 1, address, 1000);
    expect(state).toEqual({ commitRevealVersion: 4, lastStoredRound: 20_000_000, unrevealed: 2 });
    expect((await readTimelockState(chain.api, 2, 0, address, 1000)).unrevealed).toBe(0);
  });

  it('encrypts to the round the legacy schedule gives, which opens with that round signature', () => {
    const state: TimelockChainState = { commitRevealVersion: 4, unrevealed: 0, lastStoredRound: 990 };
    // Head 1000, netuid 2, tempo 360: reveal epoch starts at 1080, aim 1083 = 83 blocks of 12 s = 332 rounds.
    const nowMs = roundTimeMs(1000 - 332) + 500;
    const input = {
      netuid: 2,
      mechid: 0,
      hotkey,
      uids: [1, 4],
      weights: [65535, 20],
      versionKey: 9,
      hyperparameters: HP,
      currentBlock: 1000,
      blockTimeS: 12,
    };
    const commit = prepareTimelockCommit(state, input, nowMs);
    expect(commit).toMatchObject({ round: 1000, revealBlock: 1080 });
    expect(decryptWeightsCommit(commit.bytes, ROUND_1000_SIGNATURE)).toEqual({
      hotkey,
      uids: [1, 4],
      values: [65535, 20],
      versionKey: 9,
    });
  });

  it('refuses what the chain would refuse, before signing anything', () => {
    const ok: TimelockChainState = { commitRevealVersion: 4, unrevealed: 0 };
    const input = {
      netuid: 2,
      mechid: 0,
      hotkey,
      uids: [1],
      weights: [65535],
      versionKey: 0,
      hyperparameters: HP,
      currentBlock: 1000,
      blockTimeS: 12,
    };
    const code = (state: TimelockChainState, overrides = {}) => {
      try {
        prepareTimelockCommit(state, { ...input, ...overrides });
        return 'accepted';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    expect(code(ok)).toBe('accepted');
    expect(code({ ...ok, commitRevealVersion: 3 })).toBe('COMMIT_REVEAL_VERSION');
    expect(code({ ...ok, unrevealed: 10 })).toBe('TOO_MANY_UNREVEALED_COMMITS');
    expect(code({ ...ok, lastStoredRound: Number.MAX_SAFE_INTEGER })).toBe('REVEAL_ROUND_PASSED');
    const many = [...Array(1200).keys()];
    expect(code(ok, { uids: many, weights: many.map(() => 1) })).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe.skipIf(!HAVE_FIXTURES)('CRv2 epochs on a runtime without SubnetEpochIndex (recorded finney)', () => {
  it('finds a saved commit in WeightCommits and counts epochs with the legacy formula', async () => {
    const storage = new Map<string, string>();
    const synthetic = {
      state_getStorage: ([key]: unknown[]) => storage.get(String(key)) ?? null,
      state_queryStorageAt: ([keys]: unknown[]) => [
        { block: null, changes: (keys as string[]).map((k) => [k, storage.get(k) ?? null]) },
      ],
    };
    const { chain } = await replayChain(['get_current_block', 'get_subnet_hyperparameters'], { synthetic });
    try {
      const api = chain.api;
      const pair = (await devWallet('validator')).hotkey;
      const hash = `0x${'ab'.repeat(32)}` as const;
      // Older runtimes store (hash, commit_block, first_reveal_block, last_reveal_block).
      const key = api.query.subtensorModule?.weightCommits?.key(23, pair.address) as string;
      const value = api.createType('Option<Vec<(H256, u64, u64, u64)>>', [[hash, 5_000, 6_000, 7_000]]);
      storage.set(key, u8aToHex(value.unwrap().toU8a()));
      const port = subtensorHashCommitPort(api, 'finney-replay', async () => undefined);
      const tempo = (await chain.hyperparameters(23)).tempo; // 1000
      expect(await port.findCommit(23, 0, pair.address, hash)).toEqual({ epoch: epochOf(5_000, 23, tempo) });
      expect(await port.findCommit(23, 0, pair.address, `0x${'cd'.repeat(32)}`)).toBeNull();
      const head = await chain.currentBlock();
      expect(await port.epochNow(23)).toBe(epochOf(head + 1, 23, tempo));
    } finally {
      await chain.close();
    }
  });
});
