/**
 * Epoch arithmetic with the legacy formula the SDK and bittensor-drand still use:
 * epoch(block) = floor((block + netuid + 1) / (tempo + 1)).
 */
export function epochOf(block: number, netuid: number, tempo: number): number {
  return Math.floor((block + netuid + 1) / (tempo + 1));
}

/** First block of epoch `epoch`. */
export function epochStartBlock(epoch: number, netuid: number, tempo: number): number {
  return Math.max(0, epoch * (tempo + 1) - netuid - 1);
}

/** First block at which a commit made at `commitBlock` may be revealed (start of epoch commit + period). */
export function revealStartBlock(
  commitBlock: number,
  netuid: number,
  tempo: number,
  revealPeriodEpochs: number,
): number {
  return epochStartBlock(epochOf(commitBlock, netuid, tempo) + revealPeriodEpochs, netuid, tempo);
}
