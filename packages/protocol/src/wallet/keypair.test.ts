import { hexToU8a, stringToU8a, u8aToHex } from '@polkadot/util';
import { sr25519PairFromSeed, sr25519Sign, sr25519Verify } from '@polkadot/util-crypto';
import { describe, expect, it } from 'vitest';
import { isProtocolError } from '../errors.js';
import {
  btwalletPrivateKeyToPolkadot,
  type KeyfileJson,
  keypairFromKeyfileJson,
  sr25519Keyring,
} from './keypair.js';

// Vectors from opentensor/btwallet tests (test_keyfile.py, test_common_calls.py).
const MNEMONIC = 'old leopard transfer rib spatial phone calm indicate online fire caution review';
const MNEMONIC_SS58 = '5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX';
const PRIVATE_KEY =
  '0x1f1995bdf3a17b60626a26cfe6f564b337d46056b7a1281b64c649d592ccda0a9cffd34d9fb01cae1fba61aeed184c817442a2186d5172416729a4b54dd4b84e';
const PRIVATE_KEY_PUBLIC = '0xe4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446';
const SEED = '0x023d5fbd7981676587a9f7232aeae1087ac7c265f9658fb643b6f5e61961dfbf';

/** Inverse of the ×8 conversion: the canonical schnorrkel bytes btwallet writes. */
function toBtwalletPrivateKey(polkadotSecret: Uint8Array): Uint8Array {
  const out = Uint8Array.from(polkadotSecret);
  for (let i = 0; i < 32; i++) {
    const next = i < 31 ? polkadotSecret[i + 1]! : 0;
    out[i] = (polkadotSecret[i]! >> 3) | ((next << 5) & 0xff);
  }
  return out;
}

describe('keypairFromKeyfileJson', () => {
  it('derives the btwallet address from a secretPhrase', async () => {
    const pair = await keypairFromKeyfileJson({ secretPhrase: MNEMONIC });
    expect(pair.address).toBe(MNEMONIC_SS58);
  });

  it('prefers secretPhrase over the other secrets, as btwallet does', async () => {
    const pair = await keypairFromKeyfileJson({
      secretPhrase: MNEMONIC,
      secretSeed: SEED,
      privateKey: PRIVATE_KEY,
    });
    expect(pair.address).toBe(MNEMONIC_SS58);
  });

  it('builds the same key from a secretSeed as sr25519PairFromSeed', async () => {
    await sr25519Keyring();
    const pair = await keypairFromKeyfileJson({ secretSeed: SEED });
    expect(u8aToHex(pair.publicKey)).toBe(u8aToHex(sr25519PairFromSeed(hexToU8a(SEED)).publicKey));
  });

  it('signs verifiably with a btwallet privateKey only after the x8 scalar conversion', async () => {
    await sr25519Keyring();
    const msg = stringToU8a('1.a.b.c.d');
    const publicKey = hexToU8a(PRIVATE_KEY_PUBLIC);
    const raw = sr25519Sign(msg, { publicKey, secretKey: hexToU8a(PRIVATE_KEY) });
    expect(sr25519Verify(msg, raw, publicKey)).toBe(false);
    const pair = await keypairFromKeyfileJson({ privateKey: PRIVATE_KEY, publicKey: PRIVATE_KEY_PUBLIC });
    expect(u8aToHex(pair.publicKey)).toBe(PRIVATE_KEY_PUBLIC);
    expect(sr25519Verify(msg, pair.sign(msg), publicKey)).toBe(true);
  });

  it('round-trips a seed-derived secret through the btwallet privateKey form', async () => {
    await sr25519Keyring();
    const { publicKey, secretKey } = sr25519PairFromSeed(hexToU8a(SEED));
    const btwallet = toBtwalletPrivateKey(secretKey);
    expect(u8aToHex(btwalletPrivateKeyToPolkadot(btwallet))).toBe(u8aToHex(secretKey));
    const pair = await keypairFromKeyfileJson({
      privateKey: u8aToHex(btwallet),
      accountId: u8aToHex(publicKey),
    });
    expect(u8aToHex(pair.publicKey)).toBe(u8aToHex(publicKey));
  });

  it('rejects a privateKey that does not match its publicKey', async () => {
    const err = await keypairFromKeyfileJson({
      privateKey: PRIVATE_KEY,
      publicKey: u8aToHex(new Uint8Array(32).fill(7)),
    }).catch((e: unknown) => e);
    expect(isProtocolError(err, 'KEYFILE_INVALID')).toBe(true);
  });

  it.each<[KeyfileJson, string]>([
    [{ ss58Address: MNEMONIC_SS58 }, 'public-only'],
    [{ secretSeed: '0x1234' }, 'short seed'],
    [{ secretPhrase: 'not a mnemonic at all' }, 'bad mnemonic'],
    [{ privateKey: PRIVATE_KEY }, 'privateKey without publicKey'],
  ])('rejects %j (%s) with KEYFILE_INVALID', async (json) => {
    const err = await keypairFromKeyfileJson(json).catch((e: unknown) => e);
    expect(isProtocolError(err, 'KEYFILE_INVALID')).toBe(true);
  });
});
