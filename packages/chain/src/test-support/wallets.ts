import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { ChainWallet } from '../types.js';

/** A real sr25519 wallet derived from a dev URI (`//name`), for tests that must not touch ~/.bittensor. */
export async function devWallet(name: string): Promise<ChainWallet> {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const hotkey = keyring.addFromUri(`//${name}`);
  const coldkey = keyring.addFromUri(`//${name}//cold`);
  return { name, hotkeyName: 'default', hotkey, coldkeyAddress: coldkey.address };
}
