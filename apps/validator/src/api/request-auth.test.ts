import { signApiRequest } from '@omron/client';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticate, ReplayGuard } from './request-auth.js';

let pair: ReturnType<Keyring['addFromUri']>;
beforeAll(async () => {
  await cryptoWaitReady();
  pair = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
});

function request(headers: Record<string, string>, body = '{}') {
  return { method: 'POST', path: '/v1/infer', headers: new Headers(headers), body };
}

describe('ReplayGuard', () => {
  it('refuses a nonce again inside the window and forgets it once its timestamp has left the window', () => {
    const guard = new ReplayGuard(0, 300);
    expect(guard.admit('k', 'n', 1000, 1000)).toBe(true);
    expect(guard.admit('k', 'n', 1000, 1200)).toBe(false);
    expect(guard.admit('other', 'n', 1000, 1200)).toBe(true); // nonces are per key
    expect(guard.admit('k', 'n', 1000, 1301)).toBe(true); // expired entries are swept, not kept forever
    expect(guard.size).toBeLessThanOrEqual(2);
  });
});

describe('authenticate', () => {
  it('accepts a fresh signed request once and returns the signer', () => {
    const now = Date.now();
    const guard = new ReplayGuard(Math.floor(now / 1000) - 10);
    const headers = signApiRequest(pair, { method: 'POST', path: '/v1/infer', body: '{}', now });
    expect(authenticate(request(headers), guard, now)).toBe(pair.address);
    expect(() => authenticate(request(headers), guard, now + 1000)).toThrow(
      expect.objectContaining({ code: 'REPLAYED' }),
    );
  });

  it('refuses a request signed before the validator started (an earlier process may have seen its nonce)', () => {
    const now = Date.now();
    const headers = signApiRequest(pair, { method: 'POST', path: '/v1/infer', body: '{}', now: now - 5000 });
    const guard = new ReplayGuard(Math.floor(now / 1000));
    expect(() => authenticate(request(headers), guard, now)).toThrow(
      expect.objectContaining({ code: 'SIGNATURE_EXPIRED' }),
    );
  });

  it('refuses a signature that does not cover the body it came with', () => {
    const now = Date.now();
    const headers = signApiRequest(pair, { method: 'POST', path: '/v1/infer', body: '{"a":1}', now });
    const guard = new ReplayGuard(0);
    expect(() => authenticate(request(headers, '{"a":2}'), guard, now)).toThrow(
      expect.objectContaining({ code: 'UNAUTHORIZED' }),
    );
    // A refused request does not use up its nonce: only a valid signature records one.
    expect(authenticate(request(headers, '{"a":1}'), guard, now)).toBe(pair.address);
  });

  it('a refused signer leaves no nonce behind', () => {
    const now = Date.now();
    const guard = new ReplayGuard(0);
    const headers = signApiRequest(pair, { method: 'POST', path: '/v1/infer', body: '{}', now });
    const refuse = () => {
      throw new Error('forbidden');
    };
    expect(() => authenticate(request(headers), guard, now, refuse)).toThrow('forbidden');
    expect(guard.size).toBe(0);
  });
});
