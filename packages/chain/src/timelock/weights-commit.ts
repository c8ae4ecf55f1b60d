import { decodeAddress } from '@polkadot/util-crypto';
import { ChainError } from '../errors.js';
import { QUICKNET } from './quicknet.js';
import { timelockDecrypt, timelockEncrypt } from './tle.js';
import { decodeWeightsPayload, encodeWeightsPayload, type WeightsTlockPayload } from './weights-payload.js';

/** `MAX_CRV3_COMMIT_SIZE_BYTES`: the chain's bound on a timelocked commit (`BoundedVec<u8, 5000>`). */
export const MAX_TIMELOCKED_COMMIT_BYTES = 5000;

/**
 * The `CommitRevealWeightsVersion` this client speaks: 4, timelocked payloads that carry the hotkey.
 * The chain refuses a commit whose version differs from its storage value.
 */
export const SUPPORTED_COMMIT_REVEAL_VERSION = 4;

export interface WeightsCommitInput {
  /** The committing hotkey: 32-byte public key or SS58 address. */
  hotkey: Uint8Array | string;
  uids: number[];
  /** u16 weights as the chain takes them. */
  values: number[];
  versionKey: number;
  /** drand round the commit opens at (see `revealRound`). */
  round: number;
  /** Beacon key; drand quicknet unless given (the local network's development beacon). */
  publicKey?: Uint8Array;
}

/**
 * The exact bytes `commit_timelocked_weights` takes: the SCALE `WeightsTlockPayload` timelock-encrypted to
 * `round`. Throws PAYLOAD_TOO_LARGE past the chain's 5 000-byte bound (about 1 170 uids).
 *
 * @example
 * const commit = encryptWeightsCommit({ hotkey: pair.publicKey, uids: [0, 1], values: [65535, 900], versionKey: 1, round });
 */
export function encryptWeightsCommit(input: WeightsCommitInput): Uint8Array {
  const hotkey = typeof input.hotkey === 'string' ? decodeAddress(input.hotkey) : input.hotkey;
  const payload = encodeWeightsPayload({
    hotkey,
    uids: input.uids,
    values: input.values,
    versionKey: input.versionKey,
  });
  const commit = timelockEncrypt(payload, {
    round: input.round,
    publicKey: input.publicKey ?? QUICKNET.publicKey,
  });
  if (commit.length > MAX_TIMELOCKED_COMMIT_BYTES) {
    throw new ChainError(
      'PAYLOAD_TOO_LARGE',
      `timelocked commit is ${commit.length} bytes; the chain takes at most ${MAX_TIMELOCKED_COMMIT_BYTES} (${input.uids.length} weights)`,
      { bytes: commit.length, limit: MAX_TIMELOCKED_COMMIT_BYTES },
    );
  }
  return commit;
}

/** Opens a weights commit with the round's signature, as the chain does at reveal. */
export function decryptWeightsCommit(commit: Uint8Array, signature: Uint8Array): WeightsTlockPayload {
  return decodeWeightsPayload(timelockDecrypt(commit, signature));
}

/** The chain refuses a round older than its latest stored pulse (`InvalidRevealRound`). */
export function assertRoundAhead(round: number, latestRound: number): void {
  if (round < latestRound) {
    throw new ChainError(
      'REVEAL_ROUND_PASSED',
      `reveal round ${round} is before the latest round ${latestRound}`,
      {
        round,
        latestRound,
      },
    );
  }
}
