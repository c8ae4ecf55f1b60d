import { hexToU8a, u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import { epochOf, epochStartBlock } from '../epoch.js';
import type { DevelopmentBeacon } from '../timelock/development-beacon.js';
import { roundTimeMs } from '../timelock/quicknet.js';
import { decryptWeightsCommit } from '../timelock/weights-commit.js';
import { checkRevealedWeights } from '../weights-guard.js';
import type { ClockTiming } from './block-clock.js';
import { neuronByHotkey, recordWeights, weightsKey } from './local-rules.js';
import type { LocalState, LocalSubnet, LocalTimelockedCommit } from './state.js';

/**
 * The localnet's side of commit-reveal, as pure state transitions. Epochs follow the legacy formula
 * (`epochOf`); a commit made in epoch e is revealed in epoch e + RevealPeriodEpochs and expires after it.
 *
 * Timelocked commits are opened the way subtensor opens them: in the reveal epoch, at the first block at which
 * the beacon has published the commit's round. Settling is lazy (any process touching the state settles what is
 * due) but exact: the weights count from that block, whenever the settling happens.
 */

export interface RevealOutcome {
  netuid: number;
  hotkey: string;
  mechid: number;
  outcome: 'revealed' | 'expired' | 'refused';
  block: number;
  reason?: string;
}

/** Blocks of the reveal epoch of a commit, and the block its timelock opens in (null: not in that epoch). */
export function timelockRevealBlock(
  commit: Pick<LocalTimelockedCommit, 'commitEpoch' | 'round'>,
  subnet: LocalSubnet,
  timing: ClockTiming,
): { from: number; until: number; revealAt: number | null } {
  const { tempo, revealPeriodEpochs } = subnet.hyperparameters;
  const epoch = commit.commitEpoch + revealPeriodEpochs;
  const from = epochStartBlock(epoch, subnet.netuid, tempo);
  const until = epochStartBlock(epoch + 1, subnet.netuid, tempo) - 1;
  const pulseBlock = Math.ceil((roundTimeMs(commit.round) - timing.genesisMs) / timing.blockTimeMs);
  const revealAt = Math.max(from, pulseBlock);
  return { from, until, revealAt: revealAt <= until ? revealAt : null };
}

/** Whether `settleReveals` would change anything at `block`. */
export function hasDueReveals(state: LocalState, block: number): boolean {
  return Object.values(state.subnets).some(
    (subnet) =>
      subnet.timelockedCommits.some((c) => {
        const { until, revealAt } = timelockRevealBlock(c, subnet, state);
        return (revealAt !== null && revealAt <= block) || block > until;
      }) ||
      subnet.hashCommits.some(
        (c) =>
          epochOf(block, subnet.netuid, subnet.hyperparameters.tempo) >
          c.commitEpoch + subnet.hyperparameters.revealPeriodEpochs,
      ),
  );
}

/** Opens every timelocked commit due by `block`, applies its weights, and drops expired commits. */
export function settleReveals(state: LocalState, block: number, beacon: DevelopmentBeacon): RevealOutcome[] {
  const outcomes: RevealOutcome[] = [];
  for (const subnet of Object.values(state.subnets)) {
    const { tempo, revealPeriodEpochs } = subnet.hyperparameters;
    const epochNow = epochOf(block, subnet.netuid, tempo);
    subnet.hashCommits = subnet.hashCommits.filter((c) => {
      if (epochNow <= c.commitEpoch + revealPeriodEpochs) return true;
      outcomes.push({
        netuid: subnet.netuid,
        hotkey: c.hotkey,
        mechid: c.mechid,
        outcome: 'expired',
        block,
        reason: 'not revealed in its reveal epoch',
      });
      return false;
    });
    const pending: LocalTimelockedCommit[] = [];
    for (const commit of subnet.timelockedCommits.sort((a, b) => a.commitBlock - b.commitBlock)) {
      const { until, revealAt } = timelockRevealBlock(commit, subnet, state);
      const base = { netuid: subnet.netuid, hotkey: commit.hotkey, mechid: commit.mechid };
      if (revealAt === null) {
        if (block > until)
          outcomes.push({
            ...base,
            outcome: 'expired',
            block: until,
            reason: `round ${commit.round} came after the reveal epoch`,
          });
        else pending.push(commit);
        continue;
      }
      if (revealAt > block) {
        pending.push(commit);
        continue;
      }
      const refused = openAndApply(subnet, commit, revealAt, block, beacon);
      outcomes.push(
        refused
          ? { ...base, outcome: 'refused', block: revealAt, reason: refused }
          : { ...base, outcome: 'revealed', block: revealAt },
      );
    }
    subnet.timelockedCommits = pending;
  }
  return outcomes;
}

/** Decrypts with the beacon's round signature and applies the weights; returns why it was refused, if it was. */
function openAndApply(
  subnet: LocalSubnet,
  commit: LocalTimelockedCommit,
  revealAt: number,
  block: number,
  beacon: DevelopmentBeacon,
): string | null {
  const neuron = neuronByHotkey(subnet, commit.hotkey);
  if (!neuron) return 'committer no longer registered';
  try {
    const payload = decryptWeightsCommit(hexToU8a(commit.commit), beacon.signature(commit.round));
    if (u8aToHex(payload.hotkey) !== u8aToHex(decodeAddress(commit.hotkey)))
      return 'payload hotkey is not the committer';
    checkRevealedWeights(
      {
        netuid: subnet.netuid,
        uid: neuron.uid,
        validatorPermit: neuron.validatorPermit,
        subnetN: subnet.neurons.length,
        hyperparameters: subnet.hyperparameters,
      },
      payload.uids,
      payload.values,
      payload.versionKey,
    );
    recordWeights(
      subnet,
      weightsKey(neuron.uid, commit.mechid),
      {
        block: revealAt,
        versionKey: payload.versionKey,
        uids: payload.uids,
        weights: payload.values,
        appliesAtBlock: revealAt,
      },
      block,
    );
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
