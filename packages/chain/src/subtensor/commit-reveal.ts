import { randomInt } from 'node:crypto';
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { revealStartBlock } from '../epoch.js';
import { ChainError } from '../errors.js';
import type { SetWeightsResult, WeightHyperparameters } from '../types.js';
import { commitHash } from './commit-hash.js';
import { commitWeightsTx, revealWeightsTx } from './extrinsics.js';
import { submitAndWait } from './submit.js';

/** Which commit-reveal scheme to use when a subnet has commit-reveal on. */
export type CommitRevealMode = 'hash' | 'timelock';

export interface CommitRevealInput {
  netuid: number;
  signer: KeyringPair;
  uids: number[];
  weights: number[];
  versionKey: number;
  hyperparameters: WeightHyperparameters;
  /** Resolves once the chain has reached `block` (fed by the block subscription). */
  waitForBlock(block: number): Promise<void>;
}

/**
 * CRv2: commits BlakeTwo256 of the weights with a random salt, then reveals them in the epoch
 * `commit epoch + RevealPeriodEpochs`. The returned `revealed` promise settles when the reveal lands.
 */
export async function commitThenReveal(
  api: ApiPromise,
  mode: CommitRevealMode,
  input: CommitRevealInput,
): Promise<SetWeightsResult> {
  if (mode === 'timelock') {
    throw new ChainError(
      'COMMIT_REVEAL_UNSUPPORTED',
      'timelocked (drand) commit-reveal is not implemented; use commitReveal: "hash" (CRv2 commit_weights)',
    );
  }
  const { netuid, signer, uids, weights, versionKey, hyperparameters: hp } = input;
  const salt = Array.from({ length: 8 }, () => randomInt(0, 65536));
  const hash = commitHash(api.registry, {
    hotkey: signer.publicKey,
    netuid,
    uids,
    weights,
    salt,
    versionKey,
  });
  const commit = await submitAndWait(api, commitWeightsTx(api, netuid, hash), signer);
  const revealBlock = revealStartBlock(commit.block, netuid, hp.tempo, hp.revealPeriodEpochs);
  const revealed = (async () => {
    await input.waitForBlock(revealBlock);
    await submitAndWait(api, revealWeightsTx(api, netuid, { uids, weights, salt, versionKey }), signer);
  })();
  // A caller that ignores the reveal must not crash the process with an unhandled rejection.
  revealed.catch(() => undefined);
  return { mode: 'commit', block: commit.block, uids, weights, revealBlock, revealed, txHash: commit.txHash };
}
