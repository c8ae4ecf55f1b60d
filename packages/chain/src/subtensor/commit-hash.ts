import type { Registry } from '@polkadot/types/types';
import { blake2AsHex } from '@polkadot/util-crypto';
import { mechanismIndex } from '../mechanism.js';

/**
 * The CRv2 commit hash the chain recomputes on reveal (`get_commit_hash`, SDK `generate_weight_hash`):
 * BlakeTwo256 of SCALE((hotkey AccountId32, netuid index u16, uids Vec<u16>, values Vec<u16>, salt Vec<u16>, version u64)),
 * where the netuid index is `mechid * 4096 + netuid` (the netuid itself for mechanism 0).
 */
export function commitHash(
  registry: Registry,
  input: {
    hotkey: Uint8Array;
    netuid: number;
    /** Mechanism id (default 0). */
    mechid?: number;
    uids: number[];
    weights: number[];
    salt: number[];
    versionKey: number;
  },
): `0x${string}` {
  const encoded = registry
    .createType('(AccountId32, u16, Vec<u16>, Vec<u16>, Vec<u16>, u64)', [
      input.hotkey,
      mechanismIndex(input.netuid, input.mechid ?? 0),
      input.uids,
      input.weights,
      input.salt,
      input.versionKey,
    ])
    .toU8a();
  return blake2AsHex(encoded, 256);
}
