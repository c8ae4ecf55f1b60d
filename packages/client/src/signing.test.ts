import { verifyMessage } from '@omron/protocol';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiSignatureMessage, bodySha256, NONCE_PATTERN, newNonce, signApiRequest } from './signing.js';

let pair: ReturnType<Keyring['addFromUri']>;
beforeAll(async () => {
  await cryptoWaitReady();
  pair = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
});

describe('request signing', () => {
  it('signs the six-line message over timestamp, nonce, method, path and body hash', () => {
    const body = '{"circuit":"mlp"}';
    const headers = signApiRequest(pair, { method: 'post', path: '/v1/infer', body, now: 1_700_000_000_999 });
    expect(headers['x-timestamp']).toBe('1700000000');
    expect(headers['x-origin-ss58']).toBe(pair.address);
    expect(headers['x-nonce']).toMatch(NONCE_PATTERN);
    const message = apiSignatureMessage({
      timestamp: 1_700_000_000,
      nonce: headers['x-nonce']!,
      method: 'POST',
      path: '/v1/infer',
      bodySha256: bodySha256(body),
    });
    expect(message.split('\n')).toEqual([
      'omron-api-v1',
      '1700000000',
      headers['x-nonce'],
      'POST',
      '/v1/infer',
      bodySha256(body),
    ]);
    expect(verifyMessage(message, headers['x-signature']!, pair.address)).toBe(true);
    expect(
      verifyMessage(message.replace('/v1/infer', '/v1/verify'), headers['x-signature']!, pair.address),
    ).toBe(false);
  });

  it('hashes the empty body as sha256 of nothing and makes a fresh nonce each time', () => {
    expect(bodySha256()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(newNonce()).not.toBe(newNonce());
  });
});
