import { epochStartBlock } from '../epoch.js';
import { ChainError } from '../errors.js';
import { QUICKNET, type RoundSchedule } from './quicknet.js';

/** Upper bound of an owner-set tempo (≈ 7 days of 12 s blocks); a subnet idle longer runs its epoch at once. */
export const MAX_TEMPO = 50_400;
/** The SDK aims the round 3 blocks into the reveal epoch, so the pulse is on chain when the reveal runs. */
export const REVEAL_SECURITY_BLOCKS = 3;

/**
 * The stateful epoch schedule of runtimes with `SubnetEpochIndex` (2026): epochs are counted, not derived from
 * the block number, and an owner can trigger one early (`PendingEpochAt`).
 */
export interface EpochSchedule {
  lastEpochBlock: number;
  /** 0 when no owner-triggered epoch is pending. */
  pendingEpochAt: number;
  subnetEpochIndex: number;
  tempo: number;
  blocksSinceLastStep: number;
  currentBlock: number;
}

/** Whether the subnet's epoch runs at `block` (the chain's `should_run_epoch`). */
export function shouldRunEpoch(s: EpochSchedule, block: number): boolean {
  if (s.tempo === 0) return false;
  if (s.pendingEpochAt > 0 && block >= s.pendingEpochAt) return true;
  if (s.blocksSinceLastStep > MAX_TEMPO) return true;
  return block - s.lastEpochBlock >= s.tempo;
}

/** The epoch a commit or reveal at `block` belongs to: the counter, plus one if the epoch fires this block. */
export function epochWithLookahead(s: EpochSchedule, block: number): number {
  return s.subnetEpochIndex + (shouldRunEpoch(s, block) ? 1 : 0);
}

/** The schedule after `block`'s coinbase step. */
function step(s: EpochSchedule, block: number): EpochSchedule {
  const next = { ...s, blocksSinceLastStep: s.blocksSinceLastStep + 1, currentBlock: block };
  if (!shouldRunEpoch(next, block)) return next;
  return {
    ...next,
    lastEpochBlock: block,
    pendingEpochAt: 0,
    subnetEpochIndex: next.subnetEpochIndex + 1,
    blocksSinceLastStep: 0,
  };
}

/**
 * First block at which the chain reveals a commit sent at head `s.currentBlock` (included one block later):
 * the first block whose look-ahead epoch is the commit's epoch + `revealPeriodEpochs`, by stepping the schedule
 * block by block as `block_step` does (reveals run before the coinbase step).
 */
export function firstRevealBlock(s: EpochSchedule, revealPeriodEpochs: number): number {
  if (s.tempo === 0)
    throw new ChainError('INVALID_INPUT', 'tempo is 0: the subnet runs no epochs, nothing reveals');
  const inclusion = s.currentBlock + 1;
  const target = epochWithLookahead(s, inclusion) + revealPeriodEpochs;
  const limit = inclusion + (revealPeriodEpochs + 1) * MAX_TEMPO;
  let state = s;
  for (let block = inclusion; block <= limit; block++) {
    if (epochWithLookahead(state, block) === target) return block;
    state = step(state, block);
  }
  throw new ChainError('INVALID_INPUT', `no reveal block within ${limit - inclusion} blocks`);
}

/** The same with the legacy formula (runtimes without `SubnetEpochIndex`): start of epoch(head) + period. */
export function legacyFirstRevealBlock(
  currentBlock: number,
  netuid: number,
  tempo: number,
  revealPeriodEpochs: number,
): number {
  const epoch = Math.floor((currentBlock + netuid + 1) / (tempo + 1));
  return epochStartBlock(epoch + revealPeriodEpochs, netuid, tempo);
}

export interface RevealRoundInput {
  netuid: number;
  currentBlock: number;
  tempo: number;
  revealPeriodEpochs: number;
  /** The stateful schedule where the runtime has it; otherwise the legacy formula is used. */
  schedule?: EpochSchedule;
  /** Seconds per block the estimate assumes (the SDK's `block_time`, 12 on finney). */
  blockTimeS?: number;
  /** Wall-clock time of the head block's reading (default now). */
  nowMs?: number;
  /** Beacon round schedule (default drand quicknet). */
  beacon?: RoundSchedule;
}

/**
 * The drand round to timelock a weights commit to, as the SDK's `bittensor-drand` computes it
 * (`get_encrypted_commit_v2`, legacy `get_encrypted_commit`): predict the first reveal block, aim 3 blocks
 * later, convert the time until then into a round (rounded down, at least 1).
 *
 * @example
 * const { round, revealBlock } = revealRound({ netuid: 2, currentBlock, tempo: 360, revealPeriodEpochs: 1 });
 */
export function revealRound(input: RevealRoundInput): { round: number; revealBlock: number } {
  const revealBlock = input.schedule
    ? firstRevealBlock(input.schedule, input.revealPeriodEpochs)
    : legacyFirstRevealBlock(input.currentBlock, input.netuid, input.tempo, input.revealPeriodEpochs);
  const beacon = input.beacon ?? QUICKNET;
  const blocksAhead = Math.max(0, revealBlock + REVEAL_SECURITY_BLOCKS - input.currentBlock);
  const targetS = (input.nowMs ?? Date.now()) / 1000 + blocksAhead * (input.blockTimeS ?? 12);
  const round = Math.max(1, Math.floor((targetS - beacon.genesisS) / beacon.periodS));
  return { round, revealBlock };
}
