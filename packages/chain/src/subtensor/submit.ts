import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import { ChainError } from '../errors.js';
import { dispatchFailure, poolRejection } from './error-map.js';

/** Mortality the SDK uses (`settings.DEFAULT_PERIOD`). */
export const ERA_PERIOD = 128;

export interface Inclusion {
  txHash: string;
  blockHash: string;
  block: number;
}

/**
 * Signs `tx` with `signer` (mortal era of 128 blocks, pool-aware nonce), submits it and resolves once it is in
 * a block and succeeded. Pool rejections and dispatch errors become ChainErrors with stable codes.
 */
export function submitAndWait(
  api: ApiPromise,
  tx: SubmittableExtrinsic<'promise'>,
  signer: KeyringPair,
  timeoutMs = 120_000,
): Promise<Inclusion> {
  return new Promise<Inclusion>((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    const finish = (error: ChainError | null, value?: Inclusion) => {
      clearTimeout(timer);
      unsubscribe?.();
      if (error) reject(error);
      else resolve(value as Inclusion);
    };
    const timer = setTimeout(
      () => finish(new ChainError('EXTRINSIC_FAILED', `not included within ${timeoutMs} ms`)),
      timeoutMs,
    );
    tx.signAndSend(signer, { era: ERA_PERIOD, nonce: -1 }, (result) => {
      const { status, dispatchError } = result;
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        finish(new ChainError('EXTRINSIC_FAILED', `extrinsic ${status.type.toLowerCase()} by the pool`));
        return;
      }
      if (!status.isInBlock) return;
      if (dispatchError) {
        if (dispatchError.isModule) {
          const meta = api.registry.findMetaError(dispatchError.asModule);
          finish(dispatchFailure(meta.section, meta.name, meta.docs.join(' ')));
        } else {
          finish(new ChainError('EXTRINSIC_FAILED', `dispatch failed: ${dispatchError.toString()}`));
        }
        return;
      }
      const blockHash = status.asInBlock.toHex();
      api.rpc.chain
        .getHeader(blockHash)
        .then((header) =>
          finish(null, { txHash: tx.hash.toHex(), blockHash, block: header.number.toNumber() }),
        )
        .catch((error: unknown) => finish(poolRejection(error)));
    })
      .then((unsub) => {
        unsubscribe = unsub;
      })
      .catch((error: unknown) => finish(poolRejection(error)));
  });
}
