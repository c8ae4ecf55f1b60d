import { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { epochOf } from '../epoch.js';
import { ChainError } from '../errors.js';
import { commitHash } from '../subtensor/commit-hash.js';
import type { DevelopmentBeacon } from '../timelock/development-beacon.js';
import { revealRound } from '../timelock/reveal-round.js';
import {
  assertRoundAhead,
  encryptWeightsCommit,
  SUPPORTED_COMMIT_REVEAL_VERSION,
} from '../timelock/weights-commit.js';
import { assertRateLimit, checkRevealedWeights } from '../weights-guard.js';
import { timelockRevealBlock } from './local-reveals.js';
import { recordWeights, weightsKey } from './local-rules.js';
import type { LocalNeuron, LocalState, LocalSubnet } from './state.js';

/**
 * The localnet's commit calls as pure state transitions, with subtensor's rules: `commit_weights` /
 * `reveal_weights` (CRv2) and `commit_timelocked_weights` (CRv4). Epochs follow the legacy formula.
 */

/** At most this many unrevealed commits per hotkey and subnet mechanism (`TooManyUnrevealedCommits`). */
export const MAX_UNREVEALED_COMMITS = 10;

const REGISTRY = new TypeRegistry();

export function assertMechanism(subnet: LocalSubnet, mechid: number): void {
  if (!Number.isInteger(mechid) || mechid < 0 || mechid >= subnet.hyperparameters.mechanismCount) {
    throw new ChainError(
      'MECHANISM_NOT_FOUND',
      `netuid ${subnet.netuid} has ${subnet.hyperparameters.mechanismCount} mechanism(s); no mechid ${mechid}`,
    );
  }
}

function assertRoom(count: number, netuid: number): void {
  if (count >= MAX_UNREVEALED_COMMITS) {
    throw new ChainError('TOO_MANY_UNREVEALED_COMMITS', `${count} unrevealed commits on netuid ${netuid}`);
  }
}

/** `commit_weights`: records the hash in the current epoch; sets `LastUpdate`. */
export function commitHashWeights(
  subnet: LocalSubnet,
  neuron: LocalNeuron,
  mechid: number,
  hash: string,
  block: number,
): { block: number; epoch: number } {
  assertMechanism(subnet, mechid);
  if (!subnet.hyperparameters.commitRevealEnabled) {
    throw new ChainError('INVALID_INPUT', `commit-reveal is off on netuid ${subnet.netuid}`);
  }
  assertRateLimit({ lastUpdate: neuron.lastUpdate, block, hyperparameters: subnet.hyperparameters });
  assertRoom(
    subnet.hashCommits.filter((c) => c.hotkey === neuron.hotkey && c.mechid === mechid).length,
    subnet.netuid,
  );
  const epoch = epochOf(block, subnet.netuid, subnet.hyperparameters.tempo);
  subnet.hashCommits.push({ hotkey: neuron.hotkey, mechid, hash, commitBlock: block, commitEpoch: epoch });
  neuron.lastUpdate = block;
  return { block, epoch };
}

/** `reveal_weights`: the hash must match a commit of this hotkey, and the reveal land in its reveal epoch. */
export function revealHashWeights(
  subnet: LocalSubnet,
  neuron: LocalNeuron,
  publicKey: Uint8Array,
  mechid: number,
  reveal: { uids: number[]; weights: number[]; salt: number[]; versionKey: number },
  block: number,
): void {
  const hash = commitHash(REGISTRY, { hotkey: publicKey, netuid: subnet.netuid, mechid, ...reveal });
  const index = subnet.hashCommits.findIndex((c) => c.hotkey === neuron.hotkey && c.hash === hash);
  const commit = subnet.hashCommits[index];
  if (!commit) throw new ChainError('COMMIT_NOT_FOUND', `no commit ${hash} of ${neuron.hotkey}`);
  const hp = subnet.hyperparameters;
  const epoch = epochOf(block, subnet.netuid, hp.tempo);
  const due = commit.commitEpoch + hp.revealPeriodEpochs;
  if (epoch < due) throw new ChainError('REVEAL_TOO_EARLY', `reveal epoch ${due}, now ${epoch}`);
  if (epoch > due) throw new ChainError('COMMIT_EXPIRED', `reveal epoch ${due} has passed (now ${epoch})`);
  const ctx = {
    netuid: subnet.netuid,
    uid: neuron.uid,
    validatorPermit: neuron.validatorPermit,
    subnetN: subnet.neurons.length,
    hyperparameters: hp,
  };
  checkRevealedWeights(ctx, reveal.uids, reveal.weights, reveal.versionKey);
  subnet.hashCommits.splice(index, 1);
  const { uids, weights, versionKey } = reveal;
  recordWeights(
    subnet,
    weightsKey(neuron.uid, mechid),
    { block, versionKey, uids, weights, appliesAtBlock: block },
    block,
  );
}

/**
 * `commit_timelocked_weights`: encrypts the weights to the development beacon at the round `revealRound` gives
 * (as the SDK would) and records the commit; `settleReveals` opens it. Returns the round and the block it opens.
 */
export function commitTimelockedWeights(
  state: LocalState,
  subnet: LocalSubnet,
  neuron: LocalNeuron,
  input: { mechid: number; publicKey: Uint8Array; uids: number[]; weights: number[]; versionKey: number },
  block: number,
  nowMs: number,
  beacon: DevelopmentBeacon,
): { round: number; revealBlock: number } {
  if (state.commitRevealVersion !== SUPPORTED_COMMIT_REVEAL_VERSION) {
    throw new ChainError(
      'COMMIT_REVEAL_VERSION',
      `the chain's CommitRevealWeightsVersion is ${state.commitRevealVersion}; this client commits version ${SUPPORTED_COMMIT_REVEAL_VERSION}`,
    );
  }
  const { mechid } = input;
  assertRoom(
    subnet.timelockedCommits.filter((c) => c.hotkey === neuron.hotkey && c.mechid === mechid).length,
    subnet.netuid,
  );
  const hp = subnet.hyperparameters;
  const { round, revealBlock } = revealRound({
    netuid: subnet.netuid,
    currentBlock: block,
    tempo: hp.tempo,
    revealPeriodEpochs: hp.revealPeriodEpochs,
    blockTimeS: state.blockTimeMs / 1000,
    nowMs,
    beacon: beacon.schedule,
  });
  assertRoundAhead(round, beacon.latestRound(nowMs));
  const commit = encryptWeightsCommit({
    hotkey: input.publicKey,
    uids: input.uids,
    values: input.weights,
    versionKey: input.versionKey,
    round,
    publicKey: beacon.publicKey,
  });
  const commitEpoch = epochOf(block, subnet.netuid, hp.tempo);
  subnet.timelockedCommits.push({
    hotkey: neuron.hotkey,
    mechid,
    commitBlock: block,
    commitEpoch,
    round,
    commit: u8aToHex(commit),
  });
  neuron.lastUpdate = block;
  return {
    round,
    revealBlock: timelockRevealBlock({ commitEpoch, round }, subnet, state).revealAt ?? revealBlock,
  };
}
