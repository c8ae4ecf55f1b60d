import { randomInt } from 'node:crypto';
import { TypeRegistry } from '@polkadot/types';
import { ChainError, isChainError } from '../errors.js';
import { commitHash } from '../subtensor/commit-hash.js';
import type { ChainLogger, ChainWallet, ResumedReveals } from '../types.js';
import type { PendingReveal, PendingRevealStore } from './pending-reveals.js';

/** What a chain provides for CRv2; epochs are in the chain's own counting. */
export interface HashCommitPort {
  readonly network: string;
  /** The epoch a transaction sent now belongs to. */
  epochNow(netuid: number): Promise<number>;
  revealPeriodEpochs(netuid: number): Promise<number>;
  /** Submits the commit; resolves with its block and the epoch it was recorded in. */
  submitCommit(
    netuid: number,
    mechid: number,
    hash: `0x${string}`,
    wallet: ChainWallet,
  ): Promise<{ block: number; epoch: number }>;
  /** The recorded epoch of a commit of `hotkey` with `hash`, or null when the chain has no such commit. */
  findCommit(
    netuid: number,
    mechid: number,
    hotkey: string,
    hash: `0x${string}`,
  ): Promise<{ epoch: number } | null>;
  submitReveal(
    netuid: number,
    mechid: number,
    reveal: { uids: number[]; weights: number[]; salt: number[]; versionKey: number },
    wallet: ChainWallet,
  ): Promise<void>;
  /** Resolves at the next block (rejects with CLOSED when the chain closes). */
  nextBlock(): Promise<void>;
}

const registry = new TypeRegistry();

/**
 * CRv2 (hash commit, client reveal) made durable: the reveal is saved before the commit is submitted, completed
 * with the commit's epoch once it lands, revealed in epoch `commit epoch + RevealPeriodEpochs`, and removed once
 * revealed. After a restart `resume` reveals what is still owed; a reveal whose epoch has passed, or whose commit
 * never landed, is dropped with a log line. Without a store the reveal lives in memory only.
 */
export class HashCommitReveal {
  constructor(
    private readonly port: HashCommitPort,
    private readonly store: PendingRevealStore | undefined,
    private readonly log: ChainLogger | undefined,
  ) {}

  async commit(
    netuid: number,
    mechid: number,
    wallet: ChainWallet,
    weights: { uids: number[]; weights: number[]; versionKey: number },
  ): Promise<{ block: number; revealEpoch: number; revealed: Promise<void> }> {
    const salt = Array.from({ length: 8 }, () => randomInt(0, 65536));
    const hash = commitHash(registry, {
      hotkey: wallet.hotkey.publicKey,
      netuid,
      mechid,
      uids: weights.uids,
      weights: weights.weights,
      salt,
      versionKey: weights.versionKey,
    });
    const pending: PendingReveal = {
      hash,
      network: this.port.network,
      netuid,
      mechid,
      hotkey: wallet.hotkey.address,
      uids: weights.uids,
      weights: weights.weights,
      salt,
      versionKey: weights.versionKey,
      commitBlock: null,
      revealEpoch: null,
      savedAtMs: Date.now(),
    };
    await this.store?.put(pending); // on disk before the commit can land
    let included: { block: number; epoch: number };
    try {
      included = await this.port.submitCommit(netuid, mechid, hash, wallet);
    } catch (error) {
      // A commit that failed for a chain rule never landed; one lost to the connection may have: keep it for
      // `resume`, which asks the chain.
      if (isChainError(error) && error.code !== 'EXTRINSIC_FAILED' && error.code !== 'CLOSED')
        await this.store?.remove(hash);
      throw error;
    }
    const period = await this.port.revealPeriodEpochs(netuid);
    const saved = { ...pending, commitBlock: included.block, revealEpoch: included.epoch + period };
    await this.store?.put(saved);
    const revealed = this.revealInEpoch(saved, wallet);
    revealed.catch(() => undefined); // a caller that ignores the reveal must not crash the process
    return { block: included.block, revealEpoch: saved.revealEpoch as number, revealed };
  }

  /** Schedules the saved reveals of `wallet`'s hotkey on this network; drops the ones that can no longer land. */
  async resume(wallet: ChainWallet): Promise<ResumedReveals> {
    const mine = ((await this.store?.list()) ?? []).filter(
      (r) => r.network === this.port.network && r.hotkey === wallet.hotkey.address,
    );
    const scheduled: Promise<void>[] = [];
    let dropped = 0;
    for (const saved of mine) {
      let reveal = saved;
      if (reveal.revealEpoch === null) {
        const found = await this.port.findCommit(
          reveal.netuid,
          reveal.mechid,
          reveal.hotkey,
          reveal.hash as `0x${string}`,
        );
        if (!found) {
          dropped++;
          await this.drop(reveal, 'its commit never landed');
          continue;
        }
        reveal = {
          ...reveal,
          revealEpoch: found.epoch + (await this.port.revealPeriodEpochs(reveal.netuid)),
        };
        await this.store?.put(reveal);
      }
      if ((await this.port.epochNow(reveal.netuid)) > (reveal.revealEpoch as number)) {
        dropped++;
        await this.drop(reveal, `reveal epoch ${reveal.revealEpoch} has passed`);
        continue;
      }
      this.log?.info(
        { netuid: reveal.netuid, mechid: reveal.mechid, revealEpoch: reveal.revealEpoch, hash: reveal.hash },
        'resuming saved CRv2 reveal',
      );
      scheduled.push(this.revealInEpoch(reveal, wallet));
    }
    const done = Promise.allSettled(scheduled).then((results) => ({
      revealed: results.filter((r) => r.status === 'fulfilled').length,
      failed: results.filter((r) => r.status === 'rejected').length,
    }));
    return { scheduled: scheduled.length, dropped, done };
  }

  private async revealInEpoch(reveal: PendingReveal, wallet: ChainWallet): Promise<void> {
    const target = reveal.revealEpoch as number;
    const { netuid, mechid } = reveal;
    for (;;) {
      const epoch = await this.port.epochNow(netuid);
      if (epoch > target) {
        await this.drop(reveal, `reveal epoch ${target} has passed`);
        throw new ChainError(
          'COMMIT_EXPIRED',
          `the reveal epoch ${target} of commit ${reveal.hash} has passed`,
        );
      }
      if (epoch === target) {
        try {
          await this.port.submitReveal(netuid, mechid, reveal, wallet);
          await this.store?.remove(reveal.hash);
          this.log?.info({ netuid, mechid, epoch, hash: reveal.hash }, 'CRv2 weights revealed');
          return;
        } catch (error) {
          if (isChainError(error, 'REVEAL_TOO_EARLY')) {
            await this.port.nextBlock();
            continue;
          }
          // The chain refused it for good (or it is closing): a closed chain keeps it for the next run.
          if (!isChainError(error, 'CLOSED'))
            await this.drop(reveal, `the chain refused the reveal: ${String((error as Error).message)}`);
          throw error;
        }
      }
      await this.port.nextBlock();
    }
  }

  private async drop(reveal: PendingReveal, why: string): Promise<void> {
    await this.store?.remove(reveal.hash);
    this.log?.warn(
      { netuid: reveal.netuid, mechid: reveal.mechid, hash: reveal.hash, commitBlock: reveal.commitBlock },
      `dropping saved CRv2 reveal: ${why}`,
    );
  }
}
