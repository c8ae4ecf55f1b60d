import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { hexToU8a, isHex, u8aToHex } from '@polkadot/util';
import {
  cryptoWaitReady,
  mnemonicToMiniSecret,
  mnemonicValidate,
  sr25519Verify,
} from '@polkadot/util-crypto';
import { z } from 'zod';
import { ProtocolError } from '../errors.js';

/** Bittensor addresses use the generic substrate prefix. */
export const SS58_FORMAT = 42;

/** The keyfile JSON btwallet writes; every field is optional and key order varies. */
export const KeyfileJson = z.object({
  accountId: z.string().nullish(),
  publicKey: z.string().nullish(),
  privateKey: z.string().nullish(),
  secretPhrase: z.string().nullish(),
  secretSeed: z.string().nullish(),
  ss58Address: z.string().nullish(),
});
export type KeyfileJson = z.infer<typeof KeyfileJson>;

let keyring: Keyring | undefined;

/** The shared sr25519 keyring (waits for the WASM crypto once). */
export async function sr25519Keyring(): Promise<Keyring> {
  await cryptoWaitReady();
  keyring ??= new Keyring({ type: 'sr25519', ss58Format: SS58_FORMAT });
  return keyring;
}

function hexBytes(value: string, length: number, field: string): Uint8Array {
  const hex = value.startsWith('0x') ? value : `0x${value}`;
  if (!isHex(hex) || (hex.length - 2) / 2 !== length) {
    throw new ProtocolError('KEYFILE_INVALID', `keyfile field ${field} is not ${length} bytes of hex`);
  }
  return hexToU8a(hex);
}

/**
 * btwallet stores schnorrkel's canonical `SecretKey::to_bytes()` (scalar ‖ nonce); polkadot.js
 * wants the "ed25519-style" form with the scalar multiplied by 8 (a little-endian shift by 3).
 */
export function btwalletPrivateKeyToPolkadot(privateKey: Uint8Array): Uint8Array {
  const out = Uint8Array.from(privateKey);
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const shifted = (privateKey[i]! << 3) | carry;
    out[i] = shifted & 0xff;
    carry = shifted >> 8;
  }
  return out;
}

/**
 * Builds a signing pair from keyfile JSON with btwallet's priority: secretPhrase, secretSeed,
 * then privateKey. A public-only keyfile is rejected: a hotkey must be able to sign.
 */
export async function keypairFromKeyfileJson(json: KeyfileJson): Promise<KeyringPair> {
  const ring = await sr25519Keyring();
  if (json.secretPhrase) {
    // Plain BIP39 only: btwallet's create_from_mnemonic takes no derivation path or dev phrase.
    if (!mnemonicValidate(json.secretPhrase)) {
      throw new ProtocolError('KEYFILE_INVALID', 'keyfile secretPhrase is not a valid BIP39 mnemonic');
    }
    return ring.addFromSeed(mnemonicToMiniSecret(json.secretPhrase));
  }
  if (json.secretSeed) return ring.addFromSeed(hexBytes(json.secretSeed, 32, 'secretSeed'));
  if (json.privateKey) {
    const publicHex = json.publicKey ?? json.accountId;
    if (!publicHex) {
      throw new ProtocolError('KEYFILE_INVALID', 'keyfile has privateKey but no publicKey to pair it with');
    }
    const publicKey = hexBytes(publicHex, 32, 'publicKey');
    const secretKey = btwalletPrivateKeyToPolkadot(hexBytes(json.privateKey, 64, 'privateKey'));
    const pair = ring.addFromPair({ publicKey, secretKey });
    // A mismatched public key would only surface as 401s from every axon; fail here instead.
    const probe = new TextEncoder().encode('omron keyfile self-check');
    let matches = false;
    try {
      matches = sr25519Verify(probe, pair.sign(probe), publicKey);
    } catch {
      // an invalid point or scalar is a mismatch too
    }
    if (!matches)
      throw new ProtocolError('KEYFILE_INVALID', 'keyfile privateKey does not match its publicKey');
    return pair;
  }
  throw new ProtocolError(
    'KEYFILE_INVALID',
    'keyfile holds no secret (secretPhrase, secretSeed or privateKey)',
  );
}

/** Keyfile JSON for a mnemonic-derived pair, with the fields btwallet writes (secret or public only). */
export function keyfileJsonFor(pair: KeyringPair, secretPhrase?: string): KeyfileJson {
  const publicKey = u8aToHex(pair.publicKey);
  const pub = { accountId: publicKey, publicKey, ss58Address: pair.address };
  return secretPhrase === undefined ? pub : { ...pub, secretPhrase };
}
