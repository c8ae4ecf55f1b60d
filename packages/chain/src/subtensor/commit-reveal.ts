import type { ApiPromise } from '@polkadot/api';
import type { HashCommitPort } from '../commit-reveal/hash-commit-reveal.js';
import { epochOf } from '../epoch.js';
import { mechanismIndex } from '../mechanism.js';
import { epochWithLookahead } from '../timelock/reveal-round.js';
import type { CommitRevealScheme } from '../types.js';
import { commitWeightsTx, revealWeightsTx } from './extrinsics.js';
import * as reads from './reads.js';
import { submitAndWait } from './submit.js';
import { readEpochSchedule } from './timelock-commit.js';

/** @deprecated The former name of {@link CommitRevealScheme}. */
export type CommitRevealMode = CommitRevealScheme;

/**
 * CRv2 on subtensor. Epochs are the chain's: `SubnetEpochIndex` with look-ahead where the runtime has it (2026),
 * else the legacy formula; a transaction sent now lands in the next block.
 */
export function subtensorHashCommitPort(
  api: ApiPromise,
  network: string,
  waitForBlock: (block: number) => Promise<void>,
): HashCommitPort {
  const stateful = () => Boolean(api.query.subtensorModule?.subnetEpochIndex);
  const epochNow = async (netuid: number) => {
    const head = await reads.readBlock(api);
    const schedule = await readEpochSchedule(api, netuid, head);
    if (schedule) return epochWithLookahead(schedule, head + 1);
    return epochOf(head + 1, netuid, (await reads.readHyperparameters(api, netuid)).tempo);
  };
  const findCommit = async (netuid: number, mechid: number, hotkey: string, hash: `0x${string}`) => {
    const q = api.query.subtensorModule?.weightCommits;
    const queue = ((await q?.(mechanismIndex(netuid, mechid), hotkey))?.toJSON() ?? []) as [
      string,
      number,
      number,
      number,
    ][];
    const entry = queue.find(([h]) => h.toLowerCase() === hash.toLowerCase());
    if (!entry) return null;
    // 2026 runtimes store (hash, commit_epoch, commit_block, 0); older ones (hash, commit_block, first, last).
    if (stateful()) return { epoch: Number(entry[1]) };
    return { epoch: epochOf(Number(entry[1]), netuid, (await reads.readHyperparameters(api, netuid)).tempo) };
  };
  return {
    network,
    epochNow,
    revealPeriodEpochs: async (netuid) => (await reads.readHyperparameters(api, netuid)).revealPeriodEpochs,
    async submitCommit(netuid, mechid, hash, wallet) {
      const included = await submitAndWait(api, commitWeightsTx(api, netuid, hash, mechid), wallet.hotkey);
      const found = await findCommit(netuid, mechid, wallet.hotkey.address, hash);
      const tempo = (await reads.readHyperparameters(api, netuid)).tempo;
      return { block: included.block, epoch: found?.epoch ?? epochOf(included.block, netuid, tempo) };
    },
    findCommit,
    async submitReveal(netuid, mechid, reveal, wallet) {
      await submitAndWait(api, revealWeightsTx(api, netuid, reveal, mechid), wallet.hotkey);
    },
    nextBlock: async () => waitForBlock((await reads.readBlock(api)) + 1),
  };
}
