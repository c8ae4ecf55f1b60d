import type { ApiPromise } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import { u8aToHex } from '@polkadot/util';
import { validateAxonEndpoint } from '../ip.js';
import { subtensorCall } from './api.js';

/** Axon protocol number the SDK announces (`Axon.info()`); placeholders stay 0. */
export const AXON_PROTOCOL = 4;

type Tx = SubmittableExtrinsic<'promise'>;

/**
 * `set_weights(netuid, dests, weights, version_key)` (call 0), or `set_mechanism_weights(netuid, mecid, …)`
 * (119) for a mechanism other than 0. Inputs must be u16 already.
 */
export function setWeightsTx(
  api: ApiPromise,
  netuid: number,
  uids: number[],
  weights: number[],
  versionKey: number,
  mechid = 0,
): Tx {
  if (mechid !== 0)
    return subtensorCall(api, 'setMechanismWeights')(netuid, mechid, uids, weights, versionKey);
  return subtensorCall(api, 'setWeights')(netuid, uids, weights, versionKey);
}

/** `commit_weights(netuid, commit_hash)` (96), or `commit_mechanism_weights(netuid, mecid, hash)` (115). */
export function commitWeightsTx(api: ApiPromise, netuid: number, hash: `0x${string}`, mechid = 0): Tx {
  if (mechid !== 0) return subtensorCall(api, 'commitMechanismWeights')(netuid, mechid, hash);
  return subtensorCall(api, 'commitWeights')(netuid, hash);
}

/**
 * `reveal_weights(netuid, uids, values, salt, version_key)` (97), or `reveal_mechanism_weights(netuid, mecid, …)`
 * (116).
 */
export function revealWeightsTx(
  api: ApiPromise,
  netuid: number,
  reveal: { uids: number[]; weights: number[]; salt: number[]; versionKey: number },
  mechid = 0,
): Tx {
  const args = [reveal.uids, reveal.weights, reveal.salt, reveal.versionKey] as const;
  if (mechid !== 0) return subtensorCall(api, 'revealMechanismWeights')(netuid, mechid, ...args);
  return subtensorCall(api, 'revealWeights')(netuid, ...args);
}

/**
 * `commit_timelocked_weights(netuid, commit, reveal_round, commit_reveal_version)` (113), or
 * `commit_timelocked_mechanism_weights(netuid, mecid, commit, reveal_round, commit_reveal_version)` (118).
 */
export function commitTimelockedWeightsTx(
  api: ApiPromise,
  netuid: number,
  commit: { bytes: Uint8Array; round: number; commitRevealVersion: number },
  mechid = 0,
): Tx {
  // As hex: @polkadot/types reads a bare Uint8Array for `Bytes` as already length-prefixed.
  const args = [u8aToHex(commit.bytes), commit.round, commit.commitRevealVersion] as const;
  if (mechid !== 0) return subtensorCall(api, 'commitTimelockedMechanismWeights')(netuid, mechid, ...args);
  return subtensorCall(api, 'commitTimelockedWeights')(netuid, ...args);
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
