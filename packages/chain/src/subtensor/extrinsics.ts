import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { validateAxonEndpoint } from '../ip.js';
import { subtensorCall } from './api.js';

/** Axon protocol number the SDK announces (`Axon.info()`); placeholders stay 0. */
export const AXON_PROTOCOL = 4;

type Tx = SubmittableExtrinsic<'promise'>;

/** `SubtensorModule.set_weights(netuid, dests, weights, version_key)` (call 0). Inputs must be u16 already. */
export function setWeightsTx(
  api: ApiPromise,
  netuid: number,
  uids: number[],
  weights: number[],
  versionKey: number,
): Tx {
  return subtensorCall(api, 'setWeights')(netuid, uids, weights, versionKey);
}

/** `SubtensorModule.commit_weights(netuid, commit_hash)` (call 96). */
export function commitWeightsTx(api: ApiPromise, netuid: number, hash: `0x${string}`): Tx {
  return subtensorCall(api, 'commitWeights')(netuid, hash);
}

/** `SubtensorModule.reveal_weights(netuid, uids, values, salt, version_key)` (call 97). */
export function revealWeightsTx(
  api: ApiPromise,
  netuid: number,
  reveal: { uids: number[]; weights: number[]; salt: number[]; versionKey: number },
): Tx {
  return subtensorCall(api, 'revealWeights')(
    netuid,
    reveal.uids,
    reveal.weights,
    reveal.salt,
    reveal.versionKey,
  );
}

/**
 * `SubtensorModule.serve_axon(netuid, version, ip u128, port, ip_type, protocol, 0, 0)` (call 4), after the
 * chain's own ip/port validation so a bad endpoint fails before signing.
 */
export function serveAxonTx(
  api: ApiPromise,
  netuid: number,
  axon: { ip: string; port: number; version?: number },
): Tx {
  const { ip, ipType } = validateAxonEndpoint(axon.ip, axon.port);
  return subtensorCall(api, 'serveAxon')(
    netuid,
    axon.version ?? 0,
    ip,
    axon.port,
    ipType,
    AXON_PROTOCOL,
    0,
    0,
  );
}
