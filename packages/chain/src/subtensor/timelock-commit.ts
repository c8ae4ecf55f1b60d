import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { ChainError } from '../errors.js';
import { mechanismIndex } from '../mechanism.js';
import { type EpochSchedule, revealRound } from '../timelock/reveal-round.js';
import {
  assertRoundAhead,
  encryptWeightsCommit,
  SUPPORTED_COMMIT_REVEAL_VERSION,
} from '../timelock/weights-commit.js';
import type { SetWeightsResult, WeightHyperparameters } from '../types.js';
import { commitTimelockedWeightsTx } from './extrinsics.js';
import { submitAndWait } from './submit.js';

/** At most this many unrevealed commits per hotkey and subnet mechanism (`TooManyUnrevealedCommits`). */
export const MAX_UNREVEALED_COMMITS = 10;

export interface TimelockChainState {
  commitRevealVersion: number;
  /** The stateful epoch schedule, where the runtime has `SubnetEpochIndex`. */
  schedule?: EpochSchedule;
  /** `Drand.LastStoredRound`: a commit to an older round is refused. */
  lastStoredRound?: number;
  /** Unrevealed timelocked commits of the hotkey on this mechanism. */
  unrevealed: number;
}

const num = (codec: { toString(): string } | undefined, fallback = 0) =>
  codec === undefined ? fallback : Number(codec.toString());

/** The stateful epoch schedule (`SubnetEpochIndex`, …), or undefined on runtimes that predate it. */
export async function readEpochSchedule(
  api: ApiPromise,
  netuid: number,
  currentBlock: number,
): Promise<EpochSchedule | undefined> {
  const q = api.query.subtensorModule;
  if (!q?.subnetEpochIndex || !q.lastEpochBlock || !q.pendingEpochAt || !q.blocksSinceLastStep || !q.tempo) {
    return undefined;
  }
  const [lastEpochBlock, pendingEpochAt, subnetEpochIndex, blocksSinceLastStep, tempo] = await Promise.all([
    q.lastEpochBlock(netuid),
    q.pendingEpochAt(netuid),
    q.subnetEpochIndex(netuid),
    q.blocksSinceLastStep(netuid),
    q.tempo(netuid),
  ]);
  return {
    lastEpochBlock: num(lastEpochBlock),
    pendingEpochAt: num(pendingEpochAt),
    subnetEpochIndex: num(subnetEpochIndex),
    blocksSinceLastStep: num(blocksSinceLastStep),
    tempo: num(tempo),
    currentBlock,
  };
}

/** Reads everything a timelocked commit depends on, at the current head. */
export async function readTimelockState(
  api: ApiPromise,
  netuid: number,
  mechid: number,
  hotkey: string,
  currentBlock: number,
): Promise<TimelockChainState> {
  const q = api.query.subtensorModule;
  const versionQuery = q?.commitRevealWeightsVersion;
  if (!q || !versionQuery) {
    throw new ChainError(
      'COMMIT_REVEAL_UNSUPPORTED',
      'this runtime has no timelocked commit-reveal (CommitRevealWeightsVersion)',
    );
  }
  const index = mechanismIndex(netuid, mechid);
  const [version, lastStored, commits] = await Promise.all([
    versionQuery(),
    api.query.drand?.lastStoredRound?.(),
    q.timelockedWeightCommits ? q.timelockedWeightCommits.entries(index) : Promise.resolve([]),
  ]);
  let unrevealed = 0;
  for (const [, queue] of commits) {
    for (const entry of queue.toJSON() as [string, ...unknown[]][]) {
      if (
        api.createType('AccountId32', entry[0]).toString() ===
        api.createType('AccountId32', hotkey).toString()
      )
        unrevealed++;
    }
  }
  const schedule = await readEpochSchedule(api, netuid, currentBlock);
  return {
    commitRevealVersion: num(version),
    ...(schedule ? { schedule } : {}),
    ...(lastStored ? { lastStoredRound: num(lastStored) } : {}),
    unrevealed,
  };
}

export interface TimelockCommitInput {
  netuid: number;
  mechid: number;
  signer: KeyringPair;
  uids: number[];
  weights: number[];
  versionKey: number;
  hyperparameters: WeightHyperparameters;
  currentBlock: number;
  /** Seconds per block assumed for the round (the SDK's `block_time`). */
  blockTimeS: number;
}

/** Checks what the chain would refuse, computes the round, encrypts and submits the timelocked commit. */
export function prepareTimelockCommit(
  state: TimelockChainState,
  input: Omit<TimelockCommitInput, 'signer'> & { hotkey: Uint8Array },
  nowMs = Date.now(),
): { bytes: Uint8Array; round: number; revealBlock: number } {
  if (state.commitRevealVersion !== SUPPORTED_COMMIT_REVEAL_VERSION) {
    throw new ChainError(
      'COMMIT_REVEAL_VERSION',
      `the chain's CommitRevealWeightsVersion is ${state.commitRevealVersion}; this client commits version ${SUPPORTED_COMMIT_REVEAL_VERSION}`,
      { chain: state.commitRevealVersion, client: SUPPORTED_COMMIT_REVEAL_VERSION },
    );
  }
  if (state.unrevealed >= MAX_UNREVEALED_COMMITS) {
    throw new ChainError(
      'TOO_MANY_UNREVEALED_COMMITS',
      `${state.unrevealed} unrevealed timelocked commits already`,
      {
        unrevealed: state.unrevealed,
      },
    );
  }
  const hp = input.hyperparameters;
  const { round, revealBlock } = revealRound({
    netuid: input.netuid,
    currentBlock: input.currentBlock,
    tempo: hp.tempo,
    revealPeriodEpochs: hp.revealPeriodEpochs,
    blockTimeS: input.blockTimeS,
    nowMs,
    ...(state.schedule ? { schedule: state.schedule } : {}),
  });
  if (state.lastStoredRound !== undefined) assertRoundAhead(round, state.lastStoredRound);
  const bytes = encryptWeightsCommit({
    hotkey: input.hotkey,
    uids: input.uids,
    values: input.weights,
    versionKey: input.versionKey,
    round,
  });
  return { bytes, round, revealBlock };
}

/** CRv4: the SDK's default under commit-reveal. The chain decrypts and applies the weights at the round. */
export async function commitTimelocked(
  api: ApiPromise,
  input: TimelockCommitInput,
): Promise<SetWeightsResult> {
  const state = await readTimelockState(
    api,
    input.netuid,
    input.mechid,
    input.signer.address,
    input.currentBlock,
  );
  const { bytes, round, revealBlock } = prepareTimelockCommit(state, {
    ...input,
    hotkey: input.signer.publicKey,
  });
  const tx = commitTimelockedWeightsTx(
    api,
    input.netuid,
    { bytes, round, commitRevealVersion: state.commitRevealVersion },
    input.mechid,
  );
  const included = await submitAndWait(api, tx, input.signer);
  return {
    mode: 'timelock',
    block: included.block,
    uids: input.uids,
    weights: input.weights,
    revealRound: round,
    revealBlock,
    txHash: included.txHash,
  };
}
