import type { KeyringPair } from '@polkadot/keyring/types';
import { stringToU8a, u8aToHex, u8aWrapBytes } from '@polkadot/util';
import { signatureVerify } from '@polkadot/util-crypto';
import { isReady as wasmReady } from '@polkadot/wasm-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signMessage, verifyMessage } from './signature.js';
import { MINER_MNEMONIC, testPair, VALIDATOR_MNEMONIC } from './test-support.js';

let miner: KeyringPair;
let validator: KeyringPair;
beforeAll(async () => {
  miner = await testPair(MINER_MNEMONIC);
  validator = await testPair(VALIDATOR_MNEMONIC);
});

describe('sr25519 signatures (WASM with a JavaScript fallback)', () => {
  it('signs so that the JavaScript verifier (and so the SDK) accepts it, and only for that message and key', () => {
    expect(wasmReady()).toBe(true); // loading a key waits for the WASM build, so the fast path is the one tested
    const message = '1736000000123456789.5Hx.5Gy.uuid.a7ff';
    const signature = signMessage(miner, message);
    expect(signatureVerify(message, signature, miner.address)).toMatchObject({
      isValid: true,
      crypto: 'sr25519',
    });
    expect(signatureVerify(`${message}0`, signature, miner.address).isValid).toBe(false);
    expect(verifyMessage(message, signature, miner.address)).toBe(true);
    expect(verifyMessage(message, signature, validator.address)).toBe(false);
  });

  it('verifies JavaScript signatures, plain or <Bytes>-wrapped, and refuses malformed input as false', () => {
    const message = 'omron';
    expect(verifyMessage(message, u8aToHex(miner.sign(stringToU8a(message))), miner.address)).toBe(true);
    const wrapped = u8aToHex(miner.sign(u8aWrapBytes(stringToU8a(message))));
    expect(verifyMessage(message, wrapped, miner.address)).toBe(true);
    expect(verifyMessage(message, '0x1234', miner.address)).toBe(false);
    expect(verifyMessage(message, wrapped, 'not an address')).toBe(false);
  });

  it('signs randomised: two signatures of one message differ and both verify', () => {
    const a = signMessage(validator, 'x');
    const b = signMessage(validator, 'x');
    expect(a).not.toBe(b);
    expect([verifyMessage('x', a, validator.address), verifyMessage('x', b, validator.address)]).toEqual([
      true,
      true,
    ]);
  });
});
